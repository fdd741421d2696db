"""The national norms after the 2019 notice (国办发〔2020〕33号, 发改规划〔2021〕1383号) applied to the
registry: which rulebooks are in force on a day, each rule's judgement of a town, and the list review
that 33号 (十) demands — keep, rename or clear each town, or say what data is missing to decide.

The rules themselves (documents, dates, clauses, strengths, thresholds) are data in the registry's
`rulebooks`; this module knows only what each check reads and how it compares. Pure functions; nothing
is printed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from xiaozhen.i18n import N_, _
from xiaozhen.model.schema import Registry, Rule, Rulebook, Town
from xiaozhen.model.terms import CHECKS, Check, Event, Status, Strength, TownType


class Outcome(StrEnum):
    PASS = "pass"
    SHORT = "short"  # outside the rule's bound
    MISSING = "missing"  # the data to judge is not recorded
    NOT_APPLICABLE = "n/a"  # a rule for other classes of town


@dataclass(frozen=True)
class Judgement:
    rulebook: Rulebook
    rule: Rule
    outcome: Outcome
    value: Any = None
    missing: str = ""  # the key whose data is missing (indicators.planned_area, industry_class …)

    @property
    def check(self) -> Check:
        return CHECKS[self.rule.check]

    @property
    def advisory(self) -> bool:
        return self.rule.strength is Strength.ADVISORY

    @property
    def basis(self) -> str:
        """The document and clause, as a reader cites them: 国办发〔2020〕33号 三、(十一)."""
        return f"{self.rulebook.document} {self.rule.clause}"

    def bound(self) -> str:
        return bound_of(self.rule)

    def brief(self) -> str:
        """What falls short, in a table's few words: 绿化覆盖率 25%（≥ 30%，原则上）."""
        check = self.check
        if check.kind == "town":
            return check.name
        said = (_("yes") if self.value else _("no")) if check.kind == "flag" else _shown(self.value, check)
        marker = "，原则上" if self.advisory else ""
        return f"{check.name} {said}（{self.bound()}{marker}）"

    def describe(self) -> str:
        """What was found, as a finding says it: the value, the bound, the document and clause."""
        check, rule = self.check, self.rule
        marker = "（原则上）" if self.advisory else ""  # the documents' word, in either language
        if check.kind == "town":
            return _(
                "{marker}a 建制镇 must not be named a characteristic town: clear or rename it ({basis})"
            ).format(marker=marker, basis=self.basis)
        if check.kind == "flag":
            said = _("yes") if self.value else _("no")
            return _("{marker}{name}: {said}; the rule asks {bound} ({basis})").format(
                marker=marker, name=check.name, said=said, bound=self.bound(), basis=self.basis
            )
        if check.kind == "list":
            return _(
                "{marker}{value} towns in the list; at most {most} where GDP per head is under "
                "US${below} ({basis})"
            ).format(
                marker=marker,
                value=self.value,
                most=_shown(rule.max, check),
                below=_plain(rule.below),
                basis=self.basis,
            )
        return _("{marker}{name} is {value}; the rule asks {bound} ({basis})").format(
            marker=marker,
            name=check.name,
            value=_shown(self.value, check),
            bound=self.bound(),
            basis=self.basis,
        )


def bound_of(rule: Rule) -> str:
    """A rule's bound in its unit: ≥ 1 平方公里, ≤ 30%, 1–5 平方公里; a yes/no's passing answer."""
    check = CHECKS.get(rule.check)
    if check is None or check.kind == "town":
        return ""
    if check.kind == "flag":
        return _("yes") if check.passes else _("no")
    low, high = (_shown(v, check) if v is not None else None for v in (rule.min, rule.max))
    if low and high and check.unit:  # 1–5 平方公里, the unit once
        return f"{low.removesuffix(' ' + check.unit)}–{high}"
    if low and high:
        return f"{low}–{high}"
    return f"≥ {low}" if low else f"≤ {high}" if high else ""


def scope_of(rule: Rule) -> str:
    """Where a rule applies otherwise than to every town, as a reader is told it."""
    said = []
    if rule.only_for:
        said.append(_("only {classes}").format(classes="、".join(rule.only_for)))
    if rule.higher_for:
        said.append(_("{classes} may be higher").format(classes="、".join(rule.higher_for)))
    if rule.below is not None:
        said.append(_("where GDP per head is under US${below}").format(below=_plain(rule.below)))
    return "; ".join(said)


def _plain(number: Decimal | None) -> str:
    if number is None:
        return ""
    text = f"{number:,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _shown(value: Any, check: Check) -> str:
    if check.kind == "share":
        from xiaozhen.model.fields import percent

        return percent(value)
    number = _plain(Decimal(str(value)))
    return f"{number} {check.unit}" if check.unit else number


