"""The footer: Textual's, with each key marked by whether it stays at 80 columns.

At 80 columns every key that applies does not fit; the action table says which stay
(`Action.narrow`), and the stylesheet hides the others there, so the footer ends on a
whole word — never "R Rollb". The help screen and the palette have them all.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from cockpit.tui.actions import BY_ID

#: Textual's own keys that go at 80 columns too (quit: ctrl+q is on paper and in help).
WIDE_ONLY_BUILTINS = frozenset({"app.quit", "quit"})


class CockpitFooter(Footer):
    """Keys the action table keeps at 80 columns, and the rest marked `-wide-only`."""

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                name = widget.action.split("(")[0]
                entry = BY_ID.get(name)
                if (entry is not None and not entry.narrow) or name in WIDE_ONLY_BUILTINS:
                    widget.add_class("-wide-only")
            yield widget
