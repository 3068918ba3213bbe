"""Load runbooks and contact cards from TOML, with every error located.

A file can be wrong, truncated or hostile. The user sees which file, which line, which
step or checkpoint, which field and what is expected — all problems at once — and never a
traceback.

"All at once" includes the cross-checks (duplicate ids, dependencies, the gated point of
no return): pydantic runs a model's after-validators only when every field is valid, so a
file with a typo *and* a duplicate step id would otherwise need two rounds of fixing. When
validation fails, the loader rebuilds the parts that are valid and runs the cross-checks
on them too (see `_partial_cross_checks`).

Text a terminal would obey (escape sequences, other control characters, bidirectional
overrides) is refused in every string of a file, keys included, and a line break or a tab
everywhere but in the fields whose type says `Prose` — one walk of the parsed file
(`control_character_problems`), not a validator per field, so a field added tomorrow is
covered. The models are validated with `file_context()`, which turns on the checks only a
file gets; a journal re-reads its snapshot of the plan without either, so a night
recorded before a check existed still opens.
"""

from __future__ import annotations

import difflib
import functools
import re
import tomllib
from pathlib import Path
from typing import Annotated, Any, TypeVar, get_args, get_origin

from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic.fields import FieldInfo

from cockpit.errors import FileProblems, Problem
from cockpit.model.contacts import ContactCard, card_cross_check_problems
from cockpit.model.locate import find_line, line_map
from cockpit.model.runbook import (
    ProseMarker,
    Runbook,
    cross_check_problems,
    file_context,
    iana_zone_names,
)
from cockpit.text import control_characters

Model = TypeVar("Model", bound=BaseModel)
Location = tuple[str | int, ...]

#: Files larger than this are refused before parsing: no real runbook is this big.
MAX_FILE_BYTES = 8 * 1024 * 1024


def read_text(path: Path, kind: str) -> str:
    """Read a text file, turning every OS and encoding failure into a located problem.

    Through `read_file`: a device, a FIFO or a symlink to one is refused at once, and
    the read itself stops past the limit (stat says 0 bytes for `/dev/zero`).
    """
    from cockpit.files import read_file

    data = read_file(path, kind, limit=MAX_FILE_BYTES)
    try:
        # utf-8-sig: some Windows editors start a UTF-8 file with a byte-order mark.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise FileProblems(
            path,
            [
                Problem(
                    f"not UTF-8 text (byte 0x{data[error.start]:02x} at column {column}); "
                    "save the file as UTF-8",
                    line=line,
                )
            ],
            kind,
        ) from None


def parse_toml(text: str, path: Path, kind: str) -> dict[str, Any]:
    """Parse TOML, reporting a syntax error with its line and column."""
    if not text.strip():
        raise FileProblems(
            path,
            [Problem(f"the file is empty; expected a {kind} in TOML (see: cockpit new)")],
            kind,
        )
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message, line, column = _syntax_position(str(error), text)
        # Python 3.14 adds these attributes; before that the position is in the message.
        line = getattr(error, "lineno", None) or line
        column = getattr(error, "colno", None) or column
        message = getattr(error, "msg", None) or message
        detail = f"TOML syntax error: {message}" + (f" (column {column})" if column else "")
        raise FileProblems(path, [Problem(detail, line=line)], kind) from None
    except (RecursionError, ValueError) as error:
        raise FileProblems(path, [Problem(f"TOML cannot be read: {error}")], kind) from None


_POSITION = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)$")


def _syntax_position(message: str, text: str) -> tuple[str, int | None, int | None]:
    """Split tomllib's '... (at line 3, column 7)' into the message, line and column.

    "At end of document" becomes the last line, where an unclosed bracket or string is
    noticed; the line it was opened on is usually just above.
    """
    found = _POSITION.search(message)
    if found is None:
        return message, None, None
    bare = message[: found.start()]
    if bare == "Illegal character '\\n'":
        bare = "the line ends inside a string: is a closing quote missing?"
    if found.group(1) is None:
        return f"{bare} at the end of the file", max(text.count("\n"), 1), None
    return bare, int(found.group(1)), int(found.group(2))


def load_model(path: Path | str, model: type[Model], kind: str) -> Model:
    """Read, parse and validate one file into `model`, or raise `FileProblems`."""
    return load_model_and_text(path, model, kind)[0]


