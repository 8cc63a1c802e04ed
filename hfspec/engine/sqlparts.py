"""Small SQL builders shared by the key figure queries (tables.py, staged.py) and rules: a column
of a dataset, the FROM with the many-to-one joins the columns need, and periods of a date.
"""

from __future__ import annotations

from typing import Any, Iterable

from hfspec.lang.scope import ColumnRef
from hfspec.lang.sql import quote_ident


def period_sql(column: str, kind: str) -> str:
    """SQL for the period label of a date column (`2021`, `2021-H1`, `2021-Q3`, `2021-07`)."""
    return {
        "year": f"CAST(year({column}) AS VARCHAR)",
        "half": f"(CAST(year({column}) AS VARCHAR) || '-H' || CAST(CASE WHEN month({column}) <= 6 THEN 1 ELSE 2 END AS VARCHAR))",
        "quarter": f"(CAST(year({column}) AS VARCHAR) || '-Q' || CAST(quarter({column}) AS VARCHAR))",
        "month": f"strftime({column}, '%Y-%m')",
    }[kind]


def period_parts(column: str, kind: str) -> list[str]:
    """The period of a date column as whole numbers, coarsest first: the year, and the half,
    quarter or month. Grouping by these is about twice as fast as grouping by the text label."""
    year = f"year({column})"
    return {
        "year": [year],
        "half": [year, f"CASE WHEN month({column}) <= 6 THEN 1 ELSE 2 END"],
        "quarter": [year, f"quarter({column})"],
        "month": [year, f"month({column})"],
    }[kind]


def period_label(parts: list[str], kind: str) -> str:
    """SQL for the label of a period from `period_parts`: the same text as `period_sql`."""
    year = f"CAST({parts[0]} AS VARCHAR)"
    return {
        "year": year,
        "half": f"({year} || '-H' || CAST({parts[-1]} AS VARCHAR))",
        "quarter": f"({year} || '-Q' || CAST({parts[-1]} AS VARCHAR))",
        "month": f"strftime(make_date({parts[0]}, {parts[-1]}, 1), '%Y-%m')",
    }[kind]


def column_sql(ref: ColumnRef) -> str:
    return f"{quote_ident(ref.dataset)}.{quote_ident(ref.column)}"


def from_clause(compiled: CompiledIndicator | Any, columns: Iterable[ColumnRef]) -> str:
    """FROM the base dataset, LEFT JOINed many-to-one to each referenced dataset a column needs."""
    scope = compiled.scope
    base = scope.base
    joins: dict[str, str] = {}
    for ref in columns:
        if ref.dataset == base:
            continue
        for source, link in scope.join_path(ref.dataset):
            if link.target in joins:
                continue
            joins[link.target] = (f" LEFT JOIN {quote_ident(link.target)} ON {quote_ident(source)}.{quote_ident(link.column)} = "
                                  f"{quote_ident(link.target)}.{quote_ident(link.target_column)}")
    return f"FROM {quote_ident(base)}" + "".join(joins.values())


#: Months in one period of each kind.
PERIOD_MONTHS = {"year": 12, "half": 6, "quarter": 3, "month": 1}


def period_index_sql(date: str, kind: str) -> str:
    """A date's period as one whole number that counts periods (2021 for a year, 2021 * 4 + 2 for
    2021-Q3), so that the periods of an interval are a range of numbers."""
    return {
        "year": f"year({date})",
        "half": f"(year({date}) * 2 + CASE WHEN month({date}) <= 6 THEN 0 ELSE 1 END)",
        "quarter": f"(year({date}) * 4 + quarter({date}) - 1)",
        "month": f"(year({date}) * 12 + month({date}) - 1)",
    }[kind]


def period_parts_of_index(index: str, kind: str) -> list[str]:
    """`period_parts` of a period number from `period_index_sql`: the year, and the half, quarter or month."""
    per_year = 12 // PERIOD_MONTHS[kind]
    if per_year == 1:
        return [index]
    return [f"({index} // {per_year})", f"({index} % {per_year} + 1)"]


def period_start_sql(index: str, kind: str) -> str:
    """The first day of a period given by its number."""
    per_year = 12 // PERIOD_MONTHS[kind]
    if per_year == 1:
        return f"make_date(CAST({index} AS INTEGER), 1, 1)"
    return f"make_date(CAST({index} // {per_year} AS INTEGER), CAST(({index} % {per_year}) * {PERIOD_MONTHS[kind]} + 1 AS INTEGER), 1)"
