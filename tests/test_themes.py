"""Themes: the built-ins load and are legible (WCAG contrast), user themes never override
silently, broken files are located, and the cockpit's colours exist for every theme."""

from __future__ import annotations

import colorsys
from pathlib import Path

import pytest
from textual.color import Color
from textual.theme import BUILTIN_THEMES, Theme

from cockpit.bundled import list_bundled
from cockpit.errors import FileProblems
from cockpit.tui.themes import (
    COCKPIT_VARIABLES,
    DEFAULT_THEME,
    ON_STATUS_VARIABLES,
    STATUS_VARIABLES,
    all_themes,
    builtin_themes,
    choose_theme,
    cockpit_variables,
    contrast_ratio,
    css_variables,
    load_theme,
)

BUILTIN_NAMES = {"night", "share", "colorblind", "daylight"}
THEMES = {theme.name: theme for theme in builtin_themes()[0]}
#: Drawn as text (and border titles) on the theme's backgrounds.
TEXT_COLOURS = (
    *STATUS_VARIABLES,
    "warning", "error", "success", "primary", "secondary", "accent", "foreground",
)  # fmt: skip
BACKGROUNDS = ("background", "surface", "panel")


def minimum_for(theme: Theme) -> float:
    """WCAG AA for normal text everywhere; AAA in `share`, which goes through a codec."""
    return 7.0 if theme.name == "share" else 4.5


# ---- WCAG, computed here independently of the code under test ---------------------------


def wcag_luminance(colour: Color) -> float:
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(colour.r) + 0.7152 * linear(colour.g) + 0.0722 * linear(colour.b)


