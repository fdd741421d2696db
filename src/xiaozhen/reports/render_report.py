"""The yearly report as JSON, Markdown and an Excel workbook with native charts, drawn from the one list
of its tables (report_tables), as the page (report_html) and the 公文 (report_docx) are."""

from __future__ import annotations

from typing import Any

from xiaozhen.reports.render import md_cell, to_json
from xiaozhen.reports.report_layout import YearlyReport
from xiaozhen.reports.report_tables import TOTAL, Table, footer, period, tables
from xiaozhen.sheets.xlsx import write_sheet

# --- JSON and Markdown ---------------------------------------------------------------------------


def report_json(report: YearlyReport) -> str:
    return to_json(report)


def report_markdown(report: YearlyReport) -> str:
    lines = [f"# {md_cell(report['title'])}", "", md_cell(period(report)), ""]
    for table in tables(report):
        lines += [f"## {table.title}", ""]
        if not table.rows:
            lines += ["（无）", ""]
            continue
        lines.append("| " + " | ".join(table.headers) + " |")
        lines.append(
            "|" + "|".join("---:" if _numeric(table, i) else "---" for i in range(len(table.headers))) + "|"
        )
        lines += ["| " + " | ".join(md_cell(v) for v in row) + " |" for row in table.rows]
        lines.append("")
        if table.note:
            lines += [f"注：{md_cell(table.note)}", ""]
    lines += ["---", "", *(f"- {md_cell(line)}" for line in footer(report)), ""]
    return "\n".join(lines)


def _numeric(table: Table, column: int) -> bool:
    return all(isinstance(row[column], int | float) or row[column] is None for row in table.rows)


# --- HTML ----------------------------------------------------------------------------------------


# --- xlsx ----------------------------------------------------------------------------------------


def report_xlsx(report: YearlyReport, path: Any) -> None:
    """A sheet a table (write_sheet), with native Excel charts an analyst can restyle: stage by prefecture
    (stacked), results by prefecture (stacked), stages at the start and end, the score distribution."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    title_sheet = book.create_sheet("报告")
    title_sheet.append([report["title"]])
    title_sheet["A1"].font = Font(bold=True, size=14)
    title_sheet.append([period(report)])
    for line in footer(report):
        title_sheet.append([line])
    _one_page(title_sheet)
    sheets = {}
    for table in tables(report):
        sheet = write_sheet(book, table.key, table.headers, table.rows, filter_=False)
        if table.note:  # below the table, a blank row apart
            sheet.cell(len(table.rows) + 3, 1, f"注：{table.note}")
        sheets[table.key] = (sheet, table)

    def bars(key: str, title: str, first: int, last: int, stacked: bool) -> None:
        sheet, table = sheets[key]
        rows = len(table.rows) - (1 if table.rows and table.rows[-1][0] == TOTAL else 0)
        if rows == 0:
            return
        chart = _bar_chart(sheet, table, title, (first, last), rows, stacked)
        # Below its table (and its note), and the sheet printed on one page: the chart is never cut from
        # its table or in two (beside the table, it would widen the page and be shrunk with it).
        sheet.add_chart(chart, f"A{len(table.rows) + (5 if table.note else 3)}")
        sheet.page_setup.fitToHeight = 1

    columns = report["by_prefecture"]["columns"]
    bars("市州类别", "各市(州)小镇类别", 2, 1 + len(report["stage_by_prefecture"]["columns"]), True)
    first = 2 + columns.index("passed")
    bars("按市州", f"{report['year']}年度评估结果", first, first + 1, True)
    bars("类别变化", "各类别小镇数：期初与期末", 2, 3, False)
    bars("得分分布", "评估得分分布", 2, 2, False)
    book.save(path)


def _one_page(sheet: Any) -> None:
    """The cover as one A4 page: a column as wide as its longest line (up to a page's width; a longer line
    wraps), and printed fitted to the page."""
    from openpyxl.styles import Alignment

    longest = max((len(str(row[0].value or "")) for row in sheet.iter_rows()), default=10)
    sheet.column_dimensions["A"].width = min(2.2 * longest + 2, 120)  # a Chinese character is two widths
    for row in sheet.iter_rows():
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape"
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = sheet.page_setup.fitToHeight = 1


def _bar_chart(sheet: Any, table: Table, title: str, span: tuple[int, int], rows: int, stacked: bool) -> Any:
    """Horizontal bars of columns `span` over the table's first `rows` rows, as Excel users expect them:
    both axes shown (openpyxl writes them deleted unless told), the categories top to bottom in the
    table's order, whole-number ticks for counts, and each series' values and the categories cached in
    the chart, so that a preview that does not recalculate shows the bars."""
    from openpyxl.chart import BarChart, Reference
    from openpyxl.chart.data_source import NumData, NumVal, StrData, StrRef, StrVal

    chart = BarChart()
    chart.type = "bar"
    chart.title = title
    if stacked:
        chart.grouping = "stacked"
        chart.overlap = 100
    first, last = span
    chart.add_data(
        Reference(sheet, min_col=first, max_col=last, min_row=1, max_row=rows + 1), titles_from_data=True
    )
    chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=rows + 1))
    labels = [str(row[0]) for row in table.rows[:rows]]
    for offset, series in enumerate(chart.series):
        values = [row[first - 1 + offset] for row in table.rows[:rows]]
        series.val.numRef.numCache = NumData(
            pt=[NumVal(idx=i, v=v) for i, v in enumerate(values)], ptCount=rows, formatCode="General"
        )
        series.cat.strRef = StrRef(
            f=series.cat.numRef.f,
            strCache=StrData(pt=[StrVal(idx=i, v=v) for i, v in enumerate(labels)], ptCount=rows),
        )
        series.cat.numRef = None
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.x_axis.scaling.orientation = "maxMin"  # the first row at the top, as in the table
    chart.y_axis.crosses = "max"  # the value axis stays below the bars once the categories are reversed
    totals = [
        sum(row[first - 1 : last]) if stacked else max(row[first - 1 : last]) for row in table.rows[:rows]
    ]
    chart.y_axis.scaling.min = 0
    chart.y_axis.majorUnit = max(1, -(-max(totals, default=1) // 5))  # whole towns, about five ticks
    chart.y_axis.number_format = "0"
    chart.width, chart.height = 16, max(7.5, 2.5 + 0.8 * rows)  # cm: a bar a category, its label legible
    return chart
