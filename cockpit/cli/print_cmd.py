"""`cockpit print RUNBOOK [--contacts CARD] [-o FILE [--force]] [--format md|html|txt]`: the paper.

The checklist and contact card to print and keep on the desk, from the same plan the
cockpit runs (see `cockpit.report.paper`). Without `-o` it goes to standard output; the
format defaults to the output file's extension, else Markdown. Exit 0 on success, 2 when
the runbook or card cannot be used (with every problem, located) or the output is refused.

An existing output file is replaced only with `--force`, and never the runbook or the card
themselves (`print mini.toml -o mini.toml` once replaced the plan with its paper) nor a
journal. The file is written whole (through a temporary file) and readable by its owner
alone: the paper holds phone numbers and account numbers.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from cockpit.errors import FileProblems, Problem

if TYPE_CHECKING:
    from cockpit.report.paper import Format

_SUFFIXES: dict[str, Format] = {
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".txt": "txt",
}


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of `cockpit print`."""
    parser.add_argument("runbook", metavar="RUNBOOK", help="runbook file, or a bundled name")
    parser.add_argument(
        "--contacts",
        metavar="CARD",
        help="contact card file (default: the runbook's contact_card, next to the runbook)",
    )
    parser.add_argument("-o", "--output", metavar="FILE", help="write here (default: stdout)")
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace an existing output file (never the runbook, the card or a journal)",
    )
    parser.add_argument(
        "--format",
        choices=("md", "html", "txt"),
        help="md, html (prints on A4/Letter) or txt (80 columns); default: from -o, else md",
    )


def run(args: argparse.Namespace) -> int:
    """Render the paper backup; 0 when written, 2 when the input is unusable."""
    from cockpit.bundled import resolve_runbook
    from cockpit.files import check_output, write_output
    from cockpit.model.load import contact_card_beside, load_contact_card, load_runbook
    from cockpit.report.paper import render_paper

    runbook_path = resolve_runbook(args.runbook)
    runbook = load_runbook(runbook_path)
    card_path = Path(args.contacts) if args.contacts else contact_card_beside(runbook, runbook_path)
    if card_path is not None and not args.contacts and not card_path.exists():
        raise FileProblems(
            runbook_path,
            [
                Problem(
                    f"the contact card {runbook.meta.contact_card!r} does not exist (looked for "
                    f"{card_path}); fix the path or pass --contacts CARD",
                    where="[runbook] field 'contact_card'",
                )
            ],
            "runbook",
        )
    card = load_contact_card(card_path) if card_path is not None else None
    output = Path(args.output) if args.output else None
    inputs = [(runbook_path, "the runbook")]
    if card_path is not None:
        inputs.append((card_path, "the contact card"))
    if output is not None:
        check_output(output, force=args.force, inputs=inputs)  # before the work
    fmt: Format = args.format or (_SUFFIXES.get(output.suffix.lower(), "md") if output else "md")
    text = render_paper(runbook, card, fmt)
    if output is None:
        sys.stdout.write(text)
        return 0
    write_output(output, text, force=args.force, inputs=inputs)
    print(f"wrote {output} ({fmt}, {len(runbook.steps)} steps)", file=sys.stderr)
    return 0
