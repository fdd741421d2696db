"""`make bench`: time whole xiaozhen processes against baselines, in one run, and write RESULTS.md.

Each row runs the command and its baseline alternately, in fresh processes, and compares medians, so
that whatever else the machine is doing weighs on both. Ratios, not seconds, are the result.
"""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "data"
BIN = Path(sys.executable).parent
XIAOZHEN = [str(BIN / "xiaozhen")]
PYTHON = [sys.executable]
CACHE = DATA / "cache"


@dataclass
class Sample:
    seconds: float
    peak_kb: int
    code: int


def measure(argv: list[str], env: dict[str, str] | None = None) -> Sample:
    """Wall time and peak resident memory of one process."""
    started = time.perf_counter()
    process = subprocess.Popen(
        argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, **(env or {})}
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    return Sample(elapsed, usage.ru_maxrss, os.waitstatus_to_exitcode(status))


@dataclass
class Row:
    what: str
    against: str
    command: list[str]
    baseline: list[str]
    target: float
    prepare: Callable[[], None] = lambda: None
    env: dict[str, str] = field(default_factory=dict)
    # The baseline measured by another row (the round trip of 1,600 towns takes most of a minute a run).
    same_baseline_as: Row | None = None
    memory: bool = False  # compare peak resident memory instead of time
    # A fraction of a second a run, where the machine's noise weighs most: run four times as often.
    start_up: bool = False
    ours: list[Sample] = field(default_factory=list)
    theirs: list[Sample] = field(default_factory=list)

    def runs(self, repeat: int) -> int:
        """Start-up rows are repeated more, rows of many seconds a run less."""
        if self.start_up:
            return 4 * repeat
        if any(slow in self.what for slow in ("advance",)):
            return max(3, repeat // 2)
        return repeat

    def run(self, repeat: int) -> None:
        for _ in range(repeat):
            self.prepare()
            self.ours.append(measure(self.command, self.env))
            if self.same_baseline_as is None:
                self.prepare()
                self.theirs.append(measure(self.baseline, self.env))
        if self.same_baseline_as is not None:
            self.theirs = self.same_baseline_as.theirs
        failed = [s.code for s in self.ours if s.code != 0]
        if failed:
            raise SystemExit(f"{self.what}: `{' '.join(self.command)}` exited {failed[0]}")

    @property
    def median(self) -> tuple[float, float]:
        if self.memory:
            return max(s.peak_kb for s in self.ours), max(s.peak_kb for s in self.theirs)
        return statistics.median(s.seconds for s in self.ours), statistics.median(
            s.seconds for s in self.theirs
        )

    @property
    def ratio(self) -> float:
        ours, theirs = self.median
        return ours / theirs


def clear_cache() -> None:
    shutil.rmtree(CACHE, ignore_errors=True)


def generate() -> dict[int, Path]:
    files = {}
    for count in (55, 1600):
        path = DATA / f"towns-{count}.yaml"
        subprocess.run([*PYTHON, str(HERE / "generate.py"), str(count), str(path)], check=True)
        files[count] = path
    # A second version of the 1,600 towns, a year's update later, for `diff`: 20 towns advanced.
    later = DATA / "towns-1600-later.yaml"
    shutil.copyfile(files[1600], later)
    advance = ["advance", *map(str, range(1, 21)), "--date", "2026-02-01"]
    subprocess.run([*XIAOZHEN, "--registry", str(later), *advance], check=True, stdout=subprocess.DEVNULL)
    files[-1600] = later
    # Returned forms, one a prefecture: of the shipped registry, every second town's 管理机构 filled in;
    # of the 1,600 towns, every tenth town's (the forms hold their towns in creation).
    shipped = ROOT / "data" / "towns.yaml"
    for registry, folder, every in ((shipped, "forms-55", "2"), (files[1600], "forms-1600", "10")):
        shutil.rmtree(DATA / folder, ignore_errors=True)
        filled = [*PYTHON, str(HERE / "forms.py"), str(registry), str(DATA / folder), every]
        subprocess.run(filled, check=True)
    schema = subprocess.run([*XIAOZHEN, "schema"], check=True, capture_output=True, text=True).stdout
    (DATA / "schema.json").write_text(schema, encoding="utf-8")
    return files


def rows(files: dict[int, Path]) -> list[Row]:
    cold = {"XDG_CACHE_HOME": str(CACHE)}
    shipped = str(ROOT / "data" / "towns.yaml")
    floor = [*PYTHON, str(HERE / "floor.py")]
    checker = [str(BIN / "check-jsonschema"), "--schemafile", str(DATA / "schema.json")]
    c_loader = [*PYTHON, "-c", "import sys, yaml; yaml.load(open(sys.argv[1]), Loader=yaml.CSafeLoader)"]
    work = DATA / "work-1600.yaml"
    work_shipped = DATA / "work-55.yaml"

    def fresh_copy() -> None:
        shutil.copyfile(files[1600], work)

    def fresh(copy: Path, original: Path | str) -> Callable[[], None]:
        """An edit row edits a fresh copy, cold (no read cache)."""

        def prepare() -> None:
            clear_cache()
            shutil.copyfile(original, copy)

        return prepare

    def one_town(path: Path, town: int) -> list[str]:
        setting = ["set", str(town), "management=某管委会", "--date", "2026-02-01"]
        return [*XIAOZHEN, "--registry", str(path), *setting]

    def warm(path: Path | str) -> Callable[[], None]:
        """Read `path` once, so that the measured read is a second run (from the read cache)."""

        def read() -> None:
            argv = [*XIAOZHEN, "--registry", str(path), "list", "-f", "json"]
            subprocess.run(argv, env={**os.environ, **cold}, stdout=subprocess.DEVNULL, check=True)

        return read

    advance = [
        *XIAOZHEN,
        "--registry",
        str(work),
        "advance",
        *map(str, range(1, 101)),
        "--date",
        "2026-02-01",
    ]
    round_trip = Row(
        "`xiaozhen advance` of 100 towns in one command, 1,600 towns",
        "a plain ruamel round-trip load + dump",
        advance,
        [*PYTHON, str(HERE / "roundtrip.py"), str(work)],
        0.15,
        fresh_copy,
        cold,
    )

    def forms(folder: str) -> list[str]:
        return sorted(str(p) for p in (DATA / folder).glob("*.xlsx"))

    work_forms = DATA / "work-forms-55.yaml"
    collect = ["collect", "--date", "2026-02-01"]
    form_rows = [
        Row(
            "`xiaozhen form` of the 55 towns, shipped registry, cold",
            "`xiaozhen validate` of it, cold",
            [*XIAOZHEN, "--registry", shipped, "form", "-o", str(DATA / "form-55.xlsx")],
            [*XIAOZHEN, "validate", shipped],
            2.0,
            clear_cache,
            cold,
        ),
        Row(
            "`xiaozhen collect` of 12 returned forms, shipped registry (every second town's data), cold",
            "`xiaozhen validate` of it, cold",
            [*XIAOZHEN, "--registry", str(work_forms), *collect, *forms("forms-55")],
            [*XIAOZHEN, "validate", shipped],
            2.0,
            fresh(work_forms, shipped),
            cold,
        ),
        Row(
            "`xiaozhen collect` of 12 forms covering 1,600 towns (every tenth town's data), cold",
            "`xiaozhen validate` of them, cold",
            [*XIAOZHEN, "--registry", str(work), *collect, *forms("forms-1600")],
            [*XIAOZHEN, "validate", str(files[1600])],
            3.0,
            fresh(work, files[1600]),
            cold,
        ),
    ]
    return [
        Row(
            "`xiaozhen list --format json`, shipped registry",
            "a one-command typer app printing `[]`",
            [*XIAOZHEN, "--registry", shipped, "list", "--format", "json"],
            floor,
            1.25,
            warm(shipped),
            cold,
            start_up=True,
        ),
        Row(
            "`xiaozhen --help`",
            "that app's `--help`",
            [*XIAOZHEN, "--help"],
            [*floor, "--help"],
            1.25,
            start_up=True,
        ),
        Row(
            "`xiaozhen validate`, 55 towns, cold",
            "`check-jsonschema --schemafile`",
            [*XIAOZHEN, "validate", str(files[55])],
            [*checker, str(files[55])],
            0.25,
            clear_cache,
            cold,
            start_up=True,
        ),
        Row(
            "`xiaozhen validate` of the shipped registry, every rulebook in force (33号, the 导则), cold",
            "`xiaozhen validate --rules 吉政办明电〔2019〕5号` of it: the notice alone, cold",
            [*XIAOZHEN, "validate", shipped],
            [*XIAOZHEN, "validate", shipped, "--rules", "吉政办明电〔2019〕5号"],
            1.1,
            clear_cache,
            cold,
            start_up=True,
        ),
        Row(
            "`xiaozhen validate`, 1,600 towns, cold",
            "`check-jsonschema --schemafile`",
            [*XIAOZHEN, "validate", str(files[1600])],
            [*checker, str(files[1600])],
            0.25,
            clear_cache,
            cold,
        ),
        Row(
            "`xiaozhen validate`, 1,600 towns, cold",
            "PyYAML's C loader",
            [*XIAOZHEN, "validate", str(files[1600])],
            [*c_loader, str(files[1600])],
            0.5,
            clear_cache,
            cold,
        ),
        Row(
            "`xiaozhen list --format json`, 1,600 towns, second run",
            "PyYAML's C loader",
            [*XIAOZHEN, "--registry", str(files[1600]), "list", "--format", "json"],
            [*c_loader, str(files[1600])],
            0.1,
            warm(files[1600]),
            cold,
        ),
        Row(
            "`xiaozhen diff` of two versions, 1,600 towns, cold",
            "`xiaozhen validate` of one version, cold",
            [*XIAOZHEN, "diff", str(files[1600]), str(files[-1600])],
            [*XIAOZHEN, "validate", str(files[1600])],
            2.5,
            clear_cache,
            cold,
        ),
        Row(
            "`xiaozhen list --as-of`, 1,600 towns, second run",
            "`xiaozhen list` of it, second run",
            [*XIAOZHEN, "--registry", str(files[1600]), "list", "-f", "json", "--as-of", "2022-06-30"],
            [*XIAOZHEN, "--registry", str(files[1600]), "list", "-f", "json"],
            1.2,
            warm(files[1600]),
            cold,
        ),
        *(
            Row(
                f"`xiaozhen report --format {fmt}`, 1,600 towns, cold",
                "`xiaozhen validate` of it, cold",
                [
                    *XIAOZHEN,
                    "--registry",
                    str(files[1600]),
                    "report",
                    "--year",
                    "2023",
                    "--format",
                    fmt,
                    *(["-o", str(DATA / f"report.{fmt}")] if fmt in ("html", "xlsx", "docx") else []),
                ],
                [*XIAOZHEN, "validate", str(files[1600])],
                target,
                clear_cache,
                cold,
            )
            for fmt, target in (("json", 2.0), ("html", 3.0), ("xlsx", 3.0), ("docx", 3.0))
        ),
        Row(
            "`xiaozhen validate`, shipped registry, cold",
            "a one-command typer app printing `[]`",
            [*XIAOZHEN, "validate", shipped],
            floor,
            1.25,
            clear_cache,
            cold,
            start_up=True,
        ),
        Row(
            "one-town `xiaozhen set`, shipped registry, cold",
            "`xiaozhen validate` of it, cold",
            one_town(work_shipped, 28),
            [*XIAOZHEN, "validate", str(work_shipped)],
            1.3,
            fresh(work_shipped, shipped),
            cold,
            start_up=True,
        ),
        round_trip,
        Row(
            "one-town `xiaozhen set`, 1,600 towns, cold",
            "a plain ruamel round-trip load + dump",
            one_town(work, 1000),
            [],
            0.1,
            fresh(work, files[1600]),
            cold,
            same_baseline_as=round_trip,
        ),
        Row(
            "peak memory of a one-town `xiaozhen set`, 1,600 towns, cold",
            "`xiaozhen validate` of it, cold",
            one_town(work, 1000),
            [*XIAOZHEN, "validate", str(work)],
            1.2,
            fresh(work, files[1600]),
            cold,
            memory=True,
        ),
        *form_rows,
    ]


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = subprocess.run(
        [*PYTHON, "-m", "pip", "list", "--format", "freeze"], capture_output=True, text=True
    ).stdout
    keep = ("typer", "pydantic", "PyYAML", "ruamel.yaml", "rich", "check-jsonschema")
    packages = ", ".join(line for line in versions.splitlines() if line.split("==")[0] in keep)
    return (
        f"{platform.system()} {platform.machine()}, {cpu}, {os.cpu_count()} cores; "
        f"Python {platform.python_version()}; {packages}"
    )


def table(results: list[Row], memory: tuple[int, int], absolute: list[tuple[str, float, float]]) -> str:
    lines = [
        "| what | against (same file, fresh process) | ours (median s) | baseline (median s) "
        "| ratio | target | met |",
        "| --- | --- | ---: | ---: | ---: | ---: | :---: |",
    ]
    for row in results:
        ours, theirs = row.median
        met = "yes" if row.ratio <= row.target else "**no**"
        if row.memory:
            shown = [f"{ours / 1024:.0f} MiB", f"{theirs / 1024:.0f} MiB"]
        else:
            shown = [f"{ours:.3f}", f"{theirs:.3f}"]
        figures = f"{shown[0]} | {shown[1]} | {row.ratio:.2f} | ≤ {row.target} | {met}"
        lines.append(f"| {row.what} | {row.against} | {figures} |")
    ratio = memory[0] / memory[1]
    lines.append(
        "| peak memory of `validate`, 1,600 towns, cold | the C loader's peak | "
        f"{memory[0] / 1024:.0f} MiB | "
        f"{memory[1] / 1024:.0f} MiB | {ratio:.2f} | ≤ 1.5 | {'yes' if ratio <= 1.5 else '**no**'} |"
    )
    # The seconds a person waits at the largest size that exists (#28): stated, not a ratio.
    for what, seconds, most in absolute:
        met = "yes" if seconds <= most else "**no**"
        lines.append(f"| {what}, on this machine | — | {seconds:.3f} | — | — | ≤ {most} s | {met} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    repeat = int(os.environ.get("BENCH_REPEAT", "5"))
    DATA.mkdir(exist_ok=True)
    # Measure what an installed xiaozhen costs: with its bytecode cached, as pip leaves it. (Some machines
    # set PYTHONDONTWRITEBYTECODE, and an editable install is otherwise recompiled at every start.)
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run(
        [*PYTHON, "-m", "compileall", "-q", str(ROOT / "src"), str(HERE)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    files = generate()
    results = rows(files)
    only = os.environ.get("BENCH_ONLY")  # a part of the rows' names: measure those, write nothing
    if only:
        for row in results:
            if only in row.what:
                row.run(row.runs(repeat))
                if row.same_baseline_as is None or row.same_baseline_as.theirs:
                    print(f"{row.what}: {row.median[0]:.3f} / {row.median[1]:.3f} = {row.ratio:.2f}")
        return
    for row in results:
        print(f"… {row.what}", file=sys.stderr, flush=True)
        row.run(row.runs(repeat))
    named = {row.what: row for row in results}
    validate = named["`xiaozhen validate`, 1,600 towns, cold"]  # the row against the C loader: the last
    validate = [r for r in results if r.what == validate.what][-1]
    memory = (max(s.peak_kb for s in validate.ours), max(s.peak_kb for s in validate.theirs))
    edits = [
        r for r in results if r.what.startswith(("one-town `xiaozhen set`, 1,600", "`xiaozhen advance`"))
    ]
    absolute = [("`xiaozhen validate`, 1,600 towns, cold", validate.median[0], 2.0)]
    absolute += [(r.what, r.median[0], 1.0) for r in edits]
    report = table(results, memory, absolute)
    sizes = ", ".join(f"{n:,} towns {p.stat().st_size / 2**20:.1f} MiB" for n, p in files.items() if n > 0)
    text = (
        f"# Benchmark results\n\nMeasured by `make bench` on {time.strftime('%Y-%m-%d')}: {machine()}.\n"
        f"Synthetic registries from `bench/generate.py` ({sizes}); medians of {repeat} alternating runs "
        f"({4 * repeat} for the start-up rows, of a fraction of a second, which the machine's noise moves "
        "most; 3 for the slow rows: advance, whose round trips the one-town `set` on 1,600 towns is "
        "compared with too); peak memory is the largest of the runs.\n\n" + report
    )
    (HERE / "RESULTS.md").write_text(text, encoding="utf-8")
    print(report)


if __name__ == "__main__":
    main()
