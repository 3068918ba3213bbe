"""The three sources of state satisfy `cockpit.core.source.StateSource`, statically and live.

The screen asks every source the same questions (`pending`, `retry`, `offered_card`,
`remember_secret`, …) instead of probing with `getattr`, so each source must answer all
of them. This file is in mypy's `files` (pyproject.toml) and strictly checked, so
`_as_sources` below fails the type check (tests/test_types.py) when a source drifts
from the protocol; the tests check the same at run time and that the read-only sources
answer the writing half plainly.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from cockpit.core import commands as cmd
from cockpit.core.clock import ManualClock
from cockpit.core.source import Outcome, StateSource
from cockpit.follow import Follower
from cockpit.journal.store import read_events
from cockpit.model.fingerprint import runbook_sha256
from cockpit.model.load import load_contact_card, load_runbook
from cockpit.replay import Replay
from cockpit.session import Outcome as SessionOutcome
from cockpit.session import Session
from cockpit.session import runbook_sha256 as session_runbook_sha256

FIXTURES = Path(__file__).parent / "fixtures"
#: 02:00 America/Chicago on the mini runbook's night, in UTC.
NIGHT = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)


def _as_sources(session: Session, follower: Follower, replay: Replay) -> list[StateSource]:
    """Each source where a `StateSource` is asked for: the static conformance check."""
    return [session, follower, replay]


def _open_all(path: Path) -> tuple[Session, Follower, Replay]:
    runbook = load_runbook(FIXTURES / "mini.toml")
    card = load_contact_card(FIXTURES / "mini-contacts.toml")
    session = Session.open(path, runbook, card, ManualClock(NIGHT), operator="Dana")
    session.execute(cmd.AddNote(text="a note"))
    follower = Follower(path, ManualClock(NIGHT))
    replay = Replay(read_events(path), path)
    replay.seek_index(len(replay.events) - 1)
    return session, follower, replay


def test_every_source_is_a_state_source(tmp_path: Path) -> None:
    session, follower, replay = _open_all(tmp_path / "night.journal")
    try:
        sources = _as_sources(session, follower, replay)
        assert all(isinstance(source, StateSource) for source in sources)
        assert [source.watch for source in sources] == ["live", "follow", "replay"]
        for source in sources:
            assert source.journal_path == tmp_path / "night.journal"
            assert source.state.last_seq == session.state.last_seq
            assert [e.seq for e in source.all_events()] == list(
                range(1, session.state.last_seq + 1)
            )
    finally:
        follower.close()
        session.close()


def test_read_only_sources_refuse_plainly_and_write_nothing(tmp_path: Path) -> None:
    session, follower, replay = _open_all(tmp_path / "night.journal")
    try:
        before = session.state.last_seq
        for source, doing in ((follower, "following"), (replay, "replay")):
            note = cmd.AddNote(text="from a read-only source")
            outcome = source.execute(note)
            assert (outcome.kind, outcome.message) == ("refused", f"{doing} is read-only")
            preview = source.preview(note)
            assert preview is not None and preview.reason == outcome.message
            assert source.pending is None and source.save_error is None
            assert source.retry().ok
            assert source.offered_card is None and source.adopt_card_command() is None
            source.remember_secret("carrier-pin", "48213377")  # nothing to keep it out of
            assert source.poll() is False
        assert len(read_events(tmp_path / "night.journal")) == before
    finally:
        follower.close()
        session.close()


def test_moved_names_are_still_importable_from_the_session() -> None:
    # The paper backup and the TUI helpers import these from the session.
    assert SessionOutcome is Outcome
    assert session_runbook_sha256 is runbook_sha256
