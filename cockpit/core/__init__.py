"""The cutover core: commands, decide, evolve/fold and the derived views.

Never imports Textual: the same core runs the live cockpit, follow, replay, debrief and
the tests (checked by tests/test_import_hygiene.py).
"""

from .clock import Clock, ManualClock, SystemClock
from .commands import Command, Refusal
from .decide import decide
from .evolve import FoldError, evolve, fold
from .state import CutoverState

__all__ = [
    "Clock",
    "Command",
    "CutoverState",
    "FoldError",
    "ManualClock",
    "Refusal",
    "SystemClock",
    "decide",
    "evolve",
    "fold",
]
