"""Corrections: a wrong exit or designation undone with its reason and document; the history keeps the
entry it corrects, `--as-of` before the correction shows the original, and `diff` flags it for review."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import Run, committed, notice_problems, notice_problems_of, run_process
from xiaozhen.store.registry import load

FUSHUN = "44"  # 洮南市福顺辣椒小镇
CORRECTED = ("--reason", "评估机构计分错误", "--document", "吉城镇办〔2021〕3号")


def town(path: Path, town_id: int) -> dict:  # type: ignore[type-arg]
    registry = load(path).report.registry
    assert registry is not None
    return next(t for t in registry.model_dump(mode="json", by_alias=True)["towns"] if t["id"] == town_id)


def exited(run: Run, registry: Path) -> None:
    failed = run(
        "assess", FUSHUN, "--year", "2020", "--result", "不达标", "--date", "2021-01-15", registry=registry
    )
    assert failed.exit_code == 0, failed.stderr


def test_a_wrong_fail_is_corrected_with_its_reason_and_document_and_the_town_returns(
    run: Run, registry: Path
) -> None:
    exited(run, registry)
    before = registry.read_bytes()
    bare = run("assess", FUSHUN, "--year", "2020", "--result", "达标", "--replace", registry=registry)
    assert (bare.exit_code, bare.stderr) == (
        1,
        "xiaozhen: 44 洮南市福顺辣椒小镇 exited for its 2020 不达标; correcting the result returns it to "
        "创建中: give --reason and --document (the document that corrects it)\n",
    )
    assert registry.read_bytes() == before
    args = ("assess", FUSHUN, "--year", "2020", "--result", "达标", "--replace", *CORRECTED)
    done = run(*args, "--date", "2021-02-01", registry=registry)
    assert (done.exit_code, done.stdout) == (0, "44 洮南市福顺辣椒小镇: 2020 达标 → 创建中（更正）\n")
    report = load(registry).report
    assert report.ok and notice_problems(report.problems) == []
    fushun = town(registry, 44)
    assert (fushun["status"], fushun["category"]) == ("创建中", fushun["listed_category"])  # at its stage
    assert [(a["year"], a["result"]) for a in fushun["assessments"]] == [(2020, "达标")]
    # Append-only: the failure and the exit stay, and the correction names what it corrects.
    assert [(e["event"], e["to"]) for e in fushun["history"]] == [
        ("assessed", "不达标"),
        ("exited", "已退出"),
        ("assessed", "达标"),
        ("corrected", "创建中"),
    ]
    correction = fushun["history"][-1]
    assert correction["note"] == "更正2021-01-15的退出：评估机构计分错误"
    assert correction["source"] == "吉城镇办〔2021〕3号"
    assert fushun["history"][-2]["from"]["result"] == "不达标"
    # Run again, the correction is already so.
    again = run(*args, "--date", "2021-02-01", registry=registry)
    assert (again.exit_code, again.stdout) == (0, "44 洮南市福顺辣椒小镇: 2020 is already recorded as 达标\n")


def test_a_wrong_withdrawal_or_designation_is_reinstated(run: Run, registry: Path) -> None:
    assert (
        run("withdraw", "19", "--reason", "申请退出", "--date", "2021-01-20", registry=registry).exit_code
        == 0
    )
    before = registry.read_bytes()
    missing = run("reinstate", "19", "--reason", "误登记", registry=registry)
    assert (missing.exit_code, missing.stderr) == (
        2,
        "xiaozhen: a correction needs --reason and --document, the document that corrects it\n",
    )
    assert registry.read_bytes() == before
    done = run("reinstate", "19", *CORRECTED, "--date", "2021-02-02", registry=registry)
    assert (done.exit_code, done.stdout) == (0, "19 吉林市瑞士小镇: 已退出 → 创建中（更正）\n")
    assert town(registry, 19)["history"][-1]["note"] == "更正2021-01-20的退出：评估机构计分错误"
    again = run("reinstate", "19", *CORRECTED, registry=registry)
    assert (again.exit_code, again.stdout) == (0, "19 吉林市瑞士小镇 is in creation (创建中)\n")
    assess = ("assess", "13", "--year", "2020", "--result", "达标", "--date", "2021-01-15")
    assert run(*assess, registry=registry).exit_code == 0
    assert run("designate", "13", "--date", "2021-01-20", registry=registry).exit_code == 0
    revoked = run("reinstate", "13", *CORRECTED, "--date", "2021-02-02", registry=registry)
    assert (revoked.exit_code, revoked.stdout) == (0, "13 吉林市大荒地稻香小镇: 已认定 → 创建中（更正）\n")
    assert notice_problems(load(registry).report.problems) == []


def test_an_exit_for_a_fail_is_corrected_with_the_result_not_reinstated(run: Run, registry: Path) -> None:
    exited(run, registry)
    refused = run("reinstate", FUSHUN, *CORRECTED, registry=registry)
    assert refused.exit_code == 1
    assert (
        "exited for its 2020 不达标; correct that result, which returns it to 创建中: xiaozhen assess 44 "
        "--year 2020 --result 达标 --replace" in refused.stderr
    )


def test_diff_flags_corrections_and_as_of_before_one_shows_the_original(tmp_path: Path) -> None:
    folder = tmp_path / "repo"
    committed(folder, ["assess", FUSHUN, "--year", "2020", "--result", "不达标", "--date", "2021-01-15"])
    args = ("assess", FUSHUN, "--year", "2020", "--result", "达标", "--replace", *CORRECTED)
    assert run_process(*args, "--date", "2021-02-01", cwd=folder).returncode == 0
    diff = json.loads(run_process("diff", "HEAD", "--format", "json", cwd=folder).stdout)
    kinds = {c["kind"]: c for c in diff["changes"]}
    assert set(kinds) == {"assessed", "corrected"} and diff["review"] == 2
    assert kinds["corrected"]["reason"] == "更正2021-01-15的退出：评估机构计分错误"
    assert kinds["corrected"]["document"] == "吉城镇办〔2021〕3号"
    assert kinds["assessed"]["replaced"] == {"result": "不达标", "score": None}
    zh = run_process("diff", "HEAD", cwd=folder, env={"XIAOZHEN_LANG": "zh"}).stdout
    assert "更正（1）" in zh
    for day, status, result in (("2021-01-31", "已退出", "不达标"), ("2021-02-01", "创建中", "达标")):
        shown = run_process("show", FUSHUN, "--as-of", day, "--format", "json", cwd=folder)
        record = json.loads(shown.stdout)
        assert (record["status"], record["assessments"][0]["result"]) == (status, result), day


def test_the_report_lists_the_period_s_corrections_and_findings_and_passes_its_schema(
    run: Run, registry: Path
) -> None:
    import jsonschema

    exited(run, registry)
    args = ("assess", FUSHUN, "--year", "2020", "--result", "达标", "--replace", *CORRECTED)
    assert run(*args, "--date", "2021-02-01", registry=registry).exit_code == 0
    short = ("set", "3", "investment.total=10", "investment.leading_industry=4", "--date", "2021-03-01")
    assert run(*short, registry=registry).exit_code == 0
    report = json.loads(run("report", "--year", "2020", "-f", "json", registry=registry).stdout)
    schema = json.loads(run("schema", "--report").stdout)
    jsonschema.validate(report, schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    assert [(c["id"], c["what"], c["from"], c["to"], c["document"]) for c in report["corrections"]] == [
        (44, "result", "2020年度不达标", "2020年度达标", "吉城镇办〔2021〕3号"),
        (44, "status", "已退出", "创建中", "吉城镇办〔2021〕3号"),
    ]
    assert [(f["id"], f["code"]) for f in notice_problems_of(report["findings"])] == [
        (3, "leading-industry-share")
    ]
    markdown = run("report", "--year", "2020", "-f", "md", registry=registry).stdout
    assert "## 更正记录(退出、认定的更正和评估结果的改记)" in markdown
    assert (  # in the report's language, Chinese, whatever the reader's
        "| 长春市 | 3 | 长春市健康山谷小镇 | 主导产业投资占比 | 主导产业投资占总投资的 40%" in markdown
    )


def test_a_wrong_stage_move_is_corrected_with_its_reason_and_document(
    run: Run, registry: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "repo"
    committed(folder, ["advance", "3", "--date", "2021-02-01"])
    bare = run_process("advance", "3", "--undo", cwd=folder)
    assert bare.returncode == 2 and "a correction needs --reason and --document" in bare.stderr
    undo = run_process("advance", "3", "--undo", *CORRECTED, "--date", "2021-02-02", cwd=folder)
    assert (undo.returncode, undo.stdout) == (0, "3 长春市健康山谷小镇: 培育类 → 规划类（更正）\n")
    nothing = run_process("advance", "3", "--undo", *CORRECTED, cwd=folder)
    assert (
        nothing.returncode == 1 and "has no stage move to correct: it is 规划类 as listed" in nothing.stderr
    )
    assert run_process("validate", cwd=folder).returncode == 0
    diff = json.loads(run_process("diff", "HEAD", "--format", "json", cwd=folder).stdout)
    assert [(c["kind"], c["from"], c["to"], c["document"]) for c in diff["changes"]] == [
        ("corrected", "培育类", "规划类", "吉城镇办〔2021〕3号")
    ]
    moved = json.loads(run_process("show", "3", "--as-of", "2021-02-01", "-f", "json", cwd=folder).stdout)
    assert moved["category"] == "培育类"  # as it stood before the correction
    assert (
        run_process(
            "assess", "3", "--year", "2020", "--result", "达标", "--date", "2021-03-01", cwd=folder
        ).returncode
        == 0
    )
    report = json.loads(run_process("report", "--year", "2020", "-f", "json", cwd=folder).stdout)
    assert [(c["id"], c["what"], c["from"], c["to"]) for c in report["corrections"]] == [
        (3, "stage", "培育类", "规划类")
    ]
