"""Deterministic cockpits for Pilot and snapshot tests.

`build_cockpit(tmp_path)` opens a real `Session` on a journal with a fixed file name
(only the name is on screen) and a `ManualClock` frozen at a moment relative to the
runbook's window start, then wraps it in a `CockpitApp`. The screen reads the time from
`source.clock`, so the frozen clock is what every countdown and projection uses.

The `Cockpit` it returns can drive the session through commands *before* the app runs
(complete steps, pass a gate, raise a blocker, move the clock), and the scenario
functions below (`mid_cutover`, `blocker_with_time_left`, …) build the exact states the
snapshots and key tests start from. Nothing here sleeps or reads the wall clock.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal

from rich.console import Console
from rich.text import Text
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import OptionList, Static

from cockpit.core import commands as cmd
from cockpit.core import comms
from cockpit.core.clock import ManualClock
from cockpit.follow import Follower
from cockpit.journal.events import BaseEvent
from cockpit.journal.store import read_events
from cockpit.model.contacts import ContactCard
from cockpit.model.load import load_contact_card, load_runbook
from cockpit.model.runbook import Runbook
from cockpit.session import Outcome, Session
from cockpit.tui.app import CockpitApp
from cockpit.tui.widgets.text_view import TextView
from tests.checklist_helpers import tick_all

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
#: The bundled example: a UCaaS migration with a number port (13 steps, 3 gates).
UCAAS = REPO / "runbooks" / "ucaas-port-smb.toml"
UCAAS_CARD = REPO / "contact_cards" / "ucaas-port-smb.toml"
#: The small test runbook: 4 steps, one gate before the point of no return.
MINI = FIXTURES / "mini.toml"
MINI_CARD = FIXTURES / "mini-contacts.toml"
PLANS: dict[str, tuple[Path, Path]] = {"ucaas": (UCAAS, UCAAS_CARD), "mini": (MINI, MINI_CARD)}
Plan = Literal["ucaas", "mini"]

#: Only the file name is shown on screen, so it is fixed; the folder is the test's own.
JOURNAL_NAME = "cutover.journal"
OPERATOR = "dana"
#: The terminal the key tests run in.
SIZE = (120, 40)
#: Text typed into dialogs by the key tests and scenarios.
BLOCKER_WHAT = "Old trunk test call does not ring at the front desk"


@dataclass
class Cockpit:
    """A live session on a frozen clock, and the app that will show it."""

    session: Session
    clock: ManualClock
    runbook: Runbook
    journal_path: Path
    theme: str | None = None
    _app: CockpitApp | None = field(default=None, repr=False)

    # ---- the app -----------------------------------------------------------------------

    @property
    def app(self) -> CockpitApp:
        """The cockpit app on this session (made once, after any pre-driving)."""
        if self._app is None:
            if self.theme is None:
                self._app = CockpitApp(self.session)
            else:
                self._app = CockpitApp(self.session, theme=self.theme)
        return self._app

    def close(self) -> None:
        """Release the journal's writer lock."""
        self.session.close()

    # ---- reading the journal -------------------------------------------------------------

    def events(self) -> list[BaseEvent]:
        """Every event on disk, read through a separate read-only connection."""
        return list(read_events(self.journal_path))

    def types(self) -> list[str]:
        """The event types on disk, in order."""
        return [str(getattr(event, "type", "")) for event in self.events()]

    # ---- driving the session before (or while) the app runs ------------------------------

    def do(self, command: cmd.Command) -> Outcome:
        """Execute a command; fail loudly unless it was saved."""
        outcome = self.session.execute(command)
        assert outcome.ok, f"{type(command).__name__}: {outcome.kind}: {outcome.message}"
        return outcome

    def advance(self, minutes: float = 0, seconds: float = 0) -> None:
        """Move the frozen clock forwards."""
        self.clock.advance(minutes=minutes, seconds=seconds)

    def run_step(self, step_id: str, minutes: float | None = None) -> None:
        """Start a step, let `minutes` pass (default: its planned minutes), complete it."""
        step = self.runbook.step(step_id)
        confirm = step_id == self.runbook.ponr_step
        self.do(cmd.StartStep(step_id=step_id, confirm_ponr=confirm))
        self.advance(minutes=step.minutes if minutes is None else minutes)
        tick_all(self.do, self.session.state, "step", step_id)
        self.do(cmd.CompleteStep(step_id=step_id))

    def start_step(self, step_id: str) -> None:
        """Start a step (confirming the point of no return when it is that step)."""
        confirm = step_id == self.runbook.ponr_step
        self.do(cmd.StartStep(step_id=step_id, confirm_ponr=confirm))

    def mark(self, checkpoint_id: str, *marks: bool | None) -> None:
        """Mark criteria in order: True met, False not met, None left unmarked."""
        for index, met in enumerate(marks):
            if met is not None:
                self.do(cmd.MarkCriterion(checkpoint_id=checkpoint_id, index=index, met=met))

    def pass_gate(self, checkpoint_id: str) -> None:
        """Mark every criterion met and record a go."""
        count = len(self.runbook.checkpoint(checkpoint_id).criteria)
        self.mark(checkpoint_id, *([True] * count))
        self.do(cmd.DecideCheckpoint(checkpoint_id=checkpoint_id, decision="go", by=OPERATOR))

    def send_due_messages(self) -> None:
        """Mark every message due now as sent (what a tidy operator has done)."""
        for due in comms.due_messages(self.session.state, self.clock.now()):
            self.do(cmd.MarkMessageSent(message_id=due.message_id))

    def raise_blocker(self, what: str = BLOCKER_WHAT) -> None:
        """Raise a blocker: the escalation countdown starts now."""
        self.do(cmd.RaiseBlocker(what=what))

    def escalation_seconds(self) -> int:
        """The escalation rule of this runbook, in seconds."""
        return self.runbook.meta.escalation_minutes * 60


