"""Text that is not a registry: each case is a located problem, never an exception."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SHIPPED, notice_problems
from xiaozhen.store.registry import check_bytes

VALID = SHIPPED.read_bytes()


def problems(raw: bytes) -> list[tuple[str, int | None, int | None]]:
    return [(p.code, p.line, p.column) for p in notice_problems(check_bytes(raw).report.problems)]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"", [("schema", 1, 1)]),
        (b"# only a comment\n", [("schema", 1, 1)]),
        (b"- 1\n- 2\n", [("schema", 1, 1)]),
        (b"towns: [\n", [("yaml-syntax", 2, 1)]),
        (b"a:\n\tb: 1\n", [("yaml-syntax", 2, 1)]),
        (b"a: 1\nb: [1\nc: 2\n", [("yaml-syntax", 3, 2)]),
        (b"a: 1\n\xff\xfe\n", [("file-encoding", 2, 1)]),
        (b"a: !!python/object/apply:os.system [echo hacked]\n", [("yaml-syntax", 1, 4)]),
        (b"a: !!binary aGVsbG8=\n", [("yaml-syntax", 1, 4)]),
        (b"a: &x [1]\nb: *x\n", [("yaml-syntax", 2, 1)]),
        (b"<<: {a: 1}\n", [("yaml-syntax", 1, 1)]),
        (b"a: 1\na: 2\n", [("duplicate-key", 2, 1)]),
        (b"--- {}\n--- {}\n", [("yaml-syntax", 2, 1)]),
    ],
    ids=[
        "empty",
        "comment-only",
        "top-level-list",
        "unclosed",
        "tab",
        "unclosed-flow",
        "not-utf8",
        "python-tag",
        "binary-tag",
        "alias",
        "merge-key",
        "duplicate-key",
        "two-documents",
    ],
)
def test_broken_text_is_a_located_problem(raw: bytes, expected: list[tuple[str, int, int]]) -> None:
    found = problems(raw)
    assert found, raw
    assert set(expected) <= set(found)  # the text's own problem, perhaps with what the schema says


def test_a_python_tag_is_never_executed(tmp_path: Path) -> None:
    marker = tmp_path / "hacked"
    raw = f"a: !!python/object/apply:os.system ['touch {marker}']\n".encode()
    assert ("yaml-syntax", 1, 4) in problems(raw)
    assert not marker.exists()


def test_an_alias_bomb_is_refused_without_expanding_it() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    found = problems(("\n".join(lines) + "\n").encode())
    assert [code for code, _, _ in found if code != "schema"] == ["yaml-syntax"] * 90


def test_a_byte_order_mark_and_crlf_line_endings_read_as_plain_utf8() -> None:
    assert problems(VALID) == []
    assert problems(b"\xef\xbb\xbf" + VALID.replace(b"\n", b"\r\n")) == []


def test_an_oversized_file_is_refused_without_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    from xiaozhen.store import registry

    monkeypatch.setattr(registry, "MAX_BYTES", 1000)
    assert problems(VALID) == [("file-size", 1, 1)]
