"""What a person reads in a terminal: rich tables and panels of towns, tallies, standards, rulebooks and
changes, each cell plain text (no markup from data). The other formats are in `render`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

from xiaozhen.i18n import N_, _, ngettext
from xiaozhen.limits import printable
from xiaozhen.model.fields import NORMS_NAMES, field_value, label, norms_value
from xiaozhen.reports.render import (
    ASSESSMENT_COLUMNS,
    COLUMNS,
    TABLE_COLUMNS,
    TABLE_HEADERS,
    assessment_rows,
    by_kind,
    cell,
    flat,
    heading,
)
from xiaozhen.sheets.xlsx import display_width

if TYPE_CHECKING:
    from rich.console import Console

    from xiaozhen.actions.query import Tally


def rows_table(console: Console, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Any rows as a terminal table, each cell plain text (no markup from data)."""
    from rich.table import Table

    table = Table(header_style="bold", show_lines=True)
    for name in header:
        table.add_column(name, overflow="fold")
    for row in rows:
        table.add_row(*(_text(v) for v in row))
    console.print(table)


def _text(value: Any) -> Any:
    from rich.text import Text

    # Text, not a str: a name containing [brackets] is data, never rich markup.
    return Text(printable("" if value is None else str(cell(value)), lines=True))


# On a narrow terminal the towns table drops columns, in this order, rather than break a name or a term
# across lines: the county first (the name begins with it), then the town type, the prefecture, the
# status and the stage. The id and the name always stay.
DROP_ORDER = ("county", "town_type", "prefecture", "status", "category")


def towns_table(console: Console, towns: Sequence[Any], title: str | None = None) -> None:
    """The towns as a table that keeps every name and every closed term whole: on a narrow terminal
    whole columns go (DROP_ORDER); only on one too narrow for the id and the name does the name fold."""
    from rich.table import Table

    def widest(key: str) -> int:
        values = [_(TABLE_HEADERS[key]), *(str(cell(t[key]) or "") for t in towns)]
        return max(display_width(printable(v)) for v in values)

    widths = {key: widest(key) for key in TABLE_COLUMNS}
    keys = list(TABLE_COLUMNS)

    def fits() -> bool:
        # each column has one space of padding either side and a border on its left; one more at the end
        return sum(widths[k] for k in keys) + 3 * len(keys) + 1 <= console.width

    for optional in DROP_ORDER:
        if fits():
            break
        keys.remove(optional)
    table = Table(title=title, header_style="bold")
    for key in keys:
        justify: Literal["left", "right"] = "right" if key == "id" else "left"
        if key == "name" and not fits():
            table.add_column(_(TABLE_HEADERS[key]), overflow="fold", justify=justify)
        else:
            table.add_column(_(TABLE_HEADERS[key]), no_wrap=True, min_width=widths[key], justify=justify)
    for town in towns:
        table.add_row(*(_text(town[key]) for key in keys))
    console.print(table)


def town_panel(console: Console, town: Any, findings: Sequence[Any] = ()) -> None:
    """A town whole, and below its facts what falls short of a creation standard (its findings)."""
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table

    from xiaozhen.model.history import provenance

    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold")
    facts.add_column()
    facts.add_column(style="dim")  # where a standards value comes from
    values = flat(town)
    sources = provenance(town)
    for key, zh in COLUMNS:
        if key != "name":
            shown = values[key] if values[key] is not None else "—"
            origin = sources.get(key) if values[key] is not None else None
            facts.add_row(_("{name} {key}").format(name=zh, key=key), _text(shown), _text(origin or ""))
    conformity = (town["plan"] or {}).get("conforms_to") or []
    if conformity:
        origin = sources.get("plan.conforms_to")
        facts.add_row(
            _("{name} {key}").format(name="规划符合", key="plan.conforms_to"),
            _text("、".join(conformity)),
            _text(origin or ""),
        )
    # The national norms' data, where any is recorded: its rows would be dashes on most towns.
    for key, zh in NORMS_NAMES.items():
        value = field_value(town, key)
        if value is not None:
            shown = ("是" if value else "否") if isinstance(value, bool) else norms_value(key, value)
            facts.add_row(
                _("{name} {key}").format(name=zh, key=key), _text(shown), _text(sources.get(key) or "")
            )
    parts: list[Any] = [facts]
    if findings:
        table = Table(title=_("核查发现 findings"), title_justify="left", header_style="bold")
        table.add_column(_("code"), no_wrap=True)
        table.add_column(_("finding"), overflow="fold")
        for finding in findings:
            table.add_row(finding.code, _text(finding.message))
        parts.append(table)
    if town["assessments"]:
        table = Table(title=_("评估 assessments"), title_justify="left", header_style="bold")
        for _key, zh in ASSESSMENT_COLUMNS[2:]:
            table.add_column(zh)
        for row in assessment_rows([town]):
            table.add_row(*(_text(v) for v in row[2:]))
        parts.append(table)
    if town["history"]:
        table = Table(title=_("历史 history"), title_justify="left", header_style="bold")
        names = ["date", "event", "from", "to", "note"]
        names += [k for k in ("source", "filled_by") if any(e.get(k) for e in town["history"])]
        for name in names:
            table.add_column(_(name), no_wrap=name in ("date", "event"), overflow="fold")
        for entry in town["history"]:
            cells = [_entry_cell(entry.get(key)) for key in names]
            cells[1] = _(cells[1]) if cells[1] else cells[1]  # the event, in words
            table.add_row(*(_text(c) for c in cells))
        parts.append(table)
    console.print(
        Panel(Group(*parts), title=_text(f"{town['id']} {town['name']}"), title_align="left", expand=False)
    )


