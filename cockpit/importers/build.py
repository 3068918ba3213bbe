"""The draft as runbook data: valid, with a TODO placeholder for whatever is missing.

`finish` fills what the source did not say (a window, a time zone, an RTO, owners,
minutes, the go/no-go before the point of no return) with placeholders marked TODO and
records a comment for each, so `write.to_toml` can point at every one.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from itertools import pairwise
from typing import Any

from cockpit.errors import FileProblems, Problem
from cockpit.importers.draft import Draft, DraftCheckpoint, DraftRollback, DraftStep, ImportResult
from cockpit.importers.rollbacks import attach_rollbacks
from cockpit.importers.text import block_text, clean_text, field_line, slug, unique_id
from cockpit.importers.words import PONR_STRENGTHS, find_timing, ponr_reason
from cockpit.importers.words import placeholders as placeholders_in

#: Most steps a runbook holds (the format's limit).
MAX_STEPS = 5000
#: Most criteria a checkpoint holds (the format's limit).
MAX_CRITERIA = 9
#: The placeholder window when the source names none: obviously not a real night.
PLACEHOLDER_START = datetime(2030, 1, 1, 2, 0)
#: Minutes given to a step (or an undo) whose duration the source does not say.
PLACEHOLDER_MINUTES = 5
TODO = "TODO"


def finish(draft: Draft) -> ImportResult:
    """Runbook data from a draft: valid, with a TODO placeholder for whatever is missing."""
    if not draft.steps:
        raise FileProblems(
            draft.source,
            [
                Problem(
                    "found no steps: write them as a numbered list (1. …) or checkboxes "
                    "(- [ ] …) in Markdown, or as rows with a Task column in a spreadsheet"
                )
            ],
            "runbook to import",
        )
    attach_rollbacks(draft)
    comments: dict[tuple[str | int, ...], str] = {}
    placeholders: list[str] = []
    if len(draft.steps) > MAX_STEPS:
        draft.note(
            draft.steps[MAX_STEPS].line,
            f"more than {MAX_STEPS} steps: the rest were left out",
        )
        draft.steps = draft.steps[:MAX_STEPS]
    _gate_leftover_checkpoints(draft)
    _minutes_from_timings(draft)
    _propose_ponr(draft)

    used: set[str] = set()
    ids: list[str] = []
    for index, step in enumerate(draft.steps):
        ids.append(unique_id(slug(step.title, f"step-{index + 1}"), used))
    numbers = {step.number: index for index, step in enumerate(draft.steps) if step.number}
    ponr_index = next((i for i, s in enumerate(draft.steps) if s.ponr), None)
    for index, step in enumerate(draft.steps):
        if step.ponr and index != ponr_index:
            draft.note(
                step.line,
                f"a second point of no return ({step.title[:40]!r}); only the first "
                f"({draft.steps[ponr_index or 0].title[:40]!r}) was marked",
                "guessed",
            )

    steps_data: list[dict[str, Any]] = []
    owners_missing = minutes_missing = guesses_left = 0
    placeholders_left: list[int] = []
    for index, step in enumerate(draft.steps):
        title = field_line(step.title) or f"Step {index + 1}"
        data: dict[str, Any] = {"id": ids[index], "title": title}
        phase = field_line(step.phase)
        if phase:
            data["phase"] = phase
        owner = field_line(step.owner or "")
        if not owner:
            owners_missing += 1
        data["owner"] = owner or TODO
        if owner and "owner" in step.guessed:
            comments[("steps", index, "owner")] = "TODO: confirm: the owner is a guess"
            guesses_left += 1
        if step.minutes is None:
            minutes_missing += 1
            comments[("steps", index, "minutes")] = "TODO: estimate the minutes"
        elif "minutes" in step.guessed:
            comments[("steps", index, "minutes")] = "TODO: confirm: the minutes are a guess"
            guesses_left += 1
        data["minutes"] = step.minutes or PLACEHOLDER_MINUTES
        instructions = clean_text("\n".join(_instructions(step)))
        if instructions:
            data["instructions"] = instructions
        commands = [c for c in (block_text(c) for c in step.commands) if c]
        if commands:
            data["commands"] = commands
        verify = [v for v in (field_line(v) for v in step.verify) if v]
        if verify:
            data["verify"] = verify
        depends: list[str] = []
        for ref in step.depends_on:
            if ref in draft.gate_refs and ref not in numbers:
                continue  # "after the go/no-go": the checkpoint already gates this step
            target = numbers.get(ref)
            if target is None and ref.isdigit() and ref not in numbers:
                target = int(ref) - 1 if 1 <= int(ref) <= len(draft.steps) else None
            if target is None or target >= index:
                draft.note(
                    step.line,
                    f"step {title[:40]!r} depends on {ref!r}, which is not an earlier step; "
                    "left out",
                )
            elif ids[target] not in depends:
                depends.append(ids[target])
        if depends:
            data["depends_on"] = depends
        rollback = _rollback_data(step, index, comments)
        if rollback is not None:
            data["rollback"] = rollback
            if "rollback" in step.guessed:
                comments[("steps", index, "rollback", "action")] = (
                    "TODO: confirm: the rollback section, kept in order as this step's undo"
                )
        elif field_line(step.no_rollback or ""):
            data["no_rollback"] = field_line(step.no_rollback or "")
        found = [p for text in (title, *commands, instructions) for p in placeholders_in(text)]
        if found:
            shown = ", ".join(dict.fromkeys(found))
            comments[("steps", index, "title")] = f"TODO: fill in the placeholders: {shown}"
            placeholders_left.append(index)
        steps_data.append(data)
    if placeholders_left:
        placeholders.append(f"placeholders in {len(placeholders_left)} step(s)")
    if guesses_left:
        placeholders.append(f"{guesses_left} guessed owner(s) or minutes to confirm")
    if owners_missing:
        placeholders.append(f"owner of {owners_missing} step(s)")
    if minutes_missing:
        placeholders.append(f"minutes of {minutes_missing} step(s)")

    checkpoints = _checkpoints_data(draft, ids, comments)
    ponr_data: dict[str, Any]
    if ponr_index is not None:
        ponr_data = {"step": ids[ponr_index]}
        if draft.steps[ponr_index].ponr_guessed:
            comments[("point_of_no_return", "step")] = (
                "TODO: confirm: proposed from the step's words, not said by the source"
            )
            placeholders.append("the point of no return (proposed)")
        why = field_line(draft.ponr_why)
        if why:
            ponr_data["why"] = why
        if not any(cp["before"] in ids[: ponr_index + 1] for cp in checkpoints):
            checkpoints.append(_placeholder_gate(ids[ponr_index], used))
            placeholders.append("the go/no-go before the point of no return")
    else:
        ponr_data = {
            "none": 'TODO: mark the point of no return (step = "…") or say why this plan has none'
        }
        placeholders.append("the point of no return")

    meta, meta_placeholders = _meta_data(draft, steps_data, comments)
    placeholders[:0] = meta_placeholders
    result: dict[str, Any] = {}
    verification = [v for v in (field_line(v) for v in draft.verification) if v]
    if verification:
        result["verification"] = verification
    result["runbook"] = meta
    result["steps"] = steps_data
    if checkpoints:
        result["checkpoints"] = checkpoints
    result["point_of_no_return"] = ponr_data
    return ImportResult(result, comments, draft.notes, placeholders, draft.source)


def _rollback_data(
    step: DraftStep, index: int, comments: dict[tuple[str | int, ...], str]
) -> dict[str, Any] | None:
    if not step.rollbacks:
        return None
    unique: dict[str, DraftRollback] = {}
    for item in step.rollbacks:  # the same undo from the step's row and a rollback section
        key = field_line(item.text).casefold()
        if key in unique:
            unique[key].minutes = unique[key].minutes or item.minutes
            unique[key].commands.extend(item.commands)
        else:
            unique[key] = DraftRollback(item.text, item.line, item.minutes, list(item.commands))
    step.rollbacks = list(unique.values())
    action = field_line("; ".join(item.text for item in step.rollbacks))
    if not action:
        return None
    known = [item.minutes for item in step.rollbacks if item.minutes is not None]
    if known:
        minutes = min(sum(known), 24 * 60)
    else:
        minutes = PLACEHOLDER_MINUTES
        comments[("steps", index, "rollback", "minutes")] = "TODO: minutes the undo takes"
    data: dict[str, Any] = {"action": action, "minutes": minutes}
    commands = [c for item in step.rollbacks for c in (block_text(x) for x in item.commands) if c]
    if commands:
        data["commands"] = commands
    return data


def _instructions(step: DraftStep) -> list[str]:
    """The step's instructions, with when the source says it happens and the other ways
    it offers (kept out of the commands: alternatives are not all to be run)."""
    lines: list[str] = []
    if step.timing:
        lines.append(f"When: {step.timing} (as the source says)")
    lines.extend(step.instructions)
    if step.alternatives:
        lines.append("Alternatives (one or the other, not both):")
        for alternative in step.alternatives:
            text = block_text(alternative)
            if "\n" in text or not _is_prose(text):
                lines.extend(f"    {line}" for line in text.split("\n"))
            else:
                lines.append(f"- {text}")
    return lines


def _is_prose(text: str) -> bool:
    """Whether a line is prose (has a word of letters and a space), not a bare command."""
    return (
        " " in text
        and any(word.isalpha() for word in text.split()[:3])
        and not text.startswith(("$", "./", "sudo "))
    )


def _minutes_from_timings(draft: Draft) -> None:
    """A step alone at its T-minus time lasts until the next time the source gives:
    "T-60 Minutes" then "T-30 Minutes" is 30 minutes (said by the source, so not a
    placeholder, but noted). Never across more than 12 hours: that is a gap, not a step."""
    steps = draft.steps
    groups: list[tuple[int, list[int]]] = []  # (offset, step indexes)
    for index, step in enumerate(steps):
        timing = find_timing(step.timing or "")
        if timing is None:
            groups.append((0, []))
            continue
        if groups and groups[-1][1] and find_timing(steps[groups[-1][1][0]].timing or "") == timing:
            groups[-1][1].append(index)
        else:
            groups.append((timing.minutes, [index]))
    for (offset, members), (next_offset, next_members) in pairwise(groups):
        if len(members) != 1 or not next_members:
            continue
        gap = next_offset - offset
        step = steps[members[0]]
        if step.minutes is None and 0 < gap <= 12 * 60:
            step.minutes = gap
            draft.note(
                step.line,
                f"minutes of {step.title[:40]!r} from its time to the next: "
                f"{step.timing} → {steps[next_members[0]].timing} = {gap} min",
                "guessed",
            )


_NOT_NIGHT = ("verif", "valid", "post", "after", "test")


def _propose_ponr(draft: Draft) -> None:
    """With no point of no return written, propose the first step whose words make one
    ("promote", "cannot be rolled back", "decommission"), marked as a guess."""
    if any(step.ponr for step in draft.steps):
        return
    candidates = [
        step
        for step in draft.steps
        if not any(word in step.phase.casefold() for word in _NOT_NIGHT)
    ]
    # What a title says weighs more than what a step's explanation mentions.
    for whole in (False, True):
        for strength in range(PONR_STRENGTHS):
            for step in candidates:
                words = [step.title, *step.instructions, *step.commands] if whole else [step.title]
                reason = ponr_reason(" ".join(words), strength)
                if reason is not None:
                    _propose(draft, step, reason)
                    return


def _propose(draft: Draft, step: DraftStep, reason: str) -> None:
    """Mark `step` as the proposed point of no return, and say why."""
    step.ponr = step.ponr_guessed = True
    draft.note(
        step.line,
        f"proposed as the point of no return: {step.title[:50]!r} (it says {reason!r}); confirm it",
        "guessed",
    )


def _gate_leftover_checkpoints(draft: Draft) -> None:
    """A go/no-go after the last step gets a 'declare live' step to gate."""
    leftovers = [cp for cp in draft.checkpoints if cp.before is None]
    if not leftovers:
        return
    first = leftovers[0]
    step = DraftStep(title="Declare live", line=first.line, owner=first.decider, minutes=5)
    step.verify.append("Completion message sent to every stakeholder")
    draft.add_step(step)
    draft.note(
        first.line,
        f"go/no-go {first.title[:50]!r} has no step after it: added a step 'Declare live' "
        "for it to gate",
        "guessed",
    )


def _checkpoints_data(
    draft: Draft, ids: list[str], comments: dict[tuple[str | int, ...], str]
) -> list[dict[str, Any]]:
    merged: dict[int, DraftCheckpoint] = {}
    for checkpoint in draft.checkpoints:
        if checkpoint.before is None or checkpoint.before >= len(ids):
            continue
        if checkpoint.before in merged:
            into = merged[checkpoint.before]
            into.criteria.extend(checkpoint.criteria)
            into.decider = into.decider or checkpoint.decider
            into.no_go = into.no_go or checkpoint.no_go
            draft.note(
                checkpoint.line,
                f"go/no-go {checkpoint.title[:40]!r} merged into {into.title[:40]!r}: both "
                "gate the same step",
                "guessed",
            )
        else:
            merged[checkpoint.before] = checkpoint
    used: set[str] = set()
    result: list[dict[str, Any]] = []
    for before in sorted(merged):
        checkpoint = merged[before]
        title = field_line(checkpoint.title) or f"Go/no-go before {ids[before]}"
        criteria = [c for c in (field_line(c) for c in checkpoint.criteria) if c]
        if len(criteria) > MAX_CRITERIA:
            draft.note(
                checkpoint.line,
                f"go/no-go {title[:40]!r} has {len(criteria)} criteria; a checkpoint holds "
                f"{MAX_CRITERIA}: the rest were left out: {'; '.join(criteria[MAX_CRITERIA:])}",
            )
            criteria = criteria[:MAX_CRITERIA]
        data: dict[str, Any] = {
            "id": unique_id(slug(title, f"gate-{before + 1}"), used),
            "before": ids[before],
            "title": title,
            "criteria": criteria or ["TODO: what must be true to go on"],
            "decider": field_line(checkpoint.decider or "") or TODO,
            "no_go_means": field_line(checkpoint.no_go or "")
            or "TODO: what happens on a no-go (hold, roll back, reschedule)",
        }
        result.append(data)
    return result


def _placeholder_gate(step_id: str, used: set[str]) -> dict[str, Any]:
    return {
        "id": unique_id(f"gate-{step_id}"[:60], used),
        "before": step_id,
        "title": "TODO: go/no-go before the point of no return",
        "criteria": ["TODO: what must be true to cross the point of no return"],
        "decider": TODO,
        "no_go_means": "TODO: what happens on a no-go",
    }


def _meta_data(
    draft: Draft, steps: list[dict[str, Any]], comments: dict[tuple[str | int, ...], str]
) -> tuple[dict[str, Any], list[str]]:
    placeholders: list[str] = []
    title = field_line(draft.title or "") or draft.source.stem.replace("_", " ").replace("-", " ")
    title = title or "Imported runbook"
    zone = draft.timezone
    if zone is None:
        zone = "UTC"
        comments[("runbook", "timezone")] = "TODO: the IANA zone of the window"
        placeholders.append("timezone")
    rollback_minutes = sum(s["rollback"]["minutes"] for s in steps if "rollback" in s)
    rto = draft.rto_minutes
    if rto is None:
        rto = min(max(15, math.ceil(rollback_minutes / 15) * 15), 24 * 60)
        comments[("runbook", "rto_minutes")] = "TODO: the agreed recovery time objective"
        placeholders.append("rto_minutes")
    start = draft.window_start
    if start is None:
        start = PLACEHOLDER_START
        comments[("runbook", "window_start")] = "TODO: the local start of the window"
        placeholders.append("window_start")
    end = draft.window_end
    if end is None or end <= start or end - start > timedelta(days=2):
        needed = sum(s["minutes"] for s in steps) + rollback_minutes
        span = min(math.ceil(needed / 30) * 30 + 30, 48 * 60)
        end = start + timedelta(minutes=span)
        comments[("runbook", "window_end")] = "TODO: the local end of the window"
        placeholders.append("window_end")
    customer = field_line(draft.customer or "")
    if not customer:
        customer = "TODO: the customer's name"
        placeholders.append("customer")
    meta: dict[str, Any] = {
        "id": slug(title, "imported"),
        "title": title,
        "version": field_line(draft.version or "") or "0.1",
        "customer": customer,
        "timezone": zone,
        "window_start": start,
        "window_end": end,
        "rto_minutes": rto,
    }
    return meta, placeholders
