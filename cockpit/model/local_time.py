"""Local times the clocks skip or repeat: the nights daylight saving changes.

A window is written in local time, the way the change ticket gives it. Twice a year that
is not enough to name a moment: on a spring-forward night 02:30 does not exist (the clocks
jump from 02:00 to 03:00), on a fall-back night 01:30 happens twice. `zoneinfo` quietly
picks one reading (`fold=0`): a skipped time is read with the offset before the jump
(02:30 becomes 03:30, and a window 02:30–03:20 ends before it starts), a repeated time is
its first occurrence. So the loader refuses a skipped time, `cockpit check` warns about a
repeated one and about a window the clocks change inside, and every length is measured
between the real instants, never by subtracting wall-clock times.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True, slots=True)
class ClockChange:
    """One change of a zone's offset, as the clock on the wall shows it."""

    at_utc: datetime
    """The instant of the change."""
    wall_before: datetime
    """What the clock showed when it changed (02:00), naive local time."""
    wall_after: datetime
    """What it showed right after (03:00 in spring, 01:00 in autumn), naive local time."""
    name_before: str
    """The zone's abbreviation before the change (CDT), or its offset when it has none."""
    name_after: str
    """The abbreviation after the change (CST)."""

    @property
    def forward(self) -> bool:
        """The clocks jump forward: the local times in between do not exist."""
        return self.wall_after > self.wall_before

    def describe(self) -> str:
        """'the clocks jump from 02:00 to 03:00' or 'the clocks go back from 02:00 to 01:00'."""
        how = "jump" if self.forward else "go back"
        if self.wall_before.date() != self.wall_after.date():  # Samoa skipped a whole day
            return (
                f"the clocks {how} from {self.wall_before:%H:%M on %Y-%m-%d} "
                f"to {self.wall_after:%H:%M on %Y-%m-%d}"
            )
        return f"the clocks {how} from {self.wall_before:%H:%M} to {self.wall_after:%H:%M}"


def local_to_utc(local: datetime, zone: ZoneInfo) -> datetime:
    """The instant a naive local time names: the first of two when the hour repeats."""
    return local.replace(tzinfo=zone, fold=0).astimezone(UTC)


def utc_offset_text(offset: timedelta | None) -> str:
    """'UTC-05:00' (or 'UTC+05:45'): an offset as people write it."""
    seconds = int(offset.total_seconds()) if offset is not None else 0
    sign = "-" if seconds < 0 else "+"
    hours, rest = divmod(abs(seconds), 3600)
    return f"UTC{sign}{hours:02d}:{rest // 60:02d}"


def clock_change_at(local: datetime, zone: ZoneInfo) -> ClockChange | None:
    """The change that makes `local` skipped (`forward`) or repeated, or None.

    None means the local time names exactly one instant, as on every other night.
    """
    first = local.replace(tzinfo=zone, fold=0)
    second = local.replace(tzinfo=zone, fold=1)
    if first.utcoffset() == second.utcoffset():
        return None
    # Both readings lie within the change: it is the one between them.
    ends = sorted((first.astimezone(UTC), second.astimezone(UTC)))
    return _change_between(ends[0], ends[1], zone)


def clock_changes_between(
    start_utc: datetime, end_utc: datetime, zone: ZoneInfo
) -> list[ClockChange]:
    """The changes of `zone`'s offset after `start_utc` and up to `end_utc`, in order.

    Found by halving, so a window of two days costs a few dozen look-ups. Two changes
    that cancel out inside the span (none in the real world's tzdata within days of each
    other) would be missed; a window is at most 48 hours.
    """
    changes: list[ClockChange] = []
    lo = start_utc
    while lo < end_utc and _offset(lo, zone) != _offset(end_utc, zone):
        change = _change_between(lo, end_utc, zone)
        changes.append(change)
        lo = change.at_utc
    return changes


def _offset(instant: datetime, zone: ZoneInfo) -> timedelta | None:
    return instant.astimezone(zone).utcoffset()


def _change_between(lo: datetime, hi: datetime, zone: ZoneInfo) -> ClockChange:
    """The first change after `lo` (whose offset differs from `hi`'s), to the second."""
    before = lo.astimezone(zone)
    while hi - lo > timedelta(seconds=1):
        middle = lo + timedelta(seconds=(hi - lo).total_seconds() // 2)
        if _offset(middle, zone) == before.utcoffset():
            lo = middle
        else:
            hi = middle
    # Changes happen on a whole second, and `hi` is less than a second past it.
    at_utc = hi.replace(microsecond=0)
    after = at_utc.astimezone(zone)
    offset_before = before.utcoffset() or timedelta(0)
    offset_after = after.utcoffset() or timedelta(0)
    wall = at_utc.replace(tzinfo=None)
    return ClockChange(
        at_utc=at_utc,
        wall_before=wall + offset_before,
        wall_after=wall + offset_after,
        name_before=before.tzname() or utc_offset_text(offset_before),
        name_after=after.tzname() or utc_offset_text(offset_after),
    )
