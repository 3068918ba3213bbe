"""The cockpit application: themes, the cockpit screen, the command palette.

The app module stays small: the screen owns the layout and keys, the source (a live
`Session` or a `Follower`) owns the state.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.screen import Screen

from cockpit.collector import COLLECT_EVERY, BetweenKeys
from cockpit.core.source import StateSource
from cockpit.settings import load_settings
from cockpit.text import one_line, visible
from cockpit.tui.actions import KeysInForce
from cockpit.tui.keymap import load_keymap
from cockpit.tui.palette import CockpitCommands
from cockpit.tui.screens.cockpit_screen import CockpitScreen
from cockpit.tui.themes import all_themes, choose_theme, cockpit_variables


class LateNotices(Message):
    """Notices found after the first frame (a worker's answer)."""

    def __init__(self, notices: list[str]) -> None:
        super().__init__()
        self.notices = notices


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
        source: StateSource,
        *,
        theme: str | None = None,
        notices: list[str] | None = None,
        screen: CockpitScreen | None = None,
        later_notices: Callable[[], list[str]] | None = None,
    ) -> None:
        super().__init__()
        self.source = source
        #: Notices worth a look that the first frame need not wait for (the OS keyring
        #: takes a tenth of a second to ask whether it holds the card's secrets): looked
        #: for in a thread once the screen is up.
        self.later_notices = later_notices
        #: The first screen: the cockpit, or a replay screen built by `cockpit replay`.
        self.first_screen = screen
        #: When Python's garbage collector runs while the cockpit is up: between keys.
        self.collector = BetweenKeys()
        #: Things to tell the user once the screen is up (card, theme, settings problems).
        self.notices = list(notices or [])
        themes, theme_notices = all_themes()
        for loaded in themes:
            self.register_theme(loaded)
        self.notices.extend(theme_notices)
        settings, settings_notices = load_settings()
        self.notices.extend(settings_notices)
        name, choice_notices = choose_theme(
            self.available_themes, requested=theme, saved=settings.theme
        )
        self.notices.extend(choice_notices)
        #: The theme to return to when share mode ends.
        self.chosen_theme = name
        self.theme = name
        keymap, keymap_notices = load_keymap()
        self.notices.extend(keymap_notices)
        #: The user's remapped keys (binding id → keys), applied when the app mounts.
        self.user_keymap = keymap
        #: The key shown for each action: hints in panels, the palette and help say these.
        self.keys_in_force = KeysInForce(self.get_key_display, keymap)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every notification of the cockpit: its text is data, never markup.

        Notices quote runbook titles, owners, reasons and file paths; Textual would read
        them as markup ("[/x]" raised `MarkupError`). Every `notify` of a screen or a
        widget lands here, so no caller can forget.
        """
        super().notify(
            visible(message),
            title=one_line(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def withdraw_notices(self, title: str) -> None:
        """Take down the notices with this title: a refusal ("Not done: not yet met #1…#5")
        must not outlive its truth once something else has been done. (Textual keeps its
        notifications privately; `tests/test_tui_notices.py` fails if that changes.)"""
        stale = [n for n in list(self._notifications) if n.title == one_line(title)]
        for notification in stale:
            self._unnotify(notification, refresh=False)
        if stale:
            self._refresh_notifications()

    def _fatal_error(self) -> None:
        """An internal error: said plainly, without the variables of every frame.

        Textual's own crash report shows each frame's local variables, and this screen is
        shared on a call: a revealed secret or a customer's notes could be among them. The
        traceback is kept (without locals) for the bug report; `cockpit run` then says
        what is saved and how to resume. (Overrides a private hook of Textual 8.2.8 on
        purpose; `tests/test_hostile_text.py` fails if a Textual upgrade stops calling it.)
        """
        from rich.traceback import Traceback

        self.bell()
        self.internal_error = True
        self.panic(Traceback(show_locals=False, width=None))

    #: Set when the cockpit stopped on an internal error (for `cockpit run`'s exit).
    internal_error: bool = False

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's palette commands, with the screenshot made safe.

        Textual's own screenshot would save a revealed secret in a file anyone on the
        machine can read, and could replace an existing file.
        """
        for command in super().get_system_commands(screen):
            if command.title == "Screenshot":
                yield SystemCommand(
                    "Screenshot",
                    "Save the screen as SVG in this folder: secrets masked, readable by you alone",
                    self.save_screenshot_safely,
                )
            else:
                yield command

    def save_screenshot_safely(self) -> None:
        """Mask every secret, let the palette close and the frame redraw, then save."""
        cockpit = self.cockpit
        if cockpit is not None:
            cockpit.mask_secrets()
        self.set_timer(0.2, self._write_screenshot)

    def _write_screenshot(self) -> None:
        from cockpit.errors import CockpitError
        from cockpit.files import write_output

        moment = self.source.clock.now()
        path = Path.cwd() / f"cockpit-screenshot-{moment:%Y%m%dT%H%M%S}Z.svg"
        try:
            write_output(path, self.export_screenshot())
        except CockpitError as error:
            self.notify(str(error), title="Screenshot not saved", severity="warning")
            return
        self.notify(f"Screenshot saved: {path} (secrets masked, readable by you alone).")

    def get_theme_variable_defaults(self) -> dict[str, str]:
        """The cockpit's own colours (go, no-go, PONR, escalation…), derived from whatever
        theme is active, so every theme — ours, Textual's, a user's — works."""
        return cockpit_variables(self.current_theme)

    def apply_share_theme(self, on: bool) -> None:
        """Share mode wears the high-contrast theme; leaving it restores the chosen one."""
        target = "share" if on else self.chosen_theme
        if target in self.available_themes and self.theme != target:
            self.theme = target

    def choose_theme(self, name: str) -> None:
        """A theme picked in the palette: applied, and remembered for next time."""
        from cockpit.errors import CockpitError
        from cockpit.settings import save_theme

        self.chosen_theme = name
        self.theme = name
        try:
            save_theme(name)
        except CockpitError as error:
            self.notify(str(error), title="Theme not remembered", severity="warning")

    def get_default_screen(self) -> Screen[Any]:
        """The first screen is the base of the stack, not pushed over Textual's blank one:
        pushed, it was laid out and painted once inside the start-up batch (a frame's work
        thrown away, ~30 ms before the first frame)."""
        if self.first_screen is None:
            self.first_screen = CockpitScreen(self.source)
        return self.first_screen

    def on_mount(self) -> None:
        if self.user_keymap:
            self.set_keymap(self.user_keymap)
        # Once the first frame is up, the start-up's objects are frozen, and the collector
        # (paused by the command line) runs on a timer, between keys (cockpit.collector).
        self.call_after_refresh(self.collector.start_up_over)
        self.set_interval(COLLECT_EVERY, self.collector.collect)
        for notice in self.notices:
            self.notify(notice, title="Check this", severity="warning", timeout=20)
        if self.later_notices is not None:
            self.call_after_refresh(self._look_for_later_notices)

    def on_unmount(self) -> None:
        self.collector.done()

    @work(thread=True, exclusive=True, exit_on_error=False, group="later-notices")
    def _look_for_later_notices(self) -> None:
        """In a thread: the notices that may wait for the first frame; posted back."""
        assert self.later_notices is not None
        self.post_message(LateNotices(self.later_notices()))

    def on_late_notices(self, message: LateNotices) -> None:
        for notice in message.notices:
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
