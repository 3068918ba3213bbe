"""`cockpit verify`: is this journal intact, and if not, what can still be trusted?

The check never touches the journal it is given: it copies the file (and its `-wal`, where
the newest commits may still live) into a temporary folder and examines the copy. A
damaged journal is evidence for a debrief, and opening it read-write could let SQLite
"repair" it (replay or drop the WAL) and so change what there is to see.

Every failure — a file that is not a database, one cut off mid-page, a flipped bit, a
deleted row — ends as a report in plain words, never a traceback.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from cockpit.journal.events import Event, event_from_json
from cockpit.journal.store import (
    GENESIS_HASH,
    SQLITE_MAGIC,
    JournalDamaged,
    JournalError,
    chain_hash,
    check_format,
)

#: Problems listed one by one; beyond this many, the rest are counted.
MAX_LISTED_PROBLEMS = 20
#: Attempts at a consistent copy of a journal being written at the same moment.
COPY_ATTEMPTS = 3


@dataclass
class VerifyReport:
    """What `verify_journal` found, and how to say it."""

    path: Path
    ok: bool
    events: int = 0
    """Event rows found and read."""
    trusted_seq: int = 0
    """The last seq of the clean prefix: events 1..trusted_seq can be replayed."""
    problems: list[str] = field(default_factory=list)
    integrity: str = "not run"
    """SQLite's `PRAGMA integrity_check` verdict ("ok" when the database is sound)."""
    readable: bool = True
    """False when the file is not a journal at all or cannot be read: nothing to salvage."""
    first_bad_seq: int | None = None
    """The first event that cannot be trusted (None when every event can)."""

    def render(self) -> str:
        """The report as a person reads it at 3 a.m.: what is wrong, what can be trusted."""
        lines = [f"Journal: {self.path}"]
        if not self.readable:
            lines += [f"  {problem}" for problem in self.problems]
            lines.append("Nothing in this file can be replayed as a cutover journal.")
            return "\n".join(lines)
        lines.append(f"Database check: {self.integrity}")
        lines.append(f"Events found: {self.events}")
        if self.problems:
            lines.append("Problems:")
            lines += [f"  - {problem}" for problem in self.problems]
        lines.append(self.verdict())
        lines.append("(Checked on a copy: the journal itself was not changed.)")
        return "\n".join(lines)

    def verdict(self) -> str:
        """One sentence: what can be trusted."""
        if self.ok:
            if self.events == 0:
                return "The journal is intact and empty: no event has been written yet."
            return (
                f"All {self.events} events are intact: the hash chain holds from event 1 "
                f"to event {self.trusted_seq}, and they can be replayed."
            )
        if self.first_bad_seq is None:
            if self.trusted_seq == 0:
                return "The events cannot be read, so none can be trusted."
            return (
                f"Events 1–{self.trusted_seq} are intact (the hash chain holds) and can be "
                "replayed, but the database file is damaged: keep a copy of it as it is."
            )
        if self.trusted_seq == 0:
            return (
                "No event can be trusted: the journal is damaged from its first event "
                f"(event {self.first_bad_seq})."
            )
        span = "event 1" if self.trusted_seq == 1 else f"events 1–{self.trusted_seq}"
        verb = "is" if self.trusted_seq == 1 else "are"
        return (
            f"{span[0].upper()}{span[1:]} {verb} intact and can be replayed; "
            f"event {self.first_bad_seq} onwards cannot be trusted."
        )


def verify_journal(path: Path | str) -> VerifyReport:
    """Examine the journal at `path` (on a copy) and report."""
    return _examine(Path(path), keep_events=False)[1]


def salvage(path: Path | str) -> tuple[list[Event], VerifyReport]:
    """The events that can be trusted (the clean prefix), with the report that says why
    the rest cannot. Used by `cockpit log` on a damaged journal."""
    return _examine(Path(path), keep_events=True)


# ---- the examination ---------------------------------------------------------------------


def _examine(path: Path, keep_events: bool) -> tuple[list[Event], VerifyReport]:
    if not path.exists():
        return [], _unreadable(path, f"there is no file at {path}")
    if not path.is_file():
        return [], _unreadable(path, f"{path} is not a file")
    with tempfile.TemporaryDirectory(prefix="cockpit-verify-") as folder:
        try:
            copy = _copy_journal(path, Path(folder))
        except OSError as error:
            return [], _unreadable(path, f"{path} cannot be read: {error.strerror or error}")
        return _Examination(path, copy, keep_events).run()


