"""Crash (cockpit): the real `cockpit run` in a real terminal, SIGKILLed at random moments.

Each run starts `cockpit run` on the bundled UCaaS runbook in its own tmux server (see
`tests/e2e_helpers.py`), presses a scripted sequence of keys — the moves of the night
from where the journal stands: start and complete steps, tick the gate's criteria and
say go, confirm the point of no return, raise a blocker, log the call, resolve it, add
notes, mark a step failed — and SIGKILLs the cockpit at a random moment: between keys,
with a dialog open, half-way through typing, or while it is starting. After each kill:

* every event the screen had shown as saved (the highest "saved #N" ever captured) is in
  the journal, which is numbered without gaps;
* the journal verifies (database check and hash chain) and folds;
* the next `cockpit run` on it (the next run) resumes to the same state: its header says
  "saved #N+1" (the events plus `session_resumed`), the journal is the same events plus
  that one, and every step's status on the resumed timeline is the one the fold of the
  journal gives.

A journal takes several runs (kills) before a fresh one starts. 24 runs by default
(about a minute and a half); for 10,000 (about eight hours on two cores):

    COCKPIT_CRASH_RUNS=10000 python -m pytest tests/test_crash_cockpit.py

`COCKPIT_CRASH_SEED=N` replays the same choices of keys and kill moments (the timing of
the kill against the cockpit's own work still varies with the machine).
"""

from __future__ import annotations

import os
import random
import re
import signal
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cockpit.core import commands as cmd
from cockpit.core.decide import decide
from cockpit.core.evolve import evolve, fold
from cockpit.core.state import STATUS_WORDS, CutoverState
from cockpit.journal.store import read_events
from cockpit.journal.verify import verify_journal
from tests.checklist_helpers import ticks
from tests.e2e_helpers import (
    OPERATOR,
    SAVED_RE,
    TmuxApp,
    TmuxApps,
    run_argv,
    tmux_apps_in,
)

pytestmark = pytest.mark.slow  # the tmux fixture skips when tmux is missing

COCKPIT_CRASH_RUNS = int(os.environ.get("COCKPIT_CRASH_RUNS", "24"))
COCKPIT_CRASH_SEED = int(os.environ.get("COCKPIT_CRASH_SEED", str(random.randrange(2**31))))
#: Big enough that the whole timeline (13 steps, 3 gates, the PONR line) is on screen.
WIDTH, HEIGHT = 160, 50
#: Runs (kills) on one journal before a fresh one starts, at most.
RUNS_PER_JOURNAL = 10


@dataclass(frozen=True)
class Action:
    """One move: a key, and for a dialog, the text it waits for and what it types."""

    key: str
    command: cmd.Command
    dialog: str = ""
    text: str = ""  # typed then Enter; without text the dialog is confirmed with 'y'
    pick: str = ""  # a list to choose from first (who was called): its first item is taken


def next_action(state: CutoverState, rng: random.Random) -> Action:
    """What the engineer presses next, given the state (mirrors the screen's actions)."""
    note = f"note {rng.randrange(10**6)}"
    if state.ended:
        return Action("a", cmd.AddNote(text=note), "Add a note", note)
    blocker = state.open_blocker
    if blocker is not None:
        if blocker.called_at is None and rng.random() < 0.6:
            agreed = "Call back in 10 minutes"
            call = cmd.LogEscalation(agreed=agreed)
            return Action("e", call, "What was agreed", agreed, pick="Who did you call?")
        return Action("r", cmd.ResolveBlocker(how="fixed"), "Resolve the blocker", "fixed")
    roll = rng.random()
    if roll < 0.08:
        return Action("a", cmd.AddNote(text=note), "Add a note", note)
    if roll < 0.14:
        what = "carrier NOC silent"
        return Action("b", cmd.RaiseBlocker(what=what), "Raise a blocker", what)
    running = state.running_step
    if roll < 0.17 and running is not None:
        why = "no dial tone"
        return Action("x", cmd.FailStep(step_id=running, reason=why), "What went wrong?", why)
    checkpoint_id = state.open_checkpoint
    if checkpoint_id is not None:
        marks = state.checkpoints[checkpoint_id].marks
        for index, mark in enumerate(marks):
            if mark is not True:
                command = cmd.MarkCriterion(checkpoint_id=checkpoint_id, index=index, met=True)
                return Action(str(index + 1), command)
        decision = cmd.DecideCheckpoint(checkpoint_id=checkpoint_id, decision="go", by=OPERATOR)
        return Action("g", decision)
    current = state.current_step
    if current is None:
        for tick in ticks(state, "verification"):  # what was seen, before declaring
            return Action(_number_key(tick), tick)
        return Action("Space", cmd.DeclareComplete(), "Declare the cutover complete?")
    if state.steps[current].status == "running":
        for tick in ticks(state, "step", current):  # the verify items, then complete
            return Action(_number_key(tick), tick)
        return Action("Space", cmd.CompleteStep(step_id=current))
    assert state.runbook is not None
    if current == state.runbook.ponr_step and state.ponr_crossed_at is None:
        start = cmd.StartStep(step_id=current, confirm_ponr=True)
        return Action("Space", start, "Cross the point of no return?")
    return Action("Space", cmd.StartStep(step_id=current))


