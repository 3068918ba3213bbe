"""A format-neutral report: what it says, built once; a writer per format lays it out.

Both reports are `Document`s: the debrief (`cockpit.report.debrief`) and the paper copy
(`cockpit.report.paper`). A document is a title, a notice, blocks before the first
section, and sections of blocks (headings, paragraphs, lists, tables, checklists, a chart;
and for the paper, a form to fill in, entries of the contact card, commands, the steps as
cards, the go/no-go gates, the point-of-no-return banner, lines to write on). Inline
content is a tuple of spans:

* a `str` is the report's own words (times, counts, fixed wording, the blanks to write
  on): trusted, written as is;
* `Said` is text from the night or the runbook (a note, a reason, a title): every writer
  escapes it (`cockpit.report.escape`), so nothing typed at 3 a.m. can act as markup;
* `Number` is a number to dial or quote, inside such text: escaped the same way, never
  broken across lines, and set apart on paper;
* `Code`, `Quoted` and `Styled` say what a piece of text is, and each writer picks how
  to show it (backticks or `<code>`, 'quotes' or ‘quotes’, bold or a red flag).

Notes, the bulk of a long night, are a block of their own (`NoteList`): plain pairs, cheap
to build by the ten thousand.

Nothing here knows a format: the Markdown, HTML and plain-text writers
(`cockpit.report.writers`) are the only places that do, and both reports share them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, TypeAlias

if TYPE_CHECKING:
    from .gantt import Chart

# ---- inline spans ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Said:
    """Text from the night or the runbook: escaped by each writer, on one line."""

    text: str
    empty: str = ""
    """Shown instead when the escaped text comes out empty (`—` in a table cell)."""


@dataclass(frozen=True, slots=True)
class Number:
    """A number to dial or quote (a phone or account number) inside text from a file:
    escaped like `Said`, kept on one line when text is wrapped, set apart on paper."""

    text: str


@dataclass(frozen=True, slots=True)
class Code:
    """A name to type or look up (a command, a file, an id): code, on one line."""

    text: str


Style = Literal["strong", "alert", "flag", "over", "text_bold"]
"""How a styled span stands out:

