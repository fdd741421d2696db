"""The notice's vocabulary as closed sets, and how a user may write each term on the command line.

Kept apart from the schema (and from pydantic) so that parsing a command line costs nothing.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any, NamedTuple, TypeVar

from xiaozhen.errors import BadValue, did_you_mean, some
from xiaozhen.i18n import N_, _


class Category(StrEnum):
    """The stage a town is in (三): 规划类 → 培育类 → 成长类."""

    PLANNING = "规划类"
    CULTIVATION = "培育类"
    GROWTH = "成长类"


# The order a town moves through; a town only moves forward, one step at a time.
STAGES: tuple[Category, ...] = (Category.PLANNING, Category.CULTIVATION, Category.GROWTH)
# The order the notice lists them in (三, and the annex): 成长类, 培育类, 规划类; tables follow it.
LISTED_STAGES: tuple[Category, ...] = tuple(reversed(STAGES))


class TownType(StrEnum):
    INCORPORATED = "建制镇"
    UNINCORPORATED = "非建制镇"


class Status(StrEnum):
    CREATING = "创建中"
    DESIGNATED = "已认定"
    EXITED = "已退出"


class Result(StrEnum):
    PASS = "达标"
    FAIL = "不达标"


class Strength(StrEnum):
    """How a later document's rule binds: as a rule, or 原则上 (in principle: advisory)."""

    BINDING = "约束"
    ADVISORY = "原则上"


class Ownership(StrEnum):
    """The enterprise types of 一(三), for their English aliases on the command line; the types a
    registry accepts are its `standards.developer_ownership`."""

    STATE = "国有企业"
    PRIVATE = "民营企业"
    MIXED = "混合所有制企业"
    OTHER = "其他企业"


class Event(StrEnum):
    ADDED = "added"
    ADVANCED = "advanced"
    ASSESSED = "assessed"
    EXITED = "exited"
    DESIGNATED = "designated"
    UPDATED = "updated"
    # A wrong exit or designation undone (`to` the status, 创建中), or a wrong stage move (`to` the stage
    # before it); `note` says why, `source` names the document that corrects it. The entry it corrects
    # stays in the history.
    CORRECTED = "corrected"
    # The outcomes of the list review (国办发〔2020〕33号 (十)): a town renamed by the office's document
    # (`from` the old name, `to` the new), or cleared from the list (`to` 已退出, not an exit for a failed
    # assessment or a withdrawal); `source` names the document.
    RENAMED = "renamed"
    CLEARED = "cleared"


class Prefecture(StrEnum):
    """The headings the annex lists towns under."""

    CHANGCHUN = "长春市"
    JILIN = "吉林市"
    SIPING = "四平市"
    LIAOYUAN = "辽源市"
    TONGHUA = "通化市"
    BAISHAN = "白山市"
    SONGYUAN = "松原市"
    BAICHENG = "白城市"
    YANBIAN = "延边州"
    CHANGBAISHAN = "长白山保护开发区"
    MEIHEKOU = "梅河口市"
    GONGZHULING = "公主岭市"


class NoticeStandard(NamedTuple):
    """A standard the rules apply, as the 2019 notice sets it: the value a registry that does not state
    its own standard is checked against."""

    clause: str
    value: Any
    meaning: str


# The standards of 吉政办明电〔2019〕5号 that the rules apply, in the notice's order (each meaning is
# English, as the JSON gives it; a table shows it in the reader's language). A registry's
# `standards` section states them (a later notice may change one); these are its values where a file
# written before the section held them all leaves one out.
NOTICE_STANDARDS: dict[str, NoticeStandard] = {
    "plan_conforms_to": NoticeStandard(
        "一(二)",
        ["城镇体系规划", "土地利用总体规划", "主体功能区规划", "生态环保要求", "保护区相关规定"],
        N_("a town's plan conforms to each of these plans and rules"),
    ),
    "developer_ownership": NoticeStandard(
        "一(三)",
        ["国有企业", "民营企业", "混合所有制企业", "其他企业"],
        N_("the developer (建设主体) is an enterprise of one of these types (市场化导向)"),
    ),
    "leading_industry_min_share": NoticeStandard(
        "一(四)",
        Decimal("0.5"),
        N_("leading-industry investment is at least this share of the total (不能低于50%)"),
    ),
    "designation_year": NoticeStandard(
        "五(三)",
        2020,
        N_("a town that passes its assessment is designated (已认定) from this year on"),
    ),
}


# The checks a rule of the registry's `rulebooks` may name (norms.py applies them), what each reads.
class Check(NamedTuple):
    """What a rule's `check` key reads and how: an amount or a share against `min`/`max`, a yes/no that
    passes when it is `passes`, the town's type, or the length of the list."""

    name: str  # as the documents word it
    kind: str  # "amount", "share", "flag", "town" or "list"
    unit: str = ""
    passes: bool | None = None  # a flag's passing value


