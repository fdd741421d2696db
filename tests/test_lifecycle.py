"""The creation procedure as a table: every allowed and every refused move, apart from any file."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from conftest import shipped
from xiaozhen.actions import lifecycle, new_towns, recording
from xiaozhen.actions.lifecycle import Change, Unchanged
from xiaozhen.errors import BadValue, Refused
from xiaozhen.model.schema import Assessment, Town
from xiaozhen.model.terms import Category, Result, Status

REGISTRY = shipped()
DAY = date(2026, 3, 1)
P, C, G = Category.PLANNING, Category.CULTIVATION, Category.GROWTH
CREATING, DESIGNATED, EXITED = Status.CREATING, Status.DESIGNATED, Status.EXITED


def town(category: Category = P, status: Status = CREATING, *results: tuple[int, Result]) -> Town:
    base = REGISTRY.towns[2]  # 3 长春市健康山谷小镇, 规划类
    assessments = [Assessment(year=y, result=r) for y, r in results]
    return base.model_copy(update={"category": category, "status": status, "assessments": assessments})


PASS_2020 = (2020, Result.PASS)


def outcome(action: str, subject: Town, **kw: Any) -> Any:
    if action == "advance":
        return lifecycle.advance(subject, DAY, kw.get("to"))
    if action == "assess":
        return lifecycle.assess(
            subject, REGISTRY, DAY, kw["year"], kw["result"], replace=kw.get("replace", False)
        )
    if action == "designate":
        return lifecycle.designate(subject, REGISTRY, DAY)
    if action == "withdraw":
        return lifecycle.withdraw(subject, DAY, "申请退出")
    raise AssertionError(action)


# (name, town, action, options, the values it sets — or Unchanged, or the text of the refusal)
MOVES: list[tuple[str, Town, str, dict[str, Any], Any]] = [
    ("plan→cultivate", town(P), "advance", {}, {"category": "培育类"}),
    ("cultivate→grow", town(C), "advance", {}, {"category": "成长类"}),
    ("to the next, named", town(P), "advance", {"to": C}, {"category": "培育类"}),
    ("to where it is", town(C), "advance", {"to": C}, Unchanged),
    ("to where it is, exited", town(C, EXITED), "advance", {"to": C}, Unchanged),
    ("past the last", town(G), "advance", {}, "the last stage"),
    ("two steps", town(P), "advance", {"to": G}, "only move one step forward"),
    ("backwards", town(C), "advance", {"to": P}, "only move one step forward"),
    ("designated town", town(C, DESIGNATED, PASS_2020), "advance", {}, "already designated"),
    ("exited town", town(C, EXITED), "advance", {}, "which is final"),
    ("pass", town(), "assess", {"year": 2020, "result": Result.PASS}, {}),
    ("fail exits", town(), "assess", {"year": 2020, "result": Result.FAIL}, {"status": "已退出"}),
    (
        "same result again",
        town(P, CREATING, PASS_2020),
        "assess",
        {"year": 2020, "result": Result.PASS},
        Unchanged,
    ),
    (
        "same fail again, exited",
        town(P, EXITED, (2020, Result.FAIL)),
        "assess",
        {"year": 2020, "result": Result.FAIL},
        Unchanged,
    ),
    (
        "other result for the year",
        town(P, CREATING, PASS_2020),
        "assess",
        {"year": 2020, "result": Result.FAIL},
        "pass --replace",
    ),
    (
        "replace exits",
        town(P, CREATING, PASS_2020),
        "assess",
        {"year": 2020, "result": Result.FAIL, "replace": True},
        {"status": "已退出"},
    ),
    (
        "before listing",
        town(),
        "assess",
        {"year": 2018, "result": Result.PASS},
        "before the town was listed (2019)",
    ),
    ("the year not begun", town(), "assess", {"year": 2027, "result": Result.PASS}, "the year has not begun"),
    ("assess exited", town(P, EXITED), "assess", {"year": 2021, "result": Result.PASS}, "which is final"),
    (
        "assess designated",
        town(P, DESIGNATED, PASS_2020),
        "assess",
        {"year": 2021, "result": Result.PASS},
        "already designated",
    ),
    ("designate", town(P, CREATING, PASS_2020), "designate", {}, {"status": "已认定"}),
    ("designate again", town(P, DESIGNATED, PASS_2020), "designate", {}, Unchanged),
    ("designate unassessed", town(), "designate", {}, "no assessment is recorded"),
    ("designate before 2020", town(P, CREATING, (2019, Result.PASS)), "designate", {}, "from 2020 on"),
    ("designate exited", town(P, EXITED, PASS_2020), "designate", {}, "which is final"),
    ("withdraw", town(), "withdraw", {}, {"status": "已退出"}),
    ("withdraw again", town(P, EXITED), "withdraw", {}, Unchanged),
    ("withdraw designated", town(P, DESIGNATED, PASS_2020), "withdraw", {}, "already designated"),
]


@pytest.mark.parametrize(
    ("subject", "action", "options", "expected"), [m[1:] for m in MOVES], ids=[m[0] for m in MOVES]
)
def test_moves(subject: Town, action: str, options: dict[str, Any], expected: Any) -> None:
    if isinstance(expected, str):
        with pytest.raises(Refused, match=expected.replace("(", r"\(").replace(")", r"\)")):
            outcome(action, subject, **options)
        return
    result = outcome(action, subject, **options)
    if expected is Unchanged:
        assert isinstance(result, Unchanged)
        return
    assert isinstance(result, Change)
    assert result.values == expected
    assert result.history and all(entry["date"] == DAY for entry in result.history)


def test_a_failing_year_records_the_reason_in_history() -> None:
    change = lifecycle.assess(town(), REGISTRY, DAY, 2021, Result.FAIL)
    assert isinstance(change, Change)
    assert change.assessment == {"year": 2021, "result": "不达标", "date": DAY}
    assert [h["event"] for h in change.history] == ["assessed", "exited"]
    assert change.history[1]["note"] == "2021年度评估不达标（二(三)）"


def test_score_is_checked() -> None:
    with pytest.raises(BadValue):
        lifecycle.assess(town(), REGISTRY, DAY, 2021, Result.PASS, score=Decimal(101))


def test_a_date_in_the_future_is_refused() -> None:
    with pytest.raises(BadValue, match="in the future"):
        lifecycle.check_date(date(2026, 3, 2), today=DAY)
    lifecycle.check_date(DAY, today=DAY)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("leading_industry=稻米", ("leading_industry", "稻米")),
        ("investment.total=12.5", ("investment.total", 12.5)),
        ("investment.total=12", ("investment.total", 12)),
        ("developer.ownership=private", ("developer.ownership", "民营企业")),
        ("plan.approved=2019-06-01", ("plan.approved", date(2019, 6, 1))),
        (
            "plan.conforms_to=城镇体系规划、土地利用总体规划",
            ("plan.conforms_to", ["城镇体系规划", "土地利用总体规划"]),
        ),
        ("management=null", ("management", None)),
    ],
)
def test_settings_are_typed_for_their_key(text: str, expected: tuple[str, Any]) -> None:
    assert recording.parse_setting(text) == expected


@pytest.mark.parametrize(
    "text", ["height=3", "investment.total=many", "plan.approved=June", "leading_industry"]
)
def test_a_bad_setting_is_a_usage_error(text: str) -> None:
    with pytest.raises(BadValue):
        recording.parse_setting(text)


def test_setting_what_is_recorded_changes_nothing() -> None:
    subject = town().model_copy(update={"leading_industry": "稻米"})
    assert isinstance(recording.record(subject, DAY, [("leading_industry", "稻米")]), Unchanged)
    change = recording.record(subject, DAY, [("leading_industry", "大米")])
    assert isinstance(change, Change) and change.values == {"leading_industry": "大米"}


def test_add_takes_the_next_id_and_is_rerun_safe() -> None:
    new = new_towns.NewTown("某县新小镇", REGISTRY.towns[0].prefecture, P, REGISTRY.towns[0].town_type, 2)
    node, change = new_towns.add(REGISTRY, DAY, new)
    assert node is not None and node["id"] == 56 and node["batch"] == 2 and node["status"] == "创建中"
    assert change.message == "56 某县新小镇: added to batch 2 as 规划类"
    with pytest.raises(BadValue, match="batch 1"):
        new_towns.add(REGISTRY, DAY, new_towns.NewTown("x", new.prefecture, P, new.town_type, 1))
    existing = new_towns.NewTown(REGISTRY.towns[0].name, new.prefecture, P, new.town_type, 2)
    with pytest.raises(Refused, match="already listed as 1"):
        new_towns.add(REGISTRY, DAY, existing)
