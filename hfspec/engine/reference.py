"""Compiled indicator + rows → result rows, in pure Python with the reference interpreter.

The oracle for the DuckDB engine (tests/test_differential.py): the same joins (many-to-one,
left), filter, grouping, periods, `n` and measure, computed without SQL.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from hfspec.lang.interpret import eval_group, filter_rows, period_key
from hfspec.spec.project import CompiledIndicator

Key = tuple[Any, ...]


def joined_rows(compiled: CompiledIndicator, tables: Mapping[str, Sequence[Mapping[str, Any]]]) -> list[dict[str, Any]]:
    """Base rows widened with the columns of every reachable dataset, keyed `dataset.column`."""
    scope = compiled.scope
    base = scope.base
    assert base is not None
    out = []
    indexes: dict[tuple[str, str], dict[Any, Mapping[str, Any]]] = {}
    for row in tables.get(base, []):
        wide = {f"{base}.{k}": v for k, v in row.items()}
        for dataset in scope.reachable()[1:]:
            for source, link in scope.join_path(dataset):
                key_value = wide.get(f"{source}.{link.column}")
                index = indexes.setdefault((link.target, link.target_column), {r[link.target_column]: r for r in tables.get(link.target, [])})
                target_row = index.get(key_value) if key_value is not None else None
                for col in scope.columns[link.target]:
                    wide.setdefault(f"{link.target}.{col}", target_row.get(col) if target_row else None)
        out.append(wide)
    return out


def evaluate_reference(compiled: CompiledIndicator, tables: Mapping[str, Sequence[Mapping[str, Any]]]) -> dict[Key, tuple[Any, int]]:
    """{(period, by values…): (value, n)} for a non-derived indicator."""
    rows = filter_rows(compiled.filter, joined_rows(compiled, tables))
    period = compiled.spec.period
    groups: dict[Key, list[dict[str, Any]]] = {}
    for row in rows:
        key = ((period_key(row.get(compiled.time.key), period),) if period and compiled.time else ()) + tuple(row.get(r.key) for r in compiled.by)
        groups.setdefault(key, []).append(row)
    if not groups and not compiled.by and not period:
        groups[()] = []
    out: dict[Key, tuple[Any, int]] = {}
    for key, members in groups.items():
        unit = compiled.counting_unit
        n = len({r.get(unit.key) for r in members if r.get(unit.key) is not None}) if unit else len(members)
        out[key] = (eval_group(compiled.measure, members), n)
    return out
