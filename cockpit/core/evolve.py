"""evolve and fold: the one place where events change the state.

`evolve(state, event)` is pure — it returns a new state and leaves its argument alone.
`fold(events)` rebuilds any moment; it applies events in place on a state it owns, which
is the same computation as chaining `evolve` without copying the containers each time
(a 100k-event journal folds in a fraction of a second).

`HANDLERS` says how each event class changes the state. It is keyed by the class (the
core may not know the reports, so it cannot live on the event): an event whose class is
not in it raises `UnknownEventType` — every event changes at least `last_seq`, and one
the fold passed over would leave the screen, replay and the debrief silently behind.
`tests/test_event_tables.py` checks that every type of the `Event` union is here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from cockpit.journal import events as ev
from cockpit.model.contacts import ContactCard
from cockpit.model.runbook import Runbook

from .state import Blocker, Call, CheckpointState, CutoverState, Note, Rollback, StepState, Tick


class FoldError(Exception):
    """The events do not make a cutover (for example, no first event)."""

    def __init__(self, message: str, seq: int | None = None) -> None:
        super().__init__(message)
        #: The first event that does not fit, when known.
        self.seq = seq


def evolve(state: CutoverState, event: ev.BaseEvent) -> CutoverState:
    """The state after `event`; `state` is not changed."""
    new = state.copy()
    apply(new, event)
    return new


def fold(events: Iterable[ev.BaseEvent], upto_seq: int | None = None) -> CutoverState:
    """The state after every event (or those up to `upto_seq`), from nothing."""
    state = CutoverState()
    for event in events:
        if upto_seq is not None and event.seq > upto_seq:
            break
        apply(state, event)
    return state


def apply(state: CutoverState, event: ev.BaseEvent) -> None:
    """Change `state` in place by one event. Only `evolve` and `fold` call this."""
    if state.runbook is None and not isinstance(event, ev.CutoverStarted):
        raise FoldError(
            f"event {event.seq} ({type(event).__name__}) comes before the start", event.seq
        )
    # By exact type: every event class is a direct subclass of BaseEvent, and a lookup
    # is cheaper than isinstance over a long night.
    handler = HANDLERS.get(type(event))
    if handler is None:
        raise ev.UnknownEventType("evolve.HANDLERS", event)
    try:
        handler(state, event)
    except (KeyError, IndexError, StopIteration, AssertionError, ValueError) as error:
        # Only a damaged or hand-edited journal gets here: decide never emits these.
        tag = type(event).model_fields["type"].default
        raise FoldError(
            f"event {event.seq} ({tag}) does not fit the cutover: {error!r}", event.seq
        ) from error
    if type(event).marker is not None:  # a moment of the record (see events.py)
        state.recent.append(event)
    state.last_seq = event.seq
    state.last_at = event.at


def _started(state: CutoverState, event: ev.CutoverStarted) -> None:
    if state.runbook is not None:
        raise FoldError(f"event {event.seq}: a second cutover start in one journal", event.seq)
    runbook = Runbook.model_validate(event.runbook)
    state.runbook = runbook
    state.contacts = (
        ContactCard.model_validate(event.contacts) if event.contacts is not None else None
    )
    state.runbook_sha256 = event.runbook_sha256
    state.mode = event.mode
    state.operator = event.operator
    state.plan_start = event.plan_start
    state.started_at = event.at
    state.sessions = 1
    state.steps = {step.id: StepState() for step in runbook.steps}
    state.checkpoints = {
        cp.id: CheckpointState(marks=(None,) * len(cp.criteria)) for cp in runbook.checkpoints
    }


def _resumed(state: CutoverState, event: ev.SessionResumed) -> None:
    state.sessions += 1
    state.runbook_changed = event.runbook_changed
    state.card_changed = event.card_changed


def _closed(state: CutoverState, event: ev.SessionClosed) -> None:
    """A clean quit changes nothing on the night (only `last_seq`, as every event does);
    a follower reads it from the journal's last event to tell a quit from a crash."""


def _card_adopted(state: CutoverState, event: ev.ContactCardAdopted) -> None:
    state.contacts = ContactCard.model_validate(event.contacts)
    state.card_changed = False
    state.card_adopted_at = event.at


