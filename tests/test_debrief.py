"""`cockpit debrief`: golden reports of scripted nights, in Markdown and HTML; determinism;
self-contained, parseable, escaped HTML; damaged journals reported up to their trusted
prefix without a traceback and without being touched.

Regenerate the golden files after a deliberate change with:

    UPDATE_GOLDEN=1 pytest tests/test_debrief.py

and read every changed Markdown file as the senior DE would before committing it.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cockpit.core import commands as cmd
from cockpit.journal import events as ev
from cockpit.journal.store import read_events
from cockpit.report.debrief import (
    DamageNotice,
    LocalTimes,
    NothingToDebrief,
    build_debrief,
)
from cockpit.report.debrief.html import render_html
from cockpit.report.debrief.markdown import render_markdown
from cockpit.report.escape import md
from tests import debrief_scenarios as scenarios

GOLDEN = Path(__file__).parent / "golden" / "debrief"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
FORMATS = ("md", "html")


# ---- fixtures ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def journals(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every scripted night, written once for the module."""
    folder = tmp_path_factory.mktemp("nights")
    written = {name: make(folder / f"{name}.journal") for name, make in scenarios.SCENARIOS.items()}
    written["rehearsal"] = scenarios.rehearsal(folder / "rehearsal.journal")
    return written


@pytest.fixture
def cockpit(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[list[str]], int]]:
    """`cockpit.cli.main` with only `debrief` registered (the other commands are other
    engineers' modules and need not import for these tests)."""
    import cockpit.cli as cli

    mine = [entry for entry in cli.COMMANDS if entry[0] == "debrief"]
    assert len(mine) == 1
    monkeypatch.setattr(cli, "COMMANDS", mine)
    yield cli.main


