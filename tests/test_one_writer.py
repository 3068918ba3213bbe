"""One writer: a second cockpit on a journal is refused, the first keeps working, readers work.

A "holder" process opens a journal with `Session.open` — exactly what `cockpit run` does
before its screen appears — and appends a note whenever the test asks. Against it:

* `Journal.open` and `Session.open` in another process (this one) are refused with
  `JournalInUse`, whose message names the journal, the holder's pid, and `cockpit follow`;
* `cockpit run` on the same journal (the real command, no terminal needed: the refusal
  comes before the screen) exits 2 with that message and no traceback, and writes nothing;
* after each refusal the holder still appends, and a `JournalReader` and a `Follower`
  (the state behind `cockpit follow`) opened alongside see every new event;
* inside one process, a refused second open does not disturb the first writer either.

(`tests/test_e2e_tmux.py` also refuses a second `cockpit run` against a first one running
in a terminal.)
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cockpit.core import commands as cmd
from cockpit.core.clock import ManualClock
from cockpit.follow import Follower
from cockpit.journal.store import Journal, JournalInUse, JournalReader, read_events
from cockpit.journal.verify import verify_journal
from cockpit.model.load import load_contact_card, load_runbook
from cockpit.session import Session
from tests.e2e_helpers import REPO, clean_env, cockpit_argv
from tests.journal_helpers import MINI, MINI_CARD, MINI_WINDOW_START, JournalDriver, script_cutover

HOLDER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from cockpit.core import commands as cmd
    from cockpit.core.clock import SystemClock
    from cockpit.model.load import load_contact_card, load_runbook
    from cockpit.session import Session

    runbook = load_runbook(sys.argv[2])
    session = Session.open(
        Path(sys.argv[1]), runbook, load_contact_card(sys.argv[3]), SystemClock(),
        mode="rehearsal", operator="holder",
    )
    print("READY", session.saved_seq, flush=True)
    for line in sys.stdin:
        if line.startswith("NOTE "):
            outcome = session.execute(cmd.AddNote(text=line[5:].strip()))
            print(outcome.kind, session.saved_seq, flush=True)
        elif line.startswith("QUIT"):
            break
    session.close()
    print("CLOSED", flush=True)
    """
)


class Holder:
    """A process that holds a journal open for writing, appending on request."""

    def __init__(self, journal: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(journal), str(MINI), str(MINI_CARD)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=REPO,
            env=clean_env(),
        )
        ready = self._line()
        assert ready.startswith("READY"), ready
        self.saved = int(ready.split()[1])

    @property
    def pid(self) -> int:
        return self.process.pid

    def _line(self) -> str:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            assert self.process.stderr is not None
            raise AssertionError(f"the holder died: {self.process.stderr.read()}")
        return line.strip()

    def note(self, text: str) -> int:
        """Append a note; returns the seq saved."""
        assert self.process.stdin is not None
        self.process.stdin.write(f"NOTE {text}\n")
        self.process.stdin.flush()
        kind, seq = self._line().split()
        assert kind == "saved", kind
        self.saved = int(seq)
        return self.saved

    def quit(self) -> None:
        if self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.write("QUIT\n")
            self.process.stdin.flush()
            assert self._line() == "CLOSED"
            self.process.wait(timeout=10)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()


@pytest.fixture
def holder(tmp_path: Path) -> Iterator[Holder]:
    journal = tmp_path / "night.journal"
    script_cutover(journal, steps=2, finish=False)
    process = Holder(journal)
    try:
        yield process
    finally:
        process.kill()


def journal_of(tmp_path: Path) -> Path:
    return tmp_path / "night.journal"


def assert_refusal(error: JournalInUse, journal: Path, pid: int) -> None:
    message = str(error)
    assert str(journal) in message, message
    assert f"pid {pid}" in message, message
    assert "cockpit follow" in message, message


def test_a_second_writer_process_is_refused_and_the_first_keeps_writing(
    holder: Holder, tmp_path: Path
) -> None:
    journal = journal_of(tmp_path)
    seen = len(read_events(journal))
    assert seen == holder.saved

    reader = JournalReader.open(journal)
    follower = Follower(journal, ManualClock(datetime.now(UTC)))
    try:
        with pytest.raises(JournalInUse) as refused:
            Journal.open(journal)
        assert_refusal(refused.value, journal, holder.pid)
        with pytest.raises(JournalInUse) as refused:
            Session.open(
                journal, load_runbook(MINI), load_contact_card(MINI_CARD),
                ManualClock(MINI_WINDOW_START),
            )  # fmt: skip
        assert_refusal(refused.value, journal, holder.pid)
        assert len(read_events(journal)) == seen  # the refused ones wrote nothing

        for number in range(5):
            saved = holder.note(f"still writing {number}")
            assert saved == seen + number + 1
            assert follower.poll()
            assert follower.state.last_seq == saved
            assert [e.seq for e in reader.events(after_seq=saved - 1)] == [saved]
        assert [n.text for n in follower.state.notes][-5:] == [
            f"still writing {n}" for n in range(5)
        ]
    finally:
        follower.close()
        reader.close()
    holder.quit()
    assert verify_journal(journal).ok
    with Journal.open(journal) as journal_now:  # released on close: the next writer may come
        assert journal_now.last_seq == seen + 5


def test_cockpit_run_on_a_journal_in_use_is_refused_with_directions(
    holder: Holder, tmp_path: Path
) -> None:
    journal = journal_of(tmp_path)
    before = read_events(journal)
    result = subprocess.run(
        cockpit_argv("run", MINI, "--journal", journal, "--operator", "second"),
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        env=clean_env(),
    )
    said = result.stdout + result.stderr
    assert result.returncode == 2, said
    assert "Traceback" not in said, said
    assert f"{journal} is already open in another `cockpit run` (pid {holder.pid})" in said, said
    assert f"cockpit follow {journal}" in said, said
    assert read_events(journal) == before

    assert holder.note("after the refusal") == len(before) + 1
    assert read_events(journal)[-1].text == "after the refusal"  # type: ignore[attr-defined]


def test_a_refused_second_open_in_the_same_process_leaves_the_first_writer_alone(
    tmp_path: Path,
) -> None:
    journal = tmp_path / "night.journal"
    script_cutover(journal, steps=1, finish=False)
    with Journal.open(journal) as first:
        events = first.read_all()
        from cockpit.core.evolve import fold

        driver = JournalDriver(first, ManualClock(events[-1].at), fold(events))
        for attempt in range(3):
            with pytest.raises(JournalInUse):
                Journal.open(journal)
            # The refused open closed its own descriptors; SQLite's locks of the first
            # connection survive it (the lock is a sidecar file, see Journal).
            driver.must(cmd.AddNote(text=f"after refusal {attempt}"))
        # A writer in another process is still refused while the first is open.
        other = subprocess.run(
            [sys.executable, "-c", "import sys; from cockpit.journal.store import Journal;"
             " Journal.open(sys.argv[1])", str(journal)],
            capture_output=True, text=True, timeout=60, cwd=REPO, env=clean_env(),
        )  # fmt: skip
        assert other.returncode != 0 and "JournalInUse" in other.stderr, other.stderr
    assert verify_journal(journal).ok
    assert [e.text for e in read_events(journal)[-3:]] == [  # type: ignore[attr-defined]
        f"after refusal {attempt}" for attempt in range(3)
    ]
