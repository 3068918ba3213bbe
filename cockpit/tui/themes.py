"""Themes from `themes/*.toml`, turned into Textual themes.

A theme file is validated like every other file: a broken one is reported with its
location and the cockpit falls back to `night`, never crashes. The cockpit's own colours
(go, no-go, PONR, escalation…) are derived from the theme's palette in
`CockpitApp.get_theme_variable_defaults`, and a file may set them in `[variables]`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, Field
from textual.color import Color, ColorParseError
from textual.theme import Theme

from cockpit.bundled import list_bundled
from cockpit.errors import FileProblems
from cockpit.model.load import load_model
from cockpit.model.runbook import Strict

DEFAULT_THEME = "night"
#: The cockpit's own theme variables a file may set.
COCKPIT_VARIABLES = frozenset(
    {
        "go", "no-go", "hold", "ponr", "escalation-warning", "escalation-critical",
        "overrun", "saved", "not-saved",
    }
)  # fmt: skip


def _colour(value: str) -> str:
    try:
        Color.parse(value)
    except ColorParseError:
        raise ValueError(
            f"{value!r} is not a colour; expected e.g. '#7aa2c8' or 'rgb(1,2,3)'"
        ) from None
    return value


Colour = Annotated[str, AfterValidator(_colour)]


class ThemeTable(Strict):
    """The `[theme]` table: a Textual palette."""

    name: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,40}$")]
    dark: bool = True
    primary: Colour
    secondary: Colour | None = None
    accent: Colour | None = None
    foreground: Colour | None = None
    background: Colour | None = None
    surface: Colour | None = None
    panel: Colour | None = None
    success: Colour | None = None
    warning: Colour | None = None
    error: Colour | None = None
    boost: Colour | None = None


class ThemeFile(Strict):
    """A whole theme file."""

    theme: ThemeTable
    variables: dict[str, Colour] = Field(default_factory=dict)

    def to_theme(self) -> Theme:
        """The Textual theme."""
        unknown = set(self.variables) - COCKPIT_VARIABLES
        if unknown:
            raise ValueError(f"unknown variables: {', '.join(sorted(unknown))}")
        return Theme(**self.theme.model_dump(), variables=dict(self.variables))


def load_theme(path: Path) -> Theme:
    """Load one theme file (raises FileProblems, located)."""
    return load_model(path, ThemeFile, "theme").to_theme()


def load_themes(paths: list[Path]) -> tuple[list[Theme], list[FileProblems]]:
    """Every theme that loads, and the problems of those that do not, reported together."""
    themes: list[Theme] = []
    problems: list[FileProblems] = []
    for path in paths:
        try:
            themes.append(load_theme(path))
        except FileProblems as error:
            problems.append(error)
    return themes, problems


def builtin_themes() -> tuple[list[Theme], list[FileProblems]]:
    """The bundled themes."""
    return load_themes(list_bundled("themes"))
