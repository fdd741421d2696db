"""The registry for people who do not use the command line: export."""

from pathlib import Path
from typing import Annotated

import typer

from xiaozhen.cli.base import command, note, out, records, write_file
from xiaozhen.cli.options import AsOfOpt, Format, formats
from xiaozhen.errors import BadValue
from xiaozhen.i18n import _


@command("export")
def export(
    ctx: typer.Context,
    fmt: Annotated[
        Format,
        typer.Option(
            "--format",
            "-f",
            help=_("csv (Excel-ready), json, xlsx, md or sqlite."),
            **formats(Format.csv, Format.json, Format.xlsx, Format.md, Format.sqlite),
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar=_("FILE"),
            help=_("The file to write (xlsx and sqlite need one; others default to stdout)."),
        ),
    ] = None,
    as_of: AsOfOpt = None,
) -> None:
    """The whole registry for people who do not use the command line, or for a SQL client.

    A sqlite database comes with its Datasette metadata beside it (towns.db: towns.metadata.json).

    Example: xiaozhen export --format xlsx -o towns.xlsx
    """
    from xiaozhen.actions import query
    from xiaozhen.reports import render

    if fmt in (Format.xlsx, Format.sqlite) and output is None:
        raise BadValue(_("--format {value} needs --output FILE").format(value=fmt.value))
    registry = records(ctx, as_of)
    towns = registry["towns"]
    sample = registry["registry"].get("sample")  # what a sample registry's data is, said in each export
    if fmt is Format.sqlite:
        from xiaozhen.reports.database import write_database
        from xiaozhen.reports.datasette import metadata_path, write_metadata

        assert output is not None
        write_file(output, lambda path: write_database(registry, path))
        write_file(metadata_path(output), lambda path: write_metadata(registry, output, path))
        return
    if fmt is Format.xlsx:
        tallies = [query.tally(towns, [d]) for d in ("category", "prefecture", "town_type", "status")]
        tallies.append(query.tally(towns, ["prefecture", "category"]))
        write_file(output, lambda path: render.towns_xlsx(towns, tallies, path, sample))
        return
    if fmt is Format.csv:
        text = render.towns_csv(towns, chinese=True, bom=True)
    elif fmt is Format.json:
        text = render.to_json(registry)
    else:
        title = f"{registry['registry']['document']} 特色产业小镇名录 ({len(towns)})"
        text = render.towns_markdown(towns, title=f"【示例数据】{title}" if sample else title)
    if output is None:
        out(text)
    else:
        write_file(output, lambda path: path.write_text(text, encoding="utf-8"))


@command("serve")
def serve(
    ctx: typer.Context,
    host: Annotated[
        str,
        typer.Option(
            "--host", metavar=_("HOST"), help=_("The address to listen on; 0.0.0.0 lets other machines in.")
        ),
    ] = "127.0.0.1",
    port: Annotated[
        int,
        typer.Option(
            "--port", "-p", metavar=_("PORT"), help=_("The port; 0 picks a free one."), min=0, max=65535
        ),
    ] = 8001,
    as_of: AsOfOpt = None,
) -> None:
    """Browse the registry in Datasette: its sqlite export, with Chinese titles and labels, read-only.

    Needs the optional extra: pip install 'xiaozhen[serve]'. Stop it with Ctrl-C.

    Example: xiaozhen serve --port 8001
    """
    import tempfile

    from xiaozhen.reports.serve import datasette, serve_registry

    run = datasette()  # before the registry is read: without the extra, say so at once
    registry = records(ctx, as_of)
    if port:
        note(_("Datasette: http://{host}:{port}/towns (Ctrl-C stops it)").format(host=host, port=port))
    with tempfile.TemporaryDirectory(prefix="xiaozhen-serve-") as folder:
        serve_registry(run, registry, Path(folder), host, port)
