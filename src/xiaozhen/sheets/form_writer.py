"""Writing a fill-in form: the sheet a county fills (locked identity, drop-downs quoting their clauses,
printed as it signs it), its guide, and the hidden record of what was issued, sealed."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from xiaozhen.sheets.forms import (
    APPLICATIONS_MARK,
    APPLICATIONS_SHEET,
    FORM_SHEET,
    GUIDE_SHEET,
    HEADER_ROW,
    IDENTITY,
    ISSUED_SHEET,
    LISTING_TERMS,
    MARK,
    SEAL,
    Column,
    columns,
    is_share,
    issued_values,
    seal_of,
)


def write_form(
    registry: Mapping[str, Any],
    towns: Sequence[Mapping[str, Any]],
    revision: str,
    path: Any,
    *,
    applicants: int = 0,
    norms: bool = False,
) -> None:
    """The fill-in workbook for `towns` of `registry` (records), issued from `revision` — of the notice's
    standards data, or of the national norms' (`norms`); or, with `applicants`, an applications form of
    that many empty rows for a new batch's applicants."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection

    from xiaozhen.sheets.xlsx import append_row

    standards = registry["standards"]
    conforms_to = list(standards["plan_conforms_to"]["value"])
    ownership = list(standards["developer_ownership"]["value"])
    cols = columns(conforms_to, applicants=applicants > 0, norms=norms)
    book = Workbook()
    sheet = book.active
    sheet.title = FORM_SHEET if not applicants else APPLICATIONS_SHEET
    kind = "创建申报表" if applicants else "国家规范数据填报表" if norms else "创建标准数据填报表"
    basis = "、".join(b["document"] for b in registry.get("rulebooks") or []) if norms else ""
    title = f"特色产业小镇{kind}({basis or registry['registry']['document']})"
    append_row(sheet, [title])  # registry.document is data: text, never a formula
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(["填报单位", None, None, "填报人", None, "填报日期", None])
    sheet.append([])
    append_row(sheet, [c.header for c in cols])
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    locked_fill = PatternFill("solid", fgColor="F2F2F2")
    for cell in sheet[HEADER_ROW]:
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for _row in range(applicants):
        append_row(sheet, [None] * len(cols))
    for town in towns if not applicants else ():
        issued = issued_values(town, conforms_to)
        row: list[Any] = []
        for column in cols:
            if column.kind == "identity":
                row.append(town.get(column.key))
            elif column.kind in ("yesno", "flag"):
                row.append({True: "是", False: "否", None: None}[issued[column.key]])
            elif column.kind == "date":
                value = issued[column.key]
                row.append(date.fromisoformat(value) if value else None)
            elif column.kind == "source":
                row.append(None)
            else:
                row.append(issued[column.key])
        append_row(sheet, row)
    last = sheet.max_row
    # The identity columns are locked (sheet protection, no password: nobody retypes a name by accident);
    # every other cell of the towns' rows, and the 填报单位/填报人/填报日期 cells, can be filled in.
    for index, column in enumerate(cols, start=1):
        letter = sheet.cell(HEADER_ROW, index).column_letter
        sheet.column_dimensions[letter].width = column.width
        for row_number in range(HEADER_ROW + 1, last + 1):
            cell = sheet.cell(row_number, index)
            if column.kind == "identity":
                cell.fill = locked_fill
            else:
                cell.protection = Protection(locked=False)
            if column.kind == "date":
                cell.number_format = "yyyy-mm-dd"
            elif column.kind == "amount":
                cell.number_format = "0.00##"
            elif column.kind == "measure":
                cell.number_format = "0.0%" if is_share(column) else "0.####"
    for ref in ("B2", "E2", "G2"):
        sheet[ref].protection = Protection(locked=False)
    sheet["G2"].number_format = "yyyy-mm-dd"
    sheet.protection.sheet = True
    # Rows and columns may be resized and the rows filtered. Sorting moves locked cells, which Excel and
    # Calc refuse on a protected sheet; the guide says how to sort (unprotect: there is no password).
    sheet.protection.formatRows = False
    sheet.protection.formatColumns = False
    sheet.protection.sort = False
    sheet.protection.autoFilter = False
    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 3 if applicants else len(IDENTITY) + 1)
    sheet.auto_filter.ref = (
        f"A{HEADER_ROW}:{sheet.cell(HEADER_ROW, len(cols)).column_letter}{max(last, HEADER_ROW)}"
    )
    _validations(sheet, cols, ownership, standards, last)
    _print_form(sheet, cols, last, identity=2 if applicants else len(IDENTITY))
    if norms:
        _norms_guide(book, registry)
    else:
        _guide(book, registry, cols, ownership)
    _issued(
        book,
        registry,
        towns if not applicants else (),
        revision,
        conforms_to,
        APPLICATIONS_MARK if applicants else MARK,
    )
    book.save(path)


