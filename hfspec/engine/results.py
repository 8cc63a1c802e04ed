"""Result rows of key figures and their stable long format (CSV/JSON), documented in
docs/results-format.md."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from hfspec.engine.disclosure import published
from hfspec.spec.model import ColumnSpec, IndicatorSpec
from hfspec.words import format_number

#: Columns of the long CSV format (`render.writers.to_csv`), in order; the by-columns, the union
#: over indicators, follow `period`.
LEADING_COLUMNS = ("indicator", "title", "type", "unit", "period")
TRAILING_COLUMNS = ("value", "n", "suppressed", "target", "status")


@dataclass
class ResultRow:
    indicator: str
    period: str | None
    by: dict[str, Any]
    value: Any
    n: int | None
    suppressed: bool
    status: str | None  # "met" | "not_met" | None (no target, no value, or suppressed)

    def key(self) -> tuple:
        return (self.period, tuple(sorted(self.by.items())))


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

    def by_columns(self) -> list[str]:
        seen: dict[str, None] = {}
        for ir in self.indicators:
            for b in ir.by:
                seen.setdefault(b)
        return list(seen)

    def records(self, lang: str = "da") -> list[dict[str, Any]]:
        """Flat rows: one dict per result cell, suppressed values as None."""
        out = []
        cols = self.by_columns()
        for ir in self.indicators:
            for r in ir.rows:
                rec: dict[str, Any] = {"indicator": r.indicator, "title": ir.spec.title.get(lang), "type": ir.spec.type,
                                       "unit": ir.spec.unit or "", "period": r.period}
                for c in cols:
                    rec[c] = r.by.get(c)
                value, n = published(r.value, r.n, r.suppressed, self.suppress_below)
                rec.update({"value": value, "n": n, "suppressed": r.suppressed, "target": ir.spec.target or "", "status": r.status})
                out.append(rec)
        return out

    def to_json(self, lang: str = "da") -> dict[str, Any]:
        return {
            "format": "hfspec-results/1",
            "suppress_below": self.suppress_below,
            "period_from": self.period_from,
            "period_to": self.period_to,
            "data_rows": self.data,
            "skipped_rows": self.skipped,
            "indicators": [
                {
                    "id": ir.spec.id, "title": ir.spec.title.as_dict(), "type": ir.spec.type, "unit": ir.spec.unit,
                    "target": ir.spec.target, "by": list(ir.by), "period": ir.period,
                    "rows": [self._json_row(r) for r in ir.rows],
                }
                for ir in self.indicators
            ],
        }

    def _json_row(self, r: ResultRow) -> dict[str, Any]:
        value, n = published(r.value, r.n, r.suppressed, self.suppress_below)
        return {"period": r.period, "by": r.by, "value": value, "n": n, "suppressed": r.suppressed, "status": r.status}
