"""The operator's name (issue 12, item 9): the DE's name, not the OS user, in the journal.

`--operator` wins; else the `operator` setting; else it is asked once on a terminal and
saved; else (a script, a test) the OS user, said on stderr with how to set it. The
question is asked through an injected function: no test spawns a terminal.
"""

from __future__ import annotations

import io
import os
import stat
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cockpit.cli import main
from cockpit.cli import run as run_module
from cockpit.cli.run import OPERATOR_QUESTION, resolve_operator
from cockpit.errors import CockpitError
from cockpit.journal.store import read_events
from cockpit.settings import Settings, load_settings, save_operator, save_theme, settings_path
from cockpit.tui.app import CockpitApp
from tests.tui_helpers import MINI, MINI_CARD


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A config folder of its own, through the environment variable (as `run` sees it)."""
    path = tmp_path / "config"
    monkeypatch.setenv("COCKPIT_CONFIG_DIR", str(path))
    return path


def write_settings(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = settings_path(folder)
    path.write_text(text, encoding="utf-8")
    return path


class Answers:
    """A scripted terminal: each call to `ask` answers the next line, and is counted."""

    def __init__(self, *answers: str) -> None:
        self.answers = list(answers)
        self.questions: list[str] = []

    def __call__(self, question: str) -> str:
        self.questions.append(question)
        if not self.answers:
            raise EOFError
        return self.answers.pop(0)


def resolve(
    given: str | None,
    folder: Path,
    *,
    ask: Callable[[str], str] | None = None,
    tty: bool = False,
) -> tuple[str, str]:
    """`resolve_operator` with an injected terminal: the name and what it said on stderr."""
    err = io.StringIO()
    name = resolve_operator(
        given, ask=ask or Answers(), interactive=lambda: tty, err=err, folder=folder
    )
    return name, err.getvalue()


# ---- the setting --------------------------------------------------------------------------


def test_the_operator_setting_loads_stripped(folder: Path) -> None:
    write_settings(folder, 'theme = "night"\noperator = "  Dana Reyes "\n')
    assert load_settings(folder) == (Settings(theme="night", operator="Dana Reyes"), [])


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('operator = "Dana\\u001b]0;pwned\\u0007"\n', "\\x1b"),
        (f'operator = "{"x" * 65}"\n', "64"),
        ('operator = "   "\n', "operator"),
        ("operator = 42\n", "operator"),
    ],
    ids=["control-character", "too-long", "blank", "not-text"],
)
def test_a_bad_operator_setting_is_located_and_the_defaults_are_used(
    folder: Path, text: str, words: str
) -> None:
    path = write_settings(folder, "\n" + text)
    settings, notices = load_settings(folder)
    assert settings == Settings()
    (notice,) = notices
    assert f"{path}:2" in notice and words in notice
    assert "Using the default settings." in notice


def test_saving_the_operator_keeps_the_theme_and_is_private(folder: Path) -> None:
    save_theme("daylight", folder)
    path = save_operator("  Dana Reyes\n", folder)
    assert tomllib.loads(path.read_text()) == {"theme": "daylight", "operator": "Dana Reyes"}
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


# ---- the order ------------------------------------------------------------------------------


def test_operator_flag_wins_over_the_setting_and_asks_nothing(folder: Path) -> None:
    write_settings(folder, 'operator = "Dana Reyes"\n')
    ask = Answers("should not be asked")
    assert resolve("  Sam Senior ", folder, ask=ask, tty=True) == ("Sam Senior", "")
    assert ask.questions == []


def test_the_setting_is_used_without_asking(folder: Path) -> None:
    write_settings(folder, 'operator = "Dana Reyes"\n')
    ask = Answers("should not be asked")
    assert resolve(None, folder, ask=ask, tty=True) == ("Dana Reyes", "")
    assert ask.questions == []


def test_on_a_terminal_it_is_asked_once_and_saved(folder: Path) -> None:
    ask = Answers("  Dana Reyes ")
    name, said = resolve(None, folder, ask=ask, tty=True)
    assert name == "Dana Reyes" and ask.questions == [OPERATOR_QUESTION]
    assert "Saved in" in said and "--operator NAME" in said
    assert load_settings(folder)[0].operator == "Dana Reyes"
    again = Answers("never asked")
    assert resolve(None, folder, ask=again, tty=True)[0] == "Dana Reyes"
    assert again.questions == []


def test_a_typed_name_with_control_characters_is_refused_and_asked_again(folder: Path) -> None:
    ask = Answers("Dana\x1b[2J", "", "Dana Reyes")
    name, said = resolve(None, folder, ask=ask, tty=True)
    assert name == "Dana Reyes" and len(ask.questions) == 3
    assert "control characters (\\x1b)" in said and "the name is empty" in said
    assert "\x1b" not in said


def test_a_long_typed_name_is_capped_at_64(folder: Path) -> None:
    name, _ = resolve(None, folder, ask=Answers("D" * 100), tty=True)
    assert name == "D" * 64
    assert load_settings(folder)[0].operator == "D" * 64


def test_not_a_terminal_falls_back_to_the_os_user_and_says_how_to_set_it(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(run_module, "_user", lambda: "root")
    ask = Answers("never asked")
    name, said = resolve(None, folder, ask=ask, tty=False)
    assert name == "root" and ask.questions == []
    assert said.count("\n") == 1
    assert "recorded as the OS user 'root'" in said
    assert "--operator NAME" in said and 'operator = "Your Name"' in said
    assert str(settings_path(folder)) in said
    assert load_settings(folder)[0].operator is None  # the OS user is never saved


def test_end_of_input_at_the_question_falls_back_too(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(run_module, "_user", lambda: "root")
    name, said = resolve(None, folder, ask=Answers(), tty=True)
    assert name == "root" and "OS user 'root'" in said


def test_a_broken_settings_file_is_not_overwritten_by_the_answer(folder: Path) -> None:
    path = write_settings(folder, "theme = \n")
    name, said = resolve(None, folder, ask=Answers("Dana Reyes"), tty=True)
    assert name == "Dana Reyes"
    assert "your name was not saved" in said
    assert path.read_text() == "theme = \n"


@pytest.mark.parametrize("given", ["Dana\x07", "\u202eanaD", "   "])
def test_an_operator_flag_that_is_not_a_name_is_refused(folder: Path, given: str) -> None:
    with pytest.raises(CockpitError, match="--operator"):
        resolve(given, folder)


# ---- through `cockpit run` ----------------------------------------------------------------


def _start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *extra: str) -> str:
    """`cockpit run` on the mini plan (the app not run); the operator in the journal."""
    monkeypatch.setattr(CockpitApp, "run", lambda self, *args, **kwargs: None)
    journal = tmp_path / "night.journal"
    argv = ["run", str(MINI), "--contacts", str(MINI_CARD), "--journal", str(journal)]
    assert main([*argv, "--rehearsal", *extra]) == 0
    first: Any = read_events(journal)[0]
    return str(first.operator)


def test_run_records_the_settings_name(
    tmp_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_settings(folder, 'operator = "Dana Reyes"\n')
    assert _start(tmp_path, monkeypatch) == "Dana Reyes"


def test_run_records_the_operator_flag(
    tmp_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_settings(folder, 'operator = "Dana Reyes"\n')
    assert _start(tmp_path, monkeypatch, "--operator", "Sam Senior") == "Sam Senior"


def test_run_without_a_terminal_records_the_os_user_and_says_so(
    tmp_path: Path,
    folder: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(run_module, "_user", lambda: "root")
    monkeypatch.setattr(run_module, "_stdin_is_a_terminal", lambda: False)
    assert _start(tmp_path, monkeypatch) == "root"
    assert "operator: recorded as the OS user 'root'" in capsys.readouterr().err
