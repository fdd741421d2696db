"""The registry's schema: towns, provenance, standards and declared totals, as pydantic models. No I/O.

Fields whose *value* a rule of the notice judges (leading_industry, developer.ownership, plan.conforms_to)
are typed loosely here so that the rule, not the schema, reports them with its own code.
"""

from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    StrictBool,
    StrictInt,
    StrictStr,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from xiaozhen.limits import (
    LINE_PATTERN,
    LINE_REGEX,
    MAX_LINE_CHARS,
    MAX_PROSE_CHARS,
    PROSE_PATTERN,
    PROSE_REGEX,
)
from xiaozhen.model.fields import plain_number
from xiaozhen.model.terms import (
    NOTICE_STANDARDS,
    Category,
    Event,
    Prefecture,
    Result,
    Status,
    Strength,
    TownType,
)

__all__ = ["Category", "Event", "Prefecture", "Registry", "Result", "Status", "Town", "TownType"]


# The kinds of our own refusals of a value of the wrong kind: what rules/schema_errors.py words as a
# mismatch, like pydantic's own *_type errors, and passes over when another member of a union says more.
NUMBER_AS_TEXT = "number_as_text"
DATE_AS_NUMBER = "date_as_number"


def _not_text(value: Any) -> Any:
    # A number written in quotes, or true/false, is a typing slip in a registry, not a number.
    if isinstance(value, str | bool):
        raise PydanticCustomError(NUMBER_AS_TEXT, "should be a number, written without quotes")
    return value


# Amounts in 亿元, kept as Decimal so that the 50% rule is exact (YAML's 4.99 is read as Decimal('4.99')).
# pydantic states a Decimal as number-or-string in the JSON Schema; each states itself as a number, with
# the bounds it is checked against, so that the JSON Schema refuses what `validate`'s schema refuses.
_AS_NUMBER = PlainSerializer(plain_number, when_used="json")
Number = Annotated[Decimal, BeforeValidator(_not_text), _AS_NUMBER, WithJsonSchema({"type": "number"})]
Amount = Number  # 亿元; its bounds are the rules' (investment-range)
Share = Annotated[
    Decimal,
    BeforeValidator(_not_text),
    Field(ge=0, le=1),
    _AS_NUMBER,
    WithJsonSchema({"type": "number", "minimum": 0, "maximum": 1}),
]
Score = Annotated[
    Decimal,
    BeforeValidator(_not_text),
    Field(ge=0, le=100),
    _AS_NUMBER,
    WithJsonSchema({"type": "number", "minimum": 0, "maximum": 100}),
]


# A quantity an indicator of the national norms measures (km², 万元/亩, 人 …): never below 0.
Quantity = Annotated[
    Decimal,
    BeforeValidator(_not_text),
    Field(ge=0),
    _AS_NUMBER,
    WithJsonSchema({"type": "number", "minimum": 0}),
]


def _date_only(value: Any) -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise PydanticCustomError(DATE_AS_NUMBER, "should be a date written as YYYY-MM-DD")
    return value


Day = Annotated[date, BeforeValidator(_date_only)]
Year = Annotated[StrictInt, Field(ge=1900, le=2999)]


# Text a person reads, as the office's terminals, spreadsheets and the CI's log show it (limits.py):
# names, terms and titles are one line of plain text; notes and reasons may run over several lines.
# Checked by pydantic's own (Rust) pattern match, fast on a registry of thousands of strings; the JSON
# Schema carries the same class in ECMA-262's syntax; rules/schema_errors.py words the refusal.
Line = Annotated[
    StrictStr,
    Field(max_length=MAX_LINE_CHARS, pattern=LINE_REGEX, json_schema_extra={"pattern": LINE_PATTERN}),
]
Text = Annotated[Line, Field(min_length=1)]
Prose = Annotated[
    StrictStr,
    Field(max_length=MAX_PROSE_CHARS, pattern=PROSE_REGEX, json_schema_extra={"pattern": PROSE_PATTERN}),
]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, use_enum_values=False)


class Investment(Model):
    # Their bounds are the rules' (investment-range, with its message); the schema states them for editors.
    total: Amount = Field(json_schema_extra={"exclusiveMinimum": 0})
    leading_industry: Amount = Field(json_schema_extra={"minimum": 0})


class Developer(Model):
    name: Text
    ownership: Line | None = None


class Plan(Model):
    title: Text | None = None
    approved: Day | None = None
    conforms_to: list[Line] = []


class Assessment(Model):
    year: Year
    result: Result
    score: Score | None = None
    assessor: Text | None = None
    date: Day | None = None
    note: Prose | None = None


