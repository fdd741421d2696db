"""Where the registry comes from, and writing it back without disturbing a byte that did not change."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import ROOT, SHIPPED, Run, run_process
from xiaozhen import registry as io
from xiaozhen.registry import locate
from xiaozhen.roundtrip import dump, load


def test_load_then_dump_with_no_change_is_byte_identical() -> None:
    text = SHIPPED.read_text(encoding="utf-8")
    assert dump(load(text)) == text


def test_null_quotes_and_long_lines_survive_a_round_trip() -> None:
    text = "a: null\nb: '0123'\nc: \"引号\"\nd: " + "很长的说明" * 200 + "\ne: ~\n# a comment\n\nf: []\n"
    assert dump(load(text)) == text.replace("e: ~", "e: null")


def test_the_option_wins_over_the_environment_and_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XIAOZHEN_REGISTRY", "from-env.yaml")
    assert locate("given.yaml", cwd=tmp_path) == io.Source(Path("given.yaml"), "option")
    assert locate(None, cwd=tmp_path) == io.Source(Path("from-env.yaml"), "env")
    monkeypatch.delenv("XIAOZHEN_REGISTRY")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "towns.yaml").write_text("x: 1\n")
    assert locate(None, cwd=tmp_path) == io.Source(tmp_path / "data" / "towns.yaml", "cwd")
    assert locate(None, cwd=tmp_path / "data").origin == "package"


def test_with_no_registry_around_the_installed_copy_answers(tmp_path: Path) -> None:
    result = run_process("list", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count('"id":') == 55


def test_the_environment_variable_points_at_a_registry(tmp_path: Path, registry: Path) -> None:
    result = run_process("validate", cwd=tmp_path, env={"XIAOZHEN_REGISTRY": str(registry)})
    assert result.returncode == 0, result.stderr
    assert str(registry) in result.stderr


def test_the_installed_copy_is_never_edited(tmp_path: Path) -> None:
    before = io.packaged_path().read_bytes()
    result = run_process("advance", "1", cwd=tmp_path)
    assert result.returncode == 2
    assert "--registry" in result.stderr and "XIAOZHEN_REGISTRY" in result.stderr
    assert io.packaged_path().read_bytes() == before


def test_the_installed_copy_is_the_repository_s_file() -> None:
    assert io.packaged_path().read_bytes() == SHIPPED.read_bytes()


def test_schema_prints_a_json_schema_of_the_format(run: Run) -> None:
    import json

    result = run("schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    town = schema["$defs"]["Town"]
    assert town["additionalProperties"] is False
    assert {"id", "name", "prefecture", "category", "listed_category", "town_type", "status"} <= set(
        town["required"]
    )
    assert schema["$defs"]["Category"]["enum"] == ["规划类", "培育类", "成长类"]


@pytest.mark.slow
def test_the_wheel_carries_the_registry_and_runs_from_anywhere(tmp_path: Path) -> None:
    import subprocess
    import sys
    import zipfile

    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path / "dist"), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert build.returncode == 0, build.stderr
    (wheel,) = (tmp_path / "dist").glob("xiaozhen-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        assert archive.read("xiaozhen/data/towns.yaml") == SHIPPED.read_bytes()
        archive.extractall(tmp_path / "site")
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "site")}
    listed = subprocess.run(
        [sys.executable, "-m", "xiaozhen", "list", "-c", "培育类", "-f", "csv"],
        cwd="/",
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert listed.returncode == 0, listed.stderr
    assert len(listed.stdout.splitlines()) == 1 + 27
