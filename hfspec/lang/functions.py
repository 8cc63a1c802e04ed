"""The one registry of functions: name, arity, kind, type rule, Python implementation, SQL
rendering and the doc lines that feed docs/language.md.

Scalar functions propagate null (any null argument gives null) unless `propagates_null` is
False (`coalesce`). Aggregates receive the non-null values that pass `where` (`count()` and
`share` are handled by the interpreter and SQL backend directly, as they count rows).
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
import statistics
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from hfspec.diagnostics import Message
from hfspec.lang import types as T
from hfspec.lang.types import Kind, Type

TypeRule = Callable[[Sequence[Type]], "Type | Message"]


@dataclass(frozen=True, slots=True)
class Function:
    name: str
    kind: str  # "scalar" | "aggregate"
    min_args: int
    max_args: int | None
    type_rule: TypeRule
    python: Callable[..., Any]
    sql: Callable[[Sequence[str]], str]
    doc: str
    example: str
    null_rule: str
    propagates_null: bool = True

    def accepts(self, count: int) -> bool:
        return count >= self.min_args and (self.max_args is None or count <= self.max_args)

    def __reduce__(self):
        """Pickled by name (a checked catalogue is cached; see spec/cache.py): the registry holds
        the implementations."""
        return registered, (self.kind, self.name)


def registered(kind: str, name: str) -> Function:
    """The registered function of a kind ("scalar" or "aggregate") by name."""
    return (AGGREGATES if kind == "aggregate" else SCALARS)[name]


def _numeric(name: str, result: Type | None = None):
    def rule(args: Sequence[Type]) -> Type | Message:
        for a in args:
            if not a.is_numeric:
                return Message("lang.needs_number", name=name, found=a.words())
        if result is not None:
            return result
        out = args[0]
        for a in args[1:]:
            out = T.numeric_join(out, a)
        return T.NUMBER if out.is_null else out
    return rule


def _dates(name: str, result: Type):
    def rule(args: Sequence[Type]) -> Type | Message:
        for a in args:
            if a.kind not in (Kind.DATE, Kind.NULL):
                return Message("lang.needs_date", name=name, found=a.words())
        return result
    return rule


#: Most decimals `round` takes, either way, as a literal or a parameter (HF445). A double holds
#: 15–17 significant digits, so more decimals change no value a key figure shows, and DuckDB
#: takes a 32-bit number of digits. Digits computed from data are clamped to this range.
MAX_ROUND_DIGITS = 15


def round_digits(digits) -> int:
    """The number of decimals `round` uses: clamped to ±MAX_ROUND_DIGITS (both backends agree).

    >>> round_digits(2), round_digits(99999999999), round_digits(-400)
    (2, 15, -15)
    """
    return max(-MAX_ROUND_DIGITS, min(MAX_ROUND_DIGITS, int(digits)))


def sql_round_digits(digits: str) -> str:
    """`round_digits` in SQL (NULL stays NULL: DuckDB's LEAST/GREATEST would skip it)."""
    return f"CAST(CASE WHEN {digits} > {MAX_ROUND_DIGITS} THEN {MAX_ROUND_DIGITS} WHEN {digits} < -{MAX_ROUND_DIGITS} THEN -{MAX_ROUND_DIGITS} ELSE {digits} END AS INTEGER)"


def _round_half_away(x: float, digits: int = 0) -> float:
    """Round half away from zero, as DuckDB's round does on doubles (scale, round, unscale).

    >>> _round_half_away(2.5), _round_half_away(-2.5), _round_half_away(0.49999999999999994), _round_half_away(1.5, 400)
    (3.0, -3.0, 0.0, 1.5)
    """
    try:
        scale = 10.0 ** digits
    except OverflowError:
        return x
    scaled = abs(x) * scale
    if not math.isfinite(scale) or not math.isfinite(scaled) or scale == 0:
        return x
    rounded = math.floor(scaled)
    if scaled - rounded >= 0.5:  # not floor(scaled + 0.5): that rounds 0.49999999999999994 up
        rounded += 1
    result = rounded / scale
    return math.copysign(result, x) if result else 0.0


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from `start` to `end` (negative when `end` is earlier).

    >>> months_between(dt.date(2021, 1, 15), dt.date(2021, 3, 14))
    1
    >>> months_between(dt.date(2021, 3, 14), dt.date(2021, 1, 15))
    -1
    """
    if end < start:
        return -months_between(end, start)
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if end.day < start.day else months


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _parse_date(text: str) -> dt.date | None:
    """An ISO date `YYYY-MM-DD` exactly (both backends accept nothing else)."""
    if not _ISO_DATE.fullmatch(text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _sql_months_between(a: str, b: str) -> str:
    forward = f"((year({b}) - year({a})) * 12 + month({b}) - month({a}) - CASE WHEN day({b}) < day({a}) THEN 1 ELSE 0 END)"
    backward = f"((year({a}) - year({b})) * 12 + month({a}) - month({b}) - CASE WHEN day({a}) < day({b}) THEN 1 ELSE 0 END)"
    return f"(CASE WHEN {b} >= {a} THEN {forward} ELSE -{backward} END)"


#: The dates both backends can hold: outside them `add_days` and `add_months` give null.
FIRST_DATE = dt.date(1, 1, 1)
LAST_DATE = dt.date(9999, 12, 31)
_MAX_DAYS = (LAST_DATE - FIRST_DATE).days
_MAX_MONTHS = 12 * 9999


def add_days(day: dt.date, n: int) -> dt.date | None:
    """The date `n` days after `day` (before it for negative `n`); null outside years 1-9999.

    >>> add_days(dt.date(2021, 12, 31), 1), add_days(dt.date(2021, 3, 1), -1), add_days(dt.date(9999, 12, 31), 1)
    (datetime.date(2022, 1, 1), datetime.date(2021, 2, 28), None)
    """
    if abs(n) > _MAX_DAYS:
        return None
    try:
        return day + dt.timedelta(days=n)
    except OverflowError:
        return None


def add_months(day: dt.date, n: int) -> dt.date | None:
    """The date `n` calendar months after `day`; a day the target month does not have becomes its
    last day (as DuckDB's `date + INTERVAL n MONTH`). Null outside years 1-9999.

    >>> add_months(dt.date(2021, 1, 31), 1), add_months(dt.date(2020, 1, 31), 1), add_months(dt.date(2021, 3, 31), -1)
    (datetime.date(2021, 2, 28), datetime.date(2020, 2, 29), datetime.date(2021, 2, 28))
    >>> add_months(dt.date(2020, 2, 29), 12), add_months(dt.date(2021, 6, 15), -18)
    (datetime.date(2021, 2, 28), datetime.date(2019, 12, 15))
    """
    if abs(n) > _MAX_MONTHS:
        return None
    year, month = divmod(day.year * 12 + day.month - 1 + n, 12)
    if not 1 <= year <= 9999:
        return None
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _sql_add_days(a: Sequence[str]) -> str:
    """`date + n` days, null when n or the result is out of range (checked before adding, so that
    DuckDB never overflows)."""
    day, n = f"CAST({a[0]} AS DATE)", a[1]
    return (f"(CASE WHEN {n} BETWEEN -{_MAX_DAYS} AND {_MAX_DAYS} THEN CASE WHEN ({day} - DATE '{FIRST_DATE.isoformat()}') + {n} "
            f"BETWEEN 0 AND {_MAX_DAYS} THEN {day} + CAST({n} AS INTEGER) END END)")


def _sql_add_months(a: Sequence[str]) -> str:
    """`date + n` calendar months (DuckDB clamps the day to the month's last), null out of range."""
    day, n = f"CAST({a[0]} AS DATE)", a[1]
    return (f"(CASE WHEN {n} BETWEEN -{_MAX_MONTHS} AND {_MAX_MONTHS} THEN CASE WHEN year({day}) * 12 + month({day}) - 1 + {n} "
            f"BETWEEN 12 AND {12 * 10_000 - 1} THEN CAST({day} + to_months(CAST({n} AS INTEGER)) AS DATE) END END)")


#: The messages of a date moved by a number of days or months: (first argument not a date, its
#: hint, second argument not a whole number).
_SHIFT_MESSAGES = {"days": ("lang.shift_not_date", "lang.shift_not_date_hint_days", "lang.shift_not_whole_days"),
                   "months": ("lang.shift_not_date", "lang.shift_not_date_hint_months", "lang.shift_not_whole_months")}


def _shift_rule(name: str, unit: str):
    def rule(args: Sequence[Type]) -> Type | tuple[Message, Message]:
        if args[0].kind not in (Kind.DATE, Kind.NULL):
            return (Message(_SHIFT_MESSAGES[unit][0], name=name, type=args[0].words()), Message(_SHIFT_MESSAGES[unit][1], name=name))
        if args[1].kind not in (Kind.INTEGER, Kind.NULL):
            return (Message(_SHIFT_MESSAGES[unit][2], name=name, type=args[1].words()), Message("lang.shift_example", name=name))
        return T.DATE
    return rule


def _first_last_rule(name: str):
    def rule(args: Sequence[Type]) -> Type | Message:
        if args[0].kind is Kind.LIST:
            return Message("lang.needs_value", name=name, type=args[0].words())
        return args[0]
    return rule


def _coalesce_rule(args: Sequence[Type]) -> Type | Message:
    out = args[0]
    for a in args[1:]:
        joined = T.unify(out, a)
        if joined is None:
            return Message("lang.coalesce_types", a=out.words(), b=a.words())
        out = joined
    return out


def _minmax_scalar(name: str):
    def rule(args: Sequence[Type]) -> Type | Message:
        out = args[0]
        for a in args[1:]:
            joined = T.unify(out, a)
            if joined is None or joined.kind in (Kind.BOOLEAN, Kind.ENUM, Kind.LIST):
                return Message("lang.minmax_types", name=name, a=out.words(), b=a.words())
            out = joined
        return out
    return rule


def _agg_value_rule(name: str, numeric: bool, result: Type | None = None):
    def rule(args: Sequence[Type]) -> Type | Message:
        a = args[0]
        if numeric and not a.is_numeric:
            return Message("lang.needs_number", name=name, found=a.words())
        if not numeric and a.kind in (Kind.BOOLEAN, Kind.LIST):
            return Message("lang.needs_orderable", name=name, found=a.words())
        if result is not None:
            return result
        return T.NUMBER if a.is_null else a
    return rule


def _share_rule(args: Sequence[Type]) -> Type | Message:
    if args[0].kind not in (Kind.BOOLEAN, Kind.NULL):
        return Message("lang.share_needs_condition", found=args[0].words())
    return T.NUMBER


def _median(values: list) -> Any:
    return statistics.median(values)


def _sum(values: list) -> Any:
    return math.fsum(values) if any(isinstance(v, float) for v in values) else sum(values)


def _mean(values: list) -> Any:
    return math.fsum(values) / len(values)


def _scalar(name, lo, hi, rule, py, sql, doc, example, null_rule="null if any argument is null", propagates=True) -> Function:
    return Function(name, "scalar", lo, hi, rule, py, sql, doc, example, null_rule, propagates)


def _aggregate(name, lo, hi, rule, py, sql, doc, example, null_rule) -> Function:
    return Function(name, "aggregate", lo, hi, rule, py, sql, doc, example, null_rule, False)


AGGREGATES: dict[str, Function] = {f.name: f for f in [
    _aggregate("count", 0, 1, lambda a: T.INTEGER, len, lambda a: f"count({a[0] if a else '*'})",
               "Number of rows; `count(x)` counts rows where x is not null; `count(distinct x)` counts different values.",
               "count(distinct borger_id where who5 <= 12)", "null values are not counted; no rows gives 0"),
    _aggregate("sum", 1, 1, _agg_value_rule("sum", True), _sum, lambda a: f"sum({a[0]})",
               "Sum of the values.", "sum(doegn where metode == \"CTI\")", "nulls are skipped; no values gives null"),
    _aggregate("mean", 1, 1, _agg_value_rule("mean", True, T.NUMBER), _mean, lambda a: f"avg({a[0]})",
               "Average of the values.", "mean(alder)", "nulls are skipped; no values gives null"),
    _aggregate("median", 1, 1, _agg_value_rule("median", True, T.NUMBER), _median, lambda a: f"median({a[0]})",
               "Middle value (the mean of the two middle values for an even count).", "median(ventetid_bolig_dage)", "nulls are skipped; no values gives null"),
    _aggregate("min", 1, 1, _agg_value_rule("min", False), min, lambda a: f"min({a[0]})",
               "Smallest value (with one argument, over rows).", "min(startdato)", "nulls are skipped; no values gives null"),
    _aggregate("max", 1, 1, _agg_value_rule("max", False), max, lambda a: f"max({a[0]})",
               "Largest value (with one argument, over rows).", "max(doegn)", "nulls are skipped; no values gives null"),
    _aggregate("share", 1, 1, _share_rule, lambda v: None, lambda a: a[0],
               "Share (0..1) of rows where the condition is true, out of rows where it is not null.",
               "share(boligsituation == \"egen_bolig\")", "rows where the condition is null count in neither part; no such rows gives null"),
    _aggregate("first", 1, 1, _first_last_rule("first"), lambda v: None, lambda a: a[0],
               "The value on the row that comes first by the order after `by` (ties: the smallest value).",
               "first(who5 by dato where maalepunkt == \"foer\")",
               "rows with a null order are skipped; the first row's value is taken even when null; no rows gives null"),
    _aggregate("last", 1, 1, _first_last_rule("last"), lambda v: None, lambda a: a[0],
               "The value on the row that comes last by the order after `by` (ties: the largest value).",
               "last(who5 by dato where maalepunkt == \"efter\")",
               "rows with a null order are skipped; the last row's value is taken even when null; no rows gives null"),
]}

#: Aggregates that need an order (`by`), and take no other.
ORDERED = frozenset({"first", "last"})


SCALARS: dict[str, Function] = {f.name: f for f in [
    _scalar("abs", 1, 1, _numeric("abs"), abs, lambda a: f"abs({a[0]})", "Absolute value.", "abs(faktisk_timer - forventet_timer)"),
    _scalar("round", 1, 2, lambda a: _numeric("round", T.NUMBER)(a) if not (len(a) == 2 and a[1].kind not in (Kind.INTEGER, Kind.NULL)) else Message("lang.round_digits"),
            lambda x, d=0: _round_half_away(float(x), round_digits(d)),
            lambda a: f"round(CAST({a[0]} AS DOUBLE), {sql_round_digits(a[1]) if len(a) > 1 else 0})",
            "Round to a number of decimals (half away from zero).", "round(mean(alder), 1)"),
    _scalar("min", 2, None, _minmax_scalar("min"), lambda *xs: min(xs), lambda a: "least(" + ", ".join(a) + ")",
            "Smallest of two or more values (in a row).", "min(faktisk_timer, 20)"),
    _scalar("max", 2, None, _minmax_scalar("max"), lambda *xs: max(xs), lambda a: "greatest(" + ", ".join(a) + ")",
            "Largest of two or more values (in a row).", "max(0, faktisk_timer - forventet_timer)"),
    _scalar("coalesce", 1, None, _coalesce_rule, lambda *xs: next((x for x in xs if x is not None), None),
            lambda a: "coalesce(" + ", ".join(a) + ")", "The first argument that is not null.", "coalesce(slutdato, param.reference_date)",
            "null only if every argument is null", propagates=False),
    _scalar("date", 1, 1, lambda a: T.DATE if a[0].kind in (Kind.STRING, Kind.NULL) else Message("lang.date_needs_text", found=a[0].words()),
            _parse_date, lambda a: f"(CASE WHEN regexp_full_match({a[0]}, '[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}') THEN TRY_CAST({a[0]} AS DATE) END)", "A date from ISO text.", "date(\"2021-12-31\")",
            "null for null or for text that is not an ISO date"),
    _scalar("year", 1, 1, _dates("year", T.INTEGER), lambda d: d.year, lambda a: f"year(CAST({a[0]} AS DATE))", "The year of a date.", "year(startdato)"),
    _scalar("month", 1, 1, _dates("month", T.INTEGER), lambda d: d.month, lambda a: f"month(CAST({a[0]} AS DATE))", "The month (1–12) of a date.", "month(dato)"),
    _scalar("month_start", 1, 1, _dates("month_start", T.DATE), lambda d: d.replace(day=1),
            lambda a: f"CAST(date_trunc('month', CAST({a[0]} AS DATE)) AS DATE)", "The first day of the month of a date.",
            "month_start(uge_start)"),
    _scalar("days_between", 2, 2, _dates("days_between", T.INTEGER), lambda a, b: (b - a).days,
            lambda a: f"date_diff('day', CAST({a[0]} AS DATE), CAST({a[1]} AS DATE))", "Days from the first date to the second (negative if earlier).",
            "days_between(visitationsdato, startdato)"),
    _scalar("months_between", 2, 2, _dates("months_between", T.INTEGER), months_between,
            lambda a: _sql_months_between(f"CAST({a[0]} AS DATE)", f"CAST({a[1]} AS DATE)"), "Whole months from the first date to the second.",
            "months_between(startdato, coalesce(slutdato, param.reference_date))"),
    _scalar("add_days", 2, 2, _shift_rule("add_days", "days"), add_days, _sql_add_days,
            "The date a number of days later (earlier when negative); null outside years 1–9999.", "add_days(udskrivning, 180)"),
    _scalar("add_months", 2, 2, _shift_rule("add_months", "months"), add_months, _sql_add_months,
            "The date a number of calendar months later; 31 January + 1 month is the last day of February.", "add_months(indflytningsdato, 12)"),
    _scalar("who5_pct", 1, 1, _numeric("who5_pct"), lambda x: x * 4, lambda a: f"({a[0]} * 4)",
            "WHO-5 raw score (0–25) as the 0–100 index (raw × 4); 50 or less is poor wellbeing.", "who5_pct(who5) <= 50"),
]}

#: Functions with special syntax or meaning handled by the checker and backends themselves.
SPECIAL = {
    "ref": ("Value of another key figure, matched on equal breakdown keys (derived key figures only).", "ref(\"HF-O-08\") / ref(\"HF-P-01\")"),
    "days_in_period": ("Days of the row's interval (`time: [start, end]`, end not included) that fall in the result's period.",
                       "sum(days_in_period())"),
}


def lookup(name: str, arg_count: int, aggregate_allowed: bool) -> Function | None:
    """The function a call means: `min(x)` is the aggregate, `min(a, b)` the scalar."""
    scalar = SCALARS.get(name)
    agg = AGGREGATES.get(name)
    if agg is not None and agg.accepts(arg_count) and (aggregate_allowed or scalar is None or not scalar.accepts(arg_count)):
        return agg
    if scalar is not None and scalar.accepts(arg_count):
        return scalar
    return agg or scalar


def known_names() -> list[str]:
    return sorted(set(SCALARS) | set(AGGREGATES) | set(SPECIAL))
