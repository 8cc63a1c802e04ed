"""CheckedExpr → DuckDB SQL fragment.

Null rules are written once, as the helpers below: division is `a / NULLIF(b, 0)`, a power that
is not finite is NULL, scalar `min`/`max` are NULL when any argument is (DuckDB's LEAST skips
NULLs), and `where` becomes an aggregate `FILTER (WHERE …)`. SQL's own three-valued AND/OR/NOT
and IN already match the language. Literals are typed explicitly (`0.45::DOUBLE`) so that DuckDB
never switches to DECIMAL arithmetic where the interpreter uses floats.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable, assert_never

from hfspec.lang import ast as A
from hfspec.lang.check import CheckedExpr
from hfspec.lang.scope import ColumnRef

ColumnSql = Callable[[ColumnRef], str]
_SQL_TYPES = {"integer": "BIGINT", "number": "DOUBLE", "boolean": "BOOLEAN", "string": "VARCHAR", "enum": "VARCHAR", "date": "DATE"}

_OPS = {A.BinOp.ADD: "+", A.BinOp.SUB: "-", A.BinOp.MUL: "*", A.BinOp.EQ: "=", A.BinOp.NE: "<>",
        A.BinOp.LT: "<", A.BinOp.LE: "<=", A.BinOp.GT: ">", A.BinOp.GE: ">=", A.BinOp.AND: "AND", A.BinOp.OR: "OR"}


def quote_ident(name: str) -> str:
    """A SQL identifier in double quotes.

    >>> quote_ident('døgn"x')
    '"døgn""x"'
    """
    return '"' + name.replace('"', '""') + '"'


def literal(value: Any) -> str:
    """A Python value as a typed DuckDB literal."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return f"{value}::BIGINT"
    if isinstance(value, float):
        return f"{value!r}::DOUBLE"
    if isinstance(value, dt.date):
        return f"DATE '{value.isoformat()}'"
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    raise TypeError(f"no SQL literal for {type(value).__name__}")


def safe_div(a: str, b: str) -> str:
    return f"(CAST({a} AS DOUBLE) / NULLIF({b}, 0))"


def safe_power(a: str, b: str) -> str:
    p = f"power(CAST({a} AS DOUBLE), CAST({b} AS DOUBLE))"
    return f"(CASE WHEN isfinite({p}) THEN {p} END)"


def strict_call(name: str, args: list[str]) -> str:
    """LEAST/GREATEST that give NULL when any argument is NULL, as the language requires."""
    any_null = " OR ".join(f"({a}) IS NULL" for a in args)
    return f"(CASE WHEN {any_null} THEN NULL ELSE {name}({', '.join(args)}) END)"


class _Compiler:
    def __init__(self, checked: CheckedExpr, column_sql: ColumnSql, refs: dict[str, str] | None):
        self.c = checked
        self.column_sql = column_sql
        self.refs = refs or {}

    def sql(self, node: A.Expr) -> str:
        match node:
            case A.Number():
                return literal(node.value)
            case A.String(value=value):
                return literal(value)
            case A.Bool(value=value):
                return literal(value)
            case A.Null():
                return "NULL"
            case A.List(items=items):
                return "(" + ", ".join(self.sql(i) for i in items) + ")"
            case A.Name() | A.Member():
                if id(node) in self.c.params:
                    return literal(self.c.params[id(node)][1])
                return self.column_sql(self.c.columns[id(node)])
            case A.Index():
                raise AssertionError("indexing exists only in the model context, which has no SQL backend")
            case A.Unary(op=A.UnOp.NEG, operand=operand):
                return f"(-({self.sql(operand)}))"  # never `--`, which SQL reads as a comment
            case A.Unary(op=A.UnOp.NOT, operand=operand):
                return f"(NOT {self.sql(operand)})"
            case A.Unary():
                assert_never(node.op)
            case A.Binary(op=A.BinOp.DIV, left=left, right=right):
                return safe_div(self.sql(left), self.sql(right))
            case A.Binary(op=A.BinOp.POW, left=left, right=right):
                return safe_power(self.sql(left), self.sql(right))
            case A.Binary(op=op, left=left, right=right):
                return f"({self.sql(left)} {_OPS[op]} {self.sql(right)})"
            case A.In(operand=operand, items=items, negated=negated):
                if not items.items:
                    return f"(CASE WHEN {self.sql(operand)} IS NULL THEN NULL ELSE {'TRUE' if negated else 'FALSE'} END)"
                return f"({self.sql(operand)} {'NOT IN' if negated else 'IN'} {self.sql(items)})"
            case A.IsNull(operand=operand, negated=negated):
                return f"({self.sql(operand)} IS {'NOT ' if negated else ''}NULL)"
            case A.Between(operand=operand, low=low, high=high):
                x = self.sql(operand)
                return f"(({self.sql(low)} <= {x}) AND ({x} <= {self.sql(high)}))"
            case A.If(cond=cond, then=then, otherwise=otherwise):
                return f"(CASE WHEN {self.sql(cond)} THEN {self.sql(then)} ELSE {self.sql(otherwise)} END)"
            case A.Call(func="ref"):
                return self.refs[node.args[0].value]
            case A.Call():
                return self.call(node)
            case _:
                assert_never(node)

    def _typed_null(self, call: A.Call) -> str:
        """A NULL argument with a type, so DuckDB can choose the function's overload."""
        if call.func in ("year", "month", "days_between", "months_between"):
            return "CAST(NULL AS DATE)"
        if call.func == "date":
            return "CAST(NULL AS VARCHAR)"
        kind = self.c.types[id(call)].kind.value
        return f"CAST(NULL AS {_SQL_TYPES.get(kind, 'DOUBLE')})"

    def call(self, node: A.Call) -> str:
        fn = self.c.functions[id(node)]
        if fn.kind == "scalar":
            args = [self._typed_null(node) if isinstance(a, A.Null) else self.sql(a) for a in node.args]
            if fn.name in ("min", "max"):
                return strict_call("least" if fn.name == "min" else "greatest", args)
            return fn.sql(args)
        where = f" FILTER (WHERE {self.sql(node.where)})" if node.where is not None else ""
        if fn.name == "share":
            cond = self.sql(node.args[0])
            numerator_filter = f"({self.sql(node.where)}) AND ({cond})" if node.where is not None else cond
            return f"(CAST(count(*) FILTER (WHERE {numerator_filter}) AS DOUBLE) / NULLIF(count({cond}){where}, 0))"
        if fn.name == "count":
            if not node.args:
                return f"count(*){where}"
            inner = ("DISTINCT " if node.distinct else "") + self.sql(node.args[0])
            return f"count({inner}){where}"
        arg = self.sql(node.args[0])
        if fn.name in ("mean", "median"):
            arg = f"CAST({arg} AS DOUBLE)"
        return f"{fn.sql([arg])}{where}"


def to_sql(checked: CheckedExpr, column_sql: ColumnSql | None = None, refs: dict[str, str] | None = None) -> str:
    """The SQL for a checked expression. `column_sql` renders a column (default `"dataset"."column"`);
    `refs` maps indicator ids to SQL for derived measures."""
    column_sql = column_sql or (lambda ref: f"{quote_ident(ref.dataset)}.{quote_ident(ref.column)}")
    return _Compiler(checked, column_sql, refs).sql(checked.expr)
