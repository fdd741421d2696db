"""An assessor's results (CSV or XLSX) as they arrive: the header found under title rows and in two
levels, the year, assessor and date from the lines above it, each row checked with its row number
(record.py records them, all together or not at all)."""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from xiaozhen.errors import ItemsRefused, UsageError
from xiaozhen.i18n import _, ngettext
from xiaozhen.limits import (
    line_refusal,
)
from xiaozhen.model.terms import Result
from xiaozhen.sheets.tables import SheetRows, fold, folded_heading, read_sheets
from xiaozhen.sheets.workbooks import column_name

# The headers each column goes by, in the order they are preferred when a sheet has two of them (a
# sheet with 小镇名称 and 编号 is matched by name). Compared after folding full-width forms, spaces, case
# and a bracketed unit: 得分（分） is 得分.
HEADERS: dict[str, tuple[str, ...]] = {
    "town": (
        "小镇名称",
        "特色产业小镇名称",
        "特色小镇名称",
        "小镇",
        "特色产业小镇",
        "名称",
        "town",
        "name",
        "编号",
        "id",
    ),
    "year": ("年度", "评估年度", "考核年度", "年份", "年", "year"),
    "result": ("评估结果", "考核结果", "评估考核结果", "结果", "是否达标", "result"),
    "score": ("得分", "分数", "评分", "评估得分", "考核得分", "总分", "score"),
    "assessor": ("评估机构", "第三方评估机构", "评估单位", "assessor"),
    "note": ("备注", "说明", "评估意见", "意见", "note"),
    "date": ("评估日期", "考核日期", "日期", "date"),
}
REQUIRED = ("town", "year", "result")
# A row number column is neither a town nor anything else; it is passed over.
ROW_NUMBERS = frozenset({"序号", "行号", "no", "no.", "#"})
# Title rows may stand above the header: it is looked for among the first rows.
HEADER_SEARCH_ROWS = 20
# What the rows above the header may say, each as 标签：值 (or the label in one cell, the value in the
# next): the assessor and the date of the whole file.
_ABOVE = {
    "评估机构": "assessor",
    "第三方评估机构": "assessor",
    "评估单位": "assessor",
    "评估日期": "date",
    "日期": "date",
    "年度": "year",
    "评估年度": "year",
    "考核年度": "year",
}
# A title's year: 2020年度, or 2020年 not followed by a month (2021年1月15日 is a date).
_TITLE_YEAR = re.compile(r"(\d{4})\s*年(?:度|(?!\s*\d{1,2}\s*月))")
# The block of lines after the data that a workbook closes with: signatures, seal, date, notes.
_FOOTER = re.compile(
    r"^[（(]?(?:评估)?(?:负责人|复核|审核|审定|盖章|日期|备注|注|说明|制表|填表|联系人|联系电话|单位)"
)
# A cell's text above the header or after the data is read only this far.
_SCAN = 200
# A sheet whose name says it holds results is taken before the first sheet.
_RESULTS_SHEET = re.compile(r"结果|评估|考核|result", re.IGNORECASE)


@dataclass(frozen=True)
class Row:
    number: int  # as the sheet numbers it (title rows and the header counted), or the CSV's line
    town: str
    year: int
    result: Result
    score: Decimal | None
    assessor: str | None
    note: str | None
    date: date | None = None  # the assessment's own date (a 评估日期 column, or above the header)


@dataclass(frozen=True)
class RowProblem:
    number: int
    message: str

    def __str__(self) -> str:
        return _("row {number}: {message}").format(number=self.number, message=self.message)


class ImportRefused(ItemsRefused):
    """The file has rows that cannot be recorded; none is."""

    def __init__(self, path: Path, problems: list[RowProblem]) -> None:
        said = ngettext(
            "{path}: {n} row cannot be recorded; nothing was written",
            "{path}: {n} rows cannot be recorded; nothing was written",
            len(problems),
        )
        super().__init__(said.format(path=path, n=f"{len(problems):,}"), problems)


def read_table(path: Path, sheet: str | None = None) -> SheetRows:
    """The sheet of an assessor's file that holds the results: the CSV, the sheet named, or else a sheet
    named like results first, then the others in order: the first with a header row."""
    tables = sorted(read_sheets(path, sheet), key=lambda t: not _RESULTS_SHEET.search(t.sheet))
    return next((t for t in tables if _find_header(t.rows) is not None), tables[0])


