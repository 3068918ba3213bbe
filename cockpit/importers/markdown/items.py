"""A step as a Markdown runbook writes it: a list item or a line, with its owner,
duration, timing, point-of-no-return marker and placeholders; its sub-items as details,
checks, alternatives or sub-actions; a go/no-go written as an item.

`StepReading` holds these for the reader, which decides where steps are (`reader`).
"""

from __future__ import annotations

import re

from markdown_it.tree import SyntaxTreeNode

from cockpit.importers.draft import Draft, DraftCheckpoint, DraftRollback, DraftStep
from cockpit.importers.durations import find_durations
from cockpit.importers.markdown.document import (
    CODE,
    Section,
    block_command,
    inline_text,
    is_label,
    item_codes,
    line_of,
    looks_like_command,
    only_struck,
)
from cockpit.importers.text import (
    field_line,
    strip_ponr,
    strip_span,
    take_owners,
    tidy_title,
)
from cockpit.importers.words import (
    NO_ROLLBACK,
    PONR_SAID,
    find_timing,
    is_action,
    is_alternative,
    placeholders,
    states,
)

#: "Snapshot integrity may be verified…": a noun, not the verb it looks like, then a verb.

_ONE_OF = re.compile(r"\b(one of the following|either|choose one|any of the following)\b", re.I)

_CHEER = re.compile(
    r"^\W*(enjoy|congratulations|congrats|done|that's it|you're done|celebrate)\b.*!\W*$", re.I
)

KEY_VALUE = re.compile(r"^\**([A-Za-z][\w /()\-]{0,40}?)\**\s*[:=]\**\s*(.*)$", re.S)

CHECKBOX = re.compile(r"^\[([ xX✓✔])\]\s*")

_CHECK_FIRST = re.compile(r"^\W*(verify|check|confirm|ensure|make sure|validate|expect)\b", re.I)

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

GATE_KEYS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "decider",
        re.compile(r"^(decider|decided by|decision by|decision maker|approver|owner|who)$", re.I),
    ),
    ("no_go", re.compile(r"^(no[\s-]*go|if no[\s-]*go|no[\s-]*go means|on no[\s-]*go)$", re.I)),
)


