"""CheckedExpr → DuckDB SQL fragment.

Null rules are written once, as the helpers below: division is `a / NULLIF(b, 0)`, a power that
is not finite is NULL, scalar `min`/`max` are NULL when any argument is (DuckDB's LEAST skips
NULLs), and `where` becomes an aggregate `FILTER (WHERE …)`. SQL's own three-valued AND/OR/NOT
and IN already match the language. Literals are typed explicitly (`0.45::DOUBLE`) so that DuckDB
never switches to DECIMAL arithmetic where the interpreter uses floats.

Trajectories: `agg(x from D where c)` is a correlated scalar subquery over `D` (alias `__s1`, `__s2`
when nested) matched on the relation's column, which DuckDB turns into a join;
`first(x by o)` is `first(x ORDER BY o, x NULLS LAST) FILTER (WHERE o IS NOT NULL)`; a `per`
aggregate needs a grouping of its own and is built by `per_select`, whose result the caller
puts in with `replace`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable, assert_never

from hfspec.lang import ast as A
from hfspec.lang.check import CheckedExpr
from hfspec.lang.scope import ColumnRef, Relation

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


def from_alias(depth: int) -> str:
    """The alias of the rows of a `from` at `depth` (1 for a `from` in the key figure's own expressions)."""
    return f"__s{depth}"


class _Compiler:
    def __init__(self, checked: CheckedExpr, column_sql: ColumnSql, refs: dict[str, str] | None, replace: dict[int, str] | None = None,
                 let_sql: Callable[[str], str] | None = None, days_sql: str | None = None):
        self.c = checked
        self.column_sql = column_sql
        self.refs = refs or {}
        self.replace = replace or {}
        self.let_sql = let_sql
        self.days_sql = days_sql

    def sql(self, node: A.Expr) -> str:
        if id(node) in self.replace:
            return self.replace[id(node)]
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
                key = id(node)
                if key in self.c.params:
                    return literal(self.c.params[key][1])
                if key in self.c.lets:
                    assert self.let_sql is not None, "a `let` value needs the key figure's query (engine/staged.py)"
                    return self.let_sql(self.c.lets[key])
                depth = self.c.depths.get(key, 0)
                if depth:
                    return f"{from_alias(depth)}.{quote_ident(self.c.columns[key].column)}"
                return self.column_sql(self.c.columns[key])
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
            case A.Call(func="days_in_period"):
                assert self.days_sql is not None, "days_in_period() needs the key figure's query (engine/staged.py)"
                return self.days_sql
            case A.Call():
                return self.call(node)
            case _:
                assert_never(node)

    def _typed_null(self, call: A.Call, position: int = 0) -> str:
        """A NULL argument with a type, so DuckDB can choose the function's overload."""
        if call.func in ("add_days", "add_months"):
            return "CAST(NULL AS DATE)" if position == 0 else "CAST(NULL AS BIGINT)"
        if call.func in ("year", "month", "days_between", "months_between"):
            return "CAST(NULL AS DATE)"
        if call.func == "date":
            return "CAST(NULL AS VARCHAR)"
        kind = self.c.types[id(call)].kind.value
        return f"CAST(NULL AS {_SQL_TYPES.get(kind, 'DOUBLE')})"

    def call(self, node: A.Call) -> str:
        fn = self.c.functions[id(node)]
        if fn.kind == "scalar":
            args = [self._typed_null(node, i) if isinstance(a, A.Null) else self.sql(a) for i, a in enumerate(node.args)]
            if fn.name in ("min", "max"):
                return strict_call("least" if fn.name == "min" else "greatest", args)
            return fn.sql(args)
        relation = self.c.relations.get(id(node))
        if relation is not None:
            return self.related(node, relation)
        assert node.per is None, "a `per` aggregate is built by per_select and put in with `replace`"
        return self.aggregate(node, node.where)

    def related(self, node: A.Call, relation: Relation) -> str:
        """`agg(… from D where c)`: a scalar subquery over D's rows of the same citizen."""
        alias = from_alias(relation.depth)
        if relation.depth == 1:
            outer = self.column_sql(relation.outer)
        else:
            outer = f"{from_alias(relation.depth - 1)}.{quote_ident(relation.outer.column)}"
        conditions = [f"{alias}.{quote_ident(relation.column)} = {outer}"]
        if node.where is not None:
            conditions.append(f"({self.sql(node.where)})")
        return f"(SELECT {self.aggregate(node, None)} FROM {quote_ident(relation.dataset)} AS {alias} WHERE {' AND '.join(conditions)})"

    def aggregate(self, node: A.Call, where_node: A.Expr | None) -> str:
        fn = self.c.functions[id(node)]
        if fn.name in ("first", "last"):
            x, order = self.sql(node.args[0]), self.sql(node.order)
            direction = "ASC" if fn.name == "first" else "DESC"
            keep = f"({order}) IS NOT NULL" + (f" AND ({self.sql(where_node)})" if where_node is not None else "")
            return f"first({x} ORDER BY {order} {direction}, {x} {direction} NULLS LAST) FILTER (WHERE {keep})"
        where = f" FILTER (WHERE {self.sql(where_node)})" if where_node is not None else ""
        if fn.name == "share":
            cond = self.sql(node.args[0])
            numerator_filter = f"({self.sql(where_node)}) AND ({cond})" if where_node is not None else cond
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


def _default_column(ref: ColumnRef) -> str:
    return f"{quote_ident(ref.dataset)}.{quote_ident(ref.column)}"


def to_sql(checked: CheckedExpr, column_sql: ColumnSql | None = None, refs: dict[str, str] | None = None, *,
           replace: dict[int, str] | None = None, let_sql: Callable[[str], str] | None = None, days_sql: str | None = None,
           node: A.Expr | None = None) -> str:
    """The SQL for a checked expression (or for its part `node`). `column_sql` renders a column of
    the key figure's row (default `"dataset"."column"`); `refs` maps indicator ids to SQL for
    derived measures; `replace` maps nodes (by `id`) to SQL computed elsewhere (`per`
    aggregates, values computed once per row); `let_sql` renders a `let` name and `days_sql`
    is `days_in_period()`."""
    compiler = _Compiler(checked, column_sql or _default_column, refs, replace, let_sql, days_sql)
    return compiler.sql(checked.expr if node is None else node)


def per_select(checked: CheckedExpr, node: A.Call, source: str, keys: list[str], column_sql: ColumnSql | None = None, *,
               replace: dict[int, str] | None = None, let_sql: Callable[[str], str] | None = None, days_sql: str | None = None) -> str:
    """The query of a `per` aggregate: one row per combination of `keys` (SQL over `source`, which
    is a FROM item with its alias) as `__key0`, `__key1`, ..., with the aggregate over units in
    `__value`.

    First the rows are grouped by the keys and the unit (rows whose unit is null belong to no
    unit), giving each unit's value `__v` and condition `__w`; then the units are aggregated.
    With no keys there is exactly one row, also when `source` is empty."""
    fn = checked.functions[id(node)]
    compiler = _Compiler(checked, column_sql or _default_column, None, replace, let_sql, days_sql)
    unit = compiler.sql(node.per)
    names = [f"__key{i}" for i in range(len(keys))]
    columns = [f"{k} AS {name}" for k, name in zip(keys, names)] + [f"{unit} AS __u"]
    if node.args:
        value = compiler.sql(node.args[0])
        columns.append(f"{'CAST(' + value + ' AS DOUBLE)' if fn.name in ('mean', 'median') else value} AS __v")
    if node.where is not None:
        columns.append(f"{compiler.sql(node.where)} AS __w")
    inner = f"SELECT {', '.join(columns)} FROM {source} WHERE ({unit}) IS NOT NULL GROUP BY {', '.join([*names, '__u'])}"
    keep = " FILTER (WHERE __w)" if node.where is not None else ""
    if fn.name == "count":
        total = f"count({'__v' if node.args else '*'}){keep}"
    elif fn.name == "share":
        both = "__w AND __v" if node.where is not None else "__v"
        total = f"(CAST(count(*) FILTER (WHERE {both}) AS DOUBLE) / NULLIF(count(__v){keep}, 0))"
    else:
        total = f"{fn.sql(['__v'])}{keep}"
    outer = f"SELECT {', '.join([*names, total + ' AS __value'])} FROM ({inner}) AS __units"
    if names:
        outer += f" GROUP BY {', '.join(names)}"
    return outer
