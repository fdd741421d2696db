"""Checking a registry: validate, and the schema other tools check it with."""

import re
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from xiaozhen.cli.base import command, note, out, print_rows, progress, source
from xiaozhen.cli.options import (
    Findings,
    Format,
    PrefectureOpt,
    RowsOutputOpt,
    RulesAsOfOpt,
    TableFormatOpt,
    argument,
    check_documents,
    formats,
    make_facets,
    one_of,
    parse_day,
)
from xiaozhen.errors import ExitCode, UsageError, XiaozhenError
from xiaozhen.i18n import N_, _, ngettext
from xiaozhen.limits import printable
from xiaozhen.model.fields import label

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
        Format,
        typer.Option(
            "--format",
            "-f",
            help=_("text (FILE:LINE:COL: code: message), json, github annotations, or md (a job summary)."),
            **formats(Format.text, Format.json, Format.github, Format.md),
        ),
    ] = Format.text,
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
    as_of: RulesAsOfOpt = None,
    rules: Annotated[
        list[str] | None,
        typer.Option(
            "--rules",
            metavar=_("DOCUMENT"),
            help=_(
                "Only these documents' rules (repeatable): a rulebook's number, or the notice's for its "
                "standards alone."
            ),
        ),
    ] = None,
    base: Annotated[
        str | None,
        typer.Option(
            "--base",
            metavar=_("REVISION"),
            help=_(
                "A file or git revision to compare with (as diff takes it): its findings are known, and "
                "only new ones fail under --findings error."
            ),
        ),
    ] = None,
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
    from xiaozhen.reports.render import problems_github, problems_markdown, problems_text, to_json
    from xiaozhen.store.registry import load

    if link is not None and not _WEB_PAGE.fullmatch(link):
        raise UsageError(
            _("--link: '{printable}' is not a web page's address (https://… without spaces)").format(
                printable=printable(link)
            )
        )
    paths = files or [source(ctx).path]
    on = parse_day("--as-of", as_of) if as_of else None
    reports = []
    for path in paths:  # a path that cannot be read stops before any other output
        with progress(path) as step:
            try:
                loaded = load(path, strict=strict, step=step, on=on, documents=rules)
                if rules:
                    check_documents(loaded.report.registry, rules)
                reports.append((path, loaded.report))
            except XiaozhenError as unread:
                if fmt is Format.md:  # a job summary still says why there is no validation
                    out(problems_markdown([], str(path), str(unread), link))
                raise
    known: set[Any] = set()
    if base is not None:  # the findings the registry already held: shown, never failing the check
        from xiaozhen.store.registry import check_bytes
        from xiaozhen.store.revisions import read_version

        version = read_version(base, paths[0])
        before = check_bytes(version.raw, strict=strict, on=on, documents=rules).report
        known = {p.identity() for p in before.findings}
    documents = []
    strict_findings = findings is Findings.error
    new = []
    for path, report in reports:
        n, m = len(report.warnings), len(report.findings)
        fresh = [p for p in report.findings if p.identity() not in known]
        new += fresh
        warnings = ngettext(", {n} finding", ", {n} findings", m).format(n=f"{m:,}") if m else ""
        if base is not None and m:
            warnings += _(" ({n} new)").format(n=f"{len(fresh):,}")
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
        if fmt is Format.json:
            problems = [p.as_dict() for p in report.problems]
            if base is not None:
                for problem, said in zip(report.problems, problems, strict=True):
                    said["known"] = problem.severity == "finding" and problem.identity() in known
            documents.append(
                {"ok": report.ok, "file": str(path), "problems": problems, "summary": report.summary}
            )
        elif fmt is Format.github:
            out(problems_github(report.problems, str(path), findings_fail=strict_findings, known=known))
        elif fmt is Format.md:
            out(problems_markdown(report.problems, str(path), verdict, link, known))
        else:
            out(problems_text(report.problems, str(path)))
        note(f"{path}: {verdict}")
    if documents:
        out(to_json(documents[0] if len(documents) == 1 else documents))
    if not all(report.ok for _, report in reports):
        raise typer.Exit(code=ExitCode.INVALID)
    if strict_findings and new:
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
    from xiaozhen.reports.render import to_json

    if report:
        from xiaozhen.reports.report_layout import report_schema

        out(to_json(report_schema()))
        return
    from xiaozhen.model.schema import json_schema

    out(to_json(json_schema()))


@command("review")
def review(
    ctx: typer.Context,
    rules: Annotated[
        list[str] | None,
        typer.Option(
            "--rules",
            metavar=_("DOCUMENT"),
            help=_("Only these rulebooks (repeatable; default: every rulebook in force)."),
        ),
    ] = None,
    as_of: RulesAsOfOpt = None,
    prefecture: PrefectureOpt = None,
    fmt: TableFormatOpt = Format.table,
    output: RowsOutputOpt = None,
) -> None:
    """The list review the national norms demand (国办发〔2020〕33号 (十)): for every town in the list,
    纳入清单 (keep), 更名或清理 (a 建制镇: rename or clear), 清理 (a binding rule not met) or 待定 (the data
    still missing, named), each with the clauses behind it; and the list's length against its cap.

    Example: xiaozhen review --rules 国办发〔2020〕33号 -f xlsx -o 清单审核.xlsx
    """
    from xiaozhen.rules import norms
    from xiaozhen.store.registry import load_registry

    registry = load_registry(source(ctx).path)  # an invalid registry is refused, saying why
    if rules:
        check_documents(registry, rules)
    on = parse_day("--as-of", as_of) if as_of else date.today()
    result = norms.review(registry, on, rules)
    if prefecture is not None:
        facets = make_facets(None, prefecture, None, None, None, None, None, None)
        result.towns = [r for r in result.towns if r.town.prefecture == facets.prefecture]
    if not result.rulebooks:
        note(
            _(
                "no rulebook is in force on {day}: the notice's standards alone apply (`xiaozhen validate`)"
            ).format(day=on)
        )
    header, rows = norms.review_rows(result)
    counted = "，".join(f"{verdict.value} {n}" for verdict, n in result.counted().items())
    legend = [f"{verdict.value}: {_(norms.VERDICT_MEANING[verdict])}" for verdict in norms.Verdict]
    # For a terminal: the name says the county, the verdict the 建制镇; the missing data counted (csv,
    # xlsx, md and json name each item).
    keep = [0, 1, 4, 5, 6]
    narrow = [
        [row[i] for i in keep]
        + [
            ngettext("{n} item", "{n} items", len(r.missing_keys)).format(n=len(r.missing_keys))
            if r.missing_keys
            else ""
        ]
        for row, r in zip(rows, result.towns, strict=True)
    ]
    print_rows(
        fmt,
        output,
        "特色小镇清单审核",
        header,
        rows,
        lambda: norms.review_json(result),
        sheet="清单审核",
        summary=[counted, *norms.list_lines(result), *legend],
        terminal=([*(header[i] for i in keep), header[7]], narrow),
    )
