"""The garbage collector around a start-up: paused while a command runs, running again
once the cockpit's first frame is up, with what the start-up made set aside."""

from __future__ import annotations

import argparse
import gc
from collections.abc import Iterator
from typing import Any

import pytest
from textual.pilot import Pilot

from cockpit.cli import main as cockpit_main
from tests.e2e_helpers import REPO
from tests.tui_helpers import Cockpits, run_pilot


@pytest.fixture
def collector_restored() -> Iterator[None]:
    """Whatever a test does to the collector, the next test finds it running."""
    yield
    gc.enable()


def test_a_command_runs_with_the_collector_paused(
    monkeypatch: pytest.MonkeyPatch, collector_restored: None
) -> None:
    import cockpit.cli.check as check

    seen: list[bool] = []
    real_run = check.run

    def run(args: argparse.Namespace) -> int:
        seen.append(gc.isenabled())
        return int(real_run(args) or 0)

    monkeypatch.setattr(check, "run", run)
    assert gc.isenabled()
    assert cockpit_main(["check", str(REPO / "runbooks" / "ucaas-port-smb.toml")]) == 0
    assert seen == [False]
    assert gc.isenabled()  # running again once the command is done


def test_the_cockpit_lets_the_collector_run_once_its_first_frame_is_up(
    make: Cockpits, collector_restored: None
) -> None:
    app = make("ucaas").app
    before: list[bool] = []
    after: list[tuple[bool, int]] = []

    async def scenario(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        after.append((gc.isenabled(), gc.get_freeze_count()))

    gc.unfreeze()  # what earlier tests set aside does not count here
    gc.disable()  # as `cockpit run` starts it
    before.append(gc.isenabled())
    run_pilot(app, scenario)
    assert before == [False]
    running, frozen = after[0]
    assert running
    assert frozen > 10_000  # the start-up's objects: modules, models, the night, widgets
