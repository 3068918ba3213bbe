"""The readiness review: is this plan fit to run tonight, not just well-formed?

The format validation (`cockpit.model.load`) says a runbook *can* be run. This module
says whether it *should* be: every step has a rollback or a reason it needs none, the
point of no return is gated right before it, criteria are checkable, the rollback fits the
RTO and the window, every stakeholder hears the notice, the go and the rollback outcome,
the contact card has someone to call for everything the plan mentions, and a rehearsal
journal proves the plan was run end to end, rollback included.

Each rule is a function of a `Subject` returning `Finding`s. A finding has a stable rule
id (`R102`) and name (`rollback-missing`), a severity, the file and line, the step or
checkpoint it concerns and a one-line fix, so a person can act on it and a script can
gate on it. The ids are grouped by hundreds:

* R1xx steps · R2xx point of no return · R3xx checkpoints · R4xx time (RTO, window)
* R5xx communications · R6xx verification · R7xx contact card · R8xx rehearsal
* R9xx placeholders left to fill in (from `cockpit import` and `cockpit new`)

No Textual here: `cockpit check` prints these, and anything else may use them.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from cockpit.errors import FileProblems, Problem
from cockpit.model.contacts import ContactCard, SecretRef
from cockpit.model.locate import find_line, line_map
from cockpit.model.runbook import (
    BeforeWindow,
    Completed,
    Delay,
    RollbackCompleted,
    Runbook,
    StepCompleted,
)

Severity = Literal["error", "warning"]
Location = tuple[str | int, ...]


# ---- the rules, by id -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """What a rule checks: its stable id and name, how bad a finding is, in one line."""

    id: str
    name: str
    severity: Severity
    summary: str


_RULES_TABLE: tuple[tuple[str, str, Severity, str], ...] = (
    ("R101", "step-no-verify", "warning", "every step has at least one verify item"),
    ("R102", "rollback-missing", "error", "steps before the point of no return have a rollback"),
    ("R103", "owner-unassigned", "error", "every step has a real owner (not TBD, ?, n/a)"),
    ("R104", "rollback-untested", "warning", "rollbacks before the PONR were tested"),
    ("R105", "no-rollback-reason-vague", "error", "no_rollback says why, not just 'n/a'"),
    ("R201", "ponr-not-gated", "error", "a go/no-go gates the point-of-no-return step itself"),
    ("R202", "ponr-no-forward-fix", "warning", "past the point of no return: a forward fix"),
    ("R203", "post-cutover-writes-missing", "error", "data written after the PONR described"),
    ("R301", "criterion-vague", "error", "go/no-go criteria are explicit and checkable"),
    ("R302", "decider-unassigned", "error", "every checkpoint has a real decider"),
    ("R401", "rollback-over-rto", "error", "the latest possible rollback fits the RTO"),
    ("R402", "plan-over-window", "error", "the plan fits the maintenance window"),
    ("R403", "plan-and-rollback-over-window", "error", "plan plus latest rollback fit the window"),
    ("R500", "comms-plan-missing", "error", "the communication plan names its stakeholders"),
    ("R501", "stakeholder-not-notified", "error", "each stakeholder gets a notice before"),
    ("R502", "stakeholder-misses-completion", "error", "each stakeholder hears the completion"),
    ("R503", "stakeholder-misses-rollback", "error", "each stakeholder hears a rollback outcome"),
    ("R504", "no-delay-message", "warning", "a message goes out when the plan slips"),
    ("R601", "verification-missing", "error", "a post-cutover verification checklist exists"),
    ("R701", "owner-not-on-card", "error", "every step owner resolves on the contact card"),
    ("R702", "decider-not-on-card", "error", "every checkpoint decider resolves on the card"),
    ("R703", "stakeholder-contact-not-on-card", "error", "stakeholder contacts are on the card"),
    ("R704", "no-on-call-senior", "error", "the card names an on-call senior with a phone"),
    ("R705", "mentioned-contact-missing", "warning", "carrier / vendor / NOC named are on card"),
    ("R706", "secret-not-named", "warning", "PINs and passwords the plan mentions are named"),
    ("R707", "no-contact-card", "warning", "a contact card is given"),
    ("R801", "never-rehearsed", "warning", "the plan was rehearsed (--rehearsal JOURNAL)"),
    ("R802", "rehearsal-other-runbook", "error", "the rehearsal ran this same runbook"),
    ("R803", "step-not-rehearsed", "error", "the rehearsal executed every step"),
    ("R804", "rollback-not-rehearsed", "error", "the rehearsal executed a rollback end to end"),
    ("R805", "rehearsed-rollback-over-rto", "error", "the rehearsed rollback fit the RTO"),
    ("R806", "rehearsed-rollback-partial", "warning", "the rehearsed rollback undid everything"),
    ("R807", "rehearsal-drift", "warning", "rehearsed step times close to the plan"),
    ("R808", "rehearsal-was-live", "warning", "the journal given as rehearsal is a rehearsal"),
    ("R901", "placeholder", "error", "no TODO / TBD placeholders are left to fill in"),
)

#: Every rule, by id.
RULE_INFO: dict[str, RuleInfo] = {
    rule_id: RuleInfo(rule_id, name, severity, summary)
    for rule_id, name, severity, summary in _RULES_TABLE
}


# ---- findings and what the rules look at ------------------------------------------------


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing the review found: which rule, how bad, which file and line, what, the fix."""

    severity: Severity
    path: Path | str
    problem: Problem
    rule: str = ""
    fix: str = ""
    concerns: tuple[str, str] | None = None  # ("step", "port-activation"), ("checkpoint", …)

    @property
    def name(self) -> str:
        """The rule's name (`rollback-missing`), or an empty string."""
        info = RULE_INFO.get(self.rule)
        return info.name if info is not None else ""

    def render(self) -> str:
        """`file:line: error: where: message [R102 rollback-missing]`, like a compiler's."""
        problem = self.problem
        location = f"{self.path}:{problem.line}" if problem.line else f"{self.path}"
        where = f"{problem.where}: " if problem.where else ""
        tag = f" [{self.rule} {self.name}]" if self.rule else ""
        return f"{location}: {self.severity}: {where}{problem.message}{tag}"

    def to_json(self) -> dict[str, Any]:
        """A plain dictionary for `--format json`."""
        data: dict[str, Any] = {
            "rule": self.rule,
            "name": self.name,
            "severity": self.severity,
            "file": str(self.path),
            "line": self.problem.line,
            "where": self.problem.where,
            "message": self.problem.message,
            "fix": self.fix,
        }
        if self.concerns is not None:
            data[self.concerns[0]] = self.concerns[1]
        return data


