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
    """A duration cell of a spreadsheet: '15', '15m', '0:15', '1:30', '0:15:00', '1.5h',
    '2 hrs', '0.5 days' (a calendar day: see `read_duration`)."""
    return read_duration(cell, hours=hours).minutes


@dataclass(frozen=True, slots=True)
class CellDuration:
    """What a duration cell says: its minutes (None when it gives none a step can use) and
    why not, or what was assumed: 'zero' (a milestone), 'too long' (over a day), 'days' (read
    as calendar days, which a project tool may mean as working days), 'not understood'."""

    minutes: int | None
    remark: str = ""


_DAYS = re.compile(
    r"~?\s*(\d{1,3}(?:[.,]\d+)?)\s*(?:d|day|days|dy|dys)\.?(?:\s*\?)?", re.IGNORECASE
)
_ZERO = re.compile(r"~?\s*0+(?:[.,]0+)?\s*(?:[a-z]+\.?)?|0+:00(?::00)?", re.IGNORECASE)


def read_duration(cell: str, *, hours: bool = False) -> CellDuration:
    """A spreadsheet's duration cell, read without inventing: minutes, h:mm, '1h', '2 hrs',
    '1h 30m', '0.5 days'. A day is 24 hours here (a night's plan runs on the clock), and the
    remark says so, for the reader to confirm; more than a day is no step's duration."""
    text = cell.strip()
    if not text:
        return CellDuration(None)
    if _ZERO.fullmatch(text):
        return CellDuration(None, "zero")
    days = _DAYS.fullmatch(text)
    if days:
        in_days = math.ceil(float(days.group(1).replace(",", ".")) * 24 * 60)
        return (
            CellDuration(in_days, "days") if in_days <= 24 * 60 else CellDuration(None, "too long")
        )
    minutes = _cell_minutes(text, hours=hours)
    if minutes is None:
        return CellDuration(None, "not understood")
    if minutes > 24 * 60:
        return CellDuration(None, "too long")
    return CellDuration(minutes)


def _cell_minutes(cell: str, *, hours: bool) -> int | None:
    text = cell.strip()
    if not text:
        return None
    clock = re.fullmatch(r"(\d{1,3}):(\d{2})(?::(\d{2}))?", text)
    if clock:
        minutes = int(clock.group(1)) * 60 + int(clock.group(2))
        minutes += 1 if clock.group(3) and int(clock.group(3)) >= 30 else 0
        return minutes if minutes > 0 else None
    bare = re.fullmatch(r"~?\s*(\d{1,5}(?:[.,]\d+)?)", text)
    if bare:
        value = float(bare.group(1).replace(",", "."))
        minutes = math.ceil(value * 60 if hours else value)
        return minutes if minutes > 0 else None
    long = re.fullmatch(rf"~?\s*({_NUM})\s*{_UNIT_H}\.?", text, re.IGNORECASE)
    if long:  # '30 hours': too long for a step, but a duration (find_durations drops it)
        return math.ceil(_to_minutes(long.group(1), "h"))
    found = pick_duration(text)
    if found is None or text[: found.start].strip(" ~(") or text[found.end :].strip(" )."):
        return None  # '15 min after T2' is not a duration cell
    return found.minutes
