"""`hfspec map [PATHS…]`: the municipality's exports → the standard data folder, through the
project's Mappings, with a summary per dataset (rows read, left out and why, written).

Thin: the mapping is `hfspec.data.mapping`, the writing `hfspec.exports.write`, the summary
`hfspec.exports.summary`. Heavy libraries are imported inside the command.
"""

from __future__ import annotations

from pathlib import Path

import click

from hfspec.clitools import handle_errors, key_option, lang_option, print_warnings, use_lang

#: What `hfspec map` reads when no paths are given, if they are in the working folder.
DEFAULT_PATHS = ("catalogue.yaml", "mappings")


@click.command(name="map")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--out", "-o", type=click.Path(path_type=Path, file_okay=False), default="data", show_default=True,
              help="The standard data folder to write: one file per dataset.")
@click.option("--format", "fmt", type=click.Choice(["csv", "parquet"]), default="csv", show_default=True, help="The files' format.")
@click.option("--dataset", "-d", "datasets", multiple=True,
              help="Only this dataset (repeatable); the mapped datasets it refers to are mapped too, for the checks, but not written.")
@key_option()
@click.option("--new-key", is_flag=True, help="Write although the folder was written with another pseudonym key (every pseudonym changes).")
@click.option("--allow-invalid-rows", is_flag=True, help="Leave invalid rows out (each is listed) instead of refusing the exports.")
@click.option("--dry-run", is_flag=True, help="Map and check the exports, and write nothing.")
@click.option("--summary", "diagnostics_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="The summary (and any problems) as text or as JSON.")
@lang_option("Language of the summary.")
@handle_errors
def command(paths: tuple[Path, ...], out: Path, fmt: str, datasets: tuple[str, ...], key_file: Path | None, new_key: bool,
            allow_invalid_rows: bool, dry_run: bool, diagnostics_format: str, lang: str | None) -> None:
    """Map the municipality's exports into the standard data: one file per dataset in --out.

    PATHS are the project's catalogue or mapping files or folders (default: catalogue.yaml and
    mappings/ in the working folder). Every cell is checked as in a standard file, and problems
    point at the export's file, row and column. CPR numbers become pseudonyms with the
    municipality's key (`hfspec key new`); no CPR number is written anywhere.

    \b
    hfspec map
    hfspec map catalogue.yaml --out data --format parquet
    hfspec map mappings/herberg.yaml --dry-run
    """
    import json

    import duckdb

    from hfspec.data import pseudonym
    from hfspec.data.mapping import mapped_datasets, needs_key, project_folders, run_mappings
    from hfspec.diagnostics import Diagnostic, HfspecError, did_you_mean
    from hfspec.messages import Codes, Message, OneOf
    from hfspec.exports.summary import summary_data, summary_text
    from hfspec.exports.write import check_key, write_folder
    from hfspec.spec.project import load_project

    targets = list(paths) or [Path(p) for p in DEFAULT_PATHS if Path(p).exists()]
    if not targets:
        raise HfspecError([Diagnostic("HF307", Message("map.no_paths", names=OneOf(*DEFAULT_PATHS)), None, hint=Message("map.no_paths_hint"))])
    project = load_project(targets)
    lang = use_lang(lang, project)
    if not project.mappings:
        raise HfspecError([Diagnostic("HF307", Message("map.no_mappings"), None, hint=Message("map.no_mappings_hint"))])
    mapped_ids = {m.spec.dataset: m for m in project.mappings.values()}
    unknown = [d for d in datasets if d not in mapped_ids]
    if unknown:
        raise HfspecError([Diagnostic("HF302", Message("map.no_mapping_for", dataset=d), None, hint=did_you_mean(d, mapped_ids) or
                                      Message("map.mappings_make", datasets=Codes(*sorted(mapped_ids)))) for d in unknown])
    asked = list(datasets) or list(mapped_ids)
    wanted, _ = mapped_datasets(project, asked)  # and the mapped datasets they refer to: references are checked, unmatched rows left out
    mappings = [mapped_ids[d] for d in wanted]
    key, warnings = None, []
    why = needs_key(mappings)
    if why:
        key, warnings = pseudonym.require_key(key_file, project_folders(project, mappings, [out]), why)
        if not dry_run:
            check_key(out, key, new_key)
    con = duckdb.connect()
    try:
        mapped = run_mappings(con, project, wanted, key=key, allow_invalid_rows=allow_invalid_rows)
        for ds in [d for d in mapped.loaded if d not in asked]:  # mapped for the checks, not asked for: not written
            del mapped.loaded[ds], mapped.reports[ds]
        written = None if dry_run else write_folder(con, mapped, out, fmt)
    finally:
        con.close()
    if diagnostics_format == "json":
        data = {"summary": summary_data(mapped, written), "warnings": [d.text(lang) for d in warnings + mapped.warnings]}  # for machines
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    print_warnings(warnings + mapped.warnings)
    click.echo(summary_text(mapped, written, out, lang), nl=False)
