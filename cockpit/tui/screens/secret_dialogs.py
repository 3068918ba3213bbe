"""Dialogs for secrets: choose which one, and type one the keyring does not have.

A typed secret is kept in memory for this session only (`SessionSecrets`); it is never
written anywhere, and the password field never shows it.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from cockpit.tui.safe_text import content, line


class PickSecret(ModalScreen[str | None]):
    """Choose one of the contact card's secrets (by label; the value is never listed)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog.cancel")]

    def __init__(self, title: str, secrets: list[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.secrets = secrets  # (label shown, secret name)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(line(self.title_text), classes="dialog-title")
            yield OptionList(
                *[
                    Option(line(f"{label}  (secret {name})"), id=name)
                    for label, name in self.secrets
                ],
                id="secrets",
            )
            yield Static("enter to choose · escape to cancel", classes="dialog-hint")

    @on(OptionList.OptionSelected, "#secrets")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        """Close without choosing."""
        self.dismiss(None)


class TypeSecret(ModalScreen[str | None]):
    """Ask for a secret the keyring and environment do not have (kept in memory only)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog.cancel")]

    def __init__(self, name: str, why: str) -> None:
        super().__init__()
        self.secret_name = name
        self.why = why

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(
                line(f"Secret {self.secret_name!r} is not available"), classes="dialog-title"
            )
            yield Static(
                content(
                    f"{self.why}\nType it here to use it for this session only; it is kept in "
                    f"memory and never saved. To store it: cockpit secrets set {self.secret_name}"
                ),
                classes="dialog-body",
            )
            yield Input(password=True, id="secret-value", placeholder="the secret value")

    @on(Input.Submitted, "#secret-value")
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value or None)

    def action_cancel(self) -> None:
        """Close without a value."""
        self.dismiss(None)
