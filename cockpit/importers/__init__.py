"""Import the runbooks teams already have — Markdown, spreadsheet CSV — into our TOML.

Each reader (`markdown`, `csv_import`) turns its text into a `Draft`: steps, checkpoints,
rollback items, verification, whatever metadata it found, and a `Note` for every line it
could not map (or had to guess about). `finish` turns the draft into runbook data that
passes the format validation, filling what the source did not say with placeholders
marked TODO (a window, a time zone, an RTO, owners, minutes). `to_toml` writes it with
tomli-w and puts a `# TODO …` comment on every placeholder line, so `cockpit check`
(rule R901) tells the user exactly what is left to fill in.

Nothing here may raise on odd input except `FileProblems` for a file that cannot be used
at all (unreadable, no steps): every other oddity becomes a note.
"""

from __future__ import annotations

import math
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cockpit.errors import FileProblems, Problem

#: Longest text a runbook field holds (the format's limit).
MAX_TEXT = 10_000
#: Most steps a runbook holds (the format's limit).
MAX_STEPS = 5000
#: Most criteria a checkpoint holds (the format's limit).
MAX_CRITERIA = 9
#: The placeholder window when the source names none: obviously not a real night.
PLACEHOLDER_START = datetime(2030, 1, 1, 2, 0)
#: Minutes given to a step (or an undo) whose duration the source does not say.
PLACEHOLDER_MINUTES = 5
TODO = "TODO"


# ---- what a reader produces ----------------------------------------------------------------------


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
    section: str = ""


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
    sections: dict[int, str]  # step index → section title, for comments above it
    notes: list[Note]
    placeholders: list[str]
    source: Path


# ---- text helpers --------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\ufeff\ud800-\udfff]")


def clean_text(text: str) -> str:
    """Text safe for every field: no control characters or lone surrogates, NFC, stripped."""
    text = unicodedata.normalize("NFC", _CONTROL.sub("", text.replace("\r\n", "\n")))
    return text.strip()[:MAX_TEXT].strip()


def one_line(text: str) -> str:
    """Text on one line, whitespace collapsed."""
    return " ".join(clean_text(text).split())[:MAX_TEXT]


