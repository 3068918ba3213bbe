"""The runbook format: the plan of a cutover, validated strictly.

Every model forbids unknown keys, so a typo in a runbook is an error at load time rather
than a field silently ignored at 2 a.m. Cross-checks that span tables (ids resolve,
dependencies point backwards, the point of no return is gated) live in
`Runbook._cross_check` so the loader can report them with their location.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

#: Identifiers are short, lower-case and safe to type: they appear in keys, files and reports.
Identifier = Annotated[
    str,
    Field(
        pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$",
        description="A short id: lower-case letters, digits, '-' or '_' (e.g. 'port-activation').",
    ),
]
PositiveMinutes = Annotated[int, Field(gt=0, le=24 * 60, description="Minutes, more than 0.")]
NonEmptyText = Annotated[str, Field(min_length=1, max_length=10_000)]

#: Placeholders a message text may use; rendered by `cockpit.core.comms`.
MESSAGE_PLACEHOLDERS = frozenset(
    {
        "title",
        "customer",
        "window",
        "window_start",
        "window_end",
        "now",
        "projected_finish",
        "delay_minutes",
        "operator",
        "step",
        "checkpoint",
        "reason",
    }
)
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


class Strict(BaseModel):
    """Base for every file-format model: frozen, and unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Meta(Strict):
    """The `[runbook]` table: what this cutover is and when it may happen."""

    id: Identifier
    title: NonEmptyText
    version: NonEmptyText = Field(description="The plan's own version, e.g. '1.3'.")
    customer: NonEmptyText
    operator_role: NonEmptyText = Field(
        default="Deployment engineer", description="Who runs the cockpit on the night."
    )
    timezone: str = Field(description="IANA time zone of the window, e.g. 'America/Chicago'.")
    window_start: datetime = Field(description="Local start of the maintenance window.")
    window_end: datetime = Field(description="Local end of the maintenance window.")
    rto_minutes: PositiveMinutes = Field(
        description="Recovery time objective: how long a rollback may take."
    )
    escalation_minutes: PositiveMinutes = Field(
        default=30, description="Stuck this long on a blocker: call the on-call senior."
    )
    contact_card: str | None = Field(
        default=None,
        description="Path of the contact card, relative to this runbook file.",
    )

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(
                f"unknown time zone {value!r}: expected an IANA name such as 'Europe/London'"
            ) from error
        return value

    @field_validator("window_start", "window_end")
    @classmethod
    def _local_time(cls, value: datetime) -> datetime:
        if value.tzinfo is not None:
            raise ValueError(
                "write the local time without an offset (e.g. 2026-11-24T02:00:00); "
                "the 'timezone' key says which zone it is in"
            )
        return value

    @model_validator(mode="after")
    def _window_order(self) -> Meta:
        if self.window_end <= self.window_start:
            raise ValueError("window_end must be after window_start")
        if self.window_end - self.window_start > timedelta(days=2):
            raise ValueError("the window is longer than 48 hours: check window_start/window_end")
        return self

    @property
    def zone(self) -> ZoneInfo:
        """The window's time zone."""
        return ZoneInfo(self.timezone)

    @property
    def window_start_utc(self) -> datetime:
        """Window start as an aware UTC datetime."""
        return self.window_start.replace(tzinfo=self.zone).astimezone(ZoneInfo("UTC"))

    @property
    def window_end_utc(self) -> datetime:
        """Window end as an aware UTC datetime."""
        return self.window_end.replace(tzinfo=self.zone).astimezone(ZoneInfo("UTC"))


class Rollback(Strict):
    """How to undo one step, and how long that takes."""

    action: NonEmptyText = Field(description="What to do to undo the step.")
    minutes: PositiveMinutes
    commands: list[NonEmptyText] = Field(default_factory=list)
    tested: bool = Field(default=False, description="The undo was exercised in a rehearsal.")


class Step(Strict):
    """One step of the plan, in order."""

    id: Identifier
    title: NonEmptyText
    owner: NonEmptyText = Field(description="A contact id from the contact card, or a role.")
    minutes: PositiveMinutes = Field(description="Expected minutes.")
    instructions: str = ""
    commands: list[NonEmptyText] = Field(default_factory=list)
    verify: list[NonEmptyText] = Field(default_factory=list)
    depends_on: list[Identifier] = Field(default_factory=list)
    rollback: Rollback | None = None
    no_rollback: NonEmptyText | None = Field(
        default=None, description="Why this step needs no rollback (instead of 'rollback')."
    )

    @model_validator(mode="after")
    def _one_rollback_answer(self) -> Step:
        if self.rollback is not None and self.no_rollback is not None:
            raise ValueError("give either 'rollback' or 'no_rollback', not both")
        return self


class Checkpoint(Strict):
    """A go/no-go gate before a step: explicit criteria and who decides."""

    id: Identifier
    before: Identifier = Field(description="The id of the step this checkpoint gates.")
    title: NonEmptyText
    criteria: list[NonEmptyText] = Field(min_length=1, max_length=9)
    decider: NonEmptyText = Field(description="Who decides: a contact id or a role.")
    no_go_means: NonEmptyText = Field(description="What happens on a no-go.")


