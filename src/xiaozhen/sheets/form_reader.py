"""Reading a returned form back as WPS and Excel return it: the sheet renamed, rows inserted, columns
moved, headings varied, each value read at its cell as the office types it."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from xiaozhen.i18n import _
from xiaozhen.limits import clipped, line_refusal, whole_number
from xiaozhen.model.fields import plain_number
from xiaozhen.model.terms import NO, YES
from xiaozhen.sheets.forms import ISSUED_SHEET, MARKS, SEAL, Column, FormProblem, columns, seal_of
from xiaozhen.sheets.tables import fold, folded_heading  # cells and headings, read as imports read them
from xiaozhen.sheets.workbooks import Sheet, column_name

# --- reading back ----------------------------------------------------------------------------------


@dataclass
class Returned:
    """One town's row of a returned form."""

    file: str
    row: int
    town: int
    name: str
    values: dict[str, tuple[Any, str]]  # key → (value read, cell) for every filled or cleared cell
    source: str | None
    filled_by: str | None
    issued: dict[str, Any] | None  # the town's values as issued, or None (a CSV, a form without them)
    id_cell: str = ""  # where its 编号 and 小镇名称 stand, for a problem with either
    name_cell: str = ""


@dataclass
class ReadForms:
    rows: list[Returned] = field(default_factory=list)
    problems: list[FormProblem] = field(default_factory=list)
    document: str | None = None


def match_columns(cells: Sequence[Any], cols: list[Column]) -> dict[str, tuple[int, str]]:
    """Which column holds which key, by its heading; and the heading as written (for its unit)."""
    found: dict[str, tuple[int, str]] = {}
    headings = [folded_heading(c) for c in cells]
    for column in cols:
        names = {folded_heading(column.header), *(folded_heading(s) for s in column.spellings)}
        for index, heading in enumerate(headings):
            if heading and heading in names and column.key not in found:
                found[column.key] = (index, fold(cells[index]))
    return found


def read_forms(paths: Sequence[Any], conforms_to: Sequence[str]) -> ReadForms:
    """Every town row of every returned form, its values read as the office types them; the problems of
    the cells that cannot be read, each at its file, sheet and cell."""
    result = ReadForms()
    cols = columns(conforms_to, norms=None)
    for path in paths:
        _read_one(path, cols, result)
    return result


@dataclass
class Sheets:
    """A returned workbook's (or CSV's) visible sheets as rows of cells, and its record of what was issued."""

    name: str  # the file's name, as messages give it
    visible: list[tuple[str, list[list[Any]]]]  # (sheet title, or "" for a CSV; its rows)
    record: Sheet | None = None  # the very hidden sheet a form keeps, when it has one


def read_sheets(path: Any, what: str) -> Sheets:
    """The sheets of a returned XLSX (read within the workbook budget) or CSV (UTF-8 or GB18030)."""
    from xiaozhen.files import read_regular
    from xiaozhen.limits import MAX_SPREADSHEET_BYTES
    from xiaozhen.sheets.tables import read_sheets
    from xiaozhen.sheets.workbooks import read_workbook

    raw = read_regular(path, MAX_SPREADSHEET_BYTES, what)
    if not (raw.startswith(b"PK") or path.suffix.lower() in (".xlsx", ".xlsm")):
        return Sheets(path.name, [("", [cells for _, cells in read_sheets(path)[0].rows])])
    book = read_workbook(raw, str(path))
    # Found by its mark, hidden or not: a record someone unhid is still the record (and is named).
    record = next((s for s in book if s.rows and s.rows[0] and fold(s.rows[0][0]) in MARKS), None)
    visible = [(s.title, s.rows) for s in book if s is not record]
    return Sheets(path.name, visible, record)


def find_header(
    sheets: Sheets, cols: list[Column], needs: str
) -> tuple[str, list[list[Any]], int, dict[str, tuple[int, str]]] | None:
    """The first sheet with a header row among its first rows: one that names the `needs` column and two
    more of `cols`; with the sheet's title, its rows, the header's row number and the columns it names."""
    for title, rows in sheets.visible:
        for number, cells in enumerate(rows[:20], start=1):
            matched = match_columns(cells, cols)
            if needs in matched and len(matched) > 2:
                return title, rows, number, matched
    return None


