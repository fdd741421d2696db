"""The fill-in workbook the office sends to the prefectures and counties for the towns' standards data
(一), and reading it back as WPS and Excel return it.

A form holds one row a town: its identity (id, name, prefecture, county) locked, one column a standards
field, one 是/否 column for each plan a town's plan must conform to, and 资料来源 (where the values come
from). A very hidden sheet keeps what the form was issued from: the registry's revision and each town's
values as issued. Reading it back, a cell the filler left as issued records nothing; a value the registry
changed meanwhile that the filler changed too is a conflict. Nothing here reads or writes the registry.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from xiaozhen.errors import ItemsRefused
from xiaozhen.i18n import _, ngettext
from xiaozhen.imports import (
    fold,
    folded_heading,
)  # a spreadsheet's cells and headings, read as imports read them
from xiaozhen.limits import clipped, line_refusal, whole_number
from xiaozhen.terms import NO, YES
from xiaozhen.workbooks import Sheet, column_name

FORM_SHEET = "填报表"
APPLICATIONS_SHEET = "申报表"
GUIDE_SHEET = "填表说明"
ISSUED_SHEET = "issued"  # very hidden: what the form was issued from
MARK = "xiaozhen form 1"  # the issued sheet's A1: a form of this layout
APPLICATIONS_MARK = "xiaozhen applications 1"  # the same, of an applications form
MARKS = (MARK, APPLICATIONS_MARK)
HEADER_ROW = 4  # title, 填报单位/填报人/填报日期, a blank row, then the header


@dataclass(frozen=True)
class Column:
    key: str  # a dotted registry key, an identity key (id, name, prefecture, county), conforms:PLAN, source
    header: str
    kind: str  # identity, text, amount, date, term, yesno, source
    width: int = 16
    spellings: tuple[str, ...] = ()  # other headers a returned form may have for it


IDENTITY = (
    Column("id", "编号", "identity", 5, ("id", "序号编号")),
    Column("name", "小镇名称", "identity", 18, ("名称", "小镇", "特色产业小镇名称", "town", "name")),
    Column("prefecture", "市(州)", "identity", 8, ("市州", "市", "所在市(州)")),
    Column("county", "县(市、区)", "identity", 9, ("县(市)", "县市", "县", "县(市区)")),
)


# The closed sets an applicant's listing is chosen from (terms.py), for the form's drop-downs.
def _terms() -> dict[str, list[str]]:
    from xiaozhen.terms import Category, Prefecture, TownType

    return {"prefecture": list(Prefecture), "category": list(Category), "town_type": list(TownType)}


LISTING_TERMS = _terms()

# An applicant's listing, as the applications form asks for it (二(一)): every cell is filled in.
APPLICANT = (
    Column("name", "小镇名称", "listing", 18, ("名称", "申报小镇名称", "小镇", "town", "name")),
    Column("prefecture", "市(州)", "listing", 8, ("市州", "市", "所在市(州)")),
    Column("county", "县(市、区)", "listing", 9, ("县(市)", "县市", "县", "县(市区)")),
    Column("category", "申报类别", "listing", 8, ("类别", "创建类别", "申报类型")),
    Column("town_type", "建制镇/非建制镇", "listing", 9, ("镇类型", "是否建制镇", "建制镇或非建制镇")),
)


# The investment (一(四)), which the 导则's share reads too.
INVESTMENT = (
    Column("investment.total", "总投资(亿元)", "amount", 9, ("总投资", "项目总投资", "计划总投资")),
    Column(
        "investment.leading_industry",
        "主导产业投资(亿元, 不含商品住宅和商业综合体)",
        "amount",
        11,
        ("主导产业投资", "主导产业投资额", "特色产业投资"),
    ),
)


def norms_columns() -> list[Column]:
    """The data the national norms judge (terms.CHECKS), a column each, headed as the documents word it:
    the town's class, each indicator, and the investment its leading-industry share is computed from."""
    from xiaozhen.fields import NORMS_NAMES
    from xiaozhen.terms import CHECKS, INDICATORS

    return [
        Column("industry_class", NORMS_NAMES["industry_class"], "text", 8, ("小镇类别(导则)", "产业类别")),
        *INVESTMENT,
        *(
            Column(
                f"indicators.{key}",
                NORMS_NAMES[f"indicators.{key}"],
                "flag" if CHECKS[key].kind == "flag" else "measure",
                9,
                (CHECKS[key].name,),
            )
            for key in INDICATORS
        ),
    ]