def _number_key(tick: cmd.Command) -> str:
    """The number key that ticks this item: 1…9, and 0 for the 10th."""
    assert isinstance(tick, cmd.TickItem)
    return str((tick.index + 1) % 10)


def script(state: CutoverState, rng: random.Random, count: int) -> list[Action]:
    """`count` moves from `state`, each chosen from the state the previous one leaves."""
    actions: list[Action] = []
    for _ in range(count):
        action = next_action(state, rng)
        if _double_tap(actions, action):
            # Space to complete right after space started the same step, nothing between
            # (its items were ticked before it failed): the cockpit asks whether that was
            # a double tap, and the engineer says yes.
            action = Action(action.key, action.command, "already?")
        actions.append(action)
        result = decide(state, action.command, datetime.now(UTC))
        if not isinstance(result, cmd.Refusal):
            for event in result:
                state = evolve(state, event)
    return actions


def _double_tap(before: list[Action], action: Action) -> bool:
    """True when `action` completes the step the action before it started (the keys come
    well within the cockpit's DOUBLE_TAP_SECONDS of each other)."""
    if not before or not isinstance(action.command, cmd.CompleteStep):
        return False
    previous = before[-1].command
    return isinstance(previous, cmd.StartStep) and previous.step_id == action.command.step_id


def timeline_statuses(screen: str, state: CutoverState) -> dict[str, str | None]:
    """Each step's status word as the timeline shows it (None when the row is not seen)."""
    assert state.runbook is not None
    words = "|".join(STATUS_WORDS.values())
    found: dict[str, str | None] = {}
    for step in state.runbook.steps:
        match = re.search(rf"\b({words})\s+{re.escape(step.title[:24])}", screen)
        found[step.id] = match.group(1) if match else None
    return found


def expected_statuses(state: CutoverState) -> dict[str, str | None]:
    return {step_id: STATUS_WORDS[step.status] for step_id, step in state.steps.items()}


class Run:
    """One `cockpit run` in tmux: keys in, the highest 'saved #N' ever seen out."""

    def __init__(self, app: TmuxApp) -> None:
        self.app = app
        self.saved_seen = 0
        self.last_screen = ""

    def look(self) -> str:
        screen = self.app.capture()
        for match in SAVED_RE.finditer(screen):
            self.saved_seen = max(self.saved_seen, int(match.group(1)))
        self.last_screen = screen
        return screen

    def watch(self, seconds: float) -> None:
        """Keep reading the screen for `seconds` (the kill comes after)."""
        deadline = time.monotonic() + seconds
        while True:
            self.look()
            if time.monotonic() >= deadline:
                return
            time.sleep(0.01)


@pytest.fixture
def tmux_apps(tmp_path: Path) -> Iterator[TmuxApps]:
    with tmux_apps_in(tmp_path) as apps:
        yield apps


