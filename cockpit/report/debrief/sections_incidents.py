"""When the night left the plan, as document sections: the blockers and their escalation
calls, every call logged and what was agreed on it, the point of no return, and the
rollback against its RTO (each undo done, failed or skipped, and the check after it).
"""

from __future__ import annotations

from datetime import datetime

from cockpit.text import report_minutes

from ..document import (
    Block,
    BulletList,
    Cell,
    Heading,
    Inline,
    ListItem,
    Paragraph,
    Said,
    Section,
    Span,
    Styled,
    Table,
    alert,
    flag,
    quoted,
    strong,
)
from .blockers import BlockerReport
from .model import Debrief, RollbackStepRow
from .sections_checklists import Clock, rollback_check_blocks
from .sections_record import note_list
from .words import plural


def blockers_section(debrief: Debrief) -> Section:
    """Every blocker: raised, the escalation rule, the call (late or never), resolved."""
    if not debrief.blockers:
        return Section(
            "blockers", "Blockers", ("Blockers",), (Paragraph(("No blocker was raised.",)),)
        )
    blocks: list[Block] = []
    late = [b for b in debrief.blockers if b.flag]
    if late:
        broke = f"⚠ {plural(len(late), 'blocker')} broke the escalation rule"
        blocks.append(
            Paragraph(
                (
                    Styled("text_bold", (broke,)),
                    " (call the on-call senior DE once stuck for the escalation minutes).",
                ),
                "flag",
            )
        )
    for blocker in debrief.blockers:
        blocks += _blocker(blocker, debrief)
    return Section("blockers", "Blockers", ("Blockers",), tuple(blocks))


def _blocker(blocker: BlockerReport, debrief: Debrief) -> list[Block]:
    t = debrief.times.at
    rule = report_minutes(blocker.escalation_minutes)
    heading: Inline = (Said(blocker.what),)
    if blocker.flag:
        heading += (" — ", flag(f"⚠ {blocker.flag}"))
    raised: Inline = (strong("Raised:"), f" {t(blocker.raised_at)} (event #{blocker.raised_seq})")
    if blocker.gate_title:
        raised += (", at the gate ", quoted(blocker.gate_title), " before ")
        raised += (quoted(blocker.step_title),)
    elif blocker.step_title:
        raised += (", during step ", quoted(blocker.step_title))
    items = [
        ListItem(raised),
        ListItem(
            (
                strong("Escalation rule:"),
                f" call by {t(blocker.deadline)} ({rule} after raising it)",
            )
        ),
    ]
    if blocker.calls:
        first_at, first_whom = blocker.calls[0]
        call: list[Span] = [
            strong("Escalation call:"),
            f" {t(first_at)}, {report_minutes(blocker.called_after)} after raising it, to ",
            Said(first_whom),
        ]
        if blocker.late_call:
            past = report_minutes((first_at - blocker.deadline).total_seconds() / 60)
            call += [" — ", alert(f"LATE: {past} past the {rule} rule")]
        else:
            call.append(" — inside the rule")
        call += _agreed(debrief, blocker, first_at)
        items.append(ListItem(tuple(call)))
        for at, whom in blocker.calls[1:]:
            also = (strong("Also called:"), " ", Said(whom), f" at {t(at)}")
            items.append(ListItem((*also, *_agreed(debrief, blocker, at))))
    elif blocker.never_called:
        items.append(
            ListItem(
                (
                    strong("Escalation call:"),
                    " ",
                    alert("NEVER CALLED"),
                    f" — open {report_minutes(blocker.open_minutes)}, past the {rule} rule",
                )
            )
        )
    else:
        before = "resolved" if blocker.resolved_at is not None else "the journal ends"
        items.append(
            ListItem((strong("Escalation call:"), f" none ({before} before the rule said to call)"))
        )
    open_for = report_minutes(blocker.open_minutes)
    if blocker.resolved_at is not None:
        resolved: Inline = (f" {t(blocker.resolved_at)}, after {open_for}: ", Said(blocker.how))
    else:
        resolved = (f" not resolved — still open when the journal ends ({open_for})",)
    items.append(ListItem((strong("Resolved:"), *resolved)))
    if blocker.notes:
        notes = note_list(blocker.notes, t)
        items.append(ListItem((strong("Notes written while it was open:"),), notes))
    return [Heading(3, heading), BulletList(tuple(items))]


def _agreed(debrief: Debrief, blocker: BlockerReport, at: datetime) -> Inline:
    """`; agreed: …` for the call on `blocker` at `at` (nothing when none was written)."""
    for call in debrief.calls:
        if call.at == at and call.blocker_id == blocker.blocker_id and call.agreed:
            return ("; agreed: ", Said(call.agreed))
    return ()


