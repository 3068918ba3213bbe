"""Cockpit benchmarks: first frame, key latency, durable append, fold, debrief, replay, memory.

Run from the repository root (not collected by pytest):

    python tests/benchmarks/bench_cockpit.py            # about ten minutes
    python tests/benchmarks/bench_cockpit.py --quick    # fewer repeats, about four minutes

It prints the machine, then one table: each figure beside its baseline where it has one,
the ratio, the goal, and whether the goal is met. What is measured, and how:

* **First frame** — `cockpit run` is started in a real pseudo-terminal (120×40, `pty.fork`);
  the time is when "Timeline" arrives in its output (drained as fast as it comes), and the
  frame is then checked on a terminal emulator's screen (pyte); the baseline is
  `baseline_app.py` (a Textual Header, DataTable and Footer) started and read the same
  way, interleaved run for run. Medians of the repeats. Three cockpits:
  the bundled UCaaS runbook as a new rehearsal, the same resuming a 10,000-event journal,
  and a generated 1,000-step runbook. Beside the new rehearsal and the 1,000 steps, the
  *floor*: the baseline app started after importing the cockpit's core and loading that
  runbook (`baseline_app.py --floor`), the start-up work no cockpit can skip.
* **Action to durable append** — `Session.execute(AddNote)`: decide, `Journal.append`
  (committed, WAL, `synchronous=FULL`), evolve; against a bare SQLite WAL `INSERT` +
  `COMMIT` of a similar row with the same durability, interleaved one for one. p50/p99.
* **Fold** of 100,000 events (already parsed), and reading them from the file (SQL, hash
  chain, parse).
* **Debrief** of a 100,000-event journal: `cockpit debrief J -o FILE` in this process, and
  as a fresh process (what the user waits for).
* **Replay scrubbing** over 100,000 events: loading the trusted events and building the
  replay, then 300 random `Replay.seek_index` jumps (p50/p95/max).
* **Key press**, in a real `cockpit run` in a pseudo-terminal (the bundled runbook and
  the 1,000-step one): the moves of a night (space, criteria, go, blocker, call, resolve,
  notes), from the key written to the terminal to the new "saved #N" arriving and the
  output settling (p50/p95); the baseline app's space (a row and its header change)
  measured the same way; and the handler alone (`Session.execute` + `refresh_view`,
  timed inside the screen under Pilot).
* **Peak memory** (VmHWM, the peak resident set, from /proc) of `cockpit run` on the
  1,000-step runbook resuming a 100,000-event journal, after its first frame and a few
  keys; the baseline app's for comparison.

The journals are real nights made through the core (decide → evolve, appended in batches
through `Journal.append`): plan moves, notes, blockers with their calls, share mode, secret
reveals, criteria.
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import contextlib
import fcntl
import io
import os
import pty
import random
import re
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

if __name__ == "__main__":  # runnable as a script from anywhere in the checkout
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import pyte
import tomli_w

from cockpit import __version__
from cockpit.core import commands as cmd
from cockpit.core.clock import ManualClock
from cockpit.core.decide import decide
from cockpit.core.evolve import apply, fold
from cockpit.core.state import CutoverState
from cockpit.journal.events import BaseEvent, event_to_json
from cockpit.journal.store import Journal, read_events
from cockpit.model.contacts import ContactCard
from cockpit.model.load import load_contact_card, load_runbook
from cockpit.model.runbook import Runbook
from cockpit.session import Session, runbook_sha256
from tests.benchmarks.bench_journal import machine, percentile, raw_connection
from tests.crash.core_victim import next_command

REPO = Path(__file__).resolve().parents[2]
UCAAS = REPO / "runbooks" / "ucaas-port-smb.toml"
UCAAS_CARD = REPO / "contact_cards" / "ucaas-port-smb.toml"
BASELINE_APP = Path(__file__).with_name("baseline_app.py")
SIZE = (120, 40)
#: What the first frame must show (the cockpit's timeline title; the baseline table's).
FIRST_FRAME_TEXT = "Timeline"


# ---- journals and runbooks -------------------------------------------------------------------


def big_runbook(folder: Path, steps: int) -> Path:
    """The UCaaS runbook grown to `steps` steps (its 13, then numbered copies)."""
    doc = tomllib.loads(UCAAS.read_text(encoding="utf-8"))
    originals = doc["steps"]
    grown = list(originals)
    copy = 1
    while len(grown) < steps:
        for step in originals:
            if len(grown) == steps:
                break
            twin = dict(step, id=f"{step['id']}-{copy}", title=f"{step['title']} ({copy + 1})")
            twin["minutes"] = 2  # the plan still fits its (at most 48-hour) window
            if "depends_on" in step:
                twin["depends_on"] = [f"{dep}-{copy}" for dep in step["depends_on"]]
            grown.append(twin)
        copy += 1
    doc["steps"] = grown
    doc["runbook"]["contact_card"] = str(UCAAS_CARD)
    doc["runbook"]["window_end"] = doc["runbook"]["window_start"] + timedelta(hours=47)
    path = folder / f"runbook-{steps}.toml"
    path.write_text(tomli_w.dumps(doc), encoding="utf-8")
    assert len(load_runbook(path).steps) == steps
    return path


def build_night(
    path: Path, runbook: Runbook, card: ContactCard, count: int, runbook_path: Path
) -> None:
    """A rehearsal night of `count` events through the real core, appended in batches."""
    rng = random.Random(count)
    clock = ManualClock(datetime(2026, 12, 2, 7, 0, tzinfo=UTC))
    state = CutoverState()
    plan_moves = len(runbook.steps) * 3
    progress = min(0.5, plan_moves / count)

    def filler() -> cmd.Command:
        roll = rng.random()
        blocker = state.open_blocker
        if blocker is not None:
            if blocker.called_at is None:
                return cmd.LogEscalation(agreed="Call back in 10 minutes")
            return cmd.ResolveBlocker(how="carrier re-sent the FOC")
        if roll < 0.0005:  # a blocker every ~2,000 events: tens in a long night
            return cmd.RaiseBlocker(what="carrier NOC silent")
        if roll < 0.75:
            return cmd.AddNote(text=f"Carrier NOC update {rng.randrange(10**6)}: still porting")
        if roll < 0.9:
            return cmd.SetShareMode(on=not state.share_mode)
        return cmd.RecordSecretReveal(name="carrier-pin", how="shown", source="keyring")

    batch: list[BaseEvent] = []
    start = cmd.StartCutover(
        runbook=runbook.model_dump(mode="json"),
        runbook_sha256=runbook_sha256(runbook),
        runbook_path=str(runbook_path),
        contacts=card.model_dump(mode="json"),
        mode="rehearsal",
        operator="bench",
        app_version=__version__,
    )
    commands: list[cmd.Command] = [start, cmd.Rebaseline(plan_start=clock.now(), reason="now")]
    with Journal.open(path) as journal:
        while state.last_seq < count:
            command = commands.pop(0) if commands else None
            if command is None:
                command = next_command(state, rng) if rng.random() < progress else filler()
                if isinstance(command, (cmd.StartRollback, cmd.FailStep)):
                    command = filler()
            result = decide(state, command, clock.now())
            if isinstance(result, cmd.Refusal):
                result = decide(state, cmd.AddNote(text="refused"), clock.now())
                assert not isinstance(result, cmd.Refusal)
            for event in result:
                apply(state, event)
            batch.extend(result)
            clock.advance(seconds=rng.choice([1, 2, 5, 20]))
            if len(batch) >= 1000:
                journal.append(batch)
                batch = []
        if batch:
            journal.append(batch)


# ---- first frame in a pseudo-terminal --------------------------------------------------------


def pty_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "TMUX")}
    env["TERM"] = "xterm-256color"
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    return env


class PtyApp:
    """A program in a pseudo-terminal, its output kept raw and read by a terminal emulator.

    The reader never slows the program down: output is drained into a buffer as fast as
    it comes (pyte is pure Python and a full cockpit frame takes it tens of milliseconds,
    enough to fill the pty and stall the writer), timings are taken on the raw bytes as
    they arrive, and pyte reads the buffer only when the screen is asked for.
    """

    def __init__(self, argv: list[str], cwd: Path) -> None:
        columns, rows = SIZE
        self.argv = argv
        self.screen = pyte.Screen(columns, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.raw = bytearray()
        self._fed = 0
        self.started = time.perf_counter()
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: the program, on the pty as its terminal
            try:
                os.chdir(cwd)
                os.execve(argv[0], argv, pty_env())
            finally:
                os._exit(127)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self.max_rss_mb = 0.0

    def text(self) -> str:
        """The emulated screen, as text."""
        if self._fed < len(self.raw):
            self.stream.feed(bytes(self.raw[self._fed :]))
            self._fed = len(self.raw)
        return "\n".join(self.screen.display)

    def read(self, seconds: float) -> bool:
        """Drain what the program wrote, waiting up to `seconds`; False when nothing came."""
        ready, _, _ = select.select([self.fd], [], [], seconds)
        if not ready:
            return False
        try:
            self.raw += os.read(self.fd, 1 << 16)
        except OSError:
            raise RuntimeError(f"{self.argv} ended:\n{self.text()}") from None
        return True

    def wait_bytes(self, pattern: re.Pattern[bytes], since: int, timeout: float = 120) -> int:
        """Read until `pattern` is in the output after offset `since`; returns where."""
        started = time.perf_counter()
        while (match := pattern.search(self.raw, max(since - 64, 0))) is None:
            if time.perf_counter() - started > timeout:
                raise TimeoutError(f"{self.argv}: no {pattern.pattern!r}:\n{self.text()}")
            self.read(0.005)
        return match.end()

    def settle(self, quiet: float = 0.015) -> None:
        """Read until the program has written nothing for `quiet` seconds."""
        while self.read(quiet):
            pass

    def wait_for(self, predicate: Callable[[str], object], timeout: float = 120) -> None:
        """Read until `predicate(screen text)` holds (untimed: pyte reads as it goes)."""
        started = time.perf_counter()
        while not predicate(self.text()):
            if time.perf_counter() - started > timeout:
                raise TimeoutError(f"{self.argv}: waited {timeout}s; the screen:\n{self.text()}")
            self.read(0.01)

    def linger(self, seconds: float) -> None:
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            self.read(0.01)

    def type(self, keys: bytes) -> None:
        os.write(self.fd, keys)

    def peak_rss_mb(self) -> float:
        """The program's peak resident memory so far (VmHWM).

        Not `wait4`'s ru_maxrss: that counts the child before its exec too, when it was a
        copy of this (large) benchmark process."""
        for line in Path(f"/proc/{self.pid}/status").read_text(encoding="ascii").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        raise RuntimeError("no VmHWM in /proc: cannot measure memory here")

    def close(self) -> None:
        """Kill the program; its peak RSS is then in `max_rss_mb`."""
        with contextlib.suppress(OSError, RuntimeError):
            self.max_rss_mb = self.peak_rss_mb()
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        os.close(self.fd)


@dataclass
class PtyRun:
    """One start of a program: seconds to its first frame, its peak memory."""

    seconds: float
    max_rss_mb: float


def in_pty(argv: list[str], *, cwd: Path, keys: bytes = b"", linger: float = 0.0) -> PtyRun:
    """Start `argv` in a pty; time until FIRST_FRAME_TEXT arrives (and check the emulated
    screen shows it); then type `keys` (one a tenth of a second), keep reading for
    `linger` seconds, kill it, note its peak RSS."""
    app = PtyApp(argv, cwd)
    try:
        app.wait_bytes(re.compile(re.escape(FIRST_FRAME_TEXT.encode())), 0)
        seconds = time.perf_counter() - app.started
        app.settle()
        assert FIRST_FRAME_TEXT in app.text(), app.text()
        for key in keys:
            app.type(bytes([key]))
            app.linger(0.1)
        app.linger(linger)
    finally:
        app.close()
    return PtyRun(seconds, app.max_rss_mb)


def cockpit_argv(runbook: Path | str, journal: Path, *extra: str) -> list[str]:
    return [
        sys.executable, "-m", "cockpit", "run", str(runbook), "--journal", str(journal),
        "--operator", "bench", *extra,
    ]  # fmt: skip


def baseline_argv(floor: Path | None = None) -> list[str]:
    """The baseline app; with `floor`, after the cockpit's core and that runbook load."""
    return [sys.executable, str(BASELINE_APP), *(["--floor", str(floor)] if floor else [])]


