"""The command line: parse, call the library, print, exit. No rule or format lives here.

Each module holds one family of commands; importing it registers its commands on the app, in the order
`--help` lists them. None of the modules uses `from __future__ import annotations`: typer would evaluate
each string annotation of each parameter at each start (tests/test_startup.py keeps both so).
"""

import gc
import importlib
import os
import sys
from typing import Any

__all__ = ["app", "main"]

# The families, in the order `--help` lists them.
FAMILIES = ("reads", "checks", "exports", "reports", "edits", "forms", "time")


def register() -> Any:
    """The app, with every family of commands registered."""
    from xiaozhen.cli.base import app

    for family in FAMILIES:
        importlib.import_module(f"xiaozhen.cli.{family}")
    return app


def __getattr__(name: str) -> Any:
    if name == "app":  # `from xiaozhen.cli import app`: every command
        return register()
    raise AttributeError(name)


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
    # xiaozhen uses no pydantic plugins: pydantic is told so (its documented switch), and does not scan
    # every installed package's entry points for them. A user's own setting is kept.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    # The language first: the help texts are translated as the commands are defined.
    from xiaozhen.i18n import BadLanguage, chosen, install

    try:
        install(chosen(sys.argv[1:], os.environ))
    except BadLanguage as error:
        sys.stderr.write(f"xiaozhen: {error}\n")
        raise SystemExit(2) from None
    from xiaozhen.cli.base import fail
    from xiaozhen.errors import XiaozhenError

    try:
        register()()
    except XiaozhenError as error:  # raised outside a command (e.g. in a callback)
        raise SystemExit(fail(error).exit_code) from None
    except KeyboardInterrupt:
        from xiaozhen.i18n import _

        sys.stderr.write("xiaozhen: " + _("interrupted; nothing was written") + "\n")
        raise SystemExit(130) from None
    except Exception as error:  # a bug: say so in one line, not a traceback
        if os.environ.get("XIAOZHEN_DEBUG"):
            raise
        from xiaozhen.i18n import _

        said = _(
            "internal error: {kind}: {error} "
            "(run with XIAOZHEN_DEBUG=1 for the traceback, and please report it)"
        )
        sys.stderr.write("xiaozhen: " + said.format(kind=type(error).__name__, error=error) + "\n")
        raise SystemExit(70) from None
