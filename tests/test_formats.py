"""Every broken file is reported with its name, line, step/checkpoint and what is
expected — all problems at once, never a traceback.

The files in tests/fixtures/broken/ are each a small valid runbook or card with one kind
of mistake (several-errors.toml has many). The expected lines are written out on purpose:
a locator that drifts by one line sends a tired engineer to the wrong place.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cockpit.cli import main
from cockpit.errors import FileProblems, Problem
from cockpit.model.load import describe, load_contact_card, load_runbook
from cockpit.model.locate import find_line, line_map

FIXTURES = Path(__file__).parent / "fixtures"
BROKEN = FIXTURES / "broken"

#: file → every expected problem: (line or None, where, key words of the message).
RUNBOOK_CASES: dict[str, list[tuple[int | None, str, list[str]]]] = {
    "syntax-error.toml": [(22, "", ["TOML syntax error", "closing quote", "column 21"])],
    "typo-key.toml": [
        (32, "step 'test' field 'minuts'", ["unknown key 'minuts'", "did you mean 'minutes'?"])
    ],
    "missing-field.toml": [(13, "step 'prep' field 'title'", ["missing required key 'title'"])],
    "zero-minutes.toml": [(24, "step 'switch' field 'minutes'", ["expected more than 0", "got 0"])],
    "duplicate-step-id.toml": [(29, "step 'prep' (#3) field 'id'", ["duplicate step id 'prep'"])],
    "depends-forward.toml": [
        (
            25,
            "step 'switch' field 'depends_on'",
            ["depends on 'test'", "must point to an earlier step"],
        )
    ],
    "checkpoint-unknown-step.toml": [
        (
            38,
            "checkpoint 'gate' field 'before'",
            ["unknown step 'swich'", "expected one of the step ids"],
        ),
        (45, "[point_of_no_return] field 'step'", ["no go/no-go checkpoint gates 'switch'"]),
    ],
    "unknown-timezone.toml": [
        (
            7,
            "[runbook] field 'timezone'",
            ["unknown time zone 'America/Chicaco'", "did you mean 'America/Chicago'?"],
        )
    ],
    "window-end-before-start.toml": [
        (9, "[runbook] field 'window_end'", ["window_end must be after window_start"])
    ],
    "window-offset.toml": [
        (8, "[runbook] field 'window_start'", ["without an offset", "'timezone' key"])
    ],
    "two-rollbacks.toml": [
        (26, "step 'switch' field 'no_rollback'", ["either 'rollback' or 'no_rollback', not both"])
    ],
    "ponr-ungated.toml": [
        (
            45,
            "[point_of_no_return] field 'step'",
            ["no go/no-go checkpoint gates 'switch'", "before = 'switch'"],
        )
    ],
    "unknown-placeholder.toml": [
        (
            59,
            "message 'start' field 'text'",
            ["unknown placeholder {customer_name}", "expected one of", "{customer}"],
        )
    ],
    "unknown-audience.toml": [
        (
            63,
            "message 'done' field 'audience'",
            ["unknown stakeholder 'seniour'", "expected one of the stakeholder ids"],
        )
    ],
    "bad-trigger.toml": [
        (
            64,
            "message 'done' field 'trigger.kind'",
            ["unknown trigger kind 'finished'", "expected one of", "completed"],
        )
    ],
    "unknown-table.toml": [
        (44, "", ["unknown table 'point_of_no_retrun'", "did you mean 'point_of_no_return'?"])
    ],
    "not-utf8.toml": [(4, "", ["not UTF-8", "0xe9", "save the file as UTF-8"])],
    "empty.toml": [(None, "", ["the file is empty", "expected a runbook"])],
    "comments-only.toml": [
        (None, "", ["missing the [runbook] table"]),
        (None, "", ["missing the [[steps]] tables"]),
        (None, "", ["missing the [point_of_no_return] table"]),
    ],
    # Refused since issue 10 (see tests/test_hostile_files.py for the rest of each story).
    "title-escape.toml": [
        (22, "step 'switch' field 'title'", ["holds a control character (\\x1b)", "remove it"])
    ],
    "title-newline.toml": [
        (22, "step 'switch' field 'title'", ["holds a line break", "one line", "remove it"])
    ],
    "window-spring-forward.toml": [
        (
            8,
            "[runbook] field 'window_start'",
            ["02:30 on 2027-03-14 does not exist", "jump from 02:00 to 03:00"],
        )
    ],
    "window-year-9999.toml": [
        (8, "[runbook] field 'window_start'", ["year 9999", "from 2000 to 2999"]),
        (9, "[runbook] field 'window_end'", ["year 9999", "from 2000 to 2999"]),
    ],
    "minutes-true.toml": [
        (24, "step 'switch' field 'minutes'", ["expected a whole number", "got true"])
    ],
    "timezone-localtime.toml": [
        (7, "[runbook] field 'timezone'", ["'localtime' is not the name", "IANA name"])
    ],
    "several-errors.toml": [
        (7, "[runbook] field 'timezone'", ["unknown time zone", "did you mean 'America/Chicago'?"]),
        (24, "step 'switch' field 'minutes'", ["expected more than 0"]),
        (32, "step 'test' field 'minuts'", ["did you mean 'minutes'?"]),
        (38, "checkpoint 'gate' field 'before'", ["unknown step 'swich'"]),
        (45, "[point_of_no_return] field 'step'", ["no go/no-go checkpoint gates 'switch'"]),
        (64, "message 'done' field 'trigger.kind'", ["unknown trigger kind 'finished'"]),
    ],
}

CARD_CASES: dict[str, list[tuple[int | None, str, list[str]]]] = {
    "card-literal-pin.toml": [
        (
            24,
            "contact 'carrier-noc' field 'secrets.Port-out PIN'",
            ['{ secret = "name" }', "never its value", "cockpit secrets set"],
        ),
        (
            30,
            "account 'carrier' field 'fields.Portal password'",
            ["looks like a secret", "literal value", 'secret = "name"'],
        ),
    ],
    "card-control-characters.toml": [
        (
            26,
            "contact 'carrier-noc' field 'secrets.Port-out\\x1b[2J PIN'",
            ["the key holds a control character (\\x1b)"],
        ),
        (
            32,
            "account 'carrier' field 'fields.Account number'",
            ["holds a control character (\\u202e)"],
        ),
    ],
    "card-two-seniors.toml": [
        (
            24,
            "contact 'manager' field 'on_call_senior'",
            ["more than one contact is the on-call senior", "mark exactly one"],
        )
    ],
}


def _assert_problems(
    caught: FileProblems, path: Path, expected: list[tuple[int | None, str, list[str]]]
) -> None:
    problems = caught.problems
    shown = "\n".join(problem.render(path) for problem in problems)
    assert Path(caught.path).name == path.name
    assert len(problems) == len(expected), shown
    for problem, (line, where, words) in zip(problems, expected, strict=True):
        assert problem.line == line, shown
        assert problem.where == where, shown
        for word in words:
            assert word in problem.message, f"{word!r} not in: {problem.message}"
        assert problem.render(path).startswith(f"{path}:{line}: " if line else f"{path}: ")


@pytest.mark.parametrize("name", sorted(RUNBOOK_CASES))
def test_broken_runbook_is_reported_with_file_line_and_expectation(name: str) -> None:
    path = BROKEN / name
    with pytest.raises(FileProblems) as caught:
        load_runbook(path)
    assert caught.value.kind == "runbook"
    _assert_problems(caught.value, path, RUNBOOK_CASES[name])


@pytest.mark.parametrize("name", sorted(CARD_CASES))
def test_broken_card_is_reported_with_file_line_and_expectation(name: str) -> None:
    path = BROKEN / name
    with pytest.raises(FileProblems) as caught:
        load_contact_card(path)
    assert caught.value.kind == "contact card"
    _assert_problems(caught.value, path, CARD_CASES[name])
    # A literal secret is never echoed back: the terminal may be screen-shared.
    assert "4471" not in caught.value.render() and "hunter2" not in caught.value.render()


def test_every_broken_fixture_is_covered() -> None:
    covered = set(RUNBOOK_CASES) | set(CARD_CASES) | set(CHECK_CASES)
    assert {path.name for path in BROKEN.iterdir()} == covered


def test_a_card_given_as_runbook_gets_one_clear_sentence(tmp_path: Path) -> None:
    card = FIXTURES / "mini-contacts.toml"
    with pytest.raises(FileProblems) as caught:
        load_runbook(card)
    [problem] = caught.value.problems
    assert problem.line == 1 and "this is a contact card, not a runbook" in problem.message
    with pytest.raises(FileProblems) as caught:
        load_contact_card(FIXTURES / "mini.toml")
    [problem] = caught.value.problems
    assert problem.line == 5 and "this is a runbook, not a contact card" in problem.message


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + (FIXTURES / "mini.toml").read_bytes())
    assert load_runbook(path).meta.id == "mini"


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(FileProblems, match="no such file"):
        load_runbook(tmp_path / "nope.toml")
    with pytest.raises(FileProblems, match="this is a folder"):
        load_runbook(tmp_path)


def test_unterminated_array_points_at_the_end_of_the_file(tmp_path: Path) -> None:
    path = tmp_path / "open.toml"
    path.write_text('[runbook]\nid = "x"\nverify = [\n  "a",\n', encoding="utf-8")
    with pytest.raises(FileProblems) as caught:
        load_runbook(path)
    [problem] = caught.value.problems
    assert problem.line == 4 and "at the end of the file" in problem.message


# ---- cockpit check on broken files -------------------------------------------------------

#: file → (arguments after the file, exit code, lines that must be printed).
CHECK_CASES: dict[str, tuple[list[str], int, list[str]]] = {
    "owner-not-on-card.toml": (
        [],
        1,
        [
            "owner-not-on-card.toml:23: error: step 'switch' field 'owner': owner 'dba' is not on "
            "the contact card 'mini'; expected a contact id or role: de (Deployment engineer)",
            "owner-not-on-card.toml:41: error: checkpoint 'gate' field 'decider': decider "
            "'change-manager' is not on the contact card 'mini'",
            "owner-not-on-card.toml:52: error: stakeholder 'senior' field 'contact': contact 'cio' "
            "is not on the contact card 'mini'; expected one of the contact ids: de, senior, "
            "carrier-noc",
        ],
    ),
    "card-no-senior.toml": (
        [],
        1,
        ["card-no-senior.toml:7: error: no contact is the on-call senior; mark the senior DE"],
    ),
    "missing-card-file.toml": (
        [],
        2,
        [
            "missing-card-file.toml:11: [runbook] field 'contact_card': the contact card "
            "'../no-such-card.toml' does not exist"
        ],
    ),
}


@pytest.mark.parametrize("name", sorted(CHECK_CASES))
def test_cockpit_check_reports_findings_with_locations(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    extra, code, expected = CHECK_CASES[name]
    if name.startswith("card-"):
        argv = ["check", str(FIXTURES / "mini.toml"), "--contacts", str(BROKEN / name)]
    else:
        argv = ["check", str(BROKEN / name), *extra]
    assert main(argv) == code
    captured = capsys.readouterr()
    output = captured.out + captured.err
    assert "Traceback" not in output
    for line in expected:
        assert line in output, output
    assert output.startswith("✘ ")


@pytest.mark.parametrize("name", sorted(RUNBOOK_CASES))
def test_cockpit_check_on_a_broken_runbook_exits_2_with_located_lines(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = BROKEN / name
    assert main(["check", str(path)]) == 2
    captured = capsys.readouterr()
    output = captured.out + captured.err
    assert "Traceback" not in output
    printed = [text.strip() for text in output.splitlines()]
    for line, where, words in RUNBOOK_CASES[name]:
        prefix = (f"{path}:{line}: " if line else f"{path}: ") + (f"{where}: " if where else "")
        assert any(
            text.startswith(prefix) and all(word in text for word in words) for text in printed
        ), output


def test_cockpit_check_reports_runbook_and_card_problems_together(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(
        [
            "check",
            str(BROKEN / "zero-minutes.toml"),
            "--contacts",
            str(BROKEN / "card-two-seniors.toml"),
        ]
    )
    assert code == 2
    out = capsys.readouterr().out
    assert "zero-minutes.toml:24: step 'switch' field 'minutes'" in out
    assert "card-two-seniors.toml:24: contact 'manager' field 'on_call_senior'" in out


def test_cockpit_check_warns_when_there_is_no_card(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (FIXTURES / "mini.toml").read_text(encoding="utf-8")
    path = tmp_path / "nocard.toml"
    path.write_text(text.replace('contact_card = "mini-contacts.toml"\n', ""), encoding="utf-8")
    # The mini runbook is valid but not ready (its comms plan is thin): exit 1, and the
    # missing card is one of the findings, located on the [runbook] table.
    assert main(["check", str(path)]) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"✘ {path}: not ready")
    assert f"{path}:5: warning: [runbook]: no contact card" in out


# ---- cockpit schema ----------------------------------------------------------------------


def test_cockpit_schema_prints_both_formats(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert set(schema) == {"runbook", "contact_card"}
    runbook = schema["runbook"]
    assert runbook["$schema"].startswith("https://json-schema.org/")
    assert {"runbook", "steps", "point_of_no_return"} <= set(runbook["required"])
    assert runbook["additionalProperties"] is False
    meta = runbook["$defs"]["Meta"]["properties"]
    assert meta["window_start"]["format"] == "partial-date-time"
    assert "contacts" in schema["contact_card"]["properties"]


@pytest.mark.parametrize(("fmt", "key"), [("runbook", "steps"), ("contacts", "contacts")])
def test_cockpit_schema_one_format(
    fmt: str, key: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["schema", "--format", fmt]) == 0
    assert key in json.loads(capsys.readouterr().out)["properties"]
    out = tmp_path / "schema.json"
    assert main(["schema", "--format", fmt, "-o", str(out)]) == 0
    assert key in json.loads(out.read_text(encoding="utf-8"))["properties"]


# ---- the locator and the where-text ------------------------------------------------------


def test_line_map_handles_items_on_one_line_inline_tables_and_strings() -> None:
    text = "\n".join(
        [
            "top = 1  # a [bracket] in a comment",  # 1
            "[runbook]",  # 2
            'title = "a [b] # c"',  # 3
            "[[steps]]",  # 4
            'verify = ["a", "b",',  # 5
            '  "c"]',  # 6
            'instructions = """',  # 7
            "[not a header]",  # 8
            'still = "text"',  # 9
            '"""',  # 10
            "minutes = 5",  # 11
            "[[steps]]",  # 12
            "rollback = { action = 'x', minutes = 0 }",  # 13
            "[communications]",  # 14
            "stakeholders = [",  # 15
            '  { id = "a", name = "A" }, { id = "b", name = "B" },',  # 16
            '  { id = "c", contact = "x" },',  # 17
            "]",  # 18
            "[[communications.messages]]",  # 19
            'trigger = { kind = "delay" }',  # 20
        ]
    )
    lines = line_map(text)
    assert lines[("top",)] == 1
    assert lines[("runbook", "title")] == 3
    assert lines[("steps",)] == 4
    assert lines[("steps", 0, "verify", 0)] == 5
    assert lines[("steps", 0, "verify", 1)] == 5
    assert lines[("steps", 0, "verify", 2)] == 6
    assert lines[("steps", 0, "minutes")] == 11
    assert ("not a header",) not in lines and ("steps", 0, "still") not in lines
    assert lines[("steps", 1, "rollback", "minutes")] == 13
    assert lines[("communications", "stakeholders", 1)] == 16
    assert lines[("communications", "stakeholders", 2, "contact")] == 17
    assert lines[("communications", "messages", 0, "trigger", "kind")] == 20
    assert find_line(lines, ("steps", 1, "rollback", "commands", 3)) == 13
    assert find_line(lines, ("nowhere",)) is None


