"""Planned versus actual: what the timeline, the header and the debrief show about time.

All of it is computed from the folded state and a moment `now` given by the caller's
clock, so the same function answers live, in replay and in tests.

Every function here is linear in the steps at most: what depends only on the runbook
(positions, planned offsets, the checkpoints before each step) is indexed once per
runbook by `plan_index`, and per-step questions are answered from that index.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from cockpit.model.runbook import Checkpoint, Runbook, Step

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


@dataclass(frozen=True, slots=True)
class PlanIndex:
    """What depends on the runbook alone, looked up in constant time."""

    #: Each step by its id, in plan order.
    steps: dict[str, Step]
    #: Each step's position in the plan.
    positions: dict[str, int]
    #: Minutes of the steps before each one (its planned start, from the plan's start).
    offsets: dict[str, int]
    #: The checkpoints gating each step that has any, in file order.
    gates: dict[str, tuple[Checkpoint, ...]]
    #: Planned minutes of every step together.
    total_minutes: int

    @classmethod
    def build(cls, runbook: Runbook) -> PlanIndex:
        """Index a runbook (one pass over its steps and checkpoints)."""
        steps: dict[str, Step] = {}
        positions: dict[str, int] = {}
        offsets: dict[str, int] = {}
        minutes = 0
        for position, step in enumerate(runbook.steps):
            steps[step.id] = step
            positions[step.id] = position
            offsets[step.id] = minutes
            minutes += step.minutes
        gates: dict[str, list[Checkpoint]] = {}
        for checkpoint in runbook.checkpoints:
            gates.setdefault(checkpoint.before, []).append(checkpoint)
        return cls(
            steps=steps,
            positions=positions,
            offsets=offsets,
            gates={step_id: tuple(found) for step_id, found in gates.items()},
            total_minutes=minutes,
        )

    def checkpoints_before(self, step_id: str) -> tuple[Checkpoint, ...]:
        """Checkpoints that gate this step, in file order (as `Runbook.checkpoints_before`)."""
        return self.gates.get(step_id, ())


#: Indexes by runbook identity. Runbooks are frozen, and a state keeps its runbook for
#: life, so the index is built once per runbook, not once per frame.
_INDEXES: dict[int, tuple[weakref.ref[Runbook], PlanIndex]] = {}


def plan_index(runbook: Runbook) -> PlanIndex:
    """The index of this runbook, built on first use."""
    cached = _INDEXES.get(id(runbook))
    if cached is not None and cached[0]() is runbook:
        return cached[1]
    for key, (ref, _) in list(_INDEXES.items()):
        if ref() is None:  # a runbook gone: its id may be reused
            _INDEXES.pop(key, None)
    index = PlanIndex.build(runbook)
    _INDEXES[id(runbook)] = (weakref.ref(runbook), index)
    return index


def window(state: CutoverState) -> Window:
    """The window in force: the runbook's, shifted with the plan's start when rebaselined."""
    assert state.runbook is not None
    meta = state.runbook.meta
    start = state.plan_start or meta.window_start_utc
    return Window(start=start, end=start + (meta.window_end_utc - meta.window_start_utc))


def planned_starts(state: CutoverState) -> dict[str, datetime]:
    """Planned start of each step: the plan's start plus the minutes of the steps before."""
    assert state.runbook is not None
    start = window(state).start
    offsets = plan_index(state.runbook).offsets
    return {step_id: start + timedelta(minutes=offset) for step_id, offset in offsets.items()}


def step_minutes(step: StepState, now: datetime) -> float | None:
    """Minutes a step took (or has taken so far, while running)."""
    if step.started_at is None:
        return None
    end = step.ended_at if step.ended_at is not None and step.status != "running" else now
    return max((end - step.started_at).total_seconds() / 60, 0.0)


def moves_with_time(step: StepState) -> bool:
    """Whether a step's actual minutes depend on `now` (it has started and not ended)."""
    if step.started_at is None or step.status == "skipped":
        return False
    return step.ended_at is None or step.status == "running"


