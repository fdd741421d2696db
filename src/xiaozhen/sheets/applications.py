"""A new batch's applications (二(一)(二)): the applicants read from an applications form, each screened
against the creation standards (一) as the registry states them, and the listed ones admitted as batch N
with their data. The screening is the rules' own check of the standards (rules.standards_problems), run
on each applicant as if it were listed, so that a standard means the same before and after listing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from xiaozhen.i18n import _
from xiaozhen.sheets.form_reader import find_header, read_sheets, read_value
from xiaozhen.sheets.forms import FormProblem, FormsRefused, columns
from xiaozhen.sheets.tables import fold

MET, NOT_MET, NOT_SHOWN = "符合", "不符合", "未提供"

# The creation standards a screening answers, in the notice's order: the clause, what it asks, and the
# problem codes of the rules that judge it.
STANDARDS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("一(一)", "一个主导产业", ("single-industry",)),
    ("一(二)", "规划符合相关规划", ("plan-conformity",)),
    ("一(三)", "以企业为建设主体", ("developer-ownership",)),
    ("一(四)", "主导产业投资占比", ("leading-industry-share", "investment-range")),
    ("一(五)", "设立管理机构", ()),
)


@dataclass
class Applicant:
    where: str  # file, sheet and row
    listing: dict[str, Any]  # name, prefecture, county, category, town_type
    values: list[tuple[str, Any]]  # the standards data, as `set` takes it
    source: str | None
    cells: dict[str, str] = field(default_factory=dict)


@dataclass
class Judged:
    """One standard of one applicant: met, not met (and why), or not shown (data missing)."""

    clause: str
    standard: str
    verdict: str
    why: str = ""


def read_applicants(
    paths: Sequence[Any], conforms_to: Sequence[str]
) -> tuple[list[Applicant], list[FormProblem]]:
    """The applicants of every applications form (or CSV with its columns), each cell read as the office
    types it; the problems of the cells that cannot be read."""
    from xiaozhen.model.terms import Category, Prefecture, TownType, parse_term
    from xiaozhen.sheets.form_merge import with_conformity
    from xiaozhen.sheets.workbooks import column_name

    cols = columns(conforms_to, applicants=True)
    kinds = {c.key: c for c in cols}
    terms = {"prefecture": Prefecture, "category": Category, "town_type": TownType}
    applicants: list[Applicant] = []
    problems: list[FormProblem] = []
    for path in paths:
        sheets = read_sheets(path, _("an applications form (XLSX or CSV)"))
        found = find_header(sheets, cols, "name")
        if found is None:
            problems.append(
                FormProblem(
                    sheets.name, _("no sheet has an applications form's header row (小镇名称, 市(州), …)")
                )
            )
            continue
        title, rows, header, matched = found
        where = f"{sheets.name} {title}!" if title else f"{sheets.name} "
        sheet = f"{sheets.name} {title}" if title else sheets.name
        for number, cells in enumerate(rows[header:], start=header + 1):
            if not any(fold(c) for c in cells):
                continue
            listing: dict[str, Any] = {}
            values: dict[str, tuple[Any, str]] = {}
            source = None
            bad = False
            for key, (index, heading) in matched.items():
                cell = f"{where}{column_name(index)}{number}"
                raw = cells[index] if index < len(cells) else None
                column = kinds[key]
                try:
                    value = read_value(column, raw, heading)
                    if key in terms and value is not None:
                        value = parse_term(terms[key], value).value
                except Exception as problem:  # a cell's ValueError, a term's BadValue: said at the cell
                    problems.append(
                        FormProblem(
                            cell, _("{header}: {problem}").format(header=column.header, problem=problem)
                        )
                    )
                    bad = True
                    continue
                if column.kind == "listing":
                    listing[key] = value
                elif column.kind == "source":
                    source = value
                else:
                    values[key] = (value, cell)
            missing = [
                kinds[k].header for k in ("name", "prefecture", "category", "town_type") if not listing.get(k)
            ]
            if missing:
                problems.append(
                    FormProblem(
                        _("{file} row {row}").format(file=sheet, row=number),
                        _("{value} not filled in").format(value="、".join(missing)),
                    )
                )
                continue
            if bad:
                continue
            grouped = with_conformity(values, conforms_to)
            settings = [(k, _as_setting(k, v)) for k, (v, _) in grouped.items() if v is not None]
            cell_of = {k: c for k, (_, c) in grouped.items()}
            at = _("{file} row {row}").format(file=sheet, row=number)
            applicants.append(Applicant(at, listing, settings, source, cell_of))
    return applicants, problems


def _as_setting(key: str, value: Any) -> Any:
    from datetime import date

    return date.fromisoformat(value) if key == "plan.approved" else value


def screen(
    applicants: Sequence[Applicant], registry: Any, on: date | None = None
) -> list[tuple[Applicant, list[Judged]]]:
    """Each applicant against each creation standard of the registry (models), then against each
    rulebook in force on `on` (default today) as the list review judges a listed town: a 建制镇 or a
    bound not met is 不符合, data the rules need and the form lacks 未提供."""
    from xiaozhen.model.schema import Town
    from xiaozhen.rules.norms import in_force
    from xiaozhen.rules.standards import standards_problems

    rulebooks = in_force(registry.rulebooks, on or date.today())
    results = []
    for applicant in applicants:
        record: dict[str, Any] = {
            "id": 1,
            "name": applicant.listing["name"],
            "prefecture": applicant.listing["prefecture"],
            "county": applicant.listing.get("county"),
            "category": applicant.listing["category"],
            "listed_category": applicant.listing["category"],
            "town_type": applicant.listing["town_type"],
            "status": "创建中",
            "batch": 1,
        }
        for key, value in applicant.values:
            group, _, part = key.partition(".")
            if part:
                record.setdefault(group, {})[part] = value
            else:
                record[key] = value
        investment = record.get("investment")
        if investment is not None and set(investment) != {"total", "leading_industry"}:
            record.pop("investment")  # half given: the share cannot be judged (not shown)
        if "developer" in record and "name" not in record["developer"]:
            record["developer"]["name"] = "(未填)"
        town = Town.model_validate(record)
        problems = standards_problems(town, registry.standards)
        given = {key for key, _ in applicant.values}
        judged = [_judge(clause, what, codes, given, problems) for clause, what, codes in STANDARDS]
        results.append((applicant, judged + [_national(town, book) for book in rulebooks]))
    return results


NATIONAL = "国家规范"


def _national(town: Any, rulebook: Any) -> Judged:
    """One rulebook's rules on an applicant: what falls short (advisory ones marked), else the data its
    rules need and the applicant did not give."""
    from xiaozhen.rules.norms import data_name, review_town

    found = review_town(town, [rulebook])
    if found.short:
        return Judged(rulebook.document, NATIONAL, NOT_MET, "；".join(j.brief() for j in found.short))
    if found.missing:
        missing = "、".join(data_name(key) for key in found.missing_keys)
        return Judged(rulebook.document, NATIONAL, NOT_SHOWN, _("missing: {data}").format(data=missing))
    return Judged(rulebook.document, NATIONAL, MET)


# What an applicant must have given for a standard to be judged: the keys of its data.
_GIVEN = {
    "一(一)": ("leading_industry",),
    "一(二)": ("plan.conforms_to",),
    "一(三)": ("developer.ownership",),
    "一(四)": ("investment.total", "investment.leading_industry"),
    "一(五)": ("management",),
}


def _judge(
    clause: str, what: str, codes: tuple[str, ...], given: set[str], problems: Sequence[Any]
) -> Judged:
    if not all(key in given for key in _GIVEN[clause]):
        return Judged(clause, what, NOT_SHOWN)
    found = [p for p in problems if p.code in codes]
    if found:
        return Judged(clause, what, NOT_MET, "; ".join(p.message.split(": ", 1)[-1] for p in found))
    return Judged(clause, what, MET)


def screening_rows(results: Sequence[tuple[Applicant, list[Judged]]]) -> tuple[list[str], list[list[Any]]]:
    """The screening as a table: one row an applicant, a column a standard or a rulebook in force (and
    why, where not met or not shown)."""
    judged = results[0][1] if results else [Judged(c, w, "") for c, w, _ in STANDARDS]
    header = ["申报小镇", "市(州)", "县(市、区)", "申报类别", *(f"{j.clause} {j.standard}" for j in judged)]
    header += ["说明", "来源"]
    rows = []
    for applicant, judged in results:
        why = "; ".join(f"{j.clause}: {j.why}" for j in judged if j.why)
        rows.append(
            [
                applicant.listing["name"],
                applicant.listing["prefecture"],
                applicant.listing.get("county"),
                applicant.listing["category"],
                *(j.verdict for j in judged),
                why,
                applicant.where,
            ]
        )
    return header, rows


def screening_json(results: Sequence[tuple[Applicant, list[Judged]]]) -> list[dict[str, Any]]:
    return [
        {
            "name": a.listing["name"],
            "prefecture": a.listing["prefecture"],
            "county": a.listing.get("county"),
            "category": a.listing["category"],
            "town_type": a.listing["town_type"],
            "where": a.where,
            "standards": [
                {
                    "clause": j.clause,
                    "standard": j.standard,
                    "verdict": {MET: "met", NOT_MET: "not met", NOT_SHOWN: "not shown"}[j.verdict],
                    "why": j.why or None,
                }
                for j in judged
            ],
        }
        for a, judged in results
    ]


def refuse_if(problems: list[FormProblem]) -> None:
    if problems:
        raise FormsRefused(problems)


def admitted(applicants: Sequence[Applicant], names: Sequence[str] | None) -> list[Applicant]:
    """The applicants the published list names (all when `names` is None); a name no applicant has is an
    error."""
    names_given = [a.listing["name"] for a in applicants]
    twice = sorted({n for n in names_given if names_given.count(n) > 1})
    if twice:
        raise FormsRefused([FormProblem("applicants", _("{n} applies twice").format(n=n)) for n in twice])
    if names is None:
        return list(applicants)
    from xiaozhen.actions.query import find_town
    from xiaozhen.errors import AmbiguousTown, NoSuchTown

    # Named as `show` names a town: the whole name, or a fragment only one applicant's name holds (an
    # applicant has no id yet: a number is a name's fragment like any other).
    numbered = list(enumerate(names_given, start=1))
    chosen, problems = [], []
    for name in names:
        try:
            if name.strip().isdigit():
                raise NoSuchTown(name)
            chosen.append(applicants[find_town(numbered, name, suggest=False) - 1])
        except AmbiguousTown as several:
            shown = "、".join(n for _, n in several.candidates)
            problems.append(
                FormProblem(
                    "--name",
                    _("'{n}' is in the names of {shown}: give more of the name").format(n=name, shown=shown),
                )
            )
        except NoSuchTown:
            problems.append(FormProblem("--name", _("no applicant is named {n}").format(n=name)))
    if problems:
        raise FormsRefused(problems)
    return chosen


def admission(chosen: Sequence[Applicant], batch: int, day: date) -> Any:
    """`admit` as a change of the registry: each applicant the list names goes in as batch `batch`, with
    the next id and its data, its application named as the source; one already listed is left as it is."""
    from xiaozhen.actions import lifecycle, new_towns
    from xiaozhen.errors import XiaozhenError
    from xiaozhen.model.terms import Category, Prefecture, TownType

    def change(document: Any) -> None:
        next_id = max((t.id for t in document.registry.towns), default=0) + 1
        for applicant in chosen:
            listing = applicant.listing
            new = new_towns.NewTown(
                listing["name"],
                Prefecture(listing["prefecture"]),
                Category(listing["category"]),
                TownType(listing["town_type"]),
                batch,
                listing.get("county"),
            )
            try:
                origin = lifecycle.DataSource(applicant.source or f"申报材料 ({applicant.where})")
                node, outcome = new_towns.admit(
                    document.registry, day, new, applicant.values, origin, next_id
                )
            except XiaozhenError as refused:  # a half-filled group, a name already listed otherwise
                raise FormsRefused([FormProblem(applicant.where, str(refused))]) from None
            if node is not None:
                document.append_town(node)
                next_id += 1
            document.messages.append(outcome.message)

    return change
