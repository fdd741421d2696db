"""Reports: the yearly report on an assessment year, for the office to send as it is."""

import os
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Annotated

import typer

from xiaozhen.cli.base import command, note, out, records, source, write_file
from xiaozhen.cli.options import (
    BatchOpt,
    CountyOpt,
    Format,
    PrefectureOpt,
    TownTypeOpt,
    formats,
    make_facets,
    year_of,
)
from xiaozhen.errors import BadValue
from xiaozhen.i18n import _
from xiaozhen.limits import printable, whole_number

# The office's time: UTC+8 all year (China keeps no summer time), so no time-zone database is needed.
BEIJING = timezone(timedelta(hours=8), "北京时间")


def generated_at() -> datetime:
    """When the report is made, in Beijing time: now; or, for a report that must come out the same on every
    run, the moment SOURCE_DATE_EPOCH gives (reproducible-builds.org's convention)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None:
        return datetime.now(BEIJING)
    seconds = whole_number(epoch) if len(epoch) <= 11 else None
    if seconds is None:
        raise BadValue(
            _("SOURCE_DATE_EPOCH '{epoch}' is not a number of seconds since 1970").format(
                epoch=printable(epoch[:40])
            )
        )
    return datetime.fromtimestamp(seconds, tz=BEIJING)


@command("report")
def report(
    ctx: typer.Context,
    year: Annotated[
        int | None,
        typer.Option(
            "--year",
            help=_("The assessment year (default: the latest with recorded results)."),
            **year_of(),
        ),
    ] = None,
    fmt: Annotated[
        Format,
        typer.Option(
            "--format",
            "-f",
            help=_(
                "html (a page with charts), xlsx (a workbook), docx (a 公文 for Word and WPS), md or json."
            ),
            **formats(Format.html, Format.xlsx, Format.md, Format.json, Format.docx),
        ),
    ] = Format.md,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar=_("FILE"),
            help=_("The file to write (html, xlsx and docx need one; md and json default to stdout)."),
        ),
    ] = None,
    prefecture: PrefectureOpt = None,
    county: CountyOpt = None,
    town_type: TownTypeOpt = None,
    batch: BatchOpt = None,
) -> None:
    """The report on an assessment year: results, exits, designations and stage moves, by prefecture and
    by stage, with charts; the towns as the notice's annex lists them.

    Example: xiaozhen report --year 2020 --format docx -o 2020年度评估情况.docx
    """
    from xiaozhen.reports import render_report, report_html
    from xiaozhen.reports.report import build, default_year

    if fmt in (Format.html, Format.xlsx, Format.docx) and output is None:
        raise BadValue(_("--format {value} needs --output FILE").format(value=fmt.value))
    from xiaozhen.store.registry import read_bytes
    from xiaozhen.store.revisions import commit_of, revision_of

    registry = records(ctx)
    path = source(ctx).path
    raw = read_bytes(path)
    revision = revision_of(raw, commit_of(path, raw))
    facets = make_facets(None, prefecture, county, town_type, None, batch, None, None)
    narrowed = [*([facets.town_type] if facets.town_type else []), *([f"第{batch}批"] if batch else [])]
    chosen = year if year is not None else default_year(registry)
    scope = facets.county or facets.prefecture
    built = build(registry, chosen, date.today(), facets.match, scope, narrowed, revision, generated_at())
    if fmt is Format.xlsx:
        write_file(output, lambda path: render_report.report_xlsx(built, path))
        return
    if fmt is Format.docx:
        from xiaozhen.reports.report_docx import report_docx

        write_file(output, lambda path: report_docx(built, path))
        return
    text = (
        report_html.report_html(built)
        if fmt is Format.html
        else (
            render_report.report_json(built) if fmt is Format.json else render_report.report_markdown(built)
        )
    )
    if output is None:
        out(text)
    else:
        write_file(output, lambda path: path.write_text(text, encoding="utf-8"))


@command("demo")
def demo(
    ctx: typer.Context,
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", metavar=_("FILE"), help=_("The folder to write the sample year into.")
        ),
    ] = Path("demo"),
) -> None:
    """A worked sample year (示例数据) on a copy of the registry, and its report as HTML, XLSX and DOCX.

    The copy is marked as sample data, and so is every report made from it; the registry is only read.

    Example: xiaozhen demo -o demo
    """
    from xiaozhen.errors import CannotWrite
    from xiaozhen.reports import demo as sample
    from xiaozhen.store.registry import read_bytes

    path = source(ctx).path
    registry = records(ctx)
    sample.refuse_a_real_registry(output, path)
    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CannotWrite(
            _("{output}: cannot make the folder ({strerror})").format(output=output, strerror=exc.strerror)
        ) from None
    text = sample.marked(read_bytes(path).decode("utf-8"))
    write_file(output / sample.REGISTRY, lambda target: target.write_text(text, encoding="utf-8"))
    results = sample.sample_results(registry["towns"])
    write_file(output / sample.RESULTS, lambda target: target.write_text(results, encoding="utf-8"))
    for step in sample.steps(registry["towns"]):
        done = sample.run(output, *step)
        # the import's summary (one line a town would be 55 lines), each move and designation
        out(done.stderr if step[0] == "assess-import" else done.stdout)
    for fmt in ("html", "xlsx", "docx"):
        report = f"{sample.REPORT}.{fmt}"
        sample.run(output, "report", "--year", str(sample.YEAR), "--format", fmt, "--output", report)
        note(_("wrote {file}").format(file=output / report))