def slug(text: str, fallback: str) -> str:
    """An identifier from text: lower-case words joined by '-', at most 40 characters."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    result = ""
    for word in words:
        candidate = f"{result}-{word}" if result else word
        if len(candidate) > 40:
            break
        result = candidate
    if not result and words:
        result = words[0][:40]
    return result or fallback


def unique_id(base: str, used: set[str]) -> str:
    """`base`, or `base-2`, `base-3`… whichever is free; remembered in `used`."""
    candidate = base[:60]
    number = 2
    while candidate in used:
        candidate = f"{base[:56]}-{number}"
        number += 1
    used.add(candidate)
    return candidate


# ---- durations -----------------------------------------------------------------------------------

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


def strip_span(text: str, start: int, end: int) -> str:
    """`text` without `text[start:end]` (and the brackets around it), tidied."""
    removed, before, after = text[start:end], text[:start], text[end:]
    if removed.lstrip()[:1] in ("(", "[") and after.lstrip()[:1] in (")", "]"):
        after = after.lstrip()[1:]
    elif before.rstrip()[-1:] in ("(", "[") and after.lstrip()[:1] in (")", "]"):
        before = before.rstrip()[:-1]
        after = after.lstrip()[1:]
    return tidy_title(f"{before} {after}")


def tidy_title(text: str) -> str:
    """Collapse spaces and drop separators left dangling at the ends."""
    text = " ".join(text.split())
    text = re.sub(r"\(\s*\)|\[\s*\]", "", text)
    text = re.sub(r"\s+([,;:.)])", r"\1", text)
    return " ".join(text.split()).strip(" -–—|,;:·•*_")


# ---- owners --------------------------------------------------------------------------------------

_OWNER_KEY = re.compile(
    r"\b(?:owner|owned by|responsible|assignee|assigned to|who)\s*[:=]\s*"
    r"(?P<owner>[^;,()\[\]|]+?)\s*(?=$|[;,()\[\]|]|\s[-–—]\s)",
    re.IGNORECASE,
)
_AT_OWNER = re.compile(r"(?<![\w.])@(?P<owner>[A-Za-z][\w.\-]*[\w])")
_BRACKET_OWNER = re.compile(r"\[(?P<owner>[A-Za-z][\w .&/\-]{0,40})\](?!\()")


def take_owners(text: str) -> tuple[list[str], str]:
    """Owners written as "Owner: X", "@X" or "[X]", and the text without them."""
    owners: list[str] = []
    for pattern in (_OWNER_KEY, _AT_OWNER, _BRACKET_OWNER):
        while True:
            match = pattern.search(text)
            if match is None:
                break
            owner = match.group("owner").strip().strip("*_`")
            if pattern is _BRACKET_OWNER and (owner.lower() in ("x", " ") or find_durations(owner)):
                # "[x]" is a ticked box and "[15m]" a duration, not an owner.
                text = text[: match.start()] + f"\x00{owner}\x01" + text[match.end() :]
                continue
            if owner and owner not in owners:
                owners.append(owner)
            text = f"{text[: match.start()]} {text[match.end() :]}"
    text = text.replace("\x00", "[").replace("\x01", "]")
    return owners, tidy_title(text)


# ---- the point of no return and go/no-go ---------------------------------------------------------

PONR = re.compile(r"point[\s-]+of[\s-]+no[\s-]+return|\bPONR\b|\bno way back\b", re.IGNORECASE)
GATE = re.compile(
    r"go\s*/\s*no[\s-]*go|\bgo[\s-]+no[\s-]*go\b|\bgo or no[\s-]*go\b|^\W*gate\b|"
    r"^\W*checkpoint\b|\bdecision point\b",
    re.IGNORECASE,
)


def strip_ponr(text: str) -> str:
    """A title without its point-of-no-return marker ("— POINT OF NO RETURN", "**PONR**")."""
    return tidy_title(PONR.sub("", text).replace("**", "").replace("⚠️", "").replace("⚠", ""))


# ---- metadata ------------------------------------------------------------------------------------

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


def find_dates(text: str, *, day_first: bool = False) -> list[tuple[int, int, int]]:
    """Dates as (year, month, day): 2026-12-02, 12/02/2026, 2 Dec 2026, Dec 2, 2026.

    A slashed date is month first (US) unless `day_first` or the first number is over 12.
    """
    dates: list[tuple[int, int, int]] = []
    for match in re.finditer(
        r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b|\b(\d{1,2})/(\d{1,2})/(\d{4})\b|"
        r"\b(\d{1,2})\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})\b|\b([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})\b",
        text,
    ):
        groups = match.groups()
        try:
            if groups[0]:
                date = (int(groups[0]), int(groups[1]), int(groups[2]))
            elif groups[3]:
                first, second = int(groups[3]), int(groups[4])
                if (day_first or first > 12) and second <= 12:
                    first, second = second, first
                date = (int(groups[5]), first, second)
            elif groups[6]:
                date = (int(groups[8]), _MONTHS[groups[7].lower()], int(groups[6]))
            else:
                date = (int(groups[11]), _MONTHS[groups[9].lower()], int(groups[10]))
            datetime(*date)
        except (KeyError, ValueError):
            continue
        dates.append(date)
    return dates


def find_times(text: str) -> list[tuple[int, int]]:
    """Times of day as (hour, minute): 02:00, 2:00 am, 14.30."""
    times: list[tuple[int, int]] = []
    for match in re.finditer(
        r"\b(\d{1,2})[:.](\d{2})(?::\d{2})?\s*([AaPp]\.?[Mm]\.?)?(?!\d)", text
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
    without_dates = re.sub(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}/\d{4}", " ", text)
    times = find_times(without_dates)
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
        draft.customer = draft.customer or one_line(value)
    elif key == "version":
        draft.version = draft.version or one_line(value)[:40]
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


# ---- attaching rollbacks to steps ----------------------------------------------------------------

_STOP_WORDS = (
    "the and for with from into all any old new back again then step steps if on off to "
    "of a an in it its is be set run use via undo roll rollback revert restore back-out "
    "backout fallback are was were this that these those our their your them they we you"
)
#: Words too common to tell one step from another.
_STOP = frozenset(_STOP_WORDS.split())


def _words(text: str) -> set[str]:
    words: set[str] = set()
    for word in re.findall(r"[a-z0-9]+", text.lower()):
        if len(word) < 3 or word in _STOP:
            continue
        for suffix in ("ing", "ed", "es", "s"):
            if word.endswith(suffix) and len(word) - len(suffix) >= 4:
                word = word[: -len(suffix)]
                break
        words.add(word)
        for prefix in ("un", "re", "de", "dis"):
            if word.startswith(prefix) and len(word) - len(prefix) >= 4:
                words.add(word[len(prefix) :])
    return words


_STEP_REF = re.compile(r"\b(?:step|task|item|row)\s*#?\s*([A-Za-z]?\d+[a-z]?)\b|#(\d+)\b", re.I)


def attach_rollbacks(draft: Draft) -> None:
    """Give each rollback item found in a rollback section to the step it undoes.

    An explicit reference ("undo step 3") wins; otherwise the step whose title shares the
    most words with the item (before the point of no return on a tie). An item that
    matches nothing is reported, never dropped silently.
    """
    steps = draft.steps
    numbers = {step.number: index for index, step in enumerate(steps) if step.number}
    ponr = next((i for i, s in enumerate(steps) if s.ponr), len(steps))
    titles = [_words(step.title) for step in steps]
    for item in draft.rollbacks:
        target = item.step
        how = ""
        if target is None:
            for match in _STEP_REF.finditer(item.text):
                ref = match.group(1) or match.group(2)
                if ref in numbers:
                    target, how = numbers[ref], f"it names step {ref}"
                    break
                if ref.isdigit() and 1 <= int(ref) <= len(steps):
                    target, how = int(ref) - 1, f"it names step {ref}"
                    break
        if target is None:
            # Steps that say they need no rollback are not candidates; up to the point of no
            # return one shared word will do, after it (where rollbacks are rare) two. A tie
            # goes to the later step: a rollback undoes the latest change first.
            item_words = _words(item.text)
            scored = [
                (len(item_words & words), index)
                for index, words in enumerate(titles)
                if steps[index].no_rollback is None
            ]
            before = [pair for pair in scored if pair[1] <= ponr and pair[0] > 0]
            after = [pair for pair in scored if pair[1] > ponr and pair[0] > 1]
            best = max(before or after, default=None)
            if best is not None:
                target = best[1]
                shared = sorted(item_words & titles[target])
                how = f"shared words: {', '.join(shared)}"
        if target is None:
            draft.note(
                item.line,
                f"rollback {item.text[:60]!r}: no step it undoes could be found; add it to "
                'that step as rollback = { action = "…", minutes = N }',
            )
            continue
        steps[target].rollbacks.append(item)
        if how:
            draft.note(
                item.line,
                f"rollback {item.text[:50]!r} attached to step {target + 1} "
                f"{steps[target].title[:40]!r} ({how})",
                "guessed",
            )
    draft.rollbacks = []


# ---- the draft as runbook data -------------------------------------------------------------------


def finish(draft: Draft) -> ImportResult:
    """Runbook data from a draft: valid, with a TODO placeholder for whatever is missing."""
    if not draft.steps:
        raise FileProblems(
            draft.source,
            [
                Problem(
                    "found no steps: write them as a numbered list (1. …) or checkboxes "
                    "(- [ ] …) in Markdown, or as rows with a Task column in a spreadsheet"
                )
            ],
            "runbook to import",
        )
    attach_rollbacks(draft)
    comments: dict[tuple[str | int, ...], str] = {}
    placeholders: list[str] = []
    if len(draft.steps) > MAX_STEPS:
        draft.note(
            draft.steps[MAX_STEPS].line,
            f"more than {MAX_STEPS} steps: the rest were left out",
        )
        draft.steps = draft.steps[:MAX_STEPS]
    _gate_leftover_checkpoints(draft)

    used: set[str] = set()
    ids: list[str] = []
    for index, step in enumerate(draft.steps):
        ids.append(unique_id(slug(step.title, f"step-{index + 1}"), used))
    numbers = {step.number: index for index, step in enumerate(draft.steps) if step.number}
    ponr_index = next((i for i, s in enumerate(draft.steps) if s.ponr), None)
    for index, step in enumerate(draft.steps):
        if step.ponr and index != ponr_index:
            draft.note(
                step.line,
                f"a second point of no return ({step.title[:40]!r}); only the first "
                f"({draft.steps[ponr_index or 0].title[:40]!r}) was marked",
                "guessed",
            )

    steps_data: list[dict[str, Any]] = []
    owners_missing = minutes_missing = 0
    for index, step in enumerate(draft.steps):
        title = one_line(step.title) or f"Step {index + 1}"
        data: dict[str, Any] = {"id": ids[index], "title": title}
        owner = one_line(step.owner or "")
        if not owner:
            owners_missing += 1
        data["owner"] = owner or TODO
        if step.minutes is None:
            minutes_missing += 1
            comments[("steps", index, "minutes")] = "TODO: estimate the minutes"
        data["minutes"] = step.minutes or PLACEHOLDER_MINUTES
        instructions = clean_text("\n".join(step.instructions))
        if instructions:
            data["instructions"] = instructions
        commands = [c for c in (clean_text(c) for c in step.commands) if c]
        if commands:
            data["commands"] = commands
        verify = [v for v in (one_line(v) for v in step.verify) if v]
        if verify:
            data["verify"] = verify
        depends: list[str] = []
        for ref in step.depends_on:
            if ref in draft.gate_refs and ref not in numbers:
                continue  # "after the go/no-go": the checkpoint already gates this step
            target = numbers.get(ref)
            if target is None and ref.isdigit() and ref not in numbers:
                target = int(ref) - 1 if 1 <= int(ref) <= len(draft.steps) else None
            if target is None or target >= index:
                draft.note(
                    step.line,
                    f"step {title[:40]!r} depends on {ref!r}, which is not an earlier step; "
                    "left out",
                )
            elif ids[target] not in depends:
                depends.append(ids[target])
        if depends:
            data["depends_on"] = depends
        rollback = _rollback_data(step, index, comments)
        if rollback is not None:
            data["rollback"] = rollback
        elif one_line(step.no_rollback or ""):
            data["no_rollback"] = one_line(step.no_rollback or "")
        steps_data.append(data)
    if owners_missing:
        placeholders.append(f"owner of {owners_missing} step(s)")
    if minutes_missing:
        placeholders.append(f"minutes of {minutes_missing} step(s)")

    checkpoints = _checkpoints_data(draft, ids, comments)
    ponr_data: dict[str, Any]
    if ponr_index is not None:
        ponr_data = {"step": ids[ponr_index]}
        why = one_line(draft.ponr_why)
        if why:
            ponr_data["why"] = why
        if not any(cp["before"] in ids[: ponr_index + 1] for cp in checkpoints):
            checkpoints.append(_placeholder_gate(ids[ponr_index], used))
            placeholders.append("the go/no-go before the point of no return")
    else:
        ponr_data = {
            "none": 'TODO: mark the point of no return (step = "…") or say why this plan has none'
        }
        placeholders.append("the point of no return")

    meta, meta_placeholders = _meta_data(draft, steps_data, comments)
    placeholders[:0] = meta_placeholders
    result: dict[str, Any] = {}
    verification = [v for v in (one_line(v) for v in draft.verification) if v]
    if verification:
        result["verification"] = verification
    result["runbook"] = meta
    result["steps"] = steps_data
    if checkpoints:
        result["checkpoints"] = checkpoints
    result["point_of_no_return"] = ponr_data
    sections = {
        index: one_line(step.section)
        for index, step in enumerate(draft.steps)
        if step.section and (index == 0 or draft.steps[index - 1].section != step.section)
    }
    return ImportResult(result, comments, sections, draft.notes, placeholders, draft.source)


def _rollback_data(
    step: DraftStep, index: int, comments: dict[tuple[str | int, ...], str]
) -> dict[str, Any] | None:
    if not step.rollbacks:
        return None
    unique: dict[str, DraftRollback] = {}
    for item in step.rollbacks:  # the same undo from the step's row and a rollback section
        key = one_line(item.text).casefold()
        if key in unique:
            unique[key].minutes = unique[key].minutes or item.minutes
            unique[key].commands.extend(item.commands)
        else:
            unique[key] = DraftRollback(item.text, item.line, item.minutes, list(item.commands))
    step.rollbacks = list(unique.values())
    action = one_line("; ".join(item.text for item in step.rollbacks))
    if not action:
        return None
    known = [item.minutes for item in step.rollbacks if item.minutes is not None]
    if known:
        minutes = min(sum(known), 24 * 60)
    else:
        minutes = PLACEHOLDER_MINUTES
        comments[("steps", index, "rollback", "minutes")] = "TODO: minutes the undo takes"
    data: dict[str, Any] = {"action": action, "minutes": minutes}
    commands = [c for item in step.rollbacks for c in (clean_text(x) for x in item.commands) if c]
    if commands:
        data["commands"] = commands
    return data


def _gate_leftover_checkpoints(draft: Draft) -> None:
    """A go/no-go after the last step gets a 'declare live' step to gate."""
    leftovers = [cp for cp in draft.checkpoints if cp.before is None]
    if not leftovers:
        return
    first = leftovers[0]
    step = DraftStep(title="Declare live", line=first.line, owner=first.decider, minutes=5)
    step.verify.append("Completion message sent to every stakeholder")
    draft.add_step(step)
    draft.note(
        first.line,
        f"go/no-go {first.title[:50]!r} has no step after it: added a step 'Declare live' "
        "for it to gate",
        "guessed",
    )


def _checkpoints_data(
    draft: Draft, ids: list[str], comments: dict[tuple[str | int, ...], str]
) -> list[dict[str, Any]]:
    merged: dict[int, DraftCheckpoint] = {}
    for checkpoint in draft.checkpoints:
        if checkpoint.before is None or checkpoint.before >= len(ids):
            continue
        if checkpoint.before in merged:
            into = merged[checkpoint.before]
            into.criteria.extend(checkpoint.criteria)
            into.decider = into.decider or checkpoint.decider
            into.no_go = into.no_go or checkpoint.no_go
            draft.note(
                checkpoint.line,
                f"go/no-go {checkpoint.title[:40]!r} merged into {into.title[:40]!r}: both "
                "gate the same step",
                "guessed",
            )
        else:
            merged[checkpoint.before] = checkpoint
    used: set[str] = set()
    result: list[dict[str, Any]] = []
    for before in sorted(merged):
        checkpoint = merged[before]
        title = one_line(checkpoint.title) or f"Go/no-go before {ids[before]}"
        criteria = [c for c in (one_line(c) for c in checkpoint.criteria) if c]
        if len(criteria) > MAX_CRITERIA:
            draft.note(
                checkpoint.line,
                f"go/no-go {title[:40]!r} has {len(criteria)} criteria; a checkpoint holds "
                f"{MAX_CRITERIA}: the rest were left out: {'; '.join(criteria[MAX_CRITERIA:])}",
            )
            criteria = criteria[:MAX_CRITERIA]
        data: dict[str, Any] = {
            "id": unique_id(slug(title, f"gate-{before + 1}"), used),
            "before": ids[before],
            "title": title,
            "criteria": criteria or ["TODO: what must be true to go on"],
            "decider": one_line(checkpoint.decider or "") or TODO,
            "no_go_means": one_line(checkpoint.no_go or "")
            or "TODO: what happens on a no-go (hold, roll back, reschedule)",
        }
        result.append(data)
    return result


def _placeholder_gate(step_id: str, used: set[str]) -> dict[str, Any]:
    return {
        "id": unique_id(f"gate-{step_id}"[:60], used),
        "before": step_id,
        "title": "TODO: go/no-go before the point of no return",
        "criteria": ["TODO: what must be true to cross the point of no return"],
        "decider": TODO,
        "no_go_means": "TODO: what happens on a no-go",
    }


def _meta_data(
    draft: Draft, steps: list[dict[str, Any]], comments: dict[tuple[str | int, ...], str]
) -> tuple[dict[str, Any], list[str]]:
    placeholders: list[str] = []
    title = one_line(draft.title or "") or draft.source.stem.replace("_", " ").replace("-", " ")
    title = title or "Imported runbook"
    zone = draft.timezone
    if zone is None:
        zone = "UTC"
        comments[("runbook", "timezone")] = "TODO: the IANA zone of the window"
        placeholders.append("timezone")
    rollback_minutes = sum(s["rollback"]["minutes"] for s in steps if "rollback" in s)
    rto = draft.rto_minutes
    if rto is None:
        rto = min(max(15, math.ceil(rollback_minutes / 15) * 15), 24 * 60)
        comments[("runbook", "rto_minutes")] = "TODO: the agreed recovery time objective"
        placeholders.append("rto_minutes")
    start = draft.window_start
    if start is None:
        start = PLACEHOLDER_START
        comments[("runbook", "window_start")] = "TODO: the local start of the window"
        placeholders.append("window_start")
    end = draft.window_end
    if end is None or end <= start or end - start > timedelta(days=2):
        needed = sum(s["minutes"] for s in steps) + rollback_minutes
        span = min(math.ceil(needed / 30) * 30 + 30, 48 * 60)
        end = start + timedelta(minutes=span)
        comments[("runbook", "window_end")] = "TODO: the local end of the window"
        placeholders.append("window_end")
    customer = one_line(draft.customer or "")
    if not customer:
        customer = "TODO: the customer's name"
        placeholders.append("customer")
    meta: dict[str, Any] = {
        "id": slug(title, "imported"),
        "title": title,
        "version": one_line(draft.version or "") or "0.1",
        "customer": customer,
        "timezone": zone,
        "window_start": start,
        "window_end": end,
        "rto_minutes": rto,
    }
    return meta, placeholders


# ---- writing -------------------------------------------------------------------------------------


def to_toml(result: ImportResult) -> str:
    """The runbook as TOML: written by tomli-w, then commented where a value is a placeholder.

    The comments are added line by line after writing, and the result is parsed again and
    compared with the data: if a comment could have changed a value, the plain tomli-w
    text is returned instead (with the header comment only).
    """
    import tomli_w

    from cockpit.model.locate import line_map

    plain = tomli_w.dumps(result.data, multiline_strings=True)
    header = [
        f"# Imported from {result.source.name} by `cockpit import`.",
        "#",
        "# Values marked TODO are placeholders the source did not say. Fill them in, add",
        "# what `cockpit check` asks for (contact card, communications, rollbacks…), and run",
        "#   cockpit check THIS-FILE.toml",
        "# until it passes.",
        "",
    ]
    lines = plain.split("\n")
    positions = line_map(plain)
    for location, comment in result.comments.items():
        number = positions.get(location)
        if number is None or not 1 <= number <= len(lines):
            continue
        line = lines[number - 1]
        if re.fullmatch(r"[A-Za-z0-9_\-\"]+ = [^#\n]*", line) and '"""' not in line:
            lines[number - 1] = f"{line}  # {comment}"
    for index in sorted(result.sections, reverse=True):
        number = positions.get(("steps", index))
        if number is None or not 1 <= number <= len(lines):
            continue
        title = result.sections[index][:70]
        lines.insert(number - 1, f"# ---- {title} " + "-" * max(3, 70 - len(title)))
    commented = "\n".join(header + lines)
    try:
        if tomllib.loads(commented) == tomllib.loads(plain):
            return commented
    except tomllib.TOMLDecodeError:
        pass
    return "\n".join(header) + plain


