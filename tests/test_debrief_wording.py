"""Debrief wording (issue 12, item 9): a step that had a blocker is not "as planned", and
a reason the DE ended with a period does not get a second one.

The night is written through the real core on the mini runbook, as the other debrief
scenarios are; the assertions read the Markdown the DE gets.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cockpit.core import commands as cmd
from cockpit.journal.store import read_events
from cockpit.report.debrief import build_debrief
from cockpit.report.debrief.markdown import render_markdown
from cockpit.text import sentence
from tests.debrief_scenarios import Night, _write


def _night_with_period_reasons(night: Night) -> None:
    """prep: quick, but a blocker was raised on it; snapshot: a failed attempt, then done;
    switch and test to plan. Every reason typed ends with a period."""
    night.at("02:00").do(cmd.MarkMessageSent(message_id="start"))
    night.at("02:00").do(cmd.StartStep(step_id="prep"))
    night.at("02:02").do(cmd.RaiseBlocker(what="Router will not take the config.", step_id="prep"))
    night.at("02:04").do(cmd.ResolveBlocker(how="Rebooted the router."))
    night.at("02:06").complete("prep")
    night.at("02:06").do(cmd.StartStep(step_id="snapshot"))
    night.at("02:08").do(cmd.FailStep(step_id="snapshot", reason="Export timed out."))
    night.at("02:09").do(cmd.StartStep(step_id="snapshot"))
    night.at("02:12").complete("snapshot")
    night.gate_go("02:13")
    night.step("switch", "02:14", "02:30", ponr=True)
    night.step("test", "02:31", "02:40")
    night.at("02:41").declare("Ported.")


@pytest.fixture
def report(tmp_path: Path) -> str:
    journal = _write(tmp_path / "wording.journal", _night_with_period_reasons)
    return render_markdown(build_debrief(read_events(journal), journal_name=journal.name))


def _section(text: str, heading: str) -> str:
    """The text under a `### heading`, up to the next heading."""
    after = text.split(f"### {heading}", 1)[1]
    return after.split("\n#", 1)[0]


def test_a_step_with_a_blocker_or_a_failed_attempt_is_not_as_planned(report: str) -> None:
    as_planned = _section(report, "What went as planned?")
    assert "'Prepare'" not in as_planned  # completed in 6 of its 10 minutes, but blocked
    assert "'Snapshot config'" not in as_planned  # a failed attempt, then a retry
    assert "- Step 3 'Switch over': 16 min against 20 min planned." in as_planned
    assert "- Step 4 'Test calls': 9 min against 15 min planned." in as_planned
    wrong = _section(report, "What went wrong, and how was it diagnosed and resolved?")
    assert "Blocker 'Router will not take the config.' raised at 02:02 during 'Prepare'" in wrong


def test_a_reason_ending_in_a_period_gets_no_second_one(report: str) -> None:
    assert ".." not in report
    assert (
        "- Step 2 'Snapshot config' failed at 02:08: Export timed out. Retried at 02:09: "
        "completed at 02:12.\n" in report
    )
    assert "resolved at 02:04 after 2 min: Rebooted the router.\n" in report
    assert "Suggested: Check beforehand what made 'Snapshot config' fail: Export timed out.\n" in (
        report
    )
    assert (
        "Suggested: Rehearse or pre-check what blocked 'Prepare': Router will not take the "
        "config.\n" in report
    )
    assert "Suggested: 'Router will not take the config.': Rebooted the router.\n" in report


def test_sentence_adds_a_period_only_when_none_ends_the_text() -> None:
    assert sentence("Carrier late") == "Carrier late."
    assert sentence("Carrier late.") == "Carrier late."
    assert sentence("Carrier late!  ") == "Carrier late!"
    assert sentence("Why now?") == "Why now?"
    assert sentence("Waiting…") == "Waiting…"
    assert sentence('NOC said "try again."') == 'NOC said "try again."'
    assert sentence("") == ""
