"""Secrets before the night (issue 12, item 8): `cockpit check` (R708) and the cockpit's
start name every secret on the contact card that nothing can supply — never a value.

Every test runs on the empty in-memory keyring `tests/conftest.py` gives each test, with
no COCKPIT_SECRET_* from the outside: no test touches the real OS keyring.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backends import fail
from textual.pilot import Pilot

from cockpit.cli import main
from cockpit.journal.store import read_events
from cockpit.model.load import load_contact_card
from cockpit.readiness import RULE_INFO
from cockpit.secrets import SERVICE, missing_secrets, set_backend_for_tests
from cockpit.tui.app import CockpitApp
from tests.keyring_helpers import MemoryKeyring
from tests.test_secrets import LockedKeyring
from tests.test_tui_keys import toasts
from tests.tui_helpers import MINI, MINI_CARD, UCAAS, UCAAS_CARD, run_pilot

HERE = Path(__file__).parent
READY = HERE / "fixtures" / "readiness" / "ready.toml"
READY_CARD = HERE / "fixtures" / "readiness" / "ready-contacts.toml"
#: A value that must never appear in any output.
PIN = "884213"


@pytest.fixture
def memory_keyring(isolated_keyring: MemoryKeyring) -> MemoryKeyring:
    """The empty in-memory keyring every test gets (`tests/conftest.py`)."""
    return isolated_keyring


@pytest.fixture
def no_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    """The production path on a machine without an OS keyring (keyring's fail backend)."""
    monkeypatch.setattr(keyring, "get_keyring", lambda: fail.Keyring())
    set_backend_for_tests(None)  # the autouse fixture restores its own afterwards


def check_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any]]:
    code = main(["check", *argv, "--format", "json"])
    return code, json.loads(capsys.readouterr().out)


