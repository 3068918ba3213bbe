"""`cockpit new RUNBOOK.toml [--contacts CARD.toml]`: a starter, so nobody begins from nothing.

Writes a commented starter runbook and contact card (from `cockpit/templates/`) that pass
the format validation; every value to replace is marked TODO, and `cockpit check` lists
them. The card goes next to the runbook as `NAME.contacts.toml` unless `--contacts` says
where; the runbook's `contact_card` points at it. An existing file is never replaced:
nothing is written when either one exists. Both are created readable by their owner
alone (the card will hold phone numbers), as is any folder made for them. Exit 0 when
both are written, 2 otherwise.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of `cockpit new`."""
    parser.add_argument("runbook", metavar="RUNBOOK.toml", help="the runbook file to create")
    parser.add_argument(
        "--contacts",
        metavar="CARD.toml",
        help="the contact card to create (default: NAME.contacts.toml next to the runbook)",
    )


def starter_texts(runbook_path: Path, card_path: Path) -> tuple[str, str]:
    """The starter runbook and contact card for these paths, as text."""
    stem = runbook_path.name.removesuffix(".toml") or "cutover"
    runbook_id = _identifier(stem, "cutover")
    card_id = _identifier(
        card_path.name.removesuffix(".toml").removesuffix(".contacts"), runbook_id
    )
    title = " ".join(re.split(r"[-_.\s]+", stem)).strip().capitalize() or "Cutover"
    relative = os.path.relpath(card_path.resolve(), runbook_path.resolve().parent)
    values = {
        "{{ID}}": runbook_id,
        "{{CARD_ID}}": card_id,
        "{{TITLE}}": _escaped(title),
        "{{CARD}}": _escaped(Path(relative).as_posix()),
        "{{RUNBOOK}}": str(runbook_path),
    }
    texts = []
    for name in ("starter-runbook.toml", "starter-contacts.toml"):
        text = (TEMPLATES / name).read_text(encoding="utf-8")
        for marker, value in values.items():
            text = text.replace(marker, value)
        texts.append(text)
    return texts[0], texts[1]


def _identifier(text: str, fallback: str) -> str:
    words = re.findall(r"[a-z0-9]+", text.lower())
    ident = "-".join(words)[:60].strip("-")
    return ident or fallback


def _escaped(text: str) -> str:
    """Text safe inside a TOML basic string."""
    text = "".join(c for c in text if c >= " " and c != "\x7f")
    return text.replace("\\", "\\\\").replace('"', '\\"')


def run(args: argparse.Namespace) -> int:
    """Write both starters, or nothing."""
    from cockpit.errors import FileProblems
    from cockpit.files import OutputRefused, make_private_folder, write_output
    from cockpit.model.load import load_contact_card, load_runbook

    runbook_path = Path(args.runbook)
    if runbook_path.suffix.lower() != ".toml":
        runbook_path = runbook_path.with_name(runbook_path.name + ".toml")
    if args.contacts:
        card_path = Path(args.contacts)
    else:
        card_path = runbook_path.with_name(
            runbook_path.name.removesuffix(".toml") + ".contacts.toml"
        )
    if card_path.resolve() == runbook_path.resolve():
        print("cockpit new: the runbook and the contact card must be two files", file=sys.stderr)
        return 2
    existing = [path for path in (runbook_path, card_path) if path.exists()]
    if existing:
        names = " and ".join(str(path) for path in existing)
        print(
            f"cockpit new: {names} already exist{'s' if len(existing) == 1 else ''}; not "
            "replacing anything (choose another name, or move the file away)",
            file=sys.stderr,
        )
        return 2
    runbook_text, card_text = starter_texts(runbook_path, card_path)
    written: list[Path] = []
    try:
        for path, text in ((card_path, card_text), (runbook_path, runbook_text)):
            make_private_folder(path.parent)
            write_output(path, text)  # without force: never replaces a file, even one just made
            written.append(path)
        load_contact_card(card_path)
        load_runbook(runbook_path)
    except OutputRefused as refused:
        for path in written:
            path.unlink(missing_ok=True)
        print(f"cockpit new: {refused}; nothing written", file=sys.stderr)
        return 2
    except OSError as error:
        for path in written:
            path.unlink(missing_ok=True)
        print(f"cockpit new: cannot write {error.filename}: {error.strerror}", file=sys.stderr)
        return 2
    except FileProblems as problems:  # a broken template: a bug, said plainly
        for path in written:
            path.unlink(missing_ok=True)
        print(
            f"cockpit new: the starter does not validate (a bug):\n{problems.render()}",
            file=sys.stderr,
        )
        return 2
    print(f"wrote {runbook_path} (runbook) and {card_path} (contact card)")
    print("next: replace every TODO, then run")
    print(f"  cockpit check {runbook_path}")
    return 0
