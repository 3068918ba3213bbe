"""The debrief, as data: everything the DE and the senior DE walk through after the night.

`build_debrief(events)` reads a journal's events once and answers the debrief's questions
with evidence: the summary, planned against actual per step, checkpoints and every
decision, blockers and their escalation, the point of no return, the rollback, the
communication plan, notes, sessions, revealed secrets (names only) and the pre-filled
debrief questions. The renderers (`debrief_md`, `debrief_html`) only lay it out.

Pure: no I/O, no clock. "Now" is the last event of the journal, so the same journal gives
the same debrief, byte for byte, whenever and wherever it is made. Times are kept as UTC
datetimes and shown in the runbook's time zone through `LocalTimes`.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Literal

from cockpit.core import comms, schedule
from cockpit.core.evolve import FoldError, evolve, fold
from cockpit.core.schedule import OVERRUN_TOLERANCE
from cockpit.core.state import CutoverState, Note
from cockpit.errors import CockpitError
from cockpit.journal import events as ev
from cockpit.journal.events import OUTCOME_WORDS
from cockpit.model import runbook as rb

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


# ---- time in the runbook's zone ------------------------------------------------------------

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True, slots=True)
class LocalTimes:
    """Shows moments in the runbook's time zone, relative to the night of the window.

    Day and month names are spelled here, not by `strftime`, so the report does not
    depend on the machine's locale.
    """

    zone: tzinfo
    zone_name: str
    day: date
    """The local date the window (in force) starts on."""
    _offsets: dict[int, timedelta] = field(default_factory=dict, compare=False, repr=False)
    _shown: dict[int, str] = field(default_factory=dict, compare=False, repr=False)

    def local(self, moment: datetime) -> datetime:
        """`moment` as a naive local time. Offsets are cached per quarter hour (zones change
        offset only on quarter hours): a long night has many notes to time."""
        bucket = int(moment.timestamp() // 900)
        offset = self._offsets.get(bucket)
        if offset is None:
            offset = moment.astimezone(self.zone).utcoffset() or timedelta(0)
            self._offsets[bucket] = offset
        return moment.astimezone(UTC).replace(tzinfo=None) + offset

    def at(self, moment: datetime | None) -> str:
        """`02:45` on the window's day, `00:15 (+1d)` a day off, a full date further."""
        if moment is None:
            return "—"
        minute = int(moment.timestamp() // 60)
        shown = self._shown.get(minute)
        if shown is None:
            local = self.local(moment)
            shown = f"{local.hour:02d}:{local.minute:02d}"
            offset = (local.date() - self.day).days
            if abs(offset) == 1:
                shown = f"{shown} ({offset:+d}d)"
            elif offset:
                shown = f"{self.date(moment)} {shown}"
            self._shown[minute] = shown
        return shown

    def date(self, moment: datetime) -> str:
        """`Tue 24 Nov 2026`, in the runbook's zone."""
        local = moment.astimezone(self.zone)
        return f"{_DAYS[local.weekday()]} {local.day:02d} {_MONTHS[local.month - 1]} {local.year}"

    def full(self, moment: datetime | None) -> str:
        """`Tue 24 Nov 2026 02:45`."""
        if moment is None:
            return "—"
        return f"{self.date(moment)} {moment.astimezone(self.zone):%H:%M}"


def minutes_between(start: datetime, end: datetime) -> float:
    """Minutes from `start` to `end` (negative when `end` is earlier)."""
    return (end - start).total_seconds() / 60


def minutes_text(value: float | None) -> str:
    """`41 min`, `30.5 min` (to a tenth, whole minutes without decimals), `—` for None."""
    if value is None:
        return "—"
    rounded = round(value, 1)
    if rounded == int(rounded):
        return f"{int(rounded)} min"
    return f"{rounded:.1f} min"


def signed_minutes(value: float | None) -> str:
    """A variance: `+42 min`, `-3 min`, `0 min`, `—` for None."""
    if value is None:
        return "—"
    rounded = round(value, 1)
    if rounded == 0:
        return "0 min"
    return ("+" if rounded > 0 else "-") + minutes_text(abs(rounded))


def plural(count: int, word: str, words: str | None = None) -> str:
    """`1 blocker`, `2 blockers`."""
    return f"{count} {word if count == 1 else (words or word + 's')}"


def totals_text(summary: Summary) -> str:
    """Planned against actual minutes for the whole run, honest about unfinished runs."""
    planned = f"{minutes_text(summary.planned_minutes)} planned"
    if summary.actual_minutes is None:
        return f"{planned}; no step was started"
    actual = f"{planned}, {minutes_text(summary.actual_minutes)} actual"
    if not summary.ended:
        actual += " so far"
    if summary.steps_done < summary.steps_total:
        return f"{actual}, with {summary.steps_done} of {summary.steps_total} steps done"
    return f"{actual} ({signed_minutes(summary.actual_minutes - summary.planned_minutes)})"


def sessions_text(sessions: int) -> str:
    """`1 session`, `2 sessions (started again once)`."""
    restarts = sessions - 1
    if restarts <= 0:
        return plural(sessions, "session")
    again = {1: "once", 2: "twice"}.get(restarts, f"{restarts} times")
    return f"{sessions} sessions (started again {again})"


#: Overruns of at least this many minutes suggest re-timing the step in the checklist.
RETIME_MINUTES = 5
#: The reason `decide` gives the step that was running when a rollback started.
ROLLBACK_STOP_REASON = "stopped: rollback started"


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
class MessageRow:
    """A planned communication: its trigger, when it fired, when it was sent."""

    message_id: str
    audience: tuple[str, ...]
    trigger: str
    fired_at: datetime | None
    sent_at: datetime | None
    times_sent: int

    @property
    def missed(self) -> bool:
        """Its trigger fired, and it was never sent."""
        return self.fired_at is not None and self.sent_at is None


@dataclass(frozen=True, slots=True)
class SessionRow:
    """The cockpit started again on this journal: evidence of a crash or a restart."""

    at: datetime
    seq: int
    operator: str
    runbook_changed: bool
    previous_at: datetime
    previous_seq: int


@dataclass(frozen=True, slots=True)
class SecretRow:
    """A secret shown or copied: its name only."""

    at: datetime
    seq: int
    name: str
    how: str


@dataclass(frozen=True, slots=True)
class Finding:
    """Something that went wrong, with how it was resolved and the notes written then."""

    text: str
    notes: tuple[NoteRow, ...] = ()
    at: datetime | None = None
    """When it began: the findings are listed in time order."""


@dataclass(frozen=True, slots=True)
class Questions:
    """The debrief questions, pre-filled with evidence from the journal."""

    as_planned: tuple[str, ...]
    different: tuple[str, ...]
    went_wrong: tuple[Finding, ...]
    pre_migration: tuple[str, ...]
    cutover_checklist: tuple[str, ...]
    troubleshooting: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CompareRow:
    """One step: the rehearsal against the live run."""

    title: str
    planned_minutes: int | None
    rehearsal_minutes: float | None
    live_minutes: float | None
    rehearsal_elapsed: float | None
    """Minutes from the first step's start to this step's end, in the rehearsal."""
    live_elapsed: float | None

    @property
    def drift(self) -> float | None:
        """Live minus rehearsal minutes for this step."""
        if self.rehearsal_minutes is None or self.live_minutes is None:
            return None
        return self.live_minutes - self.rehearsal_minutes

    @property
    def cumulative_drift(self) -> float | None:
        """How far behind (+) or ahead (-) of the rehearsal the live run was at this step's
        end."""
        if self.rehearsal_elapsed is None or self.live_elapsed is None:
            return None
        return self.live_elapsed - self.rehearsal_elapsed


@dataclass(frozen=True, slots=True)
class Comparison:
    """The rehearsal against the live run, step by step."""

    other_mode: str
    other_operator: str
    other_date: str
    other_outcome: str
    same_runbook: bool
    other_version: str
    rows: tuple[CompareRow, ...]
    rehearsal_total: float | None
    live_total: float | None
    damage: DamageNotice | None

    @property
    def warned(self) -> tuple[CompareRow, ...]:
        """Steps that overran in the rehearsal and overran again in this run: the
        rehearsal's warning was not acted on."""
        return tuple(
            row
            for row in self.rows
            if row.planned_minutes is not None
            and row.rehearsal_minutes is not None
            and row.live_minutes is not None
            and row.rehearsal_minutes > row.planned_minutes * OVERRUN_TOLERANCE
            and row.live_minutes > row.planned_minutes * OVERRUN_TOLERANCE
        )

    @property
    def total_drift(self) -> float | None:
        """Live minus rehearsal, first step start to the end."""
        if self.rehearsal_total is None or self.live_total is None:
            return None
        return self.live_total - self.rehearsal_total


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

    @property
    def journal_end(self) -> datetime:
        """The moment the report stops: the last (trusted) event."""
        return self.summary.last_event_at


# ---- building it -----------------------------------------------------------------------------


def build_debrief(
    events: Sequence[ev.BaseEvent],
    *,
    journal_name: str = "",
    damage: DamageNotice | None = None,
    compare: Sequence[ev.BaseEvent] | None = None,
    compare_damage: DamageNotice | None = None,
) -> Debrief:
    """The debrief of a journal's events (its trusted prefix when `damage` says so).

    `compare` is a rehearsal journal's events, for the rehearsal-versus-live table.
    Raises NothingToDebrief when the events do not start a cutover.
    """
    events, damage, state = _fitting_prefix(events, damage)
    walk = _Walk(events, state)
    debrief = walk.debrief(journal_name, damage)
    if compare is not None:
        other, compare_damage, other_state = _fitting_prefix(compare, compare_damage)
        comparison = _compare(debrief, _Walk(other, other_state), compare_damage)
        debrief = _replace(debrief, comparison=comparison)
    return debrief


def _replace(debrief: Debrief, **changes: object) -> Debrief:
    from dataclasses import replace

    return replace(debrief, **changes)  # type: ignore[arg-type]


def _fitting_prefix(
    events: Sequence[ev.BaseEvent], damage: DamageNotice | None
) -> tuple[Sequence[ev.BaseEvent], DamageNotice | None, CutoverState]:
    """The events that make a cutover — all of them, or those before the first that does
    not fit (only a hand-made journal with a valid hash chain gets there) — and their
    folded state."""
    if not events or not isinstance(events[0], ev.CutoverStarted):
        what = "it holds no events" if not events else f"its first event is {events[0].type}"
        if damage is not None and damage.trusted_seq == 0:
            what = f"no event can be trusted ({damage.why})"
        raise NothingToDebrief(f"there is no cutover to debrief: {what}")
    try:
        return events, damage, fold(events)
    except FoldError as error:
        low, high = 1, len(events)  # fold(events[:low]) works, fold(events[:high]) fails
        while high - low > 1:
            middle = (low + high) // 2
            try:
                fold(events[:middle])
                low = middle
            except FoldError:
                high = middle
        bad = events[high - 1]
        notice = DamageNotice(
            trusted_seq=events[low - 1].seq,
            first_bad_seq=bad.seq,
            why=f"event {bad.seq} does not fit the cutover ({error})",
        )
        if damage is None or (damage.trusted_seq > notice.trusted_seq):
            damage = notice
        return events[:low], damage, fold(events[:low])


@dataclass
class _StepLog:
    attempts: list[Attempt] = field(default_factory=list)
    skip_reason: str = ""
    skipped_at: datetime | None = None
    undone_at: datetime | None = None


@dataclass
class _BlockerLog:
    event: ev.BlockerRaised
    calls: list[tuple[datetime, str]] = field(default_factory=list)
    resolved_at: datetime | None = None
    how: str = ""


#: Events that move the schedule: between two of them, the projected finish is a simple
#: function of time, so a `delay` trigger's firing moment can be solved exactly.
_SCHEDULE_EVENTS = (
    ev.CutoverStarted,
    ev.PlanRebaselined,
    ev.StepStarted,
    ev.StepCompleted,
    ev.StepSkipped,
    ev.StepFailed,
    ev.RollbackStarted,
    ev.CutoverEnded,
)


class _Walk:
    """One pass over the events, collecting what the final state does not keep."""

    def __init__(self, events: Sequence[ev.BaseEvent], state: CutoverState) -> None:
        self.events = events
        self.state = state
        assert self.state.runbook is not None
        self.runbook: rb.Runbook = self.state.runbook
        self.start = events[0]
        assert isinstance(self.start, ev.CutoverStarted)
        self.end_at = events[-1].at
        self.steps: dict[str, _StepLog] = {step.id: _StepLog() for step in self.runbook.steps}
        self.marked_at: dict[tuple[str, int], datetime] = {}
        self.decisions: dict[str, list[DecisionRow]] = {
            cp.id: [] for cp in self.runbook.checkpoints
        }
        self.ponr: ev.PointOfNoReturnCrossed | None = None
        self.blockers: list[_BlockerLog] = []
        self.rollback: ev.RollbackStarted | None = None
        self.undone: dict[str, datetime] = {}
        self.rollback_completed: datetime | None = None
        self.sent: dict[str, list[datetime]] = {}
        self.notes: list[NoteRow] = state.notes
        self.sessions: list[SessionRow] = []
        self.secrets: list[SecretRow] = []
        self.share: list[tuple[datetime, bool]] = []
        self.rebaselines: list[tuple[datetime, datetime, str]] = []
        self.ended: ev.CutoverEnded | None = None
        self._collect()
        self.times = _local_times(self.state)

    def _collect(self) -> None:
        previous: ev.BaseEvent | None = None
        for event in self.events:
            if type(event) is not ev.NoteAdded:  # the fold has them; most events are notes
                self._take(event, previous)
            previous = event

    def _take(self, event: ev.BaseEvent, previous: ev.BaseEvent | None) -> None:
        match event:
            case ev.CriterionMarked():
                self.marked_at[(event.checkpoint_id, event.index)] = event.at
            case ev.MessageSent():
                self.sent.setdefault(event.message_id, []).append(event.at)
            case ev.StepStarted():
                self.steps[event.step_id].attempts.append(
                    Attempt(
                        started_at=event.at, start_seq=event.seq, ended_at=None, result="running"
                    )
                )
            case ev.StepCompleted() | ev.StepFailed():
                attempts = self.steps[event.step_id].attempts
                if attempts and attempts[-1].result == "running":
                    failed = isinstance(event, ev.StepFailed)
                    last = attempts[-1]
                    attempts[-1] = Attempt(
                        started_at=last.started_at,
                        start_seq=last.start_seq,
                        ended_at=event.at,
                        result="failed" if failed else "completed",
                        reason=event.reason if isinstance(event, ev.StepFailed) else "",
                    )
            case ev.StepSkipped():
                log = self.steps[event.step_id]
                log.skip_reason, log.skipped_at = event.reason, event.at
            case ev.CheckpointDecided():
                self.decisions[event.checkpoint_id].append(
                    DecisionRow(
                        decision=event.decision,
                        by=event.by,
                        at=event.at,
                        reason=event.reason,
                        seq=event.seq,
                    )
                )
            case ev.PointOfNoReturnCrossed():
                self.ponr = event
            case ev.BlockerRaised():
                self.blockers.append(_BlockerLog(event=event))
            case ev.EscalationCalled():
                for log in self.blockers:
                    if log.event.blocker_id == event.blocker_id:
                        log.calls.append((event.at, event.contact_name))
            case ev.BlockerResolved():
                for log in self.blockers:
                    if log.event.blocker_id == event.blocker_id and log.resolved_at is None:
                        log.resolved_at, log.how = event.at, event.how
            case ev.RollbackStarted():
                self.rollback = event
            case ev.RollbackStepDone():
                self.undone.setdefault(event.step_id, event.at)
            case ev.RollbackCompleted():
                self.rollback_completed = event.at
            case ev.SessionResumed():
                assert previous is not None  # a resume never comes first
                self.sessions.append(
                    SessionRow(
                        at=event.at,
                        seq=event.seq,
                        operator=event.operator,
                        runbook_changed=event.runbook_changed,
                        previous_at=previous.at,
                        previous_seq=previous.seq,
                    )
                )
            case ev.SecretRevealed():
                self.secrets.append(
                    SecretRow(at=event.at, seq=event.seq, name=event.name, how=event.how)
                )
            case ev.ShareModeChanged():
                self.share.append((event.at, event.on))
            case ev.PlanRebaselined():
                self.rebaselines.append((event.at, event.plan_start, event.reason))
            case ev.CutoverEnded():
                self.ended = event

    # ---- the parts ---------------------------------------------------------------------

    def debrief(self, journal_name: str, damage: DamageNotice | None) -> Debrief:
        steps = self.step_rows()
        blockers = self.blocker_reports()
        checkpoints = self.checkpoint_reports()
        rollback = self.rollback_report()
        messages = self.message_rows()
        summary = self.summary(steps)
        debrief = Debrief(
            journal_name=journal_name,
            times=self.times,
            summary=summary,
            steps=steps,
            checkpoints=checkpoints,
            blockers=blockers,
            ponr=self.ponr_report(),
            rollback=rollback,
            messages=messages,
            notes=tuple(self.notes),
            sessions=tuple(self.sessions),
            secrets=tuple(self.secrets),
            share_mode=tuple(self.share),
            questions=Questions((), (), (), (), (), ()),
            damage=damage,
            stakeholders={s.id: s.name for s in self.runbook.communications.stakeholders},
        )
        return _replace(debrief, questions=_questions(debrief))

    def step_rows(self) -> tuple[StepRow, ...]:
        planned = schedule.planned_starts(self.state)
        first_starts = {
            step_id: log.attempts[0].started_at
            for step_id, log in self.steps.items()
            if log.attempts
        }
        index = {step.id: number for number, step in enumerate(self.runbook.steps, start=1)}
        rows: list[StepRow] = []
        for number, step in enumerate(self.runbook.steps, start=1):
            log = self.steps[step.id]
            status = self.state.steps[step.id].status
            first = log.attempts[0].started_at if log.attempts else None
            end: datetime | None = None
            if log.attempts:
                last = log.attempts[-1]
                end = last.ended_at if last.ended_at is not None else self.end_at
            ahead = tuple(
                sorted(
                    index[other]
                    for other, other_start in first_starts.items()
                    if first is not None and index[other] < number and other_start > first
                )
            )
            rows.append(
                StepRow(
                    number=number,
                    step_id=step.id,
                    title=step.title,
                    planned_start=planned[step.id],
                    planned_minutes=step.minutes,
                    status=status,
                    attempts=tuple(log.attempts),
                    actual_start=first,
                    actual_end=end,
                    actual_minutes=minutes_between(first, end) if first and end else None,
                    skip_reason=log.skip_reason,
                    skipped_at=log.skipped_at,
                    undone_at=self.undone.get(step.id),
                    is_ponr=step.id == self.runbook.ponr_step,
                    started_ahead_of=ahead,
                )
            )
        return tuple(rows)

    def checkpoint_reports(self) -> tuple[CheckpointReport, ...]:
        reports: list[CheckpointReport] = []
        for checkpoint in self.runbook.checkpoints:
            marks = self.state.checkpoints[checkpoint.id].marks
            reports.append(
                CheckpointReport(
                    checkpoint_id=checkpoint.id,
                    title=checkpoint.title,
                    gates=self.runbook.step(checkpoint.before).title,
                    decider=self.who(checkpoint.decider),
                    no_go_means=checkpoint.no_go_means,
                    criteria=tuple(
                        Criterion(
                            text=text,
                            met=marks[index],
                            marked_at=self.marked_at.get((checkpoint.id, index)),
                        )
                        for index, text in enumerate(checkpoint.criteria)
                    ),
                    decisions=tuple(self.decisions[checkpoint.id]),
                )
            )
        return tuple(reports)

    def who(self, owner: str) -> str:
        """A contact id or role as `Name (id)` when the contact card knows it."""
        contact = self.state.contacts.resolve(owner) if self.state.contacts else None
        return f"{contact.name} ({owner})" if contact is not None else owner

    def blocker_reports(self) -> tuple[BlockerReport, ...]:
        note_times = [note.at for note in self.notes]
        reports: list[BlockerReport] = []
        for log in self.blockers:
            raised = log.event
            until = log.resolved_at or self.end_at
            low = bisect.bisect_left(note_times, raised.at)
            high = bisect.bisect_right(note_times, until)
            title = self.runbook.step(raised.step_id).title if raised.step_id else ""
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
                    journal_end=self.end_at,
                    notes=tuple(self.notes[low:high]),
                )
            )
        return tuple(reports)

    def ponr_report(self) -> PonrReport:
        ponr = self.runbook.point_of_no_return
        crossing = self.ponr
        go: DecisionRow | None = None
        checkpoint_title = ""
        if crossing is not None:
            checkpoint_title = self.runbook.checkpoint(crossing.checkpoint_id).title
            for decision in self.decisions.get(crossing.checkpoint_id, []):
                if decision.seq == crossing.go_seq:
                    go = decision
        elif self.runbook.ponr_checkpoint is not None:
            checkpoint_title = self.runbook.ponr_checkpoint.title
        return PonrReport(
            step_title=self.runbook.step(ponr.step).title if ponr.step else None,
            why=ponr.why,
            none_reason=ponr.none or "",
            crossed_at=crossing.at if crossing is not None else None,
            crossed_seq=crossing.seq if crossing is not None else 0,
            checkpoint_title=checkpoint_title,
            go=go,
            forward_fix=tuple(ponr.forward_fix),
        )

    def rollback_report(self) -> RollbackReport | None:
        started = self.rollback
        if started is None:
            return None
        rows: list[RollbackStepRow] = []
        for step_id in started.steps:
            step = self.runbook.step(step_id)
            rows.append(
                RollbackStepRow(
                    step_id=step_id,
                    title=step.title,
                    action=step.rollback.action if step.rollback else "",
                    planned_minutes=step.rollback.minutes if step.rollback else 0,
                    done_at=self.undone.get(step_id),
                )
            )
        return RollbackReport(
            started_at=started.at,
            started_seq=started.seq,
            reason=started.reason,
            after_ponr=started.after_ponr,
            steps=tuple(rows),
            completed_at=self.rollback_completed,
            rto_minutes=self.runbook.meta.rto_minutes,
            journal_end=self.end_at,
        )

    def message_rows(self) -> tuple[MessageRow, ...]:
        messages = self.runbook.communications.messages
        delays = sorted({m.trigger.minutes for m in messages if isinstance(m.trigger, rb.Delay)})
        delay_fired = _delay_fired(self.events, delays) if delays else {}
        stakeholders = {s.id: s.name for s in self.runbook.communications.stakeholders}
        rows: list[MessageRow] = []
        for message in messages:
            trigger = message.trigger
            if isinstance(trigger, rb.Delay):
                fired = delay_fired.get(trigger.minutes)
            elif isinstance(trigger, rb.CheckpointGo):
                decisions = self.decisions.get(trigger.checkpoint, [])
                gos = [d.at for d in decisions if d.decision == "go"]
                fired = gos[0] if gos else None
            else:
                fired = comms.fired_at(self.state, trigger, self.end_at)
            sent = self.sent.get(message.id, [])
            rows.append(
                MessageRow(
                    message_id=message.id,
                    audience=tuple(stakeholders.get(a, a) for a in message.audience),
                    trigger=comms.describe_trigger(trigger),
                    fired_at=fired,
                    sent_at=sent[0] if sent else None,
                    times_sent=len(sent),
                )
            )
        return tuple(rows)

    def summary(self, steps: tuple[StepRow, ...]) -> Summary:
        state, meta = self.state, self.runbook.meta
        win = schedule.window(state)
        starts = [row.actual_start for row in steps if row.actual_start is not None]
        first_step = min(starts) if starts else None
        ended = self.ended
        finish = ended.at if ended is not None else self.end_at
        actual = minutes_between(first_step, finish) if first_step is not None else None
        outcome = ended.outcome if ended is not None else None
        if outcome is not None:
            words = OUTCOME_WORDS.get(outcome, outcome.replace("_", " "))
        else:
            words = "in progress / incomplete"
        return Summary(
            title=meta.title,
            runbook_id=meta.id,
            runbook_version=meta.version,
            runbook_sha256=self.start.runbook_sha256,
            customer=meta.customer,
            operator=self.start.operator,
            mode=self.start.mode,
            window_start=win.start,
            window_end=win.end,
            rebaselines=tuple(self.rebaselines),
            opened_at=self.start.at,
            first_step_at=first_step,
            ended_at=ended.at if ended is not None else None,
            last_event_at=self.end_at,
            last_seq=self.events[-1].seq,
            outcome=outcome,
            outcome_words=words,
            outcome_reasons=tuple(self._outcome_reasons(steps, finish, win.end)),
            end_summary=ended.summary if ended is not None else "",
            planned_minutes=self.runbook.total_minutes,
            actual_minutes=actual,
            past_window_minutes=minutes_between(win.end, finish) if ended is not None else None,
            sessions=state.sessions,
            steps_done=sum(1 for row in steps if row.status in ("completed", "skipped")),
            steps_total=len(steps),
        )

    def _outcome_reasons(
        self, steps: tuple[StepRow, ...], finish: datetime, window_end: datetime
    ) -> list[str]:
        """Why the outcome is what it is, in the words of change management's codes."""
        reasons: list[str] = []
        if self.rollback is not None:
            reasons.append(f"rollback: {self.rollback.reason}")
        if self.ended is not None and finish > window_end:
            late = minutes_between(window_end, finish)
            reasons.append(f"overran the window by {minutes_text(late)}")
        if self.blockers:
            reasons.append(plural(len(self.blockers), "blocker"))
        failed = sum(1 for row in steps if row.failures)
        if failed:
            reasons.append(plural(failed, "step") + " failed at least once")
        skipped = sum(1 for row in steps if row.status == "skipped")
        if skipped:
            reasons.append(plural(skipped, "step") + " skipped")
        for decision, word in (("hold", "hold"), ("no_go", "no-go")):
            count = sum(
                1 for rows in self.decisions.values() for row in rows if row.decision == decision
            )
            if count:
                reasons.append(plural(count, word))
        return reasons


