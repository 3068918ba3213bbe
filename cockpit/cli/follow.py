"""`cockpit follow`: the same screen, read-only, on a journal another cockpit writes."""

from __future__ import annotations

import argparse
from pathlib import Path


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of `cockpit follow`."""
    parser.add_argument("journal", help="the journal a `cockpit run` is writing")
    parser.add_argument("--theme", metavar="NAME", help="colour theme (default: night)")


def run(args: argparse.Namespace) -> int:
    """Follow the journal until ctrl+q."""
    from cockpit.core.clock import SystemClock
    from cockpit.errors import CockpitError
    from cockpit.follow import Follower

    path = Path(args.journal)
    if not path.exists():
        raise CockpitError(f"{path}: no such journal")
    follower = Follower(path, SystemClock())
    try:
        from cockpit.tui.app import CockpitApp

        CockpitApp(follower, theme=args.theme).run()
    finally:
        follower.close()
    return 0
