"""The docs check themselves: the examples of the READMEs (the tour) and of docs/ (the reference) run as
written, every command and code is documented in the reference, in both languages.

`python tests/test_docs.py --update` rewrites the docs' example outputs after a deliberate change.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from conftest import commands
from xiaozhen.cli import app
from xiaozhen.problems import CODES

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
README_ZH = ROOT / "README.zh-CN.md"
REFERENCE = ROOT / "docs" / "reference.md"
REFERENCE_ZH = ROOT / "docs" / "reference.zh-CN.md"
READMES = {README: "en", README_ZH: "zh"}
REFERENCES = {REFERENCE: "en", REFERENCE_ZH: "zh"}
# Each document with examples, and the language they are run in: each runs in a session of its own.
DOCS = {**READMES, **REFERENCES}
BLOCK = re.compile(r"```console\n(.*?)```", re.S)
# Every command's --help, as typer's own documentation generator writes it, in each language.
COMMAND_REFERENCES = {
    ROOT / "docs" / "commands.md": ("en", "xiaozhen — every command"),
    ROOT / "docs" / "commands.zh-CN.md": ("zh", "xiaozhen — 全部命令"),
}


def sessions(text: str) -> list[tuple[str, str]]:
    """(command, expected output) for every `$ ` line of every console block, in order."""
    steps: list[tuple[str, str]] = []
    for block in BLOCK.findall(text):
        for chunk in re.split(r"^\$ ", block, flags=re.M)[1:]:
            command, _, output = chunk.partition("\n")
            steps.append((command, output))
    return steps


def run_session(steps: list[tuple[str, str]], language: str = "en") -> list[str]:
    """What each command prints (stdout and stderr, as a terminal shows them), run by the shell in a
    folder holding a copy of the registry."""
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        (work / "data").mkdir()
        shutil.copyfile(ROOT / "data" / "towns.yaml", work / "data" / "towns.yaml")
        env = {
            **os.environ,
            "COLUMNS": "100",
            "NO_COLOR": "1",
            "XDG_CACHE_HOME": str(work / ".cache"),
            "PYTHONUNBUFFERED": "1",
            # the README keeps the registry in git, as the office does
            "GIT_AUTHOR_NAME": "office",
            "GIT_AUTHOR_EMAIL": "office@example.org",
            "GIT_COMMITTER_NAME": "office",
            "GIT_COMMITTER_EMAIL": "office@example.org",
            "GIT_CONFIG_GLOBAL": os.devnull,
            # and its commits' ids the same each run, for the report's 名录版本
            "GIT_AUTHOR_DATE": "2021-04-01T00:00:00+00:00",
            "GIT_COMMITTER_DATE": "2021-04-01T00:00:00+00:00",
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        }
        env.pop("XIAOZHEN_REGISTRY", None)
        env["XIAOZHEN_LANG"] = language
        env["SOURCE_DATE_EPOCH"] = (
            "1617235200"  # a report's 生成时间, the same each run: 2021-04-01 00:00 UTC
        )
        outputs = []
        for command, _ in steps:
            done = subprocess.run(
                ["bash", "-c", command],
                cwd=work,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                timeout=120,
            )
            assert "Traceback" not in done.stdout, (command, done.stdout)
            outputs.append(done.stdout)
        return outputs


@pytest.mark.parametrize("doc", list(DOCS), ids=lambda path: path.name)
def test_every_example_prints_what_the_docs_show(doc: Path) -> None:
    steps = sessions(doc.read_text(encoding="utf-8"))
    assert len(steps) >= 10
    for (command, expected), actual in zip(steps, run_session(steps, DOCS[doc]), strict=True):
        assert actual == expected, f"{doc.name} example `{command}` prints something else; see --update"


def test_each_readme_is_a_tour() -> None:
    """A README a newcomer reads through: what it is, the quick start, a year in ten commands, where to
    read on — the reference in docs/, linked from it."""
    for readme, reference in ((README, REFERENCE), (README_ZH, REFERENCE_ZH)):
        text = readme.read_text(encoding="utf-8")
        assert len(text.splitlines()) <= 250, readme.name
        assert len(sessions(text)) == 10, readme.name
        assert f"](docs/{reference.name}" in text, readme.name


def test_every_link_into_the_reference_finds_its_heading() -> None:
    """The tour's links to sections of the reference, as GitHub makes a heading's anchor: lower case, the
    punctuation dropped, each space a hyphen."""
    for readme, reference in ((README, REFERENCE), (README_ZH, REFERENCE_ZH)):
        headings = re.findall(r"^#+ (.+)$", reference.read_text(encoding="utf-8"), re.M)
        anchors = {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in headings}
        links = re.findall(
            rf"\]\(docs/{re.escape(reference.name)}#([^)]+)\)", readme.read_text(encoding="utf-8")
        )
        assert links and set(links) - anchors == set(), readme.name


def test_the_chinese_readme_is_linked_from_the_first_lines() -> None:
    first = README.read_text(encoding="utf-8").split("\n## ")[0]
    assert "[中文说明](README.zh-CN.md)" in first
    chinese = README_ZH.read_text(encoding="utf-8")
    assert chinese.split("\n## ")[0].count("[English](README.md)") == 1
    for readme in READMES:  # both quick starts say how to call what make run installed
        quick = readme.read_text(encoding="utf-8").split("\n## ")[1]
        assert ".venv/bin/xiaozhen" in quick and "make run" in quick and "make demo" in quick


@pytest.mark.parametrize("name", commands())
def test_every_command_is_in_the_reference_with_help_and_an_example(name: str) -> None:
    for path in REFERENCES:  # the Chinese reference as complete as the English one
        readme = path.read_text(encoding="utf-8")
        assert f"`{name}" in readme, f"{name} is not documented in {path.name}"
        assert re.search(rf"^\$ xiaozhen {re.escape(name)}\b", readme, re.M) or f"| `{name} " in readme, (
            path.name
        )
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, [name, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "Example: xiaozhen " + name in result.stdout


def test_every_problem_code_is_in_the_reference_table() -> None:
    readme = REFERENCE.read_text(encoding="utf-8")
    table = set(re.findall(r"^\| `([a-z-]+)` \|", readme.split("### Problem codes")[1].split("###")[0], re.M))
    assert table == set(CODES)


def test_every_exit_code_is_documented() -> None:
    from xiaozhen.errors import ExitCode

    for path, heading in ((REFERENCE, "### Exit codes"), (REFERENCE_ZH, "### 退出码")):
        section = path.read_text(encoding="utf-8").split(heading)[1].split("##")[0]
        for code in ExitCode:
            assert f"| {int(code)} |" in section, path.name


def test_the_quick_start_is_the_makefile_s() -> None:
    readme = README.read_text(encoding="utf-8")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in ("run", "test"):
        assert f"make {target}" in readme and re.search(rf"^{target}:", makefile, re.M)
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_make_run_installs_the_runtime_only() -> None:
    """A user's first run installs what xiaozhen needs; the developer tools come with `make test`."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^run: \$\(RUNTIME\) ##", makefile, re.M)
    runtime = makefile.split("$(RUNTIME): pyproject.toml\n")[1].split("\n\n")[0]
    assert "$(UV) -e .\n" in runtime + "\n" and "[dev" not in runtime
    assert re.search(r"^test: \$\(STAMP\)", makefile, re.M)
    assert "-e '.[dev,bench]'" in makefile.split("$(STAMP): $(RUNTIME)\n")[1].split("\n\n")[0]


