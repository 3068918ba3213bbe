"""A `Document` as plain text, wrapped to a width: the paper copy's `txt`, 80 columns.

Prose is wrapped at word boundaries, never inside a `Number`: "+1 312" on one line and
"555 0199" on the next is a wrong number at 3 a.m. Commands are written as typed and
continued on an indented line when too long. Every piece of text goes through
`cockpit.text.visible`, so no control character reaches a terminal or a printer.

Plain text has no bold and no colour: a rule that must stand out is written `** … **`, a
go/no-go is framed in a box, the point of no return is a band of `#` across the page.
"""

from __future__ import annotations

import textwrap

from cockpit.text import one_line, visible

from .. import document as doc
from ..gantt import text_gantt

#: Width of the page, in columns.
WIDTH = 80
#: A blank to write on.
_BLANK = "_" * 36
_NBSP = "\u00a0"


def write_text(document: doc.Document, width: int = WIDTH) -> str:
    """A document as plain text, every line of prose at most `width` columns, ending with
    one newline."""
    writer = _Writer(width)
    out = writer.wrap(_plain(document.heading, upper=True))
    out += [*writer.wrap(_plain(document.subtitle)), "=" * width, ""]
    if document.notice is not None:
        out += writer.notice(document.notice)
    for block in document.preamble:
        out += writer.block(block)
    for section in document.sections:
        heading = one_line(_plain(section.heading, upper=True))
        out += ["", heading, "-" * min(len(heading), width), ""]
        for block in section.blocks:
            out += writer.block(block)
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


def _plain(content: doc.Inline, *, upper: bool = False) -> str:
    """Spans as plain text: visible, numbers held together with no-break spaces (undone
    after wrapping), upper case first for headings (so `\\x1b` never becomes `\\X1B`)."""
    out: list[str] = []
    for span in content:
        if type(span) is str:
            out.append(visible(span.upper() if upper else span))
        elif isinstance(span, doc.Said | doc.Code):
            text = visible(span.text.upper() if upper else span.text)
            out.append(text or (span.empty if isinstance(span, doc.Said) else ""))
        elif isinstance(span, doc.Number):
            out.append(visible(span.text).replace(" ", _NBSP))
        elif isinstance(span, doc.Styled | doc.Quoted):
            inner = _plain(span.content, upper=upper)
            out.append(f"'{inner}'" if isinstance(span, doc.Quoted) else inner)
        elif isinstance(span, doc.Wording):
            out.append(span.text.upper() if upper else span.text)
    return "".join(out)


