"""The yearly report: its numbers against counts made independently (list --as-of, diff), every table
adding up, the page in a real browser, the workbook through a second reader, the SQLite export queried,
and bad input refused with nothing half-written."""

from __future__ import annotations

import html
import json
import re
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import jsonschema
import pytest

from conftest import FLAGS, Run, edit_text, worked_year
from xiaozhen.model.terms import Prefecture
from xiaozhen.reports import database
from xiaozhen.reports import report as report_module

ROOT = Path(__file__).resolve().parents[1]
BROWSER = shutil.which("chromium") or shutil.which("chromium-headless-shell")


def report(run: Run, registry: Path, *args: str) -> dict[str, Any]:
    result = run("report", "--format", "json", *args, registry=registry)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def listed(run: Run, registry: Path, day: str, *facets: str) -> list[dict[str, Any]]:
    result = run("list", "--as-of", day, "--format", "json", *facets, registry=registry)
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def changes(run: Run, registry: Path, start: str, end: str) -> list[dict[str, Any]]:
    result = run("diff", "--from", start, "--to", end, "--format", "json", registry=registry)
    return json.loads(result.stdout)["changes"]  # type: ignore[no-any-return]


def check_against_independent_counts(run: Run, registry: Path, year: int) -> dict[str, Any]:
    """The report's figures, each counted again from `list --as-of` and `diff`."""
    built = report(run, registry, "--year", str(year))
    start, end = built["period"]["start"], built["period"]["to"]
    before, after = listed(run, registry, start), listed(run, registry, end)
    moved = changes(run, registry, start, end)
    results = [a for t in after for a in t["assessments"] if a["year"] == year]
    head = built["headline"]
    assert head["towns_start"] == len(before) and head["towns_end"] == len(after)
    assert head["creating_start"] == sum(t["status"] == "创建中" for t in before)
    assert head["creating_end"] == sum(t["status"] == "创建中" for t in after)
    assert head["assessed"] == len(results)
    assert head["passed"] == sum(a["result"] == "达标" for a in results)
    assert head["failed"] == sum(a["result"] == "不达标" for a in results)
    for kind in ("exited", "designated", "advanced", "added"):
        assert head[kind] == sum(c["kind"] == kind for c in moved), kind
    # every table adds up, and its total row is the headline
    for key in ("by_prefecture", "by_stage"):
        section = built[key]
        for column in section["columns"]:
            assert sum(r[column] for r in section["rows"]) == section["total"][column] == head[column], (
                key,
                column,
            )
    for key in ("stage_by_prefecture", "stage_by_status"):
        cross = built[key]
        for row in [*cross["rows"], cross["total"]]:
            assert sum(row[c] for c in cross["columns"]) == row["total"]
        for column in cross["columns"]:
            assert sum(r[column] for r in cross["rows"]) == cross["total"][column]
    active_end = sum(t["status"] != "已退出" for t in after)
    assert built["stage_by_prefecture"]["total"]["total"] == active_end == built["stages"]["total"]["end"]
    assert built["stage_by_status"]["total"]["total"] == len(after)
    scored = [a["score"] for a in results if a.get("score") is not None]
    assert built["scores"]["count"] == len(scored) == sum(d["count"] for d in built["scores"]["distribution"])
    for kind in ("passed", "failed", "exited", "designated", "advanced", "added"):
        assert sum(len(g["towns"]) for g in built["outcomes"][kind]) == head[kind]
    return built


def test_the_worked_year_s_report(run: Run, registry: Path, tmp_path: Path) -> None:
    worked_year(run, registry, tmp_path)
    built = check_against_independent_counts(run, registry, 2020)
    assert built["title"] == "2020年度吉林省特色产业小镇评估情况"
    assert built["period"] == {"from": "2021-01-01", "to": "2021-12-31", "start": "2020-12-31"}
    assert {
        k: built["headline"][k]
        for k in ("assessed", "passed", "failed", "pass_rate", "exited", "designated", "advanced")
    } == {
        "assessed": 3,
        "passed": 2,
        "failed": 1,
        "pass_rate": 0.6667,
        "exited": 1,
        "designated": 1,
        "advanced": 1,
    }
    assert built["outcomes"]["failed"] == [
        {
            "prefecture": "长春市",
            "towns": [{"id": 5, "name": "长春市吉商小镇", "prefecture": "长春市", "score": 52}],
        }
    ]
    assert [g["prefecture"] for g in built["outcomes"]["passed"]] == ["长春市", "吉林市"]  # the annex's order
    assert built["coverage"]["recorded"]["investment"] == 1


