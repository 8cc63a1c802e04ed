"""Result cells of one output → the linked tables an attacker sees: every published count, sum
and `n` as a variable of one linear system, the intervals that system leaves for each hidden
cell (the attacker's computation), and the secondary suppression that keeps each of those
intervals at least the protection level wide (docs/disclosure.md).

**Quantities.** A key figure's cells publish additive quantities of a *population* – the rows
of one dataset (and the datasets it links to) that pass one filter, counted in one counting
unit, over the same `--from`/`--to`:

- its `n`: the number of units in the cell (`units`);
- its value, when the measure is `count(distinct <counting unit> [where c])` (or `count(...)` on
  a dataset with one row per unit): the units where `c`; when it is `sum(x [where c])`: that sum;
- for `share(c)`: the units where `c` are `value × n` (a share shown with its `n` publishes its
  numerator, a share shown without it still ties numerator and `n` together).

Two cells of the same quantity are the same variable when they have the same *coordinates*: the
breakdown values they keep, and the period (a year, or a year and its half, quarter or month). A
breakdown or period a cell does not keep is summed over.

**Relations.** For a cell and any set of the dimensions it sums over, the cells of the same
quantity that keep those dimensions (and agree on the rest) add up to it. The sum is *exact* for
sums, and for counts of units when each unit is in one group: the key figure's dataset has one
row per counting unit (`key: [<unit>]`) and nothing else is read. Otherwise (a citizen can be in
several periods, or in several groups) it is a *union*: the parent is at most the sum of its
parts and at least each part. These are the relations a reader who knows the published catalogue
can use, and no more.

**The attacker** (`interval`) solves two linear programmes per hidden variable (HiGHS, through
its own Python binding `highspy`): its smallest and largest value given every published number and every relation, counts
and `n` at least 0. **Secondary suppression** (`protect`) hides published cells, smallest first
and within the relations that pin a hidden one, until every hidden variable's interval is at
least the protection level wide; hiding a cell can only widen intervals, so the cells made safe
stay safe.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any, Iterable

#: A relation with more free dimensions than this is not enumerated (the subsets of a cell's
#: summed-over dimensions grow as 2^d); key figures have at most a few breakdowns.
MAX_FREE_DIMENSIONS = 5
#: Tolerance of the attacker's arithmetic: a published value carries float rounding.
EPSILON = 1e-6


@dataclass(frozen=True)
class Link:
    """What one key figure's cells publish as additive quantities (see the module docstring).

    `population` is None for a key figure whose cells are tied only to each other (a staged or
    derived key figure)."""

    population: tuple | None
    value: tuple | None = None  # the quantity the value is, or None (a mean, a median, ...)
    share: tuple | None = None  # for a share: the quantity of its numerator
    exact: bool = False  # parts add up exactly (one row per counting unit, or a sum)
    value_exact: bool = False  # the value's own relations are exact (a sum is, whatever the counting unit)
    free: bool = False  # the value can be negative (a sum)


def links_of(project, ids: Iterable[str], date_from: str | None = None, date_to: str | None = None) -> dict[str, Link]:
    """The `Link` of each key figure of `ids` that the project has, in a run with the given
    `--from`/`--to` (ISO dates or None)."""
    out = {}
    for iid in ids:
        compiled = project.compiled.get(iid)
        if compiled is not None:
            dataset = project.datasets.get(compiled.spec.dataset) if compiled.spec.dataset else None
            out[iid] = link_of(compiled, tuple(dataset.key) if dataset is not None else (), date_from, date_to)
    return out


def link_of(compiled, key: tuple[str, ...] = (), date_from: str | None = None, date_to: str | None = None) -> Link:
    """The `Link` of a compiled key figure (`spec.project.CompiledIndicator`) whose dataset has the
    row key `key`, in a run with the given `--from`/`--to` (ISO dates or None)."""
    from hfspec.lang import ast as A
    from hfspec.lang.printer import to_text

    spec = compiled.spec
    if spec.derived:
        return Link(None)
    if compiled.staged or compiled.counting_unit is None:
        return Link(("own", spec.id))
    datasets = tuple(sorted(compiled.datasets()))
    span = (date_from, date_to) if spec.period else (None, None)
    unit = compiled.counting_unit.key
    population = (spec.dataset, datasets, to_text(compiled.filter.expr) if compiled.filter is not None else "", unit, span)
    one_row_per_unit = tuple(key) == (compiled.counting_unit.column,) and datasets == (spec.dataset,)
    expr = compiled.measure.expr
    if not isinstance(expr, A.Call) or getattr(expr, "over", None) or getattr(expr, "per", None):
        return Link(population, exact=one_row_per_unit)
    where = to_text(expr.where) if expr.where is not None else ""
    if expr.func == "count":
        arg = expr.args[0] if expr.args else None
        counts_units = (arg is not None and expr.distinct and to_text(arg) in (compiled.counting_unit.column, unit)) or \
                       (one_row_per_unit and (arg is None or to_text(arg) in (compiled.counting_unit.column, unit)))
        if counts_units:
            return Link(population, value=("units", where), exact=one_row_per_unit, value_exact=one_row_per_unit)
        return Link(population, exact=one_row_per_unit)
    if expr.func == "sum" and not expr.distinct and expr.args:
        return Link(population, value=("sum", to_text(expr.args[0]), where), exact=one_row_per_unit, value_exact=True, free=True)
    if expr.func == "share" and expr.args and one_row_per_unit and not expr.where:
        return Link(population, share=("units", to_text(expr.args[0])), exact=True)
    return Link(population, exact=one_row_per_unit)


@dataclass
class Published:
    """One published row of an output as the attacker reads it: where it is, its coordinates, and
    its value and `n` as shown (None: hidden). `ref` is the caller's handle on the row."""

    ref: Any
    indicator: str
    period: str | None
    by: dict[str, Any]
    total_over: tuple[str, ...]
    value: float | None
    n: float | None
    hidden: bool  # the value is hidden (primary or secondary)