@dataclass
class FirstFrames:
    """First-frame seconds of the cockpit, the baseline and (when asked) the floor."""

    ours: list[float]
    base: list[float]
    floor: list[float]


def first_frames(
    make_argv: Callable[[int], list[str]],
    repeats: int,
    folder: Path,
    floor: Path | None = None,
) -> FirstFrames:
    """First frames interleaved run for run, one warm-up of each first; with `floor` (a
    runbook), the baseline app started after the cockpit's core and that runbook load."""
    argvs = [baseline_argv(), *([baseline_argv(floor)] if floor else [])]
    times = FirstFrames([], [], [])
    for argv in [*argvs, make_argv(-1)]:
        in_pty(argv, cwd=folder)
    for run in range(repeats):
        times.base.append(in_pty(argvs[0], cwd=folder).seconds)
        if floor:
            times.floor.append(in_pty(argvs[1], cwd=folder).seconds)
        times.ours.append(in_pty(make_argv(run), cwd=folder).seconds)
    return times


# ---- in-process measurements -----------------------------------------------------------------


def bench_append(folder: Path, count: int) -> tuple[list[float], list[float]]:
    """(Session.execute, raw insert+commit) seconds per note, interleaved."""
    runbook, card = load_runbook(UCAAS), load_contact_card(UCAAS_CARD)
    clock = ManualClock(datetime.now(UTC))
    session = Session.open(folder / "append.journal", runbook, card, clock, mode="rehearsal")
    conn = raw_connection(folder / "raw.sqlite")
    ours: list[float] = []
    raw: list[float] = []
    try:
        for index in range(count):
            clock.advance(seconds=3)
            command = cmd.AddNote(text=f"Carrier NOC says {index}")
            started = time.perf_counter()
            outcome = session.execute(command)
            ours.append(time.perf_counter() - started)
            assert outcome.ok
            payload = event_to_json(outcome.events[0])
            row = (index + 1, "t", "note_added", f"id-{index}", payload, "0" * 64)
            started = time.perf_counter()
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?)", row)
            conn.execute("COMMIT")
            raw.append(time.perf_counter() - started)
    finally:
        session.close()
        conn.close()
    return ours, raw