def _local_times(state: CutoverState) -> LocalTimes:
    assert state.runbook is not None
    zone = state.runbook.meta.zone
    start = schedule.window(state).start.astimezone(zone)
    return LocalTimes(zone=zone, zone_name=state.runbook.meta.timezone, day=start.date())


def _delay_fired(events: Sequence[ev.BaseEvent], thresholds: list[int]) -> dict[int, datetime]:
    """When the projected finish first slipped past each threshold (minutes).

    Between two schedule events the slip is flat, then grows minute for minute (a step
    running past its plan, or no step running), so the crossing is solved, not sampled.
    """
    fired: dict[int, datetime] = {}
    shadow = CutoverState()
    since: datetime | None = None

    def scan(until: datetime) -> None:
        if since is None or shadow.ended or shadow.rollback is not None:
            return
        slip_end = schedule.slip_minutes(shadow, until)
        for minutes in thresholds:
            if minutes in fired or slip_end < minutes:
                continue
            if schedule.slip_minutes(shadow, since) >= minutes:
                fired[minutes] = since
            else:
                fired[minutes] = max(since, until - timedelta(minutes=slip_end - minutes))

    for event in events:
        if isinstance(event, _SCHEDULE_EVENTS):
            scan(event.at)
            shadow = evolve(shadow, event)
            since = event.at
    scan(events[-1].at)
    return fired


