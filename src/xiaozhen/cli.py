"""The command line: parse, call the library, print, exit. No rule or format lives here.

Heavy modules (pydantic, ruamel.yaml, rich, openpyxl) are imported inside the commands that use them,
so that `--help` and `--format json` start fast.
"""

from __future__ import annotations

import functools
import gc
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from xiaozhen import __version__
from xiaozhen.errors import BadValue, ExitCode, InvalidRegistry, Refused, XiaozhenError
from xiaozhen.terms import SETTABLE, Category, Prefecture, Result, Status, TownType, parse_term

app = typer.Typer(
    name="xiaozhen",
    help="The registry of Jilin Province's characteristic industry towns "
    "(吉林省特色产业小镇, 吉政办明电〔2019〕5号): check it against the notice's rules, "
    "answer questions about it, and make each year's changes safely.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

F = TypeVar("F", bound=Callable[..., Any])


class ReadFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class ShowFormat(StrEnum):
    table = "table"
    json = "json"


class CheckFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"


class ExportFormat(StrEnum):
    csv = "csv"
    json = "json"
    xlsx = "xlsx"
    md = "md"


class Dimension(StrEnum):
    category = "category"
    prefecture = "prefecture"
    county = "county"
    town_type = "town_type"
    status = "status"
    batch = "batch"


# --- plumbing ------------------------------------------------------------------------------------


def _stdout() -> Any:
    from rich.console import Console

    return Console(highlight=False)


def _out(text: str) -> None:
    sys.stdout.write(text)


def _note(text: str) -> None:
    """A diagnostic on stderr, plain: no markup is read from data."""
    from xiaozhen.render import clean

    sys.stderr.write(clean(text) + "\n")


def _fail(error: XiaozhenError) -> typer.Exit:
    from xiaozhen.imports import ImportRefused
    from xiaozhen.render import problems_text

    _note(f"xiaozhen: {error}")
    if isinstance(error, InvalidRegistry | Refused) and error.problems:
        sys.stderr.write(problems_text(error.problems, str(error.path)))
    if isinstance(error, ImportRefused):
        for problem in error.row_problems:
            _note(f"  {problem}")
    return typer.Exit(code=int(error.exit_code))


def command(*names: str, **kwargs: Any) -> Callable[[F], F]:
    """Register a command whose library errors become a one-line message and their exit code."""

    def decorate(function: F) -> F:
        @functools.wraps(function)
        def wrapper(*args: Any, **kw: Any) -> Any:
            try:
                return function(*args, **kw)
            except XiaozhenError as error:
                raise _fail(error) from None

        app.command(*names, **kwargs)(wrapper)
        return function

    return decorate


def _version(value: bool) -> None:
    if value:
        _out(f"xiaozhen {__version__}\n")
        raise typer.Exit()


@app.callback()
def _main(
    ctx: typer.Context,
    registry: Annotated[
        str | None,
        typer.Option(
            "--registry",
            "-r",
            metavar="PATH",
            help="The registry file. Default: $XIAOZHEN_REGISTRY, else ./data/towns.yaml, else the copy "
            "installed with xiaozhen (read-only).",
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """xiaozhen: 吉林省特色产业小镇名录 — validate, query and update the registry."""
    ctx.obj = registry  # the --registry option, for the command to locate the file with


def _source(ctx: typer.Context) -> Any:
    """The registry this invocation uses (--registry, $XIAOZHEN_REGISTRY, ./data, the installed copy)."""
    from xiaozhen.registry import locate

    return locate(ctx.obj)


# Above these sizes an operation takes about a second or more: show a progress display (on a terminal).
READ_PROGRESS_BYTES = 2 * 1024 * 1024
EDIT_PROGRESS_BYTES = 128 * 1024  # round-trip YAML is some twenty times slower than a read


@contextmanager
def _progress(path: Path, threshold: int) -> Iterator[Callable[[str], None]]:
    """A transient progress display on stderr for long work on a large registry, only when stderr is a
    terminal: never in a pipe, a log or CI."""
    try:
        large = path.stat().st_size > threshold
    except OSError:
        large = False
    if not (large and sys.stderr.isatty()):
        yield lambda _: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn(f"{path.name}: {{task.description}}"), BarColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as display:
        task = display.add_task("reading", total=None)
        yield lambda what: display.update(task, description=what)


def _load(ctx: typer.Context) -> dict[str, Any]:
    """The registry's records, for reading."""
    from xiaozhen.registry import load_records

    path = _source(ctx).path
    with _progress(path, READ_PROGRESS_BYTES) as step:
        return load_records(path, step)


def _term(enum: type[Any], value: str | None) -> str | None:
    """The Chinese term that `value` names, or None."""
    return None if value is None else parse_term(enum, value).value


def _today(value: str | None) -> date:
    from xiaozhen.lifecycle import check_date

    today = date.today()
    if value is None:
        return today
    try:
        when = date.fromisoformat(value)
    except ValueError:
        raise BadValue(f"--date '{value}' is not a date (YYYY-MM-DD)") from None
    check_date(when, today)
    return when


# --- shared options ------------------------------------------------------------------------------

CategoryOpt = Annotated[
    str | None, typer.Option("--category", "-c", help="成长类/培育类/规划类 (growth/cultivation/planning).")
]
PrefectureOpt = Annotated[
    str | None,
    typer.Option("--prefecture", "-p", help="长春市, 吉林市, … (the suffix may be left off: 长春, 延边)."),
]
CountyOpt = Annotated[
    str | None, typer.Option("--county", help="County-level unit: 榆树市, 农安县, … (suffix optional).")
]
TownTypeOpt = Annotated[
    str | None, typer.Option("--town-type", "-t", help="建制镇/非建制镇 (incorporated/unincorporated).")
]
StatusOpt = Annotated[
    str | None, typer.Option("--status", "-s", help="创建中/已认定/已退出 (creating/designated/exited).")
]
BatchOpt = Annotated[int | None, typer.Option("--batch", "-b", help="Batch number (1: the 2019 annex).")]
IndustryOpt = Annotated[str | None, typer.Option("--industry", help="A fragment of the leading industry.")]
NameOpt = Annotated[str | None, typer.Option("--name", "-n", help="A fragment of the name.")]
SortOpt = Annotated[str, typer.Option("--sort", help="Sort by a field or dotted path (default id).")]
ReadFormatOpt = Annotated[
    ReadFormat, typer.Option("--format", "-f", help="table for people; json or csv for scripts.")
]
DateOpt = Annotated[
    str | None,
    typer.Option("--date", help="The date of the change, YYYY-MM-DD (default today; not in the future)."),
]
DryRunOpt = Annotated[
    bool, typer.Option("--dry-run", help="Print the diff the edit would make; write nothing.")
]
TownsArg = Annotated[
    list[str], typer.Argument(metavar="TOWN...", help="Ids or unique fragments of names.", show_default=False)
]


def _facets(
    category: str | None,
    prefecture: str | None,
    county: str | None,
    town_type: str | None,
    status: str | None,
    batch: int | None,
    industry: str | None,
    name: str | None,
) -> Any:
    from xiaozhen.query import Facets

    return Facets(
        category=_term(Category, category),
        prefecture=_term(Prefecture, prefecture),
        county=county,
        town_type=_term(TownType, town_type),
        status=_term(Status, status),
        batch=batch,
        industry=industry,
        name=name,
    )


def _check_sort(sort: str) -> None:
    from xiaozhen.query import known_fields

    if sort not in known_fields():
        raise BadValue(f"cannot sort by '{sort}'; fields: {', '.join(known_fields())}")


def _print_towns(towns: list[Any], fmt: ReadFormat) -> None:
    if fmt is ReadFormat.json:
        from xiaozhen.render import towns_json

        _out(towns_json(towns))
    elif fmt is ReadFormat.csv:
        from xiaozhen.render import towns_csv

        _out(towns_csv(towns))
    else:
        from xiaozhen.render import towns_table

        towns_table(_stdout(), towns)
    if not towns:
        _note("no town matches")


# --- reading -------------------------------------------------------------------------------------


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
    fmt: ReadFormatOpt = ReadFormat.table,
) -> None:
    """List towns, filtered by any facet.

    Example: xiaozhen list --category 培育类 --prefecture 延边
    """
    from xiaozhen.query import select

    facets = _facets(category, prefecture, county, town_type, status, batch, industry, name)
    _check_sort(sort)
    _print_towns(select(_load(ctx)["towns"], facets, sort), fmt)


@command("filter")
def filter_towns(
    ctx: typer.Context,
    expressions: Annotated[
        list[str],
        typer.Argument(
            metavar="EXPR...",
            help="FIELD OP VALUE; OP one of = != < <= > >= ~ (contains).",
            show_default=False,
        ),
    ],
    sort: SortOpt = "id",
    fmt: ReadFormatOpt = ReadFormat.table,
) -> None:
    """Towns matching every FIELD OP VALUE expression (dotted paths and leading_share too).

    Example: xiaozhen filter town_type=建制镇 prefecture=延边 "investment.total>=10"
    """
    from xiaozhen.query import Facets, parse_expression, select

    facets = Facets(expressions=[parse_expression(e) for e in expressions])
    _check_sort(sort)
    _print_towns(select(_load(ctx)["towns"], facets, sort), fmt)


@command("show")
def show(
    ctx: typer.Context,
    town: Annotated[
        str, typer.Argument(metavar="TOWN", help="An id or a unique fragment of a name.", show_default=False)
    ],
    fmt: Annotated[ShowFormat, typer.Option("--format", "-f", help="table or json.")] = ShowFormat.table,
) -> None:
    """One town, whole: listing, standards data, assessments, history.

    Example: xiaozhen show 大荒地
    """
    from xiaozhen.query import find_record

    found = find_record(_load(ctx)["towns"], town)
    if fmt is ShowFormat.json:
        from xiaozhen.render import to_json

        _out(to_json(found))
    else:
        from xiaozhen.render import town_panel

        town_panel(_stdout(), found)


@command("tally")
def tally(
    ctx: typer.Context,
    by: Annotated[
        list[Dimension] | None,
        typer.Option("--by", help="A dimension (default category); twice for a cross-table."),
    ] = None,
    chart: Annotated[bool, typer.Option("--chart", help="Draw bars (one --by only).")] = False,
    category: CategoryOpt = None,
    prefecture: PrefectureOpt = None,
    county: CountyOpt = None,
    town_type: TownTypeOpt = None,
    status: StatusOpt = None,
    batch: BatchOpt = None,
    industry: IndustryOpt = None,
    name: NameOpt = None,
    fmt: ReadFormatOpt = ReadFormat.table,
) -> None:
    """Count towns by one dimension, or cross-tabulate two, with totals.

    Example: xiaozhen tally --by prefecture --by category
    """
    from xiaozhen import query

    facets = _facets(category, prefecture, county, town_type, status, batch, industry, name)
    dimensions = [d.value for d in by] if by else ["category"]
    result = query.tally(query.select(_load(ctx)["towns"], facets), dimensions)
    if fmt is ReadFormat.json:
        from xiaozhen.render import to_json

        _out(to_json(result.as_dict()))
    elif fmt is ReadFormat.csv:
        from xiaozhen.render import tally_csv

        _out(tally_csv(result))
    else:
        from xiaozhen.render import tally_table

        tally_table(_stdout(), result, chart=chart)


@command("validate")
def validate(
    ctx: typer.Context,
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="[FILE]...", help="The registries to check (default: the one in use).", show_default=False
        ),
    ] = None,
    fmt: Annotated[
        CheckFormat,
        typer.Option(
            "--format", "-f", help="text (FILE:LINE:COL: code: message), json, or github annotations."
        ),
    ] = CheckFormat.text,
    strict: Annotated[
        bool, typer.Option("--strict", help="Missing standards data on an active town is an error too.")
    ] = False,
) -> None:
    """Check a registry against the notice's rules; report every problem with its line and column.

    Exit 0 valid, 1 problems, 2 misuse (a path that cannot be read).

    Example: xiaozhen validate data/towns.yaml --format github
    """
    from xiaozhen.registry import load
    from xiaozhen.render import problems_github, problems_text, to_json

    paths = files or [_source(ctx).path]
    reports = []
    for path in paths:  # a path that cannot be read stops before any output
        with _progress(path, READ_PROGRESS_BYTES) as step:
            reports.append((path, load(path, strict=strict, step=step).report))
    documents = []
    for path, report in reports:
        if fmt is CheckFormat.json:
            problems = [p.as_dict() for p in report.problems]
            documents.append(
                {"ok": report.ok, "file": str(path), "problems": problems, "summary": report.summary}
            )
        elif fmt is CheckFormat.github:
            _out(problems_github(report.problems, str(path)))
        else:
            _out(problems_text(report.problems, str(path)))
        if report.ok:
            summary = report.summary
            recorded = ", ".join(f"{k} {v}/{summary['active']}" for k, v in summary["recorded"].items())
            _note(f"{path}: valid — {summary['towns']} towns; standards data recorded: {recorded}")
        else:
            _note(f"{path}: {len(report.problems)} problems")
    if documents:
        _out(to_json(documents[0] if len(documents) == 1 else documents))
    if not all(report.ok for _, report in reports):
        raise typer.Exit(code=ExitCode.INVALID)


@command("schema")
def schema() -> None:
    """Print the registry's JSON Schema, for editors and other validators.

    Example: xiaozhen schema > towns.schema.json
    """
    from xiaozhen.model import json_schema
    from xiaozhen.render import to_json

    _out(to_json(json_schema()))


@command("export")
def export(
    ctx: typer.Context,
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="csv (Excel-ready), json, xlsx or md.")],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="The file to write (xlsx needs one; others default to stdout)."),
    ] = None,
) -> None:
    """The whole registry for people who do not use the command line.

    Example: xiaozhen export --format xlsx -o towns.xlsx
    """
    from xiaozhen import query, render

    registry = _load(ctx)
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
        _out(text)
    else:
        _write_export(output, lambda path: path.write_text(text, encoding="utf-8"))


