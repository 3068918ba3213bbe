"""Replay: the state at any moment equals the fold up to it; the keys move as specified."""

from __future__ import annotations

import asyncio
import hashlib
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cockpit import replay as replay_module
from cockpit.cli import main
from cockpit.core.escalation import escalation_view
from cockpit.core.evolve import fold
from cockpit.errors import CockpitError
from cockpit.journal.store import read_events
from cockpit.replay import Replay, parse_at
from cockpit.tui.app import CockpitApp
from cockpit.tui.screens.replay_screen import ReplayScreen
from cockpit.tui.widgets.gantt import GanttView
from cockpit.tui.widgets.scrubber import Scrubber
from cockpit.tui.widgets.timeline import Timeline

from .journal_helpers import script_cutover


@pytest.fixture
def journal(tmp_path: Path) -> Path:
    """A whole mini cutover with a blocker, a late escalation, a go and notes."""
    path = tmp_path / "night.journal"
    script_cutover(path)
    return path


def same_state(a, b) -> bool:  # type: ignore[no-untyped-def]
    """The parts of the state every panel draws."""
    return (
        a.steps == b.steps
        and a.checkpoints == b.checkpoints
        and a.blockers == b.blockers
        and a.rollback == b.rollback
        and a.notes == b.notes
        and a.last_seq == b.last_seq
        and a.outcome == b.outcome
    )


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(moves=st.lists(st.integers(min_value=0, max_value=60), min_size=1, max_size=25))
def test_state_at_any_event_is_the_fold_up_to_it(journal: Path, moves: list[int]) -> None:
    events = read_events(journal)
    # a small cache interval exercises jumps across cached states
    original = replay_module.CHECKPOINT_EVERY
    replay_module.CHECKPOINT_EVERY = 3
    try:
        replay = Replay(events, journal)
        for move in moves:
            index = move % len(events)
            replay.seek_index(index)
            assert same_state(replay.state, fold(events[: index + 1]))
            replay.step(1)  # the in-place fast path
            expected = min(index + 1, len(events) - 1)
            assert same_state(replay.state, fold(events[: expected + 1]))
    finally:
        replay_module.CHECKPOINT_EVERY = original


def test_time_moves_and_the_timer_reads_as_it_did(journal: Path) -> None:
    events = read_events(journal)
    replay = Replay(events, journal)
    raised = next(e for e in events if e.type == "blocker_raised")
    replay.seek_time(raised.at + timedelta(minutes=17, seconds=26))
    view = escalation_view(replay.state, replay.now)
    assert view.clock == "12:34"
    replay.shift(-5)
    assert escalation_view(replay.state, replay.now).clock == "17:34"
    replay.seek_time(replay.start - timedelta(days=1))
    # every event at the first moment is applied, none after it
    assert replay.now == replay.start
    assert all(e.at == replay.start for e in events[: replay.index + 1])
    assert events[replay.index + 1].at > replay.start
    replay.seek_time(replay.end + timedelta(days=1))
    assert replay.index == len(events) - 1 and replay.state.ended


def test_markers_and_search(journal: Path) -> None:
    replay = Replay(read_events(journal), journal)
    kinds = [m.kind for m in replay.markers]
    assert {"decision", "blocker", "escalation", "ponr", "note", "end"} <= set(kinds)
    first = replay.next_marker()
    assert first is not None and replay.events[replay.index].seq == first.seq
    assert replay.next_marker(forward=False) is None
    index = replay.search("two halves")
    assert index is not None and replay.events[index].type == "blocker_resolved"
    assert replay.search("no such words anywhere") is None


def test_parse_at(journal: Path) -> None:
    replay = Replay(read_events(journal), journal)
    moment = parse_at("02:30", replay)
    assert moment.strftime("%H:%M") == "02:30" and moment >= replay.start
    with pytest.raises(CockpitError, match="HH:MM"):
        parse_at("25:99", replay)


def test_an_empty_journal_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CockpitError, match="nothing to replay"):
        Replay([], tmp_path / "x.journal")


def replay_app(path: Path, **screen_kwargs) -> tuple[CockpitApp, Replay]:  # type: ignore[no-untyped-def]
    replay = Replay(read_events(path), path)
    screen = ReplayScreen(replay, **screen_kwargs)
    screen.monotonic = lambda: 0.0  # playback advances only when the test says so
    return CockpitApp(replay, screen=screen), replay


