"""The cells of an export file → typed SQL, and the cells that do not fit → findings.

One export file is a DuckDB view of text cells (`sheets.load_text_table`); a Mapping says how each
column is read: a value map (a `CASE` on the cell's lookup key), a date `format`, a `decimal`
mark, `cpr: true`, or the standard rules of `cells.typed_sql`. `typed_selects` writes the SELECTs
that type a whole file (one per measurement group of `unpivot`), each cell's work done once;
`bad_cells` finds the cells that failed, for the diagnostics (`cell_problem`). Used by
`hfspec.data.mapping`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from hfspec.data import cells
from hfspec.data.provenance import Pending, seq_sql
from hfspec.diagnostics import Message, did_you_mean_then
from hfspec.lang import types as T
from hfspec.lang.sql import literal, quote_ident
from hfspec.spec.mapping import MappingSource, SourceColumn, fits
from hfspec.spec.model import ColumnSpec

#: The SQL type of each column type.
SQL_TYPES = {"integer": "BIGINT", "number": "DOUBLE", "boolean": "BOOLEAN", "date": "DATE", "string": "VARCHAR", "enum": "VARCHAR"}


@dataclass
class BadCells:
    """What `bad_cells` found in one file."""

    shown: list[tuple[int, str, int, str, str]]  # (line, column, header index, text, code), the first of each column and code
    counts: Counter = field(default_factory=Counter)  # (column, code) -> cells
    unlisted: dict[str, set[str]] = field(default_factory=dict)  # column -> words its value map does not list


def type_word(typ: T.Type) -> str:
    """A type as the word of a column type (`integer`, `enum`, …)."""
    return typ.kind.value if typ.kind is not T.Kind.NULL else "string"


def sql_type(typ: T.Type) -> str:
    """The DuckDB type of a column type."""
    return SQL_TYPES.get(type_word(typ), "VARCHAR")


def typed_literal(value: Any, typ: T.Type) -> str:
    """A value written in a Mapping (checked by `fits` when the project was loaded) as SQL of the column's type."""
    _, converted = fits(value, typ)
    return f"CAST({literal(converted)} AS {sql_type(typ)})"


def column_spec(name: str, typ: T.Type) -> ColumnSpec:
    """A column's type as the `ColumnSpec` that `cells` reads cells by."""
    return ColumnSpec(name, type_word(typ), tuple(typ.values), required=False)


def cell_sql(export, column: SourceColumn | None, name: str, typ: T.Type, index: int) -> tuple[str, str | None]:
    """(typed value, condition true for a bad cell or None) of one cell, on the file's text view."""
    prep, value, bad = cell_parts(export, column, name, typ, index, "__prep")
    for alias, sql in prep.items():  # written out in one expression (for the diagnostics' queries)
        value = value.replace(alias, f"({sql})")
        bad = bad.replace(alias, f"({sql})") if bad else bad
    return value, bad.replace("__value", f"({value})") if bad else None

def cell_parts(export, column: SourceColumn | None, name: str, typ: T.Type, index: int, alias: str) -> tuple[dict[str, str], str, str | None]:
    """How one cell is typed, in steps that each run once per cell: (the first step's columns,
    alias -> SQL on the text; the value, from them; the condition for a bad cell, where
    `__value` stands for the value)."""
    cell = quote_ident(f"c{index}")
    table = export.table
    if column is not None and column.cpr:
        return {alias: cells.cpr_sql(cell)}, alias, f"({cell} IS NOT NULL AND __value IS NULL)"
    if column is not None and column.values is not None:
        entries = {k: v for k, (_, v) in column.values.entries.items()}
        empty = typed_literal(entries[""], typ) if "" in entries else f"CAST(NULL AS {sql_type(typ)})"
        cases = " ".join(f"WHEN {literal(k)} THEN {typed_literal(v, typ)}" for k, v in entries.items() if k)
        other = typed_literal(column.values.other, typ) if column.values.has_other else f"CAST(NULL AS {sql_type(typ)})"
        value = f"(CASE WHEN {cell} IS NULL THEN {empty} ELSE (CASE {alias} {cases} ELSE {other} END) END)" if cases else \
            f"(CASE WHEN {cell} IS NULL THEN {empty} ELSE {other} END)"
        listed = [literal(k) for k in entries if k]
        bad = None if column.values.has_other else (f"({cell} IS NOT NULL AND {alias} NOT IN ({', '.join(listed)}))" if listed else f"({cell} IS NOT NULL)")
        return {alias: cells.word_key_sql(cell)}, value, bad
    spec = column_spec(name, typ)
    danish = table.format == "csv" and table.delimiter == ";"
    decimal = column.decimal if column is not None and table.format == "csv" else None
    fmt = column.strptime if column is not None else None
    value = cells.typed_sql(cell, spec, danish, cleaned=True, date_format=fmt, decimal=decimal)
    return {}, value, None if spec.type in cells.TEXT_TYPES else f"({cell} IS NOT NULL AND __value IS NULL)"

