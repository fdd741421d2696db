"""The progress display: shown on a terminal for long work, never in a pipe."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

from conftest import notice_lines, run_process

# Runs the CLI with the size thresholds at 0, so the shipped registry counts as large.
RUN_SMALL_THRESHOLDS = (
    "import sys, xiaozhen.cli as cli, xiaozhen.cli.base as base; base.READ_PROGRESS_BYTES = base.EDIT_PROGRESS_BYTES = 0; "
    "sys.argv = ['xiaozhen', *sys.argv[1:]]; cli.main()"
)


def run_with_terminal_stderr(*args: str) -> tuple[int, str, str]:
    """Run with stderr on a pseudo-terminal (as in an interactive shell) and stdout on a pipe."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-c", RUN_SMALL_THRESHOLDS, *args],
        stdout=subprocess.PIPE,
        stderr=follower,
        env={**os.environ, "TERM": "xterm", "COLUMNS": "100"},
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    assert process.stdout is not None
    with process.stdout:
        stdout = process.stdout.read().decode()
    code = process.wait(timeout=60)
    os.close(leader)
    return code, stdout, b"".join(chunks).decode(errors="replace")


def test_a_long_read_shows_progress_on_a_terminal(registry: Path) -> None:
    code, stdout, stderr = run_with_terminal_stderr("--registry", str(registry), "validate")
    assert code == 0
    assert any(f"towns.yaml: {step}" in stderr for step in ("parsing", "checking", "locating the problems"))
    assert notice_lines(stdout) == ""


def test_an_edit_shows_progress_on_a_terminal(registry: Path) -> None:
    code, stdout, stderr = run_with_terminal_stderr("--registry", str(registry), "advance", "3")
    assert code == 0, stderr
    assert "towns.yaml: loading for the edit" in stderr or "towns.yaml: writing out" in stderr
    assert stdout == "3 长春市健康山谷小镇: 规划类 → 培育类\n"


def test_nothing_is_shown_when_stderr_is_not_a_terminal(registry: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", RUN_SMALL_THRESHOLDS, "--registry", str(registry), "validate"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0
    assert done.stderr.startswith(f"{registry}: valid")
    assert "parsing" not in done.stderr and "\x1b" not in done.stderr
    assert run_process("--registry", str(registry), "list", "-f", "json").stderr == ""
