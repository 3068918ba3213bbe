"""Every key of the cockpit: it lands in the journal AND it shows on screen.

Each test runs the real `CockpitApp` on a real `Session` (journal on disk, frozen
`ManualClock`) under `App.run_test()`. The journal is checked with `read_events` on its
path (a separate read-only connection: what is on disk, not what the session thinks), the
screen by querying the widgets of the active screen. Refusals, cancelled dialogs and
read-only following must leave the journal exactly as it was.
"""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Digits, Input, Static

from cockpit.core import commands as cmd
from cockpit.core import comms
from cockpit.journal.store import JournalWriteFailed
from cockpit.tui.actions import ACTIONS
from cockpit.tui.app import CockpitApp
from cockpit.tui.screens.cockpit_screen import CockpitScreen
from cockpit.tui.screens.help import HelpScreen
from cockpit.tui.screens.log_screen import LogScreen
from cockpit.tui.screens.modals import AskText, Confirm, PickOne, ReadText
from cockpit.tui.widgets.checkpoint import CheckpointPanel
from cockpit.tui.widgets.step_detail import StepDetail
from tests.tui_helpers import (
    OPERATOR,
    Cockpit,
    Cockpits,
    follower_for,
    mid_cutover,
    mini_switch_running,
    panel_text,
    ready_for_port,
    run_pilot,
    timeline_row,
    timeline_rows,
)

# ---- small helpers ---------------------------------------------------------------------


def screen(app: CockpitApp) -> CockpitScreen:
    """The cockpit screen (wherever the stack is)."""
    cockpit_screen = app.cockpit
    assert cockpit_screen is not None
    return cockpit_screen


async def type_text(pilot: Pilot[Any], text: str) -> None:
    """Type into the focused Input, key by key."""
    await pilot.press(*["space" if char == " " else char for char in text])


async def answer(pilot: Pilot[Any], text: str) -> None:
    """Type an answer into the open AskText dialog and press enter."""
    assert isinstance(pilot.app.screen, AskText), f"expected a question, got {pilot.app.screen}"
    assert pilot.app.screen.query_one("#answer", Input).has_focus
    await type_text(pilot, text)
    await pilot.press("enter")
    await pilot.pause()


def toasts(app: CockpitApp) -> str:
    """The text of every notification on screen."""
    return "\n".join(str(toast.render()) for toast in app.screen.query("Toast"))


def escalation(app: CockpitApp) -> tuple[str, str]:
    """The escalation timer: its text and its large digits ("" while hidden)."""
    digits = app.screen.query_one("#esc-digits", Digits)
    return panel_text(app, "#escalation"), digits.value if digits.display else ""


def enabled(app: CockpitApp, key: str) -> bool | None:
    """True: active; False: shown dimmed and blocked; None: not active at all."""
    binding = app.screen.active_bindings.get(key)
    return None if binding is None else binding.enabled


def plain(renderable: Any) -> str:
    """Any Rich renderable (a help table, say) as plain text."""
    console = Console(width=200, file=io.StringIO(), record=True, color_system=None)
    console.print(renderable)
    return console.export_text()


def last(cockpit: Cockpit) -> Any:
    """The last event on disk."""
    return cockpit.events()[-1]


def at_gate(cockpit: Cockpit) -> Cockpit:
    """UCaaS with pre-flight and snapshot done: go/no-go #1 open, nothing marked."""
    cockpit.send_due_messages()
    cockpit.run_step("preflight")
    cockpit.run_step("snapshot-call-flows")
    return cockpit


# ---- steps -------------------------------------------------------------------------------


