"""Looking back, as document sections: the rehearsal beside this run, and the debrief
questions pre-filled from the journal, with blank lines to add what it cannot know.
"""

from __future__ import annotations

from cockpit.text import report_minutes, signed_report_minutes

from ..document import (
    Block,
    BulletList,
    Cell,
    Checklist,
    Evidence,
    Heading,
    ListItem,
    Paragraph,
    Said,
    Section,
    Span,
    Table,
    alert,
    quoted,
    strong,
)
from .model import Debrief
from .sections_record import note_list

#: Lines to fill in under each checklist suggestion list.
BLANK_LINES = 2


def comparison_section(debrief: Debrief) -> Section | None:
    """The other run beside this one, step by step (None without `--compare`)."""
    comparison = debrief.comparison
    if comparison is None:
        return None
    blocks: list[Block] = [
        Paragraph(
            (
                f"The other journal: a {comparison.other_mode} on {comparison.other_date} by ",
                Said(comparison.other_operator),
                f", outcome {comparison.other_outcome}.",
            )
        )
    ]
    if comparison.other_mode != "rehearsal":
        blocks.append(Paragraph(("(It is not marked as a rehearsal.)",)))
    if not comparison.same_runbook:
        blocks.append(
            Paragraph(
                (
                    alert("It ran a different runbook snapshot"),
                    " (version ",
                    Said(comparison.other_version),
                    "): steps are matched by id.",
                )
            )
        )
    if comparison.damage is not None:
        blocks.append(
            Paragraph(
                (
                    alert("The other journal is damaged"),
                    f": it is compared up to event {comparison.damage.trusted_seq} (",
                    Said(comparison.damage.why),
                    ").",
                )
            )
        )
    if comparison.warned:
        warned: list[Span] = [strong("The rehearsal had already overrun here:"), " "]
        for number, row in enumerate(comparison.warned):
            warned += [", "] if number else []
            warned += [
                quoted(row.title),
                f" ({report_minutes(row.rehearsal_minutes)} against "
                f"{report_minutes(row.planned_minutes)} planned)",
            ]
        blocks.append(Paragraph((*warned, ".")))
    rows: list[tuple[Cell, ...]] = [
        (
            (Said(row.title),),
            (report_minutes(row.planned_minutes) if row.planned_minutes is not None else "—",),
            (report_minutes(row.rehearsal_minutes),),
            (report_minutes(row.live_minutes),),
            (signed_report_minutes(row.drift),),
            (signed_report_minutes(row.cumulative_drift),),
        )
        for row in comparison.rows
    ]
    so_far = "" if debrief.summary.ended else " so far"
    rows.append(
        (
            (strong("Total"), " (first start to end)"),
            (report_minutes(debrief.summary.planned_minutes),),
            (report_minutes(comparison.rehearsal_total),),
            (report_minutes(comparison.live_total) + so_far,),
            (signed_report_minutes(comparison.total_drift),),
            None,
        )
    )
    header = ("Step", "Planned", "Rehearsal", "This run", "Drift", "Cumulative drift")
    blocks.append(Table(header, tuple(rows), frozenset({1, 2, 3, 4, 5})))
    blocks.append(
        Paragraph(
            (
                "Drift: this run minus the rehearsal, for the step alone; cumulative: how far "
                "behind (+) or ahead (-) of the rehearsal this run was when the step ended.",
            ),
            "muted",
        )
    )
    heading = (f"{comparison.other_mode.capitalize()} versus this run",)
    return Section("comparison", "Rehearsal", heading, tuple(blocks))


def questions_section(debrief: Debrief) -> Section:
    """The four debrief questions, answered with what the journal shows."""
    questions = debrief.questions
    t = debrief.times.at
    wrong = [
        ListItem(
            (Said(finding.text),),
            Evidence(("Notes written then:",), note_list(finding.notes, t))
            if finding.notes
            else None,
        )
        for finding in questions.went_wrong
    ]
    blocks: list[Block] = [
        Paragraph(("Pre-filled from the journal; add what the journal cannot know.",), "muted"),
        Heading(3, ("What went as planned?",)),
        _bullets(questions.as_planned, "Nothing the journal can show went exactly to plan."),
        Heading(3, ("What was different from the plan, and why?",)),
        _bullets(questions.different, "Nothing the journal shows differed from the plan."),
        Heading(3, ("What went wrong, and how was it diagnosed and resolved?",)),
        BulletList(tuple(wrong) or (ListItem(("Nothing went wrong that the journal shows.",)),)),
        Heading(3, ("What would we add?",)),
    ]
    for heading, items in (
        ("To the pre-migration checklist", questions.pre_migration),
        ("To the cutover checklist", questions.cutover_checklist),
        ("To the troubleshooting guide", questions.troubleshooting),
    ):
        suggested = tuple(("Suggested: ", Said(item)) for item in items)
        blocks += [Heading(4, (heading,)), Checklist(suggested, BLANK_LINES)]
    return Section("questions", "Debrief questions", ("Debrief questions",), tuple(blocks))


def _bullets(items: tuple[str, ...], empty: str) -> BulletList:
    if not items:
        return BulletList((ListItem((empty,)),))
    return BulletList(tuple(ListItem((Said(item),)) for item in items))
