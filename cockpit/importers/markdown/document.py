"""The Markdown document, parsed (markdown-it-py) and cut into sections by its headings.

Before parsing, what is not runbook text is taken out without moving a line: Hugo's `+++`
front matter (its title kept), Liquid and Hugo template tags on their own lines, template
links and tooltips (read as their words). A code fence never closed is closed before the
next heading or list item, so it cannot swallow the rest of the runbook. Each section then
gets its kind from its heading (`words.section_kind`), or from the headings above it.

This module knows the document's shape; what its sections mean for the night is `reader`'s.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode
from mdit_py_plugins.front_matter import front_matter_plugin

from cockpit.importers.draft import Draft, DraftStep
from cockpit.importers.text import clean_text
from cockpit.importers.words import is_about, is_phase_title, section_kind

CODE = ("fence", "code_block")

STEP_BLOCKS = ("ordered_list", "bullet_list", "fence", "code_block", "table")

_HEADING_ID = re.compile(r"\s*\{#[\w\-.:]+\}\s*$")  # "## Basic steps {#basic-steps}"

_TEMPLATE_TEXT = re.compile(r'\{\{[<%]\s*[\w\-]+\s[^{}]*?\btext="([^"]*)"[^{}]*?[>%]\}\}')

_TEMPLATE_IN_LINK = re.compile(r"\]\(\s*\{\{[<%].*?[>%]\}\}\s*\)")

_TEMPLATE_LINE = re.compile(r"^\s*(\{%.*%\}|\{\{[<%].*[>%]\}\})\s*$")

_TOML_FRONT_MATTER = re.compile(r"\A\+\+\+[ \t]*\n.*?\n\+\+\+[ \t]*(\n|\Z)", re.S)

_UNCLOSED_FENCE_END = re.compile(r"^ {0,3}(#{1,6}\s|(\d{1,3}[.)]|[-*+])\s+\S)")

#: Info headings whose sub-sections are never the night either (an "Overview" heading
#: over the whole document is not one of them).
_APPENDIX = re.compile(
    r"\b(appendix|references?|faq|troubleshooting|glossary|history|change ?log|lessons|"
    r"further reading|see also|known issues)\b",
    re.I,
)

NUMBERED_TITLE = re.compile(r"^(?:step\s*)?(\d{1,4}[a-z]?)\s*[.):\-–—]\s*(.+)$", re.I | re.S)

STEP_WORD_TITLE = re.compile(r"^step\s+(\d{1,4}[a-z]?)\s*[.):\-–—]?\s*(.*)$", re.I | re.S)

#: Fenced blocks that draw or show rather than run.
_NOT_COMMANDS = frozenset({"mermaid", "plantuml", "dot", "graphviz", "diagram", "math", "csv"})


@dataclass
class Section:
    """A heading and the blocks up to the next heading."""

    level: int  # 0: the text before the first heading
    title: str
    line: int
    blocks: list[SyntaxTreeNode] = field(default_factory=list)
    parents: list[Section] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)
    kind: str = "steps"
    step: int | None = None  # the step its heading became, if it did
    made: list[DraftStep] = field(default_factory=list)  # the steps read from it
    previous: Section | None = None  # the section before it at its level, same parent
    one_way: bool = False  # one of the ways a "… approaches" heading offers, read as steps
    bold: bool = False  # a bold line standing for a heading ("**Step 2 — Drain the pool**")

    @property
    def has_children(self) -> bool:
        """Sections of steps under it: then its heading is a phase, never a step (a
        rollback or notes section under a step's heading is part of that step)."""
        return any(c.kind in ("steps", "preparation", "verification") for c in self.children)


_FRONT_MATTER_NOTE = "front matter: its title read, the rest (site settings) left out"


def parse_document(text: str, draft: Draft) -> list[Section]:
    """The sections of a Markdown runbook, each with its kind; the title, the front matter
    and whatever was left out are noted on `draft`."""
    return _Parser(draft).run(text)


class _Parser:
    def __init__(self, draft: Draft) -> None:
        self.draft = draft

    def run(self, text: str) -> list[Section]:
        text = self._without_templates(self._toml_front_matter(text))
        sections = self._sections(self._parse(text))
        self._classify(sections)
        return sections

    def _toml_front_matter(self, text: str) -> str:
        """Hugo's `+++` front matter: its title kept, the rest blanked (lines keep count)."""
        match = _TOML_FRONT_MATTER.match(text)
        if match is None:
            return text
        block = match.group(0)
        title = re.search(r'^title\s*=\s*["\'](.+?)["\']\s*$', block, re.M)
        if title:
            self.draft.title = title.group(1)
        self.draft.note(1, _FRONT_MATTER_NOTE, end_line=block.count("\n"))
        return "\n" * block.count("\n") + text[len(block) :]

    def _without_templates(self, text: str) -> str:
        """Liquid and Hugo template tags on their own lines are not runbook text."""
        text = _TEMPLATE_IN_LINK.sub("](#)", text)  # [Guide]({{< relref "x" >}}): a link
        text = _TEMPLATE_TEXT.sub(r"\1", text)  # {{< glossary_tooltip text="kubectl" … >}}
        lines = text.split("\n")
        dropped = [i for i, line in enumerate(lines) if _TEMPLATE_LINE.match(line)]
        for index in dropped:
            lines[index] = ""
        if dropped:
            shown = ", ".join(str(i + 1) for i in dropped[:8])
            more = f" and {len(dropped) - 8} more" if len(dropped) > 8 else ""
            self.draft.note(dropped[0] + 1, f"template tags left out (lines {shown}{more})")
        return "\n".join(lines)

    def _parse(self, text: str) -> list[SyntaxTreeNode]:
        """The document's blocks; a code fence never closed is closed before the next
        heading or list item, so it cannot swallow the rest of the runbook."""
        parser = _parser()
        for _ in range(20):  # each round closes one fence
            root = SyntaxTreeNode(parser.parse(text))
            lines = text.split("\n")
            unclosed = next(
                (
                    node
                    for node in root.children
                    if node.type == "fence" and node.map and self._unclosed(node, lines)
                ),
                None,
            )
            if unclosed is None or unclosed.map is None:
                break
            start = unclosed.map[0]
            fence = lines[start].strip()[:3]
            end = next(
                (
                    i
                    for i in range(start + 1, len(lines))
                    if _UNCLOSED_FENCE_END.match(lines[i]) and not lines[i - 1].strip()
                ),
                None,
            )
            if end is None:
                self.draft.note(
                    start + 1, "code block never closed: it runs to the end of the file"
                )
                break
            self.draft.note(
                start + 1,
                f"code block never closed: closed it before line {end + 1}",
                "guessed",
            )
            lines.insert(end - 1, fence)
            lines.pop(end)  # keep the numbering: the blank line becomes the closing fence
            text = "\n".join(lines)
        for node in root.children:
            if node.type == "front_matter":
                title = re.search(r"^title\s*:\s*[\"']?(.+?)[\"']?\s*$", node.content, re.M)
                if title and self.draft.title is None:
                    self.draft.title = title.group(1)
                self.draft.note(1, _FRONT_MATTER_NOTE, end_line=end_line_of(node))
        return [node for node in root.children if node.type != "front_matter"]

    @staticmethod
    def _unclosed(node: SyntaxTreeNode, lines: list[str]) -> bool:
        assert node.map is not None
        last = lines[node.map[1] - 1].strip() if node.map[1] - 1 < len(lines) else ""
        opening = lines[node.map[0]].strip()
        marker = opening[0] * 3 if opening else "```"
        closed = (
            node.map[1] - node.map[0] >= 2 and last.startswith(marker) and not last.strip(marker[0])
        )
        return not closed

    def _sections(self, nodes: list[SyntaxTreeNode]) -> list[Section]:
        sections = [Section(0, "", 1)]
        stack: list[Section] = []
        for node in nodes:
            bold = bold_heading(node)
            if node.type == "heading" or bold is not None:
                if bold is not None:  # one level below the heading above; beside other bold ones
                    top = stack[-1] if stack else None
                    level = (
                        top.level if top is not None and top.bold else (top.level + 1 if top else 2)
                    )
                    title = bold
                else:
                    level = int(node.tag[1])
                    title = " ".join(inline_text(node.children[0]).split()) if node.children else ""
                    title = _HEADING_ID.sub("", title)
                if (
                    self.draft.title is None
                    and level == 1
                    and len(sections) == 1
                    and section_kind(title) != "info"
                ):
                    self.draft.title = title
                    continue
                while stack and stack[-1].level >= level:
                    stack.pop()
                section = Section(level, title, line_of(node), parents=list(stack))
                section.bold = bold is not None
                siblings = (
                    stack[-1].children
                    if stack
                    else [s for s in sections if s.level == level and not s.parents]
                )
                same_level = [s for s in siblings if s.level == level]
                section.previous = same_level[-1] if same_level else None
                for parent in stack:
                    parent.children.append(section)
                sections.append(section)
                stack.append(section)
            else:
                sections[-1].blocks.append(node)
        return sections

    def _classify(self, sections: list[Section]) -> None:
        """Each section's kind: its own heading's, else its parent's (a '### Database'
        under '## Rollback' is rollback too)."""
        for section in sections:
            own = section_kind(section.title) if section.title else "steps"
            inherited = next(
                (
                    p.kind
                    for p in reversed(section.parents)
                    if p.kind != "steps"
                    and (p.kind != "info" or _APPENDIX.search(p.title) or is_about(p.title))
                ),
                "steps",
            )
            if own == "steps" and inherited != "steps":
                own = inherited
            if any(p.kind == "info" and is_about(p.title) for p in section.parents):
                own = "info"  # under "Testing rollback procedures": a drill, not the night
            section.kind = own
        # A document that is itself a rollback runbook: its rollback sections are its steps.
        about_rollback = section_kind(self.draft.title or "") == "rollback"
        has_steps = any(
            s.kind in ("steps", "preparation") and any(n.type in STEP_BLOCKS for n in s.blocks)
            for s in sections
        )
        if about_rollback or not has_steps:
            for section in sections:
                if section.kind == "rollback":
                    section.kind = "steps"
        # The ways to do something ("Rollback methods", "Upgrade approaches") are
        # alternatives beside a procedure, and the procedure itself when there is no other.
        has_steps = any(
            s.kind in ("steps", "preparation") and any(n.type in STEP_BLOCKS for n in s.blocks)
            for s in sections
            if s.level > 0 and not any(p.kind == "ways" for p in s.parents)
        )
        for section in sections:
            under_ways = section.kind == "ways" or any(p.kind == "ways" for p in section.parents)
            if under_ways and section.kind in ("ways", "steps"):
                section.one_way = not has_steps
                section.kind = "info" if has_steps else "steps"

    # ---- sections ------------------------------------------------------------------------------


def _parser() -> MarkdownIt:
    return (
        MarkdownIt("commonmark", {"html": True})
        .enable("table")
        .enable("strikethrough")
        .use(front_matter_plugin)
    )


def line_of(node: SyntaxTreeNode) -> int:
    """The 1-based first line of a block."""
    return (node.map[0] + 1) if node.map else 0


def end_line_of(node: SyntaxTreeNode) -> int:
    return node.map[1] if node.map else 0


def inline_text(node: SyntaxTreeNode, *, keep_code_marks: bool = False) -> str:
    """A block's inline content as plain text: emphasis dropped, links by their words,
    code by its text, line breaks as spaces."""
    parts: list[str] = []
    for child in node.children:
        kind = child.type
        if kind in ("text", "html_inline"):
            parts.append(child.content if kind == "text" else "")
        elif kind == "code_inline":
            parts.append(f"`{child.content}`" if keep_code_marks else child.content)
        elif kind in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif kind == "image":
            parts.append(inline_text(child, keep_code_marks=keep_code_marks))
        else:
            parts.append(inline_text(child, keep_code_marks=keep_code_marks))
    return "".join(parts)


def only_struck(inline: SyntaxTreeNode) -> bool:
    """Whether all the words of a line are struck through (~~done or dropped~~)."""
    words = [c for c in inline.children if not (c.type == "text" and not c.content.strip())]
    return bool(words) and all(c.type == "s" for c in words)


def inline_codes(inline: SyntaxTreeNode) -> list[str]:
    codes: list[str] = []
    for child in inline.children:
        if child.type == "code_inline":
            codes.append(child.content)
        elif child.children:
            codes.extend(inline_codes(child))
    return codes


def is_label(item: SyntaxTreeNode) -> bool:
    """Whether a list item's line is only a bold label ("**Verify System Stability**:")."""
    first = item.children[0] if item.children else None
    if first is None or first.type != "paragraph" or not first.children:
        return False
    parts = [
        c
        for c in first.children[0].children
        if not (c.type == "text" and not c.content.strip(" :"))
    ]
    return len(parts) == 1 and parts[0].type == "strong"


def bold_heading(node: SyntaxTreeNode) -> str | None:
    """A paragraph written as a heading ("**Step 2 — Drain the pool**"), or None."""
    if node.type != "paragraph" or not node.children:
        return None
    inline = node.children[0]
    parts = [c for c in inline.children if not (c.type == "text" and not c.content.strip(" :"))]
    if len(parts) != 1 or parts[0].type != "strong":
        return None
    text = " ".join(inline_text(parts[0]).split())
    if not text or len(text) > 120:
        return None
    if STEP_WORD_TITLE.match(text) or NUMBERED_TITLE.match(text) or is_phase_title(text):
        return text
    return None


def with_next(
    blocks: list[SyntaxTreeNode],
) -> list[tuple[SyntaxTreeNode, SyntaxTreeNode | None]]:
    """Each block with the block after it (None after the last)."""
    return [(node, blocks[i + 1] if i + 1 < len(blocks) else None) for i, node in enumerate(blocks)]


def item_codes(item: SyntaxTreeNode) -> list[str]:
    """Inline code of an item's first line that reads as a command (has an argument)."""
    first = item.children[0] if item.children else None
    if first is None or first.type != "paragraph" or not first.children:
        return []
    return [code for code in inline_codes(first.children[0]) if looks_like_command(code)]


def looks_like_command(code: str) -> bool:
    """Whether inline code is a command to run ("git cherry-pick -x $commit") rather than a
    name set in code ("Released As", "postgresql.conf")."""
    code = code.strip()
    if " " not in code:
        return False
    return not code[0].isupper() or bool(re.search(r"[-/=$.|]", code))


def block_command(node: SyntaxTreeNode) -> str:
    """A code block as one command, byte for byte (its last line break dropped).

    The prompt of a terminal session ("$ ") is kept too: the command is shown as the
    source shows it."""
    if node.type == "fence" and node.info.strip().split(" ")[0].lower() in _NOT_COMMANDS:
        return ""
    content = node.content
    if content.endswith("\n"):
        content = content[:-1]
    return content if content.strip() else ""


def table_rows(node: SyntaxTreeNode) -> list[tuple[int, list[str]]]:
    rows: list[tuple[int, list[str]]] = []
    for part in node.children:
        for row in part.children:
            cells = [
                clean_text(inline_text(cell.children[0]) if cell.children else "")
                for cell in row.children
            ]
            rows.append((line_of(row) or line_of(part), cells))
    return rows
