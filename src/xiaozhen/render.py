"""Every output format, in one place: rich tables for people; JSON, CSV, Markdown and xlsx for the rest.

Commands hand data here and print what comes back; none formats its own output. rich and openpyxl are
imported only by the formats that need them, so `--format json` starts fast.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Collection, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from xiaozhen.fields import NAMES, NORMS_NAMES, field_value, label, norms_value
from xiaozhen.i18n import N_, _, ngettext
from xiaozhen.limits import escaped, printable
from xiaozhen.terms import CHECKS, INDICATORS

if TYPE_CHECKING:
    from rich.console import Console

    from xiaozhen.query import Tally

# The flat columns of a town, with the Chinese headers people read in Excel and Markdown.
COLUMNS: list[tuple[str, str]] = list(NAMES.items())  # every field, by key and by its Chinese name
ASSESSMENT_COLUMNS: list[tuple[str, str]] = [
    ("town", "编号"),
    ("name", "名称"),
    ("year", "年度"),
    ("result", "结果"),
    ("score", "得分"),
    ("assessor", "评估机构"),
    ("date", "日期"),
    ("note", "说明"),
]
# The columns of the terminal table of towns.
TABLE_COLUMNS = ["id", "name", "prefecture", "county", "category", "town_type", "status"]
TABLE_HEADERS = {
    "id": "ID",
    "name": N_("名称 name"),  # _() where shown: 名称 in a Chinese table
    "prefecture": "市(州)",
    "county": "县(市)",
    "category": "类别",
    "town_type": "镇类型",
    "status": "状态",
}


def cell(value: Any) -> Any:
    """A record's value as one flat cell: lists joined, Decimals as numbers."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, list):
        return "、".join(str(cell(v)) for v in value)
    return value


def flat(town: dict[str, Any]) -> dict[str, Any]:
    """A town's record as one row of the COLUMNS."""
    from xiaozhen.fields import field_value

    row = {key: cell(field_value(town, key)) for key, _ in COLUMNS}
    share = field_value(town, "leading_share")
    row["leading_share"] = None if share is None else float(round(share, 4))
    return row


# --- JSON ----------------------------------------------------------------------------------------


def to_json(data: Any) -> str:
    return escaped(json.dumps(data, ensure_ascii=False, indent=2)) + "\n"


def towns_json(towns: Sequence[Any]) -> str:
    """An array of towns, one town a line: greppable, and written by json's C encoder (an indented dump
    of a national registry takes seconds in the pure-Python one)."""
    if not towns:
        return "[]\n"
    return escaped("[\n" + ",\n".join("  " + json.dumps(t, ensure_ascii=False) for t in towns) + "\n]\n")


# --- CSV -----------------------------------------------------------------------------------------


