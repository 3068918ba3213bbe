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
import os
import shlex
import sys
from collections.abc import Callable
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
    lines = jsonl_lines(events) if args.jsonl else readable_lines(events)
    try:
        for line in lines:
            print(line)
        sys.stdout.flush()
    except BrokenPipeError:
        # `cockpit log J | head`: the reader left; that is not an error.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
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

    return [_escape_c1(event_to_json(event)) for event in events]


def readable_lines(events: list[Event]) -> list[str]:
    """`#seq  HH:MM:SS  type  detail` lines, with a dated heading whenever the day turns."""
    if not events:
        return ["(no events: this journal is empty)"]
    zone = runbook_zone(events)
    seq_width = len(str(events[-1].seq)) + 1
    type_width = max(len(event.type) for event in events)
    lines: list[str] = []
    day = None
    for event in events:
        local = event.at.astimezone(zone)
        if local.date() != day:
            day = local.date()
            lines.append(f"{local:%A %d %B %Y} ({_zone_name(zone)})")
        detail = _clean(describe(event, zone))
        seq = f"#{event.seq}".ljust(seq_width)
        lines.append(f"{seq}  {local:%H:%M:%S}  {event.type.ljust(type_width)}  {detail}".rstrip())
    return lines


def runbook_zone(events: list[Event]) -> tzinfo:
    """The runbook's time zone, from the snapshot in the first event (UTC if unknown)."""
    from datetime import UTC
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    first = events[0] if events else None
    name = ""
    if first is not None and first.type == "cutover_started":
        meta = first.runbook.get("runbook", {})
        name = meta.get("timezone", "") if isinstance(meta, dict) else ""
    if not name:
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def _zone_name(zone: tzinfo) -> str:
    return str(getattr(zone, "key", None) or zone.tzname(None) or "UTC")


def _hm(moment: datetime, zone: tzinfo) -> str:
    return f"{moment.astimezone(zone):%H:%M}"


def describe(event: Event, zone: tzinfo) -> str:
    """The most useful words of one event: its step, decision, reason or text."""
    describer = _DESCRIBERS.get(event.type)
    return describer(event, zone) if describer is not None else ""


def _started(event: Any, zone: tzinfo) -> str:
    meta = event.runbook.get("runbook", {}) if isinstance(event.runbook, dict) else {}
    title = meta.get("title", "the cutover") if isinstance(meta, dict) else "the cutover"
    customer = meta.get("customer", "") if isinstance(meta, dict) else ""
    plan = _hm(event.plan_start, zone)
    who = f" for {customer}" if customer else ""
    return f"{title}{who}, {event.mode}, by {event.operator} (plan starts {plan})"


def _with_reason(subject: str, reason: str) -> str:
    return f"{subject}: {reason}" if reason else subject


_DESCRIBERS: dict[str, Callable[[Any, tzinfo], str]] = {
    "cutover_started": _started,
    "session_resumed": lambda e, z: (
        f"{e.operator or 'resumed'}{' (runbook file changed)' if e.runbook_changed else ''}"
    ),
    "plan_rebaselined": lambda e, z: f"plan starts {_hm(e.plan_start, z)}: {e.reason}",
    "step_started": lambda e, z: e.step_id,
    "step_completed": lambda e, z: e.step_id,
    "step_skipped": lambda e, z: _with_reason(e.step_id, e.reason),
    "step_failed": lambda e, z: _with_reason(e.step_id, e.reason),
    "criterion_marked": lambda e, z: (
        f"{e.checkpoint_id} #{e.index + 1} {'met' if e.met else 'NOT met'}"
    ),
    "checkpoint_decided": lambda e, z: _with_reason(
        f"{e.checkpoint_id} {e.decision.replace('_', '-').upper()} by {e.by}", e.reason
    ),
    "ponr_crossed": lambda e, z: f"{e.step_id} (on the go recorded at #{e.go_seq})",
    "blocker_raised": lambda e, z: f"{e.what} (call by {_hm(e.deadline, z)})",
    "escalation_called": lambda e, z: f"called {e.contact_name}",
    "blocker_resolved": lambda e, z: e.how,
    "rollback_started": lambda e, z: _with_reason(
        f"undo {', '.join(e.steps) or 'nothing'}", e.reason
    ),
    "rollback_step_done": lambda e, z: e.step_id,
    "rollback_completed": lambda e, z: "",
    "message_sent": lambda e, z: e.message_id,
    "note_added": lambda e, z: e.text,
    "secret_revealed": lambda e, z: f"{e.name} {e.how}",
    "share_mode_changed": lambda e, z: "on" if e.on else "off",
    "cutover_ended": lambda e, z: _with_reason(e.outcome.replace("_", " "), e.summary),
}


def _clean(text: str) -> str:
    """One line, and no control characters: a note must not be able to drive the
    terminal (escape sequences) or break the one-event-per-line shape."""
    text = text.replace("\r\n", "\n").replace("\n", " ⏎ ")
    return "".join(
        ch if ch.isprintable() else f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}"
        for ch in text
    )


def _escape_c1(payload: str) -> str:
    """JSON escapes C0 controls but not DEL and C1 (U+007F–U+009F), which some terminals
    obey; escaping them keeps the same JSON value."""
    if not any("\x7f" <= ch <= "\x9f" for ch in payload):
        return payload
    return "".join(f"\\u{ord(ch):04x}" if "\x7f" <= ch <= "\x9f" else ch for ch in payload)
