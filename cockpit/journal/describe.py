"""One readable line per event: `cockpit log`, the log screen and replay share it.

Times are shown in the runbook's time zone (from the snapshot in the first event); in the
hour a fall-back night repeats, with the zone's abbreviation (`cockpit.text.clock_time`).
Text is cleaned of control characters so a note cannot drive the terminal. The words of
each event are its own (`BaseEvent.describe`, declared with the event type); a correction
(an event whose replay marker is "correction": a step reopened, a tick or a note
withdrawn) is marked here, once for every event type that is one, so it never reads as
an ordinary line.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo

from cockpit.journal.events import BaseEvent, CutoverStarted
from cockpit.text import clock_time, one_line

#: Before a correction's words: the replay scrubber's glyph for corrections, and the word.
CORRECTION_MARK = "↺ CORRECTION: "


def readable_lines(events: Sequence[BaseEvent]) -> list[str]:
    """`#seq  HH:MM:SS  type  detail` lines, with a dated heading whenever the day turns.

    In the hour a fall-back night repeats, the time carries the zone's abbreviation
    (`01:30:00 CDT`, then `01:30:00 CST`) and the other lines' columns stay aligned.
    """
    if not events:
        return ["(no events: this journal is empty)"]
    zone = runbook_zone(events)
    seq_width = len(str(events[-1].seq)) + 1
    tag_of = {cls: cls.model_fields["type"].default for cls in {type(e) for e in events}}
    corrections = {cls for cls in tag_of if cls.marker == "correction"}
    tags = [tag_of[type(event)] for event in events]
    type_width = max(len(tag) for tag in tags)
    clocks = [clock_time(event.at, zone, seconds=True) for event in events]
    clock_width = max(len(clock) for clock in clocks)
    lines: list[str] = []
    day = None
    for event, tag, clock in zip(events, tags, clocks, strict=True):
        local = event.at.astimezone(zone)
        if local.date() != day:
            day = local.date()
            lines.append(f"{local:%A %d %B %Y} ({_zone_name(zone)})")
        detail = _clean(event.describe(zone))
        if type(event) in corrections:
            detail = CORRECTION_MARK + detail
        seq = f"#{event.seq}".ljust(seq_width)
        time = clock.ljust(clock_width)
        lines.append(f"{seq}  {time}  {tag.ljust(type_width)}  {detail}".rstrip())
    return lines


def runbook_zone(events: Sequence[BaseEvent]) -> tzinfo:
    """The runbook's time zone, from the snapshot in the first event (UTC if unknown)."""
    from datetime import UTC
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    first = events[0] if events else None
    name = ""
    if isinstance(first, CutoverStarted):
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


def _clean(text: str) -> str:
    """One line, and no control characters: a note must not be able to drive the
    terminal (escape sequences) or break the one-event-per-line shape."""
    return one_line(text)