def _columns(cells: list[Any]) -> tuple[dict[str, int], list[str]]:
    """Which column holds what, by the headings of one row; and the conflicts (two result columns)."""
    headings = [folded_heading(c) for c in cells]
    columns: dict[str, int] = {}
    conflicts = []
    for name, spellings in HEADERS.items():
        found = [i for i, h in enumerate(headings) if h in spellings and h not in ROW_NUMBERS]
        if not found:
            continue
        found.sort(key=lambda i: spellings.index(headings[i]))
        columns[name] = found[0]
        same_rank = [i for i in found if headings[i] != "编号" and headings[i] != "id"]
        if name != "town" and len(same_rank) > 1:
            shown = _(" and ").join(f"{column_name(i)} ({fold(cells[i])})" for i in sorted(same_rank))
            conflicts.append(
                _("two {heading} columns, {shown}: keep one").format(heading=spellings[0], shown=shown)
            )
    return columns, conflicts


def _find_header(rows: list[tuple[int, list[Any]]]) -> tuple[int, dict[str, int], list[str]] | None:
    """The first row among the first ones that names a town column and a result column."""
    for number, cells in rows[:HEADER_SEARCH_ROWS]:
        columns, conflicts = _columns(cells)
        if "town" in columns and "result" in columns:
            return number, columns, conflicts
    return None


def _no_header(table: SheetRows) -> UsageError:
    town = next((n for n, cells in table.rows[:HEADER_SEARCH_ROWS] if "town" in _columns(cells)[0]), None)
    if town is not None:
        return UsageError(
            _(
                "{where}: row {town} names a town column but no result column "
                "(评估结果, 考核结果, 结果 or result)"
            ).format(where=table.where, town=town)
        )
    return UsageError(
        _(
            "{where}: no header row: none of the first {HEADER_SEARCH_ROWS} rows names a town column "
            "(小镇名称, 小镇 or town) and a result column (评估结果, 结果 or result); "
            "the columns are town, year, result (score, assessor, note optional)"
        ).format(where=table.where, HEADER_SEARCH_ROWS=HEADER_SEARCH_ROWS)
    )


@dataclass(frozen=True)
class Above:
    """What the rows above the header say of the whole file: its year, assessor and date."""

    year: int | None = None
    assessor: str | None = None
    date: date | None = None


def _above(rows: list[tuple[int, list[Any]]]) -> Above:
    """The year in a title (2020年度…评估结果), and 评估机构：… and 评估日期：… wherever they stand."""
    from xiaozhen.model.terms import parse_date, parse_year

    tokens = [t for _, cells in rows for c in cells for t in fold(c)[:_SCAN].split()]
    said: dict[str, str] = {}
    unlabelled = []
    index = 0
    while index < len(tokens):
        label, colon, value = tokens[index].replace(":", "：").partition("：")
        if colon and label in _ABOVE:
            if not value and index + 1 < len(tokens):  # the value in the next cell or word
                index += 1
                value = tokens[index]
            said.setdefault(_ABOVE[label], value)
        else:
            unlabelled.append(tokens[index])
        index += 1
    year = next((int(m.group(1)) for t in unlabelled for m in [_TITLE_YEAR.search(t)] if m), None)
    # A labelled year that is no year leaves the title's, or --year, or the refusal of a file with none.
    with contextlib.suppress(ValueError):
        year = parse_year(said["year"]) if "year" in said else year
    try:
        when = parse_date(said["date"]) if "date" in said else None
    except ValueError:
        when = None
    assessor = said.get("assessor")
    return Above(year, assessor if assessor and not line_refusal(assessor) else None, when)


def _known_heading(value: Any) -> bool:
    heading = folded_heading(value)
    return heading in ROW_NUMBERS or any(heading in spellings for spellings in HEADERS.values())


def _two_level(
    rows: list[tuple[int, list[Any]]], start: int, columns: dict[str, int]
) -> tuple[int, dict[str, int], list[str], list[Any]] | None:
    """A second header row under the first (评估结果 merged over 结果 and 得分): the two combined, each
    column named by the lower heading where it is one of ours; None when the next row is data."""
    upper = next(cells for number, cells in rows if number == start)
    lower = next((cells for number, cells in rows if number == start + 1), None)
    if lower is None or not any(_known_heading(c) for c in lower):
        return None
    town = columns["town"]
    if town < len(lower) and fold(lower[town]) and fold(lower[town]) != fold(upper[town]):
        return None  # a town's name under the heading: the data begins
    width = max(len(upper), len(lower))
    cells = [
        lower[i] if i < len(lower) and _known_heading(lower[i]) else (upper[i] if i < len(upper) else None)
        for i in range(width)
    ]
    combined, conflicts = _columns(cells)
    return start + 1, combined, conflicts, cells


