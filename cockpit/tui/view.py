"""What every panel renders from: the folded state, the moment, and how we are watching.

Panels receive a `CockpitView` and draw it; they hold no truth of their own. Building the
view is cheap (no I/O), so the screen rebuilds it every second and after every event.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import Literal

from cockpit.core import comms, schedule
from cockpit.core.escalation import EscalationView, escalation_view
from cockpit.core.source import WriterStatus
from cockpit.core.state import CutoverState
from cockpit.text import clock_time
from cockpit.tui.actions import DEFAULT_KEYS, KeysInForce

Watch = Literal["live", "follow", "replay"]


@dataclass(frozen=True, eq=False)
class CockpitView:
    """One frame of the cockpit.

    What several panels need (step timings, messages due) is computed once per frame and
    cached on the view, not once per panel.
    """

    state: CutoverState
    now: datetime
    watch: Watch
    journal_path: Path
    save_error: str | None = None
    selected_step: str | None = None
    share_mode: bool = False
    notice: str = ""
    #: The key in force for each action (after the user's keymap): what hints say.
    keys: KeysInForce = field(default_factory=lambda: DEFAULT_KEYS, repr=False, compare=False)
    #: Secrets being shown right now (name → value), for 15 seconds after a reveal.
    #: Memory only: never journaled, never written.
    revealed: dict[str, str] = field(default_factory=dict, repr=False)
    #: Following: the writer's state at the follower's last poll (None otherwise).
    writer: WriterStatus | None = None
    #: The journal position the view was made at: the state is the session's own object,
    #: changed in place by each event, so a view of an older position must not be reused.
    seq: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        object.__setattr__(self, "seq", self.state.last_seq)

    @cached_property
    def timings(self) -> schedule.Timings:
        """Planned against actual for every step, by step id, at this moment.

        Lazy: each step's timing is computed when a panel first asks for it, so a frame
        on a 1,000-step runbook pays only for the steps it draws anew.
        """
        return schedule.Timings(self.state, self.now)

    @cached_property
    def due(self) -> list[comms.DueMessage]:
        """Messages due now (none when following or replaying: nobody can send them)."""
        return [] if self.read_only else comms.due_messages(self.state, self.now)

    @cached_property
    def escalation(self) -> EscalationView:
        """The escalation timer at this moment (the panel draws it, the screen rings)."""
        return escalation_view(self.state, self.now)

    @cached_property
    def current_step(self) -> str | None:
        """The step the operator works on (the state walks every step to answer)."""
        return self.state.current_step

    @cached_property
    def open_checkpoint(self) -> str | None:
        """The checkpoint gating the current step while it has no go yet."""
        return self.state.open_checkpoint

    @cached_property
    def window(self) -> schedule.Window:
        """The maintenance window in force."""
        return schedule.window(self.state)

    @cached_property
    def projected_finish(self) -> datetime:
        """When the last step will end at the planned pace from now."""
        return schedule.projected_finish(self.state, self.now)

    def browsing(self, step_id: str | None) -> CockpitView:
        """This moment with another step browsed (the state still at `seq`), keeping
        what was worked out for the moment: the arrows change only the step shown, and on
        1,000 steps the timings, the messages due and the current step cost a millisecond
        per arrow to redo. (No cached property depends on the step browsed; one that did
        would have to be left out here.)
        """
        view = replace(self, selected_step=step_id)
        view.__dict__.update(
            (name, value)
            for name, value in self.__dict__.items()
            if isinstance(getattr(CockpitView, name, None), cached_property)
        )
        return view

    @property
    def read_only(self) -> bool:
        """Following or replaying: no key changes the journal."""
        return self.watch != "live"

    def local(self, moment: datetime) -> datetime:
        """A UTC moment in the runbook's time zone."""
        assert self.state.runbook is not None
        return moment.astimezone(self.state.runbook.meta.zone)

    def hhmm(self, moment: datetime | None) -> str:
        """Local HH:MM, or a dash."""
        assert self.state.runbook is not None
        return clock_time(moment, self.state.runbook.meta.zone) if moment is not None else "—"
