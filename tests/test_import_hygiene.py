"""The core never imports Textual (nor the TUI): checked in a fresh interpreter."""

from __future__ import annotations

import subprocess
import sys

CORE_MODULES = [
    "cockpit.model.load",
    "cockpit.model.runbook",
    "cockpit.model.contacts",
    "cockpit.journal.events",
    "cockpit.journal.store",
    "cockpit.journal.verify",
    "cockpit.journal.describe",
    "cockpit.session",
    "cockpit.follow",
    "cockpit.replay",
    "cockpit.report.debrief",
    "cockpit.report.debrief_md",
    "cockpit.report.debrief_html",
    "cockpit.report.gantt",
    "cockpit.report.document",
    "cockpit.report.debrief_text",
    "cockpit.report.debrief_model",
    "cockpit.report.debrief_walk",
    "cockpit.report.debrief_steps",
    "cockpit.report.debrief_blockers",
    "cockpit.report.debrief_comms",
    "cockpit.report.debrief_questions",
    "cockpit.report.debrief_compare",
    "cockpit.report.debrief_document",
    "cockpit.report.debrief_doc_incidents",
    "cockpit.report.debrief_doc_record",
    "cockpit.report.debrief_doc_review",
    "cockpit.secrets",
    "cockpit.readiness",
    "cockpit.report.paper",
    "cockpit.importers",
    "cockpit.importers.markdown",
    "cockpit.importers.csv_import",
    "cockpit.settings",
    "cockpit.core",
    "cockpit.core.schedule",
    "cockpit.core.rollback",
    "cockpit.core.comms",
    "cockpit.core.escalation",
]


def test_core_does_not_import_textual() -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {CORE_MODULES!r}:\n"
        "    importlib.import_module(name)\n"
        "prefixes = ('textual.', 'cockpit.tui')\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith(prefixes))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "", f"core pulled in: {result.stdout.strip()}"
