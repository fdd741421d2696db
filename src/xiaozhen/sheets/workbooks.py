"""A workbook read within a budget. An XLSX is a zip of XML parts, and a few KB of it can stand for
gigabytes once read into a grid: a part that inflates a thousandfold, a cell far out in the grid (the
rows run to it), a merged range over a million rows (each cell it covers filled). Before the file is
read, its parts' sizes are read from the zip's directory (which Python's zipfile never inflates past)
and each sheet's XML is scanned, streaming and through defusedxml, for where its cells and merged
ranges reach; a workbook over any limit is refused, naming the limit.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from typing import IO, Any

from xiaozhen.errors import UsageError
from xiaozhen.i18n import N_, _
from xiaozhen.limits import (
    MAX_SHEET_CELLS,
    MAX_SHEET_COLUMNS,
    MAX_SHEET_GRID,
    MAX_SHEET_MERGED_CELLS,
    MAX_SHEET_ROWS,
    MAX_WORKBOOK_INFLATED,
    MAX_WORKBOOK_PARTS,
)

_CELL_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d{1,7})$")
_SHEET_PART = re.compile(r"^xl/worksheets/[^/]+\.xml$", re.IGNORECASE)
# The relationship that names a part as a worksheet: the reader reads every part so named, wherever it is.
_WORKSHEET_TYPE = "/relationships/worksheet"
_ODS_TYPE = b"application/vnd.oasis.opendocument.spreadsheet"


class OverBudget(UsageError):
    """A workbook is beyond what xiaozhen reads (limits.py)."""


@dataclass
class _Extent:
    rows: int = 0
    columns: int = 0
    cells: int = 0
    merged: int = 0


@dataclass
class Sheet:
    """A worksheet's cells as values (None for an empty cell; a formula's last computed value), with
    where its merged ranges lie."""

    title: str
    hidden: bool  # hidden or very hidden: not among Excel's tabs
    rows: list[list[Any]]  # row 1 first, column A first; the grid's empty top rows and columns kept
    merged: list[tuple[int, int, int, int]]  # (first row, first column, last row, last column), from 1


def read_workbook(raw: bytes, where: str) -> list[Sheet]:
    """The worksheets of an XLSX, values only; OverBudget naming the limit a workbook exceeds, UsageError
    when it is not a workbook at all.

    Read by python-calamine (Rust) rather than openpyxl, which xiaozhen writes workbooks with: loading
    openpyxl and a dozen returned forms cost more than the rest of a `collect`, while calamine reads them
    in milliseconds. The budget check runs first, as calamine's grid runs to the farthest cell too."""
    _check_budget(raw, where)
    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(raw))
        sheets = []
        for meta in book.sheets_metadata:
            if meta.typ != SheetTypeEnum.WorkSheet:  # a chart sheet holds no cells
                continue
            sheet = book.get_sheet_by_name(meta.name)
            rows = [[_value(cell) for cell in row] for row in sheet.to_python(skip_empty_area=False)]
            ranges = sheet.merged_cell_ranges or []  # counted from 0
            merged = [(r0 + 1, c0 + 1, r1 + 1, c1 + 1) for (r0, c0), (r1, c1) in ranges]
            sheets.append(Sheet(meta.name, meta.visible != SheetVisibleEnum.Visible, rows, merged))
    except Exception as exc:  # calamine raises its own kinds (zip, XML, format) on a damaged file
        raise UsageError(
            _("{where}: not a readable XLSX workbook ({kind})").format(where=where, kind=type(exc).__name__)
        ) from None
    return sheets


def _value(cell: Any) -> Any:
    """A cell as openpyxl reads it, which the readers were written against: None when empty, a whole
    number as an int (XLSX stores every number as a float)."""
    if cell == "" and isinstance(cell, str):
        return None
    if isinstance(cell, float) and cell.is_integer() and abs(cell) < 2**53:
        return int(cell)
    return cell


def column_name(index: int) -> str:
    """A spreadsheet's name of the column counted from 0: A, B, …, Z, AA, …"""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(ord("A") + rest) + name
    return name


