"""What input may hold: the characters of text a person reads, the size of a number, the extent of a
spreadsheet. Any file xiaozhen reads may come from a hostile pull request; these bounds are what keep a
value from reaching a terminal, a spreadsheet or a CI log as a command, and a file from costing minutes
or gigabytes. Standard library only: the parser and the schema both import it.
"""

from __future__ import annotations

import re
from decimal import Decimal

# --- text -----------------------------------------------------------------------------------------

# C0 and C1 controls and DEL: escape sequences (colours, the window title, the clipboard), carriage
# returns that start a new row in a spreadsheet or a workflow command in a CI log.
_CONTROLS = "\x00-\x1f\x7f-\x9f"
_CONTROLS_BUT_LINE_FEED = "\x00-\x09\x0b-\x1f\x7f-\x9f"
# Unicode's format characters (category Cf), and the line and paragraph separators: invisible, they
# make two names look alike (zero-width space, joiner), or reorder what a terminal or a page shows
# (bidirectional overrides and isolates). tests/test_text_limits.py checks this against unicodedata.
# And the characters outside Cf that show nothing, or a blank, after another: the combining grapheme
# joiner, variation selectors, Hangul fillers and the blank Braille cell. A second town named as the
# first plus one of them would look like the first.
_FORMAT = (
    "\u00ad\u034f\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u115f\u1160\u180b-\u180f"
    "\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\u2800\u3164\ufe00-\ufe0f\ufeff"
    "\uffa0\ufff9-\ufffb"
)
_FORMAT_ASTRAL = (
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f\U000e0100-\U000e01ef"
)
_NOT_IN_A_LINE = re.compile(f"[{_CONTROLS}{_FORMAT}{_FORMAT_ASTRAL}]")
# Notes and reasons may run over several lines; nothing else changes.
_NOT_IN_PROSE = re.compile(f"[{_CONTROLS_BUT_LINE_FEED}{_FORMAT}{_FORMAT_ASTRAL}]")


def _rust_range(chars: str) -> str:
    return "".join(f"\\x{{{ord(c):x}}}" if c != "-" else "-" for c in chars)


# For pydantic's pattern match (the Rust regex crate's syntax), the whole class.
LINE_REGEX = f"^[^{_rust_range(_CONTROLS + _FORMAT + _FORMAT_ASTRAL)}]*$"
PROSE_REGEX = f"^[^{_rust_range(_CONTROLS_BUT_LINE_FEED + _FORMAT + _FORMAT_ASTRAL)}]*$"


def _json_range(chars: str) -> str:
    return "".join(f"\\u{ord(c):04x}" if c != "-" else "-" for c in chars)


# The same classes for the JSON Schema, whose patterns are ECMA-262's: the characters beyond the
# Basic Multilingual Plane are left to xiaozhen's own check (a pattern without the u flag sees them as
# surrogate pairs).
LINE_PATTERN = f"^[^{_json_range(_CONTROLS + _FORMAT)}]*$"
PROSE_PATTERN = f"^[^{_json_range(_CONTROLS_BUT_LINE_FEED + _FORMAT)}]*$"


def _what(char: str) -> str:
    from xiaozhen.i18n import _

    code = f"U+{ord(char):04X}"
    if char in "\r\n\u2028\u2029":
        return _("a line break ({code})").format(code=code)
    if ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F:
        return _("a control character ({code})").format(code=code)
    return _("an invisible format character ({code})").format(code=code)


# The longest text a value may be: a town's, a developer's or a plan's name is a few dozen characters; a
# note or a reason a paragraph. A name of millions of characters is an attack, not a name.
MAX_LINE_CHARS = 200
MAX_PROSE_CHARS = 2_000


def too_long(text: str, most: int) -> str | None:
    """Why `text` is too long for a value of at most `most` characters, or None."""
    if len(text) <= most:
        return None
    from xiaozhen.i18n import _

    return _("has {length} characters; a value has at most {most}").format(
        length=f"{len(text):,}", most=f"{most:,}"
    )


def line_refusal(text: str) -> str | None:
    """Why `text` cannot be a one-line value (a name, a term, a title), or None."""
    if len(text) > MAX_LINE_CHARS:
        return too_long(text, MAX_LINE_CHARS)
    found = _NOT_IN_A_LINE.search(text)
    if found is None:
        return None
    from xiaozhen.i18n import _

    return _("holds {what} at character {at}: write it as one line of plain text").format(
        what=_what(found.group()), at=found.start() + 1
    )


