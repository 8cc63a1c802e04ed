#!/usr/bin/env python3
"""Seed and size → synthetic Housing First data: one CSV (or Parquet) file per standard dataset.

The demo data for hfspec: a made-up joint dataset for the five municipalities of the
investment pool (Haderslev, Helsingør, København, Køge, Vejle), shaped after the seed report
(group sizes, target groups, methods) and written in the standard data contract of
``specs/datasets/*.yaml``. Every value is invented; no real person is behind any row.

    python examples/demo/generate.py                       # the committed demo (300 citizens)
    python examples/demo/generate.py --citizens 100000 --out /tmp/bench --format parquet

Built-in properties of the default run (``--citizens 300 --seed 2021``), relied on by the
examples and tests:

* Exactly two workers are over caseload at the reference date 2021-12-31
  (active = ``slutdato`` empty): CTI worker **M01** (Haderslev) has 12 active CTI citizens
  (max 10) and ICM worker **M04** (Haderslev) has 9 active ICM citizens (max 8). Every other
  worker is within caseload (CTI <= 10, ICM/ACT <= 8). The run prints the ids; other seeds and
  sizes give other ids.
* København (ICM only) and ACT (Haderslev only) are small groups that disclosure control
  suppresses when broken down further.
* Nothing is dated after the reference date 2021-12-31.

The tenancies (``bolig``), where each shelter stay ended (``herberg.udskrevet_til``) and the
action plan dates (``herberg.handleplan_dato``) are drawn from a random stream of their own
(``random.Random(seed + TRAJECTORY_SEED)``), after looking at the stays drawn from the main
stream: adding them changed no value that was there before. ORS and SRS are written with one
decimal from the same draws as before (they used to be rounded to whole numbers).

Only the standard library is used for the data (``random.Random(seed)``), so a run is
byte-identical for the same arguments and Python version. Rows are streamed to the files as
they are made; only one small record per citizen course is held in memory. ``--format
parquet`` converts the CSV files with DuckDB (for the benchmark).
"""

from __future__ import annotations

import argparse
import heapq
import os
import random
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

REFERENCE_DATE = date(2021, 12, 31)
REF = REFERENCE_DATE.toordinal()

#: Column order of every dataset (the order of ``specs/datasets/<id>.yaml``) with the DuckDB
#: type used when converting to Parquet.
COLUMNS: dict[str, list[tuple[str, str]]] = {
    "borgere": [
        ("borger_id", "VARCHAR"), ("kommune", "VARCHAR"), ("alder", "INTEGER"),
        ("metode", "VARCHAR"), ("medarbejder_id", "VARCHAR"), ("visitationsdato", "DATE"),
        ("startdato", "DATE"), ("slutdato", "DATE"), ("samarbejdsmodel", "BOOLEAN"),
    ],
    "status": [
        ("borger_id", "VARCHAR"), ("dato", "DATE"), ("maalepunkt", "VARCHAR"),
        ("boligsituation", "VARCHAR"), ("beskaeftigelse_uddannelse", "BOOLEAN"),
        ("forsoergelse", "VARCHAR"), ("ucla", "INTEGER"), ("who5", "INTEGER"),
        ("bokompetence", "INTEGER"), ("oekonomi", "INTEGER"), ("stabil_livsstil", "INTEGER"),
        ("mentale_vanskeligheder", "INTEGER"), ("rusmiddelforbrug", "INTEGER"),
        ("rusmiddelbehandling", "BOOLEAN"), ("bostoette_sel85", "BOOLEAN"),
        ("ors", "DOUBLE"), ("srs", "DOUBLE"),
    ],
    "herberg": [
        ("borger_id", "VARCHAR"), ("indskrivning", "DATE"), ("udskrivning", "DATE"),
        ("doegn", "INTEGER"), ("udgift", "DOUBLE"), ("udskrevet_til", "VARCHAR"),
        ("handleplan_dato", "DATE"),
    ],
    "bolig": [
        ("borger_id", "VARCHAR"), ("indflytningsdato", "DATE"), ("fraflytningsdato", "DATE"),
        ("fraflytningsaarsag", "VARCHAR"),
    ],
    "tid": [
        ("borger_id", "VARCHAR"), ("metode", "VARCHAR"), ("periode", "DATE"),
        ("fase", "INTEGER"), ("forventet_timer", "DOUBLE"), ("faktisk_timer", "DOUBLE"),
        ("forventet_maal", "DOUBLE"), ("faktisk_maal", "DOUBLE"),
    ],
    "fogedsager": [("borger_id", "VARCHAR"), ("dato", "DATE"), ("afvaerget", "BOOLEAN")],
    "boligmarked": [
        ("kommune", "VARCHAR"), ("dato", "DATE"), ("ventetid_bolig_dage", "INTEGER"),
        ("ventetid_anvisning_dage", "INTEGER"), ("ledige_boliger", "INTEGER"),
        ("prisinterval", "VARCHAR"), ("stoerrelse", "VARCHAR"),
    ],
}

