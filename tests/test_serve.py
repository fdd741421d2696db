"""`xiaozhen serve`: the registry in Datasette, asked over HTTP on 127.0.0.1 as a browser would.

The server is started for one test and stopped by it: the test waits for the line in which uvicorn says
where it listens (never for a fixed time), and a deadline bounds every wait, so a hang fails the test."""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import Run

pytest.importorskip("datasette")

DEADLINE = 120  # seconds: a bound on a hang, not a delay; the waits end as soon as the server answers
LISTENING = re.compile(r"Uvicorn running on (http://127\.0\.0\.1:\d+)")


class Server:
    def __init__(self, process: subprocess.Popen[str], url: str, lines: list[str]) -> None:
        self.process, self.url, self.lines = process, url, lines

    def get(self, path: str) -> Any:
        address = self.url + urllib.parse.quote(path, safe="/?&=_-.:")
        with urllib.request.urlopen(address, timeout=DEADLINE) as response:
            body = response.read().decode("utf-8")
        return json.loads(body) if ".json" in path else body


@pytest.fixture
def server(registry: Path, tmp_path: Path) -> Iterator[Server]:
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    process = subprocess.Popen(
        [sys.executable, "-m", "xiaozhen", "--registry", str(registry), "serve", "--port", "0"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "TMPDIR": str(temporary)},
    )
    assert process.stderr is not None
    lines: list[str] = []
    said: queue.Queue[str | None] = queue.Queue()

    def read(stream: Any) -> None:
        for line in stream:
            said.put(line)
        said.put(None)

    reader = threading.Thread(target=read, args=(process.stderr,), daemon=True)
    reader.start()
    url = None
    try:
        while url is None:
            line = said.get(timeout=DEADLINE)
            assert line is not None, f"serve ended before it listened: {''.join(lines)}"
            lines.append(line)
            found = LISTENING.search(line)
            url = found.group(1) if found else None
        yield Server(process, url, lines)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=DEADLINE)
            except subprocess.TimeoutExpired:
                process.kill()
                raise
        reader.join(timeout=DEADLINE)
        process.stderr.close()
    assert process.returncode == 0, "".join(lines)
    assert list(temporary.iterdir()) == []  # the database it served is removed with the server


def test_serve_shows_the_towns_with_chinese_titles_labels_and_facets(server: Server) -> None:
    about = server.get("/-/metadata.json")
    assert about["title"] == "吉林省特色产业小镇名录"
    assert "吉政办明电〔2019〕5号" in about["source"] and "著作权法" in about["license"]
    towns = server.get("/towns/towns.json?_shape=objects")
    assert towns["filtered_table_rows_count"] == 55
    assert towns["rows"][0]["name"] == "长春市红旗绿色智能小镇"
    facets = {
        name: {f["value"]: f["count"] for f in facet["results"]}
        for name, facet in towns["facet_results"].items()
    }
    assert list(facets) == ["prefecture", "category", "town_type", "status"]
    assert facets["category"] == {"培育类": 27, "规划类": 15, "成长类": 13}
    page = server.get("/towns/towns")
    assert "<h1" in page and ">小镇" in page
    assert 'data-column-description="名称"' in page and 'data-column-description="市(州)"' in page


def test_serve_links_a_town_to_its_stage_and_prefecture_by_name(server: Server) -> None:
    town = server.get("/towns/towns.json?_shape=array&_labels=on&id=5")[0]
    assert town["prefecture"] == {"value": "长春市", "label": "长春市"}
    # and a view lists the stages as the notice does, not in code-point order
    view = server.get("/towns/towns_by_prefecture_and_stage.json?_shape=array&prefecture=长春市")
    assert [row["category"] for row in view] == ["成长类", "培育类", "规划类"]


def test_serve_is_read_only(server: Server) -> None:
    with pytest.raises(urllib.error.HTTPError) as refused:
        server.get("/towns.json?sql=DELETE FROM towns")
    assert refused.value.code == 400
    assert "Statement must be a SELECT" in json.loads(refused.value.read())["error"]
    assert server.get("/towns/towns.json?_shape=objects")["filtered_table_rows_count"] == 55


def test_serve_without_datasette_says_how_to_install_it(
    run: Run, registry: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "datasette.cli", None)  # as if the extra were not installed
    result = run("serve", registry=registry)
    assert result.exit_code == 2
    assert result.stderr.strip().endswith(
        "xiaozhen serve needs Datasette, an optional extra: pip install 'xiaozhen[serve]'"
    )


def test_serve_on_a_port_in_use_exits_2_saying_so(registry: Path, tmp_path: Path) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "xiaozhen", "--registry", str(registry), "serve", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=DEADLINE,
            env={**os.environ, "TMPDIR": str(tmp_path)},
        )
    assert done.returncode == 2
    assert "address already in use" in done.stderr
    assert done.stderr.endswith(
        f"xiaozhen: could not serve on 127.0.0.1:{port} (Datasette's message is above)\n"
    )
    assert [p for p in tmp_path.iterdir() if p.name.startswith("xiaozhen-serve-")] == []
