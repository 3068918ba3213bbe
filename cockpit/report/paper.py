"""The paper backup: the cutover checklist and contact card to print and keep on the desk.

When the laptop freezes, the VPN drops or the power goes, the night goes on from paper.
So the paper holds everything needed to finish or roll back without the cockpit: the
fields to fill in, every number in escalation order, the 30-minute rule with the on-call
senior's number, the checklist before the window (each item with who is to sign it and a
line to sign on, the senior's approval among them), every step with a box, owner,
planned time, commands and verify items, each go/no-go with boxed criteria and a line to
record the decision, the point of no return marked across the page, the rollback of each
step and the check that the source serves again after a rollback, the communication
triggers and the post-cutover verification.

The plan is laid out once as a format-neutral `Document` (`cockpit.report.document`, the
same blocks as the debrief), and the shared writers (`cockpit.report.writers`) print it
as Markdown, self-contained HTML (prints on A4 and Letter, no external assets) or plain
text that fits 80 columns. What is particular to paper is decided here, once for every
format: text from the files is `Said` (escaped by the writers' one policy) with its phone
numbers marked `Number` (never broken across lines, set apart), URL schemes are dropped
from prose (nothing on the page can be followed or fetched; "admin.example.com" reads the
same), and the blanks to write on are the paper's own words. Commands are printed exactly
as written. Secrets appear only as "in keyring: NAME". Times are local to the runbook's
zone (`cockpit.text.clock_time`: the repeated hour of a fall-back night is named). Nothing
here reads the clock: the same plan prints the same paper.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import TYPE_CHECKING, Literal

from cockpit.core.comms import describe_trigger
from cockpit.model.contacts import Contact, ContactCard, SecretRef
from cockpit.model.runbook import Runbook, Step
from cockpit.phones import phone_text
from cockpit.text import clock_time, date_time, visible

from .document import (
    Banner,
    Block,
    BulletList,
    Card,
    Checklist,
    Commands,
    Document,
    Entry,
    Form,
    Gate,
    Heading,
    Inline,
    ListItem,
    Number,
    Paragraph,
    Said,
    Section,
    Span,
    WriteLines,
)
from .writers.text import WIDTH

if TYPE_CHECKING:
    from cockpit.readiness import RollbackDeadline

Format = Literal["md", "html", "txt"]
FORMATS: tuple[Format, ...] = ("md", "html", "txt")
#: Width of the plain-text paper.
TXT_WIDTH = WIDTH
#: A blank to write on.
BLANK = "_" * 18

DECISION_LINE = "GO / NO-GO / HOLD  —  time ________  —  initials ________"

#: Phone numbers must not be broken across lines: "+1 312" on one line and "555 0199" on
#: the next is a wrong number at 3 a.m.
_PHONE = re.compile(r"\+?\d[\d ().\-x]{5,}\d")
#: A URL's scheme. The page's prose holds no URL, not even as text, so nothing in a saved
#: page can be fetched or followed; on paper "admin.example.com" reads the same. (Commands
#: keep theirs: they are typed exactly as written.)
_SCHEME = re.compile(r"\b(?:https?|ftp)://", re.IGNORECASE)


def _said(text: str) -> Inline:
    """Text for the page: without URL schemes, its numbers held together (`Number`)."""
    text = _SCHEME.sub("", text)
    spans: list[Span] = []
    position = 0
    for match in _PHONE.finditer(text):
        if match.start() > position:
            spans.append(Said(text[position : match.start()]))
        spans.append(Number(match.group()))
        position = match.end()
    if position < len(text) or not spans:
        spans.append(Said(text[position:]))
    return tuple(spans)


# ---- the plan as a document -------------------------------------------------------------------


def paper_document(runbook: Runbook, card: ContactCard | None) -> Document:
    """The paper backup of a plan, in page order."""
    from cockpit.model.fingerprint import runbook_sha256
    from cockpit.readiness import rollback_deadline

    meta = runbook.meta
    timing = rollback_deadline(runbook)
    title = f"Paper backup — {meta.title}"
    form = Form(
        (
            ("Migration ID", ()),
            ("Customer", _said(meta.customer)),
            (
                "FOC / window",
                (
                    *_said(f"{_window(runbook)} · FOC confirmed by phone at"),
                    f" {BLANK[:8]} with {BLANK[:10]}",
                ),
            ),
            ("DE", _de_field(runbook, card)),
            ("Rollback deadline", _said(_deadline_text(runbook, timing))),
        )
    )
    verification: tuple[Block, ...] = (
        (Checklist(tuple(_said(item) for item in runbook.verification)),)
        if runbook.verification
        else (
            Paragraph(_said("No verification checklist in the plan: write one below.")),
            WriteLines(4),
        )
    )
    notes = (
        Paragraph(
            _said(
                "Times, who was called, what differed from the plan: the debrief within 24 "
                "hours walks this page step by step."
            )
        ),
        WriteLines(8),
    )
    return Document(
        title=title,
        heading=_said(title),
        subtitle=_said(
            f"Runbook {meta.id} version {meta.version} · plan sha256 "
            f"{runbook_sha256(runbook)[:16]} · {meta.customer}"
        ),
        notice=None,
        preamble=(form,),
        sections=(
            _escalation_section(runbook, card),
            _contacts_section(card),
            _pre_window_section(runbook, card),
            _checklist_section(runbook, card),
            _after_rollback_section(runbook),
            _comms_section(runbook),
            _section("Post-cutover verification", verification),
            _section("Notes", notes),
        ),
    )


def _section(heading: str, blocks: tuple[Block, ...] | list[Block]) -> Section:
    """A section of the paper: read in page order, so no anchor and no place in a table of
    contents."""
    return Section(anchor="", nav="", heading=_said(heading), blocks=tuple(blocks))


def _window(runbook: Runbook) -> str:
    meta = runbook.meta
    start, end = meta.window_start_utc, meta.window_end_utc
    same_day = end.astimezone(meta.zone).date() == start.astimezone(meta.zone).date()
    end_text = clock_time(end, meta.zone) if same_day else date_time(end, meta.zone)
    return f"{date_time(start, meta.zone)}–{end_text} {meta.timezone}"


def _de_field(runbook: Runbook, card: ContactCard | None) -> Inline:
    operator = card.resolve(runbook.meta.operator_role) if card is not None else None
    if operator is None:
        return ()
    number = f", {operator.first_number}" if operator.first_number else ""
    return (BLANK, *_said(f"  (on the card: {operator.name}{number})"))


def _deadline_text(runbook: Runbook, timing: RollbackDeadline) -> str:
    zone = runbook.meta.zone
    # The deadline is a naive local time whose `fold` says which reading of a repeated
    # hour it is: as a moment in the zone, clock_time names that hour.
    deadline = clock_time(timing.deadline.replace(tzinfo=zone), zone)
    undo = f"{timing.rollback_minutes} min" if timing.undo_steps else "nothing to undo"
    frm = f"before {timing.ponr_step}" if timing.ponr_step else "after the last step"
    return (
        f"{deadline} — latest start of a rollback that ends inside the window "
        f"(rollback from {frm}: {undo}; RTO {timing.rto_minutes} min)"
    )


def _numbers(contact: Contact) -> str:
    return ", ".join(f"{phone_text(phone.number)} ({phone.label})" for phone in contact.phones)


def _escalation_section(runbook: Runbook, card: ContactCard | None) -> Section:
    minutes = runbook.meta.escalation_minutes
    rule = Paragraph(
        _said(
            f"Stuck for {minutes} minutes on anything: call the on-call senior DE. Making "
            "that call is the right move, not a failure."
        ),
        tone="strong",
    )
    on_call = card.on_call if card is not None else None
    if on_call is not None:
        form = Form((("On-call senior", _said(f"{on_call.name} — {_numbers(on_call)}")),))
    else:
        form = Form((("On-call senior", ()), ("Phone", ())))
    return _section(f"The {minutes}-minute rule", (rule, form))


def _entry_title(lead: str, title: str, ref: str) -> Inline:
    """`1. Name — role [id]`: the paper's lead (a number, a box) and brackets are its own
    words; the title and the id come from the file."""
    return (lead, *_said(title), " [", *_said(ref), "]")


def _contacts_section(card: ContactCard | None) -> Section:
    heading = "Contacts, in escalation order"
    if card is None:
        blank = Paragraph(_said("No contact card was given: write every number here."))
        return _section(heading, (blank, WriteLines(6)))
    blocks: list[Block] = []
    for contact in card.in_escalation_order:
        order = f"{contact.escalation_order}. " if contact.escalation_order is not None else ""
        senior = " — ON-CALL SENIOR" if contact.on_call_senior else ""
        org = f", {contact.organisation}" if contact.organisation else ""
        rows: list[tuple[str, str]] = [
            (phone.label, phone_text(phone.number)) for phone in contact.phones
        ]
        if contact.email:
            rows.append(("email", contact.email))
        rows.extend((label, f"in keyring: {ref.secret}") for label, ref in contact.secrets.items())
        blocks.append(
            Entry(
                _entry_title(order, f"{contact.name} — {contact.role}{org}{senior}", contact.id),
                tuple((_said(label), _said(value)) for label, value in rows),
                _said(contact.notes) if contact.notes else (),
            )
        )
    for account in card.accounts:
        fields = [
            (label, f"in keyring: {value.secret}" if isinstance(value, SecretRef) else value)
            for label, value in account.fields.items()
        ]
        blocks.append(
            Entry(
                _entry_title("", f"Account: {account.vendor}", account.id),
                tuple((_said(label), _said(value)) for label, value in fields),
                _said(f"contact: {account.contact}") if account.contact else (),
            )
        )
    return _section(heading, blocks)


def _owner(owner: str, card: ContactCard | None) -> str:
    contact = card.resolve(owner) if card is not None else None
    if contact is None:
        return owner
    number = f", {contact.first_number}" if contact.first_number else ""
    return f"{contact.name} ({owner}{number})"


def _pre_window_section(runbook: Runbook, card: ContactCard | None) -> Section:
    """The checklist before the window: each item with who is to sign it, and a line for
    the name and time of the one who did."""
    heading = "Before the window"
    if not runbook.pre_window:
        blank = Paragraph(_said("No checklist before the window in the plan: write one below."))
        return _section(heading, (blank, WriteLines(4)))
    intro = Paragraph(
        _said(
            "Signed before step 1, each by the one named: write who signed it and when. "
            "Starting without an item signed is a decision: write why under Notes."
        )
    )
    items = tuple(
        (
            *_said(f"{entry.item} — to be signed by {_owner(entry.signed_by, card)}"),
            f" — signed by {BLANK[:10]} at {BLANK[:6]}",
        )
        for entry in runbook.pre_window
    )
    return _section(heading, (intro, Checklist(items)))


def _after_rollback_section(runbook: Runbook) -> Section:
    """What a rollback ends with: the check that the source system serves again."""
    heading = "After a rollback"
    intro = Paragraph(
        _said(
            "Undo the completed steps in reverse order (the rollback line of each step "
            "above), then check that the source system serves again:"
        )
    )
    if not runbook.rollback_verification:
        none = Paragraph(_said("No check after a rollback in the plan: write one below."))
        return _section(heading, (intro, none, WriteLines(3)))
    check = Checklist(tuple(_said(item) for item in runbook.rollback_verification))
    ended = Paragraph(
        (*_said("Rollback ended at"), f" {BLANK[:6]}", *_said(" — anything not ticked, and why:"))
    )
    return _section(heading, (intro, check, ended, WriteLines(2)))


def _checklist_section(runbook: Runbook, card: ContactCard | None) -> Section:
    blocks: list[Block] = [
        Paragraph(
            _said(
                "Tick each box only when you have seen it yourself. Write the start and end "
                "time of every step next to its box."
            )
        )
    ]
    zone = runbook.meta.zone
    # In real time from the window's start (UTC): on the night the clocks change, an hour
    # of wall clock is not an hour.
    moment = runbook.meta.window_start_utc
    phase: str | None = None
    for number, step in enumerate(runbook.steps, start=1):
        if step.phase is not None and step.phase != phase:
            blocks.append(Heading(3, _said(step.phase)))  # the part of the night begins
        phase = step.phase
        for checkpoint in runbook.checkpoints_before(step.id):
            blocks.append(
                Gate(
                    heading=_said(f"GO / NO-GO: {checkpoint.title}"),
                    facts=_said(
                        f"before step {number} · decider: {_owner(checkpoint.decider, card)}"
                    ),
                    criteria=Checklist(tuple(_said(c) for c in checkpoint.criteria)),
                    no_go=_said(checkpoint.no_go_means),
                    decision=DECISION_LINE,
                )
            )
        if step.id == runbook.ponr_step:
            blocks.append(_ponr_banner(runbook))
        end = moment + timedelta(minutes=step.minutes)
        planned = f"{clock_time(moment, zone)}–{clock_time(end, zone)}"
        blocks.append(_step_card(number, step, planned, card))
        moment = end
    if runbook.ponr_step is None and runbook.point_of_no_return.none:
        blocks.append(
            Paragraph(
                _said(f"No point of no return in this plan: {runbook.point_of_no_return.none}")
            )
        )
    return _section("Cutover checklist", blocks)


def _step_card(number: int, step: Step, planned: str, card: ContactCard | None) -> Card:
    undo_commands: tuple[str, ...] = ()
    if step.rollback is not None:
        tested = ", tested" if step.rollback.tested else ", NOT tested"
        undo = f"Rollback ({step.rollback.minutes} min{tested}): {step.rollback.action}"
        undo_commands = tuple(step.rollback.commands)
    elif step.no_rollback is not None:
        undo = f"No rollback needed: {step.no_rollback}"
    else:
        undo = "Rollback: none written in the plan."
    body: list[Paragraph | Commands | Checklist] = []
    instructions = " ".join(step.instructions.split())
    if instructions:
        body.append(Paragraph(_said(instructions)))
    if step.commands:
        body.append(Commands(tuple(step.commands)))
    if step.verify:
        body.append(Checklist(tuple(_said(item) for item in step.verify), label=("Verify:",)))
    facts = f"owner: {_owner(step.owner, card)} · {step.minutes} min · planned {planned} · started"
    return Card(
        heading=(f"{number}. ", *_said(step.title)),
        facts=(*_said(facts), f" {BLANK[:6]} done {BLANK[:6]}"),
        body=tuple(body),
        undo=_said(undo),
        undo_commands=Commands(undo_commands) if undo_commands else None,
    )


def _ponr_banner(runbook: Runbook) -> Banner:
    ponr = runbook.point_of_no_return
    lists: list[tuple[Inline, BulletList]] = []
    if ponr.forward_fix:
        fix_forward = _said("Past this line there is no rollback — fix forward:")
        lists.append((fix_forward, _bullets(ponr.forward_fix)))
    if runbook.post_cutover_writes:
        lists.append(
            (
                _said("Data written from here on, lost to a rollback unless kept:"),
                _bullets([f"{w.what} — kept by: {w.kept_by}" for w in runbook.post_cutover_writes]),
            )
        )
    return Banner(
        heading=_said("POINT OF NO RETURN — the next step cannot be undone by a rollback"),
        why=_said(ponr.why) if ponr.why else (),
        lists=tuple(lists),
    )


def _bullets(items: list[str]) -> BulletList:
    return BulletList(tuple(ListItem(_said(item)) for item in items))


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
        "window_start": clock_time(meta.window_start_utc, meta.zone),
        "window_end": clock_time(meta.window_end_utc, meta.zone),
    }
    return _PLACEHOLDER.sub(lambda m: known.get(m.group(1), m.group(0)), text)


def _comms_section(runbook: Runbook) -> Section:
    comms = runbook.communications
    if not comms.messages:
        return _section(
            "Communications", (Paragraph(_said("No communication plan in the runbook.")),)
        )
    names = {stakeholder.id: stakeholder for stakeholder in comms.stakeholders}
    blocks: list[Block] = []
    for message in comms.messages:
        audience = "; ".join(
            f"{names[a].name} ({names[a].channel})" if a in names else a for a in message.audience
        )
        blocks.append(
            Entry(
                _entry_title("[ ] ", describe_trigger(message.trigger, runbook), message.id),
                ((_said("to"), _said(audience)),),
                _said(" ".join(_fill_known(runbook, message.text).split())),
            )
        )
    return _section("Communications", blocks)


# ---- rendering ------------------------------------------------------------------------------

#: Fits both A4 (210 mm) and Letter (216 mm) with the page margins; black on white; system
#: fonts only; boxes drawn with CSS so no font or image is needed.
CSS = """
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


def render_paper(runbook: Runbook, card: ContactCard | None, fmt: Format = "md") -> str:
    """The paper backup of `runbook` (with `card`, when given) in `fmt`.

    The writers escape the file's text as they write it; the whole page then goes through
    `visible` once more, so no control character from a file can reach a terminal or a
    printer whatever a writer forgot (it changes nothing when none did).
    """
    document = paper_document(runbook, card)
    if fmt == "md":
        from .writers.markdown import write_markdown

        return visible(write_markdown(document))
    if fmt == "html":
        from .writers.html import write_html

        return visible(write_html(document, CSS))
    if fmt == "txt":
        from .writers.text import write_text

        return visible(write_text(document, TXT_WIDTH))
    raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
