"""A `Result` with primary disclosure control → the same result with secondary suppression: the
cells hidden so that no primary-suppressed cell can be computed, or narrowed to an interval
narrower than the protection level, from what the result publishes (`engine.linked` holds the
linked tables and the attacker). Applied once per output, by the Session, before any writer sees
the result: every writer shows the same hidden cells.

Afterwards, the derived key figures are derived again (a derived cell is hidden when a cell it
is computed from is), and the changes since the previous period are computed again (a change
is hidden when either of its cells is)."""

from __future__ import annotations

from hfspec.engine.linked import Published, links_of, protect
from hfspec.engine.results import Result, ResultRow, changes


def published_rows(results: list[Result]) -> tuple[list[Published], dict, dict]:
    """The rows of results as the attacker reads them, with their true (value, n) and the rows,
    each keyed by (result, key figure, row) index."""
    from hfspec.engine.disclosure import published

    rows, truth, refs = [], {}, {}
    for h, result in enumerate(results):
        for i, ir in enumerate(result.indicators):
            for j, r in enumerate(ir.rows):
                value, n = published(r.value, r.n, r.suppressed, result.suppress_below, r.hides_n)
                number = value if isinstance(value, (int, float)) and not isinstance(value, bool) else None
                rows.append(Published((h, i, j), ir.spec.id, r.period, r.by, r.total_over, number, n, r.suppressed))
                truth[(h, i, j)] = (r.value, r.n)
                refs[(h, i, j)] = r
    return rows, truth, refs


def apply_secondary(project, results: Result | list[Result], date_from: str | None, date_to: str | None, protection: int | None = None) -> int:
    """Hide (in place) the cells of `results` – one output's results over the same data, protected
    together – that secondary suppression needs at the protection level (default: k); the number
    of cells hidden. Nothing happens with disclosure control off (k ≤ 1)."""
    results = [results] if isinstance(results, Result) else list(results)
    k = min(r.suppress_below for r in results) if results else 0
    if k <= 1:
        return 0
    level = k if protection is None else protection
    ids = sorted({ir.spec.id for result in results for ir in result.indicators})
    links = links_of(project, ids, date_from, date_to)
    rows, truth, refs = published_rows(results)
    extra = protect(rows, links, truth, level)
    for ref in extra:
        _hide(refs[ref])
    hidden = len(extra)
    for result in results:
        hidden += _derive_again(project, result, k)
        if result.totals:
            for ir in result.indicators:
                ir.changes = changes(ir)
        result.secondary = sum(r.secondary for ir in result.indicators for r in ir.rows)
    return hidden


def _derive_again(project, result: Result, k: int) -> int:
    """Derive the derived key figures again from their (now more hidden) sources: a cell newly
    hidden is a secondary one. The number of cells newly hidden."""
    from hfspec.engine.tables import derive

    hidden = 0
    done = {ir.spec.id: ir for ir in result.indicators}
    for i, ir in enumerate(result.indicators):
        compiled = project.compiled.get(ir.spec.id)
        if compiled is None or not compiled.spec.derived or not all(ref in done for ref in compiled.measure.refs):
            continue
        before = {r.key(): r for r in ir.rows}
        again = derive(project, compiled, done, k)
        for r in again.rows:
            old = before.get(r.key())
            if r.suppressed and (old is None or not old.suppressed or old.secondary):
                hidden += old is None or not old.suppressed
                r.secondary, r.status = True, None
        again.changes = ir.changes
        result.indicators[i] = done[ir.spec.id] = again
    return hidden


def _hide(row: ResultRow) -> None:
    """Hide a cell's value and n: a shown cell becomes a secondary one; a primary-suppressed cell
    that still showed its n (a small count in a large group) hides its n too."""
    if row.suppressed:
        row.n_hidden = True
    else:
        row.suppressed, row.secondary, row.status = True, True, None
