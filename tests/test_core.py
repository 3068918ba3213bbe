"""decide / evolve / fold on the mini runbook: the lifecycle, every refusal, the views."""

from __future__ import annotations

from datetime import timedelta

from cockpit.core import commands as cmd
from cockpit.core.comms import due_messages
from cockpit.core.escalation import escalation_view
from cockpit.core.evolve import evolve, fold
from cockpit.core.rollback import rollback_view
from cockpit.core.schedule import late_minutes, projected_finish, stuck_step, timings, window
from cockpit.journal import events as ev

from .conftest import MINI_WINDOW_START, Driver


def open_gate(driver: Driver) -> None:
    """Mark both criteria of the mini gate and record a go."""
    for index in range(2):
        driver.must(cmd.MarkCriterion(checkpoint_id="gate", index=index, met=True))
    driver.must(cmd.DecideCheckpoint(checkpoint_id="gate", decision="go", by="Dana"))


def run_first_two(driver: Driver) -> None:
    """Complete 'prep' (10 min) and skip 'snapshot'."""
    driver.must(cmd.StartStep(step_id="prep"))
    driver.clock.advance(minutes=10)
    driver.complete("prep")
    driver.must(cmd.SkipStep(step_id="snapshot", reason="already taken yesterday"))


def test_first_event_snapshots_the_plan(driver: Driver) -> None:
    first = driver.events[0]
    assert isinstance(first, ev.CutoverStarted)
    assert first.seq == 1 and first.runbook["runbook"]["id"] == "mini"
    assert first.plan_start == MINI_WINDOW_START
    assert driver.state.current_step == "prep"


def test_a_whole_successful_cutover(driver: Driver) -> None:
    run_first_two(driver)
    open_gate(driver)
    assert driver.do(cmd.StartStep(step_id="switch")).code == "confirm_ponr"  # type: ignore[union-attr]
    events = driver.must(cmd.StartStep(step_id="switch", confirm_ponr=True))
    assert [type(e) for e in events] == [ev.PointOfNoReturnCrossed, ev.StepStarted]
    assert events[0].go_seq == driver.state.checkpoints["gate"].decision_seq  # type: ignore[attr-defined]
    driver.clock.advance(minutes=20)
    driver.complete("switch")
    driver.must(cmd.StartStep(step_id="test"))
    driver.clock.advance(minutes=15)
    driver.complete("test")
    driver.declare()
    assert driver.state.ended
    # a skip makes it "with issues"
    assert driver.state.outcome == "successful_with_issues"
    assert [e.seq for e in driver.events] == list(range(1, len(driver.events) + 1))


def test_clean_run_is_successful(driver: Driver) -> None:
    driver.must(cmd.StartStep(step_id="prep"))
    driver.complete("prep")
    driver.must(cmd.StartStep(step_id="snapshot"))
    driver.complete("snapshot")
    open_gate(driver)
    driver.must(cmd.StartStep(step_id="switch", confirm_ponr=True))
    driver.complete("switch")
    driver.must(cmd.StartStep(step_id="test"))
    driver.complete("test")
    driver.declare()
    assert driver.state.outcome == "successful"


def test_step_refusals(driver: Driver) -> None:
    assert "not running" in driver.refused(cmd.CompleteStep(step_id="prep")).reason
    assert "no step" in driver.refused(cmd.StartStep(step_id="nope")).reason
    assert "not running" in driver.refused(cmd.FailStep(step_id="prep", reason="x")).reason
    driver.must(cmd.StartStep(step_id="prep"))
    assert "already running" in driver.refused(cmd.StartStep(step_id="prep")).reason
    assert "one step at a time" in driver.refused(cmd.StartStep(step_id="snapshot")).reason
    assert "empty" in driver.refused(cmd.FailStep(step_id="prep", reason="  ")).reason
    driver.complete("prep")
    assert "already completed" in driver.refused(cmd.StartStep(step_id="prep")).reason
    assert "already done" in driver.refused(cmd.SkipStep(step_id="prep", reason="x")).reason


def test_dependencies_and_gates_are_enforced(driver: Driver) -> None:
    refusal = driver.refused(cmd.StartStep(step_id="switch", confirm_ponr=True))
    assert "depends on 'Prepare'" in refusal.reason
    run_first_two(driver)
    refusal = driver.refused(cmd.StartStep(step_id="switch", confirm_ponr=True))
    assert refusal.code == "needs_go" and "Go for switch" in refusal.reason


def test_ponr_step_cannot_be_skipped(driver: Driver) -> None:
    assert "point-of-no-return" in driver.refused(cmd.SkipStep(step_id="switch", reason="x")).reason


