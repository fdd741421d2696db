"""The notice's rules over a parsed registry: schema, creation standards (一), registry-wide checks and
lifecycle consistency (二, 三, 五(三)). Pure functions from data to located problems; nothing is printed.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from xiaozhen.errors import did_you_mean, some
from xiaozhen.i18n import N_, _
from xiaozhen.limits import MAX_PROBLEMS, MAX_TOWNS
from xiaozhen.model.fields import field_value, percent, shown
from xiaozhen.model.history import provenance, replay, same
from xiaozhen.model.parse import Parsed, Path, dotted
from xiaozhen.model.schema import (
    DATE_AS_NUMBER,
    NUMBER_AS_TEXT,
    Registry,
    RegistryHeader,
    ShareStandard,
    Standards,
    Town,
)
from xiaozhen.model.terms import SETTABLE, STAGES, Event, Result, Status
from xiaozhen.problems import FINDINGS, Problem

# Problems that leave no usable registry: read commands stop on these, and only on these.
STRUCTURAL = frozenset({"file-encoding", "file-size", "yaml-syntax", "duplicate-key", "schema"})

# Characters that join several industries in one string: 玉米深加工、旅游 is two industries.
_SEVERAL = re.compile(r"[、，,;；/／]|\s和\s")

_TOWNS = TypeAdapter(list[Town])
_TOWN = TypeAdapter(Town)


@dataclass
class TownCheck:
    """One town's own part of a check: its model (None when its schema is broken) and its problems."""

    town: Town | None
    problems: list[Problem]


@dataclass
class Report:
    """What validation found, and the registry when its structure is sound."""

    problems: list[Problem] = field(default_factory=list)
    registry: Registry | None = None
    summary: dict[str, Any] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def findings(self) -> list[Problem]:
        """Towns short of a creation standard: facts the registry records, not errors in the file."""
        return [p for p in self.problems if p.severity == "finding"]

    @property
    def ok(self) -> bool:
        """No errors: findings (a town short of a standard) and warnings (standards data without a
        history entry) do not make a registry invalid."""
        return not self.errors

    @property
    def structural(self) -> list[Problem]:
        return [p for p in self.problems if p.code in STRUCTURAL]


def check(
    parsed: Parsed,
    *,
    strict: bool = False,
    on: date | None = None,
    documents: Collection[str] | None = None,
) -> Report:
    """Every problem in a parsed registry, sorted by position: the notice's rules, and the rulebooks in
    force `on` that day (default today), or only those `documents` names."""
    report = Report(problems=list(parsed.problems))
    data = parsed.data
    if data is None:
        if not report.problems:
            report.problems.append(
                Problem(
                    "schema",
                    _(
                        "the file is empty: a registry is a mapping of registry, standards, declared and "
                        "towns"
                    ),
                    1,
                    1,
                )
            )
        return report
    if not isinstance(data, dict):
        report.problems.append(
            Problem(
                "schema",
                _("a registry is a mapping of registry, standards, declared and towns, not a {kind}").format(
                    kind=_kind(data)
                ),
                1,
                1,
            )
        )
        return _sorted(report)
    header = _header(data, parsed, report.problems)
    raw_towns = data.get("towns")
    if isinstance(raw_towns, list) and len(raw_towns) > MAX_TOWNS:  # before a town is validated
        line, column = parsed.locate(("towns",))
        report.problems.append(
            Problem(
                "schema",
                _("towns holds {n} items; a registry holds at most {most} towns").format(
                    n=f"{len(raw_towns):,}", most=f"{MAX_TOWNS:,}"
                ),
                line,
                column,
                path="towns",
            )
        )
        return _sorted(report)
    raw = raw_towns if isinstance(raw_towns, list) else []
    towns = _towns(raw, parsed)
    # Schema problems (of towns without a model) first, then the registry-wide and the towns' rules.
    report.problems.extend(p for town in towns if town.town is None for p in town.problems)
    if isinstance(raw_towns, list):
        report.problems.extend(_identity(raw_towns, parsed))
    if header is None:
        return _sorted(report)
    # The rules run on every town that is sound, even when another town is not, so that one pass
    # reports everything; the registry itself is only handed out when the whole file is sound.
    registry = Registry.model_construct(
        registry=header.registry,
        standards=header.standards,
        declared=header.declared,
        rulebooks=header.rulebooks,
        province=header.province,
        towns=[t.town for t in towns if t.town is not None],
    )
    complete = isinstance(raw_towns, list) and len(registry.towns) == len(raw_towns)
    if complete:
        report.problems.extend(_declared(registry, parsed))
    for index, checked in enumerate(towns):
        town = checked.town
        if town is not None:
            at = ("towns", index)
            own = checked.problems
            own.extend(_standards(town, registry.standards, parsed, at, strict=strict))
            own.extend(_lifecycle(town, registry, parsed, at))
            own.extend(_history(raw[index], town, parsed, at, strict=strict))
    report.problems.extend(p for town in towns if town.town is not None for p in town.problems)
    report.problems.extend(_rulebooks(registry, parsed))
    if complete:
        sound = [(i, t.town) for i, t in enumerate(towns) if t.town is not None]
        report.problems.extend(_national(registry, sound, parsed, on or date.today(), documents))
    if not report.structural:
        report.registry = registry
        report.summary = summarise(registry)
    return _sorted(report)


