"""Recording a town's standards data (`set`, a returned form): values as people type them, parsed and
checked, each group (the investment, the developer, the plan) kept whole, with where the values come from."""

from __future__ import annotations

from datetime import date
from typing import Any

from xiaozhen.actions.lifecycle import (
    Change,
    DataSource,
    Outcome,
    Unchanged,
    entry,
    plain,
    require,
    shown_value,
    written,
)
from xiaozhen.errors import BadValue, HalfFilled, did_you_mean, some
from xiaozhen.i18n import _
from xiaozhen.model.fields import label, plain_number
from xiaozhen.model.schema import TermsStandard, Town
from xiaozhen.model.terms import (
    CHECKS,
    DATE_FORMS,
    SETTABLE,
    Event,
    Ownership,
    Status,
    parse_amount,
    parse_date,
    parse_measure,
    parse_term,
    parse_yes_no,
)


def parse_setting(text: str) -> tuple[str, Any]:
    """KEY=VALUE from the command line, the value typed for its key; `null` clears a value."""
    from xiaozhen.model.fields import field_key

    key, sep, raw = text.partition("=")
    key, raw = field_key(key), raw.strip()
    if not sep or key not in SETTABLE:
        raise BadValue(
            _("'{text}' is not KEY=VALUE{did_you_mean} (KEY one of: {some})").format(
                text=text, did_you_mean=did_you_mean(key, SETTABLE), some=some(SETTABLE)
            )
        )
    if raw in ("null", "~", ""):
        return key, None
    if key.startswith("investment."):  # 30, 30亿元, 3000万元: in 亿元, as a form takes them
        try:
            number = parse_amount(raw)
        except ValueError as wrong:
            raise BadValue(_("{key}: {refusal}").format(key=key, refusal=wrong)) from None
        return key, plain_number(number)
    if key.startswith("indicators."):  # 3, 3平方公里, 30%, 是 — each in its check's unit
        check = CHECKS[key.removeprefix("indicators.")]
        try:
            if check.kind == "flag":
                return key, parse_yes_no(raw)
            number = parse_measure(raw, check.unit, share=check.kind == "share", whole=check.unit == "人")
        except ValueError as wrong:
            raise BadValue(_("{key}: {refusal}").format(key=key, refusal=wrong)) from None
        return key, plain_number(number)
    if key == "plan.approved":
        try:
            return key, parse_date(raw)
        except ValueError:
            raise BadValue(
                _("{key}: '{raw}' is not a date ({forms})").format(key=key, raw=raw, forms=_(DATE_FORMS))
            ) from None
    plain(key, raw)
    if key == "plan.conforms_to":
        return key, [p.strip() for p in raw.replace("，", ",").replace("、", ",").split(",") if p.strip()]
    if key == "developer.ownership":
        # An English alias names a type of 一(三); any other word is kept as written and judged by the
        # registry's own standards.developer_ownership when the edit is validated.
        try:
            return key, parse_term(Ownership, raw).value
        except BadValue:
            return key, raw
    return key, raw


def record(
    town: Town,
    when: date,
    settings: list[tuple[str, Any]],
    source: DataSource | None = None,
    ownership: TermsStandard | None = None,
) -> Outcome:
    """Record standards data (`set`); each key changed is named in the history. With `ownership` (the
    registry's standards.developer_ownership), a type that is a near miss of one it names (民营企 for
    民营企业) is refused as a typo; any other type (政府机关) is recorded as given, a finding of 一(三)."""
    if town.status == Status.EXITED:
        require(town, "set")
    given = dict(settings)
    kind = given.get("developer.ownership")
    if (
        ownership is not None
        and kind is not None
        and kind not in ownership.value
        and did_you_mean(kind, ownership.value)
    ):
        raise BadValue(
            _(
                "developer.ownership: '{kind}' is not an enterprise type of {clause}{did_you_mean} (use "
                "one of: {some})"
            ).format(
                kind=kind,
                clause=ownership.clause,
                did_you_mean=did_you_mean(kind, ownership.value),
                some=some(ownership.value),
            )
        )
    current = town.model_dump(mode="python", by_alias=True)
    whole_groups(current, given)
    before: dict[str, Any] = {}
    changed: dict[str, Any] = {}
    for key, value in settings:
        old: Any = current
        for part in key.split("."):
            old = old.get(part) if isinstance(old, dict) else None
        old = written(old)
        if old != value:
            before[key], changed[key] = old, value
    if not changed:
        return Unchanged(
            town.id, _("{id} {name}: already recorded as given").format(id=town.id, name=town.name)
        )
    shown = "; ".join(
        f"{label(k)}={shown_value(v)}" for k, v in changed.items()
    )  # 总投资(亿元)=30 in Chinese
    # Each key's value before and after, so the history can be replayed and rewound (`--as-of`).
    return Change(
        town.id,
        f"{town.id} {town.name}: {shown}",
        values=_cleared_groups(current, changed),
        history=(entry(when, Event.UPDATED, from_=before, to=changed, source=source),),
    )


def _cleared_groups(current: dict[str, Any], changed: dict[str, Any]) -> dict[str, Any]:
    """The values to set, with a group every key of which is now empty set to null as a whole (the
    registry writes `investment: null`, not a mapping of nulls); the history keeps each key."""
    values = dict(changed)
    for group in ("investment", "developer", "plan", "indicators"):
        after = _group_after(current, changed, group)
        if after is not None and all(v in (None, []) for v in after.values()):
            for key in [k for k in changed if k.startswith(group + ".")]:
                del values[key]
            values[group] = None
    return values


def _group_after(current: dict[str, Any], given: dict[str, Any], group: str) -> dict[str, Any] | None:
    """The keys of `group` (investment, developer, plan) once `given` is set; None if it sets none."""
    parts = {k.split(".", 1)[1]: v for k, v in given.items() if k.startswith(group + ".")}
    return {**(current.get(group) or {}), **parts} if parts else None


# The keys that only go together: an amount without the other has no share, a type without a name names
# no developer. Each with what a person types to give both.
_TOGETHER = {
    "investment": (("total", "leading_industry"), "investment.total=30 investment.leading_industry=21.5"),
    "developer": (("name",), "developer.name=某某集团有限公司 developer.ownership=国有企业"),
}


def whole_groups(current: dict[str, Any], given: dict[str, Any]) -> None:
    """BadValue when the settings would leave a group half filled, naming the missing key."""
    for group, (required, example) in _TOGETHER.items():
        after = _group_after(current, given, group)
        if after is None or all(v is None for v in after.values()):
            continue  # not set, or cleared: the group is null
        missing = [f"{group}.{part}" for part in required if after.get(part) is None]
        if missing:
            raise HalfFilled(
                _("{value} is not recorded, and {group} needs it: give both, e.g. {example}").format(
                    value=missing[0], group=group, example=example
                ),
                missing[0],
            )