def test_space_starts_x_fails_space_retries_and_completes_the_step(make: Cockpits) -> None:
    cockpit = make()
    app = cockpit.app

    async def scenario(pilot: Pilot[Any]) -> None:
        assert screen(app).source.clock is cockpit.clock  # the frozen clock is the one shown
        assert "now 01:00" in panel_text(app, "#header")
        assert "pending" in timeline_row(app, "preflight")
        # Nothing runs and no checkpoint is open: x and the checkpoint keys are not offered.
        assert not app.screen.query_one("#checkpoint").display
        # The step has not started, so its verify items are not to tick yet either.
        for key in ("x", "1", "g", "n", "h", "e", "r"):
            assert enabled(app, key) is None, key
        written = len(cockpit.types())
        await pilot.press("x", "1", "g", "e")
        await pilot.pause()
        assert isinstance(app.screen, CockpitScreen)
        assert len(cockpit.types()) == written
        seconds = [0.0]  # the double-tap guard's clock, moved by hand
        screen(app).monotonic = lambda: seconds[0]

        await pilot.press("space")
        await pilot.pause()
        event = last(cockpit)
        assert (event.type, event.step_id) == ("step_started", "preflight")
        assert "running" in timeline_row(app, "preflight")
        assert "space completes it" in panel_text(app, "#step-detail")

        await pilot.press("x")
        await pilot.pause()
        await answer(pilot, "no FOC")
        event = last(cockpit)
        assert (event.type, event.step_id, event.reason) == ("step_failed", "preflight", "no FOC")
        row = timeline_row(app, "preflight")
        assert "failed" in row and "no FOC" in row
        assert "space starts this step" in panel_text(app, "#step-detail")  # a retry

        await pilot.press("space")
        await pilot.pause()
        assert (last(cockpit).type, last(cockpit).step_id) == ("step_started", "preflight")
        assert "Started 'Pre-flight checks (T-60)'" in toasts(app)
        cockpit.advance(minutes=19)
        seconds[0] += 19 * 60
        await pilot.press("1", "2", "3", "4", "5")  # every verify item, seen
        await pilot.pause()
        assert cockpit.types()[-5:] == ["item_ticked"] * 5
        assert "☑ Port order PO-88213" in panel_text(app, "#step-detail")
        await pilot.press("space")
        await pilot.pause()
        event = last(cockpit)
        assert (event.type, event.step_id) == ("step_completed", "preflight")
        assert "Completed 'Pre-flight checks (T-60)' (took 19m)" in toasts(app)
        row = timeline_row(app, "preflight")
        assert "done" in row and "took 19m" in row
        # The next step is now current.
        assert timeline_row(app, "snapshot-call-flows").startswith("»")

    run_pilot(app, scenario)


def test_s_skips_the_current_step_with_the_reason_typed(make: Cockpits) -> None:
    cockpit = make()
    app = cockpit.app

    async def scenario(pilot: Pilot[Any]) -> None:
        await pilot.press("s")
        await pilot.pause()
        assert "Skip 'Pre-flight checks (T-60)'" in str(
            app.screen.query_one(".dialog-title").render()
        )
        await answer(pilot, "done 23h")
        event = last(cockpit)
        assert (event.type, event.step_id, event.reason) == (
            "step_skipped",
            "preflight",
            "done 23h",
        )
        row = timeline_row(app, "preflight")
        assert "skipped" in row and "done 23h" in row

    run_pilot(app, scenario)


# ---- go / no-go ----------------------------------------------------------------------------


def test_digit_keys_toggle_the_criteria_of_the_open_checkpoint(make: Cockpits) -> None:
    cockpit = at_gate(make())
    app = cockpit.app

    async def scenario(pilot: Pilot[Any]) -> None:
        assert "1  ☐ open" in panel_text(app, "#checkpoint")
        await pilot.press("1")
        await pilot.pause()
        event = last(cockpit)
        assert (event.type, event.checkpoint_id, event.index, event.met) == (
            "criterion_marked",
            "gng-preflight",
            0,
            True,
        )
        assert "1  ✔ met" in panel_text(app, "#checkpoint")
        assert "1/5 met" in timeline_row(app, "cp:gng-preflight")

        await pilot.press("1")  # met → not met
        await pilot.pause()
        assert (last(cockpit).index, last(cockpit).met) == (0, False)
        assert "1  ✖ NOT met" in panel_text(app, "#checkpoint")

        await pilot.press("5")
        await pilot.pause()
        assert (last(cockpit).index, last(cockpit).met) == (4, True)
        assert "5  ✔ met" in panel_text(app, "#checkpoint")

        # There is no criterion 9: said, and nothing written.
        before = len(cockpit.events())
        await pilot.press("9")
        await pilot.pause()
        assert "This checkpoint has 5 criteria" in toasts(app)
        assert len(cockpit.events()) == before

    run_pilot(app, scenario)


