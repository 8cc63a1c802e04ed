"""The DuckDB engine agrees with the reference interpreter on generated data and key figures.

Hypothesis generates rows (with nulls, duplicates, empty groups, dangling references) and
indicators (filter, measure, breakdowns over own and joined columns, periods); both engines
must give the same groups, values and `n`. A second test does the same for citizens followed over
time: tenancies, shelter stays and measurements, and key figures built from the trajectory
constructs.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from textwrap import dedent

import duckdb
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hfspec.diagnostics import DiagnosticBag
from hfspec.engine.reference import evaluate_reference
from hfspec.engine.tables import _table
from hfspec.source import SourceFile
from hfspec.spec import model as M
from hfspec.spec.project import compile_indicator, load_project
from hfspec.spec.yamlsource import load_documents

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


# -- trajectories: citizens with tenancies, shelter stays and measurements ---------------------------
#
# The standard datasets (borgere, bolig, herberg, status) filled with small random trajectories
# whose dates lie close together, so that windows ("within 30 days after the exit") and period
# boundaries are hit often; and key figures built from templates of the trajectory constructs
# with random parameters: `let`, `from`, `first`/`last`, `per`, `this`, `add_days`/`add_months`,
# computed breakdowns, the key figure's own `time` and intervals split by period, `--from`/`--to`.
# The DuckDB engine must give the same groups, values and `n` as the reference interpreter.

DAY0 = dt.date(2020, 1, 1)
REFERENCE_DATES = [dt.date(2021, 12, 31), dt.date(2021, 2, 28), dt.date(2021, 3, 31), dt.date(2020, 12, 31)]
DESTINATIONS = ["egen_bolig", "gaden", "hospital_behandling"]
REASONS = ["anden_bolig", "udsat", "doed"]


@functools.lru_cache(maxsize=None)
def _standard_project(reference_date: dt.date):
    return load_project([], standard=True).with_params({"reference_date": reference_date.isoformat()})


def _day(offset: int) -> dt.date:
    return DAY0 + dt.timedelta(days=offset)


@st.composite
def trajectories(draw):
    """Rows of borgere, bolig, herberg and status for a few citizens (a few rows of unknown citizens too)."""
    n = draw(st.integers(1, 5))
    ids = [f"c{i}" for i in range(n)]
    borgere = [{"borger_id": c, "kommune": draw(st.sampled_from(["A", "B"])), "alder": draw(st.integers(16, 40))} for c in ids]
    owner = st.sampled_from(ids)
    bolig, herberg, status = [], [], []
    for _ in range(draw(st.integers(1, 8))):
        start = draw(st.integers(0, 700))
        end = draw(st.one_of(st.none(), st.integers(0, 420).map(lambda d, s=start: s + d)))
        reason = draw(st.sampled_from(REASONS)) if end is not None and draw(st.booleans()) else None
        bolig.append({"borger_id": draw(owner), "indflytningsdato": _day(start), "fraflytningsdato": _day(end) if end is not None else None,
                      "fraflytningsaarsag": reason})
    for _ in range(draw(st.integers(1, 10))):
        start = draw(st.integers(0, 700))
        end = draw(st.one_of(st.none(), st.integers(0, 200).map(lambda d, s=start: s + d)))
        plan = draw(st.one_of(st.none(), st.integers(-5, 40).map(lambda d, s=start: _day(s + d))))
        herberg.append({"borger_id": draw(owner), "indskrivning": _day(start), "udskrivning": _day(end) if end is not None else None,
                        "udskrevet_til": draw(st.one_of(st.none(), st.sampled_from(DESTINATIONS))) if end is not None else None,
                        "handleplan_dato": plan, "doegn": 0, "udgift": 0.0})
    for _ in range(draw(st.integers(1, 10))):
        status.append({"borger_id": draw(owner), "dato": _day(draw(st.integers(0, 800))), "maalepunkt": draw(st.sampled_from(["foer", "under", "efter"])),
                       "who5": draw(st.one_of(st.none(), st.integers(0, 25)))})
    return {"borgere": borgere, "bolig": bolig, "herberg": herberg, "status": status}


@st.composite
def trajectory_indicator(draw) -> str:
    """An Indicator (YAML) over borgere, herberg or status built from trajectory templates."""
    months = draw(st.sampled_from([1, 6, 12]))
    window = draw(st.sampled_from([1, 30, 180]))
    dest = draw(st.sampled_from(DESTINATIONS))
    threshold = draw(st.sampled_from([0, 10, 30, 90]))
    base = draw(st.sampled_from(["borgere", "herberg", "status"]))
    spec: dict = {"dataset": base}
    if base == "borgere":
        spec["let"] = {
            "start": "min(indflytningsdato from bolig)",
            "cut": f"add_months(start, {months})",
            "kept": "count(from bolig where indflytningsdato <= cut and (fraflytningsdato is null or fraflytningsdato > cut)) > 0",
            "dead": 'coalesce(first(fraflytningsaarsag == "doed" and fraflytningsdato < cut from bolig by indflytningsdato), false)',
            "exit": f'min(udskrivning from herberg where udskrevet_til == "{dest}")',
            "back": f"count(from herberg where indskrivning > exit and indskrivning <= add_days(exit, {window})) > 0",
            "before": 'first(who5 from status by dato where maalepunkt == "foer")',
            "after": 'last(who5 from status by dato where maalepunkt == "efter")',
        }
        spec["filter"] = draw(st.sampled_from([None, f"start <= add_months(param.reference_date, -{months})",
                                               f"start <= add_months(param.reference_date, -{months}) and not dead",
                                               f"exit <= add_days(param.reference_date, -{window})", "before is not null and after is not null",
                                               "alder >= 25"]))
        spec["measure"] = draw(st.sampled_from(["share(kept)", "share(back)", "mean(after - before)", f"share((after - before) * 4 >= {threshold})",
                                                "count(where kept)", "mean(count(from herberg))", "sum(days_between(start, coalesce(exit, param.reference_date)))",
                                                "count(per kommune where count(where back) > 0)"]))
        choice = draw(st.sampled_from(["none", "kommune", "band", "let", "time"]))
        if choice == "kommune":
            spec["by"] = ["kommune"]
        elif choice == "band":
            spec["by"] = [{"band": f'if alder < {20 + threshold % 20} then "young" else "old"'}]
        elif choice == "let":
            spec["by"] = ["kept"]
        elif choice == "time":
            spec["time"], spec["period"] = "start", draw(st.sampled_from(["year", "quarter"]))
    elif base == "herberg":
        spec["let"] = {"again": f"count(from herberg where indskrivning > this.udskrivning and indskrivning <= add_days(this.udskrivning, {window})) > 0"}
        interval = draw(st.booleans())
        if interval:
            spec["time"] = ["indskrivning", "coalesce(udskrivning, param.reference_date)"]
            spec["period"] = draw(st.sampled_from(["year", "half", "quarter", "month"]))
            spec["measure"] = draw(st.sampled_from([f"count(per borger_id where sum(days_in_period()) > {threshold})", "sum(days_in_period())",
                                                    f"share(sum(days_in_period()) > {threshold} per borger_id)"]))
        else:
            if draw(st.booleans()):
                spec["time"], spec["period"] = "udskrivning", "quarter"
            spec["measure"] = draw(st.sampled_from(["share(again)", f"count(where handleplan_dato <= add_days(indskrivning, {threshold})) / count()",
                                                    "mean(count() per borger_id)", f'share(last(udskrevet_til == "{dest}" by indskrivning) per borger_id)',
                                                    "count(per borger_id where count(where again) > 0)", "first(days_between(indskrivning, udskrivning) by indskrivning)"]))
        spec["filter"] = draw(st.sampled_from([None, f"indskrivning >= add_days(param.reference_date, -{window * 3})", f'udskrevet_til == "{dest}"',
                                               "udskrivning is not null"]))
        choice = draw(st.sampled_from(["none", "kommune", "dest", "long"]))
        if choice == "kommune":
            spec["by"] = ["kommune"]
        elif choice == "dest":
            spec["by"] = ["udskrevet_til"]
        elif choice == "long":
            spec["by"] = [{"long": f"days_between(indskrivning, coalesce(udskrivning, param.reference_date)) > {threshold}"}]
    else:
        spec["filter"] = draw(st.sampled_from([None, "who5 is not null"]))
        spec["by"] = draw(st.sampled_from([[], ["maalepunkt"]]))
        spec["measure"] = draw(st.sampled_from([f"share(last(who5 * 4 <= {threshold + 40} by dato) per borger_id)",
                                                "mean(last(who5 by dato) - first(who5 by dato) per borger_id)", "first(who5 by dato) + last(who5 by dato)",
                                                f"count(per borger_id where max(count(from bolig where indflytningsdato <= add_months(param.reference_date, -{months}))) > 0)"]))
    spec["counting_unit"] = draw(st.sampled_from([None, "borger_id"]))
    fields = {"kind": "Indicator", "id": "HF-T-02", "title": "t", "type": "outcome", **{k: v for k, v in spec.items() if v not in (None, [])}}
    return yaml.safe_dump(fields, sort_keys=False, allow_unicode=True)


def _create(con, project, tables) -> None:
    types = {"integer": "BIGINT", "number": "DOUBLE", "boolean": "BOOLEAN", "date": "DATE"}
    for name, rows in tables.items():
        columns = list(project.datasets[name].columns.values())
        ddl = ", ".join(f"{c.name} {types.get(c.type, 'VARCHAR')}" for c in columns)
        con.execute(f'CREATE TABLE "{name}" ({ddl})')
        if rows:
            con.executemany(f'INSERT INTO "{name}" VALUES ({", ".join("?" for _ in columns)})', [[r.get(c.name) for c in columns] for r in rows])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(spec=trajectory_indicator(), tables=trajectories(), reference_date=st.sampled_from(REFERENCE_DATES),
       window=st.sampled_from([None, (dt.date(2020, 7, 1), None), (None, dt.date(2021, 3, 31)), (dt.date(2020, 4, 2), dt.date(2021, 1, 30))]))
def test_trajectories_agree_with_reference_interpreter(spec, tables, reference_date, window):
    project = _standard_project(reference_date)
    bag = DiagnosticBag()
    docs = load_documents(SourceFile.from_text("trajectory.yaml", spec), bag)
    compiled = compile_indicator(project, M.build_indicator(docs[0]), bag)
    assert compiled is not None and not bag.has_errors, (spec, [f"{d.code} {d.message}" for d in bag.items])
    date_from, date_to = window or (None, None)
    con = duckdb.connect()
    _create(con, project, {name: tables.get(name, []) for name in ("borgere", "bolig", "herberg", "status")})
    got = _table(compiled, con, 0, date_from, date_to)
    keys = (["period"] if compiled.spec.period else []) + list(compiled.spec.by)
    actual = {tuple(v.isoformat() if isinstance(v, dt.date) else v for v in ({"period": r.period, **r.by}.get(k) for k in keys)): (r.value, r.n) for r in got.rows}
    expected = {tuple(v.isoformat() if isinstance(v, dt.date) else v for v in k): val
                for k, val in evaluate_reference(compiled, tables, date_from, date_to).items()}
    assert set(actual) == set(expected), (spec, got.sql)
    for key, (value, n) in expected.items():
        a_value, a_n = actual[key]
        assert a_n == n, (key, spec)
        assert _close(a_value, value), (key, a_value, value, spec, got.sql)
