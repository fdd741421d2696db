"""What changed between two versions of a registry, in the notice's terms: towns added, stages moved,
results recorded, towns exited and designated, standards data recorded; and what the procedure never
does (a town removed, its listing rewritten, a status undone, a result deleted), flagged for review.

Works on records (the JSON-ready mappings the read cache keeps): pure data in, a list of changes out.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from xiaozhen.i18n import _
from xiaozhen.model.fields import field_value, label, shown
from xiaozhen.model.history import same
from xiaozhen.model.terms import SETTABLE, STAGES, Status

# Every kind of change, in the order a report lists them: (Chinese heading, English heading).
KINDS: dict[str, tuple[str, str]] = {
    "added": ("新增小镇", "towns added"),
    "advanced": ("类别升级", "stage moves"),
    "assessed": ("年度评估", "assessment results"),
    "exited": ("退出", "towns exited"),
    "designated": ("认定", "towns designated"),
    "corrected": ("更正", "exits and designations corrected"),
    "renamed": ("更名", "towns renamed"),
    "cleared": ("清理", "towns cleared from the list"),
    "data": ("标准数据", "standards data"),
    "removed": ("移除小镇", "towns removed"),
    "listing": ("名录信息更正", "listing data corrected"),
    "status": ("其他状态变化", "other status changes"),
    "assessment-removed": ("评估记录删除", "assessments removed"),
    "history": ("历史记录改写", "history rewritten"),
    "declared": ("公布总数", "declared totals"),
    "standards": ("标准", "standards"),
}
# What the procedure never does: a reviewer should look at each.
# What the procedure never does, and corrections of what it did: a reviewer should look at each.
REVIEW = frozenset({"removed", "listing", "status", "assessment-removed", "history", "corrected"})
LISTING = ("name", "prefecture", "county", "town_type", "listed_category", "batch")


@dataclass(frozen=True)
class Difference:
    kind: str
    town: int | None = None
    name: str | None = None
    prefecture: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def review(self) -> bool:
        return self.kind in REVIEW or bool(self.detail.get("review"))

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "town": self.town,
            "name": self.name,
            "prefecture": self.prefecture,
            "review": self.review,
            **{k: v for k, v in self.detail.items() if k != "review"},
        }


def compare(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Difference]:
    """Every change from `old` to `new`, by kind (KINDS' order), then by town id."""
    found = [*_towns(old, new), *_declared(old, new), *_standards(old, new)]
    order = list(KINDS)
    return sorted(found, key=lambda c: (order.index(c.kind), c.town or 0))


def _towns(old: Mapping[str, Any], new: Mapping[str, Any]) -> Iterator[Difference]:
    before = {t["id"]: t for t in old["towns"]}
    after = {t["id"]: t for t in new["towns"]}
    for town_id, town in after.items():
        if town_id not in before:
            yield _change("added", town, category=town["listed_category"], batch=town["batch"])
    for town_id, town in before.items():
        if town_id not in after:
            yield _change("removed", town, category=town["category"], status=town["status"])
    for town_id in sorted(before.keys() & after.keys()):
        yield from _town(before[town_id], after[town_id])


def _change(kind: str, town: Mapping[str, Any], **detail: Any) -> Difference:
    return Difference(kind, town["id"], town["name"], town["prefecture"], detail)


def _town(old: Mapping[str, Any], new: Mapping[str, Any]) -> Iterator[Difference]:
    for key in LISTING:
        if old[key] != new[key]:
            renamed = _fresh(old, new, "renamed", new[key]) if key == "name" else None
            if renamed is not None:  # by the office's document, as the list review decides
                moved = {"from": old[key], "to": new[key]}
                yield _change(
                    "renamed", new, reason=renamed.get("note"), document=renamed.get("source"), **moved
                )
                continue
            yield _change("listing", new, key=key, **{"from": old[key], "to": new[key]})
    if old["category"] != new["category"]:
        moved = {"from": old["category"], "to": new["category"]}
        undone = _fresh(old, new, "corrected", new["category"])
        if undone is not None:  # a wrong move corrected, with its reason and document
            yield _change("corrected", new, reason=undone.get("note"), document=undone.get("source"), **moved)
        else:
            forward = _stage(new["category"]) == _stage(old["category"]) + 1
            yield _change("advanced", new, review=not forward, **moved)
    if old["status"] != new["status"]:
        yield _status(old, new)
    yield from _assessments(old, new)
    yield from _history(old, new)
    for key in SETTABLE:
        was, now = field_value(old, key), field_value(new, key)
        if not same(_empty(was), _empty(now)):
            yield _change("data", new, key=key, **{"from": was, "to": now})


def _stage(category: str) -> int:
    return next((i for i, s in enumerate(STAGES) if s.value == category), -1)


def _empty(value: Any) -> Any:
    return None if value == [] else value


def _status(old: Mapping[str, Any], new: Mapping[str, Any]) -> Difference:
    """An exit or a designation, with the reason its new history entry gives; any other status change
    is one the procedure does not make."""
    moved = {"from": old["status"], "to": new["status"]}
    cleared = _fresh(old, new, "cleared", new["status"]) if new["status"] == Status.EXITED else None
    if cleared is not None:  # cleared from the list by the office's document
        return _change("cleared", new, reason=cleared.get("note"), document=cleared.get("source"), **moved)
    if old["status"] == Status.CREATING and new["status"] in (Status.EXITED, Status.DESIGNATED):
        event = "exited" if new["status"] == Status.EXITED else "designated"
        earlier = old.get("history") or []
        fresh = [
            e
            for e in new.get("history") or []
            if e.get("event") == event and not any(same_entry(e, o) for o in earlier)
        ]
        return _change(event, new, reason=fresh[-1].get("note") if fresh else None, **moved)
    undone = _fresh(old, new, "corrected", new["status"]) if new["status"] == Status.CREATING else None
    if undone is not None:  # an exit or a designation corrected
        return _change("corrected", new, reason=undone.get("note"), document=undone.get("source"), **moved)
    return _change("status", new, **moved)


def _fresh(old: Mapping[str, Any], new: Mapping[str, Any], event: str, to: str) -> Mapping[str, Any] | None:
    """The last entry of `event` to `to` that the new version's history has and the old one's has not."""
    earlier = old.get("history") or []
    fresh = [
        e
        for e in new.get("history") or []
        if e.get("event") == event and e.get("to") == to and not any(same_entry(e, o) for o in earlier)
    ]
    return fresh[-1] if fresh else None


def same_entry(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    return all(same(a.get(k), b.get(k)) for k in ("date", "event", "from", "to", "note"))


def _assessments(old: Mapping[str, Any], new: Mapping[str, Any]) -> Iterator[Difference]:
    before = {a["year"]: a for a in old.get("assessments") or []}
    after = {a["year"]: a for a in new.get("assessments") or []}
    for year in sorted(after):
        now, was = after[year], before.get(year)
        if was is not None and all(same(was.get(k), now.get(k)) for k in now):
            continue
        detail: dict[str, Any] = {"year": year, "result": now["result"], "score": now.get("score")}
        if was is not None:  # a recorded result corrected: for a reviewer to see
            detail["replaced"] = {"result": was["result"], "score": was.get("score")}
            detail["review"] = True
        yield _change("assessed", new, **detail)
    for year in sorted(before.keys() - after.keys()):
        yield _change("assessment-removed", new, year=year, result=before[year]["result"])


# Every key an entry may hold: a rewrite of any of them is a rewrite of history.
_ENTRY_KEYS = ("date", "event", "year", "from", "to", "note", "source", "filled_by")


def _history(old: Mapping[str, Any], new: Mapping[str, Any]) -> Iterator[Difference]:
    """History is append-only: each entry the old version records stands in the new one as it was.
    An entry changed (a date moved, a source rewritten) or removed is a change of its own, for review."""
    before, after = old.get("history") or [], new.get("history") or []
    for index, was in enumerate(before):
        now = after[index] if index < len(after) else None
        if now is None:
            yield _change("history", new, entry=index + 1, date=was.get("date"), event=was.get("event"))
            continue
        for key in _ENTRY_KEYS:
            if not same(was.get(key), now.get(key)):
                yield _change(
                    "history",
                    new,
                    entry=index + 1,
                    date=was.get("date"),
                    event=was.get("event"),
                    key=key,
                    **{"from": was.get(key), "to": now.get(key)},
                )


def _flat(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, Mapping):
        flat: dict[str, Any] = {}
        for key, inner in value.items():
            flat.update(_flat(inner, f"{prefix}{key}."))
        return flat
    return {prefix.rstrip("."): value}


def _declared(old: Mapping[str, Any], new: Mapping[str, Any]) -> Iterator[Difference]:
    before = {d["batch"]: _flat(d) for d in old.get("declared") or []}
    after = {d["batch"]: _flat(d) for d in new.get("declared") or []}
    for batch in sorted(before.keys() | after.keys()):
        was, now = before.get(batch, {}), after.get(batch, {})
        for key in [k for k in {**was, **now} if k != "batch"]:
            if was.get(key) != now.get(key):
                yield Difference(
                    "declared", detail={"batch": batch, "key": key, "from": was.get(key), "to": now.get(key)}
                )


def _standards(old: Mapping[str, Any], new: Mapping[str, Any]) -> Iterator[Difference]:
    was, now = old.get("standards") or {}, new.get("standards") or {}
    for key in {**was, **now}:
        if was.get(key) != now.get(key):
            yield Difference("standards", detail={"key": key, "from": was.get(key), "to": now.get(key)})


# --- words ---------------------------------------------------------------------------------------


def describe(change: Difference) -> str:
    """The change in one line, as a reviewer reads it."""
    d = change.detail
    if change.kind == "added":
        return _("listed as {category}, batch {batch}").format(category=d["category"], batch=d["batch"])
    if change.kind == "removed":
        return _("was {category}, {status}: the procedure never removes a town").format(
            category=d["category"], status=d["status"]
        )
    if change.kind in ("listing", "data", "standards"):
        return f"{label(d['key'])}: {_said(d['from'])} → {_said(d['to'])}"
    if change.kind == "advanced":
        backward = _(" (not one step forward)") if d.get("review") else ""
        return f"{d['from']} → {d['to']}{backward}"
    if change.kind in ("corrected", "renamed", "cleared"):
        return f"{d['from']} → {d['to']}: {d['reason']} ({d['document']})"
    if change.kind in ("exited", "designated", "status"):
        reason = f": {d['reason']}" if d.get("reason") else ""
        return f"{d['from']} → {d['to']}{reason}"
    if change.kind == "assessed":
        score = f" ({shown(d['score'])})" if d.get("score") is not None else ""
        replaced = d.get("replaced")
        was = _(", was {result}").format(result=replaced["result"]) if replaced else ""
        return f"{d['year']} {d['result']}{score}{was}"
    if change.kind == "history":
        entry = _("history entry {n} ({date}, {event})").format(
            n=d["entry"], date=d["date"], event=_(str(d["event"]))
        )
        if "key" not in d:
            return _("{entry} was removed").format(entry=entry)
        return f"{entry}: {_(d['key'])}: {_said(d['from'])} → {_said(d['to'])}"
    if change.kind == "assessment-removed":
        return _("the {year} result ({result}) was deleted").format(year=d["year"], result=d["result"])
    if change.kind == "declared":
        return _("batch {batch} {key}: {old} → {new}").format(
            batch=d["batch"], key=d["key"], old=shown(d["from"]), new=shown(d["to"])
        )
    return str(d)  # pragma: no cover - every kind is described above


def _said(value: Any) -> str:
    """A value in a change as a reviewer reads it: nothing recorded is null (空 in Chinese)."""
    return _("null") if value is None else shown(value)


def counts(changes: list[Difference]) -> dict[str, int]:
    tally = dict.fromkeys(KINDS, 0)
    for change in changes:
        tally[change.kind] += 1
    return tally


def as_dict(changes: list[Difference], old: str, new: str) -> dict[str, Any]:
    """The JSON of `xiaozhen diff` (docs/reference.md, "diff"): stable keys, every kind counted."""
    return {
        "old": old,
        "new": new,
        "total": len(changes),
        "review": sum(c.review for c in changes),
        "counts": counts(changes),
        "changes": [c.as_dict() for c in changes],
    }
