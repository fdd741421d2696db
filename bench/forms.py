"""Returned forms for the `collect` rows: `python bench/forms.py REGISTRY OUT EVERY`.

Writes one form a prefecture with `xiaozhen form` (its towns in creation, as the office sends them), then
fills them as the counties would: in every EVERY-th town's row a new 管理机构 with its 资料来源 (EVERY 0: the
forms come back unchanged).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from generate import PREFECTURES  # the prefectures the synthetic registries use
from openpyxl import load_workbook


def main() -> None:
    registry, out, every = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    out.mkdir(parents=True, exist_ok=True)
    xiaozhen = str(Path(sys.executable).parent / "xiaozhen")
    for prefecture in PREFECTURES:
        form = out / f"{prefecture}.xlsx"
        subprocess.run(
            [xiaozhen, "--registry", str(registry), "form", "-p", prefecture, "-o", str(form)],
            capture_output=True,
            check=True,
        )
        if not form.exists() or not every:
            continue
        book = load_workbook(form)
        sheet = book["填报表"]
        headers = {cell.value: cell.column for cell in sheet[4]}
        for row in range(5, sheet.max_row + 1):
            town = sheet.cell(row, 1).value
            if isinstance(town, int) and town % every == 0:
                sheet.cell(row, headers["管理机构"]).value = f"{prefecture}小镇管理委员会{town}"
                sheet.cell(row, headers["资料来源"]).value = "2026年度报表"
        book.save(form)


if __name__ == "__main__":
    main()
