"""Chinese and English: the language chosen, the catalog complete and compiled, every command's help in
both languages (run as separate processes: help texts are translated as the commands are defined)."""

from __future__ import annotations

import functools
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, commands, run_process
from xiaozhen.i18n import LOCALE_DIR, BadLanguage, chosen

PO = LOCALE_DIR / "zh" / "LC_MESSAGES" / "xiaozhen.po"
MO = PO.with_suffix(".mo")


@pytest.mark.parametrize(
    ("argv", "environ", "language"),
    [
        ([], {}, "en"),
        ([], {"LANG": "zh_CN.UTF-8"}, "zh"),
        ([], {"LANG": "zh_CN.UTF-8", "LC_ALL": "C.UTF-8"}, "en"),  # LC_ALL first, as in POSIX
        ([], {"LANG": "en_US.UTF-8", "LC_MESSAGES": "zh_TW.UTF-8"}, "zh"),
        ([], {"LANG": "C", "XIAOZHEN_LANG": "zh"}, "zh"),
        ([], {"XIAOZHEN_LANG": "zh-CN"}, "zh"),
        (["--lang", "en", "list"], {"XIAOZHEN_LANG": "zh"}, "en"),  # the option over the variable
        (["--lang=zh", "list"], {"LANG": "C"}, "zh"),
        (["list", "--", "--lang", "zh"], {}, "en"),  # after --, an argument, not the option
        (["--lang", "中文", "list"], {}, "zh"),  # a language by its name
        ([], {"XIAOZHEN_LANG": "English"}, "en"),
    ],
)
def test_the_language_is_the_option_s_else_the_variable_s_else_the_locale_s(
    argv: list[str], environ: dict[str, str], language: str
) -> None:
    assert chosen(argv, environ, platform="linux") == language


def test_a_language_xiaozhen_does_not_speak_exits_2_naming_both_it_speaks() -> None:
    with pytest.raises(BadLanguage, match="--lang 'fr': xiaozhen speaks zh"):
        chosen(["--lang", "fr"], {}, platform="linux")
    done = run_process("list", env={"XIAOZHEN_LANG": "fr"})
    assert done.returncode == 2
    assert done.stderr == (
        "xiaozhen: XIAOZHEN_LANG 'fr': xiaozhen speaks zh (中文) and en (English); 只支持 zh（中文）和 en（英文）\n"
    )


def test_every_message_has_its_chinese_and_the_compiled_catalog_is_the_po_s(tmp_path: Path) -> None:
    """What Babel extracts from the sources now is what the Chinese catalog translates, each message;
    and xiaozhen.mo is what the .po compiles to (`make catalogs` forgotten fails here)."""
    from babel.messages.pofile import read_po

    template = tmp_path / "xiaozhen.pot"
    pybabel = [sys.executable, "-m", "babel.messages.frontend"]
    extract = [*pybabel, "-q", "extract", "-F", str(ROOT / "babel.cfg"), "-k", "_", "-k", "N_"]
    subprocess.run([*extract, "-o", str(template), str(ROOT / "src" / "xiaozhen")], check=True, timeout=120)
    with template.open("rb") as extracted:
        wanted = {m.id for m in read_po(extracted) if m.id}
    with PO.open("rb") as po:
        catalog = read_po(po)
    # a message with plurals has a string a form, each of which must be there
    forms = {m.id: m.string if isinstance(m.string, tuple) else (m.string,) for m in catalog if m.id}
    translated = {m.id for m in catalog if m.id and all(forms[m.id]) and not m.fuzzy}
    assert wanted - translated == set(), "messages without their Chinese: run make catalogs, translate"
    assert len(wanted) >= 100
    compiled = tmp_path / "xiaozhen.mo"
    subprocess.run([*pybabel, "-q", "compile", "-i", str(PO), "-o", str(compiled)], check=True, timeout=120)
    assert compiled.read_bytes() == MO.read_bytes(), "xiaozhen.mo is older than xiaozhen.po: make catalogs"


def english_messages() -> list[str]:
    """Each English message of the catalog whose Chinese differs from it, as a line of help shows it."""
    from babel.messages.pofile import read_po

    with PO.open("rb") as po:
        return [
            m.id.split("\n")[0]
            for m in read_po(po)
            if isinstance(m.id, str) and m.id and m.string != m.id and re.search(r"[a-z]{3} [a-z]{3}", m.id)
        ]


