"""Changing the registry's text with ruamel.yaml's round trip, at the cost of what changes.

ruamel.yaml's round-trip loader keeps comments, key order, quoting and blank lines, so that `git diff`
shows only the lines an edit changed. An edit changes a few towns, so only their blocks of text go
through it: each block in a small document of its own (`towns:` and the block), changed in place through
ruamel's public API, dumped, and put back at the offsets where the parser found it (`parse.town_starts`).
The rest of the file is not read by ruamel and not rewritten. A file laid out otherwise (no town starts)
is round-tripped whole. Either way the whole result is validated before it is written (`registry.edit`).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from xiaozhen.errors import Refused
from xiaozhen.i18n import _

# The small document a town's block is round-tripped in: the block is an item of this list, at the
# indentation it has in the file.
HEAD = "towns:\n"


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
    yaml.representer.add_representer(str, _text)
    # One date object used twice (an assessment and its history entry) must not become an &anchor.
    yaml.representer.ignore_aliases = lambda _data: True
    return yaml


_reader_resolver: Any = None  # PyYAML's resolver, made once: it is what the reader resolves plain text with


def _text(representer: Any, value: str) -> Any:
    """A new text value, quoted where xiaozhen's reader would take it for something else: ruamel.yaml
    follows YAML 1.2, the reader (libyaml through PyYAML) YAML 1.1, in which `1:0` is the number 60 and
    `yes` is true, so ruamel would write such a text bare and the file would read back otherwise."""
    import yaml as pyyaml

    global _reader_resolver
    if _reader_resolver is None:
        _reader_resolver = pyyaml.resolver.Resolver()  # type: ignore[no-untyped-call]
    node = representer.represent_str(value)
    tag = _reader_resolver.resolve(pyyaml.ScalarNode, value, (True, False))
    if node.style is None and tag != "tag:yaml.org,2002:str":
        node.style = "'"
    return node


def load(text: str) -> Any:
    return _yaml().load(text)


def dump(root: Any) -> str:
    buffer = io.StringIO()
    _yaml().dump(root, buffer)
    return buffer.getvalue()


@dataclass
class Block:
    """A span of the text that an edit re-rendered: the block of town `index` in the text before, and the
    text that replaces it (which may hold more towns than one: `add` appends to the last block)."""

    start: int
    end: int
    index: int
    text: str


class Document:
    """The towns an edit changes, as round-trip nodes changed in place, with the validated registry
    beside them. Blocks are loaded when a change first touches their town."""

    def __init__(self, text: str, registry: Any, starts: list[int] | None) -> None:
        self.text = text
        self.registry = registry
        self.messages: list[str] = []
        self._current: dict[int, Any] = {}
        # Where each town's block begins; None: the whole text is one document (a file laid out otherwise).
        self._starts = starts
        self._roots: dict[int, Any] = {}  # a block's index (-1: the whole text) -> its round-trip root
        self._index = {town.id: i for i, town in enumerate(registry.towns)}

    # --- reading ---------------------------------------------------------------------------------

    def town(self, town_id: int) -> Any:
        """The town as it stands now, after the changes already applied in this edit."""
        if town_id in self._current:
            return self._current[town_id]
        return self.registry.towns[self._index[town_id]]

    def town_node(self, town_id: int) -> Any:
        """The town's round-trip node."""
        root, position = self._root(self._index[town_id])  # ids come from the validated registry
        return root["towns"][position]

    def _root(self, index: int) -> tuple[Any, int]:
        """The round-trip document holding town `index`, and the town's position in its list."""
        if self._starts is None:
            if -1 not in self._roots:
                self._roots[-1] = load(self.text)
            return self._roots[-1], index
        if index not in self._roots:
            start, end = self._span(index)
            root = load(HEAD + self.text[start:end])
            if len(root["towns"]) != 1:  # not seen: the parser found one town from each start to the next
                raise Refused(_("towns[{index}]: its text does not read as one town").format(index=index))
            self._roots[index] = root
        return self._roots[index], 0

    def _span(self, index: int) -> tuple[int, int]:
        assert self._starts is not None
        end = self._starts[index + 1] if index + 1 < len(self._starts) else len(self.text)
        return self._starts[index], end

    # --- changing --------------------------------------------------------------------------------

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

        from xiaozhen.model.schema import Town

        # The next change to this town (a second row of an import) must see this one. A change that
        # breaks the town is left for the validation of the whole result to report, with its line.
        try:
            self._current[change.town] = Town.model_validate(node)
        except ValidationError:
            self._current.pop(change.town, None)

    def append_town(self, town: dict[str, Any]) -> None:
        """Append a town after the last (in the last town's block: what follows that town, such as a
        closing comment, stays where the whole-file round trip would put it)."""
        node = _mapping(town)
        node["history"] = _block_list(node, "history")
        node.yaml_set_start_comment("\n")  # a blank line before it, as between the other towns
        if not self.registry.towns:
            self._starts = None  # `towns: []`: a flow list, only the whole file knows how to grow it
        root, _position = self._root(len(self.registry.towns) - 1 if self.registry.towns else 0)
        root["towns"].append(node)

    # --- writing ---------------------------------------------------------------------------------

    def render(self) -> tuple[str, list[Block] | None]:
        """The new text, and the blocks that changed (None when the whole text was round-tripped)."""
        if self._starts is None:
            return (dump(self._roots[-1]) if self._roots else self.text), None
        blocks = []
        for index in sorted(self._roots):
            text = dump(self._roots[index]).removeprefix(HEAD)
            start, end = self._span(index)
            blocks.append(Block(start, end, index, text))
        return splice(self.text, blocks), blocks


def splice(text: str, blocks: list[Block]) -> str:
    """`text` with each block's span replaced by its new text (blocks in the order of the text)."""
    pieces, at = [], 0
    for block in blocks:
        pieces += [text[at : block.start], block.text]
        at = block.end
    pieces.append(text[at:])
    return "".join(pieces)


def _mapping(data: dict[str, Any]) -> Any:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    node = CommentedMap()
    for key, value in data.items():
        if isinstance(value, dict):
            value = _mapping(value)  # a round-trip node, which can hold a comment (see `_append`)
        elif isinstance(value, list):
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
        _hang_trailing_comment(node, trailing)


def _hang_trailing_comment(node: Any, comment: Any) -> None:
    """Hang `comment` after the innermost last value of `node`: hung on a key whose value is a mapping,
    ruamel writes it between the key and the mapping (a blank line inside a history entry)."""
    from ruamel.yaml.comments import CommentedMap

    key = list(node)[-1]
    value = node[key]
    if isinstance(value, CommentedMap) and value:
        _hang_trailing_comment(value, comment)
    else:
        node.ca.items[key] = [None, None, comment, None]


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
