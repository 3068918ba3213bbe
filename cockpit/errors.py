"""Errors a user sees: each names the file, the line and what is expected.

The CLI prints these and exits; nothing the user can cause by a bad file should ever
reach them as a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Problem:
    """One located problem in one file."""

    message: str
    line: int | None = None
    where: str = ""

    def render(self, path: Path | str) -> str:
        """`file:line: where: message`, the shape editors and terminals link to."""
        location = f"{path}:{self.line}" if self.line else f"{path}"
        return f"{location}: {self.where + ': ' if self.where else ''}{self.message}"


@dataclass
class FileProblems(Exception):
    """A file could not be used, with every problem found in it, reported together."""

    path: Path | str
    problems: list[Problem] = field(default_factory=list)
    kind: str = "file"

    def __post_init__(self) -> None:
        super().__init__(self.render())

    def render(self) -> str:
        """All problems, one per line, headed by what the file was."""
        count = len(self.problems)
        head = f"{self.path}: this {self.kind} has {count} problem{'s' if count != 1 else ''}:"
        return "\n".join([head, *(f"  {p.render(self.path)}" for p in self.problems)])


class CockpitError(Exception):
    """A plain-words error for the user (journal in use, not a journal, and so on)."""