def import_text(text: str, source: Path | str, kind: str) -> ImportResult:
    """Import text of `kind` ('md' or 'csv') into runbook data."""
    source = Path(source)
    if kind == "csv":
        from cockpit.importers.csv_import import read_csv

        draft = read_csv(text, source)
    else:
        from cockpit.importers.markdown import read_markdown

        draft = read_markdown(text, source)
    return finish(draft)


_KINDS = {
    ".md": "md",
    ".markdown": "md",
    ".mdown": "md",
    ".txt": "md",
    ".csv": "csv",
    ".tsv": "csv",
}


def kind_of(path: Path) -> str | None:
    """'md' or 'csv' from a file name, or None."""
    return _KINDS.get(path.suffix.lower())


def read_source(path: Path) -> str:
    """A source file's text: UTF-8 (with or without BOM), else Windows-1252, else Latin-1."""
    from cockpit.model.load import MAX_FILE_BYTES

    kind = "runbook to import"
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise FileProblems(path, [Problem(f"the file is {size} bytes; at most 8 MiB")], kind)
        data = path.read_bytes()
    except FileProblems:
        raise
    except FileNotFoundError:
        raise FileProblems(path, [Problem("no such file")], kind) from None
    except IsADirectoryError:
        raise FileProblems(path, [Problem("this is a folder, not a file")], kind) from None
    except OSError as error:
        raise FileProblems(
            path, [Problem(f"cannot read it: {error.strerror or error}")], kind
        ) from None
    if b"\x00" in data[:4096]:
        raise FileProblems(
            path,
            [Problem("this looks like a binary file (an .xlsx?); export it as CSV or Markdown")],
            kind,
        )
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")
