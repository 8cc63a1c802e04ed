"""The `hfspec` command. Thin: parse options, call the library, print, choose the exit code.

This is the only place that renders `HfspecError` and exits 1. Anything else that escapes is a
bug: it crashes loudly with a "please report" line, never dressed up as a user error. Heavy
libraries (duckdb, jinja2, openpyxl) are imported inside the commands that need them.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click

from hfspec.version import __version__
from hfspec.clitools import (
    color, current_lang, handle_errors, key_option, lang_option, print_warnings, protection_option, publication_option, say, suppress_option,
    use_lang,
)
from hfspec.diagnostics import render_all_json
from hfspec.messages import text
from hfspec.words import INDICATOR_TYPES

#: The commands of the domains, each in its own package (`hfspec/<domain>/command.py`, attribute
#: `command`), imported only when listed in the help or run. A new domain adds one line here.
DOMAIN_COMMANDS = {
    "audit": "hfspec.audit.command",
    "check": "hfspec.check.command",
    "cream": "hfspec.cream.command",
    "dbl": "hfspec.dbl.command",
    "init": "hfspec.scaffold.command",
    "key": "hfspec.exports.key_command",
    "map": "hfspec.exports.command",
    "render": "hfspec.catalogue.command",
    "report": "hfspec.report.command",
    "som": "hfspec.som.command",
}


class CommandGroup(click.Group):
    """The top-level group: the core commands defined here and the domain commands of `DOMAIN_COMMANDS`."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(DOMAIN_COMMANDS))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        command = super().get_command(ctx, name)
        if command is None and name in DOMAIN_COMMANDS:
            import importlib

            command = importlib.import_module(DOMAIN_COMMANDS[name]).command
        return command


@click.group(cls=CommandGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="hfspec")
def main() -> None:
    """hfspec: Housing First key figures, CREAM, double bottom line and SØM as plain YAML specs.

    Start with `hfspec eval` (the national catalogue on the shipped demo data),
    then `hfspec validate` your own catalogue. `hfspec explain HF401` explains an error code.
    """


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", help="Diagnostics as text or as JSON (for editors and CI).")
@lang_option("Language of messages.")
@handle_errors
def validate(paths: tuple[Path, ...], fmt: str, lang: str | None) -> None:
    """Check spec files: YAML, schemas, names, types and references. Every problem at once.

    With no PATHS the shipped catalogue, specs and examples are checked.
    """
    from hfspec.diagnostics import summary
    from hfspec.resources import shipped

    targets = list(paths) or [shipped("catalog"), shipped("specs"), shipped("examples")]
    project, warnings = validate_paths(targets, lang)
    lang = use_lang(lang, project)
    if fmt == "json":
        click.echo(render_all_json(warnings, lang))
        return
    print_warnings(warnings, lang)
    given = [Path(p).resolve() for p in targets]  # files under the paths named count as the user's own,
    bundled = [shipped(name).resolve() for name in ("catalog", "specs", "examples")]  # and files they include that hfspec did not ship

    def is_own(f: Path) -> bool:
        f = Path(f).resolve()
        return any(f == g or f.is_relative_to(g) for g in given) or not any(f.is_relative_to(b) for b in bundled)

    own = [f for f in project.files if is_own(f)]
    extra_files = len(project.files) - len(own)
    parts = [text("cli.files", lang, n=len(own)) + (text("cli.shipped", lang, n=extra_files) if extra_files else ""),
             text("cli.key_figures", lang, n=len(project.all_indicators))
             + (text("cli.selected", lang, n=len(project.indicators)) if len(project.indicators) != len(project.all_indicators) else ""),
             text("cli.datasets", lang, n=len(project.datasets))]
    parts += [text(name, lang, n=len(x)) for x, name in ((project.models, "cli.models"), (project.scenarios, "cli.scenarios"),
                                                        (project.rules, "cli.rules"), (project.mappings, "cli.mappings")) if x]
    click.echo(text("cli.ok", lang, counts=", ".join(parts)) + (f" ({summary(warnings, lang)})" if warnings else ""))


