"""What the cockpit looks like, state by state, compared byte for byte with stored SVGs.

Deterministic by construction: every state is driven through a real `Session` on a
frozen `ManualClock` before the app starts, the journal file name is fixed (only the name
is shown), no snapshot has an Input open (no cursor blink), and no running step is past
twice its time (which would raise a timed "In trouble?" notification).

Regenerate after a deliberate change with
`python -m pytest tests/test_tui_snapshots.py --snapshot-update`, then look at each SVG.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from cockpit.core import commands as cmd
from cockpit.tui.app import CockpitApp
from tests.tui_helpers import (
    SIZE,
    Cockpits,
    blocker_with_time_left,
    escalation_overdue,
    follower_for,
    mid_cutover,
    past_ponr,
    ready_for_port,
    rollback_under_way,
)

SnapCompare = Callable[..., bool]


#: The three sizes each main state is designed for (issue 13): a laptop's 80×24, the usual
#: 120×40, and a big monitor's 200×60.
SIZES = pytest.mark.parametrize(
    "size", [(80, 24), (120, 40), (200, 60)], ids=["80x24", "120x40", "200x60"]
)


# ---- the main states, at every size -------------------------------------------------------


@SIZES
def test_fresh_start(snap_compare: SnapCompare, make: Cockpits, size: tuple[int, int]) -> None:
    """00:55, five minutes before the window: the first step first, its due notices on one
    line above it."""
    cockpit = make(offset=timedelta(minutes=-5))
    assert snap_compare(cockpit.app, terminal_size=size)


@SIZES
def test_running_step_with_ticked_items(
    snap_compare: SnapCompare, make: Cockpits, size: tuple[int, int]
) -> None:
    """01:12: the pre-flight running, three of its five verify items ticked (with their
    times), a note on the record."""
    cockpit = make()
    cockpit.send_due_messages()
    cockpit.start_step("preflight")
    for index in range(3):
        cockpit.advance(minutes=3)
        cockpit.do(cmd.TickItem(checklist="step", step_id="preflight", index=index))
    cockpit.do(cmd.AddNote(text="Carrier NOC confirmed the FOC window by phone"))
    cockpit.advance(minutes=3)
    assert snap_compare(cockpit.app, terminal_size=size)


@SIZES
def test_browsed_finished_step_with_its_record(
    snap_compare: SnapCompare, make: Cockpits, size: tuple[int, int]
) -> None:
    """Mid-cutover, the arrows on the snapshot step: what happened to it, before its plan."""
    cockpit = mid_cutover(make())
    assert snap_compare(cockpit.app, terminal_size=size, press=["up"])


@SIZES
def test_blocker_with_12_34_left(
    snap_compare: SnapCompare, make: Cockpits, size: tuple[int, int]
) -> None:
    """A blocker raised at 01:35; at 01:52:26 the escalation timer reads 12:34."""
    cockpit = blocker_with_time_left(make())
    assert snap_compare(cockpit.app, terminal_size=size)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
def test_escalation_overdue(
    snap_compare: SnapCompare, make: Cockpits, size: tuple[int, int]
) -> None:
    """30 minutes after the blocker and nobody called: 00:00 and CALL … NOW (the loudest
    state, so also at the smallest supported size)."""
    cockpit = escalation_overdue(make())
    assert snap_compare(cockpit.app, terminal_size=size)


@SIZES
def test_rollback_under_way(
    snap_compare: SnapCompare, make: Cockpits, size: tuple[int, int]
) -> None:
    """Mini runbook: rolled back from the running switch, the first of two undos done."""
    cockpit = rollback_under_way(make("mini"), undone=1)
    assert snap_compare(cockpit.app, terminal_size=size)


def test_past_the_point_of_no_return(snap_compare: SnapCompare, make: Cockpits) -> None:
    """02:08: the port activation has run 7 minutes; the rollback pane shows the fix."""
    cockpit = past_ponr(make())
    assert snap_compare(cockpit.app, terminal_size=SIZE)


def test_confirm_crossing_the_point_of_no_return(snap_compare: SnapCompare, make: Cockpits) -> None:
    """Space on the port activation: the dialog that states the consequence."""
    cockpit = ready_for_port(make())
    assert snap_compare(cockpit.app, terminal_size=SIZE, press=["space"])


def test_following_read_only(snap_compare: SnapCompare, make: Cockpits) -> None:
    """The same mid-cutover state seen by `cockpit follow`: no writing keys, no hints."""
    cockpit = mid_cutover(make())
    follower = follower_for(cockpit)
    try:
        assert snap_compare(CockpitApp(follower), terminal_size=SIZE)
    finally:
        follower.close()


@SIZES
def test_follower_whose_writer_is_gone(
    snap_compare: SnapCompare, make: Cockpits, size: tuple[int, int]
) -> None:
    """`cockpit follow` on a night whose writer died without a clean quit (its lock is
    free, its last event is not the quit), looked at two minutes after that event."""
    cockpit = mid_cutover(make())
    cockpit.do(cmd.AddNote(text="Carrier NOC says the FOC holds"))
    cockpit.session.close()  # a kill: nothing more is written, the lock is released
    cockpit.advance(minutes=2)
    follower = follower_for(cockpit)
    try:
        follower.poll()  # the screen polls twice a second: one look finds the writer gone
        assert snap_compare(CockpitApp(follower), terminal_size=size)
    finally:
        follower.close()


# ---- one state at every size, and in a light theme ----------------------------------------


@SIZES
def test_mid_cutover_open_checkpoint(
    snap_compare: SnapCompare, make: Cockpits, size: tuple[int, int]
) -> None:
    """01:34: two steps done, go/no-go #1 open with #1, #2 met, #3 NOT met, #4, #5 unmarked."""
    cockpit = mid_cutover(make())
    assert snap_compare(cockpit.app, terminal_size=size)


def test_mid_cutover_light_theme(snap_compare: SnapCompare, make: Cockpits) -> None:
    """The cockpit's own colours are derived from any theme, a light one included."""
    cockpit = mid_cutover(make(theme="textual-light"))
    assert snap_compare(cockpit.app, terminal_size=SIZE)
