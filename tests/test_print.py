"""`cockpit print`: the paper backup, golden-file tested in every format.

The golden files are the bundled UCaaS runbook and its card, printed. After a deliberate
change to the paper (or to the example), regenerate them and review the diff:

    COCKPIT_UPDATE_GOLDEN=1 python -m pytest tests/test_print.py
"""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

import pytest

from cockpit.cli import main
from cockpit.model.load import load_contact_card, load_runbook
from cockpit.report.paper import FORMATS, TXT_WIDTH, render_paper

ROOT = Path(__file__).parent.parent
GOLDEN = Path(__file__).parent / "golden" / "print"
UCAAS = ROOT / "runbooks" / "ucaas-port-smb.toml"
UCAAS_CARD = ROOT / "contact_cards" / "ucaas-port-smb.toml"
DB = ROOT / "runbooks" / "db-migration.toml"
DB_CARD = ROOT / "contact_cards" / "db-migration.toml"
EXAMPLES = [(UCAAS, UCAAS_CARD), (DB, DB_CARD)]


def paper(fmt: str, runbook: Path = UCAAS, card: Path | None = UCAAS_CARD) -> str:
    return render_paper(
        load_runbook(runbook), load_contact_card(card) if card is not None else None, fmt
    )  # type: ignore[arg-type]


@pytest.mark.parametrize("fmt", FORMATS)
def test_golden(fmt: str) -> None:
    text = paper(fmt)
    golden = GOLDEN / f"ucaas-port-smb.{fmt}"
    if os.environ.get("COCKPIT_UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8", newline="\n")
    assert golden.exists(), f"no golden file; run with COCKPIT_UPDATE_GOLDEN=1 to write {golden}"
    assert text == golden.read_text(encoding="utf-8"), (
        f"the paper differs from {golden}; if the change is deliberate, regenerate with "
        "COCKPIT_UPDATE_GOLDEN=1 and review the diff"
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_paper_is_deterministic_and_undated(fmt: str, tmp_path: Path) -> None:
    # The bundled runbook's own dates may be today's (its window is 2026-12-02), so the
    # plan is moved to 2091 first: then a date taken from the machine's clock is the only
    # way this year (or today) could appear on the paper, whatever day the test runs.
    moved = tmp_path / "moved.toml"
    moved.write_text(UCAAS.read_text(encoding="utf-8").replace("2026-", "2091-"), "utf-8")
    first, second = paper(fmt, moved), paper(fmt, moved)
    assert first == second
    assert "2091-12-02" in first  # the plan's own date is printed
    today = date.today()
    assert today.isoformat() not in first
    assert str(today.year) not in first


@pytest.mark.parametrize(("runbook", "card"), [*EXAMPLES, (UCAAS, None)])
def test_txt_fits_80_columns(runbook: Path, card: Path | None) -> None:
    text = paper("txt", runbook, card)
    too_long = [line for line in text.splitlines() if len(line) > TXT_WIDTH]
    assert not too_long, too_long
    assert "\t" not in text and text.endswith("\n") and not text.endswith("\n\n")


@pytest.mark.parametrize(("runbook", "card"), EXAMPLES)
def test_html_is_self_contained(runbook: Path, card: Path) -> None:
    page = paper("html", runbook, card)
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    lowered = page.lower()
    for external in (
        "<link",
        "<script",
        "<img",
        "<iframe",
        "src=",
        "href=",
        "url(",
        "@import",
        "@font-face",
        "http://",
        "https://",
    ):
        assert external not in lowered, external
    assert "@page" in page and "break-inside: avoid" in page
    assert "max-width: 180mm" in page  # fits A4 (210 mm) and Letter (216 mm) with margins


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("runbook", "card"), EXAMPLES)
def test_secrets_appear_only_by_name(fmt: str, runbook: Path, card: Path) -> None:
    text = paper(fmt, runbook, card)
    names = load_contact_card(card).secret_names()
    assert names
    for name in names:
        found = [m.start() for m in re.finditer(re.escape(name), text)]
        assert found, name
        for start in found:
            assert text[max(0, start - 12) : start] == "in keyring: ", (
                name,
                text[start - 40 : start],
            )


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_part_of_the_plan_is_on_paper(fmt: str) -> None:
    runbook, card = load_runbook(UCAAS), load_contact_card(UCAAS_CARD)
    text = paper(fmt)
    plain = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text)).replace("&#x27;", "'")
    for step in runbook.steps:
        assert step.title in plain or step.title.upper() in plain
    for checkpoint in runbook.checkpoints:
        for criterion in checkpoint.criteria:
            assert criterion in plain
    assert plain.count("GO / NO-GO / HOLD") == len(runbook.checkpoints)
    assert plain.count("POINT OF NO RETURN") == 1
    for contact in card.contacts:
        assert contact.name in plain
        for phone in contact.phones:
            assert phone.number in plain
    for item in runbook.verification:
        assert item in plain
    for message in runbook.communications.messages:
        assert f"[{message.id}]" in plain
    assert "Stuck for 30 minutes" in plain and "Priya Natarajan" in plain
    assert "04:20" in plain  # the rollback deadline
    assert "Migration ID" in plain and "FOC / window" in plain


def test_txt_order_gate_then_ponr_then_its_step() -> None:
    text = paper("txt")
    gate = text.index("GO / NO-GO: Go/no-go #2: port activation")
    ponr = text.index("POINT OF NO RETURN")
    step = text.index("[ ] 5. Port activation")
    assert gate < ponr < step


