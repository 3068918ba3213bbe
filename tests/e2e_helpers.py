"""End-to-end harness: the real `cockpit` command in a real terminal (tmux).

Every app runs in its own tmux server (a unique `-L` socket), detached, at a fixed size.
The pane runs a small `sh` that starts the command and writes down its exit code; the
command's own pid (found as the shell's child, by a marker unique to its command line) is
what a test SIGKILLs. The pane stays on screen after the command exits (`remain-on-exit`),
so a traceback or a farewell message can still be read.

Textual draws on the terminal through stderr: nothing here redirects the app's output.

Waits poll the screen until a condition holds or a timeout passes; a timeout fails the test
with the last screen attached, so a failure shows what the engineer would have seen.
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
#: The bundled example the end-to-end tests run.
UCAAS_RUNBOOK = REPO / "runbooks" / "ucaas-port-smb.toml"
#: The operator name every e2e cockpit runs as.
OPERATOR = "dana"

TMUX = shutil.which("tmux")
needs_tmux = pytest.mark.skipif(TMUX is None, reason="tmux is not installed")


def cockpit_argv(*args: str | os.PathLike[str]) -> list[str]:
    """The command line that runs `cockpit ARGS` from this checkout: `python -m cockpit`
    with this interpreter, so the code under test runs (not whatever is first on PATH)."""
    return [sys.executable, "-m", "cockpit", *(str(arg) for arg in args)]


def run_argv(
    journal: Path,
    runbook: Path | str = UCAAS_RUNBOOK,
    *,
    rehearsal: bool = True,
    operator: str = OPERATOR,
) -> list[str]:
    """`cockpit run RUNBOOK --journal JOURNAL --operator dana [--rehearsal]`."""
    args: list[str | os.PathLike[str]] = ["run", runbook, "--journal", journal]
    if rehearsal:
        args.append("--rehearsal")
    args += ["--operator", operator]
    return cockpit_argv(*args)


def clean_env() -> dict[str, str]:
    """The environment for the tmux server: no size overrides, no outer tmux."""
    env = dict(os.environ)
    for name in ("COLUMNS", "LINES", "TMUX", "TMUX_PANE", "NO_COLOR", "TEXTUAL"):
        env.pop(name, None)
    env["PYTHONPATH"] = os.pathsep.join(
        part for part in (str(REPO), env.get("PYTHONPATH", "")) if part
    )
    return env


class ScreenTimeout(AssertionError):
    """A wait on the screen timed out; the message carries the last screen."""


class TmuxApp:
    """One command running full-screen in its own detached tmux server."""

    def __init__(
        self,
        argv: Sequence[str],
        workdir: Path,
        *,
        width: int = 120,
        height: int = 40,
        marker: str | None = None,
    ) -> None:
        assert TMUX is not None, "tmux is not installed"
        self.argv = list(argv)
        self.workdir = workdir
        self.width = width
        self.height = height
        #: A string unique to this app's command line (e.g. its journal path), to find it.
        self.marker = marker
        self.socket = f"cockpit-e2e-{os.getpid()}-{uuid.uuid4().hex[:10]}"
        self.conf = workdir / f".{self.socket}.tmux.conf"
        #: Where the pane's shell writes the command's exit code once it ends.
        self.status_file = workdir / f".{self.socket}.status"
        self._pid: int | None = None
        self._started = False
        self._socket_path = ""

    # ---- tmux ------------------------------------------------------------------------

    def tmux(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run a tmux command against this app's server."""
        assert TMUX is not None
        return subprocess.run(
            [TMUX, "-L", self.socket, "-f", str(self.conf), *args],
            capture_output=True,
            text=True,
            check=check,
            timeout=10,
            env=clean_env(),
        )

    def start(self) -> TmuxApp:
        """Start the server, a detached session of the given size, and the command in it."""
        # status off: the app gets every row; remain-on-exit: the last screen stays readable;
        # escape-time 0: an escape key is passed on at once.
        self.conf.write_text(
            "set -g status off\nset -g remain-on-exit on\nset -s escape-time 0\n"
            "set -g history-limit 2000\n",
            encoding="utf-8",
        )
        self._started = True
        # `sh` runs the command and records its exit code (tmux's own #{pane_dead_status}
        # is not always filled in); the command keeps the terminal to itself.
        record = f'"$@"; echo "$?" > {shlex.quote(str(self.status_file))}'
        self.tmux(
            "new-session", "-d", "-s", "main", "-x", str(self.width), "-y", str(self.height),
            "-c", str(self.workdir), "sh", "-c", record, "sh", *self.argv,
        )  # fmt: skip
        self._socket_path = self.pane("#{socket_path}")
        return self

    def close(self) -> None:
        """Kill the tmux server (and with it the app, if it still runs)."""
        if not self._started:
            return
        self._started = False
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            self.tmux("kill-server", check=False)
        pid = self._pid
        if pid is not None and _alive(pid):
            with contextlib.suppress(OSError):
                os.kill(pid, 9)
        # A killed server may leave its socket file behind.
        leftovers = [self.conf, self.status_file]
        if self._socket_path:
            leftovers.append(Path(self._socket_path))
        for path in leftovers:
            with contextlib.suppress(OSError):
                path.unlink()

    def __enter__(self) -> TmuxApp:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- the process -----------------------------------------------------------------

    def pane(self, fmt: str) -> str:
        """A pane variable, e.g. `#{pane_pid}`."""
        return self.tmux("display-message", "-p", "-t", "main", fmt).stdout.strip()

    @property
    def pid(self) -> int:
        """The command's process id (a child of the pane's recording shell)."""
        if self._pid is not None:
            return self._pid
        shell = self.pane("#{pane_pid}")
        deadline = time.monotonic() + 5
        while True:
            found = subprocess.run(
                ["pgrep", "-P", shell], capture_output=True, text=True, check=False
            ).stdout.split()
            children = [int(pid) for pid in found]
            if self.marker is not None:
                children = [pid for pid in children if self.marker in _cmdline(pid)]
            if len(children) == 1:
                self._pid = children[0]
                return self._pid
            if time.monotonic() > deadline:
                raise AssertionError(f"cannot tell the command's pid: {children}")
            time.sleep(0.05)

    def exit_status(self) -> str:
        """The command's exit code ('0', '2', '137' after SIGKILL), or '' while it runs."""
        try:
            return self.status_file.read_text(encoding="ascii").strip()
        except FileNotFoundError:
            return ""

    def is_running(self) -> bool:
        """Whether the command still runs."""
        return not self.exit_status()

    def wait_exit(self, timeout: float = 10) -> str:
        """Wait until the command ended; returns its exit code (see `exit_status`)."""
        deadline = time.monotonic() + timeout
        while not (status := self.exit_status()):
            if time.monotonic() > deadline:
                raise ScreenTimeout(f"still running after {timeout}s:\n{self.capture()}")
            time.sleep(0.05)
        return status

    # ---- keys and screen ---------------------------------------------------------------

    def send_keys(self, *keys: str) -> None:
        """tmux key names: 'Space', 'Enter', 'Escape', 'g', 'C-q'..."""
        self.tmux("send-keys", "-t", "main", *keys)

    def type_text(self, text: str) -> None:
        """Type `text` literally."""
        self.tmux("send-keys", "-t", "main", "-l", text)

    def capture(self, *, history: bool = False) -> str:
        """The visible screen, as text (trailing blanks trimmed per line); with `history`,
        the lines scrolled off the top too (what a program printed as it exited)."""
        scrollback = ("-S", "-") if history else ()
        return self.tmux("capture-pane", "-p", *scrollback, "-t", "main").stdout

    def lines(self) -> list[str]:
        """The screen's lines, padded to the full width."""
        return [line.ljust(self.width) for line in self.capture().split("\n")]

    def wait_until(
        self,
        predicate: Callable[[str], object],
        timeout: float = 10,
        what: str = "the condition",
        interval: float = 0.05,
    ) -> str:
        """Poll the screen until `predicate(screen)` is truthy; returns that screen."""
        deadline = time.monotonic() + timeout
        screen = ""
        while True:
            screen = self.capture()
            if predicate(screen):
                return screen
            if time.monotonic() > deadline:
                dead = "" if self.is_running() else f" (the app exited: {self.exit_status()})"
                raise ScreenTimeout(
                    f"waited {timeout}s for {what}{dead}; the screen shows:\n{screen}"
                )
            time.sleep(interval)

    def wait_for(self, *texts: str, timeout: float = 10) -> str:
        """Wait until every one of `texts` is on the screen at once."""
        return self.wait_until(
            lambda screen: all(text in screen for text in texts),
            timeout,
            what=" and ".join(repr(t) for t in texts),
        )

    def wait_for_regex(self, pattern: str, timeout: float = 10) -> re.Match[str]:
        """Wait until `pattern` matches the screen; returns the match."""
        compiled = re.compile(pattern)
        screen = self.wait_until(lambda s: compiled.search(s), timeout, what=f"/{pattern}/")
        match = compiled.search(screen)
        assert match is not None
        return match


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class TmuxApps:
    """Starts apps for one test and kills every tmux server it started, whatever happens."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.apps: list[TmuxApp] = []

    def start(
        self,
        argv: Sequence[str],
        *,
        width: int = 120,
        height: int = 40,
        marker: str | None = None,
    ) -> TmuxApp:
        """Start `argv` in a new tmux server."""
        app = TmuxApp(argv, self.workdir, width=width, height=height, marker=marker)
        self.apps.append(app)
        return app.start()

    def close(self) -> None:
        """Kill every server."""
        for app in self.apps:
            app.close()


@contextlib.contextmanager
def tmux_apps_in(workdir: Path) -> Iterator[TmuxApps]:
    """Start cockpits in tmux for one test; every tmux server is killed afterwards, whatever
    happens. Test modules wrap it in their `tmux_apps` fixture::

        @pytest.fixture
        def tmux_apps(tmp_path):
            with tmux_apps_in(tmp_path) as apps:
                yield apps
    """
    if TMUX is None:
        pytest.skip("tmux is not installed")
    apps = TmuxApps(workdir)
    try:
        yield apps
    finally:
        apps.close()


# ---- reading the screen ------------------------------------------------------------------

SAVED_RE = re.compile(r"saved #(\d+)")
EVENT_RE = re.compile(r"event #(\d+)")


def saved_seq(screen: str) -> int | None:
    """The header's 'saved #N' (the last event known to be on disk), or None."""
    match = SAVED_RE.search(screen)
    return int(match.group(1)) if match else None


