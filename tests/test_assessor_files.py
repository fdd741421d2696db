"""Assessor files as a provincial office receives them (tests/fixtures/assessors, written by its
make_fixtures.py): each good one records the same results; each broken one says where and what, exits 2
and writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from conftest import FIXTURES, Run
from xiaozhen.store.registry import load

GOOD = [
    "titled-merged.xlsx",
    "wps-sheets.xlsx",
    "gb18030.csv",
    "utf8-bom-crlf.csv",
    "as-assessors-make-it.xlsx",
    "year-in-a-row-above.xlsx",
]
# (town id, year, result, score, assessor) that every good file records.
RECORDED = [
    (3, 2020, "达标", 78, "某评估机构"),
    (5, 2020, "不达标", 52, "某评估机构"),
    (13, 2020, "达标", 91, "某评估机构"),
]


def recorded(registry: Path) -> list[tuple[int, int, str, int | None, str | None]]:
    towns = load(registry).report.registry.towns  # type: ignore[union-attr]
    return [
        (t.id, a.year, a.result.value, None if a.score is None else int(a.score), a.assessor)
        for t in towns
        for a in t.assessments
    ]


@pytest.mark.parametrize("name", GOOD)
def test_each_assessor_file_records_the_same_results(run: Run, registry: Path, name: str) -> None:
    result = run("assess-import", str(FIXTURES / name), "--date", "2021-01-15", registry=registry)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "13 吉林市大荒地稻香小镇: 2020 达标\n3 长春市健康山谷小镇: 2020 达标\n5 长春市吉商小镇: 2020 不达标 → 已退出\n"
    )
    assert recorded(registry) == RECORDED
    assert result.stderr.endswith("3 rows; 3 recorded, 0 already recorded, 1 town exited\n")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "broken-no-header.xlsx",
            "broken-no-header.xlsx (sheet Sheet): no header row: none of the first 20 rows names a town column",
        ),
        (
            "broken-no-result-column.csv",
            "broken-no-result-column.csv: row 1 names a town column but no result column",
        ),
        (
            "broken-two-result-columns.xlsx",
            "broken-two-result-columns.xlsx (sheet Sheet): row 2 has two 评估结果 columns, D (评估结果) and E (考核结果): keep one",
        ),
        ("broken-unknown-town.csv", "broken-unknown-town.csv: 1 row cannot be recorded; nothing was written"),
    ],
)
def test_a_broken_assessor_file_says_where_and_writes_nothing(
    run: Run, registry: Path, name: str, message: str
) -> None:
    before = registry.read_bytes()
    result = run("assess-import", str(FIXTURES / name), "--date", "2021-01-15", registry=registry)
    assert result.exit_code == 2
    assert message in result.stderr.splitlines()[0]
    assert registry.read_bytes() == before


def test_an_unknown_town_names_its_row_and_the_closest_towns(run: Run, registry: Path) -> None:
    result = run(
        "assess-import", str(FIXTURES / "broken-unknown-town.csv"), "--date", "2021-01-15", registry=registry
    )
    assert result.stderr.splitlines()[1] == (
        "  row 4: no town's name contains '吉林市不存在的温泉小镇'; the closest: 14 吉林市搜登站温泉小镇; 50 安图县红丰矿泉水小镇"
    )


def test_the_sheet_can_be_chosen(run: Run, registry: Path) -> None:
    path = FIXTURES / "wps-sheets.xlsx"
    refused = run(
        "assess-import", str(path), "--sheet", "填报说明", "--date", "2021-01-15", registry=registry
    )
    assert refused.exit_code == 2 and "(sheet 填报说明): no header row" in refused.stderr
    missing = run("assess-import", str(path), "--sheet", "Sheet9", registry=registry)
    assert missing.exit_code == 2
    assert "has no sheet 'Sheet9'; its sheets: 填报说明, 评估结果" in missing.stderr
    chosen = run("assess-import", str(path), "--sheet", "评估结果", "--date", "2021-01-15", registry=registry)
    assert chosen.exit_code == 0, chosen.stderr


def test_the_sheet_named_like_results_is_read_whatever_the_file_is_called(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    """Of two sheets with a header row, the one named like results (评估结果) is read, also when the file's
    own name is like results too."""
    book = Workbook()
    book.active.title = "汇总"
    book.active.append(["小镇名称", "年度", "评估结果"])
    book.active.append(["3", 2020, "不达标"])
    results = book.create_sheet("评估结果")
    results.append(["小镇名称", "年度", "评估结果"])
    results.append(["3", 2020, "达标"])
    path = tmp_path / "2020年度评估结果.xlsx"
    book.save(path)
    done = run("assess-import", str(path), "--date", "2021-01-15", registry=registry)
    assert done.exit_code == 0, done.stderr
    assert [(town, result) for town, _, result, _, _ in recorded(registry)] == [(3, "达标")]


def test_a_row_that_cannot_be_read_is_named_by_its_sheet_row(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["2020年度评估结果"])
    sheet.append([])
    sheet.append(["序号", "小镇名称", "年度", "评估结果"])
    sheet.append([1, "大荒地", "２０２０年", "达标"])
    sheet.append([2, "健康山谷", "二〇二〇", "达标"])
    sheet.append([3, "吉商", 2020, "良好"])
    book.save(tmp_path / "r.xlsx")
    before = registry.read_bytes()
    result = run("assess-import", str(tmp_path / "r.xlsx"), "--date", "2021-01-15", registry=registry)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[1:] == [
        "  row 5: year '二〇二〇' is not a year",
        "  row 6: result '良好' is not 达标/不达标 (pass/fail)",
    ]
    assert registry.read_bytes() == before


def test_an_old_xls_workbook_is_asked_for_as_xlsx(run: Run, registry: Path, tmp_path: Path) -> None:
    path = tmp_path / "r.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0" + bytes(60))
    result = run("assess-import", str(path), registry=registry)
    assert result.exit_code == 2
    assert "an old Excel (.xls) or WPS (.et) workbook; save it as .xlsx or CSV" in result.stderr


def test_a_damaged_workbook_is_a_message(run: Run, registry: Path, tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    result = run("assess-import", str(path), registry=registry)
    assert result.exit_code == 2 and "not a readable XLSX workbook" in result.stderr


def test_excel_unicode_text_is_read(run: Run, registry: Path, tmp_path: Path) -> None:
    """Excel's "Unicode text": UTF-16 with a BOM, tab separated; a score written with its unit."""
    path = tmp_path / "results.txt"
    path.write_text("小镇名称\t年度\t评估结果\t得分\r\n大荒地\t2020年度\t达标\t91分\r\n", encoding="utf-16")
    result = run("assess-import", str(path), "--date", "2021-01-15", registry=registry)
    assert result.exit_code == 0, result.stderr
    assert recorded(registry) == [(13, 2020, "达标", 91, None)]


