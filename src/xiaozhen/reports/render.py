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
from typing import TYPE_CHECKING, Any

from xiaozhen.i18n import N_, _, ngettext
from xiaozhen.limits import escaped, printable
from xiaozhen.model.fields import NAMES, NORMS_NAMES, field_value, plain_number
from xiaozhen.model.terms import CHECKS, INDICATORS
from xiaozhen.sheets.xlsx import Percent, write_sheet

if TYPE_CHECKING:
    from xiaozhen.actions.query import Tally

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
        return plain_number(value)
    if isinstance(value, list):
        return "、".join(str(cell(v)) for v in value)
    return value


def flat(town: dict[str, Any]) -> dict[str, Any]:
    """A town's record as one row of the COLUMNS."""
    from xiaozhen.model.fields import field_value

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


SOURCE_COLUMNS = ["编号", "名称", "字段", "值", "记录日期", "资料来源", "填报单位/填报人"]


def source_rows(towns: Sequence[Any]) -> list[list[Any]]:
    """Each recorded standards value with the date and source it was recorded with (history.provenance)."""
    from xiaozhen.model.fields import field_value
    from xiaozhen.model.history import provenance

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


# --- terminal (rich) -----------------------------------------------------------------------------


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


def by_kind(changes: Sequence[Any]) -> list[tuple[str, list[Any]]]:
    from xiaozhen.actions.changes import KINDS

    return [
        (kind, [c for c in changes if c.kind == kind])
        for kind in KINDS
        if any(c.kind == kind for c in changes)
    ]


def heading(kind: str, count: int) -> str:
    from xiaozhen.actions.changes import KINDS, REVIEW

    chinese, english = KINDS[kind]
    if kind == "corrected":
        review = _(" — review: each corrects what was recorded, with its reason and document")
    else:
        review = _(" — review: the procedure never does this") if kind in REVIEW else ""
    # English: 类别升级 stage moves (1); Chinese: 类别升级（1）
    return _("{chinese} {english} ({count})").format(chinese=chinese, english=english, count=count) + review


def changes_markdown(changes: Sequence[Any], old: str, new: str) -> str:
    """The changes for a pull-request comment or a job summary: a heading, then a table a kind."""
    from xiaozhen.actions.changes import describe

    title = _("特色产业小镇名录变化 registry changes")
    lines = [f"## {title}: {_md_code(old)} → {_md_code(new)}", ""]
    if not changes:
        return "\n".join([*lines, _("No changes."), ""])
    review = sum(c.review for c in changes)
    summary = ngettext("{n} change", "{n} changes", len(changes)).format(n=len(changes))
    summary += _(", **{review} to review**").format(review=review) if review else ""
    lines += [summary, ""]
    change_ = _("变化 change")  # (outside the f-strings: Babel does not look into them)
    for kind, group in by_kind(changes):
        lines += [f"### {md_cell(heading(kind, len(group)))}", ""]
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
