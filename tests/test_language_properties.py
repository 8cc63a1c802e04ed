"""Properties of the expression language, checked with hypothesis.

(a) printing round-trips: `parse(to_text(e)) == e` for random syntax trees of every construct;
(b) random well-typed arithmetic/boolean expressions over random rows with nulls give what an
    independent oracle in this file says (Python arithmetic with the null rules applied
    directly), evaluated through `eval_row`;
(c) the same expressions, and measures built from them, give the same values in DuckDB (via
    `to_sql`) as in the interpreter.
Integers stay small and intermediate results are bounded, so nothing can overflow 64 bits.
"""

from __future__ import annotations

import math
from typing import Any

import duckdb
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from hfspec.diagnostics import HfspecError
from hfspec.lang import ast as A
from hfspec.lang import types as T
from hfspec.lang.check import Context, check
from hfspec.lang.interpret import eval_group, eval_row
from hfspec.lang.parser import parse
from hfspec.lang.printer import to_text
from hfspec.lang.scope import TableScope
from hfspec.lang.sql import to_sql

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

KEYWORDS = {"if", "then", "else", "or", "and", "not", "in", "is", "null", "between", "true", "false",
            "distinct", "where", "over", "from", "by", "per"}

# -- (a) printing round-trips -------------------------------------------------------------------

names = st.from_regex(r"[a-zæøåA-Z_][a-zæøå0-9_]{0,7}", fullmatch=True).filter(lambda n: n not in KEYWORDS)

integers = st.integers(min_value=0, max_value=10**12)
#: decimals as the parser makes them: plain digits with a point (repr without an exponent)
decimals = st.builds(lambda whole, scale: whole / 10**scale, st.integers(0, 10**9), st.integers(0, 4)).filter(
    lambda f: f == 0 or 1e-4 <= f < 1e16)
numbers = st.builds(A.Number, st.one_of(integers, decimals), st.booleans())
texts = st.builds(A.String, st.text(alphabet=st.sampled_from('ab "\'\\\n\tæ#()[]%,.=&|!x1'), max_size=12) | st.text(max_size=8))
leaves = st.one_of(
    numbers, texts, st.builds(A.Bool, st.booleans()), st.just(A.Null()), st.builds(A.Name, names),
    st.builds(lambda n: A.Member(A.Name("param"), n), names),
)


def _composites(children):
    lists = st.builds(lambda items: A.List(tuple(items)), st.lists(children, max_size=3))
    calls = st.one_of(
        st.builds(lambda f, args: A.Call(f, tuple(args)), names, st.lists(children, max_size=3)),
        st.builds(lambda f, w: A.Call(f, (), where=w), names, children),
        st.builds(lambda f, args, distinct, over, where: A.Call(f, tuple(args), distinct, where, tuple(over)),
                  names, st.lists(children, min_size=1, max_size=2), st.booleans(), st.lists(names, max_size=2),
                  st.none() | children),
        # the trajectory clauses: from D, by order, per unit, in this order, with or without arguments
        st.builds(lambda f, args, distinct, source, order, per, where: A.Call(f, tuple(args), distinct and bool(args), where, (),
                                                                             source=source, order=order if args else None, per=per),
                  names, st.lists(children, max_size=2), st.booleans(), st.none() | names, st.none() | children, st.none() | children,
                  st.none() | children),
    )
    index_args = st.builds(A.IndexArg, st.none() | names, children)
    unary = st.builds(A.Unary, st.sampled_from(list(A.UnOp)), children)
    binary = st.builds(A.Binary, st.sampled_from(list(A.BinOp)), children, children)
    choices = [unary, unary, *[binary] * 8,  # operators carry most precedence rules: weight them
               st.builds(A.In, children, lists, st.booleans()),
               st.builds(A.IsNull, children, st.booleans()),
               st.builds(A.Between, children, children, children),
               st.builds(A.If, children, children, children),
               st.builds(A.Member, children, names),
               st.builds(lambda obj, args: A.Index(obj, tuple(args)), children, st.lists(index_args, min_size=1, max_size=2)),
               lists, calls]
    return st.sampled_from(choices).flatmap(lambda strategy: strategy)


def _trees(depth: int):
    """Trees up to `depth` levels, most of them composite (st.recursive favours tiny trees)."""
    if depth == 0:
        return leaves
    composite = _composites(_trees(depth - 1))
    return st.sampled_from([leaves, composite, composite, composite]).flatmap(lambda strategy: strategy)


trees = _trees(4)


