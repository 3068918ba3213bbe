"""The debrief as Markdown: readable as plain text, and rendered anywhere Markdown is.

Every piece of text that came from the night (notes, reasons, names, even the runbook's
titles) goes through `md`, which escapes what Markdown would act on: a note holding
`<script>`, `|` or `**` prints as written and cannot break a table or inject HTML.
"""

from __future__ import annotations

import re

from .debrief import (
    BlockerReport,
    Debrief,
    NoteRow,
    StepRow,
    minutes_text,
    plural,
    printable,
    sessions_text,
    signed_minutes,
    totals_text,
)
from .gantt import build_chart, text_gantt

#: Characters Markdown may act on anywhere in a line.
_INLINE = re.compile(r"([\\`*_\[\]<>|~])")
#: What Markdown may act on at the start of a line (lists, headings, quotes, rules).
_LINE_START = re.compile(r"^(\s*)([-+=#>]|\d+(?=[.)]))")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
#: Anything `_escape_line` would change: most notes have none, and skip the work.
_SPECIAL = re.compile(r"[\\`*_\[\]<>|~&\n\r\t]|^\s*(?:[-+=#>]|\d+[.)])|^\s|\s$")
#: Lines to fill in under each checklist suggestion list.
BLANK_LINES = 2
_BLANK = "- [ ] ____________________________________________________________ (owner: ________)"

STATUS_MARKS = {
    "pending": "○ not started",
    "running": "▶ running",
    "completed": "✔ done",
    "skipped": "↷ skipped",
    "failed": "✖ failed",
}


def md(text: str) -> str:
    """One line of user text, safe inside a Markdown paragraph or table cell."""
    if not _SPECIAL.search(text) and text.isprintable():
        return text
    lines = [line for line in printable(text).split("\n") if line.strip()]
    return " ⏎ ".join(_escape_line(line) for line in lines)


def md_block(text: str, indent: str) -> str:
    """Multi-line user text kept as lines (hard breaks), continuing a list item."""
    if not _SPECIAL.search(text) and text.isprintable():
        return text
    lines = [line for line in printable(text).split("\n") if line.strip()]
    return ("\\\n" + indent).join(_escape_line(line.strip()) for line in lines)


def _escape_line(line: str) -> str:
    line = _ENTITY.sub(r"\\&", _INLINE.sub(r"\\\1", line))
    match = _LINE_START.match(line)
    if match:
        lead, marker = match.group(1), match.group(2)
        if marker.isdigit():  # "1." or "1)" would start a numbered list
            end = match.end()
            line = f"{line[:end]}\\{line[end:]}"
        else:
            line = f"{lead}\\{line[len(lead) :]}"
    return line


def render_markdown(debrief: Debrief) -> str:
    """The whole report, ending with one newline."""
    parts = [
        _title(debrief),
        _damage(debrief),
        _summary(debrief),
        _steps(debrief),
        _checkpoints(debrief),
        _blockers(debrief),
        _ponr(debrief),
        _rollback(debrief),
        _messages(debrief),
        _notes(debrief),
        _sessions(debrief),
        _secrets(debrief),
        _chart(debrief),
        _comparison(debrief),
        _questions(debrief),
    ]
    text = "\n\n".join(part for part in parts if part)
    return text.rstrip("\n") + "\n"


# ---- the sections --------------------------------------------------------------------------


def _title(debrief: Debrief) -> str:
    summary = debrief.summary
    kind = "rehearsal" if summary.mode == "rehearsal" else "cutover"
    return (
        f"# Debrief: {md(summary.title)}\n\n"
        f"{md(summary.customer)} · {kind} of {debrief.times.date(summary.window_start)}"
    )


