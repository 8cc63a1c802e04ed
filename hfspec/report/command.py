"""`hfspec report [CATALOGUE] [DATA]`: the management report as one HTML file or a workbook.

Thin like the other commands: it makes one session and lets `hfspec.report.build` run the stages
the report is made of in it; `hfspec.report.management` turns the results into plain data for the
template `report.html.j2` or the workbook writer. Heavy libraries are imported inside the command.
"""

from __future__ import annotations

from pathlib import Path

import click

from hfspec.clitools import (
    current_lang, handle_errors, key_option, lang_option, print_warnings, protection_option, publication_option, say, suppress_option, use_lang,
)
from hfspec.messages import text


@click.command(name="report")
@click.argument("catalogue", required=False, type=click.Path(path_type=Path))
@click.argument("data", required=False, type=click.Path(path_type=Path))
@click.option("--out", "-o", type=click.Path(path_type=Path), help="Write to this file (required for xlsx; HTML goes to the terminal without it).")
@click.option("--format", "fmt", type=click.Choice(["html", "xlsx"]), help="html (default) or xlsx (default: from --out's suffix).")
@lang_option("Language of titles and words.")
@suppress_option("Suppress groups (and workers) with fewer units (0 turns it off).")
@publication_option()
@protection_option()
@click.option("--store", type=click.Path(path_type=Path), help="Also keep this run in a DuckDB history file; the report then shows its history.")
@click.option("--label", help="A name for the stored run (e.g. '2021 Q4'); used on the history chart's axis.")
@click.option("--history", type=click.Path(path_type=Path), help="Show the development over the runs stored in this history file (default: the --store file).")
@click.option("--scenario", help="Add a SØM summary of this scenario (an id, e.g. vejle, or a scenario file).")
@click.option("--scenario-paths", "scenario_paths", multiple=True, type=click.Path(path_type=Path),
              help="Spec files or folders with the scenario (repeatable; default: the shipped examples/som).")
@click.option("--templates", type=click.Path(path_type=Path), help="Folder of your own templates; they override the shipped ones by name (docs/report.md).")
@click.option("--reference-date", "reference_date", metavar="DATE|today",
              help="Reference date of the rule check and the worker summary (overrides the catalogue's reference_date).")
@click.option("--compare", "compare", multiple=True, type=click.Path(path_type=Path), metavar="DIR",
              help="Another municipality's data folder (repeatable): each key figure per municipality beside the overall value.")
@click.option("--compare-by", "compare_by", metavar="COLUMN",
              help="The column that names the municipality (default: kommune); alone, it compares the municipalities in DATA.")
@click.option("--compare-history", "compare_history", type=click.Path(path_type=Path), metavar="FILE",
              help="Compare with the latest run of each label (a municipality's name) stored in this history file.")
@click.option("--overall", metavar="LABEL", help="With --compare-history: the label of the stored run that holds the overall value.")
@key_option()
@handle_errors
def command(catalogue: Path | None, data: Path | None, out: Path | None, fmt: str | None, lang: str | None, suppress_below: int,
            not_for_publication: bool, protection: int | None,
            store: Path | None, label: str | None, history: Path | None, scenario: str | None, scenario_paths: tuple[Path, ...],
            templates: Path | None, reference_date: str | None, compare: tuple[Path, ...], compare_by: str | None,
            compare_history: Path | None, overall: str | None, key_file: Path | None) -> None:
    """The management report: key figures with targets, trends, rule check, workers, history, SØM.

    CATALOGUE is a catalogue file or folder (default: the national catalogue); DATA a folder with
    one file per dataset (default: the shipped demo data; a catalogue with `mappings:` reads the
    municipality's exports through them). Aggregate figures only: no citizen ids, small groups
    suppressed.

    \b
    hfspec report --out rapport.html
    hfspec report kommune.yaml data/ --store historik.duckdb --label "2021 Q4" --out rapport.html
    hfspec report kommune.yaml data/ --history historik.duckdb --scenario vejle --out rapport.html
    hfspec report kommune.yaml data/ --format xlsx --out rapport.xlsx --lang en
    hfspec report kommune.yaml haderslev/ --compare vejle/ --compare koege/ --out sammenligning.html
    hfspec report kommune.yaml data/ --compare-history fælles.duckdb --overall "Alle kommuner" --out rapport.html
    """
    if overall is not None and compare_history is None:
        raise click.UsageError(text("cli.overall_needs_history", current_lang()))
    if compare_history is not None and (compare or compare_by):
        raise click.UsageError(text("cli.compare_one_way", current_lang()))
    if fmt is None:
        fmt = "xlsx" if out is not None and out.suffix.lower() == ".xlsx" else "html"
    if fmt == "xlsx" and out is None:
        raise click.UsageError(text("cli.xlsx_needs_out", current_lang()))
    from hfspec.report.build import build_report, report_specs
    from hfspec.session import Session, Settings

    settings = Settings.from_options(k=suppress_below, lang=lang, reference_date=reference_date, key_file=key_file,
                                     not_for_publication=not_for_publication, protection=protection)
    with Session(catalogue, data, settings, specs=report_specs()) as session:
        use_lang(session.lang)
        context, warnings = build_report(session, store=store, label=label, history=history or store, scenario=scenario,
                                         scenario_paths=list(scenario_paths), charts=fmt == "html",  # the workbook has no charts
                                         compare=list(compare), compare_by=compare_by, compare_history=compare_history, overall=overall)
    print_warnings(warnings)
    if fmt == "xlsx":
        from hfspec.report.management_xlsx import write_report_xlsx

        write_report_xlsx(context, out)
        say("cli.wrote", path=out)
        return
    from hfspec.report.management import render_html

    html = render_html(context, templates)
    if out is None:
        click.echo(html, nl=False)
        return
    from hfspec.render.output import write_document

    write_document(html, out)
    say("cli.wrote", path=out)
