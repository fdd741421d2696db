"""One schema in every editor: `xiaozhen schema` gives the same verdicts in check-jsonschema (a repository's
CI), in yaml-language-server (what VS Code's YAML extension runs) and in `validate`, on a kept set of wrong
edits: each bound read by both drafts' readers, amounts never below 0, and YAML 1.1's booleans (which
validate reads as true and false) refused where text is asked."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import Run, edit_text
from editors import CHECK_JSONSCHEMA, SERVER, Server

# A wrong edit of the shipped registry: what it replaces, and with what.
WRONG = {
    "an id of 0": ("  - id: 1\n", "  - id: 0\n"),
    "a score of 101": ("assessments: []", "assessments: [{year: 2020, result: 达标, score: 101}]"),
    "a share of 50": ("    value: 0.5\n", "    value: 50\n"),
    "a negative total": ("investment: null", "investment: {total: -5, leading_industry: 1}"),
    "management: yes": ("management: null", "management: yes"),
    "a name that is off": ("name: 长春市红旗绿色智能小镇", "name: off"),
}


def _check_jsonschema(schema: Path, registry: Path) -> int:
    assert CHECK_JSONSCHEMA is not None
    done = subprocess.run(
        [CHECK_JSONSCHEMA, "--schemafile", str(schema), str(registry)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    return done.returncode


@pytest.fixture
def schema(run: Run, tmp_path: Path) -> Path:
    path = tmp_path / "schema.json"
    path.write_text(run("schema").stdout, encoding="utf-8")
    return path


@pytest.mark.parametrize("edit", list(WRONG))
def test_validate_and_check_jsonschema_refuse_each_wrong_edit(
    run: Run, registry: Path, schema: Path, edit: str
) -> None:
    if CHECK_JSONSCHEMA is None:
        pytest.skip("no check-jsonschema (make test installs it)")
    assert _check_jsonschema(schema, registry) == 0
    edit_text(registry, *WRONG[edit])
    assert run("validate", str(registry)).exit_code == 1, edit
    assert _check_jsonschema(schema, registry) == 1, edit


@pytest.mark.skipif(SERVER is None, reason="no yaml-language-server (.ci/run installs it with npm)")
def test_yaml_language_server_finds_what_validate_finds(
    run: Run, registry: Path, schema: Path, tmp_path: Path
) -> None:
    server = Server(tmp_path)
    try:
        assert server.diagnostics(registry, schema) == []  # the shipped registry: nothing wrong
        for number, (edit, (old, new)) in enumerate(WRONG.items()):
            wrong = tmp_path / f"wrong-{number}.yaml"
            wrong.write_bytes(registry.read_bytes())
            edit_text(wrong, old, new)
            assert run("validate", str(wrong)).exit_code == 1, edit
            assert server.diagnostics(wrong, schema) != [], edit
    finally:
        server.close()