# A yes/no column's drop-down: what the guide says may be typed (collect reads √ as 是, × as 否).
YES_NO = '"是,否,√,×"'
# Excel's longest inline list: a drop-down's "a,b,c" past it is refused when the workbook opens.
_INLINE_LIST_CHARS = 255


def _inline_list(terms: Sequence[str]) -> str | None:
    """A drop-down's list formula, "a,b,c"; None for terms it cannot hold (a comma splits a term, a quote
    would end the list and let the rest be read as a formula) or past Excel's length."""
    if any("," in t or '"' in t for t in terms):
        return None
    listed = ",".join(terms)
    return f'"{listed}"' if len(listed) <= _INLINE_LIST_CHARS else None


def _validations(
    sheet: Any,
    cols: list[Column],
    ownership: list[str],
    standards: Any,
    last: int,
) -> None:
    """Excel's data validation where Excel has it, each with an input message quoting its clause."""
    from openpyxl.worksheet.datavalidation import DataValidation

    if last <= HEADER_ROW:
        return
    share = standards["leading_industry_min_share"]
    for index, column in enumerate(cols, start=1):
        letter = sheet.cell(HEADER_ROW, index).column_letter
        cells = f"{letter}{HEADER_ROW + 1}:{letter}{last}"
        if column.kind == "listing" and column.key in LISTING_TERMS:
            terms = LISTING_TERMS[column.key]
            rule = DataValidation(type="list", formula1=_inline_list(terms) or "", allow_blank=True)
            rule.promptTitle, rule.prompt = column.header, "从下拉列表选"
        elif column.kind == "term":
            listed = _inline_list(ownership)
            if listed is None:  # a term the list cannot hold: the column's prompt names them instead
                continue
            rule = DataValidation(type="list", formula1=listed, allow_blank=True)
            rule.promptTitle, rule.prompt = (
                "建设主体性质",
                f"{standards['developer_ownership']['clause']}: 以企业为主体",
            )
        elif column.kind == "yesno":
            rule = DataValidation(type="list", formula1=YES_NO, allow_blank=True)
            rule.promptTitle = "规划符合"
            rule.prompt = f"{standards['plan_conforms_to']['clause']}: 是 或 否(可填 √、×)"
        elif column.kind == "flag":
            rule = DataValidation(type="list", formula1=YES_NO, allow_blank=True)
            rule.promptTitle, rule.prompt = column.header[:32], "是 或 否(可填 √、×)"
        elif column.kind == "measure":
            share = is_share(column)
            rule = DataValidation(
                type="decimal",
                operator="between" if share else "greaterThanOrEqual",
                formula1="0",
                formula2="1" if share else None,
                allow_blank=True,
            )
            rule.promptTitle, rule.prompt = column.header[:32], "填百分比,如 35%" if share else "填数字"
        elif column.kind == "amount":
            rule = DataValidation(
                type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True
            )
            rule.promptTitle = "亿元"
            rule.prompt = f"{share['clause']}: 主导产业投资占总投资不低于{float(share['value']) * 100:g}%"
        elif column.kind == "date":
            rule = DataValidation(type="date", operator="greaterThan", formula1="1", allow_blank=True)
            rule.promptTitle, rule.prompt = "日期", "如 2019-06-01"
        else:
            continue
        rule.showInputMessage = True
        rule.showErrorMessage = True
        rule.error = "请按提示填写"
        sheet.add_data_validation(rule)
        rule.add(cells)
        if column.kind == "listing":
            rule.error = "请从下拉列表选择"


