"""The debrief's record of the night, as document sections: the communication plan
against what was sent, the notes, the sessions, the secrets revealed (names only) and the
planned-versus-actual chart.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from cockpit.text import report_minutes

from ..document import (
    BulletList,
    Code,
    Gantt,
    ListItem,
    NoteList,
    Paragraph,
    Said,
    Section,
    Span,
    Table,
    Wording,
    alert,
)
from ..gantt import build_chart
from .blockers import NoteRow
from .comms import MessageRow
from .model import Debrief


def note_list(notes: Iterable[NoteRow], at: Callable[[datetime | None], str]) -> NoteList:
    """Notes with when they were written and their event numbers."""
    return NoteList(tuple([(f"{at(note.at)} (#{note.seq}) — ", note.text) for note in notes]))


def messages_section(debrief: Debrief) -> Section:
    """Each planned message: whom to, its trigger, when it was due, when it was sent."""
    heading = ("Communications",)
    if not debrief.messages:
        none = Wording("The runbook plans no messages.", "No messages are planned.")
        return Section("communications", "Communications", heading, (Paragraph((none,)),))
    t = debrief.times.at
    rows = []
    for message in debrief.messages:
        sent = t(message.sent_at)
        if message.times_sent > 1:
            sent += f" ({message.times_sent} times)"
        if message.standing == "before_rehearsal":
            due = "before the window: not part of a rehearsal"
        else:
            due = t(message.fired_at) if message.fired_at else "did not fire"
        rows.append(
            (
                (Said(message.message_id),),
                (Said(", ".join(message.audience)),),
                (Said(message.trigger),),
                (due,),
                (sent,),
                _message_flag(message),
            )
        )
    table = Table(("Message", "To", "Trigger", "Due", "Sent", ""), tuple(rows))
    return Section("communications", "Communications", heading, (table,))


def _message_flag(message: MessageRow) -> tuple[Span, ...]:
    """The last column: the alert only for a message due while the cockpit could send it;
    a completion message is sent after the end, so one not marked sent is said plainly."""
    if message.missed:
        return (alert("⚠ NEVER SENT"),)
    if message.standing == "due_at_end":
        return ("due at the end; not marked sent",)
    return ()


def notes_section(debrief: Debrief) -> Section:
    """Every note, in the order written."""
    if not debrief.notes:
        return Section("notes", "Notes", ("Notes",), (Paragraph(("No notes were written.",)),))
    return Section("notes", "Notes", ("Notes",), (note_list(debrief.notes, debrief.times.at),))


def sessions_section(debrief: Debrief) -> Section:
    """When the journal was opened, every clean quit, every restart with how the session
    before it ended (a clean quit, or a crash, kill or power loss) and the gap before it,
    and every contact card taken in the middle of the night."""
    t = debrief.times.at
    summary = debrief.summary
    items = [
        ListItem((f"Opened at {t(summary.opened_at)} by ", Said(summary.operator), " (event #1)."))
    ]
    later: list[tuple[int, ListItem]] = [
        (
            card.seq,
            ListItem(
                (
                    alert(f"Contact card replaced at {t(card.at)}"),
                    f" (event #{card.seq}): ",
                    Said("; ".join(card.changes)),
                    ".",
                )
            ),
        )
        for card in debrief.card_changes
    ]
    for quit_row in debrief.quits:
        content: list[Span] = [f"Quit cleanly at {t(quit_row.at)}"]
        if quit_row.operator:
            content += [" by ", Said(quit_row.operator)]
        content.append(f" (event #{quit_row.seq}).")
        later.append((quit_row.seq, ListItem(tuple(content))))
    for session in debrief.sessions:
        gap = report_minutes((session.at - session.previous_at).total_seconds() / 60)
        if session.previous_end == "crash":
            content = [
                alert("Ended without a clean quit (crash, kill or power loss)"),
                f", resumed at {t(session.at)}",
            ]
        else:
            content = [f"Started again at {t(session.at)}"]
        if session.operator:
            content += [" by ", Said(session.operator)]
        previous = "the clean quit, " if session.previous_end == "clean" else ""
        content.append(
            f" (event #{session.seq}); the previous event was {previous}"
            f"#{session.previous_seq} at {t(session.previous_at)}, {gap} earlier."
        )
        if session.runbook_changed:
            content += [
                " ",
                alert("The runbook file had changed"),
                " since the start (the plan of record is the snapshot in event #1).",
            ]
        if session.card_changed:
            content += [
                " ",
                alert("The contact card file differed"),
                " from the card of record.",
            ]
        later.append((session.seq, ListItem(tuple(content))))
    items += [item for _, item in sorted(later, key=lambda pair: pair[0])]
    if not debrief.sessions:
        items.append(ListItem(("No restart: the cockpit ran in one session.",)))
    return Section("sessions", "Sessions", ("Sessions",), (BulletList(tuple(items)),))


def secrets_section(debrief: Debrief) -> Section:
    """The secrets shown or copied, by name, and the screen-share mode's changes."""
    t = debrief.times.at
    blocks: list[Paragraph | BulletList] = []
    if debrief.secrets:
        blocks.append(Paragraph(("Names only: the journal never holds a secret's value.",)))
        blocks.append(
            BulletList(
                tuple(
                    ListItem(
                        (f"{t(secret.at)} (#{secret.seq}) ", Code(secret.name), f" {secret.how}")
                    )
                    for secret in debrief.secrets
                )
            )
        )
    else:
        blocks.append(Paragraph(("No secret was shown or copied.",)))
    if debrief.share_mode:
        changes = ", ".join(f"{'on' if on else 'off'} at {t(at)}" for at, on in debrief.share_mode)
        blocks.append(Paragraph((f"Screen-share mode: {changes}.",)))
    return Section("secrets", "Secrets", ("Secrets revealed",), tuple(blocks))


def chart_section(debrief: Debrief) -> Section:
    """The planned-versus-actual chart."""
    chart = build_chart(debrief)
    key = (
        "Times in ",
        Said(chart.zone_name),
        ". Upper thin bar: planned; lower bar: actual, hatched past the planned minutes. "
        "The variance is at the right.",
    )
    return Section("chart", "Chart", ("Planned versus actual",), (Gantt(chart, key),))
