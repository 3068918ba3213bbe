"""The planned-versus-actual chart as data: bars laid out once, drawn by every rendering.

A `Chart` is one row per step — its planned bar, its actual bars (the part past the
planned minutes marked as overrun, a failed attempt marked as failed), and the same step
in a compared rehearsal when there is one — a rollback row, the window and the point of
no return, all in minutes from a round local time, with the ticks of the time axis.

It is built from either source of the night:

* `build_chart(debrief)` — from a debrief: every attempt at every step, to the journal's
  end (the debrief's Markdown and HTML draw it: `gantt.text`, `gantt.svg`);
* `chart_of_state(state, now)` — from the folded state at a moment: the latest attempt
  of each step, to that moment (the replay screen's widget draws it as Rich text,
  `cockpit.tui.widgets.gantt`).

Both lay the bars out with the same rules (`_axis`, `_bars`), so the screen and the
report show one chart. Numbers stay numbers here; each rendering words them in its own
format (`report_note` for the reports, `cockpit.text.compact_minutes` on screen).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Literal

from cockpit.core import schedule
from cockpit.core.state import CutoverState
from cockpit.text import clock_time, signed_report_minutes

if TYPE_CHECKING:
    from cockpit.report.debrief.model import Debrief

SegmentKind = Literal["plan", "actual", "overrun", "failed", "rollback", "rehearsal"]

#: Glyph of each kind of bar, wherever the chart is drawn in characters.
GLYPHS: dict[SegmentKind, str] = {
    "plan": "░",
    "actual": "█",
    "overrun": "▓",
    "failed": "▒",
    "rollback": "═",
    "rehearsal": "▄",
}
#: What each glyph means, in the legend.
LEGEND: tuple[tuple[SegmentKind, str], ...] = (
    ("plan", "planned"),
    ("actual", "actual"),
    ("overrun", "past the planned minutes"),
    ("failed", "failed attempt"),
    ("rollback", "rollback"),
    ("rehearsal", "rehearsal"),
)
_TICKS = (5, 10, 20, 30, 60, 120, 180, 240, 360, 720, 1440)


@dataclass(frozen=True, slots=True)
class Segment:
    """A bar: minutes from the chart's origin."""

    start: float
    end: float
    kind: SegmentKind
    label: str


@dataclass(frozen=True, slots=True)
class ChartRow:
    """One step (or the rollback): its planned bar, its actual bars, and what to say."""

    label: str
    planned: Segment | None
    actual: tuple[Segment, ...]
    status: str
    """The step's status (pending, running, completed, skipped, failed); a rollback row is
    `completed` once every undo is done, `undoing` until then."""
    variance: float | None
    """Actual minus planned minutes (None: nothing to compare yet)."""
    overran: bool = False
    """Past its planned minutes by the cockpit's overrun rule."""
    rehearsal: Segment | None = None
    """The same step in a compared run, drawn from this plan's start."""


@dataclass(frozen=True, slots=True)
class Chart:
    """The whole chart, in minutes from `origin` (a round local time)."""

    origin: datetime
    span: float
    rows: tuple[ChartRow, ...]
    window: tuple[float, float]
    ponr: float | None
    ticks: tuple[tuple[float, str], ...]
    zone_name: str

    def kinds(self) -> set[SegmentKind]:
        """The kinds of bar drawn (planned and actual always): what the legend lists."""
        used: set[SegmentKind] = {"plan", "actual"}
        for row in self.rows:
            used.update(segment.kind for segment in row.actual)
            if row.rehearsal is not None:
                used.add("rehearsal")
        return used


def report_note(row: ChartRow) -> str:
    """What the reports write at the end of a row: the variance, or why there is none."""
    variance = signed_report_minutes(row.variance)
    match row.status:
        case "skipped":
            return "skipped"
        case "pending":
            return "not started"
        case "undoing":
            return "not done"
        case "running" | "failed":
            return f"{variance} {row.status}"
    return variance


# ---- layout ------------------------------------------------------------------------------------


