"""Issue 12 on the screen: ticks by number, asking before going on with items unticked,
the double tap, space on the step in view, the focus, corrections, the list before the
window, and what is still possible after the end."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from cockpit.core import commands as cmd
from cockpit.core.clock import ManualClock
from cockpit.model.load import load_contact_card, load_runbook
from cockpit.model.runbook import Runbook
from cockpit.session import Session
from cockpit.tui.screens.modals import AskText, Confirm, PickOne
from cockpit.tui.widgets.step_detail import StepDetail
from tests.checklist_helpers import tick_all
from tests.test_tui_keys import answer, enabled, last, screen, toasts
from tests.tui_helpers import (
    MINI,
    MINI_CARD,
    OPERATOR,
    Cockpit,
    Cockpits,
    mid_cutover,
    mini_switch_running,
    panel_text,
    run_pilot,
    timeline_row,
)


def slow_hands(app: Any) -> list[float]:
    """The double-tap guard's clock, moved by hand: returns the cell to move."""
    seconds = [0.0]
    screen(app).monotonic = lambda: seconds[0]
    return seconds


def dialog_text(app: Any) -> str:
    """The open dialog's title and body."""
    title = str(app.screen.query_one(".dialog-title").render())
    body = app.screen.query(".dialog-body")
    return title + "\n" + (str(body.first().render()) if body else "")


# ---- ticking ------------------------------------------------------------------------------


def test_number_keys_tick_the_running_steps_items_and_a_second_press_asks_why(
    make: Cockpits,
) -> None:
    cockpit = make()
    cockpit.start_step("preflight")
    cockpit.advance(minutes=4)
    app = cockpit.app

    async def scenario(pilot: Pilot[Any]) -> None:
        shown = panel_text(app, "#step-detail")
        assert " 1  ☐ Port order PO-88213" in shown and "1-9 tick what you have seen" in shown
        await pilot.press("2")
        await pilot.pause()
        event = last(cockpit)
        assert (event.type, event.step_id, event.index, event.by) == (
            "item_ticked",
            "preflight",
            1,
            OPERATOR,
        )
        assert "☑ All 22 users Active and every handset registered on the new" in panel_text(
            app, "#step-detail"
        ) or "☑ All 22 users" in panel_text(app, "#step-detail")
        assert f"01:04 {OPERATOR}" in panel_text(app, "#step-detail")
        # Pressed again: a tick taken back is a correction, with why.
        await pilot.press("2")
        await pilot.pause()
        assert isinstance(app.screen, AskText) and "Untick #2?" in dialog_text(app)
        await answer(pilot, "handset 14 not registered after all")
        event = last(cockpit)
        assert (event.type, event.index, event.reason) == (
            "item_unticked",
            1,
            "handset 14 not registered after all",
        )
        assert "☐ All 22 users" in panel_text(app, "#step-detail")
        # A number past the list says how long it is, and writes nothing.
        written = len(cockpit.types())
        await pilot.press("9")
        await pilot.pause()
        assert len(cockpit.types()) == written
        assert "has 5 item(s)" in toasts(app)

    run_pilot(app, scenario)


def test_completing_with_items_unticked_asks_and_journals_why(make: Cockpits) -> None:
    cockpit = make()
    cockpit.start_step("preflight")
    cockpit.advance(minutes=18)
    app = cockpit.app

    async def scenario(pilot: Pilot[Any]) -> None:
        slow_hands(app)
        await pilot.press("1", "2", "3")
        await pilot.pause()
        written = len(cockpit.types())
        await pilot.press("space")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        text = dialog_text(app)
        assert "Items not ticked" in text and "2 of 5 not ticked" in text
        assert "4 ☐ On-call senior DE answered" in text and "1 ☐" not in text
        await pilot.press("escape")  # no: nothing is written, the step still runs
        await pilot.pause()
        assert len(cockpit.types()) == written
        await pilot.press("space")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        await answer(pilot, "senior DE text came in on the bridge")
        event = last(cockpit)
        assert (event.type, event.unticked, event.anyway) == (
            "step_completed",
            [3, 4],
            "senior DE text came in on the bridge",
        )

    run_pilot(app, scenario)