def _check_budget(raw: bytes, where: str) -> None:
    """OverBudget when the workbook's parts or sheets reach past the limits (see the module's text)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise UsageError(
            _("{where}: not a readable XLSX workbook (not a zip file)").format(where=where)
        ) from None
    if len(parts) > MAX_WORKBOOK_PARTS:
        raise OverBudget(
            _("{where}: {parts} parts; a workbook read here has at most {limit}").format(
                where=where, parts=f"{len(parts):,}", limit=f"{MAX_WORKBOOK_PARTS:,}"
            )
        )
    inflated = sum(part.file_size for part in parts)
    if inflated > MAX_WORKBOOK_INFLATED:
        raise OverBudget(
            _("{where}: unpacks to {size} bytes; a workbook read here unpacks to at most {limit}").format(
                where=where, size=f"{inflated:,}", limit=f"{MAX_WORKBOOK_INFLATED:,}"
            )
        )
    names = {part.filename for part in parts}
    if ("mimetype" in names and archive.read("mimetype").strip() == _ODS_TYPE) or "content.xml" in names:
        # Read by the same reader as XLSX, but with no budget of its own: refused by its content.
        raise UsageError(
            _("{where}: an OpenDocument spreadsheet (.ods); save it as .xlsx and try again").format(
                where=where
            )
        )
    try:
        sheets = _sheet_parts(archive, names) | {n for n in names if _SHEET_PART.match(n)}
        for name in sorted(sheets):
            with archive.open(name) as stream:
                _scan(stream, f"{where}, {name}")
    except OverBudget:
        raise
    except Exception as exc:  # damaged XML or zip data, a DTD that defusedxml refuses, a missing part
        raise UsageError(
            _("{where}: not a readable XLSX workbook ({kind})").format(where=where, kind=type(exc).__name__)
        ) from None


def _sheet_parts(archive: zipfile.ZipFile, names: set[str]) -> set[str]:
    """Every part a relationship names as a worksheet (its target resolved from the part that names it:
    another folder, a subfolder, any suffix); KeyError for one the archive does not hold."""
    import posixpath

    from defusedxml.ElementTree import fromstring

    by_lower = {n.lower(): n for n in names}
    found = set()
    for rels in (n for n in names if n.lower().endswith(".rels")):
        folder = posixpath.dirname(posixpath.dirname(rels))  # xl/_rels/workbook.xml.rels names from xl/
        for relation in fromstring(archive.read(rels)):
            if not str(relation.get("Type") or "").endswith(_WORKSHEET_TYPE):
                continue
            target = str(relation.get("Target") or "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
            path = posixpath.normpath(path)
            name = path if path in names else by_lower.get(path.lower())
            if name is None:
                raise KeyError(path)  # a sheet the reader would look for, not scanned: refused
            found.add(name)
    return found


def _scan(stream: IO[bytes], where: str) -> None:
    """Where a sheet's cells and merged ranges reach, streaming; OverBudget at the first limit passed."""
    from defusedxml.ElementTree import iterparse

    extent = _Extent()
    row, column = 0, 0
    for event, element in iterparse(stream, events=("start", "end")):
        tag = element.tag.rpartition("}")[2]
        if event == "start":
            if tag == "row":
                row = int(element.get("r") or row + 1)
                column = 0
                _within(extent, where, rows=row)
            elif tag == "c":  # by its own reference, which the reader follows, not only its row's
                reference = _CELL_REF.match(element.get("r") or "")
                column = _column_number(reference.group(1)) if reference else column + 1
                extent.cells += 1
                _within(extent, where, rows=int(reference.group(2)) if reference else 0, columns=column)
            elif tag == "mergeCell":
                _merged(extent, where, element.get("ref") or "")
        elif tag in ("row", "mergeCell"):
            element.clear()  # a scanned row is not kept


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _merged(extent: _Extent, where: str, ref: str) -> None:
    corners = [_CELL_REF.match(corner) for corner in ref.split(":")]
    if not corners or any(c is None for c in corners):
        return  # openpyxl refuses it (or ignores it) as it does any damaged range
    rows = [int(c.group(2)) for c in corners if c]
    columns = [_column_number(c.group(1)) for c in corners if c]
    extent.merged += (max(rows) - min(rows) + 1) * (max(columns) - min(columns) + 1)
    _within(extent, where, rows=max(rows), columns=max(columns))


def _within(extent: _Extent, where: str, *, rows: int = 0, columns: int = 0) -> None:
    extent.rows, extent.columns = max(extent.rows, rows), max(extent.columns, columns)
    checks = (
        (extent.rows, MAX_SHEET_ROWS, N_("reaches row {value}; a sheet read here has at most {limit} rows")),
        (
            extent.columns,
            MAX_SHEET_COLUMNS,
            N_("reaches column {value}; a sheet read here has at most {limit}"),
        ),
        (extent.cells, MAX_SHEET_CELLS, N_("has over {value} cells; a sheet read here has at most {limit}")),
        (
            extent.merged,
            MAX_SHEET_MERGED_CELLS,
            N_("merges {value} cells; a sheet read here merges at most {limit}"),
        ),
        (
            extent.rows * extent.columns,
            MAX_SHEET_GRID,
            N_("spans {value} cells; a sheet read here spans at most {limit}"),
        ),
    )
    for value, limit, message in checks:
        if value > limit:
            raise OverBudget(f"{where} " + _(message).format(value=f"{value:,}", limit=f"{limit:,}"))
