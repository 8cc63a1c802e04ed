"""AST → canonical text. `parse(to_text(e)) == e` for every expression (tested with hypothesis).

Parentheses are added only where precedence requires them; spacing is normalised; numbers keep
the way they were written (`45%` stays `45%`).
"""

from __future__ import annotations

from typing import assert_never

from hfspec.lang import ast as A

_COMPARE = A.PRECEDENCE["compare"]
_POSTFIX = A.PRECEDENCE["postfix"]


def _number(node: A.Number) -> str:
    """A number as the grammar reads it: digits and a point, never an exponent (`1e-07`)."""
    if isinstance(node.written, float):
        from decimal import Decimal

        text = format(Decimal(repr(node.written)), "f")
        if "." not in text:
            text += ".0"
    else:
        text = str(node.written)
    return text + ("%" if node.percent else "")


def _string(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return f'"{escaped}"'


def precedence(node: A.Expr) -> int:
    match node:
        case A.If():
            return A.PRECEDENCE["if"]
        case A.Binary(op=op) if op in A.COMPARISONS:
            return _COMPARE
        case A.Binary(op=op):
            return A.PRECEDENCE[op]
        case A.Unary(op=op):
            return A.PRECEDENCE[op]
        case A.In() | A.IsNull() | A.Between():
            return _COMPARE
        case A.Number(written=w) if isinstance(w, (int, float)) and w < 0:
            return A.PRECEDENCE[A.UnOp.NEG]
        case _:
            return _POSTFIX


def _wrap(node: A.Expr, minimum: int) -> str:
    text = to_text(node)
    return f"({text})" if precedence(node) < minimum else text


def to_text(node: A.Expr) -> str:
    """The canonical text of an expression."""
    match node:
        case A.Number():
            return _number(node)
        case A.String(value=value):
            return _string(value)
        case A.Bool(value=value):
            return "true" if value else "false"
        case A.Null():
            return "null"
        case A.List(items=items):
            return "[" + ", ".join(to_text(i) for i in items) + "]"
        case A.Name(name=name):
            return name
        case A.Member(obj=obj, name=name):
            return f"{_wrap(obj, _POSTFIX)}.{name}"
        case A.Index(obj=obj, args=args):
            inner = ", ".join((f"{a.dim} = " if a.dim else "") + to_text(a.value) for a in args)
            return f"{_wrap(obj, _POSTFIX)}[{inner}]"
        case A.Unary(op=A.UnOp.NEG, operand=operand):
            return "-" + _wrap(operand, A.PRECEDENCE[A.UnOp.NEG])
        case A.Unary(op=A.UnOp.NOT, operand=operand):
            return "not " + _wrap(operand, A.PRECEDENCE[A.UnOp.NOT])
        case A.Unary():
            assert_never(node.op)
        case A.Binary(op=A.BinOp.POW, left=left, right=right):
            # right-associative, and its right side is a unary: `a ^ -b` needs no parentheses
            return f"{_wrap(left, _POSTFIX)} ^ {_wrap(right, A.PRECEDENCE[A.UnOp.NEG])}"
        case A.Binary(op=op, left=left, right=right) if op in A.COMPARISONS:
            return f"{_wrap(left, _COMPARE + 1)} {op.value} {_wrap(right, _COMPARE + 1)}"
        case A.Binary(op=op, left=left, right=right):
            p = A.PRECEDENCE[op]
            return f"{_wrap(left, p)} {op.value} {_wrap(right, p + 1)}"
        case A.In(operand=operand, items=items, negated=negated):
            return f"{_wrap(operand, _COMPARE + 1)} {'not in' if negated else 'in'} {to_text(items)}"
        case A.IsNull(operand=operand, negated=negated):
            return f"{_wrap(operand, _COMPARE + 1)} is {'not ' if negated else ''}null"
        case A.Between(operand=operand, low=low, high=high):
            return f"{_wrap(operand, _COMPARE + 1)} between {_wrap(low, _COMPARE + 1)} and {_wrap(high, _COMPARE + 1)}"
        case A.If(cond=cond, then=then, otherwise=otherwise):
            return f"if {to_text(cond)} then {to_text(then)} else {to_text(otherwise)}"
        case A.Call(func=func, args=args, distinct=distinct, where=where, over=over, source=source, order=order, per=per):
            clauses = [("distinct " if distinct else "") + ", ".join(to_text(a) for a in args)]
            if source is not None:
                clauses.append(f"from {source}")
            if order is not None:
                clauses.append(f"by {to_text(order)}")
            if per is not None:
                clauses.append(f"per {to_text(per)}")
            if over:
                clauses.append("over " + ", ".join(over))
            if where is not None:
                clauses.append(f"where {to_text(where)}")
            return f"{func}({' '.join(c for c in clauses if c)})"
        case _:
            assert_never(node)
