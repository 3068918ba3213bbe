"""One format for a phone number everywhere: the contact card's own, as written.

The contacts pane, the escalation pane, the palette, the paper copy and the debrief all
show a number through `phone_text`, so "+1 312 555 0160 x4471" on the card is
"+1 312 555 0160 x4471" on every one of them (it once read "+1-312-555-0160-x4471" in a
pane that joined the groups with hyphens to stop Textual wrapping inside it). A number is
never wrapped: where a line is too narrow for it, it is cut at the end with an ellipsis,
and whoever lays out the line puts it where it fits whole when it can.
"""

from __future__ import annotations

from cockpit.text import one_line

ELLIPSIS = "…"


def phone_text(number: str, width: int = 0) -> str:
    """`number` as the card writes it, on one line (every character kept); with a
    `width` (cells) it does not fit, cut at the end with an ellipsis, never broken."""
    shown = one_line(number.strip())
    if width <= 0 or len(shown) <= width:  # the card's numbers are ASCII: a cell each
        return shown
    return shown[: width - 1] + ELLIPSIS
