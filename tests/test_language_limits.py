"""Hostile expressions: every one ends in one clean diagnostic with its own code, quickly, and
never in a RecursionError or another Python exception.

The limits are named constants in hfspec/lang/parser.py: MAX_EXPR_LENGTH (HF441),
MAX_EXPR_DEPTH (HF440), MAX_STRING_LENGTH (HF442), MAX_LIST_ITEMS (HF443).
"""

from __future__ import annotations

import time

import pytest

from hfspec.diagnostics import HfspecError
from hfspec.lang import types as T
from hfspec.lang.check import Context, check
from hfspec.lang.interpret import eval_row
from hfspec.lang.parser import MAX_EXPR_DEPTH, MAX_EXPR_LENGTH, MAX_LIST_ITEMS, MAX_STRING_LENGTH, parse
from hfspec.lang.printer import to_text
from hfspec.lang.scope import TableScope
from hfspec.lang.sql import to_sql

SCOPE = TableScope("t", {"t": {"x": T.INTEGER, "b": T.BOOLEAN, "s": T.STRING}})
SECONDS = 2.0  # generous: each case takes milliseconds

HOSTILE = {
    "10,000-deep parentheses": ("(" * 10_000 + "1" + ")" * 10_000, {"HF440", "HF441"}),
    "10,000-deep parentheses never closed": ("(" * 10_000, {"HF440", "HF441"}),
    "4,000-deep parentheses (under the length limit)": ("(" * 4_000 + "1" + ")" * 4_000, {"HF440"}),
    "4,000-deep lists": ("[" * 4_000 + "]" * 4_000, {"HF440"}),
    "1 MB expression": ("1 + " * 250_000 + "1", {"HF441"}),
    "1 MB of one name": ("x" * 1_000_000, {"HF441"}),
    "1 MB comment": ("1 # " + "c" * 1_000_000, {"HF441"}),
    "1+1+… 5,000 terms": ("+".join(["1"] * 5_000), {"HF440"}),
    "1 + 1 + … 5,000 terms with spaces": (" + ".join(["1"] * 5_000), {"HF441"}),
    "2^2^… 3,000 levels (right-associative)": ("^".join(["2"] * 3_000), {"HF440"}),
    "not not … x 5,000 times": ("not " * 5_000 + "b", {"HF441"}),
    "not not … x 2,000 times (under the length limit)": ("not " * 2_000 + "b", {"HF440"}),
    "unary minus 9,000 times": ("-" * 9_000 + "1", {"HF440"}),
    "member chain 3,000 long": ("x" + ".a" * 3_000, {"HF440"}),
    "if nested 500 deep": ("if b then " * 500 + "1" + " else 2" * 500, {"HF440"}),
    "2,000-character text literal": ('"' + "a" * 2_000 + '"', {"HF442"}),
    "2,000-character text literal in single quotes": ("'" + "a" * 2_000 + "'", {"HF442"}),
    "2,000 list items": ("x in [" + ", ".join(["1"] * 2_000) + "]", {"HF443"}),
}


@pytest.mark.parametrize("text, codes", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_expression_gives_one_clean_diagnostic(text, codes):
    start = time.perf_counter()
    with pytest.raises(HfspecError) as caught:
        parse(text)
    elapsed = time.perf_counter() - start
    diagnostics = caught.value.diagnostics
    assert len(diagnostics) == 1
    assert diagnostics[0].code in codes, diagnostics[0]
    assert diagnostics[0].span is not None
    assert elapsed < SECONDS, f"{elapsed:.2f}s"


def test_limits_are_the_documented_constants():
    assert MAX_EXPR_LENGTH == 10_000 and MAX_EXPR_DEPTH == 100
    assert MAX_STRING_LENGTH == 1_000 and MAX_LIST_ITEMS == 1_000


JUST_INSIDE = {
    "text literal of MAX_STRING_LENGTH": ('s == "' + "a" * MAX_STRING_LENGTH + '"', False),
    "parentheses MAX_EXPR_DEPTH - 1 deep": ("(" * (MAX_EXPR_DEPTH - 1) + "x" + ")" * (MAX_EXPR_DEPTH - 1), 7),
    "unary minus to depth MAX_EXPR_DEPTH": ("-" * (MAX_EXPR_DEPTH - 1) + "x", -7),
    "not to depth MAX_EXPR_DEPTH": ("not " * (MAX_EXPR_DEPTH - 1) + "b", False),
    "sum of MAX_EXPR_DEPTH terms": ("+".join(["x"] * MAX_EXPR_DEPTH), 7 * MAX_EXPR_DEPTH),
    "list of MAX_LIST_ITEMS items": ("x in [" + ", ".join(["1"] * (MAX_LIST_ITEMS - 1) + ["7"]) + "]", True),
    "expression of MAX_EXPR_LENGTH characters": ("x" + " " * (MAX_EXPR_LENGTH - 1), 7),
}


@pytest.mark.parametrize("text, value", JUST_INSIDE.values(), ids=JUST_INSIDE.keys())
def test_just_inside_the_limits_every_stage_works(text, value):
    """Accepted expressions at the limits go through check, interpreter, printer and SQL
    without hitting Python's recursion limit."""
    expr = parse(text)
    checked, problems = check(expr, SCOPE, Context.ROW, "expression")
    assert checked is not None, problems
    assert eval_row(checked, {"t.x": 7, "t.b": True, "t.s": "a"}) == value
    assert parse(to_text(expr)) == expr
    assert to_sql(checked)


def test_deep_nesting_error_points_at_the_offending_bracket():
    with pytest.raises(HfspecError) as caught:
        parse("(" * (MAX_EXPR_DEPTH + 5) + "1" + ")" * (MAX_EXPR_DEPTH + 5))
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.code == "HF440"
    assert diagnostic.span.col == MAX_EXPR_DEPTH + 1


@pytest.mark.parametrize("text", ['s == "' + "(" * 150 + '"', "x # " + "(" * 150, "s == '" + "[" * 150 + "'"])
def test_brackets_in_text_or_comments_do_not_count_as_nesting(text):
    parse(text)
