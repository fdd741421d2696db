"""The record against the procedure: a town's stage, status and assessments consistent with the notice's
moves (二, 三, 五(三)), and with its history replayed from its listing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from xiaozhen.i18n import N_, _
from xiaozhen.model.fields import field_value, shown
from xiaozhen.model.history import provenance, replay, same
from xiaozhen.model.parse import Parsed, Path, dotted
from xiaozhen.model.schema import (
    Registry,
    Town,
)
from xiaozhen.model.terms import SETTABLE, STAGES, Result, Status
from xiaozhen.problems import Problem
from xiaozhen.rules.located import town_problem


def lifecycle_problems(town: Town, registry: Registry, parsed: Parsed, at: Path) -> Iterator[Problem]:
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


def history_problems(raw: Any, town: Town, parsed: Parsed, at: Path, *, strict: bool) -> Iterator[Problem]:
    """The record against its history, replayed from the listing (history.replay): a stage, status or
    assessment that the history does not explain was changed by hand, not with the tool."""
    state = replay(raw)

    def problem(code: str, message: str, *where: str | int, severity: str = "error") -> Problem:
        return town_problem(parsed, town, at, code, message, where, severity)

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
