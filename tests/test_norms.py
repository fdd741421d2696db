"""The national norms after the notice (国办发〔2020〕33号, 发改规划〔2021〕1383号) as the registry's
rulebooks: which apply on a day, what they find in a town, and the list review that 33号 (十) demands."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import Run, edit_text, line_of, notice_lines
from xiaozhen.store.registry import load

# Every indicator a town needs for the review to decide, each inside its bound (a 先进制造 town).
PASSING = [
    "规划面积=3.2平方公里",
    "建设用地面积=1.1",
    "四至范围清晰=是",
    "严守三条控制线=√",
    "县级政府债务风险预警地区=否",
    "绿化覆盖率=35%",
    "investment.total=30",
    "investment.leading_industry=21",
    "建设用地亩均累计投资额=260万元/亩",
    "全员劳动生产率=25",
    "吸纳就业人数=2600人",
    "建设用地亩均缴纳税收额=12",
    "“三新”经济增加值占比=0.25",
    "研发经费投入强度=3%",
    "住宅用地占建设用地比重=20%",
    "industry_class=先进制造",
]
SOURCE = ("--source", "2021年填报表")


def reviewed(run: Run, registry: Path, *args: str) -> dict:
    done = run("review", "-f", "json", *args, registry=registry)
    assert done.exit_code == 0, done.stderr
    return json.loads(done.stdout)


def verdict_of(review: dict, town: int) -> dict:
    return next(t for t in review["towns"] if t["id"] == town)


def test_the_shipped_list_under_33_is_24_to_rename_and_31_undecided_for_lack_of_data(
    run: Run, registry: Path
) -> None:
    review = reviewed(run, registry)
    assert review["documents"] == ["国办发〔2020〕33号", "发改规划〔2021〕1383号"]
    assert review["counts"] == {"清理": 0, "更名或清理": 24, "待定": 31, "纳入清单": 0}
    incorporated = {t.id for t in load(registry).report.registry.towns if t.town_type == "建制镇"}  # type: ignore[union-attr]
    assert {t["id"] for t in review["towns"] if t["verdict"] == "更名或清理"} == incorporated
    town_1 = verdict_of(review, 1)  # 非建制镇: every datum the rules read is missing, the area first
    assert town_1["verdict"] == "待定" and town_1["missing"][0] == "indicators.planned_area"
    (cap,) = review["list"]
    assert (cap["check"], cap["outcome"], cap["value"], cap["missing"]) == (
        "list_cap",
        "missing",
        55,
        "province.gdp_per_head_usd",
    )
    # under 33号 alone: its rules, not the 导则's
    only_33 = reviewed(run, registry, "--rules", "国办发〔2020〕33号")
    assert only_33["documents"] == ["国办发〔2020〕33号"] and only_33["list"] == []
    assert "indicators.employment" not in verdict_of(only_33, 1)["missing"]


def test_the_list_cap_is_judged_once_the_gdp_per_head_is_recorded(run: Run, registry: Path) -> None:
    edit_text(
        registry,
        "  gdp_per_head_usd: null",
        "  gdp_per_head_usd: {value: 7400, year: 2020, source: 吉林统计年鉴2021}",
    )
    report = load(registry).report
    (cap,) = [p for p in report.findings if p.code == "list-cap"]
    assert cap.message == (
        "（原则上）55 towns in the list; at most 50 个 where GDP per head is under US$10,000 "
        "(发改规划〔2021〕1383号 管理方式（条款号未核实）)"
    )
    assert cap.line == line_of(registry, "towns:")
    (judged,) = reviewed(run, registry)["list"]
    assert (judged["outcome"], judged["value"]) == ("short", 55)
    edit_text(registry, "value: 7400", "value: 12000")  # above the bound: no cap applies
    assert not [p for p in load(registry).report.findings if p.code == "list-cap"]


def test_a_town_with_every_datum_in_bounds_is_kept_and_one_short_is_marked_advisory(
    run: Run, registry: Path
) -> None:
    done = run("set", "1", *PASSING, *SOURCE, registry=registry)
    assert done.exit_code == 0, done.stderr
    assert "short of a standard" not in done.stderr
    assert verdict_of(reviewed(run, registry), 1) | {"short": []} == {
        "id": 1,
        "name": "长春市红旗绿色智能小镇",
        "prefecture": "长春市",
        "town_type": "非建制镇",
        "verdict": "纳入清单",
        "short": [],
        "missing": [],
    }
    # 2,000 employed is the 导则's floor, in principle: a finding marked so, and the town still kept
    done = run("set", "1", "吸纳就业人数=1500", *SOURCE, registry=registry)
    assert done.exit_code == 0, done.stderr
    said = (
        "长春市红旗绿色智能小镇: （原则上）吸纳就业人数 is 1,500 人; the rule asks ≥ 2,000 人 "
        "(发改规划〔2021〕1383号 13项指标·吸纳就业人数)"
    )
    assert f"recorded, short of a standard: {said}\n" in done.stderr
    (finding,) = [p for p in load(registry).report.findings if p.code == "national-norm"]
    assert finding.message == said and finding.path == "towns[0].indicators.employment"
    town = verdict_of(reviewed(run, registry), 1)
    assert town["verdict"] == "纳入清单"
    assert [(s["check"], s["strength"], s["value"]) for s in town["short"]] == [
        ("employment", "原则上", 1500)
    ]


def test_a_binding_rule_not_met_clears_the_town(run: Run, registry: Path) -> None:
    assert run("set", "1", *PASSING, "四至范围清晰=否", *SOURCE, registry=registry).exit_code == 0
    town = verdict_of(reviewed(run, registry), 1)
    assert town["verdict"] == "清理"
    assert [(s["check"], s["strength"], s["document"]) for s in town["short"]] == [
        ("boundary_stated", "约束", "国办发〔2020〕33号")
    ]


def test_a_threshold_changed_in_the_file_changes_the_verdict(run: Run, registry: Path) -> None:
    assert run("set", "1", *PASSING, *SOURCE, registry=registry).exit_code == 0
    edit_text(
        registry,
        "{check: employment, clause: 13项指标·吸纳就业人数, strength: 原则上, min: 2000}",
        "{check: employment, clause: 13项指标·吸纳就业人数, strength: 约束, min: 3000}",
    )
    town = verdict_of(reviewed(run, registry), 1)
    assert town["verdict"] == "清理"
    assert town["short"][0]["message"].startswith("吸纳就业人数 is 2,600 人; the rule asks ≥ 3,000 人")


def test_the_2021_share_stands_beside_the_notice_s_each_with_its_document(run: Run, registry: Path) -> None:
    assert (
        run("set", "1", "investment.total=10", "investment.leading_industry=5.5", registry=registry).exit_code
        == 0
    )
    findings = {p.code: p.message for p in load(registry).report.findings if p.town == 1}
    assert findings == {
        "national-norm": "长春市红旗绿色智能小镇: （原则上）特色产业投资占总投资比例 is 55%; the rule asks ≥ 60% "
        "(发改规划〔2021〕1383号 13项指标·特色产业投资占总投资比例)"
    }  # 55% meets the notice's 50%
    assert run("set", "1", "investment.leading_industry=4.5", registry=registry).exit_code == 0
    codes = sorted(p.code for p in load(registry).report.findings if p.town == 1)
    assert codes == ["leading-industry-share", "national-norm"]


@pytest.mark.parametrize("day", ["2020-01-01", "2020-09-24"])
def test_before_33_the_notice_alone_applies(run: Run, registry: Path, day: str) -> None:
    validated = run("validate", str(registry), "--as-of", day)
    assert validated.exit_code == 0 and validated.stdout == ""
    assert "valid — 55 towns" in validated.stderr
    review = run("review", "--as-of", day, "-f", "json", registry=registry)
    assert review.exit_code == 0
    assert json.loads(review.stdout)["documents"] == []
    assert "no rulebook is in force on" in review.stderr


def test_a_rules_document_that_is_not_there_is_refused_with_the_closest(run: Run, registry: Path) -> None:
    refused = run("validate", str(registry), "--rules", "国办发2020-33号")
    assert refused.exit_code == 2
    assert "did you mean '国办发〔2020〕33号'?" in refused.stderr


def test_a_designation_of_a_town_type_33_forbids_is_refused(run: Run, registry: Path) -> None:
    # town 7 is a 建制镇: assessed 达标, its designation after 33号 would break the rule
    assert (
        run(
            "assess", "7", "--year", "2021", "--result", "达标", "--date", "2022-01-10", registry=registry
        ).exit_code
        == 0
    )
    before = registry.read_bytes()
    refused = run("designate", "7", "--date", "2022-02-01", registry=registry)
    assert refused.exit_code == 1
    assert (
        "administrative-town-designated: 长春市鹿乡梅花鹿小镇: a 建制镇 designated on 2022-02-01, after "
        "国办发〔2020〕33号 forbade it (发展定位（条款号未核实）)"
    ) in refused.stderr
    assert registry.read_bytes() == before


def test_a_rule_naming_a_check_xiaozhen_does_not_know_is_an_error_at_its_line(registry: Path) -> None:
    edit_text(registry, "check: boundary_stated", "check: boundary_state")
    report = load(registry).report
    (problem,) = [p for p in report.errors]
    assert problem.code == "rulebook" and "did you mean 'boundary_stated'?" in problem.message
    assert problem.line == line_of(registry, "check: boundary_state")


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("规划面积=三", "'三' is not 平方公里"),
        ("绿化覆盖率=130", "'130' is over 100%"),
        ("吸纳就业人数=25.5", "'25.5' is not a whole number"),
        ("四至范围清晰=也许", "'也许' is not 是 or 否"),
        ("规划面积=-1", "is not 平方公里"),
    ],
)
def test_a_value_outside_its_unit_is_refused_naming_it(
    run: Run, registry: Path, typed: str, said: str
) -> None:
    before = registry.read_bytes()
    refused = run("set", "1", typed, registry=registry)
    assert refused.exit_code == 2 and said in refused.stderr, refused.stderr
    assert registry.read_bytes() == before


def test_the_review_is_a_table_csv_markdown_and_a_workbook(run: Run, registry: Path, tmp_path: Path) -> None:
    table = run("review", "--prefecture", "公主岭", registry=registry)
    assert table.exit_code == 0
    assert "清理 0，更名或清理 1，待定 0，纳入清单 0" in table.stdout
    rows = list(csv.reader(io.StringIO(run("review", "-f", "csv", registry=registry).stdout)))
    assert rows[0] == [
        "编号",
        "小镇名称",
        "市(州)",
        "建制镇/非建制镇",
        "审核结论",
        "依据",
        "未达到",
        "缺少的数据",
    ]
    assert len(rows) == 56 and rows[-1][4] == "更名或清理" and "规划面积(平方公里)" in rows[-1][7]
    markdown = run("review", "-f", "md", registry=registry).stdout
    assert (
        markdown.startswith("# 特色小镇清单审核\n")
        and "- 清理 0，更名或清理 24，待定 31，纳入清单 0\n" in markdown
    )
    book = tmp_path / "清单审核.xlsx"
    assert run("review", "-f", "xlsx", "-o", str(book), registry=registry).exit_code == 0
    sheet = load_workbook(book)["清单审核"]
    assert [c.value for c in sheet[1]][:5] == ["编号", "小镇名称", "市(州)", "建制镇/非建制镇", "审核结论"]
    assert sheet.max_row == 56
    assert run("review", "-f", "xlsx", registry=registry).exit_code == 2  # a workbook needs a file


def test_standards_lists_the_rules_by_document(run: Run, registry: Path) -> None:
    documents = json.loads(run("standards", "-f", "json", registry=registry).stdout)
    assert [d["document"] for d in documents] == [
        "吉政办明电〔2019〕5号",
        "国办发〔2020〕33号",
        "发改规划〔2021〕1383号",
    ]
    area = documents[2]["rules"][0]
    assert (area["check"], area["bound"], area["strength"]) == ("planned_area", "1–5 平方公里", "原则上")
    assert area["scope"] == "文化旅游、体育运动、三产融合 may be higher"
    shown = run("standards", registry=registry).stdout
    assert "国办发〔2020〕33号  in force from 2020-09-25" in shown


def test_validate_base_counts_only_new_findings_against_findings_error(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    base = tmp_path / "base.yaml"
    base.write_bytes(registry.read_bytes())
    assert run("validate", str(registry), "--findings", "error").exit_code == 3  # its 24 建制镇
    known = run("validate", str(registry), "--findings", "error", "--base", str(base))
    assert known.exit_code == 0 and "valid, 24 findings (0 new)" in known.stderr
    assert run("set", "1", "吸纳就业人数=100", registry=registry).exit_code == 0
    new = run("validate", str(registry), "--findings", "error", "--base", str(base), "-f", "json")
    assert new.exit_code == 3
    fresh = [p for p in json.loads(new.stdout)["problems"] if not p["known"]]
    assert [(p["code"], p["town"]) for p in fresh] == [("national-norm", 1)]
    assert notice_lines(run("validate", str(registry), "--base", str(base)).stdout) == ""


# --- the review's outcomes: a town renamed, a town cleared -----------------------------------------

DECIDED = ("--reason", "清单审核", "--document", "吉发改规划〔2021〕9号")


def test_a_rename_by_the_office_s_document_lifts_the_finding_and_diff_shows_it(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    base = tmp_path / "base.yaml"
    base.write_bytes(registry.read_bytes())
    renamed = run(
        "rename", "55", "--name", "大岭汽车物流产业园", *DECIDED, "--date", "2021-12-01", registry=registry
    )
    assert renamed.exit_code == 0, renamed.stderr
    assert renamed.stdout == "55 公主岭市大岭汽车物流小镇 → 大岭汽车物流产业园（更名）\n"
    report = load(registry).report
    assert report.ok and 55 not in {p.town for p in report.findings}
    entry = report.registry.towns[54].history[-1]  # type: ignore[union-attr]
    assert (entry.event, entry.from_, entry.to, entry.note, entry.source) == (
        "renamed",
        "公主岭市大岭汽车物流小镇",
        "大岭汽车物流产业园",
        "清单审核",
        "吉发改规划〔2021〕9号",
    )
    changes = json.loads(run("diff", str(base), str(registry), "-f", "json", registry=registry).stdout)
    (change,) = changes["changes"]
    assert (change["kind"], change["review"], change["from"], change["to"]) == (
        "renamed",
        False,
        "公主岭市大岭汽车物流小镇",
        "大岭汽车物流产业园",
    )
    before = json.loads(run("show", "55", "--as-of", "2021-06-01", "-f", "json", registry=registry).stdout)
    assert before["name"] == "公主岭市大岭汽车物流小镇"
    # a name edited by hand, without the document, is a history error
    edit_text(registry, "name: 大岭汽车物流产业园", "name: 大岭物流园")
    assert [p.code for p in load(registry).report.errors] == ["history"]


def test_a_clearing_leaves_the_list_is_counted_by_the_report_and_can_be_corrected(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    base = tmp_path / "base.yaml"
    base.write_bytes(registry.read_bytes())
    assert (
        run(
            "assess", "3", "--year", "2020", "--result", "达标", "--date", "2021-01-15", registry=registry
        ).exit_code
        == 0
    )
    cleared = run("clear", "7", *DECIDED, "--date", "2021-12-01", registry=registry)
    assert cleared.exit_code == 0, cleared.stderr
    assert cleared.stdout == "7 长春市鹿乡梅花鹿小镇: 创建中 → 已退出（清理）\n"
    kinds = {
        c["kind"]
        for c in json.loads(run("diff", str(base), str(registry), "-f", "json", registry=registry).stdout)[
            "changes"
        ]
    }
    assert "cleared" in kinds and "exited" not in kinds
    renamed = run(
        "rename", "55", "--name", "大岭汽车物流产业园", *DECIDED, "--date", "2021-12-01", registry=registry
    )
    assert renamed.exit_code == 0, renamed.stderr
    report = json.loads(run("report", "--year", "2020", "-f", "json", registry=registry).stdout)
    assert [(r["id"], r["what"], r["from"], r["to"], r["document"]) for r in report["list_review"]] == [
        (7, "cleared", "创建中", "已退出", "吉发改规划〔2021〕9号"),
        (55, "renamed", "公主岭市大岭汽车物流小镇", "大岭汽车物流产业园", "吉发改规划〔2021〕9号"),
    ]
    # counted as the list review's outcomes, apart from the exits for a failed year
    head = report["headline"]
    assert (head["cleared"], head["renamed"], head["exited"]) == (1, 1, 0)
    rows = {r["prefecture"]: r for r in report["by_prefecture"]["rows"]}
    assert (rows["长春市"]["cleared"], rows["公主岭市"]["renamed"]) == (1, 1)
    assert report["by_prefecture"]["total"]["cleared"] == 1
    assert [t["id"] for g in report["outcomes"]["cleared"] for t in g["towns"]] == [7]
    (town,) = [t for g in report["outcomes"]["renamed"] for t in g["towns"]]
    assert (town["id"], town["from"], town["to"]) == (55, "公主岭市大岭汽车物流小镇", "大岭汽车物流产业园")
    page = run("report", "--year", "2020", "-f", "md", registry=registry).stdout
    assert (
        "| 长春市 | 7 | 长春市鹿乡梅花鹿小镇 | 清理 | 创建中 | 已退出 | 清单审核 | 吉发改规划〔2021〕9号 |"
        in page
    )
    assert "| 更名 | 1 |\n| 清理 | 1 |" in page
    assert (
        "| 更名小镇 | 公主岭市 | 55 | 大岭汽车物流产业园 | 公主岭市大岭汽车物流小镇 → 大岭汽车物流产业园 |"
        in page
    )
    assert 7 not in {t["id"] for t in reviewed(run, registry)["towns"]}  # no longer in the list
    again = run("clear", "7", *DECIDED, registry=registry)
    assert again.exit_code == 0 and "has already exited" in again.stdout
    back = run(
        "reinstate", "7", "--reason", "误清理", "--document", "吉发改规划〔2021〕10号", registry=registry
    )
    assert back.exit_code == 0, back.stderr
    assert load(registry).report.registry.towns[6].status == "创建中"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "args", [["clear", "7"], ["rename", "7", "--name", "新名"], ["clear", "7", "--reason", "x"]]
)
def test_a_review_outcome_needs_its_reason_and_document(run: Run, registry: Path, args: list[str]) -> None:
    before = registry.read_bytes()
    refused = run(*args, registry=registry)
    assert refused.exit_code == 2 and "needs --reason and --document" in refused.stderr
    assert registry.read_bytes() == before


# --- the counties' form for the data the norms judge ------------------------------------------------


def test_a_norms_form_asks_for_that_data_and_its_return_decides_the_review(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    form = tmp_path / "长春市.xlsx"
    issued = run("form", "--norms", "-p", "长春", "-o", str(form), registry=registry)
    assert issued.exit_code == 0, issued.stderr
    book = load_workbook(form)
    sheet = book["填报表"]
    assert sheet["A1"].value == "特色产业小镇国家规范数据填报表(国办发〔2020〕33号、发改规划〔2021〕1383号)"
    header = [c.value for c in sheet[4]]
    assert header[:6] == ["编号", "小镇名称", "市(州)", "县(市、区)", "小镇类别", "总投资(亿元)"]
    assert "规划面积(平方公里)" in header and "吸纳就业人数(人)" in header and header[-1] == "资料来源"
    guide = [[c.value for c in row] for row in book["填表说明"].iter_rows()]
    assert ["发改规划〔2021〕1383号", "13项指标·吸纳就业人数", "吸纳就业人数", "≥ 2,000 人 原则上"] in guide
    # 长春市红旗绿色智能小镇 returns every datum; its employment short of the 导则's 2,000
    filled = {
        "小镇类别": "先进制造",
        "总投资(亿元)": 30,
        "主导产业投资(亿元, 不含商品住宅和商业综合体)": 21,
        "规划面积(平方公里)": 3.2,
        "建设用地面积(平方公里)": "1.1平方公里",
        "四至范围清晰": "是",
        "严守三条控制线": "√",
        "县级政府债务风险预警地区": "否",
        "绿化覆盖率": 0.35,
        "建设用地亩均累计投资额(万元/亩)": 260,
        "全员劳动生产率(万元/人)": 25,
        "吸纳就业人数(人)": 1800,
        "建设用地亩均缴纳税收额(万元/亩)": 12,
        "“三新”经济增加值占比": "25%",
        "研发经费投入强度": 0.03,
        "住宅用地占建设用地比重": 0.2,
        "资料来源": "2021年长春市报表",
    }
    row = next(r for r in range(5, sheet.max_row + 1) if sheet.cell(r, 1).value == 1)
    for name, value in filled.items():
        sheet.cell(row, header.index(name) + 1).value = value
    book.save(form)
    collected = run("collect", str(form), registry=registry)
    assert collected.exit_code == 0, collected.stderr
    column = chr(ord("A") + header.index("吸纳就业人数(人)"))
    assert (
        f"长春市.xlsx 填报表!{column}{row}: recorded, short of a standard: 长春市红旗绿色智能小镇: （原则上）吸纳就业人数"
        in (collected.stderr)
    )
    town = load(registry).report.registry.towns[0]  # type: ignore[union-attr]
    assert town.industry_class == "先进制造" and town.indicators is not None
    assert (float(town.indicators.green_cover), town.indicators.boundary_stated) == (0.35, True)  # type: ignore[arg-type]
    assert town.history[-1].source == "2021年长春市报表"
    judged = verdict_of(reviewed(run, registry), 1)
    assert (judged["verdict"], judged["missing"]) == ("纳入清单", [])
    assert run("collect", str(form), registry=registry).stdout == ""  # returned twice: nothing new