def _sorted(report: Report) -> Report:
    report.problems.sort(key=Problem.sort_key)
    return report


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "mapping"
    if value is None:
        return "null"
    return type(value).__name__


# --- schema --------------------------------------------------------------------------------------


def _header(data: dict[str, Any], parsed: Parsed, problems: list[Problem]) -> RegistryHeader | None:
    try:
        return RegistryHeader.model_validate(data)
    except ValidationError as exc:
        problems.extend(_schema_problems(exc.errors(include_url=False), data, (), parsed))
        return None


def _towns(raw: list[Any], parsed: Parsed) -> list[TownCheck]:
    """Each town's check: validated (every schema error of every town at once)."""
    checks = [TownCheck(None, []) for _town in raw]
    try:
        for checked, model in zip(checks, _TOWNS.validate_python(raw), strict=True):
            checked.town = model
    except ValidationError as exc:
        errors: dict[int, list[Any]] = {}
        found = exc.errors(include_url=False)
        for error in found[:MAX_PROBLEMS]:  # explained and located; the rest only counted
            errors.setdefault(int(error["loc"][0]), []).append(error)
        for index, own in errors.items():
            checks[index].problems.extend(_schema_problems(own, raw, ("towns",), parsed))
        if len(found) > MAX_PROBLEMS:
            last = checks[max(errors)].problems
            # At the last problem listed, so that it is read last.
            line, column = max(((p.line or 0, p.column or 0) for p in last), default=(None, None))
            last.append(
                Problem(
                    "schema",
                    _("and {n} more schema problems in the towns, not listed: fix those above first").format(
                        n=f"{len(found) - MAX_PROBLEMS:,}"
                    ),
                    line,
                    column,
                    path="towns",
                )
            )
        broken = {int(error["loc"][0]) for error in found}  # explained or only counted
        for index, checked in enumerate(checks):
            if index not in broken:
                checked.town = _TOWN.validate_python(raw[index])
    return checks


def _town_problem(
    parsed: Parsed,
    town: Town,
    at: Path,
    code: str,
    message: str,
    where: tuple[str | int, ...],
    severity: str = "error",
) -> Problem:
    """A problem of `town` at `where` inside it (`at` is its place in the file), its name first."""
    line, column = parsed.locate((*at, *where))
    return Problem(
        code,
        _("{name}: {message}").format(name=town.name, message=message),
        line,
        column,
        town=town.id,
        path=dotted((*at, *where)),
        severity=severity,
    )


def _schema_problems(errors: list[Any], data: Any, prefix: Path, parsed: Parsed) -> Iterator[Problem]:
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
    return message.removeprefix("Value error, ")  # our own validators' words (model.py)


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
        model.Provenance,
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


# --- registry-wide -------------------------------------------------------------------------------


