"""Find the line of a key in a TOML document.

`tomllib` gives values but no positions, and a user fixing a runbook needs the line. This
scanner walks the text once and records the line where each table, array-of-tables
element and key begins, keyed by the same path tuples pydantic uses in error locations
(`("steps", 3, "minutes")`). It only needs to be right for files that parsed, so it can be
simple: no value is interpreted, only where things start.
"""

from __future__ import annotations

import re

Path = tuple[str | int, ...]

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"""^\s*((?:"[^"]*"|'[^']*'|[A-Za-z0-9_-]+)(?:\s*\.\s*(?:"[^"]*"|'[^']*'|[A-Za-z0-9_-]+))*)\s*=""")
_KEY_PART = re.compile(r""""([^"]*)"|'([^']*)'|([A-Za-z0-9_-]+)""")


def _split_key(text: str) -> list[str]:
    return [a or b or c for a, b, c in _KEY_PART.findall(text)]


def line_map(text: str) -> dict[Path, int]:
    """Map every table, array element and key path to its 1-based line number."""
    lines: dict[Path, int] = {}
    array_counts: dict[tuple[str, ...], int] = {}
    current: Path = ()
    open_array: Path | None = None  # a multi-line array value being read
    array_depth = 0
    array_items = 0
    in_string: str | None = None

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw
        if in_string is not None:
            if line.count(in_string) % 2 == 1:
                in_string = None
            continue
        if open_array is not None:
            stripped = line.strip()
            if array_depth == 1 and stripped[:1] in {"{", '"', "'", "["} or (
                array_depth == 1 and stripped[:1].isdigit()
            ):
                lines.setdefault((*open_array, array_items), number)
                array_items += 1
            array_depth += _bracket_balance(line)
            if array_depth <= 0:
                open_array = None
            continue
        header = _HEADER.match(line)
        if header and "=" not in header.group(2):
            parts = _split_key(header.group(2))
            if header.group(1) == "[[":
                key = tuple(parts)
                array_counts[key] = array_counts.get(key, 0) + 1
            current = _resolve(parts, array_counts)
            lines.setdefault(current, number)
            continue
        key = _KEY.match(line)
        if key:
            path = (*current, *_split_key(key.group(1)))
            lines.setdefault(path, number)
            value = line[key.end() :]
            for quote in ('"""', "'''"):
                if value.count(quote) % 2 == 1:
                    in_string = quote
                    break
            balance = _bracket_balance(value)
            if value.lstrip().startswith("[") and balance > 0:
                open_array, array_depth, array_items = path, balance, 0
    return lines


def _resolve(parts: list[str], array_counts: dict[tuple[str, ...], int]) -> Path:
    """Turn header parts into a path, inserting the index of each array-of-tables prefix."""
    path: list[str | int] = []
    for depth in range(len(parts)):
        path.append(parts[depth])
        prefix = tuple(parts[: depth + 1])
        if prefix in array_counts:
            path.append(array_counts[prefix] - 1)
    return tuple(path)


def _bracket_balance(text: str) -> int:
    """Open minus closed square brackets outside strings and comments."""
    balance = 0
    quote: str | None = None
    for char in text:
        if quote:
            if char == quote:
                quote = None
        elif char in "\"'":
            quote = char
        elif char == "#":
            break
        elif char == "[":
            balance += 1
        elif char == "]":
            balance -= 1
    return balance


def find_line(lines: dict[Path, int], location: Path) -> int | None:
    """The line of the longest prefix of `location` that the document has."""
    for end in range(len(location), 0, -1):
        found = lines.get(tuple(location[:end]))
        if found is not None:
            return found
    return None
