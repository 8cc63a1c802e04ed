"""A call in a model formula → its type: reductions over named dimensions
(`sum(x over year)`, `min(year over year where acc >= 0)`), running totals (`cumsum(x over year)`)
and the scalar functions applied element by element.

The checker of `hfspec.lang.check` calls `check_model_call` for every call in the model context;
this module knows it only as a `Checker` (the protocol below), so the import goes one way."""

from __future__ import annotations

from typing import Protocol

from hfspec.diagnostics import Message, did_you_mean
from hfspec.lang import ast as A
from hfspec.lang import functions as F
from hfspec.lang import types as T
from hfspec.lang.types import Type
from hfspec.messages import Codes


class Checker(Protocol):
    """What the type rules of model calls need of the expression checker (`hfspec.lang.check`)."""

    def check(self, node: A.Expr, in_agg: bool = False) -> Type | None:
        """The type of a sub-expression (None after reporting its problems)."""

    def err(self, code: str, message: Message, node, hint: Message | None = None, label: Message | None = None) -> None:
        """Report a problem at a node."""

    def need_bool(self, node: A.Expr, t: Type, what: str) -> Type | None:
        """`t` as a condition, or None after reporting that `what` needs one."""

    def use_function(self, node: A.Call, fn: F.Function) -> None:
        """Record the registry function a call resolved to (the backends read it)."""


#: Reductions in the model context, with the doc line used in docs/language.md.
REDUCTIONS = {
    "sum": "Sum over the named dimensions (all when none are named).",
    "prod": "Product over the named dimensions: `prod((1 + rate) ^ -years over band)` chains discount factors (nulls are skipped).",
    "mean": "Average over the named dimensions.",
    "median": "Middle value over the named dimensions (the mean of the two middle values for an even count); nulls are skipped.",
    "min": "Smallest value over the named dimensions (with `where`: among the cells where the condition holds).",
    "max": "Largest value over the named dimensions.",
    "count": "Number of cells over the named dimensions where the `where` condition holds.",
}
#: Running totals along one dimension; the result keeps every dimension.
RUNNING = {
    "cumsum": "Running total along a dimension: `cumsum(net over year)` is the accumulated net result (nulls count as 0).",
    "cumprod": "Running product along a dimension: `cumprod(1 + rate over year)` compounds a rate.",
    "rank": "Rank along a dimension, 1 for the largest value; ties share the best rank; null stays null.",
}

MODEL_SCALARS = ("abs", "round", "min", "max", "coalesce")


def check_model_call(checker: Checker, node: A.Call, in_agg: bool) -> Type | None:
    name = node.func
    is_reduction = name in REDUCTIONS and (len(node.args) <= 1 and (node.over or node.where is not None or len(node.args) == 1))
    if name in RUNNING:
        return _running(checker, node)
    if is_reduction:
        return _reduction(checker, node)
    fn = F.SCALARS.get(name)
    if fn is None or name not in MODEL_SCALARS:
        known = list(REDUCTIONS) + list(RUNNING) + list(MODEL_SCALARS)
        checker.err("HF408", Message("lang.unknown_model_function", name=name), node,
                    hint=did_you_mean(name, known) or Message("lang.model_functions", names=Codes(sorted(set(known)))))
        return None
    if not fn.accepts(len(node.args)):
        checker.err("HF409", Message("lang.arity_not", name=name, given=len(node.args)), node, hint=Message("lang.example", example=fn.example))
        return None
    arg_types = [checker.check(a, in_agg) for a in node.args]
    if any(t is None for t in arg_types):
        return None
    dims: tuple[str, ...] = ()
    for t in arg_types:
        dims = T.merge_dims(dims, t.dims)
    result = fn.type_rule([t.scalar() for t in arg_types])
    if isinstance(result, Message):
        checker.err("HF420", result, node)
        return None
    checker.use_function(node, fn)
    return result.with_dims(dims)


def _over(checker: Checker, node: A.Call, arg_dims: tuple[str, ...]) -> tuple[str, ...] | None:
    over = node.over or arg_dims
    for dim in over:
        if dim not in arg_dims:
            checker.err("HF701", Message("lang.not_a_dimension", dim=dim, dims=Codes(arg_dims) or Message("common.none")), node,
                        hint=did_you_mean(dim, arg_dims))
            return None
    return over


def _reduction(checker: Checker, node: A.Call) -> Type | None:
    if node.distinct:
        checker.err("HF433", Message("lang.distinct_in_model"), node)
        return None
    arg = node.args[0] if node.args else None
    arg_type = checker.check(arg) if arg is not None else T.INTEGER
    where_type = checker.check(node.where) if node.where is not None else None
    if arg_type is None or (node.where is not None and where_type is None):
        return None
    if where_type is not None and checker.need_bool(node.where, where_type, "`where`") is None:
        return None
    all_dims = T.merge_dims(arg_type.dims, where_type.dims if where_type else ())
    over = _over(checker, node, all_dims)
    if over is None:
        return None
    if node.func != "count" and not arg_type.is_numeric and node.func not in ("min", "max"):
        checker.err("HF420", Message("lang.needs_number", name=node.func, found=arg_type.words()), node)
        return None
    kept = tuple(d for d in all_dims if d not in over)
    base = T.INTEGER if node.func == "count" else (T.NUMBER if node.func in ("mean", "median") else arg_type.scalar())
    return base.with_dims(kept)


def _running(checker: Checker, node: A.Call) -> Type | None:
    if len(node.args) != 1 or len(node.over) != 1 or node.where is not None:
        checker.err("HF409", Message("lang.running_arguments", name=node.func), node)
        return None
    arg_type = checker.check(node.args[0])
    if arg_type is None:
        return None
    if not arg_type.is_numeric:
        checker.err("HF420", Message("lang.needs_number", name=node.func, found=arg_type.words()), node)
        return None
    if _over(checker, node, arg_type.dims) is None:
        return None
    if node.func == "rank":
        return T.INTEGER.with_dims(arg_type.dims)
    return T.NUMBER.with_dims(arg_type.dims) if node.func == "cumprod" or arg_type.is_null else arg_type
