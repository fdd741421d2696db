"""What a new user sees when something is wrong: short, in our words, with its exit code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import SHIPPED, Run, commands


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["filter", "investment.total>abc"],
            "xiaozhen: 'investment.total>abc': 'abc' is not a number, and investment.total is one\n",
        ),
        (
            ["filter", "leading_share>=half"],
            "xiaozhen: 'leading_share>=half': 'half' is not a number, and leading_share is one\n",
        ),
        (["filter", "id=one"], "xiaozhen: 'id=one': 'one' is not a number, and id is one\n"),
        (["filter", "batch<x"], "xiaozhen: 'batch<x': 'x' is not a number, and batch is one\n"),
        (
            ["filter", "plan.approved>2020-13-01"],
            "xiaozhen: 'plan.approved>2020-13-01': '2020-13-01' is not a date (YYYY-MM-DD, YYYY/M/D, YYYY.M.D or YYYY年M月D日), and plan.approved is one\n",
        ),
        (
            ["filter", "category>培育类"],
            "xiaozhen: 'category>培育类': category is one of its terms; compare it with = or != (or ~)\n",
        ),
        (
            ["filter", "status=done"],
            "xiaozhen: 'done' is not a status; use one of: 创建中, 已认定, 已退出, 认定, 退出, creating, designated, "
            "exited\n",
        ),
        (
            ["filter", "investment>3"],
            "xiaozhen: 'investment>3': investment is compared with = null, != null or ~ (contains) only\n",
        ),
        (["filter", "id<null"], "xiaozhen: 'id<null': null is compared with = or != only\n"),
    ],
)
def test_a_comparison_with_a_value_of_the_wrong_kind_exits_2(run: Run, args: list[str], message: str) -> None:
    result = run(*args, registry=SHIPPED)
    assert result.exit_code == 2
    assert result.stderr == message
    assert result.stdout == ""


def test_comparisons_of_the_right_kind_still_answer(run: Run) -> None:
    assert run("filter", "id>=54", "-f", "csv", registry=SHIPPED).stdout.count("\n") == 3
    assert run("filter", "investment=null", "-f", "csv", registry=SHIPPED).stdout.count("\n") == 56
    assert run("filter", "investment!=null", "-f", "csv", registry=SHIPPED).stdout.count("\n") == 1


def test_an_unknown_field_suggests_the_closest(run: Run) -> None:
    result = run("filter", "investment.totl>3", registry=SHIPPED)
    assert result.exit_code == 2
    assert (
        "unknown field 'investment.totl' in 'investment.totl>3'; did you mean 'investment.total'?"
        in result.stderr
    )
    assert "and 30 more" in result.stderr


def test_an_ambiguous_name_lists_ten_candidates_then_how_many_more(run: Run) -> None:
    result = run("show", "小镇", registry=SHIPPED)
    assert result.exit_code == 2
    assert result.stderr.count("; ") == 10
    assert "; 10 德惠市朱城子小食品生产小镇; and 45 more. Give an id or more of the name." in result.stderr


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("大荒地稻香特色小镇", "吉林市大荒地稻香小镇"),
        ("丰满区大荒地稻香小镇", "吉林市大荒地稻香小镇"),
        ("敦化雁鸣湖旅游小镇", "敦化市雁鸣湖旅游小镇"),
        ("红石影视特色小镇", "桦甸市红石影视小镇"),
        ("２５", "桦甸市红石影视小镇"),
    ],
)
def test_a_name_typed_a_little_differently_finds_its_town(run: Run, typed: str, meant: str) -> None:
    result = run("show", typed, "-f", "json", registry=SHIPPED)
    assert result.exit_code == 0, result.stderr
    assert f'"name": "{meant}"' in result.stdout


def test_a_name_that_matches_nothing_suggests_the_closest_towns(run: Run) -> None:
    result = run("show", "五棵树玉米小镇", registry=SHIPPED)
    assert result.exit_code == 2
    assert result.stderr == (
        "xiaozhen: no town's name contains '五棵树玉米小镇'; the closest: 9 榆树市五棵树玉米深加工小镇; 35 通化县西江稻米小镇\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["tally", "--by", "nonsense"],
            "invalid value for '--by': 'nonsense' is not one of: category, prefecture,",
        ),
        (
            ["list", "--format", "xml"],
            "invalid value for '--format' / '-f': 'xml' is not one of: table, json, csv",
        ),
        (
            ["validate", "-f", "sarif"],
            "invalid value for '--format' / '-f': 'sarif' is not one of: text, json, github",
        ),
        (["list", "--batch", "x"], "invalid value for '--batch' / '-b': 'x' is not a whole number"),
        (
            ["assess", "1", "--year", "abc", "--result", "pass"],
            "invalid value for '--year': 'abc' is not a year",
        ),
        (
            ["assess", "1", "--year", "2020", "--result", "pass", "--score", "high"],
            "invalid value for '--score': 'high' is not a number",
        ),
        (
            ["diff", "-f", "html"],
            "invalid value for '--format' / '-f': 'html' is not one of: table, json, md",
        ),
    ],
)
def test_a_wrong_option_value_is_said_in_our_words(run: Run, args: list[str], message: str) -> None:
    result = run(*args, registry=SHIPPED, env={"COLUMNS": "200"})
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Value error" not in result.stderr and "Input should be" not in result.stderr


@pytest.mark.parametrize("command", [[], *([name] for name in commands())])
def test_help_reads_as_a_person_would_write_it(run: Run, command: list[str]) -> None:
    result = run(*command, "--help", env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert not re.search(r"<[A-Za-z_\[\], ]+>", result.stdout), "a Python type shows in --help"
    assert "Value error" not in result.stdout


@pytest.mark.parametrize(
    ("corpus", "message"),
    [
        (
            "enum-category.yaml",
            "towns[0].category: should be one of 规划类, 培育类, 成长类 (found '培养类'); did you mean '培育类'?",
        ),
        ("enum-prefecture.yaml", "(found '长春'); did you mean '长春市'?"),
        ("type-id-string.yaml", "towns[0].id: should be a whole number, written without quotes (found '1')"),
        ("type-date-number.yaml", "registry.issued: should be a date written as YYYY-MM-DD (found 20190203)"),
        ("id-zero.yaml", "towns[1].id: should be at least 1 (found 0)"),
    ],
)
def test_a_schema_problem_is_said_in_the_format_s_words(run: Run, corpus: str, message: str) -> None:
    result = run("validate", str(Path(__file__).parent / "corpus" / corpus))
    assert result.exit_code == 1
    assert message in result.stdout
    assert "Input should be" not in result.stdout and "Value error" not in result.stdout
