"""Analysts' questions: list facets, filter, show, tally — each answer checked against the registry."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from conftest import NOTICE_PREFECTURES, SHIPPED, Run, edit_text
from xiaozhen.store.registry import load_records

TOWNS = load_records(SHIPPED)["towns"]


def ids(result_stdout: str) -> list[int]:
    return [town["id"] for town in json.loads(result_stdout)]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--category", "培育类"], [t["id"] for t in TOWNS if t["category"] == "培育类"]),
        (["--category", "cultivation"], [t["id"] for t in TOWNS if t["category"] == "培育类"]),
        (["-c", "growth", "-p", "延边"], [50]),
        (["--prefecture", "长白山"], [52, 53]),
        (["--county", "敦化"], [46, 47]),
        (["--county", "农安县"], [11, 12]),
        (["--town-type", "incorporated", "--prefecture", "白城"], [42, 43, 44]),
        (["--status", "创建中", "--batch", "1", "--name", "稻"], [13, 35]),
        (["--status", "exited"], []),
    ],
    ids=[
        "category",
        "alias",
        "growth-in-yanbian",
        "zone",
        "county-fragment",
        "county",
        "type",
        "name",
        "none",
    ],
)
def test_each_facet_and_alias(run: Run, args: list[str], expected: list[int]) -> None:
    result = run("list", *args, "--format", "json", registry=SHIPPED)
    assert result.exit_code == 0, result.stderr
    assert ids(result.stdout) == expected


def test_list_category_cultivation_is_the_27_of_the_notice(run: Run) -> None:
    assert len(ids(run("list", "--category", "培育类", "-f", "json", registry=SHIPPED).stdout)) == 27


def test_no_match_is_an_empty_answer_not_an_error(run: Run) -> None:
    result = run("list", "--status", "已认定", "-f", "json", registry=SHIPPED)
    assert (result.exit_code, result.stdout) == (0, "[]\n")
    assert "no town matches" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["--category", "培养类"],
        ["--town-type", "乡镇"],
        ["--prefecture", "北京"],
        ["--status", "done"],
        ["--format", "xml"],
        ["--sort", "height"],
    ],
)
def test_an_unknown_value_exits_2_and_names_the_valid_ones(run: Run, args: list[str]) -> None:
    result = run("list", *args, registry=SHIPPED)
    assert result.exit_code == 2
    assert result.stdout == ""


def test_unknown_category_lists_the_choices(run: Run) -> None:
    result = run("list", "--category", "培养类", registry=SHIPPED)
    assert result.stderr.strip() == (
        "xiaozhen: '培养类' is not a category; did you mean '培育类'? "
        "(use one of: 规划类, 培育类, 成长类, growth, cultivation, planning)"
    )


@pytest.mark.parametrize(
    ("option", "typed", "term"),
    [
        ("--category", "培育", "培育类"),
        ("--category", "成长", "成长类"),
        ("--town-type", "非建制", "非建制镇"),
    ],
)
def test_a_term_is_taken_by_an_unambiguous_beginning(run: Run, option: str, typed: str, term: str) -> None:
    short = json.loads(run("list", option, typed, "-f", "json", registry=SHIPPED).stdout)
    full = json.loads(run("list", option, term, "-f", "json", registry=SHIPPED).stdout)
    assert short == full and short
    ambiguous = run("list", "--status", "已", registry=SHIPPED)
    assert ambiguous.exit_code == 2 and "'已' is not a status" in ambiguous.stderr


def test_json_output_is_the_registry_s_own_records(run: Run) -> None:
    listed = json.loads(run("list", "-f", "json", registry=SHIPPED).stdout)
    assert listed == TOWNS
    assert list(listed[0]) == [
        "id",
        "name",
        "prefecture",
        "county",
        "category",
        "listed_category",
        "town_type",
        "status",
        "batch",
        "leading_industry",
        "investment",
        "developer",
        "plan",
        "management",
        "industry_class",
        "indicators",
        "assessments",
        "history",
    ]


def test_csv_output_parses_back_to_the_registry(run: Run) -> None:
    rows = list(csv.DictReader(io.StringIO(run("list", "-f", "csv", registry=SHIPPED).stdout)))
    assert [(int(r["id"]), r["name"], r["category"], r["county"] or None) for r in rows] == [
        (t["id"], t["name"], t["category"], t["county"]) for t in TOWNS
    ]


def test_sort_by_a_field(run: Run) -> None:
    result = run("list", "--sort", "prefecture", "-p", "白山", "-f", "json", registry=SHIPPED)
    assert ids(result.stdout) == [38, 39, 40]
    by_name = ids(run("list", "--sort", "name", "-f", "json", registry=SHIPPED).stdout)
    assert by_name == [t["id"] for t in sorted(TOWNS, key=lambda t: (t["name"], t["id"]))]


# --- filter --------------------------------------------------------------------------------------


@pytest.fixture
def recorded(registry: Path) -> Path:
    """Town 1 with 12 亿元 of which 8 leading; town 13 with 20 of which 10."""
    edit_text(registry, "investment: null", "investment:\n      total: 12\n      leading_industry: 8")
    text = registry.read_text(encoding="utf-8")
    head, tail = text.split("  - id: 13\n")
    tail = tail.replace("investment: null", "investment:\n      total: 20\n      leading_industry: 10", 1)
    tail = tail.replace("leading_industry: null", "leading_industry: 稻米", 1)
    registry.write_text(head + "  - id: 13\n" + tail, encoding="utf-8")
    return registry


@pytest.mark.parametrize(
    ("expressions", "expected"),
    [
        (["investment.total>10"], [1, 13]),
        (["investment.total>=20"], [13]),
        (["investment.total<20"], [1]),
        (["investment.total<=12", "investment.total!=12"], []),
        (["leading_share>0.6"], [1]),
        (["leading_share=0.5"], [13]),
        (["leading_industry~稻"], [13]),
        (["leading_industry=null", "prefecture=吉林"], [14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25]),
        (["town_type=建制镇", "prefecture=延边"], [47, 51]),
        (["category!=growth", "name~小白山"], [16]),
        (["id>=54"], [54, 55]),
    ],
)
def test_filter_operators(run: Run, recorded: Path, expressions: list[str], expected: list[int]) -> None:
    result = run("filter", *expressions, "-f", "json", registry=recorded)
    assert result.exit_code == 0, result.stderr
    assert ids(result.stdout) == expected


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("total", "'total' is not an expression: write FIELD OP VALUE"),
        ("height>3", "unknown field 'height' in 'height>3'; fields: id, name"),
        ("category=培养类", "'培养类' is not a category"),
    ],
)
def test_a_malformed_expression_exits_2_saying_what_was_expected(
    run: Run, expression: str, message: str
) -> None:
    result = run("filter", expression, registry=SHIPPED)
    assert result.exit_code == 2
    assert message in result.stderr


# --- show ----------------------------------------------------------------------------------------


def test_show_by_fragment_and_by_id_give_the_whole_town(run: Run) -> None:
    by_name = json.loads(run("show", "大荒地", "-f", "json", registry=SHIPPED).stdout)
    by_id = json.loads(run("show", "13", "-f", "json", registry=SHIPPED).stdout)
    assert by_name == by_id == TOWNS[12]


def test_show_table_has_the_standards_fields(run: Run, recorded: Path) -> None:
    result = run("show", "大荒地", registry=recorded)
    assert result.exit_code == 0
    for text in ("13 吉林市大荒地稻香小镇", "主导产业 leading_industry", "稻米", "总投资(亿元)", "20", "0.5"):
        assert text in result.stdout


def test_an_ambiguous_fragment_lists_the_candidates(run: Run) -> None:
    result = run("show", "影视", registry=SHIPPED)
    assert result.exit_code == 2
    assert "'影视' matches 2 towns: 25 桦甸市红石影视小镇; 32 东丰县沙河影视旅游小镇" in result.stderr


@pytest.mark.parametrize("town", ["56", "不存在"])
def test_no_such_town_exits_2(run: Run, town: str) -> None:
    assert run("show", town, registry=SHIPPED).exit_code == 2


# --- tally ---------------------------------------------------------------------------------------


def test_tally_reproduces_the_notice_s_figures(run: Run) -> None:
    def counts(*by: str) -> dict[str, object]:
        result = run("tally", *(a for d in by for a in ("--by", d)), "-f", "json", registry=SHIPPED)
        data: dict[str, object] = json.loads(result.stdout)
        assert data["total"] == 55 and data["by"] == list(by)
        return data["counts"]  # type: ignore[return-value]

    assert counts("category") == {"成长类": 13, "培育类": 27, "规划类": 15}
    assert counts("town_type") == {"建制镇": 24, "非建制镇": 31}
    assert counts("prefecture") == NOTICE_PREFECTURES
    cross = counts("prefecture", "category")
    assert cross["长春市"] == {"成长类": 3, "培育类": 4, "规划类": 5}
    assert cross["延边州"] == {"成长类": 1, "培育类": 5, "规划类": 1}
    assert sum(sum(row.values()) for row in cross.values()) == 55  # type: ignore[attr-defined]


def test_tally_table_has_totals_and_shares(run: Run) -> None:
    out = run("tally", "--by", "category", registry=SHIPPED).stdout
    assert "│ 培育类     │    27 │ 49.1% │" in out
    assert "│ 合计 total │    55 │  100% │" in out


def test_cross_table_has_row_and_column_totals(run: Run) -> None:
    out = run("tally", "--by", "prefecture", "--by", "category", registry=SHIPPED).stdout
    assert "│ 长春市                │      3 │      4 │      5 │         12 │" in out
    assert "│ 合计 total            │     13 │     27 │     15 │         55 │" in out


def test_tally_takes_the_list_filters_and_csv_has_a_row_per_combination(run: Run) -> None:
    result = run(
        "tally", "--by", "category", "--by", "town_type", "-p", "通化", "-f", "csv", registry=SHIPPED
    )
    assert result.stdout == "category,town_type,count\n培育类,建制镇,4\n"


def test_tally_chart_draws_bars(run: Run) -> None:
    out = run("tally", "--by", "town_type", "--chart", registry=SHIPPED).stdout
    assert "█" * 30 in out and "█" * 23 in out


def test_tally_by_an_unknown_dimension_exits_2(run: Run) -> None:
    assert run("tally", "--by", "colour", registry=SHIPPED).exit_code == 2


# --- tables for people ---------------------------------------------------------------------------


@pytest.mark.parametrize("width", ["60", "80", "200"])
def test_rich_tables_keep_every_chinese_name_whole(run: Run, width: str) -> None:
    out = run("list", registry=SHIPPED, env={"COLUMNS": width}).stdout
    from rich.cells import cell_len

    assert max(cell_len(line) for line in out.splitlines()) <= int(width)
    for town in TOWNS:
        (line,) = [line for line in out.splitlines() if f" {town['name']} " in line]
        if width != "60":  # from 80 columns on, the closed terms are whole on the name's line too
            assert all(f" {town[key]} " in line for key in ("prefecture", "category", "status"))


@pytest.mark.parametrize(
    ("width", "headers"),
    [
        ("120", ["ID", "名称 name", "市(州)", "县(市)", "类别", "镇类型", "状态"]),
        ("100", ["ID", "名称 name", "市(州)", "县(市)", "类别", "镇类型", "状态"]),
        ("80", ["ID", "名称 name", "市(州)", "类别", "状态"]),
        ("60", ["ID", "名称 name", "类别", "状态"]),
        ("50", ["ID", "名称 name", "类别"]),
        ("40", ["ID", "名称 name"]),
    ],
)
def test_a_narrow_terminal_drops_whole_columns_in_the_documented_order(
    run: Run, width: str, headers: list[str]
) -> None:
    header = run("list", registry=SHIPPED, env={"COLUMNS": width}).stdout.splitlines()[1]
    assert [cell.strip() for cell in header.strip("┃").split("┃")] == headers


@pytest.mark.parametrize(
    ("as_said", "as_keyed"),
    [
        # a field by its Chinese name
        (["tally", "--by", "类别"], ["tally", "--by", "category"]),
        (
            ["tally", "--by", "市（州）", "--by", "建制镇/非建制镇"],
            ["tally", "--by", "prefecture", "--by", "town_type"],
        ),
        (["filter", "类别=培育类", "市(州)=延边"], ["filter", "category=培育类", "prefecture=延边"]),
        (["filter", "名称~稻"], ["filter", "name~稻"]),
        (["list", "--sort", "名称", "-f", "csv"], ["list", "--sort", "name", "-f", "csv"]),
        (["list", "--sort", "县（市）", "-f", "json"], ["list", "--sort", "county", "-f", "json"]),
        # a term by the office's other words for it
        (["list", "-p", "延边朝鲜族自治州"], ["list", "-p", "延边州"]),
        (["list", "-s", "退出"], ["list", "-s", "已退出"]),
        (["list", "-s", "认定"], ["list", "-s", "已认定"]),
    ],
)
def test_a_field_or_a_term_as_the_office_says_it_is_taken_as_its_key(
    run: Run, registry: Path, as_said: list[str], as_keyed: list[str]
) -> None:
    said, keyed = run(*as_said, registry=registry), run(*as_keyed, registry=registry)
    assert said.exit_code == keyed.exit_code == 0, said.stderr
    assert said.stdout == keyed.stdout


def test_set_takes_the_chinese_names_and_their_units(run: Run, registry: Path) -> None:
    done = run(
        "set", "红旗", "主导产业=新能源汽车", "总投资（亿元）=30", "主导产业投资=21.5", registry=registry
    )
    assert (done.exit_code, done.stdout) == (
        0,
        "1 长春市红旗绿色智能小镇: leading_industry=新能源汽车; investment.total=30; "
        "investment.leading_industry=21.5\n",
    )
    unknown = run("set", "红旗", "主导行业=汽车", registry=registry)
    assert unknown.exit_code == 2 and "'主导行业=汽车' is not KEY=VALUE" in unknown.stderr


def test_a_county_no_town_is_in_is_answered_with_the_closest(run: Run, registry: Path) -> None:
    for command in (["list"], ["tally"]):
        refused = run(*command, "--county", "敦花", registry=registry)
        assert (refused.exit_code, refused.stderr) == (
            2,
            "xiaozhen: --county '敦花': no town is in it; did you mean '敦化市'?\n",
        )
    assert run("list", "--county", "敦化", registry=registry).exit_code == 0