def _dim_value(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def coordinates(row: Published) -> frozenset:
    """The dimensions a row keeps, with their values: each breakdown it keeps, and its period as
    a year and, for a shorter period, the half, quarter or month in it."""
    dims = [(name, _dim_value(value)) for name, value in row.by.items() if name not in row.total_over]
    if row.period is not None and "period" not in row.total_over:
        year, _, rest = str(row.period).partition("-")
        dims.append(("period", year))
        if rest:
            kind = rest[0] if rest[0] in "HQ" else "M"
            dims.append((f"period.{kind}", rest.lstrip("HQ")))
    return frozenset(dims)


@dataclass
class System:
    """The linear system of one output: variables (population, quantity, coordinates), the cells
    that publish each, and relations `sum(coef · x) (== | <=) 0` (published values are plugged in
    when solving)."""

    keys: list[tuple] = field(default_factory=list)
    index: dict[tuple, int] = field(default_factory=dict)
    lower: list[float] = field(default_factory=list)
    known: dict[int, float] = field(default_factory=dict)  # variable -> its published value
    hidden: set[int] = field(default_factory=set)  # variables some row hides (and none publishes)
    equalities: list[dict[int, float]] = field(default_factory=list)
    inequalities: list[dict[int, float]] = field(default_factory=list)  # sum <= 0
    rows_of: dict[int, list[Any]] = field(default_factory=dict)  # variable -> refs of the rows that carry it
    size: dict[int, float] = field(default_factory=dict)  # variable -> its true value (protection only)
    carriers: dict[int, dict[Any, float | None]] = field(default_factory=dict)  # variable -> row ref -> the value it shows
    vars_of: dict[Any, list[int]] = field(default_factory=dict)  # row ref -> the variables it carries

    def hide(self, ref: Any) -> None:
        """Hide a row: each variable it carries is known only if another row still shows it."""
        for v in self.vars_of.get(ref, ()):
            self.carriers[v][ref] = None
            shown = [x for x in self.carriers[v].values() if x is not None]
            if shown:
                self.known[v] = shown[0]
            else:
                self.known.pop(v, None)
                self.hidden.add(v)

    def var(self, key: tuple, free: bool = False) -> int:
        if key not in self.index:
            self.index[key] = len(self.keys)
            self.keys.append(key)
            self.lower.append(-math.inf if free else 0.0)
        return self.index[key]


def build(rows: Iterable[Published], links: dict[str, Link], truth: dict[Any, tuple[Any, Any]] | None = None) -> System:
    """The system of an output's rows (`links`: each key figure's `Link`; `truth`: the true
    (value, n) per row ref, when protecting, to rank the cells to hide by size)."""
    system = System()
    exact_of: dict[tuple, bool] = {}
    shares: list[tuple[int, int, float | None]] = []

    def carry(v: int, ref: Any, value: float | None, true_value: Any) -> None:
        system.rows_of.setdefault(v, []).append(ref)
        system.vars_of.setdefault(ref, []).append(v)
        system.carriers.setdefault(v, {})[ref] = None if value is None else float(value)
        if isinstance(true_value, (int, float)) and not isinstance(true_value, bool):
            system.size[v] = float(true_value)

    for row in rows:
        link = links.get(row.indicator)
        if link is None or link.population is None:
            continue
        coords = coordinates(row)
        true_value, true_n = truth.get(row.ref, (None, None)) if truth else (None, None)
        if row.n is not None or row.hidden or true_n is not None:
            quantity = (link.population, ("units", ""))
            exact_of[quantity] = link.exact
            carry(system.var((*quantity, coords)), row.ref, row.n, true_n)
        if link.value is not None:
            quantity = (link.population, link.value)
            exact_of[quantity] = link.value_exact
            carry(system.var((*quantity, coords), link.free), row.ref, None if row.hidden else row.value, true_value)
        if link.share is not None:
            quantity = (link.population, link.share)
            exact_of[quantity] = link.exact
            num = system.var((*quantity, coords))
            share = None if row.hidden or row.value is None else float(row.value)
            shown_with_n = share is not None and row.n is not None  # shown with its n: the numerator is published
            carry(num, row.ref, share * float(row.n) if shown_with_n else None, None)
            if isinstance(true_value, (int, float)) and isinstance(true_n, (int, float)):
                system.size.setdefault(num, round(true_value * true_n))
            if not shown_with_n:
                shares.append((num, system.var((link.population, ("units", ""), coords)), share))
    for v, shown in system.carriers.items():
        values = [x for x in shown.values() if x is not None]
        if values:
            system.known[v] = values[0]
        else:
            system.hidden.add(v)
    for num, n_var, share in shares:
        if share is not None:
            system.equalities.append({num: 1.0, n_var: -share} if num != n_var else {})
        else:
            system.inequalities.append({num: 1.0, n_var: -1.0})  # a numerator is at most its n
    _relations(system, exact_of)
    system.equalities = [e for e in system.equalities if e]
    return system


def _relations(system: System, exact_of: dict[tuple, bool]) -> None:
    """The sums between cells of the same quantity (see the module docstring)."""
    by_quantity: dict[tuple, dict[frozenset, int]] = {}
    for v, (population, quantity, coords) in enumerate(system.keys):
        by_quantity.setdefault((population, quantity), {})[coords] = v
    for quantity, cells in by_quantity.items():
        exact = exact_of.get(quantity, False)
        all_dims = {name for coords in cells for name, _ in coords}
        # children of a parent, per (the parent's coordinates, the dimensions summed over)
        # (every child of a group keeps exactly the parent's dimensions and the free ones)
        groups: dict[tuple[frozenset, frozenset], list[int]] = {}
        frees: dict[tuple[str, ...], list[frozenset]] = {}
        for coords, v in cells.items():
            names = tuple(sorted(name for name, _ in coords))
            if names not in frees:
                frees[names] = [frozenset(free) for size in range(1, len(names) + 1) for free in combinations(names, size)
                                if not any(name.startswith("period.") for name in free) or "period" in free or _sub_alone(free)]
            for free in frees[names]:
                kept = frozenset(item for item in coords if item[0] not in free)
                groups.setdefault((kept, free), []).append(v)
        for (kept, free), children in groups.items():
            parent = cells.get(kept)
            if parent is None or len(all_dims) > MAX_FREE_DIMENSIONS + len(kept):
                continue
            if exact:
                system.equalities.append({parent: 1.0, **{c: -1.0 for c in children}} if parent not in children else {})
            else:
                system.inequalities.append({parent: 1.0, **{c: -1.0 for c in children}})
                for c in children:
                    system.inequalities.append({c: 1.0, parent: -1.0})


def _sub_alone(free: tuple[str, ...]) -> bool:
    """A half, quarter or month summed over within its year (the year kept)."""
    return all(name.startswith("period.") for name in free) and len(free) == 1


@dataclass(frozen=True)
class Interval:
    low: float
    high: float

    @property
    def width(self) -> float:
        return self.high - self.low


def _component(system: System, start: int, adjacency: dict[int, list[int]]) -> tuple[list[int], list[int], list[int]]:
    """The unknown variables connected to `start` through relations, and those relations
    (equalities, inequalities: their indexes)."""
    seen = {start}
    todo = [start]
    eqs: set[int] = set()
    ineqs: set[int] = set()
    while todo:
        v = todo.pop()
        for tag in adjacency.get(v, ()):
            is_eq = not tag & 1
            rel = system.equalities[tag >> 1] if is_eq else system.inequalities[tag >> 1]
            (eqs if is_eq else ineqs).add(tag >> 1)
            for w in rel:
                if w not in seen and w not in system.known:
                    seen.add(w)
                    todo.append(w)
    return sorted(seen), sorted(eqs), sorted(ineqs)


def relation_index(system: System) -> dict[int, list[int]]:
    """Each variable → the relations it is in (tags: index << 1, with bit 0 set for an inequality)."""
    adjacency: dict[int, list[int]] = {}
    for i, rel in enumerate(system.equalities):
        for v in rel:
            adjacency.setdefault(v, []).append(i << 1)
    for i, rel in enumerate(system.inequalities):
        for v in rel:
            adjacency.setdefault(v, []).append(i << 1 | 1)
    return adjacency


def _solver():
    """A silent HiGHS solver. HiGHS prints a banner to the process's standard output when the
    first solver is made (before any option can be set); that would end up inside
    `hfspec eval --format json`, so standard output is pointed at the null device meanwhile."""
    import os
    import sys

    import highspy

    sys.stdout.flush()
    saved, null = os.dup(1), os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 1)
        solver = highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(null)
    solver.setOptionValue("output_flag", False)
    return solver


