"""Compiled indicators + validated tables → `Result` (each indicator as one DuckDB query).

Each indicator becomes `SELECT period, by…, measure, n FROM base LEFT JOIN referenced… WHERE
filter GROUP BY ALL`. Derived indicators (`ref()`) are computed from the results of the ones they
refer to, matched on equal keys; a referenced value without some of the derived key's columns
applies to every group (a total used as a denominator).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any, Iterable

from hfspec.diagnostics import Diagnostic, HfspecError, Message
from hfspec.engine.disclosure import suppress
from hfspec.engine.results import IndicatorResult, Result, ResultRow
from hfspec.lang import ast as A
from hfspec.lang.interpret import eval_refs
from hfspec.lang.scope import ColumnRef
from hfspec.lang.sql import literal, quote_ident, to_sql
from hfspec.spec.model import ColumnSpec
from hfspec.spec.project import CompiledIndicator, Project


def period_sql(column: str, kind: str) -> str:
    """SQL for the period label of a date column (`2021`, `2021-H1`, `2021-Q3`, `2021-07`)."""
    return {
        "year": f"CAST(year({column}) AS VARCHAR)",
        "half": f"(CAST(year({column}) AS VARCHAR) || '-H' || CAST(CASE WHEN month({column}) <= 6 THEN 1 ELSE 2 END AS VARCHAR))",
        "quarter": f"(CAST(year({column}) AS VARCHAR) || '-Q' || CAST(quarter({column}) AS VARCHAR))",
        "month": f"strftime({column}, '%Y-%m')",
    }[kind]


def period_parts(column: str, kind: str) -> list[str]:
    """The period of a date column as whole numbers, coarsest first: the year, and the half,
    quarter or month. Grouping by these is about twice as fast as grouping by the text label."""
    year = f"year({column})"
    return {
        "year": [year],
        "half": [year, f"CASE WHEN month({column}) <= 6 THEN 1 ELSE 2 END"],
        "quarter": [year, f"quarter({column})"],
        "month": [year, f"month({column})"],
    }[kind]


def period_label(parts: list[str], kind: str) -> str:
    """SQL for the label of a period from `period_parts`: the same text as `period_sql`."""
    year = f"CAST({parts[0]} AS VARCHAR)"
    return {
        "year": year,
        "half": f"({year} || '-H' || CAST({parts[-1]} AS VARCHAR))",
        "quarter": f"({year} || '-Q' || CAST({parts[-1]} AS VARCHAR))",
        "month": f"strftime(make_date({parts[0]}, {parts[-1]}, 1), '%Y-%m')",
    }[kind]


def column_sql(ref: ColumnRef) -> str:
    return f"{quote_ident(ref.dataset)}.{quote_ident(ref.column)}"


def from_clause(compiled: CompiledIndicator | Any, columns: Iterable[ColumnRef]) -> str:
    """FROM the base dataset, LEFT JOINed many-to-one to each referenced dataset a column needs."""
    scope = compiled.scope
    base = scope.base
    joins: dict[str, str] = {}
    for ref in columns:
        if ref.dataset == base:
            continue
        for source, link in scope.join_path(ref.dataset):
            if link.target in joins:
                continue
            joins[link.target] = (f" LEFT JOIN {quote_ident(link.target)} ON {quote_ident(source)}.{quote_ident(link.column)} = "
                                  f"{quote_ident(link.target)}.{quote_ident(link.target_column)}")
    return f"FROM {quote_ident(base)}" + "".join(joins.values())


def is_count_measure(compiled: CompiledIndicator) -> bool:
    """Whether the measure is a bare count (its small values are themselves disclosive)."""
    expr = compiled.measure.expr
    return isinstance(expr, A.Call) and expr.func == "count"


def indicator_sql(compiled: CompiledIndicator, date_from: dt.date | None = None, date_to: dt.date | None = None) -> tuple[str, list[str]]:
    """The SQL of a (non-derived) indicator, and the names of its key columns in order."""
    return _query(compiled, date_from, date_to, [to_sql(compiled.measure, column_sql)])


def _query(compiled: CompiledIndicator, date_from: dt.date | None, date_to: dt.date | None, measures: list[str]) -> tuple[str, list[str]]:
    """`indicator_sql` with one or more measures (`value`, `value_1`, ...) computed over the same
    rows and groups; the key figures that share everything but the measure share one query."""
    spec = compiled.spec
    selects: list[str] = []
    keys: list[str] = []
    group_refs: list[ColumnRef] = list(compiled.by)
    used = list(compiled.measure.used_columns()) + (compiled.filter.used_columns() if compiled.filter else []) + group_refs
    if compiled.counting_unit:
        used.append(compiled.counting_unit)
    parts: list[str] = []  # the period as whole numbers; its label is made after grouping
    if compiled.time is not None and spec.period:
        parts = [f"__p{i}" for i in range(len(period_parts("d", spec.period)))]
        selects.extend(f"{expr} AS {name}" for expr, name in zip(period_parts(column_sql(compiled.time), spec.period), parts))
        keys.append("period")
    for name, ref in zip(spec.by, compiled.by):
        selects.append(f"{column_sql(ref)} AS {quote_ident(name)}")
        keys.append(name)
    n = f"count(DISTINCT {column_sql(compiled.counting_unit)})" if compiled.counting_unit else "count(*)"
    values = ["value"] + [f"value_{i}" for i in range(1, len(measures))]
    selects.extend(f"{measure} AS {name}" for measure, name in zip(measures, values))
    selects.append(f"{n} AS n")
    where: list[str] = []
    if compiled.filter is not None:
        where.append(to_sql(compiled.filter, column_sql))
    # --from/--to choose which periods to show, so they apply to key figures with a `period:`; a
    # figure measured at a date (caseload on the reference date) keeps its meaning
    ds_time = compiled.time if spec.period else None
    if ds_time is not None:
        if date_from:
            where.append(f"{column_sql(ds_time)} >= {literal(date_from)}")
        if date_to:
            where.append(f"{column_sql(ds_time)} <= {literal(date_to)}")
    sql = "SELECT " + ", ".join(selects) + " " + from_clause(compiled, used)
    if where:
        sql += " WHERE " + " AND ".join(f"({w})" for w in where)
    groups = len(parts) + len(spec.by)
    if groups:
        sql += " GROUP BY " + ", ".join(str(i + 1) for i in range(groups))
    if parts:
        outer = [f"{period_label(parts, spec.period)} AS period", *(quote_ident(b) for b in spec.by), *values, "n"]
        order = parts + [quote_ident(b) for b in spec.by]
        sql = f"SELECT {', '.join(outer)} FROM ({sql}) ORDER BY " + ", ".join(f"{o} NULLS LAST" for o in order)
    elif groups:
        sql += " ORDER BY " + ", ".join(f"{i + 1} NULLS LAST" for i in range(groups))
    return sql, keys


def _clean(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _status(compiled: CompiledIndicator, value: Any, suppressed: bool) -> str | None:
    target = compiled.spec.parsed_target
    if target is None or suppressed or value is None:
        return None
    return "met" if target.met(value) else "not_met"


def evaluate(project: Project, con, ids: list[str], suppress_below: int, date_from: dt.date | None = None, date_to: dt.date | None = None,
             progress=None) -> Result:
    """Evaluate the given indicators (and what they refer to) on the tables in `con`.

    Key figures read from tables that differ only in their measure (same dataset, joins, filter,
    breakdown, period) share one query. The queries run at the same time, each on a connection
    of its own (DuckDB runs each query on all cores, but a small one leaves cores idle); derived
    key figures follow, in dependency order."""
    from concurrent.futures import ThreadPoolExecutor

    order = project.evaluation_order(ids)
    shapes: dict[str, list[CompiledIndicator]] = {}
    for iid in order:
        compiled = project.compiled[iid]
        if not compiled.spec.derived:  # the query with a stand-in for the measure
            shapes.setdefault(_query(compiled, date_from, date_to, ["\0"])[0], []).append(compiled)

    def run(group: list[CompiledIndicator]) -> list[IndicatorResult]:
        cursor = con.cursor()
        try:
            return _tables(group, cursor, suppress_below, date_from, date_to)
        finally:
            cursor.close()

    done: dict[str, IndicatorResult] = {}
    groups = list(shapes.values())
    with ThreadPoolExecutor(max_workers=max(1, min(PARALLEL_QUERIES, len(groups)))) as pool:
        for group, results in zip(groups, pool.map(run, groups)):
            for compiled, result in zip(group, results):
                result.columns = breakdown_columns(project, compiled)
                done[compiled.id] = result
                if progress is not None:
                    progress(compiled.id)
    for iid in order:
        if iid not in done:
            done[iid] = derive(project, project.compiled[iid], done, suppress_below)
            if progress is not None:
                progress(iid)
    return Result([done[i] for i in ids if i in done], suppress_below)


def breakdown_columns(project: Project, compiled: CompiledIndicator) -> dict[str, ColumnSpec]:
    """The Dataset spec's column of each of a key figure's breakdowns, by the name in `by:`."""
    return {name: project.datasets[ref.dataset].columns[ref.column] for name, ref in zip(compiled.spec.by, compiled.by)
            if ref.dataset in project.datasets and ref.column in project.datasets[ref.dataset].columns}


#: Key figure queries run at the same time.
PARALLEL_QUERIES = 3


def _tables(group: list[CompiledIndicator], con, k: int, date_from, date_to) -> list[IndicatorResult]:
    """Key figures that differ only in their measure, in one query; one by one if it fails, so
    that an error names its key figure."""
    if len(group) == 1:
        return [_table(group[0], con, k, date_from, date_to)]
    import duckdb

    sql, keys = _query(group[0], date_from, date_to, [to_sql(c.measure, column_sql) for c in group])
    try:
        rows = con.execute(sql).fetchall()
    except duckdb.Error:
        return [_table(c, con, k, date_from, date_to) for c in group]
    width = len(keys)
    return [_result(c, [(*row[:width], row[width + i], row[-1]) for row in rows], keys, indicator_sql(c, date_from, date_to)[0], k)
            for i, c in enumerate(group)]


def _table(compiled: CompiledIndicator, con, k: int, date_from, date_to) -> IndicatorResult:
    sql, keys = indicator_sql(compiled, date_from, date_to)
    try:
        rows = con.execute(sql).fetchall()
    except Exception as error:
        import duckdb

        if isinstance(error, duckdb.OutOfRangeException):
            raise HfspecError([Diagnostic("HF611", Message("engine.overflow", id=compiled.id), compiled.spec.locs["measure"].span,
                                          hint=Message("engine.overflow_hint"),
                                          notes=(Message("engine.duckdb_says", detail=str(error).splitlines()[0]),))]) from None
        raise
    return _result(compiled, rows, keys, sql, k)


def _result(compiled: CompiledIndicator, rows: list[tuple], keys: list[str], sql: str, k: int) -> IndicatorResult:
    """Rows `(keys..., value, n)` of a key figure's query as its result, with disclosure control."""
    is_count = is_count_measure(compiled)
    out = []
    for row in rows:
        key = dict(zip(keys, row[:len(keys)]))
        value, n = _clean(row[len(keys)]), row[len(keys) + 1]
        if isinstance(value, int) and not isinstance(value, bool):
            value = int(value)
        hidden = compiled.personal and suppress(n, value, is_count, k)
        period = key.pop("period", None)
        by = {name: _clean(v) for name, v in key.items()}
        out.append(ResultRow(compiled.id, period, by, value, n, hidden, _status(compiled, value, hidden)))
    return IndicatorResult(compiled.spec, out, sql, tuple(compiled.spec.by), compiled.spec.period, is_count)


