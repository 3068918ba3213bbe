"""Planned versus actual: what the timeline, the header and the debrief show about time.

All of it is computed from the folded state and a moment `now` given by the caller's
clock, so the same function answers live, in replay and in tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from .state import CutoverState, StepState

#: A step counts as overrunning once it runs this much past its expected minutes.
OVERRUN_TOLERANCE = 1.0
#: A step running this many times its expected minutes offers to raise a blocker.
STUCK_FACTOR = 2.0


@dataclass(frozen=True, slots=True)
class StepTiming:
    """One step, planned against actual, at a moment."""

    step_id: str
    planned_start: datetime
    planned_minutes: int
    actual_start: datetime | None
    actual_minutes: float | None
    variance_minutes: float | None
    overrun: bool
    stuck: bool

    @property
    def planned_end(self) -> datetime:
        """When the plan has this step finished."""
        return self.planned_start + timedelta(minutes=self.planned_minutes)


@dataclass(frozen=True, slots=True)
class Window:
    """The maintenance window in force, after any rebaseline (UTC)."""

    start: datetime
    end: datetime


def window(state: CutoverState) -> Window:
    """The window in force: the runbook's, shifted with the plan's start when rebaselined."""
    assert state.runbook is not None
    meta = state.runbook.meta
    start = state.plan_start or meta.window_start_utc
    return Window(start=start, end=start + (meta.window_end_utc - meta.window_start_utc))


def planned_starts(state: CutoverState) -> dict[str, datetime]:
    """Planned start of each step: the plan's start plus the minutes of the steps before."""
    assert state.runbook is not None
    moment = window(state).start
    starts: dict[str, datetime] = {}
    for step in state.runbook.steps:
        starts[step.id] = moment
        moment += timedelta(minutes=step.minutes)
    return starts


def step_minutes(step: StepState, now: datetime) -> float | None:
    """Minutes a step took (or has taken so far, while running)."""
    if step.started_at is None:
        return None
    end = step.ended_at if step.ended_at is not None and step.status != "running" else now
    return max((end - step.started_at).total_seconds() / 60, 0.0)


def timings(state: CutoverState, now: datetime) -> list[StepTiming]:
    """Planned and actual for every step, in plan order."""
    assert state.runbook is not None
    starts = planned_starts(state)
    result: list[StepTiming] = []
    for step in state.runbook.steps:
        step_state = state.steps[step.id]
        actual = step_minutes(step_state, now) if step_state.status != "skipped" else None
        variance = actual - step.minutes if actual is not None else None
        running = step_state.status == "running"
        result.append(
            StepTiming(
                step_id=step.id,
                planned_start=starts[step.id],
                planned_minutes=step.minutes,
                actual_start=step_state.started_at,
                actual_minutes=actual,
                variance_minutes=variance,
                overrun=actual is not None and actual > step.minutes * OVERRUN_TOLERANCE,
                stuck=running and actual is not None and actual > step.minutes * STUCK_FACTOR,
            )
        )
    return result


def projected_finish(state: CutoverState, now: datetime) -> datetime:
    """When the last step will end if every remaining step takes its planned minutes."""
    assert state.runbook is not None
    if state.ended_at is not None:
        return state.ended_at
    remaining = 0.0
    for step in state.runbook.steps:
        step_state = state.steps[step.id]
        if step_state.done:
            continue
        if step_state.status == "running":
            taken = step_minutes(step_state, now) or 0.0
            remaining += max(step.minutes - taken, 0.0)
        else:
            remaining += step.minutes
    started = any(step.started_at is not None for step in state.steps.values())
    begin = now if started else max(now, window(state).start)
    return begin + timedelta(minutes=remaining)


def planned_finish(state: CutoverState) -> datetime:
    """When the plan has the last step finished."""
    assert state.runbook is not None
    return window(state).start + timedelta(minutes=state.runbook.total_minutes)


def late_minutes(state: CutoverState, now: datetime) -> float:
    """Minutes the projected finish is past the window's end (negative: spare time)."""
    return (projected_finish(state, now) - window(state).end).total_seconds() / 60


def slip_minutes(state: CutoverState, now: datetime) -> float:
    """Minutes the projected finish is past the planned finish (negative: ahead)."""
    return (projected_finish(state, now) - planned_finish(state)).total_seconds() / 60


def elapsed(state: CutoverState, now: datetime) -> timedelta | None:
    """Time since the first step started (None before)."""
    starts = [s.started_at for s in state.steps.values() if s.started_at is not None]
    if not starts:
        return None
    end = state.ended_at or now
    return max(end - min(starts), timedelta(0))


def stuck_step(state: CutoverState, now: datetime) -> str | None:
    """The running step if it has run past twice its expected minutes."""
    running = state.running_step
    if running is None or state.runbook is None:
        return None
    taken = step_minutes(state.steps[running], now) or 0.0
    return running if taken > state.runbook.step(running).minutes * STUCK_FACTOR else None
