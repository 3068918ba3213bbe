"""Files read safely, outputs written safely, file text shown escaped (issue 10).

Each test is the regression test of one defect found by trying the cockpit as a hostile
or hurried user would:

* special files (`/dev/zero`, a FIFO, a symlink to one) hung `check`, `print`, `import`
  and `run`, or grew them to gigabytes (item 7);
* `-o` replaced the runbook, the card or another night's journal (item 4);
* outputs were written world-readable (item 6);
* escape sequences and bidirectional overrides from files and journals reached the
  terminal through `print`, `log --jsonl`, the debrief's text Gantt and `run`'s exit
  line (item 2); the Markdown paper passed links, images, raw HTML and an injected ticked
  box through; `| head` printed a traceback; the exit line named the wrong night (item 11).

Tests that could hang or eat memory if the defect came back run in a subprocess with a
timeout and a memory cap.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import stat
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from cockpit.cli import main
from cockpit.core import commands as cmd
from cockpit.core.clock import ManualClock
from cockpit.errors import FileProblems
from cockpit.files import OutputRefused, read_file, write_output
from cockpit.journal.store import Journal
from cockpit.model.load import load_contact_card, load_runbook
from cockpit.model.runbook import Runbook
from cockpit.report.paper import FORMATS, render_paper
from tests.journal_helpers import (
    MINI,
    MINI_CARD,
    MINI_WINDOW_START,
    JournalDriver,
    script_cutover,
    start_command,
)

REPO = Path(__file__).resolve().parent.parent
#: What a terminal would obey: ESC (CSI, OSC), C1 CSI, the right-to-left override.
HOSTILE = ("\x1b", "\x9b", "\u202e")
#: A title that would retitle the terminal, then blank the screen, then flip the text.
EVIL_TITLE = "Night \x1b]0;pwned\x07 \x1b[2J \u202eevil"

needs_posix = pytest.mark.skipif(os.name != "posix", reason="FIFOs and /dev/zero are POSIX")


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cli(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main([str(arg) for arg in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def raw_hostile(text: str) -> list[str]:
    return [character for character in HOSTILE if character in text]


@pytest.fixture
def private_umask() -> Iterator[None]:
    """The usual umask (0o022), so a 0600 file is our doing, not the environment's."""
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


# ---- item 7: special files are refused, quickly ---------------------------------------------

#: Runs every command on every special file in one child process: a regression must fail
#: the test (timeout, memory cap), not hang the suite or fill the machine's memory.
_CHILD = textwrap.dedent(
    """
    import contextlib, io, json, resource, sys
    cap = 1024 * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (cap * 2, cap * 2))
    from cockpit.cli import main
    results = []
    for args in json.loads(sys.argv[1]):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(args)
            except BaseException as error:
                code = repr(error)
        results.append([args, code, out.getvalue() + err.getvalue()])
    print(json.dumps(results))
    """
)