def event_seq(screen: str) -> int | None:
    """A follower header's 'event #N', or None."""
    match = EVENT_RE.search(screen)
    return int(match.group(1)) if match else None


def _digit_glyphs() -> dict[tuple[str, str, str], str]:
    """Textual's 3x3 digit glyphs (regular and bold) → the character they draw."""
    from textual.renderables import digits as font

    glyphs: dict[tuple[str, str, str], str] = {}
    for table in (font.DIGITS3X3, font.DIGITS3X3_BOLD):
        for index, char in enumerate(font.DIGITS):
            rows = tuple(table[index * 3 + row].ljust(3) for row in range(3))
            glyphs.setdefault(rows, char)  # type: ignore[arg-type]
    return glyphs


def read_digits(rows: Sequence[str]) -> str:
    """Decode text drawn by Textual's `Digits` widget (three rows of 3-column glyphs).

    Reads from the first column of `rows` until a cell that is not a glyph of the digit
    font; leading and trailing blanks are dropped.
    """
    glyphs = _digit_glyphs()
    width = max(map(len, rows))
    top, middle, bottom = (row.ljust(width) for row in rows)
    text = ""
    for column in range(0, width - 2, 3):
        cell = (top[column : column + 3], middle[column : column + 3], bottom[column : column + 3])
        char = glyphs.get(cell)
        if char is None:
            break
        text += char
    return text.strip()


