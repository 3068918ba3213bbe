"""R7xx contact card: everyone the plan names resolves on the card, with an on-call senior.

Also the carrier, vendor or NOC the plan mentions, and the PINs and passwords it needs
(named on the card, never written in the plan).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from cockpit.errors import Problem
from cockpit.model.contacts import ContactCard, SecretRef
from cockpit.model.runbook import Runbook
from cockpit.readiness.registry import RULE_INFO
from cockpit.readiness.subject import Finding, Location, Subject, concerns_from_where, finding_at


def card_rules(subject: Subject) -> Iterable[Finding]:
    """Owners, deciders and stakeholder contacts resolve; the card has an on-call senior."""
    from cockpit.model.crosscheck import card_file_problems, card_problems

    if subject.card is None:
        yield finding_at(
            subject,
            "R707",
            ("runbook",),
            "no contact card: step owners and the on-call senior were not checked; set "
            "contact_card in [runbook] or pass --contacts CARD",
            "write one (cockpit new RUNBOOK.toml --contacts CARD.toml makes a starter)",
            where="[runbook]",
        )
        return
    for problem in card_problems(subject.runbook, subject.card, subject.runbook_text):
        if problem.where.endswith("field 'owner'"):
            rule, fix = "R701", "add the owner to the card, or use a contact id or role from it"
        elif problem.where.endswith("field 'decider'"):
            rule, fix = "R702", "add the decider to the card, or use a contact id or role from it"
        else:
            rule, fix = "R703", "use a contact id from the card, or add the contact"
        concerns = concerns_from_where(problem.where)
        yield Finding(RULE_INFO[rule].severity, subject.runbook_path, problem, rule, fix, concerns)
    if subject.card_path is not None:
        for problem in card_file_problems(subject.card, subject.card_text):
            fix = "mark the senior DE with on_call_senior = true, with a phone number"
            yield Finding("error", subject.card_path, problem, "R704", fix)
    yield from _signers(subject, subject.card)
    yield from _mentioned_contacts(subject, subject.card)
    yield from _mentioned_secrets(subject, subject.card)
    yield from _missing_secrets(subject, subject.card)


def _signers(subject: Subject, card: ContactCard) -> Iterable[Finding]:
    """Who signs each item of the checklist before the window is someone on the card: the
    cockpit suggests their name when the item is ticked, and the senior's approval must
    be the senior's."""
    for index, entry in enumerate(subject.runbook.pre_window):
        if card.resolve(entry.signed_by) is None:
            yield finding_at(
                subject,
                "R709",
                ("pre_window", index, "signed_by"),
                f"signer {entry.signed_by!r} of {entry.item!r} is not on the contact card "
                f"{card.card.id!r}",
                "use a contact id or role from the card (for example 'de' or 'senior-de')",
                where=f"pre_window #{index + 1}",
            )


def _plan_texts(runbook: Runbook) -> Iterable[tuple[Location, str]]:
    """Every piece of prose in the plan, with its location, in file order of concern."""
    for index, step in enumerate(runbook.steps):
        at = ("steps", index)
        yield (*at, "title"), step.title
        yield (*at, "instructions"), step.instructions
        for number, item in enumerate(step.verify):
            yield (*at, "verify", number), item
        if step.rollback is not None:
            yield (*at, "rollback"), step.rollback.action
        if step.no_rollback is not None:
            yield (*at, "no_rollback"), step.no_rollback
    for index, checkpoint in enumerate(runbook.checkpoints):
        at = ("checkpoints", index)
        yield (*at, "title"), checkpoint.title
        for number, item in enumerate(checkpoint.criteria):
            yield (*at, "criteria", number), item
        yield (*at, "no_go_means"), checkpoint.no_go_means
    ponr = runbook.point_of_no_return
    yield ("point_of_no_return", "why"), ponr.why
    for number, item in enumerate(ponr.forward_fix):
        yield ("point_of_no_return", "forward_fix", number), item


#: (what, how the plan mentions it, words a card contact must contain to be it).
_MENTIONS: tuple[tuple[str, re.Pattern[str], tuple[str, ...]], ...] = (
    ("the carrier", re.compile(r"\bcarriers?\b", re.IGNORECASE), ("carrier", "telco")),
    ("a vendor", re.compile(r"\bvendors?\b", re.IGNORECASE), ("vendor",)),
    ("a NOC", re.compile(r"\bNOC\b"), ("noc",)),
)


def _mentioned_contacts(subject: Subject, card: ContactCard) -> Iterable[Finding]:
    texts = list(_plan_texts(subject.runbook))
    haystacks = [f"{c.id} {c.name} {c.role} {c.organisation}".casefold() for c in card.contacts]
    for what, pattern, words in _MENTIONS:
        mention = next(((at, text) for at, text in texts if pattern.search(text)), None)
        if mention is None:
            continue
        if any(word in haystack for haystack in haystacks for word in words):
            continue
        yield finding_at(
            subject,
            "R705",
            mention[0],
            f"mentions {what}, and the contact card {card.card.id!r} has no such contact",
            f"add {what} to the card with a phone number that answers at night",
        )


_SECRET_MENTION = re.compile(r"\b(pin|passcode|password|api key|token)s?\b", re.IGNORECASE)


def _mentioned_secrets(subject: Subject, card: ContactCard) -> Iterable[Finding]:
    named: list[str] = [name.casefold() for name in card.secret_names()]
    for contact in card.contacts:
        named.extend(label.casefold() for label in contact.secrets)
    for account in card.accounts:
        named.extend(
            label.casefold() for label, v in account.fields.items() if isinstance(v, SecretRef)
        )
    reported: set[str] = set()
    for at, text in _plan_texts(subject.runbook):
        for found in _SECRET_MENTION.finditer(text):
            word = found.group(1).casefold()
            key = word.split()[-1]
            if key in reported or any(key in name for name in named):
                continue
            reported.add(key)
            yield finding_at(
                subject,
                "R706",
                at,
                f"mentions a {found.group(1)}, and the contact card names no secret for it",
                f'add it to the card as {{ secret = "…-{key}" }} and store the value with '
                "cockpit secrets set NAME",
            )


def _secret_locations(card: ContactCard) -> dict[str, Location]:
    """Where each secret name is first referenced on the card (for the finding's line)."""
    where: dict[str, Location] = {}
    for index, contact in enumerate(card.contacts):
        for label, ref in contact.secrets.items():
            where.setdefault(ref.secret, ("contacts", index, "secrets", label))
    for index, account in enumerate(card.accounts):
        for label, value in account.fields.items():
            if isinstance(value, SecretRef):
                where.setdefault(value.secret, ("accounts", index, "fields", label))
    return where


def _missing_secrets(subject: Subject, card: ContactCard) -> Iterable[Finding]:
    """R708: the secrets the card names that neither the keyring nor the environment has.

    Names only: a value is looked up to see that it is there, never kept or shown. A
    missing or failing keyring is a finding too, never a traceback. A warning, not an
    error: a rehearsal machine may rightly have no keyring.
    """
    from cockpit.model.load import describe
    from cockpit.model.locate import find_line, line_map
    from cockpit.secrets import missing_secrets

    names = card.secret_names()
    if not names:
        return
    missing = missing_secrets(names)
    if not missing:
        return
    first = _secret_locations(card).get(missing.names[0], ("card",))
    line = find_line(line_map(subject.card_text), first) if subject.card_text else None
    yield Finding(
        RULE_INFO["R708"].severity,
        subject.card_path or subject.runbook_path,
        Problem(missing.describe(), line=line, where=describe(first, card.model_dump(mode="json"))),
        "R708",
        missing.what_to_do(),
    )
