"""The journal log: every event with its time, notes included, newest last.

Following a night, the log keeps up with it: new events are added as the writer saves
them (the follower already polls the journal twice a second), and the view stays at the
end unless the reader scrolled up to read.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from cockpit.journal.describe import readable_lines
from cockpit.journal.events import BaseEvent
from cockpit.tui.safe_text import escaped

#: Seconds between looks for new events while following.
FOLLOW_EVERY = 0.5


class LogScreen(ModalScreen[None]):
    """Read the night so far, as the journal holds it (live when `refresh_events` is
    given: a follower's events, read again as they grow)."""

    BINDINGS = [Binding("escape,l,q", "dismiss", "Close", id="log.close")]

    def __init__(
        self,
        events: Sequence[BaseEvent],
        refresh_events: Callable[[], Sequence[BaseEvent]] | None = None,
    ) -> None:
        super().__init__()
        self.events = events
        self.refresh_events = refresh_events

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog log"):
            yield Static(id="log-lines")

    def on_mount(self) -> None:
        self._draw()
        self.query_one(VerticalScroll).scroll_end(animate=False)
        if self.refresh_events is not None:
            self.set_interval(FOLLOW_EVERY, self._follow)

    def _draw(self) -> None:
        lines = Text()
        for line in readable_lines(self.events):
            lines.append(line + "\n", "bold" if "note_added" in line else "")
        self.query_one("#log-lines", Static).update(escaped(lines))
        live = " · following" if self.refresh_events is not None else ""
        self.query_one(VerticalScroll).border_title = f"Journal · {len(self.events)} events{live}"

    def _follow(self) -> None:
        """New events saved by the writer: add them, and stay at the end if reading there."""
        assert self.refresh_events is not None
        events = self.refresh_events()
        if len(events) == len(self.events):
            return
        scroll = self.query_one(VerticalScroll)
        at_end = scroll.scroll_offset.y >= scroll.max_scroll_y - 1
        self.events = events
        self._draw()
        if at_end:
            scroll.scroll_end(animate=False)