@SETTINGS
@given(trees)
def test_printing_round_trips(expr):
    text = to_text(expr)
    assert parse(text) == expr, text
    assert to_text(parse(text)) == text


arithmetic_trees = st.recursive(
    st.builds(A.Name, names) | numbers,
    lambda c: st.builds(A.Binary, st.sampled_from([A.BinOp.ADD, A.BinOp.SUB, A.BinOp.MUL, A.BinOp.DIV, A.BinOp.POW]), c, c)
    | st.builds(lambda e: A.Unary(A.UnOp.NEG, e), c),
    max_leaves=8,
)


def test_printing_keeps_parentheses_around_binary_minus():
    a, b, c = A.Name("a"), A.Name("b"), A.Name("c")
    for expr in [A.Binary(A.BinOp.MUL, a, A.Binary(A.BinOp.SUB, b, c)),
                 A.Unary(A.UnOp.NEG, A.Binary(A.BinOp.SUB, b, c)),
                 A.Binary(A.BinOp.DIV, A.Binary(A.BinOp.SUB, a, b), c),
                 A.Binary(A.BinOp.POW, a, A.Binary(A.BinOp.SUB, b, c))]:
        assert parse(to_text(expr)) == expr, to_text(expr)


@settings(max_examples=100, deadline=None)
@given(arithmetic_trees)
def test_printing_round_trips_arithmetic_without_the_minus_bug(expr):
    assert parse(to_text(expr)) == expr, to_text(expr)


@settings(max_examples=50, deadline=None)
@given(st.floats(min_value=1e-12, max_value=9e-5))
def test_printing_round_trips_small_decimals(value):
    text = f"{value:.20f}".rstrip("0")
    expr = parse(text)
    assert parse(to_text(expr)) == expr, (text, to_text(expr))


# -- (b) and (c): well-typed expressions against an oracle and DuckDB ---------------------------

COLUMNS = {"x": T.INTEGER, "y": T.NUMBER, "b": T.BOOLEAN}
SCOPE = TableScope("t", {"t": dict(COLUMNS)}, params={"k": (T.INTEGER, 5), "half": (T.NUMBER, 0.5)})
PARAMS = {"k": 5, "half": 0.5}
BOUND = 10**12  # every intermediate number stays below this (no 64-bit overflow, exact doubles)

small_ints = st.integers(min_value=-20, max_value=20)
small_decimals = st.builds(lambda n: n / 4, st.integers(min_value=-40, max_value=40))


def _num_literal(value) -> A.Expr:
    """A literal as the parser would produce it: a negative number is a minus applied to it."""
    number = A.Number(abs(value))
    return A.Unary(A.UnOp.NEG, number) if value < 0 else number


num_leaves = st.one_of(
    small_ints.map(_num_literal), small_decimals.map(_num_literal),
    st.builds(A.Number, st.integers(0, 200), st.just(True)),  # percent
    st.sampled_from([A.Name("x"), A.Name("y"), A.Member(A.Name("param"), "k"), A.Member(A.Name("param"), "half"), A.Null()]),
)
bool_leaves = st.sampled_from([A.Bool(True), A.Bool(False), A.Null(), A.Name("b")])


def _pick(*weighted):
    """One of the strategies, chosen with the given weights (st.one_of flattens and evens them out)."""
    pool = [s for s, w in weighted for _ in range(w)]
    return st.sampled_from(pool).flatmap(lambda strategy: strategy)


def _typed(depth: int):
    """(numeric, boolean) expression strategies of at most `depth` levels."""
    if depth == 0:
        return num_leaves, bool_leaves
    num, cond = _typed(depth - 1)
    arith = st.builds(A.Binary, st.sampled_from([A.BinOp.ADD, A.BinOp.SUB, A.BinOp.MUL, A.BinOp.DIV, A.BinOp.POW]), num, num)
    num_next = _pick(
        (num_leaves, 2), (arith, 6),
        (st.builds(lambda e: A.Unary(A.UnOp.NEG, e), num), 1),
        (st.builds(A.If, cond, num, num), 1),
        (st.builds(lambda f, a, b: A.Call(f, (a, b)), st.sampled_from(["min", "max", "coalesce"]), num, num), 1),
        (st.builds(lambda a: A.Call("abs", (a,)), num), 1),
    )
    compare = st.builds(A.Binary, st.sampled_from([A.BinOp.EQ, A.BinOp.NE, A.BinOp.LT, A.BinOp.LE, A.BinOp.GT, A.BinOp.GE]), num, num)
    cond_next = _pick(
        (bool_leaves, 1), (compare, 4),
        (st.builds(A.Binary, st.sampled_from([A.BinOp.AND, A.BinOp.OR]), cond, cond), 3),
        (st.builds(lambda e: A.Unary(A.UnOp.NOT, e), cond), 1),
        (st.builds(A.IsNull, num | cond, st.booleans()), 1),
        (st.builds(A.Between, num, num, num), 1),
        (st.builds(lambda x, items, neg: A.In(x, A.List(tuple(items)), neg), num, st.lists(num_leaves, max_size=3), st.booleans()), 1),
        (st.builds(A.Binary, st.sampled_from([A.BinOp.EQ, A.BinOp.NE]), cond, cond), 1),
    )
    return num_next, cond_next


