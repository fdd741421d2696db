"""The layout of `xiaozhen report --format json`: the report's data as typed dicts, which `report.build`
returns and every format draws from, and their JSON Schema, generated from them by pydantic (`xiaozhen
schema --report`): the report as an interface for the scripts that read it. Its version is FORMAT."""

from __future__ import annotations

from typing import Annotated, Any, Literal, NotRequired, get_args

from pydantic import ConfigDict, Field, TypeAdapter, WithJsonSchema, with_config
from typing_extensions import TypedDict  # PEP 728's extra_items, which pydantic reads

# The layout's version (the `format` key): raised whenever a key changes meaning or goes.
Format = Literal[1]
FORMAT: Format = 1

# What happened to towns in the period, as the report counts them: a headline each, and a list of towns.
# renamed and cleared are the list review's outcomes (国办发〔2020〕33号 (十)), by the office's document; a
# town cleared leaves the list apart from the exits for a failed year.
# unassessed: a town in creation at the start of the period with no result for the year (未参评).
Outcome = Literal[
    "passed", "failed", "unassessed", "exited", "designated", "advanced", "added", "renamed", "cleared"
]
OUTCOMES: tuple[Outcome, ...] = get_args(Outcome)
# The figures each row of the tables by prefecture and by stage counts, in their order.
Figure = Literal[
    "towns_start",
    "creating_start",
    "passed",
    "failed",
    "unassessed",
    "exited",
    "designated",
    "advanced",
    "added",
    "renamed",
    "cleared",
    "creating_end",
    "towns_end",
]
ROW_FIGURES: tuple[Figure, ...] = get_args(Figure)
# The figures compared with the year before, where it has results too.
Compared = Literal[
    "assessed", "passed", "failed", "pass_rate", "exited", "designated", "advanced", "towns_end"
]
COMPARED: tuple[Compared, ...] = get_args(Compared)

Count = Annotated[int, Field(ge=0)]
TownId = Annotated[int, Field(ge=1)]
Day = Annotated[str, WithJsonSchema({"type": "string", "format": "date"})]  # ISO 8601, as JSON has dates
Closed = with_config(ConfigDict(extra="forbid"))


class Figures(TypedDict):
    towns_start: Count
    creating_start: Count
    passed: Count
    failed: Count
    unassessed: Count
    exited: Count
    designated: Count
    advanced: Count
    added: Count
    renamed: Count
    cleared: Count
    creating_end: Count
    towns_end: Count


@Closed
class Headline(Figures):
    assessed: Count
    pass_rate: Annotated[float | None, Field(ge=0, le=1)]


# A row of the figures for a prefecture, or a stage (the town's at the end of the period); the total row
# has the same counts and no label, for it is no prefecture or stage.
@Closed
class PrefectureFigures(Figures):
    prefecture: str


@Closed
class StageFigures(Figures):
    category: str


@Closed
class TotalFigures(Figures):
    pass


@Closed
class ByPrefecture(TypedDict):
    rows: list[PrefectureFigures]
    total: TotalFigures
    columns: list[Figure]


@Closed
class ByStage(TypedDict):
    rows: list[StageFigures]
    total: TotalFigures
    columns: list[Figure]


class TownRef(TypedDict):
    """A town as every list of the report names it."""

    id: TownId
    name: str
    prefecture: str


# A town as a table of outcomes lists it, with what the outcome says of it: its score (passed, failed),
# the reason (exited, designated, added, cleared), or what it was and became (advanced, renamed).
ListedTown = TypedDict(
    "ListedTown",
    {
        "id": TownId,
        "name": str,
        "prefecture": str,
        "score": NotRequired[float | None],
        "reason": NotRequired[str | None],
        "from": NotRequired[str],
        "to": NotRequired[str],
    },
)


@Closed
class Listed(TypedDict):
    """The towns of one prefecture, under its heading, as the notice's annex lists them."""

    prefecture: str
    towns: list[ListedTown]


@Closed
class Outcomes(TypedDict):
    passed: list[Listed]
    failed: list[Listed]
    unassessed: list[Listed]
    exited: list[Listed]
    designated: list[Listed]
    advanced: list[Listed]
    added: list[Listed]
    renamed: list[Listed]
    cleared: list[Listed]


@Closed
class Band(TypedDict):
    band: str
    count: Count


@Closed
class Scores(TypedDict):
    count: Count
    mean: float | None
    min: float | None
    max: float | None
    distribution: list[Band]


@Closed
class StageCount(TypedDict):
    stage: str
    start: Count
    end: Count


@Closed
class StartEnd(TypedDict):
    start: Count
    end: Count


Move = TypedDict("Move", {"from": str, "to": str, "count": Count})


@Closed
class Stages(TypedDict):
    rows: list[StageCount]
    total: StartEnd
    moves: list[Move]


