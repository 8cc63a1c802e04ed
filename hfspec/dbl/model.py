"""Session → the double bottom line (dobbelt bundlinje) per worker and citizen (`DblResult`).

Two stages, both in DuckDB SQL:

1. The session computes the derived dataset `dbl_maaned` (hfspec.engine.derived; its contract is
   the Dataset spec specs/dbl/dbl_maaned.yaml): one row per citizen per month with the running
   sums of expected and actual time in % of the plan and the goal.
2. `steps`/`summaries` group it into the steps of the seed's chart: a CTI citizen per phase
   (1–3), an ICM or ACT citizen per month. At each step: expected and actual hours, the deviation,
   the accumulated expected and actual time in % of the plan (bars) and the expected and actual
   goal (curves).

The signals are *rules* (specs/dbl/signaler.yaml, `kind: Rule` over `dbl_maaned`) evaluated by
`hfspec.engine.rules`; their findings are attached to the citizen (or worker) they name. Nothing
here is a threshold: those live in the YAML.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from hfspec.diagnostics import Diagnostic, HfspecError, Message, did_you_mean
from hfspec.engine import derived
from hfspec.engine.derived import DBL_DATASET, Instrument, settings
from hfspec.engine.rules import RuleOutcome
from hfspec.lang.sql import literal, quote_ident
from hfspec.messages import Codes
from hfspec.resources import shipped
from hfspec.session import Session

# --------------------------------------------------------------------------- per citizen


@dataclass
class Step:
    """One step of the chart: a CTI phase or an ICM/ACT month."""

    label: str
    metode: str
    fase: int | None
    first_month: str
    last_month: str
    months: int
    months_reached: int  # months started by the reference date
    months_registered: int  # months with actual time
    expected_hours: float | None  # the whole step
    actual_hours: float | None
    expected_hours_registered: float | None  # expected hours of the months with actual time
    acc_expected: float | None  # accumulated expected time, share of the plan (bars)
    acc_actual: float | None  # accumulated actual time, share of the plan
    expected_goal: float | None  # curves
    actual_goal: float | None
    goal_month: str | None  # the month of the actual goal value

    @property
    def state(self) -> str:
        """`done` (every month over), `current` (some months reached) or `planned` (future)."""
        if self.months_reached == 0:
            return "planned"
        return "done" if self.months_reached == self.months else "current"

    @property
    def deviation_hours(self) -> float | None:
        """Actual minus expected hours, over the months where actual time is registered."""
        if self.actual_hours is None or self.expected_hours_registered is None:
            return None
        return self.actual_hours - self.expected_hours_registered

    @property
    def deviation_share(self) -> float | None:
        """Actual ÷ expected hours over the registered months (1.0 = on plan)."""
        if self.actual_hours is None or not self.expected_hours_registered:
            return None
        return self.actual_hours / self.expected_hours_registered

    @property
    def goal_deviation(self) -> float | None:
        if self.actual_goal is None or self.expected_goal is None:
            return None
        return self.actual_goal - self.expected_goal

    def as_dict(self) -> dict[str, Any]:
        return {"label": self.label, "metode": self.metode, "fase": self.fase, "first_month": self.first_month, "last_month": self.last_month,
                "state": self.state, "months": self.months, "months_registered": self.months_registered,
                "expected_hours": self.expected_hours, "actual_hours": self.actual_hours, "deviation_hours": self.deviation_hours,
                "deviation_share": self.deviation_share, "acc_expected_share": self.acc_expected, "acc_actual_share": self.acc_actual,
                "expected_goal": self.expected_goal, "actual_goal": self.actual_goal, "goal_deviation": self.goal_deviation}


@dataclass
class Signal:
    """A breach of a double-bottom-line rule, for one citizen (or one worker)."""

    rule: str
    severity: str
    title: str
    message: str
    advice: str

    def as_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "severity": self.severity, "title": self.title, "message": self.message, "advice": self.advice}


@dataclass
class Citizen:
    """One citizen's double bottom line: course facts, the summary at the reference date, steps, signals."""

    borger_id: str
    metode: str
    medarbejder_id: str | None
    startdato: str | None
    slutdato: str | None
    active: bool
    has_data: bool  # has rows in `tid`
    course_month: int | None = None  # the course month at the reference date (or at the end)
    plan_hours: float | None = None
    plan_months: int = 0
    latest_month: str | None = None  # latest month with accumulated actual time
    time_used: float | None = None  # accumulated actual ÷ plan at latest_month
    time_expected: float | None = None  # accumulated expected ÷ plan at latest_month
    goal_first: float | None = None
    goal_latest: float | None = None
    goal_expected: float | None = None  # expected goal in the month of goal_latest
    goal_latest_month: str | None = None
    steps: list[Step] = field(default_factory=list)
    signals: list[Signal] = field(default_factory=list)

    @property
    def goal_trend(self) -> str | None:
        """`up`, `down` or `flat`: the latest actual goal against the first."""
        if self.goal_first is None or self.goal_latest is None:
            return None
        return "up" if self.goal_latest > self.goal_first else "down" if self.goal_latest < self.goal_first else "flat"

    @property
    def goal_vs_curve(self) -> str | None:
        """`above`, `on` or `below` the expected curve at the latest goal registration."""
        if self.goal_expected is None or self.goal_latest is None:
            return None
        return "above" if self.goal_latest > self.goal_expected else "below" if self.goal_latest < self.goal_expected else "on"

    def as_dict(self, with_steps: bool = True) -> dict[str, Any]:
        out = {"borger_id": self.borger_id, "metode": self.metode, "medarbejder_id": self.medarbejder_id, "startdato": self.startdato,
               "slutdato": self.slutdato, "active": self.active, "has_data": self.has_data, "course_month": self.course_month,
               "plan_hours": self.plan_hours, "plan_months": self.plan_months, "latest_month": self.latest_month,
               "time_used_share": self.time_used, "time_expected_share": self.time_expected, "goal_first": self.goal_first,
               "goal_latest": self.goal_latest, "goal_expected": self.goal_expected, "goal_latest_month": self.goal_latest_month,
               "goal_trend": self.goal_trend, "goal_vs_curve": self.goal_vs_curve, "signals": [s.as_dict() for s in self.signals]}
        if with_steps:
            out["steps"] = [s.as_dict() for s in self.steps]
        return out


