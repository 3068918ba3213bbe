"""The timeline: every step with glyph and word, planned against actual, gates and the PONR.

An `OptionList`, so the arrow keys browse steps (the highlighted one is only browsed; it
never changes which step is current). The rows are drawn from the view, but only the rows
whose inputs changed are drawn again: on a 1,000-step runbook a tick redraws the running
step's row, and a key press the two or three rows it touched — not a thousand.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from cockpit.core import schedule
from cockpit.core.state import STATUS_GLYPHS, STATUS_WORDS, StepState
from cockpit.model.runbook import Checkpoint, Runbook, Step
from cockpit.text import compact_minutes
from cockpit.tui.safe_text import escaped
from cockpit.tui.view import CockpitView
from cockpit.tui.widgets.panel import Panel

DECISION_WORDS = {"go": "GO", "no_go": "NO-GO", "hold": "HOLD"}


@dataclass(frozen=True, slots=True)
class Row:
    """One row of the list, and how its prompt is drawn."""

    option_id: str
    #: A heading (gate, point of no return, rollback head), not a step to browse.
    disabled: bool
    #: What the prompt depends on: equal inputs draw an equal prompt.
    inputs: Callable[[CockpitView, Any], Hashable]
    draw: Callable[[CockpitView, Any], Text]
    #: The checkpoint, step or undo the row is about.
    subject: Any = None


class Timeline(OptionList, Panel):
    """The runbook, step by step; during a rollback, the rollback checklist."""

    BORDER_TITLE = "Timeline"
    FOLLOWS_BROWSING = True
    FOCUS_HINT = ""

    #: OptionList's highlight, but a move repaints the two rows it leaves and reaches
    #: (`watch_highlighted`), not the whole list: an arrow's frame is a few lines here.
    highlighted: reactive[int | None] = reactive(None, repaint=False)

    def __init__(
        self, *, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        #: Per option id: the inputs its prompt was drawn from, and that prompt.
        self._drawn: dict[str, tuple[Hashable, Text]] = {}
        #: The rows in the list, in order.
        self._rows: list[Row] = []
        #: The plan's rows (they depend on the runbook only), and each one's position.
        self._plan: list[Row] = []
        self._plan_positions: dict[str, int] = {}
        self._plan_headings: list[int] = []
        self._runbook: Runbook | None = None
        #: What the plan's rows were last brought up to date with: the steps' states, the
        #: current step, the plan's start, and the steps whose row moves with the clock.
        self._shown_steps: dict[str, StepState] | None = None
        self._shown_current: str | None = None
        self._shown_start: datetime | None = None
        self._moving: set[str] = set()
        #: The row last highlighted by `show` (the arrows may have moved on since).
        self._shown_wanted: str | None = None
        #: Told at once which row the arrows browsed to, so the screen draws what follows
        #: from it in the same frame as the highlight (None: only `OptionHighlighted`).
        self.on_browse: Callable[[str], None] | None = None

    # ---- the arrows: one frame per key ---------------------------------------------------

    def watch_highlighted(self, old: int | None, new: int | None) -> None:  # type: ignore[override]
        super().watch_highlighted(new)
        for index in (old, new):
            self._repaint_option(index)

    def _repaint_option(self, index: int | None) -> None:
        """Repaint the lines of one option (where the list shows them now). Reads
        OptionList's line map (`_index_to_line`, `_heights`: private to Textual 8.2.8;
        `tests/test_tui_browse_frames.py` fails if a highlight stops being drawn)."""
        if index is None or not self.is_mounted:
            return
        try:
            line, height = self._index_to_line[index], self._heights[index]
        except KeyError:
            self.refresh()
            return
        self.refresh_lines(line, height)

    def _browse(self, move: Callable[[], None]) -> None:
        """Move the highlight and let the screen draw the browsed step, both inside one
        batch: the terminal gets one frame for the key, not the highlight first and the
        step panel, footer and layout in three more frames tens of milliseconds later."""
        with self.app.batch_update():
            move()
            option = self.highlighted_option
            if self.on_browse is not None and option is not None and option.id:
                self.on_browse(option.id)

    def action_cursor_up(self) -> None:
        self._browse(super().action_cursor_up)

    def action_cursor_down(self) -> None:
        self._browse(super().action_cursor_down)

    def action_first(self) -> None:
        self._browse(super().action_first)

    def action_last(self) -> None:
        self._browse(super().action_last)

    def action_page_up(self) -> None:
        self._browse(super().action_page_up)

    def action_page_down(self) -> None:
        self._browse(super().action_page_down)

    def show(self, view: CockpitView) -> None:
        """Bring the rows up to date with the view, keeping the browsed step highlighted.

        Only rows whose inputs may have changed are looked at, and only those whose
        prompt did change are replaced; the list is rebuilt only when its rows are other
        rows altogether (the rollback checklist instead of the plan).
        """
        state = view.state
        assert state.runbook is not None
        if state.runbook is not self._runbook:
            self._runbook = state.runbook
            self._plan = list(_plan_rows(state.runbook))
            self._plan_positions = {row.option_id: index for index, row in enumerate(self._plan)}
            # The rows drawn again on every frame: gates and the PONR line (a phase's
            # heading never changes: it is drawn once).
            self._plan_headings = [
                index
                for index, row in enumerate(self._plan)
                if row.disabled and row.inputs is not _phase_inputs
            ]
            self._drawn.clear()
            self._shown_steps = None
        if state.rollback is not None:
            next_undo = _next_undo(view)
            rows = list(_rollback_rows(view, next_undo))
            title = "Rollback checklist"
            wanted = f"rb:{next_undo}" if next_undo is not None else None
            rebuild = [row.option_id for row in rows] != [row.option_id for row in self._rows]
            to_check: Iterable[int] = range(len(rows))
            self._shown_steps = None
        else:
            rows = self._plan
            title = "Timeline"
            wanted = view.selected_step or view.current_step
            rebuild = rows is not self._rows
            if rebuild:
                self._shown_steps = None  # every row is drawn, or taken from what was
            to_check = self._plan_rows_to_check(view)
        self.set_title(title)

        changed = self._draw(view, rows, to_check)
        if rebuild:
            self._rows = rows
            drawn = self._drawn
            self.set_options(
                Option(drawn[row.option_id][1], id=row.option_id, disabled=row.disabled)
                for row in rows
            )
        else:
            for index, prompt in changed:
                self.replace_option_prompt_at_index(index, prompt)
        highlighted = self.highlighted_option
        if not (rebuild or changed) and highlighted is not None and highlighted.id == wanted:
            # The arrows have highlighted the wanted row already (and scrolled to it as
            # little as it takes): nothing to move.
            self._shown_wanted = wanted
        elif rebuild or changed or wanted != self._shown_wanted:
            # Scrolled as a list built afresh would be: from its top, just enough to show
            # the highlighted row (the list once was rebuilt on every change).
            self._shown_wanted = wanted
            if not rebuild:
                self.highlighted = None
                self.scroll_home(animate=False, immediate=True)
            self._highlight(wanted)
        elif wanted is not None and (highlighted is None or highlighted.id != wanted):
            self._highlight(wanted)  # the arrows moved away: back to the wanted row

    def _draw(
        self, view: CockpitView, rows: list[Row], indexes: Iterable[int]
    ) -> list[tuple[int, Text]]:
        """Draw the rows at these positions whose inputs changed; the prompts that did."""
        drawn = self._drawn
        changed: list[tuple[int, Text]] = []
        for index in indexes:
            row = rows[index]
            inputs = row.inputs(view, row.subject)
            before = drawn.get(row.option_id)
            if before is not None and before[0] == inputs:
                continue
            prompt = escaped(row.draw(view, row.subject))
            if before is not None and before[1] == prompt:
                prompt = before[1]  # new inputs, same picture (a minute that rounds the same)
            else:
                changed.append((index, prompt))
            drawn[row.option_id] = (inputs, prompt)
        return changed

    def _plan_rows_to_check(self, view: CockpitView) -> list[int]:
        """Positions of the plan's rows that may have changed since they were drawn.

        The steps whose state changed (an event replaces a step's state, never edits it,
        so comparing identities against a copy of the last steps finds them), the old and
        new current step, the steps that run (their minutes move with the clock), and the
        few gate and point-of-no-return rows. Everything when the plan's start moved (a
        rebaseline moves every planned time).
        """
        state = view.state
        steps = state.steps
        current = view.current_step
        start = view.window.start
        before = self._shown_steps
        positions = self._plan_positions
        if before is None or start != self._shown_start:
            candidates: set[str] = set(steps)
        else:
            candidates = set(self._moving)
            candidates.update(
                step_id for step_id, step in steps.items() if before.get(step_id) is not step
            )
            for step_id in (self._shown_current, current):
                if step_id is not None:
                    candidates.add(step_id)
        # A copy: the session folds events into the same state (and the same dict).
        self._shown_steps, self._shown_current, self._shown_start = dict(steps), current, start
        for step_id in candidates:
            step = steps.get(step_id)
            if step is not None and schedule.moves_with_time(step):
                self._moving.add(step_id)
            else:
                self._moving.discard(step_id)
        if before is None:  # drawn afresh: every row, the phases' headings too
            return list(range(len(self._plan)))
        indexes = [positions[step_id] for step_id in candidates if step_id in positions]
        indexes += self._plan_headings
        return indexes

    def _highlight(self, wanted: str | None) -> None:
        """Highlight the wanted row (which scrolls it into view).

        Quietly: `OptionHighlighted` means the arrows browsed to a step; the screen that
        called `show` has already drawn what this highlight follows from.
        """
        if wanted is None:
            return
        index: int | None
        try:
            index = self.get_option_index(wanted)
        except OptionDoesNotExist:  # not in this list (rollback rows differ)
            index = next((i for i, option in enumerate(self.options) if not option.disabled), None)
        with self.prevent(OptionList.OptionHighlighted):
            self.highlighted = index


# ---- the plan ----------------------------------------------------------------------------


def _plan_rows(runbook: Runbook) -> Iterator[Row]:
    """Every row of the plan: each step, after the gates before it and the PONR line; and
    where the phase changes, the new phase's heading above them all."""
    index = schedule.plan_index(runbook)
    phase: str | None = None
    for position, step in enumerate(runbook.steps):
        if step.phase is not None and step.phase != phase:
            yield Row(f"phase:{position}", True, _phase_inputs, _phase_row, step.phase)
        phase = step.phase
        for checkpoint in index.checkpoints_before(step.id):
            yield Row(f"cp:{checkpoint.id}", True, _checkpoint_inputs, _checkpoint_row, checkpoint)
        if step.id == runbook.ponr_step:
            yield Row("ponr", True, _ponr_inputs, _ponr_row)
        yield Row(step.id, False, _step_inputs, _step_row, step)


