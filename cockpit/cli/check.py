"""`cockpit check RUNBOOK [--contacts CARD] [--rehearsal JOURNAL ...] [--strict] [--format …]`.

Is this plan fit to run tonight? It loads the runbook and its contact card (every format
problem at once, each with its file and line), then runs the readiness review
(`cockpit.readiness`): rollbacks, the gated point of no return, checkable criteria, the
RTO and the window, the communication plan, the card, and — with `--rehearsal` — the
evidence that this very plan was rehearsed end to end. Exit codes let a script gate on it:

* 0 — ready (warnings may be printed);
* 1 — findings at error level (warnings too, with `--strict`);
* 2 — unusable input: a file is missing, unreadable, not TOML, not valid, or a rehearsal
  journal cannot be read.

`--format json` prints one JSON object with every finding (rule id and name, severity,
file, line, where, message, fix), the rollback deadline and the rehearsal drift table.
Module-level imports stay light: every `cockpit` command imports this module to build
its parser.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

from cockpit.errors import FileProblems, Problem

if TYPE_CHECKING:
    from cockpit.model.contacts import ContactCard
    from cockpit.model.runbook import Runbook
    from cockpit.readiness import Finding, RehearsalRun, Subject


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of `cockpit check`."""
    parser.add_argument(
        "runbook",
        metavar="RUNBOOK",
        nargs="?",
        help="runbook file, or the name of a bundled runbook (e.g. ucaas-port-smb)",
    )
    parser.add_argument(
        "--contacts",
        metavar="CARD",
        help="contact card file (default: the runbook's contact_card, next to the runbook)",
    )
    parser.add_argument(
        "--rehearsal",
        metavar="JOURNAL",
        nargs="+",
        action="extend",
        help="journal(s) of rehearsals of this runbook: evidence it was run end to end",
    )
    parser.add_argument("--strict", action="store_true", help="warnings count as failures (exit 1)")
    parser.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text for people (default), json for scripts",
    )
    parser.add_argument(
        "--list-rules", action="store_true", help="list the readiness rules and exit"
    )


def run(args: argparse.Namespace) -> int:
    """Load, review, print; the exit code says ready (0), findings (1) or unusable (2)."""
    if args.list_rules:
        return _list_rules(args.format)
    if not args.runbook:
        print("cockpit check: give a RUNBOOK (a file or a bundled name)", file=sys.stderr)
        return 2
    loaded = _load(args)
    if isinstance(loaded, list):
        return _unusable(loaded, args.format)
    from cockpit.readiness import findings

    found = findings(loaded)
    if args.format == "json":
        return _print_json(loaded, found, args.strict)
    return _print_text(loaded, found, args.strict)


# ---- loading ----------------------------------------------------------------------------


def _load(args: argparse.Namespace) -> Subject | list[FileProblems]:
    """The subject to review, or every reason the input is unusable."""
    from cockpit.bundled import resolve_runbook
    from cockpit.model.contacts import ContactCard
    from cockpit.model.load import contact_card_beside, load_model_and_text
    from cockpit.model.runbook import Runbook
    from cockpit.readiness import Subject, read_rehearsal

    unusable: list[FileProblems] = []
    runbook: Runbook | None = None
    runbook_text = ""
    runbook_path: Path | None = None
    try:
        runbook_path = resolve_runbook(args.runbook)
        if runbook_path != Path(args.runbook).expanduser():  # found among the bundled ones
            runbook_path = _shown_path(runbook_path)
        runbook, runbook_text = load_model_and_text(runbook_path, Runbook, "runbook")
    except FileProblems as problems:
        unusable.append(problems)

    card_path: Path | None = Path(args.contacts) if args.contacts else None
    if card_path is None and runbook is not None and runbook_path is not None:
        card_path = _shown_path(contact_card_beside(runbook, runbook_path))
        if card_path is not None and not card_path.exists():
            unusable.append(_missing_card(runbook, runbook_path, runbook_text, card_path))
            card_path = None
    card: ContactCard | None = None
    card_text = ""
    if card_path is not None:
        try:
            card, card_text = load_model_and_text(card_path, ContactCard, "contact card")
        except FileProblems as problems:
            unusable.append(problems)

    rehearsals: list[RehearsalRun] | None = None
    if args.rehearsal:
        rehearsals = []
        for journal in args.rehearsal:
            try:
                rehearsals.append(read_rehearsal(journal))
            except FileProblems as problems:
                unusable.append(problems)

    if unusable or runbook is None or runbook_path is None:
        return unusable
    return Subject(
        runbook,
        runbook_path,
        runbook_text,
        card,
        card_path,
        card_text,
        tuple(rehearsals) if rehearsals is not None else None,
    )


