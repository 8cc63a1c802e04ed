#!/usr/bin/env python3
"""The trajectory key figures written by hand in DuckDB SQL, as an analyst would.

    python bench/duckdb_trajectories.py [DATA_DIR]      # default: bench/data/csv

Loads borgere, bolig, herberg and status with typed `read_csv` (or `read_parquet`), computes the
key figures HF-O-30 to HF-O-39, HF-E-10 and HF-P-21 from their definitions in catalog/ with
plain SQL, and prints them as JSON like bench/duckdb_handwritten.py. On stderr it prints the
time spent loading `bolig` (the one dataset that only these key figures read) and the time of the
queries, as JSON: bench/trajectories.py adds them to the time of `hfspec eval` without these key
figures to get the baseline "the same catalogue without them plus hand-written SQL for them".

Written for speed, as a careful analyst would: window functions and joins rather than a
correlated subquery per citizen where that is simpler. Only `duckdb` is imported.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import duckdb

from duckdb_handwritten import TYPES, plain

REF = "DATE '2021-12-31'"  # catalogue param reference_date
NEEDED = ["borgere", "status", "herberg", "bolig"]


def retention(months: int, by_year_and_method: bool = False) -> tuple[str, list[str]]:
    keys = "year(c.start) AS period, b.metode, " if by_year_and_method else ""
    group = " GROUP BY ALL" if by_year_and_method else ""
    join = " JOIN borgere b ON b.borger_id = c.borger_id" if by_year_and_method else ""
    return (f"""
        WITH ranked AS (
            SELECT *, row_number() OVER (PARTITION BY borger_id ORDER BY indflytningsdato) AS nr FROM bolig
        ), cohort AS (
            SELECT borger_id, indflytningsdato AS start, CAST(indflytningsdato + INTERVAL {months} MONTH AS DATE) AS d
            FROM ranked
            WHERE nr = 1 AND indflytningsdato <= CAST({REF} - INTERVAL {months} MONTH AS DATE)
              AND NOT (coalesce(fraflytningsaarsag, '') = 'doed' AND fraflytningsdato < CAST(indflytningsdato + INTERVAL {months} MONTH AS DATE))
        ), housed AS (
            SELECT DISTINCT c.borger_id FROM cohort c JOIN bolig o ON o.borger_id = c.borger_id
            WHERE o.indflytningsdato <= c.d AND (o.fraflytningsdato IS NULL OR o.fraflytningsdato > c.d)
        )
        SELECT {keys}count(h.borger_id)::DOUBLE / count(*) AS value
        FROM cohort c LEFT JOIN housed h ON h.borger_id = c.borger_id{join}{group}
    """, ["period", "metode"] if by_year_and_method else [])


def returns(days: int) -> tuple[str, list[str]]:
    return (f"""
        WITH cohort AS (
            SELECT borger_id, min(udskrivning) AS ud FROM herberg WHERE udskrevet_til = 'egen_bolig' GROUP BY borger_id
        ), back AS (
            SELECT DISTINCT c.borger_id FROM cohort c JOIN herberg h ON h.borger_id = c.borger_id
            WHERE h.indskrivning > c.ud AND h.indskrivning <= c.ud + {days}
        )
        SELECT count(b.borger_id)::DOUBLE / count(*) AS value
        FROM cohort c LEFT JOIN back b ON b.borger_id = c.borger_id WHERE c.ud <= {REF} - {days}
    """, [])


def who5(value: str) -> tuple[str, list[str]]:
    return (f"""
        WITH before AS (SELECT borger_id, arg_min(who5, dato) AS w FROM status WHERE maalepunkt = 'foer' AND who5 IS NOT NULL GROUP BY 1),
             after AS (SELECT borger_id, arg_max(who5, dato) AS w FROM status WHERE maalepunkt = 'efter' AND who5 IS NOT NULL GROUP BY 1)
        SELECT {value} AS value FROM before b JOIN after a USING (borger_id)
    """, [])


QUERIES: dict[str, tuple[str, list[str]]] = {
    "HF-O-30": retention(6),
    "HF-O-31": retention(12),
    "HF-O-32": retention(24),
    "HF-O-33": returns(180),
    "HF-O-34": returns(365),
    "HF-O-35": returns(730),
    "HF-O-36": who5("avg((a.w - b.w) * 4)"),
    "HF-O-37": who5("avg(CASE WHEN (a.w - b.w) * 4 >= 10 THEN 1.0 ELSE 0.0 END)"),
    "HF-O-38": retention(12, by_year_and_method=True),
    "HF-O-39": (f"""
        WITH exits AS (
            SELECT h.borger_id, h.udskrivning, b.alder FROM herberg h JOIN borgere b USING (borger_id)
            WHERE h.udskrevet_til = 'egen_bolig' AND h.udskrivning <= {REF} - 180
        ), marked AS (
            SELECT e.*, EXISTS (SELECT 1 FROM herberg h WHERE h.borger_id = e.borger_id
                                AND h.indskrivning > e.udskrivning AND h.indskrivning <= e.udskrivning + 180) AS back
            FROM exits e
        )
        SELECT CASE WHEN alder < 25 THEN '16-24' WHEN alder < 30 THEN '25-29' ELSE '30+' END AS aldersgruppe,
               avg(back::INTEGER) AS value
        FROM marked GROUP BY 1
    """, ["aldersgruppe"]),
    "HF-E-10": (f"""
        WITH stays AS (SELECT borger_id, indskrivning AS s, coalesce(udskrivning, {REF}) AS e FROM herberg),
             years AS (SELECT borger_id, s, e, unnest(generate_series(year(s), CASE WHEN e > s THEN year(e - 1) ELSE year(s) END)) AS y FROM stays),
             nights AS (SELECT borger_id, y, sum(greatest(0, least(e, make_date(y + 1, 1, 1)) - greatest(s, make_date(y, 1, 1)))) AS n
                        FROM years GROUP BY borger_id, y)
        SELECT y AS period, count(*) FILTER (WHERE n > 90) AS value FROM nights GROUP BY y
    """, ["period"]),
    "HF-P-21": (f"""
        SELECT (count(*) FILTER (WHERE handleplan_dato <= indskrivning + 30))::DOUBLE / NULLIF(count(*), 0) AS value
        FROM herberg WHERE indskrivning >= DATE '2023-10-01' AND indskrivning <= {REF} - 30
    """, []),
}


def load(con: duckdb.DuckDBPyConnection, folder: Path, name: str) -> None:
    parquet = folder / f"{name}.parquet"
    if parquet.is_file():
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM read_parquet('{parquet}')")
    else:
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM read_csv(?, header = true, columns = ?)", [str(folder / f"{name}.csv"), TYPES[name]])


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent / "data" / "csv"
    con = duckdb.connect()
    timings = {}
    for name in NEEDED:
        start = time.perf_counter()
        load(con, folder, name)
        timings[f"load_{name}"] = time.perf_counter() - start
    out: dict[str, list[dict]] = {}
    start = time.perf_counter()
    for kid, (sql, keys) in QUERIES.items():
        rows = []
        for row in con.execute(sql).fetchall():
            key = dict(zip(keys, row))
            period = key.pop("period", None)
            rows.append({"period": None if period is None else str(period), "by": {k: plain(v) for k, v in key.items()}, "value": plain(row[len(keys)])})
        out[kid] = rows
    timings["queries"] = time.perf_counter() - start
    json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
    print(json.dumps(timings), file=sys.stderr)


if __name__ == "__main__":
    main()
