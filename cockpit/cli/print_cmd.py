"""`cockpit print RUNBOOK [--contacts CARD] [-o FILE] [--format md|html|txt]`: the paper backup.

The checklist and contact card to print and keep on the desk, from the same plan the
cockpit runs (see `cockpit.report.paper`). Without `-o` it goes to standard output; the
format defaults to the output file's extension, else Markdown. Exit 0 on success, 2 when
the runbook or card cannot be used (with every problem, located). An existing output file
is replaced: the paper is always regenerated from the plan.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cockpit.errors import FileProblems, Problem

_SUFFIXES = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".txt": "txt"}


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
        "--format",
        choices=("md", "html", "txt"),
        help="md, html (prints on A4/Letter) or txt (80 columns); default: from -o, else md",
    )


def run(args: argparse.Namespace) -> int:
    """Render the paper backup; 0 when written, 2 when the input is unusable."""
    from cockpit.bundled import resolve_runbook
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
    fmt = args.format or (_SUFFIXES.get(output.suffix.lower(), "md") if output else "md")
    text = render_paper(runbook, card, fmt)
    if output is None:
        sys.stdout.write(text)
        return 0
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as error:
        print(f"cockpit print: cannot write {output}: {error.strerror or error}", file=sys.stderr)
        return 2
    print(f"wrote {output} ({fmt}, {len(runbook.steps)} steps)", file=sys.stderr)
    return 0
