"""The paper backup: the cutover checklist and contact card to print and keep on the desk.

When the laptop freezes, the VPN drops or the power goes, the night goes on from paper.
So the paper holds everything needed to finish or roll back without the cockpit: the
fields to fill in, every number in escalation order, the 30-minute rule with the on-call
senior's number, every step with a box, owner, planned time, commands and verify items,
each go/no-go with boxed criteria and a line to record the decision, the point of no
return marked across the page, the rollback of each step, the communication triggers and
the post-cutover verification.

The plan is turned into a short list of blocks (`Block`) once; each format renders the
blocks: Markdown, self-contained HTML (prints on A4 and Letter, no external assets) and
plain text that fits 80 columns. Secrets appear only as "in keyring: NAME". Nothing here
reads the clock: the same plan prints the same paper.
"""

from __future__ import annotations

import html
import re
import textwrap
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Literal

from cockpit.model.contacts import Contact, ContactCard, SecretRef
from cockpit.model.runbook import (
    BeforeWindow,
    CheckpointGo,
    Completed,
    Delay,
    Message,
    RollbackCompleted,
    RollbackStarted,
    Runbook,
    Step,
    StepCompleted,
    WindowStart,
)
from cockpit.report.md_escape import md
from cockpit.text import one_line, visible

if TYPE_CHECKING:
    from collections.abc import Callable

    from cockpit.readiness import RollbackDeadline

Format = Literal["md", "html", "txt"]
FORMATS: tuple[Format, ...] = ("md", "html", "txt")
#: Width of the plain-text paper.
TXT_WIDTH = 80
#: Width of the text inside a box drawn in the plain-text paper ("| " … " |").
_BOXED = TXT_WIDTH - 4
#: A blank to write on.
BLANK = "_" * 18


# ---- blocks ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Title:
    """The document title and the line under it."""

    text: str
    subtitle: str


@dataclass(frozen=True, slots=True)
class Section:
    """A section heading."""

    text: str


@dataclass(frozen=True, slots=True)
class Fields:
    """Label: value rows; an empty value is a blank to fill in by hand."""

    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Paragraph:
    """Prose; `strong` for the rules that must stand out."""

    text: str
    strong: bool = False


@dataclass(frozen=True, slots=True)
class Boxes:
    """Items to tick, each with a box."""

    items: tuple[str, ...]
    label: str = ""


@dataclass(frozen=True, slots=True)
class Bullets:
    """Plain list items."""

    items: tuple[str, ...]
    label: str = ""


@dataclass(frozen=True, slots=True)
class Entry:
    """A contact, account or message: a heading line, label/value rows and a note."""

    title: str
    rows: tuple[tuple[str, str], ...] = ()
    note: str = ""
    lead: str = ""
    """The paper's own words before the title (`1. `, a box `[ ] `): never escaped."""
    ref: str = ""
    """The id, shown in brackets after the title (`[carrier-noc]`)."""

    def heading(self, escape: Callable[[str], str]) -> str:
        """The heading line, with the file's text (title, id) through `escape`."""
        ref = f" [{escape(self.ref)}]" if self.ref else ""
        return f"{self.lead}{escape(self.title)}{ref}"


@dataclass(frozen=True, slots=True)
class StepCard:
    """One step of the checklist."""

    number: int
    title: str
    facts: str  # owner · minutes · planned time
    instructions: str
    commands: tuple[str, ...]
    verify: tuple[str, ...]
    rollback: str
    rollback_commands: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Gate:
    """A go/no-go checkpoint with boxed criteria and the decision line."""

    title: str
    facts: str
    criteria: tuple[str, ...]
    no_go: str


