"""The debrief as Markdown: readable as plain text, and rendered anywhere Markdown is.

A thin writer of the report's `Document` (`document` holds every word). Every
piece of text that came from the night (notes, reasons, names, even the runbook's titles)
goes through `md` (from `md_escape`, shared with the paper copy), which escapes what
Markdown would act on: a note holding `<script>`, `|` or `**` prints as written and
cannot break a table or inject HTML.
"""

from __future__ import annotations

from .. import document as doc
from ..gantt import text_gantt
from ..md_escape import _escape_line as _escape_line  # re-exported: tests check it here
from ..md_escape import md, md_block
from .document import build_document
from .model import Debrief
from .words import printable

#: A blank suggestion line to fill in by hand.
_BLANK = "- [ ] ____________________________________________________________ (owner: ________)"


#: How Markdown writes spans: every style in bold, but a `flag`, whose own words (⚠, ✖)
#: carry it in text.
_BOLD = ("**", "**")
_SPANS = doc.InlineFormat(
    escape=md,
    code=lambda text: f"`{_code(text)}`",
    styles={"strong": _BOLD, "alert": _BOLD, "over": _BOLD, "text_bold": _BOLD, "flag": ("", "")},
    quotes=("'", "'"),
)
_inline = _SPANS.render


def render_markdown(debrief: Debrief) -> str:
    """The whole report, ending with one newline."""
    return write_markdown(build_document(debrief))


def write_markdown(document: doc.Document) -> str:
    """A document as Markdown, ending with one newline."""
    parts = [f"# {_inline(document.heading)}\n\n{_inline(document.subtitle)}"]
    if document.notice is not None:
        parts.append(_notice(document.notice))
    parts += [_section(section) for section in document.sections]
    return "\n\n".join(parts).rstrip("\n") + "\n"


def _notice(notice: doc.Notice) -> str:
    lines = [notice.headline, *notice.lines]
    return "\n".join(f"> {_inline(line)}" for line in lines)


def _section(section: doc.Section) -> str:
    return "\n\n".join([f"## {_inline(section.heading)}", *map(_block, section.blocks)])


def _block(block: doc.Block) -> str:
    match block:
        case doc.Paragraph():
            return _inline(block.content)
        case doc.BulletList():
            return "\n".join(_items(block.items, 0))
        case doc.NoteList():
            return "\n".join(_notes(block, 0))
        case doc.Table():
            return _table(block)
        case doc.Heading():
            return f"{'#' * block.level} {_inline(block.content)}"
        case doc.Fields():
            return "\n".join(f"- **{label}:** {_inline(value)}" for label, value in block.rows)
        case doc.Checklist():
            lines = [f"- [ ] {_inline(item)}" for item in block.items]
            return "\n".join(lines + [_BLANK] * block.blanks)
        case doc.Gantt():
            return "```text\n" + "\n".join(text_gantt(block.chart)) + "\n```"
    raise TypeError(f"no Markdown for {block!r}")


def _items(items: tuple[doc.ListItem, ...], depth: int) -> list[str]:
    """List lines, nested two spaces a level."""
    lead = "  " * depth
    lines: list[str] = []
    for item in items:
        lines.append(f"{lead}- {_inline(item.content)}")
        below = item.below
        if isinstance(below, doc.BulletList):
            lines += _items(below.items, depth + 1)
        elif isinstance(below, doc.NoteList):
            lines += _notes(below, depth + 1)
        elif isinstance(below, doc.Evidence):
            lines.append(f"{lead}  - {_inline(below.label)}")
            lines += _notes(below.notes, depth + 2)
    return lines


def _notes(notes: doc.NoteList, depth: int) -> list[str]:
    """Note lines; a note's own line breaks are kept, continuing its item."""
    lead = "  " * depth
    inner = lead + "  "
    return [f"{lead}- {first}{md_block(text, inner)}" for first, text in notes.notes]


def _table(table: doc.Table) -> str:
    # An empty header, or a cell where the column does not apply, is a single space.
    header = "|".join(f" {name} " if name else " " for name in table.header)
    rule = "|".join("--:" if i in table.numeric else "---" for i in range(len(table.header)))
    lines = [f"|{header}|", f"|{rule}|"]
    for row in table.rows:
        cells = "|".join(" " if cell is None else f" {_inline(cell)} " for cell in row)
        lines.append(f"|{cells}|")
    return "\n".join(lines)


def _code(text: str) -> str:
    """Text inside an inline code span: no backticks, no line breaks."""
    return printable(text).replace("`", "'").replace("\n", " ")
