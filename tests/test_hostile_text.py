"""Text from files and people is data: hostile text through every screen and every output.

Every free-text place of a runbook and a contact card (found by `tests/hostile.py`, so a
new field is covered without editing this file) is filled from a corpus of markup,
escape sequences, control characters, bidirectional overrides, zero-width and wide
characters and long tokens; the plan is then driven through every panel, dialog, the
palette, the secret picker, the log, the help, follow and replay under Pilot, and through
the log, the paper copy and the debrief. Nothing may raise; no raw control character may
reach the screen or a file; bracketed text is shown as written.

The number of generated plans: `HOSTILE_SCREENS` (Pilot, a second or two each) and
`HOSTILE_OUTPUTS` (no screen, milliseconds each).
"""

from __future__ import annotations

import contextlib
import io
import os
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual.pilot import Pilot
from textual.theme import Theme
from textual.widgets import Input

from cockpit.cli import main
from cockpit.core import commands as cmd
from cockpit.core.clock import ManualClock
from cockpit.follow import Follower
from cockpit.journal.describe import readable_lines
from cockpit.journal.store import read_events
from cockpit.model.contacts import ContactCard
from cockpit.model.runbook import Runbook
from cockpit.replay import Replay
from cockpit.session import Session
from cockpit.tui.app import CockpitApp
from cockpit.tui.screens.replay_screen import ReplayScreen
from tests.checklist_helpers import tick_all
from tests.hostile import CORPUS, RAW_CONTROL, hostile_plan
from tests.tui_helpers import panel_text, run_pilot, timeline_rows

SCREEN_EXAMPLES = int(os.environ.get("HOSTILE_SCREENS", "6"))
OUTPUT_EXAMPLES = int(os.environ.get("HOSTILE_OUTPUTS", "600"))

#: What a DE might type into a dialog (Input cannot hold control characters).
TYPED = "[bold]typed[/] [/x] [@click=app.quit]q[/] ]["


def pick(path: tuple[Any, ...]) -> int:
    """A stable number for a place in the plan (`hash` changes from run to run)."""
    return zlib.crc32(repr(path).encode())


def open_night(
    tmp_path: Path, runbook: Runbook, card: ContactCard, hostile: str
) -> tuple[Session, ManualClock]:
    """A live night on the hostile plan, driven to the gate with a note, a blocker, a
    call and its resolution in the journal, and the running step overdue."""
    clock = ManualClock(runbook.meta.window_start_utc)
    session = Session.open(tmp_path / "hostile.journal", runbook, card, clock, operator=hostile)

    def do(command: cmd.Command) -> None:
        outcome = session.execute(command)
        assert outcome.ok, outcome.message

    do(cmd.StartStep(step_id="prep"))
    do(cmd.AddNote(text=f"note {hostile}"))
    clock.advance(minutes=10)
    tick_all(do, session.state, "step", "prep")
    do(cmd.CompleteStep(step_id="prep"))
    do(cmd.RaiseBlocker(what=f"blocker {hostile}"))
    do(cmd.LogEscalation(agreed="Call back in 10 minutes"))
    do(cmd.ResolveBlocker(how=f"resolved {hostile}"))
    do(cmd.StartStep(step_id="snapshot"))
    clock.advance(minutes=25)  # twice its 10 minutes and more: "in trouble?"
    return session, clock


def assert_screen_is_safe(pilot: Pilot[Any], where: str) -> None:
    """No raw control character on the screen as drawn (toasts and dialogs included)."""
    svg = pilot.app.export_screenshot()
    found = RAW_CONTROL.search(svg)
    assert found is None, f"{where}: {found.group()!r} reached the screen"


