"""The user settings file: where it lives, remembering the theme, never crashing on it."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from cockpit import settings as settings_module
from cockpit.settings import (
    APP_NAME,
    Settings,
    SettingsError,
    config_dir,
    load_settings,
    save_theme,
    settings_path,
)


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A config folder of its own, through the environment variable (as the app sees it)."""
    path = tmp_path / "config"
    monkeypatch.setenv("COCKPIT_CONFIG_DIR", str(path))
    return path


def test_config_dir_env_override(folder: Path) -> None:
    assert config_dir() == folder
    assert settings_path() == folder / "config.toml"


def test_config_dir_default_is_the_platform_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COCKPIT_CONFIG_DIR", raising=False)
    from platformdirs import user_config_dir

    assert config_dir() == Path(user_config_dir(APP_NAME, appauthor=False))
    assert config_dir().name == APP_NAME


def test_no_file_means_defaults(folder: Path) -> None:
    assert load_settings() == (Settings(), [])
    assert Settings().theme is None


def test_theme_is_remembered(folder: Path) -> None:
    path = save_theme("share")
    assert path == folder / "config.toml"
    assert tomllib.loads(path.read_text()) == {"theme": "share"}
    assert load_settings() == (Settings(theme="share"), [])
    save_theme("daylight")
    assert load_settings()[0].theme == "daylight"
    assert sorted(p.name for p in folder.iterdir()) == ["config.toml"]  # no temp files left


def test_explicit_folder_wins(tmp_path: Path, folder: Path) -> None:
    other = tmp_path / "elsewhere"
    save_theme("night", other)
    assert load_settings(other)[0].theme == "night"
    assert load_settings()[0].theme is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('theme = "share"\ntheme = "night"\n', ":2: "),  # TOML error, located
        ('\n\ntheme = "Not A Name"\n', ":3: "),
        ('theme = "share"\ncolour = "blue"\n', "colour"),
        ("theme = 3\n", ":1: "),
    ],
    ids=["toml", "bad-name", "unknown-key", "wrong-type"],
)
def test_broken_file_is_reported_and_defaults_used(folder: Path, text: str, expected: str) -> None:
    folder.mkdir()
    (folder / "config.toml").write_text(text)
    loaded, notices = load_settings()
    assert loaded == Settings()
    assert len(notices) == 1
    assert str(folder / "config.toml") in notices[0]
    assert expected in notices[0]
    assert "default settings" in notices[0]


@pytest.mark.parametrize("text", ["", "  \n\n", "# just a comment\n"])
def test_empty_file_means_defaults(folder: Path, text: str) -> None:
    folder.mkdir()
    (folder / "config.toml").write_text(text)
    assert load_settings() == (Settings(), [])
    save_theme("share")
    assert load_settings()[0].theme == "share"


def test_unreadable_file_is_reported(folder: Path) -> None:
    (folder / "config.toml").mkdir(parents=True)  # a folder where the file should be
    loaded, notices = load_settings()
    assert loaded == Settings() and "folder" in notices[0]


def test_broken_file_is_not_overwritten(folder: Path) -> None:
    folder.mkdir()
    path = folder / "config.toml"
    path.write_text("theme = [\n")
    with pytest.raises(SettingsError, match="fix or delete it"):
        save_theme("share")
    assert path.read_text() == "theme = [\n"


def test_bad_theme_name_is_not_saved(folder: Path) -> None:
    with pytest.raises(SettingsError, match="not a theme name"):
        save_theme("../../etc")
    assert not settings_path().exists()


def test_unwritable_folder_is_an_error_not_a_crash(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(SettingsError, match="cannot save the settings"):
        save_theme("share", blocker / "config")


def test_write_is_atomic(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    save_theme("share")

    def crash(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(settings_module.os, "replace", crash)
    with pytest.raises(SettingsError, match="No space left"):
        save_theme("daylight")
    assert load_settings()[0].theme == "share"  # the old file is intact
    assert sorted(p.name for p in folder.iterdir()) == ["config.toml"]


def test_settings_has_no_textual() -> None:
    code = (
        "import sys, cockpit.settings\n"
        "print(any(m == 'textual' or m.startswith('textual.') for m in sys.modules))\n"
    )
    env = {**os.environ}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert result.stdout.strip() == "False"
