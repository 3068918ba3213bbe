"""R4xx time: the latest rollback fits the RTO; the plan, and the plan plus it, fit the window.

Also the nights the clocks change: a window time that happens twice (R404) and a window
the clocks change inside (R405). A time that does not exist never gets here: the loader
refuses it.
"""

from __future__ import annotations

from collections.abc import Iterable

from cockpit.model.local_time import clock_change_at, clock_changes_between, utc_offset_text
from cockpit.readiness.deadline import rollback_deadline
from cockpit.readiness.subject import Finding, Subject, finding_at


def time_rules(subject: Subject) -> Iterable[Finding]:
    """The latest rollback fits the RTO; the plan, and the plan plus that rollback, fit."""
    yield from clock_change_rules(subject)
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


def clock_change_rules(subject: Subject) -> Iterable[Finding]:
    """Say which reading of a repeated window time the cockpit takes, and when the clocks
    change inside the window (its real length is not what its times suggest)."""
    meta = subject.runbook.meta
    zone = meta.zone
    for name in ("window_start", "window_end"):
        local = getattr(meta, name)
        change = clock_change_at(local, zone)
        if change is None or change.forward:  # a skipped time is refused at load
            continue
        first = local.replace(tzinfo=zone, fold=0)
        yield finding_at(
            subject,
            "R404",
            ("runbook", name),
            f"{local:%H:%M} on {local:%Y-%m-%d} happens twice in {meta.timezone}: "
            f"{change.describe()} that night; the cockpit takes the first, "
            f"{local:%H:%M} {change.name_before} ({utc_offset_text(first.utcoffset())})",
            f"a runbook cannot name the second {local:%H:%M} ({change.name_after}); if that "
            f"is the one you mean, move {name} out of the repeated hour "
            f"({change.wall_after:%H:%M}–{change.wall_before:%H:%M})",
        )
    changes = clock_changes_between(meta.window_start_utc, meta.window_end_utc, zone)
    if changes:
        wall = int((meta.window_end - meta.window_start).total_seconds() // 60)
        described = "; then ".join(change.describe() for change in changes)
        yield finding_at(
            subject,
            "R405",
            ("runbook", "window_start"),
            f"{described} during the window: it lasts {meta.window_minutes} min, not the "
            f"{wall} min from {meta.window_start:%H:%M} to {meta.window_end:%H:%M}",
            "plan with the real length (the cockpit counts real minutes) and warn whoever "
            "reads the clock tonight that local times jump at the change",
        )
