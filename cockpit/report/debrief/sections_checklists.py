"""The night's checklists, as document sections: the checklist before the window (who
signed each item, and when), every step walked as the debrief walks it (its attempts, its
verify items seen when and by whom or never, what was completed anyway and why, the
corrections that reopened it), the post-cutover verification, and every correction.

An item is "✔ seen HH:MM by NAME (#event)" or "✖ never ticked"; a tick withdrawn by a
correction is shown under its item, never dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

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
    Table,
    alert,
    flag,
    strong,
)
from .model import Attempt, ChecklistReport, Debrief, ItemRow, StepRow
from .words import plural

Clock = Callable[[datetime | None], str]

#: How an attempt ended, in words with a mark that reads without colour.
_ENDED = {"completed": "✔ completed", "failed": "✖ failed"}


def numbers(indexes: tuple[int, ...]) -> str:
    """`#1, #3`."""
    return ", ".join(f"#{number}" for number in indexes)


def seen_words(item: ItemRow, t: Clock, *, after: datetime | None = None) -> Inline:
    """`✔ seen 02:09 by Dana (#5)`, or `✖ never ticked`; a tick later than `after` (the
    end of the night) says so."""
    seen = item.seen
    if seen is None:
        return (flag("✖ never ticked"),)
    words: list[Span] = [f"✔ seen {t(seen.at)}"]
    if seen.by:
        words += [" by ", Said(seen.by)]
    words.append(f" (#{seen.seq})")
    if after is not None and seen.at > after:
        words.append(" — after the end (hypercare)")
    return tuple(words)


def withdrawn_ticks(item: ItemRow, t: Clock) -> BulletList | None:
    """The ticks of an item withdrawn by a correction, with why (None: none were)."""
    if not item.withdrawn:
        return None
    rows: list[ListItem] = []
    for withdrawn in item.withdrawn:
        given: list[Span] = [f" (ticked {t(withdrawn.tick.at)}"]
        if withdrawn.tick.by:
            given += [" by ", Said(withdrawn.tick.by)]
        given.append(f", #{withdrawn.tick.seq})")
        rows.append(
            ListItem(
                (
                    strong("Correction:"),
                    f" tick withdrawn at {t(withdrawn.at)} (#{withdrawn.seq}): ",
                    Said(withdrawn.reason),
                    *given,
                )
            )
        )
    return BulletList(tuple(rows))


def item_list(items: tuple[ItemRow, ...], t: Clock, *, after: datetime | None = None) -> BulletList:
    """A list's items, each seen when and by whom or never, with its withdrawn ticks."""
    return BulletList(
        tuple(
            ListItem(
                (f"#{item.number} ", Said(item.text), " — ", *seen_words(item, t, after=after)),
                withdrawn_ticks(item, t),
            )
            for item in items
        )
    )


def passed_anyway(
    report: ChecklistReport, what: str, t: Clock, left: str = "unticked"
) -> Paragraph | None:
    """`**<what> anyway** at 02:55 (#31) with #2 unticked: REASON` — the DE's answer when
    the list was passed with items left (None when none were)."""
    if not report.unticked:
        return None
    return Paragraph(
        (
            alert(f"{what} anyway"),
            f" at {t(report.anyway_at)} (#{report.anyway_seq}) with "
            f"{numbers(report.unticked)} {left}: ",
            Said(report.anyway, empty="(no reason given)"),
        )
    )


# ---- before the window --------------------------------------------------------------------


def pre_window_section(debrief: Debrief) -> Section:
    """Each item of the checklist before the window: who is to sign it, who signed it and
    when, or "not signed"; and, if the night started anyway, why."""
    heading = ("Before the window",)
    report = debrief.pre_window
    if report is None:
        none = Paragraph(("This runbook has no checklist before the window.",))
        return Section("pre-window", "Before the window", heading, (none,))
    t = debrief.times.at
    rows: list[tuple[Cell, ...]] = []
    for item in report.items:
        signed: Inline
        if item.seen is None:
            signed = (flag("✖ not signed"),)
        else:
            by: Inline = (" by ", Said(item.seen.by)) if item.seen.by else ()
            signed = (f"✔ {t(item.seen.at)}", *by, f" (#{item.seen.seq})")
        for withdrawn in item.withdrawn:
            signed += (
                f"; a signature withdrawn at {t(withdrawn.at)} (#{withdrawn.seq}): ",
                Said(withdrawn.reason),
            )
        rows.append(
            ((str(item.number),), (Said(item.text),), (Said(item.signer, empty="—"),), signed)
        )
    blocks: list[Block] = [Table(("#", "Item", "To be signed by", "Signed"), tuple(rows))]
    started = passed_anyway(report, "The first step started", t, "not signed")
    if started is not None:
        blocks.append(started)
    elif debrief.summary.mode == "rehearsal" and report.never:
        blocks.append(Paragraph(("A rehearsal does not wait for this list.",), "muted"))
    return Section("pre-window", "Before the window", heading, tuple(blocks))


# ---- step by step -------------------------------------------------------------------------


def step_by_step_section(debrief: Debrief) -> Section:
    """Every step as the debrief walks it: each attempt, each verify item seen when and
    by whom or never, what was completed anyway and why, and the corrections on it."""
    t = debrief.times.at
    blocks: list[Block] = []
    for row in debrief.steps:
        blocks += [Heading(3, (f"{row.number}. ", Said(row.title))), _step(row, t)]
    return Section("step-by-step", "Step by step", ("Step by step",), tuple(blocks))


