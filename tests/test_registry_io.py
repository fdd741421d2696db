"""Where the registry comes from, and writing it back without disturbing a byte that did not change."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SHIPPED, Run, run_process
from editors import CHECK_JSONSCHEMA
from xiaozhen.store import registry as io
from xiaozhen.store.registry import locate
from xiaozhen.store.roundtrip import dump, load


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


@pytest.mark.skipif(CHECK_JSONSCHEMA is None, reason="no check-jsonschema (make test installs it)")
def test_check_jsonschema_with_the_schema_agrees_with_validate(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    """The client a repository's CI would use: check-jsonschema, given `xiaozhen schema`'s output, passes
    the shipped registry and refuses a score of 191 at its path, as validate does."""
    import subprocess

    from conftest import edit_text

    assert CHECK_JSONSCHEMA is not None
    schema = tmp_path / "schema.json"
    schema.write_text(run("schema").stdout, encoding="utf-8")

    def check() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [
                CHECK_JSONSCHEMA,
                "--schemafile",
                str(schema),
                str(registry),
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )

    assert check().returncode == 0
    results = tmp_path / "r.csv"
    results.write_text("town,year,result,score\n3,2020,达标,91\n", encoding="utf-8")
    assert run("assess-import", str(results), "--date", "2021-01-15", registry=registry).exit_code == 0
    assert check().returncode == 0
    edit_text(registry, "score: 91", "score: 191")
    refused = check()
    assert refused.returncode == 1
    assert "$.towns[2].assessments[0].score: 191 is greater than the maximum of 100" in refused.stdout
    assert run("validate", str(registry)).exit_code == 1


@pytest.mark.slow
def test_the_wheel_carries_the_registry_and_runs_from_anywhere(tmp_path: Path) -> None:
    import subprocess
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


def test_the_installed_copy_is_named_when_no_registry_is(tmp_path: Path) -> None:
    elsewhere = run_process("list", "-c", "成长类", cwd=tmp_path)
    assert elsewhere.returncode == 0, elsewhere.stderr
    said = elsewhere.stderr.splitlines()
    assert len(said) == 1 and said[0].startswith("no registry named and none at ./data/towns.yaml: reading ")
    assert said[0].endswith(
        "towns.yaml, the copy installed with xiaozhen (name yours with --registry PATH or "
        "XIAOZHEN_REGISTRY=PATH)"
    )
    (tmp_path / "data").mkdir()
    shutil.copyfile(SHIPPED, tmp_path / "data" / "towns.yaml")
    here = run_process("list", "-c", "成长类", cwd=tmp_path)
    assert (here.returncode, here.stderr, here.stdout) == (0, "", elsewhere.stdout)
    named = run_process("--registry", str(tmp_path / "data" / "towns.yaml"), "list", cwd=tmp_path.parent)
    assert named.returncode == 0 and named.stderr == ""