def interval(system: System, v: int, adjacency: dict[int, list[int]] | None = None) -> Interval:
    """The smallest and largest value of variable `v` given everything published (the attacker):
    two linear programmes over `v`'s component, solved by HiGHS."""
    if v in system.known:
        return Interval(system.known[v], system.known[v])
    adjacency = relation_index(system) if adjacency is None else adjacency
    unknown, eqs, ineqs = _component(system, v, adjacency)
    if not eqs and not ineqs:
        return Interval(system.lower[v], math.inf)
    import highspy  # only when there is something to solve
    import numpy as np

    column = {w: i for i, w in enumerate(unknown)}
    inf = highspy.kHighsInf
    starts, index, values, row_lower, row_upper = [0], [], [], [], []
    for relations, is_eq in ((eqs, True), (ineqs, False)):
        for r in relations:
            rel = system.equalities[r] if is_eq else system.inequalities[r]
            rhs = 0.0
            for w, coef in rel.items():
                if w in column:
                    index.append(column[w])
                    values.append(coef)
                else:
                    rhs -= coef * system.known[w]
            starts.append(len(index))
            row_lower.append(rhs if is_eq else -inf)
            row_upper.append(rhs if is_eq else rhs + EPSILON)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = len(unknown), len(row_lower)
    cost = np.zeros(len(unknown))
    cost[column[v]] = 1.0
    lp.col_cost_ = cost
    lp.col_lower_ = np.array([-inf if math.isinf(system.lower[w]) else system.lower[w] for w in unknown])
    lp.col_upper_ = np.full(len(unknown), inf)
    lp.row_lower_, lp.row_upper_ = np.array(row_lower), np.array(row_upper)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = len(unknown), len(row_lower)
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = np.array(starts), np.array(index), np.array(values)
    solver = _solver()
    solver.passModel(lp)
    out = []
    for sense, unbounded in ((highspy.ObjSense.kMinimize, -math.inf), (highspy.ObjSense.kMaximize, math.inf)):
        solver.changeObjectiveSense(sense)
        solver.run()
        status = solver.getModelStatus()
        if status == highspy.HighsModelStatus.kOptimal:
            out.append(solver.getInfo().objective_function_value)
        else:  # unbounded; or infeasible: the relations do not hold for these values, and nothing is learnt
            out.append(unbounded)
    return Interval(out[0], out[1])


