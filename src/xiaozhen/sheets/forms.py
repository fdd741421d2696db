"""The fill-in workbook the office sends to the prefectures and counties for the towns' standards data
(一), or the national norms' data: what its columns are and what the form was issued with, shared by
writing it (form_writer.py), reading it back (form_reader.py) and merging what it says with the
registry (form_merge.py). Nothing here reads or writes the registry.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from xiaozhen.errors import ItemsRefused
from xiaozhen.i18n import ngettext
from xiaozhen.model.fields import plain_number

FORM_SHEET = "填报表"
APPLICATIONS_SHEET = "申报表"
GUIDE_SHEET = "填表说明"
ISSUED_SHEET = "issued"  # very hidden: what the form was issued from
MARK = "xiaozhen form 1"  # the issued sheet's A1: a form of this layout
APPLICATIONS_MARK = "xiaozhen applications 1"  # the same, of an applications form
MARKS = (MARK, APPLICATIONS_MARK)
HEADER_ROW = 4  # title, 填报单位/填报人/填报日期, a blank row, then the header


@dataclass(frozen=True)
class Column:
    key: str  # a dotted registry key, an identity key (id, name, prefecture, county), conforms:PLAN, source
    header: str
    kind: str  # identity, text, amount, date, term, yesno, source
    width: int = 16
    spellings: tuple[str, ...] = ()  # other headers a returned form may have for it


IDENTITY = (
    Column("id", "编号", "identity", 5, ("id", "序号编号")),
    Column("name", "小镇名称", "identity", 18, ("名称", "小镇", "特色产业小镇名称", "town", "name")),
    Column("prefecture", "市(州)", "identity", 8, ("市州", "市", "所在市(州)")),
    Column("county", "县(市、区)", "identity", 9, ("县(市)", "县市", "县", "县(市区)")),
)


# The closed sets an applicant's listing is chosen from (terms.py), for the form's drop-downs.
def _terms() -> dict[str, list[str]]:
    from xiaozhen.model.terms import Category, Prefecture, TownType

    return {"prefecture": list(Prefecture), "category": list(Category), "town_type": list(TownType)}


LISTING_TERMS = _terms()

# An applicant's listing, as the applications form asks for it (二(一)): every cell is filled in.
APPLICANT = (
    Column("name", "小镇名称", "listing", 18, ("名称", "申报小镇名称", "小镇", "town", "name")),
    Column("prefecture", "市(州)", "listing", 8, ("市州", "市", "所在市(州)")),
    Column("county", "县(市、区)", "listing", 9, ("县(市)", "县市", "县", "县(市区)")),
    Column("category", "申报类别", "listing", 8, ("类别", "创建类别", "申报类型")),
    Column("town_type", "建制镇/非建制镇", "listing", 9, ("镇类型", "是否建制镇", "建制镇或非建制镇")),
)


# The investment (一(四)), which the 导则's share reads too.
INVESTMENT = (
    Column("investment.total", "总投资(亿元)", "amount", 9, ("总投资", "项目总投资", "计划总投资")),
    Column(
        "investment.leading_industry",
        "主导产业投资(亿元, 不含商品住宅和商业综合体)",
        "amount",
        11,
        ("主导产业投资", "主导产业投资额", "特色产业投资"),
    ),
)


def norms_columns() -> list[Column]:
    """The data the national norms judge (terms.CHECKS), a column each, headed as the documents word it:
    the town's class, each indicator, and the investment its leading-industry share is computed from."""
    from xiaozhen.model.fields import NORMS_NAMES
    from xiaozhen.model.terms import CHECKS, INDICATORS

    return [
        Column("industry_class", NORMS_NAMES["industry_class"], "text", 8, ("小镇类别(导则)", "产业类别")),
        *INVESTMENT,
        *(
            Column(
                f"indicators.{key}",
                NORMS_NAMES[f"indicators.{key}"],
                "flag" if CHECKS[key].kind == "flag" else "measure",
                9,
                (CHECKS[key].name,),
            )
            for key in INDICATORS
        ),
    ]


def columns(
    conforms_to: Sequence[str], *, applicants: bool = False, norms: bool | None = False
) -> list[Column]:
    """The form's columns for a registry whose plans must conform to `conforms_to`; an applications
    form's begin with the applicant's listing instead of a listed town's identity. A form of the national
    norms' data (`norms`) asks for that data instead of the notice's standards; `norms=None` is every
    column either form may hold, as a returned form is read."""
    data = [
        Column("leading_industry", "主导产业", "text", 12, ("主导产业名称",)),
        *INVESTMENT,
        Column("developer.name", "建设主体", "text", 14, ("建设主体名称", "投资主体", "开发主体")),
        Column("developer.ownership", "建设主体性质", "term", 10, ("投资主体性质", "企业性质", "主体性质")),
        Column("plan.title", "规划名称", "text", 14, ("规划", "创建规划")),
        Column("plan.approved", "规划批准日期", "date", 11, ("批准日期", "规划批复日期")),
        *(Column(f"conforms:{plan}", f"符合{plan}", "yesno", 6, (plan,)) for plan in conforms_to),
        Column("management", "管理机构", "text", 12, ("管理主体", "运营管理机构")),
    ]
    if norms is None:  # either form's columns, each once
        chosen = data + [c for c in norms_columns() if c not in INVESTMENT]
    else:
        chosen = norms_columns() if norms else data
    source = Column("source", "资料来源", "source", 14, ("数据来源", "来源", "资料出处"))
    return [*(APPLICANT if applicants else IDENTITY), *chosen, source]


# --- writing -------------------------------------------------------------------------------------


def issued_values(town: Mapping[str, Any], conforms_to: Sequence[str]) -> dict[str, Any]:
    """A town's values as a form shows them: one per column (None where empty), JSON-ready."""
    from xiaozhen.model.fields import field_value

    values: dict[str, Any] = {}
    for column in columns(conforms_to, norms=None):
        if column.kind in ("identity", "source"):
            continue
        if column.kind == "yesno":
            plan = column.key.removeprefix("conforms:")
            recorded = field_value(town, "plan.conforms_to")
            values[column.key] = None if not recorded else plan in recorded
        else:
            value = field_value(town, column.key)
            values[column.key] = _plain_json(value)
    return values


def _plain_json(value: Any) -> Any:
    if isinstance(value, Decimal):
        return plain_number(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


SEAL = "seal"


def seal_of(rows: Sequence[Sequence[Any]]) -> str:
    """The digest of the record's rows after its mark, each cell as text (a whole number as Excel and
    calamine may read it back, 7 or 7.0, written 7)."""
    import hashlib

    def text(value: Any) -> str:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return "" if value is None else str(value)

    lines = ["\t".join(text(v) for v in row[:3]) for row in rows if any(v not in (None, "") for v in row)]
    return "sha256:" + hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


@dataclass
class FormProblem:
    where: str  # file, sheet and cell (or row)
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class FormsRefused(ItemsRefused):
    """Returned forms have cells that cannot be recorded; none is."""

    def __init__(self, problems: list[FormProblem]) -> None:
        super().__init__(
            ngettext(
                "{n} problem in the returned forms; nothing was written",
                "{n} problems in the returned forms; nothing was written",
                len(problems),
            ).format(n=f"{len(problems):,}"),
            problems,
        )


def is_share(column: Column) -> bool:
    from xiaozhen.model.terms import CHECKS

    return CHECKS[column.key.removeprefix("indicators.")].kind == "share"