def columns(
    conforms_to: Sequence[str], *, applicants: bool = False, norms: bool | None = False
) -> list[Column]:
    """The form's columns for a registry whose plans must conform to `conforms_to`; an applications
    form's begin with the applicant's listing instead of a listed town's identity. A form of the national
    norms' data (`norms`) asks for that data instead of the notice's standards; `norms=None` is every
    column either form may hold, as a returned form is read."""
    data = [
        Column("leading_industry", "主导产业", "text", 12, ("主导产业名称",)),
        *INVESTMENT,
        Column("developer.name", "建设主体", "text", 14, ("建设主体名称", "投资主体", "开发主体")),
        Column("developer.ownership", "建设主体性质", "term", 10, ("投资主体性质", "企业性质", "主体性质")),
        Column("plan.title", "规划名称", "text", 14, ("规划", "创建规划")),
        Column("plan.approved", "规划批准日期", "date", 11, ("批准日期", "规划批复日期")),
        *(Column(f"conforms:{plan}", f"符合{plan}", "yesno", 6, (plan,)) for plan in conforms_to),
        Column("management", "管理机构", "text", 12, ("管理主体", "运营管理机构")),
    ]
    if norms is None:  # either form's columns, each once
        chosen = data + [c for c in norms_columns() if c not in INVESTMENT]
    else:
        chosen = norms_columns() if norms else data
    source = Column("source", "资料来源", "source", 14, ("数据来源", "来源", "资料出处"))
    return [*(APPLICANT if applicants else IDENTITY), *chosen, source]


# --- writing -------------------------------------------------------------------------------------


def issued_values(town: Mapping[str, Any], conforms_to: Sequence[str]) -> dict[str, Any]:
    """A town's values as a form shows them: one per column (None where empty), JSON-ready."""
    from xiaozhen.fields import field_value

    values: dict[str, Any] = {}
    for column in columns(conforms_to, norms=None):
        if column.kind in ("identity", "source"):
            continue
        if column.kind == "yesno":
            plan = column.key.removeprefix("conforms:")
            recorded = field_value(town, "plan.conforms_to")
            values[column.key] = None if not recorded else plan in recorded
        else:
            value = field_value(town, column.key)
            values[column.key] = _plain_json(value)
    return values