CHECKS: dict[str, Check] = {
    "administrative_town": Check("不得将行政建制镇命名为特色小镇", "town"),
    "planned_area": Check("规划面积", "amount", "平方公里"),
    "construction_land": Check("建设用地面积", "amount", "平方公里"),
    "boundary_stated": Check("四至范围清晰", "flag", passes=True),
    "control_lines_kept": Check("严守三条控制线", "flag", passes=True),
    "county_debt_warning": Check("县级政府债务风险预警地区", "flag", passes=False),
    "green_cover": Check("绿化覆盖率", "share"),
    "leading_share": Check("特色产业投资占总投资比例", "share"),
    "investment_per_mu": Check("建设用地亩均累计投资额", "amount", "万元/亩"),
    "labour_productivity": Check("全员劳动生产率", "amount", "万元/人"),
    "employment": Check("吸纳就业人数", "amount", "人"),
    "tax_per_mu": Check("建设用地亩均缴纳税收额", "amount", "万元/亩"),
    "visitors": Check("年接待游客人数", "amount", "万人次"),
    "new_economy_share": Check("“三新”经济增加值占比", "share"),
    "rd_intensity": Check("研发经费投入强度", "share"),
    "residential_share": Check("住宅用地占建设用地比重", "share"),
    "list_cap": Check("清单内特色小镇数量", "list", "个"),
}

# The town's indicators as the form and `set` name them (indicators.planned_area …), in the 导则's order.
INDICATORS = tuple(
    k for k, c in CHECKS.items() if c.kind in ("amount", "share", "flag") and k != "leading_share"
)


# The keys `set` records, and how each value is read from the command line.
SETTABLE = (
    "leading_industry",
    "investment.total",
    "investment.leading_industry",
    "developer.name",
    "developer.ownership",
    "plan.title",
    "plan.approved",
    "plan.conforms_to",
    "management",
    "industry_class",
    *(f"indicators.{key}" for key in INDICATORS),
)

# Other spellings accepted wherever a term is typed, besides the terms themselves: the office's other
# words for them (合格 for 达标, a prefecture's official full name) and English aliases.
ALIASES: dict[type[StrEnum], dict[str, str]] = {
    Category: {"growth": "成长类", "cultivation": "培育类", "planning": "规划类"},
    TownType: {"incorporated": "建制镇", "unincorporated": "非建制镇"},
    Status: {
        "认定": "已认定",
        "退出": "已退出",
        "creating": "创建中",
        "designated": "已认定",
        "exited": "已退出",
    },
    Result: {"合格": "达标", "不合格": "不达标", "pass": "达标", "fail": "不达标"},
    Ownership: {"state": "国有企业", "private": "民营企业", "mixed": "混合所有制企业", "other": "其他企业"},
    Prefecture: {"延边朝鲜族自治州": "延边州", "长白山保护开发区管理委员会": "长白山保护开发区"},
}

# How each closed set is named in messages.
LABELS: dict[type[StrEnum], str] = {
    Category: N_("category"),
    TownType: N_("town type"),
    Status: N_("status"),
    Result: N_("result"),
    Ownership: N_("ownership"),
    Prefecture: N_("prefecture"),
    Event: N_("event"),
}

E = TypeVar("E", bound=StrEnum)


def choices(enum: type[StrEnum]) -> list[str]:
    """Every accepted spelling: the Chinese terms, then the other words and English aliases (these last
    not listed to a reader of Chinese, who has no use for them)."""
    from xiaozhen.i18n import speaking

    aliases = list(ALIASES.get(enum, {}))
    if speaking() == "zh":
        aliases = [a for a in aliases if not a.isascii()]
    return [m.value for m in enum] + aliases


def parse_term(enum: type[E], text: str) -> E:
    """The member that `text` names: a Chinese term, an English alias, or an unambiguous beginning of a
    term (长春 → 长春市, 延边 → 延边州, 培育 → 培育类, 非建制 → 非建制镇); else BadValue with the closest
    term and every one accepted."""
    import unicodedata

    word = unicodedata.normalize("NFKC", text).strip()
    for member in enum:
        if word == member.value:
            return member
    alias = ALIASES.get(enum, {}).get(word.lower())
    if alias is not None:
        return enum(alias)
    if word:
        found = [m for m in enum if m.value.startswith(word)]
        if len(found) == 1:
            return found[0]
    label = _(LABELS.get(enum, enum.__name__))
    close = did_you_mean(word, choices(enum))
    accepted = _("use one of: {terms}").format(terms=some(choices(enum)))
    raise BadValue(
        _("'{text}' is not a {label}{close} ({accepted})").format(
            text=text, label=label, close=close, accepted=accepted
        )
        if close
        else _("'{text}' is not a {label}; {accepted}").format(text=text, label=label, accepted=accepted)
    )


# The ways an analyst types a date, as Excel on Chinese Windows shows it: 2020-1-1, 2020/1/1, 2020.1.1,
# 2020年1月1日 (full-width digits too).
DATE_FORMS = N_("YYYY-MM-DD, YYYY/M/D, YYYY.M.D or YYYY年M月D日")  # _(DATE_FORMS) where it is shown
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def parse_date(text: str) -> date:
    """The day `text` names in any of DATE_FORMS; ValueError otherwise (the caller names the option)."""
    import unicodedata

    match = _DATE.match(unicodedata.normalize("NFKC", text).strip())
    if match is None:
        raise ValueError(text)
    return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))