@pytest.mark.parametrize("towns", [300, 700])
def test_reports_of_generated_registries_match_independent_counts(
    run: Run, tmp_path: Path, towns: int
) -> None:
    path = tmp_path / "towns.yaml"
    subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), str(towns), str(path)], check=True)
    for year in (2020, 2022, 2024):
        check_against_independent_counts(run, path, year)


def test_a_prefecture_s_own_report(run: Run, registry: Path, tmp_path: Path) -> None:
    worked_year(run, registry, tmp_path)
    built = report(run, registry, "--prefecture", "长春")
    assert built["title"] == "2020年度长春市特色产业小镇评估情况"
    assert built["headline"]["towns_end"] == 12 and built["headline"]["assessed"] == 2
    assert [r["prefecture"] for r in built["by_prefecture"]["rows"]] == ["长春市"]


def test_a_narrowed_report_says_so_in_its_title(run: Run, registry: Path, tmp_path: Path) -> None:
    worked_year(run, registry, tmp_path)
    built = report(run, registry, "--town-type", "非建制镇", "--batch", "1")
    assert built["title"] == "2020年度吉林省特色产业小镇评估情况（非建制镇，第1批）"
    assert built["headline"]["towns_end"] == 31
    county = report(run, registry, "--county", "榆树市")
    assert county["title"] == "2020年度榆树市特色产业小镇评估情况"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--year", "2018"], "--year 2018 is before the first notice (2019)"),
        (["--year", "2023"], "no result for 2023 is recorded (years with results: 2020)"),
        (["--format", "html"], "--format html needs --output FILE"),
        (["--format", "xlsx"], "--format xlsx needs --output FILE"),
        (["--format", "docx"], "--format docx needs --output FILE"),
    ],
)
def test_bad_input_exits_2_saying_why(
    run: Run, registry: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    worked_year(run, registry, tmp_path)
    result = run("report", *args, registry=registry)
    assert result.exit_code == 2 and message in result.stderr


def test_a_registry_with_no_results_has_no_year_to_report(run: Run, registry: Path) -> None:
    result = run("report", registry=registry)
    assert result.exit_code == 2
    assert "no assessment result is recorded yet" in result.stderr


@pytest.mark.parametrize("fmt", ["html", "xlsx", "docx", "md"])
def test_an_output_folder_that_cannot_be_written_leaves_nothing(
    run: Run, registry: Path, tmp_path: Path, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    worked_year(run, registry, tmp_path)
    import tempfile

    def refuse(*_args: Any, **_kwargs: Any) -> Any:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    target = tmp_path / "out" / f"report.{fmt}"
    target.parent.mkdir()
    result = run("report", "--format", fmt, "-o", str(target), registry=registry)
    assert result.exit_code == 2
    assert "cannot write in" in result.stderr and "nothing was written" in result.stderr
    assert list(target.parent.iterdir()) == []


def test_a_failed_write_keeps_the_old_report(
    run: Run, registry: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    worked_year(run, registry, tmp_path)
    target = tmp_path / "report.md"
    target.write_text("the old report\n", encoding="utf-8")
    real_write = Path.write_text

    def disk_full(self: Path, *args: Any, **kwargs: Any) -> int:
        if self.name.startswith(".report.md."):
            real_write(self, "half a rep", encoding="utf-8")
            raise OSError(28, "No space left on device")
        return real_write(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", disk_full)
    result = run("report", "-o", str(target), registry=registry)
    assert result.exit_code == 2
    assert "No space left on device); nothing was written" in result.stderr
    assert target.read_text(encoding="utf-8") == "the old report\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".report")] == []


# --- the page, in a real browser -----------------------------------------------------------------


def bars(dom: str) -> dict[str, dict[tuple[str, str], int]]:
    """Each chart's bars, as the browser holds them: chart → (row, series) → value."""
    found: dict[str, dict[tuple[str, str], int]] = {}
    for chart, body in re.findall(r'<figure[^>]*data-chart="([^"]+)"[^>]*>(.*?)</figure>', dom, re.S):
        found[chart] = {
            (html.unescape(row), html.unescape(series)): int(value)
            for row, series, value in re.findall(
                r'<span class="bar"[^>]*data-row="([^"]*)" data-series="([^"]*)" data-value="(\d+)"', body
            )
        }
    return found


@pytest.mark.skipif(BROWSER is None, reason="no Chromium installed (.ci/run installs Debian's chromium)")
def test_the_page_in_a_real_browser(run: Run, registry: Path, tmp_path: Path) -> None:
    worked_year(run, registry, tmp_path)
    page = tmp_path / "report.html"
    assert run("report", "--format", "html", "-o", str(page), registry=registry).exit_code == 0
    built = report(run, registry)
    text = page.read_text(encoding="utf-8")
    assert not re.search(r"(src|href)=\"?(https?:)?//", text)  # nothing that could be fetched
    assert "<script" not in text
    flags = [
        *FLAGS,
        f"--user-data-dir={tmp_path / 'profile'}",
        "--enable-logging=stderr",
        "--v=0",
    ]
    dumped = subprocess.run(
        [BROWSER, *flags, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120
    )
    assert dumped.returncode == 0, dumped.stderr[-2000:]
    assert "CONSOLE" not in dumped.stderr and "Refused to" not in dumped.stderr
    dom = dumped.stdout
    charts = bars(dom)
    stage = built["stage_by_prefecture"]
    assert charts["stage-by-prefecture"] == {
        (r["prefecture"], s): r[s] for r in stage["rows"] for s in stage["columns"]
    }
    outcomes = {
        (r["prefecture"], "达标"): r["passed"]
        for r in built["by_prefecture"]["rows"]
        if r["passed"] + r["failed"]
    }
    outcomes |= {
        (r["prefecture"], "不达标"): r["failed"]
        for r in built["by_prefecture"]["rows"]
        if r["passed"] + r["failed"]
    }
    assert charts["outcomes-by-prefecture"] == outcomes
    assert charts["scores"] == {(d["band"], "小镇"): d["count"] for d in built["scores"]["distribution"]}
    assert charts["stages"] == {
        **{(f"{r['stage']} 期初", "期初"): r["start"] for r in built["stages"]["rows"]},
        **{(f"{r['stage']} 期末", "期末"): r["end"] for r in built["stages"]["rows"]},
    }
    assert 'data-figure="passed">2<' in dom and "66.7%" in dom
    shot = tmp_path / "report.png"
    taken = subprocess.run(
        [BROWSER, *flags, f"--screenshot={shot}", "--window-size=900,2400", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert taken.returncode == 0 and shot.stat().st_size > 10_000


# --- the workbook, through a second reader ---------------------------------------------------------

NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
}


def read_workbook(path: Path) -> tuple[dict[str, list[list[Any]]], list[list[str]]]:
    """Every sheet's cells and every chart's cell references, read from the file's XML (not openpyxl)."""
    with zipfile.ZipFile(path) as book:
        names = book.namelist()
        shared = []
        if "xl/sharedStrings.xml" in names:
            for item in ElementTree.fromstring(book.read("xl/sharedStrings.xml")).findall("m:si", NS):
                shared.append("".join(t.text or "" for t in item.iter(f"{{{NS['m']}}}t")))
        workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target") for r in rels}
        sheets: dict[str, list[list[Any]]] = {}
        for sheet in workbook.find("m:sheets", NS) or []:
            target = str(targets[sheet.get(f"{{{NS['r']}}}id")]).lstrip("/").removeprefix("xl/")
            root = ElementTree.fromstring(book.read(f"xl/{target}"))
            rows = []
            for row in root.iter(f"{{{NS['m']}}}row"):
                values: list[Any] = []
                for cell in row.findall("m:c", NS):
                    column = re.match(r"[A-Z]+", cell.get("r", "")).group(0)  # type: ignore[union-attr]
                    index = sum((ord(ch) - 64) * 26**i for i, ch in enumerate(reversed(column))) - 1
                    values += [None] * (index - len(values))
                    kind, raw = cell.get("t"), cell.findtext("m:v", namespaces=NS)
                    inline = cell.find("m:is", NS)
                    if kind == "s":
                        values.append(shared[int(raw or 0)])
                    elif kind == "inlineStr" and inline is not None:
                        values.append("".join(t.text or "" for t in inline.iter(f"{{{NS['m']}}}t")))
                    elif kind == "str":
                        values.append(raw)
                    else:
                        values.append(None if raw is None else float(raw))
                rows.append(values)
            sheets[str(sheet.get("name"))] = rows
        charts = [
            [f.text or "" for f in ElementTree.fromstring(book.read(n)).iter(f"{{{NS['c']}}}f")]
            for n in names
            if n.startswith("xl/charts/chart")
        ]
    return sheets, charts


def test_the_workbook_read_by_a_second_reader(run: Run, registry: Path, tmp_path: Path) -> None:
    worked_year(run, registry, tmp_path)
    path = tmp_path / "report.xlsx"
    assert run("report", "--format", "xlsx", "-o", str(path), registry=registry).exit_code == 0
    built = report(run, registry)
    sheets, charts = read_workbook(path)
    assert sheets["报告"][0] == [built["title"]]
    by_prefecture = sheets["按市州"]
    assert by_prefecture[0][:5] == ["市(州)", "期初小镇", "期初创建中", "达标", "不达标"]
    for row, expected in zip(
        by_prefecture[1:], [*built["by_prefecture"]["rows"], built["by_prefecture"]["total"]], strict=True
    ):
        assert row[0] == expected.get("prefecture", "合计")  # the total row has no label in the JSON
        assert row[1:] == [float(expected[c]) for c in built["by_prefecture"]["columns"]]
    stage = sheets["市州类别"]
    assert [r[0] for r in stage[1:]] == [r["prefecture"] for r in built["stage_by_prefecture"]["rows"]] + [
        "合计"
    ]
    rows = len(built["stage_by_prefecture"]["rows"]) + 1
    passed = len(built["by_prefecture"]["rows"]) + 1

    def refs(*cells: str) -> frozenset[str]:
        return frozenset(cells)

    # each chart's references, without the $ of absolute addresses: a series' title, values, categories
    assert {frozenset(ref.replace("$", "") for ref in chart) for chart in charts} == {
        refs(*(f"'市州类别'!{c}1" for c in "BCD"), *(f"'市州类别'!{c}2:{c}{rows}" for c in "ABCD")),
        refs(
            "'按市州'!D1",
            "'按市州'!E1",
            f"'按市州'!A2:A{passed}",
            f"'按市州'!D2:D{passed}",
            f"'按市州'!E2:E{passed}",
        ),
        refs("'类别变化'!B1", "'类别变化'!C1", "'类别变化'!A2:A4", "'类别变化'!B2:B4", "'类别变化'!C2:C4"),
        refs("'得分分布'!B1", "'得分分布'!A2:A6", "'得分分布'!B2:B6"),
    }


def test_markdown_has_every_table(run: Run, registry: Path, tmp_path: Path) -> None:
    worked_year(run, registry, tmp_path)
    text = run("report", registry=registry).stdout
    assert text.startswith("# 2020年度吉林省特色产业小镇评估情况\n")
    for heading in (
        "主要数字",
        "按市(州)",
        "按类别(期末)",
        "评估得分",
        "得分分布",
        "类别×状态(期末)",
        "各批次公布总数与名录",
        "小镇名单(按附件顺序)",
    ):
        assert f"\n## {heading}\n" in text
    assert "| 合计 | 55 | 55 | 2 | 1 | 52 | 1 | 1 | 1 | 0 | 0 | 0 | 53 | 55 |" in text


def test_the_workbook_is_as_excel_users_expect(run: Run, registry: Path, tmp_path: Path) -> None:
    """In the charts' XML: both axes shown (delete 0), categories top to bottom in the table's order,
    whole-number ticks, values and categories cached; the pass rate a number with a percent format."""
    from openpyxl import load_workbook

    worked_year(run, registry, tmp_path)
    path = tmp_path / "report.xlsx"
    assert run("report", "--format", "xlsx", "-o", str(path), registry=registry).exit_code == 0
    ns = {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart"}
    with zipfile.ZipFile(path) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 4
        for name in charts:
            chart = ElementTree.fromstring(archive.read(name))
            assert [d.get("val") for d in chart.iterfind(".//c:delete", ns)] == ["0", "0"], name
            assert chart.find(".//c:catAx/c:scaling/c:orientation", ns).get("val") == "maxMin"
            unit = chart.find(".//c:valAx/c:majorUnit", ns)
            assert unit is not None and float(unit.get("val")).is_integer()
            for series in chart.iterfind(".//c:ser", ns):
                assert series.find("c:val/c:numRef/c:numCache/c:pt", ns) is not None
                labels = [v.text for v in series.iterfind("c:cat/c:strRef/c:strCache/c:pt/c:v", ns)]
                assert labels, name
        stages = next(c for c in charts if "期初与期末" in archive.read(c).decode())
        labels = ElementTree.fromstring(archive.read(stages)).iterfind(".//c:ser/c:cat//c:pt/c:v", ns)
        assert [v.text for v in labels][:3] == ["成长类", "培育类", "规划类"]  # the table's order
    headline = load_workbook(path)["概况"]
    rate = next(row[1] for row in headline.iter_rows(min_row=2) if row[0].value == "达标率")
    assert (rate.value, rate.number_format) == (pytest.approx(2 / 3, abs=1e-4), "0.0%")


# --- the JSON report as an interface ------------------------------------------------------------


def test_the_json_report_is_an_interface(run: Run, registry: Path, tmp_path: Path) -> None:
    """A `format` version and a JSON Schema (`schema --report`) it meets; totals under `total` keys with
    no label posing as a prefecture or a stage; every table by prefecture over the same prefectures,
    every table by stage over the three stages, though 松原市's one town exited during the period."""
    worked_year(run, registry, tmp_path)
    assert (
        run("withdraw", "41", "--reason", "主动申请退出", "--date", "2021-05-01", registry=registry).exit_code
        == 0
    )
    built = report(run, registry)
    schema = json.loads(run("schema", "--report").stdout)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    validator.validate(built)
    # The schema is the layout's, closed: a key the layout does not name is refused, at any depth.
    assert not validator.is_valid({**built, "remarks": "x"})
    assert not validator.is_valid({**built, "headline": {**built["headline"], "pass_ratio": 1}})
    listed = built["outcomes"]["passed"][0]
    town = {**listed["towns"][0], "rank": 1}
    assert not validator.is_valid(
        {**built, "outcomes": {**built["outcomes"], "passed": [{**listed, "towns": [town]}]}}
    )
    assert built["format"] == report_module.FORMAT == 1
    for key in ("by_prefecture", "by_stage", "stages", "stage_by_prefecture", "stage_by_status"):
        assert "合计" not in json.dumps(built[key]["total"], ensure_ascii=False), key
    assert built["declared"][0]["rows"][0] == {
        "dimension": "total",
        "value": None,
        "declared": 55,
        "listed": 55,
    }
    prefectures = [p.value for p in Prefecture]
    assert [r["prefecture"] for r in built["by_prefecture"]["rows"]] == prefectures
    assert [r["prefecture"] for r in built["stage_by_prefecture"]["rows"]] == prefectures
    songyuan = next(r for r in built["stage_by_prefecture"]["rows"] if r["prefecture"] == "松原市")
    assert songyuan["total"] == 0  # in the table, with no town in creation
    stages = ["成长类", "培育类", "规划类"]
    assert [r["category"] for r in built["by_stage"]["rows"]] == stages
    assert [r["stage"] for r in built["stages"]["rows"]] == stages
    assert [r["category"] for r in built["stage_by_status"]["rows"]] == stages
    # The readable formats label the total rows in words.
    markdown = run("report", "--format", "md", registry=registry).stdout
    assert "| 合计 |" in markdown and "| 1 | 合计 | 合计 | 55 | 55 |" in markdown


# --- the SQLite export ---------------------------------------------------------------------------


def test_the_sqlite_export_answers_sql_questions(run: Run, registry: Path, tmp_path: Path) -> None:
    worked_year(run, registry, tmp_path)
    norms = ["industry_class=先进制造", "规划面积=3.2平方公里", "绿化覆盖率=35%", "四至范围清晰=是"]
    assert run("set", "9", *norms, "--date", "2021-04-02", registry=registry).exit_code == 0
    path = tmp_path / "towns.sqlite"
    assert run("export", "--format", "sqlite", "-o", str(path), registry=registry).exit_code == 0
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT COUNT(*) FROM towns").fetchone() == (55,)
        assert db.execute("SELECT COUNT(*) FROM assessments").fetchone() == (3,)
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute(
            "SELECT towns FROM towns_by_prefecture_and_stage WHERE prefecture = '长春市' AND category = '培育类'"
        ).fetchone() == (5,)
        assert db.execute(
            "SELECT year, assessed, passed, failed, pass_rate FROM results_by_year"
        ).fetchall() == [(2020, 3, 2, 1, 0.6667)]
        assert db.execute("SELECT name, reason FROM exited_towns").fetchall() == [
            ("长春市吉商小镇", "2020年度评估不达标（二(三)）")
        ]
        assert db.execute("SELECT name, date FROM designated_towns").fetchall() == [
            ("吉林市大荒地稻香小镇", "2021-03-01")
        ]
        assert db.execute("SELECT investment_total, leading_share FROM towns WHERE id = 9").fetchone() == (
            35,
            round(21.5 / 35, 6),
        )
        updated = db.execute("SELECT to_value FROM history WHERE town_id = 9 ORDER BY position").fetchall()
        assert json.loads(updated[-2][0]) == {"investment.total": 35}
        # the national norms: their rules by document, and each town's class and recorded indicators
        assert db.execute(
            "SELECT r.document, b.in_force, r.clause, r.strength, r.min, r.max, r.higher_for FROM rules r "
            "JOIN rulebooks b USING (document) WHERE r.\"check\" = 'planned_area' ORDER BY b.in_force"
        ).fetchall() == [
            ("国办发〔2020〕33号", "2020-09-25", "三、(十一)", "原则上", 1, 5, "文化旅游、体育、农业田园"),
            (
                "发改规划〔2021〕1383号",
                "2021-09-27",
                "13项指标·规划用地面积",
                "原则上",
                1,
                5,
                "文化旅游、体育运动、三产融合",
            ),
        ]
        assert db.execute("SELECT industry_class FROM towns WHERE id = 9").fetchone() == ("先进制造",)
        assert db.execute("SELECT key, name, value, unit FROM indicators ORDER BY key").fetchall() == [
            ("boundary_stated", "四至范围清晰", 1, None),
            ("green_cover", "绿化覆盖率", 0.35, None),
            ("planned_area", "规划面积", 3.2, "平方公里"),
        ]
    # exporting again replaces the file whole
    before = path.stat().st_ino
    assert run("export", "--format", "sqlite", "-o", str(path), registry=registry).exit_code == 0
    assert path.stat().st_ino != before
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT COUNT(*) FROM towns").fetchone() == (55,)


def test_the_sqlite_export_lists_as_the_notice_does(run: Run, registry: Path, tmp_path: Path) -> None:
    """Its layout is versioned (`user_version`), and its views list stages and prefectures in the notice's
    order (成长类, 培育类, 规划类; the annex's prefectures), not in the code points' (培育类, 成长类, 规划类)."""
    path = tmp_path / "towns.sqlite"
    assert run("export", "--format", "sqlite", "-o", str(path), registry=registry).exit_code == 0
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone() == (database.FORMAT,) == (3,)
        assert db.execute("SELECT name FROM stages ORDER BY position").fetchall() == [
            ("成长类",),
            ("培育类",),
            ("规划类",),
        ]
        rows = db.execute("SELECT prefecture, category FROM towns_by_prefecture_and_stage").fetchall()
        assert rows[:3] == [("长春市", "成长类"), ("长春市", "培育类"), ("长春市", "规划类")]
        prefectures = list(dict.fromkeys(p for p, _ in rows))
        assert prefectures == [p.value for p in Prefecture]  # every prefecture of the annex, in its order
        # Each town points at its stage and prefecture: what Datasette shows as links.
        keys = {(k[2], k[3]) for k in db.execute("PRAGMA foreign_key_list(towns)").fetchall()}
        assert keys == {("stages", "category"), ("stages", "listed_category"), ("prefectures", "prefecture")}
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_the_sqlite_export_writes_its_datasette_metadata_beside_it(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    """towns.db comes with towns.metadata.json: Datasette's title, source and licence, and a Chinese title
    for every table and view and a label for every one of their columns."""
    path = tmp_path / "towns.db"
    result = run("export", "--format", "sqlite", "-o", str(path), registry=registry)
    assert result.exit_code == 0
    assert result.stderr == f"wrote {path}\nwrote {tmp_path / 'towns.metadata.json'}\n"
    metadata = json.loads((tmp_path / "towns.metadata.json").read_text(encoding="utf-8"))
    assert metadata["title"] == "吉林省特色产业小镇名录"
    assert metadata["source"] == (
        "吉林省人民政府办公厅《吉林省人民政府办公厅关于印发吉林省加快特色产业小镇创建实施方案的通知》"
        "（吉政办明电〔2019〕5号）及其附件"
    )
    tables = metadata["databases"]["towns"]["tables"]
    with sqlite3.connect(path) as db:
        names = [n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")]
        assert sorted(tables) == sorted(names)
        for name in names:
            columns = [c for _, c, *_ in db.execute(f"PRAGMA table_info({name})")]
            assert list(tables[name]["columns"]) == columns, name
            labels = [tables[name]["title"], *tables[name]["columns"].values()]
            assert all(re.search(r"[\u4e00-\u9fff]", label) for label in labels), name
    assert tables["towns"]["columns"]["prefecture"] == "市(州)"
    assert tables["towns"]["facets"] == ["prefecture", "category", "town_type", "status"]
    assert tables["towns"]["label_column"] == "name"


def test_sqlite_needs_an_output_file(run: Run, registry: Path) -> None:
    result = run("export", "--format", "sqlite", registry=registry)
    assert result.exit_code == 2 and "--format sqlite needs --output FILE" in result.stderr


def test_every_format_ends_with_the_footer(run: Run, registry: Path, tmp_path: Path) -> None:
    """The data's date, the registry's revision (its commit, once committed), when it was made (fixed by
    SOURCE_DATE_EPOCH, in Beijing time), the publishing office — the one the notice charges with the
    assessment, not its issuer — and the notice, in JSON and in the words of the other formats."""
    worked_year(run, registry, tmp_path)
    fixed = {"SOURCE_DATE_EPOCH": "1609459200"}  # 2021-01-01 00:00 UTC
    about = json.loads(run("report", "--format", "json", registry=registry, env=fixed).stdout)["about"]
    digest = about["revision"]
    assert re.fullmatch(r"sha256:[0-9a-f]{16}", digest)  # not in git: the file's hash alone
    assert about == {
        "data_as_of": "2021-04-01",
        "revision": digest,
        "generated": "2021-01-01T08:00:00+08:00",
        "issuer": "吉林省人民政府办公厅",
        "publisher": "吉林省新型城镇化工作领导小组办公室",
        "document": "吉政办明电〔2019〕5号",
        "sample": None,
    }
    markdown = run("report", registry=registry, env=fixed).stdout
    assert markdown.endswith(
        "---\n\n- 数据截至：2021-04-01\n"
        f"- 名录版本：{digest}\n"
        "- 生成时间：2021-01-01 08:00（北京时间）\n"
        "- 发布单位：吉林省新型城镇化工作领导小组办公室\n"
        "- 依据：吉林省人民政府办公厅吉政办明电〔2019〕5号\n"
    )
    git = ["git", "-c", "user.name=office", "-c", "user.email=office@example.org", "-C", str(tmp_path)]
    for step in (["init", "-q"], ["add", "towns.yaml"], ["commit", "-qm", "registry"]):
        subprocess.run([*git, *step], check=True, capture_output=True)
    commit = subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout
    committed = json.loads(run("report", "--format", "json", registry=registry).stdout)["about"]
    assert committed["revision"] == f"{commit.strip()} {digest}"
    page = tmp_path / "report.html"
    assert run("report", "-f", "html", "-o", str(page), registry=registry).exit_code == 0
    assert f"<p>名录版本：{commit[:12]}（{digest}）</p>" in page.read_text(encoding="utf-8")
    bad = run("report", registry=registry, env={"SOURCE_DATE_EPOCH": "yesterday"})
    assert bad.exit_code == 2 and "SOURCE_DATE_EPOCH 'yesterday' is not a number of seconds" in bad.stderr


def test_a_chinese_report_has_no_english_words(run: Run, registry: Path, tmp_path: Path) -> None:
    """Reasons, dimensions, headers and footer in words, in Markdown, on the page and in the workbook:
    no English word and no internal key (the registry's hash and UTC aside)."""
    from openpyxl import load_workbook

    worked_year(run, registry, tmp_path)
    markdown = html.unescape(run("report", registry=registry).stdout)
    page, book = tmp_path / "report.html", tmp_path / "report.xlsx"
    assert run("report", "-f", "html", "-o", str(page), registry=registry).exit_code == 0
    assert run("report", "-f", "xlsx", "-o", str(book), registry=registry).exit_code == 0
    body = page.read_text(encoding="utf-8").split("<body>")[1]
    shown = html.unescape(re.sub(r"<[^>]+>", " ", body))  # the words on the page, not its markup
    cells = " ".join(
        str(cell)
        for sheet in load_workbook(book)
        for row in sheet.iter_rows(values_only=True)
        for cell in row
    )
    for name, text in (("md", markdown), ("html", shown), ("xlsx", cells)):
        text = re.sub(r"sha256:[0-9a-f]+", "", text)  # the registry's hash, a code
        english = set(re.findall(r"[A-Za-z][A-Za-z_]*", text)) - {"UTC", "None"}
        assert english == set(), name


def test_the_publisher_is_the_registry_s_to_name(run: Run, registry: Path, tmp_path: Path) -> None:
    worked_year(run, registry, tmp_path)
    edit_text(
        registry,
        "  issuer: 吉林省人民政府办公厅",
        "  issuer: 吉林省人民政府办公厅\n  publisher: 某市新型城镇化工作领导小组办公室",
        count=1,
    )
    assert run("validate", str(registry)).exit_code == 0
    markdown = run("report", registry=registry).stdout
    assert "- 发布单位：某市新型城镇化工作领导小组办公室\n" in markdown


def test_the_towns_not_assessed_are_counted_and_listed(run: Run, registry: Path, tmp_path: Path) -> None:
    """未参评: every town in creation at the start of the period with no result for the year."""
    worked_year(run, registry, tmp_path)
    report = json.loads(run("report", "--format", "json", registry=registry).stdout)
    head = report["headline"]
    assert (head["creating_start"], head["assessed"], head["unassessed"]) == (55, 3, 52)
    unassessed = [t["id"] for g in report["outcomes"]["unassessed"] for t in g["towns"]]
    assert len(unassessed) == 52 and {3, 5, 13} & set(unassessed) == set()
    markdown = run("report", registry=registry).stdout
    assert (
        "| 未参评 | 52 |" in markdown
        and "| 未参评小镇 | 长春市 | 1 | 长春市红旗绿色智能小镇 |  |" in markdown
    )


def test_a_second_year_is_compared_with_the_first(run: Run, registry: Path, tmp_path: Path) -> None:
    import jsonschema

    worked_year(run, registry, tmp_path)
    results = tmp_path / "results-2021.csv"
    results.write_text("town,year,result,score\n3,2021,达标,85\n9,2021,达标,80\n", encoding="utf-8")
    assert run("assess-import", str(results), "--date", "2022-01-15", registry=registry).exit_code == 0
    report = json.loads(run("report", "--year", "2021", "--format", "json", registry=registry).stdout)
    rows = {r["figure"]: (r["before"], r["now"]) for r in report["compared"]["rows"]}
    assert report["compared"]["year"] == 2020
    assert rows["assessed"] == (3, 2) and rows["passed"] == (2, 2) and rows["pass_rate"] == (0.6667, 1.0)
    schema = json.loads(run("schema", "--report").stdout)
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(report)
    markdown = run("report", "--year", "2021", registry=registry).stdout
    assert "## 与上年比较(2020年度)\n\n| 指标 | 2020年度 | 2021年度 | 增减 |" in markdown
    assert "| 达标率 | 66.7% | 100.0% | +33.3个百分点 |" in markdown and "| 参评 | 3 | 2 | -1 |" in markdown
    first = json.loads(run("report", "--year", "2020", "--format", "json", registry=registry).stdout)
    assert first["compared"] is None  # the first year with results has nothing to compare with


def test_two_tables_that_count_stages_differently_say_how(run: Run, registry: Path, tmp_path: Path) -> None:
    """按类别(期末) counts each town under its stage at the end, 各类别小镇数 under its stage on each day:
    each says so beneath it, so that 期初 14 in one and 13 in the other read as the two counts they are."""
    worked_year(run, registry, tmp_path)
    markdown = run("report", registry=registry).stdout
    by_stage = markdown.split("## 按类别(期末)")[1].split("## ")[0]
    assert "注：按各镇期末所在类别归类" in by_stage
    stages = markdown.split("## 各类别小镇数(不含退出)：期初与期末")[1].split("## ")[0]
    assert "注：期初按各镇期初（上年末）所在类别计，期末按期末所在类别计" in stages


def test_every_bar_carries_its_number_in_ink_that_stands_out(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    from xiaozhen.reports.report_html import COLOURS, contrast, ink

    worked_year(run, registry, tmp_path)
    page = tmp_path / "report.html"
    assert run("report", "-f", "html", "-o", str(page), registry=registry).exit_code == 0
    text = page.read_text(encoding="utf-8")
    segments = re.findall(
        r'<span class="bar" style="([^"]*)"[^>]*data-value="(\d+)"[^>]*>([^<]*)</span>', text
    )
    assert segments and all(shown == (value if value != "0" else "") for _, value, shown in segments)
    for colour in COLOURS.values():
        assert contrast(ink(colour), colour) >= 4.5, colour  # WCAG AA for normal text
    assert text.count("<h2>主要数字</h2>") == 0 and text.count('data-figure="passed"') == 1  # said once