def cli_seconds(*args: str) -> float:
    from cockpit.cli import main as cockpit_main

    out = io.StringIO()
    started = time.perf_counter()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = cockpit_main(list(args))
    seconds = time.perf_counter() - started
    assert code == 0, out.getvalue()
    return seconds


def process_seconds(*args: str) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "cockpit", *args], check=True, capture_output=True, env=pty_env()
    )
    return time.perf_counter() - started


def bench_replay(journal: Path, jumps: int) -> tuple[float, float, list[float]]:
    from cockpit.cli.replay import load_trusted
    from cockpit.replay import Replay

    started = time.perf_counter()
    events, notice = load_trusted(journal)
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    replay = Replay(events, journal, notice=notice)
    built = time.perf_counter() - started
    rng = random.Random(1)
    samples = []
    for _ in range(jumps):
        index = rng.randrange(len(events))
        started = time.perf_counter()
        replay.seek_index(index)
        samples.append(time.perf_counter() - started)
    return loaded, built, samples


SAVED = re.compile(r"saved #(\d+)")
#: Keys as a terminal sends them.
KEY_BYTES = {"Space": b" ", "Enter": b"\r", "Escape": b"\x1b", "down": b"\x1b[B", "up": b"\x1b[A"}
#: The arrows' walk: down this many rows, then back up, again and again.
ARROW_RUN = 6


