"""The runbook format: the plan of a cutover, validated strictly.

Every model forbids unknown keys, so a typo in a runbook is an error at load time rather
than a field silently ignored at 2 a.m. Cross-checks that span tables (ids resolve,
dependencies point backwards, the point of no return is gated) live in
`Runbook._cross_check` so the loader can report them with their location.

The same models also re-read the plan a journal snapshotted when its night began. A check
added later must not make that journal unopenable, so checks only a *file* gets (plausible
years, times that exist, real zone names, TOML types) run when the loader passes
`file_context()`; control characters are refused by the loader's walk of the file
(`cockpit.model.load.control_character_problems`), which reads `PROSE` on a field's type.
"""

from __future__ import annotations

import functools
import importlib.resources
import os
import re
import zoneinfo
from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    ValidationInfo,
    field_validator,
    model_validator,
)

from cockpit.model.local_time import clock_change_at, local_to_utc
from cockpit.text import one_line

#: Identifiers are short, lower-case and safe to type: they appear in keys, files and reports.
Identifier = Annotated[
    str,
    Field(
        pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$",
        description="A short id: lower-case letters, digits, '-' or '_' (e.g. 'port-activation').",
    ),
]
#: Whole numbers are strict: `minutes = true` or `minutes = 7.5` is a mistake, not 1 or 7.
PositiveMinutes = Annotated[StrictInt, Field(gt=0, le=24 * 60, description="Minutes, more than 0.")]
NonEmptyText = Annotated[str, Field(min_length=1, max_length=10_000)]


class ProseMarker:
    """Marks a text whose value may span lines: instructions, message texts, notes.

    Every other text of a file is one line, so the loader refuses a line break or a tab in
    it as it refuses any control character; a new field is one line unless its type says
    `Prose`. Only the loader reads this marker; validation ignores it.
    """

    def __repr__(self) -> str:
        return "PROSE"


PROSE = ProseMarker()
#: Text that may span lines (tabs allowed too).
Prose = Annotated[str, PROSE]
#: Like `NonEmptyText`, but it may span lines.
NonEmptyProse = Annotated[str, PROSE, Field(min_length=1, max_length=10_000)]

#: Years a window may be in. A plan for 9999 passed validation and then overflowed when
#: the night started; no cutover is planned before 2000 or after 2999.
PLAUSIBLE_YEARS = range(2000, 3000)

_FROM_FILE = "from_file"


def file_context() -> dict[str, Any]:
    """The validation context the loader passes: run the checks only a file gets."""
    return {_FROM_FILE: True}


def from_a_file(info: ValidationInfo) -> bool:
    """Validation of a file being loaded, not of a journal's snapshot of an old plan."""
    return isinstance(info.context, dict) and info.context.get(_FROM_FILE) is True


#: Files in the zone folder that are not the name of a place's time: this machine's own
#: zone (a link Debian adds), the POSIX default rules, and tzdata's zone for unset clocks.
_NOT_ZONES = frozenset({"localtime", "posixrules", "Factory"})


@functools.cache
def iana_zone_names() -> frozenset[str]:
    """Every IANA zone name this machine knows, and 'UTC' (read once: it walks a folder)."""
    return (frozenset(available_timezones()) - _NOT_ZONES) | {"UTC"}


@functools.cache
def is_iana_zone(name: str) -> bool:
    """`name in iana_zone_names()`, for one name, without walking the whole zone folder
    (~15 ms, on every start): the same rules as `available_timezones`, asked of one path.
    The name's folders and file must be listed under exactly that spelling (a
    case-insensitive disk would open 'america/chicago' too), outside the 'right' and
    'posix' variants, and be a zone file."""
    if name == "UTC":
        return True
    parts = name.split("/")
    if name in _NOT_ZONES or parts[0] in ("right", "posix") or "" in parts or ".." in parts:
        return False
    if name in _packaged_zone_names():
        return True
    for root in zoneinfo.TZPATH:
        folder = Path(root)
        if all(_listed(folder / "/".join(parts[:n]), part) for n, part in enumerate(parts)):
            try:
                with (folder / name).open("rb") as file:
                    if file.read(4) == b"TZif":
                        return True
            except OSError:
                continue
    return False


def _listed(folder: Path, entry: str) -> bool:
    try:
        return entry in os.listdir(folder)
    except OSError:
        return False


@functools.cache
def _packaged_zone_names() -> frozenset[str]:
    """The zones of the `tzdata` package, where it is installed (one small file)."""
    try:
        text = importlib.resources.files("tzdata").joinpath("zones").read_text("utf-8")
    except (ImportError, OSError):
        return frozenset()
    return frozenset(line.strip() for line in text.splitlines() if line.strip())