def build_cockpit(
    tmp_path: Path,
    plan: Plan = "ucaas",
    *,
    offset: timedelta = timedelta(0),
    mode: Literal["live", "rehearsal"] = "live",
    theme: str | None = None,
    with_card: bool = True,
    signed: bool = True,
    journal_name: str = JOURNAL_NAME,
) -> Cockpit:
    """A started cutover on `plan`, the clock frozen at window start + `offset`.

    Live mode keeps the plan at the runbook's window start, so every planned time on screen
    is the runbook's own; the journal is `tmp_path / journal_name` ("cutover.journal").
    `signed`: the checklist before the window is signed, as it is on a night that goes to
    plan (tests of that list pass False).
    """
    runbook_path, card_path = PLANS[plan]
    runbook = load_runbook(runbook_path)
    card: ContactCard | None = load_contact_card(card_path) if with_card else None
    clock = ManualClock(runbook.meta.window_start_utc + offset)
    journal_path = tmp_path / journal_name
    session = Session.open(
        journal_path,
        runbook,
        card,
        clock,
        mode=mode,
        operator=OPERATOR,
        runbook_path=runbook_path.name,
    )
    if signed and mode == "live":
        tick_all(session.execute, session.state, "pre_window")
    return Cockpit(session, clock, runbook, journal_path, theme)


class Cockpits:
    """A factory for a test's cockpits (`make("mini")`) that closes their journals."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path
        self.made: list[Cockpit] = []

    def __call__(self, plan: Plan = "ucaas", **options: Any) -> Cockpit:
        """Build one with `build_cockpit` (same options)."""
        cockpit = build_cockpit(self.tmp_path, plan, **options)
        self.made.append(cockpit)
        return cockpit

    def close(self) -> None:
        """Release every journal this factory opened."""
        for cockpit in self.made:
            cockpit.close()


# ---- scenarios: exact states for snapshots and key tests ---------------------------------


def mid_cutover(cockpit: Cockpit) -> Cockpit:
    """UCaaS at 01:34: pre-flight and snapshot done, go/no-go #1 open, 3 of 5 marked.

    Marks: #1 met, #2 met, #3 NOT met, #4 and #5 unmarked (all three looks at once).
    """
    cockpit.send_due_messages()  # the 72 h / 24 h notices and the window-start message
    cockpit.run_step("preflight", minutes=18)
    cockpit.run_step("snapshot-call-flows", minutes=14)
    cockpit.advance(minutes=1)
    cockpit.mark("gng-preflight", True, True, False)
    cockpit.advance(minutes=1)
    return cockpit


def blocker_with_time_left(cockpit: Cockpit, seconds_left: int = 12 * 60 + 34) -> Cockpit:
    """Mid-cutover, a blocker raised at 01:35, the clock moved so `seconds_left` remain."""
    mid_cutover(cockpit)
    cockpit.advance(minutes=1)
    cockpit.raise_blocker()
    cockpit.advance(seconds=cockpit.escalation_seconds() - seconds_left)
    return cockpit


def escalation_overdue(cockpit: Cockpit) -> Cockpit:
    """Mid-cutover, a blocker raised 30 minutes ago and nobody called: 00:00, CALL NOW."""
    return blocker_with_time_left(cockpit, seconds_left=0)


def ready_for_port(cockpit: Cockpit) -> Cockpit:
    """UCaaS at 02:01: everything before the port done, go/no-go #2 is a go."""
    cockpit.send_due_messages()
    cockpit.run_step("preflight", minutes=18)
    cockpit.run_step("snapshot-call-flows", minutes=14)
    cockpit.pass_gate("gng-preflight")
    cockpit.send_due_messages()  # go-preflight
    cockpit.run_step("assign-numbers", minutes=11)
    cockpit.run_step("carrier-bridge", minutes=16)
    cockpit.pass_gate("gng-port")
    cockpit.send_due_messages()  # go-port
    cockpit.advance(minutes=2)
    return cockpit


