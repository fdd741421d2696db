"""Merging a returned form with the registry: a cell the filler left as issued records nothing; a value
the registry changed meanwhile that the filler changed too is a conflict; each change planned with the
cell it comes from."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from xiaozhen.i18n import _
from xiaozhen.sheets.form_reader import ReadForms
from xiaozhen.sheets.forms import FormProblem, columns, issued_values


@dataclass
class Planned:
    """What a returned form records for one town: the settings, their cells, and where they come from."""

    town: int
    settings: list[tuple[str, Any]]
    cells: dict[str, str]  # key → the cell it was read from
    source: str
    filled_by: str | None


def plan(
    read: ReadForms,
    towns: Mapping[int, Mapping[str, Any]],
    conforms_to: Sequence[str],
    prefer: str | None = None,
    document: str | None = None,
    place: tuple[str, set[int]] | None = None,
) -> tuple[list[Planned], list[FormProblem]]:
    """What the returned rows record, town by town: only what the filler changed; a value the registry
    changed after the form was issued and the filler changed too is a conflict, recorded only as
    `prefer` says ("form" or "registry"). `towns` are the registry's records by id. `place` is where the
    forms come from and the ids of its towns: a row for any other town is refused. A CSV keeps no record
    of the towns it was issued for, so it is read only with a place."""
    from xiaozhen.model.history import same

    problems = list(read.problems)
    if place is None:
        for file in dict.fromkeys(row.file for row in read.rows if row.issued is None):
            problems.append(
                FormProblem(
                    file,
                    _(
                        "a CSV keeps no record of the towns its form was issued for: say where it comes "
                        "from with --prefecture or --county, and only that place's towns are recorded"
                    ),
                )
            )
    if document is not None and read.document is not None and read.document != document:
        problems.append(
            FormProblem(
                _("the forms"),
                _("issued from a registry of {document}, not this one ({document2})").format(
                    document=read.document, document2=document
                ),
            )
        )
        return [], problems
    planned: dict[int, Planned] = {}
    seen: dict[tuple[int, str], tuple[Any, str]] = {}
    for row in read.rows:
        town = towns.get(row.town)
        if town is None:
            problems.append(FormProblem(row.id_cell, _("no town has id {town}").format(town=row.town)))
            continue
        if place is not None and row.town not in place[1]:
            problems.append(
                FormProblem(
                    row.id_cell,
                    _(
                        "town {town} ({name}, {county}) is not in {place}: a form changes only its own towns"
                    ).format(town=row.town, name=town["name"], county=town["county"], place=place[0]),
                )
            )
            continue
        if row.name and row.name != town["name"]:
            problems.append(
                FormProblem(
                    row.name_cell,
                    _(
                        "小镇名称 is '{name}', but town {town} is {name2}: the locked identity columns were "
                        "edited; return the form as it was issued"
                    ).format(name=row.name, town=row.town, name2=town["name"]),
                )
            )
            continue
        current = issued_values(town, conforms_to)
        values = with_conformity(row.values, conforms_to)
        issued = (
            with_conformity({k: (v, "") for k, v in row.issued.items()}, conforms_to) if row.issued else None
        )
        for key, (value, cell) in values.items():
            now = _grouped(current, key, conforms_to)
            if issued is not None:
                before = issued.get(key, (None, ""))[0]
                if same(value, before):
                    continue  # left as issued
                if not same(now, before) and not same(now, value):
                    if prefer == "registry":
                        continue
                    if prefer != "form":
                        problems.append(
                            FormProblem(
                                cell,
                                _(
                                    "{key}: the form was issued with {said}, the registry has {said2} "
                                    "since, and the form says {said3}: pass --prefer form or --prefer "
                                    "registry"
                                ).format(key=key, said=_said(before), said2=_said(now), said3=_said(value)),
                            )
                        )
                        continue
            elif value is None:
                continue  # not given (a form without its record of what was issued)
            if same(value, now):
                continue
            other = seen.get((row.town, key))
            if other is not None and not same(other[0], value):
                problems.append(
                    FormProblem(
                        cell,
                        _("{key}: {said} here, {said2} at {value}: keep one").format(
                            key=key, said=_said(value), said2=_said(other[0]), value=other[1]
                        ),
                    )
                )
                continue
            seen[(row.town, key)] = (value, cell)
            if key == "plan.approved" and value is not None:
                value = date.fromisoformat(value)
            cells = {k: c for k, (_, c) in values.items()}  # every column of the row: where a rule points
            entry = planned.setdefault(
                row.town, Planned(row.town, [], cells, row.source or f"{row.file} (填报表)", row.filled_by)
            )
            entry.settings.append((key, value))
    return list(planned.values()), problems


def with_conformity(
    values: Mapping[str, tuple[Any, str]], conforms_to: Sequence[str]
) -> dict[str, tuple[Any, str]]:
    """The values with the 是/否 columns as one plan.conforms_to list (None when none is filled)."""
    out = {k: v for k, v in values.items() if not k.startswith("conforms:")}
    marks = [(plan, values[f"conforms:{plan}"]) for plan in conforms_to if f"conforms:{plan}" in values]
    if marks:
        filled = [(plan, mark) for plan, mark in marks if mark[0] is not None]
        # A problem with the plans is named at the first 否 (else the first left empty): where the filler
        # said what the finding is about.
        said_no = [cell for _, (value, cell) in marks if value is False]
        empty = [cell for _, (value, cell) in marks if value is None]
        cell = (said_no or empty or [marks[0][1][1]])[0]
        out["plan.conforms_to"] = ([plan for plan, mark in filled if mark[0]] if filled else None, cell)
    return out


def _grouped(current: Mapping[str, Any], key: str, conforms_to: Sequence[str]) -> Any:
    if key != "plan.conforms_to":
        return current.get(key)
    marks = [current.get(f"conforms:{plan}") for plan in conforms_to]
    return (
        None if all(m is None for m in marks) else [p for p, m in zip(conforms_to, marks, strict=True) if m]
    )


def _said(value: Any) -> str:
    from xiaozhen.model.fields import shown

    return shown(value)


def cell_of(problem_path: str | None, towns: Sequence[int], planned: Sequence[Planned]) -> str | None:
    """The cell a rule's problem (at `towns[i].key…`) is about, where the returned forms set it."""
    match = re.match(r"^towns\[(\d+)\]\.?(.*)$", problem_path or "")
    if not match or int(match.group(1)) >= len(towns):
        return None
    town, path = towns[int(match.group(1))], match.group(2)
    for entry in planned:
        if entry.town == town:
            # The key itself, else a key inside it (investment → investment.total), else one of its group.
            for keys in (
                [k for k in entry.cells if k == path],
                [k for k in entry.cells if k.startswith(path + ".")],
                [k for k in entry.cells if k.split(".")[0] == path.split(".")[0]],
            ):
                if keys:
                    return entry.cells[keys[0]]
            return next(iter(entry.cells.values()), None)
    return None


