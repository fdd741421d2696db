"""The standards data from where it lives: `form` writes the fill-in workbook, `collect` reads it back as
the counties return it, and every recorded value carries its source."""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook

from conftest import COMPLETE, Run, edit_text, fill, issue, libreoffice, line_of, notice_problems
from xiaozhen.store.registry import load


def town_1(registry: Path) -> Any:
    loaded = load(registry).report.registry
    assert loaded is not None
    return loaded.towns[0]


def test_the_form_locks_the_towns_identity_and_keeps_what_it_was_issued_from(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    form = issue(run, registry, tmp_path)
    book = load_workbook(form)
    assert book.sheetnames == ["填报表", "填表说明", "issued"]
    assert [s.sheet_state for s in book.worksheets] == ["visible", "visible", "veryHidden"]
    sheet = book["填报表"]
    assert [sheet.cell(r, 1).value for r in range(5, sheet.max_row + 1)] == list(range(1, 13))
    assert sheet.protection.sheet and not sheet.protection.password
    assert sheet["B5"].protection.locked and not sheet["E5"].protection.locked  # name locked, data not
    kinds = {(v.type, v.formula1) for v in sheet.data_validations.dataValidation}
    assert ("list", '"国有企业,民营企业,混合所有制企业,其他企业"') in kinds and (
        "list",
        '"是,否,√,×"',
    ) in kinds
    assert ("decimal", "0") in kinds and ("date", "1") in kinds
    issued = book["issued"]
    assert issued["A1"].value == "xiaozhen form 1" and issued["B3"].value.startswith("sha256:")
    with zipfile.ZipFile(form) as archive:  # as Excel reads it: the prompt quotes the clause
        root = ElementTree.fromstring(archive.read("xl/worksheets/sheet1.xml"))
    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    prompts = [v.get("prompt") or "" for v in root.iter(f"{main}dataValidation")]
    assert any(p.startswith("一(四): 主导产业投资占总投资不低于50%") for p in prompts), prompts


def test_a_form_returned_unchanged_records_nothing(run: Run, registry: Path, tmp_path: Path) -> None:
    form = issue(run, registry, tmp_path)
    before = registry.read_bytes()
    result = run("collect", str(form), registry=registry)
    assert (result.exit_code, result.stderr) == (0, "the forms change nothing\n")
    assert registry.read_bytes() == before


def test_what_the_filler_changed_is_recorded_with_its_source(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    form = fill(issue(run, registry, tmp_path), {1: COMPLETE}, B2="长春市发展改革委", E2="张三")
    result = run("collect", str(form), "--date", "2026-11-30", registry=registry)
    assert result.exit_code == 0, result.stderr
    town = town_1(registry)
    assert town.leading_industry == "汽车零部件" and town.management == "小镇管委会"
    assert (town.investment.total, town.investment.leading_industry) == (30, pytest.approx(21.5))
    assert town.plan.approved == date(2019, 6, 1) and len(town.plan.conforms_to) == 5
    (entry,) = town.history
    assert (entry.event, entry.source, entry.filled_by) == (
        "updated",
        "2019年创建方案",
        "长春市发展改革委 张三",
    )
    assert run("validate", str(registry), "--strict").stdout.count("unsourced-data") == 0
    shown = run("show", "1", registry=registry, env={"COLUMNS": "200"}).stdout
    assert "2026-11-30, 2019年创建方案 (长春市发展改革委 张三)" in shown
    again = run("collect", str(form), registry=registry)
    assert (again.exit_code, again.stderr) == (0, "the forms change nothing\n")
    workbook = tmp_path / "towns.xlsx"
    assert run("export", "-f", "xlsx", "-o", str(workbook), registry=registry).exit_code == 0
    sources = list(load_workbook(workbook)["数据来源"].iter_rows(values_only=True))
    assert sources[0] == ("编号", "名称", "字段", "值", "记录日期", "资料来源", "填报单位/填报人")
    assert (
        1,
        "长春市红旗绿色智能小镇",
        "总投资(亿元) investment.total",
        30,
        datetime(2026, 11, 30),  # a date cell
        "2019年创建方案",
        "长春市发展改革委 张三",
    ) in (sources)


def test_a_form_as_wps_returns_it_reads_the_same(run: Run, registry: Path, tmp_path: Path) -> None:
    """Sheet renamed, a title row inserted, columns moved, the amounts headed in 万元, a date as Excel's
    serial number, 是/否 as ✓ and N."""
    form = issue(run, registry, tmp_path)
    book = load_workbook(form)
    sheet = book["填报表"]
    sheet.protection.sheet = False
    sheet.title = "长春市返回"
    sheet.insert_rows(1)
    sheet["A1"] = "长春市发展改革委 报送"
    sheet.move_range("E5:E17", cols=20)  # 主导产业, moved far right
    headers = {cell.value: cell.column for cell in sheet[5]}
    sheet.cell(5, headers["总投资(亿元)"]).value = "总投资（万元）"
    sheet.cell(5, headers["主导产业投资(亿元, 不含商品住宅和商业综合体)"]).value = "主导产业投资(万元)"
    sheet.cell(6, headers["总投资(亿元)"]).value = 300000
    sheet.cell(6, headers["主导产业投资(亿元, 不含商品住宅和商业综合体)"]).value = "215,000"
    sheet.cell(6, headers["规划批准日期"]).value = 43617  # 2019-06-01
    sheet.cell(6, headers["规划名称"]).value = "创建规划"
    sheet.cell(6, headers["建设主体"]).value = "某集团"
    sheet.cell(6, headers["建设主体性质"]).value = "国有企业"
    for heading in headers:
        if isinstance(heading, str) and heading.startswith("符合"):
            sheet.cell(6, headers[heading]).value = "✓"
    sheet.cell(6, 25).value = "汽车零部件"
    sheet.cell(5, 25).value = "主导产业"
    book.save(form)
    result = run("collect", str(form), "--date", "2026-11-30", registry=registry)
    assert result.exit_code == 0, result.stderr
    town = town_1(registry)
    assert (town.investment.total, town.investment.leading_industry) == (30, pytest.approx(21.5))
    assert town.plan.approved == date(2019, 6, 1) and town.leading_industry == "汽车零部件"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"总投资(亿元)": "三十亿"}, "长春市.xlsx 填报表!F5: 总投资(亿元): '三十亿' is not an amount (亿元)"),
        ({"规划批准日期": "2019-13-01"}, "长春市.xlsx 填报表!K5: 规划批准日期: '2019-13-01' is not a date"),
        (
            {"符合城镇体系规划": "也许"},
            "长春市.xlsx 填报表!L5: 符合城镇体系规划: '也许' is neither 是 nor 否",
        ),
        (
            {"管理机构": "管委\u202e会"},  # Excel cannot hold a control character; a format character it can
            "长春市.xlsx 填报表!Q5: 管理机构: holds an invisible format character (U+202E)",
        ),
    ],
)
def test_a_bad_cell_is_named_as_excel_shows_it_and_nothing_is_written(
    run: Run, registry: Path, tmp_path: Path, values: dict[str, Any], message: str
) -> None:
    form = fill(issue(run, registry, tmp_path), {1: {**COMPLETE, **values}})
    before = registry.read_bytes()
    result = run("collect", str(form), registry=registry)
    assert result.exit_code == 2
    assert result.stderr.startswith("xiaozhen: 1 problem in the returned forms; nothing was written\n")
    assert result.stderr.splitlines()[1].startswith(f"  {message}")
    assert registry.read_bytes() == before


