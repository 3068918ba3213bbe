"""`cockpit log JOURNAL [--jsonl]`: the events of a journal, one per line.

Readable lines show the time in the runbook's own time zone (the one the window was
planned in, from the snapshot in the first event), so the log reads like the night did:

    #12  02:31:07  step_completed     port-activation

`--jsonl` prints each stored payload as one JSON object per line, for `jq` and friends.

A damaged journal still gives what can be trusted: the clean prefix on stdout, then on
stderr where it stops and why, with exit code 1.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cockpit.journal.events import Event


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of `cockpit log`."""
    parser.add_argument("journal", metavar="JOURNAL", help="the journal file to read")
    parser.add_argument(
        "--jsonl",
        action="store_true",
        help="one JSON object per event (the stored payload) instead of readable lines",
    )


def run(args: argparse.Namespace) -> int:
    """Print the events; 0 when the whole journal is intact, 1 when it had to stop early."""
    from cockpit.journal.store import JournalDamaged, JournalReader
    from cockpit.journal.verify import salvage

    path = Path(args.journal)
    stopped: str | None = None
    try:
        with JournalReader.open(path) as reader:
            events = reader.events()
    except JournalDamaged:
        # Read again on a copy, keeping everything up to the first untrustworthy event.
        events, report = salvage(path)
        if not report.readable:
            print("\n".join(f"cockpit: {problem}" for problem in report.problems), file=sys.stderr)
            return 2
        if not report.ok:  # (the copy may read clean when the damage was a passing one)
            stopped = _stop_message(path, report.trusted_seq, report.first_bad_seq, report.problems)
    from cockpit.journal.describe import readable_lines

    lines = jsonl_lines(events) if args.jsonl else readable_lines(events)
    # (`cockpit log J | head`: the reader leaving early is handled once, in `cockpit.cli`.)
    for line in lines:
        print(line)
    sys.stdout.flush()
    if stopped is not None:
        print(stopped, file=sys.stderr)
        return 1
    return 0


def _stop_message(path: Path, trusted: int, first_bad: int | None, problems: list[str]) -> str:
    why = problems[0] if problems else "the journal is damaged"
    if trusted == 0:
        head = "cockpit log: no event of this journal can be trusted"
    else:
        head = f"cockpit log: stopped after event {trusted}; events 1–{trusted} above are intact"
    where = f", event {first_bad} onwards cannot be trusted" if first_bad is not None else ""
    return (
        f"{head}{where} ({why}). For the full report, run: cockpit verify {shlex.quote(str(path))}"
    )


# ---- the two formats ---------------------------------------------------------------------


def jsonl_lines(events: list[Event]) -> list[str]:
    """Each event's canonical (stored) JSON, one per line."""
    from cockpit.journal.events import event_to_json

    return [json_visible(event_to_json(event)) for event in events]


def json_visible(payload: str) -> str:
    """JSON text with every character `cockpit.text.visible` would escape written as a
    JSON escape (`\\u202e`, `\\u009b`): the same JSON value, but no right-to-left override,
    DEL or C1 control (which JSON leaves raw and some terminals obey) reaches the terminal.
    """
    if payload.isprintable():
        return payload
    from cockpit.text import visible

    return "".join(
        _json_escape(ch) if not ch.isprintable() and visible(ch) != ch else ch for ch in payload
    )


def _json_escape(character: str) -> str:
    """`\\uXXXX`, as a UTF-16 surrogate pair above the Basic Multilingual Plane (JSON's way)."""
    code = ord(character)
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
