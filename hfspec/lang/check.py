"""AST + scope → `CheckedExpr` (a type for every node, resolved names), or all problems at once.

Three contexts: ROW (filters, row rules: no aggregates), MEASURE (a key figure's measure: columns
only inside aggregates, aggregates do not nest; or `ref()` combinations for derived figures) and
MODEL (formulas over named dimensions). Backends accept only checked expressions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any, assert_never

from hfspec.diagnostics import Diagnostic, DiagnosticBag, Message, did_you_mean, suggest
from hfspec.lang import ast as A
from hfspec.lang import functions as F
from hfspec.lang import types as T
from hfspec.lang.model_check import check_model_call
from hfspec.lang.scope import ColumnRef, ModelScope, TableScope
from hfspec.lang.types import Kind, Type
from hfspec.messages import Codes


class Context(str, Enum):
    ROW = "row"
    MEASURE = "measure"
    MODEL = "model"


@dataclass
class CheckedExpr:
    """A checked expression: the tree, its type, and what each node means.

    Maps are keyed by `id(node)`; the tree is kept alive by `expr`.
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

    @property
    def is_aggregate(self) -> bool:
        return any(f.kind == "aggregate" for f in self.functions.values())

    def used_columns(self) -> list[ColumnRef]:
        seen: dict[str, ColumnRef] = {}
        for ref in self.columns.values():
            seen.setdefault(ref.key, ref)
        return list(seen.values())

    def type_of(self, node: A.Expr) -> Type:
        return self.types[id(node)]

    _BY_NODE = ("types", "columns", "params", "functions", "model_names", "dimension_names")

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
        if self.scope.base is None:
            self.err("HF434", Message("lang.derived_column", name=node.name), node, hint=Message("lang.derived_column_hint"))
            return None
        found = self.scope.resolve(node.name)
        if not found:
            names = self.scope.column_names()
            self.err("HF401", Message("lang.unknown_column", column=node.name, dataset=self.scope.base), node,
                     hint=did_you_mean(node.name, names) or _columns_hint(self.scope), label=Message("lang.not_a_column_of", dataset=self.scope.base))
            return None
        if len(found) > 1:
            options = [f"`{r.key}`" for r in found]
            self.err("HF413", Message("lang.ambiguous_column", name=node.name, options=options), node,
                     hint=Message("lang.ambiguous_column_hint", column=found[0].key))
            return None
        return self._use_column(node, found[0], in_agg)

    def _use_column(self, node, ref: ColumnRef, in_agg: bool) -> Type:
        if self.context is Context.MEASURE and not in_agg:
            self.err("HF432", Message("lang.bare_column", column=ref.column), node,
                     hint=Message("lang.bare_column_hint", column=ref.column), label=Message("lang.bare_column_label"))
        self.out.columns[id(node)] = ref
        return ref.type

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
            values = self.scope.dimensions[node.name]
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
                hint = Message("lang.date_arithmetic_hint") if Kind.DATE in (lt.kind, rt.kind) else None
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
        if self.context is Context.MODEL:  # model-only functions live apart
            return check_model_call(self, node, in_agg)
        fn = F.lookup(node.func, len(node.args), aggregate_allowed=self.context is Context.MEASURE and not in_agg)
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
            return self._aggregate(node, fn, in_agg)
        if node.where is not None:
            self.err("HF407", Message("lang.where_on_scalar", name=fn.name), node.where)
        if node.distinct:
            self.err("HF433", Message("lang.distinct"), node)
        arg_types = [self.check(a, in_agg) for a in node.args]
        if any(t is None for t in arg_types):
            return None
        result = fn.type_rule(arg_types)
        if isinstance(result, Message):
            self.err("HF420", result, node)
            return None
        return result

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
        if node.distinct and not (fn.name == "count" and len(node.args) == 1):
            self.err("HF433", Message("lang.distinct"), node)
        if node.over:
            self.err("HF435", Message("lang.over_outside_model"), node)
        if node.where is not None:
            wt = self.check(node.where, True)
            if wt is not None:
                self.need_bool(node.where, wt, "`where`")
        arg_types = [self.check(a, True) for a in node.args]
        if any(t is None for t in arg_types):
            return None
        if not arg_types:
            return T.INTEGER
        result = fn.type_rule(arg_types)
        if isinstance(result, Message):
            self.err("HF420", result, node)
            return None
        return result

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


def _name_span_node(node: A.Call):
    class _At:
        span = node.name_span
    return _At()


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
ROLE_IN = {"filter": "lang.role_in_filter", "assert": "lang.role_in_assert", "show": "lang.role_in_show",
           "expression": "lang.role_in_expression", "condition": "lang.role_in_condition"}
#: The subject of "… gives a number, not a condition".
ROLE_SUBJECT = {"filter": "lang.role_filter", "assert": "lang.role_assert", "condition": "lang.role_condition"}


def has_aggregate(expr: A.Expr) -> bool:
    """Whether an expression calls an aggregate (used to tell group rules from row rules)."""
    return any(isinstance(n, A.Call) and n.func in F.AGGREGATES and (n.func not in F.SCALARS or len(n.args) <= 1) for n in A.walk(expr))


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
