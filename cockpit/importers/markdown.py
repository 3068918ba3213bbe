"""Read a runbook written in Markdown, with a real parser (markdown-it-py), the way teams
write them.

The document is parsed as CommonMark (with tables, strike-through and front matter) and
cut into sections by its headings. What each section holds is judged from its heading
(`words.section_kind`): steps, a rollback procedure, a go/no-go, a verification list,
preparation, or text that is not part of the night (overview, contacts, metrics…),
which is reported with its lines.

Inside a section of steps:

* a numbered list, or a list whose items read as actions (or are checkboxes), gives one
  step per item; its sub-items are details ("Owner: …", "Duration: …", "Rollback: …"),
  checks (verify items), alternatives ("Alternatively, …", "If you do not…") or
  sub-actions (kept in the step's instructions), and its code blocks its commands;
* a heading that is an action ("### Block deployments", "## Step 4 — Port") with no
  numbered list under it is itself a step, its bullets its details; so is a bold
  paragraph that reads like a heading ("**Step 2 — Drain the pool**");
* a code block goes to the step above it, one block one command, byte for byte; a
  section with only text and code blocks is one step, its heading the title.

Headings above a step are its phase ("Preparation", "T-60 Minutes"); a T-minus offset is
its timing. Nothing is invented: what the source does not say stays a marked placeholder
(see `build`), and every guess is reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode
from mdit_py_plugins.front_matter import front_matter_plugin

from cockpit.importers.draft import Draft, DraftCheckpoint, DraftRollback, DraftStep
from cockpit.importers.durations import find_durations
from cockpit.importers.meta import apply_meta, meta_key
from cockpit.importers.text import (
    clean_text,
    field_line,
    strip_ponr,
    strip_span,
    take_owners,
    tidy_title,
)
from cockpit.importers.words import (
    PONR_SAID,
    find_timing,
    first_word,
    introduces_description,
    introduces_output,
    introduces_sequence,
    is_about,
    is_action,
    is_alternative,
    is_phase_title,
    placeholders,
    prose_action,
    section_kind,
    states,
)

_CODE = ("fence", "code_block")
#: "Snapshot integrity may be verified…": a noun, not the verb it looks like, then a verb.
_DESCRIBES = re.compile(
    r"^\W*\w+(\s+\w+){0,3}\s+(may|might|can|could|will|would|is|are|was|were|has|have)\b",
    re.I,
)
_OBLIGATION = re.compile(r"\b(must|needs? to|have to|has to) be\b", re.I)
#: "Restoring with revision bump", "Installing from source": another way, by its preposition.
_VARIANT = re.compile(r"^\W*[A-Za-z\-]+\s+(with|using|via|without|from|on|through|by)\b", re.I)
#: A sentence that goes on with the one before it ("Then release with `git tag-release`.").
_GOES_ON = re.compile(r"^\W*(then|and then|after that|with (it|that|this))\b", re.I)
_NUMBERING = re.compile(r"^\s*(step\s+)?\d{1,3}[a-z]?[.):]\s+", re.I)  # "2. Draft the release"
#: A step that says its details come later ("using the instructions below").
_POINTS_BELOW = re.compile(
    r"\b(below|further down|detailed (steps|instructions)|see (the )?section)\b", re.I
)
_DETAILED = re.compile(r"\b(detailed|details|in detail|step[\s-]by[\s-]step)\b", re.I)
_ONE_OF = re.compile(r"\b(one of the following|either|choose one|any of the following)\b", re.I)
_STEP_BLOCKS = ("ordered_list", "bullet_list", "fence", "code_block", "table")
_HEADING_ID = re.compile(r"\s*\{#[\w\-.:]+\}\s*$")  # "## Basic steps {#basic-steps}"
_TEMPLATE_TEXT = re.compile(r'\{\{[<%]\s*[\w\-]+\s[^{}]*?\btext="([^"]*)"[^{}]*?[>%]\}\}')
_TEMPLATE_IN_LINK = re.compile(r"\]\(\s*\{\{[<%].*?[>%]\}\}\s*\)")
_CHEER = re.compile(
    r"^\W*(enjoy|congratulations|congrats|done|that's it|you're done|celebrate)\b.*!\W*$", re.I
)
#: Info headings whose sub-sections are never the night either (an "Overview" heading
#: over the whole document is not one of them).
_APPENDIX = re.compile(
    r"\b(appendix|references?|faq|troubleshooting|glossary|history|change ?log|lessons|"
    r"further reading|see also|known issues)\b",
    re.I,
)
#: Headings that say "here are the steps" and nothing about which part of the night.
_GENERIC = re.compile(
    r"^\W*(the\s+)?(steps|procedure|runbook|checklist|tasks|activities|plan|instructions|"
    r"execution( steps)?|how to|process|cutover steps|runbook steps)\W*$",
    re.I,
)
_KEY_VALUE = re.compile(r"^\**([A-Za-z][\w /()\-]{0,40}?)\**\s*[:=]\**\s*(.*)$", re.S)
_NUMBERED_TITLE = re.compile(r"^(?:step\s*)?(\d{1,4}[a-z]?)\s*[.):\-–—]\s*(.+)$", re.I | re.S)
_STEP_WORD_TITLE = re.compile(r"^step\s+(\d{1,4}[a-z]?)\s*[.):\-–—]?\s*(.*)$", re.I | re.S)
_CHECKBOX = re.compile(r"^\[([ xX✓✔])\]\s*")
_CHECK_FIRST = re.compile(r"^\W*(verify|check|confirm|ensure|make sure|validate|expect)\b", re.I)
_UNCLOSED_FENCE_END = re.compile(r"^ {0,3}(#{1,6}\s|(\d{1,3}[.)]|[-*+])\s+\S)")

#: Step details written as "Key: value" (in a sub-item or a paragraph under a step).
_DETAIL_KEYS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "owner",
        re.compile(r"^(owner|owned by|responsible|assignee|assigned to|who|executor)$", re.I),
    ),
    (
        "minutes",
        re.compile(r"^(duration|est|est\.|estimate|estimated( time)?|minutes|mins|eta)$", re.I),
    ),
    (
        "rollback",
        re.compile(r"^(rollback|roll back|back[\s-]?out|fallback|undo|rollback plan)$", re.I),
    ),
    (
        "verify",
        re.compile(
            r"^(verify|verification|check|checks|expected|expect|expected result|"
            r"expected output|success criteria|validate|validation|confirm)$",
            re.I,
        ),
    ),
    ("depends", re.compile(r"^(depends on|depends|predecessors?|requires)$", re.I)),
    ("timing", re.compile(r"^(when|at|time|start|start time|scheduled)$", re.I)),
)
_GATE_KEYS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "decider",
        re.compile(r"^(decider|decided by|decision by|decision maker|approver|owner|who)$", re.I),
    ),
    ("no_go", re.compile(r"^(no[\s-]*go|if no[\s-]*go|no[\s-]*go means|on no[\s-]*go)$", re.I)),
)
_NOTHING = re.compile(
    r"^(none|n/?a|not needed|no rollback( needed)?|nothing( to undo)?)\b[\s:—\-–,;.]*(?P<rest>.*)$",
    re.I,
)
_TEMPLATE_LINE = re.compile(r"^\s*(\{%.*%\}|\{\{[<%].*[>%]\}\})\s*$")
_TOML_FRONT_MATTER = re.compile(r"\A\+\+\+[ \t]*\n.*?\n\+\+\+[ \t]*(\n|\Z)", re.S)
_NOT_TABLE_COLUMNS = re.compile(
    r"\b(signature|signed|sign[\s-]?off|approv\w*|phone|e-?mail|mobile|contact)\b", re.I
)


def read_markdown(text: str, source: Path | str) -> Draft:
    """A draft runbook from Markdown text (never raises on odd input)."""
    return _Reader(text, Path(source)).run()


# ---- the parsed document as sections ----------------------------------------------------------


@dataclass
class _Section:
    """A heading and the blocks up to the next heading."""

    level: int  # 0: the text before the first heading
    title: str
    line: int
    blocks: list[SyntaxTreeNode] = field(default_factory=list)
    parents: list[_Section] = field(default_factory=list)
    children: list[_Section] = field(default_factory=list)
    kind: str = "steps"
    step: int | None = None  # the step its heading became, if it did
    made: list[DraftStep] = field(default_factory=list)  # the steps read from it
    previous: _Section | None = None  # the section before it at its level, same parent
    one_way: bool = False  # one of the ways a "… approaches" heading offers, read as steps

    @property
    def has_children(self) -> bool:
        """Sections of steps under it: then its heading is a phase, never a step (a
        rollback or notes section under a step's heading is part of that step)."""
        return any(c.kind in ("steps", "preparation", "verification") for c in self.children)


def _parser() -> MarkdownIt:
    return (
        MarkdownIt("commonmark", {"html": True})
        .enable("table")
        .enable("strikethrough")
        .use(front_matter_plugin)
    )


def _line(node: SyntaxTreeNode) -> int:
    """The 1-based first line of a block."""
    return (node.map[0] + 1) if node.map else 0


def _end_line(node: SyntaxTreeNode) -> int:
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


def _only_struck(inline: SyntaxTreeNode) -> bool:
    """Whether all the words of a line are struck through (~~done or dropped~~)."""
    words = [c for c in inline.children if not (c.type == "text" and not c.content.strip())]
    return bool(words) and all(c.type == "s" for c in words)


def _inline_codes(inline: SyntaxTreeNode) -> list[str]:
    codes: list[str] = []
    for child in inline.children:
        if child.type == "code_inline":
            codes.append(child.content)
        elif child.children:
            codes.extend(_inline_codes(child))
    return codes


def _is_label(item: SyntaxTreeNode) -> bool:
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


def _bold_heading(node: SyntaxTreeNode) -> str | None:
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
    if _STEP_WORD_TITLE.match(text) or _NUMBERED_TITLE.match(text) or is_phase_title(text):
        return text
    return None


class _Reader:
    def __init__(self, text: str, source: Path) -> None:
        self.text = text.replace("\r\n", "\n").replace("\r", "\n")
        self.draft = Draft(source=source)
        self.pending_ponr: str | None = None  # "the next step is the point of no return"
        self.raw_titles: dict[int, str] = {}  # id(step) → its line as written
        self.other_ways: list[_Section] = []  # ways offered that hold no steps

    # ---- driving -----------------------------------------------------------------------------

    def run(self) -> Draft:
        text = self._without_templates(self._toml_front_matter(self.text))
        nodes = self._parse(text)
        sections = self._sections(nodes)
        self._classify(sections)
        for section in sections:
            self._section(section)
        self._after()
        return self.draft

    def _toml_front_matter(self, text: str) -> str:
        """Hugo's `+++` front matter: its title kept, the rest blanked (lines keep count)."""
        match = _TOML_FRONT_MATTER.match(text)
        if match is None:
            return text
        block = match.group(0)
        title = re.search(r'^title\s*=\s*["\'](.+?)["\']\s*$', block, re.M)
        if title:
            self.draft.title = title.group(1)
        self.draft.note(1, "front matter read for its title", "guessed", block.count("\n"))
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
                self.draft.note(1, "front matter read for its title", "guessed", _end_line(node))
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

    def _sections(self, nodes: list[SyntaxTreeNode]) -> list[_Section]:
        sections = [_Section(0, "", 1)]
        stack: list[_Section] = []
        for node in nodes:
            bold = _bold_heading(node)
            if node.type == "heading" or bold is not None:
                if bold is not None:
                    base = stack[-1].level if stack else 1
                    level = base + 1 if not (stack and stack[-1].title.startswith("**")) else base
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
                section = _Section(level, title, _line(node), parents=list(stack))
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

    def _classify(self, sections: list[_Section]) -> None:
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
            s.kind in ("steps", "preparation") and any(n.type in _STEP_BLOCKS for n in s.blocks)
            for s in sections
            if s.level > 0
        )
        if about_rollback or not has_steps:
            for section in sections:
                if section.kind == "rollback":
                    section.kind = "steps"
        # The ways to do something ("Rollback methods", "Upgrade approaches") are
        # alternatives beside a procedure, and the procedure itself when there is no other.
        has_steps = any(
            s.kind in ("steps", "preparation") and any(n.type in _STEP_BLOCKS for n in s.blocks)
            for s in sections
            if s.level > 0 and not any(p.kind == "ways" for p in s.parents)
        )
        for section in sections:
            under_ways = section.kind == "ways" or any(p.kind == "ways" for p in section.parents)
            if under_ways and section.kind in ("ways", "steps"):
                section.one_way = not has_steps
                section.kind = "info" if has_steps else "steps"

    # ---- sections ------------------------------------------------------------------------------

    def _section(self, section: _Section) -> None:
        kind = section.kind
        if PONR_SAID.search(section.title):
            self.pending_ponr = section.title
        if kind not in ("steps", "preparation", "verification"):
            for node in section.blocks:  # "> Point of no return: the next step."
                quoted = node.children if node.type == "blockquote" else [node]
                for child in quoted:
                    if child.type == "paragraph" and child.children:
                        self._ponr_paragraph(" ".join(inline_text(child.children[0]).split()), None)
        if kind in ("steps", "preparation", "verification"):
            before = len(self.draft.steps)
            variant_of = self._variant_of(section)
            if variant_of is not None:
                self._as_alternative(variant_of, section)
            else:
                self._steps_section(section)
            section.made = self.draft.steps[before:]
            if section.one_way and not section.made and section.blocks:
                self.other_ways.append(section)  # kept with the way that has the steps
        elif kind == "rollback":
            self._rollback_section(section)
        elif kind == "gate":
            self._gate_section(section)
        else:
            self._other_section(section)

    def _variant_of(self, section: _Section) -> DraftStep | None:
        """The step this section is another way of doing: the section before it, at its
        level, starts with the same verb ("Restoring from snapshot", then "Restoring with
        revision bump") and became one step."""
        previous = section.previous
        word = first_word(section.title)
        if previous is None or len(word) < 4 or first_word(previous.title) != word:
            return None
        if not _VARIANT.match(section.title):  # "Updating Go…", "Updating React…": in turn
            return None
        if _STEP_WORD_TITLE.match(section.title) or _NUMBERED_TITLE.match(section.title):
            return None
        if len(previous.made) != 1 or section.children:
            return None
        return previous.made[0]

    def _as_alternative(self, step: DraftStep, section: _Section) -> None:
        """A section that is another way of doing `step`: its heading, text and commands
        are kept with that step as an alternative, never run as a step of their own."""
        step.alternatives.append(f"{section.title}:")
        for node in section.blocks:
            if node.type == "paragraph" and node.children:
                step.alternatives.append(
                    " ".join(inline_text(node.children[0], keep_code_marks=True).split())
                )
            elif node.type in _CODE and _block_command(node):
                step.alternatives.append(_block_command(node))
        self.draft.note(
            section.line,
            f"{section.title[:40]!r} read as another way of doing step {step.title[:40]!r}",
            "guessed",
        )

    def _phase(self, section: _Section, *, heading_is_step: bool) -> str:
        path = [
            p.title
            for p in section.parents
            if p.title and not _GENERIC.match(p.title) and p.kind != "info"
        ]
        if not heading_is_step and section.title and not _GENERIC.match(section.title):
            path.append(section.title)
        path = [_NUMBERING.sub("", strip_ponr(p) or p) or p for p in path]
        return " › ".join(path[-2:])

    def _other_section(self, section: _Section) -> None:
        if not section.blocks:
            return
        if section.level == 0:  # before the first heading: metadata and an introduction
            for node in section.blocks:
                self._preamble_block(node)
            return
        first, last = _line(section.blocks[0]), _end_line(section.blocks[-1])
        where = f"{section.title[:50]!r}"
        reasons = {
            "contacts": "contacts: put them on a contact card (cockpit new makes one)",
            "comms": "communication plan: add it as [communications] (see cockpit new)",
            "info": "text that describes rather than instructs",
        }
        self.draft.note(
            first, f"{where}: {reasons.get(section.kind, 'not mapped')}", "not mapped", last
        )

    def _preamble_block(self, node: SyntaxTreeNode) -> None:
        if node.type == "paragraph" and node.children:
            for number, line in enumerate(inline_text(node.children[0]).split("\n"), _line(node)):
                if not self._meta(line, number) and line.strip():
                    self.draft.note(number, "introduction, not a step")
        elif node.type in ("bullet_list", "ordered_list"):
            for item in node.children:
                text = self._item_text(item)
                if not self._meta(text, _line(item)):
                    self.draft.note(_line(item), "introduction list item, not a step")
        elif node.type == "table":
            self._table(node, None)

    def _steps_section(self, section: _Section) -> None:
        blocks = section.blocks
        ordered = [n for n in blocks if n.type == "ordered_list" and len(n.children) >= 2]
        title = section.title
        numbered = bool(_STEP_WORD_TITLE.match(title) or _NUMBERED_TITLE.match(title))
        heading_step: DraftStep | None = None
        explained = None if numbered else self._explained_step(section)
        if explained is not None:
            self._explain(explained, section)
            return
        if not _STEP_WORD_TITLE.match(title) and self._prose_procedure(blocks):
            self._prose_steps(section, self._phase(section, heading_is_step=False))
            return
        if self._is_heading_step(section, numbered=numbered, ordered=bool(ordered)):
            heading_step = self._heading_step(section)
        phase = self._phase(section, heading_is_step=heading_step is not None)
        if section.kind == "verification" and heading_step is None:
            phase = phase or "Verification"
        current = heading_step
        made: list[DraftStep] = []
        lead_in: str | None = None
        alternative = False
        for node in blocks:
            kind = node.type
            if kind == "paragraph":
                text = inline_text(node.children[0], keep_code_marks=True) if node.children else ""
                plain = " ".join(text.split())
                if not plain:
                    continue
                if current is None and self._meta_lines(text, _line(node)):
                    continue
                if self._ponr_paragraph(plain, current):
                    continue
                alternative = is_alternative(plain) and current is not None
                if (
                    made
                    and current is made[-1]
                    and heading_step is None
                    and not alternative
                    and prose_action(plain)
                ):
                    # The procedure goes on in prose: "At this point you should install…".
                    first, _, rest = _first_sentence(plain)
                    current = self._step_from_text(first, _line(node), phase, section)
                    if rest:
                        current.instructions.append(rest)
                    made.append(current)
                    lead_in = plain if plain.endswith(":") else None
                    continue
                if current is not None:
                    if alternative:
                        current.alternatives.append(plain)
                    elif not self._detail(current, plain, _line(node)):
                        current.instructions.append(plain)
                    lead_in = plain if plain.endswith(":") else None
                elif plain.endswith(":"):
                    lead_in = plain
                else:
                    lead_in = plain
                    self.draft.note(_line(node), f"text in {title[:40]!r} before its first step")
            elif kind in ("ordered_list", "bullet_list"):
                if heading_step is not None:
                    self._sub_items(heading_step, node, lead_in or "")
                    continue
                descriptive = lead_in is not None and introduces_description(lead_in)
                sequence = lead_in is not None and introduces_sequence(lead_in)
                if descriptive or not (
                    kind == "ordered_list" or sequence or self._step_like(node, section.kind)
                ):
                    self._unmapped_list(node, lead_in, title)
                    lead_in = None
                    continue
                for item in node.children:
                    for step in self._item_steps(item, phase, section):
                        made.append(step)
                        current = step
                lead_in = None
                alternative = False
            elif kind in ("fence", "code_block"):
                command = _block_command(node)
                if not command:
                    continue
                if lead_in is not None and introduces_output(lead_in):
                    if current is not None:  # what it prints: shown, never to be run
                        current.instructions.extend(f"    {line}" for line in command.split("\n"))
                    lead_in = None
                    continue
                if current is None and lead_in is not None and is_action(lead_in):
                    current = self._step_from_text(lead_in, _line(node) - 1, phase, section)
                    made.append(current)
                    lead_in = None
                if current is None:
                    current = self._heading_step(section) if title else None
                    heading_step = current
                if current is None:
                    self.draft.note(
                        _line(node),
                        "code block not under a step: left out",
                        end_line=_end_line(node),
                    )
                    continue
                if alternative:
                    current.alternatives.append(command)
                else:
                    current.commands.append(command)
            elif kind == "table":
                self._table(node, section, phase)
                current = self.draft.steps[-1] if self.draft.steps else current
            elif kind == "blockquote":
                for child in node.children:
                    if child.type != "paragraph" or not child.children:
                        continue
                    quoted = " ".join(inline_text(child.children[0], keep_code_marks=True).split())
                    if self._ponr_paragraph(quoted, current):
                        continue
                    if current is not None:
                        current.instructions.append(quoted)
            elif kind == "html_block":
                continue
        if section.kind == "verification" and heading_step is None:
            self._checks_to_verification(made)

    def _explained_step(self, section: _Section) -> DraftStep | None:
        """An earlier step this section explains ("### Dump and load PostgreSQL" after the
        step "Dump and load the PostgreSQL database using the instructions below"): the
        heading's words are that step's. Its content is that step's detail, not new steps."""
        from cockpit.importers.rollbacks import words_of

        heading = words_of(section.title)
        if len(heading) < 2 or not section.blocks or self._step_like_lists(section.blocks):
            return None
        best: tuple[int, int] | None = None
        for index, step in enumerate(self.draft.steps):
            pointed = _POINTS_BELOW.search(" ".join([step.title, *step.instructions]))
            if not pointed and not any(_DETAILED.search(p.title) for p in section.parents):
                continue
            shared = len(heading & words_of(step.title))
            if (
                shared >= 2
                and shared * 10 >= len(heading) * 6
                and (best is None or shared > best[0])
            ):
                best = (shared, index)
        return self.draft.steps[best[1]] if best is not None else None

    def _explain(self, step: DraftStep, section: _Section) -> None:
        """A section's text, lists and code as the details of the step it explains."""
        self.draft.note(
            section.line,
            f"section {section.title[:40]!r} read as the details of step {step.title[:40]!r}",
            "guessed",
        )
        lead: str | None = None
        for node in section.blocks:
            if node.type == "paragraph" and node.children:
                lead = " ".join(inline_text(node.children[0], keep_code_marks=True).split())
                step.instructions.append(lead)
            elif node.type in _CODE:
                command = _block_command(node)
                if not command:
                    continue
                if lead is not None and introduces_output(lead):
                    step.instructions.extend(f"    {line}" for line in command.split("\n"))
                elif lead is not None and is_alternative(lead):
                    step.alternatives.append(command)
                else:
                    step.commands.append(command)
            elif node.type in ("bullet_list", "ordered_list"):
                for item in node.children:
                    self._sub_item(step, item)

    def _prose_procedure(self, blocks: list[SyntaxTreeNode]) -> bool:
        """A section told in prose: no lists, a code block at least, and two or more things
        to do — a paragraph saying what to do before a code block, or a sentence telling
        the reader to do something ("Additionally, be sure to update…")."""
        if any(n.type in ("ordered_list", "bullet_list", "table") for n in blocks):
            return False
        units = codes = 0
        for node, after in _with_next(blocks):
            if node.type in _CODE:
                codes += 1
            if node.type != "paragraph" or not node.children:
                continue
            lead = " ".join(inline_text(node.children[0]).split())
            if introduces_output(lead) or is_alternative(lead):
                continue
            if (after is not None and after.type in _CODE) or prose_action(lead):
                units += 1
        return units >= 2 and (codes >= 1 or units >= 3)

    def _prose_steps(self, section: _Section, phase: str) -> None:
        """The steps of a procedure told in prose: each paragraph before a code block, and
        each sentence telling the reader to act, is a step; output shown and the other ways
        offered go with the step before them."""
        blocks = section.blocks
        current: DraftStep | None = None
        waiting: list[str] = []  # text before the first step, for it
        showing_output = offering_alternative = False
        for node, after in _with_next(blocks):
            if node.type == "paragraph" and node.children:
                text = " ".join(inline_text(node.children[0], keep_code_marks=True).split())
                if not text or self._ponr_paragraph(text, current):
                    continue
                code_next = after is not None and after.type in _CODE
                if text[:1].islower() and current is not None and not is_alternative(text):
                    # "and then run:" goes on with the step before it.
                    current.instructions.append(text)
                    showing_output = offering_alternative = False
                    continue
                going_on = offering_alternative and _GOES_ON.match(text) is not None
                showing_output = introduces_output(text)
                offering_alternative = (is_alternative(text) or going_on) and current is not None
                if offering_alternative and current is not None:
                    current.alternatives.append(text)
                elif not showing_output and (code_next or prose_action(text)):
                    first, _, rest = _first_sentence(text)
                    current = self._step_from_text(first, _line(node), phase, section)
                    current.instructions.extend([*waiting, rest] if rest else waiting)
                    waiting = []
                elif current is not None:
                    current.instructions.append(text)
                else:
                    waiting.append(text)
            elif node.type in _CODE:
                command = _block_command(node)
                if not command:
                    continue
                shown = [f"    {line}" for line in command.split("\n")]
                if showing_output and current is None:
                    waiting.extend(shown)  # an error to recognise before the step it calls for
                    showing_output = False
                    continue
                if current is None:
                    current = self._heading_step(section)
                if showing_output:  # what it prints: shown, never to be run
                    current.instructions.extend(shown)
                elif offering_alternative:
                    current.alternatives.append(command)
                else:
                    current.commands.append(command)
                showing_output = False  # an alternative may go on: "Then release with …"
            elif node.type == "blockquote" and current is not None:
                for child in node.children:
                    if child.type == "paragraph" and child.children:
                        quoted = " ".join(inline_text(child.children[0]).split())
                        if not self._ponr_paragraph(quoted, current):
                            current.instructions.append(quoted)

    def _is_heading_step(self, section: _Section, *, numbered: bool, ordered: bool) -> bool:
        """Whether a section's heading is itself a step: numbered ("### 3. Port"), or an
        action ("### Block deployments") whose lists are its details, or a heading over
        text and code only. A heading with sections under it is a phase."""
        title, blocks = section.title, section.blocks
        if not title or section.has_children or not (blocks or numbered or is_action(title)):
            return False
        if _STEP_WORD_TITLE.match(title):
            return True  # "### Step 2: Execute Rollback": its lists are its details
        if numbered:
            return not ordered
        if is_action(title) and not is_phase_title(title):
            return not ordered and not self._step_like_lists(blocks)
        has_lists = any(n.type in ("ordered_list", "bullet_list", "table") for n in blocks)
        previous = section.previous
        if previous is not None and previous.step is not None and not has_lists and blocks:
            # Its siblings are steps by their headings, and its text asks for something
            # ("device plugins must be upgraded…"): a step too.
            said = " ".join(
                inline_text(n.children[0]) for n in blocks if n.type == "paragraph" and n.children
            )
            return bool(_OBLIGATION.search(said)) or any(
                prose_action(sentence) and not _DESCRIBES.match(sentence)
                for sentence in re.split(r"(?<=[.!?])\s+", said)
            )
        return not has_lists and any(n.type in _CODE for n in blocks)

    def _checks_to_verification(self, made: list[DraftStep]) -> None:
        """In a closing verification section, items that state what must be true (no
        action, no command) are the post-cutover checklist, not steps."""
        for step in made:
            if step.commands or is_action(step.title) or step.owner:
                continue
            step.guessed.append("verification")

    def _step_like_lists(self, blocks: list[SyntaxTreeNode]) -> bool:
        """Whether the section's bullets are surely steps of their own, so its heading is
        a phase: checkboxes, or items with their own owner, duration or code block."""
        for node in blocks:
            if node.type != "bullet_list" or len(node.children) < 2:
                continue
            strong = 0
            for item in node.children:
                text = self._item_text(item)
                if (
                    _CHECKBOX.match(text)
                    or any(c.type in ("fence", "code_block") for c in item.children)
                    or take_owners(text)[0]
                    or _step_duration(text) is not None
                ):
                    strong += 1
            if strong * 2 >= len(node.children):
                return True
        return False

    def _step_like(self, node: SyntaxTreeNode, kind: str) -> bool:
        """Whether a bullet list is a list of steps: mostly actions or checkboxes."""
        items = node.children
        if not items:
            return False
        votes = 0
        for item in items:
            text = self._item_text(item)
            if (
                _CHECKBOX.match(text)
                or is_action(text)
                or any(c.type in ("fence", "code_block") for c in item.children)
            ):
                votes += 1
        if kind == "verification":
            return True
        return votes * 2 >= len(items)

    def _unmapped_list(self, node: SyntaxTreeNode, lead_in: str | None, title: str) -> None:
        why = f"after {lead_in[:50]!r}" if lead_in else f"in {title[:40]!r}"
        self.draft.note(
            _line(node), f"a list of facts, not steps ({why})", end_line=_end_line(node)
        )

    def _ponr_paragraph(self, text: str, current: DraftStep | None) -> bool:
        if not PONR_SAID.search(text):
            return False
        ahead = re.search(r"\b(next|below|following|after this|coming)\b", text, re.I)
        if current is not None and not ahead:
            current.ponr = True
            self.draft.ponr_why = self.draft.ponr_why or _why(text)
        else:
            self.pending_ponr = text
            self.draft.ponr_why = self.draft.ponr_why or _why(text)
        return True

    # ---- steps ---------------------------------------------------------------------------------

    def _heading_step(self, section: _Section) -> DraftStep:
        title = section.title
        number = None
        match = _STEP_WORD_TITLE.match(title) or _NUMBERED_TITLE.match(title)
        if match and match.group(2).strip():
            number, title = match.group(1), match.group(2)
        phase = self._phase(section, heading_is_step=True)
        step = self._new_step(title, section.line, number, phase, section)
        section.step = len(self.draft.steps) - 1
        return step

    def _step_from_text(self, text: str, line: int, phase: str, section: _Section) -> DraftStep:
        return self._new_step(text.rstrip(":"), line, None, phase, section)

    def _new_step(
        self, text: str, line: int, number: str | None, phase: str, section: _Section
    ) -> DraftStep:
        text = " ".join(text.split())
        step = DraftStep(title="", line=line, number=number, section=phase)
        self.raw_titles[id(step)] = text.replace("`", "")
        if PONR_SAID.search(text) or self.pending_ponr is not None:
            step.ponr = True
            self.pending_ponr = None
            text = strip_ponr(text)
        timing = (
            find_timing(text)
            or find_timing(section.title)
            or next(
                (find_timing(p.title) for p in reversed(section.parents) if find_timing(p.title)),
                None,
            )
        )
        if timing is not None:
            step.timing = timing.text
        duration = _step_duration(text)
        if duration is not None:
            step.minutes, start, end = duration
            if _strippable(text, start, end):  # "(15 min)", "— 10 min": a label, not words
                text = strip_span(text, start, end)
        owners, rest = take_owners(_protect_placeholders(text))
        owners = [o for o in owners if not placeholders(f"[{o}]")]
        if owners:
            step.owner = owners[0]
            text = _restore_placeholders(rest)
            if len(owners) > 1:
                step.instructions.append(f"With: {', '.join(owners[1:])}")
        title = tidy_title(text)
        if len(title) > 120:
            first, _, rest_text = _first_sentence(title)
            if rest_text:
                step.instructions.insert(0, rest_text)
                title = first
        step.title = title or f"Step {len(self.draft.steps) + 1}"
        self.draft.add_step(step)
        return step

    def _item_text(self, item: SyntaxTreeNode) -> str:
        first = item.children[0] if item.children else None
        if first is not None and first.type == "paragraph" and first.children:
            return " ".join(inline_text(first.children[0], keep_code_marks=True).split())
        return ""

    def _item_steps(self, item: SyntaxTreeNode, phase: str, section: _Section) -> list[DraftStep]:
        """The steps of a top-level list item: itself, or, when it only introduces a
        numbered list of actions ("Finish replicating all data:" then 1. 2. 3.), those."""
        nested = next((c for c in item.children if c.type in ("ordered_list", "bullet_list")), None)
        text = self._item_text(item)
        if nested is not None and len(nested.children) >= 2 and text.rstrip("*_ ").endswith(":"):
            if nested.type == "ordered_list":
                actions = sum(
                    1
                    for sub in nested.children
                    if is_action(self._item_text(sub))
                    or any(c.type in (*_CODE, "ordered_list", "bullet_list") for c in sub.children)
                )
            elif not _is_label(item) and (
                is_action(text) or len(text.split()) > 8 or _CHECKBOX.match(text)
            ):
                actions = 0  # an action's (or a checkbox's) own checklist: its details
            else:  # under a label ("**Verify system stability**:"): a checklist is steps
                actions = sum(1 for sub in nested.children if _CHECKBOX.match(self._item_text(sub)))
            if actions * 2 >= len(nested.children):
                steps: list[DraftStep] = []
                for sub in nested.children:
                    step = self._item_step(sub, phase, section)
                    if step is not None:
                        steps.append(step)
                if steps:
                    lead = text.rstrip(":")
                    steps[0].instructions.insert(0, f"{lead}:")
                    for child in item.children[1:]:
                        if child is nested or child.type != "paragraph" or not child.children:
                            continue
                        steps[-1].instructions.append(
                            " ".join(inline_text(child.children[0], keep_code_marks=True).split())
                        )
                    return steps
        step = self._item_step(item, phase, section)
        return [step] if step is not None else []

    def _item_step(self, item: SyntaxTreeNode, phase: str, section: _Section) -> DraftStep | None:
        """A list item as a step: its first paragraph the title, the rest its details."""
        children = list(item.children)
        first = children[0] if children else None
        if first is None or first.type != "paragraph" or not first.children:
            if first is not None and first.type in ("fence", "code_block"):
                command = _block_command(first)
                step = self._new_step(command.split("\n")[0], _line(item), None, phase, section)
                step.commands.append(command)
                return step
            return None
        inline = first.children[0]
        raw = inline_text(inline, keep_code_marks=True)
        text = " ".join(raw.split())
        check = _CHECKBOX.match(text)
        if check and check.group(1) != " ":
            self.draft.note(_line(item), f"already done ([x]), not a step: {text[:50]!r}")
            return None
        if _only_struck(inline):
            self.draft.note(_line(item), f"struck through, not a step: {text[:50]!r}")
            return None
        if check:
            text = text[check.end() :]
        if not text:
            return None
        if re.match(r"^\W*(go\s*/\s*no[\s-]*go|gate)\b", text, re.I):
            self._inline_gate(item, text)
            return None
        if _CHEER.match(text) and not is_action(text.removeprefix("Enjoy")):
            self.draft.note(_line(item), f"a closing remark, not a step: {text[:50]!r}")
            return None
        number = item.info or None
        lines = [line.strip() for line in raw.split("\n") if line.strip()]
        if check and lines:
            lines[0] = _CHECKBOX.sub("", lines[0])
        details = [line for line in lines[1:] if _KEY_VALUE.match(line) and _detail_key(line)]
        prose = " ".join(line for line in lines if line not in details) or text
        title_line, _, rest = _first_sentence(prose)
        step = self._new_step(title_line, _line(item), number, phase, section)
        if rest:
            step.instructions.append(rest)
        for extra in details:
            if not self._detail(step, extra, _line(item)):
                step.instructions.append(extra)
        # Commands written in the title's sentence are the step's; those in the sentences
        # after it (often "if that fails, you can … `other command`") stay in its text.
        for code in re.findall(r"`([^`]+)`", title_line):
            if _looks_like_command(code) and (is_action(text) or text.startswith("`")):
                step.commands.append(code)
        alternative = False
        for child in children[1:]:
            if child.type == "paragraph" and child.children:
                para = " ".join(inline_text(child.children[0], keep_code_marks=True).split())
                alternative = is_alternative(para)
                if alternative:
                    step.alternatives.append(para)
                elif not self._detail(step, para, _line(child)):
                    step.instructions.append(para)
            elif child.type in ("fence", "code_block"):
                command = _block_command(child)
                if command:
                    (step.alternatives if alternative else step.commands).append(command)
            elif child.type in ("bullet_list", "ordered_list"):
                self._sub_items(step, child, title_line)
            elif child.type == "blockquote":
                for quoted in child.children:
                    if quoted.type == "paragraph" and quoted.children:
                        step.instructions.append(
                            " ".join(inline_text(quoted.children[0], keep_code_marks=True).split())
                        )
        return step

    def _sub_items(self, step: DraftStep, node: SyntaxTreeNode, lead: str) -> None:
        """A step's sub-list. When it offers ways to do the step ("run one of the
        following", "If you have SSH… / If you do not…"), the first is the step's own way
        and the others are alternatives."""
        items = list(node.children)
        offered = [is_alternative(self._item_text(item)) for item in items]
        choice = bool(_ONE_OF.search(lead)) or sum(offered) >= 2
        first = next((i for i, alt in enumerate(offered) if alt), 0) if sum(offered) >= 2 else 0
        for index, item in enumerate(items):
            if choice and index == first:
                self._sub_item(step, item, main_way=True)
            elif choice and (offered[index] or _ONE_OF.search(lead)):
                self._sub_item(step, item, alternative=True)
            else:
                self._sub_item(step, item)

    def _sub_item(
        self,
        step: DraftStep,
        item: SyntaxTreeNode,
        *,
        main_way: bool = False,
        alternative: bool = False,
    ) -> None:
        """A sub-item of a step: a detail, a check, an alternative or a sub-action."""
        text = self._item_text(item)
        check = _CHECKBOX.match(text)
        if check:
            text = text[check.end() :]
        commands = [
            _block_command(child)
            for child in item.children
            if child.type in ("fence", "code_block")
        ]
        nested = [c for c in item.children if c.type in ("bullet_list", "ordered_list")]
        whole_code = re.fullmatch(r"`([^`]+)`", text.strip())
        if whole_code:
            (step.alternatives if is_alternative(text) else step.commands).append(
                whole_code.group(1)
            )
            text = ""
        if text:
            codes = _item_codes(item)
            if main_way:
                step.instructions.append(f"- {text}")
                step.commands.extend(c for c in commands if c)
                step.commands.extend(codes)
                for child in item.children[1:]:
                    if child.type == "paragraph" and child.children:
                        step.instructions.append(
                            " ".join(inline_text(child.children[0], keep_code_marks=True).split())
                        )
                return
            if alternative or is_alternative(text):
                step.alternatives.append(text)
                step.alternatives.extend(c for c in commands if c)
                commands = []
            elif self._detail(step, text, _line(item)):
                pass
            elif _CHECK_FIRST.match(text) and not commands:
                step.verify.append(text.replace("`", ""))
            elif commands or (is_action(text) and not states(text)):
                step.instructions.append(f"- {text}")
                if codes and is_action(text) and not commands:
                    step.commands.extend(codes)
            else:
                step.verify.append(text.replace("`", ""))
        step.commands.extend(c for c in commands if c)
        for sub_list in nested:
            for sub in sub_list.children:
                self._sub_item(step, sub)

    def _detail(self, step: DraftStep, text: str, line: int) -> bool:
        """A step detail written as "Key: value"; False when `text` is not one."""
        alone = find_durations(text)
        if len(alone) == 1 and not strip_span(text, alone[0].start, alone[0].end):
            step.minutes = step.minutes or alone[0].minutes  # "- 30m"
            return True
        match = _KEY_VALUE.match(text)
        if match is None:
            if PONR_SAID.search(text):
                step.ponr = True
                self.draft.ponr_why = self.draft.ponr_why or _why(text)
                return True
            return False
        key = next((name for name, pattern in _DETAIL_KEYS if pattern.match(match.group(1))), None)
        value = match.group(2).strip().strip("*_").strip()
        if key is None or not value:
            return False
        if key == "owner":
            owner = field_line(value.lstrip("@").replace("`", ""))
            if placeholders(owner):
                step.instructions.append(text)
            else:
                step.owner = step.owner or owner
        elif key == "minutes":
            found = find_durations(value)
            if found:
                step.minutes = found[-1].minutes
            elif re.fullmatch(r"\d{1,4}", value) and 0 < int(value) <= 1440:
                step.minutes = int(value)
            else:
                self.draft.note(line, f"duration {value[:40]!r} not understood")
                step.instructions.append(text)
        elif key == "rollback":
            nothing = _NOTHING.match(value)
            if nothing:
                step.no_rollback = nothing.group("rest").strip() or value
            else:
                durations = find_durations(value)
                action = value
                if durations:
                    action = strip_span(value, durations[-1].start, durations[-1].end) or value
                codes = [c for c in re.findall(r"`([^`]+)`", value) if " " in c]
                step.rollbacks.append(
                    DraftRollback(
                        action.replace("`", ""),
                        line,
                        durations[-1].minutes if durations else None,
                        codes,
                        step=len(self.draft.steps) - 1,
                    )
                )
        elif key == "verify":
            step.verify.extend(p.strip().replace("`", "") for p in value.split(";") if p.strip())
        elif key == "depends":
            step.depends_on.extend(
                m.group(1)
                for m in re.finditer(r"(?:#|\bstep\s*)?\b([A-Za-z]?\d{1,4}[a-z]?)", value)
            )
        elif key == "timing":
            timing = find_timing(value)
            if timing is None:
                return False
            step.timing = timing.text
        return True

    def _inline_gate(self, item: SyntaxTreeNode, text: str) -> None:
        title, _, rest = text.partition(":")
        listed = ";" in rest
        gate = DraftCheckpoint(title=title if listed else text, line=_line(item))
        for part in rest.split(";") if listed else []:
            if part.strip():
                gate.criteria.append(part.strip())
        for child in item.children[1:]:
            if child.type in ("bullet_list", "ordered_list"):
                for sub in child.children:
                    self._gate_line(gate, self._item_text(sub))
        self.draft.checkpoints.append(gate)

    # ---- rollback, gates, tables ---------------------------------------------------------------

    def _rollback_section(self, section: _Section) -> None:
        """A rollback section: its items in order, as written (attached later)."""
        current: DraftRollback | None = None
        title = strip_ponr(section.title)
        owner = next((p.step for p in reversed(section.parents) if p.step is not None), None)
        first = len(self.draft.rollbacks)
        if section.blocks and not any(
            n.type in ("ordered_list", "bullet_list") for n in section.blocks
        ):
            # Text and code only: the section is one undo, its heading the action.
            current = DraftRollback(title, section.line)
            self.draft.rollbacks.append(current)
        for node in section.blocks:
            if node.type in ("ordered_list", "bullet_list"):
                for item in node.children:
                    text = self._item_text(item).replace("`", "")
                    codes = [
                        _block_command(c)
                        for c in item.children
                        if c.type in ("fence", "code_block")
                    ]
                    for child in item.children[1:]:
                        if child.type in ("bullet_list", "ordered_list"):
                            for sub in child.children:
                                text = f"{text}; {self._item_text(sub).replace('`', '')}"
                                codes.extend(
                                    _block_command(c)
                                    for c in sub.children
                                    if c.type in ("fence", "code_block")
                                )
                    durations = find_durations(text)
                    minutes = durations[-1].minutes if durations else None
                    if durations:
                        text = strip_span(text, durations[-1].start, durations[-1].end) or text
                    text = take_owners(text)[1] or text
                    current = DraftRollback(
                        text or title, _line(item), minutes, [c for c in codes if c]
                    )
                    self.draft.rollbacks.append(current)
            elif node.type in ("fence", "code_block"):
                command = _block_command(node)
                if current is None:
                    current = DraftRollback(title, _line(node))
                    self.draft.rollbacks.append(current)
                if command:
                    current.commands.append(command)
            elif node.type == "paragraph" and node.children:
                text = " ".join(inline_text(node.children[0]).split())
                durations = find_durations(text)
                if current is not None and durations and current.minutes is None:
                    current.minutes = durations[-1].minutes
                    text = strip_span(text, durations[-1].start, durations[-1].end) or text
                if current is not None and not current.commands and text:
                    current.text = f"{current.text} {text}" if current.text != title else text
            elif node.type == "table":
                self._table(node, section)
        if owner is not None:  # a "#### Rollback" under a step's heading undoes that step
            for undo in self.draft.rollbacks[first:]:
                undo.step = owner
                if undo.text == title:
                    undo.text = f"Undo {self.draft.steps[owner].title}"

    def _gate_section(self, section: _Section) -> None:
        gate = DraftCheckpoint(title=strip_ponr(section.title) or section.title, line=section.line)
        self.draft.checkpoints.append(gate)
        for node in section.blocks:
            if node.type in ("bullet_list", "ordered_list"):
                for item in node.children:
                    self._gate_line(gate, _CHECKBOX.sub("", self._item_text(item)))
            elif node.type == "paragraph" and node.children:
                for line in inline_text(node.children[0]).split("\n"):
                    match = _KEY_VALUE.match(line.strip())
                    if match and any(p.match(match.group(1)) for _, p in _GATE_KEYS):
                        self._gate_line(gate, line.strip())

    def _gate_line(self, gate: DraftCheckpoint, text: str) -> None:
        if not text:
            return
        match = _KEY_VALUE.match(text)
        key = next(
            (name for name, pattern in _GATE_KEYS if match and pattern.match(match.group(1))),
            None,
        )
        if key == "decider" and match:
            gate.decider = gate.decider or field_line(match.group(2).lstrip("@"))
        elif key == "no_go" and match:
            gate.no_go = gate.no_go or match.group(2)
        else:
            gate.criteria.append(text.replace("`", ""))

    def _table(self, node: SyntaxTreeNode, section: _Section | None, phase: str = "") -> None:
        from cockpit.importers.csv_import import add_rows, map_header

        rows = _table_rows(node)
        if not rows:
            return
        (header_line, header), body = rows[0], rows[1:]
        last = body[-1][0] if body else header_line
        if any(_NOT_TABLE_COLUMNS.search(cell) for cell in header):
            self.draft.note(header_line, "table of names and sign-offs, not steps", end_line=last)
            return
        if all(len([c for c in cells if c]) == 2 and meta_key(cells[0]) for _, cells in body):
            for number, cells in body:
                filled = [cell for cell in cells if cell]
                self._meta(f"{filled[0]}: {filled[1]}", number)
            return
        kind = section.kind if section is not None else "info"
        mapping = map_header(header, header_line, self.draft, body)
        if mapping is not None and kind in ("steps", "preparation", "verification", "rollback"):
            add_rows(
                self.draft,
                mapping,
                body,
                section=phase,
                kind="rollback" if kind == "rollback" else "",
            )
            return
        if kind == "gate" and section is not None:
            gate = self.draft.checkpoints[-1] if self.draft.checkpoints else None
            if gate is not None:
                gate.criteria.extend(cells[0] for _, cells in body if cells and cells[0])
                return
        self.draft.note(header_line, "table not mapped (no task column)", end_line=last)

    def _meta_lines(self, text: str, number: int) -> bool:
        """A paragraph of "Customer: …" / "Window: …" lines; False unless it starts so."""
        lines = text.split("\n")
        keys = [_KEY_VALUE.match(line.strip()) for line in lines]
        if not any(match is not None and meta_key(match.group(1)) for match in keys):
            return False
        for offset, line in enumerate(lines):
            if line.strip() and not self._meta(line, number + offset):
                self.draft.note(
                    number + offset,
                    "not a field the runbook has (Customer, Window, Timezone, RTO, Version)",
                )
        return True

    def _meta(self, text: str, number: int) -> bool:
        match = _KEY_VALUE.match(text.strip())
        if match is None:
            return False
        key = meta_key(match.group(1))
        if key is None:
            return False
        if not apply_meta(self.draft, key, match.group(2), number):
            self.draft.note(number, f"{key} {match.group(2)[:50]!r} not understood")
        return True

    # ---- after the last section ----------------------------------------------------------------

    def _after(self) -> None:
        """What needs the whole document: the verification list at the end, a pending
        point of no return, placeholders reported, phases without the heading they all
        share."""
        steps = self.draft.steps
        ways = [s for s in self.other_ways if s.parents]
        for way in ways:
            group = way.parents[-1]
            first = next((c.made[0] for c in group.children if c.made and c is not way), None)
            if first is not None:
                self._as_alternative(first, way)
        heads = {step.section.split(" › ")[0] for step in steps}
        if len(heads) == 1 and len({step.section for step in steps}) > 1:
            for step in steps:  # one heading over the whole procedure is not a phase
                step.section = step.section.partition(" › ")[2]
        # Checks stated (no action) in a verification section after the last real step
        # are the post-cutover checklist.
        last_real = max(
            (i for i, s in enumerate(steps) if "verification" not in s.guessed), default=-1
        )
        kept: list[DraftStep] = []
        for index, step in enumerate(steps):
            if "verification" in step.guessed:
                if index > last_real:
                    self.draft.verification.append(self.raw_titles.get(id(step), step.title))
                    continue
                step.guessed.remove("verification")
            kept.append(step)
        if len(kept) != len(steps):
            self._reindex(kept)
        for step in self.draft.steps:
            for text in (step.title, *step.commands, *step.instructions):
                for placeholder in placeholders(text):
                    self.draft.note(
                        step.line,
                        f"placeholder {placeholder!r} in step {step.title[:40]!r}: fill it in",
                        "guessed",
                    )
                    if "placeholder" not in step.guessed:
                        step.guessed.append("placeholder")

    def _reindex(self, kept: list[DraftStep]) -> None:
        old = self.draft.steps
        position = {id(step): index for index, step in enumerate(kept)}
        for checkpoint in self.draft.checkpoints:
            if checkpoint.before is None:
                continue
            following = next(
                (position[id(s)] for s in old[checkpoint.before :] if id(s) in position), None
            )
            checkpoint.before = following
        for rollback in self.draft.rollbacks:
            if rollback.step is not None:
                rollback.step = position.get(id(old[rollback.step]))
        self.draft.steps = kept


