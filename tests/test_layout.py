"""The folders show the layers: a module imports only from its own layer or the layers below it, so that a
change to the model never needs the CLI, and a newcomer can tell from a module's folder what it may use."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "xiaozhen"
# From the bottom up; "" is the modules at the package's top, which every layer uses.
LAYERS = ["", "model", "rules", "store", "actions", "sheets", "reports", "cli"]


def layer(module: str) -> int:
    parts = module.split(".")
    return LAYERS.index(parts[1]) if len(parts) > 1 and parts[1] in LAYERS else 0


def imported(source: Path) -> set[str]:
    """The xiaozhen modules (or packages) a source file imports, at its top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("xiaozhen"):
            module = node.module or ""
            found |= {f"xiaozhen.{a.name}" for a in node.names} if module == "xiaozhen" else {module}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("xiaozhen")}
    return found


def test_every_layer_is_a_folder_and_every_folder_a_layer() -> None:
    folders = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert folders == set(LAYERS) - {""}


def test_no_module_imports_from_a_layer_above_its_own() -> None:
    upward = []
    for source in PACKAGE.rglob("*.py"):
        if source.name == "__main__.py":
            continue  # `python -m xiaozhen` runs the CLI
        module = ".".join(source.relative_to(PACKAGE.parent).with_suffix("").parts)
        upward += [f"{module} -> {target}" for target in imported(source) if layer(target) > layer(module)]
    assert upward == []


def test_no_two_classes_share_a_name() -> None:
    """A class is found by its name: one name, one class, wherever it is imported."""
    where: dict[str, list[str]] = {}
    for source in PACKAGE.rglob("*.py"):
        for node in ast.parse(source.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ClassDef):
                where.setdefault(node.name, []).append(source.relative_to(PACKAGE).as_posix())
    assert {name: files for name, files in where.items() if len(files) > 1} == {}


# A module a reader takes in at one sitting: about 400 lines, a few dozen more where splitting would part
# what belongs together.
MOST_LINES = 480


def test_no_module_is_far_past_400_lines() -> None:
    long = {
        source.relative_to(PACKAGE).as_posix(): lines
        for source in PACKAGE.rglob("*.py")
        if (lines := len(source.read_text(encoding="utf-8").splitlines())) > MOST_LINES
    }
    assert long == {}
