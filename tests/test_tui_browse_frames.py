"""Browsing steps with the arrows costs the terminal one frame per key, not four.

The step panel used to be a `Static` inside a scrolling container: a step whose text had
another height made Textual lay the whole screen out again, then again for the new scroll
range, then repaint the scrollbars — the last frame some 60-100 ms after the key in a real
terminal. Now the timeline and the step panel change in one batch and the panel wraps its
own text, so browsing never lays the screen out. This counts layouts and frames (what
Textual does), never time.
"""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.screen import Screen

from tests.tui_helpers import Cockpits, panel_text, run_pilot


def test_arrows_browse_without_laying_the_screen_out(make: Cockpits, monkeypatch: Any) -> None:
    app = make("ucaas", mode="rehearsal").app
    layouts: list[str] = []
    frames: list[str] = []
    original_layout = Screen._refresh_layout
    original_frame = Screen._compositor_refresh

    def counted_layout(self: Screen[Any], *args: Any, **kwargs: Any) -> None:
        layouts.append(type(self).__name__)
        original_layout(self, *args, **kwargs)

    def counted_frame(self: Screen[Any]) -> None:
        frames.append(type(self).__name__)
        original_frame(self)

    seen: list[str] = []

    async def scenario(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("down")  # the first arrow: the footer gains 'esc', laid out
        await settle(pilot)
        monkeypatch.setattr(Screen, "_refresh_layout", counted_layout)
        monkeypatch.setattr(Screen, "_compositor_refresh", counted_frame)
        # Pending steps before the point of no return: the same keys apply to each, so
        # nothing in the footer moves either.
        for key in ["down", "down", "up", "up"]:
            await pilot.press(key)
            await settle(pilot)
            seen.append(panel_text(app, "#step-detail"))
        monkeypatch.setattr(Screen, "_refresh_layout", original_layout)
        monkeypatch.setattr(Screen, "_compositor_refresh", original_frame)

    run_pilot(app, scenario, size=(120, 40))
    assert len(set(seen)) == 3  # the panel did show the other steps
    assert layouts == []
    assert len(frames) == 4  # one frame per key


async def settle(pilot: Pilot[Any]) -> None:
    await pilot.pause()
    await pilot.pause()
