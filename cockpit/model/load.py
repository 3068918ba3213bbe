"""Load runbooks and contact cards from TOML, with every error located.

A file can be wrong, truncated or hostile. The user sees which file, which line, which
step or checkpoint, which field and what is expected — all problems at once — and never a
traceback.
"""

from __future__ import annotations

import difflib
import tomllib
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from cockpit.errors import FileProblems, Problem
from cockpit.model.contacts import ContactCard
from cockpit.model.locate import find_line, line_map
from cockpit.model.runbook import Runbook

Model = TypeVar("Model", bound=BaseModel)

#: Files larger than this are refused before parsing: no real runbook is this big.
MAX_FILE_BYTES = 8 * 1024 * 1024


def read_text(path: Path, kind: str) -> str:
    """Read a text file, turning every OS and encoding failure into a located problem."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise FileProblems(
                path, [Problem(f"the file is {size} bytes; a {kind} is at most 8 MiB")], kind
            )
        data = path.read_bytes()
    except FileProblems:
        raise
    except FileNotFoundError:
        raise FileProblems(path, [Problem("no such file")], kind) from None
    except IsADirectoryError:
        raise FileProblems(path, [Problem(f"this is a folder; expected a {kind} file")], kind) from None
    except OSError as error:
        raise FileProblems(path, [Problem(f"cannot read it: {error.strerror}")], kind) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise FileProblems(
            path, [Problem("not UTF-8 text; save the file as UTF-8", line=line)], kind
        ) from None


def parse_toml(text: str, path: Path, kind: str) -> dict[str, Any]:
    """Parse TOML, reporting a syntax error with its line and column."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line = getattr(error, "lineno", None)
        message = getattr(error, "msg", str(error))
        column = getattr(error, "colno", None)
        detail = f"TOML syntax error: {message}" + (f" (column {column})" if column else "")
        raise FileProblems(path, [Problem(detail, line=line)], kind) from None
    except (RecursionError, ValueError) as error:
        raise FileProblems(path, [Problem(f"TOML cannot be read: {error}")], kind) from None


def load_model(path: Path | str, model: type[Model], kind: str) -> Model:
    """Read, parse and validate one file into `model`, or raise `FileProblems`."""
    path = Path(path)
    text = read_text(path, kind)
    data = parse_toml(text, path, kind)
    try:
        return model.model_validate(data)
    except ValidationError as error:
        lines = line_map(text)
        problems = [
            problem
            for item in error.errors(include_url=False)
            for problem in _problems(item, data, lines)
        ]
        raise FileProblems(path, problems, kind) from None
    except RecursionError:
        raise FileProblems(path, [Problem("nested too deeply to be a " + kind)], kind) from None


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


# ---- turning pydantic errors into sentences ----------------------------------------------


def _problems(item: Any, data: dict[str, Any], lines: dict[Any, int]) -> list[Problem]:
    location = tuple(item["loc"])
    message = str(item["msg"])
    if item["type"] == "value_error" and message.startswith("Value error, "):
        message = message.removeprefix("Value error, ")
    # Cross-checks report several problems at once, each prefixed with its own path.
    if "\n" in message or _looks_like_path_message(message):
        return [_cross_problem(part, location, data, lines) for part in message.split("\n")]
    return [_single(item, location, message, data, lines)]


def _looks_like_path_message(message: str) -> bool:
    head, sep, _ = message.partition(": ")
    return bool(sep) and "." in head and " " not in head


def _cross_problem(part: str, base: tuple[Any, ...], data: Any, lines: dict[Any, int]) -> Problem:
    head, sep, rest = part.partition(": ")
    if not sep or " " in head:
        return Problem(part, line=find_line(lines, base), where=_describe(base, data))
    location = base + tuple(int(p) if p.isdigit() else p for p in head.split("."))
    return Problem(rest, line=find_line(lines, location), where=_describe(location, data))


def _single(
    item: Any, location: tuple[Any, ...], message: str, data: Any, lines: dict[Any, int]
) -> Problem:
    kind = item["type"]
    # Tagged-union errors carry the tag in the location; the user never wrote it.
    if kind == "extra_forbidden":
        known = _known_keys(location, data)
        hint = difflib.get_close_matches(str(location[-1]), known, n=1)
        message = f"unknown key {location[-1]!r}" + (
            f"; did you mean {hint[0]!r}?" if hint else ""
        )
        if known and not hint:
            message += f"; expected one of: {', '.join(known)}"
    elif kind == "missing":
        message = f"missing required key {location[-1]!r}"
    elif kind == "union_tag_invalid":
        message = f"unknown trigger kind; {message.split('.', 1)[-1].strip()}"
    elif kind == "union_tag_not_found":
        message = "missing 'kind' (for example kind = \"window_start\")"
    else:
        value = item.get("input")
        if not isinstance(value, dict | list):
            shown = repr(value)
            if len(shown) > 60:
                shown = shown[:57] + "..."
            message = f"{message} (got {shown})"
    return Problem(message, line=find_line(lines, location), where=_describe(location, data))


def _known_keys(location: tuple[Any, ...], data: Any) -> list[str]:
    """Keys the table at `location[:-1]` accepts, for a did-you-mean hint."""
    from cockpit.model.contacts import ContactCard as _Card
    from cockpit.model.runbook import Runbook as _Runbook

    roots = {"runbook": _Runbook, "card": _Card}
    root = _Runbook if isinstance(data, dict) and "runbook" in data else _Card
    model: Any = roots.get("runbook") if root is _Runbook else root
    for part in location[:-1]:
        if isinstance(part, int):
            continue
        field = getattr(model, "model_fields", {}).get(part)
        if field is None:
            return []
        model = _inner_model(field.annotation)
        if model is None:
            return []
    return sorted(getattr(model, "model_fields", {}))


def _inner_model(annotation: Any) -> Any:
    """The pydantic model inside `list[Model]`, `Model | None` and the like."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _describe(location: tuple[Any, ...], data: Any) -> str:
    """A human name for a location: "step 'port-activation' (steps[4]) field 'minutes'"."""
    words: list[str] = []
    node = data
    path: list[str] = []
    singular = {
        "steps": "step",
        "checkpoints": "checkpoint",
        "messages": "message",
        "stakeholders": "stakeholder",
        "contacts": "contact",
        "accounts": "account",
        "post_cutover_writes": "post-cutover write",
        "phones": "phone",
    }
    for index, part in enumerate(location):
        if isinstance(part, int):
            parent = str(location[index - 1]) if index else ""
            item = node[part] if isinstance(node, list) and -len(node) <= part < len(node) else None
            ident = item.get("id") if isinstance(item, dict) else None
            label = singular.get(parent, parent)
            words.append(
                f"{label} {ident!r} ({parent}[{part}])" if ident else f"{label} #{part + 1}"
            )
            path = []
            node = item
        else:
            path.append(str(part))
            node = node.get(part) if isinstance(node, dict) else None
    field = ".".join(p for p in path if p not in {"steps", "checkpoints", "messages"})
    if path and (not words or field):
        words.append(f"field {'.'.join(path) if not words else field!r}")
    return " ".join(words)
