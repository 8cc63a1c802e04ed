"""Library entry points that the CLI (and other tools) call: load, ingest, evaluate."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from hfspec.diagnostics import Diagnostic, HfspecError, Severity, did_you_mean
from hfspec.engine.results import Result
from hfspec.resources import demo_data, national_catalogue
from hfspec.spec.project import Project, load_project


def parse_bound(text: str | None, end: bool) -> dt.date | None:
    """A --from/--to value as a date: `2021-03-15`, `2021`, `2021-H2`, `2021-Q3`, `2021-07`.

    >>> parse_bound("2021-Q3", False), parse_bound("2021-Q3", True)
    (datetime.date(2021, 7, 1), datetime.date(2021, 9, 30))
    """
    if text is None:
        return None
    t = text.strip()
    def month_range(year: int, first: int, last: int) -> dt.date:
        if not end:
            return dt.date(year, first, 1)
        nxt = dt.date(year + (last == 12), last % 12 + 1, 1)
        return nxt - dt.timedelta(days=1)
    try:
        if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", t):
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        if m := re.fullmatch(r"(\d{4})", t):
            return month_range(int(m[1]), 1, 12)
        if m := re.fullmatch(r"(\d{4})-[Hh]([12])", t):
            h = int(m[2])
            return month_range(int(m[1]), 1 + 6 * (h - 1), 6 * h)
        if m := re.fullmatch(r"(\d{4})-[Qq]([1-4])", t):
            q = int(m[2])
            return month_range(int(m[1]), 1 + 3 * (q - 1), 3 * q)
        if m := re.fullmatch(r"(\d{4})-(\d{2})", t):
            return month_range(int(m[1]), int(m[2]), int(m[2]))
    except ValueError:
        pass
    raise HfspecError([Diagnostic("HF604", f"`{text}` is not a date or period", None, hint="use 2021-01-01, 2021, 2021-H1, 2021-Q3 or 2021-07")])


def select_indicators(project: Project, ids: list[str], types: list[str]) -> list[str]:
    chosen = list(project.indicators)
    if ids:
        unknown = [i for i in ids if i not in project.compiled]
        if unknown:
            raise HfspecError([Diagnostic("HF605", f"unknown key figure `{u}`", None, hint=did_you_mean(u, project.compiled)) for u in unknown])
        chosen = [i for i in ids]
    if types:
        chosen = [i for i in chosen if project.compiled[i].spec.type in types]
    return [i for i in chosen if i in project.compiled]


def run_eval(catalogue: Path | None, data: Path | None, ids: list[str], types: list[str], date_from: str | None, date_to: str | None,
             suppress_below: int, allow_invalid_rows: bool = False, progress=None, store: Path | None = None,
             label: str | None = None) -> tuple[Result, list[Diagnostic]]:
    """Load the catalogue, ingest the data, evaluate. Returns the result and the warnings."""
    import duckdb

    from hfspec.engine.ingest import load_data
    from hfspec.engine.tables import evaluate

    project = load_project([catalogue or national_catalogue()])
    chosen = select_indicators(project, ids, types)
    start, stop = parse_bound(date_from, False), parse_bound(date_to, True)
    needed = sorted({d for i in project.evaluation_order(chosen) for d in project.compiled[i].scope.reachable()} if chosen else set())
    con = duckdb.connect()
    dataset = load_data(con, project.datasets, data or demo_data(), needed=needed, allow_invalid_rows=allow_invalid_rows)
    result = evaluate(project, con, chosen, suppress_below, start, stop, progress)
    result.data = {k: v.rows for k, v in dataset.loaded.items()}
    result.skipped = {k: v.skipped_rows for k, v in dataset.loaded.items() if v.skipped_rows}
    result.period_from = start.isoformat() if start else None
    result.period_to = stop.isoformat() if stop else None
    con.close()
    warnings = list(project.warnings) + list(dataset.warnings)
    if store is not None:
        from hfspec.engine.history import store_run

        stored = store_run(store, [Path(f) for f in project.files], [d.path for d in dataset.loaded.values()], result, label)
        if not stored.new:
            warnings.append(Diagnostic("HF804", f"this catalogue and data are already stored in `{store}` as run {stored.run_id} ({stored.stamp}); not stored again",
                                       None, severity=Severity.INFO))
    return result, warnings


def validate_paths(paths: list[Path]) -> Project:
    """Load a project and also check every scenario against its model. Raises `HfspecError`."""
    from hfspec.diagnostics import DiagnosticBag
    from hfspec.spec.modelcheck import compile_model

    project = load_project(paths)
    bag = DiagnosticBag()
    for model in project.models.values():
        compile_model(model, bag)
    if not bag.has_errors:
        from hfspec.engine.scenario import load_scenario

        for sid in project.scenarios:
            try:
                load_scenario(project, sid)
            except HfspecError as error:
                bag.extend(error.diagnostics)
    bag.raise_if_errors()
    return project