def test_sigkilled_cockpit_keeps_everything_it_showed_as_saved(
    tmux_apps: TmuxApps, tmp_path: Path
) -> None:
    rng = random.Random(COCKPIT_CRASH_SEED)
    journal = tmp_path / "j0.journal"
    runs_left = 0
    kinds: dict[str, int] = {}
    longest = furthest = 0
    for run in range(COCKPIT_CRASH_RUNS):
        if runs_left == 0:
            journal = tmp_path / f"j{run}.journal"
            runs_left = rng.randint(4, RUNS_PER_JOURNAL)
        runs_left -= 1
        what = f"run {run} (COCKPIT_CRASH_SEED={COCKPIT_CRASH_SEED}, {journal.name})"
        before = read_events(journal) if journal.exists() else []
        app = tmux_apps.start(run_argv(journal), width=WIDTH, height=HEIGHT, marker=str(journal))
        current = Run(app)
        try:
            kind = _drive_and_kill(current, before, rng, what)
        finally:
            app.close()
        kinds[kind] = kinds.get(kind, 0) + 1
        events = _check_after_kill(journal, current, before, what)
        longest = max(longest, len(events))
        if events:
            done = sum(step.done for step in fold(events).steps.values())
            furthest = max(furthest, done)
    print(
        f"\ncrash (cockpit): COCKPIT_CRASH_SEED={COCKPIT_CRASH_SEED}, kills: {kinds}; "
        f"longest journal {longest} events, furthest {furthest} steps done"
    )


def _drive_and_kill(run: Run, before: list, rng: random.Random, what: str) -> str:  # type: ignore[type-arg]
    """Start, check the resumed screen, press keys, kill; returns where the kill landed."""
    app = run.app
    if rng.random() < 0.1:  # killed while starting: creating or resuming the journal
        run.watch(rng.uniform(0, 1.5))
        _kill(app, what)
        return "while starting"
    # The first frame: a new cutover is saved #2 (started, rebaselined), a resumed one
    # the events before plus session_resumed; the timeline is the fold of the journal.
    saved = len(before) + 1 if before else 2
    state = fold(before) if before else None

    def resumed(screen: str) -> bool:
        if not re.search(rf"saved #{saved}\b", screen):
            return False
        return state is None or timeline_statuses(screen, state) == expected_statuses(state)

    try:
        app.wait_until(resumed, timeout=30, what=f"saved #{saved} and the journal's statuses")
    finally:
        run.look()
    after = read_events(app_journal(app))
    assert [e.event_id for e in after[: len(before)]] == [e.event_id for e in before], what
    if before:
        assert len(after) == len(before) + 1 and after[-1].type == "session_resumed", what

    actions = script(fold(after), rng, rng.randint(2, 16))
    kill_at = rng.randrange(len(actions) + 1)
    for index, action in enumerate(actions):
        if index == kill_at:
            break
        app.send_keys(action.key)
        if action.pick:
            app.wait_for(action.pick, timeout=10)
            app.send_keys("Enter")
        if action.dialog:
            if rng.random() < 0.1:
                run.watch(rng.uniform(0, 0.2))
                _kill(app, what)
                return "as a dialog opens"
            app.wait_for(action.dialog, timeout=10)
            if action.text:
                app.type_text(action.text)
                if rng.random() < 0.1:
                    run.watch(rng.uniform(0, 0.1))
                    _kill(app, what)
                    return "while typing in a dialog"
                app.send_keys("Enter")
            else:
                app.send_keys("y")
            # A key sent within ~30 ms of closing a dialog goes to the dialog being closed
            # (and is lost), so wait for it to close, as a person would.
            app.wait_until(
                lambda screen, title=action.dialog: title not in screen,
                timeout=10,
                what=f"the dialog {action.dialog!r} to close",
            )
        run.look()
    run.watch(rng.uniform(0, 0.4))
    _kill(app, what)
    return "between keys" if kill_at < len(actions) else "after the last key"


def app_journal(app: TmuxApp) -> Path:
    return Path(app.argv[app.argv.index("--journal") + 1])


def _kill(app: TmuxApp, what: str) -> None:
    os.kill(app.pid, signal.SIGKILL)
    status = app.wait_exit(timeout=10)
    assert status == str(128 + signal.SIGKILL), f"{what}: the cockpit exited with {status}:\n" + (
        app.capture(history=True)
    )


def _check_after_kill(journal: Path, run: Run, before: list, what: str) -> list:  # type: ignore[type-arg]
    """Everything shown as saved is on disk; the journal verifies and folds."""
    if not journal.exists():
        assert run.saved_seen == 0, what
        return []
    events = read_events(journal)
    assert [e.seq for e in events] == list(range(1, len(events) + 1)), what
    assert len(events) >= run.saved_seen, (
        f"{what}: the screen showed saved #{run.saved_seen}, the journal holds "
        f"{len(events)} events; last screen:\n{run.last_screen}"
    )
    assert [e.event_id for e in events[: len(before)]] == [e.event_id for e in before], what
    report = verify_journal(journal)
    assert report.ok, f"{what}:\n{report.render()}"
    if events:
        fold(events)
    return events
