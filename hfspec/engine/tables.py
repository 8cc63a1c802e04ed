"""Compiled indicators + validated tables → `Result` (each indicator as one DuckDB query).

Each indicator becomes `SELECT period, by…, measure, n FROM base LEFT JOIN referenced… WHERE
filter GROUP BY ALL`; a staged one (`let`, computed breakdowns, its own `time`, `per`, `from`)
one query in steps, built by staged.py. Derived indicators (`ref()`) are computed from the
results of the ones they refer to, matched on equal keys; a referenced value without some of the
derived key's columns applies to every group (a total used as a denominator).

With totals, the same query groups by `GROUPING SETS`: the groups, the total over every breakdown
(per period), and the total the key figure's `headline:` needs (its named group over the other
breakdowns, or the total over every period). The totals are thus computed from the rows, in the
same scan: a share over all rows, a mean over all rows, a distinct count that counts each unit
once. A derived key figure's total is computed from its sources' totals (the ratio of the totals).
`GROUPING(...)` tells which breakdowns a row adds up (`ResultRow.total_over`). A staged key
figure computes each of its groupings with a query of its own (the same steps, grouped by fewer
breakdowns): a `per` aggregate's units are then the units of the whole total, not summed groups.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from dataclasses import dataclass, replace

from hfspec.diagnostics import Diagnostic, HfspecError, Message
from hfspec.engine import staged
from hfspec.engine.disclosure import suppress
from hfspec.engine.results import PERIOD, IndicatorResult, Result, ResultRow, changes
from hfspec.lang import ast as A
from hfspec.lang.interpret import eval_refs
from hfspec.engine.sqlparts import column_sql, from_clause, period_label, period_parts, period_sql
from hfspec.lang.scope import ColumnRef
from hfspec.lang.sql import literal, quote_ident, to_sql
from hfspec.spec.model import ColumnSpec, Headline
from hfspec.spec.project import CompiledIndicator, Project, breakdown_names

__all__ = ["Grouping", "column_sql", "derive", "evaluate", "from_clause", "groupings", "indicator_sql", "is_count_measure", "is_share_measure", "needed_groupings",
           "period_label", "period_parts", "period_sql"]


def is_count_measure(compiled: CompiledIndicator) -> bool:
    """Whether the measure is a bare count (its small values are themselves disclosive)."""
    expr = compiled.measure.expr
    return isinstance(expr, A.Call) and expr.func == "count"


def is_share_measure(compiled: CompiledIndicator) -> bool:
    """Whether the measure is a bare share (its value × n counts people)."""
    expr = compiled.measure.expr
    return isinstance(expr, A.Call) and expr.func == "share"


@dataclass(frozen=True, order=True)
class Grouping:
    """One grouping of a key figure's rows: the breakdowns it keeps (in `by` order) and whether it
    keeps the period. The groups keep everything; a total keeps less."""

    by: tuple[str, ...]
    period: bool = True


def groupings(by: list[str] | tuple[str, ...], period: str | None, headline: Headline) -> set[Grouping]:
    """The groupings a key figure's totals need: its groups, the total over every breakdown (per
    period), and its headline's (`headline:`'s group over the other breakdowns, per period or over
    every period).

    >>> sorted(groupings(["kommune", "maalepunkt"], None, Headline(False, (("maalepunkt", "efter"),))))
    [Grouping(by=(), period=True), Grouping(by=('kommune', 'maalepunkt'), period=True), Grouping(by=('maalepunkt',), period=True)]
    """
    named = {k for k, _ in headline.group}
    kept = tuple(b for b in by if b in named or b.rpartition(".")[2] in named)
    out = {Grouping(tuple(by)), Grouping(()), Grouping(kept)}
    if period is not None and not headline.latest:
        out.add(Grouping(kept, False))
    return out


def indicator_sql(compiled: CompiledIndicator, date_from: dt.date | None = None, date_to: dt.date | None = None,
                  sets: set[Grouping] | None = None) -> tuple[str, list[str]]:
    """The SQL of a (non-derived) indicator, and the names of its key columns in order (with
    `sets`, the groupings to compute; the query then also returns `__g`, see `_query`; a staged
    key figure with totals runs one query per grouping, and this gives the first)."""
    if compiled.staged:
        return _staged_queries(compiled, date_from, date_to, [compiled.measure], sets)[0][:2]
    return _query(compiled, date_from, date_to, [to_sql(compiled.measure, column_sql)], sets)


def _shape(compiled: CompiledIndicator, date_from: dt.date | None, date_to: dt.date | None, sets: set[Grouping] | None) -> str:
    """What key figures that can share one query have in common: the query with a stand-in for
    the measure (for a staged one: its steps without a measure, and its groupings)."""
    if compiled.staged:
        return "staged:" + repr(sorted(sets or ())) + staged.query(compiled, date_from, date_to, [])[0]
    return _query(compiled, date_from, date_to, ["\0"], sets)[0]


def _staged_queries(compiled: CompiledIndicator, date_from: dt.date | None, date_to: dt.date | None, measures: list,
                    sets: set[Grouping] | None) -> list[tuple[str, list[str], Grouping | None]]:
    """A staged key figure's queries: one, or with totals one per grouping (the groups first),
    each with its key columns and the grouping it computes."""
    if _plain(compiled, sets):
        sql, keys = staged.query(compiled, date_from, date_to, measures)
        return [(sql, keys, None)]
    out = []
    for g in sorted(sets or (), key=lambda g: (-len(g.by), not g.period, g.by)):
        if len(compiled.time_exprs) == 2 and not g.period:
            continue  # an interval's rows are split by period: over every period they would count twice
        sql, keys = staged.query(compiled, date_from, date_to, measures, keep=g.by, keep_period=g.period)
        out.append((sql, keys, g))
    return out


def _staged_rows(compiled: CompiledIndicator, con, date_from, date_to, measures: list, sets: set[Grouping] | None) -> tuple[list[tuple], list[str], str]:
    """The rows of a staged key figure's queries as one query with GROUPING SETS would give them:
    `(keys..., values..., n[, __g])` with a null in every breakdown a row adds up, in the same order."""
    queries = _staged_queries(compiled, date_from, date_to, measures, sets)
    if queries[0][2] is None:
        sql, keys, _ = queries[0]
        return con.execute(sql).fetchall(), keys, sql
    spec = compiled.spec
    keys = (["period"] if spec.period else []) + list(spec.by)
    parts = len(period_parts("d", spec.period)) if spec.period else 0
    rows = []
    for sql, got, g in queries:
        bits = ([0 if g.period else 1] * parts) + [0 if b in g.by else 1 for b in spec.by]
        flags = int("".join(map(str, bits)), 2) if bits else 0
        for row in con.execute(sql).fetchall():
            named = dict(zip(got, row[:len(got)]))
            rows.append((*(named.get(k) for k in keys), *row[len(got):], flags))
    def order(row: tuple) -> tuple:
        head = [(row[0] is None, row[0] or "")] if spec.period else []
        rest = [(v is None, str(v) if v is not None else "") for v in row[len(head):len(keys)]]
        return (*head, row[-1], *rest)
    rows.sort(key=order)
    return rows, keys, ";\n".join(sql for sql, _, _ in queries)


def _plain(compiled: CompiledIndicator, sets: set[Grouping] | None) -> bool:
    """Whether `sets` asks for nothing but the groups (the query without GROUPING SETS)."""
    return not sets or sets == {Grouping(tuple(compiled.spec.by))} or (not compiled.spec.by and all(g.period for g in sets))


def _query(compiled: CompiledIndicator, date_from: dt.date | None, date_to: dt.date | None, measures: list[str],
           sets: set[Grouping] | None = None) -> tuple[str, list[str]]:
    """`indicator_sql` with one or more measures (`value`, `value_1`, ...) computed over the same
    rows and groups; the key figures that share everything but the measure share one query.

    With `sets` (totals), `GROUP BY GROUPING SETS` over the group expressions, and a last column
    `__g` = `grouping(<period parts>, <by columns>)`: a bit per expression, the first the most
    significant, set where the row adds that expression up."""
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
    grouped = not _plain(compiled, sets)
    period_exprs = period_parts(column_sql(compiled.time), spec.period) if parts else []
    by_exprs = dict(zip(spec.by, (column_sql(ref) for ref in compiled.by)))
    if grouped:
        selects.append(f"grouping({', '.join([*period_exprs, *by_exprs.values()])}) AS __g")
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
    if grouped:
        chosen = sorted(sets or (), key=lambda g: (-len(g.by), not g.period, g.by))
        clauses = [", ".join((period_exprs if g.period else []) + [by_exprs[b] for b in g.by]) for g in chosen]
        sql += " GROUP BY GROUPING SETS (" + ", ".join(f"({c})" for c in clauses) + ")"
    elif groups:
        sql += " GROUP BY " + ", ".join(str(i + 1) for i in range(groups))
    if parts:
        outer = [f"{period_label(parts, spec.period)} AS period", *(quote_ident(b) for b in spec.by), *values, "n"] + (["__g"] if grouped else [])
        order = parts + (["__g"] if grouped else []) + [quote_ident(b) for b in spec.by]
        sql = f"SELECT {', '.join(outer)} FROM ({sql}) ORDER BY " + ", ".join(f"{o} NULLS LAST" for o in order)
    elif groups:
        order = (["__g"] if grouped else []) + [f"{i + 1} NULLS LAST" for i in range(groups)]
        sql += " ORDER BY " + ", ".join(order)
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
             progress=None, totals: bool = False, unit: str | None = None) -> Result:
    """Evaluate the given indicators (and what they refer to) on the tables in `con`.

    Key figures read from tables that differ only in their measure (same dataset, joins, filter,
    breakdown, period) share one query. The queries run at the same time, each on a connection
    of its own (DuckDB runs each query on all cores, but a small one leaves cores idle); derived
    key figures follow, in dependency order.

    `totals` adds the total rows (see the module docstring) and each key figure's changes since
    the previous period. `unit` (a column such as `kommune`) evaluates a comparison instead: each
    key figure's headline cell per value of that column, and over all of them (see
    `engine.compare`); a key figure that cannot reach the column is left out of the result."""
    from concurrent.futures import ThreadPoolExecutor

    order = project.evaluation_order(ids)
    compiled_of = {iid: project.compiled[iid] for iid in order}
    if unit is not None:
        compiled_of = _with_unit(compiled_of, unit)
        order = [i for i in order if i in compiled_of]
    sets = needed_groupings(project, order, compiled_of, unit) if totals or unit is not None else {}
    shapes: dict[str, list[CompiledIndicator]] = {}
    for iid in order:
        compiled = compiled_of[iid]
        if not compiled.spec.derived:
            shapes.setdefault(_shape(compiled, date_from, date_to, sets.get(iid)), []).append(compiled)

    def run(group: list[CompiledIndicator]) -> list[IndicatorResult]:
        cursor = con.cursor()
        try:
            return _tables(group, cursor, suppress_below, date_from, date_to, sets.get(group[0].id))
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
            done[iid] = derive(project, compiled_of[iid], done, suppress_below)
            if progress is not None:
                progress(iid)
    if totals:
        for result in done.values():
            result.changes = changes(result)
    return Result([done[i] for i in ids if i in done], suppress_below, totals=totals)


def breakdown_columns(project: Project, compiled: CompiledIndicator) -> dict[str, ColumnSpec]:
    """The Dataset spec's column of each of a key figure's breakdowns, by the name in `by:`."""
    plain = [b for b in compiled.spec.by if b not in compiled.spec.by_exprs and b not in compiled.scope.lets]  # computed ones have no column
    return {name: project.datasets[ref.dataset].columns[ref.column] for name, ref in zip(plain, compiled.by)
            if ref.dataset in project.datasets and ref.column in project.datasets[ref.dataset].columns}


#: Key figure queries run at the same time.
PARALLEL_QUERIES = 3


def needed_groupings(project: Project, order: list[str], compiled_of: dict[str, CompiledIndicator],
                     unit: str | None = None) -> dict[str, set[Grouping]]:
    """The groupings each key figure in `order` needs: its own (`groupings`, or with `unit` those of
    a comparison: its headline per unit and over all units), and those the derived key figures that
    use it need from it (the same groupings, restricted to its breakdowns)."""
    names: dict[str, tuple[list[str], str | None]] = {}
    for iid in order:
        compiled = compiled_of[iid]
        if not compiled.spec.derived:
            names[iid] = (list(compiled.spec.by), compiled.spec.period)
            continue
        by: list[str] = []
        period = None
        for ref in compiled.measure.refs:
            sub_by, sub_period = names[ref]
            period = period or sub_period
            by += [b for b in sub_by if b not in by]
        names[iid] = (by, period)
    need: dict[str, set[Grouping]] = {}
    for iid in reversed(order):  # a derived key figure before the key figures it combines
        by, period = names[iid]
        head = Headline.of(compiled_of[iid].spec.headline, period)
        own = groupings(by, period, head) if unit is None else _unit_groupings(by, period, head, unit)
        mine = need.setdefault(iid, set()) | own
        need[iid] = mine
        compiled = compiled_of[iid]
        if compiled.spec.derived:
            for ref in compiled.measure.refs:
                sub_by, sub_period = names[ref]
                need.setdefault(ref, set()).update(Grouping(tuple(b for b in sub_by if b in g.by), g.period or sub_period is None) for g in mine)
    return need


def _unit_groupings(by: list[str], period: str | None, headline: Headline, unit: str) -> set[Grouping]:
    """A comparison's groupings: the headline's group per unit, and over every unit (and the groups,
    which SQL needs: every breakdown must be grouped by in some grouping)."""
    named = {k for k, _ in headline.group}
    kept = tuple(b for b in by if b in named or b.rpartition(".")[2] in named)
    keep_period = period is None or headline.latest
    return {Grouping(tuple(by)), Grouping(tuple(b for b in by if b == unit or b in kept), keep_period), Grouping(kept, keep_period)}


def _with_unit(compiled_of: dict[str, CompiledIndicator], unit: str) -> dict[str, CompiledIndicator]:
    """The key figures broken down by `unit` too (first), named `unit` in their results; those that
    cannot reach the column, and the derived key figures that use them, are left out."""
    out: dict[str, CompiledIndicator] = {}
    for iid, compiled in compiled_of.items():
        spec = compiled.spec
        if spec.derived:
            if all(r in out for r in compiled.measure.refs):
                out[iid] = compiled
            continue
        dataset, _, column = unit.rpartition(".")
        found = [compiled.scope.resolve_qualified(dataset, column)] if dataset else compiled.scope.resolve(column)
        found = [f for f in found if f is not None]
        if len(found) != 1:
            continue
        ref = found[0]
        if ref in compiled.by:
            names = [unit if r == ref else b for b, r in zip(spec.by, compiled.by)] if not compiled.staged else \
                [unit if checked.used_columns() == [ref] and b == ref.column else b for b, checked in compiled.keys]
            keys = [(name, checked) for name, (_, checked) in zip(names, compiled.keys)]
            out[iid] = replace(compiled, spec=replace(spec, by=tuple(names)), keys=keys)
        else:
            keys = compiled.keys
            if compiled.staged:
                from hfspec.lang.check import Context, check
                from hfspec.lang.parser import parse

                checked, problems = check(parse(ref.key), compiled.scope, Context.ROW, "by")
                if checked is None or problems:
                    continue
                keys = [(unit, checked), *compiled.keys]
            out[iid] = replace(compiled, spec=replace(spec, by=(unit, *spec.by)), by=[ref, *compiled.by], keys=keys)
    return out


def _tables(group: list[CompiledIndicator], con, k: int, date_from, date_to, sets: set[Grouping] | None = None) -> list[IndicatorResult]:
    """Key figures that differ only in their measure, in one query; one by one if it fails, so
    that an error names its key figure."""
    if len(group) == 1:
        return [_table(group[0], con, k, date_from, date_to, sets)]
    import duckdb

    try:
        if group[0].staged:
            rows, keys, sql = _staged_rows(group[0], con, date_from, date_to, [c.measure for c in group], sets)
        else:
            sql, keys = _query(group[0], date_from, date_to, [to_sql(c.measure, column_sql) for c in group], sets)
            rows = con.execute(sql).fetchall()
    except duckdb.Error:
        return [_table(c, con, k, date_from, date_to, sets) for c in group]
    width = len(keys)
    return [_result(c, [(*row[:width], row[width + i], *row[width + len(group):]) for row in rows], keys,
                    indicator_sql(c, date_from, date_to, sets)[0], k)
            for i, c in enumerate(group)]


def _table(compiled: CompiledIndicator, con, k: int, date_from, date_to, sets: set[Grouping] | None = None) -> IndicatorResult:
    try:
        if compiled.staged:
            rows, keys, sql = _staged_rows(compiled, con, date_from, date_to, [compiled.measure], sets)
        else:
            sql, keys = indicator_sql(compiled, date_from, date_to, sets)
            rows = con.execute(sql).fetchall()
    except Exception as error:
        import duckdb

        if isinstance(error, duckdb.OutOfRangeException):
            raise HfspecError([Diagnostic("HF611", Message("engine.overflow", id=compiled.id), compiled.spec.locs["measure"].span,
                                          hint=Message("engine.overflow_hint"),
                                          notes=(Message("engine.duckdb_says", detail=str(error).splitlines()[0]),))]) from None
        raise
    return _result(compiled, rows, keys, sql, k)


def _total_over(keys: list[str], parts: int, bits: int | None) -> tuple[str, ...]:
    """The names a row adds up, from its `grouping()` bits (one per period part, then per breakdown).

    >>> _total_over(["period", "kommune", "metode"], 2, 0b0001)
    ('metode',)
    >>> _total_over(["period", "kommune"], 2, 0b111)
    ('period', 'kommune')
    """
    if not bits:
        return ()
    names = [PERIOD] * parts + [k for k in keys if k != "period"]
    width = len(names)
    over = [name for i, name in enumerate(names) if bits >> (width - 1 - i) & 1]
    return tuple(dict.fromkeys(over))


def _result(compiled: CompiledIndicator, rows: list[tuple], keys: list[str], sql: str, k: int) -> IndicatorResult:
    """Rows `(keys..., value, n[, __g])` of a key figure's query as its result, with disclosure control."""
    is_count = is_count_measure(compiled)
    is_share = is_share_measure(compiled)
    parts = len(period_parts("d", compiled.spec.period)) if "period" in keys else 0
    out = []
    for row in rows:
        key = dict(zip(keys, row[:len(keys)]))
        value, n = _clean(row[len(keys)]), row[len(keys) + 1]
        over = _total_over(keys, parts, row[len(keys) + 2]) if len(row) > len(keys) + 2 else ()
        if isinstance(value, int) and not isinstance(value, bool):
            value = int(value)
        hidden = compiled.personal and suppress(n, value, is_count, k, is_share)
        period = key.pop("period", None)
        by = {name: _clean(v) for name, v in key.items() if name not in over}
        out.append(ResultRow(compiled.id, period, by, value, n, hidden, _status(compiled, value, hidden), over))
    return IndicatorResult(compiled.spec, out, sql, tuple(compiled.spec.by), compiled.spec.period, is_count, is_share=is_share)


