"""A problem of a town, at its place in the file: what every rule of a town yields."""

from __future__ import annotations

from xiaozhen.i18n import _
from xiaozhen.model.parse import Parsed, Path, dotted
from xiaozhen.model.schema import Town
from xiaozhen.problems import Problem


def town_problem(
    parsed: Parsed,
    town: Town,
    at: Path,
    code: str,
    message: str,
    where: tuple[str | int, ...],
    severity: str = "error",
) -> Problem:
    """A problem of `town` at `where` inside it (`at` is its place in the file), its name first."""
    line, column = parsed.locate((*at, *where))
    return Problem(
        code,
        _("{name}: {message}").format(name=town.name, message=message),
        line,
        column,
        town=town.id,
        path=dotted((*at, *where)),
        severity=severity,
    )
