"""The registry for people who do not use the command line: export."""

from pathlib import Path
from typing import Annotated

import typer

from xiaozhen.cli.base import AsOfOpt, ExportFormat, command, one_of, out, records, write_file
from xiaozhen.errors import BadValue


@command("export")
def export(
    ctx: typer.Context,
    fmt: Annotated[
        ExportFormat,
        typer.Option(
            "--format", "-f", help="csv (Excel-ready), json, xlsx, md or sqlite.", **one_of(ExportFormat)
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="The file to write (xlsx and sqlite need one; others default to stdout)."
        ),
    ] = None,
    as_of: AsOfOpt = None,
) -> None:
    """The whole registry for people who do not use the command line, or for a SQL client.

    Example: xiaozhen export --format xlsx -o towns.xlsx
    """
    from xiaozhen import query, render

    if fmt in (ExportFormat.xlsx, ExportFormat.sqlite) and output is None:
        raise BadValue(f"--format {fmt.value} needs --output FILE")
    registry = records(ctx, as_of)
    towns = registry["towns"]
    if fmt is ExportFormat.sqlite:
        from xiaozhen.database import write_database

        write_file(output, lambda path: write_database(registry, path))
        return
    if fmt is ExportFormat.xlsx:
        tallies = [query.tally(towns, [d]) for d in ("category", "prefecture", "town_type", "status")]
        tallies.append(query.tally(towns, ["prefecture", "category"]))
        write_file(output, lambda path: render.towns_xlsx(towns, tallies, path))
        return
    if fmt is ExportFormat.csv:
        text = render.towns_csv(towns, chinese=True, bom=True)
    elif fmt is ExportFormat.json:
        text = render.to_json(registry)
    else:
        text = render.towns_markdown(
            towns, title=f"{registry['registry']['document']} 特色产业小镇名录 ({len(towns)})"
        )
    if output is None:
        out(text)
    else:
        write_file(output, lambda path: path.write_text(text, encoding="utf-8"))
