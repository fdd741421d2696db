"""pydantic's schema errors as located problems, in the words of the reference's section on the registry
file: an unknown key with the closest known one, a wrong type with what was found."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from xiaozhen.errors import did_you_mean, some
from xiaozhen.i18n import N_, _
from xiaozhen.model.parse import Parsed, Path, dotted
from xiaozhen.model.schema import (
    DATE_AS_NUMBER,
    NUMBER_AS_TEXT,
)
from xiaozhen.problems import Problem


def schema_problems(errors: list[Any], data: Any, prefix: Path, parsed: Parsed) -> Iterator[Problem]:
    for path, error in _relevant(errors, data):
        full = (*prefix, *path)
        if parsed.refused(full):
            continue  # the parser refused the value itself (a number out of bounds): said once
        if prefix == () and full[:1] == ("towns",) and len(full) > 1:
            continue  # towns are checked on their own, with every error of every town
        line, column = parsed.locate(full)
        yield Problem(
            "schema",
            _("{value}: {explain}").format(
                value=dotted(full) or _("the registry"), explain=_explain(error, data, path)
            ),
            line,
            column,
            town=_town_id(parsed.data, full),
            path=dotted(full),
        )


def _relevant(errors: list[Any], data: Any) -> Iterator[tuple[Path, Any]]:
    """Each error with its place in the data; of a union's errors, those of the member the value was
    meant for. A note that is text or a number, given text with a control character, is refused for the
    character, not also for not being a number; a mapping with a bad value inside is refused for that
    value, not also for not being text."""
    placed = [(_data_path(data, e["loc"], e["type"]), e) for e in errors]
    specific = {path for path, e in placed if not _mismatch(e)}
    for path, error in placed:
        inner = any(p[: len(path)] == path and p != path for p in specific)
        if _mismatch(error) and (path in specific or inner):
            continue
        yield path, error


def _mismatch(error: Any) -> bool:
    """A value of another kind than a union member's (text for a number): what the other members say."""
    kind = str(error["type"])
    return kind.endswith(("_type", "_parsing")) or kind in (NUMBER_AS_TEXT, DATE_AS_NUMBER, "is_instance_of")


def _data_path(data: Any, loc: tuple[Any, ...], kind: str) -> Path:
    """The part of a pydantic location that names keys and items of the data (not union members)."""
    path: list[str | int] = []
    node = data
    for step, part in enumerate(loc):
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if (isinstance(node, dict) and part in node) or in_list:
            path.append(part)
            node = node[part]
        elif kind == "missing" and step == len(loc) - 1 and isinstance(node, dict):
            path.append(part)  # a missing key: located at its mapping
            node = None
    return tuple(path)


def _explain(error: Any, data: Any, path: Path) -> str:
    kind = error["type"]
    loc = error["loc"]
    if kind == "extra_forbidden":
        key = loc[-1]
        parent = _get(data, path[:-1])
        known = _known_keys(error, parent)
        return _("unknown key '{key}'{did_you_mean}").format(
            key=key, did_you_mean=did_you_mean(str(key), known)
        )
    if kind == "missing":
        return _("missing key '{key}'").format(key=loc[-1])
    found = error["input"]
    hint = did_you_mean(found, _expected(error)) if kind == "enum" and isinstance(found, str) else ""
    return _("{words} (found {found}){hint}").format(
        words=_in_our_words(error), found=_found(found), hint=hint
    )


# pydantic's error types, said as the reference's section on the registry file says them.
_WORDS = {
    "int_type": N_("should be a whole number, written without quotes"),
    "int_parsing": N_("should be a whole number, written without quotes"),
    "int_from_float": N_("should be a whole number"),
    "string_type": N_("should be text"),
    "string_too_short": N_("should not be empty"),
    "list_type": N_("should be a list (items on lines starting with `- `, or `[]`)"),
    "dict_type": N_("should be a mapping of keys and values"),
    "model_type": N_("should be a mapping of keys and values"),
    "model_attributes_type": N_("should be a mapping of keys and values"),
    "decimal_type": N_("should be a number"),
    "decimal_parsing": N_("should be a number"),
    "float_type": N_("should be a number"),
    "date_type": N_("should be a date written as YYYY-MM-DD"),
    "date_parsing": N_("should be a date written as YYYY-MM-DD"),
    "date_from_datetime_inexact": N_("should be a date written as YYYY-MM-DD"),
}


def _in_our_words(error: Any) -> str:
    kind, context = error["type"], error.get("ctx") or {}
    if kind in _WORDS:
        return _(_WORDS[kind])
    if kind == "string_pattern_mismatch":  # model.Line and model.Prose: say which character, and where
        from xiaozhen.limits import PROSE_REGEX, line_refusal, prose_refusal

        refusal = prose_refusal if context.get("pattern") == PROSE_REGEX else line_refusal
        return refusal(str(error["input"])) or _("should be plain text")
    if kind == "string_too_long":
        from xiaozhen.limits import too_long

        return too_long(str(error["input"]), int(context.get("max_length", 0))) or _("is too long")
    if kind == "enum":
        return _("should be one of {terms}").format(terms=some(_expected(error)))
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        bound = _found(next(iter(context.values()), ""))
        said = {
            "greater_than_equal": _("should be at least {bound}"),
            "greater_than": _("should be above {bound}"),
            "less_than_equal": _("should be at most {bound}"),
            "less_than": _("should be below {bound}"),
        }
        return said[kind].format(bound=bound)
    message = str(error["msg"])
    return message.removeprefix("Value error, ")  # our own validators' words (model/schema.py)


def _expected(error: Any) -> list[str]:
    """The values an enum error names ("'a', 'b' or 'c'")."""
    expected = str((error.get("ctx") or {}).get("expected", "")).replace(" or ", ", ")
    return [v.strip(" '") for v in expected.split(",") if v.strip(" '")]


def _found(value: Any) -> str:
    """A value as the file writes it: 1.0 rather than Decimal('1.0'), null rather than None."""
    if value is None:
        return "null"
    if isinstance(value, Decimal):
        return str(value)
    shown = repr(value) if isinstance(value, str | dict | list) else str(value)
    return shown if len(shown) <= 60 else shown[:57] + "..."


def _known_keys(error: Any, parent: Any) -> list[str]:
    from xiaozhen.model import schema as model

    models: list[type[BaseModel]] = [
        model.Town,
        model.Investment,
        model.Developer,
        model.Plan,
        model.Assessment,
        model.HistoryEntry,
        model.ListingDocument,
        model.Standards,
        model.Declared,
        model.RegistryHeader,
    ]
    keys: list[str] = []
    for m in models:
        names = [f.alias or name for name, f in m.model_fields.items()]
        if isinstance(parent, dict) and set(parent) - {error["loc"][-1]} <= set(names):
            keys.extend(names)
    return keys


def _get(data: Any, path: Path) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _town_id(data: Any, path: Path) -> int | None:
    if len(path) >= 2 and path[0] == "towns" and isinstance(path[1], int):
        town = _get(data, path[:2])
        if isinstance(town, dict) and isinstance(town.get("id"), int) and not isinstance(town["id"], bool):
            return int(town["id"])
    return None
