"""Issue 13 on the screen: the record under the timeline, a finished step's record, the
first screen's step with due messages on one line, notices that cover nothing that
counts, and a footer that ends on whole words at 80 columns."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from cockpit.core import commands as cmd
from cockpit.tui.widgets.footer import CockpitFooter
from tests.test_tui_keys import answer, toasts
from tests.tui_helpers import Cockpits, mid_cutover, panel_text, run_pilot


def test_the_record_shows_notes_reasons_resolutions_and_calls_newest_first(
    make: Cockpits,
) -> None:
    cockpit = make("mini")
    cockpit.send_due_messages()
    cockpit.do(cmd.SkipStep(step_id="snapshot", reason="taken yesterday [by NOC]"))
    cockpit.advance(minutes=2)
    cockpit.do(cmd.RaiseBlocker(what="carrier NOC silent"))
    cockpit.do(cmd.LogEscalation(contact_id="carrier-noc", agreed="NOC calls back by 02:20"))
    cockpit.advance(minutes=3)
    cockpit.do(cmd.ResolveBlocker(how="NOC answered"))
    app = cockpit.app

    async def scenario(pilot: Pilot[Any]) -> None:
        await pilot.press("a")
        await pilot.pause()
        await answer(pilot, "Customer IT on the chat")
        lines = panel_text(app, "#record").splitlines()
        assert "note: Customer IT on the chat" in lines[0]  # the newest first
        record = "\n".join(lines)
        assert "blocker resolved: NOC answered" in record
        assert "call: called Carrier NOC: NOC calls back by 02:20" in record
        assert "step skipped: snapshot: taken yesterday [by NOC]" in record  # as written
        assert record.index("blocker resolved") < record.index("step skipped")

    run_pilot(app, scenario)


def test_a_browsed_finished_step_shows_what_happened(make: Cockpits) -> None:
    cockpit = mid_cutover(make())  # pre-flight took 18 min, snapshot 14
    app = cockpit.app

    async def scenario(pilot: Pilot[Any]) -> None:
        await pilot.press("up")  # the snapshot, over the gate's row
        await pilot.pause()
        shown = panel_text(app, "#step-detail")
        assert "What happened" in shown
        assert "started 01:18, completed 01:32 · took 14m (planned 15m)" in shown
        assert shown.index("What happened") < shown.index("Export the old PBX")
        assert "☑ 14 voicemail greetings downloaded  01:32" in shown

    run_pilot(app, scenario)


def test_the_first_screen_shows_the_first_step_with_the_due_messages_on_one_line(
    make: Cockpits,
) -> None:
    cockpit = make()
    app = cockpit.app

    async def scenario(pilot: Pilot[Any]) -> None:
        detail = app.screen.query_one("#step-detail")
        shown = panel_text(app, "#step-detail")
        assert shown.startswith("✉ 4 due: notice-72h, notice-24h, foc-confirm, window-start")
        # The step's instructions and its verify items are in view without scrolling.
        visible = detail.scrollable_content_region.height
        lines = shown.splitlines()
        verify_at = next(i for i, line in enumerate(lines) if line.startswith("Verify"))
        assert detail.scroll_offset.y == 0 and verify_at < visible + 10

    run_pilot(app, scenario)


def test_notices_stay_off_the_escalation_timer_and_a_refusal_goes_when_done(
    make: Cockpits,
) -> None:
    cockpit = mid_cutover(make())
    app = cockpit.app

    async def scenario(pilot: Pilot[Any]) -> None:
        await pilot.press("g")  # refused: criteria #3–#5 are not met
        await pilot.pause()
        assert "not yet met" in toasts(app)
        toast = app.screen.query("Toast").first()
        escalation = app.screen.query_one("#escalation").region
        rollback = app.screen.query_one("#rollback").region
        assert not toast.region.overlaps(escalation) and not toast.region.overlaps(rollback)
        for key in ("3", "4", "5"):
            await pilot.press(key)
        await pilot.pause()
        assert "not yet met" not in toasts(app)  # it no longer holds: it is gone

    run_pilot(app, scenario)


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (200, 60)])
def test_the_footer_shows_only_whole_keys(make: Cockpits, size: tuple[int, int]) -> None:
    cockpit = mid_cutover(make())
    app = cockpit.app

    async def scenario(pilot: Pilot[Any]) -> None:
        footer = app.screen.query_one(CockpitFooter)
        placed = footer.placed if footer.shown else []
        line = footer.render_line(0).text
        for key in placed:  # each key whole, where the line says it is
            assert line[key.start : key.end] == key.spec.label, (line, key)
        ends = [key.end for key in placed]
        assert ends == sorted(ends) and max(ends) <= size[0], f"cut at {size}: {line!r}"
        actions = {key.spec.action for key in placed}
        assert {"tick(0)", "go", "blocker", "rollback"} <= actions

    run_pilot(app, scenario, size=size)


def test_the_log_keeps_up_with_the_writer_while_following(make: Cockpits) -> None:
    from cockpit.tui.app import CockpitApp
    from cockpit.tui.screens.log_screen import LogScreen
    from tests.tui_helpers import follower_for

    cockpit = mid_cutover(make())
    follower = follower_for(cockpit)
    app = CockpitApp(follower)

    async def scenario(pilot: Pilot[Any]) -> None:
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, LogScreen)
        before = len(app.screen.events)
        cockpit.do(cmd.AddNote(text="Written by the DE while the senior reads the log"))
        for _ in range(40):  # the log looks twice a second
            await pilot.pause(0.05)
            if len(app.screen.events) > before:
                break
        assert len(app.screen.events) == before + 1
        shown = str(app.screen.query_one("#log-lines").render())
        assert "Written by the DE while the senior reads the log" in shown
        assert "following" in str(app.screen.query_one("VerticalScroll").border_title)

    try:
        run_pilot(app, scenario)
    finally:
        follower.close()
