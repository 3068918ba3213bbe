"""Every action of the cockpit screen, in one table: key, label, palette text, writes, when.

The bindings, the footer (drawn from the bindings), the availability check, the
command palette, the help screen and the key hints inside the panels are all derived from
`ACTIONS`. Adding an action is one `Action(...)` here plus its `action_<id>` method on the
screen; a test walks the table and fails on an action without a method, or a method
without an entry.

Keys can be remapped by action id from a keymap file (`cockpit.tui.keymap`); a binding's id
is `cockpit.<action id>` (the number keys: `cockpit.tick1` … `cockpit.tick9`, `cockpit.tick10`
on 0).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from textual.binding import Binding

if TYPE_CHECKING:
    from cockpit.core.checklists import ChecklistRef
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
    #: The list the step panel shows, whose items the number keys tick.
    checklist: ChecklistRef | None = None
    #: The focus is on the timeline, where the arrows browse (escape brings it back).
    focus_home: bool = True

    # The state walks every step to answer these, and the footer asks each action in
    # turn: asked once per moment (a millisecond per key on a 1,000-step runbook).

    @cached_property
    def current_step(self) -> str | None:
        return self.state.current_step

    @cached_property
    def running_step(self) -> str | None:
        return self.state.running_step

    @cached_property
    def open_checkpoint(self) -> str | None:
        return self.state.open_checkpoint


def _always(now: Moment) -> bool:
    return True


def _stepping(now: Moment) -> bool:
    return not now.state.rolling_back


def _gate_open(now: Moment) -> bool:
    return now.open_checkpoint is not None


def _blocker_open(now: Moment) -> bool:
    return now.state.open_blocker is not None


def _step_in_view(now: Moment) -> str | None:
    """The step the panel shows: the browsed one, else the current one."""
    return now.browsing or now.current_step


def _finished_step(now: Moment) -> bool:
    return any(
        step.status in ("completed", "skipped", "failed") for step in now.state.steps.values()
    )


def _undoing(now: Moment) -> bool:
    rollback = now.state.rollback
    return rollback is not None and rollback.completed_at is None and bool(rollback.remaining)


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
    #: One binding per parameter (the number keys: `tick(0)` … `tick(9)` on 1…9 and 0).
    parameters: tuple[str, ...] = ()
    #: Kept in the footer at 80 columns too (the others: the help, the palette).
    narrow: bool = True

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
        if self.writes and state.started and state.ended and self.id not in AFTER_THE_END:
            return False
        if not state.started:
            return True
        return self.when(now)


#: What can still be written once the cutover has ended: notes and their corrections, the
#: messages that go out at the end, and ticks of the lists that outlive the night.
AFTER_THE_END = frozenset({"note", "withdraw_note", "message_sent", "tick"})

ACTIONS: tuple[Action, ...] = (
    Action(
        "help", "question_mark", "Help", "Every key and the 30-minute rule",
        palette="view: help and keys", key_display="?", narrow=False,
    ),
    # One key, three meanings; the footer shows the one that applies now.
    Action(
        "advance", "space", "Start",
        "Start the step on screen (it names the step it started)",
        palette="step: start the step on screen", writes=True,
        when=lambda now: _stepping(now)
        and (step := _step_in_view(now)) is not None
        and now.state.steps[step].status != "running",
    ),
    Action(
        "complete", "space", "Complete",
        "Complete the running step (asks first when verify items are unticked)",
        palette="step: complete the running step", writes=True,
        when=lambda now: _stepping(now)
        and (step := _step_in_view(now)) is not None
        and now.state.steps[step].status == "running",
    ),
    Action(
        "advance_rollback", "space", "Undo next", "Mark the next undo of the rollback done",
        palette="rollback: mark the next undo done", writes=True,
        when=lambda now: now.state.rolling_back,
    ),
    Action(
        "advance_finish", "space", "Declare complete", "No step is left: declare it complete",
        palette="cutover: declare complete", writes=True,
        when=lambda now: _stepping(now) and _step_in_view(now) is None,
    ),
    Action(
        "skip", "s", "Skip", "Skip the step on screen (asks why)",
        palette="step: skip the step on screen", writes=True, narrow=False,
        when=lambda now: _stepping(now)
        and now.state.runbook is not None
        and (step := _step_in_view(now)) not in (None, now.state.runbook.ponr_step)
        and not now.state.steps[step].done,
    ),
    Action(
        "fail", "x", "Fail", "Mark the running step failed (asks what went wrong)",
        palette="step: mark the running step failed", writes=True,
        when=lambda now: _stepping(now) and now.running_step is not None,
    ),
    Action(
        "skip_undo", "s", "Skip undo", "Skip the next undo of the rollback (asks why)",
        palette="rollback: skip the next undo", writes=True, when=_undoing,
    ),
    Action(
        "fail_undo", "x", "Undo failed", "The next undo did not work (asks what went wrong)",
        palette="rollback: the next undo failed", writes=True, when=_undoing,
    ),
    Action(
        "tick", ",".join([*(str(n) for n in range(1, 10)), "0"]), "Tick",
        "Tick item N of the list on screen (0 is the 10th; on a ticked item: untick, asks "
        "why); at an open checkpoint, toggle criterion N",
        writes=True, key_display="1-9",
        when=lambda now: _gate_open(now) or now.checklist is not None,
        parameters=tuple(str(index) for index in range(10)),
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
        "escalate", "e", "Call", "Log the call about the blocker: who, and what was agreed",
        palette="blocker: log the escalation call (who, what was agreed)", writes=True,
        when=_blocker_open,
    ),
    Action(
        "call", "", "Call", "Log a call to any contact, and what was agreed",
        palette="call: log a call to a contact (what was agreed)", writes=True,
        when=lambda now: not _blocker_open(now),
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
    # Corrections: new events with a reason; the journal is never rewritten.
    Action(
        "reopen", "", "Reopen", "Reopen a step completed, skipped or failed by mistake (asks why)",
        palette="step: reopen a step finished by mistake (correction)", writes=True,
        when=lambda now: _stepping(now) and _finished_step(now),
    ),
    Action(
        "withdraw_note", "", "Withdraw note", "Withdraw a note written by mistake (asks why)",
        palette="note: withdraw a note written by mistake (correction)", writes=True,
        when=lambda now: any(note.withdrawn is None for note in now.state.notes),
    ),
    Action(
        "message_sent", "m", "Sent", "Mark the first due message as sent",
        palette="message: mark the due message sent", writes=True,
        when=lambda now: now.message_due,
    ),
    Action(
        "messages", "M", "Messages", "Show the due messages, whole, to send them",
        palette="message: show the due messages (their full texts)", footer=False,
        key_display="M", when=lambda now: now.message_due,
    ),
    Action(
        "share", "f2", "Share", "Share mode: mask secrets, high-contrast theme, SHARING badge",
        writes=True, narrow=False,
    ),
    Action(
        "reveal", "k,K", "Reveal", "Reveal a secret for 15 seconds (k), or copy it unseen (K); "
        "both journaled", writes=True, footer=False, parameters=("False", "True"),
    ),
    Action(
        "back_to_current", "escape", "Current step",
        "Back to the current step, the focus on the timeline (the arrows browse steps)",
        when=lambda now: now.browsing is not None or not now.focus_home,
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