def _damage(debrief: Debrief) -> str:
    damage = debrief.damage
    if damage is None:
        return ""
    t = debrief.times.at
    bad = (
        f"event {damage.first_bad_seq} onwards cannot be trusted"
        if damage.first_bad_seq is not None
        else "the database file is damaged"
    )
    name = debrief.journal_name or "JOURNAL"
    return (
        "> **⚠ WARNING: THIS REPORT IS INCOMPLETE — THE JOURNAL IS DAMAGED.**\n"
        f"> It stops at event {damage.trusted_seq} ({t(debrief.journal_end)}): {bad}.\n"
        f"> Why: {md(damage.why)}.\n"
        "> Everything below is from the events that can be trusted; nothing after them is "
        "shown.\n"
        f"> For the full check, run: `cockpit verify {_code(name)}`"
    )


def _summary(debrief: Debrief) -> str:
    summary = debrief.summary
    times = debrief.times
    t = times.at
    reasons = "; ".join(summary.outcome_reasons)
    outcome = f"**{summary.outcome_words}**"
    if summary.ended:
        if reasons and summary.outcome != "successful":
            outcome += f" — {md(reasons)}"
        if summary.end_summary:
            outcome += f". Summary at the end: “{md(summary.end_summary)}”"
    else:
        where = "the trusted part of the journal" if debrief.damage else "the journal"
        outcome += (
            f" — {where} ends at {t(summary.last_event_at)} (event #{summary.last_seq}) "
            "without an outcome"
        )
    totals = totals_text(summary)
    if summary.ended_at is not None:
        end = t(summary.ended_at)
        late = summary.past_window_minutes or 0.0
        if late > 0:
            end += f" — {minutes_text(late)} after the window closed"
        else:
            end += " — inside the window"
    else:
        end = f"not ended (last event at {t(summary.last_event_at)})"
    window = (
        f"{times.date(summary.window_start)} {t(summary.window_start)}–{t(summary.window_end)} "
        f"({md(times.zone_name)})"
    )
    lines = [
        "## Summary",
        "",
        f"- **Runbook:** {md(summary.title)} (`{_code(summary.runbook_id)}`, version "
        f"{md(summary.runbook_version)}, snapshot sha256 {summary.runbook_sha256[:12]})",
        f"- **Customer:** {md(summary.customer)}",
        f"- **Operator:** {md(summary.operator)}",
        f"- **Run:** {summary.mode}",
        f"- **Window:** {window}",
    ]
    for at, plan_start, reason in summary.rebaselines:
        lines.append(
            f"- **Plan moved:** at {t(at)} to start at {times.full(plan_start)}: {md(reason)}"
        )
    first = t(summary.first_step_at) if summary.first_step_at else "no step started"
    lines += [
        f"- **Actual start:** {first} (first step started; journal opened {t(summary.opened_at)})",
        f"- **Actual end:** {end}",
        f"- **Outcome:** {outcome}",
        f"- **Planned vs actual:** {totals}",
        f"- **Journal:** {_journal_line(debrief)}",
        "",
        f"All times are in {md(times.zone_name)}, on the night of "
        f"{times.date(summary.window_start)} unless a day is shown. Event numbers (#12) are "
        "the ones `cockpit log` and `cockpit replay` show.",
    ]
    return "\n".join(lines)


def _journal_line(debrief: Debrief) -> str:
    summary = debrief.summary
    name = f"`{_code(debrief.journal_name)}`, " if debrief.journal_name else ""
    return f"{name}events 1–{summary.last_seq}; {sessions_text(summary.sessions)}"


def _steps(debrief: Debrief) -> str:
    t = debrief.times.at
    lines = [
        "## Steps: planned against actual",
        "",
        "| # | Step | Planned start | Planned | Actual start | Actual | Variance | Status "
        "| Attempts | Reason |",
        "|--:|---|---|--:|---|--:|--:|---|--:|---|",
    ]
    for row in debrief.steps:
        title = md(row.title) + (" ◆" if row.is_ponr else "")
        actual = minutes_text(row.actual_minutes)
        if row.status == "running":
            actual += " so far"
        lines.append(
            f"| {row.number} | {title} | {t(row.planned_start)} | "
            f"{minutes_text(row.planned_minutes)} | {t(row.actual_start)} | {actual} | "
            f"{_variance(row)} | {_status(row, debrief)} | {len(row.attempts) or '—'} | "
            f"{md(row.reason) or '—'} |"
        )
    lines += ["", _steps_key(debrief)]
    return "\n".join(lines)


