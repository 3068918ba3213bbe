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
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import pairwise
from pathlib import Path

from cockpit.errors import FileProblems, Problem
from cockpit.importers.draft import Draft, DraftCheckpoint, DraftRollback, DraftStep
from cockpit.importers.durations import pick_duration, read_duration
from cockpit.importers.meta import (
    apply_meta,
    find_dates,
    find_times,
    find_zone,
    meta_key,
    strip_dates,
)
from cockpit.importers.text import (
    GATE,
    PONR,
    clean_text,
    field_line,
    strip_ponr,
    strip_span,
    take_owners,
)
from cockpit.importers.words import NO_ROLLBACK, find_timing, section_kind

#: Role → header names (normalised: lower case, single spaces, units in brackets removed),
#: each role's most telling names first. Checked against the headers real plans use: MS
#: Project exports (Task Name, Duration '5 days', Start, Finish, Resource Names, % Complete),
#: Primavera (Activity ID, Activity Name, Planned Start/End), Jira (Issue key, Summary,
#: Assignee, Status), project-office trackers (ID, Phase, Workstream, Task, Owner, Planned
#: Start, Target End, Status, % Complete, Acceptance Criteria, Notes).
# fmt: off
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "id": (
        "id", "#", "no", "no.", "nr", "nr.", "num", "number", "step #", "step no", "step no.",
        "step number", "step id", "seq", "seq.", "sequence", "ref", "ref.", "ref #", "item #",
        "item no", "task id", "task #", "task no", "task no.", "task number", "activity id",
        "activity #", "action id", "issue key", "key", "wbs", "wbs code", "wbs #", "line",
        "sr no", "s/n", "s.no", "sl no", "row",
    ),
    "title": (
        "task", "activity", "action", "step", "task name", "activity name", "step name",
        "action item", "task title", "activity title", "step title", "summary", "title",
        "name", "item", "what", "subject", "task summary", "tâche", "activité", "étape",
        "aufgabe", "schritt", "aktivität", "taak", "stap", "activiteit", "tarea", "actividad",
        "task description", "activity description",
        "step description", "description",
    ),
    "description": (
        "description", "task description", "activity description", "step description",
        "detailed description", "long description", "full description", "task details",
        "details", "detail", "instructions", "procedure", "how", "how to",
    ),
    "owner": (
        "owner", "responsible", "assignee", "assigned to", "executor", "executed by",
        "performed by", "resource", "resources", "resource names", "resource name",
        "assigned resource", "who", "by", "task owner", "action owner", "owner name",
        "responsible person", "responsible party", "owner/team", "team", "lead",
        "accountable", "responsable", "verantwortlich", "verantwortlicher", "zuständig",
        "verantwoordelijk", "eigenaar", "uitvoerder",
    ),
    "minutes": (
        "duration", "minutes", "mins", "min", "est", "est.", "estimate", "estimated",
        "est duration", "est. duration", "estimated duration", "expected duration",
        "planned duration", "duration planned", "est time", "est. time", "estimated time",
        "effort", "length", "time required", "time needed", "elapsed", "elapsed time",
        "hours", "hrs", "durée", "dauer", "duur", "duración",
    ),
    "start_date": (
        "start date", "planned start date", "scheduled start date", "date", "day",
        "planned date", "scheduled date",
    ),
    "start": (
        "start", "planned start", "start time", "planned start time", "scheduled start",
        "start (planned)", "start date/time", "start datetime", "begin", "begin time",
        "target start", "plan start", "baseline start", "est start", "est. start",
        "estimated start", "planned", "scheduled", "scheduled time", "planned time", "when",
        "time", "t", "from",
    ),
    "end_date": ("end date", "finish date", "planned end date", "planned finish date"),
    "end": (
        "end", "finish", "end time", "finish time", "planned end", "planned finish",
        "planned end time", "planned finish time", "scheduled end", "scheduled finish",
        "end (planned)", "end date/time", "end datetime", "target end", "target finish",
        "plan end", "baseline finish", "baseline end", "est end", "est. end", "until", "to",
        "due", "due time", "due date",
    ),
    "status": (
        "status", "state", "task status", "step status", "progress", "% complete",
        "percent complete", "% completed", "% done", "done", "complete", "completed",
        "statut", "estado",
    ),
    "timing": (
        "timing", "t-minus", "t minus", "t-time", "t time", "t-offset", "t offset", "offset",
        "relative time", "relative start", "countdown", "t+/-", "t-/+", "t+", "t-",
    ),
    "depends": (
        "predecessor", "predecessors", "depends on", "depends", "dependency", "dependencies",
        "after", "prerequisite", "prerequisites", "prereq", "requires",
    ),
    "rollback": (
        "rollback", "backout", "back-out", "back out", "rollback plan", "backout plan",
        "fallback", "undo", "rollback steps", "rollback action", "rollback procedure",
        "roll back", "revert",
    ),
    "rollback_minutes": (
        "rollback duration", "rollback minutes", "rollback mins", "rollback time",
        "backout duration", "backout time", "rollback est", "backout minutes",
    ),
    "notes": (
        "notes", "note", "comments", "comment", "remarks", "additional info", "remarques",
        "bemerkungen", "opmerkingen", "notas",
    ),
    "verify": (
        "verify", "verification", "validation", "check", "checks", "success criteria",
        "acceptance criteria", "expected result", "expected", "expected outcome",
        "acceptance", "test", "checkpoint", "how to verify",
    ),
    "commands": ("command", "commands", "cmd", "script", "scripts"),
    "type": ("type", "kind", "category", "row type"),
    "ponr": ("ponr", "point of no return", "irreversible", "no return"),
    "phase": (
        "phase", "stage", "section", "group", "workstream", "work stream", "stream", "track",
        "phase name", "stage name", "swimlane", "part", "timeframe", "time frame",
    ),
}
# fmt: on
_ROLES_IN_ORDER = (
    "id",
    "rollback_minutes",
    "title",
    "description",
    "owner",
    "minutes",
    "start_date",
    "start",
    "end_date",
    "end",
    "status",
    "timing",
    "depends",
    "rollback",
    "notes",
    "verify",
    "commands",
    "type",
    "ponr",
    "phase",
)  # fmt: skip
#: Roles a header is known by, for the 'not mapped' note.
_KNOWN = (
    "ID, Task, Description, Owner, Duration, Start, End, Status, Timing, Predecessor, "
    "Rollback, Notes, Verify, Command, Type, PONR, Phase"
)
#: A status saying the row is not a step of the night (done in a rehearsal, cancelled…).
_CLOSED = re.compile(
    r"^(done|complete|completed|closed|cancell?ed|n\s*/\s*a|na|not applicable|skipped|"
    r"skip|finished|obsolete|not needed|not required|removed|deleted|void|descoped|"
    r"erledigt|abgeschlossen|fertig|storniert|entfällt|terminée?|fait|annulée?|sans objet|"
    r"klaar|gedaan|afgerond|geannuleerd|vervallen|hecho|completado|cancelado)\b",
    re.I,
)
#: A status saying the row is still to do: a step, nothing to say about it.
_OPEN = re.compile(
    r"^(|open|not started|not yet started|in progress|in-progress|wip|ongoing|started|"
    r"pending|planned|scheduled|to ?do|ready|new|blocked|on hold|waiting|tbd|tbc|draft|"
    r"not done|no|false|0\s*%?|-|offen|in bearbeitung|geplant|ouvert|en cours|à faire|"
    r"prévu|gepland|bezig|pendiente|en curso)$",
    re.I,
)
_ID_LIKE = re.compile(r"[A-Za-z]{0,8}[-_ ]?\d{1,6}(?:[.\-]\d{1,4})*[a-z]?\.?")
_YES = frozenset({"yes", "y", "x", "true", "1", "ponr", "✓", "✔", "point of no return"})