def validate_paths(paths: list[Path], lang: str | None = None):
    """Load a project and also check every model and every scenario against its model (the
    scenarios' `from_eval` inputs are evaluated). Returns the project and every warning; raises
    `HfspecError` with every problem; once the project is loaded, the error carries the run's
    language (`--lang`, else the catalogue's)."""
    from hfspec.diagnostics import HfspecError
    from hfspec.settings import choose_lang
    from hfspec.spec.project import load_project

    project = load_project(paths)
    if any(scenario.model not in project.models for scenario in project.scenarios.values()):
        # a scenario on its own names a shipped model (`model: som`): add the shipped models, as
        # `hfspec som` does, unless the paths define a model of the same id themselves
        from hfspec.som.scenario import shipped_models

        project = load_project(paths, defaults=shipped_models())
    try:
        warnings = _check_models_and_scenarios(project)
    except HfspecError as error:
        error.lang = choose_lang(lang, project.lang)
        raise
    return project, [*project.warnings, *warnings]


def _check_models_and_scenarios(project) -> list:
    """Every model compiles, and every scenario checks against its model; returns the warnings."""
    from hfspec.diagnostics import DiagnosticBag, HfspecError
    from hfspec.spec.modelcheck import compile_model

    bag = DiagnosticBag()
    for model in project.models.values():
        compile_model(model, bag)
    if not bag.has_errors:
        from hfspec.session import Sessions
        from hfspec.som.model import check_scenario

        with Sessions() as sessions:
            for sid in project.scenarios:
                try:
                    bag.extend(check_scenario(project, sid, sessions=sessions))
                except HfspecError as error:
                    bag.extend(error.diagnostics)
    bag.raise_if_errors()
    return list(bag)


@main.command()
@click.argument("target")
@click.option("--dataset", "-d", help="The dataset whose columns an expression may use.")
@click.option("--catalogue", "-c", "catalogue", type=click.Path(path_type=Path), help="Catalogue to look indicators and params up in (default: the national one).")
@lang_option("Language of titles and explanations.")
@handle_errors
def explain(target: str, dataset: str | None, catalogue: Path | None, lang: str | None) -> None:
    """Explain an error code (HF401), a key figure (HF-O-08) or an expression.

    \b
    hfspec explain HF401
    hfspec explain HF-O-08
    hfspec explain 'count(distinct borger_id where who5 * 4 <= 50)' --dataset status
    """
    from hfspec.diagnostics import explain as explain_code

    if re.fullmatch(r"HF\d{3}", target.strip().upper()):
        explanation = explain_code(target.strip(), current_lang())
        if explanation is None:
            click.echo(text("cli.unknown_code", current_lang(), code=target), err=True)
            sys.exit(1)
        click.echo(explanation)
        return
    from hfspec.render.explain import explain_expression, explain_indicator
    from hfspec.resources import national_catalogue
    from hfspec.spec.project import load_project

    project = load_project([catalogue or national_catalogue()])
    lang = use_lang(lang, project)
    if target in project.compiled:
        click.echo(explain_indicator(project, target, lang))
    else:
        click.echo(explain_expression(project, target, dataset, lang))


