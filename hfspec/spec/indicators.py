"""One key figure's specs → a `CompiledIndicator`: its expressions parsed and type-checked in the
scope of its dataset (and the datasets that dataset references), its names resolved, its `let`,
computed breakdowns, `time:` and `headline:` checked. `spec/project.py` calls it for every key
figure of a project; `hfspec test` (examples.py) for a key figure with other parameters.

The expression helpers (`parse_checked`, `resolve_column`) and the scope of a dataset
(`make_scope`, `param_type`) are shared with the rules and mappings of `spec/project.py`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from hfspec.diagnostics import DiagnosticBag, HfspecError, Message, did_you_mean
from hfspec.lang import types as T
from hfspec.lang.check import CheckedExpr, Context, check
from hfspec.lang.parser import parse
from hfspec.lang.scope import ColumnRef, Link, TableScope
from hfspec.messages import Codes
from hfspec.spec import model as M

__all__ = ["CompiledIndicator", "check_headline", "compile_indicator", "make_scope", "param_type", "parse_checked", "resolve_column"]


@dataclass
class CompiledIndicator:
    """An indicator whose expressions are checked and whose names are resolved.

    `by` holds the breakdowns that are plain columns; `keys` every breakdown as a checked row
    expression (a column, a `let` name or a computed one), `lets` the named row values in order
    and `time_exprs` the key figure's own `time:` (one date, or an interval). A key figure that
    uses any of these, `per` or `from` is `staged`: engine/staged.py builds its query in steps."""

    spec: M.IndicatorSpec
    scope: TableScope
    measure: CheckedExpr
    filter: CheckedExpr | None = None
    by: list[ColumnRef] = field(default_factory=list)
    counting_unit: ColumnRef | None = None
    time: ColumnRef | None = None  # the dataset's `time:` column: periods and --from/--to use it
    personal: bool = True  # citizen-level data (a pseudonym column) is reached: disclosure control applies
    lets: list[tuple[str, CheckedExpr]] = field(default_factory=list)
    keys: list[tuple[str, CheckedExpr]] = field(default_factory=list)
    time_exprs: tuple[CheckedExpr, ...] = ()

    @property
    def id(self) -> str:
        return self.spec.id

    def expressions(self) -> list[CheckedExpr]:
        """Every checked expression of the key figure: lets, filter, breakdowns, time, measure."""
        return ([c for _, c in self.lets] + ([self.filter] if self.filter is not None else []) + [c for _, c in self.keys]
                + list(self.time_exprs) + [self.measure])

    @property
    def staged(self) -> bool:
        """Whether the key figure needs the query in steps (engine/staged.py) rather than one SELECT."""
        plain_keys = all(id(c.expr) in c.columns for _, c in self.keys)
        return bool(self.lets or self.time_exprs or not plain_keys or self.measure.per_calls()
                    or any(c.relations for c in self.expressions()))

    def datasets(self) -> list[str]:
        """The datasets the key figure reads: its own, those its columns link to, those of `from`."""
        found = list(self.scope.reachable())
        for checked in self.expressions():
            found += checked.sources()
        return list(dict.fromkeys(found))



def param_type(value: Any) -> tuple[T.Type, Any]:
    """The type of a catalogue parameter, and its value as the language sees it."""
    if isinstance(value, bool):
        return T.BOOLEAN, value
    if isinstance(value, int):
        return T.INTEGER, value
    if isinstance(value, float):
        return T.NUMBER, value
    if isinstance(value, str):
        try:
            return T.DATE, dt.date.fromisoformat(value)
        except ValueError:
            return T.STRING, value
    if isinstance(value, list):
        items = [param_type(v) for v in value]
        element = T.NULL
        for t, _ in items:
            element = T.unify(element, t) or T.STRING
        return T.list_of(element), [v for _, v in items]
    return T.NULL, None


def make_scope(datasets: dict[str, M.DatasetSpec], base: str | None, params: dict[str, Any], indicators: frozenset[str]) -> TableScope:
    columns = {d.id: {c.name: T.from_spec(c.type, c.values) for c in d.columns.values()} for d in datasets.values()}
    links: dict[str, list[Link]] = {}
    for d in datasets.values():
        for c in d.columns.values():
            if c.references and "." in c.references:
                target, target_column = c.references.split(".", 1)
                links.setdefault(d.id, []).append(Link(c.name, target, target_column))
    return TableScope(base, columns, links, {k: param_type(v) for k, v in params.items()}, indicators)


def parse_checked(text: str, loc: M.Loc, scope: TableScope, context: Context, role: str, bag: DiagnosticBag) -> CheckedExpr | None:
    try:
        expr = parse(text, loc.locate())
    except HfspecError as error:
        bag.extend(error.diagnostics)
        return None
    checked, problems = check(expr, scope, context, role)
    bag.extend(problems)
    return checked


def resolve_column(name: str, scope: TableScope, loc: M.Loc, bag: DiagnosticBag, what: str) -> ColumnRef | None:
    if "." in name:
        ds, _, col = name.partition(".")
        ref = scope.resolve_qualified(ds, col)
        if ref is None:
            bag.error("HF606", Message("project.not_linked_column", name=name, key=what), loc.span, hint=did_you_mean(name, scope.column_names()))
        return ref
    found = scope.resolve(name)
    if not found:
        bag.error("HF606", Message("project.not_a_column", name=name, key=what, dataset=scope.base), loc.span,
                  hint=did_you_mean(name, scope.column_names()))
        return None
    if len(found) > 1:
        bag.error("HF413", Message("project.ambiguous", name=name, key=what), loc.span, hint=Message("project.ambiguous_hint", column=found[0].key))
        return None
    return found[0]


def compile_indicator(project: Any, spec: M.IndicatorSpec, bag: DiagnosticBag, params: dict[str, Any] | None = None) -> CompiledIndicator | None:
    """Check one indicator's expressions and resolve its names (with `params` overriding the
    catalogue's, as an example may do). Problems go to `bag`."""
    if spec.dataset is not None and spec.dataset not in project.datasets:
        bag.error("HF302", Message("project.unknown_dataset", dataset=spec.dataset), spec.locs["dataset"].span, hint=did_you_mean(spec.dataset, project.datasets))
        return None
    scope = make_scope(project.datasets, spec.dataset, {**project.params, **(params or {})}, frozenset(project.all_indicators))
    scope.per_allowed = True
    scope.period_days = len(spec.time) >= 2 and bool(spec.period)  # (more than two items is an error of its own)
    broken = False
    lets = []
    if spec.let and spec.dataset is None:
        bag.error("HF434", Message("project.derived_let"), spec.locs["let"].span)
    elif spec.let:
        lets, broken = _compile_lets(spec, scope, bag)
    flt = None
    if spec.filter is not None:
        if spec.dataset is None:
            bag.error("HF434", Message("project.derived_filter"), spec.locs["filter"].span)
        else:
            flt = parse_checked(spec.filter, spec.locs["filter"], scope, Context.ROW, "filter", bag)
    measure = parse_checked(spec.measure, spec.locs["measure"], scope, Context.MEASURE, "measure", bag)
    by: list[ColumnRef] = []
    keys: list[tuple[str, CheckedExpr]] = []
    if spec.dataset:
        for i, name in enumerate(spec.by):
            loc = spec.locs["by"].child(i)
            if name in spec.by_exprs:
                checked = parse_checked(spec.by_exprs[name], loc.child(name), scope, Context.ROW, "breakdown", bag)
                if checked is not None and checked.type.kind is T.Kind.LIST:
                    bag.error("HF420", Message("project.breakdown_list", name=name), loc.child(name).span)
                    checked = None
            elif name in scope.lets:
                checked = parse_checked(name, loc, scope, Context.ROW, "breakdown", bag)
            else:
                ref = resolve_column(name, scope, loc, bag, "by")
                checked = parse_checked(name, loc, scope, Context.ROW, "breakdown", bag) if ref is not None else None
                if ref is not None:
                    by.append(ref)
            if checked is None:
                broken = True
            else:
                keys.append((name, checked))
        if len(set(spec.by)) < len(spec.by):
            bag.error("HF606", Message("project.breakdown_twice"), spec.locs["by"].span, hint=Message("project.breakdown_twice_hint"))
    counting = resolve_column(spec.counting_unit, scope, spec.locs["counting_unit"], bag, "counting_unit") if spec.counting_unit and spec.dataset else None
    ds = project.datasets.get(spec.dataset) if spec.dataset else None
    time = ColumnRef(ds.id, ds.time, T.DATE) if ds is not None and ds.time else None
    time_exprs: list[CheckedExpr] = []
    if len(spec.time) > 2:
        bag.error("HF308", Message("project.time_items", n=len(spec.time)), spec.locs["time"].span, hint=Message("project.time_items_hint"))
        broken = True
    elif spec.time and spec.dataset:
        if not spec.period:
            bag.error("HF308", Message("project.time_without_period"), spec.locs["time"].span, hint=Message("project.time_without_period_hint"))
        for i, text in enumerate(spec.time):
            loc = spec.locs["time"].child(i) if len(spec.time) == 2 else spec.locs["time"]
            checked = parse_checked(text, loc, scope, Context.ROW, "time", bag)
            if checked is not None and checked.type.kind not in (T.Kind.DATE, T.Kind.NULL):
                bag.error("HF308", Message("project.time_not_date", text=text, type=checked.type.words()), loc.span, hint=Message("project.time_not_date_hint"))
                checked = None
            if checked is None:
                broken = True
            else:
                time_exprs.append(checked)
    elif spec.period and time is None:
        bag.error("HF310", Message("project.period_without_time", period=spec.period), spec.locs["period"].span,
                  hint=Message("project.period_without_time_hint", dataset=ds.id) if ds is not None else Message("project.period_own_time_hint"))
    if spec.target is not None and spec.parsed_target is None:
        bag.error("HF603", Message("project.bad_target", target=spec.target), spec.locs["target"].span, hint=Message("project.bad_target_hint"))
    if not spec.derived:
        check_headline(spec, list(spec.by), spec.period, bag)
    goal_ids = {g.id for g in project.goals}
    if spec.goal is not None and goal_ids and spec.goal not in goal_ids:
        bag.warning("HF309", Message("project.unknown_goal", goal=spec.goal), spec.locs["goal"].span, hint=did_you_mean(spec.goal, goal_ids))
    if measure is None or (spec.filter is not None and flt is None) or broken:
        return None
    compiled = CompiledIndicator(spec, scope, measure, flt, by, counting, time, True, lets, keys, tuple(time_exprs))
    compiled.personal = any(c.pseudonym for d in compiled.datasets() for c in project.datasets[d].columns.values())
    return compiled


