"""A rehearsal (or any other run of the plan) beside this run, step by step.

Steps are matched by id, so a different snapshot of the runbook still compares. For each
step: the planned minutes, the rehearsal's and this run's, the drift, and the cumulative
drift (how far behind or ahead of the rehearsal this run was when the step ended). Steps
that overran in the rehearsal and overran again are the rehearsal's unheeded warning.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from cockpit.core.schedule import OVERRUN_TOLERANCE

from .model import DamageNotice, Debrief, StepRow
from .steps import step_rows, summary
from .walk import Walk
from .words import minutes_between


@dataclass(frozen=True, slots=True)
class CompareRow:
    """One step: the rehearsal against the live run."""

    title: str
    planned_minutes: int | None
    rehearsal_minutes: float | None
    live_minutes: float | None
    rehearsal_elapsed: float | None
    """Minutes from the first step's start to this step's end, in the rehearsal."""
    live_elapsed: float | None

    @property
    def drift(self) -> float | None:
        """Live minus rehearsal minutes for this step."""
        if self.rehearsal_minutes is None or self.live_minutes is None:
            return None
        return self.live_minutes - self.rehearsal_minutes

    @property
    def cumulative_drift(self) -> float | None:
        """How far behind (+) or ahead (-) of the rehearsal the live run was at this step's
        end."""
        if self.rehearsal_elapsed is None or self.live_elapsed is None:
            return None
        return self.live_elapsed - self.rehearsal_elapsed


@dataclass(frozen=True, slots=True)
class Comparison:
    """The rehearsal against the live run, step by step."""

    other_mode: str
    other_operator: str
    other_date: str
    other_outcome: str
    same_runbook: bool
    other_version: str
    rows: tuple[CompareRow, ...]
    rehearsal_total: float | None
    live_total: float | None
    damage: DamageNotice | None

    @property
    def warned(self) -> tuple[CompareRow, ...]:
        """Steps that overran in the rehearsal and overran again in this run: the
        rehearsal's warning was not acted on."""
        return tuple(
            row
            for row in self.rows
            if row.planned_minutes is not None
            and row.rehearsal_minutes is not None
            and row.live_minutes is not None
            and row.rehearsal_minutes > row.planned_minutes * OVERRUN_TOLERANCE
            and row.live_minutes > row.planned_minutes * OVERRUN_TOLERANCE
        )

    @property
    def total_drift(self) -> float | None:
        """Live minus rehearsal, first step start to the end."""
        if self.rehearsal_total is None or self.live_total is None:
            return None
        return self.live_total - self.rehearsal_total


def compare_runs(live: Debrief, other: Walk, damage: DamageNotice | None) -> Comparison:
    """Each step of the live run beside the same step (by id) of the other journal."""
    other_rows = {row.step_id: row for row in step_rows(other)}
    other_summary = summary(other, tuple(other_rows.values()))
    live_begin = live.summary.first_step_at
    other_begin = other_summary.first_step_at

    def elapsed(row: StepRow | None, begin: datetime | None) -> float | None:
        if row is None or begin is None or row.actual_end is None or row.status == "running":
            return None
        return minutes_between(begin, row.actual_end)

    rows: list[CompareRow] = []
    for row in live.steps:
        theirs = other_rows.pop(row.step_id, None)
        rows.append(
            CompareRow(
                title=row.title,
                planned_minutes=row.planned_minutes,
                rehearsal_minutes=theirs.actual_minutes if theirs else None,
                live_minutes=row.actual_minutes,
                rehearsal_elapsed=elapsed(theirs, other_begin),
                live_elapsed=elapsed(row, live_begin),
            )
        )
    for theirs in other_rows.values():  # steps only the other plan has
        rows.append(
            CompareRow(
                title=theirs.title,
                planned_minutes=None,
                rehearsal_minutes=theirs.actual_minutes,
                live_minutes=None,
                rehearsal_elapsed=elapsed(theirs, other_begin),
                live_elapsed=None,
            )
        )
    return Comparison(
        other_mode=other.start.mode,
        other_operator=other.start.operator,
        other_date=live.times.date(other.start.at),
        other_outcome=other_summary.outcome_words,
        same_runbook=other.start.runbook_sha256 == live.summary.runbook_sha256,
        other_version=other.runbook.meta.version,
        rows=tuple(rows),
        rehearsal_total=other_summary.actual_minutes,
        live_total=live.summary.actual_minutes,
        damage=damage,
    )
