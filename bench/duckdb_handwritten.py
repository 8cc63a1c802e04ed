#!/usr/bin/env python3
"""The benchmark's key figures written by hand in DuckDB SQL, as an analyst would.

    python bench/duckdb_handwritten.py [DATA_DIR]      # default: bench/data/csv

Loads the CSV files with typed `read_csv` (or the `.parquet` files with `read_parquet` when the
folder holds Parquet), computes the key figures listed in bench/keyfigures.txt with plain SQL
and prints them as JSON: {"HF-P-01": [{"period": null, "by": {"kommune": "Vejle"}, "value": 23030}, ...], ...}.

Deliberately nothing beyond what DuckDB itself checks when it parses typed columns: no enum,
range, key, reference or CPR checks, no disclosure control. Only `duckdb` is imported.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import sys
from pathlib import Path

import duckdb

REFERENCE_DATE = "2021-12-31"  # catalogue param reference_date
PRICE_SHELTER_NIGHT = 1450     # catalogue param pris_herbergsdoegn
PRICE_SUPPORT_HOUR = 500       # catalogue param timepris_bostoette

# Column types of the standard data contract (specs/datasets/*.yaml).
TYPES = {
    "borgere": {"borger_id": "VARCHAR", "kommune": "VARCHAR", "alder": "INTEGER", "metode": "VARCHAR",
                "medarbejder_id": "VARCHAR", "visitationsdato": "DATE", "startdato": "DATE", "slutdato": "DATE",
                "samarbejdsmodel": "BOOLEAN"},
    "status": {"borger_id": "VARCHAR", "dato": "DATE", "maalepunkt": "VARCHAR", "boligsituation": "VARCHAR",
               "beskaeftigelse_uddannelse": "BOOLEAN", "forsoergelse": "VARCHAR", "ucla": "INTEGER", "who5": "INTEGER",
               "bokompetence": "INTEGER", "oekonomi": "INTEGER", "stabil_livsstil": "INTEGER",
               "mentale_vanskeligheder": "INTEGER", "rusmiddelforbrug": "INTEGER", "rusmiddelbehandling": "BOOLEAN",
               "bostoette_sel85": "BOOLEAN", "ors": "DOUBLE", "srs": "DOUBLE"},
    "herberg": {"borger_id": "VARCHAR", "indskrivning": "DATE", "udskrivning": "DATE", "doegn": "INTEGER",
                "udgift": "DOUBLE", "udskrevet_til": "VARCHAR", "handleplan_dato": "DATE"},
    "bolig": {"borger_id": "VARCHAR", "indflytningsdato": "DATE", "fraflytningsdato": "DATE", "fraflytningsaarsag": "VARCHAR"},
    "tid": {"borger_id": "VARCHAR", "metode": "VARCHAR", "periode": "DATE", "fase": "INTEGER",
            "forventet_timer": "DOUBLE", "faktisk_timer": "DOUBLE", "forventet_maal": "DOUBLE", "faktisk_maal": "DOUBLE"},
    "fogedsager": {"borger_id": "VARCHAR", "dato": "DATE", "afvaerget": "BOOLEAN"},
}

ACTIVE = f"startdato <= DATE '{REFERENCE_DATE}' AND (slutdato IS NULL OR slutdato > DATE '{REFERENCE_DATE}')"

# id -> (SQL, names of the columns before `value` in order; `period` is the period column)
QUERIES: dict[str, tuple[str, list[str]]] = {
    "HF-P-01": ("SELECT kommune, count(DISTINCT borger_id) AS value FROM borgere GROUP BY kommune", ["kommune"]),
    "HF-P-02": (f"SELECT metode, count(DISTINCT borger_id) AS value FROM borgere WHERE {ACTIVE} GROUP BY metode", ["metode"]),
    "HF-P-09": ("""SELECT metode, avg(slutdato - startdato) AS value FROM borgere WHERE slutdato IS NOT NULL GROUP BY metode""", ["metode"]),
    "HF-P-13": (f"""SELECT metode, count(DISTINCT borger_id) / count(DISTINCT medarbejder_id) AS value
                    FROM borgere WHERE metode IN ('ICM', 'ACT') AND {ACTIVE} GROUP BY metode""", ["metode"]),
    "HF-O-01": ("""WITH latest AS (SELECT borger_id, maalepunkt, arg_max(boligsituation, dato) AS bolig FROM status
                                   WHERE boligsituation IS NOT NULL GROUP BY borger_id, maalepunkt)
                   SELECT b.kommune, l.maalepunkt, avg(CASE WHEN l.bolig = 'egen_bolig' THEN 1.0 ELSE 0.0 END) AS value
                   FROM latest l JOIN borgere b USING (borger_id) GROUP BY b.kommune, l.maalepunkt""", ["kommune", "maalepunkt"]),
    "HF-O-08": ("""SELECT maalepunkt, count(DISTINCT borger_id) FILTER (WHERE who5 * 4 <= 50) AS value
                   FROM status WHERE who5 IS NOT NULL GROUP BY maalepunkt""", ["maalepunkt"]),
    "HF-P-14": ("""SELECT avg(CASE WHEN EXISTS (SELECT 1 FROM status s WHERE s.borger_id = b.borger_id AND s.maalepunkt = 'efter')
                                THEN 1.0 ELSE 0.0 END) AS value
                   FROM borgere b WHERE b.slutdato IS NOT NULL""", []),
    "HF-O-06": ("""SELECT b.kommune, sum(h.doegn) AS value FROM herberg h JOIN borgere b USING (borger_id)
                   GROUP BY b.kommune""", ["kommune"]),
    "HF-O-07": ("""WITH nights AS (SELECT b.kommune, sum(h.doegn) AS doegn FROM herberg h JOIN borgere b USING (borger_id) GROUP BY b.kommune),
                        citizens AS (SELECT kommune, count(DISTINCT borger_id) AS borgere FROM borgere GROUP BY kommune)
                   SELECT c.kommune, n.doegn / c.borgere AS value FROM citizens c LEFT JOIN nights n USING (kommune)""", ["kommune"]),
    "HF-E-01": ("""SELECT year(periode) AS period, avg(faktisk_timer) AS value FROM tid WHERE metode = 'ICM' GROUP BY period""", ["period"]),
    "HF-E-02": ("""SELECT fase, sum(faktisk_timer) / count(DISTINCT borger_id) FILTER (WHERE faktisk_timer IS NOT NULL) AS value
                   FROM tid WHERE metode = 'CTI' AND fase IS NOT NULL GROUP BY fase""", ["fase"]),
    "HF-E-06": (f"SELECT year(indskrivning) AS period, sum(doegn) * {PRICE_SHELTER_NIGHT} AS value FROM herberg GROUP BY period", ["period"]),
    "HF-E-07": (f"""SELECT year(periode) AS period, metode, sum(faktisk_timer) * {PRICE_SUPPORT_HOUR} AS value
                    FROM tid GROUP BY period, metode""", ["period", "metode"]),
    "HF-O-24": ("SELECT year(dato) AS period, count(*) FILTER (WHERE afvaerget) AS value FROM fogedsager GROUP BY period", ["period"]),
}


def load(con: duckdb.DuckDBPyConnection, folder: Path) -> None:
    for name, columns in TYPES.items():
        parquet = folder / f"{name}.parquet"
        if parquet.is_file():
            con.execute(f"CREATE TABLE {name} AS SELECT * FROM read_parquet('{parquet}')")
        else:
            con.execute(f"CREATE TABLE {name} AS SELECT * FROM read_csv(?, header = true, columns = ?)",
                        [str(folder / f"{name}.csv"), columns])


def plain(value):
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "is_integer") and not isinstance(value, float):  # Decimal
        return float(value)
    return value


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent / "data" / "csv"
    con = duckdb.connect()
    load(con, folder)
    print_key_figures(con)


def print_key_figures(con: duckdb.DuckDBPyConnection) -> None:
    """Run QUERIES on the loaded tables and print the key figures as JSON."""
    out: dict[str, list[dict]] = {}
    for kid, (sql, keys) in QUERIES.items():
        rows = []
        for row in con.execute(sql).fetchall():
            key = dict(zip(keys, row))
            period = key.pop("period", None)
            rows.append({"period": None if period is None else str(period),
                         "by": {k: plain(v) for k, v in key.items()}, "value": plain(row[len(keys)])})
        out[kid] = rows
    json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