def test_go_needs_every_criterion(driver: Driver) -> None:
    driver.must(cmd.MarkCriterion(checkpoint_id="gate", index=0, met=True))
    refusal = driver.refused(cmd.DecideCheckpoint(checkpoint_id="gate", decision="go", by="Dana"))
    assert refusal.code == "criteria_unmet" and "#2" in refusal.reason
    driver.must(cmd.MarkCriterion(checkpoint_id="gate", index=1, met=False))
    driver.refused(cmd.DecideCheckpoint(checkpoint_id="gate", decision="go", by="Dana"))
    assert "#3" in driver.refused(cmd.MarkCriterion(checkpoint_id="gate", index=2, met=True)).reason


def test_no_go_and_hold_need_a_reason_and_are_kept_in_history(driver: Driver) -> None:
    hold = cmd.DecideCheckpoint(checkpoint_id="gate", decision="hold", by="Dana")
    assert "reason" in driver.refused(hold).reason
    driver.must(
        cmd.DecideCheckpoint(checkpoint_id="gate", decision="hold", by="Dana", reason="NOC late")
    )
    open_gate(driver)
    history = driver.state.checkpoints["gate"].history
    assert [decision for decision, *_ in history] == ["hold", "go"]
    assert (
        "already has a go"
        in driver.refused(cmd.MarkCriterion(checkpoint_id="gate", index=0, met=False)).reason
    )


def test_checkpoint_closes_once_its_step_started(driver: Driver) -> None:
    run_first_two(driver)
    open_gate(driver)
    driver.must(cmd.StartStep(step_id="switch", confirm_ponr=True))
    refusal = driver.refused(cmd.MarkCriterion(checkpoint_id="gate", index=0, met=False))
    assert "closed" in refusal.reason


def test_blocker_escalation_timer_survives_a_refold(driver: Driver) -> None:
    driver.must(cmd.StartStep(step_id="prep"))
    driver.must(cmd.RaiseBlocker(what="Carrier NOC not answering"))
    assert "already open" in driver.refused(cmd.RaiseBlocker(what="again")).reason
    driver.clock.advance(minutes=17, seconds=26)
    view = escalation_view(fold(driver.events), driver.clock.now())
    assert view.clock == "12:34" and view.level == "calm"
    assert view.contact_name == "Sam Senior" and view.contact_number == "+1 555 0199"
    driver.clock.advance(minutes=3)
    assert escalation_view(driver.state, driver.clock.now()).level == "warning"
    driver.clock.advance(minutes=6)
    assert escalation_view(driver.state, driver.clock.now()).level == "urgent"
    driver.clock.advance(minutes=5)
    overdue = escalation_view(driver.state, driver.clock.now())
    assert overdue.level == "overdue" and overdue.clock.startswith("-")
    driver.must(cmd.LogEscalation(agreed="Call back in 10 minutes"))
    view = escalation_view(driver.state, driver.clock.now())
    assert view.level == "called" and view.called_contact == "Sam Senior"
    driver.must(cmd.ResolveBlocker(how="NOC called back"))
    assert escalation_view(driver.state, driver.clock.now()).level == "idle"
    # A call with no blocker open is logged too (the carrier NOC, a vendor), on no blocker.
    driver.must(cmd.LogEscalation(contact_id="carrier-noc", agreed="Port still on schedule"))
    assert driver.state.calls[-1].blocker_id is None
    assert driver.state.calls[-1].agreed == "Port still on schedule"
    assert "no open blocker" in driver.refused(cmd.ResolveBlocker(how="x")).reason


def test_escalation_to_unknown_contact_is_refused(driver: Driver) -> None:
    driver.must(cmd.RaiseBlocker(what="stuck"))
    assert "no contact" in driver.refused(cmd.LogEscalation(contact_id="ghost")).reason
    driver.must(cmd.LogEscalation(contact_id="carrier-noc", agreed="NOC opens a ticket"))
    assert driver.state.open_blocker is not None
    assert driver.state.open_blocker.called_contact == "Carrier NOC"


def test_rollback_undoes_started_steps_in_reverse(driver: Driver) -> None:
    run_first_two(driver)
    open_gate(driver)
    driver.must(cmd.StartStep(step_id="switch", confirm_ponr=True))
    view = rollback_view(driver.state, driver.clock.now())
    assert [item.step_id for item in view.items] == ["switch", "prep"]
    assert view.items[0].partial and view.total_minutes == 25 and view.past_ponr
    assert view.forward_fix[0].startswith("Forward numbers")
    events = driver.must(cmd.StartRollback(reason="inbound calls fail"))
    assert isinstance(events[0], ev.StepFailed) and driver.state.rolling_back
    assert "rollback is under way" in driver.refused(cmd.StartStep(step_id="test")).reason
    assert "undo still to do" in driver.refused(cmd.CompleteRollback()).reason
    driver.must(cmd.MarkRollbackStep(step_id="switch"))
    assert "already done" in driver.refused(cmd.MarkRollbackStep(step_id="switch")).reason
    assert "not on the rollback" in driver.refused(cmd.MarkRollbackStep(step_id="test")).reason
    driver.must(cmd.MarkRollbackStep(step_id="prep"))
    driver.must(cmd.CompleteRollback())
    assert driver.state.outcome == "rolled_back"
    assert "has ended" in driver.refused(cmd.StartStep(step_id="test")).reason
    driver.must(cmd.AddNote(text="notes still welcome after the end"))


