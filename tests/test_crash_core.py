"""Crash (core): SIGKILL a process driving the core and journal, hundreds of times.

The victim (`tests/crash/core_victim.py`) runs a cutover through `Session` — decide →
`Journal.append` (commit) → evolve — and writes `SEQ EVENT_ID` for every event the session
acknowledged as saved. Each run kills it with SIGKILL after a random delay (during the
creation of the journal, its resume, or the middle of an append), then checks:

* every acknowledged event is in the journal, under the same id, numbered without gaps;
* `verify_journal` finds the journal intact (database check and hash chain);
* the events fold into a state;
* a new `Session` resumes it (appending `session_resumed`) to the same state.

A journal takes one to five kills before a new one starts, so kills also land while the
victim itself is resuming. 500 runs by default (about a minute); for 10,000:

    CRASH_RUNS=10000 python -m pytest tests/test_crash_core.py

`CRASH_SEED=N` replays the same choices of delays (the kill moments still vary with the
machine's speed). Fresh interpreters are slow to start, so most victims are forked from a
server that imported everything once (see the victim's docstring); `CRASH_FRESH_RUNS`
(default 3) victims are started as fresh `python` processes.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from cockpit.core.clock import SystemClock
from cockpit.core.evolve import fold
from cockpit.journal.store import JournalReader, read_events
from cockpit.journal.verify import verify_journal
from cockpit.model.load import load_runbook
from cockpit.session import Session
from tests.crash.core_victim import load_plan
from tests.e2e_helpers import REPO, clean_env

pytestmark = pytest.mark.slow

CRASH_RUNS = int(os.environ.get("CRASH_RUNS", "500"))
CRASH_FRESH_RUNS = int(os.environ.get("CRASH_FRESH_RUNS", "3"))
CRASH_SEED = int(os.environ.get("CRASH_SEED", str(random.randrange(2**31))))
#: The longest a victim lives before its SIGKILL (seconds).
MAX_DELAY = 0.06


class VictimServer:
    """The fork server of `tests/crash/core_victim.py`, spoken to over its stdin/stdout."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.crash.core_victim", "--server"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=REPO,
            env=clean_env(),
        )

    def _ask(self, line: str, answer: str) -> int:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        reply = self.process.stdout.readline().split()
        assert reply[:1] == [answer], f"the victim server answered {reply!r} to {line!r}"
        return int(reply[1])

    def run(self, journal: Path, output: Path, seed: int) -> int:
        """Fork a victim on `journal`; returns its pid."""
        return self._ask(f"RUN {journal} {output} {seed}", "PID")

    def wait(self, pid: int) -> int:
        """Wait for a victim to die: -signal, or its exit code."""
        return self._ask(f"WAIT {pid}", "STATUS")

    def close(self) -> None:
        if self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.write("QUIT\n")
            self.process.stdin.close()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture(scope="module")
def victim_server() -> Iterator[VictimServer]:
    server = VictimServer()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture(scope="module")
def plan():  # type: ignore[no-untyped-def]
    return load_plan()


def acknowledged(output: Path) -> list[tuple[int, str]]:
    """The victim's `SEQ EVENT_ID` lines (each written whole, by one write)."""
    if not output.exists():
        return []
    pairs = []
    for line in output.read_text(encoding="ascii").splitlines():
        seq, event_id = line.split()
        pairs.append((int(seq), event_id))
    return pairs


@dataclass
class Verdict:
    """What one kill left behind."""

    events: int
    acked: int
    acked_in_run: int
    hot: bool = False


def check_after_kill(journal: Path, output: Path, plan, what: str) -> Verdict:  # type: ignore[no-untyped-def]
    """Everything acknowledged is on disk, the journal verifies, folds and resumes."""
    acks = acknowledged(output)
    if not journal.exists():
        assert not acks, f"{what}: events acknowledged but no journal file"
        return Verdict(0, 0, 0)
    hot = hot_rollback_journal(journal)
    if hot:
        # Killed while the new journal switched to WAL: nothing can have been
        # acknowledged yet; readers read it as empty (see the test below) and the
        # Session.open below rolls the unfinished creation back.
        assert not acks, f"{what}: acknowledged events, yet the journal was being created"
    events = read_events(journal)
    seqs = [event.seq for event in events]
    assert seqs == list(range(1, len(events) + 1)), f"{what}: numbering {seqs[:5]}…"
    ids = {event.seq: event.event_id for event in events}
    for seq, event_id in acks:
        assert seq in ids, f"{what}: event {seq} was acknowledged but is not in the journal"
        assert event_id in ("-", ids[seq]), f"{what}: event {seq} is not the acknowledged one"
    report = verify_journal(journal)
    assert report.ok, f"{what}:\n{report.render()}"
    assert report.trusted_seq == len(events), f"{what}:\n{report.render()}"
    before = fold(events) if events else None

    runbook, card = plan
    session = Session.open(
        journal, runbook, card, SystemClock(), mode="rehearsal", operator="tester"
    )
    try:
        after = session.journal.read_all()
        assert [e.event_id for e in after[: len(events)]] == [e.event_id for e in events]
        if before is None:
            assert after[0].type == "cutover_started", what
        else:
            assert len(after) == len(events) + 1, what
            assert after[-1].type == "session_resumed", what
            state = session.state
            assert state.last_seq == len(events) + 1
            assert state.steps == before.steps, what
            assert state.checkpoints == before.checkpoints, what
            assert state.blockers == before.blockers, what
            assert state.rollback == before.rollback, what
            assert state.outcome == before.outcome, what
            assert len(state.notes) == len(before.notes), what
            assert state.sessions == before.sessions + 1, what
    finally:
        session.close()
    acked_in_run = sum(1 for seq, event_id in acks if event_id != "-")
    return Verdict(len(events), max((seq for seq, _ in acks), default=0), acked_in_run, hot)


