"""Issue 12 at the debrief and on paper: the checklists walked item by item (seen when and
by whom, or never), what was passed anyway and why, the checklist before the window with
its signatures, every correction, the undo that failed or was skipped, the check after a
rollback, and every call with what was agreed.

Two nights on the mini runbook with a checklist before the window and a check after a
rollback, written through the real core and journal (`tests/debrief_scenarios.Night`):

* `checked` — a live night started with the FOC item unsigned (why: journaled), a step
  completed by a double tap and reopened, a step completed with its item unticked, a note
  withdrawn, a call on no blocker, the verification declared complete with an item left,
  and that item ticked the next morning (hypercare).
* `undone` — a blocker and a call with what was agreed, a rollback whose undo fails, then
  is skipped, and the check after it ended with an item unticked.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from cockpit.core import commands as cmd
from cockpit.core.clock import ManualClock
from cockpit.journal.describe import readable_lines
from cockpit.journal.store import Journal, read_events
from cockpit.model.load import load_contact_card, load_runbook
from cockpit.model.runbook import Runbook
from cockpit.report.debrief import Debrief, build_debrief
from cockpit.report.debrief.html import render_html
from cockpit.report.debrief.markdown import render_markdown
from cockpit.report.paper import render_paper
from tests.checklist_helpers import tick_all
from tests.debrief_scenarios import ZONE, Night
from tests.journal_helpers import MINI, MINI_CARD, JournalDriver, start_command

PRE_WINDOW = [
    {"item": "FOC confirmed by phone", "signed_by": "de"},
    {"item": "Senior DE approved the plan", "signed_by": "senior"},
]
RESTORED = ["Main number rings on the old system", "Outbound caller ID is right"]


def full_runbook() -> Runbook:
    """The mini runbook with a checklist before the window and a check after a rollback."""
    data: dict[str, Any] = load_runbook(MINI).model_dump(mode="json")
    data["pre_window"] = PRE_WINDOW
    data["rollback_verification"] = RESTORED
    return Runbook.model_validate(data)


def write(path: Path, script: Callable[[Night], None], mode: str = "live") -> Path:
    """A night on the full runbook, opened at 01:50, written as the cockpit writes it."""
    runbook, card = full_runbook(), load_contact_card(MINI_CARD)
    with Journal.open(path) as journal:
        night = Night(
            JournalDriver(journal, ManualClock(datetime(2026, 11, 24, tzinfo=ZONE))), (2026, 11, 24)
        )
        night.at("01:50").do(start_command(runbook, card, mode=mode))  # type: ignore[arg-type]
        script(night)
    return path


def checked(night: Night) -> None:
    night.at("01:52").do(cmd.TickItem(checklist="pre_window", index=1, by="Sam Senior"))
    night.at("01:53").do(cmd.TickItem(checklist="pre_window", index=0, by="Dana"))
    night.at("01:54").do(
        cmd.UntickItem(checklist="pre_window", index=0, reason="that FOC call was another order")
    )
    night.at("02:00").do(cmd.StartStep(step_id="prep", anyway="FOC confirmed by email at 01:58"))
    night.at("02:06").do(cmd.TickItem(checklist="step", step_id="prep", index=0))
    night.at("02:09").do(cmd.CompleteStep(step_id="prep"))
    night.at("02:10").do(cmd.ReopenStep(step_id="prep", reason="completed by a double tap"))
    night.at("02:11").do(cmd.CompleteStep(step_id="prep"))
    night.at("02:12").do(cmd.StartStep(step_id="snapshot"))
    night.at("02:20").do(
        cmd.CompleteStep(step_id="snapshot", anyway="saved to the wrong folder; copied at 02:25")
    )
    note = night.driver.must(cmd.AddNote(text="Carrier says the FOC moved"))[0]
    night.at("02:21").do(cmd.WithdrawNote(note_seq=note.seq, reason="another customer's ticket"))
    night.at("02:22").do(
        cmd.LogEscalation(contact_id="carrier-noc", agreed="NOC stays on the bridge until 03:00")
    )
    night.gate_go("02:23")
    night.step("switch", "02:24", "02:40", ponr=True)
    night.step("test", "02:41", "02:50")
    night.at("02:52").do(cmd.TickItem(checklist="verification", index=0))
    night.at("02:53").do(cmd.DeclareComplete(anyway="voicemail is checked after the first message"))
    # The morning after, in hypercare.
    night.at("09:10").do(cmd.TickItem(checklist="verification", index=1, by="Customer IT"))


def undone(night: Night) -> None:
    tick_all(night.driver.must, night.driver.state, "pre_window")
    night.step("prep", "02:00", "02:10")
    night.at("02:11").do(cmd.StartStep(step_id="snapshot"))
    night.at("02:12").do(cmd.RaiseBlocker(what="Config export times out"))
    night.at("02:14").do(cmd.LogEscalation(agreed="Roll back now; retry next week"))
    night.at("02:15").do(cmd.StartRollback(reason="export keeps failing"))
    night.at("02:17").do(cmd.FailRollbackStep(step_id="prep", reason="permission denied"))
    night.at("02:19").do(
        cmd.SkipRollbackStep(step_id="prep", reason="nothing was prepared after all")
    )
    night.at("02:20").do(cmd.TickItem(checklist="rollback_verification", index=0))
    night.at("02:21").do(cmd.CompleteRollback(anyway="caller ID is checked in the morning"))


@pytest.fixture(scope="module")
def nights(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("checklists")
    return {
        "checked": write(folder / "checked.journal", checked),
        "undone": write(folder / "undone.journal", undone),
    }


def debrief(path: Path) -> Debrief:
    return build_debrief(read_events(path), journal_name=path.name)


def section(markdown: str, heading: str) -> str:
    """The text of one `## heading` section of a Markdown report."""
    start = markdown.index(f"\n## {heading}\n")
    end = markdown.find("\n## ", start + 1)
    return markdown[start : end if end >= 0 else len(markdown)]


# ---- the steps, item by item --------------------------------------------------------------


def test_each_verify_item_says_when_and_by_whom_it_was_seen_or_never(
    nights: dict[str, Path],
) -> None:
    report = render_markdown(debrief(nights["checked"]))
    steps = section(report, "Step by step")
    assert "- #1 Prepared — ✔ seen 02:06 by Dana (#" in steps
    assert "- #1 Snapshot saved — ✖ never ticked" in steps
    # Completed with its item unticked: the DE's answer is in the report.
    assert (
        "completed 02:20 with #1 unticked — **completed anyway:** saved to the wrong folder; "
        "copied at 02:25" in steps
    )
    # Every step is walked, in plan order.
    order = [steps.index(f"### {n}. ") for n in range(1, 5)]
    assert order == sorted(order)


def test_a_reopened_step_shows_the_correction_and_its_real_end(nights: dict[str, Path]) -> None:
    data = debrief(nights["checked"])
    prep = data.steps[0]
    assert prep.status == "completed" and data.times.at(prep.actual_end) == "02:11"
    assert len(prep.attempts) == 1 and [c.reason for c in prep.reopened] == [
        "completed by a double tap"
    ]
    steps = section(render_markdown(data), "Step by step")
    assert "**Correction:** at 02:10 (#" in steps
    assert "step 'Prepare' reopened (marked completed at 02:09): completed by a double tap" in steps


# ---- before the window, and after the steps ------------------------------------------------


def test_the_checklist_before_the_window_shows_each_signature_or_not_signed(
    nights: dict[str, Path],
) -> None:
    before = section(render_markdown(debrief(nights["checked"])), "Before the window")
    assert "| 2 | Senior DE approved the plan | Sam Senior (senior) | ✔ 01:52 by Sam Senior (#" in (
        before
    )
    assert (
        "| 1 | FOC confirmed by phone | Dana Engineer (de) | ✖ not signed; a signature " in before
    )
    assert "withdrawn at 01:54 (#" in before and "that FOC call was another order" in before
    assert "**The first step started anyway** at 02:00 (#5) with #1 not signed: FOC " in before


def test_the_verification_is_walked_with_hypercare_ticks_after_the_end(
    nights: dict[str, Path],
) -> None:
    verification = section(render_markdown(debrief(nights["checked"])), "Post-cutover verification")
    assert "- #1 Main number rings — ✔ seen 02:52 by Dana (#" in verification
    assert "- #2 Voicemail works — ✔ seen 09:10 by Customer IT (#" in verification
    assert "after the end (hypercare)" in verification
    assert (
        "**Declared complete anyway** at 02:53 (#27) with #2 unticked: voicemail is checked "
        "after the first message" in verification
    )


# ---- corrections, notes and calls ----------------------------------------------------------


def test_every_correction_is_listed_with_time_and_reason(nights: dict[str, Path]) -> None:
    data = debrief(nights["checked"])
    assert [c.kind for c in data.corrections] == ["untick", "reopen", "withdraw"]
    corrections = section(render_markdown(data), "Corrections")
    assert "| 01:54 | ⊘ tick withdrawn | tick withdrawn from 'FOC confirmed by phone'" in (
        corrections
    )
    assert "| 02:10 | ↺ step reopened | step 'Prepare' reopened (marked completed at 02:09) |" in (
        corrections
    )
    assert "| 02:21 | ⊘ note withdrawn | note #12 withdrawn ('Carrier says the FOC moved') |" in (
        corrections
    )
    assert "another customer's ticket" in corrections


def test_a_withdrawn_note_is_still_listed_and_marked(nights: dict[str, Path]) -> None:
    data = debrief(nights["checked"])
    [note] = data.notes
    assert note.withdrawn == "another customer's ticket"
    notes = section(render_markdown(data), "Notes")
    assert "Carrier says the FOC moved" in notes
    assert "⊘ WITHDRAWN at 02:21 (#" in notes and "): another customer's ticket" in notes
    html = render_html(data)
    assert "Carrier says the FOC moved" in html and "⊘ WITHDRAWN at 02:21" in html


def test_a_call_on_no_blocker_is_listed_with_what_was_agreed(nights: dict[str, Path]) -> None:
    calls = section(render_markdown(debrief(nights["checked"])), "Calls")
    assert "| 02:22 | Carrier NOC | no blocker | NOC stays on the bridge until 03:00 | #" in calls


def test_a_call_on_a_blocker_says_what_was_agreed_in_both_places(
    nights: dict[str, Path],
) -> None:
    report = render_markdown(debrief(nights["undone"]))
    calls = section(report, "Calls")
    assert (
        "| 02:14 | Sam Senior | 'Config export times out' | Roll back now; retry next week |"
        in (calls)
    )
    blockers = section(report, "Blockers")
    assert "to Sam Senior — inside the rule; agreed: Roll back now; retry next week" in blockers
    # The rollback decided what the blocker waited for: it is resolved by it, not left open.
    assert "rolled back: export keeps failing" in blockers


# ---- the rollback --------------------------------------------------------------------------


def test_an_undo_that_failed_then_was_skipped_says_why_and_the_check_after_is_walked(
    nights: dict[str, Path],
) -> None:
    data = debrief(nights["undone"])
    assert data.rollback is not None
    [undo] = data.rollback.steps
    assert undo.done_at is None and undo.skip_reason == "nothing was prepared after all"
    rollback = section(render_markdown(data), "Rollback")
    assert (
        "| Prepare | Unprepare | 5 min | ✖ failed 02:17: permission denied; ↷ skipped 02:19: "
        "nothing was prepared after all |" in rollback
    )
    assert "### The check after the rollback" in rollback
    assert "- #1 Main number rings on the old system — ✔ seen 02:20 by Dana (#" in rollback
    assert "- #2 Outbound caller ID is right — ✖ never ticked" in rollback
    assert (
        "**The rollback ended anyway** at 02:21 (#16) with #2 unticked: caller ID is checked "
        "in the morning" in rollback
    )
    # The verification was never reached: the night was rolled back.
    assert "Not reached: the cutover was rolled back" in section(
        render_markdown(data), "Post-cutover verification"
    )


def test_the_new_sections_reach_every_format(nights: dict[str, Path]) -> None:
    from cockpit.report.debrief.document import build_document
    from cockpit.report.writers.text import write_text

    data = debrief(nights["checked"])
    text = write_text(build_document(data), 100)
    html = render_html(data)
    for words in ("Before the window", "Step by step", "Corrections", "Calls", "never ticked"):
        assert words.lower() in text.lower() and words in html


def test_text_from_the_night_is_escaped_in_the_new_sections(tmp_path: Path) -> None:
    hostile = "<b>bold</b> | **x** [l](y)"

    def script(night: Night) -> None:
        night.at("02:00").do(cmd.StartStep(step_id="prep", anyway=hostile))
        night.at("02:05").do(cmd.CompleteStep(step_id="prep", anyway=hostile))
        night.at("02:06").do(cmd.LogEscalation(contact_id="carrier-noc", agreed=hostile))
        night.at("02:07").do(cmd.ReopenStep(step_id="prep", reason=hostile))

    data = debrief(write(tmp_path / "hostile.journal", script))
    report, html = render_markdown(data), render_html(data)
    assert "<b>" not in report and "<b>" not in html and "| **x**" not in report
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


# ---- the log ---------------------------------------------------------------------------------


def test_the_log_marks_corrections_and_reads_the_new_events(nights: dict[str, Path]) -> None:
    lines = readable_lines(read_events(nights["checked"]))
    corrections = [line.split(maxsplit=3)[2:] for line in lines if "↺ CORRECTION: " in line]
    assert corrections == [
        [
            "item_unticked",
            "↺ CORRECTION: before the window #1 unticked (FOC confirmed by phone): that FOC call "
            "was another order",
        ],
        ["step_reopened", "↺ CORRECTION: prep was completed, reopened: completed by a double tap"],
        ["note_withdrawn", "↺ CORRECTION: note #12 withdrawn: another customer's ticket"],
    ]
    assert any(
        "item_ticked" in line and "before the window #2 ticked by Sam Senior" in line
        for line in lines
    )
    undo = readable_lines(read_events(nights["undone"]))
    assert any(
        "rollback_step_failed" in line and "prep: permission denied" in line for line in undo
    )


# ---- the paper -------------------------------------------------------------------------------


def test_the_paper_has_the_checklist_before_the_window_with_a_signature_line_per_item() -> None:
    card = load_contact_card(MINI_CARD)
    paper = render_paper(full_runbook(), card, "md")
    before = section(paper, "Before the window")
    assert (
        "- [ ] FOC confirmed by phone — to be signed by Dana Engineer (de, +1 555 0100)" in before
    )
    assert "- [ ] Senior DE approved the plan — to be signed by Sam Senior (senior, " in before
    assert before.count("— signed by __________ at ______") == 2
    # Before the steps: it is signed before step 1.
    assert paper.index("## Before the window") < paper.index("## Cutover checklist")
    text = render_paper(full_runbook(), card, "txt")
    assert text.count("signed by __________ at ______") == 2


def test_the_paper_has_the_check_after_a_rollback_and_keeps_the_verify_boxes() -> None:
    paper = render_paper(full_runbook(), load_contact_card(MINI_CARD), "md")
    after = section(paper, "After a rollback")
    assert "- [ ] Main number rings on the old system" in after
    assert "- [ ] Outbound caller ID is right" in after
    assert "- [ ] Prepared" in section(paper, "Cutover checklist")


def test_a_plan_without_those_lists_says_so_on_paper() -> None:
    paper = render_paper(load_runbook(MINI), None, "md")
    assert "No checklist before the window in the plan" in section(paper, "Before the window")
    assert "No check after a rollback in the plan" in section(paper, "After a rollback")
