"""The header: what, when, how late, live or rehearsal, and whether everything is saved;
following, whether the writer runs, quit cleanly or is gone, and how old the last event is."""

from __future__ import annotations

from datetime import datetime, timedelta

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal

from cockpit.core import schedule
from cockpit.core.source import WriterStatus
from cockpit.text import compact_minutes
from cockpit.tui.view import CockpitView
from cockpit.tui.widgets.panel import Panel, PanelText


def window_text(start: datetime, end: datetime) -> str:
    """ "window 01:00–04:30 CST"; across a change of the clocks, each end with its zone
    ("window 01:00 CDT–03:00 CST"), so a fall-back night's extra hour is not hidden."""
    if start.tzname() == end.tzname():
        return f"window {start:%H:%M}–{end:%H:%M} {start.tzname()}"
    return f"window {start:%H:%M} {start.tzname()}–{end:%H:%M} {end.tzname()}"


class CockpitHeader(Horizontal, Panel):
    """Two calm lines, and badges that are loud only when they must be."""

    def compose(self) -> ComposeResult:
        yield PanelText(id="header-text")
        yield PanelText(id="mode-badge")
        yield PanelText(id="save-badge")

    def show(self, view: CockpitView) -> None:
        """Redraw from the view."""
        state = view.state
        assert state.runbook is not None
        meta = state.runbook.meta
        win = view.window
        now = view.now
        title = Text.assemble(
            (f"{window_text(view.local(win.start), view.local(win.end))}  ·  ", "bold"),
            meta.customer,
            "  ·  ",
            (meta.title, "bold"),
        )
        status = Text()
        status.append(f"now {view.hhmm(now)}")
        elapsed = schedule.elapsed(state, now)
        if elapsed is None and now < win.start:
            status.append(
                f"  ·  starts in {compact_minutes((win.start - now).total_seconds() / 60)}"
            )
        elif elapsed is not None:
            status.append(f"  ·  elapsed {compact_minutes(elapsed.total_seconds() / 60)}")
        if state.rolling_back and state.rollback is not None:
            taken = (now - state.rollback.started_at).total_seconds() / 60
            left = meta.rto_minutes - taken
            status.append("  ·  ROLLING BACK ", "bold")
            status.append(
                f"RTO left {compact_minutes(left)}" if left >= 0 else "RTO EXCEEDED",
                "bold",
            )
            self.set_class(left < 0, "-late")
        elif state.ended:
            from cockpit.journal.events import OUTCOME_WORDS

            status.append(f"  ·  ended {view.hhmm(state.ended_at)}: ")
            status.append(OUTCOME_WORDS.get(state.outcome or "", ""), "bold")
        elif (stopped := schedule.stop(state, now)) is not None:
            # Stopped: "on time" would be untrue (the projection is the core's).
            since = compact_minutes((now - stopped.since).total_seconds() / 60)
            status.append(f"  ·  STOPPED {since} ({stopped.kind})", "bold")
            status.append(
                f"  ·  finish {view.hhmm(stopped.finish)} if going at {view.hhmm(stopped.resume)}"
            )
            self.set_class(schedule.late_minutes(state, now, stopped.finish) > 0.5, "-late")
        else:
            finish = view.projected_finish
            late = schedule.late_minutes(state, now, finish)
            status.append(f"  ·  finish {view.hhmm(finish)} ")
            if late > 0.5:
                status.append(f"late by {compact_minutes(late)}", "bold")
                self.add_class("-late")
            else:
                status.append("on time")
                self.remove_class("-late")
        if state.runbook_changed:
            status.append("  ·  runbook file changed: following the journal's snapshot", "italic")
        if state.card_changed and not view.read_only:
            status.append("  ·  contact card file changed: not taken (ctrl+p)", "bold")
        self.query_one("#header-text", PanelText).draw(Text("\n").join([title, status]))

        mode = {"follow": "FOLLOWING", "replay": "REPLAY"}.get(view.watch, state.mode.upper())
        if view.share_mode:
            mode += " · SHARING"
        badge = self.query_one("#mode-badge", PanelText)
        writer = view.writer if view.watch == "follow" else None
        if writer is not None:
            badge.draw(Text.assemble(mode, "\n", writer_words(writer, view)))
        else:
            badge.draw(mode)
        badge.set_class(state.mode == "rehearsal", "-rehearsal")
        badge.set_class(view.watch != "live", "-watching")
        badge.set_class(writer is not None and writer.state == "gone", "-writer-gone")

        save = self.query_one("#save-badge", PanelText)
        if view.save_error:
            save.draw("NOT SAVED\nactions refused")
        elif view.watch == "live":
            save.draw(f"saved #{state.last_seq}\n{view.journal_path.name}")
        elif writer is not None and (age := writer.last_event_age(now)) is not None:
            # How fresh the journal is: a writer that runs but has written nothing for
            # long is worth a call as much as one that is gone.
            save.draw(f"event #{state.last_seq} · {age_words(age)}\n{view.journal_path.name}")
        else:
            save.draw(f"event #{state.last_seq}\n{view.journal_path.name}")
        save.set_class(bool(view.save_error), "-unsaved")


def age_words(age: timedelta) -> str:
    """How long ago, for the header: `12 s ago`, `3 min ago`, `1h05m ago`."""
    seconds = int(age.total_seconds())
    if seconds < 60:
        return f"{seconds} s ago"
    if seconds < 3600:
        return f"{seconds // 60} min ago"
    return f"{compact_minutes(seconds / 60)} ago"


def writer_words(writer: WriterStatus, view: CockpitView) -> Text:
    """Following: the writer's state in a few words. Gone stands out by its words, a
    warning sign and reverse video, not by colour alone."""
    if writer.state == "running":
        return Text("writer running")
    if writer.state == "quit":
        return Text(f"writer QUIT {view.hhmm(writer.quit_at)} (clean)")
    if writer.state == "gone":
        return Text("⚠ writer GONE: no clean quit", style="bold reverse")
    return Text("writer: cannot tell (lock unreadable)")
