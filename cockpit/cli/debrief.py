"""`cockpit debrief JOURNAL [--compare REHEARSAL_JOURNAL] [-o FILE [--force]] [--format md|html]`.

The debrief report of a night, for the DE and the senior DE to walk through within a day:
Markdown (the default; readable as plain text) or one self-contained HTML file that prints
well. The same journal gives a byte-identical report: nothing in it depends on when or
where it is made (not even the folder the journal sits in).

The journal is only read (read-only SQLite; a damaged one is examined on a copy), and
never written over: `-o` refuses an existing file unless `--force`, and even then a
journal (this one, the rehearsal, or any other night's) or its side files. The report is
written whole, readable by its owner alone (it holds the night's notes and numbers). A
journal that fails its integrity check is reported up to its last trusted event, with a
warning at the top of the report that says where it stops and why.

Exit codes: 0 the report is complete; 1 the journal (or the rehearsal compared with it)
is damaged, so the report covers only its trusted part — or nothing of it can be trusted;
2 not a journal, an empty one, or the report cannot be written.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cockpit.journal.events import Event
    from cockpit.report.debrief import DamageNotice

FORMATS = ("md", "html")


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of `cockpit debrief`."""
    parser.add_argument("journal", metavar="JOURNAL", help="the journal of the night")
    parser.add_argument(
        "--compare",
        metavar="REHEARSAL_JOURNAL",
        help="a rehearsal's journal: adds rehearsal versus live per step, and the drift",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write the report to FILE instead of standard output",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace an existing FILE (never a journal)",
    )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default=None,
        help="md (Markdown, the default) or html (one self-contained file); "
        "taken from FILE's extension when not given",
    )


class _Refused(Exception):
    """Why no report can be made, and the exit code to say it with."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


def run(args: argparse.Namespace) -> int:
    """Write the report; see the module docstring for the exit codes."""
    try:
        return _run(args)
    except _Refused as refused:
        print(f"cockpit debrief: {refused}", file=sys.stderr)
        return refused.code


def _run(args: argparse.Namespace) -> int:
    from cockpit.files import OutputRefused, check_output
    from cockpit.report.debrief import NothingToDebrief, build_debrief

    journal = Path(args.journal)
    output = Path(args.output) if args.output else None
    fmt = args.format or _format_from(output)
    compare = Path(args.compare) if args.compare else None
    inputs = [(journal, "the journal")]
    if compare is not None:
        inputs.append((compare, "the rehearsal journal"))
    if output is not None:
        try:
            check_output(output, force=args.force, inputs=inputs)  # before reading a night
        except OutputRefused as refused:
            raise _Refused(str(refused), 2) from None
    events, damage = load(journal)
    other, other_damage = load(compare) if compare is not None else (None, None)
    try:
        debrief = build_debrief(
            events,
            journal_name=journal.name,
            damage=damage,
            compare=other,
            compare_damage=other_damage,
        )
    except NothingToDebrief as error:
        if damage is None:
            raise _Refused(f"{journal}: {error}", 2) from None
        raise _Refused(
            f"{journal} is damaged and {error}. "
            f"For the full check, run: cockpit verify {shlex.quote(str(journal))}",
            1,
        ) from None
    if fmt == "html":
        from cockpit.report.debrief.html import render_html

        text = render_html(debrief)
    else:
        from cockpit.report.debrief.markdown import render_markdown

        text = render_markdown(debrief)
    data = text.encode("utf-8")
    if output is None:
        # Bytes as rendered (a reader that leaves early is handled in `cockpit.cli`).
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        _to_file(output, data, force=args.force, inputs=inputs)
    damaged = debrief.damage is not None or (
        debrief.comparison is not None and debrief.comparison.damage is not None
    )
    if debrief.damage is not None:
        print(
            f"cockpit debrief: {journal} is damaged; the report stops at event "
            f"{debrief.damage.trusted_seq} ({debrief.damage.why}). "
            f"For the full check, run: cockpit verify {shlex.quote(str(journal))}",
            file=sys.stderr,
        )
    if debrief.comparison is not None and debrief.comparison.damage is not None:
        print(
            f"cockpit debrief: {compare} is damaged; it is compared up to event "
            f"{debrief.comparison.damage.trusted_seq}",
            file=sys.stderr,
        )
    if output is not None:
        print(f"cockpit debrief: wrote {output}", file=sys.stderr)
    return 1 if damaged else 0


def _format_from(output: Path | None) -> str:
    if output is not None and output.suffix.lower() in (".html", ".htm"):
        return "html"
    return "md"


def load(path: Path) -> tuple[list[Event], DamageNotice | None]:
    """The events of the journal at `path`: all of them, or its trusted prefix with a
    notice of the damage. Raises _Refused when the file is not a journal at all."""
    from cockpit.journal.store import JournalError, read_events

    try:
        return read_events(path), None
    except JournalError as error:
        first_error = str(error)
    # Damaged, or unreadable in a way a copy may still answer: examine a copy (imported
    # only now: a sound journal does not pay for the salvage).
    from cockpit.journal.verify import salvage
    from cockpit.report.debrief import DamageNotice

    events, report = salvage(path)
    if not report.readable:
        problem = report.problems[0] if report.problems else first_error
        raise _Refused(problem, 2)
    if report.ok:  # the damage was passing (a writer mid-checkpoint): the copy reads clean
        return events, None
    # The first specific problem: verify heads its list with a pointer to SQLite's verdict.
    specific = [p for p in report.problems if not p.startswith("SQLite's own check")]
    if specific:
        why = specific[0]
    elif not report.integrity.startswith("ok"):
        why = f"SQLite's check of the file: {report.integrity}"
    else:
        why = "the journal is damaged"
    # The report must not depend on where the journal sits: name the file, not its path.
    why = why.replace(str(path), path.name).rstrip(".")
    return events, DamageNotice(
        trusted_seq=report.trusted_seq, first_bad_seq=report.first_bad_seq, why=why
    )


def _to_file(output: Path, data: bytes, *, force: bool, inputs: list[tuple[Path, str]]) -> None:
    """Write whole or not at all, private, never over a journal (`cockpit.files`)."""
    from cockpit.files import OutputRefused, write_output

    try:
        write_output(output, data, force=force, inputs=inputs)
    except OutputRefused as refused:
        raise _Refused(str(refused), 2) from None
