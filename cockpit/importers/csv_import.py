"""Read a runbook exported from a spreadsheet (CSV), the way teams keep them.

The header row is found among the first rows (title rows above it are fine) and mapped
case-insensitively with the usual synonyms: ID/#, Task/Step/Activity, Owner/Responsible/
Assignee, Duration/Minutes/Mins/Est, Start/Planned start, Predecessor/Depends on,
Rollback/Backout, Notes/Comments, and also Verify/Expected result, Command, Type, PONR and
Phase. Durations may be minutes ("15"), h:mm ("0:15", "1:30", "0:15:00") or words ("1h").
When durations are missing but planned starts are given, a step lasts until the next one
starts.

Rows whose task reads like "Go/No-go …" become checkpoints (criteria from the notes or
verify cell, split on ';' or new lines); a row with only a title in capitals ("ROLLBACK",
"PHASE 2 - CUTOVER") starts a section, and rows under a rollback section are rollback
items matched to the step they undo, under a verification section verification items.
The delimiter (comma, semicolon, tab) and the encoding (UTF-8, Excel's Windows-1252) are
detected.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import pairwise
from pathlib import Path

from cockpit.errors import FileProblems, Problem
from cockpit.importers.draft import Draft, DraftCheckpoint, DraftRollback, DraftStep
from cockpit.importers.durations import parse_minutes, pick_duration
from cockpit.importers.meta import apply_meta, find_dates, find_times, meta_key
from cockpit.importers.text import (
    GATE,
    PONR,
    clean_text,
    field_line,
    strip_ponr,
    strip_span,
    take_owners,
)

#: Role → header names (normalised: lower case, single spaces, units in brackets removed).
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "id": (
        "id",
        "#",
        "no",
        "no.",
        "nr",
        "num",
        "number",
        "step #",
        "step no",
        "step no.",
        "step number",
        "step id",
        "seq",
        "sequence",
        "ref",
        "item #",
        "task id",
        "task #",
        "task no",
        "line",
    ),
    "title": (
        "task",
        "activity",
        "action",
        "step",
        "task name",
        "task description",
        "activity name",
        "step description",
        "step name",
        "description",
        "item",
        "name",
        "what",
        "summary",
        "title",
        "activity description",
        "tâche",
        "activité",
        "étape",
        "aufgabe",
        "schritt",
        "tarea",
        "actividad",
    ),
    "owner": (
        "owner",
        "responsible",
        "assignee",
        "assigned to",
        "who",
        "resource",
        "resources",
        "performed by",
        "by",
        "team",
        "lead",
        "owner/team",
        "responsible party",
        "responsable",
        "verantwortlich",
        "zuständig",
    ),
    "minutes": (
        "duration",
        "minutes",
        "mins",
        "min",
        "est",
        "est.",
        "estimate",
        "estimated",
        "est duration",
        "est. duration",
        "estimated duration",
        "est time",
        "est. time",
        "effort",
        "length",
        "planned duration",
        "time required",
        "hours",
        "hrs",
        "durée",
        "dauer",
        "duración",
    ),
    "start": (
        "start",
        "planned start",
        "start time",
        "begin",
        "planned",
        "when",
        "scheduled",
        "t",
        "time",
        "planned time",
        "scheduled start",
        "start (planned)",
        "t-time",
        "offset",
    ),
    "depends": (
        "predecessor",
        "predecessors",
        "depends on",
        "depends",
        "dependency",
        "dependencies",
        "after",
        "prerequisite",
        "prerequisites",
        "prereq",
        "requires",
    ),
    "rollback": (
        "rollback",
        "backout",
        "back-out",
        "back out",
        "rollback plan",
        "backout plan",
        "fallback",
        "undo",
        "rollback steps",
        "rollback action",
        "rollback procedure",
        "roll back",
        "revert",
    ),
    "rollback_minutes": (
        "rollback duration",
        "rollback minutes",
        "rollback mins",
        "rollback time",
        "backout duration",
        "backout time",
        "rollback est",
        "backout minutes",
    ),
    "notes": (
        "notes",
        "note",
        "comments",
        "comment",
        "remarks",
        "details",
        "instructions",
        "detail",
        "how",
        "additional info",
        "remarques",
        "bemerkungen",
        "notas",
    ),
    "verify": (
        "verify",
        "verification",
        "validation",
        "check",
        "checks",
        "success criteria",
        "expected result",
        "expected",
        "expected outcome",
        "acceptance",
        "test",
        "checkpoint",
    ),
    "commands": ("command", "commands", "cmd", "script", "scripts"),
    "type": ("type", "kind", "category", "row type"),
    "ponr": ("ponr", "point of no return", "irreversible", "no return"),
    "phase": ("phase", "stage", "section", "group", "workstream", "part"),
}
_ROLES_IN_ORDER = (
    "id", "rollback_minutes", "title", "owner", "minutes", "start", "depends", "rollback",
    "notes", "verify", "commands", "type", "ponr", "phase",
)  # fmt: skip
_YES = frozenset({"yes", "y", "x", "true", "1", "ponr", "✓", "✔", "point of no return"})
_ROLLBACK_SECTION = re.compile(r"\b(roll[\s-]?back|back[\s-]?out|fall[\s-]?back|revert)\b", re.I)
_VERIFY_SECTION = re.compile(
    r"\b(verification|validation|post[\s-]*(cutover|migration|change)[\s-]*(checks?|tests?)|"
    r"smoke tests?)\b",
    re.I,
)
_NOTHING = re.compile(
    r"^(none|n/?a|-|not needed|no rollback( needed)?|nothing)\b[\s:—\-–,;.]*(?P<rest>.*)$", re.I
)


@dataclass
class Header:
    """Which column plays which role, and how durations are written."""

    line: int
    columns: dict[str, int]
    names: list[str]
    hours: bool = False  # the duration column is in hours
    rollback_hours: bool = False
    unmapped: list[str] = field(default_factory=list)


def _normal(name: str) -> tuple[str, str]:
    """A header name normalised, and the unit it names ('min', 'h' or '')."""
    text = " ".join(name.lower().replace("_", " ").split()).strip(" :*")
    unit = ""
    bracket = re.search(r"\s*[(\[]\s*(min|mins|minutes|m|h|hr|hrs|hours|h:mm|hh:mm)\s*[)\]]$", text)
    if bracket:
        unit = "h" if bracket.group(1).startswith("h") and bracket.group(1) != "h:mm" else "min"
        unit = "" if bracket.group(1) in ("h:mm", "hh:mm") else unit
        text = text[: bracket.start()].strip()
    words = re.match(r"^(.*?)\s+in\s+(minutes|mins|hours|hrs)$", text)
    if words:
        text, unit = words.group(1), "h" if words.group(2).startswith("h") else "min"
    return text, unit


def map_header(
    cells: list[str],
    line: int,
    draft: Draft,
    rows: list[tuple[int, list[str]]] | None = None,
    overrides: Mapping[str, str] | None = None,
) -> Header | None:
    """Map a header row to roles; None unless it names a task column.

    `overrides` (role → normalised header name) win over the usual names.
    """
    names = [_normal(cell) for cell in cells]
    columns: dict[str, int] = {}
    hours = rollback_hours = False
    taken: set[int] = set()
    for role, wanted in (overrides or {}).items():
        found = next((i for i, (name, _) in enumerate(names) if name == wanted), None)
        if found is not None:
            columns[role] = found
            taken.add(found)
            if role == "minutes":
                hours = names[found][1] == "h"
    segments = [
        {part.strip() for part in re.split(r"\s*[/|]\s*|\s+-\s+", name) if part.strip()}
        for name, _ in names
    ]
    for role in _ROLES_IN_ORDER:
        if role in columns:
            continue
        for synonym in _SYNONYMS[role]:
            found = next(
                (i for i, (name, _) in enumerate(names) if name == synonym and i not in taken),
                None,
            )
            if found is None:  # "Activité / Task", "Owner | Team"
                found = next(
                    (i for i, parts in enumerate(segments) if synonym in parts and i not in taken),
                    None,
                )
            if found is None:
                continue
            if role == "title" and synonym == "step" and rows and _mostly_numbers(rows, found):
                if "id" not in columns:
                    columns["id"] = found
                    taken.add(found)
                continue
            columns[role] = found
            taken.add(found)
            if role == "minutes":
                hours = names[found][1] == "h" or synonym in ("hours", "hrs")
            if role == "rollback_minutes":
                rollback_hours = names[found][1] == "h"
            break
    if "start" in columns and "minutes" not in columns and names[columns["start"]][1]:
        # "Time (min)" is a duration, not a start time.
        columns["minutes"] = columns.pop("start")
        hours = names[columns["minutes"]][1] == "h"
    if "title" not in columns:
        return None
    unmapped = [cells[i].strip() for i in range(len(cells)) if i not in taken and cells[i].strip()]
    header = Header(line, columns, [c.strip() for c in cells], hours, rollback_hours, unmapped)
    for name in unmapped:
        draft.note(
            line,
            f"column {name[:40]!r} not mapped (known columns: ID, Task, Owner, Duration, Start, "
            "Predecessor, Rollback, Notes, Verify, Command, Type, PONR, Phase)",
        )
    return header


def _mostly_numbers(rows: list[tuple[int, list[str]]], column: int) -> bool:
    values = [
        cells[column].strip() for _, cells in rows if column < len(cells) and cells[column].strip()
    ]
    numeric = [v for v in values if re.fullmatch(r"[A-Za-z]?\d{1,4}[a-z]?\.?", v)]
    return bool(values) and len(numeric) * 10 >= len(values) * 6


@dataclass
class _RowState:
    section: str = ""
    kind: str = ""  # "", "rollback", "verification"
    starts: dict[int, datetime | int] = field(default_factory=dict)  # step → start
    by_id: dict[str, int] = field(default_factory=dict)


def add_rows(
    draft: Draft,
    header: Header,
    rows: list[tuple[int, list[str]]],
    *,
    section: str = "",
    kind: str = "",
) -> None:
    """Add the data rows of a mapped table to the draft."""
    state = _RowState(section=section, kind=kind)
    first_step = len(draft.steps)
    for number, cells in rows:
        _row(draft, header, state, number, [clean_text(cell) for cell in cells])
    _derive_minutes(draft, state, first_step)


def _cell(header: Header, cells: list[str], role: str) -> str:
    column = header.columns.get(role)
    if column is None or column >= len(cells):
        return ""
    return cells[column].strip()


def _row(draft: Draft, header: Header, state: _RowState, number: int, cells: list[str]) -> None:
    if not any(cells):
        return

    def get(role: str) -> str:
        # Reads `cells` when called: a section row typed into column A rebinds it below.
        return _cell(header, cells, role)

    title = field_line(get("title"))
    filled = [cell for cell in cells if cell.strip()]
    if not title and len(filled) == 1 and (_is_section_title(filled[0]) or GATE.search(filled[0])):
        # A section or gate row typed into column A of a merged row.
        title, cells = field_line(filled[0]), [""] * len(cells)
        if "title" in header.columns and header.columns["title"] < len(cells):
            cells[header.columns["title"]] = title
    phase = field_line(get("phase"))
    if phase and phase != state.section:
        _enter_section(state, phase)
    if not title:
        draft.note(number, "row without a task: left out")
        return
    others = [
        cells[i]
        for i in range(len(cells))
        if i != header.columns.get("title") and i != header.columns.get("phase") and cells[i]
    ]
    kind = get("type").lower()
    if GATE.search(title) or kind in ("gate", "go/no-go", "checkpoint", "go-no-go", "decision"):
        _gate_row(draft, header, cells, number, title)
        return
    if not others and _is_section_title(title):
        _enter_section(state, title)
        return
    if state.kind == "rollback" or kind in ("rollback", "backout", "back-out"):
        _rollback_row(draft, header, state, cells, number, title)
        return
    if state.kind == "verification" and not get("minutes"):
        draft.verification.append(title)
        return
    _step_row(draft, header, state, cells, number, title)


def _enter_section(state: _RowState, title: str) -> None:
    state.section = title.strip(" :-")
    if _ROLLBACK_SECTION.search(title):
        state.kind = "rollback"
    elif _VERIFY_SECTION.search(title):
        state.kind = "verification"
    else:
        state.kind = ""


def _is_section_title(title: str) -> bool:
    letters = [c for c in title if c.isalpha()]
    return (
        (bool(letters) and all(c.isupper() for c in letters) and len(letters) >= 3)
        or bool(re.match(r"^(phase|stage|section|part)\b", title, re.I))
        or title.endswith(":")
        or bool(_ROLLBACK_SECTION.fullmatch(title.strip(" :-").lower()))
    )


def _split_list(text: str) -> list[str]:
    parts = re.split(r"\s*(?:;|\n|\s\|\s|•)\s*", text)
    return [part.strip(" -*") for part in parts if part.strip(" -*")]


def _gate_row(draft: Draft, header: Header, cells: list[str], number: int, title: str) -> None:

    def get(role: str) -> str:
        return _cell(header, cells, role)

    gate = DraftCheckpoint(title=title, line=number)
    if get("id"):
        draft.gate_refs.add(field_line(get("id")).rstrip("."))
    criteria_text = get("verify") or get("notes")
    head, _, tail = title.partition(":")
    if not criteria_text and tail.strip() and ";" in tail:
        gate.title, criteria_text = head, tail
    gate.criteria.extend(_split_list(criteria_text))
    gate.decider = field_line(get("owner")) or None
    if get("rollback"):
        gate.no_go = get("rollback")
    draft.checkpoints.append(gate)


def _rollback_row(
    draft: Draft, header: Header, state: _RowState, cells: list[str], number: int, title: str
) -> None:

    def get(role: str) -> str:
        return _cell(header, cells, role)

    minutes = parse_minutes(get("minutes"), hours=header.hours)
    text = title
    if minutes is None:
        duration = pick_duration(title)
        if duration is not None:
            minutes = duration.minutes
            text = strip_span(title, duration.start, duration.end)
    _, text = take_owners(text)
    target = None
    for ref in re.findall(r"[A-Za-z]?\d{1,4}[a-z]?", get("depends")):
        if ref in state.by_id:
            target = state.by_id[ref]
            break
    item = DraftRollback(text or title, number, minutes, step=target)
    notes = get("notes")
    if notes:
        item.text = f"{item.text} ({notes})"
    item.commands.extend(c for c in get("commands").split("\n") if c.strip())
    draft.rollbacks.append(item)


def _step_row(
    draft: Draft, header: Header, state: _RowState, cells: list[str], number: int, title: str
) -> None:

    def get(role: str) -> str:
        return _cell(header, cells, role)

    step = DraftStep(title=title, line=number, section=state.section)
    written_id = field_line(get("id")).rstrip(".")
    step.number = written_id or None
    ponr_cell = get("ponr").lower()
    if (
        PONR.search(title)
        or PONR.search(get("notes"))
        or PONR.search(get("type"))
        or (ponr_cell in _YES)
    ):
        step.ponr = True
        why = get("notes") if PONR.search(get("notes")) else ""
        draft.ponr_why = draft.ponr_why or strip_ponr(why)
        title = strip_ponr(title) or title
    minutes_cell = get("minutes")
    step.minutes = parse_minutes(minutes_cell, hours=header.hours)
    if minutes_cell and step.minutes is None:
        draft.note(number, f"duration {minutes_cell[:30]!r} not understood")
    if step.minutes is None:
        duration = pick_duration(title)
        if duration is not None:
            step.minutes = duration.minutes
            title = strip_span(title, duration.start, duration.end)
    owner = field_line(get("owner"))
    owners, title = take_owners(title) if not owner else ([], title)
    step.owner = owner or (owners[0] if owners else None)
    step.title = title or f"Step {len(draft.steps) + 1}"
    notes = get("notes")
    if notes and not (step.ponr and PONR.search(notes) and len(notes) < 40):
        step.instructions.append(notes)
    step.verify.extend(_split_list(get("verify")))
    step.commands.extend(c.strip() for c in get("commands").split("\n") if c.strip())
    step.depends_on.extend(
        match.group(0)
        for token in re.split(r"[,;\s]+", get("depends"))
        if (match := re.match(r"[A-Za-z]?\d{1,4}[a-z]?", token)) is not None
    )
    index = draft.add_step(step)
    rollback = get("rollback")
    if rollback:
        nothing = _NOTHING.match(rollback)
        if nothing:
            step.no_rollback = nothing.group("rest").strip() or rollback
        else:
            minutes = parse_minutes(get("rollback_minutes"), hours=header.rollback_hours)
            duration = pick_duration(rollback)
            clock = re.search(r"\(\s*(\d{1,2}):(\d{2})\s*\)", rollback)  # "(0:10)"
            if minutes is None and duration is not None:
                minutes = duration.minutes
                rollback = strip_span(rollback, duration.start, duration.end) or rollback
            elif minutes is None and clock is not None:
                minutes = int(clock.group(1)) * 60 + int(clock.group(2)) or None
                rollback = strip_span(rollback, clock.start(), clock.end()) or rollback
            step.rollbacks.append(DraftRollback(rollback, number, minutes, step=index))
    if written_id:
        state.by_id.setdefault(written_id, index)
    start = _start(get("start"))
    if start is not None:
        state.starts[index] = start
        if isinstance(start, datetime) and draft.window_start is None and index == 0:
            draft.window_start = start


def _start(cell: str) -> datetime | int | None:
    """A planned start: a date and time, or minutes from T ('T-60', '01:30' as 90)."""
    text = cell.strip()
    if not text:
        return None
    offset = re.fullmatch(r"T\s*([+\-−–])\s*(\d{1,4})\s*(m|min|h)?", text, re.I)
    if offset:
        value = int(offset.group(2)) * (60 if (offset.group(3) or "").lower() == "h" else 1)
        return -value if offset.group(1) != "+" else value
    if text.upper() in ("T", "T0", "T-0", "T+0"):
        return 0
    dates = find_dates(text)
    times = find_times(text)
    if dates and times:
        return datetime(*dates[0], times[0][0], times[0][1])
    if times:
        return times[0][0] * 60 + times[0][1]
    return None


def _derive_minutes(draft: Draft, state: _RowState, first_step: int) -> None:
    """Steps without a duration last until the next step's planned start."""
    ordered = sorted(state.starts)
    for current, following in pairwise(ordered):
        step = draft.steps[current]
        if step.minutes is not None or following != current + 1:
            continue
        a, b = state.starts[current], state.starts[following]
        if isinstance(a, datetime) and isinstance(b, datetime):
            minutes = int((b - a) / timedelta(minutes=1))
        elif isinstance(a, int) and isinstance(b, int):
            minutes = b - a
            if minutes < 0 and a >= 0:  # clock times past midnight
                minutes += 24 * 60
        else:
            continue
        if 0 < minutes <= 24 * 60:
            step.minutes = minutes
            draft.note(
                step.line,
                f"minutes of {step.title[:40]!r} taken from the next step's start ({minutes})",
                "guessed",
            )


