"""Result rows of key figures and their stable long format (CSV/JSON), documented in
docs/results-format.md.

A row is one published cell: a group of the key figure's breakdowns in a period, or a **total**
over some of them (`total_over`: the breakdown names, and `"period"`, that the cell adds up; a
total's `by` holds only the breakdowns it keeps). Totals are computed from the data like any
other cell, with their own `n` and disclosure control; a run has them only when asked for
(`hfspec eval --totals`, `--store`, the report), and then writes the format `hfspec-results/2`.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field, replace
from typing import Any

from hfspec.engine.disclosure import published
from hfspec.spec.model import ColumnSpec, Headline, IndicatorSpec
from hfspec.words import format_number

#: Columns of the long CSV format (`render.writers.to_csv`), in order; the by-columns, the union
#: over indicators, follow `period`. With totals, `TOTAL_COLUMNS` follow the by-columns.
LEADING_COLUMNS = ("indicator", "title", "type", "unit", "period")
TOTAL_COLUMNS = ("total_over", "headline")
TRAILING_COLUMNS = ("value", "n", "suppressed", "target", "status")
#: The format marker of the JSON output, without and with totals.
FORMAT, FORMAT_WITH_TOTALS = "hfspec-results/1", "hfspec-results/2"
#: The name `total_over` uses for the period: a total over every period.
PERIOD = "period"


@dataclass
class ResultRow:
    indicator: str
    period: str | None
    by: dict[str, Any]
    value: Any
    n: int | None
    suppressed: bool
    status: str | None  # "met" | "not_met" | None (no target, no value, or suppressed)
    total_over: tuple[str, ...] = ()  # the breakdowns (and "period") this cell is a total over; () for a group
    secondary: bool = False  # suppressed by secondary suppression (engine.secondary): value and n hidden
    n_hidden: bool = False  # a primary-suppressed cell whose n secondary suppression hides too

    @property
    def hides_n(self) -> bool:
        """Whether secondary suppression hides this cell's n (`disclosure.published`'s `secondary`)."""
        return self.secondary or self.n_hidden

    def key(self) -> tuple:
        return (self.period, tuple(sorted(self.by.items(), key=lambda kv: kv[0])), tuple(sorted(self.total_over)))

    @property
    def is_total(self) -> bool:
        return bool(self.total_over)


@dataclass
class Change:
    """The change of a cell since the previous period: the cell of `period` minus the same group's
    cell of `previous` (the calendar period before). A published number of its own, with the
    smaller `n` of the two cells; suppressed when either cell is, and None when either has no value."""

    indicator: str
    period: str
    previous: str
    by: dict[str, Any]
    total_over: tuple[str, ...]
    value: float | None
    n: int | None
    suppressed: bool
    secondary: bool = False  # suppressed only because a cell was hidden by secondary suppression

    def key(self) -> tuple:
        return (self.period, tuple(sorted(self.by.items(), key=lambda kv: kv[0])), tuple(sorted(self.total_over)))


@dataclass
class IndicatorResult:
    spec: IndicatorSpec
    rows: list[ResultRow]
    sql: str | None = None
    by: tuple[str, ...] = ()
    period: str | None = None
    is_count: bool = False
    #: The Dataset spec's column of each breakdown (its title and the titles of its values).
    columns: dict[str, ColumnSpec] = field(default_factory=dict)

    def column_title(self, key: str, lang: str = "da") -> str:
        """What people call a breakdown: the column's title in the Dataset spec ("Målepunkt"), else
        its name (`kommune`, or `kommune` of `borgere.kommune`)."""
        column = self.columns.get(key)
        return column.title.get(lang) if column is not None and column.title else key.rpartition(".")[2]

    def display_key(self, row: ResultRow) -> tuple:
        """The order people read the rows in: by period, then by each breakdown, the values of an
        enum column in the Dataset spec's order (før, under, efter), empty values last."""
        key: list[tuple] = [(row.period is None, row.period or "")]
        for b in self.by:
            value = row.by.get(b)
            column = self.columns.get(b)
            order = column.values.index(str(value)) if column is not None and str(value) in column.values else -1
            key.append((value is None, order, "" if value is None else str(value)))
        return tuple(key)

    def value_title(self, key: str, value: Any, lang: str = "da") -> str:
        """What people call a breakdown's value: the title of an enum value in the Dataset spec
        ("Før" for `foer`), `ja`/`nej` for a true/false value, `–` for none, else the value as is."""
        column = self.columns.get(key)
        if column is not None and str(value) in column.value_titles:
            return column.value_titles[str(value)].get(lang)
        if value is None:
            return "–"
        if isinstance(value, bool):
            return format_number(value, None, lang)
        if isinstance(value, (dt.date, dt.datetime)):
            return value.isoformat()[:10]
        return str(value)
    is_share: bool = False
    changes: list[Change] = field(default_factory=list)  # of the latest period's cells (with totals only)

    @property
    def has_totals(self) -> bool:
        return any(r.total_over for r in self.rows)


