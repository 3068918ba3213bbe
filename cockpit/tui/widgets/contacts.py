"""The contact card: escalation order, roles, every number; secrets always masked here."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll

from cockpit.phones import phone_text
from cockpit.tui.view import CockpitView
from cockpit.tui.widgets.panel import Panel, PanelText

MASK = "••••"
#: A number put on a line of its own, under its label, is indented this much when it fits.
NUMBER_INDENT = "     "


def phone_lines(lead: str, number: str, width: int) -> tuple[str, ...]:
    """`lead` and the card's number, laid out so the number is never wrapped.

    Textual wraps at any whitespace, non-breaking spaces included, so a line is given
    only what fits: `lead` and the number on one line when they fit in `width`, else the
    number on a line of its own (cut at the end with an ellipsis if even that is too
    narrow). Width 0 (not laid out yet) keeps them on one line.
    """
    shown = phone_text(number)
    if width <= 0 or len(lead) + len(shown) <= width:
        return (f"{lead}{shown}",)
    indent = NUMBER_INDENT if len(NUMBER_INDENT) + len(shown) <= width else ""
    return (lead.rstrip(), indent + phone_text(number, width - len(indent)))


class CardText(PanelText):
    """The card's text: drawn again for a new width, so its numbers still fit whole."""

    def on_resize(self) -> None:
        panel = self.parent
        if isinstance(panel, ContactCardPanel) and panel.frame is not None:
            panel.show(panel.frame)


class ContactCardPanel(VerticalScroll, Panel):
    """People in escalation order; the on-call senior first and marked."""

    BORDER_TITLE = "Contacts"

    def compose(self) -> ComposeResult:
        yield CardText(id="contacts-body")

    def show(self, view: CockpitView) -> None:
        """Redraw from the view."""
        card = view.state.contacts
        body = Text()
        width = self.query_one("#contacts-body", PanelText).content_region.width
        if card is None:
            body.append("No contact card.\n", "bold")
            body.append("Run with --contacts CARD so the numbers are on screen.", "dim")
            self.query_one("#contacts-body", PanelText).draw(body)
            return
        on_call = card.on_call
        people = card.in_escalation_order
        if on_call is not None:
            people = [on_call, *[c for c in people if c.id != on_call.id]]
        for contact in people:
            senior = on_call is not None and contact.id == on_call.id
            body.append("★ ON CALL " if senior else "", "bold reverse")
            order = f"{contact.escalation_order}. " if contact.escalation_order else ""
            body.append(f"{order}{contact.name}", "bold")
            body.append(f" · {contact.role}\n", "dim")
            for phone in contact.phones:
                lead = f"   {phone.label}: "
                *above, number = phone_lines(lead, phone.number, width)
                body.append("\n".join(above) + "\n" if above else lead, "dim")
                body.append(f"{number.removeprefix(lead)}\n", "bold" if senior else "")
            for label, ref in contact.secrets.items():
                self._secret(body, label, ref.secret, view)
        for account in card.accounts:
            body.append(f"{account.vendor}\n", "bold")
            for label, value in account.fields.items():
                if isinstance(value, str):
                    body.append(f"   {label}: {value}\n", "dim")
                else:
                    self._secret(body, label, value.secret, view)
        self.query_one("#contacts-body", PanelText).draw(body)

    @staticmethod
    def _secret(body: Text, label: str, name: str, view: CockpitView) -> None:
        """A secret line: masked, unless it is being revealed right now."""
        shown = view.revealed.get(name)
        if shown is not None and not view.read_only:
            body.append(f"   {label}: ", "dim")
            body.append(f"{shown}", "bold reverse")
            body.append("  (shown 15 s)\n", "italic")
        else:
            # Short enough for the pane at 120 columns: the secret's name is in the
            # reveal key's picker and the palette.
            body.append(f"   {label}: {MASK}", "dim")
            hint = "" if view.read_only else f"  {view.keys['reveal']} reveals"
            body.append(f"{hint}\n", "dim italic")