def test_a_double_tap_does_not_complete_a_step(tmp_path: Path) -> None:
    # A step with nothing to verify (an imported runbook has many): only the guard stands
    # between two presses of space and "took 0m".
    plan = load_runbook(MINI).model_dump(mode="json")
    for step in plan["steps"]:
        step["verify"] = []
    runbook = Runbook.model_validate(plan)
    clock = ManualClock(runbook.meta.window_start_utc)
    session = Session.open(
        tmp_path / "tap.journal", runbook, load_contact_card(MINI_CARD), clock, operator=OPERATOR
    )
    cockpit = Cockpit(session, clock, runbook, tmp_path / "tap.journal")
    app = cockpit.app

    async def scenario(pilot: Pilot[Any]) -> None:
        seconds = slow_hands(app)
        await pilot.press("space")  # starts Prepare
        await pilot.pause()
        assert last(cockpit).type == "step_started"
        seconds[0] += 0.3
        await pilot.press("space")
        await pilot.pause()
        assert isinstance(app.screen, Confirm) and "already?" in dialog_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert cockpit.session.state.steps["prep"].status == "running"
        seconds[0] += 60  # a minute on: space completes without asking
        await pilot.press("space")
        await pilot.pause()
        assert last(cockpit).type == "step_completed"

    try:
        run_pilot(app, scenario)
    finally:
        cockpit.close()


def test_a_tick_between_start_and_complete_is_work_not_a_double_tap(make: Cockpits) -> None:
    cockpit = make("mini")
    cockpit.send_due_messages()
    app = cockpit.app

    async def scenario(pilot: Pilot[Any]) -> None:
        slow_hands(app)  # the clock stands still: all of it within the guard's seconds
        await pilot.press("space", "1")
        await pilot.pause()
        await pilot.press("space")
        await pilot.pause()
        assert last(cockpit).type == "step_completed"

    run_pilot(app, scenario)


# ---- space on the step in view, and the focus ------------------------------------------------


def test_space_acts_on_the_browsed_step_and_says_which(make: Cockpits) -> None:
    cockpit = mid_cutover(make())
    app = cockpit.app

    async def scenario(pilot: Pilot[Any]) -> None:
        # Browsing a finished step: space does nothing and says so, naming it.
        await pilot.press("up")  # over the gate's row, to the step before it
        await pilot.pause()
        assert screen(app).selected_step == "snapshot-call-flows"
        written = len(cockpit.types())
        await pilot.press("space")
        await pilot.pause()
        assert len(cockpit.types()) == written
        assert "is already completed" in toasts(app) and "nothing started" in toasts(app)
        await pilot.press("escape")
        await pilot.pause()
        assert screen(app).selected_step is None

    run_pilot(app, scenario)


def test_a_browsed_pending_step_is_started_only_after_saying_it_is_out_of_order(
    make: Cockpits,
) -> None:
    cockpit = make("mini")
    cockpit.send_due_messages()
    app = cockpit.app

    async def scenario(pilot: Pilot[Any]) -> None:
        await pilot.press("down")  # from Prepare to Snapshot config
        await pilot.pause()
        assert screen(app).selected_step == "snapshot"
        await pilot.press("space")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        text = dialog_text(app)
        assert "out of order" in text and "'Snapshot config'" in text and "'Prepare'" in text
        await pilot.press("y")
        await pilot.pause()
        assert (last(cockpit).type, last(cockpit).step_id) == ("step_started", "snapshot")
        assert "Started 'Snapshot config'" in toasts(app)

    run_pilot(app, scenario)


def test_tab_shows_where_the_focus_went_and_escape_brings_it_home(make: Cockpits) -> None:
    cockpit = make()
    app = cockpit.app

    async def scenario(pilot: Pilot[Any]) -> None:
        assert app.focused is not None and app.focused.id == "timeline"
        assert enabled(app, "escape") is None  # home, not browsing: nothing to escape
        await pilot.press("tab", "tab")  # the record under the timeline, then the step
        await pilot.pause()
        detail = app.screen.query_one(StepDetail)
        assert app.focused is detail
        assert "focused" in str(detail.border_subtitle) and "esc" in str(detail.border_subtitle)
        assert enabled(app, "escape") is True
        await pilot.press("escape")
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "timeline"
        assert not detail.border_subtitle
        await pilot.press("down")  # the arrows browse again
        await pilot.pause()
        assert screen(app).selected_step == "snapshot-call-flows"

    run_pilot(app, scenario)


# ---- corrections ----------------------------------------------------------------------------


def test_a_step_completed_by_mistake_is_reopened_from_the_palette_action(
    make: Cockpits,
) -> None:
    cockpit = make("mini")
    cockpit.send_due_messages()
    cockpit.run_step("prep", minutes=0)
    app = cockpit.app

    async def scenario(pilot: Pilot[Any]) -> None:
        screen(app).action_reopen()
        await pilot.pause()
        assert isinstance(app.screen, AskText) and "Reopen 'Prepare'?" in dialog_text(app)
        await answer(pilot, "completed by a double tap")
        event = last(cockpit)
        assert (event.type, event.step_id, event.was, event.reason) == (
            "step_reopened",
            "prep",
            "completed",
            "completed by a double tap",
        )
        assert "running" in timeline_row(app, "prep")
        assert "reopened 1× (a correction)" in panel_text(app, "#step-detail")

    run_pilot(app, scenario)


