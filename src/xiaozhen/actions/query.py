"""Questions over towns: facets, filter expressions, sorting, finding one town, tallies. Returns data.

A town here is its record: the JSON-ready mapping with the registry's own keys that validation produces
(and the cache keeps), so answering a question needs neither the YAML parser nor the schema.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from xiaozhen.errors import AmbiguousTown, BadValue, NoSuchTown, did_you_mean, some
from xiaozhen.i18n import _
from xiaozhen.model.fields import field_key, field_value
from xiaozhen.model.terms import LISTED_STAGES, SETTABLE, Category, Prefecture, Status, TownType

Town = dict[str, Any]  # a town's record, as `xiaozhen list --format json` prints it
TOWN_KEYS = (
    "id",
    "name",
    "prefecture",
    "county",
    "category",
    "listed_category",
    "town_type",
    "status",
    "batch",
    "leading_industry",
    "investment",
    "developer",
    "plan",
    "management",
    "industry_class",
    "indicators",
    "assessments",
    "history",
)

# The dimensions `tally --by` and `list --sort` accept, with the order their values are shown in.
DIMENSIONS = ("category", "prefecture", "county", "town_type", "status", "batch")
_ORDER: dict[str, list[Any]] = {
    "category": [c.value for c in LISTED_STAGES],
    "prefecture": [p.value for p in Prefecture],
    "town_type": [t.value for t in TownType],
    "status": [s.value for s in Status],
}
NONE_LABEL = "(none)"


@dataclass
class Facets:
    """The `list` filters; each is None (any) or the value (the Chinese term) a town must have."""

    category: str | None = None
    prefecture: str | None = None
    county: str | None = None
    town_type: str | None = None
    status: str | None = None
    batch: int | None = None
    industry: str | None = None  # a fragment of leading_industry
    name: str | None = None  # a fragment of the name
    expressions: list[Expression] = field(default_factory=list)

    def check(self, towns: Sequence[Town]) -> None:
        """BadValue for a --county no town of the registry is in (a typo matches nothing silently),
        naming the closest county."""
        if self.county is None:
            return
        counties = sorted({t["county"] for t in towns if t["county"]})
        if not any(self._in_county(t) for t in towns):
            raise BadValue(
                _("--county '{county}': no town is in it{did_you_mean}").format(
                    county=self.county,
                    # a two-character name is too short for a close match (敦花 for 敦化市): its first
                    # character, where one county begins with it, is the better guess
                    did_you_mean=did_you_mean(self.county, counties)
                    or did_you_mean(self.county[:1], counties),
                )
            )

    def _in_county(self, town: Town) -> bool:
        return self.county is None or (town["county"] or "") in (
            self.county,
            self.county + "市",
            self.county + "县",
        )

    def match(self, town: Town) -> bool:
        return (
            (self.category is None or town["category"] == self.category)
            and (self.prefecture is None or town["prefecture"] == self.prefecture)
            and self._in_county(town)
            and (self.town_type is None or town["town_type"] == self.town_type)
            and (self.status is None or town["status"] == self.status)
            and (self.batch is None or town["batch"] == self.batch)
            and (self.industry is None or self.industry in _text(town["leading_industry"]))
            and (self.name is None or self.name in town["name"])
            and all(e.match(town) for e in self.expressions)
        )


def select(towns: Sequence[Town], facets: Facets, sort: str = "id") -> list[Town]:
    facets.check(towns)
    chosen = [t for t in towns if facets.match(t)]
    if sort != "id":
        chosen.sort(key=lambda t: (_sort_key(field_value(t, sort)), t["id"]))
    return chosen


def _sort_key(value: Any) -> tuple[int, Any]:
    if value is None:
        return (2, "")
    if isinstance(value, int | float | Decimal):
        return (0, Decimal(str(value)))
    return (1, str(value))


# --- fields and expressions ----------------------------------------------------------------------

# FIELD OP VALUE; the field by its key or its Chinese name (市(州)=延边), so anything but an operator.
_EXPR = re.compile(r"^\s*([^\s<>=!~]+?)\s*(<=|>=|!=|=|<|>|~)\s*(.*?)\s*$")
_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "=": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
DERIVED = ("leading_share",)


def known_fields() -> list[str]:
    return [*TOWN_KEYS, *DERIVED, *(k for k in SETTABLE if "." in k)]


# What kind of value each field holds, so that a comparison with a value of another kind is a usage
# error instead of a silent "no town matches". Fields not named here hold text.
NUMBERS = frozenset({"id", "batch", "investment.total", "investment.leading_industry", "leading_share"})
DATES = frozenset({"plan.approved"})
TERMS: dict[str, type[Any]] = {
    "category": Category,
    "listed_category": Category,
    "prefecture": Prefecture,
    "town_type": TownType,
    "status": Status,
}
# Mappings and lists: whether they are recorded (= null, != null), or what they contain (~).
COMPOSITES = frozenset({"investment", "developer", "plan", "assessments", "history", "plan.conforms_to"})
NULL = "null"


@dataclass(frozen=True)
class Expression:
    """FIELD OP VALUE, e.g. `investment.total>10`, `name~稻`, `category=培育类`; checked by
    parse_expression, so the value is of the field's kind."""

    field: str
    op: str
    value: str

    def match(self, town: Town) -> bool:
        actual = field_value(town, self.field)
        if self.op == "~":
            return actual is not None and self.value in _text(actual)
        if self.value == NULL:
            return (actual is None) == (self.op == "=")
        if actual is None:
            return self.op == "!="
        if self.field in NUMBERS:
            return _OPS[self.op](Decimal(str(actual)), Decimal(self.value))
        return _OPS[self.op](_text(actual), self.value)