def _guide(book: Any, registry: Mapping[str, Any], cols: list[Column], ownership: list[str]) -> None:
    from openpyxl.styles import Font

    from xiaozhen.sheets.xlsx import append_row

    standards = registry["standards"]
    sheet = book.create_sheet(GUIDE_SHEET)
    share = float(standards["leading_industry_min_share"]["value"]) * 100
    lines = [
        ["填表说明"],
        [f"依据:{registry['registry']['title']}({registry['registry']['document']})"],
        [],
        ["条款", "创建标准", "本表填写"],
        ["一(一)", "每个小镇原则上只有一个主导产业", "主导产业:只填一个"],
        [
            standards["plan_conforms_to"]["clause"],
            "规划符合" + "、".join(standards["plan_conforms_to"]["value"]),
            "每项规划填 是 或 否",
        ],
        [
            standards["developer_ownership"]["clause"],
            "以企业为建设主体:" + "、".join(ownership),
            "建设主体性质:从下拉列表选",
        ],
        [
            standards["leading_industry_min_share"]["clause"],
            f"主导产业投资占总投资不低于{share:g}%(不含商品住宅和商业综合体)",
            "金额单位:亿元",
        ],
        ["一(五)", "设立管理机构", "管理机构:填名称"],
        [],
        ["填写要求"],
        ["1. 灰色的编号、名称、市(州)、县列已锁定,请勿修改;其余单元格可直接填写或修改。"],
        ["2. 金额以亿元为单位;日期填 2019-06-01 或 2019/6/1;是/否 可填 是、否、√、×。"],
        ["3. 资料来源:请写明每行数据出自的文件(如 创建方案、年度报表),及其日期。"],
        ["4. 请在第2行填写填报单位、填报人和填报日期;填好后按原文件返回(xlsx,不必改名)。"],
        [PRINT_AND_SORT],
    ]
    for line in lines:
        append_row(sheet, line)
    sheet["A1"].font = Font(bold=True, size=14)
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for letter, width in (("A", 10), ("B", 60), ("C", 30)):
        sheet.column_dimensions[letter].width = width
    _lay_out_guide(sheet)


# The guides' last requirement: printing and signing, and sorting (which the sheet's protection refuses).
PRINT_AND_SORT = (
    "5. 打印:A4 横向,每页重复表头和编号、名称等列,页脚有填报单位(盖章)、填报人、联系电话、填报日期,"
    "签字盖章后随表返回。需要排序时先在“审阅”中撤销工作表保护(无密码),排好后再保护工作表;"
    "收回时按编号对应各镇,行的顺序不影响。"
)
# What a county signs and seals on each printed page of its form (the page's footer).
SIGNATURE = "填报单位(盖章):                    填报人:              联系电话:                填报日期:"


def _print_form(sheet: Any, cols: list[Column], last: int, identity: int) -> None:
    """The form as a county prints, signs and seals it: every header whole (wrapped, its row as tall as
    its lines), borders on the header and the towns' rows, A4 landscape fitted to the page's width, the
    header row and the identity columns on every page, and the signature block at the foot of each."""
    from openpyxl.styles import Alignment, Border, Side
    from openpyxl.utils import get_column_letter

    from xiaozhen.sheets.xlsx import fit_rows

    line = Side(style="thin", color="808080")
    for row in sheet.iter_rows(min_row=HEADER_ROW, max_row=max(last, HEADER_ROW), max_col=len(cols)):
        for cell in row:
            cell.border = Border(left=line, right=line, top=line, bottom=line)
            if cell.row > HEADER_ROW:
                cell.alignment = Alignment(vertical="center")
    fit_rows(sheet, HEADER_ROW)
    _print_setup(sheet, orientation="landscape")
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.print_title_cols = f"A:{get_column_letter(identity)}"
    sheet.oddFooter.left.text = SIGNATURE
    sheet.oddFooter.left.size = 10
    sheet.oddFooter.right.text = "第 &P 页,共 &N 页"
    sheet.oddFooter.right.size = 10
    sheet.page_margins.left = sheet.page_margins.right = 0.4  # inches: the width for the columns
    sheet.page_margins.bottom = 1.0  # room for the signature above the paper's edge
    sheet.page_margins.footer = 0.4