# --- numbers as typed -----------------------------------------------------------------------------
# The office types a year, a score or an amount with its unit (2020年, 88分, 30亿元, 3000万元): taken
# the same wherever one is asked for, on the command line and in a spreadsheet.

_YEAR = re.compile(r"^(\d{4})(?:年度?)?$")
# Unambiguous, so linear in its input: digits (with thousands commas), then an optional fraction.
_AMOUNT = re.compile(r"^(-?(?:\d[\d,]*(?:\.\d+)?|\.\d+))(亿元|亿|万元|万|元)?$")
_TYPED_NUMBER = 40  # characters: a longer "number" is refused before any pattern reads it
_PER_YI = {"亿元": 1, "万元": 10_000, "元": 100_000_000}


def _folded_number(text: str) -> str:
    import unicodedata

    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def parse_year(text: str) -> int:
    """2020, 2020年 or 2020年度; ValueError otherwise."""
    match = _YEAR.match(_folded_number(text)[:_TYPED_NUMBER])
    if match is None:
        raise ValueError(_("'{value}' is not a year").format(value=text[:_TYPED_NUMBER]))
    return int(match.group(1))


def parse_score(text: str, *, bounded: bool = True) -> Decimal:
    """88, 88.5 or 88分, from 0 to 100 (unless not `bounded`: the caller says it); ValueError otherwise."""
    from decimal import InvalidOperation

    folded = _folded_number(text).removesuffix("分")
    try:
        score = Decimal(folded) if len(folded) <= _TYPED_NUMBER else None
    except InvalidOperation:
        score = None
    if score is None or not score.is_finite():
        raise ValueError(_("'{value}' is not a number").format(value=text[:_TYPED_NUMBER]))
    if bounded and not 0 <= score <= 100:
        raise ValueError(_("'{value}' is outside 0..100").format(value=text))
    return score


# 是/否 as the office writes them in a form or on the command line.
YES = frozenset({"是", "√", "✓", "✔", "y", "yes", "true", "1", "符合", "对"})
NO = frozenset({"否", "×", "✗", "✘", "x", "n", "no", "false", "0", "不符合", "不"})


def parse_yes_no(text: str) -> bool:
    """是 or 否 (√, ×, yes, no …); ValueError otherwise."""
    folded = _folded_number(text).lower()[:_TYPED_NUMBER]
    if folded in YES or folded in NO:
        return folded in YES
    raise ValueError(_("'{value}' is not 是 or 否").format(value=folded))


_MEASURE = re.compile(r"^([0-9][0-9,]*(?:\.[0-9]+)?)(.*)$")


def parse_measure(text: str, unit: str, *, share: bool = False, whole: bool = False) -> Decimal:
    """A quantity ≥ 0 with or without its `unit` (3, 3平方公里, 2000人); a share as 30% or 0.3; a `whole`
    number (a head count) without decimals. ValueError saying what is wrong."""
    from xiaozhen.limits import number_refusal

    folded = _folded_number(text)[: _TYPED_NUMBER + 8]
    match = _MEASURE.match(folded)
    written = match.group(2) if match else ""
    percent = written in ("%", "％")
    if match is None or (written and not percent and written not in (unit, unit.replace("平方公里", "km2"))):
        expected = _("a share (0.3 or 30%)") if share else unit or _("a number")
        raise ValueError(_("'{value}' is not {expected}").format(value=folded, expected=expected))
    digits = match.group(1).replace(",", "")
    number = Decimal(digits)
    refusal = number_refusal(digits, number)
    if refusal:
        raise ValueError(refusal)
    if share:
        if percent:
            number /= 100
        if number > 1:
            raise ValueError(_("'{value}' is over 100%: write a share as 0.3 or 30%").format(value=folded))
    elif percent:
        raise ValueError(_("'{value}' is not {expected}").format(value=folded, expected=unit))
    if whole and number != number.to_integral_value():
        raise ValueError(_("'{value}' is not a whole number").format(value=folded))
    return number.normalize()


def parse_amount(text: str, unit: str = "亿元") -> Decimal:
    """An amount in 亿元 from text with or without its unit (30, 30亿元, 2,000万元; `unit` when none is
    written), exactly; ValueError saying what is wrong."""
    from xiaozhen.limits import number_refusal

    folded = _folded_number(text)
    match = _AMOUNT.match(folded) if len(folded) <= _TYPED_NUMBER else None
    if not match:
        raise ValueError(_("'{value}' is not an amount (亿元)").format(value=folded[:_TYPED_NUMBER]))
    digits, written = match.group(1).replace(",", ""), match.group(2)
    if written:
        unit = "万元" if written.startswith("万") else ("元" if written == "元" else "亿元")
    number = Decimal(digits)
    refusal = number_refusal(digits, number)
    if refusal:
        raise ValueError(refusal)
    if number < 0:
        raise ValueError(_("'{value}' is below zero").format(value=digits))
    return (number / _PER_YI[unit]).normalize()
