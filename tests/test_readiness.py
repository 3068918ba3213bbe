"""The readiness review (`cockpit check`): every rule fails on a broken plan and passes on
a ready one; rehearsal evidence comes from journals scripted through the real core.

The passing fixture is `tests/fixtures/readiness/ready.toml` with its card. Each failing
fixture is that plan with one small, named edit (`BROKEN`), so a case shows exactly what
breaks the rule and the two can never drift apart.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cockpit.cli import main
from cockpit.core import commands as cmd
from cockpit.core.clock import ManualClock
from cockpit.journal.store import Journal
from cockpit.model.load import load_contact_card, load_runbook
from cockpit.model.runbook import Runbook
from cockpit.readiness import RULE_INFO, is_vague_criterion, rollback_deadline
from tests.checklist_helpers import tick_all
from tests.journal_helpers import JournalDriver, start_command

HERE = Path(__file__).parent
READY = HERE / "fixtures" / "readiness" / "ready.toml"
READY_CARD = HERE / "fixtures" / "readiness" / "ready-contacts.toml"
ROOT = HERE.parent
#: An edit that cuts the file at its `old` text.
CUT = "<cut>"
#: The plans are checked on a prepared machine: every secret their cards name is stored
#: (R708, a secret missing, is `tests/test_secrets_readiness.py`'s).
pytestmark = pytest.mark.usefixtures("card_secrets_stored")


def check_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict]:
    """Run `cockpit check … --format json`; the exit code and the parsed report."""
    code = main(["check", *argv, "--format", "json"])
    out = capsys.readouterr().out
    return code, json.loads(out)


def rules_of(report: dict) -> list[str]:
    return [finding["rule"] for finding in report["findings"]]


def copy_ready(tmp_path: Path, runbook_edits=(), card_edits=()) -> Path:
    """The ready plan and card in `tmp_path`, with (old, new) text edits applied."""
    runbook_text = READY.read_text(encoding="utf-8")
    card_text = READY_CARD.read_text(encoding="utf-8")
    for old, new in runbook_edits:
        assert old in runbook_text, f"edit does not apply: {old!r}"
        if new == CUT:  # drop everything from `old` on
            runbook_text = runbook_text[: runbook_text.index(old)]
        runbook_text = runbook_text.replace(old, new, 1)
    for old, new in card_edits:
        assert old in card_text, f"edit does not apply: {old!r}"
        card_text = card_text.replace(old, new, 1)
    (tmp_path / "ready.toml").write_text(runbook_text, encoding="utf-8")
    (tmp_path / "ready-contacts.toml").write_text(card_text, encoding="utf-8")
    return tmp_path / "ready.toml"


# ---- the passing fixture ------------------------------------------------------------------


def test_the_ready_plan_is_ready_with_only_the_never_rehearsed_warning(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, report = check_json(capsys, str(READY))
    assert code == 0 and report["ready"] is True
    assert rules_of(report) == ["R801"]
    assert report["errors"] == 0 and report["warnings"] == 1


def test_strict_makes_warnings_fail(capsys: pytest.CaptureFixture[str]) -> None:
    code, report = check_json(capsys, str(READY), "--strict")
    assert code == 1 and report["ready"] is False


def test_the_text_report_prints_the_rollback_deadline_and_a_fix_per_finding(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["check", str(READY)]) == 0
    out = capsys.readouterr().out
    assert "rollback deadline: 03:50 on 2026-11-24 (America/Chicago)" in out
    assert f"{READY}:8: warning: [runbook]: never rehearsed" in out
    assert "[R801 never-rehearsed]" in out
    assert "\n      fix: rehearse it in staging" in out
    assert out.rstrip().endswith("ready (0 errors, 1 warning)")


def test_rollback_deadline_is_the_window_end_minus_the_latest_rollback() -> None:
    timing = rollback_deadline(load_runbook(READY))
    assert timing.rollback_minutes == 10 and timing.undo_steps == ("assign-numbers",)
    assert timing.deadline == datetime(2026, 11, 24, 3, 50)
    assert timing.latest_point == datetime(2026, 11, 24, 2, 45)  # the plan reaches 'port'
    assert timing.to_json()["deadline"] == "2026-11-24T03:50:00"


def test_rule_ids_are_unique_stable_and_named() -> None:
    assert list(RULE_INFO) == sorted(RULE_INFO)
    names = [info.name for info in RULE_INFO.values()]
    assert len(set(names)) == len(names)
    for rule_id, info in RULE_INFO.items():
        assert rule_id == info.id and info.severity in ("error", "warning") and info.summary


def test_list_rules(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--list-rules"]) == 0
    out = capsys.readouterr().out
    assert "R102  rollback-missing" in out and "R901  placeholder" in out


# ---- one failing fixture per rule -----------------------------------------------------------

#: rule → (runbook edits, card edits, the line the (first) finding points at).
BROKEN: dict[str, tuple[list[tuple[str, str]], list[tuple[str, str]], int | None]] = {
    "R101": ([('verify = ["Export file present and opens"]\n', "")], [], 28),
    "R102": (
        [
            (
                'rollback = { action = "Unassign the porting numbers", minutes = 10, '
                "tested = true }\n",
                "",
            )
        ],
        [],
        36,
    ),
    "R103": (
        [
            (
                'owner = "de"\nminutes = 10\nverify = ["Export',
                'owner = "TBD"\nminutes = 10\nverify = ["Export',
            )
        ],
        [],
        31,
    ),
    "R104": ([("tested = true", "tested = false")], [], 42),
    "R105": (
        [('no_rollback = "Export only; the old system is not changed."', 'no_rollback = "n/a"')],
        [],
        34,
    ),
    "R106": (
        [
            ('title = "Pre-flight checks"\n', 'title = "Pre-flight checks"\nphase = "Before"\n'),
            (
                'title = "Export the old call flows"\n',
                'title = "Export the old call flows"\nphase = "Port"\n',
            ),
            (
                'title = "Assign the porting numbers"\n',
                'title = "Assign the porting numbers"\nphase = "Before"\n',
            ),
        ],
        [],
        41,
    ),
    "R201": ([('before = "port"', 'before = "bridge"')], [], 102),
    "R202": (
        [
            (
                'forward_fix = ["Forward failing numbers to temporary numbers", '
                '"Call the carrier NOC"]\n',
                "",
            )
        ],
        [],
        101,
    ),
    "R203": (
        [
            (
                '[[post_cutover_writes]]\nwhat = "Voicemails left on the new platform"\n'
                'kept_by = "Export the mailboxes before any snapback"\n',
                "",
            )
        ],
        [],
        101,
    ),
    "R301": ([('"On-call senior DE reachable"', '"Looks good"')], [], 81),
    "R302": (
        [('decider = "de"\nno_go_means = "Hold', 'decider = "TBD"\nno_go_means = "Hold')],
        [],
        82,
    ),
    "R401": ([("rto_minutes = 30", "rto_minutes = 5")], [], 16),
    "R402": ([("window_end = 2026-11-24T04:00:00", "window_end = 2026-11-24T03:00:00")], [], 15),
    "R403": ([("window_end = 2026-11-24T04:00:00", "window_end = 2026-11-24T03:45:00")], [], 15),
    # The night Chicago's clocks go back from 02:00 to 01:00: 01:30 happens twice.
    "R404": (
        [
            ("window_start = 2026-11-24T02:00:00", "window_start = 2026-11-01T01:30:00"),
            ("window_end = 2026-11-24T04:00:00", "window_end = 2026-11-01T04:00:00"),
        ],
        [],
        14,
    ),
    "R405": (
        [
            ("window_start = 2026-11-24T02:00:00", "window_start = 2026-11-01T00:00:00"),
            ("window_end = 2026-11-24T04:00:00", "window_end = 2026-11-01T04:00:00"),
        ],
        [],
        14,
    ),
    "R500": ([("# ---- communications", CUT)], [], None),
    "R501": (
        [
            (
                'audience = ["customer", "senior", "carrier"]\ntrigger = { kind = "before_window"',
                'audience = ["customer", "senior"]\ntrigger = { kind = "before_window"',
            )
        ],
        [],
        116,
    ),
    "R502": (
        [
            (
                'audience = ["customer", "senior", "carrier"]\ntrigger = { kind = "completed" }',
                'audience = ["customer", "senior"]\ntrigger = { kind = "completed" }',
            )
        ],
        [],
        116,
    ),
    "R503": (
        [
            (
                'audience = ["customer", "senior", "carrier"]\n'
                'trigger = { kind = "rollback_completed" }',
                'audience = ["customer"]\ntrigger = { kind = "rollback_completed" }',
            )
        ],
        [],
        115,
    ),
    "R504": (
        [('trigger = { kind = "delay", minutes = 15 }', 'trigger = { kind = "rollback_started" }')],
        [],
        112,
    ),
    "R601": (
        [
            (
                'verification = [\n  "Main number answered by the auto attendant from a mobile",\n'
                '  "Voicemail to email arrives for the front desk",\n]\n',
                "",
            )
        ],
        [],
        4,
    ),
    "R701": ([('owner = "de"\nminutes = 20', 'owner = "dba"\nminutes = 20')], [], 64),
    "R702": (
        [
            (
                'decider = "de"\nno_go_means = "Fix forward',
                'decider = "cab"\nno_go_means = "Fix forward',
            )
        ],
        [],
        98,
    ),
    "R703": ([('contact = "customer-it"', 'contact = "cio"')], [], 114),
    "R704": ([], [("on_call_senior = true\n", "")], 7),
    "R705": (
        [
            ('owner = "carrier-noc"', 'owner = "porting-desk"'),
            ('contact = "carrier-noc"', 'contact = "porting-desk"'),
        ],
        [
            ('id = "carrier-noc"', 'id = "porting-desk"'),
            ('role = "Carrier porting NOC"', 'role = "Porting desk"'),
            ("Midwest Telco porting desk", "Midwest Telco porting"),
        ],
        24,
    ),
    "R706": ([], [('secrets = { "Port-out PIN" = { secret = "carrier-pin" } }\n', "")], 49),
    "R707": ([('contact_card = "ready-contacts.toml"\n', "")], [], 8),
    "R708": ([], [('{ secret = "carrier-pin" }', '{ secret = "unstored-pin" }')], 27),
    "R709": ([('signed_by = "senior-de"', 'signed_by = "cab-chair"')], [], 155),
    "R901": ([('customer = "Example Dental"', 'customer = "TODO: the customer"')], [], 12),
}


def test_every_rule_without_a_journal_has_a_failing_case() -> None:
    journal_rules = {rule for rule in RULE_INFO if rule.startswith("R8")}
    assert set(BROKEN) | journal_rules == set(RULE_INFO)


@pytest.mark.parametrize("rule", sorted(BROKEN))
def test_each_rule_fails_on_its_broken_fixture(
    rule: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    runbook_edits, card_edits, line = BROKEN[rule]
    path = copy_ready(tmp_path, runbook_edits, card_edits)
    code, report = check_json(capsys, str(path))
    found = [f for f in report["findings"] if f["rule"] == rule]
    assert found, f"{rule} did not fire; findings: {rules_of(report)}"
    severity = RULE_INFO[rule].severity
    assert all(f["severity"] == severity and f["name"] == RULE_INFO[rule].name for f in found)
    assert code == (1 if severity == "error" else 0)
    assert all(f["fix"] and f["message"] for f in found)
    assert found[0]["line"] == line, found[0]
    if line is not None:
        expected_file = "ready-contacts.toml" if rule in ("R704", "R708") else "ready.toml"
        assert found[0]["file"].endswith(expected_file)


def test_findings_name_the_step_or_checkpoint_they_concern(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = copy_ready(tmp_path, *BROKEN["R102"][:2])
    _, report = check_json(capsys, str(path))
    [finding] = [f for f in report["findings"] if f["rule"] == "R102"]
    assert finding["step"] == "assign-numbers"
    assert finding["where"] == "step 'assign-numbers'"
    path = copy_ready(tmp_path, *BROKEN["R301"][:2])
    _, report = check_json(capsys, str(path))
    [finding] = [f for f in report["findings"] if f["rule"] == "R301"]
    assert finding["checkpoint"] == "gate-1"
    assert finding["where"] == "checkpoint 'gate-1' field 'criteria' item 2"


def test_a_step_after_the_point_of_no_return_needs_no_rollback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = copy_ready(tmp_path, [('no_rollback = "Test calls only."\n', "")])
    code, report = check_json(capsys, str(path))
    assert code == 0 and rules_of(report) == ["R801"]


@pytest.mark.parametrize(
    "text",
    [
        "looks good",
        "OK",
        "ok.",
        "Everything fine",
        "everything is fine",
        "All good",
        "Looks OK",
        "go",
        "as expected",
        "system looks normal",
        "Seems fine to me",
        "n/a",
        "TBD",
        "  ",
    ],
)
def test_vague_criteria(text: str) -> None:
    assert is_vague_criterion(text)


@pytest.mark.parametrize(
    "text",
    [
        "Old system healthy",
        "All 23 numbers show active",
        "Error rate under 0.5 % for 10 minutes",
        "Row counts match on orders",
        "On-call senior DE reachable",
        "Carrier on the bridge",
    ],
)
def test_checkable_criteria(text: str) -> None:
    assert not is_vague_criterion(text)


# ---- rehearsal evidence ----------------------------------------------------------------------

REHEARSAL_NIGHT = datetime(2026, 11, 10, 20, 0, tzinfo=UTC)


def rehearse(
    path: Path,
    runbook: Runbook,
    *,
    steps: int | None = None,
    rollback: bool = True,
    complete_rollback: bool = True,
    rollback_minutes: float = 8,
    minutes: dict[str, float] | None = None,
    mode: str = "rehearsal",
    declare: bool = False,
) -> None:
    """Script a rehearsal journal of `runbook` through decide → append → evolve."""
    clock = ManualClock(REHEARSAL_NIGHT)
    card = load_contact_card(READY_CARD)
    with Journal.open(path) as journal:
        driver = JournalDriver(journal, clock)
        driver.must(start_command(runbook, card, mode=mode))  # type: ignore[arg-type]
        if mode == "rehearsal":
            driver.must(cmd.Rebaseline(plan_start=clock.now(), reason="rehearsal starts now"))
        else:
            tick_all(driver.must, driver.state, "pre_window")  # signed before the window
        for step in runbook.steps[: len(runbook.steps) if steps is None else steps]:
            for checkpoint in runbook.checkpoints_before(step.id):
                for index in range(len(checkpoint.criteria)):
                    driver.must(
                        cmd.MarkCriterion(checkpoint_id=checkpoint.id, index=index, met=True)
                    )
                driver.must(
                    cmd.DecideCheckpoint(checkpoint_id=checkpoint.id, decision="go", by="Dana")
                )
            taken = (minutes or {}).get(step.id, step.minutes)
            driver.work(step.id, taken, ponr=step.id == runbook.ponr_step)
        if declare:
            driver.declare("rehearsed forward")
        if rollback:
            driver.must(cmd.StartRollback(reason="rehearsing the rollback"))
            assert driver.state.rollback is not None
            undo = driver.state.rollback.steps
            for step_id in undo:
                clock.advance(minutes=rollback_minutes / max(len(undo), 1))
                driver.must(cmd.MarkRollbackStep(step_id=step_id))
            if complete_rollback and undo:
                tick_all(driver.must, driver.state, "rollback_verification")
                driver.must(cmd.CompleteRollback(summary="rehearsed"))


@pytest.fixture
def ready_runbook() -> Runbook:
    return load_runbook(READY)


def test_a_full_rehearsal_with_a_rollback_inside_the_rto_is_clean(
    tmp_path: Path, ready_runbook: Runbook, capsys: pytest.CaptureFixture[str]
) -> None:
    journal = tmp_path / "rehearsal.journal"
    rehearse(journal, ready_runbook, minutes={"preflight": 17})
    code, report = check_json(capsys, str(READY), "--rehearsal", str(journal), "--strict")
    assert code == 0, report["findings"]
    assert report["findings"] == []
    rehearsal = report["rehearsal"]
    assert rehearsal["matching"] == [str(journal)]
    first = rehearsal["steps"][0]
    assert first["step"] == "preflight" and first["planned_minutes"] == 15
    assert first["rehearsed_minutes"] == 17.0 and first["drift_minutes"] == 2.0
    assert not first["flagged"]
    [rollback] = rehearsal["rollbacks"]
    assert rollback["completed"] and rollback["undo_steps"] == ["assign-numbers"]
    assert rollback["minutes"] == 8.0


def test_the_text_report_shows_the_drift_table(
    tmp_path: Path, ready_runbook: Runbook, capsys: pytest.CaptureFixture[str]
) -> None:
    journal = tmp_path / "rehearsal.journal"
    rehearse(journal, ready_runbook, minutes={"port": 55})
    assert main(["check", str(READY), "--rehearsal", str(journal)]) == 0
    out = capsys.readouterr().out
    assert f"rehearsal of this plan: {journal}" in out
    assert "  preflight                         15      15.0    +0.0" in out
    assert "  port                              30      55.0   +25.0  !" in out
    assert "rollback: 1 undo step(s) in 8.0 min, inside the RTO of 30 min" in out
    assert "planned 30 min, rehearsed 55 min [R807 rehearsal-drift]" in out


def test_evidence_may_come_from_several_journals(
    tmp_path: Path, ready_runbook: Runbook, capsys: pytest.CaptureFixture[str]
) -> None:
    forward, back = tmp_path / "forward.journal", tmp_path / "rollback.journal"
    rehearse(forward, ready_runbook, rollback=False, declare=True)
    rehearse(back, ready_runbook, steps=4)  # up to the go/no-go before the PONR, then back
    code, report = check_json(capsys, str(READY), "--rehearsal", str(forward), str(back))
    assert code == 0 and report["findings"] == []


def test_a_rehearsal_of_another_runbook_does_not_count(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = copy_ready(tmp_path, [('version = "1"', 'version = "0.9"')])
    journal = tmp_path / "old.journal"
    rehearse(journal, load_runbook(other))
    code, report = check_json(capsys, str(READY), "--rehearsal", str(journal))
    assert code == 1
    assert rules_of(report) == ["R802"]
    [finding] = report["findings"]
    assert finding["file"] == str(journal) and "version '0.9'" in finding["message"]


def test_steps_not_rehearsed_are_errors_at_their_lines(
    tmp_path: Path, ready_runbook: Runbook, capsys: pytest.CaptureFixture[str]
) -> None:
    journal = tmp_path / "short.journal"
    rehearse(journal, ready_runbook, steps=4)
    code, report = check_json(capsys, str(READY), "--rehearsal", str(journal))
    assert code == 1
    missing = [f for f in report["findings"] if f["rule"] == "R803"]
    assert [f["step"] for f in missing] == ["port", "tests", "declare-live"]
    assert missing[0]["line"] == 53 and "not executed in the rehearsal" in missing[0]["message"]


def test_a_rehearsal_without_a_rollback_is_an_error(
    tmp_path: Path, ready_runbook: Runbook, capsys: pytest.CaptureFixture[str]
) -> None:
    journal = tmp_path / "no-rollback.journal"
    rehearse(journal, ready_runbook, rollback=False)
    code, report = check_json(capsys, str(READY), "--rehearsal", str(journal))
    assert code == 1 and rules_of(report) == ["R804"]
    assert "no rehearsal executed a rollback" in report["findings"][0]["message"]


def test_a_rollback_that_never_completed_does_not_count(
    tmp_path: Path, ready_runbook: Runbook, capsys: pytest.CaptureFixture[str]
) -> None:
    journal = tmp_path / "half.journal"
    rehearse(journal, ready_runbook, steps=4, complete_rollback=False)
    code, report = check_json(capsys, str(READY), "--rehearsal", str(journal))
    assert code == 1
    assert "R804" in rules_of(report)
    [finding] = [f for f in report["findings"] if f["rule"] == "R804"]
    assert "never completed" in finding["message"]


def test_a_rehearsed_rollback_over_the_rto_is_an_error(
    tmp_path: Path, ready_runbook: Runbook, capsys: pytest.CaptureFixture[str]
) -> None:
    journal = tmp_path / "slow.journal"
    rehearse(journal, ready_runbook, rollback_minutes=45)
    code, report = check_json(capsys, str(READY), "--rehearsal", str(journal))
    assert code == 1 and rules_of(report) == ["R805"]
    assert "took 45 min, more than the RTO of 30 min" in report["findings"][0]["message"]


def test_a_rollback_that_undid_only_part_is_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = copy_ready(
        tmp_path,
        [
            (
                'no_rollback = "Export only; the old system is not changed."',
                'rollback = { action = "Delete the export", minutes = 2, tested = true }',
            )
        ],
    )
    runbook = load_runbook(path)
    journal = tmp_path / "partial.journal"
    rehearse(journal, runbook, rollback=False, declare=True)
    partial = tmp_path / "partial-rollback.journal"
    rehearse(partial, runbook, steps=2)  # undoes the export only, not assign-numbers
    code, report = check_json(capsys, str(path), "--rehearsal", str(journal), str(partial))
    assert code == 0 and rules_of(report) == ["R806"]
    assert "never undid assign-numbers" in report["findings"][0]["message"]


def test_a_live_journal_is_not_a_rehearsal(
    tmp_path: Path, ready_runbook: Runbook, capsys: pytest.CaptureFixture[str]
) -> None:
    journal = tmp_path / "live.journal"
    rehearse(journal, ready_runbook, mode="live")
    code, report = check_json(capsys, str(READY), "--rehearsal", str(journal))
    assert code == 0 and rules_of(report) == ["R808"]


@pytest.mark.parametrize("kind", ["missing", "text", "folder", "damaged", "empty-db"])
def test_a_journal_that_cannot_be_read_is_a_plain_located_error(
    kind: str, tmp_path: Path, ready_runbook: Runbook, capsys: pytest.CaptureFixture[str]
) -> None:
    journal = tmp_path / "bad.journal"
    if kind == "text":
        journal.write_text("not a journal\n", encoding="utf-8")
    elif kind == "folder":
        journal.mkdir()
    elif kind == "damaged":
        rehearse(journal, ready_runbook)
        with sqlite3.connect(journal) as conn:
            conn.execute(
                "UPDATE events SET payload = replace(payload, 'Dana', 'Eve') WHERE seq = 1"
            )
    elif kind == "empty-db":
        sqlite3.connect(journal).close()
    assert main(["check", str(READY), "--rehearsal", str(journal)]) == 2
    captured = capsys.readouterr()
    output = captured.out + captured.err
    assert "Traceback" not in output
    assert f"{journal}: this rehearsal journal has 1 problem" in output
    if kind == "damaged":
        assert "event 1:" in output and "damaged" in output
    code, report = check_json(capsys, str(READY), "--rehearsal", str(journal))
    assert code == 2 and report["exit_code"] == 2
    assert report["unusable"][0]["file"] == str(journal)


def test_unusable_runbook_is_exit_2_in_json_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "broken.toml"
    path.write_text("[runbook\n", encoding="utf-8")
    code, report = check_json(capsys, str(path))
    assert code == 2 and report["unusable"][0]["line"] == 1


# ---- the bundled examples --------------------------------------------------------------------


@pytest.mark.parametrize("name", ["ucaas-port-smb", "db-migration"])
def test_bundled_examples_are_ready_but_never_rehearsed(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, report = check_json(capsys, str(ROOT / "runbooks" / f"{name}.toml"))
    rules = rules_of(report)
    assert code == 0 and rules == ["R801"], report["findings"]


def test_a_scripted_rehearsal_of_the_bundled_database_runbook_passes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = ROOT / "runbooks" / "db-migration.toml"
    runbook = load_runbook(path)
    journal = tmp_path / "db.journal"
    clock = ManualClock(REHEARSAL_NIGHT)
    card = load_contact_card(ROOT / "contact_cards" / "db-migration.toml")
    with Journal.open(journal) as store:
        driver = JournalDriver(store, clock)
        driver.must(start_command(runbook, card, mode="rehearsal"))
        for step in runbook.steps[: runbook.step_index("switch-connections")]:
            for checkpoint in runbook.checkpoints_before(step.id):
                for index in range(len(checkpoint.criteria)):
                    driver.must(
                        cmd.MarkCriterion(checkpoint_id=checkpoint.id, index=index, met=True)
                    )
                driver.must(
                    cmd.DecideCheckpoint(checkpoint_id=checkpoint.id, decision="go", by="A")
                )
            driver.work(step.id, step.minutes)
        driver.must(cmd.StartRollback(reason="rehearsal"))
        assert driver.state.rollback is not None
        for step_id in driver.state.rollback.steps:
            clock.advance(minutes=6)
            driver.must(cmd.MarkRollbackStep(step_id=step_id))
        tick_all(driver.must, driver.state, "rollback_verification")
        driver.must(cmd.CompleteRollback())
    code, report = check_json(capsys, str(path), "--rehearsal", str(journal))
    # The forward half past the switch was not rehearsed: exactly those steps are missing.
    missing = [f["step"] for f in report["findings"] if f["rule"] == "R803"]
    assert missing == ["switch-connections", "smoke-tests", "open-traffic", "post-checks"]
    assert {f["rule"] for f in report["findings"]} == {"R803"}
    assert code == 1


# ---- hygiene ----------------------------------------------------------------------------------


def test_readiness_report_and_importers_do_not_import_textual() -> None:
    modules = [
        "cockpit.readiness",
        "cockpit.report.paper",
        "cockpit.importers",
        "cockpit.importers.markdown",
        "cockpit.importers.csv_import",
        "cockpit.cli.check",
        "cockpit.cli.print_cmd",
        "cockpit.cli.import_cmd",
        "cockpit.cli.new",
    ]
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(','.join(sorted(m for m in sys.modules if m == 'textual' or "
        "m.startswith(('textual.', 'cockpit.tui')))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout.strip() == ""


def test_check_finds_the_card_next_to_a_copied_runbook(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(READY, tmp_path / "ready.toml")
    shutil.copy(READY_CARD, tmp_path / "ready-contacts.toml")
    code, report = check_json(capsys, str(tmp_path / "ready.toml"))
    assert code == 0 and report["contact_card"].endswith("ready-contacts.toml")
