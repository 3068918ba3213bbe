"""The communication plan against the night: when each message's trigger fired, and
when (and how often) it was marked sent. A message whose trigger fired and that was never
sent is flagged in the report.

A `delay` trigger fires when the projected finish first slips past its minutes; that
moment is solved from the schedule events, not sampled (`delay_fired`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from cockpit.core import comms, schedule
from cockpit.core.evolve import evolve
from cockpit.core.state import CutoverState
from cockpit.journal import events as ev
from cockpit.model import runbook as rb

if TYPE_CHECKING:
    from .walk import Walk


@dataclass(frozen=True, slots=True)
class MessageRow:
    """A planned communication: its trigger, when it fired, when it was sent."""

    message_id: str
    audience: tuple[str, ...]
    trigger: str
    fired_at: datetime | None
    sent_at: datetime | None
    times_sent: int

    @property
    def missed(self) -> bool:
        """Its trigger fired, and it was never sent."""
        return self.fired_at is not None and self.sent_at is None


#: Events that move the schedule: between two of them, the projected finish is a simple
#: function of time, so a `delay` trigger's firing moment can be solved exactly. Matched by
#: exact type (every event class is a direct subclass of BaseEvent): isinstance against a
#: pydantic model goes through ABCMeta, slow over a long night's 100k events.
_SCHEDULE_EVENTS = frozenset(
    {
        ev.CutoverStarted,
        ev.PlanRebaselined,
        ev.StepStarted,
        ev.StepCompleted,
        ev.StepSkipped,
        ev.StepFailed,
        ev.RollbackStarted,
        ev.CutoverEnded,
    }
)


def message_rows(walk: Walk) -> tuple[MessageRow, ...]:
    """Every planned message: its trigger, when that fired, when it was sent."""
    messages = walk.runbook.communications.messages
    delays = sorted({m.trigger.minutes for m in messages if isinstance(m.trigger, rb.Delay)})
    delay_fired = _delay_fired(walk.events, delays) if delays else {}
    stakeholders = {s.id: s.name for s in walk.runbook.communications.stakeholders}
    rows: list[MessageRow] = []
    for message in messages:
        trigger = message.trigger
        if isinstance(trigger, rb.Delay):
            fired = delay_fired.get(trigger.minutes)
        elif isinstance(trigger, rb.CheckpointGo):
            decisions = walk.decisions.get(trigger.checkpoint, [])
            gos = [d.at for d in decisions if d.decision == "go"]
            fired = gos[0] if gos else None
        else:
            fired = comms.fired_at(walk.state, trigger, walk.end_at)
        sent = walk.sent.get(message.id, [])
        rows.append(
            MessageRow(
                message_id=message.id,
                audience=tuple(stakeholders.get(a, a) for a in message.audience),
                trigger=comms.describe_trigger(trigger),
                fired_at=fired,
                sent_at=sent[0] if sent else None,
                times_sent=len(sent),
            )
        )
    return tuple(rows)


def _delay_fired(events: Sequence[ev.BaseEvent], thresholds: list[int]) -> dict[int, datetime]:
    """When the projected finish first slipped past each threshold (minutes).

    Between two schedule events the slip is flat, then grows minute for minute (a step
    running past its plan, or no step running), so the crossing is solved, not sampled.
    """
    fired: dict[int, datetime] = {}
    shadow = CutoverState()
    since: datetime | None = None

    def scan(until: datetime) -> None:
        if since is None or shadow.ended or shadow.rollback is not None:
            return
        slip_end = schedule.slip_minutes(shadow, until)
        for minutes in thresholds:
            if minutes in fired or slip_end < minutes:
                continue
            if schedule.slip_minutes(shadow, since) >= minutes:
                fired[minutes] = since
            else:
                fired[minutes] = max(since, until - timedelta(minutes=slip_end - minutes))

    for event in events:
        if type(event) in _SCHEDULE_EVENTS:
            scan(event.at)
            if len(fired) == len(thresholds):  # nothing left to find: each further
                return fired  # projection would walk the whole plan for nothing
            shadow = evolve(shadow, event)
            since = event.at
    scan(events[-1].at)
    return fired
