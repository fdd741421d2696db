"""Writing the registry file: under a lock, one writer at a time; beside the target, flushed to disk, then
renamed over it — the old file or the new, never half; the original's byte-order mark and line endings
kept. Windows differs in two calls, and is covered by tests on Linux (`WINDOWS`)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from xiaozhen.errors import CannotWrite, Refused
from xiaozhen.i18n import _

# Windows differs in two calls of the write path: a folder cannot be opened to flush it, and a file
# another program holds open cannot be renamed over for a moment. Tests set this to cover it on Linux.
WINDOWS = os.name == "nt"


# How long a rename over a file another program holds open is retried (Windows) before giving up.
REPLACE_RETRIES = (0.05, 0.1, 0.2, 0.4, 0.8)


# How long an edit waits for another one to finish before giving up.
LOCK_WAIT = 60.0


def encode_like(text: str, original: bytes) -> bytes:
    """Keep the original's byte-order mark and line endings."""
    if b"\r\n" in original:
        text = text.replace("\n", "\r\n")
    data = text.encode()
    return b"\xef\xbb\xbf" + data if original.startswith(b"\xef\xbb\xbf") else data


@contextmanager
def locked(target: Path) -> Iterator[None]:
    from xiaozhen.store import locking

    # The lock sits beside the file, hidden; the kernel releases it when a holder dies.
    lock = target.parent / f".{target.name}.lock"
    try:
        handle = locking.acquire(lock, timeout=LOCK_WAIT)
    except locking.Busy:
        busy = _("{file} is locked by another xiaozhen for over {seconds} s; try again").format(
            file=target, seconds=f"{LOCK_WAIT:.0f}"
        )
        raise Refused(busy) from None
    except OSError as exc:
        raise CannotWrite(
            _("{lock}: cannot lock the registry ({strerror})").format(lock=lock, strerror=exc.strerror)
        ) from None
    try:
        yield
    finally:
        locking.release(handle)


def _temporary_prefix(target: Path) -> str:
    return f".{target.name}."


def remove_leftovers(target: Path) -> None:
    """Remove the temporary files of writers that died mid-write. Only the lock holder writes, and it
    holds the lock now, so any such file is a dead writer's (one that another program still holds open,
    as Windows may, is left for a later edit)."""
    for leftover in target.parent.glob(f"{_temporary_prefix(target)}*.tmp"):
        try:
            leftover.unlink(missing_ok=True)
        except OSError:
            continue


def write_atomic(target: Path, data: bytes) -> None:
    """Write beside the target, flush to disk, then rename over it: the old file or the new, never half."""
    import tempfile

    try:
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, before the rename
            dir=target.parent, prefix=_temporary_prefix(target), suffix=".tmp", delete=False
        )
    except OSError as exc:
        raise CannotWrite(
            _("{parent}: cannot write there ({strerror}); nothing was changed").format(
                parent=target.parent, strerror=exc.strerror
            )
        ) from None
    temp = Path(handle.name)
    try:
        with handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, target.stat().st_mode & 0o7777)
        _replace(temp, target)
    except OSError as exc:
        _discard(temp)
        raise CannotWrite(
            _("{target}: cannot write ({strerror}); the registry is unchanged").format(
                target=target, strerror=exc.strerror
            )
        ) from None
    except BaseException:
        _discard(temp)
        raise
    _sync_folder(target.parent)


def _replace(temp: Path, target: Path) -> None:
    """Rename the temporary file over the target. On Windows a rename over a file that another program
    (an editor, a virus scanner, a search indexer) holds open is refused for as long as it does: retry
    for a moment, then say so."""
    import time

    for pause in REPLACE_RETRIES if WINDOWS else ():
        try:
            os.replace(temp, target)
            return
        except PermissionError:
            time.sleep(pause)
    try:
        os.replace(temp, target)
    except PermissionError as exc:
        if WINDOWS:
            raise PermissionError(
                exc.errno, _("another program has it open; close it and try again")
            ) from None
        raise


def _discard(temp: Path) -> None:
    with contextlib.suppress(OSError):  # a later edit removes it (remove_leftovers)
        temp.unlink(missing_ok=True)


def _sync_folder(folder: Path) -> None:
    """Flush the folder's entry for the renamed file to disk, where the system allows it: Windows does
    not open folders (its file system journals the rename itself)."""
    if WINDOWS:
        return
    try:
        directory = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # the rename is done; only its durability across a power cut is left to the system
    try:
        with contextlib.suppress(OSError):
            os.fsync(directory)
    finally:
        os.close(directory)
