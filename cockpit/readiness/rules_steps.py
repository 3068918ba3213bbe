"""R1xx steps: real owners, verify items, a rollback (or a reason for none), phases in one
run each."""

from __future__ import annotations

import re
from collections.abc import Iterable

from cockpit.readiness.rehearsal import rehearsed_undo_steps
from cockpit.readiness.subject import Finding, Subject, finding_at, is_nobody, norm, ponr_step_index


def step_rules(subject: Subject) -> Iterable[Finding]:
    """Owners, verify items, and a rollback (or a reason for none) before the PONR."""
    runbook = subject.runbook
    ponr_index = ponr_step_index(runbook)
    rehearsed_undo = rehearsed_undo_steps(subject)
    finished_phases: set[str] = set()
    previous_phase: str | None = None
    for index, step in enumerate(runbook.steps):
        at = ("steps", index)
        if is_nobody(step.owner):
            yield finding_at(
                subject,
                "R103",
                (*at, "owner"),
                f"the owner is {step.owner!r}: nobody is responsible for this step",
                'set owner to a contact id or role from the contact card (e.g. owner = "de")',
            )
        if not step.verify:
            yield finding_at(
                subject,
                "R101",
                at,
                "nothing to verify: without a check this step is 'just run the script'",
                'add verify = ["what you will see when it worked"]',
            )
        if step.phase is not None and step.phase in finished_phases:
            yield finding_at(
                subject,
                "R106",
                (*at, "phase"),
                f"phase {step.phase!r} comes back after {runbook.steps[index - 1].phase!r}: "
                "the timeline and the paper copy show a phase's steps together",
                "move the step next to the others of its phase, or give it its own phase",
            )
        if step.phase != previous_phase and previous_phase is not None:
            finished_phases.add(previous_phase)
        previous_phase = step.phase
        if index >= ponr_index:
            continue
        if step.rollback is None and step.no_rollback is None:
            yield finding_at(
                subject,
                "R102",
                at,
                "no rollback and no reason it needs none, and it comes before the point of "
                "no return",
                'add rollback = { action = "how to undo it", minutes = N } or '
                'no_rollback = "why nothing needs undoing"',
            )
        elif step.no_rollback is not None and _is_vague_reason(step.no_rollback):
            yield finding_at(
                subject,
                "R105",
                (*at, "no_rollback"),
                f"no_rollback = {step.no_rollback!r} does not say why nothing needs undoing",
                'write the reason, e.g. no_rollback = "read-only checks; nothing changes"',
            )
        elif (
            step.rollback is not None and not step.rollback.tested and step.id not in rehearsed_undo
        ):
            yield finding_at(
                subject,
                "R104",
                (*at, "rollback"),
                f"the rollback ({step.rollback.action!r}) was never tested",
                "rehearse it (cockpit run --rehearsal, then roll back) and pass the journal "
                "with --rehearsal, or set tested = true once it was exercised",
            )


def _is_vague_reason(text: str) -> bool:
    words = norm(text)
    return words in {"n/a", "na", "none", "no", "nothing", "not needed", "not applicable", ""} or (
        len(words) <= 3 and not re.search(r"[a-z]{4,}", words.replace("none", ""))
    )
