"""The communication plan against the night: when each message's trigger fired, and
when (and how often) it was marked sent.

Only a message that was due while the cockpit showed it and could mark it sent, and that
was never sent, is flagged (`MessageRow.missed`). A message due only at the end (the
completion messages) is not blamed: it is sent after the end. A message that never fired
is not due, and a rehearsal does not make the notices before the window due
(`comms.before_rehearsal`).

A `delay` trigger fires when the projected finish first slips past its minutes against
the plan in force; that moment is solved from the schedule events, not sampled
(`_delay_fired`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Literal

from cockpit.core import comms, schedule
from cockpit.core.evolve import evolve
from cockpit.core.state import CutoverState
from cockpit.journal import events as ev
from cockpit.model import runbook as rb

if TYPE_CHECKING:
    from .walk import Walk


#: How a planned message stands when the journal ends.
#:
#: * ``sent`` — marked sent (whether or not its trigger fired).
#: * ``missed`` — due while the cockpit could mark it sent, and never marked sent.
#: * ``due_at_end`` — its trigger fired only at the end (cutover or rollback completed),
#:   and it was not marked sent after.
#: * ``not_due`` — its trigger never fired.
#: * ``before_rehearsal`` — due before a rehearsal began: not part of a rehearsal.
Standing = Literal["sent", "missed", "due_at_end", "not_due", "before_rehearsal"]


@dataclass(frozen=True, slots=True)
class MessageRow:
    """A planned communication: its trigger, when it fired, when it was sent."""

    message_id: str
    audience: tuple[str, ...]
    trigger: str
    #: When its trigger fired, or None when it never did (or was not due tonight).
    fired_at: datetime | None
    sent_at: datetime | None
    times_sent: int
    standing: Standing

    @property
    def missed(self) -> bool:
        """Due while the cockpit could send it, and never sent: the one case the DE
        answers for."""
        return self.standing == "missed"


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
#: Where a session opens. The schedule does not move, but a rebaseline written right
#: after one replaces the plan before the screen shows it (`_delay_fired`).
_OPENINGS = frozenset({ev.CutoverStarted, ev.SessionResumed})
#: Where the scan for a `delay` crossing stops and starts again.
_SEGMENT_ENDS = _SCHEDULE_EVENTS | _OPENINGS


def message_rows(walk: Walk) -> tuple[MessageRow, ...]:
    """Every planned message: its trigger, when that fired, when it was sent."""
    messages = walk.runbook.communications.messages
    delays = sorted({m.trigger.minutes for m in messages if isinstance(m.trigger, rb.Delay)})
    delay_fired = _delay_fired(walk.events, delays) if delays else {}
    stakeholders = {s.id: s.name for s in walk.runbook.communications.stakeholders}
    ended_at = walk.state.ended_at
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
        standing: Standing
        if sent:
            standing = "sent"
        elif comms.before_rehearsal(walk.state, trigger):
            standing = "before_rehearsal"
        elif fired is None:
            standing = "not_due"
        elif ended_at is not None and fired >= ended_at:
            standing = "due_at_end"
        else:
            standing = "missed"
        rows.append(
            MessageRow(
                message_id=message.id,
                audience=tuple(stakeholders.get(a, a) for a in message.audience),
                trigger=comms.describe_trigger(trigger),
                fired_at=fired,
                sent_at=sent[0] if sent else None,
                times_sent=len(sent),
                standing=standing,
            )
        )
    return tuple(rows)


def _delay_fired(events: Sequence[ev.BaseEvent], thresholds: list[int]) -> dict[int, datetime]:
    """When the projected finish first slipped past each threshold (minutes), measured
    against the plan in force, as the screen measured it.

    Between two schedule events the slip is flat, then grows minute for minute (a step
    running past its plan, or no step running), so the crossing is solved, not sampled.

    A rebaseline written as a session opens (a rehearsal's "the plan starts now", a
    `--rebaseline`) replaces the plan before the screen shows anything: the stretch from
    the opening to it is not scanned. Measured against the file's window, a rehearsal run
    after that window's date would be late by days from its first second.
    """
    fired: dict[int, datetime] = {}
    shadow = CutoverState()
    since: datetime | None = None

    def scan(until: datetime) -> None:
        if since is None or not comms.delay_can_fire(shadow):
            return
        slip_end = schedule.slip_minutes(shadow, until)
        for minutes in thresholds:
            if minutes in fired or slip_end < minutes:
                continue
            if schedule.slip_minutes(shadow, since) >= minutes:
                fired[minutes] = since
            else:
                fired[minutes] = max(since, until - timedelta(minutes=slip_end - minutes))

    previous: type[ev.BaseEvent] | None = None
    for event in events:
        kind = type(event)
        if kind in _SEGMENT_ENDS:
            if not (kind is ev.PlanRebaselined and previous in _OPENINGS):
                scan(event.at)
            if len(fired) == len(thresholds):  # nothing left to find: each further
                return fired  # projection would walk the whole plan for nothing
            shadow = evolve(shadow, event)
            since = event.at
        previous = kind
    scan(events[-1].at)
    return fired