# ---- small helpers ----------------------------------------------------------------------------


def _with_next(
    blocks: list[SyntaxTreeNode],
) -> list[tuple[SyntaxTreeNode, SyntaxTreeNode | None]]:
    """Each block with the block after it (None after the last)."""
    return [(node, blocks[i + 1] if i + 1 < len(blocks) else None) for i, node in enumerate(blocks)]


def _item_codes(item: SyntaxTreeNode) -> list[str]:
    """Inline code of an item's first line that reads as a command (has an argument)."""
    first = item.children[0] if item.children else None
    if first is None or first.type != "paragraph" or not first.children:
        return []
    return [code for code in _inline_codes(first.children[0]) if _looks_like_command(code)]


#: Fenced blocks that draw or show rather than run.
_NOT_COMMANDS = frozenset({"mermaid", "plantuml", "dot", "graphviz", "diagram", "math", "csv"})


def _looks_like_command(code: str) -> bool:
    """Whether inline code is a command to run ("git cherry-pick -x $commit") rather than a
    name set in code ("Released As", "postgresql.conf")."""
    code = code.strip()
    if " " not in code:
        return False
    return not code[0].isupper() or bool(re.search(r"[-/=$.|]", code))


def _block_command(node: SyntaxTreeNode) -> str:
    """A code block as one command, byte for byte (its last line break dropped).

    The prompt of a terminal session ("$ ") is kept too: the command is shown as the
    source shows it."""
    if node.type == "fence" and node.info.strip().split(" ")[0].lower() in _NOT_COMMANDS:
        return ""
    content = node.content
    if content.endswith("\n"):
        content = content[:-1]
    return content if content.strip() else ""


