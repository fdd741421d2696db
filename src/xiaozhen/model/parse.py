"""Read registry text into plain Python data, safely and fast, remembering where every key stands.

PyYAML's C parser builds the node tree; the values are built here, not by PyYAML's constructor, because
its loaders silently keep the last of two duplicate keys and would expand an alias bomb. This builder
reports duplicate keys, refuses tags that construct objects and refuses aliases, and records the line and
column of every mapping key and sequence item, so that each problem can be shown at its place.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml

from xiaozhen.i18n import N_, _
from xiaozhen.limits import MAX_NESTING, MAX_NUMBER_CHARS, number_refusal
from xiaozhen.problems import Problem

try:  # the C parser; the pure-Python one gives the same answers, only slower
    from yaml import CSafeLoader as _Base
except ImportError:  # pragma: no cover - libyaml is in PyYAML's wheels
    from yaml import SafeLoader as _Base  # type: ignore[assignment]


class _Loader(_Base):
    """The C parser, with the tag of each plain scalar remembered: a registry repeats the same keys and
    values thousands of times, and PyYAML resolves each one again, in Python, with regular expressions."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._tags: dict[tuple[str, Any], str] = {}

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is not yaml.ScalarNode:
            return super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]
        memo = (value, implicit)
        tag = self._tags.get(memo)
        if tag is None:
            tag = self._tags[memo] = super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]
        return tag


Path = tuple[str | int, ...]
Position = tuple[int, int]

_SCALAR_TAGS = {
    "tag:yaml.org,2002:null": "construct_yaml_null",
    "tag:yaml.org,2002:bool": "construct_yaml_bool",
    "tag:yaml.org,2002:int": "construct_yaml_int",
    "tag:yaml.org,2002:float": "construct_yaml_float",
    "tag:yaml.org,2002:str": "construct_yaml_str",
    "tag:yaml.org,2002:timestamp": "construct_yaml_timestamp",
}
_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"


@dataclass
class Parsed:
    """Plain data (dicts, lists, scalars), where each part stands, and what was wrong with the text."""

    data: Any
    positions: dict[Path, Position] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    # Where each town's block of text begins, when the towns are laid out as the registry writes them
    # (see `town_starts`); None otherwise. An edit re-renders only the blocks it changes.
    town_starts: list[int] | None = None

    def locate(self, path: Path) -> Position | tuple[None, None]:
        """The position of `path`, or of its nearest recorded ancestor."""
        for end in range(len(path), -1, -1):
            found = self.positions.get(path[:end])
            if found is not None:
                return found
        return (None, None)

    def refused(self, path: Path) -> bool:
        """Whether the parser refused the value at `path` itself (its problem says why, once)."""
        return any(p.path == dotted(path) for p in self.problems) if self.problems else False


@contextmanager
def _collector_paused() -> Iterator[None]:
    # Building a large tree allocates many containers and nothing cyclic: the collector would only
    # rescan them over and over (twice as slow on 1,600 towns).
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _mark(node: yaml.Node) -> Position:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