def test_a_note_is_withdrawn_by_picking_it(make: Cockpits) -> None:
    cockpit = make("mini")
    cockpit.do(cmd.AddNote(text="Carrier says the FOC moved"))
    cockpit.do(cmd.AddNote(text="Customer IT on the chat"))
    app = cockpit.app

    async def scenario(pilot: Pilot[Any]) -> None:
        screen(app).action_withdraw_note()
        await pilot.pause()
        assert isinstance(app.screen, PickOne)
        await pilot.press("down", "enter")  # newest first: the second is the FOC note
        await pilot.pause()
        assert "Carrier says the FOC moved" in dialog_text(app)
        await answer(pilot, "that was another customer's ticket")
        event = last(cockpit)
        assert event.type == "note_withdrawn"
        assert cockpit.session.state.notes[0].withdrawn == "that was another customer's ticket"

    run_pilot(app, scenario)


# ---- before the window ------------------------------------------------------------------------


def test_the_list_before_the_window_is_signed_by_name_before_step_1(make: Cockpits) -> None:
    cockpit = make(signed=False)
    app = cockpit.app

    async def scenario(pilot: Pilot[Any]) -> None:
        shown = panel_text(app, "#step-detail")
        assert shown.index("Before the window") < shown.index("Pre-flight checks (T-60)")
        assert "Senior DE walked through the plan and approved it" in shown
        await pilot.press("7")  # the senior's approval: the plan says senior-de signs it
        await pilot.pause()
        assert isinstance(app.screen, AskText) and "Sign off #7" in dialog_text(app)
        assert app.screen.query_one("#answer").value == "Priya Natarajan"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        event = last(cockpit)
        assert (event.type, event.checklist, event.index, event.by) == (
            "item_ticked",
            "pre_window",
            6,
            "Priya Natarajan",
        )
        assert "☑ Senior DE walked through the plan" in panel_text(app, "#step-detail")
        assert "Priya Natarajan" in panel_text(app, "#step-detail")
        # Step 1 asks while any is unsigned, and the answer is journaled.
        await pilot.press("space")
        await pilot.pause()
        assert isinstance(app.screen, Confirm) and "6 of 7 not ticked" in dialog_text(app)
        await pilot.press("y")
        await pilot.pause()
        await answer(pilot, "signed on paper, photo in the ticket")
        event = last(cockpit)
        assert (event.type, event.unticked, event.anyway) == (
            "step_started",
            [0, 1, 2, 3, 4, 5],
            "signed on paper, photo in the ticket",
        )

    run_pilot(app, scenario)


# ---- after the end ------------------------------------------------------------------------


def _to_the_end(cockpit: Cockpit) -> Cockpit:
    mini_switch_running(cockpit)
    tick_all(cockpit.do, cockpit.session.state, "step", "switch")
    cockpit.do(cmd.CompleteStep(step_id="switch"))
    cockpit.run_step("test", minutes=10)
    cockpit.do(cmd.TickItem(checklist="verification", index=0))
    cockpit.do(cmd.DeclareComplete(anyway="voicemail checked in the morning"))
    return cockpit


def test_after_the_end_the_completion_message_is_sent_and_the_verification_ticked(
    make: Cockpits,
) -> None:
    cockpit = _to_the_end(make("mini"))
    app = cockpit.app

    async def scenario(pilot: Pilot[Any]) -> None:
        assert enabled(app, "b") is None and enabled(app, "m") is True
        assert "raises a blocker" not in panel_text(app, "#escalation")
        assert "✉" in panel_text(app, "#step-detail") and "done" in panel_text(app, "#step-detail")
        await pilot.press("m")
        await pilot.pause()
        assert (last(cockpit).type, last(cockpit).message_id) == ("message_sent", "done")
        await pilot.press("2")  # hypercare: the last verification item, seen after the end
        await pilot.pause()
        assert (last(cockpit).type, last(cockpit).checklist) == ("item_ticked", "verification")
        assert "☑ Voicemail works" in panel_text(app, "#step-detail")

    run_pilot(app, scenario)


def test_before_the_point_of_no_return_the_rollback_dialog_loses_nothing_after_cutover(
    make: Cockpits,
) -> None:
    cockpit = mid_cutover(make())
    app = cockpit.app

    async def scenario(pilot: Pilot[Any]) -> None:
        await pilot.press("R")
        await pilot.pause()
        text = dialog_text(app)
        assert "Start the rollback?" in text and "POINT OF NO RETURN" not in text
        assert "Nothing written since the cutover is at risk" in text
        assert "Voicemails left on the new platform" not in text
        await pilot.press("escape")

    run_pilot(app, scenario)