# ---- the debrief questions ---------------------------------------------------------------


def _questions(debrief: Debrief) -> Questions:
    """The four debrief questions, answered with what the journal shows."""
    t = debrief.times.at
    summary = debrief.summary
    as_planned: list[str] = []
    different: list[str] = []
    wrong: list[Finding] = []
    pre: list[str] = []
    checklist: list[str] = []
    guide: list[str] = []
    step_by_number = {row.number: row for row in debrief.steps}

    for row in debrief.steps:
        name = f"Step {row.number} '{row.title}'"
        if row.within_plan:
            as_planned.append(
                f"{name}: {minutes_text(row.actual_minutes)} against "
                f"{minutes_text(row.planned_minutes)} planned."
            )
        if row.overran:
            running = " so far (still running)" if row.status == "running" else ""
            different.append(
                f"{name} took {minutes_text(row.actual_minutes)}{running} against "
                f"{minutes_text(row.planned_minutes)} planned "
                f"({signed_minutes(row.variance)})."
            )
            if (row.variance or 0.0) >= RETIME_MINUTES:
                checklist.append(
                    f"Re-time '{row.title}': planned {minutes_text(row.planned_minutes)}, "
                    f"took {minutes_text(row.actual_minutes)}. Plan for the real time, or "
                    "split the step."
                )
        if row.status == "skipped":
            different.append(f"{name} was skipped at {t(row.skipped_at)}: {row.skip_reason}")
            checklist.append(
                f"Decide whether '{row.title}' belongs in the plan (skipped: {row.skip_reason})."
            )
        if len(row.attempts) > 1:
            different.append(f"{name} took {len(row.attempts)} attempts.")
        if row.started_ahead_of:
            earlier = ", ".join(
                f"step {n} '{step_by_number[n].title}'" for n in row.started_ahead_of
            )
            different.append(
                f"{name} was started at {t(row.actual_start)}, before {earlier}, out of plan order."
            )
            checklist.append(
                f"Put '{row.title}' in the order it was done, or say in the plan why it must wait."
            )
        for attempt in row.failures:
            after = _after_failure(row, attempt, debrief)
            wrong.append(
                Finding(
                    text=f"{name} failed at {t(attempt.ended_at)}: {attempt.reason}. {after}",
                    notes=_notes_between(debrief.notes, attempt.started_at, attempt.ended_at),
                    at=attempt.ended_at or attempt.started_at,
                )
            )
            if attempt.reason != ROLLBACK_STOP_REASON:
                pre.append(f"Check beforehand what made '{row.title}' fail: {attempt.reason}.")
                guide.append(
                    f"'{row.title}' fails with \"{attempt.reason}\": how it was diagnosed "
                    "and fixed (fill in)."
                )

    for checkpoint in debrief.checkpoints:
        decisions = checkpoint.decisions
        stops = [d for d in decisions if d.decision != "go"]
        for decision in stops:
            different.append(
                f"{decision.word} on '{checkpoint.title}' at {t(decision.at)} by "
                f"{decision.by}: {decision.reason}"
            )
        if stops:
            wrong.append(_checkpoint_story(checkpoint, stops, debrief))
            for criterion in checkpoint.criteria:
                if criterion.met is False:
                    pre.append(
                        f"Confirm before the night: '{criterion.text}' (not met at "
                        f"'{checkpoint.title}')."
                    )
            for decision in stops:
                if decision.decision == "no_go":
                    pre.append(
                        f"Find out beforehand what led to the no-go on '{checkpoint.title}': "
                        f"{decision.reason}."
                    )
        if decisions and decisions[0].decision == "go":
            as_planned.append(
                f"'{checkpoint.title}': go at {t(decisions[0].at)} by {decisions[0].by}, "
                "at the first decision."
            )

    if debrief.ponr.crossed_at is not None and debrief.ponr.go is not None:
        as_planned.append(
            f"The point of no return was crossed at {t(debrief.ponr.crossed_at)} on the go "
            f"recorded at {t(debrief.ponr.go.at)} (event #{debrief.ponr.go.seq})."
        )

    for at, plan_start, reason in summary.rebaselines:
        different.append(f"The plan's start moved to {t(plan_start)} at {t(at)}: {reason}")
    for session in debrief.sessions:
        changed = (
            " The runbook file had changed since the start." if session.runbook_changed else ""
        )
        different.append(
            f"The cockpit was started again at {t(session.at)} (previous event at "
            f"{t(session.previous_at)}).{changed}"
        )

    for blocker in debrief.blockers:
        wrong.append(
            Finding(text=_blocker_story(blocker, t), notes=blocker.notes, at=blocker.raised_at)
        )
        if blocker.how:
            guide.append(f"'{blocker.what}': {blocker.how}.")
        else:
            guide.append(f"'{blocker.what}': what would have resolved it (fill in).")
        rule = minutes_text(blocker.escalation_minutes)
        if blocker.late_call:
            checklist.append(
                f"Call the on-call senior DE when a blocker reaches {rule}: the call on "
                f"'{blocker.what}' came {minutes_text(blocker.called_after)} in."
            )
        elif blocker.never_called:
            checklist.append(
                f"Call the on-call senior DE when a blocker reaches {rule}: '{blocker.what}' "
                f"stayed open {minutes_text(blocker.open_minutes)} without a call."
            )
        elif blocker.called_at is not None:
            as_planned.append(
                f"Blocker '{blocker.what}': the senior DE was called after "
                f"{minutes_text(blocker.called_after)}, inside the {rule} rule."
            )
        if blocker.step_title:
            pre.append(
                f"Rehearse or pre-check what blocked '{blocker.step_title}': {blocker.what}."
            )

    rollback = debrief.rollback
    if rollback is not None:
        if rollback.completed_at is not None:
            fit = "inside" if rollback.within_rto else "outside"
            done = (
                f"completed at {t(rollback.completed_at)}, "
                f"{minutes_text(rollback.total_minutes)} ({fit} the RTO of "
                f"{minutes_text(rollback.rto_minutes)})"
            )
        else:
            done = "not completed when the journal ends"
        wrong.append(
            Finding(
                text=f"Rollback started at {t(rollback.started_at)}: {rollback.reason}; {done}.",
                notes=_notes_between(
                    debrief.notes, rollback.started_at, rollback.completed_at or debrief.journal_end
                ),
                at=rollback.started_at,
            )
        )

    missed = [m for m in debrief.messages if m.missed]
    for message in missed:
        different.append(
            f"Message '{message.message_id}' ({message.trigger}) was due at "
            f"{t(message.fired_at)} and never sent."
        )
        checklist.append(
            f"Send '{message.message_id}' when its trigger fires ({message.trigger}); "
            "put it on the printed checklist."
        )
    due = [m for m in debrief.messages if m.fired_at is not None]
    if due and not missed:
        as_planned.append(f"Every message whose trigger fired was sent ({len(due)}).")

    late = summary.past_window_minutes
    if summary.ended and late is not None and late > 0:
        different.append(
            f"It ended at {t(summary.ended_at)}, {minutes_text(late)} after the window "
            f"closed ({t(summary.window_end)})."
        )
    elif summary.outcome in ("successful", "successful_with_issues"):
        as_planned.append(
            f"It ended at {t(summary.ended_at)}, inside the window (closes "
            f"{t(summary.window_end)})."
        )
    elif not summary.ended and summary.last_event_at > summary.window_end:
        different.append(
            f"The window closed at {t(summary.window_end)} with the cutover still under way."
        )
    end = debrief.journal_end
    if not summary.ended:
        wrong.append(
            Finding(
                text=f"The journal ends at {t(summary.last_event_at)} (event #{summary.last_seq}) "
                "without an outcome: the cutover was not declared complete, rolled back or "
                "abandoned in the cockpit.",
                at=end,
            )
        )
    elif summary.outcome == "not_rolled_back":
        wrong.append(Finding(text=f"The cutover was abandoned: {summary.end_summary}", at=end))
    if debrief.damage is not None:
        wrong.append(
            Finding(
                text=f"The journal is damaged after event {debrief.damage.trusted_seq}: "
                f"{debrief.damage.why}.",
                at=end,
            )
        )
    return Questions(
        as_planned=tuple(as_planned),
        different=tuple(different),
        went_wrong=tuple(sorted(wrong, key=lambda finding: finding.at or end)),
        pre_migration=tuple(dict.fromkeys(pre)),
        cutover_checklist=tuple(dict.fromkeys(checklist)),
        troubleshooting=tuple(dict.fromkeys(guide)),
    )


