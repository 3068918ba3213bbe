"""Bad input: malformed runbooks, contact cards, themes (and imports) never give a traceback.

Hypothesis takes the real files — the mini runbook, the bundled runbooks and contact
cards, every bundled theme — parses them, and breaks their *structure*: deletes a key,
misspells one, gives a field a value of the wrong type or shape (text for a number, a
table for a list, a negative number, an empty string, a far-away date, control
characters…), duplicates or empties a list, adds an unknown key; then writes the result
back as TOML. (`tests/test_formats.py` already breaks the bytes and lines of files; this
breaks what the parser accepts and the model must judge.)

Each case loads the file the way the cockpit does. The only error allowed is a
`FileProblems`, and every problem it renders starts with the file's path (most with the
line) and says something. A share of the runbooks and cards also goes through
`cockpit check` (which adds the cross-checks between plan and card), whose output must
hold no traceback.

`cockpit import` (Markdown and CSV runbooks) is fuzzed too once `cockpit/importers`
exists; until then those tests skip, saying so.

About 2,350 cases in CI (about 30 s); more with

    BAD_INPUT_EXAMPLES=20000 python -m pytest tests/test_bad_input.py
"""

from __future__ import annotations

import contextlib
import copy
import functools
import importlib
import importlib.util
import io
import os
import tomllib
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cockpit.cli import main as cockpit_main
from cockpit.errors import FileProblems
from cockpit.model.load import load_contact_card, load_runbook
from cockpit.tui.themes import load_theme

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
#: Scales every test's examples: BAD_INPUT_EXAMPLES is the total wanted (2,350 in CI).
SCALE = int(os.environ.get("BAD_INPUT_EXAMPLES", "2350")) / 2350
RUNBOOKS = [FIXTURES / "mini.toml", *sorted((REPO / "runbooks").glob("*.toml"))]
CARDS = [FIXTURES / "mini-contacts.toml", *sorted((REPO / "contact_cards").glob("*.toml"))]
THEMES = sorted((REPO / "themes").glob("*.toml"))
HAS_IMPORTERS = importlib.util.find_spec("cockpit.importers") is not None


def examples(count: int) -> Any:
    return settings(
        max_examples=max(1, round(count * SCALE)),
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


# ---- values that do not belong -----------------------------------------------------------

TRICKY_TEXT = [
    "", " ", "\t", "\x00", "\x1b[2J", "\u202e", "ﬁ", "🙂", "a" * 5000, "../../etc/passwd",
    "{title}", "{nope}", "{", "}", "%s", "\\", '"', "'", "null", "None", "NaN", "-1",
    "Europe/Nowhere", "America/Chicago", "UTC", "+1 312 555 0100", "25:61", "2026-13-40",
    "de", "senior-de", "carrier-noc", "preflight", "switch", "gate", "window_start",
]  # fmt: skip

scalars = st.one_of(
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.integers(min_value=-3, max_value=100_000),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.text(max_size=20),
    st.sampled_from(TRICKY_TEXT),
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)),
    st.datetimes(timezones=st.just(timezone(timedelta(hours=5, minutes=30)))),
    st.dates(),
    st.times(),
    st.just(datetime(2026, 11, 24, 2, 0)),
    st.just(date(2026, 11, 24)),
    st.just(time(2, 0)),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.sampled_from(["id", "x", "minutes", "number", "secret"]), inner, max_size=3
        ),
    ),
    max_leaves=6,
)