def test_replay_keys_move_and_nothing_is_written(journal: Path) -> None:
    asyncio.run(_keys_move(journal))


async def _keys_move(journal: Path) -> None:
    before = hashlib.sha256(journal.read_bytes()).hexdigest()
    app, replay = replay_app(journal)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("right", "right")
        assert replay.index == 2
        await pilot.press("left")
        assert replay.index == 1
        await pilot.press("end")
        assert replay.index == len(replay.events) - 1
        await pilot.press("home")
        assert replay.index == 0
        await pilot.press("right_square_bracket")
        assert replay.events[replay.index].seq == replay.markers[0].seq
        await pilot.press("shift+right")
        assert (
            replay.now - replay.markers[0].at >= timedelta(minutes=5)
            or replay.index == len(replay.events) - 1
        )
        await pilot.press("plus", "plus")
        assert app.screen.speed_index == 2  # type: ignore[attr-defined]
        await pilot.press("minus")
        assert app.screen.speed_index == 1  # type: ignore[attr-defined]
        await pilot.press("v")
        assert app.screen.query_one(GanttView).display
        assert not app.screen.query_one(Timeline).display
        await pilot.press("slash")
        await pilot.press(*"halves", "enter")
        assert replay.events[replay.index].type == "blocker_resolved"
        # writing keys do nothing in replay
        for key in ("a", "b", "R", "g", "m"):
            await pilot.press(key)
        assert isinstance(app.screen, ReplayScreen)
        await pilot.press("space")
        assert app.screen.playing  # type: ignore[attr-defined]
    assert hashlib.sha256(journal.read_bytes()).hexdigest() == before


def test_playback_advances_by_speed(journal: Path) -> None:
    asyncio.run(_playback(journal))


async def _playback(journal: Path) -> None:
    app, replay = replay_app(journal)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, ReplayScreen)
        clock = [0.0]
        screen.monotonic = lambda: clock[0]
        await pilot.press("plus", "plus")  # 60×
        await pilot.press("space")
        start = replay.now
        clock[0] += 10.0  # ten real seconds at 60× = ten replayed minutes
        screen._play_tick()
        assert replay.now - start == timedelta(minutes=10)
        assert "playing" in str(screen.query_one(Scrubber).content)


def test_replay_cli_refuses_a_non_journal(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    bogus = tmp_path / "notes.txt"
    bogus.write_text("not a journal")
    assert main(["replay", str(bogus)]) == 2
    err = capsys.readouterr().err
    assert "notes.txt" in err and "Traceback" not in err


# ---- snapshots -------------------------------------------------------------------------


def _snapshot_app(path: Path, *, marker_jumps: int = 0, gantt: bool = False, playing: bool = False):  # type: ignore[no-untyped-def]
    app, replay = replay_app(path)
    for _ in range(marker_jumps):
        replay.next_marker()
    screen = app.first_screen
    assert isinstance(screen, ReplayScreen)

    async def before(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.pause()  # the first screen composes in its own task
        if gantt:
            await pilot.press("v")
        if playing:
            await pilot.press("plus", "space")
        screen.status = ""
        screen.refresh_view()
        # let the footer redraw its keys after the bindings changed
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        await pilot.pause(0.2)

    return app, before


@pytest.fixture
def fixed_journal(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The scripted night in a folder with a fixed file name (shown in the header)."""
    folder = tmp_path_factory.mktemp("replay")
    path = folder / "night.journal"
    script_cutover(path)
    return path


def test_snapshot_replay_at_a_marker(snap_compare, fixed_journal: Path) -> None:  # type: ignore[no-untyped-def]
    app, before = _snapshot_app(fixed_journal, marker_jumps=2)
    assert snap_compare(app, terminal_size=(120, 40), run_before=before)


def test_snapshot_replay_gantt(snap_compare, fixed_journal: Path) -> None:  # type: ignore[no-untyped-def]
    app, before = _snapshot_app(fixed_journal, marker_jumps=100, gantt=True)
    assert snap_compare(app, terminal_size=(120, 40), run_before=before)


def test_snapshot_replay_mid_playback(snap_compare, fixed_journal: Path) -> None:  # type: ignore[no-untyped-def]
    app, before = _snapshot_app(fixed_journal, marker_jumps=4, playing=True)
    assert snap_compare(app, terminal_size=(120, 40), run_before=before)
