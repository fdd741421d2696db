"""What every command shares: the typer app, how a library error becomes a message and an exit code,
where the registry is, and printing (the shared options are in `options`).

Heavy modules (pydantic, ruamel.yaml, rich, openpyxl) are imported inside the functions that use them,
so that `--help` and `--format json` start fast.
"""

import functools
import inspect
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from xiaozhen import __version__
from xiaozhen.cli.options import Format, parse_day
from xiaozhen.cli.usage import Command, Group
from xiaozhen.errors import (
    LISTED,
    BadValue,
    InvalidRegistry,
    ItemsRefused,
    Refused,
    XiaozhenError,
)
from xiaozhen.i18n import _

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


# --- shared options ------------------------------------------------------------------------------


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
