"""R4xx time: the latest rollback fits the RTO; the plan, and the plan plus it, fit the window."""

from __future__ import annotations

from collections.abc import Iterable

from cockpit.readiness.deadline import rollback_deadline
from cockpit.readiness.subject import Finding, Subject, finding_at


def time_rules(subject: Subject) -> Iterable[Finding]:
    """The latest rollback fits the RTO; the plan, and the plan plus that rollback, fit."""
    timing = rollback_deadline(subject.runbook)
    if timing.rollback_minutes > timing.rto_minutes:
        yield finding_at(
            subject,
            "R401",
            ("runbook", "rto_minutes"),
            f"the rollback from the latest possible moment takes {timing.rollback_minutes} "
            f"min ({', '.join(timing.undo_steps)}), more than the RTO of "
            f"{timing.rto_minutes} min",
            "make the undo steps faster, move the point of no return earlier, or agree a "
            "longer RTO",
        )
    if timing.plan_minutes > timing.window_minutes:
        yield finding_at(
            subject,
            "R402",
            ("runbook", "window_end"),
            f"the plan takes {timing.plan_minutes} min but the window is only "
            f"{timing.window_minutes} min",
            "widen the window or shorten the plan",
        )
    elif timing.plan_minutes + timing.rollback_minutes > timing.window_minutes:
        spare = timing.window_minutes - timing.plan_minutes
        yield finding_at(
            subject,
            "R403",
            ("runbook", "window_end"),
            f"the plan ({timing.plan_minutes} min) plus the latest rollback "
            f"({timing.rollback_minutes} min) do not fit the {timing.window_minutes}-min "
            f"window: only {spare} min to spare",
            "widen the window so a late rollback still ends inside it",
        )
