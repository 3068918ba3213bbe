"""The communication plan at a moment: which messages are due, and their text.

A trigger's moment is measured against the plan in force (`schedule.window`: a
rehearsal's or a moved window's rebaselined start, not the file's window). Two rules keep
the screen from showing what the DE cannot or need not send: a `delay` trigger stops once
the cutover has ended or a rollback has started (`delay_can_fire`), and a rehearsal does
not make the notices of the days before the window due (`before_rehearsal`). The debrief
asks the same functions, so it never reports as missed what the screen never showed.

Message texts use `{placeholders}` (see `MESSAGE_PLACEHOLDERS`); rendering substitutes
known names only — no attribute access, no format specs — so a runbook cannot make the
cockpit evaluate anything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property

from cockpit.model import runbook as rb
from cockpit.text import clock_time, date_time

from . import schedule
from .state import CutoverState

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


@dataclass(frozen=True, slots=True)
class DueMessage:
    """A message whose trigger has fired and that has not been sent."""

    message_id: str
    audience: tuple[str, ...]
    trigger: str
    text: str
    since: datetime | None


def local(state: CutoverState, moment: datetime) -> datetime:
    """A UTC moment in the runbook's time zone."""
    assert state.runbook is not None
    return moment.astimezone(state.runbook.meta.zone)


def hhmm(state: CutoverState, moment: datetime) -> str:
    """A moment as local HH:MM (`cockpit.text.clock_time`: the repeated hour of a
    fall-back night carries its zone)."""
    assert state.runbook is not None
    return clock_time(moment, state.runbook.meta.zone)


def describe_trigger(trigger: rb.Trigger, plan: rb.Runbook | None = None) -> str:
    """When a message goes out, in words: the same words on the screen, in the debrief's
    table and on the paper copy, so the night and its record agree.

    The screen and the debrief name checkpoints and steps by id (the plan is on screen
    beside them). Given the `plan`, for paper, which has nothing to look anything up in,
    they are named by title and the times are written out (in the runbook's zone, the
    repeated hour of a fall-back night named).
    """
    match trigger:
        case rb.BeforeWindow(hours=hours):
            words = f"{hours} h before the window"
            if plan is None:
                return words
            when = plan.meta.window_start_utc - timedelta(hours=hours)
            return f"{words} ({date_time(when, plan.meta.zone)})"
        case rb.WindowStart():
            if plan is None:
                return "window start"
            return f"window start ({clock_time(plan.meta.window_start_utc, plan.meta.zone)})"
        case rb.CheckpointGo(checkpoint=checkpoint):
            name = checkpoint if plan is None else f"'{plan.checkpoint(checkpoint).title}'"
            return f"go on {name}"
        case rb.Delay(minutes=minutes):
            words = f"delay past {minutes} min"
            return words if plan is None else f"{words}: the projected finish slips past the plan"
        case rb.StepCompleted(step=step):
            name = step if plan is None else f"'{plan.step(step).title}'"
            return f"{name} completed"
        case rb.RollbackStarted():
            return "rollback started"
        case rb.RollbackCompleted():
            return "rollback completed"
        case rb.Completed():
            return "cutover completed"
    return "?"


class _Moment:
    """What every message at one moment shares, each computed at most once.

    The projection walks every step; a communication plan has a handful of messages, and
    rendering each must not walk the plan again.
    """

    def __init__(self, state: CutoverState, now: datetime) -> None:
        assert state.runbook is not None
        self.state = state
        self.now = now
        self.window = schedule.window(state)

    @cached_property
    def finish(self) -> datetime:
        """The projected finish."""
        return schedule.projected_finish(self.state, self.now)

    @cached_property
    def slip(self) -> float:
        """Minutes the projected finish is past the planned finish."""
        return schedule.slip_minutes(self.state, self.now, self.finish)

    @cached_property
    def values(self) -> dict[str, str]:
        """The placeholders' values."""
        state, now, win = self.state, self.now, self.window
        assert state.runbook is not None
        meta = state.runbook.meta
        current = state.current_step
        step = schedule.plan_index(state.runbook).steps[current] if current else None
        return {
            "title": meta.title,
            "customer": meta.customer,
            "window": f"{hhmm(state, win.start)}–{hhmm(state, win.end)} {meta.timezone}",
            "window_start": f"{local(state, win.start):%a %d %b} {hhmm(state, win.start)}",
            "window_end": f"{local(state, win.end):%a %d %b} {hhmm(state, win.end)}",
            "now": hhmm(state, now),
            "projected_finish": hhmm(state, self.finish),
            "delay_minutes": f"{max(self.slip, 0):.0f}",
            "operator": state.operator,
            "step": step.title if step is not None else "",
            "checkpoint": "",
            "reason": state.rollback.reason if state.rollback is not None else "",
        }


