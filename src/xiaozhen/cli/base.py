"""What every command shares: the typer app, how a library error becomes a message and an exit code,
where the registry is, the shared options, and printing.

Heavy modules (pydantic, ruamel.yaml, rich, openpyxl) are imported inside the functions that use them,
so that `--help` and `--format json` start fast.
"""

import functools
import inspect
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from xiaozhen import __version__
from xiaozhen.cli.usage import Command, Group
from xiaozhen.errors import (
    LISTED,
    BadValue,
    InvalidRegistry,
    ItemsRefused,
    Refused,
    XiaozhenError,
    did_you_mean,
    some,
)
from xiaozhen.i18n import N_, _
from xiaozhen.model.terms import Category, Prefecture, Status, TownType, parse_term

app = typer.Typer(
    name="xiaozhen",
    help=_(
        "The registry of Jilin Province's characteristic industry towns "
        "(吉林省特色产业小镇, 吉政办明电〔2019〕5号): check it against the notice's rules, "
        "answer questions about it, and make each year's changes safely."
    ),
    no_args_is_help=True,
    cls=Group,
    options_metavar=_("[OPTIONS]"),
    subcommand_metavar=_("COMMAND [ARGS]..."),
    suggest_commands=False,  # Group suggests, in the reader's language
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

F = TypeVar("F", bound=Callable[..., Any])
E = TypeVar("E", bound=StrEnum)


def whole(metavar: str = N_("INTEGER")) -> dict[str, Any]:
    """The parser of an option that takes a whole number (a year, a batch), full-width digits too."""

    def parse(value: Any) -> int:
        import unicodedata

        from xiaozhen.limits import printable, whole_number

        text = unicodedata.normalize("NFKC", str(value)).strip()
        number = whole_number(text.removeprefix("-"))
        if number is None:
            raise typer.BadParameter(_("'{value}' is not a whole number").format(value=printable(text[:40])))
        return -number if text.startswith("-") else number

    return {"parser": parse, "metavar": _(metavar)}


def year_of() -> dict[str, Any]:
    """The parser of an option that takes a year, as typed anywhere: 2020, 2020年, 2020年度."""

    def parse(value: Any) -> int:
        from xiaozhen.model.terms import parse_year

        if isinstance(value, int):
            return value
        try:
            return parse_year(str(value))
        except ValueError as wrong:
            raise typer.BadParameter(str(wrong)) from None

    return {"parser": parse, "metavar": _("YEAR")}


def score_of() -> dict[str, Any]:
    """The parser of an option that takes a score, as typed anywhere: 88, 88.5, 88分, from 0 to 100."""

    def parse(value: Any) -> Any:
        from decimal import Decimal

        from xiaozhen.model.terms import parse_score

        if isinstance(value, Decimal):
            return value
        try:
            return parse_score(str(value), bounded=False)  # `assess` names a score out of 0..100
        except ValueError as wrong:
            raise typer.BadParameter(str(wrong)) from None

    return {"parser": parse, "metavar": _("NUMBER")}


def one_of(
    values: type[E] | Sequence[E], metavar: str = N_("FORMAT"), *, fields: bool = False
) -> dict[str, Any]:
    """The parser and help metavar of an option whose values are a closed set (an enum, or some of its
    members): a wrong value gets a message naming the values, in our words (typer's own says "Value
    error, …"). With `fields`, the values are fields, given by key or by Chinese name (类别)."""
    allowed = list(values)
    kind = type(allowed[0])

    def parse(value: Any) -> E:
        if isinstance(value, kind) and value in allowed:
            return value
        text = str(value).strip()
        if fields:
            from xiaozhen.model.fields import field_key

            text = field_key(text)
        if text not in allowed:  # a StrEnum member is equal to its value
            raise typer.BadParameter(
                _("'{value}' is not one of: {value2}").format(
                    value=value, value2=", ".join(str(v) for v in allowed)
                )
            )
        return kind(text)

    return {"parser": parse, "metavar": _(metavar)}


def argument(kind: str = N_("TEXT"), convert: Callable[[str], Any] = str) -> dict[str, Any]:
    """The parser of an argument: `convert`, under the name `kind` in the reader's language. typer shows
    an argument's type in --help by its parser's name (TEXT, PATH), so the name is the word to show."""

    def parse(value: Any) -> Any:
        return convert(value) if isinstance(value, str) else value

    parse.__name__ = _(kind)
    return {"parser": parse}


class Format(StrEnum):
    """Every output format, as one type: each command takes those it can write (`formats`)."""

    table = "table"
    text = "text"
    json = "json"
    csv = "csv"
    md = "md"
    github = "github"
    xlsx = "xlsx"
    sqlite = "sqlite"
    html = "html"
    docx = "docx"


def formats(*allowed: Format) -> dict[str, Any]:
    """The parser and help metavar of a command's --format: the formats it can write."""
    return one_of(allowed)


class Findings(StrEnum):
    """What validate does with a town that falls short of a creation standard."""

    warn = "warn"  # show it; the exit code is the file's (0 when valid)
    error = "error"  # show it as an error; exit 3 when the file is valid but such towns exist


class Dimension(StrEnum):
    category = "category"
    prefecture = "prefecture"
    county = "county"
    town_type = "town_type"
    status = "status"
    batch = "batch"


# --- plumbing ------------------------------------------------------------------------------------


def stdout_console() -> Any:
    from rich.console import Console

    return Console(highlight=False)


def say(line: str) -> None:
    """One line on stdout (an edit's summary): line breaks from data do not start another."""
    from xiaozhen.limits import printable

    out(printable(line) + "\n")


def out(text: str) -> None:
    """Output on stdout, a terminal's, a pipe's or a CI log's: whatever the data, no character of it moves
    the cursor, sets a title or the clipboard, or starts a line of its own (limits.printable)."""
    from xiaozhen.limits import printable

    bom = "\ufeff" if text.startswith("\ufeff") else ""  # Excel's sign of UTF-8, at the start of a CSV
    sys.stdout.write(bom + printable(text.removeprefix(bom), lines=True))


def note(text: str) -> None:
    """A diagnostic on stderr, one line, plain: no markup is read from data, no line break from it
    starts a line that a CI runner could take for a workflow command."""
    from xiaozhen.limits import printable

    sys.stderr.write(printable(text) + "\n")


def say_findings(findings: Sequence[Any], where: Callable[[Any], str | None] = lambda _p: None) -> None:
    """What an edit recorded that falls short of a creation standard: recorded all the same (the registry
    holds the truth), said on stderr so that whoever recorded it knows; `where` names a form's cell."""
    for finding in findings:
        at = where(finding)
        line = _("recorded, short of a standard: {message}").format(message=finding.message)
        note(f"{at}: {line}" if at else line)


def fail(error: XiaozhenError) -> typer.Exit:
    from xiaozhen.reports.render import problems_text

    note(f"xiaozhen: {error}")
    if isinstance(error, InvalidRegistry | Refused) and error.problems:
        sys.stderr.write(problems_text(error.problems, str(error.path)))
    if isinstance(error, ItemsRefused):
        for item in error.items[:LISTED]:
            note(f"  {item}")
        rest = len(error.items) - LISTED
        if rest > 0:
            note("  " + _("and {rest} more").format(rest=f"{rest:,}"))
    return typer.Exit(code=int(error.exit_code))


def command(*names: str, **kwargs: Any) -> Callable[[F], F]:
    """Register a command whose library errors become a one-line message and their exit code."""

    def decorate(function: F) -> F:
        # The help is the docstring, in the reader's language (catalog_extract puts it in the catalog).
        kwargs.setdefault("help", _(inspect.cleandoc(function.__doc__ or "")) or None)
        kwargs.setdefault("cls", Command)
        kwargs.setdefault("options_metavar", _("[OPTIONS]"))

        @functools.wraps(function)
        def wrapper(*args: Any, **kw: Any) -> Any:
            try:
                return function(*args, **kw)
            except XiaozhenError as error:
                raise fail(error) from None

        app.command(*names, **kwargs)(wrapper)
        return function

    return decorate


def _version(value: bool) -> None:
    if value:
        out(f"xiaozhen {__version__}\n")
        raise typer.Exit()


@app.callback()
def _main(
    ctx: typer.Context,
    registry: Annotated[
        str | None,
        typer.Option(
            "--registry",
            "-r",
            metavar=_("PATH"),
            help=_(
                "The registry file. Default: $XIAOZHEN_REGISTRY, else ./data/towns.yaml, else the copy "
                "installed with xiaozhen (read-only)."
            ),
        ),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            metavar="zh|en",
            help=_(
                "The language of help and messages: zh (中文) or en. "
                "Default: $XIAOZHEN_LANG, else the locale's."
            ),
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help=_("Print the version and exit.")),
    ] = False,
) -> None:
    """xiaozhen: 吉林省特色产业小镇名录 — validate, query and update the registry."""
    ctx.obj = registry  # the --registry option, for the command to locate the file with