@dataclass
class Worker:
    medarbejder_id: str
    citizens: list[Citizen] = field(default_factory=list)
    signals: list[Signal] = field(default_factory=list)

    @property
    def methods(self) -> list[str]:
        return sorted({c.metode for c in self.citizens if c.metode})

    def as_dict(self) -> dict[str, Any]:
        return {"medarbejder_id": self.medarbejder_id, "methods": self.methods, "signals": [s.as_dict() for s in self.signals],
                "citizens": [c.as_dict(with_steps=False) for c in self.citizens]}


@dataclass
class DblResult:
    """What `hfspec dbl` shows. Citizen-level by nature: for the support worker, never aggregated."""

    reference_date: str
    instrument: Instrument
    workers: list[Worker]
    citizens: dict[str, Citizen]
    outcomes: list[RuleOutcome] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)
    citizen: str | None = None  # the one citizen asked for (--citizen)
    worker: str | None = None
    include_ended: bool = False


def _iso(value: Any) -> str | None:
    return value.isoformat()[:10] if isinstance(value, (dt.date, dt.datetime)) else (None if value is None else str(value))


def _num(value: Any) -> float | None:
    return None if value is None else float(value)


def _steps(con, ids: list[str], reference: dt.date) -> dict[str, list[Step]]:
    """The chart steps of the given citizens (one query)."""
    if not ids:
        return {}
    ref = literal(reference)
    step_key = "CASE WHEN metode = 'CTI' THEN 'F' || CAST(fase AS VARCHAR) ELSE strftime(periode, '%Y-%m') END"
    sql = f"""
SELECT borger_id, {step_key} AS step, arg_min(metode, periode) AS metode, min(fase) AS fase,
       min(periode) AS first_month, max(periode) AS last_month, count(*) AS months,
       count(*) FILTER (WHERE periode <= {ref}) AS reached, count(faktisk_timer) AS registered,
       sum(forventet_timer) AS expected_hours, sum(faktisk_timer) AS actual_hours,
       sum(forventet_timer) FILTER (WHERE faktisk_timer IS NOT NULL) AS expected_registered,
       arg_max(akk_forventet_andel, periode) FILTER (WHERE akk_forventet_andel IS NOT NULL AND periode <= {ref}) AS acc_expected_reached,
       arg_max(akk_forventet_andel, periode) FILTER (WHERE akk_forventet_andel IS NOT NULL) AS acc_expected_end,
       arg_max(akk_faktisk_andel, periode) FILTER (WHERE akk_faktisk_andel IS NOT NULL) AS acc_actual,
       arg_max(forventet_maal, periode) FILTER (WHERE forventet_maal IS NOT NULL AND faktisk_maal IS NOT NULL) AS expected_goal_at_actual,
       arg_max(forventet_maal, periode) FILTER (WHERE forventet_maal IS NOT NULL AND periode <= {ref}) AS expected_goal_reached,
       arg_max(forventet_maal, periode) FILTER (WHERE forventet_maal IS NOT NULL) AS expected_goal_end,
       arg_max(faktisk_maal, periode) FILTER (WHERE faktisk_maal IS NOT NULL) AS actual_goal,
       max(periode) FILTER (WHERE faktisk_maal IS NOT NULL) AS goal_month
FROM {quote_ident(DBL_DATASET)} WHERE borger_id IN (SELECT unnest(?::VARCHAR[]))
GROUP BY borger_id, step ORDER BY borger_id, first_month"""
    out: dict[str, list[Step]] = {}
    for r in con.execute(sql, [ids]).fetchall():
        (bid, key, metode, fase, first, last, months, reached, registered, exp_h, act_h, exp_reg,
         acc_exp_reached, acc_exp_end, acc_act, goal_exp_at, goal_exp_reached, goal_exp_end, goal_act, goal_month) = r
        label = f"F{fase}" if metode == "CTI" and key.startswith("F") else key
        expected_goal = goal_exp_at if goal_exp_at is not None else (goal_exp_reached if reached else goal_exp_end)
        out.setdefault(bid, []).append(Step(
            label, metode, fase, _iso(first), _iso(last), months, reached, registered, _num(exp_h), _num(act_h) if registered else None,
            _num(exp_reg), _num(acc_exp_reached if reached and acc_exp_reached is not None else acc_exp_end), _num(acc_act),
            _num(expected_goal), _num(goal_act), _iso(goal_month)))
    return out


