"""The baseline for the first-frame and key benchmarks: the smallest Textual app of the kind.

A header, a table and a footer, nothing else — what any Textual app pays to put its first
frame on a terminal. `bench_cockpit.py` starts it exactly as it starts `cockpit run`, in a
pseudo-terminal, and waits for the same text ("Timeline", here the table's border title).
Space changes a row's status and the header's "saved #N" — the kind of change a key makes
on the cockpit — for the key-latency baseline.

    python tests/benchmarks/baseline_app.py [ROWS] [--floor RUNBOOK]

With `--floor RUNBOOK` it first does what no cockpit can skip before its first frame:
import the cockpit's core (its pydantic models, events, commands and state) and load and
validate the runbook, with the garbage collector handled as the cockpit handles it
(paused until the first frame). The cockpit's first frame cannot come sooner than this
app's with `--floor`: the benchmark reports it, so a missed first-frame goal can be told
apart from start-up work the cockpit could still shed.
"""

from __future__ import annotations

import sys

from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer, Header


class Baseline(App[None]):
    """Header, DataTable, Footer."""

    BINDINGS = [("ctrl+q", "quit", "Quit"), ("space", "advance", "Start/complete")]

    def __init__(self, rows: int, floor: bool = False) -> None:
        super().__init__()
        self.rows = rows
        self.saved = 2
        self.floor = floor

    def compose(self) -> ComposeResult:
        yield Header()
        table: DataTable[str] = DataTable(id="table")
        table.border_title = "Timeline"
        yield table
        yield Footer()

    def on_mount(self) -> None:
        if self.floor:  # the collector as the cockpit handles it
            from cockpit.collector import COLLECT_EVERY, BetweenKeys

            collector = BetweenKeys()
            self.call_after_refresh(collector.start_up_over)
            self.set_interval(COLLECT_EVERY, collector.collect)
        self.sub_title = f"saved #{self.saved}"
        table = self.query_one(DataTable)
        table.styles.border = ("round", "white")
        for column in ("status", "step", "planned", "owner"):
            table.add_column(column, key=column)
        for index in range(self.rows):
            cells = ("pending", f"Step {index + 1}", f"{index * 10} min", "de")
            table.add_row(*cells, key=str(index))

    def action_advance(self) -> None:
        """Space: the next row's status changes and the header says "saved #N" — the same
        kind of change a key makes on the cockpit, for the key-latency baseline."""
        table = self.query_one(DataTable)
        row = (self.saved - 2) // 2 % self.rows
        status = "running" if self.saved % 2 == 0 else "done"
        table.update_cell(str(row), "status", status)
        self.saved += 1
        self.sub_title = f"saved #{self.saved}"


def load_floor(runbook: str) -> None:
    """The cockpit's unavoidable start-up work: its core imported, the runbook validated."""
    from pathlib import Path

    import cockpit.core  # noqa: F401  (the models, events, commands and state)
    from cockpit.model.load import load_runbook

    load_runbook(Path(runbook))


def main(arguments: list[str]) -> None:
    if "--floor" not in arguments:
        Baseline(int(arguments[0]) if arguments else 13).run()
        return
    from cockpit.collector import collector_paused

    at = arguments.index("--floor")
    runbook = arguments[at + 1]
    del arguments[at : at + 2]
    with collector_paused():  # as the command line runs `cockpit run`
        load_floor(runbook)
        Baseline(int(arguments[0]) if arguments else 13, floor=True).run()


if __name__ == "__main__":
    main(sys.argv[1:])