def _rebaselined(state: CutoverState, event: ev.PlanRebaselined) -> None:
    state.plan_start = event.plan_start


def _step_started(state: CutoverState, event: ev.StepStarted) -> None:
    old = state.steps[event.step_id]
    state.steps[event.step_id] = StepState(
        status="running", started_at=event.at, attempts=old.attempts + 1
    )


def _step_completed(state: CutoverState, event: ev.StepCompleted) -> None:
    old = state.steps[event.step_id]
    state.steps[event.step_id] = replace(
        old, status="completed", ended_at=event.at, anyway=event.anyway
    )


def _step_reopened(state: CutoverState, event: ev.StepReopened) -> None:
    # Back to where it stood before the mistaken ending: running when it had started
    # (its start time stands), pending when it never had.
    old = state.steps[event.step_id]
    state.steps[event.step_id] = replace(
        old,
        status="running" if old.started_at is not None else "pending",
        ended_at=None,
        reason="",
        anyway="",
        reopened=old.reopened + 1,
    )


def _item_ticked(state: CutoverState, event: ev.ItemTicked) -> None:
    key = (event.checklist, event.step_id or "", event.index)
    state.ticks[key] = Tick(at=event.at, by=event.by, seq=event.seq)


def _item_unticked(state: CutoverState, event: ev.ItemUnticked) -> None:
    del state.ticks[(event.checklist, event.step_id or "", event.index)]


def _step_skipped(state: CutoverState, event: ev.StepSkipped) -> None:
    old = state.steps[event.step_id]
    state.steps[event.step_id] = replace(
        old, status="skipped", ended_at=event.at, reason=event.reason
    )


def _step_failed(state: CutoverState, event: ev.StepFailed) -> None:
    old = state.steps[event.step_id]
    state.steps[event.step_id] = replace(
        old, status="failed", ended_at=event.at, reason=event.reason
    )


def _criterion(state: CutoverState, event: ev.CriterionMarked) -> None:
    old = state.checkpoints[event.checkpoint_id]
    marks = list(old.marks)
    marks[event.index] = event.met
    state.checkpoints[event.checkpoint_id] = replace(old, marks=tuple(marks))


def _decided(state: CutoverState, event: ev.CheckpointDecided) -> None:
    old = state.checkpoints[event.checkpoint_id]
    state.checkpoints[event.checkpoint_id] = replace(
        old,
        decision=event.decision,
        decided_by=event.by,
        decided_at=event.at,
        reason=event.reason,
        decision_seq=event.seq,
        history=(*old.history, (event.decision, event.by, event.at, event.reason)),
    )


def _ponr(state: CutoverState, event: ev.PointOfNoReturnCrossed) -> None:
    state.ponr_crossed_at = event.at


def _blocker_raised(state: CutoverState, event: ev.BlockerRaised) -> None:
    state.blockers.append(
        Blocker(
            blocker_id=event.blocker_id,
            what=event.what,
            raised_at=event.at,
            deadline=event.deadline,
            step_id=event.step_id,
            checkpoint_id=event.checkpoint_id,
        )
    )


def _replace_blocker(state: CutoverState, blocker_id: str, **changes: object) -> None:
    # The blocker an event names is almost always the latest: search from the end, so a
    # long night with many blockers folds in linear time.
    for index in range(len(state.blockers) - 1, -1, -1):
        blocker = state.blockers[index]
        if blocker.blocker_id == blocker_id:
            state.blockers[index] = replace(blocker, **changes)  # type: ignore[arg-type]
            return


def _escalated(state: CutoverState, event: ev.EscalationCalled) -> None:
    state.calls.append(
        Call(
            at=event.at,
            contact_id=event.contact_id,
            contact_name=event.contact_name,
            agreed=event.agreed,
            blocker_id=event.blocker_id,
        )
    )
    if event.blocker_id is None:
        return
    blocker = next(b for b in reversed(state.blockers) if b.blocker_id == event.blocker_id)
    if blocker.called_at is None:
        _replace_blocker(
            state, event.blocker_id, called_at=event.at, called_contact=event.contact_name
        )


