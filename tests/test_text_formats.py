"""One name per format: durations, times of day, trigger words and the chart, everywhere.

The screen and the reports once had a `minutes_text` each ("1h05m" and "65 min"), two
`describe_trigger`s, their own HH:MM and two Gantt charts. Now `cockpit.text` holds the
formats under distinct names, `cockpit.core.comms.describe_trigger` words every trigger,
and `cockpit.report.gantt` lays the chart out once for the debrief and the replay screen.
These tests pin each format and check the places that use it agree, including on the
night the clocks go back.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from cockpit.core import commands as cmd
from cockpit.core.clock import ManualClock
from cockpit.core.comms import describe_trigger
from cockpit.core.evolve import fold
from cockpit.journal.describe import readable_lines
from cockpit.journal.events import BaseEvent
from cockpit.journal.store import Journal, read_events
from cockpit.model import runbook as rb
from cockpit.model.load import load_contact_card, load_runbook
from cockpit.model.runbook import Runbook
from cockpit.report.debrief import build_debrief
from cockpit.report.debrief.document import build_document
from cockpit.report.debrief.html import render_html
from cockpit.report.escape import html_text
from cockpit.report.gantt import build_chart, chart_of_state
from cockpit.report.paper import render_paper
from cockpit.report.writers.text import write_text
from cockpit.text import (
    clock_time,
    compact_minutes,
    date_time,
    report_minutes,
    signed_report_minutes,
    visible,
)
from tests import debrief_scenarios as scenarios
from tests.journal_helpers import MINI, MINI_CARD, JournalDriver, start_command

CHICAGO = ZoneInfo("America/Chicago")
ROOT = Path(__file__).parent.parent
UCAAS = ROOT / "runbooks" / "ucaas-port-smb.toml"

# ---- durations -------------------------------------------------------------------------------


def test_the_screen_and_the_reports_have_distinct_names_for_distinct_formats() -> None:
    assert compact_minutes(65) == "1h05m"
    assert report_minutes(65) == "65 min"


@pytest.mark.parametrize(
    ("minutes", "shown"),
    [(None, "—"), (0, "0m"), (12.4, "12m"), (59.6, "1h00m"), (65, "1h05m"), (-3, "-3m")],
)
def test_compact_minutes_for_the_screen(minutes: float | None, shown: str) -> None:
    assert compact_minutes(minutes) == shown


def test_report_minutes_whole_or_to_a_tenth() -> None:
    assert report_minutes(41) == "41 min"
    assert report_minutes(30.25) == "30.2 min"
    assert report_minutes(None) == "—"
    assert signed_report_minutes(44.0) == "+44 min"
    assert signed_report_minutes(-3) == "-3 min"
    assert signed_report_minutes(0.01) == "0 min"
    assert signed_report_minutes(None) == "—"


# ---- times of day ----------------------------------------------------------------------------


def test_clock_time_with_seconds_names_the_repeated_hour_too() -> None:
    # 2026-11-01: 02:00 CDT becomes 01:00 CST in Chicago.
    first, second = (
        datetime(2026, 11, 1, 6, 30, 5, tzinfo=UTC),
        datetime(2026, 11, 1, 7, 30, 5, tzinfo=UTC),
    )
    assert clock_time(first, CHICAGO, seconds=True) == "01:30:05 CDT"
    assert clock_time(second, CHICAGO, seconds=True) == "01:30:05 CST"
    assert (
        clock_time(datetime(2026, 7, 1, 6, 30, 5, tzinfo=UTC), CHICAGO, seconds=True) == "01:30:05"
    )


def test_date_time_is_the_date_and_the_clock_time() -> None:
    assert date_time(datetime(2026, 11, 29, 7, 0, tzinfo=UTC), CHICAGO) == "2026-11-29 01:00"
    assert date_time(datetime(2026, 11, 1, 7, 30, tzinfo=UTC), CHICAGO) == "2026-11-01 01:30 CST"


def _fall_back_runbook() -> Runbook:
    """The mini runbook on the night the clocks go back: 01:00 CDT to 03:00 CST, 3 hours."""
    data = load_runbook(MINI).model_dump(mode="json")
    data["runbook"]["window_start"] = "2026-11-01T01:00:00"
    data["runbook"]["window_end"] = "2026-11-01T03:00:00"
    return Runbook.model_validate(data)


@pytest.fixture
def fall_back_night(tmp_path: Path) -> list[BaseEvent]:
    """A night worked across the repeated hour: a note in the first 01:30, one in the
    second."""
    runbook = _fall_back_runbook()
    clock = ManualClock(datetime(2026, 11, 1, 5, 55, tzinfo=UTC))  # 00:55 CDT
    with Journal.open(tmp_path / "fall.journal") as journal:
        driver = JournalDriver(journal, clock)
        driver.must(start_command(runbook, load_contact_card(MINI_CARD)))
        clock.set(datetime(2026, 11, 1, 6, 0, tzinfo=UTC))
        driver.must(cmd.StartStep(step_id="prep"))
        clock.set(datetime(2026, 11, 1, 6, 30, tzinfo=UTC))
        driver.must(cmd.AddNote(text="first half past one"))
        clock.set(datetime(2026, 11, 1, 7, 30, tzinfo=UTC))
        driver.must(cmd.AddNote(text="second half past one"))
        driver.complete("prep")
    return driver.events


def test_the_log_names_the_repeated_hour_and_keeps_its_columns(
    fall_back_night: list[BaseEvent],
) -> None:
    lines = [line for line in readable_lines(fall_back_night) if line.startswith("#")]
    first = next(line for line in lines if "first half" in line)
    second = next(line for line in lines if "second half" in line)
    assert "01:30:00 CDT" in first and "01:30:00 CST" in second
    assert " 00:55:00      cutover_started" in lines[0]  # padded as wide as a named time
    # The type column starts at the same place on every line, zone or not.
    tags = [type(event).model_fields["type"].default for event in fall_back_night]
    assert len({line.index(f"  {tag}") for line, tag in zip(lines, tags, strict=True)}) == 1


def test_the_debrief_names_the_repeated_hour(fall_back_night: list[BaseEvent]) -> None:
    debrief = build_debrief(fall_back_night)
    notes = [debrief.times.at(note.at) for note in debrief.notes]
    assert notes == ["01:30 CDT", "01:30 CST"]
    assert debrief.times.full(debrief.notes[1].at) == "Sun 01 Nov 2026 01:30 CST"


def test_the_paper_counts_a_fall_back_night_in_real_time() -> None:
    text = render_paper(_fall_back_runbook(), load_contact_card(MINI_CARD), "md")
    assert "2026-11-01 01:00 CDT–03:00 America/Chicago" in text
    # prep (10 min) from 01:00 CDT; the third step starts 20 real minutes in.
    assert "planned 01:00 CDT–01:10 CDT" in text
    assert "planned 01:20 CDT–01:40 CDT" in text


# ---- one describe_trigger --------------------------------------------------------------------


def test_one_wording_of_every_trigger_on_screen_in_the_debrief_and_on_paper() -> None:
    runbook = load_runbook(UCAAS)
    seen = set()
    for message in runbook.communications.messages:
        trigger = message.trigger
        short, full = describe_trigger(trigger), describe_trigger(trigger, runbook)
        seen.add(type(trigger))
        if isinstance(trigger, rb.CheckpointGo):
            assert short == f"go on {trigger.checkpoint}"
            assert full == f"go on '{runbook.checkpoint(trigger.checkpoint).title}'"
        elif isinstance(trigger, rb.StepCompleted):
            assert short == f"{trigger.step} completed"
            assert full == f"'{runbook.step(trigger.step).title}' completed"
        else:
            # The paper only adds what it cannot look up: the time, or what a delay is.
            assert full.startswith(short), (short, full)
    assert describe_trigger(rb.WindowStart(kind="window_start"), runbook) == "window start (01:00)"
    assert describe_trigger(rb.BeforeWindow(kind="before_window", hours=72), runbook) == (
        "72 h before the window (2026-11-29 01:00)"
    )
    assert len(seen) >= 6


# ---- one escaping policy, shared writers ------------------------------------------------------


@pytest.mark.parametrize("text", ["a<b>&\"'x", "plain", "\x1b[31m<red>", "tab\there", "&amp;"])
def test_html_text_is_the_standard_escape_of_the_visible_text(text: str) -> None:
    assert html_text(text) == html.escape(visible(text), quote=True)


def test_a_box_to_tick_is_written_one_way_in_both_reports(tmp_path: Path) -> None:
    debrief = build_debrief(_events(scenarios.overrun(tmp_path / "o.journal")))
    paper = render_paper(
        load_runbook(UCAAS),
        load_contact_card(ROOT / "contact_cards" / "ucaas-port-smb.toml"),
        "html",
    )
    report = render_html(debrief)
    for page in (paper, report):
        assert '<ul class="boxes">\n<li><span class="box"></span>' in page
        assert "☐" not in page and "ul.boxes" in page and ".box {" in page


def test_the_text_writer_writes_the_debrief_too(tmp_path: Path) -> None:
    debrief = build_debrief(_events(scenarios.overrun(tmp_path / "o.journal")))
    text = write_text(build_document(debrief))
    assert text.startswith("DEBRIEF: ") and "STEPS: PLANNED AGAINST ACTUAL" in text
    assert scenarios.HOSTILE_NOTE.split()[0] in text and "\x1b" not in text
    assert "planned" in text and "actual" in text  # the chart, as in Markdown


# ---- one Gantt model --------------------------------------------------------------------------


def _events(path: Path) -> list[BaseEvent]:
    return list(read_events(path))


def test_the_screen_and_the_report_lay_out_the_same_bars(tmp_path: Path) -> None:
    events = _events(scenarios.clean(tmp_path / "c.journal"))
    report = build_chart(build_debrief(events))
    screen = chart_of_state(fold(events), events[-1].at)
    assert (report.origin, report.span, report.ticks) == (screen.origin, screen.span, screen.ticks)
    assert report.window == screen.window and report.ponr == screen.ponr
    for on_paper, on_screen in zip(report.rows, screen.rows, strict=True):
        assert on_paper.label.split(" ", 1)[1] == on_screen.label
        assert on_paper.planned is not None and on_screen.planned is not None
        assert (on_paper.planned.start, on_paper.planned.end) == (
            on_screen.planned.start,
            on_screen.planned.end,
        )
        assert [(s.start, s.end, s.kind) for s in on_paper.actual] == [
            (s.start, s.end, s.kind) for s in on_screen.actual
        ]
        assert on_paper.variance == pytest.approx(on_screen.variance)


def test_the_screen_chart_marks_an_overrun_and_a_rehearsal(tmp_path: Path) -> None:
    events = _events(scenarios.overrun(tmp_path / "o.journal"))
    rehearsal = fold(_events(scenarios.rehearsal(tmp_path / "r.journal")))
    chart = chart_of_state(fold(events), events[-1].at, rehearsal=rehearsal)
    snapshot = next(row for row in chart.rows if row.label == "Snapshot config")
    assert snapshot.overran and {s.kind for s in snapshot.actual} == {"actual", "overrun"}
    assert all(row.rehearsal is not None for row in chart.rows)
    assert "rehearsal" in chart.kinds()
    later = chart_of_state(fold(events), events[-1].at + timedelta(hours=1))
    assert later.span >= chart.span
