"""In a real terminal: escape sequences held by a journal never reach it.

Files with control characters are refused at load, but a journal written before that (or
by an import) carries its own snapshot of the plan. Here the snapshot's title tries to
retitle the terminal (OSC 0), to overwrite its clipboard (OSC 52) and to blank it (CSI 2J);
the real `cockpit run` resumes that journal in tmux, shows the text escaped, and the
pane's title and tmux's paste buffers stay as they were, through the exit line too.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cockpit.core.clock import ManualClock
from cockpit.model.load import load_contact_card, load_runbook
from cockpit.model.runbook import Runbook
from cockpit.session import Session
from tests.e2e_helpers import UCAAS_RUNBOOK, TmuxApps, run_argv, tmux_apps_in

pytestmark = pytest.mark.slow

UCAAS_CARD = UCAAS_RUNBOOK.parent.parent / "contact_cards" / "ucaas-port-smb.toml"
RETITLE = "\x1b]0;PWNED-TITLE\x1b\\"
CLIPBOARD = "\x1b]52;c;UFdORUQtQ0xJUA==\x07"  # base64 of PWNED-CLIP
BLANK = "\x1b[2J"


@pytest.fixture
def tmux_apps(tmp_path: Path) -> Iterator[TmuxApps]:
    with tmux_apps_in(tmp_path) as apps:
        yield apps


def hostile_journal(path: Path) -> None:
    """A rehearsal journal whose snapshot's title and first step carry the escapes."""
    data = load_runbook(UCAAS_RUNBOOK).model_dump(mode="json")
    data["runbook"]["title"] = f"Harbor {RETITLE}{BLANK} [/x]"
    data["steps"][0]["title"] = f"Pre-flight {CLIPBOARD} checks"
    runbook = Runbook.model_validate(data)
    clock = ManualClock(datetime.now(UTC))
    session = Session.open(
        path, runbook, load_contact_card(UCAAS_CARD), clock, mode="rehearsal", operator="dana"
    )
    session.close()


def test_a_journal_cannot_retitle_or_clip_the_terminal(tmux_apps: TmuxApps, tmp_path: Path) -> None:
    journal = tmp_path / "hostile.journal"
    hostile_journal(journal)
    app = tmux_apps.start(run_argv(journal, rehearsal=False), marker=str(journal))
    title_before = app.pane("#{pane_title}")
    screen = app.wait_for("saved #", "\\x1b]0;PWNED-TITLE", "\\x1b]52;c;", timeout=20)
    # The due message quotes the title whole ("M" shows it): escaped, "[/x]" as written.
    app.send_keys("M")
    screen = app.wait_for("message(s) due", "\\x1b]0;PWNED-TITLE", "[/x]", timeout=10)
    assert "PWNED-TITLE" not in app.pane("#{pane_title}")
    app.send_keys("Escape")
    app.wait_until(lambda text: "message(s) due" not in text, timeout=10, what="the dialog closed")
    app.send_keys("C-q")
    app.wait_exit(timeout=15)
    after = app.capture(history=True)
    assert "\\x1b]0;PWNED-TITLE" in after  # the exit line names the night, escaped
    assert app.pane("#{pane_title}") == title_before, screen
    buffers = app.tmux("list-buffers", check=False).stdout
    assert "PWNED" not in buffers
