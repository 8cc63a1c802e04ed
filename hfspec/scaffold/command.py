"""`hfspec init DIR`: start a municipality's own project."""

from __future__ import annotations

from pathlib import Path

import click

from hfspec.clitools import handle_errors, lang_option, say, use_lang


@click.command(name="init")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--name", help="The municipality's name, for the catalogue's title and id (default: the folder's name; the id is made a lowercase slug: Næstved → naestved).")
@click.option("--force", is_flag=True, help="Overwrite files that already exist.")
@lang_option("Language of messages (the README is in Danish).")
@handle_errors
def command(folder: Path, name: str, force: bool, lang: str | None) -> None:
    """Start a municipality's own project in FOLDER: a catalogue that extends the national one,
    header-only data templates (CSV and XLSX) for every dataset, and a README in Danish."""
    from hfspec.scaffold.project import init_project

    use_lang(lang)
    written = init_project(folder, name, force)
    say("cli.init_wrote", err=False, n=len(written), folder=folder)
    say("cli.init_next", err=False, data=folder / "data", catalogue=folder / "catalogue.yaml")