def r708(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [finding for finding in report["findings"] if finding["rule"] == "R708"]


# ---- the rule ------------------------------------------------------------------------------


def test_r708_is_a_warning_in_the_registry() -> None:
    assert RULE_INFO["R708"].name == "secret-not-stored"
    assert RULE_INFO["R708"].severity == "warning"


def test_a_missing_secret_is_named_with_its_line_on_the_card(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, report = check_json(capsys, str(READY))
    assert code == 0  # a warning: the plan is still ready to rehearse
    (finding,) = r708(report)
    assert finding["severity"] == "warning"
    assert finding["file"].endswith("readiness/ready-contacts.toml") and finding["line"] == 27
    assert finding["message"] == (
        "1 secret named on the contact card is in neither the keyring nor the environment: "
        "carrier-pin"
    )
    assert "cockpit secrets set NAME" in finding["fix"]


def test_a_secret_in_the_keyring_or_the_environment_is_not_reported(
    capsys: pytest.CaptureFixture[str],
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    memory_keyring.store[(SERVICE, "carrier-pin")] = PIN
    assert r708(check_json(capsys, str(READY))[1]) == []
    memory_keyring.store.clear()
    monkeypatch.setenv("COCKPIT_SECRET_CARRIER_PIN", PIN)
    assert r708(check_json(capsys, str(READY))[1]) == []


def test_only_the_missing_ones_are_listed_and_no_value_is_printed(
    capsys: pytest.CaptureFixture[str], memory_keyring: MemoryKeyring
) -> None:
    memory_keyring.store[(SERVICE, "carrier-pin")] = PIN
    main(["check", str(UCAAS), "--contacts", str(UCAAS_CARD)])
    out = capsys.readouterr().out
    assert (
        "warning: contact 'carrier' field 'secrets.Port-out PIN'" not in out
    )  # carrier-pin is stored
    assert (
        "2 secrets named on the contact card are in neither the keyring nor the environment: "
        "carrier-portal, cloudvoice-admin [R708 secret-not-stored]" in out
    )
    assert "      fix: store each with: cockpit secrets set NAME" in out
    assert PIN not in out
    _, report = check_json(capsys, str(UCAAS), "--contacts", str(UCAAS_CARD))
    assert PIN not in json.dumps(report)
    assert "carrier-pin" not in r708(report)[0]["message"]


def test_no_keyring_on_this_machine_is_a_clear_finding_not_a_traceback(
    capsys: pytest.CaptureFixture[str], no_keyring: None
) -> None:
    code, report = check_json(capsys, str(READY))
    assert code == 0
    (finding,) = r708(report)
    assert (
        finding["message"]
        == "no keyring on this machine: 1 secret cannot be looked up: carrier-pin"
    )
    assert "COCKPIT_SECRET_CARRIER_PIN" in finding["fix"]
    assert main(["check", str(READY)]) == 0
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    assert "no keyring on this machine: 1 secret cannot be looked up: carrier-pin" in out.out


def test_no_keyring_but_the_environment_has_it(
    capsys: pytest.CaptureFixture[str], no_keyring: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COCKPIT_SECRET_CARRIER_PIN", PIN)
    assert r708(check_json(capsys, str(READY))[1]) == []


def test_a_keyring_that_fails_to_load_is_a_finding(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken() -> None:
        raise RuntimeError("keyringrc.cfg names a backend that is not installed")

    monkeypatch.setattr(keyring, "get_keyring", broken)
    set_backend_for_tests(None)
    (finding,) = r708(check_json(capsys, str(READY))[1])
    assert finding["message"].startswith("no usable keyring on this machine (")
    assert finding["message"].endswith("1 secret cannot be looked up: carrier-pin")


def test_a_locked_keyring_is_said_and_its_error_text_is_not_shown(
    capsys: pytest.CaptureFixture[str],
) -> None:
    set_backend_for_tests(LockedKeyring())
    (finding,) = r708(check_json(capsys, str(READY))[1])
    assert finding["message"] == (
        "the keyring could not be read (KeyringLocked): 1 secret cannot be looked up: carrier-pin"
    )
    assert "unlock the keyring" in finding["fix"]


def test_missing_secrets_never_holds_a_value(memory_keyring: MemoryKeyring) -> None:
    memory_keyring.store[(SERVICE, "carrier-pin")] = PIN
    result = missing_secrets(["carrier-pin", "portal", "Not A Name"])
    assert result.names == ("portal",)  # an invalid name is the card loader's business
    assert PIN not in repr(result) and PIN not in result.describe()


# ---- the cockpit's start -----------------------------------------------------------------


def _run_headless(monkeypatch: pytest.MonkeyPatch, seen: dict[str, str]) -> None:
    """`cockpit run` with the app run headless: what it shows at start goes in `seen`."""

    def headless(app: CockpitApp, *args: Any, **kwargs: Any) -> None:
        async def scenario(pilot: Pilot[Any]) -> None:
            await pilot.pause()
            await app.workers.wait_for_complete()  # the keyring is asked after the frame
            await pilot.pause()
            seen["toasts"] = toasts(app)
            app.exit()

        run_pilot(app, scenario)

    monkeypatch.setattr(CockpitApp, "run", headless)


def test_the_start_says_which_secrets_are_missing_and_still_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    seen: dict[str, str] = {}
    _run_headless(monkeypatch, seen)
    journal = tmp_path / "night.journal"
    argv = ["run", str(MINI), "--contacts", str(MINI_CARD), "--journal", str(journal)]
    assert main([*argv, "--rehearsal", "--operator", "Dana"]) == 0
    assert "Secrets missing: 1 secret named on the contact card is in neither" in seen["toasts"]
    assert "carrier-pin" in seen["toasts"]
    assert "cockpit secrets set NAME" in seen["toasts"]
    assert read_events(journal)[0].type == "cutover_started"
    capsys.readouterr()


def test_no_start_notice_when_every_secret_is_there(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    memory_keyring: MemoryKeyring,
    capsys: pytest.CaptureFixture[str],
) -> None:
    memory_keyring.store[(SERVICE, "carrier-pin")] = PIN
    seen: dict[str, str] = {}
    _run_headless(monkeypatch, seen)
    journal = tmp_path / "night.journal"
    argv = ["run", str(MINI), "--contacts", str(MINI_CARD), "--journal", str(journal)]
    assert main([*argv, "--operator", "Dana"]) == 0
    assert "Secrets missing" not in seen["toasts"]
    assert PIN not in seen["toasts"]
    capsys.readouterr()


def test_the_start_notice_without_a_keyring(no_keyring: None) -> None:
    from cockpit.cli.run import missing_secrets_notice

    notice = missing_secrets_notice(load_contact_card(UCAAS_CARD))
    assert notice.startswith(
        "Secrets missing: no keyring on this machine: 3 secrets cannot be looked up: "
        "carrier-pin, carrier-portal, cloudvoice-admin."
    )
    assert "COCKPIT_SECRET_CARRIER_PIN" in notice
    assert missing_secrets_notice(None) == ""
