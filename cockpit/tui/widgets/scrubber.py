"""The replay scrubber: the whole night as one line, with markers and the replay cursor."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from cockpit.replay import Replay
from cockpit.tui.safe_text import show as show_text

#: One glyph per marker kind: never colour alone.
MARKER_GLYPHS = {
    "decision": "◆",
    "blocker": "!",
    "escalation": "☎",
    "ponr": "┃",
    "rollback": "↶",
    "note": "✎",
    "end": "■",
}


class Scrubber(Static):
    """Time axis from the first to the last event, markers on it, ▲ at the replay moment."""

    _last: tuple[Replay, bool, int, str] | None = None

    def on_resize(self) -> None:
        """The axis is as wide as the terminal: redraw at the new width."""
        if self._last is not None:
            replay, playing, speed, status = self._last
            self.show(replay, playing=playing, speed=speed, status=status)

    def show(self, replay: Replay, *, playing: bool, speed: int, status: str = "") -> None:
        """Redraw for the replay's current moment."""
        self._last = (replay, playing, speed, status)
        width = max(self.content_region.width, 20)
        span = max((replay.end - replay.start).total_seconds(), 1.0)

        def column(moment) -> int:  # type: ignore[no-untyped-def]
            return min(int((moment - replay.start).total_seconds() / span * (width - 1)), width - 1)

        axis = ["─"] * width
        for marker in replay.markers:
            axis[column(marker.at)] = MARKER_GLYPHS[marker.kind]
        cursor = [" "] * width
        cursor[column(replay.now)] = "▲"
        assert replay.state.runbook is not None
        zone = replay.state.runbook.meta.zone
        now_local = replay.now.astimezone(zone)
        line1 = Text("".join(axis))
        line2 = Text("".join(cursor), style="bold")
        info = Text(no_wrap=True, overflow="ellipsis")
        info.append(f"{now_local:%H:%M:%S}  ", "bold")
        info.append(
            f"  event #{replay.events[replay.index].seq}/{replay.events[-1].seq}  "
            f"{replay.start.astimezone(zone):%H:%M}–{replay.end.astimezone(zone):%H:%M}  "
        )
        info.append(f"{'▶ playing' if playing else '❚❚ paused'} {speed}×", "bold")
        if status:
            info.append(f"   {status}", "italic")
        info.append("   ◆ decision ! blocker ☎ call ┃ PONR ↶ rollback ✎ note", "dim")
        # No wrapping: a wrapped line would lose the spaces that place the cursor.
        content = Text("\n", no_wrap=True, overflow="crop").join([line1, line2, info])
        content.no_wrap = True
        show_text(self, content)
