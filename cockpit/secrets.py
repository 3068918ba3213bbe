"""Secrets (carrier PINs, portal passwords) in the OS keyring, never in a file we write.

A contact card names a secret (`{ secret = "carrier-pin" }`); its value lives under one
keyring service, `cutover-cockpit`, with the secret's name as the user name. Looking a
secret up tries, in order:

1. the OS keyring — only a secure backend: macOS Keychain, Windows Credential Locker,
   Secret Service (gnome-keyring, KeePassXC…) or KWallet. keyring's `fail` and `null`
   backends and file backends (`keyrings.alt`: plaintext or merely obfuscated) are refused
   with a message that says why and what to do;
2. the environment variable `COCKPIT_SECRET_<NAME>` (`carrier-pin` →
   `COCKPIT_SECRET_CARRIER_PIN`);
3. nothing: the cockpit then asks in a password field and keeps the answer in memory for
   the session only (`SessionSecrets`).

Nothing here logs, prints or writes a value; what callers may record is the name and the
source (`keyring`, `env`, `session`). Error messages never contain a value either.

Tests use an in-memory backend through `set_backend_for_tests`; the production path only
ever accepts a backend from the allow-list below, so a test backend (or any other) left
configured in keyring is refused, not silently used. No Textual here: the CLI uses it.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, NamedTuple, NoReturn

from cockpit.errors import CockpitError

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

#: The one keyring service every secret is stored under.
SERVICE = "cutover-cockpit"
#: Prefix of the environment-variable fallback.
ENV_PREFIX = "COCKPIT_SECRET_"
#: Same rule as a contact card's `{ secret = NAME }`.
NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
#: A keyring entry holding the names (never values) set through the cockpit, so
#: `cockpit secrets list` can show them: keyring has no way to list a service's entries.
#: The colon keeps it out of the secret-name space.
_INDEX_ENTRY = "cockpit:names"

#: Secure backends by module: the OS's own credential stores.
SECURE_BACKENDS: dict[str, str] = {
    "keyring.backends.macOS": "macOS Keychain",
    "keyring.backends.Windows": "Windows Credential Locker",
    "keyring.backends.SecretService": "Secret Service",
    "keyring.backends.libsecret": "Secret Service (libsecret)",
    "keyring.backends.kwallet": "KWallet",
}

WHAT_TO_DO = (
    "To store secrets, use the OS keyring: on Linux install and unlock a Secret Service "
    "such as gnome-keyring (or KWallet) in your desktop session; macOS and Windows have "
    "one built in. If PYTHON_KEYRING_BACKEND or keyringrc.cfg picks a backend, point it "
    "at one of those. Or, for this session only, set the environment variable "
    "COCKPIT_SECRET_<NAME> (e.g. COCKPIT_SECRET_CARRIER_PIN) — the cockpit can also ask "
    "for a missing secret when you reveal it and keep it in memory until it exits."
)

Source = Literal["keyring", "env", "session", "missing"]


class SecretsError(CockpitError):
    """A secret could not be stored, read or deleted; the message says why and what to do."""


class KeyringRefused(SecretsError):
    """The configured keyring backend is not a secure OS keyring."""


class SecretLookup(NamedTuple):
    """A secret's value (None when missing) and where it came from."""

    value: str | None
    source: Source

    def __repr__(self) -> str:  # a stray print or log line must not show the value
        return f"SecretLookup(value={'<hidden>' if self.value else None}, source={self.source!r})"


class SecretStatus(NamedTuple):
    """Whether a secret is available and from where — never its value."""

    name: str
    present: bool
    source: Source


@dataclass(frozen=True, slots=True)
class KeyringStatus:
    """Whether the OS keyring can be used, which backend it is, and why not."""

    usable: bool
    """A secure backend is configured (it may still be locked)."""
    backend: str
    """A readable name: "Secret Service", "keyring.backends.fail.Keyring"…"""
    message: str = ""
    """Why it is refused and what to do; empty when usable."""


# ---- names --------------------------------------------------------------------------


def check_name(name: str) -> str:
    """`name` when it is a valid secret name, else `SecretsError` saying what is valid."""
    if not NAME_PATTERN.match(name):
        raise SecretsError(
            f"{name!r} is not a secret name: use lower-case letters, digits and . _ - "
            "(up to 64, starting with a letter or digit), as in a contact card's "
            '{ secret = "carrier-pin" }'
        )
    return name


