"""Deterministic synthetic registries that xiaozhen accepts: `python bench/generate.py N OUT`.

Town i is the same in every file of every size: its prefecture, stage, data, a yearly assessment for every
year since its batch was listed, and a history. Towns 1–100 are in planning and in creation, so that a
benchmark can advance them. The declared totals are computed, so the file validates.
"""

from __future__ import annotations

import random
import sys
from collections import Counter
from pathlib import Path

PREFECTURES = [
    "长春市",
    "吉林市",
    "四平市",
    "辽源市",
    "通化市",
    "白山市",
    "松原市",
    "白城市",
    "延边州",
    "长白山保护开发区",
    "梅河口市",
    "公主岭市",
]
COUNTIES = ["榆树市", "德惠市", "农安县", "舒兰市", "磐石市", "蛟河市", "桦甸市", "伊通县", None]
INDUSTRIES = [
    "玉米深加工",
    "冰雪旅游",
    "中医药",
    "人参",
    "汽车零部件",
    "物流",
    "矿泉水",
    "木耳",
    "稻米",
    "影视",
]
STAGES = ["规划类", "培育类", "成长类"]
LAST_YEAR = 2025
TOWNS_PER_BATCH = 500


def town(i: int) -> tuple[str, dict[str, object]]:
    rng = random.Random(i)
    batch = 1 + (i - 1) // TOWNS_PER_BATCH
    listed = 2019 + min(batch - 1, 5)
    stage = "规划类" if i <= 100 else rng.choice(STAGES)
    years = list(range(listed, LAST_YEAR + 1))
    fails = i > 100 and rng.random() < 0.05
    status = (
        "已退出"
        if fails
        else ("已认定" if i > 100 and rng.random() < 0.2 and years[-1] >= 2020 else "创建中")
    )
    total = rng.randint(5, 80)
    leading = round(total * rng.uniform(0.5, 1.0), 2)
    county = rng.choice(COUNTIES)
    industry = rng.choice(INDUSTRIES)
    name = f"{county or PREFECTURES[i % 12]}第{i}{industry}小镇"
    ownership = rng.choice(["国有企业", "民营企业", "混合所有制企业"])
    lines = [
        f"  - id: {i}",
        f"    name: {name}",
        f"    prefecture: {PREFECTURES[i % 12]}",
        f"    county: {county or 'null'}",
        f"    category: {stage}",
        f"    listed_category: {stage}",
        f"    town_type: {'建制镇' if i % 3 else '非建制镇'}",
        f"    status: {status}",
        f"    batch: {batch}",
        f"    leading_industry: {industry}",
        "    investment:",
        f"      total: {total}",
        f"      leading_industry: {leading}",
        "    developer:",
        f"      name: 某{industry}发展有限公司",
        f"      ownership: {ownership}",
        "    plan:",
        f"      title: {name}总体规划",
        f"      approved: {listed - 1}-12-01",
        "      conforms_to: [城镇体系规划, 土地利用总体规划, 主体功能区规划, 生态环保要求, 保护区相关规定]",
        f"    management: {name}管理委员会",
        "    assessments:",
    ]
    history = []
    if batch > 1:
        history.append((f"{listed}-02-01", "added", None, None, f"batch {batch}"))
    # The standards data above, recorded as `xiaozhen set` records it.
    data = {
        "leading_industry": industry,
        "investment.total": total,
        "investment.leading_industry": leading,
        "developer.name": f"某{industry}发展有限公司",
        "developer.ownership": ownership,
        "plan.title": f"{name}总体规划",
        "plan.approved": f"{listed - 1}-12-01",
        "plan.conforms_to": "[城镇体系规划, 土地利用总体规划, 主体功能区规划, 生态环保要求, 保护区相关规定]",
        "management": f"{name}管理委员会",
    }
    history.append((f"{listed}-03-01", "updated", dict.fromkeys(data, "null"), data, None))
    for year in years:
        result = "不达标" if fails and year == years[-1] else "达标"
        lines += [
            f"      - year: {year}",
            f"        result: {result}",
            f"        score: {rng.randint(60, 99)}",
            "        assessor: 某评估机构",
            f"        date: {year + 1}-01-15",
        ]
        history.append((f"{year + 1}-01-15", "assessed", year, result, f"{year} assessment"))
    if status == "已退出":
        history.append((f"{years[-1] + 1}-01-15", "exited", "创建中", "已退出", "不达标"))
    if status == "已认定":
        history.append((f"{years[-1] + 1}-02-01", "designated", "创建中", "已认定", None))
    lines.append("    history:")
    for date, event, from_, to, note in history:
        lines += [f"      - date: {date}", f"        event: {event}"]
        if event == "assessed":  # `from` holds the year here
            lines += [f"        year: {from_}", f"        to: {to}"]
        elif isinstance(to, dict):
            for label, values in (("from", from_), ("to", to)):
                lines.append(f"        {label}:")
                lines += [f"          {key}: {value}" for key, value in values.items()]  # type: ignore[union-attr]
        else:
            lines += [f"        from: {from_}"] if from_ else []
            lines += [f"        to: {to}"] if to else []
        lines += [f"        note: {note}"] if note else []
    facts = {
        "batch": batch,
        "category": stage,
        "town_type": "建制镇" if i % 3 else "非建制镇",
        "prefecture": PREFECTURES[i % 12],
    }
    return "\n".join(lines) + "\n", facts


def registry(count: int) -> str:
    towns = [town(i) for i in range(1, count + 1)]
    out = [
        "# A synthetic registry for benchmarks (bench/generate.py); not real data.",
        "registry:",
        "  title: 基准测试用合成名录",
        "  document: 合成〔2019〕1号",
        "  issued: 2019-02-03",
        "  issuer: 基准测试",
        "standards:",
        "  leading_industry_min_share:",
        "    clause: 一(四)",
        "    value: 0.5",
        "  designation_year:",
        "    clause: 五(三)",
        "    value: 2020",
        "declared:",
    ]
    for batch in sorted({f["batch"] for _, f in towns}):
        of_batch = [f for _, f in towns if f["batch"] == batch]
        out += [f"  - batch: {batch}", f"    total: {len(of_batch)}"]
        for dimension in ("category", "town_type", "prefecture"):
            out.append(f"    {dimension}:")
            out += [f"      {k}: {v}" for k, v in sorted(Counter(f[dimension] for f in of_batch).items())]
    out.append("towns:")
    return "\n".join(out) + "\n" + "\n".join(text for text, _ in towns)


if __name__ == "__main__":
    count, target = int(sys.argv[1]), Path(sys.argv[2])
    target.write_text(registry(count), encoding="utf-8")
