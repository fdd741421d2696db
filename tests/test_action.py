"""The GitHub Action (`action.yml`): its steps' scripts, run as GitHub runs them (`bash -eo pipefail`, the
runner's environment and files), in temporary repositories: a pull request with changes, one that breaks
a rule, the first pull request (no registry at the base), a first commit, and a shallow clone."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from conftest import SHIPPED, edit_text, git, line_of, run_process

ROOT = Path(__file__).resolve().parents[1]
ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
STEPS = {s.get("name"): s for s in ACTION["runs"]["steps"]}
VALIDATE, CHANGES = "Validate the registry", "Write the registry's changes to the job summary"


@dataclass
class Ran:
    codes: dict[str, int]  # each step's exit code
    summary: str
    outputs: dict[str, str]  # the action's outputs, as its `outputs:` map them from the steps'
    log: str


def run_action(folder: Path, tmp_path: Path, base: str, **env: str) -> Ran:
    """The validate and summary steps (the install step's venv stands in as this test's own)."""
    runner = tmp_path / "runner"
    runner.mkdir(exist_ok=True)
    venv = runner / "xiaozhen-venv"
    if not venv.exists():
        venv.symlink_to(Path(sys.executable).parent.parent)  # the venv the tests run in
    summary, outputs = runner / "summary.md", runner / "outputs"
    summary.write_text("", encoding="utf-8")
    environment = {
        **os.environ,
        "REGISTRY": "data/towns.yaml",
        "STRICT": "false",
        "FINDINGS": ACTION["inputs"]["findings"]["default"],
        "BASE": base,
        "RUNNER_TEMP": str(runner),
        "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_SERVER_URL": "https://github.com",
        "GITHUB_REPOSITORY": "office/registry",
        "GITHUB_SHA": "0123abc",
        **env,
    }
    codes, log, step_outputs = {}, "", {}
    for name, id_ in ((VALIDATE, "validate"), (CHANGES, "changes")):
        outputs.write_text("", encoding="utf-8")
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", STEPS[name]["run"]],
            cwd=folder,
            env={**environment, "GITHUB_OUTPUT": str(outputs)},
            capture_output=True,
            text=True,
        )
        codes[name], log = done.returncode, log + done.stdout + done.stderr
        for line in outputs.read_text(encoding="utf-8").splitlines():
            key, _, value = line.partition("=")
            step_outputs[f"${{{{ steps.{id_}.outputs.{key} }}}}"] = value
    mapped = {k: step_outputs.get(v["value"], "") for k, v in ACTION["outputs"].items()}
    return Ran(codes, summary.read_text(encoding="utf-8"), mapped, log)


def test_the_action_installs_into_a_venv_of_its_own() -> None:
    install = STEPS["Install xiaozhen"]["run"]
    assert '-m venv "$RUNNER_TEMP/xiaozhen-venv"' in install
    assert '"$bin/python" -m pip install' in install and "python -m pip install" not in install.replace(
        '"$bin/python" -m pip install', ""
    )
    (python,) = [s for s in ACTION["runs"]["steps"] if s.get("uses", "").startswith("actions/setup-python")]
    assert python["with"]["update-environment"] is False  # the job's own Python is left as it was


def test_a_pull_request_with_changes(repository: Path, tmp_path: Path) -> None:
    assert run_process("designate", "大荒地", "--date", "2021-03-01", cwd=repository).returncode == 0
    ran = run_action(repository, tmp_path, "HEAD~2")
    assert ran.codes == {VALIDATE: 0, CHANGES: 0}, ran.log
    validation, _, changes = ran.summary.partition("## 特色产业小镇名录变化")
    assert validation.startswith(
        "## 校验 validation: `data/towns.yaml`\n\nvalid, 24 findings (0 new) — 55 towns;"
    )
    assert changes.startswith(" registry changes: `HEAD~2:data/towns.yaml` → `data/towns.yaml`")
    assert "### 认定 towns designated (1)" in changes and "### 退出 towns exited (1)" in changes
    assert ran.outputs == {"problems": "24", "changes": "6", "review": "0"}  # its 24 建制镇
    assert STEPS[CHANGES]["if"] == "${{ always() }}"
    assert ACTION["inputs"]["registry"]["default"] == "data/towns.yaml"


def test_a_pull_request_that_breaks_a_rule(repository: Path, tmp_path: Path) -> None:
    """Validation fails the job, with an annotation; the summary lists the problem, linked to its line,
    above the changes (which are shown all the same)."""
    registry = repository / "data" / "towns.yaml"
    edit_text(registry, "name: 长春市红旗绿色智能小镇", "name: 长春市关东文化小镇")
    lines = registry.read_text(encoding="utf-8").splitlines()
    line = [n for n, text in enumerate(lines, start=1) if text.endswith("name: 长春市关东文化小镇")][-1]
    ran = run_action(repository, tmp_path, "HEAD~1")
    assert ran.codes[VALIDATE] == 1
    assert f"::error file=data/towns.yaml,line={line}," in ran.log
    link = f"[{line}](https://github.com/office/registry/blob/0123abc/data/towns.yaml#L{line})"
    assert f"| {link} | duplicate-name | 错误 error |" in ran.summary
    assert ran.summary.index("## 校验 validation") < ran.summary.index("## 特色产业小镇名录变化")
    assert ran.outputs["problems"] == "25"  # and the 24 建制镇 the registry holds


def test_a_pull_request_recording_a_town_short_of_a_standard_fails_only_as_configured(
    repository: Path,
    tmp_path: Path,
) -> None:
    """A town below the 50% rule is a finding: shown as a warning and passed by default; failed (exit 3)
    with findings: error."""
    registry = repository / "data" / "towns.yaml"
    done = run_process(
        "--registry", str(registry), "set", "1", "investment.total=10", "investment.leading_industry=4"
    )
    assert done.returncode == 0, done.stderr
    line = line_of(registry, "leading_industry: 4")
    passed = run_action(repository, tmp_path, "HEAD")
    assert passed.codes[VALIDATE] == 0, passed.log
    assert f"::warning file=data/towns.yaml,line={line},col=7,title=leading-industry-share::" in passed.log
    assert "| leading-industry-share | 核查发现 finding |" in passed.summary
    failed = run_action(repository, tmp_path, "HEAD", FINDINGS="error")
    assert failed.codes[VALIDATE] == 3
    assert f"::error file=data/towns.yaml,line={line},col=7,title=leading-industry-share::" in failed.log
    # the findings the base held (its 24 建制镇) are notices, listed after the new ones, never failing
    assert failed.log.count("title=administrative-town::") == 24
    errors = [line for line in failed.log.splitlines() if line.startswith("::error ")]
    assert all("title=leading-industry-share" in e or "title=national-norm" in e for e in errors)
    assert "| administrative-town | 基准已有 in the base |" in failed.summary
    git(repository, "commit", "-qam", "The town's data")
    passed = run_action(repository, tmp_path, "HEAD", FINDINGS="error")
    assert passed.codes[VALIDATE] == 0, passed.log  # nothing new since the base: passes


def test_the_first_pull_request_adds_the_registry(tmp_path: Path) -> None:
    """The base has no registry: the summary says so, and the check passes on validation alone (before,
    the diff step failed with `no registry at HEAD~1`)."""
    folder = tmp_path / "repo"
    folder.mkdir()
    git(folder, "init", "-q", "-b", "main")
    (folder / "README.md").write_text("名录\n", encoding="utf-8")
    git(folder, "add", "README.md")
    git(folder, "commit", "-qm", "An empty repository")
    commit_the_registry(folder)
    ran = run_action(folder, tmp_path, "HEAD~1")
    assert ran.codes == {VALIDATE: 0, CHANGES: 0}, ran.log
    assert "Not compared: the registry is new in this change; the base revision has none." in ran.summary
    assert ran.outputs == {"problems": "24", "changes": "", "review": ""}


def commit_the_registry(folder: Path) -> None:
    """A commit that adds the shipped registry as data/towns.yaml."""
    (folder / "data").mkdir()
    shutil.copyfile(SHIPPED, folder / "data" / "towns.yaml")
    git(folder, "add", "data/towns.yaml")
    git(folder, "commit", "-qm", "The registry")


def test_a_first_commit_has_no_base(tmp_path: Path) -> None:
    folder = tmp_path / "repo"
    folder.mkdir()
    git(folder, "init", "-q", "-b", "main")
    commit_the_registry(folder)
    ran = run_action(folder, tmp_path, "HEAD~1")
    assert ran.codes == {VALIDATE: 0, CHANGES: 0}, ran.log
    assert "Not compared: there is no base revision (the repository's first commit)." in ran.summary


def test_a_shallow_clone_says_what_it_lacks(repository: Path, tmp_path: Path) -> None:
    """actions/checkout's default is a shallow clone of one commit: the base is not there."""
    shallow = tmp_path / "shallow"
    done = subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{repository}", str(shallow)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    ran = run_action(shallow, tmp_path, "HEAD~1")
    assert ran.codes == {VALIDATE: 0, CHANGES: 0}, ran.log
    assert "this checkout is shallow" in ran.summary and "`fetch-depth: 0`" in ran.summary


