"""Writing worksheets as Excel, WPS and Calc users expect them: text that stays text, a header frozen and
repeated on each printed page, dates and percentages as such, every cell's text shown whole, A4 pages.
Used by every workbook xiaozhen writes (forms, exports, `screen`, the report)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from xiaozhen.limits import printable


def rows_xlsx(title: str, header: Sequence[str], rows: Sequence[Sequence[Any]], path: Any) -> None:
    """A workbook of one sheet of rows (write_sheet)."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    write_sheet(book, title, header, rows)
    book.save(path)


def append_row(sheet: Any, values: Sequence[Any]) -> None:
    """A row of a worksheet in which text stays text: openpyxl takes a string beginning with = for a
    formula, so such a cell is given the text type back (Excel shows it as written, no apostrophe, and
    never computes it). Characters XML cannot hold are shown as U+FFFD rather than break the file."""
    sheet.append([printable(v, lines=True) if isinstance(v, str) else v for v in values])
    for written in sheet[sheet.max_row]:
        if written.data_type == "f":
            written.data_type = "s"


class Percent(float):
    """A share shown as a percentage: `66.7%` as text, a number with a percent format in a workbook."""

    def __str__(self) -> str:
        return f"{self:.1%}"


DATE_FORMAT, PERCENT_FORMAT = "yyyy-mm-dd", "0.0%"


_SHEET_TITLE_UNSAFE = re.compile(r"[\\/?*\[\]:]")  # characters Excel refuses in a sheet's name


def write_sheet(
    book: Any,
    title: str,
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    dates: Sequence[str] = (),
    percents: Sequence[str] = (),
    filter_: bool = True,
) -> Any:
    """A data sheet as Excel users expect one: the header bold, frozen and repeated on every printed
    page, an autofilter, columns as wide as their text; the columns headed `dates` as dates (an ISO text
    becomes a date cell) and those headed `percents`, and any Percent value, as numbers with a percent
    format; printed on A4, fitted to the page's width, landscape when wide."""
    from contextlib import suppress
    from datetime import date

    from openpyxl.styles import Font

    sheet = book.create_sheet(_SHEET_TITLE_UNSAFE.sub("、", title)[:31])  # as Excel allows a sheet name
    append_row(sheet, header)
    for cell_ in sheet[1]:
        cell_.font = Font(bold=True)
    date_columns = {i for i, h in enumerate(header) if h in dates}
    percent_columns = {i for i, h in enumerate(header) if h in percents}
    for row in rows:
        values = list(row)
        for i in date_columns & set(range(len(values))):
            if isinstance(values[i], str):
                with suppress(ValueError):  # not a date after all: kept as the text it is
                    values[i] = date.fromisoformat(values[i])
        append_row(sheet, values)
        for i, written in enumerate(sheet[sheet.max_row]):
            if i < len(values) and isinstance(values[i], date):
                written.number_format = DATE_FORMAT
            elif i < len(values) and _is_share(values[i], i in percent_columns):
                written.number_format = PERCENT_FORMAT
    sheet.freeze_panes = "A2"
    if filter_ and rows:
        sheet.auto_filter.ref = sheet.dimensions
    for index, name in enumerate(header, start=1):
        values = [name, *(r[index - 1] if index - 1 < len(r) else "" for r in rows)]
        width = max(display_width("" if v is None else str(v)) for v in values)
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = min(max(width + 2, 6), 60)
    fit_rows(sheet)
    sheet.print_title_rows = "1:1"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if len(header) > 6 else "portrait"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    return sheet


def _is_share(value: Any, in_a_share_column: bool) -> bool:
    if isinstance(value, Percent):
        return True
    return in_a_share_column and isinstance(value, int | float) and not isinstance(value, bool)


LINE_HEIGHT = 15  # points: a line of an 11-point font, as Excel, WPS and Calc set a row of one line


def fit_rows(sheet: Any, first: int = 1) -> None:
    """Every cell's text shown whole from row `first` down: a value wider than its column wraps, and its
    row is as tall as its longest cell's lines — set here, since LibreOffice Calc does not size rows when it
    opens a workbook (Excel and WPS do not either, for rows written this way)."""
    import math
    from copy import copy

    from openpyxl.utils import get_column_letter

    def column_width(index: int) -> float:
        dimension = sheet.column_dimensions.get(get_column_letter(index))
        return (dimension.width if dimension is not None else None) or 8.43  # Excel's default

    # a merged range's text has the width of all its columns
    spans = {(r.min_row, r.min_col): (r.min_col, r.max_col) for r in sheet.merged_cells.ranges}
    for row in sheet.iter_rows(min_row=first):
        lines = 1
        for cell in row:
            text = "" if cell.value is None else str(cell.value)
            if not text:
                continue
            low, high = spans.get((cell.row, cell.column), (cell.column, cell.column))
            width = max(sum(column_width(i) for i in range(low, high + 1)) - 1, 1)  # less its margins
            needed = sum(max(1, math.ceil(display_width(part) / width)) for part in text.split("\n"))
            if needed > 1:
                alignment = copy(cell.alignment)
                alignment.wrap_text = True
                alignment.vertical = alignment.vertical or "top"
                cell.alignment = alignment
                lines = max(lines, needed)
        if lines > 1:
            sheet.row_dimensions[row[0].row].height = LINE_HEIGHT * lines


def display_width(text: str) -> int:
    from unicodedata import east_asian_width

    return sum(2 if east_asian_width(ch) in ("W", "F") else 1 for ch in text)