def wcag_ratio(text: Color, background: Color) -> float:
    """Contrast of text over an opaque background; translucent text is blended first."""
    shown = background + text if text.a < 1 else text
    high, low = sorted((wcag_luminance(shown), wcag_luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_wcag_reference_values() -> None:
    black, white = Color(0, 0, 0), Color(255, 255, 255)
    assert wcag_ratio(black, white) == pytest.approx(21.0)
    assert wcag_ratio(white, white) == pytest.approx(1.0)
    # #767676 on white is the well-known AA threshold: 4.54:1.
    assert wcag_ratio(Color.parse("#767676"), white) == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio(Color.parse("#767676"), white) == pytest.approx(4.54, abs=0.01)


def contrast_pairs(theme: Theme) -> list[tuple[str, str, float]]:
    """(text, background, ratio) for every pair the cockpit draws with status colours."""
    variables = css_variables(theme)

    def colour(name: str) -> Color:
        return Color.parse(variables[name])

    base = colour("background")
    pairs = []
    for back_name in BACKGROUNDS:
        back = base + colour(back_name)  # a translucent surface is seen over the screen
        for text in TEXT_COLOURS:
            pairs.append((text, back_name, wcag_ratio(colour(text), back)))
    for text, back_name in ON_STATUS_VARIABLES:
        back = colour(back_name)
        pairs.append((text, back_name, wcag_ratio(colour(text), back)))
        # `$text` (auto 87%) is what the stylesheet draws on those blocks today.
        pairs.append(("$text", back_name, wcag_ratio(back.get_contrast_text(0.87), back)))
    # Highlights: the mode badge ($primary 30% on the header) and the timeline cursor.
    primary = colour("primary")
    for alpha, back_name in ((0.30, "panel"), (0.35, "background")):
        back = base + colour(back_name) + primary.with_alpha(alpha)
        ratio = wcag_ratio(colour("foreground"), back)
        pairs.append(("foreground", f"{back_name}+primary {alpha:.0%}", ratio))
    return pairs


# ---- the built-in themes --------------------------------------------------------------


def test_every_builtin_theme_file_loads() -> None:
    themes, problems = builtin_themes()
    assert problems == []
    assert {theme.name for theme in themes} == BUILTIN_NAMES
    assert DEFAULT_THEME in THEMES
    assert {path.stem for path in list_bundled("themes")} == BUILTIN_NAMES
    assert THEMES["daylight"].dark is False
    assert all(THEMES[name].dark for name in ("night", "share", "colorblind"))


@pytest.mark.parametrize("name", sorted(BUILTIN_NAMES))
def test_status_colours_are_legible(name: str) -> None:
    theme = THEMES[name]
    minimum = minimum_for(theme)
    pairs = contrast_pairs(theme)
    too_low = [f"{text} on {back}: {ratio:.2f}:1" for text, back, ratio in pairs if ratio < minimum]
    assert not too_low, f"{name} needs {minimum}:1; too low: {too_low}"
    assert len(pairs) == len(TEXT_COLOURS) * len(BACKGROUNDS) + 2 * len(ON_STATUS_VARIABLES) + 2


def test_colorblind_never_tells_go_from_no_go_by_red_and_green() -> None:
    variables = cockpit_variables(THEMES["colorblind"])

    def hue(name: str) -> float:
        colour = Color.parse(variables[name])
        return colorsys.rgb_to_hls(colour.r / 255, colour.g / 255, colour.b / 255)[0] * 360

    for good in ("go", "saved"):
        assert 180 <= hue(good) <= 250, f"{good} should be blue"
    for bad in ("no-go", "escalation-critical", "not-saved"):
        assert 20 <= hue(bad) <= 45, f"{bad} should be orange"
    explicit = THEMES["colorblind"].variables
    assert set(STATUS_VARIABLES) <= set(explicit), "colorblind sets its colours explicitly"


@pytest.mark.parametrize("name", sorted(BUILTIN_THEMES))
def test_every_textual_theme_gets_the_cockpit_colours(name: str) -> None:
    variables = cockpit_variables(BUILTIN_THEMES[name])
    assert set(variables) == COCKPIT_VARIABLES
    for value in variables.values():
        Color.parse(value)


def test_a_user_theme_without_variables_still_reads_on_status_blocks() -> None:
    theme = Theme(name="plain", primary="#3366cc", error="#ee3333", background="#202020")
    variables = cockpit_variables(theme)
    for text, back in ON_STATUS_VARIABLES:
        ratio = wcag_ratio(Color.parse(variables[text]), Color.parse(variables[back]))
        assert ratio >= 4.5


def test_app_uses_these_variables() -> None:
    """What the app renders is what the contrast test checked.

    Needs `CockpitApp.get_theme_variable_defaults` to return `cockpit_variables(...)`.
    """
    from cockpit.tui.app import CockpitApp

    for name, theme in THEMES.items():
        app = CockpitApp(None, theme=name)  # type: ignore[arg-type]
        rendered = app.get_css_variables()
        expected = css_variables(theme)
        assert {k: rendered.get(k) for k in expected} == expected, name


# ---- files: broken themes, user themes ------------------------------------------------

GOOD = """\
[theme]
name = "{name}"
primary = "#3366cc"
"""


def write(folder: Path, file: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / file
    path.write_text(text)
    return path


def test_broken_theme_file_is_located(tmp_path: Path) -> None:
    path = write(
        tmp_path, "bad.toml", '[theme]\nname = "bad"\nprimary = "#3366cc"\nerror = "reddish"\n'
    )
    with pytest.raises(FileProblems) as problems:
        load_theme(path)
    rendered = problems.value.render()
    assert f"{path}:4:" in rendered and "not a colour" in rendered


def test_unknown_variable_is_located(tmp_path: Path) -> None:
    text = GOOD.format(name="x") + '\n[variables]\ngo = "#00ff00"\nstop = "#ff0000"\n'
    path = write(tmp_path, "x.toml", text)
    with pytest.raises(FileProblems) as problems:
        load_theme(path)
    assert "unknown variables: stop" in problems.value.render()


def test_toml_syntax_error_is_located(tmp_path: Path) -> None:
    path = write(tmp_path, "x.toml", '[theme]\nname = "x"\nprimary = "#3366cc\n')
    with pytest.raises(FileProblems) as problems:
        load_theme(path)
    assert f"{path}:3:" in problems.value.render()


def test_no_user_folder_means_the_builtins(tmp_path: Path) -> None:
    themes, notices = all_themes(tmp_path / "missing")
    assert {theme.name for theme in themes} == BUILTIN_NAMES
    assert notices == []


def test_user_themes(tmp_path: Path) -> None:
    folder = tmp_path / "themes"
    write(folder, "mine.toml", GOOD.format(name="mine"))
    fake_night = write(folder, "night.toml", GOOD.format(name="night"))
    fake_nord = write(folder, "nordish.toml", GOOD.format(name="nord"))
    broken = write(folder, "broken.toml", '[theme]\nname = "broken"\nprimary = 12\n')
    twin = write(folder, "twin.toml", GOOD.format(name="mine"))
    write(folder, "notes.txt", "not a theme")
    themes, notices = all_themes(tmp_path)
    by_name = {theme.name: theme for theme in themes}
    assert set(by_name) == BUILTIN_NAMES | {"mine"}
    assert by_name["night"].primary == THEMES["night"].primary  # not overridden
    text = "\n".join(notices)
    assert len(notices) == 4
    assert f"{fake_night}: theme 'night' has the name of a built-in theme" in text
    assert f"{fake_nord}: theme 'nord' has the name of a built-in theme" in text
    assert f"{broken}:3:" in text and "skipped" in text
    assert f"{twin}: theme 'mine' is already defined" in text


def test_user_themes_from_the_config_dir_env(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COCKPIT_CONFIG_DIR", str(tmp_path))
    write(tmp_path / "themes", "mine.toml", GOOD.format(name="mine"))
    assert "mine" in {theme.name for theme in all_themes()[0]}


def test_choose_theme() -> None:
    names = ["night", "share", "mine"]
    assert choose_theme(names) == ("night", [])
    assert choose_theme(names, saved="share") == ("share", [])
    assert choose_theme(names, requested="mine", saved="share") == ("mine", [])
    name, notices = choose_theme(names, requested="broken")
    assert name == "night" and "'broken' (--theme) is not available" in notices[0]
    name, notices = choose_theme(names, saved="gone")
    assert name == "night" and "remembered" in notices[0]
