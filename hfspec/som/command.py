"""The `hfspec som` command: run a SØM scenario and print or write its result.

Thin like the rest of the CLI: it finds the scenario, calls `hfspec.som.model` and
`hfspec.som.render`, and writes the output. numpy, the engine and the report modules are
imported inside the command so that `hfspec --help` stays fast.
"""

from __future__ import annotations

from pathlib import Path

import click

from hfspec.clitools import handle_errors, lang_option, print_warnings, say, use_lang

FORMATS = ("text", "json", "csv", "md", "html")
#: Most Monte Carlo draws accepted (the draws are evaluated in chunks, so memory stays bounded;
#: time grows with the draws).
MAX_DRAWS = 1_000_000
_SUFFIX_FORMATS = {".json": "json", ".csv": "csv", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".txt": "text"}


@click.command(name="som")
@click.argument("scenario")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--years", type=click.IntRange(1, 500), help="Horizon in years (default: the model's, 10).")
@click.option("--sensitivity", is_flag=True, help="One-way sensitivity on every input with a range, and the switching value of the success rate.")
@click.option("--monte-carlo", "draws", type=click.IntRange(1, MAX_DRAWS), help="Monte Carlo over the input ranges with this many draws.")
@click.option("--seed", type=int, default=1, show_default=True, help="Seed of the Monte Carlo draws (same seed, same numbers).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), help="Output format (default: from --out's suffix, else text).")
@click.option("--out", "-o", type=click.Path(path_type=Path), help="Write to this file instead of the terminal.")
@lang_option("Language of titles and words.")
@handle_errors
def command(scenario: str, paths: tuple[Path, ...], years: int | None, sensitivity: bool, draws: int | None, seed: int,
            fmt: str | None, out: Path | None, lang: str | None) -> None:
    """Run a SØM case: net result per year and payer, break-even, return per krone.

    SCENARIO is a scenario id or a scenario file. PATHS are spec files or folders with the
    scenarios (and your own models); the shipped models in specs/models/ are always loaded. With no PATHS the
    shipped example cases in examples/som/ are loaded too.

    \b
    hfspec som vejle
    hfspec som vejle --sensitivity --monte-carlo 10000 --seed 1
    hfspec som my_case.yaml --years 20 --out som.html
    hfspec som vejle --format json --lang en
    """
    from hfspec.som import model as som
    from hfspec.som.scenario import load_scenario_project
    from hfspec.som import render as som_render
    from hfspec.render.output import write_document

    if fmt is None:
        fmt = _SUFFIX_FORMATS.get(out.suffix.lower(), "text") if out is not None else "text"
    project, scenario_id = load_scenario_project(scenario, paths)
    lang = use_lang(lang, project)
    print_warnings(project.warnings)
    result = som.run(project, scenario_id, years)
    print_warnings(result.warnings)
    sens = som.sensitivity(result) if sensitivity else None
    mc = som.monte_carlo(result, draws, seed) if draws else None
    if fmt == "json":
        text = som_render.json_report(result, sens, mc)
    elif fmt == "csv":
        text = som_render.csv_report(result, sens, mc)
    elif fmt in ("md", "html"):
        text = som_render.render_report(result, sens, mc, fmt, lang)
    else:
        text = som_render.text_report(result, sens, mc, lang)
    if out is not None:
        write_document(text, out)
        say("cli.wrote", path=out)
    else:
        click.echo(text, nl=False)
