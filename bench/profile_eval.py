#!/usr/bin/env python3
"""Where does `hfspec eval` spend its time? One in-process run of the benchmark's evaluation,
broken down by phase and by SQL statement.

    python bench/profile_eval.py [DATA_DIR] [--catalogue PATH] [--top N]

DATA_DIR defaults to bench/data/csv (run bench/run.py once to generate it); the catalogue
defaults to the subset bench/run.py writes (bench/data/catalogue-subset.yaml). The phases are
timed by wrapping hfspec's own functions, and every DuckDB statement by wrapping the
connection, so the numbers add up to the wall time of `Session.evaluate` (module import time is
measured separately; see docs/performance.md for `python -X importtime`). Does not change
hfspec: it only wraps functions for the duration of the run. hfspec reads several files, and runs
several key figure queries, at the same time: the phases inside `ingest` and the statement times
then add up to more than the wall time.
"""

from __future__ import annotations

import argparse
import collections
import re
import time
from pathlib import Path

T0 = time.perf_counter()
import duckdb  # noqa: E402

import hfspec.session as session_module  # noqa: E402
from hfspec.data import ingest  # noqa: E402
from hfspec.engine import tables  # noqa: E402
from hfspec.render import writers  # noqa: E402
from hfspec.session import Session, Settings  # noqa: E402

IMPORTS = time.perf_counter() - T0
BENCH = Path(__file__).resolve().parent

phase_time: dict[str, float] = collections.defaultdict(float)
phase_cpu: dict[str, float] = collections.defaultdict(float)  # process CPU time (all threads)
statements: list[tuple[float, str, str]] = []  # (seconds, phase, sql)
current = ["other"]


# (test on the statement with its whitespace folded, what kind of statement it is), first match wins
KINDS = [
    (lambda s: s.startswith("CREATE TEMP TABLE") and "read_" in s, "read file as text for diagnostics (read_csv all_varchar + row_number)"),
    (lambda s: s.startswith("CREATE TABLE") and "read_" in s, "read file into typed table (typed_sql per cell, one parallel pass)"),
    (lambda s: s.startswith("CREATE VIEW"), "dataset view (__row = rowid + 2)"),
    (lambda s: s.startswith("ALTER TABLE"), "drop the __bad column"),
    (lambda s: s.startswith("DESCRIBE"), "DESCRIBE (headers)"),
    (lambda s: s.startswith("SELECT count(*) FILTER (WHERE __bad)"), "cell checks: one counting pass per table"),
    (lambda s: s.startswith("SELECT count(*) FROM (SELECT __row"), "cell diagnostics (UNION ALL of the failing checks on the text)"),
    (lambda s: s.startswith("DROP TABLE"), "DROP raw table"),
    (lambda s: re.match(r'SELECT count\(\*\) FROM "[^"]+"$', s) is not None, "row count"),
    (lambda s: "HAVING count(*) > 1" in s, "duplicate-key check"),
    (lambda s: "NOT EXISTS" in s, "reference check"),
]


def kind_of(sql: str, phase_name: str) -> str:
    s = " ".join(sql.split())
    kind = next((label for test, label in KINDS if test(s)), None)
    return kind or ("key figure query" if phase_name == "evaluate" else "other SQL")


class Result:
    def __init__(self, inner, entry):
        self._inner, self._entry = inner, entry

    def _timed(self, name):
        def call(*a, **k):
            t = time.perf_counter()
            try:
                return getattr(self._inner, name)(*a, **k)
            finally:
                self._entry[0] += time.perf_counter() - t
        return call

    def __getattr__(self, name):
        if name in ("fetchall", "fetchone", "fetchmany", "df", "fetchdf"):
            return self._timed(name)
        return getattr(self._inner, name)


class Connection:
    def __init__(self, inner):
        self._inner = inner

    def execute(self, sql, *args):
        entry = [0.0]
        t = time.perf_counter()
        res = self._inner.execute(sql, *args)
        entry[0] += time.perf_counter() - t
        statements.append((entry, current[0], sql))
        return Result(res, entry)

    def cursor(self):  # hfspec reads files and runs queries on cursors, several at once
        return Connection(self._inner.cursor())

    def __getattr__(self, name):
        return getattr(self._inner, name)


