"""Files written for people (exports, reports): written whole beside the target, then renamed over it,
so that a failure leaves the old file or none, never half of one."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from xiaozhen.errors import CannotWrite
from xiaozhen.files import refuse_unless_regular
from xiaozhen.i18n import _


def write_replacing(target: Path, write: Callable[[Path], Any]) -> None:
    """Call `write` with a temporary path in the target's folder, then rename it over the target;
    CannotWrite (nothing changed) if the folder cannot be written or the write fails."""
    folder = target.parent if str(target.parent) else Path(".")
    refuse_unless_regular(target, "--output")
    try:
        handle, name = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise CannotWrite(
            _("{target}: cannot write in {folder} ({strerror}); nothing was written").format(
                target=target, folder=folder, strerror=exc.strerror
            )
        ) from None
    os.close(handle)
    temp = Path(name)
    try:
        temp.unlink()  # the writer (openpyxl, sqlite3) makes the file itself
        write(temp)
        os.replace(temp, target)
    except OSError as exc:
        raise CannotWrite(
            _("{target}: cannot write ({strerror}); nothing was written").format(
                target=target, strerror=exc.strerror
            )
        ) from None
    finally:
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)
