"""`cockpit schema [--format runbook|contacts|both] [-o FILE [--force]]`: the JSON Schemas.

Editors validate and complete TOML against a JSON Schema (Taplo / Even Better TOML:
`#:schema ./runbook.schema.json` at the top of a file, or a `[[schema]]` rule in
`.taplo.toml`), so a typo is underlined while the runbook is written rather than found at
`cockpit check`. The schema comes straight from the pydantic models, so it cannot drift
from what the loader accepts; the cross-table rules (ids resolve, the point of no return
is gated) are beyond JSON Schema and stay with `cockpit check`.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of `cockpit schema`."""
    parser.add_argument(
        "--format",
        choices=["runbook", "contacts", "both"],
        default="both",
        help='which format; "both" (default) prints one object with keys "runbook" and '
        '"contact_card"',
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write the schema to FILE instead of printing it",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace an existing FILE (never a journal)",
    )


def schemas(which: str = "both") -> dict[str, Any]:
    """The JSON Schema of one format, or of both under "runbook" and "contact_card"."""
    from cockpit.model.contacts import ContactCard
    from cockpit.model.runbook import Runbook

    runbook = _editor_ready(Runbook.model_json_schema(), "Cutover Cockpit runbook")
    card = _editor_ready(ContactCard.model_json_schema(), "Cutover Cockpit contact card")
    if which == "runbook":
        return runbook
    if which == "contacts":
        return card
    return {"runbook": runbook, "contact_card": card}


def _editor_ready(schema: dict[str, Any], title: str) -> dict[str, Any]:
    """Add the dialect and a title, and mark the window times as TOML local date-times.

    pydantic says `date-time`, which means RFC 3339 with an offset; the window times are
    written *without* one (the zone is the `timezone` key). TOML-aware validators (Taplo,
    Tombi) read the `partial-date-time` format as a TOML local date-time.
    """
    _local_datetimes(schema)
    return {"$schema": _DIALECT, **schema, "title": title}


def _local_datetimes(node: Any) -> None:
    if isinstance(node, dict):
        if node.get("format") == "date-time":
            node["format"] = "partial-date-time"
        for value in node.values():
            _local_datetimes(value)
    elif isinstance(node, list):
        for value in node:
            _local_datetimes(value)


def run(args: argparse.Namespace) -> int:
    """Print (or write) the schema as JSON; an existing file is replaced only with --force."""
    from cockpit.files import write_output

    text = json.dumps(schemas(args.format), indent=2, ensure_ascii=False) + "\n"
    if args.output:
        write_output(Path(args.output), text, force=args.force)
    else:
        print(text, end="")
    return 0