def calls_section(debrief: Debrief) -> Section:
    """Every call logged — the on-call senior, the carrier, a vendor — with what was
    agreed on it, on a blocker or not."""
    heading = ("Calls",)
    if not debrief.calls:
        return Section("calls", "Calls", heading, (Paragraph(("No call was logged.",)),))
    t = debrief.times.at
    rows = tuple(
        (
            (t(call.at),),
            (Said(call.contact),),
            (quoted(call.about),) if call.about else ("no blocker",),
            (Said(call.agreed, empty="—"),),
            (f"#{call.seq}",),
        )
        for call in debrief.calls
    )
    table = Table(("When", "Called", "About", "What was agreed", "Event"), rows, frozenset({4}))
    return Section("calls", "Calls", heading, (table,))


def ponr_section(debrief: Debrief) -> Section:
    """Which step is the point of no return, and when (on which go) it was crossed."""
    ponr = debrief.ponr
    heading = ("Point of no return",)
    if ponr.step_title is None:
        none = Paragraph(("This plan has no point of no return: ", Said(ponr.none_reason)))
        return Section("ponr", "Point of no return", heading, (none,))
    t = debrief.times.at
    what: Inline = (strong("The point of no return:"), " step ", quoted(ponr.step_title))
    if ponr.why:
        what += (": ", Said(ponr.why))
    items = [ListItem(what)]
    if ponr.crossed_at is None:
        items.append(ListItem((strong("Crossed:"), " no, not crossed")))
    else:
        go = ponr.go
        on: Inline = (
            (
                "on the GO on ",
                quoted(ponr.checkpoint_title),
                " by ",
                Said(go.by),
                f" at {t(go.at)} (event #{go.seq})",
            )
            if go is not None
            else ("on a go on ", quoted(ponr.checkpoint_title))
        )
        crossed = f" {t(ponr.crossed_at)} (event #{ponr.crossed_seq}), "
        items.append(ListItem((strong("Crossed:"), crossed, *on)))
    if ponr.forward_fix:
        fixes: list[Span] = [strong("Forward fix once past it:"), " "]
        for number, fix in enumerate(ponr.forward_fix):
            fixes += ["; ", Said(fix)] if number else [Said(fix)]
        items.append(ListItem(tuple(fixes)))
    return Section("ponr", "Point of no return", heading, (BulletList(tuple(items)),))


def rollback_section(debrief: Debrief) -> Section:
    """The rollback: when and why, each undo, and the total against the RTO."""
    rollback = debrief.rollback
    if rollback is None:
        return Section(
            "rollback", "Rollback", ("Rollback",), (Paragraph(("No rollback was started.",)),)
        )
    t = debrief.times.at
    side = "after" if rollback.after_ponr else "before"
    blocks: list[Block] = [
        BulletList(
            (
                ListItem(
                    (
                        strong("Started:"),
                        f" {t(rollback.started_at)} (event #{rollback.started_seq}), {side} "
                        "the point of no return",
                    )
                ),
                ListItem((strong("Why:"), " ", Said(rollback.reason))),
            )
        )
    ]
    if rollback.steps:
        rows = tuple(
            (
                (Said(s.title),),
                (Said(s.action),),
                (report_minutes(s.planned_minutes),),
                _undo_outcome(s, t),
            )
            for s in rollback.steps
        )
        blocks.append(Table(("Undo of", "Action", "Planned", "Outcome"), rows, frozenset({2})))
    else:
        blocks.append(Paragraph(("Nothing had to be undone.",)))
    total, rto = report_minutes(rollback.total_minutes), report_minutes(rollback.rto_minutes)
    if rollback.completed_at is not None:
        verdict: Span = "within the RTO" if rollback.within_rto else alert("OVER the RTO")
        blocks.append(
            Paragraph(
                (
                    f"Completed at {t(rollback.completed_at)}: {total} from start to end (undo "
                    f"planned at {report_minutes(rollback.planned_minutes)}), against an RTO of "
                    f"{rto} — ",
                    verdict,
                    ".",
                )
            )
        )
    else:
        blocks.append(
            Paragraph(
                (
                    alert("Not completed"),
                    f" when the journal ends: {total} since it started, against an RTO of {rto}.",
                )
            )
        )
    blocks += rollback_check_blocks(debrief)
    return Section("rollback", "Rollback", ("Rollback",), tuple(blocks))


def _undo_outcome(undo: RollbackStepRow, t: Clock) -> Cell:
    """`✔ done 02:38`, after each failure (why), or `↷ skipped 02:37: why`, or not done."""
    words: list[Span] = []
    for at, reason in undo.failures:
        words += [f"✖ failed {t(at)}: ", Said(reason), "; "]
    if undo.done_at is not None:
        words.append(f"✔ done {t(undo.done_at)}")
    elif undo.skipped_at is not None:
        words += [f"↷ skipped {t(undo.skipped_at)}: ", Said(undo.skip_reason)]
    else:
        words.append(flag("○ not done"))
    return tuple(words)
