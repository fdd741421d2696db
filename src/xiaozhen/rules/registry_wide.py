"""The rules over the whole list: unique ids and names in order (identity), and each batch's towns against
the totals its notice declared."""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterator
from typing import Any

from xiaozhen.i18n import _
from xiaozhen.model.parse import Parsed, dotted
from xiaozhen.model.schema import Registry
from xiaozhen.problems import Problem


def identity(raw: list[Any], parsed: Parsed) -> Iterator[Problem]:
    """Unique ids and names, and id order; read from the raw data so a town with other errors counts."""
    ids: dict[int, int] = {}
    names: dict[str, int] = {}
    previous: int | None = None
    for index, town in enumerate(raw):
        if not isinstance(town, dict):
            continue
        tid, name = town.get("id"), town.get("name")
        if isinstance(tid, int) and not isinstance(tid, bool):
            line, column = parsed.locate(("towns", index, "id"))
            if tid in ids:
                yield Problem(
                    "duplicate-id",
                    _("id {tid} is also the id of towns[{value}]").format(tid=tid, value=ids[tid]),
                    line,
                    column,
                    town=tid,
                    path=f"towns[{index}].id",
                )
            else:
                ids[tid] = index
            if previous is not None and tid < previous:
                yield Problem(
                    "id-order",
                    _("id {tid} comes after id {previous}: towns are ordered by id").format(
                        tid=tid, previous=previous
                    ),
                    line,
                    column,
                    town=tid,
                    path=f"towns[{index}].id",
                )
            previous = tid
        if isinstance(name, str):
            # Compared as they look: full-width and compatibility forms folded (长春市 and 长春市 are one).
            seen = unicodedata.normalize("NFKC", name).replace(" ", "")
            if seen in names:
                line, column = parsed.locate(("towns", index, "name"))
                yield Problem(
                    "duplicate-name",
                    _("the name {name} is also the name of towns[{value}]").format(
                        name=name, value=names[seen]
                    ),
                    line,
                    column,
                    town=tid if isinstance(tid, int) else None,
                    path=f"towns[{index}].name",
                )
            else:
                names[seen] = index


def declared(registry: Registry, parsed: Parsed) -> Iterator[Problem]:
    """Each batch's towns, as listed, against the totals its notice declared."""
    for index, declared in enumerate(registry.declared):
        towns = [t for t in registry.towns if t.batch == declared.batch]
        at = ("declared", index)
        if len(towns) != declared.total:
            line, column = parsed.locate((*at, "total"))
            yield Problem(
                "declared-mismatch",
                _("batch {batch} declares {total} towns; the registry lists {len}").format(
                    batch=declared.batch, total=declared.total, len=len(towns)
                ),
                line,
                column,
                path=dotted((*at, "total")),
            )
        dimensions: list[tuple[str, dict[Any, int] | None, Counter[Any]]] = [
            ("category", declared.category, Counter(t.listed_category for t in towns)),
            ("town_type", declared.town_type, Counter(t.town_type for t in towns)),
            ("prefecture", declared.prefecture, Counter(t.prefecture for t in towns)),
        ]
        for name, stated, counted in dimensions:
            if stated is None:
                continue
            for value in sorted(set(stated) | set(counted)):
                want, have = stated.get(value, 0), counted.get(value, 0)
                if want != have:
                    key = value.value
                    line, column = parsed.locate((*at, name, key))
                    listed = _(" as listed") if name == "category" else ""
                    yield Problem(
                        "declared-mismatch",
                        _("batch {batch} declares {want} {key}; the registry lists {have}{listed}").format(
                            batch=declared.batch, want=want, key=key, have=have, listed=listed
                        ),
                        line,
                        column,
                        path=dotted((*at, name, key)),
                    )
