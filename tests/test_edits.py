"""Edits through the CLI: the exact diff each makes, reruns, refusals, imports, and concurrent writers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook

from conftest import SHIPPED, Run, line_of, notice_problems, run_process
from xiaozhen.store.diff import unified_diff
from xiaozhen.store.registry import load


def changed_lines(before: str, after: str) -> list[str]:
    """The +/- lines of the diff between two texts."""
    diff = unified_diff(before, after, "x").splitlines()
    return [line for line in diff if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def test_advance_changes_its_category_line_and_adds_history(run: Run, registry: Path) -> None:
    before = registry.read_text(encoding="utf-8")
    result = run("advance", "3", "--date", "2020-01-05", registry=registry)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "3 长春市健康山谷小镇: 规划类 → 培育类\n"
    assert changed_lines(before, registry.read_text(encoding="utf-8")) == [
        "-    category: 规划类",
        "+    category: 培育类",
        "-    history: []",
        "+    history:",
        "+      - date: 2020-01-05",
        "+        event: advanced",
        "+        from: 规划类",
        "+        to: 培育类",
    ]


def test_advance_run_again_in_the_year_of_the_move_changes_nothing(run: Run, registry: Path) -> None:
    assert run("advance", "3", "--date", "2020-01-05", registry=registry).exit_code == 0
    once = registry.read_bytes()
    # The same script run again, that day or any later day of the year: a rerun, not a second step.
    for day in ("2020-01-05", "2020-01-06", "2020-12-31"):
        again = run("advance", "3", "--date", day, registry=registry)
        assert (again.exit_code, again.stdout) == (
            0,
            "3 长春市健康山谷小镇 was advanced to 培育类 on 2020-01-05 already; a second move in 2020 takes "
            "--to naming the stage\n",
        )
        assert registry.read_bytes() == once
    # A second step in the year is asked for by name.
    assert run("advance", "3", "--to", "成长类", "--date", "2020-01-06", registry=registry).exit_code == 0
    assert "category: 成长类" in registry.read_text(encoding="utf-8")


def test_advance_in_a_later_year_is_the_next_step(run: Run, registry: Path) -> None:
    assert run("advance", "5", "--date", "2020-06-01", registry=registry).exit_code == 0
    later = run("advance", "5", "--date", "2021-06-01", registry=registry)
    assert (later.exit_code, later.stdout) == (0, "5 长春市吉商小镇: 培育类 → 成长类\n")


def test_assess_records_the_result_and_a_failure_exits(run: Run, registry: Path) -> None:
    before = registry.read_text(encoding="utf-8")
    result = run(
        "assess",
        "吉商",
        "--year",
        "2020",
        "--result",
        "fail",
        "--score",
        "41",
        "--assessor",
        "某评估机构",
        "--note",
        "投资未到位",
        "--date",
        "2021-01-10",
        registry=registry,
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "5 长春市吉商小镇: 2020 不达标 → 已退出\n"
    assert changed_lines(before, registry.read_text(encoding="utf-8")) == [
        "-    status: 创建中",
        "+    status: 已退出",
        "-    assessments: []",
        "-    history: []",
        "+    assessments:",
        "+      - year: 2020",
        "+        result: 不达标",
        "+        score: 41",
        "+        assessor: 某评估机构",
        "+        date: 2021-01-10",
        "+        note: 投资未到位",
        "+    history:",
        "+      - date: 2021-01-10",
        "+        event: assessed",
        "+        year: 2020",
        "+        to: 不达标",
        "+        note: 2020年度评估：投资未到位",
        "+      - date: 2021-01-10",
        "+        event: exited",
        "+        from: 创建中",
        "+        to: 已退出",
        "+        note: 2020年度评估不达标（二(三)）",
    ]
    refused = run("advance", "5", registry=registry)
    assert refused.exit_code == 1 and "which is final" in refused.stderr


def test_designate_after_a_passing_year(run: Run, registry: Path) -> None:
    assert (
        run(
            "assess", "13", "--year", "2020", "--result", "达标", "--date", "2021-01-10", registry=registry
        ).exit_code
        == 0
    )
    before = registry.read_text(encoding="utf-8")
    result = run("designate", "大荒地", "--date", "2021-02-01", registry=registry)
    assert (result.exit_code, result.stdout) == (0, "13 吉林市大荒地稻香小镇: 创建中 → 已认定\n")
    assert changed_lines(before, registry.read_text(encoding="utf-8")) == [
        "-    status: 创建中",
        "+    status: 已认定",
        "+      - date: 2021-02-01",
        "+        event: designated",
        "+        from: 创建中",
        "+        to: 已认定",
        "+        note: 2020年度评估达标（五(三)）",
    ]


def test_withdraw_keeps_the_reason(run: Run, registry: Path) -> None:
    result = run("withdraw", "19", "--reason", "申请退出", "--date", "2020-06-30", registry=registry)
    assert result.exit_code == 0
    town = load(registry).report.registry.towns[18]  # type: ignore[union-attr]
    assert town.status.value == "已退出"
    assert [(h.event.value, h.note) for h in town.history] == [("exited", "申请退出")]


def test_set_records_standards_data(run: Run, registry: Path) -> None:
    before = registry.read_text(encoding="utf-8")
    result = run(
        "set",
        "五棵树",
        "leading_industry=玉米深加工",
        "investment.total=30",
        "investment.leading_industry=21.5",
        "developer.name=某玉米公司",
        "developer.ownership=民营企业",
        "--date",
        "2020-03-01",
        registry=registry,
    )
    assert result.exit_code == 0, result.stderr
    lines = changed_lines(before, registry.read_text(encoding="utf-8"))
    assert lines[:12] == [
        "-    leading_industry: null",
        "-    investment: null",
        "-    developer: null",
        "+    leading_industry: 玉米深加工",
        "+    investment:",
        "+      total: 30",
        "+      leading_industry: 21.5",
        "+    developer:",
        "+      name: 某玉米公司",
        "+      ownership: 民营企业",
        "-    history: []",
        "+    history:",
    ]
    # the history entry holds each key's value before and after, so it can be replayed and rewound
    assert lines[12:] == [
        "+      - date: 2020-03-01",
        "+        event: updated",
        "+        from:",
        "+          leading_industry: null",
        "+          investment.total: null",
        "+          investment.leading_industry: null",
        "+          developer.name: null",
        "+          developer.ownership: null",
        "+        to:",
        "+          leading_industry: 玉米深加工",
        "+          investment.total: 30",
        "+          investment.leading_industry: 21.5",
        "+          developer.name: 某玉米公司",
        "+          developer.ownership: 民营企业",
    ]
    assert notice_problems(load(registry).report.problems) == []
    again = run("set", "9", "leading_industry=玉米深加工", registry=registry)
    assert again.exit_code == 0 and "already recorded" in again.stdout


def test_add_appends_a_town_of_a_later_batch(run: Run, registry: Path) -> None:
    args = [
        "add",
        "--name",
        "农安县新小镇",
        "-p",
        "长春",
        "-c",
        "planning",
        "-t",
        "建制镇",
        "--batch",
        "2",
        "--county",
        "农安县",
        "--date",
        "2021-05-01",
    ]
    result = run(*args, registry=registry)
    assert (result.exit_code, result.stdout) == (0, "56 农安县新小镇: added to batch 2 as 规划类\n")
    text = registry.read_text(encoding="utf-8")
    assert text.endswith(
        "    history: []\n\n  - id: 56\n    name: 农安县新小镇\n    prefecture: 长春市\n"
        "    county: 农安县\n    category: 规划类\n    listed_category: 规划类\n    town_type: 建制镇\n"
        "    status: 创建中\n    batch: 2\n    leading_industry: null\n    investment: null\n"
        "    developer: null\n    plan: null\n    management: null\n    assessments: []\n"
        "    history:\n      - date: 2021-05-01\n        event: added\n        note: 第 2 批\n"
    )
    assert run(*args, registry=registry).exit_code == 0
    assert registry.read_text(encoding="utf-8") == text
    assert notice_problems(load(registry).report.problems) == []


def test_dry_run_prints_the_diff_and_writes_nothing(run: Run, registry: Path) -> None:
    before = registry.read_bytes()
    result = run("advance", "3", "--dry-run", "--date", "2020-01-05", registry=registry)
    assert result.exit_code == 0
    assert registry.read_bytes() == before
    assert f"--- a/{registry}\n+++ b/{registry}\n" in result.stdout
    assert "-    category: 规划类\n+    category: 培育类\n" in result.stdout
    assert "dry run: nothing was written" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["advance", "13"],  # 成长类 already
        ["set", "6", "investment.total=10", "investment.leading_industry=12"],  # above the total
        ["designate", "6"],  # never assessed
        ["advance", "3", "13"],  # the second is refused: neither is written
    ],
)
def test_a_refused_edit_exits_1_and_leaves_the_file_byte_identical(
    run: Run, registry: Path, args: list[str]
) -> None:
    before = registry.read_bytes()
    result = run(*args, registry=registry)
    assert result.exit_code == 1, result.stdout
    assert registry.read_bytes() == before
    assert not list(registry.parent.glob(".towns.yaml.*.tmp"))


def test_a_refusal_shows_the_problem_as_validate_would(run: Run, registry: Path) -> None:
    result = run("set", "6", "investment.total=10", "investment.leading_industry=12", registry=registry)
    assert (
        ": investment-range: 长春市人工智能小镇: investment.leading_industry 12 is outside 0..10 (the total)"
        in result.stderr
    )


@pytest.mark.parametrize(
    ("args", "finding"),
    [
        (
            ["set", "6", "investment.total=10", "investment.leading_industry=4"],
            "长春市人工智能小镇: leading-industry investment is 40% of the total; the standard requires at "
            "least 50% (一(四))",
        ),
        (
            ["set", "1", "leading_industry=玉米深加工、旅游"],
            "长春市红旗绿色智能小镇: leading_industry '玉米深加工、旅游' names several industries; a town "
            "has one (一镇一主业)",
        ),
        (
            ["set", "1", "developer.name=某镇政府", "developer.ownership=政府机关"],
            "长春市红旗绿色智能小镇: developer ownership '政府机关' is not an enterprise type of 一(三); use "
            "one of 国有企业, 民营企业, 混合所有制企业, 其他企业",
        ),
    ],
)
def test_a_town_short_of_a_standard_is_recorded_and_the_finding_said(
    run: Run, registry: Path, args: list[str], finding: str
) -> None:
    # The registry records the truth: falling short of a standard is a finding about the town, which the
    # yearly assessment is for, never a reason to refuse what the source states.
    result = run(*args, "--source", "2020年度统计表", registry=registry)
    assert result.exit_code == 0, result.stderr
    assert f"recorded, short of a standard: {finding}\n" in result.stderr
    report = load(registry).report
    assert report.ok
    assert [p.message for p in notice_problems(report.findings)] == [finding]
    # show lists it with the town, by its code
    shown = run("show", args[1], registry=registry)
    assert "核查发现 findings" in shown.stdout and report.findings[0].code in shown.stdout
    assert "核查发现" not in run("show", "2", registry=registry).stdout
    # Said once: a later edit of another town does not say it again.
    again = run("advance", "3", registry=registry)
    assert again.exit_code == 0 and "short of a standard" not in again.stderr


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["advance", "99"], 2),
        (["advance", "影视"], 2),
        (["advance", "3", "--date", "2099-01-01"], 2),
        (["advance", "3", "--to", "growing"], 2),
        (["assess", "3", "--year", "2020", "--result", "ok"], 2),
    ],
)
def test_misuse_exits_2_and_writes_nothing(run: Run, registry: Path, args: list[str], code: int) -> None:
    before = registry.read_bytes()
    assert run(*args, registry=registry).exit_code == code
    assert registry.read_bytes() == before


def test_a_symlinked_registry_is_refused_never_followed_or_written_through(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    # A pull request that makes the registry a link (to a file outside the checkout, or to one whose base
    # already holds its change) hides what it does: refused by every read and edit (row 10, round three).
    link = tmp_path / "link.yaml"
    link.symlink_to(registry)
    before = registry.read_bytes()
    said = f"xiaozhen: {link}: is a symbolic link, not a registry file"
    for args in (["validate", str(link)], ["list"], ["advance", "3"]):
        refused = run(*args, registry=link)
        assert refused.exit_code == 2 and refused.stderr.startswith(said), args
    assert link.is_symlink() and registry.read_bytes() == before


def test_a_registry_behind_a_linked_directory_outside_the_checkout_is_refused(
    run: Run, tmp_path: Path
) -> None:
    # `data` made a link to a folder elsewhere: git stores the link, the reader would read the other file.
    checkout, elsewhere = tmp_path / "checkout", tmp_path / "elsewhere"
    (checkout / ".git").mkdir(parents=True)
    elsewhere.mkdir()
    (elsewhere / "towns.yaml").write_bytes(SHIPPED.read_bytes())
    (checkout / "data").symlink_to(elsewhere)
    before = (elsewhere / "towns.yaml").read_bytes()
    registry = checkout / "data" / "towns.yaml"
    for args in (["validate", str(registry)], ["list"], ["advance", "3"]):
        refused = run(*args, registry=registry)
        assert refused.exit_code == 2, args
        assert refused.stderr.startswith(
            f"xiaozhen: {registry}: a linked directory leads outside the repository {checkout}"
        ), refused.stderr
    assert (elsewhere / "towns.yaml").read_bytes() == before
    (checkout / "data").unlink()  # a link inside the checkout, to a folder in it, is read as usual
    (checkout / "real").mkdir()
    (checkout / "real" / "towns.yaml").write_bytes(before)
    (checkout / "data").symlink_to("real")
    assert run("validate", str(registry), registry=registry).exit_code == 0


def test_bom_and_crlf_are_kept(run: Run, registry: Path) -> None:
    registry.write_bytes(b"\xef\xbb\xbf" + SHIPPED.read_bytes().replace(b"\n", b"\r\n"))
    assert run("advance", "3", registry=registry).exit_code == 0
    raw = registry.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\n" not in raw.replace(b"\r\n", b"")


# --- assess-import -------------------------------------------------------------------------------


def write_csv(path: Path, rows: list[str]) -> Path:
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_import_records_every_row_in_one_write(run: Run, registry: Path, tmp_path: Path) -> None:
    results = write_csv(
        tmp_path / "r.csv",
        [
            "town,year,result,score,assessor,note",
            "13,2020,达标,90,机构,",
            "大荒地,2021,pass,91,机构,",
            "吉商,2020,不达标,40,机构,投资不足",
        ],
    )
    result = run("assess-import", str(results), "--date", "2022-01-10", registry=registry)
    assert result.exit_code == 0, result.stderr
    assert "3 rows; 3 recorded, 0 already recorded, 1 town exited" in result.stderr
    towns = load(registry).report.registry.towns  # type: ignore[union-attr]
    assert [(a.year, a.result.value) for a in towns[12].assessments] == [(2020, "达标"), (2021, "达标")]
    assert towns[4].status.value == "已退出"


def test_import_reads_xlsx_with_chinese_headers(run: Run, registry: Path, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["小镇", "年度", "结果", "得分", "评估机构", "说明"])
    sheet.append(["五棵树", 2020, "达标", 85, "某机构", None])
    sheet.append([10, 2020, "达标", 80.5, "某机构", "良好"])
    book.save(tmp_path / "r.xlsx")
    result = run("assess-import", str(tmp_path / "r.xlsx"), "--date", "2021-01-10", registry=registry)
    assert result.exit_code == 0, result.stderr
    towns = load(registry).report.registry.towns  # type: ignore[union-attr]
    assert towns[8].assessments[0].score == 85 and towns[9].assessments[0].note == "良好"


def test_a_bad_import_names_each_bad_row_and_writes_nothing(run: Run, registry: Path, tmp_path: Path) -> None:
    results = write_csv(
        tmp_path / "r.csv",
        [
            "town,year,result",
            "13,2020,达标",
            "不存在,2020,达标",
            "14,2020,好",
            "15,二〇二〇,达标",
            "13,2020,达标",
            "16,2018,达标",
            "影视,2020,达标",
        ],
    )
    before = registry.read_bytes()
    result = run("assess-import", str(results), "--date", "2021-01-10", registry=registry)
    assert result.exit_code == 2
    assert registry.read_bytes() == before
    lines = result.stderr.splitlines()
    assert lines[0] == f"xiaozhen: {results}: 6 rows cannot be recorded; nothing was written"
    assert [line.split(":")[0].strip() for line in lines[1:]] == [f"row {n}" for n in (3, 4, 5, 6, 7, 8)]
    assert "row 6: 13 吉林市大荒地稻香小镇 2020 is also in row 2" in result.stderr
    assert "row 7: 16 吉林市小白山医养小镇: 2018 is before the town was listed (2019)" in result.stderr


def test_an_import_without_the_columns_exits_2(run: Run, registry: Path, tmp_path: Path) -> None:
    results = write_csv(tmp_path / "r.csv", ["小镇编号,when", "13,2020"])
    result = run("assess-import", str(results), registry=registry)
    assert result.exit_code == 2
    assert result.stderr == (
        f"xiaozhen: {results}: no header row: none of the first 20 rows names a town column (小镇名称, 小镇 "
        "or town) and a result column (评估结果, 结果 or result); the columns are town, year, result (score, "
        "assessor, note optional)\n"
    )


# --- reruns and concurrency ----------------------------------------------------------------------


def yearly_update(registry: Path, results: Path) -> list[int]:
    steps = [
        ["assess-import", str(results), "--date", "2021-01-15"],
        ["advance", "3", "4", "--to", "培育类", "--date", "2021-02-01"],
        ["designate", "大荒地", "--date", "2021-03-01"],
    ]
    return [run_process("--registry", str(registry), *step).returncode for step in steps]


def test_a_yearly_script_run_twice_leaves_the_file_as_one_run(registry: Path, tmp_path: Path) -> None:
    results = write_csv(
        tmp_path / "r.csv", ["town,year,result", "13,2020,达标", "3,2020,达标", "5,2020,不达标"]
    )
    assert yearly_update(registry, results) == [0, 0, 0]
    once = registry.read_bytes()
    assert yearly_update(registry, results) == [0, 0, 0]
    assert registry.read_bytes() == once
    assert notice_problems(load(registry).report.problems) == []


WRITERS = 20


def test_twenty_writers_at_once_all_land(registry: Path) -> None:
    code = (
        "import sys; from xiaozhen.cli import main; sys.argv = ['xiaozhen', '--registry', sys.argv[1], "
        "'assess', sys.argv[2], '--year', '2020', '--result', '达标', '--date', '2021-01-10']; main()"
    )
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(registry), str(town_id)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for town_id in range(1, WRITERS + 1)
    ]
    outputs = [w.communicate(timeout=120) for w in writers]
    assert [w.returncode for w in writers] == [0] * WRITERS, [err for _, err in outputs]
    loaded = load(registry)
    assert notice_problems(loaded.report.problems) == []
    towns = loaded.report.registry.towns  # type: ignore[union-attr]
    assert [len(t.assessments) for t in towns[:WRITERS]] == [1] * WRITERS
    assert not [p for p in registry.parent.iterdir() if p.name.endswith(".tmp")]


def test_edit_line_numbers_point_into_the_file(run: Run, registry: Path) -> None:
    # A refusal's lines refer to the file as it would be: `investment: null` becomes a mapping there.
    result = run("set", "1", "investment.total=10", "investment.leading_industry=12", registry=registry)
    assert result.exit_code == 1
    assert f"towns.yaml:{line_of(registry, 'investment: null') + 2}:" in result.stderr


def test_while_the_registry_breaks_a_rule_only_a_fixing_edit_is_accepted(run: Run, registry: Path) -> None:
    text = registry.read_text(encoding="utf-8").replace(
        "investment: null", "investment:\n      total: 10\n      leading_industry: 12", 1
    )
    registry.write_text(text, encoding="utf-8")
    refused = run("advance", "3", registry=registry)
    assert refused.exit_code == 1 and "investment-range" in refused.stderr
    assert registry.read_text(encoding="utf-8") == text
    fixed = run("set", "1", "investment.leading_industry=6", registry=registry)
    assert fixed.exit_code == 0, fixed.stderr
    report = load(registry).report
    assert report.errors == []
    # the total typed in by hand is still data no history entry records; the fix was recorded
    assert [(p.code, p.path) for p in report.warnings] == [("unrecorded-data", "towns[0].investment.total")]


@pytest.mark.parametrize("where", ["missing.yaml", "no-such-folder/towns.yaml", "."])
def test_editing_a_registry_that_is_not_there_exits_2_saying_why(
    run: Run, tmp_path: Path, where: str
) -> None:
    path = tmp_path / where
    result = run("advance", "3", registry=path)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"xiaozhen: {path}: ")
    assert "no such file" in result.stderr or "is a directory" in result.stderr
    assert not (tmp_path / ".missing.yaml.lock").exists()


@pytest.mark.parametrize("typed", ["2021-1-5", "2021/1/5", "2021.1.5", "2021年1月5日", "２０２１年１月５日"])
def test_a_date_is_taken_as_excel_shows_it(run: Run, registry: Path, typed: str) -> None:
    result = run("advance", "3", "--date", typed, registry=registry)
    assert result.exit_code == 0, result.stderr
    assert "- date: 2021-01-05" in registry.read_text(encoding="utf-8")
    plans = "plan.conforms_to=城镇体系规划,土地利用总体规划,主体功能区规划,生态环保要求,保护区相关规定"
    approved = run("set", "1", "plan.title=规划", f"plan.approved={typed}", plans, registry=registry)
    assert approved.exit_code == 0, approved.stderr
    assert "plan.approved=2021-01-05" in approved.stdout


def test_a_wrong_date_names_the_forms_accepted(run: Run, registry: Path) -> None:
    result = run("advance", "3", "--date", "2021/13/5", registry=registry)
    assert result.exit_code == 2
    assert result.stderr == (
        "xiaozhen: --date '2021/13/5' is not a date (YYYY-MM-DD, YYYY/M/D, YYYY.M.D or YYYY年M月D日)\n"
    )


def test_a_misspelt_set_key_gets_a_suggestion(run: Run, registry: Path) -> None:
    result = run("set", "1", "managment=管委会", registry=registry)
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "xiaozhen: 'managment=管委会' is not KEY=VALUE; did you mean 'management'? (KEY one of:"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["set", "6", "investment.total=10"],
            "investment.leading_industry is not recorded, and investment needs it: give both, e.g. "
            "investment.total=30 investment.leading_industry=21.5",
        ),
        (
            ["set", "6", "developer.ownership=国有企业"],
            "developer.name is not recorded, and developer needs it: give both, e.g. "
            "developer.name=某某集团有限公司 developer.ownership=国有企业",
        ),
        (
            ["set", "6", "developer.name=某公司", "developer.ownership=民营企叶"],  # a typo, not a fact
            "developer.ownership: '民营企叶' is not an enterprise type of 一(三); did you mean '民营企业'? "
            "(use one of: 国有企业, 民营企业, 混合所有制企业, 其他企业)",
        ),
    ],
)
def test_a_set_that_cannot_stand_names_what_is_missing_or_allowed(
    run: Run, registry: Path, args: list[str], message: str
) -> None:
    before = registry.read_bytes()
    result = run(*args, registry=registry)
    assert (result.exit_code, result.stderr) == (2, f"xiaozhen: {message}\n")
    assert registry.read_bytes() == before


def test_clearing_both_amounts_clears_the_investment(run: Run, registry: Path) -> None:
    assert (
        run("set", "9", "investment.total=30", "investment.leading_industry=20", registry=registry).exit_code
        == 0
    )
    cleared = run("set", "9", "investment.total=null", "investment.leading_industry=null", registry=registry)
    assert cleared.exit_code == 0, cleared.stderr
    assert run("validate", str(registry)).exit_code == 0
    assert load(registry).report.registry.towns[8].investment is None  # type: ignore[union-attr]


@pytest.mark.parametrize("value", ["1:0", "yes", "0b11", "0x1F"])
def test_a_text_yaml_1_1_reads_otherwise_is_written_quoted(run: Run, registry: Path, value: str) -> None:
    """ruamel.yaml (YAML 1.2) would write `1:0` or `yes` bare; xiaozhen's reader (YAML 1.1) would take
    them for a number or true. Written quoted, they read back as the text that was set."""
    result = run("set", "28", f"management={value}", "--date", "2021-02-01", registry=registry)
    assert result.exit_code == 0, result.stderr
    assert load(registry).report.registry.towns[27].management == value


def test_a_different_score_for_a_recorded_year_is_a_correction_never_already_recorded(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    assess = ("assess", "13", "--year", "2020", "--result", "达标")
    assert run(*assess, "--score", "88", "--date", "2021-01-10", registry=registry).exit_code == 0
    again = run(*assess, "--score", "88.0", "--date", "2021-01-11", registry=registry)
    assert (again.exit_code, again.stdout) == (
        0,
        "13 吉林市大荒地稻香小镇: 2020 is already recorded as 达标\n",
    )
    before = registry.read_bytes()
    refused = run(*assess, "--score", "90", "--date", "2021-01-11", registry=registry)
    assert (refused.exit_code, refused.stderr) == (
        1,
        "xiaozhen: 13 吉林市大荒地稻香小镇: 2020 is recorded as 达标 with score 88; to record score 90 "
        "instead, pass --replace\n",
    )
    rows = tmp_path / "results.csv"
    rows.write_text("town,year,result,score\n13,2020,达标,91\n", encoding="utf-8")
    imported = run("assess-import", str(rows), registry=registry)
    assert imported.exit_code == 2 and "with score 88; to record score 91 instead" in imported.stderr
    assert registry.read_bytes() == before
    corrected = run(*assess, "--score", "90", "--date", "2021-01-11", "--replace", registry=registry)
    assert corrected.exit_code == 0, corrected.stderr
    town = next(t for t in load(registry).report.registry.towns if t.id == 13)  # type: ignore[union-attr]
    assert [(a.year, a.score) for a in town.assessments] == [(2020, 90)]
    # The history keeps both: the entry that corrects names the score it replaced.
    assert town.history[-1].from_["score"] == 88  # type: ignore[index]


def test_years_scores_amounts_and_results_are_taken_as_the_office_types_them(
    run: Run, registry: Path
) -> None:
    done = run("assess", "13", "--year", "2020年", "--result", "合格", "--score", "88分", registry=registry)
    assert (done.exit_code, done.stdout) == (0, "13 吉林市大荒地稻香小镇: 2020 达标\n")
    also = run("assess", "13", "--year", "2020年度", "--result", "达标", "--score", "88", registry=registry)
    assert (also.exit_code, also.stdout) == (0, "13 吉林市大荒地稻香小镇: 2020 is already recorded as 达标\n")
    amounts = run(
        "set", "1", "investment.total=30亿元", "investment.leading_industry=215000万元", registry=registry
    )
    assert (amounts.exit_code, amounts.stdout) == (
        0,
        "1 长春市红旗绿色智能小镇: investment.total=30; investment.leading_industry=21.5\n",
    )
    for args, message in (
        (["assess", "13", "--year", "二〇二〇", "--result", "达标"], "'二〇二〇' is not a year"),
        (
            ["assess", "13", "--year", "2020", "--result", "达标", "--score", "120分"],
            "--score 120 is outside 0..100",
        ),
        (["set", "1", "investment.total=30x"], "investment.total: '30x' is not an amount (亿元)"),
        (["set", "1", "investment.total=-3亿"], "investment.total: '-3' is below zero"),
    ):
        refused = run(*args, registry=registry)
        assert refused.exit_code == 2 and message in refused.stderr, (args, refused.stderr)


def test_an_amount_of_forty_thousand_digits_is_refused_at_once(run: Run, registry: Path) -> None:
    # A pattern that backtracks would take minutes over this; the length is refused before any is read.
    refused = run("set", "1", f"investment.total={'9' * 40_000}x", registry=registry)
    assert refused.exit_code == 2 and "is not an amount (亿元)" in refused.stderr
