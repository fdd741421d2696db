"""The standards data from where it lives: `form` writes the fill-in workbook, `collect` reads it back;
`screen` checks a new batch's applicants against the creation standards, `admit` lists them."""

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from xiaozhen.cli.base import (
    command,
    note,
    print_rows,
    progress,
    records,
    run_edit,
    say,
    say_findings,
    source,
    stdout_console,
    write_file,
)
from xiaozhen.cli.options import (
    BatchOpt,
    CategoryOpt,
    CountyOpt,
    DateOpt,
    DryRunOpt,
    Format,
    NameOpt,
    PrefectureOpt,
    RowsOutputOpt,
    RulesAsOfOpt,
    StatusOpt,
    TableFormatOpt,
    TownTypeOpt,
    argument,
    day_of,
    make_facets,
    one_of,
    parse_day,
    whole,
)
from xiaozhen.errors import BadValue
from xiaozhen.i18n import N_, _


class Prefer(StrEnum):
    form = "form"
    registry = "registry"


@command("form")
def form(
    ctx: typer.Context,
    output: Annotated[
        Path, typer.Option("--output", "-o", metavar=_("FILE"), help=_("The workbook to write (.xlsx)."))
    ],
    category: CategoryOpt = None,
    prefecture: PrefectureOpt = None,
    county: CountyOpt = None,
    town_type: TownTypeOpt = None,
    status: StatusOpt = None,
    batch: BatchOpt = None,
    name: NameOpt = None,
    applications: Annotated[
        bool,
        typer.Option(
            "--applications", help=_("An applications form instead, for a new batch's applicants (二(一)).")
        ),
    ] = False,
    norms: Annotated[
        bool,
        typer.Option(
            "--norms",
            help=_(
                "A form of the data the national norms judge (areas, land, employment …; `xiaozhen review` "
                "names what is missing) instead of the notice's standards; default: every town in the list."
            ),
        ),
    ] = False,
    rows: Annotated[
        int,
        typer.Option(
            "--rows",
            help=_("With --applications: its empty rows (default 30, a batch as a prefecture sends it)."),
            **whole(N_("ROWS")),
        ),
    ] = 30,
) -> None:
    """A fill-in workbook of the towns' standards data for a prefecture or county to return (default:
    every town in creation); or, with --applications, one for a new batch's applicants.

    Example: xiaozhen form --prefecture 长春 -o 长春市.xlsx
    """
    from xiaozhen.actions.query import select
    from xiaozhen.sheets.form_writer import write_form
    from xiaozhen.store.registry import read_bytes
    from xiaozhen.store.revisions import commit_of, revision_of

    path = source(ctx).path
    registry = records(ctx)
    raw = read_bytes(path)
    revision = revision_of(raw, commit_of(path, raw))
    if applications:
        if not 1 <= rows <= 2000:
            raise BadValue(_("--rows {rows}: give 1 to 2,000 rows").format(rows=rows))
        write_file(output, lambda target: write_form(registry, [], revision, target, applicants=rows))
        return
    default = None if norms else "创建中"  # the list review covers every town in the list
    facets = make_facets(category, prefecture, county, town_type, status or default, batch, None, name)
    towns = [t for t in select(registry["towns"], facets) if t["status"] != "已退出" or not norms]
    if not towns:
        raise BadValue(_("no town matches: the form would be empty"))
    write_file(output, lambda target: write_form(registry, towns, revision, target, norms=norms))
    note(_("{count} towns; issued from {revision}").format(count=len(towns), revision=revision))


