"""The registry for people who do not use the command line: export."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from xiaozhen.cli.base import AsOfOpt, ExportFormat, command, note, one_of, out, records
from xiaozhen.errors import BadValue


@command("export")
def export(
    ctx: typer.Context,
    fmt: Annotated[
        ExportFormat,
        typer.Option("--format", "-f", help="csv (Excel-ready), json, xlsx or md.", **one_of(ExportFormat)),
    ],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="The file to write (xlsx needs one; others default to stdout)."),
    ] = None,
    as_of: AsOfOpt = None,
) -> None:
    """The whole registry for people who do not use the command line.

    Example: xiaozhen export --format xlsx -o towns.xlsx
    """
    from xiaozhen import query, render

    registry = records(ctx, as_of)
    towns = registry["towns"]
    if fmt is ExportFormat.xlsx:
        if output is None:
            raise BadValue("--format xlsx needs --output FILE")
        tallies = [query.tally(towns, [d]) for d in ("category", "prefecture", "town_type", "status")]
        tallies.append(query.tally(towns, ["prefecture", "category"]))
        _write_export(output, lambda path: render.towns_xlsx(towns, tallies, path))
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
        _write_export(output, lambda path: path.write_text(text, encoding="utf-8"))


def _write_export(output: Path, write: Callable[[Path], Any]) -> None:
    from xiaozhen.errors import CannotWrite

    try:
        write(output)
    except OSError as exc:
        raise CannotWrite(f"{output}: cannot write ({exc.strerror})") from None
    note(f"wrote {output}")
