"""Every table command at 60, 80 and 120 columns: no line is wider than the terminal, and names and
closed terms stay whole (a column is dropped, or a cross-table turned, rather than a term broken)."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from conftest import SHIPPED, Run
from xiaozhen.model.terms import Category, Prefecture, TownType

WIDTHS = ["60", "80", "120"]
PREFECTURES = [p.value for p in Prefecture]
STAGES = [c.value for c in Category]

# (command, the terms that must each stand whole on some line)
COMMANDS: list[tuple[list[str], list[str]]] = [
    (["list", "--prefecture", "长白山"], ["二道白河休闲运动小镇", "长白山冰雪运动小镇", "成长类", "规划类"]),
    (
        ["filter", "id>=20", "id<=23"],
        ["中新食品区奶酪小镇", "磐石市经济开发区中医药小镇", "培育类", "成长类"],
    ),
    (["show", "52"], ["二道白河休闲运动小镇", "长白山保护开发区", "成长类", "建制镇", "创建中"]),
    (["tally", "--by", "prefecture"], PREFECTURES),
    (["tally", "--by", "prefecture", "--chart"], PREFECTURES),
    (["tally", "--by", "prefecture", "--by", "category"], PREFECTURES + STAGES),
    (["tally", "--by", "category", "--by", "prefecture"], PREFECTURES + STAGES),
    (
        ["tally", "--by", "status", "--by", "town_type"],
        ["创建中"] + [t.value for t in TownType],
    ),
    (
        ["standards"],
        ["一(二)", "plan_conforms_to", "保护区相关规定", "混合所有制企业", "leading_industry_min_share"],
    ),
]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(("args", "terms"), COMMANDS, ids=[" ".join(c[0]) for c in COMMANDS])
def test_every_table_fits_and_keeps_terms_whole(
    run: Run, args: list[str], terms: list[str], width: str
) -> None:
    result = run(*args, registry=SHIPPED, env={"COLUMNS": width})
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(cell_len(line) for line in lines) <= int(width)
    assert "…" not in result.stdout
    for term in terms:
        assert any(term in line for line in lines), f"{term} is broken or missing at {width} columns"


def test_a_cross_table_too_wide_for_the_terminal_is_turned(run: Run) -> None:
    wide = run("tally", "--by", "category", "--by", "prefecture", registry=SHIPPED, env={"COLUMNS": "200"})
    assert "category \\ prefecture" in wide.stdout
    narrow = run("tally", "--by", "category", "--by", "prefecture", registry=SHIPPED, env={"COLUMNS": "80"})
    assert "prefecture \\ category" in narrow.stdout
