"""The yearly report as a 公文 the office opens, edits and sends in Word or WPS: the page, fonts and page
numbers of GB/T 9704-2012 (党政机关公文格式), the same tables as every other format (report_tables.tables),
and the colophon (发布单位 and date) — written through python-docx.

python-docx has no property for a style's East Asian font, a table's repeated header row or a page-number
field; those are set on the XML elements its public `element` properties expose (lxml's element API), by
their WordprocessingML names, never through python-docx's private modules."""

from __future__ import annotations

from datetime import date
from typing import Any

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.shared import Mm, Pt, RGBColor

from xiaozhen.reports.report_layout import YearlyReport
from xiaozhen.reports.report_tables import TOTAL, Table, footer, percent, tables

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# GB/T 9704-2012 5.2.1 and 7.1: A4, the text area 156 mm × 225 mm, its margins as below (mm).
MARGINS = {"top": 37, "bottom": 35, "left": 28, "right": 26}
MM_WIDE, MM_HIGH = 210, 297
# 5.2.2: 22 lines of 28 characters, in 仿宋 三号 (16 pt): a line every 225 mm / 22, a character every
# 156 mm / 28 (15.79 pt, so the characters sit 0.25 pt closer than their 16 pt).
LINE = Pt(28.95)
CLOSER = -5  # twentieths of a point
# The fonts the standard names (each a font on the office's Windows, with WPS or the national fonts):
# body 仿宋_GB2312 三号; title 方正小标宋简体 二号; first-level headings 黑体, second-level 楷体_GB2312;
# page numbers 宋体 四号. Digits and Latin letters in Times New Roman, as the office's templates set them.
Font = tuple[str, float]  # a font's name and its size in points
BODY: Font = ("仿宋_GB2312", 16)
TITLE: Font = ("方正小标宋简体", 22)
HEADING: Font = ("黑体", 16)
SUBHEADING: Font = ("楷体_GB2312", 16)
PAGE_NUMBER: Font = ("宋体", 14)
# Tables are not in the standard's grid: 仿宋 五号, single-spaced, so that 13 columns fit the 156 mm.
CELL: Font = ("仿宋_GB2312", 10.5)
HEADER_CELL: Font = ("黑体", 10.5)
WIDEST = 16  # characters a column asks for at most: a longer value wraps
PADDING = 1.2  # characters: a cell's left and right margins (0.19 cm each in Word and LibreOffice)
NARROW = 8  # characters: a column this narrow keeps its width when a table must give way
MM_PER_POINT = 25.4 / 72
LATIN = "Times New Roman"

# The report's sections, each a first-level heading over its tables (by report_tables.tables' keys),
# each table under a second-level heading, its title; a section of one table is headed by its title (None),
# and a table in no section comes last, the same way. 概况 is said in words, under 总体情况; a table the
# report does not have (上年比较, for a first year) is left out.
SECTIONS: list[tuple[str | None, list[str]]] = [
    ("总体情况", ["上年比较"]),
    ("分地区和分类别情况", ["按市州", "按类别期末", "市州类别", "类别状态"]),
    ("评估得分", ["得分", "得分分布"]),
    ("类别变化", ["类别变化", "升级"]),
    (None, ["名单"]),
    (None, ["更正"]),
    (None, ["清单审核"]),
    (None, ["核查发现"]),
    ("数据情况", ["公布总数", "数据覆盖"]),
]
NUMERALS = "一二三四五六七八九十"


