"""The runbook's metadata: "Customer:", "Window:", "Timezone:", "RTO:", "Version:" values.

Also the date, time and time-zone parsing a maintenance window written in words needs
(`parse_window`), which the spreadsheet reader uses for planned starts too.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cockpit.importers.draft import Draft
from cockpit.importers.durations import pick_duration
from cockpit.importers.text import clean_text, field_line

_ZONE_WORDS: dict[str, str] = {
    "CT": "America/Chicago",
    "CST": "America/Chicago",
    "CDT": "America/Chicago",
    "ET": "America/New_York",
    "EST": "America/New_York",
    "EDT": "America/New_York",
    "MT": "America/Denver",
    "MST": "America/Denver",
    "MDT": "America/Denver",
    "PT": "America/Los_Angeles",
    "PST": "America/Los_Angeles",
    "PDT": "America/Los_Angeles",
    "UTC": "UTC",
    "GMT": "UTC",
    "BST": "Europe/London",
    "CET": "Europe/Berlin",
    "CEST": "Europe/Berlin",
    "AEST": "Australia/Sydney",
    "AEDT": "Australia/Sydney",
}
_IANA = re.compile(r"\b([A-Z][A-Za-z]+(?:/[A-Za-z][A-Za-z_\-]+){1,2})\b")
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}


def find_zone(text: str) -> str | None:
    """An IANA zone or a common abbreviation (CT, ET, UTC…) in text."""
    for match in _IANA.finditer(text):
        try:
            ZoneInfo(match.group(1))
        except (ZoneInfoNotFoundError, ValueError):
            continue
        return match.group(1)
    for word in re.findall(r"\b[A-Z]{2,4}\b", text):
        if word in _ZONE_WORDS:
            return _ZONE_WORDS[word]
    return None


_DATE = re.compile(
    r"\b(\d{4})-(\d{1,2})-(\d{1,2})(?=\b|T)|\b(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})\b|"
    r"\b(\d{1,2})[\s\-]+([A-Za-z]{3,9})\.?,?[\s\-]+(\d{4}|\d{2})\b|"
    r"\b([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})\b|"
    r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b"
)


def find_dates(text: str, *, day_first: bool = False) -> list[tuple[int, int, int]]:
    """Dates as (year, month, day): 2026-12-02, 12/02/2026, 12/02/26, 2 Dec 2026, 02-Dec-26,
    Dec 2, 2026, 02.12.2026.

    A slashed date is month first (US) unless `day_first` or the first number is over 12;
    a dotted one is day first (as written where it is used); a two-digit year is 20yy.
    """
    dates: list[tuple[int, int, int]] = []
    for match in _DATE.finditer(text):
        groups = match.groups()
        try:
            if groups[0]:
                date = (int(groups[0]), int(groups[1]), int(groups[2]))
            elif groups[3]:
                first, second = int(groups[3]), int(groups[4])
                if (day_first or first > 12) and second <= 12:
                    first, second = second, first
                date = (_year(groups[5]), first, second)
            elif groups[6]:
                date = (_year(groups[8]), _MONTHS[groups[7].lower()], int(groups[6]))
            elif groups[9]:
                date = (int(groups[11]), _MONTHS[groups[9].lower()], int(groups[10]))
            else:
                date = (int(groups[14]), int(groups[13]), int(groups[12]))
            datetime(*date)
        except (KeyError, ValueError):
            continue
        dates.append(date)
    return dates


def _year(text: str) -> int:
    """A year as written: '2026', or '26' for 2026 (plans are about this century)."""
    return int(text) if len(text) == 4 else 2000 + int(text)


def strip_dates(text: str) -> str:
    """`text` with its dates blanked, so '18.11.2026 23:00' gives one time, not two."""
    return _DATE.sub(lambda match: " " * len(match.group(0)), text)


def find_times(text: str) -> list[tuple[int, int]]:
    """Times of day as (hour, minute): 02:00, 2:00 am, 14.30."""
    times: list[tuple[int, int]] = []
    for match in re.finditer(
        r"(?:\b|(?<=\dT))(\d{1,2})[:.](\d{2})(?::\d{2})?\s*([AaPp]\.?[Mm]\.?)?(?!\d)", text
    ):
        hour, minute = int(match.group(1)), int(match.group(2))
        suffix = (match.group(3) or "").lower().replace(".", "")
        if suffix == "pm" and hour < 12:
            hour += 12
        elif suffix == "am" and hour == 12:
            hour = 0
        if hour < 24 and minute < 60:
            times.append((hour, minute))
    return times


def parse_window(text: str) -> tuple[datetime | None, datetime | None, str | None]:
    """A maintenance window written in words: start, end (either may be None) and zone."""
    zone = find_zone(text)
    # Outside the Americas a slashed date is written day first (02/12/2026 is 2 December).
    dates = find_dates(text, day_first=zone is not None and not zone.startswith("America/"))
    times = find_times(strip_dates(text))
    if not dates:
        return None, None, zone
    day = datetime(*dates[0])
    start = day.replace(hour=times[0][0], minute=times[0][1]) if times else None
    end = None
    if start is not None and len(times) > 1:
        end_day = datetime(*dates[1]) if len(dates) > 1 else day
        end = end_day.replace(hour=times[1][0], minute=times[1][1])
        if end <= start:
            end += timedelta(days=1)
        if end - start > timedelta(days=2):
            end = None
    return start, end, zone


_META_KEYS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("customer", re.compile(r"^(customer|client|company|account name)$")),
    (
        "window",
        re.compile(
            r"^((maintenance|change|cutover|migration|outage)\s+)?(window|date|date/time|"
            r"date and time|time)$|^(when|scheduled|scheduled for|cutover)$"
        ),
    ),
    ("timezone", re.compile(r"^(time ?zone|tz)$")),
    ("rto", re.compile(r"^(rto|recovery time( objective)?|rollback time)$")),
    ("version", re.compile(r"^(version|rev|revision|runbook version)$")),
)


def meta_key(key: str) -> str | None:
    """Which metadata a 'Key: value' line gives, if any."""
    normal = " ".join(re.sub(r"[*_`#>]", " ", key).lower().split()).rstrip(":")
    for name, pattern in _META_KEYS:
        if pattern.match(normal):
            return name
    return None


def apply_meta(draft: Draft, key: str, value: str, line: int) -> bool:
    """Store one metadata value; False when the value could not be understood."""
    value = clean_text(value.strip().strip("*_`"))
    if not value:
        return False
    if key == "customer":
        draft.customer = draft.customer or field_line(value)
    elif key == "version":
        draft.version = draft.version or field_line(value)[:40]
    elif key == "timezone":
        zone = find_zone(value)
        if zone is None:
            return False
        draft.timezone = draft.timezone or zone
    elif key == "rto":
        found = pick_duration(value)
        if found is None:
            return False
        draft.rto_minutes = draft.rto_minutes or found.minutes
    elif key == "window":
        start, end, zone = parse_window(value)
        if start is None:
            return False
        draft.window_start = draft.window_start or start
        draft.window_end = draft.window_end or end
        draft.timezone = draft.timezone or zone
    return True