def sha(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def check_golden(name: str, text: str) -> None:
    """Compare with the golden file (or rewrite it under UPDATE_GOLDEN=1)."""
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
        return
    assert path.exists(), f"no golden file {path}: run UPDATE_GOLDEN=1 pytest {__file__}"
    expected = path.read_bytes().decode("utf-8")
    assert text == expected, f"{name} differs from its golden file (UPDATE_GOLDEN=1 to accept)"


def report(
    cockpit: Callable[[list[str]], int], journal: Path, out: Path, *args: str
) -> tuple[int, str]:
    code = cockpit(["debrief", str(journal), "-o", str(out), *args])
    return code, out.read_bytes().decode("utf-8") if out.exists() else ""


# ---- golden reports ------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("scenario", list(scenarios.SCENARIOS))
def test_golden_report(
    cockpit: Callable[[list[str]], int],
    journals: dict[str, Path],
    tmp_path: Path,
    scenario: str,
    fmt: str,
) -> None:
    code, text = report(cockpit, journals[scenario], tmp_path / f"out.{fmt}", "--format", fmt)
    assert code == 0
    check_golden(f"{scenario}.{fmt}", text)


@pytest.mark.parametrize("fmt", FORMATS)
def test_golden_compare_with_rehearsal(
    cockpit: Callable[[list[str]], int], journals: dict[str, Path], tmp_path: Path, fmt: str
) -> None:
    code, text = report(
        cockpit,
        journals["overrun"],
        tmp_path / f"out.{fmt}",
        "--compare",
        str(journals["rehearsal"]),
    )
    assert code == 0
    assert "versus this run" in text
    check_golden(f"overrun-vs-rehearsal.{fmt}", text)


# ---- what the reports must say ---------------------------------------------------------------


def debrief_of(journal: Path, compare: Path | None = None) -> Any:
    return build_debrief(
        read_events(journal),
        journal_name=journal.name,
        compare=read_events(compare) if compare else None,
    )


def test_clean_success_has_nothing_to_flag(journals: dict[str, Path]) -> None:
    debrief = debrief_of(journals["clean"])
    assert debrief.summary.outcome_words == "successful"
    assert all(row.within_plan for row in debrief.steps)
    assert not debrief.questions.different and not debrief.questions.went_wrong
    assert not any(m.missed for m in debrief.messages)


def test_overrun_flags_the_late_call_and_the_unsent_delay_message(
    journals: dict[str, Path],
) -> None:
    debrief = debrief_of(journals["overrun"])
    (blocker,) = debrief.blockers
    assert blocker.escalation_minutes == 30
    assert blocker.called_after == 41
    assert blocker.late_call and blocker.flag == "LATE CALL"
    assert blocker.open_minutes == 48
    late = next(m for m in debrief.messages if m.message_id == "late")
    # Snapshot planned 02:10–02:20; from then the finish slips minute by minute: 15 at 02:35.
    assert late.missed and debrief.times.at(late.fired_at) == "02:35"
    assert debrief.summary.outcome_words == "successful with issues"
    assert "overran the window by 42 min" in debrief.summary.outcome_reasons
    assert [s.seq for s in debrief.sessions] == [10]
    assert [(s.name, s.how) for s in debrief.secrets] == [("carrier-pin", "copied")]
    text = render_markdown(debrief)
    assert "**LATE: 11 min past the 30 min rule**" in text
    assert "| late | Customer IT | delay past 15 min | 02:35 | — | **⚠ NEVER SENT** |" in text


def test_rollback_after_a_no_go_tells_the_whole_story(journals: dict[str, Path]) -> None:
    debrief = debrief_of(journals["rollback"])
    assert debrief.summary.outcome_words == "unsuccessful: rolled back"
    (gate,) = debrief.checkpoints
    assert [(d.word, d.by) for d in gate.decisions] == [("HOLD", "Dana"), ("NO-GO", "Dana")]
    assert [c.met for c in gate.criteria] == [True, False]
    rollback = debrief.rollback
    assert rollback is not None and not rollback.after_ponr
    assert [(s.step_id, debrief.times.at(s.done_at)) for s in rollback.steps] == [("prep", "02:38")]
    assert rollback.total_minutes == 7 and rollback.within_rto
    assert debrief.ponr.crossed_at is None
    stopped = debrief.questions.went_wrong[0]
    assert "no-go at 02:31" in stopped.text
    assert [n.text for n in stopped.notes] == [
        "Carrier NOC: the FOC was moved to tomorrow 02:00 — nobody told us"
    ]


def test_incomplete_journal_says_so_and_flags_the_uncalled_blocker(
    journals: dict[str, Path],
) -> None:
    debrief = debrief_of(journals["incomplete"])
    assert debrief.summary.outcome is None
    assert debrief.summary.outcome_words == "in progress / incomplete"
    (blocker,) = debrief.blockers
    assert blocker.never_called and blocker.flag == "NEVER CALLED"
    assert blocker.resolved_at is None and blocker.open_minutes == 37
    switch = next(row for row in debrief.steps if row.step_id == "switch")
    assert switch.started_ahead_of == (2,)  # started before step 2, the snapshot
    snapshot = next(row for row in debrief.steps if row.step_id == "snapshot")
    assert snapshot.status == "running" and snapshot.actual_minutes == 39
    text = render_markdown(debrief)
    assert "**in progress / incomplete** — the journal ends at 03:10 (event #19)" in text
    assert "NEVER CALLED" in text


def test_compare_gives_drift_per_step(journals: dict[str, Path]) -> None:
    debrief = debrief_of(journals["overrun"], journals["rehearsal"])
    comparison = debrief.comparison
    assert comparison is not None and comparison.same_runbook
    assert comparison.other_mode == "rehearsal"
    drift = {row.title: row.drift for row in comparison.rows}
    assert drift == {
        "Prepare": -2,
        "Snapshot config": 39,
        "Switch over": -3,
        "Test calls": -3,
    }
    assert comparison.rehearsal_total == 71 and comparison.live_total == 102


def test_every_event_kind_reaches_the_report(journals: dict[str, Path]) -> None:
    """Rebaseline (rehearsal), share mode, secrets, sessions: nothing is silently dropped."""
    text = render_markdown(debrief_of(journals["rehearsal"]))
    assert "**Plan moved:**" in text and "rehearsal starts now" in text
    assert "**Run:** rehearsal" in text
    text = render_markdown(debrief_of(journals["incomplete"]))
    assert "Screen-share mode: on at 02:09, off at 02:40." in text
    assert "`carrier-pin` shown" in text


# ---- determinism -------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_same_journal_gives_a_byte_identical_report(
    cockpit: Callable[[list[str]], int], journals: dict[str, Path], tmp_path: Path, fmt: str
) -> None:
    elsewhere = tmp_path / "elsewhere" / journals["overrun"].name
    elsewhere.parent.mkdir()
    shutil.copyfile(journals["overrun"], elsewhere)
    outputs = [
        report(cockpit, journals["overrun"], tmp_path / f"1.{fmt}")[1],
        report(cockpit, journals["overrun"], tmp_path / f"2.{fmt}")[1],
        report(cockpit, elsewhere, tmp_path / f"3.{fmt}")[1],
    ]
    assert outputs[0] and outputs[0] == outputs[1] == outputs[2]


