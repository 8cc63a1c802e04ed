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

    from hfspec.data.ingest import load_data
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
        from hfspec.som.scenario import load_scenario

        for sid in project.scenarios:
            try:
                load_scenario(project, sid)
            except HfspecError as error:
                bag.extend(error.diagnostics)
    bag.raise_if_errors()
    return project


def build_report(catalogue: Path | None, data: Path | None, *, lang: str = "da", suppress_below: int = 5, store: Path | None = None,
          label: str | None = None, history: Path | None = None, scenario: str | None = None, scenario_paths: list[Path] | None = None,
          reference_date: str | None = None, charts: bool = True):
    """Run every stage of the report and return (context, warnings)."""
    from hfspec.diagnostics import Diagnostic, HfspecError
    from hfspec.dbl.model import run_dbl
    from hfspec.engine.rules import run_check
    from hfspec.report.management import report_context
    from hfspec.resources import national_catalogue
    from hfspec.session import run_eval
    from hfspec.spec.project import load_project

    stores_history = history is not None and store is not None and Path(history).resolve() == Path(store).resolve()
    if history is not None and not stores_history and not Path(history).is_file():  # before the work, not after
        raise HfspecError([Diagnostic("HF100", f"history file `{history}` does not exist", None,
                                      hint="store runs with `hfspec eval --store FILE` or `hfspec report --store FILE`")])
    result, warnings = run_eval(catalogue, data, [], [], None, None, suppress_below, store=store, label=label)
    project = load_project([catalogue or national_catalogue()])
    unavailable: dict[str, str] = {}
    check = _optional(lambda: run_check(data, [], catalogue, reference_date, lang), "findings", unavailable, lang)
    dbl = _optional(lambda: run_dbl(data, None, catalogue, reference_date, include_ended=True, lang=lang), "workers", unavailable, lang)
    for part in (check, dbl):
        warnings += [d for d in (part.warnings if part else []) if (d.code, d.message) not in {(x.code, x.message) for x in warnings}]
    stored = None
    if history is not None:
        import duckdb

        from hfspec.engine.history import load_history

        try:
            runs, results = load_history(Path(history))
        except duckdb.Error as error:  # not a DuckDB file, or a DuckDB file without the history tables
            first = str(error).splitlines()[0]
            raise HfspecError([Diagnostic("HF100", f"`{history}` is not an hfspec history file ({first})", None,
                                          hint="give the DuckDB file written by `hfspec eval --store` or `hfspec report --store`")]) from None
        stored = (runs, results, Path(history).name)
    som_result = None
    if scenario is not None:
        from hfspec.som import model as som

        som_project, scenario_id = load_scenario_project(scenario, tuple(scenario_paths or ()))
        som_result = som.run(som_project, scenario_id)
    context = report_context(result, project, check=check, dbl=dbl, history=stored, som=som_result, data_period=_data_period(result),
                             unavailable=unavailable, reference_date=_reference(reference_date, check, dbl), lang=lang, charts=charts)
    return context, warnings


def _optional(run, section: str, unavailable: dict[str, str], lang: str):
    """Run a section's stage; when only data files are missing (HF501), record why and go on."""
    from hfspec.diagnostics import HfspecError
    from hfspec.report.management import WORDS

    try:
        return run()
    except HfspecError as error:
        if not error.diagnostics or any(d.code != "HF501" for d in error.diagnostics):
            raise
        names = sorted({d.message.split("`")[1] for d in error.diagnostics if d.message.count("`") >= 2})
        unavailable[section] = WORDS[lang]["missing_files"].format(names=", ".join(names))
        return None


def _reference(given: str | None, check, dbl) -> str | None:
    """The reference date actually used by the rule check and the double bottom line."""
    if given is None:
        return None
    if check is not None and check.reference_date:
        return check.reference_date
    return dbl.reference_date if dbl is not None else given


def _data_period(result) -> tuple[str | None, str | None]:
    """--from/--to of the run, else the first and last day of the periods the key figures cover."""
    from hfspec.session import parse_bound

    if result.period_from or result.period_to:
        return result.period_from, result.period_to
    labels = {r.period for ir in result.indicators for r in ir.rows if r.period}
    if not labels:
        return None, None
    starts = [parse_bound(label, False) for label in labels]
    ends = [parse_bound(label, True) for label in labels]
    return min(starts).isoformat(), max(ends).isoformat()


def load_scenario_project(scenario: str, paths: tuple[Path, ...] = ()):
    """The project and the scenario's id: SCENARIO is a file (its one scenario) or an id."""
    from hfspec.diagnostics import Diagnostic, HfspecError
    from hfspec.resources import shipped
    from hfspec.spec.project import load_project

    as_file = Path(scenario)
    is_file = as_file.suffix.lower() in (".yaml", ".yml") or as_file.is_file()
    models = shipped("specs") / "models"  # only the models: the rest of specs/ needs a catalogue
    targets = [models, *paths] if paths or is_file else [models, shipped("examples") / "som"]
    if is_file:
        if not as_file.is_file():
            raise HfspecError([Diagnostic("HF100", f"`{scenario}` does not exist", None, hint="give a scenario file or a scenario id (e.g. `vejle`)")])
        targets.append(as_file)
    project = load_project(targets)
    if not is_file:
        return project, scenario
    own = [sid for sid, spec in project.scenarios.items() if spec.loc is not None and Path(spec.loc.doc.source.name).resolve() == as_file.resolve()]
    if len(own) != 1:
        found = f"{len(own)} scenarios ({', '.join(own)})" if own else "no scenario"
        raise HfspecError([Diagnostic("HF302", f"`{scenario}` holds {found}", None,
                                      hint="give the scenario's id instead, with the file as a PATH: `hfspec som ID FILE`" if own else "a scenario file has `kind: Scenario`")])
    return project, own[0]