class PointOfNoReturn(Strict):
    """The step after which rollback is impossible or far more expensive — or none."""

    step: Identifier | None = Field(default=None, description="The step that crosses it.")
    none: NonEmptyText | None = Field(
        default=None, description="Why this plan has no point of no return (instead of 'step')."
    )
    why: str = Field(default="", description="What becomes impossible once it is crossed.")
    forward_fix: list[NonEmptyText] = Field(
        default_factory=list, description="What to do instead of a rollback once past it."
    )

    @model_validator(mode="after")
    def _step_or_none(self) -> PointOfNoReturn:
        if (self.step is None) == (self.none is None):
            raise ValueError("give exactly one of 'step' (the step that crosses it) or 'none'")
        return self


class PostCutoverWrite(Strict):
    """Data written to the target after cutover that a rollback would lose."""

    what: NonEmptyText
    kept_by: NonEmptyText = Field(description="How it is kept if we roll back.")


class Stakeholder(Strict):
    """Someone the communication plan must reach."""

    id: Identifier
    name: NonEmptyText
    channel: NonEmptyText = Field(default="email", description="email, phone, sms, chat…")
    contact: Identifier | None = Field(default=None, description="Contact id on the card.")


class BeforeWindow(Strict):
    """Send this many hours before the window starts."""

    kind: Literal["before_window"]
    hours: Annotated[int, Field(gt=0, le=24 * 30)]


class WindowStart(Strict):
    """Send when the window opens."""

    kind: Literal["window_start"]


class CheckpointGo(Strict):
    """Send when a checkpoint is decided go."""

    kind: Literal["checkpoint_go"]
    checkpoint: Identifier


class Delay(Strict):
    """Send when the projected finish slips past the plan by this many minutes."""

    kind: Literal["delay"]
    minutes: PositiveMinutes


class StepCompleted(Strict):
    """Send when a step completes."""

    kind: Literal["step_completed"]
    step: Identifier


class RollbackStarted(Strict):
    """Send when a rollback starts."""

    kind: Literal["rollback_started"]


class RollbackCompleted(Strict):
    """Send when a rollback has completed."""

    kind: Literal["rollback_completed"]


class Completed(Strict):
    """Send when the cutover is declared complete."""

    kind: Literal["completed"]


Trigger = Annotated[
    BeforeWindow
    | WindowStart
    | CheckpointGo
    | Delay
    | StepCompleted
    | RollbackStarted
    | RollbackCompleted
    | Completed,
    Field(discriminator="kind"),
]


class Message(Strict):
    """A planned communication: to whom, what, and when."""

    id: Identifier
    audience: list[Identifier] = Field(min_length=1, description="Stakeholder ids.")
    trigger: Trigger
    text: NonEmptyText

    @field_validator("text")
    @classmethod
    def _known_placeholders(cls, value: str) -> str:
        unknown = sorted(
            {name for name in _PLACEHOLDER.findall(value) if name not in MESSAGE_PLACEHOLDERS}
        )
        if unknown:
            allowed = ", ".join("{" + name + "}" for name in sorted(MESSAGE_PLACEHOLDERS))
            raise ValueError(
                f"unknown placeholder {', '.join('{' + n + '}' for n in unknown)}; "
                f"expected one of {allowed}"
            )
        return value


class Communications(Strict):
    """The communication plan."""

    stakeholders: list[Stakeholder] = Field(default_factory=list)
    messages: list[Message] = Field(default_factory=list)


class Runbook(Strict):
    """A whole cutover plan, as written in `runbooks/*.toml`."""

    runbook: Meta
    steps: list[Step] = Field(min_length=1, max_length=5000)
    checkpoints: list[Checkpoint] = Field(default_factory=list)
    point_of_no_return: PointOfNoReturn
    post_cutover_writes: list[PostCutoverWrite] = Field(default_factory=list)
    communications: Communications = Field(default_factory=Communications)
    verification: list[NonEmptyText] = Field(
        default_factory=list, description="The post-cutover verification checklist."
    )

    # ---- lookups -------------------------------------------------------------------

    @property
    def meta(self) -> Meta:
        """The metadata table (named `[runbook]` in the file)."""
        return self.runbook

    def step(self, step_id: str) -> Step:
        """The step with this id (KeyError when there is none)."""
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(step_id)

    def step_index(self, step_id: str) -> int:
        """Position of a step in the plan."""
        for index, step in enumerate(self.steps):
            if step.id == step_id:
                return index
        raise KeyError(step_id)

    def checkpoint(self, checkpoint_id: str) -> Checkpoint:
        """The checkpoint with this id."""
        for checkpoint in self.checkpoints:
            if checkpoint.id == checkpoint_id:
                return checkpoint
        raise KeyError(checkpoint_id)

    def checkpoints_before(self, step_id: str) -> list[Checkpoint]:
        """Checkpoints that gate this step, in file order."""
        return [cp for cp in self.checkpoints if cp.before == step_id]

    def message(self, message_id: str) -> Message:
        """The message with this id."""
        for message in self.communications.messages:
            if message.id == message_id:
                return message
        raise KeyError(message_id)

    @property
    def ponr_step(self) -> str | None:
        """The id of the step that crosses the point of no return, if any."""
        return self.point_of_no_return.step

    @property
    def ponr_checkpoint(self) -> Checkpoint | None:
        """The checkpoint whose go allows crossing the point of no return.

        It is the last checkpoint gating the point-of-no-return step or any step before it.
        """
        if self.ponr_step is None:
            return None
        ponr_index = self.step_index(self.ponr_step)
        candidates = [cp for cp in self.checkpoints if self.step_index(cp.before) <= ponr_index]
        if not candidates:
            return None
        return max(candidates, key=lambda cp: self.step_index(cp.before))

    @property
    def total_minutes(self) -> int:
        """Planned minutes of every step together."""
        return sum(step.minutes for step in self.steps)

    # ---- cross-checks ----------------------------------------------------------------

    @model_validator(mode="after")
    def _cross_check(self) -> Runbook:
        problems = list(cross_check_problems(self))
        if problems:
            # One ValueError per model validator; the loader splits it back into lines,
            # each starting with the location path it concerns.
            raise ValueError("\n".join(problems))
        return self