def source(ctx: typer.Context) -> Any:
    """The registry this invocation uses (--registry, $XIAOZHEN_REGISTRY, ./data, the installed copy).
    The installed copy is named on stderr, once: an answer from it, run in the wrong folder, would
    otherwise pass for one from the office's registry."""
    from xiaozhen.store.registry import ENV_VAR, locate

    found = locate(ctx.obj)
    if found.origin == "package" and not ctx.meta.get("xiaozhen.said_which"):
        ctx.meta["xiaozhen.said_which"] = True
        note(
            _(
                "no registry named and none at ./data/towns.yaml: reading {path}, the copy installed with "
                "xiaozhen (name yours with --registry PATH or {ENV_VAR}=PATH)"
            ).format(path=found.path, ENV_VAR=ENV_VAR)
        )
    return found


# Above these sizes an operation takes about a second or more: show a progress display (on a terminal).
READ_PROGRESS_BYTES = 2 * 1024 * 1024
EDIT_PROGRESS_BYTES = 128 * 1024  # round-trip YAML is some twenty times slower than a read


@contextmanager
def progress(path: Path, *, edit: bool = False) -> Iterator[Callable[[str], None]]:
    """A transient progress display on stderr for long work on a large registry, only when stderr is a
    terminal: never in a pipe, a log or CI."""
    threshold = EDIT_PROGRESS_BYTES if edit else READ_PROGRESS_BYTES
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
        task = display.add_task(_("reading"), total=None)
        yield lambda what: display.update(task, description=what)


