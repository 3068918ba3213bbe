"""Communications that tell the truth (issue 12, item 5).

The screen's due list and the debrief's message table must agree, and the debrief may
blame the DE ("NEVER SENT", "put it on the printed checklist") only for a message that was
due while the cockpit showed it and could mark it sent:

* a rehearsal measures a delay against its own plan (the one that starts when it is run),
  never against the file's window — even when that window's date has passed;
* a rehearsal does not make the notices of the days before the window due;
* the completion messages fire at the end and are sent after it: unsent, they are said
  plainly, not blamed;
* a message really due during the night and never sent is still NEVER SENT.

Nights are driven through the real core (`decide` then `evolve`), at local wall times, on
the mini runbook without its tick lists (they are not what these tests are about) and with
a fuller communication plan.
"""

from __future__ import annotations

import tomllib
from datetime import datetime, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from cockpit.core import commands as cmd
from cockpit.core import comms
from cockpit.core.decide import decide
from cockpit.core.evolve import evolve
from cockpit.core.state import CutoverState
from cockpit.journal.events import BaseEvent
from cockpit.model.runbook import Runbook
from cockpit.report.debrief import Debrief, MessageRow, build_debrief
from cockpit.report.debrief.markdown import render_markdown
from tests.journal_helpers import MINI, start_command

ZONE = ZoneInfo("America/Chicago")
#: The mini runbook's window is 02:00–03:00 on this day (local); its plan is 55 minutes.
WINDOW_DAY = (2026, 11, 24)

MESSAGES: list[dict[str, Any]] = [
    {
        "id": "notice",
        "audience": ["customer"],
        "trigger": {"kind": "before_window", "hours": 72},
        "text": "Maintenance {window_start}.",
    },
    {
        "id": "start",
        "audience": ["customer"],
        "trigger": {"kind": "window_start"},
        "text": "Starting.",
    },
    {
        "id": "late",
        "audience": ["customer"],
        "trigger": {"kind": "delay", "minutes": 15},
        "text": "{delay_minutes} minutes late.",
    },
    {
        "id": "done",
        "audience": ["customer"],
        "trigger": {"kind": "completed"},
        "text": "Done.",
    },
    {
        "id": "undone",
        "audience": ["customer"],
        "trigger": {"kind": "rollback_completed"},
        "text": "Rolled back.",
    },
]


def runbook() -> Runbook:
    """The mini runbook with no tick lists, and a before-window notice and the two end
    messages in its communication plan."""
    data = tomllib.loads(MINI.read_text(encoding="utf-8"))
    data.pop("verification", None)
    for step in data["steps"]:
        step.pop("verify", None)
    data["communications"]["messages"] = MESSAGES
    return Runbook.model_validate(data)


class Night:
    """A cutover driven through decide and evolve, with a clock set by local wall time."""

    def __init__(
        self,
        day: tuple[int, int, int],
        opened: str,
        mode: Literal["live", "rehearsal"] = "live",
        *,
        rebaseline: bool = False,
    ) -> None:
        self.day = day
        self.state = CutoverState()
        self.events: list[BaseEvent] = []
        self.now = self._moment(opened)
        self.do(start_command(runbook(), None, mode=mode))
        if mode == "rehearsal" or rebaseline:  # as `cockpit run` opens one (session.py)
            self.do(cmd.Rebaseline(plan_start=self.now, reason="the plan starts now"))

    def _moment(self, hhmm: str) -> datetime:
        hour, minute = (int(part) for part in hhmm.split(":"))
        return datetime(*self.day, tzinfo=ZONE) + timedelta(hours=hour, minutes=minute)

    def at(self, hhmm: str) -> Night:
        """Set the clock to HH:MM local time on the night's day (24:10 is the next day)."""
        self.now = self._moment(hhmm)
        return self

    def do(self, command: cmd.Command) -> Night:
        """Carry out a command; a refusal fails the test."""
        result = decide(self.state, command, self.now)
        assert not isinstance(result, cmd.Refusal), f"{command!r} refused: {result.reason}"
        for event in result:
            self.state = evolve(self.state, event)
        self.events.extend(result)
        return self

    def step(self, step_id: str, start: str, end: str) -> Night:
        """Start a step at `start`, complete it at `end`."""
        confirm = step_id == "switch"
        self.at(start).do(cmd.StartStep(step_id=step_id, confirm_ponr=confirm))
        return self.at(end).do(cmd.CompleteStep(step_id=step_id))

    def gate_go(self, hhmm: str) -> Night:
        """Both criteria met and a go on the gate."""
        self.at(hhmm)
        for index in range(2):
            self.do(cmd.MarkCriterion(checkpoint_id="gate", index=index, met=True))
        return self.do(cmd.DecideCheckpoint(checkpoint_id="gate", decision="go", by="Dana"))

    def run_ahead(self, start: str) -> Night:
        """Every step done faster than planned (the plan is 55 minutes: this takes 20)."""
        hour, minute = (int(part) for part in start.split(":"))

        def later(minutes: int) -> str:
            total = hour * 60 + minute + minutes
            return f"{total // 60:02d}:{total % 60:02d}"

        self.step("prep", later(0), later(4))
        self.step("snapshot", later(4), later(8))
        self.gate_go(later(8))
        self.step("switch", later(9), later(15))
        return self.step("test", later(15), later(20))

    def due(self) -> list[str]:
        """The ids the screen lists as due now."""
        return [message.message_id for message in comms.due_messages(self.state, self.now)]

    def debrief(self) -> Debrief:
        """The debrief of the night so far."""
        return build_debrief(self.events)