def _identity(raw: list[Any], parsed: Parsed) -> Iterator[Problem]:
    """Unique ids and names, and id order; read from the raw data so a town with other errors counts."""
    ids: dict[int, int] = {}
    names: dict[str, int] = {}
    previous: int | None = None
    for index, town in enumerate(raw):
        if not isinstance(town, dict):
            continue
        tid, name = town.get("id"), town.get("name")
        if isinstance(tid, int) and not isinstance(tid, bool):
            line, column = parsed.locate(("towns", index, "id"))
            if tid in ids:
                yield Problem(
                    "duplicate-id",
                    _("id {tid} is also the id of towns[{value}]").format(tid=tid, value=ids[tid]),
                    line,
                    column,
                    town=tid,
                    path=f"towns[{index}].id",
                )
            else:
                ids[tid] = index
            if previous is not None and tid < previous:
                yield Problem(
                    "id-order",
                    _("id {tid} comes after id {previous}: towns are ordered by id").format(
                        tid=tid, previous=previous
                    ),
                    line,
                    column,
                    town=tid,
                    path=f"towns[{index}].id",
                )
            previous = tid
        if isinstance(name, str):
            # Compared as they look: full-width and compatibility forms folded (长春市 and 长春市 are one).
            seen = unicodedata.normalize("NFKC", name).replace(" ", "")
            if seen in names:
                line, column = parsed.locate(("towns", index, "name"))
                yield Problem(
                    "duplicate-name",
                    _("the name {name} is also the name of towns[{value}]").format(
                        name=name, value=names[seen]
                    ),
                    line,
                    column,
                    town=tid if isinstance(tid, int) else None,
                    path=f"towns[{index}].name",
                )
            else:
                names[seen] = index


def _declared(registry: Registry, parsed: Parsed) -> Iterator[Problem]:
    """Each batch's towns, as listed, against the totals its notice declared."""
    for index, declared in enumerate(registry.declared):
        towns = [t for t in registry.towns if t.batch == declared.batch]
        at = ("declared", index)
        if len(towns) != declared.total:
            line, column = parsed.locate((*at, "total"))
            yield Problem(
                "declared-mismatch",
                _("batch {batch} declares {total} towns; the registry lists {len}").format(
                    batch=declared.batch, total=declared.total, len=len(towns)
                ),
                line,
                column,
                path=dotted((*at, "total")),
            )
        dimensions: list[tuple[str, dict[Any, int] | None, Counter[Any]]] = [
            ("category", declared.category, Counter(t.listed_category for t in towns)),
            ("town_type", declared.town_type, Counter(t.town_type for t in towns)),
            ("prefecture", declared.prefecture, Counter(t.prefecture for t in towns)),
        ]
        for name, stated, counted in dimensions:
            if stated is None:
                continue
            for value in sorted(set(stated) | set(counted)):
                want, have = stated.get(value, 0), counted.get(value, 0)
                if want != have:
                    key = value.value
                    line, column = parsed.locate((*at, name, key))
                    listed = _(" as listed") if name == "category" else ""
                    yield Problem(
                        "declared-mismatch",
                        _("batch {batch} declares {want} {key}; the registry lists {have}{listed}").format(
                            batch=declared.batch, want=want, key=key, have=have, listed=listed
                        ),
                        line,
                        column,
                        path=dotted((*at, name, key)),
                    )


# --- the national norms (rulebooks) ------------------------------------------------------------


def _rulebooks(registry: Registry, parsed: Parsed) -> Iterator[Problem]:
    """A rule that names a check xiaozhen does not know, or bounds it so that nothing could meet it."""
    from xiaozhen.model.terms import CHECKS

    for b, book in enumerate(registry.rulebooks):
        for r, rule in enumerate(book.rules):
            at = ("rulebooks", b, "rules", r)
            if rule.check not in CHECKS:
                line, column = parsed.locate((*at, "check"))
                yield Problem(
                    "rulebook",
                    _(
                        "{document}: rule '{check}' is not a check xiaozhen knows{did_you_mean} (one of: "
                        "{some})"
                    ).format(
                        document=book.document,
                        check=rule.check,
                        did_you_mean=did_you_mean(rule.check, list(CHECKS)),
                        some=some(list(CHECKS)),
                    ),
                    line,
                    column,
                    path=dotted((*at, "check")),
                )
            elif rule.min is not None and rule.max is not None and rule.min > rule.max:
                line, column = parsed.locate((*at, "min"))
                yield Problem(
                    "rulebook",
                    _("{document} {clause}: min {min} is above max {max}").format(
                        document=book.document, clause=rule.clause, min=rule.min, max=rule.max
                    ),
                    line,
                    column,
                    path=dotted((*at, "min")),
                )


def _national(
    registry: Registry,
    towns: list[tuple[int, Town]],
    parsed: Parsed,
    on: date,
    documents: Collection[str] | None,
) -> Iterator[Problem]:
    """Each town outside a bound of a rulebook in force, a finding (marked 原则上 where the rule is
    advisory); a 建制镇 designated after a rule forbids it, an error; a list longer than its cap, a
    finding of the registry. Data not recorded is no finding here: `xiaozhen review` lists it."""
    from xiaozhen.rules import norms

    books = norms.in_force(registry.rulebooks, on, documents)
    if not books:
        return
    for index, town in towns:
        yield from _national_town(town, books, parsed, ("towns", index))
    for book in books:
        for rule in book.rules:
            if rule.check == "list_cap":
                found = norms.judge_list(registry, book, rule)
                if found.outcome is norms.Outcome.SHORT:
                    line, column = parsed.locate(("towns",))
                    yield Problem(
                        "list-cap", found.describe(), line, column, path="towns", severity="finding"
                    )


