"""yamllint, with the `.yamllint` that ships beside the registry, finds nothing in the shipped registry or
in what any kind of edit writes (yamllint's own API, as `yamllint data/towns.yaml` runs it)."""

from __future__ import annotations

from pathlib import Path

import pytest
from yamllint import linter
from yamllint.config import YamlLintConfig

from conftest import COMPLETE, FIXTURES, SHIPPED, Run, fill, issue

CONFIG = Path(__file__).parent.parent / ".yamllint"
LONG_REASON = "因连续两年评估不达标且主导产业投资未达到总投资的百分之五十" * 6  # a reason of 174 characters

# Each kind of edit, as the commands a user runs (a list of argument lists, run in order).
EDITS: dict[str, list[list[str]]] = {
    "assess": [["assess", "28", "--year", "2020", "--result", "达标", "--date", "2021-01-15"]],
    "assess twice, then designate": [
        ["assess", "13", "--year", "2020", "--result", "达标", "--date", "2021-01-10"],
        ["assess", "13", "--year", "2021", "--result", "达标", "--date", "2022-01-10"],
        ["designate", "13", "--date", "2022-02-01"],
    ],
    "advance": [["advance", "1", "3", "5", "--date", "2021-03-01"]],
    "withdraw with a long reason": [["withdraw", "29", "--reason", LONG_REASON, "--date", "2021-03-01"]],
    "set with a source": [
        ["set", "28", "management=某管委会", "--source", "2021年度报表", "--date", "2021-02-01"],
        ["set", "28", "investment.total=30", "investment.leading_industry=20", "--date", "2021-03-01"],
    ],
    "add": [
        [
            *("add", "--name", "农安县新小镇", "-p", "长春", "-c", "规划类", "-t", "建制镇"),
            *("--batch", "2", "--county", "农安县", "--date", "2021-05-01"),
        ]
    ],
    "assess-import": [["assess-import", str(FIXTURES / "titled-merged.xlsx"), "--date", "2021-01-15"]],
}


def problems(path: Path) -> list[str]:
    config = YamlLintConfig(file=str(CONFIG))
    text = path.read_text(encoding="utf-8")
    return [f"{p.line}:{p.column} {p.desc} ({p.rule})" for p in linter.run(text, config, str(path))]


def test_the_shipped_registry_is_clean() -> None:
    assert problems(SHIPPED) == []


@pytest.mark.parametrize("kind", EDITS)
def test_every_kind_of_edit_writes_a_clean_registry(run: Run, registry: Path, kind: str) -> None:
    for args in EDITS[kind]:
        result = run(*args, registry=registry)
        assert result.exit_code == 0, (args, result.stderr)
    assert registry.read_bytes() != SHIPPED.read_bytes()
    assert problems(registry) == []


def test_collected_forms_write_a_clean_registry(run: Run, registry: Path, tmp_path: Path) -> None:
    form = fill(issue(run, registry, tmp_path), {1: COMPLETE})
    result = run("collect", str(form), "--date", "2026-11-30", registry=registry)
    assert result.exit_code == 0, result.stderr
    assert problems(registry) == []


def test_the_config_still_finds_what_it_should(tmp_path: Path) -> None:
    """Not a config that turns yamllint off: a duplicate key, trailing spaces and a bad indentation are
    found."""
    bad = tmp_path / "towns.yaml"
    bad.write_text("towns:\n  - id: 1\n    id: 2  \n      name: x\n", encoding="utf-8")
    found = problems(bad)
    assert any("(key-duplicates)" in p for p in found)
    assert any("(trailing-spaces)" in p for p in found)
    assert len(found) >= 3
