"""Data from the file cannot forge or break an output: annotations, terminals, spreadsheets."""

from __future__ import annotations

from pathlib import Path

from conftest import Run, edit_text, line_of, recorded

HOSTILE_NAME = "长春市\\n::error file=x.yaml,line=1::伪造的错误 100%\\x1b[2J小镇"  # as written in YAML


def hostile(registry: Path) -> None:
    """Town 1 gets a name with a newline, a workflow command, a percent sign and an escape sequence,
    and a leading-industry share below 50% so that a problem message carries the name."""
    edit_text(registry, "name: 长春市红旗绿色智能小镇", f'name: "{HOSTILE_NAME}"')
    edit_text(registry, "investment: null", "investment:\n      total: 10\n      leading_industry: 1")
    recorded(registry, {"investment.total": "10", "investment.leading_industry": "1"})


def test_a_github_annotation_cannot_be_forged_or_broken(run: Run, registry: Path) -> None:
    hostile(registry)
    result = run("validate", str(registry), "--format", "github")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 2  # one problem: its plain line and its annotation, nothing more
    plain, annotation = lines
    # GitHub reads `::error PROPERTIES::MESSAGE` up to the end of the line: the newline is what could
    # start a forged command, and it is escaped, as is every % (so %0A in data stays text).
    properties, message = annotation.removeprefix("::error ").split("::", 1)
    line = line_of(registry, "leading_industry: 1")
    assert properties == f"file={registry},line={line},col=7,title=leading-industry-share"
    assert message.startswith("长春市%0A::error file=x.yaml,line=1::伪造的错误 100%25")
    assert "\x1b" not in result.stdout and "::error" not in plain[: plain.index("leading-industry-share")]


def test_terminal_output_never_carries_escape_sequences_from_the_data(run: Run, registry: Path) -> None:
    hostile(registry)
    for command in (["list"], ["show", "1"], ["validate", str(registry)], ["filter", "id=1"]):
        result = run(*command, registry=registry)
        assert "\x1b" not in result.stdout + result.stderr, command


def test_json_keeps_the_data_exactly(run: Run, registry: Path) -> None:
    import json

    hostile(registry)
    (town,) = json.loads(run("filter", "id=1", "-f", "json", registry=registry).stdout)
    assert town["name"] == "长春市\n::error file=x.yaml,line=1::伪造的错误 100%\x1b[2J小镇"


def test_a_name_with_rich_markup_is_shown_as_written(run: Run, registry: Path) -> None:
    edit_text(registry, "name: 长春市红旗绿色智能小镇", 'name: "[bold red]长春市[/]小镇"')
    assert "[bold red]长春市[/]小镇" in run("show", "1", registry=registry).stdout
