"""Checking a parsed registry: the schema, then every rule of the notice and of the rulebooks in force
(the modules beside this one), each problem located, in the order of the file. Pure functions from data to
located problems; nothing is printed."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import TypeAdapter, ValidationError

from xiaozhen.i18n import _
from xiaozhen.limits import MAX_PROBLEMS, MAX_TOWNS
from xiaozhen.model.parse import Parsed
from xiaozhen.model.schema import (
    Registry,
    RegistryHeader,
    Town,
)
from xiaozhen.model.terms import Status
from xiaozhen.problems import Problem
from xiaozhen.rules.consistency import history_problems, lifecycle_problems
from xiaozhen.rules.registry_wide import declared, identity
from xiaozhen.rules.rulebooks import national_problems, rulebook_problems
from xiaozhen.rules.schema_errors import schema_problems
from xiaozhen.rules.standards import creation_standards

# Problems that leave no usable registry: read commands stop on these, and only on these.
STRUCTURAL = frozenset({"file-encoding", "file-size", "yaml-syntax", "duplicate-key", "schema"})


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
        report.problems.extend(identity(raw_towns, parsed))
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
        report.problems.extend(declared(registry, parsed))
    for index, checked in enumerate(towns):
        town = checked.town
        if town is not None:
            at = ("towns", index)
            own = checked.problems
            own.extend(creation_standards(town, registry.standards, parsed, at, strict=strict))
            own.extend(lifecycle_problems(town, registry, parsed, at))
            own.extend(history_problems(raw[index], town, parsed, at, strict=strict))
    report.problems.extend(p for town in towns if town.town is not None for p in town.problems)
    report.problems.extend(rulebook_problems(registry, parsed))
    if complete:
        sound = [(i, t.town) for i, t in enumerate(towns) if t.town is not None]
        report.problems.extend(national_problems(registry, sound, parsed, on or date.today(), documents))
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
        problems.extend(schema_problems(exc.errors(include_url=False), data, (), parsed))
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
            checks[index].problems.extend(schema_problems(own, raw, ("towns",), parsed))
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


# --- registry-wide -------------------------------------------------------------------------------


# --- the national norms (rulebooks) ------------------------------------------------------------


# --- creation standards (一) ---------------------------------------------------------------------


# --- lifecycle consistency -------------------------------------------------------------------------


# --- history ---------------------------------------------------------------------------------------


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
