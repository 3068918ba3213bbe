"""The garbage collector around a start-up: paused while a command runs; once the
cockpit's first frame is up, what the start-up made is set aside and the collector runs
between keys, on the cockpit's timer."""

from __future__ import annotations

import argparse
import gc
from collections.abc import Iterator
from typing import Any

import pytest
from textual.pilot import Pilot

from cockpit.cli import main as cockpit_main
from cockpit.collector import COLLECT_EVERY, FULL_EVERY, BetweenKeys
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


def test_the_cockpit_collects_between_keys_once_its_first_frame_is_up(
    make: Cockpits, collector_restored: None
) -> None:
    """After the first frame the start-up is frozen and the collector no longer runs by
    itself (inside a key's frame): the cockpit's timer runs it, and once the cockpit has
    closed it runs by itself again."""
    app = make("ucaas").app
    before: list[bool] = []
    after: list[tuple[bool, int]] = []
    passes: list[int] = []

    def seen(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            passes.append(info["generation"])

    async def scenario(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        after.append((gc.isenabled(), gc.get_freeze_count()))
        gc.callbacks.append(seen)
        try:
            await pilot.pause(COLLECT_EVERY * 1.5)  # the timer's first pass
        finally:
            gc.callbacks.remove(seen)

    gc.unfreeze()  # what earlier tests set aside does not count here
    gc.disable()  # as `cockpit run` starts it
    before.append(gc.isenabled())
    run_pilot(app, scenario)
    assert before == [False]
    running, frozen = after[0]
    assert not running  # not by itself: between keys
    assert frozen > 10_000  # the start-up's objects: modules, models, the night, widgets
    assert 1 in passes  # the timer's pass over the young and middle generations
    assert gc.isenabled()  # the cockpit closed: the collector runs by itself again


def test_every_generation_is_collected_now_and_then(collector_restored: None) -> None:
    """Garbage that outlived the young passes is freed too: a long night does not grow."""
    passes: list[int] = []

    def seen(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            passes.append(info["generation"])

    collector = BetweenKeys()
    gc.callbacks.append(seen)
    try:
        for _ in range(FULL_EVERY * 2):
            collector.collect()
    finally:
        gc.callbacks.remove(seen)
    assert passes.count(2) == 2
    assert passes.count(1) == FULL_EVERY * 2 - 2