def _read_one(path: Any, cols: list[Column], result: ReadForms) -> None:
    sheets = read_sheets(path, _("a returned form (XLSX or CSV)"))
    issued = _issued_values(sheets.record, sheets.name, result) if sheets.record is not None else {}
    workbook = bool(sheets.visible) and sheets.visible[0][0] != ""  # a CSV's one table has no title
    if workbook and sheets.record is None:
        result.problems.append(
            FormProblem(
                sheets.name,
                _(
                    "its record of what was issued (the hidden sheet {sheet}) is missing: return the form "
                    "as it was issued"
                ).format(sheet=ISSUED_SHEET),
            )
        )
        return
    if sheets.record is not None and not sheets.record.hidden:
        result.problems.append(
            FormProblem(
                sheets.name,
                _(
                    "its record of what was issued (the sheet {sheet}) has been unhidden: return the form "
                    "as it was issued"
                ).format(sheet=ISSUED_SHEET),
            )
        )
        return
    found = find_header(sheets, cols, "id")
    if found is None:
        result.problems.append(
            FormProblem(
                sheets.name, _("no sheet has a form's header row (编号, 小镇名称 and the standards columns)")
            )
        )
        return
    title, rows, number, matched = found
    where = f"{sheets.name} {title}!" if title else f"{sheets.name} "
    _read_rows(rows, number, matched, cols, where, issued, result, sheets.name)


def _issued_values(sheet: Sheet, name: str, result: ReadForms) -> dict[int, dict[str, Any]]:
    values: dict[int, dict[str, Any]] = {}
    sealed = [row for row in sheet.rows[1:] if row and row[0] == SEAL]
    kept = [row for row in sheet.rows[1:] if not (row and row[0] == SEAL)]
    if len(sealed) != 1 or len(sealed[0]) < 2 or sealed[0][1] != seal_of(kept):
        result.problems.append(
            FormProblem(
                name,
                _(
                    "its record of what was issued (the hidden sheet {sheet}) has been edited: return the "
                    "form as it was issued, or issue a new one"
                ).format(sheet=ISSUED_SHEET),
            )
        )
        return values
    for row in sheet.rows[1:]:
        if row and row[0] == "document":
            document = fold(row[1])
            if result.document is None:
                result.document = document
            elif document != result.document:
                result.problems.append(
                    FormProblem(
                        name,
                        _("issued from {document}, the other forms from {document2}").format(
                            document=document, document2=result.document
                        ),
                    )
                )
        elif row and isinstance(row[0], int) and len(row) > 2 and isinstance(row[2], str):
            try:
                values[row[0]] = json.loads(row[2])
            except ValueError:
                result.problems.append(FormProblem(name, _("its record of what was issued is damaged")))
    return values


def _read_rows(
    rows: list[list[Any]],
    header: int,
    matched: dict[str, tuple[int, str]],
    cols: list[Column],
    where: str,
    issued: dict[int, dict[str, Any]],
    result: ReadForms,
    name: str,
) -> None:
    kinds = {c.key: c for c in cols}
    form_by = _form_filled_by(rows[: header - 1])
    for number, cells in enumerate(rows[header:], start=header + 1):
        if not any(fold(c) for c in cells):
            continue

        def cell_at(key: str, cells: list[Any] = cells, number: int = number) -> tuple[Any, str]:
            index, _heading = matched[key]
            return (cells[index] if index < len(cells) else None), f"{where}{column_name(index)}{number}"

        raw_id, id_cell = cell_at("id")
        text_id = fold(raw_id)
        town = whole_number(text_id)
        if town is None:
            result.problems.append(
                FormProblem(
                    id_cell, _("编号 '{text_id}' is not a town's id").format(text_id=clipped(text_id))
                )
            )
            continue
        if issued and town not in issued:  # a row added for a town another county reports on
            result.problems.append(
                FormProblem(
                    id_cell,
                    _(
                        "town {town} was not issued in this form: a form changes only the towns it was "
                        "issued for"
                    ).format(town=town),
                )
            )
            continue
        name_value = (
            str(cell_at("name")[0] or "").strip() if "name" in matched else ""
        )  # as written: no folding
        name_cell = cell_at("name")[1] if "name" in matched else id_cell
        values: dict[str, tuple[Any, str]] = {}
        bad = False
        for key, (_column, heading) in matched.items():
            column = kinds[key]
            if column.kind in ("identity", "source"):
                continue
            value, at = cell_at(key)
            try:
                values[key] = (read_value(column, value, heading), at)
            except ValueError as problem:
                result.problems.append(
                    FormProblem(at, _("{header}: {problem}").format(header=column.header, problem=problem))
                )
                bad = True
        source = fold(cell_at("source")[0]) if "source" in matched else ""
        if source and line_refusal(source):
            result.problems.append(
                FormProblem(
                    cell_at("source")[1],
                    _("资料来源: {line_refusal}").format(line_refusal=line_refusal(source)),
                )
            )
            bad = True
        if bad:
            continue
        result.rows.append(
            Returned(
                name,
                number,
                town,
                name_value,
                values,
                source or None,
                form_by,
                issued.get(town) if issued else None,
                id_cell,
                name_cell,
            )
        )


