"""Offline: a whole night with the network made to fail, and nothing tries it.

Network access is cut at the socket layer: creating an internet socket (`socket.socket`
with AF_INET/AF_INET6, or any family but AF_UNIX), `socket.create_connection`,
`socket.create_server`, `socket.getaddrinfo` and `socket.gethostbyname(_ex)` raise
`OSError` — and every attempt is written down, so an attempt that the code caught and
swallowed still fails the test. (AF_UNIX socket pairs stay allowed: asyncio's event loop,
and so Textual, wakes itself through one; they never leave the machine.)

With the network cut:

* in this process: `cockpit check`, a scripted cutover through `Session` (steps, the gate,
  the point of no return, a blocker with its call, notes, share mode, to the end), the
  cockpit screen on it under Pilot (keys, the log and help screens, a note, a blocker),
  then `cockpit log`, `log --jsonl`, `verify`, `schema`, `print`, `debrief`, the replay
  load path and a follower on the journal;
* in fresh processes, where the guard is installed before anything of the cockpit is
  imported (so import-time behaviour counts too): `cockpit check`, `verify`, `log`,
  `debrief`, `print`, and the real `cockpit run` in a terminal (tmux), keys and all.

And no third-party code is handed the night's data on the side: a pydantic plugin
installed in the same environment (the kind that ships validated data to a service) is
never loaded by the cockpit, though a plain pydantic program loads it.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import os
import random
import socket
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from cockpit.cli import main as cockpit_main
from cockpit.core.clock import ManualClock
from cockpit.follow import Follower
from cockpit.model.load import load_contact_card, load_runbook
from cockpit.session import Session
from tests.crash.core_victim import next_command
from tests.e2e_helpers import REPO, TMUX, TmuxApp, clean_env, saved_seq

UCAAS = REPO / "runbooks" / "ucaas-port-smb.toml"
UCAAS_CARD = REPO / "contact_cards" / "ucaas-port-smb.toml"

#: Installs the guard in a fresh interpreter, then runs `cockpit ARGS` (argv[1:]);
#: attempts are appended, one JSON line each, to $COCKPIT_OFFLINE_LOG.
GUARD = r"""
import json, os, socket, sys

_log = os.environ["COCKPIT_OFFLINE_LOG"]
_real = socket.socket


def _tried(what, *args):
    with open(_log, "a", encoding="utf-8") as out:
        out.write(json.dumps([what, repr(args)[:200]]) + "\n")
    raise OSError(f"network disabled by the offline test: {what}")


class _Socket(_real):
    def __init__(self, family=-1, type=-1, proto=-1, fileno=None):
        fam = socket.AF_INET if family == -1 and fileno is None else family
        if fileno is None and fam != socket.AF_UNIX:
            _tried("socket.socket", family, type)
        super().__init__(family, type, proto, fileno)


socket.socket = _Socket
for _name in ("create_connection", "create_server", "getaddrinfo", "gethostbyname",
              "gethostbyname_ex", "getnameinfo"):
    setattr(socket, _name, lambda *a, _n=_name, **k: _tried("socket." + _n, *a))
"""
RUN_GUARDED = (
    GUARD
    + r"""
import runpy
sys.argv = ["cockpit", *sys.argv[1:]]
runpy.run_module("cockpit", run_name="__main__")
"""
)


class NetworkCut:
    """The in-process guard: what was attempted (should stay empty)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.attempts: list[str] = []
        real = socket.socket
        cut = self

        class GuardedSocket(real):  # type: ignore[misc, valid-type]
            def __init__(
                self, family: int = -1, type: int = -1, proto: int = -1, fileno: Any = None
            ) -> None:
                family_now = socket.AF_INET if family == -1 and fileno is None else family
                if fileno is None and family_now != socket.AF_UNIX:
                    cut.tried(f"socket.socket({family}, {type})")
                super().__init__(family, type, proto, fileno)

        monkeypatch.setattr(socket, "socket", GuardedSocket)
        for name in (
            "create_connection", "create_server", "getaddrinfo", "gethostbyname",
            "gethostbyname_ex", "getnameinfo",
        ):  # fmt: skip
            monkeypatch.setattr(socket, name, self._refuse(f"socket.{name}"))

    def tried(self, what: str) -> None:
        self.attempts.append(what)
        raise OSError(f"network disabled by the offline test: {what}")

    def _refuse(self, what: str) -> Any:
        def refuse(*args: Any, **kwargs: Any) -> Any:
            self.tried(f"{what}{args[:2]!r}")

        return refuse


