"""Session (+ history file, SØM scenario) → the report's context: every section of the management
report computed in one session, so the project is loaded once and each dataset read once.

The sections are the key figures (`Session.evaluate`, optionally stored), the rule check
(`hfspec.check`), the double bottom line per worker (`hfspec.dbl`), the stored history and a SØM
case (`hfspec.som`); `hfspec.report.management` turns them into plain data for the template or
the workbook. A section whose data files are missing is left out with a note, not an error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hfspec.check.run import default_paths as check_paths
from hfspec.check.run import run_check
from hfspec.dbl.model import default_specs as dbl_specs
from hfspec.dbl.model import run_dbl
from hfspec.diagnostics import Diagnostic, HfspecError, Message
from hfspec.engine import derived
from hfspec.engine.rules import needed_datasets
from hfspec.report.management import report_context
from hfspec.session import Session, Sessions
from hfspec.settings import parse_bound
from hfspec.words import REPORT


def report_specs() -> list[Path]:
    """The spec files a report session loads besides the catalogue: the rules and the signals."""
    return [*check_paths(), *dbl_specs()]


def build_report(session: Session, *, store: Path | None = None, label: str | None = None, history: Path | None = None,
                 scenario: str | None = None, scenario_paths: list[Path] | None = None, charts: bool = True) -> tuple[dict[str, Any], list[Diagnostic]]:
    """Run every stage of the report in `session` (made with `specs=report_specs()`) and return
    (context, warnings)."""
    stores_history = history is not None and store is not None and Path(history).resolve() == Path(store).resolve()
    if history is not None and not stores_history and not Path(history).is_file():  # before the work, not after
        raise HfspecError([Diagnostic("HF100", Message("report.no_history", path=history), None, hint=Message("report.no_history_hint"))])
    lang = session.lang
    result = session.evaluate()
    warnings = session.warnings
    if store is not None:
        warnings += [d for d in [session.store(result, store, label)] if d is not None]
    project = session.project
    unavailable: dict[str, str] = {}
    check_rules = project.rules_in(check_paths())
    dbl_rules = project.rules_in(dbl_specs())
    check = dbl = None
    if _available(session, needed_datasets(project, check_rules), "findings", unavailable, lang):
        check = run_check(session, check_paths())
    dbl_needs = [*derived.DERIVED[derived.DBL_DATASET], *needed_datasets(project, dbl_rules)]
    if _available(session, [d for d in dbl_needs if d not in derived.OPTIONAL_SOURCES], "workers", unavailable, lang):
        dbl = run_dbl(session, dbl_specs(), include_ended=True)
    warnings += [d for d in session.warnings if (d.code, d.message) not in {(x.code, x.message) for x in warnings}]
    stored = None
    if history is not None:
        stored = _history(Path(history))
    som_result = None
    if scenario is not None:
        from hfspec.som import model as som
        from hfspec.som.scenario import load_scenario_project

        som_project, scenario_id = load_scenario_project(scenario, tuple(scenario_paths or ()))
        with Sessions() as sessions:
            som_result = som.run(som_project, scenario_id, sessions=sessions)
    given = session.settings.reference_date
    context = report_context(result, project, check=check, dbl=dbl, history=stored, som=som_result, data_period=_data_period(result),
                             unavailable=unavailable, reference_date=given.isoformat() if given else None,
                             catalogue_reference=session.catalogue_params.get("reference_date"), lang=lang, charts=charts)
    return context, warnings


def _available(session: Session, datasets: list[str], section: str, unavailable: dict[str, str], lang: str) -> bool:
    """Whether the files a section needs are there; when some are missing, record why and say no."""
    from hfspec.data.ingest import find_file

    missing = sorted({d for d in datasets if d not in derived.DERIVED and not session.has(d) and find_file(session.data, d) is None})
    if missing:
        unavailable[section] = REPORT[lang]["missing_files"].format(names=", ".join(missing))
    return not missing


def _history(path: Path):
    import duckdb

    from hfspec.engine.history import load_history

    try:
        runs, results = load_history(path)
    except duckdb.Error as error:  # not a DuckDB file, or a DuckDB file without the history tables
        first = str(error).splitlines()[0]
        raise HfspecError([Diagnostic("HF100", Message("report.not_history", path=path, detail=first), None, hint=Message("report.not_history_hint"))]) from None
    return runs, results, path.name


def _data_period(result) -> tuple[str | None, str | None]:
    """--from/--to of the run, else the first and last day of the periods the key figures cover."""
    if result.period_from or result.period_to:
        return result.period_from, result.period_to
    labels = {r.period for ir in result.indicators for r in ir.rows if r.period}
    if not labels:
        return None, None
    starts = [parse_bound(label, False) for label in labels]
    ends = [parse_bound(label, True) for label in labels]
    return min(starts).isoformat(), max(ends).isoformat()
