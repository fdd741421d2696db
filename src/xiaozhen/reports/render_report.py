"""The yearly report in each format — JSON, Markdown, a self-contained HTML page, an Excel workbook — all
drawn from one computed report (report.py) and one list of its tables (`tables`), so that every format
shows the same numbers."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from xiaozhen.reports.render import md_cell, to_json
from xiaozhen.reports.report import SAMPLE
from xiaozhen.sheets.xlsx import Percent, write_sheet

# The report's figures, with the Chinese names its tables give them.
FIGURES = {
    "towns_start": "期初小镇",
    "creating_start": "期初创建中",
    "assessed": "参评",
    "passed": "达标",
    "failed": "不达标",
    "pass_rate": "达标率",
    "unassessed": "未参评",
    "exited": "退出",
    "designated": "认定",
    "advanced": "升级",
    "added": "新增",
    "renamed": "更名",
    "cleared": "清理",
    "creating_end": "期末创建中",
    "towns_end": "期末小镇",
}
OUTCOME_TITLES = {
    "passed": "达标小镇",
    "failed": "不达标小镇",
    "unassessed": "未参评小镇",
    "exited": "退出小镇",
    "designated": "认定为省级特色产业小镇",
    "advanced": "升级小镇",
    "added": "新增小镇",
    "renamed": "更名小镇",
    "cleared": "清理出清单的小镇",
}
# What a correction corrected, as the table of corrections says it.
CORRECTED = {"status": "退出或认定", "stage": "类别升级", "result": "评估结果"}
COVERAGE = {
    "leading_industry": "主导产业",
    "investment": "投资",
    "developer": "建设主体",
    "plan": "规划",
    "management": "管理机构",
}
# Colours of the charts' series; every bar also carries its number as text, so colour is never needed,
# in white or near-black, whichever stands out from its colour by WCAG AA's 4.5:1 (`ink`).
COLOURS = {
    "成长类": "#2f6f4e",
    "培育类": "#6aa84f",
    "规划类": "#b6d7a8",
    "达标": "#3d6fb6",
    "不达标": "#c9302c",
    "期初": "#9aa7b8",
    "期末": "#3d5a80",
    "小镇": "#3d6fb6",
}


@dataclass(frozen=True)
class Table:
    key: str  # a sheet's name in the workbook, an id in the page
    title: str
    headers: list[str]
    rows: list[list[Any]]
    note: str = ""  # how the table counts, where another table counts the same words another way
    keep: int = 0  # the column a narrow screen keeps in view as the table scrolls: the town's name


# The words a table shows for a total row (the report's data has none: a total is under a `total` key),
# and for a dimension: the declared totals' and the first column of a cross-table.
TOTAL = "合计"
DIMENSION_WORDS = {"total": TOTAL, "category": "类别", "town_type": "类型", "prefecture": "市(州)"}


def percent(share: float | None) -> Percent | str:
    """A share as the tables show it: a number with a percent format in a workbook, `66.7%` in text."""
    return "—" if share is None else Percent(share)


def tables(report: dict[str, Any]) -> list[Table]:
    """Every table of the report, in the order the report reads."""
    head = report["headline"]
    out = [
        Table(
            "概况",
            "主要数字",
            ["指标", "数值"],
            [[FIGURES[k], percent(head[k]) if k == "pass_rate" else head[k]] for k in FIGURES if k in head],
        ),
    ]
    compared = report.get("compared")
    if compared:
        rows = []
        for row in compared["rows"]:
            before, now = row["before"], row["now"]
            if row["figure"] == "pass_rate":
                change: Any = "—" if before is None or now is None else f"{(now - before) * 100:+.1f}个百分点"
                before, now = percent(before), percent(now)
            else:
                change = f"{now - before:+d}"
            rows.append([FIGURES[row["figure"]], before, now, change])
        year = report["year"]
        out.append(
            Table(
                "上年比较",
                f"与上年比较({compared['year']}年度)",
                ["指标", f"{compared['year']}年度", f"{year}年度", "增减"],
                rows,
            )
        )
    for key, title, label in (("by_prefecture", "按市(州)", "市(州)"), ("by_stage", "按类别(期末)", "类别")):
        section = report[key]
        field = "prefecture" if key == "by_prefecture" else "category"
        headers = [label, *(FIGURES[c] for c in section["columns"])]
        rows = [[r[field], *(r[c] for c in section["columns"])] for r in section["rows"]]
        rows.append([TOTAL, *(section["total"][c] for c in section["columns"])])
        note = (
            "按各镇期末所在类别归类：期初小镇、期初创建中也按期末类别计，升级的小镇计入新类别；"
            "按期初类别计的数字见“各类别小镇数”表。"
            if key == "by_stage"
            else ""
        )
        out.append(Table(title.replace("(", "").replace(")", ""), title, headers, rows, note))
    stages = report["stages"]
    out.append(
        Table(
            "类别变化",
            "各类别小镇数(不含退出)：期初与期末",
            ["类别", "期初", "期末"],
            [
                *([r["stage"], r["start"], r["end"]] for r in stages["rows"]),
                [TOTAL, stages["total"]["start"], stages["total"]["end"]],
            ],
            "期初按各镇期初（上年末）所在类别计，期末按期末所在类别计，均不含已退出的小镇。",
        )
    )
    out.append(
        Table(
            "升级",
            "类别变化明细",
            ["原类别", "新类别", "数量"],
            [[m["from"], m["to"], m["count"]] for m in stages["moves"]],
        )
    )
    scores = report["scores"]
    out.append(
        Table(
            "得分",
            "评估得分",
            ["统计", "值"],
            [
                ["记录得分", scores["count"]],
                ["平均", scores["mean"]],
                ["最低", scores["min"]],
                ["最高", scores["max"]],
            ],
        )
    )
    out.append(
        Table(
            "得分分布",
            "得分分布",
            ["分数段", "小镇数"],
            [[d["band"], d["count"]] for d in scores["distribution"]],
        )
    )
    for key, title in (
        ("stage_by_prefecture", "市(州)×类别(期末，不含退出)"),
        ("stage_by_status", "类别×状态(期末)"),
    ):
        cross = report[key]
        first = cross["by"][0]
        out.append(
            Table(
                "市州类别" if key == "stage_by_prefecture" else "类别状态",
                title,
                [DIMENSION_WORDS[first], *cross["columns"], TOTAL],
                [
                    [label, *(r[c] for c in cross["columns"]), r["total"]]
                    for label, r in [*((r[first], r) for r in cross["rows"]), (TOTAL, cross["total"])]
                ],
            )
        )
    declared_rows = [
        [b["batch"], DIMENSION_WORDS[r["dimension"]], r["value"] or TOTAL, r["declared"], r["listed"]]
        for b in report["declared"]
        for r in b["rows"]
    ]
    out.append(
        Table("公布总数", "各批次公布总数与名录", ["批次", "维度", "值", "公布", "名录"], declared_rows)
    )
    coverage = report["coverage"]
    out.append(
        Table(
            "数据覆盖",
            f"标准数据记录情况(未退出小镇 {coverage['towns']} 个)",
            ["数据", "已记录", "小镇数"],
            [[COVERAGE[k], n, coverage["towns"]] for k, n in coverage["recorded"].items()],
        )
    )
    listed = []
    for kind, title in OUTCOME_TITLES.items():
        for group in report["outcomes"][kind]:
            for town in group["towns"]:
                listed.append([title, group["prefecture"], town["id"], town["name"], _about(kind, town)])
    out.append(
        Table("名单", "小镇名单(按附件顺序)", ["结果", "市(州)", "编号", "小镇", "说明"], listed, keep=3)
    )
    out.append(
        Table(
            "更正",
            "更正记录(退出、认定的更正和评估结果的改记)",
            ["市(州)", "编号", "小镇", "更正", "原为", "改为", "理由", "文件"],
            _by_document(report["corrections"], CORRECTED),
            keep=2,
        )
    )
    out.append(
        Table(
            "清单审核",
            "清单审核结果(更名、清理，国办发〔2020〕33号(十))",
            ["市(州)", "编号", "小镇", "结果", "原为", "改为", "理由", "文件"],
            _by_document(report["list_review"], {"renamed": "更名", "cleared": "清理"}),
            keep=2,
        )
    )
    out.append(
        Table(
            "核查发现",
            "未达创建标准或国家规范的小镇(核查发现，期末)",
            ["市(州)", "编号", "小镇", "事项", "说明"],
            [
                [f["prefecture"], f["id"], f["name"], FINDING_TITLES.get(f["code"], f["code"]), f["message"]]
                for f in report["findings"]
            ],
            keep=2,
        )
    )
    return out


def _by_document(entries: list[dict[str, Any]], words: dict[str, str]) -> list[list[Any]]:
    """What the period changed by a document (a correction, a rename, a clearing), a row each: the town,
    what changed in `words`, from, to, the reason and the document."""
    return [
        [
            e["prefecture"],
            e["id"],
            e["name"],
            words[e["what"]],
            e["from"],
            e["to"],
            e["reason"] or "",
            e["document"] or "",
        ]
        for e in entries
    ]


# What each finding is about, as a 公文 names it (the JSON keeps the code).
FINDING_TITLES = {
    "single-industry": "一镇一主业",
    "plan-conformity": "规划符合性",
    "developer-ownership": "建设主体性质",
    "leading-industry-share": "主导产业投资占比",
    "missing-data": "数据缺失",
    "administrative-town": "建制镇命名",
    "national-norm": "国家规范指标",
    "list-cap": "清单数量",
}


def _about(kind: str, town: dict[str, Any]) -> str:
    if kind in ("passed", "failed"):
        return "" if town.get("score") is None else f"得分 {town['score']}"
    if kind in ("advanced", "renamed"):
        return f"{town['from']} → {town['to']}"
    return town.get("reason") or ""


# --- JSON and Markdown ---------------------------------------------------------------------------


def report_json(report: dict[str, Any]) -> str:
    return to_json(report)


def report_markdown(report: dict[str, Any]) -> str:
    lines = [f"# {md_cell(report['title'])}", "", md_cell(_period(report)), ""]
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

_CSS = """
:root { --ink: #1d2733; --muted: #5b6675; --line: #d5dbe3; }
* { box-sizing: border-box; }
body {
  font-family: "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", system-ui, sans-serif;
  color: var(--ink); margin: 0 auto; max-width: 60rem; padding: 1rem; line-height: 1.5;
}
h1 { font-size: 1.6rem; margin: 0.5rem 0; }
h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 2px solid var(--line); }
.meta { color: var(--muted); }
.figures {
  display: grid; grid-template-columns: repeat(auto-fill, minmax(8rem, 1fr)); gap: 0.5rem; padding: 0;
}
.figures li { list-style: none; border: 1px solid var(--line); border-radius: 6px; padding: 0.5rem; }
.figures b { display: block; font-size: 1.5rem; }
.scroll { overflow-x: auto; }
/* A wide table scrolls sideways on a phone with its key column (the prefecture, the stage, the town's
   name) in view. */
