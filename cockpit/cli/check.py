"""`cockpit check RUNBOOK [--contacts CARD]`: is this plan fit to run tonight?

It loads the runbook and its contact card and reports every problem at once, each with
its file and line. Exit codes say how bad it is, so a script or CI can gate on it:

* 0 — valid (warnings may be printed);
* 1 — findings: both files load, but together they are not fit to run (an owner who is
  not on the card, no on-call senior to call);
* 2 — unusable input: a file is missing, unreadable, not TOML or not valid.

Findings come from a list of rules (`RULES`), each a function of the loaded `Subject`
returning `Finding`s with a severity. The rollback-readiness rules of issue #5 plug in
there without touching the loading or printing.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from cockpit.errors import FileProblems, Problem

if TYPE_CHECKING:
    from cockpit.model.contacts import ContactCard
    from cockpit.model.runbook import Runbook

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing `check` found after loading: which file, how bad, where, what."""

    severity: Severity
    path: Path | str
    problem: Problem

    def render(self) -> str:
        """`file:line: error: where: message`, one line, like a compiler's."""
        problem = self.problem
        location = f"{self.path}:{problem.line}" if problem.line else f"{self.path}"
        where = f"{problem.where}: " if problem.where else ""
        return f"{location}: {self.severity}: {where}{problem.message}"


@dataclass(frozen=True, slots=True)
class Subject:
    """What the rules look at: the loaded runbook, its card (if any) and their texts."""

    runbook: Runbook
    runbook_path: Path
    runbook_text: str
    card: ContactCard | None = None
    card_path: Path | None = None
    card_text: str = ""


Rule = Callable[[Subject], Iterable[Finding]]


def card_rule(subject: Subject) -> Iterable[Finding]:
    """Owners, deciders and stakeholder contacts must be on the card."""
    from cockpit.model.crosscheck import card_problems

    if subject.card is None:
        return []
    return [
        Finding("error", subject.runbook_path, problem)
        for problem in card_problems(subject.runbook, subject.card, subject.runbook_text)
    ]


def card_file_rule(subject: Subject) -> Iterable[Finding]:
    """The card must name an on-call senior with a phone: the escalation rule calls them."""
    from cockpit.model.crosscheck import card_file_problems

    if subject.card is None or subject.card_path is None:
        return []
    return [
        Finding("error", subject.card_path, problem)
        for problem in card_file_problems(subject.card, subject.card_text)
    ]


def no_card_rule(subject: Subject) -> Iterable[Finding]:
    """Without a card nothing says who to call: worth a warning, not a failure."""
    if subject.card is not None:
        return []
    return [
        Finding(
            "warning",
            subject.runbook_path,
            Problem(
                "no contact card: step owners and the on-call senior were not checked; set "
                "contact_card in [runbook] or pass --contacts CARD",
                line=_line(subject.runbook_text, ("runbook",)),
                where="[runbook]",
            ),
        )
    ]


#: The rules `check` runs, in order. Add readiness rules here.
RULES: list[Rule] = [card_rule, card_file_rule, no_card_rule]


