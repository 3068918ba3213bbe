"""The cockpit's keys: one table, with an id, a description and a tooltip on each.

Users can remap any of them by id with `App.set_keymap`. The footer shows the keys that
apply now (see `CockpitScreen.check_action`); the help screen and the palette list all.
"""

from __future__ import annotations

from typing import Any

from textual.binding import Binding

#: Actions that write to the journal: hidden when following or replaying.
WRITING_ACTIONS = frozenset(
    {
        "advance", "skip", "fail", "criterion", "go", "no_go", "hold", "blocker",
        "escalate", "resolve", "rollback", "note", "message_sent", "start_browsed", "abandon",
        "share", "reveal", "advance_rollback", "advance_finish", "adopt_card",
    }
)  # fmt: skip


def _b(key: str, action: str, description: str, tooltip: str, **extra: Any) -> Binding:
    """A binding with an id (for keymaps), a description and a tooltip."""
    return Binding(key, action, description, tooltip=tooltip, id=f"cockpit.{action}", **extra)


COCKPIT_BINDINGS: list[Binding] = [
    _b("question_mark", "help", "Help", "Every key and the 30-minute rule", key_display="?"),
    # One key, three meanings; the footer shows the one that applies now.
    _b(
        "space",
        "advance",
        "Start/complete",
        "Start the current step, or complete it if running",
    ),
    _b("space", "advance_rollback", "Undo next", "Mark the next undo of the rollback done"),
    _b("space", "advance_finish", "Declare complete", "Every step is done: declare it complete"),
    _b("s", "skip", "Skip", "Skip the current step (asks why)"),
    _b("x", "fail", "Fail", "Mark the running step failed (asks what went wrong)"),
    *[
        Binding(
            str(n),
            f"criterion({n - 1})",
            "Criteria",
            tooltip=f"Toggle criterion {n} of the open checkpoint",
            id=f"cockpit.criterion{n}",
            show=n == 1,
            key_display="1-9" if n == 1 else None,
        )
        for n in range(1, 10)
    ],
    _b("g", "go", "Go", "Record a GO on the open checkpoint (every criterion met)"),
    _b("n", "no_go", "No-go", "Record a NO-GO on the open checkpoint (asks why)"),
    _b("h", "hold", "Hold", "Record a HOLD on the open checkpoint (asks why)"),
    _b("b", "blocker", "Blocker", "Raise a blocker: starts the escalation timer"),
    _b("e", "escalate", "Called", "Log the escalation call to the on-call senior"),
    _b("r", "resolve", "Resolve", "Resolve the open blocker (asks how)"),
    _b("R", "rollback", "Rollback", "Start the rollback (asks to confirm)", key_display="R"),
    _b("a", "note", "Note", "Add a note to the journal"),
    _b("m", "message_sent", "Sent", "Mark the first due message as sent"),
    _b("f2", "share", "Share", "Share mode: mask secrets, high-contrast theme, SHARING badge"),
    _b("k", "reveal(False)", "Reveal", "Reveal a secret for 15 seconds (journaled)", show=False),
    _b(
        "K",
        "reveal(True)",
        "Copy secret",
        "Copy a secret without showing it (journaled)",
        show=False,
        key_display="K",
    ),
    _b("escape", "back_to_current", "Current step", "Stop browsing: back to the current step"),
    # In the help screen and the palette; kept out of the footer so it fits.
    _b(
        "c",
        "copy",
        "Copy",
        "Copy the due message, the step's command, or the on-call number",
        show=False,
    ),
    _b("l", "log", "Log", "Show the journal log", show=False),
]
