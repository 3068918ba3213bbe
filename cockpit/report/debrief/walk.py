"""One pass over a journal's events, collecting what the folded state does not keep.

The final state knows where the night ended; the debrief also needs how it got there:
every attempt at a step, when each criterion was marked, every decision, the escalation
calls, the rollback's undo times, the messages sent, restarts, revealed secrets,
screen-share changes and contact cards taken mid-night. `Walk` gathers them once; the
parts of the debrief are built from it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from cockpit.core import schedule
from cockpit.core.state import CutoverState
from cockpit.journal import events as ev
from cockpit.model import runbook as rb

from .blockers import NoteRow
from .model import Attempt, CardRow, DecisionRow, SecretRow, SessionRow
from .words import LocalTimes


@dataclass
class StepLog:
    """The attempts at one step, and its skip and undo."""

    attempts: list[Attempt] = field(default_factory=list)
    skip_reason: str = ""
    skipped_at: datetime | None = None
    undone_at: datetime | None = None


@dataclass
class BlockerLog:
    """A blocker as raised, with its calls and resolution."""

    event: ev.BlockerRaised
    calls: list[tuple[datetime, str]] = field(default_factory=list)
    resolved_at: datetime | None = None
    how: str = ""


class Walk:
    """One pass over the events, collecting what the final state does not keep.

    The builders of the debrief's parts (`steps`, `blockers`,
    `comms`, `compare`) read what it collected.
    """

    def __init__(self, events: Sequence[ev.BaseEvent], state: CutoverState) -> None:
        self.events = events
        self.state = state
        assert self.state.runbook is not None
        self.runbook: rb.Runbook = self.state.runbook
        #: The runbook's steps by id (`Runbook.step` searches them: a long plan has many).
        self.step_by_id: dict[str, rb.Step] = {step.id: step for step in self.runbook.steps}
        start = events[0]
        assert isinstance(start, ev.CutoverStarted)
        #: The first event: the plan of record and who ran it, how.
        self.start: ev.CutoverStarted = start
        self.end_at = events[-1].at
        self.steps: dict[str, StepLog] = {step.id: StepLog() for step in self.runbook.steps}
        self.marked_at: dict[tuple[str, int], datetime] = {}
        self.decisions: dict[str, list[DecisionRow]] = {
            cp.id: [] for cp in self.runbook.checkpoints
        }
        self.ponr: ev.PointOfNoReturnCrossed | None = None
        self.blockers: list[BlockerLog] = []
        self._blockers_by_id: dict[str, list[BlockerLog]] = {}
        self.rollback: ev.RollbackStarted | None = None
        self.undone: dict[str, datetime] = {}
        self.rollback_completed: datetime | None = None
        self.sent: dict[str, list[datetime]] = {}
        self.notes: list[NoteRow] = state.notes
        self.sessions: list[SessionRow] = []
        self.secrets: list[SecretRow] = []
        self.share: list[tuple[datetime, bool]] = []
        self.card_changes: list[CardRow] = []
        self.rebaselines: list[tuple[datetime, datetime, str]] = []
        self.ended: ev.CutoverEnded | None = None
        self._collect()
        self.times = local_times(self.state)

    def _collect(self) -> None:
        # By exact type, not `match`: every event class is a direct subclass of BaseEvent,
        # and isinstance against a pydantic model goes through ABCMeta, slow over a long
        # night's 100k events (three quarters of them notes, which the fold has kept).
        takers = TAKERS
        previous: ev.BaseEvent | None = None
        for event in self.events:
            try:
                take = takers[type(event)]
            except KeyError:
                raise ev.UnknownEventType("debrief walk TAKERS", event) from None
            if take is not None:
                take(self, event, previous)
            previous = event

    def _criterion(self, event: ev.CriterionMarked, previous: ev.BaseEvent | None) -> None:
        self.marked_at[(event.checkpoint_id, event.index)] = event.at

    def _message(self, event: ev.MessageSent, previous: ev.BaseEvent | None) -> None:
        self.sent.setdefault(event.message_id, []).append(event.at)

    def _step_started(self, event: ev.StepStarted, previous: ev.BaseEvent | None) -> None:
        self.steps[event.step_id].attempts.append(
            Attempt(started_at=event.at, start_seq=event.seq, ended_at=None, result="running")
        )

    def _step_completed(self, event: ev.StepCompleted, previous: ev.BaseEvent | None) -> None:
        self._attempt_ended(event.step_id, event.at, "completed", "")

    def _step_failed(self, event: ev.StepFailed, previous: ev.BaseEvent | None) -> None:
        self._attempt_ended(event.step_id, event.at, "failed", event.reason)

    def _attempt_ended(
        self, step_id: str, at: datetime, result: Literal["completed", "failed"], reason: str
    ) -> None:
        attempts = self.steps[step_id].attempts
        if attempts and attempts[-1].result == "running":
            last = attempts[-1]
            attempts[-1] = Attempt(
                started_at=last.started_at,
                start_seq=last.start_seq,
                ended_at=at,
                result=result,
                reason=reason,
            )

    def _step_skipped(self, event: ev.StepSkipped, previous: ev.BaseEvent | None) -> None:
        log = self.steps[event.step_id]
        log.skip_reason, log.skipped_at = event.reason, event.at

    def _decided(self, event: ev.CheckpointDecided, previous: ev.BaseEvent | None) -> None:
        self.decisions[event.checkpoint_id].append(
            DecisionRow(
                decision=event.decision,
                by=event.by,
                at=event.at,
                reason=event.reason,
                seq=event.seq,
            )
        )

    def _ponr(self, event: ev.PointOfNoReturnCrossed, previous: ev.BaseEvent | None) -> None:
        self.ponr = event

    def _blocker_raised(self, event: ev.BlockerRaised, previous: ev.BaseEvent | None) -> None:
        log = BlockerLog(event=event)
        self.blockers.append(log)
        self._blockers_by_id.setdefault(event.blocker_id, []).append(log)

    def _escalation(self, event: ev.EscalationCalled, previous: ev.BaseEvent | None) -> None:
        if event.blocker_id is None:  # a call on no blocker: the debrief helper takes it
            return
        for log in self._blockers_by_id.get(event.blocker_id, ()):
            log.calls.append((event.at, event.contact_name))

    def _blocker_resolved(self, event: ev.BlockerResolved, previous: ev.BaseEvent | None) -> None:
        for log in self._blockers_by_id.get(event.blocker_id, ()):
            if log.resolved_at is None:
                log.resolved_at, log.how = event.at, event.how

    def _rollback_started(self, event: ev.RollbackStarted, previous: ev.BaseEvent | None) -> None:
        self.rollback = event

    def _undone(self, event: ev.RollbackStepDone, previous: ev.BaseEvent | None) -> None:
        self.undone.setdefault(event.step_id, event.at)

    def _rolled_back(self, event: ev.RollbackCompleted, previous: ev.BaseEvent | None) -> None:
        self.rollback_completed = event.at

    def _resumed(self, event: ev.SessionResumed, previous: ev.BaseEvent | None) -> None:
        assert previous is not None  # a resume never comes first
        self.sessions.append(
            SessionRow(
                at=event.at,
                seq=event.seq,
                operator=event.operator,
                runbook_changed=event.runbook_changed,
                previous_at=previous.at,
                previous_seq=previous.seq,
                card_changed=event.card_changed,
            )
        )

    def _card(self, event: ev.ContactCardAdopted, previous: ev.BaseEvent | None) -> None:
        self.card_changes.append(CardRow(at=event.at, seq=event.seq, changes=tuple(event.changes)))

    def _secret(self, event: ev.SecretRevealed, previous: ev.BaseEvent | None) -> None:
        self.secrets.append(SecretRow(at=event.at, seq=event.seq, name=event.name, how=event.how))

    def _share(self, event: ev.ShareModeChanged, previous: ev.BaseEvent | None) -> None:
        self.share.append((event.at, event.on))

    def _rebaselined(self, event: ev.PlanRebaselined, previous: ev.BaseEvent | None) -> None:
        self.rebaselines.append((event.at, event.plan_start, event.reason))

    def _ended(self, event: ev.CutoverEnded, previous: ev.BaseEvent | None) -> None:
        self.ended = event


#: What the walk takes from each event class, keyed by the class: the debrief is a layer
#: above the journal, so this cannot live on the event. Every type of the `Event` union is
#: listed (tests/test_event_tables.py); None says the walk deliberately takes nothing from
#: it, and a class missing from the table raises `UnknownEventType` rather than being
#: passed over.
TAKERS: dict[type[ev.BaseEvent], Callable[[Walk, Any, ev.BaseEvent | None], None] | None] = {
    # The start is `Walk.start`, read before the walk.
    ev.CutoverStarted: None,
    # The folded state keeps the notes (`Walk.notes`); most of a long night is notes.
    ev.NoteAdded: None,
    ev.CriterionMarked: Walk._criterion,
    ev.MessageSent: Walk._message,
    ev.StepStarted: Walk._step_started,
    ev.StepCompleted: Walk._step_completed,
    ev.StepFailed: Walk._step_failed,
    ev.StepSkipped: Walk._step_skipped,
    ev.CheckpointDecided: Walk._decided,
    ev.PointOfNoReturnCrossed: Walk._ponr,
    ev.BlockerRaised: Walk._blocker_raised,
    ev.EscalationCalled: Walk._escalation,
    ev.BlockerResolved: Walk._blocker_resolved,
    ev.RollbackStarted: Walk._rollback_started,
    ev.RollbackStepDone: Walk._undone,
    ev.RollbackCompleted: Walk._rolled_back,
    ev.SessionResumed: Walk._resumed,
    ev.SecretRevealed: Walk._secret,
    ev.ShareModeChanged: Walk._share,
    ev.ContactCardAdopted: Walk._card,
    ev.PlanRebaselined: Walk._rebaselined,
    ev.CutoverEnded: Walk._ended,
    # Issue 12's events: the debrief's record of them is being written next.
    ev.StepReopened: None,
    ev.ItemTicked: None,
    ev.ItemUnticked: None,
    ev.RollbackStepFailed: None,
    ev.RollbackStepSkipped: None,
    ev.NoteWithdrawn: None,
}


def local_times(state: CutoverState) -> LocalTimes:
    """Times shown in the runbook's zone, relative to the day the window starts."""
    assert state.runbook is not None
    zone = state.runbook.meta.zone
    start = schedule.window(state).start.astimezone(zone)
    return LocalTimes(zone=zone, zone_name=state.runbook.meta.timezone, day=start.date())
