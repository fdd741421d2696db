"""Opening a file that a pull request may have built: only a regular file is read or written over, so a
FIFO cannot make a read wait forever, and a device (as root, /dev/sda) is never replaced by an export."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from xiaozhen.errors import CannotWrite, RegistryNotFound

# Opened without waiting for a writer: a FIFO opens at once, and is then refused by its type.
_NO_WAIT = getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_regular(path: Path, limit: int, what: str) -> bytes:
    """The first `limit` + 1 bytes of the regular file `path` (a caller refuses a file over `limit`);
    RegistryNotFound saying why it cannot be read, `what` naming what was expected ("a registry file")."""
    try:
        handle = os.open(path, os.O_RDONLY | _NO_WAIT)
    except FileNotFoundError:
        raise RegistryNotFound(f"{path}: no such file") from None
    except PermissionError:
        raise RegistryNotFound(f"{path}: permission denied") from None
    except OSError as exc:
        raise RegistryNotFound(f"{path}: cannot be read ({exc.strerror})") from None
    try:
        mode = os.fstat(handle).st_mode
        if not stat.S_ISREG(mode):
            raise RegistryNotFound(f"{path}: is {_kind(mode)}, not {what}")
        with os.fdopen(handle, "rb", closefd=False) as stream:
            return stream.read(limit + 1)
    except OSError as exc:
        raise RegistryNotFound(f"{path}: cannot be read ({exc.strerror})") from None
    finally:
        os.close(handle)


def refuse_unless_regular(target: Path, option: str) -> None:
    """CannotWrite unless `target` is missing or a regular file: what `option` may write over."""
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise CannotWrite(f"{target}: cannot write ({exc.strerror}); nothing was written") from None
    if not stat.S_ISREG(mode):
        raise CannotWrite(f"{option} {target}: is {_kind(mode)}; {option} writes only a regular file")


def writable_by_its_owner(target: Path) -> bool:
    """Whether the file's owner left it writable: a registry made read-only (chmod 444) is kept as it
    is, by root too (for whom the system would replace it all the same)."""
    try:
        mode = target.stat().st_mode
    except OSError:
        return True  # the write says what is wrong
    return bool(mode & stat.S_IWUSR) and os.access(target, os.W_OK)
