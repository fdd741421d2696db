"""Start-up is the product's latency: a command imports only what it needs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SHIPPED

# Run a command, then print the modules it imported (on stderr, after the command's own output).
IMPORTED = (
    "import json, sys\n"
    "from xiaozhen.cli import main\n"
    "sys.argv = ['xiaozhen', *sys.argv[1:]]\n"
    "try:\n    main()\nexcept SystemExit:\n    pass\n"
    "sys.stderr.write('\\n' + json.dumps(sorted(sys.modules)))\n"
)


def imported(*args: str, cache: Path, env: dict[str, str] | None = None) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", IMPORTED, *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={"XDG_CACHE_HOME": str(cache), "PATH": "", **(env or {})},
    )
    return set(json.loads(done.stderr.splitlines()[-1]))


def top(modules: set[str]) -> set[str]:
    return {m.split(".")[0] for m in modules}


def test_help_imports_neither_the_schema_nor_the_yaml_libraries(tmp_path: Path) -> None:
    modules = imported("--help", cache=tmp_path)
    assert not modules & {"pydantic", "ruamel.yaml", "yaml", "openpyxl", "xiaozhen.store.locking"}
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
    assert "xiaozhen.rules.check" not in warm and "xiaozhen.model.schema" not in warm
    assert not warm & {
        "xiaozhen.store.locking",
        "xiaozhen.store.diff",
        "xiaozhen.actions.lifecycle",
    }  # only an edit needs them


def test_the_cli_modules_give_typer_real_annotations() -> None:
    """typer builds every command at each start; string annotations (PEP 563) it would evaluate each time."""
    folder = Path(__file__).resolve().parents[1] / "src" / "xiaozhen" / "cli"
    for module in folder.glob("*.py"):
        lines = module.read_text(encoding="utf-8").splitlines()
        assert "from __future__ import annotations" not in lines, module.name


def test_a_read_takes_no_lock(tmp_path: Path) -> None:
    modules = imported("validate", cache=tmp_path)
    assert "xiaozhen.store.locking" not in modules  # only an edit takes the lock


def test_a_mistyped_command_is_still_told_the_closest(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "xiaozhen", "vaildate"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert "no command 'vaildate'; did you mean 'validate'?" in done.stderr


def test_pydantic_is_not_sent_looking_for_plugins(tmp_path: Path) -> None:
    """xiaozhen uses no pydantic plugins, and says so with pydantic's switch (PYDANTIC_DISABLE_PLUGINS),
    so that a command does not read every installed package's entry points; a user's setting is kept."""
    probe = (
        "import os, sys; sys.argv = ['xiaozhen', 'validate', sys.argv[1]]\n"
        "from xiaozhen.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    print(os.environ['PYDANTIC_DISABLE_PLUGINS'], file=sys.stderr)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    for given, kept in ((None, "__all__"), ("some_plugin", "some_plugin")):
        done = subprocess.run(
            [sys.executable, "-c", probe, str(SHIPPED)],
            capture_output=True,
            text=True,
            env={
                **env,
                "XDG_CACHE_HOME": str(tmp_path),
                **({"PYDANTIC_DISABLE_PLUGINS": given} if given else {}),
            },
            timeout=60,
        )
        assert done.stderr.splitlines()[-1] == kept
