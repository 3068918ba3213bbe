"""The events of a cutover: what happened, in order, and nothing else.

Each event is a small frozen pydantic model with a `type` tag, a sequence number, a UTC
time, a unique id and the format version. The journal stores them as JSON; `fold`
rebuilds any moment from them. Events are never changed or deleted: a correction is a new
event.

## Declaring an event: one place per layer, and nothing is skipped in silence

Four readers dispatch on an event's class: the fold applies it (`cockpit.core.evolve`),
the log describes it (here), the debrief walks it (`cockpit.report.debrief.walk`) and
replay marks it on its scrubber (here, drawn by `cockpit.tui.widgets.scrubber`). What
belongs to the journal layer is declared on the event class itself:

* `describe(zone)` — the event's words in the log, the log screen, replay's search and
  its markers. Abstract on `BaseEvent`;
* `marker` — the kind of moment replay lets you jump to (`MarkerKind`), or None. A
  moment worth a marker is also one of the night's record: the main screen's "Record"
  panel shows the latest of them, newest first (the state keeps them: `recent`).

A class that leaves either out is refused when it is defined (`TypeError`), so an event
cannot exist without its words. The fold and the debrief live in layers this module may
not import (the core never imports the reports), so they keep a table keyed by the event
*class* — `evolve.HANDLERS`, `walk.TAKERS` — and both raise `UnknownEventType` for a
class they do not list instead of passing over it; `tests/test_event_tables.py` walks
`EVENT_CLASSES` (the members of the `Event` union, which is what a journal can hold)
through every table and names the one that lacks a type.

Adding an event is therefore: the class here (its fields, `describe`, `marker`) and its
place in `Event`; its handler in `evolve.HANDLERS`; its taker in `walk.TAKERS` (None when
the debrief deliberately reads nothing from it); and a glyph in the scrubber only when it
brings a new `MarkerKind`. The test says which of these is missing.
"""

from __future__ import annotations

from abc import abstractmethod
from datetime import UTC, datetime, tzinfo
from functools import cache
from typing import Annotated, Any, ClassVar, Literal, get_args

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, TypeAdapter, field_validator

from cockpit.text import clock_time

#: Bumped when an event's shape changes incompatibly; stored with every event.
EVENT_FORMAT = 1

Outcome = Literal[
    "successful",
    "successful_with_issues",
    "rolled_back",
    "not_rolled_back",
]
#: Debrief wording of each outcome (change-management outcome codes).
OUTCOME_WORDS: dict[str, str] = {
    "successful": "successful",
    "successful_with_issues": "successful with issues",
    "rolled_back": "unsuccessful: rolled back",
    "not_rolled_back": "unsuccessful: not rolled back",
}
Decision = Literal["go", "no_go", "hold"]
Mode = Literal["live", "rehearsal"]
#: The moments replay lets you jump to; each has its glyph on the scrubber.
MarkerKind = Literal[
    "decision",
    "blocker",
    "escalation",
    "ponr",
    "rollback",
    "note",
    "correction",
    "trouble",
    "end",
]
#: The lists whose items are ticked: a step's verify items, the checklist before the
#: window, the post-cutover verification, and the check after a rollback.
Checklist = Literal["step", "pre_window", "verification", "rollback_verification"]
#: Each list's name in words (a step's list is named by its step).
CHECKLIST_WORDS: dict[str, str] = {
    "step": "verify",
    "pre_window": "before the window",
    "verification": "post-cutover verification",
    "rollback_verification": "after the rollback",
}


class UnknownEventType(TypeError):
    """A table that dispatches on event classes was given one it does not list.

    A programming error, never a damaged journal (a journal can only hold the types of
    `Event`): raised instead of passing the event over, so a forgotten entry is loud.
    """

    def __init__(self, table: str, event: object) -> None:
        name = type(event).__name__
        super().__init__(
            f"{table} does not handle {name}: declare its entry there "
            "(see the module docstring of cockpit.journal.events)"
        )
        #: The table that lacks the type (for example `evolve.HANDLERS`).
        self.table = table
        #: The event class it lacks.
        self.event_class = type(event)


