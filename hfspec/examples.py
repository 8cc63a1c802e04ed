"""Indicator `examples:` → pass/fail with a diff. Tests inside specs, run by `hfspec test`.

Each example builds its rows into fresh DuckDB tables typed by the Dataset specs and runs the
indicator through the real engine (no disclosure control), then compares with `expect`.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from hfspec.data.ingest import closure
from hfspec.diagnostics import Diagnostic, HfspecError, Message
from hfspec.engine.results import IndicatorResult, ResultRow
from hfspec.engine.tables import derive
from hfspec.lang.sql import quote_ident
from hfspec.lang.types import from_spec
from hfspec.messages import Codes
from hfspec.session import Session, Settings
from hfspec.spec.model import Loc
from hfspec.spec.project import CompiledIndicator, Project

_SQL_TYPES = {"integer": "BIGINT", "number": "DOUBLE", "boolean": "BOOLEAN", "date": "DATE"}
#: Relative tolerance when comparing expected and actual values (floating point sums).
TOLERANCE = 1e-9


@dataclass
class ExampleOutcome:
    indicator: str
    name: str
    passed: bool
    diff: list[Message]
    loc: Loc | None
    problems: list[Diagnostic]


def _convert(value: Any, typ: str) -> tuple[Any, bool]:
    """A YAML value as the column's Python type; (value, ok)."""
    if value is None:
        return None, True
    if typ == "date":
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value), True
            except ValueError:
                return None, False
        return None, False
    if typ == "integer":
        return (value, True) if isinstance(value, int) and not isinstance(value, bool) else (None, False)
    if typ == "number":
        return (float(value), True) if isinstance(value, (int, float)) and not isinstance(value, bool) else (None, False)
    if typ == "boolean":
        return (value, True) if isinstance(value, bool) else (None, False)
    return (str(value), True) if isinstance(value, (str, int)) and not isinstance(value, bool) else (None, False)


def _close(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool) and not isinstance(b, bool):
        return math.isclose(float(a), float(b), rel_tol=TOLERANCE, abs_tol=1e-12)
    return str(a) == str(b)


def _fmt(row: dict) -> str:
    return "{" + ", ".join(f"{k}: {v}" for k, v in row.items()) + "}"


def run_example(project: Project, compiled: CompiledIndicator, index: int, example: dict) -> ExampleOutcome:
    spec = compiled.spec
    loc = spec.locs["examples"].child(index) if "examples" in spec.locs else spec.loc
    name = str(example.get("name", f"example {index + 1}"))
    problems: list[Diagnostic] = []
    example_project = project
    if example.get("params"):
        try:
            example_project = project.with_params(dict(example["params"]), [spec.id])
        except HfspecError as error:
            return ExampleOutcome(spec.id, name, False, [], loc, list(error.diagnostics))
        compiled = example_project.compiled[spec.id]
    if spec.derived:
        result = _derived_actual(project, compiled, example, loc)
    else:
        # every table the evaluation may read exists, empty unless the example gives rows
        used = compiled.datasets()
        tables: dict[str, list[list[Any]]] = {ds_id: [] for ds_id in closure(project.datasets, used)}
        for ds_id, rows in (example.get("data") or {}).items():
            ds = project.datasets.get(ds_id)
            if ds is None or ds_id not in used:
                problems.append(Diagnostic("HF602", Message("examples.unused_dataset", name=name, id=spec.id, dataset=ds_id),
                                           loc.child("data", ds_id).key_span, hint=Message("examples.unused_dataset_hint", datasets=Codes(used))))
                continue
            for r_index, row in enumerate(rows or []):
                values = []
                for col in ds.columns.values():
                    value, ok = _convert(row.get(col.name), col.type)
                    if not ok:
                        problems.append(Diagnostic("HF602", Message("examples.wrong_type", name=name, column=col.name, value=repr(row.get(col.name)),
                                                                    type=from_spec(col.type).words()),
                                                   loc.child("data", ds_id, r_index, col.name).span))
                    values.append(value)
                for key in row:
                    if key not in ds.columns:
                        problems.append(Diagnostic("HF602", Message("examples.unknown_column", name=name, column=key, dataset=ds_id),
                                                   loc.child("data", ds_id, r_index, key).key_span))
                tables[ds_id].append(values)
        if problems:
            return ExampleOutcome(spec.id, name, False, [], loc, problems)
        # the example's rows stand in for the data: the same session and evaluation as `hfspec eval`,
        # without disclosure control (k = 0: an example states exact values)
        with Session(project=example_project, settings=Settings(k=0)) as session:
            for ds_id, rows in tables.items():
                ds = project.datasets[ds_id]
                session.add_table(ds_id, ", ".join(f"{quote_ident(c.name)} {_SQL_TYPES.get(c.type, 'VARCHAR')}" for c in ds.columns.values()), rows)
            result = session.evaluate([spec.id]).indicators[0]
    actual = result.rows
    expected = example.get("expect")
    if not isinstance(expected, list):
        expected = [{"value": expected}]
    key_names = (["period"] if result.period else []) + list(result.by)
    def key_of_expected(row: dict) -> tuple:
        return tuple(str(row.get(k)) if row.get(k) is not None else None for k in key_names)
    def key_of_actual(row: ResultRow) -> tuple:
        values = {"period": row.period, **row.by}
        return tuple(str(values.get(k)) if values.get(k) is not None else None for k in key_names)
    actual_by_key = {key_of_actual(r): r for r in actual}
    diff: list[Message] = []
    seen = set()
    for row in expected:
        key = key_of_expected(row)
        seen.add(key)
        got = actual_by_key.get(key)
        label = _fmt({k: row.get(k) for k in key_names}) if key_names else Message("examples.value")
        if got is None:
            diff.append(Message("examples.diff_missing", label=label, value=str(row.get("value"))))
        elif not _close(got.value, row.get("value")):
            diff.append(Message("examples.diff_value", label=label, value=str(row.get("value")), got=str(got.value)))
    for key, got in actual_by_key.items():
        if key not in seen and got.value not in (None, 0):
            label = _fmt(dict(zip(key_names, key)))
            diff.append(Message("examples.diff_extra", label=label, value=str(got.value)))
    return ExampleOutcome(spec.id, name, not diff, diff, loc, problems)


def _derived_actual(project: Project, compiled: CompiledIndicator, example: dict, loc: Loc) -> IndicatorResult:
    done: dict[str, IndicatorResult] = {}
    for ref_id in compiled.measure.refs:
        ref = project.compiled[ref_id]
        rows = []
        for r in (example.get("refs") or {}).get(ref_id, []):
            by = {b: r.get(b) for b in ref.spec.by}
            rows.append(ResultRow(ref_id, r.get("period"), by, r.get("value"), r.get("n"), False, None))
        done[ref_id] = IndicatorResult(ref.spec, rows, None, tuple(ref.spec.by), ref.spec.period)
    return derive(project, compiled, done, 0)


def run_examples(project: Project, ids: list[str] | None = None) -> list[ExampleOutcome]:
    outcomes = []
    for iid, compiled in project.compiled.items():
        if ids is not None and iid not in ids:
            continue
        for i, example in enumerate(compiled.spec.examples):
            outcomes.append(run_example(project, compiled, i, example))
    return outcomes