def load_model_and_text(path: Path | str, model: type[Model], kind: str) -> tuple[Model, str]:
    """Like `load_model`, also returning the text, for callers that locate later findings.

    `cockpit check` reports problems found after loading (an owner not on the card) with
    their line, so it needs the very text that was validated, not a second read.
    """
    path = Path(path)
    text = read_text(path, kind)
    data = parse_toml(text, path, kind)
    _refuse_other_format(data, text, path, model, kind)
    refused_text = control_character_problems(data, text, model)
    try:
        loaded = model.model_validate(data, context=file_context())
    except ValidationError as error:
        problems = validation_problems(error, data, text, model) + refused_text
        unique = list(dict.fromkeys(problems))
        raise FileProblems(
            path, sorted(unique, key=lambda problem: problem.line or 0), kind
        ) from None
    except RecursionError:
        raise FileProblems(path, [Problem("nested too deeply to be a " + kind)], kind) from None
    except Exception as error:  # a validator bug must still not show a traceback
        raise FileProblems(
            path,
            [
                Problem(
                    f"could not be validated ({type(error).__name__}: {error}); this is a bug "
                    "in the cockpit, please report it with the file"
                )
            ],
            kind,
        ) from None
    if refused_text:
        raise FileProblems(path, refused_text, kind)
    return loaded, text


def _refuse_other_format(
    data: dict[str, Any], text: str, path: Path, model: type[BaseModel], kind: str
) -> None:
    """A contact card given as the runbook (or the reverse) gets one clear sentence.

    Otherwise it would get a screenful of "unknown table" problems for a swapped argument.
    """
    if model is ContactCard and "runbook" in data and "card" not in data:
        other, table, hint = "runbook", "runbook", "a contact card (contact_cards/*.toml)"
    elif model is Runbook and "card" in data and "runbook" not in data:
        other, table, hint = "contact card", "card", "a runbook (runbooks/*.toml)"
    else:
        return
    line = line_map(text).get((table,))
    raise FileProblems(
        path, [Problem(f"this is a {other}, not a {kind}; expected {hint} here", line=line)], kind
    )


def load_runbook(path: Path | str) -> Runbook:
    """Load and validate a runbook file."""
    return load_model(path, Runbook, "runbook")


def load_contact_card(path: Path | str) -> ContactCard:
    """Load and validate a contact card file."""
    return load_model(path, ContactCard, "contact card")


def contact_card_beside(runbook: Runbook, runbook_path: Path | str) -> Path | None:
    """The contact card a runbook names in `contact_card`, resolved next to the runbook."""
    if runbook.meta.contact_card is None:
        return None
    return (Path(runbook_path).parent / runbook.meta.contact_card).resolve()


# ---- text a file may not hold -------------------------------------------------------------


def control_character_problems(
    data: dict[str, Any], text: str, model: type[BaseModel]
) -> list[Problem]:
    """Every string of the file holding characters it may not, located, in line order.

    Values, list items and table keys (an account's field labels, a contact's secret
    labels, keys the model does not even know) are all checked; a string is one line
    unless the model's field for it is `Prose`. A file holding an escape sequence would
    otherwise retitle the terminal, overwrite its clipboard or blank it on every redraw.
    """
    lines: dict[Any, int] = {}  # mapped on the first problem: most files have none

    def line_of(location: Location) -> int | None:
        if not lines:
            lines.update(line_map(text))
        return find_line(lines, location)

    problems: list[Problem] = []
    # An explicit stack: the file may nest as deep as tomllib allows.
    stack: list[tuple[Location, Any]] = [((), data)]
    while stack:
        location, node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(key, str):
                    found = control_characters(key, newlines_allowed=False)
                    if found:
                        # describe() shows the key with repr(): escaped, never raw.
                        at = (*location, key)
                        message = f"the key {_holds(found, key=True)}"
                        problems.append(Problem(message, line_of(at), describe(at, data)))
                stack.append(((*location, key), value))
        elif isinstance(node, list):
            stack.extend(((*location, index), item) for index, item in enumerate(node))
        elif isinstance(node, str) and not node.isprintable():  # the usual case is fast
            found = control_characters(node, newlines_allowed=_is_prose(model, location))
            if found:
                problems.append(Problem(_holds(found), line_of(location), describe(location, data)))
    return sorted(problems, key=lambda problem: problem.line or 0)


