"""The registry as a SQLite database, for analysts who outgrow the command line (Datasette, DuckDB, any
SQL client): towns, their results and history as related tables, with the notice's terms as values and
a view per common question. Stages and prefectures are tables of their own, with the notice's order,
so that the views list them as the notice does and Datasette links each town to them.

`PRAGMA user_version` says which layout a file has: FORMAT, raised whenever a table or view changes."""

from __future__ import annotations

import errno
import json
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from xiaozhen.terms import LISTED_STAGES, Prefecture

# The layout's version, in `PRAGMA user_version`: 1, the tables and views below.
FORMAT = 1

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
    management TEXT
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
    event TEXT NOT NULL,                  -- added, advanced, assessed, exited, designated, updated
    year INTEGER,
    from_value TEXT,                      -- a term, or JSON for what an `updated` entry changed
    to_value TEXT,
    note TEXT
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

-- How many towns of each stage in each prefecture (towns that have not exited)?
CREATE VIEW towns_by_prefecture_and_stage AS
    SELECT t.prefecture, t.category, COUNT(*) AS towns
    FROM towns t JOIN prefectures p ON p.name = t.prefecture JOIN stages s ON s.name = t.category
    WHERE t.status != '已退出'
    GROUP BY t.prefecture, t.category ORDER BY p.position, s.position;
-- Each year's results: how many towns passed, failed, and the pass rate.
CREATE VIEW results_by_year AS
    SELECT year, COUNT(*) AS assessed, SUM(result = '达标') AS passed, SUM(result = '不达标') AS failed,
           ROUND(1.0 * SUM(result = '达标') / COUNT(*), 4) AS pass_rate, ROUND(AVG(score), 1) AS mean_score
    FROM assessments GROUP BY year ORDER BY year;
-- Each town with its latest result.
CREATE VIEW latest_results AS
    SELECT t.id, t.name, t.prefecture, t.category, t.status, a.year, a.result, a.score
    FROM towns t JOIN assessments a ON a.town_id = t.id
    WHERE a.year = (SELECT MAX(year) FROM assessments WHERE town_id = t.id) ORDER BY t.id;
-- The towns that exited, when and why.
CREATE VIEW exited_towns AS
    SELECT t.id, t.name, t.prefecture, h.date, h.note AS reason
    FROM towns t JOIN history h ON h.town_id = t.id AND h.event = 'exited' ORDER BY h.date, t.id;
-- The towns designated 省级特色产业小镇, and when.
CREATE VIEW designated_towns AS
    SELECT t.id, t.name, t.prefecture, t.category, h.date
    FROM towns t JOIN history h ON h.town_id = t.id AND h.event = 'designated' ORDER BY h.date, t.id;
"""


def _positions(names: Iterable[str]) -> list[tuple[str, int]]:
    return [(name, position) for position, name in enumerate(names, start=1)]


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def write_database(registry: dict[str, Any], path: Path) -> None:
    """Write the registry's records as a new database at `path` (which must not exist)."""
    from xiaozhen.fields import leading_share

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
        towns, results, history = [], [], []
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
                )
            )
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
                    )
                )
        connection.executemany(f"INSERT INTO towns VALUES ({', '.join('?' * 19)})", towns)
        connection.executemany("INSERT INTO assessments VALUES (?, ?, ?, ?, ?, ?, ?)", results)
        connection.executemany(
            "INSERT INTO history (town_id, position, date, event, year, from_value, to_value, note) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
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
        connection.commit()
    except sqlite3.Error as exc:  # a full disk, a folder gone: the caller discards the half-written file
        raise OSError(errno.EIO, f"SQLite: {exc}") from None
    finally:
        connection.close()
