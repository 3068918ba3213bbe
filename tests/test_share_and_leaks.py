"""Share mode on screen, and the secret that must never land in a file we write.

A long random canary stands in for the carrier PIN. The DE shares the screen, reveals the
PIN (confirmed, 15 s), copies it unseen, and the night goes on; then every byte we wrote
is searched for it: the journal and its WAL, the debrief in both formats, the paper copy
in every format, and screenshots taken after the reveal expired.
"""

from __future__ import annotations

import os
import secrets as random_secrets
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from cockpit import secrets as cockpit_secrets
from cockpit.cli import main
from cockpit.core import commands as cmd
from cockpit.journal.store import read_events
from cockpit.tui.screens.modals import Confirm
from cockpit.tui.screens.secret_dialogs import PickSecret
from tests.keyring_helpers import MemoryKeyring

from .tui_helpers import Cockpits, mid_cutover, run_pilot

SIZES = [(120, 40), (80, 24), (200, 60)]


@pytest.mark.parametrize("size", SIZES, ids=["120x40", "80x24", "200x60"])
def test_snapshot_share_mode(snap_compare: Any, make: Cockpits, size: tuple[int, int]) -> None:
    """SHARING badge, the share theme, every secret masked."""
    cockpit = mid_cutover(make())
    cockpit.do(cmd.SetShareMode(on=True))
    assert snap_compare(cockpit.app, terminal_size=size)


def test_f2_toggles_share_mode_journaled_and_themed(make: Cockpits) -> None:
    cockpit = make()
    app = cockpit.app

    async def scenario(pilot: Pilot[Any]) -> None:
        chosen = app.theme
        await pilot.press("f2")
        await pilot.pause()
        assert app.theme == "share"
        assert "SHARING" in str(app.screen.query_one("#mode-badge").render())
        await pilot.press("f2")
        await pilot.pause()
        assert app.theme == chosen
        assert "SHARING" not in str(app.screen.query_one("#mode-badge").render())

    run_pilot(app, scenario)
    changes = [e for e in read_events(cockpit.journal_path) if e.type == "share_mode_changed"]
    assert [e.on for e in changes] == [True, False]  # type: ignore[attr-defined]


def _night_with_a_secret(make: Cockpits, canary: str, screenshots: list[str]) -> Path:
    """Share, reveal the carrier PIN (confirmed), let it expire, copy it, work on."""
    backend = MemoryKeyring()
    previous = cockpit_secrets.set_backend_for_tests(backend)
    try:
        cockpit_secrets.set_secret("carrier-pin", canary)
        cockpit = mid_cutover(make())
        app = cockpit.app
        clock = [1000.0]

        async def scenario(pilot: Pilot[Any]) -> None:
            app.screen.monotonic = lambda: clock[0]  # type: ignore[attr-defined]
            await pilot.press("f2")
            await pilot.press("k")
            await pilot.pause()
            assert isinstance(app.screen, PickSecret)
            await pilot.press("enter")  # the first secret on the card: the carrier PIN
            await pilot.pause()
            assert isinstance(app.screen, Confirm)  # sharing: revealing asks first
            await pilot.press("y")
            await pilot.pause()
            contacts = app.screen.query_one("#contacts-body")
            assert canary in str(contacts.render())  # shown, deliberately, for 15 s
            clock[0] += 16
            app.screen.refresh_view()
            await pilot.pause()
            assert canary not in str(contacts.render())  # masked again
            screenshots.append(app.export_screenshot())
            await pilot.press("K")
            await pilot.press("enter")
            await pilot.pause()
            assert app.clipboard == canary
            await pilot.press("a")
            await pilot.press(*"PIN read to the carrier", "enter")
            await pilot.pause()
            screenshots.append(app.export_screenshot())

        run_pilot(app, scenario)
        cockpit.close()
        return cockpit.journal_path
    finally:
        cockpit_secrets.set_backend_for_tests(previous)


def _files_we_wrote(journal: Path, out: Path) -> list[Path]:
    written = [journal, *journal.parent.glob(journal.name + "-*")]
    for fmt in ("md", "html"):
        target = out / f"debrief.{fmt}"
        assert main(["debrief", str(journal), "-o", str(target), "--format", fmt]) in (0, 1)
        written.append(target)
    for fmt in ("md", "html", "txt"):
        target = out / f"paper.{fmt}"
        assert main(["print", "ucaas-port-smb", "-o", str(target), "--format", fmt]) == 0
        written.append(target)
    return written


def test_the_secret_never_lands_in_a_file_we_write(make: Cockpits, tmp_path: Path) -> None:
    canary = "CANARY-" + random_secrets.token_hex(32)
    screenshots: list[str] = []
    journal = _night_with_a_secret(make, canary, screenshots)
    out = tmp_path / "out"
    out.mkdir()
    files = _files_we_wrote(journal, out)
    assert any(path.name.endswith("-wal") for path in files) or journal.exists()
    for path in files:
        assert canary.encode() not in path.read_bytes(), f"the secret leaked into {path.name}"
    for svg in screenshots:
        assert canary not in svg
    for svg in Path(__file__).parent.glob("__snapshots__/**/*.svg"):
        assert canary not in svg.read_text(encoding="utf-8")
    revealed = [e for e in read_events(journal) if e.type == "secret_revealed"]
    assert [(e.name, e.how, e.source) for e in revealed] == [  # type: ignore[attr-defined]
        ("carrier-pin", "shown", "keyring"),
        ("carrier-pin", "copied", "keyring"),
    ]


def test_the_journal_is_the_same_whatever_the_secret(tmp_path: Path) -> None:
    """Apart from ids and times, two nights with different PINs write the same events."""
    payloads = []
    for run, value in enumerate(("1111", "CANARY-" + random_secrets.token_hex(40))):
        folder = tmp_path / f"run{run}"
        folder.mkdir()
        factory = Cockpits(folder)
        try:
            journal = _night_with_a_secret(factory, value, [])
        finally:
            factory.close()
        payloads.append(
            [e.model_dump(mode="json", exclude={"event_id", "at"}) for e in read_events(journal)]
        )
    assert payloads[0] == payloads[1]


def test_the_palette_screenshot_masks_secrets_and_is_private(
    make: Cockpits, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Textual's own screenshot saved a revealed secret, world-readable, in a file."""
    import stat

    canary = "CANARY-" + random_secrets.token_hex(8)
    backend = MemoryKeyring()
    previous = cockpit_secrets.set_backend_for_tests(backend)
    monkeypatch.chdir(tmp_path)
    previous_umask = os.umask(0o022)
    try:
        cockpit_secrets.set_secret("carrier-pin", canary)
        cockpit = mid_cutover(make())
        app = cockpit.app

        async def scenario(pilot: Pilot[Any]) -> None:
            await pilot.press("k")
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
            assert canary in str(app.screen.query_one("#contacts-body").render())
            await pilot.press("ctrl+p")
            await pilot.press(*"screenshot")
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause(0.5)
            assert canary not in str(app.screen.query_one("#contacts-body").render())

        run_pilot(app, scenario)
        cockpit.close()
    finally:
        os.umask(previous_umask)
        cockpit_secrets.set_backend_for_tests(previous)
    [shot] = list(tmp_path.glob("cockpit-screenshot-*.svg"))
    assert stat.S_IMODE(shot.stat().st_mode) == 0o600
    text = shot.read_text(encoding="utf-8")
    assert "Timeline" in text and canary not in text