def _steps_key(debrief: Debrief) -> str:
    key = (
        "Actual: from the first start to the end of the last attempt. Variance: actual "
        "minus planned; **bold** when the step ran past its planned minutes."
    )
    if any(row.is_ponr for row in debrief.steps):
        key += " ◆ marks the point-of-no-return step."
    return key


def _variance(row: StepRow) -> str:
    text = signed_minutes(row.variance)
    return f"**{text}**" if row.overran else text


def _status(row: StepRow, debrief: Debrief) -> str:
    status = STATUS_MARKS.get(row.status, row.status)
    if row.undone_at is not None:
        status += f", undone {debrief.times.at(row.undone_at)}"
    if row.started_ahead_of:
        status += f", out of order (before {', '.join(str(n) for n in row.started_ahead_of)})"
    return status


def _checkpoints(debrief: Debrief) -> str:
    if not debrief.checkpoints:
        return "## Checkpoints\n\nThis runbook has no go/no-go checkpoints."
    t = debrief.times.at
    lines = ["## Checkpoints"]
    marks = {True: "✔ met", False: "✖ NOT met", None: "○ not marked"}
    for checkpoint in debrief.checkpoints:
        lines += [
            "",
            f"### {md(checkpoint.title)}",
            "",
            f"Gates step '{md(checkpoint.gates)}'. Decider: {md(checkpoint.decider)}. "
            f"A no-go means: {md(checkpoint.no_go_means)}",
            "",
            "| Criterion | Final mark | Marked at |",
            "|---|---|---|",
        ]
        for criterion in checkpoint.criteria:
            lines.append(
                f"| {md(criterion.text)} | {marks[criterion.met]} | {t(criterion.marked_at)} |"
            )
        lines.append("")
        if not checkpoint.decisions:
            lines.append("No decision was recorded.")
            continue
        lines += ["| When | Decision | By | Why | Event |", "|---|---|---|---|--:|"]
        for decision in checkpoint.decisions:
            word = decision.word if decision.decision == "go" else f"**{decision.word}**"
            lines.append(
                f"| {t(decision.at)} | {word} | {md(decision.by)} | "
                f"{md(decision.reason) or '—'} | #{decision.seq} |"
            )
    return "\n".join(lines)


def _blockers(debrief: Debrief) -> str:
    if not debrief.blockers:
        return "## Blockers\n\nNo blocker was raised."
    lines = ["## Blockers"]
    late = [b for b in debrief.blockers if b.flag]
    if late:
        lines += [
            "",
            f"**⚠ {plural(len(late), 'blocker')} broke the escalation rule** "
            "(call the on-call senior DE once stuck for the escalation minutes).",
        ]
    for blocker in debrief.blockers:
        lines += ["", *_blocker(blocker, debrief)]
    return "\n".join(lines)


