"""The help screen: every key in force, grouped by what it is for, and the 30-minute rule."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

if TYPE_CHECKING:
    from cockpit.tui.help_rows import HelpRow

#: Said after a key that does nothing at this moment (the row is dimmed too: a dim that a
#: theme or a video call washes out still leaves the words).
NOT_NOW = "not now"


class HelpScreen(ModalScreen[None]):
    """Every key in force (after the user's keymap), grouped, from the bindings, so it never
    goes stale; what does nothing right now is dimmed and marked, not hidden."""

    BINDINGS = [
        Binding("escape,question_mark,q", "dismiss", "Close", id="help.close"),
    ]

    def __init__(self, rows: Sequence[HelpRow], escalation_minutes: int) -> None:
        super().__init__()
        self.rows = list(rows)
        self.escalation_minutes = escalation_minutes

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=False, padding=(0, 1), expand=True)
        table.add_column(style="bold", no_wrap=True)
        table.add_column(ratio=1)
        group = ""
        for row in self.rows:
            if row.group != group:
                if group:
                    table.add_row("", "")
                group = row.group
                table.add_row(Text(group, style="bold underline"), "")
            what = Text(row.what)
            if not row.now:
                what.append(f"  ({NOT_NOW})", style="italic")
            table.add_row(Text(row.keys), what, style="" if row.now else "dim")
        rule = Text(
            f"\nThe rule: stuck for {self.escalation_minutes} minutes → call the on-call "
            "senior DE. Making that call is the right thing to do, not a failure.\n"
            "Everything is saved the moment it shows.",
            style="italic",
        )
        with VerticalScroll(classes="dialog help"):
            yield Static(Text("Keys (dimmed, 'not now': nothing to do with them at this moment)"))
            yield Static(table)
            yield Static(rule)
            yield Static(Text(f"{self._closing_keys()} close", style="dim"))

    def _closing_keys(self) -> str:
        """The keys that close this screen, as bound."""
        shown = [
            self.app.get_key_display(Binding(key, binding.action))
            for binding in self.BINDINGS
            if isinstance(binding, Binding)
            for key in binding.key.split(",")
        ]
        return ", ".join(shown)
