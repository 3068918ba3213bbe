"""Ticking a whole list in a test that is about something else: a night played as the DE
plays it ticks what was seen before completing, so the scripts do the same."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from cockpit.core import commands as cmd
from cockpit.core.checklists import ChecklistRef
from cockpit.core.state import CutoverState
from cockpit.journal.events import BaseEvent, Checklist


def ticks(
    state: CutoverState, checklist: Checklist, step_id: str | None = None
) -> list[cmd.Command]:
    """A tick for every item of the list not ticked yet."""
    ref = ChecklistRef(checklist, step_id)
    return [
        cmd.TickItem(checklist=checklist, step_id=step_id, index=index)
        for index in ref.unticked(state)
    ]


def tick_all(
    do: Callable[[cmd.Command], Any],
    state: CutoverState,
    checklist: Checklist,
    step_id: str | None = None,
) -> None:
    """Carry out `ticks(...)` through `do`."""
    for command in ticks(state, checklist, step_id):
        do(command)


class TicksThenEnds:
    """What a test driver does the way a DE does: tick what was seen, then complete a
    step or declare the night complete. Mixed into drivers that have `must` and `state`."""

    state: CutoverState

    if TYPE_CHECKING:

        def must(self, command: cmd.Command) -> list[BaseEvent]: ...

    def complete(self, step_id: str) -> list[BaseEvent]:
        """Tick the step's verify items and complete it."""
        tick_all(self.must, self.state, "step", step_id)
        return self.must(cmd.CompleteStep(step_id=step_id))

    def declare(self, summary: str = "") -> list[BaseEvent]:
        """Tick the post-cutover verification and declare complete."""
        tick_all(self.must, self.state, "verification")
        return self.must(cmd.DeclareComplete(summary=summary))
