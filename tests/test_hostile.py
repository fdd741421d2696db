"""The hostile corpus (tests/hostile.py) through every command: each exits 1 or 2 with its message, under
a memory cap and within a timeout, never with an internal error (exit 70) or a traceback, and prints no
character that a terminal, a spreadsheet or a CI runner would act on. And the arguments and file types
that hurt before: a FIFO, a device, a read-only registry, a lock file that is a symlink."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import SHIPPED, Run
from hostile import FORBIDDEN_IN_OUTPUT, Case, cases

# The address space each run may take: a few hundred MB is what xiaozhen needs; the workbooks above
# took 3 to 8 GB before they were read within a budget.
MEMORY_CAP = 2 * 1024**3
# Not a measure of speed: what a run that hangs is stopped after, so that the test fails instead.
HANG = 300

# Runs the cases given on stdin in one process (a process each would cost a start-up each), under the
# cap, and prints each one's outcome as it ends: a timeout names the case that hung.
DRIVER = """
import contextlib, io, json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[1]), int(sys.argv[1])))
from xiaozhen.cli import main
for args in json.loads(sys.stdin.read()):
    out, err = io.StringIO(), io.StringIO()
    sys.argv = ["xiaozhen", *args]
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main()
        except SystemExit as exit:
            code = exit.code if isinstance(exit.code, int) else int(exit.code is not None)
    print(json.dumps({"code": code, "stdout": out.getvalue(), "stderr": err.getvalue()}), flush=True)
"""


def corpus_size() -> int:
    """How many cases the corpus has (the reference quotes it)."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        return len(cases(Path(folder)))


def run_cases(batch: list[Case], tmp_path: Path) -> list[dict[str, Any]]:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "COLUMNS": "120", "NO_COLOR": "1"}
    try:
        done = subprocess.run(
            [sys.executable, "-c", DRIVER, str(MEMORY_CAP)],
            input=json.dumps([case.args for case in batch]),
            capture_output=True,
            text=True,
            env=env,
            timeout=HANG,
        )
    except subprocess.TimeoutExpired as timeout:
        finished = (timeout.stdout or b"").count(b"\n") if isinstance(timeout.stdout, bytes) else 0
        raise AssertionError(f"hung: {batch[min(finished, len(batch) - 1)].name}") from None
    assert done.returncode == 0, done.stderr[-3000:]
    return [json.loads(line) for line in done.stdout.splitlines()]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Case], list[dict[str, Any]]]:
    folder = tmp_path_factory.mktemp("hostile")
    built = cases(folder)
    return built, run_cases(built, folder)


def test_every_hostile_file_is_refused_with_its_message(
    corpus: tuple[list[Case], list[dict[str, Any]]],
) -> None:
    built, outcomes = corpus
    assert len(outcomes) == len(built)
    wrong = [
        f"{case.name}: exit {got['code']}: {got['stderr'][-300:]}"
        for case, got in zip(built, outcomes, strict=True)
        if got["code"] not in case.codes or case.says not in got["stderr"]
    ]
    assert wrong == []


def test_no_hostile_file_causes_an_internal_error_or_a_traceback(
    corpus: tuple[list[Case], list[dict[str, Any]]],
) -> None:
    built, outcomes = corpus
    crashed = [
        case.name
        for case, got in zip(built, outcomes, strict=True)
        if got["code"] == 70 or "Traceback" in got["stderr"] or "internal error" in got["stderr"]
    ]
    assert crashed == []


def test_nothing_from_a_hostile_file_reaches_the_output_as_a_command(
    corpus: tuple[list[Case], list[dict[str, Any]]],
) -> None:
    built, outcomes = corpus
    leaked = [
        (case.name, char)
        for case, got in zip(built, outcomes, strict=True)
        for char in FORBIDDEN_IN_OUTPUT
        if char in got["stdout"] + got["stderr"]
    ]
    assert leaked == []
    # No line of stdout or stderr starts a GitHub workflow command but the annotations themselves.
    commands = [
        (case.name, line)
        for case, got in zip(built, outcomes, strict=True)
        for line in (got["stdout"] + got["stderr"]).splitlines()
        if line.startswith("::") and not line.startswith(("::error file=", "::warning file="))
    ]
    assert commands == []


