"""Clock: the wall clock jumping backwards or forwards mid-run corrupts neither the
escalation countdown nor the order of events.

The session runs on a `ManualClock` that the tests `set` anywhere — an hour back (an NTP
correction, a laptop that woke with a stale clock), days back, minutes or a day forward —
between any two commands. After every step:

* the journal's events are numbered 1, 2, 3… and their times never go backwards;
* every blocker's deadline is its raising time plus the runbook's escalation minutes, as
  stamped, and never moves afterwards (it lives in the journal: a restart, a follower and
  replay all read the same deadline);
* the countdown is computed from that absolute deadline: `seconds_left == deadline − now`
  exactly, whatever the clock did, and its level (calm, warning, urgent, overdue) follows;
* everything the screen computes from the clock (projected finish, lateness, elapsed, the
  stuck step, the rollback deadline, due messages) answers for any clock, without error;
* a resumed session on a clock that went back keeps every deadline and the event order.

The screen itself is run through clock jumps under Pilot: the escalation digits show the
countdown computed from the deadline.
"""

from __future__ import annotations

import asyncio
import random
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cockpit.core import commands as cmd
from cockpit.core import comms, schedule
from cockpit.core.clock import ManualClock
from cockpit.core.escalation import URGENT_MINUTES, WARNING_MINUTES, escalation_view
from cockpit.core.rollback import rollback_view
from cockpit.core.state import CutoverState
from cockpit.journal.store import read_events
from cockpit.model.load import load_contact_card, load_runbook
from cockpit.session import Session
from tests.crash.core_victim import next_command
from tests.journal_helpers import MINI, MINI_CARD, MINI_WINDOW_START

#: How far the clock may jump between two commands.
JUMPS = [
    timedelta(days=-3),
    timedelta(hours=-1),
    timedelta(minutes=-5),
    timedelta(seconds=-1),
    timedelta(0),
    timedelta(seconds=30),
    timedelta(minutes=12),
    timedelta(minutes=45),
    timedelta(days=1),
]


def open_session(path: Path, clock: ManualClock) -> Session:
    return Session.open(path, load_runbook(MINI), load_contact_card(MINI_CARD), clock)


def check_the_time(state: CutoverState, now: datetime, deadlines: dict[str, datetime]) -> None:
    """Deadlines absolute and unmoved; the countdown computed from them; views answer."""
    assert state.runbook is not None
    escalation = timedelta(minutes=state.runbook.meta.escalation_minutes)
    for blocker in state.blockers:
        # Escalation minutes after the clock's reading when it was raised: never later
        # than after the (monotonic) event time, so a clock jump cannot lengthen it.
        assert blocker.deadline <= blocker.raised_at + escalation
        assert deadlines.setdefault(blocker.blocker_id, blocker.deadline) == blocker.deadline
    view = escalation_view(state, now)
    blocker = state.open_blocker
    if blocker is None:
        assert view.level == "idle"
        return
    left = (blocker.deadline - now).total_seconds()
    assert view.seconds_left == left
    if blocker.called_at is not None:
        assert view.level == "called"
    elif left <= 0:
        assert view.level == "overdue"
    elif left <= URGENT_MINUTES * 60:
        assert view.level == "urgent"
    elif left <= WARNING_MINUTES * 60:
        assert view.level == "warning"
    else:
        assert view.level == "calm"
    sign = "-" if left < 0 else ""
    assert view.clock == f"{sign}{int(abs(left)) // 60:02d}:{int(abs(left)) % 60:02d}"


def check_views(state: CutoverState, now: datetime) -> None:
    """What the panels compute from the clock answers for any clock."""
    schedule.projected_finish(state, now)
    schedule.late_minutes(state, now)
    elapsed = schedule.elapsed(state, now)
    assert elapsed is None or elapsed >= timedelta(0)
    schedule.stuck_step(state, now)
    schedule.timings(state, now)
    rollback_view(state, now)
    comms.due_messages(state, now)


