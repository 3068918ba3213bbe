"""On screen: a corrected contact card at resume, and a secret kept out of a note.

The core already notices a changed card and redacts a known secret's value
(`tests/test_journal_safety.py`); here the DE sees both: the notice and the header at
resume, the palette action that takes the new card after a confirmation, the new number
in the contacts and the escalation panel, and the "secret kept out" notification.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from cockpit.journal.store import read_events
from cockpit.tui.app import CockpitApp
from tests.journal_helpers import script_cutover
from tests.test_journal_safety import corrected_card, open_session
from tests.test_tui_keys import toasts
from tests.tui_helpers import panel_text, run_pilot


def test_a_changed_card_is_said_at_resume_and_taken_from_the_palette(tmp_path: Path) -> None:
    night = tmp_path / "x.journal"
    script_cutover(night, steps=2, finish=False)
    session = open_session(night, corrected_card(), card_path="cards/mini.toml")
    app = CockpitApp(session)

    async def scenario(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        assert "+1 555 0777" in toasts(app)
        assert "contact card file changed" in panel_text(app, "#header")
        assert "+1 555 0777" not in panel_text(app, "#contacts")  # the night's card still
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"take the changed")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert "+1 555 0777" in panel_text(app, ".dialog")  # what changes, before saying yes
        await pilot.press("y")
        await pilot.pause()
        assert "+1 555 0777" in panel_text(app, "#contacts")
        assert "+1 555 0777" in panel_text(app, "#escalation")
        assert "contact card file changed" not in panel_text(app, "#header")

    try:
        run_pilot(app, scenario)
    finally:
        session.close()
    assert [e.type for e in read_events(night)][-1] == "contact_card_adopted"


def test_a_note_holding_a_revealed_secret_says_it_was_kept_out(tmp_path: Path) -> None:
    night = tmp_path / "x.journal"
    script_cutover(night, steps=1, finish=False)
    session = open_session(night)
    session.remember_secret("carrier-pin", "884213")
    app = CockpitApp(session)

    async def scenario(pilot: Pilot[Any]) -> None:
        await pilot.press("a")
        await pilot.pause()
        app.screen.query_one(Input).value = "carrier asked for PIN 884213 twice"
        await pilot.press("enter")
        await pilot.pause()
        assert "[secret: carrier-pin]" in toasts(app)

    try:
        run_pilot(app, scenario)
    finally:
        session.close()
    notes = [e for e in read_events(night) if e.type == "note_added"]
    assert notes[-1].text == "carrier asked for PIN [secret: carrier-pin] twice"  # type: ignore[attr-defined]
    assert b"884213" not in night.read_bytes()