def phase(name: str, fn):
    def wrapper(*a, **k):
        outer = current[0]
        current[0] = name
        t, c = time.perf_counter(), time.process_time()
        try:
            return fn(*a, **k)
        finally:
            phase_time[name] += time.perf_counter() - t
            phase_cpu[name] += time.process_time() - c
            current[0] = outer
    return wrapper


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("data", nargs="?", type=Path, default=BENCH / "data" / "csv")
    ap.add_argument("--catalogue", type=Path, default=BENCH / "data" / "catalogue-subset.yaml")
    ap.add_argument("--top", type=int, default=12)
    args = ap.parse_args()
    ids = [line.split("#", 1)[0].strip() for line in (BENCH / "keyfigures.txt").read_text().splitlines()]
    ids = [i for i in ids if i]

    real_connect = duckdb.connect
    duckdb.connect = lambda *a, **k: Connection(real_connect(*a, **k))
    session_module.load_project = phase("load catalogue (YAML, schema, expressions)", session_module.load_project)
    ingest._csv_header = phase("read the header (_csv_header)", ingest._csv_header)
    I = ingest._Ingester
    I.open_source = phase("open file, read headers", I.open_source)
    I.raw_relation = phase("read file as text (only when a check fails)", I.raw_relation)
    I.header_map = phase("header mapping", I.header_map)
    I.validate_cells = phase("cell checks", I.validate_cells)
    I.create_typed = phase("read file into typed table", I.create_typed)
    I.validate_tables = phase("key and reference checks", I.validate_tables)
    I._excerpt_source = phase("excerpt source (file read for diagnostics)", I._excerpt_source)
    tables.evaluate = phase("evaluate", tables.evaluate)
    session_module.load_data = phase("ingest (all)", session_module.load_data)
    t, c = time.perf_counter(), time.process_time()
    with Session(args.catalogue, args.data, Settings(k=0)) as session:
        result = session.evaluate(ids)
    total, total_cpu = time.perf_counter() - t, time.process_time() - c
    t = time.perf_counter()
    writers.to_json(result, "da")
    to_json = time.perf_counter() - t

    print(f"data: {args.data}   catalogue: {args.catalogue}")
    print(f"imports of duckdb + hfspec modules (this process): {IMPORTS:.2f} s")
    print(f"Session.evaluate: {total:.2f} s wall, {total_cpu:.2f} s CPU; to_json: {to_json:.3f} s\n")
    print("phase                                                    wall s   CPU s  share of wall")
    order = ["load catalogue (YAML, schema, expressions)", "ingest (all)", "open file, read headers", "read the header (_csv_header)",
             "header mapping", "read file into typed table", "cell checks", "read file as text (only when a check fails)",
             "excerpt source (file read for diagnostics)", "key and reference checks", "evaluate"]
    for name in order:
        indent = "  " if name not in ("load catalogue (YAML, schema, expressions)", "ingest (all)", "evaluate") else ""
        print(f"{indent}{name:<56}{phase_time.get(name, 0.0):7.2f} {phase_cpu.get(name, 0.0):7.2f}  {phase_time.get(name, 0.0) / total:6.1%}")
    print("\nSQL by kind                                                          count  seconds")
    kinds: dict[str, list[float]] = collections.defaultdict(list)
    for entry, phase_name, sql in statements:
        kinds[kind_of(sql, phase_name)].append(entry[0])
    for kind, times in sorted(kinds.items(), key=lambda kv: -sum(kv[1])):
        print(f"  {kind:<68}{len(times):5d}  {sum(times):7.2f}")
    print(f"  {'all SQL':<68}{len(statements):5d}  {sum(e[0] for e, _, _ in statements):7.2f}")
    print(f"\ntop {args.top} statements")
    for entry, _, sql in sorted(statements, key=lambda s: -s[0][0])[: args.top]:
        text = " ".join(sql.split())
        print(f"  {entry[0]:6.2f} s  {text[:150]}{'…' if len(text) > 150 else ''}")


if __name__ == "__main__":
    main()
