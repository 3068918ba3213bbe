"""A `Document` as one self-contained HTML page: inline CSS, inline SVG, nothing fetched.

The page opens from a mail attachment or a USB stick with no network. The caller gives
the stylesheet (the debrief's and the paper's differ: a screen report, a printed one);
the markup is the same for both, so a box to tick or a table is written one way. Every
piece of text from a file or the night goes through `html_text` — a note holding
`<script>` prints as text — and a Content-Security-Policy forbids scripts and remote
loads as a second guard.

A document whose sections have anchors (the debrief) gets a header with a table of
contents and a `<section>` per part; one read in page order (the paper) gets neither.
"""

from __future__ import annotations

import html
import re

from .. import document as doc
from ..escape import html_text
from ..gantt import svg_gantt

#: A box to tick, drawn by the stylesheet: no font needs a ☐.
_BOX = '<span class="box"></span>'
#: A blank suggestion line to fill in by hand.
_BLANK_ITEM = f'{_BOX}<span class="blank"></span> owner: <span class="blank short"></span>'

#: How HTML writes spans. `text_bold` has no tags: HTML shows the same by other means.
SPANS = doc.InlineFormat(
    escape=html_text,
    number=lambda text: f'<span class="num">{html_text(text)}</span>',
    code=lambda text: f"<code>{html_text(text)}</code>",
    styles={
        "strong": ("<strong>", "</strong>"),
        "alert": ('<span class="flag">', "</span>"),
        "flag": ('<span class="flag">', "</span>"),
        "over": ('<span class="over">', "</span>"),
        "text_bold": ("", ""),
    },
    quotes=("‘", "’"),
    html=True,
)
_inline = SPANS.render


def write_html(document: doc.Document, css: str) -> str:
    """A document as one HTML page styled by `css`, ending with one newline."""
    head = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        f"<title>{html_text(document.title)}</title>",
        f"<style>\n{css.strip()}\n</style>",
        "</head>",
        "<body>",
    ]
    title = [
        f"<h1>{_inline(document.heading)}</h1>",
        f'<p class="sub">{_inline(document.subtitle)}</p>',
    ]
    linked = [section for section in document.sections if section.anchor]
    if linked:
        nav = " · ".join(f'<a href="#{section.anchor}">{section.nav}</a>' for section in linked)
        title = ["<header>", *title, f"<nav>{nav}</nav>", "</header>"]
    body = [_notice(document.notice)] if document.notice is not None else []
    body += [_block(block) for block in document.preamble]
    body += [_section(section) for section in document.sections]
    return "\n".join([*head, *title, *body, "</body>", "</html>"]) + "\n"


def _notice(notice: doc.Notice) -> str:
    lines = "<br>\n".join(_inline(line) for line in notice.lines)
    return (
        '<div class="damage" role="alert">\n'
        f"<p>{_inline(notice.headline)}</p>\n"
        f"<p>{lines}</p>\n"
        "</div>"
    )


def _section(section: doc.Section) -> str:
    parts = [f"<h2>{_inline(section.heading)}</h2>", *map(_block, section.blocks)]
    if section.anchor:
        parts = [f'<section id="{section.anchor}">', *parts, "</section>"]
    return "\n".join(parts)


