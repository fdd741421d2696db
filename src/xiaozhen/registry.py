"""Where the registry is, reading it, and writing it back: the only module that touches the file.

Reads go through the fast located parser (`parse`). Edits load the file a second way, with ruamel.yaml's
round-trip loader, change values in place on that document and dump it, so that comments, key order,
quoting and blank lines stay and `git diff` shows only the lines that changed. The result is validated
before it is written, atomically and under a lock.
"""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from xiaozhen.errors import CannotWrite, InvalidRegistry, ReadOnlyRegistry, Refused, RegistryNotFound, counted
from xiaozhen.problems import Problem

if TYPE_CHECKING:
    from xiaozhen.rules import Report

ENV_VAR = "XIAOZHEN_REGISTRY"
# Windows differs in two calls of the write path: a folder cannot be opened to flush it, and a file
# another program holds open cannot be renamed over for a moment. Tests set this to cover it on Linux.
WINDOWS = os.name == "nt"
# How long a rename over a file another program holds open is retried (Windows) before giving up.
REPLACE_RETRIES = (0.05, 0.1, 0.2, 0.4, 0.8)
DEFAULT_PATH = Path("data") / "towns.yaml"
# A registry of every town in the country is under 10 MB; a file far larger is a mistake, not a registry.
MAX_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Source:
    """A registry file and how it was found (option, env, cwd or package)."""

    path: Path
    origin: str

    @property
    def read_only(self) -> bool:
        return self.origin == "package"


def packaged_path() -> Path:
    """The copy installed with the package (in a source checkout, the repository's own file)."""
    installed = Path(__file__).parent / "data" / "towns.yaml"
    if installed.is_file():
        return installed
    return Path(__file__).resolve().parents[2] / DEFAULT_PATH


def locate(option: str | Path | None = None, cwd: Path | None = None) -> Source:
    """--registry, else $XIAOZHEN_REGISTRY, else ./data/towns.yaml, else the installed copy."""
    if option:
        return Source(Path(option), "option")
    env = os.environ.get(ENV_VAR)
    if env:
        return Source(Path(env), "env")
    here = (cwd or Path.cwd()) / DEFAULT_PATH
    if here.is_file():
        return Source(DEFAULT_PATH if cwd is None else here, "cwd")
    return Source(packaged_path(), "package")


def read_bytes(path: Path) -> bytes:
    """The file's bytes, or RegistryNotFound saying why it cannot be read."""
    try:
        if path.is_dir():
            raise RegistryNotFound(f"{path}: is a directory, not a registry file")
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise RegistryNotFound(f"{path}: no such file") from None
    except PermissionError:
        raise RegistryNotFound(f"{path}: permission denied") from None
    except OSError as exc:
        raise RegistryNotFound(f"{path}: cannot be read ({exc.strerror})") from None
    return raw


@dataclass
class Loaded:
    """A registry's text (None if it could not be decoded) and what checking it found."""

    text: str | None
    report: Report


Step = Callable[[str], None]  # told what a long operation is doing now, for a progress display


def _quiet(_: str) -> None:
    pass


def check_bytes(raw: bytes, *, strict: bool = False, step: Step = _quiet) -> Loaded:
    """Decode, parse and check: every problem, located."""
    # Imported here: a read answered from the cache needs neither the parser nor the schema.
    from xiaozhen.parse import decode, parse_yaml
    from xiaozhen.rules import Report, check

    if len(raw) > MAX_BYTES:
        problem = Problem("file-size", f"the file is over {MAX_BYTES:,} bytes: not a registry", 1, 1)
        return Loaded(None, Report([problem]))
    text, problems = decode(raw)
    if text is None:
        return Loaded(None, Report(list(problems)))
    step("parsing")
    parsed = parse_yaml(text, locate=False)
    step("checking")
    report = check(parsed, strict=strict)
    if report.problems:  # worth the second parse: show each problem at its line
        step("locating the problems")
        parsed = parse_yaml(text)
        report = check(parsed, strict=strict)
    return Loaded(text, report)


def load(path: Path, *, strict: bool = False, step: Step = _quiet) -> Loaded:
    return check_bytes(read_bytes(path), strict=strict, step=step)


def load_records(path: Path, step: Step = _quiet) -> dict[str, Any]:
    """The registry for reading, as JSON-ready records (the cache's, when the file is unchanged);
    InvalidRegistry when its structure is broken.

    Rule problems (a share below 50%, a declared total off) do not stop a read: `validate` reports them.
    """
    return records_from_bytes(read_bytes(path), str(path), step)


def records_from_bytes(raw: bytes, label: str, step: Step = _quiet) -> dict[str, Any]:
    """The records of a registry's bytes (a file's, or a git revision's, named `label` in messages)."""
    from xiaozhen import cache

    name = cache.key(raw)
    records = cache.get(name)
    if records is not None:
        return records
    loaded = check_bytes(raw, step=step)
    registry = loaded.report.registry
    if registry is None:
        problems = loaded.report.structural or loaded.report.problems
        raise InvalidRegistry(
            f"{label} is not a valid registry ({counted(len(problems), 'problem')}; "
            f"run `xiaozhen validate` on it)",
            problems,
            Path(label),
        )
    records = registry.model_dump(mode="json", by_alias=True)
    cache.put(name, records)
    return records


