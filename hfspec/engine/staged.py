"""A staged key figure (CompiledIndicator with `let`, computed breakdowns, its own `time`, `per`
or `from`) → one DuckDB query, built in steps as common table expressions.

Every step reads the one before it under the alias `__r` and adds columns; the key figure's own
columns travel as `"dataset.column"`, `let` values as `"let:name"`:

    __rows    the dataset's rows with the columns used (joined many-to-one to linked datasets)
    __let1..  one step per `let` value, in order (a later one may use an earlier one)
    __from    each `from` aggregate of the filter, breakdowns, time and measure, worked out once
              per row (a correlated subquery that DuckDB turns into a join)
    __kept    the rows that pass the filter (and --from/--to), with the breakdowns and the period
    __spans   with `time: [start, end]`: one row per period the interval overlaps, and its days
    __per1..  each `per` aggregate: grouped by the breakdowns and the unit, then by the breakdowns

and the last SELECT groups by the period and the breakdowns, joined to the `per` results. A
figure is one statement, so DuckDB plans it as a whole and runs it on all cores.
"""

from __future__ import annotations

import datetime as dt
from typing import Sequence

from hfspec.engine.sqlparts import (PERIOD_MONTHS, from_clause, period_index_sql, period_label, period_parts, period_parts_of_index,
                                    period_start_sql)
from hfspec.lang import ast as A
from hfspec.lang.check import CheckedExpr
from hfspec.lang.interpret import LET_PREFIX
from hfspec.lang.scope import ColumnRef
from hfspec.lang.sql import literal, per_select, quote_ident, to_sql
from hfspec.spec.project import CompiledIndicator

ROW = "__r"
DAYS = f"{ROW}.__days"


def row_column(ref: ColumnRef) -> str:
    """A column of the key figure's row inside the steps."""
    return f"{ROW}.{quote_ident(ref.key)}"


def let_column(name: str) -> str:
    return f"{ROW}.{quote_ident(LET_PREFIX + name)}"


def _step(name: str, source: str, columns: list[str], where: list[str] | None = None) -> str:
    sql = f"{name} AS (SELECT {', '.join([ROW + '.*', *columns])} FROM {source} AS {ROW}"
    if where:
        sql += " WHERE " + " AND ".join(f"({w})" for w in where)
    return sql + ")"


