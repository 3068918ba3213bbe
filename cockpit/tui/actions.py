"""Every action of the cockpit screen, in one table: key, label, palette text, writes, when.

The bindings, the footer (Textual draws it from the bindings), the availability check, the
command palette, the help screen and the key hints inside the panels are all derived from
`ACTIONS`. Adding an action is one `Action(...)` here plus its `action_<id>` method on the
screen; a test walks the table and fails on an action without a method, or a method
without an entry.

Keys can be remapped by action id from a keymap file (`cockpit.tui.keymap`); a binding's id
is `cockpit.<action id>` (criteria: `cockpit.criterion1` … `cockpit.criterion9`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.binding import Binding

if TYPE_CHECKING:
    from cockpit.core.state import CutoverState


@dataclass(frozen=True)
class Moment:
    """What an action's availability depends on, at one moment."""

    state: CutoverState
    #: A live session (not following or replaying): writing actions are possible.
    live: bool
    #: The step the arrows browse, if any.
    browsing: str | None
    #: A message is due now.
    message_due: bool
    #: The contact card file differs and a new card is offered.
    card_offered: bool


def _always(now: Moment) -> bool:
    return True


def _stepping(now: Moment) -> bool:
    return not now.state.rolling_back


def _gate_open(now: Moment) -> bool:
    return now.state.open_checkpoint is not None


def _blocker_open(now: Moment) -> bool:
    return now.state.open_blocker is not None


@dataclass(frozen=True)
class Action:
    """One thing the DE can do on the cockpit screen."""

    #: The action's name: `action_<id>` on the screen, `cockpit.<id>` as a binding id.
    id: str
    #: Default keys (Textual key names, comma-separated); "" for palette-only actions.
    keys: str
    #: The footer's word for it.
    label: str
    #: One sentence for the help screen and the footer's tooltip.
    tooltip: str
    #: Its line in the command palette ("category: what"); "" when the palette builds
    #: its own lines for it (criteria, secrets) or it has none.
    palette: str = ""
    #: It writes to the journal: never offered when following or replaying.
    writes: bool = False
    #: Whether it applies now (the footer hides what does not; the palette leaves it out).
    when: Callable[[Moment], bool] = _always
    #: Shown in the footer when it applies.
    footer: bool = True
    #: How the key is shown when Textual's own display would not do ("?", "1-9").
    key_display: str | None = None
    #: One binding per parameter (the criteria: `criterion(0)` … `criterion(8)` on 1…9).
    parameters: tuple[str, ...] = ()

    def bindings(self) -> list[Binding]:
        """The Textual bindings of this action (none for palette-only actions)."""
        if not self.keys:
            return []
        if not self.parameters:
            return [
                Binding(
                    self.keys,
                    self.id,
                    self.label,
                    show=self.footer,
                    key_display=self.key_display,
                    tooltip=self.tooltip,
                    id=f"cockpit.{self.id}",
                )
            ]
        keys = self.keys.split(",")
        return [
            Binding(
                key,
                f"{self.id}({parameter})",
                self.label,
                show=self.footer and index == 0,
                key_display=self.key_display if index == 0 else None,
                tooltip=self.tooltip,
                id=f"cockpit.{self.id}{index + 1}",
            )
            for index, (key, parameter) in enumerate(zip(keys, self.parameters, strict=True))
        ]

    def applies(self, now: Moment) -> bool:
        """Offered now: live when it writes, and its own condition."""
        if self.writes and not now.live:
            return False
        state = now.state
        if self.writes and state.started and state.ended and self.id not in ("note",):
            return False
        if not state.started:
            return True
        return self.when(now)