@dataclass
class Header:
    """Which column plays which role, and how durations are written."""

    line: int
    columns: dict[str, int]
    names: list[str]
    hours: bool = False  # the duration column is in hours
    rollback_hours: bool = False
    unmapped: list[str] = field(default_factory=list)
    percent: bool = False  # the status column is a '% complete'
    joiner: str = ", "  # what an unquoted delimiter inside a cell was, to mend a ragged row


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

    `overrides` (role → normalised header name) win over the usual names. A task column
    that holds only ids ('T1', 'CUT-004') is the step number, not the title, when another
    column holds the text: a plan once lost every task's words that way.
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
            if role == "title" and rows and _mostly_ids(rows, found):
                if "id" not in columns:  # 'Step' or 'Task' holding 1, 2, 3 or T1, T2
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
    for day, clock in (("start_date", "start"), ("end_date", "end")):
        if day in columns and clock not in columns:  # 'Start Date' alone: it is the start
            columns[clock] = columns.pop(day)
    if "id" not in columns and rows:  # 'Step' beside 'Action': the step's number
        for i, (name, _) in enumerate(names):
            if (
                i not in taken
                and name in ("step", "task", "item", "activity")
                and _mostly_ids(rows, i)
            ):
                columns["id"] = i
                taken.add(i)
                break
    if "title" not in columns and "description" in columns:
        columns["title"] = columns.pop("description")
    if "title" not in columns:
        return None
    status = columns.get("status")
    percent = status is not None and bool(re.search(r"%|percent", names[status][0]))
    unmapped = [cells[i].strip() for i in range(len(cells)) if i not in taken and cells[i].strip()]
    header = Header(
        line, columns, [c.strip() for c in cells], hours, rollback_hours, unmapped, percent
    )
    for name in unmapped:
        draft.note(line, f"column {name[:40]!r} not mapped (known columns: {_KNOWN})")
    if rows and "description" in columns and "title" not in (overrides or {}):
        _shorter_text_is_the_title(header, rows)
    return header


