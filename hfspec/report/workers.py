"""The double bottom line per worker (`dbl.model.WorkerSummary`) → the report's worker table:
workers with k or more active citizens one by one, the others pooled so that their numbers can
still be shown, and a total row.

Pooling before hiding: a worker with fewer than k active citizens is not shown alone (a count
of one citizen with a signal would point at a person). Such workers are pooled per method
("Øvrige CTI-medarbejdere (3)") – the data has no team column, and the method is the level above
the worker that the standard data has. A method pool that still has fewer than k citizens is
pooled with the other small method pools ("Øvrige medarbejdere"); if that is still too small, it
is added to the smallest method pool that is shown, and only when there is none is it shown
suppressed. Every row is computed from the cells' exact counts and sums (a pooled mean is the
mean over the pooled citizens), never from rounded numbers.

The total row counts every active citizen – unless a row had to be suppressed: then it counts the
rows shown only (and says so), because the total minus the shown rows would give the suppressed
row away.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hfspec.engine.disclosure import suppress
from hfspec.words import REPORT, SUPPRESSED, format_number

#: The HTML report's worker table shows at most this many workers one by one (then the pools and
#: the total); the workbook has them all. A municipality has tens of workers, not thousands.
MAX_WORKER_ROWS = 60


@dataclass
class _Pool:
    """Active citizens of one or more workers, summed from their cells."""

    label: str
    methods: set[str] = field(default_factory=set)
    workers: set[str] = field(default_factory=set)
    citizens: int = 0
    time_sum: float = 0.0
    time_count: int = 0
    signals: dict[str, int | None] = field(default_factory=dict)
    breaches: list[str] = field(default_factory=list)
    pooled: bool = False

    def add(self, cell) -> None:
        if cell.metode:
            self.methods.add(cell.metode)
        self.workers.add(cell.medarbejder_id or "–")
        self.citizens += cell.citizens
        self.time_sum += cell.time_used_sum
        self.time_count += cell.time_used_count
        for rid, n in cell.signals.items():
            self.signals[rid] = None if n is None or self.signals.get(rid, 0) is None else self.signals.get(rid, 0) + n

    def merge(self, other: "_Pool") -> None:
        self.methods |= other.methods
        self.workers |= other.workers
        self.citizens += other.citizens
        self.time_sum += other.time_sum
        self.time_count += other.time_count
        for rid, n in other.signals.items():
            self.signals[rid] = None if n is None or self.signals.get(rid, 0) is None else self.signals.get(rid, 0) + n


def _pools(summary, k: int, w: dict) -> tuple[list[_Pool], list[_Pool]]:
    """(rows, suppressed rows): the workers shown alone, then the pools."""
    by_worker: dict[str, list] = {}
    for cell in summary.cells:
        by_worker.setdefault(cell.medarbejder_id or "–", []).append(cell)
    alone: list[_Pool] = []
    small: list = []
    for worker in sorted(by_worker, key=lambda x: (x == "–", x)):
        pool = _Pool(w["no_worker"] if worker == "–" else worker)
        for cell in by_worker[worker]:
            pool.add(cell)
        pool.breaches = list(summary.breaches.get(worker, []))
        if k > 0 and pool.citizens < k:
            small.extend(by_worker[worker])
        else:
            alone.append(pool)
    per_method: dict[str, _Pool] = {}
    for cell in small:
        method = cell.metode or "–"
        per_method.setdefault(method, _Pool("", pooled=True)).add(cell)
    shown = [p for m, p in sorted(per_method.items()) if p.citizens >= k]
    rest = [p for m, p in sorted(per_method.items()) if p.citizens < k]
    for p in shown:
        p.label = w["pooled"].format(m=next(iter(p.methods), "–"), n=len(p.workers))
    hidden: list[_Pool] = []
    if rest:
        left = _Pool("", pooled=True)
        for p in rest:
            left.merge(p)
        if left.citizens >= k:
            left.label = w["pooled_all"].format(n=len(left.workers))
            shown.append(left)
        elif shown:
            target = min(shown, key=lambda p: p.citizens)
            target.merge(left)
            target.label = w["pooled_all"].format(n=len(target.workers)) if len(target.methods) > 1 else target.label
        else:
            left.label = w["pooled_all"].format(n=len(left.workers))
            hidden.append(left)
    return alone + shown, hidden


def _row(pool: _Pool, signal_ids: list[str], hidden: bool, lang: str, shown: bool = True) -> dict[str, Any]:
    """A row of the table; `shown` false: a worker beyond the HTML's first rows, whose numbers
    only the workbook shows (its texts are left empty: 5,000 workers' texts cost half a second)."""
    sup = SUPPRESSED[lang]
    mean = pool.time_sum / pool.time_count if pool.time_count else None
    counts = [pool.signals.get(rid) for rid in signal_ids]

    def text(value, unit=None, decimals=None) -> str:
        return sup if hidden else format_number(value, unit, lang, decimals) if shown else ""
    return {"id": pool.label, "methods": ", ".join(sorted(pool.methods)), "suppressed": hidden, "pooled": pool.pooled,
            "workers": len(pool.workers) if pool.pooled else None, "shown": shown,
            "citizens": None if hidden else pool.citizens, "citizens_text": text(pool.citizens),
            "time_used": None if hidden else mean, "time_used_text": text(mean, "share", 0),
            "signal_counts": [None if hidden else c for c in counts],
            "signal_texts": [text(c) for c in counts], "rule_breaches": list(pool.breaches)}


def workers_context(summary, k: int, lang: str) -> dict[str, Any]:
    """The worker table: rows (workers and pools), the total, the signals' titles, and notes."""
    w = REPORT[lang]
    signal_ids = [rid for rid, _ in summary.signals]
    rows, hidden = _pools(summary, k, w)
    alone = 0
    out = []
    for p in rows:
        alone += not p.pooled
        out.append(_row(p, signal_ids, False, lang, p.pooled or alone <= MAX_WORKER_ROWS))
    out += [_row(p, signal_ids, True, lang) for p in hidden]
    total = _Pool(w["all_workers"] if hidden else w["total_row"])
    for cell in summary.cells:
        total.add(cell)
    if hidden:  # every row that is shown, and nothing of the suppressed one
        total = _Pool(w["all_workers"])
        for p in rows:
            total.merge(p)
    total_row = _row(total, signal_ids, suppress(total.citizens, None, False, k) if total.citizens else False, lang)
    total_row["methods"] = ", ".join(sorted(total.methods))
    pooled = any(p.pooled for p in [*rows, *hidden])
    return {"reference_date": summary.reference_date, "k": k, "signals": [{"id": rid, "title": title, "key": f"S{i}"} for i, (rid, title) in enumerate(summary.signals, 1)],
            "rows": out, "total": total_row, "pooled": pooled,
            "breaches": [{"worker": worker, "titles": titles} for worker, titles in sorted(summary.breaches.items()) if titles],
            "intro": w["workers_intro"].format(d=summary.reference_date, k=k),
            "note": w["pooled_note"].format(k=k) if pooled else "",
            "cut_note": w["workers_cut"].format(shown=MAX_WORKER_ROWS, total=format_number(alone, None, lang)) if alone > MAX_WORKER_ROWS else ""}
