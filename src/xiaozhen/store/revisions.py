"""A version of the registry to compare: a file, or the registry file at a git revision (`HEAD`, `main`,
a tag, `HEAD~2`, or `REV:path` for another path in the repository). Only reads; git is asked with
`git show`, never changed.

A pull request can add a file named like a revision (`HEAD~1`, the base commit's id) so that a bare
argument would read it instead: a bare argument that is both is refused as ambiguous, and the explicit
forms decide — `REV:` (an empty path) is the registry file at REV, `./NAME` or an absolute path a file.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from xiaozhen.errors import UsageError
from xiaozhen.i18n import _
from xiaozhen.store.registry import MAX_BYTES, read_bytes


class GitUnavailable(UsageError):
    """git is not installed, the folder is not in a repository, or git cannot show the revision."""


@dataclass(frozen=True)
class Version:
    label: str  # how messages and the diff's header name it: a path, or REV:path
    raw: bytes


# No revision or path a person types is this long; git and the file system refuse far longer ones with
# errors of their own.
MAX_SPEC = 1024
GIT_WAIT = 60.0


def read_version(spec: str | None, working: Path) -> Version:
    """`spec` as a file or as a git revision of the registry file `working` (see the module's note);
    None is the working file itself."""
    if spec is None:
        return Version(str(working), read_bytes(working))
    if len(spec) > MAX_SPEC:
        raise UsageError(
            _("a revision or file name of {len:,} characters: give at most {MAX_SPEC:,}").format(
                len=len(spec), MAX_SPEC=MAX_SPEC
            )
        )
    candidate = Path(spec)
    explicit_file = spec.startswith(("./", "../", ".\\", "..\\")) or candidate.is_absolute()
    if explicit_file or (":" not in spec and _is_file(candidate)):
        if not explicit_file and _is_revision(working, spec):
            raise UsageError(
                _(
                    "'{spec}' is both a file and a git revision: write ./{spec} for the file, or {spec}: "
                    "for the registry file at that revision"
                ).format(spec=spec)
            )
        return Version(spec, read_bytes(candidate))
    revision, colon, path = spec.partition(":")
    root = _repository(_folder(working))
    if colon and path:
        inside = path.lstrip("/")
    else:
        try:
            inside = Path(working).resolve().relative_to(root).as_posix()
        except ValueError:
            raise GitUnavailable(
                _("{working} is not inside the git repository at {root}").format(working=working, root=root)
            ) from None
    return Version(f"{revision}:{inside}", _show(root, revision, inside))


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:  # a name too long for the file system is no file
        return False


def _folder(working: Path) -> Path:
    return working.parent if working.parent.is_dir() else Path.cwd()


def _is_revision(working: Path, spec: str) -> bool:
    """Whether git knows `spec` as a commit (outside a repository, or without git, nothing is)."""
    if spec.startswith("-"):
        return False
    try:
        done = _git(_folder(working), "rev-parse", "--verify", "--quiet", f"{spec}^{{commit}}")
    except GitUnavailable:
        return False
    return done.returncode == 0


def _git(folder: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        # No command from the repository's configuration runs: fsmonitor is off, and nothing here reads
        # the working tree through git (which would run a file's clean filter).
        return subprocess.run(
            ["git", "-c", "core.fsmonitor=false", "-C", str(folder), *args],
            capture_output=True,
            timeout=GIT_WAIT,
            check=False,
        )
    except FileNotFoundError:
        raise GitUnavailable(
            _("git is not installed: give OLD and NEW as files, or install git to compare revisions")
        ) from None
    except subprocess.TimeoutExpired:
        raise GitUnavailable(
            _("git did not answer within {GIT_WAIT:.0f} s").format(GIT_WAIT=GIT_WAIT)
        ) from None


def _repository(folder: Path) -> Path:
    done = _git(folder, "rev-parse", "--show-toplevel")
    if done.returncode != 0:
        raise GitUnavailable(
            _("{folder} is not in a git repository: give OLD and NEW as files, or run in a checkout").format(
                folder=folder
            )
        )
    return Path(done.stdout.decode().strip())


def _show(root: Path, revision: str, inside: str) -> bytes:
    """The file at the revision, read up to one byte over a registry's limit: a revision can hold a
    blob of gigabytes, and a registry check refuses anything over the limit from its size alone."""
    if revision.startswith("-"):
        raise GitUnavailable(_("'{revision}' is not a revision").format(revision=revision))
    done = _git(root, "cat-file", "-s", f"{revision}:{inside}")
    if done.returncode != 0:
        said = done.stderr.decode(errors="replace").strip().splitlines()
        why = said[0].removeprefix("fatal: ") if said else _("git could not show it")
        raise GitUnavailable(
            _("no registry at {revision}:{inside} ({why})").format(revision=revision, inside=inside, why=why)
        )
    if int(done.stdout.strip() or 0) > MAX_BYTES:
        return bytes(MAX_BYTES + 1)  # what a read of the file would have given the check: too much
    shown = _git(root, "cat-file", "blob", f"{revision}:{inside}")
    if shown.returncode != 0:
        raise GitUnavailable(
            _("no registry at {revision}:{inside} (git could not show it)").format(
                revision=revision, inside=inside
            )
        )
    return shown.stdout


def commit_of(path: Path, raw: bytes) -> str | None:
    """The commit the file was last committed in, if it is in a git repository and its bytes `raw` are
    those committed: compared here, since `git diff` would run the repository's fsmonitor and filters."""
    try:
        folder = _folder(path)
        root = _repository(folder)
        inside = path.resolve().relative_to(root).as_posix()
        if _show(root, "HEAD", inside) != raw:
            return None  # changed since its last commit: the hash says what was issued
        done = _git(root, "log", "-1", "--format=%H", "--", inside)
    except (GitUnavailable, ValueError):
        return None
    commit = done.stdout.decode().strip()
    return commit or None


def revision_of(raw: bytes, commit: str | None) -> str:
    """What a form is issued from and a report made from: the git commit where there is one, and the
    registry bytes' hash."""
    import hashlib

    digest = "sha256:" + hashlib.sha256(raw).hexdigest()[:16]
    return f"{commit} {digest}" if commit else digest