def _mostly_ids(rows: list[tuple[int, list[str]]], column: int) -> bool:
    """Whether a column holds ids (1, 2.1, T3, CUT-004), not words, in most of its rows."""
    values = [
        cells[column].strip() for _, cells in rows if column < len(cells) and cells[column].strip()
    ]
    numeric = [v for v in values if _ID_LIKE.fullmatch(v)]
    return bool(values) and len(numeric) * 10 >= len(values) * 6


def _shorter_text_is_the_title(header: Header, rows: list[tuple[int, list[str]]]) -> None:
    """'Description' won the title only because it came first? The short text is the title."""
    title, description = header.columns["title"], header.columns["description"]

    def length(column: int) -> float:
        values = [cells[column] for _, cells in rows if column < len(cells) and cells[column]]
        return sum(len(v) for v in values) / len(values) if values else 0.0

    if length(title) > 2 * max(length(description), 1.0) and length(description) > 0:
        header.columns["title"], header.columns["description"] = description, title


@dataclass(frozen=True, slots=True)
class _When:
    """A planned time: a date and time, a clock time (minutes into the day) or an offset
    from T (minutes; `fine` when written in minutes, not hours or days)."""

    kind: str  # "datetime", "clock", "offset", "date"
    minutes: int = 0
    at: datetime | None = None
    fine: bool = True


@dataclass
class _RowState:
    section: str = ""
    kind: str = ""  # "", "rollback", "verification"
    # The steps' and go/no-go rows' planned starts in row order (step index, None for a
    # go/no-go): a step without a duration lasts until the next row starts.
    starts: list[tuple[int | None, _When | None]] = field(default_factory=list)
    by_id: dict[str, int] = field(default_factory=dict)
    day: datetime | None = None  # the date the times of the rows are on, as far as known
    last: datetime | None = None  # the last planned date and time, for rows past midnight
    phase_from_timing: bool = False


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
        cells = _mend(draft, header, number, [clean_text(cell) for cell in cells])
        _row(draft, header, state, number, cells)
    _derive_minutes(draft, state, first_step)


# ---- ragged rows ----------------------------------------------------------------------------

#: Roles whose cells are free text: where an unquoted delimiter splits a cell in two.
_TEXT_ROLES = ("title", "description", "notes", "verify", "rollback", "commands")


def _mend(draft: Draft, header: Header, number: int, cells: list[str]) -> list[str]:
    """A row with more cells than the header: mended when one reading fits clearly better
    (an unquoted comma in the task), else read by position; reported either way."""
    width = len(header.names)
    extra = len(cells) - width
    if extra <= 0 or not any(cell.strip() for cell in cells[width:]):
        if extra <= 0:
            _shifted(draft, header, number, cells)
        return cells[:width] if extra > 0 else cells
    readings: list[tuple[int, str, list[str]]] = []
    for role in _TEXT_ROLES:
        column = header.columns.get(role)
        if column is None:
            continue
        joined = header.joiner.join(cells[column : column + extra + 1])
        mended = [*cells[:column], joined, *cells[column + extra + 1 :]]
        readings.append((_fit(header, mended), joined, mended))
    as_is = _fit(header, cells[:width])
    left_out = ", ".join(repr(cell[:20]) for cell in cells[width:] if cell.strip())
    best = max((score for score, _, _ in readings), default=None)
    winners = [reading for reading in readings if reading[0] == best]
    if best is not None and best > as_is and len(winners) == 1:
        _, joined, mended = winners[0]
        draft.note(
            number,
            f"row has {len(cells)} cells for {width} columns: read {joined[:60]!r} as one "
            "cell (a delimiter inside an unquoted cell?); check this row",
            "guessed",
        )
        return mended
    draft.note(
        number,
        f"row has {len(cells)} cells for {width} columns: the cells may be shifted; read by "
        f"position, and {left_out} past the last column left out; check this row",
    )
    return cells[:width]


