"""The SQLite journal: what is written is what is read, one writer, and failures said plainly."""

from __future__ import annotations

import hashlib
import os
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cockpit.core import commands as cmd
from cockpit.core.clock import ManualClock
from cockpit.core.evolve import fold
from cockpit.errors import CockpitError
from cockpit.journal.events import NoteAdded, event_to_json
from cockpit.journal.store import (
    APPLICATION_ID,
    GENESIS_HASH,
    JOURNAL_FORMAT,
    Journal,
    JournalDamaged,
    JournalError,
    JournalInUse,
    JournalReader,
    JournalWriteFailed,
    read_events,
)
from tests.journal_helpers import (
    MINI_WINDOW_START,
    JournalDriver,
    script_cutover,
)

REPO = Path(__file__).resolve().parent.parent


def sha(path: Path) -> str | None:
    """The file's sha256, or None when it does not exist."""
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def wal(path: Path) -> Path:
    return path.with_name(path.name + "-wal")


def note(seq: int, text: str = "a note", event_id: str | None = None) -> NoteAdded:
    return NoteAdded(
        seq=seq,
        at=MINI_WINDOW_START + timedelta(minutes=seq),
        event_id=event_id or f"note-{seq}",
        text=text,
    )


@pytest.fixture
def journal_path(tmp_path: Path) -> Path:
    return tmp_path / "night" / "cutover.journal"


@pytest.fixture
def open_driver(journal_path: Path) -> Iterator[JournalDriver]:
    """A journal holding a scripted first half of the night, left open for more."""
    events = script_cutover(journal_path, steps=2)
    journal = Journal.open(journal_path)
    clock = ManualClock(events[-1].at + timedelta(minutes=1))
    yield JournalDriver(journal, clock, fold(events))
    journal.close()


# ---- writing and reading back -----------------------------------------------------------


def test_appended_events_read_back_equal(journal_path: Path) -> None:
    written = script_cutover(journal_path)
    assert len(written) == 27  # 4 steps, 7 ticks, a gate, a blocker, notes
    assert read_events(journal_path) == written
    with Journal.open(journal_path) as journal:
        assert journal.read_all() == written
        assert journal.last_seq == written[-1].seq
    assert fold(read_events(journal_path)).ended


def test_file_format_and_hash_chain_as_documented(journal_path: Path) -> None:
    written = script_cutover(journal_path)
    conn = sqlite3.connect(journal_path)
    try:
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert conn.execute("PRAGMA user_version").fetchone()[0] == JOURNAL_FORMAT
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        meta = dict(conn.execute("SELECT key, value FROM meta"))
        rows = conn.execute(
            "SELECT seq, at, type, event_id, payload, hash FROM events ORDER BY seq"
        ).fetchall()
    finally:
        conn.close()
    assert meta["format"] == "1" and meta["created_at"] and "app_version" in meta
    prev = "0" * 64
    for (seq, at, kind, event_id, payload, stored), event in zip(rows, written, strict=True):
        assert (seq, kind, event_id) == (event.seq, event.type, event.event_id)
        assert payload == event_to_json(event)
        assert at.startswith(event.at.strftime("%Y-%m-%dT%H:%M"))
        text = f"{prev}\n{seq}\n{kind}\n{event_id}\n{payload}"
        assert stored == hashlib.sha256(text.encode()).hexdigest()
        prev = stored
    with Journal.open(journal_path) as journal:
        assert journal.last_hash == prev


def test_wal_and_synchronous_full_are_set_on_the_writer(journal_path: Path) -> None:
    seen: list[sqlite3.Connection] = []

    def connect(uri: str) -> sqlite3.Connection:
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
        seen.append(conn)
        return conn

    with Journal.open(journal_path, connect=connect):
        assert seen[0].execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert seen[0].execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_open_creates_the_folder_and_an_empty_journal(journal_path: Path) -> None:
    with Journal.open(journal_path) as journal:
        assert (journal.last_seq, journal.last_hash) == (0, GENESIS_HASH)
        assert journal.read_all() == []
    assert journal_path.is_file()
    assert read_events(journal_path) == []


def test_events_must_continue_the_journal(journal_path: Path) -> None:
    with Journal.open(journal_path) as journal:
        journal.append([note(1)])
        with pytest.raises(JournalError, match="does not follow"):
            journal.append([note(3)])
        with pytest.raises(JournalError, match="does not follow"):
            journal.append([note(2), note(4)])
        assert journal.append([note(2)]) == 2
    assert [event.seq for event in read_events(journal_path)] == [1, 2]