NUM, COND = _typed(3)
TYPED = _pick((NUM, 1), (COND, 1))
row_values = st.fixed_dictionaries({
    "x": st.none() | small_ints,
    "y": st.none() | small_decimals,
    "b": st.none() | st.booleans(),
})


class Unbounded(Exception):
    """An intermediate value left the safe range: the example is discarded."""


def _bounded(v):
    if v is not None and not isinstance(v, bool) and abs(v) >= BOUND:
        raise Unbounded
    return v


def oracle(node: A.Expr, row: dict[str, Any]) -> Any:
    """The value of `node` by the contract's null rules, written independently of hfspec."""
    def ev(n):
        return oracle(n, row)

    match node:
        case A.Number(written=w, percent=p):
            return w / 100 if p else w
        case A.Bool(value=v):
            return v
        case A.Null():
            return None
        case A.Name(name=n):
            return row[n]
        case A.Member(name=n):
            return PARAMS[n]
        case A.Unary(op=A.UnOp.NEG, operand=o):
            v = ev(o)
            return None if v is None else -v
        case A.Unary(op=A.UnOp.NOT, operand=o):
            v = ev(o)
            return None if v is None else not v
        case A.Binary(op=A.BinOp.AND, left=l, right=r):
            a, b = ev(l), ev(r)
            return False if (a is False or b is False) else (None if (a is None or b is None) else True)
        case A.Binary(op=A.BinOp.OR, left=l, right=r):
            a, b = ev(l), ev(r)
            return True if (a is True or b is True) else (None if (a is None or b is None) else False)
        case A.Binary(op=op, left=l, right=r):
            a, b = ev(l), ev(r)
            if a is None or b is None:
                return None
            match op:
                case A.BinOp.ADD: return _bounded(a + b)
                case A.BinOp.SUB: return _bounded(a - b)
                case A.BinOp.MUL: return _bounded(a * b)
                case A.BinOp.DIV: return None if b == 0 else _bounded(a / b)
                case A.BinOp.POW:
                    if a == 0 and b < 0:
                        return None
                    if a < 0 and b != int(b):
                        return None
                    if abs(b) > 40 or (abs(a) > 1 and abs(b) * math.log10(abs(a)) > 11):
                        raise Unbounded
                    return _bounded(float(a) ** float(b))
                case A.BinOp.EQ: return a == b
                case A.BinOp.NE: return a != b
                case A.BinOp.LT: return a < b
                case A.BinOp.LE: return a <= b
                case A.BinOp.GT: return a > b
                case A.BinOp.GE: return a >= b
        case A.IsNull(operand=o, negated=neg):
            return (ev(o) is not None) if neg else (ev(o) is None)
        case A.Between(operand=o, low=lo, high=hi):
            return oracle(A.Binary(A.BinOp.AND, A.Binary(A.BinOp.LE, lo, o), A.Binary(A.BinOp.LE, o, hi)), row)
        case A.In(operand=o, items=items, negated=neg):
            v = ev(o)
            values = [ev(i) for i in items.items]
            if v is None:
                found = None
            elif any(i is not None and i == v for i in values):
                found = True
            else:
                found = None if None in values else False
            return None if found is None else (found != neg)
        case A.If(cond=c, then=t, otherwise=o):
            return ev(t) if ev(c) is True else ev(o)
        case A.Call(func="coalesce", args=args):
            return next((v for v in map(ev, args) if v is not None), None)
        case A.Call(func=f, args=args):
            values = [ev(a) for a in args]
            if any(v is None for v in values):
                return None
            return {"abs": lambda v: abs(v), "min": min, "max": max}[f](*values)
    raise AssertionError(f"oracle has no rule for {node!r}")


