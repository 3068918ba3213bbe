"""Scripted nights for the debrief tests, written through the real core and Journal.

Each scenario writes a journal on the mini runbook (`tests/fixtures/mini.toml`: window
02:00–03:00 America/Chicago, escalation after 30 minutes, prep → snapshot → [gate] →
switch (point of no return) → test) exactly as the cockpit would, at set local times:

* `clean` — everything to plan, inside the window: *successful*.
* `overrun` — the snapshot step is stuck on a blocker, the senior DE is called 41 minutes
  after it was raised (the rule says 30), the cockpit restarts mid-blocker, the delay
  message is never sent, and the night ends 42 minutes past the window.
* `rollback` — a criterion not met, a hold, then a no-go (the carrier revoked the FOC),
  and a rollback of the preparation: *unsuccessful: rolled back*.
* `incomplete` — the switch is done ahead of the snapshot (a reorder), then the snapshot
  is blocked and the blocker stays open with no call; the journal simply stops.
* `rehearsal` — the same plan rehearsed a week earlier, for `--compare`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from cockpit.core import commands as cmd
from cockpit.core.clock import ManualClock
from cockpit.journal.store import Journal
from cockpit.model.load import load_contact_card, load_runbook
from tests.checklist_helpers import tick_all
from tests.journal_helpers import MINI, MINI_CARD, JournalDriver, start_command

ZONE = ZoneInfo("America/Chicago")
#: A note a careless paste could produce: markup, a table pipe, emphasis, an entity.
HOSTILE_NOTE = "Portal error page shows <script>alert('x')</script> | **retrying** &amp; [link](x)"


class Night:
    """A JournalDriver with a clock set by local wall time on the mini runbook's night."""

    def __init__(self, driver: JournalDriver, day: tuple[int, int, int]) -> None:
        self.driver = driver
        self.day = day

    def at(self, hhmm: str) -> Night:
        """Set the clock to HH:MM local time (on the night's day; 00:xx is the next day)."""
        hour, minute = (int(part) for part in hhmm.split(":"))
        moment = datetime(*self.day, hour, minute, tzinfo=ZONE)
        self.driver.clock.set(moment)
        return self

    def do(self, command: cmd.Command) -> Night:
        """Carry out a command (failing loudly on a refusal: a bug in the script)."""
        self.driver.must(command)
        return self

    def step(self, step_id: str, start: str, end: str, *, ponr: bool = False) -> Night:
        """Start a step at `start`, complete it at `end`."""
        self.at(start).do(cmd.StartStep(step_id=step_id, confirm_ponr=ponr))
        return self.at(end).complete(step_id)

    def declare(self, summary: str) -> Night:
        """Tick the post-cutover verification and declare complete, at the clock's time."""
        tick_all(self.driver.must, self.driver.state, "verification")
        return self.do(cmd.DeclareComplete(summary=summary))

    def complete(self, step_id: str) -> Night:
        """Tick the step's verify items and complete it, at the clock's time."""
        tick_all(self.driver.must, self.driver.state, "step", step_id)
        return self.do(cmd.CompleteStep(step_id=step_id))

    def note(self, hhmm: str, text: str) -> Night:
        """A note at HH:MM."""
        return self.at(hhmm).do(cmd.AddNote(text=text))

    def gate_go(self, hhmm: str) -> Night:
        """Both criteria met and a go on the gate, at HH:MM."""
        self.at(hhmm)
        for index in range(2):
            self.do(cmd.MarkCriterion(checkpoint_id="gate", index=index, met=True))
        return self.do(cmd.DecideCheckpoint(checkpoint_id="gate", decision="go", by="Dana"))


def _write(
    path: Path,
    script: Callable[[Night], None],
    *,
    mode: str = "live",
    day: tuple[int, int, int] = (2026, 11, 24),
    opened: str = "01:55",
) -> Path:
    runbook, card = load_runbook(MINI), load_contact_card(MINI_CARD)
    with Journal.open(path) as journal:
        night = Night(JournalDriver(journal, ManualClock(datetime(*day, tzinfo=ZONE))), day)
        night.at(opened).do(start_command(runbook, card, mode=mode))  # type: ignore[arg-type]
        script(night)
    return path


def clean(path: Path) -> Path:
    """(a) A clean success, inside the window."""

    def script(night: Night) -> None:
        night.at("02:00").do(cmd.MarkMessageSent(message_id="start"))
        night.step("prep", "02:00", "02:10")
        night.note("02:10", "Carrier confirmed the port window by phone")
        night.step("snapshot", "02:10", "02:19")
        night.gate_go("02:20")
        night.step("switch", "02:21", "02:39", ponr=True)
        night.step("test", "02:40", "02:54")
        night.at("02:55").declare("Numbers ported; calls verified")
        night.at("02:56").do(cmd.MarkMessageSent(message_id="done"))

    return _write(path, script)


