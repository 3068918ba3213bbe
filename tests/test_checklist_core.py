"""Issue 12 in the core: ticks, corrections, every stop on the 30-minute rule, undo that
fails or is skipped, the check after a rollback, the checklist before the window."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from cockpit.core import commands as cmd
from cockpit.core.checklists import ChecklistRef, in_view
from cockpit.core.escalation import escalation_view
from cockpit.core.evolve import fold
from cockpit.journal.events import StepCompleted, StepReopened
from cockpit.model.contacts import ContactCard
from cockpit.model.runbook import Runbook
from tests.conftest import Driver
from tests.journal_helpers import MINI_WINDOW_START

PRE_WINDOW = [
    {"item": "FOC confirmed by phone", "signed_by": "de"},
    {"item": "Senior DE approved the plan", "signed_by": "senior-de"},
]
RESTORED = ["Main number rings on the old system", "Outbound caller ID is right"]


@pytest.fixture
def full_runbook(mini_runbook: Runbook) -> Runbook:
    """The mini runbook with a checklist before the window and a check after rollback."""
    data: dict[str, Any] = mini_runbook.model_dump(mode="json")
    data["pre_window"] = PRE_WINDOW
    data["rollback_verification"] = RESTORED
    return Runbook.model_validate(data)


@pytest.fixture
def full(full_runbook: Runbook, mini_card: ContactCard) -> Callable[..., Driver]:
    """A started driver on the full runbook."""

    def make(mode: str = "live") -> Driver:
        from cockpit.core.clock import ManualClock

        driver = Driver(full_runbook, mini_card, ManualClock(MINI_WINDOW_START))
        driver.start(mode)
        return driver

    return make


# ---- verify items ---------------------------------------------------------------------


def test_a_verify_item_is_ticked_with_its_time_and_who_and_only_once(driver: Driver) -> None:
    refusal = driver.refused(cmd.TickItem(checklist="step", step_id="prep", index=0))
    assert "start it first" in refusal.reason
    driver.must(cmd.StartStep(step_id="prep"))
    driver.clock.advance(minutes=3)
    driver.must(cmd.TickItem(checklist="step", step_id="prep", index=0))
    tick = driver.state.tick("step", "prep", 0)
    assert tick is not None and tick.by == "Dana" and tick.at == driver.clock.now()
    assert driver.refused(cmd.TickItem(checklist="step", step_id="prep", index=0)).code == "ticked"
    assert "no #2" in driver.refused(cmd.TickItem(checklist="step", step_id="prep", index=1)).reason


def test_completing_with_unticked_items_asks_why_and_journals_the_answer(driver: Driver) -> None:
    driver.must(cmd.StartStep(step_id="test"))  # two verify items, no dependencies
    driver.must(cmd.TickItem(checklist="step", step_id="test", index=1))
    refusal = driver.refused(cmd.CompleteStep(step_id="test"))
    assert refusal.code == "unticked" and "#1" in refusal.reason and "#2" not in refusal.reason
    [event] = driver.must(cmd.CompleteStep(step_id="test", anyway="Inbound checked by customer"))
    assert isinstance(event, StepCompleted)
    assert event.unticked == [0] and event.anyway == "Inbound checked by customer"
    assert driver.state.steps["test"].anyway == "Inbound checked by customer"


def test_a_double_tap_never_completes_a_step_with_verify_items(driver: Driver) -> None:
    driver.must(cmd.StartStep(step_id="prep"))
    assert driver.refused(cmd.CompleteStep(step_id="prep")).code == "unticked"
    assert driver.state.steps["prep"].status == "running"


# ---- corrections ----------------------------------------------------------------------


def test_a_step_completed_by_mistake_is_reopened_running_from_its_first_start(
    driver: Driver,
) -> None:
    driver.must(cmd.StartStep(step_id="prep"))
    started = driver.state.steps["prep"].started_at
    driver.complete("prep")
    assert driver.refused(cmd.ReopenStep(step_id="prep", reason=" ")).reason.startswith("why")
    [event] = driver.must(cmd.ReopenStep(step_id="prep", reason="completed by a double tap"))
    assert isinstance(event, StepReopened) and event.was == "completed"
    step = driver.state.steps["prep"]
    assert (step.status, step.started_at, step.ended_at, step.reopened) == (
        "running",
        started,
        None,
        1,
    )
    # The journal keeps both: the mistaken completion and its correction.
    assert [type(e).__name__ for e in driver.events[-2:]] == ["StepCompleted", "StepReopened"]
    assert fold(driver.events).steps["prep"] == step


def test_a_skip_by_mistake_reopens_pending_and_one_step_runs_at_a_time(driver: Driver) -> None:
    driver.must(cmd.SkipStep(step_id="prep", reason="not needed"))
    driver.must(cmd.ReopenStep(step_id="prep", reason="it is needed after all"))
    assert driver.state.steps["prep"].status == "pending"
    driver.must(cmd.StartStep(step_id="prep"))
    driver.complete("prep")
    driver.must(cmd.StartStep(step_id="snapshot"))
    refusal = driver.refused(cmd.ReopenStep(step_id="prep", reason="forgot the export"))
    assert "one step at a time" in refusal.reason
    assert "pending" in driver.refused(cmd.ReopenStep(step_id="test", reason="x")).reason


def test_an_untick_needs_a_reason_and_a_withdrawn_note_stays_in_the_journal(
    driver: Driver,
) -> None:
    driver.must(cmd.StartStep(step_id="prep"))
    driver.must(cmd.TickItem(checklist="step", step_id="prep", index=0))
    assert driver.refused(
        cmd.UntickItem(checklist="step", step_id="prep", index=0, reason="")
    ).reason.startswith("why")
    driver.must(
        cmd.UntickItem(checklist="step", step_id="prep", index=0, reason="ticked the wrong row")
    )
    assert driver.state.tick("step", "prep", 0) is None
    [note] = driver.must(cmd.AddNote(text="Carrier says FOC moved"))
    driver.must(cmd.WithdrawNote(note_seq=note.seq, reason="wrong customer's ticket"))
    assert driver.state.notes[-1].withdrawn == "wrong customer's ticket"
    assert driver.state.notes[-1].text == "Carrier says FOC moved"
    assert "already" in driver.refused(cmd.WithdrawNote(note_seq=note.seq, reason="x")).reason
    assert "no note" in driver.refused(cmd.WithdrawNote(note_seq=1, reason="x")).reason


# ---- every stop on the 30-minute rule ---------------------------------------------------


def _to_the_gate(driver: Driver) -> None:
    driver.must(cmd.StartStep(step_id="prep"))
    driver.complete("prep")
    driver.must(cmd.StartStep(step_id="snapshot"))
    driver.complete("snapshot")


@pytest.mark.parametrize("decision", ["hold", "no_go"])
def test_a_hold_or_no_go_starts_the_countdown_and_the_go_ends_it(
    driver: Driver, decision: str
) -> None:
    _to_the_gate(driver)
    driver.must(
        cmd.DecideCheckpoint(
            checkpoint_id="gate",
            decision=decision,  # type: ignore[arg-type]
            by="Dana",
            reason="carrier not on the bridge",
        )
    )
    blocker = driver.state.open_blocker
    assert blocker is not None and blocker.checkpoint_id == "gate"
    assert "carrier not on the bridge" in blocker.what
    driver.clock.advance(minutes=25)
    view = escalation_view(driver.state, driver.clock.now())
    assert view.level == "urgent" and view.clock == "05:00"
    for index in range(2):
        driver.must(cmd.MarkCriterion(checkpoint_id="gate", index=index, met=True))
    driver.must(cmd.DecideCheckpoint(checkpoint_id="gate", decision="go", by="Sam"))
    assert driver.state.open_blocker is None
    assert driver.state.blockers[-1].how == "GO by Sam"


def test_a_call_records_who_and_what_was_agreed(driver: Driver) -> None:
    driver.must(cmd.RaiseBlocker(what="port rejected"))
    assert "agreed" in driver.refused(cmd.LogEscalation(contact_id="carrier-noc")).reason
    driver.must(cmd.LogEscalation(contact_id="carrier-noc", agreed="NOC resubmits by 03:00"))
    call = driver.state.calls[-1]
    assert (call.contact_name, call.agreed, call.blocker_id) == (
        "Carrier NOC",
        "NOC resubmits by 03:00",
        "b1",
    )


# ---- rollback ---------------------------------------------------------------------------


def test_an_undo_can_fail_be_retried_or_skipped_and_the_check_after_is_ticked(
    full: Callable[..., Driver],
) -> None:
    driver = full("rehearsal")
    driver.must(cmd.StartStep(step_id="prep"))
    driver.complete("prep")
    driver.must(cmd.StartStep(step_id="snapshot"))
    driver.must(cmd.StartRollback(reason="old system unhealthy"))
    assert driver.state.rollback is not None and driver.state.rollback.steps == ("prep",)
    driver.must(cmd.FailRollbackStep(step_id="prep", reason="permission denied"))
    assert driver.state.rollback.failure("prep") == "permission denied"
    assert driver.state.rollback.remaining == ("prep",)
    driver.must(cmd.SkipRollbackStep(step_id="prep", reason="nothing was prepared after all"))
    assert not driver.state.rollback.remaining
    assert in_view(driver.state, None) == ChecklistRef("rollback_verification")
    refusal = driver.refused(cmd.CompleteRollback())
    assert refusal.code == "unticked" and "#1, #2" in refusal.reason
    driver.must(cmd.TickItem(checklist="rollback_verification", index=0))
    driver.must(cmd.CompleteRollback(anyway="caller ID checked in the morning"))
    assert driver.state.outcome == "rolled_back"


# ---- before the window -----------------------------------------------------------------


def test_a_live_night_starts_only_with_the_pre_window_list_ticked_or_a_reason(
    full: Callable[..., Driver],
) -> None:
    driver = full("live")
    assert in_view(driver.state, None) == ChecklistRef("pre_window")
    driver.must(cmd.TickItem(checklist="pre_window", index=1, by="Sam Senior"))
    assert driver.state.tick("pre_window", None, 1) is not None
    assert driver.state.tick("pre_window", None, 1).by == "Sam Senior"  # type: ignore[union-attr]
    refusal = driver.refused(cmd.StartStep(step_id="prep"))
    assert refusal.code == "unticked" and "before the window" in refusal.reason
    [started] = driver.must(cmd.StartStep(step_id="prep", anyway="FOC confirmed by email"))
    assert started.unticked == [0]  # type: ignore[attr-defined]
    # Once a step has started, the panel shows the step, not the list.
    assert in_view(driver.state, None) == ChecklistRef("step", "prep")


def test_a_rehearsal_does_not_wait_for_the_pre_window_list(full: Callable[..., Driver]) -> None:
    driver = full("rehearsal")
    assert in_view(driver.state, None) is None  # the first step shows; it has not started
    driver.must(cmd.StartStep(step_id="prep"))


def test_the_post_cutover_verification_is_ticked_even_after_the_end(driver: Driver) -> None:
    for step_id in ("prep", "snapshot"):
        driver.must(cmd.StartStep(step_id=step_id))
        driver.complete(step_id)
    for index in range(2):
        driver.must(cmd.MarkCriterion(checkpoint_id="gate", index=index, met=True))
    driver.must(cmd.DecideCheckpoint(checkpoint_id="gate", decision="go", by="Dana"))
    driver.must(cmd.StartStep(step_id="switch", confirm_ponr=True))
    driver.complete("switch")
    driver.must(cmd.StartStep(step_id="test"))
    driver.complete("test")
    assert in_view(driver.state, None) == ChecklistRef("verification")
    driver.must(cmd.TickItem(checklist="verification", index=0))
    driver.must(cmd.DeclareComplete(anyway="voicemail checked after the first message"))
    assert driver.state.ended
    driver.must(cmd.TickItem(checklist="verification", index=1))
    refusal = driver.refused(cmd.TickItem(checklist="step", step_id="test", index=0))
    assert "ended" in refusal.reason


def test_a_rollback_or_an_abandon_ends_the_stop_it_was_waiting_on(driver: Driver) -> None:
    _to_the_gate(driver)
    driver.must(
        cmd.DecideCheckpoint(checkpoint_id="gate", decision="no_go", by="Dana", reason="FOC gone")
    )
    assert driver.state.open_blocker is not None
    driver.must(cmd.StartRollback(reason="FOC revoked"))
    assert driver.state.open_blocker is None
    assert driver.state.blockers[-1].how == "rolled back: FOC revoked"


def test_a_signer_typed_too_long_is_refused_but_a_long_operator_name_still_ticks(
    driver: Driver,
) -> None:
    driver.must(cmd.StartStep(step_id="prep"))
    refusal = driver.refused(cmd.TickItem(checklist="step", step_id="prep", index=0, by="x" * 201))
    assert "longer than 200" in refusal.reason
    driver.state.operator = "O" * 300  # an old journal's operator, written before any cap
    driver.must(cmd.TickItem(checklist="step", step_id="prep", index=0))
    assert driver.state.tick("step", "prep", 0).by == "O" * 300  # type: ignore[union-attr]


def test_a_stop_projects_the_finish_from_the_call_and_then_from_now(driver: Driver) -> None:
    from datetime import timedelta

    from cockpit.core import schedule

    _to_the_gate(driver)
    assert schedule.stop(driver.state, driver.clock.now()) is None
    driver.must(
        cmd.DecideCheckpoint(checkpoint_id="gate", decision="hold", by="Dana", reason="NOC")
    )
    now = driver.clock.now()
    stopped = schedule.stop(driver.state, now)
    assert stopped is not None and stopped.kind == "HOLD"
    assert stopped.resume == now + timedelta(minutes=30)
    assert stopped.finish == schedule.projected_finish(driver.state, stopped.resume)
    driver.clock.advance(minutes=5)
    driver.must(cmd.LogEscalation(agreed="senior joins"))
    called = schedule.stop(driver.state, driver.clock.now())
    assert called is not None and called.resume == driver.clock.now()