# Every command's --help in one language, from one process that installs the language first, as the
# console script does, and then asks each command for its help.
HELPS = """
import json, sys
from xiaozhen.i18n import install
install(sys.argv[1])
from typer.testing import CliRunner
from xiaozhen.cli import app
helps = {}
for name in [None, *(c.name for c in app.registered_commands)]:
    args = ["--help"] if name is None else [name, "--help"]
    done = CliRunner().invoke(app, args, prog_name="xiaozhen", env={"COLUMNS": "400"})
    helps[name or ""] = [done.exit_code, done.stdout]
print(json.dumps(helps))
"""


@functools.cache
def helps(lang: str) -> dict[str, tuple[int, str]]:
    done = subprocess.run(
        [sys.executable, "-c", HELPS, lang], capture_output=True, text=True, timeout=120, check=True
    )
    return {name: (code, text) for name, (code, text) in json.loads(done.stdout).items()}


@pytest.mark.parametrize("name", [None, *commands()])
def test_every_command_s_help_in_both_languages(name: str | None) -> None:
    (english_code, english), (chinese_code, chinese) = helps("en")[name or ""], helps("zh")[name or ""]
    assert english_code == chinese_code == 0, chinese
    if name is not None:
        assert f"Example: xiaozhen {name}" in english
        assert f"示例：xiaozhen {name}" in chinese
    assert "╭─ Options" in english and "╭─ 选项" in chinese
    untranslated = [m for m in english_messages() if m in chinese]
    assert untranslated == []
    from conftest import english_words

    # no English word but the names of things: formats and products, variables, a git branch, a column
    names = {
        "CSV",
        "XLSX",
        "DOCX",
        "HTML",
        "JSON",
        "Schema",
        "SQL",
        "SQLite",
        "sqlite",
        "UTF",
        "Excel",
        "Datasette",
    }
    names |= {"GitHub", "github", "git", "main", "https", "pip", "install", "Ctrl", "table", "text", "town"}
    names |= {"XIAOZHEN_LANG", "XIAOZHEN_REGISTRY", "python"}  # (usage: python -m xiaozhen)
    names |= {"warn", "error"}  # validate --findings warn|error, as typed
    assert english_words(chinese, names) == set()


# What a Chinese analyst types and reads most: each answered in Chinese, the keys and values of the file
# (leading_industry, growth …) aside.
SAID_IN_CHINESE = [
    (["show", "99"], "xiaozhen: 没有编号为 99 的小镇\n"),
    (["show", "不存在的小镇"], "xiaozhen: 没有名称包含 '不存在的小镇' 的小镇"),
    (["list", "-c", "培养"], "xiaozhen: '培养' 不是有效的类别；可选：规划类, 培育类, 成长类"),
    (["list", "-p", "长春x"], "xiaozhen: '长春x' 不是有效的市(州)；您是不是要输入 '长春市'？"),
    (
        ["list", "--as-of", "2020-13-01"],
        "不是日期（可写作 2021-01-05、2021-1-5、2021/1/5、2021.1.5 或 2021年1月5日）",
    ),
    (["validate"], ": 有效，24 项核查发现 — 共 55 个小镇；已记录的创建标准数据："),
    (["advance", "3", "--dry-run"], "试运行：未写入任何内容\n"),
]


@pytest.mark.parametrize(("args", "said"), SAID_IN_CHINESE)
def test_the_common_answers_are_in_chinese(registry: Path, args: list[str], said: str) -> None:
    done = run_process("--lang", "zh", "--registry", str(registry), *args)
    assert said in done.stderr, done.stderr
    words = done.stderr.replace(str(registry), "FILE")  # a path is a path
    english = set(re.findall(r"\b[a-z]{3,}\b", words)) - {
        "xiaozhen", "towns", "yaml", "growth", "cultivation", "planning", "leading_industry",
        "investment", "developer", "plan", "management", "dry",
    }  # fmt: skip
    assert english == set(), done.stderr


# The parser's own errors (typer's copy of click words them in English; cli/usage.py restates them):
# each with its usage line, in either language, and exit 2.
PARSER_ERRORS = [
    (["show", "--fromat", "json", "1"], "no option '--fromat'; did you mean '--format'?",
     "没有选项 '--fromat'；您是不是要输入 '--format'？"),
    (["show"], "missing argument 'TOWN'", "缺少参数 '小镇'"),
    (["show", "-f"], "option '-f' needs a value", "选项 '-f' 需要一个值"),
    (["validate", "--strict=yes"], "option '--strict' takes no value", "选项 '--strict' 不接受值"),
    (["show", "-f", "xml", "1"], "invalid value for '--format' / '-f': 'xml' is not one of: table, json",
     "'--format' / '-f' 的值无效：'xml' 不是以下之一：table, json"),
    (["show", "1", "2", "3"], "unexpected extra arguments: 2 3", "多余的参数：2 3"),
    (["shwo", "1"], "no command 'shwo'; did you mean 'show'?", "没有命令 'shwo'；您是不是要输入 'show'？"),
]  # fmt: skip