# --- round-trip editing --------------------------------------------------------------------------


def _yaml() -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never wrap a long name or note
    yaml.indent(mapping=2, sequence=4, offset=2)

    def null(representer: Any, _: None) -> Any:
        # ruamel writes None as an empty value; the registry spells it `null`.
        return representer.represent_scalar("tag:yaml.org,2002:null", "null")

    yaml.representer.add_representer(type(None), null)
    # One date object used twice (an assessment and its history entry) must not become an &anchor.
    yaml.representer.ignore_aliases = lambda _data: True
    return yaml


@dataclass
class Edit:
    """The outcome of an edit: whether it changed the file (or, in a dry run, would), and the diff of a
    dry run."""

    path: Path
    diff: str
    changed: bool
    messages: list[str]


class Document:
    """The round-trip document an edit changes in place, with the validated registry beside it."""

    def __init__(self, root: Any, registry: Any) -> None:
        self.root = root
        self.registry = registry
        self.messages: list[str] = []
        self._current: dict[int, Any] = {}

    def town(self, town_id: int) -> Any:
        """The town as it stands now, after the changes already applied in this edit."""
        if town_id in self._current:
            return self._current[town_id]
        return next(t for t in self.registry.towns if t.id == town_id)

    def town_node(self, town_id: int) -> Any:
        for node in self.root["towns"]:
            if node.get("id") == town_id:
                return node
        raise KeyError(town_id)  # pragma: no cover - ids come from the validated registry

    def apply(self, change: Any) -> None:
        """Set a lifecycle Change's values and append its entries, in place on the town's node."""
        from ruamel.yaml.comments import CommentedMap

        node = self.town_node(change.town)
        for key, value in change.values.items():
            *parents, last = key.split(".")
            target = node
            for part in parents:
                if target.get(part) is None:
                    target[part] = CommentedMap()
                target = target[part]
            target[last] = value
        if change.assessment is not None:
            assessments = _block_list(node, "assessments")
            year = change.assessment["year"]
            index = next((i for i, a in enumerate(assessments) if a.get("year") == year), None)
            if index is None:
                _append(assessments, _mapping(change.assessment))
            else:
                assessments[index] = _mapping(change.assessment)
        if change.history:
            history = _block_list(node, "history")
            for entry in change.history:
                _append(history, _mapping(entry))
        self.messages.append(change.message)
        from pydantic import ValidationError

        from xiaozhen.model import Town

        # The next change to this town (a second row of an import) must see this one. A change that
        # breaks the town is left for the validation of the whole result to report, with its line.
        try:
            self._current[change.town] = Town.model_validate(node)
        except ValidationError:
            self._current.pop(change.town, None)

    def append_town(self, town: dict[str, Any]) -> None:
        node = _mapping(town)
        node["history"] = _block_list(node, "history")
        node.yaml_set_start_comment("\n")  # a blank line before it, as between the other towns
        self.root["towns"].append(node)


def _mapping(data: dict[str, Any]) -> Any:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    node = CommentedMap()
    for key, value in data.items():
        if isinstance(value, list):
            seq = CommentedSeq(_mapping(v) if isinstance(v, dict) else v for v in value)
            if not value:
                seq.fa.set_flow_style()  # an empty list is written `[]`, as in the shipped file
            value = seq
        node[key] = value
    return node


def _append(items: Any, node: Any) -> None:
    """Append to a block list, keeping what follows the list after it: ruamel hangs the comment or blank
    line below a list on its last item's last value, and would write a new item after that blank line
    (between two towns) instead of before it."""
    trailing = _take_trailing_comment(items[-1]) if len(items) else None
    items.append(node)
    if trailing is not None and node:
        node.ca.items[list(node)[-1]] = [None, None, trailing, None]


