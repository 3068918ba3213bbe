"""The planned-versus-actual chart of a debrief: a text Gantt for Markdown, an SVG for HTML.

`build_chart(debrief)` lays the night out once — one row per step with its planned bar and
its actual bars (each attempt; the part past the planned minutes marked as overrun), a
rollback row, the window and the point of no return — in minutes from a round local time.
`text_gantt` and `svg_gantt` only draw that layout, so both formats show the same chart.
Overruns are visible without colour: a different glyph (text) or hatching (SVG), and the
variance printed at the end of each row.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from cockpit.text import one_line, signed_report_minutes

from .debrief.model import Debrief
from .debrief.words import minutes_between

SegmentKind = Literal["plan", "actual", "overrun", "failed", "rollback"]

#: Text glyph of each kind of bar.
GLYPHS: dict[str, str] = {
    "plan": "░",
    "actual": "█",
    "overrun": "▓",
    "failed": "▒",
    "rollback": "═",
}
#: What each glyph means, in the legend.
LEGEND: tuple[tuple[str, str], ...] = (
    ("plan", "planned"),
    ("actual", "actual"),
    ("overrun", "past the planned minutes"),
    ("failed", "failed attempt"),
    ("rollback", "rollback"),
)
#: Columns the text chart may use for the time axis.
TEXT_WIDTH = 64
#: Minutes per text column to choose from; one that divides the tick interval is taken, so
#: every tick falls on a column.
_RESOLUTIONS = (0.25, 0.5, 1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60, 120, 240)
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
    """One step (or the rollback): its planned bar and its actual bars."""

    label: str
    planned: Segment | None
    actual: tuple[Segment, ...]
    note: str


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


def build_chart(debrief: Debrief) -> Chart:
    """Lay out the debrief's steps, rollback, window and point of no return."""
    times = debrief.times
    summary = debrief.summary
    moments: list[datetime] = [summary.window_start, summary.window_end]
    for row in debrief.steps:
        moments.append(row.planned_start + timedelta(minutes=row.planned_minutes))
        moments.append(row.planned_start)
        for attempt in row.attempts:
            moments.append(attempt.started_at)
            moments.append(attempt.ended_at or debrief.journal_end)
    rollback = debrief.rollback
    if rollback is not None:
        moments.append(rollback.completed_at or debrief.journal_end)
        moments.append(rollback.started_at + timedelta(minutes=rollback.planned_minutes))
    first, last = min(moments), max(moments)
    tick = _tick_minutes(minutes_between(first, last))
    local_first = first.astimezone(times.zone)
    midnight = local_first.replace(hour=0, minute=0, second=0, microsecond=0)
    floored = math.floor(minutes_between(midnight, local_first) / tick) * tick
    origin = (midnight + timedelta(minutes=floored)).astimezone(first.tzinfo)
    span = math.ceil(minutes_between(origin, last) / tick) * tick or tick

    def at(moment: datetime) -> float:
        return minutes_between(origin, moment)

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
            start = at(attempt.started_at)
            end = at(attempt.ended_at or debrief.journal_end)
            what = f"attempt {number}: {times.at(attempt.started_at)}–" + (
                times.at(attempt.ended_at) if attempt.ended_at else "still running"
            )
            if attempt.result == "failed":
                bars.append(Segment(start, end, "failed", what + " (failed)"))
                continue
            if start < min(end, threshold):
                bars.append(Segment(start, min(end, threshold), "actual", what))
            if end > max(start, threshold):
                bars.append(Segment(max(start, threshold), end, "overrun", what + " (overrun)"))
        rows.append(
            ChartRow(
                label=f"{row.number} {row.title}",
                planned=planned,
                actual=tuple(bars),
                note=_row_note(row.status, row.variance),
            )
        )
    if rollback is not None:
        start = at(rollback.started_at)
        end = at(rollback.completed_at or debrief.journal_end)
        rows.append(
            ChartRow(
                label="Rollback",
                planned=Segment(
                    start,
                    start + rollback.planned_minutes,
                    "plan",
                    f"undo planned {rollback.planned_minutes} min",
                ),
                actual=(Segment(start, end, "rollback", "rollback"),),
                note=signed_report_minutes(rollback.total_minutes - rollback.planned_minutes)
                if rollback.completed_at
                else "not done",
            )
        )
    ticks = tuple(
        (float(minute), f"{(origin + timedelta(minutes=minute)).astimezone(times.zone):%H:%M}")
        for minute in range(0, int(span) + 1, tick)
    )
    ponr = at(debrief.ponr.crossed_at) if debrief.ponr.crossed_at is not None else None
    return Chart(
        origin=origin,
        span=float(span),
        rows=tuple(rows),
        window=(at(summary.window_start), at(summary.window_end)),
        ponr=ponr,
        ticks=ticks,
        zone_name=times.zone_name,
    )


