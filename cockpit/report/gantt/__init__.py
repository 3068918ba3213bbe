"""The planned-versus-actual chart: one model (`model`: bars laid out once, from a debrief
or from the state at a moment) and its renderings — `text` (Markdown's fenced block),
`svg` (the HTML report) here, Rich text in the replay screen's widget
(`cockpit.tui.widgets.gantt`)."""

from .model import (
    GLYPHS,
    LEGEND,
    Chart,
    ChartRow,
    Segment,
    SegmentKind,
    build_chart,
    chart_of_state,
    report_note,
)
from .svg import svg_gantt
from .text import text_gantt

__all__ = [
    "GLYPHS",
    "LEGEND",
    "Chart",
    "ChartRow",
    "Segment",
    "SegmentKind",
    "build_chart",
    "chart_of_state",
    "report_note",
    "svg_gantt",
    "text_gantt",
]
