"""An assessor's results (CSV or XLSX): read into rows, each checked with its row number, and recorded
all together or not at all."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from xiaozhen.errors import RegistryNotFound, UsageError, XiaozhenError
from xiaozhen.terms import Result, Status

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


@dataclass
class ImportSummary:
    """What an import did, for its closing line."""

    path: Path
    rows: int
    recorded: int = 0
    unchanged: int = 0
    exited: int = 0

    def __str__(self) -> str:
        return (
            f"{self.path}: {self.rows} rows; {self.recorded} recorded, {self.unchanged} already recorded, "
            f"{self.exited} towns exited"
        )


def record_rows(
    document: Any,
    rows: list[Row],
    problems: list[RowProblem],
    when: date,
    summary: ImportSummary,
    *,
    replace: bool = False,
) -> None:
    """Record every row in the edit's document; ImportRefused, naming every bad row, if any is bad.

    `problems` holds the rows that could not be read; the rows that name no town (or several), repeat a
    town and year, or that the procedure refuses are added to them.
    """
    from xiaozhen import lifecycle
    from xiaozhen.query import find_town

    names = {t.id: t.name for t in document.registry.towns}
    seen: dict[tuple[int, int], int] = {}
    resolved = []
    for row in rows:
        try:
            town_id = find_town(list(names.items()), row.town)
        except XiaozhenError as error:
            problems.append(RowProblem(row.number, str(error)))
            continue
        if (town_id, row.year) in seen:
            message = f"{town_id} {names[town_id]} {row.year} is also in row {seen[town_id, row.year]}"
            problems.append(RowProblem(row.number, message))
            continue
        seen[town_id, row.year] = row.number
        resolved.append((row, town_id))
    for row, town_id in resolved:
        try:
            outcome = lifecycle.assess(
                document.town(town_id),
                document.registry,
                when,
                row.year,
                row.result,
                score=row.score,
                assessor=row.assessor,
                note=row.note,
                replace=replace,
            )
        except XiaozhenError as error:
            problems.append(RowProblem(row.number, str(error)))
            continue
        if isinstance(outcome, lifecycle.Unchanged):
            summary.unchanged += 1
            continue
        document.apply(outcome)
        summary.recorded += 1
        summary.exited += outcome.values.get("status") == Status.EXITED.value
    if problems:
        problems.sort(key=lambda p: p.number)
        raise ImportRefused(summary.path, problems)