def test_the_same_night_scripted_twice_gives_the_same_report(tmp_path: Path) -> None:
    """Event ids differ between the two journals (they are random); the report does not."""
    first = scenarios.overrun(tmp_path / "a" / "night.journal")
    second = scenarios.overrun(tmp_path / "b" / "night.journal")
    assert read_events(first)[0].event_id != read_events(second)[0].event_id
    assert render_html(debrief_of(first)) == render_html(debrief_of(second))
    assert render_markdown(debrief_of(first)) == render_markdown(debrief_of(second))


def test_stdout_is_the_same_as_the_file(
    cockpit: Callable[[list[str]], int], journals: dict[str, Path], tmp_path: Path, capfd: Any
) -> None:
    assert cockpit(["debrief", str(journals["clean"])]) == 0
    printed = capfd.readouterr().out
    _, written = report(cockpit, journals["clean"], tmp_path / "clean.md")
    assert printed == written


def test_format_follows_the_output_extension(
    cockpit: Callable[[list[str]], int], journals: dict[str, Path], tmp_path: Path
) -> None:
    _, text = report(cockpit, journals["clean"], tmp_path / "debrief.html")
    assert text.startswith("<!DOCTYPE html>")
    _, text = report(cockpit, journals["clean"], tmp_path / "debrief.txt")
    assert text.startswith("# Debrief: Mini cutover")


# ---- HTML: parses, self-contained, escaped -------------------------------------------------------

VOID = {"meta", "br", "hr", "img", "input", "link", "wbr", "col", "source", "area", "base"}
SVG_LEAVES = {"rect", "line", "path", "circle"}