def test_describe_names_steps_checkpoints_tables_and_items() -> None:
    data = {
        "runbook": {"timezone": "x"},
        "steps": [{"id": "prep"}, {"id": "port-activation", "verify": ["a", "b"]}, {}],
        "checkpoints": [{"id": "gng-1"}],
        "communications": {"messages": [{"id": "start"}]},
        "contacts": [{"id": "senior", "phones": [{"number": "1"}]}],
    }
    assert describe(("steps", 1, "minutes"), data) == "step 'port-activation' field 'minutes'"
    assert (
        describe(("steps", 1, "verify", 1), data) == "step 'port-activation' field 'verify' item 2"
    )
    assert describe(("steps", 2, "id"), data) == "step #3 field 'id'"
    assert describe(("steps", 0), data) == "step 'prep'"
    assert describe(("checkpoints", 0, "criteria"), data) == "checkpoint 'gng-1' field 'criteria'"
    assert describe(("runbook", "timezone"), data) == "[runbook] field 'timezone'"
    assert describe(("communications", "messages", 0, "trigger", "kind"), data) == (
        "message 'start' field 'trigger.kind'"
    )
    assert describe(("contacts", 0, "phones", 0, "number"), data) == (
        "contact 'senior' phone #1 field 'number'"
    )
    assert describe(("runbook",), data) == ""