def exposed(system: System, protection: float) -> list[tuple[int, Interval]]:
    """Every hidden variable whose interval is narrower than `protection`, with its interval."""
    adjacency = relation_index(system)
    out = []
    for v in sorted(system.hidden):
        found = interval(system, v, adjacency)
        if found.width < protection - EPSILON:
            out.append((v, found))
    return out


def _candidate(system: System, v: int, adjacency: dict[int, list[int]]) -> int | None:
    """The published variable to hide so that `v` widens: in the tightest relation of `v` that
    still has a published variable (an equality before an inequality, then the one with the
    fewest hidden variables, then the smallest), the smallest cell (true size), then the most
    detailed (a group before its total); else the same in the relations of `v`'s component."""
    def pick(tags: Iterable[int]) -> int | None:
        best = None
        for tag in tags:
            rel = system.inequalities[tag >> 1] if tag & 1 else system.equalities[tag >> 1]
            known = [w for w in rel if w in system.known]
            if not known:
                continue
            rank = (tag & 1, len(rel) - len(known), len(rel))
            if best is None or rank < best[0]:
                best = (rank, known)
        if best is None:
            return None
        return min(best[1], key=lambda w: (abs(system.size.get(w, system.known[w])), -len(system.keys[w][2]), w))

    found = pick(adjacency.get(v, ()))
    if found is None:
        unknown, _, _ = _component(system, v, adjacency)
        found = pick(tag for w in unknown for tag in adjacency.get(w, ()))
    return found