@dataclass(frozen=True, slots=True)
class Banner:
    """The point of no return, across the page."""

    title: str
    why: str
    lists: tuple[tuple[str, tuple[str, ...]], ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class WriteLines:
    """Ruled lines to write notes on."""

    count: int


Block = (
    Title
    | Section
    | Fields
    | Paragraph
    | Boxes
    | Bullets
    | Entry
    | StepCard
    | Gate
    | Banner
    | WriteLines
)

DECISION_LINE = "GO / NO-GO / HOLD  —  time ________  —  initials ________"


# ---- the plan as blocks ---------------------------------------------------------------------


def paper_blocks(runbook: Runbook, card: ContactCard | None) -> list[Block]:
    """The paper backup of a plan, as blocks in page order."""
    from cockpit.readiness import rollback_deadline
    from cockpit.session import runbook_sha256

    meta = runbook.meta
    timing = rollback_deadline(runbook)
    blocks: list[Block] = [
        Title(
            f"Paper backup — {meta.title}",
            f"Runbook {meta.id} version {meta.version} · plan sha256 "
            f"{runbook_sha256(runbook)[:16]} · {meta.customer}",
        ),
        Fields(
            (
                ("Migration ID", ""),
                ("Customer", meta.customer),
                (
                    "FOC / window",
                    f"{_window(runbook)} · FOC confirmed by phone at {BLANK[:8]} with {BLANK[:10]}",
                ),
                ("DE", _de_field(runbook, card)),
                ("Rollback deadline", _deadline_text(timing)),
            )
        ),
    ]
    blocks += _escalation_blocks(runbook, card)
    blocks += _contact_blocks(card)
    blocks += _checklist_blocks(runbook, card)
    blocks += _comms_blocks(runbook)
    blocks.append(Section("Post-cutover verification"))
    if runbook.verification:
        blocks.append(Boxes(tuple(runbook.verification)))
    else:
        blocks.append(Paragraph("No verification checklist in the plan: write one below."))
        blocks.append(WriteLines(4))
    blocks.append(Section("Notes"))
    blocks.append(
        Paragraph(
            "Times, who was called, what differed from the plan: the debrief within 24 hours "
            "walks this page step by step."
        )
    )
    blocks.append(WriteLines(8))
    return blocks


def _window(runbook: Runbook) -> str:
    meta = runbook.meta
    start, end = meta.window_start, meta.window_end
    end_text = f"{end:%H:%M}" if end.date() == start.date() else f"{end:%Y-%m-%d %H:%M}"
    return f"{start:%Y-%m-%d %H:%M}–{end_text} {meta.timezone}"


def _de_field(runbook: Runbook, card: ContactCard | None) -> str:
    operator = card.resolve(runbook.meta.operator_role) if card is not None else None
    if operator is None:
        return ""
    number = f", {operator.first_number}" if operator.first_number else ""
    return f"{BLANK}  (on the card: {operator.name}{number})"


def _deadline_text(timing: RollbackDeadline) -> str:
    undo = f"{timing.rollback_minutes} min" if timing.undo_steps else "nothing to undo"
    frm = f"before {timing.ponr_step}" if timing.ponr_step else "after the last step"
    return (
        f"{timing.deadline:%H:%M} — latest start of a rollback that ends inside the window "
        f"(rollback from {frm}: {undo}; RTO {timing.rto_minutes} min)"
    )


def _numbers(contact: Contact) -> str:
    return ", ".join(f"{phone.number} ({phone.label})" for phone in contact.phones)


def _escalation_blocks(runbook: Runbook, card: ContactCard | None) -> list[Block]:
    minutes = runbook.meta.escalation_minutes
    blocks: list[Block] = [
        Section(f"The {minutes}-minute rule"),
        Paragraph(
            f"Stuck for {minutes} minutes on anything: call the on-call senior DE. Making "
            "that call is the right move, not a failure.",
            strong=True,
        ),
    ]
    on_call = card.on_call if card is not None else None
    if on_call is not None:
        blocks.append(Fields((("On-call senior", f"{on_call.name} — {_numbers(on_call)}"),)))
    else:
        blocks.append(Fields((("On-call senior", ""), ("Phone", ""))))
    return blocks


def _contact_blocks(card: ContactCard | None) -> list[Block]:
    blocks: list[Block] = [Section("Contacts, in escalation order")]
    if card is None:
        blocks.append(Paragraph("No contact card was given: write every number here."))
        blocks.append(WriteLines(6))
        return blocks
    for contact in card.in_escalation_order:
        order = f"{contact.escalation_order}. " if contact.escalation_order is not None else ""
        senior = " — ON-CALL SENIOR" if contact.on_call_senior else ""
        org = f", {contact.organisation}" if contact.organisation else ""
        rows: list[tuple[str, str]] = [(phone.label, phone.number) for phone in contact.phones]
        if contact.email:
            rows.append(("email", contact.email))
        rows.extend((label, f"in keyring: {ref.secret}") for label, ref in contact.secrets.items())
        blocks.append(
            Entry(
                f"{contact.name} — {contact.role}{org}{senior}",
                tuple(rows),
                contact.notes,
                lead=order,
                ref=contact.id,
            )
        )
    for account in card.accounts:
        rows = [
            (label, f"in keyring: {value.secret}" if isinstance(value, SecretRef) else value)
            for label, value in account.fields.items()
        ]
        contact_note = f"contact: {account.contact}" if account.contact else ""
        blocks.append(
            Entry(f"Account: {account.vendor}", tuple(rows), contact_note, ref=account.id)
        )
    return blocks


def _owner(owner: str, card: ContactCard | None) -> str:
    contact = card.resolve(owner) if card is not None else None
    if contact is None:
        return owner
    number = f", {contact.first_number}" if contact.first_number else ""
    return f"{contact.name} ({owner}{number})"


def _checklist_blocks(runbook: Runbook, card: ContactCard | None) -> list[Block]:
    blocks: list[Block] = [
        Section("Cutover checklist"),
        Paragraph(
            "Tick each box only when you have seen it yourself. Write the start and end "
            "time of every step next to its box."
        ),
    ]
    moment = runbook.meta.window_start
    for number, step in enumerate(runbook.steps, start=1):
        for checkpoint in runbook.checkpoints_before(step.id):
            decider = _owner(checkpoint.decider, card)
            blocks.append(
                Gate(
                    f"GO / NO-GO: {checkpoint.title}",
                    f"before step {number} · decider: {decider}",
                    tuple(checkpoint.criteria),
                    checkpoint.no_go_means,
                )
            )
        if step.id == runbook.ponr_step:
            blocks.append(_ponr_banner(runbook))
        end = moment + timedelta(minutes=step.minutes)
        blocks.append(_step_card(number, step, moment, end, card))
        moment = end
    if runbook.ponr_step is None and runbook.point_of_no_return.none:
        blocks.append(
            Paragraph(f"No point of no return in this plan: {runbook.point_of_no_return.none}")
        )
    return blocks


def _step_card(
    number: int, step: Step, start: datetime, end: datetime, card: ContactCard | None
) -> StepCard:
    if step.rollback is not None:
        tested = ", tested" if step.rollback.tested else ", NOT tested"
        rollback = f"Rollback ({step.rollback.minutes} min{tested}): {step.rollback.action}"
        commands = tuple(step.rollback.commands)
    elif step.no_rollback is not None:
        rollback, commands = f"No rollback needed: {step.no_rollback}", ()
    else:
        rollback, commands = "Rollback: none written in the plan.", ()
    return StepCard(
        number=number,
        title=step.title,
        facts=(
            f"owner: {_owner(step.owner, card)} · {step.minutes} min · planned "
            f"{start:%H:%M}–{end:%H:%M} · started {BLANK[:6]} done {BLANK[:6]}"
        ),
        instructions=" ".join(step.instructions.split()),
        commands=tuple(step.commands),
        verify=tuple(step.verify),
        rollback=rollback,
        rollback_commands=commands,
    )


def _ponr_banner(runbook: Runbook) -> Banner:
    ponr = runbook.point_of_no_return
    lists: list[tuple[str, tuple[str, ...]]] = []
    if ponr.forward_fix:
        lists.append(
            ("Past this line there is no rollback — fix forward:", tuple(ponr.forward_fix))
        )
    if runbook.post_cutover_writes:
        lists.append(
            (
                "Data written from here on, lost to a rollback unless kept:",
                tuple(f"{w.what} — kept by: {w.kept_by}" for w in runbook.post_cutover_writes),
            )
        )
    return Banner(
        "POINT OF NO RETURN — the next step cannot be undone by a rollback",
        ponr.why,
        tuple(lists),
    )


def describe_trigger(runbook: Runbook, message: Message) -> str:
    """When a message goes out, in words for the paper."""
    trigger = message.trigger
    if isinstance(trigger, BeforeWindow):
        when = runbook.meta.window_start - timedelta(hours=trigger.hours)
        return f"{trigger.hours} h before the window ({when:%Y-%m-%d %H:%M})"
    if isinstance(trigger, WindowStart):
        return f"window start ({runbook.meta.window_start:%H:%M})"
    if isinstance(trigger, CheckpointGo):
        return f"go on '{runbook.checkpoint(trigger.checkpoint).title}'"
    if isinstance(trigger, Delay):
        return f"projected finish slips {trigger.minutes} min past the plan"
    if isinstance(trigger, StepCompleted):
        return f"step '{runbook.step(trigger.step).title}' done"
    if isinstance(trigger, RollbackStarted):
        return "rollback started"
    if isinstance(trigger, RollbackCompleted):
        return "rollback completed"
    if isinstance(trigger, Completed):
        return "cutover complete"
    return "?"


_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def _fill_known(runbook: Runbook, text: str) -> str:
    """A message text with the placeholders the plan alone decides filled in.

    The others ({now}, {projected_finish}, {reason}…) stay as they are: on the night they
    are written in by hand.
    """
    meta = runbook.meta
    known = {
        "title": meta.title,
        "customer": meta.customer,
        "window": _window(runbook),
        "window_start": f"{meta.window_start:%H:%M}",
        "window_end": f"{meta.window_end:%H:%M}",
    }
    return _PLACEHOLDER.sub(lambda m: known.get(m.group(1), m.group(0)), text)


def _comms_blocks(runbook: Runbook) -> list[Block]:
    comms = runbook.communications
    blocks: list[Block] = [Section("Communications")]
    if not comms.messages:
        blocks.append(Paragraph("No communication plan in the runbook."))
        return blocks
    names = {stakeholder.id: stakeholder for stakeholder in comms.stakeholders}
    for message in comms.messages:
        audience = "; ".join(
            f"{names[a].name} ({names[a].channel})" if a in names else a for a in message.audience
        )
        blocks.append(
            Entry(
                describe_trigger(runbook, message),
                (("to", audience),),
                " ".join(_fill_known(runbook, message.text).split()),
                lead="[ ] ",
                ref=message.id,
            )
        )
    return blocks


# ---- rendering ------------------------------------------------------------------------------


def render_paper(runbook: Runbook, card: ContactCard | None, fmt: Format = "md") -> str:
    """The paper backup of `runbook` (with `card`, when given) in `fmt`.

    Each format escapes the file's text as it writes it; the whole page then goes through
    `visible` once more, so no control character from a file can reach a terminal or a
    printer whatever a format forgot (it changes nothing when none did).
    """
    blocks = paper_blocks(runbook, card)
    if fmt == "md":
        return visible(render_md(blocks))
    if fmt == "html":
        return visible(render_html(blocks))
    if fmt == "txt":
        return visible(render_txt(blocks))
    raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")


# ---- Markdown ---------------------------------------------------------------------------------


def _md(text: str) -> str:
    """One line of file text, safe in Markdown (`md_escape.md`, shared with the debrief):
    no link, image, autolink or raw HTML, no list item or box started by a line break, no
    stray table pipe. URL schemes are dropped as in the HTML copy: nothing on the page
    can be followed or fetched, and on paper "admin.example.com" reads the same.

    The blanks to write on (`________`, which the paper puts into its own lines) stay as
    they are when spaces stand on both sides: there no underscore run can open or close
    emphasis. A text of blanks alone stays escaped, or it would draw a rule.
    """
    escaped = md(_SCHEME.sub("", text))
    if not escaped.replace("\\_", "").strip():
        return escaped
    return _ESCAPED_BLANK.sub(lambda blank: blank.group().replace("\\_", "_"), escaped)


#: A blank to write on, as `md` escapes it, with a space or the end of the text each side.
_ESCAPED_BLANK = re.compile(r"(?<!\S)(?:\\_){2,}(?!\S)")


def _md_fence(lines: tuple[str, ...], info: str) -> list[str]:
    """Commands in a fenced block longer than any run of backticks in them, so no command
    can close the block and turn what follows into live Markdown. Commands keep their
    URL schemes: they are typed exactly as written."""
    text = visible("\n".join(lines))
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return [f"{fence}{info}", *text.split("\n"), fence]


def render_md(blocks: list[Block]) -> str:
    """GitHub-flavoured Markdown with task-list boxes."""
    out: list[str] = []
    for block in blocks:
        match block:
            case Title(text, subtitle):
                out += [f"# {_md(text)}", "", _md(subtitle), ""]
            case Section(text):
                out += [f"## {_md(text)}", ""]
            case Fields(rows):
                out += ["| | |", "|---|---|"]
                out += [f"| **{_md(k)}** | {_md(v) if v else BLANK} |" for k, v in rows]
                out.append("")
            case Paragraph(text, strong):
                out += [f"**{_md(text)}**" if strong else _md(text), ""]
            case Boxes(items, label):
                out += [f"{_md(label)}", ""] if label else []
                out += [f"- [ ] {_md(item)}" for item in items]
                out.append("")
            case Bullets(items, label):
                out += [f"{_md(label)}", ""] if label else []
                out += [f"- {_md(item)}" for item in items]
                out.append("")
            case Entry(rows=rows, note=note):
                out += [f"**{block.heading(_md)}**", ""]
                out += [f"- {_md(k)}: {_md(v)}" for k, v in rows]
                out += [f"- {_md(note)}"] if note else []
                out.append("")
            case StepCard():
                out += _md_step(block)
            case Gate(title, facts, criteria, no_go):
                out += [f"### {_md(title)}", "", f"*{_md(facts)}*", ""]
                out += [f"- [ ] {_md(c)}" for c in criteria]
                out += ["", f"No-go means: {_md(no_go)}", "", f"**{DECISION_LINE}**", ""]
            case Banner(title, why, lists):
                out += ["---", "", f"## ⛔ {_md(title)}", ""]
                out += [f"**{_md(why)}**", ""] if why else []
                for label, items in lists:
                    out += [_md(label), ""] + [f"- {_md(i)}" for i in items] + [""]
                out += ["---", ""]
            case WriteLines(count):
                out += ["> " + "_" * 60 + "  " for _ in range(count)]
                out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def _md_step(step: StepCard) -> list[str]:
    out = [f"### [ ] {step.number}. {_md(step.title)}", "", f"*{_md(step.facts)}*", ""]
    if step.instructions:
        out += [_md(step.instructions), ""]
    if step.commands:
        out += [*_md_fence(step.commands, "sh"), ""]
    if step.verify:
        out += ["Verify:", ""] + [f"- [ ] {_md(item)}" for item in step.verify] + [""]
    out += [f"↩ {_md(step.rollback)}", ""]
    if step.rollback_commands:
        out += [*_md_fence(step.rollback_commands, "sh"), ""]
    return out


# ---- plain text (80 columns) ------------------------------------------------------------------

#: Phone numbers must not be broken across lines: "+1 312" on one line and "555 0199" on
#: the next is a wrong number at 3 a.m.
_PHONE = re.compile(r"\+?\d[\d ().\-x]{5,}\d")
_NBSP = "\u00a0"


def _wrap(
    text: str, indent: str = "", hang: str | None = None, width: int = TXT_WIDTH
) -> list[str]:
    """Wrap prose to `width`, keeping phone numbers whole; file text made `visible`."""
    text, indent = visible(text), visible(indent)
    hang = None if hang is None else visible(hang)
    protected = _PHONE.sub(lambda m: m.group(0).replace(" ", _NBSP), text)
    lines = textwrap.wrap(
        protected,
        width=width,
        initial_indent=indent,
        subsequent_indent=indent if hang is None else hang,
        break_on_hyphens=False,
        break_long_words=True,
    ) or [indent.rstrip()]
    return [line.replace(_NBSP, " ") for line in lines]


def _wrap_command(command: str, indent: str) -> list[str]:
    """A command as `$ …`, continued with an indent when it is too long."""
    return textwrap.wrap(
        visible(command),
        width=TXT_WIDTH,
        initial_indent=f"{indent}$ ",
        subsequent_indent=f"{indent}    ",
        break_on_hyphens=False,
        break_long_words=True,
        drop_whitespace=True,
    ) or [f"{indent}$"]


def render_txt(blocks: list[Block]) -> str:
    """Plain text, every line at most 80 columns."""
    out: list[str] = []
    for block in blocks:
        match block:
            case Title(text, subtitle):
                out += _wrap(text.upper()) + _wrap(subtitle) + ["=" * TXT_WIDTH, ""]
            case Section(text):
                heading = one_line(text.upper())  # upper first: `\x1b` must not become `\X1B`
                out += ["", heading, "-" * min(len(heading), TXT_WIDTH), ""]
            case Fields(rows):
                size = max(len(k) for k, _ in rows) + 2
                for key, value in rows:
                    out += _wrap(value or BLANK * 2, f"{key + ':':<{size}}", " " * size)
                out.append("")
            case Paragraph(text, strong):
                out += [*_wrap(f"** {text} **" if strong else text), ""]
            case Boxes(items, label):
                out += _wrap(label) if label else []
                for item in items:
                    out += _wrap(item, "[ ] ", "    ")
                out.append("")
            case Bullets(items, label):
                out += _wrap(label) if label else []
                for item in items:
                    out += _wrap(item, "  - ", "    ")
                out.append("")
            case Entry(rows=rows, note=note):
                out += _wrap(block.heading(str), "", "    ")
                size = min(max((len(k) for k, _ in rows), default=0) + 2, 24)
                for key, value in rows:
                    label = f"{key + ':':<{size}}"
                    if len(label) > size:
                        out += _wrap(key + ":", "    ")
                        label = " " * size
                    out += _wrap(value, "    " + label, " " * (4 + size))
                out += _wrap(note, "    ") if note else []
                out.append("")
            case StepCard():
                out += _txt_step(block)
            case Gate(title, facts, criteria, no_go):
                inner: list[str] = _wrap(title, width=_BOXED) + _wrap(facts, "  ", width=_BOXED)
                for criterion in criteria:
                    inner += _wrap(criterion, "[ ] ", "    ", width=_BOXED)
                inner += _wrap(f"No-go means: {no_go}", "", "  ", width=_BOXED)
                inner += ["", DECISION_LINE]
                edge = "+" + "-" * (TXT_WIDTH - 2) + "+"
                out += [edge, *(f"| {line:<{_BOXED}} |" for line in inner), edge, ""]
            case Banner(title, why, lists):
                out += ["#" * TXT_WIDTH, *_wrap(title, "## ", "## ")]
                out += _wrap(why, "## ", "## ") if why else []
                for label, items in lists:
                    out += ["##", *_wrap(label, "## ", "## ")]
                    for item in items:
                        out += _wrap(item, "##  - ", "##    ")
                out += ["#" * TXT_WIDTH, ""]
            case WriteLines(count):
                out += ["_" * TXT_WIDTH for _ in range(count)] + [""]
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


def _txt_step(step: StepCard) -> list[str]:
    out = _wrap(f"{step.number}. {step.title}", "[ ] ", "    ")
    out += _wrap(step.facts, "    ", "      ")
    if step.instructions:
        out += _wrap(step.instructions, "    ")
    for command in step.commands:
        out += _wrap_command(command, "    ")
    if step.verify:
        out.append("    Verify:")
        for item in step.verify:
            out += _wrap(item, "    [ ] ", "        ")
    out += _wrap(step.rollback, "    <- ", "       ")
    for command in step.rollback_commands:
        out += _wrap_command(command, "       ")
    out.append("")
    return out


# ---- HTML (self-contained, A4 and Letter) ------------------------------------------------------

#: Fits both A4 (210 mm) and Letter (216 mm) with the page margins; black on white; system
#: fonts only; boxes drawn with CSS so no font or image is needed.
_CSS = """
@page { margin: 14mm 13mm; }
* { box-sizing: border-box; }
html { color: #000; background: #fff; }
body { font-family: "Helvetica Neue", Helvetica, Arial, "Liberation Sans", sans-serif;
  font-size: 10pt; line-height: 1.35; margin: 0 auto; max-width: 180mm; padding: 4mm; }
h1 { font-size: 15pt; margin: 0 0 1mm; }
h2 { font-size: 11.5pt; text-transform: uppercase; letter-spacing: .04em;
  border-bottom: 1.5pt solid #000; margin: 6mm 0 2mm; padding-bottom: .6mm;
  break-after: avoid; page-break-after: avoid; }
h3 { font-size: 10.5pt; margin: 0 0 1mm; }
p { margin: 1mm 0 2mm; }
.sub { margin: 0 0 3mm; font-size: 9pt; }
.strong { font-weight: bold; border: 1.5pt solid #000; padding: 1.5mm 2.5mm; }
table.fields { border-collapse: collapse; width: 100%; margin: 1mm 0 3mm; }
table.fields th { text-align: left; white-space: nowrap; padding: 1mm 3mm 1mm 0;
  vertical-align: top; width: 1%; }
table.fields td { border-bottom: .5pt solid #000; padding: 1mm 0; }
ul { margin: 1mm 0 2mm; padding-left: 5mm; }
ul.boxes { list-style: none; padding-left: 0; }
ul.boxes li { padding-left: 6mm; text-indent: -6mm; margin: .8mm 0; }
.box { display: inline-block; width: 3.4mm; height: 3.4mm; border: .8pt solid #000;
  margin-right: 2.4mm; vertical-align: -0.5mm; text-indent: 0; }
.entry, .step, .gate, .msg { break-inside: avoid; page-break-inside: avoid; }
.entry { margin: 0 0 2.5mm; }
.entry .title { font-weight: bold; }
.entry dl { margin: .5mm 0 0 5mm; display: grid; grid-template-columns: max-content 1fr;
  column-gap: 3mm; }
.entry dt { font-weight: normal; }
.entry dd { margin: 0; }
.num { white-space: nowrap; font-variant-numeric: tabular-nums; font-weight: bold; }
.note { font-size: 9pt; margin: .5mm 0 0 5mm; }
.step { border-top: .5pt solid #000; padding: 2mm 0 1.5mm; }
.step h3 .box { width: 4.2mm; height: 4.2mm; }
.facts { font-size: 9pt; font-style: italic; }
pre { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 8.5pt;
  white-space: pre-wrap; overflow-wrap: anywhere; margin: 1mm 0 1.5mm 5mm;
  padding: 1mm 2mm; border-left: 1.5pt solid #000; }
.rollback { margin: 1mm 0 0; }
.gate { border: 1.5pt solid #000; padding: 2mm 3mm; margin: 3mm 0; }
.decision { font-weight: bold; margin-top: 2mm; letter-spacing: .03em; }
.ponr { border-top: 3pt double #000; border-bottom: 3pt double #000; margin: 4mm 0;
  padding: 2mm 0; break-inside: avoid; page-break-inside: avoid; }
.ponr h2 { border: 0; margin: 0 0 1mm; text-align: center; }
.write { border-bottom: .5pt solid #000; height: 7mm; }
"""


#: A URL's scheme. The page's prose holds no URL, not even as text, so nothing in a saved
#: page can be fetched or followed; on paper "admin.example.com" reads the same. (Commands
#: keep theirs: they are typed exactly as written.)
_SCHEME = re.compile(r"\b(?:https?|ftp)://", re.IGNORECASE)


def _h(text: str) -> str:
    """Escaped text without URL schemes, with phone numbers kept on one line."""
    escaped = html.escape(_SCHEME.sub("", visible(text)), quote=True)
    return _PHONE.sub(lambda m: f'<span class="num">{m.group(0)}</span>', escaped)


_BOX = '<span class="box"></span>'


def render_html(blocks: list[Block]) -> str:
    """One self-contained HTML page: inline CSS, no scripts, links, images or fonts."""
    title = next((block.text for block in blocks if isinstance(block, Title)), "Paper backup")
    body: list[str] = []
    for block in blocks:
        match block:
            case Title(text, subtitle):
                body += [f"<h1>{_h(text)}</h1>", f'<p class="sub">{_h(subtitle)}</p>']
            case Section(text):
                body.append(f"<h2>{_h(text)}</h2>")
            case Fields(rows):
                body.append('<table class="fields">')
                body += [f"<tr><th>{_h(k)}</th><td>{_h(v)}</td></tr>" for k, v in rows]
                body.append("</table>")
            case Paragraph(text, strong):
                css = ' class="strong"' if strong else ""
                body.append(f"<p{css}>{_h(text)}</p>")
            case Boxes(items, label):
                body += [f"<p>{_h(label)}</p>"] if label else []
                body += _html_boxes(items)
            case Bullets(items, label):
                body += [f"<p>{_h(label)}</p>"] if label else []
                body += ["<ul>", *(f"<li>{_h(i)}</li>" for i in items), "</ul>"]
            case Entry(rows=rows, note=note):
                body.append('<div class="entry">')
                body.append(f'<div class="title">{block.heading(_h)}</div>')
                if rows:
                    body.append("<dl>")
                    body += [f"<dt>{_h(k)}</dt><dd>{_h(v)}</dd>" for k, v in rows]
                    body.append("</dl>")
                body += [f'<div class="note">{_h(note)}</div>'] if note else []
                body.append("</div>")
            case StepCard():
                body += _html_step(block)
            case Gate(title_text, facts, criteria, no_go):
                body += ['<div class="gate">', f"<h3>{_h(title_text)}</h3>"]
                body.append(f'<div class="facts">{_h(facts)}</div>')
                body += _html_boxes(criteria)
                body.append(f"<p>No-go means: {_h(no_go)}</p>")
                body += [f'<div class="decision">{_h(DECISION_LINE)}</div>', "</div>"]
            case Banner(title_text, why, lists):
                body += ['<div class="ponr">', f"<h2>{_h(title_text)}</h2>"]
                body += [f"<p><strong>{_h(why)}</strong></p>"] if why else []
                for label, items in lists:
                    body += [f"<p>{_h(label)}</p>", "<ul>"]
                    body += [f"<li>{_h(i)}</li>" for i in items]
                    body.append("</ul>")
                body.append("</div>")
            case WriteLines(count):
                body += ['<div class="write"></div>' for _ in range(count)]
    head = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_h(title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
    ]
    return "\n".join([*head, *body, "</body>", "</html>"]) + "\n"


def _code(commands: tuple[str, ...]) -> str:
    # Commands are printed exactly as written, scheme and all: they are typed, not read.
    return html.escape(visible("\n".join(commands)))


def _html_boxes(items: tuple[str, ...]) -> list[str]:
    return ['<ul class="boxes">', *(f"<li>{_BOX}{_h(i)}</li>" for i in items), "</ul>"]


def _html_step(step: StepCard) -> list[str]:
    out = [
        '<div class="step">',
        f"<h3>{_BOX}{step.number}. {_h(step.title)}</h3>",
        f'<div class="facts">{_h(step.facts)}</div>',
    ]
    if step.instructions:
        out.append(f"<p>{_h(step.instructions)}</p>")
    if step.commands:
        out.append(f"<pre>{_code(step.commands)}</pre>")
    if step.verify:
        out.append("<p>Verify:</p>")
        out += _html_boxes(step.verify)
    out.append(f'<p class="rollback">↩ {_h(step.rollback)}</p>')
    if step.rollback_commands:
        out.append(f"<pre>{_code(step.rollback_commands)}</pre>")
    out.append("</div>")
    return out
