"""What input may hold (limits.py): text a person reads, numbers of a sane size; each refusal located
by `validate` and named by the edit that would have written it."""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

import pytest

from conftest import Run, edit_text, line_of
from xiaozhen.limits import line_refusal, printable, prose_refusal


def test_every_control_and_format_character_is_refused_in_a_line() -> None:
    # The classes in limits.py are written out (compiled at import, not computed from unicodedata):
    # this is what keeps them complete for the Python that runs them.
    refused = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) in ("Cc", "Cf")]
    assert [c for c in refused if line_refusal(f"a{c}b") is None] == []
    assert [c for c in refused if c != "\n" and prose_refusal(f"a{c}b") is None] == []
    assert prose_refusal("两行\n说明") is None and line_refusal("长春市 红旗·绿色（智能）小镇 100%") is None
    # and what shows nothing outside Cf: a joiner, variation selectors, fillers, a blank Braille cell
    invisible = ["\u034f", "\ufe0f", "\u3164", "\u2800", "\U000e0100", "\u115f", "\uffa0", "\u180b"]
    assert [c for c in invisible if line_refusal(f"a{c}b") is None or prose_refusal(f"a{c}b") is None] == []


def test_printable_leaves_nothing_a_terminal_or_a_log_acts_on() -> None:
    assert (
        printable("名\r\n::error ::x\x1b]52;c;eA==\x07\u202e")
        == "名  ::error ::x\ufffd]52;c;eA==\ufffd\ufffd"
    )
    assert printable("一\n二\r三", lines=True) == "一\n二\ufffd三"


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ('"红旗\\n小镇"', "towns[0].name: holds a line break (U+000A) at character 3"),
        ('"红旗\\t小镇"', "towns[0].name: holds a control character (U+0009) at character 3"),
        ('"红\\u202e旗小镇"', "towns[0].name: holds an invisible format character (U+202E) at character 2"),
        ('"红\\u200b旗小镇"', "towns[0].name: holds an invisible format character (U+200B) at character 2"),
    ],
)
def test_validate_locates_a_name_that_is_not_plain_text(
    run: Run, registry: Path, written: str, message: str
) -> None:
    edit_text(registry, "name: 长春市红旗绿色智能小镇", f"name: {written}")
    result = run("validate", str(registry))
    assert result.exit_code == 1
    line = line_of(registry, "name: ")
    (problem,) = result.stdout.splitlines()
    assert problem.startswith(f"{registry}:{line}:5: schema: {message}")


def test_a_note_may_span_lines_but_holds_no_carriage_return(run: Run, registry: Path) -> None:
    result = run("withdraw", "2", "--reason", "两行\n说明", "--date", "2020-05-01", registry=registry)
    assert result.exit_code == 0, result.stderr
    assert run("validate", str(registry)).exit_code == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["set", "1", "developer.name=建设\n::error ::x"], "developer.name: holds a line break (U+000A)"),
        (["set", "1", "management=管委会\x1b[2J"], "management: holds a control character (U+001B)"),
        (["set", "1", "plan.conforms_to=乡村振兴\u202e规划"], "plan.conforms_to: holds an invisible"),
        (["withdraw", "2", "--reason", "退出\r=cmd|' /C calc'!A0"], "--reason: holds a line break (U+000D)"),
        (["assess", "13", "--year", "2020", "--result", "达标", "--note", "\x1b]0;x\x07"], "note: holds a"),
        (["assess", "13", "--year", "2020", "--result", "达标", "--assessor", "a\nb"], "assessor: holds a"),
        (
            ["add", "--name", "新\u200b小镇", "-p", "长春市", "-c", "规划类", "-t", "建制镇", "--batch", "2"],
            "--name: holds",
        ),
        (["set", "1", "investment.total=1e999999"], "investment.total: '1e999999' is not an amount (亿元)"),
        (
            ["set", "1", "investment.total=1" + "0" * 20],
            "investment.total: the number 1" + "0" * 20 + " is out of bounds",
        ),
        (["set", "1", f"investment.total={'9' * 40}"], "investment.total: the number has 40 characters"),
    ],
)
def test_an_edit_refuses_text_that_is_not_plain_and_names_the_field(
    run: Run, registry: Path, args: list[str], message: str
) -> None:
    before = registry.read_bytes()
    result = run(*args, registry=registry)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"xiaozhen: {message}")
    assert "\x1b" not in result.stderr and "\r" not in result.stderr
    assert registry.read_bytes() == before


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("1.0e+999999", "the number 1.0e+999999 is out of bounds"),
        ("9" * 5000, "the number has 5,000 characters"),
        ("0x" + "f" * 20, "the number 0xffffffffffffffffffff is out of bounds"),
        ("1.5e-99", "the number 1.5e-99 is out of bounds"),
    ],
)
def test_a_number_out_of_bounds_is_one_located_schema_problem_for_every_command(
    run: Run, registry: Path, written: str, message: str
) -> None:
    edit_text(registry, "investment: null", f"investment: {{total: {written}, leading_industry: 1}}")
    result = run("validate", str(registry))
    assert result.exit_code == 1
    line = line_of(registry, "investment: {total")
    (problem,) = result.stdout.splitlines()  # the number, not also the null it was not read as
    assert problem.startswith(f"{registry}:{line}:25: schema: towns[0].investment.total: {message}")
    for command in (["list"], ["show", "1"], ["export", "-f", "json"], ["set", "1", "management=管委会"]):
        assert run(*command, registry=registry).exit_code == 1, command


