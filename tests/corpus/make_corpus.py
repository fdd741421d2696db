"""Writes tests/corpus: a small valid registry, and one file a fault with the code and line it must report
(expected.tsv). To add a case, add a line below and run `python tests/corpus/make_corpus.py`."""

import pathlib

HERE = pathlib.Path(__file__).resolve().parent
BASE = """# A two-town registry, valid but for one fault (see expected.tsv).
registry:
  title: 测试名录
  document: 吉政办明电〔2019〕5号
  issued: 2019-02-03
  published: 2019-02-11
  issuer: 吉林省人民政府办公厅

standards:
  leading_industry_min_share:
    clause: 一(四)
    value: 0.5
  designation_year:
    clause: 五(三)
    value: 2020

declared:
  - batch: 1
    total: 2
    category:
      成长类: 1
      培育类: 1
    town_type:
      建制镇: 1
      非建制镇: 1
    prefecture:
      长春市: 2

towns:
  - id: 1
    name: 长春市红旗绿色智能小镇
    prefecture: 长春市
    county: null
    category: 培育类
    listed_category: 培育类
    town_type: 非建制镇
    status: 创建中
    batch: 1
    leading_industry: 汽车
    investment:
      total: 10
      leading_industry: 6
    developer:
      name: 某汽车公司
      ownership: 国有企业
    plan: null
    management: null
    assessments: []
    history:
      - date: 2019-06-01
        event: updated
        from: {leading_industry: null, investment.total: null, investment.leading_industry: null, developer.name: null, developer.ownership: null}
        to: {leading_industry: 汽车, investment.total: 10, investment.leading_industry: 6, developer.name: 某汽车公司, developer.ownership: 国有企业}

  - id: 2
    name: 长春市关东文化小镇
    prefecture: 长春市
    county: null
    category: 成长类
    listed_category: 成长类
    town_type: 建制镇
    status: 创建中
    batch: 1
    leading_industry: null
    investment: null
    developer: null
    plan: null
    management: null
    assessments: []
    history: []
"""


def line_of(text, needle, nth=1):
    count = 0
    for i, line in enumerate(text.splitlines(), 1):
        if needle in line:
            count += 1
            if count == nth:
                return i
    raise KeyError(needle)


cases = []  # (name, bytes, code, line)


def sub(name, old, new, code, at=None, nth=1, count=1):
    assert old in BASE, old
    text = BASE.replace(old, new, count)
    line = line_of(text, at if at is not None else new.splitlines()[0] if new else old, nth) if code else 0
    cases.append((name, text.encode(), code, line))


def raw(name, data, code, line):
    cases.append((name, data, code, line))