def _tick_minutes(span: float) -> int:
    """A round tick interval giving at most about eight ticks."""
    for tick in _TICKS:
        if span / tick <= 8:
            return tick
    return _TICKS[-1] * math.ceil(span / (_TICKS[-1] * 8))


class _Axis:
    """The time axis: from a round local time before the first moment, in whole ticks."""

    def __init__(self, moments: Iterable[datetime], zone: tzinfo) -> None:
        moments = list(moments)
        first, last = min(moments), max(moments)
        tick = _tick_minutes(_minutes(first, last))
        local_first = first.astimezone(zone)
        midnight = local_first.replace(hour=0, minute=0, second=0, microsecond=0)
        floored = math.floor(_minutes(midnight, local_first) / tick) * tick
        self.origin = (midnight + timedelta(minutes=floored)).astimezone(first.tzinfo)
        self.span = math.ceil(_minutes(self.origin, last) / tick) * tick or tick
        self.ticks = tuple(
            (float(minute), clock_time(self.origin + timedelta(minutes=minute), zone))
            for minute in range(0, int(self.span) + 1, tick)
        )

    def at(self, moment: datetime) -> float:
        """Minutes from the origin."""
        return _minutes(self.origin, moment)


def _minutes(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / 60


def _bars(start: float, end: float, threshold: float, *, failed: bool, what: str) -> list[Segment]:
    """One attempt's bars: failed as a whole, else actual up to `threshold` (its start plus
    the planned minutes) and overrun past it."""
    if failed:
        return [Segment(start, end, "failed", what + " (failed)")]
    bars: list[Segment] = []
    if start < min(end, threshold):
        bars.append(Segment(start, min(end, threshold), "actual", what))
    if end > max(start, threshold):
        bars.append(Segment(max(start, threshold), end, "overrun", what + " (overrun)"))
    return bars


def _rollback_row(
    axis: _Axis, started: datetime, completed: datetime | None, until: datetime, planned: int
) -> ChartRow:
    start, end = axis.at(started), axis.at(completed or until)
    return ChartRow(
        label="Rollback",
        planned=Segment(start, start + planned, "plan", f"undo planned {planned} min"),
        actual=(Segment(start, end, "rollback", "rollback"),),
        status="completed" if completed is not None else "undoing",
        variance=(end - start) - planned if completed is not None else None,
    )


# ---- from a debrief ----------------------------------------------------------------------------


def build_chart(debrief: Debrief) -> Chart:
    """Lay out the debrief's steps (every attempt), rollback, window and point of no
    return, to the journal's end."""
    times = debrief.times
    summary = debrief.summary
    end_of_journal = debrief.journal_end
    moments: list[datetime] = [summary.window_start, summary.window_end]
    for row in debrief.steps:
        moments.append(row.planned_start + timedelta(minutes=row.planned_minutes))
        moments.append(row.planned_start)
        for attempt in row.attempts:
            moments.append(attempt.started_at)
            moments.append(attempt.ended_at or end_of_journal)
    rollback = debrief.rollback
    if rollback is not None:
        moments.append(rollback.completed_at or end_of_journal)
        moments.append(rollback.started_at + timedelta(minutes=rollback.planned_minutes))
    axis = _Axis(moments, times.zone)
    at = axis.at

    rows: list[ChartRow] = []
    for row in debrief.steps:
        planned = Segment(
            at(row.planned_start),
            at(row.planned_start) + row.planned_minutes,
            "plan",
            f"planned {times.at(row.planned_start)}, {row.planned_minutes} min",
        )
        bars: list[Segment] = []
        threshold = (
            at(row.actual_start) + row.planned_minutes if row.actual_start is not None else 0.0
        )
        for number, attempt in enumerate(row.attempts, start=1):
            what = f"attempt {number}: {times.at(attempt.started_at)}–" + (
                times.at(attempt.ended_at) if attempt.ended_at else "still running"
            )
            bars += _bars(
                at(attempt.started_at),
                at(attempt.ended_at or end_of_journal),
                threshold,
                failed=attempt.result == "failed",
                what=what,
            )
        rows.append(
            ChartRow(
                label=f"{row.number} {row.title}",
                planned=planned,
                actual=tuple(bars),
                status=row.status,
                variance=row.variance,
                overran=row.overran,
            )
        )
    if rollback is not None:
        rows.append(
            _rollback_row(
                axis,
                rollback.started_at,
                rollback.completed_at,
                end_of_journal,
                rollback.planned_minutes,
            )
        )
    crossed = debrief.ponr.crossed_at
    return Chart(
        origin=axis.origin,
        span=float(axis.span),
        rows=tuple(rows),
        window=(at(summary.window_start), at(summary.window_end)),
        ponr=at(crossed) if crossed is not None else None,
        ticks=axis.ticks,
        zone_name=times.zone_name,
    )


# ---- from the state at a moment ----------------------------------------------------------------


def chart_of_state(
    state: CutoverState,
    now: datetime,
    *,
    timings: Mapping[str, schedule.StepTiming] | None = None,
    rehearsal: CutoverState | None = None,
) -> Chart:
    """Lay out the state at `now` (the latest attempt of each step, running ones to `now`),
    the rollback, window and point of no return; with `rehearsal`, the same steps as they
    ran there, drawn from this plan's start so their lengths compare.

    `timings` are the frame's (`CockpitView.timings`), computed once per frame."""
    runbook = state.runbook
    assert runbook is not None
    zone = runbook.meta.zone
    timings = timings if timings is not None else schedule.Timings(state, now)
    rehearsed = schedule.Timings(rehearsal, now) if rehearsal is not None else None
    window = schedule.window(state)
    moments = [window.start, window.end, now]
    for step in runbook.steps:
        timing = timings[step.id]
        moments += [timing.planned_start, timing.planned_end]
        if timing.actual_start is not None:
            moments.append(timing.actual_start)
    rollback = state.rollback
    undo_minutes = 0
    if rollback is not None:
        steps = {step.id: step for step in runbook.steps}
        undo_minutes = sum(
            rollback_of.minutes
            for step_id in rollback.steps
            if step_id in steps and (rollback_of := steps[step_id].rollback) is not None
        )
        moments += [rollback.started_at + timedelta(minutes=undo_minutes)]
    axis = _Axis(moments, zone)
    at = axis.at

    rows: list[ChartRow] = []
    for step in runbook.steps:
        timing = timings[step.id]
        status = state.steps[step.id].status
        planned_at = at(timing.planned_start)
        planned = Segment(
            planned_at,
            planned_at + timing.planned_minutes,
            "plan",
            f"planned {clock_time(timing.planned_start, zone)}, {timing.planned_minutes} min",
        )
        bars: list[Segment] = []
        if timing.actual_start is not None and timing.actual_minutes is not None:
            start = at(timing.actual_start)
            bars = _bars(
                start,
                start + timing.actual_minutes,
                start + timing.planned_minutes,
                failed=status == "failed",
                what=f"from {clock_time(timing.actual_start, zone)}",
            )
        other = None
        if rehearsed is not None and step.id in rehearsed:
            minutes = rehearsed[step.id].actual_minutes
            if minutes is not None:
                other = Segment(planned_at, planned_at + minutes, "rehearsal", "rehearsal")
        rows.append(
            ChartRow(
                label=step.title,
                planned=planned,
                actual=tuple(bars),
                status=status,
                variance=timing.variance_minutes,
                overran=timing.overrun,
                rehearsal=other,
            )
        )
    if rollback is not None:
        rows.append(
            _rollback_row(axis, rollback.started_at, rollback.completed_at, now, undo_minutes)
        )
    crossed = state.ponr_crossed_at
    return Chart(
        origin=axis.origin,
        span=float(axis.span),
        rows=tuple(rows),
        window=(at(window.start), at(window.end)),
        ponr=at(crossed) if crossed is not None else None,
        ticks=axis.ticks,
        zone_name=runbook.meta.timezone,
    )
