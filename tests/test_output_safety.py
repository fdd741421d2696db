"""Data from the file cannot forge or break an output: annotations, terminals, spreadsheets."""

from __future__ import annotations

from pathlib import Path

from conftest import Run, edit_text, line_of, recorded, run_process

# Plain text the schema accepts, built to break what it is printed into: a workflow command, a percent
# sign (GitHub's escape), a Markdown cell's bar, HTML and a link.
TRICKY_NAME = "长春市::error file=x.yaml,line=1::伪造的错误 100%|<b>x</b>[链接](http://x)小镇"
# What the schema refuses (limits.py): a line break that would start a workflow command of its own, and
# an escape sequence that clears the screen; as written in YAML.
CONTROL_NAME = "长春市\\n::error file=x.yaml,line=1::伪造的错误 100%\\x1b[2J小镇"


def hostile(registry: Path, name: str = TRICKY_NAME) -> None:
    """Town 1 gets `name`, and a leading-industry share below 50% so that a problem message carries
    the name."""
    edit_text(registry, "name: 长春市红旗绿色智能小镇", f'name: "{name}"')
    edit_text(registry, "investment: null", "investment:\n      total: 10\n      leading_industry: 1")
    recorded(registry, {"investment.total": "10", "investment.leading_industry": "1"})


def test_a_github_annotation_cannot_be_forged_or_broken(run: Run, registry: Path) -> None:
    hostile(registry)
    notice = ("--rules", "吉政办明电〔2019〕5号")  # the notice's rules alone: one finding
    result = run("validate", str(registry), "--format", "github", "--findings", "error", *notice)
    assert result.exit_code == 3
    lines = result.stdout.splitlines()
    assert len(lines) == 2  # one problem: its plain line and its annotation, nothing more
    plain, annotation = lines
    # GitHub reads `::error PROPERTIES::MESSAGE` up to the end of the line; every % is escaped (so %0A
    # in data stays text), and a `::` inside the message starts nothing.
    properties, message = annotation.removeprefix("::error ").split("::", 1)
    line = line_of(registry, "leading_industry: 1")
    assert properties == f"file={registry},line={line},col=7,title=leading-industry-share"
    assert message.startswith("长春市::error file=x.yaml,line=1::伪造的错误 100%25|")
    assert plain.startswith(f"{registry}:{line}:7: leading-industry-share: finding: ")


def test_a_line_break_or_an_escape_in_a_name_is_a_located_schema_problem(run: Run, registry: Path) -> None:
    hostile(registry, CONTROL_NAME)
    result = run("validate", str(registry), "--format", "github")
    assert result.exit_code == 1
    plain, annotation = result.stdout.splitlines()
    line = line_of(registry, "name: ")
    assert annotation.startswith(f"::error file={registry},line={line},col=5,title=schema::towns[0].name: ")
    assert "holds a line break (U+000A) at character 4" in plain
    assert "\x1b" not in result.stdout


def test_terminal_output_never_carries_escape_sequences_from_the_data(run: Run, registry: Path) -> None:
    hostile(registry, CONTROL_NAME)
    for command in (["list"], ["show", "1"], ["validate", str(registry)], ["filter", "id=1"]):
        result = run(*command, registry=registry)
        assert result.exit_code == 1, command
        assert "\x1b" not in result.stdout + result.stderr, command


def test_json_keeps_the_data_exactly(run: Run, registry: Path) -> None:
    import json

    hostile(registry)
    (town,) = json.loads(run("filter", "id=1", "-f", "json", registry=registry).stdout)
    assert town["name"] == TRICKY_NAME


def test_a_name_with_rich_markup_is_shown_as_written(run: Run, registry: Path) -> None:
    edit_text(registry, "name: 长春市红旗绿色智能小镇", 'name: "[bold red]长春市[/]小镇"')
    assert "[bold red]长春市[/]小镇" in run("show", "1", registry=registry).stdout


def test_markdown_outputs_render_no_link_image_or_html_from_the_data(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    """Each Markdown output rendered as GitHub renders it (cmarkgfm, with its autolinks): a value holding
    Markdown, HTML, a www. address or an e-mail address shows as text (row 15 of round three)."""
    import cmarkgfm
    from cmarkgfm.cmark import Options

    from conftest import git

    hostile = (
        "见[链接](http://x.example) ![图](http://x.example/a.png) <b>粗</b> www.phish.example 与 a@b.example"
    )
    edit_text(
        registry,
        "  document: 吉政办明电〔2019〕5号",
        f'  document: "吉政办明电〔2019〕5号 {hostile}"',
        count=1,
    )
    git(registry.parent, "init", "-q", "-b", "main")
    git(registry.parent, "add", registry.name)
    git(registry.parent, "commit", "-qm", "base")
    assert run("set", "1", f"management={hostile}", registry=registry).exit_code == 0
    assert (
        run(
            "assess", "13", "--year", "2020", "--result", "达标", "--note", hostile, registry=registry
        ).exit_code
        == 0
    )
    outputs = {
        "export": run("export", "--format", "md", registry=registry).stdout,
        "validate": run("validate", str(registry), "--format", "md").stdout,
        "diff": run_process("diff", "HEAD", "--format", "md", cwd=registry.parent).stdout,
        "report": run("report", "--year", "2020", "--format", "md", registry=registry).stdout,
    }
    for what, markdown in outputs.items():
        assert markdown, what
        html = cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)
        assert not [tag for tag in ("<a ", "<img", "<b>") if tag in html], (what, html)
