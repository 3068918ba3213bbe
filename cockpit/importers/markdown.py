"""Read a runbook written in Markdown, the way teams write them.

* Headings become sections (kept as comments above their first step). The first `#`
  heading is the title. A numbered heading ("### 3. Assign numbers (10 min)",
  "## Step 4 — Port") is itself a step; lists under it are its checks.
* Numbered and checkbox list items become steps; items indented under a step are its
  details: "Owner: …", "Duration: …", "Rollback: …", "Depends on: …", "Verify: …", and
  anything else is a verify item. Paragraphs under a step are its instructions; a code
  block under a step gives its commands.
* Durations like "(15 min)", "15m", "~20 minutes", "1h", "1h30", "15–60 min" become
  minutes (a range counts at its upper end); "Owner: X", "@X" and "[X]" become owners.
* Sections titled rollback / back-out / fallback give rollback items, matched to the step
  they undo (by "step 3" or by the words they share); go/no-go sections (or items that
  start with "Go/no-go") become checkpoints for the next step, their items the criteria;
  "point of no return" (or PONR) marks the step it is written on or, from a heading or a
  note before it, the next step; verification / post-cutover check sections give the
  verification checklist.
* "Customer:", "Window:", "Timezone:", "RTO:", "Version:" lines fill the metadata.
* A table whose header names a task column is read like a spreadsheet (see
  `csv_import`).

Everything else — overview prose, contacts, communications — is reported as not mapped,
with its line numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from cockpit.importers.draft import Draft, DraftCheckpoint, DraftRollback, DraftStep
from cockpit.importers.durations import pick_duration
from cockpit.importers.meta import apply_meta, meta_key
from cockpit.importers.text import (
    GATE,
    PONR,
    clean_text,
    field_line,
    strip_ponr,
    strip_span,
    take_owners,
    tidy_title,
)

_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:\s+(.*?))?\s*#*\s*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-{2,})\s*$")
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})\s*([\w+\-.]*)")
_ITEM = re.compile(r"^(\s*)([-*+•]|\d{1,4}[.)]|[a-zA-Z][.)])\s+(.*)$")
_CHECKBOX = re.compile(r"^\[([ xX✓✔])\]\s*(.*)$")
_RULE = re.compile(r"^\s*([-*_])(\s*\1){2,}\s*$")
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_NUMBERED_HEADING = re.compile(r"^(?:step\s*)?(\d{1,4}[a-z]?)\s*[.):\-–—]?\s+(.+)$", re.I)
_KEY_VALUE = re.compile(r"^([A-Za-z][\w /()\-]{0,40}?)\s*[:=]\s*(.*)$")

_ROLLBACK_WORDS = re.compile(
    r"\b(roll[\s-]?back|back[\s-]?out|fall[\s-]?back|revert|undo|abort plan)\b", re.I
)
_VERIFY_WORDS = re.compile(
    r"\b(verification|verify|validation|post[\s-]*(cutover|migration|change|go[\s-]*live)"
    r"[\s-]*(checks?|tests?)|smoke[\s-]*tests?|acceptance)\b",
    re.I,
)
_COMMS_WORDS = re.compile(r"\b(comms|communications?|notifications?|stakeholders?)\b", re.I)
_CONTACT_WORDS = re.compile(
    r"\b(contacts?|escalation|phone (list|numbers?)|who to call|call list)\b", re.I
)
_INFO_WORDS = re.compile(
    r"\b(overview|background|scope|summary|risks?|assumptions|references?|notes|history|"
    r"change ?log|glossary|appendix|lessons|purpose|introduction|out of scope|links)\b",
    re.I,
)

#: Step details written as "Key: value" (in an indented item or a paragraph).
_DETAIL_KEYS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("owner", re.compile(r"^(owner|owned by|responsible|assignee|assigned to|who)$", re.I)),
    ("minutes", re.compile(r"^(duration|est|est\.|estimate|estimated|time|minutes|mins)$", re.I)),
    (
        "rollback",
        re.compile(r"^(rollback|roll back|back[\s-]?out|fallback|undo|rollback plan)$", re.I),
    ),
    (
        "verify",
        re.compile(
            r"^(verify|verification|check|checks|expected|expect|expected result|"
            r"success criteria|validate|validation|confirm)$",
            re.I,
        ),
    ),
    ("depends", re.compile(r"^(depends on|depends|after|predecessors?|requires)$", re.I)),
    ("notes", re.compile(r"^(notes?|comments?|why|details)$", re.I)),
    ("commands", re.compile(r"^(commands?|cmd|run|script)$", re.I)),
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


@dataclass
class _Section:
    kind: str  # steps, rollback, gate, verification, comms, contacts, info
    title: str
    level: int
    line: int
    heading_step: int | None = None  # a numbered heading that is itself a step
    gate: DraftCheckpoint | None = None
    rollback_target: int | None = None  # a rollback section nested under a step


def read_markdown(text: str, source: Path | str) -> Draft:
    """A draft runbook from Markdown text (never raises on odd input)."""
    return _Reader(text, Path(source)).run()


def _plain(text: str) -> str:
    """Markdown inline markup reduced to its text (links keep their words, not the URL)."""
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"</?[A-Za-z][^<>]{0,80}>", " ", text)
    text = text.replace("**", "").replace("__", "")
    return " ".join(text.split())


def split_refs(value: str) -> list[str]:
    """Step references in "3, 4", "step 2 and 5", "#3", "T3", "3FS+2d"."""
    return [
        match.group(1)
        for match in re.finditer(r"(?:#|\bstep\s*)?\b([A-Za-z]?\d{1,4}[a-z]?)", value)
    ]


class _Reader:
    def __init__(self, text: str, source: Path) -> None:
        self.lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        self.draft = Draft(source=source)
        self.section = _Section("steps", "", 0, 0)
        self.step: int | None = None
        self.step_indent = -1
        self.inline_gate: DraftCheckpoint | None = None
        self.gate_indent = -1
        self.rollback_item: DraftRollback | None = None
        self.rollback_indent = -1
        self.pending_ponr = False
        self.last_heading_step: tuple[int, int] | None = None  # (step, heading level)
        self.unmapped: tuple[int, int, str] | None = None

    # ---- driving -----------------------------------------------------------------------

    def run(self) -> Draft:
        index = 0
        lines = self.lines
        while index < len(lines):
            raw = lines[index]
            number = index + 1
            if raw.lstrip().startswith("<!--"):
                index = self._skip_comment(index)
                continue
            fence = _FENCE.match(raw)
            if fence:
                index = self._code(index, fence.group(1))
                continue
            if (
                _TABLE_ROW.match(raw)
                and index + 1 < len(lines)
                and _TABLE_SEP.match(lines[index + 1])
            ):
                index = self._table(index)
                continue
            heading = _HEADING.match(raw)
            if heading:
                self._heading(len(heading.group(1)), heading.group(2) or "", number)
                index += 1
                continue
            if (
                raw.strip()
                and index + 1 < len(lines)
                and _SETEXT.match(lines[index + 1])
                and not _ITEM.match(raw)
                and not _RULE.match(raw)
            ):
                level = 1 if lines[index + 1].strip().startswith("=") else 2
                self._heading(level, raw.strip(), number)
                index += 2
                continue
            if not raw.strip() or _RULE.match(raw):
                self._flush()
                index += 1
                continue
            item = _ITEM.match(raw)
            if item:
                self._item(len(item.group(1).expandtabs(4)), item.group(2), item.group(3), number)
            else:
                self._paragraph(raw, number)
            index += 1
        self._flush()
        return self.draft

    def _skip_comment(self, index: int) -> int:
        while index < len(self.lines) and "-->" not in self.lines[index]:
            index += 1
        return index + 1

    # ---- not mapped ------------------------------------------------------------------

    def _not_mapped(self, number: int, reason: str) -> None:
        if (
            self.unmapped is not None
            and self.unmapped[2] == reason
            and self.unmapped[1] == number - 1
        ):
            self.unmapped = (self.unmapped[0], number, reason)
            return
        self._flush()
        self.unmapped = (number, number, reason)

    def _flush(self) -> None:
        if self.unmapped is not None:
            start, end, reason = self.unmapped
            self.draft.note(start, reason, end_line=end)
            self.unmapped = None

    def _reason(self) -> str:
        section = self.section
        where = f" in {section.title[:40]!r}" if section.title else ""
        if section.kind == "comms":
            return (
                f"communication plan{where}: add it as [communications] stakeholders and "
                "messages (see cockpit new)"
            )
        if section.kind == "contacts":
            return (
                f"contacts{where}: put them on a contact card (cockpit new RUNBOOK.toml "
                "--contacts CARD.toml makes one)"
            )
        return f"text{where} is not a step, go/no-go, rollback or verification item"

    # ---- headings ------------------------------------------------------------------------

    def _heading(self, level: int, raw_text: str, number: int) -> None:
        self._flush()
        text = _plain(raw_text)
        self.step = None
        self.inline_gate = None
        self.rollback_item = None
        if self.draft.title is None and level == 1:
            self.draft.title = text
            self.section = _Section("steps", "", level, number)
            return
        if self.last_heading_step is not None and level <= self.last_heading_step[1]:
            self.last_heading_step = None
        kind = self._kind(text)
        section = _Section(kind, strip_ponr(text) or text, level, number)
        if PONR.search(text):
            self.pending_ponr = True
        if kind == "gate":
            section.gate = DraftCheckpoint(title=text, line=number)
            self.draft.checkpoints.append(section.gate)
        elif kind == "rollback" and self.last_heading_step is not None:
            section.rollback_target = self.last_heading_step[0]
        elif kind == "steps":
            numbered = _NUMBERED_HEADING.match(text)
            if numbered and numbered.group(2).strip():
                parent = self.section.title if self.section.kind == "steps" else ""
                index = self._new_step(numbered.group(2), number, numbered.group(1), parent)
                section.heading_step = index
                self.last_heading_step = (index, level)
                self.step = index
                self.step_indent = -1
                section.title = parent
        self.section = section

    @staticmethod
    def _kind(text: str) -> str:
        if GATE.search(text):
            return "gate"
        if _ROLLBACK_WORDS.search(text):
            return "rollback"
        if _VERIFY_WORDS.search(text):
            return "verification"
        if _COMMS_WORDS.search(text):
            return "comms"
        if _CONTACT_WORDS.search(text):
            return "contacts"
        if _INFO_WORDS.search(text) and not PONR.search(text):
            return "info"
        return "steps"

    # ---- list items ------------------------------------------------------------------------

    def _item(self, indent: int, marker: str, body: str, number: int) -> None:
        self._handle_item(indent, marker, body, number)
        self._flush_unless(number)

    def _flush_unless(self, number: int) -> None:
        """Close the run of not-mapped lines unless this line just extended it."""
        if self.unmapped is not None and self.unmapped[1] != number:
            self._flush()

    def _handle_item(self, indent: int, marker: str, body: str, number: int) -> None:
        checkbox = _CHECKBOX.match(body)
        if checkbox:
            body = checkbox.group(2)
        text = _plain(body)
        if not text:
            return
        numbered = marker[0].isdigit()
        kind = self.section.kind
        if kind == "steps":
            self._step_item(indent, numbered, bool(checkbox), marker, text, number)
        elif kind == "rollback":
            self._rollback_item(indent, text, number)
        elif kind == "gate":
            self._gate_line(text, number, self.section.gate)
        elif kind == "verification":
            self.draft.verification.append(text)
        elif kind == "info" and self._meta(text, number):
            return
        else:
            self._not_mapped(number, self._reason())

    def _step_item(
        self, indent: int, numbered: bool, checkbox: bool, marker: str, text: str, number: int
    ) -> None:
        nested = self.step is not None and indent > self.step_indent
        if self.inline_gate is not None and indent > self.gate_indent:
            self._gate_line(text, number, self.inline_gate)
            return
        if nested and self.step is not None:
            self._detail(self.step, text, number, fallback="verify")
            return
        if numbered or checkbox:
            if GATE.match(text) or re.match(r"^\W*(go\s*/\s*no[\s-]*go|gate)\b", text, re.I):
                self._inline_gate(indent, text, number)
                return
            if self.section.heading_step is not None and self._demote_heading_step():
                pass
            self.inline_gate = None
            self.step = self._new_step(
                text, number, marker.rstrip(".)") if numbered else None, self.section.title
            )
            self.step_indent = indent
            return
        if self._meta(text, number):
            return
        if pick_duration(text) is not None:
            self.inline_gate = None
            self.step = self._new_step(text, number, None, self.section.title)
            self.step_indent = indent
            self.draft.note(
                number, f"bullet {text[:50]!r} read as a step (it has a duration)", "guessed"
            )
            return
        if self.step is not None:
            self._detail(self.step, text, number, fallback="verify")
            return
        self._not_mapped(number, self._reason())

    def _demote_heading_step(self) -> bool:
        """Numbered items under a numbered heading: the heading was a section after all."""
        index = self.section.heading_step
        self.section.heading_step = None
        draft = self.draft
        if index is None or index != len(draft.steps) - 1:
            return False
        step = draft.steps[index]
        if step.commands or step.verify or step.rollbacks or step.instructions:
            return False
        draft.steps.pop()
        for checkpoint in draft.checkpoints:
            if checkpoint.before == index:
                checkpoint.before = None
        if step.ponr:
            self.pending_ponr = True
        self.section.title = step.title
        self.last_heading_step = None
        return True

    def _inline_gate(self, indent: int, text: str, number: int) -> None:
        title, _, rest = text.partition(":")
        # "Go/no-go: a; b; c" lists criteria; "Go/no-go: cut the WAN over" is a title.
        listed = ";" in rest or " | " in rest
        gate = DraftCheckpoint(title=title if listed else text, line=number)
        for part in re.split(r";|\s\|\s", rest) if listed else []:
            if part.strip():
                gate.criteria.append(part.strip())
        self.draft.checkpoints.append(gate)
        self.inline_gate = gate
        self.gate_indent = indent
        self.step = None

    def _new_step(self, text: str, number: int, written: str | None, section: str) -> int:
        ponr = bool(PONR.search(text)) or self.pending_ponr
        if PONR.search(text):
            self.draft.ponr_why = self.draft.ponr_why or ""
            text = strip_ponr(text)
        self.pending_ponr = False
        step = DraftStep(title="", line=number, number=written, ponr=ponr, section=section)
        duration = pick_duration(text)
        if duration is not None:
            step.minutes = duration.minutes
            text = strip_span(text, duration.start, duration.end)
        owners, text = take_owners(text)
        if owners:
            step.owner = owners[0]
            if len(owners) > 1:
                step.instructions.append(f"With: {', '.join(owners[1:])}")
        step.title = tidy_title(text) or f"Step {len(self.draft.steps) + 1}"
        return self.draft.add_step(step)

    def _detail(self, index: int, text: str, number: int, fallback: str) -> bool:
        """A step detail ("Owner: X", "Rollback: …"); otherwise `fallback` decides."""
        step = self.draft.steps[index]
        if PONR.search(text):
            step.ponr = True
            self.draft.ponr_why = self.draft.ponr_why or _why(text)
            return True
        if re.fullmatch(r"`[^`]+`", text.strip()):
            step.commands.append(text.strip().strip("`"))
            return True
        alone = pick_duration(text)
        if alone is not None and not strip_span(text, alone.start, alone.end):
            step.minutes = step.minutes or alone.minutes
            return True
        match = _KEY_VALUE.match(text)
        key = next(
            (name for name, pattern in _DETAIL_KEYS if match and pattern.match(match.group(1))),
            None,
        )
        value = match.group(2).strip() if match else ""
        if key == "owner" and value:
            step.owner = step.owner or field_line(value.lstrip("@"))
        elif key == "minutes" and value:
            duration = pick_duration(value)
            if duration is None and re.fullmatch(r"\d{1,4}", value):
                step.minutes = int(value) if 0 < int(value) <= 1440 else step.minutes
            elif duration is not None:
                step.minutes = duration.minutes
            else:
                self.draft.note(number, f"duration {value[:40]!r} not understood")
        elif key == "rollback" and value:
            nothing = _NOTHING.match(value)
            if nothing:
                step.no_rollback = nothing.group("rest").strip() or value
            else:
                duration = pick_duration(value)
                action = strip_span(value, duration.start, duration.end) if duration else value
                step.rollbacks.append(
                    DraftRollback(
                        action or value, number, duration.minutes if duration else None, step=index
                    )
                )
        elif key == "verify" and value:
            step.verify.extend(part.strip() for part in value.split(";") if part.strip())
        elif key == "depends" and value:
            step.depends_on.extend(split_refs(value))
        elif key == "notes" and value:
            step.instructions.append(value)
        elif key == "commands" and value:
            step.commands.append(value.strip("`"))
        elif fallback == "verify":
            step.verify.append(text)
        elif fallback == "instructions":
            step.instructions.append(text)
        else:
            return False
        return True

    # ---- rollback and gate sections ----------------------------------------------------------

    def _rollback_item(self, indent: int, text: str, number: int) -> None:
        if self.rollback_item is not None and indent > self.rollback_indent:
            if text.startswith("`") and text.endswith("`"):
                self.rollback_item.commands.append(text.strip("`"))
            else:
                self.rollback_item.text = f"{self.rollback_item.text}; {text}"
            return
        duration = pick_duration(text)
        action = strip_span(text, duration.start, duration.end) if duration else text
        _, action = take_owners(action)
        item = DraftRollback(
            action or text,
            number,
            duration.minutes if duration else None,
            step=self.section.rollback_target,
        )
        self.draft.rollbacks.append(item)
        self.rollback_item = item
        self.rollback_indent = indent

    def _gate_line(self, text: str, number: int, gate: DraftCheckpoint | None) -> None:
        if gate is None:
            self._not_mapped(number, self._reason())
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
            gate.criteria.append(text)

    # ---- paragraphs ------------------------------------------------------------------------

    def _meta(self, text: str, number: int) -> bool:
        match = _KEY_VALUE.match(text)
        if match is None:
            return False
        key = meta_key(match.group(1))
        if key is None:
            return False
        if not apply_meta(self.draft, key, match.group(2), number):
            self.draft.note(number, f"{key} {match.group(2)[:50]!r} not understood")
        return True

    def _paragraph(self, raw: str, number: int) -> None:
        self._handle_paragraph(raw, number)
        self._flush_unless(number)

    def _handle_paragraph(self, raw: str, number: int) -> None:
        text = _plain(raw.strip().lstrip(">").strip())
        if not text:
            return
        if self._meta(text, number):
            self._flush()
            return
        kind = self.section.kind
        if PONR.search(text) and kind in ("steps", "info", "gate"):
            self._flush()
            ahead = re.search(r"\b(next|below|following|after this|coming)\b", text, re.I)
            if self.step is not None and not ahead:
                self.draft.steps[self.step].ponr = True
            else:
                self.pending_ponr = True
            self.draft.ponr_why = self.draft.ponr_why or _why(text)
            return
        if kind == "steps" and self.step is not None:
            self._flush()
            self._detail(self.step, text, number, fallback="instructions")
            return
        if kind == "gate" and self.section.gate is not None:
            match = _KEY_VALUE.match(text)
            if match and any(p.match(match.group(1)) for _, p in _GATE_KEYS):
                self._gate_line(text, number, self.section.gate)
                return
        if kind == "rollback":
            if self.rollback_item is not None:
                self.rollback_item.text = f"{self.rollback_item.text} {text}"
                return
            if self.section.rollback_target is not None:
                self._rollback_item(-1, text, number)
                return
        self._not_mapped(number, self._reason())

    # ---- code blocks and tables ----------------------------------------------------------------

    def _code(self, index: int, fence: str) -> int:
        start = index
        index += 1
        body: list[str] = []
        while index < len(self.lines):
            line = self.lines[index]
            if line.strip().startswith(fence[0] * len(fence)) and not line.strip().strip(fence[0]):
                break
            body.append(line)
            index += 1
        end = min(index, len(self.lines) - 1)
        commands = _commands(body)
        self._flush()
        if self.section.kind == "rollback" and self.rollback_item is not None:
            self.rollback_item.commands.extend(commands)
        elif self.section.kind == "steps" and self.step is not None:
            self.draft.steps[self.step].commands.extend(commands)
        elif commands:
            self.draft.note(
                start + 1,
                "code block not under a step: its commands were left out",
                end_line=end + 1,
            )
        return index + 1

    def _table(self, index: int) -> int:
        from cockpit.importers.csv_import import add_rows, map_header

        header_line = index + 1
        header = _cells(self.lines[index])
        rows: list[tuple[int, list[str]]] = []
        index += 2
        while index < len(self.lines) and _TABLE_ROW.match(self.lines[index]):
            rows.append((index + 1, [_plain(cell) for cell in _cells(self.lines[index])]))
            index += 1
        self._flush()
        mapping = map_header([_plain(cell) for cell in header], header_line, self.draft, rows)
        if mapping is not None and self.section.kind in ("steps", "rollback", "verification"):
            kind = self.section.kind if self.section.kind != "steps" else ""
            add_rows(self.draft, mapping, rows, section=self.section.title, kind=kind)
            self.step = None
            return index
        last = rows[-1][0] if rows else header_line + 1
        if self.section.kind == "verification":
            self.draft.verification.extend(cells[0] for _, cells in rows if cells and cells[0])
        elif self.section.kind == "gate" and self.section.gate is not None:
            self.section.gate.criteria.extend(cells[0] for _, cells in rows if cells and cells[0])
        elif all(len([c for c in cells if c]) == 2 and meta_key(cells[0]) for _, cells in rows):
            for number, cells in rows:
                filled = [cell for cell in cells if cell]
                self._meta(f"{filled[0]}: {filled[1]}", number)
        else:
            self.draft.note(header_line, f"table: {self._reason()}", end_line=last)
        return index


def _why(text: str) -> str:
    """What a point-of-no-return note says about why, without the marker and pointers."""
    why = strip_ponr(text)
    why = re.sub(
        r"^(?:is\s+)?(?:the\s+)?(?:next|following)\s+step\b[.:,;]?\s*", "", why, flags=re.I
    )
    return tidy_title(why)


def _cells(line: str) -> list[str]:
    """The cells of a Markdown table row (escaped pipes kept)."""
    body = line.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") and not body.endswith("\\|") else body
    return [
        clean_text(cell.replace("\x00", "|")) for cell in body.replace("\\|", "\x00").split("|")
    ]


def _commands(body: list[str]) -> list[str]:
    """Commands from a code block: one per line, backslash continuations joined, no
    comments or prompts."""
    commands: list[str] = []
    pending = ""
    for line in body:
        stripped = line.strip()
        if not stripped and not pending:
            continue
        if stripped.startswith(("#", "--", "//", "REM ")) and not pending:
            continue
        stripped = re.sub(r"^(\$|>|PS>|#)\s+", "", stripped)
        if stripped.endswith("\\"):
            pending += stripped[:-1].rstrip() + " "
            continue
        command = clean_text(pending + stripped)
        pending = ""
        if command:
            commands.append(command)
    if pending.strip():
        commands.append(clean_text(pending))
    return commands
