"""The language a person reads: Chinese or English, from gettext catalogs.

The messages are written in English in the code, marked with `_()`; `src/xiaozhen/locale/zh/LC_MESSAGES/
xiaozhen.po` holds their Chinese, and Babel extracts the one and compiles the other (`make catalogs`).
The language is `--lang zh|en`, else $XIAOZHEN_LANG, else the locale's (LC_ALL, LC_MESSAGES, LANG; on
Windows the user's UI language): Chinese for any zh locale, English otherwise.

The catalog is installed as the process's gettext domain, through the standard library's public
functions, before the command line is built: click's and typer's own words (Usage, Options, Error) are
looked up in it too, and the help texts, evaluated as the commands are defined, come out translated.
What scripts read is never translated: the file format, problem codes and JSON keys are the same bytes in
either language."""

from __future__ import annotations

import gettext
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

DOMAIN = "xiaozhen"
LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("zh", "en")
# The languages by name, as a person may type them (--lang 中文)
NAMES = {"中文": "zh", "汉语": "zh", "chinese": "zh", "英文": "en", "英语": "en", "english": "en"}

# The catalog in use, looked up once: gettext.gettext would search the locale folders again at each of
# the few hundred lookups a start makes (the help texts), most of a start's cost where none is found.
_current: gettext.NullTranslations = gettext.NullTranslations()


def _(message: str) -> str:
    """`message` in the reader's language."""
    return _current.gettext(message)


def speaking() -> str:
    """The language in use: "zh" or "en"."""
    return str(_current.info().get("language", "en"))


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a message with a count, in the reader's language."""
    return _current.ngettext(singular, plural, n)


class BadLanguage(ValueError):
    """--lang or $XIAOZHEN_LANG names a language xiaozhen does not speak."""


def _windows_ui_language() -> str | None:  # pragma: no cover - Windows only
    try:
        import ctypes
        import locale

        code = ctypes.windll.kernel32.GetUserDefaultUILanguage()  # type: ignore[attr-defined]
        return locale.windows_locale.get(code)
    except (AttributeError, OSError):
        return None


def _lang_option(argv: Sequence[str]) -> str | None:
    """The value of the last --lang before a `--` (as click would take it), or None."""
    found = None
    for at, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and at + 1 < len(argv):
            found = argv[at + 1]
        elif arg.startswith("--lang="):
            found = arg.removeprefix("--lang=")
    return found


def chosen(argv: Sequence[str], environ: Mapping[str, str], platform: str = sys.platform) -> str:
    """The language to speak: zh or en (BadLanguage for --lang or $XIAOZHEN_LANG naming another)."""
    for asked, where in ((_lang_option(argv), "--lang"), (environ.get("XIAOZHEN_LANG"), "XIAOZHEN_LANG")):
        if asked:
            word = asked.strip().lower().replace("-", "_")
            word = NAMES.get(word, word)
            for language in LANGUAGES:
                if word == language or word.startswith(language + "_"):
                    return language
            # before a language is chosen: said in both
            raise BadLanguage(
                f"{where} '{asked}': xiaozhen speaks zh (中文) and en (English); "
                "只支持 zh（中文）和 en（英文）"
            )
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):  # the first that is set decides, as in POSIX
        value = environ.get(name)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    if platform == "win32":
        ui = _windows_ui_language()
        return "zh" if ui and ui.lower().startswith("zh") else "en"
    return "en"


def install(language: str) -> None:
    """Speak `language` from now on: xiaozhen's catalog in that language, and the process's gettext
    domain xiaozhen's, for the words of typer it looks up there.

    LANGUAGE is the variable gettext consults first; it is set for the process (and the xiaozhen
    processes it starts) so that every lookup, click's and typer's included, finds the chosen one."""
    global _current
    _current = gettext.translation(DOMAIN, str(LOCALE_DIR), languages=[language], fallback=True)
    os.environ["LANGUAGE"] = language
    gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))
    gettext.textdomain(DOMAIN)


@contextmanager
def speaking_as(language: str) -> Iterator[None]:
    """Speak `language` for a while, whatever the reader's: the report is a 公文, in Chinese, and the
    messages it quotes (its findings) are too."""
    global _current
    before = _current
    _current = gettext.translation(DOMAIN, str(LOCALE_DIR), languages=[language], fallback=True)
    try:
        yield
    finally:
        _current = before


def N_(message: str) -> str:
    """Marks a message for the catalog without translating it here (gettext's `gettext_noop`)."""
    return message


# The words of typer that a user of xiaozhen reads — help panels and errors — which typer looks up in the
# process's gettext domain: listed here so that Babel puts them in xiaozhen's catalog, to be translated
# with its own. (typer 0.26 parses with a copy of click whose messages are not looked up — "Usage:",
# "No such option", "Missing argument": cli/usage.py words those.)
DEPENDENCIES = (
    N_("Options"),
    N_("Commands"),
    N_("Arguments"),
    N_("Error"),
    N_("Aborted."),
    N_("[default: {}]"),
    N_("[required]"),
    N_("Try [blue]'{command_path} {help_option}'[/] for help."),
    N_("Missing command."),
    N_("No such command {name!r}."),
)