def _national_town(town: Town, books: list[Any], parsed: Parsed, at: Path) -> Iterator[Problem]:
    """One town's findings (and a designation's error) under the rulebooks `books`."""
    from xiaozhen.rules import norms

    if town.status == Status.EXITED:
        return
    for found in norms.judgements(town, books):
        if found.outcome is not norms.Outcome.SHORT:
            continue
        if found.check.kind == "town":
            named = max((h.date for h in town.history if h.event == Event.DESIGNATED), default=None)
            if town.status == Status.DESIGNATED and named is not None and named >= found.rulebook.in_force:
                yield _town_problem(
                    parsed,
                    town,
                    at,
                    "administrative-town-designated",
                    _("a 建制镇 designated on {date}, after {document} forbade it ({clause})").format(
                        date=named, document=found.rulebook.document, clause=found.rule.clause
                    ),
                    ("town_type",),
                )
            else:
                yield _town_problem(
                    parsed, town, at, "administrative-town", found.describe(), ("town_type",), "finding"
                )
            continue
        where = ("investment",) if found.rule.check == "leading_share" else ("indicators", found.rule.check)
        yield _town_problem(parsed, town, at, "national-norm", found.describe(), where, "finding")


# --- creation standards (一) ---------------------------------------------------------------------


def standards_problems(town: Town, standards: Standards) -> list[Problem]:
    """The creation standards' findings (一) of one town, unlocated: what `screen` answers for an
    applicant and `show` for a town, by the very rules `validate` applies."""
    return list(_standards(town, standards, Parsed(None), (), strict=False))


def town_findings(
    record: Mapping[str, Any], registry: Mapping[str, Any], on: date | None = None
) -> list[Problem]:
    """A town's findings from its record and the registry's standards and rulebooks in force `on` (default
    today), as read commands hold them (`show`)."""
    from xiaozhen.model.schema import Rulebook
    from xiaozhen.rules import norms

    town = Town.model_validate(record)
    books = [Rulebook.model_validate(b) for b in registry.get("rulebooks", [])]
    found = standards_problems(town, Standards.model_validate(registry["standards"]))
    found.extend(_national_town(town, norms.in_force(books, on or date.today()), Parsed(None), ()))
    return found


def _standards(
    town: Town, standards: Standards, parsed: Parsed, at: Path, *, strict: bool
) -> Iterator[Problem]:
    if town.status == Status.EXITED:
        return  # the standards apply to towns in creation or designated, not to those that left

    def problem(code: str, message: str, *where: str | int) -> Problem:
        severity = "finding" if code in FINDINGS else "error"  # impossible amounts are errors
        return _town_problem(parsed, town, at, code, message, where, severity)

    industry = town.leading_industry
    if isinstance(industry, list):
        yield problem(
            "single-industry",
            _("leading_industry is a list of {len}; a town has one leading industry (一镇一主业)").format(
                len=len(industry)
            ),
            "leading_industry",
        )
    elif isinstance(industry, str) and not industry.strip():
        yield problem("single-industry", _("leading_industry is empty"), "leading_industry")
    elif isinstance(industry, str) and _SEVERAL.search(industry):
        yield problem(
            "single-industry",
            _("leading_industry '{industry}' names several industries; a town has one (一镇一主业)").format(
                industry=industry
            ),
            "leading_industry",
        )

    if town.plan is not None:
        required = standards.plan_conforms_to
        missing = [p for p in required.value if p not in town.plan.conforms_to]
        if missing:
            yield problem(
                "plan-conformity",
                _("the plan does not state conformity with {value} ({clause})").format(
                    value="、".join(missing), clause=required.clause
                ),
                "plan",
                "conforms_to",
            )

    if town.developer is not None and town.developer.ownership is not None:
        allowed = standards.developer_ownership
        if town.developer.ownership not in allowed.value:
            yield problem(
                "developer-ownership",
                _(
                    "developer ownership '{ownership}' is not an enterprise type of {clause}; use one of "
                    "{some}"
                ).format(ownership=town.developer.ownership, clause=allowed.clause, some=some(allowed.value)),
                "developer",
                "ownership",
            )

    if town.investment is not None:
        yield from _investment(town, standards.leading_industry_min_share, problem)

    if strict:
        for key in ("leading_industry", "investment", "developer", "plan"):
            if getattr(town, key) is None:
                yield problem("missing-data", _("{key} is not recorded").format(key=key), key)