def _table_rows(node: SyntaxTreeNode) -> list[tuple[int, list[str]]]:
    rows: list[tuple[int, list[str]]] = []
    for part in node.children:
        for row in part.children:
            cells = [
                clean_text(inline_text(cell.children[0]) if cell.children else "")
                for cell in row.children
            ]
            rows.append((_line(row) or _line(part), cells))
    return rows


def _step_duration(text: str) -> tuple[int, int, int] | None:
    """How long a step takes, when its line says so: "(15 min)", "~20m", "— 10 minutes";
    never "every 5 minutes", "after 24h", "within 2 hours"."""
    from cockpit.importers.words import is_duration_context

    chosen = None
    for found in find_durations(text):
        if not is_duration_context(text[: found.start]):
            continue
        before = text[: found.start].rstrip()
        after = take_owners(text[found.end :])[1].strip(" .;,)]")
        if (
            found.marked
            or not after
            or before.endswith(("-", "–", "—", ":", "|"))
            or re.search(
                r"\b(wait|allow|takes?|for|approx\.?|approximately|about|around|est\.?)\s*$",
                before,
                re.I,
            )
        ):
            chosen = found
    if chosen is None:
        return None
    return chosen.minutes, chosen.start, chosen.end


def _detail_key(line: str) -> str | None:
    """Which step detail a "Key: value" line gives ("owner", "minutes"…), if any."""
    match = _KEY_VALUE.match(line.strip())
    if match is None:
        return None
    return next((name for name, pattern in _DETAIL_KEYS if pattern.match(match.group(1))), None)


