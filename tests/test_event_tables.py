"""Every event type is handled everywhere it must be, and an undeclared one is an error.

An event is read by four dispatchers: the fold applies it, the log describes it, the
debrief walks it and replay marks it. Describing and marking are declared on the event
class (`cockpit.journal.events`); applying and walking are tables keyed by the class in
their own layers. These tests walk every type of the `Event` union through all of them,
name the table that lacks one, and check that a type nobody declared is refused loudly
instead of being passed over.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from datetime import tzinfo
from pathlib import Path
from typing import ClassVar, Literal, get_args

import pytest
from pydantic import ValidationError

from cockpit.core.evolve import HANDLERS, apply, evolve, fold
from cockpit.journal import events as ev
from cockpit.journal.describe import readable_lines
from cockpit.journal.store import read_events
from cockpit.report.debrief import build_debrief, walk
from cockpit.tui.widgets import scrubber

from .journal_helpers import script_cutover

#: The tables keyed by event class, by the name a failure shows.
TABLES: dict[str, dict[type[ev.BaseEvent], object]] = {
    "cockpit.core.evolve.HANDLERS": dict(HANDLERS),
    "cockpit.report.debrief.walk.TAKERS": dict(walk.TAKERS),
}


def test_the_union_holds_every_event_class_of_the_module() -> None:
    """A class left out of `Event` could never be read back from a journal."""
    defined = {cls for cls in ev.BaseEvent.__subclasses__() if cls.__module__ == ev.__name__}
    assert defined == set(ev.EVENT_CLASSES)
    tags = [cls.model_fields["type"].default for cls in ev.EVENT_CLASSES]
    assert len(tags) == len(set(tags)) and set(tags) == ev.EVENT_TYPES


@pytest.mark.parametrize("event_class", ev.EVENT_CLASSES, ids=lambda cls: cls.__name__)
def test_every_event_type_is_in_every_table(event_class: type[ev.BaseEvent]) -> None:
    missing = [name for name, table in TABLES.items() if event_class not in table]
    assert not missing, f"{event_class.__name__} has no entry in {', '.join(missing)}"
    # Declared on the class itself, never inherited: its words and its marker.
    assert "describe" in event_class.__dict__ and "marker" in event_class.__dict__
    assert event_class.marker is None or event_class.marker in get_args(ev.MarkerKind)


def test_every_table_lists_only_event_types_of_the_union() -> None:
    """A stale entry (an event type renamed or removed) is as wrong as a missing one."""
    for name, table in TABLES.items():
        assert set(table) == set(ev.EVENT_CLASSES), name


def test_every_marker_kind_has_a_glyph_and_some_event_uses_it() -> None:
    kinds = set(get_args(ev.MarkerKind))
    assert set(scrubber.MARKERS) == kinds
    assert {cls.marker for cls in ev.EVENT_CLASSES} - {None} == kinds
    glyphs = [glyph for glyph, _ in scrubber.MARKERS.values()]
    assert len(glyphs) == len(set(glyphs)), "two kinds of marker would look the same"


# ---- an event type nobody declared ------------------------------------------------------------


def test_an_event_type_without_its_words_or_marker_cannot_be_defined() -> None:
    with pytest.raises(TypeError, match="must declare describe and marker"):

        class Mute(ev.BaseEvent):
            type: Literal["mute"] = "mute"

    with pytest.raises(TypeError, match="must declare marker"):

        class Unmarked(ev.BaseEvent):
            type: Literal["unmarked"] = "unmarked"

            def describe(self, zone: tzinfo) -> str:
                return ""

    gc.collect()  # the half-made classes leave BaseEvent.__subclasses__()


@pytest.fixture
def stray() -> Iterator[type[ev.BaseEvent]]:
    """A complete event type (words, marker) that no table and no union lists: what a new
    event looks like before its entries are written."""

    class Stray(ev.BaseEvent):
        type: Literal["stray"] = "stray"
        marker: ClassVar[ev.MarkerKind | None] = "note"
        what: str

        def describe(self, zone: tzinfo) -> str:
            return self.what

    yield Stray
    del Stray
    gc.collect()


@pytest.fixture
def night(tmp_path: Path) -> list[ev.BaseEvent]:
    """A scripted night's events, as the cockpit wrote them."""
    return list(script_cutover(tmp_path / "night.journal"))


def test_an_undeclared_event_type_is_an_error_to_apply_and_to_walk(
    stray: type[ev.BaseEvent], night: list[ev.BaseEvent], tmp_path: Path
) -> None:
    last = night[-1]
    event = stray.model_validate(
        {"seq": last.seq + 1, "at": last.at, "event_id": "stray-1", "what": "lost"}
    )
    state = fold(night)
    with pytest.raises(ev.UnknownEventType, match=r"evolve\.HANDLERS does not handle Stray"):
        apply(state.copy(), event)
    with pytest.raises(ev.UnknownEventType):
        evolve(state, event)
    with pytest.raises(ev.UnknownEventType, match="TAKERS does not handle Stray"):
        walk.Walk([*night, event], state)
    with pytest.raises(ev.UnknownEventType):
        build_debrief([*night, event])
    # Its words are its own, so the log can say it; a journal can never hold it.
    assert readable_lines([*night, event])[-1].split()[2:] == ["stray", "lost"]
    with pytest.raises(ValidationError):
        ev.event_from_json(ev.event_to_json(event))


def test_a_declared_event_type_is_applied_described_walked_and_marked(
    night: list[ev.BaseEvent], tmp_path: Path
) -> None:
    """The tables do something with what they list: every event moves the fold on, has
    words in the log, and the debrief walks the whole night."""
    events = read_events(tmp_path / "night.journal")
    state = fold(events)
    assert state.last_seq == events[-1].seq
    lines = [line for line in readable_lines(events) if line.startswith("#")]
    assert len(lines) == len(events)
    debrief = build_debrief(events)
    assert debrief.summary.last_seq == events[-1].seq