def _investment(town: Town, minimum: ShareStandard, problem: Any) -> Iterator[Problem]:
    inv = town.investment
    assert inv is not None
    if inv.total <= 0:
        yield problem(
            "investment-range",
            _("investment.total is {total}; it must be above 0").format(total=inv.total),
            "investment",
            "total",
        )
        return
    if not 0 <= inv.leading_industry <= inv.total:
        yield problem(
            "investment-range",
            _("investment.leading_industry {leading_industry} is outside 0..{total} (the total)").format(
                leading_industry=inv.leading_industry, total=inv.total
            ),
            "investment",
            "leading_industry",
        )
        return
    share = inv.leading_industry / inv.total
    if share < minimum.value:  # Decimal: 5/10 is exactly 0.5 and passes; 4.99/10 fails
        yield problem(
            "leading-industry-share",
            _(
                "leading-industry investment is {percent} of the total; the standard requires at least "
                "{percent2} ({clause})"
            ).format(percent=percent(share), percent2=percent(minimum.value), clause=minimum.clause),
            "investment",
            "leading_industry",
        )


# --- lifecycle consistency -------------------------------------------------------------------------


def _lifecycle(town: Town, registry: Registry, parsed: Parsed, at: Path) -> Iterator[Problem]:
    def problem(message: str, *where: str | int) -> Problem:
        line, column = parsed.locate((*at, *where))
        return Problem(
            "lifecycle",
            _("{name}: {message}").format(name=town.name, message=message),
            line,
            column,
            town=town.id,
            path=dotted((*at, *where)),
        )

    if STAGES.index(town.category) < STAGES.index(town.listed_category):
        yield problem(
            _(
                "category {category} is behind the stage it was listed under ({listed_category}); stages "
                "only move forward"
            ).format(category=town.category, listed_category=town.listed_category),
            "category",
        )

    first_year = registry.listing_year(town)
    years: dict[int, int] = {}
    for index, assessment in enumerate(town.assessments):
        if assessment.year in years:
            yield problem(
                _("two assessments for {year}; one per year").format(year=assessment.year),
                "assessments",
                index,
                "year",
            )
        years[assessment.year] = index
        if first_year is not None and assessment.year < first_year:
            yield problem(
                _("an assessment for {year}, before the town was listed ({first_year})").format(
                    year=assessment.year, first_year=first_year
                ),
                "assessments",
                index,
                "year",
            )
        if assessment.date is not None and assessment.year > assessment.date.year:
            yield problem(
                _("an assessment for {year} recorded on {date}, before that year").format(
                    year=assessment.year, date=assessment.date
                ),
                "assessments",
                index,
                "year",
            )

    failed = [a for a in town.assessments if a.result == Result.FAIL]
    if town.status == Status.CREATING and failed:
        yield problem(
            _(
                "failed the {year} assessment (不达标) but is still 创建中; "
                "a failing year exits the town (二(三))"
            ).format(year=failed[0].year),
            "status",
        )
    if town.status == Status.DESIGNATED:
        latest = town.latest_assessment()
        year = registry.standards.designation_year
        if latest is None or latest.result != Result.PASS or latest.year < year.value:
            yield problem(
                _(
                    "is 已认定 but its latest assessment is not a 达标 year from {value} on "
                    "(二(四), {clause})"
                ).format(value=year.value, clause=year.clause),
                "status",
            )

    dates = [h.date for h in town.history]
    for index in range(1, len(dates)):
        if dates[index] < dates[index - 1]:
            yield problem(
                _("history entry {value} ({value2}) is dated before the entry above it").format(
                    value=index + 1, value2=dates[index]
                ),
                "history",
                index,
                "date",
            )


# --- history ---------------------------------------------------------------------------------------

