"""Key figures of several municipalities → a `Comparison`: each key figure's headline cell per
municipality, beside the overall value, every cell a result cell with its own disclosure control.

Two sources:

- **Data** (`compare_result`): one evaluation with the municipality column (`kommune`) as a
  breakdown in front of each key figure's own (`engine.tables.evaluate(..., unit=)`): the headline
  cell per municipality, and the same cell over all municipalities – the overall value, computed
  from the rows of every municipality together (never from the municipalities' rounded or
  suppressed cells). Key figures whose data cannot reach the column are `available = False`.
  Several data folders are read together first (`data.union`), their ids kept apart.
- **Stored runs** (`compare_history`): the latest run of each label in a history file, the label
  being the municipality's name; each cell as stored (already suppressed where it had to be), suppressed
  again at the comparison's k (a run stored with `--suppress-below 0` shows no small count). An
  overall value exists only if one of the runs holds it (`overall`: its label): summing the
  municipalities' stored cells would add up rounded and suppressed numbers.

The cells are `ResultRow`s: in a data comparison the municipality is one of the cell's `by`
values (the overall cell has it in `total_over`), so a later step can see every cell of the
table, its `n`, whether it is suppressed and which cells add up to which (secondary disclosure
control across the municipalities' columns and the overall column).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from hfspec.engine.results import IndicatorResult, Result, ResultRow, headline_cell, latest_period
from hfspec.spec.model import IndicatorSpec


@dataclass
class IndicatorComparison:
    """One key figure across the municipalities: its headline cell in each, and over all."""

    spec: IndicatorSpec
    cells: dict[str, ResultRow | None]  # municipality -> its headline cell (None: no such cell)
    overall: ResultRow | None = None
    available: bool = True  # False: the key figure cannot be split by the municipality column


@dataclass
class Comparison:
    """A comparison of key figures across municipalities (see the module docstring)."""

    source: str  # "data" or "history"
    units: list[str]  # the municipalities, in order
    indicators: list[IndicatorComparison]
    suppress_below: int
    column: str | None = None  # data: the column that names the municipality
    folders: list[str] = field(default_factory=list)  # data: the folders read together
    history: str | None = None  # history: the file
    overall: str | None = None  # history: the label of the run that holds the overall value
    has_overall: bool = True


def _unit_name(value) -> str:
    return "–" if value is None else str(value)


def compare_result(result: Result, ids: list[str], specs: dict[str, IndicatorSpec], column: str) -> Comparison:
    """The comparison from a result evaluated with `unit=column` (`Session.evaluate`): per key figure
    of `ids` its headline cell per value of `column` and over all; a key figure missing from the
    result could not be split by the column."""
    found = {ir.spec.id: ir for ir in result.indicators}
    units = sorted({_unit_name(r.by[column]) for ir in found.values() for r in ir.rows if column in r.by and column not in r.total_over},
                   key=lambda u: (u == "–", u))
    out = []
    for iid in ids:
        ir = found.get(iid)
        if ir is None:
            out.append(IndicatorComparison(specs[iid], {u: None for u in units}, None, available=False))
            continue
        latest = latest_period([r for r in ir.rows if "period" not in r.total_over]) if ir.period else None
        values = {_unit_name(r.by[column]): r.by[column] for r in ir.rows if column in r.by}
        cells = {u: headline_cell(ir, fixed={column: values[u]}, period=latest) if u in values else None for u in units}
        overall = headline_cell(ir, period=latest)
        out.append(IndicatorComparison(ir.spec, cells, overall))
    return Comparison("data", units, out, result.suppress_below, column=column)


def compare_history(path: Path, result: Result, overall: str | None = None) -> Comparison:
    """The comparison from the runs stored in `path`: for each label its latest run, for each key
    figure of `result` (the report's own run, for the key figures' specs and breakdowns) the
    headline cell among that run's stored cells. The run labelled `overall` gives the overall value."""
    from hfspec.engine.history import at_k, load_history, stored_rows

    runs, results = load_history(path)
    latest: dict[str, dict] = {}
    for run in runs:  # oldest first: a later run of the same label replaces an earlier one
        if run["label"]:
            latest[run["label"]] = run
    cells = stored_rows(results)
    units = [label for label in latest if label != overall]
    out = []
    for ir in result.indicators:
        def head(run: dict | None) -> ResultRow | None:
            rows = at_k(cells.get((run["run_id"], ir.spec.id), []), result.suppress_below, ir.is_count, ir.is_share) if run else []
            return headline_cell(IndicatorResult(ir.spec, rows, by=ir.by, period=ir.period)) if rows else None
        out.append(IndicatorComparison(ir.spec, {u: head(latest[u]) for u in units}, head(latest.get(overall)) if overall else None))
    return Comparison("history", units, out, result.suppress_below, history=Path(path).name, overall=overall,
                      has_overall=bool(overall and overall in latest))
