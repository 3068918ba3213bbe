"""A 1,000-step runbook: the timeline shows every step as the journal has it.

The timeline redraws only the rows whose inputs changed, so these tests drive a long
night — keys, many events between two frames, the clock moving, browsing, a far jump
that scrolls the list, a rollback — and after each move check every row against the
state, against a timeline drawn from scratch, and that the highlighted row is on screen.
"""

from __future__ import annotations

import itertools
import tomllib
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from textual.pilot import Pilot

from cockpit.core import commands as cmd
from cockpit.core import comms, schedule
from cockpit.core.clock import ManualClock
from cockpit.core.rollback import rollback_checklist
from cockpit.core.state import STATUS_GLYPHS, STATUS_WORDS, CutoverState
from cockpit.model.load import load_contact_card, load_runbook
from cockpit.session import Session
from cockpit.tui.app import CockpitApp
from cockpit.tui.screens.cockpit_screen import CockpitScreen
from cockpit.tui.widgets.step_detail import StepDetail
from cockpit.tui.widgets.timeline import Timeline
from tests.checklist_helpers import tick_all, ticks
from tests.tui_helpers import OPERATOR, SIZE, UCAAS, UCAAS_CARD, Cockpit, run_pilot

STEPS = 1000


def write_big_runbook(folder: Path, steps: int = STEPS) -> Path:
    """The UCaaS runbook grown to `steps` steps: its 13, then numbered two-minute copies.

    The gates and the point of no return stay on the original steps.
    """
    doc = tomllib.loads(UCAAS.read_text(encoding="utf-8"))
    originals = doc["steps"]
    grown = list(originals)
    copy = 1
    while len(grown) < steps:
        for step in originals:
            if len(grown) == steps:
                break
            twin = dict(step, id=f"{step['id']}-{copy}", title=f"{step['title']} ({copy + 1})")
            twin["minutes"] = 2
            if "depends_on" in step:
                twin["depends_on"] = [f"{dep}-{copy}" for dep in step["depends_on"]]
            grown.append(twin)
        copy += 1
    doc["steps"] = grown
    doc["runbook"]["contact_card"] = str(UCAAS_CARD)
    doc["runbook"]["window_end"] = doc["runbook"]["window_start"] + timedelta(hours=47)
    path = folder / f"runbook-{steps}.toml"
    path.write_text(tomli_w.dumps(doc), encoding="utf-8")
    return path


@pytest.fixture
def big(tmp_path: Path) -> Iterator[Cockpit]:
    """A live cutover on the 1,000-step runbook, the clock frozen at its window start."""
    runbook = load_runbook(write_big_runbook(tmp_path))
    assert len(runbook.steps) == STEPS
    clock = ManualClock(runbook.meta.window_start_utc)
    session = Session.open(
        tmp_path / "big.journal",
        runbook,
        load_contact_card(UCAAS_CARD),
        clock,
        mode="live",
        operator=OPERATOR,
    )
    tick_all(session.execute, session.state, "pre_window")  # signed before the window
    cockpit = Cockpit(session, clock, runbook, tmp_path / "big.journal")
    yield cockpit
    cockpit.close()


def next_move(state: CutoverState) -> cmd.Command:
    """What the engineer does next: pass the open gate, else start or complete the step."""
    assert state.runbook is not None
    gate = state.open_checkpoint
    if gate is not None:
        marks = state.checkpoints[gate].marks
        for index, mark in enumerate(marks):
            if mark is not True:
                return cmd.MarkCriterion(checkpoint_id=gate, index=index, met=True)
        return cmd.DecideCheckpoint(checkpoint_id=gate, decision="go", by=OPERATOR)
    current = state.current_step
    assert current is not None
    if state.steps[current].status == "running":
        return cmd.CompleteStep(step_id=current)
    return cmd.StartStep(step_id=current, confirm_ponr=current == state.runbook.ponr_step)


async def tick_by_keys(pilot: Pilot[Any], cockpit: Cockpit) -> None:
    """The number keys for every unticked verify item of the running step."""
    state = cockpit.session.state
    running = state.running_step
    if running is None:
        return
    for command in ticks(state, "step", running):
        assert isinstance(command, cmd.TickItem)
        await pilot.press(str((command.index + 1) % 10))
    await pilot.pause()


