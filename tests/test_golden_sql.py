"""Golden SQL: the DuckDB SQL that key figures, rules and the double bottom line compile to, kept
beside their specs so that a change in generated SQL is seen in review (as sqlglot keeps its
fixtures).

- `catalog/<type>/HF-X-NN.sql` beside each key figure of the national catalogue: the statement
  `hfspec eval` runs for it (`tables.indicator_sql`; `hfspec explain HF-O-09` prints it). Derived
  key figures (`ref()`, HF-O-07 and HF-E-05) are computed in Python from the results of the key
  figures they refer to, not in SQL: they have no file.
- `specs/rules/<file>.sql` and `specs/dbl/signaler.sql`: one file per rule file, with every rule
  of the YAML file in file order, each introduced by `-- rule: <id>` (`rules.rule_sql`; row rules
  on a dataset read from a file number their rows, those on `dbl_maaned` cannot).
- `specs/dbl/dbl_maaned.sql` beside the derived dataset's spec: the query that makes the table
  `dbl_maaned` (`derived.table_sql`).

All with the national catalogue's parameters (reference date 2021-12-31). Generated statements
are one line; the files lay them out one clause and one select item per line (`layout`), which
changes whitespace only. The test compares every file with freshly generated SQL (a stale file,
with no spec left to generate it, fails too), then runs every statement *as read from the file*
on the demo data: a key figure's rows must equal what `hfspec eval --suppress-below 0` gives, a
rule must count the rows or groups `hfspec check` counts, and `dbl_maaned` must be the table the
double bottom line reads. `pytest --update-golden` rewrites the files (and deletes stale ones).
"""

from __future__ import annotations

import datetime as dt
import difflib
import doctest
import math
import re
import sys
from functools import cache
from pathlib import Path

import pytest

from hfspec.engine import derived
from hfspec.engine.rules import rule_sql
from hfspec.engine.tables import indicator_sql
from hfspec.session import Session, Settings
from hfspec.spec.project import Project, load_project

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "catalog" / "catalogue.yaml"
RULES = ROOT / "specs" / "rules"
DBL = ROOT / "specs" / "dbl"
DEMO_DATA = ROOT / "examples" / "demo" / "data"
#: Where golden SQL files live; any `.sql` file below these folders must be generated.
GOLDEN_ROOTS = (ROOT / "catalog", ROOT / "specs")
#: The spec files that may have SQL beside them (every key figure, every rule file, the dbl folder).
SPEC_FILES = sorted([*(ROOT / "catalog").glob("*/*.yaml"), *RULES.glob("*.yaml"), *DBL.glob("*.yaml")])
REGENERATE = "python -m pytest tests/test_golden_sql.py --update-golden"
#: `-- key figure: HF-O-09`, `-- rule: cti-caseload`, `-- dataset: dbl_maaned`: one statement follows.
MARKER = re.compile(r"^-- (key figure|rule|dataset): (\S+)$")


# --------------------------------------------------------------------------- layout


def _depths(sql: str) -> list[int]:
    """The parenthesis depth of each character of `sql`; -1 inside quoted text ('…' and "…")."""
    depths, depth, quote = [], 0, None
    for ch in sql:
        if quote is not None or ch in "'\"":
            depths.append(-1)
            quote = None if ch == quote else (quote or ch)  # a doubled '' closes and opens again
            continue
        depth -= ch == ")"
        depths.append(depth)
        depth += ch == "("
    return depths


_CLAUSES = ("WITH", "SELECT", "FROM", "LEFT JOIN", "WHERE", "GROUP BY", "ORDER BY")


