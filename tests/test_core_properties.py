"""Properties of the core: any command sequence never raises, and refolding agrees."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cockpit.core import commands as cmd
from cockpit.core.comms import due_messages
from cockpit.core.escalation import escalation_view
from cockpit.core.evolve import fold
from cockpit.core.rollback import rollback_view
from cockpit.core.schedule import projected_finish, timings

from .conftest import Driver

STEPS = st.sampled_from(["prep", "snapshot", "switch", "test", "ghost"])
TEXT = st.sampled_from(["", "  ", "why", "carrier late"])
COMMANDS = st.one_of(
    st.builds(cmd.StartStep, step_id=STEPS, confirm_ponr=st.booleans()),
    st.builds(cmd.CompleteStep, step_id=STEPS),
    st.builds(cmd.SkipStep, step_id=STEPS, reason=TEXT),
    st.builds(cmd.FailStep, step_id=STEPS, reason=TEXT),
    st.builds(
        cmd.MarkCriterion,
        checkpoint_id=st.sampled_from(["gate", "nope"]),
        index=st.integers(-1, 3),
        met=st.booleans(),
    ),
    st.builds(
        cmd.DecideCheckpoint,
        checkpoint_id=st.sampled_from(["gate", "nope"]),
        decision=st.sampled_from(["go", "no_go", "hold"]),
        by=st.sampled_from(["Dana", ""]),
        reason=TEXT,
    ),
    st.builds(cmd.RaiseBlocker, what=TEXT),
    st.builds(cmd.LogEscalation, contact_id=st.sampled_from([None, "senior", "ghost"])),
    st.builds(cmd.ResolveBlocker, how=TEXT),
    st.builds(cmd.StartRollback, reason=TEXT),
    st.builds(cmd.MarkRollbackStep, step_id=STEPS),
    st.builds(cmd.CompleteRollback),
    st.builds(cmd.MarkMessageSent, message_id=st.sampled_from(["start", "late", "x"])),
    st.builds(cmd.AddNote, text=TEXT),
    st.builds(cmd.SetShareMode, on=st.booleans()),
    st.builds(cmd.DeclareComplete),
    st.builds(cmd.Abandon, reason=TEXT),
)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    plan=st.lists(st.tuples(COMMANDS, st.integers(-5, 40)), max_size=40),
)
def test_any_command_sequence_never_raises_and_refolds_the_same(driver_factory, plan) -> None:  # type: ignore[no-untyped-def]
    driver: Driver = driver_factory()
    for command, minutes in plan:
        driver.clock.advance(minutes=minutes)
        driver.do(command)
        now = driver.clock.now()
        # the derived views must answer for any reachable state
        timings(driver.state, now)
        projected_finish(driver.state, now)
        rollback_view(driver.state, now)
        escalation_view(driver.state, now)
        due_messages(driver.state, now)
    refolded = fold(driver.events)
    assert refolded.steps == driver.state.steps
    assert refolded.checkpoints == driver.state.checkpoints
    assert refolded.blockers == driver.state.blockers
    assert refolded.rollback == driver.state.rollback
    assert refolded.outcome == driver.state.outcome
    assert refolded.last_seq == driver.state.last_seq == len(driver.events)
    # events are numbered without gaps and never go back in time
    assert [e.seq for e in driver.events] == list(range(1, len(driver.events) + 1))
    assert all(a.at <= b.at for a, b in zip(driver.events, driver.events[1:], strict=False))
    # a fold up to any event equals the fold of that prefix
    if driver.events:
        middle = len(driver.events) // 2 or 1
        assert fold(driver.events, upto_seq=middle).steps == fold(driver.events[:middle]).steps
