"""Edits that cost what they change (hypothesis): an edit round-trips and parses again only the blocks of
the towns it changes, then checks the whole result.

For random sequences of edits of every kind (advance, assess, designate, withdraw, add, set, a batch
advance, an assessor's import, and hand changes that break a rule of one town or of the whole registry),
on random towns of the shipped registry saved with and without a BOM, with CRLF or LF, with comments
between and inside towns:

- the bytes written are those the whole-file round trip writes (the reference: the same edit of a file
  whose towns the parser is made not to find), and an edit one path refuses the other refuses with the
  same problems;
- nothing outside the changed towns' blocks moves;
- the check after each edit, made from the changed blocks, finds what a full check of the text finds.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SHIPPED, STRESS, Run, edit_text, line_of, notice_problems
from drawn import change_for, settings_
from xiaozhen.actions import lifecycle
from xiaozhen.errors import Refused, XiaozhenError
from xiaozhen.model import parse
from xiaozhen.model.parse import decode, parse_yaml
from xiaozhen.model.terms import Category, Result
from xiaozhen.rules.check import Report
from xiaozhen.sheets.imports import Row
from xiaozhen.sheets.record import ImportSummary, record_rows
from xiaozhen.store import registry, roundtrip
from xiaozhen.store.registry import Source, check_bytes, edit

SEQUENCES = 8 * STRESS  # edit sequences per run (make stress: ten times as many)
LAST = -1  # stands for the last town of the file at the time of the edit (an added one, once there is)

some_town = st.sampled_from([1, 2, 28, 54, 55, LAST])
step = st.one_of(
    st.tuples(st.just("assess"), some_town, st.sampled_from([2020, 2021]), st.sampled_from(list(Result))),
    st.tuples(st.just("designate"), some_town),
    st.tuples(st.just("advance"), some_town),
    st.tuples(st.just("set"), some_town, settings_),
    st.tuples(st.just("add"), st.sampled_from(list(Category))),
    st.tuples(st.just("withdraw"), some_town),
    st.tuples(st.just("advance-many"), st.lists(some_town, min_size=2, max_size=4)),
    st.tuples(st.just("import"), st.lists(some_town, min_size=1, max_size=3), st.sampled_from([2020, 2021])),
    # By hand, through the library: a town-local rule, and registry-wide ones (unique names, declared
    # totals), broken, so that refusals are compared too.
    st.tuples(st.just("hand"), some_town, st.sampled_from(["name", "batch", "category", "share"])),
    st.tuples(st.just("hand"), some_town, st.sampled_from(["name", "batch", "category", "share"])),
)


@dataclass(frozen=True)
class Layout:
    bom: bool
    crlf: bool
    comments_before: frozenset[int]  # towns with a comment line above their dash
    comments_inside: frozenset[int]  # towns with a comment line among their keys
    comments_after: frozenset[int]  # towns with a comment at the end of a line
    closing_comment: bool


layouts = st.builds(
    Layout,
    st.booleans(),
    st.booleans(),
    st.frozensets(st.sampled_from([2, 3, 28, 55])),
    st.frozensets(st.sampled_from([1, 28, 55])),
    st.frozensets(st.sampled_from([2, 28, 54])),
    st.booleans(),
)


def laid_out(layout: Layout) -> bytes:
    """The shipped registry, saved as the layout says."""
    lines, town = [], 0
    for line in SHIPPED.read_text(encoding="utf-8").split("\n"):
        if line.startswith("  - id: "):
            town = int(line.removeprefix("  - id: "))
            if town in layout.comments_before:
                lines.append(f"  # 第{town}号起：附件所列")
        if town in layout.comments_inside and line.startswith("    status:"):
            lines.append("    # 状态按评估结果记录")
        if town in layout.comments_after and line.startswith("    management:"):
            line += "  # 待补"
        lines.append(line)
    text = "\n".join(lines)
    if layout.closing_comment:
        text += "# 名录结束\n"
    if layout.crlf:
        text = text.replace("\n", "\r\n")
    return ("\ufeff" if layout.bom else "").encode() + text.encode()


def resolve(document: Any, town: int) -> int:
    return document.registry.towns[-1].id if town == LAST else town


def change_of(when: date, action: tuple[Any, ...]) -> Callable[[Any], None]:
    kind = action[0]

    def change(document: Any) -> None:
        if kind == "advance-many":
            for town in dict.fromkeys(resolve(document, t) for t in action[1]):
                outcome = lifecycle.advance(document.town(town), when)
                if isinstance(outcome, lifecycle.Change):
                    document.apply(outcome)
        elif kind == "import":
            rows = [
                Row(
                    n + 2,
                    document.town(resolve(document, t)).name,
                    action[2],
                    Result.PASS,
                    Decimal(80),
                    None,
                    None,
                )
                for n, t in enumerate(dict.fromkeys(action[1]))
            ]
            record_rows(document, rows, [], when, ImportSummary(Path("results.csv"), len(rows)))
        elif kind == "hand":
            document.apply(by_hand(document, resolve(document, action[1]), action[2]))
        elif kind == "add":
            change_for(when, action)(document)
        else:
            town = resolve(document, action[1])
            extra = (*action[2:], False) if kind == "assess" else action[2:]  # not --replace
            change_for(when, (kind, town, *extra))(document)

    return change


def by_hand(document: Any, town: int, what: str) -> lifecycle.Change:
    """A change no command makes, breaking one rule."""
    values: dict[str, Any] = {
        "name": {"name": document.registry.towns[0].name},  # duplicate-name, unless it is town 1
        "batch": {"batch": 2},  # batch 1's declared totals
        "category": {"category": Category.GROWTH.value},  # a stage the history does not record
        "share": {"investment.total": 10, "investment.leading_industry": 2},  # below 50% (一(四))
    }[what]
    return lifecycle.Change(town, f"{town}: {what} by hand", values)


@dataclass
class Outcome:
    written: bytes
    refusal: tuple[str, list[tuple[Any, ...]]] | None


def run(path: Path, change: Callable[[Any], None], *, whole: bool) -> Outcome:
    """The edit, made on the towns' blocks, or (`whole`) on the whole file, as for a file laid out so that
    the parser finds no town starts."""
    with pytest.MonkeyPatch.context() as patch:
        if whole:
            patch.setattr(parse, "town_starts", lambda _text, _root: None)
        try:
            edit(Source(path, "option"), change)
            refusal = None
        except XiaozhenError as error:
            refusal = (str(error), [without_place(p) for p in getattr(error, "problems", [])])
    return Outcome(path.read_bytes(), refusal)


def without_place(problem: Any) -> tuple[Any, ...]:
    return (problem.code, problem.severity, problem.path, problem.town, problem.message)


def blocks(raw: bytes) -> tuple[str, list[str]]:
    """The text before the first town, and each town's block."""
    text, _ = decode(raw)
    assert text is not None
    starts = parse_yaml(text, locate=False).town_starts
    assert starts is not None
    ends = [*starts[1:], len(text)]
    return text[: starts[0]], [text[a:b] for a, b in zip(starts, ends, strict=True)]


