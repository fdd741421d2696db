"""The workbooks as they print: LibreOffice converts the report's and the export's workbooks to PDF, and
the pages are read back (poppler's pdftotext). Every sheet of the report prints on a page of its own,
each chart whole and on the page of its table; the export's sheets print as they are laid out."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import Run, libreoffice, worked_year

pytestmark = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="no LibreOffice or poppler-utils (.ci/run installs them)",
)

# Each chart's title, and the first and last category of its table: on one page, the chart is whole and
# beside (below) its table.
CHARTS = {
    "按市州": ("2020年度评估结果", "长春市", "公主岭市"),
    "市州类别": ("各市(州)小镇类别", "长春市", "公主岭市"),
    "类别变化": ("各类别小镇数：期初与期末", "成长类", "规划类"),
    "得分分布": ("评估得分分布", "<60", "90–100"),
}


def printed(workbook: Path) -> list[str]:
    """The text of each page of the workbook printed by LibreOffice, spaces removed (its layout spaces
    the characters of a chart's title)."""
    (pdf,) = libreoffice("pdf", workbook.parent, workbook)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    return ["".join(page.split()) for page in text.split("\f")[:-1]]


def sheet_names(workbook: Path) -> list[str]:
    from openpyxl import load_workbook

    return list(load_workbook(workbook, read_only=True).sheetnames)


def test_the_report_prints_a_sheet_a_page_each_chart_whole_with_its_table(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    from xiaozhen.reports.demo import marked

    # a sample registry: the cover's longest line says what the sample is, and prints on the one page
    registry.write_text(marked(registry.read_text(encoding="utf-8")), encoding="utf-8")
    worked_year(run, registry, tmp_path)
    path = tmp_path / "report.xlsx"
    assert run("report", "--format", "xlsx", "-o", str(path), registry=registry).exit_code == 0
    pages = printed(path)
    sheets = sheet_names(path)
    assert len(pages) == len(sheets)  # the cover, and every table, on a page of its own
    assert pages[0].startswith("【示例数据】") and "示例数据：2020年度评估结果" in pages[0]
    for sheet, (title, first, last) in CHARTS.items():
        page = pages[sheets.index(sheet)]
        assert title.replace(" ", "") in page, (sheet, page[:200])
        # the table's rows, then the chart's axis labels again: both on the one page
        assert page.count(first) == 2 and page.count(last) == 2, (sheet, page)


def test_the_export_prints_each_sheet_with_its_header(run: Run, registry: Path, tmp_path: Path) -> None:
    worked_year(run, registry, tmp_path)
    path = tmp_path / "towns.xlsx"
    assert run("export", "--format", "xlsx", "-o", str(path), registry=registry).exit_code == 0
    pages = printed(path)
    sheets = sheet_names(path)
    assert len(pages) == len(sheets)
    towns = pages[sheets.index("小镇")]
    assert towns.startswith("编号名称市(州)") and "长春市红旗绿色智能小镇" in towns and "公主岭市" in towns
    assert pages[sheets.index("市(州)×类别")].startswith("市(州)\\类别")


def test_the_form_prints_its_header_names_and_signature_on_every_page(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    """A county's form as it prints: A4 landscape, each page with every column's header whole, the towns'
    names, and the block to sign and seal (填报单位(盖章), 填报人, 联系电话, 填报日期)."""
    from openpyxl import load_workbook

    form = tmp_path / "form.xlsx"
    assert run("form", "-o", str(form), registry=registry).exit_code == 0
    sheet = load_workbook(form)["填报表"]
    headers = ["".join(str(c.value).split()) for c in sheet[4]]
    names = [str(sheet.cell(row, 2).value) for row in range(5, sheet.max_row + 1)]
    (pdf,) = libreoffice("pdf", tmp_path, form)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "841.89 x 595.3" in info  # A4, landscape
    # -raw keeps a wrapped cell's lines together
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True)
    pages = ["".join(page.split()) for page in text.stdout.split("\f")[:-1]]
    form_pages = [p for p in pages if p.startswith("填报单位(盖章):填报人:联系电话:填报日期:")]
    assert len(form_pages) >= 2  # 53 towns: more than a page
    for page in form_pages:
        assert [h for h in headers if h not in page] == [], page[:80]
        assert any(name in page for name in names)
    assert all(any(name in page for page in form_pages) for name in names)