# A value a history entry records for one key of a town (`updated`), or of a replaced assessment.
HistoryValue = StrictBool | StrictInt | Amount | Day | Line | list[Line] | None
# What an entry's `from` and `to` hold: a stage or status (advanced, exited, designated), a result
# (assessed), or, for `updated`, the value of each key changed, by its dotted key (investment.total); for
# an `assessed` that replaced another result, `from` is the replaced assessment.
Moved = Line | StrictInt | dict[Line, HistoryValue] | None


class HistoryEntry(Model):
    """One thing that happened to a town; what `validate` replays and `--as-of` rewinds."""

    date: Day
    event: Event
    year: Year | None = None  # assessed: the year assessed
    from_: Moved = Field(default=None, alias="from")
    to: Moved = None
    note: Prose | None = None
    # updated: where the values come from (an application, a county's return, a survey), and who
    # filled them in (填报单位 / 填报人) where a form says so.
    source: Text | None = None
    filled_by: Text | None = None


class Indicators(Model):
    """What the national norms judge a town by (国办发〔2020〕33号 三、(十一); 发改规划〔2021〕1383号's 13
    indicators), each in the unit its rule states; what the registry's rulebooks set bounds for."""

    planned_area: Quantity | None = None  # 规划面积, km²
    construction_land: Quantity | None = None  # 建设用地面积, km²
    boundary_stated: StrictBool | None = None  # 四至范围清晰
    control_lines_kept: StrictBool | None = None  # 严守生态保护红线、永久基本农田、城镇开发边界
    county_debt_warning: StrictBool | None = None  # 所在县为政府债务风险预警地区
    green_cover: Share | None = None  # 绿化覆盖率
    investment_per_mu: Quantity | None = None  # 建设用地亩均累计投资额, 万元/亩
    labour_productivity: Quantity | None = None  # 全员劳动生产率, 万元/人
    employment: Annotated[StrictInt, Field(ge=0)] | None = None  # 吸纳就业人数, 人
    tax_per_mu: Quantity | None = None  # 建设用地亩均税收, 万元/亩·年
    visitors: Quantity | None = None  # 年接待游客, 万人次
    new_economy_share: Share | None = None  # "三新"经济增加值占比
    rd_intensity: Share | None = None  # 研发经费投入强度
    residential_share: Share | None = None  # 住宅用地占建设用地比重


class Town(Model):
    id: Annotated[StrictInt, Field(ge=1)]
    name: Text
    prefecture: Prefecture
    county: Text | None = None
    category: Category
    listed_category: Category
    town_type: TownType
    status: Status
    batch: Annotated[StrictInt, Field(ge=1)]
    # One industry (一(一)); a list is accepted by the schema so that the rule can name the problem.
    leading_industry: Line | list[Any] | None = None
    investment: Investment | None = None
    developer: Developer | None = None
    plan: Plan | None = None
    management: Text | None = None
    # The town's class as the 2021 导则 names them (文化旅游, 体育运动, 先进制造 …): some of its rules apply
    # to some classes only, or bound them otherwise.
    industry_class: Line | None = None
    indicators: Indicators | None = None
    assessments: list[Assessment] = []
    history: list[HistoryEntry] = []

    @property
    def leading_share(self) -> Decimal | None:
        """Leading-industry investment over total, exactly; None when not computable."""
        inv = self.investment
        if inv is None or inv.total <= 0:
            return None
        return inv.leading_industry / inv.total

    def latest_assessment(self) -> Assessment | None:
        return max(self.assessments, key=lambda a: a.year, default=None)


class ListingDocument(Model):
    title: Text
    document: Text
    issued: Day
    published: Day | None = None
    issuer: Text
    # Who publishes the yearly report: by default the office the notice charges with the yearly assessment
    # (二(三)), never the notice's issuer (report.PUBLISHER).
    publisher: Text | None = None
    # A registry of sample data (`make demo`) says so here, and every report made from it says so too.
    sample: Text | None = None


class TermsStandard(Model):
    """A standard that is a list of terms, with the clause of the notice it comes from."""

    clause: Text
    value: list[Text]


class ShareStandard(Model):
    clause: Text
    value: Share


class YearStandard(Model):
    clause: Text
    value: Year


def _notice(key: str, model: type[Model]) -> Any:
    """A standard a file leaves out is the notice's own (terms.NOTICE_STANDARDS)."""
    notice = NOTICE_STANDARDS[key]
    return Field(
        default_factory=lambda: model.model_validate({"clause": notice.clause, "value": notice.value}),
        description=f"{notice.clause}: {notice.meaning}",
    )


