"""The yearly report as a self-contained HTML page: its tables, a bar chart beside each that has one
(each bar's number in an ink that meets WCAG AA on its colour), printable, and nothing fetched."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

from xiaozhen.reports.report_layout import YearlyReport
from xiaozhen.reports.report_tables import FIGURES, TOTAL, Table, footer, percent, period, tables

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


def _figure(headline: Mapping[str, Any], key: str) -> str:
    return str(percent(headline[key])) if key == "pass_rate" else str(headline[key])


def report_html(report: YearlyReport) -> str:
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
        f'<p class="meta">{e(period(report))}</p>',
        '<ul class="figures">',
        *(
            f'<li>{e(FIGURES[k])}<b data-figure="{k}">{e(_figure(head, k))}</b></li>'
            for k in FIGURES
            if k in head
        ),
        "</ul>",
    ]
    by_prefecture = report["by_prefecture"]["rows"]
    stage_rows: Sequence[Mapping[str, Any]] = report["stage_by_prefecture"]["rows"]
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


def _start_and_end(rows: Sequence[Mapping[str, Any]]) -> list[tuple[str, list[tuple[str, int]]]]:
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
