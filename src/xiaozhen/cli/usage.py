"""The command line's own words — the usage line, the help option, the parser's errors — in the
reader's language.

typer 0.26 parses with its own copy of click, whose words ("Usage:", "Show this message and exit.",
"No such option", "Missing argument") are fixed English strings that gettext never sees. typer's public
classes are the way in: the app is a `Group` and each command a `Command` (typer's `cls=`), which name
the help option in our words, print the usage line with our prefix, and restate each usage error the
parser raises from the error's public attributes (option_name, possibilities, param, param_type).
Nothing of typer is replaced or patched, and no error is recognised by its English words: an error this
module cannot restate from its attributes keeps typer's words.
"""

from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

from xiaozhen.errors import did_you_mean
from xiaozhen.i18n import _


class Usage(typer.BadParameter):
    """A usage error in our words. typer prints it as it prints its own — the usage line, where to find
    help, the message in the error panel — and the run exits 2."""

    def format_message(self) -> str:
        return self.message


def _hint(error: Any) -> str:
    """How the parameter of an error is named to the user: 'TOWN', '--format' / '-f'."""
    param = getattr(error, "param", None)
    if param is not None:
        return str(param.get_error_hint(error.ctx))
    hint = getattr(error, "param_hint", None)
    if isinstance(hint, list | tuple):
        return " / ".join(f"'{name}'" for name in hint)
    return f"'{hint}'" if hint else ""


def restated(error: Exception, ctx: Any = None) -> Exception | None:
    """The usage error `error`, raised in parsing `ctx`, in our words; None when it is not one this
    module knows. (The parser raises some without their context, which typer needs for the usage line.)

    The class is told by its name, as typer itself tells NoArgsIsHelpError: the classes live in typer's
    private copy of click, and only BadParameter is exported."""
    kind = type(error).__name__
    ctx = getattr(error, "ctx", None) or ctx
    message: str | None = None
    if kind == "NoSuchOption":
        option = error.option_name  # type: ignore[attr-defined]
        known = sorted(error.possibilities or ())  # type: ignore[attr-defined]
        message = _("no option '{option}'{did_you_mean}").format(
            option=option, did_you_mean=did_you_mean(option, known)
        )
    elif kind == "BadOptionUsage" and (option := _option(ctx, error.option_name)) is not None:  # type: ignore[attr-defined]
        # A flag given a value (--strict=yes), or an option given none (-f at the end).
        name = error.option_name  # type: ignore[attr-defined]
        if getattr(option, "is_flag", False):
            message = _("option '{option}' takes no value").format(option=name)
        else:
            message = _("option '{option}' needs a value").format(option=name)
    elif kind == "MissingParameter":
        param_type = error.param_type or getattr(error.param, "param_type_name", None)  # type: ignore[attr-defined]
        if param_type == "argument":
            message = _("missing argument {name}").format(name=_hint(error))
        else:
            message = _("missing option {name}").format(name=_hint(error))
    elif kind == "BadParameter":
        hint = _hint(error)
        reason = error.message  # type: ignore[attr-defined]
        message = (
            _("invalid value for {name}: {reason}").format(name=hint, reason=reason)
            if hint
            else _("invalid value: {reason}").format(reason=reason)
        )
    return None if message is None else Usage(message, ctx=ctx)


def _option(ctx: Any, name: str) -> Any:
    """The option of `ctx`'s command that `name` (--format, -f) names; None if none does."""
    command = getattr(ctx, "command", None)
    for param in getattr(command, "params", ()):
        if name in (*param.opts, *param.secondary_opts):
            return param
    return None


class _OurWords:
    """What the app and its commands share: the help option's help, the usage line's prefix and the
    parser's errors."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        # Words left over after a command's arguments are found in `ctx.args`, and said here, rather than
        # recognised in the parser's English message.
        allowed, ctx.allow_extra_args = ctx.allow_extra_args, True
        try:
            rest: list[str] = super().parse_args(ctx, args)  # type: ignore[misc]
        except Exception as error:
            ours = restated(error, ctx)
            if ours is None:
                raise
            raise ours from None
        finally:
            ctx.allow_extra_args = allowed
        if ctx.args and not allowed and not ctx.resilient_parsing:
            raise Usage(_("unexpected extra arguments: {words}").format(words=" ".join(ctx.args)), ctx=ctx)
        return rest

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = _("Show this message and exit.")
        return option

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=_("Usage: "))


class Command(_OurWords, TyperCommand):
    """A command whose parser speaks the reader's language."""


class Group(_OurWords, TyperGroup):
    """The app, whose parser speaks the reader's language, an unknown command included (typer's own
    suggestion is English, and appended after our full stop)."""

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            known = sorted(self.list_commands(ctx))
            raise Usage(
                _("no command '{name}'{did_you_mean}").format(
                    name=name, did_you_mean=did_you_mean(name, known)
                ),
                ctx=ctx,
            )
        return super().resolve_command(ctx, args)
