"""A property of time (hypothesis): a random sequence of dated edits through the library, on a copy of the
shipped registry, with a snapshot of the file after each. The final file, rewound to each snapshot's date
(--as-of), is that snapshot, town for town; `diff` of two snapshots is `diff --from/--to` on the final
file; and validate never finds the history at odds with the record."""

from __future__ import annotations

import contextlib
import itertools
import shutil
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SHIPPED
from test_properties import STRESS
from xiaozhen import lifecycle
from xiaozhen.changes import compare
from xiaozhen.errors import XiaozhenError
from xiaozhen.history import registry_as_of
from xiaozhen.registry import Source, check_bytes, edit
from xiaozhen.terms import Category, Prefecture, Result, TownType

SEQUENCES = 15 * STRESS  # edit sequences per run
FIVE = ["城镇体系规划", "土地利用总体规划", "主体功能区规划", "生态环保要求", "保护区相关规定"]

towns = st.integers(1, 4)  # a few towns, so that edits meet the same town again
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
# Results are drawn most, passes more than failures, and exits seldom, so that towns live long enough to
# be advanced and designated; the years fit the dates drawn (from 2020 on).
assessed = st.integers(1, 2)  # results and designations meet on two towns, so that both happen
assess = st.tuples(
    st.just("assess"),
    assessed,
    st.sampled_from([2020, 2019, 2021]),  # the first is what hypothesis tries first
    st.sampled_from([Result.PASS, Result.PASS, Result.PASS, Result.FAIL]),
    st.booleans(),
)
designate = st.tuples(st.just("designate"), assessed)
step = st.one_of(
    assess,
    assess,
    assess,
    designate,
    designate,
    st.tuples(st.just("advance"), towns),
    st.tuples(st.just("set"), towns, settings_),
    st.tuples(st.just("add"), st.sampled_from(list(Category))),
    st.tuples(st.just("withdraw"), towns),
)


def apply(path: Path, when: date, action: tuple[Any, ...]) -> None:
    """One edit as the CLI makes it; a refused edit writes nothing, as it should."""
    with contextlib.suppress(XiaozhenError):
        edit(Source(path, "option"), change_for(when, action))


def change_for(when: date, action: tuple[Any, ...]) -> Callable[[Any], None]:
    """The change an action makes to a document, as the CLI would hand it to `registry.edit`."""
    kind = action[0]

    def change(document: Any) -> None:
        registry = document.registry
        if kind == "add":
            number = len(registry.towns) + 1
            new = lifecycle.NewTown(
                f"某县第{number}小镇", Prefecture.CHANGCHUN, action[1], TownType.INCORPORATED, 2
            )
            node, _ = lifecycle.add(registry, when, new)
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
            outcome = lifecycle.record(town, when, action[2])
        if isinstance(outcome, lifecycle.Change):
            document.apply(outcome)

    return change


def records(path: Path) -> dict[str, Any]:
    report = check_bytes(path.read_bytes()).report
    assert report.registry is not None, report.problems
    assert [p for p in report.problems if p.code == "history"] == [], report.problems
    return report.registry.model_dump(mode="json", by_alias=True)


@settings(
    max_examples=SEQUENCES,
    deadline=None,
    derandomize=STRESS == 1,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.lists(st.tuples(st.sampled_from([40, 1, 120, 400]), step), min_size=4, max_size=10))
def test_the_final_file_rewound_to_each_date_is_the_file_as_it_was(
    tmp_path: Path, steps: list[tuple[int, tuple[Any, ...]]]
) -> None:
    path = tmp_path / f"towns-{len(list(tmp_path.iterdir()))}.yaml"
    shutil.copyfile(SHIPPED, path)
    when = date(2020, 3, 1)
    snapshots = [(when - timedelta(days=1), records(path))]
    for gap, action in steps:
        when += timedelta(days=gap)
        apply(path, when, action)
        snapshots.append((when, records(path)))
    final = snapshots[-1][1]
    for day, snapshot in snapshots:
        rewound = registry_as_of(final, day)
        assert rewound["towns"] == snapshot["towns"], day
        assert rewound["declared"] == snapshot["declared"]
    for (first, old), (last, new) in itertools.pairwise(snapshots):
        assert compare(old, new) == compare(registry_as_of(final, first), registry_as_of(final, last))
    start, end = snapshots[0], snapshots[-1]
    assert compare(start[1], end[1]) == compare(registry_as_of(final, start[0]), final)