def _text(value: Any) -> str:
    if value is None:
        return NULL
    if isinstance(value, list):
        return "、".join(_text(v) for v in value)
    return str(value)


def _as_number(text: str) -> Decimal | None:
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def parse_expression(text: str) -> Expression:
    """An expression whose value is of its field's kind; BadValue saying what is wrong otherwise."""

    from xiaozhen.model.terms import parse_term

    match = _EXPR.match(text)
    if not match:
        raise BadValue(
            _(
                "'{text}' is not an expression: write FIELD OP VALUE, with OP one of = != < <= > >= ~ "
                "(contains), e.g. investment.total>10 or name~稻"
            ).format(text=text)
        )
    name, op, value = match.groups()
    name = field_key(name)
    fields = known_fields()
    if name not in fields:
        raise BadValue(
            _("unknown field '{name}' in '{text}'{did_you_mean}; fields: {some}").format(
                name=name, text=text, did_you_mean=did_you_mean(name, fields), some=some(fields)
            )
        )
    if op == "~":
        return Expression(name, op, value)
    if value == NULL:
        if op not in ("=", "!="):
            raise BadValue(_("'{text}': null is compared with = or != only").format(text=text))
        return Expression(name, op, value)
    if name in COMPOSITES:
        raise BadValue(
            _("'{text}': {name} is compared with = null, != null or ~ (contains) only").format(
                text=text, name=name
            )
        )
    if name in NUMBERS and _as_number(value) is None:
        raise BadValue(
            _("'{text}': '{value}' is not a number, and {name} is one").format(
                text=text, value=value, name=name
            )
        )
    if name in DATES:
        from xiaozhen.model.terms import DATE_FORMS, parse_date

        try:
            value = parse_date(value).isoformat()  # compared as the records write dates
        except ValueError:
            raise BadValue(
                _("'{text}': '{value}' is not a date ({forms}), and {name} is one").format(
                    text=text, value=value, forms=_(DATE_FORMS), name=name
                )
            ) from None
    enum = TERMS.get(name)
    if enum is not None:
        if op not in ("=", "!="):
            raise BadValue(
                _("'{text}': {name} is one of its terms; compare it with = or != (or ~)").format(
                    text=text, name=name
                )
            )
        # The same spellings as the options: category=growth, prefecture=延边.
        value = parse_term(enum, value).value
    return Expression(name, op, value)