def _citizens(con, reference: dt.date, citizen: str | None, worker: str | None, include_ended: bool) -> list[Citizen]:
    """The citizens to show, with their summary at the reference date (one query)."""
    ref = literal(reference)
    where = []
    params: list[Any] = []
    if citizen is not None:
        where.append("b.borger_id = ?")
        params.append(citizen)
    else:
        if worker is not None:
            where.append("b.medarbejder_id = ?")
            params.append(worker)
        if not include_ended:
            where.append(f"b.startdato <= {ref} AND (b.slutdato IS NULL OR b.slutdato > {ref})")
    sql = f"""
WITH s AS (
  SELECT borger_id,
         max(plan_timer) AS plan_hours, count(*) FILTER (WHERE forventet_timer > 0) AS plan_months,
         max(kursusmaaned) FILTER (WHERE periode <= {ref}) AS course_month,
         max(periode) FILTER (WHERE akk_faktisk_andel IS NOT NULL) AS latest_month,
         arg_max(akk_faktisk_andel, periode) FILTER (WHERE akk_faktisk_andel IS NOT NULL) AS time_used,
         arg_max(akk_forventet_andel, periode) FILTER (WHERE akk_faktisk_andel IS NOT NULL) AS time_expected,
         arg_min(faktisk_maal, periode) FILTER (WHERE faktisk_maal IS NOT NULL) AS goal_first,
         arg_max(faktisk_maal, periode) FILTER (WHERE faktisk_maal IS NOT NULL) AS goal_latest,
         arg_max(forventet_maal, periode) FILTER (WHERE faktisk_maal IS NOT NULL) AS goal_expected,
         max(periode) FILTER (WHERE faktisk_maal IS NOT NULL) AS goal_month
  FROM {quote_ident(DBL_DATASET)} GROUP BY borger_id
)
SELECT b.borger_id, b.metode, b.medarbejder_id, CAST(b.startdato AS VARCHAR), CAST(b.slutdato AS VARCHAR),
       b.startdato <= {ref} AND (b.slutdato IS NULL OR b.slutdato > {ref}) AS active, s.borger_id IS NOT NULL AS has_data,
       s.course_month, CAST(s.plan_hours AS DOUBLE), s.plan_months, CAST(s.latest_month AS VARCHAR), CAST(s.time_used AS DOUBLE),
       CAST(s.time_expected AS DOUBLE), CAST(s.goal_first AS DOUBLE), CAST(s.goal_latest AS DOUBLE), CAST(s.goal_expected AS DOUBLE),
       CAST(s.goal_month AS VARCHAR)
FROM borgere b LEFT JOIN s ON s.borger_id = b.borger_id
{('WHERE ' + ' AND '.join(where)) if where else ''}
ORDER BY b.medarbejder_id NULLS LAST, b.borger_id"""
    out = []
    for r in con.execute(sql, params).fetchall():
        (bid, metode, mid, start, end, active, has_data, course_month, plan_h, plan_m, latest, used, expected,
         g_first, g_latest, g_expected, g_month) = r
        # dates come as ISO text and numbers as DOUBLE from the query: nothing is converted per cell here
        out.append(Citizen(bid, metode, mid, start, end, bool(active), bool(has_data), course_month, plan_h, plan_m or 0,
                           latest, used, expected, g_first, g_latest, g_expected, g_month))
    return out


