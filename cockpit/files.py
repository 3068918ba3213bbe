"""Reading the files the cockpit is handed, and writing its outputs, without harm.

Reading: a path on the command line can name anything — `/dev/zero` (endless), a named
pipe (blocks until someone writes), a symlink to either. `stat` says 0 bytes for a
device, so a size check before reading proves nothing. `read_file` opens without
blocking, checks the *opened* descriptor is a regular file, and caps the read itself at
the limit plus one byte: whatever the path is, it returns quickly or says plainly why not.

Writing: `-o` is typed at 3 a.m. `write_output` never replaces an existing file unless
the user said `--force`, and never — even then — a cockpit journal (any SQLite file, or a
journal's side file) or one of the command's own inputs, recognised by identity (symlinks
and hard links included), not by the name as typed. It writes a temporary file beside
the output and renames it into place, so a crash never leaves half a report, and the
result is readable by its owner alone: reports and paper copies hold phone numbers,
account numbers and notes.

No Textual and nothing heavy here: the loaders of the core use `read_file`.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from cockpit.errors import CockpitError, FileProblems, Problem

#: Files and folders the cockpit creates: for the owner alone.
PRIVATE_FILE_MODE = 0o600
PRIVATE_FOLDER_MODE = 0o700

#: The first 16 bytes of every SQLite database.
_SQLITE_MAGIC = b"SQLite format 3\x00"
#: Where SQLite keeps `PRAGMA application_id` in the header: 4 bytes, big-endian.
_APPLICATION_ID_AT = slice(68, 72)
#: Side files SQLite and the cockpit keep beside a journal: writing one would damage it.
_SIDE_SUFFIXES = ("-wal", "-shm", "-lock", "-journal")

#: Flags for opening a file to read: never block on a FIFO, never adopt a terminal.
_READ_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


class OutputRefused(CockpitError):
    """An output was not written, and nothing was changed (the message says why)."""


# ---- reading -------------------------------------------------------------------------------


def read_file(path: Path | str, kind: str, *, limit: int) -> bytes:
    """The bytes of the regular file at `path`, at most `limit` of them.

    Raises `FileProblems` (naming the file, in the words every bad file gets) for a
    missing file, a folder, anything that is not a regular file (device, FIFO, socket,
    also through a symlink), a file over `limit` bytes, or any OS error.
    """
    path = Path(path)
    try:
        # Refuse a special file before opening it: opening some devices has effects.
        refusal = _not_regular(os.stat(path).st_mode, kind)
        if refusal is not None:
            raise FileProblems(path, [Problem(refusal)], kind)
        descriptor = os.open(path, _READ_FLAGS)
        with os.fdopen(descriptor, "rb") as handle:
            # Check again what was opened: the path may have been swapped meanwhile.
            refusal = _not_regular(os.fstat(handle.fileno()).st_mode, kind)
            if refusal is not None:
                raise FileProblems(path, [Problem(refusal)], kind)
            data = handle.read(limit + 1)
    except FileProblems:
        raise
    except FileNotFoundError:
        raise FileProblems(path, [Problem("no such file")], kind) from None
    except IsADirectoryError:
        raise FileProblems(
            path, [Problem(f"this is a folder; expected a {kind} file")], kind
        ) from None
    except OSError as error:
        raise FileProblems(
            path, [Problem(f"cannot read it: {error.strerror or error}")], kind
        ) from None
    if len(data) > limit:
        size = _size_words(limit)
        raise FileProblems(
            path, [Problem(f"the file is larger than {size}; a {kind} is at most {size}")], kind
        )
    return data


def _not_regular(mode: int, kind: str) -> str | None:
    """Why a file of this mode cannot be read as a `kind`, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return f"this is a folder; expected a {kind} file"
    if stat.S_ISFIFO(mode):
        what = "a named pipe (FIFO)"
    elif stat.S_ISCHR(mode):
        what = "a character device"
    elif stat.S_ISBLK(mode):
        what = "a block device"
    elif stat.S_ISSOCK(mode):
        what = "a socket"
    else:
        what = "a special file"
    return f"this is {what}, not a regular file: a {kind} must be a regular file"


def _size_words(limit: int) -> str:
    """`8 MiB` for a limit in whole mebibytes, else the byte count."""
    mebibyte = 1024 * 1024
    return f"{limit // mebibyte} MiB" if limit % mebibyte == 0 else f"{limit} bytes"


# ---- writing -------------------------------------------------------------------------------