# A cross-table's row: a count under each column's value, and the row's total. mypy does not read PEP
# 728's extra_items yet; pydantic does, and states the columns' counts in the schema. Each has a config of
# its own, for a TypedDict inside another takes that one's (extra="forbid", which extra_items overrides).
Counted = with_config(ConfigDict())


@Counted
class PrefectureCounts(TypedDict, extra_items=Count):  # type: ignore[call-arg]
    prefecture: str
    total: Count


@Counted
class StageCounts(TypedDict, extra_items=Count):  # type: ignore[call-arg]
    category: str
    total: Count


@Counted
class TotalCounts(TypedDict, extra_items=Count):  # type: ignore[call-arg]
    total: Count


@Closed
class StageByPrefecture(TypedDict):
    by: tuple[Literal["prefecture"], Literal["category"]]
    columns: list[str]
    rows: list[PrefectureCounts]
    total: TotalCounts


@Closed
class StageByStatus(TypedDict):
    by: tuple[Literal["category"], Literal["status"]]
    columns: list[str]
    rows: list[StageCounts]
    total: TotalCounts


@Closed
class DeclaredRow(TypedDict):
    dimension: Literal["total", "category", "town_type", "prefecture"]
    value: Annotated[str | None, Field(description="null on the total row")]
    declared: Count
    listed: Count


@Closed
class DeclaredBatch(TypedDict):
    batch: TownId
    document: str | None
    rows: list[DeclaredRow]


@Closed
class Coverage(TypedDict):
    towns: Count
    recorded: dict[str, Count]


# What the period corrected (exits and designations undone, results replaced) and the list review's
# outcomes: which town, what, from and to, and why, by which document.
Correction = TypedDict(
    "Correction",
    {
        "id": TownId,
        "name": str,
        "prefecture": str,
        "what": Literal["status", "stage", "result"],
        "from": str,
        "to": str,
        "reason": str | None,
        "document": str | None,
    },
)
Reviewed = TypedDict(
    "Reviewed",
    {
        "id": TownId,
        "name": str,
        "prefecture": str,
        "what": Literal["renamed", "cleared"],
        "from": str,
        "to": str,
        "reason": str | None,
        "document": str | None,
    },
)


@Closed
class Finding(TownRef):
    code: str
    message: str


Period = TypedDict("Period", {"from": Day, "to": Day, "start": Day})


@Closed
class ComparedRow(TypedDict):
    figure: Compared
    before: float | None
    now: float | None


@Closed
class ComparedYear(TypedDict):
    year: int
    rows: list[ComparedRow]


@Closed
class About(TypedDict):
    """The footer: what data the report shows, from which revision, when, by whom."""

    data_as_of: Annotated[Day, Field(description="The last change recorded, within the period.")]
    revision: Annotated[
        str | None, Field(description="The registry's git commit, where there is one, and its sha256.")
    ]
    generated: Annotated[str | None, WithJsonSchema({"type": ["string", "null"], "format": "date-time"})]
    issuer: str
    publisher: Annotated[str, Field(description="Who publishes the report (registry.publisher).")]
    document: str
    sample: Annotated[
        str | None, Field(description="For sample data (registry.sample), what it is; else null.")
    ]


@Closed
class YearlyReport(TypedDict):
    """`xiaozhen report --format json`. Totals are under `total` keys, never rows."""

    format: Annotated[Format, Field(description="The layout's version; raised when a key changes.")]
    title: str
    year: Annotated[int, Field(description="The assessment year reported on.")]
    scope: Annotated[str | None, Field(description="The prefecture or county, else null.")]
    period: Period
    headline: Headline
    compared: Annotated[
        ComparedYear | None,
        Field(description="the year before's figures beside this year's; null when it has no results"),
    ]
    by_prefecture: ByPrefecture
    by_stage: ByStage
    outcomes: Outcomes
    scores: Scores
    stages: Stages
    stage_by_prefecture: StageByPrefecture
    stage_by_status: StageByStatus
    declared: list[DeclaredBatch]
    coverage: Coverage
    corrections: list[Correction]
    list_review: list[Reviewed]
    findings: list[Finding]
    about: About


# Those with a key `from`, which only TypedDict's call syntax can name, closed as the others are.
for _layout in (ListedTown, Move, Correction, Reviewed, Period):
    Closed(_layout)


def report_schema() -> dict[str, Any]:
    """The JSON Schema of the JSON report, generated from `YearlyReport`."""
    schema = TypeAdapter(YearlyReport).json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://xiaozhen.invalid/schema/report-{FORMAT}.json",  # names it; nothing is fetched
        **schema,
        "title": "xiaozhen yearly report (特色产业小镇年度评估情况)",
    }
