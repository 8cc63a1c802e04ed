"""Loaded tables → derived tables that hfspec computes from them, in DuckDB SQL.

A derived dataset has a Dataset spec like any other (its contract: columns, key, time), but no
file: hfspec computes it from datasets that are read from files. Rules and key figures can then
use it in the expression language. There is one today:

`dbl_maaned` (specs/dbl/dbl_maaned.yaml), the double bottom line month by month: one row per
citizen per month, from the citizen's first month in `tid` to the end of the course (or the
reference date), months missing from `tid` filled in with empty time, plus the planned months
after the reference date. It adds running sums of expected and actual hours, both as a share of
the **plan** (the sum of expected hours over all the citizen's months, future ones included),
the actual goal (from `tid`, else the month's latest `status` measurement on the chosen
instrument), and run lengths: goal registrations running below the expected curve, months
running without a goal registration. The double bottom line (hfspec/dbl/) groups it into the
steps of its chart; the signal rules (specs/dbl/signaler.yaml) read it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from hfspec.diagnostics import Diagnostic, HfspecError, Message, did_you_mean_then
from hfspec.lang.sql import literal, quote_ident
from hfspec.messages import Codes
from hfspec.resources import shipped
from hfspec.spec.project import Project
from hfspec.words import INSTRUMENT_TITLES

#: The derived dataset and the datasets it is computed from.
DBL_DATASET = "dbl_maaned"
DERIVED: dict[str, tuple[str, ...]] = {DBL_DATASET: ("tid", "borgere", "status")}
#: Sources that may be missing: without `status`, the actual goal comes from `tid` alone.
OPTIONAL_SOURCES = frozenset({"status"})


def spec_files() -> list[Path]:
    """The Dataset specs of the derived datasets (hfspec's contract, loaded into every session)."""
    return [shipped("specs") / "dbl" / f"{DBL_DATASET}.yaml"]


def source_datasets(name: str, available: Callable[[str], bool], needed_by_rules: list[str]) -> list[str]:
    """The datasets to load for the derived dataset `name` (optional ones only when `available`
    says they have a source: a file, or a mapping)."""
    return [d for d in DERIVED[name] if d not in OPTIONAL_SOURCES or d in needed_by_rules or available(d)]
#: CTI phases are 3 months long (the seed: 3 phases of 3 months); used only when `fase` is empty.
CTI_PHASE_MONTHS = 3
CTI_PHASES = 3


@dataclass(frozen=True)
class Instrument:
    """The professional goal's measuring instrument: its `status` column and its scale."""

    id: str
    column: str
    low: int
    high: int
    title: dict[str, str]


#: The instruments the seed names for the professional goal (fagligt mål).
INSTRUMENTS = {
    "who5": Instrument("who5", "who5", 0, 25, {lang: INSTRUMENT_TITLES[lang]["who5"] for lang in INSTRUMENT_TITLES}),
    "ors": Instrument("ors", "ors", 0, 40, {lang: INSTRUMENT_TITLES[lang]["ors"] for lang in INSTRUMENT_TITLES}),
}
DEFAULT_INSTRUMENT = "who5"


@dataclass(frozen=True)
class DblSettings:
    reference_date: dt.date
    instrument: Instrument


def _param_span(project: Project, name: str):
    for cat in project.catalogues.values():
        if name in cat.params and "params" in cat.locs:
            return cat.locs["params"].child(name).span
    return None


def settings(project: Project) -> DblSettings:
    """The reference date and the goal instrument from the catalogue params (HF608 when unusable)."""
    problems = []
    raw_ref = project.params.get("reference_date")
    reference = None
    try:
        reference = dt.date.fromisoformat(str(raw_ref)) if raw_ref is not None else None
    except ValueError:
        pass
    if reference is None:
        problems.append(Diagnostic("HF608", Message("engine.dbl_reference_date"), _param_span(project, "reference_date"),
                                   hint=Message("engine.dbl_reference_date_hint")))
    name = str(project.params.get("dbl_instrument", DEFAULT_INSTRUMENT)).lower()
    instrument = INSTRUMENTS.get(name)
    if instrument is None:
        problems.append(Diagnostic("HF608", Message("engine.dbl_instrument", name=name), _param_span(project, "dbl_instrument"),
                                   hint=did_you_mean_then(name, INSTRUMENTS, Message("engine.dbl_instrument_hint", names=Codes(INSTRUMENTS)))))
    if problems:
        raise HfspecError(problems)
    return DblSettings(reference, instrument)


def table_sql(reference: dt.date, instrument: Instrument, with_status: bool, first_days: bool = False, citizens: str | None = None) -> str:
    """The SELECT that computes `dbl_maaned` from the tables `tid`, `borgere` (and `status`).

    `first_days`: every `tid.periode` is the first day of its month, as the data contract asks. Then
    `tid`'s key (borger_id, periode) already gives one row per citizen and month, and the months are
    taken as they are instead of being grouped (the same table; on 100,000 citizens the grouping is
    a fifth of the query's time).

    `citizens`: a condition on `borgere` (as `b`) that picks the citizens to compute: their rows are
    exactly their rows of the whole table (every window is per citizen). The management report
    needs the active citizens only (`ACTIVE`)."""
    ref = literal(reference)
    col = quote_ident(instrument.column)
    only = f" WHERE borger_id IN (SELECT b.borger_id FROM borgere b WHERE {citizens})" if citizens else ""
    status = (f"st AS (SELECT borger_id, CAST(date_trunc('month', dato) AS DATE) AS periode, arg_max({col}, dato) AS maal "
              f"FROM status WHERE {col} IS NOT NULL{only.replace(' WHERE', ' AND', 1)} GROUP BY ALL)") if with_status else \
        "st AS (SELECT NULL::VARCHAR AS borger_id, NULL::DATE AS periode, NULL::DOUBLE AS maal WHERE FALSE)"
    running = "PARTITION BY borger_id ORDER BY periode ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW"
    months_of_tid = f"""
  SELECT borger_id, periode, metode, fase, forventet_timer, faktisk_timer, forventet_maal, faktisk_maal
  FROM tid{only}""" if first_days else f"""
  SELECT borger_id, CAST(date_trunc('month', periode) AS DATE) AS periode,
         arg_max(metode, periode) AS metode, max(fase) AS fase,
         sum(forventet_timer) AS forventet_timer, sum(faktisk_timer) AS faktisk_timer,
         arg_max(forventet_maal, periode) FILTER (WHERE forventet_maal IS NOT NULL) AS forventet_maal,
         arg_max(faktisk_maal, periode) FILTER (WHERE faktisk_maal IS NOT NULL) AS faktisk_maal
  FROM tid{only} GROUP BY 1, 2"""
    return f"""
WITH t AS ({months_of_tid}
),
span AS (
  SELECT t.borger_id, min(t.periode) AS first_month,
         CAST(date_trunc('month', least(coalesce(any_value(b.slutdato), {ref}), {ref})) AS DATE) AS last_month
  FROM t JOIN borgere b ON b.borger_id = t.borger_id GROUP BY t.borger_id
),
cal AS (
  SELECT borger_id, CAST(unnest(generate_series(first_month, last_month, INTERVAL 1 MONTH)) AS DATE) AS periode
  FROM span WHERE first_month <= last_month
),
months AS (
  SELECT coalesce(t.borger_id, cal.borger_id) AS borger_id, coalesce(t.periode, cal.periode) AS periode,
         t.metode AS t_metode, t.fase AS t_fase, t.forventet_timer, t.faktisk_timer, t.forventet_maal,
         t.faktisk_maal AS t_maal, t.borger_id IS NOT NULL AS i_tid
  FROM t FULL OUTER JOIN cal ON t.borger_id = cal.borger_id AND t.periode = cal.periode
),
{status},
m AS (
  SELECT months.borger_id, months.periode, coalesce(months.t_metode, b.metode) AS metode,
         (year(months.periode) - year(b.startdato)) * 12 + month(months.periode) - month(b.startdato) + 1 AS kursusmaaned,
         months.t_fase, months.forventet_timer, months.faktisk_timer, months.forventet_maal,
         coalesce(months.t_maal, st.maal) AS faktisk_maal,
         CASE WHEN months.t_maal IS NOT NULL THEN 'tid' WHEN st.maal IS NOT NULL THEN 'status' END AS maal_kilde,
         months.i_tid, last_day(months.periode) <= {ref} AS afsluttet, months.periode <= {ref} AS naaet
  FROM months JOIN borgere b ON b.borger_id = months.borger_id
  LEFT JOIN st ON st.borger_id = months.borger_id AND st.periode = months.periode
),
f AS (
  SELECT *,
         CASE WHEN metode = 'CTI' THEN coalesce(t_fase, least({CTI_PHASES}, greatest(1, (kursusmaaned - 1) // {CTI_PHASE_MONTHS} + 1))) END AS fase,
         date_diff('month', min(periode) OVER (PARTITION BY borger_id), periode) + 1 AS maaned_nr,
         sum(forventet_timer) OVER (PARTITION BY borger_id) AS plan_timer,
         sum(forventet_timer) OVER ({running}) AS akk_forventet_timer,
         CASE WHEN naaet THEN sum(faktisk_timer) OVER ({running}) END AS akk_faktisk_timer,
         faktisk_maal < forventet_maal AS maal_under,
         count(*) OVER ({running}) AS nr,
         sum(CASE WHEN faktisk_maal IS NOT NULL AND faktisk_maal < forventet_maal THEN 1 ELSE 0 END) OVER ({running}) AS under_nr
  FROM m
)
SELECT borger_id, metode, periode, CAST(kursusmaaned AS BIGINT) AS kursusmaaned, CAST(maaned_nr AS BIGINT) AS maaned_nr,
       CAST(fase AS BIGINT) AS fase, CAST(forventet_timer AS DOUBLE) AS forventet_timer, CAST(faktisk_timer AS DOUBLE) AS faktisk_timer,
       CAST(plan_timer AS DOUBLE) AS plan_timer, CAST(akk_forventet_timer AS DOUBLE) AS akk_forventet_timer,
       CAST(akk_faktisk_timer AS DOUBLE) AS akk_faktisk_timer,
       CAST(akk_forventet_timer / NULLIF(plan_timer, 0) AS DOUBLE) AS akk_forventet_andel,
       CAST(akk_faktisk_timer / NULLIF(plan_timer, 0) AS DOUBLE) AS akk_faktisk_andel,
       CAST(forventet_maal AS DOUBLE) AS forventet_maal, CAST(faktisk_maal AS DOUBLE) AS faktisk_maal, maal_kilde, maal_under,
       CAST(CASE WHEN faktisk_maal IS NULL THEN NULL WHEN maal_under THEN
            under_nr - coalesce(max(CASE WHEN faktisk_maal IS NOT NULL AND maal_under IS NOT TRUE THEN under_nr END) OVER ({running}), 0)
            ELSE 0 END AS BIGINT) AS maal_under_i_traek,
       CAST(nr - coalesce(max(CASE WHEN faktisk_maal IS NOT NULL THEN nr END) OVER ({running}), 0) AS BIGINT) AS maaneder_uden_maal,
       i_tid, afsluttet
FROM f
ORDER BY borger_id, periode"""


def active_condition(reference: dt.date, alias: str = "b") -> str:
    """SQL: the course of `borgere` row `alias` is active on the reference date (started on or
    before it, not ended by it) – as the double bottom line and the caseload rules count."""
    ref = literal(reference)
    return f"{alias}.startdato <= {ref} AND ({alias}.slutdato IS NULL OR {alias}.slutdato > {ref})"


def build_table(con, project: Project, name: str = DBL_DATASET, table: str | None = None, citizens: str | None = None) -> DblSettings:
    """Create the derived table `dbl_maaned` in `con` (the source tables must be loaded). With
    `table` and `citizens` (a condition on `borgere` as `b`), a temporary table of that name with
    the chosen citizens' rows only – never the dataset itself, which always holds every citizen."""
    if name != DBL_DATASET:
        raise ValueError(f"unknown derived dataset {name}")
    s = settings(project)
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    first_days = con.execute("SELECT count(*) = 0 FROM tid WHERE day(periode) <> 1").fetchone()[0]
    sql = table_sql(s.reference_date, s.instrument, 'status' in tables, first_days, citizens)
    if table is None:
        con.execute(f"CREATE OR REPLACE TABLE {quote_ident(DBL_DATASET)} AS {sql}")
    else:  # a working table: its rows need no order
        con.execute(f"CREATE OR REPLACE TEMP TABLE {quote_ident(table)} AS {sql.rstrip().removesuffix('ORDER BY borger_id, periode')}")
    return s