def _write_export(output: Path, write: Callable[[Path], Any]) -> None:
    from xiaozhen.errors import CannotWrite

    try:
        write(output)
    except OSError as exc:
        raise CannotWrite(f"{output}: cannot write ({exc.strerror})") from None
    _note(f"wrote {output}")


# --- editing -------------------------------------------------------------------------------------


def _edit(ctx: typer.Context, change: Callable[[Any], None], dry_run: bool) -> None:
    from xiaozhen.registry import edit

    source = _source(ctx)
    with _progress(source.path, EDIT_PROGRESS_BYTES) as step:
        result = edit(source, change, dry_run=dry_run, step=step)
    for message in result.messages:
        _out(message + "\n")
    if dry_run and result.changed:
        _out(result.diff)
        _note("dry run: nothing was written")
    elif not result.changed:
        _note("nothing to change")


def _each(names: list[str], step: Callable[[Any, Any], Any]) -> Callable[[Any], None]:
    """A change that resolves every TOWN first (so a typo changes nothing), then applies `step` to each."""

    def change(document: Any) -> None:
        from xiaozhen.lifecycle import Unchanged
        from xiaozhen.query import find_town

        towns = [(t.id, t.name) for t in document.registry.towns]
        ids = [find_town(towns, name) for name in names]
        for town_id in dict.fromkeys(ids):
            outcome = step(document, document.town(town_id))
            if isinstance(outcome, Unchanged):
                document.messages.append(outcome.message)
            else:
                document.apply(outcome)

    return change