def overrun(path: Path) -> Path:
    """(b) An overrun with a late escalation call (41 minutes; the rule says 30)."""

    def script(night: Night) -> None:
        night.at("02:00").do(cmd.MarkMessageSent(message_id="start"))
        night.step("prep", "02:00", "02:10")
        night.at("02:10").do(cmd.StartStep(step_id="snapshot"))
        night.at("02:14").do(cmd.RaiseBlocker(what="Config export times out"))
        night.note("02:20", HOSTILE_NOTE)
        night.note(
            "02:30",
            "Tried a smaller export:\n- hunt groups: fine\n- auto attendant: times out again",
        )
        night.at("02:44").do(cmd.ResumeSession(operator="Dana"))
        night.note("02:45", "Laptop froze; cockpit restarted, journal intact")
        night.at("02:55").do(cmd.LogEscalation(agreed="Call back in 10 minutes"))
        night.at("03:01").do(cmd.RecordSecretReveal(name="carrier-pin", how="copied"))
        night.at("03:02").do(
            cmd.ResolveBlocker(how="Exported the auto attendant on its own, as Sam suggested")
        )
        night.at("03:04").complete("snapshot")
        night.gate_go("03:05")
        night.step("switch", "03:06", "03:28", ponr=True)
        night.step("test", "03:29", "03:41")
        night.at("03:42").declare("Live; 42 minutes past the window")
        night.at("03:43").do(cmd.MarkMessageSent(message_id="done"))

    return _write(path, script)


def rollback(path: Path) -> Path:
    """(c) A hold, then a no-go, then a rollback of the preparation."""

    def script(night: Night) -> None:
        night.at("02:00").do(cmd.MarkMessageSent(message_id="start"))
        night.step("prep", "02:00", "02:11")
        night.step("snapshot", "02:11", "02:20")
        night.at("02:21").do(cmd.MarkCriterion(checkpoint_id="gate", index=0, met=True))
        night.do(cmd.MarkCriterion(checkpoint_id="gate", index=1, met=False))
        night.at("02:22").do(
            cmd.DecideCheckpoint(
                checkpoint_id="gate",
                decision="hold",
                by="Dana",
                reason="Carrier not on the bridge; calling the porting NOC",
            )
        )
        night.note("02:28", "Carrier NOC: the FOC was moved to tomorrow 02:00 — nobody told us")
        night.at("02:31").do(
            cmd.DecideCheckpoint(
                checkpoint_id="gate",
                decision="no_go",
                by="Dana",
                reason="FOC revoked by the carrier: no port tonight",
            )
        )
        night.at("02:32").do(cmd.StartRollback(reason="No-go: FOC revoked; undo the preparation"))
        night.at("02:38").do(cmd.MarkRollbackStep(step_id="prep"))
        night.at("02:39").do(
            cmd.CompleteRollback(summary="Back on the old system; new FOC requested")
        )

    return _write(path, script)


def incomplete(path: Path) -> Path:
    """(d) A reorder, then a blocker left open with no call; the journal just stops."""

    def script(night: Night) -> None:
        night.at("02:00").do(cmd.MarkMessageSent(message_id="start"))
        night.step("prep", "02:00", "02:09")
        night.at("02:09").do(cmd.SetShareMode(on=True))
        night.gate_go("02:10")
        night.at("02:11").do(cmd.StartStep(step_id="switch", confirm_ponr=True))
        night.at("02:12").do(cmd.RecordSecretReveal(name="carrier-pin", how="shown"))
        night.at("02:30").complete("switch")
        night.at("02:31").do(cmd.StartStep(step_id="snapshot"))
        night.at("02:33").do(cmd.RaiseBlocker(what="Old PBX admin portal unreachable"))
        night.at("02:40").do(cmd.SetShareMode(on=False))
        night.note("02:45", "Portal returns 503; vendor status page says maintenance")
        night.note("03:10", "Still down; will export tomorrow from the nightly backup")

    return _write(path, script)


def rehearsal(path: Path) -> Path:
    """A rehearsal of the same plan a week earlier, rebaselined to start at 14:00."""

    def script(night: Night) -> None:
        start = datetime(2026, 11, 17, 14, 0, tzinfo=ZONE)
        night.at("13:58").do(cmd.Rebaseline(plan_start=start, reason="rehearsal starts now"))
        night.step("prep", "14:00", "14:12")
        night.step("snapshot", "14:12", "14:27")
        night.gate_go("14:28")
        night.step("switch", "14:29", "14:54", ponr=True)
        night.step("test", "14:55", "15:10")
        night.at("15:11").declare("Rehearsal done")

    return _write(path, script, mode="rehearsal", day=(2026, 11, 17), opened="13:55")


#: The scenarios with golden reports, by name.
SCENARIOS: dict[str, Callable[[Path], Path]] = {
    "clean": clean,
    "overrun": overrun,
    "rollback": rollback,
    "incomplete": incomplete,
}
