"""A corpus of bad registries (tests/corpus): each reports its problem, with its code, at its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Run
from xiaozhen.problems import FINDINGS
from xiaozhen.store.registry import check_bytes

CORPUS = Path(__file__).parent / "corpus"
EXPECTED = [
    (name, code, int(line))
    for name, code, line in (
        row.split("\t") for row in (CORPUS / "expected.tsv").read_text(encoding="utf-8").splitlines()[1:]
    )
]


def test_the_corpus_is_large_and_the_base_is_valid() -> None:
    assert len(EXPECTED) >= 40
    assert {p.name for p in CORPUS.glob("*.yaml")} == {name for name, _, _ in EXPECTED} | {"valid.yaml"}
    assert check_bytes((CORPUS / "valid.yaml").read_bytes()).report.problems == []


@pytest.mark.parametrize(("name", "code", "line"), EXPECTED, ids=[e[0] for e in EXPECTED])
def test_each_bad_registry_reports_its_problem_at_its_line(name: str, code: str, line: int) -> None:
    # the alias bomb too: refused at its first alias, not expanded (its own row below)
    problems = check_bytes((CORPUS / name).read_bytes()).report.problems
    found = [(p.code, p.line) for p in problems]
    assert (code, line) in found, found
    assert all(p.line is not None and p.column is not None for p in problems)


@pytest.mark.parametrize(("name", "code"), [(n, c) for n, c, _ in EXPECTED], ids=[e[0] for e in EXPECTED])
def test_the_cli_exits_1_with_a_located_message(run: Run, name: str, code: str) -> None:
    result = run("validate", str(CORPUS / name))
    if code in FINDINGS:  # a town short of a standard: the file is valid, the finding shown
        assert (result.exit_code, run("validate", str(CORPUS / name), "--findings", "error").exit_code) == (
            0,
            3,
        )
        assert f": {code}: finding: " in result.stdout
    else:
        assert result.exit_code == 1
        assert f": {code}: " in result.stdout
    listing = run("list", registry=CORPUS / name)
    if code in {"file-encoding", "yaml-syntax", "duplicate-key", "schema"}:
        assert listing.exit_code == 1 and "is not a valid registry" in listing.stderr
    else:  # a rule's problem: the questions are still answered
        assert listing.exit_code == 0


def test_a_file_of_hundreds_of_megabytes_is_refused_by_its_size(tmp_path: Path, run: Run) -> None:
    huge = tmp_path / "huge.yaml"
    with huge.open("wb") as handle:
        handle.truncate(300 * 1024 * 1024)  # sparse: costs no disk
    result = run("validate", str(huge))  # refused by its size, before a byte of it is read
    assert result.exit_code == 1
    assert ":1:1: file-size: the file is over 67,108,864 bytes: not a registry" in result.stdout
