"""Datasette's metadata for the SQLite export: each table and column titled and described in Chinese, the
source and licence named, so that a person browsing `xiaozhen serve` reads the notice's terms.

Datasette shows a database's tables with their SQL names; its metadata (docs.datasette.io, "Metadata")
gives each table a Chinese title and each column its Chinese label as the column's description, says
where the data comes from, and opens the towns table faceted as the notice counts them."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from xiaozhen.reports.database import SCHEMA

# Each table: its title, what a row is, its own column labels, and the facets it opens with.
TABLES: dict[str, tuple[str, str, dict[str, str], list[str]]] = {
    "towns": (
        "小镇",
        "每行一个小镇：附件名单所列各项，以及已记录的创建标准数据",
        {"category": "类别（现在）"},
        ["prefecture", "category", "town_type", "status"],
    ),
    "assessments": (
        "年度评估",
        "每行一个小镇一年的第三方评估结果（五(二)）",
        {"date": "评估日期"},
        ["year", "result"],
    ),
    "history": (
        "变更记录",
        "每行一条变更，按日期",
        {
            "position": "序号（该镇第几条）",
            "event": "事件：added 列入、advanced 晋级、assessed 评估、exited 退出、designated 认定、"
            "corrected 更正、updated 更新、renamed 更名、cleared 清理",
            "from_value": "原值",
            "to_value": "新值",
            "note": "说明",
            "source": "资料来源",
            "filled_by": "填报单位/填报人",
        },
        ["event"],
    ),
    "indicators": (
        "国家规范指标",
        "每行一个小镇已记录的一项指标（国办发〔2020〕33号、发改规划〔2021〕1383号）",
        {
            "key": "指标（名录中的键）",
            "name": "指标",
            "value": "值（比例 0 至 1；是 1，否 0）",
            "unit": "单位",
        },
        ["key"],
    ),
    "rulebooks": (
        "规则文件",
        "通知之后施行的文件，各自的施行日期",
        {
            "document": "文号",
            "title": "标题",
            "issuer": "发文机关",
            "in_force": "施行日期",
            "note": "说明（含未核实之处）",
        },
        [],
    ),
    "rules": (
        "规则",
        "每行规则文件中的一条规则",
        {
            "document": "文号",
            "position": "序号",
            "check": "核查项",
            "clause": "条款",
            "strength": "约束或原则上",
            "min": "下限",
            "max": "上限",
            "only_for": "仅适用的小镇类别",
            "higher_for": "上限可放宽的小镇类别",
            "below": "人均地区生产总值低于（美元）",
            "text": "原文",
            "note": "说明",
        },
        ["document", "strength"],
    ),
    "stages": ("类别", "三类小镇，按通知三的顺序", {"name": "类别"}, []),
    "prefectures": ("市(州)", "附件名单的各标题，按附件顺序", {"name": "市(州)"}, []),
    "standards": (
        "创建标准",
        "规则所用的标准及其出处条款",
        {"key": "标准", "clause": "条款", "value": "值（JSON）"},
        [],
    ),
    "declared": (
        "公布的数量",
        "通知公布的各批次数量，validate 据此核对名单",
        {
            "dimension": "维度：total 合计、category 类别、town_type 镇类型、prefecture 市(州)",
            "value": "值",
            "count": "数量",
        },
        ["batch", "dimension"],
    ),
    "towns_by_prefecture_and_stage": ("各市(州)各类别小镇数", "未退出的小镇", {}, []),
    "results_by_year": (
        "各年度评估结果",
        "每年评估、达标、不达标的小镇数，达标率和平均分",
        {
            "assessed": "评估数",
            "passed": "达标数",
            "failed": "不达标数",
            "pass_rate": "达标率",
            "mean_score": "平均分",
        },
        [],
    ),
    "latest_results": ("各镇最近一次评估", "每个小镇最近一年的评估结果", {}, []),
    "exited_towns": ("已退出的小镇", "退出的日期和原因", {"date": "退出日期"}, []),
    "designated_towns": ("已认定的省级特色产业小镇", "认定日期（五(三)）", {"date": "认定日期"}, []),
}

# Each column's label, by its name; a table's own labels (below) come first.
COLUMNS = {
    "id": "编号（附件序号）",
    "name": "名称",
    "prefecture": "市(州)",
    "county": "县(市、区)",
    "category": "类别",
    "listed_category": "列入时的类别",
    "town_type": "建制镇/非建制镇",
    "status": "状态（创建中/已认定/已退出）",
    "batch": "批次",
    "leading_industry": "主导产业",
    "investment_total": "总投资（亿元）",
    "investment_leading_industry": "主导产业投资（亿元）",
    "leading_share": "主导产业投资占总投资的比例",
    "developer_name": "建设主体",
    "developer_ownership": "建设主体类型",
    "plan_title": "规划名称",
    "plan_approved": "规划批准日期",
    "plan_conforms_to": "规划符合的规划和规定",
    "management": "管理机构",
    "industry_class": "小镇类别（导则分类）",
    "town_id": "小镇",
    "year": "评估年度",
    "result": "评估结果（达标/不达标）",
    "score": "得分",
    "assessor": "评估机构",
    "date": "日期",
    "note": "备注",
    "position": "顺序",
    "towns": "小镇数",
    "reason": "退出原因",
}


# The licence Datasette shows: what the data is, in the words of the law that decides its status.
LICENSE = "国家机关的行政性质文件，不适用著作权法（《中华人民共和国著作权法》第五条）"


def datasette_metadata(registry: dict[str, Any], database: str) -> dict[str, Any]:
    """Datasette's metadata for the database named `database` (its file name without the suffix)."""
    provenance = registry["registry"]
    source = f"{provenance['issuer']}《{provenance['title']}》（{provenance['document']}）及其附件"
    layout = sqlite3.connect(":memory:")  # the columns as SCHEMA makes them, so that none goes unlabelled
    try:
        layout.executescript(SCHEMA)
        columns_of = {
            name: [column for _, column, *_ in layout.execute(f"PRAGMA table_info({name})")]
            for name in TABLES
        }
    finally:
        layout.close()
    tables: dict[str, Any] = {}
    for name, (title, description, labels, facets) in TABLES.items():
        columns = {column: labels.get(column) or COLUMNS[column] for column in columns_of[name]}
        table: dict[str, Any] = {"title": title, "description": description, "columns": columns}
        if facets:
            table["facets"] = facets
        tables[name] = table
    tables["towns"]["label_column"] = "name"  # a result or history row links to its town by name
    tables["towns"]["sort"] = "id"
    title = "吉林省特色产业小镇名录"
    description = f"{provenance['document']}所列特色产业小镇，及其创建标准数据、年度评估和变更记录。"
    if provenance.get("sample"):  # a sample registry says so on every page Datasette shows
        title, description = f"【示例数据】{title}", f"示例数据：{provenance['sample']}。{description}"
    return {
        "title": title,
        "description": description,
        "source": source,
        "license": LICENSE,
        "databases": {database: {"title": title, "tables": tables}},
    }


def metadata_path(database: Path) -> Path:
    """Where the export writes the database's Datasette metadata: beside it, towns.db: towns.metadata.json."""
    return database.with_name(f"{database.stem}.metadata.json")


def write_metadata(registry: dict[str, Any], database: Path, path: Path) -> None:
    metadata = datasette_metadata(registry, database.stem)
    path.write_text(json.dumps(metadata, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