def report_docx(report: YearlyReport, path: Any) -> None:
    document = Document()
    _page(document)
    _styles(document)
    document.core_properties.title = report["title"]
    document.core_properties.author = report["about"]["publisher"]
    document.core_properties.language = "zh-CN"
    document.add_paragraph(report["title"], style="公文标题")
    document.add_paragraph("", style="公文正文")  # the standard's blank line under the title
    by_key = {t.key: t for t in tables(report)}
    sections = [*SECTIONS, *((None, [t.key]) for t in by_key.values() if not _in_sections(t.key))]
    for number, (heading, wanted) in enumerate(sections, start=1):
        keys = [key for key in wanted if key in by_key]
        named = heading is not None  # its tables under headings of their own
        document.add_paragraph(f"{_numeral(number)}、{heading or by_key[keys[0]].title}", style="Heading 1")
        if number == 1:
            for text in _summary(report):
                document.add_paragraph(text, style="公文正文")
        for index, key in enumerate(keys, start=1):
            table = by_key[key]
            if named:
                document.add_paragraph(f"（{_numeral(index)}）{table.title}", style="Heading 2")
            _table(document, table)
    _colophon(document, report)
    document.save(path)


def _in_sections(key: str) -> bool:
    return key == "概况" or any(key in keys for _, keys in SECTIONS)


def _numeral(number: int) -> str:
    """一 to 九十九, as the headings number their sections."""
    tens, ones = divmod(number, 10)
    if tens == 0:
        return NUMERALS[ones - 1]
    return f"{'' if tens == 1 else NUMERALS[tens - 1]}十{NUMERALS[ones - 1] if ones else ''}"


def _day(iso: str) -> str:
    """2021-04-01 → 2021年4月1日, as a 公文 writes a date (GB/T 9704-2012 7.3.5.1)."""
    day = date.fromisoformat(iso[:10])
    return f"{day.year}年{day.month}月{day.day}日"


def _summary(report: YearlyReport) -> list[str]:
    """总体情况 in words, with the period's start and end stated, so that the tables' 期初 and 期末 read as
    the two dates they are."""
    head, period = report["headline"], report["period"]
    rate = percent(head["pass_rate"])
    return [
        f"本报告统计期为{_day(period['from'])}至{_day(period['to'])}，期初以{_day(period['start'])}名录为准。"
        f"期初名录内小镇{head['towns_start']}个，其中创建中{head['creating_start']}个。",
        f"{report['year']}年度参加评估{head['assessed']}个，达标{head['passed']}个，"
        f"不达标{head['failed']}个，达标率{rate}；期初创建中的小镇"
        f"未参评{head['unassessed']}个。统计期内退出{head['exited']}个，"
        f"认定为省级特色产业小镇{head['designated']}个，类别升级{head['advanced']}个，新增{head['added']}个，"
        f"更名{head['renamed']}个，清理出清单{head['cleared']}个；"
        f"期末名录内小镇{head['towns_end']}个，其中创建中{head['creating_end']}个。",
    ]


def _table(document: Any, table: Table) -> None:
    if not table.rows:
        document.add_paragraph("（无）", style="公文正文")
        return
    _grid(document, table)
    if table.note:
        note = document.add_paragraph(f"注：{table.note}", style="表格文字")
        note.alignment = WD_ALIGN_PARAGRAPH.LEFT


