"""The language conformance suite (tests/conformance/*.yaml) run against both backends.

Every value case is evaluated by the reference interpreter (`eval_row` / `eval_group`) and by
DuckDB (the SQL from `to_sql`, run on a real table `t` with the schema's column types); both must
give the expected value. Error cases are checked once: the front end (parser + checker) is shared
by both backends, so the first diagnostic's code must be the expected one.

The YAML files stay language-neutral: what this implementation gets wrong is listed here, in
`KNOWN_BUGS`, as strict xfails (a fixed bug makes its xfail fail, so the entry must be removed).
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml

from hfspec.diagnostics import HfspecError
from hfspec.lang import types as T
from hfspec.lang.check import CheckedExpr, Context, check
from hfspec.lang.interpret import eval_group, eval_row
from hfspec.lang.parser import parse
from hfspec.lang.scope import Link, TableScope
from hfspec.lang.sql import per_select, to_sql
from hfspec.lang.types import Kind

HERE = Path(__file__).parent / "conformance"
SCHEMA = yaml.safe_load((HERE / "schema.yaml").read_text(encoding="utf-8"))
DATASET = "t"
COLUMNS: dict[str, dict] = SCHEMA["datasets"][DATASET]
#: The datasets that `from` reads, with the key under which a case gives their rows.
RELATED = [name for name in SCHEMA["datasets"] if name != DATASET]
SQL_TYPES = {"integer": "BIGINT", "number": "DOUBLE", "string": "VARCHAR", "date": "DATE", "boolean": "BOOLEAN", "enum": "VARCHAR"}
REL_TOL = 1e-9
ABS_TOL = 1e-12

#: Cases this implementation fails, by "file::name" and backend ("interpreter", "duckdb" or
#: "check"); each reason says what is wrong (details in the report that added them).
KNOWN_BUGS: dict[tuple[str, str], str] = {}


def _sql_bug(reason: str, *cases: str) -> None:
    for case in cases:
        KNOWN_BUGS[(case, "duckdb")] = reason


def _py_bug(reason: str, *cases: str) -> None:
    for case in cases:
        KNOWN_BUGS[(case, "interpreter")] = reason


def _check_bug(reason: str, *cases: str) -> None:
    for case in cases:
        KNOWN_BUGS[(case, "check")] = reason


# -- loading ----------------------------------------------------------------------------------

def _types(dataset: str) -> dict[str, T.Type]:
    return {name: T.from_spec(spec["type"], spec.get("values", ())) for name, spec in SCHEMA["datasets"][dataset].items()}


def _scope() -> TableScope:
    columns = {dataset: _types(dataset) for dataset in SCHEMA["datasets"]}
    links: dict[str, list[Link]] = {}
    for dataset, cols in SCHEMA["datasets"].items():
        for name, spec in cols.items():
            if "references" in spec:
                target, target_column = spec["references"].split(".")
                links.setdefault(dataset, []).append(Link(name, target, target_column))
    params = {}
    for name, spec in SCHEMA["params"].items():
        typ = T.from_spec(spec["type"], spec.get("values", ()))
        params[name] = (typ, _convert(spec["value"], typ))
    return TableScope(DATASET, columns, links, params=params, per_allowed=True)


def _convert(value: Any, typ: T.Type) -> Any:
    """A YAML value as the Python value of a column or result of type `typ`."""
    if value is None:
        return None
    match typ.kind:
        case Kind.DATE:
            return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)
        case Kind.INTEGER:
            assert isinstance(value, int) and not isinstance(value, bool), value
            return value
        case Kind.NUMBER:
            assert isinstance(value, (int, float)) and not isinstance(value, bool), value
            return float(value)
        case Kind.BOOLEAN:
            assert isinstance(value, bool), value
            return value
        case Kind.ENUM:
            assert value in typ.values, f"{value!r} is not a value of the enum"
            return value
        case _:
            return value


def _load_cases() -> list:
    params = []
    for path in sorted(HERE.glob("*.yaml")):
        if path.name == "schema.yaml":
            continue
        cases = yaml.safe_load(path.read_text(encoding="utf-8"))
        seen = set()
        for case in cases:
            case_id = f"{path.stem}::{case['name']}"
            assert case["name"] not in seen, f"duplicate case {case_id}"
            seen.add(case["name"])
            assert isinstance(case["expr"], str), f"{case_id}: quote the expression in YAML"
            assert case.get("context", "row") in ("row", "measure"), case_id
            assert set(case) <= {"name", "expr", "context", "rows", "expect", *RELATED}, f"{case_id}: unknown keys {set(case)}"
            expect = case["expect"]
            backends = ["check"] if isinstance(expect, dict) and "error" in expect else ["interpreter", "duckdb"]
            for backend in backends:
                reason = KNOWN_BUGS.get((case_id, backend))
                marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
                params.append(pytest.param(case, backend, id=f"{case_id}[{backend}]", marks=marks))
    return params


CASES = _load_cases()
SCOPE = _scope()


def test_known_bugs_name_real_cases():
    ids = {p.id.rsplit("[", 1)[0] for p in CASES}
    assert {case for case, _ in KNOWN_BUGS} <= ids


def test_suite_is_large_enough():
    names = {p.id.rsplit("[", 1)[0] for p in CASES}
    assert len(names) >= 200


# -- running ----------------------------------------------------------------------------------

def _context(case) -> Context:
    return Context.MEASURE if case.get("context", "row") == "measure" else Context.ROW


def _checked(case) -> CheckedExpr:
    context = _context(case)
    expr = parse(case["expr"])
    checked, problems = check(expr, SCOPE, context, "measure" if context is Context.MEASURE else "expression")
    assert checked is not None, [f"{d.code}: {d.text('en')}" for d in problems]
    return checked


def _rows(case, dataset: str = DATASET) -> list[dict[str, Any]]:
    """The case's rows of a dataset as {column: value} with every column present (missing = null).
    Rows of `t` default to one row of nulls; a row expression is evaluated on the first."""
    types = SCOPE.columns[dataset]
    raw = case.get("rows" if dataset == DATASET else dataset)
    if raw is None:
        raw = [{}] if dataset == DATASET else []
    if dataset == DATASET and _context(case) is Context.ROW:
        raw = raw or [{}]
    rows = []
    for r in raw:
        unknown = set(r) - set(types)
        assert not unknown, f"unknown columns {unknown}"
        rows.append({col: _convert(r.get(col), typ) for col, typ in types.items()})
    return rows


def _tables(case) -> dict[str, list[dict[str, Any]]]:
    return {dataset: _rows(case, dataset) for dataset in SCHEMA["datasets"]}


def _interpret(checked: CheckedExpr, tables: dict[str, list[dict[str, Any]]]) -> Any:
    keyed = [{f"{DATASET}.{col}": v for col, v in row.items()} for row in tables[DATASET]]
    if checked.context is Context.MEASURE:
        return eval_group(checked, keyed, tables)
    return eval_row(checked, keyed[0], tables)


@pytest.fixture(scope="module")
def con():
    connection = duckdb.connect()
    yield connection
    connection.close()


def _create_tables(con, tables: dict[str, list[dict[str, Any]]]) -> None:
    """Each dataset as a table with its rows, and `__i`, the row's position."""
    for dataset, rows in tables.items():
        columns = SCHEMA["datasets"][dataset]
        cols = list(columns)
        ddl = ", ".join([*(f'"{c}" {SQL_TYPES[columns[c]["type"]]}' for c in cols), "__i BIGINT"])
        con.execute(f'CREATE OR REPLACE TABLE "{dataset}" ({ddl})')
        if rows:
            con.executemany(f'INSERT INTO "{dataset}" VALUES ({", ".join("?" for _ in cols)}, ?)', [[r[c] for c in cols] + [i] for i, r in enumerate(rows)])


