"""The command palette: every action, category-prefixed and aware of the state.

Only commands that make sense now are offered ("checkpoint: go" while a checkpoint is
open, "blocker: log escalation call" while a blocker is open), and every number on the
contact card can be copied from here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher

from cockpit.phones import phone_text
from cockpit.text import one_line
from cockpit.tui.actions import ACTIONS
from cockpit.tui.safe_text import line, markup_literal

if TYPE_CHECKING:
    from cockpit.tui.screens.cockpit_screen import CockpitScreen

Entry = tuple[str, Callable[[], object], str]


class CockpitCommands(Provider):
    """Commands of the cockpit screen."""

    def _screen(self) -> CockpitScreen | None:
        from cockpit.tui.screens.cockpit_screen import CockpitScreen

        for screen in reversed(self.app.screen_stack):
            if isinstance(screen, CockpitScreen):
                return screen
        return None

    def _entries(self) -> Iterator[Entry]:
        screen = self._screen()
        if screen is None:
            return
        state = screen.state

        def action(name: str) -> Callable[[], object]:
            return partial(self.app.run_action, name, screen)

        def allowed(name: str) -> bool:
            return screen.check_action(name, ()) is True

        keys = screen.keys
        for entry in ACTIONS:
            if entry.palette and allowed(entry.id):
                key = keys.get(entry.id)
                yield entry.palette, action(entry.id), f"key {key}" if key else ""
        yield from self._numbered(screen, action)
        if state.contacts is not None:
            for contact in state.contacts.contacts:
                for phone in contact.phones:
                    number = phone_text(phone.number)
                    yield (
                        f"copy: {contact.name} {phone.label} ({contact.role})",
                        partial(self._copy, number, f"{contact.name}'s {phone.label}"),
                        number,
                    )
        if screen.source.watch == "live":
            sharing = "off" if state.share_mode else "on"
            yield f"share: turn share mode {sharing}", action("share"), f"key {keys['share']}"
            for label, name in screen.secrets_on_card():
                yield (
                    f"secret: reveal {label}",
                    action(f"reveal(False, {name!r})"),
                    "15 s, journaled",
                )
                yield (
                    f"secret: copy {label}",
                    action(f"reveal(True, {name!r})"),
                    "not shown, journaled",
                )
        for theme_name in sorted(self.app.available_themes):
            yield (
                f"theme: {theme_name}",
                partial(screen.cockpit_app.choose_theme, theme_name),
                "remembered for next time",
            )

    def _numbered(
        self, screen: CockpitScreen, action: Callable[[str], Callable[[], object]]
    ) -> Iterator[Entry]:
        """One line per number key that applies now: a criterion of the open gate, or an
        item of the list on screen (tick, or untick when ticked)."""
        if screen.check_action("tick", ()) is not True:
            return
        state = screen.state
        assert state.runbook is not None
        keys = screen.keys
        checkpoint_id = state.open_checkpoint
        if checkpoint_id is not None:
            lines = [
                f"checkpoint: toggle #{index + 1} {criterion}"
                for index, criterion in enumerate(state.runbook.checkpoint(checkpoint_id).criteria)
            ]
        else:
            ref = screen.moment().checklist
            if ref is None:
                return
            lines = [
                f"{'untick' if state.tick(ref.checklist, ref.step_id, index) else 'tick'}: "
                f"#{index + 1} {item}"
                for index, item in enumerate(ref.items(state.runbook))
            ]
        for index, text in enumerate(lines):
            key = keys.binding(f"cockpit.tick{index + 1}")
            yield text, action(f"tick({index})"), f"key {key}" if key else ""

    def _copy(self, text: str, what: str) -> None:
        self.app.copy_to_clipboard(text)
        self.app.notify(f"Copied {what}.")

    async def discover(self) -> Hits:
        """Everything available now, before anything is typed."""
        for text, callback, help_text in self._entries():
            shown = one_line(text)
            yield DiscoveryHit(line(shown), callback, text=shown, help=markup_literal(help_text))

    async def search(self, query: str) -> Hits:
        """Fuzzy-match the commands available now."""
        matcher = self.matcher(query)
        for text, callback, help_text in self._entries():
            shown = one_line(text)
            score = matcher.match(shown)
            if score > 0:
                yield Hit(
                    score,
                    highlight(matcher, shown),
                    callback,
                    text=shown,
                    help=markup_literal(help_text),
                )


def highlight(matcher: Matcher, candidate: str) -> Content:
    """The candidate with the matched letters marked, taken literally.

    `Matcher.highlight` reads the candidate as markup, and contact names, roles and
    criteria are text from files: "[/x]" in one would raise.
    """
    shown = Content(candidate)
    _score, offsets = matcher.fuzzy_search.match(matcher.query, candidate)
    for offset in offsets:
        if not candidate[offset].isspace():
            shown = shown.stylize(matcher.match_style, offset, offset + 1)
    return shown