@dataclass
class KeyTimes:
    """Seconds from a key written to the terminal to the screen redrawn (its last byte
    before the output went quiet), for arrows and for actions."""

    arrows: list[float]
    actions: list[float]


class KeyTimer:
    """Times keys in a `PtyApp`, clear of the app's own once-a-second redraw.

    The cockpit redraws every second (its clock, its countdowns); a key whose redraw
    overlapped that tick would be timed with the tick's output too. So a key is typed
    only in the first half-second after a tick's output has gone quiet (or, for an app
    that never redraws on its own, after a short pause like a person's), and timed to the
    last byte of its own output: arrival of the bytes, not a fixed quiet period.
    """

    QUIET = 0.02

    def __init__(self, app: PtyApp, ticks: bool) -> None:
        self.app = app
        self.ticks = ticks
        self.tick_at = 0.0

    def _last_byte(self) -> float:
        """Read until nothing came for QUIET seconds; when the last byte came."""
        last = time.perf_counter()
        while self.app.read(self.QUIET):
            last = time.perf_counter()
        return last

    def ready(self) -> None:
        """Wait for a moment clear of the app's own redraws."""
        if not self.ticks:
            self.app.linger(0.05)
            return
        if time.perf_counter() - self.tick_at < 0.5:
            self.app.linger(0.03)
            if time.perf_counter() - self.tick_at < 0.5:
                return
        # Wait for the next tick's output (unprompted), then its end.
        if self.app.read(1.5):
            self._last_byte()
            self.tick_at = time.perf_counter()

    def time_key(self, key: bytes, expect: re.Pattern[bytes] | None = None) -> float | None:
        """Type `key` (after `ready`); seconds to its output's last byte. With `expect`,
        the output must show it first (an action's "saved #N"): None when it never
        does (the action was refused; the screen says why)."""
        self.ready()
        since = len(self.app.raw)
        started = time.perf_counter()
        self.app.type(key)
        if expect is not None:
            try:
                self.app.wait_bytes(expect, since, timeout=3)
            except TimeoutError:
                self.app.settle()
                return None
        deadline = started + 10
        while len(self.app.raw) == since:  # the first byte of the answer
            if time.perf_counter() > deadline:
                raise TimeoutError(f"{self.app.argv}: no output after {key!r}")
            self.app.read(0.005)
        return self._last_byte() - started


