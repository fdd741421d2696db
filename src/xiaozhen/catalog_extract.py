"""Babel's extractor for xiaozhen's sources (`make catalogs`; never imported when xiaozhen runs): the
messages marked `_()`, as Babel's own Python extractor finds them, and each command's help — the
docstring of a function decorated `@command(...)`, which `cli.base.command` looks up in the catalog."""

from __future__ import annotations

import ast
import inspect
from collections.abc import Iterator
from typing import IO, Any


def extract(fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: Any) -> Iterator[Any]:
    """Babel's extraction method (its documented signature): (line, function, message, comments)."""
    from babel.messages.extract import extract_python

    source = fileobj.read()
    fileobj.seek(0)
    yield from extract_python(fileobj, keywords, comment_tags, options)
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.FunctionDef):
            continue
        decorated = any(
            isinstance(d, ast.Call) and isinstance(d.func, ast.Name) and d.func.id in ("command", "callback")
            for d in node.decorator_list
        )
        docstring = ast.get_docstring(node, clean=False)
        if decorated and docstring:
            yield node.lineno, "gettext", inspect.cleandoc(docstring), ["the --help of a command"]
