#!/usr/bin/env python3
"""The benchmark's key figures written by hand with pandas, as an analyst would.

    python bench/pandas_handwritten.py [DATA_DIR]      # default: bench/data/csv

Reads the CSV files with typed `read_csv`, computes the key figures listed in
bench/keyfigures.txt with filters, merges and groupby, and prints them as JSON in the same shape
as bench/duckdb_handwritten.py. No validation beyond what `read_csv` does when it parses the
given dtypes. Only pandas is imported.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import pandas as pd

REFERENCE_DATE = pd.Timestamp("2021-12-31")  # catalogue param reference_date
PRICE_SHELTER_NIGHT = 1450                   # catalogue param pris_herbergsdoegn
PRICE_SUPPORT_HOUR = 500                     # catalogue param timepris_bostoette

DTYPES = {
    "borgere": ({"borger_id": "str", "kommune": "str", "alder": "Int64", "metode": "str", "medarbejder_id": "str",
                 "samarbejdsmodel": "boolean"}, ["visitationsdato", "startdato", "slutdato"]),
    "status": ({"borger_id": "str", "maalepunkt": "str", "boligsituation": "str", "beskaeftigelse_uddannelse": "boolean",
                "forsoergelse": "str", "ucla": "Int64", "who5": "Int64", "bokompetence": "Int64", "oekonomi": "Int64",
                "stabil_livsstil": "Int64", "mentale_vanskeligheder": "Int64", "rusmiddelforbrug": "Int64",
                "rusmiddelbehandling": "boolean", "bostoette_sel85": "boolean", "ors": "float64", "srs": "float64"}, ["dato"]),
    "herberg": ({"borger_id": "str", "doegn": "Int64", "udgift": "float64"}, ["indskrivning", "udskrivning"]),
    "tid": ({"borger_id": "str", "metode": "str", "fase": "Int64", "forventet_timer": "float64", "faktisk_timer": "float64",
             "forventet_maal": "float64", "faktisk_maal": "float64"}, ["periode"]),
    "fogedsager": ({"borger_id": "str", "afvaerget": "boolean"}, ["dato"]),
}


def read(folder: Path, name: str) -> pd.DataFrame:
    dtype, dates = DTYPES[name]
    return pd.read_csv(folder / f"{name}.csv", dtype=dtype, parse_dates=dates, date_format="%Y-%m-%d")


def plain(value):
    if value is None or value is pd.NA:
        return None
    if hasattr(value, "item"):  # numpy scalar
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def rows(series: pd.Series, keys: list[str]) -> list[dict]:
    """A (multi-)indexed Series as result rows; an index level called `period` is the period."""
    out = []
    for index, value in series.items():
        parts = index if isinstance(index, tuple) else (index,)
        key = dict(zip(keys, parts))
        period = key.pop("period", None)
        out.append({"period": None if period is None else str(plain(period)),
                    "by": {k: plain(v) for k, v in key.items()}, "value": plain(value)})
    return out


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent / "data" / "csv"
    borgere, status, herberg, tid, fogedsager = (read(folder, n) for n in ("borgere", "status", "herberg", "tid", "fogedsager"))
    out: dict[str, list[dict]] = {}

    # borgere
    active = borgere[(borgere.startdato <= REFERENCE_DATE) & (borgere.slutdato.isna() | (borgere.slutdato > REFERENCE_DATE))]
    p01 = borgere.groupby("kommune").borger_id.nunique()
    out["HF-P-01"] = rows(p01, ["kommune"])
    out["HF-P-02"] = rows(active.groupby("metode").borger_id.nunique(), ["metode"])
    ended = borgere[borgere.slutdato.notna()]
    out["HF-P-09"] = rows((ended.slutdato - ended.startdato).dt.days.groupby(ended.metode).mean(), ["metode"])
    icm_act = active[active.metode.isin(["ICM", "ACT"])].groupby("metode")
    out["HF-P-13"] = rows(icm_act.borger_id.nunique() / icm_act.medarbejder_id.nunique(), ["metode"])

    # status
    # HF-O-01: per citizen and point the latest registration with a housing situation
    housing = status[status.boligsituation.notna()].sort_values("dato").groupby(["borger_id", "maalepunkt"], as_index=False).last()
    housing = housing.merge(borgere[["borger_id", "kommune"]], on="borger_id")
    out["HF-O-01"] = rows(housing.boligsituation.eq("egen_bolig").groupby([housing.kommune, housing.maalepunkt]).mean(),
                          ["kommune", "maalepunkt"])
    who5 = status[status.who5.notna()]
    o08 = who5[who5.who5 * 4 <= 50].groupby("maalepunkt").borger_id.nunique()
    out["HF-O-08"] = rows(o08.reindex(who5.maalepunkt.unique(), fill_value=0), ["maalepunkt"])
    # HF-P-14: every citizen with an ended course, also those without any registration
    with_after = set(status.loc[status.maalepunkt == "efter", "borger_id"])
    out["HF-P-14"] = rows(pd.Series([ended.borger_id.isin(with_after).mean()]), ["_"])
    out["HF-P-14"][0]["by"] = {}

    # herberg
    o06 = herberg.merge(borgere[["borger_id", "kommune"]], on="borger_id").groupby("kommune").doegn.sum()
    out["HF-O-06"] = rows(o06, ["kommune"])
    out["HF-O-07"] = rows(o06 / p01, ["kommune"])
    out["HF-E-06"] = rows(herberg.groupby(herberg.indskrivning.dt.year.rename("period")).doegn.sum() * PRICE_SHELTER_NIGHT, ["period"])

    # tid
    icm = tid[tid.metode == "ICM"]
    out["HF-E-01"] = rows(icm.faktisk_timer.groupby(icm.periode.dt.year).mean(), ["period"])
    cti = tid[(tid.metode == "CTI") & tid.fase.notna()]
    e02 = cti.groupby("fase").faktisk_timer.sum() / cti[cti.faktisk_timer.notna()].groupby("fase").borger_id.nunique()
    out["HF-E-02"] = rows(e02, ["fase"])
    out["HF-E-07"] = rows(tid.groupby([tid.periode.dt.year, tid.metode]).faktisk_timer.sum() * PRICE_SUPPORT_HOUR, ["period", "metode"])

    # fogedsager
    out["HF-O-24"] = rows(fogedsager.afvaerget.groupby(fogedsager.dato.dt.year).sum(), ["period"])

    json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
