"""Replay: the state of a journal at any moment, for the scrubber and the debrief.

The replay position is a moment in time. The state shown is the fold of every event at or
before it, and the clock given to the panels is that moment, so the escalation timer,
the rollback deadline and the projections read exactly as they did then.

Folding a long journal from the start at every key press would not stay interactive, so
the fold is cached every `CHECKPOINT_EVERY` events; moving anywhere folds at most that
many events from the nearest cached state.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from cockpit.core.clock import ManualClock
from cockpit.core.evolve import apply
from cockpit.core.source import ReadOnlySource, Watch
from cockpit.core.state import CutoverState
from cockpit.errors import CockpitError
from cockpit.journal import events as ev
from cockpit.journal.describe import readable_lines, runbook_zone
from cockpit.journal.events import MarkerKind

#: Events between cached states.
CHECKPOINT_EVERY = 2000
#: Replay speeds, in replayed seconds per real second.
SPEEDS = (1, 10, 60, 600)


@dataclass(frozen=True, slots=True)
class Marker:
    """A moment worth jumping to: an event whose type declares a `marker` kind."""

    seq: int
    at: datetime
    kind: MarkerKind
    label: str


class Replay(ReadOnlySource):
    """A read-only `cockpit.core.source.StateSource` that moves through a journal's time."""

    watch: Watch = "replay"

    def __init__(self, events: list[ev.Event], path: Path, *, notice: str = "") -> None:
        if not events or not isinstance(events[0], ev.CutoverStarted):
            raise CockpitError(f"{path}: nothing to replay: the journal has no cutover in it")
        self.events = events
        self._path = path
        #: Said plainly on screen (for example: replaying only the trusted prefix).
        self.notice = notice
        self.times = [event.at for event in events]
        self.clock = ManualClock(events[0].at)
        self._cache: list[CutoverState] = []  # state after events[: k * CHECKPOINT_EVERY + 1]
        self._build_cache()
        self.index = 0  # events[: index + 1] are applied
        self.state = self._state_through(0)
        zone = runbook_zone(events)
        self.markers = [
            Marker(e.seq, e.at, kind, e.describe(zone))
            for e in events
            if (kind := type(e).marker) is not None
        ]

    # ---- the source protocol --------------------------------------------------------

    @property
    def journal_path(self) -> Path:
        """The journal being replayed."""
        return self._path

    def poll(self) -> bool:
        """Replay reads a fixed list of events."""
        return False

    def all_events(self) -> list[ev.Event]:
        """Events up to the replay moment (the log screen shows the night so far)."""
        return self.events[: self.index + 1]

    # ---- moving --------------------------------------------------------------------

    @property
    def start(self) -> datetime:
        """The first event's time."""
        return self.times[0]

    @property
    def end(self) -> datetime:
        """The last event's time."""
        return self.times[-1]

    @property
    def now(self) -> datetime:
        """The replay moment."""
        return self.clock.now()

    def seek_time(self, moment: datetime) -> None:
        """Move to a moment (clamped to the journal); the state is every event up to it."""
        moment = min(max(moment, self.start), self.end)
        self.clock.set(moment)
        index = bisect.bisect_right(self.times, moment) - 1
        self._move_to(max(index, 0))

    def seek_index(self, index: int) -> None:
        """Move to just after event `index` (0-based), at its time."""
        index = min(max(index, 0), len(self.events) - 1)
        self.clock.set(self.times[index])
        self._move_to(index)

    def step(self, delta: int) -> None:
        """Previous / next event."""
        self.seek_index(self.index + delta)

    def shift(self, minutes: float) -> None:
        """Move by a number of minutes."""
        self.seek_time(self.now + timedelta(minutes=minutes))

    def next_marker(self, forward: bool = True) -> Marker | None:
        """Jump to the next (or previous) marker; None when there is none that way."""
        now_seq = self.events[self.index].seq
        candidates = [m for m in self.markers if (m.seq > now_seq if forward else m.seq < now_seq)]
        if not candidates:
            return None
        marker = candidates[0] if forward else candidates[-1]
        self.seek_index(marker.seq - self.events[0].seq)
        return marker

    def search(self, query: str, after_index: int | None = None) -> int | None:
        """Index of the next event whose readable line contains `query` (wraps around)."""
        needle = query.casefold().strip()
        if not needle:
            return None
        lines = self._lines()
        start = (self.index if after_index is None else after_index) + 1
        order = list(range(start, len(lines))) + list(range(0, start))
        for index in order:
            if needle in lines[index].casefold():
                return index
        return None

    # ---- folding ---------------------------------------------------------------------

    def _build_cache(self) -> None:
        state = CutoverState()
        for index, event in enumerate(self.events):
            apply(state, event)
            if index % CHECKPOINT_EVERY == 0:
                self._cache.append(state.copy())

    def _state_through(self, index: int) -> CutoverState:
        slot = index // CHECKPOINT_EVERY
        state = self._cache[slot].copy()
        for event in self.events[slot * CHECKPOINT_EVERY + 1 : index + 1]:
            apply(state, event)
        return state

    def _move_to(self, index: int) -> None:
        if index == self.index + 1:
            apply(self.state, self.events[index])  # the common case while playing
        elif index != self.index:
            self.state = self._state_through(index)
        self.index = index

    _line_cache: list[str] | None = None

    def _lines(self) -> list[str]:
        if self._line_cache is None:
            lines = readable_lines(self.events)
            # readable_lines adds a dated heading whenever the day turns: keep event lines.
            self._line_cache = [line for line in lines if line.startswith("#")]
        return self._line_cache


def parse_at(value: str, replay: Replay) -> datetime:
    """`HH:MM` in the runbook's zone → the first such moment at or after the start."""
    try:
        hours, minutes = (int(part) for part in value.split(":"))
        if not (0 <= hours < 24 and 0 <= minutes < 60):
            raise ValueError
    except ValueError:
        raise CockpitError(f"--at {value!r}: expected a local time as HH:MM, e.g. 02:15") from None
    assert replay.state.runbook is not None
    zone = replay.state.runbook.meta.zone
    local_start = replay.start.astimezone(zone)
    moment = local_start.replace(hour=hours, minute=minutes, second=0, microsecond=0)
    if moment < local_start.replace(second=0, microsecond=0):
        moment += timedelta(days=1)
    return moment
