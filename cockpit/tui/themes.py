"""Built-in themes. `night` is the default: dark, dim and calm for 2 a.m."""

from __future__ import annotations

from textual.theme import Theme

DEFAULT_THEME = "night"

NIGHT = Theme(
    name="night",
    primary="#7aa2c8",
    secondary="#8c9fb3",
    accent="#c9a26b",
    foreground="#c8cdd3",
    background="#0e1216",
    surface="#151b21",
    panel="#1c242c",
    success="#7fbf8f",
    warning="#e0b764",
    error="#f07c74",
    dark=True,
)

BUILTIN_THEMES: list[Theme] = [NIGHT]