def _holds(found: list[tuple[int, str]], *, key: bool = False) -> str:
    """'holds a control character (\\x1b); remove it', naming each kind once.

    The characters are shown escaped: the message is printed to the same terminal.
    """
    shown = list(dict.fromkeys(character for _, character in found))
    breaks = [name for name in shown if name in ("a line break", "a tab")]
    controls = [name for name in shown if name not in breaks]
    parts = []
    if controls:
        noun = "a control character" if len(controls) == 1 else "control characters"
        parts.append(f"{noun} ({', '.join(controls)})")
    parts.extend(breaks)
    one_line_only = "" if not breaks else f", but this {'key' if key else 'field'} is one line"
    return (
        f"holds {' and '.join(parts)}{one_line_only}; remove {'it' if len(shown) == 1 else 'them'}"
    )


def _is_prose(model: type[BaseModel], location: Location) -> bool:
    """The field at `location` is declared `Prose` (directly, or as the items of a list)."""
    return _is_prose_field(model, tuple(part for part in location if isinstance(part, str)))


@functools.cache
def _is_prose_field(model: type[BaseModel], names: tuple[str, ...]) -> bool:
    """`_is_prose` by field names alone: a 1,000-step plan asks the same few questions."""
    field = _field_at(model, names)
    if field is None:
        return False
    return any(isinstance(item, ProseMarker) for item in field.metadata) or _says_prose(
        field.annotation
    )


def _says_prose(annotation: Any) -> bool:
    if get_origin(annotation) is Annotated and any(
        isinstance(item, ProseMarker) for item in annotation.__metadata__
    ):
        return True
    return any(_says_prose(argument) for argument in get_args(annotation))


# ---- turning pydantic errors into sentences ----------------------------------------------


def validation_problems(
    error: ValidationError, data: dict[str, Any], text: str, model: type[BaseModel]
) -> list[Problem]:
    """Every problem of a failed validation, located, deduplicated and in line order."""
    lines = line_map(text)
    items = error.errors(include_url=False)
    located: list[tuple[Location, Problem]] = []
    for item in _without_typo_echoes(items, model):
        located.extend(_problems(item, data, lines, model))
    field_locations = [location for location, _ in located]
    for location, problem in _partial_cross_checks(model, data, lines):
        # An item with its own field errors would only echo them (a missing id is also
        # "duplicate id None"); skip cross problems on or inside such a location.
        if not any(_related(location, other) for other in field_locations):
            located.append((location, problem))
    unique = list(dict.fromkeys(problem for _, problem in located))
    return sorted(unique, key=lambda problem: problem.line or 0)


def _without_typo_echoes(items: list[Any], model: type[BaseModel]) -> list[Any]:
    """Drop "missing 'minutes'" when the same table has "unknown key 'minuts'".

    A misspelt key causes both errors; the did-you-mean already says how to fix it.
    """
    suggested: set[tuple[Any, ...]] = set()
    for item in items:
        location = tuple(item["loc"])
        if item["type"] == "extra_forbidden" and location:
            known = _known_keys(model, location)
            for hint in difflib.get_close_matches(str(location[-1]), known, n=1):
                suggested.add((*location[:-1], hint))
    return [
        item
        for item in items
        if not (item["type"] == "missing" and tuple(item["loc"]) in suggested)
    ]


def _related(one: Location, other: Location) -> bool:
    shorter = min(len(one), len(other))
    return shorter > 0 and one[:shorter] == other[:shorter]


def _problems(
    item: Any, data: dict[str, Any], lines: dict[Any, int], model: type[BaseModel]
) -> list[tuple[Location, Problem]]:
    location = _clean_location(tuple(item["loc"]), data, item["type"])
    message = str(item["msg"])
    if item["type"] == "value_error":
        message = message.removeprefix("Value error, ")
    elif item["type"] == "assertion_error":
        message = message.removeprefix("Assertion failed, ")
    if item["type"] in ("value_error", "assertion_error"):
        # Cross-checks report several problems at once, each prefixed with its own path.
        if "\n" in message or _looks_like_path_message(message):
            return [_cross_problem(part, location, data, lines) for part in message.split("\n")]
        location = _refine_table_location(location, message, data)
        if location and location[-1] == "timezone" and isinstance(item.get("input"), str):
            message += _zone_hint(item["input"])
        return [(location, _located(message, location, data, lines))]
    return [_single(item, location, message, data, lines, model)]


def _zone_hint(value: str) -> str:
    """A did-you-mean for a misspelt zone ('America/Chicaco'), or an empty string."""
    zones = {zone.casefold(): zone for zone in iana_zone_names()}
    hint = difflib.get_close_matches(value.strip().casefold(), list(zones), n=1, cutoff=0.75)
    return f"; did you mean {zones[hint[0]]!r}?" if hint else ""


