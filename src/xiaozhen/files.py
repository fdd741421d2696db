"""Opening a file that a pull request may have built: only a regular file is read or written over, so a
FIFO cannot make a read wait forever, and a device (as root, /dev/sda) is never replaced by an export."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from xiaozhen.errors import CannotWrite, RegistryNotFound
from xiaozhen.i18n import _

# Opened without waiting for a writer: a FIFO opens at once, and is then refused by its type.
_NO_WAIT = getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
# And, where a link is refused, not followed even if one takes the file's place after the check above.
_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return _("a directory")
    if stat.S_ISFIFO(mode):
        return _("a FIFO (named pipe)")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return _("a device")
    if stat.S_ISSOCK(mode):
        return _("a socket")
    return _("not a regular file")


def read_regular(path: Path, limit: int, what: str, *, links: bool = True) -> bytes:
    """The first `limit` + 1 bytes of the regular file `path` (a caller refuses a file over `limit`);
    RegistryNotFound saying why it cannot be read, `what` naming what was expected ("a registry file").
    Unless `links`, a symbolic link is refused rather than followed."""
    if not links and os.path.islink(path):
        raise RegistryNotFound(
            _(
                "{path}: is a symbolic link, not {what}: a link can point outside the repository, or at "
                "another version of the file than the one a pull request shows; commit the file itself"
            ).format(path=path, what=what)
        )
    if not links:
        _refuse_outside_repository(path, what)
    try:
        handle = os.open(path, os.O_RDONLY | _NO_WAIT | (0 if links else _NO_FOLLOW))
    except FileNotFoundError:
        raise RegistryNotFound(_("{path}: no such file").format(path=path)) from None
    except PermissionError:
        raise RegistryNotFound(_("{path}: permission denied").format(path=path)) from None
    except OSError as exc:
        raise RegistryNotFound(
            _("{path}: cannot be read ({strerror})").format(path=path, strerror=exc.strerror)
        ) from None
    try:
        mode = os.fstat(handle).st_mode
        if not stat.S_ISREG(mode):
            raise RegistryNotFound(
                _("{path}: is {kind}, not {what}").format(path=path, kind=_kind(mode), what=what)
            )
        with os.fdopen(handle, "rb", closefd=False) as stream:
            return stream.read(limit + 1)
    except OSError as exc:
        raise RegistryNotFound(
            _("{path}: cannot be read ({strerror})").format(path=path, strerror=exc.strerror)
        ) from None
    finally:
        os.close(handle)


def _refuse_outside_repository(path: Path, what: str) -> None:
    """RegistryNotFound if `path` lies in a git checkout as written but, through a linked directory
    (`data -> /elsewhere`), resolves outside it: what git stores there is the link, not this file."""
    written = Path(os.path.abspath(path))
    root = next((d for d in written.parents if os.path.lexists(d / ".git")), None)
    if root is None:
        return
    if not Path(os.path.realpath(written)).is_relative_to(os.path.realpath(root)):
        raise RegistryNotFound(
            _(
                "{path}: a linked directory leads outside the repository {root}, so it is not {what} "
                "that the repository holds; commit the file itself"
            ).format(path=path, root=root, what=what)
        )


def refuse_unless_regular(target: Path, option: str) -> None:
    """CannotWrite unless `target` is missing or a regular file: what `option` may write over."""
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise CannotWrite(
            _("{target}: cannot write ({strerror}); nothing was written").format(
                target=target, strerror=exc.strerror
            )
        ) from None
    if not stat.S_ISREG(mode):
        raise CannotWrite(
            _("{option} {target}: is {kind}; {option} writes only a regular file").format(
                option=option, target=target, kind=_kind(mode)
            )
        )


def writable_by_its_owner(target: Path) -> bool:
    """Whether the file's owner left it writable: a registry made read-only (chmod 444) is kept as it
    is, by root too (for whom the system would replace it all the same)."""
    try:
        mode = target.stat().st_mode
    except OSError:
        return True  # the write says what is wrong
    return bool(mode & stat.S_IWUSR) and os.access(target, os.W_OK)