def layout(sql: str) -> str:
    """A one-line SELECT laid out for review: each clause on a line of its own, each select item
    on a line of its own, a subquery `(SELECT …)` indented on the lines after its parenthesis.
    Only whitespace outside quoted text changes; expressions stay on one line.

    >>> print(layout('SELECT a AS "x", count(*) AS n FROM (SELECT a FROM t WHERE b = \\'FROM\\') GROUP BY 1'))
    SELECT
      a AS "x",
      count(*) AS n
    FROM (
      SELECT a
      FROM t
      WHERE b = 'FROM'
    )
    GROUP BY 1
    """
    depths = _depths(sql)
    starts = [i for i in range(len(sql)) if depths[i] == 0 and (i == 0 or sql[i - 1] == " ")
              and any(sql.startswith(keyword + " ", i) for keyword in _CLAUSES)]
    lines: list[str] = []
    for start, end in zip(starts, starts[1:] + [len(sql)]):
        keyword = next(k for k in _CLAUSES if sql.startswith(k + " ", start))
        body = (start + len(keyword) + 1, end)
        if keyword == "SELECT":
            commas = [i for i in range(*body) if depths[i] == 0 and sql[i] == ","]
            items = [_subqueries(sql[a:b].strip()) for a, b in zip([body[0], *(c + 1 for c in commas)], [*commas, body[1]])]
            if len(items) == 1:
                lines.append(f"SELECT {items[0]}")
            else:
                lines.append("SELECT")
                lines.extend(_indent(item + ("," if i < len(items) - 1 else "")) for i, item in enumerate(items))
        else:
            lines.append(f"{keyword} {_subqueries(sql[body[0]:body[1]].strip())}")
    return "\n".join(lines)


def _subqueries(text: str) -> str:
    """`text` with each top-level `(SELECT …)` or `(WITH …)` laid out on indented lines."""
    depths = _depths(text)
    out, i = [], 0
    while i < len(text):
        if text[i] == "(" and depths[i] == 0:
            close = next(j for j in range(i + 1, len(text)) if depths[j] == 0 and text[j] == ")")
            inner = text[i + 1:close]
            if inner.startswith(("SELECT ", "WITH ")):
                out.append("(\n" + _indent(layout(inner)) + "\n)")
                i = close + 1
                continue
        out.append(text[i])
        i += 1
    return "".join(out)


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.split("\n"))


def _squash(sql: str) -> str:
    """`sql` without whitespace outside quoted text: equal for two layouts of one statement."""
    depths = _depths(sql)
    return "".join(ch for ch, d in zip(sql, depths) if d == -1 or not ch.isspace())


@pytest.mark.parametrize("sql", [
    "SELECT 1",
    "SELECT * FROM t",
    "SELECT 'a, b' AS \"x, y\", f(1, 2) FROM t LEFT JOIN u ON t.a = u.a WHERE (x) GROUP BY 1 ORDER BY 1 NULLS LAST",
    "SELECT 'it''s FROM' AS x FROM t",
    "WITH c AS (SELECT a, b FROM t) SELECT c.a FROM (SELECT count(*) AS n FROM c) AS k LEFT JOIN (SELECT * FROM c WHERE NOT b) AS f ON TRUE",
    "SELECT count(*) FILTER (WHERE a IN (SELECT b FROM u)) FROM t",
])
def test_layout_changes_only_whitespace(sql):
    """Layout adds or removes whitespace only, and leaves no empty lines or trailing blanks."""
    laid_out = layout(sql)
    assert _squash(laid_out) == _squash(sql)
    assert all(line == line.rstrip() and line for line in laid_out.split("\n"))


def test_layout_docstring_example():
    assert doctest.testmod(sys.modules[__name__]).failed == 0


# --------------------------------------------------------------------------- the golden files


@cache
def project() -> Project:
    """The national catalogue with the shipped rules and double-bottom-line signals."""
    return load_project([CATALOGUE, RULES, DBL], defaults=derived.spec_files())


def _relative(path: str | Path) -> str:
    return Path(path).resolve().relative_to(ROOT).as_posix()


def _header(spec: str, what: str) -> str:
    return (f"-- Generated from {spec} by tests/test_golden_sql.py; do not edit.\n"
            f"-- Regenerate: {REGENERATE}\n"
            f"-- {what}\n")


def _row_numbers(dataset: str) -> bool:
    """Whether a rule's base table has the data file's row numbers (`__row`): a dataset read from a
    file has them, a derived one (`dbl_maaned`) has not."""
    return dataset not in derived.DERIVED