def in_force(
    rulebooks: Sequence[Rulebook], on: date, documents: Iterable[str] | None = None
) -> list[Rulebook]:
    """The rulebooks in force on `on`, in the order the registry lists them; only those `documents`
    names, when it names any."""
    chosen = None if documents is None else set(documents)
    return [b for b in rulebooks if b.in_force <= on and (chosen is None or b.document in chosen)]


def judge_town(town: Town, rulebook: Rulebook, rule: Rule) -> Judgement:
    """One rule's judgement of one town (list_cap is the list's: `judge_list`)."""
    check = CHECKS[rule.check]
    if check.kind == "town":  # a 建制镇 renamed since the rule came into force is no longer so named
        renamed = any(h.event == Event.RENAMED and h.date >= rulebook.in_force for h in town.history)
        short = town.town_type == TownType.INCORPORATED and not renamed
        return Judgement(rulebook, rule, Outcome.SHORT if short else Outcome.PASS, town.town_type)
    if rule.only_for:
        if town.industry_class is None:
            return Judgement(rulebook, rule, Outcome.MISSING, missing="industry_class")
        if town.industry_class not in rule.only_for:
            return Judgement(rulebook, rule, Outcome.NOT_APPLICABLE)
    if rule.check == "leading_share":
        value: Any = town.leading_share
        key = "investment"
    else:
        value = None if town.indicators is None else getattr(town.indicators, rule.check)
        key = f"indicators.{rule.check}"
    if value is None:
        return Judgement(rulebook, rule, Outcome.MISSING, missing=key)
    if check.kind == "flag":
        return Judgement(rulebook, rule, Outcome.PASS if value is check.passes else Outcome.SHORT, value)
    number = Decimal(str(value))
    if rule.max is not None and rule.higher_for and number > rule.max and town.industry_class is None:
        return Judgement(rulebook, rule, Outcome.MISSING, value, "industry_class")  # higher for some
    over = rule.max is not None and number > rule.max and town.industry_class not in rule.higher_for
    under = rule.min is not None and number < rule.min
    return Judgement(rulebook, rule, Outcome.SHORT if over or under else Outcome.PASS, value)


def listed(registry: Registry) -> list[Town]:
    """The towns in the province's list: all but those that have exited."""
    return [t for t in registry.towns if t.status != Status.EXITED]


def judge_list(registry: Registry, rulebook: Rulebook, rule: Rule) -> Judgement:
    """list_cap: the list's length against the cap, which applies below a GDP per head."""
    count = len(listed(registry))
    figure = registry.province.gdp_per_head_usd
    if rule.below is not None:
        if figure is None:
            return Judgement(rulebook, rule, Outcome.MISSING, count, "province.gdp_per_head_usd")
        if figure.value >= rule.below:
            return Judgement(rulebook, rule, Outcome.NOT_APPLICABLE, count)
    short = rule.max is not None and count > rule.max
    return Judgement(rulebook, rule, Outcome.SHORT if short else Outcome.PASS, count)


def judgements(town: Town, rulebooks: Sequence[Rulebook]) -> list[Judgement]:
    """Every town rule of `rulebooks` applied to `town`; a check xiaozhen does not know is passed over
    (validate reports it as an error of the rulebook)."""
    return [
        judge_town(town, book, rule)
        for book in rulebooks
        for rule in book.rules
        if rule.check in CHECKS and CHECKS[rule.check].kind != "list"
    ]


class Verdict(StrEnum):
    """What the list review (33号 (十)) answers for a town, in the order a reader acts on them."""

    CLEAR = "清理"
    RENAME = "更名或清理"
    UNDECIDED = "待定"
    KEEP = "纳入清单"


VERDICT_MEANING = {
    Verdict.CLEAR: N_("a binding rule is not met: clear it from the list"),
    Verdict.RENAME: N_("a 建制镇: it may not be named a characteristic town; rename it, or clear it"),
    Verdict.UNDECIDED: N_("data missing: gather it before deciding"),
    Verdict.KEEP: N_("every rule met (advisory shortfalls listed): keep it in the list"),
}


@dataclass
class Review:
    town: Town
    verdict: Verdict
    short: list[Judgement] = field(default_factory=list)  # binding first, then advisory
    missing: list[Judgement] = field(default_factory=list)

    @property
    def missing_keys(self) -> list[str]:
        return list(dict.fromkeys(j.missing for j in self.missing))


def review_town(town: Town, rulebooks: Sequence[Rulebook]) -> Review:
    found = judgements(town, rulebooks)
    short = sorted((j for j in found if j.outcome is Outcome.SHORT), key=lambda j: j.advisory)
    missing = [j for j in found if j.outcome is Outcome.MISSING]
    if any(not j.advisory and j.check.kind != "town" for j in short):
        verdict = Verdict.CLEAR
    elif any(j.check.kind == "town" for j in short):
        verdict = Verdict.RENAME
    elif missing:
        verdict = Verdict.UNDECIDED
    else:
        verdict = Verdict.KEEP
    return Review(town, verdict, short, missing)


