"""The bundled examples are the first thing a new user runs: they must be valid, complete
and true to how a cutover night goes (see shared/domain.md), and `cockpit check` must pass
on them from any folder."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest

from cockpit import bundled
from cockpit.cli import main
from cockpit.errors import FileProblems
from cockpit.model.contacts import ContactCard, SecretRef
from cockpit.model.crosscheck import card_file_problems, card_problems
from cockpit.model.load import contact_card_beside, load_contact_card, load_runbook
from cockpit.model.runbook import (
    CheckpointGo,
    Completed,
    RollbackCompleted,
    RollbackStarted,
    Runbook,
)

RUNBOOKS = bundled.list_bundled("runbooks")
CARDS = bundled.list_bundled("contact_cards")


def _ids(paths: list[Path]) -> list[str]:
    return [path.stem for path in paths]


def _load_pair(path: Path) -> tuple[Runbook, ContactCard]:
    runbook = load_runbook(path)
    card_path = contact_card_beside(runbook, path)
    assert card_path is not None, f"{path.name} names no contact_card"
    return runbook, load_contact_card(card_path)


def _window_minutes(runbook: Runbook) -> float:
    meta = runbook.meta
    return (meta.window_end_utc - meta.window_start_utc) / timedelta(minutes=1)


def test_both_examples_are_bundled() -> None:
    assert {"ucaas-port-smb", "db-migration"} <= set(_ids(RUNBOOKS))
    assert {"ucaas-port-smb", "db-migration"} <= set(_ids(CARDS))


@pytest.mark.parametrize("path", RUNBOOKS, ids=_ids(RUNBOOKS))
def test_runbook_loads_and_cross_checks_clean(path: Path) -> None:
    runbook, card = _load_pair(path)
    assert card_problems(runbook, card, path.read_text(encoding="utf-8")) == []
    assert card_file_problems(card) == []


@pytest.mark.parametrize("path", CARDS, ids=_ids(CARDS))
def test_card_loads_with_an_on_call_senior_and_secret_references(path: Path) -> None:
    card = load_contact_card(path)
    on_call = card.on_call
    assert on_call is not None and on_call.phones, "the escalation rule needs a number"
    orders = [c.escalation_order for c in card.contacts if c.escalation_order is not None]
    assert len(orders) >= 3 and len(set(orders)) == len(orders)
    assert on_call.escalation_order == 1
    assert card.secret_names(), "secrets are referenced by name"
    assert any(
        isinstance(value, SecretRef)
        for account in card.accounts
        for value in account.fields.values()
    )


@pytest.mark.parametrize("path", CARDS, ids=_ids(CARDS))
def test_card_uses_only_fictional_numbers_and_addresses(path: Path) -> None:
    card = load_contact_card(path)
    for contact in card.contacts:
        for phone in contact.phones:
            digits = re.sub(r"\D", "", phone.number.split("x")[0])
            assert digits.startswith("1") and digits[4:7] == "555", phone.number
        assert contact.email == "" or contact.email.endswith("@example.com"), contact.email


@pytest.mark.parametrize("path", RUNBOOKS, ids=_ids(RUNBOOKS))
def test_plan_fits_the_window_with_room_for_the_rollback(path: Path) -> None:
    runbook = load_runbook(path)
    meta = runbook.meta
    window = _window_minutes(runbook)
    assert runbook.total_minutes <= window
    assert meta.escalation_minutes == 30
    # The latest rollback starts just before the point of no return and must still end
    # inside the window, and inside the RTO.
    assert runbook.ponr_step is not None
    ponr = runbook.step_index(runbook.ponr_step)
    before = runbook.steps[:ponr]
    undo = sum(step.rollback.minutes for step in before if step.rollback is not None)
    assert sum(step.minutes for step in before) + undo <= window
    assert undo <= meta.rto_minutes
    # A weeknight, Tuesday to Thursday: a full business day follows for fixing.
    assert meta.window_start.strftime("%A") in {"Tuesday", "Wednesday", "Thursday"}


@pytest.mark.parametrize("path", RUNBOOKS, ids=_ids(RUNBOOKS))
def test_every_step_answers_the_rollback_question(path: Path) -> None:
    runbook = load_runbook(path)
    for step in runbook.steps:
        assert (step.rollback is None) != (step.no_rollback is None), step.id
        assert step.verify or step.instructions, step.id


@pytest.mark.parametrize("path", RUNBOOKS, ids=_ids(RUNBOOKS))
def test_communications_reach_every_stakeholder_with_go_and_rollback_outcome(
    path: Path,
) -> None:
    runbook = load_runbook(path)
    comms = runbook.communications
    stakeholders = {stakeholder.id for stakeholder in comms.stakeholders}
    assert len(stakeholders) >= 4
    for message in comms.messages:
        assert set(message.audience) <= stakeholders, message.id
    kinds = {message.trigger.kind for message in comms.messages}
    assert {
        "before_window",
        "window_start",
        "checkpoint_go",
        "delay",
        "rollback_started",
        "rollback_completed",
        "completed",
    } <= kinds
    hears_go = {
        who
        for message in comms.messages
        if isinstance(message.trigger, CheckpointGo | Completed)
        for who in message.audience
    }
    hears_rollback = {
        who
        for message in comms.messages
        if isinstance(message.trigger, RollbackStarted | RollbackCompleted)
        for who in message.audience
    }
    assert hears_go == stakeholders
    assert hears_rollback == stakeholders
    before = [m.trigger for m in comms.messages if m.trigger.kind == "before_window"]
    assert any(getattr(trigger, "hours", 0) == 72 for trigger in before)


@pytest.mark.parametrize("path", RUNBOOKS, ids=_ids(RUNBOOKS))
def test_point_of_no_return_is_gated_and_has_a_forward_fix(path: Path) -> None:
    runbook = load_runbook(path)
    ponr = runbook.point_of_no_return
    assert ponr.step is not None and ponr.why and len(ponr.forward_fix) >= 3
    assert runbook.checkpoints_before(ponr.step), "a go/no-go right before the PONR"
    assert runbook.post_cutover_writes
    assert len(runbook.verification) >= 5


def test_ucaas_example_follows_the_number_port_night() -> None:
    runbook = load_runbook(bundled.resolve_runbook("ucaas-port-smb"))
    assert len(runbook.steps) >= 12
    assert len(runbook.checkpoints) >= 2
    assert runbook.ponr_step == "port-activation"
    assert runbook.step("port-activation").title == "Port activation"
    assert runbook.step("port-activation").owner == "carrier-noc"
    assert runbook.meta.timezone == "America/Chicago"
    # Go/no-go #1 gates the first real change (the first step with an undo).
    first_change = next(step for step in runbook.steps if step.rollback is not None)
    assert runbook.checkpoints[0].before == first_change.id
    assert runbook.step_index(first_change.id) < runbook.step_index("port-activation")
    assert runbook.checkpoints_before("port-activation")
    forward_fix = " ".join(runbook.point_of_no_return.forward_fix).lower()
    assert "temporary numbers" in forward_fix and "snapback" in forward_fix
    assert "noc" in forward_fix and "24 hours" in forward_fix
    writes = " ".join(write.what for write in runbook.post_cutover_writes).lower()
    assert "voicemail" in writes and "recording" in writes and "call" in writes
    titles = " ".join(step.title for step in runbook.steps).lower()
    for topic in ("pre-flight", "inbound", "caller id", "voicemail", "fax", "e911", "live"):
        assert topic in titles, topic


def test_db_example_follows_the_database_move() -> None:
    runbook = load_runbook(bundled.resolve_runbook("db-migration.toml"))
    assert len(runbook.steps) >= 9
    assert {"gate-1", "gate-2"} <= {checkpoint.id for checkpoint in runbook.checkpoints}
    assert runbook.ponr_step == "switch-connections"
    assert runbook.step_index("reverse-replication") < runbook.step_index("switch-connections")
    assert runbook.step_index(runbook.checkpoint("gate-2").before) > runbook.step_index(
        "switch-connections"
    )
    writes = " ".join(write.kept_by for write in runbook.post_cutover_writes).lower()
    assert "reverse replication" in writes


# ---- bundled -----------------------------------------------------------------------------


def test_resolve_runbook_by_stem_name_or_path(tmp_path: Path) -> None:
    by_stem = bundled.resolve_runbook("ucaas-port-smb")
    assert by_stem.name == "ucaas-port-smb.toml" and by_stem.is_file()
    assert bundled.resolve_runbook("ucaas-port-smb.toml") == by_stem
    own = tmp_path / "ucaas-port-smb"  # an existing path wins over the bundled name
    own.write_text("", encoding="utf-8")
    assert bundled.resolve_runbook(str(own)) == own


def test_resolve_runbook_unknown_lists_the_bundled_names() -> None:
    with pytest.raises(FileProblems) as caught:
        bundled.resolve_runbook("ucaas-port")
    text = caught.value.render()
    assert text.startswith("ucaas-port: ")
    assert "no such file" in text and "ucaas-port-smb" in text and "db-migration" in text


def test_resolve_runbook_does_not_match_bundled_names_inside_other_folders() -> None:
    with pytest.raises(FileProblems):
        bundled.resolve_runbook("somewhere/else/ucaas-port-smb")


def test_bundled_dir_prefers_the_wheel_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "site-packages" / "cockpit"
    (package / "_bundled" / "runbooks").mkdir(parents=True)
    (package / "_bundled" / "runbooks" / "x.toml").write_text("", encoding="utf-8")
    monkeypatch.setattr(bundled, "_PACKAGE", package)
    assert bundled.bundled_dir("runbooks") == package / "_bundled" / "runbooks"
    assert [path.name for path in bundled.list_bundled("runbooks")] == ["x.toml"]
    # Not in the wheel: the folder next to the package (a checkout), here absent.
    assert bundled.bundled_dir("themes") == package.parent / "themes"
    assert bundled.list_bundled("themes") == []


def test_bundled_dir_in_a_checkout_is_the_top_level_folder() -> None:
    root = Path(bundled.__file__).resolve().parent.parent
    if (root / "cockpit" / "_bundled").exists():
        pytest.skip("running from an installed wheel")
    assert bundled.bundled_dir("runbooks") == root / "runbooks"


# ---- cockpit check -----------------------------------------------------------------------


@pytest.mark.parametrize("path", RUNBOOKS, ids=_ids(RUNBOOKS))
@pytest.mark.usefixtures("card_secrets_stored")  # a prepared machine: its secrets stored
def test_cockpit_check_passes_on_each_example(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", str(path)]) == 0
    out = capsys.readouterr().out
    runbook = load_runbook(path)
    assert out.startswith(f"✔ {path}: valid runbook — {len(runbook.steps)} steps, ")
    assert f"point of no return: {runbook.ponr_step}" in out
    assert "on-call senior: " in out
    assert " error: " not in out
    warnings = [line for line in out.splitlines() if ": warning: " in line]
    assert len(warnings) == 1 and "[R801 never-rehearsed]" in warnings[0]


def test_cockpit_check_finds_a_bundled_runbook_by_name_from_another_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["check", "ucaas-port-smb"]) == 0
    out = capsys.readouterr().out
    assert "valid runbook — 13 steps, 3 checkpoints, point of no return: port-activation" in out
