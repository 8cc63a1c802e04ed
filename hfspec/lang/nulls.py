"""The null rules of the language, written once for the Python side (the SQL side is in sql.py).

SQL-like three-valued logic: `None` is null; arithmetic and comparison with null give null;
`and`/`or` are three-valued; `x / 0` is null; a power that is not a finite real number is null.
"""

from __future__ import annotations

import math
import operator
from typing import Any, Callable


def and3(a: bool | None, b: bool | None) -> bool | None:
    """Three-valued `and`: false wins over null.

    >>> and3(False, None), and3(True, None), and3(True, True)
    (False, None, True)
    """
    if a is False or b is False:
        return False
    if a is None or b is None:
        return None
    return True


def or3(a: bool | None, b: bool | None) -> bool | None:
    """Three-valued `or`: true wins over null.

    >>> or3(True, None), or3(False, None), or3(False, False)
    (True, None, False)
    """
    if a is True or b is True:
        return True
    if a is None or b is None:
        return None
    return False


def not3(a: bool | None) -> bool | None:
    return None if a is None else not a


def div(a: Any, b: Any) -> float | None:
    if a is None or b is None or b == 0:
        return None
    return a / b


def power(a: Any, b: Any) -> float | None:
    if a is None or b is None:
        return None
    try:
        result = math.pow(a, b)
    except (ValueError, OverflowError, ZeroDivisionError):
        return None
    return result if math.isfinite(result) else None


def strict(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Lift a function so that any null argument gives null."""
    def lifted(*args: Any) -> Any:
        if any(a is None for a in args):
            return None
        return fn(*args)
    return lifted


ADD = strict(operator.add)
SUB = strict(operator.sub)
MUL = strict(operator.mul)
NEG = strict(operator.neg)
EQ = strict(operator.eq)
NE = strict(operator.ne)
LT = strict(operator.lt)
LE = strict(operator.le)
GT = strict(operator.gt)
GE = strict(operator.ge)


def in_list(x: Any, items: list[Any]) -> bool | None:
    """SQL `x IN (...)`: null if x is null, or if x is not found and the list holds a null."""
    if x is None:
        return None
    if any(item is not None and item == x for item in items):
        return True
    return None if any(item is None for item in items) else False