def _grid(document: Any, table: Table) -> None:
    """The table, a row added at a time: python-docx's `table.cell(row, column)` walks every cell of the
    table, so a table of a thousand rows filled through it takes minutes; a new row's own cells do not."""
    widths = _widths(table)
    heading, text = (document.styles[name].style_id for name in ("表格标题", "表格文字"))
    grid = document.add_table(rows=1, cols=len(table.headers))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    for column, width in enumerate(widths):
        grid.columns[column].width = width
    header = grid.rows[0].cells
    for column, name in enumerate(table.headers):
        header[column].width = widths[column]
        _cell(header[column], name, heading)
    # The header row is repeated on every page a long table runs onto (a row is reached from its run).
    header_run = header[0].paragraphs[0].runs[0]
    row = next(header_run.element.iterancestors(f"{_W}tr"))
    _child(_child(row, "trPr", first=True), "tblHeader")
    for values in table.rows:
        style = heading if values and values[0] == TOTAL else text
        cells = grid.add_row().cells
        for column, value in enumerate(values):
            cells[column].width = widths[column]
            numeric = isinstance(value, int | float) or str(value).endswith("%")
            paragraph = _cell(cells[column], _text(value), style)
            if numeric:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _widths(table: Table) -> list[Any]:
    """Each column's width, the text area's 156 mm shared by what the columns hold: the longest value (a
    long one wraps, so none asks for more than WIDEST characters) or half the heading, which may take two
    lines, and two characters at least; plus the cell's margins. When they ask for more than the line
    holds, the wide columns give way and the narrow ones (a number, a prefecture) keep their width."""
    wanted = [
        max(2, _width(header) / 2, *(min(_width(_text(row[i])), WIDEST) for row in table.rows))
        for i, header in enumerate(table.headers)
    ]
    line = (MM_WIDE - MARGINS["left"] - MARGINS["right"]) / (CELL[1] * MM_PER_POINT)  # characters
    room = line - PADDING * len(wanted)
    wide = sum(w for w in wanted if w > NARROW)
    narrow = sum(wanted) - wide
    scale = room / sum(wanted) if sum(wanted) <= room or not wide else None
    chars = [w * scale if scale else (w if w <= NARROW else w * (room - narrow) / wide) for w in wanted]
    return [Mm((c + PADDING) * CELL[1] * MM_PER_POINT) for c in chars]


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _width(text: str) -> float:
    """A text's width in Chinese characters: a digit or Latin letter is half of one."""
    return sum(0.5 if ord(c) < 0x2E80 else 1 for c in text)


def _cell(cell: Any, text: str, style_id: str) -> Any:
    """The cell's text in the paragraph style `style_id`, set on the paragraph's XML: python-docx's
    `paragraph.style = name` searches every style of the document twice, for each of thousands of cells."""
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(text)
    properties = _child(run.element.getparent(), "pPr", first=True)
    properties.insert(0, properties.makeelement(f"{_W}pStyle", {f"{_W}val": style_id}))
    return paragraph


def _colophon(document: Any, report: YearlyReport) -> None:
    """发布单位 and the date, right-aligned as 7.3.5.1 places them (the date four characters from the
    right margin, the publisher centred over it, or two from the margin when it is the longer), then a
    附注 in brackets: the data's date, the registry's revision and the notice the report applies."""
    about = report["about"]
    publisher = about["publisher"]
    made = _day(about["generated"] or about["data_as_of"])
    width = {text: _width(text) for text in (publisher, made)}
    if width[publisher] <= width[made] + 8:
        offsets = {made: 4.0, publisher: 4 + (width[made] - width[publisher]) / 2}
    else:
        offsets = {publisher: 2.0, made: 2 + (width[publisher] - width[made]) / 2}
    document.add_paragraph("", style="公文正文")
    document.add_paragraph("", style="公文正文")
    for text in (publisher, made):
        paragraph = document.add_paragraph(text, style="公文正文")
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.paragraph_format.first_line_indent = Pt(0)
        paragraph.paragraph_format.right_indent = Pt(BODY[1] * max(offsets[text], 0))
    notes = [
        f"数据截至：{_day(about['data_as_of'])}" if line.startswith("数据截至") else line
        for line in footer(report)
        if not line.startswith(("发布单位", "生成时间"))
    ]
    document.add_paragraph("", style="公文正文")
    document.add_paragraph(f"（{'；'.join(notes)}）", style="公文附注")


# --- the page and the styles -------------------------------------------------------------------------