def records(ctx: typer.Context, as_of: str | None = None) -> dict[str, Any]:
    """The registry's records, for reading; with `as_of`, as they stood at the end of that day."""
    from xiaozhen.store.registry import load_records

    path = source(ctx).path
    with progress(path) as step:
        registry = load_records(path, step)
    if as_of is None:
        return registry
    from xiaozhen.model.history import registry_as_of

    return registry_as_of(registry, parse_day("--as-of", as_of), date.today())


def run_edit(ctx: typer.Context, change: Callable[[Any], None], dry_run: bool) -> None:
    """Make an edit of the registry (registry.edit) and say what it did: each change a line on stdout;
    a dry run's diff; or that there was nothing to change."""
    from xiaozhen.store.registry import edit

    registry = source(ctx)
    with progress(registry.path, edit=True) as step:
        result = edit(registry, change, dry_run=dry_run, step=step)
    for message in result.messages:
        say(message)
    say_findings(result.findings)
    if dry_run and result.changed:
        out(result.diff)
        note(_("dry run: nothing was written"))
    elif not result.changed:
        note(_("nothing to change"))


def write_file(output: Path | None, write: Callable[[Path], Any]) -> None:
    """Write an output file whole, or not at all (output.write_replacing), and say so on stderr."""
    from xiaozhen.output import write_replacing

    if output is None:  # pragma: no cover - the commands ask for --output first
        raise BadValue(_("--output FILE is needed"))
    write_replacing(output, write)
    note(_("wrote {file}").format(file=output))


def parse_day(option: str, value: str) -> date:
    from xiaozhen.model.terms import DATE_FORMS, parse_date

    try:
        return parse_date(value)
    except ValueError:
        raise BadValue(
            _("{option} '{value}' is not a date ({forms})").format(
                option=option, value=value, forms=_(DATE_FORMS)
            )
        ) from None


