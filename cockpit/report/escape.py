"""Text from files and the night, safe in a report: the one escaping policy of every
Markdown and HTML page the cockpit writes (the debrief and the paper copy).

Control characters are first made visible (`cockpit.text.visible`), in every format.
Then, for each format, one function:

* `md` (and `md_block` for text that keeps its lines): whatever Markdown (CommonMark and
  GitHub's flavour) would act on is escaped, so text prints as written: no link, image,
  autolink or raw HTML can come out of a note or a title (`[`, `]`, `<`, `>` and
  `&`-entities are escaped), no emphasis, code span or table cell break (`*`, `_`,
  `` ` ``, `|`, `~`), and no list item, heading, quote or rule at the start of a line
  (`-`, `+`, `#`, `>`, `1.`). A line break inside one-line text becomes ` ⏎ `, so a
  verify item cannot start a new, pre-ticked `- [x]` item.
* `html_text`: `&`, `<`, `>` and both quotes become entities, so text is safe in element
  content and in a quoted attribute alike.

The writers (`cockpit.report.writers`) call these on every piece of text from a file or
the night (`document.Said`); the report's own words are written as they are.
"""

from __future__ import annotations

import re

from cockpit.text import visible

# ---- Markdown -------------------------------------------------------------------------------

#: Characters Markdown may act on anywhere in a line.
_INLINE = re.compile(r"([\\`*_\[\]<>|~])")
#: What Markdown may act on at the start of a line: a quote (`>`), a bullet (`-`, `+`
#: and a space), a heading (`#` to `######` and a space), a numbered item (`1.` or `1)`
#: and a space), a rule or a heading underline (`---`, `===`). Only these: a phone number
#: `+1 312 …` or `#hashtag` is not a block, and a backslash in it would be misread on paper.
_LINE_START = re.compile(
    r"^(\s*)(>|[-+](?=\s|$)|#{1,6}(?=\s|$)|-(?=[-\s]*$)|=(?=[=\s]*$)|\d{1,9}(?=[.)](?:\s|$)))"
)
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
#: Text `md` and `md_block` leave as it is (most notes): nothing `_escape_line` would
#: change — no special character, line break or tab, no marker at the start of the line,
#: no space at either end. One pass of a character set, not a search for each case.
_PLAIN = re.compile(r"(?!\s|[-+=#>]|\d+[.)])[^\\`*_\[\]<>|~&\n\r\t]*(?<!\s)")


def md(text: str) -> str:
    """One line of user text, safe inside a Markdown paragraph, list item or table cell."""
    if text.isprintable() and _PLAIN.fullmatch(text):
        return text
    lines = [line for line in visible(text).split("\n") if line.strip()]
    return " ⏎ ".join(_escape_line(line) for line in lines)


def md_block(text: str, indent: str) -> str:
    """Multi-line user text kept as lines (hard breaks), continuing a list item."""
    if text.isprintable() and _PLAIN.fullmatch(text):
        return text
    lines = [line for line in visible(text).split("\n") if line.strip()]
    return ("\\\n" + indent).join(_escape_line(line.strip()) for line in lines)


def _escape_line(line: str) -> str:
    line = _ENTITY.sub(r"\\&", _INLINE.sub(r"\\\1", line))
    match = _LINE_START.match(line)
    if match:
        lead, marker = match.group(1), match.group(2)
        if marker.isdigit():  # "1." or "1)" would start a numbered list
            end = match.end()
            line = f"{line[:end]}\\{line[end:]}"
        else:
            line = f"{lead}\\{line[len(lead) :]}"
    return line


# ---- HTML -----------------------------------------------------------------------------------

#: The characters `html_text` changes: printable text with none of them is written as is.
_HTML_SPECIAL = re.compile(r"[&<>\"']")


def html_text(text: str) -> str:
    """User text, safe anywhere in HTML element content or a quoted attribute.

    The same entities as the standard library's `html.escape(text, quote=True)`, written
    here so a Markdown report does not load the `html` module at all.
    """
    if text.isprintable() and not _HTML_SPECIAL.search(text):  # most notes: nothing to do
        return text
    return (
        visible(text)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#x27;")
    )