def _blocker(blocker: BlockerReport, debrief: Debrief) -> list[str]:
    t = debrief.times.at
    flag = f" — ⚠ {blocker.flag}" if blocker.flag else ""
    rule = minutes_text(blocker.escalation_minutes)
    where = f", during step '{md(blocker.step_title)}'" if blocker.step_title else ""
    lines = [
        f"### {md(blocker.what)}{flag}",
        "",
        f"- **Raised:** {t(blocker.raised_at)} (event #{blocker.raised_seq}){where}",
        f"- **Escalation rule:** call by {t(blocker.deadline)} ({rule} after raising it)",
    ]
    if blocker.calls:
        first_at, first_whom = blocker.calls[0]
        call = (
            f"{t(first_at)}, {minutes_text(blocker.called_after)} after raising it, "
            f"to {md(first_whom)}"
        )
        if blocker.late_call:
            past = minutes_text((first_at - blocker.deadline).total_seconds() / 60)
            call += f" — **LATE: {past} past the {rule} rule**"
        else:
            call += " — inside the rule"
        lines.append(f"- **Escalation call:** {call}")
        for at, whom in blocker.calls[1:]:
            lines.append(f"- **Also called:** {md(whom)} at {t(at)}")
    elif blocker.never_called:
        lines.append(
            f"- **Escalation call:** **NEVER CALLED** — open "
            f"{minutes_text(blocker.open_minutes)}, past the {rule} rule"
        )
    else:
        lines.append("- **Escalation call:** none (resolved before the rule said to call)")
    if blocker.resolved_at is not None:
        lines.append(
            f"- **Resolved:** {t(blocker.resolved_at)}, after "
            f"{minutes_text(blocker.open_minutes)}: {md(blocker.how)}"
        )
    else:
        lines.append(
            f"- **Resolved:** not resolved — still open when the journal ends "
            f"({minutes_text(blocker.open_minutes)})"
        )
    if blocker.notes:
        lines.append("- **Notes written while it was open:**")
        lines += [f"  - {_note_line(note, debrief, '    ')}" for note in blocker.notes]
    return lines


def _ponr(debrief: Debrief) -> str:
    ponr = debrief.ponr
    t = debrief.times.at
    lines = ["## Point of no return", ""]
    if ponr.step_title is None:
        lines.append(f"This plan has no point of no return: {md(ponr.none_reason)}")
        return "\n".join(lines)
    why = f": {md(ponr.why)}" if ponr.why else ""
    lines.append(f"- **The point of no return:** step '{md(ponr.step_title)}'{why}")
    if ponr.crossed_at is None:
        lines.append("- **Crossed:** no, not crossed")
    else:
        go = ponr.go
        on = (
            f"on the GO on '{md(ponr.checkpoint_title)}' by {md(go.by)} at {t(go.at)} "
            f"(event #{go.seq})"
            if go is not None
            else f"on a go on '{md(ponr.checkpoint_title)}'"
        )
        lines.append(f"- **Crossed:** {t(ponr.crossed_at)} (event #{ponr.crossed_seq}), {on}")
    if ponr.forward_fix:
        lines.append(
            "- **Forward fix once past it:** " + "; ".join(md(item) for item in ponr.forward_fix)
        )
    return "\n".join(lines)


def _rollback(debrief: Debrief) -> str:
    rollback = debrief.rollback
    if rollback is None:
        return "## Rollback\n\nNo rollback was started."
    t = debrief.times.at
    side = "after" if rollback.after_ponr else "before"
    lines = [
        "## Rollback",
        "",
        f"- **Started:** {t(rollback.started_at)} (event #{rollback.started_seq}), {side} the "
        "point of no return",
        f"- **Why:** {md(rollback.reason)}",
        "",
    ]
    if rollback.steps:
        lines += ["| Undo of | Action | Planned | Done at |", "|---|---|--:|---|"]
        for step in rollback.steps:
            lines.append(
                f"| {md(step.title)} | {md(step.action)} | "
                f"{minutes_text(step.planned_minutes)} | {t(step.done_at)} |"
            )
    else:
        lines.append("Nothing had to be undone.")
    lines.append("")
    if rollback.completed_at is not None:
        verdict = "within the RTO" if rollback.within_rto else "**OVER the RTO**"
        lines.append(
            f"Completed at {t(rollback.completed_at)}: {minutes_text(rollback.total_minutes)} "
            f"from start to end (undo planned at {minutes_text(rollback.planned_minutes)}), "
            f"against an RTO of {minutes_text(rollback.rto_minutes)} — {verdict}."
        )
    else:
        lines.append(
            f"**Not completed** when the journal ends: {minutes_text(rollback.total_minutes)} "
            f"since it started, against an RTO of {minutes_text(rollback.rto_minutes)}."
        )
    return "\n".join(lines)


