"""Secret values pasted into free text are journaled by name, never by value.

A DE reveals or copies a carrier PIN, then types a note ("ported with PIN 48213377") or
pastes it into a blocker. The journal is kept for the debrief and shared with the senior
DE, so the value must not reach it. The cockpit knows every value it revealed or copied in
this process (`KnownSecrets`, memory only, never written); before a command is decided,
its free-text fields have each such value replaced by `[secret: NAME]`, and the caller
tells the DE which names were replaced.

Values shorter than `MIN_SECRET_LENGTH` characters are not replaced: a two-digit PIN "12"
would eat every "12" in every note (times, step numbers, ticket ids), and a value that
short is no real secret. A longer value is replaced wherever it appears, even inside a
longer word or number: a false match costs a note a few characters, a missed one leaks
the secret — and the DE is told either way.
"""

from __future__ import annotations

import re
from dataclasses import replace

from . import commands as cmd

#: Shorter values are not replaced (see the module's docstring).
MIN_SECRET_LENGTH = 4

#: A replacement already made: never replaced again (retries redact the same command).
_PLACEHOLDER = r"\[secret: [^\]\n]{1,64}\]"


def placeholder(name: str) -> str:
    """What stands in the journal where a secret's value was typed."""
    return f"[secret: {name}]"


class KnownSecrets:
    """Secret values this process revealed or copied, by value → name. Memory only.

    Never written anywhere, never shown: it exists only so that a value typed back into
    the cockpit is caught before it is journaled.
    """

    __slots__ = ("_names", "_pattern")

    def __init__(self) -> None:
        self._names: dict[str, str] = {}
        self._pattern: re.Pattern[str] | None = None

    def __repr__(self) -> str:  # never the values, even in a traceback
        return f"KnownSecrets({len(self._names)} values)"

    def __len__(self) -> int:
        return len(self._names)

    def remember(self, name: str, value: str) -> None:
        """Catch `value` from now on (and its stripped form, as pastes lose spaces)."""
        for form in {value, value.strip()}:
            if len(form) >= MIN_SECRET_LENGTH:
                self._names[form] = name
        self._pattern = None

    def redact_text(self, text: str) -> tuple[str, tuple[str, ...]]:
        """`text` with every known value replaced by its placeholder, and the names
        replaced (in order of first appearance, without repeats)."""
        if not self._names or not text:
            return text, ()
        if self._pattern is None:
            # Longest first, so a value that contains another is replaced whole; one
            # pass, so a replacement is never searched again.
            values = sorted(self._names, key=len, reverse=True)
            self._pattern = re.compile(
                "|".join([f"({_PLACEHOLDER})", *(re.escape(value) for value in values)])
            )
        found: list[str] = []

        def swap(match: re.Match[str]) -> str:
            if match.group(1) is not None:
                return match.group(0)
            name = self._names[match.group(0)]
            found.append(name)
            return placeholder(name)

        redacted = self._pattern.sub(swap, text)
        return redacted, tuple(dict.fromkeys(found))

    def redact(self, command: cmd.Command) -> tuple[cmd.Command, tuple[str, ...]]:
        """`command` with its free text redacted, and the names replaced.

        The same object comes back when nothing was replaced; a changed copy keeps the
        command's id, so a retried command still writes its events once.
        """
        fields = type(command).free_text
        changes: dict[str, str] = {}
        names: list[str] = []
        for field_name in fields:
            text = getattr(command, field_name)
            redacted, found = self.redact_text(text)
            if found:
                changes[field_name] = redacted
                names += found
        if not changes:
            return command, ()
        return replace(command, **changes), tuple(dict.fromkeys(names))
