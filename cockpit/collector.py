"""When Python's cyclic garbage collector may run.

The cockpit makes its objects in bursts that live on: a start-up imports the core and
Textual, loads the runbook and folds the journal (hundreds of thousands of objects, only
a few thousand of them cyclic garbage); a journal read makes an object per event; a
debrief builds a whole night. The collector, left to itself, rescans the growing heap in
the middle of each burst: measured in `cockpit run`, 35–45 ms of passes before the first
frame on a 13-step runbook and ~95 ms on a 1,000-step one. Each burst therefore runs with
the collector paused, and what a start-up made is set aside once the first frame is up;
from then on the cockpit collects between keys (`BetweenKeys`).
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


#: Seconds between the cockpit's collections, and how many of those make a full one.
COLLECT_EVERY = 1.0
FULL_EVERY = 60


class BetweenKeys:
    """The cockpit's collector: it runs between keys, never inside one.

    Left to itself, the collector runs when enough new objects have survived, and a key
    makes many that do (Textual's caches of drawn lines): measured over 400 arrows, a young
    pass on most keys and a middle one (1.4 ms, up to 2 ms) on one key in eight, inside
    the key's frame. Here it runs on a timer instead: the young and middle generations
    every second, everything once a minute (cyclic garbage promoted by then is freed, so
    a long night does not grow). A timer fires between messages, so a key waits for a
    pass only when it lands in the millisecond one takes.
    """

    def __init__(self) -> None:
        self.passes = 0

    def start_up_over(self) -> None:
        """The first frame is up: set aside what the start-up made; from now on the
        collector runs from `collect`.

        Frozen, the start-up's objects (modules, models, the folded night, the widgets)
        are never scanned again: each full pass over them took ~60 ms. The few thousand
        cyclic leftovers of the start-up (~4,000 objects, measured) are frozen with them
        rather than paid for with a full pass now.
        """
        gc.disable()
        gc.freeze()

    def collect(self) -> None:
        """A pass, between keys: the young generations, or every generation now and then."""
        self.passes += 1
        gc.collect(2 if self.passes % FULL_EVERY == 0 else 1)

    def done(self) -> None:
        """The cockpit has closed: the collector runs by itself again."""
        gc.enable()
