"""The debrief's shortcuts for long nights give the same words as the plain definitions.

A 100,000-event night is mostly notes, secret reveals and share-mode changes, so the
debrief takes shortcuts: times shown per minute, text that needs no escaping passed
through, events dispatched by exact type, notes and steps found by bisection. Each is
checked here against the straightforward definition it replaces, over generated input;
the golden reports (`test_debrief.py`) check the whole report byte for byte.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from html import escape
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cockpit.core import commands as cmd
from cockpit.journal import events as ev
from cockpit.report.debrief import LocalTimes, build_debrief
from cockpit.report.debrief.questions import _NotesBetween
from cockpit.report.escape import _escape_line, md, md_block
from cockpit.report.escape import html_text as esc
from cockpit.text import clock_time, visible
from tests import debrief_scenarios as scenarios
from tests.test_debrief import COMMANDS

# ---- times ----------------------------------------------------------------------------------

#: Zones with whole-hour, half-hour and quarter-hour offsets, and a half-hour DST shift.
ZONES = (
    "America/Chicago",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "America/St_Johns",
    "Australia/Lord_Howe",
    "Europe/London",
    "UTC",
)
NIGHT = datetime(2026, 3, 28, tzinfo=UTC)  # spans the spring-forward of Europe and the US


def shown_at(times: LocalTimes, moment: datetime) -> str:
    """What `LocalTimes.at` means: the local time as the screen shows it (`clock_time`:
    in the hour a fall-back night repeats, with its zone), with the day when it is not the
    night's."""
    local = moment.astimezone(times.zone)
    shown = clock_time(moment, times.zone)
    days = (local.date() - times.day).days
    if abs(days) == 1:
        return f"{shown} ({days:+d}d)"
    if days:
        return f"{times.date(moment)} {shown}"
    return shown


@settings(max_examples=200, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    day=st.integers(-3, 3),
    seconds=st.lists(st.integers(-3 * 86400, 40 * 86400), min_size=1, max_size=60),
    in_order=st.booleans(),
)
# Lord Howe falls back half an hour: 01:30 happens twice, and the first is marked "+11".
@example(zone="Australia/Lord_Howe", day=0, seconds=[657000], in_order=False)
def test_times_are_shown_as_their_definition_in_any_order(
    zone: str, day: int, seconds: list[int], in_order: bool
) -> None:
    times = LocalTimes(ZoneInfo(zone), zone, NIGHT.date() + timedelta(days=day))
    moments = [NIGHT + timedelta(seconds=s, microseconds=s % 7) for s in seconds]
    if in_order:
        moments.sort()
    for moment in moments + moments[::-1]:
        assert times.at(moment) == shown_at(times, moment), moment


def test_times_of_a_minute_and_its_neighbours() -> None:
    times = LocalTimes(ZoneInfo("America/Chicago"), "America/Chicago", date(2026, 11, 24))
    minute = datetime(2026, 11, 24, 8, 5, tzinfo=UTC)
    tick = timedelta(microseconds=1)
    for moment in (minute, minute + timedelta(seconds=59) + 999_999 * tick, minute, minute - tick):
        assert times.at(moment) == shown_at(times, moment)
    assert times.at(minute - tick) == "02:04"
    assert times.at(minute + timedelta(minutes=1)) == "02:06"
    assert times.at(minute.astimezone(ZoneInfo("Asia/Tokyo"))) == "02:05"


def test_times_in_a_zone_whose_offset_has_seconds() -> None:
    """Chicago kept its local mean time (-05:50:36) until 1883: moments on the whole minute
    still show right."""
    zone = ZoneInfo("America/Chicago")
    times = LocalTimes(zone, "America/Chicago", date(1880, 6, 1))
    assert zone.utcoffset(datetime(1880, 6, 1)) == -timedelta(hours=5, minutes=50, seconds=36)
    for minutes in range(-1500, 3000, 7):
        moment = datetime(1880, 6, 1, tzinfo=UTC) + timedelta(minutes=minutes)
        assert times.at(moment) == shown_at(times, moment)


# ---- text that needs no escaping ------------------------------------------------------------

#: What decided, before, whether a note needed escaping at all.
OLD_SPECIAL = re.compile(r"[\\`*_\[\]<>|~&\n\r\t]|^\s*(?:[-+=#>]|\d+[.)])|^\s|\s$")
TRICKY = st.text(
    alphabet=st.sampled_from(list("ab1٣.) -+=#>\\`*_[]<>|~&\n\r\t\x1b\u00a0\u2028'\"é")),
    max_size=12,
)
ANY_TEXT = st.one_of(TRICKY, st.text(max_size=30))


def md_slowly(text: str) -> str:
    """`md` without its shortcut."""
    lines = [line for line in visible(text).split("\n") if line.strip()]
    return " ⏎ ".join(_escape_line(line) for line in lines)


def md_block_slowly(text: str, indent: str) -> str:
    """`md_block` without its shortcut."""
    lines = [line for line in visible(text).split("\n") if line.strip()]
    return ("\\\n" + indent).join(_escape_line(line.strip()) for line in lines)


#: Texts at the edges of what needs escaping.
EDGES = (
    "", "ok", "a ", " a", "a\u00a0", "\u3000a", "1. x", "1) x", "12.", "1x", "٣. x", "٣x",
    "- x", "a-b", "+", "=", "#", ">", "x|y", "&", "'", "a\tb", "a\nb", "a\r", "\x1b[0m",
    "a\u2028",
)  # fmt: skip


