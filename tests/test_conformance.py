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
from hfspec.lang.scope import TableScope
from hfspec.lang.sql import to_sql
from hfspec.lang.types import Kind

HERE = Path(__file__).parent / "conformance"
SCHEMA = yaml.safe_load((HERE / "schema.yaml").read_text(encoding="utf-8"))
DATASET = "t"
COLUMNS: dict[str, dict] = SCHEMA["datasets"][DATASET]
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

def _scope() -> TableScope:
    columns = {name: T.from_spec(spec["type"], spec.get("values", ())) for name, spec in COLUMNS.items()}
    params = {}
    for name, spec in SCHEMA["params"].items():
        typ = T.from_spec(spec["type"], spec.get("values", ()))
        params[name] = (typ, _convert(spec["value"], typ))
    return TableScope(DATASET, {DATASET: columns}, params=params)


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
            assert set(case) <= {"name", "expr", "context", "rows", "expect"}, f"{case_id}: unknown keys {set(case)}"
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


def _rows(case) -> list[dict[str, Any]]:
    """The case's rows as {column: value} with every column present (missing = null)."""
    types = SCOPE.columns[DATASET]
    raw = case.get("rows")
    if raw is None:
        raw = [{}]
    if _context(case) is Context.ROW:
        raw = raw[:1] or [{}]
    rows = []
    for r in raw:
        unknown = set(r) - set(types)
        assert not unknown, f"unknown columns {unknown}"
        rows.append({col: _convert(r.get(col), typ) for col, typ in types.items()})
    return rows


def _interpret(checked: CheckedExpr, rows: list[dict[str, Any]]) -> Any:
    keyed = [{f"{DATASET}.{col}": v for col, v in row.items()} for row in rows]
    if checked.context is Context.MEASURE:
        return eval_group(checked, keyed)
    return eval_row(checked, keyed[0])


@pytest.fixture(scope="module")
def con():
    connection = duckdb.connect()
    yield connection
    connection.close()


def _duckdb(con, checked: CheckedExpr, rows: list[dict[str, Any]]) -> Any:
    cols = list(COLUMNS)
    ddl = ", ".join(f'"{c}" {SQL_TYPES[COLUMNS[c]["type"]]}' for c in cols)
    con.execute(f'CREATE OR REPLACE TABLE "{DATASET}" ({ddl})')
    if rows:
        con.executemany(f'INSERT INTO "{DATASET}" VALUES ({", ".join("?" for _ in cols)})', [[r[c] for c in cols] for r in rows])
    sql = to_sql(checked)
    alias = f' AS "{DATASET}"' if checked.context is Context.ROW else ""
    result = con.execute(f'SELECT {sql} FROM "{DATASET}"{alias}').fetchall()
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
    rows = _rows(case)
    if backend == "interpreter":
        actual = _interpret(checked, rows)
    else:
        actual = _duckdb(request.getfixturevalue("con"), checked, rows)
    assert_same(actual, expected, checked.type, f"{backend}: {case['expr']}")


def test_filter_that_is_a_condition_is_accepted():
    checked, problems = check(parse("x > 1 and b"), SCOPE, Context.ROW, "filter")
    assert checked is not None and not problems


def test_filter_must_be_a_condition():
    checked, problems = check(parse("x + 1"), SCOPE, Context.ROW, "filter")
    assert checked is None
    assert [d.code for d in problems] == ["HF421"]
