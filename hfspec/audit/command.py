"""`hfspec audit RESULT…`: the attacker's computation on published results files.

Thin: reading and solving are `hfspec.audit.model`. Exit code 1 when a hidden cell of any file
can be worked out (or narrowed to an interval narrower than the protection level), 0 otherwise.
"""

from __future__ import annotations

from pathlib import Path

import click

from hfspec.clitools import handle_errors, lang_option, say, suppress_option, use_lang


@click.command(name="audit")
@click.argument("results", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--catalogue", "-c", "catalogue", type=click.Path(path_type=Path),
              help="The catalogue the results were computed with (default: the national one): it says which key figures count the same citizens.")
@suppress_option("The k the results were made with, for files that do not record it (CSV, HTML).")
@click.option("--protection-level", "protection", type=click.IntRange(min=1),
              help="How wide the interval of every hidden cell must stay (default: k).")
@lang_option("Language of the messages.")
@handle_errors
def command(results: tuple[Path, ...], catalogue: Path | None, suppress_below: int, protection: int | None, lang: str | None) -> None:
    """Check that no hidden cell of a results file can be worked out from what it publishes.

    RESULT is a file written by `hfspec eval` (JSON, CSV or XLSX) or `hfspec report` (HTML or
    workbook). For every hidden cell the audit computes, as an attacker would (linear
    programming over the file's totals, its n and the catalogue's related key figures), the
    smallest and largest value it can have; a cell whose interval is narrower than the
    protection level is reported. Exit code 1 when there is one.

    \b
    hfspec audit results.json
    hfspec audit rapport.html rapport.xlsx --catalogue kommune/
    """
    from hfspec.audit.model import audit, finding_diagnostic
    from hfspec.diagnostics import HfspecError
    from hfspec.messages import Message
    from hfspec.session import Session, Settings
    from hfspec.source import SourceFile, display_path

    problems = []
    with Session(catalogue, None, Settings(k=suppress_below)) as session:
        project = session.project
        use_lang(lang, project)
        for path in results:
            found = audit(path, project, protection, suppress_below)
            source = SourceFile.read(path) if found.kind in ("json", "csv", "html") else None
            problems += [finding_diagnostic(f, found.level or 0, source) for f in found.findings]
            verdict = Message("cli.audit_found", n=len(found.findings)) if found.findings else Message("cli.audit_none")
            say("cli.audit_summary", file=display_path(path), rows=found.rows, hidden=found.hidden, verdict=verdict, level=f"{found.level or 0:g}")
    if problems:
        raise HfspecError(problems)