def step_timing(
    step: Step, step_state: StepState, planned_start: datetime, now: datetime
) -> StepTiming:
    """One step, planned against actual, at `now`."""
    actual = step_minutes(step_state, now) if step_state.status != "skipped" else None
    running = step_state.status == "running"
    return StepTiming(
        step_id=step.id,
        planned_start=planned_start,
        planned_minutes=step.minutes,
        actual_start=step_state.started_at,
        actual_minutes=actual,
        variance_minutes=actual - step.minutes if actual is not None else None,
        overrun=actual is not None and actual > step.minutes * OVERRUN_TOLERANCE,
        stuck=running and actual is not None and actual > step.minutes * STUCK_FACTOR,
    )


class Timings(Mapping[str, StepTiming]):
    """Planned and actual of every step at a moment, by step id, in plan order.

    Each timing is computed when first asked for, so a frame that shows one step pays
    for one step; iterating computes them all, once.
    """

    def __init__(self, state: CutoverState, now: datetime) -> None:
        assert state.runbook is not None
        self._state = state
        self._now = now
        self._index = plan_index(state.runbook)
        self._start = window(state).start
        self._known: dict[str, StepTiming] = {}

    def __getitem__(self, step_id: str) -> StepTiming:
        timing = self._known.get(step_id)
        if timing is None:
            step = self._index.steps[step_id]
            planned = self._start + timedelta(minutes=self._index.offsets[step_id])
            timing = step_timing(step, self._state.steps[step_id], planned, self._now)
            self._known[step_id] = timing
        return timing

    def __iter__(self) -> Iterator[str]:
        return iter(self._index.steps)

    def __len__(self) -> int:
        return len(self._index.steps)


def timings(state: CutoverState, now: datetime) -> list[StepTiming]:
    """Planned and actual for every step, in plan order."""
    return list(Timings(state, now).values())


def projected_finish(state: CutoverState, now: datetime) -> datetime:
    """When the last step will end if every remaining step takes its planned minutes."""
    assert state.runbook is not None
    if state.ended_at is not None:
        return state.ended_at
    remaining = 0.0
    started = False  # one walk over the steps answers both questions
    for step in state.runbook.steps:
        step_state = state.steps[step.id]
        started = started or step_state.started_at is not None
        if step_state.done:
            continue
        if step_state.status == "running":
            taken = step_minutes(step_state, now) or 0.0
            remaining += max(step.minutes - taken, 0.0)
        else:
            remaining += step.minutes
    begin = now if started else max(now, window(state).start)
    return begin + timedelta(minutes=remaining)


@dataclass(frozen=True, slots=True)
class Stop:
    """The night stopped on an open blocker (a hold, a no-go, a blocker raised by hand):
    since when, what kind, and the finish if it goes again when the 30-minute rule says
    to call (or now, once the call is made)."""

    since: datetime
    kind: str
    resume: datetime
    finish: datetime


def stop(state: CutoverState, now: datetime) -> Stop | None:
    """The stop in force, or None while the night moves."""
    blocker = state.open_blocker
    if blocker is None or state.ended:
        return None
    resume = max(now, blocker.deadline) if blocker.called_at is None else now
    kind = "blocker"
    if blocker.checkpoint_id is not None:
        decision = state.checkpoints[blocker.checkpoint_id].decision
        kind = "NO-GO" if decision == "no_go" else "HOLD"
    return Stop(blocker.raised_at, kind, resume, projected_finish(state, resume))


def planned_finish(state: CutoverState) -> datetime:
    """When the plan has the last step finished."""
    assert state.runbook is not None
    return window(state).start + timedelta(minutes=plan_index(state.runbook).total_minutes)


def late_minutes(state: CutoverState, now: datetime, finish: datetime | None = None) -> float:
    """Minutes the projected finish is past the window's end (negative: spare time).

    `finish` is the projected finish when the caller already has it.
    """
    finish = projected_finish(state, now) if finish is None else finish
    return (finish - window(state).end).total_seconds() / 60


def slip_minutes(state: CutoverState, now: datetime, finish: datetime | None = None) -> float:
    """Minutes the projected finish is past the planned finish (negative: ahead).

    `finish` is the projected finish when the caller already has it.
    """
    finish = projected_finish(state, now) if finish is None else finish
    return (finish - planned_finish(state)).total_seconds() / 60


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
    step = plan_index(state.runbook).steps[running]
    return running if taken > step.minutes * STUCK_FACTOR else None
