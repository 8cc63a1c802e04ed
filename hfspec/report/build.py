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
from hfspec.dbl.model import worker_summary
from hfspec.diagnostics import Diagnostic, HfspecError, Message, did_you_mean
from hfspec.engine import derived
from hfspec.messages import Codes
from hfspec.engine.rules import needed_datasets
from hfspec.report.management import report_context, som_command
from hfspec.session import Session, Sessions
from hfspec.settings import DEFAULT_COMPARE_COLUMN, parse_bound
from hfspec.words import REPORT


def report_specs() -> list[Path]:
    """The spec files a report session loads besides the catalogue: the rules and the signals."""
    return [*check_paths(), *dbl_specs()]


def build_report(session: Session, *, store: Path | None = None, label: str | None = None, history: Path | None = None,
                 scenario: str | None = None, scenario_paths: list[Path] | None = None, charts: bool = True,
                 compare: list[Path] | None = None, compare_by: str | None = None, compare_history: Path | None = None,
                 overall: str | None = None) -> tuple[dict[str, Any], list[Diagnostic]]:
    """Run every stage of the report in `session` (made with `specs=report_specs()`) and return
    (context, warnings).

    The comparison across municipalities: `compare` (other data folders, read together with the
    session's) and/or `compare_by` (the column that names the municipality, default
    `settings.DEFAULT_COMPARE_COLUMN`), or `compare_history` (a history file; `overall` is the label
    of its run with the overall value)."""
    from hfspec.engine.history import check_file

    for path in (history, compare_history):
        stored_now = path is not None and store is not None and Path(path).resolve() == Path(store).resolve()
        if path is not None and not stored_now and not Path(path).is_file():  # before the work, not after
            raise HfspecError([Diagnostic("HF100", Message("report.no_history", path=path), None, hint=Message("report.no_history_hint"))])
    stores_history = history is not None and store is not None and Path(history).resolve() == Path(store).resolve()
    stored = _history(Path(history)) if history is not None and not stores_history else None  # a foreign file is refused before the work
    if store is not None:
        check_file(store)
    if compare_history is not None and Path(compare_history).exists():
        check_file(Path(compare_history))
    lang = session.lang
    result = session.evaluate(totals=True)
    warnings = session.warnings
    comparison = None
    if compare or compare_by:
        comparison = _compare_data(session, result, list(compare or ()), compare_by or DEFAULT_COMPARE_COLUMN, warnings)
    elif compare_history is not None:
        comparison = _compare_history(Path(compare_history), result, overall)
    if store is not None:  # after the comparison: its secondary suppression can hide more of the report's cells
        warnings += [d for d in [session.store(result, store, label)] if d is not None]
    project = session.project
    unavailable: dict[str, str] = {}
    check_rules = project.rules_in(check_paths())
    dbl_rules = project.rules_in(dbl_specs())
    check = workers = None
    if _available(session, needed_datasets(project, check_rules), "findings", unavailable, lang):
        check = run_check(session, check_paths())
    dbl_needs = [*derived.DERIVED[derived.DBL_DATASET], *needed_datasets(project, dbl_rules)]
    if _available(session, [d for d in dbl_needs if d not in derived.OPTIONAL_SOURCES], "workers", unavailable, lang):
        workers = worker_summary(session, dbl_specs())
    warnings += [d for d in session.warnings if (d.code, d.message) not in {(x.code, x.message) for x in warnings}]
    if stores_history:
        stored = _history(Path(history))
    som_result = None
    if scenario is not None:
        from hfspec.som import model as som
        from hfspec.som.scenario import load_scenario_project

        som_project, scenario_id = load_scenario_project(scenario, tuple(scenario_paths or ()))
        with Sessions() as sessions:
            som_result = som.run(som_project, scenario_id, sessions=sessions)
    given = session.settings.reference_date
    citizen_ids = _citizen_ids(session) if check is not None else set()
    context = report_context(result, project, check=check, workers=workers, citizen_ids=citizen_ids, history=stored, som=som_result,
                             som_cmd=som_command(scenario, scenario_paths or ()) if scenario is not None else None, comparison=comparison,
                             data_period=_data_period(result),
                             unavailable=unavailable, reference_date=given.isoformat() if given else None,
                             catalogue_reference=session.catalogue_params.get("reference_date"), lang=lang, charts=charts)
    return context, warnings


