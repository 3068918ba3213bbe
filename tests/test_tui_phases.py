"""A step's phase on the screen: a dim heading in the timeline where the phase changes
(never a row the arrows stop on), and the phase in the step panel's title."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList

from cockpit.tui.screens.cockpit_screen import CockpitScreen
from cockpit.tui.widgets.step_detail import StepDetail
from tests.tui_helpers import Cockpits, run_pilot, timeline_rows

#: The bundled UCaaS runbook's phases, in order, with their first step.
UCAAS_PHASES = [
    ("Before the port", "preflight"),
    ("Port", "port-activation"),
    ("Verify", "inbound-tests"),
    ("Go live", "declare-live"),
]


def test_a_heading_stands_where_the_phase_changes(make: Cockpits) -> None:
    cockpit = make("ucaas")
    runbook = cockpit.runbook
    app = cockpit.app

    async def scenario(pilot: Pilot[Any]) -> None:
        timeline = app.screen.query_one("#timeline", OptionList)
        headings = [
            index
            for index in range(timeline.option_count)
            if (option := timeline.get_option_at_index(index)).id is not None
            and option.id.startswith("phase:")
        ]
        rows = timeline_rows(app)
        assert [rows[index] for index in headings] == [
            f"── {phase} ──" for phase, _ in UCAAS_PHASES
        ]
        for index, (_, first_step) in zip(headings, UCAAS_PHASES, strict=True):
            assert timeline.get_option_at_index(index).disabled
            # The heading is above the step and above the gate and PONR rows before it.
            after = [timeline.get_option_at_index(i).id for i in range(index + 1, index + 4)]
            assert first_step in after
            following = after[: after.index(first_step)]
            assert all(row_id == "ponr" or str(row_id).startswith("cp:") for row_id in following)
        # One heading per change, none between steps of one phase.
        changes = sum(
            1
            for before, step in zip([None, *runbook.steps], runbook.steps, strict=False)
            if step.phase is not None and (before is None or before.phase != step.phase)
        )
        assert len(headings) == changes == len(UCAAS_PHASES)
        title = str(app.screen.query_one(StepDetail).border_title)
        assert title == "Current step · preflight · Before the port"

    run_pilot(app, scenario)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
def test_the_arrows_browse_one_step_at_a_time_over_the_headings(
    make: Cockpits, size: tuple[int, int]
) -> None:
    cockpit = make("ucaas")
    steps = [step.id for step in cockpit.runbook.steps]
    phases = {step.id: step.phase for step in cockpit.runbook.steps}
    app = cockpit.app

    async def scenario(pilot: Pilot[Any]) -> None:
        screen = app.screen
        assert isinstance(screen, CockpitScreen)
        timeline = screen.query_one("#timeline", OptionList)
        detail = screen.query_one(StepDetail)
        seen = [steps[0]]
        for _ in steps[1:]:
            await pilot.press("down")
            await pilot.pause()
            highlighted = timeline.highlighted_option
            assert highlighted is not None and highlighted.id == screen.selected_step
            seen.append(str(screen.selected_step))
            assert str(detail.border_title) == (
                f"Browsing step · {screen.selected_step} · {phases[seen[-1]]}"
            )
            # The browsed row is on screen, even on a short one.
            index = timeline.highlighted
            assert index is not None
            top = timeline.scroll_offset.y
            assert top <= index < top + timeline.scrollable_content_region.height
        assert seen == steps
        back = []
        for _ in steps[1:]:
            await pilot.press("up")
            await pilot.pause()
            back.append(screen.selected_step or screen.state.current_step)
        assert back == list(reversed(steps[:-1]))
        assert screen.selected_step is None  # back on the current step: not browsing

    run_pilot(app, scenario, size=size)