def fired_at(state: CutoverState, trigger: rb.Trigger, now: datetime) -> datetime | None:
    """When the trigger fired, or None if it has not (yet)."""
    return _fired_at(_Moment(state, now), trigger)


def delay_can_fire(state: CutoverState) -> bool:
    """Whether a `delay` trigger counts: not once the cutover has ended or a rollback has
    started (there is no finish left to slip)."""
    return not state.ended and state.rollback is None


def before_rehearsal(state: CutoverState, trigger: rb.Trigger) -> bool:
    """A notice due before a rehearsal began: a rehearsal's plan starts when it is run, so
    "72 h before the window" fell before the journal was opened. A rehearsal rehearses the
    night, not the notices of the days before, so such a message is never due in one."""
    if state.mode != "rehearsal" or state.started_at is None:
        return False
    if not isinstance(trigger, rb.BeforeWindow):
        return False
    return schedule.window(state).start - timedelta(hours=trigger.hours) < state.started_at


def _fired_at(moment: _Moment, trigger: rb.Trigger) -> datetime | None:
    state, now, win = moment.state, moment.now, moment.window
    match trigger:
        case rb.BeforeWindow(hours=hours):
            if before_rehearsal(state, trigger):
                return None
            at = win.start - timedelta(hours=hours)
            return at if now >= at else None
        case rb.WindowStart():
            return win.start if now >= win.start else None
        case rb.CheckpointGo(checkpoint=checkpoint):
            cp = state.checkpoints.get(checkpoint)
            return cp.decided_at if cp is not None and cp.decision == "go" else None
        case rb.Delay(minutes=minutes):
            if not delay_can_fire(state):
                return None
            return now if moment.slip >= minutes else None
        case rb.StepCompleted(step=step):
            step_state = state.steps.get(step)
            ok = step_state is not None and step_state.status == "completed"
            return step_state.ended_at if ok and step_state is not None else None
        case rb.RollbackStarted():
            return state.rollback.started_at if state.rollback is not None else None
        # The two end messages fire at the end and stay due until marked sent: marking a
        # message sent is open after the end.
        case rb.RollbackCompleted():
            rollback = state.rollback
            return rollback.completed_at if rollback is not None else None
        case rb.Completed():
            done = state.ended and state.outcome in ("successful", "successful_with_issues")
            return state.ended_at if done else None
    return None


def render(state: CutoverState, text: str, now: datetime, **extra: str) -> str:
    """Fill a message's placeholders from the state."""
    return _render(_Moment(state, now), text, extra)


def _render(moment: _Moment, text: str, extra: dict[str, str]) -> str:
    values = moment.values | extra if extra else moment.values
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def due_messages(state: CutoverState, now: datetime) -> list[DueMessage]:
    """Messages whose trigger has fired and that are not marked sent, in plan order."""
    assert state.runbook is not None
    moment = _Moment(state, now)
    due: list[DueMessage] = []
    for message in state.runbook.communications.messages:
        if message.id in state.messages_sent:
            continue
        since = _fired_at(moment, message.trigger)
        if since is None:
            continue
        due.append(
            DueMessage(
                message_id=message.id,
                audience=tuple(message.audience),
                trigger=describe_trigger(message.trigger),
                text=_render(moment, message.text, {}),
                since=since,
            )
        )
    return due
