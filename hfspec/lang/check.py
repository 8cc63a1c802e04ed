"""AST + scope → `CheckedExpr` (a type for every node, resolved names), or all problems at once.

Three contexts: ROW (filters, row rules: no aggregates), MEASURE (a key figure's measure: columns
only inside aggregates, aggregates do not nest; or `ref()` combinations for derived figures) and
MODEL (formulas over named dimensions). Backends accept only checked expressions.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, assert_never

from hfspec.diagnostics import Diagnostic, DiagnosticBag, Message, did_you_mean, suggest
from hfspec.lang import ast as A
from hfspec.lang import functions as F
from hfspec.lang import types as T
from hfspec.lang.model_check import check_model_call
from hfspec.lang.scope import ColumnRef, ModelScope, Relation, TableScope
from hfspec.lang.types import Kind, Type
from hfspec.messages import Codes


class Context(str, Enum):
    ROW = "row"
    MEASURE = "measure"
    MODEL = "model"


@dataclass
class CheckedExpr:
    """A checked expression: the tree, its type, and what each node means.

    Maps are keyed by `id(node)`; the tree is kept alive by `expr`. A column or `let` name inside
    `from` may belong to the rows of that `from` rather than to the key figure's row: `depths`
    says which (missing means 0, the key figure's own row); `relations` says, for each `from`
    call, which rows it aggregates.
    """

    expr: A.Expr
    type: Type
    context: Context
    types: dict[int, Type] = field(default_factory=dict)
    columns: dict[int, ColumnRef] = field(default_factory=dict)
    params: dict[int, tuple[str, Any]] = field(default_factory=dict)
    functions: dict[int, F.Function] = field(default_factory=dict)
    refs: tuple[str, ...] = ()
    model_names: dict[int, str] = field(default_factory=dict)
    dimension_names: dict[int, str] = field(default_factory=dict)
    lets: dict[int, str] = field(default_factory=dict)
    depths: dict[int, int] = field(default_factory=dict)
    relations: dict[int, Relation] = field(default_factory=dict)

    @property
    def is_aggregate(self) -> bool:
        """Whether the expression aggregates rows of a group (a `from` aggregate is a row value)."""
        return any(f.kind == "aggregate" and k not in self.relations for k, f in self.functions.items())

    def used_columns(self) -> list[ColumnRef]:
        """The columns of the key figure's own row (and its linked datasets) that the expression
        reads, also the ones a `from` matches its rows on; not the columns of `from` rows."""
        seen: dict[str, ColumnRef] = {}
        for k, ref in self.columns.items():
            if not self.depths.get(k):
                seen.setdefault(ref.key, ref)
        for rel in self.relations.values():
            if rel.depth == 1:
                seen.setdefault(rel.outer.key, rel.outer)
        return list(seen.values())

    def used_lets(self) -> list[str]:
        return list(dict.fromkeys(self.lets.values()))

    def sources(self) -> list[str]:
        """The datasets named by `from`, in order."""
        return list(dict.fromkeys(rel.dataset for rel in self.relations.values()))

    def per_calls(self) -> list[A.Call]:
        """The `per` aggregates, outermost first."""
        return [n for n in A.walk(self.expr) if isinstance(n, A.Call) and n.per is not None and id(n) in self.functions]

    def uses_period_days(self) -> bool:
        return any(isinstance(n, A.Call) and n.func == "days_in_period" for n in A.walk(self.expr))

    def type_of(self, node: A.Expr) -> Type:
        return self.types[id(node)]

    _BY_NODE = ("types", "columns", "params", "functions", "model_names", "dimension_names", "lets", "depths", "relations")

    def __getstate__(self) -> dict[str, Any]:
        """For pickling (the project cache): node ids do not survive, so the maps are keyed by each
        node's position in a walk of the tree instead."""
        import pickle

        position: dict[int, int] = {}
        for i, node in enumerate(A.walk(self.expr)):
            position.setdefault(id(node), i)
        state = dict(self.__dict__)
        for name in self._BY_NODE:
            table = state[name]
            if any(k not in position for k in table):
                raise pickle.PicklingError(f"`{name}` refers to a node outside the tree")
            state[name] = {position[k]: v for k, v in table.items()}
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        nodes = [id(node) for node in A.walk(state["expr"])]
        for name in self._BY_NODE:
            state[name] = {nodes[i]: v for i, v in state[name].items()}
        self.__dict__.update(state)


class _Checker:
    """Checks one expression and collects its problems; the `Checker` that model calls are typed with."""

    def __init__(self, scope: TableScope | ModelScope, context: Context, role: str):
        self.scope = scope
        self.context = context
        self.role = role  # words for messages: "filter", "measure", "formula"
        self.bag = DiagnosticBag()
        self.out = CheckedExpr(A.Null(), T.NULL, context)
        self.refs: list[str] = []
        # the datasets whose rows are in scope: the key figure's own, then one per enclosing `from`
        self.frames: list[str] = [scope.base] if isinstance(scope, TableScope) and scope.base else []
        self.in_per = False  # inside the value or condition of a `per` aggregate

    def err(self, code: str, message: Message, node, hint: Message | None = None, label: Message | None = None) -> None:
        self.bag.add(Diagnostic(code, message, node.span, hint, label=label))

    def use_function(self, node: A.Call, fn: F.Function) -> None:
        self.out.functions[id(node)] = fn

    def check(self, node: A.Expr, in_agg: bool = False) -> Type | None:
        typ = self._check(node, in_agg)
        if typ is not None:
            self.out.types[id(node)] = typ
        return typ

    # -- dispatch -------------------------------------------------------------------------
    def _check(self, node: A.Expr, in_agg: bool) -> Type | None:
        match node:
            case A.Number(written=written, percent=percent):
                return T.INTEGER if isinstance(written, int) and not percent else T.NUMBER
            case A.String():
                return T.STRING
            case A.Bool():
                return T.BOOLEAN
            case A.Null():
                return T.NULL
            case A.List(items=items):
                return self._list(node, items, in_agg)
            case A.Name():
                return self._name(node, in_agg)
            case A.Member():
                return self._member(node, in_agg)
            case A.Index():
                return self._index(node, in_agg)
            case A.Unary():
                return self._unary(node, in_agg)
            case A.Binary():
                return self._binary(node, in_agg)
            case A.In():
                return self._in(node, in_agg)
            case A.IsNull(operand=operand):
                t = self.check(operand, in_agg)
                return T.BOOLEAN.with_dims(t.dims) if t else T.BOOLEAN
            case A.Between():
                return self._between(node, in_agg)
            case A.If():
                return self._if(node, in_agg)
            case A.Call():
                return self._call(node, in_agg)
            case _:
                assert_never(node)

    # -- names ----------------------------------------------------------------------------
    def _name(self, node: A.Name, in_agg: bool) -> Type | None:
        if self.context is Context.MODEL:
            return self._model_name(node)
        assert isinstance(self.scope, TableScope)
        if node.name == "param":
            self.err("HF411", Message("lang.param_without_name"), node, hint=Message("lang.param_without_name_hint"))
            return None
        if node.name == "this":
            self.err("HF456", Message("lang.this_without_column"), node, hint=Message("lang.this_without_column_hint"))
            return None
        for depth in range(len(self.frames) - 1, 0, -1):  # the rows of enclosing `from`s, innermost first
            dataset = self.frames[depth]
            if node.name in self.scope.columns[dataset]:
                return self._use_column(node, ColumnRef(dataset, node.name, self.scope.columns[dataset][node.name]), in_agg, depth)
        if node.name in self.scope.lets:
            return self._use_let(node, node.name, in_agg)
        if self.scope.base is None:
            self.err("HF434", Message("lang.derived_column", name=node.name), node, hint=Message("lang.derived_column_hint"))
            return None
        found = self.scope.resolve(node.name)
        if not found:
            names = [c for d in self.frames[1:] for c in self.scope.columns[d]] + list(self.scope.lets) + self.scope.column_names()
            if len(self.frames) > 1:
                message = Message("lang.unknown_column_from", column=node.name, inner=self.frames[-1], dataset=self.scope.base)
                label = Message("lang.not_a_column_of_from", inner=self.frames[-1], dataset=self.scope.base)
            else:
                message = Message("lang.unknown_column", column=node.name, dataset=self.scope.base)
                label = Message("lang.not_a_column_of", dataset=self.scope.base)
            self.err("HF401", message, node, hint=did_you_mean(node.name, names) or _columns_hint(self.scope), label=label)
            return None
        if len(found) > 1:
            options = [f"`{r.key}`" for r in found]
            self.err("HF413", Message("lang.ambiguous_column", name=node.name, options=options), node,
                     hint=Message("lang.ambiguous_column_hint", column=found[0].key))
            return None
        return self._use_column(node, found[0], in_agg)

    def _use_column(self, node, ref: ColumnRef, in_agg: bool, depth: int = 0) -> Type:
        if self.context is Context.MEASURE and not in_agg:
            self._outside_aggregate(node, Message("lang.the_column", name=ref.column), ref.column)
        self.out.columns[id(node)] = ref
        if depth:
            self.out.depths[id(node)] = depth
        return ref.type

    def _use_let(self, node, name: str, in_agg: bool) -> Type:
        if self.context is Context.MEASURE and not in_agg:
            self._outside_aggregate(node, Message("lang.the_let_value", name=name), name)
        self.out.lets[id(node)] = name
        return self.scope.lets[name]

    def _outside_aggregate(self, node, what: Message, name: str) -> None:
        if self.in_per:
            self.err("HF432", Message("lang.outside_aggregate_per", what=what), node,
                     hint=Message("lang.outside_aggregate_per_hint", name=name), label=Message("lang.bare_column_label"))
        else:
            self.err("HF432", Message("lang.outside_aggregate", what=what), node,
                     hint=Message("lang.bare_column_hint", column=name), label=Message("lang.bare_column_label"))

    def _member(self, node: A.Member, in_agg: bool) -> Type | None:
        if not isinstance(node.obj, A.Name):
            self.err("HF401", Message("lang.bad_dot"), node)
            return None
        head = node.obj.name
        if head == "param":
            return self._param(node)
        if self.context is Context.MODEL:
            self.err("HF401", Message("lang.dot_in_model", name=f"{head}.{node.name}"), node, hint=Message("lang.dot_in_model_hint"))
            return None
        assert isinstance(self.scope, TableScope)
        if head == "this":
            return self._this(node, in_agg)
        for depth in range(len(self.frames) - 1, 0, -1):  # `bolig.x` inside `from bolig`: the rows of that `from`
            if self.frames[depth] == head:
                typ = self.scope.columns[head].get(node.name)
                if typ is None:
                    self.err("HF401", Message("lang.unknown_column", column=node.name, dataset=head), node,
                             hint=did_you_mean(node.name, self.scope.columns[head]), label=Message("lang.not_a_column_of", dataset=head))
                    return None
                return self._use_column(node, ColumnRef(head, node.name, typ), in_agg, depth)
        if head not in self.scope.columns:
            self.err("HF401", Message("lang.unknown_dataset", dataset=head), node.obj, hint=did_you_mean(head, self.scope.reachable()))
            return None
        ref = self.scope.resolve_qualified(head, node.name)
        if ref is None:
            if head not in self.scope.reachable():
                self.err("HF401", Message("lang.not_linked", dataset=head, base=self.scope.base), node.obj, hint=Message("lang.not_linked_hint"))
            else:
                self.err("HF401", Message("lang.unknown_column", column=node.name, dataset=head), node,
                         hint=did_you_mean(node.name, self.scope.columns[head]), label=Message("lang.not_a_column_of", dataset=head))
            return None
        return self._use_column(node, ref, in_agg)

    def _this(self, node: A.Member, in_agg: bool) -> Type | None:
        """`this.x`: a column (or `let` value) of the row outside the innermost `from`."""
        if len(self.frames) < 2:
            self.err("HF456", Message("lang.this_outside_from"), node.obj, hint=Message("lang.this_outside_from_hint"))
            return None
        depth = len(self.frames) - 2
        dataset = self.frames[depth]
        if depth == 0:
            if node.name in self.scope.lets:
                return self._use_let(node, node.name, in_agg)
            found = self.scope.resolve(node.name)
            if len(found) == 1:
                return self._use_column(node, found[0], in_agg, 0)
        elif node.name in self.scope.columns[dataset]:
            return self._use_column(node, ColumnRef(dataset, node.name, self.scope.columns[dataset][node.name]), in_agg, depth)
        names = list(self.scope.columns[dataset]) + (list(self.scope.lets) if depth == 0 else [])
        self.err("HF456", Message("lang.this_no_column", name=node.name, dataset=dataset), node, hint=did_you_mean(node.name, names))
        return None

    def _param(self, node: A.Member) -> Type | None:
        params = self.scope.params
        if node.name not in params:
            hint = did_you_mean(node.name, params) or (Message("lang.known_params", names=Codes(sorted(params))) if params else Message("lang.define_param"))
            self.err("HF411", Message("lang.unknown_param", name=node.name), node, hint=hint)
            return None
        typ, value = params[node.name]
        self.out.params[id(node)] = (node.name, value)
        return typ

    def _model_name(self, node: A.Name) -> Type | None:
        assert isinstance(self.scope, ModelScope)
        if node.name in self.scope.names:
            self.out.model_names[id(node)] = node.name
            return self.scope.names[node.name]
        if node.name in self.scope.dimensions:
            self.out.dimension_names[id(node)] = node.name
            values = self.scope.nameable(node.name)
            base = T.INTEGER if all(isinstance(v, int) for v in values) else T.enum(str(v) for v in values)
            return base.with_dims((node.name,))
        candidates = list(self.scope.names) + list(self.scope.dimensions)
        self.err("HF401", Message("lang.unknown_model_name", name=node.name), node, hint=did_you_mean(node.name, candidates))
        return None

    def _index(self, node: A.Index, in_agg: bool) -> Type | None:
        if self.context is not Context.MODEL:
            self.err("HF435", Message("lang.index_outside_model"), node)
            return None
        assert isinstance(self.scope, ModelScope)
        base = self.check(node.obj, in_agg)
        if base is None:
            return None
        dims = list(base.dims)
        ok = True
        for arg in node.args:
            value_type = self.check(arg.value, in_agg)
            if arg.dim is None:
                self.err("HF701", Message("lang.unnamed_index"), arg)
                ok = False
                continue
            if arg.dim not in base.dims:
                self.err("HF701", Message("lang.not_a_dimension", dim=arg.dim, dims=Codes(base.dims) or Message("common.none")), arg,
                         hint=did_you_mean(arg.dim, base.dims))
                ok = False
                continue
            dims.remove(arg.dim)
            if value_type is not None:
                dims = list(T.merge_dims(tuple(dims), value_type.dims))
        return base.with_dims(tuple(dims)) if ok else None

    # -- operators ------------------------------------------------------------------------
    def _list(self, node: A.List, items, in_agg: bool) -> Type | None:
        element = T.NULL
        for item in items:
            t = self.check(item, in_agg)
            if t is None:
                continue
            joined = T.unify(element, t)
            if joined is None:
                self.err("HF420", Message("lang.list_types", a=element.words(), b=t.words()), item)
                return None
            element = joined
        return T.list_of(element)

    def _unary(self, node: A.Unary, in_agg: bool) -> Type | None:
        t = self.check(node.operand, in_agg)
        if t is None:
            return None
        if node.op is A.UnOp.NEG:
            if not t.is_numeric:
                self.err("HF420", Message("lang.needs_number", name="-", found=t.words()), node.operand)
                return None
            return t if not t.is_null else T.NUMBER
        if node.op is A.UnOp.NOT:
            return self.need_bool(node.operand, t, "`not`")
        assert_never(node.op)

    def need_bool(self, node, t: Type, what: str) -> Type | None:
        if t.kind not in (Kind.BOOLEAN, Kind.NULL):
            self.err("HF421", Message("lang.needs_condition", what=what, found=t.words()), node, hint=Message("lang.needs_condition_hint"))
            return None
        return T.BOOLEAN.with_dims(t.dims)

    def _binary(self, node: A.Binary, in_agg: bool) -> Type | None:
        lt = self.check(node.left, in_agg)
        rt = self.check(node.right, in_agg)
        if lt is None or rt is None:
            return None
        op = node.op
        if op in A.LOGICAL:
            a = self.need_bool(node.left, lt, f"`{op.value}`")
            b = self.need_bool(node.right, rt, f"`{op.value}`")
            return T.BOOLEAN.with_dims(T.merge_dims(lt.dims, rt.dims)) if a and b else None
        if op in A.ARITHMETIC:
            if not (lt.is_numeric and rt.is_numeric):
                bad, other = (lt, rt) if not lt.is_numeric else (rt, lt)
                hint = None
                if lt.kind is Kind.DATE and rt.kind is Kind.DATE:
                    hint = Message("lang.date_arithmetic_hint")
                elif Kind.DATE in (lt.kind, rt.kind):
                    hint = Message("lang.date_shift_hint")
                self.err("HF420", Message("lang.cannot_combine", op=op.value, a=lt.words(), b=rt.words()), node, hint=hint)
                return None
            if op in (A.BinOp.DIV, A.BinOp.POW):
                return T.NUMBER.with_dims(T.merge_dims(lt.dims, rt.dims))
            return T.numeric_join(lt, rt)
        if op in A.COMPARISONS:
            ordered = op not in (A.BinOp.EQ, A.BinOp.NE)
            fits = T.orderable(lt, rt) if ordered else T.comparable(lt, rt)
            if not fits:
                hint = None
                if {lt.kind, rt.kind} == {Kind.DATE, Kind.STRING}:
                    hint = Message("lang.date_literal_hint")
                elif Kind.DATE in (lt.kind, rt.kind) and (lt.is_numeric or rt.is_numeric):
                    hint = Message("lang.date_window_hint")
                elif ordered and Kind.ENUM in (lt.kind, rt.kind):
                    hint = Message("lang.enum_order_hint")
                self.err("HF420", Message("lang.cannot_compare", op=op.value, a=lt.words(), b=rt.words()), node, hint=hint)
                return None
            self._enum_literal(lt, node.right)
            self._enum_literal(rt, node.left)
            return T.BOOLEAN.with_dims(T.merge_dims(lt.dims, rt.dims))
        assert_never(op)

    def _enum_literal(self, enum_type: Type, other: A.Expr) -> None:
        if enum_type.kind is Kind.ENUM and isinstance(other, A.String) and other.value not in enum_type.values:
            allowed = [f'"{v}"' for v in enum_type.values]
            best = suggest(other.value, enum_type.values)
            hint = Message("lang.enum_values_best", best=best, values=allowed) if best else Message("lang.enum_values", values=allowed)
            self.err("HF410", Message("lang.unknown_enum_value", value=other.value), other, hint=hint, label=Message("lang.unknown_enum_value_label"))

    def _in(self, node: A.In, in_agg: bool) -> Type | None:
        t = self.check(node.operand, in_agg)
        lt = self.check(node.items, in_agg)
        if t is None or lt is None:
            return None
        element = lt.element or T.NULL
        if not T.comparable(t, element):
            self.err("HF420", Message("lang.in_types", a=t.words(), b=element.words()), node)
            return None
        for item in node.items.items:
            self._enum_literal(t, item)
        return T.BOOLEAN.with_dims(t.dims)

    def _between(self, node: A.Between, in_agg: bool) -> Type | None:
        types = [self.check(n, in_agg) for n in (node.operand, node.low, node.high)]
        if any(t is None for t in types):
            return None
        t, lo, hi = types
        for other in (lo, hi):
            if not T.orderable(t, other):
                self.err("HF420", Message("lang.cannot_compare", op="between", a=t.words(), b=other.words()), node)
                return None
        return T.BOOLEAN.with_dims(T.merge_dims(t.dims, T.merge_dims(lo.dims, hi.dims)))

    def _if(self, node: A.If, in_agg: bool) -> Type | None:
        ct = self.check(node.cond, in_agg)
        a = self.check(node.then, in_agg)
        b = self.check(node.otherwise, in_agg)
        if ct is not None:
            self.need_bool(node.cond, ct, "`if`")
        if a is None or b is None:
            return None
        joined = T.unify(a, b)
        if joined is None:
            self.err("HF420", Message("lang.if_types", a=a.words(), b=b.words()), node)
            return None
        return joined.with_dims(T.merge_dims(joined.dims, ct.dims if ct else ()))

    # -- calls ----------------------------------------------------------------------------
    def _call(self, node: A.Call, in_agg: bool) -> Type | None:
        if node.func == "ref":
            return self._ref(node)
        if node.func == "round" and len(node.args) == 2:
            self._round_digits(node.args[1])
        if self.context is Context.MODEL:  # model-only functions live apart
            if node.source is not None or node.order is not None or node.per is not None:
                self.err("HF459", Message("lang.data_syntax_in_model"), node, hint=Message("lang.data_syntax_in_model_hint"))
                return None
            return check_model_call(self, node, in_agg)
        if node.func == "days_in_period":
            return self._days_in_period(node, in_agg)
        clauses = node.source is not None or node.order is not None or node.per is not None
        fn = F.lookup(node.func, len(node.args), aggregate_allowed=(self.context is Context.MEASURE and not in_agg) or clauses)
        if fn is None:
            self.err("HF408", Message("lang.unknown_function", name=node.func), _name_span_node(node),
                     hint=did_you_mean(node.func, F.known_names()) or Message("lang.see_functions"))
            for arg in node.args:  # still find unknown names inside, without context cascades
                self.check(arg, True)
            return None
        if not fn.accepts(len(node.args)):
            self.err("HF409", _arity_message(fn, len(node.args)), node, hint=Message("lang.example", example=fn.example))
            return None
        self.use_function(node, fn)
        if fn.kind == "aggregate":
            if node.source is not None:
                return self._from_aggregate(node, fn, in_agg)
            if node.per is not None:
                return self._per_aggregate(node, fn, in_agg)
            return self._aggregate(node, fn, in_agg)
        if node.where is not None:
            self.err("HF407", Message("lang.where_on_scalar", name=fn.name), node.where)
        for clause, what in ((node.source, "from"), (node.order, "by"), (node.per, "per")):
            if clause is not None:
                self.err("HF407", Message("lang.clause_on_scalar", clause=what, name=fn.name), node, hint=Message("lang.clause_on_scalar_hint"))
        if node.distinct:
            self.err("HF433", Message("lang.distinct"), node)
        arg_types = [self.check(a, in_agg) for a in node.args]
        if any(t is None for t in arg_types):
            return None
        return self._apply_rule(node, fn, arg_types)

    def _apply_rule(self, node: A.Call, fn: F.Function, arg_types: list[Type]) -> Type | None:
        result = fn.type_rule(arg_types)
        if isinstance(result, tuple):  # (message, hint)
            self.err("HF420", result[0], node, hint=result[1])
            return None
        if isinstance(result, Message):
            self.err("HF420", result, node)
            return None
        return result

    def _round_digits(self, digits: A.Expr) -> None:
        """HF445 when `round`'s digits are a literal or parameter beyond F.MAX_ROUND_DIGITS (digits
        computed from data are clamped when the key figure runs)."""
        value = self._constant(digits)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) > F.MAX_ROUND_DIGITS:
            self.err("HF445", Message("lang.round_too_many", value=value, max=F.MAX_ROUND_DIGITS), digits,
                     hint=Message("lang.round_too_many_hint", max=F.MAX_ROUND_DIGITS))

    def _constant(self, node: A.Expr) -> Any:
        """The value of a literal number, a negated one or a parameter, else None."""
        match node:
            case A.Number():
                return node.value
            case A.Unary(op=A.UnOp.NEG, operand=operand):
                value = self._constant(operand)
                return -value if isinstance(value, (int, float)) and not isinstance(value, bool) else None
            case A.Member(obj=A.Name(name="param"), name=name) if name in self.scope.params:
                return self.scope.params[name][1]
        return None

    def _aggregate(self, node: A.Call, fn: F.Function, in_agg: bool) -> Type | None:
        if in_agg:
            self.err("HF431", Message("lang.nested_aggregate", name=fn.name), node, hint=Message("lang.nested_aggregate_hint"))
            return None
        if self.context is Context.ROW:
            self.err("HF430", Message("lang.aggregate_in_row", name=fn.name, role=Message(ROLE_IN.get(self.role, "lang.role_in_expression"))), node,
                     hint=Message("lang.aggregate_in_row_hint"))
            return None
        if isinstance(self.scope, TableScope) and self.scope.base is None:
            self.err("HF434", Message("lang.derived_aggregate", name=fn.name), node, hint=Message("lang.derived_aggregate_hint"))
            return None
        return self._aggregate_body(node, fn)

    def _aggregate_body(self, node: A.Call, fn: F.Function, rows_in_agg: bool = True) -> Type | None:
        """The clauses and arguments of an aggregate over rows (of a group, a `from`, or a unit:
        `rows_in_agg` False inside `per`, where the arguments are per-unit measures)."""
        if node.distinct and not (fn.name == "count" and len(node.args) == 1):
            self.err("HF433", Message("lang.distinct"), node)
        if node.over:
            self.err("HF435", Message("lang.over_outside_model"), node)
        if fn.name in F.ORDERED and node.order is None:
            dates = [c for c, typ in self.scope.columns.get(self.frames[-1], {}).items() if typ.kind is Kind.DATE] if self.frames else []
            example = dataclasses.replace(node, order=A.Name(dates[0] if dates else "dato"))
            message, hint = NEEDS_ORDER[fn.name]
            self.err("HF452", Message(message), node, hint=Message(hint, example=_text_of(example)))
        if node.order is not None:
            if fn.name not in F.ORDERED:
                self.err("HF453", Message("lang.by_outside_first_last", name=fn.name), node.order, hint=Message("lang.by_outside_first_last_hint"))
            else:
                ot = self.check(node.order, True)
                if ot is not None and not (ot.is_numeric or ot.kind in (Kind.DATE, Kind.STRING)):
                    self.err("HF420", Message("lang.bad_order_type", name=fn.name, type=ot.words()), node.order, hint=Message("lang.bad_order_type_hint"))
        if node.where is not None:
            wt = self.check(node.where, rows_in_agg)
            if wt is not None:
                self.need_bool(node.where, wt, "`where`")
        arg_types = [self.check(a, rows_in_agg) for a in node.args]
        if any(t is None for t in arg_types):
            return None
        if not arg_types:
            return T.INTEGER
        return self._apply_rule(node, fn, arg_types)

    def _from_aggregate(self, node: A.Call, fn: F.Function, in_agg: bool) -> Type | None:
        """`agg(… from D …)`: a row value, aggregated over the rows of D of the same citizen."""
        assert isinstance(self.scope, TableScope) and node.source is not None
        at_source = _At(node.source_span)
        if self.scope.base is None:
            self.err("HF434", Message("lang.derived_aggregate", name=fn.name), node, hint=Message("lang.derived_from_hint"))
            return None
        if node.per is not None:
            self.err("HF454", Message("lang.per_and_from"), node.per, hint=Message("lang.per_and_from_hint"))
            return None
        if node.source not in self.scope.columns:
            self.err("HF450", Message("lang.unknown_from", dataset=node.source), at_source,
                     hint=did_you_mean(node.source, self.scope.columns) or Message("lang.datasets", names=Codes(sorted(self.scope.columns))),
                     label=Message("lang.not_a_dataset"))
            return None
        outer = self.frames[-1]
        pairs = self.scope.related(outer, node.source)
        if len(pairs) != 1:
            if pairs:
                self.err("HF451", Message("lang.linked_twice", dataset=node.source, outer=outer, ways=Codes(f"{node.source}.{c} = {o.key}" for c, o in pairs)),
                         at_source, hint=Message("lang.linked_twice_hint"))
            else:
                self.err("HF451", Message("lang.from_not_linked", dataset=node.source, outer=outer), at_source,
                         hint=Message("lang.from_not_linked_hint", dataset=node.source, outer=outer))
            return None
        if self.context is Context.MEASURE and not in_agg:
            self.err("HF432", Message("lang.from_outside_aggregate", name=fn.name, dataset=node.source), node,
                     hint=Message("lang.from_outside_aggregate_per_hint" if self.in_per else "lang.from_outside_aggregate_hint", example=_text_of(node)),
                     label=Message("lang.one_value_per_row"))
            return None
        column, outer_ref = pairs[0]
        self.frames.append(node.source)
        in_per, self.in_per = self.in_per, False
        try:
            result = self._aggregate_body(node, fn)
        finally:
            self.frames.pop()
            self.in_per = in_per
        self.out.relations[id(node)] = Relation(node.source, column, outer_ref, len(self.frames))
        return result

    def _per_aggregate(self, node: A.Call, fn: F.Function, in_agg: bool) -> Type | None:
        """`agg(value per unit where cond)`: value and cond per unit, then aggregated over units."""
        assert isinstance(self.scope, TableScope) and node.per is not None
        problem = None
        if self.context is Context.ROW:
            problem = Message("lang.per_in_row", role=Message(ROLE_IN.get(self.role, "lang.role_in_expression")))
        elif self.in_per:
            problem = Message("lang.per_in_per")
        elif in_agg:
            problem = Message("lang.per_in_aggregate", name=fn.name)
        elif not self.scope.per_allowed or self.scope.base is None:
            problem = Message("lang.per_outside_measure")
        elif fn.name in F.ORDERED:
            problem = Message("lang.per_ordered", name=fn.name)
        if problem is not None:
            self.err("HF454", problem, node, hint=Message("lang.per_hint"))
            return None
        if node.distinct:
            self.err("HF433", Message("lang.per_distinct"), node)
        unit_type = self.check(node.per, True)
        if unit_type is not None and not (id(node.per) in self.out.columns or id(node.per) in self.out.lets):
            self.err("HF455", Message("lang.per_unit"), node.per, hint=Message("lang.per_unit_hint"))
            return None
        self.in_per = True
        try:
            result = self._aggregate_body(node, fn, rows_in_agg=False)
        finally:
            self.in_per = False
        return result

    def _days_in_period(self, node: A.Call, in_agg: bool) -> Type | None:
        assert isinstance(self.scope, TableScope)
        if node.args or node.where is not None or node.distinct or node.source or node.order or node.per:
            self.err("HF409", Message("lang.days_in_period_arguments"), node, hint=Message("lang.days_in_period_sum"))
            return None
        if not self.scope.period_days:
            self.err("HF457", Message("lang.days_in_period_interval"), node, hint=Message("lang.days_in_period_interval_hint"))
            return None
        if len(self.frames) > 1 or self.context is Context.ROW:
            self.err("HF457", Message("lang.days_in_period_place"), node, hint=Message("lang.days_in_period_place_hint"))
            return None
        if self.context is Context.MEASURE and not in_agg:
            self.err("HF432", Message("lang.days_in_period_outside"), node, hint=Message("lang.days_in_period_sum"), label=Message("lang.one_value_per_row"))
            return None
        return T.INTEGER

    def _ref(self, node: A.Call) -> Type | None:
        if not isinstance(self.scope, TableScope) or self.context is not Context.MEASURE:
            self.err("HF434", Message("lang.ref_outside_measure"), node)
            return None
        if len(node.args) != 1 or not isinstance(node.args[0], A.String) or node.where or node.distinct:
            self.err("HF409", Message("lang.ref_arguments"), node, hint=Message("lang.example", example='ref("HF-O-08")'))
            return None
        target = node.args[0].value
        if self.scope.base is not None:
            self.err("HF434", Message("lang.ref_with_dataset"), node, hint=Message("lang.ref_with_dataset_hint"))
            return None
        if target not in self.scope.indicators:
            self.err("HF412", Message("lang.unknown_ref", id=target), node.args[0], hint=did_you_mean(target, self.scope.indicators))
            return None
        self.out.types[id(node.args[0])] = T.STRING
        self.refs.append(target)
        return T.NUMBER