def arrow_keys(presses: int) -> list[bytes]:
    """Down ARROW_RUN rows, up as many, again: `presses` arrows."""
    walk = [KEY_BYTES["down"]] * ARROW_RUN + [KEY_BYTES["up"]] * ARROW_RUN
    return [walk[index % len(walk)] for index in range(presses)]


def bench_keys_pty(runbook_path: Path, journal: Path, presses: int, folder: Path) -> KeyTimes:
    """In a real `cockpit run` in a pty: the arrows browsing steps, then the moves of a
    night (space, criteria, go, blocker, call, resolve, notes), each timed from the key
    written to the terminal to the screen redrawn."""
    from tests.test_crash_cockpit import next_action

    rng = random.Random(3)
    app = PtyApp(cockpit_argv(runbook_path, journal, "--rehearsal"), folder)
    times = KeyTimes([], [])
    try:
        app.wait_for(lambda text: FIRST_FRAME_TEXT in text and "saved #2" in text)
        app.settle(0.3)
        timer = KeyTimer(app, ticks=True)
        for key in arrow_keys(presses):
            times.arrows.append(timer.time_key(key) or 0.0)
        app.type(b"\x1b")  # back to the current step
        app.wait_for(lambda text: "Current step ·" in text, timeout=10)
        app.settle()
        for _ in range(presses):
            events = read_events(journal)
            action = next_action(fold(events), rng)
            key = KEY_BYTES.get(action.key, action.key.encode())
            if action.pick:  # who was called: the first of the list
                app.type(key)
                app.wait_for(lambda text, title=action.pick: title in text, timeout=10)
                app.settle()
                key = b"\r"
            if action.dialog:
                app.type(key)
                app.wait_for(lambda text, title=action.dialog: title in text, timeout=10)
                app.settle(0.05)  # the dialog's input has the focus
                if action.text:
                    app.type(action.text.encode())
                    app.wait_for(lambda text, typed=action.text: typed in text, timeout=10)
                app.settle()
                key = b"\r" if action.text else b"y"
            # Only an action that was saved counts (a refusal says why, on screen).
            seconds = timer.time_key(key, saved_after(len(events)))
            if seconds is not None:
                times.actions.append(seconds)
            app.linger(0.05)  # a person does not type faster than this
    finally:
        app.close()
    return times


def saved_after(count: int) -> re.Pattern[bytes]:
    """The header's "saved #N" of the next event, or the one after (crossing the point of
    no return is two)."""
    return re.compile(rb"saved #(%d|%d)\b" % (count + 1, count + 2))


def bench_keys_baseline(presses: int, folder: Path, rows: int) -> KeyTimes:
    """The same for the baseline app (`rows` rows): its arrows move the table's cursor;
    its space changes a row and the header's "saved #N"."""
    app = PtyApp([*baseline_argv(), str(rows)], folder)
    times = KeyTimes([], [])
    try:
        app.wait_for(lambda text: FIRST_FRAME_TEXT in text and "saved #2" in text)
        app.settle(0.3)
        timer = KeyTimer(app, ticks=False)
        for key in arrow_keys(presses):
            times.arrows.append(timer.time_key(key) or 0.0)
        for number in range(3, presses + 3):
            seconds = timer.time_key(b" ", re.compile(rb"saved #%d\b" % number))
            assert seconds is not None, "the baseline app refuses nothing"
            times.actions.append(seconds)
    finally:
        app.close()
    return times