def test_txt_keeps_phone_numbers_whole() -> None:
    text = paper("txt")
    card = load_contact_card(UCAAS_CARD)
    lines = text.splitlines()
    for contact in card.contacts:
        for phone in contact.phones:
            assert any(phone.number in line for line in lines), phone.number


def test_paper_without_a_card_leaves_blanks() -> None:
    text = paper("txt", UCAAS, None)
    assert "No contact card was given: write every number here." in text
    assert "On-call senior: ____" in text
    assert "in keyring" not in text


# ---- the command -------------------------------------------------------------------------------


def test_print_to_a_file_takes_the_format_from_its_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "paper.html"
    assert main(["print", str(UCAAS), "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == paper("html")
    assert f"wrote {out} (html, 13 steps)" in capsys.readouterr().err


def test_print_to_stdout_defaults_to_markdown(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["print", "ucaas-port-smb"]) == 0
    assert capsys.readouterr().out == paper("md")


def test_print_format_flag_wins(tmp_path: Path) -> None:
    out = tmp_path / "paper.md"
    assert main(["print", str(UCAAS), "-o", str(out), "--format", "txt"]) == 0
    assert out.read_text(encoding="utf-8") == paper("txt")


def test_print_a_broken_runbook_is_exit_2_without_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "broken.toml"
    path.write_text('[runbook]\nid = "x"\n', encoding="utf-8")
    assert main(["print", str(path)]) == 2
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and "this runbook has" in captured.err


def test_print_with_a_missing_card_is_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "nocard.toml"
    path.write_text(UCAAS.read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["print", str(path)]) == 2
    assert "contact card" in capsys.readouterr().err


@pytest.mark.parametrize(("runbook", "card"), [*EXAMPLES, (UCAAS, None)])
def test_html_tags_are_balanced(runbook: Path, card: Path | None) -> None:
    from html.parser import HTMLParser

    void = {"meta", "br", "hr", "img", "input", "link"}

    class Balance(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.stack: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag not in void:
                self.stack.append(tag)

        def handle_endtag(self, tag: str) -> None:
            assert self.stack and self.stack[-1] == tag, (tag, self.stack[-3:])
            self.stack.pop()

    parser = Balance()
    parser.feed(paper("html", runbook, card))
    parser.close()
    assert parser.stack == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_phase_heads_its_steps_once_and_prints_as_written(fmt: str, tmp_path: Path) -> None:
    """A phase is a heading over its run of steps (the paper shows the night's parts as the
    timeline does); its name is data, so markup in it prints as written."""
    fixtures = Path(__file__).parent / "fixtures"
    text = (fixtures / "mini.toml").read_text(encoding="utf-8")
    text = text.replace('title = "Prepare"\n', 'title = "Prepare"\nphase = "Before <b>it</b>"\n')
    text = text.replace(
        'title = "Snapshot config"\n', 'title = "Snapshot config"\nphase = "Before <b>it</b>"\n'
    )
    text = text.replace('title = "Switch over"\n', 'title = "Switch over"\nphase = "Cutover"\n')
    runbook_path = tmp_path / "phased.toml"
    runbook_path.write_text(text, encoding="utf-8")
    (tmp_path / "mini-contacts.toml").write_text(
        (fixtures / "mini-contacts.toml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    printed = paper(fmt, runbook_path, tmp_path / "mini-contacts.toml")
    shown = {
        "txt": "Before <b>it</b>",
        "md": r"Before \<b\>it\</b\>",
        "html": "Before &lt;b&gt;it&lt;/b&gt;",
    }[fmt]
    assert printed.count(shown) == 1  # one heading for the run of two steps
    assert "<b>it</b>" not in printed or fmt == "txt"
    cutover_heading = {"txt": "\nCutover\n", "md": "### Cutover", "html": "<h3>Cutover</h3>"}
    heading, cutover = printed.index(shown), printed.index(cutover_heading[fmt])
    assert heading < printed.index("Prepare") < printed.index("Snapshot config") < cutover
    assert cutover < printed.index("Switch over")


def test_a_script_keeps_its_lines_on_paper(tmp_path: Path) -> None:
    """A command of several lines (one code block) is printed line by line: joined, the
    backslash continuation and everything after it would run as something else."""
    fixtures = Path(__file__).parent / "fixtures"
    text = (fixtures / "mini.toml").read_text(encoding="utf-8")
    script = 'commands = ["""pg_restore -Fc \\\\\n  -d target backup.dump\nvacuumdb --all"""]\n'
    text = text.replace('title = "Prepare"\n', 'title = "Prepare"\n' + script, 1)
    runbook_path = tmp_path / "script.toml"
    runbook_path.write_text(text, encoding="utf-8")
    card = tmp_path / "mini-contacts.toml"
    card.write_text((fixtures / "mini-contacts.toml").read_text(encoding="utf-8"), "utf-8")
    printed = paper("txt", runbook_path, card).split("\n")
    first = next(i for i, line in enumerate(printed) if "$ pg_restore -Fc \\" in line)
    assert printed[first + 1].strip() == "-d target backup.dump"
    assert printed[first + 2].strip() == "vacuumdb --all"
    assert not printed[first + 2].lstrip().startswith("$")