@dataclass
class ListReview:
    """The review of a whole list: each town's, and the list's own judgements (its length)."""

    on: date
    rulebooks: list[Rulebook]
    towns: list[Review]
    list_rules: list[Judgement]

    def counted(self) -> dict[Verdict, int]:
        return {v: sum(1 for r in self.towns if r.verdict is v) for v in Verdict}


def review(registry: Registry, on: date, documents: Iterable[str] | None = None) -> ListReview:
    """Every listed town under the rulebooks in force on `on` (or those `documents` names)."""
    books = in_force(registry.rulebooks, on, documents)
    rules = [
        judge_list(registry, book, rule)
        for book in books
        for rule in book.rules
        if rule.check in CHECKS and CHECKS[rule.check].kind == "list"
    ]
    return ListReview(on, books, [review_town(t, books) for t in listed(registry)], rules)


# --- the review as a table and as JSON -----------------------------------------------------------

REVIEW_HEADER = ["编号", "小镇名称", "市(州)", "建制镇/非建制镇", "审核结论", "依据", "未达到", "缺少的数据"]


def review_rows(result: ListReview) -> tuple[list[str], list[list[Any]]]:
    """The review as a table: one row a town, its verdict, the clauses behind it, what it falls short of
    and the data still missing (named as the forms and `set` name them)."""
    rows = []
    for town in result.towns:
        if town.short:  # the clauses that decide it
            basis = list(dict.fromkeys(j.basis for j in town.short))
        else:  # the documents whose rules it was weighed by (or awaits data for)
            basis = list(dict.fromkeys(j.rulebook.document for j in town.missing)) or [
                b.document for b in result.rulebooks
            ]
        rows.append(
            [
                town.town.id,
                town.town.name,
                town.town.prefecture.value,
                town.town.town_type.value,
                town.verdict.value,
                "；".join(basis),
                "；".join(j.brief() for j in town.short),
                "、".join(data_name(key) for key in town.missing_keys),
            ]
        )
    return REVIEW_HEADER, rows


def data_name(key: str) -> str:
    """Missing data as the forms and the documents name it, in any language: 规划面积(平方公里)."""
    from xiaozhen.model.fields import chinese_name

    special = {
        "investment": "总投资、主导产业投资(亿元)",
        "province.gdp_per_head_usd": "人均地区生产总值(美元)",
    }
    return special.get(key) or chinese_name(key)


def list_lines(result: ListReview) -> list[str]:
    """The list's own judgements (its length against a cap), a line each, as a reader is told them."""
    lines = []
    for judged in result.list_rules:
        if judged.outcome is Outcome.MISSING:
            lines.append(
                _("{value} towns in the list; cannot judge {basis}: {key} is not recorded").format(
                    value=judged.value, basis=judged.basis, key=data_name(judged.missing)
                )
            )
        elif judged.outcome is Outcome.NOT_APPLICABLE:
            lines.append(
                _("{value} towns in the list; {basis} sets no cap at this GDP per head").format(
                    value=judged.value, basis=judged.basis
                )
            )
        else:
            said = (
                judged.describe()
                if judged.outcome is Outcome.SHORT
                else _("{value} towns in the list: within {basis}'s cap of {most}").format(
                    value=judged.value, basis=judged.basis, most=_plain(judged.rule.max)
                )
            )
            lines.append(said)
    return lines


def review_json(result: ListReview) -> dict[str, Any]:
    def judged(j: Judgement) -> dict[str, Any]:
        value = j.value.value if isinstance(j.value, StrEnum) else j.value
        return {
            "check": j.rule.check,
            "document": j.rulebook.document,
            "clause": j.rule.clause,
            "strength": j.rule.strength.value,
            "outcome": j.outcome.value,
            "value": float(value) if isinstance(value, Decimal) else value,
            "bound": j.bound(),
            "missing": j.missing or None,
            "message": j.describe() if j.outcome is Outcome.SHORT else None,
        }

    return {
        "on": result.on.isoformat(),
        "documents": [b.document for b in result.rulebooks],
        "counts": {v.value: n for v, n in result.counted().items()},
        "list": [judged(j) for j in result.list_rules],
        "towns": [
            {
                "id": r.town.id,
                "name": r.town.name,
                "prefecture": r.town.prefecture.value,
                "town_type": r.town.town_type.value,
                "verdict": r.verdict.value,
                "short": [judged(j) for j in r.short],
                "missing": r.missing_keys,
            }
            for r in result.towns
        ],
    }