def _signal(outcome: RuleOutcome, message: str, lang: str) -> Signal:
    spec = outcome.rule.spec
    return Signal(spec.id, spec.severity, spec.title.get(lang) if spec.title else spec.id, message,
                  spec.description.get(lang) if spec.description else "")


def _unknown(kind: str, value: str, known: list[str]) -> HfspecError:
    message, others = {"citizen": ("dbl.unknown_citizen", "dbl.citizens_in_data"), "worker": ("dbl.unknown_worker", "dbl.workers_in_data")}[kind]
    return HfspecError([Diagnostic("HF609", Message(message, id=value), None,
                                   hint=did_you_mean(value, known) or Message(others, n=len(known), ids=Codes(sorted(known)[:5])))])


# --------------------------------------------------------------------------- per worker, in SQL


@dataclass
class WorkerCell:
    """The active citizens of one worker with one method, counted in SQL: how many, the sum and
    count of their accumulated time used of the plan (so that pooled cells give an exact mean),
    and per signal rule how many of them break it."""

    medarbejder_id: str | None
    metode: str | None
    citizens: int
    time_used_sum: float
    time_used_count: int
    signals: dict[str, int | None]  # rule id -> citizens with a breach (None: the rule names no citizen)


@dataclass
class WorkerSummary:
    """The double bottom line per worker at the reference date, as counts: what the management
    report shows (hfspec.report pools and suppresses it). No citizen id is in it."""

    reference_date: str
    signals: list[tuple[str, str]]  # (rule id, title) of the signal rules over dbl_maaned
    cells: list[WorkerCell]
    breaches: dict[str, list[str]]  # medarbejder_id -> the titles of the worker rules it breaks (caseload)


#: The temporary table of the active citizens' months that `worker_summary` computes when the
#: session has no `dbl_maaned` yet (the management report needs no other citizen's months).
ACTIVE_MONTHS = "__dbl_maaned_active"


