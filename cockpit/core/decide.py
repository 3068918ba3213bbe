"""decide: check a command against the state, and answer with events or a refusal.

Nothing here writes or reads anything: the caller appends the events to the journal and,
once they are on disk, evolves the state with them. A refusal writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from pydantic import ValidationError

from cockpit.journal import events as ev
from cockpit.model.contacts import ContactCard

from . import commands as cmd
from .cards import card_changes, same_card
from .checklists import ChecklistRef, tickable
from .rollback import rollback_checklist
from .state import CutoverState

Decision = list[ev.BaseEvent] | cmd.Refusal

#: Longest free text we journal (notes, reasons).
MAX_TEXT = 20_000


def decide(state: CutoverState, command: cmd.Command, now: datetime) -> Decision:
    """Events that carry out `command` at `now`, or a refusal saying why not."""
    if not isinstance(command, cmd.StartCutover) and not state.started:
        return cmd.Refusal("the cutover has not started: this journal has no first event")
    handler = _DECIDERS.get(type(command))
    if handler is None:
        return cmd.Refusal(f"unknown command {type(command).__name__}")
    builder = _Builder(state, command, now)
    refusal = handler(state, command, builder)
    return refusal if refusal is not None else builder.events


class _Builder:
    """Numbers, stamps and ids the events of one command."""

    def __init__(self, state: CutoverState, command: cmd.Command, now: datetime) -> None:
        # Events never go backwards in time, even if the wall clock does.
        self.at = max(now, state.last_at) if state.last_at is not None else now
        #: The clock's own reading: countdowns started now run from it, so a clock that
        #: went back does not lengthen them.
        self.now = now
        self.next_seq = state.last_seq + 1
        self.command_id = command.command_id
        self.events: list[ev.BaseEvent] = []

    def add(self, event_type: type[ev.BaseEvent], **fields: Any) -> None:
        index = len(self.events)
        self.events.append(
            event_type(
                seq=self.next_seq + index,
                at=self.at,
                event_id=f"{self.command_id}-{index}",
                **fields,
            )
        )


Handler = Callable[[CutoverState, Any, _Builder], cmd.Refusal | None]


def _text(value: str, what: str) -> str | cmd.Refusal:
    text = value.strip()
    if not text:
        return cmd.Refusal(f"{what} is empty: say it in a few words")
    if len(text) > MAX_TEXT:
        return cmd.Refusal(f"{what} is longer than {MAX_TEXT} characters")
    return text


def _open_for_work(state: CutoverState) -> cmd.Refusal | None:
    if state.ended:
        return cmd.Refusal(f"the cutover has ended ({state.outcome}); only notes can be added")
    return None


def _forward_work(state: CutoverState) -> cmd.Refusal | None:
    refusal = _open_for_work(state)
    if refusal is None and state.rolling_back:
        return cmd.Refusal("a rollback is under way: work through the rollback checklist")
    return refusal


def _step(state: CutoverState, step_id: str) -> cmd.Refusal | None:
    if step_id not in state.steps:
        return cmd.Refusal(f"there is no step {step_id!r} in this runbook")
    return None


def _title(state: CutoverState, step_id: str) -> str:
    assert state.runbook is not None
    return f"'{state.runbook.step(step_id).title}'"


def _unticked(
    state: CutoverState, ref: ChecklistRef, anyway: str, ending: str
) -> tuple[list[int], str] | cmd.Refusal:
    """The items of `ref` left unticked and why that is accepted — or a refusal that asks
    for the why (`code="unticked"`: the screen asks "complete anyway?")."""
    unticked = ref.unticked(state)
    if not unticked:
        return [], ""
    if not anyway.strip():
        assert state.runbook is not None
        numbers = ", #".join(str(index + 1) for index in unticked)
        return cmd.Refusal(
            f"{ref.name(state.runbook)} not ticked: #{numbers}. Tick each one you have seen, "
            f"or say why {ending} anyway",
            code="unticked",
        )
    reason = _text(anyway, "why it goes on anyway")
    return reason if isinstance(reason, cmd.Refusal) else (unticked, reason)


def _end_stop(state: CutoverState, b: _Builder, how: str) -> None:
    """A rollback or an abandon decides what a stop was waiting for: the open blocker (a
    hold, a no-go, a blocker raised by hand) is resolved by it, so no countdown runs on
    after the night has turned back or ended."""
    blocker = state.open_blocker
    if blocker is not None:
        b.add(ev.BlockerResolved, blocker_id=blocker.blocker_id, how=how)


def _add_blocker(
    state: CutoverState,
    b: _Builder,
    what: str,
    step_id: str | None,
    checkpoint_id: str | None = None,
) -> None:
    """Raise a blocker: every stop starts the escalation countdown from the clock's now."""
    assert state.runbook is not None
    b.add(
        ev.BlockerRaised,
        blocker_id=f"b{len(state.blockers) + 1}",
        what=what,
        step_id=step_id,
        deadline=b.now + timedelta(minutes=state.runbook.meta.escalation_minutes),
        checkpoint_id=checkpoint_id,
    )


