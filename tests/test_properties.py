"""Properties over generated registries (hypothesis): round-trips, robustness, and schema agreement."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import STRESS
from xiaozhen.model.schema import json_schema
from xiaozhen.model.terms import SETTABLE, Category, Ownership, Prefecture, Status, TownType
from xiaozhen.store.registry import check_bytes
from xiaozhen.store.roundtrip import _yaml, dump

CORPUS_VALID = (Path(__file__).parent / "corpus" / "valid.yaml").read_bytes()
SCHEMA = json_schema()
# Letters that make YAML work: CJK, and characters that force quoting (: # ' " - [ ] { } and words like null).
ALPHABET = "长春吉林市县镇小特色产业玉米冰雪温泉中医药abcXYZ019 :#'\"-[]{}!&*?|>%@`,"
words = st.text(alphabet=ALPHABET, min_size=1, max_size=14).filter(lambda s: s.strip() == s and s.strip())
industry = st.text(alphabet="玉米深加工冰雪旅游中医药人参汽车零部件物流abcXYZ", min_size=1, max_size=8)
amount = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("5000"), places=2)


@st.composite
def towns(draw: st.DrawFn, town_id: int) -> dict[str, Any]:
    category = draw(st.sampled_from(list(Category)))
    total = draw(amount)
    share = draw(st.decimals(min_value=Decimal("0.5"), max_value=Decimal("1"), places=3))
    leading = min(total, (total * share).quantize(Decimal("0.01"), rounding="ROUND_UP"))
    years = draw(st.lists(st.integers(2019, 2025), unique=True, max_size=4).map(sorted))
    assessments = [
        {"year": y, "result": "达标", "score": draw(st.integers(0, 100)), "date": date(y + 1, 1, 15)}
        for y in years
    ]
    history = [
        {"date": date(y + 1, 1, 15), "event": "assessed", "year": y, "to": "达标", "note": f"{y} assessment"}
        for y in years
    ]
    designated = bool(years) and years[-1] >= 2020 and draw(st.booleans())
    if designated:
        history.append(
            {
                "date": date(years[-1] + 1, 1, 15) + timedelta(days=1),
                "event": "designated",
                "from": "创建中",
                "to": "已认定",
            }
        )
    town = {
        "id": town_id,
        "name": f"{draw(words)}{town_id}",
        "prefecture": draw(st.sampled_from(list(Prefecture))).value,
        "county": draw(st.none() | words),
        "category": category.value,
        "listed_category": category.value,
        "town_type": draw(st.sampled_from(list(TownType))).value,
        "status": (Status.DESIGNATED if designated else Status.CREATING).value,
        "batch": 1,
        "leading_industry": draw(st.none() | industry),
        "investment": draw(st.none() | st.just({"total": total, "leading_industry": leading})),
        "developer": draw(
            st.none()
            | st.builds(
                lambda n, o: {"name": n, "ownership": o.value}, words, st.sampled_from(list(Ownership))
            )
        ),
        "plan": draw(
            st.none()
            | st.builds(
                lambda t: {
                    "title": t,
                    "conforms_to": [
                        "城镇体系规划",
                        "土地利用总体规划",
                        "主体功能区规划",
                        "生态环保要求",
                        "保护区相关规定",
                    ],
                },
                words,
            )
        ),
        "management": draw(st.none() | words),
        "assessments": assessments,
        "history": history,
    }
    # The standards data drawn, recorded as `xiaozhen set` records it, before the first assessment.
    data = {key: value for key in SETTABLE if (value := _value(town, key)) is not None}
    if data:
        entry = {"date": date(2019, 6, 1), "event": "updated", "from": dict.fromkeys(data), "to": data}
        history.insert(0, entry)
    return town


def _value(town: dict[str, Any], key: str) -> Any:
    value: Any = town
    for part in key.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


@st.composite
def registries(draw: st.DrawFn) -> dict[str, Any]:
    count = draw(st.integers(1, 6))
    return {
        "registry": {
            "title": draw(words),
            "document": "吉政办明电〔2019〕5号",
            "issued": date(2019, 2, 3),
            "issuer": draw(words),
        },
        "standards": {
            "leading_industry_min_share": {"clause": "一(四)", "value": Decimal("0.5")},
            "designation_year": {"clause": "五(三)", "value": 2020},
        },
        "declared": [],
        "towns": [draw(towns(i)) for i in range(1, count + 1)],
    }


def to_yaml(data: dict[str, Any]) -> str:
    def plain(value: Any) -> Any:
        if isinstance(value, Decimal):
            return float(value) if value != value.to_integral_value() else int(value)
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value

    buffer = io.StringIO()
    _yaml().dump(plain(data), buffer)
    return buffer.getvalue()


def as_json(data: dict[str, Any]) -> Any:
    return json.loads(
        json.dumps(data, default=lambda v: float(v) if isinstance(v, Decimal) else v.isoformat())
    )


EXAMPLES = 30 * STRESS  # generated registries per property (make stress: ten times as many)
MUTATIONS = 300 * STRESS  # randomly damaged files
# `make test` is reproducible (derandomized); `make stress` explores new examples each run.
PROPERTY = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=STRESS == 1,
    suppress_health_check=[HealthCheck.too_slow],
)


@PROPERTY
@given(registries())
def test_a_generated_registry_is_valid_and_round_trips_byte_identically(data: dict[str, Any]) -> None:
    text = to_yaml(data)
    assert check_bytes(text.encode()).report.problems == []
    assert dump(_yaml().load(text)) == text


@PROPERTY
@given(registries())
def test_the_validator_and_the_json_schema_agree_on_valid_records(data: dict[str, Any]) -> None:
    jsonschema.validate(as_json(data), SCHEMA)  # raises when the schema refuses what xiaozhen accepts
    assert check_bytes(to_yaml(data).encode()).report.problems == []


@PROPERTY
@given(
    registries(),
    st.sampled_from(["category", "town_type", "status", "prefecture", "id", "batch", "name"]),
    st.sampled_from(["培养类", "建制", 0, -1, "", None, 1.5, ["a"]]),
)
def test_the_validator_and_the_json_schema_agree_on_a_wrong_value(
    data: dict[str, Any], key: str, value: Any
) -> None:
    data["towns"][0][key] = value
    schema_accepts = jsonschema.Draft202012Validator(SCHEMA).is_valid(as_json(data))
    problems = check_bytes(to_yaml(data).encode()).report.problems
    assert schema_accepts == (not [p for p in problems if p.code == "schema"])


@settings(max_examples=MUTATIONS, deadline=None, derandomize=STRESS == 1)
@given(
    st.lists(
        st.tuples(st.integers(0, len(CORPUS_VALID)), st.integers(0, 8), st.binary(max_size=6)),
        min_size=1,
        max_size=4,
    )
)
def test_random_mutations_never_raise_only_located_problems(edits: list[tuple[int, int, bytes]]) -> None:
    raw = CORPUS_VALID
    for position, removed, inserted in edits:
        raw = raw[:position] + inserted + raw[position + removed :]
    problems = check_bytes(raw).report.problems
    for problem in problems:
        assert isinstance(problem.line, int) and problem.line >= 1
        assert isinstance(problem.column, int) and problem.column >= 1


# Each bound that validate's schema enforces, and values on either side of it (and of the wrong type).
BOUNDED = {
    "score": ("towns", 0, "assessments", 0, "score"),
    "year": ("towns", 0, "assessments", 0, "year"),
    "assessed on": ("towns", 0, "assessments", 0, "date"),
    "total": ("towns", 0, "investment", "total"),
    "leading": ("towns", 0, "investment", "leading_industry"),
    "share": ("standards", "leading_industry_min_share", "value"),
    "designation year": ("standards", "designation_year", "value"),
    "approved": ("towns", 0, "plan", "approved"),
    "history date": ("towns", 0, "history", 0, "date"),
    "id": ("towns", 0, "id"),
    "batch": ("towns", 0, "batch"),
}
EDGES = [-1, 0, 0.5, 1, 1.5, 50, 100, 100.5, 101, 191, 2020, 5e15, 10**16, "30", "", True, None, []]
EDGES += [date(2020, 1, 1), "2020-01-01", "2020-13-01", "2020/1/1", {"a": 1}]


CONFORMS_TO = ("城镇体系规划", "土地利用总体规划", "主体功能区规划", "生态环保要求", "保护区相关规定")


def one_town() -> dict[str, Any]:
    """A valid registry of one town with an assessment, an investment, a plan and history to change."""
    town = {
        "id": 1,
        "name": "长春市某小镇",
        "prefecture": "长春市",
        "county": None,
        "category": "规划类",
        "listed_category": "规划类",
        "town_type": "建制镇",
        "status": "创建中",
        "batch": 1,
        "leading_industry": "玉米深加工",
        "investment": {"total": Decimal(10), "leading_industry": Decimal(6)},
        "developer": None,
        "plan": {"title": "规划", "approved": date(2019, 6, 1), "conforms_to": list(CONFORMS_TO)},
        "management": None,
        "assessments": [{"year": 2020, "result": "达标", "score": 80, "date": date(2021, 1, 15)}],
        "history": [{"date": date(2021, 1, 15), "event": "assessed", "year": 2020, "to": "达标"}],
    }
    registry = {
        "title": "名录",
        "document": "吉政办明电〔2019〕5号",
        "issued": date(2019, 2, 3),
        "issuer": "某厅",
    }
    standards = {
        "leading_industry_min_share": {"clause": "一(四)", "value": Decimal("0.5")},
        "designation_year": {"clause": "五(三)", "value": 2020},
    }
    return {"registry": registry, "standards": standards, "declared": [], "towns": [town]}


def test_the_base_of_the_bounds_test_is_valid() -> None:
    data = one_town()
    assert check_bytes(to_yaml(data).encode()).report.errors == []
    assert jsonschema.Draft202012Validator(SCHEMA).is_valid(as_json(data))


@pytest.mark.parametrize("value", EDGES, ids=repr)
@pytest.mark.parametrize("field", sorted(BOUNDED))
def test_the_json_schema_states_every_bound_validate_enforces(field: str, value: Any) -> None:
    """Both ways, for every bound and edge: what the JSON Schema accepts, validate's schema accepts, and
    what it refuses, validate refuses with a `schema` problem, or for the investment's amounts the error
    `investment-range` (other rules aside: the lifecycle, the history, the share)."""
    data = one_town()
    *parents, last = BOUNDED[field]
    target: Any = data
    for key in parents:
        target = target[key]
    target[last] = value
    schema_accepts = jsonschema.Draft202012Validator(
        SCHEMA, format_checker=jsonschema.FormatChecker()
    ).is_valid(as_json(data))
    problems = check_bytes(to_yaml(data).encode()).report.problems
    refused = [p.message for p in problems if p.code == "schema"]
    # an amount's sign is a rule's (investment-range, an error said with both amounts; the rule also
    # holds the leading industry's amount within the total, which no schema keyword can say)
    below = {"total": lambda n: n <= 0, "leading": lambda n: n < 0}.get(field)
    if below is not None and isinstance(value, int | float) and not isinstance(value, bool) and below(value):
        refused += [p.message for p in problems if p.code == "investment-range"]
    assert schema_accepts == (not refused), (field, value, refused)
