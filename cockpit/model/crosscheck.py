"""Checks of a runbook against its contact card.

Each file can be valid on its own and still fail together: a step owned by someone who is
not on the card leaves the DE with no number to call at 3 a.m., and a card without an
on-call senior leaves the 30-minute escalation rule with nobody to ring. These checks run
in `cockpit check` and before a live run, after both files have loaded.

Problems about the runbook are located in the runbook's text; problems about the card
alone (no on-call senior) in the card's text, so each is printed against its own file.
"""

from __future__ import annotations

from cockpit.errors import Problem
from cockpit.model.contacts import ContactCard
from cockpit.model.locate import Path as KeyPath
from cockpit.model.locate import find_line, line_map
from cockpit.model.runbook import Runbook


def card_problems(runbook: Runbook, card: ContactCard, runbook_text: str = "") -> list[Problem]:
    """Problems in the runbook that the contact card reveals, located in the runbook.

    Every step owner and checkpoint decider must resolve on the card (by contact id or by
    role), and every stakeholder's `contact` must be a contact id on the card.
    """
    lines = line_map(runbook_text) if runbook_text else {}
    expected = _expected_owners(card)
    problems: list[Problem] = []
    for index, step in enumerate(runbook.steps):
        if card.resolve(step.owner) is None:
            problems.append(
                Problem(
                    f"owner {step.owner!r} is not on the contact card {card.card.id!r}; "
                    f"expected a contact id or role: {expected}",
                    line=find_line(lines, ("steps", index, "owner")),
                    where=f"step {step.id!r} field 'owner'",
                )
            )
    for index, checkpoint in enumerate(runbook.checkpoints):
        if card.resolve(checkpoint.decider) is None:
            problems.append(
                Problem(
                    f"decider {checkpoint.decider!r} is not on the contact card "
                    f"{card.card.id!r}; expected a contact id or role: {expected}",
                    line=find_line(lines, ("checkpoints", index, "decider")),
                    where=f"checkpoint {checkpoint.id!r} field 'decider'",
                )
            )
    contact_ids = [contact.id for contact in card.contacts]
    for index, stakeholder in enumerate(runbook.communications.stakeholders):
        if stakeholder.contact is not None and stakeholder.contact not in contact_ids:
            location: KeyPath = ("communications", "stakeholders", index, "contact")
            problems.append(
                Problem(
                    f"contact {stakeholder.contact!r} is not on the contact card "
                    f"{card.card.id!r}; expected one of the contact ids: "
                    f"{', '.join(contact_ids)}",
                    line=find_line(lines, location),
                    where=f"stakeholder {stakeholder.id!r} field 'contact'",
                )
            )
    return problems


def card_file_problems(card: ContactCard, card_text: str = "") -> list[Problem]:
    """Problems of the card itself that only matter for a cutover, located in the card.

    The card format allows a card without an on-call senior (an address book is still an
    address book); a cutover does not, because the escalation timer needs someone to call.
    """
    lines = line_map(card_text) if card_text else {}
    on_call = card.on_call
    if on_call is None:
        return [
            Problem(
                "no contact is the on-call senior; mark the senior DE with "
                "on_call_senior = true (and a phone number): the escalation rule calls them",
                line=find_line(lines, ("contacts", 0)),
                where="",
            )
        ]
    index = card.contacts.index(on_call)
    if not on_call.phones:
        return [
            Problem(
                'the on-call senior has no phone number; add phones = [{ label = "mobile", '
                'number = "+1 312 555 0199" }]',
                line=find_line(lines, ("contacts", index)),
                where=f"contact {on_call.id!r}",
            )
        ]
    return []


def _expected_owners(card: ContactCard) -> str:
    """The ids and roles an owner may name, for the expected-value part of a message."""
    return ", ".join(f"{contact.id} ({contact.role})" for contact in card.contacts)
