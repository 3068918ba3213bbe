"""A journal is one night's record: one writer, private, free of secrets, and true to the card.

Regression tests for issue 10, items 5, 6 (journal files), 9, 10 and two of 11:

* one writer per real file: a second writer through a symlink or a hard link, in another
  process or in this one, is refused with the usual message, and the first keeps writing;
* a journal, its -wal, -shm and -lock are created 0600 and a folder made for it 0700, with
  the umask at 022 (also a journal made by `verify --salvage-to`);
* refusing a file that is not a journal leaves no -lock beside it; a failed open removes
  the empty journal and the folder it made;
* `cockpit run --journal` into a folder that did not exist says a NEW night starts there;
* a secret value revealed or copied, then typed into a note, a blocker or a reason, is
  journaled as `[secret: NAME]`, and its bytes are nowhere in the journal's files;
* a contact card corrected between two runs is noticed at resume, offered, and once taken
  is the card of record in the fold, the log and the debrief.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from cockpit.core import commands as cmd
from cockpit.core.clock import ManualClock
from cockpit.core.evolve import fold
from cockpit.core.redact import MIN_SECRET_LENGTH, KnownSecrets
from cockpit.journal.describe import readable_lines
from cockpit.journal.events import ContactCardAdopted, SessionResumed
from cockpit.journal.store import Journal, JournalError, JournalInUse, read_events
from cockpit.model.contacts import ContactCard
from cockpit.model.load import load_contact_card, load_runbook
from cockpit.session import Session
from tests.journal_helpers import MINI, MINI_CARD, MINI_WINDOW_START, script_cutover
from tests.test_one_writer import Holder, assert_refusal

SIDE_FILES = ("-wal", "-shm", "-lock")


@pytest.fixture
def umask_022() -> Iterator[None]:
    """The usual umask, under which SQLite alone would create 0644 files."""
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def open_session(journal: Path, card: ContactCard | None = None, **options: Any) -> Session:
    return Session.open(
        journal,
        load_runbook(MINI),
        card if card is not None else load_contact_card(MINI_CARD),
        ManualClock(MINI_WINDOW_START),
        operator="Dana",
        **options,
    )


# ---- item 5: one writer per real file ---------------------------------------------------


@pytest.fixture
def night(tmp_path: Path) -> Path:
    journal = tmp_path / "x.journal"
    script_cutover(journal, steps=2, finish=False)
    return journal


def test_a_second_writer_through_a_symlink_is_refused(night: Path, tmp_path: Path) -> None:
    alias = tmp_path / "y.journal"
    alias.symlink_to(night.name)
    holder = Holder(night)
    try:
        with pytest.raises(JournalInUse) as refused:
            Journal.open(alias)
        assert_refusal(refused.value, alias, holder.pid)
        assert holder.note("still the only writer") == holder.saved
    finally:
        holder.kill()
    assert not (tmp_path / "y.journal-lock").exists()


def test_a_writer_through_a_symlink_locks_out_the_real_name(night: Path, tmp_path: Path) -> None:
    alias = tmp_path / "links" / "y.journal"
    alias.parent.mkdir()
    alias.symlink_to(night)
    holder = Holder(alias)
    try:
        with pytest.raises(JournalInUse) as refused:
            Journal.open(night)
        assert_refusal(refused.value, night, holder.pid)
        seen = holder.note("written through the symlink")
    finally:
        holder.kill()
    # SQLite wrote the real file, beside which its -wal lives: nothing beside the link.
    assert read_events(night)[-1].seq == seen
    assert sorted(path.name for path in alias.parent.iterdir()) == ["y.journal"]


def test_a_second_writer_through_a_hard_link_is_refused(night: Path, tmp_path: Path) -> None:
    other_folder = tmp_path / "elsewhere"
    other_folder.mkdir()
    twin = other_folder / "z.journal"
    os.link(night, twin)
    holder = Holder(night)
    try:
        with pytest.raises(JournalInUse) as refused:
            Journal.open(twin)
        assert_refusal(refused.value, twin, holder.pid)
        with pytest.raises(JournalInUse):
            open_session(twin)
        holder.note("the first writer carries on")
    finally:
        holder.kill()
    assert not (other_folder / "z.journal-lock").exists()  # the refusal left nothing behind
    with Journal.open(twin) as journal:  # released with the holder: the twin may write now
        assert journal.last_seq == len(read_events(night))


def test_in_one_process_a_hard_link_is_refused_and_the_first_writer_is_undisturbed(
    night: Path, tmp_path: Path
) -> None:
    twin = tmp_path / "twin.journal"
    os.link(night, twin)
    session = Session.open(
        night, load_runbook(MINI), load_contact_card(MINI_CARD), ManualClock(MINI_WINDOW_START)
    )
    try:
        for _ in range(3):
            with pytest.raises(JournalInUse) as refused:
                Journal.open(twin)
            assert f"pid {os.getpid()}" in str(refused.value)
            assert session.execute(cmd.AddNote(text="still writing")).ok
    finally:
        session.close()
    assert [n.text for n in fold(read_events(night)).notes][-3:] == ["still writing"] * 3


# ---- item 6: private files --------------------------------------------------------------


def test_a_new_journal_and_its_files_are_private_even_under_umask_022(
    tmp_path: Path, umask_022: None
) -> None:
    journal = tmp_path / "new" / "deeper" / "night.journal"
    session = open_session(journal)
    try:
        session.execute(cmd.AddNote(text="customer account 12-3456-789"))
        for suffix in ("", *SIDE_FILES):
            path = journal.with_name(journal.name + suffix)
            assert path.exists(), path
            assert mode_of(path) == 0o600, (path, oct(mode_of(path)))
    finally:
        session.close()
    assert mode_of(tmp_path / "new") == 0o700
    assert mode_of(tmp_path / "new" / "deeper") == 0o700
    assert mode_of(journal) == 0o600


def test_a_salvaged_journal_is_private(night: Path, tmp_path: Path, umask_022: None) -> None:
    from cockpit.cli.verify import _salvage_to

    salvaged = tmp_path / "salvaged" / "night.journal"
    assert _salvage_to(night, salvaged, list(read_events(night))) == 0
    assert mode_of(salvaged) == 0o600
    assert mode_of(salvaged.parent) == 0o700
    for suffix in SIDE_FILES:
        side = salvaged.with_name(salvaged.name + suffix)
        assert not side.exists() or mode_of(side) == 0o600, side


# ---- item 11: refusals leave nothing; a new folder is said ------------------------------


def test_refusing_a_file_that_is_not_a_journal_leaves_no_lock(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("not a journal\n")
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    conn.close()
    for path in (text, other):
        with pytest.raises(JournalError, match="not a cockpit journal"):
            Journal.open(path)
        assert not path.with_name(path.name + "-lock").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt", "other.db"]


def test_a_failed_open_removes_the_journal_and_folder_it_made(tmp_path: Path) -> None:
    def no_disk(uri: str) -> sqlite3.Connection:
        raise sqlite3.OperationalError("disk I/O error")

    with pytest.raises(JournalError):
        Journal.open(tmp_path / "a" / "b" / "night.journal", connect=no_disk)
    assert list(tmp_path.iterdir()) == []


def test_journal_open_says_what_it_created(tmp_path: Path) -> None:
    journal = tmp_path / "new" / "night.journal"
    with Journal.open(journal) as opened:
        assert opened.created and opened.created_folder == tmp_path / "new"
    with Journal.open(journal) as reopened:
        assert not reopened.created and reopened.created_folder is None


class _ScreenStandIn:
    """Stands in for the cockpit's screen: keeps the notices it was given."""

    notices: list[str] = []
    internal_error = False
    return_code = 0

    def __init__(
        self,
        session: Session,
        theme: str | None,
        notices: list[str],
        later_notices: Callable[[], list[str]] | None = None,
    ) -> None:
        # The notices the app shows at once, then those it looks for after the first frame.
        type(self).notices = list(notices) + (later_notices() if later_notices else [])

    def run(self) -> None:
        """The DE quits at once."""


