"""Ticking a whole list in a test that is about something else: a night played as the DE
plays it ticks what was seen before completing, so the scripts do the same."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cockpit.core import commands as cmd
from cockpit.core.checklists import ChecklistRef
from cockpit.core.state import CutoverState
from cockpit.journal.events import Checklist


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
