"""Where the registry is, reading and checking it, and editing it: the file checked, the towns an edit
changes round-tripped (`roundtrip`) so that comments, key order, quoting and blank lines stay and `git diff`
shows only the lines that changed, the whole result checked, then written atomically under a lock
(`writing`). Reads go through the fast located parser (`parse`)."""

from __future__ import annotations

import os
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from xiaozhen.errors import CannotWrite, InvalidRegistry, ReadOnlyRegistry, Refused
from xiaozhen.files import read_regular, writable_by_its_owner
from xiaozhen.i18n import _, ngettext
from xiaozhen.problems import Problem
from xiaozhen.store.writing import encode_like, locked, remove_leftovers, write_atomic

if TYPE_CHECKING:
    from xiaozhen.model.parse import Parsed
    from xiaozhen.model.schema import Registry
    from xiaozhen.rules.check import Report
    from xiaozhen.store.roundtrip import Block, Document

ENV_VAR = "XIAOZHEN_REGISTRY"
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
    package = Path(__file__).resolve().parents[1]  # src/xiaozhen, or xiaozhen in site-packages
    installed = package / "data" / "towns.yaml"
    if installed.is_file():
        return installed
    return package.parents[1] / DEFAULT_PATH


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
    """The file's bytes, or RegistryNotFound saying why it cannot be read (missing, a directory, a FIFO
    or a device: refused before a read could wait)."""
    return read_regular(path, MAX_BYTES, _("a registry file"), links=False)


@dataclass
class Loaded:
    """A registry's text (None if it could not be decoded), what checking it found, and, for an edit, the
    parse it was checked from."""

    text: str | None
    report: Report
    parsed: Parsed | None = None


Step = Callable[[str], None]  # told what a long operation is doing now, for a progress display


def _quiet(_: str) -> None:
    pass


def check_bytes(
    raw: bytes,
    *,
    strict: bool = False,
    step: Step = _quiet,
    on: date | None = None,
    documents: Collection[str] | None = None,
) -> Loaded:
    """Decode, parse and check: every problem, located; the rulebooks those in force `on` (default today),
    or only those `documents` names."""
    from xiaozhen.model.parse import parse_yaml
    from xiaozhen.rules.check import check

    # Parsed without positions first: on 1,600 towns a located parse takes a fifth more time and most of the
    # memory, and a registry without problems needs none. One with problems is parsed again to place them.
    loaded = _checked(raw, strict=strict, step=step, on=on, documents=documents)
    report = loaded.report
    if loaded.text is not None and report.problems:
        step(_("locating the problems"))
        report = check(parse_yaml(loaded.text), strict=strict, on=on, documents=documents)
    # Without the parse: a large registry's raw data would outlive the check (a read then writes the cache).
    return Loaded(loaded.text, report)


def _checked(
    raw: bytes,
    *,
    strict: bool = False,
    step: Step = _quiet,
    on: date | None = None,
    documents: Collection[str] | None = None,
) -> Loaded:
    """Decode, parse without positions, and check; the problems are not located."""
    # Imported here: a read answered from the cache needs neither the parser nor the schema.
    from xiaozhen.model.parse import decode, parse_yaml
    from xiaozhen.rules.check import Report, check

    if len(raw) > MAX_BYTES:
        problem = Problem(
            "file-size",
            _("the file is over {MAX_BYTES:,} bytes: not a registry").format(MAX_BYTES=MAX_BYTES),
            1,
            1,
        )
        return Loaded(None, Report([problem]))
    text, problems = decode(raw)
    if text is None:
        return Loaded(None, Report(list(problems)))
    step(_("parsing"))
    parsed = parse_yaml(text, locate=False)
    step(_("checking"))
    return Loaded(text, check(parsed, strict=strict, on=on, documents=documents), parsed)


def load(
    path: Path,
    *,
    strict: bool = False,
    step: Step = _quiet,
    on: date | None = None,
    documents: Collection[str] | None = None,
) -> Loaded:
    return check_bytes(read_bytes(path), strict=strict, step=step, on=on, documents=documents)


def load_records(path: Path, step: Step = _quiet) -> dict[str, Any]:
    """The registry for reading, as JSON-ready records (the cache's, when the file is unchanged);
    InvalidRegistry when its structure is broken.

    Rule problems (a share below 50%, a declared total off) do not stop a read: `validate` reports them.
    """
    return records_from_bytes(read_bytes(path), str(path), step)


def load_registry(path: Path) -> Registry:
    """The registry as models, for the rules themselves (`screen`); InvalidRegistry when it is not one."""
    return _registry_of(load(path), str(path))


def _registry_of(loaded: Loaded, label: str) -> Registry:
    registry = loaded.report.registry
    if registry is None:
        problems = loaded.report.structural or loaded.report.problems
        raise InvalidRegistry(
            _("{label} is not a valid registry ({counted}; run `xiaozhen validate` on it)").format(
                label=label,
                counted=ngettext("{n} problem", "{n} problems", len(problems)).format(n=len(problems)),
            ),
            problems,
            Path(label),
        )
    return registry


