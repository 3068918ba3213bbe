"""`cockpit verify JOURNAL`: is the journal intact, and what can be trusted if not.

Exit codes, for scripts: 0 intact, 1 damaged (the report says what can be salvaged),
2 not a journal or not readable at all.
"""

from __future__ import annotations

import argparse


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of `cockpit verify`."""
    parser.add_argument("journal", metavar="JOURNAL", help="the journal file to check")


def run(args: argparse.Namespace) -> int:
    """Print the report; the exit code says intact (0), damaged (1) or unreadable (2)."""
    from cockpit.journal.verify import verify_journal  # imported late: keeps the CLI light

    report = verify_journal(args.journal)
    print(report.render())
    if not report.readable:
        return 2
    return 0 if report.ok else 1
