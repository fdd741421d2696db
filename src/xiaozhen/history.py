"""A town's history, replayed: what its record should say (validate), and what it said on a date (--as-of).

A town starts as listed: its `listed_category`, 创建中, no standards data, no assessments. Each entry of
its history, in date order, moves it: `advanced` sets the stage, `exited` and `designated` the status,
`assessed` a year's result, `updated` the values of the keys it names. The functions here work on plain
mappings, either as the parser reads a file (dates as `date`, amounts as `Decimal`) or as the read cache
keeps it (JSON: dates as text, amounts as numbers); nothing is validated or printed here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from xiaozhen.terms import SETTABLE, Event, Status

# How an `updated` entry written before entries recorded values named its keys: "key=value; key=value".
_NOTED_KEYS = re.compile(r"(?:^|; )([a-z_]+(?:\.[a-z_]+)?)=")
# How an `assessed` entry written before entries recorded the year named it: "2020 assessment".
_NOTED_YEAR = re.compile(r"^(\d{4}) assessment")
# A value an entry written before values were recorded cannot say: the record's own stands in.
UNKNOWN = object()


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


def value_at(town: Mapping[str, Any], key: str) -> Any:
    """The town's value at a dotted key (investment.total); None where a part is not recorded."""
    value: Any = town
    for part in key.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def entries(town: Mapping[str, Any]) -> list[tuple[int, Mapping[str, Any]]]:
    """The town's history entries with their index in the file, in date order (a day's entries in the
    order they were written); an entry without a readable date is left out."""
    history = town.get("history") or []
    dated = [(i, e) for i, e in enumerate(history) if isinstance(e, Mapping) and day(e.get("date"))]
    return sorted(dated, key=lambda pair: day(pair[1]["date"]) or date.min)


def assessed_year(entry: Mapping[str, Any]) -> int | None:
    year = entry.get("year")
    if isinstance(year, int) and not isinstance(year, bool):
        return year
    noted = _NOTED_YEAR.match(str(entry.get("note") or ""))
    return int(noted.group(1)) if noted else None


def updated_values(entry: Mapping[str, Any]) -> dict[str, Any]:
    """The keys an `updated` entry set, with their new values (UNKNOWN for an entry that only noted
    them)."""
    to = entry.get("to")
    if isinstance(to, Mapping):
        return {str(k): v for k, v in to.items() if k in SETTABLE}
    noted = _NOTED_KEYS.findall(str(entry.get("note") or ""))
    return {k: UNKNOWN for k in noted if k in SETTABLE}


@dataclass
class Replayed:
    """What a town's history says its record is."""

    category: str
    status: str
    # Each year's result, as the last `assessed` entry for it says.
    results: dict[int, str] = field(default_factory=dict)
    # The keys the history set, with the value it set last (UNKNOWN where an old entry did not say).
    data: dict[str, Any] = field(default_factory=dict)


def replay(town: Mapping[str, Any], until: date | None = None) -> Replayed:
    """The town as its history makes it, from its listing up to the end of `until` (or to now)."""
    state = Replayed(category=str(town.get("listed_category")), status=Status.CREATING.value)
    for _, entry in entries(town):
        when = day(entry["date"])
        if until is not None and when is not None and when > until:
            break
        event, to = entry.get("event"), entry.get("to")
        if event == Event.ADVANCED and isinstance(to, str):
            state.category = to
        elif event in (Event.EXITED, Event.DESIGNATED) and isinstance(to, str):
            state.status = to
        elif event == Event.ASSESSED and isinstance(to, str):
            year = assessed_year(entry)
            if year is not None:
                state.results[year] = to
        elif event == Event.UPDATED:
            state.data.update(updated_values(entry))
    return state


# --- the registry on a date ----------------------------------------------------------------------


def listed_on(registry: Mapping[str, Any], town: Mapping[str, Any]) -> date | None:
    """The date the town was listed: batch 1 on the notice's date; a later batch on the date of its own
    notice (`declared[].issued`), or failing that of the town's `added` entry; None if nothing says."""
    if town.get("batch") == 1:
        return day(registry["registry"]["issued"])
    for declared in registry.get("declared") or []:
        if declared.get("batch") == town.get("batch") and day(declared.get("issued")):
            return day(declared["issued"])
    added = [day(e["date"]) for _, e in entries(town) if e.get("event") == Event.ADDED]
    return min((d for d in added if d), default=None)


