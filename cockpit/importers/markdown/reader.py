"""What a Markdown runbook's sections mean for the night: steps, their details and
alternatives, phases and timings, rollbacks, go/no-go gates, and everything left out.

See the package's docstring for the rules; `document` gives the sections.
"""

from __future__ import annotations

import re
from pathlib import Path

from markdown_it.tree import SyntaxTreeNode

from cockpit.importers.draft import Draft, DraftCheckpoint, DraftRollback, DraftStep
from cockpit.importers.durations import find_durations
from cockpit.importers.markdown.document import (
    CODE,
    NUMBERED_TITLE,
    STEP_WORD_TITLE,
    Section,
    block_command,
    end_line_of,
    inline_text,
    line_of,
    parse_document,
    table_rows,
    with_next,
)
from cockpit.importers.markdown.items import (
    CHECKBOX,
    GATE_KEYS,
    KEY_VALUE,
    StepReading,
    first_sentence,
)
from cockpit.importers.meta import apply_meta, meta_key
from cockpit.importers.text import (
    strip_ponr,
    strip_span,
    take_owners,
)
from cockpit.importers.words import (
    PONR_SAID,
    first_word,
    introduces_description,
    introduces_output,
    introduces_sequence,
    is_action,
    is_alternative,
    is_phase_title,
    placeholders,
    prose_action,
)

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
#: Headings that say "here are the steps" and nothing about which part of the night.
_GENERIC = re.compile(
    r"^\W*(the\s+)?(steps|procedure|runbook|checklist|tasks|activities|plan|instructions|"
    r"execution( steps)?|how to|process|cutover steps|runbook steps)\W*$",
    re.I,
)

_NOT_TABLE_COLUMNS = re.compile(
    r"\b(signature|signed|sign[\s-]?off|approv\w*|phone|e-?mail|mobile|contact)\b", re.I
)


def read_markdown(text: str, source: Path | str) -> Draft:
    """A draft runbook from Markdown text (never raises on odd input)."""
    return _Reader(text, Path(source)).run()


# ---- the parsed document as sections ----------------------------------------------------------