def _checkpoint_story(
    checkpoint: CheckpointReport, stops: list[DecisionRow], debrief: Debrief
) -> Finding:
    """A checkpoint that held or said no-go: each stop, what followed, the notes then."""
    t = debrief.times.at
    parts = [f"{stop.word.lower()} at {t(stop.at)} by {stop.by} ({stop.reason})" for stop in stops]
    final = checkpoint.decisions[-1]
    if final.decision == "go":
        outcome = f"then go at {t(final.at)} by {final.by}"
    elif final.decision == "no_go":
        outcome = "it stayed a no-go"
    else:
        outcome = "it was still on hold when the journal ends"
    unmet = [c.text for c in checkpoint.criteria if c.met is False]
    criteria = f" Not met: {'; '.join(unmet)}." if unmet else ""
    until = final.at if final.decision == "go" else debrief.journal_end
    return Finding(
        text=f"'{checkpoint.title}' was stopped: {'; '.join(parts)}; {outcome}.{criteria}",
        notes=_notes_between(debrief.notes, stops[0].at, until),
        at=stops[0].at,
    )


def _after_failure(row: StepRow, attempt: Attempt, debrief: Debrief) -> str:
    """What happened to a step after one of its attempts failed."""
    t = debrief.times.at
    later = [a for a in row.attempts if a.started_at > attempt.started_at]
    if later:
        retry = later[0]
        result = {
            "completed": f"completed at {t(retry.ended_at)}",
            "failed": f"failed again at {t(retry.ended_at)}",
            "running": "still running when the journal ends",
        }[retry.result]
        return f"Retried at {t(retry.started_at)}: {result}."
    if row.status == "skipped":
        return f"Then skipped at {t(row.skipped_at)}: {row.skip_reason}."
    if row.undone_at is not None:
        return f"Undone in the rollback at {t(row.undone_at)}."
    return "Not retried."