# ---- the deciders ------------------------------------------------------------------------


def _start_cutover(state: CutoverState, c: cmd.StartCutover, b: _Builder) -> cmd.Refusal | None:
    if state.started:
        return cmd.Refusal("this journal already holds a cutover; resume it instead")
    from cockpit.model.runbook import Runbook  # the snapshot must load back

    runbook = Runbook.model_validate(c.runbook)
    plan_start = c.plan_start or runbook.meta.window_start_utc
    b.add(
        ev.CutoverStarted,
        runbook=c.runbook,
        runbook_sha256=c.runbook_sha256,
        runbook_path=c.runbook_path,
        contacts=c.contacts,
        mode=c.mode,
        operator=c.operator,
        plan_start=plan_start,
        app_version=c.app_version,
    )
    return None


def _resume(state: CutoverState, c: cmd.ResumeSession, b: _Builder) -> None:
    b.add(
        ev.SessionResumed,
        operator=c.operator,
        runbook_changed=c.runbook_changed,
        card_changed=c.card_changed,
        after_crash=c.after_crash,
    )


def _close(state: CutoverState, c: cmd.CloseSession, b: _Builder) -> None:
    # Allowed at any moment, even after the end: a clean quit is a fact of the session.
    b.add(ev.SessionClosed, operator=c.operator)


def _adopt_card(state: CutoverState, c: cmd.AdoptContactCard, b: _Builder) -> cmd.Refusal | None:
    if refusal := _open_for_work(state):
        return refusal
    try:
        card = ContactCard.model_validate(c.contacts)
    except ValidationError as error:
        first = error.errors()[0]["msg"] if error.errors() else str(error)
        return cmd.Refusal(f"the new contact card does not load ({first}); nothing changed")
    if same_card(state.contacts, card):
        return cmd.Refusal("this contact card is already the card of record", code="same_card")
    b.add(
        ev.ContactCardAdopted,
        contacts=c.contacts,
        card_path=c.card_path,
        changes=card_changes(state.contacts, card),
    )
    return None


def _rebaseline(state: CutoverState, c: cmd.Rebaseline, b: _Builder) -> cmd.Refusal | None:
    if refusal := _open_for_work(state):
        return refusal
    if any(step.status != "pending" for step in state.steps.values()):
        return cmd.Refusal("steps have already started: the plan can only move before step 1")
    reason = _text(c.reason, "the reason")
    if isinstance(reason, cmd.Refusal):
        return reason
    b.add(ev.PlanRebaselined, plan_start=c.plan_start, reason=reason)
    return None


