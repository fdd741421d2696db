"""The command line: parse, call the library, print, exit. No rule or format lives here.

Each module holds one family of commands; importing them registers the commands on `app`, in the order
`--help` lists them.
"""

from __future__ import annotations

import gc
import os
import sys

from xiaozhen.cli.base import app, fail
from xiaozhen.errors import XiaozhenError

# Registers the commands; the order of the modules is the order `--help` lists them in.
from xiaozhen.cli import reads, checks, exports, edits  # noqa: F401  # isort: skip

__all__ = ["app", "main"]


def main() -> None:
    """The console script."""
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
