"""Journal benchmarks: what a durable append costs, and how fast a long night replays.

Run from the repository root (not collected by pytest):

    python tests/benchmarks/bench_journal.py           # about a minute
    python tests/benchmarks/bench_journal.py --quick   # a few seconds

It prints the machine, then:

* append latency (p50/p99, ms) of one small event through `Journal.append`, beside a
  bare SQLite WAL `INSERT` + `COMMIT` with `synchronous=FULL` of a similar row, measured
  interleaved in the same run so both see the same disk; the ratio is our overhead
  (JSON, hash chain, the idempotency look-up, the file check);
* parse + fold of 100k and 1M realistic events built in memory (the 1M run streams:
  parse one, apply one, as a replay would);
* reading 100k events back from a journal file (SQL, hash chain, parse), then folding.

The disk dominates the append figures: `synchronous=FULL` waits for fsync, which takes
~0.1 ms on a virtual disk with a write cache and several ms on a laptop SSD.
"""

from __future__ import annotations

import argparse
import os
import platform
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

if __name__ == "__main__":  # runnable as a script from anywhere in the checkout
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from cockpit.core import commands as cmd
from cockpit.core.clock import ManualClock
from cockpit.core.decide import decide
from cockpit.core.evolve import evolve, fold
from cockpit.core.state import CutoverState
from cockpit.journal.events import BaseEvent, event_from_json, event_to_json
from cockpit.journal.store import Journal, chain_hash, read_events
from cockpit.model.load import load_contact_card, load_runbook
from tests.journal_helpers import MINI, MINI_CARD, MINI_WINDOW_START, start_command


def machine() -> list[str]:
    """What the figures were measured on."""
    return [
        f"platform   {platform.platform()}",
        f"machine    {platform.machine()} · {os.cpu_count()} CPUs · {platform.processor() or '?'}",
        f"python     {platform.python_implementation()} {platform.python_version()}",
        f"sqlite     {sqlite3.sqlite_version}",
        f"temp dir   {tempfile.gettempdir()}",
    ]


def percentile(samples: list[float], fraction: float) -> float:
    """The nearest-rank percentile (enough for a benchmark table)."""
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))
    return ordered[index]


# ---- append latency ---------------------------------------------------------------------------


def bench_append(folder: Path, count: int) -> tuple[list[float], list[float]]:
    """(ours, raw) per-append seconds, interleaved one for one."""
    runbook, card = load_runbook(MINI), load_contact_card(MINI_CARD)
    clock = ManualClock(MINI_WINDOW_START)
    state = CutoverState()
    ours: list[float] = []
    raw: list[float] = []
    with Journal.open(folder / "append.journal") as journal:
        first = decide(state, start_command(runbook, card), clock.now())
        assert isinstance(first, list)
        journal.append(first)
        state = fold(first)
        conn = raw_connection(folder / "raw.sqlite")
        prev_hash = "0" * 64
        for index in range(count):
            clock.advance(seconds=5)
            events = decide(state, cmd.AddNote(text=f"Carrier NOC says {index}"), clock.now())
            assert isinstance(events, list)
            started = time.perf_counter()
            journal.append(events)
            ours.append(time.perf_counter() - started)
            state = evolve(state, events[0])
            # A similar row, written the plainest way SQLite allows with the same durability.
            payload = event_to_json(events[0])
            row = (index + 1, "t", "note_added", f"id-{index}", payload, prev_hash)
            started = time.perf_counter()
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?)", row)
            conn.execute("COMMIT")
            raw.append(time.perf_counter() - started)
        conn.close()
    return ours, raw