def _take_trailing_comment(node: Any) -> Any:
    """Detach and return the comment hung after the innermost last value of `node`, if any."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(node, CommentedMap) and node:
        key = list(node)[-1]
        value = node[key]
        if isinstance(value, CommentedMap | CommentedSeq) and value:
            return _take_trailing_comment(value)
        slot = node.ca.items.get(key)
        if slot and len(slot) > 2 and slot[2] is not None:
            comment, slot[2] = slot[2], None
            return comment
    if isinstance(node, CommentedSeq) and node:
        return _take_trailing_comment(node[-1])
    return None


def _block_list(node: Any, key: str) -> Any:
    """The list under `key`, as a block list: the shipped file writes an empty one as `[]`, flow style,
    and ruamel would keep appending to it in flow style, on one line."""
    from ruamel.yaml.comments import CommentedSeq

    current = node.get(key)
    if current is None or (len(current) == 0 and current.fa.flow_style()):
        fresh = CommentedSeq(current or [])
        fresh.fa.set_block_style()
        node[key] = fresh
        return fresh
    return current


def dump(root: Any) -> str:
    buffer = io.StringIO()
    _yaml().dump(root, buffer)
    return buffer.getvalue()


def edit(
    source: Source, change: Callable[[Document], None], *, dry_run: bool = False, step: Step = _quiet
) -> Edit:
    """Load, change in place, validate, and write atomically under a lock; nothing written on refusal."""
    if source.read_only:
        raise ReadOnlyRegistry(
            f"{source.path} is the copy installed with xiaozhen and is not edited; "
            f"point at your own file with --registry PATH or {ENV_VAR}=PATH"
        )
    target = Path(os.path.realpath(source.path))  # a symlink is written through to its target
    if not target.is_file():
        read_bytes(source.path)  # says why: missing, a directory (before a lock is made beside it)
    with _locked(target):
        _remove_leftovers(target)
        raw = read_bytes(target)
        before = check_bytes(raw, step=step)
        if before.report.registry is None or before.text is None:
            problems = before.report.structural or before.report.problems
            raise InvalidRegistry(
                f"{source.path} is not a valid registry; fix it before editing it", problems, source.path
            )
        step("loading for the edit")
        root = _yaml().load(before.text)
        document = Document(root, before.report.registry)
        change(document)
        step("writing out")
        new_text = dump(root)
        if new_text == before.text:
            return Edit(source.path, "", False, document.messages)
        after = check_bytes(new_text.encode(), step=step)
        if after.report.errors:
            raise Refused(
                "the change would leave the registry invalid; nothing was written "
                "(the lines below are those of the file as it would be)",
                after.report.errors,
                source.path,
            )
        if dry_run:
            from xiaozhen.diff import unified_diff

            return Edit(
                source.path, unified_diff(before.text, new_text, str(source.path)), True, document.messages
            )
        _write_atomic(target, _encode_like(new_text, raw))
        return Edit(source.path, "", True, document.messages)


def _encode_like(text: str, original: bytes) -> bytes:
    """Keep the original's byte-order mark and line endings."""
    if b"\r\n" in original:
        text = text.replace("\n", "\r\n")
    data = text.encode()
    return b"\xef\xbb\xbf" + data if original.startswith(b"\xef\xbb\xbf") else data


@contextmanager
def _locked(target: Path) -> Iterator[None]:
    from filelock import FileLock, Timeout

    # The lock sits beside the file, hidden; the kernel releases it when a holder dies.
    lock = FileLock(str(target.parent / f".{target.name}.lock"))
    try:
        lock.acquire(timeout=60)
    except Timeout:
        raise Refused(f"{target} is locked by another xiaozhen for over 60 s; try again") from None
    except OSError as exc:
        raise CannotWrite(f"{target.parent}: cannot lock the registry ({exc.strerror})") from None
    try:
        yield
    finally:
        lock.release()


def _temporary_prefix(target: Path) -> str:
    return f".{target.name}."


def _remove_leftovers(target: Path) -> None:
    """Remove the temporary files of writers that died mid-write. Only the lock holder writes, and it
    holds the lock now, so any such file is a dead writer's (one that another program still holds open,
    as Windows may, is left for a later edit)."""
    for leftover in target.parent.glob(f"{_temporary_prefix(target)}*.tmp"):
        try:
            leftover.unlink(missing_ok=True)
        except OSError:
            continue


def _write_atomic(target: Path, data: bytes) -> None:
    """Write beside the target, flush to disk, then rename over it: the old file or the new, never half."""
    import tempfile

    try:
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, before the rename
            dir=target.parent, prefix=_temporary_prefix(target), suffix=".tmp", delete=False
        )
    except OSError as exc:
        raise CannotWrite(
            f"{target.parent}: cannot write there ({exc.strerror}); nothing was changed"
        ) from None
    temp = Path(handle.name)
    try:
        with handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, target.stat().st_mode & 0o7777)
        _replace(temp, target)
    except OSError as exc:
        _discard(temp)
        raise CannotWrite(f"{target}: cannot write ({exc.strerror}); the registry is unchanged") from None
    except BaseException:
        _discard(temp)
        raise
    _sync_folder(target.parent)


def _replace(temp: Path, target: Path) -> None:
    """Rename the temporary file over the target. On Windows a rename over a file that another program
    (an editor, a virus scanner, a search indexer) holds open is refused for as long as it does: retry
    for a moment, then say so."""
    import time

    for pause in REPLACE_RETRIES if WINDOWS else ():
        try:
            os.replace(temp, target)
            return
        except PermissionError:
            time.sleep(pause)
    try:
        os.replace(temp, target)
    except PermissionError as exc:
        if WINDOWS:
            raise PermissionError(exc.errno, "another program has it open; close it and try again") from None
        raise


def _discard(temp: Path) -> None:
    with contextlib.suppress(OSError):  # a later edit removes it (_remove_leftovers)
        temp.unlink(missing_ok=True)


def _sync_folder(folder: Path) -> None:
    """Flush the folder's entry for the renamed file to disk, where the system allows it: Windows does
    not open folders (its file system journals the rename itself)."""
    if WINDOWS:
        return
    try:
        directory = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # the rename is done; only its durability across a power cut is left to the system
    try:
        with contextlib.suppress(OSError):
            os.fsync(directory)
    finally:
        os.close(directory)