def _clean_location(location: Location, data: Any, kind: str) -> Location:
    """Drop the parts of a pydantic location that are not in the file.

    Tagged unions add the tag (`trigger.before_window.hours`) and plain unions add the
    member's type name (`fields.PIN.str`); neither is something the user wrote, and both
    would make the where-text and the line lookup wrong.
    """
    cleaned: list[str | int] = []
    node = data
    for position, part in enumerate(location):
        last = position == len(location) - 1
        if isinstance(node, list) and isinstance(part, int):
            cleaned.append(part)
            node = node[part] if -len(node) <= part < len(node) else None
        elif isinstance(node, dict):
            if part in node:
                cleaned.append(part)
                node = node[part]
            elif last and kind in ("missing", "extra_forbidden"):
                cleaned.append(part)
            # else: a union member or tag name pydantic added
        elif node is None and not cleaned:
            cleaned.append(part)
        else:
            break  # inside a scalar: the rest names union members
    return tuple(cleaned)


def _looks_like_path_message(message: str) -> bool:
    head, sep, _ = message.partition(": ")
    return bool(sep) and "." in head and " " not in head


def _cross_problem(
    part: str, base: Location, data: Any, lines: dict[Any, int]
) -> tuple[Location, Problem]:
    head, sep, rest = part.partition(": ")
    if not sep or " " in head:
        return base, _located(part, base, data, lines)
    location = base + tuple(int(p) if p.isdigit() else p for p in head.split("."))
    return location, _located(rest, location, data, lines)


def _located(message: str, location: Location, data: Any, lines: dict[Any, int]) -> Problem:
    return Problem(message, line=find_line(lines, location), where=describe(location, data))


def _refine_table_location(location: Location, message: str, data: Any) -> Location:
    """Point a table-level complaint at the key it is about.

    "window_end must be after window_start" concerns `window_end`; "give either 'rollback'
    or 'no_rollback', not both" is best fixed at the second of the two.
    """
    node = _node_at(data, location)
    if not isinstance(node, dict):
        return location
    first = re.match(r"[A-Za-z_][A-Za-z0-9_]*", message)
    if first and first.group(0) in node:
        return (*location, first.group(0))
    quoted = [name for name in re.findall(r"'([^']+)'", message) if name in node]
    if quoted:
        return (*location, quoted[-1])
    return location


def _node_at(data: Any, location: Location) -> Any:
    node = data
    for part in location:
        in_dict = isinstance(node, dict) and part in node
        in_list = (
            isinstance(node, list) and isinstance(part, int) and -len(node) <= part < len(node)
        )
        if not (in_dict or in_list):
            return None
        node = node[part]
    return node


def _shown(value: Any) -> str:
    if isinstance(value, bool):  # as the file spells it: `true`, not Python's `True`
        return "true" if value else "false"
    shown = repr(value)
    return shown if len(shown) <= 60 else shown[:57] + "..."


