"""The debrief, as data: what the DE and the senior DE walk through after the night.

The summary, planned against actual per step, the checklists walked item by item (a
step's verify items, the checklist before the window, the post-cutover verification, the
check after a rollback: each seen when and by whom, or never), checkpoints and every
decision, the point of no return, the rollback, every call, every correction, sessions
and revealed secrets (names only), gathered in one `Debrief`. Blockers (`blockers`),
messages (`comms`), the debrief questions (`questions`) and the rehearsal comparison
(`compare`) keep their own types beside the code that builds them. Times are UTC
datetimes, shown in the runbook's zone through `LocalTimes`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Literal

from cockpit.core.schedule import OVERRUN_TOLERANCE
from cockpit.errors import CockpitError

from .blockers import BlockerReport, NoteRow
from .comms import MessageRow
from .words import LocalTimes, minutes_between

if TYPE_CHECKING:
    from .compare import Comparison
    from .questions import Questions

# ---- errors and notices ------------------------------------------------------------------


class NothingToDebrief(CockpitError):
    """The events hold no cutover to report on (an empty journal, or no trusted start)."""


@dataclass(frozen=True, slots=True)
class DamageNotice:
    """The journal could not be trusted to its end: the report covers a prefix only."""

    trusted_seq: int
    """The report covers events 1..trusted_seq."""
    first_bad_seq: int | None
    """The first event that cannot be trusted (None: the file is damaged, not an event)."""
    why: str
    """The first problem found, in plain words."""


# ---- checklists and corrections -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Seen:
    """A tick: when, by whom, which event."""

    at: datetime
    seq: int
    by: str


@dataclass(frozen=True, slots=True)
class WithdrawnTick:
    """A tick given by mistake and withdrawn (a correction), with why."""

    tick: Seen
    at: datetime
    seq: int
    reason: str


@dataclass(frozen=True, slots=True)
class ItemRow:
    """One item of a checklist, walked: seen when and by whom, or never."""

    number: int
    """From 1, as the screen and the log number it."""
    text: str
    seen: Seen | None
    """The tick standing at the end of the journal (None: never ticked, or withdrawn)."""
    withdrawn: tuple[WithdrawnTick, ...] = ()
    signer: str = ""
    """Who is to sign it off (the checklist before the window): `Name (id)` or a role."""


@dataclass(frozen=True, slots=True)
class ChecklistReport:
    """A list of the night walked item by item, and the DE's word when it ended with items
    unticked (the first step started, the cutover declared complete, the rollback ended)."""

    items: tuple[ItemRow, ...]
    unticked: tuple[int, ...] = ()
    """Items (from 1) not ticked when it was passed."""
    anyway: str = ""
    """Why it was passed with those unticked."""
    anyway_at: datetime | None = None
    anyway_seq: int = 0
    after: datetime | None = None
    """Ticks later than this were given after the night ended (hypercare)."""

    @property
    def never(self) -> tuple[ItemRow, ...]:
        """The items not ticked when the journal ends."""
        return tuple(item for item in self.items if item.seen is None)


CorrectionKind = Literal["reopen", "untick", "withdraw"]


@dataclass(frozen=True, slots=True)
class CorrectionRow:
    """A correction: a step reopened, a tick withdrawn, a note withdrawn. The mistaken
    event stays in the journal; this says it no longer holds, and why."""

    kind: CorrectionKind
    at: datetime
    seq: int
    what: str
    """What was corrected, in words (`'Prepare' was completed`, `note #12: …`)."""
    reason: str


@dataclass(frozen=True, slots=True)
class CallRow:
    """A call logged: whom, when, about which blocker (or none), and what was agreed."""

    at: datetime
    seq: int
    contact: str
    agreed: str
    blocker_id: str | None
    about: str
    """The blocker's words, or "" for a call on no blocker."""


