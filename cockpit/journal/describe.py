"""One readable line per event: `cockpit log`, the log screen and the debrief share it.

Times are shown in the runbook's time zone (from the snapshot in the first event). Text is
cleaned of control characters so a note cannot drive the terminal.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import Any

from cockpit.journal.events import Event


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
        f"{' (contact card file changed: not taken yet)' if e.card_changed else ''}"
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
    "contact_card_adopted": lambda e, z: _with_reason(
        "new contact card taken", "; ".join(e.changes)
    ),
    "share_mode_changed": lambda e, z: "on" if e.on else "off",
    "cutover_ended": lambda e, z: _with_reason(e.outcome.replace("_", " "), e.summary),
}


def _clean(text: str) -> str:
    """One line, and no control characters: a note must not be able to drive the
    terminal (escape sequences) or break the one-event-per-line shape."""
    from cockpit.text import one_line

    return one_line(text)
