"""`hfspec check [DATA] [PATHS…]`: evaluate `kind: Rule` specs over a municipality's data.

Thin: the work is `hfspec.engine.rules` (one DuckDB query per rule) and the printing is
`hfspec.dbl.render`. Exit code 1 when a rule of severity `error` breaks (or when the specs
or the data cannot be read), 0 otherwise, so that a scheduled job can act on it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from hfspec.clitools import color, handle_errors, key_option, lang_option, print_warnings, say, use_lang

_DATA_SUFFIXES = (".csv", ".xlsx", ".parquet", ".txt")
_SPEC_SUFFIXES = (".yaml", ".yml")


def _is_spec_path(path: Path) -> bool:
    """Whether a positional argument is a spec file/folder rather than a data folder."""
    if path.is_file():
        return path.suffix.lower() in _SPEC_SUFFIXES
    if path.is_dir():
        has_data = any(p.suffix.lower() in _DATA_SUFFIXES for p in path.iterdir() if p.is_file())
        has_specs = any(p.suffix.lower() in _SPEC_SUFFIXES for p in path.rglob("*") if p.is_file())
        return has_specs and not has_data
    return path.suffix.lower() in _SPEC_SUFFIXES


@click.command(name="check")
@click.argument("data", required=False, type=click.Path(path_type=Path))
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--catalogue", "-c", "catalogue", type=click.Path(path_type=Path),
              help="Catalogue whose params the rules use, e.g. reference_date (default: the national one).")
@click.option("--reference-date", "reference_date", metavar="DATE|today",
              help="Reference date for active courses and caseload (overrides the catalogue's reference_date).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help="Output format.")
@lang_option("Language of titles and messages.")
@click.option("--limit", type=click.IntRange(min=0), default=20, show_default=True, help="Findings shown per rule in text output (0: all).")
@click.option("--out", "-o", type=click.Path(path_type=Path), help="Write to this file instead of the terminal.")
@click.option("--allow-invalid-rows", is_flag=True, help="Leave invalid data rows out (each is listed) instead of refusing the data.")
@key_option()
@handle_errors
def command(data: Path | None, paths: tuple[Path, ...], catalogue: Path | None, reference_date: str | None, fmt: str, lang: str | None,
            limit: int, out: Path | None, allow_invalid_rows: bool, key_file: Path | None) -> None:
    """Check rules (caseload, course length, missing status, data quality) on the data.

    DATA is a folder with one file per dataset (default: the shipped demo data). PATHS are rule
    files or folders (default: the shipped specs/rules). Exit code 1 when a rule of severity
    `error` breaks, 0 otherwise.

    \b
    hfspec check
    hfspec check data/ specs/rules my-rules.yaml --reference-date today
    hfspec check data/ specs/dbl --format json --out signals.json
    """
    from hfspec.check.render import check_json, check_text
    from hfspec.check.run import default_paths, run_check
    from hfspec.session import Session, Settings

    spec_paths = list(paths)
    if data is not None and _is_spec_path(data):
        spec_paths.insert(0, data)
        data = None
    spec_paths = spec_paths or default_paths()
    settings = Settings.from_options(lang=lang, reference_date=reference_date, allow_invalid_rows=allow_invalid_rows, key_file=key_file)
    with Session(catalogue, data, settings, specs=spec_paths) as session:
        lang = use_lang(session.lang)
        run = run_check(session, spec_paths)
    print_warnings(run.warnings)
    if fmt == "json":
        text = check_json(run, lang)
    else:
        text = check_text(run, lang, limit, color=sys.stdout.isatty() and out is None and color())
    if out is not None:
        from hfspec.render.output import write_document

        write_document(text + "\n", out)
        say("cli.wrote", path=out)
    else:
        click.echo(text)
    sys.exit(run.exit_code)