@dataclass
class Result:
    """The outcome of one `hfspec eval` run."""

    indicators: list[IndicatorResult]
    suppress_below: int
    data: dict[str, int] = field(default_factory=dict)  # dataset -> rows used
    skipped: dict[str, list[int]] = field(default_factory=dict)
    period_from: str | None = None
    period_to: str | None = None
    data_files: list[str] = field(default_factory=list)  # the files the data came from (not written out)
    totals: bool = False  # total rows computed (format 2)
    secondary: int = 0  # cells hidden by secondary suppression

    @property
    def not_for_publication(self) -> bool:
        """Whether disclosure control was off (k ≤ settings.UNPROTECTED_K): every output says so at the top."""
        from hfspec.settings import UNPROTECTED_K

        return self.suppress_below <= UNPROTECTED_K

    def groups_only(self) -> "Result":
        """This result without its total rows and changes (what `hfspec eval` shows without --totals)."""
        indicators = [replace(ir, rows=[r for r in ir.rows if not r.total_over], changes=[]) for ir in self.indicators]
        return replace(self, indicators=indicators, totals=False)

    def by_columns(self) -> list[str]:
        seen: dict[str, None] = {}
        for ir in self.indicators:
            for b in ir.by:
                seen.setdefault(b)
        return list(seen)

    def records(self, lang: str = "da") -> list[dict[str, Any]]:
        """Flat rows: one dict per result cell, suppressed values as None (with totals: the
        `TOTAL_COLUMNS` too, `total_over` as names joined by `;`), and `secondary`: whether a
        suppressed value was hidden by secondary suppression (not a CSV column)."""
        out = []
        cols = self.by_columns()
        for ir in self.indicators:
            head = headline_cell(ir) if self.totals else None
            for r in ir.rows:
                rec: dict[str, Any] = {"indicator": r.indicator, "title": ir.spec.title.get(lang), "type": ir.spec.type,
                                       "unit": ir.spec.unit or "", "period": r.period}
                for c in cols:
                    rec[c] = r.by.get(c)
                if self.totals:
                    rec.update({"total_over": ";".join(r.total_over), "headline": r is head})
                value, n = published(r.value, r.n, r.suppressed, self.suppress_below, r.hides_n)
                rec.update({"value": value, "n": n, "suppressed": r.suppressed, "target": ir.spec.target or "", "status": r.status,
                            "secondary": r.secondary})
                out.append(rec)
        return out

    def to_json(self, lang: str = "da") -> dict[str, Any]:
        indicators = []
        for ir in self.indicators:
            item = {"id": ir.spec.id, "title": ir.spec.title.as_dict(), "type": ir.spec.type, "unit": ir.spec.unit,
                    "target": ir.spec.target, "by": list(ir.by), "period": ir.period}
            if self.totals:
                head = headline_cell(ir)
                item["headline"] = ir.spec.headline if ir.spec.headline is not None else ("latest" if ir.period else "total")
                item["rows"] = [{**self._json_row(r), "total_over": list(r.total_over), "headline": r is head} for r in ir.rows]
            else:
                item["rows"] = [self._json_row(r) for r in ir.rows]
            indicators.append(item)
        from hfspec.words import NOT_FOR_PUBLICATION

        notice = {"not_for_publication": NOT_FOR_PUBLICATION[lang].format(k=self.suppress_below)} if self.not_for_publication else {}
        return {
            **notice,
            "format": FORMAT_WITH_TOTALS if self.totals else FORMAT,
            "suppress_below": self.suppress_below,
            "period_from": self.period_from,
            "period_to": self.period_to,
            "data_rows": self.data,
            "skipped_rows": self.skipped,
            "indicators": indicators,
        }

    def _json_row(self, r: ResultRow) -> dict[str, Any]:
        value, n = published(r.value, r.n, r.suppressed, self.suppress_below, r.hides_n)
        row = {"period": r.period, "by": r.by, "value": value, "n": n, "suppressed": r.suppressed, "status": r.status}
        if r.suppressed:
            row["suppression"] = "secondary" if r.secondary else "primary"
        return row


# --------------------------------------------------------------------------- headline and change


def _short(name: str) -> str:
    return name.rpartition(".")[2]


def _same(a: Any, b: Any) -> bool:
    """A breakdown value equals a `headline:` value (`{fase: 1}` names the group 1, `{x: true}` True)."""
    return a == b or str(a) == str(b) or (isinstance(a, bool) and str(b).lower() == str(a).lower())


