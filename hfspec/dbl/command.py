"""`hfspec dbl [DATA]`: the double bottom line (dobbelt bundlinje) per worker or per citizen.

Thin: `hfspec.dbl.model` computes (DuckDB), the signal rules are specs/dbl/*.yaml, and
`hfspec.dbl.render` prints text, JSON or the HTML sheet. Citizen-level output for the
support worker: pseudonymous ids, and never part of an aggregate report.
"""

from __future__ import annotations

from pathlib import Path

import click

from hfspec.clitools import handle_errors, key_option, lang_option, print_warnings, say, use_lang


@click.command(name="dbl")
@click.argument("data", required=False, type=click.Path(path_type=Path))
@click.option("--specs", "specs", type=click.Path(path_type=Path),
              help="Double-bottom-line specs: the signal rules (default: the shipped specs/dbl).")
@click.option("--catalogue", "-c", "catalogue", type=click.Path(path_type=Path),
              help="Catalogue whose params are used: reference_date, cti_max_months, dbl_instrument (default: the national one).")
@click.option("--citizen", help="One citizen's sheet (borger_id, e.g. B0001).")
@click.option("--worker", help="Only this worker's citizens (medarbejder_id, e.g. M01); with --format html also each citizen's sheet.")
@click.option("--all", "include_ended", is_flag=True, help="Also citizens whose course has ended (default: active courses).")
@click.option("--reference-date", "reference_date", metavar="DATE|today", help="Reference date (overrides the catalogue's reference_date).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "html"]), help="Output format (default: from --out's suffix, else text).")
@click.option("--out", "-o", type=click.Path(path_type=Path), help="Write to this file instead of the terminal.")
@lang_option("Language of words and messages.")
@click.option("--allow-invalid-rows", is_flag=True, help="Leave invalid data rows out (each is listed) instead of refusing the data.")
@key_option()
@handle_errors
def command(data: Path | None, specs: Path | None, catalogue: Path | None, citizen: str | None, worker: str | None, include_ended: bool,
            reference_date: str | None, fmt: str | None, out: Path | None, lang: str | None, allow_invalid_rows: bool, key_file: Path | None) -> None:
    """Show the double bottom line: time used against the plan and the goal curve.

    Without --citizen: an overview per worker of their active citizens, each with time used in %
    of the plan, the latest goal against the expected one, the trend and any signal. With
    --citizen: that citizen's sheet; `--format html` draws the chart (bars: accumulated expected
    and actual time in % of the plan; curves: expected and actual goal).

    \b
    hfspec dbl --worker M01
    hfspec dbl --citizen B0001 --format html --out B0001.html
    hfspec dbl data/ --catalogue kommune.yaml --reference-date today --format json
    """
    from hfspec.dbl import render as dbl_render
    from hfspec.dbl.model import default_specs, run_dbl
    from hfspec.session import Session, Settings

    if fmt is None:
        fmt = "html" if out is not None and out.suffix.lower() in (".html", ".htm") else "json" if out is not None and out.suffix.lower() == ".json" else "text"
    spec_paths = [specs] if specs else default_specs()
    settings = Settings.from_options(lang=lang, reference_date=reference_date, allow_invalid_rows=allow_invalid_rows, key_file=key_file)
    with Session(catalogue, data, settings, specs=spec_paths) as session:
        # the steps are the citizen sheets' (--citizen, --worker); the overview shows each citizen's summary only
        lang = use_lang(session.lang)
        result = run_dbl(session, spec_paths, citizen, worker, include_ended, steps=citizen is not None or worker is not None)
    print_warnings(result.warnings)
    text = {"text": dbl_render.dbl_text, "json": dbl_render.dbl_json, "html": dbl_render.dbl_html}[fmt](result, lang)
    if out is not None:
        from hfspec.render.output import write_document

        write_document(text, out)
        say("cli.wrote", path=out)
    else:
        click.echo(text)
