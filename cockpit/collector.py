"""When Python's cyclic garbage collector may run.

The cockpit makes its objects in bursts that live on: a start-up imports the core and
Textual, loads the runbook and folds the journal (hundreds of thousands of objects, only
a few thousand of them cyclic garbage); a journal read makes an object per event; a
debrief builds a whole night. The collector, left to itself, rescans the growing heap in
the middle of each burst: measured in `cockpit run`, 35–45 ms of passes before the first
frame on a 13-step runbook and ~95 ms on a 1,000-step one. Each burst therefore runs with
the collector paused, and what a start-up made is set aside once the first frame is up.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the collector for a burst of allocation; it runs again afterwards if it ran
    before (nested pauses leave it to the outermost)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def start_up_over() -> None:
    """The first frame is up: set aside what the start-up made, and let the collector run.

    Frozen, the start-up's objects (modules, models, the folded night, the widgets) are
    never scanned again: each full pass over them took ~60 ms in the middle of a key
    press now and then. The few thousand cyclic leftovers of the start-up (~4,000 objects,
    measured) are frozen with them rather than paid for with a full pass now.
    """
    gc.freeze()
    gc.enable()
