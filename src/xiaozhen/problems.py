"""Problems found in a registry: their stable codes, what each means and how to fix it."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

# code -> (title, how to fix). The reference's table of codes is checked against this (tests/test_docs.py).
CODES: dict[str, tuple[str, str]] = {
    "file-encoding": ("the file is not UTF-8 text", "save the file as UTF-8"),
    "file-size": (
        "the file is far larger than any registry (over 64 MiB)",
        "check that it is the right file",
    ),
    "yaml-syntax": (
        "the file is not valid YAML, or uses YAML features a registry does not allow (tags, anchors)",
        "fix the YAML at the line shown; use plain mappings, lists and scalars",
    ),
    "line-break": (
        "a line break that YAML and git count differently (a lone CR, U+2028, U+2029, U+0085), or CRLF and "
        "LF lines mixed in one file: what YAML reads would not be what a pull request shows",
        "save the file with one kind of line ending and no other line breaks",
    ),
    "duplicate-key": ("a key appears twice in one mapping", "keep one of the two keys"),
    "schema": (
        "a key is unknown or missing, or a value has the wrong type or is not one of the allowed values",
        "use the keys and values of the registry format (docs/reference.md, `xiaozhen schema`)",
    ),
    "duplicate-id": ("two towns share an id", "give each town its own id"),
    "duplicate-name": ("two towns share a name", "names are unique; check for a copied entry"),
    "id-order": ("towns are not in increasing order of id", "move the town to its place by id"),
    "declared-mismatch": (
        "a batch's towns do not add up to the totals its notice declared",
        "check the listed category, town type and prefecture of that batch's towns against the notice",
    ),
    "leading-industry-share": (
        "leading-industry investment is below standards.leading_industry_min_share of the total (一(四))",
        "record the investment as the source states it; a town below the share does not meet the standard",
    ),
    "investment-range": (
        "investment amounts are impossible: total not above 0, or leading industry below 0 or above total",
        "record total > 0 and 0 ≤ leading_industry ≤ total, in 亿元",
    ),
    "plan-conformity": (
        "the plan does not state conformity with every plan and rule of standards.plan_conforms_to (一(二))",
        "conforms_to lists them all: 城镇体系规划, 土地利用总体规划, 主体功能区规划, 生态环保要求 and "
        "保护区相关规定 under the 2019 notice",
    ),
    "developer-ownership": (
        "the developer is not an enterprise type of standards.developer_ownership (一(三): 市场化导向)",
        "ownership is one of them: 国有企业, 民营企业, 混合所有制企业, 其他企业 under the 2019 notice",
    ),
    "single-industry": (
        "leading_industry is empty or names several industries (一(一): 一镇一主业)",
        "record one leading industry as one string",
    ),
    "missing-data": (
        "(--strict) an active town has no leading industry, investment, developer or plan recorded",
        "record it with `xiaozhen set` once a source states it",
    ),
    "history": (
        "the town's stage, status or assessments are not what its history, replayed from the listing, "
        "makes them: a hand edit that skipped the tool",
        "make the change with the command the message names (advance, withdraw, designate, assess), "
        "which records it in the history",
    ),
    "unrecorded-data": (
        "(warning; an error with --strict) standards data that no history entry records, or that differs "
        "from what its history last records",
        "record data with `xiaozhen set`, which records each key's value before and after",
    ),
    "unsourced-data": (
        "(with --strict) recorded standards data whose history entry says no source",
        "record it again with `xiaozhen set … --source TEXT`, naming the document the value comes from",
    ),
    "lifecycle": (
        "the town's stage, status, assessments or history contradict the creation procedure (二, 三, 五(三))",
        "make status, category and assessments agree: a 不达标 year exits the town; "
        "已认定 needs a passing year",
    ),
    "rulebook": (
        "a rule of `rulebooks` names a check xiaozhen does not know, or a min above its max",
        "use a check of `xiaozhen standards` and bounds that can be met",
    ),
    "administrative-town": (
        "a 建制镇 in the list while a rulebook in force forbids naming one a characteristic town "
        "(国办发〔2020〕33号)",
        "review it (`xiaozhen review`): rename it, or clear it from the list, by the office's document",
    ),
    "administrative-town-designated": (
        "a 建制镇 designated (已认定) on or after the day a rulebook forbidding it came into force",
        "correct the designation (`xiaozhen reinstate`) if it was recorded by mistake",
    ),
    "national-norm": (
        "a town outside a bound of a rulebook in force (an indicator of 发改规划〔2021〕1383号, the area or "
        "control lines of 33号); marked 原则上 where the rule is advisory",
        "record the value as its source states it; `xiaozhen review` weighs it in the list review",
    ),
    "list-cap": (
        "the list holds more towns than a rulebook in force allows at the province's GDP per head",
        "review the list (`xiaozhen review`) and clear or rename towns by the office's document",
    ),
}


# Codes that say a town falls short of a creation standard (一). These are findings: facts about a town
# that the registry must be able to record (the yearly assessment and its exits are for them), shown
# wherever the town is shown, never a reason to refuse a file or an edit. Every other code is an error in
# the file (schema, identity, lifecycle, history), or a warning.
FINDINGS = frozenset(
    {
        "single-industry",
        "plan-conformity",
        "developer-ownership",
        "leading-industry-share",
        "missing-data",
        "administrative-town",
        "national-norm",
        "list-cap",
    }
)

# A problem's severity: an error makes the file invalid; a warning and a finding do not.
SEVERITIES = ("error", "warning", "finding")


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem, located in the file."""

    code: str
    message: str
    line: int | None = None
    column: int | None = None
    town: int | None = None
    path: str | None = None
    severity: str = "error"  # one of SEVERITIES

    def __post_init__(self) -> None:
        if self.code not in CODES or self.severity not in SEVERITIES:  # a programming error (tests)
            raise ValueError(f"unknown problem code {self.code!r} or severity {self.severity!r}")

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def sort_key(self) -> tuple[int, int, str]:
        return (self.line or 0, self.column or 0, self.code)

    def identity(self) -> tuple[int | None, str, str]:
        """What a finding is, wherever its line: the same in a base and a head that moved it."""
        return (self.town, self.code, self.message)