def _messages(debrief: Debrief) -> str:
    if not debrief.messages:
        return "## Communications\n\nThe runbook plans no messages."
    t = debrief.times.at
    lines = [
        "## Communications",
        "",
        "| Message | To | Trigger | Due | Sent | |",
        "|---|---|---|---|---|---|",
    ]
    for message in debrief.messages:
        due = t(message.fired_at) if message.fired_at else "did not fire"
        sent = t(message.sent_at)
        if message.times_sent > 1:
            sent += f" ({message.times_sent} times)"
        flag = "**⚠ NEVER SENT**" if message.missed else ""
        lines.append(
            f"| {md(message.message_id)} | {md(', '.join(message.audience))} | "
            f"{md(message.trigger)} | {due} | {sent} | {flag} |"
        )
    return "\n".join(lines)


def _notes(debrief: Debrief) -> str:
    if not debrief.notes:
        return "## Notes\n\nNo notes were written."
    lines = ["## Notes", ""]
    lines += [f"- {_note_line(note, debrief, '  ')}" for note in debrief.notes]
    return "\n".join(lines)


def _note_line(note: NoteRow, debrief: Debrief, indent: str) -> str:
    return f"{debrief.times.at(note.at)} (#{note.seq}) — {md_block(note.text, indent)}"


def _sessions(debrief: Debrief) -> str:
    t = debrief.times.at
    summary = debrief.summary
    lines = [
        "## Sessions",
        "",
        f"- Opened at {t(summary.opened_at)} by {md(summary.operator)} (event #1).",
    ]
    for session in debrief.sessions:
        gap = minutes_text((session.at - session.previous_at).total_seconds() / 60)
        who = f" by {md(session.operator)}" if session.operator else ""
        changed = (
            " **The runbook file had changed** since the start (the plan of record is the "
            "snapshot in event #1)."
            if session.runbook_changed
            else ""
        )
        lines.append(
            f"- Started again at {t(session.at)}{who} (event #{session.seq}); the previous "
            f"event was #{session.previous_seq} at {t(session.previous_at)}, {gap} "
            f"earlier.{changed}"
        )
    if not debrief.sessions:
        lines.append("- No restart: the cockpit ran in one session.")
    return "\n".join(lines)


def _secrets(debrief: Debrief) -> str:
    t = debrief.times.at
    lines = ["## Secrets revealed", ""]
    if debrief.secrets:
        lines.append("Names only: the journal never holds a secret's value.")
        lines.append("")
        lines += [
            f"- {t(secret.at)} (#{secret.seq}) `{_code(secret.name)}` {secret.how}"
            for secret in debrief.secrets
        ]
    else:
        lines.append("No secret was shown or copied.")
    if debrief.share_mode:
        changes = ", ".join(f"{'on' if on else 'off'} at {t(at)}" for at, on in debrief.share_mode)
        lines += ["", f"Screen-share mode: {changes}."]
    return "\n".join(lines)


def _chart(debrief: Debrief) -> str:
    lines = text_gantt(build_chart(debrief))
    return "## Planned versus actual\n\n```text\n" + "\n".join(lines) + "\n```"