def bench_handler(runbook_path: Path, journal: Path, presses: int) -> list[float]:
    """Seconds the cockpit screen spends on an action: `Session.execute` (decide, durable
    append, evolve) and `refresh_view` (every panel rebuilt), under Pilot."""
    from cockpit.tui.app import CockpitApp
    from cockpit.tui.screens.cockpit_screen import CockpitScreen
    from cockpit.tui.screens.modals import AskText, Confirm
    from tests.test_crash_cockpit import next_action

    runbook, card = load_runbook(runbook_path), load_contact_card(UCAAS_CARD)
    clock = ManualClock(datetime.now(UTC))
    session = Session.open(journal, runbook, card, clock, mode="rehearsal", operator="bench")
    app = CockpitApp(session)
    handler: list[float] = []
    real_run_command = CockpitScreen.run_command

    def timed_run_command(self: CockpitScreen, command: cmd.Command) -> Any:
        started = time.perf_counter()
        try:
            return real_run_command(self, command)
        finally:
            handler.append(time.perf_counter() - started)

    CockpitScreen.run_command = timed_run_command  # type: ignore[method-assign]
    rng = random.Random(3)

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            for _ in range(presses):
                action = next_action(session.state, rng)
                await pilot.press({"Space": "space"}.get(action.key, action.key))
                if action.dialog:
                    await pilot.pause()
                    if isinstance(app.screen, AskText):
                        await pilot.press(*action.text, "enter")
                    elif isinstance(app.screen, Confirm):
                        await pilot.press("y")
                clock.advance(seconds=20)
            await pilot.press("ctrl+q")

    try:
        asyncio.run(scenario())
    finally:
        CockpitScreen.run_command = real_run_command  # type: ignore[method-assign]
        session.close()
    return handler


