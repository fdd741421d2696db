"""The standards data from where it lives: `form` writes the fill-in workbook, `collect` reads it back."""

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from xiaozhen.cli.base import (
    BatchOpt,
    CategoryOpt,
    CountyOpt,
    DateOpt,
    DryRunOpt,
    NameOpt,
    PrefectureOpt,
    StatusOpt,
    TownTypeOpt,
    command,
    day_of,
    make_facets,
    note,
    one_of,
    progress,
    records,
    say,
    source,
    write_file,
)
from xiaozhen.errors import BadValue


class Prefer(StrEnum):
    form = "form"
    registry = "registry"


@command("form")
def form(
    ctx: typer.Context,
    output: Annotated[
        Path, typer.Option("--output", "-o", metavar="FILE", help="The workbook to write (.xlsx).")
    ],
    category: CategoryOpt = None,
    prefecture: PrefectureOpt = None,
    county: CountyOpt = None,
    town_type: TownTypeOpt = None,
    status: StatusOpt = None,
    batch: BatchOpt = None,
    name: NameOpt = None,
) -> None:
    """A fill-in workbook of the towns' standards data for a prefecture or county to return (default:
    every town in creation).

    Example: xiaozhen form --prefecture 长春 -o 长春市.xlsx
    """
    from xiaozhen.forms import revision_of, write_form
    from xiaozhen.query import select
    from xiaozhen.registry import read_bytes
    from xiaozhen.revisions import commit_of

    path = source(ctx).path
    registry = records(ctx)
    facets = make_facets(category, prefecture, county, town_type, status or "创建中", batch, None, name)
    towns = select(registry["towns"], facets)
    if not towns:
        raise BadValue("no town matches: the form would be empty")
    revision = revision_of(read_bytes(path), commit_of(path))
    write_file(output, lambda target: write_form(registry, towns, revision, target))
    note(f"{len(towns)} towns; issued from {revision}")


@command("collect")
def collect(
    ctx: typer.Context,
    files: Annotated[
        list[Path],
        typer.Argument(metavar="FILE", help="Returned forms (XLSX, or CSV with the same columns)."),
    ],
    prefer: Annotated[
        Prefer | None,
        typer.Option(
            "--prefer",
            help="Where a value changed in the registry since the form was issued and in the form too: "
            "form or registry.",
            **one_of(Prefer, "WHICH"),
        ),
    ] = None,
    when: DateOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """Record what the returned forms changed, each value with its 资料来源: all forms or none.

    Example: xiaozhen collect 长春市.xlsx 吉林市.xlsx
    """
    from xiaozhen import lifecycle
    from xiaozhen.errors import Refused
    from xiaozhen.forms import FormProblem, FormsRefused, cell_of, plan, read_forms
    from xiaozhen.registry import edit

    day = day_of(when)
    registry = records(ctx)
    standards = registry["standards"]
    conforms_to = list(standards["plan_conforms_to"]["value"])
    read = read_forms(files, conforms_to, list(standards["developer_ownership"]["value"]))
    planned, problems = plan(read, {t["id"]: t for t in registry["towns"]}, conforms_to, prefer)
    if problems:
        raise FormsRefused(problems)
    if not planned:
        note("the forms change nothing")
        return
    order = [t["id"] for t in registry["towns"]]

    def change(document: Any) -> None:
        for entry in planned:
            origin = lifecycle.Source(entry.source, entry.filled_by)
            try:
                outcome = lifecycle.record(document.town(entry.town), day, entry.settings, origin)
            except Refused as refused:
                raise FormsRefused([FormProblem(next(iter(entry.cells.values())), str(refused))]) from None
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
    for message in result.messages:
        say(message)
    if dry_run:
        note("dry run: nothing was written")
