"""Time: what changed between two versions of the registry, or within its history between two dates."""

from datetime import date
from typing import Annotated

import typer

from xiaozhen.cli.base import command, note, out, records, source, stdout_console
from xiaozhen.cli.options import Format, argument, formats, parse_day
from xiaozhen.errors import BadValue, ExitCode
from xiaozhen.i18n import _, ngettext


@command("diff")
def diff(
    ctx: typer.Context,
    old: Annotated[
        str | None,
        typer.Argument(
            metavar=_("OLD"),
            **argument(),
            help=_(
                "A registry file, or a git revision of the registry file (HEAD~1, main, a tag, REV:path). "
                "Default: HEAD."
            ),
            show_default=False,
        ),
    ] = None,
    new: Annotated[
        str | None,
        typer.Argument(
            metavar=_("NEW"),
            **argument(),
            help=_("A file or a revision, as OLD. Default: the working file."),
            show_default=False,
        ),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--from",
            metavar=_("DATE"),
            help=_(
                "Instead of two versions: the changes in the registry's own history after the end of this "
                "day (default: the first notice's date)."
            ),
        ),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option("--to", metavar=_("DATE"), help=_("…up to the end of this day (default today).")),
    ] = None,
    fmt: Annotated[
        Format,
        typer.Option(
            "--format",
            "-f",
            help=_("table for people, json for scripts, md for a pull request."),
            **formats(Format.table, Format.json, Format.md),
        ),
    ] = Format.table,
    exit_code: Annotated[
        bool, typer.Option("--exit-code", help=_("Exit 1 when there are changes, as `git diff --exit-code`."))
    ] = False,
) -> None:
    """What changed, town by town, in the notice's terms: added, advanced, assessed, exited, designated,
    standards data; a town removed or its listing rewritten is flagged for review.

    Example: xiaozhen diff HEAD~1
    """
    from xiaozhen.actions import changes
    from xiaozhen.reports import render, terminal
    from xiaozhen.store.registry import records_from_bytes
    from xiaozhen.store.revisions import read_version

    working = source(ctx).path
    if since is not None or until is not None:
        if old is not None or new is not None:
            raise BadValue(_("give either OLD and NEW, or --from and --to, not both"))
        registry = records(ctx)
        first = date.fromisoformat(str(registry["registry"]["issued"]))
        start = parse_day("--from", since) if since else first
        end = parse_day("--to", until) if until else date.today()
        if start > end:
            raise BadValue(_("--from {start} is after --to {end}").format(start=start, end=end))
        from xiaozhen.model.history import registry_as_of

        today = date.today()
        before, after = registry_as_of(registry, start, today), registry_as_of(registry, end, today)
        as_of = _("{file} as of {day}")
        old_label, new_label = as_of.format(file=working, day=start), as_of.format(file=working, day=end)
    else:
        versions = [read_version(old or "HEAD", working), read_version(new, working)]
        before, after = (records_from_bytes(v.raw, v.label) for v in versions)
        old_label, new_label = versions[0].label, versions[1].label
    found = changes.compare(before, after)
    if fmt is Format.json:
        out(render.to_json(changes.as_dict(found, old_label, new_label)))
    elif fmt is Format.md:
        out(render.changes_markdown(found, old_label, new_label))
    else:
        terminal.changes_table(stdout_console(), found, old_label, new_label)
    if exit_code and found:
        note(ngettext("{n} change", "{n} changes", len(found)).format(n=len(found)))
        raise typer.Exit(code=ExitCode.INVALID)