def _phase_inputs(_: CockpitView, phase: str) -> Hashable:
    """A phase's heading is the runbook's: it never changes during the night."""
    return phase


def _checkpoint_inputs(view: CockpitView, checkpoint: Checkpoint) -> Hashable:
    return view.state.checkpoints[checkpoint.id]


def _ponr_inputs(view: CockpitView, _: None) -> Hashable:
    return view.state.ponr_crossed_at


def _step_inputs(view: CockpitView, step: Step) -> Hashable:
    """A step's row depends on its state, on whether it is current, on the plan's start
    (its planned time) and — only while it runs — on the moment."""
    step_state = view.state.steps[step.id]
    moment = view.now if schedule.moves_with_time(step_state) else None
    return (step_state, step.id == view.current_step, view.window.start, moment)


# ---- the rollback checklist ----------------------------------------------------------------


def _rollback_rows(view: CockpitView, next_id: str | None) -> Iterator[Row]:
    """Every row of the rollback checklist."""
    rollback = view.state.rollback
    assert rollback is not None
    yield Row("rb:head", True, _rollback_head_inputs, _rollback_head)
    done = set(rollback.done)
    for step_id in rollback.steps:
        # An undo's row depends on whether it is done and whether it is next.
        undo = (step_id, step_id in done, step_id == next_id)
        yield Row(f"rb:{step_id}", False, _undo_inputs, _undo_row, undo)
    if rollback.completed_at is not None:
        yield Row("rb:done", True, _rollback_done_inputs, _rollback_done)