def _page(document: Any) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(MM_WIDE), Mm(MM_HIGH)
    section.top_margin, section.bottom_margin = Mm(MARGINS["top"]), Mm(MARGINS["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS["left"]), Mm(MARGINS["right"])
    # 7.5: the page number a line 7 mm below the text area, "— 1 —", right on odd pages, left on even.
    section.footer_distance = Mm(MARGINS["bottom"] - 7) - Pt(PAGE_NUMBER[1])
    document.settings.odd_and_even_pages_header_footer = True
    for footer_, alignment in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        paragraph = footer_.paragraphs[0]
        paragraph.style = document.styles["Footer"]
        paragraph.alignment = alignment
        indent = Pt(PAGE_NUMBER[1])  # 单页码居右空一字，双页码居左空一字
        if alignment is WD_ALIGN_PARAGRAPH.RIGHT:
            paragraph.paragraph_format.right_indent = indent
        else:
            paragraph.paragraph_format.left_indent = indent
        paragraph.add_run("— ")
        _page_field(paragraph.add_run())
        paragraph.add_run(" —")


def _page_field(run: Any) -> None:
    """A PAGE field in the run, which Word, WPS and LibreOffice fill with the page's number."""
    for tag, attributes, text in (
        ("fldChar", {f"{_W}fldCharType": "begin"}, None),
        ("instrText", {"{http://www.w3.org/XML/1998/namespace}space": "preserve"}, " PAGE "),
        ("fldChar", {f"{_W}fldCharType": "separate"}, None),
        ("t", {}, "1"),
        ("fldChar", {f"{_W}fldCharType": "end"}, None),
    ):
        part = run.element.makeelement(f"{_W}{tag}", attributes)
        part.text = text
        run.element.append(part)


def _styles(document: Any) -> None:
    styles = document.styles
    body = styles["Normal"]
    _font(body, BODY)
    body.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    body.paragraph_format.line_spacing = LINE
    body.paragraph_format.space_before = body.paragraph_format.space_after = Pt(0)
    # w:spacing goes right after w:color, where the schema's sequence puts it (Word refuses it elsewhere).
    properties = _child(body.element, "rPr")
    properties.find(f"{_W}color").addnext(properties.makeelement(f"{_W}spacing", {f"{_W}val": str(CLOSER)}))
    text = _style(styles, "公文正文", BODY)
    text.paragraph_format.first_line_indent = Pt(BODY[1] * 2)  # 每个自然段左空二字
    text.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    title = _style(styles, "公文标题", TITLE)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.line_spacing = Pt(TITLE[1] * 1.5)
    remark = _style(styles, "公文附注", BODY)
    remark.paragraph_format.first_line_indent = Pt(BODY[1] * 2)  # 附注居左空二字加圆括号
    for name, font in (("Heading 1", HEADING), ("Heading 2", SUBHEADING)):
        heading = styles[name]
        _font(heading, font)
        heading.paragraph_format.first_line_indent = Pt(BODY[1] * 2)
        heading.paragraph_format.space_before = heading.paragraph_format.space_after = Pt(0)
        heading.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        heading.paragraph_format.line_spacing = LINE
        heading.paragraph_format.keep_with_next = True
    for name, font in (("表格文字", CELL), ("表格标题", HEADER_CELL)):
        cell = _style(styles, name, font)
        cell.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        cell.paragraph_format.first_line_indent = Pt(0)
        cell.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER if name == "表格标题" else None
    footer_style = styles["Footer"]
    _font(footer_style, PAGE_NUMBER)
    footer_style.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE


def _style(styles: Any, name: str, font: Font) -> Any:
    style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = styles["Normal"]
    style.quick_style = True
    _font(style, font)
    return style


def _font(style: Any, font: Font) -> None:
    """The style's font: the Chinese font for Chinese text (w:eastAsia), Times New Roman for digits and
    Latin letters, black, not bold or italic, in its size; the template's theme fonts removed, as they
    would override the names."""
    name, size = font
    style.font.name = LATIN
    style.font.size = Pt(size)
    style.font.bold = style.font.italic = False
    style.font.color.rgb = RGBColor(0, 0, 0)
    fonts = _child(_child(style.element, "rPr"), "rFonts")
    for attribute in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(f"{_W}{attribute}", None)
    fonts.set(f"{_W}eastAsia", name)
    language = _child(_child(style.element, "rPr"), "lang")
    language.set(f"{_W}eastAsia", "zh-CN")


def _child(element: Any, tag: str, first: bool = False) -> Any:
    """The element's child `tag`, made if it has none (first among its children when `first`)."""
    found = element.find(f"{_W}{tag}")
    if found is None:
        found = element.makeelement(f"{_W}{tag}", {})
        if first:
            element.insert(0, found)
        else:
            element.append(found)
    return found
