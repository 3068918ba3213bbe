"""Secrets: OS keyring only (secure backends), env fallback, the CLI, and leak tests.

Every test runs on an in-memory keyring injected with `set_backend_for_tests` (an autouse
fixture), so no test ever touches the real OS keyring.
"""

from __future__ import annotations

import io
import logging
import secrets as stdlib_secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from hypothesis import given
from hypothesis import strategies as st
from keyring.backend import KeyringBackend
from keyring.backends import fail, null
from keyring.backends.chainer import ChainerBackend
from keyring.errors import KeyringLocked

from cockpit import secrets
from cockpit.cli import main
from cockpit.secrets import (
    ENV_PREFIX,
    SERVICE,
    KeyringRefused,
    SecretLookup,
    SecretsError,
    SecretStatus,
    SessionSecrets,
    check_backend,
    delete_secret,
    env_var_name,
    get_secret,
    keyring_status,
    known_names,
    secret_status,
    set_backend_for_tests,
    set_secret,
)
from tests.conftest import MINI_CARD
from tests.keyring_helpers import MemoryKeyring


class LockedKeyring(MemoryKeyring):
    """A keyring that fails, with the value in its error (as a careless backend might)."""

    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringLocked("locked")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringLocked(f"cannot store {password}")


def _named(module: str, name: str) -> KeyringBackend:
    """An in-memory backend whose class looks like `module.name` (a fake of that backend)."""
    cls = type(name, (MemoryKeyring,), {"__module__": module})
    return cls()


@pytest.fixture(autouse=True)
def memory_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[MemoryKeyring]:
    """An in-memory keyring for every test, and no COCKPIT_SECRET_* from the outside."""
    for variable in list(__import__("os").environ):
        if variable.startswith(ENV_PREFIX):
            monkeypatch.delenv(variable)
    backend = MemoryKeyring()
    previous = set_backend_for_tests(backend)
    yield backend
    set_backend_for_tests(previous)


@pytest.fixture
def os_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[KeyringBackend]]:
    """The production path, with keyring's configured backend replaced by the test's."""
    configured: list[KeyringBackend] = [fail.Keyring()]
    monkeypatch.setattr(keyring, "get_keyring", lambda: configured[0])
    previous = set_backend_for_tests(None)
    yield configured
    set_backend_for_tests(previous)


# ---- the API --------------------------------------------------------------------------


def test_round_trip(memory_keyring: MemoryKeyring) -> None:
    assert get_secret("carrier-pin") == SecretLookup(None, "missing")
    set_secret("carrier-pin", "4711")
    assert memory_keyring.store[(SERVICE, "carrier-pin")] == "4711"
    assert get_secret("carrier-pin") == SecretLookup("4711", "keyring")
    assert secret_status(["carrier-pin", "portal-password"]) == [
        SecretStatus("carrier-pin", True, "keyring"),
        SecretStatus("portal-password", False, "missing"),
    ]
    assert known_names() == ["carrier-pin"]
    assert delete_secret("carrier-pin") is True
    assert get_secret("carrier-pin").source == "missing"
    assert delete_secret("carrier-pin") is False
    assert known_names() == []


def test_status_never_carries_values() -> None:
    set_secret("carrier-pin", "4711")
    status = secret_status(["carrier-pin"])
    assert "4711" not in repr(status)
    assert "4711" not in repr(get_secret("carrier-pin"))


def test_env_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COCKPIT_SECRET_CARRIER_PIN", "from-env")
    assert get_secret("carrier-pin") == SecretLookup("from-env", "env")
    assert "carrier-pin" in known_names()
    set_secret("carrier-pin", "from-keyring")  # the keyring comes first
    assert get_secret("carrier-pin") == SecretLookup("from-keyring", "keyring")


