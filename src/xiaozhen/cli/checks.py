"""Checking a registry: validate, and the schema other tools check it with."""

import re
from pathlib import Path
from typing import Annotated

import typer

from xiaozhen.cli.base import (
    CheckFormat,
    Findings,
    argument,
    command,
    note,
    one_of,
    out,
    progress,
    source,
)
from xiaozhen.errors import ExitCode, UsageError, XiaozhenError
from xiaozhen.fields import label
from xiaozhen.i18n import N_, _, ngettext
from xiaozhen.limits import printable

# A link a job summary may hold: a web page's address, nothing Markdown or HTML could read otherwise.
_WEB_PAGE = re.compile(r"https://[^\s()<>\[\]`'\"|]+")


@command("validate")
def validate(
    ctx: typer.Context,
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar=_("FILE"),
            **argument(N_("PATH"), Path),
            help=_("The registries to check (default: the one in use)."),
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[
        CheckFormat,
        typer.Option(
            "--format",
            "-f",
            help=_("text (FILE:LINE:COL: code: message), json, github annotations, or md (a job summary)."),
            **one_of(CheckFormat),
        ),
    ] = CheckFormat.text,
    strict: Annotated[
        bool,
        typer.Option("--strict", help=_("Missing standards data on an active town is a finding too.")),
    ] = False,
    findings: Annotated[
        Findings,
        typer.Option(
            "--findings",
            help=_(
                "A town short of a creation standard: warn (shown; exit 0 when the file is valid) or "
                "error (exit 3 when the file is valid but such towns exist)."
            ),
            **one_of(Findings),
        ),
    ] = Findings.warn,
    link: Annotated[
        str | None,
        typer.Option(
            "--link",
            metavar=_("URL"),
            help=_("With --format md: the file's web page (https://…); each line number links to it."),
        ),
    ] = None,
) -> None:
    """Check a registry against the notice's rules; report every problem with its line and column.

    Errors say the file is wrong (schema, identity, lifecycle, history); findings say a town falls short of
    a creation standard (一), which the registry records as it is. Exit 0 valid (findings shown), 1 errors,
    2 misuse (a path that cannot be read), 3 valid but with findings under --findings error.

    Example: xiaozhen validate data/towns.yaml --format github
    """
    from xiaozhen.registry import load
    from xiaozhen.render import problems_github, problems_markdown, problems_text, to_json

    if link is not None and not _WEB_PAGE.fullmatch(link):
        raise UsageError(
            _("--link: '{printable}' is not a web page's address (https://… without spaces)").format(
                printable=printable(link)
            )
        )
    paths = files or [source(ctx).path]
    reports = []
    for path in paths:  # a path that cannot be read stops before any other output
        with progress(path) as step:
            try:
                reports.append((path, load(path, strict=strict, step=step).report))
            except XiaozhenError as unread:
                if fmt is CheckFormat.md:  # a job summary still says why there is no validation
                    out(problems_markdown([], str(path), str(unread), link))
                raise
    documents = []
    strict_findings = findings is Findings.error
    for path, report in reports:
        n, m = len(report.warnings), len(report.findings)
        warnings = ngettext(", {n} finding", ", {n} findings", m).format(n=f"{m:,}") if m else ""
        warnings += ngettext(", {n} warning", ", {n} warnings", n).format(n=f"{n:,}") if n else ""
        if report.ok:
            summary = report.summary
            recorded = ", ".join(
                f"{label(k)} {v}/{summary['active']}" for k, v in summary["recorded"].items()
            )
            verdict = _("valid{warnings} — {towns} towns; standards data recorded: {recorded}").format(
                warnings=warnings, towns=summary["towns"], recorded=recorded
            )
        else:
            n = len(report.errors)
            verdict = ngettext("{n} problem", "{n} problems", n).format(n=f"{n:,}") + warnings
        if fmt is CheckFormat.json:
            problems = [p.as_dict() for p in report.problems]
            documents.append(
                {"ok": report.ok, "file": str(path), "problems": problems, "summary": report.summary}
            )
        elif fmt is CheckFormat.github:
            out(problems_github(report.problems, str(path), findings_fail=strict_findings))
        elif fmt is CheckFormat.md:
            out(problems_markdown(report.problems, str(path), verdict, link))
        else:
            out(problems_text(report.problems, str(path)))
        note(f"{path}: {verdict}")
    if documents:
        out(to_json(documents[0] if len(documents) == 1 else documents))
    if not all(report.ok for _, report in reports):
        raise typer.Exit(code=ExitCode.INVALID)
    if strict_findings and any(report.findings for _, report in reports):
        raise typer.Exit(code=ExitCode.FINDINGS)


@command("schema")
def schema(
    report: Annotated[
        bool, typer.Option("--report", help=_("The JSON Schema of `report --format json` instead."))
    ] = False,
) -> None:
    """Print the registry's JSON Schema, for editors and other validators.

    Example: xiaozhen schema > towns.schema.json
    """
    from xiaozhen.render import to_json

    if report:
        from xiaozhen.report_schema import report_schema

        out(to_json(report_schema()))
        return
    from xiaozhen.model import json_schema

    out(to_json(json_schema()))