.scroll .keep { position: sticky; left: 0; background: #fff; }
.note { color: var(--muted); font-size: 0.8125rem; margin-top: -0.5rem; }
footer { margin-top: 2rem; border-top: 1px solid var(--line); color: var(--muted); font-size: 0.8125rem; }
footer p { margin: 0.2rem 0; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; font-size: 0.9rem; }
th, td { border: 1px solid var(--line); padding: 0.2rem 0.5rem; text-align: left; white-space: nowrap; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.total td { font-weight: bold; }
figure { margin: 1rem 0; }
.chart .row {
  display: grid; grid-template-columns: minmax(4.5rem, 9rem) 1fr 2rem; gap: 0.4rem; align-items: center;
  font-size: 0.8125rem; margin: 0.2rem 0;
}
.chart .label { text-align: right; }
.chart .track { display: flex; height: 1.3rem; }
.chart .bar {
  font-size: 0.75rem; line-height: 1.3rem; text-align: center; overflow: hidden; min-width: 1.6em;
  print-color-adjust: exact; -webkit-print-color-adjust: exact;
}
.chart .sum { font-variant-numeric: tabular-nums; }
.legend { font-size: 0.8125rem; margin-top: 0.3rem; }
.legend span { display: inline-block; margin-right: 1rem; }
.legend i {
  display: inline-block; width: 0.8rem; height: 0.8rem; margin-right: 0.3rem; vertical-align: middle;
}
@page { size: A4; margin: 15mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  h2 { break-after: avoid; }
  figure, table, footer, .pair { break-inside: avoid; }
  thead { display: table-header-group; }
  .scroll { overflow: visible; }
}
"""


_POLICY = "default-src 'none'; style-src 'unsafe-inline'"


def _period(report: dict[str, Any]) -> str:
    period = report["period"]
    return (
        f"评估年度 {report['year']}；统计期 {period['from']} 至 {period['to']}（期初为 {period['start']}）。"
    )


def footer(report: dict[str, Any]) -> list[str]:
    """The footer's lines, in every format: the data's date, the registry's revision, when the report was
    made, and the office that issued the notice."""
    about = report["about"]
    revision = about["revision"] or "—"
    commit, _, digest = revision.partition(" ")
    if digest:  # a commit and the file's hash: the commit shortened as git shows it
        revision = f"{commit[:12]}（{digest}）"
    made = about["generated"] or "—"
    if "T" in made:  # 2021-04-01T09:30:00+08:00 → 2021-04-01 09:30（北京时间）
        day, _, time = made.partition("T")
        offset = time[8:] or "+00:00"
        made = f"{day} {time[:5]}（{'北京时间' if offset == '+08:00' else 'UTC' + offset}）"
    sample = [f"{SAMPLE}：{about['sample']}"] if about.get("sample") else []
    return [
        *sample,
        f"数据截至：{about['data_as_of']}",
        f"名录版本：{revision}",
        f"生成时间：{made}",
        f"发布单位：{about['publisher']}",
        f"依据：{about['issuer']}{about['document']}",
    ]


def _figure(headline: dict[str, Any], key: str) -> str:
    return str(percent(headline[key])) if key == "pass_rate" else str(headline[key])


def report_html(report: dict[str, Any]) -> str:
    """One self-contained page: inline CSS and SVG, no script, nothing fetched (the page forbids it)."""
    e = html.escape
    head = report["headline"]
    parts = [
        "<!doctype html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        # Nothing may be fetched: no font, image or script from anywhere (the page is all there is).
        f'<meta http-equiv="Content-Security-Policy" content="{_POLICY}">',
        f"<title>{e(report['title'])}</title><style>{_CSS}</style></head><body>",
        f"<h1>{e(report['title'])}</h1>",
        f'<p class="meta">{e(_period(report))}</p>',
        '<ul class="figures">',
        *(
            f'<li>{e(FIGURES[k])}<b data-figure="{k}">{e(_figure(head, k))}</b></li>'
            for k in FIGURES
            if k in head
        ),
        "</ul>",
    ]
    by_prefecture = report["by_prefecture"]["rows"]
    stage_rows = report["stage_by_prefecture"]["rows"]
    charts = [
        (
            "stage-by-prefecture",
            "各市(州)小镇类别(期末，不含退出)",
            "市州类别",
            [
                (r["prefecture"], [(s, r[s]) for s in report["stage_by_prefecture"]["columns"]])
                for r in stage_rows
            ],
        ),
        (
            "outcomes-by-prefecture",
            f"{report['year']}年度评估结果(按市州)",
            "按市州",
            [
                (r["prefecture"], [("达标", r["passed"]), ("不达标", r["failed"])])
                for r in by_prefecture
                if r["passed"] + r["failed"]
            ],
        ),
        ("stages", "各类别小镇数：期初与期末", "类别变化", _start_and_end(report["stages"]["rows"])),
        (
            "scores",
            "评估得分分布",
            "得分分布",
            [(d["band"], [("小镇", d["count"])]) for d in report["scores"]["distribution"]],
        ),
    ]
    tables_by_key = {t.key: t for t in tables(report)}
    placed = {"概况"}  # the figures above say the headline once
    for chart_id, title, table_key, rows in charts:
        # a chart and its table printed on one page
        parts.append(f'<section class="pair"><h2>{e(title)}</h2>')
        parts.append(_chart(chart_id, title, rows))
        parts.append(_html_table(tables_by_key[table_key]) + "</section>")
        placed.add(table_key)
    for table in tables(report):
        if table.key not in placed:
            parts += [f"<h2>{e(table.title)}</h2>", _html_table(table)]
    parts.append("<footer>" + "".join(f"<p>{e(line)}</p>" for line in footer(report)) + "</footer>")
    parts.append("</body></html>\n")
    return "\n".join(parts)


def _start_and_end(rows: list[dict[str, Any]]) -> list[tuple[str, list[tuple[str, int]]]]:
    """Two bars a stage, one above the other: its towns at the start and at the end of the period."""
    bars: list[tuple[str, list[tuple[str, int]]]] = []
    for row in rows:
        bars += [
            (f"{row['stage']} 期初", [("期初", row["start"])]),
            (f"{row['stage']} 期末", [("期末", row["end"])]),
        ]
    return bars


def _html_table(table: Table) -> str:
    e = html.escape
    if not table.rows:
        return "<p>（无）</p>"
    out = [f'<div class="scroll"><table data-table="{e(table.key)}"><thead><tr>']
    out += [f"<th{_keep(table, i)}>{e(h)}</th>" for i, h in enumerate(table.headers)]
    out.append("</tr></thead><tbody>")
    for row in table.rows:
        total = ' class="total"' if row and row[0] == TOTAL else ""
        cells = "".join(
            f'<td class="n{" keep" if i == table.keep else ""}">{e(str(v))}</td>'
            if isinstance(v, int | float)
            else f"<td{_keep(table, i)}>{e('' if v is None else str(v))}</td>"
            for i, v in enumerate(row)
        )
        out.append(f"<tr{total}>{cells}</tr>")
    out.append("</tbody></table></div>")
    if table.note:
        out.append(f'<p class="note">注：{e(table.note)}</p>')
    return "".join(out)


def contrast(one: str, other: str) -> float:
    """WCAG 2's contrast ratio of two #rrggbb colours."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def ink(background: str) -> str:
    """White or near-black text on a bar's colour, whichever stands out more."""
    return max(("#ffffff", "#1d2733"), key=lambda text: contrast(text, background))


def _keep(table: Table, column: int) -> str:
    return ' class="keep"' if column == table.keep else ""


def _chart(chart_id: str, title: str, rows: Sequence[tuple[str, Sequence[tuple[str, int]]]]) -> str:
    """Horizontal bars, stacked by series, drawn in HTML rather than SVG so that their words stay at the
    page's text size on a phone (an SVG scaled to a 390 px screen shrinks its labels to 7 px): a row a
    category, its label, its bars as widths of the longest row, each segment's count on it, and the row's
    total. The figures are in data- attributes; a legend names the series in words."""
    e = html.escape
    widest = max((sum(v for _, v in series) for _, series in rows), default=0) or 1
    out = [f'<figure class="chart" role="img" aria-label="{e(title)}" data-chart="{chart_id}">']
    names: list[str] = []
    for label, series in rows:
        out.append(f'<div class="row"><span class="label">{e(label)}</span><span class="track">')
        for name, value in series:
            if name not in names:
                names.append(name)
            share = 100 * value / widest
            # Every segment carries its count: it is at least wide enough for two digits (min-width), in
            # ink that stands out from its colour by WCAG AA's 4.5:1. A count of 0 has no segment.
            colour = COLOURS.get(name, "#888888")
            width = f"width:{share:.2f}%" if value else "width:0;min-width:0"
            out.append(
                f'<span class="bar" style="{width};background:{colour};color:{ink(colour)}" '
                f'data-row="{e(label)}" data-series="{e(name)}" data-value="{value}" '
                f'title="{e(label)} {e(name)}: {value}">{value or ""}</span>'
            )
        out.append(f'</span><span class="sum">{sum(v for _, v in series)}</span></div>')
    legend = "".join(f'<span><i style="background:{COLOURS.get(n, "#888")}"></i>{e(n)}</span>' for n in names)
    out.append(f'<figcaption class="legend">{legend}</figcaption></figure>')
    return "".join(out)


# --- xlsx ----------------------------------------------------------------------------------------


def report_xlsx(report: dict[str, Any], path: Any) -> None:
    """A sheet a table (write_sheet), with native Excel charts an analyst can restyle: stage by prefecture
    (stacked), results by prefecture (stacked), stages at the start and end, the score distribution."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    title_sheet = book.create_sheet("报告")
    title_sheet.append([report["title"]])
    title_sheet["A1"].font = Font(bold=True, size=14)
    title_sheet.append([_period(report)])
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