@pytest.fixture
def network_cut(monkeypatch: pytest.MonkeyPatch) -> Iterator[NetworkCut]:
    cut = NetworkCut(monkeypatch)
    yield cut
    assert cut.attempts == [], f"the cockpit tried the network: {cut.attempts}"


def cli(*args: str | Path) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cockpit_main([str(arg) for arg in args])
    return code, out.getvalue() + err.getvalue()


def test_the_guard_catches_what_it_should(network_cut: NetworkCut) -> None:
    for attempt in (
        lambda: socket.create_connection(("example.com", 443), timeout=1),
        lambda: socket.getaddrinfo("example.com", 443),
        lambda: socket.socket(socket.AF_INET, socket.SOCK_STREAM),
        lambda: socket.socket(),
    ):
        with pytest.raises(OSError, match="network disabled"):
            attempt()
    assert len(network_cut.attempts) == 4
    a, b = socket.socketpair()  # local only: allowed
    a.close()
    b.close()
    network_cut.attempts.clear()


def drive_night(session: Session, clock: ManualClock, commands: int = 80) -> None:
    """Commands an engineer would give (the crash victim's choices), with time passing."""
    rng = random.Random(7)
    for _ in range(commands):
        clock.advance(minutes=rng.choice([0.5, 2, 6]))
        outcome = session.execute(next_command(session.state, rng))
        assert outcome.kind in ("saved", "refused"), outcome


def test_a_whole_night_offline_in_process(network_cut: NetworkCut, tmp_path: Path) -> None:
    journal = tmp_path / "night.journal"
    code, said = cli("check", UCAAS, "--contacts", UCAAS_CARD)
    assert code in (0, 1), said

    runbook, card = load_runbook(UCAAS), load_contact_card(UCAAS_CARD)
    clock = ManualClock(datetime.now(UTC))
    session = Session.open(journal, runbook, card, clock, mode="rehearsal", operator="dana")
    try:
        drive_night(session, clock, 40)
        from cockpit.tui.app import CockpitApp
        from cockpit.tui.screens.modals import AskText

        app = CockpitApp(session)

        async def scenario() -> None:
            async with app.run_test(size=(120, 40)) as pilot:
                await pilot.pause()
                for key in ("space", "1", "2", "g", "space", "l", "escape", "question_mark",
                            "escape", "f2", "f2", "c"):  # fmt: skip
                    await pilot.press(key)
                    await pilot.pause()
                await pilot.press("a")
                for _ in range(100):  # the dialog is up before anything is typed into it
                    await pilot.pause(0.02)
                    if isinstance(app.screen, AskText):
                        break
                await pilot.press(*"offline note")
                await pilot.press("enter")
                for _ in range(100):
                    await pilot.pause(0.02)
                    if any(note.text == "offline note" for note in session.state.notes):
                        break
                await pilot.press("ctrl+q")

        asyncio.run(scenario())
        assert any(note.text == "offline note" for note in session.state.notes)
        drive_night(session, clock, 60)
    finally:
        session.close()

    for args in (
        ("log", journal),
        ("log", journal, "--jsonl"),
        ("verify", journal),
        ("schema",),
        ("print", UCAAS, "--contacts", UCAAS_CARD, "-o", tmp_path / "paper.txt"),
        ("debrief", journal, "-o", tmp_path / "debrief.md"),
        ("debrief", journal, "-o", tmp_path / "debrief.html"),
    ):
        code, said = cli(*args)
        assert code == 0, f"cockpit {args[0]}: {said}"

    from cockpit.cli.replay import load_trusted
    from cockpit.replay import Replay

    events, notice = load_trusted(journal)
    replay = Replay(events, journal, notice=notice)
    replay.seek_index(len(events) // 2)
    follower = Follower(journal, ManualClock(events[-1].at))
    follower.close()


def guarded(args: list[str]) -> list[str]:
    """`cockpit ARGS` in a fresh interpreter with the network cut before any import."""
    return [sys.executable, "-c", RUN_GUARDED, *args]


def attempts_in(log: Path) -> list[Any]:
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]