#: Names a `let` value cannot have: they mean something else in expressions.
_RESERVED_LET_NAMES = frozenset({"param", "this"})


def _compile_lets(spec: M.IndicatorSpec, scope: TableScope, bag: DiagnosticBag) -> tuple[list[tuple[str, CheckedExpr]], bool]:
    """Check the `let:` values in order, each seeing the ones before it; add them to `scope.lets`.
    Returns the checked values and whether any failed."""
    lets: list[tuple[str, CheckedExpr]] = []
    broken = False
    later = {name for name, _ in spec.let}  # this one and the ones after it
    for name, _ in spec.let:  # known from the start, so that using a later one is HF458, not "unknown column"
        if name not in _RESERVED_LET_NAMES and not scope.resolve(name):
            scope.lets[name] = T.NULL
    for name, text in spec.let:
        loc = spec.locs["let"].child(name)
        clash = None
        if name in _RESERVED_LET_NAMES:
            clash = Message("project.let_reserved", name=name)
        elif scope.resolve(name):
            clash = Message("project.let_is_column", name=name, datasets=Codes(r.dataset for r in scope.resolve(name)))
        if clash:
            bag.error("HF458", clash, loc.key_span, hint=Message("project.let_rename_hint"))
            broken = True
            later.discard(name)
            continue
        checked = parse_checked(text, loc, scope, Context.ROW, "let value", bag)
        if checked is None:
            broken = True
            later.discard(name)
            continue
        used_later = [n for n in checked.used_lets() if n in later]
        if used_later:
            what = Message("project.let_uses_itself", name=name) if used_later[0] == name else Message("project.let_uses_later", name=name, other=used_later[0])
            bag.error("HF458", what, loc.span, hint=Message("project.let_order_hint"))
            broken = True
        later.discard(name)
        scope.lets[name] = checked.type
        lets.append((name, checked))
    return lets, broken


def check_headline(spec: M.IndicatorSpec, by: list[str], period: str | None, bag: DiagnosticBag) -> None:
    """HF625 when `headline:` asks for a period the key figure does not have, or names a column
    that is not one of its breakdowns (`by`, or for a derived key figure those of its sources)."""
    raw = spec.headline
    if raw is None:
        return
    loc = spec.locs.get("headline")
    if raw == M.HEADLINE_LATEST and period is None:
        bag.error("HF625", Message("project.headline_latest", id=spec.id), loc.span if loc else None, hint=Message("project.headline_latest_hint"))
    if isinstance(raw, dict):
        short = {b.rpartition(".")[2]: b for b in by}
        for name in raw:
            if str(name) not in by and str(name) not in short:
                bag.error("HF625", Message("project.headline_not_breakdown", id=spec.id, name=name), loc.child(name).key_span if loc else None,
                          hint=did_you_mean(str(name), by) or (Message("project.headline_breakdowns", names=Codes(by)) if by else Message("project.headline_no_breakdown")))
