"""What the rules look at (`Subject`) and what they find (`Finding`), and their helpers.

Each rule is a function of a `Subject` returning `Finding`s. A finding has a stable rule
id (`R102`) and name (`rollback-missing`), a severity, the file and line, the step or
checkpoint it concerns and a one-line fix, so a person can act on it and a script can
gate on it.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cockpit.errors import Problem
from cockpit.model.contacts import ContactCard
from cockpit.model.locate import find_line, line_map
from cockpit.model.runbook import Runbook
from cockpit.readiness.registry import RULE_INFO, Severity

if TYPE_CHECKING:
    from cockpit.readiness.rehearsal import RehearsalRun


Location = tuple[str | int, ...]


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


def finding_at(
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


def norm(text: str) -> str:
    """Lower case, punctuation to spaces, single spaces: for matching vague phrases."""
    return " ".join(re.sub(r"[^\w/]+", " ", text.casefold()).split())


#: Owners and deciders that name nobody.
_NOBODY = frozenset(
    {"tbd", "tba", "todo", "?", "??", "n/a", "na", "none", "nobody", "unknown", "unassigned", "-"}
)


def is_nobody(value: str) -> bool:
    """True for an owner or decider that names nobody ("TBD", "?", "n/a", "")."""
    return value.strip().casefold() in _NOBODY or not norm(value)


def ponr_step_index(runbook: Runbook) -> int:
    """Index of the point-of-no-return step, or the number of steps when there is none."""
    return runbook.step_index(runbook.ponr_step) if runbook.ponr_step else len(runbook.steps)


def concerns_from_where(where: str) -> tuple[str, str] | None:
    """("step", id) or ("checkpoint", id) from a described location, or None."""
    found = re.match(r"(step|checkpoint) '([^']+)'", where)
    return (found.group(1), found.group(2)) if found else None