def _comparison(debrief: Debrief) -> str:
    comparison = debrief.comparison
    if comparison is None:
        return ""
    lines = [
        f"## {comparison.other_mode.capitalize()} versus this run",
        "",
        f"The other journal: a {comparison.other_mode} on {comparison.other_date} by "
        f"{md(comparison.other_operator)}, outcome {comparison.other_outcome}.",
    ]
    if comparison.other_mode != "rehearsal":
        lines += ["", "(It is not marked as a rehearsal.)"]
    if not comparison.same_runbook:
        lines += [
            "",
            f"**It ran a different runbook snapshot** (version {md(comparison.other_version)}): "
            "steps are matched by id.",
        ]
    if comparison.damage is not None:
        lines += [
            "",
            f"**The other journal is damaged**: it is compared up to event "
            f"{comparison.damage.trusted_seq} ({md(comparison.damage.why)}).",
        ]
    if comparison.warned:
        warned = ", ".join(
            f"'{md(row.title)}' ({minutes_text(row.rehearsal_minutes)} against "
            f"{minutes_text(row.planned_minutes)} planned)"
            for row in comparison.warned
        )
        lines += ["", f"**The rehearsal had already overrun here:** {warned}."]
    lines += [
        "",
        "| Step | Planned | Rehearsal | This run | Drift | Cumulative drift |",
        "|---|--:|--:|--:|--:|--:|",
    ]
    for row in comparison.rows:
        planned = minutes_text(row.planned_minutes) if row.planned_minutes is not None else "—"
        lines.append(
            f"| {md(row.title)} | {planned} | {minutes_text(row.rehearsal_minutes)} | "
            f"{minutes_text(row.live_minutes)} | {signed_minutes(row.drift)} | "
            f"{signed_minutes(row.cumulative_drift)} |"
        )
    lines.append(
        f"| **Total** (first start to end) | {minutes_text(debrief.summary.planned_minutes)} | "
        f"{minutes_text(comparison.rehearsal_total)} | {_live_total(debrief)} | "
        f"{signed_minutes(comparison.total_drift)} | |"
    )
    lines += [
        "",
        "Drift: this run minus the rehearsal, for the step alone; cumulative: how far behind "
        "(+) or ahead (-) of the rehearsal this run was when the step ended.",
    ]
    return "\n".join(lines)


def _live_total(debrief: Debrief) -> str:
    comparison = debrief.comparison
    assert comparison is not None
    so_far = "" if debrief.summary.ended else " so far"
    return minutes_text(comparison.live_total) + so_far


def _questions(debrief: Debrief) -> str:
    questions = debrief.questions
    t = debrief.times.at
    lines = [
        "## Debrief questions",
        "",
        "Pre-filled from the journal; add what the journal cannot know.",
        "",
        "### What went as planned?",
        "",
        *_bullets(questions.as_planned, "Nothing the journal can show went exactly to plan."),
        "",
        "### What was different from the plan, and why?",
        "",
        *_bullets(questions.different, "Nothing the journal shows differed from the plan."),
        "",
        "### What went wrong, and how was it diagnosed and resolved?",
        "",
    ]
    if not questions.went_wrong:
        lines.append("- Nothing went wrong that the journal shows.")
    for finding in questions.went_wrong:
        lines.append(f"- {md(finding.text)}")
        if finding.notes:
            lines.append("  - Notes written then:")
            lines += [
                f"    - {t(note.at)} (#{note.seq}) — {md_block(note.text, '      ')}"
                for note in finding.notes
            ]
    lines += ["", "### What would we add?"]
    for heading, items in (
        ("To the pre-migration checklist", questions.pre_migration),
        ("To the cutover checklist", questions.cutover_checklist),
        ("To the troubleshooting guide", questions.troubleshooting),
    ):
        lines += ["", f"#### {heading}", ""]
        lines += [f"- [ ] Suggested: {md(item)}" for item in items]
        lines += [_BLANK] * BLANK_LINES
    return "\n".join(lines)


def _bullets(items: tuple[str, ...], empty: str) -> list[str]:
    return [f"- {md(item)}" for item in items] if items else [f"- {empty}"]


def _code(text: str) -> str:
    """Text inside an inline code span: no backticks, no line breaks."""
    return printable(text).replace("`", "'").replace("\n", " ")