def _strippable(text: str, start: int, end: int) -> bool:
    """Whether a duration is written as a label on the line (bracketed, after '~' or a
    dash, or trailing after the words) rather than as part of them ("Monitor the error
    rate for 30 minutes" keeps its words)."""
    before = text[:start].rstrip()
    return not re.search(r"\b(for|wait|within|over|during|about|up to)$", before, re.I)


def _first_sentence(text: str) -> tuple[str, str, str]:
    """The first sentence (the title), a separator, and the rest (instructions)."""
    match = re.search(r"(?<!\be\.g)(?<!\bi\.e)(?<=[.!?])\s+(?=[A-Z`\[(])", text)
    if match is None:
        return text, "", ""
    return text[: match.start()], " ", text[match.end() :]


def _protect_placeholders(text: str) -> str:
    """Placeholders in square brackets are not owners: hide their brackets from
    `take_owners` ("[RELEASE TAG]" is something to fill in)."""
    for placeholder in placeholders(text):
        if placeholder.startswith("["):
            text = text.replace(placeholder, "\x02" + placeholder[1:-1] + "\x03")
    return text


def _restore_placeholders(text: str) -> str:
    return text.replace("\x02", "[").replace("\x03", "]")


def _why(text: str) -> str:
    """What a point-of-no-return note says about why, without the marker and pointers."""
    why = strip_ponr(text)
    why = re.sub(
        r"^(?:is\s+)?(?:the\s+)?(?:next|following)\s+step\b[.:,;]?\s*", "", why, flags=re.I
    )
    return tidy_title(why)
