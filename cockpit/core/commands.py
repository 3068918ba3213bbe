"""Commands: what the operator asks for. `decide` turns each into events or a refusal.

Every command carries a unique id made when it is issued; the events it produces take
their ids from it, so a command retried after a failed write is never journaled twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar, Literal
from uuid import uuid4

from cockpit.journal.events import Checklist


def _new_id() -> str:
    return uuid4().hex


@dataclass(frozen=True, kw_only=True)
class Command:
    """Base of every command.

    Every command class declares `free_text` itself: the fields a DE types into, where a
    revealed secret could be pasted (`cockpit.core.redact` replaces it there before the
    command is decided). A test refuses a class that leaves it to its base.
    """

    command_id: str = field(default_factory=_new_id)
    free_text: ClassVar[tuple[str, ...]] = ()


@dataclass(frozen=True, kw_only=True)
class StartCutover(Command):
    """Open a new journal: snapshot the plan and say how this run is meant."""

    free_text: ClassVar[tuple[str, ...]] = ()
    runbook: dict[str, Any]
    runbook_sha256: str
    contacts: dict[str, Any] | None
    mode: Literal["live", "rehearsal"]
    operator: str
    runbook_path: str = ""
    plan_start: datetime | None = None
    app_version: str = ""


@dataclass(frozen=True, kw_only=True)
class ResumeSession(Command):
    """The cockpit started again on an existing journal."""

    free_text: ClassVar[tuple[str, ...]] = ()
    operator: str = ""
    runbook_changed: bool = False
    card_changed: bool = False
    #: The journal's last event is not a clean quit: the previous session crashed, was
    #: killed, or lost power (the session tells this from the journal before resuming).
    after_crash: bool = False


@dataclass(frozen=True, kw_only=True)
class CloseSession(Command):
    """The DE quit the cockpit cleanly: the last thing a session writes before closing."""

    free_text: ClassVar[tuple[str, ...]] = ()
    operator: str = ""


@dataclass(frozen=True, kw_only=True)
class Rebaseline(Command):
    """Move the plan's start (a rehearsal starting now, a live window that moved)."""

    free_text: ClassVar[tuple[str, ...]] = ("reason",)
    plan_start: datetime
    reason: str


@dataclass(frozen=True, kw_only=True)
class StartStep(Command):
    """Begin a step. Crossing the point of no return needs `confirm_ponr`; starting a
    live night with the checklist before the window unticked needs `anyway` (why)."""

    free_text: ClassVar[tuple[str, ...]] = ("anyway",)
    step_id: str
    confirm_ponr: bool = False
    anyway: str = ""


@dataclass(frozen=True, kw_only=True)
class CompleteStep(Command):
    """Finish the running step. With verify items unticked, `anyway` says why."""

    free_text: ClassVar[tuple[str, ...]] = ("anyway",)
    step_id: str
    anyway: str = ""


@dataclass(frozen=True, kw_only=True)
class ReopenStep(Command):
    """A correction: a step completed, skipped or failed by mistake is open again."""

    free_text: ClassVar[tuple[str, ...]] = ("reason",)
    step_id: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class TickItem(Command):
    """An item of a checklist was seen done (by `by`, else the operator)."""

    free_text: ClassVar[tuple[str, ...]] = ("by",)
    checklist: Checklist
    index: int
    step_id: str | None = None
    by: str = ""


@dataclass(frozen=True, kw_only=True)
class UntickItem(Command):
    """A correction: a tick given by mistake is withdrawn."""

    free_text: ClassVar[tuple[str, ...]] = ("reason",)
    checklist: Checklist
    index: int
    reason: str
    step_id: str | None = None


@dataclass(frozen=True, kw_only=True)
class SkipStep(Command):
    """Deliberately not do a step."""

    free_text: ClassVar[tuple[str, ...]] = ("reason",)
    step_id: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class FailStep(Command):
    """Record that the running step did not work."""

    free_text: ClassVar[tuple[str, ...]] = ("reason",)
    step_id: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class MarkCriterion(Command):
    """Mark a go/no-go criterion met or not met."""

    free_text: ClassVar[tuple[str, ...]] = ()
    checkpoint_id: str
    index: int
    met: bool


