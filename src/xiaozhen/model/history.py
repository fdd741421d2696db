"""A town's history, replayed: what its record should say (validate), and what it said on a date (--as-of).

A town starts as listed: its `listed_category`, 创建中, no standards data, no assessments. Each entry of
its history, in date order, moves it: `advanced` sets the stage, `exited` and `designated` the status,
`assessed` a year's result, `updated` the values of the keys it names. The functions here work on plain
mappings, either as the parser reads a file (dates as `date`, amounts as `Decimal`) or as the read cache
keeps it (JSON: dates as text, amounts as numbers); nothing is validated or printed here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from xiaozhen.i18n import _
from xiaozhen.model.fields import field_value as value_at
from xiaozhen.model.terms import SETTABLE, STAGES, Event, Status


def day(value: Any) -> date | None:
    """A date, whether the parser's `date` or the cache's text; None if it is neither."""
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def same(a: Any, b: Any) -> bool:
    """Whether two values are the same datum, however each was read (2020-01-01 and '2020-01-01', 21.5
    and Decimal('21.5'), 30 and 30.0)."""
    return bool(_comparable(a) == _comparable(b))


def _comparable(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value)).normalize()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return tuple(_comparable(v) for v in value)
    return value


def iso(value: Any) -> str | None:
    """A date as YYYY-MM-DD text, which sorts and compares as the dates do; None if it is not one."""
    if isinstance(value, date):
        return value.isoformat()
    # Text is the read cache's, whose dates were validated: its shape is enough (and cheap).
    if isinstance(value, str) and len(value) == 10 and value[4] == value[7] == "-":
        return value
    return None


def timeline(town: Mapping[str, Any]) -> list[tuple[str, Mapping[str, Any]]]:
    """The town's history entries with their dates (YYYY-MM-DD), in date order (a day's entries in the
    order they were written); an entry without a readable date is left out."""
    dated = []
    for entry in town.get("history") or []:
        when = iso(entry.get("date")) if isinstance(entry, dict) else None
        if when is not None:
            dated.append((when, entry))
    dated.sort(key=lambda pair: pair[0])
    return dated


def assessed_year(entry: Mapping[str, Any]) -> int | None:
    year = entry.get("year")
    return year if isinstance(year, int) and not isinstance(year, bool) else None


def updated_values(entry: Mapping[str, Any]) -> dict[str, Any]:
    """The keys an `updated` entry set, with their new values."""
    to = entry.get("to")
    return {str(k): v for k, v in to.items() if k in SETTABLE} if isinstance(to, dict) else {}


@dataclass(frozen=True)
class Provenance:
    """Where a recorded value comes from: the day it was recorded, and the entry's source."""

    recorded: str  # YYYY-MM-DD
    source: str | None
    filled_by: str | None

    def __str__(self) -> str:
        said = self.source or _("no source recorded")
        return f"{self.recorded}, {said}" + (f" ({self.filled_by})" if self.filled_by else "")


def provenance(town: Mapping[str, Any]) -> dict[str, Provenance]:
    """Each standards key the history sets, with the date and source of the entry that set it last."""
    found: dict[str, Provenance] = {}
    for when, entry in timeline(town):
        if entry.get("event") == "updated":
            for key in updated_values(entry):
                found[key] = Provenance(when, entry.get("source"), entry.get("filled_by"))
    return found


@dataclass
class Replayed:
    """What a town's history says its record is."""

    category: str
    status: str
    name: str = ""  # as listed, then as each `renamed` entry names it
    # Each year's result, as the last `assessed` entry for it says.
    results: dict[int, str] = field(default_factory=dict)
    # The keys the history set, with the value it set last.
    data: dict[str, Any] = field(default_factory=dict)


def replay(town: Mapping[str, Any], until: date | None = None) -> Replayed:
    """The town as its history makes it, from its listing up to the end of `until` (or to now)."""
    cutoff = until.isoformat() if until is not None else None
    return _replay(town, [e for when, e in timeline(town) if cutoff is None or when <= cutoff])


