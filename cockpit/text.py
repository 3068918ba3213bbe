"""Text from files and people, made safe to show: one policy for every output.

A runbook, a contact card or a note can hold anything pasted from a wiki, a ticket or a
chat at 3 a.m.: escape sequences that retitle the terminal or overwrite its clipboard,
bidirectional overrides that show a command backwards, NULs. Files are refused at load
when they hold control characters (`control_characters`, used by the loaders); whatever
still reaches an output (an old journal, an imported document, a typed note) goes
through `visible`, which shows each such character as an escape (`\\x1b`, `\\u202e`)
instead of passing it on. Every writer — the screen, the log, the reports, the paper
copy, the exit line — uses this module, so the policy lives in one place.

The same goes for how the cockpit writes a time of day and a duration: `clock_time` for
a local time (the repeated hour of a fall-back night named), `compact_minutes` for the
screen's `1h05m`, `report_minutes` for the reports' `65 min`. Distinct formats have
distinct names, so a panel and a report cannot call the same name and mean two things.

No Textual here: the core and the reports use it too. Putting text on the *screen* also
means never reading it as markup; that is `cockpit.tui.safe_text`'s job.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, tzinfo

#: Characters a file may not hold anywhere: C0 controls (newline and tab are judged by
#: the field), DEL, C1 controls, and the bidirectional embeddings, overrides and isolates
#: and line/paragraph separators that make text show other than it reads.
_REFUSED = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_REFUSED_KEEPING_LINES = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


def _shown_as_is(character: str) -> bool:
    """Printable characters, and every kind of space (a pasted no-break space is text)."""
    return character.isprintable() or unicodedata.category(character) == "Zs"


def escape_character(character: str) -> str:
    """`\\x1b` for a character below 256, `\\u202e` above: what it is, visibly."""
    code = ord(character)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def shown_character(character: str) -> str:
    """One character as it is shown: itself, or escaped (a line break and a tab as is)."""
    if character in "\n\t" or _shown_as_is(character):
        return character
    return escape_character(character)


def visible(text: str, *, newlines: bool = True) -> str:
    """`text` with every character that could drive a terminal or hide itself escaped.

    With `newlines`, line breaks are kept (a carriage return becomes one) and a tab
    becomes four spaces; without, the text becomes one line: a line break shows as ` ⏎ `
    (a log line, a table cell, a title) and a tab as a space.
    """
    if text.isprintable():
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\t", "    " if newlines else " ")
    if not newlines:
        text = text.replace("\n", " ⏎ ")
    return "".join(map(shown_character, text))


def one_line(text: str) -> str:
    """`visible(text, newlines=False)`: for titles, cells and log lines."""
    return visible(text, newlines=False)


def without_control_characters(text: str) -> str:
    """`text` without the characters a file may not hold (line breaks and tabs kept):
    for text that becomes a file's content (an import), where escaping would not do."""
    return _REFUSED_KEEPING_LINES.sub("", text)


def control_characters(text: str, *, newlines_allowed: bool) -> list[tuple[int, str]]:
    """Where `text` holds characters a file may not: (index, the character escaped).

    Tabs and newlines are allowed only where the field is prose (instructions, message
    texts); a carriage return before a newline is a Windows line end and is allowed with
    newlines.
    """
    pattern = _REFUSED_KEEPING_LINES if newlines_allowed else _REFUSED
    found: list[tuple[int, str]] = []
    for match in pattern.finditer(text):
        character = match.group()
        if newlines_allowed and character == "\r" and text[match.end() : match.end() + 1] == "\n":
            continue
        if not newlines_allowed and character == "\t":
            found.append((match.start(), "a tab"))
            continue
        if character == "\n":
            found.append((match.start(), "a line break"))
            continue
        found.append((match.start(), escape_character(character)))
    return found


#: What already ends a sentence, and the closing quotes that may follow it ('said "no."').
_SENTENCE_ENDS = (".", "!", "?", "…")
_CLOSING_QUOTES = "\"'”’»"


def sentence(text: str) -> str:
    """`text` ending in one full stop: a period is added only when it does not already
    end in . ! ? or … (before any closing quote), so a reason typed as "Carrier late."
    does not get a second one. Trailing spaces go; an empty text stays empty. Every
    report, log and notice that ends a sentence with a person's words uses this."""
    text = text.rstrip()
    if not text or text.rstrip(_CLOSING_QUOTES).endswith(_SENTENCE_ENDS):
        return text
    return text + "."


def clock_time(moment: datetime, zone: tzinfo, *, seconds: bool = False) -> str:
    """Local HH:MM (HH:MM:SS with `seconds`) of an aware moment; in an hour a fall-back
    night repeats, with the zone's abbreviation ("01:30 CDT", then "01:30 CST"), so the
    two are never confused. Every local time of a moment the cockpit shows — the screen,
    the log, the debrief, the paper — is written by this function."""
    local = moment.astimezone(zone)
    shown = f"{local:%H:%M:%S}" if seconds else f"{local:%H:%M}"
    other = local.replace(fold=1 - local.fold)
    if other.utcoffset() != local.utcoffset():
        return f"{shown} {local.tzname()}"
    return shown


def date_time(moment: datetime, zone: tzinfo) -> str:
    """Local `2026-12-02 01:00` of an aware moment, the time as `clock_time` writes it:
    for a moment a day or more away (a notice sent days before the window)."""
    return f"{moment.astimezone(zone):%Y-%m-%d} {clock_time(moment, zone)}"


# ---- durations -------------------------------------------------------------------------------
#
# Two formats, two names: the screen counts down in a narrow panel ("1h05m"); the reports
# and the paper add minutes up and compare them with a plan ("65 min", "+12.5 min").


def compact_minutes(minutes: float | None) -> str:
    """A duration for the screen, rounded to the minute: `12m`, `1h05m`, `-3m`; `—` for
    None. Short enough for a countdown or a timeline row at 80 columns."""
    if minutes is None:
        return "—"
    whole = round(minutes)
    sign = "-" if whole < 0 else ""
    whole = abs(whole)
    return f"{sign}{whole // 60}h{whole % 60:02d}m" if whole >= 60 else f"{sign}{whole}m"


def report_minutes(minutes: float | None) -> str:
    """A duration for a report or the paper, in minutes to a tenth: `41 min`, `30.5 min`
    (whole minutes without decimals), `—` for None. Minutes, not hours, so planned and
    actual figures read side by side and add up."""
    if minutes is None:
        return "—"
    rounded = round(minutes, 1)
    if rounded == int(rounded):
        return f"{int(rounded)} min"
    return f"{rounded:.1f} min"


def signed_report_minutes(minutes: float | None) -> str:
    """A variance in `report_minutes`: `+42 min`, `-3 min`, `0 min`, `—` for None."""
    if minutes is None:
        return "—"
    rounded = round(minutes, 1)
    if rounded == 0:
        return "0 min"
    return ("+" if rounded > 0 else "-") + report_minutes(abs(rounded))