def records_from_bytes(raw: bytes, label: str, step: Step = _quiet) -> dict[str, Any]:
    """The records of a registry's bytes (a file's, or a git revision's, named `label` in messages)."""
    from xiaozhen.store import cache

    name = cache.key(raw)
    records = cache.get(name)
    if records is not None:
        return records
    registry = _registry_of(check_bytes(raw, step=step), label)
    records = registry.model_dump(mode="json", by_alias=True)
    cache.put(name, records)
    return records


# --- editing -------------------------------------------------------------------------------------


@dataclass
class Edit:
    """The outcome of an edit: whether it changed the file (or, in a dry run, would), and the diff of a
    dry run."""

    path: Path
    diff: str
    changed: bool
    messages: list[str]
    # The file's text before and after, for a dry run that says what it would change in the notice's
    # terms (`collect --dry-run`); None otherwise.
    texts: tuple[str, str] | None = None
    # What the recorded values leave short of a standard that was not so before (a 40% share just set):
    # recorded all the same, and shown to whoever recorded it.
    findings: list[Problem] = field(default_factory=list)


def edit(
    source: Source,
    change: Callable[[Document], None],
    *,
    dry_run: bool = False,
    step: Step = _quiet,
) -> Edit:
    """Check, change in place, check the whole result, and write atomically under a lock; nothing written
    on refusal.

    Only the changed towns' blocks are round-tripped (`roundtrip`) and parsed again; the rules then run
    over every town of the result. A refusal is shown from a located check of the text as it would be.
    """
    from xiaozhen.store.roundtrip import Document

    if source.read_only:
        raise ReadOnlyRegistry(
            _(
                "{path} is the copy installed with xiaozhen and is not edited; point at your own file with "
                "--registry PATH or {ENV_VAR}=PATH"
            ).format(path=source.path, ENV_VAR=ENV_VAR)
        )
    target = Path(os.path.abspath(source.path))  # a symlink is refused, never written through
    if not target.is_file() or target.is_symlink():
        read_bytes(source.path)  # says why (missing, a link, a directory, a FIFO) before a lock is made
    with locked(target):
        remove_leftovers(target)
        raw = read_bytes(target)
        before = _checked(raw, step=step)  # located again only to show a problem
        if before.report.registry is None or before.text is None or before.parsed is None:
            located = check_bytes(raw, step=step).report
            problems = located.structural or located.problems
            raise InvalidRegistry(
                _("{path} is not a valid registry; fix it before editing it").format(path=source.path),
                problems,
                source.path,
            )
        step(_("loading for the edit"))
        document = Document(before.text, before.report.registry, before.parsed.town_starts)
        change(document)
        new_text, blocks = document.render()
        step(_("writing out"))
        if new_text == before.text:
            return Edit(source.path, "", False, document.messages)
        after = None if blocks is None else _check_spliced(before.parsed, blocks)
        if after is None or after.errors:
            after = check_bytes(new_text.encode(), step=step).report
        if after.errors:
            raise Refused(
                _(
                    "the change would leave the registry invalid; nothing was written "
                    "(the lines below are those of the file as it would be)"
                ),
                after.errors,
                source.path,
            )
        findings = _new_findings(before.report, after)
        if dry_run:
            from xiaozhen.store.diff import unified_diff

            return Edit(
                source.path,
                unified_diff(before.text, new_text, str(source.path)),
                True,
                document.messages,
                (before.text, new_text),
                findings,
            )
        if not writable_by_its_owner(target):
            raise CannotWrite(
                _(
                    "{path}: is read-only; nothing was changed (make it writable to edit it: chmod u+w, or "
                    "untick Read-only in its Properties)"
                ).format(path=source.path)
            )
        write_atomic(target, encode_like(new_text, raw))
        return Edit(source.path, "", True, document.messages, findings=findings)


def _new_findings(before: Report, after: Report) -> list[Problem]:
    """The findings after an edit that were not there before it, as the town and message say them."""
    known = {(p.town, p.code, p.message) for p in before.findings}
    return [p for p in after.findings if (p.town, p.code, p.message) not in known]


def _check_spliced(before: Parsed, blocks: list[Block]) -> Report | None:
    """The whole check of the text after an edit, with only the changed blocks parsed again (the rest of
    the text is as it was parsed before); None when a block does not read back as towns on its own, and
    the whole text must be parsed."""
    from xiaozhen.model.parse import Parsed, parse_yaml
    from xiaozhen.rules.check import check
    from xiaozhen.store.roundtrip import HEAD

    if before.problems:
        return None
    towns = list(before.data["towns"])
    for block in reversed(blocks):  # from the end, so that an appended town does not shift the others
        parsed = parse_yaml(HEAD + block.text, locate=False)
        if (
            parsed.problems
            or not isinstance(parsed.data, dict)
            or not isinstance(parsed.data.get("towns"), list)
        ):
            return None
        towns[block.index : block.index + 1] = parsed.data["towns"]
    return check(Parsed({**before.data, "towns": towns}))
