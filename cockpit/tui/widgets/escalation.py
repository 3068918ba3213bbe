"""The escalation timer: the 30-minute rule, large and plain.

The countdown is computed from the blocker's deadline in the journal and the clock, so it
reads the same after a restart, in a follower and in replay.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Digits

from cockpit.phones import phone_text
from cockpit.tui.view import CockpitView
from cockpit.tui.widgets.panel import Panel, PanelText

LEVELS = ("idle", "calm", "warning", "urgent", "overdue", "called")


class EscalationTimer(Vertical, Panel):
    """Idle, counting down in large digits, or CALL NOW."""

    BORDER_TITLE = "Escalation"

    def on_resize(self) -> None:
        """A new width: drawn again, so the number still fits whole."""
        if self.frame is not None:
            self.show(self.frame)

    def compose(self) -> ComposeResult:
        yield PanelText(id="esc-head")
        yield Digits(id="esc-digits")
        yield PanelText(id="esc-body")

    def show(self, view: CockpitView) -> None:
        """Redraw from the view (the screen rings the bell, from the same view)."""
        esc = view.escalation
        # On a line of its own, as the card writes it, cut (never wrapped) if too narrow.
        number = phone_text(esc.contact_number, self.content_region.width)
        for level in LEVELS:
            self.set_class(level == esc.level, f"-{level}")
        runbook = view.state.runbook
        minutes = runbook.meta.escalation_minutes if runbook is not None else 30
        head = Text()
        body = Text()
        keys = view.keys
        digits = self.query_one("#esc-digits", Digits)
        counting = esc.level in ("calm", "warning", "urgent", "overdue")
        # The stylesheet shows the large digits only when counting and there is room.
        self.set_class(counting, "-counting")
        if counting and digits.value != esc.clock:
            digits.update(esc.clock)
        if esc.level == "idle":
            head.append("no open blocker", "bold")
            body.append(f"stuck {minutes} min → call\n", "dim")
            body.append(f"{esc.contact_name}\n{number}", "dim")
            if not view.read_only and not view.state.ended:
                body.append(f"\n{keys['blocker']} raises a blocker", "italic dim")
        elif esc.level == "overdue":
            head.append(f"CALL {esc.contact_name} NOW\n{number}", "bold")
            body.append(f"overdue · {esc.what}")
            if not view.read_only:
                body.append(
                    f"\n{keys['escalate']} call logged · {keys['resolve']} resolved", "italic"
                )
        elif esc.level == "called":
            head.append("escalated", "bold")
            body.append(f"called {esc.called_contact} at {view.hhmm(esc.called_at)}\n")
            if esc.agreed:
                body.append(f"agreed: {esc.agreed}\n")
            body.append(esc.what)
            if not view.read_only:
                body.append(f"\n{keys['resolve']} resolves the blocker", "italic dim")
        else:
            head.append(f"call {esc.contact_name} in {esc.clock}", "bold")
            body.append(f"{number}\n{esc.what}")
            if not view.read_only:
                body.append(
                    f"\n{keys['escalate']} call logged · {keys['resolve']} resolved", "italic dim"
                )
        self.query_one("#esc-head", PanelText).draw(head)
        self.query_one("#esc-body", PanelText).draw(body)
        self.set_title("Escalation" if esc.level in ("idle", "called") else "BLOCKER")
