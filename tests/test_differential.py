"""The DuckDB engine agrees with the reference interpreter on generated data and key figures.

Hypothesis generates rows (with nulls, duplicates, empty groups, dangling references) and
indicators (filter, measure, breakdowns over own and joined columns, periods); both engines
must give the same groups, values and `n`.
"""

from __future__ import annotations

import datetime as dt
import math
from textwrap import dedent

import duckdb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hfspec.engine.reference import evaluate_reference
from hfspec.engine.tables import _table
from hfspec.spec.project import load_project

DATASETS = dedent("""\
    kind: Dataset
    id: parent
    columns:
      pid: {type: string}
      k: {type: enum, values: [north, south]}
      w: {type: integer, required: false}
    ---
    kind: Dataset
    id: t
    time: d
    columns:
      u: {type: string, references: parent.pid, required: false}
      x: {type: integer, required: false}
      y: {type: number, required: false}
      s: {type: enum, values: [a, b, c], required: false}
      b: {type: boolean, required: false}
      d: {type: date, required: false}
    """)

ints = st.one_of(st.none(), st.integers(-20, 20))
nums = st.one_of(st.none(), st.integers(-2000, 2000).map(lambda v: v / 4))
rows_t = st.lists(st.fixed_dictionaries({
    "u": st.one_of(st.none(), st.sampled_from(["p1", "p2", "p3", "zz"])),
    "x": ints, "y": nums, "s": st.one_of(st.none(), st.sampled_from(["a", "b", "c"])),
    "b": st.one_of(st.none(), st.booleans()),
    "d": st.one_of(st.none(), st.dates(dt.date(2020, 1, 1), dt.date(2021, 12, 31))),
}), max_size=25)
rows_parent = st.fixed_dictionaries({"k1": st.sampled_from(["north", "south"]), "k2": st.sampled_from(["north", "south"]), "w": ints})


def num_expr(depth: int = 2):
    leaves = st.sampled_from(["x", "y", "3", "0", "2.5", "-1", "parent.w", "null", "days_between(d, date(\"2021-01-01\"))", "year(d)"])
    if depth == 0:
        return leaves
    sub = num_expr(depth - 1)
    return st.one_of(
        leaves,
        st.tuples(sub, st.sampled_from(["+", "-", "*", "/"]), sub).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        sub.map(lambda e: f"-({e})"),
        st.tuples(bool_expr(depth - 1), sub, sub).map(lambda t: f"(if {t[0]} then {t[1]} else {t[2]})"),
        st.tuples(sub, sub).map(lambda t: f"coalesce({t[0]}, {t[1]})"),
        sub.map(lambda e: f"abs({e})"),
        st.tuples(sub, sub).map(lambda t: f"min({t[0]}, {t[1]})"),
    )


def bool_expr(depth: int = 2):
    leaves = st.sampled_from(["b", "s == \"a\"", "s != \"c\"", "x is null", "y is not null", "s in [\"a\", \"b\"]", "s not in [\"b\"]",
                              "parent.k == \"north\"", "k == \"south\"", "d >= date(\"2021-01-01\")", "true", "null"])
    if depth == 0:
        return leaves
    sub = bool_expr(depth - 1)
    n = num_expr(depth - 1)
    return st.one_of(
        leaves,
        st.tuples(n, st.sampled_from(["==", "!=", "<", "<=", ">", ">="]), n).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(sub, st.sampled_from(["and", "or"]), sub).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        sub.map(lambda e: f"(not {e})"),
        st.tuples(n, n, n).map(lambda t: f"({t[0]} between {t[1]} and {t[2]})"),
    )


@st.composite
def aggregate(draw):
    kind = draw(st.sampled_from(["count()", "count(x)", "count(distinct u)", "count(distinct s)", "sum", "mean", "median", "min", "max", "share"]))
    where = draw(st.one_of(st.none(), bool_expr(1)))
    if kind in ("count()",):
        return f"count(where {where})" if where else "count()"
    if kind.startswith("count("):
        inner = kind[len("count("):-1]
        return f"count({inner} where {where})" if where else kind
    arg = draw(bool_expr(1)) if kind == "share" else draw(num_expr(1))
    return f"{kind}({arg}{' where ' + where if where else ''})"


@st.composite
def indicator(draw):
    measure = draw(st.one_of(aggregate(), st.tuples(aggregate(), st.sampled_from(["+", "-", "*", "/"]), aggregate()).map(lambda t: f"{t[0]} {t[1]} {t[2]}")))
    flt = draw(st.one_of(st.none(), bool_expr(1)))
    by = draw(st.lists(st.sampled_from(["s", "b", "k", "u"]), unique=True, max_size=2))
    period = draw(st.sampled_from([None, "year", "quarter", "month", "half"]))
    unit = draw(st.sampled_from([None, "u"]))
    lines = ["kind: Indicator", "id: HF-T-01", "title: t", "type: outcome", "dataset: t", f"measure: '{measure}'"]
    if flt:
        lines.append(f"filter: '{flt}'")
    if by:
        lines.append(f"by: [{', '.join(by)}]")
    if period:
        lines.append(f"period: {period}")
    if unit:
        lines.append(f"counting_unit: {unit}")
    return "\n".join(lines) + "\n"


def _close(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, dt.date) or isinstance(b, dt.date):
        return str(a) == str(b)
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large])
@given(spec=indicator(), rows=rows_t, parents=rows_parent)
def test_duckdb_agrees_with_reference_interpreter(tmp_path_factory, spec, rows, parents):
    folder = tmp_path_factory.mktemp("diff")
    (folder / "specs.yaml").write_text(DATASETS + "---\n" + spec, encoding="utf-8")
    project = load_project([folder], standard=False)
    compiled = project.compiled["HF-T-01"]
    tables = {"parent": [{"pid": "p1", "k": parents["k1"], "w": parents["w"]}, {"pid": "p2", "k": parents["k2"], "w": None}, {"pid": "p3", "k": "north", "w": 7}],
              "t": rows}
    con = duckdb.connect()
    con.execute('CREATE TABLE parent (pid VARCHAR, k VARCHAR, w BIGINT)')
    con.execute('CREATE TABLE t (u VARCHAR, x BIGINT, y DOUBLE, s VARCHAR, b BOOLEAN, d DATE)')
    con.executemany("INSERT INTO parent VALUES (?, ?, ?)", [(r["pid"], r["k"], r["w"]) for r in tables["parent"]])
    if rows:
        con.executemany("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?)", [(r["u"], r["x"], r["y"], r["s"], r["b"], r["d"]) for r in rows])
    got = _table(compiled, con, 0, None, None)
    actual = {((r.period,) if compiled.spec.period else ()) + tuple(r.by[b] for b in compiled.spec.by): (r.value, r.n) for r in got.rows}
    expected = {tuple(v.isoformat() if isinstance(v, dt.date) else v for v in k): val for k, val in evaluate_reference(compiled, tables).items()}
    assert set(actual) == set(expected), (spec, got.sql)
    for key, (value, n) in expected.items():
        a_value, a_n = actual[key]
        assert a_n == n, (key, spec)
        assert _close(a_value, value), (key, a_value, value, spec, got.sql)
