"""`cockpit import`: Markdown and spreadsheet runbooks, written the way teams write them.

The inputs in `tests/fixtures/import/` are deliberately uneven: numbered headings with
nested rollback sections, checkbox lists with @owners and [15m], setext headings, a steps
table inside Markdown, an Excel export in Windows-1252 with semicolons and h:mm, a Sheets
export with a BOM, multi-line cells and MS-Project-style predecessors. Each must import to
a runbook that validates, say on stderr (with line numbers) what it could not map, and
leave `check` to say what to add. Hypothesis feeds garbage that must never raise.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cockpit.cli import main
from cockpit.errors import FileProblems
from cockpit.importers import (
    Note,
    find_durations,
    import_text,
    parse_minutes,
    parse_window,
    pick_duration,
    take_owners,
    to_toml,
)
from cockpit.model.load import load_runbook
from cockpit.model.runbook import Runbook

FIXTURES = Path(__file__).parent / "fixtures" / "import"


def imported(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Runbook, str]:
    """Import a fixture through the command; the loaded runbook and what went to stderr."""
    out = tmp_path / (Path(name).stem + ".toml")
    assert main(["import", str(FIXTURES / name), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return load_runbook(out), err


def steps(runbook: Runbook) -> list[tuple[str, str, int]]:
    return [(step.title, step.owner, step.minutes) for step in runbook.steps]


# ---- the fixtures --------------------------------------------------------------------------------


def test_markdown_with_numbered_headings_and_nested_rollbacks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    runbook, err = imported("harbor-phone-port.md", tmp_path, capsys)
    meta = runbook.meta
    assert meta.title == "Harbor St Dental – phone system cutover"
    assert meta.customer == "Harbor Street Dental" and meta.timezone == "America/Chicago"
    assert (meta.window_start.isoformat(), meta.window_end.isoformat()) == (
        "2026-12-02T01:00:00",
        "2026-12-02T04:30:00",
    )
    assert meta.rto_minutes == 60 and meta.version == "3 (last quarter's run)"
    assert steps(runbook) == [
        ("Pre-flight checks", "Jordan", 20),
        ("Snapshot old call flows", "Jordan", 15),
        ("Assign porting numbers on the new platform", "jordan", 10),
        ("Port activation", "carrier", 60),  # "15-60 min" plans for the slow case
        ("Inbound test calls", "jordan", 20),
        ("E911 dispatchable location", "Jordan", 10),
    ]
    preflight, snapshot, assign, port = runbook.steps[:4]
    assert preflight.instructions == "Work down the list; any miss is a hold."
    assert len(preflight.verify) == 3
    assert snapshot.commands == [  # one code block, one command, as written
        "oldpbx export --tenant harbor-st --out ~/cutover/oldpbx.json\n"
        "oldpbx greetings download --tenant harbor-st \\\n"
        "    --out ~/cutover/greetings/",
    ]
    assert snapshot.no_rollback == "export only"
    # Byte for byte, the prompt too: the command is shown as the source shows it.
    assert assign.commands == ["$ cloudvoice numbers assign --site harbor-st --from number-map.csv"]
    assert assign.rollback is not None and assign.rollback.minutes == 10
    assert assign.rollback.action == "Unassign the 23 porting numbers"
    assert assign.rollback.commands == [
        "cloudvoice numbers unassign --site harbor-st --from number-map.csv"
    ]
    assert runbook.ponr_step == port.id
    [gate] = runbook.checkpoints
    assert gate.before == port.id and len(gate.criteria) == 3
    assert gate.decider == "Jordan" and gate.no_go_means.startswith("cancel activation")
    assert len(runbook.verification) == 3
    assert "harbor-phone-port.md:12-16: not mapped: 'Contacts': contacts" in err
    assert "harbor-phone-port.md:89-90: not mapped: 'Comms': communication plan" in err
    assert [step.phase for step in runbook.steps] == ["Pre-cutover"] * 3 + ["Port"] * 3


def test_markdown_checklist_with_owners_gates_and_a_rollback_section_at_the_end(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    runbook, err = imported("orders-db-checklist.md", tmp_path, capsys)
    assert runbook.meta.title == "Order DB move to managed Postgres 16"  # a setext heading
    assert runbook.meta.window_end.isoformat() == "2026-11-19T03:00:00"
    assert steps(runbook) == [
        ("Confirm DNS TTL 300s and CDC lag < 5s", "lina", 10),
        ("Maintenance page on", "app-oncall", 5),
        # "[x] Freeze writes" is already done: not a step of the night (reported).
        ("Drain in-flight transactions, lag to 0", "lina", 15),
        ("Switch connection strings and DNS; restart pools", "app-oncall", 15),
        ("Smoke tests of create / dispatch / invoice", "devon", 20),
        ("Open traffic, watch error rate and p95", "alex", 30),
    ]
    assert "orders-db-checklist.md:20: not mapped: already done ([x]), not a step" in err
    maintenance = runbook.steps[1]
    assert maintenance.commands == ["kubectl -n orders set env deploy/web MAINTENANCE=1"]
    assert maintenance.rollback is not None
    assert maintenance.rollback.action == "Maintenance page off"
    switch = runbook.step(runbook.ponr_step or "")
    assert switch.title.startswith("Switch connection strings")  # from the note before it
    # The rest of the back-out plan names no step for certain: it is kept as one
    # procedure, in order, on the point of no return, and marked for the user to confirm.
    assert switch.rollback is not None
    assert switch.rollback.action.startswith("Rollback procedure, in order: 1) Set source")
    assert "2) Point DNS back at pg-orders-01" in switch.rollback.action
    assert switch.rollback.minutes == 30
    assert "kept as one procedure of 2 item(s)" in err
    assert runbook.point_of_no_return.why == "After it, rollback needs a sync-back."
    [gate] = runbook.checkpoints
    assert gate.before == switch.id and gate.decider == "alex"
    assert gate.criteria[-1] == "everything fine"  # kept; check flags it (R301)
    assert runbook.verification == [
        "Error rate under 0.5 % for 30 minutes",
        "Nightly backup scheduled on the target",
    ]
    assert "orders-db-checklist.md:11: not mapped: 'Background'" in err
    assert "orders-db-checklist.md:51: guessed: rollback 'Maintenance page off' attached" in err


def test_markdown_numbered_list_with_detail_bullets_a_table_and_a_back_out_section(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    runbook, err = imported("office-move-numbered.md", tmp_path, capsys)
    assert runbook.meta.timezone == "Europe/London"
    assert steps(runbook) == [
        ("Announce start in #netops", "Sam", 5),
        ("Pre-checks: both uplinks up, config backup taken", "Sam", 60),
        ("Move the branch VLANs to the new core switch", "Alex", 20),
        ("Cut the WAN circuit over to the new provider", "Alex", 90),
        ("Smoke tests from three desks", "Sam", 30),
        ("Update DHCP relay on the new core", "Alex", 10),  # from the Markdown table
        ("Decommission old uplink ports", "Alex", 15),  # "0:15"
    ]
    pre, move, cut = runbook.steps[1:4]
    assert pre.verify == [
        "show interfaces status shows both uplinks up",
        "backup file in the config repo",
    ]
    assert move.depends_on == [pre.id]
    assert move.rollback is not None and move.rollback.minutes == 30
    assert cut.id == runbook.ponr_step
    assert cut.rollback is not None
    assert cut.rollback.action == "Call the provider to restore the old circuit"
    [gate] = runbook.checkpoints
    assert gate.title == "GO/NO-GO: cut the WAN over" and gate.before == cut.id
    assert gate.criteria == [
        "Old and new core both reachable",
        "Pilot users on the new VLANs can print and browse",
    ]
    assert gate.decider == "Sam"
    assert runbook.meta.customer.startswith("TODO")
    assert "office-move-numbered.md:3: not mapped" in err  # "Change: CHG0031337"
    assert "(it names step 3)" in err
    assert "to fill in (marked TODO): rto_minutes, customer" in err


def test_excel_export_in_windows_1252_with_semicolons_and_h_mm(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    runbook, err = imported("excel-export.csv", tmp_path, capsys)
    assert runbook.meta.title == "Fibre migration - Site 12"
    assert runbook.meta.customer == "Acme Logistics"
    # 02/12/2026 in a European zone is 2 December.
    assert runbook.meta.window_start.isoformat() == "2026-12-02T01:00:00"
    assert runbook.meta.timezone == "Europe/Paris"
    assert steps(runbook) == [
        ("Pre-checks on the old link", "Technicien", 20),
        ("Patch the new fibre into the patch panel", "Technicien", 15),
        ("Switch the router uplink to the new fibre", "NOC", 10),
        ("Tests: ping, traceroute, throughput", "NOC", 30),
    ]
    patch, switch = runbook.steps[1], runbook.steps[2]
    assert patch.rollback is not None and patch.rollback.minutes == 10
    assert runbook.ponr_step == switch.id
    assert switch.rollback is not None and "undo step 3" in switch.rollback.action
    # No go/no-go in the sheet: a placeholder one gates the point of no return.
    [gate] = runbook.checkpoints
    assert gate.before == switch.id and gate.decider == "TODO"
    assert "the go/no-go before the point of no return" in err


def test_sheets_export_with_bom_multiline_cells_predecessors_and_gate_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    runbook, err = imported("sheets-export.csv", tmp_path, capsys)
    assert steps(runbook) == [
        # T1's status is Done: not a step of the night (issue 14), dropped with a note.
        ("Freeze writes", "App", 15),  # from the next step's planned start
        ("Final sync and checksums", "DBA", 20),
        ("Switch connections", "App", 15),
        ("Smoke tests", "QA", 20),
        ("Open traffic", "Lead", 30),
    ]
    freeze, sync, switch = runbook.steps[:3]
    assert freeze.depends_on == []  # it followed the go/no-go row, which is not a step
    assert sync.depends_on == [freeze.id]  # "T3FS+5m"
    assert sync.instructions == "Compare row counts on 4 tables\nA mismatch means roll back"
    assert runbook.ponr_step == switch.id
    [gate] = runbook.checkpoints
    assert gate.before == freeze.id
    assert gate.criteria == ["Lag about 0", "backups verified", "Rehearsal timings fine"]
    # The date on the dropped T1 row still dates the clock times below it.
    assert runbook.meta.window_start.isoformat() == "2026-11-18T23:10:00"
    assert (
        "sheets-export.csv:2: not mapped: row 'Lower DNS TTL and confirm' left out: its "
        "status is 'Done'" in err
    )
    assert "column 'Status' not mapped" not in err
    assert "sheets-export.csv:5: guessed: minutes of 'Freeze writes'" in err


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.iterdir() if p.is_file()))
def test_every_import_passes_the_format_and_check_says_what_to_add(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "imported.toml"
    assert main(["import", str(FIXTURES / name), "-o", str(out)]) == 0
    capsys.readouterr()
    text = out.read_text(encoding="utf-8")
    assert text.startswith(f"# Imported from {name} by `cockpit import`.")
    assert main(["check", str(out)]) == 1  # loads (not 2), and is not ready yet
    report = capsys.readouterr().out
    assert "R500 comms-plan-missing" in report  # none of them has a usable comms plan
    for number, line in enumerate(text.splitlines(), start=1):
        if "# TODO" in line:
            assert f"{out}:{number}: error:" in report and "R901" in report


# ---- the small parsers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("Port activation (15 min)", 15),
        ("Lower TTL 15m", 15),
        ("check ~20 minutes", 20),
        ("1h", 60),
        ("1h30", 90),
        ("1 h 30 min", 90),
        ("1.5 hours", 90),
        ("90 mins", 90),
        ("15–60 min", 60),
        ("5-15 min", 15),
        ("[10m] assign", 10),
        ("Call within 24 hours (5 min)", 5),
        ("Est: 25", None),
        ("3 hunt groups", None),
        ("T+30 test calls", None),
        ("2 schedules", None),
    ],
)
def test_durations_in_text(text: str, minutes: int | None) -> None:
    found = pick_duration(text)
    assert (found.minutes if found else None) == minutes


def test_durations_out_of_range_are_ignored() -> None:
    assert find_durations("25 hours") == [] and find_durations("0 min") == []


@pytest.mark.parametrize(
    ("cell", "minutes", "hours"),
    [
        ("15", 15, False),
        ("0:15", 15, False),
        ("1:30", 90, False),
        ("0:15:00", 15, False),
        ("1.5h", 90, False),
        ("2", 120, True),
        ("~10", 10, False),
        ("", None, False),
        ("soon", None, False),
        ("99999", None, False),
    ],
)
def test_spreadsheet_duration_cells(cell: str, minutes: int | None, hours: bool) -> None:
    assert parse_minutes(cell, hours=hours) == minutes


@pytest.mark.parametrize(
    ("text", "owners", "rest"),
    [
        ("Pre-flight — Owner: Jordan Reyes (20 min)", ["Jordan Reyes"], "Pre-flight — (20 min)"),
        ("Assign numbers @jordan", ["jordan"], "Assign numbers"),
        ("Port activation [carrier]", ["carrier"], "Port activation"),
        ("Cut over [x] [15m] see [docs](http://x)", [], "Cut over [x] [15m] see [docs](http://x)"),
        ("Tests @qa @devon", ["qa", "devon"], "Tests"),
    ],
)
def test_owners(text: str, owners: list[str], rest: str) -> None:
    assert take_owners(text) == (owners, rest)


def test_windows_in_words() -> None:
    start, end, zone = parse_window("Tue Dec 1, 2026, 11:00 PM to 2:00 AM ET")
    assert (start, end, zone) == (
        *parse_window("2026-12-01 23:00 - 2026-12-02 02:00")[:2],
        "America/New_York",
    )
    start, end, zone = parse_window("12/02/2026 01:00-04:30 CT")
    assert start is not None and (start.month, start.day, zone) == (12, 2, "America/Chicago")
    assert end is not None and end.hour == 4
    assert parse_window("sometime next week") == (None, None, None)


# ---- the command ---------------------------------------------------------------------------------


def test_import_to_stdout_reports_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", str(FIXTURES / "office-move-numbered.md")]) == 0
    captured = capsys.readouterr()
    data = tomllib.loads(captured.out)
    assert data["runbook"]["id"] == "branch-office-network-cutover-runbook"
    assert "imported 7 steps, 1 checkpoints" in captured.err
    assert "next: cockpit check RUNBOOK.toml" in captured.err


def test_import_refuses_to_replace_a_file_unless_forced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "mine.toml"
    out.write_text("# my work\n", encoding="utf-8")
    assert main(["import", str(FIXTURES / "sheets-export.csv"), "-o", str(out)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "# my work\n"
    assert main(["import", str(FIXTURES / "sheets-export.csv"), "-o", str(out), "--force"]) == 0
    assert load_runbook(out).meta.id == "sheets-export"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("runbook.docx", b"PK\x03\x04", "cannot tell the format"),
        ("missing.md", None, "no such file"),
        ("sheet.csv", b"PK\x03\x04\x00\x00\x00binary", "binary file"),
        ("empty.md", b"", "found no steps"),
        ("prose.md", b"# Notes\n\nJust some words.\n", "found no steps"),
        ("noheader.csv", b"a,b\n1,2\n", "no header row with a task column"),
    ],
)
def test_unusable_sources_are_exit_2_in_plain_words(
    name: str,
    content: bytes | None,
    message: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    assert main(["import", str(path), "-o", str(tmp_path / "out.toml")]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not (tmp_path / "out.toml").exists()


def test_note_rendering() -> None:
    assert Note(3, "x").render("a.md") == "a.md:3: not mapped: x"
    assert Note(3, "x", "guessed", 5).render("a.md") == "a.md:3-5: guessed: x"
    assert Note(None, "x").render("a.md") == "a.md: not mapped: x"


# ---- garbage never raises ------------------------------------------------------------------------


def _import_never_raises(text: str, kind: str) -> None:
    try:
        result = import_text(text, f"garbage.{kind}", kind)
    except FileProblems:
        return
    toml_text = to_toml(result)
    Runbook.model_validate(tomllib.loads(toml_text))
    tomli_w.dumps(result.data)


_MD_LINE = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        [
            "# Title",
            "## Rollback",
            "## Go/No-Go",
            "### 3. Step (10 min)",
            "## Verification",
            "1. Do it (5 min) @dana",
            "- [ ] check [15m]",
            "   - Owner: x",
            "   - Rollback: none",
            "   - Duration: 1h",
            "```",
            "~~~",
            "| # | Task | Owner |",
            "|---|---|---|",
            "| 1 | a | b |",
            "Point of no return",
            "> PONR next step",
            "Window: 2026-12-02 01:00-02:00 CT",
            "RTO: 30 min",
            "Customer: X",
            "- Decider: y",
            "* item",
            "",
            "   ",
            "<!-- c -->",
            "---",
            "a)",
            "1)",
            "- [x]",
            "## Step 1 - PONR",
            "- undo step 1",
            "Depends on: 1",
        ]
    ),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_MD_LINE, max_size=40))
def test_markdown_garbage_never_raises(lines: list[str]) -> None:
    _import_never_raises("\n".join(lines), "md")


_CSV_CELL = st.one_of(
    st.text(max_size=20),
    st.sampled_from(
        [
            "ID",
            "Task",
            "Owner",
            "Duration",
            "Rollback",
            "Predecessor",
            "Notes",
            "0:15",
            "15",
            "T1",
            "GO/NO-GO",
            "ROLLBACK",
            "PONR",
            "n/a",
            "1h",
            "x",
            "",
        ]
    ),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.lists(_CSV_CELL, min_size=1, max_size=8), max_size=25),
    st.sampled_from([",", ";", "\t"]),
)
def test_csv_garbage_never_raises(rows: list[list[str]], delimiter: str) -> None:
    text = "\n".join(delimiter.join(cell.replace("\n", " ") for cell in row) for row in rows)
    _import_never_raises(text, "csv")


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=400), st.sampled_from(["md", "csv"]))
def test_any_text_never_raises(text: str, kind: str) -> None:
    _import_never_raises(text, kind)


# ---- the whole story: last quarter's runbook to paper --------------------------------------------


def test_import_fix_rehearse_check_print(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Done when a DE can import last quarter's runbook, fix what check reports until it
    passes with a rehearsal journal, and print the paper copy."""
    from tests.test_readiness import rehearse

    path = tmp_path / "harbor.toml"
    assert main(["import", str(FIXTURES / "harbor-phone-port.md"), "-o", str(path)]) == 0
    assert main(["check", str(path)]) == 1
    capsys.readouterr()

    # What check asked for, done the way a DE would: edit the file.
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    data["runbook"]["contact_card"] = "harbor-contacts.toml"
    data["steps"][0]["no_rollback"] = "Read-only checks; nothing changes."
    data["steps"][2]["rollback"]["tested"] = True
    data["steps"][5]["verify"] = ["933 test call reads back the right address"]
    data["point_of_no_return"]["forward_fix"] = ["Forward failing numbers to temporary numbers"]
    data["post_cutover_writes"] = [{"what": "Voicemails", "kept_by": "Export before a snapback"}]
    everyone = ["office", "senior"]

    def message(message_id: str, trigger: dict[str, object]) -> dict[str, object]:
        return {"id": message_id, "audience": everyone, "trigger": trigger, "text": "{title}."}

    data["communications"] = {
        "stakeholders": [
            {"id": "office", "name": "Office manager", "contact": "jordan"},
            {"id": "senior", "name": "On-call senior DE", "channel": "sms", "contact": "priya"},
        ],
        "messages": [
            message("notice", {"kind": "before_window", "hours": 72}),
            message("late", {"kind": "delay", "minutes": 15}),
            message("back", {"kind": "rollback_completed"}),
            message("done", {"kind": "completed"}),
        ],
    }
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    (tmp_path / "harbor-contacts.toml").write_text(
        '[card]\nid = "harbor"\ntitle = "Harbor contacts"\n\n'
        '[[contacts]]\nid = "jordan"\nname = "Jordan Reyes"\nrole = "Deployment engineer"\n'
        'phones = [{ label = "mobile", number = "+1 312 555 0142" }]\n\n'
        '[[contacts]]\nid = "priya"\nname = "Priya Natarajan"\nrole = "On-call senior DE"\n'
        'phones = [{ label = "mobile", number = "+1 312 555 0199" }]\non_call_senior = true\n'
        "escalation_order = 1\n\n"
        '[[contacts]]\nid = "carrier"\nname = "Midwest Telco porting NOC"\nrole = "Carrier NOC"\n'
        'phones = [{ label = "NOC", number = "+1 800 555 0114" }]\nescalation_order = 2\n',
        encoding="utf-8",
    )
    assert main(["check", str(path)]) == 0, capsys.readouterr().out  # only "never rehearsed"

    journal = tmp_path / "rehearsal.journal"
    rehearse(journal, load_runbook(path))
    assert main(["check", str(path), "--rehearsal", str(journal), "--strict"]) == 0, (
        capsys.readouterr().out
    )
    capsys.readouterr()
    paper = tmp_path / "harbor.txt"
    assert main(["print", str(path), "-o", str(paper)]) == 0
    text = paper.read_text(encoding="utf-8")
    assert all(len(line) <= 80 for line in text.splitlines())
    assert "POINT OF NO RETURN" in text and "Priya Natarajan — +1 312 555 0199" in text