def _rollback_head_inputs(view: CockpitView, _: None) -> Hashable:
    rollback = view.state.rollback
    assert rollback is not None
    return (rollback.started_at, rollback.reason)


def _undo_inputs(_: CockpitView, undo: tuple[str, bool, bool]) -> Hashable:
    return undo


def _rollback_done_inputs(view: CockpitView, _: None) -> Hashable:
    rollback = view.state.rollback
    assert rollback is not None
    return rollback.completed_at


def _next_undo(view: CockpitView) -> str | None:
    """The next undo of the rollback (linear: `Rollback.remaining` is quadratic)."""
    rollback = view.state.rollback
    assert rollback is not None
    done = set(rollback.done)
    return next((step_id for step_id in rollback.steps if step_id not in done), None)


def _checkpoint_row(view: CockpitView, checkpoint: Checkpoint) -> Text:
    cp = view.state.checkpoints[checkpoint.id]
    line = Text("  ◆ ", style="bold")
    # Where it stands first, the title after: a narrow row cuts the title, never the
    # decision or who made it.
    if cp.decision is not None:
        line.append(
            f"{DECISION_WORDS[cp.decision]} {view.hhmm(cp.decided_at)} by {cp.decided_by}",
            "bold",
        )
    else:
        met = sum(1 for m in cp.marks if m is True)
        line.append(f"GO/NO-GO {met}/{len(cp.marks)} met", "bold")
    line.append(f"  {checkpoint.title}")
    return line


