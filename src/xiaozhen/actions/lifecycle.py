"""The creation procedure as data, and each edit as a pure function from a town to a change.

A function returns a `Change` (what to set, what to append), or `Unchanged` when what was asked is
already so (a rerun), or raises `Refused` naming the rule. Nothing here reads or writes a file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from xiaozhen.errors import BadValue, HalfFilled, Refused, did_you_mean, some
from xiaozhen.i18n import N_, _
from xiaozhen.limits import line_refusal, prose_refusal
from xiaozhen.model.fields import label
from xiaozhen.model.schema import Registry, TermsStandard, Town
from xiaozhen.model.terms import (
    CHECKS,
    DATE_FORMS,
    SETTABLE,
    STAGES,
    Category,
    Event,
    Ownership,
    Prefecture,
    Result,
    Status,
    TownType,
    parse_amount,
    parse_date,
    parse_measure,
    parse_term,
    parse_yes_no,
)

# Which moves each status allows (二, 三, 五(三)): only a town in creation moves; 已退出 is final,
# and a town that left can come back only as a new application, with a new id in a later batch.
ALLOWED: dict[Status, frozenset[str]] = {
    Status.CREATING: frozenset({"advance", "assess", "designate", "withdraw", "set", "rename", "clear"}),
    Status.DESIGNATED: frozenset({"set", "rename", "clear"}),
    Status.EXITED: frozenset(),
}
WHY_NOT: dict[Status, str] = {
    Status.DESIGNATED: N_("it is already designated 省级特色产业小镇 (已认定)"),
    Status.EXITED: N_(
        "it has exited (已退出), which is final; it may return only as a new application "
        "in a later batch (`xiaozhen add`)"
    ),
}


@dataclass(frozen=True)
class DataSource:
    """Where recorded values come from (`set --source`, a returned form's 资料来源), and who filled them
    in (`--by`, the form's 填报单位 and 填报人)."""

    text: str
    filled_by: str | None = None

    def __post_init__(self) -> None:
        plain("--source", self.text)
        if not self.text.strip():
            raise BadValue(_("--source must say where the values come from"))
        if self.filled_by is not None:
            plain("--by", self.filled_by)


@dataclass(frozen=True)
class Correction:
    """Why a recorded fact is corrected (`--reason`) and the document that corrects it (`--document`):
    both are kept on the history entry that corrects it."""

    reason: str
    document: str

    def __post_init__(self) -> None:
        plain("--reason", self.reason, prose=True)
        plain("--document", self.document)
        if not self.reason.strip() or not self.document.strip():
            raise BadValue(_("a correction needs --reason and --document, the document that corrects it"))


@dataclass(frozen=True)
class Change:
    """What an edit does to one town: values to set (dotted keys), entries to append."""

    town: int
    message: str
    values: dict[str, Any] = field(default_factory=dict)
    assessment: dict[str, Any] | None = None
    history: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class Unchanged:
    """What was asked is already so: nothing to do, and not an error."""

    town: int
    message: str


Outcome = Change | Unchanged


def _require(town: Town, move: str) -> None:
    if move not in ALLOWED[town.status]:
        raise Refused(
            _("{id} {name}: cannot {move}: {why}").format(
                id=town.id, name=town.name, move=move, why=_(WHY_NOT[town.status])
            )
        )


def _entry(
    when: date,
    event: Event,
    *,
    year: int | None = None,
    from_: Any = None,
    to: Any = None,
    note: str | None = None,
    source: DataSource | None = None,
) -> dict[str, Any]:
    entry: dict[str, Any] = {"date": when, "event": event.value}
    if year is not None:
        entry["year"] = year
    if from_ is not None:
        entry["from"] = from_
    if to is not None:
        entry["to"] = to
    if note:
        entry["note"] = note
    if source is not None:
        entry["source"] = source.text
        if source.filled_by:
            entry["filled_by"] = source.filled_by
    return entry


def _corrected_entry(
    town: Town, when: date, what: str, correction: Correction, *, from_: str = "", to: str = ""
) -> dict[str, Any]:
    """The entry that corrects `what` (a wrong exit, designation, clearing or move), with its reason and
    document: by default it returns the town from its status to creation."""
    return _entry(
        when,
        Event.CORRECTED,
        from_=from_ or town.status.value,
        to=to or Status.CREATING.value,
        note=f"更正{what}：{correction.reason}",
        source=DataSource(correction.document),
    )


_STATUS_EVENTS = (Event.EXITED, Event.DESIGNATED, Event.CLEARED)


def _last(town: Town, event: Event) -> Any:
    return next((h for h in reversed(town.history) if h.event == event), None)


def reinstate(town: Town, when: date, correction: Correction) -> Outcome:
    """Correct a wrong exit (`withdraw`) or designation: the town returns to creation at its stage. An exit
    that a 不达标 result made is corrected with that result (`assess --replace`), not here."""
    if town.status == Status.CREATING:
        return Unchanged(town.id, _("{id} {name} is in creation (创建中)").format(id=town.id, name=town.name))
    failed = [a for a in town.assessments if a.result == Result.FAIL]
    if town.status == Status.EXITED and failed:
        year = failed[-1].year
        raise Refused(
            _(
                "{id} {name} exited for its {year} 不达标; correct that result, which returns it to 创建中: "
                "xiaozhen assess {id} --year {year} --result 达标 --replace --reason … --document …"
            ).format(id=town.id, name=town.name, year=year)
        )
    last = next((h for h in reversed(town.history) if h.event in _STATUS_EVENTS), None)
    if last is not None and last.event == Event.CLEARED:  # back to the status it was cleared from
        back = str(last.from_)
        return Change(
            town.id,
            f"{town.id} {town.name}: {town.status} → {back}（更正）",
            values={"status": back},
            history=(_corrected_entry(town, when, f"{last.date}的清理", correction, to=back),),
        )
    undone = _last(town, Event.EXITED if town.status == Status.EXITED else Event.DESIGNATED)
    kind = "退出" if town.status == Status.EXITED else "认定"
    what = f"{undone.date}的{kind}" if undone is not None else kind
    return Change(
        town.id,
        f"{town.id} {town.name}: {town.status} → 创建中（更正）",
        values={"status": Status.CREATING.value},
        history=(_corrected_entry(town, when, what, correction),),
    )


def rename(town: Town, when: date, name: str, correction: Correction) -> Outcome:
    """Rename a town by the office's document, as the list review may decide (33号 (十): 更名): the
    `renamed` entry keeps the old name, `--reason` its note and `--document` its source."""
    _require(town, "rename")
    name = plain("--name", name.strip())
    if not name:
        raise BadValue(_("--name must give the town's new name"))
    if name == town.name:
        return Unchanged(town.id, _("{id} {name} is already so named").format(id=town.id, name=town.name))
    return Change(
        town.id,
        f"{town.id} {town.name} → {name}（更名）",
        values={"name": name},
        history=(
            _entry(
                when,
                Event.RENAMED,
                from_=town.name,
                to=name,
                note=correction.reason,
                source=DataSource(correction.document),
            ),
        ),
    )


def clear(town: Town, when: date, correction: Correction) -> Outcome:
    """Clear a town from the list by the office's document, as the list review may decide (33号 (十):
    清理): it leaves (已退出), by a `cleared` entry, apart from an exit for a 不达标 year or a withdrawal."""
    if town.status == Status.EXITED:
        return Unchanged(town.id, _("{id} {name} has already exited").format(id=town.id, name=town.name))
    _require(town, "clear")
    return Change(
        town.id,
        f"{town.id} {town.name}: {town.status} → 已退出（清理）",
        values={"status": Status.EXITED.value},
        history=(
            _entry(
                when,
                Event.CLEARED,
                from_=town.status.value,
                to=Status.EXITED.value,
                note=correction.reason,
                source=DataSource(correction.document),
            ),
        ),
    )


def undo_advance(town: Town, when: date, correction: Correction) -> Outcome:
    """Correct a wrong stage move: the town returns to the stage before its last move, the move itself
    kept in its history and the correction naming it."""
    _require(town, "advance")
    moved = _last(town, Event.ADVANCED)
    if moved is None or moved.to != town.category.value:
        raise Refused(
            _("{id} {name} has no stage move to correct: it is {category} as listed").format(
                id=town.id, name=town.name, category=town.category
            )
        )
    back = str(moved.from_)
    return Change(
        town.id,
        f"{town.id} {town.name}: {town.category} → {back}（更正）",
        values={"category": back},
        history=(
            _corrected_entry(
                town, when, f"{moved.date}的升级", correction, from_=town.category.value, to=back
            ),
        ),
    )


def _status_entry(town: Town, when: date, status: Status, note: str) -> dict[str, Any]:
    """The history entry of a move to `status` (exited or designated), from the town's status now."""
    event = Event.EXITED if status == Status.EXITED else Event.DESIGNATED
    return _entry(when, event, from_=town.status.value, to=status.value, note=note)


def plain(label: str, text: str, *, prose: bool = False) -> str:
    """`text` as the registry may hold it (limits.py): one line of plain text, or, for a note or a
    reason (`prose`), plain text over lines; BadValue naming `label` otherwise."""
    refusal = (prose_refusal if prose else line_refusal)(text)
    if refusal:
        raise BadValue(_("{label}: {refusal}").format(label=label, refusal=refusal))
    return text


def check_date(when: date, today: date) -> None:
    if when > today:
        raise BadValue(
            _("--date {when} is in the future (today is {today}); record what has happened").format(
                when=when, today=today
            )
        )


def advance(town: Town, when: date, to: Category | None = None) -> Outcome:
    """One stage forward: 规划类 → 培育类 → 成长类, only while 创建中."""
    if to is not None and town.category == to:
        return Unchanged(town.id, _("{id} {name} is already {to}").format(id=town.id, name=town.name, to=to))
    # A town moves at most one stage a year (the yearly assessment decides it): an advance run again in the
    # year of the move, yesterday's script rerun today included, is a rerun, not a second step; a second
    # move in one year takes `--to` naming the stage.
    moved = next(
        (
            h
            for h in reversed(town.history)
            if h.event == Event.ADVANCED and h.date.year == when.year and h.to == town.category.value
        ),
        None,
    )
    if to is None and moved is not None:
        return Unchanged(
            town.id,
            _(
                "{id} {name} was advanced to {category} on {when} already; a second move in {year} takes "
                "--to naming the stage"
            ).format(id=town.id, name=town.name, category=town.category, when=moved.date, year=when.year),
        )
    _require(town, "advance")
    position = STAGES.index(town.category)
    if position == len(STAGES) - 1:
        raise Refused(
            _("{id} {name} is {category}, the last stage; there is none to advance to").format(
                id=town.id, name=town.name, category=town.category
            )
        )
    following = STAGES[position + 1]
    if to is not None and to != following:
        raise Refused(
            _(
                "{id} {name} is {category}; it can only move one step forward, to {following}, not to {to}"
            ).format(id=town.id, name=town.name, category=town.category, following=following, to=to)
        )
    return Change(
        town.id,
        f"{town.id} {town.name}: {town.category} → {following}",
        values={"category": following.value},
        history=(_entry(when, Event.ADVANCED, from_=town.category.value, to=following.value),),
    )


def assess(
    town: Town,
    registry: Registry,
    when: date,
    year: int,
    result: Result,
    *,
    score: Decimal | None = None,
    assessor: str | None = None,
    note: str | None = None,
    replace: bool = False,
    correction: Correction | None = None,
    assessed_on: date | None = None,
) -> Outcome:
    """Record one yearly result; a 不达标 result exits the town (二(三)). With `replace`, a recorded result
    is corrected; a 不达标 that exited the town, replaced by 达标 with a `correction`, returns it to
    创建中."""
    if assessor:
        plain("assessor", assessor)
    if note:
        plain("note", note, prose=True)
    if score is not None:
        if not 0 <= score <= 100:
            raise BadValue(_("--score {score} is outside 0..100").format(score=score))
        score = score.quantize(Decimal(1)) if score == score.to_integral_value() else score  # 90.0 reads 90
    recorded = next((a for a in town.assessments if a.year == year), None)
    # A score given that differs from the one recorded is a correction, never "already recorded".
    rescored = score is not None and recorded is not None and recorded.score != score
    # With --replace, a rerun that changes nothing is no correction either (an assessor or a note may be).
    kept = recorded is not None and assessor in (None, recorded.assessor) and note in (None, recorded.note)
    if recorded is not None and recorded.result == result and not rescored and (not replace or kept):
        return Unchanged(
            town.id,
            _("{id} {name}: {year} is already recorded as {result}").format(
                id=town.id, name=town.name, year=year, result=result
            ),
        )
    # A wrong 不达标 that exited the town: its correction undoes the exit too.
    reinstated = (
        town.status == Status.EXITED
        and replace
        and recorded is not None
        and recorded.result == Result.FAIL
        and result == Result.PASS
    )
    if reinstated and correction is None:
        raise Refused(
            _(
                "{id} {name} exited for its {year} 不达标; correcting the result returns it to 创建中: give "
                "--reason and --document (the document that corrects it)"
            ).format(id=town.id, name=town.name, year=year)
        )
    if not reinstated:
        _require(town, "assess")
    if recorded is not None and not replace and recorded.result != result:
        raise Refused(
            _(
                "{id} {name}: {year} is recorded as {result}; to record {result2} instead, pass --replace"
            ).format(id=town.id, name=town.name, year=year, result=recorded.result, result2=result)
        )
    if recorded is not None and not replace:  # the same result, another score
        raise Refused(
            _(
                "{id} {name}: {year} is recorded as {result} with score {score}; to record score {score2} "
                "instead, pass --replace"
            ).format(
                id=town.id,
                name=town.name,
                year=year,
                result=recorded.result,
                score=recorded.score if recorded.score is not None else "—",
                score2=score,
            )
        )
    first = registry.listing_year(town)
    if first is not None and year < first:
        raise Refused(
            _("{id} {name}: {year} is before the town was listed ({first})").format(
                id=town.id, name=town.name, year=year, first=first
            )
        )
    if year > when.year:
        raise Refused(
            _("{id} {name}: cannot record {year} on {when}: the year has not begun").format(
                id=town.id, name=town.name, year=year, when=when
            )
        )
    assessment: dict[str, Any] = {"year": year, "result": result.value}
    if score is not None:
        assessment["score"] = int(score) if score == score.to_integral_value() else float(score)
    if assessor:
        assessment["assessor"] = assessor
    assessment["date"] = assessed_on or when  # the assessment's own date, where the assessor gives it
    if note:
        assessment["note"] = note
    # A replaced result is kept in the entry that replaces it, so that the history can be rewound.
    replaced = _written(recorded.model_dump(exclude={"year"}, exclude_none=True)) if recorded else None
    said = f"{year}年度评估" + (f"：{note}" if note else "")
    if correction is not None:
        said += f"（更正：{correction.reason}）"
    history = [
        _entry(
            when,
            Event.ASSESSED,
            year=year,
            from_=replaced,
            to=result.value,
            note=said,
            source=DataSource(correction.document) if correction is not None else None,
        )
    ]
    values: dict[str, Any] = {}
    message = f"{town.id} {town.name}: {year} {result}"
    if reinstated:
        exit_entry = _last(town, Event.EXITED)
        what = f"{exit_entry.date}的退出" if exit_entry is not None else "退出"
        values["status"] = Status.CREATING.value
        history.append(_corrected_entry(town, when, what, correction))  # type: ignore[arg-type]
        message += " → 创建中（更正）"
    elif result == Result.FAIL:
        values["status"] = Status.EXITED.value
        history.append(_status_entry(town, when, Status.EXITED, f"{year}年度评估不达标（二(三)）"))
        message += " → 已退出"
    return Change(town.id, message, values=values, assessment=assessment, history=tuple(history))


def designate(town: Town, registry: Registry, when: date) -> Outcome:
    """省级特色产业小镇 (二(四)): latest assessment 达标, for a year from standards.designation_year on."""
    if town.status == Status.DESIGNATED:
        return Unchanged(town.id, _("{id} {name} is already 已认定").format(id=town.id, name=town.name))
    _require(town, "designate")
    from_year = registry.standards.designation_year.value
    latest = town.latest_assessment()
    if latest is None:
        raise Refused(
            _(
                "{id} {name}: no assessment is recorded; designation needs a 达标 year from {from_year} on"
            ).format(id=town.id, name=town.name, from_year=from_year)
        )
    if latest.result != Result.PASS or latest.year < from_year:
        raise Refused(
            _(
                "{id} {name}: the latest assessment is {year} {result}; designation needs a 达标 year from "
                "{from_year} on"
            ).format(id=town.id, name=town.name, year=latest.year, result=latest.result, from_year=from_year)
        )
    return Change(
        town.id,
        f"{town.id} {town.name}: 创建中 → 已认定",
        values={"status": Status.DESIGNATED.value},
        history=(_status_entry(town, when, Status.DESIGNATED, f"{latest.year}年度评估达标（五(三)）"),),
    )


def withdraw(town: Town, when: date, reason: str) -> Outcome:
    """Exit a town in creation (it withdrew, or the office removed it)."""
    if town.status == Status.EXITED:
        return Unchanged(town.id, _("{id} {name} has already exited").format(id=town.id, name=town.name))
    if not reason.strip():
        raise BadValue(_("--reason must say why the town exits"))
    plain("--reason", reason, prose=True)
    _require(town, "withdraw")
    return Change(
        town.id,
        f"{town.id} {town.name}: 创建中 → 已退出",
        values={"status": Status.EXITED.value},
        history=(_status_entry(town, when, Status.EXITED, reason),),
    )


def parse_setting(text: str) -> tuple[str, Any]:
    """KEY=VALUE from the command line, the value typed for its key; `null` clears a value."""
    from xiaozhen.model.fields import field_key

    key, sep, raw = text.partition("=")
    key, raw = field_key(key), raw.strip()
    if not sep or key not in SETTABLE:
        raise BadValue(
            _("'{text}' is not KEY=VALUE{did_you_mean} (KEY one of: {some})").format(
                text=text, did_you_mean=did_you_mean(key, SETTABLE), some=some(SETTABLE)
            )
        )
    if raw in ("null", "~", ""):
        return key, None
    if key.startswith("investment."):  # 30, 30亿元, 3000万元: in 亿元, as a form takes them
        try:
            number = parse_amount(raw)
        except ValueError as wrong:
            raise BadValue(_("{key}: {refusal}").format(key=key, refusal=wrong)) from None
        return key, int(number) if number == number.to_integral_value() else float(number)
    if key.startswith("indicators."):  # 3, 3平方公里, 30%, 是 — each in its check's unit
        check = CHECKS[key.removeprefix("indicators.")]
        try:
            if check.kind == "flag":
                return key, parse_yes_no(raw)
            number = parse_measure(raw, check.unit, share=check.kind == "share", whole=check.unit == "人")
        except ValueError as wrong:
            raise BadValue(_("{key}: {refusal}").format(key=key, refusal=wrong)) from None
        return key, int(number) if number == number.to_integral_value() else float(number)
    if key == "plan.approved":
        try:
            return key, parse_date(raw)
        except ValueError:
            raise BadValue(
                _("{key}: '{raw}' is not a date ({forms})").format(key=key, raw=raw, forms=_(DATE_FORMS))
            ) from None
    plain(key, raw)
    if key == "plan.conforms_to":
        return key, [p.strip() for p in raw.replace("，", ",").replace("、", ",").split(",") if p.strip()]
    if key == "developer.ownership":
        # An English alias names a type of 一(三); any other word is kept as written and judged by the
        # registry's own standards.developer_ownership when the edit is validated.
        try:
            return key, parse_term(Ownership, raw).value
        except BadValue:
            return key, raw
    return key, raw


def record(
    town: Town,
    when: date,
    settings: list[tuple[str, Any]],
    source: DataSource | None = None,
    ownership: TermsStandard | None = None,
) -> Outcome:
    """Record standards data (`set`); each key changed is named in the history. With `ownership` (the
    registry's standards.developer_ownership), a type that is a near miss of one it names (民营企 for
    民营企业) is refused as a typo; any other type (政府机关) is recorded as given, a finding of 一(三)."""
    if town.status == Status.EXITED:
        _require(town, "set")
    given = dict(settings)
    kind = given.get("developer.ownership")
    if (
        ownership is not None
        and kind is not None
        and kind not in ownership.value
        and did_you_mean(kind, ownership.value)
    ):
        raise BadValue(
            _(
                "developer.ownership: '{kind}' is not an enterprise type of {clause}{did_you_mean} (use "
                "one of: {some})"
            ).format(
                kind=kind,
                clause=ownership.clause,
                did_you_mean=did_you_mean(kind, ownership.value),
                some=some(ownership.value),
            )
        )
    current = town.model_dump(mode="python", by_alias=True)
    _whole_groups(current, given)
    before: dict[str, Any] = {}
    changed: dict[str, Any] = {}
    for key, value in settings:
        old: Any = current
        for part in key.split("."):
            old = old.get(part) if isinstance(old, dict) else None
        old = _written(old)
        if old != value:
            before[key], changed[key] = old, value
    if not changed:
        return Unchanged(
            town.id, _("{id} {name}: already recorded as given").format(id=town.id, name=town.name)
        )
    shown = "; ".join(f"{label(k)}={_show(v)}" for k, v in changed.items())  # 总投资(亿元)=30 in Chinese
    # Each key's value before and after, so the history can be replayed and rewound (`--as-of`).
    return Change(
        town.id,
        f"{town.id} {town.name}: {shown}",
        values=_cleared_groups(current, changed),
        history=(_entry(when, Event.UPDATED, from_=before, to=changed, source=source),),
    )


def _cleared_groups(current: dict[str, Any], changed: dict[str, Any]) -> dict[str, Any]:
    """The values to set, with a group every key of which is now empty set to null as a whole (the
    registry writes `investment: null`, not a mapping of nulls); the history keeps each key."""
    values = dict(changed)
    for group in ("investment", "developer", "plan", "indicators"):
        after = _group_after(current, changed, group)
        if after is not None and all(v in (None, []) for v in after.values()):
            for key in [k for k in changed if k.startswith(group + ".")]:
                del values[key]
            values[group] = None
    return values


def _group_after(current: dict[str, Any], given: dict[str, Any], group: str) -> dict[str, Any] | None:
    """The keys of `group` (investment, developer, plan) once `given` is set; None if it sets none."""
    parts = {k.split(".", 1)[1]: v for k, v in given.items() if k.startswith(group + ".")}
    return {**(current.get(group) or {}), **parts} if parts else None


# The keys that only go together: an amount without the other has no share, a type without a name names
# no developer. Each with what a person types to give both.
_TOGETHER = {
    "investment": (("total", "leading_industry"), "investment.total=30 investment.leading_industry=21.5"),
    "developer": (("name",), "developer.name=某某集团有限公司 developer.ownership=国有企业"),
}


def _whole_groups(current: dict[str, Any], given: dict[str, Any]) -> None:
    """BadValue when the settings would leave a group half filled, naming the missing key."""
    for group, (required, example) in _TOGETHER.items():
        after = _group_after(current, given, group)
        if after is None or all(v is None for v in after.values()):
            continue  # not set, or cleared: the group is null
        missing = [f"{group}.{part}" for part in required if after.get(part) is None]
        if missing:
            raise HalfFilled(
                _("{value} is not recorded, and {group} needs it: give both, e.g. {example}").format(
                    value=missing[0], group=group, example=example
                ),
                missing[0],
            )


def _written(value: Any) -> Any:
    """A value as the registry file writes it: a term as its text, an amount as an int or a float."""
    if isinstance(value, dict):
        return {k: _written(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_written(v) for v in value]
    value = value.value if isinstance(value, StrEnum) else value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _show(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, list):
        return "、".join(value)
    return str(value)


@dataclass(frozen=True)
class NewTown:
    name: str
    prefecture: Prefecture
    category: Category
    town_type: TownType
    batch: int
    county: str | None = None


def add(
    registry: Registry, when: date, new: NewTown, next_id: int | None = None
) -> tuple[dict[str, Any] | None, Outcome]:
    """A town of a later batch, with the next id (or `next_id`, for the second of several added in one
    edit); the same town added again changes nothing."""
    plain("--name", new.name)
    if new.county is not None:
        plain("--county", new.county)
    if new.batch < 2:
        raise BadValue(
            _("--batch: batch 1 is the 2019 annex and is complete; a new town belongs to batch 2 or later")
        )
    for town in registry.towns:
        if town.name == new.name:
            same = (town.prefecture, town.listed_category, town.town_type, town.batch, town.county) == (
                new.prefecture,
                new.category,
                new.town_type,
                new.batch,
                new.county,
            )
            if same:
                return None, Unchanged(
                    town.id,
                    _("{id} {name} is already in batch {batch}").format(
                        id=town.id, name=town.name, batch=town.batch
                    ),
                )
            raise Refused(
                _("a town named {name} is already listed as {id}, with other details").format(
                    name=new.name, id=town.id
                )
            )
    if next_id is None:
        next_id = max((t.id for t in registry.towns), default=0) + 1
    node: dict[str, Any] = {
        "id": next_id,
        "name": new.name,
        "prefecture": new.prefecture.value,
        "county": new.county,
        "category": new.category.value,
        "listed_category": new.category.value,
        "town_type": new.town_type.value,
        "status": Status.CREATING.value,
        "batch": new.batch,
        "leading_industry": None,
        "investment": None,
        "developer": None,
        "plan": None,
        "management": None,
        "assessments": [],
        "history": [_entry(when, Event.ADDED, note=f"第 {new.batch} 批")],
    }
    return node, Change(
        next_id,
        _("{id} {name}: added to batch {batch} as {category}").format(
            id=next_id, name=new.name, batch=new.batch, category=new.category
        ),
    )


def admit(
    registry: Registry,
    when: date,
    new: NewTown,
    settings: list[tuple[str, Any]],
    source: DataSource,
    next_id: int | None = None,
) -> tuple[dict[str, Any] | None, Outcome]:
    """An applicant the published list names, added as `add` adds a town, with the standards data of its
    application recorded on the same day (an `updated` entry naming the application as its source)."""
    _whole_groups({}, dict(settings))
    node, outcome = add(registry, when, new, next_id)
    if node is None or not settings:
        return node, outcome
    for key, value in settings:
        group, _, part = key.partition(".")
        if part:
            node[group] = {**(node.get(group) or {}), part: value}
        else:
            node[key] = value
    changed = dict(settings)
    node["history"].append(
        _entry(when, Event.UPDATED, from_=dict.fromkeys(changed), to=changed, source=source)
    )
    shown = "; ".join(f"{label(k)}={_show(v)}" for k, v in changed.items())  # 总投资(亿元)=30 in Chinese
    return node, Change(outcome.town, f"{outcome.message}; {shown}")