def _step(row: StepRow, t: Clock) -> BulletList:
    dated: list[tuple[datetime, ListItem]] = [
        (attempt.started_at, ListItem(_attempt(attempt, t))) for attempt in row.attempts
    ]
    if row.skipped_at is not None:
        skipped = (f"↷ skipped at {t(row.skipped_at)}: ", Said(row.skip_reason))
        dated.append((row.skipped_at, ListItem(skipped)))
    for correction in row.reopened:
        reopened = (
            strong("Correction:"),
            f" at {t(correction.at)} (#{correction.seq}), ",
            Said(correction.what),
            ": ",
            Said(correction.reason),
        )
        dated.append((correction.at, ListItem(reopened)))
    items = [item for _, item in sorted(dated, key=lambda pair: pair[0])]
    if row.attempts and row.verify:
        items.append(ListItem(("Verify:",), item_list(row.verify, t)))
    elif row.verify:
        # Never started: there was nothing to see, so its items are not "never ticked".
        count = len(row.verify)
        unseen = "its verify item was" if count == 1 else f"its {count} verify items were"
        words = f"○ not started: {unseen}" if not items else unseen[0].upper() + unseen[1:]
        items.append(ListItem((f"{words} not reached",)))
    else:
        items.append(ListItem(("No verify items in the plan.",)))
        if len(items) == 1:
            items.insert(0, ListItem(("○ not started",)))
    if row.undone_at is not None:
        items.append(ListItem((f"Undone in the rollback at {t(row.undone_at)}.",)))
    return BulletList(tuple(items))


def _attempt(attempt: Attempt, t: Clock) -> Inline:
    words: list[Span] = [f"Started {t(attempt.started_at)} (#{attempt.start_seq})"]
    if attempt.result == "running":
        words.append(", ▶ still running when the journal ends")
        return tuple(words)
    words.append(f", {_ENDED[attempt.result]} {t(attempt.ended_at)}")
    if attempt.reason:
        words += [": ", Said(attempt.reason)]
    if attempt.unticked:
        words += [
            f" with {numbers(attempt.unticked)} unticked — ",
            alert("completed anyway:"),
            " ",
            Said(attempt.anyway, empty="(no reason given)"),
        ]
    return tuple(words)


# ---- after the steps ----------------------------------------------------------------------


def verification_section(debrief: Debrief) -> Section:
    """The post-cutover verification, item by item (ticks after the end are hypercare),
    and why the cutover was declared complete with items unticked."""
    heading = ("Post-cutover verification",)
    report = debrief.verification
    nav = "Verification"
    if report is None:
        none = Paragraph(("This runbook has no post-cutover verification.",))
        return Section("verification", nav, heading, (none,))
    t = debrief.times.at
    if len(report.never) == len(report.items) and (
        debrief.rollback is not None or not debrief.summary.ended
    ):
        why = (
            "the cutover was rolled back (see the check after the rollback)"
            if debrief.rollback is not None
            else "the journal ends before it"
        )
        reached = Paragraph((f"Not reached: {why}.",))
        return Section("verification", nav, heading, (reached,))
    blocks: list[Block] = [item_list(report.items, t, after=report.after)]
    declared = passed_anyway(report, "Declared complete", t)
    if declared is not None:
        blocks.append(declared)
    later = [i for i in report.items if i.seen and report.after and i.seen.at > report.after]
    if later:
        blocks.append(
            Paragraph(
                (f"{plural(len(later), 'item')} ticked after the end of the night (hypercare).",),
                "muted",
            )
        )
    return Section("verification", nav, heading, tuple(blocks))


def rollback_check_blocks(debrief: Debrief) -> list[Block]:
    """The check that the source serves again, after the rollback: each item ticked or
    not, and why the rollback ended with items unticked (for the rollback section)."""
    rollback = debrief.rollback
    if rollback is None:
        return []
    heading = Heading(3, ("The check after the rollback",))
    check = rollback.check
    if check is None:
        none = "The plan has no check that the source system serves again after a rollback."
        return [heading, Paragraph((none,), "muted")]
    t = debrief.times.at
    blocks: list[Block] = [heading, item_list(check.items, t)]
    ended = passed_anyway(check, "The rollback ended", t)
    if ended is not None:
        blocks.append(ended)
    return blocks


# ---- corrections --------------------------------------------------------------------------

#: A correction's kind, in words.
_CORRECTION_WORDS = {
    "reopen": "↺ step reopened",
    "untick": "⊘ tick withdrawn",
    "withdraw": "⊘ note withdrawn",
}


def corrections_section(debrief: Debrief) -> Section:
    """Every correction of the night, in journal order: what it corrected, when and why.
    The mistaken event stays in the journal; the correction says it no longer holds."""
    heading = ("Corrections",)
    if not debrief.corrections:
        none = Paragraph(("No correction was made: nothing was reopened, unticked or withdrawn.",))
        return Section("corrections", "Corrections", heading, (none,))
    t = debrief.times.at
    rows = tuple(
        (
            (t(correction.at),),
            (_CORRECTION_WORDS[correction.kind],),
            (Said(correction.what),),
            (Said(correction.reason, empty="—"),),
            (f"#{correction.seq}",),
        )
        for correction in debrief.corrections
    )
    key = (
        "A correction leaves the mistaken event in the journal and says it no longer holds; "
        "a withdrawn note is still listed, marked ⊘ WITHDRAWN.",
    )
    return Section(
        "corrections",
        "Corrections",
        heading,
        (
            Table(("When", "Correction", "What", "Why", "Event"), rows, frozenset({4})),
            Paragraph(key, "muted"),
        ),
    )