def _single(
    item: Any,
    location: Location,
    message: str,
    data: Any,
    lines: dict[Any, int],
    model: type[BaseModel],
) -> tuple[Location, Problem]:
    kind = item["type"]
    ctx = item.get("ctx") or {}
    value = item.get("input")
    field = _field_at(model, location)
    description = (field.description or "").rstrip(".") if field is not None else ""
    name = str(location[-1]) if location else ""
    if _sensitive(location) and kind != "extra_forbidden":
        # Values here may be real PINs and passwords: say what is expected, never echo them.
        message = _table_expected(location, None)
        return location, _located(message, location, data, lines)
    if kind == "extra_forbidden":
        known = _known_keys(model, location)
        hint = difflib.get_close_matches(name, known, n=1)
        what = "table" if isinstance(value, dict) else "key"
        message = f"unknown {what} {name!r}" + (f"; did you mean {hint[0]!r}?" if hint else "")
        if known and not hint:
            message += f"; expected one of: {', '.join(known)}"
    elif kind == "missing":
        inner = _inner_model(field.annotation) if field is not None else None
        if inner is not None and location and len(location) == 1:
            plural = get_origin(field.annotation) is list if field is not None else False
            message = f"missing the [[{name}]] tables" if plural else f"missing the [{name}] table"
        else:
            message = f"missing required key {name!r}"
        if description:
            message += f" ({_lower_first(description)})"
    elif kind == "union_tag_invalid":
        expected = [tag.strip(" '") for tag in str(ctx.get("expected_tags", "")).split(",")]
        tag = str(ctx.get("tag", ""))
        hint = difflib.get_close_matches(tag, expected, n=1)
        message = f"unknown trigger kind {tag!r}" + (f"; did you mean {hint[0]!r}?" if hint else "")
        message += f"; expected one of: {', '.join(expected)}"
        location = (*location, "kind")
    elif kind == "union_tag_not_found":
        message = "missing 'kind' (for example kind = \"window_start\")"
    elif kind == "string_pattern_mismatch" and description:
        message = f"got {_shown(value)}; expected {_lower_first(description)}"
    elif kind in ("model_type", "model_attributes_type", "dict_type"):
        message = _table_expected(location, value)
    elif kind == "list_type":
        message = f"expected a list in square brackets [ ... ], got {_shown(value)}"
    elif kind == "too_short":
        message = (
            f"needs at least {ctx.get('min_length', 1)} item(s), got {ctx.get('actual_length', 0)}"
        )
    elif kind == "too_long" and "max_length" in ctx:
        message = f"at most {ctx['max_length']} item(s), got {ctx.get('actual_length', '?')}"
    elif kind == "greater_than":
        message = f"expected more than {ctx.get('gt')}, got {_shown(value)}"
    elif kind == "less_than_equal":
        message = f"expected at most {ctx.get('le')}, got {_shown(value)}"
    elif kind == "greater_than_equal":
        message = f"expected at least {ctx.get('ge')}, got {_shown(value)}"
    elif kind in ("int_type", "int_parsing", "int_from_float"):
        message = f"expected a whole number, got {_shown(value)}"
    elif kind in ("bool_type", "bool_parsing"):
        message = f"expected true or false, got {_shown(value)}"
    elif kind in ("string_type",):
        message = f"expected text in quotes, got {_shown(value)}"
    elif kind.startswith("datetime"):
        message = (
            "expected a local date and time without quotes, like 2026-12-02T01:00:00, "
            f"got {_shown(value)}"
        )
    else:
        message = message.replace("Input should be", "expected", 1)
        if not isinstance(value, dict | list):
            message = f"{message} (got {_shown(value)})"
    return location, _located(message, location, data, lines)


