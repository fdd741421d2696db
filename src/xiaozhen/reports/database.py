"""The registry as a SQLite database, for analysts who outgrow the command line (Datasette, DuckDB, any
SQL client): towns, their results and history as related tables, with the notice's terms as values and
a summary table per common question. Stages and prefectures are tables of their own, with the notice's
order, so that the summaries list them as the notice does and Datasette links each town to them.

`PRAGMA user_version` says which layout a file has: FORMAT, raised whenever a table changes."""

from __future__ import annotations

import errno
import json
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from xiaozhen.model.terms import LISTED_STAGES, Prefecture

# The layout's version, in `PRAGMA user_version`: 3 (the national norms' data and rules: towns has
# industry_class; indicators, rulebooks and rules; the summaries tables, not views), the tables below.
FORMAT = 3

SCHEMA = """
CREATE TABLE stages (                     -- 成长类, 培育类, 规划类: the notice's order (三)
    name TEXT PRIMARY KEY,
    position INTEGER NOT NULL UNIQUE
);
CREATE TABLE prefectures (                -- the headings of the annex, in its order
    name TEXT PRIMARY KEY,
    position INTEGER NOT NULL UNIQUE
);
CREATE TABLE towns (
    id INTEGER PRIMARY KEY,               -- the number in the notice's annex
    name TEXT NOT NULL UNIQUE,
    prefecture TEXT NOT NULL REFERENCES prefectures(name),
    county TEXT,
    category TEXT NOT NULL REFERENCES stages(name),         -- the stage now
    listed_category TEXT NOT NULL REFERENCES stages(name),  -- the stage it was listed under
    town_type TEXT NOT NULL,              -- 建制镇 / 非建制镇
    status TEXT NOT NULL,                 -- 创建中 / 已认定 / 已退出
    batch INTEGER NOT NULL,
    leading_industry TEXT,
    investment_total REAL,                -- 亿元
    investment_leading_industry REAL,     -- 亿元
    leading_share REAL,
    developer_name TEXT,
    developer_ownership TEXT,
    plan_title TEXT,
    plan_approved TEXT,                   -- YYYY-MM-DD
    plan_conforms_to TEXT,                -- the plans and rules it conforms to, joined with 、
    management TEXT,
    industry_class TEXT                   -- the 导则's class: 先进制造, 文化旅游 …
);
CREATE TABLE indicators (                 -- the data the national norms judge, a row a recorded value
    town_id INTEGER NOT NULL REFERENCES towns(id),
    key TEXT NOT NULL,                    -- as the registry's indicators name it: planned_area …
    name TEXT NOT NULL,                   -- as the documents word it: 规划面积 …
    value REAL NOT NULL,                  -- in unit; a share from 0 to 1; yes 1, no 0
    unit TEXT,                            -- 平方公里, 万元/亩, 人 …; none for a share or a yes/no
    PRIMARY KEY (town_id, key)
);
CREATE TABLE rulebooks (                  -- the later documents, each from the day it is in force
    document TEXT PRIMARY KEY,
    title TEXT,
    issuer TEXT,
    in_force TEXT NOT NULL,               -- YYYY-MM-DD
    note TEXT
);
CREATE TABLE rules (
    document TEXT NOT NULL REFERENCES rulebooks(document),
    position INTEGER NOT NULL,            -- its place in the rulebook, from 1
    "check" TEXT NOT NULL,                -- what it checks: planned_area, list_cap …
    clause TEXT NOT NULL,
    strength TEXT NOT NULL,               -- 约束 (binding) or 原则上 (advisory)
    min REAL,
    max REAL,
    only_for TEXT,                        -- the classes it applies to alone, joined with 、
    higher_for TEXT,                      -- the classes whose upper bound may be higher, joined with 、
    below REAL,                           -- list_cap: where GDP per head (US$) is below this
    text TEXT,
    note TEXT,
    PRIMARY KEY (document, position)
);
CREATE TABLE assessments (
    town_id INTEGER NOT NULL REFERENCES towns(id),
    year INTEGER NOT NULL,
    result TEXT NOT NULL,                 -- 达标 / 不达标
    score REAL,
    assessor TEXT,
    date TEXT,
    note TEXT,
    PRIMARY KEY (town_id, year)
);
CREATE TABLE history (
    id INTEGER PRIMARY KEY,
    town_id INTEGER NOT NULL REFERENCES towns(id),
    position INTEGER NOT NULL,            -- its place in the town's history, from 1
    date TEXT NOT NULL,
    event TEXT NOT NULL,                  -- added, advanced, assessed, exited, designated, corrected,
                                          -- updated, renamed, cleared
    year INTEGER,
    from_value TEXT,                      -- a term, or JSON for what an `updated` entry changed
    to_value TEXT,
    note TEXT,
    source TEXT,                          -- 资料来源: the document the values (or a correction) come from
    filled_by TEXT                        -- 填报单位 and 填报人, where a form says
);
CREATE TABLE standards (key TEXT PRIMARY KEY, clause TEXT NOT NULL, value TEXT NOT NULL);
CREATE TABLE declared (
    batch INTEGER NOT NULL,
    dimension TEXT NOT NULL,              -- total, category, town_type, prefecture
    value TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (batch, dimension, value)
);
CREATE INDEX history_by_town ON history (town_id, position);

-- The summaries: tables with declared types, filled from the tables above (SUMMARIES), so that every
-- client reads a count as a number (DuckDB's sqlite scanner reads a view's computed column as text).
-- How many towns of each stage in each prefecture (towns that have not exited)?
CREATE TABLE towns_by_prefecture_and_stage (prefecture TEXT, category TEXT, towns INTEGER);
-- Each year's results: how many towns passed, failed, and the pass rate.
CREATE TABLE results_by_year (
    year INTEGER PRIMARY KEY, assessed INTEGER, passed INTEGER, failed INTEGER, pass_rate REAL,
    mean_score REAL
);
-- Each town with its latest result.
CREATE TABLE latest_results (
    id INTEGER PRIMARY KEY, name TEXT, prefecture TEXT, category TEXT, status TEXT, year INTEGER,
    result TEXT, score REAL
);
-- The towns that exited, when and why.
CREATE TABLE exited_towns (id INTEGER, name TEXT, prefecture TEXT, date TEXT, reason TEXT);
-- The towns designated 省级特色产业小镇, and when.
CREATE TABLE designated_towns (id INTEGER, name TEXT, prefecture TEXT, category TEXT, date TEXT);
"""


