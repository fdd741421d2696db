"""A property of time (hypothesis): a random sequence of dated edits through the library, on a copy of the
shipped registry, with a snapshot of the file after each. The final file, rewound to each snapshot's date
(--as-of), is that snapshot, town for town; `diff` of two snapshots is `diff --from/--to` on the final
file; and validate never finds the history at odds with the record."""

from __future__ import annotations

import contextlib
import itertools
import shutil
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SHIPPED, STRESS
from drawn import change_for, settings_
from xiaozhen.actions.changes import compare
from xiaozhen.errors import XiaozhenError
from xiaozhen.model.history import registry_as_of
from xiaozhen.model.terms import Category, Result
from xiaozhen.store.registry import Source, check_bytes, edit

SEQUENCES = 15 * STRESS  # edit sequences per run

towns = st.integers(1, 4)  # a few towns, so that edits meet the same town again
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