@pytest.mark.slow
def test_fresh_cockpit_processes_never_try_the_network(tmp_path: Path) -> None:
    log = tmp_path / "attempts.jsonl"
    env = clean_env() | {"COCKPIT_OFFLINE_LOG": str(log)}
    journal = tmp_path / "night.journal"
    from tests.journal_helpers import script_cutover

    script_cutover(journal)
    for args in (
        ["check", str(UCAAS), "--contacts", str(UCAAS_CARD)],
        ["verify", str(journal)],
        ["log", str(journal)],
        ["debrief", str(journal), "-o", str(tmp_path / "debrief.md")],
        ["print", str(UCAAS), "-o", str(tmp_path / "paper.txt")],
    ):
        result = subprocess.run(
            guarded(args), capture_output=True, text=True, timeout=60, cwd=REPO, env=env
        )
        assert result.returncode in (0, 1), f"cockpit {args[0]}: {result.stderr}"
        assert "Traceback" not in result.stderr, result.stderr
    assert attempts_in(log) == []


@pytest.mark.slow
@pytest.mark.skipif(TMUX is None, reason="tmux is not installed")
def test_cockpit_run_in_a_terminal_never_tries_the_network(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "attempts.jsonl"
    journal = tmp_path / "night.journal"
    argv = guarded(
        ["run", str(UCAAS), "--journal", str(journal), "--rehearsal", "--operator", "dana"]
    )
    # The tmux server is started with this process's environment (clean_env).
    monkeypatch.setenv("COCKPIT_OFFLINE_LOG", str(log))
    app = TmuxApp(argv, tmp_path, width=120, height=40, marker=str(journal))
    try:
        app.start()
        screen = app.wait_for("REHEARSAL", "Timeline", timeout=30)
        assert saved_seq(screen) == 2, screen
        for number, key in enumerate(["Space", "1", "2"], start=3):  # start, two ticks
            app.send_keys(key)
            app.wait_for(f"saved #{number}", timeout=10)
        app.send_keys("C-q")
        assert app.wait_exit(timeout=10) == "0", app.capture(history=True)
    finally:
        app.close()
    assert attempts_in(log) == []


#: A pydantic plugin as a package would install one: an entry point in the "pydantic"
#: group. Loading it leaves a file behind, as a plugin that sends validated data away
#: would leave nothing to see.
PLUGIN_MODULE = """
from pathlib import Path
import os

Path(os.environ["PLUGIN_LOADED"]).write_text("loaded")


class Plugin:
    def new_schema_validator(self, *args, **kwargs):
        return None, None, None


plugin = Plugin()
"""


def test_a_pydantic_plugin_installed_beside_the_cockpit_is_never_loaded(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "nosy_plugin-1.0.dist-info").mkdir(parents=True)
    (site / "nosy_plugin-1.0.dist-info" / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: nosy-plugin\nVersion: 1.0\n"
    )
    (site / "nosy_plugin-1.0.dist-info" / "entry_points.txt").write_text(
        "[pydantic]\nnosy = nosy_plugin:plugin\n"
    )
    (site / "nosy_plugin.py").write_text(PLUGIN_MODULE)
    loaded = tmp_path / "loaded"
    env = clean_env() | {"PLUGIN_LOADED": str(loaded)}
    env["PYTHONPATH"] = os.pathsep.join((str(site), env["PYTHONPATH"]))
    env.pop("PYDANTIC_DISABLE_PLUGINS", None)  # as set by this process's own cockpit import

    # The fake plugin is real: a program of its own using pydantic loads it.
    model = "import pydantic\nclass M(pydantic.BaseModel):\n    x: int\nM(x=1)\n"
    subprocess.run([sys.executable, "-c", model], check=True, env=env, timeout=60)
    assert loaded.exists()
    loaded.unlink()

    # The cockpit validates a runbook, its card and a journal's events without it.
    journal = tmp_path / "night.journal"
    from tests.journal_helpers import script_cutover

    script_cutover(journal)
    for args in (
        ["check", str(UCAAS), "--contacts", str(UCAAS_CARD)],
        ["log", str(journal)],
    ):
        result = subprocess.run(
            [sys.executable, "-m", "cockpit", *args],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=REPO,
            env=env,
        )
        assert result.returncode in (0, 1), result.stderr
        assert not loaded.exists(), f"cockpit {args[0]} loaded a pydantic plugin"
