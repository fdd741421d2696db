"""A CSV or workbook as it arrives, read as rows within a budget: each row with its number as the
spreadsheet shows it, each cell folded as people type (full-width digits, spaces); CSV in UTF-8 or GB18030.
Shared by the assessor's imports, the returned forms and the applications."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xiaozhen.errors import UsageError, some
from xiaozhen.files import read_regular
from xiaozhen.i18n import _
from xiaozhen.limits import (
    MAX_SHEET_CELLS,
    MAX_SHEET_COLUMNS,
    MAX_SHEET_ROWS,
    MAX_SPREADSHEET_BYTES,
)
from xiaozhen.sheets.workbooks import OverBudget, Sheet, read_workbook

# A unit or remark in brackets after a heading: 得分（分） is 得分.
_BRACKETED = re.compile(r"[(（\[【].*?[)）\]】]")


@dataclass(frozen=True)
class SheetRows:
    """The cells of one sheet or CSV, each row with its number as the spreadsheet shows it."""

    where: str  # the file, and the sheet of a workbook, for messages
    rows: list[tuple[int, list[Any]]]
    sheet: str = ""  # the sheet's name in a workbook; "" for a CSV


def fold(value: Any) -> str:
    """A cell as text: full-width digits, letters and spaces folded (２０２０ → 2020), spaces trimmed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a number Excel stores as 2020.0
    return unicodedata.normalize("NFKC", str(value)).strip()


# A heading is a few words: a longer cell is read this far, before any pattern reads it (a pattern over a
# cell of 60,000 brackets would take minutes).
_HEADING_CHARS = 100


def folded_heading(value: Any) -> str:
    """A column's heading as it is compared: folded, without spaces, case or a bracketed unit."""
    text = _BRACKETED.sub("", fold(value)[:_HEADING_CHARS]).replace(" ", "").lower()
    return text.rstrip(":：")


def read_sheets(path: Path, sheet: str | None = None) -> list[SheetRows]:
    """The cells of a CSV (UTF-8 with or without BOM, GB18030 as Excel and WPS save it on Chinese
    Windows, or Excel's UTF-16 "Unicode text"), or of each sheet of an XLSX (only `sheet`, when named),
    merged cells filled."""
    raw = read_regular(path, MAX_SPREADSHEET_BYTES, _("a CSV or XLSX file"))
    if len(raw) > MAX_SPREADSHEET_BYTES:
        raise UsageError(
            _("{path}: over {MAX_SPREADSHEET_BYTES:,} bytes; an import is read up to that size").format(
                path=path, MAX_SPREADSHEET_BYTES=MAX_SPREADSHEET_BYTES
            )
        )
    suffix = path.suffix.lower()
    if raw.startswith(b"\xd0\xcf\x11\xe0") or suffix in (".xls", ".et"):
        raise UsageError(
            _("{path}: an old Excel (.xls) or WPS (.et) workbook; save it as .xlsx or CSV").format(path=path)
        )
    if raw.startswith(b"PK") or suffix in (".xlsx", ".xlsm"):
        return _read_workbook(path, raw, sheet)
    if sheet is not None:
        raise UsageError(_("--sheet: {path} is a CSV file, which has no sheets").format(path=path))
    return [SheetRows(str(path), _read_csv(path, _decode(path, raw)))]


def _decode(path: Path, raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise UsageError(
                _("{path}: begins as UTF-16 text but is cut short or damaged; save the CSV again").format(
                    path=path
                )
            ) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        raise UsageError(
            _("{path}: neither UTF-8 nor GB18030 text; save the CSV again from Excel or WPS").format(
                path=path
            )
        ) from None


def _read_csv(path: Path, text: str) -> list[tuple[int, list[Any]]]:
    """The rows of a CSV, each with the line it starts on; within the sheet limits (limits.py)."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    start, cells_read = 1, 0
    try:
        for cells in reader:
            rows.append((start, cells))
            cells_read += len(cells)
            if len(rows) > MAX_SHEET_ROWS or len(cells) > MAX_SHEET_COLUMNS or cells_read > MAX_SHEET_CELLS:
                raise OverBudget(
                    _(
                        "{file}: line {line}: over {rows} rows, {columns} columns or {cells} cells; "
                        "an import is read up to those"
                    ).format(
                        file=path,
                        line=start,
                        rows=f"{MAX_SHEET_ROWS:,}",
                        columns=f"{MAX_SHEET_COLUMNS:,}",
                        cells=f"{MAX_SHEET_CELLS:,}",
                    )
                )
            start = reader.line_num + 1  # a quoted cell may span lines: the next row starts after it
    except csv.Error as exc:  # a field over csv's limit (128 KiB), a NUL byte
        raise UsageError(
            _("{path}: line {line_num}: not readable as CSV ({exc})").format(
                path=path, line_num=reader.line_num, exc=exc
            )
        ) from None
    return rows


def _read_workbook(path: Path, raw: bytes, sheet: str | None) -> list[SheetRows]:
    book = {s.title: s for s in read_workbook(raw, str(path))}
    names = list(book)
    if sheet is not None:
        if sheet not in names:
            raise UsageError(
                _("--sheet: {path} has no sheet '{sheet}'; its sheets: {some}").format(
                    path=path, sheet=sheet, some=some(names)
                )
            )
        names = [sheet]
    return [
        SheetRows(_("{file} (sheet {sheet})").format(file=path, sheet=name), _sheet_rows(book[name]), name)
        for name in names
    ]


def _sheet_rows(sheet: Sheet) -> list[tuple[int, list[Any]]]:
    cells = [list(row) for row in sheet.rows]
    for first_row, first_column, last_row, last_column in sheet.merged:
        # A merged cell's value stands in each cell it covers.
        if first_row > len(cells):
            continue
        top = cells[first_row - 1]
        value = top[first_column - 1] if first_column <= len(top) else None
        for row in range(first_row, min(last_row, len(cells)) + 1):
            line = cells[row - 1]
            line.extend([None] * (last_column - len(line)))
            for column in range(first_column, last_column + 1):
                line[column - 1] = value
    return [(number, line) for number, line in enumerate(cells, start=1)]