def test_rollback_with_nothing_to_undo_ends_at_once(driver: Driver) -> None:
    events = driver.must(cmd.StartRollback(reason="customer cancelled"))
    assert [type(e) for e in events][-1] is ev.CutoverEnded
    assert driver.state.outcome == "rolled_back"


def test_rollback_deadline_is_window_end_minus_undo(driver: Driver) -> None:
    driver.must(cmd.StartStep(step_id="prep"))
    driver.complete("prep")
    view = rollback_view(driver.state, driver.clock.now())
    assert view.total_minutes == 5
    assert view.deadline == window(driver.state).end - timedelta(minutes=5)
    assert view.fits_rto


def test_declare_complete_refusals(driver: Driver) -> None:
    assert "not done yet" in driver.refused(cmd.DeclareComplete()).reason


def test_schedule_projection_and_overrun(driver: Driver) -> None:
    driver.must(cmd.StartStep(step_id="prep"))
    driver.clock.advance(minutes=25)  # planned 10
    timing = timings(driver.state, driver.clock.now())[0]
    assert timing.overrun and timing.stuck and timing.variance_minutes == 15
    assert stuck_step(driver.state, driver.clock.now()) == "prep"
    # 45 remaining planned minutes after prep, from now (02:25) → 03:10, window ends 03:00
    assert projected_finish(driver.state, driver.clock.now()) == MINI_WINDOW_START + timedelta(
        minutes=25 + 45
    )
    assert late_minutes(driver.state, driver.clock.now()) == 10


def test_rehearsal_shifts_the_window(driver_factory) -> None:  # type: ignore[no-untyped-def]
    start = MINI_WINDOW_START - timedelta(days=30)
    rehearsal = driver_factory(mode="rehearsal", start=start)
    rehearsal.must(cmd.Rebaseline(plan_start=start, reason="rehearsal starts now"))
    assert window(rehearsal.state).start == start
    assert window(rehearsal.state).end == start + timedelta(hours=1)
    rehearsal.must(cmd.StartStep(step_id="prep"))
    assert (
        "already started"
        in rehearsal.refused(cmd.Rebaseline(plan_start=start, reason="again")).reason
    )


def test_due_messages_and_rendering(driver: Driver) -> None:
    due = {m.message_id: m for m in due_messages(driver.state, driver.clock.now())}
    assert set(due) == {"start"}
    assert due["start"].text.startswith("The Mini cutover for Example Co starts now")
    driver.must(cmd.MarkMessageSent(message_id="start"))
    assert "no message" in driver.refused(cmd.MarkMessageSent(message_id="nope")).reason
    driver.clock.advance(minutes=30)  # nothing started: 30 minutes behind plan
    due = {m.message_id: m for m in due_messages(driver.state, driver.clock.now())}
    assert due["late"].text == "We are running 30 minutes late."


def test_secrets_are_journaled_by_name_only(driver: Driver) -> None:
    events = driver.must(cmd.RecordSecretReveal(name="carrier-pin", how="shown", source="keyring"))
    assert events[0].model_dump()["name"] == "carrier-pin"
    driver.must(cmd.SetShareMode(on=True))
    assert "already on" in driver.refused(cmd.SetShareMode(on=True)).reason


def test_events_never_go_back_in_time(driver: Driver) -> None:
    driver.clock.advance(minutes=5)
    driver.must(cmd.AddNote(text="first"))
    driver.clock.advance(minutes=-60)  # the wall clock jumps backwards
    events = driver.must(cmd.AddNote(text="second"))
    assert events[0].at == driver.events[-2].at


def test_command_ids_make_event_ids(driver: Driver) -> None:
    command = cmd.AddNote(text="hello")
    events = driver.must(command)
    assert events[0].event_id == f"{command.command_id}-0"


def test_evolve_is_pure(driver: Driver) -> None:
    before = driver.state
    snapshot = (dict(before.steps), list(before.notes), before.last_seq)
    note = ev.NoteAdded(seq=before.last_seq + 1, at=MINI_WINDOW_START, event_id="x", text="t")
    after = evolve(before, note)
    assert (dict(before.steps), list(before.notes), before.last_seq) == snapshot
    assert after.notes[-1].text == "t"


def test_refusal_before_start() -> None:
    from cockpit.core.decide import decide
    from cockpit.core.state import CutoverState

    result = decide(CutoverState(), cmd.AddNote(text="x"), MINI_WINDOW_START)
    assert isinstance(result, cmd.Refusal) and "not started" in result.reason