def _unreadable(path: Path, problem: str) -> VerifyReport:
    return VerifyReport(path=path, ok=False, problems=[problem], readable=False)


def _signature(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return stat.st_size, stat.st_mtime_ns


def _copy_journal(path: Path, folder: Path) -> Path:
    """Copy the journal and its `-wal` side by side (not the `-shm`: SQLite rebuilds it
    from the WAL). A cockpit may be writing at this moment, so copy again when either
    file changed while it was being copied."""
    copy = folder / "journal.sqlite"
    wal = path.with_name(path.name + "-wal")
    copy_wal = copy.with_name(copy.name + "-wal")
    for _ in range(COPY_ATTEMPTS):
        before = (_signature(path), _signature(wal))
        shutil.copyfile(path, copy)
        copy_wal.unlink(missing_ok=True)
        if before[1] is not None:
            try:
                shutil.copyfile(wal, copy_wal)
            except FileNotFoundError:  # checkpointed and removed meanwhile: copy again
                continue
        if (_signature(path), _signature(wal)) == before:
            break
    return copy


Row = tuple[object, object, object, object, object, object]


class _Examination:
    """One pass over a copy of a journal, collecting problems."""

    def __init__(self, path: Path, copy: Path, keep_events: bool) -> None:
        self.path = path
        self.copy = copy
        self.keep_events = keep_events
        self.report = VerifyReport(path=path, ok=False)
        self.trusted: list[Event] = []
        self.hidden_problems = 0

    def problem(self, text: str, seq: int | None = None) -> None:
        """Note a problem; `seq` is the first event it makes untrustworthy."""
        if seq is not None and self.report.first_bad_seq is None:
            self.report.first_bad_seq = seq
        if len(self.report.problems) < MAX_LISTED_PROBLEMS:
            self.report.problems.append(text)
        else:
            self.hidden_problems += 1

    def run(self) -> tuple[list[Event], VerifyReport]:
        report = self.report
        with self.copy.open("rb") as handle:
            head = handle.read(100)
        if head == b"":
            wal = self.copy.with_name(self.copy.name + "-wal")
            if wal.exists() and wal.stat().st_size > 0:
                report.integrity = "damaged (empty main file beside its -wal)"
                self.problem(
                    "the main file is empty but its -wal holds events: opening it would "
                    "lose them (SQLite deletes such a -wal); keep both files and restore "
                    "the main file from a backup or a copy",
                    seq=1,
                )
                return [], report
            report.ok, report.integrity = True, "ok (empty file)"
            return [], report
        if not head.startswith(SQLITE_MAGIC):
            return [], _unreadable(
                self.path, f"{self.path} is not a cockpit journal (not an SQLite database)"
            )
        try:
            conn = sqlite3.connect(self.copy, isolation_level=None)
        except (sqlite3.Error, UnicodeDecodeError) as error:
            return [], _unreadable(self.path, f"{self.path} cannot be opened: {error}")
        # A flipped bit can leave a payload that is not UTF-8: read it anyway (the hash
        # check then says it changed) rather than stop at that row.
        conn.text_factory = lambda data: data.decode("utf-8", "replace")
        try:
            return self._run(conn)
        finally:
            conn.close()

    def _run(self, conn: sqlite3.Connection) -> tuple[list[Event], VerifyReport]:
        report = self.report
        report.integrity = _integrity(conn)
        try:
            try:
                has_tables = check_format(conn, self.path)
            except (sqlite3.DatabaseError, UnicodeDecodeError) as error:
                # A file cut short is shorter than its header says; SQLite refuses it
                # unless told to trust the file's real size. This only reads the copy.
                conn.execute("PRAGMA writable_schema = ON")
                has_tables = check_format(conn, self.path)
                report.integrity = _integrity(conn)
                self.problem(f"the database file is cut short or damaged ({error})")
        except JournalDamaged as error:
            self.problem(str(error), seq=1)
            return self._finish()
        except JournalError as error:
            return [], _unreadable(self.path, str(error))
        except (sqlite3.DatabaseError, UnicodeDecodeError) as error:
            return [], _unreadable(self.path, f"{self.path} cannot be read as a database: {error}")
        if not has_tables:
            if report.integrity == "ok":
                report.integrity = "ok (created, nothing written yet)"
            return self._finish()
        self._walk(conn)
        return self._finish()

    def _finish(self) -> tuple[list[Event], VerifyReport]:
        report = self.report
        if self.hidden_problems:
            report.problems.append(f"… and {self.hidden_problems} more problem(s)")
        if not report.integrity.startswith("ok"):
            report.problems.insert(
                0, "SQLite's own check of the database file found damage (see above)"
            )
        report.ok = not report.problems
        return self.trusted, report

    def _walk(self, conn: sqlite3.Connection) -> None:
        """Check every row in order: numbering, hash chain, content."""
        report = self.report
        prev_seq, prev_hash = 0, GENESIS_HASH
        try:
            cursor = conn.execute(
                "SELECT seq, at, type, event_id, payload, hash FROM events ORDER BY seq"
            )
        except (sqlite3.DatabaseError, UnicodeDecodeError) as error:
            self.problem(f"the events cannot be read: {error}", seq=1)
            return
        while True:
            try:
                row = cursor.fetchone()
            except (sqlite3.DatabaseError, UnicodeDecodeError) as error:
                self.problem(
                    f"the events after event {prev_seq} cannot be read: {error}",
                    seq=prev_seq + 1,
                )
                return
            if row is None:
                return
            report.events += 1
            event, advanced = self._check_row(row, prev_seq, prev_hash)
            if advanced:
                seq = row[0]
                assert isinstance(seq, int)
                if event is not None and report.first_bad_seq is None:
                    report.trusted_seq = seq
                    if self.keep_events:
                        self.trusted.append(event)
                prev_seq, prev_hash = seq, str(row[5])

    def _check_row(self, row: Row, prev_seq: int, prev_hash: str) -> tuple[Event | None, bool]:
        """(the event when its row is sound, whether the row moves the numbering on).

        A row that cannot be placed (no number, or a number not after the previous one:
        what a damaged page can yield) is reported and skipped.
        """
        seq, at, event_type, event_id, payload, stored_hash = row
        if not isinstance(seq, int) or seq <= prev_seq:
            self.problem(f"a damaged row follows event {prev_seq}", prev_seq + 1)
            return None, False
        sound = True
        if seq != prev_seq + 1:
            first = prev_seq + 1
            gone = f"event {first} is" if seq == first + 1 else f"events {first}–{seq - 1} are"
            self.problem(
                f"{gone} missing: the numbers jump from {prev_seq} to {seq} "
                "(deleted, or lost with a damaged page)",
                first,
            )
            sound = False
        texts = (at, event_type, event_id, payload, stored_hash)
        if not all(isinstance(value, str) for value in texts):
            self.problem(f"event {seq} has a column that is not text (edited by hand?)", seq)
            return None, True
        assert isinstance(event_type, str) and isinstance(event_id, str)
        assert isinstance(payload, str) and isinstance(at, str)
        if sound and chain_hash(prev_hash, seq, event_type, event_id, payload) != stored_hash:
            self.problem(
                f"event {seq} does not match its hash: it was changed after it was written",
                seq,
            )
            sound = False
        try:
            event = event_from_json(payload)
        except ValidationError as error:
            details = error.errors()
            where = ".".join(str(part) for part in details[0]["loc"]) if details else ""
            why = details[0]["msg"] if details else "invalid"
            self.problem(
                f"event {seq} cannot be read as an event ({where + ': ' if where else ''}{why})",
                seq,
            )
            return None, True
        if event.seq != seq or event.type != event_type or event.event_id != event_id:
            self.problem(f"event {seq}: its columns disagree with its content", seq)
            sound = False
        elif event.at.isoformat() != at:
            self.problem(f"event {seq}: its time column disagrees with its content", seq)
            sound = False
        if seq == 1 and event.type != "cutover_started":
            self.problem(
                f"the first event is {event.type}, not cutover_started: "
                "the start of the cutover is missing",
                seq,
            )
            sound = False
        elif seq > 1 and event.type == "cutover_started":
            self.problem(f"event {seq} starts a second cutover in the same journal", seq)
            sound = False
        return (event if sound else None), True


def _integrity(conn: sqlite3.Connection) -> str:
    """SQLite's verdict on the file: "ok", or what it found, on one line."""
    try:
        rows = [str(row[0]) for row in conn.execute("PRAGMA integrity_check")]
    except (sqlite3.DatabaseError, UnicodeDecodeError) as error:
        return f"the database cannot be checked ({error})"
    if rows == ["ok"]:
        return "ok"
    shown = "; ".join(rows[:5])
    more = f" (and {len(rows) - 5} more)" if len(rows) > 5 else ""
    return f"damaged: {shown}{more}"
