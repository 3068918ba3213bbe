"""The rollback pane: what undoing now means, the deadline, and past the PONR the fix."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll

from cockpit.core.rollback import rollback_view
from cockpit.text import compact_minutes
from cockpit.tui.view import CockpitView
from cockpit.tui.widgets.panel import Panel, PanelText

#: Minutes before the rollback deadline at which the pane warns.
DEADLINE_WARNING_MINUTES = 15


class RollbackPane(VerticalScroll, Panel):
    """Rollback from here: undo list, total against the RTO, deadline, data at risk."""

    BORDER_TITLE = "Rollback"

    def compose(self) -> ComposeResult:
        yield PanelText(id="rollback-body")

    def show(self, view: CockpitView) -> None:
        """Redraw from the view."""
        state = view.state
        rb = rollback_view(state, view.now)
        body = Text()
        warn = False
        passed = False
        if state.rollback is not None:
            rollback = state.rollback
            done = len(rollback.done)
            skipped = len(rollback.skipped)
            total = len(rollback.steps)
            finished = rollback.completed_at
            elapsed = ((finished or view.now) - rollback.started_at).total_seconds() / 60
            tally = f"{done}/{total} undone" + (f", {skipped} skipped" if skipped else "")
            if finished is not None:
                self.set_title("Rollback completed")
                body.append(f"completed {view.hhmm(finished)} · {tally}\n", "bold")
                body.append(f"took {compact_minutes(elapsed)} of RTO {rb.rto_minutes}m\n")
                passed = elapsed > rb.rto_minutes
            else:
                self.set_title("Rollback under way")
                body.append(f"{tally} · {compact_minutes(elapsed)} of RTO ", "bold")
                body.append(f"{rb.rto_minutes}m\n", "bold")
                left = rb.rto_minutes - elapsed
                body.append(
                    f"RTO left: {compact_minutes(left)}\n" if left >= 0 else "RTO EXCEEDED\n",
                    "bold",
                )
                passed = left < 0
            for step_id, reason in rollback.skipped:
                body.append(f" ↷ skipped {step_id}: {reason}\n", "dim")
        elif state.ended:
            from cockpit.journal.events import OUTCOME_WORDS

            self.set_title("Rollback")
            outcome = OUTCOME_WORDS.get(state.outcome or "", "")
            body.append(f"The cutover ended {view.hhmm(state.ended_at)}: {outcome}.\n", "bold")
            body.append("No rollback from here: a problem now is a new change.\n", "dim")
        elif rb.past_ponr:
            self.set_title("Past the point of no return")
            body.append("Rollback is no longer cheap. Forward fix:\n", "bold")
            for index, fix in enumerate(rb.forward_fix, start=1):
                body.append(f" {index}. {fix}\n")
            if rb.snapback:
                way = " · ".join(item.action for item in rb.snapback)
                body.append(f"\nThe way back: {way}\n", "dim")
        else:
            self.set_title("Rollback from here")
            if not rb.items:
                body.append("Nothing to undo yet.\n", "bold")
            for item in rb.items:
                body.append(f" {item.minutes:>3}m ", "dim")
                body.append(f"{item.action}{' (partly done)' if item.partial else ''}\n")
            fits = "within" if rb.fits_rto else "OVER"
            body.append(
                f"total {compact_minutes(rb.total_minutes)} · {fits} RTO {rb.rto_minutes}m\n",
                "bold",
            )
            left = rb.minutes_to_deadline
            body.append(f"deadline {view.hhmm(rb.deadline)} ", "bold")
            if left < 0:
                body.append("PASSED: a rollback now ends after the window\n", "bold reverse")
                passed = True
            else:
                body.append(f"(in {compact_minutes(left)})\n")
                warn = left <= DEADLINE_WARNING_MINUTES
        if rb.data_at_risk and state.rollback is None and not state.ended:
            body.append("A rollback now loses:\n", "dim")
            for what, kept_by in rb.data_at_risk:
                body.append(f" · {what} — keep: {kept_by}\n", "dim")
        self.set_class(warn, "-deadline-near")
        self.set_class(passed, "-deadline-passed")
        self.query_one("#rollback-body", PanelText).draw(body)