@dataclass(frozen=True)
class Subject:
    """What the rules look at: the runbook, its card, their texts, and rehearsal journals.

    `rehearsals` is None when no `--rehearsal` was given (the plan was never rehearsed),
    and a tuple of the journals read otherwise.
    """

    runbook: Runbook
    runbook_path: Path
    runbook_text: str
    card: ContactCard | None = None
    card_path: Path | None = None
    card_text: str = ""
    rehearsals: tuple[RehearsalRun, ...] | None = None

    @cached_property
    def lines(self) -> dict[Location, int]:
        """Line of every key path in the runbook's text."""
        return line_map(self.runbook_text) if self.runbook_text else {}

    @cached_property
    def data(self) -> dict[str, Any]:
        """The runbook as parsed TOML (for naming locations), or the model's dump."""
        try:
            return tomllib.loads(self.runbook_text)
        except (tomllib.TOMLDecodeError, RecursionError, ValueError):
            return self.runbook.model_dump(mode="json")

    def line(self, location: Location) -> int | None:
        """The line of a location in the runbook (its longest present prefix)."""
        return find_line(self.lines, location)

    def describe(self, location: Location) -> str:
        """A human name for a location: "step 'preflight' field 'verify'"."""
        from cockpit.model.load import describe

        return describe(location, self.data)


Rule = Callable[[Subject], Iterable[Finding]]


def _finding(
    subject: Subject,
    rule: str,
    location: Location,
    message: str,
    fix: str,
    *,
    where: str | None = None,
) -> Finding:
    """A finding about the runbook, located at `location`."""
    concerns: tuple[str, str] | None = None
    if len(location) >= 2 and isinstance(location[1], int):
        kind = {"steps": "step", "checkpoints": "checkpoint"}.get(str(location[0]))
        items = getattr(subject.runbook, str(location[0]), None)
        if kind is not None and isinstance(items, list) and location[1] < len(items):
            concerns = (kind, items[location[1]].id)
    return Finding(
        severity=RULE_INFO[rule].severity,
        path=subject.runbook_path,
        problem=Problem(
            message,
            line=subject.line(location),
            where=subject.describe(location) if where is None else where,
        ),
        rule=rule,
        fix=fix,
        concerns=concerns,
    )


def _norm(text: str) -> str:
    """Lower case, punctuation to spaces, single spaces: for matching vague phrases."""
    return " ".join(re.sub(r"[^\w/]+", " ", text.casefold()).split())


#: Owners and deciders that name nobody.
_NOBODY = frozenset(
    {"tbd", "tba", "todo", "?", "??", "n/a", "na", "none", "nobody", "unknown", "unassigned", "-"}
)


def _is_nobody(value: str) -> bool:
    return value.strip().casefold() in _NOBODY or not _norm(value)


# ---- R1xx steps ------------------------------------------------------------------------


def _ponr_index(runbook: Runbook) -> int:
    """Index of the point-of-no-return step, or the number of steps when there is none."""
    return runbook.step_index(runbook.ponr_step) if runbook.ponr_step else len(runbook.steps)


def step_rules(subject: Subject) -> Iterable[Finding]:
    """Owners, verify items, and a rollback (or a reason for none) before the PONR."""
    runbook = subject.runbook
    ponr_index = _ponr_index(runbook)
    rehearsed_undo = _rehearsed_undo_steps(subject)
    for index, step in enumerate(runbook.steps):
        at = ("steps", index)
        if _is_nobody(step.owner):
            yield _finding(
                subject,
                "R103",
                (*at, "owner"),
                f"the owner is {step.owner!r}: nobody is responsible for this step",
                'set owner to a contact id or role from the contact card (e.g. owner = "de")',
            )
        if not step.verify:
            yield _finding(
                subject,
                "R101",
                at,
                "nothing to verify: without a check this step is 'just run the script'",
                'add verify = ["what you will see when it worked"]',
            )
        if index >= ponr_index:
            continue
        if step.rollback is None and step.no_rollback is None:
            yield _finding(
                subject,
                "R102",
                at,
                "no rollback and no reason it needs none, and it comes before the point of "
                "no return",
                'add rollback = { action = "how to undo it", minutes = N } or '
                'no_rollback = "why nothing needs undoing"',
            )
        elif step.no_rollback is not None and _is_vague_reason(step.no_rollback):
            yield _finding(
                subject,
                "R105",
                (*at, "no_rollback"),
                f"no_rollback = {step.no_rollback!r} does not say why nothing needs undoing",
                'write the reason, e.g. no_rollback = "read-only checks; nothing changes"',
            )
        elif (
            step.rollback is not None and not step.rollback.tested and step.id not in rehearsed_undo
        ):
            yield _finding(
                subject,
                "R104",
                (*at, "rollback"),
                f"the rollback ({step.rollback.action!r}) was never tested",
                "rehearse it (cockpit run --rehearsal, then roll back) and pass the journal "
                "with --rehearsal, or set tested = true once it was exercised",
            )


