"""Read a runbook kept in an Excel workbook (.xlsx), as project offices keep cutover plans.

The sheet is chosen by name (`--sheet`), else the first sheet whose header row names a
task column. Cells are turned into the text a CSV export would hold (whole numbers
without ".0", times as h:mm, dates as ISO, a percentage as 'N%'), so the table is read
exactly as `csv_import.read_rows` reads a CSV: one reading of a plan's columns, two ways in.

What a workbook has that a CSV does not is handled here: a value merged down over rows
(a phase or a 'T-48h' beside its rows) stands on each of them; hidden columns are left
out (with a note: someone hid them from the plan), unless `--column` names one; formulas
are read as the values Excel saved with them, and a formula saved without one is noted.
Every problem names the file and the sheet.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cockpit.errors import FileProblems, Problem
from cockpit.importers.csv_import import read_rows
from cockpit.importers.draft import Draft

KIND = "runbook to import"
#: Rows read from a sheet at most (a plan, not a data dump).
MAX_ROWS = 20_000
#: Columns read from a sheet at most.
MAX_COLUMNS = 200
#: Excel's day zero: a time of day or a duration over 24 h comes back as a date near it.
_EXCEL_ZERO = dt.datetime(1899, 12, 30)


def cell_text(value: object, number_format: str = "General") -> str:
    """A cell's value as a CSV export would write it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)) and "%" in number_format:
        return f"{value * 100:g}%"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        if value < dt.datetime(1900, 1, 2):  # a duration past 24 h in an h:mm cell
            minutes = round((value - _EXCEL_ZERO).total_seconds() / 60)
            return f"{minutes // 60}:{minutes % 60:02d}"
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
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
        book = load_workbook(io.BytesIO(data), data_only=True)
    except Exception as error:  # openpyxl raises anything on a damaged file
        kind = type(error).__name__
        if isinstance(error, zipfile.BadZipFile):
            kind = "not a zip archive, as an .xlsx is"
        raise FileProblems(
            path,
            [Problem(f"not readable as an .xlsx workbook ({kind}); save it again from Excel")],
            KIND,
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
        if not chosen:
            raise FileProblems(path, [Problem("the workbook has no sheet")], KIND)
        failed: list[FileProblems] = []
        for name in chosen:
            rows, notes = _sheet_rows(book[name], columns or {})
            try:
                draft = read_rows(rows, path, columns=columns, where=f"rows of sheet {name!r}")
            except FileProblems as problems:
                failed.append(problems)
                continue
            if not draft.steps and not draft.checkpoints:
                # A header ('Name', 'Phone') but no task under it: a contact list, say.
                failed.append(
                    FileProblems(
                        path,
                        [Problem(f"sheet {name!r} has a header row but no task rows under it")],
                        KIND,
                    )
                )
                continue
            if len(names) > 1:
                draft.note(None, f"read sheet {name!r} (the sheets: {', '.join(names)})")
            for line, message in notes:
                draft.note(line, f"sheet {name!r}: {message}")
            _formulas_without_values(data, name, draft)
            return draft
        if len(failed) == 1:
            raise failed[0]
        raise FileProblems(
            path,
            [
                Problem(
                    "no sheet has a header row with a task column (Task, Step, Activity…) in "
                    f"its first 20 rows; the sheets: {', '.join(names)} (choose one with "
                    "--sheet NAME, name its task column with --column title=HEADER)"
                )
            ],
            KIND,
        )
    finally:
        book.close()


def _sheet_rows(
    worksheet: Any, overrides: Mapping[str, str]
) -> tuple[list[tuple[int, list[str]]], list[tuple[int | None, str]]]:
    """The sheet's rows as text (row number, cells), and notes on what was left out."""
    notes: list[tuple[int | None, str]] = []
    grid: list[list[Any]] = []
    formats: list[list[str]] = []
    # Bounded by the sheet's own extent: asking for more makes openpyxl create empty cells.
    last_row = min(worksheet.max_row or 0, MAX_ROWS)
    last_column = min(worksheet.max_column or 0, MAX_COLUMNS)
    for row in worksheet.iter_rows(max_row=last_row, max_col=last_column):
        grid.append([cell.value for cell in row])
        formats.append([getattr(cell, "number_format", "General") or "General" for cell in row])
    if worksheet.max_row > MAX_ROWS:
        notes.append((MAX_ROWS, f"more than {MAX_ROWS} rows: the rest were not read"))
    for merged in worksheet.merged_cells.ranges:
        # A phase or a 'T-48h' merged down beside its rows stands on each of them.
        top, left, bottom = merged.min_row - 1, merged.min_col - 1, merged.max_row - 1
        if bottom == top or top >= len(grid) or left >= len(grid[top]):
            continue
        for index in range(top + 1, min(bottom + 1, len(grid))):
            if left < len(grid[index]):
                grid[index][left] = grid[top][left]
                formats[index][left] = formats[top][left]
    hidden: set[int] = set()
    for key, dimension in worksheet.column_dimensions.items():
        if dimension.hidden:
            low = dimension.min or 0
            high = dimension.max or low
            if not low:
                low = high = _column_number(key)
            hidden.update(range(low - 1, high))
    wanted = {" ".join(name.lower().split()) for name in overrides.values()}
    for column in sorted(hidden):
        values = [str(row[column]) for row in grid if column < len(row) and row[column] is not None]
        if any(" ".join(value.lower().split()) in wanted for value in values[:25]):
            hidden.discard(column)  # named by --column: the user wants it
            continue
        if values:
            notes.append(
                (
                    None,
                    f"column {_column_letter(column + 1)} is hidden: left out "
                    f"({values[0][:30]!r}…; name it with --column ROLE=HEADER to read it)",
                )
            )
    hidden_rows = [
        number
        for number, dimension in worksheet.row_dimensions.items()
        if dimension.hidden and number <= len(grid)
    ]
    if hidden_rows:
        shown = ", ".join(str(n) for n in sorted(hidden_rows)[:10])
        notes.append((None, f"hidden rows read like the others: {shown}"))
    rows = [
        (
            number,
            [
                cell_text(value, formats[number - 1][column])
                for column, value in enumerate(values)
                if column not in hidden
            ],
        )
        for number, values in enumerate(grid, start=1)
    ]
    return rows, notes


def _column_letter(number: int) -> str:
    """'A' for 1, 'AA' for 27: as the sheet names its columns."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _column_number(letters: str) -> int:
    """1 for 'A', 27 for 'AA' (0 for what is not a column name)."""
    number = 0
    for letter in letters.upper():
        if not "A" <= letter <= "Z":
            return 0
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _formulas_without_values(data: bytes, name: str, draft: Draft) -> None:
    """Note the formulas saved without a value (a file written by a program, never opened
    in Excel): their cells read as empty."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # it loaded once already; this second look is optional
        return
    try:
        values = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # as above
        book.close()
        return
    try:
        empty: list[str] = []
        formulas = book[name].iter_rows(max_row=MAX_ROWS)
        cached = values[name].iter_rows(max_row=MAX_ROWS)
        for formula_row, value_row in zip(formulas, cached, strict=False):
            for formula, value in zip(formula_row, value_row, strict=False):
                text = getattr(formula, "value", None)
                if isinstance(text, str) and text.startswith("=") and value.value is None:
                    empty.append(getattr(formula, "coordinate", "?"))
        if empty:
            draft.note(
                None,
                f"sheet {name!r}: {len(empty)} formula cell(s) saved without a value ("
                + ", ".join(empty[:5])
                + "): read as empty; open and save the file in Excel to keep their values",
            )
    finally:
        book.close()
        values.close()