def test_the_gate_refuses_start_and_blocks_g_until_every_criterion_is_met(make: Cockpits) -> None:
    cockpit = mid_cutover(make())  # #1, #2 met, #3 NOT met, #4, #5 unmarked
    app = cockpit.app
    before = len(cockpit.events())

    async def scenario(pilot: Pilot[Any]) -> None:
        # Starting the gated step is refused, with a message, and nothing is written.
        await pilot.press("space")
        await pilot.pause()
        shown = toasts(app)
        assert "Not done" in shown and "record a go first" in shown
        assert len(cockpit.events()) == before
        assert "pending" in timeline_row(app, "assign-numbers")

        # Not all met: g is refused with a message naming what is unmet; nothing is written.
        assert "go needs all met" in panel_text(app, "#checkpoint")
        await pilot.press("g")
        await pilot.pause()
        assert "not yet met: #3, #4, #5" in toasts(app)
        assert len(cockpit.events()) == before
        assert "GO by" not in panel_text(app, "#checkpoint")

        await pilot.press("3", "4", "5")
        await pilot.pause()
        assert len(cockpit.events()) == before + 3
        assert enabled(app, "g") is True
        assert "g go · n no-go · h hold" in panel_text(app, "#checkpoint")

        await pilot.press("g")
        await pilot.pause()
        event = last(cockpit)
        assert (event.type, event.checkpoint_id, event.decision, event.by) == (
            "checkpoint_decided",
            "gng-preflight",
            "go",
            OPERATOR,
        )
        assert f"GO by {OPERATOR} at 01:34" in panel_text(app, "#checkpoint")
        assert f"GO 01:34 by {OPERATOR}" in timeline_row(app, "cp:gng-preflight")

    run_pilot(app, scenario)


