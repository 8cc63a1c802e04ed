"""`hfspec key new` and `hfspec key show`: the municipality's pseudonym key, made once and kept
outside every project (hfspec.data.pseudonym says how it is used)."""

from __future__ import annotations

from pathlib import Path

import click

from hfspec.clitools import handle_errors, key_option, lang_option


@click.group(name="key")
def command() -> None:
    """The pseudonym key that turns CPR numbers into pseudonyms (make it once, keep it safe)."""


@command.command(name="new")
@click.option("--out", "-o", type=click.Path(path_type=Path, dir_okay=False), help="Where to write the key (default: your own hfspec folder, outside every project).")
@click.option("--force", is_flag=True, help="Replace a key that exists (every pseudonym changes; keep the old key).")
@lang_option("Language of the messages.")
@handle_errors
def new(out: Path | None, force: bool, lang: str) -> None:
    """Make a new pseudonym key and write it to a file only you can read."""
    from hfspec.data.pseudonym import write_key
    from hfspec.settings import default_key_file
    from hfspec.source import display_path
    from hfspec.words import KEY

    path = out or default_key_file()
    key = write_key(path, force)
    words = KEY["en" if lang == "en" else "da"]
    click.echo(words["written"].format(path=display_path(path, home=True), fingerprint=key.fingerprint))
    click.echo("")
    click.echo("\n".join(words["warning"]))


@command.command(name="show")
@key_option()
@lang_option("Language of the messages.")
@handle_errors
def show(key_file: Path | None, lang: str) -> None:
    """Say which pseudonym key would be used, and its fingerprint (never the key)."""
    from hfspec.data.pseudonym import find_key
    from hfspec.settings import default_key_file
    from hfspec.source import display_path
    from hfspec.words import KEY

    words = KEY["en" if lang == "en" else "da"]
    key = find_key(key_file)
    if key is None:
        click.echo(words["none"].format(path=display_path(default_key_file(), home=True)))
        raise SystemExit(1)
    click.echo(words["found"].format(origin=key.origin, fingerprint=key.fingerprint))
