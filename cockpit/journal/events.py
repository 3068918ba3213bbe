"""The events of a cutover: what happened, in order, and nothing else.

Each event is a small frozen pydantic model with a `type` tag, a sequence number, a UTC
time, a unique id and the format version. The journal stores them as JSON; `fold`
rebuilds any moment from them. Events are never changed or deleted: a correction is a new
event.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, TypeAdapter, field_validator

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


class BaseEvent(BaseModel):
    """Fields every event has."""

    # Deferred: a model's validator is built when first used, not at import, so a new
    # night pays only for the few events it writes before its first frame.
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    seq: int = Field(ge=1, description="Position in the journal, from 1, without gaps.")
    at: AwareDatetime = Field(description="When it happened (UTC).")
    event_id: str = Field(min_length=1, max_length=100, description="Unique; retries dedupe.")
    v: int = EVENT_FORMAT

    @field_validator("at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return value.astimezone(UTC)


class CutoverStarted(BaseEvent):
    """The first event: the plan of record, snapshotted, and how this run is meant."""

    type: Literal["cutover_started"] = "cutover_started"
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


class SessionResumed(BaseEvent):
    """The cockpit was started again on this journal."""

    type: Literal["session_resumed"] = "session_resumed"
    operator: str = ""
    runbook_changed: bool = Field(
        default=False, description="The runbook file differs from the snapshot of record."
    )
    following_snapshot: bool = True
    card_changed: bool = Field(
        default=False,
        description="The contact card file differs from the card of record (not taken yet).",
    )


class PlanRebaselined(BaseEvent):
    """The plan's start moved (a rehearsal starting now, or a live window that moved)."""

    type: Literal["plan_rebaselined"] = "plan_rebaselined"
    plan_start: AwareDatetime
    reason: str


class StepStarted(BaseEvent):
    """A step began."""

    type: Literal["step_started"] = "step_started"
    step_id: str


class StepCompleted(BaseEvent):
    """A running step finished and its verify items were checked."""

    type: Literal["step_completed"] = "step_completed"
    step_id: str


class StepSkipped(BaseEvent):
    """A step was deliberately not done."""

    type: Literal["step_skipped"] = "step_skipped"
    step_id: str
    reason: str


class StepFailed(BaseEvent):
    """A step did not work; it can be retried, skipped or rolled back."""

    type: Literal["step_failed"] = "step_failed"
    step_id: str
    reason: str


class CriterionMarked(BaseEvent):
    """A go/no-go criterion was marked met or not met."""

    type: Literal["criterion_marked"] = "criterion_marked"
    checkpoint_id: str
    index: int = Field(ge=0)
    met: bool


class CheckpointDecided(BaseEvent):
    """A go, no-go or hold on a checkpoint, with who and why."""

    type: Literal["checkpoint_decided"] = "checkpoint_decided"
    checkpoint_id: str
    decision: Decision
    by: str
    reason: str = ""


class PointOfNoReturnCrossed(BaseEvent):
    """The point-of-no-return step started, on the strength of a recorded go."""

    type: Literal["ponr_crossed"] = "ponr_crossed"
    step_id: str
    checkpoint_id: str
    go_seq: int = Field(description="The seq of the go decision this crossing relied on.")


class BlockerRaised(BaseEvent):
    """Something is stuck: the escalation countdown starts."""

    type: Literal["blocker_raised"] = "blocker_raised"
    blocker_id: str
    what: str
    step_id: str | None = None
    deadline: AwareDatetime = Field(description="When the escalation rule says: call now.")


class EscalationCalled(BaseEvent):
    """The on-call senior (or another contact) was called about the open blocker."""

    type: Literal["escalation_called"] = "escalation_called"
    blocker_id: str
    contact_id: str
    contact_name: str


class BlockerResolved(BaseEvent):
    """The open blocker was resolved."""

    type: Literal["blocker_resolved"] = "blocker_resolved"
    blocker_id: str
    how: str


class RollbackStarted(BaseEvent):
    """Rollback began: the checklist is the undo of the done steps, in reverse."""

    type: Literal["rollback_started"] = "rollback_started"
    reason: str
    steps: list[str] = Field(description="Step ids to undo, in the order to undo them.")
    after_ponr: bool = False


class RollbackStepDone(BaseEvent):
    """One undo of the rollback checklist was done."""

    type: Literal["rollback_step_done"] = "rollback_step_done"
    step_id: str


class RollbackCompleted(BaseEvent):
    """Every undo is done."""

    type: Literal["rollback_completed"] = "rollback_completed"


class MessageSent(BaseEvent):
    """A planned communication went out."""

    type: Literal["message_sent"] = "message_sent"
    message_id: str


class NoteAdded(BaseEvent):
    """A free-text note for the log and the debrief."""

    type: Literal["note_added"] = "note_added"
    text: str = Field(max_length=20_000)


class SecretRevealed(BaseEvent):
    """A secret was shown or copied: its name and how — never its value."""

    type: Literal["secret_revealed"] = "secret_revealed"
    name: str
    how: Literal["shown", "copied"]
    source: str = Field(default="", description="Where the value came from (keyring, env…).")


class ContactCardAdopted(BaseEvent):
    """The contact card file's new content became the card of record (a corrected number).

    Carries the whole new card, as `CutoverStarted` does: the journal alone rebuilds
    what was on screen. Secrets are names only, never values.
    """

    type: Literal["contact_card_adopted"] = "contact_card_adopted"
    contacts: dict[str, Any] = Field(description="The new card as loaded; secrets are names only.")
    card_path: str = Field(default="", description="The file it was read from.")
    changes: list[str] = Field(
        default_factory=list, description="What differs from the card it replaces, in words."
    )


class ShareModeChanged(BaseEvent):
    """Screen-share mode was switched on or off."""

    type: Literal["share_mode_changed"] = "share_mode_changed"
    on: bool


class CutoverEnded(BaseEvent):
    """The cutover is over, with its outcome."""

    type: Literal["cutover_ended"] = "cutover_ended"
    outcome: Outcome
    summary: str = ""


Event = Annotated[
    CutoverStarted
    | SessionResumed
    | PlanRebaselined
    | StepStarted
    | StepCompleted
    | StepSkipped
    | StepFailed
    | CriterionMarked
    | CheckpointDecided
    | PointOfNoReturnCrossed
    | BlockerRaised
    | EscalationCalled
    | BlockerResolved
    | RollbackStarted
    | RollbackStepDone
    | RollbackCompleted
    | MessageSent
    | NoteAdded
    | SecretRevealed
    | ContactCardAdopted
    | ShareModeChanged
    | CutoverEnded,
    Field(discriminator="type"),
]

EVENT_TYPES: frozenset[str] = frozenset(
    cls.model_fields["type"].default for cls in BaseEvent.__subclasses__()
)


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
