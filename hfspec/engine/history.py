"""Results → a local DuckDB history file, and back. Each run is stamped with the time and with
hashes of the catalogue files and of the data files; storing the same catalogue on the same data
again does not add a duplicate. Suppressed values are stored as NULL with `suppressed = true`.
Total rows are stored with `total_over` (a JSON list of the breakdowns a row adds up, `[]` for a
group; NULL in runs stored before totals were kept), so the headline of every run can be shown."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable

from hfspec.engine.disclosure import published, suppress
from hfspec.engine.results import Result, ResultRow

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS runs (
        run_id INTEGER PRIMARY KEY, stamp TIMESTAMP, catalogue_hash VARCHAR, data_hash VARCHAR,
        suppress_below INTEGER, period_from VARCHAR, period_to VARCHAR, label VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS results (
        run_id INTEGER, indicator VARCHAR, title_da VARCHAR, title_en VARCHAR, type VARCHAR, unit VARCHAR,
        period VARCHAR, by_json VARCHAR, value DOUBLE, n BIGINT, suppressed BOOLEAN, status VARCHAR)""",
    "ALTER TABLE results ADD COLUMN IF NOT EXISTS total_over VARCHAR",
]
RESULT_COLUMNS = "run_id, indicator, title_da, title_en, type, unit, period, by_json, value, n, suppressed, status, total_over"


def hash_files(paths: Iterable[Path]) -> str:
    """A content hash of files (names do not matter, contents and their order-independent set do)."""
    digests = sorted(hashlib.sha256(Path(p).read_bytes()).hexdigest() for p in paths)
    return hashlib.sha256("\n".join(digests).encode()).hexdigest()[:16]


@dataclass
class StoredRun:
    run_id: int
    stamp: dt.datetime
    catalogue_hash: str
    data_hash: str
    label: str | None
    new: bool


def store_run(path: Path, catalogue_files: Iterable[Path], data_files: Iterable[Path], result: Result, label: str | None = None) -> StoredRun:
    """Store a run unless the same catalogue, data and settings are stored already."""
    import duckdb

    cat_hash, data_hash = hash_files(catalogue_files), hash_files(data_files)
    con = duckdb.connect(str(path))
    try:
        for statement in SCHEMA:
            con.execute(statement)
        existing = con.execute(
            "SELECT run_id, stamp, label FROM runs WHERE catalogue_hash = ? AND data_hash = ? AND suppress_below = ? "
            "AND period_from IS NOT DISTINCT FROM ? AND period_to IS NOT DISTINCT FROM ?",
            [cat_hash, data_hash, result.suppress_below, result.period_from, result.period_to]).fetchone()
        if existing:
            return StoredRun(existing[0], existing[1], cat_hash, data_hash, existing[2], False)
        run_id = con.execute("SELECT coalesce(max(run_id), 0) + 1 FROM runs").fetchone()[0]
        stamp = dt.datetime.now().replace(microsecond=0)
        con.execute("INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [run_id, stamp, cat_hash, data_hash, result.suppress_below, result.period_from, result.period_to, label])
        rows = []
        for ir in result.indicators:
            for r in ir.rows:
                value, n = published(r.value, r.n, r.suppressed, result.suppress_below, r.hides_n)
                rows.append([run_id, ir.spec.id, ir.spec.title.da, ir.spec.title.en, ir.spec.type, ir.spec.unit, r.period,
                             json.dumps(r.by, ensure_ascii=False, sort_keys=True), float(value) if isinstance(value, (int, float)) else None,
                             n, r.suppressed, r.status, json.dumps(list(r.total_over))])
        if rows:
            con.executemany(f"INSERT INTO results ({RESULT_COLUMNS}) VALUES ({', '.join('?' * 13)})", rows)
        return StoredRun(run_id, stamp, cat_hash, data_hash, label, True)
    finally:
        con.close()


def load_history(path: Path) -> tuple[list[dict], list[dict]]:
    """(runs, results) as plain dicts, oldest run first."""
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        runs = [dict(zip(("run_id", "stamp", "catalogue_hash", "data_hash", "label"), r)) for r in
                con.execute("SELECT run_id, stamp, catalogue_hash, data_hash, label FROM runs ORDER BY stamp, run_id").fetchall()]
        over = "total_over" if con.execute("SELECT count(*) FROM information_schema.columns WHERE table_name = 'results' AND column_name = 'total_over'").fetchone()[0] else "NULL"
        results = [dict(zip(("run_id", "indicator", "period", "by", "value", "n", "suppressed", "status", "total_over"),
                            (r[0], r[1], r[2], json.loads(r[3]), r[4], r[5], r[6], r[7], tuple(json.loads(r[8])) if r[8] else ())))
                   for r in con.execute(f"SELECT run_id, indicator, period, by_json, value, n, suppressed, status, {over} FROM results ORDER BY run_id").fetchall()]
        return runs, results
    finally:
        con.close()


def at_k(rows: list[ResultRow], k: int, is_count: bool, is_share: bool = False) -> list[ResultRow]:
    """Stored cells as the current output may show them: suppressed again at the output's k,
    whatever k they were stored with (a run stored with `--suppress-below 0` holds small counts).
    A cell hidden when stored stays hidden.

    >>> [r.suppressed for r in at_k([ResultRow("X", None, {}, 4, 4, False, None), ResultRow("X", None, {}, 90, 90, False, None)], 5, True)]
    [True, False]
    """
    out = []
    for r in rows:
        hidden = r.suppressed or suppress(r.n, r.value, is_count, k, is_share)
        out.append(replace(r, suppressed=hidden, status=None if hidden else r.status))
    return out


def stored_rows(results: list[dict]) -> dict[tuple[int, str], list[ResultRow]]:
    """The stored results of `load_history` as result cells, per (run, key figure). A stored value
    is a DOUBLE: a whole number is given back as an int (a count reads 95, not 95,0)."""
    out: dict[tuple[int, str], list[ResultRow]] = {}
    for r in results:
        value = r["value"]
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        out.setdefault((r["run_id"], r["indicator"]), []).append(
            ResultRow(r["indicator"], r["period"], dict(r["by"]), value, r["n"], bool(r["suppressed"]), r["status"], tuple(r["total_over"])))
    return out
