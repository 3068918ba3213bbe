"""How the debrief writes times and counts.

Times are shown in the runbook's zone through `LocalTimes`, relative to the night of the
window, each time of day by `cockpit.text.clock_time` (so the repeated hour of a
fall-back night is named); counts with their noun. Durations are `cockpit.text`'s
`report_minutes`, the format every report and the paper share. Everything here is pure
and locale-free, so the same journal gives the same words wherever the report is made.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

from cockpit.text import clock_time, report_minutes, signed_report_minutes

if TYPE_CHECKING:
    from .model import Summary

# ---- time in the runbook's zone ------------------------------------------------------------

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_ONE_MINUTE = timedelta(minutes=1)
_NEVER = datetime.min.replace(tzinfo=UTC)


def _spell(day: date) -> str:
    """`Tue 24 Nov 2026`."""
    return f"{_DAYS[day.weekday()]} {day.day:02d} {_MONTHS[day.month - 1]} {day.year}"


@dataclass(slots=True)
class _ShownMinute:
    """One minute as `LocalTimes.at` shows it: moments from `start` up to `end`."""

    start: datetime = _NEVER
    end: datetime = _NEVER
    """Empty until a minute is shown (`start` is not before `end`)."""
    text: str = ""


@dataclass(frozen=True, slots=True)
class LocalTimes:
    """Shows moments in the runbook's time zone, relative to the night of the window.

    Day and month names are spelled here, not by `strftime`, so the report does not
    depend on the machine's locale.
    """

    zone: tzinfo
    zone_name: str
    day: date
    """The local date the window (in force) starts on."""
    _offsets: dict[int, timedelta] = field(default_factory=dict, compare=False, repr=False)
    _shown: dict[int, str] = field(default_factory=dict, compare=False, repr=False)
    _days_off: dict[int, tuple[str, str]] = field(default_factory=dict, compare=False, repr=False)
    _last: _ShownMinute = field(default_factory=_ShownMinute, compare=False, repr=False)
    """The minute `at` showed last: a long night's notes come in time order, several to a
    minute, and two comparisons are cheaper than working out the minute."""

    def local(self, moment: datetime) -> datetime:
        """`moment` as a naive local time."""
        return moment.astimezone(UTC).replace(tzinfo=None) + self._offset(moment)

    def _offset(self, moment: datetime, bucket: int | None = None) -> timedelta:
        """The zone's offset at `moment`, cached per quarter hour (`bucket`; zones change
        offset only on quarter hours): a long night has many notes to time."""
        if bucket is None:
            bucket = int(moment.timestamp() // 900)
        offset = self._offsets.get(bucket)
        if offset is None:
            offset = moment.astimezone(self.zone).utcoffset() or timedelta(0)
            self._offsets[bucket] = offset
        return offset

    def at(self, moment: datetime | None) -> str:
        """`02:45` on the window's day, `00:15 (+1d)` a day off, a full date further."""
        if moment is None:
            return "—"
        last = self._last
        if last.start <= moment < last.end:
            return last.text
        minute = int(moment.timestamp() // 60)
        shown = self._shown.get(minute)
        if shown is None:
            shown = self._minute(moment, minute)
            self._shown[minute] = shown
        last.start = datetime.fromtimestamp(minute * 60, UTC)
        last.end = last.start + _ONE_MINUTE
        last.text = shown
        return shown

    def _minute(self, moment: datetime, minute: int) -> str:
        """What `at` shows for `moment`, the `minute`th minute since the epoch (UTC).

        Called once per minute shown (`at` caches the answer), so the time of day can be
        `clock_time`'s, the same as on screen and on paper."""
        offset = self._offset(moment, minute // 15)
        if offset.microseconds or offset.seconds % 60:  # a historical, odd-second offset
            days = (self.local(moment).date() - self.day).days
        else:
            day = (minute + (offset.days * 86400 + offset.seconds) // 60) // 1440
            days = day - (self.day.toordinal() - _EPOCH_ORDINAL)
        clock = clock_time(moment, self.zone)
        if not days:
            return clock
        before, after = self._days_off.get(days) or self._day_words(days)
        return f"{before}{clock}{after}"

    def _day_words(self, days: int) -> tuple[str, str]:
        """What goes around the time of day `days` days off the window's day."""
        words = (
            ("", f" ({days:+d}d)")
            if abs(days) == 1
            else (f"{_spell(self.day + timedelta(days=days))} ", "")
        )
        self._days_off[days] = words
        return words

    def date(self, moment: datetime) -> str:
        """`Tue 24 Nov 2026`, in the runbook's zone."""
        return _spell(moment.astimezone(self.zone))

    def full(self, moment: datetime | None) -> str:
        """`Tue 24 Nov 2026 02:45`."""
        if moment is None:
            return "—"
        return f"{self.date(moment)} {clock_time(moment, self.zone)}"


def minutes_between(start: datetime, end: datetime) -> float:
    """Minutes from `start` to `end` (negative when `end` is earlier)."""
    return (end - start).total_seconds() / 60


def plural(count: int, word: str, words: str | None = None) -> str:
    """`1 blocker`, `2 blockers`."""
    return f"{count} {word if count == 1 else (words or word + 's')}"


def totals_text(summary: Summary) -> str:
    """Planned against actual minutes for the whole run, honest about unfinished runs."""
    planned = f"{report_minutes(summary.planned_minutes)} planned"
    if summary.actual_minutes is None:
        return f"{planned}; no step was started"
    actual = f"{planned}, {report_minutes(summary.actual_minutes)} actual"
    if not summary.ended:
        actual += " so far"
    if summary.steps_done < summary.steps_total:
        return f"{actual}, with {summary.steps_done} of {summary.steps_total} steps done"
    return f"{actual} ({signed_report_minutes(summary.actual_minutes - summary.planned_minutes)})"


def sessions_text(sessions: int) -> str:
    """`1 session`, `2 sessions (started again once)`."""
    restarts = sessions - 1
    if restarts <= 0:
        return plural(sessions, "session")
    again = {1: "once", 2: "twice"}.get(restarts, f"{restarts} times")
    return f"{sessions} sessions (started again {again})"
