"""A town's record read by field name or dotted path, and a value as a message shows it: the one way the
rules, the history, the changes and the queries read and show a value, kept apart from the queries and
the changes so that a check imports neither."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from xiaozhen.i18n import N_, _
from xiaozhen.model.terms import CHECKS, INDICATORS

# Each field by its key and by its Chinese name, as the exports head their columns. A person may type
# either wherever a field is asked for (filter 类别=培育类, tally --by 市(州), set 主导产业=…, --sort 总投资).
NAMES: dict[str, str] = {
    "id": "编号",
    "name": "名称",
    "prefecture": "市(州)",
    "county": "县(市)",
    "category": "类别",
    "listed_category": "公布类别",
    "town_type": "建制镇/非建制镇",
    "status": "状态",
    "batch": "批次",
    "leading_industry": "主导产业",
    "investment.total": "总投资(亿元)",
    "investment.leading_industry": "主导产业投资(亿元)",
    "leading_share": "主导产业投资占比",
    "developer.name": "建设主体",
    "developer.ownership": "建设主体性质",
    "plan.title": "规划",
    "plan.approved": "规划批准日期",
    "management": "管理机构",
}
# The data the national norms judge, by the words of the documents and in their units (terms.CHECKS).
NORMS_NAMES: dict[str, str] = {
    "industry_class": "小镇类别",
    **{
        f"indicators.{key}": f"{CHECKS[key].name}({CHECKS[key].unit})"
        if CHECKS[key].unit
        else CHECKS[key].name
        for key in INDICATORS
    },
}
# A field that is no column of the towns sheet (its items have rows of their own, or the national norms
# data, which the JSON export carries and the workbook and database hold apart), by its Chinese name.
_NOT_COLUMNS = {"plan.conforms_to": "规划符合", **NORMS_NAMES}
# Other names the office writes for a field: the forms' and the notice's words.
_ALSO = {
    "小镇名称": "name",
    "市州": "prefecture",
    "县(市、区)": "county",
    "县": "county",
    "镇类型": "town_type",
    "规划名称": "plan.title",
    "管委会": "management",
}
_UNIT = re.compile(r"\((?:亿元|万元|平方公里|万元/亩|万元/人|人|万人次)\)$")


def _folded(text: str) -> str:
    """A field's name as typed, folded: full-width brackets and letters, spaces, a unit in brackets."""
    import unicodedata

    return _UNIT.sub("", re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)))


_BY_NAME = {_folded(name): key for key, name in (NAMES | _NOT_COLUMNS).items()} | {
    _folded(n): k for n, k in _ALSO.items()
}


def chinese_name(key: str) -> str:
    """A field's Chinese name (主导产业 for leading_industry); the key itself for one without."""
    return NAMES.get(key) or _NOT_COLUMNS.get(key, key)


# Each key as a person reads it: the key in English, its Chinese name in Chinese (the catalog says so).
# Only JSON, the file and the CSV's first row keep the keys themselves.
LABELS = (
    N_("id"),
    N_("name"),
    N_("prefecture"),
    N_("county"),
    N_("category"),
    N_("listed_category"),
    N_("town_type"),
    N_("status"),
    N_("batch"),
    N_("leading_industry"),
    N_("investment"),
    N_("investment.total"),
    N_("investment.leading_industry"),
    N_("leading_share"),
    N_("developer"),
    N_("developer.name"),
    N_("developer.ownership"),
    N_("plan"),
    N_("plan.title"),
    N_("plan.approved"),
    N_("plan.conforms_to"),
    N_("management"),
    # an assessment's, in the entry that replaced it
    N_("result"),
    N_("score"),
    N_("assessor"),
)


def percent(share: Any) -> str:
    """A share as a percentage, exactly to two places: 0.499 is 49.9%."""
    text = f"{Decimal(str(share)) * 100:.2f}".rstrip("0").rstrip(".")
    return f"{text}%"


def norms_value(key: str, value: Any) -> Any:
    """A national norms' datum as a reader reads it: a share as a percentage (0.35 is 35%)."""
    check = CHECKS.get(key.removeprefix("indicators."))
    if check is None or check.kind != "share" or isinstance(value, bool):
        return value
    return percent(value)


def label(key: str) -> str:
    """A field as a person reads it, in the reader's language: leading_industry, or 主导产业."""
    if key in NORMS_NAMES:  # named by the documents' own words, which the catalog need not repeat
        from xiaozhen.i18n import speaking

        return NORMS_NAMES[key] if speaking() == "zh" else key
    return _(key)


def field_key(text: str) -> str:
    """The key a field's name stands for (类别 → category, 总投资（亿元） → investment.total); anything else
    as it is, for the caller to accept as a key or refuse."""
    return _BY_NAME.get(_folded(text), text.strip())


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


def plain_number(value: Decimal) -> int | float:
    """A number as the registry file and JSON write it: 30, not 30.0 or Decimal('30'); 21.5 as 21.5."""
    return int(value) if value == value.to_integral_value() else float(value)
