"""Compiled indicator + rows → result rows, in pure Python with the reference interpreter.

The oracle for the DuckDB engine (tests/test_differential.py): the same joins (many-to-one,
left), `let` values, filter, breakdowns, periods (of a date or of an interval), `n` and measure,
computed without SQL. `from` reads the rows of the other datasets from `tables` too.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Mapping, Sequence

from hfspec.engine.sqlparts import PERIOD_MONTHS
from hfspec.lang.interpret import LET_PREFIX, PERIOD_DAYS_KEY, eval_group, filter_rows, period_key, row_evaluator
from hfspec.spec.project import CompiledIndicator

Key = tuple[Any, ...]
Tables = Mapping[str, Sequence[Mapping[str, Any]]]


def joined_rows(compiled: CompiledIndicator, tables: Tables) -> list[dict[str, Any]]:
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


def period_index(day: dt.date, kind: str) -> int:
    """A date's period as a number counting periods (as sqlparts.period_index_sql)."""
    per_year = 12 // PERIOD_MONTHS[kind]
    return day.year * per_year + (day.month - 1) // PERIOD_MONTHS[kind]


def period_bounds(index: int, kind: str) -> tuple[dt.date, dt.date]:
    """The first day of a period and the first day after it."""
    per_year = 12 // PERIOD_MONTHS[kind]
    year, part = divmod(index, per_year)
    start = dt.date(year, part * PERIOD_MONTHS[kind] + 1, 1)
    following = part + 1
    end = dt.date(year + 1, 1, 1) if following == per_year else dt.date(year, following * PERIOD_MONTHS[kind] + 1, 1)
    return start, end


def split_by_period(row: dict[str, Any], start: dt.date | None, end: dt.date | None, kind: str) -> list[tuple[str | None, dict[str, Any]]]:
    """A row with the interval [start, end) as one (period label, row) per period it overlaps,
    each row carrying its days in that period under PERIOD_DAYS_KEY."""
    if start is None:
        return [(None, {**row, PERIOD_DAYS_KEY: None})]
    first = period_index(start, kind)
    last = first if end is None or end <= start else period_index(end - dt.timedelta(days=1), kind)
    out = []
    for index in range(first, last + 1):
        begin, finish = period_bounds(index, kind)
        days = None if end is None else max(0, (min(end, finish) - max(start, begin)).days)
        out.append((period_key(begin, kind), {**row, PERIOD_DAYS_KEY: days, "$period_bounds": (begin, finish)}))
    return out


def evaluate_reference(compiled: CompiledIndicator, tables: Tables, date_from: dt.date | None = None,
                       date_to: dt.date | None = None) -> dict[Key, tuple[Any, int]]:
    """{(period, by values…): (value, n)} for a non-derived indicator."""
    rows = joined_rows(compiled, tables)
    for name, checked in compiled.lets:
        value_of = row_evaluator(checked, tables)
        for row in rows:
            row[LET_PREFIX + name] = value_of(row)
    rows = filter_rows(compiled.filter, rows, tables)
    period = compiled.spec.period
    key_fns = [row_evaluator(checked, tables) for _, checked in compiled.keys]
    pieces: list[tuple[str | None, dict[str, Any]]] = []
    if period and len(compiled.time_exprs) == 2:
        start_of, end_of = (row_evaluator(t, tables) for t in compiled.time_exprs)
        for row in rows:
            for label, piece in split_by_period(row, start_of(row), end_of(row), period):
                bounds = piece.pop("$period_bounds", None)
                if bounds is not None and ((date_to and bounds[0] > date_to) or (date_from and bounds[1] <= date_from)):
                    continue
                if bounds is None and (date_from or date_to):
                    continue
                pieces.append((label, piece))
    elif period:
        time_of = row_evaluator(compiled.time_exprs[0], tables) if compiled.time_exprs else (lambda r: r.get(compiled.time.key) if compiled.time else None)
        for row in rows:
            day = time_of(row)
            if (date_from or date_to) and (day is None or (date_from and day < date_from) or (date_to and day > date_to)):
                continue
            pieces.append((period_key(day, period), row))
    else:
        pieces = [(None, row) for row in rows]
    groups: dict[Key, list[dict[str, Any]]] = {}
    for label, row in pieces:
        key = ((label,) if period else ()) + tuple(fn(row) for fn in key_fns)
        groups.setdefault(key, []).append(row)
    if not groups and not compiled.keys and not period:
        groups[()] = []
    out: dict[Key, tuple[Any, int]] = {}
    for key, members in groups.items():
        unit = compiled.counting_unit
        n = len({r.get(unit.key) for r in members if r.get(unit.key) is not None}) if unit else len(members)
        out[key] = (eval_group(compiled.measure, members, tables), n)
    return out
