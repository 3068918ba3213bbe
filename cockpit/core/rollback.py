"""What a rollback means from here: the undo list, its minutes, and the deadline.

The rollback deadline is the latest moment a rollback can start and still finish inside
the window. Past the point of no return, the honest answer is the forward-fix path.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from .schedule import plan_index, window
from .state import CutoverState


@dataclass(frozen=True, slots=True)
class RollbackItem:
    """The undo of one step that has (at least partly) happened."""

    step_id: str
    title: str
    action: str
    minutes: int
    commands: tuple[str, ...]
    partial: bool  # the step was running or failed: it may be half done


@dataclass(frozen=True, slots=True)
class RollbackView:
    """The rollback pane's content at one moment."""

    items: tuple[RollbackItem, ...]
    no_undo_needed: tuple[tuple[str, str], ...]  # (step title, reason)
    total_minutes: int
    rto_minutes: int
    fits_rto: bool
    deadline: datetime  # latest start that still finishes inside the window
    minutes_to_deadline: float
    past_ponr: bool
    forward_fix: tuple[str, ...]
    #: What a rollback from here would lose: data written to the target since the
    #: cutover. Empty before the point of no return: nothing has been written there yet.
    data_at_risk: tuple[tuple[str, str], ...]  # (what, kept by)
    #: Past the point of no return: the undos of the point-of-no-return step and after
    #: (the snapback path), and those of the steps before it, which no longer bring the
    #: old system back by themselves.
    snapback: tuple[RollbackItem, ...] = ()
    before_ponr: tuple[RollbackItem, ...] = ()
    #: What became impossible when the point of no return was crossed.
    ponr_why: str = ""


def rollback_checklist(state: CutoverState) -> list[RollbackItem]:
    """The undo of each step that started, most recent first, for steps that have one."""
    assert state.runbook is not None
    touched = [
        (step_state.started_at, step, step_state)
        for step in state.runbook.steps
        if (step_state := state.steps[step.id]).started_at is not None
        and step_state.status != "skipped"
    ]
    # Most recent first; steps started at the same moment keep their plan order (stable).
    touched.sort(key=lambda found: found[0], reverse=True)
    return [
        RollbackItem(
            step_id=step.id,
            title=step.title,
            action=step.rollback.action,
            minutes=step.rollback.minutes,
            commands=tuple(step.rollback.commands),
            partial=step_state.status in ("running", "failed"),
        )
        for _, step, step_state in touched
        if step.rollback is not None
    ]


def rollback_view(state: CutoverState, now: datetime) -> RollbackView:
    """Everything the rollback pane shows, computed for `now`."""
    assert state.runbook is not None
    runbook = state.runbook
    items = rollback_checklist(state)
    total = sum(item.minutes for item in items)
    no_undo = tuple(
        (step.title, step.no_rollback)
        for step in runbook.steps
        if step.no_rollback is not None and state.steps[step.id].started_at is not None
    )
    deadline = window(state).end - timedelta(minutes=total)
    past_ponr = state.ponr_crossed_at is not None
    positions = plan_index(runbook).positions
    ponr_at = positions[runbook.ponr_step] if runbook.ponr_step else None
    snapback = tuple(
        item for item in items if ponr_at is not None and positions[item.step_id] >= ponr_at
    )
    # Before the point of no return nothing has been written to the target: a rollback
    # loses nothing. A plan without one is at risk once any step has completed.
    exposed = past_ponr or (
        ponr_at is None and any(step.status == "completed" for step in state.steps.values())
    )
    return RollbackView(
        items=tuple(items),
        no_undo_needed=no_undo,
        total_minutes=total,
        rto_minutes=runbook.meta.rto_minutes,
        fits_rto=total <= runbook.meta.rto_minutes,
        deadline=deadline,
        minutes_to_deadline=(deadline - now).total_seconds() / 60,
        past_ponr=past_ponr,
        forward_fix=tuple(runbook.point_of_no_return.forward_fix),
        data_at_risk=(
            tuple((w.what, w.kept_by) for w in runbook.post_cutover_writes) if exposed else ()
        ),
        snapback=snapback if past_ponr else (),
        before_ponr=tuple(item for item in items if item not in snapback) if past_ponr else (),
        ponr_why=runbook.point_of_no_return.why,
    )


def latest_rollback_minutes(state: CutoverState) -> int:
    """Rollback minutes from the latest moment one is possible: just before the PONR step."""
    assert state.runbook is not None
    runbook = state.runbook
    positions = plan_index(runbook).positions
    last = positions[runbook.ponr_step] if runbook.ponr_step else len(runbook.steps)
    return sum(s.rollback.minutes for s in runbook.steps[:last] if s.rollback is not None)
