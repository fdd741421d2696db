"""Reading an assessor's results (CSV or XLSX) into rows, each checked, each with its row number."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from xiaozhen.errors import RegistryNotFound, UsageError
from xiaozhen.terms import Result

# Accepted headers for each column, English and Chinese.
HEADERS: dict[str, tuple[str, ...]] = {
    "town": ("town", "小镇", "名称", "编号", "小镇名称"),
    "year": ("year", "年度", "年份"),
    "result": ("result", "结果", "评估结果"),
    "score": ("score", "得分", "分数"),
    "assessor": ("assessor", "评估机构"),
    "note": ("note", "说明", "备注"),
}
REQUIRED = ("town", "year", "result")


@dataclass(frozen=True)
class Row:
    number: int  # as a spreadsheet numbers it: the header is row 1
    town: str
    year: int
    result: Result
    score: Decimal | None
    assessor: str | None
    note: str | None


@dataclass(frozen=True)
class RowProblem:
    number: int
    message: str

    def __str__(self) -> str:
        return f"row {self.number}: {self.message}"


class ImportRefused(UsageError):
    """The file has rows that cannot be recorded; none is."""

    def __init__(self, path: Path, problems: list[RowProblem]) -> None:
        self.row_problems = problems
        super().__init__(f"{path}: {len(problems)} rows cannot be recorded; nothing was written")


def read_table(path: Path) -> list[list[Any]]:
    """The cells of a CSV (UTF-8, with or without BOM) or the first sheet of an XLSX."""
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            from openpyxl import load_workbook

            try:
                book = load_workbook(path, read_only=True, data_only=True)
            except (OSError, KeyError, ValueError) as exc:
                raise UsageError(f"{path}: not a readable XLSX workbook ({exc})") from None
            sheet = book.worksheets[0]
            rows = [list(r) for r in sheet.iter_rows(values_only=True)]
            book.close()
            return rows
        raw = path.read_bytes()
    except FileNotFoundError:
        raise RegistryNotFound(f"{path}: no such file") from None
    except IsADirectoryError:
        raise RegistryNotFound(f"{path}: is a directory") from None
    except PermissionError:
        raise RegistryNotFound(f"{path}: permission denied") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError(f"{path}: not UTF-8 text; save the CSV as UTF-8") from None
    return [row for row in csv.reader(io.StringIO(text))]


def parse_rows(path: Path, table: list[list[Any]]) -> tuple[list[Row], list[RowProblem]]:
    """Rows and the problems of the rows that cannot be read; blank rows are skipped."""
    if not table:
        raise UsageError(
            f"{path}: empty; the first row names the columns: town, year, result, score, assessor, note"
        )
    header = [str(h or "").strip().lower() for h in table[0]]
    columns: dict[str, int] = {}
    for name, spellings in HEADERS.items():
        for index, heading in enumerate(header):
            if heading in spellings:
                columns[name] = index
                break
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        raise UsageError(
            f"{path}: no column {', '.join(missing)}; the first row must name the columns "
            "town, year, result (score, assessor, note optional)"
        )
    rows: list[Row] = []
    problems: list[RowProblem] = []
    for number, cells in enumerate(table[1:], start=2):

        def get(name: str, cells: list[Any] = cells) -> str:
            index = columns.get(name)
            value = cells[index] if index is not None and index < len(cells) else None
            return "" if value is None else str(value).strip()

        if not any(str(c or "").strip() for c in cells):
            continue
        town, year_text, result_text = get("town"), get("year"), get("result")
        errors = []
        if not town:
            errors.append("no town")
        try:
            year = int(float(year_text)) if year_text and float(year_text).is_integer() else int(year_text)
        except ValueError:
            errors.append(f"year '{year_text}' is not a year")
            year = 0
        result = None
        try:
            from xiaozhen.terms import parse_term

            result = parse_term(Result, result_text)
        except UsageError:
            errors.append(f"result '{result_text}' is not 达标/不达标 (pass/fail)")
        score = None
        if get("score"):
            try:
                score = Decimal(get("score"))
                if not score.is_finite() or not 0 <= score <= 100:
                    errors.append(f"score '{get('score')}' is outside 0..100")
            except InvalidOperation:
                errors.append(f"score '{get('score')}' is not a number")
        if errors or result is None:
            problems.extend(RowProblem(number, e) for e in errors)
            continue
        rows.append(Row(number, town, year, result, score, get("assessor") or None, get("note") or None))
    return rows, problems
