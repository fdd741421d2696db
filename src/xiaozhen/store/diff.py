"""A unified diff of two versions of a registry, as git shows it, fast on a file of thousands of towns.

difflib.unified_diff cannot be used as it is: its matcher treats lines that recur often (every
`history: []`) as junk and then shows unchanged lines as changed; without that heuristic it is quadratic
on a large file. An edit never moves a town, so the two versions are compared town by town.
"""

from __future__ import annotations

import difflib
import re
from typing import Literal

# Where a list item of the top-level lists (towns, declared) starts: the blocks compared one to one.
_ITEM = re.compile(r"  - ")

Opcode = tuple[Literal["replace", "delete", "insert", "equal"], int, int, int, int]


def _starts(lines: list[str]) -> list[int]:
    return [0, *(i for i, line in enumerate(lines) if i and _ITEM.match(line))]


def _opcodes(a: list[str], b: list[str]) -> list[Opcode]:
    starts_a, starts_b = _starts(a), _starts(b)
    if len(starts_b) < len(starts_a):  # something was removed: compare the whole files
        return difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    # Pair the blocks in order; towns added at the end belong to the last block.
    bounds_a = [*starts_a, len(a)]
    bounds_b = [*starts_b[: len(starts_a)], len(b)]
    codes: list[Opcode] = []
    for k in range(len(starts_a)):
        i1, i2, j1, j2 = bounds_a[k], bounds_a[k + 1], bounds_b[k], bounds_b[k + 1]
        block: list[Opcode]
        if a[i1:i2] == b[j1:j2]:
            block = [("equal", i1, i2, j1, j2)]
        else:
            matcher = difflib.SequenceMatcher(None, a[i1:i2], b[j1:j2], autojunk=False)
            block = [(tag, i1 + p, i1 + q, j1 + r, j1 + s) for tag, p, q, r, s in matcher.get_opcodes()]
        for code in block:
            if codes and code[0] == "equal" and codes[-1][0] == "equal":
                codes[-1] = ("equal", codes[-1][1], code[2], codes[-1][3], code[4])
            elif code[1] != code[2] or code[3] != code[4]:
                codes.append(code)
    return codes or [("equal", 0, 0, 0, 0)]


class _Precomputed(difflib.SequenceMatcher):  # type: ignore[type-arg]
    """difflib's grouping of opcodes into hunks, over opcodes computed block by block."""

    def __init__(self, codes: list[Opcode]) -> None:
        super().__init__(None, [], [])
        self.opcodes = codes

    def get_opcodes(self) -> list[Opcode]:
        return self.opcodes


def unified_diff(old: str, new: str, name: str, context: int = 3) -> str:
    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    out: list[str] = []
    for group in _Precomputed(_opcodes(a, b)).get_grouped_opcodes(context):
        if not out:
            out += [f"--- a/{name}\n", f"+++ b/{name}\n"]
        first, last = group[0], group[-1]
        out.append(f"@@ -{_range(first[1], last[2])} +{_range(first[3], last[4])} @@\n")
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                out += [" " + line for line in a[i1:i2]]
                continue
            out += ["-" + line for line in a[i1:i2]]
            out += ["+" + line for line in b[j1:j2]]
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in out)


def _range(start: int, stop: int) -> str:
    length = stop - start
    if length == 1:
        return str(start + 1)
    return f"{start + 1 if length else start},{length}"