def row(debrief: Debrief, message_id: str) -> MessageRow:
    """The debrief's row for one message."""
    return next(message for message in debrief.messages if message.message_id == message_id)


def table_line(markdown: str, message_id: str) -> str:
    """The Communications table's line for one message."""
    return next(line for line in markdown.splitlines() if line.startswith(f"| {message_id} |"))


# ---- a rehearsal measures against its own plan ------------------------------------------


def test_rehearsal_after_the_files_window_ahead_of_plan_reports_no_delay() -> None:
    # A rehearsal a week after the file's window: against that window it is days late
    # from its first second; against its own plan it runs 35 minutes ahead.
    night = Night((2026, 12, 1), "14:00", "rehearsal")
    assert "late" not in night.due()
    night.run_ahead("14:00")
    assert "late" not in night.due()
    night.at("14:21").do(cmd.DeclareComplete(summary="Rehearsal done"))
    night.do(cmd.MarkMessageSent(message_id="done"))

    debrief = night.debrief()
    late = row(debrief, "late")
    assert late.fired_at is None and late.standing == "not_due" and not late.missed
    markdown = render_markdown(debrief)
    assert "NEVER SENT" not in table_line(markdown, "late")
    assert "did not fire" in table_line(markdown, "late")
    assert "'late'" not in markdown  # no finding, no checklist advice about it


def test_a_window_moved_at_the_start_is_measured_from_where_it_moved() -> None:
    # A live night whose window moved to a later date (`cockpit run --rebaseline`).
    night = Night((2026, 12, 1), "02:00", rebaseline=True)
    night.run_ahead("02:00")
    night.at("02:21").do(cmd.DeclareComplete(summary="Done on the new date"))
    assert not row(night.debrief(), "late").missed


def test_a_rehearsal_that_really_slips_still_reports_the_delay() -> None:
    night = Night((2026, 12, 1), "14:00", "rehearsal")
    night.step("prep", "14:00", "14:30")  # planned 10 minutes: 20 late at 14:30
    assert "late" in night.due()
    late = row(night.debrief(), "late")
    # Prep ran past its 10 minutes at 14:10; the finish slipped 15 minutes at 14:25.
    assert late.missed and late.fired_at == datetime(2026, 12, 1, 14, 25, tzinfo=ZONE)


def test_a_delay_shown_before_a_rebaselined_resume_still_counts() -> None:
    # Opened before a 02:00 window; nothing started by 02:15, so the delay was due on
    # screen from 02:15. The DE restarts at 02:40 and moves the plan: what the screen
    # showed before the move stays on the record.
    night = Night(WINDOW_DAY, "01:50")
    assert "late" in night.at("02:20").due()
    night.at("02:40").do(cmd.ResumeSession(operator="Dana"))
    night.do(cmd.Rebaseline(plan_start=night.now, reason="window moved (--rebaseline)"))
    assert "late" not in night.due()
    late = row(night.debrief(), "late")
    assert late.missed and late.fired_at == datetime(*WINDOW_DAY, 2, 15, tzinfo=ZONE)


# ---- a rehearsal does not send the notices of the days before --------------------------


def test_a_rehearsal_never_shows_the_notice_before_the_window_as_due() -> None:
    night = Night((2026, 11, 17), "14:00", "rehearsal")
    assert "notice" not in night.due()
    assert "start" in night.due()  # its own window starts now
    night.run_ahead("14:00")
    night.at("14:21").do(cmd.DeclareComplete(summary="Rehearsal done"))
    assert "notice" not in night.due()

    debrief = night.debrief()
    notice = row(debrief, "notice")
    assert notice.standing == "before_rehearsal" and not notice.missed
    assert notice.fired_at is None
    line = table_line(render_markdown(debrief), "notice")
    assert "before the window: not part of a rehearsal" in line
    assert "NEVER SENT" not in line


def test_a_live_night_still_owes_the_notice_before_the_window() -> None:
    night = Night(WINDOW_DAY, "01:55")
    assert "notice" in night.due()
    night.at("02:00").do(cmd.MarkMessageSent(message_id="start"))
    night.run_ahead("02:00")
    night.at("02:21").do(cmd.DeclareComplete(summary="Done"))
    night.do(cmd.MarkMessageSent(message_id="done"))
    notice = row(night.debrief(), "notice")
    assert notice.missed and notice.fired_at == datetime(2026, 11, 21, 2, 0, tzinfo=ZONE)
    assert "**⚠ NEVER SENT**" in table_line(render_markdown(night.debrief()), "notice")