class Checker(HTMLParser):
    """Collects tags and attributes, and checks that elements nest."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str]] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [(tag, name, value or "") for name, value in attrs]
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [(tag, name, value or "") for name, value in attrs]

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
            return
        self.stack.pop()


@pytest.mark.parametrize("scenario", [*scenarios.SCENARIOS, "compare"])
def test_html_parses_and_has_no_external_reference(
    journals: dict[str, Path], scenario: str
) -> None:
    if scenario == "compare":
        html = render_html(debrief_of(journals["overrun"], journals["rehearsal"]))
    else:
        html = render_html(debrief_of(journals[scenario]))
    checker = Checker()
    checker.feed(html)
    checker.close()
    assert checker.problems == [] and checker.stack == []
    assert checker.tags[0] == "html" and "svg" in checker.tags
    assert not {"script", "link", "iframe", "object", "embed", "img", "base"} & set(checker.tags)
    for tag, name, value in checker.attributes:
        if name in ("src", "href", "xlink:href", "action", "srcset"):
            assert value.startswith("#"), f"<{tag} {name}={value!r}> points outside the file"
        assert not name.startswith("on"), f"<{tag} {name}> is an event handler"
    lowered = html.lower()
    assert "http://" not in lowered and "https://" not in lowered
    assert "@import" not in lowered and "@font-face" not in lowered
    assert all(target.startswith("#") for target in re.findall(r"url\(\s*([^)]*)\)", lowered))
    assert "@media print" in html and "@page" in html


def test_user_text_is_escaped_in_both_formats(journals: dict[str, Path]) -> None:
    debrief = debrief_of(journals["overrun"])
    html = render_html(debrief)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    text = render_markdown(debrief)
    assert "<script>" not in text and "\\<script\\>" in text
    table_rows = [line for line in text.splitlines() if line.startswith("| ")]
    widths = {line.count(" | ") - line.count("\\|") for line in table_rows}
    assert widths  # no note broke a table: its pipe is escaped
    assert md("a | b <i>x</i> **y** &amp; [l](u)") == (
        "a \\| b \\<i\\>x\\</i\\> \\*\\*y\\*\\* \\&amp; \\[l\\](u)"
    )
    assert md("# not a heading\n1. not a list\n- nor this") == (
        "\\# not a heading ⏎ 1\\. not a list ⏎ \\- nor this"
    )
    # Control characters are shown as escapes (the backslash itself escaped for Markdown).
    assert md("bell\x07 and \x1b[31mred") == "bell\\\\x07 and \\\\x1b\\[31mred"


# ---- damaged and unusable journals ---------------------------------------------------------------


def flip(path: Path, needle: bytes) -> None:
    data = bytearray(path.read_bytes())
    where = data.find(needle)
    assert where > 0
    data[where] ^= 0x01
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_damaged_journal_is_reported_up_to_its_trusted_prefix(
    cockpit: Callable[[list[str]], int],
    journals: dict[str, Path],
    tmp_path: Path,
    capsys: Any,
    fmt: str,
) -> None:
    damaged = tmp_path / "damaged.journal"
    shutil.copyfile(journals["overrun"], damaged)
    flip(damaged, b"Tried a smaller export")  # the note of event 9
    before = sha(damaged)
    code, text = report(cockpit, damaged, tmp_path / f"out.{fmt}", "--format", fmt)
    assert code == 1
    assert sha(damaged) == before
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "damaged.journal is damaged; the report stops at event 8" in err
    assert "WARNING: THIS REPORT IS INCOMPLETE" in text
    assert "It stops at event 8 (02:20): event 9 onwards cannot be trusted." in text
    assert "does not match its hash" in text
    assert "Tried a" not in text  # nothing past the trusted prefix
    summary = '<section id="summary">' if fmt == "html" else "## Summary"
    assert text.index("WARNING") < text.index(summary)


@pytest.mark.parametrize("cut", [100, 4096, 0.5, -1])
def test_a_truncated_journal_gives_a_report_or_a_clear_refusal(
    cockpit: Callable[[list[str]], int],
    journals: dict[str, Path],
    tmp_path: Path,
    capsys: Any,
    cut: float,
) -> None:
    data = journals["overrun"].read_bytes()
    size = int(cut * len(data)) if isinstance(cut, float) else cut % len(data)
    path = tmp_path / "cut.journal"
    path.write_bytes(data[:size])
    before = sha(path)
    code, text = report(cockpit, path, tmp_path / "out.md")
    err = capsys.readouterr().err
    assert sha(path) == before
    assert "Traceback" not in err
    if text:  # a prefix could be trusted
        assert code == 1
        assert "WARNING: THIS REPORT IS INCOMPLETE" in text
    elif code == 1:  # a journal, damaged before any event could be trusted
        assert "is damaged and there is no cutover to debrief" in err
        assert "cockpit verify" in err
    else:  # not even readable as a database (as `cockpit verify` says too, with exit 2)
        assert code == 2
        assert "cannot be read as a database" in err


def test_a_hash_valid_event_that_does_not_fit_ends_the_report_there(
    journals: dict[str, Path],
) -> None:
    events = read_events(journals["clean"])
    last = events[-1]
    stray = ev.RollbackStepDone(
        seq=last.seq + 1, at=last.at, event_id="stray-0", step_id="prep"
    )  # a rollback step with no rollback: cannot happen through decide
    debrief = build_debrief([*events, stray])
    assert debrief.damage is not None
    assert (debrief.damage.trusted_seq, debrief.damage.first_bad_seq) == (last.seq, last.seq + 1)
    assert "does not fit the cutover" in debrief.damage.why


def test_nothing_to_debrief(
    cockpit: Callable[[list[str]], int], tmp_path: Path, capsys: Any
) -> None:
    empty = tmp_path / "empty.journal"
    empty.touch()
    text = tmp_path / "notes.txt"
    text.write_text("not a journal\n")
    for path, words in [
        (empty, "there is no cutover to debrief: it holds no events"),
        (text, "not a cockpit journal"),
        (tmp_path / "missing.journal", "there is no file"),
    ]:
        assert cockpit(["debrief", str(path)]) == 2
        assert words in capsys.readouterr().err
    with pytest.raises(NothingToDebrief):
        build_debrief([], damage=DamageNotice(0, 1, "broken"))


def test_the_output_never_overwrites_the_journal(
    cockpit: Callable[[list[str]], int], journals: dict[str, Path], capsys: Any
) -> None:
    journal = journals["clean"]
    before = sha(journal)
    for target in (journal, journal.with_name(journal.name + "-wal")):
        assert cockpit(["debrief", str(journal), "-o", str(target)]) == 2
        assert "would overwrite the journal" in capsys.readouterr().err
    assert sha(journal) == before


def test_a_journal_being_written_is_read_without_disturbing_it(
    journals: dict[str, Path], tmp_path: Path
) -> None:
    """Read-only: no write lock is taken, and the file's bytes stay as they were."""
    path = tmp_path / "live.journal"
    shutil.copyfile(journals["incomplete"], path)
    before = sha(path)
    conn = sqlite3.connect(path)  # someone holds it open, as a cockpit would
    try:
        assert render_markdown(debrief_of(path))
    finally:
        conn.close()
    assert sha(path) == before


