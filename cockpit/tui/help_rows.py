"""The help screen's rows: the keys in force, grouped by what they are for, marked when
they do nothing now.

Everything comes from bindings, never from a list of keys written here: the cockpit's
actions from the action table (`cockpit.tui.actions`, after the user's keymap, through
`KeysInForce`), and the keys Textual gives the screen's widgets — the timeline's arrows,
a panel's scrolling, Tab between panels, the palette and quit — from the bindings of the
widget, the screen and the app, with the app's keymap applied. A remapped key shows as
remapped; a key nobody binds any more disappears from the help.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.binding import Binding, BindingsMap, BindingType

from cockpit.tui.actions import ACTIONS, Action, KeysInForce, Moment

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from cockpit.tui.screens.cockpit_screen import CockpitScreen

#: The groups, in the order the help shows them.
GROUPS = (
    "The step",
    "The checklist",
    "The gate",
    "Trouble",
    "Rollback",
    "Record",
    "View and move",
    "Replay",
)

#: Each action of the table, by what it is for (a test checks that none is missing).
GROUP_OF: Mapping[str, str] = {
    "advance": "The step",
    "advance_finish": "The step",
    "complete": "The step",
    "skip": "The step",
    "fail": "The step",
    "reopen": "The step",
    "tick": "The checklist",
    "go": "The gate",
    "no_go": "The gate",
    "hold": "The gate",
    "blocker": "Trouble",
    "escalate": "Trouble",
    "call": "Trouble",
    "resolve": "Trouble",
    "rollback": "Rollback",
    "advance_rollback": "Rollback",
    "skip_undo": "Rollback",
    "fail_undo": "Rollback",
    "abandon": "Rollback",
    "note": "Record",
    "withdraw_note": "Record",
    "message_sent": "Record",
    "messages": "Record",
    "adopt_card": "Record",
    "copy": "Record",
    "help": "View and move",
    "back_to_current": "View and move",
    "log": "View and move",
    "share": "View and move",
    "reveal": "View and move",
}

#: What the number keys do, said once for all ten.
TICK_WHAT = "tick item N of the list on screen; at an open checkpoint, criterion N"


@dataclass(frozen=True)
class HelpRow:
    """One line of the help: keys, what they do, and whether they do it now."""

    group: str
    keys: str
    what: str
    #: It does something at this moment (the help dims and marks the others "not now").
    now: bool = True


@dataclass(frozen=True)
class WidgetKeys:
    """Keys Textual gives a widget that no action table lists, as the help tells them."""

    #: Where the bindings come from: "timeline", "panel" (the step panel), "screen", "app".
    source: str
    #: The binding actions that make this row, in the order their keys are shown.
    actions: tuple[str, ...]
    what: str


#: The keys of Textual's widgets a DE uses. The keys themselves are read from bindings.
WIDGET_KEYS: tuple[WidgetKeys, ...] = (
    WidgetKeys(
        "timeline",
        ("cursor_up", "cursor_down"),
        "browse the steps on the timeline (the step panel shows the one highlighted); "
        "in a focused panel, scroll it",
    ),
    WidgetKeys(
        "panel",
        ("page_up", "page_down"),
        "scroll the step panel a page (Tab to it first; on the timeline they page "
        "through the steps)",
    ),
    WidgetKeys(
        "screen",
        ("app.focus_next", "app.focus_previous"),
        "move the focus to the next / previous panel (its border says so)",
    ),
    WidgetKeys("app", ("command_palette",), "the command palette: every action, by name"),
    WidgetKeys("app", ("quit",), "quit: everything shown is already saved"),
)


def bindings_of(node_type: type[DOMNode]) -> list[Binding]:
    """The bindings a widget class declares, its bases' included (nearest first)."""
    found: list[Binding] = []
    for cls in node_type.__mro__:
        declared: Iterable[BindingType] = cls.__dict__.get("BINDINGS", ())
        found += Binding.make_bindings(declared)
    return found


def with_keymap(bindings: Sequence[Binding], keymap: Mapping[str, str]) -> list[Binding]:
    """`bindings` with the user's keymap applied (a binding with an id may be remapped)."""
    bindings_map = BindingsMap(bindings)
    if keymap:
        bindings_map.apply_keymap(keymap)
    return [binding for _key, binding in bindings_map]


