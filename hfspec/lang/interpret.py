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


class _Evaluator:
    def __init__(self, checked: CheckedExpr, refs: Mapping[str, Any] | None = None):
        self.c = checked
        self.refs = refs or {}

    def value(self, node: A.Expr, row: Row | None, rows: Sequence[Row] | None) -> Any:
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
                return [self.value(i, row, rows) for i in items]
            case A.Name() | A.Member():
                if id(node) in self.c.params:
                    return self.c.params[id(node)][1]
                ref = self.c.columns[id(node)]
                assert row is not None, "column outside a row (the checker forbids this)"
                return row.get(ref.key)
            case A.Index():
                raise AssertionError("indexing is evaluated by the model evaluator")
            case A.Unary(op=op, operand=operand):
                v = self.value(operand, row, rows)
                if op is A.UnOp.NEG:
                    return N.NEG(v)
                if op is A.UnOp.NOT:
                    return N.not3(v)
                assert_never(op)
            case A.Binary(op=A.BinOp.AND, left=left, right=right):
                return N.and3(self.value(left, row, rows), self.value(right, row, rows))
            case A.Binary(op=A.BinOp.OR, left=left, right=right):
                return N.or3(self.value(left, row, rows), self.value(right, row, rows))
            case A.Binary(op=op, left=left, right=right):
                return _BINARY[op](self.value(left, row, rows), self.value(right, row, rows))
            case A.In(operand=operand, items=items, negated=negated):
                result = N.in_list(self.value(operand, row, rows), self.value(items, row, rows))
                return N.not3(result) if negated else result
            case A.IsNull(operand=operand, negated=negated):
                is_null = self.value(operand, row, rows) is None
                return not is_null if negated else is_null
            case A.Between(operand=operand, low=low, high=high):
                x = self.value(operand, row, rows)
                return N.and3(N.LE(self.value(low, row, rows), x), N.LE(x, self.value(high, row, rows)))
            case A.If(cond=cond, then=then, otherwise=otherwise):
                branch = then if self.value(cond, row, rows) is True else otherwise
                return self.value(branch, row, rows)
            case A.Call(func="ref"):
                return self.refs.get(node.args[0].value)
            case A.Call():
                fn = self.c.functions[id(node)]
                if fn.kind == "aggregate":
                    assert rows is not None, "aggregate outside a group (the checker forbids this)"
                    return self.aggregate(node, fn, rows)
                args = [self.value(a, row, rows) for a in node.args]
                if fn.propagates_null and any(a is None for a in args):
                    return None
                result = fn.python(*args)
                return None if isinstance(result, float) and not math.isfinite(result) else result
            case _:
                assert_never(node)

    def aggregate(self, node: A.Call, fn, rows: Sequence[Row]) -> Any:
        kept = [r for r in rows if node.where is None or self.value(node.where, r, None) is True]
        if fn.name == "share":
            values = [self.value(node.args[0], r, None) for r in kept]
            known = [v for v in values if v is not None]
            return sum(v is True for v in known) / len(known) if known else None
        if fn.name == "count" and not node.args:
            return len(kept)
        values = [v for v in (self.value(node.args[0], r, None) for r in kept) if v is not None]
        if fn.name == "count":
            return len(set(values)) if node.distinct else len(values)
        if not values:
            return None
        return fn.python(values)


def eval_row(checked: CheckedExpr, row: Row) -> Any:
    """The value of a row-level expression (a filter, a `where`) for one row."""
    return _Evaluator(checked).value(checked.expr, row, None)


def eval_group(checked: CheckedExpr, rows: Sequence[Row]) -> Any:
    """The value of a measure over one group of rows."""
    return _Evaluator(checked).value(checked.expr, None, rows)


def eval_refs(checked: CheckedExpr, values: Mapping[str, Any]) -> Any:
    """The value of a derived measure given the values of the key figures it refers to."""
    return _Evaluator(checked, values).value(checked.expr, None, None)


def filter_rows(checked: CheckedExpr | None, rows: Iterable[Row]) -> list[Row]:
    """Rows where the condition is true (null and false rows are left out, as in SQL WHERE)."""
    if checked is None:
        return list(rows)
    ev = _Evaluator(checked)
    return [r for r in rows if ev.value(checked.expr, r, None) is True]


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
