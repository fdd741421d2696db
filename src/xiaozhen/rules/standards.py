"""The notice's creation standards (一) over a town: one leading industry, a conforming plan, an enterprise as
developer, a leading-industry share of at least the standard's, a management body."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

from xiaozhen.errors import some
from xiaozhen.i18n import _
from xiaozhen.model.fields import percent
from xiaozhen.model.parse import Parsed, Path
from xiaozhen.model.schema import (
    ShareStandard,
    Standards,
    Town,
)
from xiaozhen.model.terms import Status
from xiaozhen.problems import FINDINGS, Problem
from xiaozhen.rules.located import town_problem
from xiaozhen.rules.rulebooks import national_town

# Characters that join several industries in one string: 玉米深加工、旅游 is two industries.
_SEVERAL = re.compile(r"[、，,;；/／]|\s和\s")


def standards_problems(town: Town, standards: Standards) -> list[Problem]:
    """The creation standards' findings (一) of one town, unlocated: what `screen` answers for an
    applicant and `show` for a town, by the very rules `validate` applies."""
    return list(creation_standards(town, standards, Parsed(None), (), strict=False))


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
    found.extend(national_town(town, norms.in_force(books, on or date.today()), Parsed(None), ()))
    return found


def creation_standards(
    town: Town, standards: Standards, parsed: Parsed, at: Path, *, strict: bool
) -> Iterator[Problem]:
    if town.status == Status.EXITED:
        return  # the standards apply to towns in creation or designated, not to those that left

    def problem(code: str, message: str, *where: str | int) -> Problem:
        severity = "finding" if code in FINDINGS else "error"  # impossible amounts are errors
        return town_problem(parsed, town, at, code, message, where, severity)

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
