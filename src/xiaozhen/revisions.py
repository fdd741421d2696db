"""A version of the registry to compare: a file, or the registry file at a git revision (`HEAD`, `main`,
a tag, `HEAD~2`, or `REV:path` for another path in the repository). Only reads; git is asked with
`git show`, never changed."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from xiaozhen.errors import UsageError
from xiaozhen.registry import read_bytes


class GitUnavailable(UsageError):
    """git is not installed, the folder is not in a repository, or git cannot show the revision."""


@dataclass(frozen=True)
class Version:
    label: str  # how messages and the diff's header name it: a path, or REV:path
    raw: bytes


def read_version(spec: str | None, working: Path) -> Version:
    """`spec` as a file if one is there, else as a git revision of the registry file `working`;
    None is the working file itself."""
    if spec is None:
        return Version(str(working), read_bytes(working))
    candidate = Path(spec)
    if candidate.is_file():
        return Version(spec, read_bytes(candidate))
    revision, colon, path = spec.partition(":")
    root = _repository(working.parent if working.parent.is_dir() else Path.cwd())
    if colon:
        inside = path.lstrip("/")
    else:
        try:
            inside = Path(working).resolve().relative_to(root).as_posix()
        except ValueError:
            raise GitUnavailable(f"{working} is not inside the git repository at {root}") from None
    return Version(f"{revision}:{inside}", _show(root, revision, inside))


def _git(folder: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", "-C", str(folder), *args], capture_output=True, timeout=60, check=False)
    except FileNotFoundError:
        raise GitUnavailable(
            "git is not installed: give OLD and NEW as files, or install git to compare revisions"
        ) from None


def _repository(folder: Path) -> Path:
    done = _git(folder, "rev-parse", "--show-toplevel")
    if done.returncode != 0:
        raise GitUnavailable(
            f"{folder} is not in a git repository: give OLD and NEW as files, or run in a checkout"
        )
    return Path(done.stdout.decode().strip())


def _show(root: Path, revision: str, inside: str) -> bytes:
    if revision.startswith("-"):
        raise GitUnavailable(f"'{revision}' is not a revision")
    done = _git(root, "show", f"{revision}:{inside}", "--")
    if done.returncode != 0:
        said = done.stderr.decode(errors="replace").strip().splitlines()
        why = said[0].removeprefix("fatal: ") if said else "git could not show it"
        raise GitUnavailable(f"no registry at {revision}:{inside} ({why})")
    return done.stdout