def _fit(header: Header, cells: list[str]) -> int:
    """How well a row's cells fit their columns: +1 for a typed cell that reads as its type
    (a duration, a time, a status, an id), -1 for one that does not."""
    score = 0
    for role in ("id", "minutes", "start", "end", "status", "owner"):
        cell = _cell(header, cells, role)
        if not cell:
            continue
        if role == "id":
            ok = bool(_ID_LIKE.fullmatch(cell))
        elif role == "minutes":
            ok = read_duration(cell, hours=header.hours).remark in ("", "days", "zero")
        elif role in ("start", "end"):
            ok = _when(cell) is not None
        elif role == "status":
            ok = bool(_CLOSED.match(cell) or _OPEN.match(cell) or re.fullmatch(r"\d+\s*%", cell))
        else:
            ok = len(cell) <= 40 and len(cell.split()) <= 5 and read_duration(cell).minutes is None
        score += 1 if ok else -1
    return score


def _shifted(draft: Draft, header: Header, number: int, cells: list[str]) -> None:
    """A row whose typed cells do not read as their types while a neighbour's would."""
    duration = _cell(header, cells, "minutes")
    column = header.columns.get("minutes")
    if (
        not duration
        or column is None
        or read_duration(duration, hours=header.hours).remark
        in (
            "",
            "days",
            "zero",
        )
    ):
        return
    neighbours = [cells[i] for i in (column - 1, column + 1) if 0 <= i < len(cells) and cells[i]]
    if any(read_duration(n).minutes is not None for n in neighbours):
        draft.note(
            number,
            f"the duration cell holds {duration[:30]!r} while a neighbouring cell holds a "
            "duration: the cells look shifted; check this row",
        )


# ---- one row --------------------------------------------------------------------------------


def _cell(header: Header, cells: list[str], role: str) -> str:
    column = header.columns.get(role)
    if column is None or column >= len(cells):
        return ""
    return cells[column].strip()


def _closed(header: Header, status: str) -> bool:
    """Whether a status cell says the row is not a step of the night."""
    text = status.strip().strip(" .!✓✔✅☑️").strip()
    percent = re.fullmatch(r"(\d{1,3}(?:[.,]\d+)?)\s*%?", text)
    if percent and (header.percent or text.endswith("%")):
        return float(percent.group(1).replace(",", ".")) >= 100
    column = header.columns.get("status")
    name = _normal(header.names[column])[0] if column is not None else ""
    if name in ("done", "complete", "completed") and text.lower() in _YES:
        return True  # a 'Done' column ticked
    return bool(_CLOSED.match(text)) or status.strip() in ("✓", "✔", "✅", "☑")


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
    status = get("status")
    start = _when(get("start"), state)
    if start is not None:
        _remember(state, start)
    if title and status and _closed(header, status):
        draft.note(number, f"row {title[:40]!r} left out: its status is {status[:30]!r}")
        return
    if (
        title
        and status
        and not _OPEN.match(status)
        and not re.fullmatch(r"\d{1,3}(?:[.,]\d+)?\s*%?", status)
    ):
        draft.note(number, f"status {status[:30]!r} not understood: read as still to do")
    phase = field_line(get("phase"))
    if phase and phase != state.section:
        # A phase column names the plan's phases: 'Validation' rows with owners are steps
        # still; only a rollback phase holds undo items.
        _enter_section(state, phase)
        state.kind = "rollback" if state.kind == "rollback" else ""
    timing = _timing(header, cells)
    if timing and "phase" not in header.columns and (not state.section or state.phase_from_timing):
        if timing != state.section:
            _enter_section(state, timing)
        state.phase_from_timing = True
    if not title:
        if not (phase or timing) or any(
            get(role) for role in ("description", "owner", "minutes", "commands")
        ):
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
        state.starts.append((None, start))
        return
    if not others and _is_section_title(title):
        _enter_section(state, title)
        state.phase_from_timing = False
        return
    if state.kind == "rollback" or kind in ("rollback", "backout", "back-out"):
        _rollback_row(draft, header, state, cells, number, title)
        return
    if state.kind == "verification" and not get("minutes") and not get("owner"):
        draft.verification.append(title)
        return
    _step_row(draft, header, state, cells, number, title, start, timing)