def _start_step(state: CutoverState, c: cmd.StartStep, b: _Builder) -> cmd.Refusal | None:
    assert state.runbook is not None
    if refusal := _forward_work(state) or _step(state, c.step_id):
        return refusal
    step = state.steps[c.step_id]
    if step.status == "running":
        return cmd.Refusal(f"step {_title(state, c.step_id)} is already running")
    if step.done:
        return cmd.Refusal(f"step {_title(state, c.step_id)} is already {step.status}")
    running = state.running_step
    if running is not None:
        return cmd.Refusal(f"finish step {_title(state, running)} first: one step at a time")
    for dep in state.runbook.step(c.step_id).depends_on:
        if not state.steps[dep].done:
            return cmd.Refusal(
                f"step {_title(state, c.step_id)} depends on {_title(state, dep)}, "
                "which is not done"
            )
    for checkpoint in state.runbook.checkpoints_before(c.step_id):
        decision = state.checkpoints[checkpoint.id].decision
        if decision != "go":
            said = {"no_go": "a no-go", "hold": "a hold"}.get(decision or "", "no decision")
            return cmd.Refusal(
                f"checkpoint '{checkpoint.title}' gates this step and has {said}: "
                "mark its criteria and record a go first",
                code="needs_go",
            )
    unticked: list[int] = []
    anyway = ""
    first = not any(step.started_at is not None for step in state.steps.values())
    if first and state.mode == "live" and state.runbook.pre_window:
        found = _unticked(state, ChecklistRef("pre_window"), c.anyway, "the night starts")
        if isinstance(found, cmd.Refusal):
            return found
        unticked, anyway = found
    if c.step_id == state.runbook.ponr_step and state.ponr_crossed_at is None:
        gate = state.runbook.ponr_checkpoint
        gate_state = state.checkpoints[gate.id] if gate is not None else None
        if gate is None or gate_state is None or gate_state.decision != "go":
            return cmd.Refusal(
                "starting this step crosses the point of no return, and there is no recorded "
                "go on the checkpoint before it",
                code="needs_go",
            )
        if not c.confirm_ponr:
            why = state.runbook.point_of_no_return.why or "rollback becomes impossible"
            return cmd.Refusal(
                f"starting {_title(state, c.step_id)} crosses the point of no return: {why}",
                code="confirm_ponr",
            )
        b.add(
            ev.PointOfNoReturnCrossed,
            step_id=c.step_id,
            checkpoint_id=gate.id,
            go_seq=gate_state.decision_seq,
        )
    b.add(ev.StepStarted, step_id=c.step_id, unticked=unticked, anyway=anyway)
    return None


def _complete_step(state: CutoverState, c: cmd.CompleteStep, b: _Builder) -> cmd.Refusal | None:
    if refusal := _forward_work(state) or _step(state, c.step_id):
        return refusal
    if state.steps[c.step_id].status != "running":
        return cmd.Refusal(
            f"step {_title(state, c.step_id)} is not running: start it before completing it"
        )
    found = _unticked(state, ChecklistRef("step", c.step_id), c.anyway, "it is complete")
    if isinstance(found, cmd.Refusal):
        return found
    unticked, anyway = found
    b.add(ev.StepCompleted, step_id=c.step_id, unticked=unticked, anyway=anyway)
    return None


def _reopen_step(state: CutoverState, c: cmd.ReopenStep, b: _Builder) -> cmd.Refusal | None:
    if refusal := _forward_work(state) or _step(state, c.step_id):
        return refusal
    step = state.steps[c.step_id]
    if step.status not in ("completed", "skipped", "failed"):
        return cmd.Refusal(
            f"step {_title(state, c.step_id)} is {step.status}: only a step completed, "
            "skipped or failed can be reopened"
        )
    running = state.running_step
    if step.started_at is not None and running is not None:
        return cmd.Refusal(
            f"step {_title(state, running)} is running: complete or fail it before "
            f"reopening {_title(state, c.step_id)} (one step at a time)"
        )
    reason = _text(c.reason, "why it is reopened")
    if isinstance(reason, cmd.Refusal):
        return reason
    b.add(ev.StepReopened, step_id=c.step_id, was=step.status, reason=reason)
    return None


def _ref(state: CutoverState, c: cmd.TickItem | cmd.UntickItem) -> ChecklistRef | cmd.Refusal:
    assert state.runbook is not None
    ref = ChecklistRef(c.checklist, c.step_id if c.checklist == "step" else None)
    if (why := tickable(state, ref)) is not None:
        return cmd.Refusal(why)
    items = ref.items(state.runbook)
    if not 0 <= c.index < len(items):
        name = ref.name(state.runbook)
        return cmd.Refusal(f"{name} has {len(items)} item(s); there is no #{c.index + 1}")
    return ref


def _item(state: CutoverState, ref: ChecklistRef, index: int) -> dict[str, Any]:
    """Where an item is and its words, as a tick or an untick records them."""
    assert state.runbook is not None
    return {
        "checklist": ref.checklist,
        "step_id": ref.step_id,
        "index": index,
        "item": ref.items(state.runbook)[index],
    }