ACTIONS: tuple[Action, ...] = (
    Action(
        "help", "question_mark", "Help", "Every key and the 30-minute rule",
        palette="view: help and keys", key_display="?",
    ),
    # One key, three meanings; the footer shows the one that applies now.
    Action(
        "advance", "space", "Start/complete", "Start the current step, or complete it if running",
        palette="step: start / complete the current step", writes=True,
        when=lambda now: _stepping(now) and now.state.current_step is not None,
    ),
    Action(
        "advance_rollback", "space", "Undo next", "Mark the next undo of the rollback done",
        palette="rollback: mark the next undo done", writes=True,
        when=lambda now: now.state.rolling_back,
    ),
    Action(
        "advance_finish", "space", "Declare complete", "Every step is done: declare it complete",
        palette="cutover: declare complete", writes=True,
        when=lambda now: _stepping(now) and now.state.current_step is None,
    ),
    Action(
        "start_browsed", "", "Start this", "Start the browsed step (out of order)",
        palette="step: start the browsed step (out of order)", writes=True,
        when=lambda now: now.browsing is not None,
    ),
    Action(
        "skip", "s", "Skip", "Skip the current step (asks why)",
        palette="step: skip the current step", writes=True,
        when=lambda now: _stepping(now)
        and now.state.runbook is not None
        and now.state.current_step not in (None, now.state.runbook.ponr_step),
    ),
    Action(
        "fail", "x", "Fail", "Mark the running step failed (asks what went wrong)",
        palette="step: mark the running step failed", writes=True,
        when=lambda now: _stepping(now) and now.state.running_step is not None,
    ),
    Action(
        "criterion", ",".join(str(n) for n in range(1, 10)), "Criteria",
        "Toggle a criterion of the open checkpoint (1 for the first, 2 for the second…)",
        writes=True, key_display="1-9",
        when=_gate_open,
        parameters=tuple(str(index) for index in range(9)),
    ),
    # `g` stays active with criteria unmet, so pressing it says why it is refused.
    Action(
        "go", "g", "Go", "Record a GO on the open checkpoint (every criterion met)",
        palette="checkpoint: GO", writes=True,
        when=_gate_open,
    ),
    Action(
        "no_go", "n", "No-go", "Record a NO-GO on the open checkpoint (asks why)",
        palette="checkpoint: NO-GO", writes=True,
        when=_gate_open,
    ),
    Action(
        "hold", "h", "Hold", "Record a HOLD on the open checkpoint (asks why)",
        palette="checkpoint: HOLD", writes=True,
        when=_gate_open,
    ),
    Action(
        "blocker", "b", "Blocker", "Raise a blocker: starts the escalation timer",
        palette="blocker: raise (starts the escalation timer)", writes=True,
        when=lambda now: now.state.open_blocker is None,
    ),
    Action(
        "escalate", "e", "Called", "Log the escalation call to the on-call senior",
        palette="blocker: log escalation call", writes=True,
        when=_blocker_open,
    ),
    Action(
        "resolve", "r", "Resolve", "Resolve the open blocker (asks how)",
        palette="blocker: resolve", writes=True,
        when=_blocker_open,
    ),
    Action(
        "rollback", "R", "Rollback", "Start the rollback (asks to confirm)",
        palette="rollback: start", writes=True, key_display="R",
        when=lambda now: now.state.rollback is None,
    ),
    Action("note", "a", "Note", "Add a note to the journal", palette="note: add", writes=True),
    Action(
        "message_sent", "m", "Sent", "Mark the first due message as sent",
        palette="message: mark the due message sent", writes=True,
        when=lambda now: now.message_due,
    ),
    Action(
        "share", "f2", "Share", "Share mode: mask secrets, high-contrast theme, SHARING badge",
        writes=True,
    ),
    Action(
        "reveal", "k,K", "Reveal", "Reveal a secret for 15 seconds (k), or copy it unseen (K); "
        "both journaled", writes=True, footer=False, parameters=("False", "True"),
    ),
    Action(
        "back_to_current", "escape", "Current step", "Stop browsing: back to the current step",
        when=lambda now: now.browsing is not None,
    ),
    # In the help screen and the palette; kept out of the footer so it fits.
    Action(
        "copy", "c", "Copy", "Copy the due message, the step's command, or the on-call number",
        palette="copy: due message, step command or on-call number", footer=False,
    ),
    Action("log", "l", "Log", "Show the journal log", palette="view: journal log", footer=False),
    Action(
        "abandon", "", "Abandon", "End the cutover without completing it or rolling back",
        palette="cutover: abandon without rollback", writes=True,
    ),
    Action(
        "adopt_card", "", "Take card", "Take the changed contact card file (journaled)",
        palette="contacts: take the changed contact card file (journaled)", writes=True,
        when=lambda now: now.card_offered,
    ),
)  # fmt: skip

#: The table by id.
BY_ID: Mapping[str, Action] = {action.id: action for action in ACTIONS}

#: The cockpit screen's bindings, derived from the table.
COCKPIT_BINDINGS: list[Binding] = [binding for action in ACTIONS for binding in action.bindings()]


class KeysInForce:
    """The key shown for each action, after the user's keymap: what hints must say.

    A panel that says "b raises a blocker" asks `keys["blocker"]`, so a remapped key is
    what it says.
    """

    def __init__(self, display: Callable[[Binding], str], keymap: Mapping[str, str]) -> None:
        self._shown: dict[str, str] = {}
        self._by_binding: dict[str, str] = {}
        for action in ACTIONS:
            for binding in action.bindings():
                remapped = keymap.get(binding.id or "")
                if remapped is None:
                    shown = display(binding)
                    if action.parameters:  # "1-9" is the group's; each key shows itself
                        shown = display(Binding(binding.key, binding.action))
                else:
                    shown = display(Binding(remapped.split(",")[0], binding.action))
                self._by_binding[binding.id or ""] = shown
            if action.keys:
                first = action.bindings()[0].id or ""
                grouped = action.parameters and not any(
                    binding.id in keymap for binding in action.bindings()
                )
                if grouped and action.key_display:
                    self._shown[action.id] = action.key_display
                else:
                    self._shown[action.id] = self._by_binding[first]

    def __getitem__(self, action_id: str) -> str:
        return self._shown.get(action_id, "")

    def binding(self, binding_id: str) -> str:
        """The key of one binding (`cockpit.criterion3`), after the keymap."""
        return self._by_binding.get(binding_id, "")

    def get(self, action_id: str, default: str = "") -> str:
        """The key of `action_id`, or `default` when it has none (palette only)."""
        return self._shown.get(action_id, default)


def _default_display(binding: Binding) -> str:
    """How Textual shows a key, without an app (the keys of a view built in a test)."""
    from textual.keys import format_key

    return binding.key_display or format_key(binding.key.split(",")[0])


#: The default keys, for views built without an app.
DEFAULT_KEYS = KeysInForce(_default_display, {})