def _timing(header: Header, cells: list[str]) -> str:
    """When the row says it happens relative to T ('T-48h'), as written: from a timing
    column, or a start column holding offsets."""
    for role in ("timing", "start"):
        cell = field_line(_cell(header, cells, role))
        if cell and (role == "timing" or _offset(cell) is not None):
            return cell
    return ""


def _enter_section(state: _RowState, title: str) -> None:
    state.section = title.strip(" :-")
    kind = section_kind(title)  # one reading of a heading for every reader
    state.kind = kind if kind in ("rollback", "verification") else ""


def _is_section_title(title: str) -> bool:
    letters = [c for c in title if c.isalpha()]
    return (
        (bool(letters) and all(c.isupper() for c in letters) and len(letters) >= 3)
        or bool(re.match(r"^(phase|stage|section|part)\b", title, re.I))
        or title.endswith(":")
        or (section_kind(title.strip(" :-")) == "rollback" and len(title.split()) <= 3)
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
    criteria_text = get("verify") or get("notes") or get("description")
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

    minutes = read_duration(get("minutes"), hours=header.hours).minutes
    text = title
    if minutes is None:
        duration = pick_duration(title)
        if duration is not None and duration.marked:
            minutes = duration.minutes
            text = strip_span(title, duration.start, duration.end)
    _, text = take_owners(text)
    target = None
    for ref in re.findall(r"[A-Za-z]?\d{1,4}[a-z]?", get("depends")):
        if ref in state.by_id:
            target = state.by_id[ref]
            break
    item = DraftRollback(text or title, number, minutes, step=target)
    notes = "; ".join(part for part in (get("description"), get("notes")) if part)
    if notes:
        item.text = f"{item.text} ({notes})"
    item.commands.extend(c for c in get("commands").split("\n") if c.strip())
    draft.rollbacks.append(item)


def _step_row(
    draft: Draft,
    header: Header,
    state: _RowState,
    cells: list[str],
    number: int,
    title: str,
    start: _When | None,
    timing: str,
) -> None:

    def get(role: str) -> str:
        return _cell(header, cells, role)

    step = DraftStep(title=title, line=number, phase=state.section, timing=timing or None)
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
    step.title = title
    end = _when(get("end"), state)
    title = _step_minutes(draft, header, step, get("minutes"), start, end) or title
    owner = field_line(get("owner"))
    owners, title = take_owners(title) if not owner else ([], title)
    step.owner = owner or (owners[0] if owners else None)
    if step.owner and not owner:
        step.guessed.append("owner")
    step.title = title or f"Step {len(draft.steps) + 1}"
    description = get("description")
    if description and field_line(description) != step.title:
        step.instructions.append(description)
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
        nothing = NO_ROLLBACK.match(rollback)
        if nothing:
            step.no_rollback = nothing.group("rest").strip() or rollback
        else:
            minutes = read_duration(get("rollback_minutes"), hours=header.rollback_hours).minutes
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
    state.starts.append((index, start))
    if start is not None and start.at is not None and draft.window_start is None and index == 0:
        draft.window_start = start.at
        zone = find_zone(get("start"))
        if zone is not None and draft.timezone is None:
            draft.timezone = zone


def _step_minutes(
    draft: Draft,
    header: Header,
    step: DraftStep,
    cell: str,
    start: _When | None,
    end: _When | None,
) -> str | None:
    """The step's minutes as the row says them, never invented: its duration cell, else its
    start and end; else a duration marked in its title ('(15 min)'), which is then taken out
    of the title (returned). None stays None: the placeholder is the build's, marked TODO."""
    read = read_duration(cell, hours=header.hours)
    number = step.line
    if read.remark == "zero":
        draft.note(number, f"duration {cell[:30]!r}: a milestone; its minutes are left to fill in")
    elif read.remark == "too long":
        draft.note(
            number, f"duration {cell[:30]!r} is longer than a night: minutes left to fill in"
        )
    elif read.remark == "not understood":
        draft.note(number, f"duration {cell[:30]!r} not understood")
    elif read.remark == "days":
        step.guessed.append("minutes")
        draft.note(
            number,
            f"duration {cell[:30]!r} read as {read.minutes} minutes (a day as 24 hours; a "
            "project tool may have meant working days)",
            "guessed",
        )
    step.minutes = read.minutes
    if step.minutes is None and start is not None and end is not None:
        span = _span(start, end)
        if span is not None and 0 < span <= 24 * 60:
            step.minutes = span
        elif span is not None:
            draft.note(
                number, f"start to end is {span} minutes: not a step's duration; left to fill in"
            )
    if step.minutes is None and "minutes" not in header.columns and end is None:
        duration = pick_duration(step.title)
        if duration is not None and duration.marked:
            step.minutes = duration.minutes
            return strip_span(step.title, duration.start, duration.end)
    return None


def _span(start: _When, end: _When) -> int | None:
    """Minutes from one planned time to another of the same kind (None: not comparable)."""
    if start.at is not None and end.at is not None:
        return int((end.at - start.at) / timedelta(minutes=1))
    if start.kind in ("clock", "datetime") and end.kind == "clock":
        first = start.at.hour * 60 + start.at.minute if start.at is not None else start.minutes
        minutes = end.minutes - first
        return minutes + 24 * 60 if minutes < 0 else minutes
    if start.kind == end.kind == "offset":
        return end.minutes - start.minutes
    return None


def _offset(text: str) -> tuple[int, bool] | None:
    """A T-minus or D-day offset in minutes, and whether written in minutes (fine grained)."""
    timing = find_timing(text, whole=True)
    return None if timing is None else (timing.minutes, timing.fine)


def _when(cell: str, state: _RowState | None = None) -> _When | None:
    """A planned time: a date and time, a clock time ('23:10', '11:10 PM'), or an offset from
    T ('T-60', 'T-48h'). A clock time takes the date of the rows before it, and the next day
    when it is earlier than the time before it (a night's plan runs past midnight)."""
    text = cell.strip()
    if not text:
        return None
    offset = _offset(text)
    if offset is not None:
        return _When("offset", offset[0], fine=offset[1])
    dates = find_dates(text)
    times = find_times(strip_dates(text))
    if dates and times:
        at = datetime(*dates[0], times[0][0], times[0][1])
        return _When("datetime", at.hour * 60 + at.minute, at)
    if dates:
        return _When("date", 0, datetime(*dates[0]))
    if times:
        minutes = times[0][0] * 60 + times[0][1]
        if state is not None and state.day is not None:
            at = state.day.replace(hour=times[0][0], minute=times[0][1])
            if state.last is not None and at < state.last:
                at += timedelta(days=1)
            return _When("clock", minutes, at)
        return _When("clock", minutes)
    return None


def _remember(state: _RowState, when: _When) -> None:
    """Keep the date the following clock times are on."""
    if when.at is None:
        return
    if when.kind == "date":
        state.day, state.last = when.at, None
        return
    state.day = when.at.replace(hour=0, minute=0)
    state.last = when.at


def _derive_minutes(draft: Draft, state: _RowState, first_step: int) -> None:
    """A step without a duration lasts until the next row (a step or a go/no-go) starts,
    when both give clock times or dates and times. Offsets from T ('T-60', 'T-48h') are left
    to the build, which reads every reader's timings alike."""
    for (index, a), (_, b) in pairwise(state.starts):
        if index is None or a is None or b is None:
            continue
        step = draft.steps[index]
        if step.minutes is not None or "offset" in (a.kind, b.kind) or "date" in (a.kind, b.kind):
            continue
        minutes = _span(a, b) if a.at is not None and b.at is not None else None
        if minutes is None:
            minutes = _span(_When("clock", a.minutes), _When("clock", b.minutes))
        if minutes is not None and 0 < minutes <= 24 * 60:
            step.minutes = minutes
            step.guessed.append("minutes")
            draft.note(
                step.line,
                f"minutes of {step.title[:40]!r} taken from the next row's start ({minutes})",
                "guessed",
            )


# ---- the file -------------------------------------------------------------------------------

_DELIMITERS = (",", ";", "\t", "|")


def _parse(text: str, delimiter: str, *, limit: int | None = None) -> list[tuple[int, list[str]]]:
    """Rows (first line number, cells) of CSV text; a pipe table's outer pipes and its
    '|---|' rule dropped."""
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=delimiter, skipinitialspace=True, strict=False
    )
    rows: list[tuple[int, list[str]]] = []
    line = 1
    for cells in reader:
        rows.append((line, cells))
        line = reader.line_num + 1
        if limit is not None and len(rows) >= limit:
            break
    if delimiter == "|":
        piped = [cells for _, cells in rows if len(cells) > 2]
        if piped and all(c[0].strip() == "" and c[-1].strip() == "" for c in piped):
            rows = [
                (n, cells[1:-1] if len(cells) > 2 else cells)
                for n, cells in rows
                if not all(re.fullmatch(r"\s*:?-{2,}:?\s*", c) or not c.strip() for c in cells)
            ]
    return rows


