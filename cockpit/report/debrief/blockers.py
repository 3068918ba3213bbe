"""Blockers and their escalation: when each was raised, the rule's deadline, the calls
logged, how it was resolved, and the notes written while it was open.

The escalation rule in force when a blocker was raised is its deadline (the cockpit's
30-minute rule, or the runbook's own minutes): a first call after it is a late call; no
call while the blocker stayed open past it is "never called".
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from cockpit.core.state import Note

from .words import minutes_between

if TYPE_CHECKING:
    from .walk import Walk

#: A note and when it was written (`at`, `seq`, `text`): the folded state's own record.
NoteRow = Note


@dataclass(frozen=True, slots=True)
class BlockerReport:
    """A blocker, its escalation call and its resolution."""

    blocker_id: str
    what: str
    step_title: str
    raised_at: datetime
    raised_seq: int
    deadline: datetime
    calls: tuple[tuple[datetime, str], ...]
    """(when, whom) of every escalation call logged for it."""
    resolved_at: datetime | None
    how: str
    journal_end: datetime
    notes: tuple[NoteRow, ...]
    """Notes written while it was open."""
    step_id: str = ""
    """The step it was raised on ("" for a blocker of the night as a whole)."""
    gate_title: str = ""
    """The go/no-go whose hold or no-go this stop was ("" for a blocker raised by hand):
    it stopped the night before its step, not during it."""

    @property
    def where(self) -> str:
        """Where it stopped the night, in words: "at the gate 'X' before 'Y'", "during
        'Y'", or ""."""
        if self.gate_title:
            return f"at the gate '{self.gate_title}' before '{self.step_title}'"
        return f"during '{self.step_title}'" if self.step_title else ""

    @property
    def escalation_minutes(self) -> float:
        """The escalation rule in force when it was raised."""
        return minutes_between(self.raised_at, self.deadline)

    @property
    def called_at(self) -> datetime | None:
        """When the first call was logged."""
        return self.calls[0][0] if self.calls else None

    @property
    def called_after(self) -> float | None:
        """Minutes from raising it to the first call."""
        called = self.called_at
        return None if called is None else minutes_between(self.raised_at, called)

    @property
    def open_minutes(self) -> float:
        """How long it stayed open (to the journal's end when never resolved)."""
        return minutes_between(self.raised_at, self.resolved_at or self.journal_end)

    @property
    def late_call(self) -> bool:
        """The call came after the escalation rule said to call."""
        called = self.called_at
        return called is not None and called > self.deadline

    @property
    def never_called(self) -> bool:
        """No call, while the blocker stayed open past the escalation minutes."""
        return self.called_at is None and (self.resolved_at or self.journal_end) > self.deadline

    @property
    def flag(self) -> str:
        """`LATE CALL`, `NEVER CALLED` or empty."""
        if self.late_call:
            return "LATE CALL"
        if self.never_called:
            return "NEVER CALLED"
        return ""


def blocker_reports(walk: Walk) -> tuple[BlockerReport, ...]:
    """Every blocker of the night, in the order they were raised."""
    note_times = [note.at for note in walk.notes]
    reports: list[BlockerReport] = []
    for log in walk.blockers:
        raised = log.event
        until = log.resolved_at or walk.end_at
        low = bisect.bisect_left(note_times, raised.at)
        high = bisect.bisect_right(note_times, until)
        title = walk.step_by_id[raised.step_id].title if raised.step_id else ""
        reports.append(
            BlockerReport(
                blocker_id=raised.blocker_id,
                what=raised.what,
                step_title=title,
                raised_at=raised.at,
                raised_seq=raised.seq,
                deadline=raised.deadline,
                calls=tuple(log.calls),
                resolved_at=log.resolved_at,
                how=log.how,
                journal_end=walk.end_at,
                notes=tuple(walk.notes[low:high]),
                step_id=raised.step_id or "",
                gate_title=walk.gate_titles.get(raised.checkpoint_id or "", ""),
            )
        )
    return tuple(reports)