# A correction's `to` is a stage (a move undone) or a status (an exit or designation undone).
_STAGES = frozenset(stage.value for stage in STAGES)


def listed_name(town: Mapping[str, Any]) -> str:
    """The name the town was listed under: the first rename's old name, or its name."""
    renamed = [e for _, e in timeline(town) if e.get("event") == Event.RENAMED]
    return str(renamed[0].get("from")) if renamed else str(town.get("name"))


def _replay(town: Mapping[str, Any], entries: list[Mapping[str, Any]]) -> Replayed:
    state = Replayed(
        category=str(town.get("listed_category")), status=Status.CREATING.value, name=listed_name(town)
    )
    for entry in entries:
        event, to = entry.get("event"), entry.get("to")
        # a move, or a wrong move undone (a correction whose `to` is a stage)
        if isinstance(to, str) and (event == Event.ADVANCED or (event == Event.CORRECTED and to in _STAGES)):
            state.category = to
        elif event in (Event.EXITED, Event.DESIGNATED, Event.CORRECTED, Event.CLEARED) and isinstance(
            to, str
        ):
            state.status = to
        elif event == Event.RENAMED and isinstance(to, str):
            state.name = to
        elif event == Event.ASSESSED and isinstance(to, str):
            year = assessed_year(entry)
            if year is not None:
                state.results[year] = to
        elif event == Event.UPDATED:
            state.data.update(updated_values(entry))
    return state


# --- the registry on a date ----------------------------------------------------------------------


def listed_on(
    registry: Mapping[str, Any], town: Mapping[str, Any], entries: list[tuple[str, Any]] | None = None
) -> date | None:
    """The date the town was listed: batch 1 on the notice's date; a later batch on the date of its own
    notice (`declared[].issued`), or failing that of the town's `added` entry (among `entries`, its
    timeline); None if nothing says."""
    if town.get("batch") == 1:
        return day(registry["registry"]["issued"])
    for declared in registry.get("declared") or []:
        if declared.get("batch") == town.get("batch") and day(declared.get("issued")):
            return day(declared["issued"])
    added = [when for when, e in entries or timeline(town) if e.get("event") == Event.ADDED]
    return day(added[0]) if added else None


def registry_as_of(registry: Mapping[str, Any], until: date, today: date | None = None) -> dict[str, Any]:
    """The registry (as records) as it stood at the end of `until`: the towns listed by then, each with
    the stage, status, standards data, assessments and history it had then. BadValue for a date before
    the first notice or after `today`."""
    from xiaozhen.errors import BadValue

    first = day(registry["registry"]["issued"])
    if first is not None and until < first:
        raise BadValue(
            _(
                "--as-of {until} is before the first notice ({document}, issued {first}): the registry did "
                "not exist yet"
            ).format(until=until, document=registry["registry"]["document"], first=first)
        )
    if today is not None and until > today:
        raise BadValue(
            _("--as-of {until} is in the future (today is {today})").format(until=until, today=today)
        )
    towns = []
    for town in registry["towns"]:
        entries = timeline(town)
        listed = listed_on(registry, town, entries)
        if listed is None or listed <= until:
            towns.append(town_as_of(town, until, entries))
    batches = {t["batch"] for t in towns}
    declared = [
        d
        for d in registry.get("declared") or []
        if (day(d.get("issued")) or date.min) <= until and (d.get("batch") in batches or day(d.get("issued")))
    ]
    return {**registry, "declared": declared, "towns": towns}


