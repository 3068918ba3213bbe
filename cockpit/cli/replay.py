"""`cockpit replay`: the cockpit as it was at any moment of a journal, read-only."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported for the annotations only: `cockpit --help` stays fast
    from cockpit.journal.events import Event


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of `cockpit replay`."""
    parser.add_argument("journal", help="the journal to replay (it may still be being written)")
    parser.add_argument("--at", metavar="HH:MM", help="start at this local time")
    parser.add_argument(
        "--compare", metavar="REHEARSAL", help="a rehearsal journal to show beside it (Gantt)"
    )
    parser.add_argument("--theme", metavar="NAME", help="colour theme (default: night)")


def load_trusted(path: Path) -> tuple[list[Event], str]:
    """The events that can be trusted, and a plain notice when that is not all of them."""
    from cockpit.errors import CockpitError
    from cockpit.journal.verify import salvage

    events, report = salvage(path)
    if not report.readable or not events:
        raise CockpitError(report.render())
    notice = ""
    if not report.ok:
        notice = (
            f"This journal is damaged: replaying events 1–{report.trusted_seq} only, the part "
            f"that can be trusted. Run: cockpit verify {path}"
        )
    return events, notice


def run(args: argparse.Namespace) -> int:
    """Replay until ctrl+q."""
    from cockpit.core.evolve import fold
    from cockpit.replay import Replay, parse_at

    path = Path(args.journal)
    events, notice = load_trusted(path)
    replay = Replay(events, path, notice=notice)
    if args.at:
        replay.seek_time(parse_at(args.at, replay))
    compare = None
    if args.compare:
        compare_events, _ = load_trusted(Path(args.compare))
        compare = fold(compare_events)
    from cockpit.tui.app import CockpitApp
    from cockpit.tui.screens.replay_screen import ReplayScreen

    screen = ReplayScreen(replay, compare=compare)
    CockpitApp(replay, theme=args.theme, screen=screen).run()
    return 0
