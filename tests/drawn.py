"""Edits as the property tests draw them: the settings a `set` records, and the change an action makes
to a document as the CLI hands it to `registry.edit` (test_timeline.py, test_splice.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from xiaozhen.actions import lifecycle, new_towns, recording
from xiaozhen.model.terms import Prefecture, TownType

FIVE = ["城镇体系规划", "土地利用总体规划", "主体功能区规划", "生态环保要求", "保护区相关规定"]

settings_ = st.sampled_from(
    [
        [("leading_industry", "玉米深加工")],
        [("leading_industry", "冰雪旅游"), ("management", "某管委会")],
        [("investment.total", 30), ("investment.leading_industry", 21.5)],
        [("investment.total", 12), ("investment.leading_industry", 6)],
        [("developer.name", "某公司"), ("developer.ownership", "民营企业")],
        [("plan.title", "总体规划"), ("plan.conforms_to", FIVE), ("plan.approved", date(2020, 5, 1))],
        [("management", None)],
    ]
)


def change_for(when: date, action: tuple[Any, ...]) -> Callable[[Any], None]:
    """The change an action makes to a document, as the CLI would hand it to `registry.edit`."""
    kind = action[0]

    def change(document: Any) -> None:
        registry = document.registry
        if kind == "add":
            number = len(registry.towns) + 1
            new = new_towns.NewTown(
                f"某县第{number}小镇", Prefecture.CHANGCHUN, action[1], TownType.INCORPORATED, 2
            )
            node, _ = new_towns.add(registry, when, new)
            if node is not None:
                document.append_town(node)
            return
        town = document.town(action[1])
        if kind == "assess":
            year, result, replace = action[2], action[3], action[4]
            score = Decimal(60 + year % 40)
            outcome = lifecycle.assess(town, registry, when, year, result, score=score, replace=replace)
        elif kind == "advance":
            outcome = lifecycle.advance(town, when)
        elif kind == "designate":
            outcome = lifecycle.designate(town, registry, when)
        elif kind == "withdraw":
            outcome = lifecycle.withdraw(town, when, "申请退出")
        else:
            outcome = recording.record(town, when, action[2])
        if isinstance(outcome, lifecycle.Change):
            document.apply(outcome)

    return change
