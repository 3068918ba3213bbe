"""The debrief, as data: everything the DE and the senior DE walk through after the night.

`build_debrief(events)` reads a journal's events once and answers the debrief's questions
with evidence: the summary, planned against actual per step, checkpoints and every
decision, blockers and their escalation, the point of no return, the rollback, the
communication plan, notes, sessions, revealed secrets (names only) and the pre-filled
debrief questions. The report (`document`, written by `markdown` and `html` through the
shared writers of `cockpit.report.writers`) only lays it out.

Pure: no I/O, no clock. "Now" is the last event of the journal, so the same journal gives
the same debrief, byte for byte, whenever and wherever it is made. Times are kept as UTC
datetimes and shown in the runbook's time zone through `LocalTimes`.

This module is the entry point; the work is done by one module per job:

* `words` — local times (`LocalTimes`) and counts in words;
* `model` — the debrief's data types (summary, steps, checkpoints, rollback, …);
* `walk` — the one pass over the events (a taker per event class: `walk.TAKERS`);
* `steps` — steps, checkpoints, point of no return, rollback and summary;
* `checklists` — the checklist before the window and the post-cutover verification,
  walked item by item (a step's verify items and the check after a rollback are walked in
  `steps`);
* `blockers` — blockers and their escalation;
* `comms` — the communication plan: when each trigger fired, what was sent;
* `questions` — the debrief questions, pre-filled;
* `compare` — a rehearsal beside this run;
* `document` — the report as a `cockpit.report.document.Document`, with its sections in
  `sections_checklists` (before the window, step by step, the post-cutover verification,
  corrections), `sections_incidents` (blockers, calls, point of no return, rollback),
  `sections_record` (communications, notes, sessions, secrets, the chart) and
  `sections_review` (the comparison, the questions);
* `markdown`, `html` — the report in each format (the HTML one holds the stylesheet).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from cockpit.core.evolve import FoldError, fold
from cockpit.core.state import CutoverState
from cockpit.journal import events as ev

from .blockers import BlockerReport, NoteRow, blocker_reports
from .checklists import pre_window_report, verification_report
from .comms import MessageRow, message_rows
from .model import (
    Attempt,
    CheckpointReport,
    Criterion,
    DamageNotice,
    Debrief,
    DecisionRow,
    NothingToDebrief,
    PonrReport,
    QuitRow,
    RollbackReport,
    RollbackStepRow,
    SecretRow,
    SessionRow,
    StepRow,
    Summary,
)
from .questions import (
    RETIME_MINUTES,
    ROLLBACK_STOP_REASON,
    Finding,
    Questions,
    answer_questions,
)
from .steps import checkpoint_reports, ponr_report, rollback_report, step_rows, summary
from .walk import Walk
from .words import LocalTimes, minutes_between, plural, sessions_text, totals_text

if TYPE_CHECKING:
    from .compare import CompareRow, Comparison

__all__ = [
    "RETIME_MINUTES",
    "ROLLBACK_STOP_REASON",
    "Attempt",
    "BlockerReport",
    "CheckpointReport",
    "CompareRow",
    "Comparison",
    "Criterion",
    "DamageNotice",
    "Debrief",
    "DecisionRow",
    "Finding",
    "LocalTimes",
    "MessageRow",
    "NoteRow",
    "NothingToDebrief",
    "PonrReport",
    "Questions",
    "QuitRow",
    "RollbackReport",
    "RollbackStepRow",
    "SecretRow",
    "SessionRow",
    "StepRow",
    "Summary",
    "build_debrief",
    "minutes_between",
    "plural",
    "sessions_text",
    "totals_text",
]


def __getattr__(name: str) -> object:
    """The rehearsal comparison's types, loaded on first use: only `--compare` needs them."""
    if name in ("CompareRow", "Comparison"):
        from . import compare

        return getattr(compare, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def build_debrief(
    events: Sequence[ev.BaseEvent],
    *,
    journal_name: str = "",
    damage: DamageNotice | None = None,
    compare: Sequence[ev.BaseEvent] | None = None,
    compare_damage: DamageNotice | None = None,
) -> Debrief:
    """The debrief of a journal's events (its trusted prefix when `damage` says so).

    `compare` is a rehearsal journal's events, for the rehearsal-versus-live table.
    Raises NothingToDebrief when the events do not start a cutover.
    """
    events, damage, state = _fitting_prefix(events, damage)
    debrief = _assemble(Walk(events, state), journal_name, damage)
    if compare is not None:
        from .compare import compare_runs

        other, compare_damage, other_state = _fitting_prefix(compare, compare_damage)
        comparison = compare_runs(debrief, Walk(other, other_state), compare_damage)
        debrief = replace(debrief, comparison=comparison)
    return debrief


def _assemble(walk: Walk, journal_name: str, damage: DamageNotice | None) -> Debrief:
    """The debrief's parts from one walk, then the questions they answer."""
    steps = step_rows(walk)
    debrief = Debrief(
        journal_name=journal_name,
        times=walk.times,
        summary=summary(walk, steps),
        steps=steps,
        checkpoints=checkpoint_reports(walk),
        blockers=blocker_reports(walk),
        ponr=ponr_report(walk),
        rollback=rollback_report(walk),
        messages=message_rows(walk),
        notes=tuple(walk.notes),
        sessions=tuple(walk.sessions),
        secrets=tuple(walk.secrets),
        share_mode=tuple(walk.share),
        questions=Questions((), (), (), (), (), ()),
        damage=damage,
        stakeholders={s.id: s.name for s in walk.runbook.communications.stakeholders},
        card_changes=tuple(walk.card_changes),
        pre_window=pre_window_report(walk),
        verification=verification_report(walk),
        corrections=tuple(walk.corrections),
        calls=tuple(walk.calls),
        quits=tuple(walk.quits),
    )
    return replace(debrief, questions=answer_questions(debrief))


def _fitting_prefix(
    events: Sequence[ev.BaseEvent], damage: DamageNotice | None
) -> tuple[Sequence[ev.BaseEvent], DamageNotice | None, CutoverState]:
    """The events that make a cutover — all of them, or those before the first that does
    not fit (only a hand-made journal with a valid hash chain gets there) — and their
    folded state."""
    if not events or not isinstance(events[0], ev.CutoverStarted):
        first = type(events[0]).model_fields["type"].default if events else ""
        what = f"its first event is {first}" if events else "it holds no events"
        if damage is not None and damage.trusted_seq == 0:
            what = f"no event can be trusted ({damage.why})"
        raise NothingToDebrief(f"there is no cutover to debrief: {what}")
    try:
        return events, damage, fold(events)
    except FoldError as error:
        low, high = 1, len(events)  # fold(events[:low]) works, fold(events[:high]) fails
        while high - low > 1:
            middle = (low + high) // 2
            try:
                fold(events[:middle])
                low = middle
            except FoldError:
                high = middle
        bad = events[high - 1]
        notice = DamageNotice(
            trusted_seq=events[low - 1].seq,
            first_bad_seq=bad.seq,
            why=f"event {bad.seq} does not fit the cutover ({error})",
        )
        if damage is None or (damage.trusted_seq > notice.trusted_seq):
            damage = notice
        return events[:low], damage, fold(events[:low])