def derive(project: Project, compiled: CompiledIndicator, done: dict[str, IndicatorResult], k: int) -> IndicatorResult:
    refs = list(compiled.measure.refs)
    sources = [done[r] for r in refs]
    key_names: list[str] = []
    period = None
    for src in sources:
        if src.period:
            period = period or src.period
        for b in src.by:
            if b not in key_names:
                key_names.append(b)
    widest = [s for s in sources if set(s.by) == set(key_names) and (s.period == period)]
    if not widest:
        raise HfspecError([Diagnostic("HF610", Message("engine.breakdowns_do_not_nest", id=compiled.id, sources=[f"{s.spec.id} ({', '.join(s.by) or '–'})" for s in sources]),
                                      compiled.spec.locs["measure"].span, hint=Message("engine.breakdowns_do_not_nest_hint"))])
    keys: dict[tuple, tuple[str | None, dict]] = {}
    for src in widest:
        for r in src.rows:
            keys.setdefault(r.key(), (r.period, r.by))
    index = {s.spec.id: {r.key(): r for r in s.rows} for s in sources}
    out = []
    for key, (row_period, by) in keys.items():
        values: dict[str, Any] = {}
        hidden = False
        n_values = []
        for src in sources:
            sub_by = {b: by.get(b) for b in src.by}
            sub_key = (row_period if src.period else None, tuple(sorted(sub_by.items())))
            r = index[src.spec.id].get(sub_key)
            values[src.spec.id] = r.value if r is not None else None
            hidden = hidden or (r is not None and r.suppressed)
            if r is not None and r.n is not None:
                n_values.append(r.n)
        value = _clean(eval_refs(compiled.measure, values))
        n = min(n_values) if n_values else None
        hidden = hidden or suppress(n, value, False, k)
        out.append(ResultRow(compiled.id, row_period, dict(by), value, n, hidden, _status(compiled, value, hidden)))
    columns = {name: column for src in sources for name, column in src.columns.items()}
    return IndicatorResult(compiled.spec, out, None, tuple(key_names), period, False, columns)
