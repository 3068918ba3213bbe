"""The real `cockpit run` in a real terminal (tmux): a rehearsal killed mid-cutover resumes.

These tests drive the installed command exactly as an engineer would — keys in, screen out —
and check the journal on disk against what the screen claimed was saved.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from cockpit.journal.store import read_events
from cockpit.journal.verify import verify_journal
from tests.e2e_helpers import (
    UCAAS_RUNBOOK,
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

#: The bundled UCaaS runbook's on-call senior, who the escalation timer says to call.
ON_CALL = "Priya Natarajan"
ESCALATION_HEADING = f"call {ON_CALL} in"
BLOCKER_TEXT = "carrier NOC silent"
#: The first checkpoint (gng-preflight) has five criteria.
GATE_CRITERIA = 5

#: What the journal must hold, in order, after the keys the rehearsal test presses:
#: (event type, fields that must match).
EXPECTED_EVENTS: list[tuple[str, dict[str, object]]] = [
    ("cutover_started", {"mode": "rehearsal", "operator": "dana"}),
    ("plan_rebaselined", {}),
    *[
        event
        for step_id, items in (("preflight", 5), ("snapshot-call-flows", 2))
        for event in (
            ("step_started", {"step_id": step_id}),
            *[
                ("item_ticked", {"checklist": "step", "step_id": step_id, "index": i})
                for i in range(items)
            ],
            ("step_completed", {"step_id": step_id, "unticked": []}),
        )
    ],
    *[
        ("criterion_marked", {"checkpoint_id": "gng-preflight", "index": i, "met": True})
        for i in range(GATE_CRITERIA)
    ],
    ("checkpoint_decided", {"checkpoint_id": "gng-preflight", "decision": "go"}),
    ("step_started", {"step_id": "assign-numbers"}),
    ("blocker_raised", {"what": BLOCKER_TEXT, "step_id": "assign-numbers"}),
]


@pytest.fixture(autouse=True)
def card_secrets_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The DE's machine holds the card's secrets: no start notice about missing ones
    covers the escalation pane these tests read."""
    for name in ("CARRIER_PIN", "CARRIER_PORTAL", "CLOUDVOICE_ADMIN"):
        monkeypatch.setenv(f"COCKPIT_SECRET_{name}", "not-a-real-secret-2468")


@pytest.fixture
def tmux_apps(tmp_path: Path) -> Iterator[TmuxApps]:
    """Cockpits in tmux; their tmux servers are killed after the test."""
    with tmux_apps_in(tmp_path) as apps:
        yield apps


def step_row(status: str, title: str) -> str:
    """A regex for a timeline row: the status word, then the step's title."""
    return rf"\b{status}\s+{re.escape(title)}"


def wait_saved(app: TmuxApp, seq: int, *patterns: str, timeout: float = 10) -> str:
    """Wait until the header says 'saved #seq' (exactly) and every regex in `patterns`
    matches the same screen; returns that screen."""
    compiled = [re.compile(rf"saved #{seq}\b"), *(re.compile(p) for p in patterns)]
    return app.wait_until(
        lambda screen: all(pattern.search(screen) for pattern in compiled),
        timeout,
        what=f"'saved #{seq}' with {patterns!r}",
    )


def assert_no_traceback(text: str) -> None:
    assert "Traceback" not in text, text
    assert 'File "' not in text, text


def start_cockpit(tmux_apps: TmuxApps, journal: Path, **size: int) -> TmuxApp:
    return tmux_apps.start(run_argv(journal), marker=str(journal), **size)


def check_events(events: list, upto: int) -> None:
    """Events 1..upto are the expected story, numbered without gaps."""
    assert [event.seq for event in events] == list(range(1, len(events) + 1))
    for event, (event_type, fields) in zip(events[:upto], EXPECTED_EVENTS[:upto], strict=True):
        assert event.type == event_type, (event.seq, event.type, event_type)
        for name, value in fields.items():
            assert getattr(event, name) == value, (event.seq, name, getattr(event, name), value)


# ---- the night: actions, SIGKILL, resume -----------------------------------------------------