@command("advance")
def advance(
    ctx: typer.Context,
    towns: TownsArg,
    to: Annotated[
        str | None,
        typer.Option(
            "--to", help="The stage expected after the move; a town already there is left as it is."
        ),
    ] = None,
    when: DateOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """Move towns one stage forward: 规划类 → 培育类 → 成长类 (only while 创建中).

    Example: xiaozhen advance 3 大荒地 --to 成长类
    """
    from xiaozhen import lifecycle

    day, target = _today(when), (parse_term(Category, to) if to else None)
    _edit(ctx, _each(towns, lambda _doc, town: lifecycle.advance(town, day, target)), dry_run)


@command("assess")
def assess(
    ctx: typer.Context,
    towns: TownsArg,
    year: Annotated[int, typer.Option("--year", help="The year assessed.")],
    result: Annotated[str, typer.Option("--result", help="达标/不达标 (pass/fail). 不达标 exits the town.")],
    score: Annotated[float | None, typer.Option("--score", help="0–100.")] = None,
    assessor: Annotated[str | None, typer.Option("--assessor", help="The third-party assessor.")] = None,
    note: Annotated[str | None, typer.Option("--note", help="A note kept with the result.")] = None,
    replace: Annotated[
        bool, typer.Option("--replace", help="Replace a different result already recorded for the year.")
    ] = False,
    when: DateOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """Record one yearly assessment result; the same result again changes nothing.

    Example: xiaozhen assess 大荒地 --year 2025 --result 达标 --score 86 --assessor 某评估机构
    """
    from decimal import Decimal

    from xiaozhen import lifecycle

    day, outcome = _today(when), parse_term(Result, result)
    points = None if score is None else Decimal(str(score))
    _edit(
        ctx,
        _each(
            towns,
            lambda doc, town: lifecycle.assess(
                town,
                doc.registry,
                day,
                year,
                outcome,
                score=points,
                assessor=assessor,
                note=note,
                replace=replace,
            ),
        ),
        dry_run,
    )


@command("assess-import")
def assess_import(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            help="CSV or XLSX with columns town, year, result[, score, assessor, note].", show_default=False
        ),
    ],
    replace: Annotated[
        bool, typer.Option("--replace", help="Replace different results already recorded.")
    ] = False,
    when: DateOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """Record an assessor's results from a CSV or XLSX file: all rows or none.

    Example: xiaozhen assess-import results-2025.xlsx
    """
    from xiaozhen.imports import ImportSummary, parse_rows, read_table, record_rows

    day = _today(when)
    rows, problems = parse_rows(file, read_table(file))
    summary = ImportSummary(file, len(rows))
    # Rows that could not be read are reported with those that cannot be recorded, by record_rows.
    _edit(ctx, lambda document: record_rows(document, rows, problems, day, summary, replace=replace), dry_run)
    _note(str(summary))


@command("designate")
def designate(ctx: typer.Context, towns: TownsArg, when: DateOpt = None, dry_run: DryRunOpt = False) -> None:
    """Designate towns 省级特色产业小镇 (已认定): latest assessment 达标, from the designation year on.

    Example: xiaozhen designate 大荒地
    """
    from xiaozhen import lifecycle

    day = _today(when)
    _edit(ctx, _each(towns, lambda doc, town: lifecycle.designate(town, doc.registry, day)), dry_run)


@command("withdraw")
def withdraw(
    ctx: typer.Context,
    towns: TownsArg,
    reason: Annotated[str, typer.Option("--reason", help="Why the town exits; kept in its history.")],
    when: DateOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """Exit towns from creation (已退出), with the reason in their history.

    Example: xiaozhen withdraw 19 --reason "申请退出"
    """
    from xiaozhen import lifecycle

    day = _today(when)
    _edit(ctx, _each(towns, lambda _doc, town: lifecycle.withdraw(town, day, reason)), dry_run)


@command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Option("--name", help="The name exactly as the notice lists it.")],
    prefecture: Annotated[str, typer.Option("--prefecture", "-p", help="The heading it is listed under.")],
    category: Annotated[str, typer.Option("--category", "-c", help="The stage it is listed under.")],
    town_type: Annotated[str, typer.Option("--town-type", "-t", help="建制镇/非建制镇.")],
    batch: Annotated[int, typer.Option("--batch", "-b", help="Its batch: 2 or later.")],
    county: Annotated[
        str | None, typer.Option("--county", help="The county-level unit its name begins with.")
    ] = None,
    when: DateOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """Add a town of a later batch, with the next id; adding the same town again changes nothing.

    Example: xiaozhen add --name 某县某某小镇 -p 长春 -c 规划类 -t 建制镇 --batch 2
    """
    from xiaozhen import lifecycle

    day = _today(when)
    new = lifecycle.NewTown(
        name.strip(),
        parse_term(Prefecture, prefecture),
        parse_term(Category, category),
        parse_term(TownType, town_type),
        batch,
        county,
    )

    def change(document: Any) -> None:
        node, outcome = lifecycle.add(document.registry, day, new)
        if node is not None:
            document.append_town(node)
        document.messages.append(outcome.message)

    _edit(ctx, change, dry_run)


@command("set")
def set_values(
    ctx: typer.Context,
    town: Annotated[
        str, typer.Argument(metavar="TOWN", help="An id or a unique fragment of a name.", show_default=False)
    ],
    settings: Annotated[
        list[str],
        typer.Argument(
            metavar="KEY=VALUE...",
            help=f"KEY one of {', '.join(SETTABLE)}; VALUE `null` clears it.",
            show_default=False,
        ),
    ],
    when: DateOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """Record a town's standards data (亿元 for investment).

    Example: xiaozhen set 大荒地 leading_industry=稻米 investment.total=12 investment.leading_industry=8
    """
    from xiaozhen import lifecycle

    day = _today(when)
    parsed = [lifecycle.parse_setting(s) for s in settings]
    _edit(ctx, _each([town], lambda _doc, t: lifecycle.record(t, day, parsed)), dry_run)


def main() -> None:
    """The console script."""
    # One command, then exit: the cyclic collector would only rescan the registry's many objects, over
    # and over (a third of the time of a large read); memory is returned when the process ends.
    gc.disable()
    # pydantic looks for plugins among every installed package's entry points on its first validation
    # (a sixth of a cold command's time); xiaozhen uses none. Set the variable to load them anyway.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    try:
        app()
    except XiaozhenError as error:  # raised outside a command (e.g. in a callback)
        raise SystemExit(_fail(error).exit_code) from None
    except KeyboardInterrupt:
        sys.stderr.write("xiaozhen: interrupted; nothing was written\n")
        raise SystemExit(130) from None
    except Exception as error:  # a bug: say so in one line, not a traceback
        if os.environ.get("XIAOZHEN_DEBUG"):
            raise
        sys.stderr.write(
            f"xiaozhen: internal error: {type(error).__name__}: {error} "
            "(run with XIAOZHEN_DEBUG=1 for the traceback, and please report it)\n"
        )
        raise SystemExit(70) from None
