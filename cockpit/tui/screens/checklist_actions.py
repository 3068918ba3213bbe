"""Ticks and corrections on the cockpit screen: the number keys, reopening a step,
withdrawing a note, logging a call — and "go on anyway?" when items are unticked.

What a number key ticks is what the step panel shows (`cockpit.core.checklists.in_view`),
so the DE never ticks an item they cannot see. Every correction is a new event with a
reason: the journal is never rewritten.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from cockpit.core import commands as cmd
from cockpit.core.checklists import ChecklistRef, in_view
from cockpit.text import clock_time, one_line
from cockpit.tui.screens.base import CockpitBase
from cockpit.tui.screens.modals import PickOne

if TYPE_CHECKING:
    from cockpit.core.source import Outcome, StateSource
    from cockpit.core.state import CutoverState

#: A note shown in a picker is cut to this many characters.
NOTE_PREVIEW = 70


class ChecklistActions(CockpitBase):
    """The tick, reopen, withdraw-note and call actions of `CockpitScreen`."""

    selected_step: str | None

    if TYPE_CHECKING:  # what the cockpit screen provides
        source: StateSource

        @property
        def state(self) -> CutoverState: ...

        def run_command(self, command: cmd.Command) -> Outcome: ...

        def ask(
            self,
            title: str,
            prompt: str,
            then: Callable[[str], cmd.Command],
            value: str = "",
        ) -> None: ...

        def confirm(self, title: str, body: str, yes: str, then: Callable[[], Any]) -> None: ...

    def _hhmm(self, moment: Any) -> str:
        assert self.state.runbook is not None
        return clock_time(moment, self.state.runbook.meta.zone)

    # ---- the number keys ----------------------------------------------------------------

    def action_tick(self, index: int) -> None:
        """Number key N: at an open gate, toggle criterion N; else tick item N of the list
        on screen, or untick it (a correction, asks why) when it is ticked."""
        state = self.state
        checkpoint_id = state.open_checkpoint
        if checkpoint_id is not None:
            self._toggle_criterion(checkpoint_id, index)
            return
        ref = in_view(state, self.selected_step)
        if ref is None:
            self.notify("Nothing on screen to tick: start the step first.")
            return
        assert state.runbook is not None
        items = ref.items(state.runbook)
        if index >= len(items):
            self.notify(f"{sentence_case(ref.name(state.runbook))} has {len(items)} item(s).")
            return
        tick = state.tick(ref.checklist, ref.step_id, index)
        if tick is not None:
            self._untick(ref, index, items[index], tick.by, tick.at)
        elif ref.checklist == "pre_window":
            self._sign(ref, index, items[index])
        else:
            command = cmd.TickItem(checklist=ref.checklist, step_id=ref.step_id, index=index)
            self.run_command(command)

    def _toggle_criterion(self, checkpoint_id: str, index: int) -> None:
        """unmarked → met → not met → met."""
        marks = self.state.checkpoints[checkpoint_id].marks
        if index >= len(marks):
            self.notify(f"This checkpoint has {len(marks)} criteria.", severity="warning")
            return
        met = marks[index] is not True
        self.run_command(cmd.MarkCriterion(checkpoint_id=checkpoint_id, index=index, met=met))

    def _sign(self, ref: ChecklistRef, index: int, item: str) -> None:
        """A pre-window item is signed by a person: ask who, suggesting the plan's signer."""
        state = self.state
        assert state.runbook is not None
        signer = state.runbook.pre_window[index].signed_by
        contact = state.contacts.resolve(signer) if state.contacts is not None else None
        suggested = contact.name if contact is not None else signer
        if signer == "de":
            suggested = state.operator
        self.ask(
            f"Sign off #{index + 1}",
            f"{item}\n\nWho signs it? (the plan says: {signer}; the name and the time are "
            "journaled)",
            lambda name: cmd.TickItem(checklist="pre_window", index=index, by=name),
            value=suggested,
        )

    def _untick(self, ref: ChecklistRef, index: int, item: str, by: str, at: Any) -> None:
        self.ask(
            f"Untick #{index + 1}?",
            f"{item}\n\nTicked at {self._hhmm(at)} by {by}. Why take the tick back? "
            "(a correction: the tick stays in the journal beside it)",
            lambda reason: cmd.UntickItem(
                checklist=ref.checklist, step_id=ref.step_id, index=index, reason=reason
            ),
        )

    # ---- going on with items unticked ---------------------------------------------------

    def unticked_then(
        self, ref: ChecklistRef, doing: str, then: Callable[[str], cmd.Command]
    ) -> bool:
        """When `ref` has items unticked, ask whether to go on anyway and why, then run
        `then(why)`; True when it asked (the caller does nothing more)."""
        state = self.state
        assert state.runbook is not None
        unticked = ref.unticked(state)
        if not unticked:
            return False
        items = ref.items(state.runbook)
        listed = "\n".join(f" {index + 1} ☐ {items[index]}" for index in unticked)
        keys = self.keys
        body = (
            f"{sentence_case(ref.name(state.runbook))}: {len(unticked)} of {len(items)} not "
            f"ticked.\n{listed}\n\nTick each one you have seen yourself ({keys['tick']}). "
            f"Or {doing} anyway, and say why: the answer is journaled."
        )
        self.confirm(
            "Items not ticked",
            body,
            f"{sentence_case(doing)} anyway",
            lambda: self.ask(
                f"{sentence_case(doing)} anyway: why?",
                "Why go on without ticking them? (journaled, and in the debrief)",
                then,
            ),
        )
        return True

    # ---- corrections --------------------------------------------------------------------

    def _step_to_reopen(self) -> str | None:
        """The browsed step when it is finished, else the step that finished last."""
        state = self.state
        finished = ("completed", "skipped", "failed")
        browsed = self.selected_step
        if browsed is not None and state.steps[browsed].status in finished:
            return browsed
        ended = [
            (step.ended_at, step_id)
            for step_id, step in state.steps.items()
            if step.status in finished and step.ended_at is not None
        ]
        return max(ended)[1] if ended else None

    def action_reopen(self) -> None:
        """Reopen a step completed, skipped or failed by mistake (browse to it first, or it
        is the last one finished)."""
        state = self.state
        step_id = self._step_to_reopen()
        if step_id is None:
            self.notify("No step has finished: there is nothing to reopen.")
            return
        assert state.runbook is not None
        step = state.steps[step_id]
        title = state.runbook.step(step_id).title
        again = "running again" if step.started_at is not None else "to do again"
        self.ask(
            f"Reopen '{title}'?",
            f"It was {step.status} at {self._hhmm(step.ended_at)}. Reopened, it is {again}. "
            "Why? (a correction: what was recorded stays in the journal beside it)\n"
            "To reopen another step, browse to it with the arrows first.",
            lambda reason: cmd.ReopenStep(step_id=step_id, reason=reason),
        )

    def action_withdraw_note(self) -> None:
        """Withdraw a note written by mistake: pick it, say why."""
        notes = [note for note in reversed(self.state.notes) if note.withdrawn is None]
        if not notes:
            self.notify("No note to withdraw.")
            return
        choices = [
            (str(note.seq), f"{self._hhmm(note.at)}  {_preview(note.text)}") for note in notes
        ]

        def picked(choice: str | None) -> None:
            if choice is None:
                return
            seq = int(choice)
            self.ask(
                "Withdraw this note?",
                f"{next(n.text for n in notes if n.seq == seq)}\n\nWhy? (a correction: the "
                "note stays in the journal, marked withdrawn)",
                lambda reason: cmd.WithdrawNote(note_seq=seq, reason=reason),
            )

        self.app.push_screen(
            PickOne("Withdraw a note", "Which note was written by mistake?", choices), picked
        )

    # ---- calls ----------------------------------------------------------------------------

    def action_escalate(self) -> None:
        """Log the call about the open blocker: who was called, what was agreed."""
        self._log_call()

    def action_call(self) -> None:
        """Log a call to any contact on the card, and what was agreed."""
        self._log_call()

    def _log_call(self) -> None:
        state = self.state
        card = state.contacts
        on_call = card.on_call if card is not None else None
        contacts = list(card.contacts) if card is not None else []
        if on_call is not None:  # the on-call senior first: the 30-minute rule's call
            contacts = [on_call, *(c for c in contacts if c.id != on_call.id)]

        def agreed(contact_id: str | None, name: str) -> None:
            blocker = state.open_blocker
            about = f" about: {blocker.what}" if blocker is not None else ""
            self.ask(
                f"Call to {name}",
                f"What was agreed{about}? (who, what happens next, by when)",
                lambda words: cmd.LogEscalation(contact_id=contact_id, agreed=words),
            )

        if not contacts:
            agreed(None, "the on-call senior DE")
            return
        choices = [(contact.id, f"{contact.name} · {contact.role}") for contact in contacts]
        names = {contact.id: contact.name for contact in contacts}

        def picked(choice: str | None) -> None:
            if choice is not None:
                agreed(choice, names[choice])

        self.app.push_screen(PickOne("Log a call", "Who did you call?", choices), picked)


def _preview(text: str) -> str:
    shown = one_line(text)
    return shown if len(shown) <= NOTE_PREVIEW else shown[: NOTE_PREVIEW - 1] + "…"


def sentence_case(text: str) -> str:
    """The first letter upper-case and the rest as written (`str.capitalize` would lower
    a step's own title: 'Prepare' → 'prepare')."""
    return text[:1].upper() + text[1:]
