"""The crash victim: a cutover driven through the real core and journal, forever, until killed.

It opens (or resumes) a journal with `Session.open` — the cockpit's own path: decide →
`Journal.append` (commit, `synchronous=FULL`) → evolve — and then keeps issuing the
commands an engineer would (start and complete steps, tick criteria and say go, cross the
point of no return, raise blockers, call, resolve, notes, share mode…), chosen at random
from a seed. After every command that the session reports as saved it writes one line per
event, `SEQ EVENT_ID`, with a single unbuffered `os.write`: a line exists only for an event
whose transaction had committed, so after a SIGKILL every line must be in the journal.

Two ways to run it:

    python -m tests.crash.core_victim JOURNAL [--seed N]   # one victim, this process

    python -m tests.crash.core_victim --server             # a fork server (the test's way)

Starting Python and importing pydantic and the core takes most of a second, so 500 fresh
interpreters would take minutes. The fork server imports everything once, then for each
request line `RUN JOURNAL OUTPUT SEED` forks a victim (writing its lines to OUTPUT) and
answers `PID n`; `WAIT n` answers `STATUS s` once that victim has died (s is the signal
number as a negative number, or the exit code). A forked victim opens the journal itself,
after the fork, so no SQLite handle or lock crosses the fork: it is killed exactly as a
fresh process would be. `tests/test_crash_core.py` also runs a few fresh interpreters.
"""

from __future__ import annotations

import os
import random
import sys
from pathlib import Path

if __name__ == "__main__":  # runnable as a script from anywhere in the checkout
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from cockpit.bundled import list_bundled
from cockpit.core import commands as cmd
from cockpit.core.clock import SystemClock
from cockpit.core.state import CutoverState
from cockpit.model.contacts import ContactCard
from cockpit.model.load import load_contact_card, load_runbook
from cockpit.model.runbook import Runbook
from cockpit.session import Session
from tests.checklist_helpers import ticks

REPO = Path(__file__).resolve().parents[2]
#: The bundled UCaaS runbook and its card: the victim runs a real night's plan.
RUNBOOK_PATH = REPO / "runbooks" / "ucaas-port-smb.toml"
CARD_PATH = REPO / "contact_cards" / "ucaas-port-smb.toml"
#: The operator every victim runs as.
OPERATOR = "crash-victim"


def load_plan() -> tuple[Runbook, ContactCard]:
    """The runbook and card every victim drives (loaded once, before any fork)."""
    runbook_path = RUNBOOK_PATH if RUNBOOK_PATH.exists() else list_bundled("runbooks")[0]
    return load_runbook(runbook_path), load_contact_card(CARD_PATH)


def next_command(state: CutoverState, rng: random.Random) -> cmd.Command:
    """What an engineer might do next: mostly the plan's next move, sometimes trouble."""
    if state.ended:
        return cmd.AddNote(text=f"After the end: note {rng.randrange(10**6)}")
    roll = rng.random()
    blocker = state.open_blocker
    if blocker is not None:
        if blocker.called_at is None and roll < 0.6:
            return cmd.LogEscalation(agreed="Call back in 10 minutes")
        return cmd.ResolveBlocker(how=f"fixed by attempt {rng.randrange(100)}")
    if roll < 0.12:
        return cmd.AddNote(
            text=f"Carrier NOC update {rng.randrange(10**6)}: " + "x" * rng.randrange(300)
        )
    if roll < 0.17:
        return cmd.RaiseBlocker(what=f"stuck on {state.current_step or 'the end'}")
    if roll < 0.20:
        return cmd.SetShareMode(on=not state.share_mode)
    if roll < 0.204 and state.rollback is None and state.ponr_crossed_at is None:
        return cmd.StartRollback(reason="the crash victim gives up")
    if state.rolling_back and state.rollback is not None:
        remaining = state.rollback.remaining
        if remaining:
            return cmd.MarkRollbackStep(step_id=remaining[0])
        return cmd.CompleteRollback(summary="rolled back")
    checkpoint_id = state.open_checkpoint
    if checkpoint_id is not None:
        checkpoint = state.checkpoints[checkpoint_id]
        for index, mark in enumerate(checkpoint.marks):
            if mark is not True:
                return cmd.MarkCriterion(checkpoint_id=checkpoint_id, index=index, met=True)
        return cmd.DecideCheckpoint(checkpoint_id=checkpoint_id, decision="go", by=OPERATOR)
    current = state.current_step
    if current is None:
        for tick in ticks(state, "verification"):
            return tick
        return cmd.DeclareComplete(summary="every step done")
    if state.steps[current].status == "running":
        if roll < 0.25:
            return cmd.FailStep(step_id=current, reason="did not work the first time")
        for tick in ticks(state, "step", current):
            return tick
        return cmd.CompleteStep(step_id=current)
    return cmd.StartStep(step_id=current, confirm_ponr=True)


def victim(journal: Path, out_fd: int, seed: int, runbook: Runbook, card: ContactCard) -> None:
    """Open or resume `journal` and drive it until killed, acknowledging every saved event
    on `out_fd`. Returns only if the cutover cannot go on (it always can: notes)."""
    rng = random.Random(seed)

    def acknowledge(events: tuple | list) -> None:  # type: ignore[type-arg]
        if events:
            lines = "".join(f"{event.seq} {event.event_id}\n" for event in events)
            os.write(out_fd, lines.encode("ascii"))

    session = Session.open(
        journal,
        runbook,
        card,
        SystemClock(),
        mode="rehearsal",
        operator=OPERATOR,
        runbook_path=str(RUNBOOK_PATH),
    )
    # Everything Session.open wrote (start or resume) is committed once it returns; its
    # event ids are not at hand, so the line says "-" (the seq alone is checked).
    os.write(out_fd, f"{session.saved_seq} -\n".encode("ascii"))
    while True:
        outcome = session.execute(next_command(session.state, rng))
        if outcome.kind == "saved":
            acknowledge(outcome.events)
        elif outcome.kind == "refused":
            outcome = session.execute(cmd.AddNote(text=f"refused: {outcome.message[:60]}"))
            if outcome.ok:
                acknowledge(outcome.events)
        else:  # not saved: the disk refused; a crash victim has nothing to recover
            raise SystemExit(f"not saved: {outcome.message}")


def serve(runbook: Runbook, card: ContactCard) -> None:
    """The fork server: `RUN JOURNAL OUTPUT SEED` → `PID n`; `WAIT n` → `STATUS s`."""
    out = sys.stdout
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        if words[0] == "RUN":
            journal, output, seed = Path(words[1]), words[2], int(words[3])
            pid = os.fork()
            if pid == 0:  # the victim
                code = 0
                try:
                    fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
                    victim(journal, fd, seed, runbook, card)
                except BaseException as error:
                    os.write(2, f"victim {os.getpid()}: {error!r}\n".encode())
                    code = 3
                os._exit(code)
            out.write(f"PID {pid}\n")
        elif words[0] == "WAIT":
            _, status = os.waitpid(int(words[1]), 0)
            code = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
            out.write(f"STATUS {code}\n")
        elif words[0] == "QUIT":
            return
        out.flush()


def main(argv: list[str]) -> int:
    runbook, card = load_plan()
    if argv[:1] == ["--server"]:
        serve(runbook, card)
        return 0
    if not argv or argv[0].startswith("-"):
        print(__doc__, file=sys.stderr)
        return 2
    seed = int(argv[argv.index("--seed") + 1]) if "--seed" in argv else random.randrange(2**31)
    victim(Path(argv[0]), sys.stdout.fileno(), seed, runbook, card)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
