"""The source file: which reader (by file name), its text (any common encoding), the import."""

from __future__ import annotations

from pathlib import Path

from cockpit.errors import FileProblems, Problem
from cockpit.importers.build import finish
from cockpit.importers.draft import ImportResult


def import_text(text: str, source: Path | str, kind: str) -> ImportResult:
    """Import text of `kind` ('md' or 'csv') into runbook data."""
    source = Path(source)
    if kind == "csv":
        from cockpit.importers.csv_import import read_csv

        draft = read_csv(text, source)
    else:
        from cockpit.importers.markdown import read_markdown

        draft = read_markdown(text, source)
    return finish(draft)


_KINDS = {
    ".md": "md",
    ".markdown": "md",
    ".mdown": "md",
    ".txt": "md",
    ".csv": "csv",
    ".tsv": "csv",
}


def kind_of(path: Path) -> str | None:
    """'md' or 'csv' from a file name, or None."""
    return _KINDS.get(path.suffix.lower())


def read_source(path: Path) -> str:
    """A source file's text: UTF-8 (with or without BOM), else Windows-1252, else Latin-1."""
    from cockpit.files import read_file
    from cockpit.model.load import MAX_FILE_BYTES

    kind = "runbook to import"
    data = read_file(path, kind, limit=MAX_FILE_BYTES)  # regular files only, read capped
    if b"\x00" in data[:4096]:
        raise FileProblems(
            path,
            [Problem("this looks like a binary file (an .xlsx?); export it as CSV or Markdown")],
            kind,
        )
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")
