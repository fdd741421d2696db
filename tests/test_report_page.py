"""The yearly report's page as the office publishes it, in Chromium: read on a phone (390 px) and on a
desktop (1280 px), with its words measured in the browser, and printed on A4 with no table split."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from conftest import FLAGS, Run, worked_year
from xiaozhen.reports import report_tables

BROWSER = shutil.which("chromium") or shutil.which("chromium-headless-shell")
pytestmark = pytest.mark.skipif(BROWSER is None, reason="no Chromium installed (.ci/run installs it)")

# The page in a frame as wide as the screen (headless Chromium's window is at least 500 px wide), as it
# is (its policy forbids scripts in it); the frame's parent measures it as laid out and writes what it
# found into its own page for --dump-dom to carry out: each chart word's and table cell's font size in
# CSS pixels, how far the page overflows the screen, and whether wide tables keep their first column.
FRAME = """<!doctype html><html><body style="margin:0">
<iframe id="page" style="border:0" width="{width}" height="900" srcdoc="{page}"></iframe>
<script>
window.addEventListener('load', () => {{
  const doc = document.getElementById('page').contentDocument, win = doc.defaultView;
  // A word's size as drawn: its font size, times the scale of the SVG it is in, if any.
  const drawn = (e) => parseFloat(win.getComputedStyle(e).fontSize)
    * (e.ownerSVGElement ? e.ownerSVGElement.getScreenCTM().a : 1);
  const words = 'figure *, td, th, footer p';
  const sizes = [...doc.querySelectorAll(words)]
    .filter((e) => e.childElementCount === 0 && e.textContent.trim())
    .map((e) => [e.textContent.trim(), drawn(e)]);
  const labels = [...doc.querySelectorAll('figure [data-chart] .label, figure[data-chart] .label')]
    .map((e) => e.textContent);
  const sticky = [...doc.querySelectorAll('.scroll tr')]
    .every((r) => [...r.children].some((e) => win.getComputedStyle(e).position === 'sticky'));
  const kept = [...doc.querySelectorAll('[data-table="名单"] td.keep')].map((e) => e.textContent);
  const out = document.createElement('pre');
  out.id = 'measured';
  out.textContent = JSON.stringify({{
    width: win.innerWidth, sizes, sticky, kept, labels, overflow: doc.documentElement.scrollWidth - win.innerWidth,
  }});
  document.body.append(out);
}});
</script></body></html>
"""


def page(run: Run, registry: Path, tmp_path: Path) -> Path:
    worked_year(run, registry, tmp_path)
    path = tmp_path / "report.html"
    assert run("report", "--format", "html", "-o", str(path), registry=registry).exit_code == 0
    return path


def browse(*args: str, profile: Path) -> subprocess.CompletedProcess[str]:
    assert BROWSER is not None
    done = subprocess.run(
        [BROWSER, *FLAGS, f"--user-data-dir={profile}", *args], capture_output=True, text=True, timeout=180
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done


@pytest.mark.parametrize("width", [390, 1280])
def test_the_page_reads_at_a_phone_s_and_a_desktop_s_width(
    run: Run, registry: Path, tmp_path: Path, width: int
) -> None:
    built = page(run, registry, tmp_path)
    measuring = tmp_path / "measuring.html"
    text = html.escape(built.read_text(encoding="utf-8"), quote=True)
    measuring.write_text(FRAME.format(width=width, page=text), encoding="utf-8")
    dom = browse(
        "--window-size=1400,1000",
        "--virtual-time-budget=10000",
        "--dump-dom",
        measuring.as_uri(),
        profile=tmp_path / "profile",
    ).stdout
    found = re.search(r'<pre id="measured">(.*?)</pre>', dom, re.S)
    assert found is not None
    measured: dict[str, Any] = json.loads(html.unescape(found.group(1)))
    assert measured["width"] == width
    assert measured["overflow"] <= 0  # the page never scrolls sideways; a wide table scrolls in its box
    assert measured["sticky"]  # and keeps a column of each row in view as it does: the town's name in 名单
    assert "长春市吉商小镇" in measured["kept"]
    assert {"长春市", "长白山保护开发区", "成长类 期初", "<60"} <= set(measured["labels"])
    words = {word for word, _ in measured["sizes"]}
    assert {
        "长春市",
        "长白山保护开发区",
        "成长类",
        "达标",
        "发布单位：吉林省新型城镇化工作领导小组办公室",
    } <= words
    small = [(word, size) for word, size in measured["sizes"] if size < 11]
    assert small == []  # every chart label, count and table cell at 11 CSS px or more


def pages_of(pdf: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, timeout=120, check=True
    ).stdout
    return ["".join(p.split()) for p in text.split("\f")[:-1]]


LONG = 30  # rows: a table this long may run onto another page (the towns not assessed in 名单)


def row_text(row: list[Any]) -> str:
    return "".join("" if v is None else "".join(str(v).split()) for v in row)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="no poppler-utils (.ci/run installs it)")
def test_the_page_prints_on_a4_with_no_table_split_and_its_footer(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    built = page(run, registry, tmp_path)
    pdf = tmp_path / "report.pdf"
    browse("--no-pdf-header-footer", f"--print-to-pdf={pdf}", built.as_uri(), profile=tmp_path / "profile")
    pages = pages_of(pdf)
    assert len(pages) >= 2
    report = json.loads(run("report", "--format", "json", registry=registry).stdout)
    for table in report_tables.tables(report):
        if not table.rows or table.key == "概况":  # the headline is said once, as the figures above
            continue
        # a row's first cells: a long message wraps, and the PDF's text interleaves its lines
        start = "".join(table.headers) + row_text(table.rows[0][:3])
        on = [i for i, p in enumerate(pages) if start in p]
        assert on, (table.key, start)
        last = row_text(table.rows[-1][:3])
        if len(table.rows) <= LONG:
            # the header, the first row and the last row on one page: the table is not split
            assert any(last in pages[i][pages[i].index(start) :] for i in on), table.key
        else:  # longer than a page: on each page it runs onto, its header again
            ends = next(i for i in range(on[0], len(pages)) if last in pages[i])
            assert all("".join(table.headers) in pages[i] for i in range(on[0], ends + 1)), table.key
    assert "数据截至：2021-04-01" in pages[-1] and "发布单位：吉林省新型城镇化工作领导小组办公室" in pages[-1]