def test_a_file_named_like_the_revision_cannot_blank_the_job_summary(
    repository: Path,
    tmp_path: Path,
) -> None:
    """A pull request adds a file named like its base revision (an empty registry, so the summary would
    say nothing changed), and names a town with Markdown, HTML and a link: the summary still compares
    with the revision, and shows the name as text."""
    registry = repository / "data" / "towns.yaml"
    shutil.copyfile(registry, repository / "HEAD~2")
    (repository / "data" / "HEAD~2").write_bytes(registry.read_bytes())
    git(repository, "add", "HEAD~2", "data/HEAD~2")
    git(repository, "commit", "-qm", "files named like a revision")
    hostile = "长春市|伪造| <img src=x onerror=alert(1)> [点此](http://phish.example)小镇"
    edit_text(registry, "name: 长春市红旗绿色智能小镇", f'name: "{hostile}"')
    shutil.copyfile(registry, repository / "HEAD~3")  # the same trick, for the base the step is given
    ran = run_action(repository, tmp_path, "HEAD~3")
    assert ran.codes[CHANGES] == 0, ran.log
    text = ran.summary[ran.summary.index("## 特色产业小镇名录变化") :]
    assert text.startswith(
        "## 特色产业小镇名录变化 registry changes: `HEAD~3:data/towns.yaml` → `data/towns.yaml`"
    )
    assert "### 年度评估 assessment results (" in text  # the 2020 results since HEAD~3 are there
    row = next(line for line in text.splitlines() if "伪造" in line)
    assert "<img" not in row and row.count(" | ") == 3  # four cells: id, name, prefecture, change
    assert (
        "长春市\\|伪造\\| &lt;img src=x onerror=alert(1)&gt; \\[点此\\](http:&#8203;//phish.example)小镇"
        in row
    )