def _is_vague_reason(text: str) -> bool:
    words = _norm(text)
    return words in {"n/a", "na", "none", "no", "nothing", "not needed", "not applicable", ""} or (
        len(words) <= 3 and not re.search(r"[a-z]{4,}", words.replace("none", ""))
    )


# ---- R2xx point of no return -----------------------------------------------------------


def ponr_rules(subject: Subject) -> Iterable[Finding]:
    """The point of no return is gated right before it, with a forward fix and data at risk."""
    runbook = subject.runbook
    ponr = runbook.point_of_no_return
    if ponr.step is None:
        return
    if not runbook.checkpoints_before(ponr.step):
        gate = runbook.ponr_checkpoint
        between = (
            [s.id for s in runbook.steps[runbook.step_index(gate.before) : _ponr_index(runbook)]]
            if gate is not None
            else []
        )
        after = (
            f"; the last go/no-go ({gate.id!r}) comes before {', '.join(between)}"
            if gate is not None and between
            else ""
        )
        yield _finding(
            subject,
            "R201",
            ("point_of_no_return", "step"),
            f"no go/no-go checkpoint gates {ponr.step!r} itself{after}: the point of no return "
            "must be crossed on a fresh go",
            f"add a [[checkpoints]] with before = {ponr.step!r} (or move the last one there)",
        )
    if not ponr.forward_fix:
        yield _finding(
            subject,
            "R202",
            ("point_of_no_return",),
            "no forward fix: past the point of no return the rollback pane has nothing to offer",
            'add forward_fix = ["what to do instead of a rollback", ...]',
            where="[point_of_no_return]",
        )
    if not runbook.post_cutover_writes:
        yield _finding(
            subject,
            "R203",
            ("point_of_no_return",),
            "no post-cutover writes described: what data written after the point of no "
            "return would a rollback lose, and how is it kept?",
            'add [[post_cutover_writes]] with what = "…" and kept_by = "…" (one per kind '
            "of data: voicemails, orders, logs)",
            where="[point_of_no_return]",
        )


# ---- R3xx checkpoints ------------------------------------------------------------------

#: A criterion that is, in its entirety, one of these says nothing checkable.
_VAGUE_WHOLE = re.compile(
    r"^(?:(?:it|all|everything|things|system|systems|stuff|we|we re)\s+)?"
    r"(?:(?:is|are|looks?|seems?|feels?|all)\s+)?"
    r"(?:good|ok|okay|fine|great|green|normal|healthy|working|works|done|ready|go|yes|"
    r"as expected|in order|good to go|ok to go|all good|all ok|no issues|no problems|"
    r"nothing wrong|sanity check(?:ed)?|checks? pass(?:ed)?|all checks pass(?:ed)?|"
    r"tbd|todo|n/a|na)$"
)
#: A criterion containing one of these phrases leans on a feeling, not a check.
_VAGUE_PART = re.compile(
    r"\b(?:looks?|seems?|feels?)\s+(?:good|ok|okay|fine|right|normal|alright)\b"
    r"|\beverything\s+(?:is\s+|looks\s+|seems\s+)?(?:good|ok|okay|fine)\b"
    r"|\ball\s+good\b"
)


def is_vague_criterion(text: str) -> bool:
    """True for criteria such as "looks good", "OK", "everything fine"."""
    words = _norm(text)
    return not words or bool(_VAGUE_WHOLE.match(words) or _VAGUE_PART.search(words))


def checkpoint_rules(subject: Subject) -> Iterable[Finding]:
    """Criteria are explicit and checkable; someone decides."""
    for index, checkpoint in enumerate(subject.runbook.checkpoints):
        for number, criterion in enumerate(checkpoint.criteria):
            if is_vague_criterion(criterion):
                yield _finding(
                    subject,
                    "R301",
                    ("checkpoints", index, "criteria", number),
                    f"criterion {criterion!r} is not checkable: at 3 a.m. anything 'looks good'",
                    "say what you will see, e.g. 'All 23 numbers show active' or 'error rate "
                    "under 0.5 % for 10 minutes'",
                )
        if _is_nobody(checkpoint.decider):
            yield _finding(
                subject,
                "R302",
                ("checkpoints", index, "decider"),
                f"the decider is {checkpoint.decider!r}: nobody owns the go/no-go",
                "set decider to a contact id or role from the contact card",
            )


# ---- R4xx time: RTO, window, the rollback deadline -------------------------------------