def run_cockpit(monkeypatch: pytest.MonkeyPatch, journal: Path) -> list[str]:
    import cockpit.tui.app
    from cockpit.cli import run

    monkeypatch.setattr(cockpit.tui.app, "CockpitApp", _ScreenStandIn)
    parser = argparse.ArgumentParser()
    run.configure(parser)
    args = parser.parse_args([str(MINI), "--journal", str(journal), "--operator", "dana"])
    assert run.run(args) == 0
    return _ScreenStandIn.notices


def test_a_journal_in_a_missing_folder_starts_a_new_night_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    mistyped = tmp_path / "nigths" / "port.journal"
    notices = run_cockpit(monkeypatch, mistyped)
    assert notices[0].startswith(f"No journal at {mistyped}: a NEW night starts there")
    assert f"folder {tmp_path / 'nigths'} created" in notices[0]
    # Resuming it, or starting beside an existing folder, is nothing to warn about.
    assert not any("NEW night" in n for n in run_cockpit(monkeypatch, mistyped))
    assert not any("NEW night" in n for n in run_cockpit(monkeypatch, tmp_path / "b.journal"))
    capsys.readouterr()


# ---- item 9: a revealed secret typed into text -------------------------------------------

PIN = "48213377"


def journal_bytes(journal: Path) -> bytes:
    return b"".join(
        path.read_bytes()
        for suffix in ("", "-wal", "-shm")
        if (path := journal.with_name(journal.name + suffix)).exists()
    )