def _plain_json(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


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

    from xiaozhen.render import append_row

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
                cell.number_format = "0.0%" if _is_share(column) else "0.####"
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
            share = _is_share(column)
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

    from xiaozhen.render import append_row

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

    from xiaozhen.render import fit_rows

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

    from xiaozhen.render import fit_rows

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

    from xiaozhen.model import Rule
    from xiaozhen.norms import bound_of, scope_of
    from xiaozhen.render import append_row
    from xiaozhen.terms import CHECKS

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
    from xiaozhen.render import append_row

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
    append_row(sheet, [SEAL, _seal(list(sheet.iter_rows(min_row=2, values_only=True)))])


SEAL = "seal"


def _seal(rows: Sequence[Sequence[Any]]) -> str:
    """The digest of the record's rows after its mark, each cell as text (a whole number as Excel and
    calamine may read it back, 7 or 7.0, written 7)."""
    import hashlib

    def text(value: Any) -> str:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return "" if value is None else str(value)

    lines = ["\t".join(text(v) for v in row[:3]) for row in rows if any(v not in (None, "") for v in row)]
    return "sha256:" + hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


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
class FormProblem:
    where: str  # file, sheet and cell (or row)
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class ReadForms:
    rows: list[Returned] = field(default_factory=list)
    problems: list[FormProblem] = field(default_factory=list)
    document: str | None = None


class FormsRefused(ItemsRefused):
    """Returned forms have cells that cannot be recorded; none is."""

    def __init__(self, problems: list[FormProblem]) -> None:
        super().__init__(
            ngettext(
                "{n} problem in the returned forms; nothing was written",
                "{n} problems in the returned forms; nothing was written",
                len(problems),
            ).format(n=f"{len(problems):,}"),
            problems,
        )


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
    from xiaozhen.imports import read_table
    from xiaozhen.limits import MAX_SPREADSHEET_BYTES
    from xiaozhen.workbooks import read_workbook

    raw = read_regular(path, MAX_SPREADSHEET_BYTES, what)
    if not (raw.startswith(b"PK") or path.suffix.lower() in (".xlsx", ".xlsm")):
        return Sheets(path.name, [("", [cells for _, cells in read_table(path).rows])])
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
    if len(sealed) != 1 or len(sealed[0]) < 2 or sealed[0][1] != _seal(kept):
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


def _is_share(column: Column) -> bool:
    from xiaozhen.terms import CHECKS

    return CHECKS[column.key.removeprefix("indicators.")].kind == "share"


def _measure(column: Column, value: Any) -> int | float:
    """A quantity of the national norms in its column's unit (3.2, 3.2平方公里, 35%, 0.35, 2600人)."""
    from xiaozhen.terms import CHECKS, parse_measure

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
    return int(number) if number == number.to_integral_value() else float(number)


def _amount(value: Any, heading: str) -> int | float:
    """An amount in 亿元: a number, or text with its unit (30亿元, 2,000万元); a column headed in 万元 is
    converted exactly."""
    from xiaozhen.terms import parse_amount

    if isinstance(value, bool):
        raise ValueError(_("'{value}' is not an amount").format(value=value))
    if isinstance(value, float):  # as Excel stored it, written out in full (1e-05 is 0.00001)
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(_("'{value}' is not an amount").format(value=value))
        value = format(Decimal(repr(value)), "f")
    number = parse_amount(
        str(value) if isinstance(value, int) else fold(value), "万元" if "万" in heading else "亿元"
    )
    return int(number) if number == number.to_integral_value() else float(number)


def _date(value: Any) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not 1 <= value < 2958466:  # Excel's serial days, 1900-01-01 to 9999-12-31
            raise ValueError(_("'{value}' is not a date").format(value=value))
        return (_EXCEL_EPOCH + timedelta(days=int(value))).isoformat()
    from xiaozhen.terms import DATE_FORMS, parse_date

    text = fold(value)
    try:
        return parse_date(text).isoformat()
    except ValueError:
        raise ValueError(
            _("'{text}' is not a date ({forms})").format(text=text, forms=_(DATE_FORMS))
        ) from None


@dataclass
class Planned:
    """What a returned form records for one town: the settings, their cells, and where they come from."""

    town: int
    settings: list[tuple[str, Any]]
    cells: dict[str, str]  # key → the cell it was read from
    source: str
    filled_by: str | None


def plan(
    read: ReadForms,
    towns: Mapping[int, Mapping[str, Any]],
    conforms_to: Sequence[str],
    prefer: str | None = None,
    document: str | None = None,
    place: tuple[str, set[int]] | None = None,
) -> tuple[list[Planned], list[FormProblem]]:
    """What the returned rows record, town by town: only what the filler changed; a value the registry
    changed after the form was issued and the filler changed too is a conflict, recorded only as
    `prefer` says ("form" or "registry"). `towns` are the registry's records by id. `place` is where the
    forms come from and the ids of its towns: a row for any other town is refused. A CSV keeps no record
    of the towns it was issued for, so it is read only with a place."""
    from xiaozhen.history import same

    problems = list(read.problems)
    if place is None:
        for file in dict.fromkeys(row.file for row in read.rows if row.issued is None):
            problems.append(
                FormProblem(
                    file,
                    _(
                        "a CSV keeps no record of the towns its form was issued for: say where it comes "
                        "from with --prefecture or --county, and only that place's towns are recorded"
                    ),
                )
            )
    if document is not None and read.document is not None and read.document != document:
        problems.append(
            FormProblem(
                _("the forms"),
                _("issued from a registry of {document}, not this one ({document2})").format(
                    document=read.document, document2=document
                ),
            )
        )
        return [], problems
    planned: dict[int, Planned] = {}
    seen: dict[tuple[int, str], tuple[Any, str]] = {}
    for row in read.rows:
        town = towns.get(row.town)
        if town is None:
            problems.append(FormProblem(row.id_cell, _("no town has id {town}").format(town=row.town)))
            continue
        if place is not None and row.town not in place[1]:
            problems.append(
                FormProblem(
                    row.id_cell,
                    _(
                        "town {town} ({name}, {county}) is not in {place}: a form changes only its own towns"
                    ).format(town=row.town, name=town["name"], county=town["county"], place=place[0]),
                )
            )
            continue
        if row.name and row.name != town["name"]:
            problems.append(
                FormProblem(
                    row.name_cell,
                    _(
                        "小镇名称 is '{name}', but town {town} is {name2}: the locked identity columns were "
                        "edited; return the form as it was issued"
                    ).format(name=row.name, town=row.town, name2=town["name"]),
                )
            )
            continue
        current = issued_values(town, conforms_to)
        values = _with_conformity(row.values, conforms_to)
        issued = (
            _with_conformity({k: (v, "") for k, v in row.issued.items()}, conforms_to) if row.issued else None
        )
        for key, (value, cell) in values.items():
            now = _grouped(current, key, conforms_to)
            if issued is not None:
                before = issued.get(key, (None, ""))[0]
                if same(value, before):
                    continue  # left as issued
                if not same(now, before) and not same(now, value):
                    if prefer == "registry":
                        continue
                    if prefer != "form":
                        problems.append(
                            FormProblem(
                                cell,
                                _(
                                    "{key}: the form was issued with {said}, the registry has {said2} "
                                    "since, and the form says {said3}: pass --prefer form or --prefer "
                                    "registry"
                                ).format(key=key, said=_said(before), said2=_said(now), said3=_said(value)),
                            )
                        )
                        continue
            elif value is None:
                continue  # not given (a form without its record of what was issued)
            if same(value, now):
                continue
            other = seen.get((row.town, key))
            if other is not None and not same(other[0], value):
                problems.append(
                    FormProblem(
                        cell,
                        _("{key}: {said} here, {said2} at {value}: keep one").format(
                            key=key, said=_said(value), said2=_said(other[0]), value=other[1]
                        ),
                    )
                )
                continue
            seen[(row.town, key)] = (value, cell)
            if key == "plan.approved" and value is not None:
                value = date.fromisoformat(value)
            cells = {k: c for k, (_, c) in values.items()}  # every column of the row: where a rule points
            entry = planned.setdefault(
                row.town, Planned(row.town, [], cells, row.source or f"{row.file} (填报表)", row.filled_by)
            )
            entry.settings.append((key, value))
    return list(planned.values()), problems


def _with_conformity(
    values: Mapping[str, tuple[Any, str]], conforms_to: Sequence[str]
) -> dict[str, tuple[Any, str]]:
    """The values with the 是/否 columns as one plan.conforms_to list (None when none is filled)."""
    out = {k: v for k, v in values.items() if not k.startswith("conforms:")}
    marks = [(plan, values[f"conforms:{plan}"]) for plan in conforms_to if f"conforms:{plan}" in values]
    if marks:
        filled = [(plan, mark) for plan, mark in marks if mark[0] is not None]
        # A problem with the plans is named at the first 否 (else the first left empty): where the filler
        # said what the finding is about.
        said_no = [cell for _, (value, cell) in marks if value is False]
        empty = [cell for _, (value, cell) in marks if value is None]
        cell = (said_no or empty or [marks[0][1][1]])[0]
        out["plan.conforms_to"] = ([plan for plan, mark in filled if mark[0]] if filled else None, cell)
    return out


def _grouped(current: Mapping[str, Any], key: str, conforms_to: Sequence[str]) -> Any:
    if key != "plan.conforms_to":
        return current.get(key)
    marks = [current.get(f"conforms:{plan}") for plan in conforms_to]
    return (
        None if all(m is None for m in marks) else [p for p, m in zip(conforms_to, marks, strict=True) if m]
    )


def _said(value: Any) -> str:
    from xiaozhen.fields import shown

    return shown(value)


def cell_of(problem_path: str | None, towns: Sequence[int], planned: Sequence[Planned]) -> str | None:
    """The cell a rule's problem (at `towns[i].key…`) is about, where the returned forms set it."""
    match = re.match(r"^towns\[(\d+)\]\.?(.*)$", problem_path or "")
    if not match or int(match.group(1)) >= len(towns):
        return None
    town, path = towns[int(match.group(1))], match.group(2)
    for entry in planned:
        if entry.town == town:
            # The key itself, else a key inside it (investment → investment.total), else one of its group.
            for keys in (
                [k for k in entry.cells if k == path],
                [k for k in entry.cells if k.startswith(path + ".")],
                [k for k in entry.cells if k.split(".")[0] == path.split(".")[0]],
            ):
                if keys:
                    return entry.cells[keys[0]]
            return next(iter(entry.cells.values()), None)
    return None


def half_filled(entry: Planned, missing: str, conforms_to: Sequence[str]) -> FormProblem:
    """A group the filler filled half of (总投资 without 主导产业投资), at the empty cell, in the form's
    column words."""
    headers = {c.key: c.header for c in columns(conforms_to, norms=None)}
    group = missing.split(".")[0]
    given = [k for k, _ in entry.settings if k.startswith(group + ".")]
    at = entry.cells.get(missing) or entry.cells.get(given[0] if given else "", "") or entry.source
    return FormProblem(
        at,
        _("{missing} is empty, and {given} needs it: fill both, or leave both empty").format(
            missing=headers.get(missing, missing),
            given="、".join(headers.get(k, k) for k in given) or group,
        ),
    )
