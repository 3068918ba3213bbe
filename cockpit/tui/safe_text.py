"""The one way text from files and people reaches the screen: literally, and escaped.

A runbook title, a gate criterion, a contact's name or a typed note is data. Textual
reads a plain `str` given to a `Static`, a `Label`, an `Option`, a border title, a
notification or a palette hit as *markup*: `"Backup in [/srv/backup]"` raised
`MarkupError` and `"flag [enabled=true]"` lost its brackets. And an escape sequence in a
title would drive the terminal. So the screen never hands such text to Textual as a
`str`: panels build Rich `Text` (which takes strings literally) and put it on screen with
`PanelText.draw`, which makes it `safe` (control characters escaped with
`cockpit.text.visible`); everything else (dialogs, titles, options, palette entries) is
made with `content`/`line` below; and the app's `notify` never reads markup. A test
renders every field of a hostile runbook through every screen (`tests/test_hostile_text.py`).
"""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.text import Text
from textual.content import Content
from textual.markup import escape as escape_markup

from cockpit.text import one_line, shown_character, visible

__all__ = ["content", "escaped", "line", "markup_literal", "safe"]


def content(text: str) -> Content:
    """Text for a widget, shown as written (line breaks kept, controls escaped)."""
    return Content(visible(text))


def line(text: str) -> Content:
    """One line for a widget: a title, an option, a palette entry."""
    return Content(one_line(text))


def markup_literal(text: str) -> str:
    """For the few Textual APIs that only take markup strings (a palette hit's help)."""
    return escape_markup(one_line(text))


def _needs_escaping(plain: str) -> bool:
    return not plain.replace("\n", "").isprintable()


def escaped(text: Text) -> Text:
    """`text` with its control characters shown escaped, its styles kept where they were.

    The fast path (nothing to escape) returns `text` itself, so a panel redrawn every
    second pays one `isprintable` for it.
    """
    plain = text.plain
    if not _needs_escaping(plain):
        return text
    # Map each old offset to its new one, so every span still covers what it covered.
    offsets = [0]
    pieces: list[str] = []
    for character in plain:
        piece = "    " if character == "\t" else shown_character(character)
        pieces.append(piece)
        offsets.append(offsets[-1] + len(piece))
    result = Text(
        "".join(pieces),
        style=text.style,
        justify=text.justify,
        overflow=text.overflow,
        no_wrap=text.no_wrap,
        end=text.end,
    )
    for span in text.spans:
        result.stylize(span.style, offsets[span.start], offsets[span.end])
    return result


def safe(renderable: Any) -> Any:
    """A panel's renderable with every piece of text in it made safe.

    A `str` becomes literal `Content`; `Text` is escaped; a `Group` has each of its parts
    made safe. Other Rich renderables (a table) are built from `escaped` cells by the
    panel that makes them.
    """
    if isinstance(renderable, str):
        return content(renderable)
    if isinstance(renderable, Text):
        return escaped(renderable)
    if isinstance(renderable, Group):
        return Group(*(safe(part) for part in renderable.renderables))
    return renderable
