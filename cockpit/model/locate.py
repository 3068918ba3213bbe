"""Find the line of a key in a TOML document.

`tomllib` gives values but no positions, and a user fixing a runbook needs the line. This
scanner walks the text once and records the line where each table, array-of-tables
element, key and array item begins, keyed by the same path tuples pydantic uses in error
locations (`("steps", 3, "minutes")`, `("steps", 3, "verify", 1)`).

It reads characters, not lines, because the places where a line-based guess goes wrong
are exactly the ones runbooks are full of: several array items on one line, an inline
table inside a multi-line array, a `[` or `#` inside a string, multi-line strings. It only
needs to be right for files that parsed, and it must never fail on any text: every loop
advances, nesting is capped, and anything it does not understand is skipped.
"""

from __future__ import annotations

import tomllib
from bisect import bisect_right

Path = tuple[str | int, ...]

#: Deeper values than this are not mapped (tomllib refuses far less already).
_MAX_DEPTH = 64
_BARE_KEY = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


class _Scanner:
    """One pass over a TOML text, recording where each path starts."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.end = len(text)
        self.newlines = [index for index, char in enumerate(text) if char == "\n"]
        self.lines: dict[Path, int] = {}
        self.array_counts: dict[tuple[str, ...], int] = {}

    # ---- helpers ---------------------------------------------------------------------

    def line_at(self, pos: int) -> int:
        """1-based line of a character offset."""
        return bisect_right(self.newlines, pos - 1) + 1

    def record(self, path: Path, pos: int) -> None:
        """Remember where `path` starts; the first definition wins."""
        if path:
            self.lines.setdefault(path, self.line_at(pos))

    def peek(self, offset: int = 0) -> str:
        index = self.pos + offset
        return self.text[index] if index < self.end else ""

    def skip_space(self, newlines: bool) -> None:
        """Skip blanks (and newlines and comments when `newlines`)."""
        while self.pos < self.end:
            char = self.text[self.pos]
            if char in " \t\r" or (newlines and char == "\n"):
                self.pos += 1
            elif char == "#" and newlines:
                self.skip_to_eol()
            else:
                return

    def skip_to_eol(self) -> None:
        newline = self.text.find("\n", self.pos)
        self.pos = self.end if newline < 0 else newline

    # ---- keys and strings ------------------------------------------------------------

    def read_string(self) -> str:
        """Read one string of any of TOML's four kinds; returns its raw content."""
        text = self.text
        if text.startswith('"""', self.pos) or text.startswith("'''", self.pos):
            quote = text[self.pos : self.pos + 3]
            start = self.pos = self.pos + 3
            while self.pos < self.end:
                if quote[0] == '"' and text[self.pos] == "\\":
                    self.pos += 2
                    continue
                if text.startswith(quote, self.pos):
                    content = text[start : self.pos]
                    self.pos += 3
                    # Up to two more quotes may close the string (`""""` ends with one).
                    for _ in range(2):
                        if self.peek() == quote[0]:
                            self.pos += 1
                    return content
                self.pos += 1
            return text[start:]
        quote = text[self.pos]
        start = self.pos = self.pos + 1
        while self.pos < self.end:
            char = text[self.pos]
            if char == "\\" and quote == '"':
                self.pos += 2
                continue
            if char == quote:
                self.pos += 1
                return text[start : self.pos - 1]
            if char == "\n":  # unterminated: stop at the line's end
                return text[start : self.pos]
            self.pos += 1
        return text[start:]

    def read_key(self) -> list[str]:
        """A dotted key (`a."b c".d`); an empty list when there is none here."""
        parts: list[str] = []
        while self.pos < self.end:
            self.skip_space(newlines=False)
            char = self.peek()
            if char == '"':
                parts.append(_decoded_key(self.read_string()))
            elif char == "'":
                parts.append(self.read_string())
            elif char in _BARE_KEY and char:
                start = self.pos
                while self.pos < self.end and self.text[self.pos] in _BARE_KEY:
                    self.pos += 1
                parts.append(self.text[start : self.pos])
            else:
                return parts
            self.skip_space(newlines=False)
            if self.peek() != ".":
                return parts
            self.pos += 1
        return parts

    # ---- values ----------------------------------------------------------------------

    def read_value(self, path: Path, depth: int) -> None:
        """Skip one value, recording array items and inline-table keys under `path`."""
        self.skip_space(newlines=False)
        char = self.peek()
        if char and char in "\"'":  # "" (the end of the text) is in every string
            self.read_string()
        elif char == "[" and depth < _MAX_DEPTH:
            self.read_array(path, depth)
        elif char == "{" and depth < _MAX_DEPTH:
            self.read_inline_table(path, depth)
        else:
            # A number, date, boolean (or something unreadable): up to a delimiter.
            while self.pos < self.end and self.text[self.pos] not in ",]}\n#":
                self.pos += 1

    def read_array(self, path: Path, depth: int) -> None:
        self.pos += 1  # the "["
        index = 0
        while self.pos < self.end:
            self.skip_space(newlines=True)
            char = self.peek()
            if char == "]":
                self.pos += 1
                return
            if char == ",":
                self.pos += 1
                continue
            if not char:
                return
            before = self.pos
            self.record((*path, index), self.pos)
            self.read_value((*path, index), depth + 1)
            index += 1
            if self.pos == before:  # not a value: step over it rather than loop
                self.pos += 1

    def read_inline_table(self, path: Path, depth: int) -> None:
        self.pos += 1  # the "{"
        while self.pos < self.end:
            self.skip_space(newlines=True)
            char = self.peek()
            if char == "}":
                self.pos += 1
                return
            if char == ",":
                self.pos += 1
                continue
            if not char:
                return
            start = self.pos
            parts = self.read_key()
            self.skip_space(newlines=False)
            if not parts or self.peek() != "=":
                self.pos = max(self.pos, start + 1)
                continue
            self.pos += 1
            key_path = (*path, *parts)
            self.record(key_path, start)
            self.read_value(key_path, depth + 1)

    # ---- statements ------------------------------------------------------------------

    def run(self) -> dict[Path, int]:
        current: Path = ()
        while self.pos < self.end:
            self.skip_space(newlines=True)
            if self.pos >= self.end:
                break
            start = self.pos
            if self.peek() == "[":
                is_array = self.peek(1) == "["
                self.pos += 2 if is_array else 1
                parts = self.read_key()
                if parts:
                    if is_array:
                        key = tuple(parts)
                        self.array_counts[key] = self.array_counts.get(key, 0) + 1
                    current = self._resolve(parts)
                    # Record every prefix too: `[[steps]]` also starts the list `steps`,
                    # which is where "unknown key 'steps'" in a contact card points.
                    for end in range(1, len(current) + 1):
                        self.record(current[:end], start)
                self.skip_to_eol()
                continue
            parts = self.read_key()
            self.skip_space(newlines=False)
            if parts and self.peek() == "=":
                self.pos += 1
                path = (*current, *parts)
                for end in range(len(current) + 1, len(path) + 1):
                    self.record(path[:end], start)
                self.read_value(path, 1)
            self.skip_space(newlines=False)
            if self.pos == start:
                self.pos += 1
            if self.peek() not in ("\n", "#", ""):
                self.skip_to_eol()
        return self.lines

    def _resolve(self, parts: list[str]) -> Path:
        """Header parts as a path, with the index of each array-of-tables prefix."""
        path: list[str | int] = []
        for depth in range(len(parts)):
            path.append(parts[depth])
            prefix = tuple(parts[: depth + 1])
            if prefix in self.array_counts:
                path.append(self.array_counts[prefix] - 1)
        return tuple(path)


def _decoded_key(raw: str) -> str:
    """A quoted key's escapes decoded (`"Port\\u001bPIN"`), as pydantic and tomllib see it.

    Without this a key with an escape would only be found at its table's line. The raw
    text is kept when it does not decode (the file parsed, so that is the scanner's slip).
    """
    if "\\" not in raw:
        return raw
    try:
        value = tomllib.loads(f'k = "{raw}"')["k"]
    except (tomllib.TOMLDecodeError, RecursionError, ValueError):
        return raw
    return value if isinstance(value, str) else raw


def line_map(text: str) -> dict[Path, int]:
    """Map every table, array element, key and array item path to its 1-based line."""
    try:
        return _Scanner(text).run()
    except RecursionError:  # pragma: no cover - depth is capped; belt and braces
        return {}


def find_line(lines: dict[Path, int], location: Path) -> int | None:
    """The line of the longest prefix of `location` that the document has."""
    for end in range(len(location), 0, -1):
        found = lines.get(tuple(location[:end]))
        if found is not None:
            return found
    return None
