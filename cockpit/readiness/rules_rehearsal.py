"""R8xx rehearsal: the plan was rehearsed, this very version, every step, a whole rollback."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from cockpit.errors import Problem
from cockpit.model.fingerprint import runbook_sha256
from cockpit.readiness.deadline import rollback_deadline
from cockpit.readiness.rehearsal import RehearsalRun, drift_table, matching_rehearsals
from cockpit.readiness.subject import Finding, Subject, finding_at


def rehearsal_rules(subject: Subject) -> Iterable[Finding]:
    """The plan was rehearsed: same hash, every step, a whole rollback inside the RTO."""
    runbook = subject.runbook
    if subject.rehearsals is None:
        yield finding_at(
            subject,
            "R801",
            ("runbook",),
            "never rehearsed: no rehearsal journal was given",
            "rehearse it in staging (cockpit run RUNBOOK --rehearsal, including a rollback) "
            "and pass the journal: cockpit check RUNBOOK --rehearsal JOURNAL",
            where="[runbook]",
        )
        return
    wanted = runbook_sha256(runbook)
    for run in subject.rehearsals:
        if run.runbook_sha256 != wanted:
            yield Finding(
                "error",
                run.path,
                Problem(
                    f"ran a different runbook ({run.runbook_id!r} version "
                    f"{run.runbook_version!r}, plan hash {run.runbook_sha256[:12]}…; this "
                    f"runbook is {runbook.meta.id!r} version {runbook.meta.version!r}, "
                    f"{wanted[:12]}…)",
                    where="rehearsal",
                ),
                "R802",
                "rehearse this version of the runbook (any change to the plan needs a new "
                "rehearsal) and pass that journal",
            )
        elif run.mode == "live":
            yield Finding(
                "warning",
                run.path,
                Problem("a live run, not a rehearsal", where="rehearsal"),
                "R808",
                "rehearse in staging with cockpit run RUNBOOK --rehearsal",
            )
    runs = matching_rehearsals(subject)
    if not runs:
        return
    rehearsed = {step_id for run in runs for step_id in run.step_minutes}
    skipped = {step_id: reason for run in runs for step_id, reason in run.skipped.items()}
    for index, step in enumerate(runbook.steps):
        if step.id in rehearsed:
            continue
        how = (
            f"was skipped in the rehearsal ({skipped[step.id]})"
            if step.id in skipped
            else "was not executed in the rehearsal"
        )
        yield finding_at(
            subject,
            "R803",
            ("steps", index),
            how,
            "rehearse the whole plan, every step, and pass that journal too",
        )
    yield from _rollback_evidence(subject, runs)
    for row in drift_table(subject):
        if row.flagged and row.rehearsed is not None:
            index = runbook.step_index(row.step_id)
            yield finding_at(
                subject,
                "R807",
                ("steps", index, "minutes"),
                f"planned {row.planned} min, rehearsed {row.rehearsed:.0f} min",
                f"set minutes = {round(row.rehearsed)} (or find out why the rehearsal was slow)",
            )


def _rollback_evidence(subject: Subject, runs: Sequence[RehearsalRun]) -> Iterable[Finding]:
    runbook = subject.runbook
    timing = rollback_deadline(runbook)
    completed = [
        run for run in runs if run.rollback is not None and run.rollback.completed_at is not None
    ]
    useful = [run for run in completed if run.rollback is not None and run.rollback.done]
    if not completed or (timing.undo_steps and not useful):
        started = [run for run in runs if run.rollback is not None]
        detail = (
            f"a rollback started in {started[0].path} but never completed"
            if started and not completed
            else "the rehearsed rollback had nothing to undo"
            if completed
            else "no rehearsal executed a rollback"
        )
        yield finding_at(
            subject,
            "R804",
            ("runbook",),
            f"rollback never rehearsed end to end: {detail}",
            "in a rehearsal, roll back from just before the point of no return and complete "
            "every undo step; pass that journal with --rehearsal",
            where="[runbook]",
        )
        return
    for run in completed:
        rollback = run.rollback
        assert rollback is not None and rollback.minutes is not None
        if rollback.minutes > runbook.meta.rto_minutes:
            yield Finding(
                "error",
                run.path,
                Problem(
                    f"the rehearsed rollback took {rollback.minutes:.0f} min, more than the "
                    f"RTO of {runbook.meta.rto_minutes} min",
                    where="rehearsal rollback",
                ),
                "R805",
                "make the undo steps faster (or agree a longer RTO) and rehearse the rollback "
                "again",
            )
    undone = {step_id for run in completed if run.rollback for step_id in run.rollback.done}
    missing = [step_id for step_id in timing.undo_steps if step_id not in undone]
    if missing:
        yield finding_at(
            subject,
            "R806",
            ("runbook",),
            f"the rehearsed rollback never undid {', '.join(missing)}: the rollback from the "
            "latest possible moment was not rehearsed whole",
            "in a rehearsal, run up to the go/no-go before the point of no return, then roll "
            "back everything",
            where="[runbook]",
        )
