"""Themes from `themes/*.toml` (built in) and the user's config folder, as Textual themes.

A theme file is validated like every other file, by the same loader: a broken one is
reported with its location and the cockpit falls back to `night`, never crashes; its
names and every other text are refused when they hold control characters, as in a
runbook. A user's theme may not
take the name of a built-in one (ours or Textual's): it would change the colours of a
theme the user thinks they know, so it is skipped with a notice instead.

The cockpit's own colours (go, no-go, PONR, escalation…) are theme variables derived
from the theme's palette by `cockpit_variables`, which `CockpitApp` uses for
`get_theme_variable_defaults`; a theme file may set any of them in `[variables]`.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, Field, StrictBool, field_validator
from textual.color import Color, ColorParseError
from textual.theme import BUILTIN_THEMES, Theme

from cockpit.bundled import list_bundled
from cockpit.errors import FileProblems
from cockpit.model.load import load_model
from cockpit.model.runbook import Strict
from cockpit.text import one_line

DEFAULT_THEME = "night"

#: The cockpit's status colours, used as text (and borders) on the theme's backgrounds.
STATUS_VARIABLES = (
    "go", "no-go", "hold", "ponr", "escalation-warning", "escalation-critical",
    "overrun", "saved", "not-saved",
)  # fmt: skip
#: Text drawn on a status colour used as a background: (text variable, background variable).
ON_STATUS_VARIABLES = (
    ("escalation-critical-foreground", "escalation-critical"),
    ("not-saved-foreground", "not-saved"),
)
#: The cockpit's own theme variables a file may set.
COCKPIT_VARIABLES = frozenset(STATUS_VARIABLES) | {text for text, _ in ON_STATUS_VARIABLES}

#: Text must reach this WCAG contrast ratio against what it is drawn on (AA, normal text).
MINIMUM_CONTRAST = 4.5

# Fallbacks for a theme without warning/error/success, legible on its own background.
_FALLBACK_DARK = {"error": "#ff6b6b", "warning": "#f0c05a", "success": "#6cc883"}
_FALLBACK_LIGHT = {"error": "#b3261e", "warning": "#8a5a00", "success": "#1b6e3a"}


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
    """The name used with `--theme` and `theme:` in the command palette."""
    dark: StrictBool = True
    """A dark theme (light text on a dark background)."""
    primary: Colour
    """Focus, highlights, the calm state of the escalation timer."""
    secondary: Colour | None = None
    """Panel borders and titles."""
    accent: Colour | None = None
    """Accents; the point of no return unless `[variables] ponr` is set."""
    foreground: Colour | None = None
    """Ordinary text."""
    background: Colour | None = None
    """The screen's background."""
    surface: Colour | None = None
    """Dialogs and inputs."""
    panel: Colour | None = None
    """The header and other raised areas."""
    success: Colour | None = None
    """Go, saved (unless set in `[variables]`)."""
    warning: Colour | None = None
    """Hold, escalation warning, overrun (unless set in `[variables]`)."""
    error: Colour | None = None
    """No-go, escalation critical, not saved (unless set in `[variables]`)."""
    boost: Colour | None = None
    """Textual's boost colour (a faint lift on hover)."""


class ThemeFile(Strict):
    """A whole theme file."""

    theme: ThemeTable
    """The palette."""
    variables: dict[str, Colour] = Field(default_factory=dict)
    """The cockpit's own colours, when the palette's defaults are not right (see
    `COCKPIT_VARIABLES`)."""

    @field_validator("variables")
    @classmethod
    def _known_variables(cls, variables: dict[str, str]) -> dict[str, str]:
        unknown = set(variables) - COCKPIT_VARIABLES
        if unknown:
            # Escaped: the names are the file's text, and the notice goes to a terminal.
            raise ValueError(
                f"unknown variables: {', '.join(one_line(name) for name in sorted(unknown))}; "
                f"known: {', '.join(sorted(COCKPIT_VARIABLES))}"
            )
        return variables

    def to_theme(self) -> Theme:
        """The Textual theme."""
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


def user_themes_dir(config_dir: Path | None = None) -> Path:
    """The folder of the user's own themes: `<user config folder>/themes`."""
    from cockpit.settings import config_dir as default_config_dir

    return (config_dir if config_dir is not None else default_config_dir()) / "themes"


