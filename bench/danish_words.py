#!/usr/bin/env python3
"""The benchmark data with the enum values of `status` as people write them, for timing the fold.

    python bench/danish_words.py            # bench/data/csv → bench/data/csv-danish

`status.csv` gets `Før`, `Egen bolig`, `Bolig efter SEL`, `Løn`, `SU`, … instead of `foer`,
`egen_bolig`, `bolig_efter_serviceloven`, `loen`, `su` (246,037 rows × 3 enum columns on 100,000
citizens); the other files are linked. `hfspec eval` must give the same key figures on both
folders, and the time difference is what reading Danish words costs (docs/performance.md).
Run bench/run.py first: it generates bench/data/csv.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import duckdb

DATA = Path(__file__).resolve().parent / "data"
WORDS = {
    "maalepunkt": {"foer": "Før", "under": "Under", "efter": "Efter"},
    "boligsituation": {"egen_bolig": "Egen bolig", "uden_egen_bolig": "Uden egen bolig", "anbragt": "Anbragt",
                       "egen_midlertidig_bolig": "Egen midlertidig bolig", "bolig_efter_serviceloven": "Bolig efter SEL"},
    "forsoergelse": {"loen": "Løn", "su": "SU", "ydelse": "Ydelse", "andet": "Andet"},
}


def main() -> int:
    source, target = DATA / "csv", DATA / "csv-danish"
    if not (source / "status.csv").is_file():
        print("bench/data/csv/status.csv is missing: run bench/run.py first", file=sys.stderr)
        return 1
    target.mkdir(exist_ok=True)
    for path in source.glob("*.csv"):
        link = target / path.name
        if path.name != "status.csv" and not link.exists():
            os.symlink(path.resolve(), link)
    con = duckdb.connect()
    reader = f"read_csv('{source / 'status.csv'}', all_varchar=true)"
    columns = [row[0] for row in con.execute(f"DESCRIBE SELECT * FROM {reader}").fetchall()]
    select = ", ".join(
        ("CASE " + " ".join(f"WHEN {c} = '{k}' THEN '{v}'" for k, v in WORDS[c].items()) + f" ELSE {c} END AS {c}") if c in WORDS else c
        for c in columns)
    con.execute(f"COPY (SELECT {select} FROM {reader}) TO '{target / 'status.csv'}' (HEADER, DELIMITER ',')")
    print(f"wrote {target / 'status.csv'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
