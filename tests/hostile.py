"""Hostile text for every string a runbook, a contact card or a theme can hold.

`free_text_paths` finds, by trying, every place in the mini runbook and its card where the
models accept any text (titles, criteria, owners, deciders, no-go means, the point of no
return's why and forward fix, post-cutover writes, message texts, contact names, roles,
phone labels, secret and account labels): a field added tomorrow is found the same way.
`hostile_plan` fills them with text from the corpus below and validates the result the
way a journal's snapshot is validated (not the way a file is loaded: files with control
characters are refused at load, but an old journal or an import may still hold them).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator
from typing import Any

from pydantic import ValidationError

from cockpit.model.contacts import ContactCard
from cockpit.model.load import load_contact_card, load_runbook
from cockpit.model.runbook import Runbook
from tests.tui_helpers import MINI, MINI_CARD

#: Markup that crashed or was eaten, escapes that drive a terminal, and text that hides.
CORPUS: tuple[str, ...] = (
    "[/x]",
    "[/srv/backup]",
    "[bold]",
    "[bold]loud[/bold]",
    "[enabled=true]",
    "[link=https://example.com]click[/link]",
    "[@click=app.quit]quit[/]",
    "[",
    "]",
    "[[",
    "]]",
    "[/]",
    "\\[escaped]",
    "$variable",
    "{placeholder}",
    "\x1b]0;PWNED\x1b\\",
    "\x1b]52;c;ZXZpbA==\x07",
    "\x1b[2J",
    "\x1b[31mred\x1b[0m",
    "\x07",
    "\x00",
    "\x08\x08",
    "\r",
    "\x9b2J",
    "\x85",
    "\u202e",
    "\u2066",
    "\u200b",
    "\u200d",
    "\ufeff",
    "\u00a0",
    "全角テキスト",
    "👩‍💻",
    "x" * 300,
    "&lt;b&gt;",
    "<b>html</b>",
    "![img](http://example.com/x.png)",
    "[md](http://example.com)",
    "- [x] ticked",
    "\n- [x] injected",
    "| a | b |",
    "*emph* _u_ `code`",
)

#: Characters that must never reach a terminal or a file raw.
RAW_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

Path_ = tuple[str | int, ...]


def _walk(data: Any, path: Path_ = ()) -> Iterator[tuple[Path_, bool]]:
    """Every string leaf (False) and every dict key (True) with its path."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield (*path, key), True
            yield from _walk(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _walk(value, (*path, index))
    elif isinstance(data, str):
        yield path, False


def _replace(data: Any, path: Path_, is_key: bool, value: str) -> Any:
    """A deep copy of `data` with the string (or the key) at `path` replaced."""
    data = copy.deepcopy(data)
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    if is_key:
        assert isinstance(parent, dict)
        parent[value] = parent.pop(last)
    else:
        parent[last] = value
    return data


def _valid(model: type[Runbook] | type[ContactCard], data: Any) -> bool:
    try:
        model.model_validate(data)
    except ValidationError:
        return False
    return True


def free_text_paths(
    model: type[Runbook] | type[ContactCard], data: Any
) -> list[tuple[Path_, bool]]:
    """The places in `data` where `model` takes any text, found by trying."""
    probe = "Probe [/x] \x1b]0;T\x07 \u202e"
    found = []
    for path, is_key in _walk(data):
        if _valid(model, _replace(data, path, is_key, probe)):
            found.append((path, is_key))
    return found


def _with_everything(runbook: dict[str, Any], card: dict[str, Any]) -> None:
    """Give the mini plan the optional texts it lacks: commands, an account."""
    runbook["steps"][0]["commands"] = ["echo prepare", "echo again"]
    runbook["steps"][0]["rollback"]["commands"] = ["echo undo"]
    card["accounts"] = [
        {
            "id": "portal",
            "vendor": "Carrier portal",
            "contact": "carrier-noc",
            "fields": {"Account number": "ACC-1", "Portal password": {"secret": "portal-pw"}},
        }
    ]


RUNBOOK_DATA = load_runbook(MINI).model_dump(mode="json")
CARD_DATA = load_contact_card(MINI_CARD).model_dump(mode="json")
_with_everything(RUNBOOK_DATA, CARD_DATA)
RUNBOOK_PATHS = free_text_paths(Runbook, RUNBOOK_DATA)
CARD_PATHS = free_text_paths(ContactCard, CARD_DATA)


def hostile_plan(text_for: Callable[[Path_], str]) -> tuple[Runbook, ContactCard]:
    """The mini plan with every free-text place filled by `text_for(path)`.

    Keys of one dict must stay distinct, so a key gets its path appended when needed.
    """

    def fill(model: type[Runbook] | type[ContactCard], data: Any, paths: list[Any]) -> Any:
        # Values first, then keys (deepest first), so replacing a key keeps later paths.
        # A value the field refuses for another reason (a message text's unknown
        # `{placeholder}`) is tried without braces.
        for path, is_key in paths:
            if not is_key:
                text = text_for(path)
                for value in (text, text.replace("{", "(").replace("}", ")")):
                    candidate = _replace(data, path, False, value)
                    if _valid(model, candidate):
                        data = candidate
                        break
        for path, _is_key in sorted((p for p in paths if p[1]), key=lambda p: -len(p[0])):
            value = f"{text_for(path)} {path[-1]}"
            candidate = _replace(data, path, True, value)
            if _valid(model, candidate):
                data = candidate
        return model.model_validate(data)

    runbook = fill(Runbook, RUNBOOK_DATA, RUNBOOK_PATHS)
    card = fill(ContactCard, CARD_DATA, CARD_PATHS)
    assert isinstance(runbook, Runbook) and isinstance(card, ContactCard)
    return runbook, card
