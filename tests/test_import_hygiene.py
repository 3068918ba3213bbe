"""The core never imports Textual (nor the TUI): checked in a fresh interpreter.

"The core" is every module of the package except the screen (`cockpit.tui`) and the
command line (`cockpit.cli`, which starts the screen for `run`, `follow` and `replay`):
the models, the journal, decide/evolve/fold, readiness, the reports, the session, follow,
replay, the importers, secrets, settings, text, files and errors. The list is walked
from the package, not written by hand, so a new module is checked the day it is added.
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import cockpit

#: The only parts of the package allowed to import Textual.
OUTSIDE_THE_CORE = ("cockpit.tui", "cockpit.cli", "cockpit.__main__")


def core_modules() -> list[str]:
    """Every module of the package below the screen, found by walking it."""
    names = [
        module.name
        for module in pkgutil.walk_packages(cockpit.__path__, prefix="cockpit.")
        if not module.name.startswith(OUTSIDE_THE_CORE)
    ]
    return ["cockpit", *sorted(names)]


def test_the_walk_finds_the_core() -> None:
    modules = core_modules()
    # Modules a hand-written list once missed, and one of each part.
    for name in (
        "cockpit.model.crosscheck",
        "cockpit.bundled",
        "cockpit.core.source",
        "cockpit.journal.store",
        "cockpit.readiness.review",
        "cockpit.importers.csv_import",
        "cockpit.session",
    ):
        assert name in modules
    assert not [name for name in modules if name.startswith(OUTSIDE_THE_CORE)]


def test_core_does_not_import_textual() -> None:
    # One interpreter, each module imported in turn and the culprit named at once.
    code = (
        "import importlib, sys\n"
        "prefixes = ('textual.', 'cockpit.tui')\n"
        f"for name in {core_modules()!r}:\n"
        "    importlib.import_module(name)\n"
        "    bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith(prefixes))\n"
        "    if bad:\n"
        "        print(name, 'pulled in', ','.join(bad))\n"
        "        break\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "", f"the core pulled in Textual: {result.stdout.strip()}"
