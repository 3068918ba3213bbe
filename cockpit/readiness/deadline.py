"""The rollback deadline: the latest moment a rollback can start and still end in the window."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from cockpit.model.local_time import local_to_utc
from cockpit.model.runbook import Runbook
from cockpit.readiness.subject import ponr_step_index


@dataclass(frozen=True, slots=True)
class RollbackDeadline:
    """The latest moment a rollback can start and still finish inside the window.

    The rollback from the latest possible moment (just before the point-of-no-return step,
    or after the last step when there is none) undoes every earlier step that has a
    rollback; its minutes decide the deadline. Times are local to the runbook's zone,
    worked out in real time: on the night the clocks change, an hour of wall clock is not
    an hour.
    """

    deadline: datetime
    rollback_minutes: int
    undo_steps: tuple[str, ...]
    rto_minutes: int
    window_start: datetime
    window_end: datetime
    timezone: str
    plan_minutes: int
    ponr_step: str | None
    latest_point: datetime  # when the plan reaches the last moment a rollback is possible

    @property
    def window_minutes(self) -> int:
        """Real length of the maintenance window (180 min for 01:00–03:00 on fall-back)."""
        zone = ZoneInfo(self.timezone)
        length = local_to_utc(self.window_end, zone) - local_to_utc(self.window_start, zone)
        return int(length.total_seconds() // 60)

    def describe(self) -> list[str]:
        """Two lines for the text report: the deadline, then how it was worked out."""
        frm = (
            f"from just before {self.ponr_step!r}" if self.ponr_step else "from after the last step"
        )
        undo = (
            f"undoes {len(self.undo_steps)} step{'s' if len(self.undo_steps) != 1 else ''} "
            f"in {self.rollback_minutes} min"
            if self.undo_steps
            else "has nothing to undo"
        )
        return [
            f"rollback deadline: {self.deadline:%H:%M} on {self.deadline:%Y-%m-%d} "
            f"({self.timezone}), the latest start of a rollback that ends inside the window",
            f"  (window {self.window_start:%H:%M}–{self.window_end:%H:%M}; a rollback {frm} "
            f"{undo}, RTO {self.rto_minutes} min; the plan gets there at "
            f"{self.latest_point:%H:%M})",
        ]

    def to_json(self) -> dict[str, Any]:
        """A plain dictionary for `--format json`."""
        return {
            "deadline": self.deadline.isoformat(),
            "timezone": self.timezone,
            "rollback_minutes": self.rollback_minutes,
            "undo_steps": list(self.undo_steps),
            "rto_minutes": self.rto_minutes,
            "window_start": self.window_start.isoformat(),
            "window_end": self.window_end.isoformat(),
            "plan_minutes": self.plan_minutes,
            "point_of_no_return": self.ponr_step,
            "latest_rollback_point": self.latest_point.isoformat(),
        }


def rollback_deadline(runbook: Runbook) -> RollbackDeadline:
    """The rollback deadline of a plan (see `RollbackDeadline`)."""
    from cockpit.core.rollback import latest_rollback_minutes
    from cockpit.core.state import CutoverState

    minutes = latest_rollback_minutes(CutoverState(runbook=runbook))
    last = ponr_step_index(runbook)
    meta = runbook.meta
    before = runbook.steps[:last]

    def local(instant: datetime) -> datetime:
        # Naive local time again, as the window is written; `fold` keeps which of a
        # repeated hour's two readings it is.
        return instant.astimezone(meta.zone).replace(tzinfo=None)

    return RollbackDeadline(
        deadline=local(meta.window_end_utc - timedelta(minutes=minutes)),
        rollback_minutes=minutes,
        undo_steps=tuple(s.id for s in reversed(before) if s.rollback is not None),
        rto_minutes=meta.rto_minutes,
        window_start=meta.window_start,
        window_end=meta.window_end,
        timezone=meta.timezone,
        plan_minutes=runbook.total_minutes,
        ponr_step=runbook.ponr_step,
        latest_point=local(
            meta.window_start_utc + timedelta(minutes=sum(s.minutes for s in before))
        ),
    )