@command("collect")
def collect(
    ctx: typer.Context,
    files: Annotated[
        list[Path],
        typer.Argument(
            metavar=_("FILE"),
            **argument(N_("PATH"), Path),
            help=_("Returned forms (XLSX, or CSV with the same columns)."),
        ),
    ],
    prefer: Annotated[
        Prefer | None,
        typer.Option(
            "--prefer",
            help=_(
                "Where a value changed in the registry since the form was issued and in the form too: "
                "form or registry."
            ),
            **one_of(Prefer, N_("WHICH")),
        ),
    ] = None,
    prefecture: Annotated[
        str | None,
        typer.Option(
            "--prefecture",
            "-p",
            metavar=_("PREFECTURE"),
            help=_("Where the forms come from: a row for a town elsewhere is refused (needed for a CSV)."),
        ),
    ] = None,
    county: Annotated[
        str | None,
        typer.Option(
            "--county",
            metavar=_("COUNTY"),
            help=_("Where the forms come from, a county: a row for a town elsewhere is refused."),
        ),
    ] = None,
    when: DateOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """Record what the returned forms changed, each value with its 资料来源: all forms or none.

    Example: xiaozhen collect 长春市.xlsx 吉林市.xlsx
    """
    from xiaozhen.actions import lifecycle, recording
    from xiaozhen.actions.query import select
    from xiaozhen.errors import HalfFilled, Refused, XiaozhenError
    from xiaozhen.sheets.form_merge import cell_of, half_filled, plan
    from xiaozhen.sheets.form_reader import read_forms
    from xiaozhen.sheets.forms import FormProblem, FormsRefused
    from xiaozhen.store.registry import edit

    day = day_of(when)
    facets = make_facets(None, prefecture, county, None, None, None, None, None)
    # Read and planned inside the edit, from the registry it has loaded and checked: one parse, one check.
    planned: list[Any] = []
    order: list[int] = []

    def change(document: Any) -> None:
        registry = document.registry
        conforms_to = list(registry.standards.plan_conforms_to.value)
        read = read_forms(files, conforms_to)
        named = {row.town for row in read.rows}
        towns = {t.id: t.model_dump(mode="json", by_alias=True) for t in registry.towns if t.id in named}
        place = None
        if prefecture or county:
            listed = [t.model_dump(mode="json", by_alias=True) for t in registry.towns]
            chosen = select(listed, facets)  # a county as the registry spells it: 榆树 is 榆树市
            label = (chosen[0]["county"] if county and chosen else county) or facets.prefecture
            place = (label, {t["id"] for t in chosen})
        found, problems = plan(read, towns, conforms_to, prefer, registry.registry.document, place)
        if problems:
            raise FormsRefused(problems)
        planned[:], order[:] = found, [t.id for t in registry.towns]
        for entry in planned:
            origin = lifecycle.DataSource(entry.source, entry.filled_by)
            try:
                outcome = recording.record(document.town(entry.town), day, entry.settings, origin)
            except HalfFilled as half:  # named at the empty cell, in the form's own words
                raise FormsRefused([half_filled(entry, half.missing, conforms_to)]) from None
            except XiaozhenError as refused:  # an exited town
                at = entry.cells.get(entry.settings[0][0]) or next(iter(entry.cells.values()))
                raise FormsRefused([FormProblem(at, str(refused))]) from None
            document.apply(outcome)

    target = source(ctx)
    try:
        with progress(target.path, edit=True) as step:
            result = edit(target, change, dry_run=dry_run, step=step)
    except Refused as refused:  # a rule the recorded values break: named at the cell they came from
        located = [
            FormProblem(cell_of(p.path, order, planned) or str(target.path), p.message)
            for p in refused.problems
        ]
        raise FormsRefused(located or [FormProblem(str(target.path), str(refused))]) from None
    if dry_run and result.texts is not None:  # what it would record, as `xiaozhen diff` says it
        from xiaozhen.actions import changes
        from xiaozhen.reports import terminal
        from xiaozhen.store.registry import records_from_bytes

        before, after = (records_from_bytes(t.encode(), str(target.path)) for t in result.texts)
        terminal.changes_table(
            stdout_console(), changes.compare(before, after), str(target.path), _("with the returned forms")
        )
        note(_("dry run: nothing was written"))
        return
    for message in result.messages:
        say(message)
    say_findings(result.findings, lambda p: cell_of(p.path, order, planned))
    if not result.changed:
        note(_("the forms change nothing"))


FilesArg = Annotated[
    list[Path],
    typer.Argument(
        metavar=_("FILE"),
        **argument(N_("PATH"), Path),
        help=_("Applications forms (XLSX, or CSV with the same columns)."),
    ),
]


def _applicants(ctx: typer.Context, files: list[Path]) -> tuple[Any, list[Any]]:
    from xiaozhen.sheets.applications import read_applicants, refuse_if
    from xiaozhen.store.registry import load_registry

    loaded = load_registry(source(ctx).path)
    standards = loaded.standards
    applicants, problems = read_applicants(files, standards.plan_conforms_to.value)
    refuse_if(problems)
    return loaded, applicants


@command("screen")
def screen(
    ctx: typer.Context,
    files: FilesArg,
    as_of: RulesAsOfOpt = None,
    fmt: TableFormatOpt = Format.table,
    output: RowsOutputOpt = None,
) -> None:
    """Each applicant against each creation standard (一) as the registry states it, then against each
    rulebook in force (a 建制镇, a bound of the national norms): 符合, 不符合 (and why) or 未提供 (data
    missing, named), for the expert review.

    Example: xiaozhen screen 申报表.xlsx -f xlsx -o 初审.xlsx
    """
    from xiaozhen.sheets.applications import screen as judge
    from xiaozhen.sheets.applications import screening_json, screening_rows

    registry, applicants = _applicants(ctx, files)
    results = judge(applicants, registry, parse_day("--as-of", as_of) if as_of else None)
    header, rows = screening_rows(results)
    print_rows(
        fmt, output, "特色产业小镇申报初审", header, rows, lambda: screening_json(results), sheet="初审"
    )


@command("admit")
def admit(
    ctx: typer.Context,
    files: FilesArg,
    batch: Annotated[
        int,
        typer.Option(
            "--batch",
            "-b",
            metavar=_("INTEGER"),
            help=_("The batch the published list makes them (2 or later)."),
        ),
    ],
    names: Annotated[
        list[str] | None,
        typer.Option(
            "--name",
            "-n",
            metavar=_("TEXT"),
            help=_("An applicant the list names (repeat; default: every applicant)."),
        ),
    ] = None,
    when: DateOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """List the applicants the published list names as batch N, each with its data, its application
    named as the source.

    Example: xiaozhen admit 申报表.xlsx --batch 2 --name 某某小镇 --date 2027-03-01
    """
    from xiaozhen.actions import lifecycle, new_towns
    from xiaozhen.errors import XiaozhenError
    from xiaozhen.model.terms import Category, Prefecture, TownType
    from xiaozhen.sheets.applications import admitted
    from xiaozhen.sheets.forms import FormProblem, FormsRefused

    day = day_of(when)
    _, applicants = _applicants(ctx, files)
    chosen = admitted(applicants, names)

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

    run_edit(ctx, change, dry_run)