def latest_period(rows: list[ResultRow]) -> str | None:
    """The latest period label of the rows (labels of one kind sort in time order)."""
    periods = [r.period for r in rows if r.period is not None]
    return max(periods) if periods else None


def headline_cell(ir: IndicatorResult, rows: list[ResultRow] | None = None, fixed: dict[str, Any] | None = None,
                  period: str | None = None) -> ResultRow | None:
    """The cell that stands for the key figure (its `headline:`, see `spec.model.Headline`): the
    group it names, totalled over the other breakdowns, in the latest period or over every period.

    `rows` (default: the key figure's rows) and `fixed` (more breakdown values the cell must have:
    a municipality of a comparison) narrow the search; `period` is the latest period to use (a
    comparison uses the same period for every municipality). None when the cell is not among the
    rows: a run without totals has only the groups, so only a key figure without breakdowns, or
    whose headline names every breakdown, has its headline there.
    """
    head = Headline.of(ir.spec.headline, ir.period)
    rows = ir.rows if rows is None else rows
    names = {b: b for b in ir.by} | {_short(b): b for b in ir.by}
    group = {names.get(k, k): v for k, v in head.group} | dict(fixed or {})
    over = {b for b in ir.by if b not in group}
    if ir.period and not head.latest:
        over.add(PERIOD)
    if head.latest and ir.period:
        period = period or latest_period([r for r in rows if not r.total_over or PERIOD not in r.total_over])
        if period is None:
            return None
    for r in rows:
        if set(r.total_over) != over or set(r.by) != set(group):
            continue
        if head.latest and ir.period and r.period != period:
            continue
        if all(_same(r.by[k], v) for k, v in group.items()):
            return r
    return None


def previous_period(label: str) -> str | None:
    """The calendar period before a period label.

    >>> [previous_period(p) for p in ("2021", "2021-H1", "2021-Q1", "2021-03", "2021-01")]
    ['2020', '2020-H2', '2020-Q4', '2021-02', '2020-12']
    """
    year, _, rest = label.partition("-")
    if not year.isdigit():
        return None
    y = int(year)
    if not rest:
        return str(y - 1)
    kind, number = (rest[0], rest[1:]) if rest[0] in "HQ" else ("M", rest)
    if not number.isdigit():
        return None
    k, last = int(number), {"H": 2, "Q": 4, "M": 12}[kind]
    y, k = (y - 1, last) if k == 1 else (y, k - 1)
    return f"{y}-{kind}{k}" if kind in "HQ" else f"{y}-{k:02d}"


def changes(ir: IndicatorResult) -> list[Change]:
    """The change since the previous period of every cell of the latest period (groups and totals):
    one `Change` per cell whose group has a cell in the calendar period before."""
    latest = latest_period(ir.rows) if ir.period else None
    previous = previous_period(latest) if latest else None
    if previous is None:
        return []
    before = {(tuple(sorted(r.by.items(), key=lambda kv: kv[0])), tuple(sorted(r.total_over))): r for r in ir.rows if r.period == previous}
    out = []
    for r in ir.rows:
        if r.period != latest:
            continue
        old = before.get((tuple(sorted(r.by.items(), key=lambda kv: kv[0])), tuple(sorted(r.total_over))))
        if old is None:
            continue
        suppressed = r.suppressed or old.suppressed
        value = None
        if not suppressed and isinstance(r.value, (int, float)) and isinstance(old.value, (int, float)):
            value = r.value - old.value
        ns = [x for x in (r.n, old.n) if x is not None]
        primary = (r.suppressed and not r.secondary) or (old.suppressed and not old.secondary)
        out.append(Change(r.indicator, latest, previous, dict(r.by), r.total_over, value, min(ns) if ns else None, suppressed,
                          suppressed and not primary))
    return out


def cell_data(indicator: str, row, value: float | None, n: int | None, source: str = "") -> dict[str, Any]:
    """A published cell as data for `hfspec audit` (the report's `data-*` attributes, the hidden
    `hfspec-celle` column of the workbooks): its key figure, group, period, what it totals, its value and n as published (none when hidden), and
    `source` when it comes from other data than the report's own (a comparison of data folders)."""
    by = {name: (v.isoformat()[:10] if isinstance(v, (dt.date, dt.datetime)) else v) for name, v in row.by.items()}
    return {"indicator": indicator, "by": json.dumps(by, ensure_ascii=False, sort_keys=True, default=str), "period": row.period or "",
            "total": " ".join(row.total_over), "hidden": "true" if row.suppressed else "false",
            "value": "" if row.suppressed or value is None else repr(float(value)), "n": "" if n is None else str(n), "source": source}