def _tick(state: CutoverState, c: cmd.TickItem, b: _Builder) -> cmd.Refusal | None:
    ref = _ref(state, c)
    if isinstance(ref, cmd.Refusal):
        return ref
    assert state.runbook is not None
    done = state.tick(ref.checklist, ref.step_id, c.index)
    if done is not None:
        return cmd.Refusal(f"#{c.index + 1} is already ticked (by {done.by})", code="ticked")
    typed = c.by.strip()
    if len(typed) > 200:
        return cmd.Refusal("who signed it is longer than 200 characters")
    b.add(ev.ItemTicked, **_item(state, ref, c.index), by=typed or state.operator)
    return None


def _untick(state: CutoverState, c: cmd.UntickItem, b: _Builder) -> cmd.Refusal | None:
    ref = _ref(state, c)
    if isinstance(ref, cmd.Refusal):
        return ref
    assert state.runbook is not None
    if state.tick(ref.checklist, ref.step_id, c.index) is None:
        return cmd.Refusal(f"#{c.index + 1} is not ticked")
    reason = _text(c.reason, "why the tick is withdrawn")
    if isinstance(reason, cmd.Refusal):
        return reason
    b.add(ev.ItemUnticked, **_item(state, ref, c.index), reason=reason)
    return None


def _skip_step(state: CutoverState, c: cmd.SkipStep, b: _Builder) -> cmd.Refusal | None:
    if refusal := _forward_work(state) or _step(state, c.step_id):
        return refusal
    if state.steps[c.step_id].done:
        return cmd.Refusal(f"step {_title(state, c.step_id)} is already done")
    assert state.runbook is not None
    if c.step_id == state.runbook.ponr_step:
        return cmd.Refusal(
            "the point-of-no-return step cannot be skipped: do it, or roll back or abandon"
        )
    reason = _text(c.reason, "the reason for skipping")
    if isinstance(reason, cmd.Refusal):
        return reason
    b.add(ev.StepSkipped, step_id=c.step_id, reason=reason)
    return None


def _fail_step(state: CutoverState, c: cmd.FailStep, b: _Builder) -> cmd.Refusal | None:
    if refusal := _forward_work(state) or _step(state, c.step_id):
        return refusal
    if state.steps[c.step_id].status != "running":
        return cmd.Refusal(f"step {_title(state, c.step_id)} is not running, so it cannot fail")
    reason = _text(c.reason, "what went wrong")
    if isinstance(reason, cmd.Refusal):
        return reason
    b.add(ev.StepFailed, step_id=c.step_id, reason=reason)
    return None


def _checkpoint(state: CutoverState, checkpoint_id: str) -> cmd.Refusal | None:
    assert state.runbook is not None
    if checkpoint_id not in state.checkpoints:
        return cmd.Refusal(f"there is no checkpoint {checkpoint_id!r} in this runbook")
    gated = state.runbook.checkpoint(checkpoint_id).before
    if state.steps[gated].status != "pending":
        return cmd.Refusal(
            f"step {_title(state, gated)} has already started: its checkpoint is closed"
        )
    return None


def _mark(state: CutoverState, c: cmd.MarkCriterion, b: _Builder) -> cmd.Refusal | None:
    if refusal := _forward_work(state) or _checkpoint(state, c.checkpoint_id):
        return refusal
    marks = state.checkpoints[c.checkpoint_id].marks
    if not 0 <= c.index < len(marks):
        return cmd.Refusal(f"this checkpoint has {len(marks)} criteria; there is no #{c.index + 1}")
    if state.checkpoints[c.checkpoint_id].decision == "go":
        return cmd.Refusal("this checkpoint already has a go; record a hold to change its marks")
    b.add(ev.CriterionMarked, checkpoint_id=c.checkpoint_id, index=c.index, met=c.met)
    return None


