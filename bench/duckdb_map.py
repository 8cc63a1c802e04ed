#!/usr/bin/env python3
"""The baseline of `bench/map_bench.py`: the five shipped mappings written out by hand in DuckDB.

    python bench/duckdb_map.py EXPORTS_FOLDER KEY_FILE OUT_FOLDER

What a data engineer would write for these exports alone, for speed: DuckDB's CSV reader with
every column as text, the value maps as CASE expressions, dates with strptime, decimal commas
replaced, the case system's measurements unpivoted with UNION ALL, the repeated weeks and stays
dropped with QUALIFY, the weeks summed into months, the stays of people without a course left
out with a semi-join, and the CPR numbers hashed once per person in Python (HMAC-SHA256) and
joined in. One Parquet file per dataset. It checks nothing: a code not in a value map becomes
NULL, a date that does not parse becomes NULL, no row numbers are kept and no key or reference
is checked. That is the work hfspec adds (and reports as diagnostics); the ratio of the two
says what it costs.
"""

from __future__ import annotations

import hmac
import sys
from pathlib import Path

import duckdb

GROUPS = ["før"] + [f"opfølgning {i}" for i in range(1, 6)] + ["efter"]
MAALEPUNKT = {"før": "foer", "efter": "efter"}
BOLIG = {"Egen lejebolig": "egen_bolig", "Ejerbolig": "egen_bolig", "Andelsbolig": "egen_bolig", "Anbragt (institution)": "anbragt",
         "Hjemløs": "uden_egen_bolig", "Sofasurfer": "uden_egen_bolig", "Midlertidig egen bolig": "egen_midlertidig_bolig",
         "Botilbud § 107-110": "bolig_efter_serviceloven", "Herberg/forsorgshjem": "bolig_efter_serviceloven"}
FORSOERGELSE = {"Løn": "loen", "Kontanthjælp": "ydelse", "Førtidspension": "ydelse", "Sygedagpenge": "ydelse", "Uddannelseshjælp": "ydelse",
                "SU": "su", "Andet": "andet"}
FRAFLYTNING = {"Flyttet til anden bolig": "anden_bolig", "Udsat af udlejer": "udsat", "Opsagt af borgeren": "opsagt", "Død": "doed",
               "Institution/botilbud": "institution", "Ukendt": "ukendt"}
UDSKREVET_TIL = {"1": "egen_bolig", "2": "midlertidig_bolig", "3": "familie_netvaerk", "4": "anden_boform", "5": "hospital_behandling",
                 "6": "faengsel", "7": "gaden", "8": "doed", "9": "ukendt"}
TAKST = {"8101": 1385, "8102": 1420, "8103": 1450, "8104": 1480, "8105": 1525}


def case(column: str, mapping: dict[str, object]) -> str:
    whens = " ".join(f"WHEN '{k}' THEN {v if isinstance(v, int) else repr(v)}" for k, v in mapping.items())
    return f"(CASE trim({column}) {whens} END)"


def day(column: str, fmt: str = "%d-%m-%Y") -> str:
    return f"TRY_CAST(TRY_STRPTIME(NULLIF(trim({column}), ''), '{fmt}') AS DATE)"


def number(column: str) -> str:
    return f"TRY_CAST(replace(replace(NULLIF(trim({column}), ''), '.', ''), ',', '.') AS DOUBLE)"


def yes_no(column: str) -> str:
    return f"(CASE trim({column}) WHEN 'Ja' THEN true WHEN 'Nej' THEN false END)"


def cpr(column: str) -> str:
    return f"replace(trim({column}), '-', '')"