@cache
def generated() -> dict[str, tuple[str, dict[str, str]]]:
    """Every golden SQL file as it should be: path (relative to the repository) → (text, the
    statements in it by id, as generated, on one line)."""
    p = project()
    files: dict[str, tuple[str, dict[str, str]]] = {}
    for iid, compiled in p.compiled.items():
        if compiled.spec.derived:
            continue
        spec = _relative(compiled.spec.loc.file)
        sql = indicator_sql(compiled)[0]
        text = (_header(spec, f"The query `hfspec eval` runs for {iid} (`hfspec explain {iid}` prints it on one line),\n"
                              "-- with the national catalogue's parameters.")
                + f"\n-- key figure: {iid}\n{layout(sql)};\n")
        files[spec.removesuffix(".yaml") + ".sql"] = (text, {iid: sql})
    by_file: dict[str, dict[str, str]] = {}
    for rid, compiled in p.compiled_rules.items():
        by_file.setdefault(_relative(compiled.spec.loc.file), {})[rid] = rule_sql(compiled, p, _row_numbers(compiled.scope.base)).sql
    for spec, rules in by_file.items():
        text = _header(spec, "The query `hfspec check` runs for each rule of the file, in file order, with the national\n"
                             "-- catalogue's parameters (hfspec runs it on one line).")
        text += "".join(f"\n-- rule: {rid}\n{layout(sql)};\n" for rid, sql in rules.items())
        files[spec.removesuffix(".yaml") + ".sql"] = (text, rules)
    settings = derived.settings(p)
    sql = derived.table_sql(settings.reference_date, settings.instrument, with_status=True).strip()
    spec = _relative(DBL / f"{derived.DBL_DATASET}.yaml")
    text = _header(spec, f"The query that makes the derived table {derived.DBL_DATASET} (hfspec/engine/derived.py, table_sql),\n"
                         f"-- with reference_date {settings.reference_date}, instrument {settings.instrument.id} and a status file.")
    files[spec.removesuffix(".yaml") + ".sql"] = (text + f"\n-- dataset: {derived.DBL_DATASET}\n{sql};\n", {derived.DBL_DATASET: sql})
    return files


def statements(text: str) -> dict[str, str]:
    """The statements of a golden file by id: what follows each marker line, up to its `;`."""
    found: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        marker = MARKER.match(line)
        if marker:
            current = found.setdefault(marker.group(2), [])
        elif current is not None and line and not line.startswith("--"):
            current.append(line)
    return {sid: "\n".join(lines).removesuffix(";") for sid, lines in found.items()}


@pytest.mark.parametrize("spec", SPEC_FILES, ids=[_relative(p) for p in SPEC_FILES])
def test_golden_sql_file(spec: Path, update_golden):
    """The golden SQL beside a spec is what the spec compiles to today."""
    path = spec.with_suffix(".sql")
    expected = generated().get(_relative(path))
    if expected is None:  # a derived key figure, or a spec that compiles to no SQL
        if update_golden:
            path.unlink(missing_ok=True)
        assert not path.exists(), f"{_relative(path)}: {_relative(spec)} compiles to no SQL; delete the file or run {REGENERATE}"
        return
    text = expected[0]
    assert _squash("\n".join(statements(text).values())) == _squash("\n".join(expected[1].values()))
    if update_golden or not path.exists():
        path.write_text(text, encoding="utf-8")
        if not update_golden:
            pytest.fail(f"golden file {_relative(path)} did not exist; written, review it")
        return
    actual = path.read_text(encoding="utf-8")
    if actual != text:
        diff = "".join(difflib.unified_diff(actual.splitlines(True), text.splitlines(True), f"{_relative(path)} (golden)", "generated now"))
        pytest.fail(f"the SQL generated from {_relative(spec)} has changed; if the change is meant, run {REGENERATE} and "
                    f"review the diff:\n{diff}", pytrace=False)


def test_no_stale_golden_sql(update_golden):
    """Every .sql file under catalog/ and specs/ is generated from a spec beside it, and every
    generated file belongs to a spec that `test_golden_sql_file` checks."""
    wanted = set(generated())
    assert wanted <= {_relative(p.with_suffix(".sql")) for p in SPEC_FILES}
    stale = sorted(_relative(p) for root in GOLDEN_ROOTS for p in root.rglob("*.sql") if _relative(p) not in wanted)
    if update_golden:
        for name in stale:
            (ROOT / name).unlink()
        return
    assert not stale, f"golden SQL files with no spec that generates them: {stale}; delete them or run {REGENERATE}"


# --------------------------------------------------------------------------- running them