def _eval_options(fn):
    options = [
        click.argument("catalogue", required=False, type=click.Path(path_type=Path)),
        click.argument("data", required=False, type=click.Path(path_type=Path)),
        click.option("--indicator", "-i", "indicators", multiple=True, help="Only this key figure (repeatable)."),
        click.option("--type", "types", multiple=True, type=click.Choice(INDICATOR_TYPES), help="Only key figures of this type (repeatable)."),
        click.option("--from", "date_from", help="First date or period to show for key figures with a period (2021-01-01, 2021, 2021-Q3)."),
        click.option("--to", "date_to", help="Last date or period to show for key figures with a period."),
        suppress_option(),
        publication_option(),
        protection_option(),
        click.option("--allow-invalid-rows", is_flag=True, help="Leave invalid data rows out (each is listed) instead of refusing the data."),
        click.option("--reference-date", "reference_date", metavar="DATE|today", help="Reference date of key figures measured at a date (overrides the catalogue's reference_date)."),
        key_option(),
        lang_option("Language of titles and words."),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


@main.command(name="eval")
@_eval_options
@click.option("--format", "fmt", type=click.Choice(["text", "csv", "json", "xlsx"]), default="text", show_default=True, help="Output format.")
@click.option("--out", "-o", type=click.Path(path_type=Path), help="Write to this file instead of the terminal (required for xlsx).")
@click.option("--store", type=click.Path(path_type=Path), help="Also keep the results in this DuckDB history file (for trends in `hfspec report`).")
@click.option("--label", help="A name for the stored run (e.g. '2021 Q4').")
@click.option("--totals", is_flag=True, help="Add a total row to every breakdown and mark each key figure's headline (format hfspec-results/2).")
@handle_errors
def eval_(catalogue, data, indicators, types, date_from, date_to, suppress_below, not_for_publication, protection, allow_invalid_rows,
          reference_date, key_file, lang, fmt, out, store, label, totals) -> None:
    """Compute key figures over a municipality's data.

    CATALOGUE is a catalogue file or folder (default: the national catalogue); DATA is a folder
    with one file per dataset, e.g. borgere.csv, status.xlsx (default: the shipped demo data).
    Without DATA, a catalogue with `mappings:` reads the municipality's exports through them.
    A stored run (--store) keeps the total rows too, so the report can show its headlines.
    """
    from hfspec.render import writers
    from hfspec.session import Session, Settings

    if fmt == "xlsx" and out is None:
        raise click.UsageError(text("cli.xlsx_needs_out", current_lang()))
    settings = Settings.from_options(k=suppress_below, lang=lang, reference_date=reference_date, date_from=date_from, date_to=date_to,
                                     allow_invalid_rows=allow_invalid_rows, key_file=key_file, not_for_publication=not_for_publication,
                                     protection=protection)
    progress = _progress() if sys.stderr.isatty() and fmt == "text" and out is None else None
    if store is not None:  # a history file the run cannot be stored in is said before the work
        from hfspec.engine.history import check_file

        check_file(store)
    with Session(catalogue, data, settings) as session:
        lang = use_lang(session.lang)
        result = session.evaluate(list(indicators), list(types), progress, totals=totals or store is not None)
        warnings = session.warnings
        if store is not None:
            warnings += [d for d in [session.store(result, store, label)] if d is not None]
    if not totals:
        result = result.groups_only()
    if progress:
        click.echo("\r\x1b[K", nl=False, err=True)
    print_warnings(warnings)
    if fmt == "xlsx":
        writers.write_xlsx(result, out, lang)
        say("cli.wrote", path=out)
        return
    if fmt == "csv":
        output = writers.to_csv(result, lang)
    elif fmt == "json":
        output = writers.to_json(result, lang)
    else:
        from hfspec.render.text import render_table

        output = render_table(result, lang, color=sys.stdout.isatty() and out is None)
    if out is not None:
        from hfspec.render.output import write_document

        # a BOM lets Danish Excel open the CSV with æ, ø, å intact on a double-click
        write_document(output if output.endswith("\n") else output + "\n", out, encoding="utf-8-sig" if fmt == "csv" else "utf-8")
        say("cli.wrote", path=out)
    else:
        click.echo(output)


def _progress():
    state = {"n": 0}

    def tick(iid: str) -> None:
        state["n"] += 1
        click.echo(f"\r\x1b[K[{state['n']}] {iid}", nl=False, err=True)
    return tick


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--indicator", "-i", "indicators", multiple=True, help="Only this key figure's examples.")
@lang_option("Language of messages.")
@handle_errors
def test(paths: tuple[Path, ...], indicators: tuple[str, ...], lang: str | None) -> None:
    """Run the `examples:` of key figures (tests inside the specs). Exit 1 on any failure.

    With no PATHS the shipped catalogue is tested.
    """
    from hfspec.diagnostics import Diagnostic, Message, render_text
    from hfspec.examples import run_examples
    from hfspec.resources import shipped
    from hfspec.spec.project import load_project

    project = load_project(list(paths) or [shipped("catalog")], strict_select=False)
    lang = use_lang(lang, project)
    outcomes = run_examples(project, list(indicators) or None)
    failed = [o for o in outcomes if not o.passed]
    for o in failed:
        if o.problems:
            click.echo("\n\n".join(render_text(p, lang, color=color()) for p in o.problems), err=True)
        else:
            d = Diagnostic("HF601", Message("examples.failed", id=o.indicator, name=o.name), o.loc.span if o.loc else None, notes=tuple(o.diff))
            click.echo(render_text(d, lang, color=color()), err=True)
        click.echo("", err=True)
    without = [i for i, c in project.compiled.items() if not c.spec.examples and (not indicators or i in indicators)]
    line = text("cli.tests", lang, passed=len(outcomes) - len(failed), failed=len(failed))
    if without:
        line += text("cli.without_examples", lang, n=len(without), ids=", ".join(without[:8]) + ("…" if len(without) > 8 else ""))
    click.echo(line)
    if failed:
        sys.exit(1)
