"""The Gantt view: planned against actual bars per step, overruns visible at a glance.

Drawn with block characters on one shared time axis: `░` planned, `█` actual, `▒` the
rehearsal when one is given. Overruns are marked with a word, not only a longer bar.
"""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from cockpit.core import schedule
from cockpit.core.state import CutoverState
from cockpit.tui.safe_text import show as show_text
from cockpit.tui.view import CockpitView, minutes_text

LABEL_WIDTH = 22


class GanttView(VerticalScroll):
    """Per step: the planned bar, the actual bar, and the rehearsal bar when compared."""

    BORDER_TITLE = "Planned vs actual"

    def __init__(self, *, compare: CutoverState | None = None, id: str | None = None) -> None:
        super().__init__(id=id)
        self.compare = compare

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static(id="gantt-body")

    _last: CockpitView | None = None

    def on_resize(self) -> None:
        """Bars scale with the width: redraw at the new size."""
        if self._last is not None:
            self.show(self._last)

    def show(self, view: CockpitView) -> None:
        """Redraw from the view."""
        self._last = view
        if self.scrollable_content_region.width == 0:
            # Not laid out yet (just made visible): draw once the size is known.
            self.call_after_refresh(lambda: self._last and self.show(self._last))
            return
        state = view.state
        assert state.runbook is not None
        timings = list(view.timings.values())
        starts = [t.planned_start for t in timings] + [
            t.actual_start for t in timings if t.actual_start is not None
        ]
        ends = [t.planned_end for t in timings] + [view.now]
        first, last = min(starts), max(ends)
        width = max(self.scrollable_content_region.width - LABEL_WIDTH - 2, 10)
        span = max((last - first).total_seconds(), 60.0)

        def col(moment: datetime) -> int:
            return max(0, min(int((moment - first).total_seconds() / span * width), width - 1))

        def bar(start: datetime, minutes: float, glyph: str) -> str:
            begin = col(start)
            length = max(1, round(minutes * 60 / span * width))
            return (" " * begin + glyph * length)[:width]

        rehearsal = schedule.timings(self.compare, view.now) if self.compare else None
        body = Text()
        zone = state.runbook.meta.zone
        body.append(" " * (LABEL_WIDTH + 1))
        body.append(f"{first.astimezone(zone):%H:%M}".ljust(max(width - 5, 6)), "dim")
        body.append(f"{last.astimezone(zone):%H:%M}\n", "dim")
        for index, (step, timing) in enumerate(zip(state.runbook.steps, timings, strict=True)):
            label = step.title[: LABEL_WIDTH - 1].ljust(LABEL_WIDTH)
            body.append(f"{label} ", "bold")
            body.append(bar(timing.planned_start, timing.planned_minutes, "░") + "\n", "dim")
            note = ""
            if timing.overrun:
                note = f" OVERRUN +{minutes_text(timing.variance_minutes)}"
            status = state.steps[step.id].status
            body.append(" " * (LABEL_WIDTH - 7) + "actual  ", "dim")
            if timing.actual_start is not None and timing.actual_minutes is not None:
                body.append(bar(timing.actual_start, timing.actual_minutes, "█"))
                body.append(note, "bold reverse" if note else "")
            else:
                body.append(status, "dim italic")
            body.append("\n")
            if rehearsal is not None and self.compare is not None:
                rehearsed = rehearsal[index] if index < len(rehearsal) else None
                body.append(" " * (LABEL_WIDTH - 10) + "rehearsal  ", "dim")
                if rehearsed is not None and rehearsed.actual_minutes is not None:
                    body.append(bar(timing.planned_start, rehearsed.actual_minutes, "▒"))
                    body.append(f" {minutes_text(rehearsed.actual_minutes)}", "dim")
                body.append("\n")
        body.append("\n░ planned  █ actual" + ("  ▒ rehearsal" if self.compare else ""), "dim")
        # Replay redraws ten times a second; a paused one draws the same bars each time.
        show_text(self.query_one("#gantt-body", Static), body)
