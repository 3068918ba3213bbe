"""The help screen: every key, what it does, and the 30-minute rule."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


class HelpScreen(ModalScreen[None]):
    """Every key in force (after the user's keymap) and what it does, from the action table,
    so it never goes stale."""

    BINDINGS = [
        Binding("escape,question_mark,q", "dismiss", "Close", id="help.close"),
    ]

    def __init__(self, rows: list[tuple[str, str]], escalation_minutes: int) -> None:
        super().__init__()
        self.rows = rows
        self.escalation_minutes = escalation_minutes

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=False, padding=(0, 2))
        table.add_column(style="bold")
        table.add_column()
        for keys, what in self.rows:
            table.add_row(Text(keys), Text(what))
        rule = Text(
            f"\nThe rule: stuck for {self.escalation_minutes} minutes → call the on-call "
            "senior DE. Making that call is the right thing to do, not a failure.\n"
            "Everything is saved the moment it shows; ctrl+q quits safely at any time.\n"
            "ctrl+p opens the command palette: every action is there too.",
            style="italic",
        )
        with VerticalScroll(classes="dialog help"):
            yield Static(Text("Keys", style="bold"))
            yield Static(table)
            yield Static(rule)
            yield Static(Text("escape closes", style="dim"))