def _delimiter(sample: str, overrides: Mapping[str, str]) -> str:
    """The delimiter that reads the sample as a table: a header with a task column first,
    then the most rows of one width (the header's), then the widest."""
    best, best_score = ",", (False, -1, -1)
    for delimiter in _DELIMITERS:
        try:
            rows = _parse(sample, delimiter, limit=40)
        except csv.Error:
            continue
        rows = [(n, cells) for n, cells in rows if any(c.strip() for c in cells)]
        widths = Counter(len(cells) for _, cells in rows if len(cells) > 1)
        if not widths:
            continue
        width, count = widths.most_common(1)[0]
        header = any(
            map_header(cells, n, Draft(source=Path("-")), rows[i + 1 :], overrides) is not None
            for i, (n, cells) in enumerate(rows[:20])
            if len(cells) > 1
        )
        score = (header, count, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


#: The roles a `--column ROLE=HEADER` override may name.
ROLES = _ROLES_IN_ORDER

_RTF_MESSAGE = "this is an RTF document holding a CSV; save it as plain text"


def read_csv(text: str, source: Path | str, *, columns: Mapping[str, str] | None = None) -> Draft:
    """A draft runbook from CSV text; raises `FileProblems` only when no header is found.

    Takes what spreadsheets and editors write: a BOM, Excel's 'sep=;' first line, comma,
    semicolon, tab or pipe, quoted cells over several lines, and a CSV that a text editor
    saved as RTF (unwrapped, with a note).
    """
    source = Path(source)
    text = text.replace("\x00", "").removeprefix("\ufeff")
    notes: list[tuple[int | None, str]] = []
    if text.lstrip().startswith("{\\rtf"):
        unwrapped = unwrap_rtf(text.lstrip())
        if unwrapped is None:
            raise FileProblems(source, [Problem(_RTF_MESSAGE)], "runbook to import")
        text = unwrapped
        notes.append(
            (
                None,
                "an RTF document (as a text editor saves a CSV): its text was read as the CSV; "
                "line numbers count the lines of that text",
            )
        )
    overrides = _overrides(columns or {}, source)
    delimiter: str | None = None
    first, _, rest = text.partition("\n")
    sep = re.fullmatch(r'\s*"?sep=(.)"?[,;\t|]*\s*', first, re.I)
    if sep and sep.group(1) in (*_DELIMITERS, ":"):
        delimiter, text = sep.group(1), "\n" + rest  # the line stays, blank, for the numbers
    delimiter = delimiter or _delimiter(text[:8192], overrides)
    try:
        rows = _parse(text, delimiter)
    except csv.Error as error:
        raise FileProblems(
            source, [Problem(f"not readable as CSV: {error}")], "runbook to import"
        ) from None
    joiner = {",": ", ", ";": "; ", "\t": " ", "|": " | "}.get(delimiter, ", ")
    draft = read_rows(rows, source, columns=columns, joiner=joiner)
    for line, message in notes:
        draft.note(line, message)
    return draft


def read_rows(
    rows: list[tuple[int, list[str]]],
    source: Path,
    *,
    columns: Mapping[str, str] | None = None,
    where: str = "rows",
    joiner: str = ", ",
) -> Draft:
    """A draft runbook from a table's rows (line or row number, cells): CSV or a sheet."""
    draft = Draft(source=source)
    overrides = _overrides(columns or {}, source)
    rows = [(number, cells) for number, cells in rows if any(c.strip() for c in cells)]
    for position, (number, cells) in enumerate(rows[:20]):
        header = map_header(cells, number, Draft(source=source), rows[position + 1 :], overrides)
        if header is None:
            continue
        header = map_header(cells, number, draft, rows[position + 1 :], overrides)
        assert header is not None  # the same cells map the same way, now with their notes
        header.joiner = joiner
        missing = [role for role, name in overrides.items() if role not in header.columns]
        for role in missing:
            draft.note(number, f"--column {role}={overrides[role]!r}: no such column here")
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


# ---- RTF ------------------------------------------------------------------------------------

#: RTF groups that hold no text of the document (fonts, colours, styles, pictures…).
_RTF_SKIP = frozenset(
    {
        "fonttbl", "colortbl", "stylesheet", "info", "pict", "object", "header", "footer",
        "headerl", "headerr", "footerl", "footerr", "expandedcolortbl", "listtable",
        "listoverridetable", "rsidtbl", "generator", "themedata", "colorschememapping",
        "latentstyles", "datastore", "xmlnstbl", "mmathpr", "filetbl", "revtbl", "field",
        "fldinst", "footnote", "nonshppict", "shp",
    }
)  # fmt: skip
#: What says an RTF document is a formatted one (a table, a picture), not a CSV kept as RTF.
_RTF_NOT_A_CSV = re.compile(r"\\(trowd|cell|pict|object|shp)\b")
_RTF_TOKEN = re.compile(
    r"\\([a-zA-Z]+)(-?\d+)? ?|\\'([0-9a-fA-F]{2})|\\(.)|([{}])|([^\\{}\r\n]+)|(\r?\n)", re.S
)


def unwrap_rtf(text: str) -> str | None:
    """The plain text of an RTF document holding a CSV (as TextEdit saves one), or None
    when it cannot be read reliably: unbalanced braces, a table or a picture in it."""
    if _RTF_NOT_A_CSV.search(text):
        return None
    codepage = re.search(r"\\ansicpg(\d+)", text)
    encoding = f"cp{codepage.group(1)}" if codepage else "cp1252"
    try:
        b"a".decode(encoding)
    except LookupError:
        encoding = "cp1252"
    out: list[str] = []
    stack: list[tuple[bool, int]] = []
    skip, skip_chars, uc = False, 0, 1
    depth_seen = False
    pending: bytearray = bytearray()

    def emit(part: str) -> None:
        nonlocal pending
        if pending:
            out.append(pending.decode(encoding, errors="replace"))
            pending = bytearray()
        out.append(part)

    for match in _RTF_TOKEN.finditer(text):
        word, argument, hex_byte, symbol, brace, plain, _ = match.groups()
        if brace == "{":
            stack.append((skip, uc))
            depth_seen = True
            continue
        if brace == "}":
            if not stack:
                return None
            skip, uc = stack.pop()
            continue
        if skip_chars and (plain or hex_byte or symbol):
            if plain:
                cut = min(skip_chars, len(plain))
                skip_chars -= cut
                plain = plain[cut:]
                if not plain:
                    continue
            else:
                skip_chars -= 1
                continue
        if word is not None:
            before = text[max(0, match.start() - 1) : match.start()]
            if before == "{" and word.lower() in _RTF_SKIP:
                skip = True
            elif word == "uc" and argument is not None:
                uc = int(argument)
            elif skip:
                pass
            elif word in ("par", "line", "row"):
                emit("\n")
            elif word == "tab":
                emit("\t")
            elif word == "u" and argument is not None:
                emit(chr(int(argument) % 65536))
                skip_chars = uc
            continue
        if symbol is not None:
            if symbol == "*" and text[max(0, match.start() - 1) : match.start()] == "{":
                skip = True
            elif skip:
                pass
            elif symbol in "\\{}":
                emit(symbol)
            elif symbol == "\n" or symbol == "\r":
                emit("\n")  # TextEdit's line end: a backslash before the newline
            elif symbol == "~":
                emit("\u00a0")
            elif symbol == "_":
                emit("-")
            continue
        if hex_byte is not None:
            if not skip:
                pending.append(int(hex_byte, 16))
            continue
        if plain is not None and not skip:
            emit(plain)
    if stack or not depth_seen:
        return None
    emit("")
    result = "".join(out)
    result = "\n".join(line.rstrip() for line in result.split("\n")).strip("\n")
    return result + "\n" if result.strip() else None