def test_a_workbook_as_assessors_make_it_keeps_each_date_and_names_what_it_does_not_read(
    run: Run, registry: Path
) -> None:
    result = run(
        "assess-import",
        str(FIXTURES / "as-assessors-make-it.xlsx"),
        "--date",
        "2021-01-15",
        registry=registry,
    )
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[0] == (
        f"{FIXTURES / 'as-assessors-make-it.xlsx'}: columns not read: F (评估等级)"
    )
    towns = load(registry).report.registry.towns  # type: ignore[union-attr]
    dates = {t.id: str(a.date) for t in towns for a in t.assessments}
    assert dates == {13: "2020-12-29", 3: "2020-12-30", 5: "2020-12-31"}  # each row's 评估日期
    # The import itself is dated as run: the history says when the office recorded it.
    assert {str(t.history[0].date) for t in towns if t.assessments} == {"2021-01-15"}


def test_a_file_that_states_no_year_takes_it_from_the_option(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    rows = tmp_path / "结果.csv"
    rows.write_text("小镇名称,评估结果,得分\n大荒地,达标,91分\n", encoding="utf-8")
    refused = run("assess-import", str(rows), registry=registry)
    assert refused.exit_code == 2
    assert (
        "has no year column (年度, 评估年度 or year), and neither a title above it (2020年度…) nor --year"
        in refused.stderr
    )
    done = run("assess-import", str(rows), "--year", "2020年", "--date", "2021-01-15", registry=registry)
    assert (done.exit_code, done.stdout) == (0, "13 吉林市大荒地稻香小镇: 2020 达标\n")