def _duckdb(con, checked: CheckedExpr, tables: dict[str, list[dict[str, Any]]]) -> Any:
    _create_tables(con, tables)
    # a `per` aggregate is grouped on its own (over all rows: no keys, so one row) and joined to
    # the rows, as the engine does (engine/staged.py)
    steps, joins, replace = [], "", {}
    source = f'"{DATASET}" AS "{DATASET}"'
    for i, node in enumerate(checked.per_calls()):
        steps.append(f"__per{i} AS ({per_select(checked, node, source, [])})")
        joins += f" LEFT JOIN __per{i} ON TRUE"
        value = f"any_value(__per{i}.__value)"
        replace[id(node)] = f"coalesce({value}, 0)" if node.func == "count" else value
    sql = to_sql(checked, replace=replace)
    head = f"WITH {', '.join(steps)} " if steps else ""
    if checked.context is Context.ROW:  # the first row, with every row there for `from t`
        query = f'SELECT {sql} FROM "{DATASET}" AS "{DATASET}" WHERE __i = 0'
    else:
        query = f'{head}SELECT {sql} FROM "{DATASET}" AS "{DATASET}"{joins}'
    result = con.execute(query).fetchall()
    assert len(result) == 1, result
    return result[0][0]


def assert_same(actual: Any, expected: Any, typ: T.Type, where: str) -> None:
    """`actual` equals `expected` (numbers within REL_TOL) and has the Python type of `typ`."""
    if expected is None:
        assert actual is None, f"{where}: expected null, got {actual!r}"
        return
    assert actual is not None, f"{where}: expected {expected!r}, got null"
    assert not isinstance(actual, decimal.Decimal), f"{where}: DECIMAL result {actual!r} (the backend left double arithmetic)"
    if isinstance(expected, bool):
        assert isinstance(actual, bool) and actual == expected, f"{where}: expected {expected!r}, got {actual!r}"
    elif isinstance(expected, (int, float)):
        assert isinstance(actual, (int, float)) and not isinstance(actual, bool), f"{where}: expected a number, got {actual!r}"
        assert math.isclose(actual, expected, rel_tol=REL_TOL, abs_tol=ABS_TOL), f"{where}: expected {expected!r}, got {actual!r}"
    elif isinstance(expected, dt.date):
        assert type(actual) is dt.date and actual == expected, f"{where}: expected {expected}, got {actual!r}"
    else:
        assert actual == expected, f"{where}: expected {expected!r}, got {actual!r}"
    # the value fits the checked type
    if typ.kind is Kind.INTEGER:
        assert isinstance(actual, int) and not isinstance(actual, bool), f"{where}: integer expression gave {actual!r}"
    elif typ.kind is Kind.BOOLEAN:
        assert isinstance(actual, bool), f"{where}: condition gave {actual!r}"
    elif typ.kind in (Kind.STRING, Kind.ENUM):
        assert isinstance(actual, str), f"{where}: text expression gave {actual!r}"


