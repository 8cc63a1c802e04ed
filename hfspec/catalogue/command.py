"""`hfspec render [CATALOGUE]`: the catalogue document (full or "pixi") as Markdown or HTML."""

from __future__ import annotations

from pathlib import Path

import click

from hfspec.clitools import handle_errors, lang_option, print_warnings, say, use_lang


@click.command(name="render")
@click.argument("catalogue", required=False, type=click.Path(path_type=Path))
@click.option("--template", "template", type=click.Choice(["catalogue", "pixi"]), default="catalogue", show_default=True,
              help="catalogue: the full document; pixi: the short version with an overview table and advice.")
@click.option("--format", "fmt", type=click.Choice(["md", "html"]), help="Markdown or one self-contained, print-ready HTML file (default: from --out's suffix, else md).")
@lang_option("Language of titles and words.")
@click.option("--out", "-o", type=click.Path(path_type=Path), help="Write to this file instead of the terminal.")
@click.option("--templates", "templates", type=click.Path(path_type=Path), help="Folder of your own templates; they override the shipped ones by name (docs/templates.md).")
@handle_errors
def command(catalogue: Path | None, template: str, fmt: str | None, lang: str | None, out: Path | None, templates: Path | None) -> None:
    """Render a catalogue document: every key figure with definition, formula, target and CREAM.

    CATALOGUE is a catalogue file or folder (default: the national catalogue).

    \b
    hfspec render --out katalog.html
    hfspec render my_catalogue.yaml --template pixi --format md --lang en
    """
    from hfspec.catalogue.document import render_document
    from hfspec.render.output import write_document
    from hfspec.resources import national_catalogue
    from hfspec.spec.project import load_project

    if fmt is None:
        fmt = "html" if out is not None and out.suffix.lower() in (".html", ".htm") else "md"
    project = load_project([catalogue or national_catalogue()])
    lang = use_lang(lang, project)
    print_warnings(project.warnings)
    text = render_document(project, template, fmt, lang, templates)
    if out is not None:
        write_document(text, out)
        say("cli.wrote", path=out)
    else:
        click.echo(text, nl=False)
