"""R9xx placeholders: values still marked TODO / TBD / FIXME, in the runbook and the card."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from cockpit.errors import Problem
from cockpit.model.locate import line_map
from cockpit.readiness.subject import Finding, Location, Subject, concerns_from_where

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
            concerns_from_where(describe(location, data)) if location else None,
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
