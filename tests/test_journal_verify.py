"""`verify_journal`, `cockpit verify` and `cockpit log`: damage found, said plainly, never
a traceback, and the journal under examination never changed."""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from cockpit.core import commands as cmd
from cockpit.core.clock import ManualClock
from cockpit.core.evolve import fold
from cockpit.journal.events import BaseEvent, NoteAdded
from cockpit.journal.store import JOURNAL_FORMAT, Journal, chain_hash
from cockpit.journal.verify import VerifyReport, salvage, verify_journal
from tests.journal_helpers import MINI_WINDOW_START, JournalDriver, script_cutover

LONG_NOTES = [
    f"note {i}: " + "the carrier asked us to wait a little longer " * 3 for i in range(150)
]


def sha(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def wal(path: Path) -> Path:
    return path.with_name(path.name + "-wal")


def tamper(path: Path, sql: str, *params: Any) -> None:
    """Change the journal behind the cockpit's back, as a hand in the sqlite3 shell would."""
    conn = sqlite3.connect(path)
    conn.execute(sql, params)
    conn.commit()
    conn.close()


def checked(path: Path) -> VerifyReport:
    """verify_journal, also checking that it left the file and its WAL as they were."""
    before = (sha(path), sha(wal(path)))
    report = verify_journal(path)
    assert (sha(path), sha(wal(path))) == before
    assert report.render()
    return report


@pytest.fixture(scope="module")
def long_night(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, list[BaseEvent]]:
    """A journal of 168 events spread over many pages (written once: it takes a moment)."""
    path = tmp_path_factory.mktemp("long") / "long.journal"
    written = script_cutover(path, notes=LONG_NOTES)
    return path.read_bytes(), written


@pytest.fixture
def journal(tmp_path: Path) -> Path:
    """A whole scripted night, closed: 27 events, all in the main file."""
    path = tmp_path / "night.journal"
    script_cutover(path)
    return path


# ---- verify_journal -------------------------------------------------------------------------


def test_an_intact_journal_verifies(journal: Path) -> None:
    report = checked(journal)
    assert (report.ok, report.readable, report.events, report.trusted_seq) == (True, True, 27, 27)
    assert report.integrity == "ok" and report.problems == []
    assert report.first_bad_seq is None
    assert "All 27 events are intact" in report.render()


def test_an_edited_payload_is_caught_and_the_prefix_trusted(journal: Path) -> None:
    tamper(
        journal, "UPDATE events SET payload = replace(payload, 'Carrier', 'Nobody') WHERE seq = 6"
    )
    report = checked(journal)
    assert not report.ok and report.readable
    assert (report.events, report.trusted_seq, report.first_bad_seq) == (27, 5, 6)
    assert report.problems == [
        "event 6 does not match its hash: it was changed after it was written"
    ]
    assert (
        "Events 1–5 are intact and can be replayed; event 6 onwards cannot be trusted."
        in report.render()
    )
    trusted, _ = salvage(journal)
    assert [e.seq for e in trusted] == [1, 2, 3, 4, 5]


def test_a_flipped_byte_in_the_file_is_caught(journal: Path) -> None:
    data = bytearray(journal.read_bytes())
    where = data.find(b"Carrier confirmed the port window")
    assert where > 0, "the note should be in the main file once the writer closed"
    data[where] ^= 0x01
    journal.write_bytes(bytes(data))
    report = checked(journal)
    assert not report.ok
    assert (report.trusted_seq, report.first_bad_seq) == (5, 6)
    assert "event 6 does not match its hash" in report.problems[0]


def test_any_flipped_bit_gives_a_report_not_a_traceback(
    tmp_path: Path, long_night: tuple[bytes, list[BaseEvent]]
) -> None:
    path = tmp_path / "long.journal"
    original = long_night[0]
    caught = 0
    for offset in range(0, len(original), 1499):
        damaged = bytearray(original)
        damaged[offset] ^= 0x10
        path.write_bytes(bytes(damaged))
        report = checked(path)
        caught += not report.ok
    assert caught > 10


def test_a_deleted_row_is_a_gap(journal: Path) -> None:
    tamper(journal, "DELETE FROM events WHERE seq = 7")
    report = checked(journal)
    assert not report.ok
    assert (report.events, report.trusted_seq, report.first_bad_seq) == (26, 6, 7)
    assert report.problems[0].startswith("event 7 is missing: the numbers jump from 6 to 8")
    tamper(journal, "DELETE FROM events WHERE seq IN (8, 9)")
    assert checked(journal).problems[0].startswith("events 7–9 are missing")


def test_a_journal_that_does_not_start_with_the_cutover_trusts_nothing(tmp_path: Path) -> None:
    path = tmp_path / "headless.journal"
    with Journal.open(path) as journal:
        journal.append([NoteAdded(seq=1, at=MINI_WINDOW_START, event_id="n-0", text="no start")])
    report = checked(path)
    assert (report.ok, report.trusted_seq, report.first_bad_seq) == (False, 0, 1)
    assert "not cutover_started" in report.problems[0]
    assert "No event can be trusted" in report.render()


def test_an_unreadable_event_with_a_valid_hash_is_named(journal: Path) -> None:
    with Journal.open(journal) as writer:
        prev = writer.last_hash
    payload = '{"seq": 28, "type": "teleported"}'
    tamper(
        journal,
        "INSERT INTO events VALUES (28, 'x', 'teleported', 'x-0', ?, ?)",
        payload, chain_hash(prev, 28, "teleported", "x-0", payload),
    )  # fmt: skip
    report = checked(journal)
    assert (report.trusted_seq, report.first_bad_seq) == (27, 28)
    assert report.problems[0].startswith("event 28 cannot be read as an event")


def test_the_wal_is_examined_and_left_alone(journal: Path) -> None:
    events = script_cutover(journal.with_name("other.journal"), steps=1)
    path = journal.with_name("other.journal")
    with Journal.open(path) as writer:
        driver = JournalDriver(writer, ManualClock(events[-1].at), fold(events))
        driver.must(cmd.AddNote(text="only in the WAL"))
        assert wal(path).stat().st_size > 0
        report = checked(path)  # while the writer holds it
    assert report.ok and report.events == len(events) + 1


@pytest.mark.parametrize("cut", [0, 10, 50, 100, 1000, 4096, 12_288, 0.3, 0.5, 0.8, -4096, -1])
def test_a_truncated_journal_gives_a_report(
    tmp_path: Path, cut: float, long_night: tuple[bytes, list[BaseEvent]]
) -> None:
    path = tmp_path / "cut.journal"
    data, written = long_night
    size = int(cut * len(data)) if isinstance(cut, float) else cut % len(data) if cut < 0 else cut
    path.write_bytes(data[:size])
    report = checked(path)
    assert report.trusted_seq < len(written)
    if size == 0:
        assert report.ok and report.events == 0  # a 0-byte file is an empty journal
    else:
        assert not report.ok
        trusted, again = salvage(path)
        assert again.trusted_seq == report.trusted_seq
        assert trusted == written[: report.trusted_seq]


def test_truncation_past_the_first_pages_still_salvages_a_prefix(
    tmp_path: Path, long_night: tuple[bytes, list[BaseEvent]]
) -> None:
    path = tmp_path / "cut.journal"
    data, written = long_night
    path.write_bytes(data[: len(data) // 2])
    report = checked(path)
    assert 0 < report.trusted_seq < len(written)
    assert f"Events 1–{report.trusted_seq} are intact" in report.render()


def test_empty_and_cut_off_at_creation_journals_are_intact(tmp_path: Path) -> None:
    empty = tmp_path / "empty.journal"
    empty.touch()
    created = tmp_path / "created.journal"
    conn = sqlite3.connect(created)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()
    for path in (empty, created):
        report = checked(path)
        assert (report.ok, report.events, report.trusted_seq) == (True, 0, 0)
        assert "no event has been written yet" in report.render()


def test_files_that_are_not_journals_are_unreadable(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("not a database at all\n" * 10)
    newer = tmp_path / "newer.journal"
    script_cutover(newer, steps=0)
    tamper(newer, f"PRAGMA user_version = {JOURNAL_FORMAT + 1}")
    for path, words in [
        (text, "not an SQLite database"),
        (newer, "newer cockpit"),
        (tmp_path / "missing.journal", "there is no file"),
        (tmp_path, "is not a file"),
    ]:
        report = verify_journal(path)
        assert (report.ok, report.readable) == (False, False)
        assert words in report.problems[0]
        assert "Nothing in this file can be replayed" in report.render()


# ---- the command line -------------------------------------------------------------------------


@pytest.fixture
def cockpit(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[list[str]], int]]:
    """`cockpit.cli.main`, with only the commands under test registered (the others are
    other engineers' modules and need not exist for these tests)."""
    import cockpit.cli as cli

    mine = [entry for entry in cli.COMMANDS if entry[0] in ("verify", "log")]
    assert len(mine) == 2
    monkeypatch.setattr(cli, "COMMANDS", mine)
    yield cli.main


def test_cockpit_verify_exit_codes(
    cockpit: Callable[[list[str]], int], journal: Path, tmp_path: Path, capsys: Any
) -> None:
    assert cockpit(["verify", str(journal)]) == 0
    assert "All 27 events are intact" in capsys.readouterr().out

    tamper(journal, "DELETE FROM events WHERE seq = 12")
    assert cockpit(["verify", str(journal)]) == 1
    out = capsys.readouterr().out
    assert "event 12 is missing" in out
    assert "Events 1–11 are intact and can be replayed; event 12 onwards cannot be trusted." in out

    text = tmp_path / "x.txt"
    text.write_text("hello")
    assert cockpit(["verify", str(text)]) == 2
    assert "not a cockpit journal" in capsys.readouterr().out
    assert cockpit(["verify", str(tmp_path / "nope")]) == 2


def test_cockpit_log_reads_in_the_runbook_time_zone(
    cockpit: Callable[[list[str]], int], journal: Path, capsys: Any
) -> None:
    assert cockpit(["log", str(journal)]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    lines = out.splitlines()
    assert lines[0] == "Tuesday 24 November 2026 (America/Chicago)"
    # 08:00 UTC is 02:00 in Chicago; the first step was done ten minutes after 02:01.
    assert re.fullmatch(
        r"#1 +02:00:00 +cutover_started +Mini cutover for Example Co, live.*", lines[1]
    )
    assert re.fullmatch(r"#4 +02:11:00 +item_ticked +prep #1 ticked by Dana: Prepared", lines[4])
    assert re.fullmatch(r"#5 +02:11:00 +step_completed +prep", lines[5])
    assert re.fullmatch(
        r"#6 +02:11:30 +note_added +Carrier confirmed the port window by phone", lines[6]
    )
    assert re.fullmatch(
        r"#8 +02:15:30 +blocker_raised +Config export times out \(call by 02:45\)", lines[8]
    )
    assert re.fullmatch(r"#15 +02:54:30 +checkpoint_decided +gate GO by Dana", lines[15])
    assert lines[-1].startswith("#27")
    assert "cutover_ended" in lines[-1] and "Numbers ported" in lines[-1]


def test_cockpit_log_jsonl_is_the_stored_payloads(
    cockpit: Callable[[list[str]], int], journal: Path, capsys: Any
) -> None:
    assert cockpit(["log", str(journal), "--jsonl"]) == 0
    lines = capsys.readouterr().out.splitlines()
    conn = sqlite3.connect(journal)
    stored = [row[0] for row in conn.execute("SELECT payload FROM events ORDER BY seq")]
    conn.close()
    assert lines == stored
    assert [json.loads(line)["seq"] for line in lines] == list(range(1, 28))


def test_cockpit_log_neutralises_control_characters(
    cockpit: Callable[[list[str]], int], tmp_path: Path, capsys: Any
) -> None:
    path = tmp_path / "evil.journal"
    script_cutover(path, steps=1, notes=["clear \x1b[2J screen\nsecond line \x9b1m"])
    assert cockpit(["log", str(path)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x9b" not in out
    assert "clear \\x1b[2J screen ⏎ second line \\x9b1m" in out
    assert cockpit(["log", str(path), "--jsonl"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x9b" not in out
    notes = [json.loads(line) for line in out.splitlines() if '"note_added"' in line]
    assert notes[0]["text"] == "clear \x1b[2J screen\nsecond line \x9b1m"


def test_cockpit_log_of_a_damaged_journal_stops_where_trust_ends(
    cockpit: Callable[[list[str]], int], journal: Path, capsys: Any
) -> None:
    tamper(journal, "UPDATE events SET payload = replace(payload, 'prep', 'PREP') WHERE seq = 4")
    before = sha(journal)
    assert cockpit(["log", str(journal)]) == 1
    out, err = capsys.readouterr()
    seqs = [line.split()[0] for line in out.splitlines() if line.startswith("#")]
    assert seqs == ["#1", "#2", "#3"]
    assert "stopped after event 3; events 1–3 above are intact" in err
    assert "event 4 onwards cannot be trusted" in err
    assert f"cockpit verify {journal}" in err
    assert sha(journal) == before


def test_cockpit_log_of_a_truncated_journal(
    cockpit: Callable[[list[str]], int],
    tmp_path: Path,
    capsys: Any,
    long_night: tuple[bytes, list[BaseEvent]],
) -> None:
    path = tmp_path / "cut.journal"
    data = long_night[0]
    path.write_bytes(data[: len(data) // 2])
    assert cockpit(["log", str(path), "--jsonl"]) == 1
    out, err = capsys.readouterr()
    assert out.count("\n") >= 1 and "cannot be trusted" in err


def test_cockpit_log_of_what_is_not_a_journal(
    cockpit: Callable[[list[str]], int], tmp_path: Path, capsys: Any
) -> None:
    text = tmp_path / "x.txt"
    text.write_text("hello")
    assert cockpit(["log", str(text)]) == 2
    assert "cockpit:" in capsys.readouterr().err
    assert cockpit(["log", str(tmp_path / "missing.journal")]) == 2
    assert "there is no journal at" in capsys.readouterr().err
    empty = tmp_path / "empty.journal"
    empty.touch()
    assert cockpit(["log", str(empty)]) == 0
    assert "no events" in capsys.readouterr().out


def test_cockpit_log_shows_days_turning(
    cockpit: Callable[[list[str]], int], tmp_path: Path, capsys: Any
) -> None:
    path = tmp_path / "late.journal"
    # Start at 23:50 Chicago time: the night crosses midnight.
    script_cutover(path, clock=ManualClock(MINI_WINDOW_START - timedelta(hours=2, minutes=10)))
    assert cockpit(["log", str(path)]) == 0
    headings = [line for line in capsys.readouterr().out.splitlines() if not line.startswith("#")]
    assert headings == [
        "Monday 23 November 2026 (America/Chicago)",
        "Tuesday 24 November 2026 (America/Chicago)",
    ]