def _phase_row(_: CockpitView, phase: str) -> Text:
    """The heading of a part of the night: dim, so the steps stay what the eye finds."""
    return Text(f"── {phase} ──", style="dim italic")


def _ponr_row(view: CockpitView, _: None) -> Text:
    crossed = view.state.ponr_crossed_at
    label = (
        f"━━ POINT OF NO RETURN crossed {view.hhmm(crossed)} ━━"
        if crossed
        else "━━━━━━━━ POINT OF NO RETURN ━━━━━━━━"
    )
    return Text(label, style="bold")


def _step_row(view: CockpitView, step: Step) -> Text:
    step_state = view.state.steps[step.id]
    timing = view.timings[step.id]
    is_current = step.id == view.current_step
    marker = "»" if is_current else " "
    text = Text(f"{marker}{STATUS_GLYPHS[step_state.status]} ")
    text.append(f"{STATUS_WORDS[step_state.status]:<7} ", "bold" if is_current else "")
    # The title comes first so a narrow terminal cuts the numbers, not the words.
    text.append(step.title, "bold" if is_current else "")
    if timing.overrun:
        text.append(f"  OVERRUN +{compact_minutes(timing.variance_minutes)}", "bold reverse")
    text.append(f"  {view.hhmm(timing.planned_start)} {step.minutes}m", "dim")
    if timing.actual_minutes is not None:
        verb = "running" if step_state.status == "running" else "took"
        text.append(f" · {verb} {compact_minutes(timing.actual_minutes)}")
    if step_state.reason:
        text.append(f"  — {step_state.reason}", "italic")
    return text


def _rollback_head(view: CockpitView, _: None) -> Text:
    rollback = view.state.rollback
    assert rollback is not None
    return Text(f"ROLLBACK started {view.hhmm(rollback.started_at)}: {rollback.reason}", "bold")


def _undo_row(view: CockpitView, undo: tuple[str, bool, bool]) -> Text:
    step_id, done, is_next = undo
    assert view.state.runbook is not None
    step = schedule.plan_index(view.state.runbook).steps[step_id]
    assert step.rollback is not None
    marker = "»" if is_next else " "
    text = Text(f"{marker}{'✔ undone ' if done else '○ to undo'} ")
    text.append(f"{step.rollback.minutes:>3}m  ", "dim")
    text.append(step.rollback.action, "bold" if is_next else "")
    text.append(f"  (undo of: {step.title})", "dim")
    return text


def _rollback_done(view: CockpitView, _: None) -> Text:
    rollback = view.state.rollback
    assert rollback is not None
    return Text(f"ROLLBACK COMPLETED {view.hhmm(rollback.completed_at)}", "bold")
