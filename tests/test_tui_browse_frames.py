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

from textual import events
from textual.geometry import Region
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widget import Widget

from cockpit.tui.widgets.step_detail import StepDetail
from cockpit.tui.widgets.timeline import Timeline
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
        monkeypatch.setattr(Screen, "_refresh_layout", counted_layout)
        monkeypatch.setattr(Screen, "_compositor_refresh", counted_frame)
        # Every step and back: short and long ones (the step panel's scrollbar comes and
        # goes), the point of no return and the gates (the keys in force change).
        for key in KEYS:
            await pilot.press(key)
            await settle(pilot)
            seen.append(panel_text(app, "#step-detail"))
        monkeypatch.setattr(Screen, "_refresh_layout", original_layout)
        monkeypatch.setattr(Screen, "_compositor_refresh", original_frame)

    run_pilot(app, scenario, size=(120, 40))
    assert len(set(seen)) == 13  # the panel did show every step
    assert layouts == []
    assert len(frames) == len(KEYS)  # one frame per key


#: Down through the bundled runbook's 13 steps, and back up.
KEYS = ["down"] * 13 + ["up"] * 13


def test_the_step_panel_scrolls_with_the_wheel_and_its_scrollbar(make: Cockpits) -> None:
    """The step panel draws its own scrollbar (Textual's would lay the screen out each
    time it came or went); the wheel and a press on the bar still scroll the text."""
    app = make("ucaas", mode="rehearsal").app

    async def scenario(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        detail = app.screen.query_one(StepDetail)
        assert detail.max_scroll_y > 0  # the first step is longer than the panel at 80×24
        bar_column = detail.content_region.right - 1 - detail.region.x
        wheel = events.MouseScrollDown(detail, 5, 3, 0, 1, 0, False, False, False)
        detail.post_message(wheel)
        await settle(pilot)
        assert detail.scroll_offset.y > 0
        await pilot.click(StepDetail, offset=(bar_column, detail.size.height - 1))
        await settle(pilot)
        assert detail.scroll_offset.y == detail.max_scroll_y
        await pilot.click(StepDetail, offset=(bar_column, 0))
        await settle(pilot)
        assert detail.scroll_offset.y == 0

    run_pilot(app, scenario, size=(80, 24))


async def settle(pilot: Pilot[Any]) -> None:
    await pilot.pause()
    await pilot.pause()


def test_a_moved_highlight_repaints_the_row_it_left(make: Cockpits) -> None:
    """An arrow repaints only the two rows the highlight leaves and reaches; the list as
    drawn (its cached lines, what the terminal gets) has one highlighted row, the browsed
    step's, also once the list has scrolled."""
    app = make("ucaas", mode="rehearsal").app

    async def scenario(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        timeline = app.screen.query_one(Timeline)
        lit = timeline.get_visual_style(
            "option-list--option", "option-list--option-highlighted"
        ).rich_style.bgcolor
        assert lit is not None
        for key in ["down"] * 12 + ["up"] * 12:
            await pilot.press(key)
            await settle(pilot)
            lines = timeline.render_lines(Region(0, 0, *timeline.outer_size))
            highlighted = [
                y
                for y, line in enumerate(lines)
                if any(
                    seg.style is not None
                    and seg.style.bgcolor is not None
                    and seg.style.bgcolor.get_truecolor() == lit.get_truecolor()
                    for seg in line
                )
            ]
            option = timeline.highlighted_option
            assert option is not None and option.id is not None
            assert len(highlighted) == 1, (key, highlighted)
            [y] = highlighted
            title = app.screen.state.runbook.step(option.id).title  # type: ignore[union-attr]
            assert title[:20] in lines[y].text, (lines[y].text, title)

    run_pilot(app, scenario, size=(80, 24))


def test_browsing_repaints_only_the_step_rows_that_changed(make: Cockpits) -> None:
    """An arrow repaints the step panel's rows that now show something else (and the
    border's top row for the new title), not the blank rows under a short step. What the
    panel has drawn (its cached lines, what the terminal got) is what a whole redraw
    draws, for every step, scrolled or not, with its scrollbar coming and going."""
    app = make("ucaas", mode="rehearsal").app
    repainted: list[int] = []
    rows: list[int] = []

    async def scenario(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        detail = app.screen.query_one(StepDetail)
        rows.append(detail.scrollable_content_region.height)
        drawn_rows: list[int] = []
        real_render_line = detail.render_line

        def counted(y: int) -> Any:
            drawn_rows.append(y)
            return real_render_line(y)

        detail.render_line = counted  # type: ignore[method-assign]
        whole = Region(0, 0, *detail.outer_size)
        for index, key in enumerate(KEYS):
            if index == 3:  # a long step scrolled down, then browsed away from
                detail.post_message(events.MouseScrollDown(detail, 5, 3, 0, 1, 0, *[False] * 3))
                await settle(pilot)
            drawn_rows.clear()
            await pilot.press(key)
            await settle(pilot)
            repainted.append(len(set(drawn_rows)))
            as_drawn = detail.render_lines(whole)
            detail.refresh()
            assert detail.render_lines(whole) == as_drawn, (key, index, detail.shown_title)

    run_pilot(app, scenario, size=(80, 24))
    [height] = rows
    assert min(repainted) < height, repainted  # steps that share rows keep them
    assert max(repainted) > 0


def test_the_step_panel_scrollbar_takes_a_new_theme(make: Cockpits) -> None:
    """A theme chosen from the palette changes the colours with the text unchanged: the
    scrollbar the panel draws itself takes them too, as a whole redraw would draw it."""
    app = make("ucaas", mode="rehearsal").app

    async def scenario(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        detail = app.screen.query_one(StepDetail)
        assert detail.max_scroll_y > 0  # the scrollbar is drawn (80×24)
        whole = Region(0, 0, *detail.outer_size)
        before = detail.render_lines(whole)
        app.theme = next(name for name in app.available_themes if name != app.theme)
        await settle(pilot)
        as_drawn = detail.render_lines(whole)
        assert as_drawn != before
        detail.refresh()
        assert detail.render_lines(whole) == as_drawn

    run_pilot(app, scenario, size=(80, 24))


def test_a_badge_widens_when_its_words_do(make: Cockpits) -> None:
    """A panel's text lays the screen out when its size changes, the width included: the
    header's save badge goes from "saved #9" to "saved #10" whole, not as "saved #…"
    (ticks: no dialog opens and closes between, which would lay the screen out anyway; a
    journal name shorter than the words, so they set the badge's width)."""
    cockpit = make("ucaas", journal_name="night.db")
    cockpit.start_step("preflight")  # its items can be ticked
    app = cockpit.app
    wider = 10 ** len(str(cockpit.session.state.last_seq))  # the next number a digit longer
    assert cockpit.session.state.last_seq >= wider - 3  # reached with a few ticks

    def badge() -> str:
        save = app.screen.query_one("#save-badge", Widget)
        strips = save.render_lines(Region(0, 0, *save.outer_size))
        return "".join(segment.text for segment in strips[0]).strip()

    seen: list[str] = []

    async def scenario(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        seen.append(badge())
        for item in "12345":  # the step's verify items, ticked one by one
            if cockpit.session.state.last_seq > wider:
                break
            await pilot.press(item)
            await settle(pilot)
            seen.append(badge())

    run_pilot(app, scenario, size=(120, 40))
    assert f"saved #{wider - 1}" in seen, seen
    assert f"saved #{wider}" in seen and f"saved #{wider + 1}" in seen, seen
