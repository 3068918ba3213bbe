"""The state of a cutover at one moment, folded from its events.

The state holds only what the journal says; everything a panel shows that depends on the
time (remaining minutes, overruns, projections) is computed from it and an injected clock
in `cockpit.core.schedule`, `cockpit.core.rollback` and `cockpit.core.comms`.

Records are frozen dataclasses; `CutoverState` owns plain containers that only the
evolve module mutates, on a private copy (see `cockpit.core.evolve`).
"""

from __future__ import annotations

import copy
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from cockpit.journal.events import BaseEvent
from cockpit.model.contacts import ContactCard
from cockpit.model.runbook import Runbook

#: How many moments of the record the state keeps (the screen shows at most this many).
RECENT = 40

StepStatus = Literal["pending", "running", "completed", "skipped", "failed"]
#: A glyph and a word for every status: status is never told by colour alone.
STATUS_GLYPHS: dict[str, str] = {
    "pending": "○",
    "running": "▶",
    "completed": "✔",
    "skipped": "↷",
    "failed": "✖",
}
STATUS_WORDS: dict[str, str] = {
    "pending": "pending",
    "running": "running",
    "completed": "done",
    "skipped": "skipped",
    "failed": "failed",
}


@dataclass(frozen=True, slots=True)
class StepState:
    """Where one step stands."""

    status: StepStatus = "pending"
    started_at: datetime | None = None
    ended_at: datetime | None = None
    attempts: int = 0
    reason: str = ""
    #: Times a mistaken completion, skip or failure was corrected.
    reopened: int = 0
    #: Why it was completed with verify items unticked ("" when all were ticked).
    anyway: str = ""

    @property
    def done(self) -> bool:
        """Completed or skipped: the plan can move past it."""
        return self.status in ("completed", "skipped")


@dataclass(frozen=True, slots=True)
class CheckpointState:
    """Marks and the latest decision of one checkpoint."""

    marks: tuple[bool | None, ...] = ()
    decision: Literal["go", "no_go", "hold"] | None = None
    decided_by: str = ""
    decided_at: datetime | None = None
    reason: str = ""
    decision_seq: int = 0
    history: tuple[tuple[str, str, datetime, str], ...] = ()

    @property
    def all_met(self) -> bool:
        """Every criterion marked met."""
        return bool(self.marks) and all(mark is True for mark in self.marks)


@dataclass(frozen=True, slots=True)
class Blocker:
    """A blocker and its escalation."""

    blocker_id: str
    what: str
    raised_at: datetime
    deadline: datetime
    step_id: str | None = None
    called_at: datetime | None = None
    called_contact: str = ""
    resolved_at: datetime | None = None
    how: str = ""
    #: The gate whose hold or no-go this stop is (None: a blocker raised by hand).
    checkpoint_id: str | None = None

    @property
    def open(self) -> bool:
        """Not yet resolved."""
        return self.resolved_at is None


@dataclass(frozen=True, slots=True)
class Rollback:
    """A rollback under way or finished."""

    started_at: datetime
    reason: str
    steps: tuple[str, ...]
    done: tuple[str, ...] = ()
    completed_at: datetime | None = None
    after_ponr: bool = False
    #: Undos that did not work, with why (the latest failure of each); tried again later.
    failed: tuple[tuple[str, str], ...] = ()
    #: Undos deliberately not done, with why.
    skipped: tuple[tuple[str, str], ...] = ()

    @property
    def remaining(self) -> tuple[str, ...]:
        """Undo steps neither done nor skipped, in order."""
        finished = set(self.done) | {step for step, _ in self.skipped}
        return tuple(step for step in self.steps if step not in finished)

    def failure(self, step_id: str) -> str | None:
        """Why the undo of `step_id` failed last, if it did and is not done since."""
        if step_id in self.done:
            return None
        reasons = [reason for step, reason in self.failed if step == step_id]
        return reasons[-1] if reasons else None


@dataclass(frozen=True, slots=True)
class Note:
    """A note with its time."""

    at: datetime
    text: str
    seq: int
    #: Why it was withdrawn (a correction), or None while it holds.
    withdrawn: str | None = None


#: Where a ticked item is: (checklist, step id or "", index from 0).
ItemKey = tuple[str, str, int]


@dataclass(frozen=True, slots=True)
class Tick:
    """A checklist item seen done: when, by whom, at which journal position."""

    at: datetime
    by: str
    seq: int


