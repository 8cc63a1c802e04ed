"""What names exist where an expression is checked: columns (with links to referenced
datasets), parameters, indicator ids, and model inputs/formulas/dimensions.

Scopes are plain data built by the spec layer, so the language knows nothing of YAML specs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hfspec.lang.types import Type


@dataclass(frozen=True, slots=True)
class ColumnRef:
    """A resolved column: which dataset, which column, its type."""

    dataset: str
    column: str
    type: Type

    @property
    def key(self) -> str:
        return f"{self.dataset}.{self.column}"


@dataclass(frozen=True, slots=True)
class Link:
    """`column` of a dataset references `target.target_column` (many-to-one)."""

    column: str
    target: str
    target_column: str


@dataclass(frozen=True, slots=True)
class Relation:
    """How `from dataset` finds the rows that belong to the same citizen: the rows of `dataset`
    whose `column` equals `outer`, a column of the row outside (at `depth - 1`; 0 is a row of the
    key figure's own dataset, 1 the rows of a `from` directly in its expressions, ...)."""

    dataset: str
    column: str
    outer: ColumnRef
    depth: int


@dataclass
class TableScope:
    """Names visible to an indicator or rule over `base` (None for derived indicators).

    `lets` are the key figure's named row values (`let:`), `per_allowed` whether its measure may
    aggregate per unit (`per`), and `period_days` whether `days_in_period()` has an interval to
    measure (`time: [start, end]` with a `period:`)."""

    base: str | None
    columns: dict[str, dict[str, Type]]
    links: dict[str, list[Link]] = field(default_factory=dict)
    params: dict[str, tuple[Type, Any]] = field(default_factory=dict)
    indicators: frozenset[str] = frozenset()
    lets: dict[str, Type] = field(default_factory=dict)
    per_allowed: bool = False
    period_days: bool = False

    def related(self, outer: str, inner: str) -> list[tuple[str, ColumnRef]]:
        """How rows of `inner` belong to a row of `outer`, as (column of `inner`, column of `outer`)
        pairs: `inner` references `outer` (`bolig.borger_id` → `borgere.borger_id`); else both
        reference the same column (`herberg.borger_id` and `bolig.borger_id` → `borgere.borger_id`,
        also `herberg` with itself); else `outer` references `inner`. More than one pair is
        ambiguous, none means the datasets are not related."""
        def ref(dataset: str, column: str) -> ColumnRef:
            return ColumnRef(dataset, column, self.columns[dataset][column])

        found = [(link.column, ref(outer, link.target_column)) for link in self.links.get(inner, []) if link.target == outer]
        if not found:
            found = [(b.column, ref(outer, a.column)) for a in self.links.get(outer, []) for b in self.links.get(inner, [])
                     if (a.target, a.target_column) == (b.target, b.target_column)]
        if not found:
            found = [(link.target_column, ref(outer, link.column)) for link in self.links.get(outer, []) if link.target == inner]
        return list(dict.fromkeys(found))

    def reachable(self) -> list[str]:
        """The base dataset, then every dataset reachable through `references` links."""
        if self.base is None:
            return []
        order = [self.base]
        for current in order:
            for link in self.links.get(current, []):
                if link.target not in order and link.target in self.columns:
                    order.append(link.target)
        return order

    def resolve(self, name: str) -> list[ColumnRef]:
        """Columns a bare name may mean: the base dataset's own column wins; otherwise every
        referenced dataset that has it (more than one is ambiguous)."""
        reach = self.reachable()
        if not reach:
            return []
        own = self.columns.get(reach[0], {})
        if name in own:
            return [ColumnRef(reach[0], name, own[name])]
        return [ColumnRef(d, name, self.columns[d][name]) for d in reach[1:] if name in self.columns[d]]

    def resolve_qualified(self, dataset: str, column: str) -> ColumnRef | None:
        if dataset not in self.reachable():
            return None
        typ = self.columns.get(dataset, {}).get(column)
        return ColumnRef(dataset, column, typ) if typ is not None else None

    def column_names(self) -> list[str]:
        names: list[str] = []
        for d in self.reachable():
            names.extend(self.columns.get(d, {}))
        return names

    def join_path(self, dataset: str) -> list[tuple[str, Link]]:
        """The chain of links from the base to `dataset` (for SQL joins)."""
        if dataset == self.base or self.base is None:
            return []
        paths: dict[str, list[tuple[str, Link]]] = {self.base: []}
        queue = [self.base]
        while queue:
            current = queue.pop(0)
            for link in self.links.get(current, []):
                if link.target not in paths:
                    paths[link.target] = paths[current] + [(current, link)]
                    queue.append(link.target)
        return paths.get(dataset, [])


@dataclass
class ModelScope:
    """Names visible to a model formula: inputs and formulas with their types (dims included),
    and dimensions with their values."""

    names: dict[str, Type]
    dimensions: dict[str, tuple[Any, ...]]
    params: dict[str, tuple[Type, Any]] = field(default_factory=dict)
