"""Shared fixtures: fresh copies of the shipped registry, and a CLI runner that checks like a user."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from xiaozhen.cli import app
from xiaozhen.model.schema import Registry
from xiaozhen.store.registry import load

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "data" / "towns.yaml"
SEED = ROOT.parent / "shared" / "seed" / "jilin-characteristic-towns-2019.txt"
# The annex's headings, with the number of towns each says it lists: 长春市(12个), ….
NOTICE_PREFECTURES = {
    "长春市": 12,
    "吉林市": 13,
    "四平市": 2,
    "辽源市": 6,
    "通化市": 4,
    "白山市": 3,
    "松原市": 1,
    "白城市": 3,
    "延边州": 7,
    "长白山保护开发区": 2,
    "梅河口市": 1,
    "公主岭市": 1,
}


def shipped() -> Registry:
    """The shipped registry, validated, as models."""
    registry = load(SHIPPED).report.registry
    assert registry is not None
    return registry


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # No test sees the developer's environment, cache or terminal width.
    monkeypatch.delenv("XIAOZHEN_REGISTRY", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("COLUMNS", "160")
    monkeypatch.setenv("NO_COLOR", "1")


# What the national rulebooks of the shipped registry find in it as shipped: its 24 建制镇 under
# 国办发〔2020〕33号 (tests/test_norms.py). A test of another rule sets these apart.
NATIONAL = frozenset({"administrative-town", "administrative-town-designated", "national-norm", "list-cap"})


def notice_problems(problems: Any) -> list[Any]:
    """The problems but the national rulebooks' findings: what the 2019 notice's rules find."""
    return [p for p in problems if p.code not in NATIONAL]


def notice_problems_of(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A report's (or JSON's) findings but the national rulebooks'."""
    return [f for f in findings if f["code"] not in NATIONAL]


def notice_lines(text: str) -> str:
    """validate's lines but the national rulebooks' findings."""
    return "".join(
        line for line in text.splitlines(keepends=True) if not any(f": {code}: " in line for code in NATIONAL)
    )


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    """A fresh copy of the shipped registry."""
    path = tmp_path / "towns.yaml"
    shutil.copyfile(SHIPPED, path)
    return path


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str


Run = Callable[..., Result]


@pytest.fixture
def run() -> Run:
    """Run the CLI in-process: run("list", "-c", "培育类", registry=path)."""
    runner = CliRunner()

    def invoke(*args: str, registry: Path | None = None, env: dict[str, str] | None = None) -> Result:
        argv = (["--registry", str(registry)] if registry is not None else []) + list(args)
        result = runner.invoke(app, argv, env=env, catch_exceptions=False)
        return Result(result.exit_code, result.stdout, result.stderr)

    return invoke


def run_process(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `python -m xiaozhen` as a separate process, as a script would."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "xiaozhen", *args],
        cwd=cwd,
        env=full_env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _file_keys() -> set[str]:
    """Every key of the registry format, from its JSON Schema."""
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            found.update(node.get("properties", {}))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(Registry.model_json_schema(by_alias=True))
    return found


def english_words(text: str, allowed: set[str] | frozenset[str] = frozenset()) -> set[str]:
    """The English words in what xiaozhen printed for a Chinese reader: the Latin words of three letters
    or more, less those a script reads in either language — the file format's keys and event values,
    the English aliases a term is accepted by, the problem codes, the commands and options — file names, and `allowed`."""
    import re

    from xiaozhen.model.terms import ALIASES, CHECKS, SETTABLE

    keys = _file_keys() | {part for key in SETTABLE for part in key.split(".")} | {"leading_share"}
    keys |= set(CHECKS)  # a rule's check, as the file names it
    keys |= {"added", "advanced", "assessed", "exited", "designated", "updated", "renamed", "cleared"}
    aliases = {alias for table in ALIASES.values() for alias in table}
    names = {"xiaozhen", "data", "towns", "yaml", "csv", "html", "xlsx", "demo", "results", "UTC", "null"}
    names |= {"metadata", "json", "db", "HEAD", "docx"}
    names |= {"Word", "WPS", "Excel"}  # the programs, as a Chinese office names them too
    names |= {part for command in commands() for part in command.split("-")}  # `xiaozhen designate`
    from xiaozhen.problems import CODES

    for code in sorted(CODES, key=len, reverse=True):  # a problem's code is a code
        text = text.replace(code, "")
    text = re.sub(r"(?<![\w-])--?[a-z][a-z-]*", "", text)  # an option is named as it is typed
    words = set(re.findall(r"\b[A-Za-z][A-Za-z_]{2,}\b", text))
    return words - keys - aliases - names - set(allowed)


def git(folder: Path, *args: str) -> str:
    """Run git in `folder` as the office would, with an author of its own; its stdout."""
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "office",
        "GIT_AUTHOR_EMAIL": "office@example.org",
        "GIT_COMMITTER_NAME": "office",
        "GIT_COMMITTER_EMAIL": "office@example.org",
    }
    done = subprocess.run(
        ["git", "-C", str(folder), *args], capture_output=True, text=True, env=env, check=True
    )
    return done.stdout


def committed(folder: Path, *steps: list[str], message: str = "The 2019 annex") -> Path:
    """The office's checkout: a git repository at `folder` whose data/towns.yaml is the shipped registry,
    after the xiaozhen commands `steps` (each an argument list), committed. Its registry's path."""
    registry = folder / "data" / "towns.yaml"
    registry.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SHIPPED, registry)
    for args in steps:
        done = run_process(*args, cwd=folder)
        assert done.returncode == 0, (args, done.stderr)
    git(folder, "init", "-q", "-b", "main")
    git(folder, "add", "data/towns.yaml")
    git(folder, "commit", "-qm", message)
    return registry