@dataclass(frozen=True, slots=True)
class RollbackDeadline:
    """The latest moment a rollback can start and still finish inside the window.

    The rollback from the latest possible moment (just before the point-of-no-return step,
    or after the last step when there is none) undoes every earlier step that has a
    rollback; its minutes decide the deadline. Times are local to the runbook's zone.
    """

    deadline: datetime
    rollback_minutes: int
    undo_steps: tuple[str, ...]
    rto_minutes: int
    window_start: datetime
    window_end: datetime
    timezone: str
    plan_minutes: int
    ponr_step: str | None
    latest_point: datetime  # when the plan reaches the last moment a rollback is possible

    @property
    def window_minutes(self) -> int:
        """Length of the maintenance window."""
        return int((self.window_end - self.window_start).total_seconds() // 60)

    def describe(self) -> list[str]:
        """Two lines for the text report: the deadline, then how it was worked out."""
        frm = (
            f"from just before {self.ponr_step!r}" if self.ponr_step else "from after the last step"
        )
        undo = (
            f"undoes {len(self.undo_steps)} step{'s' if len(self.undo_steps) != 1 else ''} "
            f"in {self.rollback_minutes} min"
            if self.undo_steps
            else "has nothing to undo"
        )
        return [
            f"rollback deadline: {self.deadline:%H:%M} on {self.deadline:%Y-%m-%d} "
            f"({self.timezone}), the latest start of a rollback that ends inside the window",
            f"  (window {self.window_start:%H:%M}–{self.window_end:%H:%M}; a rollback {frm} "
            f"{undo}, RTO {self.rto_minutes} min; the plan gets there at "
            f"{self.latest_point:%H:%M})",
        ]

    def to_json(self) -> dict[str, Any]:
        """A plain dictionary for `--format json`."""
        return {
            "deadline": self.deadline.isoformat(),
            "timezone": self.timezone,
            "rollback_minutes": self.rollback_minutes,
            "undo_steps": list(self.undo_steps),
            "rto_minutes": self.rto_minutes,
            "window_start": self.window_start.isoformat(),
            "window_end": self.window_end.isoformat(),
            "plan_minutes": self.plan_minutes,
            "point_of_no_return": self.ponr_step,
            "latest_rollback_point": self.latest_point.isoformat(),
        }


def rollback_deadline(runbook: Runbook) -> RollbackDeadline:
    """The rollback deadline of a plan (see `RollbackDeadline`)."""
    from cockpit.core.rollback import latest_rollback_minutes
    from cockpit.core.state import CutoverState

    minutes = latest_rollback_minutes(CutoverState(runbook=runbook))
    last = _ponr_index(runbook)
    meta = runbook.meta
    before = runbook.steps[:last]
    return RollbackDeadline(
        deadline=meta.window_end - timedelta(minutes=minutes),
        rollback_minutes=minutes,
        undo_steps=tuple(s.id for s in reversed(before) if s.rollback is not None),
        rto_minutes=meta.rto_minutes,
        window_start=meta.window_start,
        window_end=meta.window_end,
        timezone=meta.timezone,
        plan_minutes=runbook.total_minutes,
        ponr_step=runbook.ponr_step,
        latest_point=meta.window_start + timedelta(minutes=sum(s.minutes for s in before)),
    )


def time_rules(subject: Subject) -> Iterable[Finding]:
    """The latest rollback fits the RTO; the plan, and the plan plus that rollback, fit."""
    timing = rollback_deadline(subject.runbook)
    if timing.rollback_minutes > timing.rto_minutes:
        yield _finding(
            subject,
            "R401",
            ("runbook", "rto_minutes"),
            f"the rollback from the latest possible moment takes {timing.rollback_minutes} "
            f"min ({', '.join(timing.undo_steps)}), more than the RTO of "
            f"{timing.rto_minutes} min",
            "make the undo steps faster, move the point of no return earlier, or agree a "
            "longer RTO",
        )
    if timing.plan_minutes > timing.window_minutes:
        yield _finding(
            subject,
            "R402",
            ("runbook", "window_end"),
            f"the plan takes {timing.plan_minutes} min but the window is only "
            f"{timing.window_minutes} min",
            "widen the window or shorten the plan",
        )
    elif timing.plan_minutes + timing.rollback_minutes > timing.window_minutes:
        spare = timing.window_minutes - timing.plan_minutes
        yield _finding(
            subject,
            "R403",
            ("runbook", "window_end"),
            f"the plan ({timing.plan_minutes} min) plus the latest rollback "
            f"({timing.rollback_minutes} min) do not fit the {timing.window_minutes}-min "
            f"window: only {spare} min to spare",
            "widen the window so a late rollback still ends inside it",
        )


# ---- R5xx communications -----------------------------------------------------------------


def comms_rules(subject: Subject) -> Iterable[Finding]:
    """Everyone hears the notice before, the completion, and the rollback outcome."""
    runbook = subject.runbook
    comms = runbook.communications
    if not comms.stakeholders:
        yield _finding(
            subject,
            "R500",
            ("communications",),
            "the communication plan names no stakeholders: nobody is told about the window, "
            "the go or a rollback",
            "add [communications] stakeholders = [{ id = …, name = …, channel = … }] and "
            "[[communications.messages]] for them",
            where="[communications]",
        )
        return
    notified: set[str] = set()
    completion: set[str] = set()
    rolled_back: set[str] = set()
    last_step = runbook.steps[-1].id
    for message in comms.messages:
        trigger = message.trigger
        if isinstance(trigger, BeforeWindow):
            notified.update(message.audience)
        elif isinstance(trigger, Completed) or (
            isinstance(trigger, StepCompleted) and trigger.step == last_step
        ):
            completion.update(message.audience)
        elif isinstance(trigger, RollbackCompleted):
            rolled_back.update(message.audience)
    for index, stakeholder in enumerate(comms.stakeholders):
        at = ("communications", "stakeholders", index)
        who = f"stakeholder {stakeholder.id!r}"
        if stakeholder.id not in notified:
            yield _finding(
                subject,
                "R501",
                at,
                "gets no notice before the window",
                f"add {stakeholder.id!r} to the audience of a message with trigger = "
                '{ kind = "before_window", hours = 72 }',
                where=who,
            )
        if stakeholder.id not in completion:
            yield _finding(
                subject,
                "R502",
                at,
                "never hears that the cutover is complete",
                f'add {stakeholder.id!r} to the audience of the trigger = {{ kind = "completed" }} '
                "message",
                where=who,
            )
        if stakeholder.id not in rolled_back:
            yield _finding(
                subject,
                "R503",
                at,
                "never hears the outcome of a rollback",
                f"add {stakeholder.id!r} to the audience of the trigger = "
                '{ kind = "rollback_completed" } message',
                where=who,
            )
    if not any(isinstance(message.trigger, Delay) for message in comms.messages):
        yield _finding(
            subject,
            "R504",
            ("communications",),
            "no message for a delay: nobody hears when the plan slips",
            'add a message with trigger = { kind = "delay", minutes = 15 } (Status / Impact / '
            "What changed / Next action / Next update)",
            where="[communications]",
        )


# ---- R6xx verification -------------------------------------------------------------------


def verification_rules(subject: Subject) -> Iterable[Finding]:
    """A post-cutover verification checklist exists."""
    if not subject.runbook.verification:
        location: Location = (
            ("verification",) if ("verification",) in subject.lines else ("runbook",)
        )
        yield _finding(
            subject,
            "R601",
            location,
            "no post-cutover verification checklist: how will you know it worked?",
            'add verification = ["main number answered from a mobile", ...] at the top of the file',
            where="",
        )


# ---- R7xx contact card -------------------------------------------------------------------


def card_rules(subject: Subject) -> Iterable[Finding]:
    """Owners, deciders and stakeholder contacts resolve; the card has an on-call senior."""
    from cockpit.model.crosscheck import card_file_problems, card_problems

    if subject.card is None:
        yield _finding(
            subject,
            "R707",
            ("runbook",),
            "no contact card: step owners and the on-call senior were not checked; set "
            "contact_card in [runbook] or pass --contacts CARD",
            "write one (cockpit new RUNBOOK.toml --contacts CARD.toml makes a starter)",
            where="[runbook]",
        )
        return
    for problem in card_problems(subject.runbook, subject.card, subject.runbook_text):
        if problem.where.endswith("field 'owner'"):
            rule, fix = "R701", "add the owner to the card, or use a contact id or role from it"
        elif problem.where.endswith("field 'decider'"):
            rule, fix = "R702", "add the decider to the card, or use a contact id or role from it"
        else:
            rule, fix = "R703", "use a contact id from the card, or add the contact"
        concerns = _concerns_from_where(problem.where)
        yield Finding(RULE_INFO[rule].severity, subject.runbook_path, problem, rule, fix, concerns)
    if subject.card_path is not None:
        for problem in card_file_problems(subject.card, subject.card_text):
            fix = "mark the senior DE with on_call_senior = true, with a phone number"
            yield Finding("error", subject.card_path, problem, "R704", fix)
    yield from _mentioned_contacts(subject, subject.card)
    yield from _mentioned_secrets(subject, subject.card)


def _concerns_from_where(where: str) -> tuple[str, str] | None:
    found = re.match(r"(step|checkpoint) '([^']+)'", where)
    return (found.group(1), found.group(2)) if found else None


def _plan_texts(runbook: Runbook) -> Iterable[tuple[Location, str]]:
    """Every piece of prose in the plan, with its location, in file order of concern."""
    for index, step in enumerate(runbook.steps):
        at = ("steps", index)
        yield (*at, "title"), step.title
        yield (*at, "instructions"), step.instructions
        for number, item in enumerate(step.verify):
            yield (*at, "verify", number), item
        if step.rollback is not None:
            yield (*at, "rollback"), step.rollback.action
        if step.no_rollback is not None:
            yield (*at, "no_rollback"), step.no_rollback
    for index, checkpoint in enumerate(runbook.checkpoints):
        at = ("checkpoints", index)
        yield (*at, "title"), checkpoint.title
        for number, item in enumerate(checkpoint.criteria):
            yield (*at, "criteria", number), item
        yield (*at, "no_go_means"), checkpoint.no_go_means
    ponr = runbook.point_of_no_return
    yield ("point_of_no_return", "why"), ponr.why
    for number, item in enumerate(ponr.forward_fix):
        yield ("point_of_no_return", "forward_fix", number), item


#: (what, how the plan mentions it, words a card contact must contain to be it).
_MENTIONS: tuple[tuple[str, re.Pattern[str], tuple[str, ...]], ...] = (
    ("the carrier", re.compile(r"\bcarriers?\b", re.IGNORECASE), ("carrier", "telco")),
    ("a vendor", re.compile(r"\bvendors?\b", re.IGNORECASE), ("vendor",)),
    ("a NOC", re.compile(r"\bNOC\b"), ("noc",)),
)


def _mentioned_contacts(subject: Subject, card: ContactCard) -> Iterable[Finding]:
    texts = list(_plan_texts(subject.runbook))
    haystacks = [f"{c.id} {c.name} {c.role} {c.organisation}".casefold() for c in card.contacts]
    for what, pattern, words in _MENTIONS:
        mention = next(((at, text) for at, text in texts if pattern.search(text)), None)
        if mention is None:
            continue
        if any(word in haystack for haystack in haystacks for word in words):
            continue
        yield _finding(
            subject,
            "R705",
            mention[0],
            f"mentions {what}, and the contact card {card.card.id!r} has no such contact",
            f"add {what} to the card with a phone number that answers at night",
        )


_SECRET_MENTION = re.compile(r"\b(pin|passcode|password|api key|token)s?\b", re.IGNORECASE)


def _mentioned_secrets(subject: Subject, card: ContactCard) -> Iterable[Finding]:
    named: list[str] = [name.casefold() for name in card.secret_names()]
    for contact in card.contacts:
        named.extend(label.casefold() for label in contact.secrets)
    for account in card.accounts:
        named.extend(
            label.casefold() for label, v in account.fields.items() if isinstance(v, SecretRef)
        )
    reported: set[str] = set()
    for at, text in _plan_texts(subject.runbook):
        for found in _SECRET_MENTION.finditer(text):
            word = found.group(1).casefold()
            key = word.split()[-1]
            if key in reported or any(key in name for name in named):
                continue
            reported.add(key)
            yield _finding(
                subject,
                "R706",
                at,
                f"mentions a {found.group(1)}, and the contact card names no secret for it",
                f'add it to the card as {{ secret = "…-{key}" }} and store the value with '
                "cockpit secrets set NAME",
            )


# ---- R8xx rehearsal evidence -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RollbackRun:
    """A rollback in a rehearsal journal: what it undid and how long it took."""

    started_at: datetime
    completed_at: datetime | None
    steps: tuple[str, ...]
    done: tuple[str, ...]
    after_ponr: bool

    @property
    def minutes(self) -> float | None:
        """Minutes from rollback_started to rollback_completed (None if never completed)."""
        if self.completed_at is None:
            return None
        return (self.completed_at - self.started_at).total_seconds() / 60


@dataclass(frozen=True)
class RehearsalRun:
    """What one journal says about a run of a plan."""

    path: Path
    runbook_sha256: str
    runbook_version: str
    runbook_id: str
    mode: str
    started_at: datetime | None
    step_minutes: dict[str, float] = field(default_factory=dict)  # completed steps
    skipped: dict[str, str] = field(default_factory=dict)  # step id → reason
    rollback: RollbackRun | None = None


def read_rehearsal(path: Path | str) -> RehearsalRun:
    """Read a journal as rehearsal evidence, or raise `FileProblems` in plain words."""
    from cockpit.core.evolve import FoldError, fold
    from cockpit.errors import CockpitError
    from cockpit.journal import events as ev
    from cockpit.journal.store import JournalDamaged, read_events

    path = Path(path)
    kind = "rehearsal journal"
    try:
        events = read_events(path)
    except JournalDamaged as error:
        where = f"event {error.seq}" if error.seq else ""
        raise FileProblems(path, [Problem(str(error), where=where)], kind) from None
    except CockpitError as error:
        raise FileProblems(path, [Problem(str(error))], kind) from None
    except Exception as error:  # sqlite, OS: never a traceback for a bad file
        raise FileProblems(path, [Problem(f"cannot be read: {error}")], kind) from None
    if not events:
        raise FileProblems(path, [Problem("the journal is empty: nothing was rehearsed")], kind)
    try:
        state = fold(events)
    except FoldError as error:
        raise FileProblems(
            path, [Problem(f"the journal does not replay cleanly: {error}")], kind
        ) from None
    except Exception as error:
        raise FileProblems(path, [Problem(f"cannot be replayed: {error}")], kind) from None
    assert state.runbook is not None
    first_start: dict[str, datetime] = {}
    minutes: dict[str, float] = {}
    for event in events:
        if isinstance(event, ev.StepStarted):
            first_start.setdefault(event.step_id, event.at)
        elif isinstance(event, ev.StepCompleted) and event.step_id in first_start:
            elapsed = (event.at - first_start[event.step_id]).total_seconds() / 60
            minutes[event.step_id] = max(elapsed, 0.0)
    rollback = None
    if state.rollback is not None:
        rollback = RollbackRun(
            started_at=state.rollback.started_at,
            completed_at=state.rollback.completed_at,
            steps=state.rollback.steps,
            done=state.rollback.done,
            after_ponr=state.rollback.after_ponr,
        )
    return RehearsalRun(
        path=path,
        runbook_sha256=state.runbook_sha256,
        runbook_version=state.runbook.meta.version,
        runbook_id=state.runbook.meta.id,
        mode=state.mode,
        started_at=state.started_at,
        step_minutes={
            step_id: value
            for step_id, value in minutes.items()
            if state.steps.get(step_id) is not None and state.steps[step_id].status == "completed"
        },
        skipped={
            step_id: step.reason
            for step_id, step in state.steps.items()
            if step.status == "skipped"
        },
        rollback=rollback,
    )


def matching_rehearsals(subject: Subject) -> list[RehearsalRun]:
    """The rehearsal journals that ran exactly this runbook (by content hash)."""
    if not subject.rehearsals:
        return []
    from cockpit.session import runbook_sha256

    wanted = runbook_sha256(subject.runbook)
    return [run for run in subject.rehearsals if run.runbook_sha256 == wanted]


def _rehearsed_undo_steps(subject: Subject) -> set[str]:
    done: set[str] = set()
    for run in matching_rehearsals(subject):
        if run.rollback is not None and run.rollback.completed_at is not None:
            done.update(run.rollback.done)
    return done


#: A rehearsed step this much longer than planned (and at least `DRIFT_MINUTES`) is flagged.
DRIFT_FACTOR = 1.5
DRIFT_MINUTES = 5.0


@dataclass(frozen=True, slots=True)
class DriftRow:
    """One step planned against rehearsed."""

    step_id: str
    title: str
    planned: int
    rehearsed: float | None

    @property
    def drift(self) -> float | None:
        """Rehearsed minus planned minutes (None when not rehearsed)."""
        return None if self.rehearsed is None else self.rehearsed - self.planned

    @property
    def flagged(self) -> bool:
        """The rehearsal took much longer than the plan says."""
        drift = self.drift
        return (
            drift is not None
            and drift >= DRIFT_MINUTES
            and self.rehearsed is not None
            and (self.rehearsed > self.planned * DRIFT_FACTOR)
        )


def drift_table(subject: Subject) -> list[DriftRow]:
    """Per step: planned minutes against the latest matching rehearsal that completed it."""
    runs = matching_rehearsals(subject)
    rows: list[DriftRow] = []
    for step in subject.runbook.steps:
        rehearsed = None
        for run in runs:  # later journals (on the command line) win
            if step.id in run.step_minutes:
                rehearsed = run.step_minutes[step.id]
        rows.append(DriftRow(step.id, step.title, step.minutes, rehearsed))
    return rows


def rehearsal_rules(subject: Subject) -> Iterable[Finding]:
    """The plan was rehearsed: same hash, every step, a whole rollback inside the RTO."""
    runbook = subject.runbook
    if subject.rehearsals is None:
        yield _finding(
            subject,
            "R801",
            ("runbook",),
            "never rehearsed: no rehearsal journal was given",
            "rehearse it in staging (cockpit run RUNBOOK --rehearsal, including a rollback) "
            "and pass the journal: cockpit check RUNBOOK --rehearsal JOURNAL",
            where="[runbook]",
        )
        return
    from cockpit.session import runbook_sha256

    wanted = runbook_sha256(runbook)
    for run in subject.rehearsals:
        if run.runbook_sha256 != wanted:
            yield Finding(
                "error",
                run.path,
                Problem(
                    f"ran a different runbook ({run.runbook_id!r} version "
                    f"{run.runbook_version!r}, plan hash {run.runbook_sha256[:12]}…; this "
                    f"runbook is {runbook.meta.id!r} version {runbook.meta.version!r}, "
                    f"{wanted[:12]}…)",
                    where="rehearsal",
                ),
                "R802",
                "rehearse this version of the runbook (any change to the plan needs a new "
                "rehearsal) and pass that journal",
            )
        elif run.mode == "live":
            yield Finding(
                "warning",
                run.path,
                Problem("a live run, not a rehearsal", where="rehearsal"),
                "R808",
                "rehearse in staging with cockpit run RUNBOOK --rehearsal",
            )
    runs = matching_rehearsals(subject)
    if not runs:
        return
    rehearsed = {step_id for run in runs for step_id in run.step_minutes}
    skipped = {step_id: reason for run in runs for step_id, reason in run.skipped.items()}
    for index, step in enumerate(runbook.steps):
        if step.id in rehearsed:
            continue
        how = (
            f"was skipped in the rehearsal ({skipped[step.id]})"
            if step.id in skipped
            else "was not executed in the rehearsal"
        )
        yield _finding(
            subject,
            "R803",
            ("steps", index),
            how,
            "rehearse the whole plan, every step, and pass that journal too",
        )
    yield from _rollback_evidence(subject, runs)
    for row in drift_table(subject):
        if row.flagged and row.rehearsed is not None:
            index = runbook.step_index(row.step_id)
            yield _finding(
                subject,
                "R807",
                ("steps", index, "minutes"),
                f"planned {row.planned} min, rehearsed {row.rehearsed:.0f} min",
                f"set minutes = {round(row.rehearsed)} (or find out why the rehearsal was slow)",
            )


def _rollback_evidence(subject: Subject, runs: Sequence[RehearsalRun]) -> Iterable[Finding]:
    runbook = subject.runbook
    timing = rollback_deadline(runbook)
    completed = [
        run for run in runs if run.rollback is not None and run.rollback.completed_at is not None
    ]
    useful = [run for run in completed if run.rollback is not None and run.rollback.done]
    if not completed or (timing.undo_steps and not useful):
        started = [run for run in runs if run.rollback is not None]
        detail = (
            f"a rollback started in {started[0].path} but never completed"
            if started and not completed
            else "the rehearsed rollback had nothing to undo"
            if completed
            else "no rehearsal executed a rollback"
        )
        yield _finding(
            subject,
            "R804",
            ("runbook",),
            f"rollback never rehearsed end to end: {detail}",
            "in a rehearsal, roll back from just before the point of no return and complete "
            "every undo step; pass that journal with --rehearsal",
            where="[runbook]",
        )
        return
    for run in completed:
        rollback = run.rollback
        assert rollback is not None and rollback.minutes is not None
        if rollback.minutes > runbook.meta.rto_minutes:
            yield Finding(
                "error",
                run.path,
                Problem(
                    f"the rehearsed rollback took {rollback.minutes:.0f} min, more than the "
                    f"RTO of {runbook.meta.rto_minutes} min",
                    where="rehearsal rollback",
                ),
                "R805",
                "make the undo steps faster (or agree a longer RTO) and rehearse the rollback "
                "again",
            )
    undone = {step_id for run in completed if run.rollback for step_id in run.rollback.done}
    missing = [step_id for step_id in timing.undo_steps if step_id not in undone]
    if missing:
        yield _finding(
            subject,
            "R806",
            ("runbook",),
            f"the rehearsed rollback never undid {', '.join(missing)}: the rollback from the "
            "latest possible moment was not rehearsed whole",
            "in a rehearsal, run up to the go/no-go before the point of no return, then roll "
            "back everything",
            where="[runbook]",
        )


# ---- R9xx placeholders -------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"\b(TODO|TBD|FIXME)\b")

#: What to write instead of a placeholder, by key.
_PLACEHOLDER_HINTS: dict[str, str] = {
    "window_start": "the local start of the window, e.g. 2026-12-02T01:00:00",
    "window_end": "the local end of the window, e.g. 2026-12-02T04:30:00",
    "timezone": "the IANA zone of the window, e.g. 'America/Chicago'",
    "rto_minutes": "how many minutes a rollback may take (the agreed RTO)",
    "customer": "the customer's name",
    "owner": "a contact id or role from the contact card",
    "decider": "a contact id or role from the contact card",
    "minutes": "the expected minutes (from a rehearsal if you have one)",
    "number": "the real phone number",
}


def placeholder_rules(subject: Subject) -> Iterable[Finding]:
    """Values still marked TODO / TBD / FIXME (left by `cockpit import` or `cockpit new`)."""
    yield from _placeholders(subject, subject.runbook_path, subject.runbook_text, subject.data)
    if subject.card_path is not None and subject.card_text:
        try:
            card_data: Any = tomllib.loads(subject.card_text)
        except (tomllib.TOMLDecodeError, RecursionError, ValueError):
            card_data = {}
        yield from _placeholders(subject, subject.card_path, subject.card_text, card_data)


def _placeholders(subject: Subject, path: Path, text: str, data: Any) -> Iterable[Finding]:
    from cockpit.model.load import describe

    if not _PLACEHOLDER.search(text):
        return
    lines = line_map(text)
    starts = sorted((line, len(location), location) for location, line in lines.items())
    for number, line_text in enumerate(text.splitlines(), start=1):
        found = _PLACEHOLDER.search(line_text)
        if found is None or line_text.lstrip().startswith("#"):
            continue  # whole-line comments are commentary; values and their comments count
        location = _location_of(starts, number, line_text, found.start())
        key = next((str(p) for p in reversed(location) if isinstance(p, str)), "")
        hint = _PLACEHOLDER_HINTS.get(key, "the real value")
        shown = " ".join(line_text.split())
        shown = shown if len(shown) <= 90 else shown[:87] + "..."
        yield Finding(
            "error",
            path,
            Problem(
                f"still a placeholder: {shown}",
                line=number,
                where=describe(location, data) if location else "",
            ),
            "R901",
            f"write {hint}, then delete the {found.group(1)} marker",
            _concerns_from_where(describe(location, data)) if location else None,
        )


def _location_of(
    starts: list[tuple[int, int, Location]], number: int, line_text: str, column: int
) -> Location:
    """The key path a placeholder at (`number`, `column`) belongs to.

    The last path starting on or before the line; when several start on that very line
    (an inline table), the one whose key is written last before the placeholder.
    """
    location: Location = ()
    same_line: list[Location] = []
    for line, _, candidate in starts:
        if line > number:
            break
        location = candidate
        if line == number:
            same_line.append(candidate)
    best = -1
    for candidate in same_line:
        key = next((str(p) for p in reversed(candidate) if isinstance(p, str)), "")
        found = line_text.rfind(f"{key} ", 0, column) if key else -1
        found = max(found, line_text.rfind(f"{key}=", 0, column) if key else -1)
        if found > best:
            best, location = found, candidate
    return location


# ---- running the rules -------------------------------------------------------------------

#: The rules `cockpit check` runs, in order.
RULES: list[Rule] = [
    placeholder_rules,
    step_rules,
    ponr_rules,
    checkpoint_rules,
    time_rules,
    comms_rules,
    verification_rules,
    card_rules,
    rehearsal_rules,
]


def findings(subject: Subject, rules: Iterable[Rule] = RULES) -> list[Finding]:
    """Every finding of every rule: errors before warnings, then by file and line."""
    found = [finding for rule in rules for finding in rule(subject)]
    files = {str(subject.runbook_path): 0, str(subject.card_path): 1}
    return sorted(
        found,
        key=lambda f: (
            f.severity != "error",
            files.get(str(f.path), 2),
            f.problem.line or 0,
            f.rule,
        ),
    )
