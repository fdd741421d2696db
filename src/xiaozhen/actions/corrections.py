"""Corrections and the list review: a wrong exit, designation, clearing or stage move corrected, and a
town renamed or cleared by the office's document, each kept in the history with its reason and document."""

from __future__ import annotations

from datetime import date

from xiaozhen.actions.lifecycle import (
    STATUS_EVENTS,
    Change,
    Correction,
    DataSource,
    Outcome,
    Unchanged,
    corrected_entry,
    entry,
    last_entry,
    plain,
    require,
)
from xiaozhen.errors import BadValue, Refused
from xiaozhen.i18n import _
from xiaozhen.model.schema import Town
from xiaozhen.model.terms import (
    Event,
    Result,
    Status,
)


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
    last = next((h for h in reversed(town.history) if h.event in STATUS_EVENTS), None)
    if last is not None and last.event == Event.CLEARED:  # back to the status it was cleared from
        back = str(last.from_)
        return Change(
            town.id,
            f"{town.id} {town.name}: {town.status} → {back}（更正）",
            values={"status": back},
            history=(corrected_entry(town, when, f"{last.date}的清理", correction, to=back),),
        )
    undone = last_entry(town, Event.EXITED if town.status == Status.EXITED else Event.DESIGNATED)
    kind = "退出" if town.status == Status.EXITED else "认定"
    what = f"{undone.date}的{kind}" if undone is not None else kind
    return Change(
        town.id,
        f"{town.id} {town.name}: {town.status} → 创建中（更正）",
        values={"status": Status.CREATING.value},
        history=(corrected_entry(town, when, what, correction),),
    )


def rename(town: Town, when: date, name: str, correction: Correction) -> Outcome:
    """Rename a town by the office's document, as the list review may decide (33号 (十): 更名): the
    `renamed` entry keeps the old name, `--reason` its note and `--document` its source."""
    require(town, "rename")
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
            entry(
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
    require(town, "clear")
    return Change(
        town.id,
        f"{town.id} {town.name}: {town.status} → 已退出（清理）",
        values={"status": Status.EXITED.value},
        history=(
            entry(
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
    require(town, "advance")
    moved = last_entry(town, Event.ADVANCED)
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
            corrected_entry(
                town, when, f"{moved.date}的升级", correction, from_=town.category.value, to=back
            ),
        ),
    )
