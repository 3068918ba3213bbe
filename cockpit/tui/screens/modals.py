"""Small dialogs: ask for a reason, confirm a consequence. Each dismisses with its answer."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from cockpit.tui.safe_text import content, line


class AskText(ModalScreen[str | None]):
    """Ask for a short text (a reason, a note); escape cancels, enter confirms."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog.cancel")]

    def __init__(self, title: str, prompt: str, placeholder: str = "", value: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.prompt = prompt
        self.placeholder = placeholder
        #: A suggested answer, already typed (a signer's name): enter takes it.
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(line(self.title_text), classes="dialog-title")
            yield Static(content(self.prompt), classes="dialog-body")
            yield Input(self.value, placeholder=self.placeholder, id="answer", max_length=2000)
            yield Static("enter to save · escape to cancel", classes="dialog-hint")

    @on(Input.Submitted, "#answer")
    def _submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if text:
            self.dismiss(text)
        else:
            self.notify("Write a few words first (or escape to cancel).", severity="warning")

    def action_cancel(self) -> None:
        """Close without an answer."""
        self.dismiss(None)


class Confirm(ModalScreen[bool]):
    """State a consequence and ask yes or no; the safe answer has the focus."""

    BINDINGS = [
        Binding("escape", "answer(False)", "No", id="dialog.no"),
        Binding("y", "answer(True)", "Yes", id="dialog.yes"),
    ]

    def __init__(self, title: str, body: str, yes: str = "Yes", danger: bool = True) -> None:
        super().__init__()
        self.title_text = title
        self.body = body
        self.yes = yes
        self.danger = danger

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog -danger" if self.danger else "dialog"):
            yield Label(line(self.title_text), classes="dialog-title")
            yield Static(content(self.body), classes="dialog-body")
            with Horizontal(classes="dialog-buttons"):
                yield Button("No, go back", id="no", variant="primary")
                yield Button(
                    f"{self.yes} (y)", id="yes", variant="error" if self.danger else "success"
                )

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        """Answer from the keyboard."""
        self.dismiss(yes)


class PickOne(ModalScreen[str | None]):
    """Choose one of a few things (a contact to log a call with, a note to withdraw);
    enter picks the highlighted one, escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog.cancel")]

    def __init__(self, title: str, prompt: str, choices: list[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.prompt = prompt
        #: (id, what is shown), in the order shown; the first is highlighted.
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(line(self.title_text), classes="dialog-title")
            yield Static(content(self.prompt), classes="dialog-body")
            yield OptionList(
                *(Option(line(shown), id=choice_id) for choice_id, shown in self.choices),
                id="choices",
            )
            yield Static("↑/↓ choose · enter to pick · escape to cancel", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#choices", OptionList).focus()

    @on(OptionList.OptionSelected, "#choices")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        """Close without a choice."""
        self.dismiss(None)


class ReadText(ModalScreen[None]):
    """Text to read (the due messages, whole): it scrolls; escape closes."""

    BINDINGS = [Binding("escape,q", "dismiss", "Close", id="dialog.close")]

    def __init__(self, title: str, body: str, hint: str = "escape closes") -> None:
        super().__init__()
        self.title_text = title
        self.body = body
        self.hint = hint

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog"):
            yield Label(line(self.title_text), classes="dialog-title")
            yield Static(content(self.body), classes="dialog-body")
            yield Static(line(self.hint), classes="dialog-hint")