async def visit_every_screen(pilot: Pilot[Any]) -> None:
    """Open each dialog, the palette, the log and the help, and walk the gate."""
    app = pilot.app
    assert_screen_is_safe(pilot, "start")
    for key in ("x", "s", "b", "a", "R", "l", "question_mark", "k"):
        await pilot.press(key)
        await pilot.pause()
        assert_screen_is_safe(pilot, f"after {key}")
        await pilot.press("escape")
        await pilot.pause()
    # A note typed with markup in it is saved and shown as typed.
    await pilot.press("a")
    await pilot.pause()
    app.screen.query_one(Input).value = TYPED
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press("ctrl+p")
    await pilot.pause()
    assert_screen_is_safe(pilot, "palette")
    await pilot.press("c", "o")
    await pilot.pause()
    assert_screen_is_safe(pilot, "palette search")
    await pilot.press("escape")
    await pilot.pause()
    # Complete the step: the gate opens with its criteria.
    await pilot.press("space")
    await pilot.pause()
    assert_screen_is_safe(pilot, "gate open")
    for key in ("n", "h"):
        await pilot.press(key)
        await pilot.pause()
        assert_screen_is_safe(pilot, f"gate {key}")
        await pilot.press("escape")
        await pilot.pause()
    await pilot.press("1", "2", "g")
    await pilot.pause()
    await pilot.press("space")  # the point of no return: a confirmation quoting its why
    await pilot.pause()
    assert_screen_is_safe(pilot, "point of no return")
    await pilot.press("escape")
    await pilot.pause()
    await pilot.press("down", "down")
    await pilot.pause()
    assert_screen_is_safe(pilot, "browsing")


def drive(tmp_path: Path, text_for: Callable[[tuple[Any, ...]], str], hostile: str) -> None:
    """The whole tour on one hostile plan: live, then follow, then replay."""
    runbook, card = hostile_plan(text_for)
    session, clock = open_night(tmp_path, runbook, card, hostile)
    app = CockpitApp(session)
    app.register_theme(Theme(name=f"theme {hostile}"[:60], primary="#336699"))
    try:
        run_pilot(app, visit_every_screen)
    finally:
        session.close()
    follower = Follower(tmp_path / "hostile.journal", clock)

    async def look(pilot: Pilot[Any]) -> None:
        assert_screen_is_safe(pilot, "follow")
        await pilot.press("l")
        await pilot.pause()
        assert_screen_is_safe(pilot, "follow log")

    try:
        run_pilot(CockpitApp(follower), look)
    finally:
        follower.close()
    events = list(read_events(tmp_path / "hostile.journal"))
    replay = Replay(events, tmp_path / "hostile.journal")
    screen = ReplayScreen(replay)
    screen.monotonic = lambda: 0.0

    async def scrub(pilot: Pilot[Any]) -> None:
        assert_screen_is_safe(pilot, "replay")
        for key in ("end", "home", "right", "right"):
            await pilot.press(key)
            await pilot.pause()
            assert_screen_is_safe(pilot, f"replay {key}")

    run_pilot(CockpitApp(replay, screen=screen), scrub)


# ---- the square bracket that cost a night ------------------------------------------------


def test_brackets_are_shown_as_written_and_the_night_goes_on(tmp_path: Path) -> None:
    """A criterion `Backup present in [/srv/backup]` crashed the cockpit as the gate
    opened, and every later start of that journal; `[enabled=true]` was eaten."""

    def text_for(path: tuple[Any, ...]) -> str:
        if path[:2] == ("checkpoints", 0) and path[2] == "criteria":
            return "Backup present in [/srv/backup]" if path[3] == 0 else "Flag [enabled=true] on"
        if path[0] == "steps" and path[-1] == "title":
            return f"Step {path[1]} [bold]not bold[/bold] [/x]"
        if path[:1] == ("contacts",) and path[-1] == "name":
            return f"Person [{path[1]}] [/]"
        return "Text [link=https://example.com]x[/link] ["

    runbook, card = hostile_plan(text_for)
    session, _clock = open_night(tmp_path, runbook, card, "[/op]")
    tick_all(session.execute, session.state, "step", "snapshot")
    assert session.execute(cmd.CompleteStep(step_id="snapshot")).ok

    async def scenario(pilot: Pilot[Any]) -> None:
        gate = panel_text(pilot.app, "#checkpoint")
        assert "Backup present in [/srv/backup]" in gate
        assert "Flag [enabled=true] on" in gate
        rows = "\n".join(timeline_rows(pilot.app))
        assert "Step 0 [bold]not bold[/bold] [/x]" in rows
        assert "Person [1] [/]" in panel_text(pilot.app, "#contacts")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press("P", "e", "r")
        await pilot.pause()
        assert_screen_is_safe(pilot, "palette")
        await pilot.press("escape")
        await pilot.press("n")
        await pilot.pause()
        assert "[/srv/backup]" not in pilot.app.screen.query_one(".dialog-title").render().plain
        await pilot.press("escape")

    try:
        run_pilot(CockpitApp(session), scenario)
    finally:
        session.close()
    # Starting again on that journal (which holds the snapshot) works too.
    again = Session.open(tmp_path / "hostile.journal", runbook, card, _clock)
    try:
        run_pilot(CockpitApp(again), _just_look)
    finally:
        again.close()