def worker_summary(session: Session, specs: Sequence[Path] | None = None) -> WorkerSummary:
    """Per worker and method: active citizens, time used and citizens per signal, in one query over
    `dbl_maaned` (the signals counted from the signal rules' own SQL, `breach_keys_sql`), and the
    breaches of the worker rules (caseload). Takes seconds on 100,000 citizens: nothing is done
    per citizen in Python."""
    from hfspec.engine.rules import breach_keys_sql

    project = session.project
    s = settings(project)
    lang = session.lang
    rule_ids = project.rules_in(specs or default_specs())
    signal_ids = [r for r in rule_ids if project.compiled_rules[r].spec.dataset == DBL_DATASET]
    ctes = []
    if not session.has(DBL_DATASET):
        # only the active citizens' months are needed: their rows of the month table are computed
        # alone (a temporary table, not the dataset), and the signal rules read them under its name
        session.require([d for d in derived.source_datasets(DBL_DATASET, session.has_source, []) if not session.has(d)])
        derived.build_table(session.con, project, table=ACTIVE_MONTHS, citizens=derived.active_condition(s.reference_date))
        ctes.append(f"{quote_ident(DBL_DATASET)} AS (SELECT * FROM {quote_ident(ACTIVE_MONTHS)})")
    ctes += [f"active AS (SELECT b.borger_id, b.medarbejder_id, b.metode FROM borgere b WHERE {derived.active_condition(s.reference_date)})",
             f"used AS (SELECT borger_id, arg_max(akk_faktisk_andel, periode) FILTER (WHERE akk_faktisk_andel IS NOT NULL) AS time_used "
             f"FROM {quote_ident(DBL_DATASET)} GROUP BY borger_id)"]
    counted: list[str] = []
    joins, columns = [], []
    for rid in signal_ids:
        sql = breach_keys_sql(project.compiled_rules[rid], project, "borger_id")
        if sql is None:
            continue
        name = f"s{len(counted)}"
        counted.append(rid)
        ctes.append(f"{name} AS ({sql})")
        joins.append(f"LEFT JOIN {name} ON {name}.borger_id = a.borger_id")
        columns.append(f"count({name}.borger_id)")
    sql = (f"WITH {', '.join(ctes)} SELECT a.medarbejder_id, a.metode, count(*), coalesce(sum(u.time_used), 0), count(u.time_used)"
           + "".join(f", {c}" for c in columns) + " FROM active a LEFT JOIN used u ON u.borger_id = a.borger_id " + " ".join(joins)
           + " GROUP BY 1, 2 ORDER BY 1 NULLS LAST, 2 NULLS LAST")
    cells = []
    for row in session.con.execute(sql).fetchall():
        counts = dict(zip(counted, row[5:]))
        cells.append(WorkerCell(row[0], row[1], row[2], float(row[3]), row[4], {rid: counts.get(rid) for rid in signal_ids}))
    breaches: dict[str, list[str]] = {}
    for outcome in session.evaluate_rules([r for r in rule_ids if r not in signal_ids]):
        for finding in outcome.findings:
            worker = finding.group.get("medarbejder_id")
            if finding.citizen is None and worker is not None:
                title = _signal(outcome, finding.message, lang).title
                if title not in breaches.setdefault(worker, []):
                    breaches[worker].append(title)
    signals = [(rid, project.compiled_rules[rid].spec.title.get(lang) if project.compiled_rules[rid].spec.title else rid) for rid in signal_ids]
    return WorkerSummary(s.reference_date.isoformat(), signals, cells, breaches)


# --------------------------------------------------------------------------- the run


def default_specs() -> list[Path]:
    """The shipped double-bottom-line specs, plus the caseload rules: their breaches name a worker
    and are shown in the worker overview."""
    return [shipped("specs") / "dbl", shipped("specs") / "rules" / "caseload.yaml"]


def run_dbl(session: Session, specs: Sequence[Path] | None = None, citizen: str | None = None, worker: str | None = None,
            include_ended: bool = False, steps: bool = True) -> DblResult:
    """Compute the month table in the session, evaluate the signal rules of `specs` (default:
    `default_specs()`, which the session's specs must include) and assemble per citizen. Without
    `steps`, the citizens' chart steps are not fetched (the overview of every worker shows only
    each citizen's summary; 100,000 citizens' steps cost seconds in Python)."""
    project = session.project
    s = settings(project)
    rule_ids = project.rules_in(specs or default_specs())
    session.require([DBL_DATASET])
    con = session.con
    if citizen is not None:
        known = [r[0] for r in con.execute("SELECT borger_id FROM borgere").fetchall()]
        if citizen not in known:
            raise _unknown("citizen", citizen, known)
    if worker is not None:
        known = [r[0] for r in con.execute("SELECT DISTINCT medarbejder_id FROM borgere WHERE medarbejder_id IS NOT NULL").fetchall()]
        if worker not in known:
            raise _unknown("worker", worker, known)
    citizens = _citizens(con, s.reference_date, citizen, worker, include_ended)
    fetched = _steps(con, [c.borger_id for c in citizens if c.has_data], s.reference_date) if steps else {}
    outcomes = session.evaluate_rules(rule_ids)
    lang = session.lang
    by_id = {c.borger_id: c for c in citizens}
    workers: dict[str, Worker] = {}
    for c in citizens:
        c.steps = fetched.get(c.borger_id, [])
        key = c.medarbejder_id or "–"
        workers.setdefault(key, Worker(key)).citizens.append(c)
    for outcome in outcomes:
        for finding in outcome.findings:
            target = by_id.get(finding.citizen) if finding.citizen else None
            if target is not None:
                target.signals.append(_signal(outcome, finding.message, lang))
            elif finding.citizen is None and finding.group.get("medarbejder_id") in workers:
                workers[finding.group["medarbejder_id"]].signals.append(_signal(outcome, finding.message, lang))
    return DblResult(s.reference_date.isoformat(), s.instrument, list(workers.values()), by_id, outcomes,
                     session.warnings, citizen, worker, include_ended)
