"""Issue 12's proof, end to end: a night on the mini runbook in a real terminal (tmux).

The real `cockpit run` (a rehearsal, so the plan starts now) is driven by keys only: it
ticks verify items, is not fooled by a double tap, reopens a step through the command
palette (and takes a tick back), holds at the gate with the escalation countdown running,
goes, crosses the point of no return, declares complete, and marks the messages sent
(the window-start one and, after the end, the completion one). Then `cockpit log` and
`cockpit debrief` are run on the journal: the debrief walks every verify item with its tick,
shows the corrections with their reasons, and calls no message NEVER SENT.

Every key waits for its result on screen (and for the header's 'saved #N' to move on when
the key writes); nothing sleeps a fixed time.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from cockpit.journal.verify import verify_journal
from tests.e2e_helpers import (
    TmuxApp,
    TmuxApps,
    clean_env,
    clock_seconds,
    cockpit_argv,
    countdown_shown,
    escalation_clock,
    run_argv,
    saved_seq,
    tmux_apps_in,
)

pytestmark = pytest.mark.slow  # the tmux fixture skips when tmux is missing

MINI = Path(__file__).parent / "fixtures" / "mini.toml"
OPERATOR = "dana"
#: The mini card's on-call senior: the escalation pane's heading while on hold.
ESCALATION_HEADING = "call Sam Senior in"

#: Every step's verify items, in the plan's order (mini.toml).
VERIFY = {
    "Prepare": ["Prepared"],
    "Snapshot config": ["Snapshot saved"],
    "Switch over": ["Traffic on new system"],
    "Test calls": ["Inbound works", "Outbound works"],
}
VERIFICATION = ["Main number rings", "Voicemail works"]

REOPEN_WHY = "snapshot file was empty"
UNTICK_WHY = "looked at the wrong file"
HOLD_WHY = "carrier not on the bridge yet"
ANYWAY_WHY = "customer checks voicemail at eight"

HHMM = r"\d\d:\d\d"


@pytest.fixture
def tmux_apps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TmuxApps]:
    """Cockpits in tmux; their tmux servers are killed after the test."""
    # The mini card names a secret; given in the environment, the cockpit does not warn
    # about a missing keyring (a 20 s notice over the bottom panes).
    monkeypatch.setenv("COCKPIT_SECRET_CARRIER_PIN", "2468")
    with tmux_apps_in(tmp_path) as apps:
        yield apps


class Night:
    """The cockpit in tmux, with the last 'saved #N' seen: a key that writes is done when
    the header's number moved past it and the screen shows what the key should do."""

    def __init__(self, app: TmuxApp) -> None:
        self.app = app
        self.saved = 0

    def wait(self, *patterns: str, timeout: float = 10) -> str:
        """Wait until every regex in `patterns` matches one screen."""
        compiled = [re.compile(pattern) for pattern in patterns]
        return self.app.wait_until(
            lambda screen: all(pattern.search(screen) for pattern in compiled),
            timeout,
            what=" and ".join(f"/{pattern}/" for pattern in patterns),
        )

    def wrote(self, *patterns: str, timeout: float = 10) -> str:
        """Wait until something new is saved and every regex in `patterns` matches."""
        before = self.saved
        screen = self.app.wait_until(
            lambda s: (
                (saved_seq(s) or 0) > before and all(re.search(pattern, s) for pattern in patterns)
            ),
            timeout,
            what=f"a save after #{before} with {patterns!r}",
        )
        self.saved = saved_seq(screen) or 0
        return screen

    def key(self, *keys: str) -> None:
        self.app.send_keys(*keys)

    def type(self, text: str) -> None:
        self.app.type_text(text)

    def answer(self, text: str) -> None:
        """Type the answer of a text dialog and save it — Enter only once the words are in
        the field: a dialog drawn before its field has the focus would otherwise lose them
        (a loaded machine, the way a tired DE types before the box is ready)."""
        self.type(text)
        self.wait(re.escape(text[:20]))
        self.key("Enter")

    def unchanged(self) -> None:
        """Nothing was written since the last save."""
        screen = self.app.capture()
        assert saved_seq(screen) == self.saved, screen

    def complete(self, title: str) -> str:
        """Space on the running step, every item ticked: it completes — through the
        double-tap question when space comes within 3 s of the start (answered yes)."""
        self.key("Space")
        done = re.compile(rf"✔ done\s+{re.escape(title)}")
        asked = f"Complete '{title}' already?"
        screen = self.app.wait_until(
            lambda s: asked in s or (done.search(s) and (saved_seq(s) or 0) > self.saved),
            what=f"'{title}' completed (or the double-tap question)",
        )
        if asked in screen:
            self.key("y")
        return self.wrote(done.pattern)


def ticked(item: str) -> str:
    """A ticked item on the step panel: its box, the time and who ticked it."""
    return rf"☑ {re.escape(item)}\s+{HHMM} {OPERATOR}"


def unticked(number: int, item: str) -> str:
    return rf"\b{number}\s+☐ {re.escape(item)}"