def check_order(path: Path) -> list:  # type: ignore[type-arg]
    events = read_events(path)
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    times = [e.at for e in events]
    assert times == sorted(times), "an event is earlier than the one before it"
    return events


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    jumps=st.lists(st.sampled_from(JUMPS), min_size=1, max_size=30),
    blocker_every=st.integers(2, 6),
    seed=st.integers(0, 2**16),
)
def test_clock_jumps_keep_deadlines_absolute_and_events_in_order(
    jumps: list[timedelta],
    blocker_every: int,
    seed: int,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    path = tmp_path_factory.mktemp("clock") / "night.journal"
    clock = ManualClock(MINI_WINDOW_START)
    rng = random.Random(seed)
    deadlines: dict[str, datetime] = {}
    session = open_session(path, clock)
    try:
        for number, jump in enumerate(jumps):
            clock.set(clock.now() + jump)
            if number % blocker_every == 0 and session.state.open_blocker is None:
                command: cmd.Command = cmd.RaiseBlocker(what=f"stuck {number}")
            else:
                command = next_command(session.state, rng)
            outcome = session.execute(command)
            assert outcome.kind in ("saved", "refused"), outcome
            check_the_time(session.state, clock.now(), deadlines)
            check_views(session.state, clock.now())
            check_order(path)
    finally:
        session.close()

    # A restart on a clock that went back a day: same deadlines, order kept.
    clock.set(clock.now() - timedelta(days=1))
    again = open_session(path, clock)
    try:
        check_the_time(again.state, clock.now(), deadlines)
        check_views(again.state, clock.now())
        events = check_order(path)
        assert events[-1].type == "session_resumed"
    finally:
        again.close()


def test_the_countdown_follows_the_wall_clock_both_ways(tmp_path: Path) -> None:
    path = tmp_path / "night.journal"
    clock = ManualClock(MINI_WINDOW_START)
    session = open_session(path, clock)
    try:
        assert session.execute(cmd.StartStep(step_id="prep")).ok
        raised = session.execute(cmd.RaiseBlocker(what="export times out")).events[0]
        deadline = raised.deadline  # type: ignore[attr-defined]
        assert deadline == MINI_WINDOW_START + timedelta(minutes=30)

        def shown() -> str:
            return escalation_view(session.state, clock.now()).clock

        assert shown() == "30:00"
        clock.advance(minutes=10)
        assert shown() == "20:00"
        clock.set(MINI_WINDOW_START - timedelta(hours=1))  # the clock is corrected back
        assert shown() == "90:00"  # the deadline is a moment, not a number of ticks
        clock.set(MINI_WINDOW_START + timedelta(minutes=31))
        assert shown() == "-01:00"
        assert escalation_view(session.state, clock.now()).level == "overdue"

        # The call is logged while the clock is an hour behind: it is stamped no earlier
        # than the blocker, and the deadline does not move.
        clock.set(MINI_WINDOW_START - timedelta(hours=1))
        called = session.execute(cmd.LogEscalation(agreed="Call back in 10 minutes")).events[0]
        assert called.at >= raised.at
        assert session.state.open_blocker is not None
        assert session.state.open_blocker.deadline == deadline
        assert escalation_view(session.state, clock.now()).level == "called"
    finally:
        session.close()
    check_order(path)

    # Resumed on another clock: the deadline is the journal's.
    clock.set(MINI_WINDOW_START + timedelta(days=2))
    again = open_session(path, clock)
    try:
        assert again.state.open_blocker is not None
        assert again.state.open_blocker.deadline == deadline
    finally:
        again.close()
    check_order(path)


def test_a_blocker_raised_after_the_clock_went_back_counts_down_the_full_escalation_time(
    tmp_path: Path,
) -> None:
    clock = ManualClock(MINI_WINDOW_START)
    session = open_session(tmp_path / "night.journal", clock)
    try:
        assert session.execute(cmd.StartStep(step_id="prep")).ok
        clock.set(MINI_WINDOW_START - timedelta(hours=1))
        assert session.execute(cmd.RaiseBlocker(what="export times out")).ok
        assert escalation_view(session.state, clock.now()).clock == "30:00"
    finally:
        session.close()


def test_the_screen_counts_down_from_the_deadline_through_clock_jumps(tmp_path: Path) -> None:
    from textual.widgets import Digits

    from cockpit.tui.app import CockpitApp

    clock = ManualClock(MINI_WINDOW_START)
    session = open_session(tmp_path / "night.journal", clock)
    assert session.execute(cmd.StartStep(step_id="prep")).ok
    assert session.execute(cmd.RaiseBlocker(what="export times out")).ok
    app = CockpitApp(session)

    async def scenario() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            for jump, expected in [
                (timedelta(0), "30:00"),
                (timedelta(minutes=7, seconds=30), "22:30"),
                (timedelta(hours=-2), "142:30"),
                (timedelta(hours=2, minutes=25), "-02:30"),
                (timedelta(days=-3), None),
                (timedelta(days=6), None),
            ]:
                clock.set(clock.now() + jump)
                app.screen.tick()
                await pilot.pause()
                countdown = escalation_view(session.state, clock.now()).clock
                if expected is not None:
                    assert countdown == expected
                assert app.screen.query_one("#esc-digits", Digits).value == countdown
            await pilot.press("ctrl+q")

    try:
        asyncio.run(scenario())
    finally:
        session.close()