def env_var_name(name: str) -> str:
    """The environment variable of a secret: `carrier-pin` → `COCKPIT_SECRET_CARRIER_PIN`."""
    return ENV_PREFIX + re.sub(r"[^A-Z0-9]", "_", name.upper())


# ---- the backend ----------------------------------------------------------------------

_test_backend: KeyringBackend | None = None


def set_backend_for_tests(backend: KeyringBackend | None) -> KeyringBackend | None:
    """Use `backend` (trusted as is) instead of the OS keyring; None goes back to the OS's.

    For tests only: an in-memory backend. Returns the previous one so a fixture can
    restore it. Nothing in the cockpit calls this.
    """
    global _test_backend
    previous, _test_backend = _test_backend, backend
    return previous


def _secure_name(backend: object) -> str | None:
    module = type(backend).__module__
    for prefix, label in SECURE_BACKENDS.items():
        if module == prefix or module.startswith(prefix + "."):
            return label
    return None


def _qualified(backend: object) -> str:
    return f"{type(backend).__module__}.{type(backend).__qualname__}"


def _why_refused(backend: object) -> str:
    """One sentence: why this backend is not trusted with secrets."""
    module = type(backend).__module__
    name = type(backend).__qualname__
    qualified = _qualified(backend)
    if module == "keyring.backends.fail":
        return f"no OS keyring was found ({qualified}): there is nowhere safe to keep secrets"
    if module == "keyring.backends.null":
        return f"the keyring is switched off ({qualified}): it forgets everything given to it"
    if module.startswith("keyrings.alt") or re.search(
        r"plain|text|file|encrypt|crypt|obfuscat|base64", name, re.IGNORECASE
    ):
        return (
            f"{qualified} keeps secrets in a file, in plain text or merely obfuscated: "
            "anyone or anything that can read the file (a backup, a sync, a shared "
            "screen) can read them"
        )
    return f"{qualified} is not one of the OS keyrings the cockpit trusts"


def check_backend(backend: KeyringBackend) -> KeyringBackend:
    """The secure backend to use given keyring's configured one, or `KeyringRefused`.

    keyring's chainer (several backends tried in turn) is unwrapped: its first secure
    backend is used on its own, so a secret is never read from or written to an insecure
    backend further down the chain.
    """
    if _secure_name(backend) is not None:
        return backend
    from keyring.backends.chainer import ChainerBackend

    if isinstance(backend, ChainerBackend):
        chained: list[KeyringBackend] = list(backend.backends)
        for inner in chained:
            if _secure_name(inner) is not None:
                return inner
        reasons = "; ".join(_why_refused(inner) for inner in chained) or (
            "no OS keyring was found: the chain of keyring backends is empty"
        )
        raise KeyringRefused(f"secrets cannot be kept in the keyring: {reasons}.\n{WHAT_TO_DO}")
    raise KeyringRefused(
        f"secrets cannot be kept in the keyring: {_why_refused(backend)}.\n{WHAT_TO_DO}"
    )


def _backend() -> KeyringBackend:
    """The backend to use: the test one when injected, else the OS's, checked."""
    if _test_backend is not None:
        return _test_backend
    import keyring

    try:
        configured = keyring.get_keyring()
    except Exception as error:  # a broken keyringrc.cfg, a plugin failing to load…
        raise KeyringRefused(
            f"the keyring could not be set up ({type(error).__name__}: {error}).\n{WHAT_TO_DO}"
        ) from None
    return check_backend(configured)


def keyring_status() -> KeyringStatus:
    """Whether secrets can be kept in the OS keyring, for a notice or `secrets list`."""
    try:
        backend = _backend()
    except KeyringRefused as refused:
        return KeyringStatus(False, "refused", str(refused))
    if backend is _test_backend:
        return KeyringStatus(True, f"{_qualified(backend)} (set for tests)")
    return KeyringStatus(True, _secure_name(backend) or _qualified(backend))


def _failed(action: str, name: str, error: Exception, value: str | None = None) -> SecretsError:
    """A `SecretsError` for a backend failure; the value is scrubbed from its text."""
    detail = f"{type(error).__name__}: {error}"
    if value:
        detail = detail.replace(value, "<hidden>")
    hint = "is the keyring locked? Unlock it (log in to the desktop session) and try again"
    return SecretsError(f"could not {action} secret {name!r} in the keyring ({detail}); {hint}")