def town_as_of(
    town: Mapping[str, Any], until: date, entries: list[tuple[str, Any]] | None = None
) -> dict[str, Any]:
    """The town as it stood at the end of `until` (`entries`: its timeline, if already at hand)."""
    cutoff = until.isoformat()
    entries = timeline(town) if entries is None else entries
    kept = [e for when, e in entries if when <= cutoff]
    state = _replay(town, kept)
    result = dict(town)
    result["category"] = state.category
    result["status"] = state.status
    result["name"] = state.name
    kept_ids = {id(e) for e in kept}
    result["history"] = [e for e in town.get("history") or [] if id(e) in kept_ids]  # in the file's order
    result["assessments"] = _assessments_as_of(town, entries, cutoff)
    updates = [
        (when, values, e.get("from"))
        for when, e in entries
        if e.get("event") == Event.UPDATED and (values := updated_values(e))
    ]
    # With no `updated` entry after the date, every datum is the record's own (the common case).
    if updates and updates[-1][0] > cutoff:
        for group, keys in _GROUPS.items():
            values = {key: _value_as_of(town, key, updates, cutoff) for key in keys}
            if group is None:
                result.update(values)
            else:
                result[group] = _nested(group, values)
    return result


# The settable keys by the mapping that holds them (None: the town itself).
_GROUPS: dict[str | None, list[str]] = {}
for _key in SETTABLE:
    _group, _dot, _leaf = _key.rpartition(".")
    _GROUPS.setdefault(_group or None, []).append(_key)


def _nested(group: str, values: dict[str, Any]) -> dict[str, Any] | None:
    """A mapping such as `investment` from its dotted keys; None when none of them is recorded."""
    leaves = {key.rpartition(".")[2]: value for key, value in values.items()}
    if all(v is None or v == [] for v in leaves.values()):
        return None
    if group == "plan" and leaves.get("conforms_to") is None:
        leaves["conforms_to"] = []
    return leaves


Update = tuple[str, dict[str, Any], Any]  # an `updated` entry: its date, the values it set, its `from`


def _value_as_of(town: Mapping[str, Any], key: str, updates: list[Update], cutoff: str) -> Any:
    """The value of one key at the end of the day `cutoff`: set last by an entry up to then; before the
    first entry that set it, what that entry says it was; with no entry at all, the record's own."""
    current = value_at(town, key)
    if key == "plan.conforms_to" and town.get("plan") is not None and current is None:
        current = []
    setting = [(when, values, before) for when, values, before in updates if key in values]
    done = [values for when, values, _ in setting if when <= cutoff]
    if done:
        return done[-1][key]
    if setting:
        before = setting[0][2]
        return before.get(key) if isinstance(before, dict) else None
    return current


def _assessments_as_of(town: Mapping[str, Any], entries: list[tuple[str, Any]], cutoff: str) -> list[Any]:
    """Each assessment as it stood at the end of the day `cutoff`: one recorded later is left out, and
    one a later entry replaced is shown as it was (that entry's `from`)."""
    by_year: dict[int, list[tuple[str, Mapping[str, Any]]]] = {}
    for when, entry in entries:
        year = assessed_year(entry) if entry.get("event") == Event.ASSESSED else None
        if year is not None:
            by_year.setdefault(year, []).append((when, entry))
    shown = []
    for assessment in town.get("assessments") or []:
        if not isinstance(assessment, dict):
            continue
        recorded = by_year.get(assessment.get("year"), [])  # type: ignore[arg-type]
        up_to = [e for when, e in recorded if when <= cutoff]
        if recorded and not up_to:
            continue  # recorded after the date
        if not recorded and (iso(assessment.get("date")) or "") > cutoff:
            continue
        if up_to and len(up_to) < len(recorded):
            replaced = recorded[len(up_to)][1].get("from")  # the next entry replaced what stood then
            if isinstance(replaced, dict):
                assessment = _replaced(assessment, replaced)
        shown.append(assessment)
    return shown


def _replaced(assessment: Mapping[str, Any], replaced: Mapping[str, Any]) -> dict[str, Any]:
    """The assessment as it was before a replacement, from the replacing entry's `from`."""
    return {key: replaced.get(key) if key != "year" else assessment["year"] for key in assessment}
