"""One pass over a journal's events, collecting what the folded state does not keep.

The final state knows where the night ended; the debrief also needs how it got there:
every attempt at a step, when each criterion was marked, every decision, the escalation
calls, the rollback's undo times, the messages sent, restarts, revealed secrets and
screen-share changes. `Walk` gathers them once; the parts of the debrief are built from it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from cockpit.core import schedule
from cockpit.core.state import CutoverState
from cockpit.journal import events as ev
from cockpit.model import runbook as rb

from .debrief_model import Attempt, DecisionRow, NoteRow, SecretRow, SessionRow
from .debrief_text import LocalTimes


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

    The builders of the debrief's parts (`debrief_steps`, `debrief_blockers`,
    `debrief_comms`, `debrief_compare`) read what it collected.
    """

    def __init__(self, events: Sequence[ev.BaseEvent], state: CutoverState) -> None:
        self.events = events
        self.state = state
        assert self.state.runbook is not None
        self.runbook: rb.Runbook = self.state.runbook
        self.start = events[0]
        assert isinstance(self.start, ev.CutoverStarted)
        self.end_at = events[-1].at
        self.steps: dict[str, StepLog] = {step.id: StepLog() for step in self.runbook.steps}
        self.marked_at: dict[tuple[str, int], datetime] = {}
        self.decisions: dict[str, list[DecisionRow]] = {
            cp.id: [] for cp in self.runbook.checkpoints
        }
        self.ponr: ev.PointOfNoReturnCrossed | None = None
        self.blockers: list[BlockerLog] = []
        self.rollback: ev.RollbackStarted | None = None
        self.undone: dict[str, datetime] = {}
        self.rollback_completed: datetime | None = None
        self.sent: dict[str, list[datetime]] = {}
        self.notes: list[NoteRow] = state.notes
        self.sessions: list[SessionRow] = []
        self.secrets: list[SecretRow] = []
        self.share: list[tuple[datetime, bool]] = []
        self.rebaselines: list[tuple[datetime, datetime, str]] = []
        self.ended: ev.CutoverEnded | None = None
        self._collect()
        self.times = local_times(self.state)

    def _collect(self) -> None:
        previous: ev.BaseEvent | None = None
        for event in self.events:
            if type(event) is not ev.NoteAdded:  # the fold has them; most events are notes
                self._take(event, previous)
            previous = event

    def _take(self, event: ev.BaseEvent, previous: ev.BaseEvent | None) -> None:
        match event:
            case ev.CriterionMarked():
                self.marked_at[(event.checkpoint_id, event.index)] = event.at
            case ev.MessageSent():
                self.sent.setdefault(event.message_id, []).append(event.at)
            case ev.StepStarted():
                self.steps[event.step_id].attempts.append(
                    Attempt(
                        started_at=event.at, start_seq=event.seq, ended_at=None, result="running"
                    )
                )
            case ev.StepCompleted() | ev.StepFailed():
                attempts = self.steps[event.step_id].attempts
                if attempts and attempts[-1].result == "running":
                    failed = isinstance(event, ev.StepFailed)
                    last = attempts[-1]
                    attempts[-1] = Attempt(
                        started_at=last.started_at,
                        start_seq=last.start_seq,
                        ended_at=event.at,
                        result="failed" if failed else "completed",
                        reason=event.reason if isinstance(event, ev.StepFailed) else "",
                    )
            case ev.StepSkipped():
                log = self.steps[event.step_id]
                log.skip_reason, log.skipped_at = event.reason, event.at
            case ev.CheckpointDecided():
                self.decisions[event.checkpoint_id].append(
                    DecisionRow(
                        decision=event.decision,
                        by=event.by,
                        at=event.at,
                        reason=event.reason,
                        seq=event.seq,
                    )
                )
            case ev.PointOfNoReturnCrossed():
                self.ponr = event
            case ev.BlockerRaised():
                self.blockers.append(BlockerLog(event=event))
            case ev.EscalationCalled():
                for log in self.blockers:
                    if log.event.blocker_id == event.blocker_id:
                        log.calls.append((event.at, event.contact_name))
            case ev.BlockerResolved():
                for log in self.blockers:
                    if log.event.blocker_id == event.blocker_id and log.resolved_at is None:
                        log.resolved_at, log.how = event.at, event.how
            case ev.RollbackStarted():
                self.rollback = event
            case ev.RollbackStepDone():
                self.undone.setdefault(event.step_id, event.at)
            case ev.RollbackCompleted():
                self.rollback_completed = event.at
            case ev.SessionResumed():
                assert previous is not None  # a resume never comes first
                self.sessions.append(
                    SessionRow(
                        at=event.at,
                        seq=event.seq,
                        operator=event.operator,
                        runbook_changed=event.runbook_changed,
                        previous_at=previous.at,
                        previous_seq=previous.seq,
                    )
                )
            case ev.SecretRevealed():
                self.secrets.append(
                    SecretRow(at=event.at, seq=event.seq, name=event.name, how=event.how)
                )
            case ev.ShareModeChanged():
                self.share.append((event.at, event.on))
            case ev.PlanRebaselined():
                self.rebaselines.append((event.at, event.plan_start, event.reason))
            case ev.CutoverEnded():
                self.ended = event


def local_times(state: CutoverState) -> LocalTimes:
    """Times shown in the runbook's zone, relative to the day the window starts."""
    assert state.runbook is not None
    zone = state.runbook.meta.zone
    start = schedule.window(state).start.astimezone(zone)
    return LocalTimes(zone=zone, zone_name=state.runbook.meta.timezone, day=start.date())
