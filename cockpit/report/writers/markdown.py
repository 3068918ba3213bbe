"""A `Document` as Markdown: readable as plain text, and rendered anywhere Markdown is.

Every piece of text from a file or the night (`Said`, `Number`) goes through `md` (from
`escape`), which escapes what Markdown would act on: a note holding `<script>`, `|`
or `**` prints as written and cannot break a table or inject HTML. Commands go into a
fence no command can close.
"""

from __future__ import annotations

import re

from cockpit.text import visible

from .. import document as doc
from ..escape import md, md_block
from ..gantt import text_gantt

#: A blank suggestion line to fill in by hand.
_BLANK_ITEM = "- [ ] ____________________________________________________________ (owner: ________)"
#: An empty value on a form: a line to write on.
_BLANK_VALUE = "_" * 18
#: A ruled line to write on (a quoted line keeps its trailing spaces a hard break).
_WRITE_LINE = "> " + "_" * 60 + "  "

#: How Markdown writes spans: every style in bold, but a `flag`, whose own words (⚠, ✖)
#: carry it in text.
_BOLD = ("**", "**")
SPANS = doc.InlineFormat(
    escape=md,
    number=md,
    code=lambda text: f"`{_code(text)}`",
    styles={"strong": _BOLD, "alert": _BOLD, "over": _BOLD, "text_bold": _BOLD, "flag": ("", "")},
    quotes=("'", "'"),
)
_inline = SPANS.render


def write_markdown(document: doc.Document) -> str:
    """A document as Markdown, ending with one newline."""
    parts = [f"# {_inline(document.heading)}\n\n{_inline(document.subtitle)}"]
    if document.notice is not None:
        parts.append(_notice(document.notice))
    parts += [_block(block) for block in document.preamble]
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
            text = _inline(block.content)
            return f"**{text}**" if block.tone == "strong" else text
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
            return _checklist(block)
        case doc.Gantt():
            return "```text\n" + "\n".join(text_gantt(block.chart)) + "\n```"
        case doc.Form():
            rows = [
                f"| **{label}** | {_inline(value) if value else _BLANK_VALUE} |"
                for label, value in block.rows
            ]
            return "\n".join(["| | |", "|---|---|", *rows])
        case doc.Entry():
            title = f"**{_inline(block.title)}**"
            lines = [f"- {_inline(label)}: {_inline(value)}" for label, value in block.rows]
            lines += [f"- {_inline(block.note)}"] if block.note else []
            return title + "\n\n" + "\n".join(lines) if lines else title
        case doc.Commands():
            return _fence(block.lines, "sh")
        case doc.Card():
            parts = [f"### [ ] {_inline(block.heading)}", f"*{_inline(block.facts)}*"]
            parts += [_block(part) for part in block.body]
            parts.append(f"↩ {_inline(block.undo)}")
            if block.undo_commands is not None:
                parts.append(_block(block.undo_commands))
            return "\n\n".join(parts)
        case doc.Gate():
            return "\n\n".join(
                [
                    f"### {_inline(block.heading)}",
                    f"*{_inline(block.facts)}*",
                    _checklist(block.criteria),
                    f"No-go means: {_inline(block.no_go)}",
                    f"**{block.decision}**",
                ]
            )
        case doc.Banner():
            parts = ["---", f"## ⛔ {_inline(block.heading)}"]
            parts += [f"**{_inline(block.why)}**"] if block.why else []
            for label, items in block.lists:
                parts += [_inline(label), "\n".join(_items(items.items, 0))]
            return "\n\n".join([*parts, "---"])
        case doc.WriteLines():
            return "\n".join([_WRITE_LINE] * block.count)
    raise TypeError(f"no Markdown for {block!r}")


def _checklist(block: doc.Checklist) -> str:
    lines = [f"- [ ] {_inline(item)}" for item in block.items] + [_BLANK_ITEM] * block.blanks
    items = "\n".join(lines)
    return f"{_inline(block.label)}\n\n{items}" if block.label else items


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
    return visible(text).replace("`", "'").replace("\n", " ")


def _fence(lines: tuple[str, ...], info: str) -> str:
    """Commands in a fenced block longer than any run of backticks in them, so no command
    can close the block and turn what follows into live Markdown. Commands are written as
    typed (URL schemes and all), their control characters made visible."""
    text = visible("\n".join(lines))
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return "\n".join([f"{fence}{info}", *text.split("\n"), fence])