def query(compiled: CompiledIndicator, date_from: dt.date | None, date_to: dt.date | None, measures: list[CheckedExpr],
          keep: Sequence[str] | None = None, keep_period: bool = True) -> tuple[str, list[str]]:
    """The SQL of a staged key figure with one or more measures (`value`, `value_1`, ...), and the
    names of its key columns in order (`period` first when it has one).

    `keep` (breakdown names) and `keep_period` group by fewer keys: a total over the others, worked
    out from the rows (the rows and the window are the same; only the last grouping changes)."""
    spec = compiled.spec
    period = spec.period
    interval = len(compiled.time_exprs) == 2
    single_time = compiled.time_exprs[0] if len(compiled.time_exprs) == 1 else None
    expressions = compiled.expressions()[:-1] + measures  # the compiled measure is replaced by `measures`

    # 1. the rows, with every column of the row that an expression reads
    used: dict[str, ColumnRef] = {}
    for checked in expressions:
        for ref in checked.used_columns():
            used.setdefault(ref.key, ref)
    if compiled.counting_unit is not None:
        used.setdefault(compiled.counting_unit.key, compiled.counting_unit)
    dataset_time = compiled.time if period and not compiled.time_exprs else None
    if dataset_time is not None:
        used.setdefault(dataset_time.key, dataset_time)
    columns = [f"{quote_ident(ref.dataset)}.{quote_ident(ref.column)} AS {quote_ident(ref.key)}" for ref in used.values()] or ["1 AS __one"]
    steps = [f"__rows AS (SELECT {', '.join(columns)} {from_clause(compiled, used.values())})"]
    last = "__rows"

    def sql(checked: CheckedExpr, node: A.Expr | None = None, replace: dict[int, str] | None = None) -> str:
        return to_sql(checked, row_column, let_sql=let_column, replace=replace, days_sql=DAYS, node=node)

    # 2. the `let` values, one step each
    for i, (name, checked) in enumerate(compiled.lets):
        steps.append(_step(f"__let{i + 1}", last, [f"{sql(checked)} AS {quote_ident(LET_PREFIX + name)}"]))
        last = f"__let{i + 1}"

    # 3. the `from` aggregates outside `let`, once per row
    replace: dict[int, str] = {}
    hoisted: list[str] = []
    for checked in expressions[len(compiled.lets):]:
        for node in A.walk(checked.expr):
            relation = checked.relations.get(id(node))
            if relation is not None and relation.depth == 1 and id(node) not in replace:
                replace[id(node)] = f"{ROW}.__from{len(hoisted)}"
                hoisted.append(f"{sql(checked, node)} AS __from{len(hoisted)}")
    if hoisted:
        steps.append(_step("__from", last, hoisted))
        last = "__from"

    # 4. the kept rows, with breakdowns and the period
    kept_columns = [f"{sql(checked, replace=replace)} AS __k{i}" for i, (_, checked) in enumerate(compiled.keys)]
    where = [sql(compiled.filter, replace=replace)] if compiled.filter is not None else []
    parts: list[str] = []
    if period and not interval:
        time_sql = sql(single_time, replace=replace) if single_time is not None else row_column(dataset_time)
        parts = [f"__p{i}" for i in range(len(period_parts("d", period)))]
        kept_columns += [f"{expr} AS {name}" for expr, name in zip(period_parts(time_sql, period), parts)]
        if date_from:
            where.append(f"{time_sql} >= {literal(date_from)}")
        if date_to:
            where.append(f"{time_sql} <= {literal(date_to)}")
    if interval:
        kept_columns += [f"{sql(t, replace=replace)} AS __t{i}" for i, t in enumerate(compiled.time_exprs)]
    steps.append(_step("__kept", last, kept_columns, where))
    last = "__kept"

    # 5. an interval: one row per period it overlaps, with its days there
    if interval:
        assert period is not None
        start, end = f"{ROW}.__t0", f"{ROW}.__t1"
        indexes = (f"CASE WHEN {start} IS NULL THEN [CAST(NULL AS BIGINT)] WHEN {end} IS NULL OR {end} <= {start} "
                   f"THEN [{period_index_sql(start, period)}] ELSE generate_series({period_index_sql(start, period)}, "
                   f"{period_index_sql(f'({end} - 1)', period)}) END")
        steps.append(f"__pieces AS (SELECT {ROW}.*, unnest({indexes}) AS __pi FROM {last} AS {ROW})")
        begin = period_start_sql(f"{ROW}.__pi", period)
        finish = f"CAST({begin} + INTERVAL {PERIOD_MONTHS[period]} MONTH AS DATE)"
        parts = [f"__p{i}" for i in range(len(period_parts("d", period)))]
        span_columns = [f"{expr} AS {name}" for expr, name in zip(period_parts_of_index(f"{ROW}.__pi", period), parts)]
        span_columns.append(f"CASE WHEN {start} IS NULL OR {end} IS NULL THEN NULL ELSE "
                            f"greatest(0, date_diff('day', greatest({start}, {begin}), least({end}, {finish}))) END AS __days")
        span_where = ([f"{begin} <= {literal(date_to)}"] if date_to else []) + ([f"{finish} > {literal(date_from)}"] if date_from else [])
        steps.append(_step("__spans", "__pieces", span_columns, span_where))
        last = "__spans"

    # 6. the `per` aggregates
    kept = [i for i, (name, _) in enumerate(compiled.keys) if keep is None or name in keep]
    if not keep_period:
        parts = []  # the window still applies (above); the rows are no longer grouped by period
    group_columns = [f"{ROW}.{p}" for p in parts] + [f"{ROW}.__k{i}" for i in kept]
    joins: list[str] = []
    measure_replace = dict(replace)
    for checked in measures:
        fn_of = checked.functions
        for node in checked.per_calls():
            j = len(joins) + 1
            name = f"__per{j}"
            steps.append(f"{name} AS ({per_select(checked, node, f'{last} AS {ROW}', group_columns, row_column, replace=replace, let_sql=let_column, days_sql=DAYS)})")
            on = " AND ".join(f"{name}.__key{i} IS NOT DISTINCT FROM {g}" for i, g in enumerate(group_columns)) or "TRUE"
            joins.append(f" LEFT JOIN {name} ON {on}")
            value = f"any_value({name}.__value)"
            measure_replace[id(node)] = f"coalesce({value}, 0)" if fn_of[id(node)].name == "count" else value

    # 7. group by the period and the breakdowns
    names = [spec.by[i] for i in kept]
    keys = (["period"] if parts else []) + names
    values = ["value"] + [f"value_{i}" for i in range(1, len(measures))]
    n = f"count(DISTINCT {row_column(compiled.counting_unit)})" if compiled.counting_unit else "count(*)"
    selects = [f"{ROW}.{p} AS {p}" for p in parts] + [f"{ROW}.__k{i} AS {quote_ident(spec.by[i])}" for i in kept]
    selects += [f"{sql(checked, replace=measure_replace)} AS {value}" for checked, value in zip(measures, values)]
    selects.append(f"{n} AS n")
    body = f"SELECT {', '.join(selects)} FROM {last} AS {ROW}{''.join(joins)}"
    if group_columns:
        body += " GROUP BY " + ", ".join(group_columns)
    head = "WITH " + ",\n".join(steps) + "\n"
    if parts:
        outer = [f"{period_label(parts, period)} AS period", *(quote_ident(b) for b in names), *values, "n"]
        order = parts + [quote_ident(b) for b in names]
        return head + f"SELECT {', '.join(outer)} FROM ({body}) ORDER BY " + ", ".join(f"{o} NULLS LAST" for o in order), keys
    if group_columns:
        body += " ORDER BY " + ", ".join(f"{i + 1} NULLS LAST" for i in range(len(group_columns)))
    return head + body, keys
