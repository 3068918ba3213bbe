"""The `cockpit` command line.

Each sub-command lives in its own module exposing `configure(parser)` and `run(args)`.
Those modules import only argparse at the top and their heavy dependencies inside
`run`, so `cockpit run` does not pay for report code and `cockpit check` does not pay for
Textual.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from cockpit import __version__
from cockpit.collector import collector_paused
from cockpit.errors import CockpitError, FileProblems
from cockpit.text import visible

#: (command, module, one-line help). The module defines `configure(parser)` and `run(args)`.
COMMANDS: list[tuple[str, str, str]] = [
    ("run", "cockpit.cli.run", "the full-screen cockpit (resumes when the journal exists)"),
    ("replay", "cockpit.cli.replay", "replay a journal with a scrubber, read-only"),
    ("follow", "cockpit.cli.follow", "watch a journal another cockpit is writing, read-only"),
    ("check", "cockpit.cli.check", "validate a runbook (and contact card)"),
    ("schema", "cockpit.cli.schema", "JSON Schema of the runbook and contact-card formats"),
    ("verify", "cockpit.cli.verify", "integrity of a journal: database, hash chain, salvage"),
    ("log", "cockpit.cli.log", "the events of a journal as lines or JSON Lines"),
    ("print", "cockpit.cli.print_cmd", "the paper backup: checklist and contact card to print"),
    ("import", "cockpit.cli.import_cmd", "turn a Markdown or CSV runbook into a runbook TOML"),
    ("new", "cockpit.cli.new", "a commented starter runbook and contact card"),
    ("debrief", "cockpit.cli.debrief", "the debrief report of a journal (Markdown or HTML)"),
    ("secrets", "cockpit.cli.secrets", "the contact card's secrets in the OS keyring"),
]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command configured."""
    parser = argparse.ArgumentParser(
        prog="cockpit",
        description="Cutover Cockpit: run a production cutover from one calm screen.",
    )
    parser.add_argument("--version", action="version", version=f"cockpit {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module_name, help_text in COMMANDS:
        sub = subparsers.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(_module=module_name)
        try:
            importlib.import_module(module_name).configure(sub)
        except ImportError as error:
            # One broken command must not take every other command down with it.
            sub.set_defaults(_broken=f"the '{name}' command cannot load: {error}")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code. Never shows a traceback for bad input."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    if getattr(args, "_broken", None):
        print(f"cockpit: {args._broken}", file=sys.stderr)
        return 2
    module = importlib.import_module(args._module)
    try:
        # Every command is a burst of objects that live on, the collector paused (see
        # cockpit.collector); the cockpit's screen lets it run again at its first frame.
        with collector_paused():
            code = int(module.run(args) or 0)
        sys.stdout.flush()  # inside the try: a reader that left is seen here, not at exit
        return code
    except BrokenPipeError:
        return _reader_left()
    except FileProblems as problems:
        # Escaped: a refused file's own text may be quoted in its problems.
        print(visible(problems.render()), file=sys.stderr)
        return 2
    except CockpitError as error:
        print(f"cockpit: {visible(str(error))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _reader_left() -> int:
    """`cockpit log J | head -1`: the reader took what it wanted and left. That is not an
    error: no traceback, no message, exit 0.

    Standard output is pointed at the null device so that the interpreter's last flush
    at exit does not fail again and print a complaint on the shared screen.
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real standard output to redirect
        pass
    finally:
        os.close(devnull)
    return 0
