"""The registry in Datasette (the optional extra `xiaozhen[serve]`): its sqlite export and the export's
metadata, served read-only through Datasette's own command line."""

from __future__ import annotations

import gc
import signal
from collections.abc import Callable
from pathlib import Path
from typing import Any

from xiaozhen.errors import UsageError
from xiaozhen.i18n import _

# The file name is the database's name in Datasette's addresses: http://127.0.0.1:8001/towns
DATABASE = "towns.db"


class NoDatasette(UsageError):
    """`serve` was asked for where the optional extra is not installed."""


def datasette() -> Callable[[list[str]], Any]:
    """Datasette's `datasette` command, to call with its arguments; NoDatasette where it is missing."""
    try:
        from datasette.cli import cli
    except ImportError:
        raise NoDatasette(
            _("xiaozhen serve needs Datasette, an optional extra: pip install 'xiaozhen[serve]'")
        ) from None

    def run(arguments: list[str]) -> Any:
        # click's public entry point; standalone_mode=False returns rather than exiting the process.
        return cli.main(arguments, prog_name="datasette", standalone_mode=False)

    return run


def serve_registry(
    run: Callable[[list[str]], Any], registry: dict[str, Any], folder: Path, host: str, port: int
) -> None:
    """Write the registry's database and metadata into `folder` and serve them until Datasette stops."""
    from xiaozhen.reports.database import write_database
    from xiaozhen.reports.datasette import metadata_path, write_metadata

    database = folder / DATABASE
    metadata = metadata_path(database)
    write_database(registry, database)
    write_metadata(registry, database, metadata)
    # -i: immutable, so Datasette never writes to it and may count its rows once.
    arguments = ["serve", "-i", str(database), "-m", str(metadata), "--host", host, "--port", str(port)]
    # A server lives long: the cyclic collector that a one-command run goes without (cli.main) is back.
    gc.enable()
    # uvicorn stops on Ctrl-C or SIGTERM, then raises the same signal again for the handler it found:
    # this one ends the serve normally, so that the caller's folder is removed and the exit code is 0.
    stops = [signal.SIGINT, signal.SIGTERM]
    previous = {stop: signal.signal(stop, _stopped) for stop in stops}
    try:
        run(arguments)
    except Stopped:
        pass
    except SystemExit as stopped:  # uvicorn could not start (a port in use): its message is above
        if stopped.code not in (0, None):
            raise CouldNotServe(
                _("could not serve on {host}:{port} (Datasette's message is above)").format(
                    host=host, port=port
                )
            ) from None
    finally:
        for stop, handler in previous.items():
            signal.signal(stop, handler)


class CouldNotServe(UsageError):
    """Datasette did not start: the address is taken or cannot be used."""


class Stopped(Exception):
    """Ctrl-C or SIGTERM, once Datasette has shut down."""


def _stopped(signum: int, frame: object) -> None:
    raise Stopped