def section(title: str, readme: Path = REFERENCE) -> str:
    return readme.read_text(encoding="utf-8").split(f"## {title}\n")[1].split("\n## ")[0]


def test_the_guarantees_quote_the_tests_own_figures() -> None:
    import test_corpus
    import test_edits
    import test_hostile
    import test_properties
    import test_splice
    import test_stress
    import test_timeline

    text = " ".join(section("What xiaozhen guarantees").split())
    figures = [
        f"A corpus of {len(test_corpus.EXPECTED)} bad registries",
        f"{test_properties.MUTATIONS // test_properties.STRESS} randomly damaged files",
        f"{test_properties.EXAMPLES // test_properties.STRESS} generated registries a property",
        f"{test_edits.WRITERS} writers on different towns",
        f"{test_stress.SAME_TOWN_WRITERS} writers on the same town",
        f"{test_stress.KILLS // test_stress.STRESS} writers killed at random moments",
        f"{test_timeline.SEQUENCES // test_properties.STRESS} random sequences of dated edits",
        f"{test_splice.SEQUENCES // test_properties.STRESS} random sequences of edits of every kind",
        f"A corpus of {test_hostile.corpus_size()} hostile cases",
        f"under a {test_hostile.MEMORY_CAP // 1024**3} GiB memory cap",
    ]
    for figure in figures:
        assert figure in text, figure
    chinese = "".join(section("可以放心的几点", REFERENCE_ZH).split())  # Chinese breaks lines without a space
    figures = [
        f"{len(test_corpus.EXPECTED)} 个有误的名录",
        f"{test_properties.MUTATIONS // test_properties.STRESS} 个随机损坏的文件",
        f"{test_properties.EXAMPLES // test_properties.STRESS} 个随机生成的名录",
        f"{test_edits.WRITERS} 个进程同时修改不同的小镇",
        f"{test_stress.SAME_TOWN_WRITERS} 个进程同时修改同一个小镇",
        f"{test_stress.KILLS // test_stress.STRESS} 个写入进程在写入循环的随机时刻被杀死",
        f"{test_timeline.SEQUENCES // test_properties.STRESS} 组随机的带日期修改序列",
        f"{test_splice.SEQUENCES // test_properties.STRESS} 组随机的各类修改序列",
        f"{test_hostile.corpus_size()} 个恶意构造的输入",
        f"在 {test_hostile.MEMORY_CAP // 1024**3} GiB 的内存上限下",
    ]
    for figure in figures:
        assert "".join(figure.split()) in chinese, figure