# --- the standards ------------------------------------------------------------------------------


def standards(registry: dict[str, Any]) -> list[dict[str, Any]]:
    """The standards the registry's rules apply, in the notice's order: key, clause, value, meaning."""
    from xiaozhen.model.terms import NOTICE_STANDARDS

    stated = registry["standards"]
    return [
        {"key": key, **stated[key], "meaning": notice.meaning} for key, notice in NOTICE_STANDARDS.items()
    ]


def rulebooks(registry: dict[str, Any]) -> list[dict[str, Any]]:
    """The notice's standards and each rulebook, by document: its number, date in force, note, and its
    rules (or standards), each with its clause; a rule with what its check reads and its bound."""
    from xiaozhen.model.schema import Rule
    from xiaozhen.model.terms import CHECKS
    from xiaozhen.rules import norms

    provenance = registry["registry"]
    documents: list[dict[str, Any]] = [
        {
            "document": provenance["document"],
            "title": provenance["title"],
            "issuer": provenance["issuer"],
            "in_force": str(provenance["issued"]),
            "note": None,
            "standards": standards(registry),
        }
    ]
    for book in registry.get("rulebooks") or []:
        rules = []
        for rule in book["rules"]:
            check = CHECKS.get(rule["check"])
            model = Rule.model_validate(rule)
            rules.append(
                {
                    **rule,
                    "name": check.name if check else None,
                    "bound": norms.bound_of(model),
                    "scope": norms.scope_of(model),
                }
            )
        documents.append({**{k: v for k, v in book.items() if k != "rules"}, "rules": rules})
    return documents


# --- finding one town ----------------------------------------------------------------------------


# What a name may carry that the annex's does not, or lack that it has: the county or city it begins
# with (吉林市, 榆树市, 延龙图新区), and "特色"/"特色产业" wording (大荒地稻香特色小镇).
_LEADING_UNIT = re.compile(r"^(?:吉林省)?(?:[\u4e00-\u9fff]{1,5}?(?:市|县|州|区))?")
_WORDING = re.compile(r"特色产业|特色|\s")


def name_core(name: str) -> str:
    """A name without its leading county or city, "特色" wording and spaces (full-width forms folded):
    the part two spellings of one town share."""
    import unicodedata

    text = _WORDING.sub("", unicodedata.normalize("NFKC", name))
    return _LEADING_UNIT.sub("", text, count=1) or text


def find_town(towns: Sequence[tuple[int, str]], key: str, *, suggest: bool = True) -> int:
    """The id of the town (given as id, name pairs) whose id is `key`, or whose name contains it, or,
    failing that, whose name without county and "特色" wording is that of `key` (name_core). Where none
    matches, the message names the closest towns (unless not `suggest`: an import asks only for the
    rows it shows)."""
    import unicodedata

    from xiaozhen.limits import clipped, whole_number

    text = unicodedata.normalize("NFKC", key).strip()
    if text.isdigit():  # any script's digits: an id, whether or not a town has it
        wanted = whole_number(text)
        if wanted is not None and any(town_id == wanted for town_id, _ in towns):
            return wanted
        raise NoSuchTown(_("no town has id {id}").format(id=clipped(text)))
    exact = [town_id for town_id, name in towns if name == text]
    if exact:
        return exact[0]
    found = [(town_id, name) for town_id, name in towns if text and text in name]
    if not found:
        core = name_core(text)
        cores = [(town_id, name, name_core(name)) for town_id, name in towns]
        found = [(town_id, name) for town_id, name, other in cores if core and core == other]
        found = found or [
            (town_id, name) for town_id, name, other in cores if len(core) >= 2 and core in other
        ]
        # a county written without its suffix (敦化雁鸣湖旅游小镇): the annex's core within the text
        found = found or [
            (town_id, name) for town_id, name, other in cores if len(other) >= 4 and other in core
        ]
    if not found:
        closest = _closest(text, towns) if suggest else ""
        raise NoSuchTown(_("no town's name contains '{key}'{closest}").format(key=key, closest=closest))
    if len(found) > 1:
        raise AmbiguousTown(key, found)
    return found[0][0]