# ---- the file -----------------------------------------------------------------------------------


def _dialect(sample: str) -> type[csv.Dialect] | csv.Dialect:
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        first = sample.split("\n", 1)[0]
        counts = {d: first.count(d) for d in ",;\t|"}
        best = max(counts, key=lambda d: counts[d])

        class Guessed(csv.excel):
            delimiter = best if counts[best] else ","

        return Guessed


#: The roles a `--column ROLE=HEADER` override may name.
ROLES = _ROLES_IN_ORDER


def read_csv(text: str, source: Path | str, *, columns: Mapping[str, str] | None = None) -> Draft:
    """A draft runbook from CSV text; raises `FileProblems` only when no header is found."""
    source = Path(source)
    text = text.replace("\x00", "")
    rows: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), _dialect(text[:8192]))
    line = 1
    try:
        for cells in reader:
            rows.append((line, cells))
            line = reader.line_num + 1
    except csv.Error as error:
        raise FileProblems(
            source,
            [Problem(f"not readable as CSV: {error}", line=reader.line_num or None)],
            "runbook to import",
        ) from None
    return read_rows(rows, source, columns=columns)


def read_rows(
    rows: list[tuple[int, list[str]]],
    source: Path,
    *,
    columns: Mapping[str, str] | None = None,
    where: str = "rows",
) -> Draft:
    """A draft runbook from a table's rows (line or row number, cells): CSV or a sheet."""
    draft = Draft(source=source)
    overrides = _overrides(columns or {}, source)
    rows = [(number, cells) for number, cells in rows if any(c.strip() for c in cells)]
    for position, (number, cells) in enumerate(rows[:20]):
        header = map_header(cells, number, Draft(source=source), rows[position + 1 :], overrides)
        if header is None:
            continue
        map_header(cells, number, draft, rows[position + 1 :], overrides)  # now with its notes
        for before_number, before in rows[:position]:
            _preamble(draft, before_number, before)
        add_rows(draft, header, rows[position + 1 :])
        return draft
    wanted = (
        f"a header row with a column named {overrides['title']!r}"
        if "title" in overrides
        else "a header row with a task column (Task, Step, Activity…)"
    )
    raise FileProblems(
        source,
        [
            Problem(
                f"no {wanted.removeprefix('a ')} in the first 20 {where}; expected columns like "
                "ID, Task, Owner, Duration, Rollback, Notes (or name yours: --column "
                "title=HEADER)",
                line=rows[0][0] if rows else None,
            )
        ],
        "runbook to import",
    )


