"""Text helpers for imported lines and values.

Safe field text (`clean_text`, `field_line`), ids (`slug`, `unique_id`), tidy titles, and
what a line says besides its title: its owners ("Owner: X", "@X", "[X]"), a point of no
return, a go/no-go.
"""

from __future__ import annotations

import re
import unicodedata

from cockpit.importers.durations import find_durations
from cockpit.text import without_control_characters

#: Longest text a runbook field holds (the format's limit).
MAX_TEXT = 10_000

#: What an imported field drops besides what every file refuses (`cockpit.text`): a
#: zero-width space, a byte-order mark, lone surrogates.
_INVISIBLE = re.compile(r"[\u200b\ufeff\ud800-\udfff]")


def clean_text(text: str) -> str:
    """Text a runbook field accepts: what a file may not hold removed, NFC, stripped.

    Removed, not escaped as the outputs do: the TOML the importer writes must load.
    """
    text = _INVISIBLE.sub("", without_control_characters(text.replace("\r\n", "\n")))
    return unicodedata.normalize("NFC", text).strip()[:MAX_TEXT].strip()


def command_text(text: str) -> str:
    """A command from imported text: cleaned, its tabs turned into spaces (a command is a
    one-line field, which a runbook file may not hold a tab in); the rest kept as written."""
    return clean_text(text).expandtabs(8).strip()


def block_text(text: str) -> str:
    """A command as written, byte for byte: a code block keeps its lines, indentation and
    tabs; only what no runbook file may hold (escape sequences, invisible characters) is
    removed, and the last line break."""
    kept = _INVISIBLE.sub("", without_control_characters(text.replace("\r\n", "\n")))
    return kept.rstrip("\n")[:MAX_TEXT] if kept.strip() else ""


def field_line(text: str) -> str:
    """A one-line field from imported text: cleaned, whitespace collapsed (not escaped,
    unlike `cockpit.text.one_line`, which is for showing text)."""
    return " ".join(clean_text(text).split())[:MAX_TEXT]


def slug(text: str, fallback: str) -> str:
    """An identifier from text: lower-case words joined by '-', at most 40 characters."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    result = ""
    for word in words:
        candidate = f"{result}-{word}" if result else word
        if len(candidate) > 40:
            break
        result = candidate
    if not result and words:
        result = words[0][:40]
    return result or fallback


def unique_id(base: str, used: set[str]) -> str:
    """`base`, or `base-2`, `base-3`… whichever is free; remembered in `used`."""
    candidate = base[:60]
    number = 2
    while candidate in used:
        candidate = f"{base[:56]}-{number}"
        number += 1
    used.add(candidate)
    return candidate


def strip_span(text: str, start: int, end: int) -> str:
    """`text` without `text[start:end]` (and the brackets around it), tidied."""
    removed, before, after = text[start:end], text[:start], text[end:]
    if removed.lstrip()[:1] in ("(", "[") and after.lstrip()[:1] in (")", "]"):
        after = after.lstrip()[1:]
    elif before.rstrip()[-1:] in ("(", "[") and after.lstrip()[:1] in (")", "]"):
        before = before.rstrip()[:-1]
        after = after.lstrip()[1:]
    return tidy_title(f"{before} {after}")


def tidy_title(text: str) -> str:
    """Collapse spaces and drop separators left dangling at the ends."""
    text = " ".join(text.split())
    text = re.sub(r"\(\s*\)|\[\s*\]", "", text)
    # A space before a separator left by a removed span goes, but not the space before
    # ".env" or "./bin/tool": that is the text itself.
    text = re.sub(r"\s+([,;:.)])(?=\s|$)", r"\1", text)
    return " ".join(text.split()).strip(" -–—|,;:·•*_")


# ---- owners --------------------------------------------------------------------------------------

_OWNER_KEY = re.compile(
    r"\b(?:owner|owned by|responsible|assignee|assigned to|who)\s*[:=]\s*"
    r"(?P<owner>[^;,()\[\]|]+?)\s*(?=$|[;,()\[\]|]|\s[-–—]\s)",
    re.IGNORECASE,
)
_AT_OWNER = re.compile(r"(?<![\w.])@(?P<owner>[A-Za-z][\w.\-]*[\w])")
_BRACKET_OWNER = re.compile(r"\[(?P<owner>[A-Za-z][\w .&/,\-]{0,40})\](?![(:])")
#: "This is normally done by the docs team": the team that does it, as written.
_DONE_BY = re.compile(
    r"\b(?:this is |it is |is )?(?:normally |usually |typically |always )?"
    r"(?:done|handled|performed|owned|run|driven) by (?:the )?"
    r"(?P<owner>[A-Za-z][\w\-]*(?: [A-Za-z][\w\-]*){0,2} (?:team|lead|owner|manager))\b",
    re.IGNORECASE,
)


def take_owners(text: str) -> tuple[list[str], str]:
    """Owners written as "Owner: X", "@X" or "[X]", and the text without them."""
    owners: list[str] = []
    for pattern in (_OWNER_KEY, _AT_OWNER, _BRACKET_OWNER, _DONE_BY):
        while True:
            match = pattern.search(text)
            if match is None:
                break
            owner = match.group("owner").strip().strip("*_`")
            if pattern is _BRACKET_OWNER and (owner.lower() in ("x", " ") or find_durations(owner)):
                # "[x]" is a ticked box and "[15m]" a duration, not an owner.
                text = text[: match.start()] + f"\x00{owner}\x01" + text[match.end() :]
                continue
            if owner and owner not in owners:
                owners.append(owner)
            text = f"{text[: match.start()]} {text[match.end() :]}"
    text = text.replace("\x00", "[").replace("\x01", "]")
    return owners, tidy_title(text)


# ---- the point of no return and go/no-go ---------------------------------------------------------

PONR = re.compile(r"point[\s-]+of[\s-]+no[\s-]+return|\bPONR\b|\bno way back\b", re.IGNORECASE)
GATE = re.compile(
    r"go\s*/\s*no[\s-]*go|\bgo[\s-]+no[\s-]*go\b|\bgo or no[\s-]*go\b|^\W*gate\b|"
    r"^\W*checkpoint\b|\bdecision point\b",
    re.IGNORECASE,
)


def strip_ponr(text: str) -> str:
    """A title without its point-of-no-return marker ("— POINT OF NO RETURN", "**PONR**")."""
    return tidy_title(PONR.sub("", text).replace("**", "").replace("⚠️", "").replace("⚠", ""))