# --- file types and arguments ----------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_as_the_registry_or_an_import_is_refused_before_a_read_can_block(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    for args, name in (
        (["validate", str(fifo)], "a registry file"),
        (["--registry", str(fifo), "list"], "a registry file"),
        (["--registry", str(fifo), "set", "1", "management=x"], "a registry file"),
        (["--registry", str(registry), "assess-import", str(fifo)], "a CSV or XLSX file"),
    ):
        result = run(*args)
        assert result.exit_code == 2, args
        assert result.stderr == f"xiaozhen: {fifo}: is a FIFO (named pipe), not {name}\n"


def test_output_goes_only_to_a_regular_file(run: Run, tmp_path: Path) -> None:
    # As root, a rename over /dev/null would replace the device with the export.
    device = Path(os.devnull)
    result = run("export", "-f", "xlsx", "-o", str(device), registry=SHIPPED)
    assert result.exit_code == 2
    assert result.stderr == f"xiaozhen: --output {device}: is a device; --output writes only a regular file\n"
    assert stat.S_ISCHR(device.stat().st_mode)
    if hasattr(os, "mkfifo"):
        fifo = tmp_path / "out.xlsx"
        os.mkfifo(fifo)
        assert run("report", "-f", "html", "-o", str(fifo), registry=SHIPPED).exit_code == 2
        assert stat.S_ISFIFO(fifo.stat().st_mode)
    existing = tmp_path / "old.xlsx"
    existing.write_bytes(b"old")
    assert run("export", "-f", "xlsx", "-o", str(existing), registry=SHIPPED).exit_code == 0
    assert existing.read_bytes()[:2] == b"PK"


def test_a_registry_its_owner_made_read_only_is_not_replaced(run: Run, registry: Path) -> None:
    before = registry.read_bytes()
    registry.chmod(0o444)
    try:
        result = run("set", "1", "management=管委会", registry=registry)
        assert result.exit_code == 2  # as root too, who could replace it
        assert result.stderr.startswith(f"xiaozhen: {registry}: is read-only; nothing was changed")
        assert registry.read_bytes() == before and stat.S_IMODE(registry.stat().st_mode) == 0o444
        # What writes nothing still runs: a dry run, and a rerun that finds it already so.
        assert run("set", "1", "management=管委会", "--dry-run", registry=registry).exit_code == 0
        assert run("set", "1", "management=null", registry=registry).exit_code == 0
    finally:
        registry.chmod(0o644)


def test_the_lock_file_is_not_opened_through_a_symlink(run: Run, registry: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.write_bytes(b"precious")
    lock = registry.parent / f".{registry.name}.lock"
    lock.symlink_to(elsewhere)
    before = registry.read_bytes()
    result = run("set", "1", "management=管委会", registry=registry)
    assert result.exit_code == 2
    assert result.stderr == (
        f"xiaozhen: {lock}: cannot lock the registry (the lock file is a symbolic link; remove it)\n"
    )
    assert elsewhere.read_bytes() == b"precious" and registry.read_bytes() == before


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["show", "红旗\x1b]52;c;eA==\x07\n::error ::x"], 2),
        (["list", "-p", "\x1b[2J长春\r"], 2),
        (["set", "\u202e1", "management=x"], 2),
        (["filter", "name~\x1b[31m"], 0),  # matches no town, which is an answer
    ],
)
def test_an_argument_with_controls_is_refused_and_printed_harmless(
    run: Run, registry: Path, args: list[str], code: int
) -> None:
    result = run(*args, registry=registry)
    assert result.exit_code == code
    assert not any(char in result.stdout + result.stderr for char in FORBIDDEN_IN_OUTPUT)
    assert not any(line.startswith("::") for line in result.stderr.splitlines())


@pytest.mark.parametrize("town", ["፩", "9" * 5000], ids=["ethiopic-digit", "5000-digits"])
def test_a_digit_int_refuses_or_a_huge_id_is_no_town_exit_2(  # ² folds to 2, as ２ does
    run: Run, registry: Path, tmp_path: Path, town: str
) -> None:
    shown = town if len(town) <= 20 else town[:20] + "…"
    for args in (["show", town], ["advance", town]):
        result = run(*args, registry=registry)
        assert (result.exit_code, result.stderr) == (2, f"xiaozhen: no town has id {shown}\n"), args
    rows = tmp_path / "results.csv"
    rows.write_text(f"town,year,result\n{town},2020,达标\n", encoding="utf-8")
    before = registry.read_bytes()
    imported = run("assess-import", str(rows), registry=registry)
    assert imported.exit_code == 2 and f"row 2: no town has id {shown}" in imported.stderr
    assert registry.read_bytes() == before


