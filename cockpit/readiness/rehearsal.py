"""Rehearsal evidence: what a journal says about a run of the plan, and the drift table.

`read_rehearsal` reads a journal (never a traceback for a bad one: `FileProblems`);
`matching_rehearsals` keeps the runs of this very runbook (by content hash); `drift_table`
sets each step's planned minutes against the rehearsed ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from cockpit.errors import FileProblems, Problem
from cockpit.model.fingerprint import runbook_sha256
from cockpit.readiness.subject import Subject


@dataclass(frozen=True, slots=True)
class RollbackRun:
    """A rollback in a rehearsal journal: what it undid and how long it took."""

    started_at: datetime
    completed_at: datetime | None
    steps: tuple[str, ...]
    done: tuple[str, ...]
    after_ponr: bool

    @property
    def minutes(self) -> float | None:
        """Minutes from rollback_started to rollback_completed (None if never completed)."""
        if self.completed_at is None:
            return None
        return (self.completed_at - self.started_at).total_seconds() / 60


@dataclass(frozen=True)
class RehearsalRun:
    """What one journal says about a run of a plan."""

    path: Path
    runbook_sha256: str
    runbook_version: str
    runbook_id: str
    mode: str
    started_at: datetime | None
    step_minutes: dict[str, float] = field(default_factory=dict)  # completed steps
    skipped: dict[str, str] = field(default_factory=dict)  # step id → reason
    rollback: RollbackRun | None = None


def read_rehearsal(path: Path | str) -> RehearsalRun:
    """Read a journal as rehearsal evidence, or raise `FileProblems` in plain words."""
    from cockpit.core.evolve import FoldError, fold
    from cockpit.errors import CockpitError
    from cockpit.journal import events as ev
    from cockpit.journal.store import JournalDamaged, read_events

    path = Path(path)
    kind = "rehearsal journal"
    try:
        events = read_events(path)
    except JournalDamaged as error:
        where = f"event {error.seq}" if error.seq else ""
        raise FileProblems(path, [Problem(str(error), where=where)], kind) from None
    except CockpitError as error:
        raise FileProblems(path, [Problem(str(error))], kind) from None
    except Exception as error:  # sqlite, OS: never a traceback for a bad file
        raise FileProblems(path, [Problem(f"cannot be read: {error}")], kind) from None
    if not events:
        raise FileProblems(path, [Problem("the journal is empty: nothing was rehearsed")], kind)
    try:
        state = fold(events)
    except FoldError as error:
        raise FileProblems(
            path, [Problem(f"the journal does not replay cleanly: {error}")], kind
        ) from None
    except Exception as error:
        raise FileProblems(path, [Problem(f"cannot be replayed: {error}")], kind) from None
    assert state.runbook is not None
    first_start: dict[str, datetime] = {}
    minutes: dict[str, float] = {}
    for event in events:
        if isinstance(event, ev.StepStarted):
            first_start.setdefault(event.step_id, event.at)
        elif isinstance(event, ev.StepCompleted) and event.step_id in first_start:
            elapsed = (event.at - first_start[event.step_id]).total_seconds() / 60
            minutes[event.step_id] = max(elapsed, 0.0)
    rollback = None
    if state.rollback is not None:
        rollback = RollbackRun(
            started_at=state.rollback.started_at,
            completed_at=state.rollback.completed_at,
            steps=state.rollback.steps,
            done=state.rollback.done,
            after_ponr=state.rollback.after_ponr,
        )
    return RehearsalRun(
        path=path,
        runbook_sha256=state.runbook_sha256,
        runbook_version=state.runbook.meta.version,
        runbook_id=state.runbook.meta.id,
        mode=state.mode,
        started_at=state.started_at,
        step_minutes={
            step_id: value
            for step_id, value in minutes.items()
            if state.steps.get(step_id) is not None and state.steps[step_id].status == "completed"
        },
        skipped={
            step_id: step.reason
            for step_id, step in state.steps.items()
            if step.status == "skipped"
        },
        rollback=rollback,
    )


def matching_rehearsals(subject: Subject) -> list[RehearsalRun]:
    """The rehearsal journals that ran exactly this runbook (by content hash)."""
    if not subject.rehearsals:
        return []
    wanted = runbook_sha256(subject.runbook)
    return [run for run in subject.rehearsals if run.runbook_sha256 == wanted]


def rehearsed_undo_steps(subject: Subject) -> set[str]:
    """Steps a completed rollback undid in a rehearsal of this very runbook."""
    done: set[str] = set()
    for run in matching_rehearsals(subject):
        if run.rollback is not None and run.rollback.completed_at is not None:
            done.update(run.rollback.done)
    return done


#: A rehearsed step this much longer than planned (and at least `DRIFT_MINUTES`) is flagged.
DRIFT_FACTOR = 1.5
DRIFT_MINUTES = 5.0


@dataclass(frozen=True, slots=True)
class DriftRow:
    """One step planned against rehearsed."""

    step_id: str
    title: str
    planned: int
    rehearsed: float | None

    @property
    def drift(self) -> float | None:
        """Rehearsed minus planned minutes (None when not rehearsed)."""
        return None if self.rehearsed is None else self.rehearsed - self.planned

    @property
    def flagged(self) -> bool:
        """The rehearsal took much longer than the plan says."""
        drift = self.drift
        return (
            drift is not None
            and drift >= DRIFT_MINUTES
            and self.rehearsed is not None
            and (self.rehearsed > self.planned * DRIFT_FACTOR)
        )


def drift_table(subject: Subject) -> list[DriftRow]:
    """Per step: planned minutes against the latest matching rehearsal that completed it."""
    runs = matching_rehearsals(subject)
    rows: list[DriftRow] = []
    for step in subject.runbook.steps:
        rehearsed = None
        for run in runs:  # later journals (on the command line) win
            if step.id in run.step_minutes:
                rehearsed = run.step_minutes[step.id]
        rows.append(DriftRow(step.id, step.title, step.minutes, rehearsed))
    return rows
