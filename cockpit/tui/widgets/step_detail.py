"""The step in view: instructions, commands, verify items — and messages now due."""

from __future__ import annotations

import bisect
import re

from rich.text import Text

from cockpit.core import schedule
from cockpit.core.checklists import ChecklistRef, in_view, pre_window_pending
from cockpit.text import compact_minutes
from cockpit.tui.view import CockpitView
from cockpit.tui.widgets.panel import Panel
from cockpit.tui.widgets.text_view import TextView


def reflow(text: str) -> str:
    """Join hard-wrapped lines into paragraphs; the panel wraps to its own width."""
    paragraphs = re.split(r"\n\s*\n", text.strip())
    return "\n\n".join(" ".join(line.strip() for line in p.splitlines()) for p in paragraphs)


class StepDetail(TextView, Panel):
    """Details of the browsed step (the current one unless the arrows moved)."""

    BORDER_TITLE = "Current step"
    FOLLOWS_BROWSING = True

    def show(self, view: CockpitView) -> None:
        """Redraw from the view."""
        state = view.state
        runbook = state.runbook
        assert runbook is not None
        body = Text()
        # Messages due: one line that stays at the top, so the step below is on screen
        # from the first frame; their full texts are one key away.
        due = view.due
        if due:
            keys = view.keys
            names = ", ".join(message.message_id for message in due)
            first = "it" if len(due) == 1 else "the first"
            body.append(
                f"✉ {len(due)} due: {names} · {keys['message_sent']} marks {first} sent · "
                f"{keys['messages']} shows {'it' if len(due) == 1 else 'them'}\n\n",
                "bold reverse",
            )
        tickable = in_view(state, view.selected_step)
        if state.rollback is not None:
            self.set_title("Rollback")
            self._rollback_detail(view, body, tickable)
        else:
            step_id = view.selected_step or view.current_step
            if step_id is None:
                skipped = state.skipped_steps
                self.set_title("No step left")
                if skipped:
                    done = len(state.steps) - skipped
                    body.append(f"No step left: {done} done, {skipped} skipped.\n", "bold")
                else:
                    body.append("Every step is done.\n", "bold")
                if not state.ended and not view.read_only:
                    finish = view.keys["advance_finish"]
                    body.append(f"Press {finish} to declare the cutover complete.\n")
                if runbook.verification:
                    body.append("\nPost-cutover verification\n", "bold underline")
                    checklist(view, body, ChecklistRef("verification"), tickable)
            else:
                if view.selected_step is None and pre_window_pending(state):
                    self._pre_window(view, body, tickable)
                self._step(view, step_id, body, tickable)
        self.draw(body)

    def _pre_window(self, view: CockpitView, body: Text, tickable: ChecklistRef | None) -> None:
        """The checklist before the window, above the first step until every item is
        signed: the number keys sign these first."""
        body.append("Before the window\n", "bold underline")
        checklist(view, body, ChecklistRef("pre_window"), tickable)
        if view.state.mode == "live" and not view.read_only:
            body.append("Step 1 asks before starting while any is unsigned.\n", "dim")
        body.append("\n")

    def _step(
        self, view: CockpitView, step_id: str, body: Text, tickable: ChecklistRef | None
    ) -> None:
        state = view.state
        runbook = state.runbook
        assert runbook is not None
        step = schedule.plan_index(runbook).steps[step_id]
        step_state = state.steps[step_id]
        current = step_id == view.current_step
        phase = f" · {step.phase}" if step.phase is not None else ""
        self.set_title(("Current step" if current else "Browsing step") + f" · {step.id}{phase}")
        body.append(f"{step.title}\n", "bold")
        timing = view.timings[step_id]
        body.append(
            f"owner {step.owner} · planned {view.hhmm(timing.planned_start)} for {step.minutes}m",
            "dim",
        )
        if timing.actual_minutes is not None:
            body.append(f" · actual {compact_minutes(timing.actual_minutes)}", "dim")
        body.append("\n")
        if step_state.status != "pending" and (step_state.done or step_state.status == "failed"):
            self._what_happened(view, step_id, body)
        elif step_state.reopened:
            body.append(f"reopened {step_state.reopened}× (a correction)\n", "bold")
        if timing.stuck:
            hint = "" if view.read_only else f" — press {view.keys['blocker']} to raise a blocker"
            body.append(f"This step has run past twice its expected time{hint}.\n", "bold reverse")
        # What the DE needs now comes first: before a step, how to do it; while it runs,
        # the items to tick (on a small screen the instructions would push them below).
        if step_state.status == "running":
            self._verify(view, step_id, body, tickable)
            self._instructions(view, step_id, body)
        else:
            self._instructions(view, step_id, body)
            self._verify(view, step_id, body, tickable)
        if step.rollback is not None:
            body.append(f"\nUndo: {step.rollback.action} ({step.rollback.minutes}m)\n", "dim")
        elif step.no_rollback:
            body.append(f"\nNo undo needed: {step.no_rollback}\n", "dim")
        if view.read_only or state.rollback is not None:
            return
        if step_state.status in ("pending", "failed"):
            out_of_order = "" if current else " (out of order: it asks first)"
            body.append(f"\n{view.keys['advance']} starts this step{out_of_order}\n", "italic")
        elif step_state.done:
            back = view.keys["back_to_current"]
            body.append(
                f"\n{step_state.status.capitalize()}. {back} returns to the current step\n",
                "italic",
            )
        elif current and step_state.status == "running":
            keys = view.keys
            skip = "" if step_id == runbook.ponr_step else f" · {keys['skip']} skips it"
            body.append(
                f"\n{keys['advance']} completes it · {keys['fail']} fails it{skip}\n", "italic"
            )

    def _instructions(self, view: CockpitView, step_id: str, body: Text) -> None:
        """The step's instructions and its commands."""
        assert view.state.runbook is not None
        step = schedule.plan_index(view.state.runbook).steps[step_id]
        if step.instructions:
            body.append(f"\n{reflow(step.instructions)}\n")
        if step.commands:
            body.append(f"\nCommands ({view.keys['copy']} copies the first)\n", "bold")
            for command in step.commands:
                body.append(_command_lines(command))

    def _verify(
        self, view: CockpitView, step_id: str, body: Text, tickable: ChecklistRef | None
    ) -> None:
        """The step's verify items, numbered, with their ticks."""
        assert view.state.runbook is not None
        if schedule.plan_index(view.state.runbook).steps[step_id].verify:
            body.append("\nVerify\n", "bold")
            checklist(view, body, ChecklistRef("step", step_id), tickable)

    def _what_happened(self, view: CockpitView, step_id: str, body: Text) -> None:
        """A finished step's record, before its plan: when, how long against the plan,
        who, why skipped or failed, what was completed anyway, the notes written while it
        ran and the blockers raised on it (its verify items show their ticks below)."""
        state = view.state
        step_state = state.steps[step_id]
        assert state.runbook is not None
        planned = schedule.plan_index(state.runbook).steps[step_id].minutes
        body.append("\nWhat happened\n", "bold underline")
        if step_state.started_at is not None:
            took = schedule.step_minutes(step_state, view.now)
            body.append(f"started {view.hhmm(step_state.started_at)}")
            if step_state.ended_at is not None:
                body.append(f", {step_state.status} {view.hhmm(step_state.ended_at)}")
            if took is not None:
                body.append(f" · took {compact_minutes(took)} (planned {planned}m)")
            body.append(f" · by {state.operator}")
            if step_state.attempts > 1:
                body.append(f" · {step_state.attempts} attempts")
            body.append("\n")
        elif step_state.ended_at is not None:
            body.append(
                f"{step_state.status} {view.hhmm(step_state.ended_at)} · by {state.operator}\n"
            )
        if step_state.reason:
            body.append(f"why {step_state.status}: {step_state.reason}\n")
        if step_state.anyway:
            body.append(f"completed with items unticked: {step_state.anyway}\n")
        if step_state.reopened:
            body.append(f"reopened {step_state.reopened}× (a correction)\n")
        start, end = step_state.started_at, step_state.ended_at or view.now
        if start is not None:  # the notes are in time order: only those while it ran
            first = bisect.bisect_left(state.notes, start, key=lambda note: note.at)
            for note in state.notes[first:]:
                if note.at > end:
                    break
                withdrawn = f" (withdrawn: {note.withdrawn})" if note.withdrawn else ""
                body.append(f"✎ {view.hhmm(note.at)} {note.text}{withdrawn}\n")
        for blocker in state.blockers:
            if blocker.step_id != step_id:
                continue
            body.append(f"! {view.hhmm(blocker.raised_at)} blocker: {blocker.what}")
            if blocker.called_at is not None:
                body.append(f"; called {blocker.called_contact} {view.hhmm(blocker.called_at)}")
            if blocker.resolved_at is not None:
                body.append(f"; resolved {view.hhmm(blocker.resolved_at)}: {blocker.how}")
            body.append("\n")

    def _rollback_detail(
        self, view: CockpitView, body: Text, tickable: ChecklistRef | None
    ) -> None:
        state = view.state
        rollback = state.rollback
        assert rollback is not None and state.runbook is not None
        check = ChecklistRef("rollback_verification")
        if rollback.completed_at is not None:
            body.append(f"Rollback completed at {view.hhmm(rollback.completed_at)}.\n", "bold")
            if state.runbook.rollback_verification:
                body.append("\nThe source serves again\n", "bold underline")
                checklist(view, body, check, tickable)
            return
        finished = set(rollback.done) | {step for step, _ in rollback.skipped}
        next_undo = next((step_id for step_id in rollback.steps if step_id not in finished), None)
        keys = view.keys
        if next_undo is None:
            body.append(
                f"Every undo is done: check that the source serves again, then "
                f"{keys['advance_rollback']} completes the rollback.\n",
                "bold",
            )
            if state.runbook.rollback_verification:
                body.append("\nThe source serves again\n", "bold underline")
                checklist(view, body, check, tickable)
            return
        step = schedule.plan_index(state.runbook).steps[next_undo]
        assert step.rollback is not None
        body.append(f"Undo: {step.title}\n", "bold")
        body.append(f"{step.rollback.action} ({step.rollback.minutes}m)\n")
        for command in step.rollback.commands:
            body.append(_command_lines(command))
        failure = rollback.failure(next_undo)
        if failure is not None:
            body.append(f"\nFailed: {failure}. {keys['advance_rollback']} if it worked now.\n")
        if not view.read_only:
            body.append(
                f"\n{keys['advance_rollback']} marks this undo done · {keys['fail_undo']} it "
                f"failed · {keys['skip_undo']} skips it\n",
                "italic",
            )


