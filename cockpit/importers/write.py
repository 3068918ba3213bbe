"""Writing the imported runbook: tomli-w output, TODO comments, checked by parsing again."""

from __future__ import annotations

import re
import tomllib

from cockpit.importers.draft import ImportResult


def to_toml(result: ImportResult) -> str:
    """The runbook as TOML: written by tomli-w, then commented where a value is a placeholder.

    The comments are added line by line after writing, and the result is parsed again and
    compared with the data: if a comment could have changed a value, the plain tomli-w
    text is returned instead (with the header comment only).
    """
    import tomli_w

    from cockpit.model.locate import line_map

    plain = tomli_w.dumps(result.data, multiline_strings=True)
    header = [
        f"# Imported from {result.source.name} by `cockpit import`.",
        "#",
        "# Values marked TODO are placeholders the source did not say. Fill them in, add",
        "# what `cockpit check` asks for (contact card, communications, rollbacks…), and run",
        "#   cockpit check THIS-FILE.toml",
        "# until it passes.",
        "",
    ]
    lines = plain.split("\n")
    positions = line_map(plain)
    for location, comment in result.comments.items():
        number = positions.get(location)
        if number is None or not 1 <= number <= len(lines):
            continue
        line = lines[number - 1]
        if re.fullmatch(r"[A-Za-z0-9_\-\"]+ = [^#\n]*", line) and '"""' not in line:
            lines[number - 1] = f"{line}  # {comment}"
    commented = "\n".join(header + lines)
    try:
        if tomllib.loads(commented) == tomllib.loads(plain):
            return commented
    except tomllib.TOMLDecodeError:
        pass
    return "\n".join(header) + plain