def _overrides(columns: Mapping[str, str], source: Path) -> dict[str, str]:
    """`--column` overrides, role → normalised header name; an unknown role is refused."""
    unknown = [role for role in columns if role not in ROLES]
    if unknown:
        raise FileProblems(
            source,
            [
                Problem(
                    f"--column {role}=…: no such column role; the roles are " + ", ".join(ROLES)
                )
                for role in unknown
            ],
            "runbook to import",
        )
    return {role: _normal(name)[0] for role, name in columns.items()}


def _preamble(draft: Draft, number: int, cells: list[str]) -> None:
    """Rows above the header: the title, or 'Customer, Harbor Street Dental' pairs."""
    filled = [field_line(cell) for cell in cells if cell.strip()]
    if len(filled) >= 2 and meta_key(filled[0]):
        key = meta_key(filled[0])
        assert key is not None
        if not apply_meta(draft, key, " ".join(filled[1:]), number):
            draft.note(number, f"{key} {filled[1][:40]!r} not understood")
        return
    if len(filled) == 1:
        key_value = re.match(r"^([^:]{1,40}):\s*(.+)$", filled[0])
        key = meta_key(key_value.group(1)) if key_value else None
        if key_value and key and apply_meta(draft, key, key_value.group(2), number):
            return
        if draft.title is None:
            draft.title = filled[0]
            return
    draft.note(number, "row above the header not mapped")
