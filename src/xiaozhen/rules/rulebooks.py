"""The rulebooks of the later national documents, as the registry records them: each sound, and each town
judged by those in force on a day (norms.py judges; this places the findings)."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from datetime import date
from typing import Any

from xiaozhen.errors import did_you_mean, some
from xiaozhen.i18n import _
from xiaozhen.model.parse import Parsed, Path, dotted
from xiaozhen.model.schema import (
    Registry,
    Town,
)
from xiaozhen.model.terms import Event, Status
from xiaozhen.problems import Problem
from xiaozhen.rules.located import town_problem


def rulebook_problems(registry: Registry, parsed: Parsed) -> Iterator[Problem]:
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


def national_problems(
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
        yield from national_town(town, books, parsed, ("towns", index))
    for book in books:
        for rule in book.rules:
            if rule.check == "list_cap":
                found = norms.judge_list(registry, book, rule)
                if found.outcome is norms.Outcome.SHORT:
                    line, column = parsed.locate(("towns",))
                    yield Problem(
                        "list-cap", found.describe(), line, column, path="towns", severity="finding"
                    )


def national_town(town: Town, books: list[Any], parsed: Parsed, at: Path) -> Iterator[Problem]:
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
                yield town_problem(
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
                yield town_problem(
                    parsed, town, at, "administrative-town", found.describe(), ("town_type",), "finding"
                )
            continue
        where = ("investment",) if found.rule.check == "leading_share" else ("indicators", found.rule.check)
        yield town_problem(parsed, town, at, "national-norm", found.describe(), where, "finding")