def derive(project: Project, compiled: CompiledIndicator, done: dict[str, IndicatorResult], k: int) -> IndicatorResult:
    """A derived key figure's rows from the rows of the key figures it combines, matched on equal
    keys: its groups from theirs, its totals from their totals (a total keeps only some breakdowns,
    so each source's cell is the one that keeps the same of its own breakdowns)."""
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
    keys: dict[tuple, tuple[str | None, dict, tuple[str, ...]]] = {}
    for src in widest:
        for r in src.rows:
            keys.setdefault(r.key(), (r.period, r.by, r.total_over))
    index = {s.spec.id: {r.key(): r for r in s.rows} for s in sources}
    out = []
    for row_period, by, over in keys.values():
        values: dict[str, Any] = {}
        hidden = False
        n_values = []
        for src in sources:
            sub_over = tuple(sorted(o for o in over if o in src.by or (o == PERIOD and src.period)))
            sub_by = {b: by.get(b) for b in src.by if b not in over}
            sub_key = (row_period if src.period else None, tuple(sorted(sub_by.items(), key=lambda kv: kv[0])), sub_over)
            r = index[src.spec.id].get(sub_key)
            values[src.spec.id] = r.value if r is not None else None
            hidden = hidden or (r is not None and r.suppressed)
            if r is not None and r.n is not None:
                n_values.append(r.n)
        value = _clean(eval_refs(compiled.measure, values))
        n = min(n_values) if n_values else None
        hidden = hidden or suppress(n, value, False, k)
        out.append(ResultRow(compiled.id, row_period, dict(by), value, n, hidden, _status(compiled, value, hidden), over))
    columns = {name: column for src in sources for name, column in src.columns.items()}
    return IndicatorResult(compiled.spec, out, None, tuple(key_names), period, False, columns)