class _Reader(StepReading):
    def __init__(self, text: str, source: Path) -> None:
        super().__init__(Draft(source=source))
        self.text = text.replace("\r\n", "\n").replace("\r", "\n")
        self.other_ways: list[Section] = []  # ways offered that hold no steps

    # ---- driving -----------------------------------------------------------------------------

    def run(self) -> Draft:
        for section in parse_document(self.text, self.draft):
            self._section(section)
        self._after()
        return self.draft

    def _section(self, section: Section) -> None:
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

    def _variant_of(self, section: Section) -> DraftStep | None:
        """The step this section is another way of doing: the section before it, at its
        level, starts with the same verb ("Restoring from snapshot", then "Restoring with
        revision bump") and became one step."""
        previous = section.previous
        word = first_word(section.title)
        if previous is None or len(word) < 4 or first_word(previous.title) != word:
            return None
        if not _VARIANT.match(section.title):  # "Updating Go…", "Updating React…": in turn
            return None
        if STEP_WORD_TITLE.match(section.title) or NUMBERED_TITLE.match(section.title):
            return None
        if len(previous.made) != 1 or section.children:
            return None
        return previous.made[0]

    def _as_alternative(self, step: DraftStep, section: Section) -> None:
        """A section that is another way of doing `step`: its heading, text and commands
        are kept with that step as an alternative, never run as a step of their own."""
        step.alternatives.append(f"{section.title}:")
        for node in section.blocks:
            if node.type == "paragraph" and node.children:
                step.alternatives.append(
                    " ".join(inline_text(node.children[0], keep_code_marks=True).split())
                )
            elif node.type in CODE and block_command(node):
                step.alternatives.append(block_command(node))
        self.draft.note(
            section.line,
            f"{section.title[:40]!r} read as another way of doing step {step.title[:40]!r}",
            "guessed",
        )

    def _phase(self, section: Section, *, heading_is_step: bool) -> str:
        path = [
            p.title
            for p in section.parents
            if p.title and not _GENERIC.match(p.title) and p.kind != "info"
        ]
        if not heading_is_step and section.title and not _GENERIC.match(section.title):
            path.append(section.title)
        path = [_NUMBERING.sub("", strip_ponr(p) or p) or p for p in path]
        return " › ".join(path[-2:])

    def _other_section(self, section: Section) -> None:
        if not section.blocks:
            return
        if section.level == 0:  # before the first heading: metadata and an introduction
            for node in section.blocks:
                self._preamble_block(node)
            return
        first, last = line_of(section.blocks[0]), end_line_of(section.blocks[-1])
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
            for number, line in enumerate(inline_text(node.children[0]).split("\n"), line_of(node)):
                if not self._meta(line, number) and line.strip():
                    self.draft.note(number, "introduction, not a step")
        elif node.type in ("bullet_list", "ordered_list"):
            for item in node.children:
                text = self._item_text(item)
                if not self._meta(text, line_of(item)):
                    self.draft.note(line_of(item), "introduction list item, not a step")
        elif node.type == "table":
            self._table(node, None)

    def _steps_section(self, section: Section) -> None:
        blocks = section.blocks
        ordered = [n for n in blocks if n.type == "ordered_list"]
        title = section.title
        numbered = bool(STEP_WORD_TITLE.match(title) or NUMBERED_TITLE.match(title))
        heading_step: DraftStep | None = None
        explained = None if numbered else self._explained_step(section)
        if explained is not None:
            self._explain(explained, section)
            return
        if not STEP_WORD_TITLE.match(title) and self._prose_procedure(blocks):
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
                if current is None and self._meta_lines(text, line_of(node)):
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
                    first, _, rest = first_sentence(plain)
                    current = self._step_from_text(first, line_of(node), phase, section)
                    if rest:
                        current.instructions.append(rest)
                    made.append(current)
                    lead_in = plain if plain.endswith(":") else None
                    continue
                if current is not None:
                    if alternative:
                        current.alternatives.append(plain)
                    elif not self._detail(current, plain, line_of(node)):
                        current.instructions.append(plain)
                    lead_in = plain if plain.endswith(":") else None
                elif plain.endswith(":"):
                    lead_in = plain
                else:
                    lead_in = plain
                    self.draft.note(line_of(node), f"text in {title[:40]!r} before its first step")
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
                command = block_command(node)
                if not command:
                    continue
                if lead_in is not None and introduces_output(lead_in):
                    if current is not None:  # what it prints: shown, never to be run
                        current.instructions.extend(f"    {line}" for line in command.split("\n"))
                    lead_in = None
                    continue
                if current is None and lead_in is not None and is_action(lead_in):
                    current = self._step_from_text(lead_in, line_of(node) - 1, phase, section)
                    made.append(current)
                    lead_in = None
                if current is None:
                    current = self._heading_step(section) if title else None
                    heading_step = current
                if current is None:
                    self.draft.note(
                        line_of(node),
                        "code block not under a step: left out",
                        end_line=end_line_of(node),
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

    def _explained_step(self, section: Section) -> DraftStep | None:
        """An earlier step this section explains ("### Dump and load PostgreSQL" after the
        step "Dump and load the PostgreSQL database using the instructions below"): the
        heading's words are that step's. Its content is that step's detail, not new steps."""
        from cockpit.importers.rollbacks import shared_words, words_of

        heading = words_of(section.title)
        if len(heading) < 2 or not section.blocks or self._step_like_lists(section.blocks):
            return None
        best: tuple[int, int] | None = None
        for index, step in enumerate(self.draft.steps):
            pointed = _POINTS_BELOW.search(" ".join([step.title, *step.instructions]))
            if not pointed and not any(_DETAILED.search(p.title) for p in section.parents):
                continue
            shared = len(shared_words(heading, words_of(step.title)))
            if (
                shared >= 2
                and shared * 10 >= len(heading) * 6
                and (best is None or shared > best[0])
            ):
                best = (shared, index)
        return self.draft.steps[best[1]] if best is not None else None

    def _explain(self, step: DraftStep, section: Section) -> None:
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
            elif node.type in CODE:
                command = block_command(node)
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
        for node, after in with_next(blocks):
            if node.type in CODE:
                codes += 1
            if node.type != "paragraph" or not node.children:
                continue
            lead = " ".join(inline_text(node.children[0]).split())
            if introduces_output(lead) or is_alternative(lead):
                continue
            if (after is not None and after.type in CODE) or prose_action(lead):
                units += 1
        return units >= 2 and (codes >= 1 or units >= 3)

    def _prose_steps(self, section: Section, phase: str) -> None:
        """The steps of a procedure told in prose: each paragraph before a code block, and
        each sentence telling the reader to act, is a step; output shown and the other ways
        offered go with the step before them."""
        blocks = section.blocks
        current: DraftStep | None = None
        waiting: list[str] = []  # text before the first step, for it
        showing_output = offering_alternative = False
        for node, after in with_next(blocks):
            if node.type == "paragraph" and node.children:
                text = " ".join(inline_text(node.children[0], keep_code_marks=True).split())
                if not text or self._ponr_paragraph(text, current):
                    continue
                code_next = after is not None and after.type in CODE
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
                    first, _, rest = first_sentence(text)
                    current = self._step_from_text(first, line_of(node), phase, section)
                    current.instructions.extend([*waiting, rest] if rest else waiting)
                    waiting = []
                elif current is not None:
                    current.instructions.append(text)
                else:
                    waiting.append(text)
            elif node.type in CODE:
                command = block_command(node)
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

    def _is_heading_step(self, section: Section, *, numbered: bool, ordered: bool) -> bool:
        """Whether a section's heading is itself a step: numbered ("### 3. Port"), or an
        action ("### Block deployments") whose lists are its details, or a heading over
        text and code only. A heading with sections under it is a phase."""
        title, blocks = section.title, section.blocks
        if not title or section.has_children or not (blocks or numbered or is_action(title)):
            return False
        if STEP_WORD_TITLE.match(title):
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
        return not has_lists and any(n.type in CODE for n in blocks)

    def _checks_to_verification(self, made: list[DraftStep]) -> None:
        """In a closing verification section, items that state what must be true (no
        action, no command) are the post-cutover checklist, not steps."""
        for step in made:
            if step.commands or is_action(step.title) or step.owner:
                continue
            step.guessed.append("verification")

    def _unmapped_list(self, node: SyntaxTreeNode, lead_in: str | None, title: str) -> None:
        why = f"after {lead_in[:50]!r}" if lead_in else f"in {title[:40]!r}"
        self.draft.note(
            line_of(node), f"a list of facts, not steps ({why})", end_line=end_line_of(node)
        )

    def _heading_step(self, section: Section) -> DraftStep:
        title = section.title
        number = None
        match = STEP_WORD_TITLE.match(title) or NUMBERED_TITLE.match(title)
        if match and match.group(2).strip():
            number, title = match.group(1), match.group(2)
        phase = self._phase(section, heading_is_step=True)
        step = self._new_step(title, section.line, number, phase, section)
        section.step = len(self.draft.steps) - 1
        return step

    def _rollback_section(self, section: Section) -> None:
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
                        block_command(c) for c in item.children if c.type in ("fence", "code_block")
                    ]
                    for child in item.children[1:]:
                        if child.type in ("bullet_list", "ordered_list"):
                            for sub in child.children:
                                text = f"{text}; {self._item_text(sub).replace('`', '')}"
                                codes.extend(
                                    block_command(c)
                                    for c in sub.children
                                    if c.type in ("fence", "code_block")
                                )
                    durations = find_durations(text)
                    minutes = durations[-1].minutes if durations else None
                    if durations:
                        text = strip_span(text, durations[-1].start, durations[-1].end) or text
                    text = take_owners(text)[1] or text
                    current = DraftRollback(
                        text or title, line_of(item), minutes, [c for c in codes if c]
                    )
                    self.draft.rollbacks.append(current)
            elif node.type in ("fence", "code_block"):
                command = block_command(node)
                if current is None:
                    current = DraftRollback(title, line_of(node))
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

    def _gate_section(self, section: Section) -> None:
        gate = DraftCheckpoint(title=strip_ponr(section.title) or section.title, line=section.line)
        self.draft.checkpoints.append(gate)
        for node in section.blocks:
            if node.type in ("bullet_list", "ordered_list"):
                for item in node.children:
                    self._gate_line(gate, CHECKBOX.sub("", self._item_text(item)))
            elif node.type == "paragraph" and node.children:
                for line in inline_text(node.children[0]).split("\n"):
                    match = KEY_VALUE.match(line.strip())
                    if match and any(p.match(match.group(1)) for _, p in GATE_KEYS):
                        self._gate_line(gate, line.strip())

    def _table(self, node: SyntaxTreeNode, section: Section | None, phase: str = "") -> None:
        from cockpit.importers.csv_import import add_rows, map_header

        rows = table_rows(node)
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
        keys = [KEY_VALUE.match(line.strip()) for line in lines]
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
        match = KEY_VALUE.match(text.strip())
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
        heads = {step.phase.split(" › ")[0] for step in steps}
        if len(heads) == 1 and len({step.phase for step in steps}) > 1:
            for step in steps:  # one heading over the whole procedure is not a phase
                step.phase = step.phase.partition(" › ")[2]
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
