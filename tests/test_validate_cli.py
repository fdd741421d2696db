"""`xiaozhen validate`: formats, exit codes, and no traceback on any bad file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import SHIPPED, Run, edit_text, line_of, notice_lines, recorded, run_process


def test_the_shipped_registry_is_valid(run: Run) -> None:
    # Valid; its 24 建制镇 are findings under 国办发〔2020〕33号, which the list review answers for.
    result = run("validate", str(SHIPPED))
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 24 and all(": administrative-town: finding: " in line for line in lines)
    assert "valid, 24 findings — 55 towns" in result.stderr
    assert run("validate", str(SHIPPED), "--as-of", "2020-09-24").stdout == ""  # before 33号


def test_a_town_short_of_a_standard_is_a_finding_at_its_line_exit_0_or_3_as_asked(
    run: Run, registry: Path
) -> None:
    edit_text(registry, "investment: null", "investment:\n      total: 10\n      leading_industry: 4.99")
    recorded(registry, {"investment.total": "10", "investment.leading_industry": "4.99"})
    line = line_of(registry, "leading_industry: 4.99")
    finding = (
        f"{registry}:{line}:7: leading-industry-share: finding: 长春市红旗绿色智能小镇: leading-industry "
        "investment is 49.9% of the total; the standard requires at least 50% (一(四))\n"
    )
    result = run("validate", str(registry))
    assert (result.exit_code, notice_lines(result.stdout)) == (0, finding)
    # and the 导则's 60%, advisory (its 24 建制镇 are findings too)
    assert (
        f"{registry}:{line - 2}:5: national-norm: finding: 长春市红旗绿色智能小镇: （原则上）特色产业投资占总投资比例 "
        "is 49.9%; the rule asks ≥ 60% (发改规划〔2021〕1383号 13项指标·特色产业投资占总投资比例)\n"
    ) in result.stdout
    assert f"{registry}: valid, 26 findings — 55 towns" in result.stderr
    strict = run("validate", str(registry), "--findings", "error", "--as-of", "2021-01-01")
    assert (strict.exit_code, notice_lines(strict.stdout)) == (3, finding)
    # In a pull request's log: a warning annotation, or an error one when findings fail the check.
    for level, args in (("warning", ()), ("error", ("--findings", "error"))):
        github = run("validate", str(registry), "-f", "github", *args).stdout
        assert f"::{level} file={registry},line={line},col=7,title=leading-industry-share::" in github
    zh = run_process("validate", str(registry), env={"XIAOZHEN_LANG": "zh"})
    assert zh.returncode == 0
    assert (
        "leading-industry-share: 核查发现：长春市红旗绿色智能小镇：主导产业投资占总投资的 49.9%" in zh.stdout
    )
    assert "有效，26 项核查发现" in zh.stderr


def test_an_error_outranks_findings_exit_1(run: Run, registry: Path) -> None:
    edit_text(
        registry, "investment: null", "investment:\n      total: 10\n      leading_industry: 4", count=1
    )
    edit_text(registry, "category: 培育类", "category: 培养类")
    for args in ((), ("--findings", "error")):
        assert run("validate", str(registry), *args).exit_code == 1


def test_json_format_has_the_documented_shape(run: Run, registry: Path) -> None:
    edit_text(registry, "category: 培育类", "category: 培养类")
    result = run("validate", str(registry), "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["ok"] is False
    (problem,) = report["problems"]
    assert set(problem) >= {"code", "severity", "message", "line", "column", "town"}
    assert (problem["code"], problem["line"], problem["town"]) == ("schema", line_of(registry, "培养类"), 1)


def test_json_of_a_valid_registry_has_no_problems_and_a_summary(run: Run) -> None:
    report = json.loads(run("validate", str(SHIPPED), "-f", "json").stdout)
    assert report["ok"] is True and {p["code"] for p in report["problems"]} == {"administrative-town"}
    assert report["summary"]["recorded"]["investment"] == 0
    assert report["summary"]["active"] == 55


def test_github_format_annotates_each_problem_and_keeps_the_plain_line(run: Run, registry: Path) -> None:
    edit_text(registry, "town_type: 非建制镇", "town_type: 建制")
    line = line_of(registry, "town_type: 建制")
    result = run("validate", str(registry), "--format", "github")
    plain, annotation = result.stdout.splitlines()
    assert plain.startswith(f"{registry}:{line}:5: schema: ")
    assert annotation.startswith(
        f"::error file={registry},line={line},col=5,title=schema::towns[0].town_type"
    )


def test_strict_reports_missing_data_as_findings(run: Run) -> None:
    result = run("validate", str(SHIPPED), "--strict", "-f", "json")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["ok"] is True
    assert {(p["code"], p["severity"]) for p in document["problems"]} == {
        ("missing-data", "finding"),
        ("administrative-town", "finding"),
    }
    assert run("validate", str(SHIPPED), "--strict", "--findings", "error").exit_code == 3


@pytest.mark.parametrize("kind", ["missing", "directory"])
def test_a_path_that_cannot_be_read_exits_2(run: Run, tmp_path: Path, kind: str) -> None:
    path = tmp_path / "nothing.yaml"
    if kind == "directory":
        path.mkdir()
    result = run("validate", str(path))
    assert result.exit_code == 2
    assert str(path) in result.stderr and "Traceback" not in result.stderr


def test_an_unreadable_file_exits_2(run: Run, registry: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests run as root in CI, where chmod 000 does not stop a read: the refusal is simulated.
    import os

    real_open = os.open

    def refuse(path: object, *args: object, **kwargs: object) -> object:
        if Path(str(path)) == registry:
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", refuse)
    result = run("validate", str(registry))
    assert result.exit_code == 2
    assert result.stderr == f"xiaozhen: {registry}: permission denied\n"


BAD_FILES = {
    "empty.yaml": b"",
    "not-utf8.yaml": b"registry: \xff\n",
    "not-yaml.yaml": b"registry: [\n",
    "list.yaml": b"- a\n",
    "python-tag.yaml": b"registry: !!python/object/apply:os.getcwd []\n",
    "town-is-a-string.yaml": SHIPPED.read_bytes().replace(b"  - id: 1\n", b"  - just a name\n  - id: 1\n"),
    "towns-not-a-list.yaml": SHIPPED.read_bytes().split(b"\ntowns:")[0] + b"\ntowns: 5\n",
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_a_bad_file_gives_a_located_message_never_a_traceback(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(BAD_FILES[name])
    result = run_process("validate", str(path))
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout.startswith(f"{path}:")
    for command in (["list"], ["show", "1"], ["tally"], ["advance", "1"]):
        other = run_process("--registry", str(path), *command)
        assert other.returncode == 1, (command, other.stderr)
        assert "Traceback" not in other.stderr and "not a valid registry" in other.stderr


@pytest.mark.parametrize(
    ("hidden", "code"),
    [("\r", "U+000D"), ("\u2028", "U+2028"), ("\u2029", "U+2029"), ("\x85", "U+0085")],
    ids=["lone-cr", "line-separator", "paragraph-separator", "next-line"],
)
def test_a_line_break_git_does_not_count_is_refused_at_its_place(
    run: Run, registry: Path, hidden: str, code: str
) -> None:
    # A key hidden in what git and GitHub show as a comment: refused where a reviewer can find it.
    line = line_of(registry, "management: null")
    edit_text(registry, "management: null", f"management: null  # 说明{hidden}    batch: 2", count=1)
    result = run("validate", str(registry))
    assert result.exit_code == 1
    assert result.stdout == (
        f"{registry}:{line}:27: line-break: a line break ({code}) that YAML counts and git and GitHub do "
        "not: what YAML reads here is not what a pull request shows; remove it\n"
    )
    assert run("set", "1", "management=某机构", registry=registry).exit_code == 1


def test_crlf_and_lf_mixed_are_refused_and_a_crlf_file_edits_line_by_line(run: Run, registry: Path) -> None:
    text = registry.read_text(encoding="utf-8")
    registry.write_bytes(text.replace("\n", "\r\n").encode())
    assert run("set", "1", "management=某机构", registry=registry).exit_code == 0
    after = registry.read_bytes()
    assert b"\n" not in after.replace(b"\r\n", b"")  # every line still CRLF
    registry.write_bytes(text.replace("\n", "\r\n", 2).encode())
    mixed = run("validate", str(registry))
    assert (mixed.exit_code, mixed.stdout) == (
        1,
        f"{registry}:3:{len(text.splitlines()[2]) + 1}: line-break: this line ends in LF, and line 1 in CRLF: "
        "save the file with one kind of line ending\n",
    )


@pytest.mark.parametrize("written", ["1:18", "060", "1_000", "08.5"])
def test_a_number_yaml_1_1_and_1_2_read_differently_is_refused_at_its_place(
    run: Run, registry: Path, written: str
) -> None:
    # YAML 1.1 (which validates) reads 1:18 as 78 and 060 as 48; YAML 1.2 (editors, the writer) otherwise.
    edit_text(
        registry,
        "    assessments: []",
        f"    assessments: [{{year: 2020, result: 达标, score: {written}}}]",
        count=1,
    )
    line = line_of(registry, f"score: {written}")
    result = run("validate", str(registry))
    assert result.exit_code == 1
    column = registry.read_text(encoding="utf-8").splitlines()[line - 1].index(written) + 1
    assert (
        f"{registry}:{line}:{column}: yaml-syntax: the number {written} reads one way in YAML 1.1"
        in result.stdout
    )
