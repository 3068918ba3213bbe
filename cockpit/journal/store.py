"""The journal on disk: one SQLite file per cutover, written by one cockpit at a time.

Why SQLite in WAL mode with `synchronous=FULL`: a commit is on disk when `COMMIT`
returns, a crash (killed terminal, closed lid, power cut) loses at most the transaction
that had not committed, and readers (`cockpit follow`, `log`, `verify`) never block the
writer. The file opens in the ordinary `sqlite3` shell too.

Layout (format 1, `PRAGMA user_version`; `PRAGMA application_id` is "CCKP"):

* `events(seq, at, type, event_id, payload, hash)` — one row per event, `payload` the
  canonical JSON of `cockpit.journal.events`, `hash` chaining each row to the one before
  (see `chain_hash`), so an edited, lost or reordered row is detected.
* `meta(key, value)` — the format, when the file was created and by which cockpit.

Nothing is ever updated or deleted: a correction is a new event.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import sqlite3
import stat
import tempfile
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from shlex import quote as shell_quote
from types import TracebackType
from typing import Self
from urllib.parse import quote

from pydantic import ValidationError

from cockpit.collector import collector_paused
from cockpit.errors import CockpitError
from cockpit.journal.events import BaseEvent, Event, event_from_json, event_to_json

#: `PRAGMA application_id`: the four bytes "CCKP", so `file(1)` and we can tell our files.
APPLICATION_ID = 0x43434B50
#: `PRAGMA user_version`: bumped when the tables change incompatibly.
JOURNAL_FORMAT = 1
#: The hash the first event chains from.
GENESIS_HASH = "0" * 64
#: What every SQLite 3 file starts with.
SQLITE_MAGIC = b"SQLite format 3\x00"
#: How long a write waits for a lock held by someone else (a `sqlite3` shell, a reader
#: rebuilding the WAL index) before it counts as failed.
BUSY_TIMEOUT_MS = 5000

_COLUMNS = ("seq", "at", "type", "event_id", "payload", "hash")
_SCHEMA = (
    "CREATE TABLE events ("
    " seq INTEGER PRIMARY KEY,"
    " at TEXT NOT NULL,"
    " type TEXT NOT NULL,"
    " event_id TEXT NOT NULL UNIQUE,"
    " payload TEXT NOT NULL,"
    " hash TEXT NOT NULL)",
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
)


# ---- errors ----------------------------------------------------------------------------


class JournalError(CockpitError):
    """The file is not a journal, is of a newer format, is damaged or cannot be read."""


class JournalDamaged(JournalError):
    """The journal is ours but an event is missing, altered or unreadable.

    `seq` is the first event that cannot be trusted (None when the damage is in the
    database itself); everything before it is intact. `cockpit verify` says more.
    """

    def __init__(self, message: str, seq: int | None = None) -> None:
        super().__init__(message)
        self.seq = seq


class JournalInUse(JournalError):
    """Another cockpit holds the writer's lock on this journal."""

    def __init__(self, path: Path, pid: int | None = None) -> None:
        who = f" (pid {pid})" if pid else ""
        super().__init__(
            f"{path} is already open in another `cockpit run`{who}. "
            f"To watch it read-only, run: cockpit follow {shell_quote(str(path))}"
        )
        self.path = path
        self.pid = pid


class JournalWriteFailed(JournalError):
    """An append did not reach the disk; nothing of it was committed.

    The journal stays open: the same append can be retried once the disk works again.
    """


# ---- the hash chain ----------------------------------------------------------------------


def chain_hash(prev_hash: str, seq: int, event_type: str, event_id: str, payload: str) -> str:
    """The hash stored with an event: it covers the event and, through `prev_hash`, all
    events before it."""
    text = f"{prev_hash}\n{seq}\n{event_type}\n{event_id}\n{payload}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# ---- shared checks ---------------------------------------------------------------------


def _looks_like_sqlite(path: Path) -> bool:
    """True for an empty file or one starting with SQLite's magic bytes.

    Read with plain Python before SQLite sees the file, so a text file handed to us by
    mistake is refused without SQLite (or us) touching it.
    """
    with path.open("rb") as handle:
        head = handle.read(len(SQLITE_MAGIC))
    return head == b"" or head == SQLITE_MAGIC