@dataclass(frozen=True, kw_only=True)
class DecideCheckpoint(Command):
    """Go, no-go or hold on a checkpoint."""

    free_text: ClassVar[tuple[str, ...]] = ("reason", "by")
    checkpoint_id: str
    decision: Literal["go", "no_go", "hold"]
    by: str
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class RaiseBlocker(Command):
    """Something is stuck: start the escalation countdown."""

    free_text: ClassVar[tuple[str, ...]] = ("what",)
    what: str
    step_id: str | None = None


@dataclass(frozen=True, kw_only=True)
class LogEscalation(Command):
    """A call was made, and what was agreed. Without a contact id it was the on-call
    senior; with a blocker open, it is that blocker's escalation."""

    free_text: ClassVar[tuple[str, ...]] = ("agreed",)
    contact_id: str | None = None
    agreed: str = ""


@dataclass(frozen=True, kw_only=True)
class ResolveBlocker(Command):
    """The open blocker is resolved."""

    free_text: ClassVar[tuple[str, ...]] = ("how",)
    how: str


@dataclass(frozen=True, kw_only=True)
class StartRollback(Command):
    """Begin the rollback: undo the steps done so far, in reverse."""

    free_text: ClassVar[tuple[str, ...]] = ("reason",)
    reason: str


@dataclass(frozen=True, kw_only=True)
class MarkRollbackStep(Command):
    """One undo of the rollback checklist is done."""

    free_text: ClassVar[tuple[str, ...]] = ()
    step_id: str


@dataclass(frozen=True, kw_only=True)
class FailRollbackStep(Command):
    """One undo did not work."""

    free_text: ClassVar[tuple[str, ...]] = ("reason",)
    step_id: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class SkipRollbackStep(Command):
    """One undo is deliberately not done."""

    free_text: ClassVar[tuple[str, ...]] = ("reason",)
    step_id: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class CompleteRollback(Command):
    """Every undo is done: the cutover ends as rolled back. With the check after the
    rollback unticked, `anyway` says why."""

    free_text: ClassVar[tuple[str, ...]] = ("summary", "anyway")
    summary: str = ""
    anyway: str = ""


@dataclass(frozen=True, kw_only=True)
class MarkMessageSent(Command):
    """A planned communication went out."""

    free_text: ClassVar[tuple[str, ...]] = ()
    message_id: str


@dataclass(frozen=True, kw_only=True)
class AddNote(Command):
    """A free-text note."""

    free_text: ClassVar[tuple[str, ...]] = ("text",)
    text: str


@dataclass(frozen=True, kw_only=True)
class WithdrawNote(Command):
    """A correction: the note at `note_seq` was written by mistake."""

    free_text: ClassVar[tuple[str, ...]] = ("reason",)
    note_seq: int
    reason: str


@dataclass(frozen=True, kw_only=True)
class RecordSecretReveal(Command):
    """A secret was shown or copied (its name, never its value)."""

    free_text: ClassVar[tuple[str, ...]] = ()
    name: str
    how: Literal["shown", "copied"]
    source: str = ""


@dataclass(frozen=True, kw_only=True)
class AdoptContactCard(Command):
    """Take the contact card file's new content as the card of record.

    `contacts` is the card as loaded (`ContactCard.model_dump(mode="json")`): secrets are
    references, so no value can reach the journal through it.
    """

    free_text: ClassVar[tuple[str, ...]] = ()
    contacts: dict[str, Any]
    card_path: str = ""


@dataclass(frozen=True, kw_only=True)
class SetShareMode(Command):
    """Screen-share mode on or off."""

    free_text: ClassVar[tuple[str, ...]] = ()
    on: bool


@dataclass(frozen=True, kw_only=True)
class DeclareComplete(Command):
    """Every step is done: the cutover is live. With the post-cutover verification
    unticked, `anyway` says why."""

    free_text: ClassVar[tuple[str, ...]] = ("summary", "anyway")
    summary: str = ""
    anyway: str = ""


@dataclass(frozen=True, kw_only=True)
class Abandon(Command):
    """End the cutover without completing it and without a rollback."""

    free_text: ClassVar[tuple[str, ...]] = ("reason",)
    reason: str


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a command was not carried out, in words a person understands.

    `code` lets the screen react (for example, ask to confirm the point of no return).
    """

    reason: str
    code: str = "refused"
