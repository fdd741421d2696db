"""A year of the office's work as it lives it, typed as the office types it, in both languages: the
assessor's workbook as it came, figures recorded that fall short (findings, not refusals), a wrong exit
and a wrong score corrected with their reason and document, a withdrawal revoked, Chinese field names,
yesterday's script rerun today; in Chinese, no English word but file names, codes and keys of the file."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import committed, english_words, notice_problems_of, run_process

WORKBOOK = Path(__file__).parent / "fixtures" / "assessors" / "as-assessors-make-it.xlsx"
DOC = ("--reason", "评估机构计分错误", "--document", "吉城镇办〔2021〕3号")

# (what the office types, the exit code it expects)
A_YEAR = [
    (["assess-import", "评估结果.xlsx", "--date", "2021-01-15"], 0),  # year, assessor, dates from the sheet
    (["set", "五棵树", "主导产业=玉米深加工", "总投资=30亿元", "主导产业投资=12亿元", "--source", "2020年统计表",
      "--date", "2021-02-01"], 0),  # 40%: recorded, a finding
    (["validate"], 0),
    (["validate", "--findings", "error"], 3),
    (["assess", "吉商", "--year", "2020年", "--result", "合格", "--replace", *DOC, "--date", "2021-02-02"], 0),
    (["assess", "大荒地", "--year", "2020", "--result", "达标", "--score", "95分", "--date", "2021-02-03"], 1),
    (["assess", "大荒地", "--year", "2020", "--result", "达标", "--score", "95分", "--replace", *DOC,
      "--date", "2021-02-03"], 0),
    (["withdraw", "19", "--reason", "申请退出", "--date", "2021-02-04"], 0),
    (["reinstate", "19", "--reason", "误登记为退出", "--document", "吉城镇办〔2021〕4号", "--date", "2021-02-05"], 0),
    (["advance", "3", "--date", "2021-03-01"], 0),
    (["advance", "3", "--date", "2021-03-02"], 0),  # yesterday's script, rerun: nothing moves
    (["tally", "--by", "类别"], 0),
    (["filter", "类别=成长类", "市(州)=长春"], 0),
    (["list", "--sort", "名称", "-c", "成长"], 0),
    (["show", "五棵树"], 0),
    (["diff"], 0),
    (["report", "--year", "2020年"], 0),
]  # fmt: skip


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_office_s_year(tmp_path: Path, language: str) -> None:
    committed(tmp_path)
    shutil.copyfile(WORKBOOK, tmp_path / "评估结果.xlsx")
    said = {}
    for args, code in A_YEAR:
        done = run_process("--lang", language, *args, cwd=tmp_path)
        assert done.returncode == code, (args, done.stdout, done.stderr)
        said[" ".join(args[:2])] = done.stdout + done.stderr
        if language == "zh":
            printed = (done.stdout + done.stderr).replace("评估结果.xlsx", "FILE")
            assert english_words(printed, {"FILE"}) == set(), (args, printed)
    towns = {t["id"]: t for t in json.loads(run_process("list", "-f", "json", cwd=tmp_path).stdout)}
    assert (towns[5]["status"], towns[19]["status"]) == ("创建中", "创建中")  # both corrected
    assert towns[9]["investment"] == {"total": 30, "leading_industry": 12}  # the truth, short of 50%
    assert [(a["result"], a["score"], a["date"]) for a in towns[13]["assessments"]] == [
        ("达标", 95, "2021-02-03")
    ]
    assert towns[3]["category"] == "培育类"  # one move, not two
    assert run_process("validate", cwd=tmp_path).returncode == 0
    report = json.loads(run_process("report", "--year", "2020", "-f", "json", cwd=tmp_path).stdout)
    assert {(c["id"], c["what"]) for c in report["corrections"]} == {
        (5, "result"),
        (5, "status"),
        (13, "result"),
        (19, "status"),
    }
    assert [(f["id"], f["code"]) for f in notice_problems_of(report["findings"])] == [
        (9, "leading-industry-share")
    ]
    short = said["set 五棵树"]
    assert ("已记录，但未达创建标准" if language == "zh" else "recorded, short of a standard") in short
