"""The dry run's diff: applying it to the old text gives the new one, and unchanged lines stay context."""

from __future__ import annotations

import re

import pytest

from conftest import SHIPPED
from xiaozhen.store.diff import unified_diff

OLD = SHIPPED.read_text(encoding="utf-8")


def apply(old: str, diff: str) -> str:
    """Apply a unified diff, checking every context and removed line against the old text."""
    lines = old.splitlines(keepends=True)
    out: list[str] = []
    position = 0
    for hunk in re.split(r"^@@ ", diff, flags=re.M)[1:]:
        header, _, body = hunk.partition("\n")
        start = int(re.match(r"-(\d+)", header).group(1))  # type: ignore[union-attr]
        start = start - 1 if "," not in header.split()[0] or not header.split()[0].endswith(",0") else start
        out += lines[position:start]
        position = start
        for line in body.splitlines(keepends=True):
            kind, text = line[0], line[1:]
            if kind in " -":
                assert lines[position] == text
                position += 1
            if kind in " +":
                out.append(text)
    return "".join(out + lines[position:])


def variants() -> list[tuple[str, str]]:
    town_3 = OLD.index("  - id: 3\n")
    added = OLD + "\n  - id: 56\n    name: 新小镇\n"
    return [
        ("one line", OLD.replace("category: 规划类", "category: 培育类", 1)),
        (
            "history",
            OLD.replace(
                "    history: []\n", "    history:\n      - date: 2020-01-01\n        event: advanced\n", 1
            ),
        ),
        ("many towns", OLD.replace("status: 创建中", "status: 已退出")),
        ("appended", added),
        ("removed", OLD[:town_3] + OLD[OLD.index("  - id: 4\n") :]),
        ("header", OLD.replace("# Source:", "# The source:")),
    ]


@pytest.mark.parametrize(("name", "new"), variants(), ids=[v[0] for v in variants()])
def test_the_diff_applies_to_give_the_new_text(name: str, new: str) -> None:
    diff = unified_diff(OLD, new, "towns.yaml")
    assert diff.startswith("--- a/towns.yaml\n+++ b/towns.yaml\n@@ ")
    assert apply(OLD, diff) == new


def test_an_unchanged_line_is_never_shown_as_changed() -> None:
    new = OLD.replace("category: 规划类", "category: 培育类", 1)
    changed = [line for line in unified_diff(OLD, new, "x").splitlines()[2:] if line[:1] in "+-"]
    assert changed == ["-    category: 规划类", "+    category: 培育类"]


def test_no_change_no_diff() -> None:
    assert unified_diff(OLD, OLD, "x") == ""