def check_format(conn: sqlite3.Connection, path: Path) -> bool:
    """Check that `conn` holds a cockpit journal this cockpit can read.

    Returns False when the database has no tables at all (a new file, or one cut off
    while being created): the caller treats it as empty. Raises JournalError otherwise.
    """
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if app_id == 0 and version == 0 and not tables:
        return False
    if app_id != APPLICATION_ID:
        raise JournalError(
            f"{path} is an SQLite database but not a cockpit journal "
            f"(application id {app_id:#010x}, a journal has {APPLICATION_ID:#010x})"
        )
    if version > JOURNAL_FORMAT:
        raise JournalError(
            f"{path} was written by a newer cockpit (journal format {version}; this cockpit "
            f"reads format {JOURNAL_FORMAT} and older): upgrade cockpit to open it"
        )
    if version < 1:
        raise JournalDamaged(f"{path} is damaged: its journal format number is missing")
    for table in ("events", "meta"):
        if table not in tables:
            raise JournalDamaged(f"{path} is damaged: its {table} table is missing")
    info = {row[1]: row for row in conn.execute("PRAGMA table_info(events)")}
    missing = [name for name in _COLUMNS if name not in info]
    if missing:
        raise JournalDamaged(
            f"{path} is damaged: the events table lacks the column(s) {', '.join(missing)}"
        )
    seq = info["seq"]
    if str(seq[2]).upper() != "INTEGER" or seq[5] != 1:
        # One flipped bit in the schema's text can unmake `seq` as the row id; its rows
        # would then read back as other columns' text.
        raise JournalDamaged(f"{path} is damaged: the events table's seq column is not its key")
    return True


def empty_beside_wal(path: Path) -> bool:
    """An empty main file next to a -wal that holds data.

    SQLite would delete that -wal on open — even through a read-only connection — and
    with it every event in it, so nothing may open such a journal.
    """
    wal = path.with_name(path.name + "-wal")
    try:
        return path.stat().st_size == 0 and wal.exists() and wal.stat().st_size > 0
    except OSError:
        return False


#: What a hot SQLite rollback journal (`<db>-journal`) starts with.
_ROLLBACK_MAGIC = bytes.fromhex("d9d505f920a163d7")


def being_created(path: Path) -> bool:
    """The journal is still being created, or its creator was killed while creating it.

    A new journal is switched to WAL under a rollback journal, `<path>-journal`, whose
    header records the database's size before the change: zero pages. Until a writer
    rolls that back (or finishes), what is committed is an empty database, yet SQLite
    refuses to read it through a read-only connection ("attempt to write a readonly
    database"). So readers check the header themselves and read such a journal as empty.
    """
    try:
        with path.with_name(path.name + "-journal").open("rb") as handle:
            header = handle.read(20)
    except OSError:
        return False
    return (
        len(header) == 20
        and header.startswith(_ROLLBACK_MAGIC)
        and int.from_bytes(header[16:20], "big") == 0
    )


def _refuse_empty_beside_wal(path: Path) -> None:
    if empty_beside_wal(path):
        raise JournalDamaged(
            f"{path} is damaged: the main file is empty but its -wal holds events. Nothing "
            f"was opened, so nothing is lost yet: keep both files and copy them aside "
            f"before anything else; cockpit verify {path} says more"
        )


