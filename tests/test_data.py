"""The shipped registry is the 2019 annex, exactly, and it validates."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from conftest import NOTICE_PREFECTURES, SEED, SHIPPED, shipped
from xiaozhen.model.terms import Category, Status, TownType
from xiaozhen.store.registry import load


def annex_towns() -> list[tuple[int, str, str, str, str]]:
    """(id, name, heading, category, town type) for each town, read from the notice itself."""
    text = SEED.read_text(encoding="utf-8")
    annex = text[text.index("全省创建第一批") :]
    heading, towns = None, []
    for line in annex.splitlines():
        line = line.strip()
        if m := re.match(r"^(\S+?)[(（]\s*\d+\s*个[)）]$", line):
            heading = m.group(1)
        elif m := re.match(r"^(\d+)\.\s*(\S+?)[(（](\S+?)[,，]\s*(\S+?)[)）]$", line):
            towns.append((int(m.group(1)), m.group(2), heading, m.group(3), m.group(4)))
    return towns


def test_the_shipped_registry_validates_with_no_problem() -> None:
    # No error; what 国办发〔2020〕33号 finds is its 24 建制镇, each of which the list review must answer for.
    loaded = load(SHIPPED)
    assert loaded.report.ok
    registry = loaded.report.registry
    assert registry is not None
    incorporated = {t.id for t in registry.towns if t.town_type == "建制镇"}
    assert len(incorporated) == 24
    assert {(p.code, p.town) for p in loaded.report.problems} == {
        ("administrative-town", i) for i in incorporated
    }
    assert load(SHIPPED, on=date(2020, 9, 24)).report.problems == []  # the notice alone, before 33号
    assert loaded.report.summary["towns"] == 55


@pytest.mark.skipif(not SEED.exists(), reason="the notice is in ../shared/seed beside a checkout")
def test_every_town_is_copied_from_the_annex_exactly() -> None:
    towns = shipped().towns
    listed = [(t.id, t.name, t.prefecture.value, t.listed_category.value, t.town_type.value) for t in towns]
    assert listed == annex_towns()
    assert all(t.category == t.listed_category for t in towns)


def test_nothing_is_invented_beyond_the_listing() -> None:
    for town in shipped().towns:
        assert town.status == Status.CREATING and town.batch == 1
        assert (town.leading_industry, town.investment, town.developer, town.plan, town.management) == (
            None,
            None,
            None,
            None,
            None,
        )
        assert town.assessments == [] and town.history == []


def test_the_notice_s_own_totals_are_declared_and_reconcile() -> None:
    registry = shipped()
    (declared,) = registry.declared
    assert declared.total == 55 == len(registry.towns)
    assert declared.category == {Category.GROWTH: 13, Category.CULTIVATION: 27, Category.PLANNING: 15}
    assert declared.town_type == {TownType.INCORPORATED: 24, TownType.UNINCORPORATED: 31}
    assert {k.value: v for k, v in (declared.prefecture or {}).items()} == NOTICE_PREFECTURES
    assert Counter(t.listed_category for t in registry.towns) == Counter(declared.category)


def test_county_is_the_county_level_unit_the_name_begins_with() -> None:
    towns = {t.id: t for t in shipped().towns}
    assert towns[9].county == "榆树市"
    assert towns[11].county == "农安县"
    assert towns[27].county == "伊通县"
    assert towns[54].county == "梅河口市" and towns[55].county == "公主岭市"
    for prefecture_level_or_zone in (1, 13, 20, 26, 42, 45, 52, 53):
        assert towns[prefecture_level_or_zone].county is None
    for town in towns.values():
        assert town.county is None or town.name.startswith(town.county)


def test_registry_provenance() -> None:
    registry = shipped()
    assert registry.registry.document == "吉政办明电〔2019〕5号"
    assert str(registry.registry.issued) == "2019-02-03"
    assert str(registry.registry.published) == "2019-02-11"
    standards = registry.standards
    assert (standards.leading_industry_min_share.clause, str(standards.leading_industry_min_share.value)) == (
        "一(四)",
        "0.5",
    )
    assert (standards.designation_year.clause, standards.designation_year.value) == ("五(三)", 2020)
    assert standards.developer_ownership.clause == "一(三)"


@pytest.mark.skipif(not SEED.exists(), reason="the notice is in ../shared/seed beside a checkout")
def test_the_plan_standard_names_the_five_items_of_the_notice() -> None:
    """一(二): 规划要符合当地城镇体系规划、土地利用总体规划、主体功能区规划、国家及省有关生态环保要求和保护区相关规定."""
    plan = shipped().standards.plan_conforms_to
    assert plan.clause == "一(二)"
    assert plan.value == [
        "城镇体系规划",
        "土地利用总体规划",
        "主体功能区规划",
        "生态环保要求",
        "保护区相关规定",
    ]
    clause = re.search(r"有高水平的规划。规划要符合(.*?)等", SEED.read_text(encoding="utf-8"))
    assert clause is not None
    for item in plan.value:
        assert item in clause.group(1), item


def test_the_standards_the_file_states_are_the_notice_s() -> None:
    from xiaozhen.model.terms import NOTICE_STANDARDS

    stated = shipped().standards.model_dump()
    assert {key: (s["clause"], s["value"]) for key, s in stated.items()} == {
        key: (n.clause, n.value) for key, n in NOTICE_STANDARDS.items()
    }


def test_header_comment_says_where_the_data_comes_from() -> None:
    head = Path(SHIPPED).read_text(encoding="utf-8").split("registry:")[0]
    assert "吉政办明电〔2019〕5号" in head and "xiaozhen validate" in head