def _same(a: Any, b: Any) -> bool:
    if a is None or b is None or isinstance(a, bool) or isinstance(b, bool):
        return a is b if (a is None or b is None) else (type(a) is type(b) and a == b)
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def _checked(expr: A.Expr, context: Context = Context.ROW):
    checked, problems = check(expr, SCOPE, context, "measure" if context is Context.MEASURE else "expression")
    assert checked is not None, (to_text(expr), [(d.code, d.text("en")) for d in problems])
    return checked


def _oracle_or_discard(expr, row):
    try:
        return oracle(expr, row)
    except Unbounded:
        assume(False)


def _key(row):
    return {f"t.{k}": v for k, v in row.items()}


@SETTINGS
@given(TYPED, row_values)
def test_interpreter_agrees_with_oracle(expr, row):
    expected = _oracle_or_discard(expr, row)
    actual = eval_row(_checked(expr), _key(row))
    assert _same(actual, expected), (to_text(expr), row, actual, expected)
    # the same through the text form
    assert _same(eval_row(_checked(parse(to_text(expr))), _key(row)), expected)


@pytest.fixture(scope="module")
def con():
    connection = duckdb.connect()
    connection.execute('CREATE TABLE "t" ("x" BIGINT, "y" DOUBLE, "b" BOOLEAN)')
    yield connection
    connection.close()


def _load(con, rows):
    con.execute('DELETE FROM "t"')
    if rows:
        con.executemany('INSERT INTO "t" VALUES (?, ?, ?)', [[r["x"], r["y"], r["b"]] for r in rows])


@SETTINGS
@given(expr=TYPED, rows=st.lists(row_values, min_size=1, max_size=4))
def test_duckdb_agrees_with_interpreter_on_rows(con, expr, rows):
    for row in rows:
        _oracle_or_discard(expr, row)  # discards examples that could overflow
    checked = _checked(expr)
    _load(con, rows)
    got = [r[0] for r in con.execute(f'SELECT {to_sql(checked)} FROM "t" AS "t" ORDER BY rowid').fetchall()]
    want = [eval_row(checked, _key(row)) for row in rows]
    assert len(got) == len(want)
    for g, w, row in zip(got, want, rows):
        assert _same(g, w), (to_text(expr), to_sql(checked), row, g, w)


AGGREGATES = ["count", "count_values", "count_distinct", "sum", "mean", "median", "min", "max", "share"]


@st.composite
def measures(draw):
    kind = draw(st.sampled_from(AGGREGATES))
    where = draw(st.none() | COND)
    if kind == "count":
        call = A.Call("count", (), where=where)
    elif kind == "share":
        call = A.Call("share", (draw(COND),), where=where)
    elif kind.startswith("count_"):
        call = A.Call("count", (draw(NUM),), kind == "count_distinct", where)
    else:
        call = A.Call(kind, (draw(NUM),), where=where)
    return call, draw(st.sampled_from(["plain", "scaled", "coalesced"]))


@SETTINGS
@given(measure=measures(), rows=st.lists(row_values, max_size=6))
def test_duckdb_agrees_with_interpreter_on_measures(con, measure, rows):
    call, shape = measure
    expr = {"plain": call, "scaled": A.Binary(A.BinOp.MUL, call, A.Number(2)),
            "coalesced": A.Call("coalesce", (call, A.Number(0)))}[shape]
    for row in rows:
        for sub in (*call.args, call.where):
            if sub is not None:
                _oracle_or_discard(sub, row)
    checked = _checked(expr, Context.MEASURE)
    _load(con, rows)
    got = con.execute(f'SELECT {to_sql(checked)} FROM "t"').fetchone()[0]
    want = eval_group(checked, [_key(r) for r in rows])
    assert _same(got, want), (to_text(expr), to_sql(checked), rows, got, want)


# -- known disagreements, pinned ----------------------------------------------------------------

def test_minus_of_a_negative_parameter_in_duckdb(con):
    scope = TableScope("t", {"t": dict(COLUMNS)}, params={"neg": (T.INTEGER, -5)})
    checked, problems = check(parse("-param.neg"), scope, Context.ROW, "expression")
    assert checked is not None, problems
    _load(con, [{"x": None, "y": None, "b": None}])
    assert eval_row(checked, {}) == 5
    assert con.execute(f'SELECT {to_sql(checked)} FROM "t" AS "t"').fetchone()[0] == 5


def test_no_parse_error_escapes_as_a_python_exception():
    """Smoke test over the characters the round-trip alphabet uses: errors are diagnostics."""
    for text in ['"', "'", "(", "[", "x.", "1..2", "1_", "%", "a[", "f(distinct", "count(where", "x in [", "if"]:
        try:
            parse(text)
        except HfspecError as error:
            assert error.diagnostics[0].code.startswith("HF4")
