"""The hostile corpus: registries, spreadsheets and arguments built to hang xiaozhen, exhaust its memory,
crash it, or smuggle a command into a terminal, a spreadsheet or a CI log — each class of input that
issue 19 found, and the older ones (alias bombs, tags, XML entities). `python tests/hostile.py FOLDER`
writes it there to try by hand; tests/test_hostile.py runs every command on it.
"""

from __future__ import annotations

import io
import os
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "data" / "towns.yaml"

# What no output may hold, whatever the input: escape sequences (ESC, CSI, OSC), BEL, a carriage return
# (a new row in a spreadsheet, a new line in a log), bidirectional overrides and line separators.
FORBIDDEN_IN_OUTPUT = ("\x1b", "\x9b", "\x9d", "\x07", "\r", "\u202e", "\u2066", "\u2028", "\u2029")

# An escape sequence of each kind: the window title (OSC 0), the clipboard (OSC 52), the screen cleared.
ESCAPES = "\x1b]0;pwned\x07\x1b]52;c;ZWNobyBwd25lZA==\x07\x1b[2J"
WORKFLOW = "\n::error file=x.yaml,line=1::forged\n::add-mask::x"


@dataclass
class Case:
    """One command line, and what it must do: exit with one of `codes`, saying `says` on stderr."""

    name: str
    args: list[str]
    codes: tuple[int, ...] = (1, 2)
    says: str = ""
    files: dict[str, Path] = field(default_factory=dict)


def _registry_text() -> str:
    return SHIPPED.read_text(encoding="utf-8")


def _town_1(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def _yaml_string(value: str) -> str:
    """`value` as a double-quoted YAML scalar, every control written as an escape."""
    out = []
    for char in value:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif code < 0x20 or 0x7F <= code <= 0x9F or 0x2028 <= code <= 0x202E or 0x2066 <= code <= 0x2069:
            out.append(f"\\u{code:04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def registries(folder: Path) -> dict[str, Path]:
    """Registries that a pull request could propose, each refused by `validate` (exit 1)."""
    base = _registry_text()
    town_name = "name: 长春市红旗绿色智能小镇"
    texts = {
        "exponent": _town_1(
            base, "investment: null", "investment: {total: 1.0e+999999, leading_industry: 1}"
        ),
        "digits": _town_1(
            base, "investment: null", f"investment: {{total: {'9' * 5000}, leading_industry: 1}}"
        ),
        "hex": _town_1(base, "management: null", "management: 0x" + "f" * 28),
        "name-escapes": _town_1(base, town_name, "name: " + _yaml_string("长春市" + ESCAPES + "小镇")),
        "name-workflow": _town_1(base, town_name, "name: " + _yaml_string("长春市" + WORKFLOW)),
        "name-bidi": _town_1(base, town_name, "name: " + _yaml_string("长春市\u202e镇小\u200b")),
        "note-cr": _town_1(
            base,
            "history: []",
            "history: [{date: 2020-06-01, event: exited, from: 创建中, to: 已退出, note: "
            + _yaml_string('退出\r=HYPERLINK("http://x")\r')
            + "}]",
        ),
        "key-escapes": _town_1(
            base, "management: null", "management: null\n    " + _yaml_string("x" + ESCAPES) + ": 1"
        ),
        "alias-bomb": "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        + "".join(
            f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
            for i in range(20)
        )
        + base,
        "python-tag": base.replace(
            "registry:", "registry: !!python/object/apply:os.system ['echo pwned']\nx:", 1
        ),
        "deep": "registry: " + "[" * 990 + "]" * 990 + "\n",
        # A key that YAML reads and git and GitHub show as part of a comment (row 14 of round three).
        "comment-cr-key": _town_1(base, "management: null", "management: null  # 说明\r    batch: 2"),
        "comment-u2028": _town_1(base, "management: null", "management: null  # 说明\u2028    batch: 2"),
        "comment-nel": _town_1(base, "management: null", "management: null  # 说明\x85    batch: 2"),
        "mixed-crlf": base.replace("\n", "\r\n", 3),
        # A second town named as the first plus an invisible character (row 13 of round three).
        "invisible-twin": _town_1(base, "name: 长春市关东文化小镇", "name: 长春市红旗绿色智能小镇\u034f"),
        # Numbers YAML 1.1 and 1.2 read differently: base 60 and octal (row 18 of round three).
        "sexagesimal": _town_1(
            base, "assessments: []", "assessments: [{year: 2020, result: 达标, score: 1:18}]"
        ),
        "octal": _town_1(base, "assessments: []", "assessments: [{year: 2020, result: 达标, score: 060}]"),
        # A name far over its bound (row 16 of round three; test_limits reads one of 5 million).
        "long-name": _town_1(base, town_name, "name: 长春市" + "长" * 300_000),
        "not-utf8": "registry: \udcff\n",
    }
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, text in texts.items():
        path = folder / f"{name}.yaml"
        path.write_bytes(text.encode("utf-8", errors="surrogateescape"))
        paths[name] = path
    oversized = folder / "oversized.yaml"
    with oversized.open("wb") as handle:  # sparse: 65 MiB of nothing, on disk in no time
        handle.truncate(65 * 1024 * 1024)
    paths["oversized"] = oversized
    return paths


def _workbook(
    rebuilt: dict[str, bytes] | None = None,
    extra: dict[str, bytes] | None = None,
    moved: tuple[str, str] | None = None,
) -> bytes:
    """A small results workbook, with parts replaced (`rebuilt`) or added (`extra`); `moved` renames the
    sheet's part in the workbook's relationships, the part itself left where `extra` puts it (or nowhere)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "评估结果"
    sheet.append(["小镇名称", "年度", "评估结果", "备注"])
    sheet.append(["长春市红旗绿色智能小镇", 2020, "达标", "x"])
    buffer = io.BytesIO()
    book.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    parts = {part.filename: source.read(part.filename) for part in source.infolist()}
    parts.update(rebuilt or {})
    if moved is not None:
        rels = "xl/_rels/workbook.xml.rels"
        parts[rels] = parts[rels].replace(moved[0].encode(), moved[1].encode())
        del parts["xl/" + moved[0]]
    parts.update(extra or {})
    return _zipped(parts)


def _zipped(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def _sheet(cells: str = "", after: str = "") -> bytes:
    """The XML of a results sheet, with more cells (`cells`) and parts after the cells (`after`)."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>小镇名称</t></is></c><c r="B1" t="inlineStr"><is><t>年度</t>'
        '</is></c><c r="C1" t="inlineStr"><is><t>评估结果</t></is></c></row>'
        f"{cells}</sheetData>{after}</worksheet>"
    ).encode()


