"""`cockpit run`: open the cockpit on a runbook, starting or resuming its journal."""

from __future__ import annotations

import argparse
import getpass
import re
import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported for the annotations only: `cockpit --help` stays fast
    from cockpit.model.contacts import ContactCard
    from cockpit.model.runbook import Runbook

#: Default journals live here, relative to where the cockpit is started.
JOURNALS_DIR = Path("journals")


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of `cockpit run`."""
    parser.add_argument("runbook", help="runbook file, or a bundled example's name")
    parser.add_argument("--contacts", metavar="CARD", help="contact card (default: the runbook's)")
    parser.add_argument(
        "--journal", metavar="PATH", help="journal file (default: journals/<runbook id>.journal)"
    )
    parser.add_argument("--rehearsal", action="store_true", help="a rehearsal: the plan starts now")
    parser.add_argument(
        "--rebaseline", action="store_true", help="a live window that moved: the plan starts now"
    )
    parser.add_argument("--operator", metavar="NAME", help="who runs the cockpit tonight")
    parser.add_argument("--theme", metavar="NAME", help="colour theme (default: night)")
    parser.add_argument(
        "--share", action="store_true", help="start in share mode (secrets masked, high contrast)"
    )


def default_journal(runbook_id: str, rehearsal: bool) -> Path:
    """`journals/<id>.journal` or `journals/<id>.rehearsal.journal`; a new numbered file
    when that cutover has already ended, so a finished night is never reopened by accident.
    """
    from cockpit.journal.store import JournalError, read_events

    safe = re.sub(r"[^a-z0-9_-]", "-", runbook_id.lower())
    stem = f"{safe}.rehearsal" if rehearsal else safe
    number = 1
    while True:
        candidate = JOURNALS_DIR / (
            f"{stem}.journal" if number == 1 else f"{stem}-{number}.journal"
        )
        if not candidate.exists():
            return candidate
        try:
            ended = any(getattr(e, "type", "") == "cutover_ended" for e in read_events(candidate))
        except JournalError:
            ended = False  # let the open report it
        if not ended:
            return candidate
        number += 1


def run(args: argparse.Namespace) -> int:
    """Load the plan, open or resume the journal, and run the cockpit."""
    from cockpit.bundled import resolve_runbook
    from cockpit.core.clock import SystemClock
    from cockpit.errors import CockpitError
    from cockpit.journal.store import JournalDamaged
    from cockpit.model.load import contact_card_beside, load_contact_card, load_runbook
    from cockpit.session import Session

    runbook_path = resolve_runbook(args.runbook)
    runbook = load_runbook(runbook_path)
    card_path = Path(args.contacts) if args.contacts else contact_card_beside(runbook, runbook_path)
    card = load_contact_card(card_path) if card_path is not None else None
    notices = _card_notices(runbook, runbook_path, card, card_path)
    journal_path = (
        Path(args.journal) if args.journal else default_journal(runbook.meta.id, args.rehearsal)
    )
    resuming = journal_path.exists() and journal_path.stat().st_size > 0
    try:
        session = Session.open(
            journal_path,
            runbook,
            card,
            SystemClock(),
            mode="rehearsal" if args.rehearsal else "live",
            operator=args.operator or _user(),
            runbook_path=str(runbook_path),
            rebaseline=args.rebaseline,
            card_path=str(card_path or ""),
        )
    except JournalDamaged as error:
        raise CockpitError(f"{error}\n{_carry_on(args.runbook, journal_path)}") from None
    if args.journal and session.journal.created_folder is not None:
        # A notice, not a refusal: starting a night in a new folder is legitimate; but a
        # DE who mistyped the path of a night to resume must see at once it did not.
        notices.insert(
            0,
            f"No journal at {journal_path}: a NEW night starts there (folder "
            f"{session.journal.created_folder} created). To resume a night instead, quit "
            "and give the path of its journal.",
        )
    if args.share and not session.state.share_mode:
        from cockpit.core.commands import SetShareMode

        session.execute(SetShareMode(on=True))
    try:
        from cockpit.tui.app import CockpitApp

        app = CockpitApp(session, theme=args.theme, notices=notices)
        app.run()
    finally:
        session.close()
    state = session.state
    verb = "Resumed" if resuming else "Started"
    # The night's title (the journal's own plan), even when resumed with another runbook;
    # escaped: a title must not retitle or blank the terminal on the way out.
    from cockpit.text import one_line

    night = state.runbook if state.runbook is not None else runbook
    print(f"{verb} {state.mode} cutover '{one_line(night.meta.title)}'.")
    print(f"Journal: {journal_path} — {state.last_seq} events, every one saved.")
    if state.ended:
        print(f"Outcome: {state.outcome}. Debrief: cockpit debrief {journal_path}")
    else:
        print(f"Resume with: cockpit run {args.runbook} --journal {journal_path}")
    if app.internal_error or app.return_code:
        # Not a clean quit: say so, and exit non-zero, after what the DE needs to go on.
        print(
            "The cockpit stopped on an internal error (above). Every event it showed as "
            "saved is in the journal; resume with the command above.",
            file=sys.stderr,
        )
        return 1
    return 0


def _carry_on(runbook: str, journal: Path) -> str:
    """How to go on tonight from a damaged journal's trusted events."""
    new = journal.with_name(f"{journal.stem}-salvaged{journal.suffix}")
    quoted, quoted_new = shlex.quote(str(journal)), shlex.quote(str(new))
    return (
        "To carry on from the events that can be trusted, copy them into a new journal "
        f"and resume that one:\n  cockpit verify {quoted} --salvage-to {quoted_new}\n"
        f"  cockpit run {shlex.quote(runbook)} --journal {quoted_new}"
    )


def _card_notices(
    runbook: Runbook, runbook_path: Path, card: ContactCard | None, card_path: Path | None
) -> list[str]:
    """Cross-check problems between the plan and the card, shown on screen at start."""
    from cockpit.model.crosscheck import card_file_problems, card_problems
    from cockpit.model.load import read_text  # the safe reader: regular files, capped

    if card is None or card_path is None:  # a card is only ever loaded from a path
        return [
            "No contact card: the escalation timer cannot show whom to call. Use --contacts CARD."
        ]
    runbook_text = read_text(Path(runbook_path), "runbook")
    card_text = read_text(Path(card_path), "contact card")
    found = [p.render(runbook_path) for p in card_problems(runbook, card, runbook_text)]
    found += [p.render(card_path) for p in card_file_problems(card, card_text)]
    return found


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in this environment
        return ""