def test_no_command_from_the_repository_s_git_config_runs(run: Run, tmp_path: Path) -> None:
    """A checkout whose .git/config sets core.fsmonitor and a clean filter for the registry: form and
    report find the file's commit without running either (row 12 of round three)."""
    from conftest import committed, git

    folder = tmp_path / "repo"
    registry = committed(folder, ["assess", "13", "--year", "2020", "--result", "达标"])
    commit = git(folder, "rev-parse", "HEAD").strip()
    marker = tmp_path / "ran"
    hook = tmp_path / "hook.sh"
    hook.write_text(f"#!/bin/sh\ntouch {marker}\ncat\n", encoding="utf-8")
    hook.chmod(0o755)
    git(folder, "config", "core.fsmonitor", str(hook))
    git(folder, "config", "filter.evil.clean", str(hook))
    (folder / ".gitattributes").write_text("*.yaml filter=evil\n", encoding="utf-8")
    report = run("report", "--year", "2020", "-f", "json", registry=registry)
    assert report.exit_code == 0, report.stderr
    assert json.loads(report.stdout)["about"]["revision"].startswith(commit)
    assert run("form", "-p", "吉林", "-o", str(tmp_path / "form.xlsx"), registry=registry).exit_code == 0
    assert not marker.exists()


@pytest.mark.parametrize(
    ("towns", "says"),
    [
        ("[" + ", ".join(["{}"] * 20_000) + "]", "and 159,000 more schema problems in the towns, not listed"),
        ("[" + "0," * 100_000 + "0]", "towns holds 100,001 items; a registry holds at most 20,000 towns"),
    ],
    ids=["20,000-empty-towns", "100,001-zeros"],
)
def test_a_registry_of_countless_problems_is_bounded(tmp_path: Path, towns: str, says: str) -> None:
    """Problems capped and a registry-sized bound on towns before validation (row 6 of round three): under
    a 1 GiB address space, exit 1 with the bound said, never a build of every problem."""
    import resource

    head = SHIPPED.read_text(encoding="utf-8").split("towns:")[0]
    path = tmp_path / "towns.yaml"
    path.write_text(f"{head}towns: {towns}\n", encoding="utf-8")

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1024**3, 1024**3))

    done = subprocess.run(
        [sys.executable, "-m", "xiaozhen", "validate", str(path)],
        capture_output=True,
        text=True,
        timeout=HANG,
        preexec_fn=cap,
    )
    assert done.returncode == 1, done.stderr
    assert says in done.stdout
    assert len(done.stdout.splitlines()) <= 1_001


def test_a_rewrite_of_recorded_history_is_a_change_in_diff_for_review(run: Run, tmp_path: Path) -> None:
    """Row 11 of round three: a commit that moves a past event's date, rewrites its source or drops an
    entry reported 0 changes; each is now a change, with old and new, flagged for review."""
    from conftest import committed, run_process

    folder = tmp_path / "repo"
    registry = committed(
        folder,
        ["set", "1", "management=管委会", "--source", "原始文件", "--date", "2021-01-05"],
        ["advance", "3", "--date", "2021-02-01"],
    )
    text = registry.read_text(encoding="utf-8")
    text = text.replace("source: 原始文件", "source: 改写的文件").replace(
        "- date: 2021-01-05", "- date: 2020-12-01"
    )
    registry.write_text(text, encoding="utf-8")
    diff = json.loads(run_process("diff", "HEAD", "--format", "json", cwd=folder).stdout)
    rewritten = [
        (c["town"], c["entry"], c["key"], c["from"], c["to"])
        for c in diff["changes"]
        if c["kind"] == "history"
    ]
    assert sorted(rewritten) == [
        (1, 1, "date", "2021-01-05", "2020-12-01"),
        (1, 1, "source", "原始文件", "改写的文件"),
    ]
    assert diff["review"] == 2
