"""The yearly report: the results of one assessment year and what followed from them, computed once as
plain data that every format (report_tables, then render_report, report_html, report_docx) draws from.

A report on year Y covers the year after it, Y+1, from 1 January to 31 December (or to today, if that is
sooner): the year-Y results are recorded then, and the exits, stage moves and designations follow from
them. It compares the registry as it stood at the end of Y (`--as-of`) with the registry at the end of
the period, town by town (`diff`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal, cast

from xiaozhen.actions.changes import Difference, compare
from xiaozhen.errors import BadValue
from xiaozhen.i18n import _
from xiaozhen.model.fields import plain_number
from xiaozhen.model.history import registry_as_of
from xiaozhen.model.terms import LISTED_STAGES, Prefecture, Result, Status
from xiaozhen.reports.report_layout import (
    COMPARED,
    FORMAT,
    OUTCOMES,
    ROW_FIGURES,
    About,
    Band,
    ByPrefecture,
    ByStage,
    ComparedRow,
    ComparedYear,
    Correction,
    Coverage,
    DeclaredBatch,
    DeclaredRow,
    Finding,
    Headline,
    Listed,
    ListedTown,
    Outcomes,
    Reviewed,
    Scores,
    StageByPrefecture,
    StageByStatus,
    Stages,
    TownRef,
    YearlyReport,
)

STAGES = [c.value for c in LISTED_STAGES]
# What a report from a registry of sample data (registry.sample) is marked with, in its title and footer.
SAMPLE = "示例数据"
STATUSES = [s.value for s in Status]
PREFECTURES = [p.value for p in Prefecture]
# Score bands of the distribution, low to high: (label, lowest score in it).
BANDS = [
    ("<60", Decimal(0)),
    ("60–69", Decimal(60)),
    ("70–79", Decimal(70)),
    ("80–89", Decimal(80)),
    ("90–100", Decimal(90)),
]
# Standards data whose coverage is counted, as `validate` counts it.
COVERED = ("leading_industry", "investment", "developer", "plan", "management")
# Who publishes the report unless registry.publisher says: the office that assesses the towns and reports
# on them (二(三): 省新型城镇化工作领导小组办公室 entrusts the yearly assessment), not the notice's issuer.
PUBLISHER = "吉林省新型城镇化工作领导小组办公室"


def years_with_results(registry: Mapping[str, Any]) -> list[int]:
    return sorted({a["year"] for t in registry["towns"] for a in t.get("assessments") or []})


def default_year(registry: Mapping[str, Any]) -> int:
    years = years_with_results(registry)
    if not years:
        raise BadValue(_("no assessment result is recorded yet: there is no year to report on"))
    return years[-1]


def build(
    registry: Mapping[str, Any],
    year: int,
    today: date,
    keep: Callable[[Mapping[str, Any]], bool] = lambda _town: True,
    scope: str | None = None,
    narrowed: Sequence[str] = (),
    revision: str | None = None,
    generated: datetime | None = None,
) -> YearlyReport:
    """The report on assessment year `year`, for the towns `keep` accepts (at the end of the period);
    `revision` (the registry's commit and hash) and `generated` (when) go in its footer, `about`; and,
    where the year before has results too, its figures beside this year's."""
    first = date.fromisoformat(str(registry["registry"]["issued"]))
    if year < first.year:
        raise BadValue(
            _("--year {year} is before the first notice ({year2}): nothing was assessed then").format(
                year=year, year2=first.year
            )
        )
    if year not in years_with_results(registry):
        recorded = ", ".join(map(str, years_with_results(registry))) or _("none yet")
        raise BadValue(
            _("no result for {year} is recorded (years with results: {recorded})").format(
                year=year, recorded=recorded
            )
        )
    start, end, before, after, outcomes = _period(registry, year, today, keep)
    # The place it covers (a prefecture or county, else the province), and what else narrows it.
    title = f"{year}年度{scope or '吉林省'}特色产业小镇评估情况"
    title += f"（{'，'.join(narrowed)}）" if narrowed else ""
    if registry["registry"].get("sample"):
        title = f"【{SAMPLE}】{title}"
    # Every table by prefecture lists the same prefectures: each that has a town in the registry at the
    # end of the period (exited ones too, a row of zeros where a table counts only towns in creation),
    # in the annex's order; every table by stage lists the three stages.
    prefectures = [p for p in PREFECTURES if p in {t["prefecture"] for t in after["towns"]}]
    headline = _headline(before, after, outcomes)
    earlier = None
    if year - 1 in years_with_results(registry):  # its headline alone, not a second whole report
        earlier = _headline(*_period(registry, year - 1, today, keep)[2:])
    return {
        "format": FORMAT,
        "title": title,
        "year": year,
        "scope": scope,
        "period": {
            "from": date(year + 1, 1, 1).isoformat(),
            "to": end.isoformat(),
            "start": start.isoformat(),
        },
        "headline": headline,
        "compared": None if earlier is None else _compared(year - 1, earlier, headline),
        # Tables whose rows are labelled under a key chosen at run time (prefecture, category), or keyed
        # by outcome: typed as the layout names them.
        "by_prefecture": cast(ByPrefecture, _by(before, after, outcomes, "prefecture", prefectures)),
        "by_stage": cast(ByStage, _by(before, after, outcomes, "category", STAGES)),
        "outcomes": cast(Outcomes, {kind: _listed(towns) for kind, towns in outcomes.items()}),
        "scores": _scores(after, year),
        "stages": _stages(before, after),
        "stage_by_prefecture": cast(StageByPrefecture, _stage_by_prefecture(after, prefectures)),
        "stage_by_status": cast(
            StageByStatus, _cross(after["towns"], "category", STAGES, "status", STATUSES)
        ),
        "declared": _declared(after),
        "coverage": _coverage(after),
        "corrections": _corrections(after, date(year + 1, 1, 1), end),
        "list_review": _list_review(after, date(year + 1, 1, 1), end),
        "findings": _findings(after, end),
        "about": _about(registry, end, revision, generated),
    }


def _period(
    registry: Mapping[str, Any], year: int, today: date, keep: Callable[[Mapping[str, Any]], bool]
) -> tuple[date, date, dict[str, Any], dict[str, Any], dict[str, list[ListedTown]]]:
    """The period a report on `year` covers: its start and end, the registry at each (the towns `keep`
    accepts at the end), and the towns of each outcome."""
    start = date(year, 12, 31)
    end = min(date(year + 1, 12, 31), today)
    before, after = registry_as_of(registry, start), registry_as_of(registry, end)
    kept = {t["id"] for t in after["towns"] if keep(t)}
    before = {**before, "towns": [t for t in before["towns"] if t["id"] in kept]}
    after = {**after, "towns": [t for t in after["towns"] if t["id"] in kept]}
    outcomes = _outcomes(before, after, year, compare(before, after))
    return start, end, before, after, outcomes


def _compared(year: int, earlier: Headline, headline: Headline) -> ComparedYear:
    """This year's figures beside those of the year before (the headline of its own report)."""
    rows: list[ComparedRow] = [
        {"figure": key, "before": earlier[key], "now": headline[key]} for key in COMPARED
    ]
    return {"year": year, "rows": rows}


def _list_review(after: Mapping[str, Any], first: date, last: date) -> list[Reviewed]:
    """The list review's outcomes in the period (国办发〔2020〕33号 (十)): towns renamed and towns cleared
    from the list, each with its reason and the office's document."""
    return [
        {
            **_town(town),
            "what": entry["event"],
            "from": str(entry.get("from")),
            "to": str(entry.get("to")),
            "reason": entry.get("note"),
            "document": entry.get("source"),
        }
        for town in after["towns"]
        for entry in town.get("history") or []
        if entry["event"] in ("renamed", "cleared")
        and first.isoformat() <= str(entry["date"]) <= last.isoformat()
    ]


def _corrections(after: Mapping[str, Any], first: date, last: date) -> list[Correction]:
    """What the period corrected, from the history entries dated in it (an exit made and corrected within
    one period leaves its start and end alike): exits and designations undone, and results replaced, each
    with its reason and document where the entry gives them."""
    found: list[Correction] = []
    for town in after["towns"]:
        for entry in town.get("history") or []:
            if not first.isoformat() <= str(entry["date"]) <= last.isoformat():
                continue
            replaced = entry.get("from") if entry["event"] == "assessed" else None
            what: Literal["status", "stage", "result"]
            if entry["event"] == "corrected":
                stage = entry["to"] in STAGES
                what, was, now = "stage" if stage else "status", entry["from"], entry["to"]
            elif isinstance(replaced, Mapping) and "result" in replaced:
                year = entry.get("year")
                what, was, now = "result", f"{year}年度{replaced['result']}", f"{year}年度{entry['to']}"
            else:
                continue
            note = entry.get("note")
            found.append(
                {
                    **_town(town),
                    "what": what,
                    "from": was,
                    "to": now,
                    "reason": note,
                    "document": entry.get("source"),
                }
            )
    return found


def _findings(after: Mapping[str, Any], end: date) -> list[Finding]:
    """Each town short of a creation standard, or of a rule of a rulebook in force, at the end of the
    period, a row a finding, with its clause in its message (validate's own findings)."""
    from xiaozhen.i18n import speaking_as
    from xiaozhen.rules.standards import town_findings

    with speaking_as("zh"):  # the report's own language, whatever the reader's
        return [
            {**_town(town), "code": finding.code, "message": finding.message.split("：", 1)[-1]}
            for town in after["towns"]
            for finding in town_findings(town, after, end)
        ]


def _about(registry: Mapping[str, Any], end: date, revision: str | None, generated: datetime | None) -> About:
    """The footer's facts: the date the data stands at (the last change the registry records, within the
    period), the registry's revision, when the report was made, and who issued the notice."""
    provenance = registry["registry"]
    recorded = [
        str(entry["date"])
        for town in registry["towns"]
        for entry in town.get("history") or []
        if str(entry["date"]) <= end.isoformat()
    ]
    return {
        "data_as_of": max(recorded, default=str(provenance.get("published") or provenance["issued"])),
        "revision": revision,
        "generated": None if generated is None else generated.isoformat(timespec="seconds"),  # RFC 3339
        "issuer": provenance["issuer"],
        "publisher": provenance.get("publisher") or PUBLISHER,
        "document": provenance["document"],
        "sample": provenance.get("sample"),
    }


def _active(town: Mapping[str, Any]) -> bool:
    return bool(town["status"] != Status.EXITED)


def _creating(towns: Sequence[Mapping[str, Any]]) -> int:
    return sum(t["status"] == Status.CREATING for t in towns)


def _outcomes(
    before: Mapping[str, Any], after: Mapping[str, Any], year: int, changes: list[Difference]
) -> dict[str, list[ListedTown]]:
    """The towns of each outcome: passed or failed the year's assessment, or not assessed though in
    creation at the start of the period; and what the period did."""
    found: dict[str, list[ListedTown]] = {kind: [] for kind in OUTCOMES}
    creating = {t["id"] for t in before["towns"] if t["status"] == Status.CREATING}
    for town in after["towns"]:
        result = next((a for a in town.get("assessments") or [] if a["year"] == year), None)
        listed = _listed_town(town)
        if result is not None:
            listed["score"] = result.get("score")
            found["passed" if result["result"] == Result.PASS else "failed"].append(listed)
        elif town["id"] in creating:
            found["unassessed"].append(listed)
    towns = {t["id"]: t for t in after["towns"]}
    for change in changes:
        if change.kind in ("exited", "designated", "added", "cleared"):
            listed = _listed_town(towns[change.town])
            listed["reason"] = change.detail.get("reason")
            found[change.kind].append(listed)
        elif change.kind in ("advanced", "renamed"):
            listed = _listed_town(towns[change.town])
            listed["from"], listed["to"] = change.detail["from"], change.detail["to"]
            found[change.kind].append(listed)
    return found


def _town(town: Mapping[str, Any]) -> TownRef:
    return {"id": town["id"], "name": town["name"], "prefecture": town["prefecture"]}


def _listed_town(town: Mapping[str, Any]) -> ListedTown:
    """The town as a table of outcomes lists it, before what the outcome says of it."""
    return {"id": town["id"], "name": town["name"], "prefecture": town["prefecture"]}


def _listed(towns: list[ListedTown]) -> list[Listed]:
    """Towns by prefecture, as the notice's annex lists them: the headings in order, towns by id."""
    order = {p: i for i, p in enumerate(PREFECTURES)}
    groups: dict[str, list[ListedTown]] = {}
    for town in sorted(towns, key=lambda t: (order.get(t["prefecture"], len(order)), t["id"])):
        groups.setdefault(town["prefecture"], []).append(town)
    return [{"prefecture": p, "towns": ts} for p, ts in groups.items()]


def _headline(
    before: Mapping[str, Any], after: Mapping[str, Any], outcomes: Mapping[str, list[Any]]
) -> Headline:
    passed, failed = len(outcomes["passed"]), len(outcomes["failed"])
    assessed = passed + failed
    return {
        "towns_start": len(before["towns"]),
        "creating_start": _creating(before["towns"]),
        "assessed": assessed,
        "passed": passed,
        "failed": failed,
        "pass_rate": round(passed / assessed, 4) if assessed else None,
        "unassessed": len(outcomes["unassessed"]),
        "exited": len(outcomes["exited"]),
        "designated": len(outcomes["designated"]),
        "advanced": len(outcomes["advanced"]),
        "added": len(outcomes["added"]),
        "renamed": len(outcomes["renamed"]),
        "cleared": len(outcomes["cleared"]),
        "creating_end": _creating(after["towns"]),
        "towns_end": len(after["towns"]),
    }


def _by(
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    outcomes: Mapping[str, list[ListedTown]],
    key: str,
    order: list[str],
) -> dict[str, Any]:
    """The headline figures a row per value of `key` in `order` (a prefecture, or the stage at the end of
    the period), with a total row that equals the headline."""
    value_now = {t["id"]: t[key] for t in after["towns"]}  # each town's prefecture or stage at the end
    start = {t["id"]: t for t in before["towns"]}
    rows = []
    for label in order:
        towns_end = [t for t in after["towns"] if t[key] == label]
        in_before = [start[t["id"]] for t in towns_end if t["id"] in start]
        row: dict[str, Any] = {
            key: label,
            "towns_start": len(in_before),
            "creating_start": _creating(in_before),
        }
        for kind in OUTCOMES:
            row[kind] = sum(value_now[t["id"]] == label for t in outcomes[kind])
        row["creating_end"] = _creating(towns_end)
        row["towns_end"] = len(towns_end)
        rows.append(row)
    columns = list(ROW_FIGURES)
    total = {c: sum(r[c] for r in rows) for c in columns}  # the total row: no label of its own
    return {"rows": rows, "total": total, "columns": columns}


def _scores(after: Mapping[str, Any], year: int) -> Scores:
    scores = [
        Decimal(str(a["score"]))
        for t in after["towns"]
        for a in t.get("assessments") or []
        if a["year"] == year and a.get("score") is not None
    ]
    distribution: list[Band] = []
    for index, (label, low) in enumerate(BANDS):
        high = BANDS[index + 1][1] if index + 1 < len(BANDS) else Decimal(101)
        distribution.append({"band": label, "count": sum(low <= s < high for s in scores)})
    return {
        "count": len(scores),
        "mean": float(round(sum(scores, Decimal(0)) / len(scores), 1)) if scores else None,
        "min": plain_number(min(scores)) if scores else None,
        "max": plain_number(max(scores)) if scores else None,
        "distribution": distribution,
    }


def _stages(before: Mapping[str, Any], after: Mapping[str, Any]) -> Stages:
    """Towns in each stage at the start and at the end of the period (towns not exited), and the moves."""
    start = {s: sum(t["category"] == s and _active(t) for t in before["towns"]) for s in STAGES}
    end = {s: sum(t["category"] == s and _active(t) for t in after["towns"]) for s in STAGES}
    was = {t["id"]: t["category"] for t in before["towns"]}
    moves: dict[tuple[str, str], int] = {}
    for town in after["towns"]:
        old = was.get(town["id"])
        if old is not None and old != town["category"]:
            moves[old, town["category"]] = moves.get((old, town["category"]), 0) + 1
    return {
        "rows": [{"stage": s, "start": start[s], "end": end[s]} for s in STAGES],
        "total": {"start": sum(start.values()), "end": sum(end.values())},
        "moves": [
            {"from": a, "to": b, "count": n}
            for (a, b), n in sorted(
                moves.items(), key=lambda m: (STAGES.index(m[0][0]), STAGES.index(m[0][1]))
            )
        ],
    }


def _stage_by_prefecture(after: Mapping[str, Any], prefectures: list[str]) -> dict[str, Any]:
    """Towns not exited at the end of the period, by prefecture and stage (the stacked bars)."""
    return _cross([t for t in after["towns"] if _active(t)], "prefecture", prefectures, "category", STAGES)


def _cross(
    towns: Sequence[Mapping[str, Any]], rows: str, row_order: list[str], columns: str, column_order: list[str]
) -> dict[str, Any]:
    table = []
    for label in row_order:
        counts = {c: sum(t[rows] == label and t[columns] == c for t in towns) for c in column_order}
        table.append({rows: label, **counts, "total": sum(counts.values())})
    total = {c: sum(r[c] for r in table) for c in column_order}  # the total row: no label of its own
    total["total"] = sum(total[c] for c in column_order)
    return {"by": [rows, columns], "columns": column_order, "rows": table, "total": total}


def _declared(after: Mapping[str, Any]) -> list[DeclaredBatch]:
    """Each batch's declared totals against its towns as listed (listed_category, as validate reconciles)."""
    batches: list[DeclaredBatch] = []
    for declared in after.get("declared") or []:
        towns = [t for t in after["towns"] if t["batch"] == declared["batch"]]
        rows: list[DeclaredRow] = [
            {"dimension": "total", "value": None, "declared": declared["total"], "listed": len(towns)}
        ]
        dimensions: tuple[tuple[Literal["category", "town_type", "prefecture"], str], ...] = (
            ("category", "listed_category"),
            ("town_type", "town_type"),
            ("prefecture", "prefecture"),
        )
        for dimension, key in dimensions:
            for value, count in (declared.get(dimension) or {}).items():
                rows.append(
                    {
                        "dimension": dimension,
                        "value": value,
                        "declared": count,
                        "listed": sum(t[key] == value for t in towns),
                    }
                )
        batches.append({"batch": declared["batch"], "document": declared.get("document"), "rows": rows})
    return batches


def _coverage(after: Mapping[str, Any]) -> Coverage:
    active = [t for t in after["towns"] if _active(t)]
    return {
        "towns": len(active),
        "recorded": {key: sum(t.get(key) is not None for t in active) for key in COVERED},
    }