def _decide_checkpoint(
    state: CutoverState, c: cmd.DecideCheckpoint, b: _Builder
) -> cmd.Refusal | None:
    if refusal := _forward_work(state) or _checkpoint(state, c.checkpoint_id):
        return refusal
    checkpoint = state.checkpoints[c.checkpoint_id]
    reason = c.reason.strip()
    if c.decision == "go":
        if checkpoint.decision == "go":
            return cmd.Refusal("this checkpoint already has a go")
        unmet = [str(i + 1) for i, mark in enumerate(checkpoint.marks) if mark is not True]
        if unmet:
            return cmd.Refusal(
                f"go needs every criterion met; not yet met: #{', #'.join(unmet)}",
                code="criteria_unmet",
            )
    else:
        text = _text(reason, "the reason for a " + c.decision.replace("_", "-"))
        if isinstance(text, cmd.Refusal):
            return text
        reason = text
    by = _text(c.by, "who decided")
    if isinstance(by, cmd.Refusal):
        return by
    b.add(
        ev.CheckpointDecided,
        checkpoint_id=c.checkpoint_id,
        decision=c.decision,
        by=by,
        reason=reason,
    )
    # The 30-minute rule covers every stop: a hold or a no-go is a blocker with its
    # countdown, and the go that ends it resolves it.
    assert state.runbook is not None
    gate = state.runbook.checkpoint(c.checkpoint_id)
    blocker = state.open_blocker
    if c.decision == "go":
        if blocker is not None and blocker.checkpoint_id == c.checkpoint_id:
            b.add(ev.BlockerResolved, blocker_id=blocker.blocker_id, how=f"GO by {by}")
    elif blocker is None:
        word = "NO-GO" if c.decision == "no_go" else "HOLD"
        _add_blocker(state, b, f"{word} at '{gate.title}': {reason}", gate.before, gate.id)
    return None


def _raise_blocker(state: CutoverState, c: cmd.RaiseBlocker, b: _Builder) -> cmd.Refusal | None:
    assert state.runbook is not None
    if refusal := _open_for_work(state):
        return refusal
    if state.open_blocker is not None:
        return cmd.Refusal(
            f"a blocker is already open ({state.open_blocker.what}): resolve it first"
        )
    if c.step_id is not None and (refusal := _step(state, c.step_id)):
        return refusal
    what = _text(c.what, "what is blocking")
    if isinstance(what, cmd.Refusal):
        return what
    _add_blocker(state, b, what, c.step_id if c.step_id is not None else state.current_step)
    return None


def _log_escalation(state: CutoverState, c: cmd.LogEscalation, b: _Builder) -> cmd.Refusal | None:
    if refusal := _open_for_work(state):
        return refusal
    blocker = state.open_blocker
    contact_id, name = c.contact_id or "", ""
    if state.contacts is not None:
        contact = state.contacts.resolve(c.contact_id) if c.contact_id else state.contacts.on_call
        if contact is None and c.contact_id:
            return cmd.Refusal(f"there is no contact {c.contact_id!r} on the contact card")
        if contact is not None:
            contact_id, name = contact.id, contact.name
    if not name:
        contact_id = contact_id or "on-call-senior"
        name = c.contact_id or "the on-call senior DE"
    agreed = _text(c.agreed, "what was agreed on the call")
    if isinstance(agreed, cmd.Refusal):
        return agreed
    b.add(
        ev.EscalationCalled,
        blocker_id=blocker.blocker_id if blocker is not None else None,
        contact_id=contact_id,
        contact_name=name,
        agreed=agreed,
    )
    return None


def _resolve_blocker(state: CutoverState, c: cmd.ResolveBlocker, b: _Builder) -> cmd.Refusal | None:
    blocker = state.open_blocker
    if blocker is None:
        return cmd.Refusal("there is no open blocker to resolve")
    how = _text(c.how, "how it was resolved")
    if isinstance(how, cmd.Refusal):
        return how
    b.add(ev.BlockerResolved, blocker_id=blocker.blocker_id, how=how)
    return None


def _start_rollback(state: CutoverState, c: cmd.StartRollback, b: _Builder) -> cmd.Refusal | None:
    if refusal := _open_for_work(state):
        return refusal
    if state.rollback is not None:
        return cmd.Refusal("a rollback has already started")
    reason = _text(c.reason, "the reason for rolling back")
    if isinstance(reason, cmd.Refusal):
        return reason
    running = state.running_step
    if running is not None:
        b.add(ev.StepFailed, step_id=running, reason="stopped: rollback started")
    _end_stop(state, b, f"rolled back: {reason}")
    steps = [item.step_id for item in rollback_checklist(state)]
    b.add(
        ev.RollbackStarted,
        reason=reason,
        steps=steps,
        after_ponr=state.ponr_crossed_at is not None,
    )
    if not steps:
        b.add(ev.RollbackCompleted)
        b.add(ev.CutoverEnded, outcome="rolled_back", summary="nothing to undo: " + reason)
    return None