def _blocker_story(blocker: BlockerReport, at: Callable[[datetime | None], str]) -> str:
    """A blocker from raise to resolution, in one sentence or two."""
    where = f" during '{blocker.step_title}'" if blocker.step_title else ""
    rule = minutes_text(blocker.escalation_minutes)
    if blocker.called_at is not None:
        whom = blocker.calls[0][1]
        call = f"{whom} was called {minutes_text(blocker.called_after)} in"
        call += f" — LATE (the rule says {rule})" if blocker.late_call else f" (rule: {rule})"
    elif blocker.never_called:
        call = f"no escalation call — NEVER CALLED, although it stayed open past {rule}"
    else:
        call = "no escalation call (resolved inside the rule)"
    if blocker.resolved_at is not None:
        end = (
            f"resolved at {at(blocker.resolved_at)} after "
            f"{minutes_text(blocker.open_minutes)}: {blocker.how}"
        )
    else:
        end = f"still open when the journal ends ({minutes_text(blocker.open_minutes)})"
    return f"Blocker '{blocker.what}' raised at {at(blocker.raised_at)}{where}; {call}; {end}."


def _notes_between(
    notes: tuple[NoteRow, ...], start: datetime, end: datetime | None
) -> tuple[NoteRow, ...]:
    if end is None:
        return ()
    return tuple(note for note in notes if start <= note.at <= end)