SHEET = "xl/worksheets/sheet1.xml"
# A cell in row 2 that names row 1,048,576: a reader places it by its own reference (round three, row 3).
FAR_CELL = '<c r="A1048576" t="inlineStr"><is><t>x</t></is></c>'
# An OpenDocument spreadsheet, read by calamine whatever its name (round three, row 4).
ODS = _zipped(
    {
        "mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
        "content.xml": b'<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>',
    }
)


def imports(folder: Path) -> dict[str, tuple[Path, str]]:
    """Files given to `assess-import`, each refused (exit 2) with the message it must give."""
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(
            f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">' for i in range(1, 10)
        )
        + ']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'
    ).encode()
    files: dict[str, tuple[bytes, str, str]] = {
        # name: (bytes, suffix, what the refusal says)
        "far-cell": (
            _workbook({SHEET: _sheet('<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')}),
            ".xlsx",
            "reaches row 1,048,576; a sheet read here has at most 100,000 rows",
        ),
        "wide-cell": (
            _workbook({SHEET: _sheet('<row r="2"><c r="XFD2"><v>1</v></c></row>')}),
            ".xlsx",
            "reaches column 16,384",
        ),
        "merged-rows": (
            _workbook(
                {SHEET: _sheet(after='<mergeCells count="1"><mergeCell ref="A2:A1048576"/></mergeCells>')}
            ),
            ".xlsx",
            "reaches row 1,048,576",
        ),
        "merged-many": (
            _workbook(
                {
                    SHEET: _sheet(
                        after='<mergeCells count="1000">'
                        + "".join(f'<mergeCell ref="A{r}:ZZ{r}"/>' for r in range(2, 1002))
                        + "</mergeCells>"
                    )
                }
            ),
            ".xlsx",
            "merges ",
        ),
        "inflating": (
            _workbook(extra={"xl/media/padding.bin": b"\0" * (200 * 1024 * 1024)}),
            ".xlsx",
            "unpacks to",
        ),
        "many-parts": (
            _workbook(extra={f"xl/media/p{i}.bin": b"" for i in range(2500)}),
            ".xlsx",
            "parts; a workbook read here has at most 2,000",
        ),
        "cell-beyond-its-row": (
            _workbook({SHEET: _sheet(f'<row r="2">{FAR_CELL}</row>')}),
            ".xlsx",
            "reaches row 1,048,576",
        ),
        "sheet-elsewhere": (  # the sheet in another folder, with an upper-case suffix
            _workbook(
                extra={"xl/data/deep/Sheet1.XML": _sheet(f'<row r="2">{FAR_CELL}</row>')},
                moved=("worksheets/sheet1.xml", "data/deep/Sheet1.XML"),
            ),
            ".xlsx",
            "reaches row 1,048,576",
        ),
        "sheet-missing": (
            _workbook(moved=("worksheets/sheet1.xml", "data/deep/Sheet1.XML")),
            ".xlsx",
            "not a readable XLSX workbook",
        ),
        "ods": (ODS, ".ods", "an OpenDocument spreadsheet (.ods); save it as .xlsx"),
        "ods-named-xlsx": (ODS, ".xlsx", "an OpenDocument spreadsheet (.ods); save it as .xlsx"),
        "ods-named-csv": (ODS, ".csv", "an OpenDocument spreadsheet (.ods); save it as .xlsx"),
        # A heading of 130,000 '(' (just under csv's field limit), quadratic in a bracket pattern once.
        "bracket-heading": (
            ("(" * 130_000 + ",年度,评估结果\n大荒地,2020,达标\n").encode(),
            ".csv",
            "no header row",
        ),
        "entities": (_workbook({SHEET: laughs}), ".xlsx", "not a readable XLSX workbook"),
        "not-a-zip": (b"PK\x03\x04 not really", ".xlsx", "not a readable XLSX workbook"),
        "odd-utf16": ("town,year,result\n".encode("utf-16") + b"\x00", ".csv", "begins as UTF-16 text"),
        "long-field": (
            b'town,year,result\n"' + b"x" * 200_000 + b'",2020,pass\n',
            ".csv",
            "not readable as CSV",
        ),
        "control-note": (
            ("town,year,result,note\n长春市红旗绿色智能小镇,2020,达标," + ESCAPES + "\n").encode(),
            ".csv",
            "row 2: note: holds a control character (U+001B)",
        ),
        "unknown-towns": (
            (
                "town,year,result\n"
                + "".join(f"不存在的小镇{i}{'长' * 90},2020,达标\n" for i in range(10_000))
            ).encode(),
            ".csv",
            "and 9,990 more",
        ),
        "many-rows": (b"town,year,result\n" + b"a,2020,x\n" * 110_000, ".csv", "over 100,000 rows"),
    }
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, (data, suffix, says) in files.items():
        path = folder / f"{name}{suffix}"
        path.write_bytes(data)
        paths[name] = (path, says)
    return paths