def same_as_escaping_it(text: str) -> None:
    """`md`, `md_block` and `esc` pass `text` through only when escaping would not change
    it (as decided before), and otherwise escape it as ever."""
    plain = not OLD_SPECIAL.search(text) and text.isprintable()
    assert md(text) == (text if plain else md_slowly(text))
    assert md_block(text, "    ") == (text if plain else md_block_slowly(text, "    "))
    assert esc(text) == escape(visible(text), quote=True)


@pytest.mark.parametrize("text", EDGES)
def test_text_at_the_edges_is_escaped_as_ever(text: str) -> None:
    same_as_escaping_it(text)


@settings(max_examples=1000, deadline=None)
@given(text=ANY_TEXT)
def test_any_text_is_escaped_as_ever(text: str) -> None:
    same_as_escaping_it(text)


# ---- walking the events -----------------------------------------------------------------------


def test_every_event_type_is_a_direct_subclass_of_base_event() -> None:
    """The walk and the delay triggers match events by exact type, not isinstance."""
    kinds = ev.BaseEvent.__subclasses__()
    assert ev.NoteAdded in kinds and ev.CutoverEnded in kinds
    assert all(kind.__subclasses__() == [] for kind in kinds)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(night=st.lists(st.tuples(COMMANDS, st.integers(0, 40)), min_size=1, max_size=50))
def test_long_night_shortcuts_agree_with_their_definitions(
    driver_factory: Callable[..., Any], night: list[tuple[Any, int]]
) -> None:
    """Steps started out of plan order, blockers' calls and resolutions, and the notes
    written during a finding, against the plain definitions."""
    driver = driver_factory()
    for command, minutes in night:
        driver.clock.advance(minutes=minutes)
        driver.do(command)
        if isinstance(command, cmd.RaiseBlocker):
            driver.do(cmd.AddNote(text="while blocked"))
    events = driver.events
    debrief = build_debrief(events)

    for row in debrief.steps:
        ahead = sorted(
            other.number
            for other in debrief.steps
            if row.actual_start is not None
            and other.actual_start is not None
            and other.number < row.number
            and other.actual_start > row.actual_start
        )
        assert list(row.started_ahead_of) == ahead

    for blocker in debrief.blockers:
        named = [e for e in events if getattr(e, "blocker_id", None) == blocker.blocker_id]
        calls = [(e.at, e.contact_name) for e in named if isinstance(e, ev.EscalationCalled)]
        resolutions = [e for e in named if isinstance(e, ev.BlockerResolved)]
        assert list(blocker.calls) == calls
        assert blocker.resolved_at == (resolutions[0].at if resolutions else None)

    notes = debrief.notes
    between = _NotesBetween(notes)
    moments = sorted({event.at for event in events})
    for start in moments[::3]:
        for end in moments[::5]:
            assert between(start, end) == tuple(n for n in notes if start <= n.at <= end)
    assert between(moments[0], None) == ()


def test_steps_started_at_the_same_moment_are_in_order(driver: Any) -> None:
    """A step started the moment the one before it in the plan started has not overtaken
    it; one started before has."""
    driver.must(cmd.StartStep(step_id="prep"))
    driver.complete("prep")
    driver.must(cmd.StartStep(step_id="test"))
    driver.clock.advance(minutes=5)
    driver.complete("test")
    driver.must(cmd.StartStep(step_id="snapshot"))
    rows = {row.step_id: row for row in build_debrief(driver.events).steps}
    assert rows["prep"].actual_start == rows["test"].actual_start
    assert rows["test"].started_ahead_of == (2,)
    assert rows["prep"].started_ahead_of == rows["snapshot"].started_ahead_of == ()


def test_notes_out_of_time_order_are_still_found() -> None:
    """Only a hand-made journal has notes out of time order: they are looked at one by one."""
    from cockpit.core.state import Note

    base = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
    notes = tuple(
        Note(at=base + timedelta(minutes=m), text=str(m), seq=i)
        for i, m in enumerate([5, 1, 9, 3, 3, 7])
    )
    between = _NotesBetween(notes)
    start, end = base + timedelta(minutes=3), base + timedelta(minutes=7)
    assert between(start, end) == tuple(n for n in notes if start <= n.at <= end)
    assert [n.text for n in between(start, end)] == ["5", "3", "3", "7"]


# ---- what the command loads -----------------------------------------------------------------


def test_a_sound_journal_loads_only_what_its_report_needs(tmp_path: Path) -> None:
    """No salvage, no rehearsal comparison, no other format: each is loaded when used."""
    journal = scenarios.clean(tmp_path / "clean.journal")
    code = (
        "import sys\n"
        "from cockpit.cli import main\n"
        "fmt = sys.argv[2]\n"
        "main(['debrief', sys.argv[1], '--format', fmt, '-o', sys.argv[1] + '.' + fmt])\n"
        "print(','.join(sorted(m for m in sys.modules if m.startswith(('cockpit.', 'html')))))\n"
    )
    writer = {"md": "cockpit.report.debrief.markdown", "html": "cockpit.report.debrief.html"}
    not_needed = {
        "md": {"cockpit.report.debrief.html", "html"},
        "html": {"cockpit.report.debrief.markdown"},
    }
    for fmt, other_format in not_needed.items():
        result = subprocess.run(
            [sys.executable, "-c", code, str(journal), fmt], capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
        loaded = set(result.stdout.strip().split(","))
        assert writer[fmt] in loaded
        unwanted = {
            "cockpit.journal.verify",
            "cockpit.report.debrief.compare",
            "cockpit.report.paper",
            *other_format,
        }
        assert loaded.isdisjoint(unwanted), sorted(loaded & unwanted)
