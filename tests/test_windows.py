"""What Windows does differently on the edit path, simulated on Linux: a folder cannot be opened to flush
it; a file another program holds open cannot be renamed over, for a moment or for good, nor a leftover
temporary file removed; output to a pipe is in the locale's code page (cp936)."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import pytest

from conftest import Run
from xiaozhen.cli import utf8_output
from xiaozhen.store import writing

ADVANCE = ("advance", "3", "--to", "培育类", "--date", "2021-02-01")


@pytest.fixture
def windows(monkeypatch: pytest.MonkeyPatch) -> None:
    """The edit path as it runs on Windows, with the retries' pauses taken out."""
    monkeypatch.setattr(writing, "WINDOWS", True)
    monkeypatch.setattr(writing, "REPLACE_RETRIES", (0.0,) * len(writing.REPLACE_RETRIES))


class _FoldersCannotBeOpened:
    """The `os` the writing module sees, whose open fails on a folder as on Windows (PermissionError);
    the folders tried are recorded."""

    def __init__(self) -> None:
        self.tried: list[str] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(os, name)

    def open(self, path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if os.path.isdir(path):
            self.tried.append(str(path))
            raise PermissionError(13, "Access is denied")
        return os.open(path, flags, *args, **kwargs)


def folders_cannot_be_opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    fake = _FoldersCannotBeOpened()
    monkeypatch.setattr(writing, "os", fake)
    return fake.tried


def test_on_windows_the_folder_is_not_opened_and_the_edit_lands(
    run: Run, registry: Path, windows: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    tried = folders_cannot_be_opened(monkeypatch)
    result = run(*ADVANCE, registry=registry)
    assert result.exit_code == 0, result.stderr
    assert "category: 培育类\n    listed_category: 规划类" in registry.read_text(encoding="utf-8")
    assert tried == []


def test_a_folder_that_cannot_be_flushed_anywhere_does_not_fail_a_done_edit(
    run: Run, registry: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tried = folders_cannot_be_opened(monkeypatch)
    assert run(*ADVANCE, registry=registry).exit_code == 0
    assert tried == [str(registry.parent)]
    assert "category: 培育类\n    listed_category: 规划类" in registry.read_text(encoding="utf-8")


def replace_refused(monkeypatch: pytest.MonkeyPatch, times: int) -> list[int]:
    """os.replace refused `times` times as Windows refuses a rename over a file another program holds."""
    calls: list[int] = []
    real_replace = os.replace

    def replace(source: Any, target: Any) -> None:
        calls.append(1)
        if len(calls) <= times:
            raise PermissionError(13, "Access is denied")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace)
    return calls


def test_a_file_held_open_for_a_moment_is_written_once_it_is_free(
    run: Run, registry: Path, windows: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = replace_refused(monkeypatch, times=2)
    assert run(*ADVANCE, registry=registry).exit_code == 0
    assert len(calls) == 3
    assert "to: 培育类" in registry.read_text(encoding="utf-8")
    assert list(registry.parent.glob(".towns.yaml.*.tmp")) == []


def test_a_file_held_open_for_good_is_a_message_and_the_registry_is_unchanged(
    run: Run, registry: Path, windows: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = registry.read_bytes()
    replace_refused(monkeypatch, times=1000)
    result = run(*ADVANCE, registry=registry)
    assert result.exit_code == 2
    assert result.stderr == (
        f"xiaozhen: {registry}: cannot write (another program has it open; close it and try again); "
        "the registry is unchanged\n"
    )
    assert registry.read_bytes() == before
    assert list(registry.parent.glob(".towns.yaml.*.tmp")) == []


def test_a_leftover_temporary_file_that_cannot_be_removed_does_not_stop_an_edit(
    run: Run, registry: Path, windows: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    leftover = registry.parent / ".towns.yaml.dead.tmp"
    leftover.write_text("half", encoding="utf-8")
    real_unlink = Path.unlink

    def unlink(self: Path, missing_ok: bool = False) -> None:
        if self == leftover:
            raise PermissionError(13, "The process cannot access the file")
        real_unlink(self, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", unlink)
    assert run(*ADVANCE, registry=registry).exit_code == 0
    assert leftover.exists()


def test_output_to_a_pipe_in_a_chinese_code_page_is_written_as_utf8(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PYTHONIOENCODING", raising=False)
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="cp936")
    utf8_output(stream)
    stream.write("长白山保护开发区 ━ █\n")
    stream.flush()
    assert raw.getvalue().decode("utf-8") == "长白山保护开发区 ━ █\n"


def test_an_encoding_chosen_with_pythonioencoding_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHONIOENCODING", "gb18030")
    stream = io.TextIOWrapper(io.BytesIO(), encoding="gb18030")
    utf8_output(stream)
    assert stream.encoding == "gb18030"