def test_a_revealed_secret_typed_into_a_note_is_journaled_by_name(tmp_path: Path) -> None:
    journal = tmp_path / "night.journal"
    session = open_session(journal)
    try:
        session.execute(cmd.RecordSecretReveal(name="carrier-pin", how="copied"))
        session.remember_secret("carrier-pin", PIN)
        outcome = session.execute(cmd.AddNote(text=f"Ported with PIN {PIN}, NOC confirmed"))
        assert outcome.ok and outcome.redacted == ("carrier-pin",)
        assert "[secret: carrier-pin]" in outcome.redaction_notice
        assert (
            session.state.notes[-1].text == "Ported with PIN [secret: carrier-pin], NOC confirmed"
        )
        raised = session.execute(cmd.RaiseBlocker(what=f"portal refuses {PIN}"))
        assert raised.redacted == ("carrier-pin",)
        resolved = session.execute(cmd.ResolveBlocker(how=f"typed {PIN} again: ok"))
        assert resolved.redacted == ("carrier-pin",)
        skipped = session.execute(cmd.SkipStep(step_id="prep", reason=f"{PIN} given by phone"))
        assert skipped.ok and skipped.redacted == ("carrier-pin",)
        plain = session.execute(cmd.AddNote(text="nothing secret here"))
        assert plain.ok and plain.redacted == () and plain.redaction_notice == ""
        assert journal.with_name(journal.name + "-wal").stat().st_size > 0
        assert PIN.encode() not in journal_bytes(journal)  # main file, -wal and -shm
    finally:
        session.close()
    assert PIN.encode() not in journal_bytes(journal)
    texts = "\n".join(readable_lines(read_events(journal)))
    assert PIN not in texts and texts.count("[secret: carrier-pin]") == 4


def test_known_secrets_replace_whole_values_once_and_skip_short_ones() -> None:
    known = KnownSecrets()
    known.remember("pin", "12")  # too short: it would eat every "12" in every note
    known.remember("portal", "hunter22")
    known.remember("portal-prefix", "hunter")
    known.remember("spaced", "  s3cret-token \n")
    assert MIN_SECRET_LENGTH == 4 and "hunter22" not in repr(known)

    text, names = known.redact_text("at 12:12 typed hunter22, then hunter and s3cret-token")
    assert text == (
        "at 12:12 typed [secret: portal], then [secret: portal-prefix] and [secret: spaced]"
    )
    assert names == ("portal", "portal-prefix", "spaced")
    assert known.redact_text(text) == (text, ())  # placeholders are never replaced again

    note = cmd.AddNote(text="nothing to hide")
    assert known.redact(note) == (note, ()) and known.redact(note)[0] is note
    decided = cmd.DecideCheckpoint(
        checkpoint_id="gate", decision="no_go", by="hunter22", reason="hunter22 expired"
    )
    redacted, names = known.redact(decided)
    assert redacted.command_id == decided.command_id  # a retry still writes once
    assert (redacted.by, redacted.reason) == ("[secret: portal]", "[secret: portal] expired")
    assert names == ("portal",)


