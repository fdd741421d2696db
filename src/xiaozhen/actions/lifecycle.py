"""The creation procedure as data, and each edit as a pure function from a town to a change.

A function returns a `Change` (what to set, what to append), or `Unchanged` when what was asked is
already so (a rerun), or raises `Refused` naming the rule. Nothing here reads or writes a file. Here are
the yearly moves (advance, assess, designate, withdraw) and what every edit shares; corrections and the
list review, the recording of data, and new towns are in the modules beside this one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from xiaozhen.errors import BadValue, Refused
from xiaozhen.i18n import N_, _
from xiaozhen.limits import line_refusal, prose_refusal
from xiaozhen.model.fields import plain_number
from xiaozhen.model.schema import Registry, Town
from xiaozhen.model.terms import (
    STAGES,
    Category,
    Event,
    Result,
    Status,
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


def require(town: Town, move: str) -> None:
    if move not in ALLOWED[town.status]:
        raise Refused(
            _("{id} {name}: cannot {move}: {why}").format(
                id=town.id, name=town.name, move=move, why=_(WHY_NOT[town.status])
            )
        )


def entry(
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


def status_entry(town: Town, when: date, status: Status, note: str) -> dict[str, Any]:
    """The history entry of a move to `status` (exited or designated), from the town's status now."""
    event = Event.EXITED if status == Status.EXITED else Event.DESIGNATED
    return entry(when, event, from_=town.status.value, to=status.value, note=note)


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
    require(town, "advance")
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
        history=(entry(when, Event.ADVANCED, from_=town.category.value, to=following.value),),
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
        require(town, "assess")
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
        assessment["score"] = plain_number(score)
    if assessor:
        assessment["assessor"] = assessor
    assessment["date"] = assessed_on or when  # the assessment's own date, where the assessor gives it
    if note:
        assessment["note"] = note
    # A replaced result is kept in the entry that replaces it, so that the history can be rewound.
    replaced = written(recorded.model_dump(exclude={"year"}, exclude_none=True)) if recorded else None
    said = f"{year}年度评估" + (f"：{note}" if note else "")
    if correction is not None:
        said += f"（更正：{correction.reason}）"
    history = [
        entry(
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
        exit_entry = last_entry(town, Event.EXITED)
        what = f"{exit_entry.date}的退出" if exit_entry is not None else "退出"
        values["status"] = Status.CREATING.value
        history.append(corrected_entry(town, when, what, correction))  # type: ignore[arg-type]
        message += " → 创建中（更正）"
    elif result == Result.FAIL:
        values["status"] = Status.EXITED.value
        history.append(status_entry(town, when, Status.EXITED, f"{year}年度评估不达标（二(三)）"))
        message += " → 已退出"
    return Change(town.id, message, values=values, assessment=assessment, history=tuple(history))


def designate(town: Town, registry: Registry, when: date) -> Outcome:
    """省级特色产业小镇 (二(四)): latest assessment 达标, for a year from standards.designation_year on."""
    if town.status == Status.DESIGNATED:
        return Unchanged(town.id, _("{id} {name} is already 已认定").format(id=town.id, name=town.name))
    require(town, "designate")
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
        history=(status_entry(town, when, Status.DESIGNATED, f"{latest.year}年度评估达标（五(三)）"),),
    )


def withdraw(town: Town, when: date, reason: str) -> Outcome:
    """Exit a town in creation (it withdrew, or the office removed it)."""
    if town.status == Status.EXITED:
        return Unchanged(town.id, _("{id} {name} has already exited").format(id=town.id, name=town.name))
    if not reason.strip():
        raise BadValue(_("--reason must say why the town exits"))
    plain("--reason", reason, prose=True)
    require(town, "withdraw")
    return Change(
        town.id,
        f"{town.id} {town.name}: 创建中 → 已退出",
        values={"status": Status.EXITED.value},
        history=(status_entry(town, when, Status.EXITED, reason),),
    )


def corrected_entry(
    town: Town, when: date, what: str, correction: Correction, *, from_: str = "", to: str = ""
) -> dict[str, Any]:
    """The entry that corrects `what` (a wrong exit, designation, clearing or move), with its reason and
    document: by default it returns the town from its status to creation."""
    return entry(
        when,
        Event.CORRECTED,
        from_=from_ or town.status.value,
        to=to or Status.CREATING.value,
        note=f"更正{what}：{correction.reason}",
        source=DataSource(correction.document),
    )


STATUS_EVENTS = (Event.EXITED, Event.DESIGNATED, Event.CLEARED)


def last_entry(town: Town, event: Event) -> Any:
    return next((h for h in reversed(town.history) if h.event == event), None)


def written(value: Any) -> Any:
    """A value as the registry file writes it: a term as its text, an amount as an int or a float."""
    if isinstance(value, dict):
        return {k: written(v) for k, v in value.items()}
    if isinstance(value, list):
        return [written(v) for v in value]
    value = value.value if isinstance(value, StrEnum) else value
    if isinstance(value, Decimal):
        return plain_number(value)
    return value


def shown_value(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, list):
        return "、".join(value)
    return str(value)


def each(names: list[str], step: Callable[[Any, Any], Any]) -> Callable[[Any], None]:
    """A change of the registry that resolves every town named first (so a typo changes nothing), then
    applies `step` (document, town) to each: its Change applied, its Unchanged said."""

    def change(document: Any) -> None:
        from xiaozhen.actions.query import find_town

        towns = [(t.id, t.name) for t in document.registry.towns]
        ids = [find_town(towns, name) for name in names]
        for town_id in dict.fromkeys(ids):
            outcome = step(document, document.town(town_id))
            if isinstance(outcome, Unchanged):
                document.messages.append(outcome.message)
            else:
                document.apply(outcome)

    return change