# ---- rehearsal against live ----------------------------------------------------------------


def _compare(live: Debrief, other: _Walk, damage: DamageNotice | None) -> Comparison:
    """Each step of the live run beside the same step (by id) of the other journal."""
    other_rows = {row.step_id: row for row in other.step_rows()}
    other_summary = other.summary(tuple(other_rows.values()))
    live_begin = live.summary.first_step_at
    other_begin = other_summary.first_step_at

    def elapsed(row: StepRow | None, begin: datetime | None) -> float | None:
        if row is None or begin is None or row.actual_end is None or row.status == "running":
            return None
        return minutes_between(begin, row.actual_end)

    rows: list[CompareRow] = []
    for row in live.steps:
        theirs = other_rows.pop(row.step_id, None)
        rows.append(
            CompareRow(
                title=row.title,
                planned_minutes=row.planned_minutes,
                rehearsal_minutes=theirs.actual_minutes if theirs else None,
                live_minutes=row.actual_minutes,
                rehearsal_elapsed=elapsed(theirs, other_begin),
                live_elapsed=elapsed(row, live_begin),
            )
        )
    for theirs in other_rows.values():  # steps only the other plan has
        rows.append(
            CompareRow(
                title=theirs.title,
                planned_minutes=None,
                rehearsal_minutes=theirs.actual_minutes,
                live_minutes=None,
                rehearsal_elapsed=elapsed(theirs, other_begin),
                live_elapsed=None,
            )
        )
    return Comparison(
        other_mode=other.start.mode,
        other_operator=other.start.operator,
        other_date=live.times.date(other.start.at),
        other_outcome=other_summary.outcome_words,
        same_runbook=other.start.runbook_sha256 == live.summary.runbook_sha256,
        other_version=other.runbook.meta.version,
        rows=tuple(rows),
        rehearsal_total=other_summary.actual_minutes,
        live_total=live.summary.actual_minutes,
        damage=damage,
    )


# ---- text safety -------------------------------------------------------------------------------


def printable(text: str) -> str:
    """Text with its control characters made visible (`\\x1b`), keeping line breaks.

    A note can hold anything typed or pasted at 3 a.m.; a report shown in a terminal or a
    browser must not be driven by it (escape sequences, bidirectional overrides).
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    if text.isprintable():
        return text
    return "".join(
        ch
        if ch == "\n" or ch.isprintable()
        else f"\\x{ord(ch):02x}"
        if ord(ch) < 0x100
        else f"\\u{ord(ch):04x}"
        for ch in text
    )