#: The five municipalities. ``visited`` is the number of citizens referred in the seed report
#: (002, chapter 2) and sets the proportions; ages and methods follow the target groups there.
#: ACT is not named in the seed; a rare ACT team is placed in Haderslev (adult target group).
KOMMUNER = [
    # name, visited, ages (kind, lo, hi), method shares (CTI, ICM, ACT),
    # P(samarbejdsmodel), housing wait after referral in days (lo, mode, hi)
    ("Haderslev",  52, ("mixed", 18, 60), (0.50, 0.44, 0.06), 0.50, (3, 14, 60)),
    ("Helsingør",  45, ("flat", 16, 24),  (0.65, 0.35, 0.00), 0.30, (5, 30, 80)),
    ("København",  11, ("tri", 30, 60),   (0.00, 1.00, 0.00), 0.60, (20, 60, 90)),
    ("Køge",       19, ("flat", 16, 30),  (0.60, 0.40, 0.00), 0.40, (5, 30, 80)),
    ("Vejle",      38, ("flat", 16, 29),  (0.55, 0.45, 0.00), 0.45, (5, 25, 75)),
]
METHODS = ("CTI", "ICM", "ACT")
CASELOAD = {"CTI": 10, "ICM": 8, "ACT": 8}
#: Active caseload at the reference date given to the two deliberately overloaded workers.
OVERLOAD = {"CTI": 12, "ICM": 9}
INTAKE_YEARS = ((2019, 0.22), (2020, 0.32), (2021, 0.46))

BOLIG_FOER = (("uden_egen_bolig", 0.50), ("egen_midlertidig_bolig", 0.18),
              ("bolig_efter_serviceloven", 0.17), ("anbragt", 0.05), ("egen_bolig", 0.10))
BOLIG_UNGE_FOER = (("uden_egen_bolig", 0.45), ("egen_midlertidig_bolig", 0.20),
                   ("bolig_efter_serviceloven", 0.10), ("anbragt", 0.13), ("egen_bolig", 0.12))
BOLIG_TILBAGEFALD = (("uden_egen_bolig", 0.45), ("egen_midlertidig_bolig", 0.25),
                     ("bolig_efter_serviceloven", 0.25), ("anbragt", 0.05))
SHELTER_RATES = (1385, 1420, 1450, 1450, 1450, 1480, 1525)

#: Offset of the seed of the second random stream (tenancies, discharge destinations, action
#: plans), so that adding them leaves every draw of the main stream where it was.
TRAJECTORY_SEED = 7_919
#: Where a stay ended, by the kind of stay (see ``herberg_rows``).
UDSKREVET_TIL = {
    "wait": (("egen_bolig", 0.92), ("midlertidig_bolig", 0.08)),
    "pre": (("gaden", 0.25), ("midlertidig_bolig", 0.20), ("familie_netvaerk", 0.20), ("anden_boform", 0.12),
            ("hospital_behandling", 0.08), ("egen_bolig", 0.05), ("faengsel", 0.04), ("ukendt", 0.06)),
    "relapse": (("egen_bolig", 0.65), ("hospital_behandling", 0.10), ("midlertidig_bolig", 0.08),
                ("familie_netvaerk", 0.07), ("gaden", 0.04), ("ukendt", 0.06)),
    "after": (("gaden", 0.20), ("midlertidig_bolig", 0.20), ("egen_bolig", 0.20), ("familie_netvaerk", 0.15),
              ("anden_boform", 0.10), ("hospital_behandling", 0.05), ("faengsel", 0.03), ("doed", 0.01), ("ukendt", 0.06)),
}
#: Why a tenancy ended (when it ended without a shelter stay right after it).
FRAFLYTNING = (("anden_bolig", 0.40), ("udsat", 0.15), ("opsagt", 0.15), ("institution", 0.12),
               ("doed", 0.04), ("ukendt", 0.14))

PRISINTERVAL = ("under_4000", "4000_5999", "6000_7999", "8000_plus")
STOERRELSE = ("1_vaerelse", "2_vaerelser", "3_vaerelser", "4_plus_vaerelser")
#: Relative number of vacant homes per price band (rows) and size (columns).
VACANCY_MIX = ((8.0, 3.0, 0.6, 0.1), (6.0, 9.0, 4.0, 1.0), (2.0, 7.0, 8.0, 4.0), (0.5, 3.0, 6.0, 7.0))
#: name: (vacancy scale, base waiting time in days)
HOUSING_MARKET = {"Haderslev": (2.0, 90), "Helsingør": (2.5, 260), "København": (10.0, 540),
                  "Køge": (2.0, 220), "Vejle": (3.0, 160)}