def cpu_model() -> str:
    """The processor's name, from /proc/cpuinfo where there is one."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return "?"


# ---- the table -------------------------------------------------------------------------------


@dataclass
class Row:
    what: str
    ours: str
    baseline: str = ""
    ratio: float | None = None
    goal: str = ""
    met: bool | None = None


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def print_table(rows: list[Row]) -> None:
    headers = ("measure", "cockpit", "baseline", "ratio", "goal", "")
    cells = [
        (
            r.what,
            r.ours,
            r.baseline,
            f"{r.ratio:.2f}×" if r.ratio is not None else "",
            r.goal,
            "" if r.met is None else ("ok" if r.met else "MISSED"),
        )
        for r in rows
    ]
    widths = [max(len(str(c[i])) for c in [headers, *cells]) for i in range(len(headers))]
    line = " | ".join("-" * w for w in widths)
    print("| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)) + " |")
    print("| " + line + " |")
    for row in cells:
        print("| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) + " |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats and samples")
    parser.add_argument(
        "--only", nargs="*", help="sections: frame, resume, resume100k, append, fold, debrief, "
        "replay, big, keys, memory"
    )  # fmt: skip
    args = parser.parse_args(argv)
    repeats = 3 if args.quick else 9
    wanted = set(args.only or ["frame", "resume", "resume100k", "append", "fold", "debrief",
                               "replay", "big", "keys", "memory"])  # fmt: skip

    # A wheel is byte-compiled when pip installs it; a checkout is compiled on first import
    # unless PYTHONDONTWRITEBYTECODE is set, when every process would compile every module
    # again. Measure what a user runs: the compiled package.
    compileall.compile_dir(REPO / "cockpit", quiet=1)
    print("Cutover Cockpit — cockpit benchmark" + (" (quick)" if args.quick else ""))
    print("\n".join(machine()))
    print(f"cpu        {cpu_model()} · load average {os.getloadavg()[0]:.2f} at the start")
    print(f"terminal   {SIZE[0]}×{SIZE[1]} pseudo-terminal, read with pyte")
    print()
    rows_: list[Row] = []
    runbook, card = load_runbook(UCAAS), load_contact_card(UCAAS_CARD)
    with tempfile.TemporaryDirectory(prefix="cockpit-bench-") as name:
        folder = Path(name)
        say = lambda text: print(f"… {text}", file=sys.stderr, flush=True)  # noqa: E731

        def frame_row(what: str, ours: list[float], base: list[float], goal: float) -> Row:
            o, b = statistics.median(ours), statistics.median(base)
            return Row(what, ms(o), ms(b), o / b, f"≤ {goal}×", o / b <= goal)

        def floor_row(runbook: str, frames: FirstFrames) -> Row:
            """The floor: the baseline app after the cockpit's core and the runbook load.
            What no cockpit start can skip, against the same baseline; its ratio is the
            least the cockpit's own can be."""
            f, b = statistics.median(frames.floor), statistics.median(frames.base)
            return Row(f"  floor: baseline + cockpit core + {runbook}", ms(f), ms(b), f / b)

        base_frames: list[float] = []
        if "frame" in wanted:
            say("first frame, new rehearsal on the UCaaS runbook")

            def fresh(run: int) -> list[str]:
                return cockpit_argv("ucaas-port-smb", folder / f"new-{run}.journal", "--rehearsal")

            frames = first_frames(fresh, repeats, folder, floor=UCAAS)
            base_frames += frames.base
            rows_.append(
                frame_row(
                    "first frame: UCaaS runbook, new rehearsal", frames.ours, frames.base, 1.5
                )
            )
            rows_.append(floor_row("UCaaS runbook", frames))

        night100k = folder / "night-100k.journal"
        # Resuming a long night: 10,000 events (the goal), 100,000 (measured).
        for section, events, goal in (("resume", 10_000, 1.7), ("resume100k", 100_000, None)):
            if section not in wanted:
                continue
            night = folder / f"night-{events // 1000}k.journal"
            say(f"building a {events:,}-event journal")
            build_night(night, runbook, card, events, UCAAS)

            def resume(run: int, night: Path = night, events: int = events) -> list[str]:
                copy = folder / f"resume-{events}-{run}.journal"
                shutil.copyfile(night, copy)
                return cockpit_argv("ucaas-port-smb", copy)

            say(f"first frame, resuming {events:,} events")
            frames = first_frames(resume, repeats, folder)
            base_frames += frames.base
            label = f"first frame: resume a {events:,}-event journal"
            if goal is not None:
                rows_.append(frame_row(label, frames.ours, frames.base, goal))
            else:
                o, b = statistics.median(frames.ours), statistics.median(frames.base)
                rows_.append(Row(label, ms(o), ms(b), o / b))

        if "append" in wanted:
            say("action to durable append")
            ours, raw = bench_append(folder, 300 if args.quick else 2000)
            p99 = percentile(ours, 0.99) / percentile(raw, 0.99)
            rows_.append(
                Row(
                    "action → durable append, p50",
                    ms(percentile(ours, 0.5)),
                    ms(percentile(raw, 0.5)),
                    percentile(ours, 0.5) / percentile(raw, 0.5),
                )
            )
            rows_.append(
                Row(
                    "action → durable append, p99",
                    ms(percentile(ours, 0.99)),
                    ms(percentile(raw, 0.99)),
                    p99,
                    "≤ 2×",
                    p99 <= 2,
                )
            )

        if wanted & {"fold", "debrief", "replay"} and not night100k.exists():
            say("building a 100,000-event journal")
            build_night(night100k, runbook, card, 100_000, UCAAS)
        if "fold" in wanted:
            started = time.perf_counter()
            events = read_events(night100k)
            read_s = time.perf_counter() - started
            started = time.perf_counter()
            state = fold(events)
            fold_s = time.perf_counter() - started
            assert state.last_seq == 100_000
            rows_.append(Row("fold 100,000 events", ms(fold_s), goal="≤ 0.5 s", met=fold_s <= 0.5))
            rows_.append(Row("read + chain-check + parse 100,000 events", ms(read_s)))
            del events, state
        if "debrief" in wanted:
            say("debrief of 100,000 events")
            out = folder / "debrief.md"
            inside = min(cli_seconds("debrief", str(night100k), "-o", str(out)) for _ in range(2))
            whole = process_seconds("debrief", str(night100k), "-o", str(out))
            rows_.append(
                Row(
                    "debrief 100,000 events (in process)", ms(inside), goal="≤ 2 s", met=inside <= 2
                )
            )
            rows_.append(
                Row(
                    "debrief 100,000 events (whole command)",
                    ms(whole),
                    goal="≤ 2 s",
                    met=whole <= 2,
                )
            )
        if "replay" in wanted:
            say("replay scrubbing over 100,000 events")
            loaded, built, jumps = bench_replay(night100k, 100 if args.quick else 300)
            rows_.append(Row("replay: load trusted 100,000 events", ms(loaded)))
            rows_.append(Row("replay: build (states cached every 2,000)", ms(built)))
            p95 = percentile(jumps, 0.95)
            rows_.append(
                Row(
                    "replay: random seek, p50 / p95 / max",
                    f"{ms(percentile(jumps, 0.5))} / {ms(p95)} / {ms(max(jumps))}",
                    goal="p95 ≤ 50 ms",
                    met=p95 <= 0.05,
                )
            )

        big = big_runbook(folder, 1000) if wanted & {"big", "keys", "memory"} else None

        if "big" in wanted and big is not None:
            say("first frame, 1,000-step runbook")

            def thousand(run: int) -> list[str]:
                return cockpit_argv(big, folder / f"big-{run}.journal", "--rehearsal")

            frames = first_frames(thousand, repeats, folder, floor=big)
            rows_.append(
                frame_row("first frame: 1,000-step runbook", frames.ours, frames.base, 2.0)
            )
            rows_.append(floor_row("1,000-step runbook", frames))
        if "keys" in wanted:
            presses = 30 if args.quick else 60
            rounds = 3 if args.quick else 5
            plans = [("13 steps", UCAAS, 13), ("1,000 steps", big, 1000)]
            # Per plan and kind: each round's cockpit and baseline p50/p95, one run each,
            # interleaved round for round.
            ours: dict[tuple[str, str], list[tuple[float, float]]] = {}
            base: dict[tuple[str, str], list[tuple[float, float]]] = {}
            handlers: dict[str, list[float]] = {}
            for round_number in range(rounds):
                for label, plan, rows in plans:
                    if plan is None:
                        continue
                    say(f"key presses, round {round_number + 1}/{rounds}, {label}")
                    journal = folder / f"keys-{rows}-{round_number}.journal"
                    theirs = bench_keys_baseline(presses, folder, rows)
                    mine = bench_keys_pty(plan, journal, presses, folder)
                    for kind in ("arrows", "actions"):
                        for store, times in ((ours, mine), (base, theirs)):
                            samples = getattr(times, kind)
                            store.setdefault((label, kind), []).append(
                                (percentile(samples, 0.5), percentile(samples, 0.95))
                            )
            for label, plan, _ in plans:
                if plan is None:
                    continue
                say(f"key handler under Pilot, {label}")
                handlers[label] = bench_handler(
                    plan, folder / f"handler-{label[:5]}.journal", presses
                )
            for label, plan, _ in plans:
                if plan is None:
                    continue
                for kind in ("arrows", "actions"):
                    o50 = statistics.median(p50 for p50, _ in ours[(label, kind)])
                    o95 = statistics.median(p95 for _, p95 in ours[(label, kind)])
                    b50 = statistics.median(p50 for p50, _ in base[(label, kind)])
                    b95 = statistics.median(p95 for _, p95 in base[(label, kind)])
                    rows_.append(
                        Row(
                            f"key → screen redrawn, {kind}, {label}, p50 / p95",
                            f"{ms(o50)} / {ms(o95)}",
                            f"{ms(b50)} / {ms(b95)}",
                            o95 / b95,
                            "p95 ≤ 2×",
                            o95 / b95 <= 2,
                        )
                    )
                handler = handlers[label]
                rows_.append(
                    Row(
                        f"  of which execute + refresh_view ({label}), p50 / p95",
                        f"{ms(percentile(handler, 0.5))} / {ms(percentile(handler, 0.95))}",
                    )
                )
        if "memory" in wanted and big is not None:
            say("building a 100,000-event journal on the 1,000-step runbook")
            night_big = folder / "night-big.journal"
            build_night(night_big, load_runbook(big), card, 100_000, big)
            say("peak memory")
            run = in_pty(cockpit_argv(big, night_big), cwd=folder, keys=b"  a", linger=2.0)
            base_run = in_pty(baseline_argv(), cwd=folder, keys=b"  ", linger=2.0)
            rows_.append(
                Row(
                    "peak memory: 1,000 steps + 100,000 events (peak RSS)",
                    f"{run.max_rss_mb:.0f} MB",
                    f"{base_run.max_rss_mb:.0f} MB",
                    run.max_rss_mb / base_run.max_rss_mb,
                    "≤ 150 MB",
                    run.max_rss_mb <= 150,
                )
            )
            rows_.append(Row("first frame: 1,000 steps resuming 100,000 events", ms(run.seconds)))
    print()
    print_table(rows_)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