class Standards(Model):
    """The standards the rules apply, each with the clause of the notice it comes from."""

    plan_conforms_to: TermsStandard = _notice("plan_conforms_to", TermsStandard)
    developer_ownership: TermsStandard = _notice("developer_ownership", TermsStandard)
    leading_industry_min_share: ShareStandard = _notice("leading_industry_min_share", ShareStandard)
    designation_year: YearStandard = _notice("designation_year", YearStandard)


class Rule(Model):
    """One rule of a later document, as the registry records it: which check it sets (a key xiaozhen
    knows: norms.CHECKS), its clause, whether it binds or is advisory (原则上), and its bounds."""

    check: Text
    clause: Text
    strength: Strength = Strength.BINDING
    min: Number | None = None
    max: Number | None = None
    # The classes (industry_class) the rule applies to alone; and those whose upper bound may be higher.
    only_for: list[Text] = []
    higher_for: list[Text] = []
    # list_cap: the cap applies where the province's GDP per head (US$) is below this.
    below: Number | None = None
    text: Prose | None = None  # the clause's words, as the document has them
    note: Prose | None = None  # how sure its source is, and anything else a reader should know


class Rulebook(Model):
    """A document whose rules apply from the day it is in force, besides the notice's standards."""

    document: Text
    title: Text | None = None
    issuer: Text | None = None
    in_force: Day
    note: Prose | None = None
    rules: list[Rule] = []


class Figure(Model):
    """A province-wide figure a rule needs, with the year it is for and where it is stated."""

    value: Quantity
    year: Year
    source: Text


class Province(Model):
    gdp_per_head_usd: Figure | None = None  # 人均地区生产总值 (美元), for 1383号's cap on a list


Count = Annotated[StrictInt, Field(ge=0)]


class Declared(Model):
    """The totals a notice states for its batch."""

    batch: Annotated[StrictInt, Field(ge=1)]
    # The notice that listed the batch, and its date: the day its towns are listed from (--as-of).
    document: Text | None = None
    issued: Day | None = None
    total: Count
    category: dict[Category, Count] | None = None
    town_type: dict[TownType, Count] | None = None
    prefecture: dict[Prefecture, Count] | None = None


class RegistryHeader(Model):
    """Everything but the towns, which are checked one by one."""

    registry: ListingDocument
    standards: Standards = Standards()
    declared: list[Declared] = []
    rulebooks: list[Rulebook] = []
    province: Province = Province()
    towns: list[Any]


class Registry(Model):
    registry: ListingDocument
    standards: Standards = Standards()
    declared: list[Declared] = []
    rulebooks: list[Rulebook] = []
    province: Province = Province()
    towns: list[Town]

    def listing_year(self, town: Town) -> int | None:
        """The year the town's batch was listed: batch 1 in the notice's year, later ones when added."""
        if town.batch == 1:
            return self.registry.issued.year
        added = [h.date.year for h in town.history if h.event == Event.ADDED]
        return min(added) if added else None


def json_schema() -> dict[str, Any]:
    schema = Registry.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://xiaozhen.invalid/schema/registry.json"  # names it; nothing is fetched from it
    schema["title"] = "xiaozhen registry (特色产业小镇名录)"
    _bound_numbers(schema)
    return schema


# The words YAML 1.1 reads as true or false (PyYAML, which validates: `management: yes` is a boolean,
# which a text field refuses), and YAML 1.2 as text (ruamel, check-jsonschema, editors).
YAML11_BOOLEANS = [
    *("yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE"),
    *("on", "On", "ON", "off", "Off", "OFF"),
]


def _bound_numbers(node: Any) -> None:
    """What validate refuses, said so that every reader of the schema refuses it too: every number below
    10^15 in magnitude, as validate reads them (limits.number_refusal), each side by one keyword — the
    field's own `minimum` or `maximum` where it has one, else the exclusive bound (yaml-language-server
    ignores `minimum` beside `exclusiveMinimum`); and a text field never one of YAML 1.1's booleans. The
    lower bound of a number that is not 0 (1e-15) is validate's alone: no JSON Schema keyword says it."""
    from xiaozhen.limits import MAX_EXPONENT

    if isinstance(node, dict):
        if node.get("type") in ("integer", "number"):
            if "maximum" not in node:
                node.setdefault("exclusiveMaximum", 10**MAX_EXPONENT)
            if "minimum" not in node:
                node.setdefault("exclusiveMinimum", -(10**MAX_EXPONENT))
        if node.get("type") == "string" and "pattern" in node:
            node["not"] = {"enum": YAML11_BOOLEANS}
        for value in node.values():
            _bound_numbers(value)
    elif isinstance(node, list):
        for value in node:
            _bound_numbers(value)