def _missing_card(
    runbook: Runbook, runbook_path: Path, runbook_text: str, card_path: Path
) -> FileProblems:
    """The runbook names a card that is not there: a problem of the runbook, located."""
    problem = Problem(
        f"the contact card {runbook.meta.contact_card!r} does not exist (looked for "
        f"{card_path}); fix the path (relative to this runbook) or pass --contacts CARD",
        line=_line(runbook_text, ("runbook", "contact_card")),
        where="[runbook] field 'contact_card'",
    )
    return FileProblems(runbook_path, [problem], "runbook")


# ---- text ---------------------------------------------------------------------------------


def _print_text(subject: Subject, found: list[Finding], strict: bool) -> int:
    from cockpit.readiness import rollback_deadline

    errors = sum(1 for finding in found if finding.severity == "error")
    warnings = len(found) - errors
    failed = errors > 0 or (strict and warnings > 0)
    counts = _counts(errors, warnings)
    if failed:
        why = " (--strict)" if strict and not errors else ""
        _say(f"{_mark(False)} {subject.runbook_path}: not ready{why} — {counts}:")
    else:
        _say(f"{_mark(True)} {_summary(subject.runbook, subject.runbook_path)}")
        if subject.card is not None and subject.card_path is not None:
            _say(f"{_mark(True)} {_card_summary(subject.card, subject.card_path)}")
    for line in rollback_deadline(subject.runbook).describe():
        _say(f"  {line}")
    for finding in found:
        _say(f"  {finding.render()}")
        if finding.fix:
            _say(f"      fix: {finding.fix}")
    if subject.rehearsals:
        for line in _drift_lines(subject):
            _say(f"  {line}")
    if failed:
        _say(f"{_mark(False)} not ready: {counts}")
    else:
        _say(f"{_mark(True)} ready" + (f" ({counts})" if found else ""))
    return 1 if failed else 0


def _drift_lines(subject: Subject) -> list[str]:
    """The rehearsal-versus-plan table, one line per step, and the rehearsed rollback."""
    from cockpit.readiness import drift_table, matching_rehearsals

    runs = matching_rehearsals(subject)
    if not runs:
        return []
    names = ", ".join(str(run.path) for run in runs)
    lines = [
        f"rehearsal of this plan: {names}",
        f"  {'step':<28} {'planned':>7} {'rehearsed':>9} {'drift':>7}",
    ]
    for row in drift_table(subject):
        rehearsed = f"{row.rehearsed:.1f}" if row.rehearsed is not None else "—"
        drift = f"{row.drift:+.1f}" if row.drift is not None else ""
        flag = "  !" if row.flagged else ""
        lines.append(f"  {row.step_id[:28]:<28} {row.planned:>7} {rehearsed:>9} {drift:>7}{flag}")
    for run in runs:
        rollback = run.rollback
        if rollback is not None and rollback.minutes is not None:
            rto = subject.runbook.meta.rto_minutes
            verdict = "inside" if rollback.minutes <= rto else "OVER"
            lines.append(
                f"  rollback: {len(rollback.done)} undo step(s) in {rollback.minutes:.1f} min, "
                f"{verdict} the RTO of {rto} min ({run.path})"
            )
    return lines


def _counts(errors: int, warnings: int) -> str:
    return (
        f"{errors} error{'s' if errors != 1 else ''}, "
        f"{warnings} warning{'s' if warnings != 1 else ''}"
    )


def _say(line: str) -> None:
    """Print a line of the report with any control character from a file (an old
    rehearsal journal, a refused file's quoted text) shown escaped, never obeyed."""
    from cockpit.text import visible

    print(visible(line))


def _summary(runbook: Runbook, path: Path) -> str:
    steps = len(runbook.steps)
    checkpoints = len(runbook.checkpoints)
    ponr = runbook.ponr_step or "none"
    return (
        f"{path}: valid runbook — {steps} step{'s' if steps != 1 else ''}, "
        f"{checkpoints} checkpoint{'s' if checkpoints != 1 else ''}, "
        f"point of no return: {ponr}"
    )


