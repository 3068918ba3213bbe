"""Planned against actual: the steps (with their verify items walked), the checkpoints,
the point of no return, the rollback (each undo done, failed or skipped, and the check
after it) and the summary, built from what a `Walk` collected.
"""

from __future__ import annotations

import bisect
from datetime import datetime

from cockpit.core import schedule
from cockpit.core.checklists import ChecklistRef
from cockpit.journal.events import OUTCOME_WORDS
from cockpit.text import report_minutes

from .model import (
    ChecklistReport,
    CheckpointReport,
    Criterion,
    DecisionRow,
    PonrReport,
    RollbackReport,
    RollbackStepRow,
    StepRow,
    Summary,
)
from .walk import Walk
from .words import minutes_between, plural


def step_rows(walk: Walk) -> tuple[StepRow, ...]:
    """Each step of the plan, planned against actual, in plan order."""
    planned = schedule.planned_starts(walk.state)
    # The first starts of the steps before this one in the plan, (start, number) in time
    # order: those started after this one were overtaken by it. Sorted as the walk goes,
    # so a plan of a thousand steps does not compare every pair.
    earlier: list[tuple[datetime, int]] = []
    rows: list[StepRow] = []
    for number, step in enumerate(walk.runbook.steps, start=1):
        log = walk.steps[step.id]
        status = walk.state.steps[step.id].status
        first = log.attempts[0].started_at if log.attempts else None
        end: datetime | None = None
        ahead: tuple[int, ...] = ()
        if first is not None:
            last = log.attempts[-1]
            end = last.ended_at if last.ended_at is not None else walk.end_at
            later = bisect.bisect_right(earlier, first, key=_start)
            ahead = tuple(sorted(other for _, other in earlier[later:]))
            bisect.insort_right(earlier, (first, number), key=_start)
        rows.append(
            StepRow(
                number=number,
                step_id=step.id,
                title=step.title,
                planned_start=planned[step.id],
                planned_minutes=step.minutes,
                status=status,
                attempts=tuple(log.attempts),
                actual_start=first,
                actual_end=end,
                actual_minutes=minutes_between(first, end) if first and end else None,
                skip_reason=log.skip_reason,
                skipped_at=log.skipped_at,
                undone_at=walk.undone.get(step.id),
                is_ponr=step.id == walk.runbook.ponr_step,
                started_ahead_of=ahead,
                verify=walk.items(ChecklistRef("step", step.id)) if step.verify else (),
                reopened=tuple(log.reopened),
            )
        )
    return tuple(rows)


def _start(first_start: tuple[datetime, int]) -> datetime:
    return first_start[0]


def checkpoint_reports(walk: Walk) -> tuple[CheckpointReport, ...]:
    """Each checkpoint with its criteria's final marks and every decision on it."""
    reports: list[CheckpointReport] = []
    for checkpoint in walk.runbook.checkpoints:
        marks = walk.state.checkpoints[checkpoint.id].marks
        reports.append(
            CheckpointReport(
                checkpoint_id=checkpoint.id,
                title=checkpoint.title,
                gates=walk.step_by_id[checkpoint.before].title,
                decider=who(walk, checkpoint.decider),
                no_go_means=checkpoint.no_go_means,
                criteria=tuple(
                    Criterion(
                        text=text,
                        met=marks[index],
                        marked_at=walk.marked_at.get((checkpoint.id, index)),
                    )
                    for index, text in enumerate(checkpoint.criteria)
                ),
                decisions=tuple(walk.decisions[checkpoint.id]),
            )
        )
    return tuple(reports)


def who(walk: Walk, owner: str) -> str:
    """A contact id or role as `Name (id)` when the contact card knows it."""
    contact = walk.state.contacts.resolve(owner) if walk.state.contacts else None
    return f"{contact.name} ({owner})" if contact is not None else owner


def ponr_report(walk: Walk) -> PonrReport:
    """The point of no return: which step, why, and when (and on which go) it was crossed."""
    ponr = walk.runbook.point_of_no_return
    crossing = walk.ponr
    go: DecisionRow | None = None
    checkpoint_title = ""
    if crossing is not None:
        checkpoint_title = walk.runbook.checkpoint(crossing.checkpoint_id).title
        for decision in walk.decisions.get(crossing.checkpoint_id, []):
            if decision.seq == crossing.go_seq:
                go = decision
    elif walk.runbook.ponr_checkpoint is not None:
        checkpoint_title = walk.runbook.ponr_checkpoint.title
    return PonrReport(
        step_title=walk.runbook.step(ponr.step).title if ponr.step else None,
        why=ponr.why,
        none_reason=ponr.none or "",
        crossed_at=crossing.at if crossing is not None else None,
        crossed_seq=crossing.seq if crossing is not None else 0,
        checkpoint_title=checkpoint_title,
        go=go,
        forward_fix=tuple(ponr.forward_fix),
    )


