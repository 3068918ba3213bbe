"""Durations as teams write them: "(15 min)", "15m", "~20 minutes", "1h30", "0:15", "15–60 min".

A range counts at its upper end: the window must hold the slow case.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

_UNIT_H = r"(?:h|hr|hrs|hour|hours)"
_UNIT_M = r"(?:m|min|mins|minute|minutes)"
_NUM = r"\d{1,4}(?:[.,]\d+)?"
_DURATION = re.compile(
    rf"(?P<pre>[(\[~≈]\s*|\babout\s+|\best\.?\s*:?\s*)?"
    rf"(?:"
    rf"(?P<hm_h>\d{{1,3}})\s*{_UNIT_H}\s*(?:and\s*)?(?P<hm_m>\d{{1,2}})\s*{_UNIT_M}?"
    rf"|(?P<lo>{_NUM})\s*(?:-|–|—|to)\s*(?P<hi>{_NUM})\s*(?P<range_unit>{_UNIT_H}|{_UNIT_M})"
    rf"|(?P<value>{_NUM})\s*(?P<unit>{_UNIT_H}|{_UNIT_M})"
    rf")(?![a-zA-Z0-9])",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Duration:
    """A duration found in text, and where."""

    minutes: int
    start: int
    end: int
    marked: bool  # in brackets or after '~': surely meant as the duration


def _to_minutes(value: str, unit: str) -> float:
    number = float(value.replace(",", "."))
    return number * 60 if unit.lower().startswith("h") else number


def find_durations(text: str) -> list[Duration]:
    """Every duration in `text` ("(15 min)", "15m", "~20 minutes", "1h", "1h30", "15–60 min")."""
    found: list[Duration] = []
    for match in _DURATION.finditer(text):
        if match.group("hm_h") is not None:
            minutes = int(match.group("hm_h")) * 60 + int(match.group("hm_m"))
        elif match.group("range_unit") is not None:
            # A range is planned at its upper end: the window must hold the slow case.
            minutes = math.ceil(_to_minutes(match.group("hi"), match.group("range_unit")))
        else:
            minutes = math.ceil(_to_minutes(match.group("value"), match.group("unit")))
        marked = bool(match.group("pre")) or _bracketed(text, match.start(), match.end())
        if 0 < minutes <= 24 * 60:
            found.append(Duration(minutes, match.start(), match.end(), marked))
    return found


def _bracketed(text: str, start: int, end: int) -> bool:
    before = text[:start].rstrip()
    after = text[end:].lstrip()
    return bool(before) and before[-1] in "([" and bool(after) and after[0] in ")]"


def pick_duration(text: str) -> Duration | None:
    """The duration a step's line most likely means: a bracketed or '~' one, else the last."""
    durations = find_durations(text)
    if not durations:
        return None
    marked = [d for d in durations if d.marked]
    return marked[-1] if marked else durations[-1]


def parse_minutes(cell: str, *, hours: bool = False) -> int | None:
    """A duration cell of a spreadsheet: '15', '15m', '0:15', '1:30', '0:15:00', '1.5h'."""
    text = cell.strip()
    if not text:
        return None
    clock = re.fullmatch(r"(\d{1,3}):(\d{2})(?::(\d{2}))?", text)
    if clock:
        minutes = int(clock.group(1)) * 60 + int(clock.group(2))
        minutes += 1 if clock.group(3) and int(clock.group(3)) >= 30 else 0
        return minutes if 0 < minutes <= 24 * 60 else None
    bare = re.fullmatch(r"~?\s*(\d{1,5}(?:[.,]\d+)?)", text)
    if bare:
        value = float(bare.group(1).replace(",", "."))
        minutes = math.ceil(value * 60 if hours else value)
        return minutes if 0 < minutes <= 24 * 60 else None
    found = pick_duration(text)
    return found.minutes if found is not None else None