# ---- fuzz: any text in, only FileProblems out --------------------------------------------

_VALID = [
    (FIXTURES / "mini.toml").read_text(encoding="utf-8"),
    (FIXTURES / "mini-contacts.toml").read_text(encoding="utf-8"),
]
_TRICKY_LINES = [
    "[[steps]]",
    "[runbook]",
    "[card]",
    "[[contacts]]",
    'id = "prep"',
    "minutes = 0",
    "minutes = -5",
    'minutes = "ten"',
    "steps = 3",
    'trigger = { kind = "soon" }',
    "trigger = 7",
    "window_start = 2026-11-24T02:00:00+01:00",
    "window_end = 2026-11-24",
    'timezone = "Mars/Olympus"',
    'timezone = "../../etc"',
    'before = "nowhere"',
    'text = "{title.__class__}"',
    'secrets = { "PIN" = "1234" }',
    'fields = { "Password" = 5 }',
    'phones = [{ number = "call me" }]',
    "on_call_senior = true",
    'rollback = { action = "x", minutes = 1 }',
    'no_rollback = "x"',
    '"""',
    "a = [[[[[[[[[[1]]]]]]]]]]",
    "x.y.z = { a = { b = [1, { c = 2 }] } }",
    "[point_of_no_return]",
    'step = "switch"',
    "none = 'x'",
    "audience = []",
    "criteria = []",
]


