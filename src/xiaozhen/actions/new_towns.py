"""New towns: one of a later batch (`add`), and the applicants a published list admits (`admit`), each
with the next id and its first history entry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from xiaozhen.actions.lifecycle import Change, DataSource, Outcome, Unchanged, entry, plain, shown_value
from xiaozhen.actions.recording import whole_groups
from xiaozhen.errors import BadValue, Refused
from xiaozhen.i18n import _
from xiaozhen.model.fields import label
from xiaozhen.model.schema import Registry
from xiaozhen.model.terms import (
    Category,
    Event,
    Prefecture,
    Status,
    TownType,
)


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
        "history": [entry(when, Event.ADDED, note=f"第 {new.batch} 批")],
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
    whole_groups({}, dict(settings))
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
        entry(when, Event.UPDATED, from_=dict.fromkeys(changed), to=changed, source=source)
    )
    shown = "; ".join(
        f"{label(k)}={shown_value(v)}" for k, v in changed.items()
    )  # 总投资(亿元)=30 in Chinese
    return node, Change(outcome.town, f"{outcome.message}; {shown}")
