"""Find the files that ship with the cockpit: example runbooks, contact cards, themes.

They live at the top of a checkout (`runbooks/`, `contact_cards/`, `themes/`) so people
read and edit them there, and the wheel copies them into `cockpit/_bundled/` (see the
`force-include` table in pyproject.toml) because an installed package has no checkout
next to it. Looking in both places lets `cockpit run ucaas-port-smb` work from any
directory, installed or not, without the user knowing where the files went.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from cockpit.errors import FileProblems, Problem

BundledKind = Literal["runbooks", "contact_cards", "themes"]

_PACKAGE = Path(__file__).resolve().parent


def bundled_dir(kind: BundledKind) -> Path:
    """The folder holding the bundled files of `kind`.

    The wheel's copy wins when it exists (an installed cockpit); otherwise the checkout's
    top-level folder next to the package. The returned folder may not exist (a broken
    install): callers list it as empty rather than fail.
    """
    installed = _PACKAGE / "_bundled" / kind
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / kind


def list_bundled(kind: BundledKind) -> list[Path]:
    """The bundled `*.toml` files of `kind`, sorted by name."""
    folder = bundled_dir(kind)
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.glob("*.toml") if path.is_file())


def resolve_runbook(arg: str) -> Path:
    """The runbook file an argument names: an existing path, or a bundled runbook.

    A path that exists is returned unchanged (even a folder: the loader then says what is
    wrong with it). Otherwise a bare name like `ucaas-port-smb` or `ucaas-port-smb.toml`
    picks the bundled runbook of that file name or stem. Anything else raises
    `FileProblems` listing the bundled names, so a typo shows what was meant.
    """
    path = Path(arg).expanduser()
    if path.exists():
        return path
    bundled = list_bundled("runbooks")
    if path.name == arg:  # a bare name, not a path into some folder
        for candidate in bundled:
            if arg in (candidate.name, candidate.stem):
                return candidate
    names = ", ".join(candidate.stem for candidate in bundled) or "none found"
    raise FileProblems(
        arg,
        [Problem(f"no such file, and no bundled runbook of that name; bundled runbooks: {names}")],
        "runbook",
    )