def running(title: str) -> str:
    return rf"▶ running\s+{re.escape(title)}"


def run_cli(*args: str | Path, cwd: Path) -> str:
    result = subprocess.run(
        cockpit_argv(*args),
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        env=clean_env(),
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Traceback" not in output, output
    return result.stdout


def section(markdown: str, heading: str) -> str:
    """The body of the Markdown section whose heading line starts with `heading` (up to
    the next heading of the same or a higher level)."""
    lines = markdown.split("\n")
    for number, line in enumerate(lines):
        if line.startswith(heading):
            level = len(line) - len(line.lstrip("#"))
            body: list[str] = []
            for following in lines[number + 1 :]:
                hashes = len(following) - len(following.lstrip("#"))
                if hashes and hashes <= level and following[hashes : hashes + 1] == " ":
                    break
                body.append(following)
            return "\n".join(body)
    raise AssertionError(f"no section {heading!r} in the debrief:\n{markdown}")


def line_with(text: str, body: str) -> str:
    """The one line of `body` that names `text`."""
    found = [line for line in body.split("\n") if text in line]
    assert found, f"{text!r} is not in:\n{body}"
    return found[0]


def test_checklist_night_end_to_end(tmux_apps: TmuxApps, tmp_path: Path) -> None:
    journal = tmp_path / "night.journal"
    # 200 columns: the notices in the corner stay clear of the escalation countdown.
    app = tmux_apps.start(
        run_argv(journal, MINI, operator=OPERATOR), marker=str(journal), width=200, height=50
    )
    night = Night(app)
    first = night.wait("REHEARSAL", r"saved #2\b", r"✉ 1 due: start\b", timeout=20)
    night.saved = 2
    assert "Traceback" not in first, first

    # The window-start message fires at the rehearsal's start: mark it sent.
    night.key("m")
    night.wrote("Prepare")
    night.wait(r"(?s)^(?!.*✉ 1 due)")  # no longer due

    # ---- Prepare: a double tap on space does not complete it with its item unticked ----
    night.key("Space")
    night.wrote(running("Prepare"), unticked(1, "Prepared"))
    night.key("Space")
    night.wait("Items not ticked", r"1 of 1 not ticked", r"Complete it anyway \(y\)")
    night.key("Escape")
    night.wait(running("Prepare"), r"(?s)^(?!.*Items not ticked)")
    night.unchanged()

    # Tick it: the box, the time and who.
    night.key("1")
    night.wrote(ticked("Prepared"), "all ticked")
    # Ticked, space completes it: the tick between the two presses is work, not a tap.
    night.complete("Prepare")

    # ---- Snapshot config: done, then reopened through the palette, a tick taken back ----
    night.key("Space")
    night.wrote(running("Snapshot config"))
    night.key("1")
    night.wrote(ticked("Snapshot saved"))
    night.complete("Snapshot config")
    night.wait("Go / no-go · Go for switch")

    night.key("C-p")
    night.wait("Search for commands")
    night.type("reopen")
    night.wait(r"step: reopen a step finished by mistake \(correction\)")
    night.key("Enter")
    night.wait("Reopen 'Snapshot config'?", "running again", "Why?")
    night.answer(REOPEN_WHY)
    night.wrote(
        running("Snapshot config"), r"reopened 1× \(a correction\)", ticked("Snapshot saved")
    )

    night.key("1")  # on a ticked item: untick, asks why
    night.wait(r"Untick #1\?", rf"Ticked at {HHMM} by {OPERATOR}")
    night.answer(UNTICK_WHY)
    night.wrote(unticked(1, "Snapshot saved"))
    night.key("1")
    night.wrote(ticked("Snapshot saved"))
    night.complete("Snapshot config")

    # ---- The gate: HOLD, the countdown runs, the criteria, GO --------------------------
    night.wait("Go / no-go · Go for switch", r"☐ open\s+Old system healthy")
    night.key("h")
    night.wait("HOLD on 'Go for switch'", "Why HOLD?")
    night.answer(HOLD_WHY)
    night.wrote("STOPPED", "BLOCKER", re.escape(ESCALATION_HEADING), f"HOLD by {OPERATOR}")
    screen = app.wait_until(
        lambda s: countdown_shown(s, ESCALATION_HEADING) is not None,
        what="the escalation countdown's large digits",
    )
    first_shown = clock_seconds(escalation_clock(screen.split("\n"), ESCALATION_HEADING))
    assert 29 * 60 <= first_shown <= 30 * 60, screen
    app.wait_until(
        lambda s: (countdown_shown(s, ESCALATION_HEADING) or first_shown) <= first_shown - 2,
        timeout=6,
        what="the countdown to run 2 s while on hold",
    )
    assert "STOPPED" in app.capture()

    night.key("1")
    night.wrote(r"1\s+✔ met\s+Old system healthy")
    night.key("2")
    night.wrote(r"2\s+✔ met\s+Carrier on the bridge")
    night.key("g")
    night.wrote(rf"GO {HHMM} by {OPERATOR}", "no open blocker", r"(?s)^(?!.*STOPPED)")

    # ---- Switch over: the point of no return -------------------------------------------
    night.key("Space")
    night.wait("Cross the point of no return?", r"Cross it \(y\)")
    night.key("y")
    night.wrote(
        rf"POINT OF NO RETURN crossed {HHMM}", running("Switch over"), "Past the point of no return"
    )
    night.key("1")
    night.wrote(ticked("Traffic on new system"))
    night.complete("Switch over")

    # ---- Test calls: a double tap with both items unticked is caught too ----------------
    night.key("Space")
    night.wrote(running("Test calls"))
    night.key("Space")
    night.wait("Items not ticked", "2 of 2 not ticked")
    night.key("Escape")
    night.wait(running("Test calls"), r"(?s)^(?!.*Items not ticked)")
    night.unchanged()
    night.key("1")
    night.wrote(ticked("Inbound works"))
    night.key("2")
    night.wrote(ticked("Outbound works"), "all ticked")
    night.complete("Test calls")

    # ---- No step left: verification, declare complete with one item unticked ------------
    night.wait("No step left", "Post-cutover verification", unticked(1, "Main number rings"))
    night.key("1")
    night.wrote(ticked("Main number rings"))
    night.key("Space")
    night.wait("Declare the cutover complete?", r"Declare complete \(y\)")
    night.key("y")
    night.wait("Items not ticked", "post-cutover verification: 1 of 2 not ticked")
    night.key("y")
    night.wait("Declare it complete anyway: why?")
    night.answer(ANYWAY_WHY)
    night.wrote(rf"ended {HHMM}", r"✉ 1 due: done\b")

    # After the end: the completion message is due; mark it sent. The last item is ticked
    # after the end (hypercare).
    night.key("m")
    night.wrote(r"(?s)^(?!.*✉ 1 due)")
    night.key("2")
    night.wrote(ticked("Voicemail works"))

    night.key("C-q")
    assert app.wait_exit(timeout=10) == "0", app.capture(history=True)
    assert "Traceback" not in app.capture(history=True)
    assert verify_journal(journal).ok

    # ---- cockpit log: the corrections with their reasons -------------------------------
    log = run_cli("log", journal, cwd=tmp_path)
    assert re.search(rf"step_reopened .*snapshot.*{re.escape(REOPEN_WHY)}", log), log
    assert re.search(rf"item_unticked .*snapshot.*{re.escape(UNTICK_WHY)}", log), log
    assert re.search(rf"checkpoint_decided .*HOLD.*{re.escape(HOLD_WHY)}", log), log
    assert re.search(r"ponr_crossed\s+switch", log), log
    assert re.search(rf"cutover_ended .*{re.escape(ANYWAY_WHY)}", log), log
    assert re.search(r"message_sent\s+start", log), log
    assert re.search(r"message_sent\s+done", log), log

    # ---- cockpit debrief ---------------------------------------------------------------
    out = tmp_path / "debrief.md"
    run_cli("debrief", journal, "-o", out, cwd=tmp_path)
    debrief = out.read_text(encoding="utf-8")

    # Every verify item of every step, with its tick: when and by whom.
    for number, (title, items) in enumerate(VERIFY.items(), 1):
        step = section(debrief, f"### {number}. {title}")
        for item in items:
            line = line_with(item, step)
            assert "✔" in line and re.search(HHMM, line) and OPERATOR in line, (title, line)
    verification = section(debrief, "## Post-cutover verification")
    for item in VERIFICATION:
        line = line_with(item, verification)
        assert "✔" in line and re.search(HHMM, line) and OPERATOR in line, line
    assert "after the end" in line_with("Voicemail works", verification), verification
    assert ANYWAY_WHY in verification, verification

    # The corrections: the reopen and the untick, each with its reason, in the step and in
    # the corrections section.
    snapshot = section(debrief, "### 2. Snapshot config")
    assert REOPEN_WHY in snapshot, snapshot
    assert UNTICK_WHY in snapshot, snapshot
    corrections = section(debrief, "## Corrections")
    assert "reopen" in corrections.lower() and REOPEN_WHY in corrections, corrections
    assert UNTICK_WHY in corrections, corrections

    # The hold, then the go; the point of no return crossed on it.
    gate = section(debrief, "### Go for switch")
    assert re.search(rf"\*\*HOLD\*\* \| {OPERATOR} \| {re.escape(HOLD_WHY)}", gate), gate
    assert re.search(rf"\| GO \| {OPERATOR} \|", gate), gate
    assert "**Crossed:**" in section(debrief, "## Point of no return")

    # Communications: both messages that fell due were sent; the delay one never fired.
    comms = section(debrief, "## Communications")
    assert "NEVER SENT" not in debrief, comms
    for message in ("start", "done"):
        row = line_with(f"| {message} |", comms)
        assert re.search(rf"\| {HHMM} \| {HHMM} \|", row), row
    assert "did not fire" in line_with("| late |", comms), comms
