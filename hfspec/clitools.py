"""What every `hfspec` command shares: the language option, warnings on stderr, and the one
place that turns `HfspecError` into printed diagnostics and exit code 1.

The language of a run is `--lang` when given, else the `lang:` of the catalogue the command loads
(`use_lang`; a session's errors carry it), else Danish; diagnostics are rendered in it, and so
are the lines a command prints about what it did (`say`, hfspec/messages/cli.py).

Domain commands (`hfspec/<domain>/command.py`) and the core commands in `cli.py` import this
module; it imports only click, `hfspec.diagnostics`, `hfspec.messages` and `hfspec.settings`, so
`hfspec --help` stays fast.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

from hfspec.diagnostics import HfspecError, render_all_json, render_all_text
from hfspec.messages import text
from hfspec.settings import DEFAULT_K, DEFAULT_LANG, KEY_ENV, KEY_FILE_ENV, LANGUAGES, choose_lang

LANGS = click.Choice(list(LANGUAGES))

#: Where a command records the language of its run once its project is loaded (click's `ctx.meta`).
LANG_KEY = "hfspec.lang"


def lang_option(help_text: str = "Language of titles, words and messages."):
    """`--lang da|en`. Not given: the catalogue's `lang:`, else Danish (settings.DEFAULT_LANG)."""
    return click.option("--lang", type=LANGS, default=None,
                        help=f"{help_text} Default: the catalogue's `lang:`, else {DEFAULT_LANG}.")


def use_lang(given: str | None, project=None) -> str:
    """The language of this run (`--lang`, else the project's catalogue `lang:`, else Danish),
    recorded so that the diagnostics of the rest of the command are shown in it."""
    lang = choose_lang(given, project.lang if project is not None and given is None else None)
    click.get_current_context().meta[LANG_KEY] = lang
    return lang


def current_lang(error: HfspecError | None = None) -> str:
    """The language to show messages in now: `--lang`, else what the run learnt from its catalogue
    (recorded by `use_lang`, or carried by the error from its session), else Danish."""
    ctx = click.get_current_context()
    return ctx.params.get("lang") or (error.lang if error is not None else None) or ctx.meta.get(LANG_KEY) or DEFAULT_LANG


def say(message_id: str, err: bool = True, **params) -> None:
    """Print a line of the catalogue (hfspec/messages/cli.py), in the run's language: what a
    command did ("skrev rapport.html"). On stderr unless `err` is False."""
    click.echo(text(message_id, current_lang(), **params), err=err)


def suppress_option(help_text: str = "Suppress groups with fewer units (0 turns it off)."):
    """`--suppress-below K`, default settings.DEFAULT_K."""
    return click.option("--suppress-below", type=click.IntRange(min=0), default=DEFAULT_K, show_default=True, help=help_text)


def key_option():
    """`--key FILE`: the pseudonym key for mappings that turn CPR numbers into pseudonyms."""
    return click.option("--key", "key_file", type=click.Path(path_type=Path, dir_okay=False), metavar="FILE",
                        help=f"The pseudonym key file for mappings with CPR columns (default: ${KEY_FILE_ENV}, ${KEY_ENV}, "
                             "then the key `hfspec key new` wrote).")


def publication_option():
    """`--not-for-publication`: the confirmation `--suppress-below 0` and `1` need (settings.check_disclosure)."""
    return click.option("--not-for-publication", "not_for_publication", is_flag=True,
                        help="Confirm --suppress-below 0 or 1 (disclosure control off): the output is for use inside the municipality and says so at the top.")


def protection_option():
    """`--protection-level N`: how wide secondary suppression keeps every hidden value's interval (default k)."""
    return click.option("--protection-level", "protection", type=click.IntRange(min=1),
                        help="Hide further values until every hidden value could be any of at least this many (default: --suppress-below).")


def color() -> bool:
    return sys.stderr.isatty()


def handle_errors(fn):
    """Print diagnostics and exit 1 on user errors; crash loudly with a report line on bugs."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        ctx = click.get_current_context()
        try:
            return fn(*args, **kwargs)
        except HfspecError as error:
            lang = current_lang(error)
            if ctx.params.get("fmt") == "json" or ctx.params.get("diagnostics_format") == "json":
                click.echo(render_all_json(error.diagnostics, lang))
            else:
                click.echo(render_all_text(error.diagnostics, lang, color=color()), err=True)
            ctx.exit(1)
        except (click.exceptions.Exit, click.ClickException, KeyboardInterrupt):
            raise
        except BrokenPipeError:
            # the reader went away (`hfspec eval | head`): stop quietly, as other commands do;
            # stdout goes to /dev/null so that Python's own flush at exit does not fail again
            import os

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(141)
        except Exception:
            import traceback

            traceback.print_exc()
            click.echo("\n" + text("cli.bug", current_lang()), err=True)
            ctx.exit(2)
    return wrapper


def print_warnings(warnings, lang: str | None = None) -> None:
    """Warnings (and notes) on stderr, in `lang` (default: the run's language, `current_lang`)."""
    if warnings:
        click.echo(render_all_text(warnings, lang or current_lang(), color=color()), err=True)