# ---- small pieces ------------------------------------------------------------------------------


def test_times_are_local_and_say_when_the_day_turns() -> None:
    from zoneinfo import ZoneInfo

    zone = ZoneInfo("America/Chicago")
    times = LocalTimes(zone, "America/Chicago", datetime(2026, 11, 24).date())
    assert times.at(datetime(2026, 11, 24, 8, 5, tzinfo=UTC)) == "02:05"
    assert times.at(datetime(2026, 11, 25, 6, 15, tzinfo=UTC)) == "00:15 (+1d)"
    assert times.at(datetime(2026, 11, 24, 5, 59, tzinfo=UTC)) == "23:59 (-1d)"
    assert times.at(datetime(2026, 11, 21, 16, 0, tzinfo=UTC)) == "Sat 21 Nov 2026 10:00"
    assert times.at(None) == "—"


# ---- any night the core allows makes a report ------------------------------------------------

STEP_IDS = ("prep", "snapshot", "switch", "test")
TEXT = st.one_of(
    st.sampled_from(["<script>alert(1)</script>", "a | b", "**x**", "line 1\nline 2", "&amp;"]),
    st.text(min_size=1, max_size=40),
)
COMMANDS = st.one_of(
    st.builds(cmd.StartStep, step_id=st.sampled_from(STEP_IDS), confirm_ponr=st.just(True)),
    st.builds(cmd.CompleteStep, step_id=st.sampled_from(STEP_IDS)),
    st.builds(cmd.SkipStep, step_id=st.sampled_from(STEP_IDS), reason=TEXT),
    st.builds(cmd.FailStep, step_id=st.sampled_from(STEP_IDS), reason=TEXT),
    st.builds(
        cmd.MarkCriterion,
        checkpoint_id=st.just("gate"),
        index=st.integers(0, 1),
        met=st.booleans(),
    ),
    st.builds(
        cmd.DecideCheckpoint,
        checkpoint_id=st.just("gate"),
        decision=st.sampled_from(["go", "no_go", "hold"]),
        by=st.just("Dana"),
        reason=TEXT,
    ),
    st.builds(cmd.RaiseBlocker, what=TEXT),
    st.builds(cmd.LogEscalation),
    st.builds(cmd.ResolveBlocker, how=TEXT),
    st.builds(cmd.StartRollback, reason=TEXT),
    st.builds(cmd.MarkRollbackStep, step_id=st.sampled_from(STEP_IDS)),
    st.builds(cmd.CompleteRollback),
    st.builds(cmd.MarkMessageSent, message_id=st.sampled_from(["start", "late", "done"])),
    st.builds(cmd.AddNote, text=TEXT),
    st.builds(cmd.RecordSecretReveal, name=st.just("carrier-pin"), how=st.just("copied")),
    st.builds(cmd.SetShareMode, on=st.booleans()),
    st.builds(cmd.ResumeSession, operator=st.just("Dana")),
    st.builds(cmd.DeclareComplete),
    st.builds(cmd.Abandon, reason=TEXT),
    # Issue 12: ticks, passing a list anyway, corrections, undo that fails or is skipped.
    st.builds(
        cmd.TickItem,
        checklist=st.sampled_from(["step", "verification", "rollback_verification"]),
        step_id=st.sampled_from(STEP_IDS),
        index=st.integers(0, 1),
    ),
    st.builds(
        cmd.UntickItem,
        checklist=st.sampled_from(["step", "verification"]),
        step_id=st.sampled_from(STEP_IDS),
        index=st.integers(0, 1),
        reason=TEXT,
    ),
    st.builds(cmd.CompleteStep, step_id=st.sampled_from(STEP_IDS), anyway=TEXT),
    st.builds(cmd.DeclareComplete, anyway=TEXT),
    st.builds(cmd.CompleteRollback, anyway=TEXT),
    st.builds(cmd.ReopenStep, step_id=st.sampled_from(STEP_IDS), reason=TEXT),
    st.builds(cmd.WithdrawNote, note_seq=st.integers(1, 40), reason=TEXT),
    st.builds(cmd.FailRollbackStep, step_id=st.sampled_from(STEP_IDS), reason=TEXT),
    st.builds(cmd.SkipRollbackStep, step_id=st.sampled_from(STEP_IDS), reason=TEXT),
    st.builds(
        cmd.LogEscalation, contact_id=st.sampled_from(["senior", "carrier-noc"]), agreed=TEXT
    ),
)


