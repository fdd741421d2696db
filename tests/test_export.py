"""`export`: the registry for people who live in Excel, and nothing a spreadsheet could run."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path

from openpyxl import load_workbook

from conftest import SHIPPED, Run, edit_text
from xiaozhen.store.registry import load, load_records


def test_xlsx_has_towns_assessments_and_tallies(run: Run, registry: Path, tmp_path: Path) -> None:
    edit_text(
        registry,
        "assessments: []",
        "assessments:\n      - year: 2020\n        result: 达标\n        score: 88.5",
    )
    out = tmp_path / "towns.xlsx"
    result = run("export", "--format", "xlsx", "-o", str(out), registry=registry)
    assert result.exit_code == 0, result.stderr
    book = load_workbook(out)
    assert book.sheetnames == [
        "小镇",
        "评估",
        *("按类别统计", "按市(州)统计", "按镇类型统计", "按状态统计", "市(州)×类别"),
        "国家规范数据",
        "数据来源",
    ]
    towns = book["小镇"]
    assert [c.value for c in towns[1]][:6] == ["编号", "名称", "市(州)", "县(市)", "类别", "公布类别"]
    assert towns.max_row == 56 and towns.freeze_panes == "A2"
    assert [c.value for c in towns[10]][:5] == [9, "榆树市五棵树玉米深加工小镇", "长春市", "榆树市", "成长类"]
    assert towns.column_dimensions["B"].width >= 26  # the longest name, in display cells
    assessments = book["评估"]
    assert [c.value for c in assessments[2]][:5] == [1, "长春市红旗绿色智能小镇", 2020, "达标", 88.5]
    by_stage = [[c.value for c in row] for row in book["按类别统计"].iter_rows()]
    assert by_stage[0] == ["类别", "小镇数", "占比"] and by_stage[2][:2] == ["培育类", 27]
    assert by_stage[-1] == ["合计", 55, 1] and book["按类别统计"]["C3"].number_format == "0.0%"
    cross = [[c.value for c in row] for row in book["市(州)×类别"].iter_rows()]
    assert cross[0] == ["市(州) \\ 类别", "成长类", "培育类", "规划类", "合计"]
    assert cross[1] == ["长春市", 3, 4, 5, 12] and cross[-1] == ["合计", 13, 27, 15, 55]
    # Every data sheet filters and prints as Excel users expect: header repeated, fitted to the width.
    assert towns.auto_filter.ref == f"A1:{towns.cell(1, towns.max_column).column_letter}56"
    assert towns.print_title_rows == "$1:$1" and towns.page_setup.orientation == "landscape"
    assert (
        str(towns.page_setup.paperSize) == towns.PAPERSIZE_A4 and towns.sheet_properties.pageSetUpPr.fitToPage
    )


def test_xlsx_shares_and_dates_are_numbers_and_dates(run: Run, registry: Path, tmp_path: Path) -> None:
    settings = ["leading_industry=玉米", "investment.total=30", "investment.leading_industry=21.5"]
    settings += ["plan.title=规划", "plan.approved=2019-06-01"]
    settings += ["plan.conforms_to=城镇体系规划,土地利用总体规划,主体功能区规划,生态环保要求,保护区相关规定"]
    assert run("set", "9", *settings, "--date", "2021-03-02", registry=registry).exit_code == 0
    out = tmp_path / "towns.xlsx"
    assert run("export", "--format", "xlsx", "-o", str(out), registry=registry).exit_code == 0
    towns = load_workbook(out)["小镇"]
    header = [c.value for c in towns[1]]
    share = towns.cell(10, header.index("主导产业投资占比") + 1)
    approved = towns.cell(10, header.index("规划批准日期") + 1)
    assert (share.value, share.number_format) == (0.7167, "0.0%")
    assert (approved.value, approved.number_format) == (datetime(2019, 6, 1), "yyyy-mm-dd")


def test_xlsx_holds_the_national_norms_data(run: Run, registry: Path, tmp_path: Path) -> None:
    norms = ["industry_class=文化旅游", "规划面积=3.2平方公里", "绿化覆盖率=35%", "四至范围清晰=否"]
    assert run("set", "9", *norms, "--date", "2021-03-02", registry=registry).exit_code == 0
    out = tmp_path / "towns.xlsx"
    assert run("export", "--format", "xlsx", "-o", str(out), registry=registry).exit_code == 0
    sheet = load_workbook(out)["国家规范数据"]
    header = [c.value for c in sheet[1]]
    assert header[:5] == ["编号", "名称", "小镇类别", "规划面积(平方公里)", "建设用地面积(平方公里)"]
    assert sheet.max_row == 56  # a row a town, blank where nothing is recorded
    row = {h: c for h, c in zip(header, sheet[10], strict=True)}
    assert (row["编号"].value, row["小镇类别"].value, row["规划面积(平方公里)"].value) == (9, "文化旅游", 3.2)
    assert (row["绿化覆盖率"].value, row["绿化覆盖率"].number_format) == (0.35, "0.0%")
    assert row["四至范围清晰"].value == "否" and row["吸纳就业人数(人)"].value is None


def test_csv_opens_in_excel_with_chinese_headers(run: Run) -> None:
    text = run("export", "--format", "csv", registry=SHIPPED).stdout
    assert text.startswith("\ufeff编号,名称,市(州)")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == 56 and rows[13][1] == "吉林市大荒地稻香小镇"


def test_no_cell_can_be_read_as_a_formula(run: Run, registry: Path, tmp_path: Path) -> None:
    edit_text(registry, "leading_industry: null", 'leading_industry: \'=HYPERLINK("http://x","y")\'')
    edit_text(registry, "management: null", "management: '@SUM(A1)'")
    csv_text = run("export", "-f", "csv", registry=registry).stdout
    assert "'=HYPERLINK" in csv_text and "'@SUM(A1)" in csv_text
    assert ",=HYPERLINK" not in csv_text
    out = tmp_path / "x.xlsx"
    assert run("export", "-f", "xlsx", "-o", str(out), registry=registry).exit_code == 0
    # In a workbook the guard is the cell's type: text, shown as written, with no apostrophe.
    row = {c.value: c.data_type for c in load_workbook(out)["小镇"][2]}
    assert row['=HYPERLINK("http://x","y")'] == "s" and row["@SUM(A1)"] == "s"
    assert all(c.data_type != "f" for r in load_workbook(out)["小镇"].iter_rows() for c in r)


def test_json_export_is_the_whole_registry(run: Run) -> None:
    data = json.loads(run("export", "-f", "json", registry=SHIPPED).stdout)
    assert set(data) == {"registry", "standards", "declared", "rulebooks", "province", "towns"}
    assert data == load_records(SHIPPED)
    assert data == load(SHIPPED).report.registry.model_dump(mode="json", by_alias=True)  # type: ignore[union-attr]
    assert data["standards"]["leading_industry_min_share"] == {"clause": "一(四)", "value": 0.5}


def test_markdown_is_a_table_for_a_report(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "towns.md"
    assert run("export", "-f", "md", "-o", str(out), registry=SHIPPED).exit_code == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "# 吉政办明电〔2019〕5号 特色产业小镇名录 (55)"
    assert lines[2] == "| 编号 | 名称 | 市(州) | 县(市) | 类别 | 建制镇/非建制镇 | 状态 | 主导产业 |"
    assert lines[4] == "| 1 | 长春市红旗绿色智能小镇 | 长春市 |  | 培育类 | 非建制镇 | 创建中 |  |"
    assert len(lines) == 4 + 55


def test_xlsx_needs_an_output_file(run: Run) -> None:
    result = run("export", "-f", "xlsx", registry=SHIPPED)
    assert result.exit_code == 2 and "--output" in result.stderr


def test_a_sqlite_export_onto_a_full_disk_says_so_and_leaves_nothing(tmp_path: Path) -> None:
    """The file-size limit of the process stands in for a full disk: SQLite's writes fail as they would
    there ("database or disk is full"), and the export says so, with no half-written file left."""
    import resource
    import signal
    import subprocess
    import sys

    def small_disk() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write over the limit fails instead of killing
        resource.setrlimit(resource.RLIMIT_FSIZE, (16 * 1024, 16 * 1024))

    target = tmp_path / "out" / "towns.db"
    target.parent.mkdir()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "xiaozhen",
            "--registry",
            str(SHIPPED),
            "export",
            "-f",
            "sqlite",
            "-o",
            str(target),
        ],
        capture_output=True,
        text=True,
        preexec_fn=small_disk,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith(f"xiaozhen: {target}: cannot write (SQLite: ")
    assert done.stderr.endswith("; nothing was written\n")
    assert list(target.parent.iterdir()) == []


def test_the_history_table_keeps_each_entry_s_source_and_filler(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    import sqlite3

    done = run(
        "set",
        "1",
        "management=管委会",
        "--source",
        "2020年统计表",
        "--by",
        "长春市发改委 张某",
        registry=registry,
    )
    assert done.exit_code == 0, done.stderr
    db = tmp_path / "towns.db"
    assert run("export", "--format", "sqlite", "-o", str(db), registry=registry).exit_code == 0
    with sqlite3.connect(db) as connection:
        rows = connection.execute(
            "SELECT event, source, filled_by FROM history WHERE town_id = 1 AND event = 'updated'"
        ).fetchall()
    assert rows == [("updated", "2020年统计表", "长春市发改委 张某")]