def _footer(cells: list[Any], columns: dict[str, int]) -> bool:
    """A line of the block a workbook closes with (评估负责人：… 复核：… 盖章): a cell that begins with one
    of its words, and no result (a line merged across the sheet fills the result's cell with its text)."""
    from xiaozhen.model.terms import parse_term

    if not any(_FOOTER.match(fold(c)[:_SCAN]) for c in cells if fold(c)):
        return False
    result = columns["result"]
    try:
        parse_term(Result, fold(cells[result])[:_SCAN] if result < len(cells) else "")
    except UsageError:
        return True
    return False


def parse_rows(
    path: Path, table: SheetRows, year: int | None = None
) -> tuple[list[Row], list[RowProblem], list[str]]:
    """Rows, the problems of the rows that cannot be read, and the columns read from none (a warning).

    Title rows above the header are read for the year, the assessor and the date they state (the year
    is `year`, --year, where the file has no year column); a second header row under the first is
    combined with it; empty rows and the signature lines after the data are passed over."""
    if not any(fold(c) for _, cells in table.rows for c in cells):
        raise UsageError(
            _(
                "{where}: empty; the header row names the columns: town, year, result, score, assessor, note"
            ).format(where=table.where)
        )
    header = _find_header(table.rows)
    if header is None:
        raise _no_header(table)
    start, columns, conflicts = header
    heading_cells = next(cells for number, cells in table.rows if number == start)
    above = _above([(n, c) for n, c in table.rows if n < start])
    second = _two_level(table.rows, start, columns)
    if second is not None:
        start, columns, conflicts, heading_cells = second
    if conflicts:
        raise UsageError(
            _("{where}: row {start} has {value}").format(
                where=table.where, start=start, value="; ".join(conflicts)
            )
        )
    default_year = year if year is not None else above.year
    missing = [name for name in REQUIRED if name not in columns and not (name == "year" and default_year)]
    if missing:
        raise UsageError(
            _(
                "{where}: row {start}, the header row, has no {value} column (年度, 评估年度 or year), and "
                "neither a title above it (2020年度…) nor --year gives the year"
            ).format(where=table.where, start=start, value=", ".join(missing))
        )
    read = set(columns.values())
    ignored = [
        f"{column_name(i)} ({fold(cell)[:40]})"
        for i, cell in enumerate(heading_cells)
        if i not in read and fold(cell) and folded_heading(cell) not in ROW_NUMBERS
    ]
    rows: list[Row] = []
    problems: list[RowProblem] = []
    for number, cells in table.rows:
        if number <= start or not any(fold(c) for c in cells) or _footer(cells, columns):
            continue

        def get(name: str, cells: list[Any] = cells) -> str:
            index = columns.get(name)
            return fold(cells[index]) if index is not None and index < len(cells) else ""

        row, errors = _row(number, get, default_year, above)
        if row is None:
            problems.extend(RowProblem(number, e) for e in errors)
        else:
            rows.append(row)
    return rows, problems, ignored


def _row(number: int, get: Any, default_year: int | None, above: Above) -> tuple[Row | None, list[str]]:
    from xiaozhen.model.terms import parse_date, parse_score, parse_term, parse_year

    town, year_text, result_text, score_text = get("town"), get("year"), get("result"), get("score")
    errors = []
    if not town:
        errors.append(_("no town"))
    year = default_year or 0
    if year_text or not default_year:
        try:
            year = parse_year(year_text)
        except ValueError:
            errors.append(_("year '{value}' is not a year").format(value=year_text[:40]))
    when = above.date
    if get("date"):
        try:
            when = parse_date(get("date"))
        except ValueError:
            errors.append(_("date '{value}' is not a date").format(value=get("date")[:40]))
    result = None
    try:
        result = parse_term(Result, result_text.replace(" ", ""))
    except UsageError:
        errors.append(_("result '{value}' is not 达标/不达标 (pass/fail)").format(value=result_text))
    score = None
    if score_text:
        try:
            score = parse_score(score_text)
        except ValueError as wrong:  # '91x' is not a number; '120' is outside 0..100
            errors.append(_("score {problem}").format(problem=wrong))
    if errors or result is None:
        return None, errors
    assessor = get("assessor") or above.assessor
    return Row(number, town, year, result, score, assessor, get("note") or None, when), []