def registry_as_of(registry: Mapping[str, Any], until: date, today: date | None = None) -> dict[str, Any]:
    """The registry (as records) as it stood at the end of `until`: the towns listed by then, each with
    the stage, status, standards data, assessments and history it had then. BadValue for a date before
    the first notice or after `today`."""
    from xiaozhen.errors import BadValue

    first = day(registry["registry"]["issued"])
    if first is not None and until < first:
        raise BadValue(
            f"--as-of {until} is before the first notice ({registry['registry']['document']}, "
            f"issued {first}): the registry did not exist yet"
        )
    if today is not None and until > today:
        raise BadValue(f"--as-of {until} is in the future (today is {today})")
    towns = []
    for town in registry["towns"]:
        listed = listed_on(registry, town)
        if listed is None or listed <= until:
            towns.append(town_as_of(town, until))
    batches = {t["batch"] for t in towns}
    declared = [
        d
        for d in registry.get("declared") or []
        if (day(d.get("issued")) or date.min) <= until and (d.get("batch") in batches or day(d.get("issued")))
    ]
    return {**registry, "declared": declared, "towns": towns}


def town_as_of(town: Mapping[str, Any], until: date) -> dict[str, Any]:
    state = replay(town, until)
    kept = [e for e in town.get("history") or [] if (day(e.get("date")) or date.max) <= until]
    result = dict(town)
    result["category"] = state.category
    result["status"] = state.status
    result["history"] = kept
    result["assessments"] = _assessments_as_of(town, until)
    for group, keys in _GROUPS.items():
        values = {key: _value_as_of(town, key, until) for key in keys}
        if group is None:
            result.update(values)
        else:
            result[group] = _nested(group, values)
    return result


# The settable keys by the mapping that holds them (None: the town itself).
_GROUPS: dict[str | None, list[str]] = {}
for _key in SETTABLE:
    _group, _, _leaf = _key.rpartition(".")
    _GROUPS.setdefault(_group or None, []).append(_key)


def _nested(group: str, values: dict[str, Any]) -> dict[str, Any] | None:
    """A mapping such as `investment` from its dotted keys; None when none of them is recorded."""
    leaves = {key.rpartition(".")[2]: value for key, value in values.items()}
    if all(v is None or v == [] for v in leaves.values()):
        return None
    if group == "plan" and leaves.get("conforms_to") is None:
        leaves["conforms_to"] = []
    return leaves


def _value_as_of(town: Mapping[str, Any], key: str, until: date) -> Any:
    """The value of one key at the end of `until`: set last by an entry up to then; before the first
    entry that set it, what that entry says it was; with no entry at all, the record's own."""
    current = value_at(town, key)
    if key == "plan.conforms_to" and town.get("plan") is not None:
        current = current if current is not None else []
    setting = [e for _, e in entries(town) if e.get("event") == Event.UPDATED and key in updated_values(e)]
    before = [e for e in setting if (day(e["date"]) or date.min) <= until]
    if before:
        value = updated_values(before[-1])[key]
        return current if value is UNKNOWN else value
    if setting:
        first = setting[0].get("from")
        return first.get(key) if isinstance(first, Mapping) else None
    return current


def _assessments_as_of(town: Mapping[str, Any], until: date) -> list[Any]:
    """Each assessment as it stood at the end of `until`: one recorded later is left out, and one a later
    entry replaced is shown as it was (that entry's `from`)."""
    by_year: dict[int, list[Mapping[str, Any]]] = {}
    for _, entry in entries(town):
        year = assessed_year(entry) if entry.get("event") == Event.ASSESSED else None
        if year is not None:
            by_year.setdefault(year, []).append(entry)
    shown = []
    for assessment in town.get("assessments") or []:
        if not isinstance(assessment, Mapping):
            continue
        recorded = by_year.get(assessment.get("year"), [])  # type: ignore[arg-type]
        up_to = [e for e in recorded if (day(e["date"]) or date.min) <= until]
        if recorded and not up_to:
            continue  # recorded after the date
        if not recorded and (day(assessment.get("date")) or date.min) > until:
            continue
        if up_to and len(up_to) < len(recorded):
            replaced = recorded[len(up_to)].get("from")  # the next entry replaced what stood then
            if isinstance(replaced, Mapping):
                assessment = _replaced(assessment, replaced)
        shown.append(assessment)
    return shown


def _replaced(assessment: Mapping[str, Any], replaced: Mapping[str, Any]) -> dict[str, Any]:
    """The assessment as it was before a replacement, from the replacing entry's `from`."""
    return {key: replaced.get(key) if key != "year" else assessment["year"] for key in assessment}


def registry_dates(registry: Mapping[str, Any]) -> Iterable[date]:
    """Every date a history entry of the registry names."""
    for town in registry["towns"]:
        for _, entry in entries(town):
            found = day(entry["date"])
            if found:
                yield found
