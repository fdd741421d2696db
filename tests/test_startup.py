"""Start-up is the product's latency: a command imports only what it needs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

# Run a command, then print the modules it imported (on stderr, after the command's own output).
IMPORTED = (
    "import json, sys\n"
    "from xiaozhen.cli import main\n"
    "sys.argv = ['xiaozhen', *sys.argv[1:]]\n"
    "try:\n    main()\nexcept SystemExit:\n    pass\n"
    "sys.stderr.write('\\n' + json.dumps(sorted(sys.modules)))\n"
)


def imported(*args: str, cache: Path) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", IMPORTED, *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={"XDG_CACHE_HOME": str(cache), "PATH": ""},
    )
    return set(json.loads(done.stderr.splitlines()[-1]))


def top(modules: set[str]) -> set[str]:
    return {m.split(".")[0] for m in modules}


def test_help_imports_neither_the_schema_nor_the_yaml_libraries(tmp_path: Path) -> None:
    modules = top(imported("--help", cache=tmp_path))
    assert not modules & {"pydantic", "ruamel", "yaml", "openpyxl", "filelock"}
    assert "xiaozhen" in modules


@pytest.mark.parametrize(
    "command",
    [["list", "--format", "json"], ["tally", "--format", "csv"], ["show", "13", "--format", "json"]],
)
def test_a_json_answer_imports_no_terminal_rendering(tmp_path: Path, command: list[str]) -> None:
    cold = imported(*command, cache=tmp_path)
    assert "rich" not in top(cold)
    warm = imported(*command, cache=tmp_path)  # answered from the cache: no YAML parser, no schema rules
    assert not top(warm) & {"rich", "ruamel", "yaml", "openpyxl"}
    assert "xiaozhen.rules" not in warm and "xiaozhen.model" not in warm
    assert not warm & {"filelock", "xiaozhen.diff", "xiaozhen.lifecycle"}  # only an edit needs them


def test_the_cli_modules_give_typer_real_annotations() -> None:
    """typer builds every command at each start; string annotations (PEP 563) it would evaluate each time."""
    folder = Path(__file__).resolve().parents[1] / "src" / "xiaozhen" / "cli"
    for module in folder.glob("*.py"):
        lines = module.read_text(encoding="utf-8").splitlines()
        assert "from __future__ import annotations" not in lines, module.name