class _Chain:
    """Walks stored rows in order, checking the hash chain, and parses the events.

    Remembers the last row it verified, so a follower polling for new events checks only
    the new rows (a cockpit never rewrites old ones).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.seq = 0
        self.hash = GENESIS_HASH
        self.quoted = shell_quote(str(path))

    def walk(
        self,
        rows: Iterable[tuple[int, str, str, str, str]],
        keep_after: int,
        consume: Callable[[Event], object],
    ) -> None:
        """Verify `rows` (which must continue from `self.seq`); parse those after
        `keep_after` and hand each to `consume` as soon as it is trusted, so a long
        journal never has to be held in memory at once. Raises JournalDamaged at the
        first row that cannot be trusted."""
        for seq, event_type, event_id, payload, stored_hash in rows:
            if seq != self.seq + 1:
                first = self.seq + 1
                gone = f"event {first}" if seq == first + 1 else f"events {first}–{seq - 1}"
                raise JournalDamaged(
                    f"{self.path} is damaged: {gone} missing (the numbers jump from "
                    f"{self.seq} to {seq}); run: cockpit verify {self.quoted}",
                    seq=first,
                )
            if chain_hash(self.hash, seq, event_type, event_id, payload) != stored_hash:
                raise JournalDamaged(
                    f"{self.path} is damaged: event {seq} does not match its hash (it was "
                    f"changed after it was written); run: cockpit verify {self.quoted}",
                    seq=seq,
                )
            if seq > keep_after:
                consume(_parse(self.path, seq, event_type, event_id, payload))
            self.seq, self.hash = seq, stored_hash

    def hash_at(self, conn: sqlite3.Connection, seq: int) -> str:
        """The stored hash of an already verified event (GENESIS_HASH for 0)."""
        if seq == 0:
            return GENESIS_HASH
        row = conn.execute("SELECT hash FROM events WHERE seq = ?", (seq,)).fetchone()
        if row is None:
            raise JournalDamaged(f"{self.path} is damaged: event {seq} is gone", seq=seq)
        return str(row[0])

    def read(
        self, conn: sqlite3.Connection, after_seq: int, consume: Callable[[Event], object]
    ) -> None:
        """Hand each event after `after_seq` to `consume`, in order, once it is checked
        against the chain."""
        start = min(after_seq, self.seq)
        if start < self.seq:
            self.seq, self.hash = start, self.hash_at(conn, start)
        rows = conn.execute(
            "SELECT seq, type, event_id, payload, hash FROM events WHERE seq > ? ORDER BY seq",
            (start,),
        )
        # Each event read lives on (in a list or in the folded state), and none forms a
        # cycle: the collector would only rescan an ever larger heap (a third of the
        # time of reading and folding 100,000 events).
        with collector_paused():
            self.walk(rows, after_seq, consume)


def _parse(path: Path, seq: int, event_type: str, event_id: str, payload: str) -> Event:
    """One stored payload as an Event; its columns must agree with it."""
    try:
        event = event_from_json(payload)
    except ValidationError as error:
        first = error.errors()[0] if error.errors() else {"msg": str(error), "loc": ()}
        where = ".".join(str(part) for part in first.get("loc", ()))
        raise JournalDamaged(
            f"{path}: event {seq} cannot be read ({where + ': ' if where else ''}"
            f"{first.get('msg', 'invalid')}); it may come from a newer cockpit, or be damaged",
            seq=seq,
        ) from None
    if event.seq != seq or event.type != event_type or event.event_id != event_id:
        raise JournalDamaged(
            f"{path} is damaged: event {seq}'s columns disagree with its content", seq=seq
        )
    return event


def _ro_uri(path: Path) -> str:
    """A read-only SQLite URI for `path`: SQLite itself refuses to write through it."""
    return f"file:{quote(str(path.absolute()))}?mode=ro"


def _rw_uri(path: Path) -> str:
    """A read-write URI that does not create: a journal that vanished is not recreated."""
    return f"file:{quote(str(path.absolute()))}?mode=rw"


def _lock_path(path: Path) -> Path:
    return path.with_name(path.name + "-lock")


def _holder_pid(lock_path: Path) -> int | None:
    try:
        text = lock_path.read_text(encoding="ascii", errors="replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def real_path(path: Path) -> Path:
    """`path` with every symlink resolved (the final one too, even when it dangles).

    The writer's lock, SQLite's files and the checks on `-wal`/`-journal` all go by the
    real file, so `y.journal → x.journal` is the same journal as `x.journal`.
    """
    return Path(os.path.realpath(path))


#: Files and folders a cockpit creates hold customer numbers and notes: owner only.
PRIVATE_FILE_MODE = 0o600
PRIVATE_FOLDER_MODE = 0o700


def _make_folders(folder: Path) -> Path | None:
    """Create `folder` and any missing parents, each readable by the owner alone.

    Returns the topmost folder created (None when it existed), so the caller can say a
    new folder — hence a new night — was made, and remove it again if the open fails.
    (`Path.mkdir(parents=True)` would give the parents the umask's mode, not ours.)
    """
    missing: list[Path] = []
    probe = folder
    while not probe.exists():
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    for created in reversed(missing):
        try:
            os.mkdir(created, PRIVATE_FOLDER_MODE)
        except FileExistsError:
            continue  # made by someone else meanwhile: fine, it is not ours to report
        except OSError as error:
            if created != missing[-1]:
                _remove_folders(missing[-1], created.parent)
            raise JournalError(f"cannot create the folder {created}: {error.strerror}") from None
    return missing[-1] if missing else None


def _remove_folders(top: Path, deepest: Path) -> None:
    """Remove the folders `_make_folders` created, deepest first, while they are empty."""
    folder = deepest
    while True:
        try:
            folder.rmdir()
        except OSError:
            return
        if folder == top or folder.parent == folder:
            return
        folder = folder.parent


def _create_private_file(path: Path) -> bool:
    """Create an empty `path` readable by the owner alone; False if it already existed.

    Made before SQLite opens it because SQLite creates the database with the umask's
    mode (usually 0644) but gives its `-wal`, `-shm` and `-journal` the main file's
    permissions: a private main file keeps the whole family private.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC | os.O_NOFOLLOW
    try:
        fd = os.open(path, flags, PRIVATE_FILE_MODE)
    except FileExistsError:
        return False
    try:
        # The umask may have taken bits away, never added any: set exactly 0600.
        os.fchmod(fd, PRIVATE_FILE_MODE)
    finally:
        os.close(fd)
    return True


class _HeldLock:
    """An exclusive `flock` held on one lock file."""

    def __init__(self, fd: int, path: Path, created: bool) -> None:
        self.fd: int | None = fd
        self.path = path
        #: Made by this open: removed again when the open is refused, so a refusal
        #: leaves nothing behind.
        self.created = created

    @classmethod
    def take(cls, lock_path: Path, journal: Path) -> _HeldLock:
        """Lock `lock_path` (creating it 0600), or raise JournalInUse naming `journal`."""
        flags = os.O_RDWR | os.O_CLOEXEC | os.O_NOFOLLOW
        try:
            try:
                fd, created = os.open(lock_path, flags | os.O_CREAT | os.O_EXCL, 0o600), True
            except FileExistsError:
                fd, created = os.open(lock_path, flags), False
        except OSError as error:
            raise JournalError(
                f"cannot open the lock file {lock_path} of {journal}: {error.strerror}"
            ) from None
        lock = cls(fd, lock_path, created)
        try:
            _flock_exclusive(fd)
        except BlockingIOError:
            lock.release(refused=True)
            raise JournalInUse(journal, _holder_pid(lock_path)) from None
        except OSError as error:
            lock.release(refused=True)
            raise JournalError(f"cannot lock {journal}: {error.strerror}") from None
        with contextlib.suppress(OSError):  # the pid is a courtesy for the message
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        return lock

    def release(self, *, refused: bool = False) -> None:
        """Let go of the lock. After a refused open, a lock file this open created is
        removed first (while still held, so no one can have locked it meanwhile)."""
        if self.fd is None:
            return
        if refused and self.created:
            with contextlib.suppress(OSError):
                self.path.unlink()
        os.close(self.fd)
        self.fd = None


#: How often, and how far apart, taking the writer's lock is tried before it counts as
#: held: a follower's probe (`writer_lock_held`) holds a shared lock for microseconds, and
#: a writer starting in that instant must not be refused for it.
_LOCK_TRIES = 5
_LOCK_RETRY_SECONDS = 0.005


def _flock_exclusive(fd: int) -> None:
    """Take an exclusive `flock` without waiting on a holder (BlockingIOError if held),
    trying again a few milliseconds later when a probe may be what holds it."""
    for attempt in range(_LOCK_TRIES):
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if attempt == _LOCK_TRIES - 1:
                raise
            time.sleep(_LOCK_RETRY_SECONDS)


def writer_lock_held(path: Path | str) -> bool | None:
    """Whether a cockpit holds the writer's lock on the journal at `path` right now:
    True, False, or None when it cannot be told (the lock file cannot be read).

    Read-only and instantaneous, for a follower polling twice a second: the lock file
    is opened read-only and never created (no file means no writer ever locked this
    name), a shared `flock` is tried without waiting and released at once. A writer
    holds it exclusively, so the try fails exactly while one runs; the kernel drops a
    lock when its process dies, so a SIGKILLed writer reads as gone at the next probe.
    A writer starting during the microseconds a probe holds it tries again
    (`_flock_exclusive`), so a follower never keeps a writer from starting.
    """
    lock_path = _lock_path(real_path(Path(path)))
    try:
        fd = os.open(lock_path, os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        return False
    except OSError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        except OSError:
            return None
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


def _inode_lock_folder() -> Path | None:
    """The folder of this user's locks by device and inode, or None if it is unusable.

    Fixed (`/tmp/cockpit-<uid>-locks`), not taken from the environment: two terminals of
    one user (a desktop and an ssh session) must find the same folder. Only a folder that
    is this user's and closed to others is used; otherwise the lock beside the journal
    still stands, and only a second name made with `ln` goes undetected.
    """
    base = Path("/tmp") if os.path.isdir("/tmp") else Path(tempfile.gettempdir())
    folder = base / f"cockpit-{os.getuid()}-locks"
    with contextlib.suppress(FileExistsError, OSError):
        os.mkdir(folder, PRIVATE_FOLDER_MODE)
    try:
        info = os.lstat(folder)
    except OSError:
        return None
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        return None
    return folder


def _take_inode_lock(real: Path, journal: Path) -> _HeldLock | None:
    """Lock the journal file itself, by device and inode: every name of it counts.

    The lock beside the journal (`<journal>-lock`) goes by name, so it cannot see a second
    name made with `ln` (a hard link); this one goes by the file. It is not taken on the
    database file itself: closing any descriptor of that file would drop SQLite's own
    POSIX locks (see `Journal`), and on NFS `flock` is emulated with those very locks.
    """
    folder = _inode_lock_folder()
    if folder is None:
        return None
    info = real.stat()
    return _HeldLock.take(folder / f"{info.st_dev}-{info.st_ino}.lock", journal)


# ---- the writer --------------------------------------------------------------------------


Connect = Callable[[str], sqlite3.Connection]


def _default_connect(uri: str) -> sqlite3.Connection:
    # isolation_level=None: we issue BEGIN IMMEDIATE/COMMIT ourselves, so the transaction
    # boundaries are exactly the ones written here. check_same_thread=False: the TUI may
    # append from a worker thread; a lock serialises all use.
    return sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)


class _ClosedOnExit(ABC):
    """`with Journal.open(…) as journal:` — closed however the block ends."""

    @abstractmethod
    def close(self) -> None:
        """Release the connection (and, for the writer, its lock)."""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class Journal(_ClosedOnExit):
    """The single writer of one journal.

    Single-writer lock: an exclusive, non-blocking `fcntl.flock` on a sidecar file
    `<journal>-lock`, held for the Journal's lifetime. Why a sidecar rather than a lock on
    the database file itself: SQLite locks the database file with POSIX `fcntl` record
    locks, and POSIX drops *all* of a process's record locks on a file when *any*
    descriptor of that file is closed. A second `Journal.open` of the same file in one
    process (or any open/close of the database by us) would silently release SQLite's own
    locks — the "howtocorrupt" trap in SQLite's documentation. The sidecar is never opened
    by SQLite, so it cannot interfere. `flock` locks belong to the open file description,
    so the kernel releases ours when the process dies, even by SIGKILL: a crashed cockpit
    never leaves a stale lock. The file stays (holding the last writer's pid, used in the
    "in use" message); removing it would race with a new writer.

    The lock goes by the real file, not by the name typed: the sidecar sits beside the
    path with its symlinks resolved, and a second lock, named by the file's device and
    inode in this user's lock folder (`_take_inode_lock`), catches a second name made
    with `ln`. Both are taken, so two cockpits meet on at least one of them whatever
    names they were given; the sidecar also works across hosts sharing a disk.
    """

    def __init__(
        self,
        path: Path,
        conn: sqlite3.Connection,
        locks: Sequence[_HeldLock],
        connect: Connect,
        *,
        real: Path | None = None,
    ) -> None:
        self._path = path
        #: The file SQLite writes: `path` with its symlinks resolved.
        self._real = real if real is not None else real_path(path)
        self._conn: sqlite3.Connection | None = conn
        self._locks: list[_HeldLock] | None = list(locks)
        self._connect = connect
        self._mutex = threading.Lock()
        self._last_seq = 0
        self._last_hash = GENESIS_HASH
        self._identity = self._file_identity()
        #: This open created the journal file: a new night, not a resumed one.
        self.created = False
        #: The topmost folder this open had to create for the journal, if any: a path
        #: mistyped to resume a night would otherwise start a new one without a word.
        self.created_folder: Path | None = None
        self._refresh(conn)

    # ---- opening -----------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | str, *, connect: Connect | None = None) -> Journal:
        """Open (creating if needed) the journal at `path` for writing.

        Raises JournalInUse when another cockpit writes it — under this name, through a
        symlink, or through another hard link —, JournalError when the file is not a
        journal this cockpit can write. A refused open leaves nothing behind that it made
        (lock file, empty journal, folder). A new journal and its folders are created
        readable by the owner alone. `connect` (a function from an SQLite URI to a
        connection) lets tests inject a failing disk.
        """
        path = Path(path)
        connect = connect or _default_connect
        real = real_path(path)
        if real.is_dir():
            raise JournalError(f"{path} is a folder, not a journal")
        created_folder = _make_folders(real.parent)
        locks: list[_HeldLock] = []
        created_file = False
        try:
            locks.append(_HeldLock.take(_lock_path(real), path))
            try:
                _refuse_empty_beside_wal(real)
                created_file = _create_private_file(real)
                # Locked by inode before the file is read: reading opens and closes it,
                # which would drop the SQLite locks of a writer in this very process.
                inode_lock = _take_inode_lock(real, path)
                if inode_lock is not None:
                    locks.append(inode_lock)
                if not created_file and not _looks_like_sqlite(real):
                    raise JournalError(f"{path} is not a cockpit journal (not an SQLite database)")
            except OSError as error:
                raise JournalError(f"cannot read {path}: {error.strerror}") from None
            conn = cls._open_database(real, connect, path)
            try:
                journal = cls(path, conn, locks, connect, real=real)
            except (sqlite3.DatabaseError, UnicodeDecodeError, OSError) as error:
                conn.close()
                raise JournalDamaged(f"{path} cannot be read: {error}") from None
        except BaseException:
            for lock in reversed(locks):
                lock.release(refused=True)
            if created_file:
                _remove_if_still_empty(real)
            if created_folder is not None:
                _remove_folders(created_folder, real.parent)
            raise
        journal.created = created_file
        journal.created_folder = created_folder
        return journal

    @staticmethod
    def _open_database(real: Path, connect: Connect, path: Path) -> sqlite3.Connection:
        """Connect to the file `real`, check the format, switch to WAL and create the
        tables if needed (messages name `path`, as the user typed it)."""
        uri = f"file:{quote(str(real.absolute()))}?mode=rwc"
        try:
            conn = connect(uri)
        except (sqlite3.Error, UnicodeDecodeError) as error:
            raise JournalError(f"cannot open {path}: {error}") from None
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            initialised = check_format(conn, path)
            # WAL is persistent, synchronous is per connection: set both every time.
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise JournalError(
                    f"{path}: SQLite cannot use write-ahead logging here (got {mode!r}); "
                    "put the journal on a local disk"
                )
            conn.execute("PRAGMA synchronous = FULL")
            if not initialised:
                _initialise(conn, path)
            else:
                _refuse_damaged_database(conn, path)
            return conn
        except (sqlite3.DatabaseError, UnicodeDecodeError) as error:
            conn.close()
            raise JournalError(f"{path} cannot be used as a journal: {error}") from None
        except BaseException:
            conn.close()
            raise

    # ---- state -------------------------------------------------------------------------

    @property
    def path(self) -> Path:
        """Where the journal lives."""
        return self._path

    @property
    def last_seq(self) -> int:
        """The seq of the last committed event (0 when empty)."""
        return self._last_seq

    @property
    def last_hash(self) -> str:
        """The chain hash of the last committed event (GENESIS_HASH when empty)."""
        return self._last_hash

    def _file_identity(self) -> tuple[int, int]:
        info = self._real.stat()
        return info.st_dev, info.st_ino

    def _check_file_is_there(self) -> None:
        """Raise OSError when the journal file was deleted, moved away or replaced.

        SQLite would happily keep committing into the write-ahead log of a deleted
        database (the data is then lost with it), so an append checks the file itself.
        """
        try:
            identity = self._file_identity()
        except FileNotFoundError:
            raise OSError("the journal file is gone (deleted or moved)") from None
        if identity != self._identity:
            raise OSError("the journal file was replaced by another file")

    def _refresh(self, conn: sqlite3.Connection) -> None:
        row = conn.execute("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1").fetchone()
        self._last_seq, self._last_hash = (int(row[0]), str(row[1])) if row else (0, GENESIS_HASH)

    def _connection(self) -> sqlite3.Connection:
        """The open connection, reconnecting after a failed write closed it."""
        if self._locks is None:
            raise JournalError(f"{self._path} is closed")
        if self._conn is None:
            self._check_file_is_there()
            conn = self._connect(_rw_uri(self._real))
            try:
                conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
                if not check_format(conn, self._path):
                    raise JournalError(f"{self._path} was emptied while the cockpit had it open")
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = FULL")
                self._refresh(conn)
            except BaseException:
                conn.close()
                raise
            self._conn = conn
        return self._conn

    # ---- reading and writing -----------------------------------------------------------

    def read_all(self) -> list[Event]:
        """Every event, checked against the hash chain (JournalDamaged if broken)."""
        events: list[Event] = []
        self.read_each(events.append)
        return events

    def read_each(self, consume: Callable[[Event], object]) -> None:
        """Hand every event to `consume` in order, each checked against the hash chain
        (JournalDamaged at the first that is not), without holding them all at once."""
        with self._mutex:
            try:
                conn = self._connection()
                _Chain(self._path).read(conn, 0, consume)
            except (sqlite3.DatabaseError, UnicodeDecodeError) as error:
                raise JournalDamaged(f"{self._path} cannot be read: {error}") from None

    def append(self, events: Sequence[BaseEvent]) -> int:
        """Write `events` in one transaction; returns the last seq once it is committed.

        The events must continue the journal (`last_seq + 1`, without gaps). A retried
        command whose earlier commit did land is recognised by its first event id and
        not written twice. Raises JournalWriteFailed when the disk refuses (full,
        read-only, file gone): nothing of this append is then on disk, and the Journal
        can be used again.
        """
        if not events:
            return self._last_seq
        with self._mutex:
            try:
                conn = self._connection()
                stored = conn.execute(
                    "SELECT seq FROM events WHERE event_id = ?", (events[0].event_id,)
                ).fetchone()
                if stored is not None:
                    self._refresh(conn)
                    return self._last_seq
                rows = self._rows(events)
                conn.execute("BEGIN IMMEDIATE")
                try:
                    conn.executemany(
                        "INSERT INTO events (seq, at, type, event_id, payload, hash)"
                        " VALUES (?, ?, ?, ?, ?, ?)",
                        rows,
                    )
                    # Checked last, inside the transaction: as close to the commit as it gets.
                    self._check_file_is_there()
                    conn.execute("COMMIT")
                except BaseException:
                    with contextlib.suppress(sqlite3.Error):
                        conn.execute("ROLLBACK")
                    raise
            except sqlite3.IntegrityError as error:
                raise JournalError(
                    f"{self._path}: these events clash with stored ones ({error}); "
                    "nothing was written"
                ) from None
            except (sqlite3.Error, UnicodeDecodeError, OSError) as error:
                self._drop_connection()
                raise JournalWriteFailed(
                    f"could not save to {self._path}: {error}. Nothing of this action was "
                    "written; it can be retried once the disk works again"
                ) from None
            self._last_seq, self._last_hash = rows[-1][0], rows[-1][5]
            return self._last_seq

    def _rows(self, events: Sequence[BaseEvent]) -> list[tuple[int, str, str, str, str, str]]:
        rows: list[tuple[int, str, str, str, str, str]] = []
        prev_hash, expected = self._last_hash, self._last_seq + 1
        for event in events:
            if event.seq != expected:
                raise JournalError(
                    f"{self._path}: event {event.seq} does not follow event {expected - 1}; "
                    "nothing was written"
                )
            event_type = _type_tag(event)
            payload = event_to_json(event)
            digest = chain_hash(prev_hash, event.seq, event_type, event.event_id, payload)
            rows.append(
                (event.seq, event.at.isoformat(), event_type, event.event_id, payload, digest)
            )
            prev_hash, expected = digest, expected + 1
        return rows

    def _drop_connection(self) -> None:
        """Forget a connection that failed: the next append reconnects and re-reads where
        the journal stands (a commit may have landed despite the error)."""
        if self._conn is not None:
            with contextlib.suppress(sqlite3.Error):
                self._conn.close()
            self._conn = None

    # ---- closing -----------------------------------------------------------------------

    def close(self) -> None:
        """Close the database, then release the writer's lock (in that order, so no new
        writer can start while this one still has the file open)."""
        with self._mutex:
            self._drop_connection()
            if self._locks is not None:
                for lock in reversed(self._locks):
                    lock.release()
                self._locks = None


def _type_tag(event: BaseEvent) -> str:
    """The event's `type` tag, as stored in its own column and hashed into the chain.

    `BaseEvent` declares no `type`: each event narrows it to its own literal, which is
    that field's default, so it is read from the event's class (typed, without an
    attribute the base does not have).
    """
    field = type(event).model_fields.get("type")
    tag = field.default if field is not None else None
    if not isinstance(tag, str):
        raise JournalError(f"{type(event).__name__} has no type tag: it cannot be journaled")
    return tag


def _remove_if_still_empty(path: Path) -> None:
    """Remove a journal file this open created, if nothing was written into it: a
    refused open leaves nothing behind. SQLite's side files go with it when empty."""
    try:
        if path.stat().st_size != 0:
            return
        for suffix in ("-wal", "-shm", "-journal"):
            side = path.with_name(path.name + suffix)
            if side.exists() and side.stat().st_size > 0:
                return
        for suffix in ("-wal", "-shm", "-journal"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
        path.unlink()
    except OSError:
        return


def _refuse_damaged_database(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse to write into a database SQLite itself finds damaged.

    Reading every event checks the rows, not the index that keeps event ids unique nor
    the free pages; appending into a damaged b-tree can make the damage worse. A quick
    check reads the whole file once (about 10 ms for 10,000 events).
    """
    verdict = [str(row[0]) for row in conn.execute("PRAGMA quick_check(3)")]
    if verdict != ["ok"]:
        quoted = shell_quote(str(path))
        raise JournalDamaged(
            f"{path} is damaged (SQLite's own check says: {'; '.join(verdict)}). Nothing was "
            f"written to it. `cockpit verify {quoted}` says which events can be trusted; "
            f"`cockpit replay` and `cockpit debrief` still read those"
        )


def _initialise(conn: sqlite3.Connection, path: Path) -> None:
    """Create the tables and stamp the format, all in one transaction: a crash leaves
    either a complete empty journal or a file with no tables (which opens as empty)."""
    from cockpit import __version__

    conn.execute("BEGIN IMMEDIATE")
    try:
        if check_format(conn, path):  # someone beat us to it (cannot happen with the lock)
            conn.execute("ROLLBACK")
            return
        for statement in _SCHEMA:
            conn.execute(statement)
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {JOURNAL_FORMAT}")
        conn.executemany(
            "INSERT INTO meta (key, value) VALUES (?, ?)",
            [
                ("format", str(JOURNAL_FORMAT)),
                ("created_at", datetime.now(UTC).isoformat()),
                ("app_version", __version__),
            ],
        )
        conn.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
        raise


# ---- the readers -------------------------------------------------------------------------


class JournalReader(_ClosedOnExit):
    """A read-only view of a journal, for follow, replay, log and debrief.

    Opened through a `mode=ro` URI: SQLite refuses every write, and a read-only connection
    never checkpoints or removes the WAL, so the journal and its `-wal` stay byte for byte
    as the writer left them. It may be opened while a cockpit is writing (WAL readers see
    the last committed state and never block the writer).
    """

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self._path = path
        #: The file itself: SQLite's side files (`-wal`, `-journal`) sit beside it, not
        #: beside a symlink to it.
        self._real = real_path(path)
        self._conn: sqlite3.Connection | None = conn
        self._ready = False
        self._chain = _Chain(path)
        #: None until the database could be read (see `being_created`).
        self._data_version: int | None = None
        if not being_created(self._real):
            self._data_version = self._read_data_version()

    @classmethod
    def open(cls, path: Path | str) -> JournalReader:
        """Open the journal at `path` read-only (JournalError if it is not one)."""
        path = Path(path)
        try:
            if path.is_dir():
                raise JournalError(f"{path} is a folder, not a journal")
            if not path.is_file():
                raise JournalError(f"there is no journal at {path}")
            _refuse_empty_beside_wal(real_path(path))
            if not _looks_like_sqlite(path):
                raise JournalError(f"{path} is not a cockpit journal (not an SQLite database)")
        except OSError as error:
            raise JournalError(f"cannot read {path}: {error.strerror}") from None
        try:
            conn = sqlite3.connect(_ro_uri(real_path(path)), uri=True, check_same_thread=False)
        except (sqlite3.Error, UnicodeDecodeError) as error:
            raise JournalError(f"cannot open {path}: {error}") from None
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            reader = cls(path, conn)
            reader._ensure_ready()
        except (sqlite3.DatabaseError, UnicodeDecodeError) as error:
            conn.close()
            raise JournalDamaged(f"{path} cannot be read: {error}") from None
        except BaseException:
            conn.close()
            raise
        return reader

    @property
    def path(self) -> Path:
        """The journal being read."""
        return self._path

    @property
    def last_seq(self) -> int:
        """The last seq returned (and verified) so far."""
        return self._chain.seq

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise JournalError(f"{self._path} is closed")
        return self._conn

    def _ensure_ready(self) -> bool:
        """Whether the tables exist yet (a journal being created may not have them)."""
        if not self._ready and not being_created(self._real):
            self._ready = check_format(self._connection(), self._path)
        return self._ready

    def _read_data_version(self) -> int:
        return int(self._connection().execute("PRAGMA data_version").fetchone()[0])

    def events(self, after_seq: int = 0) -> list[Event]:
        """The events after `after_seq`, each checked against the hash chain.

        Raises JournalDamaged naming the first event that cannot be trusted.
        """
        events: list[Event] = []
        self.read_each(events.append, after_seq)
        return events

    def read_each(self, consume: Callable[[Event], object], after_seq: int = 0) -> None:
        """Hand each event after `after_seq` to `consume`, in order, each checked
        against the hash chain, without holding them all at once."""
        try:
            if self._ensure_ready():
                self._chain.read(self._connection(), after_seq, consume)
        except (sqlite3.DatabaseError, UnicodeDecodeError) as error:
            raise JournalDamaged(f"{self._path} cannot be read: {error}") from None

    def has_changed(self) -> bool:
        """Whether another connection committed since the last call (or the open).

        `PRAGMA data_version` is a cheap in-memory check: a follower can poll it every
        fraction of a second and read only when it says so.
        """
        if being_created(self._real):
            return False
        try:
            version = self._read_data_version()
        except (sqlite3.DatabaseError, UnicodeDecodeError) as error:
            raise JournalDamaged(f"{self._path} cannot be read: {error}") from None
        changed = version != self._data_version
        self._data_version = version
        return changed

    def close(self) -> None:
        """Close the read-only connection."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def read_events(path: Path | str) -> list[Event]:
    """Every event of the journal at `path`, read-only and chain-checked."""
    with JournalReader.open(path) as reader:
        return reader.events()
