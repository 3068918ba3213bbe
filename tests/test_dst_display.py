"""Daylight saving on screen: a fall-back night's repeated hour is never hidden.

A window 01:00–03:00 in Chicago on the night the clocks go back lasts three hours; the
header says so by naming each end's zone, and a time inside the repeated hour carries its
zone so the first 01:30 and the second are told apart.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from textual.pilot import Pilot

from cockpit.core.clock import ManualClock
from cockpit.model.load import load_contact_card, load_runbook
from cockpit.model.runbook import Runbook
from cockpit.session import Session
from cockpit.text import clock_time
from cockpit.tui.app import CockpitApp
from cockpit.tui.widgets.header import window_text
from tests.tui_helpers import MINI, MINI_CARD, panel_text, run_pilot

CHICAGO = ZoneInfo("America/Chicago")


def test_clock_time_names_the_zone_only_in_the_repeated_hour() -> None:
    # 2026-11-01: 02:00 CDT becomes 01:00 CST in Chicago.
    shown = [
        clock_time(datetime(2026, 11, 1, hour, 30, tzinfo=UTC), CHICAGO) for hour in (5, 6, 7, 8)
    ]
    assert shown == ["00:30", "01:30 CDT", "01:30 CST", "02:30"]
    assert clock_time(datetime(2026, 7, 1, 6, 30, tzinfo=UTC), CHICAGO) == "01:30"


def test_window_text_names_both_zones_across_a_change() -> None:
    start = datetime(2026, 11, 1, 1, 0, tzinfo=CHICAGO)
    end = datetime(2026, 11, 1, 3, 0, tzinfo=CHICAGO)
    assert window_text(start, end) == "window 01:00 CDT–03:00 CST"
    assert window_text(start.replace(month=7), end.replace(month=7)) == "window 01:00–03:00 CDT"


def test_header_of_a_fall_back_night(tmp_path: Path) -> None:
    data = load_runbook(MINI).model_dump(mode="json")
    data["runbook"]["window_start"] = "2026-11-01T01:00:00"
    data["runbook"]["window_end"] = "2026-11-01T03:00:00"
    runbook = Runbook.model_validate(data)
    assert runbook.meta.window_end_utc - runbook.meta.window_start_utc == (
        datetime(2026, 11, 1, 9, 0, tzinfo=UTC) - datetime(2026, 11, 1, 6, 0, tzinfo=UTC)
    )
    clock = ManualClock(runbook.meta.window_start_utc)
    session = Session.open(
        tmp_path / "n.journal", runbook, load_contact_card(MINI_CARD), clock, operator="dana"
    )

    async def scenario(pilot: Pilot[Any]) -> None:
        header = panel_text(pilot.app, "#header")
        assert "window 01:00 CDT–03:00 CST" in header
        assert "now 01:00 CDT" in header

    try:
        run_pilot(CockpitApp(session), scenario)
    finally:
        session.close()
