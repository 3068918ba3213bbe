"""The debrief as one self-contained HTML file: inline CSS, inline SVG chart, nothing fetched.

It opens from a mail attachment or a USB stick with no network, prints on A4 or Letter
(`@page`, `@media print`: table headers repeat, rows do not split, the chart keeps its
colours), and every piece of text from the night is escaped — a note holding `<script>`
prints as text. A Content-Security-Policy forbids scripts and remote loads as a second
guard.
"""

from __future__ import annotations

from html import escape

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
from .gantt import build_chart, svg_gantt

#: Lines to fill in under each checklist suggestion list.
BLANK_LINES = 2
STATUS_MARKS = {
    "pending": "○ not started",
    "running": "▶ running",
    "completed": "✔ done",
    "skipped": "↷ skipped",
    "failed": "✖ failed",
}

CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font: 10.5pt/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue",
  Arial, sans-serif; color: #1b1b1b; background: #fff; max-width: 62rem; margin: 1.5rem auto;
  padding: 0 1rem; }
h1 { font-size: 1.7em; margin: 0 0 .2rem; }
h2 { font-size: 1.25em; border-bottom: 2px solid #d0d4da; padding-bottom: .15rem;
  margin: 1.8rem 0 .6rem; }
h3 { font-size: 1.05em; margin: 1.1rem 0 .4rem; }
h4 { font-size: 1em; margin: .9rem 0 .3rem; }
.sub { color: #4a4f57; margin: 0 0 1rem; }
nav { font-size: .9em; color: #4a4f57; }
nav a { color: inherit; }
dl.summary { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem;
  margin: 0; }
dl.summary dt { font-weight: 600; }
dl.summary dd { margin: 0; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 .8rem; font-size: .92em; }
th, td { border: 1px solid #c9cdd3; padding: .18rem .4rem; text-align: left;
  vertical-align: top; overflow-wrap: anywhere; }
th { background: #f1f3f5; }
td.num, th.num { text-align: right; white-space: nowrap; }
td.time { white-space: nowrap; }
thead { display: table-header-group; }
tr, li, .finding { break-inside: avoid; page-break-inside: avoid; }
.flag { color: #a4001d; font-weight: 700; }
.over { font-weight: 700; }
.muted { color: #5b616b; }
.note-text { white-space: pre-wrap; }
.damage { border: 3px solid #a4001d; background: #fff0f0; padding: .7rem 1rem;
  margin: 1rem 0; font-size: 1.05em; }
.damage strong { color: #a4001d; }
ul { padding-left: 1.3rem; }
ul.fill { list-style: none; padding-left: .2rem; }
ul.fill li { margin: .35rem 0; }
.blank { display: inline-block; border-bottom: 1px solid #777; width: 60%; height: 1em; }
.blank.short { width: 18%; }
svg.gantt { width: 100%; height: auto; display: block; }
svg.gantt text { font-family: inherit; font-size: 11px; fill: #2b2f36; }
svg.gantt .g-note { font-size: 10.5px; }
.g-plan { fill: #c5cad1; }
.g-actual { fill: #2f5f8a; }
.g-overrun { fill: #c4572b; }
.g-over { stroke: #9c3d17; stroke-width: .6; }
.g-hatch { stroke: #f7d9cb; stroke-width: 2; }
.g-failed { fill: #7f1d1d; }
.g-rollback { fill: #6a3d9a; }
.g-window { fill: #edf5e9; }
.g-window-key { fill: #edf5e9; stroke: #8a9a80; }
.g-tick { stroke: #dde1e6; }
.g-ponr { stroke: #a4001d; stroke-width: 2; stroke-dasharray: 4 3; }
/* size: auto takes the printer's paper; the layout fits A4 (210 mm) and Letter (216 mm). */
@page { size: auto; margin: 14mm 12mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 9.5pt; }
  nav { display: none; }
  h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
  .damage, svg.gantt, .flag { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  svg.gantt { break-inside: avoid; }
}
""".strip()

_SECTIONS = (
    ("summary", "Summary"),
    ("steps", "Steps"),
    ("checkpoints", "Checkpoints"),
    ("blockers", "Blockers"),
    ("ponr", "Point of no return"),
    ("rollback", "Rollback"),
    ("communications", "Communications"),
    ("notes", "Notes"),
    ("sessions", "Sessions"),
    ("secrets", "Secrets"),
    ("chart", "Chart"),
    ("comparison", "Rehearsal"),
    ("questions", "Debrief questions"),
)


def esc(text: str) -> str:
    """User text, safe anywhere in HTML content or a quoted attribute."""
    return escape(printable(text), quote=True)


def render_html(debrief: Debrief) -> str:
    """The whole report as one HTML document, ending with one newline."""
    summary = debrief.summary
    title = f"Debrief: {summary.title} — {summary.customer}"
    sections = [
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
    kind = "rehearsal" if summary.mode == "rehearsal" else "cutover"
    nav = " · ".join(
        f'<a href="#{anchor}">{words}</a>'
        for anchor, words in _SECTIONS
        if anchor != "comparison" or debrief.comparison is not None
    )
    head = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        f"<title>{esc(title)}</title>",
        f"<style>\n{CSS}\n</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>Debrief: {esc(summary.title)}</h1>",
        f'<p class="sub">{esc(summary.customer)} · {kind} of '
        f"{debrief.times.date(summary.window_start)}</p>",
        f"<nav>{nav}</nav>",
        "</header>",
    ]
    body = [_damage(debrief), *sections]
    tail = ["</body>", "</html>"]
    return "\n".join([*head, *(part for part in body if part), *tail]) + "\n"


def _section(anchor: str, heading: str, *content: str) -> str:
    return "\n".join([f'<section id="{anchor}">', f"<h2>{heading}</h2>", *content, "</section>"])


def _table(headers: list[str], rows: list[list[str]], numeric: set[int] | None = None) -> str:
    """A table; cells are already HTML. `numeric` columns align right."""
    numeric = numeric or set()

    def cell(tag: str, index: int, content: str) -> str:
        css = ' class="num"' if index in numeric else ""
        return f"<{tag}{css}>{content}</{tag}>"

    out = ["<table>", "<thead><tr>"]
    out.append("".join(cell("th", i, h) for i, h in enumerate(headers)))
    out.append("</tr></thead>")
    out.append("<tbody>")
    for row in rows:
        out.append("<tr>" + "".join(cell("td", i, c) for i, c in enumerate(row)) + "</tr>")
    out += ["</tbody>", "</table>"]
    return "\n".join(out)


def _list(items: list[str], css: str = "") -> str:
    attribute = f' class="{css}"' if css else ""
    return "\n".join([f"<ul{attribute}>", *(f"<li>{item}</li>" for item in items), "</ul>"])


# ---- the sections ----------------------------------------------------------------------------


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
    name = esc(debrief.journal_name or "JOURNAL")
    return (
        '<div class="damage" role="alert">\n'
        "<p><strong>⚠ WARNING: THIS REPORT IS INCOMPLETE — THE JOURNAL IS DAMAGED.</strong></p>\n"
        f"<p>It stops at event {damage.trusted_seq} ({t(debrief.journal_end)}): {bad}.<br>\n"
        f"Why: {esc(damage.why)}.<br>\n"
        "Everything below is from the events that can be trusted; nothing after them is "
        "shown.<br>\n"
        f"For the full check, run: <code>cockpit verify {name}</code></p>\n"
        "</div>"
    )


def _summary(debrief: Debrief) -> str:
    summary = debrief.summary
    times = debrief.times
    t = times.at
    outcome = f"<strong>{esc(summary.outcome_words)}</strong>"
    if summary.ended:
        if summary.outcome_reasons and summary.outcome != "successful":
            outcome += f" — {esc('; '.join(summary.outcome_reasons))}"
        if summary.end_summary:
            outcome += f". Summary at the end: “{esc(summary.end_summary)}”"
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
        end += (
            f' — <span class="flag">{minutes_text(late)} after the window closed</span>'
            if late > 0
            else " — inside the window"
        )
    else:
        end = f"not ended (last event at {t(summary.last_event_at)})"
    rows = [
        (
            "Runbook",
            f"{esc(summary.title)} (<code>{esc(summary.runbook_id)}</code>, version "
            f"{esc(summary.runbook_version)}, snapshot sha256 {summary.runbook_sha256[:12]})",
        ),
        ("Customer", esc(summary.customer)),
        ("Operator", esc(summary.operator)),
        ("Run", summary.mode),
        (
            "Window",
            f"{times.date(summary.window_start)} {t(summary.window_start)}–"
            f"{t(summary.window_end)} ({esc(times.zone_name)})",
        ),
    ]
    for at, plan_start, reason in summary.rebaselines:
        rows.append(
            ("Plan moved", f"at {t(at)} to start at {times.full(plan_start)}: {esc(reason)}")
        )
    first = t(summary.first_step_at) if summary.first_step_at else "no step started"
    name = f"<code>{esc(debrief.journal_name)}</code>, " if debrief.journal_name else ""
    rows += [
        ("Actual start", f"{first} (first step started; journal opened {t(summary.opened_at)})"),
        ("Actual end", end),
        ("Outcome", outcome),
        ("Planned vs actual", totals),
        ("Journal", f"{name}events 1–{summary.last_seq}; {sessions_text(summary.sessions)}"),
    ]
    items = "\n".join(f"<dt>{label}</dt><dd>{value}</dd>" for label, value in rows)
    return _section(
        "summary",
        "Summary",
        f'<dl class="summary">\n{items}\n</dl>',
        f'<p class="muted">All times are in {esc(times.zone_name)}, on the night of '
        f"{times.date(summary.window_start)} unless a day is shown. Event numbers (#12) are "
        "the ones <code>cockpit log</code> and <code>cockpit replay</code> show.</p>",
    )


def _steps(debrief: Debrief) -> str:
    t = debrief.times.at
    rows: list[list[str]] = []
    for row in debrief.steps:
        actual = minutes_text(row.actual_minutes)
        if row.status == "running":
            actual += " so far"
        rows.append(
            [
                str(row.number),
                esc(row.title) + (" ◆" if row.is_ponr else ""),
                t(row.planned_start),
                minutes_text(row.planned_minutes),
                t(row.actual_start),
                actual,
                _variance(row),
                _status(row, debrief),
                str(len(row.attempts) or "—"),
                esc(row.reason) or "—",
            ]
        )
    headers = [
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
    ]
    key = (
        "Actual: from the first start to the end of the last attempt. Variance: actual minus "
        "planned; bold when the step ran past its planned minutes."
    )
    if any(row.is_ponr for row in debrief.steps):
        key += " ◆ marks the point-of-no-return step."
    return _section(
        "steps",
        "Steps: planned against actual",
        _table(headers, rows, numeric={0, 3, 5, 6, 8}),
        f'<p class="muted">{key}</p>',
    )


def _variance(row: StepRow) -> str:
    text = signed_minutes(row.variance)
    return f'<span class="over">{text}</span>' if row.overran else text


def _status(row: StepRow, debrief: Debrief) -> str:
    status = STATUS_MARKS.get(row.status, row.status)
    if row.undone_at is not None:
        status += f", undone {debrief.times.at(row.undone_at)}"
    if row.started_ahead_of:
        status += f", out of order (before {', '.join(str(n) for n in row.started_ahead_of)})"
    return status


def _checkpoints(debrief: Debrief) -> str:
    if not debrief.checkpoints:
        return _section("checkpoints", "Checkpoints", "<p>This runbook has no checkpoints.</p>")
    t = debrief.times.at
    marks = {True: "✔ met", False: '<span class="flag">✖ NOT met</span>', None: "○ not marked"}
    parts: list[str] = []
    for checkpoint in debrief.checkpoints:
        parts += [
            f"<h3>{esc(checkpoint.title)}</h3>",
            f"<p>Gates step ‘{esc(checkpoint.gates)}’. Decider: {esc(checkpoint.decider)}. "
            f"A no-go means: {esc(checkpoint.no_go_means)}</p>",
            _table(
                ["Criterion", "Final mark", "Marked at"],
                [[esc(c.text), marks[c.met], t(c.marked_at)] for c in checkpoint.criteria],
            ),
        ]
        if not checkpoint.decisions:
            parts.append("<p>No decision was recorded.</p>")
            continue
        parts.append(
            _table(
                ["When", "Decision", "By", "Why", "Event"],
                [
                    [
                        t(d.at),
                        d.word if d.decision == "go" else f'<span class="flag">{d.word}</span>',
                        esc(d.by),
                        esc(d.reason) or "—",
                        f"#{d.seq}",
                    ]
                    for d in checkpoint.decisions
                ],
                numeric={4},
            )
        )
    return _section("checkpoints", "Checkpoints", *parts)


def _blockers(debrief: Debrief) -> str:
    if not debrief.blockers:
        return _section("blockers", "Blockers", "<p>No blocker was raised.</p>")
    parts: list[str] = []
    late = [b for b in debrief.blockers if b.flag]
    if late:
        parts.append(
            f'<p class="flag">⚠ {plural(len(late), "blocker")} broke the escalation rule '
            "(call the on-call senior DE once stuck for the escalation minutes).</p>"
        )
    for blocker in debrief.blockers:
        parts += _blocker(blocker, debrief)
    return _section("blockers", "Blockers", *parts)


def _blocker(blocker: BlockerReport, debrief: Debrief) -> list[str]:
    t = debrief.times.at
    flag = f' — <span class="flag">⚠ {blocker.flag}</span>' if blocker.flag else ""
    rule = minutes_text(blocker.escalation_minutes)
    where = f", during step ‘{esc(blocker.step_title)}’" if blocker.step_title else ""
    items = [
        f"<strong>Raised:</strong> {t(blocker.raised_at)} (event #{blocker.raised_seq}){where}",
        f"<strong>Escalation rule:</strong> call by {t(blocker.deadline)} "
        f"({rule} after raising it)",
    ]
    if blocker.calls:
        first_at, first_whom = blocker.calls[0]
        call = (
            f"{t(first_at)}, {minutes_text(blocker.called_after)} after raising it, "
            f"to {esc(first_whom)}"
        )
        if blocker.late_call:
            past = minutes_text((first_at - blocker.deadline).total_seconds() / 60)
            call += f' — <span class="flag">LATE: {past} past the {rule} rule</span>'
        else:
            call += " — inside the rule"
        items.append(f"<strong>Escalation call:</strong> {call}")
        for at, whom in blocker.calls[1:]:
            items.append(f"<strong>Also called:</strong> {esc(whom)} at {t(at)}")
    elif blocker.never_called:
        items.append(
            '<strong>Escalation call:</strong> <span class="flag">NEVER CALLED</span> — open '
            f"{minutes_text(blocker.open_minutes)}, past the {rule} rule"
        )
    else:
        items.append(
            "<strong>Escalation call:</strong> none (resolved before the rule said to call)"
        )
    if blocker.resolved_at is not None:
        items.append(
            f"<strong>Resolved:</strong> {t(blocker.resolved_at)}, after "
            f"{minutes_text(blocker.open_minutes)}: {esc(blocker.how)}"
        )
    else:
        items.append(
            "<strong>Resolved:</strong> not resolved — still open when the journal ends "
            f"({minutes_text(blocker.open_minutes)})"
        )
    if blocker.notes:
        items.append(
            "<strong>Notes written while it was open:</strong>\n"
            + _list([_note(note, debrief) for note in blocker.notes])
        )
    return [f"<h3>{esc(blocker.what)}{flag}</h3>", _list(items)]


def _note(note: NoteRow, debrief: Debrief) -> str:
    return (
        f"{debrief.times.at(note.at)} (#{note.seq}) — "
        f'<span class="note-text">{esc(note.text.strip())}</span>'
    )


def _ponr(debrief: Debrief) -> str:
    ponr = debrief.ponr
    t = debrief.times.at
    if ponr.step_title is None:
        return _section(
            "ponr",
            "Point of no return",
            f"<p>This plan has no point of no return: {esc(ponr.none_reason)}</p>",
        )
    why = f": {esc(ponr.why)}" if ponr.why else ""
    items = [f"<strong>The point of no return:</strong> step ‘{esc(ponr.step_title)}’{why}"]
    if ponr.crossed_at is None:
        items.append("<strong>Crossed:</strong> no, not crossed")
    else:
        go = ponr.go
        on = (
            f"on the GO on ‘{esc(ponr.checkpoint_title)}’ by {esc(go.by)} at {t(go.at)} "
            f"(event #{go.seq})"
            if go is not None
            else f"on a go on ‘{esc(ponr.checkpoint_title)}’"
        )
        items.append(
            f"<strong>Crossed:</strong> {t(ponr.crossed_at)} (event #{ponr.crossed_seq}), {on}"
        )
    if ponr.forward_fix:
        items.append(
            "<strong>Forward fix once past it:</strong> "
            + "; ".join(esc(item) for item in ponr.forward_fix)
        )
    return _section("ponr", "Point of no return", _list(items))


def _rollback(debrief: Debrief) -> str:
    rollback = debrief.rollback
    if rollback is None:
        return _section("rollback", "Rollback", "<p>No rollback was started.</p>")
    t = debrief.times.at
    side = "after" if rollback.after_ponr else "before"
    parts = [
        _list(
            [
                f"<strong>Started:</strong> {t(rollback.started_at)} "
                f"(event #{rollback.started_seq}), {side} the point of no return",
                f"<strong>Why:</strong> {esc(rollback.reason)}",
            ]
        )
    ]
    if rollback.steps:
        parts.append(
            _table(
                ["Undo of", "Action", "Planned", "Done at"],
                [
                    [
                        esc(s.title),
                        esc(s.action),
                        minutes_text(s.planned_minutes),
                        t(s.done_at),
                    ]
                    for s in rollback.steps
                ],
                numeric={2},
            )
        )
    else:
        parts.append("<p>Nothing had to be undone.</p>")
    if rollback.completed_at is not None:
        verdict = (
            "within the RTO" if rollback.within_rto else '<span class="flag">OVER the RTO</span>'
        )
        parts.append(
            f"<p>Completed at {t(rollback.completed_at)}: "
            f"{minutes_text(rollback.total_minutes)} from start to end (undo planned at "
            f"{minutes_text(rollback.planned_minutes)}), against an RTO of "
            f"{minutes_text(rollback.rto_minutes)} — {verdict}.</p>"
        )
    else:
        parts.append(
            f'<p><span class="flag">Not completed</span> when the journal ends: '
            f"{minutes_text(rollback.total_minutes)} since it started, against an RTO of "
            f"{minutes_text(rollback.rto_minutes)}.</p>"
        )
    return _section("rollback", "Rollback", *parts)


def _messages(debrief: Debrief) -> str:
    if not debrief.messages:
        return _section("communications", "Communications", "<p>No messages are planned.</p>")
    t = debrief.times.at
    rows: list[list[str]] = []
    for message in debrief.messages:
        sent = t(message.sent_at)
        if message.times_sent > 1:
            sent += f" ({message.times_sent} times)"
        flag = '<span class="flag">⚠ NEVER SENT</span>' if message.missed else ""
        rows.append(
            [
                esc(message.message_id),
                esc(", ".join(message.audience)),
                esc(message.trigger),
                t(message.fired_at) if message.fired_at else "did not fire",
                sent,
                flag,
            ]
        )
    return _section(
        "communications",
        "Communications",
        _table(["Message", "To", "Trigger", "Due", "Sent", ""], rows),
    )


def _notes(debrief: Debrief) -> str:
    if not debrief.notes:
        return _section("notes", "Notes", "<p>No notes were written.</p>")
    return _section("notes", "Notes", _list([_note(note, debrief) for note in debrief.notes]))


def _sessions(debrief: Debrief) -> str:
    t = debrief.times.at
    summary = debrief.summary
    items = [f"Opened at {t(summary.opened_at)} by {esc(summary.operator)} (event #1)."]
    for session in debrief.sessions:
        gap = minutes_text((session.at - session.previous_at).total_seconds() / 60)
        who = f" by {esc(session.operator)}" if session.operator else ""
        changed = (
            ' <span class="flag">The runbook file had changed</span> since the start (the '
            "plan of record is the snapshot in event #1)."
            if session.runbook_changed
            else ""
        )
        items.append(
            f"Started again at {t(session.at)}{who} (event #{session.seq}); the previous "
            f"event was #{session.previous_seq} at {t(session.previous_at)}, {gap} "
            f"earlier.{changed}"
        )
    if not debrief.sessions:
        items.append("No restart: the cockpit ran in one session.")
    return _section("sessions", "Sessions", _list(items))


def _secrets(debrief: Debrief) -> str:
    t = debrief.times.at
    parts: list[str] = []
    if debrief.secrets:
        parts.append("<p>Names only: the journal never holds a secret's value.</p>")
        parts.append(
            _list(
                [
                    f"{t(s.at)} (#{s.seq}) <code>{esc(s.name)}</code> {esc(s.how)}"
                    for s in debrief.secrets
                ]
            )
        )
    else:
        parts.append("<p>No secret was shown or copied.</p>")
    if debrief.share_mode:
        changes = ", ".join(f"{'on' if on else 'off'} at {t(at)}" for at, on in debrief.share_mode)
        parts.append(f"<p>Screen-share mode: {changes}.</p>")
    return _section("secrets", "Secrets revealed", *parts)


def _chart(debrief: Debrief) -> str:
    chart = build_chart(debrief)
    return _section(
        "chart",
        "Planned versus actual",
        f'<p class="muted">Times in {esc(chart.zone_name)}. Upper thin bar: planned; lower '
        "bar: actual, hatched past the planned minutes. The variance is at the right.</p>",
        svg_gantt(chart),
    )


def _comparison(debrief: Debrief) -> str:
    comparison = debrief.comparison
    if comparison is None:
        return ""
    parts = [
        f"<p>The other journal: a {esc(comparison.other_mode)} on {comparison.other_date} by "
        f"{esc(comparison.other_operator)}, outcome {esc(comparison.other_outcome)}.</p>"
    ]
    if comparison.other_mode != "rehearsal":
        parts.append("<p>(It is not marked as a rehearsal.)</p>")
    if not comparison.same_runbook:
        parts.append(
            '<p><span class="flag">It ran a different runbook snapshot</span> (version '
            f"{esc(comparison.other_version)}): steps are matched by id.</p>"
        )
    if comparison.damage is not None:
        parts.append(
            '<p><span class="flag">The other journal is damaged</span>: it is compared up to '
            f"event {comparison.damage.trusted_seq} ({esc(comparison.damage.why)}).</p>"
        )
    if comparison.warned:
        warned = ", ".join(
            f"‘{esc(row.title)}’ ({minutes_text(row.rehearsal_minutes)} against "
            f"{minutes_text(row.planned_minutes)} planned)"
            for row in comparison.warned
        )
        parts.append(f"<p><strong>The rehearsal had already overrun here:</strong> {warned}.</p>")
    rows = [
        [
            esc(row.title),
            minutes_text(row.planned_minutes) if row.planned_minutes is not None else "—",
            minutes_text(row.rehearsal_minutes),
            minutes_text(row.live_minutes),
            signed_minutes(row.drift),
            signed_minutes(row.cumulative_drift),
        ]
        for row in comparison.rows
    ]
    rows.append(
        [
            "<strong>Total</strong> (first start to end)",
            minutes_text(debrief.summary.planned_minutes),
            minutes_text(comparison.rehearsal_total),
            minutes_text(comparison.live_total) + ("" if debrief.summary.ended else " so far"),
            signed_minutes(comparison.total_drift),
            "",
        ]
    )
    parts.append(
        _table(
            ["Step", "Planned", "Rehearsal", "This run", "Drift", "Cumulative drift"],
            rows,
            numeric={1, 2, 3, 4, 5},
        )
    )
    parts.append(
        '<p class="muted">Drift: this run minus the rehearsal, for the step alone; '
        "cumulative: how far behind (+) or ahead (-) of the rehearsal this run was when the "
        "step ended.</p>"
    )
    heading = f"{comparison.other_mode.capitalize()} versus this run"
    return _section("comparison", esc(heading), *parts)


def _questions(debrief: Debrief) -> str:
    questions = debrief.questions
    t = debrief.times.at

    def bullets(items: tuple[str, ...], empty: str) -> str:
        return _list([esc(item) for item in items] if items else [empty])

    wrong: list[str] = []
    for finding in questions.went_wrong:
        item = esc(finding.text)
        if finding.notes:
            notes = [
                f"{t(note.at)} (#{note.seq}) — "
                f'<span class="note-text">{esc(note.text.strip())}</span>'
                for note in finding.notes
            ]
            item += '\n<div class="finding">Notes written then:\n' + _list(notes) + "</div>"
        wrong.append(item)
    parts = [
        '<p class="muted">Pre-filled from the journal; add what the journal cannot know.</p>',
        "<h3>What went as planned?</h3>",
        bullets(questions.as_planned, "Nothing the journal can show went exactly to plan."),
        "<h3>What was different from the plan, and why?</h3>",
        bullets(questions.different, "Nothing the journal shows differed from the plan."),
        "<h3>What went wrong, and how was it diagnosed and resolved?</h3>",
        _list(wrong or ["Nothing went wrong that the journal shows."]),
        "<h3>What would we add?</h3>",
    ]
    blank = '☐ <span class="blank"></span> owner: <span class="blank short"></span>'
    for heading, items in (
        ("To the pre-migration checklist", questions.pre_migration),
        ("To the cutover checklist", questions.cutover_checklist),
        ("To the troubleshooting guide", questions.troubleshooting),
    ):
        entries = [f"☐ Suggested: {esc(item)}" for item in items] + [blank] * BLANK_LINES
        parts += [f"<h4>{heading}</h4>", _list(entries, "fill")]
    return _section("questions", "Debrief questions", *parts)
