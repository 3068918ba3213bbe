"""What the cockpit screen asks of a source of state, typed, so nothing is duck-typed.

The same screen draws a live night (`cockpit.session.Session`, the only writer), a night
another cockpit is writing (`cockpit.follow.Follower`) and a night gone by
(`cockpit.replay.Replay`). `StateSource` is everything the screen may ask of any of them;
the read-only sources answer the writing half plainly (a refusal, nothing pending, no
card offered) instead of the screen probing them with `getattr`.

`Outcome` is what became of one command. It lives here, beside the protocol that returns
it, rather than in the session, so the core and the screen can name it without the
journal writer; `cockpit.session` still exports it.

No Textual here (checked by tests/test_import_hygiene.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Literal, Protocol, runtime_checkable

from cockpit.journal.events import BaseEvent, Event
from cockpit.model.contacts import ContactCard

from . import commands as cmd
from .clock import Clock
from .redact import placeholder
from .state import CutoverState

#: How a source is watched: the one writer, a read-only follower, or a replay.
Watch = Literal["live", "follow", "replay"]

#: What a follower knows of the cockpit writing the journal: it runs (it holds the
#: writer's lock), it quit cleanly (no one holds the lock and the last event is the clean
#: quit), it is gone without a clean quit (no one holds the lock and the last event is
#: anything else: a crash, a kill, a power loss), or it cannot be told (the lock file
#: cannot be read, e.g. another user's journal).
WriterState = Literal["running", "quit", "gone", "unknown"]


@dataclass(frozen=True, slots=True)
class WriterStatus:
    """The writer of a followed journal at the follower's last look."""

    state: WriterState
    #: When the last event was written (its age is what the follower shows).
    last_event_at: datetime | None = None
    #: When it quit cleanly (the `SessionClosed` event's time), when it did.
    quit_at: datetime | None = None

    def last_event_age(self, now: datetime) -> timedelta | None:
        """How long ago the last event was written (never negative), or None."""
        if self.last_event_at is None:
            return None
        return max(now - self.last_event_at, timedelta(0))


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one command: saved (with its events), refused, or not saved."""

    kind: Literal["saved", "refused", "not_saved"]
    message: str = ""
    code: str = ""
    events: tuple[BaseEvent, ...] = ()
    #: Names of the secrets whose values were found in the command's text and replaced
    #: by `[secret: NAME]` before it was decided: the DE must be told.
    redacted: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """The command's events are on disk and in the state."""
        return self.kind == "saved"

    @property
    def redaction_notice(self) -> str:
        """What to tell the DE when a secret was kept out of the journal ("" if none)."""
        if not self.redacted:
            return ""
        shown = ", ".join(placeholder(name) for name in self.redacted)
        return (
            f"Your text held a secret's value: it was saved as {shown}. "
            "The journal never holds a secret's value."
        )


def read_only_refusal(watch: Watch) -> cmd.Refusal:
    """Why a read-only source writes nothing: the same words for preview and execute."""
    doing = "following" if watch == "follow" else "replay"
    return cmd.Refusal(f"{doing} is read-only", code="read_only")


class ReadOnlySource:
    """What a follower and a replay answer alike: they never write, so nothing is ever
    unsaved, pending or offered, and every command is refused in the same words."""

    watch: Watch
    save_error: str | None = None
    pending: cmd.Command | None = None
    offered_card: ContactCard | None = None
    #: Only a follower watches a writer (`cockpit.follow.Follower` sets it).
    writer: WriterStatus | None = None

    def execute(self, command: cmd.Command) -> Outcome:
        """Never writes: every command is refused, and the screen says so."""
        refusal = read_only_refusal(self.watch)
        return Outcome("refused", refusal.reason, refusal.code)

    def preview(self, command: cmd.Command) -> cmd.Refusal | None:
        """Every writing command is refused."""
        return read_only_refusal(self.watch)

    def retry(self) -> Outcome:
        """Nothing is ever pending: there is nothing to retry."""
        return Outcome("saved")

    def remember_secret(self, name: str, value: str) -> None:
        """Nothing to keep a value out of: a read-only source writes no text."""

    def adopt_card_command(self) -> cmd.AdoptContactCard | None:
        """No card is offered: the writing cockpit decides which card is of record."""
        return None


@runtime_checkable
class StateSource(Protocol):
    """Where the screen's state comes from: a live session, a follower, or a replay.

    The plain facts are read-only properties in the protocol (a source may keep them as
    attributes): the screen reads them and never assigns them, and a property lets a
    replay keep its hand-driven `ManualClock` where a `Clock` is asked for.
    """

    @property
    def state(self) -> CutoverState:
        """The state folded from the journal up to now (or up to the replay moment)."""
        ...

    @property
    def watch(self) -> Watch:
        """Live (the writer), follow or replay: what the screen may offer."""
        ...

    @property
    def save_error(self) -> str | None:
        """Why the last append failed (NOT SAVED on screen), or None when all is saved."""
        ...

    @property
    def clock(self) -> Clock:
        """The time the panels are drawn at (the replay moment in a replay)."""
        ...

    @property
    def journal_path(self) -> Path:
        """The journal this source reads or writes."""
        ...

    @property
    def pending(self) -> cmd.Command | None:
        """A command whose append failed and is retried before anything else."""
        ...

    @property
    def offered_card(self) -> ContactCard | None:
        """A contact card file that differs from the card of record, offered to adopt."""
        ...

    @property
    def writer(self) -> WriterStatus | None:
        """Following: whether the cockpit writing the journal runs, quit cleanly or is
        gone, as of the last poll. None for the writer itself and for a replay."""
        ...

    def execute(self, command: cmd.Command) -> Outcome:
        """Carry out a command: saved, refused (read-only sources refuse all) or not saved."""
        ...

    def preview(self, command: cmd.Command) -> cmd.Refusal | None:
        """Would `command` be refused? Nothing is written."""
        ...

    def retry(self) -> Outcome:
        """Try the pending command again; "saved" when nothing is pending."""
        ...

    def poll(self) -> bool:
        """Pick up events another process committed (following, also look at the writer's
        state); True when there were new events."""
        ...

    def all_events(self) -> list[Event]:
        """The events so far, for the log screen."""
        ...

    def remember_secret(self, name: str, value: str) -> None:
        """Keep a value revealed tonight out of every later text (memory only)."""
        ...

    def adopt_card_command(self) -> cmd.AdoptContactCard | None:
        """The command that takes the offered card, or None when none is offered."""
        ...