def drive(cockpit: Cockpit, moves: int, minutes: float = 1) -> None:
    """`moves` moves of the night through the session, `minutes` apart."""
    for _ in range(moves):
        move = next_move(cockpit.session.state)
        if isinstance(move, cmd.CompleteStep):  # the DE ticks what they saw first
            tick_all(cockpit.do, cockpit.session.state, "step", move.step_id)
        cockpit.do(move)
        cockpit.advance(minutes=minutes)


def screen_of(app: CockpitApp) -> CockpitScreen:
    """The cockpit screen (the active one in these tests)."""
    screen = app.screen
    assert isinstance(screen, CockpitScreen)
    return screen


def check_timeline(app: CockpitApp) -> None:
    """Every row is what the state says, the same as drawn from scratch, and the
    highlighted row — the browsed step, else the current one — is on screen."""
    screen = screen_of(app)
    state = screen.state
    assert state.runbook is not None
    timeline = screen.query_one(Timeline)
    shown = [(option.id, str(option.prompt)) for option in timeline.options]

    # A timeline that never drew anything before draws every row from the view.
    fresh = Timeline()
    fresh.show(screen.make_view())
    assert shown == [(option.id, str(option.prompt)) for option in fresh.options]

    rows = dict(shown)
    if state.rollback is None:
        current = state.current_step
        for step in state.runbook.steps:
            status = state.steps[step.id].status
            marker = "»" if step.id == current else " "
            expected = f"{marker}{STATUS_GLYPHS[status]} {STATUS_WORDS[status]:<7} {step.title}"
            assert rows[step.id].startswith(expected), (step.id, rows[step.id])
        wanted = screen.selected_step or current
    else:
        done = set(state.rollback.done)
        remaining = [step_id for step_id in state.rollback.steps if step_id not in done]
        for step_id in state.rollback.steps:
            marker = "»" if remaining and step_id == remaining[0] else " "
            word = "✔ undone " if step_id in done else "○ to undo"
            assert rows[f"rb:{step_id}"].startswith(f"{marker}{word}"), rows[f"rb:{step_id}"]
        wanted = f"rb:{remaining[0]}" if remaining else None

    highlighted = timeline.highlighted_option
    assert highlighted is not None and highlighted.id == wanted
    # Every row is one line, so the highlighted option's index is its line.
    top = timeline.scroll_offset.y
    index = timeline.highlighted
    assert index is not None
    assert top <= index < top + timeline.scrollable_content_region.height
    on_screen = timeline.render_line(index - top).text
    assert rows[wanted][1:30].strip() in on_screen