def test_rehearsal_killed_mid_cutover_resumes_where_it_stood(
    tmux_apps: TmuxApps, tmp_path: Path
) -> None:
    journal = tmp_path / "x.journal"
    app = start_cockpit(tmux_apps, journal)
    first = app.wait_for("REHEARSAL", "Pre-flight checks (T-60)", timeout=20)
    assert saved_seq(first) == 2, first  # cutover_started + plan_rebaselined
    assert_no_traceback(first)

    # Two steps, their verify items ticked as the DE sees them: every key's result is on
    # screen (and saved) before the next key.
    saved = 2

    def press(key: str, *shown: str) -> None:
        nonlocal saved
        app.send_keys(key)
        saved += 1
        wait_saved(app, saved, *shown)

    for title, items in (("Pre-flight checks", 5), ("Snapshot old call flows", 2)):
        press("Space", step_row("running", title))
        for number in range(1, items + 1):
            press(str(number))  # saved: the tick is on disk (the panel may scroll)
        press("Space", step_row("done", title))

    # The gate: tick every criterion, then go.
    for number in range(1, GATE_CRITERIA + 1):
        press(str(number), rf"\b{number}/{GATE_CRITERIA} met")
    press("g", "GO by dana")

    # The next step starts, then trouble: a blocker starts the escalation countdown.
    press("Space", step_row("running", "Assign the porting numbers"))
    app.send_keys("b")
    app.wait_for("Raise a blocker", "escalation timer starts now")
    app.type_text(BLOCKER_TEXT)
    press("Enter", re.escape(ESCALATION_HEADING), "BLOCKER", "carrier NOC")

    # Let the countdown run a few seconds (watching it tick, not sleeping blind).
    screen = app.wait_until(
        lambda s: countdown_shown(s, ESCALATION_HEADING) is not None,
        what="the escalation countdown's large digits",
    )
    started_at = clock_seconds(escalation_clock(screen.split("\n"), ESCALATION_HEADING))
    assert 29 * 60 <= started_at <= 30 * 60, started_at
    screen = app.wait_until(
        lambda s: (countdown_shown(s, ESCALATION_HEADING) or started_at) <= started_at - 3,
        timeout=8,
        what="the escalation countdown to tick down 3 s",
    )
    shown_before_kill = clock_seconds(escalation_clock(screen.split("\n"), ESCALATION_HEADING))
    saved_before_kill = saved_seq(screen)
    assert saved_before_kill == saved, screen

    # SIGKILL mid-cutover: no chance to flush or say goodbye.
    pid = app.pid
    assert str(journal) in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    os.kill(pid, signal.SIGKILL)
    assert app.wait_exit(timeout=10) == str(128 + signal.SIGKILL)

    # Everything the screen claimed as saved is in the journal, and the journal is sound.
    events = read_events(journal)
    assert len(events) >= saved_before_kill
    check_events(events, saved_before_kill)
    report = verify_journal(journal)
    assert report.ok, report.render()
    assert report.trusted_seq == len(events)
    blocker = events[saved - 1]
    assert blocker.type == "blocker_raised"
    assert blocker.deadline - blocker.at == timedelta(minutes=30)
    ids_before = [event.event_id for event in events]

    # The cockpit again, on the same journal: it resumes where it stood.
    again = start_cockpit(tmux_apps, journal)
    resumed = wait_saved(
        again,
        saved_before_kill + 1,  # + session_resumed
        "REHEARSAL",
        step_row("done", "Pre-flight checks"),
        step_row("done", "Snapshot old call flows"),
        r"GO \d\d:\d\d by dana",  # the gate's decision on its timeline row
        step_row("running", "Assign the porting numbers"),
        "Current step · assign-numbers",
        re.escape(ESCALATION_HEADING),
        "BLOCKER",
        timeout=20,
    )
    assert_no_traceback(resumed)
    resumed = again.wait_until(
        lambda s: countdown_shown(s, ESCALATION_HEADING) is not None,
        what="the escalation countdown's large digits after the restart",
    )
    # The countdown continued from the journal's deadline: not reset, not frozen.
    now = datetime.now(UTC)
    shown = clock_seconds(escalation_clock(resumed.split("\n"), ESCALATION_HEADING))
    expected = (blocker.deadline - now).total_seconds()
    assert expected - 2 <= shown <= expected + 3, (shown, expected)
    assert shown <= shown_before_kill < 30 * 60 - 2, (shown, shown_before_kill)

    events = read_events(journal)
    assert [event.event_id for event in events[: len(ids_before)]] == ids_before
    resumed_events = [event for event in events if event.type == "session_resumed"]
    assert len(resumed_events) == 1
    assert resumed_events[0].seq == len(ids_before) + 1
    assert resumed_events[0].operator == "dana"

    # A clean quit says where everything is.
    again.send_keys("C-q")
    assert again.wait_exit(timeout=10) == "0"
    farewell = again.capture(history=True)
    assert_no_traceback(farewell)
    assert "Resumed rehearsal cutover" in farewell, farewell
    assert verify_journal(journal).ok