PRICE_WAIT = (1.6, 1.2, 0.8, 0.5)
SIZE_WAIT = (1.3, 1.0, 0.9, 1.1)


# --------------------------------------------------------------------------- formatting

_ISO: dict[int, str] = {}


def iso(ordinal: int | None) -> str:
    """Date ordinal → ISO text (cached: the data spans only a few thousand days)."""
    if ordinal is None:
        return ""
    text = _ISO.get(ordinal)
    if text is None:
        text = _ISO[ordinal] = date.fromordinal(ordinal).isoformat()
    return text


def num(x: float | int | None) -> str:
    """A number as short text: ``12``, ``12.5``; empty for null."""
    if x is None:
        return ""
    if isinstance(x, int):
        return str(x)
    return str(int(x)) if x == int(x) else repr(round(x, 2))


def flag(b: bool) -> str:
    return "true" if b else "false"


def opt(x: int | None) -> str:
    return "" if x is None else str(x)


def month_index(ordinal: int) -> int:
    d = date.fromordinal(ordinal)
    return d.year * 12 + d.month - 1


_MONTH_START: dict[int, str] = {}


def month_start(index: int) -> str:
    text = _MONTH_START.get(index)
    if text is None:
        text = _MONTH_START[index] = date(index // 12, index % 12 + 1, 1).isoformat()
    return text


def pick(rng: random.Random, table: tuple[tuple[str, float], ...]) -> str:
    u = rng.random()
    acc = 0.0
    for value, p in table:
        acc += p
        if u < acc:
            return value
    return table[-1][0]


def clamp(x: float, lo: float, hi: float) -> float:
    return lo if x < lo else hi if x > hi else x


# --------------------------------------------------------------------------- citizens

class Citizen:
    """One course: the only per-citizen record kept in memory."""

    __slots__ = ("n", "bid", "kommune", "alder", "metode", "visit", "start", "end",
                 "samarb", "s", "worker")

    def __init__(self, n, bid, kommune, alder, metode, visit, start, end, samarb, s):
        self.n = n
        self.bid = bid
        self.kommune = kommune
        self.alder = alder
        self.metode = metode
        self.visit = visit
        self.start = start
        self.end = end          # None while active at the reference date
        self.samarb = samarb
        self.s = s              # success propensity 0..1 (drives progress and relapse)
        self.worker = None      # (kommune, metode, worker number in team) until renamed


def allocate(n: int, weights: list[float]) -> list[int]:
    """Largest-remainder split of n into integer counts proportional to weights."""
    total = sum(weights)
    raw = [n * w / total for w in weights]
    counts = [int(r) for r in raw]
    order = sorted(range(len(weights)), key=lambda i: (-(raw[i] - counts[i]), i))
    for i in order[: n - sum(counts)]:
        counts[i] += 1
    return counts


def make_citizens(rng: random.Random, n: int) -> list[Citizen]:
    counts = allocate(n, [k[1] for k in KOMMUNER])
    kommune_of = [i for i, c in enumerate(counts) for _ in range(c)]
    rng.shuffle(kommune_of)
    width = max(4, len(str(n)))
    year_first = {y: date(y, 1, 1).toordinal() for y, _ in INTAKE_YEARS}
    citizens = []
    for i, k in enumerate(kommune_of):
        name, _, (kind, lo, hi), mw, p_samarb, (w_lo, w_mode, w_hi) = KOMMUNER[k]
        if kind == "flat":
            alder = rng.randint(lo, hi)
        elif kind == "tri":
            alder = int(rng.triangular(lo, hi + 1, 45))
        else:  # Haderslev: youth focus 18-30 within a general adult group
            alder = rng.randint(18, 30) if rng.random() < 0.55 else int(rng.triangular(31, hi + 1, 42))
        u = rng.random()
        metode = "CTI" if u < mw[0] else "ICM" if u < mw[0] + mw[1] else "ACT"
        while True:
            year = pick(rng, tuple((y, p) for y, p in INTAKE_YEARS))
            visit = year_first[year] + rng.randrange(366 if year % 4 == 0 else 365)
            start = visit + int(rng.triangular(w_lo, w_hi, w_mode))
            if start <= REF:
                break
        s = rng.betavariate(3, 2)
        if metode == "CTI":
            u = rng.random()
            if u < 0.06:          # drop-out: moved, refused, re-referred
                dur = rng.randint(45, 240)
                s *= 0.5
            elif u < 0.74:        # about nine months
                dur = rng.randint(255, 280)
            elif u < 0.92:        # over nine months
                dur = rng.randint(281, 304)
            else:                 # over ten months
                dur = rng.randint(305, 400)
        elif metode == "ICM":
            dur = None if rng.random() < 0.25 else rng.randint(180, 720)
        else:
            dur = None if rng.random() < 0.70 else rng.randint(400, 1000)
        end = None if dur is None or start + dur > REF else start + dur
        samarb = rng.random() < p_samarb
        citizens.append(Citizen(i, f"B{i + 1:0{width}d}", name, alder, metode,
                                visit, start, end, samarb, s))
    return citizens


# --------------------------------------------------------------------------- workers

def assign_workers(citizens: list[Citizen]) -> dict[str, tuple[str, int]]:
    """Give every course a worker within caseload, then overload exactly two workers.

    Per team (kommune × method) courses are taken in start order; a course goes to the
    least-loaded worker with room under the caseload (counting courses not ended before its
    start); a new worker is hired when everybody is full. This keeps every worker within
    caseload at every date, in particular at the reference date. Then, in the CTI team and
    the ICM team with the most active courses at the reference date, active courses are moved
    from colleagues to the busiest worker until that worker holds ``OVERLOAD[method]``.
    Returns {method: (worker id, active count)} for the two overloaded workers.
    """
    teams: dict[tuple[str, str], list[Citizen]] = {}
    for c in citizens:
        teams.setdefault((c.kommune, c.metode), []).append(c)
    team_size: dict[tuple[str, str], int] = {}
    for key, members in teams.items():
        members.sort(key=lambda c: (c.start, c.n))
        cap = CASELOAD[key[1]]
        load: list[int] = []
        free: list[tuple[int, int]] = []      # (load, worker) heap, lazily updated
        ends: list[tuple[int, int]] = []      # (end ordinal, worker) of running courses
        for c in members:
            while ends and ends[0][0] < c.start:
                _, w = heapq.heappop(ends)
                load[w] -= 1
                heapq.heappush(free, (load[w], w))
            while free and free[0][0] != load[free[0][1]]:
                heapq.heappop(free)
            if free and free[0][0] < cap:
                _, w = heapq.heappop(free)
            else:
                w = len(load)
                load.append(0)
            load[w] += 1
            heapq.heappush(free, (load[w], w))
            heapq.heappush(ends, (c.end if c.end is not None else 10**9, w))
            c.worker = w
        team_size[key] = len(load)

    overloaded = {}
    for method, target in OVERLOAD.items():
        candidates = []
        for ki, k in enumerate(KOMMUNER):
            members = teams.get((k[0], method), [])
            active = [c for c in members if c.end is None]
            candidates.append((-len(active), ki, active))
        _, ki, active = min(candidates, key=lambda t: (t[0], t[1]))
        if len(active) <= CASELOAD[method]:
            print(f"warning: no {method} team has more than {CASELOAD[method]} active courses; "
                  "no overloaded worker", file=sys.stderr)
            continue
        target = min(target, len(active))
        per_worker: dict[int, list[Citizen]] = {}
        for c in active:
            per_worker.setdefault(c.worker, []).append(c)
        busiest = min(per_worker, key=lambda w: (-len(per_worker[w]), w))
        donors = sorted(
            (c for c in active if c.worker != busiest),
            key=lambda c: (-len(per_worker[c.worker]), c.worker, -c.start, c.n),
        )
        have = len(per_worker[busiest])
        for c in donors[: max(0, target - have)]:
            c.worker = busiest
        overloaded[method] = ((KOMMUNER[ki][0], method, busiest), target)

    # Global ids M01.. in team order (kommune order, then CTI, ICM, ACT).
    total = sum(team_size.values())
    width = max(2, len(str(total)))
    names: dict[tuple[str, str, int], str] = {}
    for k in KOMMUNER:
        for method in METHODS:
            for w in range(team_size.get((k[0], method), 0)):
                names[(k[0], method, w)] = f"M{len(names) + 1:0{width}d}"
    for c in citizens:
        c.worker = names[(c.kommune, c.metode, c.worker)]
    return {m: (names[key], n) for m, (key, n) in overloaded.items()}


# --------------------------------------------------------------------------- per-citizen rows

PLANNED_MONTHS = {"CTI": 9, "ICM": 18, "ACT": 24}
PLANNED_DAYS = {"CTI": 274, "ICM": 547, "ACT": 730}
EXPECTED_GAIN = {"CTI": 6.0, "ICM": 5.0, "ACT": 4.0}


def tid_rows(rng: random.Random, c: Citizen, w0: float, out) -> list[int]:
    """Write the citizen's month rows; return the actual goal score per course month."""
    first = month_index(c.start)
    last = month_index(min(c.end if c.end is not None else REF, REF))
    months = last - first + 1
    m_plan = PLANNED_MONTHS[c.metode]
    gain = min(EXPECTED_GAIN[c.metode], 24.0 - w0)
    r = clamp(0.7 + 0.8 * c.s + rng.gauss(0, 0.12), 0.2, 1.7)    # achieved share of the planned gain
    base_score = round(w0)                                      # the baseline the plan starts from
    dip_from = dip_len = dip = 0
    if months >= 4 and rng.random() < 0.05:          # a crisis: below plan for some months
        dip_from = rng.randint(3, months - 1)
        dip_len = rng.randint(2, 3)
        dip = rng.randint(4, 7)
    bias = clamp(rng.gauss(1.0, 0.1), 0.7, 1.3)
    cti = c.metode == "CTI"
    heavy = no_contact = False
    if cti:
        plan = (rng.choice((10, 12, 12, 12, 14)), rng.choice((6, 8, 8, 10)), rng.choice((3, 4, 4, 5)))
        heavy = rng.random() < 0.04                  # candidate for re-referral to ICM
        no_contact = not heavy and rng.random() < (0.09 if c.alder < 30 else 0.04)
    else:
        base = rng.choice((6, 8, 8, 8, 10)) if c.metode == "ICM" else rng.choice((8, 10, 12))
    scores: list[int] = []
    bid, metode = c.bid, c.metode
    for k in range(1, months + 1):
        if cti:
            fase = 1 if k <= 3 else 2 if k <= 6 else 3
            expected = plan[fase - 1] if k <= 9 else 0
            if k >= 10:
                actual = rng.uniform(0.5, 3.0)           # hand-over beyond the nine months
            else:
                factor = bias * max(0.0, rng.gauss(1.0, 0.18))
                if heavy and fase == 1:
                    factor = rng.uniform(1.9, 2.6)
                elif heavy and fase == 2:
                    factor *= 1.5
                elif no_contact and k <= 2:
                    factor = rng.uniform(0.0, 0.25)
                actual = expected * factor
        else:
            fase = None
            expected = base if k <= 12 else base * 0.75
            actual = expected * bias * max(0.0, rng.gauss(1.0, 0.18))
        actual_t = None if rng.random() < 0.02 else round(actual * 2) / 2
        frac = min(1.0, (k - 1) / (m_plan - 1))
        exp_goal = base_score + int(gain * frac)          # the plan: whole points, cautious
        score = base_score if k == 1 else round(base_score + gain * r * frac + rng.gauss(0.3, 0.7))
        if dip and dip_from <= k < dip_from + dip_len:
            score -= dip
        score = int(clamp(score, 0, 25))
        scores.append(score)
        shown = None if (k > 1 and rng.random() < 0.07) else score
        out.write(f"{bid},{metode},{month_start(first + k - 1)},{opt(fase)},{num(float(expected))},"
                  f"{num(actual_t)},{exp_goal},{opt(shown)}\n")
    return scores


def status_rows(rng: random.Random, c: Citizen, w0: float, scores: list[int], out) -> None:
    """Measurements foer (start), under (mid-course, every half year for ICM/ACT), efter (end)."""
    helsingoer = c.kommune == "Helsingør"      # only Helsingør measures SRS
    young = c.alder < 30
    substance = rng.random() < (0.45 if young else 0.60)
    first = month_index(c.start)
    last_day = c.end if c.end is not None else REF + 1
    points: list[tuple[str, int]] = []
    if rng.random() >= 0.04:
        points.append(("foer", max(c.visit, c.start - rng.randint(0, 7))))
    if c.metode == "CTI":
        d = c.start + rng.randint(120, 150)
        if d < last_day and d <= REF and rng.random() >= 0.05:
            points.append(("under", d))
    else:
        j = 1
        while True:
            d = c.start + 182 * j + rng.randint(-10, 10)
            if d >= last_day or d > REF:
                break
            if rng.random() >= 0.05:
                points.append(("under", d))
            j += 1
    if c.end is not None and rng.random() >= 0.07:
        points.append(("efter", c.end))
    plan_days = PLANNED_DAYS[c.metode]
    for point, d in points:
        frac = 0.0 if point == "foer" else min(1.0, (d - c.start) / plan_days)
        pr = c.s * frac
        if point == "foer":
            bolig = pick(rng, BOLIG_UNGE_FOER if young else BOLIG_FOER)
        else:
            p_egen = (0.70 + 0.25 * c.s) if point == "under" else (0.50 + 0.45 * c.s)
            bolig = "egen_bolig" if rng.random() < p_egen else pick(rng, BOLIG_TILBAGEFALD)
        job = rng.random() < (0.12 if young else 0.07) + (0.40 if young else 0.25) * pr
        u = rng.random()
        if job:
            forsoergelse = ("su" if u < 0.5 else "loen" if u < 0.85 else "ydelse") if young else \
                           ("loen" if u < 0.6 else "ydelse" if u < 0.9 else "andet")
        else:
            forsoergelse = "ydelse" if u < 0.86 else "andet" if u < 0.96 else "su"
        month = month_index(d) - first
        if 0 <= month < len(scores):
            who5 = scores[month]
        else:
            who5 = int(clamp(round(w0 + rng.gauss(0, 1.0)), 0, 25))

        def score(x: float, lo: int, hi: int, p_missing: float = 0.06) -> str:
            if rng.random() < p_missing:
                return ""
            return str(int(clamp(round(x), lo, hi)))

        def score1(x: float, lo: int, hi: int, p_missing: float = 0.06) -> str:
            """A score with one decimal (ORS, SRS: four 10 cm lines added up), from the same draws."""
            if rng.random() < p_missing:
                return ""
            return f"{clamp(round(x, 1), lo, hi):.1f}"

        ucla = score(7.0 - 2.2 * pr + rng.gauss(0, 1.0), 3, 9)
        who5_s = "" if rng.random() < 0.06 else str(who5)
        likert_good = [score(2.0 + 2.0 * pr + rng.gauss(0, 0.8), 1, 5) for _ in range(3)]
        mental = score(3.4 - 1.6 * pr + rng.gauss(0, 0.9), 1, 5)
        rus = score((3.6 - 1.6 * pr if substance else 1.4 - 0.3 * pr) + rng.gauss(0, 0.7), 1, 5)
        behandling = rng.random() < ((0.25 + 0.25 * frac) if substance else 0.02)
        sel85 = rng.random() < {"foer": 0.15, "under": 0.25}.get(point, 0.35 + 0.30 * c.s)
        ors = score1(17 + 11 * pr + rng.gauss(0, 4.0), 0, 40, 0.10)
        srs = score1(rng.gauss(35.5, 3.0), 0, 40) if helsingoer else ""
        out.write(f"{c.bid},{iso(d)},{point},{bolig},{flag(job)},{forsoergelse},{ucla},{who5_s},"
                  f"{likert_good[0]},{likert_good[1]},{likert_good[2]},{mental},{rus},"
                  f"{flag(behandling)},{flag(sel85)},{ors},{srs}\n")


def stay_length(rng: random.Random) -> int:
    u = rng.random()
    if u < 0.60:
        return rng.randint(1, 10)
    if u < 0.90:
        return rng.randint(11, 60)
    return rng.randint(61, 240)


def herberg_rows(rng: random.Random, rng2: random.Random, c: Citizen, out) -> list[tuple[int, int | None, str]]:
    """§110 stays: mostly before the course (and while waiting for the home), few after.

    The stays themselves come from ``rng`` (the main stream); where each ended and the date of
    its action plan from ``rng2``. Returns the stays as (admission, discharge, kind)."""
    young = c.alder < 30                 # the young stay with family and friends instead
    stays: list[tuple[int, int | None, str]] = []
    window_end = c.visit - 1
    wait_stay = None
    if rng.random() < (0.15 if young else 0.50 if c.kommune == "København" else 0.40):
        ind = c.visit - rng.randint(3, 150)
        wait_stay = (ind, c.start)           # discharged the day the citizen moves in
        window_end = ind - 2
    window_start = c.visit - 730
    k = int(pick(rng, (("0", 0.50), ("1", 0.30), ("2", 0.13), ("3", 0.05), ("4", 0.02)) if young
                 else (("0", 0.20), ("1", 0.28), ("2", 0.25), ("3", 0.15), ("4", 0.12))))
    span = window_end - window_start
    if k and span > 10:
        starts = sorted(rng.sample(range(span), k))
        for i, off in enumerate(starts):
            ind = window_start + off
            limit = window_start + starts[i + 1] - 1 if i + 1 < k else window_end
            ud = min(ind + stay_length(rng), limit)
            if ud > ind:
                stays.append((ind, ud, "pre"))
    if wait_stay:
        stays.append((*wait_stay, "wait"))
    course_end = c.end if c.end is not None else REF
    if rng.random() < 0.03 + 0.22 * (1 - c.s) and course_end - c.start > 45:
        ind = c.start + rng.randint(30, course_end - c.start - 1)
        ud = ind + rng.randint(1, 20)
        if c.end is not None:
            ud = min(ud, c.end - 1)
        if ud > ind:
            stays.append((ind, ud if ud <= REF else None, "relapse"))
    if c.end is not None and c.s < 0.4 and rng.random() < 0.5:
        ind = c.end + rng.randint(0, 120)
        if ind <= REF:
            ud = ind + rng.randint(10, 300)
            stays.append((ind, ud if ud <= REF else None, "after"))
    for ind, ud, kind in stays:
        doegn = (ud if ud is not None else REF) - ind
        udgift = doegn * rng.choice(SHELTER_RATES)
        til = ""
        if ud is not None and (kind == "wait" or rng2.random() >= 0.05):    # a few are not recorded
            til = pick(rng2, UDSKREVET_TIL[kind])
        plan = None
        if rng2.random() < 0.55:
            plan = ind + int(rng2.triangular(0, 75, 12))
            if plan > REF or (ud is not None and plan > ud):
                plan = None
        out.write(f"{c.bid},{iso(ind)},{iso(ud)},{doegn},{udgift},{til},{iso(plan)}\n")
    return stays


def bolig_rows(rng2: random.Random, c: Citizen, stays: list[tuple[int, int | None, str]], out) -> None:
    """Tenancies in own housing obtained during the course, from the second random stream.

    A citizen who waited at a shelter moves in the day the stay ends (the course start); most
    others at the start, some later, a few are still waiting at the reference date. A tenancy
    lasts longer the more the course succeeds (``c.s``); it often ends just before a shelter
    stay that starts while the citizen lives there (evicted or given up), otherwise for one of
    ``FRAFLYTNING``'s reasons. A move to another home is followed by a new tenancy.
    """
    waited = any(kind == "wait" for _, _, kind in stays)
    if waited:
        move_in = c.start
    elif rng2.random() < 0.07:
        return                                       # no home of their own yet
    elif rng2.random() < 0.75:
        move_in = c.start
    else:
        move_in = c.start + rng2.randint(7, 150)
    later_stays = sorted(ind for ind, _, kind in stays if kind in ("relapse", "after"))
    for _ in range(4):
        if move_in > REF:
            return
        length = 1 + int(rng2.expovariate(1.0 / (900 + 3500 * c.s)))
        end: int | None = move_in + length
        reason = ""
        lost = [ind for ind in later_stays if move_in + 20 < ind < end]
        if lost and rng2.random() < 0.5:                # lost the home, then came to a shelter
            end = lost[0] - rng2.randint(1, 14)
            reason = "udsat" if rng2.random() < 0.6 else "opsagt"
        elif end <= REF:
            reason = pick(rng2, FRAFLYTNING)
        if end > REF:
            end, reason = None, ""
        out.write(f"{c.bid},{iso(move_in)},{iso(end)},{reason}\n")
        if end is None or reason == "doed":
            return
        if reason == "anden_bolig":
            move_in = end + rng2.randint(0, 30)
        elif reason in ("udsat", "opsagt", "ukendt") and rng2.random() < 0.35:
            move_in = end + rng2.randint(30, 300)
        elif reason == "institution" and rng2.random() < 0.20:
            move_in = end + rng2.randint(60, 365)
        else:
            return


def fogedsag_rows(rng: random.Random, c: Citizen, averted: list[float], out) -> None:
    """Eviction cases for ~15 % of citizens; ~60 % averted (more often during the course).

    Whether a case is averted is drawn by systematic sampling (``averted`` carries the running
    remainder), so even the small demo shows the intended share rather than sampling noise.
    """
    if rng.random() >= 0.15:
        return
    n = 2 if rng.random() < 0.10 else 1
    course_end = min(c.end if c.end is not None else REF, REF)
    days = []
    for _ in range(n):
        if rng.random() < 0.30 or course_end - c.start < 30:
            days.append((c.start - rng.randint(10, 365), 0.48))     # before the course
        else:
            days.append((c.start + rng.randint(14, course_end - c.start), 0.65))
    for d, p in sorted(set(days)):
        averted[0] += p
        hit = averted[0] >= 1.0
        if hit:
            averted[0] -= 1.0
        out.write(f"{c.bid},{iso(d)},{flag(hit)}\n")


# --------------------------------------------------------------------------- housing market

def boligmarked_rows(rng: random.Random, out) -> int:
    rows = 0
    for name, *_ in KOMMUNER:
        scale, wait = HOUSING_MARKET[name]
        for q in range(12):
            d = date(2019 + q // 4, 3 * (q % 4) + 1, 1).toordinal()
            for pi, pris in enumerate(PRISINTERVAL):
                trend = 1 - 0.025 * q if pi < 2 else 1 + 0.01 * q
                for si, size in enumerate(STOERRELSE):
                    mix = VACANCY_MIX[pi][si]
                    ledige = max(0, round(scale * mix * trend * rng.gauss(1.0, 0.25)))
                    if mix < 0.2 and rng.random() < 0.5:
                        vent = anvis = None                    # no lettings in this band
                    else:
                        vent = max(1, round(wait * PRICE_WAIT[pi] * SIZE_WAIT[si] * (1 + 0.02 * q)
                                            * rng.gauss(1.0, 0.12)))
                        anvis = None if (ledige == 0 and rng.random() < 0.5) else \
                            round(vent * rng.uniform(0.15, 0.40))
                    out.write(f"{name},{iso(d)},{opt(vent)},{opt(anvis)},{ledige},{pris},{size}\n")
                    rows += 1
    return rows


# --------------------------------------------------------------------------- driver

def generate(citizens_n: int, seed: int, out_dir: Path) -> tuple[dict[str, int], dict]:
    """Write ``<id>.csv`` for every dataset into out_dir; return row counts and the overloaded workers."""
    rng = random.Random(seed)
    rng2 = random.Random(seed + TRAJECTORY_SEED)
    citizens = make_citizens(rng, citizens_n)
    overloaded = assign_workers(citizens)
    out_dir.mkdir(parents=True, exist_ok=True)
    files = {name: open(out_dir / f"{name}.csv", "w", encoding="utf-8", newline="\n",
                        buffering=1 << 20)
             for name in COLUMNS}
    try:
        for name, f in files.items():
            f.write(",".join(col for col, _ in COLUMNS[name]) + "\n")
        b = files["borgere"]
        for c in citizens:
            b.write(f"{c.bid},{c.kommune},{c.alder},{c.metode},{c.worker},{iso(c.visit)},"
                    f"{iso(c.start)},{iso(c.end)},{flag(c.samarb)}\n")
        counting = {name: _Counter(f) for name, f in files.items() if name != "boligmarked"}
        averted = [rng.random()]
        for c in citizens:
            w0 = clamp(rng.gauss(9.5, 3.5), 2.0, 19.0)
            scores = tid_rows(rng, c, w0, counting["tid"])
            status_rows(rng, c, w0, scores, counting["status"])
            stays = herberg_rows(rng, rng2, c, counting["herberg"])
            fogedsag_rows(rng, c, averted, counting["fogedsager"])
            bolig_rows(rng2, c, stays, counting["bolig"])
        counts = {name: w.rows for name, w in counting.items()}
        counts["borgere"] = len(citizens)
        counts["boligmarked"] = boligmarked_rows(random.Random(seed + 1), files["boligmarked"])
    finally:
        for f in files.values():
            f.close()
    return {name: counts[name] for name in COLUMNS}, overloaded


class _Counter:
    """A write-through wrapper that counts rows."""

    __slots__ = ("f", "rows")

    def __init__(self, f):
        self.f = f
        self.rows = 0

    def write(self, line: str) -> None:
        self.f.write(line)
        self.rows += 1


def to_parquet(csv_dir: Path, out_dir: Path) -> None:
    import duckdb  # only needed for the benchmark format

    out_dir.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    for name, cols in COLUMNS.items():
        spec = "{" + ", ".join(f"'{c}': '{t}'" for c, t in cols) + "}"
        src = (csv_dir / f"{name}.csv").as_posix()
        dst = (out_dir / f"{name}.parquet").as_posix()
        con.execute(f"COPY (SELECT * FROM read_csv('{src}', header = true, auto_detect = false, "
                    f"delim = ',', dateformat = '%Y-%m-%d', columns = {spec})) "
                    f"TO '{dst}' (FORMAT parquet)")
    con.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--citizens", type=int, default=300, help="number of citizen courses (default 300)")
    parser.add_argument("--seed", type=int, default=2021, help="random seed (default 2021)")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "data",
                        help="output folder (default: data/ next to this script)")
    parser.add_argument("--format", choices=("csv", "parquet"), default="csv")
    args = parser.parse_args(argv)
    if args.citizens < 1:
        parser.error("--citizens must be at least 1")

    t0 = time.perf_counter()
    if args.format == "csv":
        counts, overloaded = generate(args.citizens, args.seed, args.out)
    else:
        tmp = Path(tempfile.mkdtemp(prefix="hfspec-demo-"))
        try:
            counts, overloaded = generate(args.citizens, args.seed, tmp)
            to_parquet(tmp, args.out)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    elapsed = time.perf_counter() - t0

    for name, n in counts.items():
        print(f"{name:12} {n:>10,} rows")
    print(f"{'total':12} {sum(counts.values()):>10,} rows  "
          f"({elapsed:.1f} s, {args.format} in {os.fspath(args.out)})")
    for method, (worker, n) in overloaded.items():
        print(f"over caseload at {REFERENCE_DATE}: {method} worker {worker} has {n} active "
              f"(max {CASELOAD[method]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