@contextmanager
def rechecks() -> Iterator[list[tuple[Report, Report]]]:
    """Each check made from the changed blocks, with a full check of the text it stands for."""
    made: list[tuple[Report, Report]] = []
    real = registry._check_spliced
    texts: list[str] = []
    real_render = roundtrip.Document.render

    def render(document: roundtrip.Document) -> Any:
        texts.append(document.text)
        return real_render(document)

    def spy(before: Any, changed: list[Any]) -> Report | None:
        result = real(before, changed)
        if result is not None:
            made.append((result, check_bytes(roundtrip.splice(texts[-1], changed).encode()).report))
        return result

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(registry, "_check_spliced", spy)
        patch.setattr(roundtrip.Document, "render", render)
        yield made


@settings(
    max_examples=SEQUENCES,
    deadline=None,
    derandomize=STRESS == 1,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(layouts, st.lists(step, min_size=3, max_size=8))
def test_splicing_writes_what_the_whole_round_trip_writes(
    tmp_path: Path, layout: Layout, steps: list[tuple[Any, ...]]
) -> None:
    with rechecks() as made:
        edit_both(tmp_path, layout, steps)
    # What the check from the changed blocks found is what a full check finds (positions aside).
    for quick, full in made:
        assert sorted(map(without_place, quick.problems)) == sorted(map(without_place, full.problems))
        assert (quick.registry is None) == (full.registry is None)


def edit_both(tmp_path: Path, layout: Layout, steps: list[tuple[Any, ...]]) -> None:
    folder = tmp_path / f"run-{len(list(tmp_path.iterdir()))}"
    (folder / "spliced").mkdir(parents=True)
    (folder / "whole").mkdir()
    spliced, whole = folder / "spliced" / "towns.yaml", folder / "whole" / "towns.yaml"
    spliced.write_bytes(laid_out(layout))
    shutil.copyfile(spliced, whole)
    when = date(2021, 3, 1)
    for action in steps:
        when += timedelta(days=40)
        before = spliced.read_bytes()
        ours = run(spliced, change_of(when, action), whole=False)
        reference = run(whole, change_of(when, action), whole=True)
        assert ours == reference, action
        assert ours.written.startswith(b"\xef\xbb\xbf") == layout.bom
        assert (ours.written.count(b"\n") == ours.written.count(b"\r\n")) == layout.crlf
        # Outside the changed towns' blocks, nothing moved.
        head, old = blocks(before)
        new_head, new = blocks(ours.written)
        assert new_head == head
        assert len(new) >= len(old)
        touched = changed_towns(action, old)
        for index, block in enumerate(old):
            if index + 1 not in touched:
                assert new[index] == block, (action, index)
            elif not (action[0] == "add" and index == len(old) - 1):
                # A blank line stays where it was: between towns, not inside a history entry.
                assert blank_lines(new[index]) == blank_lines(block), (action, index, new[index])


def blank_lines(text: str) -> list[int]:
    """The blank lines of `text`, counted from its end (an edit inserts above them)."""
    lines = text.splitlines()
    return [len(lines) - n for n, line in enumerate(lines) if not line.strip()]


def changed_towns(action: tuple[Any, ...], old: list[str]) -> set[int]:
    """The ids of the towns an action may change (ids are 1, 2, … in file order here)."""
    last = len(old)
    named = {
        "advance-many": action[1] if action[0] == "advance-many" else [],
        "import": action[1] if action[0] == "import" else [],
    }.get(action[0], [action[1]] if action[0] != "add" else [LAST])
    return {last if town == LAST else town for town in named}


def test_the_checks_after_edits_are_compared(tmp_path: Path) -> None:
    """The property above compares checks where the quick check was made: it is, for an edit that passes
    and one that breaks a registry-wide rule."""
    path = tmp_path / "towns.yaml"
    shutil.copyfile(SHIPPED, path)
    with rechecks() as made:
        run(path, change_of(date(2021, 3, 1), ("set", 28, [("management", "某管委会")])), whole=False)
        run(path, change_of(date(2021, 3, 2), ("hand", 55, "name")), whole=False)
    assert len(made) == 2
    assert notice_problems(made[0][0].problems) == [] and notice_problems(made[0][1].problems) == []
    assert [p.code for p in made[1][0].errors] == ["duplicate-name"]


BATCH_2 = "  - batch: 2\n    document: 吉政办明电〔2021〕1号\n    issued: 2021-01-10\n    total: 1\n"


def test_a_one_town_add_that_breaks_declared_totals_is_refused(run: Run, registry: Path) -> None:
    """Declared totals span the file: the second town of a batch that declares one is refused, at the
    line of the total, and the file stays as it was."""
    edit_text(registry, "\n\n# The national documents", "\n" + BATCH_2 + "\n# The national documents")
    new = ["add", "--prefecture", "长春市", "--category", "规划类", "--town-type", "建制镇", "--batch", "2"]
    assert run(*new, "--name", "某县甲小镇", "--date", "2021-02-01", registry=registry).exit_code == 0
    before = registry.read_bytes()
    result = run(*new, "--name", "某县乙小镇", "--date", "2021-02-02", registry=registry)
    assert result.exit_code == 1
    line = line_of(registry, "total: 1")
    assert f"towns.yaml:{line}:5: declared-mismatch: batch 2 declares 1 towns; the registry lists 2" in (
        result.stderr
    )
    assert registry.read_bytes() == before


def test_a_one_town_change_that_duplicates_a_name_is_refused(registry: Path) -> None:
    """No command renames a town; a change through the library that does is refused by the registry-wide
    rule, found by the check after the edit although only one town's block was read again."""
    before = registry.read_bytes()
    rename = lifecycle.Change(55, "renamed", {"name": "长春市红旗绿色智能小镇"})
    with pytest.raises(Refused) as refused:
        edit(Source(registry, "option"), lambda document: document.apply(rename))
    assert [(p.code, p.message) for p in refused.value.problems] == [
        ("duplicate-name", "the name 长春市红旗绿色智能小镇 is also the name of towns[0]")
    ]
    assert refused.value.problems[0].line == line_of(registry, "公主岭市大岭汽车物流小镇")
    assert registry.read_bytes() == before


def test_a_one_town_edit_that_breaks_the_history_is_refused(run: Run, registry: Path) -> None:
    assert run("set", "6", "management=甲管委会", "--date", "2021-05-01", registry=registry).exit_code == 0
    before = registry.read_bytes()
    result = run("set", "6", "management=乙管委会", "--date", "2021-04-01", registry=registry)
    assert result.exit_code == 1
    assert "history entry 2 (2021-04-01) is dated before the entry above it" in result.stderr
    assert registry.read_bytes() == before


def test_a_town_with_a_long_history_keeps_its_comments(tmp_path: Path) -> None:
    """A change to a town with assessments and a long history writes the bytes of the whole round trip,
    comments among the history's items and after the assessments kept."""
    spliced, whole = tmp_path / "spliced.yaml", tmp_path / "whole.yaml"
    shutil.copyfile(SHIPPED, spliced)
    when = date(2021, 2, 1)
    history = [("assess", 28, 2020, Result.PASS), ("set", 28, [("management", "甲管委会")])]
    history += [("set", 28, [("management", f"管委会{n}")]) for n in range(3)]
    for action in history:
        when += timedelta(days=3)
        run(spliced, change_of(when, action), whole=False)
    text = spliced.read_text(encoding="utf-8")
    text = text.replace(
        "          management: 管委会0\n", "          management: 管委会0\n      # 第二次变更\n", 1
    )
    text = text.replace(
        "    history:\n      - date: 2021-02-04", "    # 评估之后\n    history:\n      - date: 2021-02-04"
    )
    spliced.write_text(text, encoding="utf-8")
    shutil.copyfile(spliced, whole)
    last = change_of(when + timedelta(days=3), ("set", 28, [("management", "乙管委会")]))
    ours = run(spliced, last, whole=False)
    assert ours == run(whole, last, whole=True)
    assert "      # 第二次变更\n" in ours.written.decode() and "    # 评估之后\n" in ours.written.decode()
    assert "management: 乙管委会" in ours.written.decode()
    _, towns = blocks(ours.written)
    assert blank_lines(towns[27]) == [1]  # the blank line after the town only


def test_a_town_changed_and_then_assessed_in_one_edit(tmp_path: Path) -> None:
    """One edit that first changes a town's data and then assesses it writes what the whole-file round
    trip writes."""
    spliced, whole = tmp_path / "spliced.yaml", tmp_path / "whole.yaml"
    shutil.copyfile(SHIPPED, spliced)
    when = date(2021, 2, 1)
    for action in [("assess", 28, 2020, Result.PASS), ("set", 28, [("management", "甲管委会")])]:
        when += timedelta(days=3)
        run(spliced, change_of(when, action), whole=False)
    shutil.copyfile(spliced, whole)
    later = when + timedelta(days=3)
    set_then_assess = [("set", 28, [("management", "乙管委会")]), ("assess", 28, 2021, Result.PASS)]

    def both(document: Any) -> None:
        for action in set_then_assess:
            change_of(later, action)(document)

    ours = run(spliced, both, whole=False)
    assert ours.refusal is None
    assert ours == run(whole, both, whole=True)
    assert "management: 乙管委会" in ours.written.decode() and "year: 2021" in ours.written.decode()
