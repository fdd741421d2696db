"""The yearly report as one list of tables (`tables`) with its period and footer: what every format
(render_report, report_html, report_docx) draws, so that each shows the same numbers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from xiaozhen.reports.report import SAMPLE
from xiaozhen.reports.report_layout import YearlyReport
from xiaozhen.sheets.xlsx import Percent

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


def tables(report: YearlyReport) -> list[Table]:
    """Every table of the report, in the order the report reads."""
    # Read by the names of their tables' rows and columns, which the layout's keys are.
    head: Mapping[str, Any] = report["headline"]
    sections: Mapping[str, Any] = report
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
        compared_rows: Sequence[Mapping[str, Any]] = compared["rows"]
        for row in compared_rows:
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
        section = sections[key]
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
        cross = sections[key]
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
        for group in sections["outcomes"][kind]:
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


def _by_document(entries: Sequence[Mapping[str, Any]], words: dict[str, str]) -> list[list[Any]]:
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


def period(report: YearlyReport) -> str:
    period = report["period"]
    return (
        f"评估年度 {report['year']}；统计期 {period['from']} 至 {period['to']}（期初为 {period['start']}）。"
    )


def footer(report: YearlyReport) -> list[str]:
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
