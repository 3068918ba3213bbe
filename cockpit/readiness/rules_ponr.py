"""R2xx point of no return: gated right before it, with a forward fix and data at risk."""

from __future__ import annotations

from collections.abc import Iterable

from cockpit.readiness.subject import Finding, Subject, finding_at, ponr_step_index


def ponr_rules(subject: Subject) -> Iterable[Finding]:
    """The point of no return is gated right before it, with a forward fix and data at risk."""
    runbook = subject.runbook
    ponr = runbook.point_of_no_return
    if ponr.step is None:
        return
    if not runbook.checkpoints_before(ponr.step):
        gate = runbook.ponr_checkpoint
        between = (
            [
                s.id
                for s in runbook.steps[runbook.step_index(gate.before) : ponr_step_index(runbook)]
            ]
            if gate is not None
            else []
        )
        after = (
            f"; the last go/no-go ({gate.id!r}) comes before {', '.join(between)}"
            if gate is not None and between
            else ""
        )
        yield finding_at(
            subject,
            "R201",
            ("point_of_no_return", "step"),
            f"no go/no-go checkpoint gates {ponr.step!r} itself{after}: the point of no return "
            "must be crossed on a fresh go",
            f"add a [[checkpoints]] with before = {ponr.step!r} (or move the last one there)",
        )
    if not ponr.forward_fix:
        yield finding_at(
            subject,
            "R202",
            ("point_of_no_return",),
            "no forward fix: past the point of no return the rollback pane has nothing to offer",
            'add forward_fix = ["what to do instead of a rollback", ...]',
            where="[point_of_no_return]",
        )
    if not runbook.post_cutover_writes:
        yield finding_at(
            subject,
            "R203",
            ("point_of_no_return",),
            "no post-cutover writes described: what data written after the point of no "
            "return would a rollback lose, and how is it kept?",
            'add [[post_cutover_writes]] with what = "…" and kept_by = "…" (one per kind '
            "of data: voicemails, orders, logs)",
            where="[point_of_no_return]",
        )
