"""The source file: which reader (by file name), its text (any common encoding), the import."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from cockpit.errors import FileProblems, Problem
from cockpit.importers.build import finish
from cockpit.importers.draft import ImportResult


def import_path(
    path: Path,
    kind: str | None = None,
    *,
    columns: Mapping[str, str] | None = None,
    sheet: str | None = None,
) -> ImportResult:
    """Import the file at `path` ('md', 'csv' or 'xlsx', from its name unless `kind` says).

    `columns` maps a role (title, owner, minutes, …) to the spreadsheet header that holds it,
    over the usual names; `sheet` names the workbook sheet to read.
    """
    kind = kind or kind_of(path) or "md"
    if kind == "xlsx":
        from cockpit.importers.xlsx import read_xlsx

        return finish(read_xlsx(path, sheet=sheet, columns=columns))
    return import_text(read_source(path), path, kind, columns=columns)


def import_text(
    text: str, source: Path | str, kind: str, *, columns: Mapping[str, str] | None = None
) -> ImportResult:
    """Import text of `kind` ('md' or 'csv') into runbook data."""
    source = Path(source)
    if kind == "csv":
        from cockpit.importers.csv_import import read_csv

        draft = read_csv(text, source, columns=columns)
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
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
}


def kind_of(path: Path) -> str | None:
    """'md', 'csv' or 'xlsx' from a file name, or None."""
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
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        text = data.decode("latin-1")
    _refuse_control_characters(text, path, kind)
    return text


#: Problems listed for one source at most: the first ones say what to look for.
_MAX_LISTED = 10


def _refuse_control_characters(text: str, path: Path, kind: str) -> None:
    """Refuse, located, what a terminal would obey or what hides text (escape sequences,
    bidirectional overrides), as every file the cockpit loads is refused. Tabs and line
    ends are text here (a TSV export, an old Mac file)."""
    from cockpit.text import control_characters

    found = [
        (index, what)
        for index, what in control_characters(text, newlines_allowed=True)
        if what != "\\x0d"
    ]
    if not found:
        return
    problems = []
    for index, what in found[:_MAX_LISTED]:
        column = index - (text.rfind("\n", 0, index) + 1) + 1
        problems.append(
            Problem(
                f"holds a control character ({what}) at column {column}; remove it",
                line=text.count("\n", 0, index) + 1,
            )
        )
    if len(found) > _MAX_LISTED:
        problems.append(Problem(f"and {len(found) - _MAX_LISTED} more control characters"))
    raise FileProblems(path, problems, kind)
