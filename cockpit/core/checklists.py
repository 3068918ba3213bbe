"""The tickable lists of a night, in one place: which there are, their items, which one is
in front of the DE now, and when each can be ticked.

A step's verify items, the checklist before the window, the post-cutover verification
and the check that the source serves again after a rollback are all the same thing: items
ticked one by one, each tick journaled with its time and who saw it. The step panel draws
`in_view(...)`, and the number keys tick the numbered item of that same list, so what is
ticked is always what is on screen.
"""

from __future__ import annotations

from dataclasses import dataclass

from cockpit.journal.events import CHECKLIST_WORDS, Checklist
from cockpit.model.runbook import Runbook

from .state import CutoverState


@dataclass(frozen=True, slots=True)
class ChecklistRef:
    """One list: its kind, and its step for a step's verify items."""

    checklist: Checklist
    step_id: str | None = None

    def items(self, runbook: Runbook) -> list[str]:
        """The list's items, as the plan words them."""
        match self.checklist:
            case "step":
                return list(runbook.step(self.step_id or "").verify) if self.step_id else []
            case "pre_window":
                return [entry.item for entry in runbook.pre_window]
            case "verification":
                return list(runbook.verification)
            case "rollback_verification":
                return list(runbook.rollback_verification)
        return []

    def name(self, runbook: Runbook) -> str:
        """The list in words: "the verify items of 'Prepare'", "the checklist before the
        window"."""
        if self.checklist == "step" and self.step_id is not None:
            return f"the verify items of '{runbook.step(self.step_id).title}'"
        return {
            "pre_window": "the checklist before the window",
            "verification": "the post-cutover verification",
            "rollback_verification": "the check after the rollback",
        }.get(self.checklist, CHECKLIST_WORDS[self.checklist])

    def unticked(self, state: CutoverState) -> list[int]:
        """Indexes (from 0) of its items not ticked."""
        assert state.runbook is not None
        return state.unticked(self.checklist, self.step_id, len(self.items(state.runbook)))


def pre_window_pending(state: CutoverState) -> bool:
    """Before step 1 of a live night, with items of the checklist before the window still
    unticked: the step panel shows that list first. (A rehearsal signs nothing: its FOC,
    its customer notice and its approval are the live night's.)"""
    assert state.runbook is not None
    if state.mode != "live" or not state.runbook.pre_window:
        return False
    if state.ended or state.rollback is not None:
        return False
    if any(step.started_at is not None for step in state.steps.values()):
        return False
    return bool(ChecklistRef("pre_window").unticked(state))


def in_view(state: CutoverState, browsing: str | None) -> ChecklistRef | None:
    """The list the step panel shows now (the one the number keys tick), if any.

    During a rollback, the check that the source serves again; with every step done, the
    post-cutover verification; before step 1, the checklist before the window while it
    has unticked items; else the verify items of the step in view, once it has started.
    """
    runbook = state.runbook
    if runbook is None:
        return None
    if state.rollback is not None:
        return ChecklistRef("rollback_verification") if runbook.rollback_verification else None
    if browsing is None and pre_window_pending(state):
        return ChecklistRef("pre_window")
    step_id = browsing or state.current_step
    if step_id is None:
        return ChecklistRef("verification") if runbook.verification else None
    if runbook.step(step_id).verify and state.steps[step_id].started_at is not None:
        return ChecklistRef("step", step_id)
    return None


def tickable(state: CutoverState, ref: ChecklistRef) -> str | None:
    """Why the items of `ref` cannot be ticked now, or None when they can.

    After the end, only the lists that outlive the night (the post-cutover verification,
    the check after a rollback) take ticks: hypercare items are seen the next day.
    """
    runbook = state.runbook
    assert runbook is not None
    if ref.checklist == "step":
        if ref.step_id is None or ref.step_id not in state.steps:
            return f"there is no step {ref.step_id!r} in this runbook"
        if state.ended:
            return "the cutover has ended: a step's verify items can no longer be ticked"
        if state.rolling_back:
            return "a rollback is under way: tick its check instead"
        status = state.steps[ref.step_id].status
        if status == "pending":
            return f"'{runbook.step(ref.step_id).title}' has not started: start it first"
        if status == "skipped":
            return f"'{runbook.step(ref.step_id).title}' was skipped: nothing to verify"
        return None
    if ref.checklist == "pre_window":
        return "the cutover has ended" if state.ended else None
    if ref.checklist == "rollback_verification":
        return None if state.rollback is not None else "no rollback has started"
    if state.rollback is not None:
        return "the cutover was rolled back: tick the check after the rollback instead"
    return None
