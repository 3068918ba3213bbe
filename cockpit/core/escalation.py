"""The escalation timer: stuck for N minutes → call the on-call senior.

The deadline is in the journal (on the blocker event), so the countdown is the same after
a restart, in a follower and in replay: it is computed, never counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from .state import CutoverState

Level = Literal["idle", "calm", "warning", "urgent", "overdue", "called"]
#: Minutes left at which the timer changes look.
WARNING_MINUTES = 10
URGENT_MINUTES = 5


@dataclass(frozen=True, slots=True)
class EscalationView:
    """What the escalation timer shows at a moment."""

    level: Level
    seconds_left: float
    what: str = ""
    deadline: datetime | None = None
    contact_name: str = ""
    contact_number: str = ""
    called_contact: str = ""
    called_at: datetime | None = None
    #: What was agreed on the latest call about this blocker.
    agreed: str = ""

    @property
    def clock(self) -> str:
        """MM:SS left, or −MM:SS past the deadline."""
        seconds = int(abs(self.seconds_left))
        sign = "-" if self.seconds_left < 0 else ""
        return f"{sign}{seconds // 60:02d}:{seconds % 60:02d}"


def escalation_view(state: CutoverState, now: datetime) -> EscalationView:
    """The timer for the open blocker, or idle."""
    blocker = state.open_blocker
    on_call = state.contacts.on_call if state.contacts is not None else None
    name = on_call.name if on_call is not None else "the on-call senior DE"
    number = on_call.first_number if on_call is not None else ""
    if blocker is None:
        return EscalationView(
            level="idle", seconds_left=0, contact_name=name, contact_number=number
        )
    left = (blocker.deadline - now).total_seconds()
    level: Level
    if blocker.called_at is not None:
        level = "called"
    elif left <= 0:
        level = "overdue"
    elif left <= URGENT_MINUTES * 60:
        level = "urgent"
    elif left <= WARNING_MINUTES * 60:
        level = "warning"
    else:
        level = "calm"
    return EscalationView(
        level=level,
        seconds_left=left,
        what=blocker.what,
        deadline=blocker.deadline,
        contact_name=name,
        contact_number=number,
        called_contact=blocker.called_contact,
        called_at=blocker.called_at,
        agreed=next(
            (c.agreed for c in reversed(state.calls) if c.blocker_id == blocker.blocker_id), ""
        ),
    )