def _lower_first(text: str) -> str:
    """'Expected minutes' → 'expected minutes', but 'IANA time zone' stays as it is."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def _sensitive(location: Location) -> bool:
    """A value inside a contact's `secrets` or an account's `fields`."""
    return len(location) >= 2 and location[-2] in ("secrets", "fields")


def _table_expected(location: Location, value: Any) -> str:
    """The message for a value where a table was expected, with the secret case spelled out.

    A value under `secrets` is never echoed: it is probably the real PIN, and this message
    may be read out on a screen share.
    """
    if len(location) >= 2 and location[-2] == "secrets":
        return (
            'a secret is written as { secret = "name" } (its name in the keyring), never '
            "its value; store the value with: cockpit secrets set NAME"
        )
    if len(location) >= 2 and location[-2] == "fields":
        return 'expected text in quotes, or { secret = "name" } for a PIN or password'
    return f"expected a table ([header] or {{ key = value }}), got {_shown(value)}"


# ---- the model behind a location ---------------------------------------------------------


def _field_at(model: type[BaseModel], location: Location) -> FieldInfo | None:
    """The pydantic field a location names, walking lists and nested models."""
    current: Any = model
    field: FieldInfo | None = None
    for part in location:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", None)
        if not isinstance(fields, dict) or part not in fields:
            return None
        field = fields[part]
        current = _inner_model(field.annotation)
    return field


def _known_keys(model: type[BaseModel], location: Location) -> list[str]:
    """Keys the table at `location[:-1]` accepts, for a did-you-mean hint."""
    current: Any = model
    for part in location[:-1]:
        if isinstance(part, int):
            continue
        field = getattr(current, "model_fields", {}).get(part)
        if field is None:
            return []
        current = _inner_model(field.annotation)
        if current is None:
            return []
    return sorted(getattr(current, "model_fields", {}))


def _inner_model(annotation: Any) -> Any:
    """The pydantic model inside `list[Model]`, `Model | None` and the like.

    A union of several models (the message trigger) has no single answer: None.
    """
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    found = [m for arg in get_args(annotation) if (m := _inner_model(arg)) is not None]
    return found[0] if len(set(found)) == 1 else None


# ---- where: the human name of a location -------------------------------------------------

_SINGULAR = {
    "steps": "step",
    "checkpoints": "checkpoint",
    "messages": "message",
    "stakeholders": "stakeholder",
    "contacts": "contact",
    "accounts": "account",
    "post_cutover_writes": "post-cutover write",
    "phones": "phone",
}


def describe(location: Location, data: Any) -> str:
    """A human name for a location.

    `("steps", 4, "minutes")` → "step 'port-activation' field 'minutes'";
    `("runbook", "timezone")` → "[runbook] field 'timezone'";
    `("steps", 0, "verify", 2)` → "step 'preflight' field 'verify' item 3".
    """
    subject = ""
    field: list[str] = []
    item_number: int | None = None
    node = data
    for part in location:
        if isinstance(part, int):
            list_name = field[-1] if field else ""
            child = (
                node[part] if isinstance(node, list) and -len(node) <= part < len(node) else None
            )
            if list_name in _SINGULAR:
                ident = child.get("id") if isinstance(child, dict) else None
                label = _SINGULAR[list_name]
                if isinstance(ident, str):
                    siblings = [s.get("id") for s in node if isinstance(s, dict)]
                    # Two items with one id: the position tells them apart.
                    repeat = f" (#{part + 1})" if siblings.count(ident) > 1 else ""
                    own = f"{label} {ident!r}{repeat}"
                else:
                    own = f"{label} #{part + 1}"
                subject = f"{subject} {own}".strip() if list_name == "phones" else own
                field = []
                item_number = None
            else:
                item_number = part + 1
            node = child
        else:
            if item_number is not None:  # a table inside a plain list: rare; keep the number
                field.append(f"#{item_number}")
                item_number = None
            field.append(str(part))
            node = node.get(part) if isinstance(node, dict) else None
    tail = f" item {item_number}" if item_number is not None else ""
    if len(location) == 1 and isinstance(location[0], str):
        return ""  # a whole top-level table or list: the message names it
    if subject:
        return f"{subject} field {'.'.join(field)!r}{tail}" if field else subject
    if not field:
        return ""
    if isinstance(data, dict) and isinstance(data.get(field[0]), dict) and len(field) > 1:
        return f"[{field[0]}] field {'.'.join(field[1:])!r}{tail}"
    return f"field {'.'.join(field)!r}{tail}"


# ---- cross-checks on the valid parts of an invalid file -----------------------------------


def _partial_cross_checks(
    model: type[BaseModel], data: Any, lines: dict[Any, int]
) -> list[tuple[Location, Problem]]:
    """Run the model's cross-checks on whatever parts of `data` are valid.

    Best effort by design: any surprise yields no extra problems rather than an error.
    """
    try:
        built = _construct(model, data)
        if built is None:
            return []
        if isinstance(built, Runbook):
            messages = cross_check_problems(built)
        elif isinstance(built, ContactCard):
            messages = card_cross_check_problems(built)
        else:
            return []
        return [_cross_problem(message, (), data, lines) for message in messages if message]
    except Exception:
        return []


def _construct(model: type[BaseModel], raw: Any) -> Any:
    """`model` built from `raw` without validation, each valid field validated on its own.

    Invalid fields become their default (or None); lists of models keep their length so
    the cross-checks' indexes still match the file.
    """
    try:
        return model.model_validate(raw)
    except ValidationError:
        pass
    if not isinstance(raw, dict):
        return None
    values: dict[str, Any] = {}
    for name, field in model.model_fields.items():
        fallback = None if field.is_required() else field.get_default(call_default_factory=True)
        if name not in raw:
            values[name] = fallback
            continue
        value = raw[name]
        inner = _inner_model(field.annotation)
        if inner is not None and get_origin(field.annotation) is list and isinstance(value, list):
            values[name] = [_construct(inner, element) for element in value]
            values[name] = [
                element if element is not None else inner.model_construct()
                for element in values[name]
            ]
        elif inner is not None and isinstance(value, dict):
            values[name] = _construct(inner, value)
        else:
            try:
                values[name] = _field_adapter(model, name).validate_python(value)
            except (ValidationError, TypeError, ValueError):
                values[name] = fallback
    return model.model_construct(**values)


@functools.cache
def _field_adapter(model: type[BaseModel], name: str) -> TypeAdapter[Any]:
    """A validator for one field on its own (built once: building one takes a while)."""
    field = model.model_fields[name]
    return TypeAdapter(Annotated[field.annotation, field])
