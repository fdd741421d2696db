"""Time and change: history replayed by validate, the registry on a date (--as-of), what changed between
two versions (diff, also of git revisions), and the GitHub Action that shows it on a pull request."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import SHIPPED, Run, edit_text, git, line_of, notice_lines, run_process, worked_year

ROOT = Path(__file__).resolve().parents[1]


def problems(run: Run, registry: Path, *options: str) -> list[str]:
    result = run("validate", str(registry), *options)
    return notice_lines(result.stdout).splitlines()


# --- validate replays the history ----------------------------------------------------------------


def test_the_tool_s_own_edits_replay_to_the_record(run: Run, registry: Path, tmp_path: Path) -> None:
    worked_year(run, registry, tmp_path)
    result = run("validate", str(registry), "--strict")
    # The worked year records one town's data without a --source, which --strict asks for; else the
    # history explains every record.
    kept = [line for line in notice_lines(result.stdout).splitlines() if "missing-data" not in line]
    assert [line for line in kept if "unsourced-data" not in line] == []
    assert len(kept) == 3


def test_a_stage_moved_by_hand_is_an_error_at_its_line(run: Run, registry: Path) -> None:
    edit_text(registry, "    category: 规划类", "    category: 培育类")  # town 3
    line = line_of(registry, "    category: 培育类", after="  - id: 3")
    assert problems(run, registry) == [
        f"{registry}:{line}:5: history: 长春市健康山谷小镇: category is 培育类, but its history has it at 规划类: "
        "a stage is moved with `xiaozhen advance`, which records the move"
    ]


def test_the_same_move_made_with_the_tool_passes(run: Run, registry: Path) -> None:
    assert run("advance", "3", "--date", "2021-02-01", registry=registry).exit_code == 0
    assert run("validate", str(registry)).exit_code == 0


@pytest.mark.parametrize(
    ("status", "command"),
    [
        (
            "已退出",
            "a town exits with `xiaozhen withdraw TOWN --reason …`, a 不达标 `xiaozhen assess` or, cleared by "
            "the list review, `xiaozhen clear`",
        ),
        ("已认定", "a town is designated with `xiaozhen designate`"),
    ],
)
def test_a_status_changed_by_hand_names_the_command(
    run: Run, registry: Path, status: str, command: str
) -> None:
    edit_text(registry, "status: 创建中", f"status: {status}")
    found = [line for line in problems(run, registry) if ": history: " in line]
    line = line_of(registry, f"status: {status}")
    assert found == [
        f"{registry}:{line}:5: history: 长春市红旗绿色智能小镇: status is {status}, but its history has it 创建中: "
        f"{command}, which records it"
    ]


def test_an_assessment_removed_by_hand_is_an_error(run: Run, registry: Path) -> None:
    assert (
        run(
            "assess", "1", "--year", "2020", "--result", "达标", "--date", "2021-01-10", registry=registry
        ).exit_code
        == 0
    )
    text = registry.read_text(encoding="utf-8")
    start = text.index("    assessments:\n      - year: 2020")
    end = text.index("    history:", start)
    registry.write_text(text[:start] + "    assessments: []\n" + text[end:], encoding="utf-8")
    assert [line.split(": ", 2)[1] for line in problems(run, registry)] == ["history"]
    assert (
        "its history records the 2020 assessment (达标), but assessments has none: it was removed by hand"
        in problems(run, registry)[0]
    )


def test_an_assessment_added_by_hand_is_an_error(run: Run, registry: Path) -> None:
    edit_text(registry, "assessments: []", "assessments: [{year: 2020, result: 达标}]")
    (found,) = problems(run, registry)
    assert found.endswith(
        "history: 长春市红旗绿色智能小镇: the 2020 assessment (达标) has no history entry: results are recorded "
        "with `xiaozhen assess` or `xiaozhen assess-import`"
    )


def test_data_without_a_history_entry_is_a_warning_and_an_error_when_strict(run: Run, registry: Path) -> None:
    edit_text(registry, "management: null", "management: 某管委会")
    line = line_of(registry, "management: 某管委会")
    warned = run("validate", str(registry))
    assert warned.exit_code == 0
    assert notice_lines(warned.stdout) == (
        f"{registry}:{line}:5: unrecorded-data: warning: 长春市红旗绿色智能小镇: management is 某管委会 with no "
        "history entry: data is recorded with `xiaozhen set`, which records it\n"
    )
    assert "valid, 24 findings, 1 warning — 55 towns" in warned.stderr
    strict = run("validate", str(registry), "--strict")
    assert strict.exit_code == 1 and f":{line}:5: unrecorded-data: 长春市" in strict.stdout
    github = run("validate", str(registry), "--format", "github")
    assert f"::warning file={registry},line={line},col=5,title=unrecorded-data::" in github.stdout


def test_data_changed_by_hand_after_the_tool_recorded_it_is_a_warning(run: Run, registry: Path) -> None:
    assert run("set", "1", "management=某管委会", "--date", "2021-01-10", registry=registry).exit_code == 0
    assert notice_lines(run("validate", str(registry)).stdout) == ""
    edit_text(registry, "management: 某管委会", "management: 另一个管委会")
    (found,) = problems(run, registry)
    assert found.endswith(
        "management is 另一个管委会, but its history last records 某管委会: data is changed with `xiaozhen set`, "
        "which records the change"
    )


# --- the registry on a date ----------------------------------------------------------------------


def test_as_of_rebuilds_the_registry_on_a_date(run: Run, registry: Path, tmp_path: Path) -> None:
    worked_year(run, registry, tmp_path)

    def tally(day: str) -> dict[str, int]:
        out = run("tally", "--by", "status", "--as-of", day, "-f", "json", registry=registry).stdout
        return json.loads(out)["counts"]

    assert tally("2020-12-31") == {"创建中": 55}
    assert tally("2021-01-15") == {"创建中": 54, "已退出": 1}
    assert tally("2021-03-01") == {"创建中": 53, "已认定": 1, "已退出": 1}
    town = json.loads(run("show", "五棵树", "--as-of", "2021-03-15", "-f", "json", registry=registry).stdout)
    assert town["investment"] == {"total": 30, "leading_industry": 21.5}
    assert [h["date"] for h in town["history"]] == ["2021-03-02"]
    before = json.loads(
        run("show", "五棵树", "--as-of", "2021-03-01", "-f", "json", registry=registry).stdout
    )
    assert before["investment"] is None and before["leading_industry"] is None and before["history"] == []
    listed = run(
        "list", "--as-of", "2021-01-31", "--category", "培育类", "-f", "csv", registry=registry
    ).stdout
    assert "长春市健康山谷小镇" not in listed
    assert (
        "长春市健康山谷小镇"
        in run("list", "--as-of", "2021-02-01", "--category", "培育类", "-f", "csv", registry=registry).stdout
    )
    assessed = run(
        "filter", "assessments~达标", "--as-of", "2021-01-14", "-f", "csv", registry=registry
    ).stdout
    assert assessed.count("\n") == 1  # the header only: nothing was recorded before the 15th
    exported = json.loads(run("export", "-f", "json", "--as-of", "2020-06-30", registry=registry).stdout)
    assert exported == json.loads(run("export", "-f", "json", registry=SHIPPED).stdout)


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (
            "2019-02-02",
            "--as-of 2019-02-02 is before the first notice (吉政办明电〔2019〕5号, issued 2019-02-03): the registry did not exist yet",
        ),
        ("2999-01-01", "--as-of 2999-01-01 is in the future"),
        ("2021-02-30", "--as-of '2021-02-30' is not a date (YYYY-MM-DD, YYYY/M/D, YYYY.M.D or YYYY年M月D日)"),
    ],
)
def test_a_date_outside_the_registry_s_life_exits_2(run: Run, day: str, message: str) -> None:
    for command in (["list"], ["tally"], ["show", "1"], ["filter", "id=1"], ["export", "-f", "json"]):
        result = run(*command, "--as-of", day, registry=SHIPPED)
        assert result.exit_code == 2, command
        assert message in result.stderr


def test_a_town_of_a_later_batch_is_listed_from_its_notice_or_its_addition(run: Run, registry: Path) -> None:
    added = run(
        "add",
        "--name",
        "某县某某小镇",
        "-p",
        "长春",
        "-c",
        "规划类",
        "-t",
        "建制镇",
        "--batch",
        "2",
        "--date",
        "2022-05-01",
        registry=registry,
    )
    assert added.exit_code == 0, added.stderr

    def count(day: str) -> int:
        return len(json.loads(run("list", "--as-of", day, "-f", "json", registry=registry).stdout))

    assert (count("2022-04-30"), count("2022-05-01")) == (55, 56)
    # the batch's own notice, when the file records it, is the date it was listed on
    edit_text(
        registry,
        "declared:\n",
        "declared:\n  - batch: 2\n    document: 某通知\n    issued: 2022-03-01\n    total: 1\n",
    )
    assert (count("2022-02-28"), count("2022-03-01")) == (55, 56)


# --- diff ----------------------------------------------------------------------------------------


def diff_json(folder: Path, *args: str) -> dict:  # type: ignore[type-arg]
    done = run_process("diff", *args, "--format", "json", cwd=folder)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def test_diff_of_git_revisions(repository: Path) -> None:
    two_back = diff_json(repository, "HEAD~2")
    assert (two_back["old"], two_back["new"]) == ("HEAD~2:data/towns.yaml", "data/towns.yaml")
    assert {k: v for k, v in two_back["counts"].items() if v} == {"advanced": 1, "assessed": 3, "exited": 1}
    assert diff_json(repository, "main", "HEAD")["total"] == 0
    assert diff_json(repository, "v1:data/towns.yaml", "HEAD~1")["counts"]["advanced"] == 0
    exited = [c for c in diff_json(repository, "v1")["changes"] if c["kind"] == "exited"]
    assert exited == [
        {
            "kind": "exited",
            "town": 5,
            "name": "长春市吉商小镇",
            "prefecture": "长春市",
            "review": False,
            "from": "创建中",
            "to": "已退出",
            "reason": "2020年度评估不达标（二(三)）",
        }
    ]


def test_diff_defaults_to_the_committed_version_against_the_working_file(repository: Path) -> None:
    assert diff_json(repository)["total"] == 0
    assert run_process("designate", "大荒地", "--date", "2021-03-01", cwd=repository).returncode == 0
    done = run_process("diff", "--exit-code", "--format", "md", cwd=repository)
    assert done.returncode == 1
    assert "### 认定 towns designated (1)" in done.stdout
    assert (
        "| 13 | 吉林市大荒地稻香小镇 | 吉林市 | 创建中 → 已认定: 2020年度评估达标（五(三)） |" in done.stdout
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nonsense"], "no registry at nonsense:data/towns.yaml"),
        (["HEAD~9"], "no registry at HEAD~9:data/towns.yaml"),
        (["HEAD:no/such.yaml"], "no registry at HEAD:no/such.yaml"),
    ],
)
def test_a_revision_that_does_not_exist_exits_2(repository: Path, args: list[str], message: str) -> None:
    done = run_process("diff", *args, cwd=repository)
    assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr


def test_outside_a_repository_or_without_git_exits_2(registry: Path, tmp_path: Path) -> None:
    outside = run_process("--registry", str(registry), "diff", cwd=tmp_path)
    assert outside.returncode == 2 and "is not in a git repository" in outside.stderr
    no_git = run_process("--registry", str(registry), "diff", cwd=tmp_path, env={"PATH": str(tmp_path)})
    assert no_git.returncode == 2 and "git is not installed" in no_git.stderr
    files = run_process(
        "diff", str(SHIPPED), str(registry), "--format", "json", cwd=tmp_path, env={"PATH": str(tmp_path)}
    )
    assert files.returncode == 0 and json.loads(files.stdout)["total"] == 0


def test_an_invalid_registry_on_either_side_exits_1_naming_it(repository: Path) -> None:
    edit_text(repository / "data" / "towns.yaml", "category: 培育类", "category: 培养类")
    done = run_process("diff", "HEAD", cwd=repository)
    assert done.returncode == 1
    assert "data/towns.yaml is not a valid registry" in done.stderr
    assert "data/towns.yaml:" in done.stderr and ": schema: " in done.stderr
    git(repository, "commit", "-qam", "a broken edit")
    edit_text(repository / "data" / "towns.yaml", "category: 培养类", "category: 培育类")
    old = run_process("diff", "HEAD", cwd=repository)
    assert old.returncode == 1 and "HEAD:data/towns.yaml is not a valid registry" in old.stderr


def test_what_the_procedure_never_does_is_flagged_for_review(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    old = tmp_path / "old.yaml"
    shutil.copyfile(registry, old)
    edit_text(registry, "name: 长春市关东文化小镇", "name: 长春市关东文化特色小镇")
    text = registry.read_text(encoding="utf-8")
    start = text.index("  - id: 55")
    registry.write_text(text[:start].rstrip("\n") + "\n", encoding="utf-8")
    result = run("diff", str(old), str(registry), "-f", "json")
    report = json.loads(result.stdout)
    assert report["review"] == 2
    assert {c["kind"]: c["review"] for c in report["changes"] if c["kind"] != "declared"} == {
        "listing": True,
        "removed": True,
    }
    table = run("diff", str(old), str(registry), env={"COLUMNS": "120"}).stdout
    assert "移除小镇 towns removed (1) — review: the procedure never does this" in table
    assert "⚠ name: 长春市关东文化小镇 → 长春市关东文化特色小镇" in table


def test_diff_within_the_history_between_two_dates(run: Run, registry: Path, tmp_path: Path) -> None:
    worked_year(run, registry, tmp_path)
    result = run("diff", "--from", "2021-01-31", "--to", "2021-03-01", "-f", "json", registry=registry)
    report = json.loads(result.stdout)
    assert [(c["kind"], c["town"]) for c in report["changes"]] == [("advanced", 3), ("designated", 13)]
    refused = run("diff", "--from", "2021-03-01", "--to", "2021-01-01", registry=registry)
    assert refused.exit_code == 2 and "--from 2021-03-01 is after --to 2021-01-01" in refused.stderr
    both = run("diff", "HEAD", "--from", "2021-01-01", registry=registry)
    assert both.exit_code == 2


def test_a_revision_holding_a_huge_file_is_refused_from_its_size(repository: Path) -> None:
    registry = repository / "data" / "towns.yaml"
    with registry.open("r+b") as handle:
        handle.truncate(65 * 1024 * 1024)  # sparse zeros: cheap to write, and to commit
    git(repository, "commit", "-qam", "a 65 MiB registry")
    shutil.copyfile(SHIPPED, registry)
    done = run_process("diff", "HEAD:", cwd=repository)
    assert done.returncode == 1
    assert "HEAD:data/towns.yaml is not a valid registry" in done.stderr and "file-size" in done.stderr


def test_a_bare_argument_that_is_a_file_and_a_revision_is_ambiguous(repository: Path) -> None:
    (repository / "HEAD~1").write_text("registry: {}\n", encoding="utf-8")
    bare = run_process("diff", "HEAD~1", cwd=repository)
    assert bare.returncode == 2
    assert (
        "'HEAD~1' is both a file and a git revision: write ./HEAD~1 for the file, or HEAD~1:" in bare.stderr
    )
    assert diff_json(repository, "HEAD~1:")["old"] == "HEAD~1:data/towns.yaml"
    as_file = run_process("diff", "./HEAD~1", cwd=repository)
    assert as_file.returncode == 1 and "./HEAD~1 is not a valid registry" in as_file.stderr
    long = run_process("diff", "x" * 5000, cwd=repository)
    assert long.returncode == 2 and "of 5,000 characters" in long.stderr