# The longest text compared with the towns' names for a suggestion: a name is some twenty characters.
MAX_NAME_COMPARED = 100


def _closest(text: str, towns: Sequence[tuple[int, str]]) -> str:
    """ "; the closest: …" naming up to three towns whose names are most like `text`."""
    import difflib

    if len(text) > MAX_NAME_COMPARED:
        return ""  # no town's name is like it; and a comparison costs the product of the lengths
    core = name_core(text)
    scored = []
    for town_id, name in towns:
        matcher = difflib.SequenceMatcher(None, core, name_core(name), autojunk=False)
        scored.append((matcher.ratio(), town_id, name))
    best = sorted((s for s in scored if s[0] >= 0.4), key=lambda s: (-s[0], s[1]))[:3]
    return (
        _("; the closest: {towns}").format(towns="; ".join(f"{i} {n}" for _r, i, n in best)) if best else ""
    )


def find_record(towns: Sequence[Town], key: str) -> Town:
    """The record of the town that `key` names (see find_town)."""
    town_id = find_town([(t["id"], t["name"]) for t in towns], key)
    return next(t for t in towns if t["id"] == town_id)


# --- tallies -------------------------------------------------------------------------------------


@dataclass
class Tally:
    """Counts by one or two dimensions; `counts` is nested in the order of `by`."""

    by: list[str]
    counts: dict[str, Any]
    total: int
    rows: list[str]
    columns: list[str] = field(default_factory=list)

    def cell(self, row: str, column: str | None = None) -> int:
        value = self.counts.get(row, {} if column is not None else 0)
        return int(value.get(column, 0)) if column is not None else int(value)

    def row_total(self, row: str) -> int:
        value = self.counts.get(row, 0)
        return sum(value.values()) if isinstance(value, dict) else int(value)

    def column_total(self, column: str) -> int:
        return sum(self.cell(row, column) for row in self.rows)

    def as_dict(self) -> dict[str, Any]:
        return {"by": self.by, "counts": self.counts, "total": self.total}

    def transposed(self) -> Tally:
        """The same cross-table with rows and columns swapped."""
        counts = {column: {row: self.cell(row, column) for row in self.rows} for column in self.columns}
        return Tally(self.by[::-1], counts, self.total, list(self.columns), list(self.rows))


def _label(value: Any) -> str:
    return NONE_LABEL if value is None else str(value)


def _ordered(dimension: str, seen: set[Any]) -> list[str]:
    order = _ORDER.get(dimension)
    if order is not None:
        values = [v for v in order if v in seen] + sorted((v for v in seen if v not in order), key=_sort_key)
    else:
        values = sorted(seen, key=_sort_key)
    return [_label(v) for v in values]


def tally(towns: Sequence[Town], by: Sequence[str]) -> Tally:
    if not 1 <= len(by) <= 2:
        raise BadValue(_("tally takes --by once (counts) or twice (a cross-table)"))
    for dimension in by:
        if dimension not in DIMENSIONS:
            raise BadValue(
                _("cannot tally by '{dimension}'; use one of: {some}").format(
                    dimension=dimension, some=some(DIMENSIONS)
                )
            )
    first = by[0]
    rows = _ordered(first, {t[first] for t in towns})
    if len(by) == 1:
        counts: dict[str, Any] = dict.fromkeys(rows, 0)
        for town in towns:
            counts[_label(town[first])] += 1
        return Tally(list(by), counts, len(towns), rows)
    second = by[1]
    columns = _ordered(second, {t[second] for t in towns})
    nested: dict[str, dict[str, int]] = {row: {} for row in rows}
    for town in towns:
        cell = nested[_label(town[first])]
        key = _label(town[second])
        cell[key] = cell.get(key, 0) + 1
    for row in rows:  # every cell present, in column order, so JSON readers need no defaults
        nested[row] = {column: nested[row].get(column, 0) for column in columns}
    return Tally(list(by), nested, len(towns), rows, columns)