@functools.cache
def _parsed(source: Path) -> dict[str, Any]:
    return tomllib.loads(source.read_text(encoding="utf-8"))


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a parsed TOML document (tables, arrays and their items)."""
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*prefix, index))
    return found


def _parent(doc: Any, path: tuple[Any, ...]) -> Any:
    node = doc
    for part in path[:-1]:
        node = node[part]
    return node


@st.composite
def broken_document(draw: st.DrawFn, sources: list[Path]) -> str:
    """A real file, parsed, with one to four structural changes, written back as TOML."""
    doc = copy.deepcopy(_parsed(draw(st.sampled_from(sources))))
    for _ in range(draw(st.integers(1, 4))):
        paths = _paths(doc)
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent, key = _parent(doc, path), path[-1]
        operation = draw(
            st.sampled_from(
                ["delete", "replace", "replace", "misspell", "add", "duplicate", "empty", "wrap"]
            )
        )
        if operation == "delete":
            del parent[key]
        elif operation == "replace":
            parent[key] = draw(values)
        elif operation == "misspell" and isinstance(key, str):
            typo = draw(st.sampled_from([key[:-1], key + "s", key.upper(), key.replace("_", "-")]))
            if typo and typo not in parent:
                parent[typo] = parent.pop(key)
        elif operation == "add":
            target = parent[key] if isinstance(parent[key], dict) else parent
            if isinstance(target, dict):
                target[draw(st.sampled_from(["extra", "minutes", "id", "rollback", "notes"]))] = (
                    draw(values)
                )
        elif operation == "duplicate" and isinstance(parent, list):
            parent.insert(key, parent[key])
        elif operation == "empty":
            parent[key] = type(parent[key])() if isinstance(parent[key], (list, dict, str)) else 0
        elif operation == "wrap":
            parent[key] = [parent[key]]
    try:
        return tomli_w.dumps(doc)
    except (TypeError, ValueError):  # a shape TOML cannot hold (e.g. a table in an array)
        return tomli_w.dumps({"unwritable": True})


# ---- the checks --------------------------------------------------------------------------


def assert_located(problems: FileProblems, path: Path) -> None:
    """Every problem names the file (and says something); no traceback leaks into it."""
    assert problems.problems, "a FileProblems always says what is wrong"
    rendered = problems.render()
    assert rendered.startswith(str(path)), rendered
    assert "Traceback" not in rendered, rendered
    for problem in problems.problems:
        line = problem.render(path)
        assert line.startswith(str(path)), line
        assert problem.message.strip(), line
        assert "bug in the cockpit" not in problem.message, line
        if problem.line is not None:
            assert 1 <= problem.line <= max(1, path.read_text("utf-8").count("\n") + 1), line


def load_or_problems(load: Any, path: Path) -> Any:
    try:
        return load(path)
    except FileProblems as problems:
        assert_located(problems, path)
        return None


def cli(*args: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cockpit_main(list(args))
    return code, out.getvalue() + err.getvalue()


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("bad-input")


# ---- runbooks, cards, themes -------------------------------------------------------------


@examples(700)
@given(text=broken_document(RUNBOOKS))
def test_broken_runbooks_give_located_problems(text: str, folder: Path) -> None:
    path = folder / "runbook.toml"
    path.write_text(text, encoding="utf-8")
    load_or_problems(load_runbook, path)


@examples(500)
@given(text=broken_document(CARDS))
def test_broken_contact_cards_give_located_problems(text: str, folder: Path) -> None:
    path = folder / "card.toml"
    path.write_text(text, encoding="utf-8")
    load_or_problems(load_contact_card, path)


@examples(500)
@given(text=broken_document(THEMES))
def test_broken_themes_give_located_problems(text: str, folder: Path) -> None:
    path = folder / "theme.toml"
    path.write_text(text, encoding="utf-8")
    load_or_problems(load_theme, path)


@examples(150)
@given(
    runbook=broken_document(RUNBOOKS[:1]),
    card=broken_document(CARDS[:1]),
    which=st.sampled_from(["runbook", "card", "both"]),
)
def test_cockpit_check_on_broken_files_never_shows_a_traceback(
    runbook: str, card: str, which: str, folder: Path
) -> None:
    runbook_path, card_path = folder / "check-runbook.toml", folder / "check-card.toml"
    runbook_path.write_text(
        runbook if which != "card" else RUNBOOKS[0].read_text("utf-8"), encoding="utf-8"
    )
    card_path.write_text(card if which != "runbook" else CARDS[0].read_text("utf-8"), "utf-8")
    code, text = cli("check", str(runbook_path), "--contacts", str(card_path))
    assert code in (0, 1, 2), text
    assert "Traceback" not in text and 'File "' not in text, text


# ---- imports (Markdown and CSV), once the importers exist ---------------------------------

MARKDOWN_LINES = [
    "# Cutover runbook", "## Steps", "1. Pre-flight checks (20 min)", "- [ ] Snapshot",
    "| step | owner | minutes |", "|---|---|---|", "| Port | carrier | 30 |", "| | | |",
    "Rollback: restore the snapshot", "**Point of no return**", "```", "---", "",
    "2. Port activation — 30m — carrier-noc", "> note", "<script>", "\x00", "🙂",
]  # fmt: skip
CSV_LINES = [
    "step,owner,minutes,rollback", "id,title,owner,minutes", "preflight,de,20,none",
    'port,"carrier, NOC",thirty,"restore"', ",,,", '"unterminated,de,1', "a;b;c",
    "\ufeffstep,owner", "x" * 300, "1,2,3,4,5,6,7,8", "", "\x00",
]  # fmt: skip


def _importers() -> Any:
    """`cockpit.importers` (skips while it does not exist)."""
    if not HAS_IMPORTERS:
        pytest.skip("cockpit/importers does not exist yet: imports not fuzzed")
    return importlib.import_module("cockpit.importers")


def _check_import(kind: str, text: str, folder: Path) -> None:
    """`cockpit import` on the text: located problems or a runbook that validates."""
    importers = _importers()
    path = folder / f"import.{kind}"
    path.write_text(text, encoding="utf-8")
    output = folder / "imported.toml"
    code, said = cli("import", str(path), "-o", str(output), "--force")
    assert code in (0, 2), said
    assert "Traceback" not in said and 'File "' not in said, said
    assert "bug in the importer" not in said, said
    try:
        result = importers.import_text(importers.read_source(path), path, kind)
    except FileProblems as problems:
        assert_located(problems, path)
        assert code == 2, said
        return
    assert code == 0, said
    importers.to_toml(result)
    load_runbook(output)  # what was written validates


@examples(250)
@given(lines=st.lists(st.sampled_from(MARKDOWN_LINES) | st.text(max_size=40), max_size=30))
@example(lines=["1. Pre-flight checks (20 min)", "```", "0\t0"])  # a tab in a command
def test_broken_markdown_imports_give_located_problems(lines: list[str], folder: Path) -> None:
    _check_import("md", "\n".join(lines), folder)


@examples(250)
@given(lines=st.lists(st.sampled_from(CSV_LINES) | st.text(max_size=40), max_size=30))
def test_broken_csv_imports_give_located_problems(lines: list[str], folder: Path) -> None:
    _check_import("csv", "\n".join(lines), folder)
