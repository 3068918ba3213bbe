"""The help says what is true now, and a phone number reads the same everywhere.

The help is built from the bindings in force (the action table after the user's keymap,
and the keys Textual gives the timeline, the step panel, the screen and the app): the
number keys are one row, the arrows, PageUp/PageDown, Tab and escape are there, a
remapped key shows as remapped, and what does nothing now is marked "not now".

A phone number is shown as the contact card writes it — in the contacts pane, the
escalation pane, the palette and the paper copy — and never wrapped in the middle.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from cockpit.tui.actions import ACTIONS
from cockpit.tui.help_rows import GROUP_OF, GROUPS, HelpRow, number_keys
from cockpit.tui.keymap import KEYMAP_FILE
from cockpit.tui.screens.help import NOT_NOW, HelpScreen
from tests.tui_helpers import Cockpits, mid_cutover, panel_text, run_pilot


def help_of(app: Any, size: tuple[int, int] = (80, 24)) -> tuple[list[HelpRow], str]:
    """Open the help on `app`: its rows and its text as shown."""
    found: dict[str, Any] = {}

    async def scenario(pilot: Pilot[Any]) -> None:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        found["rows"] = app.screen.rows
        found["text"] = panel_text(app, ".help")

    run_pilot(app, scenario, size=size)
    return found["rows"], found["text"]


def test_every_action_has_its_group_in_the_help() -> None:
    assert {action.id for action in ACTIONS} <= set(GROUP_OF)
    assert set(GROUP_OF.values()) <= set(GROUPS)


def test_the_number_keys_are_one_row_and_a_remapped_digit_shows_as_itself() -> None:
    assert number_keys([*"123456789", "0"]) == "1–9, 0"
    assert number_keys(["1", "2", "f3", *"456789", "0"]) == "1, 2, f3, 4–9, 0"


def test_the_help_lists_what_the_widgets_give_and_marks_what_does_not_apply(
    make: Cockpits,
) -> None:
    app = mid_cutover(make("ucaas")).app  # go/no-go #1 open, no blocker, nothing rolling back
    rows, text = help_of(app)
    ticks = [row for row in rows if "tick item N" in row.what]
    assert len(ticks) == 1 and ticks[0].keys == "1–9, 0" and ticks[0].now
    assert not any("criterion 1" in row.what and row is not ticks[0] for row in rows)
    keys = {row.keys: row for row in rows}
    assert "↑/↓" in keys and "browse the steps" in keys["↑/↓"].what
    assert "pgup/pgdn" in keys and "step panel" in keys["pgup/pgdn"].what
    assert "tab/shift+tab" in keys and "panel" in keys["tab/shift+tab"].what
    assert "^p" in keys and "^q" in keys
    escape = next(row for row in rows if row.keys == "esc")
    assert escape.group == "View and move" and not escape.now  # already home
    # Grouped in order, and what does nothing now is dimmed and said, not hidden.
    order = [GROUPS.index(row.group) for row in rows]
    assert order == sorted(order)
    by_what = {row.what: row for row in rows}
    go = next(row for row in rows if row.keys == "g")
    assert go.group == "The gate" and go.now
    resolve = next(row for row in rows if row.what.startswith("Resolve the open blocker"))
    assert not resolve.now and resolve.group == "Trouble"
    assert by_what and f"({NOT_NOW})" in text
    assert "Trouble" in text and "The checklist" in text and "1–9, 0" in text


def test_the_help_shows_a_remapped_key(make: Cockpits) -> None:
    config = Path(os.environ["COCKPIT_CONFIG_DIR"])
    (config / KEYMAP_FILE).write_text(
        '[keys]\nblocker = "z"\ntick3 = "f3"\nback_to_current = "ctrl+h"\n', encoding="utf-8"
    )
    app = mid_cutover(make("ucaas")).app
    rows, _text = help_of(app, size=(120, 40))
    blocker = next(row for row in rows if row.what.startswith("Raise a blocker"))
    assert blocker.keys == "z"
    assert any(row.keys == "1, 2, f3, 4–9, 0" for row in rows)
    assert any(row.keys == "^h" for row in rows) and not any(row.keys == "esc" for row in rows)


def test_following_leaves_out_the_keys_that_write(make: Cockpits) -> None:
    from cockpit.tui.app import CockpitApp
    from tests.tui_helpers import follower_for

    cockpit = mid_cutover(make("ucaas"))
    follower = follower_for(cockpit)
    try:
        rows, _text = help_of(CockpitApp(follower))
    finally:
        follower.close()
    assert not any(row.what.startswith("Raise a blocker") for row in rows)
    assert any(row.keys == "↑/↓" for row in rows)


# ---- one phone format -------------------------------------------------------------------

ON_CALL = "+1 312 555 0199"  # the on-call senior's number, as the card writes it
BRIDGE = "+1 312 555 0160 x4471"


def shown_lines(app: Any, selector: str) -> list[str]:
    """The lines a widget of the active screen draws, as wrapped on screen."""
    from textual.geometry import Region

    widget = app.screen.query_one(selector)
    width, height = widget.size
    return [strip.text.rstrip() for strip in widget.render_lines(Region(0, 0, width, height))]


def palette_text(app: Any) -> str:
    import io

    from rich.console import Console
    from textual.widgets import OptionList

    results = app.screen.query_one(OptionList)
    console = Console(file=io.StringIO(), width=200, record=True)
    for index in range(results.option_count):
        console.print(results.get_option_at_index(index).prompt)
    return console.export_text()


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_a_number_reads_as_the_card_writes_it_everywhere_and_never_wraps(
    make: Cockpits, size: tuple[int, int]
) -> None:
    from cockpit.model.load import load_contact_card, load_runbook
    from cockpit.report.paper import Format, render_paper
    from tests.tui_helpers import UCAAS, UCAAS_CARD, escalation_overdue

    app = escalation_overdue(make("ucaas")).app
    seen: dict[str, Any] = {}

    async def scenario(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        seen["contacts"] = shown_lines(app, "#contacts-body")
        seen["escalation"] = shown_lines(app, "#esc-head") + shown_lines(app, "#esc-body")
        await pilot.press("ctrl+p")
        await pilot.press(*"copy: Priya")
        await pilot.pause()
        seen["palette"] = palette_text(app)
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await pilot.press(*"copy: Midwest bridge")
        await pilot.pause()
        seen["palette"] += palette_text(app)

    run_pilot(app, scenario, size=size)
    contacts, escalation = seen["contacts"], seen["escalation"]
    # Whole, on one line of the pane (or cut at the end with an ellipsis: never wrapped).
    assert any(ON_CALL in line for line in contacts), contacts
    assert any(BRIDGE in line or line.strip().startswith("+1 312 555 0160") for line in contacts)
    assert any(ON_CALL in line for line in escalation), escalation
    assert not any("555-0" in line for line in [*contacts, *escalation])
    assert ON_CALL in seen["palette"] and BRIDGE in seen["palette"]
    runbook, card = load_runbook(UCAAS), load_contact_card(UCAAS_CARD)
    formats: tuple[Format, ...] = ("txt", "md", "html")
    for fmt in formats:
        paper = render_paper(runbook, card, fmt)
        assert ON_CALL in paper and BRIDGE in paper, fmt


def test_a_number_too_wide_for_its_line_goes_on_its_own_line_and_is_cut_at_the_end() -> None:
    from cockpit.phones import phone_text
    from cockpit.tui.widgets.contacts import phone_lines

    assert phone_lines("   bridge: ", BRIDGE, 0) == (f"   bridge: {BRIDGE}",)
    assert phone_lines("   bridge: ", BRIDGE, 40) == (f"   bridge: {BRIDGE}",)
    assert phone_lines("   bridge: ", BRIDGE, 26) == ("   bridge:", f"     {BRIDGE}")
    assert phone_lines("   bridge: ", BRIDGE, 21) == ("   bridge:", BRIDGE)
    assert phone_lines("   bridge: ", BRIDGE, 12) == ("   bridge:", "+1 312 555 …")
    assert phone_text(BRIDGE) == BRIDGE and phone_text(BRIDGE, 10) == "+1 312 55…"
