"""The planned-versus-actual chart as monospaced lines: for a fenced block in Markdown.

Draws a `Chart` (`gantt.model`) on a whole number of minutes per column, chosen so every
tick falls on a column; overruns show as their own glyph, and each row ends with its
variance in the reports' words (`report_note`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable

from cockpit.text import one_line

from .model import GLYPHS, LEGEND, Chart, Segment, report_note

#: Columns the text chart may use for the time axis.
TEXT_WIDTH = 64
#: Minutes per text column to choose from; one that divides the tick interval is taken, so
#: every tick falls on a column.
_RESOLUTIONS = (0.25, 0.5, 1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60, 120, 240)


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
        plan = paint_lane([row.planned] if row.planned is not None else [], columns, col)
        actual = paint_lane(row.actual, columns, col)
        lines.append(f"{title.ljust(label_width)} {'planned'.ljust(lane_width)} {plan}")
        lines.append(
            f"{''.ljust(label_width)} {'actual'.ljust(lane_width)} {actual}  {report_note(row)}"
        )
    lines = [line.rstrip() for line in lines]
    used = chart.kinds()
    legend = "  ".join(f"{GLYPHS[kind]} {words}" for kind, words in LEGEND if kind in used)
    marks = "[ ] window"
    if chart.ponr is not None:
        marks += "  ◆ point of no return crossed"
    lines += ["", f"{legend}", f"{marks}"]
    return lines


def paint_lane(segments: Iterable[Segment], columns: int, col: Callable[[float], int]) -> str:
    """One lane of bars, `columns` wide: each segment in its kind's glyph from `col` of its
    start to `col` of its end (one column at least, so a short bar is never lost). The
    reports' text chart and the replay screen's widget both draw lanes with it."""
    lane = [" "] * columns
    for segment in segments:
        start, end = col(segment.start), col(segment.end)
        if segment.end > segment.start:
            end = max(end, start + 1)
        for index in range(start, min(end, columns)):
            lane[index] = GLYPHS[segment.kind]
    return "".join(lane)


def _resolution_words(minutes: float) -> str:
    if minutes < 1:
        return f"{round(minutes * 60)} s"
    if minutes == int(minutes):
        return f"{int(minutes)} min"
    return f"{minutes} min"
