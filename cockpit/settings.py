"""The user's settings: a small TOML file in the user config folder.

It remembers what the user chose last time (the theme) and who they are (the DE's name,
recorded as the operator of every night they run), so the cockpit opens the way they
left it and asks their name once per machine. The folder is the platform's user config
folder (via platformdirs), or `$COCKPIT_CONFIG_DIR` when set (tests, portable setups);
user themes live in its `themes/` sub-folder.

Reading never crashes the cockpit: a missing file means the defaults, a broken one is
reported (located, like every other file) and the defaults are used. Writing is atomic
(a temporary file renamed over the old one), so a crash mid-write leaves the old file,
and the file and any folder created for it are readable by the owner alone.
Secrets are never stored here: they live in the OS keyring (`cockpit.secrets`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import tomli_w
from pydantic import Field

from cockpit.errors import CockpitError, FileProblems
from cockpit.model.load import load_model
from cockpit.model.runbook import Strict

#: The application name for platformdirs (and the keyring service name).
APP_NAME = "cutover-cockpit"
#: Overrides the config folder when set.
CONFIG_DIR_ENV = "COCKPIT_CONFIG_DIR"
#: The settings file's name inside the config folder.
SETTINGS_FILE = "config.toml"

ThemeName = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,40}$")]
#: Longest operator name kept: it is shown in a header, a log line and the debrief.
OPERATOR_MAX = 64
#: One line of text (the loader refuses control characters in every field), stripped.
OperatorName = Annotated[str, Field(min_length=1, max_length=OPERATOR_MAX)]


class SettingsError(CockpitError):
    """The settings could not be saved (the message says why and what to do)."""


class Settings(Strict):
    """The contents of `config.toml`; every field has a default."""

    theme: ThemeName | None = Field(
        default=None,
        description="The theme the cockpit opens with (None: the default, night); "
        "`--theme` wins over it.",
    )
    """The remembered theme, set by `theme: NAME` in the command palette."""
    operator: OperatorName | None = Field(
        default=None,
        description="The DE's name, recorded as the operator of each night in the journal "
        "and the debrief (None: asked once at `cockpit run`); `--operator` wins over it.",
    )
    """The DE's name, saved the first time `cockpit run` asks for it."""


def config_dir() -> Path:
    """The user config folder: `$COCKPIT_CONFIG_DIR`, else the platform's own.

    For example `~/.config/cutover-cockpit` on Linux, `~/Library/Application
    Support/cutover-cockpit` on macOS. It may not exist yet.
    """
    override = os.environ.get(CONFIG_DIR_ENV)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME, appauthor=False))


def settings_path(folder: Path | None = None) -> Path:
    """The settings file in `folder` (default: `config_dir()`)."""
    return (folder if folder is not None else config_dir()) / SETTINGS_FILE


def load_settings(folder: Path | None = None) -> tuple[Settings, list[str]]:
    """The settings and the notices to show about them; never raises for a bad file.

    No file or an empty one: the defaults, no notice. A broken file (bad TOML, unknown
    key, bad value, unreadable): the defaults and one notice with the located problems.
    """
    path = settings_path(folder)
    if not path.exists() or _is_blank(path):
        return Settings(), []
    try:
        return load_model(path, Settings, "settings file"), []
    except FileProblems as problems:
        return Settings(), [f"{problems.render()}\n  Using the default settings."]


def _is_blank(path: Path) -> bool:
    """An empty file (the user cleared it) means the defaults, not a problem."""
    from cockpit.files import read_file

    try:
        # The safe reader: a FIFO or a device named config.toml must not hang the start.
        return not read_file(path, "settings file", limit=4096).strip()
    except FileProblems:
        return False  # the loader reports it


def save_settings(settings: Settings, folder: Path | None = None) -> Path:
    """Write the settings atomically; returns the file. Raises `SettingsError`."""
    path = settings_path(folder)
    data = settings.model_dump(mode="json", exclude_none=True)
    text = "# Cutover Cockpit settings, written by the cockpit. Secrets never go here.\n"
    text += tomli_w.dumps(data)
    from cockpit.files import OutputRefused, make_private_folder, write_output

    try:
        make_private_folder(path.parent)
        # Atomic (a temporary file renamed over the old one) and readable by the owner alone.
        write_output(path, text, force=True)
    except OSError as error:
        raise SettingsError(
            f"cannot save the settings to {path}: {error.strerror or error}"
        ) from None
    except OutputRefused as refused:
        raise SettingsError(f"cannot save the settings: {refused}") from None
    return path


def save_theme(name: str, folder: Path | None = None) -> Path:
    """Remember `name` as the theme to open with; returns the settings file."""
    return _save_setting("theme", name, "the theme choice", folder, "a theme name")


def _save_setting(
    key: str, value: str, what: str, folder: Path | None, kind: str = "a valid value"
) -> Path:
    """Set one setting, keeping the file's others; returns the settings file.

    A broken existing file is not overwritten (it may hold something the user wants):
    `SettingsError` says where it is and what to do, as it does for a bad value.
    """
    path = settings_path(folder)
    settings, notices = load_settings(folder)
    if notices:
        raise SettingsError(
            f"{what} was not saved: {path} has problems; fix or delete it.\n" + notices[0]
        )
    try:
        updated = Settings.model_validate({**settings.model_dump(), key: value})
    except ValueError:
        raise SettingsError(f"{what} was not saved: {value!r} is not {kind}") from None
    return save_settings(updated, folder)


def clean_operator(text: str) -> str:
    """A name typed or given for the operator, made one safe line: stripped, at most
    `OPERATOR_MAX` characters. Raises `ValueError` saying why it cannot be a name (empty,
    or holding control characters: text from a person is data, not terminal commands)."""
    from cockpit.text import control_characters

    name = text.strip()
    found = control_characters(name, newlines_allowed=False)
    if found:
        shown = ", ".join(dict.fromkeys(character for _, character in found))
        raise ValueError(f"a name cannot hold control characters ({shown})")
    if not name:
        raise ValueError("the name is empty")
    return name[:OPERATOR_MAX].rstrip()


def save_operator(name: str, folder: Path | None = None) -> Path:
    """Remember `name` as the DE's name; returns the settings file (like `save_theme`)."""
    try:
        cleaned = clean_operator(name)
    except ValueError as error:
        raise SettingsError(f"your name was not saved: {error}") from None
    return _save_setting("operator", cleaned, "your name", folder, "a name")
