"""Following a journal another cockpit writes: read-only, picks up new events cheaply.

`PRAGMA data_version` tells whether another connection committed since the last look, so
polling twice a second costs almost nothing; only new events are read and applied.
"""

from __future__ import annotations

from pathlib import Path

from cockpit.core.clock import Clock
from cockpit.core.evolve import apply, fold
from cockpit.core.source import ReadOnlySource, Watch
from cockpit.core.state import CutoverState
from cockpit.errors import CockpitError
from cockpit.journal.events import Event
from cockpit.journal.store import JournalReader


class Follower(ReadOnlySource):
    """A read-only `cockpit.core.source.StateSource` for the cockpit screen."""

    watch: Watch = "follow"

    def __init__(self, path: Path, clock: Clock) -> None:
        self.clock = clock
        self.reader = JournalReader.open(path)
        self._path = path
        self.events: list[Event] = self.reader.events()
        if not self.events:
            self.reader.close()
            raise CockpitError(
                f"{path}: the journal has no events yet; start the cutover with cockpit run"
            )
        self.state: CutoverState = fold(self.events)

    @property
    def journal_path(self) -> Path:
        """The journal being followed."""
        return self._path

    def poll(self) -> bool:
        """Apply events written since the last poll; True when there were any."""
        if not self.reader.has_changed():
            return False
        new = self.reader.events(after_seq=self.state.last_seq)
        for event in new:
            apply(self.state, event)
        self.events.extend(new)
        return bool(new)

    def all_events(self) -> list[Event]:
        """Every event read so far."""
        return list(self.events)

    def close(self) -> None:
        """Stop reading."""
        self.reader.close()
