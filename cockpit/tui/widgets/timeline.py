"""The timeline: every step with glyph and word, planned against actual, gates and the PONR.

An `OptionList`, so the arrow keys browse steps (the highlighted one is only browsed; it
never changes which step is current). Rows are rebuilt from the view each time.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from cockpit.core.state import STATUS_GLYPHS, STATUS_WORDS
from cockpit.tui.view import CockpitView, minutes_text

DECISION_WORDS = {"go": "GO", "no_go": "NO-GO", "hold": "HOLD"}


class Timeline(OptionList):
    """The runbook, step by step; during a rollback, the rollback checklist."""

    BORDER_TITLE = "Timeline"

    def show(self, view: CockpitView) -> None:
        """Rebuild the rows, keeping the browsed step highlighted."""
        state = view.state
        assert state.runbook is not None
        if state.rollback is not None:
            options = self._rollback_rows(view)
            self.border_title = "Rollback checklist"
        else:
            options = self._plan_rows(view)
            self.border_title = "Timeline"
        if state.rollback is not None:
            remaining = state.rollback.remaining
            wanted = f"rb:{remaining[0]}" if remaining else None
        else:
            wanted = view.selected_step or state.current_step
        signature = (wanted, [(o.id, str(o.prompt)) for o in options])
        if signature != getattr(self, "_signature", None):
            self._signature = signature
            self.set_options(options)
        elif wanted is None or (
            self.highlighted_option is not None and self.highlighted_option.id == wanted
        ):
            return  # nothing changed: keep the list (and its scroll) as it is
        if wanted is not None:
            try:
                self.highlighted = self.get_option_index(wanted)
            except Exception:  # the id is not in this list (rollback rows differ)
                self.highlighted = next((i for i, o in enumerate(options) if not o.disabled), None)

    def _plan_rows(self, view: CockpitView) -> list[Option]:
        state = view.state
        runbook = state.runbook
        assert runbook is not None
        timings = view.timings
        current = state.current_step
        rows: list[Option] = []
        for step in runbook.steps:
            for checkpoint in runbook.checkpoints_before(step.id):
                cp = state.checkpoints[checkpoint.id]
                line = Text("  ◆ ", style="bold")
                line.append(f"GO/NO-GO  {checkpoint.title}")
                if cp.decision is not None:
                    line.append(
                        f"  {DECISION_WORDS[cp.decision]} {view.hhmm(cp.decided_at)} "
                        f"by {cp.decided_by}",
                        "bold",
                    )
                else:
                    met = sum(1 for m in cp.marks if m is True)
                    line.append(f"  {met}/{len(cp.marks)} met", "dim")
                rows.append(Option(line, id=f"cp:{checkpoint.id}", disabled=True))
            if step.id == runbook.ponr_step:
                crossed = state.ponr_crossed_at
                label = (
                    f"━━ POINT OF NO RETURN crossed {view.hhmm(crossed)} ━━"
                    if crossed
                    else "━━━━━━━━ POINT OF NO RETURN ━━━━━━━━"
                )
                rows.append(Option(Text(label, style="bold"), id="ponr", disabled=True))
            step_state = state.steps[step.id]
            timing = timings[step.id]
            marker = "»" if step.id == current else " "
            is_current = step.id == current
            text = Text(f"{marker}{STATUS_GLYPHS[step_state.status]} ")
            text.append(f"{STATUS_WORDS[step_state.status]:<7} ", "bold" if is_current else "")
            # The title comes first so a narrow terminal cuts the numbers, not the words.
            text.append(step.title, "bold" if is_current else "")
            if timing.overrun:
                text.append(f"  OVERRUN +{minutes_text(timing.variance_minutes)}", "bold reverse")
            text.append(f"  {view.hhmm(timing.planned_start)} {step.minutes}m", "dim")
            if timing.actual_minutes is not None:
                verb = "running" if step_state.status == "running" else "took"
                text.append(f" · {verb} {minutes_text(timing.actual_minutes)}")
            if step_state.reason:
                text.append(f"  — {step_state.reason}", "italic")
            rows.append(Option(text, id=step.id))
        return rows

    def _rollback_rows(self, view: CockpitView) -> list[Option]:
        state = view.state
        rollback = state.rollback
        assert rollback is not None and state.runbook is not None
        head = Text(f"ROLLBACK started {view.hhmm(rollback.started_at)}: {rollback.reason}", "bold")
        rows = [Option(head, id="rb:head", disabled=True)]
        next_id = rollback.remaining[0] if rollback.remaining else None
        for step_id in rollback.steps:
            step = state.runbook.step(step_id)
            assert step.rollback is not None
            done = step_id in rollback.done
            marker = "»" if step_id == next_id else " "
            text = Text(f"{marker}{'✔ undone ' if done else '○ to undo'} ")
            text.append(f"{step.rollback.minutes:>3}m  ", "dim")
            text.append(step.rollback.action, "bold" if step_id == next_id else "")
            text.append(f"  (undo of: {step.title})", "dim")
            rows.append(Option(text, id=f"rb:{step_id}"))
        if rollback.completed_at is not None:
            rows.append(
                Option(
                    Text(f"ROLLBACK COMPLETED {view.hhmm(rollback.completed_at)}", "bold"),
                    id="rb:done",
                    disabled=True,
                )
            )
        return rows
