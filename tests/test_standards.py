"""The notice's standards are data in the registry file: each with its clause, read by the rules, shown by
`xiaozhen standards`; a file that leaves the section out reads the notice's values."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import Run, edit_text, line_of, notice_lines, notice_problems, recorded
from xiaozhen.store.registry import load

FOUR_ITEMS = "[城镇体系规划, 土地利用总体规划, 主体功能区规划, 生态环保要求]"
FIVE_ITEMS = "[城镇体系规划, 土地利用总体规划, 主体功能区规划, 生态环保要求, 保护区相关规定]"


def with_plan(registry: Path, items: str) -> int:
    """Give town 1 a plan conforming to `items`; the line of its conforms_to."""
    edit_text(registry, "plan: null", f"plan:\n      title: 总体规划\n      conforms_to: {items}")
    recorded(registry, {"plan.title": "总体规划", "plan.conforms_to": items})
    return line_of(registry, "conforms_to:", after="  - id: 1")


def with_investment(registry: Path, total: str, leading: str) -> int:
    edit_text(
        registry, "investment: null", f"investment:\n      total: {total}\n      leading_industry: {leading}"
    )
    recorded(registry, {"investment.total": total, "investment.leading_industry": leading})
    return line_of(registry, f"leading_industry: {leading}")


def without_standards(registry: Path) -> None:
    """Leave the standards section out of the file."""
    text = registry.read_text(encoding="utf-8")
    start = text.index("standards:\n")
    end = text.index("\n# What each notice announced")
    registry.write_text(text[:start] + text[end + 1 :], encoding="utf-8")


def test_standards_prints_each_standard_with_its_clause(run: Run, registry: Path) -> None:
    result = run("standards", "--format", "json", registry=registry)
    assert result.exit_code == 0, result.stderr
    stated = json.loads(result.stdout)[0]["standards"]  # the notice's, before the later documents'
    assert [(s["clause"], s["key"], s["value"]) for s in stated] == [
        (
            "一(二)",
            "plan_conforms_to",
            ["城镇体系规划", "土地利用总体规划", "主体功能区规划", "生态环保要求", "保护区相关规定"],
        ),
        ("一(三)", "developer_ownership", ["国有企业", "民营企业", "混合所有制企业", "其他企业"]),
        ("一(四)", "leading_industry_min_share", 0.5),
        ("五(三)", "designation_year", 2020),
    ]
    assert all(s["meaning"] for s in stated)


def test_the_standards_table_keeps_every_term_whole_at_80_columns(run: Run, registry: Path) -> None:
    result = run("standards", registry=registry, env={"COLUMNS": "80"})
    assert result.exit_code == 0
    for term in (
        "一(二)",
        "plan_conforms_to",
        "leading_industry_min_share",
        "保护区相关规定",
        "混合所有制企业",
    ):
        assert term in result.stdout
    assert "…" not in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= 80


def test_a_four_item_plan_fails_naming_the_protected_areas_rule(run: Run, registry: Path) -> None:
    line = with_plan(registry, FOUR_ITEMS)
    result = run("validate", str(registry), "--findings", "error")
    assert result.exit_code == 3
    assert notice_lines(result.stdout) == (
        f"{registry}:{line}:7: plan-conformity: finding: 长春市红旗绿色智能小镇: the plan does not state conformity "
        "with 保护区相关规定 (一(二))\n"
    )


def test_a_five_item_plan_passes(run: Run, registry: Path) -> None:
    with_plan(registry, FIVE_ITEMS)
    assert run("validate", str(registry)).exit_code == 0


def test_removing_an_item_from_the_standard_lets_a_plan_without_it_pass(run: Run, registry: Path) -> None:
    with_plan(registry, FOUR_ITEMS)
    edit_text(registry, f"    value: {FIVE_ITEMS}", f"    value: {FOUR_ITEMS}")
    assert run("validate", str(registry)).exit_code == 0


def test_a_higher_share_in_the_file_makes_a_55_percent_town_fail(run: Run, registry: Path) -> None:
    line = with_investment(registry, "10", "5.5")
    assert run("validate", str(registry)).exit_code == 0
    edit_text(registry, "    value: 0.5", "    value: 0.6")
    result = run("validate", str(registry), "--findings", "error")
    assert result.exit_code == 3
    assert notice_lines(result.stdout) == (
        f"{registry}:{line}:7: leading-industry-share: finding: 长春市红旗绿色智能小镇: leading-industry investment "
        "is 55% of the total; the standard requires at least 60% (一(四))\n"
    )


def test_another_enterprise_type_is_a_finding_until_the_standard_names_it(run: Run, registry: Path) -> None:
    recorded = run("set", "1", "developer.name=某公司", "developer.ownership=集体企业", registry=registry)
    assert recorded.exit_code == 0, recorded.stderr
    assert "'集体企业' is not an enterprise type of 一(三)" in recorded.stderr
    assert "ownership: 集体企业" in registry.read_text(encoding="utf-8")
    assert [p.code for p in notice_problems(load(registry).report.findings)] == ["developer-ownership"]
    edit_text(
        registry,
        "    value: [国有企业, 民营企业, 混合所有制企业, 其他企业]",
        "    value: [国有企业, 民营企业, 混合所有制企业, 其他企业, 集体企业]",
    )
    assert notice_problems(load(registry).report.findings) == []


def test_a_later_designation_year_refuses_an_earlier_pass(run: Run, registry: Path) -> None:
    assert (
        run(
            "assess", "1", "--year", "2020", "--result", "达标", "--date", "2021-01-10", registry=registry
        ).exit_code
        == 0
    )
    edit_text(registry, "    value: 2020", "    value: 2021")
    result = run("designate", "1", "--date", "2021-02-01", registry=registry)
    assert result.exit_code == 1
    assert "designation needs a 达标 year from 2021 on" in result.stderr


def test_a_file_with_no_standards_section_reads_the_notice_s_values(run: Run, registry: Path) -> None:
    without_standards(registry)
    assert run("validate", str(registry)).exit_code == 0
    stated = json.loads(run("standards", "-f", "json", registry=registry).stdout)[0]["standards"]
    assert (stated[0]["clause"], stated[0]["key"]) == ("一(二)", "plan_conforms_to")
    assert stated[0]["value"][-1] == "保护区相关规定"
    with_investment(registry, "10", "4.9")
    assert "requires at least 50% (一(四))" in run("validate", str(registry)).stdout


def test_a_standard_without_its_clause_and_value_is_a_schema_problem(run: Run, registry: Path) -> None:
    """A standard is written with its clause: a bare value is refused, at its line."""
    edit_text(
        registry, "  designation_year:\n    clause: 五(三)\n    value: 2020", "  designation_year: 2020"
    )
    result = run("validate", str(registry))
    assert result.exit_code == 1
    line = line_of(registry, "  designation_year: 2020")
    assert f"{registry}:{line}:" in result.stdout
    assert "schema: standards.designation_year: should be a mapping of keys and values (found 2020)" in (
        result.stdout
    )


def test_a_standard_of_the_wrong_kind_is_a_schema_problem_at_its_line(run: Run, registry: Path) -> None:
    edit_text(registry, "    value: 2020", "    value: 二〇二〇")
    result = run("validate", str(registry))
    assert result.exit_code == 1
    line = line_of(registry, "value: 二〇二〇")
    assert result.stdout.startswith(f"{registry}:{line}:")
    assert "schema: standards.designation_year.value:" in result.stdout


def test_a_standard_without_its_clause_is_a_schema_problem(run: Run, registry: Path) -> None:
    edit_text(registry, "    clause: 五(三)\n", "")
    result = run("validate", str(registry))
    assert result.exit_code == 1
    assert "schema: standards.designation_year.clause: missing key 'clause'" in result.stdout
