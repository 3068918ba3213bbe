"""The debrief as one self-contained HTML file: inline CSS, inline SVG chart, nothing fetched.

A thin writer of the report's `Document` (`document` holds every word). It opens
from a mail attachment or a USB stick with no network, prints on A4 or Letter (`@page`,
`@media print`: table headers repeat, rows do not split, the chart keeps its colours), and
every piece of text from the night is escaped — a note holding `<script>` prints as text.
A Content-Security-Policy forbids scripts and remote loads as a second guard.
"""

from __future__ import annotations

import re
from html import escape

from .. import document as doc
from ..gantt import svg_gantt
from .document import build_document
from .model import Debrief
from .words import printable

CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font: 10.5pt/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue",
  Arial, sans-serif; color: #1b1b1b; background: #fff; max-width: 62rem; margin: 1.5rem auto;
  padding: 0 1rem; }
h1 { font-size: 1.7em; margin: 0 0 .2rem; }
h2 { font-size: 1.25em; border-bottom: 2px solid #d0d4da; padding-bottom: .15rem;
  margin: 1.8rem 0 .6rem; }
h3 { font-size: 1.05em; margin: 1.1rem 0 .4rem; }
h4 { font-size: 1em; margin: .9rem 0 .3rem; }
.sub { color: #4a4f57; margin: 0 0 1rem; }
nav { font-size: .9em; color: #4a4f57; }
nav a { color: inherit; }
dl.summary { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem;
  margin: 0; }
dl.summary dt { font-weight: 600; }
dl.summary dd { margin: 0; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 .8rem; font-size: .92em; }
th, td { border: 1px solid #c9cdd3; padding: .18rem .4rem; text-align: left;
  vertical-align: top; overflow-wrap: anywhere; }
th { background: #f1f3f5; }
td.num, th.num { text-align: right; white-space: nowrap; }
td.time { white-space: nowrap; }
thead { display: table-header-group; }
tr, li, .finding { break-inside: avoid; page-break-inside: avoid; }
.flag { color: #a4001d; font-weight: 700; }
.over { font-weight: 700; }
.muted { color: #5b616b; }
.note-text { white-space: pre-wrap; }
.damage { border: 3px solid #a4001d; background: #fff0f0; padding: .7rem 1rem;
  margin: 1rem 0; font-size: 1.05em; }
.damage strong { color: #a4001d; }
ul { padding-left: 1.3rem; }
ul.fill { list-style: none; padding-left: .2rem; }
ul.fill li { margin: .35rem 0; }
.blank { display: inline-block; border-bottom: 1px solid #777; width: 60%; height: 1em; }
.blank.short { width: 18%; }
svg.gantt { width: 100%; height: auto; display: block; }
svg.gantt text { font-family: inherit; font-size: 11px; fill: #2b2f36; }
svg.gantt .g-note { font-size: 10.5px; }
.g-plan { fill: #c5cad1; }
.g-actual { fill: #2f5f8a; }
.g-overrun { fill: #c4572b; }
.g-over { stroke: #9c3d17; stroke-width: .6; }
.g-hatch { stroke: #f7d9cb; stroke-width: 2; }
.g-failed { fill: #7f1d1d; }
.g-rollback { fill: #6a3d9a; }
.g-window { fill: #edf5e9; }
.g-window-key { fill: #edf5e9; stroke: #8a9a80; }
.g-tick { stroke: #dde1e6; }
.g-ponr { stroke: #a4001d; stroke-width: 2; stroke-dasharray: 4 3; }
/* size: auto takes the printer's paper; the layout fits A4 (210 mm) and Letter (216 mm). */
@page { size: auto; margin: 14mm 12mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 9.5pt; }
  nav { display: none; }
  h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
  .damage, svg.gantt, .flag { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  svg.gantt { break-inside: avoid; }
}
""".strip()

#: The characters `escape` changes: printable text with none of them is written as it is.
_ESCAPED = re.compile(r"[&<>\"']")
#: A blank suggestion line to fill in by hand.
_BLANK = '☐ <span class="blank"></span> owner: <span class="blank short"></span>'


def esc(text: str) -> str:
    """User text, safe anywhere in HTML content or a quoted attribute."""
    if text.isprintable() and not _ESCAPED.search(text):  # most notes: nothing to do
        return text
    return escape(printable(text), quote=True)


#: How HTML writes spans. `text_bold` has no tags: HTML shows the same by other means.
_SPANS = doc.InlineFormat(
    escape=esc,
    code=lambda text: f"<code>{esc(text)}</code>",
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
_inline = _SPANS.render


def render_html(debrief: Debrief) -> str:
    """The whole report as one HTML document, ending with one newline."""
    return write_html(build_document(debrief))


def write_html(document: doc.Document) -> str:
    """A document as one HTML page, ending with one newline."""
    nav = " · ".join(
        f'<a href="#{section.anchor}">{section.nav}</a>' for section in document.sections
    )
    head = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        f"<title>{esc(document.title)}</title>",
        f"<style>\n{CSS}\n</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{_inline(document.heading)}</h1>",
        f'<p class="sub">{_inline(document.subtitle)}</p>',
        f"<nav>{nav}</nav>",
        "</header>",
    ]
    body = [_notice(document.notice)] if document.notice is not None else []
    body += [_section(section) for section in document.sections]
    return "\n".join([*head, *body, "</body>", "</html>"]) + "\n"


def _notice(notice: doc.Notice) -> str:
    lines = "<br>\n".join(_inline(line) for line in notice.lines)
    return (
        '<div class="damage" role="alert">\n'
        f"<p>{_inline(notice.headline)}</p>\n"
        f"<p>{lines}</p>\n"
        "</div>"
    )


def _section(section: doc.Section) -> str:
    return "\n".join(
        [
            f'<section id="{section.anchor}">',
            f"<h2>{_inline(section.heading)}</h2>",
            *map(_block, section.blocks),
            "</section>",
        ]
    )


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
            entries = [f"☐ {_inline(item)}" for item in block.items] + [_BLANK] * block.blanks
            return _ul(entries, ' class="fill"')
        case doc.Gantt():
            return f'<p class="muted">{_inline(block.key)}</p>\n{svg_gantt(block.chart)}'
    raise TypeError(f"no HTML for {block!r}")


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
        f'<li>{lead}<span class="note-text">{esc(text.strip())}</span></li>'
        for lead, text in notes.notes
    ]
    return "\n".join(["<ul>", *items, "</ul>"])


def _ul(entries: list[str], attribute: str = "") -> str:
    return "\n".join([f"<ul{attribute}>", *(f"<li>{entry}</li>" for entry in entries), "</ul>"])


def _table(table: doc.Table) -> str:
    """A table; `numeric` columns align right."""

    def cells(tag: str, contents: list[str]) -> str:
        return "".join(
            f'<{tag} class="num">{content}</{tag}>'
            if i in table.numeric
            else f"<{tag}>{content}</{tag}>"
            for i, content in enumerate(contents)
        )

    out = ["<table>", "<thead><tr>", cells("th", list(table.header)), "</tr></thead>", "<tbody>"]
    for row in table.rows:
        out.append(f"<tr>{cells('td', ['' if c is None else _inline(c) for c in row])}</tr>")
    out += ["</tbody>", "</table>"]
    return "\n".join(out)