@settings(
    max_examples=60,
    deadline=None,
    # driver_factory makes a new driver per call: nothing is shared between examples.
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    night=st.lists(st.tuples(COMMANDS, st.integers(0, 40)), min_size=1, max_size=40),
    rehearsal=st.booleans(),
)
def test_any_night_gives_a_report_in_both_formats(
    driver_factory: Callable[..., Any], night: list[tuple[Any, int]], rehearsal: bool
) -> None:
    """Whatever the operator did (as far as the core allows it), both reports are made,
    the HTML parses cleanly, and no note's markup gets through."""
    driver = driver_factory("rehearsal" if rehearsal else "live")
    for command, minutes in night:
        driver.clock.advance(minutes=minutes)
        driver.do(command)
    debrief = build_debrief(driver.events, journal_name="night.journal")
    text = render_markdown(debrief)
    assert text.endswith("\n") and "<script>" not in text
    html = render_html(debrief)
    checker = Checker()
    checker.feed(html)
    checker.close()
    assert checker.problems == [] and checker.stack == []
    assert "<script" not in html
    assert debrief.summary.last_seq == driver.events[-1].seq


def test_the_report_modules_do_not_import_textual() -> None:
    code = (
        "import sys\n"
        "import cockpit.report.debrief.markdown, cockpit.report.debrief.html\n"
        "import cockpit.report.gantt, cockpit.cli.debrief\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] == 'textual')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
