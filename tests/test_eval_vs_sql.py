"""Independent check of `hfspec eval` against hand-written DuckDB SQL.

`hfspec eval` runs once over the national catalogue and the demo data. For every key figure in
the catalogue, a query written by hand from the figure's definition (title, description, filter,
measure, by, period and the catalogue's params) computes the same figures directly in DuckDB over
the same CSV files, and the two are compared group by group.

The queries are deliberately written the way an analyst would write them - joins to `borgere` for
`kommune`, `FILTER (WHERE ...)`, `count(DISTINCT ...)`, `avg`, date subtraction for day counts -
and not derived from anything hfspec prints or computes. Nothing from hfspec is imported except
the CLI entry point.

Each query returns the columns `period, <by columns...>, value, n` where

- `period` is the period label (`2021`, `2021-H1`, `2021-Q3`, `2021-07`) or NULL without a period;
- `value` follows the language's null rules: aggregates skip nulls; share(c) = rows where c is
  true / rows where c is not null (NULL when there are none); x / 0 is NULL;
- `n` is the number of rows in the group, or the number of distinct citizens when the indicator
  names `counting_unit: borger_id` (NULL for derived figures, whose `n` is not checked).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import duckdb
import pytest
import yaml
from click.testing import CliRunner

from hfspec.cli import main

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "catalog"
DATA = ROOT / "examples" / "demo" / "data"
TABLES = ["borgere", "status", "herberg", "bolig", "tid", "fogedsager", "boligmarked"]

# The catalogue's named constants, read straight from the YAML (not through hfspec).
PARAMS = yaml.safe_load((CATALOG / "catalogue.yaml").read_text(encoding="utf-8"))["params"]
REF_DATE = f"DATE '{PARAMS['reference_date']}'"

# Reusable SQL fragments.
ACTIVE = f"b.startdato <= {REF_DATE} AND (b.slutdato IS NULL OR b.slutdato > {REF_DATE})"
YEAR = "strftime({col}, '%Y')"
HALF = "(strftime({col}, '%Y') || '-H' || CASE WHEN month({col}) <= 6 THEN '1' ELSE '2' END)"
QUARTER = "(strftime({col}, '%Y') || '-Q' || quarter({col}))"


def _share(cond: str, where: str = "") -> str:
    """share(c): rows where c is true / rows where c is not null; NULL when no such rows."""
    extra = f" AND ({where})" if where else ""
    return (
        f"(count(*) FILTER (WHERE ({cond}){extra}))::DOUBLE"
        f" / NULLIF(count(*) FILTER (WHERE ({cond}) IS NOT NULL{extra}), 0)"
    )


def _status_by_point(cond_filter: str, measure: str) -> str:
    """A status figure by measurement point, counted in distinct citizens."""
    return f"""
        SELECT NULL AS period, s.maalepunkt, {measure} AS value, count(DISTINCT s.borger_id) AS n
        FROM status s
        WHERE {cond_filter}
        GROUP BY s.maalepunkt
    """


def _latest_per_citizen(column: str, cond: str, kommune: bool = False) -> str:
    """A share of citizens per measurement point, each citizen with their latest registration at
    the point that has `column` filled in (by date; a citizen has one registration per date and point)."""
    join = "JOIN borgere b ON b.borger_id = s.borger_id" if kommune else ""
    keys = "b.kommune, s.maalepunkt" if kommune else "s.maalepunkt"
    outer = "kommune, maalepunkt" if kommune else "maalepunkt"
    return f"""
        WITH latest AS (
            SELECT {keys}, s.borger_id, arg_max(s.{column}, s.dato) AS latest
            FROM status s {join} WHERE s.{column} IS NOT NULL
            GROUP BY {keys}, s.borger_id
        )
        SELECT NULL AS period, {outer}, avg(CASE WHEN {cond} THEN 1.0 ELSE 0.0 END) AS value, count(DISTINCT borger_id) AS n
        FROM latest GROUP BY {outer}
    """


def _housing_share(kind: str) -> str:
    return _latest_per_citizen("boligsituation", f"latest = '{kind}'")


def _retention(months: int) -> str:
    """Housing retention: the first tenancy starts the clock; D = its move-in + months (DuckDB's
    month interval keeps the day or takes the month's last); died before D is left out."""
    return f"""
        WITH ranked AS (
            SELECT borger_id, indflytningsdato, fraflytningsdato, fraflytningsaarsag,
                   row_number() OVER (PARTITION BY borger_id ORDER BY indflytningsdato) AS nr
            FROM bolig
        ), cohort AS (
            SELECT borger_id, CAST(indflytningsdato + INTERVAL {months} MONTH AS DATE) AS d
            FROM ranked
            WHERE nr = 1 AND indflytningsdato <= CAST({REF_DATE} - INTERVAL {months} MONTH AS DATE)
              AND NOT (coalesce(fraflytningsaarsag, '') = 'doed' AND fraflytningsdato < CAST(indflytningsdato + INTERVAL {months} MONTH AS DATE))
        )
        SELECT NULL AS period,
               avg(CASE WHEN EXISTS (SELECT 1 FROM bolig o WHERE o.borger_id = c.borger_id AND o.indflytningsdato <= c.d
                                                          AND (o.fraflytningsdato IS NULL OR o.fraflytningsdato > c.d))
                        THEN 1.0 ELSE 0.0 END) AS value,
               count(*) AS n
        FROM cohort c
    """


def _returns(days: int) -> str:
    """Back at a shelter within `days` after the first discharge to own home."""
    return f"""
        WITH first_exit AS (
            SELECT borger_id, min(udskrivning) AS ud FROM herberg WHERE udskrevet_til = 'egen_bolig' GROUP BY borger_id
        )
        SELECT NULL AS period,
               avg(CASE WHEN EXISTS (SELECT 1 FROM herberg h WHERE h.borger_id = f.borger_id
                                       AND h.indskrivning > f.ud AND h.indskrivning <= f.ud + {days})
                        THEN 1.0 ELSE 0.0 END) AS value,
               count(*) AS n
        FROM first_exit f WHERE f.ud <= {REF_DATE} - {days}
    """


def _who5_change(aggregate: str) -> str:
    """Per citizen the earliest before and the latest after WHO-5 score (raw x 4 is the index)."""
    return f"""
        WITH before AS (SELECT borger_id, arg_min(who5, dato) AS who5 FROM status
                        WHERE maalepunkt = 'foer' AND who5 IS NOT NULL GROUP BY borger_id),
             after AS (SELECT borger_id, arg_max(who5, dato) AS who5 FROM status
                       WHERE maalepunkt = 'efter' AND who5 IS NOT NULL GROUP BY borger_id)
        SELECT NULL AS period, {aggregate} AS value, count(*) AS n
        FROM before b JOIN after a USING (borger_id)
    """


def _nights_over_90(ref_date: str) -> str:
    """Citizens with more than 90 nights in a year: each night is a date d with admission <= d <
    discharge (open stays: d < the reference date). n: citizens with a stay in the year (a stay
    is in every year from its admission to its last night; one without nights in its admission year)."""
    return f"""
        WITH stays AS (
            SELECT borger_id, indskrivning AS s, coalesce(udskrivning, {ref_date}) AS e FROM herberg
        ), nights AS (
            SELECT borger_id, CAST(unnest(generate_series(s, e - INTERVAL 1 DAY, INTERVAL 1 DAY)) AS DATE) AS night
            FROM stays WHERE e > s
        ), per_year AS (
            SELECT borger_id, year(night) AS y, count(*) AS nights FROM nights GROUP BY borger_id, year(night)
        ), present AS (
            SELECT DISTINCT borger_id, unnest(generate_series(year(s), CASE WHEN e > s THEN year(e - 1) ELSE year(s) END)) AS y
            FROM stays
        )
        SELECT CAST(p.y AS VARCHAR) AS period, count(*) FILTER (WHERE coalesce(n.nights, 0) > 90) AS value, count(*) AS n
        FROM present p LEFT JOIN per_year n ON n.borger_id = p.borger_id AND n.y = p.y
        GROUP BY p.y
    """


def _refunded_share(ref_date: str) -> str:
    """Of all shelter nights in a year, the share within the first 90 per citizen and year: per
    citizen-year least(nights, 90), summed, over all nights summed (nights and n as in HF-E-10)."""
    return f"""
        WITH stays AS (
            SELECT borger_id, indskrivning AS s, coalesce(udskrivning, {ref_date}) AS e FROM herberg
        ), nights AS (
            SELECT borger_id, CAST(unnest(generate_series(s, e - INTERVAL 1 DAY, INTERVAL 1 DAY)) AS DATE) AS night
            FROM stays WHERE e > s
        ), per_year AS (
            SELECT borger_id, year(night) AS y, count(*) AS nights FROM nights GROUP BY borger_id, year(night)
        ), present AS (
            SELECT DISTINCT borger_id, unnest(generate_series(year(s), CASE WHEN e > s THEN year(e - 1) ELSE year(s) END)) AS y
            FROM stays
        )
        SELECT CAST(p.y AS VARCHAR) AS period,
               sum(least(coalesce(n.nights, 0), 90))::DOUBLE / NULLIF(sum(coalesce(n.nights, 0)), 0) AS value, count(*) AS n
        FROM present p LEFT JOIN per_year n ON n.borger_id = p.borger_id AND n.y = p.y
        GROUP BY p.y
    """


def _handleplan(ref_date: str) -> str:
    return f"""
        SELECT NULL AS period,
               (count(*) FILTER (WHERE handleplan_dato <= indskrivning + 30))::DOUBLE / NULLIF(count(*), 0) AS value,
               count(*) AS n
        FROM herberg
        WHERE indskrivning >= DATE '2023-10-01' AND indskrivning <= {ref_date} - 30
    """


def _income_share(kind: str) -> str:
    return _status_by_point("s.forsoergelse IS NOT NULL", _share(f"s.forsoergelse = '{kind}'"))


def _likert_count(col: str, cond: str) -> str:
    return _status_by_point(f"s.{col} IS NOT NULL", f"count(DISTINCT s.borger_id) FILTER (WHERE {cond})")


# HF-P-01 per municipality, reused by the derived figures.
_REFERRED_PER_KOMMUNE = "SELECT kommune, count(DISTINCT borger_id) AS citizens FROM borgere GROUP BY kommune"


def _per_referred_citizen(numerator_sql: str) -> str:
    """A derived figure: a herberg total per municipality / referred citizens per municipality."""
    return f"""
        WITH num AS ({numerator_sql}), den AS ({_REFERRED_PER_KOMMUNE})
        SELECT NULL AS period, coalesce(num.kommune, den.kommune) AS kommune,
               num.total::DOUBLE / NULLIF(den.citizens, 0) AS value, NULL AS n
        FROM num FULL OUTER JOIN den ON num.kommune = den.kommune
    """


# id -> (by columns, period, SQL returning period, by..., value, n)
CASES: dict[str, tuple[list[str], str | None, str]] = {
    # ---------------------------------------------------------------- economy
    "HF-E-01": ([], "year", f"""
        SELECT {YEAR.format(col='t.periode')} AS period,
               avg(t.faktisk_timer) AS value, count(DISTINCT t.borger_id) AS n
        FROM tid t WHERE t.metode = 'ICM'
        GROUP BY 1
    """),
    "HF-E-02": (["fase"], None, """
        SELECT NULL AS period, t.fase,
               sum(t.faktisk_timer)
                 / NULLIF(count(DISTINCT t.borger_id) FILTER (WHERE t.faktisk_timer IS NOT NULL), 0) AS value,
               count(DISTINCT t.borger_id) AS n
        FROM tid t WHERE t.metode = 'CTI' AND t.fase IS NOT NULL
        GROUP BY t.fase
    """),
    "HF-E-03": (["metode"], None, """
        SELECT NULL AS period, t.metode,
               sum(t.faktisk_timer)
                 / NULLIF(sum(t.forventet_timer) FILTER (WHERE t.faktisk_timer IS NOT NULL), 0) AS value,
               count(DISTINCT t.borger_id) AS n
        FROM tid t
        GROUP BY t.metode
    """),
    "HF-E-04": (["kommune"], None, """
        SELECT NULL AS period, b.kommune, sum(h.udgift) AS value, count(DISTINCT h.borger_id) AS n
        FROM herberg h JOIN borgere b ON b.borger_id = h.borger_id
        GROUP BY b.kommune
    """),
    "HF-E-05": (["kommune"], None, _per_referred_citizen("""
        SELECT b.kommune, sum(h.udgift) AS total
        FROM herberg h JOIN borgere b ON b.borger_id = h.borger_id GROUP BY b.kommune
    """)),
    "HF-E-06": ([], "year", f"""
        SELECT {YEAR.format(col='h.indskrivning')} AS period,
               sum(h.doegn) * {PARAMS['pris_herbergsdoegn']} AS value, count(DISTINCT h.borger_id) AS n
        FROM herberg h
        GROUP BY 1
    """),
    "HF-E-10": ([], "year", _nights_over_90(REF_DATE)),
    "HF-E-11": ([], "year", _refunded_share(REF_DATE)),
    "HF-E-07": (["metode"], "year", f"""
        SELECT {YEAR.format(col='t.periode')} AS period, t.metode,
               sum(t.faktisk_timer) * {PARAMS['timepris_bostoette']} AS value,
               count(DISTINCT t.borger_id) AS n
        FROM tid t
        GROUP BY 1, t.metode
    """),
    # ---------------------------------------------------------------- outcome
    "HF-O-01": (["kommune", "maalepunkt"], None, _latest_per_citizen("boligsituation", "latest = 'egen_bolig'", kommune=True)),
    "HF-O-02": (["maalepunkt"], None, _housing_share("anbragt")),
    "HF-O-03": (["maalepunkt"], None, _housing_share("uden_egen_bolig")),
    "HF-O-04": (["maalepunkt"], None, _housing_share("egen_midlertidig_bolig")),
    "HF-O-05": (["maalepunkt"], None, _housing_share("bolig_efter_serviceloven")),
    "HF-O-06": (["kommune"], None, """
        SELECT NULL AS period, b.kommune, sum(h.doegn) AS value, count(DISTINCT h.borger_id) AS n
        FROM herberg h JOIN borgere b ON b.borger_id = h.borger_id
        GROUP BY b.kommune
    """),
    "HF-O-07": (["kommune"], None, _per_referred_citizen("""
        SELECT b.kommune, sum(h.doegn) AS total
        FROM herberg h JOIN borgere b ON b.borger_id = h.borger_id GROUP BY b.kommune
    """)),
    # WHO-5 index = raw x 4; 50 or less is poor wellbeing.
    "HF-O-08": (["maalepunkt"], None, _likert_count("who5", "s.who5 * 4 <= 50")),
    "HF-O-09": (["maalepunkt"], None, _latest_per_citizen("who5", "latest * 4 <= 50")),
    "HF-O-10": (["maalepunkt"], None, _likert_count("bostoette_sel85", "s.bostoette_sel85")),
    "HF-O-11": (["maalepunkt"], None, _likert_count("ucla", "s.ucla >= 6")),
    "HF-O-12": (["maalepunkt"], None, _status_by_point(
        "s.beskaeftigelse_uddannelse IS NOT NULL", _share("s.beskaeftigelse_uddannelse"))),
    "HF-O-13": (["maalepunkt"], None, _income_share("loen")),
    "HF-O-14": (["maalepunkt"], None, _income_share("ydelse")),
    "HF-O-15": (["maalepunkt"], None, _income_share("su")),
    "HF-O-16": (["maalepunkt"], None, _income_share("andet")),
    "HF-O-17": (["maalepunkt"], None, _likert_count("bokompetence", "s.bokompetence >= 4")),
    "HF-O-18": (["maalepunkt"], None, _likert_count("oekonomi", "s.oekonomi >= 4")),
    "HF-O-19": (["maalepunkt"], None, _likert_count("stabil_livsstil", "s.stabil_livsstil >= 4")),
    "HF-O-20": (["maalepunkt"], None, _likert_count("mentale_vanskeligheder", "s.mentale_vanskeligheder >= 4")),
    "HF-O-21": (["maalepunkt"], None, _likert_count("mentale_vanskeligheder", "s.mentale_vanskeligheder = 5")),
    "HF-O-22": (["maalepunkt"], None, _likert_count("rusmiddelforbrug", "s.rusmiddelforbrug >= 4")),
    "HF-O-23": (["maalepunkt"], None, _likert_count("rusmiddelbehandling", "s.rusmiddelbehandling")),
    "HF-O-24": ([], "year", f"""
        SELECT {YEAR.format(col='f.dato')} AS period,
               count(*) FILTER (WHERE f.afvaerget) AS value, count(DISTINCT f.borger_id) AS n
        FROM fogedsager f
        GROUP BY 1
    """),
    "HF-O-25": (["maalepunkt"], None, _status_by_point("s.ors IS NOT NULL", _share("s.ors < 25"))),
    "HF-O-30": ([], None, _retention(6)),
    "HF-O-31": ([], None, _retention(12)),
    "HF-O-32": ([], None, _retention(24)),
    "HF-O-33": ([], None, _returns(180)),
    "HF-O-34": ([], None, _returns(365)),
    "HF-O-35": ([], None, _returns(730)),
    "HF-O-36": ([], None, _who5_change("avg((a.who5 - b.who5) * 4)")),
    "HF-O-37": ([], None, _who5_change("avg(CASE WHEN (a.who5 - b.who5) * 4 >= 10 THEN 1.0 ELSE 0.0 END)")),
    "HF-O-38": (["metode"], "year", f"""
        WITH ranked AS (
            SELECT borger_id, indflytningsdato, fraflytningsdato, fraflytningsaarsag,
                   row_number() OVER (PARTITION BY borger_id ORDER BY indflytningsdato) AS nr
            FROM bolig
        ), cohort AS (
            SELECT borger_id, indflytningsdato AS start, CAST(indflytningsdato + INTERVAL 12 MONTH AS DATE) AS d
            FROM ranked
            WHERE nr = 1 AND indflytningsdato <= CAST({REF_DATE} - INTERVAL 12 MONTH AS DATE)
              AND NOT (coalesce(fraflytningsaarsag, '') = 'doed' AND fraflytningsdato < CAST(indflytningsdato + INTERVAL 12 MONTH AS DATE))
        )
        SELECT {YEAR.format(col='c.start')} AS period, b.metode,
               avg(CASE WHEN EXISTS (SELECT 1 FROM bolig o WHERE o.borger_id = c.borger_id AND o.indflytningsdato <= c.d
                                                          AND (o.fraflytningsdato IS NULL OR o.fraflytningsdato > c.d))
                        THEN 1.0 ELSE 0.0 END) AS value,
               count(*) AS n
        FROM cohort c JOIN borgere b ON b.borger_id = c.borger_id
        GROUP BY 1, b.metode
    """),
    "HF-O-39": (["aldersgruppe"], None, f"""
        SELECT NULL AS period,
               CASE WHEN b.alder < 25 THEN '16-24' WHEN b.alder < 30 THEN '25-29' ELSE '30+' END AS aldersgruppe,
               avg(CASE WHEN EXISTS (SELECT 1 FROM herberg h2 WHERE h2.borger_id = h.borger_id
                                       AND h2.indskrivning > h.udskrivning AND h2.indskrivning <= h.udskrivning + 180)
                        THEN 1.0 ELSE 0.0 END) AS value,
               count(*) AS n
        FROM herberg h JOIN borgere b ON b.borger_id = h.borger_id
        WHERE h.udskrevet_til = 'egen_bolig' AND h.udskrivning <= {REF_DATE} - 180
        GROUP BY 2
    """),
    # ---------------------------------------------------------------- process
    "HF-P-01": (["kommune"], None, """
        SELECT NULL AS period, b.kommune, count(DISTINCT b.borger_id) AS value, count(DISTINCT b.borger_id) AS n
        FROM borgere b
        GROUP BY b.kommune
    """),
    "HF-P-02": (["metode"], None, f"""
        SELECT NULL AS period, b.metode, count(DISTINCT b.borger_id) AS value, count(DISTINCT b.borger_id) AS n
        FROM borgere b WHERE {ACTIVE}
        GROUP BY b.metode
    """),
    "HF-P-03": ([], None, f"""
        SELECT NULL AS period,
               count(DISTINCT b.borger_id) FILTER (WHERE b.samarbejdsmodel) AS value,
               count(DISTINCT b.borger_id) AS n
        FROM borgere b WHERE {ACTIVE}
    """),
    "HF-P-04": (["metode"], None, f"""
        SELECT NULL AS period, b.metode, {_share("b.samarbejdsmodel")} AS value, count(DISTINCT b.borger_id) AS n
        FROM borgere b WHERE {ACTIVE}
        GROUP BY b.metode
    """),
    "HF-P-05": (["maalepunkt"], None, _likert_count("ors", "s.ors >= 25")),
    "HF-P-06": (["maalepunkt"], None, _status_by_point("s.srs IS NOT NULL", _share("s.srs <= 36"))),
    # in a home of their own within 90 days of referral, by referral year; those still waiting count as not
    "HF-P-07": ([], "year", f"""
        SELECT {YEAR.format(col='b.visitationsdato')} AS period,
               avg(CASE WHEN EXISTS (SELECT 1 FROM bolig o WHERE o.borger_id = b.borger_id
                                       AND o.indflytningsdato <= b.visitationsdato + {PARAMS['housed_within_days']})
                        THEN 1.0 ELSE 0.0 END) AS value,
               count(DISTINCT b.borger_id) AS n
        FROM borgere b WHERE b.visitationsdato <= {REF_DATE} - {PARAMS['housed_within_days']}
        GROUP BY 1
    """),
    "HF-P-08": (["metode"], None, """
        SELECT NULL AS period, b.metode, avg(b.startdato - b.visitationsdato) AS value,
               count(DISTINCT b.borger_id) AS n
        FROM borgere b
        GROUP BY b.metode
    """),
    "HF-P-09": (["metode"], None, """
        SELECT NULL AS period, b.metode, avg(b.slutdato - b.startdato) AS value,
               count(DISTINCT b.borger_id) AS n
        FROM borgere b WHERE b.slutdato IS NOT NULL
        GROUP BY b.metode
    """),
    "HF-P-10": ([], None, f"""
        SELECT NULL AS period,
               {_share(f"b.slutdato - b.startdato <= {PARAMS['cti_max_dage']}")} AS value,
               count(DISTINCT b.borger_id) AS n
        FROM borgere b WHERE b.metode = 'CTI' AND b.slutdato IS NOT NULL
    """),
    # Whole calendar months from start to the reference date: month difference, minus one when
    # the day of month of the reference date has not reached the start's day.
    "HF-P-11": ([], None, f"""
        SELECT NULL AS period,
               {_share(f'''datediff('month', b.startdato, {REF_DATE})
                          - CASE WHEN day({REF_DATE}) < day(b.startdato) THEN 1 ELSE 0 END
                          >= {PARAMS['cti_max_months']}''')} AS value,
               count(DISTINCT b.borger_id) AS n
        FROM borgere b WHERE b.metode = 'CTI' AND {ACTIVE}
    """),
    "HF-P-12": ([], None, f"""
        SELECT NULL AS period,
               count(DISTINCT b.borger_id)::DOUBLE / NULLIF(count(DISTINCT b.medarbejder_id), 0) AS value,
               count(DISTINCT b.borger_id) AS n
        FROM borgere b WHERE b.metode = 'CTI' AND {ACTIVE}
    """),
    "HF-P-13": (["metode"], None, f"""
        SELECT NULL AS period, b.metode,
               count(DISTINCT b.borger_id)::DOUBLE / NULLIF(count(DISTINCT b.medarbejder_id), 0) AS value,
               count(DISTINCT b.borger_id) AS n
        FROM borgere b WHERE b.metode IN ('ICM', 'ACT') AND {ACTIVE}
        GROUP BY b.metode
    """),
    "HF-P-14": ([], None, """
        SELECT NULL AS period,
               avg(CASE WHEN EXISTS (SELECT 1 FROM status s WHERE s.borger_id = b.borger_id AND s.maalepunkt = 'efter')
                        THEN 1.0 ELSE 0.0 END) AS value,
               count(DISTINCT b.borger_id) AS n
        FROM borgere b WHERE b.slutdato IS NOT NULL
    """),
    "HF-P-21": ([], None, _handleplan(REF_DATE)),
    "HF-P-15": (["metode"], None, f"""
        SELECT NULL AS period, t.metode, {_share("t.faktisk_maal >= t.forventet_maal")} AS value,
               count(DISTINCT t.borger_id) AS n
        FROM tid t WHERE t.faktisk_maal IS NOT NULL AND t.forventet_maal IS NOT NULL
        GROUP BY t.metode
    """),
    # ---------------------------------------------------------------- structure (no counting unit: n = rows)
    "HF-S-01": (["kommune"], "half", f"""
        SELECT {HALF.format(col='m.dato')} AS period, m.kommune, avg(m.ventetid_bolig_dage) AS value, count(*) AS n
        FROM boligmarked m
        GROUP BY 1, m.kommune
    """),
    "HF-S-02": (["kommune"], "half", f"""
        SELECT {HALF.format(col='m.dato')} AS period, m.kommune, avg(m.ventetid_anvisning_dage) AS value, count(*) AS n
        FROM boligmarked m
        GROUP BY 1, m.kommune
    """),
    "HF-S-03": (["kommune", "prisinterval", "stoerrelse"], "quarter", f"""
        SELECT {QUARTER.format(col='m.dato')} AS period, m.kommune, m.prisinterval, m.stoerrelse,
               sum(m.ledige_boliger)::DOUBLE / NULLIF(count(DISTINCT m.dato), 0) AS value, count(*) AS n
        FROM boligmarked m
        GROUP BY 1, m.kommune, m.prisinterval, m.stoerrelse
    """),
    "HF-S-04": (["kommune"], "quarter", f"""
        SELECT {QUARTER.format(col='m.dato')} AS period, m.kommune,
               (sum(m.ledige_boliger) FILTER (WHERE m.prisinterval = 'under_4000'))::DOUBLE
                 / NULLIF(count(DISTINCT m.dato), 0) AS value,
               count(*) AS n
        FROM boligmarked m
        GROUP BY 1, m.kommune
    """),
    "HF-S-05": (["kommune"], "half", f"""
        SELECT {HALF.format(col='m.dato')} AS period, m.kommune,
               avg(m.ventetid_bolig_dage - m.ventetid_anvisning_dage) AS value, count(*) AS n
        FROM boligmarked m
        GROUP BY 1, m.kommune
    """),
}

# Real disagreements between hfspec and the definitions: id -> reason (strict xfail).
FINDINGS: dict[str, str] = {}


def _catalogue_ids() -> set[str]:
    ids = set()
    for path in CATALOG.glob("*/*.yaml"):
        for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            if isinstance(doc, dict) and doc.get("kind") == "Indicator":
                ids.add(doc["id"])
    return ids


@pytest.fixture(scope="module")
def evaluated() -> dict[str, dict]:
    result = CliRunner().invoke(
        main, ["eval", str(CATALOG), str(DATA), "--format", "json", "--suppress-below", "0", "--not-for-publication"]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    return {ind["id"]: ind for ind in doc["indicators"]}


@pytest.fixture(scope="module")
def db():
    con = duckdb.connect()
    for table in TABLES:
        path = str(DATA / f"{table}.csv").replace("'", "''")
        con.execute(f"CREATE TABLE {table} AS SELECT * FROM read_csv_auto('{path}')")
    yield con
    con.close()


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=0.0)


def _expected(db, by: list[str], sql: str) -> dict[tuple, tuple]:
    rows = db.execute(sql).fetchall()
    out: dict[tuple, tuple] = {}
    for row in rows:
        assert len(row) == len(by) + 3, "reference query must return period, by..., value, n"
        period, *keys, value, n = row
        key = (period, *keys)
        assert key not in out, f"reference query yields key {key} twice"
        out[key] = (value, n)
    return out


def _actual(indicator: dict, by: list[str]) -> dict[tuple, tuple]:
    out: dict[tuple, tuple] = {}
    for row in indicator["rows"]:
        assert not row["suppressed"], "suppression is off (--suppress-below 0)"
        key = (row["period"], *(row["by"][c] for c in by))
        assert key not in out, f"hfspec yields key {key} twice"
        out[key] = (row["value"], row["n"])
    return out


def test_every_catalogue_figure_has_a_reference_query(evaluated):
    ids = _catalogue_ids()
    assert len(ids) == 65
    assert set(CASES) == ids
    assert set(evaluated) == ids


def _params():
    for fid in sorted(CASES):
        if fid in FINDINGS:
            yield pytest.param(fid, marks=pytest.mark.xfail(strict=True, reason=FINDINGS[fid]), id=fid)
        else:
            yield pytest.param(fid, id=fid)


@pytest.mark.parametrize("fid", list(_params()))
def test_value_matches_hand_written_sql(fid, evaluated, db):
    by, period, sql = CASES[fid]
    indicator = evaluated[fid]
    assert indicator["by"] == by
    assert indicator["period"] == period
    expected = _expected(db, by, sql)
    actual = _actual(indicator, by)
    assert expected, f"{fid}: the reference query found no groups"
    assert set(actual) == set(expected), (
        f"{fid}: group keys differ; only hfspec: {sorted(set(actual) - set(expected), key=str)}; "
        f"only SQL: {sorted(set(expected) - set(actual), key=str)}"
    )
    wrong = {k: (actual[k][0], expected[k][0]) for k in expected if not _same(actual[k][0], expected[k][0])}
    assert not wrong, f"{fid}: values differ (hfspec, SQL): {wrong}"


# `n` is checked on a spread of figures: counted in distinct citizens (counting_unit: borger_id)
# over status, borgere, tid, herberg and fogedsager, with and without a filter and a period, and
# in rows for the structure figures that name no counting unit.
N_CHECKED = ["HF-E-01", "HF-E-02", "HF-E-04", "HF-O-01", "HF-O-08", "HF-O-24", "HF-P-04",
             "HF-P-07", "HF-P-11", "HF-P-14", "HF-P-15", "HF-S-01", "HF-S-03", "HF-S-04"]


@pytest.mark.parametrize("fid", N_CHECKED)
def test_n_matches_hand_written_sql(fid, evaluated, db):
    by, _period, sql = CASES[fid]
    expected = _expected(db, by, sql)
    actual = _actual(evaluated[fid], by)
    assert set(actual) == set(expected)
    wrong = {k: (actual[k][1], expected[k][1]) for k in expected if actual[k][1] != expected[k][1]}
    assert not wrong, f"{fid}: n differs (hfspec, SQL): {wrong}"


# The demo data ends on 2021-12-31, before the homelessness reform (1 October 2023) that HF-P-21
# is about, so on it HF-P-21 has no stays. Here the shelter stays are moved three years on
# (1,096 days, so weekdays and the leap day stay put) and both sides use the reference date
# 2024-12-31, which gives HF-P-21 (and HF-E-10 and HF-E-11, over New Year and the leap year) real groups.
SHIFT_DAYS = 1096
SHIFTED_REF = "DATE '2024-12-31'"


@pytest.fixture(scope="module")
def shifted(tmp_path_factory):
    folder = tmp_path_factory.mktemp("shifted")
    con = duckdb.connect()
    for table in TABLES:
        source = str(DATA / f"{table}.csv").replace("'", "''")
        target = str(folder / f"{table}.csv").replace("'", "''")
        select = "*"
        if table == "herberg":
            select = ("* REPLACE (indskrivning + {d} AS indskrivning, udskrivning + {d} AS udskrivning, "
                      "handleplan_dato + {d} AS handleplan_dato)").format(d=SHIFT_DAYS)
        con.execute(f"COPY (SELECT {select} FROM read_csv_auto('{source}')) TO '{target}' (HEADER, DELIMITER ',')")
    result = CliRunner().invoke(main, ["eval", str(CATALOG), str(folder), "-i", "HF-P-21", "-i", "HF-E-10", "-i", "HF-E-11", "--reference-date", "2024-12-31",
                                       "--format", "json", "--suppress-below", "0", "--not-for-publication"])
    assert result.exit_code == 0, result.output
    for table in ("herberg", "borgere"):
        con.execute(f"CREATE TABLE {table} AS SELECT * FROM read_csv_auto('{folder / (table + '.csv')}')")
    yield {ind["id"]: ind for ind in json.loads(result.stdout)["indicators"]}, con
    con.close()


@pytest.mark.parametrize("fid, sql", [("HF-P-21", _handleplan(SHIFTED_REF)), ("HF-E-10", _nights_over_90(SHIFTED_REF)),
                                      ("HF-E-11", _refunded_share(SHIFTED_REF))])
def test_value_matches_hand_written_sql_after_the_reform(fid, sql, shifted):
    evaluated, con = shifted
    by = CASES[fid][0]
    expected = _expected(con, by, sql)
    actual = _actual(evaluated[fid], by)
    assert set(actual) == set(expected)
    assert all(n for _, n in expected.values()), "the shifted data has stays after the reform"
    wrong = {k: (actual[k], expected[k]) for k in expected if not (_same(actual[k][0], expected[k][0]) and actual[k][1] == expected[k][1])}
    assert not wrong, f"{fid}: values differ (hfspec, SQL): {wrong}"


#: Key figures whose `n` is a cohort (citizens, or stays for HF-P-21 and discharges for HF-O-39)
#: that disclosure control must see: n is checked against the hand-written SQL too.
COHORTS = ["HF-E-10", "HF-E-11", "HF-O-30", "HF-O-31", "HF-O-32", "HF-O-33", "HF-O-34", "HF-O-35", "HF-O-36", "HF-O-37", "HF-O-38", "HF-O-39",
           "HF-P-07", "HF-P-14", "HF-P-21", "HF-O-01", "HF-O-09"]


@pytest.mark.parametrize("fid", COHORTS)
def test_n_is_the_cohort(fid, evaluated, db):
    by, _, sql = CASES[fid]
    expected = _expected(db, by, sql)
    actual = _actual(evaluated[fid], by)
    wrong = {k: (actual[k][1], expected[k][1]) for k in expected if actual[k][1] != expected[k][1]}
    assert not wrong, f"{fid}: n differs (hfspec, SQL): {wrong}"
