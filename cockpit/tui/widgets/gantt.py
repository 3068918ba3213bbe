"""The Gantt view: planned against actual bars per step, overruns visible at a glance.

The chart is the debrief's (`cockpit.report.gantt`): `chart_of_state` lays the bars out
from the state at the replay moment with the same rules as the report, and this widget
only draws them as Rich text at its width — the same glyphs (`░` planned, `█` actual, `▓`
past the planned minutes, `▒` a failed attempt, `═` the rollback, `▄` the rehearsal when
one is given), the same axis (round local times, the window's `[ ]`, `◆` where the point
of no return was crossed). Overruns are also said in words, not only by a longer bar.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll

from cockpit.core.state import CutoverState
from cockpit.report.gantt import GLYPHS, LEGEND, Chart, chart_of_state
from cockpit.report.gantt.text import paint_lane
from cockpit.text import compact_minutes
from cockpit.tui.view import CockpitView
from cockpit.tui.widgets.panel import Panel, PanelText

LABEL_WIDTH = 22


class GanttView(VerticalScroll, Panel):
    """Per step: the planned bar, the actual bar, and the rehearsal bar when compared."""

    #: In replay it stands where the timeline stands: the focus's home.
    FOCUS_HINT = ""

    BORDER_TITLE = "Planned vs actual"

    def __init__(self, *, compare: CutoverState | None = None, id: str | None = None) -> None:
        super().__init__(id=id)
        self.compare = compare

    def compose(self) -> ComposeResult:
        """The chart is one block of text, scrolled when it is taller than the panel."""
        yield PanelText(id="gantt-body")

    def on_resize(self) -> None:
        """Bars scale with the width: redraw at the new size."""
        self._redraw()

    def _redraw(self) -> None:
        if self.frame is not None:
            self.show(self.frame)

    def show(self, view: CockpitView) -> None:
        """Redraw from the view, while shown (it is drawn again when it is shown)."""
        if not self.display:
            return
        if self.scrollable_content_region.width == 0:
            # Not laid out yet (just made visible): draw once the size is known.
            self.call_after_refresh(self._redraw)
            return
        chart = chart_of_state(view.state, view.now, timings=view.timings, rehearsal=self.compare)
        width = max(self.scrollable_content_region.width - LABEL_WIDTH - 2, 10)
        # Replay redraws ten times a second; a paused one draws the same bars each time.
        self.query_one("#gantt-body", PanelText).draw(chart_text(chart, width))


def chart_text(chart: Chart, width: int) -> Text:
    """The chart as Rich text: a label column, then `width` columns of time axis."""

    def col(minute: float) -> int:
        return max(0, min(width - 1, round(minute / chart.span * (width - 1))))

    body = Text()
    labels = [" "] * width
    axis = ["·"] * width
    for minute, tick in chart.ticks:
        at = col(minute)
        axis[at] = "|"
        # A label only where it fits, clear of its neighbour: a wrapped axis misleads.
        fits = at + len(tick) <= width
        if fits and all(ch == " " for ch in labels[max(at - 1, 0) : at + len(tick)]):
            labels[at : at + len(tick)] = list(tick)
    axis[col(chart.window[0])], axis[col(chart.window[1])] = "[", "]"
    if chart.ponr is not None:
        axis[col(chart.ponr)] = "◆"
    pad = " " * (LABEL_WIDTH + 1)
    body.append(f"{pad}{''.join(labels).rstrip()}\n{pad}{''.join(axis)}\n", "dim")
    compared = any(row.rehearsal is not None for row in chart.rows)
    for row in chart.rows:
        body.append(f"{row.label[: LABEL_WIDTH - 1].ljust(LABEL_WIDTH)} ", "bold")
        planned = [row.planned] if row.planned is not None else []
        body.append(paint_lane(planned, width, col).rstrip() + "\n", "dim")
        body.append(" " * (LABEL_WIDTH - 7) + "actual  ", "dim")
        if row.actual:
            body.append(paint_lane(row.actual, width, col).rstrip())
            if row.overran:
                body.append(f" OVERRUN +{compact_minutes(row.variance)}", "bold reverse")
        else:
            body.append(row.status, "dim italic")
        body.append("\n")
        if compared:
            body.append(" " * (LABEL_WIDTH - 10) + "rehearsal  ", "dim")
            if row.rehearsal is not None:
                body.append(paint_lane([row.rehearsal], width, col).rstrip())
                minutes = row.rehearsal.end - row.rehearsal.start
                body.append(f" {compact_minutes(minutes)}", "dim")
            body.append("\n")
    used = chart.kinds()
    legend = "  ".join(f"{GLYPHS[kind]} {words}" for kind, words in LEGEND if kind in used)
    marks = "[ ] window" + ("  ◆ point of no return crossed" if chart.ponr is not None else "")
    body.append(f"\n{legend}\n{marks}", "dim")
    return body