def raw_connection(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute(
        "CREATE TABLE events (seq INTEGER PRIMARY KEY, at TEXT NOT NULL, type TEXT NOT NULL,"
        " event_id TEXT NOT NULL UNIQUE, payload TEXT NOT NULL, hash TEXT NOT NULL)"
    )
    return conn


# ---- realistic events, fast --------------------------------------------------------------------


def start_payload() -> str:
    """The real first event of a mini-runbook night (with its runbook snapshot)."""
    runbook, card = load_runbook(MINI), load_contact_card(MINI_CARD)
    events = decide(CutoverState(), start_command(runbook, card), MINI_WINDOW_START)
    assert isinstance(events, list)
    return event_to_json(events[0])


def payloads(count: int) -> Iterator[str]:
    """A start, then `count - 1` events of the kinds a long night is made of: notes,
    criteria marked, messages, share mode, secrets revealed. Built as JSON text directly:
    constructing a million pydantic models would time the generator, not the replay."""
    yield start_payload()
    base = MINI_WINDOW_START
    for seq in range(2, count + 1):
        at = (base + timedelta(seconds=seq)).strftime("%Y-%m-%dT%H:%M:%SZ")
        head = f'{{"seq":{seq},"at":"{at}","event_id":"e{seq}-0","v":1,'
        kind = seq % 10
        if kind < 6:
            yield head + f'"type":"note_added","text":"Carrier NOC update {seq}: still porting"}}'
        elif kind < 8:
            yield (
                head + f'"type":"criterion_marked","checkpoint_id":"gate","index":{seq % 2},'
                f'"met":{"true" if seq % 3 else "false"}}}'
            )
        elif kind == 8:
            yield head + '"type":"message_sent","message_id":"late"}'
        else:
            yield (
                head + f'"type":"share_mode_changed","on":{"true" if seq % 20 == 9 else "false"}}}'
            )


def timed(action: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def write_journal(path: Path, texts: list[str]) -> None:
    """A journal file holding these events, appended in batches through `Journal`."""
    with Journal.open(path) as journal:
        batch: list[BaseEvent] = []
        for text in texts:
            batch.append(event_from_json(text))
            if len(batch) == 1000:
                journal.append(batch)
                batch = []
        if batch:
            journal.append(batch)


# ---- the run -------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: a few seconds")
    args = parser.parse_args(argv)
    appends = 200 if args.quick else 2000
    fold_sizes = [10_000, 100_000] if args.quick else [100_000, 1_000_000]
    read_size = 10_000 if args.quick else 100_000

    print("Cutover Cockpit — journal benchmark" + (" (quick)" if args.quick else ""))
    print("\n".join(machine()))
    print()
    with tempfile.TemporaryDirectory(prefix="cockpit-bench-") as name:
        folder = Path(name)
        ours, raw = bench_append(folder, appends)
        print(f"Append one small event, {appends} times (interleaved), WAL + synchronous=FULL")
        print(f"  {'':28} {'p50 ms':>9} {'p99 ms':>9} {'mean ms':>9}")
        for label, samples in (("Journal.append", ours), ("raw INSERT + COMMIT", raw)):
            print(
                f"  {label:28} {percentile(samples, 0.5) * 1e3:9.3f} "
                f"{percentile(samples, 0.99) * 1e3:9.3f} {statistics.fmean(samples) * 1e3:9.3f}"
            )
        print(
            f"  {'ratio (ours / raw)':28} "
            f"{percentile(ours, 0.5) / percentile(raw, 0.5):9.2f} "
            f"{percentile(ours, 0.99) / percentile(raw, 0.99):9.2f} "
            f"{statistics.fmean(ours) / statistics.fmean(raw):9.2f}"
        )
        print()

        print("Replay from JSON in memory (parse every event, fold into the state)")
        print(f"  {'events':>10} {'parse s':>9} {'fold s':>9} {'total s':>9} {'events/s':>11}")
        for size in fold_sizes:
            texts = list(payloads(size))
            if size <= 100_000:
                parse_s, parsed = timed(lambda texts=texts: [event_from_json(t) for t in texts])
                fold_s, state = timed(lambda parsed=parsed: fold(parsed))  # type: ignore[arg-type]
                total = parse_s + fold_s
                row = f"{parse_s:9.2f} {fold_s:9.2f} {total:9.2f}"
                del parsed
            else:  # stream: a million models at once would measure the allocator
                total, state = timed(lambda texts=texts: fold(event_from_json(t) for t in texts))
                row = f"{'':>9} {'':>9} {total:9.2f}"
            assert state.last_seq == size  # type: ignore[attr-defined]
            print(f"  {size:>10,} {row} {size / total:>11,.0f}")
            del texts, state
        print()

        path = folder / "read.journal"
        texts = list(payloads(read_size))
        write_s, _ = timed(lambda: write_journal(path, texts))
        size_mb = path.stat().st_size / 1e6
        read_s, events = timed(lambda: read_events(path))
        fold_s, _ = timed(lambda: fold(events))  # type: ignore[arg-type]
        assert len(events) == read_size  # type: ignore[arg-type]
        print(
            f"Journal file of {read_size:,} events ({size_mb:.1f} MB, written in {write_s:.1f} s)"
        )
        print(
            f"  read + check chain + parse  {read_s:7.2f} s  ({read_size / read_s:,.0f} events/s)"
        )
        print(f"  fold                        {fold_s:7.2f} s")
        hashes_s, _ = timed(lambda: [chain_hash("0" * 64, 1, "x", "y", t) for t in texts])
        print(f"  (of which the hash chain    {hashes_s:7.2f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