@pytest.mark.parametrize(("args", "english", "chinese"), PARSER_ERRORS)
def test_the_parser_s_errors_are_in_the_reader_s_language(
    registry: Path, args: list[str], english: str, chinese: str
) -> None:
    said = run_process("--lang", "en", "--registry", str(registry), *args, env={"COLUMNS": "200"})
    assert said.returncode == 2 and english in said.stderr, said.stderr
    assert "Usage: " in said.stderr
    said = run_process("--lang", "zh", "--registry", str(registry), *args, env={"COLUMNS": "200"})
    assert said.returncode == 2 and chinese in said.stderr, said.stderr
    assert "用法：" in said.stderr and "╭─ 错误" in said.stderr
    words = said.stderr.replace(str(registry), "FILE")
    english_words = set(re.findall(r"\b[A-Za-z]{3,}\b", words)) - {
        "python", "xiaozhen", "show", "shwo", "validate", "fromat", "format", "strict", "json", "xml", "table",
        "FILE",
    }  # fmt: skip
    assert english_words == set(), said.stderr


def test_an_error_the_parser_words_unknown_keeps_its_words() -> None:
    from xiaozhen.cli.usage import restated

    assert restated(ValueError("something new")) is None


def test_the_help_option_and_the_usage_line_in_chinese() -> None:
    said = run_process("--lang", "zh", "show", "--help", env={"COLUMNS": "200"})
    assert "xiaozhen show [选项] 小镇" in said.stdout and "用法：" in said.stdout
    assert "显示本帮助并退出。" in said.stdout and "Show this message" not in said.stdout
    top = run_process("--lang", "zh", "--help", env={"COLUMNS": "200"})
    assert "xiaozhen [选项] 命令 [参数]..." in top.stdout


# A year's work in Chinese, as an analyst does it: each answer, refusal and table, with no English word
# (conftest.english_words: keys, aliases and file names aside; and the commands and options named).
A_YEAR_IN_CHINESE = [
    ["assess-import", "results.csv", "--date", "2021-01-15"],
    ["assess-import", str(ROOT / "tests" / "fixtures" / "assessors" / "broken-two-result-columns.xlsx"),
     "--date", "2021-01-15"],
    ["advance", "3", "--to", "培育", "--date", "2021-02-01"],
    ["advance", "吉商"],
    ["designate", "大荒地", "--date", "2021-03-01"],
    ["designate", "大荒地", "--date", "2021-03-01"],
    ["set", "五棵树", "leading_industry=玉米深加工", "investment.total=30", "investment.leading_industry=21.5",
     "--date", "2021-03-02", "--source", "申报材料"],
    ["set", "五棵树", "investment.leading_industry=12", "--date", "2021-03-02"],
    ["set", "9", "developer.ownership=外资企业"],
    ["set", "9", "developer.name=某公司"],
    ["withdraw", "19", "--reason", "申请退出", "--date", "2021-03-03"],
    ["add", "--name", "某县某某小镇", "-p", "长春", "-c", "规划", "-t", "建制镇", "--batch", "2",
     "--date", "2021-03-04"],
    ["show", "五棵树"],
    ["show", "56"],
    ["standards"],
    ["tally", "--by", "category", "--by", "status"],
    ["diff"],
    ["diff", "--format", "md"],
    ["validate"],
    ["validate", "--strict", "--format", "md"],
    ["report"],
    ["form", "--applications", "--rows", "3", "-o", "申报表.xlsx"],
    ["screen", "申报表.xlsx"],
    ["form", "-p", "长春", "-o", "长春.xlsx"],
    ["collect", "长春.xlsx", "--dry-run"],
    ["filter", "investment.total>三十"],
    ["assess", "9", "--year", "2020", "--result", "达标", "--score", "101"],
]  # fmt: skip


def test_a_year_s_work_in_chinese_says_no_english_word(tmp_path: Path) -> None:
    from conftest import english_words, git

    (tmp_path / "data").mkdir()
    shutil.copyfile(ROOT / "data" / "towns.yaml", tmp_path / "data" / "towns.yaml")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "The 2019 annex")
    (tmp_path / "results.csv").write_text(
        "town,year,result,score,assessor\n大荒地,2020,达标,91,某评估机构\n吉商,2020,不达标,52,某评估机构\n",
        encoding="utf-8",
    )
    for args in A_YEAR_IN_CHINESE:
        said = run_process("--lang", "zh", *args, cwd=tmp_path)
        assert said.returncode in (0, 1, 2), said.stderr
        printed = said.stdout + said.stderr
        for arg in args:  # a file named is a file name; a sheet's name is the workbook's
            printed = printed.replace(arg, "FILE") if arg.endswith(".xlsx") else printed
        printed = printed.replace("工作表 Sheet", "工作表")
        assert english_words(printed, {"FILE"}) == set(), (
            args,
            printed,
        )