@pytest.mark.parametrize(
    ("values", "finding"),
    [
        (
            {"总投资(亿元)": 10, "主导产业投资(亿元, 不含商品住宅和商业综合体)": 1},
            "长春市.xlsx 填报表!G5: recorded, short of a standard: 长春市红旗绿色智能小镇: leading-industry "
            "investment is 10% of the total; the standard requires at least 50% (一(四))",
        ),
        (
            {"符合保护区相关规定": "否"},
            "长春市.xlsx 填报表!P5: recorded, short of a standard: 长春市红旗绿色智能小镇: the plan does not "
            "state conformity with 保护区相关规定 (一(二))",
        ),
    ],
)
def test_a_true_value_short_of_a_standard_is_recorded_and_named_at_its_cell(
    run: Run, registry: Path, tmp_path: Path, values: dict[str, Any], finding: str
) -> None:
    # A county reports the truth; a town short of a standard is a finding, which the form does not hide.
    form = fill(issue(run, registry, tmp_path), {1: {**COMPLETE, **values}})
    result = run("collect", str(form), registry=registry)
    assert result.exit_code == 0, result.stderr
    assert finding in result.stderr.splitlines()
    report = load(registry).report
    assert report.ok and len(notice_problems(report.findings)) == 1


def test_a_half_filled_investment_is_named_at_the_empty_cell_in_the_form_s_words(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    form = fill(issue(run, registry, tmp_path), {3: {"总投资(亿元)": 30}})
    before = registry.read_bytes()
    result = run("collect", str(form), registry=registry)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[1] == (
        "  长春市.xlsx 填报表!G7: 主导产业投资(亿元, 不含商品住宅和商业综合体) is empty, and 总投资(亿元) needs it: "
        "fill both, or leave both empty"
    )
    assert registry.read_bytes() == before


def test_an_edited_identity_or_an_unknown_id_is_refused(run: Run, registry: Path, tmp_path: Path) -> None:
    form = issue(run, registry, tmp_path)
    book = load_workbook(form)
    sheet = book["填报表"]
    sheet["B5"] = "长春市红旗小镇"
    sheet["A6"] = 999
    sheet["E6"] = "文化"
    sheet["A7"] = "፩"  # a digit to str.isdigit, not to int()
    sheet["A8"] = "9" * 5000  # past int()'s 4,300 digits
    book.save(form)
    result = run("collect", str(form), registry=registry)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()[1:]
    # each at the cell that holds it, as the filler finds it; 999 is no town the form was issued for
    assert lines[0] == (
        "  长春市.xlsx 填报表!A6: town 999 was not issued in this form: a form changes only the towns it was "
        "issued for"
    )
    assert lines[1] == "  长春市.xlsx 填报表!A7: 编号 '፩' is not a town's id"
    assert lines[2] == "  长春市.xlsx 填报表!A8: 编号 '99999999999999999999…' is not a town's id"
    assert lines[3].startswith(
        "  长春市.xlsx 填报表!B5: 小镇名称 is '长春市红旗小镇', but town 1 is 长春市红旗绿色智能小镇"
    )


def test_a_value_changed_on_both_sides_is_a_conflict_until_one_is_preferred(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    form = fill(issue(run, registry, tmp_path), {1: {"管理机构": "小镇管委会"}})
    assert (
        run("set", "1", "management=红旗管委会", "--source", "办公室核实", registry=registry).exit_code == 0
    )
    result = run("collect", str(form), registry=registry)
    assert result.exit_code == 2
    assert (
        "  长春市.xlsx 填报表!Q5: management: the form was issued with null, the registry has 红旗管委会 since, "
        in (result.stderr)
    )
    assert run("collect", str(form), "--prefer", "registry", registry=registry).exit_code == 0
    assert town_1(registry).management == "红旗管委会"
    assert run("collect", str(form), "--prefer", "form", registry=registry).exit_code == 0
    assert town_1(registry).management == "小镇管委会"


def test_two_forms_that_disagree_about_a_town_are_refused(run: Run, registry: Path, tmp_path: Path) -> None:
    form = issue(run, registry, tmp_path)
    first = fill(form, {1: {"管理机构": "甲"}}, out=tmp_path / "a.xlsx")
    second = fill(form, {1: {"管理机构": "乙"}}, out=tmp_path / "b.xlsx")
    result = run("collect", str(first), str(second), registry=registry)
    assert result.exit_code == 2
    assert "  b.xlsx 填报表!Q5: management: 乙 here, 甲 at a.xlsx 填报表!Q5: keep one" in result.stderr


def test_set_records_the_source_and_strict_validation_asks_for_one(run: Run, registry: Path) -> None:
    assert run("set", "2", "management=关东管委会", "--date", "2026-11-01", registry=registry).exit_code == 0
    strict = run("validate", str(registry), "--strict")
    line = line_of(registry, "management: 关东管委会")
    assert (
        f"{registry}:{line}:5: unsourced-data: 长春市关东文化小镇: management was recorded on 2026-11-01"
        in (strict.stdout)
    )
    sourced = run(
        "set",
        "2",
        "management=关东文化管委会",
        "--source",
        "2019年创建方案",
        "--by",
        "长春市",
        registry=registry,
    )
    assert sourced.exit_code == 0
    entry = load(registry).report.registry.towns[1].history[-1]  # type: ignore[union-attr]
    assert (entry.source, entry.filled_by) == ("2019年创建方案", "长春市")
    assert "unsourced-data" not in run("validate", str(registry), "--strict").stdout
    refused = run("set", "2", "management=x", "--by", "长春市", registry=registry)
    assert refused.exit_code == 2 and "give the --source too" in refused.stderr


def test_a_csv_return_in_gb18030_records_what_it_gives(run: Run, registry: Path, tmp_path: Path) -> None:
    """A county that saved the form as CSV from WPS: no record of what was issued, so an empty cell means
    "not given"; the values are read as in a workbook."""
    returned = tmp_path / "长春市.csv"
    returned.write_bytes(
        "编号,小镇名称,主导产业,总投资（万元）,主导产业投资（万元）,资料来源\r\n"
        '9,榆树市五棵树玉米深加工小镇,玉米深加工,"300,000","215,000",2020年报表\r\n'
        "10,德惠市朱城子小食品生产小镇,,,,\r\n".encode("gb18030")
    )
    before = registry.read_bytes()
    unplaced = run("collect", str(returned), "--date", "2026-11-30", registry=registry)
    assert unplaced.exit_code == 2 and registry.read_bytes() == before
    assert "  长春市.csv: a CSV keeps no record of the towns its form was issued for" in unplaced.stderr
    result = run("collect", str(returned), "--prefecture", "长春", "--date", "2026-11-30", registry=registry)
    assert result.exit_code == 0, result.stderr
    town = load(registry).report.registry.towns[8]  # type: ignore[union-attr]
    assert (town.leading_industry, town.investment.total, town.investment.leading_industry) == (
        "玉米深加工",
        30,
        pytest.approx(21.5),
    )
    assert town.history[-1].source == "2020年报表"
    assert load(registry).report.registry.towns[9].history == []  # type: ignore[union-attr]


def test_a_csv_changes_only_the_towns_of_the_place_it_comes_from(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    """A county's CSV with an extra row for another county's town: named, and nothing written."""
    returned = tmp_path / "榆树市.csv"
    returned.write_bytes(
        "编号,小镇名称,管理机构\r\n9,榆树市五棵树玉米深加工小镇,管委会\r\n"
        "12,农安县北斗科技小镇,冒名\r\n".encode("gb18030")
    )
    before = registry.read_bytes()
    result = run("collect", str(returned), "--county", "榆树", registry=registry)
    assert result.exit_code == 2 and registry.read_bytes() == before
    assert (
        result.stderr == "xiaozhen: 1 problem in the returned forms; nothing was written\n"
        "  榆树市.csv A3: town 12 (农安县北斗科技小镇, 农安县) is not in 榆树市: a form changes only its own towns\n"
    )


def test_a_town_that_exited_since_the_form_was_issued_is_refused(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    form = fill(issue(run, registry, tmp_path), {2: {"管理机构": "管委会"}})
    assert run("withdraw", "2", "--reason", "申请退出", registry=registry).exit_code == 0
    result = run("collect", str(form), registry=registry)
    assert result.exit_code == 2
    assert (
        "  长春市.xlsx 填报表!Q6: 2 长春市关东文化小镇: cannot set: it has exited (已退出)" in result.stderr
    )


# --- a new batch's applications ------------------------------------------------------------------

APPLICANTS = [
    {  # every standard met
        "小镇名称": "九台区某某文旅小镇",
        "市(州)": "长春",
        "县(市、区)": "九台区",
        "申报类别": "规划类",
        "建制镇/非建制镇": "建制镇",
        **{k: v for k, v in COMPLETE.items() if k != "资料来源"},
        "资料来源": "2026年申报材料",
    },
    {  # every standard given, and not met
        "小镇名称": "某某农业小镇",
        "市(州)": "吉林市",
        "申报类别": "培育类",
        "建制镇/非建制镇": "非建制镇",
        "主导产业": "玉米、旅游",
        "总投资(亿元)": 10,
        "主导产业投资(亿元, 不含商品住宅和商业综合体)": 3,
        "建设主体": "某局",
        "建设主体性质": "事业单位",
        "规划名称": "规划",
        "符合城镇体系规划": "否",
        "管理机构": None,
    },
    {
        "小镇名称": "某某冰雪小镇",
        "市(州)": "延边",
        "申报类别": "规划类",
        "建制镇/非建制镇": "建制镇",
    },  # nothing shown
]


def applications(run: Run, registry: Path, tmp_path: Path) -> Path:
    form = tmp_path / "申报表.xlsx"
    assert run("form", "--applications", "--rows", "5", "-o", str(form), registry=registry).exit_code == 0
    book = load_workbook(form)
    sheet = book["申报表"]
    headers = {cell.value: cell.column for cell in sheet[4]}
    for offset, values in enumerate(APPLICANTS):
        for heading, value in values.items():
            sheet.cell(5 + offset, headers[heading]).value = value
    book.save(form)
    return form


def test_screen_answers_each_standard_met_not_met_or_not_shown(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    import json

    result = run("screen", str(applications(run, registry, tmp_path)), "-f", "json", registry=registry)
    assert result.exit_code == 0, result.stderr
    verdicts = {a["name"]: [s["verdict"] for s in a["standards"]] for a in json.loads(result.stdout)}
    # the notice's five standards, then each rulebook in force: 33号 (a 建制镇 may not be named a
    # characteristic town; the area and boundary the form does not ask), 1383号 (its indicators)
    assert verdicts == {
        "九台区某某文旅小镇": ["met"] * 5 + ["not met", "not shown"],
        "某某农业小镇": ["not met", "not met", "not met", "not met", "not shown", "not shown", "not met"],
        "某某冰雪小镇": ["not shown"] * 5 + ["not met", "not shown"],
    }
    screened = {a["name"]: a["standards"] for a in json.loads(result.stdout)}
    assert [s["clause"] for s in screened["某某农业小镇"][5:]] == [
        "国办发〔2020〕33号",
        "发改规划〔2021〕1383号",
    ]
    assert (
        screened["某某农业小镇"][3]["why"]
        == "leading-industry investment is 30% of the total; the standard requires at least 50% (一(四))"
    )
    assert screened["某某农业小镇"][6]["why"].startswith("特色产业投资占总投资比例 30%（≥ 60%，原则上）")
    assert screened["九台区某某文旅小镇"][5]["why"] == "不得将行政建制镇命名为特色小镇"
    assert screened["某某农业小镇"][5]["why"].startswith("missing: 规划面积(平方公里)、四至范围清晰")
    # before 33号 was in force, the notice's standards alone
    before = run(
        "screen", str(tmp_path / "申报表.xlsx"), "--as-of", "2020-01-01", "-f", "json", registry=registry
    )
    assert [len(a["standards"]) for a in json.loads(before.stdout)] == [5, 5, 5]
    out = tmp_path / "初审.xlsx"
    assert (
        run(
            "screen", str(tmp_path / "申报表.xlsx"), "-f", "xlsx", "-o", str(out), registry=registry
        ).exit_code
        == 0
    )
    rows = list(load_workbook(out)["初审"].iter_rows(values_only=True))
    assert rows[0][:5] == ("申报小镇", "市(州)", "县(市、区)", "申报类别", "一(一) 一个主导产业")
    assert rows[0][9:11] == ("国办发〔2020〕33号 国家规范", "发改规划〔2021〕1383号 国家规范")
    assert rows[1][4:11] == ("符合",) * 5 + ("不符合", "未提供")


def test_the_listed_applicants_go_in_as_batch_n_with_their_data(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    form = applications(run, registry, tmp_path)
    result = run(
        "admit",
        str(form),
        "--batch",
        "2",
        "--name",
        "九台区某某文旅小镇",
        "--name",
        "某某冰雪小镇",
        "--date",
        "2026-12-01",
        registry=registry,
    )
    assert result.exit_code == 0, result.stderr
    towns = load(registry).report.registry.towns  # type: ignore[union-attr]
    assert [(t.id, t.name, t.batch) for t in towns[55:]] == [
        (56, "九台区某某文旅小镇", 2),
        (57, "某某冰雪小镇", 2),
    ]
    assert towns[55].investment.total == 30 and towns[55].history[-1].source == "2026年申报材料"
    assert towns[56].history[-1].event == "added"  # nothing to record
    again = run("admit", str(form), "--batch", "2", "--name", "九台区某某文旅小镇", registry=registry)
    assert again.exit_code == 0 and "is already in batch 2" in again.stdout
    unknown = run("admit", str(form), "--batch", "2", "--name", "不存在", registry=registry)
    assert unknown.exit_code == 2 and "  --name: no applicant is named 不存在" in unknown.stderr


@pytest.mark.skipif(
    __import__("shutil").which("soffice") is None, reason="no LibreOffice (.ci/run installs it)"
)
def test_libreoffice_opens_the_forms(run: Run, registry: Path, tmp_path: Path) -> None:
    """A real office suite opens the form and the applications form: LibreOffice converts each to PDF."""
    forms = [issue(run, registry, tmp_path), applications(run, registry, tmp_path)]
    for pdf in libreoffice("pdf", tmp_path, *forms):
        assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 5000


def test_a_form_edited_in_its_xml_as_wps_writes_it_reads_the_same(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    """WPS writes a cell it changed as an inline string, and may drop the sheet's protection: the XML is
    edited directly, and the form reads back as one Excel saved."""
    form = issue(run, registry, tmp_path)
    with zipfile.ZipFile(form) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    cell = '<c r="Q5" t="inlineStr"><is><t>小镇管委会</t></is></c>'
    sheet = sheet.replace('<c r="Q5"', '<c r="Q5old"', 1)
    assert '<c r="Q5old"' in sheet
    start = sheet.index('<c r="Q5old"')
    end = (
        sheet.index("/>", start) + 2
        if sheet[sheet.index(">", start) - 1] == "/"
        else sheet.index("</c>", start) + 4
    )
    sheet = sheet[:start] + cell + sheet[end:]
    sheet = sheet.replace(
        sheet[sheet.index("<sheetProtection") : sheet.index("/>", sheet.index("<sheetProtection")) + 2], ""
    )
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    returned = tmp_path / "wps.xlsx"
    with zipfile.ZipFile(returned, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    result = run("collect", str(returned), registry=registry)
    assert result.exit_code == 0, result.stderr
    assert town_1(registry).management == "小镇管委会"


def test_a_form_from_another_registry_is_refused(run: Run, registry: Path, tmp_path: Path) -> None:
    other = tmp_path / "other" / "towns.yaml"
    other.parent.mkdir()
    other.write_bytes(registry.read_bytes())
    edit_text(other, "document: 吉政办明电〔2019〕5号", "document: 吉政办发〔2030〕1号")
    form = fill(issue(run, other, tmp_path), {1: {"管理机构": "管委会"}})
    result = run("collect", str(form), registry=registry)
    assert result.exit_code == 2
    assert (
        "  the forms: issued from a registry of 吉政办发〔2030〕1号, not this one (吉政办明电〔2019〕5号)"
        in result.stderr
    )


# --- form → collect, property ---------------------------------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from conftest import STRESS  # noqa: E402

ROUND_TRIPS = 8 * STRESS

DATA = st.fixed_dictionaries(
    {},
    optional={
        "leading_industry": st.sampled_from(["稻米", "冰雪旅游", "汽车零部件"]),
        "management": st.text(alphabet="管委会理事中心（）ABC ", min_size=1, max_size=12)
        .map(str.strip)
        .filter(bool),
        "investment": st.tuples(st.integers(1, 50_000), st.integers(50, 100)).map(
            lambda t: (t[0] / 100, round(t[0] * t[1] / 10_000, 2))
        ),
        "plan": st.dates(date(2015, 1, 1), date(2026, 1, 1)),
    },
)


@settings(
    max_examples=ROUND_TRIPS,
    deadline=None,
    derandomize=STRESS == 1,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.dictionaries(st.integers(1, 12), DATA, max_size=4))
def test_a_form_returned_as_issued_records_nothing_whatever_the_data(
    run: Run, registry: Path, tmp_path: Path, data: dict[int, dict[str, Any]]
) -> None:
    import shutil

    from conftest import SHIPPED

    shutil.copyfile(SHIPPED, registry)
    for town, values in data.items():
        settings_: list[str] = []
        if "leading_industry" in values:
            settings_.append(f"leading_industry={values['leading_industry']}")
        if "management" in values:
            settings_.append(f"management={values['management']}")
        if "investment" in values:
            total, lead = values["investment"]
            settings_ += [f"investment.total={total}", f"investment.leading_industry={lead}"]
        if "plan" in values:
            settings_ += [
                "plan.title=创建方案",
                f"plan.approved={values['plan']}",
                "plan.conforms_to="
                + ",".join(
                    ["城镇体系规划", "土地利用总体规划", "主体功能区规划", "生态环保要求", "保护区相关规定"]
                ),
            ]
        if settings_:
            done = run(
                "set", str(town), *settings_, "--source", "测试", "--date", "2026-01-01", registry=registry
            )
            assert done.exit_code == 0, done.stderr
    form = tmp_path / "form.xlsx"
    assert run("form", "-p", "长春", "-o", str(form), registry=registry).exit_code == 0
    before = registry.read_bytes()
    result = run("collect", str(form), registry=registry)
    assert (result.exit_code, result.stderr) == (0, "the forms change nothing\n")
    assert registry.read_bytes() == before


def test_admit_refuses_a_half_filled_application_at_its_row_and_previews_the_diff(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    form = applications(run, registry, tmp_path)
    book = load_workbook(form)
    book["申报表"]["G7"] = 12  # 某某冰雪小镇: 总投资 without 主导产业投资
    book.save(form)
    before = registry.read_bytes()
    refused = run("admit", str(form), "--batch", "2", "--name", "某某冰雪小镇", registry=registry)
    assert refused.exit_code == 2
    assert refused.stderr.splitlines()[1].startswith(
        "  申报表.xlsx 申报表 row 7: investment.leading_industry is not recorded"
    )
    preview = run(
        "admit", str(form), "--batch", "2", "--name", "九台区某某文旅小镇", "--dry-run", registry=registry
    )
    assert preview.exit_code == 0 and "+  - id: 56" in preview.stdout
    assert registry.read_bytes() == before


def test_admit_names_an_applicant_by_a_fragment_as_show_names_a_town(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    form = applications(run, registry, tmp_path)
    preview = run("admit", str(form), "--batch", "2", "--name", "文旅", "--dry-run", registry=registry)
    assert preview.exit_code == 0, preview.stderr
    assert "九台区某某文旅小镇" in preview.stdout and "冰雪" not in preview.stdout
    several = run("admit", str(form), "--batch", "2", "--name", "某某", registry=registry)
    assert several.exit_code == 2
    assert (
        "--name: '某某' is in the names of " in several.stderr and "give more of the name" in several.stderr
    )
    nobody = run("admit", str(form), "--batch", "2", "--name", "2", registry=registry)
    assert nobody.exit_code == 2 and "--name: no applicant is named 2" in nobody.stderr


def test_an_applications_form_has_thirty_empty_rows_unless_told(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    for args, rows in (([], 30), (["--rows", "5"], 5)):
        form = tmp_path / f"申报表{rows}.xlsx"
        assert run("form", "--applications", *args, "-o", str(form), registry=registry).exit_code == 0
        sheet = load_workbook(form)["申报表"]
        header = next(r for r in range(1, 10) if sheet.cell(r, 1).value == "小镇名称")
        assert sheet.max_row - header == rows
    refused = run("form", "--applications", "--rows", "0", "-o", str(tmp_path / "x.xlsx"), registry=registry)
    assert (refused.exit_code, refused.stderr) == (2, "xiaozhen: --rows 0: give 1 to 2,000 rows\n")


def test_a_form_changes_only_the_towns_it_was_issued_for(run: Run, registry: Path, tmp_path: Path) -> None:
    # 长春市's form, returned with a row added for 吉林市's 大荒地 (13): named, and nothing written.
    form = fill(issue(run, registry, tmp_path), {1: {"管理机构": "小镇管委会"}})
    book = load_workbook(form)
    sheet = book["填报表"]
    row = sheet.max_row + 1
    sheet.cell(row, 1).value = 13
    sheet.cell(row, 2).value = "吉林市大荒地稻香小镇"
    headers = {cell.value: cell.column for cell in sheet[4]}
    sheet.cell(row, headers["管理机构"]).value = "某管委会"
    book.save(form)
    before = registry.read_bytes()
    result = run("collect", str(form), registry=registry)
    assert result.exit_code == 2
    assert (
        f"  长春市.xlsx 填报表!A{row}: town 13 was not issued in this form: a form changes only the towns it "
        "was issued for"
    ) in result.stderr.splitlines()
    assert registry.read_bytes() == before


def test_a_form_holds_the_registry_s_text_as_text_and_no_term_breaks_a_drop_down(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    """A name and a document that begin with =, and ownership terms with a quote and a comma: no cell of
    any sheet is a formula, and every list formula is whole (row 8 of round three)."""
    formula = '=HYPERLINK("http://x.example","点此")'
    edit_text(registry, "name: 长春市红旗绿色智能小镇", f"name: '{formula}'")
    edit_text(registry, "  document: 吉政办明电〔2019〕5号", "  document: '=1+1'", count=1)
    edit_text(
        registry,
        "    value: [国有企业, 民营企业, 混合所有制企业, 其他企业]",
        """    value: [国有企业, 民营企业, '集体"企业', '外资,企业']""",
    )
    form = issue(run, registry, tmp_path)
    book = load_workbook(form)
    formulas = [
        f"{sheet.title}!{cell.coordinate}"
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]
    assert formulas == []
    assert book["填报表"]["B5"].value == formula and book["填报表"]["A1"].value.endswith("(=1+1)")
    lists = [v.formula1 for v in book["填报表"].data_validations.dataValidation if v.type == "list"]
    assert lists and all(f.startswith('"') and f.endswith('"') and f.count('"') == 2 for f in lists)
    assert not [f for f in lists if "企业" in f and "国有企业" in f]  # the ownership list could not be built
    result = run("collect", str(form), registry=registry)
    assert (result.exit_code, result.stderr) == (0, "the forms change nothing\n")


@pytest.mark.parametrize("done_to_it", ["deleted", "unhidden", "edited", "a town added", "unsealed"])
def test_a_form_whose_record_was_deleted_unhidden_or_edited_is_refused_by_name(
    run: Run, registry: Path, tmp_path: Path, done_to_it: str
) -> None:
    # Without it, the form could not say which towns it was issued for: a row for any town would pass;
    # and a record edited by hand would let a row pass as unchanged, or a town be added to the form.
    form = fill(issue(run, registry, tmp_path), {1: {"管理机构": "小镇管委会"}})
    book = load_workbook(form)
    record = book["issued"]
    if done_to_it == "deleted":
        del book["issued"]
    elif done_to_it == "unhidden":
        record.sheet_state = "visible"
    elif done_to_it == "edited":
        record["C6"] = record["C6"].value.replace('"management": null', '"management": "小镇管委会"')
    elif done_to_it == "a town added":
        record.insert_rows(6)
        record["A6"], record["B6"], record["C6"] = 20, "集安市清河野山参小镇", "{}"
    else:
        record.delete_rows(record.max_row)
    book.save(form)
    before = registry.read_bytes()
    result = run("collect", str(form), registry=registry)
    assert result.exit_code == 2
    said = {"deleted": "is missing", "unhidden": "has been unhidden"}.get(done_to_it, "has been edited")
    assert "长春市.xlsx: its record of what was issued (the" in result.stderr and said in result.stderr
    assert registry.read_bytes() == before


@pytest.mark.skipif(
    __import__("shutil").which("soffice") is None, reason="no LibreOffice (.ci/run installs it)"
)
def test_a_form_saved_by_libreoffice_is_collected(run: Run, registry: Path, tmp_path: Path) -> None:
    """LibreOffice keeps the record as a hidden sheet, no longer very hidden, and its values as they were:
    the form is read, its seal holds, and the filled value is recorded."""
    form = fill(issue(run, registry, tmp_path), {1: {"管理机构": "小镇管委会"}})
    (saved,) = libreoffice("xlsx", tmp_path / "saved", form)
    assert load_workbook(saved)["issued"].sheet_state == "hidden"
    result = run("collect", str(saved), registry=registry)
    assert result.exit_code == 0, result.stderr
    assert load(registry).report.registry.towns[0].management == "小镇管委会"  # type: ignore[union-attr]
