"""Read a runbook kept in an Excel workbook (.xlsx), as project offices keep cutover plans.

The sheet is chosen by name (`--sheet`), else the first sheet whose header row names a
task column. Cells are turned into the text a CSV export would hold (whole numbers
without ".0", times as h:mm, dates as ISO), so the table is read exactly as
`csv_import.read_rows` reads a CSV: one reading of a plan's columns, two ways in.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Mapping
from pathlib import Path

from cockpit.errors import FileProblems, Problem
from cockpit.importers.csv_import import read_rows
from cockpit.importers.draft import Draft

KIND = "runbook to import"
#: Rows read from a sheet at most (a plan, not a data dump).
MAX_ROWS = 20_000


def cell_text(value: object) -> str:
    """A cell's value as a CSV export would write it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.time):
        return f"{value.hour}:{value.minute:02d}"
    if isinstance(value, dt.timedelta):
        minutes = round(value.total_seconds() / 60)
        return f"{minutes // 60}:{minutes % 60:02d}"
    return str(value)


def read_xlsx(
    path: Path, *, sheet: str | None = None, columns: Mapping[str, str] | None = None
) -> Draft:
    """A draft runbook from a workbook's sheet; `FileProblems` names the file and the sheet."""
    from openpyxl import load_workbook  # only an .xlsx import pays for it

    from cockpit.files import read_file
    from cockpit.model.load import MAX_FILE_BYTES

    data = read_file(path, KIND, limit=MAX_FILE_BYTES)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise FileProblems(
            path, [Problem(f"not readable as an .xlsx workbook ({error})")], KIND
        ) from None
    try:
        names = list(book.sheetnames)
        if sheet is not None and sheet not in names:
            raise FileProblems(
                path,
                [Problem(f"no sheet named {sheet!r}; the sheets are: {', '.join(names)}")],
                KIND,
            )
        chosen = [sheet] if sheet is not None else names
        last: FileProblems | None = None
        for name in chosen:
            rows = [
                (number, [cell_text(value) for value in values])
                for number, values in enumerate(
                    book[name].iter_rows(values_only=True, max_row=MAX_ROWS), start=1
                )
            ]
            try:
                return read_rows(rows, path, columns=columns, where=f"rows of sheet {name!r}")
            except FileProblems as problems:
                last = problems
        if last is None:
            raise FileProblems(path, [Problem("the workbook has no sheet")], KIND)
        raise last
    finally:
        book.close()
