"""Chinese and English: the language chosen, the catalog complete and compiled, every command's help in
both languages (run as separate processes: help texts are translated as the commands are defined)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, run_process
from xiaozhen.cli import COMMANDS
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
    assert done.stderr == "xiaozhen: XIAOZHEN_LANG 'fr': xiaozhen speaks zh (中文) and en (English)\n"


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
    translated = {m.id for m in catalog if m.id and m.string and not m.fuzzy}
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


@pytest.mark.parametrize("name", [None, *COMMANDS])
def test_every_command_s_help_in_both_languages(name: str | None) -> None:
    args = ["--help"] if name is None else [name, "--help"]
    english = run_process(*args, env={"XIAOZHEN_LANG": "en", "COLUMNS": "400"})
    chinese = run_process("--lang", "zh", *args, env={"COLUMNS": "400"})
    assert english.returncode == chinese.returncode == 0, chinese.stderr
    if name is not None:
        assert f"Example: xiaozhen {name}" in english.stdout
        assert f"示例：xiaozhen {name}" in chinese.stdout
    assert "╭─ Options" in english.stdout and "╭─ 选项" in chinese.stdout
    untranslated = [m for m in english_messages() if m in chinese.stdout]
    assert untranslated == []
