"""One writer at a time: an exclusive lock on a file beside the registry, which the operating system
releases when its holder exits, however it exits (so a killed writer never leaves a stale lock).

On POSIX the lock is `flock` on the lock file; on Windows, `msvcrt.locking` on its first byte. Both are
taken without blocking and retried, so that a wait can end with a message. (This is what the `filelock`
package does; written out here because importing that package cost an edit more than the lock itself.)
"""

from __future__ import annotations

import errno
import os
import stat
import sys
import time
from pathlib import Path

from xiaozhen.i18n import _

# Retry every 50 ms: a writer holds the lock for the length of one edit.
PAUSE = 0.05


class Busy(Exception):
    """Another process held the lock for the whole wait."""


if sys.platform == "win32":
    import msvcrt

    def _take(handle: int) -> bool:
        """Lock without waiting: True if taken, False if another process holds it."""
        try:
            msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)
        except PermissionError:  # held (EACCES); any other error says what is wrong
            return False
        return True

    def _unlock(handle: int) -> None:
        os.lseek(handle, 0, os.SEEK_SET)  # the byte locked is the first
        msvcrt.locking(handle, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _take(handle: int) -> bool:
        """Lock without waiting: True if taken, False if another process holds it."""
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:  # held (EWOULDBLOCK); any other error says what is wrong
            return False
        return True

    def _unlock(handle: int) -> None:
        fcntl.flock(handle, fcntl.LOCK_UN)


def acquire(path: Path, timeout: float) -> int:
    """Take the lock on `path` (created if missing) and return its handle for `release`; Busy after
    `timeout` seconds of waiting, OSError if the file cannot be opened or locked at all."""
    # Not through a symbolic link (a pull request may commit one that points anywhere), and not a FIFO
    # or a device: opened without waiting, and refused by its type.
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    if os.path.islink(path):  # Windows has no O_NOFOLLOW
        raise OSError(errno.ELOOP, _("the lock file is a symbolic link; remove it"), str(path))
    handle = os.open(path, flags, 0o644)
    try:
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            raise OSError(errno.EINVAL, _("the lock file is not a regular file; remove it"), str(path))
        deadline = time.monotonic() + timeout
        while not _take(handle):
            if time.monotonic() >= deadline:
                raise Busy(str(path))
            time.sleep(PAUSE)
    except BaseException:
        os.close(handle)
        raise
    return handle


def release(handle: int) -> None:
    try:
        _unlock(handle)
    finally:
        os.close(handle)  # closing alone would release it too; unlocking first says so
