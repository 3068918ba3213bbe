"""The replay scrubber: the whole night as one line, with markers and the replay cursor.

Which events are markers, and of what kind, is declared with each event type
(`BaseEvent.marker`); this module only draws each kind, from `MARKERS`, which
tests/test_event_tables.py checks covers every `MarkerKind`.
"""

from __future__ import annotations

from datetime import datetime

from rich.text import Text

from cockpit.journal.events import MarkerKind
from cockpit.replay import Replay
from cockpit.text import clock_time
from cockpit.tui.widgets.panel import PanelText

#: Each marker kind's glyph (never colour alone) and its word in the legend ("" leaves it
#: out: the end is where the axis ends).
MARKERS: dict[MarkerKind, tuple[str, str]] = {
    "decision": ("◆", "decision"),
    "blocker": ("!", "blocker"),
    "escalation": ("☎", "call"),
    "ponr": ("┃", "PONR"),
    "rollback": ("↶", "rollback"),
    "note": ("✎", "note"),
    "correction": ("↺", "correction"),
    "trouble": ("✖", "skip/fail"),
    "end": ("■", ""),
}
#: The legend under the axis.
LEGEND = " ".join(f"{glyph} {word}" for glyph, word in MARKERS.values() if word)


class Scrubber(PanelText):
    """Time axis from the first to the last event, markers on it, ▲ at the replay moment."""

    #: What it was last shown for (the replay, playing, speed, status), to redraw on resize.
    shown_for: tuple[Replay, bool, int, str] | None = None

    def on_resize(self) -> None:
        """The axis is as wide as the terminal: redraw at the new width."""
        if self.shown_for is not None:
            replay, playing, speed, status = self.shown_for
            self.show(replay, playing=playing, speed=speed, status=status)

    def show(self, replay: Replay, *, playing: bool, speed: int, status: str = "") -> None:
        """Redraw for the replay's current moment."""
        self.shown_for = (replay, playing, speed, status)
        width = max(self.content_region.width, 20)
        span = max((replay.end - replay.start).total_seconds(), 1.0)

        def column(moment: datetime) -> int:
            return min(int((moment - replay.start).total_seconds() / span * (width - 1)), width - 1)

        axis = ["─"] * width
        for marker in replay.markers:
            axis[column(marker.at)] = MARKERS[marker.kind][0]
        cursor = [" "] * width
        cursor[column(replay.now)] = "▲"
        assert replay.state.runbook is not None
        zone = replay.state.runbook.meta.zone
        line1 = Text("".join(axis))
        line2 = Text("".join(cursor), style="bold")
        info = Text(no_wrap=True, overflow="ellipsis")
        info.append(f"{clock_time(replay.now, zone, seconds=True)}  ", "bold")
        info.append(
            f"  event #{replay.events[replay.index].seq}/{replay.events[-1].seq}  "
            f"{clock_time(replay.start, zone)}–{clock_time(replay.end, zone)}  "
        )
        info.append(f"{'▶ playing' if playing else '❚❚ paused'} {speed}×", "bold")
        if status:
            info.append(f"   {status}", "italic")
        info.append(f"   {LEGEND}", "dim")
        # No wrapping: a wrapped line would lose the spaces that place the cursor.
        content = Text("\n", no_wrap=True, overflow="crop").join([line1, line2, info])
        content.no_wrap = True
        self.draw(content)