@pytest.mark.parametrize("case, backend", CASES)
def test_case(case, backend, request):
    expect = case["expect"]
    if backend == "check":
        code = expect["error"]
        context = _context(case)
        try:
            expr = parse(case["expr"])
        except HfspecError as error:
            codes = [d.code for d in error.diagnostics]
        else:
            checked, problems = check(expr, SCOPE, context, "measure" if context is Context.MEASURE else "expression")
            codes = [d.code for d in problems if d.severity.value == "error"]
            assert (checked is None) == bool(codes)
        assert codes, f"expected {code}, but the expression is accepted"
        assert codes[0] == code, f"expected {code}, got {codes}"
        return
    checked = _checked(case)
    expected = _convert(expect, checked.type) if checked.type.kind is Kind.DATE else expect
    tables = _tables(case)
    if backend == "interpreter":
        actual = _interpret(checked, tables)
    else:
        actual = _duckdb(request.getfixturevalue("con"), checked, tables)
    assert_same(actual, expected, checked.type, f"{backend}: {case['expr']}")


def test_filter_that_is_a_condition_is_accepted():
    checked, problems = check(parse("x > 1 and b"), SCOPE, Context.ROW, "filter")
    assert checked is not None and not problems


def test_filter_must_be_a_condition():
    checked, problems = check(parse("x + 1"), SCOPE, Context.ROW, "filter")
    assert checked is None
    assert [d.code for d in problems] == ["HF421"]


