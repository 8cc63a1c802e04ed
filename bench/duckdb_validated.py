#!/usr/bin/env python3
"""The benchmark's key figures written by hand in DuckDB SQL, with the data validation an analyst would write by hand.

    python bench/duckdb_validated.py [DATA_DIR]      # default: bench/data/csv

bench/duckdb_handwritten.py plus hand-written checks that give the guarantees `hfspec eval` gives, so the
benchmark can tell how much of hfspec's time is validating the data and how much is hfspec's own overhead.
The key-figure SQL, the column types and the JSON printing are imported from duckdb_handwritten.py, so the
key figures and their JSON are the same. The checks are written from the dataset specs (specs/datasets/*.yaml):

* the header holds the spec's columns (DuckDB's `read_csv` with `columns` takes them by position and does not
  look at the header names), and every cell parses as its column's type (typed `read_csv`; Parquet columns are
  cast to the types). Integer columns are read as DOUBLE, so that 12.5 is an error instead of being rounded to
  13, and are cast to BIGINT after the checks;
* required columns (all but those with `required: false`) have no empty cell;
* enum columns hold only their listed values; `min`/`max` hold; integer columns hold whole numbers and number
  columns finite ones (DuckDB reads `nan` and `inf` as DOUBLE);
* pseudonym columns hold nothing shaped like a CPR number;
* no two rows share a `key`, and every `references` value exists in the referenced dataset.

All cell checks of a dataset run in one aggregate query (a `count(*) FILTER (WHERE ...)` per check), then one
query per key and one per reference. When a check fails, what failed goes to stderr and the exit status is 1
(no key figures). No disclosure control. Only `duckdb` and the standard library are imported.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))
from duckdb_handwritten import TYPES, print_key_figures  # noqa: E402  (the same key figures and column types)

CPR = r"^\s*(0[1-9]|[12][0-9]|3[01])(0[1-9]|1[0-2])[0-9]{2}-?[0-9]{4}\s*$"  # ddmmyy-xxxx, with or without the dash

# What specs/datasets/*.yaml say beyond the column types in TYPES (INTEGER = `type: integer`, DOUBLE =
# `type: number`; an enum column is VARCHAR with its `values` here).
SPECS = {
    "borgere": {"key": ["borger_id"], "optional": ["slutdato"], "pseudonym": ["borger_id", "medarbejder_id"],
                "enum": {"metode": ["CTI", "ICM", "ACT"]}, "range": {"alder": (15, 110)}, "references": {}},
    "status": {"key": ["borger_id", "dato", "maalepunkt"], "pseudonym": ["borger_id"],
               "optional": ["ucla", "who5", "bokompetence", "oekonomi", "stabil_livsstil", "mentale_vanskeligheder", "rusmiddelforbrug",
                            "ors", "srs"],
               "enum": {"maalepunkt": ["foer", "under", "efter"],
                        "boligsituation": ["egen_bolig", "anbragt", "uden_egen_bolig", "egen_midlertidig_bolig", "bolig_efter_serviceloven"],
                        "forsoergelse": ["loen", "ydelse", "su", "andet"]},
               "range": {"ucla": (3, 9), "who5": (0, 25), "bokompetence": (1, 5), "oekonomi": (1, 5), "stabil_livsstil": (1, 5),
                         "mentale_vanskeligheder": (1, 5), "rusmiddelforbrug": (1, 5), "ors": (0, 40), "srs": (0, 40)},
               "references": {"borger_id": ("borgere", "borger_id")}},
    "herberg": {"key": [], "optional": ["udskrivning", "udskrevet_til", "handleplan_dato"], "pseudonym": ["borger_id"],
                "enum": {"udskrevet_til": ["egen_bolig", "midlertidig_bolig", "familie_netvaerk", "anden_boform", "hospital_behandling",
                                           "faengsel", "gaden", "doed", "ukendt"]},
                "range": {"doegn": (0, None), "udgift": (0, None)}, "references": {"borger_id": ("borgere", "borger_id")}},
    "bolig": {"key": [], "optional": ["fraflytningsdato", "fraflytningsaarsag"], "pseudonym": ["borger_id"],
              "enum": {"fraflytningsaarsag": ["anden_bolig", "udsat", "opsagt", "doed", "institution", "ukendt"]}, "range": {},
              "references": {"borger_id": ("borgere", "borger_id")}},
    "tid": {"key": ["borger_id", "periode"], "optional": ["fase", "faktisk_timer", "forventet_maal", "faktisk_maal"], "pseudonym": ["borger_id"],
            "enum": {"metode": ["CTI", "ICM", "ACT"]},
            "range": {"fase": (1, 3), "forventet_timer": (0, None), "faktisk_timer": (0, None), "forventet_maal": (0, 40), "faktisk_maal": (0, 40)},
            "references": {"borger_id": ("borgere", "borger_id")}},
    "fogedsager": {"key": [], "optional": [], "pseudonym": ["borger_id"], "enum": {}, "range": {},
                   "references": {"borger_id": ("borgere", "borger_id")}},
}


def load(con: duckdb.DuckDBPyConnection, folder: Path, problems: list[str]) -> dict[str, str]:
    """Each dataset into a table raw_<name>, integer columns as DOUBLE; returns dataset -> file name of those that loaded."""
    files = {}
    for name, columns in TYPES.items():
        read_types = {col: "DOUBLE" if t == "INTEGER" else t for col, t in columns.items()}
        parquet = folder / f"{name}.parquet"
        path = parquet if parquet.is_file() else folder / f"{name}.csv"
        try:
            if path.suffix == ".parquet":
                header = [d[0] for d in con.execute(f"SELECT * FROM read_parquet('{path}') LIMIT 0").description]
                wrong = sorted(set(header) ^ set(columns))  # read_parquet takes the columns by name
                if wrong:
                    problems.append(f"{path.name}: columns {', '.join(wrong)} differ from the spec's ({', '.join(columns)})")
                    continue
                casts = ", ".join(f"CAST({col} AS {t}) AS {col}" for col, t in read_types.items())
                con.execute(f"CREATE TABLE raw_{name} AS SELECT {casts} FROM read_parquet('{path}')")
            else:
                with path.open(encoding="utf-8", newline="") as f:
                    header = next(csv.reader(f), [])
                if header != list(columns):  # read_csv with `columns` takes them by position
                    problems.append(f"{path.name}: header {','.join(header)} is not {','.join(columns)}")
                    continue
                con.execute(f"CREATE TABLE raw_{name} AS SELECT * FROM read_csv(?, header = true, columns = ?)", [str(path), read_types])
        except (OSError, UnicodeDecodeError, duckdb.Error) as e:
            # DuckDB's first line and the line naming the column; not the line "Original Line: ...", which may hold a CPR number
            lines = str(e).strip().splitlines() or [type(e).__name__]
            problems.append(f"{path.name}: {' '.join([lines[0], *(x for x in lines[1:] if x.startswith('Error when converting'))])}")
            continue
        files[name] = path.name
    return files


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def show(value) -> str:
    """A value for a message; never a CPR number."""
    if not isinstance(value, str):
        return str(value)
    return "(a CPR-shaped value)" if re.match(CPR, value) else repr(value)


def cell_checks(name: str) -> list[tuple[str, str, str]]:
    """(column, what is wrong, SQL condition true for a bad cell) for every cell check of a dataset."""
    spec = SPECS[name]
    checks = []
    for col, t in TYPES[name].items():
        if col not in spec["optional"]:
            checks.append((col, "required value missing", f"nullif(trim({col}), '') IS NULL" if t == "VARCHAR" else f"{col} IS NULL"))
        if t == "INTEGER":
            checks.append((col, "not a whole number", f"NOT (isfinite({col}) AND {col} = trunc({col}))"))
        elif t == "DOUBLE":
            checks.append((col, "not a finite number", f"NOT isfinite({col})"))
        if col in spec["enum"]:
            values = spec["enum"][col]
            checks.append((col, f"not one of {', '.join(values)}", f"{col} NOT IN ({', '.join(literal(v) for v in values)})"))
        low, high = spec["range"].get(col, (None, None))
        if low is not None:
            checks.append((col, f"below min {low}", f"{col} < {low}"))
        if high is not None:
            checks.append((col, f"above max {high}", f"{col} > {high}"))
        if col in spec["pseudonym"]:
            checks.append((col, "CPR-shaped value", f"regexp_matches({col}, '{CPR}')"))
    return checks


def validate(con: duckdb.DuckDBPyConnection, files: dict[str, str], problems: list[str]) -> None:
    for name, file in files.items():
        checks = cell_checks(name)
        counts = con.execute(f"SELECT {', '.join(f'count(*) FILTER (WHERE {cond})' for _, _, cond in checks)} FROM raw_{name}").fetchone()
        for (col, what, cond), n in zip(checks, counts):
            if n:
                shown = "" if what in ("CPR-shaped value", "required value missing") else ", e.g. " + ", ".join(
                    show(v) for (v,) in con.execute(f"SELECT DISTINCT CAST({col} AS VARCHAR) FROM raw_{name} WHERE {cond} LIMIT 3").fetchall())
                problems.append(f"{file}: {col}: {what} in {n} row(s){shown}")
        key = SPECS[name]["key"]
        if key:
            dupes = con.execute(f"SELECT {', '.join(key)}, count(*) FROM raw_{name} GROUP BY ALL HAVING count(*) > 1 ORDER BY ALL LIMIT 3").fetchall()
            for *values, n in dupes:
                problems.append(f"{file}: duplicate key ({', '.join(f'{k}={show(v)}' for k, v in zip(key, values))}) in {n} rows")
        for col, (target, target_col) in SPECS[name]["references"].items():
            if target not in files:
                continue
            n, example = con.execute(f"SELECT count(*), min({col}) FROM raw_{name} t WHERE {col} IS NOT NULL AND NOT EXISTS "
                                     f"(SELECT 1 FROM raw_{target} r WHERE r.{target_col} = t.{col})").fetchone()
            if n:
                problems.append(f"{file}: {col}: {n} row(s) refer to a {target_col} not in {target}, e.g. {show(example)}")


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent / "data" / "csv"
    con = duckdb.connect()
    problems: list[str] = []
    files = load(con, folder, problems)
    validate(con, files, problems)
    if problems:
        print(f"{len(problems)} data problem(s) in {folder}; no key figures:", *problems, sep="\n  ", file=sys.stderr)
        sys.exit(1)
    for name, columns in TYPES.items():  # the checked tables under the names the key-figure SQL uses, integers as BIGINT
        ints = ", ".join(f"CAST({col} AS BIGINT) AS {col}" for col, t in columns.items() if t == "INTEGER")
        con.execute(f"CREATE VIEW {name} AS SELECT * {f'REPLACE ({ints})' if ints else ''} FROM raw_{name}")
    print_key_figures(con)

if __name__ == "__main__":
    main()
