"""Shared fixtures: the mini runbook, a frozen clock, and a core driver without I/O."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from cockpit.core import commands as cmd
from cockpit.core.clock import ManualClock
from cockpit.core.decide import decide
from cockpit.core.evolve import evolve
from cockpit.core.state import CutoverState
from cockpit.journal.events import BaseEvent
from cockpit.model.contacts import ContactCard
from cockpit.model.load import load_contact_card, load_runbook
from cockpit.model.runbook import Runbook
from cockpit.secrets import ENV_PREFIX, set_backend_for_tests
from tests.checklist_helpers import TicksThenEnds
from tests.keyring_helpers import MemoryKeyring, StoredForEveryName

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini.toml"
MINI_CARD = FIXTURES / "mini-contacts.toml"
#: 02:00 America/Chicago on the mini runbook's night, in UTC.
MINI_WINDOW_START = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)


@pytest.fixture
def mini_runbook() -> Runbook:
    """The mini runbook."""
    return load_runbook(MINI)


@pytest.fixture
def mini_card() -> ContactCard:
    """The mini contact card."""
    return load_contact_card(MINI_CARD)


class Driver(TicksThenEnds):
    """Runs commands through decide/evolve, keeping every event, like the app without disk."""

    def __init__(self, runbook: Runbook, card: ContactCard | None, clock: ManualClock) -> None:
        self.clock = clock
        self.state = CutoverState()
        self.events: list[BaseEvent] = []
        self.runbook = runbook
        self.card = card

    def start(self, mode: str = "live") -> None:
        """Open the cutover with the runbook snapshot."""
        data = self.runbook.model_dump(mode="json")
        self.must(
            cmd.StartCutover(
                runbook=data,
                runbook_sha256=hashlib.sha256(repr(data).encode()).hexdigest(),
                contacts=self.card.model_dump(mode="json") if self.card else None,
                mode=mode,  # type: ignore[arg-type]
                operator="Dana",
            )
        )

    def do(self, command: cmd.Command) -> list[BaseEvent] | cmd.Refusal:
        """Decide and, when accepted, evolve."""
        result = decide(self.state, command, self.clock.now())
        if isinstance(result, cmd.Refusal):
            return result
        for event in result:
            self.state = evolve(self.state, event)
        self.events.extend(result)
        return result

    def must(self, command: cmd.Command) -> list[BaseEvent]:
        """Like `do`, failing the test on a refusal."""
        result = self.do(command)
        assert not isinstance(result, cmd.Refusal), result.reason
        return result

    def refused(self, command: cmd.Command) -> cmd.Refusal:
        """Like `do`, failing the test unless refused; checks nothing was recorded."""
        before = len(self.events)
        result = self.do(command)
        assert isinstance(result, cmd.Refusal), f"expected a refusal, got {result}"
        assert len(self.events) == before
        return result


@pytest.fixture
def driver_factory(mini_runbook: Runbook, mini_card: ContactCard) -> Callable[..., Driver]:
    """Make a started driver on the mini runbook at 02:00 local."""

    def make(mode: str = "live", start: datetime = MINI_WINDOW_START) -> Driver:
        driver = Driver(mini_runbook, mini_card, ManualClock(start))
        driver.start(mode)
        return driver

    return make


@pytest.fixture
def driver(driver_factory: Callable[..., Driver]) -> Driver:
    """A started live cutover on the mini runbook."""
    return driver_factory()


@pytest.fixture(autouse=True)
def isolated_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[MemoryKeyring]:
    """Tests never touch the real OS keyring: `cockpit check` and `cockpit run` look the
    card's secrets up. An empty in-memory keyring in this process, keyring's `fail`
    backend in any subprocess, and no COCKPIT_SECRET_* from the outside."""
    for variable in list(os.environ):
        if variable.startswith(ENV_PREFIX):
            monkeypatch.delenv(variable)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    backend = MemoryKeyring()
    previous = set_backend_for_tests(backend)
    yield backend
    set_backend_for_tests(previous)


@pytest.fixture
def card_secrets_stored(isolated_keyring: MemoryKeyring) -> Iterator[None]:
    """A prepared machine: every secret a contact card names is in the keyring."""
    previous = set_backend_for_tests(StoredForEveryName())
    yield
    set_backend_for_tests(previous)


@pytest.fixture(autouse=True)
def isolated_user_config(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Tests never read or write the real user's config (saved theme, user themes)."""
    monkeypatch.setenv("COCKPIT_CONFIG_DIR", str(tmp_path_factory.mktemp("config")))


@pytest.fixture
def make(tmp_path: Path) -> Iterator[Any]:
    """Build cockpits for screen tests (`make("mini")`, see `tests.tui_helpers.Cockpits`);
    their journals are closed after the test."""
    from tests.tui_helpers import Cockpits

    cockpits = Cockpits(tmp_path)
    yield cockpits
    cockpits.close()
