"""The yearly update: each edit parses its arguments, hands the library a change, prints the outcome."""

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from xiaozhen.cli.base import command, note, run_edit
from xiaozhen.cli.options import (
    ByOpt,
    DateOpt,
    DryRunOpt,
    SourceOpt,
    TownArg,
    TownsArg,
    argument,
    day_of,
    score_of,
    whole,
    year_of,
)
from xiaozhen.errors import BadValue
from xiaozhen.i18n import N_, _
from xiaozhen.model.fields import chinese_name
from xiaozhen.model.terms import SETTABLE, Category, Prefecture, Result, TownType, parse_term


def _each(names: list[str], step: Callable[[Any, Any], Any]) -> Callable[[Any], None]:
    from xiaozhen.actions.lifecycle import each  # imported by the command that runs: `--help` needs none

    return each(names, step)


# A correction's reason and the document that makes it: both kept on the history entry that corrects.
ReasonOpt = Annotated[
    str | None,
    typer.Option(
        "--reason", metavar=_("TEXT"), help=_("Why a recorded fact is corrected; kept in its history.")
    ),
]
DocumentOpt = Annotated[
    str | None,
    typer.Option(
        "--document",
        metavar=_("TEXT"),
        help=_("The document that corrects it (文号 or title); kept in its history."),
    ),
]


def _correction(reason: str | None, document: str | None) -> Any:
    """The correction the two options give, or None when neither is given."""
    from xiaozhen.actions import lifecycle

    if reason is None and document is None:
        return None
    return lifecycle.Correction(reason or "", document or "")


def _required_correction(reason: str | None, document: str | None) -> Any:
    """The correction a command cannot do without; refused, saying what is missing, when one is."""
    from xiaozhen.actions import lifecycle

    return lifecycle.Correction(reason or "", document or "")