def _rollback_step(state: CutoverState, c: cmd.MarkRollbackStep, b: _Builder) -> cmd.Refusal | None:
    if refusal := _open_for_work(state):
        return refusal
    if not state.rolling_back or state.rollback is None:
        return cmd.Refusal("no rollback is under way")
    if c.step_id not in state.rollback.steps:
        return cmd.Refusal(f"step {c.step_id!r} is not on the rollback checklist")
    if c.step_id not in state.rollback.remaining:
        return cmd.Refusal(f"the undo of {_title(state, c.step_id)} is already done or skipped")
    b.add(ev.RollbackStepDone, step_id=c.step_id)
    return None


def _undo_not_done(
    state: CutoverState, c: cmd.FailRollbackStep | cmd.SkipRollbackStep, what: str
) -> str | cmd.Refusal:
    if refusal := _open_for_work(state):
        return refusal
    if not state.rolling_back or state.rollback is None:
        return cmd.Refusal("no rollback is under way")
    if c.step_id not in state.rollback.steps:
        return cmd.Refusal(f"step {c.step_id!r} is not on the rollback checklist")
    if c.step_id not in state.rollback.remaining:
        return cmd.Refusal(f"the undo of {_title(state, c.step_id)} is already done or skipped")
    return _text(c.reason, what)


def _rollback_step_failed(
    state: CutoverState, c: cmd.FailRollbackStep, b: _Builder
) -> cmd.Refusal | None:
    return _undo_with_why(state, c, b, ev.RollbackStepFailed, "what went wrong with the undo")


def _rollback_step_skipped(
    state: CutoverState, c: cmd.SkipRollbackStep, b: _Builder
) -> cmd.Refusal | None:
    return _undo_with_why(state, c, b, ev.RollbackStepSkipped, "why the undo is skipped")


def _undo_with_why(
    state: CutoverState,
    c: cmd.FailRollbackStep | cmd.SkipRollbackStep,
    b: _Builder,
    event: type[ev.RollbackStepFailed] | type[ev.RollbackStepSkipped],
    what: str,
) -> cmd.Refusal | None:
    """An undo that did not work or is not done: the next undo still to do, and why."""
    reason = _undo_not_done(state, c, what)
    if isinstance(reason, cmd.Refusal):
        return reason
    b.add(event, step_id=c.step_id, reason=reason)
    return None


def _complete_rollback(
    state: CutoverState, c: cmd.CompleteRollback, b: _Builder
) -> cmd.Refusal | None:
    if refusal := _open_for_work(state):
        return refusal
    if not state.rolling_back or state.rollback is None:
        return cmd.Refusal("no rollback is under way")
    if state.rollback.remaining:
        left = ", ".join(_title(state, s) for s in state.rollback.remaining)
        return cmd.Refusal(f"undo still to do (or to skip, with why): {left}")
    found = _unticked(
        state, ChecklistRef("rollback_verification"), c.anyway, "the rollback is complete"
    )
    if isinstance(found, cmd.Refusal):
        return found
    unticked, anyway = found
    b.add(ev.RollbackCompleted, unticked=unticked, anyway=anyway)
    b.add(ev.CutoverEnded, outcome="rolled_back", summary=c.summary.strip())
    return None


def _message_sent(state: CutoverState, c: cmd.MarkMessageSent, b: _Builder) -> cmd.Refusal | None:
    assert state.runbook is not None
    try:
        state.runbook.message(c.message_id)
    except KeyError:
        return cmd.Refusal(f"there is no message {c.message_id!r} in the communication plan")
    b.add(ev.MessageSent, message_id=c.message_id)
    return None


def _note(state: CutoverState, c: cmd.AddNote, b: _Builder) -> cmd.Refusal | None:
    text = _text(c.text, "the note")
    if isinstance(text, cmd.Refusal):
        return text
    b.add(ev.NoteAdded, text=text)
    return None


def _withdraw_note(state: CutoverState, c: cmd.WithdrawNote, b: _Builder) -> cmd.Refusal | None:
    note = next((note for note in state.notes if note.seq == c.note_seq), None)
    if note is None:
        return cmd.Refusal(f"there is no note #{c.note_seq} in this journal")
    if note.withdrawn is not None:
        return cmd.Refusal(f"note #{c.note_seq} is already withdrawn")
    reason = _text(c.reason, "why the note is withdrawn")
    if isinstance(reason, cmd.Refusal):
        return reason
    b.add(ev.NoteWithdrawn, note_seq=c.note_seq, reason=reason)
    return None


