"""Write realistic journals for tests: the mini runbook, driven through the real core.

`script_cutover(path)` runs a whole night on `tests/fixtures/mini.toml` — start, comms,
steps, a blocker with its escalation, the checkpoint go, the point of no return, a note,
the end — through `decide`, `Journal.append` and `evolve`, exactly as the cockpit does,
so the journal it leaves is one the cockpit could have written. `JournalDriver` does the
same one command at a time for tests that need their own story.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from cockpit.core import commands as cmd
from cockpit.core.clock import ManualClock
from cockpit.core.decide import decide
from cockpit.core.evolve import evolve
from cockpit.core.state import CutoverState
from cockpit.journal.events import BaseEvent
from cockpit.journal.store import Journal
from cockpit.model.contacts import ContactCard
from cockpit.model.fingerprint import runbook_sha256
from cockpit.model.load import load_contact_card, load_runbook
from cockpit.model.runbook import Runbook
from tests.checklist_helpers import TicksThenEnds, tick_all

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini.toml"
MINI_CARD = FIXTURES / "mini-contacts.toml"
#: 02:00 America/Chicago on the mini runbook's night, in UTC.
MINI_WINDOW_START = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
#: The mini runbook's steps, in order.
MINI_STEPS: tuple[str, ...] = ("prep", "snapshot", "switch", "test")


def start_command(
    runbook: Runbook,
    card: ContactCard | None,
    *,
    mode: Literal["live", "rehearsal"] = "live",
    operator: str = "Dana",
) -> cmd.StartCutover:
    """The command that opens a cutover on `runbook`, with the snapshot the cockpit takes."""
    return cmd.StartCutover(
        runbook=runbook.model_dump(mode="json"),
        runbook_sha256=runbook_sha256(runbook),
        contacts=card.model_dump(mode="json") if card is not None else None,
        mode=mode,
        operator=operator,
        runbook_path=str(MINI),
    )


class JournalDriver(TicksThenEnds):
    """decide → Journal.append → evolve, one command at a time, as the cockpit does."""

    def __init__(
        self, journal: Journal, clock: ManualClock, state: CutoverState | None = None
    ) -> None:
        self.journal = journal
        self.clock = clock
        self.state = state if state is not None else CutoverState()
        self.events: list[BaseEvent] = []

    def do(self, command: cmd.Command) -> list[BaseEvent] | cmd.Refusal:
        """Decide; when accepted, append (durably) and then evolve."""
        result = decide(self.state, command, self.clock.now())
        if isinstance(result, cmd.Refusal):
            return result
        self.journal.append(result)
        for event in result:
            self.state = evolve(self.state, event)
        self.events.extend(result)
        return result

    def must(self, command: cmd.Command) -> list[BaseEvent]:
        """Like `do`, failing loudly on a refusal (a bug in the script, not the journal)."""
        result = self.do(command)
        if isinstance(result, cmd.Refusal):
            raise AssertionError(f"{type(command).__name__} refused: {result.reason}")
        return result

    def work(self, step_id: str, minutes: float, *, ponr: bool = False) -> None:
        """Start a step, let `minutes` pass, complete it."""
        self.must(cmd.StartStep(step_id=step_id, confirm_ponr=ponr))
        self.clock.advance(minutes=minutes)
        self.complete(step_id)
        self.clock.advance(seconds=30)


def script_cutover(
    path: Path | str,
    *,
    steps: int = len(MINI_STEPS),
    clock: ManualClock | None = None,
    mode: Literal["live", "rehearsal"] = "live",
    notes: Sequence[str] = ("Carrier confirmed the port window by phone",),
    blocker: bool = True,
    finish: bool = True,
) -> list[BaseEvent]:
    """Write a mini-runbook cutover into a new journal at `path`; returns its events.

    `steps` is how many of the four steps get done (the night stops there, unfinished,
    when fewer than four); `blocker` adds a blocker, its escalation call and resolution
    during the snapshot step; `finish` declares the cutover complete when every step is.
    The default clock starts at 02:00 America/Chicago on the runbook's night.
    """
    if not 0 <= steps <= len(MINI_STEPS):
        raise ValueError(f"the mini runbook has {len(MINI_STEPS)} steps, not {steps}")
    clock = clock if clock is not None else ManualClock(MINI_WINDOW_START)
    runbook, card = load_runbook(MINI), load_contact_card(MINI_CARD)
    with Journal.open(path) as journal:
        driver = JournalDriver(journal, clock)
        driver.must(start_command(runbook, card, mode=mode))
        if mode == "rehearsal":
            driver.must(cmd.Rebaseline(plan_start=clock.now(), reason="rehearsal starts now"))
        driver.must(cmd.MarkMessageSent(message_id="start"))
        clock.advance(minutes=1)
        for index, step_id in enumerate(MINI_STEPS[:steps]):
            if step_id == "snapshot" and blocker:
                driver.must(cmd.StartStep(step_id=step_id))
                clock.advance(minutes=4)
                driver.must(cmd.RaiseBlocker(what="Config export times out"))
                clock.advance(minutes=31)
                driver.must(cmd.LogEscalation(agreed="Call back in 10 minutes"))
                clock.advance(minutes=6)
                driver.must(cmd.ResolveBlocker(how="Exported in two halves"))
                clock.advance(minutes=2)
                tick_all(driver.must, driver.state, "step", step_id)
                driver.must(cmd.CompleteStep(step_id=step_id))
                continue
            if step_id == "switch":
                for criterion in range(2):
                    driver.must(cmd.MarkCriterion(checkpoint_id="gate", index=criterion, met=True))
                driver.must(cmd.DecideCheckpoint(checkpoint_id="gate", decision="go", by="Dana"))
            driver.work(step_id, runbook.steps[index].minutes, ponr=step_id == "switch")
            if index == 0:
                for note in notes:
                    driver.must(cmd.AddNote(text=note))
        if finish and steps == len(MINI_STEPS):
            driver.must(cmd.MarkMessageSent(message_id="done"))
            tick_all(driver.must, driver.state, "verification")
            driver.must(cmd.DeclareComplete(summary="Numbers ported; calls verified"))
        return driver.events
