"""The replay screen: the cockpit as it was at any moment, with a scrubber and playback.

It is the cockpit screen with a read-only `Replay` source: every writing key is hidden,
and the replay keys move the moment. Playback advances the replay clock by real elapsed
time times the speed, so 60× plays an hour in a minute.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import OptionList

from cockpit.core.state import CutoverState
from cockpit.replay import SPEEDS, Replay
from cockpit.tui.screens.cockpit_screen import CockpitScreen
from cockpit.tui.screens.modals import AskText
from cockpit.tui.widgets.gantt import GanttView
from cockpit.tui.widgets.scrubber import Scrubber
from cockpit.tui.widgets.timeline import Timeline


def _r(key: str, action: str, description: str, tooltip: str, **extra: Any) -> Binding:
    return Binding(key, action, description, tooltip=tooltip, id=f"replay.{action}", **extra)


class ReplayScreen(CockpitScreen):
    """Walk the night: step, play, jump to markers, search, and the Gantt view."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority: the timeline list would otherwise take the arrows and home/end.
        _r("left", "step(-1)", "Prev", "Previous event", key_display="←", priority=True),
        _r("right", "step(1)", "Next", "Next event", key_display="→", priority=True),
        _r("shift+left", "shift(-5)", "-5m", "Back five minutes", show=False, priority=True),
        _r("shift+right", "shift(5)", "+5m", "Forward five minutes", show=False, priority=True),
        _r("space", "play", "Play/pause", "Play or pause the replay"),
        _r("plus,equals_sign", "speed(1)", "Faster", "Faster: 1×, 10×, 60×, 600×", key_display="+"),
        _r("minus", "speed(-1)", "Slower", "Slower", key_display="-"),
        _r("home", "home", "Start", "Jump to the first event", show=False, priority=True),
        _r("end", "end", "End", "Jump to the last event", show=False, priority=True),
        _r("left_square_bracket", "marker(False)", "Prev mark", "Previous marker", key_display="["),
        _r("right_square_bracket", "marker(True)", "Next mark", "Next marker", key_display="]"),
        _r("slash", "search", "Search", "Search events and notes", key_display="/"),
        _r("n", "search_next", "Next match", "Next search match"),
        _r("v", "gantt", "Gantt", "Switch the timeline to planned-vs-actual bars"),
    ]

    def __init__(self, source: Replay, *, compare: CutoverState | None = None) -> None:
        super().__init__(source)
        self.replay = source
        self.compare = compare
        self.playing = False
        self.speed_index = 0
        self.query_text = ""
        self.status = source.notice
        self._last_tick = self.monotonic()

    def compose_below(self) -> ComposeResult:
        yield Scrubber(id="scrubber")

    def on_mount(self) -> None:
        super().on_mount()
        gantt = GanttView(compare=self.compare, id="gantt").data_bind(CockpitScreen.frame)
        gantt.display = False
        self.query_one("#left").mount(gantt, before=self.query_one("#record"))
        self.set_interval(0.1, self._play_tick)
        if self.replay.notice:
            self.notify(self.replay.notice, title="Replay", severity="warning", timeout=20)

    # ---- drawing -------------------------------------------------------------------

    def refresh_view(self) -> None:
        """Redraw the panels (the Gantt view among them) and the scrubber."""
        super().refresh_view()
        self.query_one(Scrubber).show(
            self.replay, playing=self.playing, speed=SPEEDS[self.speed_index], status=self.status
        )

    def tick(self) -> None:
        """The replay clock moves only by playback or keys, not by the wall clock."""

    def _play_tick(self) -> None:
        now = self.monotonic()
        elapsed, self._last_tick = now - self._last_tick, now
        if not self.playing:
            return
        self.replay.shift(elapsed * SPEEDS[self.speed_index] / 60)
        if self.replay.now >= self.replay.end:
            self.playing = False
            self.status = "end of the journal"
        self.refresh_view()

    def screen_bindings(self) -> list[Binding]:
        """The replay keys, for the help screen and the footer's refresh."""
        return [binding for binding in self.BINDINGS if isinstance(binding, Binding)]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Replay keys are always on; the rest as on the cockpit (writing keys hidden)."""
        if action in {"step", "shift", "play", "speed", "home", "end", "marker", "search", "gantt"}:
            return True
        if action == "search_next":
            return bool(self.query_text)
        return super().check_action(action, parameters)

    # ---- actions ---------------------------------------------------------------------

    def _moved(self, status: str = "") -> None:
        self.status = status
        self.refresh_view()

    def action_step(self, delta: int) -> None:
        """Previous / next event."""
        self.replay.step(delta)
        self._moved()

    def action_shift(self, minutes: int) -> None:
        """Five minutes back or forward."""
        self.replay.shift(minutes)
        self._moved()

    def action_play(self) -> None:
        """Play or pause."""
        self.playing = not self.playing
        self._last_tick = self.monotonic()
        if self.playing and self.replay.now >= self.replay.end:
            self.replay.seek_index(0)
        self._moved()

    def action_speed(self, delta: int) -> None:
        """Change the playback speed."""
        self.speed_index = min(max(self.speed_index + delta, 0), len(SPEEDS) - 1)
        self._moved()

    def action_home(self) -> None:
        """The first event."""
        self.replay.seek_index(0)
        self._moved()

    def action_end(self) -> None:
        """The last event."""
        self.replay.seek_index(len(self.replay.events) - 1)
        self._moved()

    def action_marker(self, forward: bool) -> None:
        """Jump to the next or previous marker."""
        marker = self.replay.next_marker(forward)
        self._moved(f"{marker.kind}: {marker.label}" if marker else "no more markers that way")

    def action_search(self) -> None:
        """Ask for a text and jump to the next event or note containing it."""

        def answered(text: str | None) -> None:
            if text:
                self.query_text = text
                self.action_search_next()

        self.app.push_screen(AskText("Search", "Find in events and notes:"), answered)

    def action_search_next(self) -> None:
        """The next match of the last search (wrapping around)."""
        index = self.replay.search(self.query_text)
        if index is None:
            self._moved(f"no match for {self.query_text!r}")
            return
        self.replay.seek_index(index)
        self._moved(f"match for {self.query_text!r}: event #{self.replay.events[index].seq}")

    def action_gantt(self) -> None:
        """Switch between the timeline and the Gantt view."""
        gantt = self.query_one(GanttView)
        timeline = self.query_one(Timeline)
        gantt.display = not gantt.display
        timeline.display = not gantt.display
        self.refresh_view()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """Browsing steps works in replay as in the cockpit."""
        super().on_option_list_option_highlighted(event)