def _form_filled_by(rows: list[list[Any]]) -> str | None:
    """填报单位 and 填报人 from the rows above the header: each is the cell right of its label."""
    found: dict[str, str] = {}
    for cells in rows:
        for index, cell in enumerate(cells):
            label = folded_heading(cell)
            if label in ("填报单位", "填报人") and index + 1 < len(cells):
                text = fold(cells[index + 1])
                if text and not line_refusal(text):
                    found[label] = text
    return " ".join(found[k] for k in ("填报单位", "填报人") if k in found) or None


_AMOUNT = re.compile(r"^(-?[\d,]*\.?\d+)\s*(亿元|亿|万元|万|元)?$")
_EXCEL_EPOCH = date(1899, 12, 30)


def read_value(column: Column, value: Any, heading: str) -> Any:
    """A cell's value for its column, as the office types it; None for an empty cell; ValueError
    saying what is wrong."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if column.kind == "amount":
        return _amount(value, heading)
    if column.kind == "date":
        return _date(value)
    if column.kind == "measure":
        return _measure(column, value)
    if column.kind in ("yesno", "flag"):
        text = fold(value).lower()
        if text in YES:
            return True
        if text in NO:
            return False
        raise ValueError(_("'{value}' is neither 是 nor 否").format(value=text))
    # Text as the filler wrote it, only trimmed: full-width brackets in a name are the name's own
    # (numbers, dates and 是/否 are read folded, above).
    text = (str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)).strip()
    refusal = line_refusal(text)
    if refusal:
        raise ValueError(refusal)
    return text


def _measure(column: Column, value: Any) -> int | float:
    """A quantity of the national norms in its column's unit (3.2, 3.2平方公里, 35%, 0.35, 2600人)."""
    from xiaozhen.model.terms import CHECKS, parse_measure

    check = CHECKS[column.key.removeprefix("indicators.")]
    if isinstance(value, bool):
        raise ValueError(_("'{value}' is not a number").format(value=value))
    if isinstance(value, float):  # as Excel stored it (a percentage cell holds 0.35)
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(_("'{value}' is not a number").format(value=value))
        value = format(Decimal(repr(value)), "f")
    number = parse_measure(
        str(value) if isinstance(value, int) else fold(value),
        check.unit,
        share=check.kind == "share",
        whole=check.unit == "人",
    )
    return plain_number(number)


def _amount(value: Any, heading: str) -> int | float:
    """An amount in 亿元: a number, or text with its unit (30亿元, 2,000万元); a column headed in 万元 is
    converted exactly."""
    from xiaozhen.model.terms import parse_amount

    if isinstance(value, bool):
        raise ValueError(_("'{value}' is not an amount").format(value=value))
    if isinstance(value, float):  # as Excel stored it, written out in full (1e-05 is 0.00001)
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(_("'{value}' is not an amount").format(value=value))
        value = format(Decimal(repr(value)), "f")
    number = parse_amount(
        str(value) if isinstance(value, int) else fold(value), "万元" if "万" in heading else "亿元"
    )
    return plain_number(number)


def _date(value: Any) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not 1 <= value < 2958466:  # Excel's serial days, 1900-01-01 to 9999-12-31
            raise ValueError(_("'{value}' is not a date").format(value=value))
        return (_EXCEL_EPOCH + timedelta(days=int(value))).isoformat()
    from xiaozhen.model.terms import DATE_FORMS, parse_date

    text = fold(value)
    try:
        return parse_date(text).isoformat()
    except ValueError:
        raise ValueError(
            _("'{text}' is not a date ({forms})").format(text=text, forms=_(DATE_FORMS))
        ) from None