def _row_note(status: str, variance: float | None) -> str:
    if status == "skipped":
        return "skipped"
    if status == "pending":
        return "not started"
    if status == "running":
        return f"{signed_report_minutes(variance)} running"
    if status == "failed":
        return f"{signed_report_minutes(variance)} failed"
    return signed_report_minutes(variance)


def _tick_minutes(span: float) -> int:
    """A round tick interval giving at most about eight ticks."""
    for tick in _TICKS:
        if span / tick <= 8:
            return tick
    return _TICKS[-1] * math.ceil(span / (_TICKS[-1] * 8))


# ---- text ------------------------------------------------------------------------------------


def text_gantt(chart: Chart, width: int = TEXT_WIDTH) -> list[str]:
    """The chart as monospaced lines (for a fenced block in Markdown)."""
    tick = chart.ticks[1][0] - chart.ticks[0][0] if len(chart.ticks) > 1 else chart.span
    resolution = next(
        (
            r
            for r in _RESOLUTIONS
            if chart.span / r <= width and abs(tick / r - round(tick / r)) < 1e-9
        ),
        tick,
    )
    columns = math.ceil(chart.span / resolution) + 1
    # Step titles come from the runbook: shown escaped, never as terminal controls.
    labels_shown = [one_line(row.label) for row in chart.rows]
    label_width = min(max((len(label) for label in labels_shown), default=0), 26)
    lane_width = len("planned")
    left = label_width + 1 + lane_width + 1

    def col(minute: float) -> int:
        return max(0, min(columns - 1, round(minute / resolution)))

    labels = [" "] * (columns + 6)
    axis = ["·"] * columns
    for minute, text in chart.ticks:
        position = col(minute)
        axis[position] = "|"
        if all(ch == " " for ch in labels[max(position - 1, 0) : position + len(text)]):
            labels[position : position + len(text)] = list(text)
    window_start, window_end = (col(m) for m in chart.window)
    axis[window_start], axis[window_end] = "[", "]"
    if chart.ponr is not None:
        axis[col(chart.ponr)] = "◆"
    scale = _resolution_words(resolution)
    lines = [
        f"Times in {chart.zone_name}; one column = {scale}.",
        " " * left + "".join(labels).rstrip(),
        " " * left + "".join(axis),
    ]
    for row, label in zip(chart.rows, labels_shown, strict=True):
        title = label if len(label) <= label_width else label[: label_width - 1] + "…"
        plan = [" "] * columns
        if row.planned is not None:
            _paint(plan, row.planned, col)
        actual = [" "] * columns
        for segment in row.actual:
            _paint(actual, segment, col)
        lines.append(f"{title.ljust(label_width)} {'planned'.ljust(lane_width)} {''.join(plan)}")
        lines.append(
            f"{''.ljust(label_width)} {'actual'.ljust(lane_width)} {''.join(actual)}  {row.note}"
        )
    lines = [line.rstrip() for line in lines]
    used = {"plan", "actual"} | {s.kind for row in chart.rows for s in row.actual}
    legend = "  ".join(f"{GLYPHS[kind]} {words}" for kind, words in LEGEND if kind in used)
    marks = "[ ] window"
    if chart.ponr is not None:
        marks += "  ◆ point of no return crossed"
    lines += ["", f"{legend}", f"{marks}"]
    return lines


def _paint(lane: list[str], segment: Segment, col: Callable[[float], int]) -> None:
    start, end = col(segment.start), col(segment.end)
    if segment.end > segment.start:
        end = max(end, start + 1)
    for index in range(start, min(end, len(lane))):
        lane[index] = GLYPHS[segment.kind]


def _resolution_words(minutes: float) -> str:
    if minutes < 1:
        return f"{round(minutes * 60)} s"
    if minutes == int(minutes):
        return f"{int(minutes)} min"
    return f"{minutes} min"


# ---- SVG --------------------------------------------------------------------------------------

_SVG_WIDTH = 820
_SVG_LABEL = 230
_SVG_NOTE = 90
_SVG_ROW = 26
_SVG_TOP = 34