# ---- the debrief's parts ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Summary:
    """The top of the report: what, who, when, and how it ended."""

    title: str
    runbook_id: str
    runbook_version: str
    runbook_sha256: str
    customer: str
    operator: str
    mode: Literal["live", "rehearsal"]
    window_start: datetime
    window_end: datetime
    rebaselines: tuple[tuple[datetime, datetime, str], ...]
    """(when, new plan start, reason) for each move of the plan's start."""
    opened_at: datetime
    first_step_at: datetime | None
    ended_at: datetime | None
    last_event_at: datetime
    last_seq: int
    outcome: str | None
    """The outcome code (`successful`, …) or None when the cutover never ended."""
    outcome_words: str
    outcome_reasons: tuple[str, ...]
    end_summary: str
    planned_minutes: int
    actual_minutes: float | None
    """First step start to the end (or to the last event, while incomplete)."""
    past_window_minutes: float | None
    """How long after the window closed it ended (negative: spare time)."""
    sessions: int
    steps_done: int
    """Steps completed or skipped."""
    steps_total: int

    @property
    def ended(self) -> bool:
        """The cutover has an outcome."""
        return self.ended_at is not None


@dataclass(frozen=True, slots=True)
class Attempt:
    """One try at a step."""

    started_at: datetime
    start_seq: int
    ended_at: datetime | None
    result: Literal["completed", "failed", "running"]
    reason: str = ""
    unticked: tuple[int, ...] = ()
    """Verify items (numbered from 1) not ticked when it was completed."""
    anyway: str = ""
    """Why it was completed with those unticked (the DE's answer, journaled)."""


@dataclass(frozen=True, slots=True)
class StepRow:
    """One step, planned against actual."""

    number: int
    step_id: str
    title: str
    planned_start: datetime
    planned_minutes: int
    status: str
    """The final status: pending, running, completed, skipped or failed."""
    attempts: tuple[Attempt, ...]
    actual_start: datetime | None
    actual_end: datetime | None
    actual_minutes: float | None
    """First start to the end of the last attempt (to the journal's end while running)."""
    skip_reason: str = ""
    skipped_at: datetime | None = None
    undone_at: datetime | None = None
    is_ponr: bool = False
    started_ahead_of: tuple[int, ...] = ()
    """Plan numbers of earlier steps this one was started before (a reorder)."""
    verify: tuple[ItemRow, ...] = ()
    """Its verify items: each seen when and by whom, or never."""
    reopened: tuple[CorrectionRow, ...] = ()
    """Corrections that reopened it (a completion, skip or failure by mistake)."""

    @property
    def variance(self) -> float | None:
        """Actual minus planned minutes."""
        return None if self.actual_minutes is None else self.actual_minutes - self.planned_minutes

    @property
    def overran(self) -> bool:
        """Took longer than planned (the cockpit's overrun rule)."""
        return (
            self.actual_minutes is not None
            and self.actual_minutes > self.planned_minutes * OVERRUN_TOLERANCE
        )

    @property
    def within_plan(self) -> bool:
        """Completed at the first attempt, inside its planned minutes."""
        return self.status == "completed" and len(self.attempts) == 1 and not self.overran

    @property
    def failures(self) -> tuple[Attempt, ...]:
        """The attempts that failed."""
        return tuple(a for a in self.attempts if a.result == "failed")

    @property
    def reason(self) -> str:
        """The skip reason, else the reasons its attempts failed."""
        if self.skip_reason:
            return self.skip_reason
        return "; ".join(a.reason for a in self.failures if a.reason)


@dataclass(frozen=True, slots=True)
class Criterion:
    """One go/no-go criterion and its final mark."""

    text: str
    met: bool | None
    marked_at: datetime | None


@dataclass(frozen=True, slots=True)
class DecisionRow:
    """A go, no-go or hold, with who, when and why."""

    decision: Literal["go", "no_go", "hold"]
    by: str
    at: datetime
    reason: str
    seq: int

    @property
    def word(self) -> str:
        """`GO`, `NO-GO`, `HOLD`."""
        return self.decision.replace("_", "-").upper()


@dataclass(frozen=True, slots=True)
class CheckpointReport:
    """One checkpoint: its criteria's marks and every decision taken on it."""

    checkpoint_id: str
    title: str
    gates: str
    """The title of the step it gates."""
    decider: str
    no_go_means: str
    criteria: tuple[Criterion, ...]
    decisions: tuple[DecisionRow, ...]