def _secret(state: CutoverState, c: cmd.RecordSecretReveal, b: _Builder) -> cmd.Refusal | None:
    name = c.name.strip()
    if not name or len(name) > 64:
        return cmd.Refusal("a secret is recorded by its name (1–64 characters)")
    b.add(ev.SecretRevealed, name=name, how=c.how, source=c.source[:64])
    return None


def _share(state: CutoverState, c: cmd.SetShareMode, b: _Builder) -> cmd.Refusal | None:
    if state.share_mode == c.on:
        return cmd.Refusal(f"share mode is already {'on' if c.on else 'off'}")
    b.add(ev.ShareModeChanged, on=c.on)
    return None


def _declare_complete(
    state: CutoverState, c: cmd.DeclareComplete, b: _Builder
) -> cmd.Refusal | None:
    if refusal := _forward_work(state):
        return refusal
    left = [step_id for step_id, step in state.steps.items() if not step.done]
    if left:
        return cmd.Refusal(
            f"{len(left)} step(s) not done yet, starting with {_title(state, left[0])}"
        )
    if state.open_blocker is not None:
        return cmd.Refusal("a blocker is still open: resolve it before declaring complete")
    found = _unticked(state, ChecklistRef("verification"), c.anyway, "the cutover is complete")
    if isinstance(found, cmd.Refusal):
        return found
    unticked, anyway = found
    b.add(
        ev.CutoverEnded,
        outcome=completion_outcome(state, b.at),
        summary=c.summary.strip(),
        unticked=unticked,
        anyway=anyway,
    )
    return None


def _abandon(state: CutoverState, c: cmd.Abandon, b: _Builder) -> cmd.Refusal | None:
    if refusal := _open_for_work(state):
        return refusal
    reason = _text(c.reason, "the reason for stopping")
    if isinstance(reason, cmd.Refusal):
        return reason
    _end_stop(state, b, f"abandoned: {reason}")
    b.add(ev.CutoverEnded, outcome="not_rolled_back", summary=reason)
    return None


def completion_outcome(state: CutoverState, at: datetime) -> str:
    """Successful, or successful with issues: overran the window, failures, skips, blockers."""
    assert state.runbook is not None
    window_end = state.runbook.meta.window_end_utc
    if state.plan_start is not None and state.mode == "rehearsal":
        window_end = state.plan_start + (window_end - state.runbook.meta.window_start_utc)
    troubled = (
        at > window_end
        or bool(state.blockers)
        or any(step.status == "skipped" or step.attempts > 1 for step in state.steps.values())
        or any(
            decision != "go"
            for checkpoint in state.checkpoints.values()
            for decision, *_ in checkpoint.history
        )
    )
    return "successful_with_issues" if troubled else "successful"


_DECIDERS: dict[type[cmd.Command], Handler] = {
    cmd.StartCutover: _start_cutover,
    cmd.ResumeSession: _resume,
    cmd.CloseSession: _close,
    cmd.Rebaseline: _rebaseline,
    cmd.StartStep: _start_step,
    cmd.CompleteStep: _complete_step,
    cmd.ReopenStep: _reopen_step,
    cmd.TickItem: _tick,
    cmd.UntickItem: _untick,
    cmd.SkipStep: _skip_step,
    cmd.FailStep: _fail_step,
    cmd.MarkCriterion: _mark,
    cmd.DecideCheckpoint: _decide_checkpoint,
    cmd.RaiseBlocker: _raise_blocker,
    cmd.LogEscalation: _log_escalation,
    cmd.ResolveBlocker: _resolve_blocker,
    cmd.StartRollback: _start_rollback,
    cmd.MarkRollbackStep: _rollback_step,
    cmd.FailRollbackStep: _rollback_step_failed,
    cmd.SkipRollbackStep: _rollback_step_skipped,
    cmd.CompleteRollback: _complete_rollback,
    cmd.MarkMessageSent: _message_sent,
    cmd.AddNote: _note,
    cmd.WithdrawNote: _withdraw_note,
    cmd.RecordSecretReveal: _secret,
    cmd.AdoptContactCard: _adopt_card,
    cmd.SetShareMode: _share,
    cmd.DeclareComplete: _declare_complete,
    cmd.Abandon: _abandon,
}
