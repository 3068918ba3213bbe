"""The user's keymap: `keymap.toml` in the user config folder remaps actions by id.

    # ~/.config/cutover-cockpit/keymap.toml
    [keys]
    blocker = "z"          # raise a blocker with z instead of b
    note = "a,ctrl+n"      # several keys, comma-separated
    tick1 = "f1"           # the number keys are tick1 … tick9, and tick10 (0)

The ids are those of `cockpit.tui.actions.ACTIONS` (`cockpit help` lists them in its
table, the help screen shows the keys in force). A bad file, an unknown id or a key that
another action already uses is a notice at start, never a crash: the entries that are
wrong are left out and the others apply, the way Posting treats its keymap.
"""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import Field

from cockpit.errors import FileProblems
from cockpit.model.load import load_model
from cockpit.model.runbook import Strict
from cockpit.tui.actions import COCKPIT_BINDINGS

KEYMAP_FILE = "keymap.toml"

#: A Textual key name: `b`, `R`, `f2`, `space`, `question_mark`, `ctrl+shift+a`.
_KEY = re.compile(r"^(?:(?:ctrl|shift|alt|super|meta)\+)*(?:[a-z][a-z0-9_]*|[A-Z0-9])$")


class KeymapFile(Strict):
    """The keymap file: action id → keys."""

    keys: dict[str, str] = Field(
        default_factory=dict,
        description="Action id ('blocker', 'tick1') → Textual key names, comma-separated.",
    )


def keymap_path(folder: Path | None = None) -> Path:
    """The keymap file in `folder` (default: the user config folder)."""
    from cockpit.settings import config_dir

    return (folder if folder is not None else config_dir()) / KEYMAP_FILE


def binding_ids() -> dict[str, str]:
    """Every remappable id (without the `cockpit.` prefix) → its default keys."""
    return {
        binding.id.removeprefix("cockpit."): binding.key
        for binding in COCKPIT_BINDINGS
        if binding.id is not None
    }


def load_keymap(folder: Path | None = None) -> tuple[dict[str, str], list[str]]:
    """The keymap to apply (binding id → keys) and the notices to show about the file."""
    path = keymap_path(folder)
    if not path.exists():
        return {}, []
    try:
        wanted = load_model(path, KeymapFile, "keymap").keys
    except FileProblems as problems:
        return {}, [f"{problems.render()}\n  Using the default keys."]
    defaults = binding_ids()
    in_force = dict(defaults)
    notices: list[str] = []
    applied: dict[str, str] = {}
    for action_id, keys in wanted.items():
        if action_id not in defaults:
            notices.append(
                f"{path}: no action {action_id!r}; the ids are: {', '.join(sorted(defaults))}"
            )
            continue
        names = [name.strip() for name in keys.split(",") if name.strip()]
        bad = [name for name in names if not _KEY.match(name)]
        if not names or bad:
            notices.append(
                f"{path}: {action_id} = {keys!r} is not a key name (examples: 'z', 'R', 'f2', "
                "'space', 'ctrl+n')"
            )
            continue
        taken = {
            name: other
            for other, other_keys in in_force.items()
            if other != action_id and not _shares_by_design(other, action_id)
            for name in other_keys.split(",")
            if name in names
        }
        if taken:
            clash = ", ".join(
                f"{name} is already the key of '{other}'" for name, other in taken.items()
            )
            notices.append(f"{path}: {action_id} = {keys!r} is not applied: {clash}")
            continue
        in_force[action_id] = ",".join(names)
        applied[f"cockpit.{action_id}"] = ",".join(names)
    return applied, notices


def _shares_by_design(one: str, other: str) -> bool:
    """Actions the table gives the same key on purpose (space: start, complete, the next
    undo, declare complete; s and x during a rollback): one of them applies at a time."""
    from cockpit.tui.actions import BY_ID

    first, second = BY_ID.get(one), BY_ID.get(other)
    return first is not None and second is not None and first.keys == second.keys != ""