# ---- the operations -------------------------------------------------------------------


def set_secret(name: str, value: str) -> str:
    """Store `value` under `name` in the OS keyring; returns the backend's readable name.

    Raises `SecretsError` (a `KeyringRefused` when the backend is not secure).
    """
    check_name(name)
    if not value:
        raise SecretsError(f"the value for {name!r} is empty; nothing was stored")
    backend = _backend()
    try:
        backend.set_password(SERVICE, name, value)
    except Exception as error:
        raise _failed("store", name, error, value) from None
    _update_index(backend, add=name)
    return keyring_status().backend


def get_secret(name: str) -> SecretLookup:
    """The secret's value and source: keyring, then `COCKPIT_SECRET_<NAME>`, else missing.

    Never raises for an unusable keyring (refused, locked, failing): it is skipped, and
    `keyring_status()` says why. Raises `SecretsError` only for an invalid name.
    """
    check_name(name)
    try:
        value = _backend().get_password(SERVICE, name)
    except Exception:  # refused or failing: the environment may still have it
        value = None
    if value:
        return SecretLookup(value, "keyring")
    value = os.environ.get(env_var_name(name))
    if value:
        return SecretLookup(value, "env")
    return SecretLookup(None, "missing")


def delete_secret(name: str) -> bool:
    """Remove the secret from the keyring; False when it was not there.

    The environment variable, if any, is not the cockpit's to remove. Raises
    `SecretsError` when the keyring is refused or failing.
    """
    check_name(name)
    backend = _backend()
    from keyring.errors import PasswordDeleteError

    try:
        if backend.get_password(SERVICE, name) is None:
            _update_index(backend, remove=name)
            return False
        backend.delete_password(SERVICE, name)
    except PasswordDeleteError:
        return False
    except Exception as error:
        raise _failed("delete", name, error) from None
    _update_index(backend, remove=name)
    return True


def secret_status(names: Iterable[str]) -> list[SecretStatus]:
    """For each name: present or not, and from where. Values are looked up, never returned."""
    statuses = []
    for name in names:
        source = get_secret(name).source
        statuses.append(SecretStatus(name, source != "missing", source))
    return statuses


@dataclass(frozen=True, slots=True)
class MissingSecrets:
    """The secrets a contact card names that nothing can supply tonight — names only.

    Made by `missing_secrets` before the night (`cockpit check`, the cockpit's start):
    the DE finds out then, not when the carrier asks for the PIN.
    """

    names: tuple[str, ...]
    """Secrets neither the keyring nor the environment has, in the card's order."""
    keyring: KeyringStatus
    """Whether the keyring could be asked at all."""
    failure: str = ""
    """Why a usable keyring still could not answer (locked, failing); empty otherwise."""

    def __bool__(self) -> bool:
        return bool(self.names)

    @property
    def no_keyring(self) -> bool:
        """No keyring answered: the missing secrets could not be looked up at all."""
        return not self.keyring.usable or bool(self.failure)

    def describe(self) -> str:
        """What is missing and why, naming every secret; "" when none is."""
        if not self.names:
            return ""
        count = len(self.names)
        noun = "secret" if count == 1 else "secrets"
        listed = ", ".join(self.names)
        if not self.keyring.usable:
            reason = self.keyring.message.partition("\n")[0].rstrip(".")
            reason = reason.removeprefix("secrets cannot be kept in the keyring: ")
            if "no OS keyring was found" in reason or self.keyring.backend == "unavailable":
                return f"no keyring on this machine: {count} {noun} cannot be looked up: {listed}"
            return (
                f"no usable keyring on this machine ({reason}): {count} {noun} cannot be "
                f"looked up: {listed}"
            )
        if self.failure:
            return (
                f"the keyring could not be read ({self.failure}): {count} {noun} cannot be "
                f"looked up: {listed}"
            )
        verb = "is" if count == 1 else "are"
        return (
            f"{count} {noun} named on the contact card {verb} in neither the keyring nor "
            f"the environment: {listed}"
        )

    def what_to_do(self) -> str:
        """The fix, in one sentence: `cockpit secrets set NAME`, or the environment."""
        env = f"COCKPIT_SECRET_<NAME> (e.g. {env_var_name(self.names[0])})" if self.names else ""
        if not self.keyring.usable:
            return (
                f"set {env} in the environment before starting the cockpit, or set up an OS "
                "keyring and store each with: cockpit secrets set NAME"
            )
        if self.failure:
            return (
                "unlock the keyring (log in to the desktop session) and check with: cockpit "
                f"secrets list --contacts CARD; or set {env} in the environment"
            )
        return (
            "store each with: cockpit secrets set NAME "
            "(check: cockpit secrets list --contacts CARD)"
        )


