"""The journal log: every event with its time, notes included, newest last."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from cockpit.journal.describe import readable_lines
from cockpit.journal.events import BaseEvent
from cockpit.tui.safe_text import escaped


class LogScreen(ModalScreen[None]):
    """Read the night so far, as the journal holds it."""

    BINDINGS = [Binding("escape,l,q", "dismiss", "Close", id="log.close")]

    def __init__(self, events: Sequence[BaseEvent]) -> None:
        super().__init__()
        self.events = events

    def compose(self) -> ComposeResult:
        lines = Text()
        for line in readable_lines(self.events):
            lines.append(line + "\n", "bold" if "note_added" in line else "")
        with VerticalScroll(classes="dialog log") as scroll:
            scroll.border_title = f"Journal · {len(self.events)} events"
            yield Static(escaped(lines))

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).scroll_end(animate=False)