def number_keys(keys: Sequence[str]) -> str:
    """The number keys as one label: runs of three or more digits in a row become a range
    ("1–9, 0"); a remapped key shows as itself ("1, f2, 3–9, 0")."""
    parts: list[str] = []
    run: list[str] = []

    def flush() -> None:
        if len(run) >= 3:
            parts.append(f"{run[0]}–{run[-1]}")
        else:
            parts.extend(run)
        run.clear()

    for key in keys:
        if run and key.isdigit() and run[-1].isdigit() and int(key) == int(run[-1]) + 1:
            run.append(key)
            continue
        flush()
        run.append(key)
    flush()
    return ", ".join(parts)


def help_rows(
    actions: Sequence[Action],
    keys: KeysInForce,
    moment: Moment,
    widget_bindings: Mapping[str, Sequence[Binding]],
    display: Callable[[Binding], str],
    screen_rows: Sequence[tuple[Binding, bool]] = (),
) -> list[HelpRow]:
    """Every key in force, grouped in `GROUPS` order, each marked whether it applies now.

    `widget_bindings` are the bindings (keymap applied) of the timeline, the step panel,
    the screen and the app; `screen_rows` the screen's own extra keys (the replay's) and
    whether each applies. Keys that write are left out when nothing can be written
    (following, replay): they never apply there.
    """
    rows: list[HelpRow] = []
    palette_key = _keys_for(widget_bindings.get("app", ()), ("command_palette",), display)
    for action in actions:
        if action.writes and not moment.live:
            continue
        group = GROUP_OF.get(action.id, "View and move")
        now = action.applies(moment)
        if action.parameters and action.id == "tick":
            each = [keys.binding(binding.id or "") for binding in action.bindings()]
            rows.append(HelpRow(group, number_keys(each), TICK_WHAT, now))
        elif keys[action.id]:
            rows.append(HelpRow(group, keys[action.id], action.tooltip, now))
        elif action.palette and palette_key:
            rows.append(HelpRow(group, palette_key, f"{action.tooltip}, from the palette", now))
    for entry in WIDGET_KEYS:
        shown = _keys_for(widget_bindings.get(entry.source, ()), entry.actions, display)
        if shown:
            rows.append(HelpRow("View and move", shown, entry.what))
    for binding, now in screen_rows:
        rows.append(
            HelpRow("Replay", display(binding), binding.tooltip or binding.description, now)
        )
    order = {group: index for index, group in enumerate(GROUPS)}
    return sorted(rows, key=lambda row: order.get(row.group, len(GROUPS)))


def _keys_for(
    bindings: Sequence[Binding], actions: Sequence[str], display: Callable[[Binding], str]
) -> str:
    """The keys bound to `actions`, in that order, as shown ("↑/↓", "tab/shift+tab")."""
    shown: list[str] = []
    for action in actions:
        for binding in bindings:
            if binding.action == action:
                for key in binding.key.split(","):
                    label = display(Binding(key.strip(), binding.action))
                    if label not in shown:
                        shown.append(label)
    return "/".join(shown)


def help_rows_for(screen: CockpitScreen) -> list[HelpRow]:
    """The help's rows for the cockpit screen as it is now: its keys in force and what
    applies at this moment (the screen's own `moment()` and `check_action`)."""
    from cockpit.tui.widgets.step_detail import StepDetail
    from cockpit.tui.widgets.timeline import Timeline

    app = screen.cockpit_app
    keymap = app.user_keymap
    app_bindings = bindings_of(type(app))
    if app.ENABLE_COMMAND_PALETTE:  # Textual binds it apart from `App.BINDINGS`
        app_bindings.append(Binding(app.COMMAND_PALETTE_BINDING, "command_palette"))
    widget_bindings = {
        "timeline": with_keymap(bindings_of(Timeline), keymap),
        "panel": with_keymap(bindings_of(StepDetail), keymap),
        "screen": with_keymap(bindings_of(type(screen)), keymap),
        "app": with_keymap(app_bindings, keymap),
    }
    screen_rows = [
        (binding, screen.check_action(binding.action.split("(")[0], ()) is True)
        for binding in screen.screen_bindings()
    ]
    return help_rows(
        ACTIONS, screen.keys, screen.moment(), widget_bindings, app.get_key_display, screen_rows
    )