@pytest.mark.parametrize("link", ["javascript:alert(1)", "https://x.example/a b", "https://x.example/)|"])
def test_validate_md_refuses_a_link_that_is_not_a_page(link: str) -> None:
    done = run_process("validate", str(SHIPPED), "--format", "md", "--link", link, cwd=ROOT)
    assert done.returncode == 2 and "is not a web page's address" in done.stderr


def test_a_head_registry_that_cannot_be_read_is_said_first_in_the_summary(
    repository: Path,
    tmp_path: Path,
) -> None:
    """The summary always opens with validation: here why there is none (the registry made a link)."""
    registry = repository / "data" / "towns.yaml"
    (repository / "elsewhere.yaml").write_bytes(registry.read_bytes())
    registry.unlink()
    registry.symlink_to("../elsewhere.yaml")
    ran = run_action(repository, tmp_path, "HEAD")
    assert ran.codes[VALIDATE] == 2
    assert ran.summary.startswith(
        "## 校验 validation: `data/towns.yaml`\n\ndata/towns.yaml: is a symbolic link"
    )


def test_the_summary_opens_with_validation_in_the_reader_s_language(repository: Path, tmp_path: Path) -> None:
    """A valid registry is said to be valid, with its towns, first — so that "valid" is never confused
    with "not checked" — in Chinese when the workflow sets XIAOZHEN_LANG=zh."""
    assert run_process("designate", "大荒地", "--date", "2021-03-01", cwd=repository).returncode == 0
    ran = run_action(repository, tmp_path, "HEAD~2", XIAOZHEN_LANG="zh")
    assert ran.codes == {VALIDATE: 0, CHANGES: 0}, ran.log
    first = ran.summary.split("\n\n")[:2]
    assert first == ["## 校验: `data/towns.yaml`", first[1]] and first[1].startswith("有效，24 项核查发现"), (
        first
    )
    assert "共 55 个小镇" in first[1]