# ---- one writer per journal ----------------------------------------------------------------


def test_second_run_on_the_same_journal_is_refused_and_the_first_keeps_working(
    tmux_apps: TmuxApps, tmp_path: Path
) -> None:
    journal = tmp_path / "x.journal"
    app = start_cockpit(tmux_apps, journal)
    wait_saved(app, 2, "REHEARSAL", timeout=20)

    second = subprocess.run(
        run_argv(journal),
        capture_output=True,
        text=True,
        timeout=30,
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        env=clean_env(),
    )
    output = second.stdout + second.stderr
    assert second.returncode == 2, output
    assert_no_traceback(output)
    assert str(journal) in output, output
    assert f"cockpit follow {journal}" in output, output
    assert f"pid {app.pid}" in output, output
    assert len(read_events(journal)) == 2  # the refused cockpit wrote nothing

    # The first cockpit still owns the journal and still saves.
    app.send_keys("Space")
    wait_saved(app, 3, step_row("running", "Pre-flight checks"))
    events = read_events(journal)
    assert len(events) == 3
    assert events[-1].type == "step_started"


# ---- small terminal, broken runbook ------------------------------------------------------


def test_first_frame_at_80x24(tmux_apps: TmuxApps, tmp_path: Path) -> None:
    journal = tmp_path / "x.journal"
    app = start_cockpit(tmux_apps, journal, width=80, height=24)
    screen = wait_saved(
        app, 2, "REHEARSAL", "Pre-flight checks", "Timeline", r"space Start\b", timeout=20
    )
    lines = screen.split("\n")
    assert "window" in lines[0] and "REHEARSAL" in lines[0], lines[0]  # the header
    assert max(len(line) for line in lines) <= 80
    assert_no_traceback(screen)
    assert app.is_running()


@pytest.mark.parametrize(
    ("line_start", "broken_line", "says"),
    [
        ("title = ", 'title = "Harbor Street Dental phone migration', "syntax"),
        ("minutes = 20", "minuts = 20", "did you mean 'minutes'"),
    ],
    ids=["toml-syntax", "typo-key"],
)
def test_broken_runbook_is_located_without_traceback(
    tmp_path: Path, line_start: str, broken_line: str, says: str
) -> None:
    lines = UCAAS_RUNBOOK.read_text(encoding="utf-8").split("\n")
    line_no = next(i for i, line in enumerate(lines, 1) if line.startswith(line_start))
    lines[line_no - 1] = broken_line
    broken = tmp_path / "broken.toml"
    broken.write_text("\n".join(lines), encoding="utf-8")
    journal = tmp_path / "x.journal"

    result = subprocess.run(
        cockpit_argv("run", broken, "--journal", journal, "--rehearsal", "--operator", "dana"),
        capture_output=True,
        text=True,
        timeout=30,
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        env=clean_env(),
    )
    output = result.stdout + result.stderr
    assert result.returncode == 2, output
    assert_no_traceback(output)
    assert f"{broken}:{line_no}" in output, output
    assert says in output, output
    assert not journal.exists()
