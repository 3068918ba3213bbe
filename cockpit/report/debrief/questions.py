"""The debrief questions, pre-filled with evidence from the journal.

What went as planned? What was different, and why? What went wrong, and how was it
diagnosed and resolved (with the notes written then)? What would we add to the
pre-migration checklist, the cutover checklist and the troubleshooting guide? Each answer
is a sentence built from the debrief's parts; the report adds what the journal cannot know.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise

from cockpit.text import report_minutes, sentence, signed_report_minutes

from .blockers import BlockerReport, NoteRow
from .model import Attempt, CheckpointReport, Debrief, DecisionRow, StepRow

#: Overruns of at least this many minutes suggest re-timing the step in the checklist.
RETIME_MINUTES = 5
#: The reason `decide` gives the step that was running when a rollback started.
ROLLBACK_STOP_REASON = "stopped: rollback started"


@dataclass(frozen=True, slots=True)
class Finding:
    """Something that went wrong, with how it was resolved and the notes written then."""

    text: str
    notes: tuple[NoteRow, ...] = ()
    at: datetime | None = None
    """When it began: the findings are listed in time order."""


@dataclass(frozen=True, slots=True)
class Questions:
    """The debrief questions, pre-filled with evidence from the journal."""

    as_planned: tuple[str, ...]
    different: tuple[str, ...]
    went_wrong: tuple[Finding, ...]
    pre_migration: tuple[str, ...]
    cutover_checklist: tuple[str, ...]
    troubleshooting: tuple[str, ...]


def answer_questions(debrief: Debrief) -> Questions:
    """The four debrief questions, answered with what the journal shows."""
    t = debrief.times.at
    summary = debrief.summary
    as_planned: list[str] = []
    different: list[str] = []
    wrong: list[Finding] = []
    pre: list[str] = []
    checklist: list[str] = []
    guide: list[str] = []
    step_by_number = {row.number: row for row in debrief.steps}
    # A step a blocker was raised on did not go as planned, however fast it completed.
    blocked = {blocker.step_id for blocker in debrief.blockers if blocker.step_id}
    notes_between = _NotesBetween(debrief.notes)

    for row in debrief.steps:
        name = f"Step {row.number} '{row.title}'"
        if row.within_plan and row.step_id not in blocked:
            as_planned.append(
                f"{name}: {report_minutes(row.actual_minutes)} against "
                f"{report_minutes(row.planned_minutes)} planned."
            )
        if row.overran:
            running = " so far (still running)" if row.status == "running" else ""
            different.append(
                f"{name} took {report_minutes(row.actual_minutes)}{running} against "
                f"{report_minutes(row.planned_minutes)} planned "
                f"({signed_report_minutes(row.variance)})."
            )
            if (row.variance or 0.0) >= RETIME_MINUTES:
                checklist.append(
                    f"Re-time '{row.title}': planned {report_minutes(row.planned_minutes)}, "
                    f"took {report_minutes(row.actual_minutes)}. Plan for the real time, or "
                    "split the step."
                )
        if row.status == "skipped":
            different.append(f"{name} was skipped at {t(row.skipped_at)}: {row.skip_reason}")
            checklist.append(
                f"Decide whether '{row.title}' belongs in the plan (skipped: {row.skip_reason})."
            )
        if len(row.attempts) > 1:
            different.append(f"{name} took {len(row.attempts)} attempts.")
        if row.started_ahead_of:
            earlier = ", ".join(
                f"step {n} '{step_by_number[n].title}'" for n in row.started_ahead_of
            )
            different.append(
                f"{name} was started at {t(row.actual_start)}, before {earlier}, out of plan order."
            )
            checklist.append(
                f"Put '{row.title}' in the order it was done, or say in the plan why it must wait."
            )
        for attempt in row.failures:
            after = _after_failure(row, attempt, debrief)
            wrong.append(
                Finding(
                    text=f"{name} failed at {t(attempt.ended_at)}: "
                    f"{sentence(attempt.reason)} {after}",
                    notes=notes_between(attempt.started_at, attempt.ended_at),
                    at=attempt.ended_at or attempt.started_at,
                )
            )
            if attempt.reason != ROLLBACK_STOP_REASON:
                pre.append(
                    sentence(f"Check beforehand what made '{row.title}' fail: {attempt.reason}")
                )
                guide.append(
                    f"'{row.title}' fails with \"{attempt.reason}\": how it was diagnosed "
                    "and fixed (fill in)."
                )

    for checkpoint in debrief.checkpoints:
        decisions = checkpoint.decisions
        stops = [d for d in decisions if d.decision != "go"]
        for decision in stops:
            different.append(
                f"{decision.word} on '{checkpoint.title}' at {t(decision.at)} by "
                f"{decision.by}: {decision.reason}"
            )
        if stops:
            wrong.append(_checkpoint_story(checkpoint, stops, debrief, notes_between))
            for criterion in checkpoint.criteria:
                if criterion.met is False:
                    pre.append(
                        f"Confirm before the night: '{criterion.text}' (not met at "
                        f"'{checkpoint.title}')."
                    )
            for decision in stops:
                if decision.decision == "no_go":
                    pre.append(
                        sentence(
                            f"Find out beforehand what led to the no-go on "
                            f"'{checkpoint.title}': {decision.reason}"
                        )
                    )
        if decisions and decisions[0].decision == "go":
            as_planned.append(
                f"'{checkpoint.title}': go at {t(decisions[0].at)} by {decisions[0].by}, "
                "at the first decision."
            )

    if debrief.ponr.crossed_at is not None and debrief.ponr.go is not None:
        as_planned.append(
            f"The point of no return was crossed at {t(debrief.ponr.crossed_at)} on the go "
            f"recorded at {t(debrief.ponr.go.at)} (event #{debrief.ponr.go.seq})."
        )

    for at, plan_start, reason in summary.rebaselines:
        different.append(f"The plan's start moved to {t(plan_start)} at {t(at)}: {reason}")
    for session in debrief.sessions:
        changed = (
            " The runbook file had changed since the start." if session.runbook_changed else ""
        )
        if session.card_changed:
            changed += " The contact card file differed from the card of record."
        how = {
            "clean": " after a clean quit",
            "crash": " after a crash, kill or power loss (no clean quit)",
        }.get(session.previous_end, "")
        different.append(
            f"The cockpit was started again at {t(session.at)}{how} (previous event at "
            f"{t(session.previous_at)}).{changed}"
        )
    for card in debrief.card_changes:
        different.append(
            f"A new contact card was taken at {t(card.at)}: {'; '.join(card.changes)}."
        )

    for blocker in debrief.blockers:
        wrong.append(
            Finding(text=_blocker_story(blocker, t), notes=blocker.notes, at=blocker.raised_at)
        )
        if blocker.how:
            guide.append(sentence(f"'{blocker.what}': {blocker.how}"))
        else:
            guide.append(f"'{blocker.what}': what would have resolved it (fill in).")
        rule = report_minutes(blocker.escalation_minutes)
        if blocker.late_call:
            checklist.append(
                f"Call the on-call senior DE when a blocker reaches {rule}: the call on "
                f"'{blocker.what}' came {report_minutes(blocker.called_after)} in."
            )
        elif blocker.never_called:
            checklist.append(
                f"Call the on-call senior DE when a blocker reaches {rule}: '{blocker.what}' "
                f"stayed open {report_minutes(blocker.open_minutes)} without a call."
            )
        elif blocker.called_at is not None:
            as_planned.append(
                f"Blocker '{blocker.what}': the senior DE was called after "
                f"{report_minutes(blocker.called_after)}, inside the {rule} rule."
            )
        if blocker.step_title:
            pre.append(
                sentence(
                    f"Rehearse or pre-check what blocked '{blocker.step_title}': {blocker.what}"
                )
            )

    rollback = debrief.rollback
    if rollback is not None:
        if rollback.completed_at is not None:
            fit = "inside" if rollback.within_rto else "outside"
            done = (
                f"completed at {t(rollback.completed_at)}, "
                f"{report_minutes(rollback.total_minutes)} ({fit} the RTO of "
                f"{report_minutes(rollback.rto_minutes)})"
            )
        else:
            done = "not completed when the journal ends"
        wrong.append(
            Finding(
                text=f"Rollback started at {t(rollback.started_at)}: {rollback.reason}; {done}.",
                notes=notes_between(
                    rollback.started_at, rollback.completed_at or debrief.journal_end
                ),
                at=rollback.started_at,
            )
        )

    missed = [m for m in debrief.messages if m.missed]
    for message in missed:
        different.append(
            f"Message '{message.message_id}' ({message.trigger}) was due at "
            f"{t(message.fired_at)} and never sent."
        )
        checklist.append(
            f"Send '{message.message_id}' when its trigger fires ({message.trigger}); "
            "put it on the printed checklist."
        )
    sent = [m for m in debrief.messages if m.standing == "sent"]
    unsent_at_end = [m for m in debrief.messages if m.standing == "due_at_end"]
    if sent and not missed and not unsent_at_end:
        as_planned.append(f"Every message due on the night was sent ({len(sent)}).")
    for message in unsent_at_end:
        different.append(
            f"Message '{message.message_id}' ({message.trigger}) was due at the end "
            f"({t(message.fired_at)}) and is not marked sent."
        )

    late = summary.past_window_minutes
    if summary.ended and late is not None and late > 0:
        different.append(
            f"It ended at {t(summary.ended_at)}, {report_minutes(late)} after the window "
            f"closed ({t(summary.window_end)})."
        )
    elif summary.outcome in ("successful", "successful_with_issues"):
        as_planned.append(
            f"It ended at {t(summary.ended_at)}, inside the window (closes "
            f"{t(summary.window_end)})."
        )
    elif not summary.ended and summary.last_event_at > summary.window_end:
        different.append(
            f"The window closed at {t(summary.window_end)} with the cutover still under way."
        )
    end = debrief.journal_end
    if not summary.ended:
        wrong.append(
            Finding(
                text=f"The journal ends at {t(summary.last_event_at)} (event #{summary.last_seq}) "
                "without an outcome: the cutover was not declared complete, rolled back or "
                "abandoned in the cockpit.",
                at=end,
            )
        )
    elif summary.outcome == "not_rolled_back":
        wrong.append(Finding(text=f"The cutover was abandoned: {summary.end_summary}", at=end))
    if debrief.damage is not None:
        wrong.append(
            Finding(
                text=sentence(
                    f"The journal is damaged after event {debrief.damage.trusted_seq}: "
                    f"{debrief.damage.why}"
                ),
                at=end,
            )
        )
    return Questions(
        as_planned=tuple(as_planned),
        different=tuple(different),
        went_wrong=tuple(sorted(wrong, key=lambda finding: finding.at or end)),
        pre_migration=tuple(dict.fromkeys(pre)),
        cutover_checklist=tuple(dict.fromkeys(checklist)),
        troubleshooting=tuple(dict.fromkeys(guide)),
    )


def _checkpoint_story(
    checkpoint: CheckpointReport,
    stops: list[DecisionRow],
    debrief: Debrief,
    notes_between: _NotesBetween,
) -> Finding:
    """A checkpoint that held or said no-go: each stop, what followed, the notes then."""
    t = debrief.times.at
    parts = [f"{stop.word.lower()} at {t(stop.at)} by {stop.by} ({stop.reason})" for stop in stops]
    final = checkpoint.decisions[-1]
    if final.decision == "go":
        outcome = f"then go at {t(final.at)} by {final.by}"
    elif final.decision == "no_go":
        outcome = "it stayed a no-go"
    else:
        outcome = "it was still on hold when the journal ends"
    unmet = [c.text for c in checkpoint.criteria if c.met is False]
    criteria = " " + sentence(f"Not met: {'; '.join(unmet)}") if unmet else ""
    until = final.at if final.decision == "go" else debrief.journal_end
    return Finding(
        text=f"'{checkpoint.title}' was stopped: {'; '.join(parts)}; {outcome}.{criteria}",
        notes=notes_between(stops[0].at, until),
        at=stops[0].at,
    )


def _after_failure(row: StepRow, attempt: Attempt, debrief: Debrief) -> str:
    """What happened to a step after one of its attempts failed."""
    t = debrief.times.at
    later = [a for a in row.attempts if a.started_at > attempt.started_at]
    if later:
        retry = later[0]
        result = {
            "completed": f"completed at {t(retry.ended_at)}",
            "failed": f"failed again at {t(retry.ended_at)}",
            "running": "still running when the journal ends",
        }[retry.result]
        return f"Retried at {t(retry.started_at)}: {result}."
    if row.status == "skipped":
        return sentence(f"Then skipped at {t(row.skipped_at)}: {row.skip_reason}")
    if row.undone_at is not None:
        return f"Undone in the rollback at {t(row.undone_at)}."
    return "Not retried."


def _blocker_story(blocker: BlockerReport, at: Callable[[datetime | None], str]) -> str:
    """A blocker from raise to resolution, in one sentence or two."""
    where = f" {blocker.where}" if blocker.where else ""
    rule = report_minutes(blocker.escalation_minutes)
    if blocker.called_at is not None:
        whom = blocker.calls[0][1]
        call = f"{whom} was called {report_minutes(blocker.called_after)} in"
        call += f" — LATE (the rule says {rule})" if blocker.late_call else f" (rule: {rule})"
    elif blocker.never_called:
        call = f"no escalation call — NEVER CALLED, although it stayed open past {rule}"
    elif blocker.resolved_at is not None:
        call = "no escalation call (resolved inside the rule)"
    else:
        call = "no escalation call (the journal ends inside the rule)"
    if blocker.resolved_at is not None:
        end = (
            f"resolved at {at(blocker.resolved_at)} after "
            f"{report_minutes(blocker.open_minutes)}: {blocker.how}"
        )
    else:
        end = f"still open when the journal ends ({report_minutes(blocker.open_minutes)})"
    return sentence(
        f"Blocker '{blocker.what}' raised at {at(blocker.raised_at)}{where}; {call}; {end}"
    )


class _NotesBetween:
    """The notes written from one moment to another, both included.

    Found by bisection when the notes are in time order, as the cockpit always writes
    them: a long night has tens of thousands of notes, and a finding for each failed
    attempt could otherwise read them all, each time.
    """

    def __init__(self, notes: tuple[NoteRow, ...]) -> None:
        self.notes = notes
        self._times: list[datetime] | None = None
        self._ordered = False

    def __call__(self, start: datetime, end: datetime | None) -> tuple[NoteRow, ...]:
        if end is None:
            return ()
        if self._times is None:
            self._times = [note.at for note in self.notes]
            self._ordered = all(a <= b for a, b in pairwise(self._times))
        if not self._ordered:  # a hand-made journal: look at every note
            return tuple(note for note in self.notes if start <= note.at <= end)
        low = bisect.bisect_left(self._times, start)
        return self.notes[low : bisect.bisect_right(self._times, end, lo=low)]
