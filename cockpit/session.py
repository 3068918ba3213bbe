"""A cockpit session: the one path from a command to the screen.

`command → decide → journal.append (commit) → evolve → the screen`. The state changes only
after the append committed, so nothing is shown as done that is not on disk. When an
append fails the session keeps the command pending, says NOT SAVED, refuses anything
else, and retries the same command (same ids, so it is never written twice) until the
disk works again.

No Textual here: the TUI, the crash harness and the tests all drive this class.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Literal

from cockpit import __version__
from cockpit.core import commands as cmd
from cockpit.core.cards import same_card
from cockpit.core.clock import Clock
from cockpit.core.decide import decide
from cockpit.core.evolve import FoldError, apply
from cockpit.core.redact import KnownSecrets
from cockpit.core.source import Outcome, Watch, WriterStatus
from cockpit.core.state import CutoverState
from cockpit.errors import CockpitError
from cockpit.journal.events import Event, SessionClosed
from cockpit.journal.store import Journal, JournalWriteFailed
from cockpit.model.contacts import ContactCard
from cockpit.model.fingerprint import runbook_sha256
from cockpit.model.runbook import Runbook

# Re-exported: the paper backup (cockpit.report.paper), the TUI test helpers and the
# benchmarks import these from here; they now live in the model and the core.
__all__ = ["Outcome", "Session", "runbook_sha256"]


class Session:
    """Owns the journal writer and the state folded from it.

    The live `cockpit.core.source.StateSource`: the one source that writes.
    """

    def __init__(self, journal: Journal, state: CutoverState, clock: Clock) -> None:
        self.journal = journal
        self.state = state
        self.clock = clock
        #: A command whose append failed; retried before anything else is accepted.
        self.pending: cmd.Command | None = None
        #: Why the last append failed (shown as NOT SAVED), or None when all is saved.
        self.save_error: str | None = None
        #: Secret values revealed or copied in this process: kept out of free text.
        self._known_secrets = KnownSecrets()
        #: The contact card file's content when it differs from the card of record at
        #: resume: offered to the DE (`adopt_card_command`), journaled only once taken.
        self.offered_card: ContactCard | None = None
        self._offered_card_path = ""
        #: Who runs this session (the operator given at the start or the resume):
        #: named in the clean quit.
        self.operator = state.operator

    # ---- opening ---------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        journal_path: Path,
        runbook: Runbook,
        card: ContactCard | None,
        clock: Clock,
        *,
        mode: Literal["live", "rehearsal"] = "live",
        operator: str = "",
        runbook_path: str = "",
        rebaseline: bool = False,
        card_path: str = "",
    ) -> Session:
        """Start a new cutover in `journal_path`, or resume the one it holds.

        On resume, `card` (the contact card file as it is now) is compared with the card
        of record; when it differs the resume says so and the card is offered, not taken.
        """
        journal = Journal.open(journal_path)
        try:
            # Folded as it is read: a long night is never held in memory twice. Only the
            # last event is kept: a resume says whether it was a clean quit.
            state = CutoverState()
            last: list[Event] = []

            def take(event: Event) -> None:
                apply(state, event)
                last[:] = [event]

            try:
                journal.read_each(take)
            except FoldError as error:
                raise CockpitError(
                    f"{journal_path}: the journal does not replay cleanly ({error}); "
                    f"run: cockpit verify {journal_path}"
                ) from None
            session = cls(journal, state, clock)
            if state.last_seq == 0:
                session._start(runbook, card, mode, operator, runbook_path, rebaseline)
            else:
                after_crash = not (last and isinstance(last[0], SessionClosed))
                session._resume(runbook, card, operator, rebaseline, card_path, after_crash)
            session.operator = operator or state.operator
        except BaseException:
            journal.close()
            raise
        return session

    def _start(
        self,
        runbook: Runbook,
        card: ContactCard | None,
        mode: Literal["live", "rehearsal"],
        operator: str,
        runbook_path: str,
        rebaseline: bool,
    ) -> None:
        now = self.clock.now()
        start = cmd.StartCutover(
            runbook=runbook.model_dump(mode="json"),
            runbook_sha256=runbook_sha256(runbook),
            runbook_path=runbook_path,
            contacts=card.model_dump(mode="json") if card is not None else None,
            mode=mode,
            operator=operator or runbook.meta.operator_role,
            app_version=__version__,
        )
        self._must(start)
        if mode == "rehearsal" or rebaseline:
            why = "rehearsal: the plan starts now" if mode == "rehearsal" else "window moved"
            self._must(cmd.Rebaseline(plan_start=now, reason=why))

    def _resume(
        self,
        runbook: Runbook,
        card: ContactCard | None,
        operator: str,
        rebaseline: bool,
        card_path: str,
        after_crash: bool,
    ) -> None:
        changed = runbook_sha256(runbook) != self.state.runbook_sha256
        # No card given tonight is not a change: there is nothing to offer instead.
        card_changed = card is not None and not same_card(card, self.state.contacts)
        self._must(
            cmd.ResumeSession(
                operator=operator,
                runbook_changed=changed,
                card_changed=card_changed,
                after_crash=after_crash,
            )
        )
        if card_changed:
            self.offered_card = card
            self._offered_card_path = card_path
        if rebaseline:
            outcome = self.execute(
                cmd.Rebaseline(plan_start=self.clock.now(), reason="window moved (--rebaseline)")
            )
            if outcome.kind == "refused":
                raise CockpitError(f"cannot rebaseline: {outcome.message}")

    def _must(self, command: cmd.Command) -> None:
        outcome = self.execute(command)
        if not outcome.ok:
            raise CockpitError(f"{self.journal.path}: {outcome.message}")

    # ---- running ---------------------------------------------------------------------

    @property
    def saved_seq(self) -> int:
        """The last event number known to be on disk."""
        return self.state.last_seq

    def preview(self, command: cmd.Command) -> cmd.Refusal | None:
        """Would `command` be refused? (Nothing is written.)"""
        result = decide(self.state, command, self.clock.now())
        return result if isinstance(result, cmd.Refusal) else None

    def execute(self, command: cmd.Command) -> Outcome:
        """Redact, decide, append durably, then evolve. Refusals write nothing.

        A secret value revealed or copied in this process is replaced in the command's
        free text by `[secret: NAME]` first; `Outcome.redacted` names those replaced.
        """
        if self.pending is not None and command is not self.pending:
            retried = self.retry()
            if not retried.ok:
                return Outcome(
                    "not_saved",
                    "NOT SAVED: the last action is not on disk yet; nothing else is accepted "
                    f"until it is ({self.save_error})",
                )
        command, redacted = self._known_secrets.redact(command)
        result = decide(self.state, command, self.clock.now())
        if isinstance(result, cmd.Refusal):
            return Outcome("refused", result.reason, result.code)
        try:
            self.journal.append(result)
        except JournalWriteFailed as error:
            self.pending = command
            self.save_error = str(error)
            return Outcome("not_saved", f"NOT SAVED: {error}", redacted=redacted)
        for event in result:
            apply(self.state, event)
        self.pending = None
        self.save_error = None
        if isinstance(command, cmd.AdoptContactCard):
            self.offered_card = None
        return Outcome("saved", events=tuple(result), redacted=redacted)

    # ---- secrets and the contact card ------------------------------------------------

    def remember_secret(self, name: str, value: str) -> None:
        """Keep a secret's value, revealed or copied tonight, out of every later note,
        reason or blocker: memory only, never written (see `cockpit.core.redact`)."""
        self._known_secrets.remember(name, value)

    def adopt_card_command(self) -> cmd.AdoptContactCard | None:
        """The command that makes the offered contact card the card of record (journaled
        with what changed), or None when no different card is offered."""
        if self.offered_card is None:
            return None
        return cmd.AdoptContactCard(
            contacts=self.offered_card.model_dump(mode="json"), card_path=self._offered_card_path
        )

    def retry(self) -> Outcome:
        """Try the pending command again (same ids: never written twice)."""
        if self.pending is None:
            return Outcome("saved")
        command = self.pending
        self.pending = None
        outcome = self.execute(command)
        if outcome.ok:
            # A commit that reported an error may still have landed, in which case the
            # append deduplicated and the stored events carry the first attempt's times:
            # the disk is the truth, so rebuild the state from it.
            state = CutoverState()
            self.journal.read_each(partial(apply, state))
            self.state = state
        elif outcome.kind == "refused":
            self.save_error = None
        return outcome

    def close(self) -> None:
        """Release the journal (everything acknowledged is already on disk).

        Writes nothing: a session that ends this way — or is killed — reads in the
        journal as ended without a clean quit. `quit` is the clean way out.
        """
        self.journal.close()

    def quit(self) -> Outcome:
        """The DE quit cleanly: journal the clean quit (`SessionClosed`), then close.

        Only when everything is saved: with a save error pending, the journal is not
        writable, so the session just closes (and reads as ended without a clean quit,
        which is the truth: the pending action was never saved). The outcome says
        whether the clean quit is on disk.
        """
        try:
            if self.pending is not None or self.save_error is not None:
                return Outcome("not_saved", f"NOT SAVED: {self.save_error}")
            return self.execute(cmd.CloseSession(operator=self.operator))
        finally:
            self.close()

    # ---- what the screen asks of any source of state ----------------------------------

    #: The one writer (see `cockpit.core.source.StateSource`).
    watch: Watch = "live"
    #: The writer watches no other writer.
    writer: WriterStatus | None = None

    @property
    def journal_path(self) -> Path:
        """Where this session writes."""
        return self.journal.path

    def poll(self) -> bool:
        """A live session is the only writer: nothing to pick up."""
        return False

    def all_events(self) -> list[Event]:
        """Every event so far, from disk (the log screen)."""
        return self.journal.read_all()