def _shown(value: object) -> str:
    shown = repr(value)
    return shown if len(shown) <= 60 else shown[:57] + "..."


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
    def _known_zone(cls, value: str, info: ValidationInfo) -> str:
        unknown = f"unknown time zone {value!r}: expected an IANA name such as 'Europe/London'"
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(unknown) from error
        # ZoneInfo also opens any file under the zone folder ('localtime', 'posixrules'):
        # this machine's zone, not the window's. A file must name a real zone.
        if from_a_file(info) and not is_iana_zone(value):
            if value in _NOT_ZONES:
                raise ValueError(
                    f"{value!r} is not the name of a place's time zone (it means this "
                    "machine's zone, whichever that is); expected the window's IANA name, "
                    "such as 'America/Chicago' or 'UTC'"
                )
            raise ValueError(unknown)
        return value

    @field_validator("window_start", "window_end", mode="before")
    @classmethod
    def _toml_datetime(cls, value: object, info: ValidationInfo) -> object:
        # Pydantic would also read "2026-12-02T01:00" in quotes, or a number as seconds
        # since 1970 in UTC; in a file only a TOML date-time is what was meant.
        if from_a_file(info) and not isinstance(value, datetime):
            raise ValueError(
                "expected a local date and time without quotes, like 2026-12-02T01:00:00, "
                f"got {_shown(value)}"
            )
        return value

    @field_validator("window_start", "window_end")
    @classmethod
    def _local_time(cls, value: datetime, info: ValidationInfo) -> datetime:
        if value.tzinfo is not None:
            raise ValueError(
                "write the local time without an offset (e.g. 2026-11-24T02:00:00); "
                "the 'timezone' key says which zone it is in"
            )
        if not from_a_file(info):
            return value
        if value.year not in PLAUSIBLE_YEARS:
            raise ValueError(
                f"the year {value.year} is not a plausible year for a cutover; expected a "
                f"year from {PLAUSIBLE_YEARS.start} to {PLAUSIBLE_YEARS.stop - 1}"
            )
        zone = info.data.get("timezone")  # absent when the zone itself is wrong
        change = clock_change_at(value, ZoneInfo(zone)) if isinstance(zone, str) else None
        if change is not None and change.forward:
            raise ValueError(
                f"{value:%H:%M} on {value:%Y-%m-%d} does not exist in {zone}: "
                f"{change.describe()} that night; expected a time before "
                f"{change.wall_before:%H:%M} or from {change.wall_after:%H:%M}"
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
        """Window start as an aware UTC datetime (the first, when the hour repeats)."""
        return local_to_utc(self.window_start, self.zone)

    @property
    def window_end_utc(self) -> datetime:
        """Window end as an aware UTC datetime (the first, when the hour repeats)."""
        return local_to_utc(self.window_end, self.zone)

    @property
    def window_minutes(self) -> int:
        """The window's real length: a fall-back night's 01:00–03:00 lasts 180 minutes.

        Subtracting the wall-clock times would say 120 and hide the repeated hour.
        """
        return int((self.window_end_utc - self.window_start_utc).total_seconds() // 60)


class Rollback(Strict):
    """How to undo one step, and how long that takes."""

    action: NonEmptyText = Field(description="What to do to undo the step.")
    minutes: PositiveMinutes
    commands: list[NonEmptyProse] = Field(
        default_factory=list,
        description="Commands to copy, exactly as written; one may span lines (a script).",
    )
    tested: StrictBool = Field(default=False, description="The undo was exercised in a rehearsal.")


class Step(Strict):
    """One step of the plan, in order."""

    id: Identifier
    title: NonEmptyText
    phase: NonEmptyText | None = Field(
        default=None,
        description=(
            "The part of the night this step belongs to ('Preparation', 'T-60 minutes', "
            "'Cutover'); consecutive steps with the same phase are shown together."
        ),
    )
    owner: NonEmptyText = Field(description="A contact id from the contact card, or a role.")
    minutes: PositiveMinutes = Field(description="Expected minutes.")
    instructions: Prose = ""
    commands: list[NonEmptyProse] = Field(
        default_factory=list,
        description="Commands to copy, exactly as written; one may span lines (a script).",
    )
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
    none: NonEmptyProse | None = Field(
        default=None, description="Why this plan has no point of no return (instead of 'step')."
    )
    why: Prose = Field(default="", description="What becomes impossible once it is crossed.")
    forward_fix: list[NonEmptyProse] = Field(
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
    hours: Annotated[StrictInt, Field(gt=0, le=24 * 30)]


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
    text: NonEmptyProse

    @field_validator("text")
    @classmethod
    def _known_placeholders(cls, value: str) -> str:
        unknown = sorted(
            {name for name in _PLACEHOLDER.findall(value) if name not in MESSAGE_PLACEHOLDERS}
        )
        if unknown:
            allowed = ", ".join("{" + name + "}" for name in sorted(MESSAGE_PLACEHOLDERS))
            # The names are the file's own text: escaped, so an error never drives a terminal.
            raise ValueError(
                f"unknown placeholder {', '.join('{' + one_line(n) + '}' for n in unknown)}; "
                f"expected one of {allowed}"
            )
        return value


class PreWindowItem(Strict):
    """One item of the checklist before the window: done in the weeks before or on the
    night before step 1 (FOC confirmed, card on paper, the senior's approval)."""

    item: NonEmptyText = Field(description="What must be done before the window opens.")
    signed_by: NonEmptyText = Field(
        default="de",
        description="Who signs it off: a contact id from the card, or a role.",
    )


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
    pre_window: list[PreWindowItem] = Field(
        default_factory=list,
        description="The checklist before the window: each item ticked, with who signed it, "
        "before step 1.",
    )
    rollback_verification: list[NonEmptyText] = Field(
        default_factory=list,
        description="After a rollback: how you know the source system serves again.",
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