def _lay_out_guide(sheet: Any) -> None:
    """A guide sheet as it reads and prints: a line of one cell spans the table's columns, every text is
    shown whole (wrapped, its row as tall as its lines), on A4 pages fitted to the width."""
    from openpyxl.styles import Alignment

    from xiaozhen.sheets.xlsx import fit_rows

    last = sheet.max_column
    for row in sheet.iter_rows(min_row=2):
        filled = [cell for cell in row if cell.value not in (None, "")]
        if len(filled) == 1 and filled[0].column == 1 and last > 1:
            sheet.merge_cells(start_row=row[0].row, start_column=1, end_row=row[0].row, end_column=last)
        for cell in filled:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    fit_rows(sheet, 2)
    _print_setup(sheet, orientation="portrait")


def _print_setup(sheet: Any, orientation: str) -> None:
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = orientation
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _norms_guide(book: Any, registry: Mapping[str, Any]) -> None:
    """What the national norms' form asks, rule by rule, with each rule's document, clause and bound."""
    from openpyxl.styles import Font

    from xiaozhen.model.schema import Rule
    from xiaozhen.model.terms import CHECKS
    from xiaozhen.rules.norms import bound_of, scope_of
    from xiaozhen.sheets.xlsx import append_row

    sheet = book.create_sheet(GUIDE_SHEET)
    append_row(sheet, ["填表说明"])
    append_row(sheet, ["依据:国家规范(各文件及其施行日期见下表),按文件所列指标填写本小镇的数据。"])
    append_row(sheet, [])
    append_row(sheet, ["文件", "条款", "指标", "要求(原则上者为原则性要求)"])
    for book_ in registry.get("rulebooks") or []:
        for rule in book_["rules"]:
            check = CHECKS.get(rule["check"])
            if check is None or check.kind in ("town", "list"):
                continue
            model = Rule.model_validate(rule)
            said = " ".join(p for p in (bound_of(model), scope_of(model), model.strength.value) if p)
            append_row(sheet, [book_["document"], rule["clause"], check.name, said])
    append_row(sheet, [])
    append_row(sheet, ["填写要求"])
    append_row(sheet, ["1. 灰色的编号、名称、市(州)、县列已锁定,请勿修改;其余单元格可直接填写或修改。"])
    append_row(
        sheet, ["2. 面积以平方公里、比例以百分比(如 35%)填写;是/否 可填 是、否、√、×;没有数据的留空。"]
    )
    append_row(
        sheet,
        [
            "3. 小镇类别按导则填写,如 文化旅游、体育运动、农业田园、三产融合、先进制造、科技创新、"
            "创意设计、数字经济。"
        ],
    )
    append_row(
        sheet, ["4. 资料来源:请写明每行数据出自的文件及其日期;请在第2行填写填报单位、填报人和填报日期。"]
    )
    append_row(sheet, [PRINT_AND_SORT])
    sheet["A1"].font = Font(bold=True, size=14)
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for letter, width in (("A", 22), ("B", 26), ("C", 26), ("D", 40)):
        sheet.column_dimensions[letter].width = width
    _lay_out_guide(sheet)


def _issued(
    book: Any,
    registry: Mapping[str, Any],
    towns: Sequence[Mapping[str, Any]],
    revision: str,
    conforms_to: Sequence[str],
    mark: str,
) -> None:
    from xiaozhen.sheets.xlsx import append_row

    sheet = book.create_sheet(ISSUED_SHEET)
    sheet.sheet_state = "veryHidden"  # not listed by Excel's or WPS's Unhide
    # Every value from the registry as text, never a formula: a name or a document beginning with =.
    append_row(sheet, [mark])
    append_row(sheet, ["document", registry["registry"]["document"]])
    append_row(sheet, ["revision", revision])
    append_row(sheet, ["conforms_to", json.dumps(list(conforms_to), ensure_ascii=False)])
    append_row(sheet, ["town", "name", "values"])
    for town in towns:
        values = json.dumps(issued_values(town, conforms_to), ensure_ascii=False)
        append_row(sheet, [town["id"], town["name"], values])
    # The record's seal: a change to it by hand (a value, a town, a row deleted) no longer matches, so that
    # collect never merges against a record it cannot trust. (It guards against slips, not forgery.)
    append_row(sheet, [SEAL, seal_of(list(sheet.iter_rows(min_row=2, values_only=True)))])