@pytest.fixture(scope="module")
def session():
    """One session on the demo data for every statement, without disclosure control."""
    with Session(data=DEMO_DATA, settings=Settings(k=0), project=project()) as s:
        yield s


def _on_disk(kind: str) -> list[tuple[str, str]]:
    """(golden file, statement id) of every statement of `kind` in the golden files as they are."""
    found = []
    for root in GOLDEN_ROOTS:
        for path in sorted(root.rglob("*.sql")):
            for line in path.read_text(encoding="utf-8").splitlines():
                marker = MARKER.match(line)
                if marker and marker.group(1) == kind:
                    found.append((_relative(path), marker.group(2)))
    return found


KEY_FIGURES, RULE_SQL = _on_disk("key figure"), _on_disk("rule")


def _statement(file: str, sid: str) -> str:
    return statements((ROOT / file).read_text(encoding="utf-8"))[sid]


def _plain(value):
    """A cell as a key figure's result holds it: dates as ISO text, NaN and infinities as None."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _same(got: list, want: list) -> bool:
    """Two rows are the same: equal cells, floats equal to 12 digits."""
    return len(got) == len(want) and all(
        math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12) if isinstance(a, float) and isinstance(b, float) else a == b and type(a) is type(b)
        for a, b in zip(got, want))


@pytest.fixture(scope="module")
def evaluated(session):
    """`hfspec eval --suppress-below 0` of every key figure with golden SQL, in one run (so key
    figures that share a query share it here too)."""
    ids = [sid for _, sid in KEY_FIGURES if sid in session.project.compiled]
    return {ir.spec.id: ir for ir in session.evaluate(ids).indicators}


@pytest.mark.parametrize("file, iid", KEY_FIGURES, ids=[sid for _, sid in KEY_FIGURES])
def test_key_figure_sql_gives_the_eval_result(file, iid, session, evaluated):
    """A key figure's golden statement runs on the demo data and returns the rows `hfspec eval`
    shows for it (floats compared to 12 digits: a shared query may sum in another order)."""
    sql = _statement(file, iid)
    assert iid in evaluated, f"{file}: no key figure {iid} (a stale file: see test_no_stale_golden_sql)"
    result = evaluated[iid]
    assert _squash(sql) == _squash(result.sql)
    cursor = session.con.execute(sql)
    names = [d[0] for d in cursor.description]
    assert names[-2:] == ["value", "n"]
    got = [[_plain(v) for v in row] for row in cursor.fetchall()]
    want = [([r.period] if "period" in names else []) + [r.by[b] for b in result.by] + [r.value, r.n] for r in result.rows]
    assert not any(r.suppressed for r in result.rows)
    assert len(got) == len(want) and all(map(_same, got, want)), f"{iid}: the golden SQL gives {got}, hfspec eval {want}"


@pytest.fixture(scope="module")
def rule_outcomes(session):
    """`hfspec check` of every rule with golden SQL, in one run."""
    ids = [sid for _, sid in RULE_SQL if sid in session.project.compiled_rules]
    return {o.id: o for o in session.evaluate_rules(ids)}


@pytest.mark.parametrize("file, rid", RULE_SQL, ids=[sid for _, sid in RULE_SQL])
def test_rule_sql_counts_what_check_counts(file, rid, session, rule_outcomes):
    """A rule's golden statement is the query `hfspec check` runs, and on the demo data it checks
    as many groups (grouped rules) or rows (row rules: the first column) as the check reports."""
    sql = _statement(file, rid)
    assert rid in rule_outcomes, f"{file}: no rule {rid} (a stale statement: see test_golden_sql_file)"
    outcome = rule_outcomes[rid]
    assert _squash(sql) == _squash(outcome.sql)
    rows = session.con.execute(sql).fetchall()
    checked = len(rows) if outcome.rule.grouped else rows[0][0]
    assert checked == outcome.checked


def test_dbl_maaned_sql_makes_the_table(session):
    """The golden statement of `dbl_maaned` gives, on the demo data, the table the double bottom
    line and its signals read."""
    file = _relative(DBL / f"{derived.DBL_DATASET}.sql")
    sql = _statement(file, derived.DBL_DATASET)
    session.require([derived.DBL_DATASET])
    assert session.con.execute(sql).fetchall() == session.con.execute(f"SELECT * FROM {derived.DBL_DATASET}").fetchall()
