"""`cockpit import FILE.md|FILE.csv [-o RUNBOOK.toml] [--force]`: bring an existing runbook in.

Reads a Markdown runbook or a spreadsheet export (see `cockpit.importers`), writes our
TOML with tomli-w, validates it exactly as `cockpit check` would load it, and reports on
standard error, with line numbers, every line it could not map and every guess worth a
look. Placeholders for what the source did not say are marked TODO; `cockpit check` then
lists them (rule R901) with everything else the plan still needs.

Without `-o` the TOML goes to standard output. An existing output file is not replaced
unless `--force` is given, and never the source itself or a journal; the runbook is
written whole (through a temporary file) and readable by its owner alone. Exit 0 when
written; 2 when the source cannot be used (not readable, no steps found) or the output
cannot be written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of `cockpit import`."""
    parser.add_argument(
        "source", metavar="FILE", help="a Markdown (.md), CSV (.csv) or Excel (.xlsx) runbook"
    )
    parser.add_argument(
        "-o", "--output", metavar="RUNBOOK.toml", help="write here (default: stdout)"
    )
    parser.add_argument(
        "--format",
        choices=("md", "csv", "xlsx"),
        help="how to read FILE (default: from its extension)",
    )
    parser.add_argument(
        "--column",
        action="append",
        default=[],
        metavar="ROLE=HEADER",
        help="spreadsheets: the column that holds ROLE (title, owner, minutes, start, "
        "depends, rollback, notes, verify, commands, phase, status, …); repeatable",
    )
    parser.add_argument(
        "--sheet", metavar="NAME", help="workbooks: the sheet to read (default: the first plan)"
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace an existing output file (never the source or a journal)",
    )


def run(args: argparse.Namespace) -> int:
    """Import, write, validate, report."""
    import os
    import tempfile

    from cockpit.errors import FileProblems
    from cockpit.files import check_output, write_output
    from cockpit.importers import import_path, kind_of, to_toml
    from cockpit.model.load import load_runbook

    source = Path(args.source)
    kind = args.format or kind_of(source)
    if kind is None:
        print(
            f"cockpit import: {source}: cannot tell the format from the name; expected .md, "
            ".csv or .xlsx, or pass --format md|csv|xlsx",
            file=sys.stderr,
        )
        return 2
    columns: dict[str, str] = {}
    for given in args.column:
        role, equals, header = given.partition("=")
        if not equals or not role.strip() or not header.strip():
            print(
                f"cockpit import: --column {given!r}: expected ROLE=HEADER, "
                "e.g. --column title='Task Name'",
                file=sys.stderr,
            )
            return 2
        columns[role.strip().lower()] = header.strip()
    output = Path(args.output) if args.output else None
    inputs = [(source, "the source")]
    if output is not None:
        check_output(output, force=args.force, inputs=inputs)  # before the work
    result = import_path(source, kind, columns=columns, sheet=args.sheet)
    toml_text = to_toml(result)

    # Validate the very text we write, through the loader `check` uses (a private
    # temporary file: mkstemp makes it 0600).
    try:
        handle, temp_name = tempfile.mkstemp(suffix=".toml")
    except OSError as error:
        print(f"cockpit import: cannot write a temporary file: {error.strerror}", file=sys.stderr)
        return 2
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(toml_text)
        try:
            runbook = load_runbook(temp)
        except FileProblems as problems:
            problems.path = output or "(import)"
            print(
                "cockpit import: the imported runbook does not validate; this is a bug in the "
                "importer, please report it with the source file:\n" + problems.render(),
                file=sys.stderr,
            )
            return 2
    finally:
        temp.unlink(missing_ok=True)
    if output is not None:
        write_output(output, toml_text, force=args.force, inputs=inputs)
    if output is None:
        sys.stdout.write(toml_text)

    from cockpit.importers.report import import_report

    where = str(output) if output is not None else "stdout"
    for line in import_report(result, runbook, source, where):
        print(line, file=sys.stderr)
    target = output if output is not None else "RUNBOOK.toml"
    print(f"next: cockpit check {target}", file=sys.stderr)
    return 0