def edit_text(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace `old` by `new` in the file, failing if `old` is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def line_of(path: Path, needle: str, after: str | None = None) -> int:
    """The 1-based line of the first `needle`, below the first line holding `after` if given."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = 0
    if after is not None:
        start = next(i for i, line in enumerate(lines) if after in line) + 1
    return next(i for i in range(start, len(lines)) if needle in lines[i]) + 1


def recorded(path: Path, values: dict[str, str]) -> None:
    """Give town 1 (the first `history: []`) the history entry `xiaozhen set` would have written for
    `values` (dotted key: the YAML text of its value), so that data a test types in by hand is not also
    an unrecorded-data warning."""
    before = ", ".join(f"{key}: null" for key in values)
    after = ", ".join(f"{key}: {value}" for key, value in values.items())
    entry = f"{{date: 2020-06-01, event: updated, from: {{{before}}}, to: {{{after}}}}}"
    edit_text(path, "history: []", f"history: [{entry}]")


# --- shared by several test modules (tests import only the package and these helpers) ---------------

RESULTS = "town,year,result,score\n大荒地,2020,达标,91\n3,2020,达标,78\n吉商,2020,不达标,52\n"


def worked_year(run: Run, registry: Path, tmp_path: Path) -> None:
    """The reference's worked year: the 2020 results recorded in 2021, a move, a designation, data."""
    results = tmp_path / "results-2020.csv"
    results.write_text(RESULTS, encoding="utf-8")
    steps = [
        ("assess-import", str(results), "--date", "2021-01-15"),
        ("advance", "3", "--to", "培育类", "--date", "2021-02-01"),
        ("designate", "大荒地", "--date", "2021-03-01"),
        (
            "set",
            "五棵树",
            "leading_industry=玉米深加工",
            "investment.total=30",
            "investment.leading_industry=21.5",
            "--date",
            "2021-03-02",
        ),
        ("set", "五棵树", "investment.total=35", "--date", "2021-04-01"),
    ]
    for step in steps:
        result = run(*step, registry=registry)
        assert result.exit_code == 0, (step, result.stderr)


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    """A repository whose registry has three commits: the annex (tagged v1), the 2020 results, a move."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    folder = tmp_path / "repo"
    (folder / "data").mkdir(parents=True)
    shutil.copyfile(SHIPPED, folder / "data" / "towns.yaml")
    git(folder, "init", "-q", "-b", "main")
    git(folder, "add", "data/towns.yaml")
    git(folder, "commit", "-qm", "The 2019 annex")
    git(folder, "tag", "v1")
    (folder / "r.csv").write_text(RESULTS, encoding="utf-8")
    for step, message in (
        (["assess-import", "r.csv", "--date", "2021-01-15"], "2020 results"),
        (["advance", "3", "--to", "培育类", "--date", "2021-02-01"], "Advance 3"),
    ):
        assert run_process(*step, cwd=folder).returncode == 0
        git(folder, "commit", "-qam", message)
    return folder


STRESS = int(os.environ.get("XIAOZHEN_STRESS", "1"))


def commands() -> list[str]:
    return [c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands]


FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


FIXTURES = Path(__file__).parent / "fixtures" / "assessors"


def issue(run: Run, registry: Path, tmp_path: Path, *args: str) -> Path:
    form = tmp_path / "长春市.xlsx"
    result = run("form", "-p", "长春", "-o", str(form), *args, registry=registry)
    assert result.exit_code == 0, result.stderr
    return form


def fill(form: Path, rows: dict[int, dict[str, Any]], *, out: Path | None = None, **header: Any) -> Path:
    """Fill the form as a county does in Excel: by header, in the town's row; `header` cells by ref."""
    book = load_workbook(form)
    sheet = book["填报表"]
    headers = {cell.value: cell.column for cell in sheet[4]}
    ids = {sheet.cell(r, 1).value: r for r in range(5, sheet.max_row + 1)}
    for town, values in rows.items():
        for heading, value in values.items():
            sheet.cell(ids[town], headers[heading]).value = value
    for ref, value in header.items():
        sheet[ref] = value
    target = out or form
    book.save(target)
    return target


COMPLETE = {
    "主导产业": "汽车零部件",
    "总投资(亿元)": 30,
    "主导产业投资(亿元, 不含商品住宅和商业综合体)": "21.5亿元",
    "建设主体": "长春某某集团有限公司",
    "建设主体性质": "国有企业",
    "规划名称": "红旗绿色智能小镇创建规划",
    "规划批准日期": "2019年6月1日",
    "符合城镇体系规划": "是",
    "符合土地利用总体规划": "√",
    "符合主体功能区规划": "是",
    "符合生态环保要求": "Y",
    "符合保护区相关规定": "是",
    "管理机构": "小镇管委会",
    "资料来源": "2019年创建方案",
}


def libreoffice(to: str, outdir: Path, *sources: Path) -> list[Path]:
    """Each file converted by LibreOffice (`to`: pdf, xlsx …) into `outdir`, as its user's office suite
    opens and saves or prints it; the converted files. Its profile is made under `outdir`."""
    done = subprocess.run(
        ["soffice", "--headless", "--convert-to", to, "--outdir", str(outdir), *map(str, sources)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "HOME": str(outdir)},
    )
    assert done.returncode == 0, done.stderr
    return [outdir / source.with_suffix(f".{to.split(':')[0]}").name for source in sources]
