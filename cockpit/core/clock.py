"""Time, injected: the system clock live, a hand-driven clock in tests and replay.

Everything time-dependent (countdowns, overruns, projections) is computed from a clock
and the journal, never by counting ticks, so it is right after a restart or a suspend.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Something that says what time it is, in UTC."""

    def now(self) -> datetime:
        """The current moment, timezone-aware, in UTC."""
        ...


class SystemClock:
    """The wall clock."""

    def now(self) -> datetime:
        """The current moment from the operating system."""
        return datetime.now(UTC)


class ManualClock:
    """A clock that moves only when told to: tests, snapshots and replay."""

    def __init__(self, start: datetime) -> None:
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        """The moment this clock was last set to."""
        return self._now

    def set(self, moment: datetime) -> None:
        """Jump to a moment (forwards or backwards)."""
        self._now = moment.astimezone(UTC)

    def advance(self, minutes: float = 0, seconds: float = 0) -> None:
        """Move forwards."""
        self._now += timedelta(minutes=minutes, seconds=seconds)