def missing_secrets(names: Iterable[str]) -> MissingSecrets:
    """Which of `names` neither the keyring nor the environment can supply.

    Never raises and never returns or keeps a value: each lookup's answer is only tested
    for being there. A keyring that is absent, refused or failing is said in the result
    (`keyring`, `failure`), so the caller can say why rather than show a traceback.
    """
    wanted = [name for name in dict.fromkeys(names) if NAME_PATTERN.match(name)]
    try:
        status = keyring_status()
    except Exception as error:  # keyring missing or broken on import: no keyring at all
        status = KeyringStatus(
            False,
            "unavailable",
            f"the keyring could not be loaded ({type(error).__name__})\n{WHAT_TO_DO}",
        )
    missing: list[str] = []
    failure = ""
    backend: KeyringBackend | None = None
    if status.usable:
        try:
            backend = _backend()
        except Exception as error:
            failure = type(error).__name__
    for name in wanted:
        if os.environ.get(env_var_name(name)):
            continue
        found = False
        if backend is not None and not failure:
            try:
                found = bool(backend.get_password(SERVICE, name))
            except Exception as error:  # locked or failing: its text may hold anything
                failure = type(error).__name__
        if not found:
            missing.append(name)
    return MissingSecrets(tuple(missing), status, failure if missing else "")


def known_names() -> list[str]:
    """Secret names set through the cockpit (from the keyring) or in the environment.

    The OS keyring cannot list a service's entries, so the cockpit keeps the names (never
    the values) in one more keyring entry. Sorted; empty when nothing is known.
    """
    names: set[str] = set()
    with contextlib.suppress(Exception):
        names.update(_read_index(_backend()))
    for variable, value in os.environ.items():
        if variable.startswith(ENV_PREFIX) and value:
            candidate = variable[len(ENV_PREFIX) :].lower().replace("_", "-")
            if NAME_PATTERN.match(candidate):
                names.add(candidate)
    return sorted(names)


def _read_index(backend: KeyringBackend) -> list[str]:
    raw = backend.get_password(SERVICE, _INDEX_ENTRY)
    if not raw:
        return []
    try:
        names = json.loads(raw)
    except ValueError:
        return []
    if not isinstance(names, list):
        return []
    return [n for n in names if isinstance(n, str) and NAME_PATTERN.match(n)]


def _update_index(backend: KeyringBackend, *, add: str = "", remove: str = "") -> None:
    """Best effort: the index only helps `secrets list`; a failure loses nothing."""
    with contextlib.suppress(Exception):
        names = set(_read_index(backend))
        names.discard(remove)
        if add:
            names.add(add)
        backend.set_password(SERVICE, _INDEX_ENTRY, json.dumps(sorted(names)))


# ---- the session's memory -------------------------------------------------------------


class SessionSecrets:
    """Secrets typed in during this session (a password field), kept in memory only.

    `get` answers from memory first, then keyring and environment (`get_secret`). The
    object never shows a value in its repr, and is never pickled or written anywhere.
    """

    def __init__(self) -> None:
        self._values: dict[str, str] = {}

    def remember(self, name: str, value: str) -> None:
        """Keep a value typed by the user for the rest of the session."""
        check_name(name)
        if value:
            self._values[name] = value

    def forget(self, name: str) -> None:
        """Drop a remembered value (a wrong PIN typed)."""
        self._values.pop(name, None)

    def get(self, name: str) -> SecretLookup:
        """The value and its source: session memory, keyring, environment, or missing."""
        if name in self._values:
            return SecretLookup(self._values[name], "session")
        return get_secret(name)

    def __repr__(self) -> str:
        return f"SessionSecrets(names={sorted(self._values)!r})"

    def __reduce__(self) -> NoReturn:  # never pickled, so never written by accident
        raise TypeError("session secrets are kept in memory only")