def prose_refusal(text: str) -> str | None:
    """Why `text` cannot be a note or a reason (which may span lines), or None."""
    if len(text) > MAX_PROSE_CHARS:
        return too_long(text, MAX_PROSE_CHARS)
    found = _NOT_IN_PROSE.search(text)
    if found is None:
        return None
    from xiaozhen.i18n import _

    return _("holds {what} at character {at}: write it as plain text").format(
        what=_what(found.group()), at=found.start() + 1
    )


def printable(text: str, *, lines: bool = False) -> str:
    """`text` with every character a terminal, a CI log or a spreadsheet could act on replaced by U+FFFD
    (line breaks by a space, unless `lines` keeps them): what is printed of data, whatever the data."""
    if lines:
        return _NOT_IN_PROSE.sub("\ufffd", text.replace("\r\n", "\n"))
    return _NOT_IN_A_LINE.sub(_replacement, text)


def escaped(json_text: str) -> str:
    """JSON text with each format character of its strings written as a \\u escape (json.dumps has
    escaped the controls already): the same data when parsed, nothing invisible on a terminal."""
    return _NOT_IN_PROSE.sub(_json_escape, json_text)


def _json_escape(found: re.Match[str]) -> str:
    code = ord(found.group())
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def _replacement(found: re.Match[str]) -> str:
    return " " if found.group() in "\r\n\u2028\u2029" else "\ufffd"


# --- numbers --------------------------------------------------------------------------------------

# A registry's numbers are amounts in 亿元, shares, scores, years, counts and ids: none needs more than 30
# characters or a magnitude of 10^15. An exponent of a million or a number of thousands of digits is
# refused where it is read; kept, it would cost minutes later (Decimal → int → text) or fail outright.
MAX_NUMBER_CHARS = 30
MAX_EXPONENT = 15


def number_refusal(text: str, value: Decimal | int | float | None = None) -> str | None:
    """Why a number written `text` (read as `value`) is out of bounds, or None."""
    from xiaozhen.i18n import _

    if len(text) > MAX_NUMBER_CHARS:
        return _("the number has {length} characters; a registry's numbers have at most {most}").format(
            length=f"{len(text):,}", most=MAX_NUMBER_CHARS
        )
    if isinstance(value, Decimal) and value.is_finite() and value != 0:
        out = not -MAX_EXPONENT <= value.adjusted() < MAX_EXPONENT  # 1e-15 ≤ |value| < 1e15, as for ints
    else:
        out = isinstance(value, int) and abs(value) >= 10**MAX_EXPONENT
    refusal = _("the number {text} is out of bounds: a registry's lie between 1e-15 and 1e15")
    return refusal.format(text=text) if out else None


# --- structure ----------------------------------------------------------------------------------

# How deep a registry's YAML may nest: six levels are used (towns, a town, its history, an entry, its
# `to`, a value's list).
MAX_NESTING = 20


# --- spreadsheets ---------------------------------------------------------------------------------

# An assessor's results or a county's returns are a sheet of tens to thousands of rows; these bounds are
# a hundred times that, and far below what makes openpyxl take minutes or gigabytes (workbooks.py).
MAX_SPREADSHEET_BYTES = 16 * 1024 * 1024  # a file, CSV or XLSX, as it lies on disk
MAX_WORKBOOK_PARTS = 2_000
MAX_WORKBOOK_INFLATED = 32 * 1024 * 1024  # all of an XLSX's parts, unpacked
MAX_SHEET_ROWS = 100_000
MAX_SHEET_COLUMNS = 1_000
MAX_SHEET_CELLS = 300_000  # cells written in a sheet
MAX_SHEET_GRID = 2_000_000  # rows × columns of the area the sheet's cells and merged ranges reach
MAX_SHEET_MERGED_CELLS = 200_000  # cells covered by merged ranges (openpyxl makes an object for each)


# No id, year, batch or count anyone types runs to more digits; a longer one is no number of ours.
MAX_WHOLE_DIGITS = 15


def clipped(text: str, length: int = 20) -> str:
    """`text` as a message quotes it: a few thousand digits of hostile input end in … after `length`."""
    return text if len(text) <= length else text[:length] + "…"


def whole_number(text: str) -> int | None:
    """The whole number `text` writes in ASCII digits (at most MAX_WHOLE_DIGITS), else None: str.isdigit
    takes ፩ and ², which int() refuses, and int() refuses a string of over 4,300 digits."""
    if text.isascii() and text.isdigit() and len(text) <= MAX_WHOLE_DIGITS:
        return int(text)
    return None


# A registry's size: every province's list together is about 1,600 towns (the national norms of 2021
# cut them to that); a file of more is refused before any town is validated.
MAX_TOWNS = 20_000
# The schema problems explained and listed at most: past them, one line says how many more there are.
MAX_PROBLEMS = 1_000