def checklist(
    view: CockpitView, body: Text, ref: ChecklistRef, tickable: ChecklistRef | None
) -> None:
    """A list, numbered: ☑ with the time and who for what was ticked, ☐ for the rest; the
    numbers are keys when this is the list the number keys tick."""
    state = view.state
    assert state.runbook is not None
    active = ref == tickable and not view.read_only
    items = ref.items(state.runbook)
    signers = [entry.signed_by for entry in state.runbook.pre_window]
    for index, item in enumerate(items):
        tick = state.tick(ref.checklist, ref.step_id, index)
        number = f"{(index + 1) % 10 if index < 10 else ' '}" if active else " "
        body.append(f" {number} ", "reverse" if active and index < 10 else "")
        body.append(" ☑ " if tick is not None else " ☐ ", "bold" if tick is not None else "")
        body.append(item)
        if tick is not None:
            body.append(f"  {view.hhmm(tick.at)} {tick.by}", "dim")
        elif ref.checklist == "pre_window":
            body.append(f"  signs: {signers[index]}", "dim")
        body.append("\n")
    if active:
        left = len(ref.unticked(state))
        keys = view.keys["tick"]
        hint = f"{keys} tick what you have seen (again: untick)" if left else "all ticked"
        body.append(f"{hint}\n", "italic dim")


def _command_lines(command: str) -> str:
    """A command as typed, `$ ` before it; the lines of a script stay lines, indented under
    the first, so nothing in them can read as a new command or step."""
    first, *rest = command.split("\n")
    return "".join([f"  $ {first}\n", *(f"    {line}\n" for line in rest)])