def check_output(path: Path | str, *, force: bool, inputs: Iterable[tuple[Path, str]] = ()) -> None:
    """Raise `OutputRefused` when `path` may not be written; nothing is touched.

    `inputs` are the command's own input files with what to call them ("the runbook").
    Called before the work, so a refused `-o` costs nothing; `write_output` checks again.
    """
    path = Path(path)
    for source, what in inputs:
        for member in _family(Path(source)):
            if _same_file(path, member):
                raise OutputRefused(
                    f"-o {path} would overwrite {what} {source}: choose another file "
                    "(--force does not change this)"
                )
    guarded = _guarded_kind(path)
    if guarded is not None:
        raise OutputRefused(
            f"{path} is {guarded}: an output never replaces it, even with --force; "
            "choose another file"
        )
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        if os.path.lexists(path) and not force:  # a dangling symlink: it names something
            raise OutputRefused(
                f"{path} already exists (a symlink); not replacing it (use --force)"
            ) from None
        return
    except OSError as error:
        raise OutputRefused(f"cannot write {path}: {error.strerror or error}") from None
    if stat.S_ISDIR(mode):
        raise OutputRefused(f"{path} is a folder; give a file name to write")
    if _is_stream(mode):
        return  # /dev/stdout, /dev/null, a named pipe: written to, not replaced
    if not stat.S_ISREG(mode):
        raise OutputRefused(f"{path} is not a regular file; not writing to it")
    if not force:
        raise OutputRefused(f"{path} already exists; not replacing it (use --force)")


def write_output(
    path: Path | str,
    data: bytes | str,
    *,
    force: bool = False,
    inputs: Iterable[tuple[Path, str]] = (),
) -> None:
    """Write `data` (str as UTF-8) to `path`, whole or not at all, readable by the owner alone.

    Refused (`OutputRefused`, nothing changed) as `check_output` says. Without `force`,
    a file that appears at `path` while writing is not replaced either. An existing
    character device or named pipe (`-o /dev/stdout`) is written to directly.
    """
    path = Path(path)
    inputs = list(inputs)
    check_output(path, force=force, inputs=inputs)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with contextlib.suppress(OSError):
        if _is_stream(os.stat(path).st_mode):
            _write_stream(path, payload)
            return
    folder = path.parent
    try:
        # mkstemp creates the file 0600: the output is private from its first byte.
        descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise OutputRefused(f"cannot write {path}: {error.strerror or error}") from None
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        _put_in_place(Path(temporary), path, force=force)
    except OutputRefused:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise OutputRefused(f"cannot write {path}: {error.strerror or error}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _sync_folder(folder)


def make_private_folder(folder: Path | str) -> None:
    """Create `folder` and any missing parents, each readable by the owner alone (0700).

    Folders that already exist are left as they are: they are the user's.
    """
    folder = Path(folder)
    missing: list[Path] = []
    probe = folder
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    for created in reversed(missing):
        with contextlib.suppress(FileExistsError):
            created.mkdir(mode=PRIVATE_FOLDER_MODE)
            # mkdir's mode passes through the umask; say exactly what we mean.
            os.chmod(created, PRIVATE_FOLDER_MODE)


def _put_in_place(temporary: Path, path: Path, *, force: bool) -> None:
    """Rename the finished temporary file to `path`; without `force`, only if still absent."""
    if force:
        os.replace(temporary, path)
        return
    try:
        # A hard link fails if `path` appeared meanwhile: a rename would silently replace it.
        os.link(temporary, path)
    except FileExistsError:
        raise OutputRefused(f"{path} appeared while writing; not replacing it") from None
    except OSError:
        # No hard links on this file system: check once more and rename.
        if os.path.lexists(path):
            raise OutputRefused(f"{path} appeared while writing; not replacing it") from None
        os.replace(temporary, path)
        return
    os.unlink(temporary)


def _write_stream(path: Path, payload: bytes) -> None:
    """Write to an existing character device or named pipe (nothing to replace)."""
    try:
        with open(path, "wb") as stream:
            stream.write(payload)
    except OSError as error:
        raise OutputRefused(f"cannot write {path}: {error.strerror or error}") from None


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable; best effort (not every platform can open a folder)."""
    with contextlib.suppress(OSError, AttributeError):
        descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _is_stream(mode: int) -> bool:
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)


def _family(source: Path) -> list[Path]:
    """A file and the side files SQLite and the cockpit may keep beside it."""
    return [source, *(source.with_name(source.name + suffix) for suffix in _SIDE_SUFFIXES)]


def _same_file(one: Path, other: Path) -> bool:
    """The same file by resolved name, or by identity (symlinks, hard links)."""
    with contextlib.suppress(OSError, RuntimeError):
        if one.resolve() == other.resolve():
            return True
    with contextlib.suppress(OSError):
        return os.path.samefile(one, other)
    return False


def _guarded_kind(path: Path) -> str | None:
    """What `path` is if it must never be replaced: a journal, a database, a side file."""
    found = _database_kind(path)
    if found is not None:
        return found
    for suffix in _SIDE_SUFFIXES:
        if path.name.endswith(suffix) and len(path.name) > len(suffix):
            owner = path.with_name(path.name.removesuffix(suffix))
            if _database_kind(owner) is not None:
                return f"a side file ({suffix}) of the database {owner}"
    return None


def _database_kind(path: Path) -> str | None:
    """'a cockpit journal' or 'an SQLite database' when `path` holds one, else None."""
    from cockpit.journal.store import APPLICATION_ID  # late: keeps the loaders light

    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
        descriptor = os.open(path, _READ_FLAGS)
        with os.fdopen(descriptor, "rb") as handle:
            head = handle.read(100)
    except OSError:
        return None
    if not head.startswith(_SQLITE_MAGIC):
        return None
    if int.from_bytes(head[_APPLICATION_ID_AT], "big") == APPLICATION_ID:
        return "a cockpit journal"
    return "an SQLite database"