# -- key figures: let, computed breakdowns, time, periods of intervals, per within groups -------

INDICATOR_CASES_DIR = HERE / "indicators"


def _dataset_specs() -> str:
    docs = []
    for dataset, columns in SCHEMA["datasets"].items():
        lines = [f"kind: Dataset", f"id: {dataset}", "columns:"]
        for name, spec in columns.items():
            extra = {k: v for k, v in spec.items()}
            extra.setdefault("required", False)
            lines.append(f"  {name}: {yaml.safe_dump(extra, default_flow_style=True).strip()}")
        docs.append("\n".join(lines))
    params = {name: spec["value"] for name, spec in SCHEMA["params"].items()}
    docs.append(yaml.safe_dump({"kind": "Catalogue", "id": "conformance", "params": params}, sort_keys=False).strip())
    return "\n---\n".join(docs) + "\n"


def _indicator_cases() -> list:
    params = []
    for path in sorted(INDICATOR_CASES_DIR.glob("*.yaml")):
        cases = yaml.safe_load(path.read_text(encoding="utf-8"))
        names = [c["name"] for c in cases]
        assert len(names) == len(set(names)), f"{path.name}: duplicate case names"
        for case in cases:
            assert set(case) <= {"name", "indicator", "rows", "expect", "from", "to", *RELATED}, f"{case['name']}: unknown keys {set(case)}"
            for backend in ("interpreter", "duckdb"):
                params.append(pytest.param(case, backend, id=f"indicators/{path.stem}::{case['name']}[{backend}]"))
    return params


INDICATOR_CASES = _indicator_cases()


def test_indicator_cases_exist():
    assert len(INDICATOR_CASES) >= 30


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


@pytest.mark.parametrize("case, backend", INDICATOR_CASES)
def test_indicator_case(case, backend, tmp_path, request):
    from hfspec.engine.reference import evaluate_reference
    from hfspec.engine.tables import _table
    from hfspec.spec.project import load_project

    fields = {"kind": "Indicator", "id": "HF-C-01", "title": "conformance", "type": "outcome", **case["indicator"]}
    (tmp_path / "specs.yaml").write_text(_dataset_specs() + "---\n" + yaml.safe_dump(fields, sort_keys=False, allow_unicode=True), encoding="utf-8")
    project = load_project([tmp_path], standard=False)
    compiled = project.compiled["HF-C-01"]
    tables = {dataset: _rows({**case, "context": "measure"}, dataset) for dataset in SCHEMA["datasets"]}
    tables[DATASET] = _rows({**case, "context": "measure"}) if case.get("rows") is not None else []
    date_from = dt.date.fromisoformat(case["from"]) if case.get("from") else None
    date_to = dt.date.fromisoformat(case["to"]) if case.get("to") else None
    keys = (["period"] if compiled.spec.period else []) + list(compiled.spec.by)
    if backend == "interpreter":
        got = {tuple(_plain(v) for v in k): value for k, value in evaluate_reference(compiled, tables, date_from, date_to).items()}
    else:
        con = request.getfixturevalue("con")
        _create_tables(con, tables)
        result = _table(compiled, con, 0, date_from, date_to)
        got = {tuple(_plain({"period": r.period, **r.by}.get(k)) for k in keys): (r.value, r.n) for r in result.rows}
    expected = {tuple(row.get(k) for k in keys): (row["value"], row["n"]) for row in case["expect"]}
    expected = {tuple(str(v) if k == "period" and v is not None else v for k, v in zip(keys, key)): val for key, val in expected.items()}
    assert set(got) == set(expected), f"{backend}: groups {sorted(got, key=str)} != {sorted(expected, key=str)}"
    for key, (value, n) in expected.items():
        actual, actual_n = got[key]
        assert actual_n == n, f"{backend} {key}: n = {actual_n}, expected {n}"
        if value is None or actual is None:
            assert value is None and actual is None, f"{backend} {key}: {actual!r} != {value!r}"
        else:
            assert math.isclose(float(actual), float(value), rel_tol=REL_TOL, abs_tol=ABS_TOL), f"{backend} {key}: {actual!r} != {value!r}"
