"""`cockpit run`: open the cockpit on a runbook, starting or resuming its journal."""

from __future__ import annotations

import argparse
import getpass
import re
import shlex
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:  # imported for the annotations only: `cockpit --help` stays fast
    from cockpit.model.contacts import ContactCard
    from cockpit.model.runbook import Runbook

#: Default journals live here, relative to where the cockpit is started.
JOURNALS_DIR = Path("journals")
#: Asked once per machine, before the cockpit starts, when nothing names the DE.
OPERATOR_QUESTION = "Your name, as the journal and the debrief will show it: "
#: Tries at typing a usable name before the OS user is recorded instead.
OPERATOR_TRIES = 3


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
    parser.add_argument(
        "--operator",
        metavar="NAME",
        help="who runs the cockpit tonight (default: the name in the settings, asked once)",
    )
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
    from cockpit.errors import CockpitError, FileProblems
    from cockpit.journal.store import JournalDamaged
    from cockpit.model.load import contact_card_beside, load_contact_card, load_runbook
    from cockpit.session import Session

    runbook_path = resolve_runbook(args.runbook)
    runbook = load_runbook(runbook_path)
    card_path = Path(args.contacts) if args.contacts else contact_card_beside(runbook, runbook_path)
    card = load_contact_card(card_path) if card_path is not None else None
    notices: list[str] = []
    journal_path = (
        Path(args.journal) if args.journal else default_journal(runbook.meta.id, args.rehearsal)
    )
    resuming = journal_path.exists() and journal_path.stat().st_size > 0
    operator = resolve_operator(args.operator)  # after the files load: no question for a typo
    try:
        session = Session.open(
            journal_path,
            runbook,
            card,
            SystemClock(),
            mode="rehearsal" if args.rehearsal else "live",
            operator=operator,
            runbook_path=str(runbook_path),
            rebaseline=args.rebaseline,
            card_path=str(card_path or ""),
        )
    except JournalDamaged as error:
        raise CockpitError(f"{error}\n{_carry_on(args.runbook, journal_path)}") from None
    night_card = session.state.contacts if session.state.contacts is not None else card

    def later_notices() -> list[str]:
        """Looked for after the first frame, in a thread: the cross-check of the plan and
        the card reads and scans both files again (~8 ms), the OS keyring is slow to
        answer (~0.1 s)."""
        try:
            found = _card_notices(runbook, runbook_path, card, card_path)
        except FileProblems as problems:  # a file changed or went away since it loaded
            found = [problems.render()]
        notice = missing_secrets_notice(night_card)
        return found + ([notice] if notice else [])

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
    clean = False
    try:
        from cockpit.tui.app import CockpitApp

        app = CockpitApp(session, theme=args.theme, notices=notices, later_notices=later_notices)
        app.run()
        clean = not (app.internal_error or app.return_code)
    finally:
        # A clean quit is journaled as the last event (when the journal is writable), so
        # a follower, the next resume and the debrief can tell it from a crash; anything
        # else just closes, and reads as ended without a clean quit.
        if clean:
            session.quit()
        else:
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


def _stdin_is_a_terminal() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (OSError, ValueError):  # closed or detached standard input
        return False


def resolve_operator(
    given: str | None,
    *,
    ask: Callable[[str], str] = input,
    interactive: Callable[[], bool] | None = None,
    err: TextIO | None = None,
    folder: Path | None = None,
) -> str:
    """The DE's name for the journal: `--operator`, else the settings' `operator`, else
    asked once on a terminal (and saved, so never again on this machine), else the OS
    user — said on stderr in one line with how to set it. Resuming a night uses the same
    answer. A name is one line of text: stripped, no control characters, at most 64
    characters; `--operator` with anything else is refused (`CockpitError`). `ask` and
    `interactive` (default: standard input is a terminal) are there for tests.
    """
    from cockpit.errors import CockpitError
    from cockpit.settings import (
        SettingsError,
        clean_operator,
        load_settings,
        save_operator,
        settings_path,
    )
    from cockpit.text import one_line

    out = err if err is not None else sys.stderr
    if given is not None:
        try:
            return clean_operator(given)
        except ValueError as error:
            raise CockpitError(f"--operator {one_line(given)!r}: {error}") from None
    settings, _ = load_settings(folder)  # a broken file is reported by the cockpit itself
    if settings.operator:
        return settings.operator
    if (interactive or _stdin_is_a_terminal)():
        for _ in range(OPERATOR_TRIES):
            try:
                answer = ask(OPERATOR_QUESTION)
            except EOFError:
                break
            try:
                name = clean_operator(answer)
            except ValueError as error:
                print(f"{error}; type your name, please.", file=out)
                continue
            try:
                saved = save_operator(name, folder)
            except SettingsError as error:
                print(f"note: {error}", file=out)
            else:
                print(f"Saved in {saved}; --operator NAME overrides it for one night.", file=out)
            return name
    user = _user()
    recorded = f"the OS user {one_line(user)!r}" if user else "the runbook's operator role"
    print(
        f"operator: recorded as {recorded}; to record your name, pass --operator NAME or set "
        f'operator = "Your Name" in {settings_path(folder)}',
        file=out,
    )
    return user


def missing_secrets_notice(card: ContactCard | None) -> str:
    """One notice naming every secret of the card nothing can supply, and the fix; "" when
    none is missing. Names only: the start is not blocked, the DE finds out now rather
    than when the carrier asks for the PIN (the cockpit can still ask for one on reveal).
    """
    if card is None:
        return ""
    from cockpit.secrets import missing_secrets

    missing = missing_secrets(card.secret_names())
    if not missing:
        return ""
    return (
        f"Secrets missing: {missing.describe()}.\nTo fix: {missing.what_to_do()}. Until then "
        "the cockpit asks for a missing one when you reveal it, and forgets it on exit."
    )


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in this environment
        return ""