def protect(rows: list[Published], links: dict[str, Link], truth: dict[Any, tuple[Any, Any]], protection: float) -> set[Any]:
    """Secondary suppression: the refs of the rows to hide besides the hidden ones, so that every
    hidden variable's interval is at least `protection` wide (see the module docstring).

    Greedy with the attacker in the loop: for each hidden variable, while its interval is too
    narrow, hide the smallest published cell in a relation that pins it; variables hidden on the
    way are checked too. Hiding only widens intervals, so one pass suffices."""
    by_ref = {row.ref: row for row in rows}
    extra: set[Any] = set()
    system = build(rows, links, truth)
    adjacency = relation_index(system)
    done: set[int] = set()
    queue = sorted(system.hidden)
    while queue:
        v = queue.pop(0)
        if v in done:
            continue
        done.add(v)
        while True:
            found = interval(system, v, adjacency)
            if found.width >= protection - EPSILON:
                break
            hide = _candidate(system, v, adjacency)
            if hide is None:  # nothing published ties it down any more: cannot happen with a finite interval
                break
            for ref in system.rows_of[hide]:
                row = by_ref[ref]
                if not row.hidden or row.n is not None:  # a hidden small count in a large group still shows its n
                    row.hidden, row.value, row.n = True, None, None
                    extra.add(ref)
                    system.hide(ref)
            assert hide not in system.known, "a hidden cell is still published"
            queue.extend(sorted(w for w in system.hidden if w not in done))
    return extra
