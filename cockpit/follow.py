"""Following a journal another cockpit writes: read-only, picks up new events cheaply,
and knows whether the writer still lives.

`PRAGMA data_version` tells whether another connection committed since the last look, so
polling twice a second costs almost nothing; only new events are read and applied.

Each poll also probes the writer's lock once (`cockpit.journal.store.writer_lock_held`:
a shared `flock` tried without waiting and released at once, nothing created or
written). Held: the writer runs. Free: it quit cleanly when the last event is its clean
quit (`SessionClosed`), and is gone without one otherwise (crash, kill -9, power loss).
The lock is probed *before* the new events are read: a writer journals its clean quit
and only then lets go of the lock, so a free lock is always read with the quit behind it.
"""

from __future__ import annotations

from pathlib import Path

from cockpit.core.clock import Clock
from cockpit.core.evolve import apply, fold
from cockpit.core.source import ReadOnlySource, Watch, WriterState, WriterStatus
from cockpit.core.state import CutoverState
from cockpit.errors import CockpitError
from cockpit.journal.events import Event, SessionClosed
from cockpit.journal.store import JournalReader, writer_lock_held


class Follower(ReadOnlySource):
    """A read-only `cockpit.core.source.StateSource` for the cockpit screen."""

    watch: Watch = "follow"

    def __init__(self, path: Path, clock: Clock) -> None:
        self.clock = clock
        self._path = path
        lock_held = writer_lock_held(path)
        self.reader = JournalReader.open(path)
        self.events: list[Event] = self.reader.events()
        if not self.events:
            self.reader.close()
            raise CockpitError(
                f"{path}: the journal has no events yet; start the cutover with cockpit run"
            )
        self.state: CutoverState = fold(self.events)
        #: The writer as of the last poll (see the module docstring).
        self.writer: WriterStatus = self._writer_status(lock_held)

    @property
    def journal_path(self) -> Path:
        """The journal being followed."""
        return self._path

    def poll(self) -> bool:
        """Apply events written since the last poll, and look at the writer's lock; True
        when there were new events. (A change of the writer's state alone is drawn at the
        screen's next one-second tick, which rebuilds the view.)"""
        lock_held = writer_lock_held(self._path)  # before reading: see the module docstring
        new: list[Event] = []
        if self.reader.has_changed():
            new = self.reader.events(after_seq=self.state.last_seq)
            for event in new:
                apply(self.state, event)
            self.events.extend(new)
        self.writer = self._writer_status(lock_held)
        return bool(new)

    def _writer_status(self, lock_held: bool | None) -> WriterStatus:
        last = self.events[-1]
        quit_cleanly = isinstance(last, SessionClosed)
        state: WriterState
        if lock_held is None:
            state = "unknown"
        elif lock_held:
            state = "running"
        else:
            state = "quit" if quit_cleanly else "gone"
        return WriterStatus(
            state=state,
            last_event_at=last.at,
            quit_at=last.at if state == "quit" else None,
        )

    def all_events(self) -> list[Event]:
        """Every event read so far."""
        return list(self.events)

    def close(self) -> None:
        """Stop reading."""
        self.reader.close()
