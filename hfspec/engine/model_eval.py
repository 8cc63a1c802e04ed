"""CompiledModel + input values → values of every formula, as arrays over named dimensions.

Arrays are numpy arrays with a tuple of dimension names (`Named`); operations broadcast by
name. Null is NaN; booleans are 1.0/0.0/NaN so that three-valued logic works element-wise.
Monte Carlo draws are one more dimension (`DRAW`), so a whole simulation is one vectorised run.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping, assert_never

import numpy as np

from hfspec.lang import ast as A
from hfspec.lang.check import CheckedExpr
from hfspec.lang.functions import round_digits
from hfspec.spec.modelcheck import CompiledModel

#: The dimension that Monte Carlo draws add to every uncertain input.
DRAW = "_draw"


@dataclass(frozen=True)
class Named:
    """An array with named dimensions (in the order of its axes)."""

    data: np.ndarray
    dims: tuple[str, ...]

    def aligned(self, dims: tuple[str, ...], sizes: Mapping[str, int]) -> np.ndarray:
        """The data transposed and expanded so its axes follow `dims` (size 1 where missing)."""
        order = [self.dims.index(d) for d in dims if d in self.dims]
        data = np.transpose(self.data, order) if order != list(range(len(order))) else self.data
        shape = [sizes[d] if d in self.dims else 1 for d in dims]
        return data.reshape(shape)

    def scalar(self) -> float:
        return float(self.data.reshape(-1)[0]) if self.data.size else math.nan


def _union(*arrays: Named) -> tuple[str, ...]:
    dims: tuple[str, ...] = ()
    for a in arrays:
        dims += tuple(d for d in a.dims if d not in dims)
    return dims


def _sizes(*arrays: Named) -> dict[str, int]:
    sizes: dict[str, int] = {}
    for a in arrays:
        for d, n in zip(a.dims, a.data.shape):
            sizes[d] = max(sizes.get(d, 1), n)
    return sizes


def _broadcast(fn, *arrays: Named) -> Named:
    dims = _union(*arrays)
    sizes = _sizes(*arrays)
    with np.errstate(all="ignore"):
        data = fn(*(a.aligned(dims, sizes) for a in arrays))
    data = np.broadcast_to(data, [sizes[d] for d in dims]).copy() if dims else np.asarray(data)
    return Named(data, dims)


def _finite(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=float)
    return np.where(np.isfinite(x), x, np.nan)


def _bool(cond: np.ndarray) -> np.ndarray:
    return cond.astype(float)


def _cmp(op):
    def f(a, b):
        if a.dtype == object or b.dtype == object:
            a_null = np.equal(a, None) if a.dtype == object else np.isnan(a)
            b_null = np.equal(b, None) if b.dtype == object else np.isnan(b)
            return np.where(a_null | b_null, np.nan, _bool(op(a, b)))
        return np.where(np.isnan(a) | np.isnan(b), np.nan, _bool(op(a, b)))
    return f


def _and3(a, b):
    return np.where((a == 0) | (b == 0), 0.0, np.where(np.isnan(a) | np.isnan(b), np.nan, 1.0))


def _or3(a, b):
    return np.where((a == 1) | (b == 1), 1.0, np.where(np.isnan(a) | np.isnan(b), np.nan, 0.0))


def _round_half_away(x, digits):
    scale = 10.0 ** digits
    return np.sign(x) * np.floor(np.abs(x) * scale + 0.5) / scale


_ARITH = {
    A.BinOp.ADD: lambda a, b: a + b, A.BinOp.SUB: lambda a, b: a - b, A.BinOp.MUL: lambda a, b: a * b,
    A.BinOp.DIV: lambda a, b: _finite(np.where(b == 0, np.nan, a / np.where(b == 0, 1, b))),
    A.BinOp.POW: lambda a, b: _finite(np.power(a.astype(float), b)),
}
_CMP = {A.BinOp.EQ: _cmp(np.equal), A.BinOp.NE: _cmp(np.not_equal), A.BinOp.LT: _cmp(np.less), A.BinOp.LE: _cmp(np.less_equal),
        A.BinOp.GT: _cmp(np.greater), A.BinOp.GE: _cmp(np.greater_equal)}


class ModelEvaluator:
    """Evaluates the checked formulas of a model over given input arrays."""

    def __init__(self, model: CompiledModel, inputs: Mapping[str, Named]):
        self.model = model
        self.values: dict[str, Named] = dict(inputs)

    def run(self, targets: tuple[str, ...] | None = None) -> dict[str, Named]:
        for name in self.model.order if targets is None else self.model.needed(targets):
            self.values[name] = self.eval(self.model.formulas[name], self.model.formulas[name].expr)
        return self.values

    def coords(self, dim: str) -> Named:
        values = self.model.dimensions[dim]
        if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
            return Named(np.asarray(values, dtype=float), (dim,))
        return Named(np.asarray([str(v) for v in values], dtype=object), (dim,))

    def eval(self, c: CheckedExpr, node: A.Expr) -> Named:
        match node:
            case A.Number():
                return Named(np.asarray(float(node.value)), ())
            case A.String(value=value):
                return Named(np.asarray(value, dtype=object), ())
            case A.Bool(value=value):
                return Named(np.asarray(1.0 if value else 0.0), ())
            case A.Null():
                return Named(np.asarray(np.nan), ())
            case A.Name(name=name):
                if id(node) in c.dimension_names:
                    return self.coords(name)
                return self.values[name]
            case A.Member():
                return Named(np.asarray(float(c.params[id(node)][1])), ())
            case A.Index():
                return self.index(c, node)
            case A.Unary(op=A.UnOp.NEG, operand=operand):
                v = self.eval(c, operand)
                return Named(-v.data, v.dims)
            case A.Unary(op=A.UnOp.NOT, operand=operand):
                v = self.eval(c, operand)
                return Named(np.where(np.isnan(v.data), np.nan, 1.0 - v.data), v.dims)
            case A.Unary():
                assert_never(node.op)
            case A.Binary(op=A.BinOp.AND, left=left, right=right):
                return _broadcast(_and3, self.eval(c, left), self.eval(c, right))
            case A.Binary(op=A.BinOp.OR, left=left, right=right):
                return _broadcast(_or3, self.eval(c, left), self.eval(c, right))
            case A.Binary(op=op, left=left, right=right) if op in _CMP:
                return _broadcast(_CMP[op], self.eval(c, left), self.eval(c, right))
            case A.Binary(op=op, left=left, right=right):
                return _broadcast(_ARITH[op], self.eval(c, left), self.eval(c, right))
            case A.In(operand=operand, items=items, negated=negated):
                x = self.eval(c, operand)
                result = Named(np.zeros(x.data.shape), x.dims)
                for item in items.items:
                    result = _broadcast(_or3, result, _broadcast(_CMP[A.BinOp.EQ], x, self.eval(c, item)))
                return Named(np.where(np.isnan(result.data), np.nan, 1.0 - result.data), result.dims) if negated else result
            case A.IsNull(operand=operand, negated=negated):
                v = self.eval(c, operand)
                null = np.equal(v.data, None) if v.data.dtype == object else np.isnan(v.data)
                return Named(_bool(~null if negated else null), v.dims)
            case A.Between(operand=operand, low=low, high=high):
                x = self.eval(c, operand)
                lo = _broadcast(_CMP[A.BinOp.LE], self.eval(c, low), x)
                hi = _broadcast(_CMP[A.BinOp.LE], x, self.eval(c, high))
                return _broadcast(_and3, lo, hi)
            case A.If(cond=cond, then=then, otherwise=otherwise):
                return _broadcast(lambda k, a, b: np.where(k == 1, a, b), self.eval(c, cond), self.eval(c, then), self.eval(c, otherwise))
            case A.Call():
                return self.call(c, node)
            case _:
                assert_never(node)

    def index(self, c: CheckedExpr, node: A.Index) -> Named:
        base = self.eval(c, node.obj)
        for arg in node.args:
            dim = arg.dim
            assert dim is not None
            where = self.eval(c, arg.value)
            values = self.model.dimensions[dim]
            position = {float(v) if isinstance(v, (int, float)) else str(v): i for i, v in enumerate(values)}
            keys = where.data.reshape(-1)
            pos = np.asarray([position.get(float(k) if isinstance(k, (int, float, np.floating)) and not (isinstance(k, float) and math.isnan(k)) else str(k), -1)
                              if not (isinstance(k, float) and math.isnan(k)) else -1 for k in keys]).reshape(where.data.shape)
            axis = base.dims.index(dim)
            taken = np.take(base.data, np.clip(pos, 0, len(values) - 1), axis=axis)
            # axes of `taken`: base dims before `dim`, then where.dims, then base dims after
            new_dims = base.dims[:axis] + where.dims + base.dims[axis + 1:]
            valid = (pos >= 0).reshape((1,) * axis + pos.shape + (1,) * (len(base.dims) - axis - 1))
            data = np.where(valid, taken, np.nan)
            base = _dedupe(Named(data, new_dims))
        return base

    def call(self, c: CheckedExpr, node: A.Call) -> Named:
        from hfspec.lang.model_check import REDUCTIONS, RUNNING

        name = node.func
        if name in RUNNING:
            v = self.eval(c, node.args[0])
            axis = v.dims.index(node.over[0])
            data = v.data.astype(float)
            if name == "cumsum":
                return Named(np.cumsum(np.where(np.isnan(data), 0.0, data), axis=axis), v.dims)
            if name == "cumprod":
                return Named(np.cumprod(data, axis=axis), v.dims)
            return Named(_rank(data, axis), v.dims)
        fn = c.functions.get(id(node))
        if fn is None and name in REDUCTIONS:
            return self.reduce(c, node)
        args = [self.eval(c, a) for a in node.args]
        if name == "coalesce":
            return _broadcast(lambda *xs: _coalesce(xs), *args)
        if name == "abs":
            return Named(np.abs(args[0].data), args[0].dims)
        if name == "round":
            digits = args[1].scalar() if len(args) > 1 else 0
            if not np.isfinite(digits):
                return Named(np.full_like(args[0].data, np.nan, dtype=float), args[0].dims)
            digits = round_digits(digits)
            return Named(_round_half_away(args[0].data.astype(float), digits), args[0].dims)
        if name in ("min", "max"):
            pick = np.minimum if name == "min" else np.maximum
            return _broadcast(lambda *xs: _strict_reduce(pick, xs), *args)
        raise AssertionError(f"model function {name} has no evaluator")

    def reduce(self, c: CheckedExpr, node: A.Call) -> Named:
        arg = self.eval(c, node.args[0]) if node.args else Named(np.asarray(1.0), ())
        if node.where is not None:
            cond = self.eval(c, node.where)
            arg = _broadcast(lambda a, k: np.where(k == 1, a, np.nan), arg, cond)
        over = node.over or tuple(d for d in arg.dims if d != DRAW)
        missing = [d for d in over if d not in arg.dims]
        if missing:  # a condition may add dimensions the argument lacks: broadcast first
            sizes = {d: len(self.model.dimensions[d]) for d in missing}
            dims = arg.dims + tuple(missing)
            arg = Named(np.broadcast_to(arg.aligned(dims, {**_sizes(arg), **sizes}), [({**_sizes(arg), **sizes})[d] for d in dims]).copy(), dims)
        axes = tuple(arg.dims.index(d) for d in over)
        data = arg.data.astype(float)
        kept = tuple(d for d in arg.dims if d not in over)
        known = np.sum(~np.isnan(data), axis=axes)
        with np.errstate(all="ignore"):
            import warnings

            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                result = {
                    "sum": lambda: np.where(known > 0, np.nansum(data, axis=axes), np.nan),
                    "prod": lambda: np.where(known > 0, np.nanprod(data, axis=axes), np.nan),
                    "mean": lambda: np.nanmean(data, axis=axes),
                    "median": lambda: np.nanmedian(data, axis=axes) if data.size else np.nan,
                    "min": lambda: np.nanmin(data, axis=axes) if data.size else np.nan,
                    "max": lambda: np.nanmax(data, axis=axes) if data.size else np.nan,
                    "count": lambda: known.astype(float),
                }[node.func]()
        return Named(np.asarray(result, dtype=float), kept)


def _dedupe(a: Named) -> Named:
    """Merge axes that carry the same dimension name (a gather over a dim the base also has)."""
    dims = list(a.dims)
    data = a.data
    i = 0
    while i < len(dims):
        j = next((k for k in range(i + 1, len(dims)) if dims[k] == dims[i]), None)
        if j is None:
            i += 1
            continue
        data = np.diagonal(data, axis1=i, axis2=j)
        data = np.moveaxis(data, -1, i)
        dims.pop(j)
    return Named(data, tuple(dims))


def _coalesce(xs):
    out = xs[0].astype(float)
    for x in xs[1:]:
        out = np.where(np.isnan(out), x, out)
    return out


def _strict_reduce(pick, xs):
    out = xs[0].astype(float)
    for x in xs[1:]:
        out = pick(out, x)  # numpy's minimum/maximum propagate NaN: null if any is null
    return out


def _rank(data: np.ndarray, axis: int) -> np.ndarray:
    moved = np.moveaxis(data, axis, -1)
    out = np.full(moved.shape, np.nan)
    for index in np.ndindex(moved.shape[:-1]):
        row = moved[index]
        for i, v in enumerate(row):
            if not np.isnan(v):
                out[index + (i,)] = 1 + np.sum(row[~np.isnan(row)] > v)
    return np.moveaxis(out, -1, axis)


def evaluate_model(model: CompiledModel, inputs: Mapping[str, Named], targets: tuple[str, ...] | None = None) -> dict[str, Named]:
    """Every formula's value (inputs included in the result); with `targets`, only the values of
    those formulas and the formulas they need (what sensitivity and Monte Carlo look at)."""
    return ModelEvaluator(model, inputs).run(targets)