@command("advance")
def advance(
    ctx: typer.Context,
    towns: TownsArg,
    to: Annotated[
        str | None,
        typer.Option(
            "--to",
            metavar=_("STAGE"),
            help=_("The stage expected after the move; a town already there is left as it is."),
        ),
    ] = None,
    undo: Annotated[
        bool,
        typer.Option(
            "--undo",
            help=_(
                "Correct a wrong move instead: back to the stage before it (with --reason and --document)."
            ),
        ),
    ] = False,
    reason: ReasonOpt = None,
    document: DocumentOpt = None,
    when: DateOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """Move towns one stage forward: 规划类 → 培育类 → 成长类 (only while 创建中).

    Example: xiaozhen advance 3 大荒地 --to 成长类
    """
    from xiaozhen.actions import corrections, lifecycle

    day, target = day_of(when), (parse_term(Category, to) if to else None)
    if undo:
        correction = _required_correction(reason, document)
        run_edit(
            ctx, _each(towns, lambda _doc, town: corrections.undo_advance(town, day, correction)), dry_run
        )
        return
    run_edit(ctx, _each(towns, lambda _doc, town: lifecycle.advance(town, day, target)), dry_run)


@command("assess")
def assess(
    ctx: typer.Context,
    towns: TownsArg,
    year: Annotated[int, typer.Option("--year", help=_("The year assessed (2020 or 2020年)."), **year_of())],
    result: Annotated[
        str,
        typer.Option(
            "--result", metavar=_("RESULT"), help=_("达标/不达标 (pass/fail). 不达标 exits the town.")
        ),
    ],
    score: Annotated[Any, typer.Option("--score", help=_("0–100 (88 or 88分)."), **score_of())] = None,
    assessor: Annotated[
        str | None, typer.Option("--assessor", metavar=_("TEXT"), help=_("The third-party assessor."))
    ] = None,
    note: Annotated[
        str | None, typer.Option("--note", metavar=_("TEXT"), help=_("A note kept with the result."))
    ] = None,
    replace: Annotated[
        bool,
        typer.Option(
            "--replace",
            help=_(
                "Correct a different result or score already recorded for the year (with --reason and "
                "--document; a 不达标 corrected to 达标 returns an exited town to 创建中)."
            ),
        ),
    ] = False,
    reason: ReasonOpt = None,
    document: DocumentOpt = None,
    when: DateOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """Record one yearly assessment result; the same result again changes nothing.

    Example: xiaozhen assess 大荒地 --year 2025 --result 达标 --score 86 --assessor 某评估机构
    """

    from xiaozhen.actions import lifecycle

    day, outcome = day_of(when), parse_term(Result, result)
    correction = _correction(reason, document)
    points = score  # a Decimal, as typed
    run_edit(
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
                correction=correction,
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
            metavar=_("FILE"),
            **argument(N_("PATH"), Path),
            help=_(
                "CSV (UTF-8 or GB18030) or XLSX with columns town, year, result[, score, assessor, note], "
                "in English or Chinese (小镇名称, 年度, 评估结果, 得分, 评估机构, 备注); title rows above "
                "the header are passed over."
            ),
            show_default=False,
        ),
    ],
    sheet: Annotated[
        str | None,
        typer.Option(
            "--sheet",
            metavar=_("SHEET"),
            help=_("The sheet of a workbook (default: one named like 评估结果, else the first)."),
        ),
    ] = None,
    replace: Annotated[
        bool, typer.Option("--replace", help=_("Replace different results already recorded."))
    ] = False,
    year: Annotated[
        int | None,
        typer.Option(
            "--year",
            help=_("The year assessed, where the file has no year column and its title does not say."),
            **year_of(),
        ),
    ] = None,
    when: DateOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """Record an assessor's results from a CSV or XLSX file: all rows or none.

    Example: xiaozhen assess-import results-2025.xlsx
    """
    from xiaozhen.errors import some
    from xiaozhen.sheets.imports import parse_rows, read_table
    from xiaozhen.sheets.record import ImportSummary, record_rows

    day = day_of(when)
    rows, problems, ignored = parse_rows(file, read_table(file, sheet), year)
    if ignored:
        note(_("{file}: columns not read: {columns}").format(file=file, columns=some(ignored, "; ")))
    summary = ImportSummary(file, len(rows))
    # Rows that could not be read are reported with those that cannot be recorded, by record_rows.
    run_edit(
        ctx, lambda document: record_rows(document, rows, problems, day, summary, replace=replace), dry_run
    )
    note(str(summary))


@command("designate")
def designate(ctx: typer.Context, towns: TownsArg, when: DateOpt = None, dry_run: DryRunOpt = False) -> None:
    """Designate towns 省级特色产业小镇 (已认定): latest assessment 达标, from the designation year on.

    Example: xiaozhen designate 大荒地
    """
    from xiaozhen.actions import lifecycle

    day = day_of(when)
    run_edit(ctx, _each(towns, lambda doc, town: lifecycle.designate(town, doc.registry, day)), dry_run)


@command("withdraw")
def withdraw(
    ctx: typer.Context,
    towns: TownsArg,
    reason: Annotated[
        str, typer.Option("--reason", metavar=_("TEXT"), help=_("Why the town exits; kept in its history."))
    ],
    when: DateOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """Exit towns from creation (已退出), with the reason in their history.

    Example: xiaozhen withdraw 19 --reason "申请退出"
    """
    from xiaozhen.actions import lifecycle

    day = day_of(when)
    run_edit(ctx, _each(towns, lambda _doc, town: lifecycle.withdraw(town, day, reason)), dry_run)


@command("reinstate")
def reinstate(
    ctx: typer.Context,
    towns: TownsArg,
    reason: ReasonOpt = None,
    document: DocumentOpt = None,
    when: DateOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """Correct a wrong exit or designation: the town returns to 创建中 at its stage, with the reason and
    the correcting document in its history, which keeps the entry it corrects. An exit for a 不达标 year
    is corrected with that result: assess --replace.

    Example: xiaozhen reinstate 19 --reason "误登记为退出" --document "吉城镇办〔2021〕3号"
    """
    from xiaozhen.actions import corrections

    day = day_of(when)
    correction = _required_correction(reason, document)
    run_edit(ctx, _each(towns, lambda _doc, town: corrections.reinstate(town, day, correction)), dry_run)


@command("rename")
def rename(
    ctx: typer.Context,
    town: TownArg,
    name: Annotated[str, typer.Option("--name", metavar=_("TEXT"), help=_("The town's new name."))],
    reason: ReasonOpt = None,
    document: DocumentOpt = None,
    when: DateOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """Rename a town by the office's document, as the list review may decide (国办发〔2020〕33号 (十):
    更名); its history keeps the old name, the reason and the document.

    Example: xiaozhen rename 55 --name 大岭汽车物流产业园 --reason "清单审核更名" --document "某文号"
    """
    from xiaozhen.actions import corrections

    day = day_of(when)
    correction = _required_correction(reason, document)
    run_edit(
        ctx, _each([town], lambda _doc, found: corrections.rename(found, day, name, correction)), dry_run
    )


@command("clear")
def clear(
    ctx: typer.Context,
    towns: TownsArg,
    reason: ReasonOpt = None,
    document: DocumentOpt = None,
    when: DateOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """Clear towns from the list by the office's document, as the list review may decide (国办发〔2020〕33号
    (十): 清理): each leaves (已退出) by a `cleared` entry, apart from an exit for a 不达标 year or a
    withdrawal; reinstate corrects a clearing made by mistake.

    Example: xiaozhen clear 7 --reason "清单审核：建制镇" --document "某文号"
    """
    from xiaozhen.actions import corrections

    day = day_of(when)
    correction = _required_correction(reason, document)
    run_edit(ctx, _each(towns, lambda _doc, town: corrections.clear(town, day, correction)), dry_run)


@command("add")
def add(
    ctx: typer.Context,
    name: Annotated[
        str, typer.Option("--name", metavar=_("TEXT"), help=_("The name exactly as the notice lists it."))
    ],
    prefecture: Annotated[
        str,
        typer.Option(
            "--prefecture", "-p", metavar=_("PREFECTURE"), help=_("The heading it is listed under.")
        ),
    ],
    category: Annotated[
        str, typer.Option("--category", "-c", metavar=_("CATEGORY"), help=_("The stage it is listed under."))
    ],
    town_type: Annotated[
        str, typer.Option("--town-type", "-t", metavar=_("TYPE"), help=_("建制镇/非建制镇."))
    ],
    batch: Annotated[int, typer.Option("--batch", "-b", help=_("Its batch: 2 or later."), **whole())],
    county: Annotated[
        str | None,
        typer.Option("--county", metavar=_("COUNTY"), help=_("The county-level unit its name begins with.")),
    ] = None,
    when: DateOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """Add a town of a later batch, with the next id; adding the same town again changes nothing.

    Example: xiaozhen add --name 某县某某小镇 -p 长春 -c 规划类 -t 建制镇 --batch 2
    """
    from xiaozhen.actions import new_towns

    day = day_of(when)
    new = new_towns.NewTown(
        name.strip(),
        parse_term(Prefecture, prefecture),
        parse_term(Category, category),
        parse_term(TownType, town_type),
        batch,
        county,
    )

    def change(document: Any) -> None:
        node, outcome = new_towns.add(document.registry, day, new)
        if node is not None:
            document.append_town(node)
        document.messages.append(outcome.message)

    run_edit(ctx, change, dry_run)


@command("set")
def set_values(
    ctx: typer.Context,
    town: TownArg,
    settings: Annotated[
        list[str],
        typer.Argument(
            metavar=_("KEY=VALUE"),
            **argument(),
            help=_("KEY one of {keys}, by key or Chinese name; VALUE `null` clears it.").format(
                keys=", ".join(f"{key} ({chinese_name(key)})" for key in SETTABLE)
            ),
            show_default=False,
        ),
    ],
    source: SourceOpt = None,
    by: ByOpt = None,
    when: DateOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """Record a town's standards data (亿元 for investment), with where it comes from.

    Example: xiaozhen set 大荒地 leading_industry=稻米 investment.total=12 investment.leading_industry=8
    --source "2019年创建方案"
    """
    from xiaozhen.actions import lifecycle, recording

    day = day_of(when)
    parsed = [recording.parse_setting(s) for s in settings]
    if by is not None and source is None:
        raise BadValue(_("--by names who filled in the values of a --source; give the --source too"))
    origin = None if source is None else lifecycle.DataSource(source, by)

    def step(document: Any, subject: Any) -> Any:
        ownership = document.registry.standards.developer_ownership
        return recording.record(subject, day, parsed, origin, ownership)

    run_edit(ctx, _each([town], step), dry_run)
