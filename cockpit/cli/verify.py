"""`cockpit verify JOURNAL [--salvage-to NEW]`: is the journal intact, what can be trusted
if not, and — to carry on tonight — a new journal holding just the trusted part.

Exit codes, for scripts: 0 intact, 1 damaged (the report says what can be salvaged),
2 not a journal or not readable at all, or nothing could be salvaged.
"""

from __future__ import annotations

import argparse
import shlex
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cockpit.journal.events import Event


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of `cockpit verify`."""
    parser.add_argument("journal", metavar="JOURNAL", help="the journal file to check")
    parser.add_argument(
        "--salvage-to",
        metavar="NEW",
        help="write the trusted events into a new journal NEW, which `cockpit run` resumes "
        "(the damaged journal is left exactly as it is; NEW must not exist yet)",
    )


def run(args: argparse.Namespace) -> int:
    """Print the report; the exit code says intact (0), damaged (1) or unreadable (2)."""
    from cockpit.journal.verify import salvage, verify_journal  # late: keeps the CLI light

    if args.salvage_to:
        events, report = salvage(args.journal)
    else:
        events, report = [], verify_journal(args.journal)
    print(report.render())
    code = 2 if not report.readable else 0 if report.ok else 1
    if args.salvage_to and report.readable:
        return _salvage_to(Path(args.journal), Path(args.salvage_to), events) or code
    return code


def _salvage_to(journal: Path, new: Path, events: list[Event]) -> int:
    """Write `events` (a trusted prefix, numbered from 1) into the new journal `new`.

    `new` must not exist at all — not even empty, a symlink or one of the damaged
    journal's side files: salvage never overwrites anything, with or without intent.
    """
    import os

    from cockpit.errors import CockpitError
    from cockpit.files import OutputRefused, check_output
    from cockpit.journal.store import Journal, read_events

    if not events:
        raise CockpitError(f"nothing to salvage: no event of {journal} can be trusted")
    if os.path.lexists(new):
        raise CockpitError(
            f"{new} already exists: salvage writes only into a new journal (nothing written)"
        )
    try:  # a side file (-wal, -lock …) of the damaged journal or of another one
        check_output(new, force=False, inputs=[(journal, "the damaged journal")])
    except OutputRefused as refused:
        raise CockpitError(f"{refused} (nothing written)") from None
    with Journal.open(new) as target:
        target.append(events)
    if read_events(new) != events:  # read back through the chain check, as `run` will
        raise CockpitError(f"{new} does not read back as written: do not use it")
    start = events[0]
    runbook = getattr(start, "runbook_path", "") or "RUNBOOK"
    print(
        f"\nSalvaged events 1–{events[-1].seq} into {new} (hash chain rebuilt and "
        f"checked). {journal} was left as it was: keep it for the debrief.\n"
        f"Carry on with: cockpit run {shlex.quote(runbook)} --journal {shlex.quote(str(new))}"
    )
    return 0