def test_an_event_id_cannot_be_stored_twice(journal_path: Path) -> None:
    with Journal.open(journal_path) as journal:
        journal.append([note(1, event_id="same")])
        with pytest.raises(JournalError, match="clash") as caught:
            journal.append([note(2, event_id="fresh"), note(3, event_id="same")])
        assert not isinstance(caught.value, JournalWriteFailed)
        assert journal.last_seq == 1
        assert journal.append([note(2, event_id="fresh")]) == 2


def test_a_retried_command_is_not_written_twice(open_driver: JournalDriver) -> None:
    journal = open_driver.journal
    before = journal.last_seq
    events = open_driver.must(cmd.AddNote(text="written once"))
    assert journal.append(events) == before + 1  # the retry: same ids
    assert journal.append(events) == before + 1
    texts = [e.text for e in journal.read_all() if isinstance(e, NoteAdded)]
    assert texts.count("written once") == 1


# ---- failures of the disk -----------------------------------------------------------------


class FlakyConnection:
    """A real connection whose COMMIT can be made to fail, before or after it lands."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self.fail: str | None = None  # "before" or "after" the real COMMIT

    def execute(self, sql: str, *args: Any) -> Any:
        if sql == "COMMIT" and self.fail == "before":
            raise sqlite3.OperationalError("disk I/O error")
        result = self._conn.execute(sql, *args)
        if sql == "COMMIT" and self.fail == "after":
            raise sqlite3.OperationalError("disk I/O error")
        return result

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)


@pytest.fixture
def flaky(journal_path: Path) -> Iterator[tuple[Journal, list[FlakyConnection]]]:
    made: list[FlakyConnection] = []

    def connect(uri: str) -> sqlite3.Connection:
        conn = FlakyConnection(
            sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
        )
        if made:
            conn.fail = made[-1].fail  # the disk is still broken after a reconnect
        made.append(conn)
        return conn  # type: ignore[return-value]

    with Journal.open(journal_path, connect=connect) as journal:
        journal.append([note(1)])
        yield journal, made


def test_a_failed_commit_writes_nothing_and_the_journal_recovers(
    flaky: tuple[Journal, list[FlakyConnection]], journal_path: Path
) -> None:
    journal, made = flaky
    made[-1].fail = "before"
    for _ in range(2):
        with pytest.raises(JournalWriteFailed, match="disk I/O error") as caught:
            journal.append([note(2, "lost")])
        assert str(journal_path) in str(caught.value)
        assert journal.last_seq == 1
        assert [e.seq for e in read_events(journal_path)] == [1]
    made[-1].fail = None  # the disk works again
    assert journal.append([note(2, "saved")]) == 2
    assert [e.text for e in read_events(journal_path)] == ["a note", "saved"]  # type: ignore[attr-defined]


def test_a_commit_that_landed_but_failed_is_not_written_again(
    flaky: tuple[Journal, list[FlakyConnection]], journal_path: Path
) -> None:
    journal, made = flaky
    made[-1].fail = "after"
    with pytest.raises(JournalWriteFailed):
        journal.append([note(2, "landed")])
    made[-1].fail = None
    assert journal.append([note(2, "landed")]) == 2  # the retry finds it stored
    assert journal.last_hash == read_hashes(journal_path)[-1]
    assert journal.append([note(3)]) == 3
    assert [e.seq for e in read_events(journal_path)] == [1, 2, 3]


def read_hashes(path: Path) -> list[str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [row[0] for row in conn.execute("SELECT hash FROM events ORDER BY seq")]
    finally:
        conn.close()


def test_a_journal_file_deleted_underneath_is_a_write_failure(open_driver: JournalDriver) -> None:
    journal = open_driver.journal
    moved = journal.path.with_name("moved-away")
    journal.path.rename(moved)
    command = cmd.AddNote(text="while the file is gone")
    for _ in range(2):
        with pytest.raises(JournalWriteFailed, match="gone"):
            open_driver.must(command)
    assert not journal.path.exists()  # not silently recreated
    moved.rename(journal.path)
    open_driver.must(command)
    assert read_events(journal.path)[-1].text == "while the file is gone"  # type: ignore[union-attr]


DISK_FULL_CHILD = textwrap.dedent(
    """
    import os, resource, signal, sys
    from cockpit.core import commands as cmd
    from cockpit.core.clock import ManualClock
    from cockpit.core.evolve import fold
    from cockpit.journal.store import Journal, JournalWriteFailed, read_events
    from tests.journal_helpers import JournalDriver, script_cutover

    path = sys.argv[1]
    events = script_cutover(path, steps=1)
    journal = Journal.open(path)
    driver = JournalDriver(journal, ManualClock(events[-1].at), fold(events))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    # Only the WAL grows on an append: let it grow by less than the note needs.
    wal_size = os.path.getsize(path + "-wal") if os.path.exists(path + "-wal") else 0
    resource.setrlimit(resource.RLIMIT_FSIZE, (wal_size + 4096, hard))
    big = cmd.AddNote(text="x" * 15000)
    try:
        driver.must(big)
        print("NOT FAILED")
    except JournalWriteFailed as error:
        print("FAILED", error)
    resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
    print("STORED", len(read_events(path)), len(events))
    driver.must(big)
    print("AFTER", len(read_events(path)), journal.last_seq)
    journal.close()
    """
)


def test_a_full_disk_fails_the_append_and_a_later_append_works(tmp_path: Path) -> None:
    path = tmp_path / "full.journal"
    result = subprocess.run(
        [sys.executable, "-c", DISK_FULL_CHILD, str(path)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("FAILED could not save to"), result.stdout
    stored, expected = lines[1].split()[1:]
    assert stored == expected  # nothing of the failed append was committed
    assert lines[2] == f"AFTER {int(expected) + 1} {int(expected) + 1}"


# ---- one writer ---------------------------------------------------------------------------


def test_a_second_writer_is_refused_with_directions(journal_path: Path) -> None:
    with Journal.open(journal_path):
        with pytest.raises(JournalInUse) as caught:
            Journal.open(journal_path)
        message = str(caught.value)
        assert str(journal_path) in message
        assert f"cockpit follow {journal_path}" in message
        assert f"pid {os.getpid()}" in message
        assert isinstance(caught.value, CockpitError)
        # A reader is always welcome while the writer works.
        assert JournalReader.open(journal_path).events() == []


def test_the_lock_is_released_on_close(journal_path: Path) -> None:
    journal = Journal.open(journal_path)
    journal.close()
    journal.close()  # twice is harmless
    with Journal.open(journal_path) as again:
        assert again.last_seq == 0
    with pytest.raises(JournalError, match="closed"):
        journal.append([note(1)])


HOLDER_CHILD = textwrap.dedent(
    """
    import sys, time
    from cockpit.core import commands as cmd
    from cockpit.core.clock import ManualClock
    from cockpit.journal.store import Journal
    from cockpit.model.load import load_contact_card, load_runbook
    from tests.journal_helpers import (
        MINI, MINI_CARD, MINI_WINDOW_START, JournalDriver, start_command,
    )

    journal = Journal.open(sys.argv[1])
    driver = JournalDriver(journal, ManualClock(MINI_WINDOW_START))
    driver.must(start_command(load_runbook(MINI), load_contact_card(MINI_CARD)))
    driver.must(cmd.AddNote(text="committed before the crash"))
    print("ready", flush=True)
    time.sleep(60)
    """
)


def test_a_sigkilled_writer_leaves_no_lock_and_keeps_its_commits(journal_path: Path) -> None:
    journal_path.parent.mkdir(parents=True)
    child = subprocess.Popen(
        [sys.executable, "-c", HOLDER_CHILD, str(journal_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready", child.stderr.read()  # type: ignore[union-attr]
        with pytest.raises(JournalInUse, match=f"pid {child.pid}"):
            Journal.open(journal_path)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        child.stdout.close()  # type: ignore[union-attr]
        child.stderr.close()  # type: ignore[union-attr]
    assert child.returncode == -signal.SIGKILL
    assert wal(journal_path).stat().st_size > 0  # the commits were still only in the WAL
    # Readers of a crashed journal must not "repair" it: a read-write connection would
    # checkpoint the WAL into the main file on close. Nothing may change.
    from cockpit.journal.verify import verify_journal

    before = (sha(journal_path), sha(wal(journal_path)))
    assert [e.seq for e in read_events(journal_path)] == [1, 2]
    assert verify_journal(journal_path).ok
    assert (sha(journal_path), sha(wal(journal_path))) == before
    with Journal.open(journal_path) as journal:
        events = journal.read_all()
        assert [e.type for e in events] == ["cutover_started", "note_added"]
        assert journal.last_seq == 2


# ---- readers ------------------------------------------------------------------------------


def test_readers_change_no_byte_of_the_journal_or_its_wal(open_driver: JournalDriver) -> None:
    from cockpit.journal.verify import verify_journal

    path = open_driver.journal.path
    open_driver.must(cmd.AddNote(text="only in the WAL so far"))
    before = (sha(path), sha(wal(path)))
    assert before[1] is not None and wal(path).stat().st_size > 0
    with JournalReader.open(path) as reader:
        events = reader.events()
        assert events[-1].text == "only in the WAL so far"  # type: ignore[union-attr]
        assert not reader.has_changed()
        assert reader.events(after_seq=len(events)) == []
    assert read_events(path) == events
    assert verify_journal(path).ok
    assert (sha(path), sha(wal(path))) == before


def test_reading_a_closed_journal_leaves_its_bytes_alone(journal_path: Path) -> None:
    script_cutover(journal_path)
    before = sha(journal_path)
    assert len(read_events(journal_path)) == 27
    assert sha(journal_path) == before
    # SQLite may leave an empty -wal beside it; an empty WAL holds nothing.
    assert not wal(journal_path).exists() or wal(journal_path).stat().st_size == 0
    with Journal.open(journal_path) as journal:  # and the writer still takes it fine
        assert journal.last_seq == 27


def test_has_changed_flips_when_the_writer_commits(open_driver: JournalDriver) -> None:
    with JournalReader.open(open_driver.journal.path) as reader:
        seen = reader.events()
        assert not reader.has_changed()
        open_driver.must(cmd.AddNote(text="new"))
        assert reader.has_changed()
        assert not reader.has_changed()
        fresh = reader.events(after_seq=seen[-1].seq)
        assert [e.type for e in fresh] == ["note_added"]
        assert reader.last_seq == seen[-1].seq + 1
        assert reader.events() == [*seen, *fresh]  # asking again from the start works


def test_a_reader_of_a_journal_being_created_sees_it_appear(journal_path: Path) -> None:
    journal_path.parent.mkdir(parents=True)
    journal_path.touch()
    with JournalReader.open(journal_path) as reader:
        assert reader.events() == []
        script_cutover(journal_path, steps=0)
        assert reader.has_changed()
        assert [e.type for e in reader.events()] == ["cutover_started", "message_sent"]


def test_a_missing_journal_or_a_folder_is_a_plain_error(tmp_path: Path) -> None:
    with pytest.raises(JournalError, match="there is no journal at"):
        read_events(tmp_path / "nope.journal")
    assert not (tmp_path / "nope.journal").exists()
    for opener in (Journal.open, JournalReader.open):
        with pytest.raises(JournalError, match="is a folder, not a journal"):
            opener(tmp_path)


def test_awkward_characters_in_the_path_are_not_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "night #1 ?x=y" / "cut over%20&.journal"
    written = script_cutover(path, steps=1)
    assert read_events(path) == written
    assert sorted(p.name for p in path.parent.iterdir())[0] == path.name


# ---- empty, cut-off and foreign files -------------------------------------------------------


def test_a_zero_byte_file_opens_as_empty(journal_path: Path) -> None:
    journal_path.parent.mkdir(parents=True)
    journal_path.touch()
    assert read_events(journal_path) == []
    assert journal_path.stat().st_size == 0  # the reader wrote nothing
    with Journal.open(journal_path) as journal:
        assert journal.last_seq == 0
        journal.append([note(1)])
    assert len(read_events(journal_path)) == 1


def test_a_file_cut_off_while_being_created_opens_as_empty(journal_path: Path) -> None:
    journal_path.parent.mkdir(parents=True)
    conn = sqlite3.connect(journal_path)
    conn.execute("PRAGMA journal_mode = WAL")  # SQLite header written, no tables yet
    conn.close()
    assert journal_path.stat().st_size > 0
    assert read_events(journal_path) == []
    with Journal.open(journal_path) as journal:
        assert journal.append([note(1)]) == 1
    assert len(read_events(journal_path)) == 1


def test_a_text_file_is_not_a_journal_and_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "runbook.toml"
    path.write_text('[runbook]\nid = "oops"\n' * 20)
    before = sha(path)
    for opener in (Journal.open, JournalReader.open):
        with pytest.raises(JournalError, match="not a cockpit journal") as caught:
            opener(path)
        assert str(path) in str(caught.value)
    assert sha(path) == before
    # A failed open does not keep the lock either.
    path.write_text("")
    Journal.open(path).close()


def test_another_sqlite_database_is_not_a_journal(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE things (x)")
    conn.commit()
    conn.close()
    before = sha(path)
    for opener in (Journal.open, JournalReader.open):
        with pytest.raises(JournalError, match="SQLite database but not a cockpit journal"):
            opener(path)
    assert sha(path) == before


def test_a_journal_from_a_newer_cockpit_is_refused(journal_path: Path) -> None:
    script_cutover(journal_path, steps=0)
    conn = sqlite3.connect(journal_path)
    conn.execute(f"PRAGMA user_version = {JOURNAL_FORMAT + 1}")
    conn.close()
    for opener in (Journal.open, JournalReader.open):
        with pytest.raises(JournalError, match="newer cockpit") as caught:
            opener(journal_path)
        assert not isinstance(caught.value, JournalDamaged)


def test_a_journal_missing_a_column_is_refused(journal_path: Path) -> None:
    journal_path.parent.mkdir(parents=True)
    conn = sqlite3.connect(journal_path)
    conn.execute("CREATE TABLE events (seq INTEGER PRIMARY KEY, payload TEXT)")
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {JOURNAL_FORMAT}")
    conn.commit()
    conn.close()
    with pytest.raises(JournalDamaged, match="lacks the column"):
        Journal.open(journal_path)
    with pytest.raises(JournalDamaged, match="at, type, event_id, hash"):
        read_events(journal_path)


# ---- damage seen by the readers -------------------------------------------------------------


def tamper(path: Path, sql: str, *params: Any) -> None:
    conn = sqlite3.connect(path)
    conn.execute(sql, params)
    conn.commit()
    conn.close()


def test_readers_refuse_an_altered_event_naming_it(journal_path: Path) -> None:
    script_cutover(journal_path)
    tamper(
        journal_path, "UPDATE events SET payload = replace(payload, 'prep', 'PREP') WHERE seq = 4"
    )
    with pytest.raises(JournalDamaged, match="event 4 does not match its hash") as caught:
        read_events(journal_path)
    assert caught.value.seq == 4
    with Journal.open(journal_path) as journal, pytest.raises(JournalDamaged):
        journal.read_all()


def test_readers_refuse_a_missing_event_naming_it(journal_path: Path) -> None:
    script_cutover(journal_path)
    tamper(journal_path, "DELETE FROM events WHERE seq = 7")
    with pytest.raises(JournalDamaged, match="event 7 missing") as caught:
        read_events(journal_path)
    assert caught.value.seq == 7


def test_an_unreadable_payload_names_its_seq_without_a_traceback(journal_path: Path) -> None:
    script_cutover(journal_path, steps=0)
    with JournalReader.open(journal_path) as reader:
        last = reader.events()[-1]
    with Journal.open(journal_path) as journal:
        prev_hash = journal.last_hash
    from cockpit.journal.store import chain_hash

    seq = last.seq + 1
    payload = f'{{"seq": {seq}, "type": "teleported", "at": "2026-11-24T08:00:00Z"}}'
    digest = chain_hash(prev_hash, seq, "teleported", "x-0", payload)
    tamper(
        journal_path,
        "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?)",
        seq, "2026-11-24T08:00:00+00:00", "teleported", "x-0", payload, digest,
    )  # fmt: skip
    with pytest.raises(JournalDamaged, match=f"event {seq} cannot be read") as caught:
        read_events(journal_path)
    assert caught.value.seq == seq
    assert "Traceback" not in str(caught.value)


# ---- property: whatever is appended reads back ------------------------------------------------


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    batches=st.lists(
        st.lists(st.text(min_size=1, max_size=200), min_size=1, max_size=4),
        min_size=1,
        max_size=6,
    )
)
def test_any_batches_of_notes_read_back_in_order(batches: list[list[str]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "p.journal"
        expected: list[NoteAdded] = []
        with Journal.open(path) as journal:
            for batch in batches:
                events = [note(len(expected) + i + 1, text) for i, text in enumerate(batch)]
                assert journal.append(events) == len(expected) + len(events)
                expected.extend(events)
        assert read_events(path) == expected


def test_a_writer_refuses_a_journal_sqlite_finds_damaged_but_readers_still_read_it(
    journal_path: Path,
) -> None:
    events = script_cutover(journal_path)
    conn = sqlite3.connect(journal_path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    (root,) = conn.execute(
        "SELECT rootpage FROM sqlite_master WHERE name = 'sqlite_autoindex_events_1'"
    ).fetchone()
    conn.close()
    # The index that keeps event ids unique, not a row: every event still reads and
    # chain-checks, but appending through a broken b-tree could spread the damage.
    with journal_path.open("r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(b"\x07")
    before = journal_path.read_bytes()

    said = re.escape("is damaged (SQLite's own check says")
    with pytest.raises(JournalDamaged, match=said) as caught:
        Journal.open(journal_path)
    assert "Nothing was written" in str(caught.value)
    assert f"cockpit verify {journal_path}" in str(caught.value)
    assert journal_path.read_bytes() == before
    assert read_events(journal_path) == events