def _blocker_resolved(state: CutoverState, event: ev.BlockerResolved) -> None:
    _replace_blocker(state, event.blocker_id, resolved_at=event.at, how=event.how)


def _rollback_started(state: CutoverState, event: ev.RollbackStarted) -> None:
    state.rollback = Rollback(
        started_at=event.at,
        reason=event.reason,
        steps=tuple(event.steps),
        after_ponr=event.after_ponr,
    )


def _rollback_step(state: CutoverState, event: ev.RollbackStepDone) -> None:
    assert state.rollback is not None
    state.rollback = replace(state.rollback, done=(*state.rollback.done, event.step_id))


def _rollback_step_failed(state: CutoverState, event: ev.RollbackStepFailed) -> None:
    assert state.rollback is not None
    failed = (*state.rollback.failed, (event.step_id, event.reason))
    state.rollback = replace(state.rollback, failed=failed)


def _rollback_step_skipped(state: CutoverState, event: ev.RollbackStepSkipped) -> None:
    assert state.rollback is not None
    skipped = (*state.rollback.skipped, (event.step_id, event.reason))
    state.rollback = replace(state.rollback, skipped=skipped)


def _rollback_completed(state: CutoverState, event: ev.RollbackCompleted) -> None:
    assert state.rollback is not None
    state.rollback = replace(state.rollback, completed_at=event.at)


def _message_sent(state: CutoverState, event: ev.MessageSent) -> None:
    state.messages_sent[event.message_id] = event.at


def _note(state: CutoverState, event: ev.NoteAdded) -> None:
    state.notes.append(Note(at=event.at, text=event.text, seq=event.seq))


def _note_withdrawn(state: CutoverState, event: ev.NoteWithdrawn) -> None:
    for index in range(len(state.notes) - 1, -1, -1):
        if state.notes[index].seq == event.note_seq:
            state.notes[index] = replace(state.notes[index], withdrawn=event.reason)
            return
    raise KeyError(f"no note #{event.note_seq}")


def _secret(state: CutoverState, event: ev.SecretRevealed) -> None:
    state.revealed.append((event.at, event.name, event.how))


def _share(state: CutoverState, event: ev.ShareModeChanged) -> None:
    state.share_mode = event.on


def _ended(state: CutoverState, event: ev.CutoverEnded) -> None:
    state.ended_at = event.at
    state.outcome = event.outcome


#: How each event class changes the state (see the module docstring). A handler takes the
#: event of its key's class; the table cannot say so to a type checker, hence `Any`.
HANDLERS: dict[type[ev.BaseEvent], Callable[[CutoverState, Any], None]] = {
    ev.CutoverStarted: _started,
    ev.SessionResumed: _resumed,
    ev.SessionClosed: _closed,
    ev.PlanRebaselined: _rebaselined,
    ev.StepStarted: _step_started,
    ev.StepCompleted: _step_completed,
    ev.StepReopened: _step_reopened,
    ev.ItemTicked: _item_ticked,
    ev.ItemUnticked: _item_unticked,
    ev.StepSkipped: _step_skipped,
    ev.StepFailed: _step_failed,
    ev.CriterionMarked: _criterion,
    ev.CheckpointDecided: _decided,
    ev.PointOfNoReturnCrossed: _ponr,
    ev.BlockerRaised: _blocker_raised,
    ev.EscalationCalled: _escalated,
    ev.BlockerResolved: _blocker_resolved,
    ev.RollbackStarted: _rollback_started,
    ev.RollbackStepDone: _rollback_step,
    ev.RollbackStepFailed: _rollback_step_failed,
    ev.RollbackStepSkipped: _rollback_step_skipped,
    ev.RollbackCompleted: _rollback_completed,
    ev.MessageSent: _message_sent,
    ev.NoteAdded: _note,
    ev.NoteWithdrawn: _note_withdrawn,
    ev.SecretRevealed: _secret,
    ev.ContactCardAdopted: _card_adopted,
    ev.ShareModeChanged: _share,
    ev.CutoverEnded: _ended,
}
