"""The analysts' questions: list, filter, show, tally, and the standards the rules apply."""

from typing import Annotated

import typer

from xiaozhen.cli.base import command, out, print_towns, records, stdout_console
from xiaozhen.cli.options import (
    AsOfOpt,
    BatchOpt,
    CategoryOpt,
    CountyOpt,
    Dimension,
    Format,
    IndustryOpt,
    NameOpt,
    PrefectureOpt,
    ReadFormatOpt,
    SortOpt,
    StatusOpt,
    TownArg,
    TownTypeOpt,
    argument,
    check_sort,
    formats,
    make_facets,
    one_of,
    parse_day,
)
from xiaozhen.i18n import N_, _


@command("list")
def list_towns(
    ctx: typer.Context,
    category: CategoryOpt = None,
    prefecture: PrefectureOpt = None,
    county: CountyOpt = None,
    town_type: TownTypeOpt = None,
    status: StatusOpt = None,
    batch: BatchOpt = None,
    industry: IndustryOpt = None,
    name: NameOpt = None,
    sort: SortOpt = "id",
    fmt: ReadFormatOpt = Format.table,
    as_of: AsOfOpt = None,
) -> None:
    """List towns, filtered by any facet.

    Example: xiaozhen list --category 培育类 --prefecture 延边
    """
    from xiaozhen.actions.query import select

    facets = make_facets(category, prefecture, county, town_type, status, batch, industry, name)
    print_towns(select(records(ctx, as_of)["towns"], facets, check_sort(sort)), fmt)


@command("filter")
def filter_towns(
    ctx: typer.Context,
    expressions: Annotated[
        list[str],
        typer.Argument(
            metavar=_("EXPR"),
            **argument(),
            help=_(
                "FIELD OP VALUE, FIELD by key or Chinese name (类别=培育类); OP one of = != < <= > >= ~ "
                "(contains)."
            ),
            show_default=False,
        ),
    ],
    sort: SortOpt = "id",
    fmt: ReadFormatOpt = Format.table,
    as_of: AsOfOpt = None,
) -> None:
    """Towns matching every FIELD OP VALUE expression (dotted paths and leading_share too).

    Example: xiaozhen filter town_type=建制镇 prefecture=延边 "investment.total>=10"
    """
    from xiaozhen.actions.query import Facets, parse_expression, select

    facets = Facets(expressions=[parse_expression(e) for e in expressions])
    print_towns(select(records(ctx, as_of)["towns"], facets, check_sort(sort)), fmt)


@command("show")
def show(
    ctx: typer.Context,
    town: TownArg,
    fmt: Annotated[
        Format, typer.Option("--format", "-f", help=_("table or json."), **formats(Format.table, Format.json))
    ] = Format.table,
    as_of: AsOfOpt = None,
) -> None:
    """One town, whole: listing, standards data, assessments, history.

    Example: xiaozhen show 大荒地
    """
    from xiaozhen.actions.query import find_record

    registry = records(ctx, as_of)
    found = find_record(registry["towns"], town)
    if fmt is Format.json:
        from xiaozhen.reports.render import to_json

        out(to_json(found))
    else:
        from xiaozhen.reports.terminal import town_panel
        from xiaozhen.rules.standards import town_findings

        on = parse_day("--as-of", as_of) if as_of else None  # the rules in force that day
        town_panel(stdout_console(), found, town_findings(found, registry, on))


@command("tally")
def tally(
    ctx: typer.Context,
    by: Annotated[
        list[Dimension] | None,
        typer.Option(
            "--by",
            help=_(
                "category, prefecture, county, town_type, status or batch, or their Chinese names (类别, "
                "市(州) …; default category); twice for a cross-table."
            ),
            **one_of(Dimension, N_("DIMENSION"), fields=True),
        ),
    ] = None,
    chart: Annotated[bool, typer.Option("--chart", help=_("Draw bars (one --by only)."))] = False,
    category: CategoryOpt = None,
    prefecture: PrefectureOpt = None,
    county: CountyOpt = None,
    town_type: TownTypeOpt = None,
    status: StatusOpt = None,
    batch: BatchOpt = None,
    industry: IndustryOpt = None,
    name: NameOpt = None,
    fmt: ReadFormatOpt = Format.table,
    as_of: AsOfOpt = None,
) -> None:
    """Count towns by one dimension, or cross-tabulate two, with totals.

    Example: xiaozhen tally --by prefecture --by category
    """
    from xiaozhen.actions import query

    facets = make_facets(category, prefecture, county, town_type, status, batch, industry, name)
    dimensions = [d.value for d in by] if by else ["category"]
    result = query.tally(query.select(records(ctx, as_of)["towns"], facets), dimensions)
    if fmt is Format.json:
        from xiaozhen.reports.render import to_json

        out(to_json(result.as_dict()))
    elif fmt is Format.csv:
        from xiaozhen.reports.render import tally_csv

        out(tally_csv(result))
    else:
        from xiaozhen.reports.terminal import tally_table

        tally_table(stdout_console(), result, chart=chart)


@command("standards")
def standards(
    ctx: typer.Context,
    fmt: Annotated[
        Format, typer.Option("--format", "-f", help=_("table or json."), **formats(Format.table, Format.json))
    ] = Format.table,
) -> None:
    """The rules the registry applies, by document: the notice's standards, each with its clause, then
    each later document's rules (rulebooks) with the day it is in force, each rule's clause, strength
    (约束, or 原则上: advisory) and bound.

    Example: xiaozhen standards
    """
    from xiaozhen.actions import query

    documents = query.rulebooks(records(ctx))
    if fmt is Format.json:
        from xiaozhen.reports.render import to_json

        out(to_json(documents))
    else:
        from xiaozhen.reports.terminal import rulebooks_tables

        rulebooks_tables(stdout_console(), documents)
