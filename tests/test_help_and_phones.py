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


@pytest.fixture
def make(tmp_path: Path) -> Any:
    cockpits = Cockpits(tmp_path)
    yield cockpits
    cockpits.close()


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