def all_themes(config_dir: Path | None = None) -> tuple[list[Theme], list[str]]:
    """The built-in themes, then the user's, and the notices to show about them.

    Never raises for a bad file or folder: each problem becomes a notice (a located
    `FileProblems` rendering, or a sentence) and the theme is left out, so the cockpit
    starts with the others and falls back to `night` when the chosen one is missing.
    A user theme named like a built-in one (ours or Textual's), or like an earlier user
    theme, is skipped with a notice rather than silently replacing it.
    """
    themes, problems = builtin_themes()
    notices = [problem.render() for problem in problems]
    reserved = {theme.name for theme in themes} | set(BUILTIN_THEMES)
    folder = user_themes_dir(config_dir)
    try:
        paths = sorted(path for path in folder.glob("*.toml") if path.is_file())
    except OSError as error:  # unreadable folder: the built-ins still work
        notices.append(f"{folder}: cannot read the user themes folder: {error}")
        paths = []
    seen: dict[str, Path] = {}
    for path in paths:
        try:
            theme = load_theme(path)
        except FileProblems as error:
            notices.append(f"{error.render()}\n  This theme is skipped.")
            continue
        if theme.name in reserved:
            notices.append(
                f"{path}: theme {theme.name!r} has the name of a built-in theme and may not "
                f'replace it; skipped. Give it another name, e.g. name = "my-{theme.name}".'
            )
        elif theme.name in seen:
            notices.append(
                f"{path}: theme {theme.name!r} is already defined in {seen[theme.name]}; "
                "skipped. Give one of them another name."
            )
        else:
            seen[theme.name] = path
            themes.append(theme)
    return themes, notices


def choose_theme(
    available: Iterable[str], requested: str | None = None, saved: str | None = None
) -> tuple[str, list[str]]:
    """The theme to start with, and a notice when the wanted one is not available.

    `requested` (`--theme`) wins over `saved` (the remembered choice); a name that is not
    available — unknown, or its file is broken — falls back to `night`.
    """
    names = set(available)
    wanted = requested or saved
    if wanted is None or wanted in names:
        return wanted or DEFAULT_THEME, []
    where = "--theme" if requested else "the remembered choice"
    choices = ", ".join(sorted(names))
    return DEFAULT_THEME, [
        f"Theme {wanted!r} ({where}) is not available; using {DEFAULT_THEME}. Available: {choices}."
    ]


# ---- the cockpit's own colours --------------------------------------------------------


def relative_luminance(colour: Color) -> float:
    """WCAG 2.x relative luminance of an opaque colour (0 black … 1 white)."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(colour.r) + 0.7152 * channel(colour.g) + 0.0722 * channel(colour.b)


def contrast_ratio(text: Color, background: Color) -> float:
    """WCAG 2.x contrast ratio (1 … 21) of text over an opaque background.

    Text with alpha is blended onto the background first, as the terminal shows it.
    """
    shown = background + text if text.a < 1 else text
    lighter, darker = sorted(
        (relative_luminance(shown), relative_luminance(background)), reverse=True
    )
    return (lighter + 0.05) / (darker + 0.05)


def _text_on(background: str, palette: dict[str, str]) -> str:
    """The theme's foreground or background, whichever reads better on `background`.

    Black or white when neither reaches `MINIMUM_CONTRAST`; the terminal's default for
    ANSI themes, whose real colours are unknown.
    """
    try:
        back = Color.parse(background)
        candidates = [Color.parse(palette["foreground"]), Color.parse(palette["background"])]
    except (ColorParseError, KeyError):
        return "ansi_default"
    if back.ansi is not None or any(c.ansi is not None for c in candidates):
        return "ansi_default"
    best = max(candidates, key=lambda c: contrast_ratio(c, back))
    if contrast_ratio(best, back) < MINIMUM_CONTRAST:
        best = max((Color(0, 0, 0), Color(255, 255, 255)), key=lambda c: contrast_ratio(c, back))
    return best.hex


def cockpit_variables(theme: Theme) -> dict[str, str]:
    """The cockpit's own colours for `theme`: its `[variables]` where set, else derived.

    Go and saved follow the palette's success colour, no-go / escalation critical / not
    saved its error colour, hold / escalation warning / overrun its warning colour, the
    point of no return its accent. Text drawn on a status colour used as a background
    (`escalation-critical-foreground`, `not-saved-foreground`) is the theme's foreground
    or background, whichever contrasts more. So every theme — ours, Textual's or a
    user's — gets all of them.
    """
    fallback = _FALLBACK_DARK if theme.dark else _FALLBACK_LIGHT
    error = theme.error or fallback["error"]
    warning = theme.warning or fallback["warning"]
    success = theme.success or fallback["success"]
    derived = {
        "go": success,
        "no-go": error,
        "hold": warning,
        "ponr": theme.accent or error,
        "escalation-warning": warning,
        "escalation-critical": error,
        "overrun": warning,
        "saved": success,
        "not-saved": error,
    }
    derived.update({k: v for k, v in theme.variables.items() if k in derived})
    palette: dict[str, str] | None = None
    for text, background in ON_STATUS_VARIABLES:
        if text in theme.variables:
            derived[text] = theme.variables[text]
            continue
        if palette is None:
            palette = theme.to_color_system().generate()
        derived[text] = _text_on(derived[background], palette)
    return derived


def css_variables(theme: Theme) -> dict[str, str]:
    """Every CSS variable of `theme` as the cockpit sees it, as `App.get_css_variables`
    combines them: the cockpit's defaults, then Textual's palette, then the theme's own."""
    return {**cockpit_variables(theme), **theme.to_color_system().generate(), **theme.variables}