def main(exports: Path, key_file: Path, out: Path) -> None:
    secret = bytes.fromhex(next(line.strip() for line in key_file.read_text().splitlines() if line.strip() and not line.startswith("#")))
    out.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    case_files = str(exports / "sagssystem" / "Borgerforloeb_*.csv")
    con.execute(f"CREATE TABLE sag AS SELECT * FROM read_csv('{case_files}', delim=';', skip=3, header=true, all_varchar=true)")
    con.execute(f"""CREATE TABLE borgere_cpr AS SELECT {cpr('"CPR-nummer"')} AS cpr, 'Haderslev' AS kommune,
        TRY_CAST("Alder ved visitation" AS INTEGER) AS alder,
        {case('"Indsats"', {"CTI – Critical Time Intervention": "CTI", "ICM – Intensive Case Management": "ICM", "ACT – Assertive Community Treatment": "ACT"})} AS metode,
        "Kontaktperson" AS medarbejder_id, {day('"Visiteret"')} AS visitationsdato, {day('"Forløb start"')} AS startdato,
        {day('"Forløb slut"')} AS slutdato, coalesce(trim("Samarbejdsmodel") = 'X', false) AS samarbejdsmodel FROM sag""")
    parts = []
    for group in GROUPS:
        c = lambda name: f'"{name} ({group})"'  # noqa: E731
        cells = [c(h) for h in ("Dato", "Boligsituation", "Job/uddannelse", "Forsørgelse", "UCLA-3", "WHO-5", "Bokompetence", "Økonomi",
                                "Stabil livsstil", "Mentale vanskeligheder", "Rusmiddelforbrug", "Rusmiddelbehandling", "Bostøtte § 85", "ORS", "SRS")]
        ints = ", ".join(f"TRY_CAST({c(h)} AS INTEGER) AS {n}" for h, n in (("UCLA-3", "ucla"), ("WHO-5", "who5"), ("Bokompetence", "bokompetence"),
                         ("Økonomi", "oekonomi"), ("Stabil livsstil", "stabil_livsstil"), ("Mentale vanskeligheder", "mentale_vanskeligheder"),
                         ("Rusmiddelforbrug", "rusmiddelforbrug")))
        parts.append(f"""SELECT {cpr('"CPR-nummer"')} AS cpr, {day(c('Dato'))} AS dato, '{MAALEPUNKT.get(group, 'under')}' AS maalepunkt,
            {case(c('Boligsituation'), BOLIG)} AS boligsituation, {yes_no(c('Job/uddannelse'))} AS beskaeftigelse_uddannelse,
            {case(c('Forsørgelse'), FORSOERGELSE)} AS forsoergelse, {ints}, {yes_no(c('Rusmiddelbehandling'))} AS rusmiddelbehandling,
            {yes_no(c('Bostøtte § 85'))} AS bostoette_sel85, {number(c('ORS'))} AS ors, {number(c('SRS'))} AS srs
            FROM sag WHERE {' OR '.join(f"NULLIF(trim({x}), '') IS NOT NULL" for x in cells)}""")
    con.execute(f"CREATE TABLE status_cpr AS {' UNION ALL '.join(parts)}")
    lease_files = str(exports / "sagssystem" / "Lejemaal_*.csv")
    con.execute(f"""CREATE TABLE bolig_cpr AS SELECT {cpr('"CPR-nummer"')} AS cpr, {day('"Indflytning"')} AS indflytningsdato,
        {day('"Fraflytning"')} AS fraflytningsdato, {case('"Årsag til fraflytning"', FRAFLYTNING)} AS fraflytningsaarsag
        FROM read_csv('{lease_files}', delim=';', header=true, all_varchar=true)""")
    sel110 = str(exports / "sel110" / "Indberetning_110_*.txt")
    con.execute(f"""CREATE TABLE herberg_cpr AS
        WITH r AS (SELECT *, row_number() OVER () AS seq FROM read_csv('{sel110}', delim=';', header=true, all_varchar=true,
                                                                         encoding='latin-1', filename=true)),
             t AS (SELECT {cpr('"CPR-nr."')} AS cpr, {day('"Indskrevet"', '%d%m%Y')} AS indskrivning, {day('"Udskrevet"', '%d%m%Y')} AS udskrivning,
                          {case('"Udskrevet til"', UDSKREVET_TIL)} AS udskrevet_til, {case('"Boform"', TAKST)} AS takst, filename, seq
                   FROM r WHERE TRY_CAST("Opholdstype" AS INTEGER) = 1 AND TRY_CAST("Handlekommune" AS INTEGER) = 510)
        SELECT cpr, indskrivning, udskrivning, date_diff('day', indskrivning, coalesce(udskrivning, DATE '2021-12-31')) AS doegn,
               date_diff('day', indskrivning, coalesce(udskrivning, DATE '2021-12-31')) * takst AS udgift, udskrevet_til,
               CAST(NULL AS DATE) AS handleplan_dato
        FROM t WHERE cpr IN (SELECT cpr FROM borgere_cpr)
        QUALIFY row_number() OVER (PARTITION BY cpr, indskrivning ORDER BY filename DESC, seq DESC) = 1""")
    tid = str(exports / "tid" / "Tidsregistrering_*.csv")
    con.execute(f"""CREATE TABLE tid_cpr AS
        WITH r AS (SELECT *, row_number() OVER () AS seq FROM read_csv('{tid}', delim=';', header=true, all_varchar=true,
                                                                         encoding='latin-1', filename=true)),
             w AS (SELECT {cpr('"CPR-nr."')} AS cpr, "Medarbejder" AS medarbejder, {day('"Uge (mandag)"')} AS uge,
                          {case('"Indsats"', {"CTI fase 1": "CTI", "CTI fase 2": "CTI", "CTI fase 3": "CTI", "ICM": "ICM", "ACT": "ACT"})} AS metode,
                          {case('"Indsats"', {"CTI fase 1": 1, "CTI fase 2": 2, "CTI fase 3": 3})} AS fase,
                          {number('"Planlagt tid (timer)"')} AS planlagt, {number('"Leveret tid (timer)"')} AS leveret,
                          {number('"Fagligt mål, forventet"')} AS maal_forventet, {number('"Fagligt mål, målt"')} AS maal_maalt
                   FROM r QUALIFY row_number() OVER (PARTITION BY "Medarbejder", "CPR-nr.", "Uge (mandag)" ORDER BY filename DESC, seq DESC) = 1)
        SELECT cpr, metode, date_trunc('month', uge)::DATE AS periode, fase, sum(planlagt) AS forventet_timer, sum(leveret) AS faktisk_timer,
               max(maal_forventet) AS forventet_maal, max(maal_maalt) AS faktisk_maal
        FROM w GROUP BY cpr, periode, metode, fase""")
    datasets = ("borgere", "status", "bolig", "herberg", "tid")
    values = [r[0] for r in con.execute(" UNION ".join(f"SELECT cpr FROM {d}_cpr" for d in datasets)).fetchall() if r[0] is not None]
    hashed = ["P" + hmac.digest(secret, v.encode(), "sha256").hex()[:15].upper() for v in values]
    con.execute("CREATE TABLE pseudonyms AS SELECT unnest(?::VARCHAR[]) AS cpr, unnest(?::VARCHAR[]) AS borger_id", [values, hashed])
    for d in datasets:
        columns = [c for (c,) in con.execute(f"SELECT column_name FROM information_schema.columns WHERE table_name = '{d}_cpr' "
                                             "AND column_name <> 'cpr' ORDER BY ordinal_position").fetchall()]
        con.execute(f"COPY (SELECT p.borger_id, {', '.join(f't.{c}' for c in columns)} FROM {d}_cpr t JOIN pseudonyms p USING (cpr)) "
                    f"TO '{out / (d + '.parquet')}' (FORMAT parquet)")
        print(d, con.execute(f"SELECT count(*) FROM read_parquet('{out / (d + '.parquet')}')").fetchone()[0])


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))
