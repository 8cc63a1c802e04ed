"""The expression language's own syntax tree: frozen, slotted dataclasses, one per construct.

Every node carries a `span` that takes no part in equality, so tests compare hand-built trees
with parsed ones. Operators are enums. Nothing here knows about lark.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Union

from hfspec.source import NO_SPAN, Span


class BinOp(Enum):
    OR = "or"
    AND = "and"
    EQ = "=="
    NE = "!="
    LT = "<"
    LE = "<="
    GT = ">"
    GE = ">="
    ADD = "+"
    SUB = "-"
    MUL = "*"
    DIV = "/"
    POW = "^"


class UnOp(Enum):
    NEG = "-"
    NOT = "not"


COMPARISONS = frozenset({BinOp.EQ, BinOp.NE, BinOp.LT, BinOp.LE, BinOp.GT, BinOp.GE})
ARITHMETIC = frozenset({BinOp.ADD, BinOp.SUB, BinOp.MUL, BinOp.DIV, BinOp.POW})
LOGICAL = frozenset({BinOp.AND, BinOp.OR})

#: Binding strength for the printer: higher binds tighter (matches grammar.lark's levels).
#: The operator enums are plain (not `str`) enums, so binary `-` and unary `-` are different keys.
PRECEDENCE = {
    "if": 1, BinOp.OR: 2, BinOp.AND: 3, UnOp.NOT: 4, "compare": 5,
    BinOp.ADD: 6, BinOp.SUB: 6, BinOp.MUL: 7, BinOp.DIV: 7, UnOp.NEG: 8, BinOp.POW: 9, "postfix": 10,
}


def _span() -> Span:
    return field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Number:
    """A number as written: `12`, `12.5`, `1_000`; `percent` means it was written `45%`."""

    written: int | float
    percent: bool = False
    span: Span = _span()

    @property
    def value(self) -> int | float:
        return self.written / 100 if self.percent else self.written


@dataclass(frozen=True, slots=True)
class String:
    value: str
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Bool:
    value: bool
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Null:
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class List:
    items: tuple["Expr", ...]
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Name:
    """A bare name: a column, a model input or formula, a dimension, or `param` before `.x`."""

    name: str
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Member:
    """`a.b`: `param.x`, or `dataset.column` of a referenced dataset."""

    obj: "Expr"
    name: str
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class IndexArg:
    """One index in `x[...]`: positional (`x[2]`) or by dimension name (`x[year = 2]`)."""

    dim: str | None
    value: "Expr"
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Index:
    obj: "Expr"
    args: tuple[IndexArg, ...]
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Unary:
    op: UnOp
    operand: "Expr"
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Binary:
    op: BinOp
    left: "Expr"
    right: "Expr"
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class In:
    """`x in [..]` or, with `negated`, `x not in [..]`."""

    operand: "Expr"
    items: List
    negated: bool = False
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class IsNull:
    """`x is null` or, with `negated`, `x is not null`."""

    operand: "Expr"
    negated: bool = False
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Between:
    """`x between lo and hi` (both ends included)."""

    operand: "Expr"
    low: "Expr"
    high: "Expr"
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class If:
    cond: "Expr"
    then: "Expr"
    otherwise: "Expr"
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Call:
    """`f(args)`; aggregates may add `distinct`, `where cond`; model reductions `over dims`.

    Trajectories add three clauses to aggregates: `from dataset` (the rows of another dataset that
    belong to the same citizen), `by order` (the order of `first`/`last`) and `per unit` (work out
    the value per unit, then aggregate over units). In the text they come in this order:
    `f(distinct args from D by order per unit over dims where cond)`.
    """

    func: str
    args: tuple["Expr", ...] = ()
    distinct: bool = False
    where: "Expr | None" = None
    over: tuple[str, ...] = ()
    span: Span = _span()
    name_span: Span = _span()
    source: str | None = None
    order: "Expr | None" = None
    per: "Expr | None" = None
    source_span: Span = _span()


Expr = Union[Number, String, Bool, Null, List, Name, Member, Index, Unary, Binary, In, IsNull, Between, If, Call]


def children(node: Expr) -> tuple[Expr, ...]:
    """The direct sub-expressions of a node, in source order."""
    match node:
        case Number() | String() | Bool() | Null() | Name():
            return ()
        case List(items=items):
            return items
        case Member(obj=obj):
            return (obj,)
        case Index(obj=obj, args=args):
            return (obj, *(a.value for a in args))
        case Unary(operand=operand):
            return (operand,)
        case Binary(left=left, right=right):
            return (left, right)
        case In(operand=operand, items=items):
            return (operand, items)
        case IsNull(operand=operand):
            return (operand,)
        case Between(operand=operand, low=low, high=high):
            return (operand, low, high)
        case If(cond=cond, then=then, otherwise=otherwise):
            return (cond, then, otherwise)
        case Call(args=args, where=where, order=order, per=per):
            return args + tuple(c for c in (order, per, where) if c is not None)
    raise AssertionError(f"unknown node {node!r}")


def walk(node: Expr):
    """Every node of a tree, parents before children (iterative: safe on deep trees)."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(children(current)))


def depth(node: Expr) -> int:
    """The nesting depth of a tree, computed without recursion."""
    best = 0
    stack = [(node, 1)]
    while stack:
        current, d = stack.pop()
        best = max(best, d)
        stack.extend((child, d + 1) for child in children(current))
    return best
