"""Result rows of key figures and their stable long format (CSV/JSON), documented in
docs/results-format.md."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hfspec.engine.disclosure import published
from hfspec.spec.model import IndicatorSpec

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