def _with_reason(subject: str, reason: str) -> str:
    """`subject: reason`, or the subject alone when no reason was given."""
    return f"{subject}: {reason}" if reason else subject


def _anyway(unticked: list[int], reason: str) -> str:
    """How an ending with items left unticked reads in the log ("" when none were)."""
    if not unticked:
        return ""
    numbers = ", ".join(f"#{index + 1}" for index in unticked)
    return f" (unticked {numbers}; completed anyway: {reason})"


class BaseEvent(BaseModel):
    """Fields every event has, and what every event type must declare (see the module
    docstring): its words in the log (`describe`) and its replay marker (`marker`)."""

    # Deferred: a model's validator is built when first used, not at import, so a new
    # night pays only for the few events it writes before its first frame.
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    seq: int = Field(ge=1, description="Position in the journal, from 1, without gaps.")
    at: AwareDatetime = Field(description="When it happened (UTC).")
    event_id: str = Field(min_length=1, max_length=100, description="Unique; retries dedupe.")
    v: int = EVENT_FORMAT

    #: The kind of moment replay marks for this event type, or None: no marker.
    marker: ClassVar[MarkerKind | None]

    @field_validator("at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return value.astimezone(UTC)

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        """Refuse an event type that does not declare its own words and marker: inherited
        ones would describe it as some other event."""
        super().__pydantic_init_subclass__(**kwargs)
        missing = [name for name in ("describe", "marker") if name not in cls.__dict__]
        if missing:
            raise TypeError(
                f"event type {cls.__name__} must declare {' and '.join(missing)} "
                "(see the module docstring of cockpit.journal.events)"
            )

    @abstractmethod
    def describe(self, zone: tzinfo) -> str:
        """The most useful words of this event (its step, decision, reason or text), with
        times in `zone`: one line of `cockpit log` after the time and the type."""
        raise UnknownEventType("BaseEvent.describe", self)


class CutoverStarted(BaseEvent):
    """The first event: the plan of record, snapshotted, and how this run is meant."""

    type: Literal["cutover_started"] = "cutover_started"
    marker: ClassVar[MarkerKind | None] = None
    runbook: dict[str, Any] = Field(description="The runbook as loaded (JSON-safe).")
    runbook_sha256: str
    runbook_path: str = ""
    contacts: dict[str, Any] | None = Field(
        default=None, description="The contact card as loaded; secrets are names only."
    )
    mode: Mode
    operator: str
    plan_start: AwareDatetime = Field(description="When step 1 is planned to start (UTC).")
    app_version: str = ""

    def describe(self, zone: tzinfo) -> str:
        meta = self.runbook.get("runbook", {})
        title = meta.get("title", "the cutover") if isinstance(meta, dict) else "the cutover"
        customer = meta.get("customer", "") if isinstance(meta, dict) else ""
        who = f" for {customer}" if customer else ""
        plan = clock_time(self.plan_start, zone)
        return f"{title}{who}, {self.mode}, by {self.operator} (plan starts {plan})"


class SessionResumed(BaseEvent):
    """The cockpit was started again on this journal."""

    type: Literal["session_resumed"] = "session_resumed"
    marker: ClassVar[MarkerKind | None] = None
    operator: str = ""
    runbook_changed: bool = Field(
        default=False, description="The runbook file differs from the snapshot of record."
    )
    following_snapshot: bool = True
    card_changed: bool = Field(
        default=False,
        description="The contact card file differs from the card of record (not taken yet).",
    )
    after_crash: bool = Field(
        default=False,
        description=(
            "The event before this one is not a clean quit (`SessionClosed`): the previous "
            "session crashed, was killed or lost power. False in journals written before "
            "clean quits were journaled, where it cannot be told."
        ),
    )

    def describe(self, zone: tzinfo) -> str:
        crash = " after a crash, kill or power loss (no clean quit before)"
        return (
            f"{self.operator or 'resumed'}"
            f"{crash if self.after_crash else ''}"
            f"{' (runbook file changed)' if self.runbook_changed else ''}"
            f"{' (contact card file changed: not taken yet)' if self.card_changed else ''}"
        )


class SessionClosed(BaseEvent):
    """The DE quit the cockpit cleanly: the last event a session writes. A journal whose
    last event is another one was left by a crash, a kill or a power loss (or is still
    being written)."""

    type: Literal["session_closed"] = "session_closed"
    marker: ClassVar[MarkerKind | None] = None
    operator: str = ""

    def describe(self, zone: tzinfo) -> str:
        return f"{self.operator} quit cleanly" if self.operator else "quit cleanly"


class PlanRebaselined(BaseEvent):
    """The plan's start moved (a rehearsal starting now, or a live window that moved)."""

    type: Literal["plan_rebaselined"] = "plan_rebaselined"
    marker: ClassVar[MarkerKind | None] = None
    plan_start: AwareDatetime
    reason: str

    def describe(self, zone: tzinfo) -> str:
        return f"plan starts {clock_time(self.plan_start, zone)}: {self.reason}"


class StepStarted(BaseEvent):
    """A step began (the first, on a live night, perhaps with the checklist before the
    window not all ticked: then which items, and why it started anyway)."""

    type: Literal["step_started"] = "step_started"
    marker: ClassVar[MarkerKind | None] = None
    step_id: str
    unticked: list[int] = Field(
        default_factory=list, description="Pre-window items not ticked when it started."
    )
    anyway: str = Field(default="", description="Why it started with those unticked.")

    def describe(self, zone: tzinfo) -> str:
        if not self.unticked:
            return self.step_id
        numbers = ", ".join(f"#{index + 1}" for index in self.unticked)
        return (
            f"{self.step_id} (before the window {numbers} unticked; started anyway: {self.anyway})"
        )


class StepCompleted(BaseEvent):
    """A running step finished: its verify items ticked, or the DE said why not."""

    type: Literal["step_completed"] = "step_completed"
    marker: ClassVar[MarkerKind | None] = None
    step_id: str
    unticked: list[int] = Field(
        default_factory=list, description="Verify items (from 0) not ticked when it completed."
    )
    anyway: str = Field(default="", description="Why it was completed with those unticked.")

    def describe(self, zone: tzinfo) -> str:
        return self.step_id + _anyway(self.unticked, self.anyway)


class StepReopened(BaseEvent):
    """A correction: a step completed, skipped or failed by mistake is open again.

    The mistaken event stays in the journal; this one says it no longer holds, and why.
    """

    type: Literal["step_reopened"] = "step_reopened"
    marker: ClassVar[MarkerKind | None] = "correction"
    step_id: str
    was: Literal["completed", "skipped", "failed"]
    reason: str

    def describe(self, zone: tzinfo) -> str:
        return f"{self.step_id} was {self.was}, reopened: {self.reason}"


class StepSkipped(BaseEvent):
    """A step was deliberately not done."""

    type: Literal["step_skipped"] = "step_skipped"
    marker: ClassVar[MarkerKind | None] = "trouble"
    step_id: str
    reason: str

    def describe(self, zone: tzinfo) -> str:
        return _with_reason(self.step_id, self.reason)


class StepFailed(BaseEvent):
    """A step did not work; it can be retried, skipped or rolled back."""

    type: Literal["step_failed"] = "step_failed"
    marker: ClassVar[MarkerKind | None] = "trouble"
    step_id: str
    reason: str

    def describe(self, zone: tzinfo) -> str:
        return _with_reason(self.step_id, self.reason)


class CriterionMarked(BaseEvent):
    """A go/no-go criterion was marked met or not met."""

    type: Literal["criterion_marked"] = "criterion_marked"
    marker: ClassVar[MarkerKind | None] = None
    checkpoint_id: str
    index: int = Field(ge=0)
    met: bool

    def describe(self, zone: tzinfo) -> str:
        return f"{self.checkpoint_id} #{self.index + 1} {'met' if self.met else 'NOT met'}"


class ItemTicked(BaseEvent):
    """An item of a checklist was seen done, by whom (a verify item, a pre-window item
    signed off, a post-cutover or post-rollback check)."""

    type: Literal["item_ticked"] = "item_ticked"
    marker: ClassVar[MarkerKind | None] = None
    checklist: Checklist
    step_id: str | None = Field(default=None, description="The step, for a step's verify items.")
    index: int = Field(ge=0)
    item: str = Field(description="The item's words, as the plan had them.")
    by: str = Field(default="", description="Who saw it or signed it.")

    def describe(self, zone: tzinfo) -> str:
        where = self.step_id if self.checklist == "step" else CHECKLIST_WORDS[self.checklist]
        who = f" by {self.by}" if self.by else ""
        return f"{where} #{self.index + 1} ticked{who}: {self.item}"


class ItemUnticked(BaseEvent):
    """A correction: a tick given by mistake is withdrawn, with why."""

    type: Literal["item_unticked"] = "item_unticked"
    marker: ClassVar[MarkerKind | None] = "correction"
    checklist: Checklist
    step_id: str | None = None
    index: int = Field(ge=0)
    item: str
    reason: str

    def describe(self, zone: tzinfo) -> str:
        where = self.step_id if self.checklist == "step" else CHECKLIST_WORDS[self.checklist]
        return f"{where} #{self.index + 1} unticked ({self.item}): {self.reason}"


class CheckpointDecided(BaseEvent):
    """A go, no-go or hold on a checkpoint, with who and why."""

    type: Literal["checkpoint_decided"] = "checkpoint_decided"
    marker: ClassVar[MarkerKind | None] = "decision"
    checkpoint_id: str
    decision: Decision
    by: str
    reason: str = ""

    def describe(self, zone: tzinfo) -> str:
        word = self.decision.replace("_", "-").upper()
        return _with_reason(f"{self.checkpoint_id} {word} by {self.by}", self.reason)


class PointOfNoReturnCrossed(BaseEvent):
    """The point-of-no-return step started, on the strength of a recorded go."""

    type: Literal["ponr_crossed"] = "ponr_crossed"
    marker: ClassVar[MarkerKind | None] = "ponr"
    step_id: str
    checkpoint_id: str
    go_seq: int = Field(description="The seq of the go decision this crossing relied on.")

    def describe(self, zone: tzinfo) -> str:
        return f"{self.step_id} (on the go recorded at #{self.go_seq})"


class BlockerRaised(BaseEvent):
    """Something is stuck: the escalation countdown starts."""

    type: Literal["blocker_raised"] = "blocker_raised"
    marker: ClassVar[MarkerKind | None] = "blocker"
    blocker_id: str
    what: str
    step_id: str | None = None
    deadline: AwareDatetime = Field(description="When the escalation rule says: call now.")
    checkpoint_id: str | None = Field(
        default=None, description="The gate whose hold or no-go is this stop, if it is one."
    )

    def describe(self, zone: tzinfo) -> str:
        return f"{self.what} (call by {clock_time(self.deadline, zone)})"


class EscalationCalled(BaseEvent):
    """A call was made — the on-call senior, the carrier NOC, a vendor — and what was
    agreed; about the open blocker when there is one."""

    type: Literal["escalation_called"] = "escalation_called"
    marker: ClassVar[MarkerKind | None] = "escalation"
    blocker_id: str | None = Field(default=None, description="The open blocker, if any.")
    contact_id: str
    contact_name: str
    agreed: str = Field(default="", description="What was agreed on the call.")

    def describe(self, zone: tzinfo) -> str:
        return _with_reason(f"called {self.contact_name}", self.agreed)


class BlockerResolved(BaseEvent):
    """The open blocker was resolved."""

    type: Literal["blocker_resolved"] = "blocker_resolved"
    marker: ClassVar[MarkerKind | None] = "blocker"
    blocker_id: str
    how: str

    def describe(self, zone: tzinfo) -> str:
        return self.how


class RollbackStarted(BaseEvent):
    """Rollback began: the checklist is the undo of the done steps, in reverse."""

    type: Literal["rollback_started"] = "rollback_started"
    marker: ClassVar[MarkerKind | None] = "rollback"
    reason: str
    steps: list[str] = Field(description="Step ids to undo, in the order to undo them.")
    after_ponr: bool = False

    def describe(self, zone: tzinfo) -> str:
        return _with_reason(f"undo {', '.join(self.steps) or 'nothing'}", self.reason)


class RollbackStepDone(BaseEvent):
    """One undo of the rollback checklist was done."""

    type: Literal["rollback_step_done"] = "rollback_step_done"
    marker: ClassVar[MarkerKind | None] = None
    step_id: str

    def describe(self, zone: tzinfo) -> str:
        return self.step_id


class RollbackStepFailed(BaseEvent):
    """One undo did not work; it can be tried again or skipped."""

    type: Literal["rollback_step_failed"] = "rollback_step_failed"
    marker: ClassVar[MarkerKind | None] = "trouble"
    step_id: str
    reason: str

    def describe(self, zone: tzinfo) -> str:
        return _with_reason(self.step_id, self.reason)


class RollbackStepSkipped(BaseEvent):
    """One undo was deliberately not done, and why."""

    type: Literal["rollback_step_skipped"] = "rollback_step_skipped"
    marker: ClassVar[MarkerKind | None] = "trouble"
    step_id: str
    reason: str

    def describe(self, zone: tzinfo) -> str:
        return _with_reason(self.step_id, self.reason)


class RollbackCompleted(BaseEvent):
    """Every undo is done or skipped; the check that the source serves again, ticked or
    not (which, and why the rollback ended anyway)."""

    type: Literal["rollback_completed"] = "rollback_completed"
    marker: ClassVar[MarkerKind | None] = "rollback"
    unticked: list[int] = Field(
        default_factory=list, description="Post-rollback checks not ticked when it ended."
    )
    anyway: str = ""

    def describe(self, zone: tzinfo) -> str:
        return _anyway(self.unticked, self.anyway).strip(" ()")


class MessageSent(BaseEvent):
    """A planned communication went out."""

    type: Literal["message_sent"] = "message_sent"
    marker: ClassVar[MarkerKind | None] = None
    message_id: str

    def describe(self, zone: tzinfo) -> str:
        return self.message_id


class NoteAdded(BaseEvent):
    """A free-text note for the log and the debrief."""

    type: Literal["note_added"] = "note_added"
    marker: ClassVar[MarkerKind | None] = "note"
    text: str = Field(max_length=20_000)

    def describe(self, zone: tzinfo) -> str:
        return self.text


class NoteWithdrawn(BaseEvent):
    """A correction: a note written by mistake no longer holds (it stays in the journal)."""

    type: Literal["note_withdrawn"] = "note_withdrawn"
    marker: ClassVar[MarkerKind | None] = "correction"
    note_seq: int = Field(ge=1, description="The seq of the note withdrawn.")
    reason: str

    def describe(self, zone: tzinfo) -> str:
        return f"note #{self.note_seq} withdrawn: {self.reason}"


class SecretRevealed(BaseEvent):
    """A secret was shown or copied: its name and how — never its value."""

    type: Literal["secret_revealed"] = "secret_revealed"
    marker: ClassVar[MarkerKind | None] = None
    name: str
    how: Literal["shown", "copied"]
    source: str = Field(default="", description="Where the value came from (keyring, env…).")

    def describe(self, zone: tzinfo) -> str:
        return f"{self.name} {self.how}"


class ContactCardAdopted(BaseEvent):
    """The contact card file's new content became the card of record (a corrected number).

    Carries the whole new card, as `CutoverStarted` does: the journal alone rebuilds
    what was on screen. Secrets are names only, never values.
    """

    type: Literal["contact_card_adopted"] = "contact_card_adopted"
    marker: ClassVar[MarkerKind | None] = None
    contacts: dict[str, Any] = Field(description="The new card as loaded; secrets are names only.")
    card_path: str = Field(default="", description="The file it was read from.")
    changes: list[str] = Field(
        default_factory=list, description="What differs from the card it replaces, in words."
    )

    def describe(self, zone: tzinfo) -> str:
        return _with_reason("new contact card taken", "; ".join(self.changes))


class ShareModeChanged(BaseEvent):
    """Screen-share mode was switched on or off."""

    type: Literal["share_mode_changed"] = "share_mode_changed"
    marker: ClassVar[MarkerKind | None] = None
    on: bool

    def describe(self, zone: tzinfo) -> str:
        return "on" if self.on else "off"


class CutoverEnded(BaseEvent):
    """The cutover is over, with its outcome."""

    type: Literal["cutover_ended"] = "cutover_ended"
    marker: ClassVar[MarkerKind | None] = "end"
    outcome: Outcome
    summary: str = ""
    unticked: list[int] = Field(
        default_factory=list,
        description="Post-cutover verification items not ticked when it was declared complete.",
    )
    anyway: str = ""

    def describe(self, zone: tzinfo) -> str:
        words = _with_reason(self.outcome.replace("_", " "), self.summary)
        if self.unticked:
            numbers = ", ".join(f"#{index + 1}" for index in self.unticked)
            words += f" (verification {numbers} unticked: {self.anyway})"
        return words


Event = Annotated[
    CutoverStarted
    | SessionResumed
    | SessionClosed
    | PlanRebaselined
    | StepStarted
    | StepCompleted
    | StepReopened
    | StepSkipped
    | StepFailed
    | ItemTicked
    | ItemUnticked
    | CriterionMarked
    | CheckpointDecided
    | PointOfNoReturnCrossed
    | BlockerRaised
    | EscalationCalled
    | BlockerResolved
    | RollbackStarted
    | RollbackStepDone
    | RollbackStepFailed
    | RollbackStepSkipped
    | RollbackCompleted
    | MessageSent
    | NoteAdded
    | NoteWithdrawn
    | SecretRevealed
    | ContactCardAdopted
    | ShareModeChanged
    | CutoverEnded,
    Field(discriminator="type"),
]

#: Every event type a journal can hold: the members of `Event`, in its order. The tables
#: of the other layers are checked against it (tests/test_event_tables.py).
EVENT_CLASSES: tuple[type[BaseEvent], ...] = get_args(get_args(Event)[0])
#: Their `type` tags.
EVENT_TYPES: frozenset[str] = frozenset(cls.model_fields["type"].default for cls in EVENT_CLASSES)


@cache
def _event_adapter() -> TypeAdapter[Event]:
    """The validator of any stored event, built on the first read (it costs tens of
    milliseconds, which a brand-new night need not pay before its first frame)."""
    return TypeAdapter(Event)


def event_from_json(payload: str | bytes) -> Event:
    """Parse one stored event (raises pydantic.ValidationError on a bad payload)."""
    # The adapter's own validator, called directly: a journal is read an event at a
    # time, and the adapter's wrapper would add a third to each parse.
    return _event_adapter().validator.validate_json(payload)  # type: ignore[no-any-return]


def event_to_json(event: BaseEvent) -> str:
    """The canonical JSON of an event: what is stored and hashed."""
    return event.model_dump_json()
