"""Recording an assessor's rows: each one an assessment through the lifecycle, all together or none,
with a summary of what was recorded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from xiaozhen.errors import LISTED, NoSuchTown, XiaozhenError
from xiaozhen.i18n import _, ngettext
from xiaozhen.model.terms import Status
from xiaozhen.sheets.imports import ImportRefused, Row, RowProblem


@dataclass
class ImportSummary:
    """What an import did, for its closing line."""

    path: Path
    rows: int
    recorded: int = 0
    unchanged: int = 0
    exited: int = 0

    def __str__(self) -> str:
        rows = ngettext("{n} row", "{n} rows", self.rows).format(n=f"{self.rows:,}")
        exited = ngettext("{n} town exited", "{n} towns exited", self.exited).format(n=f"{self.exited:,}")
        return _("{path}: {rows}; {recorded} recorded, {unchanged} already recorded, {exited}").format(
            path=self.path, rows=rows, recorded=self.recorded, unchanged=self.unchanged, exited=exited
        )


def record_rows(
    document: Any,
    rows: list[Row],
    problems: list[RowProblem],
    when: date,
    summary: ImportSummary,
    *,
    replace: bool = False,
) -> None:
    """Record every row in the edit's document; ImportRefused, naming every bad row, if any is bad.

    `problems` holds the rows that could not be read; the rows that name no town (or several), repeat a
    town and year, or that the procedure refuses are added to them.
    """
    from xiaozhen.actions import lifecycle
    from xiaozhen.actions.query import find_town

    names = {t.id: t.name for t in document.registry.towns}
    towns = list(names.items())
    seen: dict[tuple[int, int], int] = {}
    resolved = []
    # The rows naming no town, by number: their closest names are looked for only for the rows shown.
    unmatched: dict[int, str] = {}
    for row in rows:
        try:
            town_id = find_town(towns, row.town, suggest=False)
        except NoSuchTown as error:
            problems.append(RowProblem(row.number, str(error)))
            unmatched[row.number] = row.town
            continue
        except XiaozhenError as error:
            problems.append(RowProblem(row.number, str(error)))
            continue
        if (town_id, row.year) in seen:
            message = _("{id} {name} {year} is also in row {row}").format(
                id=town_id, name=names[town_id], year=row.year, row=seen[town_id, row.year]
            )
            problems.append(RowProblem(row.number, message))
            continue
        seen[town_id, row.year] = row.number
        resolved.append((row, town_id))
    for row, town_id in resolved:
        try:
            outcome = lifecycle.assess(
                document.town(town_id),
                document.registry,
                when,
                row.year,
                row.result,
                score=row.score,
                assessor=row.assessor,
                note=row.note,
                replace=replace,
                assessed_on=row.date,
            )
        except XiaozhenError as error:
            problems.append(RowProblem(row.number, str(error)))
            continue
        if isinstance(outcome, lifecycle.Unchanged):
            summary.unchanged += 1
            continue
        document.apply(outcome)
        summary.recorded += 1
        summary.exited += outcome.values.get("status") == Status.EXITED.value
    if problems:
        problems.sort(key=lambda p: p.number)
        for index, problem in enumerate(problems[:LISTED]):
            if problem.number in unmatched:
                try:
                    find_town(towns, unmatched[problem.number])
                except NoSuchTown as error:
                    problems[index] = RowProblem(problem.number, str(error))
        raise ImportRefused(summary.path, problems)