def test_the_performance_section_shows_the_latest_benchmark() -> None:
    results = (ROOT / "bench" / "RESULTS.md").read_text(encoding="utf-8")
    for readme, title in ((REFERENCE, "Performance"), (REFERENCE_ZH, "性能")):
        shown = section(title, readme).split("<!-- bench:start -->\n")[1].split("<!-- bench:end -->")[0]
        assert shown == results.split("\n", 2)[2], readme.name  # all but the heading


def update(readme: Path) -> None:
    text = readme.read_text(encoding="utf-8")
    outputs = iter(run_session(sessions(text), DOCS[readme]))

    def fill(match: re.Match[str]) -> str:
        chunks = re.split(r"^\$ ", match.group(1), flags=re.M)[1:]
        body = "".join(f"$ {chunk.partition(chr(10))[0]}\n{next(outputs)}" for chunk in chunks)
        return f"```console\n{body}```"

    text = BLOCK.sub(fill, text)
    results = (ROOT / "bench" / "RESULTS.md").read_text(encoding="utf-8").split("\n", 2)[2]
    start, end = "<!-- bench:start -->\n", "<!-- bench:end -->"
    if start in text:
        text = text.split(start)[0] + start + results + end + text.split(end)[1]
    readme.write_text(text, encoding="utf-8")


TYPER_WORDS = (
    ("**Usage**:", "**用法**："),
    ("**Arguments**:", "**参数**："),
    ("**Options**:", "**选项**："),
    ("**Commands**:", "**命令**："),
    ("  [required]", "  [必填]"),
)


def command_reference(lang: str, title: str) -> str:
    """Every command's --help in `lang`, as Markdown: typer's own `typer --app app xiaozhen.cli utils docs`,
    run after the language is installed, as the console script installs it before the commands exist."""
    with tempfile.TemporaryDirectory() as folder:
        written = Path(folder) / "commands.md"
        generate = ["typer", "--app", "app", "xiaozhen.cli", "utils", "docs", "--name", "xiaozhen"]
        argv = [*generate, "--title", title, "--output", str(written)]
        script = (
            f"import runpy, sys; from xiaozhen.i18n import install; install({lang!r}); "
            f"sys.argv = {argv!r}; runpy.run_module('typer', run_name='__main__')"
        )
        subprocess.run([sys.executable, "-c", script], check=True, capture_output=True)
        text = written.read_text(encoding="utf-8")
    # The generator's own headings, in the reader's language, as --help shows them.
    for english, chinese in TYPER_WORDS if lang == "zh" else ():
        text = text.replace(english, chinese)
    return re.sub(r"  \[default: ([^\]]*)\]", r"  [默认：\1]", text) if lang == "zh" else text


if __name__ == "__main__":
    if sys.argv[1:] == ["--update"]:
        for doc in DOCS:
            update(doc)
        for reference, (lang, title) in COMMAND_REFERENCES.items():
            reference.write_text(command_reference(lang, title), encoding="utf-8")
    else:
        sys.exit("usage: python tests/test_docs.py --update")


@pytest.mark.parametrize("reference", COMMAND_REFERENCES, ids=lambda p: p.name)
def test_the_command_references_are_the_help_of_today(reference: Path) -> None:
    """docs/commands*.md are generated from --help: a help text changed without them fails here."""
    assert reference.read_text(encoding="utf-8") == command_reference(*COMMAND_REFERENCES[reference]), (
        f"{reference.name} differs from --help: python tests/test_docs.py --update"
    )


def test_the_chinese_readme_s_examples_print_no_english_word() -> None:
    """What the Chinese README shows xiaozhen printing is Chinese (conftest.english_words: the file's keys,
    the terms' English aliases and file names aside)."""
    from conftest import english_words

    for doc in (README_ZH, REFERENCE_ZH):
        for command, output in sessions(doc.read_text(encoding="utf-8")):
            assert english_words(output) == set(), command


def test_the_chinese_readme_names_every_problem_code() -> None:
    table = REFERENCE_ZH.read_text(encoding="utf-8").split("### 问题代码")[1].split("##")[0]
    assert set(re.findall(r"^\| `([a-z-]+)` \|", table, re.M)) == set(CODES)


def test_both_module_tables_name_every_module() -> None:
    package = ROOT / "src" / "xiaozhen"
    modules = {
        p.relative_to(package).as_posix()
        for p in package.glob("**/*.py")
        if p.name not in ("__init__.py", "__main__.py") and p.parent.name != "cli"
    }
    for reference in REFERENCES:
        table = set(re.findall(r"^\| `([a-z0-9_/]+\.py)` \|", reference.read_text(encoding="utf-8"), re.M))
        assert modules == table, reference.name