def test_every_command_says_which_of_its_fields_are_free_text() -> None:
    """A new command must say, itself, whether it carries text a DE could paste a secret
    into; every text field a DE types is listed, and every listed field is a string."""
    from dataclasses import fields

    for command in cmd.Command.__subclasses__():
        assert "free_text" in command.__dict__, f"{command.__name__} does not declare free_text"
        names = {f.name: f.type for f in fields(command)}
        for name in command.free_text:
            assert names.get(name) in ("str", str), f"{command.__name__}.{name} is not text"
    # The ones a DE types into on the night, whatever else is added.
    assert cmd.CompleteStep.free_text == ("anyway",)
    assert cmd.LogEscalation.free_text == ("agreed",)
    assert "reason" in cmd.ReopenStep.free_text and "reason" in cmd.WithdrawNote.free_text


# ---- item 10: a corrected contact card ---------------------------------------------------


def corrected_card() -> ContactCard:
    card = load_contact_card(MINI_CARD).model_dump(mode="json")
    senior = next(contact for contact in card["contacts"] if contact["id"] == "senior")
    senior["phones"] = [{"label": "mobile", "number": "+1 555 0777"}]
    return ContactCard.model_validate(card)


def on_call_number(card: ContactCard | None) -> str:
    assert card is not None and card.on_call is not None
    return card.on_call.first_number


def test_a_corrected_card_is_noticed_at_resume_and_taken_on_record(
    night: Path, tmp_path: Path
) -> None:
    from cockpit.report.debrief import build_debrief
    from cockpit.report.debrief.markdown import render_markdown

    session = open_session(night, corrected_card(), card_path="cards/mini.toml")
    try:
        assert session.state.card_changed
        assert on_call_number(session.state.contacts) == "+1 555 0199"  # not taken yet
        assert on_call_number(session.offered_card) == "+1 555 0777"
        command = session.adopt_card_command()
        assert command is not None and command.card_path == "cards/mini.toml"
        outcome = session.execute(command)
        assert outcome.ok, outcome.message
        assert on_call_number(session.state.contacts) == "+1 555 0777"
        assert not session.state.card_changed and session.state.card_adopted_at is not None
        assert session.offered_card is None and session.adopt_card_command() is None
        again = session.execute(cmd.AdoptContactCard(contacts=command.contacts))
        assert again.kind == "refused" and again.code == "same_card"
    finally:
        session.close()

    events = read_events(night)
    resumed = next(e for e in events if isinstance(e, SessionResumed))
    assert resumed.card_changed and not resumed.runbook_changed
    adopted = [e for e in events if isinstance(e, ContactCardAdopted)]
    assert len(adopted) == 1
    assert adopted[0].changes == ["Sam Senior: phones +1 555 0199 → +1 555 0777"]
    assert on_call_number(fold(events).contacts) == "+1 555 0777"
    assert on_call_number(fold(events, upto_seq=adopted[0].seq - 1).contacts) == "+1 555 0199"
    lines = "\n".join(readable_lines(events))
    assert "(contact card file changed: not taken yet)" in lines
    assert "contact_card_adopted" in lines
    assert "new contact card taken: Sam Senior: phones +1 555 0199 → +1 555 0777" in lines
    report = render_markdown(build_debrief(events, journal_name=night.name))
    assert "Contact card replaced at" in report and "+1 555 0777" in report

    # The card of record is now the corrected one: a third run has nothing to say.
    third = open_session(night, corrected_card())
    try:
        assert not third.state.card_changed and third.offered_card is None
    finally:
        third.close()


def test_no_card_tonight_or_the_same_card_is_no_change(night: Path) -> None:
    for card in (None, load_contact_card(MINI_CARD)):
        session = Session.open(night, load_runbook(MINI), card, ManualClock(MINI_WINDOW_START))
        try:
            assert not session.state.card_changed and session.offered_card is None
        finally:
            session.close()