def _card_summary(card: ContactCard, path: Path) -> str:
    count = len(card.contacts)
    on_call = card.on_call
    senior = f"{on_call.name} ({on_call.first_number})" if on_call is not None else "none"
    return (
        f"{path}: contact card — {count} contact{'s' if count != 1 else ''}, "
        f"on-call senior: {senior}"
    )


def _unusable(problems: list[FileProblems], output: str) -> int:
    if output == "json":
        items = [
            {
                "file": str(group.path),
                "kind": group.kind,
                "line": problem.line,
                "where": problem.where,
                "message": problem.message,
            }
            for group in problems
            for problem in group.problems
        ]
        print(json.dumps({"ready": False, "exit_code": 2, "unusable": items}, indent=2))
        return 2
    for group in problems:
        _say(f"{_mark(False)} {group.render()}")
    return 2


# ---- json ---------------------------------------------------------------------------------


def _print_json(subject: Subject, found: list[Finding], strict: bool) -> int:
    from cockpit.cli.log import json_visible
    from cockpit.readiness import drift_table, matching_rehearsals, rollback_deadline

    errors = sum(1 for finding in found if finding.severity == "error")
    warnings = len(found) - errors
    code = 1 if errors or (strict and warnings) else 0
    report: dict[str, Any] = {
        "runbook": str(subject.runbook_path),
        "contact_card": str(subject.card_path) if subject.card_path else None,
        "ready": code == 0,
        "exit_code": code,
        "strict": strict,
        "errors": errors,
        "warnings": warnings,
        "rollback_deadline": rollback_deadline(subject.runbook).to_json(),
        "findings": [finding.to_json() for finding in found],
        "rehearsal": None,
    }
    if subject.rehearsals is not None:
        runs = matching_rehearsals(subject)
        report["rehearsal"] = {
            "journals": [str(run.path) for run in subject.rehearsals],
            "matching": [str(run.path) for run in runs],
            "steps": [
                {
                    "step": row.step_id,
                    "planned_minutes": row.planned,
                    "rehearsed_minutes": (
                        round(row.rehearsed, 2) if row.rehearsed is not None else None
                    ),
                    "drift_minutes": round(row.drift, 2) if row.drift is not None else None,
                    "flagged": row.flagged,
                }
                for row in (drift_table(subject) if runs else [])
            ],
            "rollbacks": [
                {
                    "journal": str(run.path),
                    "undo_steps": list(run.rollback.done),
                    "minutes": (
                        round(run.rollback.minutes, 2) if run.rollback.minutes is not None else None
                    ),
                    "completed": run.rollback.completed_at is not None,
                }
                for run in runs
                if run.rollback is not None
            ],
        }
    print(json_visible(json.dumps(report, indent=2, ensure_ascii=False)))
    return code


def _list_rules(output: str) -> int:
    from cockpit.readiness import RULE_INFO

    if output == "json":
        rules = [
            {"rule": i.id, "name": i.name, "severity": i.severity, "summary": i.summary}
            for i in RULE_INFO.values()
        ]
        print(json.dumps(rules, indent=2))
        return 0
    for info in RULE_INFO.values():
        print(f"{info.id}  {info.name:<32} {info.severity:<8} {info.summary}")
    return 0


# ---- small helpers ------------------------------------------------------------------------


@overload
def _shown_path(path: Path) -> Path: ...
@overload
def _shown_path(path: None) -> None: ...
@overload
def _shown_path(path: Path | None) -> Path | None: ...


def _shown_path(path: Path | None) -> Path | None:
    """A path as the user would type it: relative when it is below the current folder.

    Overloaded so a path given stays a `Path` to the type checker: only None maps to None.
    """
    if path is None or not path.is_absolute():
        return path
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def _line(text: str, location: tuple[str | int, ...]) -> int | None:
    from cockpit.model.locate import find_line, line_map

    return find_line(line_map(text), location) if text else None


def _mark(ok: bool) -> str:
    """✔ or ✘, or plain words on a terminal that cannot show them."""
    mark = "✔" if ok else "✘"
    encoding = getattr(sys.stdout, "encoding", None) or "ascii"
    try:
        mark.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return "OK" if ok else "FAILED"
    return mark
