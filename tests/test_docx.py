"""The yearly report as a 公文 (report --format docx): the page, fonts and page numbers GB/T 9704-2012 sets,
as the document's XML states them; every table and number of the report in it; and the document as
LibreOffice prints it, on A4 pages numbered "— 1 —"."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from conftest import Run, libreoffice, worked_year

FIXED = {"SOURCE_DATE_EPOCH": "1617235200"}  # 2021-04-01 08:00 in Beijing


def _writer() -> bool:
    """LibreOffice with its word processor (the calc-only package cannot open a docx)."""
    soffice = shutil.which("soffice")
    if soffice is None or shutil.which("pdftotext") is None:
        return False
    return (Path(os.path.realpath(soffice)).parent / "libswlo.so").exists()


def docx(run: Run, registry: Path, tmp_path: Path, *args: str) -> Path:
    worked_year(run, registry, tmp_path)
    path = tmp_path / "2020年度评估情况.docx"
    result = run("report", "--format", "docx", "-o", str(path), *args, registry=registry, env=FIXED)
    assert result.exit_code == 0, result.stderr
    return path


def test_the_page_and_fonts_are_gb_t_9704(run: Run, registry: Path, tmp_path: Path) -> None:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Mm, Pt

    path = docx(run, registry, tmp_path)
    document = Document(str(path))
    section = document.sections[0]
    # A4, and the margins 37 / 35 / 28 / 26 mm (a millimetre is 36,000 EMU; Word keeps twips: ±1 twip)
    for measured, mm in (
        (section.page_width, 210),
        (section.page_height, 297),
        (section.top_margin, 37),
        (section.bottom_margin, 35),
        (section.left_margin, 28),
        (section.right_margin, 26),
    ):
        assert abs(measured - Mm(mm)) < 640, (measured, mm)
    body = document.styles["Normal"]
    assert body.font.size == Pt(16)
    assert body.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert body.paragraph_format.line_spacing == Pt(28.95)  # 22 lines in the 225 mm text area
    with zipfile.ZipFile(path) as package:
        styles = package.read("word/styles.xml").decode("utf-8")
        settings = package.read("word/settings.xml").decode("utf-8")
        footers = [package.read(n).decode("utf-8") for n in package.namelist() if "footer" in n]
    for name, font, size in (
        ("公文正文", "仿宋_GB2312", 32),
        ("公文标题", "方正小标宋简体", 44),
        ("heading 1", "黑体", 32),
        ("heading 2", "楷体_GB2312", 32),
        ("表格文字", "仿宋_GB2312", 21),
        ("footer", "宋体", 28),
    ):
        style = re.search(rf'<w:name w:val="{name}"/>.*?</w:style>', styles, re.S)
        assert style is not None, name
        assert f'w:eastAsia="{font}"' in style.group(0), name
        assert f'<w:sz w:val="{size}"/>' in style.group(0) or name in ("公文正文", "表格文字"), name
        assert "Theme" not in style.group(0), name  # no theme font overrides the names
    assert '<w:spacing w:val="-5"/>' in styles  # 28 characters to the 156 mm line
    assert "<w:evenAndOddHeaders/>" in settings
    # "— 1 —": right on odd pages, left on even, each a character in from the edge
    assert len(footers) == 2
    for footer in footers:
        assert "— " in footer and " PAGE " in footer and " —" in footer
    title = document.paragraphs[0]
    assert title.text == "2020年度吉林省特色产业小镇评估情况" and title.style.name == "公文标题"
    assert title.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert title.style.font.size == Pt(22)


def test_every_table_and_number_of_the_report_is_in_it(run: Run, registry: Path, tmp_path: Path) -> None:
    from docx import Document

    from xiaozhen.reports.report_tables import tables

    path = docx(run, registry, tmp_path)
    report = json.loads(run("report", "--format", "json", registry=registry, env=FIXED).stdout)
    document = Document(str(path))
    paragraphs = [p.text for p in document.paragraphs]
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:3] == ["一、总体情况", "二、分地区和分类别情况", "（一）按市(州)"]
    summary = "".join(paragraphs[3:5])
    assert "本报告统计期为2021年1月1日至2021年12月31日，期初以2020年12月31日名录为准。" in summary
    head = report["headline"]
    assert (
        f"参加评估{head['assessed']}个，达标{head['passed']}个，不达标{head['failed']}个，达标率66.7%"
        in summary
    )
    assert f"期末名录内小镇{head['towns_end']}个，其中创建中{head['creating_end']}个" in summary
    shown = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    expected = [t for t in tables(report) if t.key != "概况"]  # 概况 is said in words
    written = [[t.headers, *(["" if v is None else str(v) for v in row] for row in t.rows)] for t in expected]
    assert sorted(shown) == sorted(w for w in written if len(w) > 1)  # each table once, whole
    for table in expected:
        assert any(table.title in h for h in headings), table.title
    empty = [t.title for t in expected if not t.rows]
    assert empty and all(f"{t}" in " ".join(headings) for t in empty)
    # the colophon: the publisher over the date, right-aligned; then the 附注
    assert paragraphs[-4:-2] == ["吉林省新型城镇化工作领导小组办公室", "2021年4月1日"]
    assert paragraphs[-1].startswith("（数据截至：2021年4月1日；名录版本：sha256:")
    assert paragraphs[-1].endswith("依据：吉林省人民政府办公厅吉政办明电〔2019〕5号）")


@pytest.mark.skipif(not _writer(), reason="no LibreOffice Writer or poppler-utils (.ci/run installs them)")
def test_libreoffice_prints_it_on_numbered_a4_pages(run: Run, registry: Path, tmp_path: Path) -> None:
    path = docx(run, registry, tmp_path)
    (pdf,) = libreoffice("pdf", tmp_path, path)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info), info
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")[:-1]
    assert len(pages) >= 3
    squeezed = ["".join(p.split()) for p in pages]
    assert squeezed[0].startswith("2020年度吉林省特色产业小镇评估情况一、总体情况")
    for number, page in enumerate(squeezed, start=1):
        assert page.endswith(f"—{number}—"), (number, page[-40:])
    assert "吉林省新型城镇化工作领导小组办公室2021年4月1日" in squeezed[-1]
    # the table of findings runs onto a second page with its header row repeated there
    header = "市(州)编号小镇事项说明"
    assert sum(p.count(header) for p in squeezed) >= 2
