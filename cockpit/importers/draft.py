"""What a reader produces: a `Draft` of steps, checkpoints and rollbacks, and `Note`s.

Each reader (`markdown`, `csv_import`) fills a `Draft` with what it found and a `Note` for
every line it could not map (or had to guess about); `build.finish` turns the draft into
an `ImportResult`: runbook data that validates, with its TODO comments.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal


@dataclass(frozen=True, slots=True)
class Note:
    """A line the import could not map, or mapped by a guess worth checking."""

    line: int | None
    message: str
    kind: Literal["not mapped", "guessed"] = "not mapped"
    end_line: int | None = None

    def render(self, path: Path | str) -> str:
        """`file:line: not mapped: …`, like a compiler's message."""
        if self.line is None:
            return f"{path}: {self.kind}: {self.message}"
        span = (
            f"{self.line}-{self.end_line}"
            if self.end_line is not None and self.end_line != self.line
            else f"{self.line}"
        )
        return f"{path}:{span}: {self.kind}: {self.message}"


@dataclass
class DraftRollback:
    """An undo found in the source; `step` is the draft step it belongs to, when known."""

    text: str
    line: int
    minutes: int | None = None
    commands: list[str] = field(default_factory=list)
    step: int | None = None


@dataclass
class DraftStep:
    """A step as found in the source."""

    title: str
    line: int
    number: str | None = None  # its number as written ("3", "T3"), for references
    owner: str | None = None
    minutes: int | None = None
    instructions: list[str] = field(default_factory=list)
    commands: list[str] = field(default_factory=list)
    verify: list[str] = field(default_factory=list)
    depends_on: list[str] = field(default_factory=list)  # numbers as written
    rollbacks: list[DraftRollback] = field(default_factory=list)
    no_rollback: str | None = None
    ponr: bool = False
    ponr_guessed: bool = False  # proposed from its words, for the user to confirm
    phase: str = ""  # the headings (or the phase column, a T-minus group) it sits under
    timing: str | None = None  # when the source says it happens, as written ("T-60 Minutes")
    alternatives: list[str] = field(default_factory=list)  # "or instead: …", as written
    guessed: list[str] = field(default_factory=list)  # fields mapped by a guess: "owner"…


@dataclass
class DraftCheckpoint:
    """A go/no-go as found in the source; it gates draft step `before` (None: none yet)."""

    title: str
    line: int
    criteria: list[str] = field(default_factory=list)
    decider: str | None = None
    no_go: str | None = None
    before: int | None = None


@dataclass
class Draft:
    """Everything a reader found, before it becomes runbook data."""

    source: Path
    title: str | None = None
    customer: str | None = None
    version: str | None = None
    timezone: str | None = None
    window_start: datetime | None = None
    window_end: datetime | None = None
    rto_minutes: int | None = None
    steps: list[DraftStep] = field(default_factory=list)
    checkpoints: list[DraftCheckpoint] = field(default_factory=list)
    rollbacks: list[DraftRollback] = field(default_factory=list)  # still to attach
    verification: list[str] = field(default_factory=list)
    ponr_why: str = ""
    gate_refs: set[str] = field(default_factory=set)  # numbers of gate rows, not steps
    notes: list[Note] = field(default_factory=list)

    def note(
        self,
        line: int | None,
        message: str,
        kind: Literal["not mapped", "guessed"] = "not mapped",
        end_line: int | None = None,
    ) -> None:
        """Record a note."""
        self.notes.append(Note(line, message, kind, end_line))

    def add_step(self, step: DraftStep) -> int:
        """Append a step; checkpoints waiting for the next step now gate it."""
        self.steps.append(step)
        index = len(self.steps) - 1
        for checkpoint in self.checkpoints:
            if checkpoint.before is None:
                checkpoint.before = index
        return index


@dataclass
class ImportResult:
    """Runbook data that validates, the TODO comments for its lines, and the notes."""

    data: dict[str, Any]
    comments: dict[tuple[str | int, ...], str]
    notes: list[Note]
    placeholders: list[str]
    source: Path