def term(enum: type[Any], value: str | None) -> str | None:
    """The Chinese term that `value` names, or None."""
    return None if value is None else parse_term(enum, value).value


def day_of(value: str | None) -> date:
    from xiaozhen.actions.lifecycle import check_date

    today = date.today()
    if value is None:
        return today
    when = parse_day("--date", value)
    check_date(when, today)
    return when


# --- shared options ------------------------------------------------------------------------------

CategoryOpt = Annotated[
    str | None,
    typer.Option(
        "--category",
        "-c",
        metavar=_("CATEGORY"),
        help=_("成长类/培育类/规划类 (growth/cultivation/planning)."),
    ),
]
PrefectureOpt = Annotated[
    str | None,
    typer.Option(
        "--prefecture",
        "-p",
        metavar=_("PREFECTURE"),
        help=_("长春市, 吉林市, … (the suffix may be left off: 长春, 延边)."),
    ),
]
CountyOpt = Annotated[
    str | None,
    typer.Option(
        "--county", metavar=_("COUNTY"), help=_("County-level unit: 榆树市, 农安县, … (suffix optional).")
    ),
]
TownTypeOpt = Annotated[
    str | None,
    typer.Option(
        "--town-type", "-t", metavar=_("TYPE"), help=_("建制镇/非建制镇 (incorporated/unincorporated).")
    ),
]
StatusOpt = Annotated[
    str | None,
    typer.Option(
        "--status", "-s", metavar=_("STATUS"), help=_("创建中/已认定/已退出 (creating/designated/exited).")
    ),
]
BatchOpt = Annotated[
    int | None, typer.Option("--batch", "-b", help=_("Batch number (1: the 2019 annex)."), **whole())
]
IndustryOpt = Annotated[
    str | None, typer.Option("--industry", metavar=_("TEXT"), help=_("A fragment of the leading industry."))
]
NameOpt = Annotated[
    str | None, typer.Option("--name", "-n", metavar=_("TEXT"), help=_("A fragment of the name."))
]
SortOpt = Annotated[
    str,
    typer.Option(
        "--sort", metavar=_("FIELD"), help=_("Sort by a field, by key or Chinese name (default id).")
    ),
]
ReadFormatOpt = Annotated[
    Format,
    typer.Option(
        "--format",
        "-f",
        help=_("table for people; json or csv for scripts."),
        **formats(Format.table, Format.json, Format.csv),
    ),
]
# The day whose rulebooks apply (validate, review, screen).
RulesAsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar=_("DATE"),
        help=_("The rulebooks in force on that day (YYYY-MM-DD; default today)."),
    ),
]
AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar=_("DATE"),
        help=_(
            "The registry as it stood at the end of that day (YYYY-MM-DD), rebuilt from the towns' histories."
        ),
    ),
]
DateOpt = Annotated[
    str | None,
    typer.Option(
        "--date",
        metavar=_("DATE"),
        help=_("The date of the change, YYYY-MM-DD (default today; not in the future)."),
    ),
]
DryRunOpt = Annotated[
    bool, typer.Option("--dry-run", help=_("Print the diff the edit would make; write nothing."))
]
SourceOpt = Annotated[
    str | None,
    typer.Option(
        "--source",
        metavar=_("TEXT"),
        help=_("Where the values come from (an application, a county's return), kept in the history."),
    ),
]
ByOpt = Annotated[
    str | None,
    typer.Option(
        "--by", metavar=_("TEXT"), help=_("Who filled them in (填报单位, 填报人), kept with the source.")
    ),
]
TownArg = Annotated[
    str,
    typer.Argument(
        metavar=_("TOWN"), help=_("An id or a unique fragment of a name."), show_default=False, **argument()
    ),
]
TownsArg = Annotated[
    list[str],
    typer.Argument(
        metavar=_("TOWN"), help=_("Ids or unique fragments of names."), show_default=False, **argument()
    ),
]


