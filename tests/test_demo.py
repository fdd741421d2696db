"""`xiaozhen demo` (`make demo`): a worked sample year on a copy of the registry, marked as sample data in
the copy and in every report made from it; the registry it copies is only read."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import SHIPPED, Run, run_process


def test_the_demo_builds_a_marked_sample_year_and_its_report(registry: Path, tmp_path: Path) -> None:
    before = registry.read_bytes(), registry.stat().st_mtime_ns
    folder = tmp_path / "demo"
    folder.mkdir()
    # A checkout's demo folder holding modules named like xiaozhen's dependencies: none of them runs.
    planted = tmp_path / "planted"
    for module in ("typer", "yaml", "pydantic", "rich", "openpyxl"):
        (folder / f"{module}.py").write_text(
            f"open({str(planted)!r}, 'a').write('{module}')\n", encoding="utf-8"
        )
    done = run_process("--registry", str(registry), "demo", "--output", str(folder))
    assert done.returncode == 0, done.stderr
    assert not planted.exists()
    assert (registry.read_bytes(), registry.stat().st_mtime_ns) == before  # only read
    assert (
        done.stdout.splitlines()[0]
        == "results-2020.csv: 55 rows; 55 recorded, 0 already recorded, 5 towns exited"
    )
    page = folder / "2020年度评估情况（示例数据）.html"
    book = folder / "2020年度评估情况（示例数据）.xlsx"
    document = folder / "2020年度评估情况（示例数据）.docx"
    assert done.stderr.splitlines()[-3:] == [f"wrote {page}", f"wrote {book}", f"wrote {document}"]
    sample = folder / "towns.yaml"
    assert run_process("validate", str(sample)).returncode == 0
    text = page.read_text(encoding="utf-8")
    assert "<title>【示例数据】2020年度吉林省特色产业小镇评估情况</title>" in text
    assert (
        "<p>示例数据：2020年度评估结果及其后的退出、升级、认定均为演示用的虚构数据，不是真实的评估结果</p>"
        in text
    )
    from openpyxl import load_workbook

    cover = load_workbook(book)["报告"]
    assert cover["A1"].value == "【示例数据】2020年度吉林省特色产业小镇评估情况"
    assert any(str(row[0].value).startswith("示例数据：") for row in cover.iter_rows())
    from docx import Document

    paragraphs = [p.text for p in Document(str(document)).paragraphs]
    assert paragraphs[0] == "【示例数据】2020年度吉林省特色产业小镇评估情况"
    assert paragraphs[-1].startswith("（示例数据：2020年度评估结果")
    report = json.loads(run_process("--registry", str(sample), "report", "--format", "json").stdout)
    assert report["title"].startswith("【示例数据】") and report["about"]["sample"].startswith("2020年度")
    assert (report["headline"]["assessed"], report["headline"]["exited"]) == (55, 5)
    # a second run replaces the earlier sample, the same again
    again = run_process("--registry", str(registry), "demo", "--output", str(folder))
    assert again.returncode == 0 and again.stdout == done.stdout


def test_the_demo_never_writes_over_a_registry(run: Run, registry: Path, tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    shutil.copyfile(SHIPPED, real / "towns.yaml")
    refused = run("demo", "--output", str(real), registry=registry)
    assert refused.exit_code == 2
    assert f"{real / 'towns.yaml'} is a registry, not an earlier sample" in refused.stderr
    assert (real / "towns.yaml").read_bytes() == SHIPPED.read_bytes()
    device = tmp_path / "device"
    device.mkdir()
    (device / "towns.yaml").symlink_to("/dev/zero")  # read whole, it would never end
    linked = run("demo", "--output", str(device), registry=registry)
    assert linked.exit_code == 2
    assert f"{device / 'towns.yaml'}: is a symbolic link, not a registry file" in linked.stderr
    itself = run("demo", "--output", str(tmp_path), registry=registry)
    assert itself.exit_code == 2 and "that is where the registry is" in itself.stderr
    assert registry.read_bytes() == SHIPPED.read_bytes()


def test_a_sample_registry_s_exports_say_they_hold_sample_data(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    """Every export that has a title says 示例数据: the Markdown's heading, the workbook (its title and a
    first sheet saying what the sample is) and the database's Datasette pages; the JSON carries the
    registry's own `sample`."""
    from openpyxl import load_workbook

    from xiaozhen.reports.demo import marked

    registry.write_text(marked(registry.read_text(encoding="utf-8")), encoding="utf-8")
    markdown = run("export", "-f", "md", registry=registry).stdout
    assert markdown.startswith("# 【示例数据】吉政办明电〔2019〕5号 特色产业小镇名录 (55)")
    book_path, db_path = tmp_path / "towns.xlsx", tmp_path / "towns.db"
    assert run("export", "-f", "xlsx", "-o", str(book_path), registry=registry).exit_code == 0
    book = load_workbook(book_path)
    assert book.properties.title == "【示例数据】特色产业小镇名录" and book.sheetnames[:2] == [
        "示例数据",
        "小镇",
    ]
    assert str(book["示例数据"]["A2"].value).startswith("2020年度")
    assert run("export", "-f", "sqlite", "-o", str(db_path), registry=registry).exit_code == 0
    metadata = json.loads((tmp_path / "towns.metadata.json").read_text(encoding="utf-8"))
    assert metadata["title"].startswith("【示例数据】") and metadata["description"].startswith(
        "示例数据：2020年度"
    )
    assert metadata["databases"]["towns"]["title"].startswith("【示例数据】")
    exported = json.loads(run("export", "-f", "json", registry=registry).stdout)
    assert exported["registry"]["sample"].startswith("2020年度")
