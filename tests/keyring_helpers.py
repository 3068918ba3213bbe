"""Keyrings for tests: no test reads or writes the real OS keyring.

`tests/conftest.py` gives every test an empty `MemoryKeyring` (and subprocesses keyring's
`fail` backend); a test about a prepared machine — every secret its card names already
stored — asks for `card_secrets_stored`, which uses `StoredForEveryName`.
"""

from __future__ import annotations

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError


class MemoryKeyring(KeyringBackend):
    """A keyring in a dict. Negative priority: keyring's own detection never picks it."""

    priority = -1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if (service, username) not in self.store:
            raise PasswordDeleteError(username)
        del self.store[(service, username)]


class StoredForEveryName(MemoryKeyring):
    """A machine the DE prepared: every secret a card may name is stored (a dummy value),
    except a name starting with `unstored-`: the one a test says the DE forgot."""

    def get_password(self, service: str, username: str) -> str | None:
        if ":" in username or username.startswith("unstored-"):  # ":": the cockpit's index
            return super().get_password(service, username)
        return super().get_password(service, username) or f"stored-{username}"