# Each summary table's rows, in the order a reader reads them.
SUMMARIES = {
    "towns_by_prefecture_and_stage": """
        SELECT t.prefecture, t.category, COUNT(t.id)
        FROM towns t JOIN prefectures p ON p.name = t.prefecture JOIN stages s ON s.name = t.category
        WHERE t.status != '已退出'
        GROUP BY t.prefecture, t.category ORDER BY p.position, s.position""",
    "results_by_year": """
        SELECT year, COUNT(town_id), SUM(result = '达标'), SUM(result = '不达标'),
               ROUND(1.0 * SUM(result = '达标') / COUNT(town_id), 4), ROUND(AVG(score), 1)
        FROM assessments GROUP BY year ORDER BY year""",
    "latest_results": """
        SELECT t.id, t.name, t.prefecture, t.category, t.status, a.year, a.result, a.score
        FROM towns t JOIN assessments a ON a.town_id = t.id
        WHERE a.year = (SELECT MAX(year) FROM assessments WHERE town_id = t.id) ORDER BY t.id""",
    "exited_towns": """
        SELECT t.id, t.name, t.prefecture, h.date, h.note
        FROM towns t JOIN history h ON h.town_id = t.id AND h.event = 'exited' ORDER BY h.date, t.id""",
    "designated_towns": """
        SELECT t.id, t.name, t.prefecture, t.category, h.date
        FROM towns t JOIN history h ON h.town_id = t.id AND h.event = 'designated' ORDER BY h.date, t.id""",
}