def test_the_timeline_follows_a_long_night_on_1000_steps(big: Cockpit) -> None:
    drive(big, 100)  # past the three gates and the point of no return: the list scrolls

    async def scenario(pilot: Pilot[Any]) -> None:
        app = big.app
        screen = screen_of(app)
        timeline = screen.query_one(Timeline)
        check_timeline(app)
        assert timeline.scroll_offset.y > 0

        # Keys: each space starts or completes the current step (its items ticked first).
        # The presses come faster than a DE's: time moves 10 s a look, no double tap.
        moments = itertools.count(step=10.0)
        screen.monotonic = lambda: next(moments)
        for _ in range(6):
            await tick_by_keys(pilot, big)
            await pilot.press("space")
            await pilot.pause()
            check_timeline(app)

        # The clock moves while a step runs: only its minutes change, once a tick.
        state = big.session.state
        running = state.running_step or state.current_step
        assert running is not None
        if state.steps[running].status != "running":
            await pilot.press("space")
            await pilot.pause()
        big.advance(minutes=3)
        screen.tick()
        await pilot.pause()
        check_timeline(app)
        assert "running 3m" in str(timeline.get_option(running).prompt)

        # Scrolled away (the mouse wheel), the next change brings the step back in view,
        # where a list built afresh shows it: on its last visible line.
        timeline.scroll_home(animate=False, immediate=True)
        await pilot.pause()
        assert timeline.scroll_offset.y == 0
        big.advance(minutes=1)
        screen.tick()
        await pilot.pause()
        check_timeline(app)
        index, height = timeline.highlighted, timeline.scrollable_content_region.height
        assert index is not None and timeline.scroll_offset.y == index - height + 1

        # Many events between two frames (as a follower sees them).
        drive(big, 40)
        screen.refresh_view()
        await pilot.pause()
        check_timeline(app)

        # Browsing: the arrows move the highlight; the rows keep following the night.
        for _ in range(5):
            await pilot.press("up")
        await pilot.pause()
        browsed = screen.selected_step
        assert browsed is not None
        title = str(screen.query_one(StepDetail).border_title)
        assert title.startswith(f"Browsing step · {browsed}")  # then its phase, if any
        check_timeline(app)
        await pilot.press("space")
        await pilot.pause()
        assert screen.selected_step == browsed
        check_timeline(app)
        await pilot.press("escape")
        await pilot.pause()
        assert screen.selected_step is None
        check_timeline(app)

        # A skipped step says so, with its reason.
        state = big.session.state
        if state.steps[state.current_step or ""].status == "running":
            tick_all(big.do, state, "step", state.current_step)
            big.do(cmd.CompleteStep(step_id=state.current_step or ""))
        skipped = big.session.state.current_step
        assert skipped is not None
        big.do(cmd.SkipStep(step_id=skipped, reason="not needed on this site"))
        screen.refresh_view()
        await pilot.pause()
        check_timeline(app)
        assert "— not needed on this site" in str(timeline.get_option(skipped).prompt)

        # A far jump: hundreds of steps later the list has scrolled with the night.
        before = timeline.scroll_offset.y
        drive(big, 700, minutes=0.5)
        screen.refresh_view()
        await pilot.pause()
        check_timeline(app)
        assert timeline.scroll_offset.y > before + 300

        # A rollback turns the timeline into the checklist of undos, most recent first.
        big.do(cmd.StartRollback(reason="carrier cannot finish tonight"))
        screen.refresh_view()
        await pilot.pause()
        assert timeline.border_title == "Rollback checklist"
        undos = [item.step_id for item in rollback_checklist(big.session.state)]
        assert [option.id for option in timeline.options][1:4] == [f"rb:{s}" for s in undos[:3]]
        check_timeline(app)
        for _ in range(3):
            await pilot.press("space")
            await pilot.pause()
            check_timeline(app)

    run_pilot(big.app, scenario, size=SIZE)


def test_a_cockpit_opened_late_in_the_night_shows_the_current_step(big: Cockpit) -> None:
    drive(big, 1200, minutes=0.5)  # the current step is hundreds of rows down

    async def scenario(pilot: Pilot[Any]) -> None:
        app = big.app
        check_timeline(app)
        assert screen_of(app).query_one(Timeline).scroll_offset.y > 300

    run_pilot(big.app, scenario, size=SIZE)


def test_schedule_and_messages_on_1000_steps_match_a_step_by_step_reading(big: Cockpit) -> None:
    drive(big, 301, minutes=3)  # a step takes 3 minutes where the plan has 2: running late
    state, now = big.session.state, big.clock.now()
    assert state.runbook is not None
    assert state.steps[state.current_step or ""].status == "running"

    # Planned starts are the plan's start plus the minutes of the steps before.
    start = schedule.window(state).start
    minutes = 0
    timings = schedule.Timings(state, now)
    for step in state.runbook.steps:
        assert timings[step.id].planned_start == start + timedelta(minutes=minutes)
        minutes += step.minutes
    assert schedule.planned_finish(state) == start + timedelta(minutes=minutes)
    assert [t.step_id for t in schedule.timings(state, now)] == [s.id for s in state.runbook.steps]

    # The projection: now, plus what is left of the running step, plus every step to do.
    left = 0.0
    for step in state.runbook.steps:
        step_state = state.steps[step.id]
        if step_state.status == "running":
            assert step_state.started_at is not None
            taken = (now - step_state.started_at).total_seconds() / 60
            left += max(step.minutes - taken, 0)
        elif not step_state.done:
            left += step.minutes
    finish = now + timedelta(minutes=left)
    assert schedule.projected_finish(state, now) == finish
    slip = (finish - schedule.planned_finish(state)).total_seconds() / 60
    assert schedule.slip_minutes(state, now) == slip > 20

    # The delay message is due, and says by how much; the others render the same moment.
    due = {message.message_id: message for message in comms.due_messages(state, now)}
    assert f"running {slip:.0f} minutes behind plan" in due["delay"].text
    for message_id, message in due.items():
        text = state.runbook.message(message_id).text
        assert message.text == comms.render(state, text, now)