# Every command that reads a registry, in each of its formats; `{out}` is a file in the case's folder.
READS = [
    ["validate", "{registry}"],
    ["validate", "{registry}", "--format", "github"],
    ["validate", "{registry}", "--format", "json"],
    ["list"],
    ["list", "-f", "csv"],
    ["show", "1"],
    ["filter", "id=1", "-f", "json"],
    ["tally", "--by", "category"],
    ["standards"],
    ["export", "-f", "json"],
    ["export", "-f", "csv"],
    ["export", "-f", "md"],
    ["export", "-f", "xlsx", "-o", "{out}.xlsx"],
    ["export", "-f", "sqlite", "-o", "{out}.db"],
    ["report", "-f", "md"],
    ["report", "-f", "html", "-o", "{out}.html"],
    ["report", "-f", "xlsx", "-o", "{out}.xlsx"],
    ["diff", str(SHIPPED), "{registry}", "-f", "md"],
    ["set", "1", "management=管委会"],
    ["advance", "3"],
    ["withdraw", "2", "--reason", "x"],
]


def cases(folder: Path) -> list[Case]:
    """Every case of the corpus, its files written under `folder`."""
    out: list[Case] = []
    for name, path in registries(folder / "registries").items():
        for args in READS:
            filled = [a.format(registry=path, out=folder / f"out-{name}") for a in args]
            out.append(Case(f"{name}: {' '.join(args[:3])}", ["--registry", str(path), *filled], (1,)))
    good = folder / "towns.yaml"
    good.write_bytes(SHIPPED.read_bytes())
    for name, (path, says) in imports(folder / "imports").items():
        out.append(Case(f"import {name}", ["--registry", str(good), "assess-import", str(path)], (2,), says))
    # An amount of 40,000 digits then x, once quadratic in the amount pattern (round three, row 5).
    digits = f"investment.total={'9' * 40_000}x"
    out.append(
        Case("set digits", ["--registry", str(good), "set", "1", digits], (2,), "is not an amount (亿元)")
    )
    return out


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("hostile")
    built = cases(folder)
    print(f"{len(built)} cases in {folder}{os.sep}")


if __name__ == "__main__":
    main()
