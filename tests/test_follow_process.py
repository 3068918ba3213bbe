"""`cockpit follow` picks up what another process writes, and never writes itself.

The writer here is a separate Python process driving a real `Session` (the same path as the
cockpit's keys: decide → durable append → evolve); the follower is the real `cockpit follow`
in tmux, or `cockpit.follow.Follower` directly.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from cockpit.core import commands as cmd
from cockpit.core.clock import SystemClock
from cockpit.core.evolve import fold
from cockpit.follow import Follower
from cockpit.journal.store import read_events
from cockpit.model.load import contact_card_beside, load_contact_card, load_runbook
from cockpit.session import Session
from tests.e2e_helpers import (
    UCAAS_RUNBOOK,
    TmuxApp,
    TmuxApps,
    clean_env,
    cockpit_argv,
    needs_tmux,
    tmux_apps_in,
)

#: How soon a follower must show an event another process committed (it polls at 2 Hz).
FOLLOW_LATENCY = 2.0

#: A writer process: opens (resumes) the journal with a Session, then runs one command per
#: line of stdin — `start STEP`, `complete STEP`, `note TEXT`, `quit` — and answers each
#: with `saved N` (the last seq on disk) or `refused REASON`.
WRITER = r"""
import sys
from pathlib import Path

from cockpit.core import commands as cmd
from cockpit.core.clock import SystemClock
from cockpit.model.load import load_runbook
from cockpit.session import Session

journal, runbook = Path(sys.argv[1]), load_runbook(Path(sys.argv[2]))
session = Session.open(journal, runbook, None, SystemClock(), operator="writer")
print(f"saved {session.saved_seq}", flush=True)
try:
    for line in sys.stdin:
        verb, _, arg = line.strip().partition(" ")
        if verb == "quit":
            break
        command = {
            "start": lambda: cmd.StartStep(step_id=arg),
            "complete": lambda: cmd.CompleteStep(step_id=arg, anyway="seen on the bridge"),
            "note": lambda: cmd.AddNote(text=arg),
        }[verb]()
        outcome = session.execute(command)
        answer = f"saved {session.saved_seq}" if outcome.ok else f"refused {outcome.message}"
        print(answer, flush=True)
finally:
    session.close()