def safe_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet never reads as a formula: text starting = + - @ (or tab, CR) is quoted
    with an apostrophe, the one guard a CSV can carry; a carriage return is written as the line feed it
    stands for, so that the cell is quoted (Python's csv quotes a lone CR only when it ends lines)."""
    if not isinstance(value, str):
        return "" if value is None else value
    if value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        value = "'" + value
    return value.replace("\r\n", "\n").replace("\r", "\n")


def rows_csv(header: Sequence[str], rows: Sequence[Sequence[Any]], *, bom: bool = False) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return ("\ufeff" if bom else "") + buffer.getvalue()


def towns_csv(towns: Sequence[Any], *, chinese: bool = False, bom: bool = False) -> str:
    header = [zh if chinese else key for key, zh in COLUMNS]
    rows = [list(flat(t).values()) for t in towns]
    return rows_csv(header, rows, bom=bom)


def assessment_rows(towns: Sequence[Any]) -> list[list[Any]]:
    return [
        [t["id"], t["name"], *(a.get(key) for key, _ in ASSESSMENT_COLUMNS[2:])]
        for t in towns
        for a in sorted(t["assessments"], key=lambda a: a["year"])
    ]


def tally_rows(result: Tally) -> list[list[Any]]:
    if len(result.by) == 1:
        return [[row, result.cell(row)] for row in result.rows]
    return [[row, column, result.cell(row, column)] for row in result.rows for column in result.columns]


def tally_csv(result: Tally) -> str:
    return rows_csv([*result.by, "count"], tally_rows(result))


# --- Markdown ------------------------------------------------------------------------------------


# Markdown's own punctuation, and HTML's: a value from the data is shown as written, never as a link,
# an image, emphasis, a table cell's end or HTML (GitHub renders what a job summary holds).
_MARKDOWN = re.compile(r"([\\`*\[\]|~!])")
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_WWW = re.compile(r"www\.", re.IGNORECASE)


def md_cell(value: Any) -> str:
    text = printable("" if value is None else str(value))
    text = "".join(_HTML.get(c, c) for c in text) if any(c in text for c in "&<>") else text
    # GitHub links a bare URL, a www. address and an e-mail address in text, escaped or not: each is
    # broken by a zero-width space, which its autolinker does not read past.
    text = _MARKDOWN.sub(r"\\\1", text).replace("://", ":&#8203;//").replace("@", "&#8203;@")
    return _WWW.sub(lambda m: m.group()[:-1] + "&#8203;.", text)


def _md_code(value: str) -> str:
    """A revision or a file name as inline code: nothing inside is Markdown, but a backtick would end it."""
    return "`" + printable(value).replace("`", "'") + "`"


def rows_markdown(header: Sequence[str], rows: Sequence[Sequence[Any]], title: str | None = None) -> str:
    """A table of any rows for a report or a pull-request comment, each cell escaped (md_cell)."""
    lines = [f"# {md_cell(title)}", ""] if title else []
    lines.append("| " + " | ".join(md_cell(h) for h in header) + " |")
    lines.append("|" + "|".join("---" for _ in header) + "|")
    lines += ["| " + " | ".join(md_cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def rows_xlsx(title: str, header: Sequence[str], rows: Sequence[Sequence[Any]], path: Any) -> None:
    """A workbook of one sheet of rows (write_sheet)."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    write_sheet(book, title, header, rows)
    book.save(path)


def rows_table(console: Console, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Any rows as a terminal table, each cell plain text (no markup from data)."""
    from rich.table import Table

    table = Table(header_style="bold", show_lines=True)
    for name in header:
        table.add_column(name, overflow="fold")
    for row in rows:
        table.add_row(*(_text(v) for v in row))
    console.print(table)


def towns_markdown(towns: Sequence[Any], title: str | None = None) -> str:
    keys = ["id", "name", "prefecture", "county", "category", "town_type", "status", "leading_industry"]
    headers = dict(COLUMNS)
    lines = [f"# {md_cell(title)}", ""] if title else []
    lines.append("| " + " | ".join(headers[k] for k in keys) + " |")
    lines.append("|" + "|".join("---:" if k == "id" else "---" for k in keys) + "|")
    for town in towns:
        row = flat(town)
        lines.append("| " + " | ".join(md_cell(row[k]) for k in keys) + " |")
    return "\n".join(lines) + "\n"


# --- xlsx ----------------------------------------------------------------------------------------


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
        width = max(_display_width("" if v is None else str(v)) for v in values)
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


SOURCE_COLUMNS = ["编号", "名称", "字段", "值", "记录日期", "资料来源", "填报单位/填报人"]


def source_rows(towns: Sequence[Any]) -> list[list[Any]]:
    """Each recorded standards value with the date and source it was recorded with (history.provenance)."""
    from xiaozhen.fields import field_value
    from xiaozhen.history import provenance

    headers = dict(COLUMNS)
    rows = []
    for town in towns:
        for key, origin in provenance(town).items():
            value = field_value(town, key)
            if value not in (None, []):
                label = headers.get(key, "规划符合")
                rows.append(
                    [
                        town["id"],
                        town["name"],
                        f"{label} {key}",
                        cell(value),
                        origin.recorded,
                        origin.source,
                        origin.filled_by,
                    ]
                )
    return rows


def towns_xlsx(towns: Sequence[Any], tallies: Sequence[Tally], path: Any, sample: str | None = None) -> None:
    """A workbook: 小镇 (one row a town), 评估 (one row a town and year), a sheet a tally, as the terminal
    shows it (a count and share a value; a cross-table for two dimensions), 国家规范数据 (the national
    norms' data, a row a town) and 数据来源 (where each recorded value comes from). A sample registry's
    workbook opens on a sheet 示例数据 saying what the sample is, and its title says so."""
    from openpyxl import Workbook

    headers = dict(COLUMNS)
    assessment_headers = dict(ASSESSMENT_COLUMNS)
    book = Workbook()
    book.remove(book.active)
    book.properties.title = "特色产业小镇名录"
    if sample:
        book.properties.title = f"【示例数据】{book.properties.title}"
        write_sheet(book, "示例数据", ["示例数据"], [[sample]], filter_=False)
    write_sheet(
        book,
        "小镇",
        [zh for _, zh in COLUMNS],
        [list(flat(t).values()) for t in towns],
        dates=[headers["plan.approved"]],
        percents=[headers["leading_share"]],
    )
    write_sheet(
        book,
        "评估",
        [zh for _, zh in ASSESSMENT_COLUMNS],
        assessment_rows(towns),
        dates=[assessment_headers["date"]],
    )
    for result in tallies:
        words = [{"town_type": "镇类型"}.get(d, headers.get(d, d)) for d in result.by]  # a sheet name
        if len(result.by) == 1:
            rows: list[list[Any]] = [
                [row, result.cell(row), Percent(result.cell(row) / result.total) if result.total else None]
                for row in result.rows
            ]
            rows.append(["合计", result.total, Percent(1) if result.total else None])
            write_sheet(book, f"按{words[0]}统计", [words[0], "小镇数", "占比"], rows, filter_=False)
        else:
            rows = [
                [row, *(result.cell(row, c) for c in result.columns), result.row_total(row)]
                for row in result.rows
            ]
            rows.append(["合计", *(result.column_total(c) for c in result.columns), result.total])
            title = f"{words[0]}×{words[1]}"
            write_sheet(
                book, title, [f"{words[0]} \\ {words[1]}", *result.columns, "合计"], rows, filter_=False
            )
    write_sheet(
        book,
        "国家规范数据",
        ["编号", "名称", *NORMS_NAMES.values()],
        norms_rows(towns),
        percents=[NORMS_NAMES[f"indicators.{k}"] for k in INDICATORS if CHECKS[k].kind == "share"],
    )
    write_sheet(book, "数据来源", SOURCE_COLUMNS, source_rows(towns), dates=["记录日期"])
    book.save(path)


def norms_rows(towns: Sequence[Any]) -> list[list[Any]]:
    """A row a town of the data the national norms judge: its class and indicators, each in the unit its
    column names (a share a number, shown as a percentage; a yes/no 是 or 否), blank where not recorded."""

    def shown(value: Any) -> Any:
        return ("是" if value else "否") if isinstance(value, bool) else cell(value)

    return [[t["id"], t["name"], *(shown(field_value(t, key)) for key in NORMS_NAMES)] for t in towns]


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
            needed = sum(max(1, math.ceil(_display_width(part) / width)) for part in text.split("\n"))
            if needed > 1:
                alignment = copy(cell.alignment)
                alignment.wrap_text = True
                alignment.vertical = alignment.vertical or "top"
                cell.alignment = alignment
                lines = max(lines, needed)
        if lines > 1:
            sheet.row_dimensions[row[0].row].height = LINE_HEIGHT * lines


def _display_width(text: str) -> int:
    from unicodedata import east_asian_width

    return sum(2 if east_asian_width(ch) in ("W", "F") else 1 for ch in text)


# --- terminal (rich) -----------------------------------------------------------------------------


def _text(value: Any) -> Any:
    from rich.text import Text

    # Text, not a str: a name containing [brackets] is data, never rich markup.
    return Text(printable("" if value is None else str(cell(value)), lines=True))


# On a narrow terminal the towns table drops columns, in this order, rather than break a name or a term
# across lines: the county first (the name begins with it), then the town type, the prefecture, the
# status and the stage. The id and the name always stay.
DROP_ORDER = ("county", "town_type", "prefecture", "status", "category")


def towns_table(console: Console, towns: Sequence[Any], title: str | None = None) -> None:
    """The towns as a table that keeps every name and every closed term whole: on a narrow terminal
    whole columns go (DROP_ORDER); only on one too narrow for the id and the name does the name fold."""
    from rich.table import Table

    def widest(key: str) -> int:
        values = [_(TABLE_HEADERS[key]), *(str(cell(t[key]) or "") for t in towns)]
        return max(_display_width(printable(v)) for v in values)

    widths = {key: widest(key) for key in TABLE_COLUMNS}
    keys = list(TABLE_COLUMNS)

    def fits() -> bool:
        # each column has one space of padding either side and a border on its left; one more at the end
        return sum(widths[k] for k in keys) + 3 * len(keys) + 1 <= console.width

    for optional in DROP_ORDER:
        if fits():
            break
        keys.remove(optional)
    table = Table(title=title, header_style="bold")
    for key in keys:
        justify: Literal["left", "right"] = "right" if key == "id" else "left"
        if key == "name" and not fits():
            table.add_column(_(TABLE_HEADERS[key]), overflow="fold", justify=justify)
        else:
            table.add_column(_(TABLE_HEADERS[key]), no_wrap=True, min_width=widths[key], justify=justify)
    for town in towns:
        table.add_row(*(_text(town[key]) for key in keys))
    console.print(table)


def town_panel(console: Console, town: Any, findings: Sequence[Any] = ()) -> None:
    """A town whole, and below its facts what falls short of a creation standard (its findings)."""
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table

    from xiaozhen.history import provenance

    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold")
    facts.add_column()
    facts.add_column(style="dim")  # where a standards value comes from
    values = flat(town)
    sources = provenance(town)
    for key, zh in COLUMNS:
        if key != "name":
            shown = values[key] if values[key] is not None else "—"
            origin = sources.get(key) if values[key] is not None else None
            facts.add_row(_("{name} {key}").format(name=zh, key=key), _text(shown), _text(origin or ""))
    conformity = (town["plan"] or {}).get("conforms_to") or []
    if conformity:
        origin = sources.get("plan.conforms_to")
        facts.add_row(
            _("{name} {key}").format(name="规划符合", key="plan.conforms_to"),
            _text("、".join(conformity)),
            _text(origin or ""),
        )
    # The national norms' data, where any is recorded: its rows would be dashes on most towns.
    for key, zh in NORMS_NAMES.items():
        value = field_value(town, key)
        if value is not None:
            shown = ("是" if value else "否") if isinstance(value, bool) else norms_value(key, value)
            facts.add_row(
                _("{name} {key}").format(name=zh, key=key), _text(shown), _text(sources.get(key) or "")
            )
    parts: list[Any] = [facts]
    if findings:
        table = Table(title=_("核查发现 findings"), title_justify="left", header_style="bold")
        table.add_column(_("code"), no_wrap=True)
        table.add_column(_("finding"), overflow="fold")
        for finding in findings:
            table.add_row(finding.code, _text(finding.message))
        parts.append(table)
    if town["assessments"]:
        table = Table(title=_("评估 assessments"), title_justify="left", header_style="bold")
        for _key, zh in ASSESSMENT_COLUMNS[2:]:
            table.add_column(zh)
        for row in assessment_rows([town]):
            table.add_row(*(_text(v) for v in row[2:]))
        parts.append(table)
    if town["history"]:
        table = Table(title=_("历史 history"), title_justify="left", header_style="bold")
        names = ["date", "event", "from", "to", "note"]
        names += [k for k in ("source", "filled_by") if any(e.get(k) for e in town["history"])]
        for name in names:
            table.add_column(_(name), no_wrap=name in ("date", "event"), overflow="fold")
        for entry in town["history"]:
            cells = [_entry_cell(entry.get(key)) for key in names]
            cells[1] = _(cells[1]) if cells[1] else cells[1]  # the event, in words
            table.add_row(*(_text(c) for c in cells))
        parts.append(table)
    console.print(
        Panel(Group(*parts), title=_text(f"{town['id']} {town['name']}"), title_align="left", expand=False)
    )


def standards_table(console: Console, standards: Sequence[dict[str, Any]]) -> None:
    """One row a standard: its clause, its key with what it means below, and its value. Clauses and keys
    stay whole at any width; meanings and values wrap."""
    from rich.table import Table
    from rich.text import Text

    widest = max((len(s["key"]) for s in standards), default=8)
    table = Table(header_style="bold", show_lines=True)
    table.add_column("条款", no_wrap=True)
    table.add_column(_("standard"), min_width=widest)
    table.add_column(_("value"), no_wrap=True)
    for standard in standards:
        value = standard["value"]
        shown = "\n".join(value) if isinstance(value, list) else str(value)  # one term a line, whole
        described = Text(printable(standard["key"]), style="bold", overflow="fold")
        described.append("\n" + printable(_(standard["meaning"])))
        table.add_row(_text(standard["clause"]), described, _text(shown))
    console.print(table)


def rulebooks_tables(console: Console, documents: Sequence[dict[str, Any]]) -> None:
    """The notice's standards, then each later document's rules: a heading a document (its number, the
    day it is in force, its note), then one row a rule: clause, what it checks, strength, bound."""
    from rich.table import Table
    from rich.text import Text

    for index, document in enumerate(documents):
        heading = Text(printable(document["document"]), style="bold")
        heading.append(
            "  "
            + _("in force from {day}").format(day=document["in_force"])
            + "  "
            + printable(document["title"] or "")
        )
        if document.get("note"):
            heading.append("\n" + printable(document["note"]))
        if index:
            console.print()
        console.print(heading)
        if "standards" in document:
            standards_table(console, document["standards"])
            continue
        table = Table(header_style="bold", show_lines=True)
        table.add_column("条款")
        table.add_column(_("rule"))
        table.add_column(_("strength"), no_wrap=True)
        table.add_column(_("bound"), no_wrap=True)
        for rule in document["rules"]:
            described = Text(printable(rule["check"]), style="bold", overflow="fold")
            for line in (rule.get("name"), rule.get("text"), rule.get("scope"), rule.get("note")):
                if line:
                    described.append("\n" + printable(line))
            clause = Text(printable(rule["clause"]), overflow="fold")
            table.add_row(clause, described, _text(rule.get("strength") or "约束"), _text(rule["bound"]))
        console.print(table)


def _entry_cell(value: Any) -> Any:
    """A history entry's value for a table cell: an `updated` entry's fields one a line, `field=value`,
    each field in the reader's words."""
    if isinstance(value, dict):
        return "\n".join(f"{label(key)}={_('null') if v is None else cell(v)}" for key, v in value.items())
    return value


# The words a terminal table shows for what the data names with keys: the history's columns and events
# (the fields are fields.LABELS; the keys and values stay as the file has them; these are for reading).
SAID = (
    *(N_("date"), N_("event"), N_("from"), N_("to"), N_("note"), N_("source"), N_("filled_by")),
    *(N_("added"), N_("advanced"), N_("assessed"), N_("exited"), N_("designated"), N_("updated")),
    N_("corrected"),
)
TOTAL_SAID = N_("合计 total")


def tally_table(console: Console, result: Tally, *, chart: bool = False) -> None:
    """Counts with shares (and bars that fit the terminal), or a cross-table. A cross-table too wide for
    the terminal is shown transposed, and if that is too wide too, as one row a pair of values: labels
    stay whole."""
    from rich.table import Table

    table = Table(header_style="bold", show_footer=True)
    total, by = _(TOTAL_SAID), [_(b) for b in result.by]
    if len(result.by) == 1:
        label_width = max(_display_width(v) for v in [by[0], total, *result.rows])
        table.add_column(by[0], footer=total, no_wrap=True)
        table.add_column(_("count"), justify="right", footer=str(result.total))
        table.add_column(_("share"), justify="right", footer="100%" if result.total else "")
        # label, count (5) and share (6) columns with their borders and padding; the bars get the rest
        room = min(30, console.width - (label_width + 5 + 6 + 3 * 4 + 1))
        bars = chart and room >= 5
        if bars:
            table.add_column("", footer="", no_wrap=True)
        widest = max((result.cell(r) for r in result.rows), default=0)
        for row in result.rows:
            count = result.cell(row)
            share = f"{count / result.total:.1%}" if result.total else ""
            cells = [_text(row), str(count), share]
            if bars:
                cells.append("█" * round(room * count / widest) if widest else "")
            table.add_row(*cells)
        console.print(table)
        return
    for layout in (result, result.transposed()):
        if _cross_width(layout) <= console.width:
            _cross_table(console, layout)
            return
    _pairs_table(console, result)


def _cross_width(result: Tally) -> int:
    """The width a cross-table needs with every label whole (the corner heading may take two lines)."""
    total, by = _(TOTAL_SAID), [_(b) for b in result.by]
    first = max(_display_width(v) for v in [total, *result.rows, f"{by[0]} \\", by[1]])
    columns = [max(_display_width(c), len(str(result.total))) for c in result.columns]
    return first + sum(columns) + _display_width(total) + 3 * (len(columns) + 2) + 1


def _cross_table(console: Console, result: Tally) -> None:
    from rich.table import Table

    total, by = _(TOTAL_SAID), [_(b) for b in result.by]
    first = max(_display_width(v) for v in [total, *result.rows, f"{by[0]} \\", by[1]])
    table = Table(header_style="bold", show_footer=True)
    table.add_column(f"{by[0]} \\ {by[1]}", footer=total, min_width=first)
    for column in result.columns:
        table.add_column(
            _text(column), justify="right", footer=str(result.column_total(column)), no_wrap=True
        )
    table.add_column(total, justify="right", footer=str(result.total), no_wrap=True)
    for row in result.rows:
        table.add_row(
            _text(row), *(str(result.cell(row, c)) for c in result.columns), str(result.row_total(row))
        )
    console.print(table)


def _pairs_table(console: Console, result: Tally) -> None:
    """A cross-table as one row a pair of values, for a terminal too narrow for either layout."""
    from rich.table import Table

    table = Table(header_style="bold", show_footer=True)
    table.add_column(_(result.by[0]), footer=_(TOTAL_SAID), no_wrap=True)
    table.add_column(_(result.by[1]), no_wrap=True)
    table.add_column(_("count"), justify="right", footer=str(result.total), no_wrap=True)
    for row in result.rows:
        for column in result.columns:
            table.add_row(_text(row), _text(column), str(result.cell(row, column)))
    console.print(table)


# The word before a problem's message that is not an error, in the reader's language.
_LEVEL_WORD = {"warning": N_("warning: "), "finding": N_("finding: ")}


def problems_text(problems: Sequence[Any], path: str) -> str:
    """FILE:LINE:COL: code: message, one line a problem; a warning's or a finding's message says so."""
    return "".join(
        f"{path}:{p.line or 1}:{p.column or 1}: {p.code}: "
        f"{_(_LEVEL_WORD[p.severity]) if p.severity in _LEVEL_WORD else ''}{printable(p.message)}\n"
        for p in problems
    )


def _escape_github(text: str, *, property_: bool = False) -> str:
    # As GitHub's toolkit escapes: %, CR and LF always; ':' and ',' inside properties too.
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def problems_github(
    problems: Sequence[Any], path: str, *, findings_fail: bool = False, known: Collection[Any] = ()
) -> str:
    """Workflow-command annotations, each after its plain FILE:LINE:COL line: GitHub hides the
    annotation lines in the raw log, where the plain line still shows where the problem is. A finding is
    a warning unless `findings_fail` (validate --findings error); one the base already had (`known`,
    by identity) a notice, never failing."""
    out = []
    for p in problems:
        old = p.severity == "finding" and p.identity() in known
        failing = p.severity == "error" or (p.severity == "finding" and findings_fail and not old)
        level = "error" if failing else "notice" if old else "warning"
        props = f"file={_escape_github(path, property_=True)},line={p.line or 1},col={p.column or 1}"
        props += f",title={_escape_github(p.code, property_=True)}"
        out.append(problems_text([p], path))
        out.append(f"::{level} {props}::{_escape_github(printable(p.message))}\n")
    return "".join(out)


def problems_markdown(
    problems: Sequence[Any], path: str, verdict: str, link: str | None, known: Collection[Any] = ()
) -> str:
    """Validation's result for a job summary: a heading, the verdict, and a table of the problems, each
    line linked to `link#L<line>` (the file's page at the commit) when there is a link; a finding the
    base already had (`known`) is marked so, after the new ones."""
    problems = sorted(problems, key=lambda p: p.severity == "finding" and p.identity() in known)
    # English: both words, as the diff's headings; Chinese: the Chinese word
    title = _("校验 validation")
    lines = [f"## {title}: {_md_code(path)}", "", md_cell(verdict), ""]
    if problems:
        header = (_("行 line"), _("代码 code"), _("级别 severity"), _("问题 problem"))
        lines += ["| " + " | ".join(header) + " |", "|---:|---|---|---|"]
        for p in problems:
            number = p.line or 1
            at = f"[{number}]({link}#L{number})" if link else str(number)
            level = {"error": _("错误 error"), "finding": _("核查发现 finding")}.get(
                p.severity, _("警告 warning")
            )
            if p.severity == "finding" and p.identity() in known:
                level = _("基准已有 in the base")
            lines.append(f"| {at} | {md_cell(p.code)} | {level} | {md_cell(p.message)} |")
        lines.append("")
    return "\n".join(lines) + "\n"


# --- changes (xiaozhen diff) ---------------------------------------------------------------------


def _by_kind(changes: Sequence[Any]) -> list[tuple[str, list[Any]]]:
    from xiaozhen.changes import KINDS

    return [
        (kind, [c for c in changes if c.kind == kind])
        for kind in KINDS
        if any(c.kind == kind for c in changes)
    ]


def _heading(kind: str, count: int) -> str:
    from xiaozhen.changes import KINDS, REVIEW

    chinese, english = KINDS[kind]
    if kind == "corrected":
        review = _(" — review: each corrects what was recorded, with its reason and document")
    else:
        review = _(" — review: the procedure never does this") if kind in REVIEW else ""
    # English: 类别升级 stage moves (1); Chinese: 类别升级（1）
    return _("{chinese} {english} ({count})").format(chinese=chinese, english=english, count=count) + review


def changes_table(console: Console, changes: Sequence[Any], old: str, new: str) -> None:
    """The changes grouped by kind, a table each, with Chinese headings; a line when there are none."""
    from rich.table import Table

    from xiaozhen.changes import describe

    if not changes:
        console.print(_text(_("{old} → {new}: no changes").format(old=old, new=new)))
        return
    counted_ = ngettext("{n} change", "{n} changes", len(changes)).format(n=len(changes))
    console.print(_text(f"{old} → {new}: {counted_}"))
    for kind, group in _by_kind(changes):
        console.print(_text(_heading(kind, len(group))), style="bold")
        table = Table(header_style="bold")
        towns = any(c.town is not None for c in group)
        if towns:
            table.add_column("ID", justify="right", no_wrap=True)
            table.add_column(_("名称 name"), no_wrap=True)
        table.add_column(_("变化 change"))
        for change in group:
            flag = "⚠ " if change.review else ""
            cells = [str(change.town), change.name] if towns else []
            table.add_row(*(_text(c) for c in cells), _text(flag + describe(change)))
        console.print(table)


def changes_markdown(changes: Sequence[Any], old: str, new: str) -> str:
    """The changes for a pull-request comment or a job summary: a heading, then a table a kind."""
    from xiaozhen.changes import describe

    title = _("特色产业小镇名录变化 registry changes")
    lines = [f"## {title}: {_md_code(old)} → {_md_code(new)}", ""]
    if not changes:
        return "\n".join([*lines, _("No changes."), ""])
    review = sum(c.review for c in changes)
    summary = ngettext("{n} change", "{n} changes", len(changes)).format(n=len(changes))
    summary += _(", **{review} to review**").format(review=review) if review else ""
    lines += [summary, ""]
    change_ = _("变化 change")  # (outside the f-strings: Babel does not look into them)
    for kind, group in _by_kind(changes):
        lines += [f"### {md_cell(_heading(kind, len(group)))}", ""]
        if any(c.town is not None for c in group):
            lines += [f"| ID | 名称 | 市(州) | {change_} |", "|---:|---|---|---|"]
            for c in group:
                cells = [str(c.town), c.name, c.prefecture, ("⚠ " if c.review else "") + describe(c)]
                lines.append("| " + " | ".join(md_cell(str(v)) for v in cells) + " |")
        else:
            lines += [f"| {change_} |", "|---|"]
            lines += [f"| {md_cell(describe(c))} |" for c in group]
        lines.append("")
    return "\n".join(lines)
