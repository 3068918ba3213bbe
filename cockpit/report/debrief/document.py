"""The debrief report as a format-neutral `Document`: every sentence of it, written once.

`build_document(debrief)` lays the `Debrief` out in sections, in report order. The
shared writers (`cockpit.report.writers`, through `markdown` and `html`) only render
what is here. This module builds the title, the damage warning, the summary, the steps
and the checkpoints; `sections_checklists` (before the window, step by step, the
post-cutover verification, corrections), `sections_incidents` (blockers, calls, point of
no return, rollback), `sections_record` (communications, notes, sessions, secrets, the
chart) and `sections_review` (the rehearsal comparison, the debrief questions) build the
rest.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from cockpit.text import report_minutes, signed_report_minutes

from ..document import (
    Cell,
    Code,
    Document,
    Fields,
    Heading,
    Inline,
    Notice,
    Paragraph,
    Said,
    Section,
    Span,
    Styled,
    Table,
    Wording,
    alert,
    flag,
    quoted,
    strong,
)
from .model import Debrief, StepRow
from .sections_checklists import (
    corrections_section,
    pre_window_section,
    step_by_step_section,
    verification_section,
)
from .sections_incidents import blockers_section, calls_section, ponr_section, rollback_section
from .sections_record import (
    chart_section,
    messages_section,
    notes_section,
    secrets_section,
    sessions_section,
)
from .sections_review import comparison_section, questions_section
from .words import sessions_text, totals_text

#: A step's final status, in words with a mark that reads without colour.
STATUS_MARKS = {
    "pending": "○ not started",
    "running": "▶ running",
    "completed": "✔ done",
    "skipped": "↷ skipped",
    "failed": "✖ failed",
}


def build_document(debrief: Debrief) -> Document:
    """The whole report, in the order it is read."""
    summary = debrief.summary
    kind = "rehearsal" if summary.mode == "rehearsal" else "cutover"
    sections = (
        _summary(debrief),
        pre_window_section(debrief),
        _steps(debrief),
        step_by_step_section(debrief),
        verification_section(debrief),
        _checkpoints(debrief),
        blockers_section(debrief),
        calls_section(debrief),
        ponr_section(debrief),
        rollback_section(debrief),
        corrections_section(debrief),
        messages_section(debrief),
        notes_section(debrief),
        sessions_section(debrief),
        secrets_section(debrief),
        chart_section(debrief),
        comparison_section(debrief),
        questions_section(debrief),
    )
    return Document(
        title=f"Debrief: {summary.title} — {summary.customer}",
        heading=("Debrief: ", Said(summary.title)),
        subtitle=(
            Said(summary.customer),
            f" · {kind} of {debrief.times.date(summary.window_start)}",
        ),
        notice=_damage(debrief),
        sections=tuple(section for section in sections if section is not None),
    )


def _damage(debrief: Debrief) -> Notice | None:
    damage = debrief.damage
    if damage is None:
        return None
    bad = (
        f"event {damage.first_bad_seq} onwards cannot be trusted"
        if damage.first_bad_seq is not None
        else "the database file is damaged"
    )
    stops = debrief.times.at(debrief.journal_end)
    return Notice(
        headline=(strong("⚠ WARNING: THIS REPORT IS INCOMPLETE — THE JOURNAL IS DAMAGED."),),
        lines=(
            (f"It stops at event {damage.trusted_seq} ({stops}): {bad}.",),
            ("Why: ", Said(damage.why), "."),
            (
                "Everything below is from the events that can be trusted; nothing after them is "
                "shown.",
            ),
            (
                "For the full check, run: ",
                Code(f"cockpit verify {debrief.journal_name or 'JOURNAL'}"),
            ),
        ),
    )


def _summary(debrief: Debrief) -> Section:
    summary = debrief.summary
    times = debrief.times
    t = times.at
    outcome: list[Span] = [strong(summary.outcome_words)]
    if summary.ended:
        if summary.outcome_reasons and summary.outcome != "successful":
            outcome += [" — ", Said("; ".join(summary.outcome_reasons))]
        if summary.end_summary:
            outcome += [". Summary at the end: “", Said(summary.end_summary), "”"]
    else:
        where = "the trusted part of the journal" if debrief.damage else "the journal"
        outcome.append(
            f" — {where} ends at {t(summary.last_event_at)} (event #{summary.last_seq}) "
            "without an outcome"
        )
    end: Inline
    if summary.ended_at is None:
        end = (f"not ended (last event at {t(summary.last_event_at)})",)
    elif (late := summary.past_window_minutes or 0.0) > 0:
        end = (f"{t(summary.ended_at)} — ", flag(f"{report_minutes(late)} after the window closed"))
    else:
        end = (f"{t(summary.ended_at)} — inside the window",)
    start, close = summary.window_start, summary.window_end
    rows: list[tuple[str, Inline]] = [
        (
            "Runbook",
            (
                Said(summary.title),
                " (",
                Code(summary.runbook_id),
                ", version ",
                Said(summary.runbook_version),
                f", snapshot sha256 {summary.runbook_sha256[:12]})",
            ),
        ),
        ("Customer", (Said(summary.customer),)),
        ("Operator", (Said(summary.operator),)),
        ("Run", (summary.mode,)),
        ("Window", (f"{times.date(start)} {t(start)}–{t(close)} (", Said(times.zone_name), ")")),
    ]
    for at, plan_start, reason in summary.rebaselines:
        rows.append(
            ("Plan moved", (f"at {t(at)} to start at {times.full(plan_start)}: ", Said(reason)))
        )
    first = t(summary.first_step_at) if summary.first_step_at else "no step started"
    journal: Inline = (Code(debrief.journal_name), ", ") if debrief.journal_name else ()
    rows += [
        ("Actual start", (f"{first} (first step started; journal opened {t(summary.opened_at)})",)),
        ("Actual end", end),
        ("Outcome", tuple(outcome)),
        ("Planned vs actual", (totals_text(summary),)),
        (
            "Journal",
            (*journal, f"events 1–{summary.last_seq}; {sessions_text(summary.sessions)}"),
        ),
    ]
    key = (
        "All times are in ",
        Said(times.zone_name),
        f", on the night of {times.date(start)} unless a day is shown. Event numbers (#12) "
        "are the ones ",
        Code("cockpit log"),
        " and ",
        Code("cockpit replay"),
        " show.",
    )
    return Section(
        "summary", "Summary", ("Summary",), (Fields(tuple(rows)), Paragraph(key, "muted"))
    )


def _steps(debrief: Debrief) -> Section:
    t = debrief.times.at
    rows: list[tuple[Cell, ...]] = []
    for row in debrief.steps:
        actual = report_minutes(row.actual_minutes)
        if row.status == "running":
            actual += " so far"
        variance = signed_report_minutes(row.variance)
        rows.append(
            (
                (str(row.number),),
                (Said(row.title), " ◆") if row.is_ponr else (Said(row.title),),
                (t(row.planned_start),),
                (report_minutes(row.planned_minutes),),
                (t(row.actual_start),),
                (actual,),
                (Styled("over", (variance,)),) if row.overran else (variance,),
                (_status(row, t),),
                (str(len(row.attempts) or "—"),),
                (Said(row.reason, empty="—"),),
            )
        )
    header = (
        "#",
        "Step",
        "Planned start",
        "Planned",
        "Actual start",
        "Actual",
        "Variance",
        "Status",
        "Attempts",
        "Reason",
    )
    ponr = " ◆ marks the point-of-no-return step." if any(r.is_ponr for r in debrief.steps) else ""
    key = (
        "Actual: from the first start to the end of the last attempt. Variance: actual minus "
        "planned; ",
        Styled("text_bold", ("bold",)),
        f" when the step ran past its planned minutes.{ponr}",
    )
    return Section(
        "steps",
        "Steps",
        ("Steps: planned against actual",),
        (
            Table(header, tuple(rows), frozenset({0, 3, 5, 6, 8})),
            Paragraph(key, "muted"),
        ),
    )


def _status(row: StepRow, t: Callable[[datetime | None], str]) -> str:
    status = STATUS_MARKS.get(row.status, row.status)
    if row.undone_at is not None:
        status += f", undone {t(row.undone_at)}"
    if row.started_ahead_of:
        status += f", out of order (before {', '.join(str(n) for n in row.started_ahead_of)})"
    return status


def _checkpoints(debrief: Debrief) -> Section:
    if not debrief.checkpoints:
        none = Wording(
            "This runbook has no go/no-go checkpoints.", "This runbook has no checkpoints."
        )
        return Section("checkpoints", "Checkpoints", ("Checkpoints",), (Paragraph((none,)),))
    t = debrief.times.at
    marks: dict[bool | None, Inline] = {
        True: ("✔ met",),
        False: (flag("✖ NOT met"),),
        None: ("○ not marked",),
    }
    blocks: list[Heading | Paragraph | Table] = []
    for checkpoint in debrief.checkpoints:
        blocks += [
            Heading(3, (Said(checkpoint.title),)),
            Paragraph(
                (
                    "Gates step ",
                    quoted(checkpoint.gates),
                    ". Decider: ",
                    Said(checkpoint.decider),
                    ". A no-go means: ",
                    Said(checkpoint.no_go_means),
                )
            ),
            Table(
                ("Criterion", "Final mark", "Marked at"),
                tuple(
                    ((Said(c.text),), marks[c.met], (t(c.marked_at),)) for c in checkpoint.criteria
                ),
            ),
        ]
        if not checkpoint.decisions:
            blocks.append(Paragraph(("No decision was recorded.",)))
            continue
        decisions = tuple(
            (
                (t(d.at),),
                (d.word,) if d.decision == "go" else (alert(d.word),),
                (Said(d.by),),
                (Said(d.reason, empty="—"),),
                (f"#{d.seq}",),
            )
            for d in checkpoint.decisions
        )
        blocks.append(Table(("When", "Decision", "By", "Why", "Event"), decisions, frozenset({4})))
    return Section("checkpoints", "Checkpoints", ("Checkpoints",), tuple(blocks))
