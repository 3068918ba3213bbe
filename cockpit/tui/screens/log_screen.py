"""The journal log: every event with its time, notes included, newest last."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from cockpit.journal.describe import describe_event
from cockpit.journal.events import BaseEvent


class LogScreen(ModalScreen[None]):
    """Read the night so far, as the journal holds it."""

    BINDINGS = [Binding("escape,l,q", "dismiss", "Close", id="log.close")]

    def __init__(self, events: list[BaseEvent], timezone: str) -> None:
        super().__init__()
        self.events = events
        self.timezone = timezone

    def compose(self) -> ComposeResult:
        lines = Text()
        for event in self.events:
            line = describe_event(event, self.timezone)
            style = "bold" if event.type == "note_added" else ""  # type: ignore[attr-defined]
            lines.append(line + "\n", style)
        with VerticalScroll(classes="dialog log") as scroll:
            scroll.border_title = f"Journal · {len(self.events)} events"
            yield Static(lines)

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).scroll_end(animate=False)
