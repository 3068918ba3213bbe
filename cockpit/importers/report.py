"""The import report: what a person reads, in one glance, after `cockpit import`.

Three groups, in this order, because that is the order of the work left: what was mapped
(counted, so a missing owner column or a lost phase shows at once), what was guessed (each
one marked TODO in the TOML, so `cockpit check` lists it until it is confirmed), and what
was dropped, with its lines in the source.
"""

from __future__ import annotations

from pathlib import Path

from cockpit.importers.draft import ImportResult, Note
from cockpit.importers.text import field_line
from cockpit.model.runbook import Runbook


def import_report(result: ImportResult, runbook: Runbook, source: Path, where: str) -> list[str]:
    """The report's lines (the caller prints them on standard error)."""
    steps = runbook.steps
    total = len(steps)
    phases = list(dict.fromkeys(step.phase for step in steps if step.phase))
    owners = sum(1 for step in steps if step.owner != "TODO")
    minutes = sum(1 for index in range(total) if ("steps", index, "minutes") not in result.comments)
    commands = sum(len(step.commands) for step in steps)
    undos = sum(1 for step in steps if step.rollback is not None)
    ponr = runbook.ponr_step
    proposed = ("point_of_no_return", "step") in result.comments
    ponr_text = (
        "not marked" if ponr is None else f"{ponr}{' (proposed: confirm it)' if proposed else ''}"
    )
    lines = [
        f"imported {total} steps, {len(runbook.checkpoints)} checkpoints, "
        f"point of no return: {ponr_text} -> {where}",
        "",
        "mapped:",
        f"  steps {total}"
        + (f" in {len(phases)} phase(s): {_shown(phases)}" if phases else " (no phases)"),
        f"  owners {owners}/{total} · minutes {minutes}/{total} · commands {commands} · "
        f"undo on {undos} step(s) · go/no-go {len(runbook.checkpoints)} · "
        f"verification {len(runbook.verification)}",
    ]
    guessed = sorted(
        (note for note in result.notes if note.kind == "guessed"), key=lambda n: n.line or 0
    )
    dropped = sorted(
        (note for note in result.notes if note.kind == "not mapped"), key=lambda n: n.line or 0
    )
    lines.append(f"guessed ({len(guessed)}; marked TODO in the runbook where it holds them):")
    lines.extend(f"  {line}" for line in _grouped(guessed, source))
    lines.append(f"dropped ({len(dropped)}; not in the runbook):")
    lines.extend(f"  {line}" for line in _grouped(dropped, source))
    lines.append(f"{len(dropped)} line(s) not mapped, {len(guessed)} guess(es) to review")
    if result.placeholders:
        lines.append(f"to fill in (marked TODO): {', '.join(result.placeholders)}")
    return lines


def _grouped(notes: list[Note], source: Path) -> list[str]:
    """One line per note, except that notes saying the same thing are one line naming
    all their lines ("text before its first step (lines 67, 73, 79)")."""
    by_message: dict[str, list[Note]] = {}
    for note in notes:
        by_message.setdefault(note.message, []).append(note)
    lines: list[str] = []
    for same in by_message.values():
        if len(same) == 1:
            lines.append(same[0].render(source))
            continue
        numbers = ", ".join(str(note.line) for note in same[:8] if note.line is not None)
        more = f" and {len(same) - 8} more" if len(same) > 8 else ""
        first = same[0]
        lines.append(
            f"{source}:{first.line}: {first.kind}: {first.message} (lines {numbers}{more})"
        )
    return lines


def _shown(names: list[str]) -> str:
    shown = ", ".join(field_line(name)[:60] for name in names[:6])
    return shown + (f", and {len(names) - 6} more" if len(names) > 6 else "")
