"""The cockpit screen: the panels, the keys, and the one path from a key to the journal.

Every action builds a command and hands it to the source (a live `Session`); the screen
redraws from the source's state only after the event is on disk. Following and replay use
the same screen with a read-only source, and every key that would write is hidden.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, ClassVar, Literal

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.reactive import var
from textual.widgets import OptionList

from cockpit.core import commands as cmd
from cockpit.core import comms, schedule
from cockpit.core.checklists import ChecklistRef, in_view
from cockpit.core.source import Outcome, StateSource
from cockpit.core.state import CutoverState
from cockpit.text import compact_minutes
from cockpit.tui.actions import ACTIONS, BY_ID, COCKPIT_BINDINGS, Moment
from cockpit.tui.screens.checklist_actions import ChecklistActions
from cockpit.tui.screens.help import HelpScreen
from cockpit.tui.screens.log_screen import LogScreen
from cockpit.tui.screens.modals import AskText, Confirm, ReadText
from cockpit.tui.screens.secret_actions import SecretActions
from cockpit.tui.view import CockpitView
from cockpit.tui.widgets.checkpoint import CheckpointPanel
from cockpit.tui.widgets.contacts import ContactCardPanel
from cockpit.tui.widgets.escalation import EscalationTimer
from cockpit.tui.widgets.footer import CockpitFooter
from cockpit.tui.widgets.header import CockpitHeader
from cockpit.tui.widgets.panel import Panel
from cockpit.tui.widgets.record import RecordPanel
from cockpit.tui.widgets.rollback import RollbackPane
from cockpit.tui.widgets.step_detail import StepDetail, reflow
from cockpit.tui.widgets.timeline import Timeline

#: Seconds between bells while the escalation timer is past zero and nobody was called.
BELL_EVERY = 60
#: The title of a refusal's notice (taken down once something else is done).
REFUSED = "Not done"
#: Space again within this many seconds of starting a step asks before completing it:
#: two presses 0.3 s apart are a double tap, not a step done.
DOUBLE_TAP_SECONDS = 3.0


class CockpitScreen(ChecklistActions, SecretActions):
    """The one screen the deployment engineer looks at all night."""

    BINDINGS: ClassVar[list[BindingType]] = [*COCKPIT_BINDINGS]

    #: The frame every panel draws (each binds it with `data_bind` in `compose`).
    frame: var[CockpitView | None] = var(None, init=False)

    def __init__(self, source: StateSource) -> None:
        super().__init__()
        self.source = source
        self.selected_step: str | None = None
        self._offered_blocker_for: set[str] = set()
        self._last_bell: float = -BELL_EVERY
        self._refresh_timer: Any = None
        #: Secrets shown right now: name → (value, monotonic time to mask again). Memory only.
        self._revealed: dict[str, tuple[str, float]] = {}
        #: Real time for the bell and for masking a revealed secret again; tests replace it.
        self.monotonic: Callable[[], float] = time.monotonic
        self._session_secrets: Any = None
        #: When space last started each step (monotonic) and the journal's last event
        #: then: the double-tap guard.
        self._started_by_key: dict[str, tuple[float, int]] = {}
        #: The moment's view before the first frame has one (see `moment`).
        self._early_view: CockpitView | None = None
        #: The last moment asked for, and what it was made from (see `moment`).
        self._moment: tuple[tuple[object, ...], Moment] | None = None

    # ---- layout ----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        frame = CockpitScreen.frame
        yield CockpitHeader(id="header").data_bind(frame)
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield Timeline(id="timeline").data_bind(frame)
                yield RecordPanel(id="record").data_bind(frame)
            with Vertical(id="right"):
                yield StepDetail(id="step-detail").data_bind(frame)
                yield CheckpointPanel(id="checkpoint").data_bind(frame)
        with Horizontal(id="bottom"):
            yield ContactCardPanel(id="contacts").data_bind(frame)
            yield EscalationTimer(id="escalation").data_bind(frame)
            yield RollbackPane(id="rollback").data_bind(frame)
        yield from self.compose_below()
        yield CockpitFooter()

    def compose_below(self) -> ComposeResult:
        """Widgets between the panels and the footer (the replay scrubber)."""
        yield from ()

    def on_mount(self) -> None:
        if self.source.watch == "live" and self.state.share_mode:
            self.cockpit_app.apply_share_theme(True)
        self.refresh_view()
        timeline = self.query_one(Timeline)
        timeline.on_browse = self.browse
        timeline.focus()
        self.set_interval(1, self.tick)
        if self.source.offered_card is not None:
            self.notify(
                "The contact card file differs from the card this night started with: "
                f"{'; '.join(self._card_changes())}. The screen still shows the night's card. "
                f"To take the new one: ctrl+p → {BY_ID['adopt_card'].palette}.",
                title="Contact card changed",
                severity="warning",
                timeout=60,
            )
        if self.source.watch == "follow":
            self.set_interval(0.5, self.poll_source)

    # ---- drawing ---------------------------------------------------------------------

    @property
    def state(self) -> CutoverState:
        """The state the panels draw (owned by the source)."""
        return self.source.state

    def make_view(self) -> CockpitView:
        """This moment's view (the panels draw the one set as `frame`)."""
        return CockpitView(
            state=self.state,
            now=self.source.clock.now(),
            watch=self.source.watch,
            journal_path=self.source.journal_path,
            save_error=self.source.save_error,
            writer=self.source.writer,
            selected_step=self.selected_step,
            share_mode=self.state.share_mode,
            keys=self.keys,
            revealed={
                name: value
                for name, (value, until) in self._revealed.items()
                if until > self.monotonic()
            },
        )

    def refresh_view(self) -> None:
        """Redraw every panel from the current state."""
        # Browsing the step that has become current is no longer browsing. (The timeline
        # keeps its highlight instead of rebuilding, so no highlight message says so.)
        browsing = self.selected_step is not None and self.state.rollback is None
        if browsing and self.selected_step == self.state.current_step:
            self.selected_step = None
        view = self.make_view()
        self.frame = view  # every panel bound to it draws it now
        self.set_class(bool(view.save_error), "-unsaved")
        self._right_column(view)
        if view.escalation.level == "overdue" and view.watch != "replay":
            self._ring(view)
        self._refresh_bindings_if_changed()

    def _right_column(self, view: CockpitView) -> None:
        """What the right column gives its room to on a short screen: the open gate,
        unless the DE browses a step (then the step they look at)."""
        gate_first = view.open_checkpoint is not None and view.selected_step is None
        browsing_at_gate = view.open_checkpoint is not None and not gate_first
        if (gate_first, browsing_at_gate) != (
            self.has_class("-checkpoint-open"),
            self.has_class("-browsing-at-gate"),
        ):
            # Only the right column has rules on these classes: restyle it, not the whole
            # screen (every panel and footer key), which takes tens of milliseconds.
            self.set_class(gate_first, "-checkpoint-open", update=False)
            self.set_class(browsing_at_gate, "-browsing-at-gate", update=False)
            self.query_one("#right").update_node_styles()

    def _refresh_bindings_if_changed(self) -> None:
        """Redraw the footer only when the set of usable keys changed.

        The view is redrawn every second (ten times a second during replay playback);
        re-laying the footer that often would make it flicker for nothing.
        """
        # One check per action, not per key (`1`–`9` are one action), on one moment.
        moment = self.moment()
        signature = tuple(action.applies(moment) for action in ACTIONS) + tuple(
            self.check_action(binding.action.split("(")[0], ())
            for binding in self.screen_bindings()
        )
        if signature != getattr(self, "_bindings_signature", None):
            self._bindings_signature = signature
            self.refresh_bindings()

    def tick(self) -> None:
        """Once a second: time moves, so countdowns and projections move."""
        if self.source.pending is not None:
            outcome = self.source.retry()
            if outcome.ok:
                self.notify("Saved again: the journal is writable.", title="Saved")
        self.refresh_view()
        self._offer_blocker()

    def poll_source(self) -> None:
        """Following: pick up new events as soon as they are committed."""
        if self.source.poll():
            self.refresh_view()

    def _ring(self, view: CockpitView) -> None:
        moment = self.monotonic()
        if moment - self._last_bell >= BELL_EVERY:
            self._last_bell = moment
            self.app.bell()

    def _offer_blocker(self) -> None:
        if self.source.watch != "live":
            return
        stuck = schedule.stuck_step(self.state, self.source.clock.now())
        if stuck is None or stuck in self._offered_blocker_for or self.state.open_blocker:
            return
        self._offered_blocker_for.add(stuck)
        assert self.state.runbook is not None
        self.notify(
            f"'{self.state.runbook.step(stuck).title}' has run past twice its expected time. "
            f"Press {self.keys['blocker']} to raise a blocker and start "
            "the escalation timer.",
            title="In trouble?",
            severity="warning",
            timeout=30,
        )

    # ---- the one path to the journal ----------------------------------------------

    def run_command(self, command: cmd.Command) -> Outcome:
        """Hand a command to the source; say plainly if it was refused or not saved."""
        outcome = self.source.execute(command)
        if outcome.kind == "saved":  # what was refused before no longer stands
            self.cockpit_app.withdraw_notices(REFUSED)
        if outcome.redacted:
            self.notify(outcome.redaction_notice, title="Secret kept out", timeout=15)
        if outcome.kind == "refused":
            self.cockpit_app.withdraw_notices(REFUSED)  # one refusal at a time: the latest
            self.notify(outcome.message, title=REFUSED, severity="warning", timeout=8)
        elif outcome.kind == "not_saved":
            self.notify(outcome.message, title="NOT SAVED", severity="error", timeout=15)
        self.refresh_view()
        return outcome

    def ask(
        self, title: str, prompt: str, then: Callable[[str], cmd.Command], value: str = ""
    ) -> None:
        """Ask for a text (`value` suggested), then run the command made from it (escape
        cancels)."""

        def answered(text: str | None) -> None:
            if text:
                self.run_command(then(text))

        self.app.push_screen(AskText(title, prompt, value=value), answered)

    def confirm(self, title: str, body: str, yes: str, then: Callable[[], Any]) -> None:
        """Ask to confirm a consequence, then act."""

        def answered(ok: bool | None) -> None:
            if ok:
                then()

        self.app.push_screen(Confirm(title, body, yes), answered)

    # ---- gating ----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Show only the keys that apply now, so the footer says what can be done.

        What applies is the action table's (`cockpit.tui.actions`): writing keys are hidden
        when following or replaying, keys about something absent (a checkpoint, a blocker)
        until it exists. The help screen and the palette list everything.
        """
        entry = BY_ID.get(action)
        return True if entry is None else entry.applies(self.moment())

    def moment(self) -> Moment:
        """What the action table's conditions read, now: one moment for every key Textual
        asks about in a pass (some fifty), until something it reads changes."""
        frame = self.frame
        if frame is None:  # before the first frame: one view for the hundred keys asked
            frame = self._early_view = self._early_view or self.make_view()
        focused = self.focused
        timeline = self.query_one(Timeline)
        # The view is compared by identity; the state is changed in place (its position).
        key = (
            frame,
            id(self.state),
            self.state.last_seq,
            self.selected_step,
            focused,
            self.source.offered_card is not None,
            timeline.display,
        )
        if self._moment is not None and self._moment[0] == key:
            return self._moment[1]
        moment = Moment(
            state=self.state,
            live=self.source.watch == "live",
            browsing=self.selected_step,
            message_due=bool(frame.due),
            card_offered=self.source.offered_card is not None,
            checklist=in_view(self.state, self.selected_step) if self.state.started else None,
            # Home is the timeline, where the arrows browse (unless replay shows its
            # Gantt bars instead: then wherever the focus is, is home).
            focus_home=focused is None or focused is timeline or not timeline.display,
        )
        self._moment = (key, moment)
        return moment

    # ---- actions ---------------------------------------------------------------------

    def _title(self, step_id: str) -> str:
        assert self.state.runbook is not None
        return self.state.runbook.step(step_id).title

    def _in_view(self) -> str | None:
        """The step the panel shows: the browsed one, else the current one."""
        return self.selected_step or self.state.current_step

    def action_advance(self) -> None:
        """Space: start the step on screen, or complete it if running; in a rollback, the
        next undo; with no step left, declare complete. It says which step it acted on."""
        state = self.state
        if state.ended:
            keys = self.keys
            self.notify(f"The cutover has ended; notes can still be added ({keys['note']}).")
            return
        if state.rolling_back and state.rollback is not None:
            self._advance_rollback()
            return
        step_id = self._in_view()
        if step_id is None:
            self._declare_complete()
            return
        step = state.steps[step_id]
        if step.status == "running":
            self._complete(step_id)
        elif step.done:
            when = f" at {self._hhmm(step.ended_at)}" if step.ended_at else ""
            self.notify(
                f"'{self._title(step_id)}' is already {step.status}{when}: nothing started. "
                f"{self.keys['back_to_current']} returns to the current step; "
                f"ctrl+p → {BY_ID['reopen'].palette} if it was a mistake.",
                title="Nothing done",
            )
        elif step_id != state.current_step:
            current = state.current_step
            now = f" The current step is '{self._title(current)}'." if current else ""
            self.confirm(
                "Start a step out of order?",
                f"You are looking at '{self._title(step_id)}'.{now}\n\n"
                "Start the step you are looking at?",
                f"Start '{self._title(step_id)}'",
                lambda: self._start(step_id),
            )
        else:
            self._start(step_id)

    def _complete(self, step_id: str) -> None:
        """Complete a running step: ask when verify items are unticked, or when space came
        a moment after the start (a double tap)."""

        def complete(why: str = "") -> cmd.Command:
            return cmd.CompleteStep(step_id=step_id, anyway=why)

        if self.unticked_then(ChecklistRef("step", step_id), "complete it", complete):
            return
        started = self._started_by_key.get(step_id)
        # A double tap: space again a moment after the start, with nothing done between
        # (a tick or a note in between is work, not a second press of the same key).
        if (
            started is not None
            and started[1] == self.state.last_seq
            and self.monotonic() - started[0] < DOUBLE_TAP_SECONDS
        ):
            self.confirm(
                f"Complete '{self._title(step_id)}' already?",
                "It started a moment ago. Was that a double tap?",
                "Complete it",
                lambda: self._completed(step_id, self.run_command(complete())),
            )
            return
        self._completed(step_id, self.run_command(complete()))

    def _completed(self, step_id: str, outcome: Outcome) -> None:
        if outcome.kind != "saved":
            return
        taken = schedule.step_minutes(self.state.steps[step_id], self.source.clock.now())
        took = f" (took {compact_minutes(taken)})" if taken is not None else ""
        self.notify(f"Completed '{self._title(step_id)}'{took}.", title="Done")

    def _start(self, step_id: str) -> None:
        state = self.state
        first = not any(step.started_at is not None for step in state.steps.values())
        if first and state.mode == "live" and state.runbook and state.runbook.pre_window:
            ref = ChecklistRef("pre_window")

            def anyway(why: str) -> cmd.Command:
                return cmd.StartStep(step_id=step_id, anyway=why)

            if self.unticked_then(ref, "start the night", anyway):
                return
        preview = self.source.preview(cmd.StartStep(step_id=step_id))
        if preview is not None and preview.code == "confirm_ponr":
            assert state.runbook is not None
            ponr = state.runbook.point_of_no_return
            body = (
                f"Starting '{self._title(step_id)}' crosses the POINT OF NO RETURN.\n\n"
                f"{ponr.why or 'After it, rollback is impossible or far more expensive.'}\n\n"
                "After this, the rollback pane shows the forward-fix path instead."
            )
            self.confirm(
                "Cross the point of no return?",
                body,
                "Cross it",
                lambda: self._started(
                    step_id, self.run_command(cmd.StartStep(step_id=step_id, confirm_ponr=True))
                ),
            )
            return
        self._started(step_id, self.run_command(cmd.StartStep(step_id=step_id)))

    def _started(self, step_id: str, outcome: Outcome) -> None:
        if outcome.kind != "saved":
            return
        self._started_by_key[step_id] = (self.monotonic(), self.state.last_seq)
        self.selected_step = None  # the step started is the current one now
        self.notify(f"Started '{self._title(step_id)}'.", title="Started")

    def _declare_complete(self) -> None:
        state = self.state
        skipped = state.skipped_steps
        done = len(state.steps) - skipped
        tally = f"{done} done, {skipped} skipped" if skipped else f"all {done} done"

        def declare(why: str = "") -> cmd.Command:
            return cmd.DeclareComplete(anyway=why)

        def confirmed() -> None:
            if not self.unticked_then(ChecklistRef("verification"), "declare it complete", declare):
                self.run_command(declare())

        self.confirm(
            "Declare the cutover complete?",
            f"No step is left ({tally}). Completing ends the cutover and records its outcome.",
            "Declare complete",
            confirmed,
        )

    def _advance_rollback(self) -> None:
        rollback = self.state.rollback
        assert rollback is not None
        if rollback.remaining:
            self.run_command(cmd.MarkRollbackStep(step_id=rollback.remaining[0]))
            return

        def complete(why: str = "") -> cmd.Command:
            return cmd.CompleteRollback(anyway=why)

        def confirmed() -> None:
            ref = ChecklistRef("rollback_verification")
            if not self.unticked_then(ref, "complete the rollback", complete):
                self.run_command(complete())

        skipped = len(rollback.skipped)
        note = f" ({skipped} skipped, with why)" if skipped else ""
        self.confirm(
            "Complete the rollback?",
            f"Every undo is done{note}. The cutover ends as ROLLED BACK.",
            "Complete rollback",
            confirmed,
        )

    def action_complete(self) -> None:
        """Space on the running step: complete it."""
        self.action_advance()

    def action_advance_rollback(self) -> None:
        """Space during a rollback: the next undo."""
        self.action_advance()

    def action_advance_finish(self) -> None:
        """Space once every step is done: declare complete."""
        self.action_advance()

    def action_skip(self) -> None:
        """Skip the step on screen, with a reason."""
        step_id = self._in_view()
        if step_id is None:
            self.notify("No step is left to skip.")
            return
        self.ask(
            f"Skip '{self._title(step_id)}'?",
            "Why is this step skipped? (it goes in the journal and the debrief)",
            lambda reason: cmd.SkipStep(step_id=step_id, reason=reason),
        )

    def action_fail(self) -> None:
        """Mark the running step failed, with what went wrong."""
        running = self.state.running_step
        if running is None:
            self.notify("No step is running.", severity="warning")
            return
        self.ask(
            f"'{self._title(running)}' failed",
            "What went wrong? You can retry it (space), skip it, raise a blocker or roll back.",
            lambda reason: cmd.FailStep(step_id=running, reason=reason),
        )

    def _next_undo(self) -> str | None:
        rollback = self.state.rollback
        return rollback.remaining[0] if rollback is not None and rollback.remaining else None

    def action_fail_undo(self) -> None:
        """The next undo did not work: why (it can be tried again with space, or skipped)."""
        if (step_id := self._next_undo()) is None:
            return
        self.ask(
            f"Undo of '{self._title(step_id)}' failed",
            "What went wrong? Space tries it again; s skips it, with why.",
            lambda reason: cmd.FailRollbackStep(step_id=step_id, reason=reason),
        )

    def action_skip_undo(self) -> None:
        """Skip the next undo, with why."""
        if (step_id := self._next_undo()) is None:
            return
        self.ask(
            f"Skip the undo of '{self._title(step_id)}'?",
            "Why is this undo not done? (journaled, and in the debrief)",
            lambda reason: cmd.SkipRollbackStep(step_id=step_id, reason=reason),
        )

    def _decide(self, decision: Literal["go", "no_go", "hold"]) -> None:
        checkpoint_id = self.state.open_checkpoint
        if checkpoint_id is None:
            return
        by = self.state.operator
        if decision == "go":
            self.run_command(
                cmd.DecideCheckpoint(checkpoint_id=checkpoint_id, decision="go", by=by)
            )
            return
        word = "NO-GO" if decision == "no_go" else "HOLD"
        assert self.state.runbook is not None
        meaning = self.state.runbook.checkpoint(checkpoint_id).no_go_means
        prompt = f"Why {word}?" + (f" (a no-go means: {meaning})" if decision == "no_go" else "")
        self.ask(
            f"{word} on '{self.state.runbook.checkpoint(checkpoint_id).title}'",
            prompt,
            lambda reason: cmd.DecideCheckpoint(
                checkpoint_id=checkpoint_id,
                decision=decision,
                by=by,
                reason=reason,
            ),
        )

    def action_go(self) -> None:
        """GO on the open checkpoint."""
        self._decide("go")

    def action_no_go(self) -> None:
        """NO-GO on the open checkpoint."""
        self._decide("no_go")

    def action_hold(self) -> None:
        """HOLD on the open checkpoint."""
        self._decide("hold")

    def action_blocker(self) -> None:
        """Raise a blocker: the escalation countdown starts."""
        assert self.state.runbook is not None
        minutes = self.state.runbook.meta.escalation_minutes
        self.ask(
            "Raise a blocker",
            f"What is blocking? The {minutes}-minute escalation timer starts now.",
            lambda what: cmd.RaiseBlocker(what=what),
        )

    def action_resolve(self) -> None:
        """Resolve the open blocker."""
        self.ask(
            "Resolve the blocker",
            "How was it resolved? (the debrief will ask)",
            lambda how: cmd.ResolveBlocker(how=how),
        )

    def action_rollback(self) -> None:
        """Start the rollback, after a confirmation that says what it means from here:
        before the point of no return, the undos and what they lose; past it, the forward
        fix first, the snapback path, and what the undo list can no longer do."""
        from cockpit.core.rollback import rollback_view

        view = rollback_view(self.state, self.source.clock.now())
        if view.past_ponr:
            title, yes, body = (
                "Past the point of no return",
                "Roll back anyway",
                [
                    "You are PAST THE POINT OF NO RETURN."
                    + (f" {view.ponr_why}" if view.ponr_why else ""),
                    "",
                    "Forward fix first:",
                    *(f" {n}. {fix}" for n, fix in enumerate(view.forward_fix, start=1)),
                ],
            )
            if view.snapback:
                body += ["", "If you still go back, the way back is:"]
                body += [f" · {item.action} ({item.minutes}m)" for item in view.snapback]
            if view.before_ponr:
                body += [
                    "",
                    "The undos of the steps before it no longer bring the old system back "
                    "by themselves; they clean up the new side once the way back is done:",
                    *(f" · {item.action} ({item.minutes}m)" for item in view.before_ponr),
                ]
        else:
            title, yes = "Start the rollback?", "Start rollback"
            body = (
                [
                    f"Undo {len(view.items)} step(s), about {view.total_minutes} min "
                    f"(RTO {view.rto_minutes} min):",
                    *(f" · {item.action} ({item.minutes}m)" for item in view.items),
                ]
                if view.items
                else ["Nothing done so far needs an undo: the rollback ends at once."]
            )
        if view.data_at_risk:
            body += ["", "A rollback now loses, unless kept:"]
            body += [f" · {what} ({kept_by})" for what, kept_by in view.data_at_risk]
        elif not view.past_ponr:
            body += ["", "Nothing written since the cutover is at risk: it has not happened yet."]
        body += ["", "The timeline becomes the rollback checklist."]

        def confirmed() -> None:
            self.ask(
                "Why roll back?",
                "The reason goes to the journal and the rollback message.",
                lambda reason: cmd.StartRollback(reason=reason),
            )

        self.confirm(title, "\n".join(body), yes, confirmed)

    def action_note(self) -> None:
        """Add a note."""
        self.ask(
            "Add a note",
            "What happened? (kept with the time, for the debrief)",
            lambda text: cmd.AddNote(text=text),
        )

    def action_message_sent(self) -> None:
        """Mark the first due message as sent."""
        due = comms.due_messages(self.state, self.source.clock.now())
        if not due:
            self.notify("No message is due.")
            return
        outcome = self.run_command(cmd.MarkMessageSent(message_id=due[0].message_id))
        if outcome.kind == "saved":
            self.notify(f"Marked sent: {due[0].message_id}")

    def action_messages(self) -> None:
        """The due messages, whole: to whom, why now, and the text to send."""
        due = comms.due_messages(self.state, self.source.clock.now())
        if not due:
            self.notify("No message is due.")
            return
        texts = [
            f"✉ {m.message_id} → {', '.join(m.audience)}  [{m.trigger}]\n{reflow(m.text)}"
            for m in due
        ]
        keys = self.keys
        self.app.push_screen(
            ReadText(
                f"{len(due)} message(s) due",
                "\n\n".join(texts),
                f"escape closes · then {keys['message_sent']} marks the first sent, "
                f"{keys['copy']} copies it",
            )
        )

    def action_copy(self) -> None:
        """Copy the due message, else the browsed step's command, else the on-call number."""
        state = self.state
        due = (
            comms.due_messages(state, self.source.clock.now())
            if self.source.watch == "live"
            else []
        )
        step_id = self.selected_step or state.current_step
        step = state.runbook.step(step_id) if state.runbook and step_id else None
        on_call = state.contacts.on_call if state.contacts is not None else None
        if due:
            text, what = due[0].text, f"message {due[0].message_id}"
        elif step is not None and step.commands:
            text, what = step.commands[0], "the step's command"
        elif on_call is not None and on_call.first_number:
            text, what = on_call.first_number, f"{on_call.name}'s number"
        else:
            self.notify("Nothing to copy here.")
            return
        self.app.copy_to_clipboard(text)
        self.notify(f"Copied {what}.")

    def action_log(self) -> None:
        """Open the journal log."""
        source = self.source

        def newer() -> list[Any]:
            source.poll()  # the screen under the log may not be polling: look here
            return source.all_events()

        following = source.watch == "follow"  # the log keeps up with the writer
        self.app.push_screen(LogScreen(source.all_events(), newer if following else None))

    def action_help(self) -> None:
        """Open the help screen: the keys in force, grouped, what applies now marked."""
        from cockpit.tui.help_rows import help_rows_for

        assert self.state.runbook is not None
        minutes = self.state.runbook.meta.escalation_minutes
        self.app.push_screen(HelpScreen(help_rows_for(self), minutes))

    def screen_bindings(self) -> list[Binding]:
        """Keys of this screen beyond the action table (the replay's)."""
        return []

    def action_abandon(self) -> None:
        """End the cutover without completing it and without a rollback (palette only)."""
        self.confirm(
            "Abandon the cutover?",
            "This ends the cutover as UNSUCCESSFUL: NOT ROLLED BACK. Nothing is undone.",
            "Abandon",
            lambda: self.ask(
                "Why abandon?",
                "The reason goes to the journal and the debrief.",
                lambda reason: cmd.Abandon(reason=reason),
            ),
        )

    def _card_changes(self) -> list[str]:
        from cockpit.core.cards import card_changes

        offered = self.source.offered_card
        return card_changes(self.state.contacts, offered) if offered is not None else []

    def action_adopt_card(self) -> None:
        """Take the contact card file's new version (a changed number), journaled."""
        command = self.source.adopt_card_command()
        if command is None:
            self.notify("The contact card file is the one on screen.")
            return
        changes = "\n".join(f"· {change}" for change in self._card_changes())
        self.confirm(
            "Take the changed contact card?",
            f"{changes}\n\nThe journal records the new card and what changed; the contacts "
            "and the escalation timer show it from now on.",
            "Take it",
            lambda: self.run_command(command),
        )

    # ---- browsing ----------------------------------------------------------------------

    def action_back_to_current(self) -> None:
        """Home: stop browsing, the focus back on the timeline where the arrows browse."""
        self.selected_step = None
        timeline = self.query_one(Timeline)
        if timeline.display:
            timeline.focus()
        self.refresh_view()

    def on_descendant_focus(self) -> None:
        """The focus moved (tab): escape must be offered, and the footer say so."""
        self._refresh_bindings_if_changed()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """A click browsed a step (the arrows have already called `browse`)."""
        if event.option.id:
            self.browse(event.option.id)

    def browse(self, option_id: str) -> None:
        """The arrows browse steps; the details follow without changing the current step."""
        if option_id not in self.state.steps:
            return
        selected = option_id if option_id != self.state.current_step else None
        if selected == self.selected_step and self.frame is not None:
            return  # drawn already (the arrow's own call, then its message)
        self.selected_step = selected
        frame = self.frame
        # The moment's view with this step browsed (the state unchanged: else a new one).
        view = (
            frame.browsing(selected)
            if frame is not None and frame.state is self.state and frame.seq == self.state.last_seq
            else self.make_view()
        )
        # The frame changes, but only the panels that follow the browsed step draw it now:
        # an arrow is one frame, and the header, card, timer and rollback pane would draw
        # the same again. The next frame reaches them all.
        self.set_reactive(CockpitScreen.frame, view)
        for panel in self.walk_children(Panel):
            if panel.FOLLOWS_BROWSING:
                panel.frame = view
        self._right_column(view)
        self._refresh_bindings_if_changed()