* `strong` — a label or a key phrase: bold everywhere.
* `alert` — a rule that was broken (a late call, a missed message): bold in text, red in HTML.
* `flag` — a marker whose own words (⚠, ✖) carry it in text: red in HTML only.
* `over` — a figure past its plan (a step's variance): bold in both.
* `text_bold` — bold in text only, where HTML shows the same thing by other means (a
  flagged paragraph, the variance column's own style).
"""


@dataclass(frozen=True, slots=True)
class Styled:
    """Inline content that stands out (see `Style`)."""

    style: Style
    content: Inline


@dataclass(frozen=True, slots=True)
class Quoted:
    """A name quoted inside a sentence: 'Prepare' in text, ‘Prepare’ in HTML."""

    content: Inline


@dataclass(frozen=True, slots=True)
class Wording:
    """One phrase the formats word differently (kept so the reports stay as they were)."""

    text: str
    html: str


Span: TypeAlias = str | Said | Number | Code | Styled | Quoted | Wording
Inline: TypeAlias = tuple[Span, ...]


def strong(*content: Span) -> Styled:
    """A label or key phrase, bold everywhere."""
    return Styled("strong", content)


def alert(*content: Span) -> Styled:
    """A broken rule: bold in text, red in HTML."""
    return Styled("alert", content)


def flag(*content: Span) -> Styled:
    """A marker that is red in HTML; in text its own words carry it."""
    return Styled("flag", content)


def quoted(text: str) -> Quoted:
    """A name from the night or the runbook, quoted."""
    return Quoted((Said(text),))


@dataclass(frozen=True, slots=True)
class InlineFormat:
    """How one format writes spans; `render` walks them the same way for every format."""

    escape: Callable[[str], str]
    """Makes text from the night safe (`Said`)."""
    number: Callable[[str], str]
    """Writes a `Number` span, escaping included."""
    code: Callable[[str], str]
    """Writes a `Code` span, escaping included."""
    styles: Mapping[str, tuple[str, str]]
    """What goes before and after each `Style`."""
    quotes: tuple[str, str]
    html: bool = False
    """Which side of a `Wording` to take."""

    def render(self, content: Inline) -> str:
        """The spans as this format's text."""
        out: list[str] = []
        for span in content:
            if type(span) is str:
                out.append(span)
            elif isinstance(span, Said):
                out.append(self.escape(span.text) or span.empty)
            elif isinstance(span, Number):
                out.append(self.number(span.text))
            elif isinstance(span, Styled):
                start, end = self.styles[span.style]
                out.append(f"{start}{self.render(span.content)}{end}")
            elif isinstance(span, Code):
                out.append(self.code(span.text))
            elif isinstance(span, Quoted):
                out.append(f"{self.quotes[0]}{self.render(span.content)}{self.quotes[1]}")
            elif isinstance(span, Wording):
                out.append(span.html if self.html else span.text)
        return "".join(out)


# ---- blocks -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading inside a section (level 3 or 4; sections carry their own)."""

    level: int
    content: Inline


@dataclass(frozen=True, slots=True)
class Paragraph:
    """Prose. `tone` is a hint for formats that have one (`muted`, `flag`), except
    `strong`: a rule that must stand out in every format (bold, boxed, `** … **`)."""

    content: Inline
    tone: Literal["", "muted", "flag", "strong"] = ""


@dataclass(frozen=True, slots=True)
class Fields:
    """Label and value rows (the summary)."""

    rows: tuple[tuple[str, Inline], ...]


@dataclass(frozen=True, slots=True)
class ListItem:
    """One bullet, maybe with a list under it."""

    content: Inline
    below: BulletList | NoteList | Evidence | None = None


@dataclass(frozen=True, slots=True)
class BulletList:
    """Bullets."""

    items: tuple[ListItem, ...]


@dataclass(frozen=True, slots=True)
class NoteList:
    """Notes, a bullet each: `(lead, text)` — the lead in our words (when, which event),
    then the note's text as written (escaped by each writer, its line breaks kept)."""

    notes: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Evidence:
    """Notes under a label, kept together with the item they support (what was written
    while something went wrong)."""

    label: Inline
    notes: NoteList


@dataclass(frozen=True, slots=True)
class Checklist:
    """Items to tick, each with a box, then `blanks` empty lines to write more on (with an
    owner); `label` says what they are (`Verify:`) when the heading above does not."""

    items: tuple[Inline, ...]
    blanks: int = 0
    label: Inline = ()


Cell: TypeAlias = Inline | None
"""A table cell; None where the column does not apply to the row (nothing is shown)."""


@dataclass(frozen=True, slots=True)
class Table:
    """A table; `numeric` columns align right."""

    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    numeric: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class Gantt:
    """The planned-versus-actual chart, drawn by each format (`gantt`). `key` says how to
    read the drawn chart; the text chart carries its own legend."""

    chart: Chart
    key: Inline


# ---- blocks of a paper to write on --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Form:
    """Label and value rows on a form: an empty value is a line to fill in by hand."""

    rows: tuple[tuple[str, Inline], ...]


@dataclass(frozen=True, slots=True)
class Entry:
    """One record of a card (a contact, an account, a message): its title line, then its
    label and value rows, then a note."""

    title: Inline
    rows: tuple[tuple[Inline, Inline], ...] = ()
    note: Inline = ()


@dataclass(frozen=True, slots=True)
class Commands:
    """Commands to type, exactly as written: never escaped into something else, never
    joined or reflowed (a code block)."""

    lines: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Card:
    """One step of a checklist: a box to tick beside its heading, its facts (owner, minutes,
    planned times, blanks for the real ones), what to do, and last how to undo it."""

    heading: Inline
    facts: Inline
    body: tuple[Paragraph | Commands | Checklist, ...]
    undo: Inline
    undo_commands: Commands | None = None


@dataclass(frozen=True, slots=True)
class Gate:
    """A go/no-go decision, framed: its criteria to tick, what a no-go means, and the line
    to record the decision on."""

    heading: Inline
    facts: Inline
    criteria: Checklist
    no_go: Inline
    decision: str


@dataclass(frozen=True, slots=True)
class Banner:
    """A line across the page that must not be missed (the point of no return): a
    heading, why, and labelled lists."""

    heading: Inline
    why: Inline
    lists: tuple[tuple[Inline, BulletList], ...] = ()


@dataclass(frozen=True, slots=True)
class WriteLines:
    """Ruled lines to write on."""

    count: int


Block: TypeAlias = (
    Heading
    | Paragraph
    | Fields
    | BulletList
    | NoteList
    | Checklist
    | Table
    | Gantt
    | Form
    | Entry
    | Commands
    | Card
    | Gate
    | Banner
    | WriteLines
)


@dataclass(frozen=True, slots=True)
class Section:
    """A top-level section: an anchor to link to, its short name in a table of contents,
    its heading and its blocks. A section without an anchor is read in page order, not
    linked to (the paper): it has no place in a table of contents."""

    anchor: str
    nav: str
    heading: Inline
    blocks: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class Notice:
    """A warning above everything else: a headline and the lines that explain it."""

    headline: Inline
    lines: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Document:
    """A whole report."""

    title: str
    """Plain text, for a window or tab title."""
    heading: Inline
    subtitle: Inline
    notice: Notice | None
    sections: tuple[Section, ...]
    preamble: tuple[Block, ...] = ()
    """Blocks before the first section (the paper's form at the top of the page)."""