@dataclass(frozen=True, slots=True)
class PonrReport:
    """The point of no return: what it is and when it was crossed."""

    step_title: str | None
    why: str
    none_reason: str
    crossed_at: datetime | None
    crossed_seq: int
    checkpoint_title: str
    go: DecisionRow | None
    forward_fix: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RollbackStepRow:
    """One undo of the rollback checklist."""

    step_id: str
    title: str
    action: str
    planned_minutes: int
    done_at: datetime | None
    failures: tuple[tuple[datetime, str], ...] = ()
    """(when, why) of every time it did not work."""
    skipped_at: datetime | None = None
    skip_reason: str = ""


@dataclass(frozen=True, slots=True)
class RollbackReport:
    """A rollback: when, why, each undo, and the total against the RTO."""

    started_at: datetime
    started_seq: int
    reason: str
    after_ponr: bool
    steps: tuple[RollbackStepRow, ...]
    completed_at: datetime | None
    rto_minutes: int
    journal_end: datetime
    check: ChecklistReport | None = None
    """The check that the source serves again (None: the plan has none)."""

    @property
    def planned_minutes(self) -> int:
        """The undo steps' planned minutes together."""
        return sum(step.planned_minutes for step in self.steps)

    @property
    def total_minutes(self) -> float:
        """Start to completion (to the journal's end while not completed)."""
        return minutes_between(self.started_at, self.completed_at or self.journal_end)

    @property
    def within_rto(self) -> bool:
        """Completed inside the recovery time objective."""
        return self.completed_at is not None and self.total_minutes <= self.rto_minutes


@dataclass(frozen=True, slots=True)
class SessionRow:
    """The cockpit started again on this journal: evidence of a crash or a restart."""

    at: datetime
    seq: int
    operator: str
    runbook_changed: bool
    previous_at: datetime
    previous_seq: int
    #: The contact card file differed from the card of record at this start.
    card_changed: bool = False
    #: How the session before ended: a clean quit (its `SessionClosed` is the previous
    #: event), a crash, kill or power loss (no clean quit before this restart), or
    #: unknown (a journal written before clean quits were journaled).
    previous_end: Literal["clean", "crash", "unknown"] = "unknown"


@dataclass(frozen=True, slots=True)
class QuitRow:
    """The DE quit the cockpit cleanly (a `SessionClosed` event)."""

    at: datetime
    seq: int
    operator: str


@dataclass(frozen=True, slots=True)
class CardRow:
    """A new contact card became the card of record: when, and what it changed."""

    at: datetime
    seq: int
    changes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SecretRow:
    """A secret shown or copied: its name only."""

    at: datetime
    seq: int
    name: str
    how: str


@dataclass(frozen=True, slots=True)
class Debrief:
    """Everything the debrief report says."""

    journal_name: str
    times: LocalTimes
    summary: Summary
    steps: tuple[StepRow, ...]
    checkpoints: tuple[CheckpointReport, ...]
    blockers: tuple[BlockerReport, ...]
    ponr: PonrReport
    rollback: RollbackReport | None
    messages: tuple[MessageRow, ...]
    notes: tuple[NoteRow, ...]
    sessions: tuple[SessionRow, ...]
    secrets: tuple[SecretRow, ...]
    share_mode: tuple[tuple[datetime, bool], ...]
    questions: Questions
    damage: DamageNotice | None = None
    comparison: Comparison | None = None
    stakeholders: dict[str, str] = field(default_factory=dict)
    #: Every contact card taken in the middle of the night (a corrected number).
    card_changes: tuple[CardRow, ...] = ()
    #: The checklist before the window (None: the plan has none).
    pre_window: ChecklistReport | None = None
    #: The post-cutover verification (None: the plan has none).
    verification: ChecklistReport | None = None
    #: Every correction, in journal order.
    corrections: tuple[CorrectionRow, ...] = ()
    #: Every call logged, in journal order, on a blocker or not.
    calls: tuple[CallRow, ...] = ()
    #: Every clean quit of the cockpit, in journal order.
    quits: tuple[QuitRow, ...] = ()

    @property
    def journal_end(self) -> datetime:
        """The moment the report stops: the last (trusted) event."""
        return self.summary.last_event_at
