"""Concurrent writers, writers killed mid-write, stale locks, and a file system that says no.

`make test` runs these in a short form; `make stress` (XIAOZHEN_STRESS=10) runs them ten times longer.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import Run, run_process
from xiaozhen.errors import Refused
from xiaozhen.store import registry, writing
from xiaozhen.store.registry import load

STRESS = int(os.environ.get("XIAOZHEN_STRESS", "1"))
KILLS = 25 * STRESS  # writers killed at a random moment of a write loop
SAME_TOWN_WRITERS = 10
SMALL = Path(__file__).parent / "corpus" / "valid.yaml"

# Records management=管理N for town 1, for N = 1, 2, …, printing N once each edit has returned.
WRITE_LOOP = """
import datetime, sys
from pathlib import Path
from xiaozhen.actions import lifecycle
from xiaozhen.actions import recording
from xiaozhen.store import registry
source = registry.Source(Path(sys.argv[1]), "option")
for n in range(int(sys.argv[2]), 10**9):
    def change(document, n=n):
        document.apply(recording.record(document.town(1), datetime.date(2026, 1, 1), [("management", f"管理{n}")]))
    registry.edit(source, change)
    print(n, flush=True)
"""

HOLD_LOCK = """
import sys, time
from pathlib import Path
from xiaozhen.store import writing
with writing.locked(Path(sys.argv[1])):
    print("locked", flush=True)
    time.sleep(600)
"""


def management_of_town_1(path: Path) -> str | None:
    loaded = load(path)
    assert loaded.report.problems == [], loaded.report.problems
    assert loaded.report.registry is not None
    return loaded.report.registry.towns[0].management


def test_writers_killed_mid_write_leave_the_old_file_or_the_new(tmp_path: Path) -> None:
    path = tmp_path / "towns.yaml"
    shutil.copyfile(SMALL, path)
    rng = random.Random(20190203)
    confirmed = 0  # the last value a killed writer reported as written
    for _ in range(KILLS):
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITE_LOOP, str(path), str(confirmed + 1)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert writer.stdout is not None
        # Killed once it has said it wrote one to three times: at any machine load, each writer writes.
        # The jitter after its word only varies where in the next edit the kill lands (reading, the
        # round trip, the write, the rename); the test waits for nothing but the writer's word.
        for _ in range(rng.randint(1, 3)):
            said = writer.stdout.readline()
            assert said, "the writer stopped before it wrote"
            confirmed = int(said)
        time.sleep(rng.uniform(0, 0.03))
        writer.send_signal(signal.SIGKILL)
        out, _ = writer.communicate(timeout=60)
        if out.split():
            confirmed = int(out.split()[-1])
        # Old or new, never a mix: the file validates, and holds the last confirmed value or the next one.
        value = management_of_town_1(path)
        assert value in (f"管理{confirmed}", f"管理{confirmed + 1}", None if confirmed == 0 else "")
        if value == f"管理{confirmed + 1}":
            confirmed += 1
    assert confirmed >= KILLS  # each writer wrote before it was killed
    # Whatever the killed writers left behind does not trip the next run, which clears it.
    result = run_process("--registry", str(path), "set", "1", "management=最后")
    assert result.returncode == 0, result.stderr
    assert management_of_town_1(path) == "最后"
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".towns.yaml.lock")) == [
        "towns.yaml"
    ]


def test_an_edit_waits_for_the_lock_then_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """While another process holds the lock, an edit waits (LOCK_WAIT, 60 s; a moment here), then is
    refused with a message, the file as it was."""
    path = tmp_path / "towns.yaml"
    shutil.copyfile(SMALL, path)
    before = path.read_bytes()
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        monkeypatch.setattr(writing, "LOCK_WAIT", 0.3)
        started = time.perf_counter()
        with pytest.raises(Refused, match=r"is locked by another xiaozhen for over 0 s; try again"):
            registry.edit(registry.Source(path, "option"), lambda document: None)
        assert time.perf_counter() - started >= 0.3
    finally:
        holder.kill()
        holder.communicate(timeout=30)
    assert path.read_bytes() == before


def test_a_lock_left_by_a_killed_process_does_not_block_the_next_run(tmp_path: Path) -> None:
    path = tmp_path / "towns.yaml"
    shutil.copyfile(SMALL, path)
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(path)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    holder.kill()
    holder.communicate(timeout=30)
    result = run_process("--registry", str(path), "set", "1", "management=接手")
    assert result.returncode == 0, result.stderr
    assert management_of_town_1(path) == "接手"


def test_writers_on_the_same_town_all_land(tmp_path: Path) -> None:
    path = tmp_path / "towns.yaml"
    shutil.copyfile(SMALL, path)
    years = [2019 + n % 7 for n in range(SAME_TOWN_WRITERS)]  # three years twice: the second is a rerun
    writers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "xiaozhen",
                "--registry",
                str(path),
                "assess",
                "1",
                "--year",
                str(year),
                "--result",
                "达标",
                "--date",
                "2026-01-10",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for year in years
    ]
    outputs = [w.communicate(timeout=120) for w in writers]
    assert [w.returncode for w in writers] == [0] * SAME_TOWN_WRITERS, outputs
    loaded = load(path)
    assert loaded.report.problems == []
    assert loaded.report.registry is not None
    assert sorted(a.year for a in loaded.report.registry.towns[0].assessments) == sorted(set(years))


# --- the file system says no ---------------------------------------------------------------------


def test_a_folder_that_cannot_be_written_refuses_the_edit(
    run: Run, registry: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # CI runs as root, where a read-only folder is still writable: the refusal is simulated.
    import tempfile

    def refuse(*_: object, **__: object) -> object:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "NamedTemporaryFile", refuse)
    before = registry.read_bytes()
    result = run("advance", "3", registry=registry)
    assert result.exit_code == 2
    assert "cannot write there (Permission denied); nothing was changed" in result.stderr
    assert registry.read_bytes() == before


def test_a_full_disk_during_the_write_leaves_the_original(
    run: Run, registry: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    def full(_: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    before = registry.read_bytes()
    result = run("advance", "3", registry=registry)
    assert result.exit_code == 2
    assert "cannot write (No space left on device); the registry is unchanged" in result.stderr
    assert registry.read_bytes() == before
    assert [p.name for p in registry.parent.iterdir() if p.suffix == ".tmp"] == []
