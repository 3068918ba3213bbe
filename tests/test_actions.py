"""The action table: one entry per action, and a keymap file that remaps keys by id.

Every `action_*` of the cockpit screen is in `ACTIONS` and every entry has its method; the
bindings, the footer, the palette, the help and the hints in panels all follow the table,
and a `keymap.toml` in the user's config folder remaps an action's key everywhere at once.
"""

from __future__ import annotations

import inspect
import io
import os
from pathlib import Path
from typing import Any

from rich.console import Console
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import OptionList

from cockpit.tui.actions import ACTIONS, BY_ID, COCKPIT_BINDINGS
from cockpit.tui.keymap import KEYMAP_FILE, load_keymap
from cockpit.tui.screens.cockpit_screen import CockpitScreen
from cockpit.tui.screens.help import HelpScreen
from cockpit.tui.screens.modals import AskText
from cockpit.tui.widgets.footer import CockpitFooter
from tests.tui_helpers import Cockpits, panel_text, run_pilot


def config_dir() -> Path:
    return Path(os.environ["COCKPIT_CONFIG_DIR"])


def test_every_action_has_its_entry_and_every_entry_its_method() -> None:
    methods = {
        name.removeprefix("action_")
        for name, _ in inspect.getmembers(CockpitScreen, inspect.isfunction)
        if name.startswith("action_") and not hasattr(Screen, name)
    }
    assert methods == set(BY_ID), methods ^ set(BY_ID)
    assert len(BY_ID) == len(ACTIONS)


def test_every_binding_has_an_id_a_label_and_a_tooltip() -> None:
    ids = [binding.id for binding in COCKPIT_BINDINGS]
    assert len(ids) == len(set(ids)) and all(ids)
    assert all(binding.description and binding.tooltip for binding in COCKPIT_BINDINGS)


def test_a_keymap_remaps_the_key_everywhere(make: Cockpits) -> None:
    (config_dir() / KEYMAP_FILE).write_text('[keys]\nblocker = "z"\n', encoding="utf-8")
    cockpit = make("ucaas")
    app = cockpit.app

    async def scenario(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        assert "z raises a blocker" in panel_text(app, "#escalation")
        keys = [key.label for key in app.screen.query_one(CockpitFooter).shown]
        assert "z Blocker" in keys, keys
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, CockpitScreen)  # b no longer raises a blocker
        await pilot.press("z")
        await pilot.pause()
        assert isinstance(app.screen, AskText)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        shown = panel_text(app, ".help")
        assert "z" in shown and "Raise a blocker" in shown
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"blocker: raise")
        await pilot.pause()
        results = app.screen.query_one(OptionList)
        prompts = [results.get_option_at_index(i).prompt for i in range(results.option_count)]
        console = Console(file=io.StringIO(), width=120, record=True)
        for prompt in prompts:
            console.print(prompt)
        assert "key z" in console.export_text()

    run_pilot(app, scenario)


def test_a_bad_keymap_is_a_notice_and_the_good_entries_apply() -> None:
    (config_dir() / KEYMAP_FILE).write_text(
        '[keys]\nblockr = "z"\nnote = "ctrl+ü!"\nskip = "g"\nlog = "L"\n', encoding="utf-8"
    )
    applied, notices = load_keymap()
    assert applied == {"cockpit.log": "L"}
    said = "\n".join(notices)
    assert "no action 'blockr'" in said
    assert "not a key name" in said
    assert "g is already the key of 'go'" in said


def test_a_broken_keymap_file_is_located_and_the_defaults_stay() -> None:
    (config_dir() / KEYMAP_FILE).write_text("[keys\nblocker = 'z'\n", encoding="utf-8")
    applied, notices = load_keymap()
    assert applied == {}
    assert KEYMAP_FILE in notices[0] and "Using the default keys" in notices[0]


def test_a_click_on_a_footer_key_presses_it(make: Cockpits) -> None:
    app = make("ucaas").app

    async def scenario(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        footer = app.screen.query_one(CockpitFooter)
        [blocker] = [key for key in footer.placed if key.spec.action == "blocker"]
        await pilot.click(CockpitFooter, offset=(blocker.start + 1, 0))
        await pilot.pause()
        assert isinstance(app.screen, AskText)  # "What is blocking?"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.click(CockpitFooter, offset=(blocker.end, 0))  # the gap after it
        await pilot.pause()
        assert isinstance(app.screen, CockpitScreen)

    run_pilot(app, scenario)