async def _just_look(pilot: Pilot[Any]) -> None:
    assert "[/srv/backup]" in panel_text(pilot.app, "#checkpoint")


def test_a_typed_note_with_markup_is_journaled_and_logged_as_typed(tmp_path: Path) -> None:
    runbook, card = hostile_plan(lambda path: "plain")
    session, _clock = open_night(tmp_path, runbook, card, "x")

    async def scenario(pilot: Pilot[Any]) -> None:
        await pilot.press("a")
        await pilot.pause()
        pilot.app.screen.query_one(Input).value = TYPED
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("l")
        await pilot.pause()
        assert TYPED in panel_text(pilot.app, ".log")

    try:
        run_pilot(CockpitApp(session), scenario)
    finally:
        session.close()
    notes = [e for e in read_events(tmp_path / "hostile.journal") if e.type == "note_added"]
    assert notes[-1].text == TYPED  # type: ignore[attr-defined]


@pytest.mark.slow
@pytest.mark.parametrize("shift", [0, 1, 2])
def test_every_screen_with_the_whole_corpus(tmp_path: Path, shift: int) -> None:
    """Every corpus entry lands in some field; three shifts put each in other fields."""
    drive(
        tmp_path,
        lambda path: f"{CORPUS[(pick(path) + shift) % len(CORPUS)]} {path[-1]}",
        CORPUS[shift * 7 % len(CORPUS)] + "[/op]",
    )


# ---- generated ---------------------------------------------------------------------------

pieces = st.one_of(
    st.sampled_from(CORPUS),
    st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)),
        min_size=1,
        max_size=12,
    ),
)
hostile_texts = st.lists(pieces, min_size=1, max_size=4).map("".join)