def test_a_passed_gate_leaves_a_short_screen_to_the_step_it_let_through(make: Cockpits) -> None:
    """80x24: an open gate has the right column; once it is a GO, the step to start next
    has it (the decision shows on the gate's timeline row and in the record), not one line
    under the decided gate's panel."""
    cockpit = ready_for_port(make())  # both gates GO, the port activation next
    app = cockpit.app

    async def scenario(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        gate = app.screen.query_one(CheckpointPanel)
        step = app.screen.query_one(StepDetail)
        assert gate.has_class("-go") and not gate.display
        assert step.size.height >= 10
        assert "Port activation" in step.plain
        assert "GO" in timeline_row(app, "cp:gng-port")

    run_pilot(app, scenario, size=(80, 24))


def test_n_no_go_and_h_hold_ask_why_and_record_the_decision(make: Cockpits) -> None:
    cockpit = mid_cutover(make())
    app = cockpit.app

    async def scenario(pilot: Pilot[Any]) -> None:
        for key, decision, word, reason in (
            ("n", "no_go", "NO-GO", "no trunk"),
            ("h", "hold", "HOLD", "wait NOC"),
        ):
            await pilot.press(key)
            await pilot.pause()
            assert word in str(app.screen.query_one(".dialog-title").render())
            written = len(cockpit.types())
            await answer(pilot, reason)
            event: Any = next(
                e
                for e in cockpit.events()[written:]
                if e.type == "checkpoint_decided"  # type: ignore[attr-defined]
            )
            assert (event.type, event.decision, event.by, event.reason) == (
                "checkpoint_decided",
                decision,
                OPERATOR,
                reason,
            )
            shown = panel_text(app, "#checkpoint")
            assert f"{word} by {OPERATOR} at 01:34" in shown and reason in shown
            assert f"{word} 01:34 by {OPERATOR}" in timeline_row(app, "cp:gng-preflight")
        # The first stop started the 30-minute countdown; the hold after it is the same stop.
        text, digits = escalation(app)
        assert digits == "30:00" and "NO-GO at 'Go/no-go #1: pre-flight': no trunk" in text
        assert "STOPPED 0m (HOLD)" in panel_text(app, "#header")  # the latest decision
        assert "if going at 02:04" in panel_text(app, "#header")  # the 30-minute call
        assert "on time" not in panel_text(app, "#header")
        assert [e.type for e in cockpit.events()].count("blocker_raised") == 1

    run_pilot(app, scenario)


# ---- blockers and escalation -----------------------------------------------------------------


def test_b_raises_a_blocker_and_the_escalation_timer_counts_down(make: Cockpits) -> None:
    cockpit = mid_cutover(make())
    app = cockpit.app

    async def scenario(pilot: Pilot[Any]) -> None:
        text, digits = escalation(app)
        assert "no open blocker" in text and digits == ""
        await pilot.press("b")
        await pilot.pause()
        await answer(pilot, "no DT")
        event = last(cockpit)
        assert (event.type, event.what) == ("blocker_raised", "no DT")
        assert event.deadline == cockpit.clock.now() + timedelta(minutes=30)

        text, digits = escalation(app)
        assert digits == "30:00"
        assert "call Priya Natarajan in" in text and "no DT" in text
        assert app.screen.query_one("#escalation").border_title == "BLOCKER"
        assert enabled(app, "b") is None  # one blocker at a time
        assert enabled(app, "e") is True and enabled(app, "r") is True

        # Computed from the clock, not counted: 17 min 26 s later, 12:34 is left.
        cockpit.advance(minutes=17, seconds=26)
        screen(app).tick()
        await pilot.pause()
        assert escalation(app)[1] == "12:34"

    run_pilot(app, scenario)


def test_e_logs_the_call_then_r_resolves_the_blocker(make: Cockpits) -> None:
    cockpit = mid_cutover(make())
    cockpit.raise_blocker()
    cockpit.advance(minutes=31)
    app = cockpit.app

    async def scenario(pilot: Pilot[Any]) -> None:
        text, digits = escalation(app)
        assert "CALL Priya Natarajan" in text and "NOW" in text and digits == "-01:00"
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, PickOne)  # who was called: the on-call senior first
        await pilot.press("enter")
        await pilot.pause()
        assert "Call to Priya Natarajan" in str(app.screen.query_one(".dialog-title").render())
        await answer(pilot, "Priya joins the bridge")
        event = last(cockpit)
        assert (event.type, event.contact_id, event.contact_name, event.agreed) == (
            "escalation_called",
            "senior-de",
            "Priya Natarajan",
            "Priya joins the bridge",
        )
        text, digits = escalation(app)
        assert "escalated" in text and "called Priya Natarajan at 02:05" in text
        assert "agreed: Priya joins the bridge" in text
        assert digits == ""
        # Another call (the carrier NOC, after the on-call and the DE on the card's list).
        await pilot.press("e", "down", "down", "enter")
        await pilot.pause()
        await answer(pilot, "ticket 4471 opened")
        event = last(cockpit)
        assert (event.contact_id, event.agreed) == ("carrier-noc", "ticket 4471 opened")

        await pilot.press("r")
        await pilot.pause()
        await answer(pilot, "reset")
        event = last(cockpit)
        assert (event.type, event.how) == ("blocker_resolved", "reset")
        text, digits = escalation(app)
        assert "no open blocker" in text and digits == ""
        assert enabled(app, "r") is None and enabled(app, "b") is True

    run_pilot(app, scenario)


# ---- the point of no return --------------------------------------------------------------


def test_the_point_of_no_return_cannot_be_skipped_and_asks_before_crossing(
    make: Cockpits,
) -> None:
    cockpit = ready_for_port(make())
    app = cockpit.app
    before = len(cockpit.events())

    async def scenario(pilot: Pilot[Any]) -> None:
        assert app.screen.query_one("#rollback").border_title == "Rollback from here"
        # Skipping it is not offered at all, and the key writes nothing.
        assert not enabled(app, "s")
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, CockpitScreen)
        assert len(cockpit.events()) == before

        # Starting it asks first; "No, go back" writes nothing.
        await pilot.press("space")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        assert "POINT OF NO RETURN" in str(app.screen.query_one(".dialog-body").render())
        await pilot.click("#no")
        await pilot.pause()
        assert isinstance(app.screen, CockpitScreen)
        assert len(cockpit.events()) == before
        assert "pending" in timeline_row(app, "port-activation")
        assert "crossed" not in timeline_row(app, "ponr")

        # Yes (y) crosses it: recorded with the go it relied on, and shown.
        await pilot.press("space")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert cockpit.types()[before:] == ["ponr_crossed", "step_started"]
        crossed = cockpit.events()[-2]
        assert (crossed.step_id, crossed.checkpoint_id) == ("port-activation", "gng-port")
        assert "POINT OF NO RETURN crossed 02:01" in timeline_row(app, "ponr")
        assert "running" in timeline_row(app, "port-activation")
        assert app.screen.query_one("#rollback").border_title == "Past the point of no return"
        assert "Forward the affected numbers" in panel_text(app, "#rollback")

    run_pilot(app, scenario)