def standards_table(console: Console, standards: Sequence[dict[str, Any]]) -> None:
    """One row a standard: its clause, its key with what it means below, and its value. Clauses and keys
    stay whole at any width; meanings and values wrap."""
    from rich.table import Table
    from rich.text import Text

    widest = max((len(s["key"]) for s in standards), default=8)
    table = Table(header_style="bold", show_lines=True)
    table.add_column("条款", no_wrap=True)
    table.add_column(_("standard"), min_width=widest)
    table.add_column(_("value"), no_wrap=True)
    for standard in standards:
        value = standard["value"]
        shown = "\n".join(value) if isinstance(value, list) else str(value)  # one term a line, whole
        described = Text(printable(standard["key"]), style="bold", overflow="fold")
        described.append("\n" + printable(_(standard["meaning"])))
        table.add_row(_text(standard["clause"]), described, _text(shown))
    console.print(table)


def rulebooks_tables(console: Console, documents: Sequence[dict[str, Any]]) -> None:
    """The notice's standards, then each later document's rules: a heading a document (its number, the
    day it is in force, its note), then one row a rule: clause, what it checks, strength, bound."""
    from rich.table import Table
    from rich.text import Text

    for index, document in enumerate(documents):
        heading = Text(printable(document["document"]), style="bold")
        heading.append(
            "  "
            + _("in force from {day}").format(day=document["in_force"])
            + "  "
            + printable(document["title"] or "")
        )
        if document.get("note"):
            heading.append("\n" + printable(document["note"]))
        if index:
            console.print()
        console.print(heading)
        if "standards" in document:
            standards_table(console, document["standards"])
            continue
        table = Table(header_style="bold", show_lines=True)
        table.add_column("条款")
        table.add_column(_("rule"))
        table.add_column(_("strength"), no_wrap=True)
        table.add_column(_("bound"), no_wrap=True)
        for rule in document["rules"]:
            described = Text(printable(rule["check"]), style="bold", overflow="fold")
            for line in (rule.get("name"), rule.get("text"), rule.get("scope"), rule.get("note")):
                if line:
                    described.append("\n" + printable(line))
            clause = Text(printable(rule["clause"]), overflow="fold")
            table.add_row(clause, described, _text(rule.get("strength") or "约束"), _text(rule["bound"]))
        console.print(table)


def _entry_cell(value: Any) -> Any:
    """A history entry's value for a table cell: an `updated` entry's fields one a line, `field=value`,
    each field in the reader's words."""
    if isinstance(value, dict):
        return "\n".join(f"{label(key)}={_('null') if v is None else cell(v)}" for key, v in value.items())
    return value


# The words a terminal table shows for what the data names with keys: the history's columns and events
# (the fields are fields.LABELS; the keys and values stay as the file has them; these are for reading).
SAID = (
    *(N_("date"), N_("event"), N_("from"), N_("to"), N_("note"), N_("source"), N_("filled_by")),
    *(N_("added"), N_("advanced"), N_("assessed"), N_("exited"), N_("designated"), N_("updated")),
    N_("corrected"),
)


TOTAL_SAID = N_("合计 total")


