"""`cockpit new`: a commented starter runbook and contact card that pass the format
validation, never written over an existing file, and that `check` walks to ready."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cockpit.cli import main
from cockpit.model.load import contact_card_beside, load_contact_card, load_runbook


def check_json(capsys: pytest.CaptureFixture[str], path: Path) -> tuple[int, dict]:
    code = main(["check", str(path), "--format", "json"])
    return code, json.loads(capsys.readouterr().out)


def test_new_writes_a_valid_runbook_and_card(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "harbor-port.toml"
    assert main(["new", str(path)]) == 0
    card_path = tmp_path / "harbor-port.contacts.toml"
    out = capsys.readouterr().out
    assert f"wrote {path} (runbook) and {card_path} (contact card)" in out
    assert f"cockpit check {path}" in out
    runbook = load_runbook(path)
    card = load_contact_card(card_path)
    assert runbook.meta.id == "harbor-port" and runbook.meta.title == "Harbor port"
    assert contact_card_beside(runbook, path) == card_path.resolve()
    assert card.card.id == "harbor-port" and card.on_call is not None
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# A starter runbook made by `cockpit new`.")
    assert text.count("\n#") > 20  # commented, section by section


def test_the_starter_lists_what_to_fill_in_and_nothing_else(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "night.toml"
    assert main(["new", str(path)]) == 0
    capsys.readouterr()
    code, report = check_json(capsys, path)
    assert code == 1
    errors = {f["rule"] for f in report["findings"] if f["severity"] == "error"}
    assert errors == {"R901"}
    marked = sum(
        1
        for file in (path, tmp_path / "night.contacts.toml")
        for line in file.read_text(encoding="utf-8").splitlines()
        if "TODO" in line and not line.lstrip().startswith("#")
    )
    assert len([f for f in report["findings"] if f["rule"] == "R901"]) == marked
    window = next(f for f in report["findings"] if f["where"] == "[runbook] field 'window_start'")
    assert window["fix"].startswith("write the local start of the window")


@pytest.mark.usefixtures("card_secrets_stored")  # a prepared machine: its secrets stored
def test_once_filled_in_the_starter_is_ready(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "night.toml"
    assert main(["new", str(path)]) == 0
    capsys.readouterr()
    for file in (path, tmp_path / "night.contacts.toml"):
        text = file.read_text(encoding="utf-8")
        text = re.sub(r"\s+# TODO[^\n]*", "", text)  # the placeholder comments
        text = text.replace("TODO: ", "").replace("TODO", "none expected")
        file.write_text(text, encoding="utf-8")
    code, report = check_json(capsys, path)
    assert code == 0, report["findings"]
    assert {f["rule"] for f in report["findings"]} <= {"R801", "R104"}


def test_new_never_replaces_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "night.toml"
    path.write_text("# mine\n", encoding="utf-8")
    assert main(["new", str(path)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == "# mine\n"
    assert not (tmp_path / "night.contacts.toml").exists()

    card = tmp_path / "other.contacts.toml"
    card.write_text("# my card\n", encoding="utf-8")
    assert main(["new", str(tmp_path / "other.toml")]) == 2
    assert not (tmp_path / "other.toml").exists()
    assert card.read_text(encoding="utf-8") == "# my card\n"


def test_new_with_a_card_in_another_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "runbooks" / "db-move"
    card = tmp_path / "contact_cards" / "db-move.toml"
    assert main(["new", str(path), "--contacts", str(card)]) == 0
    runbook_path = path.with_name("db-move.toml")
    runbook = load_runbook(runbook_path)
    assert runbook.meta.contact_card == "../contact_cards/db-move.toml"
    assert contact_card_beside(runbook, runbook_path) == card.resolve()
    capsys.readouterr()
    code, report = check_json(capsys, runbook_path)
    assert report["contact_card"].endswith("db-move.toml") and code == 1


def test_new_escapes_odd_file_names(tmp_path: Path) -> None:
    path = tmp_path / 'o"brien\\cutover.toml'
    assert main(["new", str(path)]) == 0
    runbook = load_runbook(path)
    assert runbook.meta.id == "o-brien-cutover"
    assert '"' in runbook.meta.title


def test_new_refuses_one_file_for_both(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "x.toml"
    assert main(["new", str(path), "--contacts", str(path)]) == 2
    assert not path.exists()