# ---- rollback ----------------------------------------------------------------------------


def test_shift_r_rolls_back_through_the_checklist_to_rolled_back(make: Cockpits) -> None:
    cockpit = mini_switch_running(make("mini"))
    app = cockpit.app

    async def scenario(pilot: Pilot[Any]) -> None:
        await pilot.press("R")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        body = str(app.screen.query_one(".dialog-body").render())
        assert "PAST THE POINT OF NO RETURN" in body
        # The forward fix first, the way back, and what undoing earlier steps cannot do.
        assert body.index("Forward numbers to temporary DIDs") < body.index("Request snapback")
        assert "no longer bring the old system back" in body and "Unprepare" in body
        await pilot.press("y")
        await pilot.pause()
        await answer(pilot, "NOC no")
        # The running switch is stopped, then the rollback starts.
        assert cockpit.types()[-2:] == ["step_failed", "rollback_started"]
        started = last(cockpit)
        assert (started.reason, started.steps, started.after_ponr) == (
            "NOC no",
            ["switch", "prep"],
            True,
        )
        assert app.screen.query_one("#timeline").border_title == "Rollback checklist"
        rows = timeline_rows(app)
        assert "ROLLBACK started 02:22: NOC no" in rows[0]
        assert "to undo" in timeline_row(app, "rb:switch")
        assert "Request snapback" in panel_text(app, "#step-detail")

        # The snapback is refused first: the undo failed, with why; space tries it again.
        await pilot.press("x")
        await pilot.pause()
        await answer(pilot, "NOC queue full")
        assert (last(cockpit).type, last(cockpit).reason) == (
            "rollback_step_failed",
            "NOC queue full",
        )
        assert "Failed: NOC queue full" in panel_text(app, "#step-detail")
        await pilot.press("space")
        await pilot.pause()
        assert (last(cockpit).type, last(cockpit).step_id) == ("rollback_step_done", "switch")
        assert "undone" in timeline_row(app, "rb:switch")
        assert timeline_row(app, "rb:prep").startswith("»")

        await pilot.press("space")
        await pilot.pause()
        assert (last(cockpit).type, last(cockpit).step_id) == ("rollback_step_done", "prep")
        assert "space completes the rollback" in panel_text(app, "#step-detail")

        # The final space asks before the cutover ends as rolled back.
        await pilot.press("space")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        assert last(cockpit).type == "rollback_step_done"
        await pilot.press("y")
        await pilot.pause()
        assert cockpit.types()[-2:] == ["rollback_completed", "cutover_ended"]
        assert last(cockpit).outcome == "rolled_back"
        assert "ROLLBACK COMPLETED 02:22" in timeline_rows(app)[-1]
        assert "unsuccessful: rolled back" in panel_text(app, "#header")

    run_pilot(app, scenario)


# ---- notes, messages, copy, help, quit ----------------------------------------------------


def test_a_adds_a_note(make: Cockpits) -> None:
    cockpit = mid_cutover(make())
    app = cockpit.app

    async def scenario(pilot: Pilot[Any]) -> None:
        await pilot.press("a")
        await pilot.pause()
        await answer(pilot, "M late")
        event = last(cockpit)
        assert (event.type, event.text) == ("note_added", "M late")
        assert isinstance(app.screen, CockpitScreen)
        # The log screen (l) shows it.
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, LogScreen)
        logged = "\n".join(plain(widget.content) for widget in app.screen.query(Static))
        assert "M late" in logged

    run_pilot(app, scenario)