CLOCK_RE = re.compile(r"-?\d{2}:\d{2}")


def escalation_clock(lines: Sequence[str], heading: str) -> str:
    """The large MM:SS drawn in `Digits` under the escalation timer's `heading`.

    Looks at the three rows below the line holding `heading` and returns the first place
    where they decode to a countdown such as '29:56' (or '-01:05' when overdue).
    """
    for number, line in enumerate(lines):
        if heading in line:
            rows = [row.ljust(len(line)) for row in lines[number + 1 : number + 4]]
            for offset in range(len(line)):
                text = read_digits([row[offset:] for row in rows])
                if CLOCK_RE.fullmatch(text):
                    return text
            raise AssertionError(
                "no countdown under the escalation heading:\n"
                + "\n".join(lines[number : number + 4])
            )
    raise AssertionError(f"{heading!r} is not on the screen:\n" + "\n".join(lines))


def countdown_shown(screen: str, heading: str) -> int | None:
    """Seconds on the escalation countdown, or None while it is not (yet) drawn.

    The heading and the large digits can land in different frames (the digits need a
    layout pass when they appear), so callers poll with this rather than read once.
    """
    try:
        return clock_seconds(escalation_clock(screen.split("\n"), heading))
    except AssertionError:
        return None


def clock_seconds(clock: str) -> int:
    """'29:56' → 1796 seconds ('-01:05' → -65)."""
    sign = -1 if clock.startswith("-") else 1
    minutes, seconds = clock.lstrip("-").split(":")
    return sign * (int(minutes) * 60 + int(seconds))