class StepReading:
    """Turning items and lines into draft steps, on the draft being built."""

    def __init__(self, draft: Draft) -> None:
        self.draft = draft
        self.pending_ponr: str | None = None  # "the next step is the point of no return"
        self.raw_titles: dict[int, str] = {}  # id(step) → its line as written

    def _ponr_paragraph(self, text: str, current: DraftStep | None) -> bool:
        if not PONR_SAID.search(text):
            return False
        ahead = re.search(r"\b(next|below|following|after this|coming)\b", text, re.I)
        if current is not None and not ahead:
            current.ponr = True
            self.draft.ponr_why = self.draft.ponr_why or why_not_back(text)
        else:
            self.pending_ponr = text
            self.draft.ponr_why = self.draft.ponr_why or why_not_back(text)
        return True

    # ---- steps ---------------------------------------------------------------------------------

    def _step_from_text(self, text: str, line: int, phase: str, section: Section) -> DraftStep:
        return self._new_step(text.rstrip(":"), line, None, phase, section)

    def _new_step(
        self, text: str, line: int, number: str | None, phase: str, section: Section
    ) -> DraftStep:
        text = " ".join(text.split())
        step = DraftStep(title="", line=line, number=number, phase=phase)
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
            first, _, rest_text = first_sentence(title)
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

    def _item_steps(self, item: SyntaxTreeNode, phase: str, section: Section) -> list[DraftStep]:
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
                    or any(c.type in (*CODE, "ordered_list", "bullet_list") for c in sub.children)
                )
            elif not is_label(item) and (
                is_action(text) or len(text.split()) > 8 or CHECKBOX.match(text)
            ):
                actions = 0  # an action's (or a checkbox's) own checklist: its details
            else:  # under a label ("**Verify system stability**:"): a checklist is steps
                actions = sum(1 for sub in nested.children if CHECKBOX.match(self._item_text(sub)))
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

    def _item_step(self, item: SyntaxTreeNode, phase: str, section: Section) -> DraftStep | None:
        """A list item as a step: its first paragraph the title, the rest its details."""
        children = list(item.children)
        first = children[0] if children else None
        if first is None or first.type != "paragraph" or not first.children:
            if first is not None and first.type in ("fence", "code_block"):
                command = block_command(first)
                step = self._new_step(command.split("\n")[0], line_of(item), None, phase, section)
                step.commands.append(command)
                return step
            return None
        inline = first.children[0]
        raw = inline_text(inline, keep_code_marks=True)
        text = " ".join(raw.split())
        check = CHECKBOX.match(text)
        if check and check.group(1) != " ":
            self.draft.note(line_of(item), f"already done ([x]), not a step: {text[:50]!r}")
            return None
        if only_struck(inline):
            self.draft.note(line_of(item), f"struck through, not a step: {text[:50]!r}")
            return None
        if check:
            text = text[check.end() :]
        if not text:
            return None
        if re.match(r"^\W*(go\s*/\s*no[\s-]*go|gate)\b", text, re.I):
            self._inline_gate(item, text)
            return None
        if _CHEER.match(text) and not is_action(text.removeprefix("Enjoy")):
            self.draft.note(line_of(item), f"a closing remark, not a step: {text[:50]!r}")
            return None
        number = item.info or None
        lines = [line.strip() for line in raw.split("\n") if line.strip()]
        if check and lines:
            lines[0] = CHECKBOX.sub("", lines[0])
        details = [line for line in lines[1:] if KEY_VALUE.match(line) and _detail_key(line)]
        prose = " ".join(line for line in lines if line not in details) or text
        title_line, _, rest = first_sentence(prose)
        step = self._new_step(title_line, line_of(item), number, phase, section)
        if rest:
            step.instructions.append(rest)
        for extra in details:
            if not self._detail(step, extra, line_of(item)):
                step.instructions.append(extra)
        # Commands written in the title's sentence are the step's; those in the sentences
        # after it (often "if that fails, you can … `other command`") stay in its text.
        for code in re.findall(r"`([^`]+)`", title_line):
            if looks_like_command(code) and (is_action(text) or text.startswith("`")):
                step.commands.append(code)
        alternative = False
        for child in children[1:]:
            if child.type == "paragraph" and child.children:
                para = " ".join(inline_text(child.children[0], keep_code_marks=True).split())
                alternative = is_alternative(para)
                if alternative:
                    step.alternatives.append(para)
                elif not self._detail(step, para, line_of(child)):
                    step.instructions.append(para)
            elif child.type in ("fence", "code_block"):
                command = block_command(child)
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
        check = CHECKBOX.match(text)
        if check:
            text = text[check.end() :]
        commands = [
            block_command(child) for child in item.children if child.type in ("fence", "code_block")
        ]
        nested = [c for c in item.children if c.type in ("bullet_list", "ordered_list")]
        whole_code = re.fullmatch(r"`([^`]+)`", text.strip())
        if whole_code:
            (step.alternatives if is_alternative(text) else step.commands).append(
                whole_code.group(1)
            )
            text = ""
        if text:
            codes = item_codes(item)
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
            elif self._detail(step, text, line_of(item)):
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
        match = KEY_VALUE.match(text)
        if match is None:
            if PONR_SAID.search(text):
                step.ponr = True
                self.draft.ponr_why = self.draft.ponr_why or why_not_back(text)
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
            nothing = NO_ROLLBACK.match(value)
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
        gate = DraftCheckpoint(title=title if listed else text, line=line_of(item))
        for part in rest.split(";") if listed else []:
            if part.strip():
                gate.criteria.append(part.strip())
        for child in item.children[1:]:
            if child.type in ("bullet_list", "ordered_list"):
                for sub in child.children:
                    self._gate_line(gate, self._item_text(sub))
        self.draft.checkpoints.append(gate)

    # ---- rollback, gates, tables ---------------------------------------------------------------

    def _gate_line(self, gate: DraftCheckpoint, text: str) -> None:
        if not text:
            return
        match = KEY_VALUE.match(text)
        key = next(
            (name for name, pattern in GATE_KEYS if match and pattern.match(match.group(1))),
            None,
        )
        if key == "decider" and match:
            gate.decider = gate.decider or field_line(match.group(2).lstrip("@"))
        elif key == "no_go" and match:
            gate.no_go = gate.no_go or match.group(2)
        else:
            gate.criteria.append(text.replace("`", ""))

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
                    CHECKBOX.match(text)
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
                CHECKBOX.match(text)
                or is_action(text)
                or any(c.type in ("fence", "code_block") for c in item.children)
            ):
                votes += 1
        if kind == "verification":
            return True
        return votes * 2 >= len(items)


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
    match = KEY_VALUE.match(line.strip())
    if match is None:
        return None
    return next((name for name, pattern in _DETAIL_KEYS if pattern.match(match.group(1))), None)


def _strippable(text: str, start: int, end: int) -> bool:
    """Whether a duration is written as a label on the line (bracketed, after '~' or a
    dash, or trailing after the words) rather than as part of them ("Monitor the error
    rate for 30 minutes" keeps its words)."""
    before = text[:start].rstrip()
    return not re.search(r"\b(for|wait|within|over|during|about|up to)$", before, re.I)


def first_sentence(text: str) -> tuple[str, str, str]:
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


def why_not_back(text: str) -> str:
    """What a point-of-no-return note says about why, without the marker and pointers."""
    why = strip_ponr(text)
    why = re.sub(
        r"^(?:is\s+)?(?:the\s+)?(?:next|following)\s+step\b[.:,;]?\s*", "", why, flags=re.I
    )
    return tidy_title(why)