def tally_table(console: Console, result: Tally, *, chart: bool = False) -> None:
    """Counts with shares (and bars that fit the terminal), or a cross-table. A cross-table too wide for
    the terminal is shown transposed, and if that is too wide too, as one row a pair of values: labels
    stay whole."""
    from rich.table import Table

    table = Table(header_style="bold", show_footer=True)
    total, by = _(TOTAL_SAID), [_(b) for b in result.by]
    if len(result.by) == 1:
        label_width = max(display_width(v) for v in [by[0], total, *result.rows])
        table.add_column(by[0], footer=total, no_wrap=True)
        table.add_column(_("count"), justify="right", footer=str(result.total))
        table.add_column(_("share"), justify="right", footer="100%" if result.total else "")
        # label, count (5) and share (6) columns with their borders and padding; the bars get the rest
        room = min(30, console.width - (label_width + 5 + 6 + 3 * 4 + 1))
        bars = chart and room >= 5
        if bars:
            table.add_column("", footer="", no_wrap=True)
        widest = max((result.cell(r) for r in result.rows), default=0)
        for row in result.rows:
            count = result.cell(row)
            share = f"{count / result.total:.1%}" if result.total else ""
            cells = [_text(row), str(count), share]
            if bars:
                cells.append("█" * round(room * count / widest) if widest else "")
            table.add_row(*cells)
        console.print(table)
        return
    for layout in (result, result.transposed()):
        if _cross_width(layout) <= console.width:
            _cross_table(console, layout)
            return
    _pairs_table(console, result)


def _cross_width(result: Tally) -> int:
    """The width a cross-table needs with every label whole (the corner heading may take two lines)."""
    total, by = _(TOTAL_SAID), [_(b) for b in result.by]
    first = max(display_width(v) for v in [total, *result.rows, f"{by[0]} \\", by[1]])
    columns = [max(display_width(c), len(str(result.total))) for c in result.columns]
    return first + sum(columns) + display_width(total) + 3 * (len(columns) + 2) + 1


def _cross_table(console: Console, result: Tally) -> None:
    from rich.table import Table

    total, by = _(TOTAL_SAID), [_(b) for b in result.by]
    first = max(display_width(v) for v in [total, *result.rows, f"{by[0]} \\", by[1]])
    table = Table(header_style="bold", show_footer=True)
    table.add_column(f"{by[0]} \\ {by[1]}", footer=total, min_width=first)
    for column in result.columns:
        table.add_column(
            _text(column), justify="right", footer=str(result.column_total(column)), no_wrap=True
        )
    table.add_column(total, justify="right", footer=str(result.total), no_wrap=True)
    for row in result.rows:
        table.add_row(
            _text(row), *(str(result.cell(row, c)) for c in result.columns), str(result.row_total(row))
        )
    console.print(table)


def _pairs_table(console: Console, result: Tally) -> None:
    """A cross-table as one row a pair of values, for a terminal too narrow for either layout."""
    from rich.table import Table

    table = Table(header_style="bold", show_footer=True)
    table.add_column(_(result.by[0]), footer=_(TOTAL_SAID), no_wrap=True)
    table.add_column(_(result.by[1]), no_wrap=True)
    table.add_column(_("count"), justify="right", footer=str(result.total), no_wrap=True)
    for row in result.rows:
        for column in result.columns:
            table.add_row(_text(row), _text(column), str(result.cell(row, column)))
    console.print(table)


def changes_table(console: Console, changes: Sequence[Any], old: str, new: str) -> None:
    """The changes grouped by kind, a table each, with Chinese headings; a line when there are none."""
    from rich.table import Table

    from xiaozhen.actions.changes import describe

    if not changes:
        console.print(_text(_("{old} → {new}: no changes").format(old=old, new=new)))
        return
    counted_ = ngettext("{n} change", "{n} changes", len(changes)).format(n=len(changes))
    console.print(_text(f"{old} → {new}: {counted_}"))
    for kind, group in by_kind(changes):
        console.print(_text(heading(kind, len(group))), style="bold")
        table = Table(header_style="bold")
        towns = any(c.town is not None for c in group)
        if towns:
            table.add_column("ID", justify="right", no_wrap=True)
            table.add_column(_("名称 name"), no_wrap=True)
        table.add_column(_("变化 change"))
        for change in group:
            flag = "⚠ " if change.review else ""
            cells = [str(change.town), change.name] if towns else []
            table.add_row(*(_text(c) for c in cells), _text(flag + describe(change)))
        console.print(table)
