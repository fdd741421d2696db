"""The command line: parse, call the library, print, exit. No rule or format lives here.

Each module holds one family of commands; importing them registers the commands on `app`, in the order
`--help` lists them. None of them uses `from __future__ import annotations`: typer builds every command at
each start, and would evaluate each string annotation of each parameter again (two thirds of the time it
takes to build them; tests/test_startup.py keeps it so).
"""

import gc
import os
import sys
from typing import Any

from xiaozhen.cli.base import app, fail
from xiaozhen.errors import XiaozhenError

# Registers the commands; the order of the modules is the order `--help` lists them in.
from xiaozhen.cli import reads, checks, exports, reports, edits, time  # noqa: F401  # isort: skip

__all__ = ["app", "main"]


def utf8_output(stream: Any) -> None:
    """Write UTF-8 to a pipe or file whose encoding cannot hold the registry's text.

    On Chinese Windows, output redirected to a file or another program is in the locale's code page
    (cp936), which has no █ or ━ and would stop a command half-way; Python writes Unicode to a console
    itself. A stream whose encoding PYTHONIOENCODING chose is left as chosen."""
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
    if encoding == "utf8" or os.environ.get("PYTHONIOENCODING") or not hasattr(stream, "reconfigure"):
        return
    try:
        interactive = stream.isatty()
    except (OSError, ValueError):
        interactive = False
    if not interactive:
        stream.reconfigure(encoding="utf-8")
    else:
        stream.reconfigure(errors="replace")


def main() -> None:
    """The console script."""
    for stream in (sys.stdout, sys.stderr):
        utf8_output(stream)
    # One command, then exit: the cyclic collector would only rescan the registry's many objects, over
    # and over (a third of the time of a large read); memory is returned when the process ends.
    gc.disable()
    # pydantic looks for plugins among every installed package's entry points on its first validation
    # (a sixth of a cold command's time); xiaozhen uses none. Set the variable to load them anyway.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    try:
        app()
    except XiaozhenError as error:  # raised outside a command (e.g. in a callback)
        raise SystemExit(fail(error).exit_code) from None
    except KeyboardInterrupt:
        sys.stderr.write("xiaozhen: interrupted; nothing was written\n")
        raise SystemExit(130) from None
    except Exception as error:  # a bug: say so in one line, not a traceback
        if os.environ.get("XIAOZHEN_DEBUG"):
            raise
        sys.stderr.write(
            f"xiaozhen: internal error: {type(error).__name__}: {error} "
            "(run with XIAOZHEN_DEBUG=1 for the traceback, and please report it)\n"
        )
        raise SystemExit(70) from None
