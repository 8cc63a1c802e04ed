"""CheckedExpr + rows → values. The reference semantics of the language, in pure Python.

No `eval`, no attribute access: every construct is one case of a `match`. Rows are mappings from
`ColumnRef.key` ("status.who5") to Python values (int, float, str, bool, datetime.date, None).
The SQL backend must agree with this module on every input (tests/test_differential.py).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any, Iterable, Mapping, Sequence, assert_never

from hfspec.lang import ast as A
from hfspec.lang import nulls as N
from hfspec.lang.check import CheckedExpr

Row = Mapping[str, Any]

_BINARY = {
    A.BinOp.ADD: N.ADD, A.BinOp.SUB: N.SUB, A.BinOp.MUL: N.MUL, A.BinOp.DIV: N.div, A.BinOp.POW: N.power,
    A.BinOp.EQ: N.EQ, A.BinOp.NE: N.NE, A.BinOp.LT: N.LT, A.BinOp.LE: N.LE, A.BinOp.GT: N.GT, A.BinOp.GE: N.GE,
}


#: The key under which a row carries the days of its interval in its period (`days_in_period()`).
PERIOD_DAYS_KEY = "$days"
#: The prefix of the keys under which a row carries its `let` values.
LET_PREFIX = "let:"

Env = tuple  # the rows in scope: the key figure's row, then the row of each enclosing `from`


class _Evaluator:
    """Evaluates one checked expression. `tables` holds the rows of every dataset a `from` may
    read ({dataset: [{column: value}]}); rows are found through an index built on first use."""

    def __init__(self, checked: CheckedExpr, refs: Mapping[str, Any] | None = None, tables: Mapping[str, Sequence[Row]] | None = None):
        self.c = checked
        self.refs = refs or {}
        self.tables = tables or {}
        self._index: dict[tuple[str, str], dict[Any, list[Row]]] = {}

    def value(self, node: A.Expr, env: Env | None, rows: Sequence[Row] | None) -> Any:
        """The value of `node` in the rows `env` (row level) or over the group `rows` (measure level)."""
        match node:
            case A.Number():
                return node.value
            case A.String(value=value):
                return value
            case A.Bool(value=value):
                return value
            case A.Null():
                return None
            case A.List(items=items):
                return [self.value(i, env, rows) for i in items]
            case A.Name() | A.Member():
                key = id(node)
                if key in self.c.params:
                    return self.c.params[key][1]
                assert env is not None, "a column outside a row (the checker forbids this)"
                if key in self.c.lets:
                    return env[0].get(LET_PREFIX + self.c.lets[key])
                ref = self.c.columns[key]
                depth = self.c.depths.get(key, 0)
                return env[depth].get(ref.key if depth == 0 else ref.column)
            case A.Index():
                raise AssertionError("indexing is evaluated by the model evaluator")
            case A.Unary(op=op, operand=operand):
                v = self.value(operand, env, rows)
                if op is A.UnOp.NEG:
                    return N.NEG(v)
                if op is A.UnOp.NOT:
                    return N.not3(v)
                assert_never(op)
            case A.Binary(op=A.BinOp.AND, left=left, right=right):
                return N.and3(self.value(left, env, rows), self.value(right, env, rows))
            case A.Binary(op=A.BinOp.OR, left=left, right=right):
                return N.or3(self.value(left, env, rows), self.value(right, env, rows))
            case A.Binary(op=op, left=left, right=right):
                return _BINARY[op](self.value(left, env, rows), self.value(right, env, rows))
            case A.In(operand=operand, items=items, negated=negated):
                result = N.in_list(self.value(operand, env, rows), self.value(items, env, rows))
                return N.not3(result) if negated else result
            case A.IsNull(operand=operand, negated=negated):
                is_null = self.value(operand, env, rows) is None
                return not is_null if negated else is_null
            case A.Between(operand=operand, low=low, high=high):
                x = self.value(operand, env, rows)
                return N.and3(N.LE(self.value(low, env, rows), x), N.LE(x, self.value(high, env, rows)))
            case A.If(cond=cond, then=then, otherwise=otherwise):
                branch = then if self.value(cond, env, rows) is True else otherwise
                return self.value(branch, env, rows)
            case A.Call(func="ref"):
                return self.refs.get(node.args[0].value)
            case A.Call(func="days_in_period"):
                assert env is not None
                return env[0].get(PERIOD_DAYS_KEY)
            case A.Call():
                fn = self.c.functions[id(node)]
                if fn.kind == "aggregate":
                    return self.aggregate(node, fn, env, rows)
                args = [self.value(a, env, rows) for a in node.args]
                if fn.propagates_null and any(a is None for a in args):
                    return None
                result = fn.python(*args)
                return None if isinstance(result, float) and not math.isfinite(result) else result
            case _:
                assert_never(node)

    # -- aggregates -----------------------------------------------------------------------
    def aggregate(self, node: A.Call, fn, env: Env | None, rows: Sequence[Row] | None) -> Any:
        """An aggregate over the rows of a `from` (a row value), over units (`per`), or over the group."""
        relation = self.c.relations.get(id(node))
        if relation is not None:
            assert env is not None, "`from` outside a row (the checker forbids this)"
            outer = env[relation.depth - 1]
            key = outer.get(relation.outer.key if relation.depth == 1 else relation.outer.column)
            items = [env + (r,) for r in self.related(relation.dataset, relation.column, key)]
            return self.reduce(node, fn, items, lambda expr, item: self.value(expr, item, None))
        assert rows is not None, "aggregate outside a group (the checker forbids this)"
        if node.per is not None:
            units: dict[Any, list[Row]] = {}
            for r in rows:
                unit = self.value(node.per, (r,), None)
                if unit is not None:
                    units.setdefault(unit, []).append(r)
            return self.reduce(node, fn, list(units.values()), lambda expr, unit_rows: self.value(expr, None, unit_rows))
        return self.reduce(node, fn, [(r,) for r in rows], lambda expr, item: self.value(expr, item, None))

    def related(self, dataset: str, column: str, key: Any) -> list[Row]:
        """The rows of `dataset` whose `column` equals `key` (none for a null key)."""
        if key is None:
            return []
        index = self._index.get((dataset, column))
        if index is None:
            index = self._index[(dataset, column)] = {}
            for r in self.tables.get(dataset, ()):
                if r.get(column) is not None:
                    index.setdefault(r.get(column), []).append(r)
        return index.get(key, [])

    def reduce(self, node: A.Call, fn, items: list, ev) -> Any:
        """Aggregate `items` (rows, or units of rows) with `ev(expr, item)` giving a value per item."""
        kept = [i for i in items if node.where is None or ev(node.where, i) is True]
        if fn.name == "share":
            known = [v for v in (ev(node.args[0], i) for i in kept) if v is not None]
            return sum(v is True for v in known) / len(known) if known else None
        if fn.name == "count" and not node.args:
            return len(kept)
        if fn.name in ("first", "last"):
            return _first_last(fn.name == "first", [(ev(node.order, i), ev(node.args[0], i)) for i in kept])
        values = [v for v in (ev(node.args[0], i) for i in kept) if v is not None]
        if fn.name == "count":
            return len(set(values)) if node.distinct else len(values)
        if not values:
            return None
        return fn.python(values)


def _first_last(first: bool, pairs: list[tuple[Any, Any]]) -> Any:
    """The value with the smallest (first) or largest (last) order; among equal orders the
    smallest (first) or largest (last) value, a null only when every value is null.

    >>> _first_last(True, [(2, "b"), (1, None), (1, "c"), (None, "a")]), _first_last(False, [(2, "b"), (2, "c"), (1, "z")])
    ('c', 'c')
    """
    found = False
    best_order: Any = None
    best: Any = None
    for order, value in pairs:
        if order is None:
            continue
        if not found or (order < best_order if first else order > best_order):
            found, best_order, best = True, order, value
        elif order == best_order and value is not None and (best is None or (value < best if first else value > best)):
            best = value
    return best


def eval_row(checked: CheckedExpr, row: Row, tables: Mapping[str, Sequence[Row]] | None = None) -> Any:
    """The value of a row-level expression (a filter, a `where`) for one row; `tables` are the
    rows that `from` reads."""
    return _Evaluator(checked, tables=tables).value(checked.expr, (row,), None)


def eval_group(checked: CheckedExpr, rows: Sequence[Row], tables: Mapping[str, Sequence[Row]] | None = None) -> Any:
    """The value of a measure over one group of rows."""
    return _Evaluator(checked, tables=tables).value(checked.expr, None, rows)


def eval_refs(checked: CheckedExpr, values: Mapping[str, Any]) -> Any:
    """The value of a derived measure given the values of the key figures it refers to."""
    return _Evaluator(checked, values).value(checked.expr, None, None)


def filter_rows(checked: CheckedExpr | None, rows: Iterable[Row], tables: Mapping[str, Sequence[Row]] | None = None) -> list[Row]:
    """Rows where the condition is true (null and false rows are left out, as in SQL WHERE)."""
    if checked is None:
        return list(rows)
    ev = _Evaluator(checked, tables=tables)
    return [r for r in rows if ev.value(checked.expr, (r,), None) is True]


def row_evaluator(checked: CheckedExpr, tables: Mapping[str, Sequence[Row]] | None = None):
    """A function row → value for a row-level expression, sharing one index of `from` rows."""
    ev = _Evaluator(checked, tables=tables)
    return lambda row: ev.value(checked.expr, (row,), None)


def period_key(value: dt.date | None, kind: str) -> str | None:
    """The label of the period a date falls in: `2021`, `2021-H1`, `2021-Q3`, `2021-07`.

    >>> period_key(dt.date(2021, 8, 3), "quarter"), period_key(dt.date(2021, 8, 3), "half")
    ('2021-Q3', '2021-H2')
    """
    if value is None:
        return None
    if kind == "year":
        return f"{value.year}"
    if kind == "half":
        return f"{value.year}-H{1 if value.month <= 6 else 2}"
    if kind == "quarter":
        return f"{value.year}-Q{(value.month - 1) // 3 + 1}"
    if kind == "month":
        return f"{value.year}-{value.month:02d}"
    raise ValueError(f"unknown period {kind}")