# What records each status, for the message of a status that its history does not explain.
_RECORDED_BY = {
    Status.EXITED: N_(
        "a town exits with `xiaozhen withdraw TOWN --reason …`, a 不达标 `xiaozhen assess` or, cleared "
        "by the list review, `xiaozhen clear`"
    ),
    Status.DESIGNATED: N_("a town is designated with `xiaozhen designate`"),
    Status.CREATING: N_(
        "a wrong exit or designation is corrected with `xiaozhen reinstate` (or, for a 不达标 year, "
        "`xiaozhen assess --replace`), with its reason and document; a town that left otherwise returns "
        "only as a new application (`xiaozhen add`)"
    ),
}


def _history(raw: Any, town: Town, parsed: Parsed, at: Path, *, strict: bool) -> Iterator[Problem]:
    """The record against its history, replayed from the listing (history.replay): a stage, status or
    assessment that the history does not explain was changed by hand, not with the tool."""
    state = replay(raw)

    def problem(code: str, message: str, *where: str | int, severity: str = "error") -> Problem:
        return _town_problem(parsed, town, at, code, message, where, severity)

    if town.category.value != state.category:
        yield problem(
            "history",
            _(
                "category is {category}, but its history has it at {category2}: a stage is moved with "
                "`xiaozhen advance`, which records the move"
            ).format(category=town.category, category2=state.category),
            "category",
        )
    if town.name != state.name:
        yield problem(
            "history",
            _(
                "name is {name}, but its history has it {name2}: a town is renamed with `xiaozhen rename`, "
                "which records the document"
            ).format(name=town.name, name2=state.name),
            "name",
        )
    if town.status.value != state.status:
        yield problem(
            "history",
            _("status is {status}, but its history has it {status2}: {value}, which records it").format(
                status=town.status, status2=state.status, value=_(_RECORDED_BY[town.status])
            ),
            "status",
        )
    recorded = {a.year: (i, a.result.value) for i, a in enumerate(town.assessments)}
    for year, (index, result) in recorded.items():
        said = state.results.get(year)
        if said is None:
            yield problem(
                "history",
                _(
                    "the {year} assessment ({result}) has no history entry: results are recorded with "
                    "`xiaozhen assess` or `xiaozhen assess-import`"
                ).format(year=year, result=result),
                "assessments",
                index,
                "year",
            )
        elif said != result:
            yield problem(
                "history",
                _(
                    "the {year} assessment is {result}, but its history records {said}: a different result "
                    "is recorded with `xiaozhen assess --replace`"
                ).format(year=year, result=result, said=said),
                "assessments",
                index,
                "result",
            )
    for year, said in state.results.items():
        if year not in recorded:
            yield problem(
                "history",
                _(
                    "its history records the {year} assessment ({said}), but assessments has none: it was "
                    "removed by hand"
                ).format(year=year, said=said),
                "assessments",
            )
    severity = "error" if strict else "warning"
    for key in SETTABLE:
        current = field_value(raw, key)
        current = None if current == [] else current
        where = key.split(".")
        if key in state.data:
            said = state.data[key]
            if not same(said, current):
                yield problem(
                    "unrecorded-data",
                    _(
                        "{key} is {shown}, but its history last records {shown2}: data is changed with "
                        "`xiaozhen set`, which records the change"
                    ).format(key=key, shown=shown(current), shown2=shown(said)),
                    *where,
                    severity=severity,
                )
        elif current is not None:
            yield problem(
                "unrecorded-data",
                _(
                    "{key} is {shown} with no history entry: data is recorded with `xiaozhen set`, which "
                    "records it"
                ).format(key=key, shown=shown(current)),
                *where,
                severity=severity,
            )
    if strict:  # every recorded value says where it comes from (一 is judged on it)
        sources = provenance(raw)
        for key, origin in sources.items():
            if origin.source is None and field_value(raw, key) not in (None, []):
                yield problem(
                    "unsourced-data",
                    _(
                        "{key} was recorded on {recorded} with no source: record it again with `xiaozhen "
                        "set … --source TEXT`"
                    ).format(key=key, recorded=origin.recorded),
                    *key.split("."),
                )


# --- summary -------------------------------------------------------------------------------------


def summarise(registry: Registry) -> dict[str, Any]:
    """How much standards data is recorded: without --strict, missing data is counted, not a problem."""
    active = [t for t in registry.towns if t.status != Status.EXITED]
    recorded = {
        key: sum(1 for t in active if getattr(t, key) is not None)
        for key in ("leading_industry", "investment", "developer", "plan", "management")
    }
    return {
        "towns": len(registry.towns),
        "active": len(active),
        "by_status": dict(Counter(t.status.value for t in registry.towns)),
        "recorded": recorded,
    }
