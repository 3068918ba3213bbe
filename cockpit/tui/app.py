"""The cockpit application: themes, the cockpit screen, the command palette.

The app module stays small: the screen owns the layout and keys, the source (a live
`Session` or a `Follower`) owns the state.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.app import App
from textual.binding import Binding

from cockpit.tui.palette import CockpitCommands
from cockpit.tui.screens.cockpit_screen import CockpitScreen, Source
from cockpit.tui.themes import DEFAULT_THEME, builtin_themes


class CockpitApp(App[None]):
    """Cutover Cockpit."""

    CSS_PATH = [Path(__file__).parent / "cockpit.tcss"]
    TITLE = "Cutover Cockpit"
    COMMANDS = App.COMMANDS | {CockpitCommands}
    ENABLE_COMMAND_PALETTE = True
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-normal"), (170, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]
    BINDINGS = [
        Binding(
            "ctrl+q",
            "quit",
            "Quit",
            tooltip="Quit: everything shown is already saved in the journal",
            id="app.quit",
            priority=True,
        ),
    ]

    def __init__(
        self,
        source: Source,
        *,
        theme: str = DEFAULT_THEME,
        notices: list[str] | None = None,
        screen: CockpitScreen | None = None,
    ) -> None:
        super().__init__()
        self.source = source
        #: The first screen: the cockpit, or a replay screen built by `cockpit replay`.
        self.first_screen = screen
        #: Things to tell the user once the screen is up (card problems, theme problems).
        self.notices = list(notices or [])
        themes, problems = builtin_themes()
        for loaded in themes:
            self.register_theme(loaded)
        self.notices.extend(problem.render() for problem in problems)
        if theme not in self.available_themes:
            self.notices.append(f"Unknown theme {theme!r}; using {DEFAULT_THEME}.")
            theme = DEFAULT_THEME
        if theme in self.available_themes:
            self.theme = theme

    def get_theme_variable_defaults(self) -> dict[str, str]:
        """The cockpit's own colours, derived from whatever theme is active.

        Every theme (ours, Textual's, a user's) therefore works; a theme file may still set
        any of these explicitly.
        """
        theme = self.current_theme
        error = theme.error or "red"
        warning = theme.warning or "yellow"
        success = theme.success or "green"
        return {
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

    def on_mount(self) -> None:
        self.push_screen(self.first_screen or CockpitScreen(self.source))
        for notice in self.notices:
            self.notify(notice, title="Check this", severity="warning", timeout=20)

    def action_quit(self) -> None:  # type: ignore[override]
        """Quit; the journal already holds every acknowledged action."""
        self.exit()

    @property
    def cockpit(self) -> CockpitScreen | None:
        """The cockpit screen, wherever it sits in the stack."""
        for screen in self.screen_stack:
            if isinstance(screen, CockpitScreen):
                return screen
        return None

    def run_cockpit_action(self, action: str) -> Any:
        """Run one of the cockpit screen's actions (from the command palette)."""
        screen = self.cockpit
        if screen is not None:
            return self.run_action(action, screen)
        return None
