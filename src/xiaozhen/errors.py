"""Exit codes and the exceptions the library raises; only the CLI turns them into messages."""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from xiaozhen.problems import Problem


class ExitCode(IntEnum):
    """The documented exit codes (docs/reference.md, "Exit codes")."""

    OK = 0  # done, or nothing to do
    INVALID = 1  # the file is wrong (an error, not a finding), or the change asked for would make it so
    USAGE = 2  # the command was used wrongly: bad option value, no such town, unreadable path
    FINDINGS = 3  # `validate --findings error`: the file is valid, but towns fall short of a standard


# A message lists at most this many candidates or values, then says how many more there are.
LISTED = 10


def some(items: Sequence[str], separator: str = ", ", limit: int = LISTED) -> str:
    """The first `limit` items, then "and N more": a message stays a line a person reads."""
    from xiaozhen.i18n import _

    shown = separator.join(items[:limit])
    rest = len(items) - limit
    return shown + separator + _("and {rest} more").format(rest=rest) if rest > 0 else shown


def did_you_mean(word: str, known: Sequence[str]) -> str:
    """ "; did you mean 'x'?" for the one known word that begins with `word` (长春 → 长春市), else for the
    closest one; or nothing."""
    import difflib

    close = [k for k in known if k.startswith(word)] if word else []
    if len(close) != 1:
        close = difflib.get_close_matches(word, known, n=1)
    from xiaozhen.i18n import _

    return _("; did you mean '{word}'?").format(word=close[0]) if close else ""


class XiaozhenError(Exception):
    """Base of every error the library raises on purpose."""

    exit_code = ExitCode.INVALID


class UsageError(XiaozhenError):
    """The command was used wrongly."""

    exit_code = ExitCode.USAGE


class ItemsRefused(UsageError):
    """A file of many rows or cells (an import, returned forms) has some that cannot be recorded; none is.
    `items` are shown one a line under the message, the first LISTED of them."""

    def __init__(self, message: str, items: Sequence[object]) -> None:
        super().__init__(message)
        self.items = list(items)


class RegistryNotFound(UsageError):
    """The registry path cannot be read: missing, a directory, or no permission."""


class CannotWrite(UsageError):
    """A file cannot be written (no permission, disk full); the original is left as it was."""


class ReadOnlyRegistry(UsageError):
    """An edit was asked of the copy installed with the package."""


class NoSuchTown(UsageError):
    """No town matches the id or name fragment given."""


class AmbiguousTown(UsageError):
    """A name fragment matches more than one town."""

    def __init__(self, fragment: str, candidates: list[tuple[int, str]]) -> None:
        self.fragment = fragment
        self.candidates = candidates
        from xiaozhen.i18n import _

        listed = some([f"{i} {n}" for i, n in candidates], "; ")
        super().__init__(
            _("'{fragment}' matches {count} towns: {listed}. Give an id or more of the name.").format(
                fragment=fragment, count=len(candidates), listed=listed
            )
        )


class BadValue(UsageError):
    """An option or argument value is not one of the accepted ones."""


class HalfFilled(BadValue):
    """Values that would leave a group half filled (a total without its leading-industry amount);
    `missing` is the key not given, for a form to name its cell."""

    def __init__(self, message: str, missing: str) -> None:
        super().__init__(message)
        self.missing = missing


class InvalidRegistry(XiaozhenError):
    """The registry breaks rules; `problems` says which and where (in the file at `path`)."""

    def __init__(self, message: str, problems: list[Problem], path: Path | None = None) -> None:
        self.problems = problems
        self.path = path
        super().__init__(message)


class Refused(XiaozhenError):
    """A change was refused because it would break a rule of the notice."""

    def __init__(self, message: str, problems: list[Problem] | None = None, path: Path | None = None) -> None:
        self.problems = problems or []
        self.path = path
        super().__init__(message)
