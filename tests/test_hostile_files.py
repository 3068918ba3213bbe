"""What a runbook, a contact card or a theme file may hold, refused at load (issue 10).

Each test here failed before the fix: an escape sequence in a title reached the terminal,
a line break in a title split the screen, 02:30 on a spring-forward night showed as
03:30–03:20, a fall-back window hid its repeated hour, a window in 9999 passed `check`
and then overflowed, `minutes = true` was read as 1 and `timezone = "localtime"` was
taken. Every refusal is a located problem (file, line, field, what is expected), never a
traceback — and none of them applies to the plan a journal snapshotted: an old night must
still open.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cockpit.cli import main
from cockpit.core.clock import ManualClock
from cockpit.core.evolve import fold
from cockpit.errors import FileProblems
from cockpit.journal.store import JournalReader
from cockpit.model.contacts import ContactCard
from cockpit.model.load import load_contact_card, load_runbook
from cockpit.model.runbook import Runbook, iana_zone_names, is_iana_zone
from cockpit.readiness import rollback_deadline
from cockpit.session import Session
from cockpit.tui.themes import all_themes, load_theme

FIXTURES = Path(__file__).parent / "fixtures"
BROKEN = FIXTURES / "broken"
MINI = FIXTURES / "mini.toml"
MINI_CARD = FIXTURES / "mini-contacts.toml"
ROOT = Path(__file__).parent.parent

#: The escape that sets a terminal's title, as TOML writes it and as Python holds it.
TITLE_ESCAPE_TOML = "\\u001b]0;PWNED\\u001b\\\\"
TITLE_ESCAPE = "\x1b]0;PWNED\x1b\\"


def edited(text: str, edits: list[tuple[str, str]]) -> str:
    """`text` with each (old, new) replaced once; an edit that does not apply fails."""
    for old, new in edits:
        assert old in text, f"edit does not apply: {old!r}"
        text = text.replace(old, new, 1)
    return text


def mini_copy(
    tmp_path: Path,
    runbook_edits: list[tuple[str, str]] = [],  # noqa: B006 - never mutated
    card_edits: list[tuple[str, str]] = [],  # noqa: B006 - never mutated
) -> tuple[Path, Path]:
    """The mini runbook and its card in `tmp_path`, edited."""
    runbook = tmp_path / "mini.toml"
    card = tmp_path / "mini-contacts.toml"
    runbook.write_text(edited(MINI.read_text(encoding="utf-8"), runbook_edits), encoding="utf-8")
    card.write_text(edited(MINI_CARD.read_text(encoding="utf-8"), card_edits), encoding="utf-8")
    return runbook, card


def refused(load: object, path: Path) -> FileProblems:
    """The located problems loading `path` raises (it must raise)."""
    assert callable(load)
    with pytest.raises(FileProblems) as caught:
        load(path)
    return caught.value


# ---- control characters ------------------------------------------------------------------


def test_a_title_that_retitles_the_terminal_is_refused_with_line_and_field() -> None:
    problems = refused(load_runbook, BROKEN / "title-escape.toml")
    [problem] = problems.problems
    assert problem.line == 22
    assert problem.where == "step 'switch' field 'title'"
    assert problem.message == "holds a control character (\\x1b); remove it"
    # The message goes to the same terminal: the character itself is never in it.
    assert "\x1b" not in problems.render()


def test_a_line_break_in_a_title_is_refused_but_not_in_instructions() -> None:
    # The fixture's instructions span three lines and hold a tab: only the title is wrong.
    [problem] = refused(load_runbook, BROKEN / "title-newline.toml").problems
    assert (problem.line, problem.where) == (22, "step 'switch' field 'title'")
    assert "line break" in problem.message and "one line" in problem.message


#: One-line texts of the mini plan and card, each given a line break: (file, old, new, where).
ONE_LINE_FIELDS = [
    ("runbook", 'title = "Mini cutover"', 'title = "Mini\\ncutover"', "[runbook] field 'title'"),
    ("runbook", 'owner = "carrier-noc"', 'owner = "carrier\\n-noc"', "step 'switch' field 'owner'"),
    (
        "runbook",
        'verify = ["Prepared"]',
        'verify = ["Pre\\npared"]',
        "step 'prep' field 'verify' item 1",
    ),
    (
        "runbook",
        '"Carrier on the bridge"',
        '"Carrier on\\n- [x] the bridge"',
        "checkpoint 'gate' field 'criteria' item 2",
    ),
    (
        "runbook",
        'no_go_means = "Roll back the preparation"',
        'no_go_means = "Roll back\\tthe preparation"',
        "checkpoint 'gate' field 'no_go_means'",
    ),
    (
        "runbook",
        '{ action = "Unprepare"',
        '{ action = "Un\\nprepare"',
        "step 'prep' field 'rollback.action'",
    ),
    (
        "runbook",
        'kept_by = "Export before snapback"',
        'kept_by = "Export\\nbefore snapback"',
        "post-cutover write #1 field 'kept_by'",
    ),
    (
        "runbook",
        'name = "Customer IT"',
        'name = "Customer\\u2028IT"',
        "stakeholder 'customer' field 'name'",
    ),
    (
        "runbook",
        '"Voicemail works"',
        '"Voicemail\\u202eworks"',
        "field 'verification' item 2",
    ),
    (
        "card",
        'name = "Carrier NOC"',
        'name = "Carrier\\nNOC"',
        "contact 'carrier-noc' field 'name'",
    ),
    (
        "card",
        'label = "NOC"',
        'label = "N\\u0007OC"',
        "contact 'carrier-noc' phone #1 field 'label'",
    ),
    ("card", 'title = "Mini contacts"', 'title = "Mini\\u009bcontacts"', "[card] field 'title'"),
]


@pytest.mark.parametrize(("kind", "old", "new", "where"), ONE_LINE_FIELDS)
def test_every_one_line_text_refuses_line_breaks_and_control_characters(
    tmp_path: Path, kind: str, old: str, new: str, where: str
) -> None:
    edits = [(old, new)]
    runbook, card = mini_copy(
        tmp_path, edits if kind == "runbook" else [], edits if kind == "card" else []
    )
    path = runbook if kind == "runbook" else card
    [problem] = refused(load_runbook if kind == "runbook" else load_contact_card, path).problems
    assert problem.where == where
    assert problem.line is not None
    assert new in path.read_text(encoding="utf-8").splitlines()[problem.line - 1]
    assert problem.message.startswith("holds ") and problem.message.endswith("remove it")


def test_prose_fields_may_span_lines_and_hold_tabs(tmp_path: Path) -> None:
    runbook_path, card_path = mini_copy(
        tmp_path,
        [
            ('title = "Prepare"', 'title = "Prepare"\ninstructions = "One.\\n\\tTwo.\\r\\n"'),
            ('why = "numbers move', 'why = "Numbers\\nmove'),
            ('"Call the carrier NOC"', '"Call the carrier NOC:\\n\\tthen wait"'),
            ('text = "Done."', 'text = """\nDone.\n\nThanks.\n"""'),
        ],
        [('role = "Deployment engineer"', 'role = "Deployment engineer"\nnotes = "A\\nB\\tC"')],
    )
    runbook = load_runbook(runbook_path)
    assert runbook.step("prep").instructions.startswith("One.\n\tTwo.")
    assert runbook.point_of_no_return.forward_fix[1] == "Call the carrier NOC:\n\tthen wait"
    assert runbook.message("done").text == "Done.\n\nThanks."
    assert load_contact_card(card_path).contact("de").notes == "A\nB\tC"


def test_prose_still_refuses_escapes(tmp_path: Path) -> None:
    runbook_path, _ = mini_copy(
        tmp_path, [('text = "Done."', f'text = "Done.{TITLE_ESCAPE_TOML}"')]
    )
    [problem] = refused(load_runbook, runbook_path).problems
    assert problem.where == "message 'done' field 'text'"
    assert problem.message == "holds a control character (\\x1b); remove it"


def test_keys_are_checked_too_and_shown_escaped() -> None:
    problems = refused(load_contact_card, BROKEN / "card-control-characters.toml")
    rendered = problems.render()
    assert "secrets.Port-out\\x1b[2J PIN" in rendered and "\x1b" not in rendered
    assert "\u202e" not in rendered
    # The notes' line break is prose: not among the problems.
    assert all("notes" not in problem.where for problem in problems.problems)


def test_a_file_with_a_control_character_and_another_mistake_gets_both(tmp_path: Path) -> None:
    runbook_path, _ = mini_copy(
        tmp_path,
        [
            ('title = "Prepare"', f'title = "Prepare{TITLE_ESCAPE_TOML}"'),
            ("minutes = 20", "minutes = 0"),
        ],
    )
    problems = refused(load_runbook, runbook_path).problems
    assert [problem.where for problem in problems] == [
        "step 'prep' field 'title'",
        "step 'switch' field 'minutes'",
    ]


def test_an_old_journal_holding_control_characters_still_folds(tmp_path: Path) -> None:
    # A plan and card as an older cockpit accepted them: validated the way a journal's
    # snapshot is (no file context), with an escape, a line break in a title, a time that
    # the clocks skip and a year the loader now refuses.
    data = load_runbook(MINI).model_dump(mode="json")
    data["runbook"]["title"] = f"Mini {TITLE_ESCAPE}"
    data["runbook"]["window_start"] = "2027-03-14T02:30:00"
    data["runbook"]["window_end"] = "2027-03-14T04:00:00"
    data["steps"][0]["title"] = "Pre\npare\x07"
    old_plan = Runbook.model_validate(data)
    card_data = load_contact_card(MINI_CARD).model_dump(mode="json")
    card_data["contacts"][0]["secrets"] = {"PIN\x1b[2J": {"secret": "pin"}}
    old_card = ContactCard.model_validate(card_data)

    journal = tmp_path / "old.journal"
    clock = ManualClock(datetime(2027, 3, 14, 8, 0, tzinfo=UTC))
    Session.open(journal, old_plan, old_card, clock).close()
    reader = JournalReader.open(journal)
    try:
        state = fold(reader.events())
    finally:
        reader.close()
    assert state.runbook is not None and state.runbook.meta.title == f"Mini {TITLE_ESCAPE}"
    assert state.runbook.steps[0].title == "Pre\npare\x07"
    # …and the night resumes on it.
    clock.advance(minutes=5)
    resumed = Session.open(journal, old_plan, old_card, clock)
    try:
        assert resumed.state.sessions == 2
    finally:
        resumed.close()


# ---- daylight saving ---------------------------------------------------------------------


def test_a_window_time_the_clocks_skip_is_refused() -> None:
    [problem] = refused(load_runbook, BROKEN / "window-spring-forward.toml").problems
    assert (problem.line, problem.where) == (8, "[runbook] field 'window_start'")
    assert problem.message == (
        "02:30 on 2027-03-14 does not exist in America/Chicago: the clocks jump from 02:00 to "
        "03:00 that night; expected a time before 02:00 or from 03:00"
    )


def test_a_window_end_the_clocks_skip_is_refused(tmp_path: Path) -> None:
    runbook_path, _ = mini_copy(
        tmp_path,
        [
            ("window_start = 2026-11-24T02:00:00", "window_start = 2027-03-14T00:30:00"),
            ("window_end = 2026-11-24T03:00:00", "window_end = 2027-03-14T02:15:00"),
        ],
    )
    [problem] = refused(load_runbook, runbook_path).problems
    assert problem.where == "[runbook] field 'window_end'" and "does not exist" in problem.message


def test_a_fall_back_window_is_warned_and_measured_in_real_time(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Chicago, 2026-11-01: the clocks go back from 02:00 to 01:00, so 01:00–03:00 is 3 h.
    runbook_path, _ = mini_copy(
        tmp_path,
        [
            ("window_start = 2026-11-24T02:00:00", "window_start = 2026-11-01T01:00:00"),
            ("window_end = 2026-11-24T03:00:00", "window_end = 2026-11-01T03:00:00"),
        ],
    )
    runbook = load_runbook(runbook_path)
    meta = runbook.meta
    assert meta.window_start_utc == datetime(2026, 11, 1, 6, 0, tzinfo=UTC)  # 01:00 CDT
    assert meta.window_end_utc == datetime(2026, 11, 1, 9, 0, tzinfo=UTC)  # 03:00 CST
    assert meta.window_minutes == 180
    timing = rollback_deadline(runbook)
    assert timing.window_minutes == 180
    # The latest rollback (5 min, just before 'switch') ends at 03:00 CST.
    assert timing.deadline == datetime(2026, 11, 1, 2, 55)
    assert timing.latest_point == datetime(2026, 11, 1, 1, 20)

    # It loads (2 would be a refused file); the mini plan is not ready for other reasons.
    assert main(["check", str(runbook_path)]) == 1
    out = capsys.readouterr().out
    assert (
        f"{runbook_path}:11: warning: [runbook] field 'window_start': 01:00 on 2026-11-01 "
        "happens twice in America/Chicago: the clocks go back from 02:00 to 01:00 that night; "
        "the cockpit takes the first, 01:00 CDT (UTC-05:00) [R404 window-time-repeated]"
    ) in out
    assert "a runbook cannot name the second 01:00 (CST)" in out
    assert "move window_start out of the repeated hour (01:00–02:00)" in out
    assert "it lasts 180 min, not the 120 min from 01:00 to 03:00 [R405" in out


def test_a_window_the_clocks_jump_inside_is_warned_with_its_real_length(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    runbook_path, _ = mini_copy(
        tmp_path,
        [
            ("window_start = 2026-11-24T02:00:00", "window_start = 2027-03-14T01:00:00"),
            ("window_end = 2026-11-24T03:00:00", "window_end = 2027-03-14T04:00:00"),
        ],
    )
    assert load_runbook(runbook_path).meta.window_minutes == 120
    main(["check", str(runbook_path)])
    out = capsys.readouterr().out
    assert "the clocks jump from 02:00 to 03:00 during the window: it lasts 120 min" in out
    assert "R404" not in out


# ---- absurd values -----------------------------------------------------------------------


@pytest.mark.parametrize(("year", "ok"), [(1999, False), (2000, True), (2999, True), (3000, False)])
def test_window_years_are_plausible(tmp_path: Path, year: int, ok: bool) -> None:
    runbook_path, _ = mini_copy(
        tmp_path,
        [
            ("window_start = 2026-11-24T02:00:00", f"window_start = {year}-11-24T02:00:00"),
            ("window_end = 2026-11-24T03:00:00", f"window_end = {year}-11-24T03:00:00"),
        ],
    )
    if ok:
        assert load_runbook(runbook_path).meta.window_start.year == year
    else:
        problems = refused(load_runbook, runbook_path).problems
        assert [p.line for p in problems] == [11, 12]
        assert all(f"the year {year} is not a plausible year" in p.message for p in problems)


def test_year_9999_is_refused_before_it_can_overflow() -> None:
    problems = refused(load_runbook, BROKEN / "window-year-9999.toml").problems
    assert [(p.line, p.where) for p in problems] == [
        (8, "[runbook] field 'window_start'"),
        (9, "[runbook] field 'window_end'"),
    ]


#: Whole numbers and flags given as something else: (file, old, new, where).
LAX_VALUES = [
    ("runbook", "minutes = 20", "minutes = true", "step 'switch' field 'minutes'"),
    ("runbook", "minutes = 20", "minutes = 20.0", "step 'switch' field 'minutes'"),
    ("runbook", "minutes = 20", 'minutes = "20"', "step 'switch' field 'minutes'"),
    ("runbook", "rto_minutes = 30", "rto_minutes = true", "[runbook] field 'rto_minutes'"),
    (
        "runbook",
        'kind = "delay", minutes = 15',
        'kind = "delay", minutes = false',
        "message 'late' field 'trigger.minutes'",
    ),
    (
        "runbook",
        '{ action = "Unprepare", minutes = 5 }',
        '{ action = "Unprepare", minutes = 5, tested = "yes" }',
        "step 'prep' field 'rollback.tested'",
    ),
    (
        "runbook",
        "window_start = 2026-11-24T02:00:00",
        'window_start = "2026-11-24T02:00:00"',
        "[runbook] field 'window_start'",
    ),
    ("card", "escalation_order = 1", "escalation_order = true", "contact 'senior'"),
    ("card", "on_call_senior = true", "on_call_senior = 1", "contact 'senior'"),
]


@pytest.mark.parametrize(("kind", "old", "new", "where"), LAX_VALUES)
def test_numbers_and_flags_are_strict(
    tmp_path: Path, kind: str, old: str, new: str, where: str
) -> None:
    edits = [(old, new)]
    runbook_path, card_path = mini_copy(
        tmp_path, edits if kind == "runbook" else [], edits if kind == "card" else []
    )
    load = load_runbook if kind == "runbook" else load_contact_card
    problems = refused(load, runbook_path if kind == "runbook" else card_path).problems
    assert problems and problems[0].where.startswith(where), problems
    assert "expected" in problems[0].message


def test_minutes_true_says_true_as_the_file_spells_it() -> None:
    [problem] = refused(load_runbook, BROKEN / "minutes-true.toml").problems
    assert problem.message == "expected a whole number, got true"


@pytest.mark.parametrize("zone", ["localtime", "posixrules", "Factory"])
def test_only_real_zone_names(tmp_path: Path, zone: str) -> None:
    runbook_path, _ = mini_copy(
        tmp_path, [('timezone = "America/Chicago"', f'timezone = "{zone}"')]
    )
    [problem] = refused(load_runbook, runbook_path).problems
    assert problem.where == "[runbook] field 'timezone'"
    assert "IANA name" in problem.message


@pytest.mark.parametrize(
    "zone",
    ["localtime", "posixrules", "Factory", "america/chicago", "right/UTC", "posix/Europe/London",
     "America", "America/", "Europe/London/", "Etc/../UTC", "../etc/passwd", "/etc/passwd",
     "zone.tab", "tzdata.zi", "leapseconds", "America/Chicago ", ""],
)  # fmt: skip
def test_one_zone_is_asked_as_the_whole_folder_would_answer(zone: str) -> None:
    """The loader asks for one name (walking the zone folder cost ~15 ms on every start);
    it must answer as the walk does, for every zone and for what only looks like one."""
    assert is_iana_zone(zone) is (zone in iana_zone_names())


def test_every_zone_of_the_folder_is_a_zone() -> None:
    assert all(is_iana_zone(zone) for zone in iana_zone_names())


def test_utc_is_a_zone(tmp_path: Path) -> None:
    runbook_path, _ = mini_copy(tmp_path, [('timezone = "America/Chicago"', 'timezone = "UTC"')])
    assert load_runbook(runbook_path).meta.timezone == "UTC"


# ---- themes ------------------------------------------------------------------------------

THEME = '[theme]\nname = "{name}"\ndark = true\nprimary = "#3366cc"\n'


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (THEME.format(name="mine\\u001b]0;X\\u0007"), 2),
        (THEME.format(name="mine") + '\n[variables]\n"go\\u001b[2J" = "#00ff00"\n', 7),
        (THEME.format(name="mine").replace('"#3366cc"', '"#3366cc\\u202e"'), 4),
    ],
)
def test_a_theme_with_a_control_character_is_refused(tmp_path: Path, text: str, line: int) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(text, encoding="utf-8")
    problems = refused(load_theme, path)
    assert any(
        problem.line == line and "control character" in problem.message
        for problem in problems.problems
    ), problems.render()
    assert not {"\x1b", "\x07", "\u202e"} & set(problems.render())


def test_a_hostile_user_theme_is_skipped_with_an_escaped_notice(tmp_path: Path) -> None:
    themes = tmp_path / "themes"
    themes.mkdir()
    (themes / "evil.toml").write_text(THEME.format(name="evil\\u001b]0;X\\u0007"), "utf-8")
    loaded, notices = all_themes(tmp_path)
    assert "evil" not in {theme.name for theme in loaded}
    [notice] = [notice for notice in notices if "evil.toml" in notice]
    assert "\\x1b" in notice and "\x1b" not in notice


def test_a_theme_flag_is_strict(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(THEME.format(name="mine").replace("dark = true", 'dark = "no"'), "utf-8")
    [problem] = refused(load_theme, path).problems
    assert problem.line == 3 and "expected true or false" in problem.message


# ---- what the DE sees: cockpit check -----------------------------------------------------

CHECKED = {
    "title-escape.toml": ":22: step 'switch' field 'title': holds a control character (\\x1b)",
    "title-newline.toml": ":22: step 'switch' field 'title': holds a line break",
    "window-spring-forward.toml": ":8: [runbook] field 'window_start': 02:30 on 2027-03-14",
    "window-year-9999.toml": ":8: [runbook] field 'window_start': the year 9999",
    "minutes-true.toml": ":24: step 'switch' field 'minutes': expected a whole number, got true",
    "timezone-localtime.toml": ":7: [runbook] field 'timezone': 'localtime' is not",
}


@pytest.mark.parametrize("name", sorted(CHECKED))
def test_cockpit_check_prints_the_located_error_and_no_traceback(name: str) -> None:
    path = BROKEN / name
    done = subprocess.run(
        [sys.executable, "-m", "cockpit", "check", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 2, output
    assert f"{path}{CHECKED[name]}" in output
    assert "Traceback" not in output and "\x1b" not in output


def test_cockpit_check_on_a_hostile_card_is_located(capsys: pytest.CaptureFixture[str]) -> None:
    card = BROKEN / "card-control-characters.toml"
    assert main(["check", str(MINI), "--contacts", str(card)]) == 2
    captured = capsys.readouterr()
    output = captured.out + captured.err
    assert f"{card}:26: contact 'carrier-noc' field 'secrets.Port-out\\x1b[2J PIN'" in output
    assert "\x1b" not in output