def past_ponr(cockpit: Cockpit) -> Cockpit:
    """UCaaS at 02:08: the port activation started at 02:01 (the PONR is crossed)."""
    ready_for_port(cockpit)
    cockpit.start_step("port-activation")
    cockpit.advance(minutes=7)
    return cockpit


def mini_switch_running(cockpit: Cockpit) -> Cockpit:
    """Mini at 02:22: prep and snapshot done, the gate passed, the switch (PONR) running."""
    cockpit.send_due_messages()
    cockpit.run_step("prep", minutes=10)
    cockpit.run_step("snapshot", minutes=10)
    cockpit.pass_gate("gate")
    cockpit.start_step("switch")
    cockpit.advance(minutes=2)
    return cockpit


def rollback_under_way(cockpit: Cockpit, undone: int = 1) -> Cockpit:
    """Mini: rolled back from the running switch at 02:25; `undone` undo steps done."""
    mini_switch_running(cockpit)
    cockpit.advance(minutes=3)
    cockpit.do(cmd.StartRollback(reason="carrier cannot activate the port tonight"))
    cockpit.send_due_messages()  # rollback-started (mini has none; harmless)
    state = cockpit.session.state
    assert state.rollback is not None
    for step_id in state.rollback.steps[:undone]:
        cockpit.advance(minutes=4)
        cockpit.do(cmd.MarkRollbackStep(step_id=step_id))
    cockpit.advance(minutes=1)
    return cockpit


# ---- reading the screen --------------------------------------------------------------------


def text_of(widget: Widget) -> str:
    """The plain text a widget renders right now (tables and groups included)."""
    content = getattr(widget, "content", None)
    if content is not None and not isinstance(content, str | Text):
        console = Console(width=200, file=io.StringIO(), record=True, color_system=None)
        console.print(content)
        return console.export_text()
    return str(widget.render())


def panel_text(app: CockpitApp, selector: str) -> str:
    """All the Static text inside a panel of the active screen, joined by newlines."""
    root = app.screen.query_one(selector)
    parts = [text_of(root)] if isinstance(root, Static) else []
    parts += [root.plain] if isinstance(root, TextView) else []
    parts += [text_of(child) for child in root.query(Static)]
    return "\n".join(parts)


def timeline_rows(app: CockpitApp) -> list[str]:
    """The timeline's rows as plain text."""
    timeline = app.screen.query_one("#timeline", OptionList)
    return [str(timeline.get_option_at_index(i).prompt) for i in range(timeline.option_count)]


def timeline_row(app: CockpitApp, option_id: str) -> str:
    """One timeline row (by step id, `cp:<id>`, `ponr` or `rb:<id>`) as plain text."""
    timeline = app.screen.query_one("#timeline", OptionList)
    return str(timeline.get_option(option_id).prompt)


def follower_for(cockpit: Cockpit) -> Follower:
    """A read-only follower on the cockpit's journal, on the same frozen clock."""
    return Follower(cockpit.journal_path, cockpit.clock)


def run_pilot(
    app: CockpitApp,
    scenario: Callable[[Pilot[Any]], Awaitable[None]],
    size: tuple[int, int] = SIZE,
) -> None:
    """Run `scenario` against `app` headless (no async test plugin needed)."""

    async def main() -> None:
        async with app.run_test(size=size, notifications=True) as pilot:
            await pilot.pause()
            await scenario(pilot)

    asyncio.run(main())
