"""The step in view: instructions, commands, verify items — and messages now due."""

from __future__ import annotations

import re

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll

from cockpit.core import schedule
from cockpit.text import compact_minutes
from cockpit.tui.view import CockpitView
from cockpit.tui.widgets.panel import Panel, PanelText


def reflow(text: str) -> str:
    """Join hard-wrapped lines into paragraphs; the panel wraps to its own width."""
    paragraphs = re.split(r"\n\s*\n", text.strip())
    return "\n\n".join(" ".join(line.strip() for line in p.splitlines()) for p in paragraphs)


class StepDetail(VerticalScroll, Panel):
    """Details of the browsed step (the current one unless the arrows moved)."""

    BORDER_TITLE = "Current step"

    def compose(self) -> ComposeResult:
        yield PanelText(id="step-body")

    def show(self, view: CockpitView) -> None:
        """Redraw from the view."""
        state = view.state
        runbook = state.runbook
        assert runbook is not None
        body = Text()
        # Messages due come first: they are something to do now, and must not scroll away.
        due = view.due
        if due:
            sent = view.keys["message_sent"]
            body.append(
                f"✉ {len(due)} message(s) due — {sent} marks the first sent\n", "bold reverse"
            )
            for message in due:
                audience = ", ".join(message.audience)
                body.append(f"✉ {message.message_id} → {audience} [{message.trigger}]\n", "bold")
                body.append(f"  {reflow(message.text)}\n")
            body.append("\n")
        if state.rollback is not None:
            self.set_title("Rollback")
            self._rollback_detail(view, body)
        else:
            step_id = view.selected_step or view.current_step
            if step_id is None:
                self.set_title("All steps done")
                body.append("Every step is done.\n", "bold")
                if not state.ended:
                    finish = view.keys["advance_finish"]
                    body.append(f"Press {finish} to declare the cutover complete.\n")
                if runbook.verification:
                    body.append("\nPost-cutover verification\n", "bold underline")
                    for item in runbook.verification:
                        body.append(f"  ☐ {item}\n")
            else:
                self._step(view, step_id, body)
        self.query_one("#step-body", PanelText).draw(body)

    def _step(self, view: CockpitView, step_id: str, body: Text) -> None:
        state = view.state
        runbook = state.runbook
        assert runbook is not None
        step = schedule.plan_index(runbook).steps[step_id]
        step_state = state.steps[step_id]
        current = step_id == view.current_step
        self.set_title(("Current step" if current else "Browsing step") + f" · {step.id}")
        body.append(f"{step.title}\n", "bold")
        timing = view.timings[step_id]
        body.append(
            f"owner {step.owner} · planned {view.hhmm(timing.planned_start)} for {step.minutes}m",
            "dim",
        )
        if timing.actual_minutes is not None:
            body.append(f" · actual {compact_minutes(timing.actual_minutes)}", "dim")
        body.append("\n")
        if timing.stuck:
            hint = "" if view.read_only else f" — press {view.keys['blocker']} to raise a blocker"
            body.append(f"This step has run past twice its expected time{hint}.\n", "bold reverse")
        if step.instructions:
            body.append(f"\n{reflow(step.instructions)}\n")
        if step.commands:
            body.append(f"\nCommands ({view.keys['copy']} copies the first)\n", "bold")
            for command in step.commands:
                body.append(f"  $ {command}\n")
        if step.verify:
            body.append("\nVerify\n", "bold")
            for item in step.verify:
                body.append(f"  ☐ {item}\n")
        if step.rollback is not None:
            body.append(f"\nUndo: {step.rollback.action} ({step.rollback.minutes}m)\n", "dim")
        elif step.no_rollback:
            body.append(f"\nNo undo needed: {step.no_rollback}\n", "dim")
        if current and not view.read_only and step_state.status in ("pending", "failed"):
            body.append(f"\n{view.keys['advance']} starts this step\n", "italic")
        elif current and not view.read_only and step_state.status == "running":
            keys = view.keys
            skip = "" if step_id == runbook.ponr_step else f" · {keys['skip']} skips it"
            body.append(
                f"\n{keys['advance']} completes it · {keys['fail']} fails it{skip}\n", "italic"
            )

    def _rollback_detail(self, view: CockpitView, body: Text) -> None:
        state = view.state
        rollback = state.rollback
        assert rollback is not None and state.runbook is not None
        if rollback.completed_at is not None:
            body.append("Rollback completed.\n", "bold")
            return
        done = set(rollback.done)  # `rollback.remaining` would be quadratic in the undos
        next_undo = next((step_id for step_id in rollback.steps if step_id not in done), None)
        if next_undo is None:
            undo = view.keys["advance_rollback"]
            body.append(f"Every undo is done: press {undo} to complete the rollback.\n", "bold")
            return
        step = schedule.plan_index(state.runbook).steps[next_undo]
        assert step.rollback is not None
        body.append(f"Undo: {step.title}\n", "bold")
        body.append(f"{step.rollback.action} ({step.rollback.minutes}m)\n")
        for command in step.rollback.commands:
            body.append(f"  $ {command}\n")
        body.append(f"\n{view.keys['advance_rollback']} marks this undo done\n", "italic")