def _positions(names: Iterable[str]) -> list[tuple[str, int]]:
    return [(name, position) for position, name in enumerate(names, start=1)]


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def write_database(registry: dict[str, Any], path: Path) -> None:
    """Write the registry's records as a new database at `path` (which must not exist)."""
    from xiaozhen.model.fields import leading_share

    try:
        connection = sqlite3.connect(path)
    except sqlite3.Error as exc:
        raise OSError(errno.EIO, f"SQLite: {exc}") from None
    try:
        connection.execute("PRAGMA foreign_keys = ON")
        connection.executescript(SCHEMA)
        connection.execute(f"PRAGMA user_version = {FORMAT}")
        stages, prefectures = (_positions(t.value for t in terms) for terms in (LISTED_STAGES, Prefecture))
        connection.executemany("INSERT INTO stages VALUES (?, ?)", stages)
        connection.executemany("INSERT INTO prefectures VALUES (?, ?)", prefectures)
        towns, results, history, indicators = [], [], [], []
        for town in registry["towns"]:
            investment = town.get("investment") or {}
            developer = town.get("developer") or {}
            plan = town.get("plan") or {}
            share = leading_share(town)
            towns.append(
                (
                    town["id"],
                    town["name"],
                    town["prefecture"],
                    town["county"],
                    town["category"],
                    town["listed_category"],
                    town["town_type"],
                    town["status"],
                    town["batch"],
                    _text(town["leading_industry"]),
                    investment.get("total"),
                    investment.get("leading_industry"),
                    None if share is None else float(round(share, 6)),
                    developer.get("name"),
                    developer.get("ownership"),
                    plan.get("title"),
                    plan.get("approved"),
                    "、".join(plan.get("conforms_to") or []) or None,
                    town["management"],
                    town.get("industry_class"),
                )
            )
            indicators += _indicators(town)
            for a in town.get("assessments") or []:
                results.append(
                    (
                        town["id"],
                        a["year"],
                        a["result"],
                        a.get("score"),
                        a.get("assessor"),
                        a.get("date"),
                        a.get("note"),
                    )
                )
            for position, h in enumerate(town.get("history") or [], start=1):
                history.append(
                    (
                        town["id"],
                        position,
                        h["date"],
                        h["event"],
                        h.get("year"),
                        _text(h.get("from")),
                        _text(h.get("to")),
                        h.get("note"),
                        h.get("source"),
                        h.get("filled_by"),
                    )
                )
        connection.executemany(f"INSERT INTO towns VALUES ({', '.join('?' * 20)})", towns)
        connection.executemany("INSERT INTO indicators VALUES (?, ?, ?, ?, ?)", indicators)
        _rulebooks(connection, registry.get("rulebooks") or [])
        connection.executemany("INSERT INTO assessments VALUES (?, ?, ?, ?, ?, ?, ?)", results)
        connection.executemany(
            "INSERT INTO history (town_id, position, date, event, year, from_value, to_value, note, source, "
            "filled_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            history,
        )
        connection.executemany(
            "INSERT INTO standards VALUES (?, ?, ?)",
            [
                (k, s["clause"], json.dumps(s["value"], ensure_ascii=False))
                for k, s in registry["standards"].items()
            ],
        )
        declared = []
        for d in registry.get("declared") or []:
            declared.append((d["batch"], "total", "合计", d["total"]))
            for dimension in ("category", "town_type", "prefecture"):
                declared += [(d["batch"], dimension, v, n) for v, n in (d.get(dimension) or {}).items()]
        connection.executemany("INSERT INTO declared VALUES (?, ?, ?, ?)", declared)
        for name, rows in SUMMARIES.items():
            connection.execute(f"INSERT INTO {name} {rows}")
        connection.commit()
    except sqlite3.Error as exc:  # a full disk, a folder gone: the caller discards the half-written file
        raise OSError(errno.EIO, f"SQLite: {exc}") from None
    finally:
        connection.close()


def _indicators(town: dict[str, Any]) -> list[tuple[Any, ...]]:
    from xiaozhen.model.terms import CHECKS

    return [
        (town["id"], key, CHECKS[key].name, float(value), CHECKS[key].unit or None)
        for key, value in (town.get("indicators") or {}).items()
        if value is not None
    ]


def _rulebooks(connection: sqlite3.Connection, rulebooks: list[dict[str, Any]]) -> None:
    def number(value: Any) -> float | None:
        return None if value is None else float(value)

    connection.executemany(
        "INSERT INTO rulebooks VALUES (?, ?, ?, ?, ?)",
        [
            (b["document"], b.get("title"), b.get("issuer"), str(b["in_force"]), b.get("note"))
            for b in rulebooks
        ],
    )
    connection.executemany(
        f"INSERT INTO rules VALUES ({', '.join('?' * 12)})",
        [
            (
                book["document"],
                position,
                rule["check"],
                rule["clause"],
                rule.get("strength") or "约束",
                number(rule.get("min")),
                number(rule.get("max")),
                "、".join(rule.get("only_for") or []) or None,
                "、".join(rule.get("higher_for") or []) or None,
                number(rule.get("below")),
                rule.get("text"),
                rule.get("note"),
            )
            for book in rulebooks
            for position, rule in enumerate(book.get("rules") or [], start=1)
        ],
    )