def cross_check_problems(runbook: Runbook) -> list[str]:
    """Problems that span tables, each as 'path.to.field: what is wrong'.

    The path prefix lets the loader find the line of the offending table.
    """
    problems: list[str] = []
    step_ids: dict[str, int] = {}
    for index, step in enumerate(runbook.steps):
        if step.id in step_ids:
            problems.append(f"steps.{index}.id: duplicate step id {step.id!r}")
        step_ids.setdefault(step.id, index)
    for index, step in enumerate(runbook.steps):
        for dep in step.depends_on:
            if dep not in step_ids:
                problems.append(
                    f"steps.{index}.depends_on: step {step.id!r} depends on unknown step {dep!r}"
                )
            elif step_ids[dep] >= index:
                problems.append(
                    f"steps.{index}.depends_on: step {step.id!r} depends on {dep!r}, which comes "
                    "at or after it; depends_on must point to an earlier step"
                )
    checkpoint_ids: set[str] = set()
    for index, checkpoint in enumerate(runbook.checkpoints):
        if checkpoint.id in checkpoint_ids:
            problems.append(f"checkpoints.{index}.id: duplicate checkpoint id {checkpoint.id!r}")
        checkpoint_ids.add(checkpoint.id)
        if checkpoint.before not in step_ids:
            problems.append(
                f"checkpoints.{index}.before: checkpoint {checkpoint.id!r} gates unknown step "
                f"{checkpoint.before!r}; expected one of the step ids"
            )
        elif len(runbook.checkpoints_before(checkpoint.before)) > 1:
            problems.append(
                f"checkpoints.{index}.before: more than one checkpoint gates step "
                f"{checkpoint.before!r}; merge their criteria into one checkpoint"
            )
    ponr = runbook.point_of_no_return
    if ponr.step is not None:
        if ponr.step not in step_ids:
            problems.append(
                f"point_of_no_return.step: unknown step {ponr.step!r}; expected one of the step ids"
            )
        elif not any(
            cp.before in step_ids and step_ids[cp.before] <= step_ids[ponr.step]
            for cp in runbook.checkpoints
        ):
            problems.append(
                f"point_of_no_return.step: no go/no-go checkpoint gates {ponr.step!r} or a step "
                "before it; add a [[checkpoints]] with before = "
                f"{ponr.step!r} so the point of no return needs a recorded go"
            )
    stakeholder_ids: set[str] = set()
    for index, stakeholder in enumerate(runbook.communications.stakeholders):
        if stakeholder.id in stakeholder_ids:
            problems.append(
                f"communications.stakeholders.{index}.id: duplicate stakeholder id "
                f"{stakeholder.id!r}"
            )
        stakeholder_ids.add(stakeholder.id)
    message_ids: set[str] = set()
    for index, message in enumerate(runbook.communications.messages):
        where = f"communications.messages.{index}"
        if message.id in message_ids:
            problems.append(f"{where}.id: duplicate message id {message.id!r}")
        message_ids.add(message.id)
        for audience in message.audience:
            if audience not in stakeholder_ids:
                problems.append(
                    f"{where}.audience: message {message.id!r} is addressed to unknown "
                    f"stakeholder {audience!r}; expected one of the stakeholder ids"
                )
        trigger = message.trigger
        if isinstance(trigger, CheckpointGo) and trigger.checkpoint not in checkpoint_ids:
            problems.append(
                f"{where}.trigger.checkpoint: message {message.id!r} waits for unknown "
                f"checkpoint {trigger.checkpoint!r}"
            )
        if isinstance(trigger, StepCompleted) and trigger.step not in step_ids:
            problems.append(
                f"{where}.trigger.step: message {message.id!r} waits for unknown step "
                f"{trigger.step!r}"
            )
    return problems