# YAML syntax
sub(
    "syntax-unclosed-flow",
    "    assessments: []\n    history:\n",
    "    assessments: [\n    history:\n",
    "yaml-syntax",
    at="      - date: 2019-06-01",
)
sub("syntax-bad-indent", "    county: null\n", "     county: null\n", "yaml-syntax", at="     county: null")
sub(
    "syntax-unclosed-quote",
    "    name: 长春市关东文化小镇",
    '    name: "长春市关东文化小镇',
    "yaml-syntax",
    at='    name: "',
)
sub("syntax-tab-indent", "    county: null\n", "\tcounty: null\n", "yaml-syntax", at="\tcounty")
sub(
    "syntax-mapping-in-scalar",
    "    management: null\n",
    "    management: a: b\n",
    "yaml-syntax",
    at="management: a: b",
)
sub(
    "syntax-stray-bracket",
    "  issuer: 吉林省人民政府办公厅\n",
    "  issuer: 吉林省人民政府办公厅\n]\n",
    "yaml-syntax",
    at="]",
)
raw(
    "syntax-two-documents", (BASE + "---\nextra: 1\n").encode(), "yaml-syntax", line_of(BASE + "---\n", "---")
)
sub("syntax-control-character", "  title: 测试名录", "  title: 测试\x07名录", "yaml-syntax", at="title:")
# duplicate keys
sub(
    "duplicate-key-top-level",
    "standards:\n",
    "standards:\n  designation_year:\n    clause: 五(三)\n    value: 2020\n",
    "duplicate-key",
    at="  designation_year:",
    nth=2,
)
sub(
    "duplicate-key-town",
    "    county: null\n",
    "    county: null\n    county: 榆树市\n",
    "duplicate-key",
    at="    county: 榆树市",
)
sub(
    "duplicate-key-nested",
    "      leading_industry: 6\n",
    "      leading_industry: 6\n      total: 12\n",
    "duplicate-key",
    at="      total: 12",
)
# unknown keys
sub("unknown-key-misspelt", "    category: 培育类", "    catgory: 培育类", "schema", at="  - id: 1")
sub("unknown-key-top-level", "standards:\n", "extra: 1\nstandards:\n", "schema", at="extra: 1")
sub("unknown-key-nested", "      total: 10", "      totl: 10", "schema", at="    investment:")
# wrong types
raw("type-top-level-list", b"- registry\n- towns\n", "schema", 1)
raw("type-top-level-scalar", b"just a string\n", "schema", 1)
sub("type-towns-mapping", "towns:\n  - id: 1\n", "towns:\n  first:\n  - id: 1\n", "schema", at="towns:")
sub("type-town-is-string", "towns:\n", "towns:\n  - 一个小镇\n", "schema", at="  - 一个小镇")
sub("type-id-string", "  - id: 1\n", "  - id: '1'\n", "schema", at="  - id: '1'")
sub("type-id-float", "  - id: 1\n", "  - id: 1.0\n", "schema", at="  - id: 1.0")
sub("type-batch-string", "    batch: 1\n", "    batch: 一\n", "schema", at="    batch: 一")
sub("type-name-number", "    name: 长春市红旗绿色智能小镇", "    name: 12345", "schema", at="    name: 12345")
sub(
    "type-assessments-mapping",
    "    assessments: []\n",
    "    assessments: {2020: 达标}\n",
    "schema",
    at="    assessments: {",
)
sub(
    "type-history-entry-string",
    "    history: []\n",
    "    history: [advanced]\n",
    "schema",
    at="    history: [advanced]",
)
sub(
    "type-share-string",
    "    value: 0.5",
    "    value: 一半",
    "schema",
    at="    value: 一半",
)
sub("type-declared-negative", "    total: 2\n", "    total: -2\n", "schema", at="    total: -2")
sub("type-date-number", "  issued: 2019-02-03", "  issued: 20190203", "schema", at="  issued:")
sub("type-missing-towns", "towns:\n", "town:\n", "schema", at="town:")
raw("empty-file", b"", "schema", 1)
raw("only-a-comment", b"# nothing here yet\n", "schema", 1)
# ids and names
sub("id-zero", "  - id: 2\n", "  - id: 0\n", "schema", at="  - id: 0")
sub("id-negative", "  - id: 2\n", "  - id: -2\n", "schema", at="  - id: -2")
sub("id-repeated", "  - id: 2\n", "  - id: 1\n", "duplicate-id", at="  - id: 1", nth=2)
sub("id-out-of-order", "  - id: 1\n", "  - id: 3\n", "id-order", at="  - id: 2")
sub(
    "name-repeated",
    "    name: 长春市关东文化小镇",
    "    name: 长春市红旗绿色智能小镇",
    "duplicate-name",
    at="    name: 长春市红旗绿色智能小镇",
    nth=2,
)
# near-miss enums
sub("enum-category", "    category: 培育类", "    category: 培养类", "schema")
sub("enum-town-type", "    town_type: 建制镇", "    town_type: 建制", "schema")
sub("enum-status", "    status: 创建中\n", "    status: 已完成\n", "schema", at="已完成")
sub(
    "enum-prefecture",
    "    prefecture: 长春市\n",
    "    prefecture: 长春\n",
    "schema",
    at="    prefecture: 长春",
)
sub(
    "enum-result",
    "    assessments: []\n",
    "    assessments: [{year: 2020, result: 合格}]\n",
    "schema",
    at="合格",
)
sub(
    "enum-event",
    "    history: []\n",
    "    history: [{date: 2020-01-01, event: moved}]\n",
    "schema",
    at="moved",
)
sub(
    "enum-ownership",
    "      ownership: 国有企业",
    "      ownership: 政府机关",
    "developer-ownership",
    at="政府机关",
)
# investment
sub(
    "investment-negative",
    "      leading_industry: 6",
    "      leading_industry: -6",
    "investment-range",
    at="-6",
)
sub("investment-zero-total", "      total: 10", "      total: 0", "investment-range", at="total: 0")
sub(
    "investment-above-total",
    "      leading_industry: 6",
    "      leading_industry: 11",
    "investment-range",
    at="leading_industry: 11",
)
sub(
    "investment-49.99-percent",
    "      leading_industry: 6",
    "      leading_industry: 4.999",
    "leading-industry-share",
    at="4.999",
)
# declared
sub("declared-total", "    total: 2\n", "    total: 3\n", "declared-mismatch", at="    total: 3")
sub(
    "declared-prefecture",
    "      长春市: 2",
    "      长春市: 1\n      吉林市: 1",
    "declared-mismatch",
    at="      吉林市: 1",
)
# encodings and line endings
raw(
    "bom-with-fault",
    b"\xef\xbb\xbf" + BASE.replace("category: 培育类", "category: 培养类", 1).encode(),
    "schema",
    line_of(BASE, "category: 培育类"),
)
raw(
    "crlf-with-fault",
    BASE.replace("category: 培育类", "category: 培养类", 1).replace("\n", "\r\n").encode(),
    "schema",
    line_of(BASE, "category: 培育类"),
)
raw(
    "not-utf8",
    BASE.replace("测试名录", "XX").encode().replace(b"XX", "测试名录".encode("gbk")),
    "file-encoding",
    line_of(BASE, "测试名录"),
)
# tags and aliases
sub(
    "tag-python-object",
    "  title: 测试名录",
    "  title: !!python/object/apply:os.system ['echo pwned']",
    "yaml-syntax",
    at="  title:",
)
sub(
    "tag-python-name",
    "    management: null\n",
    "    management: !!python/name:os.system\n",
    "yaml-syntax",
    at="!!python/name",
)
sub("tag-set", "    history: []\n", "    history: !!set {a, b}\n", "yaml-syntax", at="!!set")
bomb = (
    "\n".join(
        ["lol0: &lol0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        + [f"lol{i}: &lol{i} [" + ", ".join([f"*lol{i - 1}"] * 10) + "]" for i in range(1, 12)]
    )
    + "\n"
)
raw("alias-bomb", bomb.encode(), "yaml-syntax", 2)
sub(
    "merge-key",
    "    investment:\n      total: 10\n",
    "    investment:\n      <<: {total: 10}\n      total: 10\n",
    "yaml-syntax",
    at="<<:",
)

rows = []
for name, data, code, line in cases:
    (HERE / f"{name}.yaml").write_bytes(data)
    rows.append(f"{name}.yaml\t{code}\t{line}")
(HERE / "expected.tsv").write_text(
    "# file\tthe problem code it must report\tat this line\n" + "\n".join(rows) + "\n", encoding="utf-8"
)
(HERE / "valid.yaml").write_text(BASE, encoding="utf-8")
print(len(cases))