def test_c_copies_the_due_message_and_m_marks_it_sent(make: Cockpits) -> None:
    cockpit = make()  # 01:00: the 72 h and 24 h notices, the carrier's and window-start are due
    app = cockpit.app
    due = [m.message_id for m in comms.due_messages(cockpit.session.state, cockpit.clock.now())]
    assert due == ["notice-72h", "notice-24h", "foc-confirm", "window-start"]
    before = len(cockpit.events())

    async def scenario(pilot: Pilot[Any]) -> None:
        # c copies the first due message and writes nothing.
        await pilot.press("c")
        await pilot.pause()
        assert app.clipboard.startswith("The phone system for Harbor Street Dental moves")
        assert "Copied message notice-72h" in toasts(app)
        assert len(cockpit.events()) == before

        # One compact line names them; M shows them whole; m marks the first sent.
        shown = panel_text(app, "#step-detail")
        assert "✉ 4 due: notice-72h, notice-24h, foc-confirm, window-start" in shown
        assert shown.index("✉ 4 due") < shown.index("Pre-flight checks (T-60)")
        await pilot.press("M")
        await pilot.pause()
        assert isinstance(app.screen, ReadText)
        whole = str(app.screen.query_one(".dialog-body").render())
        assert "The phone system for Harbor Street Dental moves" in whole
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        event = last(cockpit)
        assert (event.type, event.message_id) == ("message_sent", "notice-72h")
        assert "Marked sent: notice-72h" in toasts(app)
        shown = panel_text(app, "#step-detail")
        assert "✉ 3 due: notice-24h, foc-confirm, window-start" in shown

        await pilot.press("m", "m", "m")
        await pilot.pause()
        sent = [e.message_id for e in cockpit.events()[-3:]]
        assert sent == ["notice-24h", "foc-confirm", "window-start"]
        assert "✉" not in panel_text(app, "#step-detail")
        assert enabled(app, "m") is None  # nothing due: the key is not offered

        # Nothing due: c copies the current step's first command.
        await pilot.press("c")
        await pilot.pause()
        assert app.clipboard == "cloudvoice users list --site harbor-st --status"
        assert "Copied the step's command" in toasts(app)
        assert len(cockpit.events()) == before + 4

    run_pilot(app, scenario)


def test_question_mark_opens_help_and_ctrl_q_quits(make: Cockpits) -> None:
    cockpit = make()
    app = cockpit.app

    async def scenario(pilot: Pilot[Any]) -> None:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        shown = "\n".join(plain(widget.content) for widget in app.screen.query(Static))
        assert "The rule: stuck for 30 minutes" in shown
        assert "Start the rollback" in shown and "Raise a blocker" in shown
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CockpitScreen)

        await pilot.press("space")
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()

    run_pilot(app, scenario)
    assert app.return_code == 0
    # Everything that was shown is on disk.
    assert cockpit.types()[-1] == "step_started"


# ---- dialogs cancel, refusals write nothing ------------------------------------------------


def test_escape_in_a_dialog_cancels_and_writes_nothing(make: Cockpits) -> None:
    cockpit = mid_cutover(make())
    app = cockpit.app
    before = len(cockpit.events())

    async def scenario(pilot: Pilot[Any]) -> None:
        # An empty answer is not accepted: the question stays open.
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("space", "enter")
        await pilot.pause()
        assert isinstance(app.screen, AskText)
        assert "Write a few words first" in toasts(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CockpitScreen)

        # Half an answer, then escape: the blocker is not raised.
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, AskText)
        await type_text(pilot, "hal")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CockpitScreen)
        assert "no open blocker" in escalation(app)[0]

        await pilot.press("R")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CockpitScreen)
        assert app.screen.query_one("#timeline").border_title == "Timeline"

        assert len(cockpit.events()) == before

    run_pilot(app, scenario)


def test_after_the_end_only_notes_are_offered(make: Cockpits) -> None:
    cockpit = mini_switch_running(make("mini"))
    cockpit.do(cmd.StartRollback(reason="NOC no"))
    for step_id in ("switch", "prep"):
        cockpit.do(cmd.MarkRollbackStep(step_id=step_id))
    cockpit.do(cmd.CompleteRollback())
    app = cockpit.app
    before = len(cockpit.events())

    async def scenario(pilot: Pilot[Any]) -> None:
        for key in ("space", "s", "b", "R", "m"):
            assert enabled(app, key) is None, key
        await pilot.press("space", "b")
        await pilot.pause()
        assert isinstance(app.screen, CockpitScreen)
        assert len(cockpit.events()) == before
        await pilot.press("a")
        await pilot.pause()
        await answer(pilot, "09:00")
        assert last(cockpit).type == "note_added"

    run_pilot(app, scenario)