class _Builder:
    def __init__(self, loader: Any, locate: bool, anchored: bool) -> None:
        self.loader = loader
        self.locate = locate
        self.positions: dict[Path, Position] = {(): (1, 1)}
        self.problems: list[Problem] = []
        # Nodes already built, to catch aliases; only needed when the text defines an anchor at all.
        self.seen: set[int] | None = set() if anchored else None
        self.depth = 0  # of the collection being built

    def refuse(self, node: yaml.Node, message: str, code: str = "yaml-syntax") -> None:
        line, column = _mark(node)
        self.problems.append(Problem(code, message, line, column))

    def build(self, node: yaml.Node, path: Path) -> Any:
        if self.seen is not None:
            if id(node) in self.seen:
                return self.alias(node, path)
            self.seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, path)
        if self.depth >= MAX_NESTING:
            # A registry nests six levels deep; the builder recurses once a level, and Python's stack
            # is a thousand frames.
            self.refuse(
                node,
                _("nested over {MAX_NESTING} levels deep: not a registry").format(MAX_NESTING=MAX_NESTING),
                code="schema",
            )
            return None
        self.depth += 1
        try:
            if isinstance(node, yaml.MappingNode):
                return self.build_mapping(node, path)
            if isinstance(node, yaml.SequenceNode):
                return self.build_sequence(node, path)
        finally:
            self.depth -= 1
        raise AssertionError(f"unknown YAML node {node!r}")  # pragma: no cover

    def alias(self, node: yaml.Node, path: Path) -> None:
        # The composer hands an alias back as the very node it names, with the anchor's position:
        # the alias is located at the key (or list) that holds it.
        holder = path[:-1] if path and isinstance(path[-1], int) else path
        line, column = self.positions.get(holder, _mark(node))
        message = _("aliases (*name) are not allowed in a registry: write the value out")
        self.problems.append(Problem("yaml-syntax", message, line, column, path=dotted(path)))

    def build_sequence(self, node: yaml.SequenceNode, path: Path) -> list[Any] | None:
        if node.tag != _SEQ_TAG:
            self.refuse(
                node,
                _("the tag {tag!r} is not allowed in a registry (nothing is constructed)").format(
                    tag=node.tag
                ),
            )
            return None
        if not self.locate:
            return [self.build(item, path) for item in node.value]
        items = []
        for index, item in enumerate(node.value):
            self.positions[(*path, index)] = _mark(item)
            items.append(self.build(item, (*path, index)))
        return items

    def scalar(self, node: yaml.ScalarNode, path: Path) -> Any:
        tag, text = node.tag, node.value
        # The common cases directly; the rest through PyYAML's own constructors.
        if tag == _STR:
            return text
        if tag == _NULL:
            return None
        if tag in (_INT, _FLOAT) and len(text) > MAX_NUMBER_CHARS:
            return self.bounded(node, path, text, None)
        if tag == _INT and text.isdigit() and (len(text) == 1 or text[0] != "0"):  # 012 is octal in YAML 1.1
            return self.bounded(node, path, text, int(text))
        if tag in (_INT, _FLOAT) and _READ_TWO_WAYS.search(text):
            self.refuse(
                node,
                _(
                    "the number {text} reads one way in YAML 1.1 (a leading 0 is octal, 1:18 is base 60, _ "
                    "is dropped) and another in YAML 1.2, as editors and xiaozhen's writer read it: write it "
                    "in plain digits"
                ).format(text=text),
            )
            return None
        if tag == _FLOAT:
            # Kept as written: 0.49999999999999999 is below one half; the float it rounds to is not.
            exact = _decimal(text)
            if exact is not None:
                return self.bounded(node, path, text, exact)
        if tag == _TIMESTAMP and len(text) == 10:
            try:
                return date.fromisoformat(text)
            except ValueError:
                pass
        method = _SCALAR_TAGS.get(tag)
        if method is None:
            self.refuse(
                node,
                _("the tag {tag!r} is not allowed in a registry (nothing is constructed)").format(tag=tag),
            )
            return None
        try:
            value = getattr(self.loader, method)(node)
        except (yaml.YAMLError, ValueError) as exc:
            self.refuse(node, _("cannot read the value {text!r}: {exc}").format(text=text, exc=exc))
            return None
        if isinstance(value, int) and not isinstance(value, bool):  # 0x…, 1_000, 1:30 in YAML 1.1
            return self.bounded(node, path, text, value)
        return value

    def bounded(self, node: yaml.ScalarNode, path: Path, text: str, value: int | Decimal | None) -> Any:
        """The number, or a `schema` problem where it is out of bounds (limits.py): never kept, so an
        absurd exponent or a thousand digits cost nothing later."""
        refusal = number_refusal(text, value)
        if refusal is None:
            return value
        line, column = _mark(node)
        self.problems.append(
            Problem(
                "schema",
                _("{dotted}: {refusal}").format(dotted=dotted(path), refusal=refusal),
                line,
                column,
                path=dotted(path),
            )
        )
        return None

    def build_mapping(self, node: yaml.MappingNode, path: Path) -> dict[Any, Any] | None:
        if node.tag != _MAP_TAG:
            self.refuse(
                node,
                _("the tag {tag!r} is not allowed in a registry (nothing is constructed)").format(
                    tag=node.tag
                ),
            )
            return None
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                self.refuse(
                    key_node, _("keys must be plain words (no merge keys, lists or mappings as keys)")
                )
                continue
            key = key_node.value if key_node.tag == _STR else self.build(key_node, path)
            if not isinstance(key, str | int) or isinstance(key, bool):
                key = str(key_node.value)
            if key in result:
                first = self.positions.get((*path, key), (None, None))
                line, column = _mark(key_node)
                self.problems.append(
                    Problem(
                        "duplicate-key",
                        _(
                            "the key '{key}' appears again (first at line {value}); the second would be lost"
                        ).format(key=key, value=first[0]),
                        line,
                        column,
                        path=dotted((*path, key)),
                    )
                )
                continue
            if self.locate:
                self.positions[(*path, key)] = _mark(key_node)
                result[key] = self.build(value_node, (*path, key))
            else:
                result[key] = self.build(value_node, path)
        return result


