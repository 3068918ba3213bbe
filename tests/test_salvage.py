"""Carrying on from a damaged journal: `cockpit run` refuses it and says how to go on,
`cockpit verify --salvage-to NEW` copies the trusted events into a new journal, and
`cockpit run` resumes that one where the trusted part of the night stood."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from cockpit.cli import main
from cockpit.core.clock import ManualClock
from cockpit.core.evolve import fold
from cockpit.journal.store import read_events
from cockpit.journal.verify import verify_journal
from cockpit.model.load import load_contact_card, load_runbook
from cockpit.session import Session
from tests.journal_helpers import MINI, MINI_CARD, MINI_WINDOW_START, script_cutover


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out + out.err


def break_row(journal: Path, seq: int) -> None:
    """Change one event after it was written (its hash no longer matches)."""
    conn = sqlite3.connect(journal)
    conn.execute("UPDATE events SET payload = replace(payload, 'e', 'E') WHERE seq = ?", (seq,))
    conn.commit()
    conn.close()


def test_a_damaged_journal_is_salvaged_into_a_new_one_that_run_resumes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    journal = tmp_path / "night.journal"
    events = script_cutover(journal, steps=3, finish=False)
    break_row(journal, 9)
    damaged = digest(journal)

    code, said = cli(capsys, "run", str(MINI), "--journal", str(journal))
    assert code == 2 and "Traceback" not in said
    assert "event 9 does not match its hash" in said
    salvaged = tmp_path / "night-salvaged.journal"
    assert f"cockpit verify {journal} --salvage-to {salvaged}" in said
    assert f"--journal {salvaged}" in said

    code, said = cli(capsys, "verify", str(journal), "--salvage-to", str(salvaged))
    assert code == 1, said
    assert "Salvaged events 1–8 into" in said
    assert f"cockpit run {MINI} --journal {salvaged}" in said
    assert digest(journal) == damaged  # the evidence is untouched
    kept = read_events(salvaged)
    assert kept == events[:8]  # the same events, ids and times, re-chained
    assert verify_journal(salvaged).ok

    session = Session.open(
        salvaged,
        load_runbook(MINI),
        load_contact_card(MINI_CARD),
        ManualClock(MINI_WINDOW_START),
        operator="Dana",
    )
    try:
        assert session.state.steps == fold(events[:8]).steps
        assert session.journal.read_all()[-1].type == "session_resumed"
    finally:
        session.close()


def test_salvage_never_overwrites_and_needs_something_to_save(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    journal = tmp_path / "night.journal"
    script_cutover(journal)
    other = tmp_path / "other.journal"
    other.write_text("my notes")
    code, said = cli(capsys, "verify", str(journal), "--salvage-to", str(other))
    assert code == 2 and "already exists" in said and "nothing written" in said
    assert other.read_text() == "my notes"

    code, said = cli(capsys, "verify", str(journal), "--salvage-to", str(journal))
    assert code == 2 and "already exists" in said

    break_row(journal, 1)
    code, said = cli(capsys, "verify", str(journal), "--salvage-to", str(tmp_path / "new"))
    assert code == 2 and "nothing to salvage" in said
    assert not (tmp_path / "new").exists()
