"""A cache of validated registries, so that a question about an unchanged file skips parsing it.

An entry is the registry's records as JSON, named by a hash of the file's bytes (and of this version of
xiaozhen): a changed file is a different name, so an entry is never used for content it was not made
from. It lives in the user's cache folder, outside any repository; it is written atomically, and an
entry that cannot be read is ignored and rebuilt. Nothing needs it: with no cache every answer is the same.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from xiaozhen import __version__

KEEP = 16  # entries kept; older ones are removed when a new one is written
# The records' layout: raised whenever the model gains or changes a field, so that an entry made by an
# earlier build of the same version is never read as this one's (3: rulebooks, province, indicators).
LAYOUT = 3


def folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "xiaozhen"


def key(raw: bytes) -> str:
    digest = hashlib.sha256(f"{__version__} {LAYOUT}".encode() + b"\0")
    digest.update(raw)
    return digest.hexdigest()


def get(name: str) -> dict[str, Any] | None:
    """The records cached under `name`, or None when there are none that can be trusted."""
    try:
        with (folder() / f"{name}.json").open("rb") as handle:
            entry = json.loads(handle.read())
        if entry.get("key") == name and isinstance(entry.get("registry"), dict):
            registry: dict[str, Any] = entry["registry"]
            return registry
    except (OSError, ValueError, AttributeError):
        pass  # missing, unreadable or damaged: it is rebuilt
    return None


def put(name: str, registry: dict[str, Any]) -> None:
    """Store the records; a cache that cannot be written is simply not used."""
    target = folder()
    try:
        target.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=target, suffix=".tmp", delete=False, encoding="utf-8") as h:
            # dumps, not dump: only dumps uses the C encoder (dump streams through the Python one).
            entry = {"key": name, "registry": registry}
            h.write(json.dumps(entry, ensure_ascii=False, separators=(",", ":")))
        os.replace(h.name, target / f"{name}.json")
        _prune(target)
    except OSError:
        return


def _prune(target: Path) -> None:
    entries = sorted(target.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    for stale in entries[KEEP:]:
        stale.unlink(missing_ok=True)
