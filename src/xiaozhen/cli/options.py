"""The options and arguments commands share, and the parsers of values as people type them: whole
numbers in full-width digits, years as 2020年度, dates as 2021/1/5, terms by their other names, formats,
fields by their Chinese names. Each is declared once here and used by every command that takes it.

(No `from __future__ import annotations` in the CLI: typer would evaluate each string annotation at each
start; see cli/__init__.py.)
"""

from collections.abc import Callable, Sequence
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from xiaozhen.errors import BadValue, did_you_mean, some
from xiaozhen.i18n import N_, _
from xiaozhen.model.terms import Category, Prefecture, Status, TownType, parse_term

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
