"""One pass over a journal's events, collecting what the folded state does not keep.

The final state knows where the night ended; the debrief also needs how it got there:
every attempt at a step, when each criterion was marked, every decision, every call and
what was agreed on it, the rollback's undo times (and the undos that failed or were
skipped), the messages sent, restarts and clean quits, revealed secrets, screen-share
changes, contact cards taken mid-night, every tick of every checklist (and the ticks
withdrawn), the answers given when a list was passed with items unticked, and every
correction. `Walk` gathers them once; the parts of the debrief are built from it.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Literal

from cockpit.core import schedule
from cockpit.core.checklists import ChecklistRef
from cockpit.core.state import CutoverState, ItemKey
from cockpit.journal import events as ev
from cockpit.model import runbook as rb

from .blockers import NoteRow
from .model import (
    Attempt,
    CallRow,
    CardRow,
    CorrectionRow,
    DecisionRow,
    ItemRow,
    QuitRow,
    SecretRow,
    Seen,
    SessionRow,
    WithdrawnTick,
)
from .words import LocalTimes


@dataclass
class StepLog:
    """The attempts at one step, and its skip and undo."""

    attempts: list[Attempt] = field(default_factory=list)
    skip_reason: str = ""
    skipped_at: datetime | None = None
    undone_at: datetime | None = None
    reopened: list[CorrectionRow] = field(default_factory=list)


@dataclass
class UndoLog:
    """What became of one undo of the rollback besides being done: its failures (when,
    why) and its skip."""

    failures: list[tuple[datetime, str]] = field(default_factory=list)
    skipped: tuple[datetime, str] | None = None


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
        #: The checkpoints' titles by id (a stop at a gate is told by its gate).
        self.gate_titles: dict[str, str] = {cp.id: cp.title for cp in self.runbook.checkpoints}
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
        self.undo_logs: dict[str, UndoLog] = {}
        self.rollback_completed: datetime | None = None
        #: The end of the rollback, with the check after it left unticked and why.
        self.rollback_end: ev.RollbackCompleted | None = None
        #: The first step started with the checklist before the window not all ticked.
        self.started_anyway: ev.StepStarted | None = None
        #: Each checklist item's ticks and unticks, in journal order.
        self.item_logs: dict[ItemKey, list[ev.ItemTicked | ev.ItemUnticked]] = {}
        self.corrections: list[CorrectionRow] = []
        self.calls: list[CallRow] = []
        self._withdrawals: list[ev.NoteWithdrawn] = []
        self.sent: dict[str, list[datetime]] = {}
        #: The folded state's notes; a withdrawn one is marked in its text (at the end).
        self.notes: list[NoteRow] = state.notes
        self.sessions: list[SessionRow] = []
        #: Every clean quit (`SessionClosed`), in journal order.
        self.quits: list[QuitRow] = []
        self.secrets: list[SecretRow] = []
        self.share: list[tuple[datetime, bool]] = []
        self.card_changes: list[CardRow] = []
        self.rebaselines: list[tuple[datetime, datetime, str]] = []
        self.ended: ev.CutoverEnded | None = None
        #: How times are shown (corrections say when the event they correct was).
        self.times = local_times(self.state)
        self._collect()
        if self._withdrawals:
            self._mark_withdrawn_notes()

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
        if event.unticked and self.started_anyway is None:
            self.started_anyway = event

    def _step_completed(self, event: ev.StepCompleted, previous: ev.BaseEvent | None) -> None:
        unticked = tuple(index + 1 for index in event.unticked)
        self._attempt_ended(event.step_id, event.at, "completed", "", unticked, event.anyway)

    def _step_failed(self, event: ev.StepFailed, previous: ev.BaseEvent | None) -> None:
        self._attempt_ended(event.step_id, event.at, "failed", event.reason)

    def _attempt_ended(
        self,
        step_id: str,
        at: datetime,
        result: Literal["completed", "failed"],
        reason: str,
        unticked: tuple[int, ...] = (),
        anyway: str = "",
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
                unticked=unticked,
                anyway=anyway,
            )

    def _step_reopened(self, event: ev.StepReopened, previous: ev.BaseEvent | None) -> None:
        # The mistaken ending no longer holds: the attempt it ended runs on (its start
        # stands), or the skip is undone. The correction says what was undone, and why.
        log = self.steps[event.step_id]
        mistaken: datetime | None = None
        if event.was == "skipped":
            mistaken = log.skipped_at
            log.skip_reason, log.skipped_at = "", None
        elif log.attempts and log.attempts[-1].result != "running":
            last = log.attempts[-1]
            mistaken = last.ended_at
            log.attempts[-1] = Attempt(
                started_at=last.started_at,
                start_seq=last.start_seq,
                ended_at=None,
                result="running",
            )
        title = self.step_by_id[event.step_id].title
        when = f" at {self.times.at(mistaken)}" if mistaken is not None else ""
        correction = CorrectionRow(
            kind="reopen",
            at=event.at,
            seq=event.seq,
            what=f"step '{title}' reopened (marked {event.was}{when})",
            reason=event.reason,
        )
        log.reopened.append(correction)
        self.corrections.append(correction)

    def _ticked(self, event: ev.ItemTicked, previous: ev.BaseEvent | None) -> None:
        key = (event.checklist, event.step_id or "", event.index)
        self.item_logs.setdefault(key, []).append(event)

    def _unticked(self, event: ev.ItemUnticked, previous: ev.BaseEvent | None) -> None:
        key = (event.checklist, event.step_id or "", event.index)
        self.item_logs.setdefault(key, []).append(event)
        where = ChecklistRef(event.checklist, event.step_id).name(self.runbook)
        self.corrections.append(
            CorrectionRow(
                kind="untick",
                at=event.at,
                seq=event.seq,
                what=f"tick withdrawn from '{event.item}' (#{event.index + 1} of {where})",
                reason=event.reason,
            )
        )

    def _note_withdrawn(self, event: ev.NoteWithdrawn, previous: ev.BaseEvent | None) -> None:
        self._withdrawals.append(event)
        index = bisect.bisect_left(self.notes, event.note_seq, key=_seq)
        note = self.notes[index] if index < len(self.notes) else None
        written = f" ('{note.text}')" if note is not None and note.seq == event.note_seq else ""
        self.corrections.append(
            CorrectionRow(
                kind="withdraw",
                at=event.at,
                seq=event.seq,
                what=f"note #{event.note_seq} withdrawn{written}",
                reason=event.reason,
            )
        )

    def _mark_withdrawn_notes(self) -> None:
        """A withdrawn note stays where it was written, marked: its words, and under them
        when it was withdrawn and why. Every list of notes in the report shows the row
        from here (`sections_record.note_list`), so none shows it as if it held."""
        notes = list(self.notes)
        for withdrawal in self._withdrawals:
            index = bisect.bisect_left(notes, withdrawal.note_seq, key=_seq)
            if index == len(notes) or notes[index].seq != withdrawal.note_seq:
                continue  # (the fold refuses a withdrawal of no note: not reached)
            note = notes[index]
            mark = (
                f"⊘ WITHDRAWN at {self.times.at(withdrawal.at)} (#{withdrawal.seq}): "
                f"{withdrawal.reason}"
            )
            notes[index] = replace(note, text=f"{note.text}\n{mark}")
        self.notes = notes

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
        logs = self._blockers_by_id.get(event.blocker_id, []) if event.blocker_id else []
        self.calls.append(
            CallRow(
                at=event.at,
                seq=event.seq,
                contact=event.contact_name,
                agreed=event.agreed,
                blocker_id=event.blocker_id,
                about=logs[-1].event.what if logs else "",
            )
        )
        for log in logs:
            log.calls.append((event.at, event.contact_name))

    def _blocker_resolved(self, event: ev.BlockerResolved, previous: ev.BaseEvent | None) -> None:
        for log in self._blockers_by_id.get(event.blocker_id, ()):
            if log.resolved_at is None:
                log.resolved_at, log.how = event.at, event.how

    def _rollback_started(self, event: ev.RollbackStarted, previous: ev.BaseEvent | None) -> None:
        self.rollback = event

    def _undone(self, event: ev.RollbackStepDone, previous: ev.BaseEvent | None) -> None:
        self.undone.setdefault(event.step_id, event.at)

    def _undo_failed(self, event: ev.RollbackStepFailed, previous: ev.BaseEvent | None) -> None:
        log = self.undo_logs.setdefault(event.step_id, UndoLog())
        log.failures.append((event.at, event.reason))

    def _undo_skipped(self, event: ev.RollbackStepSkipped, previous: ev.BaseEvent | None) -> None:
        self.undo_logs.setdefault(event.step_id, UndoLog()).skipped = (event.at, event.reason)

    def _rolled_back(self, event: ev.RollbackCompleted, previous: ev.BaseEvent | None) -> None:
        self.rollback_completed = event.at
        self.rollback_end = event

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
                previous_end=(
                    "clean"
                    if isinstance(previous, ev.SessionClosed)
                    else "crash"
                    if event.after_crash
                    else "unknown"
                ),
            )
        )

    def _closed(self, event: ev.SessionClosed, previous: ev.BaseEvent | None) -> None:
        self.quits.append(QuitRow(at=event.at, seq=event.seq, operator=event.operator))

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

    # ---- what was collected, read back ------------------------------------------------

    def items(self, ref: ChecklistRef, signers: Sequence[str] = ()) -> tuple[ItemRow, ...]:
        """The items of one list, walked: the tick standing at the end (when, by whom) or
        none, and every tick withdrawn before it. `signers`: who is to sign each item."""
        key_of = (ref.checklist, ref.step_id or "")
        rows: list[ItemRow] = []
        for index, text in enumerate(ref.items(self.runbook)):
            seen: Seen | None = None
            withdrawn: list[WithdrawnTick] = []
            for event in self.item_logs.get((*key_of, index), ()):
                if isinstance(event, ev.ItemTicked):
                    seen = Seen(at=event.at, seq=event.seq, by=event.by)
                elif seen is not None:
                    withdrawn.append(
                        WithdrawnTick(tick=seen, at=event.at, seq=event.seq, reason=event.reason)
                    )
                    seen = None
            rows.append(
                ItemRow(
                    number=index + 1,
                    text=text,
                    seen=seen,
                    withdrawn=tuple(withdrawn),
                    signer=signers[index] if index < len(signers) else "",
                )
            )
        return tuple(rows)


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
    ev.SessionClosed: Walk._closed,
    ev.SecretRevealed: Walk._secret,
    ev.ShareModeChanged: Walk._share,
    ev.ContactCardAdopted: Walk._card,
    ev.PlanRebaselined: Walk._rebaselined,
    ev.CutoverEnded: Walk._ended,
    ev.StepReopened: Walk._step_reopened,
    ev.ItemTicked: Walk._ticked,
    ev.ItemUnticked: Walk._unticked,
    ev.RollbackStepFailed: Walk._undo_failed,
    ev.RollbackStepSkipped: Walk._undo_skipped,
    ev.NoteWithdrawn: Walk._note_withdrawn,
}


def _seq(note: NoteRow) -> int:
    return note.seq


def local_times(state: CutoverState) -> LocalTimes:
    """Times shown in the runbook's zone, relative to the day the window starts."""
    assert state.runbook is not None
    zone = state.runbook.meta.zone
    start = schedule.window(state).start.astimezone(zone)
    return LocalTimes(zone=zone, zone_name=state.runbook.meta.timezone, day=start.date())