class _At:
    """Something with a span, for a diagnostic at part of a node (a call's name, its `from` dataset)."""

    def __init__(self, span) -> None:
        self.span = span


def _name_span_node(node: A.Call) -> _At:
    return _At(node.name_span)


def _text_of(node: A.Expr) -> str:
    from hfspec.lang.printer import to_text

    return to_text(node)


def _columns_hint(scope: TableScope) -> Message:
    names = scope.column_names()
    return Message("lang.columns_of", dataset=scope.base, names=Codes(names[:12] + (["…"] if len(names) > 12 else [])))


def _arity_message(fn: F.Function, given: int) -> Message:
    """"`round` takes 1 or 2 arguments, got 3", from the function's arity."""
    if fn.max_args == fn.min_args:
        return Message("lang.arity_exactly", name=fn.name, n=fn.min_args, given=given)
    if fn.max_args is None:
        return Message("lang.arity_at_least", name=fn.name, n=fn.min_args, given=given)
    if fn.min_args == 0:
        return Message("lang.arity_at_most", name=fn.name, n=fn.max_args, given=given)
    return Message("lang.arity_between", name=fn.name, low=fn.min_args, high=fn.max_args, given=given)


#: What an expression of each role is, as in "cannot be used in a filter".
#: The message and hint of `first`/`last` without an order.
NEEDS_ORDER = {"first": ("lang.needs_order_first", "lang.needs_order_first_hint"), "last": ("lang.needs_order_last", "lang.needs_order_last_hint")}