class _Writer:
    """The blocks of a document as lines of at most `width` columns."""

    def __init__(self, width: int) -> None:
        self.width = width
        #: Width inside a framed box ("| " … " |").
        self.boxed = width - 4

    def wrap(
        self, text: str, indent: str = "", hang: str | None = None, width: int | None = None
    ) -> list[str]:
        """Prose wrapped at word boundaries, never inside a number."""
        lines = textwrap.wrap(
            text,
            width=width or self.width,
            initial_indent=indent,
            subsequent_indent=indent if hang is None else hang,
            break_on_hyphens=False,
            break_long_words=True,
        ) or [indent.rstrip()]
        return [line.replace(_NBSP, " ") for line in lines]

    def command(self, command: str, indent: str) -> list[str]:
        """A command as `$ …`, continued with an indent when it is too long. A command of
        several lines (a script from a code block) keeps its lines and their indentation:
        joining them would change what runs."""
        lines: list[str] = []
        for number, line in enumerate(visible(command).split("\n")):
            start = f"{indent}$ " if number == 0 else f"{indent}  "
            kept = line.rstrip()
            margin = len(kept) - len(kept.lstrip(" "))
            lines += textwrap.wrap(
                kept.lstrip(" "),
                width=self.width,
                initial_indent=start + " " * margin,
                subsequent_indent=f"{indent}{'    ' if number == 0 else '      '}{' ' * margin}",
                break_on_hyphens=False,
                break_long_words=True,
                drop_whitespace=True,
            ) or [start.rstrip()]
        return lines or [f"{indent}$"]

    def notice(self, notice: doc.Notice) -> list[str]:
        """A warning above everything, framed by `!`."""
        lines = ["!" * self.width, *self.wrap(_plain(notice.headline), "! ", "! ")]
        for line in notice.lines:
            lines += self.wrap(_plain(line), "! ", "! ")
        return [*lines, "!" * self.width, ""]

    def block(self, block: doc.Block) -> list[str]:
        """One block's lines, ending with a blank line."""
        match block:
            case doc.Paragraph():
                text = _plain(block.content)
                return [*self.wrap(f"** {text} **" if block.tone == "strong" else text), ""]
            case doc.Checklist():
                return [*self.checklist(block, ""), ""]
            case doc.BulletList():
                return [*self.bullets(block.items, "  "), ""]
            case doc.NoteList():
                return [*self.notes(block, "  "), ""]
            case doc.Heading():
                return [*self.wrap(_plain(block.content)), ""]
            case doc.Fields() | doc.Form():
                return [*self.fields(block), ""]
            case doc.Table():
                return [*self.table(block), ""]
            case doc.Gantt():
                return [*text_gantt(block.chart), ""]
            case doc.Entry():
                return [*self.entry(block), ""]
            case doc.Commands():
                return [line for command in block.lines for line in self.command(command, "")]
            case doc.Card():
                return [*self.card(block), ""]
            case doc.Gate():
                return [*self.gate(block), ""]
            case doc.Banner():
                return [*self.banner(block), ""]
            case doc.WriteLines():
                return ["_" * self.width for _ in range(block.count)] + [""]
        raise TypeError(f"no plain text for {block!r}")

    def checklist(self, block: doc.Checklist, indent: str) -> list[str]:
        """`[ ] item` lines under an optional label; blanks to write more on."""
        lines = [f"{indent}{_plain(block.label)}"] if block.label else []
        for item in block.items:
            lines += self.wrap(_plain(item), f"{indent}[ ] ", f"{indent}    ")
        lines += [f"{indent}[ ] {_BLANK} (owner: ________)"] * block.blanks
        return lines

    def bullets(self, items: tuple[doc.ListItem, ...], indent: str) -> list[str]:
        """`- item` lines, nested two columns a level."""
        lines: list[str] = []
        for item in items:
            lines += self.wrap(_plain(item.content), f"{indent}- ", f"{indent}  ")
            below = item.below
            if isinstance(below, doc.BulletList):
                lines += self.bullets(below.items, indent + "  ")
            elif isinstance(below, doc.NoteList):
                lines += self.notes(below, indent + "  ")
            elif isinstance(below, doc.Evidence):
                lines += self.wrap(_plain(below.label), f"{indent}  - ", f"{indent}    ")
                lines += self.notes(below.notes, indent + "    ")
        return lines

    def notes(self, notes: doc.NoteList, indent: str) -> list[str]:
        """Each note as a bullet: its lead, then its text (line breaks kept)."""
        lines: list[str] = []
        for lead, text in notes.notes:
            first, *rest = [line for line in visible(text).split("\n") if line.strip()] or [""]
            lines += self.wrap(f"{lead}{first}", f"{indent}- ", f"{indent}  ")
            for line in rest:
                lines += self.wrap(line, f"{indent}  ")
        return lines

    def fields(self, block: doc.Fields | doc.Form) -> list[str]:
        """`Label: value` rows, values aligned; an empty value on a form is a blank."""
        size = max((len(label) for label, _ in block.rows), default=0) + 2
        lines: list[str] = []
        for label, value in block.rows:
            text = _plain(value) or (_BLANK if isinstance(block, doc.Form) else "")
            lines += self.wrap(text, f"{label + ':':<{size}}", " " * size)
        return lines

    def table(self, table: doc.Table) -> list[str]:
        """Each row as `header: cell` lines under a bullet: a report's wide tables do not
        fit a page's columns, and a row read down the page loses nothing."""
        lines: list[str] = []
        for row in table.rows:
            cells = [
                (name, _plain(cell)) for name, cell in zip(table.header, row, strict=True) if cell
            ]
            for index, (name, text) in enumerate(cells):
                lead = "- " if index == 0 else "  "
                label = f"{name}: " if name else ""
                lines += self.wrap(f"{label}{text}", lead, "    ")
        return lines

    def entry(self, entry: doc.Entry) -> list[str]:
        """The title line, then rows with aligned labels, then the note, indented."""
        lines = self.wrap(_plain(entry.title), "", "    ")
        labels = [_plain(label) for label, _ in entry.rows]
        size = min(max((len(label) for label in labels), default=0) + 2, 24)
        for label_text, (_, value) in zip(labels, entry.rows, strict=True):
            label = f"{label_text + ':':<{size}}"
            if len(label) > size:
                lines += self.wrap(label_text + ":", "    ")
                label = " " * size
            lines += self.wrap(_plain(value), "    " + label, " " * (4 + size))
        lines += self.wrap(_plain(entry.note), "    ") if entry.note else []
        return lines

    def card(self, card: doc.Card) -> list[str]:
        """A step: its box and heading, then everything under it indented four columns."""
        lines = self.wrap(_plain(card.heading), "[ ] ", "    ")
        lines += self.wrap(_plain(card.facts), "    ", "      ")
        for part in card.body:
            match part:
                case doc.Paragraph():
                    lines += self.wrap(_plain(part.content), "    ")
                case doc.Commands():
                    lines += [line for c in part.lines for line in self.command(c, "    ")]
                case doc.Checklist():
                    lines += self.checklist(part, "    ")
        lines += self.wrap(_plain(card.undo), "    <- ", "       ")
        if card.undo_commands is not None:
            lines += [line for c in card.undo_commands.lines for line in self.command(c, "       ")]
        return lines

    def gate(self, gate: doc.Gate) -> list[str]:
        """A go/no-go, framed in a box."""
        boxed = self.boxed
        inner = self.wrap(_plain(gate.heading), width=boxed)
        inner += self.wrap(_plain(gate.facts), "  ", width=boxed)
        for criterion in gate.criteria.items:
            inner += self.wrap(_plain(criterion), "[ ] ", "    ", width=boxed)
        inner += self.wrap(f"No-go means: {_plain(gate.no_go)}", "", "  ", width=boxed)
        inner += ["", gate.decision]
        edge = "+" + "-" * (self.width - 2) + "+"
        return [edge, *(f"| {line:<{boxed}} |" for line in inner), edge]

    def banner(self, banner: doc.Banner) -> list[str]:
        """A band of `#` across the page, every line inside it marked `##`."""
        lines = ["#" * self.width, *self.wrap(_plain(banner.heading), "## ", "## ")]
        lines += self.wrap(_plain(banner.why), "## ", "## ") if banner.why else []
        for label, items in banner.lists:
            lines += ["##", *self.wrap(_plain(label), "## ", "## ")]
            for item in items.items:
                lines += self.wrap(_plain(item.content), "##  - ", "##    ")
        return [*lines, "#" * self.width]
