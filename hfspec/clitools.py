"""What every `hfspec` command shares: the language option, warnings on stderr, and the one
place that turns `HfspecError` into printed diagnostics and exit code 1.

Domain commands (`hfspec/<domain>/command.py`) and the core commands in `cli.py` import this
module; it imports only click and `hfspec.diagnostics`, so `hfspec --help` stays fast.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

from hfspec.diagnostics import HfspecError, render_all_json, render_all_text
from hfspec.settings import DEFAULT_K, DEFAULT_LANG, KEY_ENV, KEY_FILE_ENV, LANGUAGES

LANGS = click.Choice(list(LANGUAGES))


def lang_option(help_text: str = "Language of titles and words."):
    """`--lang da|en`, default Danish (settings.DEFAULT_LANG)."""
    return click.option("--lang", type=LANGS, default=DEFAULT_LANG, show_default=True, help=help_text)


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
            if ctx.params.get("fmt") == "json" or ctx.params.get("diagnostics_format") == "json":
                click.echo(render_all_json(error.diagnostics))
            else:
                click.echo(render_all_text(error.diagnostics, color=color()), err=True)
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
            click.echo("\nThis is a bug in hfspec, not a problem with your files. Please report it with the command you ran.", err=True)
            ctx.exit(2)
    return wrapper


def print_warnings(warnings) -> None:
    if warnings:
        click.echo(render_all_text(warnings, color=color()), err=True)