@st.composite
def _mutated(draw: st.DrawFn) -> bytes:
    lines = draw(st.sampled_from(_VALID)).splitlines()
    for _ in range(draw(st.integers(1, 4))):
        operation = draw(
            st.sampled_from(["delete", "duplicate", "replace", "insert", "swap", "bytes", "cut"])
        )
        index = draw(st.integers(0, max(len(lines) - 1, 0)))
        if operation == "delete" and lines:
            del lines[index]
        elif operation == "duplicate" and lines:
            lines.insert(index, lines[index])
        elif operation == "replace" and lines:
            lines[index] = draw(st.sampled_from(_TRICKY_LINES) | st.text(max_size=40))
        elif operation == "insert":
            lines.insert(index, draw(st.sampled_from(_TRICKY_LINES)))
        elif operation == "swap" and len(lines) > 1:
            other = draw(st.integers(0, len(lines) - 1))
            lines[index], lines[other] = lines[other], lines[index]
        elif operation == "cut" and lines:
            del lines[index:]
    data = "\n".join(lines).encode("utf-8")
    if draw(st.booleans()) and data:
        # Random bytes somewhere, or a truncation in the middle of a line.
        at = draw(st.integers(0, len(data)))
        if draw(st.booleans()):
            data = data[:at]
        else:
            data = data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at:]
    return data


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=_mutated())
def test_mutated_files_raise_only_located_file_problems(
    data: bytes, tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "mutated.toml"
    path.write_bytes(data)
    line_count = data.count(b"\n") + 1
    for load in (load_runbook, load_contact_card):
        try:
            load(path)
        except FileProblems as problems:
            assert problems.problems, "a FileProblems always says what is wrong"
            for problem in problems.problems:
                _assert_well_formed(problem, path, line_count)


def _assert_well_formed(problem: Problem, path: Path, line_count: int) -> None:
    rendered = problem.render(path)
    assert rendered.startswith(str(path))
    assert "bug in the cockpit" not in problem.message, rendered
    assert problem.line is None or 1 <= problem.line <= line_count, rendered
    assert problem.message.strip(), rendered
    assert not re.search(r"\bInput should\b", problem.message), rendered


@settings(max_examples=200, deadline=None)
@given(text=st.text())
@example(text="0=")  # a key with its value cut off at the end of the file
def test_line_map_never_fails(text: str) -> None:
    lines = line_map(text)
    assert all(1 <= line <= text.count("\n") + 1 for line in lines.values())


def test_a_wrongly_typed_secret_is_never_echoed(tmp_path: Path) -> None:
    path = tmp_path / "card.toml"
    path.write_text(
        '[card]\nid = "x"\ntitle = "x"\n[[contacts]]\nid = "de"\nname = "D"\nrole = "DE"\n'
        'secrets = { "PIN" = 918273 }\n[[accounts]]\nid = "a"\nvendor = "v"\n'
        'fields = { "Passcode" = 564738 }\n',
        encoding="utf-8",
    )
    with pytest.raises(FileProblems) as caught:
        load_contact_card(path)
    text = caught.value.render()
    assert "918273" not in text and "564738" not in text
    assert [problem.line for problem in caught.value.problems] == [8, 12]


def test_a_plan_without_phases_keeps_the_hash_its_journals_were_stamped_with() -> None:
    """Adding the optional `phase` field to the format must not make every existing plan
    look changed: a rehearsal journal or a night's journal stamped before the upgrade must
    still match (resume, R802/R803). The value is the mini plan's hash before phases existed."""
    from cockpit.model.fingerprint import runbook_sha256

    mini = load_runbook(Path(__file__).parent / "fixtures" / "mini.toml")
    assert runbook_sha256(mini) == (
        "9a3b067cd0199291b8dca7c3d391d4c98c2ee4d3835cb25686a3b77738856a16"
    )
    phased = mini.model_copy(
        update={"steps": [mini.steps[0].model_copy(update={"phase": "Before"}), *mini.steps[1:]]}
    )
    assert runbook_sha256(phased) != runbook_sha256(mini)  # a phase is part of the plan