@pytest.mark.slow
@settings(
    max_examples=SCREEN_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(texts=st.lists(hostile_texts, min_size=8, max_size=8), operator=hostile_texts)
def test_generated_plans_through_every_screen(
    tmp_path_factory: pytest.TempPathFactory, texts: list[str], operator: str
) -> None:
    folder = tmp_path_factory.mktemp("hostile")
    drive(folder, lambda path: f"{texts[pick(path) % len(texts)]}{path[-1]}", operator)


@pytest.mark.slow
@settings(
    max_examples=OUTPUT_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(texts=st.lists(hostile_texts, min_size=8, max_size=8))
def test_generated_plans_through_every_output(
    tmp_path_factory: pytest.TempPathFactory, texts: list[str]
) -> None:
    """The log, the paper copy (three formats), the debrief (two) and `check` of a hostile
    night."""
    from cockpit.report.debrief import build_debrief
    from cockpit.report.debrief.html import render_html
    from cockpit.report.debrief.markdown import render_markdown
    from cockpit.report.paper import FORMATS, render_paper

    runbook, card = hostile_plan(lambda path: f"{texts[pick(path) % len(texts)]}{path[-1]}")
    for fmt in FORMATS:
        paper = render_paper(runbook, card, fmt)  # type: ignore[arg-type]
        assert RAW_CONTROL.search(paper) is None, fmt
    folder = tmp_path_factory.mktemp("out")
    session, _clock = open_night(folder, runbook, card, texts[0])
    session.close()
    events = list(read_events(folder / "hostile.journal"))
    for line in readable_lines(events):  # type: ignore[arg-type]
        assert RAW_CONTROL.search(line) is None, line
    debrief = build_debrief(events, journal_name="hostile.journal")
    for render in (render_markdown, render_html):
        report = render(debrief)
        assert RAW_CONTROL.search(report) is None, render.__name__
    # The same plan as files, through `cockpit check` (text and JSON) and `cockpit log`:
    # refused or reviewed, never a traceback, never a raw control character.
    runbook_file, card_file = folder / "hostile.toml", folder / "hostile-card.toml"
    runbook_data = runbook.model_dump(mode="json", exclude_none=True)
    runbook_data["runbook"]["contact_card"] = card_file.name
    runbook_file.write_text(tomli_w.dumps(runbook_data), encoding="utf-8")
    card_file.write_text(tomli_w.dumps(card.model_dump(mode="json", exclude_none=True)), "utf-8")
    for argv in (
        ["check", str(runbook_file)],
        ["check", str(runbook_file), "--format", "json"],
        ["log", str(folder / "hostile.journal")],
        ["log", str(folder / "hostile.journal"), "--jsonl"],
    ):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(argv)
        said = out.getvalue() + err.getvalue()
        assert code in (0, 1, 2), (argv, said)
        assert "Traceback" not in said, said
        assert RAW_CONTROL.search(said) is None, (argv, said)


def test_journal_snapshot_with_escapes_still_opens(tmp_path: Path) -> None:
    """A journal written before files were checked may hold escape sequences: the night
    goes on, shown escaped."""
    runbook, card = hostile_plan(lambda path: "T\x1b]0;PWNED\x07 \x1b]52;c;eA==\x07")
    session, clock = open_night(tmp_path, runbook, card, "\x1b[2J")
    session.close()
    again = Session.open(tmp_path / "hostile.journal", runbook, card, clock)

    async def scenario(pilot: Pilot[Any]) -> None:
        assert_screen_is_safe(pilot, "resumed")
        assert "\\x1b]0;PWNED" in panel_text(pilot.app, "#step-detail")

    try:
        run_pilot(CockpitApp(again), scenario)
    finally:
        again.close()


# ---- an internal error on a shared screen ------------------------------------------------


def test_an_internal_error_is_reported_without_local_variables(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Textual's crash report prints every frame's variables, on a shared screen."""
    import io

    from rich.console import Console

    from cockpit.tui.screens.cockpit_screen import CockpitScreen

    def broken_note(self: CockpitScreen) -> None:
        revealed_pin = "-".join(["4417", "SECRET", "PIN"])  # not in the source as shown
        raise RuntimeError(f"broken note action ({len(revealed_pin)})")

    printed: list[Any] = []
    monkeypatch.setattr(CockpitScreen, "action_note", broken_note)
    monkeypatch.setattr(CockpitApp, "panic", lambda self, *shown: printed.extend(shown))
    runbook, card = hostile_plan(lambda path: "plain")
    session, _clock = open_night(tmp_path, runbook, card, "x")
    app = CockpitApp(session)

    async def scenario(pilot: Pilot[Any]) -> None:
        await pilot.press("a")
        await pilot.pause()

    try:
        with pytest.raises(RuntimeError, match="broken note action"):
            run_pilot(app, scenario)
    finally:
        session.close()
    assert app.internal_error and app.return_code == 1
    console = Console(file=io.StringIO(), width=120, record=True)
    for renderable in printed:
        console.print(renderable)
    report = console.export_text()
    assert "broken note action" in report
    assert "4417-SECRET-PIN" not in report


def test_cockpit_run_exits_non_zero_after_an_internal_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """It used to exit 0 and say only "every one saved" under the traceback."""
    from cockpit.cli import main
    from tests.tui_helpers import MINI

    def crashed_run(self: CockpitApp) -> None:
        self.internal_error = True

    monkeypatch.setattr(CockpitApp, "run", crashed_run)
    code = main(["run", str(MINI), "--journal", str(tmp_path / "n.journal")])
    out, err = capsys.readouterr()
    assert code == 1
    assert "internal error" in err
    assert "Resume with: cockpit run" in out