ROLE_IN = {"filter": "lang.role_in_filter", "assert": "lang.role_in_assert", "show": "lang.role_in_show",
           "expression": "lang.role_in_expression", "condition": "lang.role_in_condition"}
#: The subject of "… gives a number, not a condition".
ROLE_SUBJECT = {"filter": "lang.role_filter", "assert": "lang.role_assert", "condition": "lang.role_condition"}


def has_aggregate(expr: A.Expr) -> bool:
    """Whether an expression calls an aggregate (used to tell group rules from row rules)."""
    return any(isinstance(n, A.Call) and n.func in F.AGGREGATES and n.source is None and (n.func not in F.SCALARS or len(n.args) <= 1)
               for n in A.walk(expr))


def check(expr: A.Expr, scope: TableScope | ModelScope, context: Context, role: str = "filter") -> tuple[CheckedExpr | None, list[Diagnostic]]:
    """Check an expression. Returns the checked expression (None on errors) and the diagnostics."""
    checker = _Checker(scope, context, role)
    typ = checker.check(expr)
    if typ is not None and role == "measure" and not typ.is_numeric and not checker.bag.has_errors:
        checker.err("HF422", Message("lang.measure_not_number", found=typ.words()), expr, hint=Message("lang.measure_not_number_hint"))
    if checker.bag.has_errors or typ is None:
        return None, list(checker.bag)
    if typ is not None and role in ("assert", "condition", "filter") and typ.kind not in (Kind.BOOLEAN, Kind.NULL) and not checker.bag.has_errors:
        checker.err("HF421", Message("lang.not_condition", role=Message(ROLE_SUBJECT[role]), found=typ.words()), expr)
        return None, list(checker.bag)
    checker.out.expr = expr
    checker.out.type = typ
    checker.out.refs = tuple(dict.fromkeys(checker.refs))
    return checker.out, list(checker.bag)
