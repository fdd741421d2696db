"""The SQL export as the clients analysts use read it: every table and view through DuckDB's sqlite
scanner (the reference's first example among them) and through pandas, with the numbers the registry holds."""

from __future__ import annotations

import importlib.util
import sqlite3
from pathlib import Path

import pytest

from conftest import Run, worked_year

duckdb = pytest.importorskip("duckdb")
pandas = pytest.importorskip("pandas")
# DuckDB's sqlite scanner, installed as a wheel (make test): DuckDB loads it from there, fetching nothing.
EXTENSIONS = importlib.util.find_spec("duckdb_ext")


def exported(run: Run, registry: Path, tmp_path: Path) -> tuple[Path, list[str]]:
    worked_year(run, registry, tmp_path)
    path = tmp_path / "towns.db"
    assert run("export", "--format", "sqlite", "-o", str(path), registry=registry).exit_code == 0
    with sqlite3.connect(path) as db:
        names = [n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")]
    return path, names


@pytest.mark.skipif(EXTENSIONS is None, reason="no DuckDB sqlite scanner (make test installs it)")
def test_duckdb_reads_every_table_and_view(run: Run, registry: Path, tmp_path: Path) -> None:
    path, names = exported(run, registry, tmp_path)
    assert EXTENSIONS is not None and EXTENSIONS.submodule_search_locations is not None
    folder = Path(next(iter(EXTENSIONS.submodule_search_locations))) / "extensions"
    db = duckdb.connect(config={"extension_directory": str(folder), "autoinstall_known_extensions": "false"})
    try:
        db.execute("LOAD sqlite")
        db.execute(f"ATTACH '{path}' AS registry (TYPE sqlite, READ_ONLY)")
        with sqlite3.connect(path) as lite:
            for name in names:
                counted = db.execute(f"SELECT COUNT(*) FROM registry.{name}").fetchone()
                assert counted == lite.execute(f"SELECT COUNT(*) FROM {name}").fetchone(), name
        assert db.execute(
            "SELECT towns FROM registry.towns_by_prefecture_and_stage "
            "WHERE prefecture = '长春市' AND category = '培育类'"
        ).fetchone() == (5,)
        assert db.execute("SELECT year, passed, failed FROM registry.results_by_year").fetchall() == [
            (2020, 2, 1)
        ]
    finally:
        db.close()


def test_pandas_reads_every_table_and_view(run: Run, registry: Path, tmp_path: Path) -> None:
    path, names = exported(run, registry, tmp_path)
    with sqlite3.connect(path) as db:
        frames = {name: pandas.read_sql_query(f"SELECT * FROM {name}", db) for name in names}
    assert len(frames["towns"]) == 55
    assert frames["towns"]["investment_total"].dtype.kind == "f"  # numbers, not text
    exited = frames["exited_towns"]
    assert exited[["name", "reason"]].values.tolist() == [["长春市吉商小镇", "2020年度评估不达标（二(三)）"]]
    history = frames["history"]
    assert {"source", "filled_by"} <= set(history.columns)