def rollback_report(walk: Walk) -> RollbackReport | None:
    """The rollback, when one was started: each undo and the total against the RTO."""
    started = walk.rollback
    if started is None:
        return None
    rows: list[RollbackStepRow] = []
    for step_id in started.steps:
        step = walk.step_by_id[step_id]
        undo = walk.undo_logs.get(step_id)
        skipped = undo.skipped if undo is not None else None
        rows.append(
            RollbackStepRow(
                step_id=step_id,
                title=step.title,
                action=step.rollback.action if step.rollback else "",
                planned_minutes=step.rollback.minutes if step.rollback else 0,
                done_at=walk.undone.get(step_id),
                failures=tuple(undo.failures) if undo is not None else (),
                skipped_at=skipped[0] if skipped else None,
                skip_reason=skipped[1] if skipped else "",
            )
        )
    check: ChecklistReport | None = None
    if walk.runbook.rollback_verification:
        end = walk.rollback_end
        check = ChecklistReport(
            items=walk.items(ChecklistRef("rollback_verification")),
            unticked=tuple(index + 1 for index in end.unticked) if end else (),
            anyway=end.anyway if end else "",
            anyway_at=end.at if end and end.unticked else None,
            anyway_seq=end.seq if end and end.unticked else 0,
        )
    return RollbackReport(
        started_at=started.at,
        started_seq=started.seq,
        reason=started.reason,
        after_ponr=started.after_ponr,
        steps=tuple(rows),
        completed_at=walk.rollback_completed,
        rto_minutes=walk.runbook.meta.rto_minutes,
        journal_end=walk.end_at,
        check=check,
    )


def summary(walk: Walk, steps: tuple[StepRow, ...]) -> Summary:
    """The top of the report: what, who, when, and how it ended."""
    state, meta = walk.state, walk.runbook.meta
    win = schedule.window(state)
    starts = [row.actual_start for row in steps if row.actual_start is not None]
    first_step = min(starts) if starts else None
    ended = walk.ended
    finish = ended.at if ended is not None else walk.end_at
    actual = minutes_between(first_step, finish) if first_step is not None else None
    outcome = ended.outcome if ended is not None else None
    if outcome is not None:
        words = OUTCOME_WORDS.get(outcome, outcome.replace("_", " "))
    else:
        words = "in progress / incomplete"
    return Summary(
        title=meta.title,
        runbook_id=meta.id,
        runbook_version=meta.version,
        runbook_sha256=walk.start.runbook_sha256,
        customer=meta.customer,
        operator=walk.start.operator,
        mode=walk.start.mode,
        window_start=win.start,
        window_end=win.end,
        rebaselines=tuple(walk.rebaselines),
        opened_at=walk.start.at,
        first_step_at=first_step,
        ended_at=ended.at if ended is not None else None,
        last_event_at=walk.end_at,
        last_seq=walk.events[-1].seq,
        outcome=outcome,
        outcome_words=words,
        outcome_reasons=tuple(_outcome_reasons(walk, steps, finish, win.end)),
        end_summary=ended.summary if ended is not None else "",
        planned_minutes=walk.runbook.total_minutes,
        actual_minutes=actual,
        past_window_minutes=minutes_between(win.end, finish) if ended is not None else None,
        sessions=state.sessions,
        steps_done=sum(1 for row in steps if row.status in ("completed", "skipped")),
        steps_total=len(steps),
    )


def _outcome_reasons(
    walk: Walk, steps: tuple[StepRow, ...], finish: datetime, window_end: datetime
) -> list[str]:
    """Why the outcome is what it is, in the words of change management's codes."""
    reasons: list[str] = []
    if walk.rollback is not None:
        reasons.append(f"rollback: {walk.rollback.reason}")
    if walk.ended is not None and finish > window_end:
        late = minutes_between(window_end, finish)
        reasons.append(f"overran the window by {report_minutes(late)}")
    if walk.blockers:
        reasons.append(plural(len(walk.blockers), "blocker"))
    failed = sum(1 for row in steps if row.failures)
    if failed:
        reasons.append(plural(failed, "step") + " failed at least once")
    skipped = sum(1 for row in steps if row.status == "skipped")
    if skipped:
        reasons.append(plural(skipped, "step") + " skipped")
    for decision, word in (("hold", "hold"), ("no_go", "no-go")):
        count = sum(
            1 for rows in walk.decisions.values() for row in rows if row.decision == decision
        )
        if count:
            reasons.append(plural(count, word))
    return reasons