def _block(block: doc.Block) -> str:
    match block:
        case doc.Paragraph():
            tone = f' class="{block.tone}"' if block.tone else ""
            return f"<p{tone}>{_inline(block.content)}</p>"
        case doc.BulletList():
            return _list(block.items)
        case doc.NoteList():
            return _notes(block)
        case doc.Table():
            return _table(block)
        case doc.Heading():
            return f"<h{block.level}>{_inline(block.content)}</h{block.level}>"
        case doc.Fields():
            rows = "\n".join(
                f"<dt>{label}</dt><dd>{_inline(value)}</dd>" for label, value in block.rows
            )
            return f'<dl class="summary">\n{rows}\n</dl>'
        case doc.Checklist():
            return _checklist(block)
        case doc.Gantt():
            return f'<p class="muted">{_inline(block.key)}</p>\n{svg_gantt(block.chart)}'
        case doc.Form():
            cells = [
                f"<tr><th>{label}</th><td>{_inline(value)}</td></tr>" for label, value in block.rows
            ]
            return "\n".join(['<table class="fields">', *cells, "</table>"])
        case doc.Entry():
            parts = ['<div class="entry">', f'<div class="title">{_inline(block.title)}</div>']
            if block.rows:
                parts.append("<dl>")
                parts += [f"<dt>{_inline(k)}</dt><dd>{_inline(v)}</dd>" for k, v in block.rows]
                parts.append("</dl>")
            parts += [f'<div class="note">{_inline(block.note)}</div>'] if block.note else []
            return "\n".join([*parts, "</div>"])
        case doc.Commands():
            # Typed exactly as written, scheme and all: escaped, never rewritten.
            return f"<pre>{html_text(chr(10).join(block.lines))}</pre>"
        case doc.Card():
            parts = [
                '<div class="step">',
                f"<h3>{_BOX}{_inline(block.heading)}</h3>",
                f'<div class="facts">{_inline(block.facts)}</div>',
                *map(_block, block.body),
                f'<p class="rollback">↩ {_inline(block.undo)}</p>',
            ]
            if block.undo_commands is not None:
                parts.append(_block(block.undo_commands))
            return "\n".join([*parts, "</div>"])
        case doc.Gate():
            return "\n".join(
                [
                    '<div class="gate">',
                    f"<h3>{_inline(block.heading)}</h3>",
                    f'<div class="facts">{_inline(block.facts)}</div>',
                    _checklist(block.criteria),
                    f"<p>No-go means: {_inline(block.no_go)}</p>",
                    f'<div class="decision">{html_text(block.decision)}</div>',
                    "</div>",
                ]
            )
        case doc.Banner():
            parts = ['<div class="ponr">', f"<h2>{_inline(block.heading)}</h2>"]
            parts += [f"<p><strong>{_inline(block.why)}</strong></p>"] if block.why else []
            for label, items in block.lists:
                parts += [f"<p>{_inline(label)}</p>", _list(items.items)]
            return "\n".join([*parts, "</div>"])
        case doc.WriteLines():
            return "\n".join(['<div class="write"></div>'] * block.count)
    raise TypeError(f"no HTML for {block!r}")


def _checklist(block: doc.Checklist) -> str:
    entries = [f"{_BOX}{_inline(item)}" for item in block.items] + [_BLANK_ITEM] * block.blanks
    label = f"<p>{_inline(block.label)}</p>\n" if block.label else ""
    return label + _ul(entries, ' class="boxes"')


def _list(items: tuple[doc.ListItem, ...]) -> str:
    entries: list[str] = []
    for item in items:
        entry = _inline(item.content)
        below = item.below
        if isinstance(below, doc.BulletList):
            entry += "\n" + _list(below.items)
        elif isinstance(below, doc.NoteList):
            entry += "\n" + _notes(below)
        elif isinstance(below, doc.Evidence):
            entry += f'\n<div class="finding">{_inline(below.label)}\n{_notes(below.notes)}</div>'
        entries.append(entry)
    return _ul(entries)


def _notes(notes: doc.NoteList) -> str:
    # `_ul`'s items written in one go: a long night has tens of thousands of notes.
    items = [
        f'<li>{lead}<span class="note-text">{html_text(text.strip())}</span></li>'
        for lead, text in notes.notes
    ]
    return "\n".join(["<ul>", *items, "</ul>"])


def _ul(entries: list[str], attribute: str = "") -> str:
    return "\n".join([f"<ul{attribute}>", *(f"<li>{entry}</li>" for entry in entries), "</ul>"])


#: A cell this short (a time, a name, a mark) is kept on one line: `short` in the stylesheet.
SHORT_CELL = 12
_TAG = re.compile(r"<[^>]*>")


def _table(table: doc.Table) -> str:
    """A table, inside a box that scrolls sideways when the page is narrower (words are
    never squeezed apart to fit); `numeric` columns align right, short cells stay whole."""

    def cells(tag: str, contents: list[str]) -> str:
        out: list[str] = []
        for i, content in enumerate(contents):
            if i in table.numeric:
                out.append(f'<{tag} class="num">{content}</{tag}>')
            elif tag == "td" and 0 < len(html.unescape(_TAG.sub("", content))) <= SHORT_CELL:
                out.append(f'<td class="short">{content}</td>')
            else:
                out.append(f"<{tag}>{content}</{tag}>")
        return "".join(out)

    out = [
        '<div class="table-scroll"><table>',
        "<thead><tr>",
        cells("th", list(table.header)),
        "</tr></thead>",
        "<tbody>",
    ]
    for row in table.rows:
        out.append(f"<tr>{cells('td', ['' if c is None else _inline(c) for c in row])}</tr>")
    out += ["</tbody>", "</table></div>"]
    return "\n".join(out)