def svg_gantt(chart: Chart) -> str:
    """The chart as an inline SVG element (classes styled by the HTML report's CSS)."""
    from html import escape  # here: the Markdown report does not load `html`

    plot = _SVG_WIDTH - _SVG_LABEL - _SVG_NOTE
    height = _SVG_TOP + _SVG_ROW * len(chart.rows) + 40

    def x(minute: float) -> float:
        return _SVG_LABEL + plot * max(0.0, min(minute, chart.span)) / chart.span

    out: list[str] = [
        f'<svg class="gantt" viewBox="0 0 {_SVG_WIDTH} {height}" role="img" '
        f'aria-labelledby="gantt-title">',
        '<title id="gantt-title">Planned versus actual, per step</title>',
        "<defs>"
        '<pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" class="g-overrun"/>'
        '<line x1="0" y1="0" x2="0" y2="6" class="g-hatch"/></pattern>'
        "</defs>",
    ]
    bottom = _SVG_TOP + _SVG_ROW * len(chart.rows)
    window_x = x(chart.window[0])
    out.append(
        f'<rect class="g-window" x="{window_x:.1f}" y="{_SVG_TOP - 6}" '
        f'width="{x(chart.window[1]) - window_x:.1f}" height="{bottom - _SVG_TOP + 6}">'
        "<title>maintenance window</title></rect>"
    )
    for minute, text in chart.ticks:
        tick_x = x(minute)
        out.append(
            f'<line class="g-tick" x1="{tick_x:.1f}" y1="{_SVG_TOP - 8}" '
            f'x2="{tick_x:.1f}" y2="{bottom}"/>'
            f'<text class="g-axis" x="{tick_x:.1f}" y="{_SVG_TOP - 12}" '
            f'text-anchor="middle">{escape(text)}</text>'
        )
    for index, row in enumerate(chart.rows):
        top = _SVG_TOP + index * _SVG_ROW
        out.append(
            f'<text class="g-label" x="{_SVG_LABEL - 8}" y="{top + 16}" '
            f'text-anchor="end">{escape(_shorten(one_line(row.label), 34))}</text>'
        )
        if row.planned is not None:
            out.append(_svg_bar(row.planned, x, top + 3, 7))
        for segment in row.actual:
            out.append(_svg_bar(segment, x, top + 11, 11))
        out.append(
            f'<text class="g-note" x="{_SVG_WIDTH - _SVG_NOTE + 6}" y="{top + 16}">'
            f"{escape(row.note)}</text>"
        )
    if chart.ponr is not None:
        ponr_x = x(chart.ponr)
        out.append(
            f'<line class="g-ponr" x1="{ponr_x:.1f}" y1="{_SVG_TOP - 6}" '
            f'x2="{ponr_x:.1f}" y2="{bottom}"><title>point of no return crossed</title></line>'
        )
    legend_y = bottom + 24
    legend_x = _SVG_LABEL - 120
    used = {"plan", "actual"} | {s.kind for row in chart.rows for s in row.actual}
    for kind, words in (*(entry for entry in LEGEND if entry[0] in used), ("window", "window")):
        css = {"window": "g-window-key", "overrun": "g-over"}.get(kind, f"g-{kind}")
        fill = ' fill="url(#hatch)"' if kind == "overrun" else ""
        out.append(
            f'<rect class="{css}"{fill} x="{legend_x}" y="{legend_y - 9}" width="14" height="10"/>'
            f'<text class="g-axis" x="{legend_x + 18}" y="{legend_y}">{escape(words)}</text>'
        )
        legend_x += 26 + 6 * len(words)
    if chart.ponr is not None:
        out.append(
            f'<line class="g-ponr" x1="{legend_x + 7}" y1="{legend_y - 11}" '
            f'x2="{legend_x + 7}" y2="{legend_y + 2}"/>'
            f'<text class="g-axis" x="{legend_x + 14}" y="{legend_y}">point of no return</text>'
        )
    out.append("</svg>")
    return "\n".join(out)


def _svg_bar(segment: Segment, x: Callable[[float], float], y: float, height: float) -> str:
    from html import escape

    left = x(segment.start)
    width = max(x(segment.end) - left, 1.5 if segment.end > segment.start else 0.0)
    fill = ' fill="url(#hatch)"' if segment.kind == "overrun" else ""
    css = "g-over" if segment.kind == "overrun" else f"g-{segment.kind}"
    return (
        f'<rect class="{css}"{fill} x="{left:.1f}" y="{y:.1f}" '
        f'width="{width:.1f}" height="{height:.1f}"><title>{escape(segment.label)}</title></rect>'
    )


def _shorten(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"