# ---- following: read-only ------------------------------------------------------------------


def test_following_writes_nothing_and_picks_up_what_the_session_writes(make: Cockpits) -> None:
    cockpit = mid_cutover(make())
    follower = follower_for(cockpit)
    app = CockpitApp(follower)
    before = len(cockpit.events())

    async def scenario(pilot: Pilot[Any]) -> None:
        assert "FOLLOWING" in panel_text(app, "#header")
        # Read-only: no writing key is active, and pressing them writes nothing.
        bindings = app.screen.active_bindings
        for key in ("space", "s", "x", "1", "g", "n", "h", "b", "e", "r", "R", "a", "m"):
            assert key not in bindings, key
        writing = {action.id for action in ACTIONS if action.writes}
        assert not {b.binding.action.split("(")[0] for b in bindings.values()} & writing
        await pilot.press("space", "b", "a", "1", "R")
        await pilot.pause()
        assert isinstance(app.screen, CockpitScreen)
        assert len(cockpit.events()) == before
        assert "space starts" not in panel_text(app, "#step-detail")
        assert "toggle" not in panel_text(app, "#checkpoint")

        # The live session (a separate writer) appends; the follower shows it within a poll.
        cockpit.raise_blocker()
        await pilot.pause(0.7)  # the follower polls twice a second
        for _ in range(20):  # a loaded machine may delay the poll: wait up to 2 s more
            if escalation(app)[1]:
                break
            await pilot.pause(0.1)
        assert escalation(app)[1] == "30:00"
        assert "e call logged" not in escalation(app)[0]  # no writing hints when following
        assert f"event #{cockpit.session.saved_seq}" in panel_text(app, "#header")

    try:
        run_pilot(app, scenario)
    finally:
        follower.close()


def test_follower_poll_applies_only_new_events(make: Cockpits) -> None:
    cockpit = make()
    follower = follower_for(cockpit)
    try:
        assert follower.poll() is False
        cockpit.do(cmd.StartStep(step_id="preflight"))
        cockpit.do(cmd.AddNote(text="bridge is up"))
        assert follower.poll() is True
        assert follower.state.last_seq == cockpit.session.saved_seq
        assert follower.state.running_step == "preflight"
        assert follower.poll() is False
    finally:
        follower.close()


# ---- NOT SAVED ----------------------------------------------------------------------------


def test_a_failed_save_shows_not_saved_refuses_more_then_retries(
    make: Cockpits, monkeypatch: pytest.MonkeyPatch
) -> None:
    cockpit = make()
    app = cockpit.app
    journal = cockpit.session.journal
    working_append = journal.append
    before = len(cockpit.events())

    def broken_disk(events: Any) -> int:
        raise JournalWriteFailed("could not save: disk full")

    async def scenario(pilot: Pilot[Any]) -> None:
        monkeypatch.setattr(journal, "append", broken_disk)
        await pilot.press("space")
        await pilot.pause()
        header = panel_text(app, "#header")
        assert "NOT SAVED" in header
        assert app.screen.query_one("#save-badge").has_class("-unsaved")
        assert "NOT SAVED" in toasts(app)
        assert "pending" in timeline_row(app, "preflight")  # not shown as started
        assert cockpit.session.pending is not None
        assert len(cockpit.events()) == before

        # Anything else is refused until the pending action is on disk.
        await pilot.press("a")
        await pilot.pause()
        await answer(pilot, "?")
        assert "nothing else is accepted" in toasts(app)
        assert len(cockpit.events()) == before

        # The disk works again: the once-a-second tick retries the same command.
        monkeypatch.setattr(journal, "append", working_append)
        screen(app).tick()
        await pilot.pause()
        event = last(cockpit)
        assert (event.type, event.step_id) == ("step_started", "preflight")
        assert len(cockpit.events()) == before + 1  # written once, not twice
        assert "running" in timeline_row(app, "preflight")
        header = panel_text(app, "#header")
        assert "NOT SAVED" not in header and f"saved #{before + 1}" in header
        assert "Saved again" in toasts(app)

    run_pilot(app, scenario)
