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
    from xiaozhen.errors import Refused
    from xiaozhen.sheets.form_merge import Collecting
    from xiaozhen.store.registry import edit

    somewhere = prefecture or county
    facets = make_facets(None, prefecture, county, None, None, None, None, None) if somewhere else None
    collecting = Collecting(files, prefer, day_of(when), facets)
    target = source(ctx)
    try:
        with progress(target.path, edit=True) as step:
            result = edit(target, collecting, dry_run=dry_run, step=step)
    except Refused as refused:
        raise collecting.refusal(refused, str(target.path)) from None
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
    say_findings(result.findings, lambda p: collecting.cell(p.path))
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
    from xiaozhen.sheets.applications import admission, admitted

    day = day_of(when)
    _, applicants = _applicants(ctx, files)
    chosen = admitted(applicants, names)

    run_edit(ctx, admission(chosen, batch, day), dry_run)
