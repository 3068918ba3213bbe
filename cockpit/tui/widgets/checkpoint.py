"""The go/no-go panel: criteria with their marks, and the decision once made."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from cockpit.core import schedule
from cockpit.tui.safe_text import escaped
from cockpit.tui.view import CockpitView
from cockpit.tui.widgets.panel import Panel, PanelText

#: Same width for every mark, so the criteria line up; never colour alone.
MARKS = {True: "✔ met", False: "✖ NOT met", None: "☐ open"}
DECISION_WORDS = {"go": "GO", "no_go": "NO-GO", "hold": "HOLD"}


class CheckpointPanel(PanelText, Panel):
    """Shown while a checkpoint gates the next step, or after one was decided."""

    BORDER_TITLE = "Go / no-go"

    def show(self, view: CockpitView) -> None:
        """Redraw from the view; hide when no checkpoint is in play."""
        state = view.state
        runbook = state.runbook
        assert runbook is not None
        checkpoint_id = view.open_checkpoint or self._recent(view)
        # A class, not `display`: the stylesheet may hide the panel too (a step browsed
        # at a gate on a short screen), and an inline style would overrule it.
        self.set_class(checkpoint_id is None, "-none")
        if checkpoint_id is None:
            return
        cp = state.checkpoints[checkpoint_id]
        self.set_class(cp.decision == "go", "-go")
        self.set_class(cp.decision == "no_go", "-no-go")
        self.set_class(cp.decision == "hold", "-hold")
        # A table never equals another, so compare what it is drawn from instead: an
        # unchanged checkpoint is not redrawn every second.
        drawn_from = (runbook, checkpoint_id, cp, view.read_only)
        if drawn_from == self.drawn:
            return
        checkpoint = runbook.checkpoint(checkpoint_id)
        self.set_title(f"Go / no-go · {checkpoint.title}")
        criteria = Table.grid(padding=(0, 1))
        criteria.add_column(no_wrap=True)
        criteria.add_column(no_wrap=True, width=9)
        criteria.add_column(ratio=1)
        for index, (criterion, mark) in enumerate(zip(checkpoint.criteria, cp.marks, strict=True)):
            criteria.add_row(
                Text(f" {index + 1} ", "reverse"),
                Text(MARKS[mark], "bold" if mark is not True else ""),
                # A cell given as a str would be read as markup: "[/srv/backup]" crashed.
                escaped(Text(criterion)),
            )
        # What to know or do first goes first: the decision, or the keys; then the
        # criteria; then who decides and what a no-go means (cut first when space is short).
        head = Text()
        if cp.decision is not None:
            word = DECISION_WORDS[cp.decision]
            head.append(f"{word} by {cp.decided_by} at {view.hhmm(cp.decided_at)}", "bold")
            if cp.reason:
                head.append(f" — {cp.reason}")
        if cp.decision != "go" and not view.read_only:
            keys = view.keys
            hint = (
                f"{keys['go']} go · {keys['no_go']} no-go · {keys['hold']} hold"
                if cp.all_met
                else f"{keys['tick']} toggle · go needs all met"
            )
            head.append(("\n" if head else "") + hint, "italic")
        body = Text(f"decides: {checkpoint.decider} · no-go means: {checkpoint.no_go_means}", "dim")
        parts: list[RenderableType] = [head, criteria, body] if head else [criteria, body]
        self.draw(Group(*parts), drawn_from=drawn_from)

    def _recent(self, view: CockpitView) -> str | None:
        """The checkpoint gating the current step when it was decided (shown until it starts)."""
        state = view.state
        assert state.runbook is not None
        current = view.current_step
        if current is None or state.steps[current].status != "pending":
            return None
        gates = schedule.plan_index(state.runbook).checkpoints_before(current)
        return gates[0].id if gates else None