def typed_selects(export, source: MappingSource, working: dict[str, T.Type]) -> list[str]:
    """One SELECT per measurement group of a file, in three steps so that each cell's work is
    done once: (1) the cells, their value-map lookup keys and CPR numbers; (2) the typed values;
    (3) the bad-cell flag, from the cells and the values."""
    groups = [(0, None)] if source.unpivot is None else list(enumerate(source.unpivot.values, start=1))
    selects = []
    view = quote_ident(export.table.view)
    for group, pair in groups:
        first: dict[str, str] = {}
        cells_used: set[int] = set()
        values, bads, finals, present = [], [], [], []
        for i, (name, typ) in enumerate(working.items()):
            column = source.columns.get(name)
            index = export.origin.get((group, name))
            v = f"__v{i}"
            if index is not None:
                prep, value, bad = cell_parts(export, column, name, typ, index, f"__p{i}")
                first.update(prep)
                cells_used.add(index)
                if bad:
                    bads.append(bad.replace("__value", v))
                if column is not None and source.unpivot is not None and source.unpivot.placeholder in column.header:
                    present.append(f"{quote_ident(f'c{index}')} IS NOT NULL")
            elif name in source.constants:
                value = typed_literal(source.constants[name], typ)
            elif source.unpivot is not None and name == source.unpivot.column:
                value = typed_literal(pair[1], typ)
            else:
                value = "NULL"
            values.append(f"CAST({value} AS {sql_type(typ)}) AS {v}")
            finals.append(f"{v} AS {quote_ident(name)}")
        cell_list = [quote_ident(f"c{i}") for i in sorted(cells_used)]
        step1 = ", ".join(["__line", *cell_list, *(f"{sql} AS {alias}" for alias, sql in first.items())])
        where = f" WHERE {' OR '.join(present)}" if present else ""
        step2 = ", ".join(["__line", *cell_list, *first, *values])
        selects.append(f"SELECT {seq_sql(export.index, group)} AS __seq, {', '.join(finals)}, ({' OR '.join(bads) or 'false'}) AS __bad "
                       f"FROM (SELECT {step2} FROM (SELECT {step1} FROM {view}{where}))")
    return selects

def bad_cells(con, export, source: MappingSource, working: dict[str, T.Type], limit: int) -> BadCells:
    """The cells of a file that cannot be typed: the first `limit` of each column and problem, the
    number of each, and the words that a value map does not list."""
    groups = [(0, None)] if source.unpivot is None else list(enumerate(source.unpivot.values, start=1))
    view = quote_ident(export.table.view)
    parts = []
    for group, _ in groups:
        for name, typ in working.items():
            index = export.origin.get((group, name))
            if index is None:
                continue
            column = source.columns.get(name)
            cell = quote_ident(f"c{index}")
            if column is not None and column.cpr:
                checks = [("HF533", f"{cell} IS NOT NULL AND {cells.cpr_sql(cell)} IS NULL")]
            elif column is not None and column.values is not None:
                _, bad = cell_sql(export, column, name, typ, index)
                checks = [("HF532", bad)] if bad else []
            else:
                spec = column_spec(name, typ)
                danish = export.table.format == "csv" and export.table.delimiter == ";"
                decimal = column.decimal if column is not None and export.table.format == "csv" else None
                fmt = column.strptime if column is not None else None
                checks = [(code, cond) for code, cond, _ in cells.text_checks(cell, spec, danish, fmt, decimal)
                          if code in cells.KIND_CODES.get(spec.type, ())]
            for code, cond in checks:
                parts.append(f"SELECT __line, {group} AS g, {literal(name)} AS col, {index} AS i, {cell} AS value, {literal(code)} AS code "
                             f"FROM {view} WHERE {cond}")
    found = BadCells([], Counter(), {})
    if not parts:
        return found
    query = " UNION ALL ".join(parts)
    shown = (f"SELECT * FROM ({query}) QUALIFY row_number() OVER (PARTITION BY col, code ORDER BY __line, g) <= {limit} "
             "ORDER BY __line, i")
    found.shown = [(line, name, index, value or "", code) for line, _, name, index, value, code in con.execute(shown).fetchall()]
    for name, code, n in con.execute(f"SELECT col, code, count(*) FROM ({query}) GROUP BY ALL").fetchall():
        found.counts[(name, code)] = n
    for name, value in con.execute(f"SELECT DISTINCT col, value FROM ({query}) WHERE code = 'HF532' LIMIT 100").fetchall():
        found.unlisted.setdefault(name, set()).add(value)
    return found


def cell_problem(export, source: MappingSource, name: str, code: str, value: str, line: int, index: int) -> Pending:
    """A cell that cannot be typed, as a diagnostic waiting for its span (the value masked)."""
    column = source.columns.get(name)
    shown = cells.mask_cpr(value)
    if code == "HF532":
        words = [w for w, _ in column.values.entries.values()]
        hint = did_you_mean_then(value, words, Message("export.add_to_value_map", value=shown, at=str(column.loc.child("values").key_span)))
        return Pending(code, Message("data.in_row", file=export.name, row=line, detail=Message("export.not_in_value_map", value=shown, column=name)),
                       export.index, line, index, hint=hint, label=Message("export.not_in_value_map_label"))
    if code == "HF533":
        hint = (Message("export.cpr_nine_digits_hint") if value.strip().isdigit() and len(value.strip()) == 9 else Message("export.not_cpr_hint"))
        return Pending(code, Message("data.in_row", file=export.name, row=line, detail=Message("export.not_cpr", column=name)), export.index, line, index,
                       hint=hint)
    fmt = column.format if column is not None else None
    message = {"HF504": "data.cell_not_number", "HF514": "data.cell_not_whole", "HF505": "data.cell_not_date", "HF506": "data.cell_not_boolean"}[code]
    if code == "HF504":
        hint = (Message("export.decimal_hint", decimal=column.decimal) if column is not None and column.decimal and export.table.format == "csv"
                else Message("data.number_hint"))
    elif code == "HF514":
        hint = Message("data.whole_hint")
    elif code == "HF505":
        hint = (Message("export.excel_date_hint") if export.table.format == "xlsx" and value.strip().isdigit() and 20_000 <= int(value.strip()) <= 80_000
                else Message("export.date_format_hint", format=fmt) if fmt else Message("export.date_hint"))
    else:
        hint = Message("export.boolean_hint")
    return Pending(code, Message("data.in_row", file=export.name, row=line, detail=Message(message, value=shown, column=name)), export.index, line, index,
                   hint=hint)