def _decimal(text: str) -> Decimal | None:
    try:
        value = Decimal(text.replace("_", ""))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def dotted(path: Path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


# What libyaml (and PyYAML's composer) says of a file that is not YAML: the problems and their contexts,
# marked for the catalog so that a Chinese reader reads them in Chinese; one not listed stays as said.
YAML_WORDS = (
    N_("did not find expected node content"),
    N_("did not find expected key"),
    N_("did not find expected '-' indicator"),
    N_("did not find expected ',' or ']'"),
    N_("did not find expected ',' or '}'"),
    N_("did not find expected <document start>"),
    N_("did not find expected comment or line break"),
    N_("did not find expected whitespace or line break"),
    N_("did not find expected alphabetic or numeric character"),
    N_("found unexpected end of stream"),
    N_("found character that cannot start any token"),
    N_("found a tab character that violates indentation"),
    N_("found a tab character where an indentation space is expected"),
    N_("found unknown escape character"),
    N_("found unexpected document indicator"),
    N_("found undefined tag handle"),
    N_("mapping values are not allowed in this context"),
    N_("block sequence entries are not allowed in this context"),
    N_("could not find expected ':'"),
    N_("but found another document"),
    N_("expected a single document in the stream"),
    N_("while parsing a block mapping"),
    N_("while parsing a block collection"),
    N_("while parsing a flow sequence"),
    N_("while parsing a flow mapping"),
    N_("while parsing a flow node"),
    N_("while parsing a block node"),
    N_("while parsing a node"),
    N_("while scanning a simple key"),
    N_("while scanning a quoted scalar"),
    N_("while scanning a plain scalar"),
    N_("while scanning a block scalar"),
    N_("while scanning an anchor"),
    N_("while scanning an alias"),
    N_("while scanning a tag"),
    N_("while scanning a directive"),
)


def parse_yaml(text: str, *, locate: bool = True) -> Parsed:
    """Parse one YAML document into plain data; problems instead of exceptions.

    With `locate`, the position of every key and item is recorded too. That costs a third of the time
    and most of the memory of a large file, so a caller that expects a valid file parses without it and
    parses again, locating, only when there is a problem to show.
    """
    loader = _Loader(text)
    try:
        with _collector_paused():
            try:
                node = loader.get_single_node()
            except yaml.MarkedYAMLError as exc:
                mark = exc.problem_mark or exc.context_mark
                if exc.context_mark is not None and "end of stream" in (exc.problem or ""):
                    mark = exc.context_mark  # an unclosed quote or bracket: show where it was opened
                line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
                # libyaml's words, in the reader's language where the catalog has them (YAML_WORDS)
                what = _(exc.problem or exc.context or N_("invalid YAML"))
                if exc.context and exc.problem:
                    what = _("{problem} ({context})").format(problem=_(exc.problem), context=_(exc.context))
                return Parsed(None, {}, [Problem("yaml-syntax", what, line, column)])
            except yaml.reader.ReaderError as exc:  # a character YAML does not allow
                # libyaml counts the position in bytes of UTF-8, not in characters
                before = text.encode("utf-8")[: exc.position].decode("utf-8", errors="ignore")
                line, column = before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1
                shown = f"U+{exc.character:04X}" if isinstance(exc.character, int) else repr(exc.character)
                message = _("the character {shown} is not allowed in YAML text (a control character)").format(
                    shown=shown
                )
                return Parsed(None, {}, [Problem("yaml-syntax", message, line, column)])
            except yaml.YAMLError as exc:  # pragma: no cover - every other error is marked
                return Parsed(None, {}, [Problem("yaml-syntax", str(exc).splitlines()[0], 1, 1)])
            if node is None:
                return Parsed(None, {}, [])
            builder = _Builder(loader, locate, anchored="&" in text)
            data = builder.build(node, ())
            return Parsed(data, builder.positions, builder.problems, town_starts(text, node))
    finally:
        loader.dispose()


# How the registry writes a town: an item of the block list under `towns:`, its first key on the dash's line.
_ITEM = "  - "


def town_starts(text: str, root: yaml.Node) -> list[int] | None:
    """The offset in `text` where each town's block begins (the line of its dash), when `towns` is the
    last key of the top-level block mapping, at column 1, and a block list of block mappings each written
    `  - key: …`. A block then runs to the next one's start, the last to the end of the text, and holds
    whatever follows the town up to there (a blank line, comments). Else None: the file is laid out
    otherwise, and an edit round-trips it whole."""
    if not isinstance(root, yaml.MappingNode) or root.flow_style or not root.value:
        return None
    key, towns = root.value[-1]
    if not (
        isinstance(key, yaml.ScalarNode)
        and key.value == "towns"
        and key.start_mark.column == 0
        and isinstance(towns, yaml.SequenceNode)
        and not towns.flow_style
    ):
        return None
    starts = []
    for item in towns.value:
        # The C parser's marks count characters (the pure-Python one's too).
        begin = item.start_mark.index - len(_ITEM)
        if (
            not isinstance(item, yaml.MappingNode)
            or item.flow_style
            or text[begin : item.start_mark.index] != _ITEM
            or (begin > 0 and text[begin - 1] != "\n")
        ):
            return None
        starts.append(begin)
    return starts


def decode(raw: bytes) -> tuple[str | None, list[Problem]]:
    """UTF-8 text (a BOM is allowed and dropped), or a located problem."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [
            Problem(
                "file-encoding",
                _("byte {value:#04x} is not UTF-8: save the file as UTF-8").format(value=raw[exc.start]),
                line,
                column,
            )
        ]
    breaks = _HIDDEN_BREAK.search(text)
    crlf = "\r\n" in text
    mixed = crlf and _BARE_LF.search(text)
    if breaks or mixed:
        at = breaks.start() if breaks else mixed.start()  # type: ignore[union-attr]
        line = text.count("\n", 0, at) + 1  # as git and GitHub number lines
        column = at - (text.rfind("\n", 0, at) + 1) + 1
        message = (
            _(
                "a line break (U+{code:04X}) that YAML counts and git and GitHub do not: what YAML reads "
                "here is not what a pull request shows; remove it"
            ).format(code=ord(text[at]))
            if breaks
            else _(
                "this line ends in LF, and line {crlf} in CRLF: save the file with one kind of line ending"
            ).format(crlf=text.count("\n", 0, text.index("\r\n")) + 1)
        )
        return None, [Problem("line-break", message, line, column)]
    if crlf:
        text = text.replace("\r\n", "\n")
    return text, []


# What makes a plain number read differently by YAML 1.1 (PyYAML, which validates) and 1.2 (ruamel, which
# edits; editors): a leading zero (octal in 1.1), a colon (base 60 in 1.1), an underscore (dropped in 1.1).
_READ_TWO_WAYS = re.compile(r"^[-+]?0[0-9_]|:|_")
# Line breaks YAML 1.1 counts (ruamel, PyYAML) that git and GitHub do not: a CR not before LF, U+0085,
# U+2028 and U+2029. A file with one can hide a key from a reviewer, and shifts every line number after it.
_HIDDEN_BREAK = re.compile("\r(?!\n)|[\x85\u2028\u2029]")
_BARE_LF = re.compile("(?<!\r)\n")
