"""The record: the night's latest moments in plain words, newest first.

Notes, skip and failure reasons, decisions and their reasons, blockers and how they were
resolved, calls and what was agreed, corrections: what the DE records, where the senior
watching the screen share (or `cockpit follow`) sees it without opening the log. The
moments are the events with a replay marker (`CutoverState.recent`); each reads as its
time, the marker's glyph (the scrubber's: one glyph per kind everywhere), what kind of
moment it is, and the event's own words (`describe`, as in the log).
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll

from cockpit.journal.events import BaseEvent
from cockpit.tui.view import CockpitView
from cockpit.tui.widgets.panel import Panel, PanelText
from cockpit.tui.widgets.scrubber import MARKERS


def moment_words(event: BaseEvent) -> str:
    """What kind of moment it is, in words: the event's tag made readable."""
    tag = str(type(event).model_fields["type"].default)
    return {
        "note_added": "note",
        "checkpoint_decided": "decision",
        "escalation_called": "call",
        "ponr_crossed": "point of no return crossed",
        "cutover_ended": "ended",
    }.get(tag, tag.replace("_", " "))


class RecordPanel(VerticalScroll, Panel):
    """The latest moments of the record, newest first."""

    BORDER_TITLE = "Record"

    def compose(self) -> ComposeResult:
        yield PanelText(id="record-body")

    def show(self, view: CockpitView) -> None:
        """Redraw from the view (only when a new moment was recorded)."""
        state = view.state
        body = self.query_one("#record-body", PanelText)
        # The record changes only with an event: a frame a second costs nothing.
        drawn_from = ("record", state.last_seq)
        if body.drawn == drawn_from:
            return
        assert state.runbook is not None
        zone = state.runbook.meta.zone
        text = Text()
        for event in reversed(state.recent):
            glyph = MARKERS.get(type(event).marker or "note", ("·", ""))[0]
            text.append(f"{view.hhmm(event.at)} ", "dim")
            text.append(f"{glyph} {moment_words(event)}", "bold")
            words = event.describe(zone)
            if words:
                text.append(f": {words}")
            text.append("\n")
        if not state.recent:
            text.append("Nothing recorded yet: notes, decisions, blockers, calls.", "dim")
        self.set_title("Record · newest first" if state.recent else "Record")
        text.rstrip()
        body.draw(text, drawn_from=drawn_from)
