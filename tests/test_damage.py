"""Damage: journals cut short and with flipped bits, in the main file and in the -wal.

Three kinds of intact journal are damaged, each a real night on the mini runbook:

* `closed` — a finished night, closed cleanly: everything in the main file;
* `wal` — half the night checkpointed into the main file, the rest still in the -wal (a
  copy taken while the cockpit was writing);
* `wal-only` — a journal copied while its first writer still had it open: the main file
  is one page, every event is in the -wal.

Each case copies one, then truncates a file at a random offset or flips random bits in
it (sometimes both files), and hands the damaged journal to every command that reads it:

* `cockpit verify` (and `verify_journal`), `cockpit log`;
* `cockpit replay`'s load path (`load_trusted`, then `Replay`), without the screen;
* `cockpit debrief`, when `cockpit/cli/debrief.py` exists (skipped, and said, when not);
* `cockpit run`'s load path (`Session.open`), on a copy, because a run writes.

Each must detect the damage or report the clean prefix in plain words (exit codes 0, 1 or
2; a `CockpitError` with the path; never a traceback); whatever events any of them
yields must be an unaltered prefix of the original night; and none of the read-only
commands may change one byte of the main file or the -wal (sha256 before and after).

300 cases by default (about 15 s); more, or a given seed:

    DAMAGE_CASES=5000 DAMAGE_SEED=7 python -m pytest tests/test_damage.py
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import io
import os
import random
import shutil
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from cockpit.cli import main as cockpit_main
from cockpit.cli.replay import load_trusted
from cockpit.core import commands as cmd
from cockpit.core.clock import ManualClock
from cockpit.core.evolve import fold
from cockpit.errors import CockpitError
from cockpit.journal.events import BaseEvent, event_to_json
from cockpit.journal.store import Journal
from cockpit.journal.verify import salvage, verify_journal
from cockpit.model.load import load_contact_card, load_runbook
from cockpit.replay import Replay
from cockpit.session import Session
from tests.journal_helpers import (
    MINI,
    MINI_CARD,
    MINI_WINDOW_START,
    JournalDriver,
    script_cutover,
    start_command,
)

pytestmark = pytest.mark.slow

DAMAGE_CASES = int(os.environ.get("DAMAGE_CASES", "300"))
DAMAGE_SEED = int(os.environ.get("DAMAGE_SEED", str(random.randrange(2**31))))
BASES = ("closed", "wal", "wal-only")
#: `cockpit debrief` is written by another engineer; it is checked once it exists.
HAS_DEBRIEF = importlib.util.find_spec("cockpit.cli.debrief") is not None


# ---- the intact journals ---------------------------------------------------------------------


def _wal_name(path: Path) -> Path:
    return path.with_name(path.name + "-wal")


def _copy_open(path: Path, into: Path) -> None:
    """Copy a journal (main file and -wal) while its writer still has it open."""
    into.mkdir()
    shutil.copyfile(path, into / "journal")
    shutil.copyfile(_wal_name(path), into / "journal-wal")


def _more_night(driver: JournalDriver) -> None:
    """The second half of a night: notes, a blocker, a call, the rest of the steps."""
    driver.must(cmd.AddNote(text="Carrier NOC: port window confirmed"))
    driver.must(cmd.RaiseBlocker(what="Config export times out"))
    driver.clock.advance(minutes=3)
    driver.must(cmd.LogEscalation(agreed="Call back in 10 minutes"))
    driver.must(cmd.ResolveBlocker(how="Exported in two halves"))
    for index in range(2):
        driver.must(cmd.MarkCriterion(checkpoint_id="gate", index=index, met=True))
    driver.must(cmd.DecideCheckpoint(checkpoint_id="gate", decision="go", by="Dana"))
    driver.work("switch", 20, ponr=True)
    driver.work("test", 15)
    driver.declare("done")
    for index in range(12):
        driver.must(cmd.AddNote(text=f"Hypercare note {index}: " + "all quiet " * index))


@pytest.fixture(scope="module")
def originals(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, list[str]]]:
    """Each base journal's folder, and the original night's events as stored JSON."""
    root = tmp_path_factory.mktemp("intact")
    runbook, card = load_runbook(MINI), load_contact_card(MINI_CARD)
    bases: dict[str, tuple[Path, list[str]]] = {}

    closed = root / "closed"
    closed.mkdir()
    script_cutover(closed / "journal")
    for _ in range(10):  # a longer night: more pages to damage
        with Journal.open(closed / "journal") as journal:
            events = journal.read_all()
            driver = JournalDriver(journal, ManualClock(events[-1].at), fold(events))
            driver.must(cmd.AddNote(text="later " * 40))
    bases["closed"] = closed, _stored(closed / "journal")

    half = root / "half.journal"
    script_cutover(half, steps=2, finish=False, blocker=False)
    with Journal.open(half) as journal:
        events = journal.read_all()
        driver = JournalDriver(journal, ManualClock(events[-1].at), fold(events))
        _more_night(driver)
        _copy_open(half, root / "wal")
    bases["wal"] = root / "wal", _stored(root / "wal" / "journal")

    fresh = root / "fresh.journal"
    with Journal.open(fresh) as journal:
        driver = JournalDriver(journal, ManualClock(MINI_WINDOW_START))
        driver.must(start_command(runbook, card))
        driver.work("prep", 10)
        driver.work("snapshot", 10)
        _more_night(driver)
        _copy_open(fresh, root / "wal-only")
    bases["wal-only"] = root / "wal-only", _stored(root / "wal-only" / "journal")
    assert (root / "wal-only" / "journal").stat().st_size <= 4096  # all in the -wal
    return bases


def _stored(path: Path) -> list[str]:
    events, report = salvage(path)
    assert report.ok, report.render()
    return [event_to_json(event) for event in events]


# ---- damage -----------------------------------------------------------------------------------


@dataclass
class Damage:
    """What was done to which file (said in every failure message)."""

    done: list[str]

    def __str__(self) -> str:
        return "; ".join(self.done)


def damage(folder: Path, rng: random.Random) -> Damage:
    """Truncate and/or flip bits in the main file and/or the -wal."""
    targets = [folder / "journal"]
    if (folder / "journal-wal").exists():
        targets.append(folder / "journal-wal")
    chosen = rng.sample(targets, k=rng.choice([1, 1, 1, len(targets)]))
    done = []
    for target in chosen:
        size = target.stat().st_size
        operation = rng.choice(["truncate", "flip", "flip", "truncate+flip"])
        data = bytearray(target.read_bytes())
        if "flip" in operation and size:
            for _ in range(rng.choice([1, 1, 2, 3, 8, 32])):
                # Half the flips land in the first page (the header and schema).
                at = rng.randrange(min(size, 4096)) if rng.random() < 0.3 else rng.randrange(size)
                bit = rng.randrange(8)
                data[at] ^= 1 << bit
                done.append(f"{target.name}: flip bit {bit} of byte {at}")
        if "truncate" in operation:
            cut = rng.choice([0, rng.randrange(100), rng.randrange(size + 1)])
            cut = (cut // 4096) * 4096 if rng.random() < 0.2 else cut  # at a page boundary
            del data[cut:]
            done.append(f"{target.name}: truncated to {cut} of {size} bytes")
        target.write_bytes(bytes(data))
    return Damage(done)


def fingerprint(folder: Path) -> dict[str, str]:
    """sha256 of the main file and the -wal (what no reader may change).

    A missing -wal and an empty one are the same (SQLite may leave an empty -wal beside a
    journal it read: an empty WAL holds nothing)."""
    found = {}
    for name in ("journal", "journal-wal"):
        path = folder / name
        if path.exists() and (name == "journal" or path.stat().st_size):
            found[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


# ---- the commands -----------------------------------------------------------------------------


def cli(*args: str) -> tuple[int, str]:
    """Run `cockpit ARGS` in this process: (exit code, stdout + stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cockpit_main(list(args))
    return code, out.getvalue() + err.getvalue()


def plain(text: str, what: str) -> None:
    """No traceback, and something said."""
    assert "Traceback" not in text and 'File "' not in text, f"{what}:\n{text}"
    assert text.strip(), f"{what}: said nothing"


def assert_prefix(events: list[BaseEvent], original: list[str], what: str) -> None:
    """Events a command yields are the original night's first ones, unaltered."""
    got = [event_to_json(event) for event in events]
    assert got == original[: len(got)], f"{what}: events differ from the original night"


def check_case(folder: Path, original: list[str], what: str, tally: Counter[str]) -> None:
    path = folder / "journal"
    before = fingerprint(folder)
    for check in (_check_verify, _check_log, _check_replay, _check_debrief):
        check(path, original, what, tally)
    assert fingerprint(folder) == before, f"{what}: a read-only command changed the journal"
    _check_run(folder, before, original, what, tally)


def _check_verify(path: Path, original: list[str], what: str, tally: Counter[str]) -> None:
    """verify: the report, and the command with its exit code."""
    report = verify_journal(path)
    plain(report.render(), f"{what}: verify_journal")
    code, text = cli("verify", str(path))
    plain(text, f"{what}: cockpit verify")
    assert code == (0 if report.ok else 1 if report.readable else 2), f"{what}: {code}\n{text}"
    tally["verify: intact" if report.ok else "verify: damaged" if report.readable else
          "verify: not a journal"] += 1  # fmt: skip
    events, salvaged = salvage(path)
    assert_prefix(events, original, f"{what}: salvage")
    assert salvaged.trusted_seq == len(events), what
    if report.ok:
        # Undetected damage can only be a lost tail (a torn -wal is a crash before commit).
        assert len(events) <= len(original), what
        tally["intact but shorter (a torn -wal)"] += len(events) < len(original)


def _check_log(path: Path, original: list[str], what: str, tally: Counter[str]) -> None:
    """log: the clean prefix on stdout, where it stops and why on stderr."""
    code, text = cli("log", str(path))
    assert code in (0, 1, 2), f"{what}: cockpit log exit {code}\n{text}"
    if code == 1:
        assert "cockpit log: " in text and "cockpit verify" in text, f"{what}:\n{text}"
    if text.strip():
        plain(text, f"{what}: cockpit log")
    if code == 0 and not verify_journal(path).ok:
        # The readers check the hash chain, not SQLite's indexes nor the redundant
        # `at` column: the events shown are authentic, but nothing says verify disagrees.
        tally["log: every event, silently, of a journal verify calls damaged"] += 1


def _check_replay(path: Path, original: list[str], what: str, tally: Counter[str]) -> None:
    """replay's load path: the trusted prefix and a notice, or a plain refusal."""
    try:
        trusted, notice = load_trusted(path)
        replay = Replay(trusted, path, notice=notice)
    except CockpitError as error:
        plain(str(error), f"{what}: replay")
        tally["replay: refused"] += 1
        return
    assert_prefix(replay.events, original, f"{what}: replay")
    if not verify_journal(path).ok:
        assert f"replaying events 1–{len(trusted)} only" in notice, f"{what}: {notice!r}"
    tally["replay: prefix" if notice else "replay: whole"] += 1


def _check_debrief(path: Path, original: list[str], what: str, tally: Counter[str]) -> None:
    """debrief: a report, or a plain refusal (once cockpit/cli/debrief.py exists)."""
    if not HAS_DEBRIEF:
        return
    out = path.parent.parent / f"{path.parent.name}-debrief.md"
    code, text = cli("debrief", str(path), "-o", str(out))
    assert code in (0, 1, 2), f"{what}: cockpit debrief exit {code}\n{text}"
    if text.strip():
        plain(text, f"{what}: cockpit debrief")
    tally[f"debrief: exit {code}"] += 1


def _check_run(
    folder: Path, files: dict[str, str], original: list[str], what: str, tally: Counter[str]
) -> None:
    """run's load path, on a copy: it writes (session_resumed) when it opens."""
    run = folder.parent / f"{folder.name}-run"
    run.mkdir()
    for name in files:
        shutil.copyfile(folder / name, run / name)
    try:
        session = Session.open(
            run / "journal",
            load_runbook(MINI),
            load_contact_card(MINI_CARD),
            ManualClock(MINI_WINDOW_START),
            operator="Dana",
        )
    except CockpitError as error:
        plain(str(error), f"{what}: run")
        assert str(run / "journal") in str(error), f"{what}: run: {error}"
        tally["run: refused"] += 1
        return
    try:
        resumed = session.journal.read_all()
    finally:
        session.close()
    assert_prefix(resumed[:-1], original, f"{what}: run")
    if resumed[-1].type == "session_resumed":
        damaged = not verify_journal(folder / "journal").ok
        tally["run: resumed" + (" a journal verify calls damaged" if damaged else "")] += 1
    else:
        assert len(resumed) <= 2, f"{what}: run: {[e.type for e in resumed]}"
        tally["run: started afresh (no event survived)"] += 1


@pytest.mark.parametrize("base", BASES)
def test_damaged_journals_are_detected_or_prefixed_and_never_changed(
    base: str, originals: dict[str, tuple[Path, list[str]]], tmp_path: Path
) -> None:
    source, original = originals[base]
    rng = random.Random(f"{DAMAGE_SEED}-{base}")
    tally: Counter[str] = Counter()
    for case in range(DAMAGE_CASES // len(BASES)):
        folder = tmp_path / f"case{case}"
        shutil.copytree(source, folder)
        harm = damage(folder, rng)
        what = f"DAMAGE_SEED={DAMAGE_SEED} {base} case {case}: {harm}"
        tally["empty main file beside a -wal"] += empty_main_beside_a_wal(folder)
        check_case(folder, original, what, tally)
        shutil.rmtree(folder)
        shutil.rmtree(tmp_path / f"case{case}-run", ignore_errors=True)
    print(f"\ndamage ({base}, DAMAGE_SEED={DAMAGE_SEED}): {dict(tally)}")
    if not HAS_DEBRIEF:
        print("  cockpit debrief not checked: cockpit/cli/debrief.py does not exist yet")


DAMAGES: list[tuple[str, Callable[[Path], None]]] = [
    ("-wal emptied", lambda folder: (folder / "journal-wal").write_bytes(b"")),
    ("-wal header broken", lambda folder: _poke(folder / "journal-wal", 24, b"\xff" * 8)),
    ("-wal deleted", lambda folder: (folder / "journal-wal").unlink()),
    ("main header broken", lambda folder: _poke(folder / "journal", 0, b"SQLite format 4")),
    ("page size nonsense", lambda folder: _poke(folder / "journal", 16, b"\x00\x03")),
]


def _poke(path: Path, at: int, data: bytes) -> None:
    content = bytearray(path.read_bytes())
    content[at : at + len(data)] = data
    path.write_bytes(bytes(content))


def empty_main_beside_a_wal(folder: Path) -> bool:
    """The main file is empty while its -wal is not (see the test below)."""
    wal = folder / "journal-wal"
    return (folder / "journal").stat().st_size == 0 and wal.exists() and wal.stat().st_size > 0


@pytest.mark.parametrize(("name", "harm"), DAMAGES, ids=[name for name, _ in DAMAGES])
def test_named_damage_to_a_journal_being_written(
    name: str,
    harm: Callable[[Path], None],
    originals: dict[str, tuple[Path, list[str]]],
    tmp_path: Path,
) -> None:
    source, original = originals["wal"]
    folder = tmp_path / "case"
    shutil.copytree(source, folder)
    harm(folder)
    check_case(folder, original, name, Counter())


def test_an_empty_main_file_beside_its_wal_is_damage_and_left_alone(
    originals: dict[str, tuple[Path, list[str]]], tmp_path: Path
) -> None:
    source, original = originals["wal"]
    folder = tmp_path / "case"
    shutil.copytree(source, folder)
    (folder / "journal").write_bytes(b"")
    assert not verify_journal(folder / "journal").ok
    check_case(folder, original, "main file emptied beside its -wal", Counter())


# ---- damage that once gave tracebacks, now reported plainly ----


def _flip_in_schema(path: Path, text: bytes) -> None:
    """Set the high bit of the first letter of `text` where the schema stores it."""
    data = bytearray(path.read_bytes())
    at = data.index(text)
    data[at] ^= 0x80
    path.write_bytes(bytes(data))


def _unalias_seq(path: Path) -> None:
    """One flipped bit in the schema's text: `seq INTEGER PRIMARY KEY` becomes `seq INTEGUR
    PRIMARY KEY`, so `seq` is no longer the row id and reads back as other columns' text."""
    data = path.read_bytes()
    assert data.count(b"seq INTEGER PRIMARY KEY") == 1
    path.write_bytes(data.replace(b"seq INTEGER PRIMARY KEY", b"seq INTEGUR PRIMARY KEY"))


def _every_command_answers_plainly(folder: Path) -> None:
    path = folder / "journal"
    verify_journal(path).render()
    for args in (("verify",), ("log",), ("debrief", "-o", str(folder / "d.md"))):
        code, text = cli(args[0], str(path), *args[1:])
        assert code in (0, 1, 2) and "Traceback" not in text, text
    with contextlib.suppress(CockpitError):
        load_trusted(path)
    with contextlib.suppress(CockpitError):
        Session.open(
            path, load_runbook(MINI), load_contact_card(MINI_CARD), ManualClock(MINI_WINDOW_START)
        ).close()


def test_a_schema_name_damaged_into_bytes_that_are_not_utf8_is_reported(tmp_path: Path) -> None:
    folder = tmp_path / "case"
    folder.mkdir()
    script_cutover(folder / "journal")
    _flip_in_schema(folder / "journal", b"metameta")
    _every_command_answers_plainly(folder)


def test_an_events_table_whose_seq_is_no_longer_the_row_id_is_reported(tmp_path: Path) -> None:
    folder = tmp_path / "case"
    folder.mkdir()
    script_cutover(folder / "journal")
    _unalias_seq(folder / "journal")
    _every_command_answers_plainly(folder)
