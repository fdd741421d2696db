"""The read cache: used when the file is unchanged, never trusted otherwise, never needed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import Run, edit_text
from xiaozhen.actions.query import TOWN_KEYS
from xiaozhen.model.schema import Town
from xiaozhen.store import cache


def entries(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache" / "xiaozhen").glob("*.json"))


def test_a_read_fills_the_cache_in_the_user_s_cache_folder(run: Run, registry: Path, tmp_path: Path) -> None:
    first = run("list", "-f", "json", registry=registry)
    (entry,) = entries(tmp_path)
    assert entry.stem == cache.key(registry.read_bytes())
    second = run("list", "-f", "json", registry=registry)
    assert first.stdout == second.stdout
    assert json.loads(entry.read_text(encoding="utf-8"))["registry"]["towns"] == json.loads(first.stdout)


def test_an_entry_is_used_only_for_the_content_it_was_made_from(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    run("list", registry=registry)
    edit_text(registry, "category: 培育类", "category: 成长类")
    result = run("show", "1", "-f", "json", registry=registry)
    assert json.loads(result.stdout)["category"] == "成长类"
    assert len(entries(tmp_path)) == 2


@pytest.mark.parametrize("damage", [b"", b"{not json", b'{"key": "other", "registry": {}}', b"[]", b"\xff"])
def test_a_damaged_entry_is_ignored_and_rebuilt(
    run: Run, registry: Path, tmp_path: Path, damage: bytes
) -> None:
    expected = run("list", "-f", "json", registry=registry).stdout
    (entry,) = entries(tmp_path)
    entry.write_bytes(damage)
    assert run("list", "-f", "json", registry=registry).stdout == expected
    assert json.loads(entry.read_text(encoding="utf-8"))["key"] == entry.stem


def test_with_no_usable_cache_folder_every_answer_is_the_same(
    run: Run, registry: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = run("tally", "-f", "json", registry=registry).stdout
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert run("tally", "-f", "json", registry=registry).stdout == expected


def test_a_broken_registry_is_never_cached(run: Run, registry: Path, tmp_path: Path) -> None:
    edit_text(registry, "category: 培育类", "category: 培养类")
    assert run("list", registry=registry).exit_code == 1
    assert entries(tmp_path) == []


def test_old_entries_are_pruned(registry: Path, tmp_path: Path) -> None:
    for index in range(cache.KEEP + 5):
        cache.put(f"k{index}", {"towns": []})
    assert len(entries(tmp_path)) == cache.KEEP


def test_the_record_keys_are_the_schema_s() -> None:
    assert tuple(field.alias or name for name, field in Town.model_fields.items()) == TOWN_KEYS