def hot_rollback_journal(journal: Path) -> bool:
    """A rollback journal (`-journal`) beside it: a write in rollback mode was cut off."""
    side = journal.with_name(journal.name + "-journal")
    return side.exists() and side.stat().st_size > 0


def test_sigkilled_core_loses_nothing_acknowledged(
    victim_server: VictimServer, plan, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(CRASH_SEED)
    tally: Counter[str] = Counter()
    journal = tmp_path / "j0.journal"
    kills_left = 0
    started = time.monotonic()
    for run in range(CRASH_RUNS):
        if kills_left == 0:
            journal = tmp_path / f"j{run}.journal"
            kills_left = rng.randint(1, 5)
        kills_left -= 1
        output = tmp_path / f"acks-{run}.txt"
        # A quarter of the kills land in the first milliseconds: while the journal is
        # created or resumed. The rest anywhere in a stream of appends.
        delay = rng.uniform(0, 0.004) if rng.random() < 0.25 else rng.uniform(0.004, MAX_DELAY)
        what = f"run {run} (CRASH_SEED={CRASH_SEED}, {journal.name}, delay {delay * 1000:.1f} ms)"
        pid = victim_server.run(journal, output, rng.randrange(2**31))
        time.sleep(delay)
        os.kill(pid, signal.SIGKILL)
        status = victim_server.wait(pid)
        assert status == -signal.SIGKILL, f"{what}: the victim ended by itself ({status})"
        verdict = check_after_kill(journal, output, plan, what)
        tally["runs"] += 1
        tally["killed while creating the journal (hot -journal left)"] += verdict.hot
        tally["killed before its first acknowledgement"] += not acknowledged(output)
        tally["killed after acknowledging appends"] += verdict.acked_in_run > 0
        tally["events acknowledged"] += verdict.acked_in_run
        output.unlink(missing_ok=True)
    elapsed = time.monotonic() - started
    print(f"\ncrash (core): CRASH_SEED={CRASH_SEED}, {elapsed:.1f} s")
    for name, count in tally.items():
        print(f"  {name}: {count}")
    # The harness must really kill victims in the middle of their work.
    assert tally["killed after acknowledging appends"] > 0, tally


def test_sigkilled_fresh_interpreter_loses_nothing_acknowledged(plan, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The same, with victims started as fresh `python` processes (no fork server)."""
    rng = random.Random(CRASH_SEED + 1)
    journal = tmp_path / "fresh.journal"
    for run in range(CRASH_FRESH_RUNS):
        output = tmp_path / f"fresh-{run}.txt"
        wanted = rng.randint(1, 40)
        what = f"fresh run {run} (CRASH_SEED={CRASH_SEED}), killed after {wanted} lines"
        with output.open("wb") as sink:
            seed = str(rng.randrange(2**31))
            victim = subprocess.Popen(
                [sys.executable, "-m", "tests.crash.core_victim", str(journal), "--seed", seed],
                stdout=sink,
                stderr=subprocess.PIPE,
                cwd=REPO,
                env=clean_env(),
            )
            try:
                deadline = time.monotonic() + 30
                while len(acknowledged(output)) < wanted:
                    assert victim.poll() is None, f"{what}: the victim died: {victim.stderr}"
                    assert time.monotonic() < deadline, f"{what}: no acknowledgements"
                    time.sleep(0.001)
                victim.send_signal(signal.SIGKILL)
            finally:
                victim.kill()
                victim.wait()
                assert victim.stderr is not None
                victim.stderr.close()
        assert victim.returncode == -signal.SIGKILL, what
        check_after_kill(journal, output, plan, what)


#: The 512-byte header SQLite writes to `<journal>-journal` before it turns a brand-new
#: (empty) database into WAL mode: "the database had 0 pages; roll back to that".
_HOT_HEADER = bytes.fromhex("d9d505f920a163d700000000873e8267000000000000020000001000")


def test_a_journal_killed_while_being_created_reads_as_empty(tmp_path: Path) -> None:
    journal = tmp_path / "new.journal"
    # The files such a kill leaves (seen in the runs above): the main file's first page
    # already says WAL, and the hot rollback journal says it had no pages before.
    conn = sqlite3.connect(journal)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()
    journal.with_name("new.journal-journal").write_bytes(_HOT_HEADER.ljust(512, b"\0"))
    files = sorted(tmp_path.iterdir())
    before = {path.name: path.read_bytes() for path in files}

    assert read_events(journal) == []
    with JournalReader.open(journal) as follower:  # what `cockpit follow` polls
        assert follower.events() == []
        assert not follower.has_changed()
    report = verify_journal(journal)
    assert report.readable and report.ok, report.render()
    assert report.trusted_seq == 0
    # Reading it changed nothing: the creator's rollback is left to the next writer.
    assert {path.name: path.read_bytes() for path in sorted(tmp_path.iterdir())} == before

    # The next `cockpit run` rolls the creation back and starts the night in it.
    runbook = load_runbook(REPO / "runbooks" / "ucaas-port-smb.toml")
    session = Session.open(journal, runbook, None, SystemClock(), mode="rehearsal")
    try:
        assert session.saved_seq == 2
    finally:
        session.close()
    assert [event.seq for event in read_events(journal)] == [1, 2]