def test_one_refusal_per_value_inside_a_history_entry(run: Run, registry: Path) -> None:
    # `to` of an `updated` entry may be text, a number or a mapping: the bad value inside the mapping is
    # what is wrong, not also that the mapping is not a number.
    edit_text(
        registry,
        "history: []",
        'history: [{date: 2020-06-01, event: updated, from: {management: null}, to: {management: "a\\u202eb"}}]',
    )
    edit_text(registry, "management: null", 'management: "a\\u202eb"')
    result = run("validate", str(registry))
    problems = result.stdout.splitlines()
    assert [p.split(": ", 2)[2].split(":")[0] for p in problems] == [
        "towns[0].management",
        "towns[0].history[0].to.management",
    ]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("assessments: []", "assessments: [{year: 2020, result: 达标, score: 191}]"),
        ("    value: 0.5", "    value: 1.5"),
        ("name: 长春市红旗绿色智能小镇", 'name: "红旗\\n小镇"'),
    ],
)
def test_the_json_schema_refuses_what_validate_s_schema_refuses(
    run: Run, registry: Path, old: str, new: str
) -> None:
    import json

    import jsonschema
    import yaml

    schema = json.loads(run("schema").stdout)
    assert schema["$id"].endswith("/registry.json")
    edit_text(registry, old, new)
    data = json.loads(json.dumps(yaml.safe_load(registry.read_text(encoding="utf-8")), default=str))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)
    assert "schema" in run("validate", str(registry)).stdout


@pytest.mark.parametrize("invisible", ["\u034f", "\ufe0f", "\u3164", "\u2800", "\U000e0100"])
def test_a_second_town_named_as_the_first_plus_an_invisible_character_is_refused(
    run: Run, registry: Path, invisible: str
) -> None:
    edit_text(registry, "name: 长春市关东文化小镇", f'name: "长春市红旗绿色智能小镇{invisible}"')
    result = run("validate", str(registry))
    assert result.exit_code == 1
    assert f"towns[1].name: holds an invisible format character (U+{ord(invisible):04X})" in result.stdout


def test_a_name_in_compatibility_forms_is_the_same_name(run: Run, registry: Path) -> None:
    # ⼩ (U+2F29, a Kangxi radical) looks as 小 does, and NFKC makes it 小
    edit_text(registry, "name: 长春市关东文化小镇", "name: 长春市红旗绿色智能\u2f29镇")
    result = run("validate", str(registry))
    assert result.exit_code == 1
    assert "duplicate-name: the name 长春市红旗绿色智能\u2f29镇 is also the name of towns[0]" in result.stdout


def test_a_text_value_is_bounded_in_the_file_and_in_an_edit(run: Run, registry: Path) -> None:
    edit_text(registry, "name: 长春市红旗绿色智能小镇", "name: " + "长" * 5_000_000)
    result = run("validate", str(registry))
    assert result.exit_code == 1
    assert "towns[0].name: has 5,000,000 characters; a value has at most 200" in result.stdout
    assert len(result.stdout) < 1_000  # the value is not printed back
    assert run("list", registry=registry).exit_code == 1


def test_an_edit_refuses_a_value_past_its_bound(run: Run, registry: Path) -> None:
    long = run("set", "1", "management=" + "管" * 201, registry=registry)
    assert (long.exit_code, long.stderr) == (
        2,
        "xiaozhen: management: has 201 characters; a value has at most 200\n",
    )
    reason = run("withdraw", "1", "--reason", "因" * 2_001, registry=registry)
    assert (reason.exit_code, reason.stderr) == (
        2,
        "xiaozhen: --reason: has 2,001 characters; a value has at most 2,000\n",
    )
