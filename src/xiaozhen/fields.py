"""A town's record read by field name or dotted path, and a value as a message shows it: the one way the
rules, the history, the changes and the queries read and show a value, kept apart from the queries and
the changes so that a check imports neither."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any


def leading_share(town: Mapping[str, Any]) -> Decimal | None:
    """Leading-industry investment over total, exactly; None when not computable."""
    investment = town.get("investment")
    if not investment:
        return None
    total = Decimal(str(investment["total"]))
    return Decimal(str(investment["leading_industry"])) / total if total > 0 else None


def field_value(town: Mapping[str, Any], path: str) -> Any:
    """A town's value at a field name or dotted path; None where a part is not recorded."""
    if path == "leading_share":
        return leading_share(town)
    value: Any = town
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def shown(value: Any) -> str:
    """A recorded value as a message shows it: a list joined with 、, a standard with its clause."""
    if value is None:
        return "null"
    if isinstance(value, list):
        return "、".join(map(str, value))
    if isinstance(value, Mapping) and set(value) == {"clause", "value"}:
        return f"{shown(value['value'])} ({value['clause']})"
    return str(value)