"""


class Writer:
    """A separate process appending to the journal, one command at a time."""

    def __init__(self, journal: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(journal), str(UCAAS_RUNBOOK)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            bufsize=1,
            env=clean_env(),
        )
        #: The seq the writer reported after resuming (its session_resumed event).
        self.opened_seq = self._answer()

    def _answer(self) -> int:
        assert self.process.stdout is not None
        line = self.process.stdout.readline().strip()
        if not line.startswith("saved "):
            _, err = self.process.communicate(timeout=10)
            raise AssertionError(f"writer said {line!r}; stderr:\n{err}")
        return int(line.split()[1])

    def do(self, line: str) -> int:
        """Run one command; returns the last seq on disk once it is committed."""
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        return self._answer()

    def quit(self) -> None:
        """Close the session and wait for the process to end."""
        _, err = self.process.communicate("quit\n", timeout=20)
        assert self.process.returncode == 0, err

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


@pytest.fixture
def writers() -> Iterator[list[Writer]]:
    """Writer processes started by a test; killed afterwards if still running."""
    started: list[Writer] = []
    try:
        yield started
    finally:
        for writer in started:
            writer.kill()


def start_journal(journal: Path) -> int:
    """A rehearsal journal as `cockpit run` starts it (cutover_started, plan_rebaselined)."""
    runbook = load_runbook(UCAAS_RUNBOOK)
    card_path = contact_card_beside(runbook, UCAAS_RUNBOOK)
    card = load_contact_card(card_path) if card_path is not None else None
    session = Session.open(
        journal, runbook, card, SystemClock(), mode="rehearsal", operator="dana",
        runbook_path=str(UCAAS_RUNBOOK),
    )  # fmt: skip
    try:
        return session.saved_seq
    finally:
        session.close()


def wait_event(app: TmuxApp, seq: int, *patterns: str, timeout: float = 10) -> tuple[str, float]:
    """Wait until the follower's header says 'event #seq' with every regex in `patterns`;
    returns the screen and how long it took."""
    compiled = [re.compile(rf"event #{seq}\b"), *(re.compile(p) for p in patterns)]
    began = time.monotonic()
    screen = app.wait_until(
        lambda s: all(pattern.search(s) for pattern in compiled),
        timeout,
        what=f"'event #{seq}' with {patterns!r}",
    )
    return screen, time.monotonic() - began


# ---- the real `cockpit follow` in tmux -----------------------------------------------------


@pytest.fixture
def tmux_apps(tmp_path: Path) -> Iterator[TmuxApps]:
    """Cockpits in tmux; their tmux servers are killed after the test."""
    with tmux_apps_in(tmp_path) as apps:
        yield apps


@pytest.mark.slow
@needs_tmux
def test_follow_shows_another_process_writing_and_writes_nothing(
    tmux_apps: TmuxApps, writers: list[Writer], tmp_path: Path
) -> None:
    journal = tmp_path / "x.journal"
    assert start_journal(journal) == 2
    follower = tmux_apps.start(cockpit_argv("follow", journal), marker=str(journal))
    screen, _ = wait_event(follower, 2, "FOLLOWING", r"Pre-flight checks", timeout=20)
    assert "saved #" not in screen  # a follower never claims to save
    footer = screen.rstrip().split("\n")[-1]
    assert "space Start" not in footer and "a Note" not in footer  # writing keys are hidden

    # Another process resumes the cutover and works: the follower keeps up within ~2 s.
    writers.append(writer := Writer(journal))
    assert writer.opened_seq == 3  # session_resumed
    _, took_resume = wait_event(follower, 3, "FOLLOWING")
    assert writer.do("start preflight") == 4
    _, took_start = wait_event(follower, 4, r"\brunning\s+Pre-flight checks")
    assert writer.do("note carrier NOC called back") == 5
    _, took_note = wait_event(follower, 5, "FOLLOWING")
    latencies = {"resume": took_resume, "start": took_start, "note": took_note}
    print(f"follower latencies (s): {latencies}")
    assert max(latencies.values()) <= FOLLOW_LATENCY, latencies

    # Keys that would write do nothing in the follower: no dialog, no event. The log key is
    # read-only and shows that every key before it was handled.
    follower.send_keys("Space", "b", "a", "1", "g", "e", "r", "R", "m", "s", "x")
    follower.send_keys("l")
    log = follower.wait_for("Journal · 5 events", "carrier NOC called back")
    for dialog in ("Raise a blocker", "Add a note", "Start the rollback?", "Skip '"):
        assert dialog not in log, log
    follower.send_keys("Escape")
    screen, _ = wait_event(follower, 5, r"\brunning\s+Pre-flight checks", "FOLLOWING")
    assert len(read_events(journal)) == 5
    assert follower.is_running()

    # The writer quits and a new cockpit process takes over the same journal (a restart):
    # the follower keeps following across it.
    writer.quit()
    writers.append(again := Writer(journal))
    assert again.opened_seq == 6
    assert again.do("complete preflight") == 7
    _, took_restart = wait_event(follower, 7, r"\bdone\s+Pre-flight checks")
    assert took_restart <= FOLLOW_LATENCY, took_restart
    again.quit()

    events = read_events(journal)
    assert [event.type for event in events[2:]] == [
        "session_resumed",
        "step_started",
        "note_added",
        "session_resumed",
        "step_completed",
    ]

    # Quitting the follower leaves the journal exactly as it was.
    follower.send_keys("C-q")
    assert follower.wait_exit(timeout=10) == "0"
    assert "Traceback" not in follower.capture(history=True)
    assert len(read_events(journal)) == 7


# ---- Follower.poll, no terminal --------------------------------------------------------------


def test_follower_poll_picks_up_appends_of_another_connection(tmp_path: Path) -> None:
    journal = tmp_path / "x.journal"
    start_journal(journal)
    runbook = load_runbook(UCAAS_RUNBOOK)
    follower = Follower(journal, SystemClock())
    try:
        assert follower.state.last_seq == 2
        assert follower.poll() is False  # nothing new since it opened

        # Another connection (a Session in this process) appends.
        session = Session.open(journal, runbook, None, SystemClock(), operator="dana")
        try:
            assert session.execute(cmd.StartStep(step_id="preflight")).ok
            assert follower.poll() is True
            assert follower.state.last_seq == 4  # session_resumed, step_started
            assert follower.state.steps["preflight"].status == "running"
            assert follower.poll() is False  # applied once, not again

            refused = session.execute(cmd.StartStep(step_id="preflight"))
            assert refused.kind == "refused"
            assert follower.poll() is False  # a refusal writes nothing
        finally:
            session.close()
        assert follower.poll() is False  # closing the writer is not an event

        # Another process appends.
        result = subprocess.run(
            [sys.executable, "-c", WRITER, str(journal), str(UCAAS_RUNBOOK)],
            input="note from another process\ncomplete preflight\nquit\n",
            capture_output=True,
            text=True,
            timeout=30,
            env=clean_env(),
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.split("\n")[:3] == ["saved 5", "saved 6", "saved 7"]
        assert follower.poll() is True
        assert follower.poll() is False

        on_disk = read_events(journal)
        assert [event.seq for event in follower.events] == [event.seq for event in on_disk]
        assert follower.state.last_seq == 7
        assert follower.state.steps["preflight"].status == "completed"
        assert follower.state == fold(on_disk)
    finally:
        follower.close()