# ---- the end messages are sent after the end --------------------------------------------


def completed_night() -> Night:
    night = Night(WINDOW_DAY, "01:55")
    night.at("01:56").do(cmd.MarkMessageSent(message_id="notice"))
    night.at("02:00").do(cmd.MarkMessageSent(message_id="start"))
    night.run_ahead("02:00")
    return night.at("02:21").do(cmd.DeclareComplete(summary="Numbers ported"))


def test_the_completed_message_is_due_after_the_end_and_sent_after_it() -> None:
    night = completed_night()
    (due,) = comms.due_messages(night.state, night.at("02:30").now)
    assert due.message_id == "done"
    assert due.since == datetime(*WINDOW_DAY, 2, 21, tzinfo=ZONE)
    night.do(cmd.MarkMessageSent(message_id="done"))
    assert night.due() == []

    debrief = night.debrief()
    done = row(debrief, "done")
    assert done.standing == "sent"
    assert done.sent_at == datetime(*WINDOW_DAY, 2, 30, tzinfo=ZONE)
    line = table_line(render_markdown(debrief), "done")
    assert "| 02:21 | 02:30 |" in line and "NEVER SENT" not in line


def test_an_unsent_completed_message_is_not_blamed() -> None:
    night = completed_night()
    assert night.at("03:30").due() == ["done"]  # still due, long after the end

    debrief = night.debrief()
    done = row(debrief, "done")
    assert done.standing == "due_at_end" and not done.missed
    markdown = render_markdown(debrief)
    line = table_line(markdown, "done")
    assert "due at the end; not marked sent" in line
    assert "NEVER SENT" not in markdown
    assert "printed checklist" not in markdown
    assert "never sent" not in markdown
    # The questions say what happened without claiming every message went out.
    assert "Every message due on the night was sent" not in markdown
    assert "Message 'done' (cutover completed) was due at the end (02:21)" in markdown
    assert "is not marked sent" in markdown


def test_when_every_message_went_out_the_questions_say_so() -> None:
    night = completed_night()
    night.at("02:30").do(cmd.MarkMessageSent(message_id="done"))
    markdown = render_markdown(night.debrief())
    assert "Every message due on the night was sent (3)." in markdown


def test_an_unsent_rollback_completed_message_is_not_blamed() -> None:
    night = Night(WINDOW_DAY, "01:55")
    night.at("01:56").do(cmd.MarkMessageSent(message_id="notice"))
    night.at("02:00").do(cmd.MarkMessageSent(message_id="start"))
    night.step("prep", "02:00", "02:08")
    night.at("02:09").do(cmd.StartRollback(reason="Carrier not ready"))
    night.at("02:12").do(cmd.MarkRollbackStep(step_id="prep"))
    night.at("02:13").do(cmd.CompleteRollback(summary="Back on the old system"))
    assert night.state.ended
    assert night.at("02:20").due() == ["undone"]

    debrief = night.debrief()
    undone = row(debrief, "undone")
    assert undone.standing == "due_at_end" and not undone.missed
    assert undone.fired_at == datetime(*WINDOW_DAY, 2, 13, tzinfo=ZONE)
    assert row(debrief, "done").standing == "not_due"
    markdown = render_markdown(debrief)
    assert "due at the end; not marked sent" in table_line(markdown, "undone")
    assert "NEVER SENT" not in markdown and "printed checklist" not in markdown


# ---- what was really due and never sent is still flagged --------------------------------


def test_a_delay_due_during_the_night_and_never_sent_is_still_never_sent() -> None:
    night = Night(WINDOW_DAY, "01:55")
    night.at("01:56").do(cmd.MarkMessageSent(message_id="notice"))
    night.at("02:00").do(cmd.MarkMessageSent(message_id="start"))
    night.step("prep", "02:00", "02:40")  # planned 10 minutes: the finish slips 30
    night.step("snapshot", "02:40", "02:50")
    night.gate_go("02:50")
    night.step("switch", "02:51", "03:11")
    night.step("test", "03:11", "03:26")
    night.at("03:27").do(cmd.DeclareComplete(summary="Late but live"))
    night.do(cmd.MarkMessageSent(message_id="done"))

    debrief = night.debrief()
    late = row(debrief, "late")
    assert late.missed and late.fired_at == datetime(*WINDOW_DAY, 2, 25, tzinfo=ZONE)
    markdown = render_markdown(debrief)
    assert "**⚠ NEVER SENT**" in table_line(markdown, "late")
    assert "Message 'late' (delay past 15 min) was due at 02:25 and never sent." in markdown
    assert "put it on the printed checklist" in markdown
    assert "NEVER SENT" not in table_line(markdown, "done")