def make_facets(
    category: str | None,
    prefecture: str | None,
    county: str | None,
    town_type: str | None,
    status: str | None,
    batch: int | None,
    industry: str | None,
    name: str | None,
) -> Any:
    from xiaozhen.actions.query import Facets

    return Facets(
        category=term(Category, category),
        prefecture=term(Prefecture, prefecture),
        county=county,
        town_type=term(TownType, town_type),
        status=term(Status, status),
        batch=batch,
        industry=industry,
        name=name,
    )


TableFormatOpt = Annotated[
    Format,
    typer.Option(
        "--format",
        "-f",
        help=_("table, csv, json, md or xlsx."),
        **formats(Format.table, Format.csv, Format.json, Format.md, Format.xlsx),
    ),
]
RowsOutputOpt = Annotated[
    Path | None,
    typer.Option("--output", "-o", metavar=_("FILE"), help=_("The file to write (xlsx needs one).")),
]


def print_rows(
    fmt: Format,
    output: Path | None,
    title: str,
    header: list[str],
    rows: list[list[Any]],
    document: Callable[[], Any],
    *,
    sheet: str,
    summary: Sequence[str] = (),
    terminal: tuple[list[str], list[list[Any]]] | None = None,
) -> None:
    """Rows (screen, review) in the format asked: a terminal table (`terminal`'s narrower one, if given),
    CSV, JSON (`document`), Markdown titled `title`, or a workbook's `sheet`; `summary` lines after the
    table and the Markdown; to stdout, or to `output`."""
    from xiaozhen.reports import render
    from xiaozhen.reports.terminal import rows_table
    from xiaozhen.sheets import xlsx

    if fmt is Format.xlsx:
        if output is None:
            raise BadValue(_("--format xlsx needs --output FILE"))
        write_file(output, lambda target: xlsx.rows_xlsx(sheet, header, rows, target))
        return
    if fmt is Format.table and output is None:
        rows_table(stdout_console(), *(terminal or (header, rows)))
        if summary:
            out("\n".join(summary) + "\n")
        return
    listed = "".join(f"- {render.md_cell(line)}\n" for line in summary)
    text = {
        Format.csv: lambda: render.rows_csv(header, rows, bom=output is not None),
        Format.json: lambda: render.to_json(document()),
        Format.md: lambda: render.rows_markdown(header, rows, title) + ("\n" + listed if listed else ""),
        Format.table: lambda: render.rows_markdown(header, rows),
    }[fmt]()
    if output is None:
        out(text)
    else:
        write_file(output, lambda target: target.write_text(text, encoding="utf-8"))


def check_documents(registry: Any, documents: list[str]) -> None:
    """BadValue for a --rules that names neither the notice nor a rulebook of the registry."""
    if registry is None:
        return  # the file's own problems say more
    known = [registry.registry.document, *(b.document for b in registry.rulebooks)]
    for document in documents:
        if document not in known:
            raise BadValue(
                _(
                    "--rules '{document}': the registry names no such document{did_you_mean} (one of: {some})"
                ).format(document=document, did_you_mean=did_you_mean(document, known), some=some(known))
            )


def check_sort(sort: str) -> str:
    """The field `--sort` names, by its key or its Chinese name; BadValue for any other."""
    from xiaozhen.actions.query import known_fields
    from xiaozhen.errors import did_you_mean, some
    from xiaozhen.model.fields import field_key

    fields, key = known_fields(), field_key(sort)
    if key not in fields:
        raise BadValue(
            _("cannot sort by '{sort}'{did_you_mean}; fields: {some}").format(
                sort=sort, did_you_mean=did_you_mean(sort, fields), some=some(fields)
            )
        )
    return key


def print_towns(towns: list[Any], fmt: Format) -> None:
    if fmt is Format.json:
        from xiaozhen.reports.render import towns_json

        out(towns_json(towns))
    elif fmt is Format.csv:
        from xiaozhen.reports.render import towns_csv

        out(towns_csv(towns))
    else:
        from xiaozhen.reports.terminal import towns_table

        towns_table(stdout_console(), towns)
    if not towns:
        note(_("no town matches"))