@dataclass(frozen=True, slots=True)
class Call:
    """A call the DE made (the on-call senior, the carrier NOC, a vendor), and its outcome."""

    at: datetime
    contact_id: str
    contact_name: str
    agreed: str
    blocker_id: str | None


@dataclass(slots=True)
class CutoverState:
    """Everything the journal says about a cutover, up to `last_seq`."""

    runbook: Runbook | None = None
    contacts: ContactCard | None = None
    runbook_sha256: str = ""
    mode: Literal["live", "rehearsal"] = "live"
    operator: str = ""
    plan_start: datetime | None = None
    started_at: datetime | None = None
    last_seq: int = 0
    last_at: datetime | None = None
    steps: dict[str, StepState] = field(default_factory=dict)
    checkpoints: dict[str, CheckpointState] = field(default_factory=dict)
    ponr_crossed_at: datetime | None = None
    blockers: list[Blocker] = field(default_factory=list)
    rollback: Rollback | None = None
    messages_sent: dict[str, datetime] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)
    share_mode: bool = False
    revealed: list[tuple[datetime, str, str]] = field(default_factory=list)
    ended_at: datetime | None = None
    outcome: str | None = None
    sessions: int = 0
    runbook_changed: bool = False
    #: At the last resume the contact card file differed from the card of record, and it
    #: has not been taken since: the screen says so and offers to take it.
    card_changed: bool = False
    #: When a new contact card last became the card of record (None: the first one).
    card_adopted_at: datetime | None = None
    #: Checklist items ticked and not unticked since.
    ticks: dict[ItemKey, Tick] = field(default_factory=dict)
    #: Every call logged, in order.
    calls: list[Call] = field(default_factory=list)
    #: The latest moments of the record (events with a replay marker: notes, decisions,
    #: blockers, calls, skips and failures, corrections…), oldest first, at most
    #: `RECENT` of them: what the main screen's record panel shows.
    recent: deque[BaseEvent] = field(default_factory=lambda: deque(maxlen=RECENT))

    # ---- plain questions about the state ---------------------------------------------

    @property
    def started(self) -> bool:
        """The journal has its first event."""
        return self.runbook is not None

    @property
    def ended(self) -> bool:
        """The cutover has an outcome."""
        return self.ended_at is not None

    @property
    def rolling_back(self) -> bool:
        """A rollback is under way and not completed."""
        return self.rollback is not None and self.rollback.completed_at is None

    @property
    def open_blocker(self) -> Blocker | None:
        """The blocker not yet resolved, if any."""
        for blocker in reversed(self.blockers):
            if blocker.open:
                return blocker
        return None

    @property
    def running_step(self) -> str | None:
        """The step under way, if any."""
        for step_id, step in self.steps.items():
            if step.status == "running":
                return step_id
        return None

    @property
    def current_step(self) -> str | None:
        """The step the operator works on: the running one, else the first not done."""
        running = self.running_step
        if running is not None:
            return running
        for step_id, step in self.steps.items():
            if not step.done:
                return step_id
        return None

    @property
    def open_checkpoint(self) -> str | None:
        """The checkpoint gating the current step, while it has no go yet."""
        if self.runbook is None or self.rolling_back or self.ended:
            return None
        current = self.current_step
        if current is None or self.steps[current].status != "pending":
            return None
        for checkpoint in self.runbook.checkpoints_before(current):
            if self.checkpoints[checkpoint.id].decision != "go":
                return checkpoint.id
        return None

    def tick(self, checklist: str, step_id: str | None, index: int) -> Tick | None:
        """The tick of one item, if it is ticked."""
        return self.ticks.get((checklist, step_id or "", index))

    def unticked(self, checklist: str, step_id: str | None, count: int) -> list[int]:
        """Indexes (from 0) of a list's items not ticked, of its `count` items."""
        key = step_id or ""
        return [i for i in range(count) if (checklist, key, i) not in self.ticks]

    @property
    def skipped_steps(self) -> int:
        """How many steps were skipped (the screen must not say 'every step done')."""
        return sum(1 for step in self.steps.values() if step.status == "skipped")

    def copy(self) -> CutoverState:
        """A copy whose containers can be changed without touching this one."""
        clone = copy.copy(self)
        clone.steps = dict(self.steps)
        clone.checkpoints = dict(self.checkpoints)
        clone.blockers = list(self.blockers)
        clone.messages_sent = dict(self.messages_sent)
        clone.notes = list(self.notes)
        clone.revealed = list(self.revealed)
        clone.ticks = dict(self.ticks)
        clone.calls = list(self.calls)
        clone.recent = deque(self.recent, maxlen=RECENT)
        return clone