def half_filled(entry: Planned, missing: str, conforms_to: Sequence[str]) -> FormProblem:
    """A group the filler filled half of (总投资 without 主导产业投资), at the empty cell, in the form's
    column words."""
    headers = {c.key: c.header for c in columns(conforms_to, norms=None)}
    group = missing.split(".")[0]
    given = [k for k, _ in entry.settings if k.startswith(group + ".")]
    at = entry.cells.get(missing) or entry.cells.get(given[0] if given else "", "") or entry.source
    return FormProblem(
        at,
        _("{missing} is empty, and {given} needs it: fill both, or leave both empty").format(
            missing=headers.get(missing, missing),
            given="、".join(headers.get(k, k) for k in given) or group,
        ),
    )


@dataclass
class Collecting:
    """`collect` as a change of the registry: the returned forms read and planned against the registry the
    edit has loaded and checked (one parse, one check), each town's values recorded with the row's 资料来源;
    and, for what the edit then says, the form's cell each recorded value came from.

    `facets` say where the forms come from, as `list` takes a prefecture or a county (a county as the
    registry spells it: 榆树 is 榆树市); a row for a town elsewhere is refused. None: from anywhere."""

    files: Sequence[Any]
    prefer: str | None
    day: date
    facets: Any = None
    planned: list[Planned] = field(default_factory=list)
    order: list[int] = field(default_factory=list)

    def __call__(self, document: Any) -> None:
        from xiaozhen.actions import lifecycle, recording
        from xiaozhen.errors import HalfFilled, XiaozhenError
        from xiaozhen.sheets.form_reader import read_forms
        from xiaozhen.sheets.forms import FormsRefused

        registry = document.registry
        conforms_to = list(registry.standards.plan_conforms_to.value)
        read = read_forms(self.files, conforms_to)
        named = {row.town for row in read.rows}
        towns = {t.id: t.model_dump(mode="json", by_alias=True) for t in registry.towns if t.id in named}
        found, problems = plan(
            read, towns, conforms_to, self.prefer, registry.registry.document, self._place(registry)
        )
        if problems:
            raise FormsRefused(problems)
        self.planned[:], self.order[:] = found, [t.id for t in registry.towns]
        for entry in self.planned:
            origin = lifecycle.DataSource(entry.source, entry.filled_by)
            try:
                outcome = recording.record(document.town(entry.town), self.day, entry.settings, origin)
            except HalfFilled as half:  # named at the empty cell, in the form's own words
                raise FormsRefused([half_filled(entry, half.missing, conforms_to)]) from None
            except XiaozhenError as refused:  # an exited town
                at = entry.cells.get(entry.settings[0][0]) or next(iter(entry.cells.values()))
                raise FormsRefused([FormProblem(at, str(refused))]) from None
            document.apply(outcome)

    def _place(self, registry: Any) -> tuple[str, set[int]] | None:
        from xiaozhen.actions.query import select

        if self.facets is None:
            return None
        chosen = select([t.model_dump(mode="json", by_alias=True) for t in registry.towns], self.facets)
        county = self.facets.county
        label = (chosen[0]["county"] if county and chosen else county) or self.facets.prefecture
        return label, {t["id"] for t in chosen}

    def cell(self, problem_path: str | None) -> str | None:
        """The form's cell a problem of the edited registry came from (cell_of)."""
        return cell_of(problem_path, self.order, self.planned)

    def refusal(self, refused: Any, registry: str) -> Exception:
        """A refusal of the edit (a rule the recorded values break), named at the cells they came from."""
        from xiaozhen.sheets.forms import FormsRefused

        located = [FormProblem(self.cell(p.path) or registry, p.message) for p in refused.problems]
        return FormsRefused(located or [FormProblem(registry, str(refused))])