def findings(subject: Subject, rules: Iterable[Rule] = RULES) -> list[Finding]:
    """Every finding of every rule, errors before warnings, each group in rule order."""
    found = [finding for rule in rules for finding in rule(subject)]
    return sorted(found, key=lambda finding: finding.severity != "error")


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of `cockpit check`."""
    parser.add_argument(
        "runbook",
        metavar="RUNBOOK",
        help="runbook file, or the name of a bundled runbook (e.g. ucaas-port-smb)",
    )
    parser.add_argument(
        "--contacts",
        metavar="CARD",
        help="contact card file (default: the runbook's contact_card, next to the runbook)",
    )


def run(args: argparse.Namespace) -> int:
    """Load, check, print; the exit code says valid (0), findings (1) or unusable (2)."""
    from cockpit.bundled import resolve_runbook
    from cockpit.model.contacts import ContactCard
    from cockpit.model.load import contact_card_beside, load_model_and_text
    from cockpit.model.runbook import Runbook

    unusable: list[FileProblems] = []
    runbook: Runbook | None = None
    runbook_text = ""
    runbook_path: Path | None = None
    try:
        runbook_path = resolve_runbook(args.runbook)
        if runbook_path != Path(args.runbook).expanduser():  # found among the bundled ones
            runbook_path = _shown_path(runbook_path)
        runbook, runbook_text = load_model_and_text(runbook_path, Runbook, "runbook")
    except FileProblems as problems:
        unusable.append(problems)

    card_path: Path | None = Path(args.contacts) if args.contacts else None
    if card_path is None and runbook is not None and runbook_path is not None:
        card_path = _shown_path(contact_card_beside(runbook, runbook_path))
        if card_path is not None and not card_path.exists():
            unusable.append(_missing_card(runbook, runbook_path, runbook_text, card_path))
            card_path = None
    card: ContactCard | None = None
    card_text = ""
    if card_path is not None:
        try:
            card, card_text = load_model_and_text(card_path, ContactCard, "contact card")
        except FileProblems as problems:
            unusable.append(problems)

    if unusable or runbook is None or runbook_path is None:
        for problems in unusable:
            print(f"{_mark(False)} {problems.render()}")
        return 2

    subject = Subject(runbook, runbook_path, runbook_text, card, card_path, card_text)
    found = findings(subject)
    errors = [finding for finding in found if finding.severity == "error"]
    if errors:
        count = len(errors)
        print(f"{_mark(False)} {runbook_path}: {count} problem{'s' if count != 1 else ''}:")
    else:
        print(f"{_mark(True)} {_summary(runbook, runbook_path)}")
        if card is not None and card_path is not None:
            print(f"{_mark(True)} {_card_summary(card, card_path)}")
    for finding in found:
        print(f"  {finding.render()}")
    return 1 if errors else 0


def _summary(runbook: Runbook, path: Path) -> str:
    steps = len(runbook.steps)
    checkpoints = len(runbook.checkpoints)
    ponr = runbook.ponr_step or "none"
    return (
        f"{path}: valid runbook — {steps} step{'s' if steps != 1 else ''}, "
        f"{checkpoints} checkpoint{'s' if checkpoints != 1 else ''}, "
        f"point of no return: {ponr}"
    )


def _card_summary(card: ContactCard, path: Path) -> str:
    count = len(card.contacts)
    on_call = card.on_call
    senior = f"{on_call.name} ({on_call.first_number})" if on_call is not None else "none"
    return (
        f"{path}: contact card — {count} contact{'s' if count != 1 else ''}, "
        f"on-call senior: {senior}"
    )


def _missing_card(
    runbook: Runbook, runbook_path: Path, runbook_text: str, card_path: Path
) -> FileProblems:
    """The runbook names a card that is not there: a problem of the runbook, located."""
    problem = Problem(
        f"the contact card {runbook.meta.contact_card!r} does not exist (looked for "
        f"{card_path}); fix the path (relative to this runbook) or pass --contacts CARD",
        line=_line(runbook_text, ("runbook", "contact_card")),
        where="[runbook] field 'contact_card'",
    )
    return FileProblems(runbook_path, [problem], "runbook")


def _shown_path(path: Path | None) -> Path | None:
    """A path as the user would type it: relative when it is below the current folder."""
    if path is None or not path.is_absolute():
        return path
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def _line(text: str, location: tuple[str | int, ...]) -> int | None:
    from cockpit.model.locate import find_line, line_map

    return find_line(line_map(text), location) if text else None


def _mark(ok: bool) -> str:
    """✔ or ✘, or plain words on a terminal that cannot show them."""
    mark = "✔" if ok else "✘"
    encoding = getattr(sys.stdout, "encoding", None) or "ascii"
    try:
        mark.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return "OK" if ok else "FAILED"
    return mark