def _available(session: Session, datasets: list[str], section: str, unavailable: dict[str, str], lang: str) -> bool:
    """Whether the files a section needs are there; when some are missing, record why and say no."""
    missing = sorted({d for d in datasets if d not in derived.DERIVED and not session.has(d) and not session.has_source(d)})
    if missing:
        unavailable[section] = REPORT[lang]["missing_files"].format(names=", ".join(missing))
    return not missing


def _own_folder(session: Session, ids: list[str], folder: Path) -> Path:
    """The session's datasets, mapped from the exports, as a data folder of Parquet files (in the
    comparison's temporary folder), so that they are read together with the other folders.
    Pseudonyms only: the CPR numbers never leave the mapping."""
    from hfspec.lang.sql import literal, quote_ident

    needed = [d for d in session.needed(ids) if d not in derived.DERIVED]
    session.require(needed)
    folder.mkdir(parents=True)
    for name in needed:
        if session.has(name):
            columns = ", ".join(quote_ident(c) for c in session.project.datasets[name].columns)
            session.con.execute(f"COPY (SELECT {columns} FROM {quote_ident(name)}) TO {literal(str(folder / f'{name}.parquet'))} (FORMAT parquet)")
    return folder


def _compare_data(session: Session, result, folders: list[Path], column: str, warnings: list[Diagnostic]):
    """The report's key figures per municipality (`column`) and over all: in the session's data, or
    with other data folders, in the union of them all (read one by one and then together, the ids of
    each folder kept apart: `data.union`)."""
    import shutil

    from hfspec.data.sheets import scratch_folder
    from hfspec.data.union import union_folders
    from hfspec.engine.compare import compare_result

    ids = [ir.spec.id for ir in result.indicators]
    specs = {ir.spec.id: ir.spec for ir in result.indicators}
    if not folders:
        by_unit = session.evaluate(ids, unit=column)
        session.protect_together([result, by_unit])  # the same data: the comparison's cells are margins of the report's
        comparison = compare_result(by_unit, ids, specs, column)
    else:
        tmp = scratch_folder()  # the union is citizen data: removed on every path, and by the next run if this one is killed
        try:
            every = [_own_folder(session, ids, tmp / "own") if session.from_exports else session.data, *folders]
            warnings += union_folders(session.project.datasets, every, session.needed(ids), tmp, session.settings.allow_invalid_rows)
            with Session(session.catalogue, tmp, session.settings, project=session.project) as union:
                comparison = compare_result(union.evaluate(ids, unit=column), ids, specs, column)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        comparison.folders = [session.data_label() if session.from_exports else str(session.data), *(str(f) for f in folders)]
    if not any(ic.available for ic in comparison.indicators):
        names = sorted({c for ds in session.project.datasets.values() for c in ds.columns})
        raise HfspecError([Diagnostic("HF805", Message("report.compare_by_unknown", column=column), None,
                                      hint=did_you_mean(column, names) or Message("report.compare_by_hint", column=DEFAULT_COMPARE_COLUMN))])
    return comparison


def _compare_history(path: Path, result, overall: str | None):
    from hfspec.engine.compare import compare_history

    runs, _ = _history(path)[:2]
    labels = [r["label"] for r in runs if r["label"]]
    if overall is not None and overall not in labels:
        raise HfspecError([Diagnostic("HF806", Message("report.overall_unknown", label=overall, path=path), None,
                                      hint=did_you_mean(overall, labels) or (Message("report.overall_labels", labels=Codes(dict.fromkeys(labels))) if labels else
                                                                           Message("report.overall_no_labels")))])
    return compare_history(path, result, overall)


def _citizen_ids(session: Session) -> set[str]:
    """Every citizen id of the data (`borgere`), so that no rule message that names one reaches the report."""
    if not session.has("borgere"):
        return set()
    return {row[0] for row in session.con.execute("SELECT DISTINCT borger_id FROM borgere").fetchall() if row[0] is not None}


def _history(path: Path):
    from hfspec.engine.history import load_history

    runs, results = load_history(path)  # HF100 for a file that is not an hfspec history file
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
