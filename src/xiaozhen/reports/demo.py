"""A worked sample year (`xiaozhen demo`): a copy of the registry, marked as sample data, through which
the commands an analyst runs take one assessment year — results imported, the failing towns exited,
stage moves, designations — and the report on it as a page and a workbook. The registry it copies is
only read.

Every result in it is invented, by a fixed rule (so that each run gives the same sample), and says so:
`registry.sample` in the copy, 示例数据 in the title and footer of each report made from it."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from xiaozhen.errors import BadValue, XiaozhenError
from xiaozhen.i18n import _
from xiaozhen.store.registry import read_bytes

YEAR = 2020
NOTE = f"{YEAR}年度评估结果及其后的退出、升级、认定均为演示用的虚构数据，不是真实的评估结果"
ASSESSOR = "示例评估机构"
REGISTRY = "towns.yaml"
RESULTS = f"results-{YEAR}.csv"
REPORT = f"{YEAR}年度评估情况（示例数据）"


def score(town_id: int) -> int:
    """An invented score, 55 to 99, fixed by the town's id: about one town in nine falls below 60."""
    return 55 + (town_id * 37) % 45


def sampled(towns: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The towns the sample year takes: those in creation with nothing recorded yet (a registry already
    worked on keeps what it holds, and the sample's edits never predate it)."""
    return [t for t in towns if t["status"] == "创建中" and not t.get("history") and not t.get("assessments")]


def sample_results(towns: list[dict[str, Any]]) -> str:
    """The sample year's results as an assessor's CSV: every sampled town, 达标 at 60 or more."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["town", "year", "result", "score", "assessor"])
    for town in sampled(towns):
        points = score(town["id"])
        writer.writerow([town["id"], YEAR, "达标" if points >= 60 else "不达标", points, ASSESSOR])
    return out.getvalue()


def marked(text: str) -> str:
    """The registry's text with `registry.sample` set: the copy says what it is."""
    from xiaozhen.store.roundtrip import dump, load

    document = load(text)
    # First in the block, where a reader of the file sees it first (and clear of the comment that
    # follows the block's last key, which ruamel would put the key after).
    document["registry"].insert(0, "sample", NOTE)
    return str(dump(document))


def steps(towns: list[dict[str, Any]]) -> list[list[str]]:
    """The sample year's edits, as an analyst types them: the results recorded in January; the best
    planning-stage towns (90 or more) moved up in March; the best growth-stage towns designated in June,
    but a 建制镇, which 国办发〔2020〕33号 forbids naming a characteristic town."""
    passing = [t for t in sampled(towns) if score(t["id"]) >= 60]
    moves = [t for t in passing if t["category"] == "规划类" and score(t["id"]) >= 90]
    designations = [
        t
        for t in passing
        if t["category"] == "成长类" and score(t["id"]) >= 90 and t["town_type"] != "建制镇"
    ]
    edits = [["assess-import", RESULTS, "--date", f"{YEAR + 1}-01-15"]]
    edits += [["advance", str(t["id"]), "--date", f"{YEAR + 1}-03-01"] for t in moves]
    edits += [["designate", str(t["id"]), "--date", f"{YEAR + 1}-06-30"] for t in designations]
    return edits


def refuse_a_real_registry(folder: Path, source: Path) -> None:
    """The folder may hold an earlier sample, which is replaced; never a registry of real data."""
    target = folder / REGISTRY
    if not target.exists():
        return
    if target.resolve() == source.resolve():
        raise BadValue(
            _("{folder}: that is where the registry is; give the demo a folder of its own").format(
                folder=folder
            )
        )
    # Read as every registry is (regular files only, bounded): a link to a device or a FIFO is refused.
    text = read_bytes(target).decode("utf-8", errors="replace")
    if not re.search(r"^\s+sample:", text, re.M):
        raise BadValue(
            _("{target} is a registry, not an earlier sample: give the demo another folder").format(
                target=target
            )
        )


def run(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """One xiaozhen command on the sample registry, as a separate process in its folder, as the analyst
    would run it there. Isolated (-I): the folder is not on its sys.path, nor are PYTHONPATH and the
    user's site-packages, so a typer.py or yaml.py left in it never runs."""
    done = subprocess.run(
        [sys.executable, "-I", "-m", "xiaozhen", "--registry", REGISTRY, *args],
        cwd=folder,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    if done.returncode != 0:
        raise XiaozhenError(
            _("demo: xiaozhen {value} failed: {value2}").format(
                value=" ".join(args), value2=done.stderr.strip()
            )
        )
    return done