def test_env_fallback_when_keyring_refused(
    os_keyring: list[KeyringBackend], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COCKPIT_SECRET_PORTAL_PASSWORD", "from-env")
    assert get_secret("portal-password") == SecretLookup("from-env", "env")
    assert get_secret("carrier-pin") == SecretLookup(None, "missing")


def test_env_var_name() -> None:
    assert env_var_name("carrier-pin") == "COCKPIT_SECRET_CARRIER_PIN"
    assert env_var_name("portal.pw_2") == "COCKPIT_SECRET_PORTAL_PW_2"


@given(st.from_regex(secrets.NAME_PATTERN, fullmatch=True))
def test_env_var_name_is_a_portable_variable(name: str) -> None:
    assert __import__("re").fullmatch(r"COCKPIT_SECRET_[A-Z0-9_]+", env_var_name(name))


@pytest.mark.parametrize("name", ["", "Carrier-PIN", "-x", "a b", "x" * 65, "../etc"])
def test_bad_names_are_refused(name: str) -> None:
    with pytest.raises(SecretsError, match="not a secret name"):
        get_secret(name)


def test_empty_value_is_refused(memory_keyring: MemoryKeyring) -> None:
    with pytest.raises(SecretsError, match="empty"):
        set_secret("carrier-pin", "")
    assert memory_keyring.store == {}


def test_session_secrets() -> None:
    session = SessionSecrets()
    assert session.get("carrier-pin").source == "missing"
    session.remember("carrier-pin", "typed-in")
    assert session.get("carrier-pin") == SecretLookup("typed-in", "session")
    assert "typed-in" not in repr(session)
    with pytest.raises(TypeError):
        __import__("pickle").dumps(session)
    session.forget("carrier-pin")
    assert session.get("carrier-pin").source == "missing"


# ---- only secure backends -------------------------------------------------------------


@pytest.mark.parametrize(
    ("backend", "why"),
    [
        (fail.Keyring(), "no OS keyring was found"),
        (null.Keyring(), "forgets everything"),
        (_named("keyrings.alt.file", "PlaintextKeyring"), "in plain text or merely obfuscated"),
        (_named("keyrings.alt.file", "EncryptedKeyring"), "in plain text or merely obfuscated"),
        (_named("keyrings.alt.Windows", "RegistryKeyring"), "in plain text or merely obfuscated"),
        (_named("somewhere.else", "PlaintextKeyring"), "in plain text or merely obfuscated"),
        (MemoryKeyring(), "not one of the OS keyrings the cockpit trusts"),
    ],
    ids=["fail", "null", "plaintext", "encrypted-file", "alt-registry", "plaintext-elsewhere", "x"],
)
def test_insecure_backends_are_refused(backend: KeyringBackend, why: str) -> None:
    with pytest.raises(KeyringRefused) as refused:
        check_backend(backend)
    message = str(refused.value)
    assert why in message
    assert "gnome-keyring" in message  # what to do
    assert "COCKPIT_SECRET_" in message


@pytest.mark.parametrize(
    "module",
    [
        "keyring.backends.macOS",
        "keyring.backends.Windows",
        "keyring.backends.SecretService",
        "keyring.backends.libsecret",
        "keyring.backends.kwallet",
    ],
)
def test_secure_backends_are_accepted(module: str) -> None:
    backend = _named(module, "Keyring")
    assert check_backend(backend) is backend


def _chainer(*backends: KeyringBackend) -> ChainerBackend:
    chainer = ChainerBackend()
    # `backends` is a class property computed from keyring's registry: pin it on a copy.
    chained = type("Chainer", (ChainerBackend,), {"backends": list(backends), "priority": -1})
    chainer.__class__ = chained
    return chainer


def test_chainer_is_unwrapped_to_its_secure_backend() -> None:
    secure = _named("keyring.backends.SecretService", "Keyring")
    plaintext = _named("keyrings.alt.file", "PlaintextKeyring")
    assert check_backend(_chainer(plaintext, secure)) is secure


def test_chainer_of_insecure_backends_is_refused() -> None:
    with pytest.raises(KeyringRefused, match="plain text"):
        check_backend(_chainer(_named("keyrings.alt.file", "PlaintextKeyring"), fail.Keyring()))
    with pytest.raises(KeyringRefused, match="empty"):
        check_backend(_chainer())


def test_production_path_refuses_a_test_backend(os_keyring: list[KeyringBackend]) -> None:
    """A test-style backend configured in keyring itself is refused, not used by accident."""
    os_keyring[0] = MemoryKeyring()
    with pytest.raises(KeyringRefused):
        set_secret("carrier-pin", "4711")
    assert not keyring_status().usable


def test_production_path_uses_a_secure_backend(os_keyring: list[KeyringBackend]) -> None:
    secure = _named("keyring.backends.SecretService", "Keyring")
    os_keyring[0] = secure
    set_secret("carrier-pin", "4711")
    assert get_secret("carrier-pin") == SecretLookup("4711", "keyring")
    assert keyring_status().backend == "Secret Service"


def test_failing_backend_error_hides_the_value() -> None:
    set_backend_for_tests(LockedKeyring())
    with pytest.raises(SecretsError) as failed:
        set_secret("carrier-pin", "s3cr3t-value")
    assert "s3cr3t-value" not in str(failed.value)
    assert "locked" in str(failed.value)
    assert get_secret("carrier-pin").source == "missing"  # reading never raises


# ---- the CLI --------------------------------------------------------------------------


def _cli(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    *argv: str,
    stdin: str = "",
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(["secrets", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_round_trip(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = _cli(capsys, monkeypatch, "set", "carrier-pin", "--stdin", stdin="4711\n")
    assert code == 0 and "stored" in out
    code, out, _ = _cli(capsys, monkeypatch, "get", "carrier-pin")
    assert code == 0 and "present (OS keyring)" in out and "4711" not in out
    code, out, _ = _cli(capsys, monkeypatch, "get", "carrier-pin", "--show")
    assert code == 0 and out == "4711\n"
    code, out, _ = _cli(capsys, monkeypatch, "list")
    assert code == 0 and "carrier-pin" in out and "present" in out
    code, out, _ = _cli(capsys, monkeypatch, "delete", "carrier-pin")
    assert code == 0 and "deleted" in out
    code, _, err = _cli(capsys, monkeypatch, "get", "carrier-pin")
    assert code == 1 and "missing" in err and "COCKPIT_SECRET_CARRIER_PIN" in err
    code, out, _ = _cli(capsys, monkeypatch, "delete", "carrier-pin")
    assert code == 1 and "was not in" in out


def test_cli_list_contacts(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = _cli(capsys, monkeypatch, "list", "--contacts", str(MINI_CARD))
    assert code == 1 and "carrier-pin" in out and "MISSING" in out
    monkeypatch.setenv("COCKPIT_SECRET_CARRIER_PIN", "9999")
    code, out, _ = _cli(capsys, monkeypatch, "list", "--contacts", str(MINI_CARD))
    assert code == 0 and "COCKPIT_SECRET_CARRIER_PIN" in out and "9999" not in out


def test_cli_list_broken_card(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    card = tmp_path / "card.toml"
    card.write_text("[card]\nid = 'x'\n")
    code, _, err = _cli(capsys, monkeypatch, "list", "--contacts", str(card))
    assert code == 2 and str(card) in err and "Traceback" not in err


def test_cli_prompts_without_echo(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = iter(["4711", "4711"])
    prompts: list[str] = []

    def fake_getpass(prompt: str = "") -> str:
        prompts.append(prompt)
        return next(answers)

    monkeypatch.setattr("getpass.getpass", fake_getpass)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    assert main(["secrets", "set", "carrier-pin"]) == 0
    assert len(prompts) == 2
    assert get_secret("carrier-pin") == SecretLookup("4711", "keyring")


def test_cli_prompt_mismatch_stores_nothing(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = iter(["4711", "4712"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    assert main(["secrets", "set", "carrier-pin"]) == 2
    assert "differ" in capsys.readouterr().err
    assert get_secret("carrier-pin").source == "missing"


def test_cli_without_a_terminal_needs_stdin_flag(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, err = _cli(capsys, monkeypatch, "set", "carrier-pin", stdin="4711\n")
    assert code == 2 and "--stdin" in err
    assert get_secret("carrier-pin").source == "missing"


@pytest.mark.parametrize("kind", ["fail", "plaintext"])
def test_cli_refuses_insecure_keyring(
    kind: str,
    os_keyring: list[KeyringBackend],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if kind == "plaintext":
        os_keyring[0] = _named("keyrings.alt.file", "PlaintextKeyring")
    code, out, err = _cli(capsys, monkeypatch, "set", "carrier-pin", "--stdin", stdin="4711\n")
    assert code == 2
    assert err.startswith("cockpit: secrets cannot be kept in the keyring")
    assert "gnome-keyring" in err and "Traceback" not in err and "4711" not in out + err
    code, _, err = _cli(capsys, monkeypatch, "delete", "carrier-pin")
    assert code == 2 and "cannot be kept" in err
    code, _, err = _cli(capsys, monkeypatch, "get", "carrier-pin")
    assert code == 1 and "note: secrets cannot be kept" in err


def test_cli_bad_name(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    code, _, err = _cli(capsys, monkeypatch, "get", "Carrier PIN")
    assert code == 2 and "not a secret name" in err


# ---- leaks ----------------------------------------------------------------------------


def test_cli_never_leaks_the_value(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A long random canary goes in; only `get --show` may ever print it, nothing writes it."""
    canary = "canary-" + stdlib_secrets.token_urlsafe(96)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("COCKPIT_CONFIG_DIR", str(tmp_path / "config"))
    caplog.set_level(logging.DEBUG)
    seen = ""
    for argv, stdin in [
        (["set", "carrier-pin", "--stdin"], canary + "\n"),
        (["get", "carrier-pin"], ""),
        (["list"], ""),
        (["list", "--contacts", str(MINI_CARD)], ""),
        (["delete", "carrier-pin"], ""),
        (["get", "carrier-pin"], ""),
    ]:
        code, out, err = _cli(capsys, monkeypatch, *argv, stdin=stdin)
        assert code in (0, 1)
        seen += out + err
    assert canary not in seen
    assert canary not in caplog.text
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert canary.encode() not in path.read_bytes(), path
    # Only --show prints it.
    _cli(capsys, monkeypatch, "set", "carrier-pin", "--stdin", stdin=canary + "\n")
    assert _cli(capsys, monkeypatch, "get", "carrier-pin", "--show")[1] == canary + "\n"


def test_secrets_module_has_no_textual() -> None:
    code = (
        "import sys, cockpit.secrets, cockpit.cli.secrets\n"
        "print(any(m == 'textual' or m.startswith('textual.') for m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