def test_tally_s_headers_are_in_chinese(registry: Path) -> None:
    done = run_process(
        "--lang", "zh", "--registry", str(registry), "tally", "--by", "prefecture", "--by", "category"
    )
    assert "市(州) \\ 类别" in done.stdout and "合计" in done.stdout and "total" not in done.stdout
    single = run_process("--lang", "zh", "--registry", str(registry), "tally")
    assert re.search(r"类别 +┃ 数量 ┃ +占比", single.stdout) and "合计" in single.stdout
    english = run_process("--lang", "en", "--registry", str(registry), "tally")
    assert re.search(r"category +┃ count ┃ share", english.stdout) and "合计 total" in english.stdout


def test_every_translation_fills_only_the_placeholders_its_message_has() -> None:
    """A {name} in the Chinese that the English does not have would stop the command (a KeyError)."""
    import string

    from babel.messages.pofile import read_po

    def names(text: str) -> set[str]:
        return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}

    with PO.open("rb") as po:
        catalog = read_po(po)
    wrong = []
    for message in catalog:
        if not message.id or "python-brace-format" not in message.flags:  # (Babel flags each one that is)
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        given = set().union(*(names(i) for i in ids))
        wrong += [(ids[0], s) for s in strings if not names(s) <= given]
    assert wrong == []


@pytest.mark.parametrize(
    ("ui", "language"), [("zh_CN", "zh"), ("zh_TW", "zh"), ("en_US", "en"), (None, "en")]
)
def test_on_windows_the_user_s_ui_language_decides_where_no_variable_does(
    monkeypatch: pytest.MonkeyPatch, ui: str | None, language: str
) -> None:
    from xiaozhen import i18n

    monkeypatch.setattr(i18n, "_windows_ui_language", lambda: ui)
    assert chosen([], {}, platform="win32") == language
    assert chosen([], {"LANG": "en_US.UTF-8"}, platform="win32") == "en"  # a set locale still decides


def test_the_readmes_count_the_catalog_s_messages() -> None:
    from babel.messages.pofile import read_po

    with PO.open("rb") as po:
        count = sum(1 for message in read_po(po) if message.id)
    assert f"Translated ({count} messages)" in (ROOT / "docs" / "reference.md").read_text(encoding="utf-8")
    assert f"已译为中文的有（{count} 条）" in (ROOT / "docs" / "reference.zh-CN.md").read_text(
        encoding="utf-8"
    )


def test_libyaml_s_words_are_in_chinese(tmp_path: Path) -> None:
    from conftest import english_words

    broken = tmp_path / "有误.yaml"
    broken.write_text("registry:\n  title: a: b\n", encoding="utf-8")
    said = run_process("--lang", "zh", "validate", str(broken))
    assert said.returncode == 1
    assert "yaml-syntax: 此处不允许出现映射的值" in said.stdout, said.stdout
    assert english_words(said.stdout.replace(str(broken), "FILE"), {"FILE"}) == set(), said.stdout
    said = run_process("--lang", "en", "validate", str(broken))
    assert "yaml-syntax: mapping values are not allowed in this context" in said.stdout


def test_chinese_output_names_fields_in_chinese_not_by_key(tmp_path: Path) -> None:
    from conftest import committed

    folder = tmp_path / "repo"
    committed(folder)
    zh = {"XIAOZHEN_LANG": "zh"}
    assert (
        run_process(
            "set", "9", "主导产业=玉米深加工", "总投资=30亿元", "主导产业投资=21.5", cwd=folder
        ).returncode
        == 0
    )
    said = {
        "show": run_process("show", "9", cwd=folder, env=zh).stdout,
        "validate": run_process("validate", cwd=folder, env=zh).stderr,
        "diff": run_process("diff", "HEAD", cwd=folder, env=zh).stdout,
        "a term refused": run_process("list", "-c", "培养", cwd=folder, env=zh).stderr,
    }
    keys = ("leading_industry", "investment", "developer", "management", "prefecture", "null", "growth")
    for what, text in said.items():
        assert not [k for k in keys if k in text], (what, text)
    assert "主导产业: 空 → 玉米深加工" in said["diff"]
    assert "主导产业 1/55" in said["validate"]
    assert "主导产业投资(亿元)" in said["show"]