@needs_posix
def test_special_files_are_refused_quickly_by_every_reader(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.md"
    os.mkfifo(fifo)
    zero_link = tmp_path / "zero.md"
    zero_link.symlink_to("/dev/zero")
    cases = []
    for special in ("/dev/zero", str(zero_link), str(fifo)):
        cases += [
            ["check", special],
            ["print", special, "--contacts", str(MINI_CARD)],
            ["import", special, "--format", "md"],
            ["run", special, "--contacts", str(MINI_CARD), "--journal", str(tmp_path / "j")],
        ]
    # The card too: `print` and `run` read it with the same reader.
    cases.append(["print", str(MINI), "--contacts", str(fifo)])
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, json.dumps(cases)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    for args, code, said in json.loads(done.stdout):
        assert code == 2, f"cockpit {' '.join(args)}: {code} {said}"
        assert "not a regular file" in said, f"cockpit {' '.join(args)}: {said}"
        assert "Traceback" not in said
    assert not (tmp_path / "j").exists()  # refused before any journal was made


@needs_posix
def test_the_reader_checks_the_opened_file_and_caps_the_read(tmp_path: Path) -> None:
    big = tmp_path / "big.toml"
    big.write_bytes(b"x" * 101)
    with pytest.raises(FileProblems, match="larger than 100 bytes"):
        read_file(big, "runbook", limit=100)
    assert read_file(big, "runbook", limit=101) == b"x" * 101
    with pytest.raises(FileProblems, match="character device"):
        read_file("/dev/zero", "runbook", limit=100)
    with pytest.raises(FileProblems, match="this is a folder"):
        read_file(tmp_path, "runbook", limit=100)
    with pytest.raises(FileProblems, match="no such file"):
        read_file(tmp_path / "missing.toml", "runbook", limit=100)


@needs_posix
def test_a_fifo_as_the_settings_file_does_not_hang_the_start(tmp_path: Path) -> None:
    """Settings are read at every start: a FIFO there must give the defaults and a notice."""
    os.mkfifo(tmp_path / "config.toml")
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from pathlib import Path; from cockpit.settings import load_settings; "
            "settings, notices = load_settings(Path(sys.argv[1])); "
            "print(settings.theme, '|', *notices)",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("None |") and "not a regular file" in done.stdout


# ---- item 4: -o never destroys ---------------------------------------------------------------


def test_print_never_overwrites_its_own_runbook_or_card(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    runbook = tmp_path / "mini.toml"
    card = tmp_path / "mini-contacts.toml"
    shutil.copyfile(MINI, runbook)
    shutil.copyfile(MINI_CARD, card)
    (tmp_path / "via-symlink.toml").symlink_to(runbook)
    os.link(runbook, tmp_path / "hard-link.toml")
    before = {path: sha(path) for path in (runbook, card)}
    for target in (runbook, card, tmp_path / "via-symlink.toml", tmp_path / "hard-link.toml"):
        for force in ((), ("--force",)):
            code, _, err = cli(capsys, "print", runbook, "-o", target, *force)
            assert code == 2, target
            assert "would overwrite the" in err and "Traceback" not in err
    assert {path: sha(path) for path in (runbook, card)} == before
    assert (tmp_path / "via-symlink.toml").is_symlink()


def test_debrief_never_overwrites_another_nights_journal_or_a_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tonight, other = tmp_path / "a.journal", tmp_path / "b.journal"
    script_cutover(tonight)
    script_cutover(other)
    plain_sqlite = tmp_path / "notes.db"
    with sqlite3.connect(plain_sqlite) as connection:
        connection.execute("CREATE TABLE t (x)")
    connection.close()
    before = {path: sha(path) for path in (other, plain_sqlite)}
    for target, words in ((other, "a cockpit journal"), (plain_sqlite, "an SQLite database")):
        for force in ((), ("--force",)):
            code, _, err = cli(capsys, "debrief", tonight, "-o", target, *force)
            assert code == 2 and words in err and "even with --force" in err
    # A journal's side file is refused by name, even before it exists.
    code, _, err = cli(capsys, "debrief", tonight, "-o", f"{other}-wal", "--force")
    assert code == 2 and "side file" in err
    assert not Path(f"{other}-wal").exists()
    assert {path: sha(path) for path in (other, plain_sqlite)} == before


@pytest.mark.parametrize("command", ["print", "debrief", "import", "schema"])
def test_an_existing_output_is_replaced_only_with_force(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    journal = tmp_path / "night.journal"
    if command == "debrief":
        script_cutover(journal)
    source = tmp_path / "source.md"
    source.write_text("# Cutover\n\n1. Prepare (10 min)\n2. Switch over (20 min)\n")
    args = {
        "print": ["print", str(MINI), "--contacts", str(MINI_CARD)],
        "debrief": ["debrief", str(journal)],
        "import": ["import", str(source)],
        "schema": ["schema"],
    }[command]
    out = tmp_path / "out.txt"
    out.write_text("keep me")
    code, _, err = cli(capsys, *args, "-o", out)
    assert code == 2 and "already exists" in err and "--force" in err
    assert out.read_text() == "keep me"
    code, _, err = cli(capsys, *args, "-o", out, "--force")
    assert code == 0, err
    assert out.read_text() != "keep me"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]  # no leftovers


def test_salvage_never_writes_over_anything(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    journal = tmp_path / "night.journal"
    script_cutover(journal)
    empty = tmp_path / "empty.journal"
    empty.touch()
    dangling = tmp_path / "dangling.journal"
    dangling.symlink_to(tmp_path / "nowhere")
    for target in (empty, dangling):
        code, _, err = cli(capsys, "verify", journal, "--salvage-to", target)
        assert code == 2 and "already exists" in err
    # A side file of the damaged journal, even one that does not exist (yet).
    side = Path(f"{journal}-journal")
    assert not side.exists()
    code, _, err = cli(capsys, "verify", journal, "--salvage-to", side)
    assert code == 2 and "would overwrite the damaged journal" in err and "nothing written" in err
    assert empty.read_bytes() == b"" and dangling.is_symlink() and not side.exists()


def test_write_output_is_whole_or_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure while writing leaves the old file and no temporary file behind."""
    target = tmp_path / "report.md"
    target.write_text("the old report")

    def disk_full(descriptor: int) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patched:
        patched.setattr(os, "fsync", disk_full)
        with pytest.raises(OutputRefused, match="No space left"):
            write_output(target, "the new report", force=True)
    assert target.read_text() == "the old report"
    with pytest.raises(OutputRefused, match="cannot write"):
        write_output(tmp_path / "missing-folder" / "x.md", "text")
    write_output(target, b"the new report", force=True)
    assert target.read_text() == "the new report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.md"]


# ---- item 6: outputs readable by their owner alone ---------------------------------------------


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@needs_posix
def test_outputs_are_created_readable_by_the_owner_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], private_umask: None
) -> None:
    journal = tmp_path / "night.journal"
    script_cutover(journal)
    source = tmp_path / "source.md"
    source.write_text("# Cutover\n\n1. Prepare (10 min)\n")
    written = {
        "paper": (["print", MINI, "--contacts", MINI_CARD], tmp_path / "paper.html"),
        "debrief": (["debrief", journal], tmp_path / "debrief.md"),
        "import": (["import", source], tmp_path / "imported.toml"),
        "schema": (["schema"], tmp_path / "schema.json"),
    }
    for name, (args, output) in written.items():
        code, _, err = cli(capsys, *args, "-o", output)
        assert code == 0, f"{name}: {err}"
        assert _mode(output) == 0o600, name
    # Replaced with --force: private too, whatever the old file's mode was.
    (tmp_path / "open.md").write_text("old")
    os.chmod(tmp_path / "open.md", 0o644)
    assert cli(capsys, "debrief", journal, "-o", tmp_path / "open.md", "--force")[0] == 0
    assert _mode(tmp_path / "open.md") == 0o600

    new_runbook = tmp_path / "new" / "deeper" / "night.toml"
    code, _, err = cli(capsys, "new", new_runbook)
    assert code == 0, err
    assert _mode(new_runbook) == 0o600
    assert _mode(new_runbook.with_name("night.contacts.toml")) == 0o600
    assert _mode(tmp_path / "new") == _mode(tmp_path / "new" / "deeper") == 0o700


@needs_posix
def test_settings_are_saved_readable_by_the_owner_alone(
    tmp_path: Path, private_umask: None
) -> None:
    from cockpit.settings import save_theme

    folder = tmp_path / "config" / "cutover-cockpit"
    path = save_theme("night", folder)
    assert _mode(path) == 0o600
    assert _mode(folder) == _mode(folder.parent) == 0o700


# ---- item 2: file and journal text reaches no terminal raw ---------------------------------------


def _hostile_runbook() -> Runbook:
    """The mini runbook with escape sequences in its titles, built in memory: the loader
    refuses such files, but an old journal or an import can still carry them."""
    runbook = load_runbook(MINI)
    steps = [
        step.model_copy(update={"title": f"{step.title} \x1b[31m\u202e", "verify": ["ok\x9b"]})
        for step in runbook.steps
    ]
    return runbook.model_copy(
        update={"runbook": runbook.meta.model_copy(update={"title": EVIL_TITLE}), "steps": steps}
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_paper_shows_escape_sequences_escaped(fmt: str) -> None:
    card = load_contact_card(MINI_CARD)
    text = render_paper(_hostile_runbook(), card, fmt)
    assert raw_hostile(text) == []
    assert "\\x1b" in text and "\\u202e" in text  # shown, visibly, not dropped


def _journal_of_a_hostile_night(path: Path, note: str) -> None:
    runbook = _hostile_runbook()
    with Journal.open(path) as journal:
        driver = JournalDriver(journal, ManualClock(MINI_WINDOW_START))
        driver.must(start_command(runbook, load_contact_card(MINI_CARD)))
        driver.must(cmd.StartStep(step_id="prep"))
        driver.must(cmd.AddNote(text=note))
        driver.complete("prep")


def test_log_jsonl_escapes_bidi_overrides_and_escape_sequences(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    journal = tmp_path / "night.journal"
    note = "PIN \u202e4321\u202c then \x1b]52;c;cGF3bmVk\x07 and \x85 and \U000e0041"
    _journal_of_a_hostile_night(journal, note)
    code, out, _ = cli(capsys, "log", journal, "--jsonl")
    assert code == 0
    assert raw_hostile(out) == [] and "\x07" not in out and "\U000e0041" not in out
    values = [json.loads(line) for line in out.splitlines()]
    assert note in [value.get("text") for value in values]  # the same JSON value
    code, out, _ = cli(capsys, "log", journal)
    assert code == 0 and raw_hostile(out) == []


def test_the_debrief_and_its_text_gantt_show_titles_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    journal = tmp_path / "night.journal"
    _journal_of_a_hostile_night(journal, "a note \x1b[2J")
    for fmt in ("md", "html"):
        code, out, err = cli(capsys, "debrief", journal, "--format", fmt)
        assert code in (0, 1), err
        assert raw_hostile(out) == [], fmt
    from cockpit.journal.store import read_events
    from cockpit.report.debrief import build_debrief
    from cockpit.report.gantt import build_chart, text_gantt

    chart = build_chart(build_debrief(read_events(journal), journal_name=journal.name))
    lines = text_gantt(chart)
    assert raw_hostile("\n".join(lines)) == [] and any("\\x1b" in line for line in lines)


def test_run_exit_line_names_the_nights_own_title_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Resumed with another runbook, the exit line names the night the journal holds."""
    from cockpit.tui.app import CockpitApp

    journal = tmp_path / "night.journal"
    _journal_of_a_hostile_night(journal, "note")
    monkeypatch.setattr(CockpitApp, "run", lambda self, *args, **kwargs: None)
    code, out, err = cli(capsys, "run", MINI, "--contacts", MINI_CARD, "--journal", journal)
    assert code == 0, err
    first = out.splitlines()[0]
    assert first.startswith("Resumed live cutover 'Night \\x1b]0;pwned\\x07"), first
    assert "Mini cutover" not in first
    assert raw_hostile(out) == []


def test_import_refuses_a_source_with_control_characters_located(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Was: the importer dropped C0/C1 but let U+202E through, so the TOML it wrote failed
    its own validation ("a bug in the importer"). Now refused at read, with the line."""
    source = tmp_path / "night.md"
    source.write_text("# Cutover \u202e evil\n\n1. Prepare \x1b[2J now (10 min)\n")
    code, out, err = cli(capsys, "import", source)
    assert code == 2 and out == ""
    assert f"{source}:1: holds a control character (\\u202e)" in err
    assert f"{source}:3: holds a control character (\\x1b)" in err
    assert "bug in the importer" not in err and raw_hostile(err) == []
    tabs = tmp_path / "tabs.md"
    tabs.write_text("# Cutover\r\n\r\n1. Prepare\t(10 min)\r\n")  # tabs and CRLF are text
    assert cli(capsys, "import", tabs)[0] == 0


# ---- the Markdown paper: text, never links, images, HTML or ticked boxes -------------------------


def test_the_markdown_paper_neutralises_links_images_html_and_injected_boxes() -> None:
    from markdown_it import MarkdownIt

    runbook = load_runbook(MINI)
    first = runbook.steps[0]
    hostile = first.model_copy(
        update={
            "title": "[click](http://evil.example/a) ![pixel](http://evil.example/p.png)",
            "instructions": "See <img src=x onerror=alert(1)> and <http://evil.example/auto>",
            "verify": ["Prepared\n- [x] approved by the senior DE", "[x] done already"],
        }
    )
    runbook = runbook.model_copy(update={"steps": [hostile, *runbook.steps[1:]]})
    text = render_paper(runbook, load_contact_card(MINI_CARD), "md")
    assert not re.search(r"^\s*[-*+] \[[xX]\]", text, re.MULTILINE)  # no pre-ticked box
    html = MarkdownIt("commonmark").render(text)
    assert "<a " not in html and "<img" not in html
    assert "evil.example/a" in html and "&lt;img src=x" in html  # shown as text
    assert "checked" not in html


# ---- item 11: a reader that leaves early ---------------------------------------------------------


@needs_posix
@pytest.mark.parametrize(
    "args",
    [["print", "ucaas-port-smb"], ["schema"], ["log", "{journal}"], ["debrief", "{journal}"]],
)
def test_output_piped_to_a_reader_that_leaves_gives_no_traceback(
    args: list[str], tmp_path: Path
) -> None:
    journal = tmp_path / "night.journal"
    script_cutover(journal)
    args = [arg.format(journal=journal) for arg in args]
    command = " ".join([sys.executable, "-m", "cockpit", *args])
    piped = subprocess.run(
        f"{command} | head -1",
        shell=True,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
        check=False,
    )
    assert piped.returncode == 0 and len(piped.stdout.splitlines()) == 1
    assert "Traceback" not in piped.stderr and "BrokenPipe" not in piped.stderr
    # The reader gone before the first byte: every write fails, deterministically.
    child = subprocess.Popen(
        [sys.executable, "-m", "cockpit", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=REPO,
    )
    assert child.stdout is not None and child.stderr is not None
    child.stdout.close()
    err = child.stderr.read().decode()
    assert child.wait(timeout=60) == 0, err
    assert err == ""
