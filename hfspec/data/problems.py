"""Groups of bad cells and rows → diagnostics, one per file × column × problem × value.

A misspelt value in 3,000 rows is one problem, not 3,000: ingest.py finds every bad cell in SQL
and groups them; this module words each group ("`Efterr` is not a value of `maalepunkt`: 312
rows, e.g. 2, 9, 14, 20, 31"), points at the first cell, and says what to do. Every bad row stays
known to the ingester (for `--allow-invalid-rows`); only the reporting is grouped. So the summary
line counts problems as they are printed, and each problem says how many rows it covers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from hfspec.diagnostics import Diagnostic, Message, Severity, did_you_mean, suggest
from hfspec.messages import Codes, Parts
from hfspec.source import SourceFile, Span
from hfspec.data.cells import MAX_DATE, MIN_DATE, has_cpr, mask_cpr
from hfspec.spec.model import ColumnSpec, DatasetSpec, fold_value

#: Row numbers a diagnostic lists when it covers several rows.
ROWS_SHOWN = 5
#: Distinct bad values of one column and check reported one by one; the others are one diagnostic.
VALUES_PER_CHECK = 5
#: Checks whose cells are grouped per column, not per value: an empty cell has no value, and a
#: CPR-shaped value is never repeated (HF510 shows where, never what).
WHOLE_COLUMN_CODES = ("HF509", "HF510")

#: The hint of a bad cell, by code (HF507 and HF508 name the column's values and range).
HINTS = {"HF510": "data.cpr_hint", "HF509": "data.empty_hint", "HF504": "data.number_hint", "HF514": "data.whole_hint",
         "HF505": "data.date_hint", "HF506": "data.boolean_hint"}

#: The years a date cell may lie in (HF518), as messages show them.
DATE_YEARS = f"{MIN_DATE.year}–{MAX_DATE.year}"

#: What a check finds wrong, in short, for a group of several values (by the check's message id
#: from data/cells.py `text_checks`).
PROBLEMS = {"data.cell_empty": "data.problem_empty", "data.cell_not_whole": "data.problem_not_whole",
            "data.cell_not_number": "data.problem_not_number", "data.cell_not_boolean": "data.problem_not_boolean",
            "data.cell_not_date": "data.problem_not_date", "data.cell_unknown_value": "data.problem_unknown_value",
            "data.cell_below_min": "data.problem_below_min", "data.cell_above_max": "data.problem_above_max",
            "data.cell_cpr": "data.problem_cpr", "data.cell_outside_dates": "data.problem_outside_dates"}


@dataclass(frozen=True)
class CellGroup:
    """Bad cells of one column that fail one check with one value (`value` None: the cells of
    the column's other values together, `others` of them, or a whole-column check)."""

    column: str
    code: str
    problem: str  # what is wrong: the message id of data/cells.py `text_checks` ("data.cell_not_number")
    value: str | None
    count: int
    rows: tuple[int, ...]  # the first row numbers, at most ROWS_SHOWN
    others: int = 0  # how many other values this group stands for

    @property
    def first(self) -> int:
        return self.rows[0]


def rows_text(count: int, rows: Sequence[int], lines: bool = False) -> Message:
    """How many rows, and which: 'rows 2, 9, 14' or '312 rows, e.g. 2, 9, 14, 20, 31' (or lines).

    >>> rows_text(3, [2, 9, 14]).render("en"), rows_text(312, [2, 9, 14, 20, 31]).render("da")
    ('rows 2, 9, 14', '312 rækker, fx 2, 9, 14, 20, 31')
    """
    shown = tuple(rows[:ROWS_SHOWN])
    few, many = ("data.lines_few", "data.lines_many") if lines else ("data.rows_few", "data.rows_many")
    return Message(few if count <= len(shown) else many, n=count, rows=shown)


def _where(file: str, group: CellGroup, detail: Message) -> Message:
    """'status.csv row 2: <detail>' for one row, 'status.csv: <detail>: <rows>' for several."""
    if group.count == 1:
        return Message("data.in_row", file=file, row=group.first, detail=detail)
    return Message("data.in_rows", file=file, detail=detail, rows=rows_text(group.count, group.rows))


def suggest_value(text: str, column: ColumnSpec) -> str | None:
    """The enum value a misspelt cell most likely means, compared folded (`Efterr` → `efter`)."""
    words = column.words
    best = suggest(fold_value(text), words)
    return words[best] if best else None


def cell_diagnostic(file: str, column: ColumnSpec, group: CellGroup, span: Span, first_cell: str = "") -> Diagnostic:
    """The diagnostic of one group of bad cells, at the first of them (whose text is `first_cell`)."""
    col, code, value = column.name, group.code, group.value
    shown = "" if value is None else mask_cpr(value)
    bound = {"data.cell_below_min": column.min, "data.cell_above_max": column.max, "data.cell_outside_dates": DATE_YEARS}.get(group.problem)
    if group.others:
        detail = (Message("data.others_not_values", n=group.others, column=col) if code == "HF507"
                  else Message("data.others_problem", n=group.others, column=col,
                               problem=Message(PROBLEMS[group.problem], bound="" if bound is None else bound)))
    elif code == "HF510":
        detail = Message("data.cell_cpr" if group.count == 1 else "data.cell_cpr_many", column=col)
    else:
        detail = Message(group.problem, value=shown, column=col, bound="" if bound is None else bound)
    hint = Message(HINTS[code]) if code in HINTS else None
    if code == "HF507":
        best = None if group.others else suggest_value(shown, column)
        values = Codes(column.values)
        hint = Message("data.allowed_values_best", best=did_you_mean(best, [best]), values=values) if best else Message("data.allowed_values", values=values)
    elif code == "HF510" and not column.pseudonym:
        hint = Message("data.cpr_shown_hint", column=col)
    elif code == "HF518":
        hint = Message("data.date_range_hint", low=MIN_DATE.isoformat(), high=MAX_DATE.isoformat())
    elif code == "HF508":
        hint = Message("data.allowed_range", low="…" if column.min is None else column.min, high="…" if column.max is None else column.max)
    if code == "HF510":  # show where, never what: the excerpt gets the value masked
        span = masked(span, first_cell)
    return Diagnostic(code, _where(file, group, detail), span, hint=hint, cells=group.count)


def key_diagnostic(file: str, spec: DatasetSpec, key: Sequence[str], values: Sequence[str] | None, count: int, rows: tuple[int, ...],
                   others: int, span: Span) -> Diagnostic:
    """HF512 for one repeated key (`values`), or for the `others` repeated keys together."""
    if others:
        detail = Message("data.keys_repeated", n=others, columns=Codes(key))
    else:
        shown = ", ".join(f"{k}={_shown(spec.columns[k], v)}" for k, v in zip(key, values or ()))
        detail = Message("data.key_repeated", key=shown, n=count)
    return Diagnostic("HF512", Message("data.in_rows", file=file, detail=detail, rows=rows_text(count, rows)), _masked_if_cpr(span, values or ()),
                      hint=Message("data.duplicate_key_hint", columns=Codes(key)), cells=count)


def reference_diagnostic(file: str, column: ColumnSpec, target: str, target_column: str, value: str | None, count: int,
                         rows: tuple[int, ...], others: int, span: Span, target_file: str,
                         refused: Sequence[tuple[str, tuple[int, ...], int]] = ()) -> Diagnostic:
    """HF511 for one value that names no row of the referenced dataset (or the `others` such values
    together). `refused` are (code, first rows, count) of the referenced column's cells that were refused:
    the row meant may be one of them, so the note points back to it (the root cause)."""
    col = column.name
    if others:
        detail = Message("data.others_not_in", n=others, column=col, target=target)
    else:
        detail = Message("data.value_not_in", value=_shown(column, value), column=col, target=target)
    group = CellGroup(col, "HF511", "", value, count, rows, others)
    notes: tuple[Message, ...] = ()
    if refused:
        codes = tuple(dict.fromkeys(code for code, _, _ in refused))
        refused_rows = sorted({r for _, rs, _ in refused for r in rs})
        refused_count = max(len(refused_rows), sum(n for _, _, n in refused))
        if refused_count == 1:
            notes = (Message("data.refused_row", file=target_file, row=refused_rows[0], column=target_column, codes=codes),)
        else:
            notes = (Message("data.refused_rows", file=target_file, rows=rows_text(refused_count, refused_rows), column=target_column, codes=codes),)
    return Diagnostic("HF511", _where(file, group, detail), _masked_if_cpr(span, [value or ""]),
                      hint=Message("data.unknown_reference_hint", column=col, target=f"{target}.{target_column}"), notes=notes, cells=count)


def _shown(column: ColumnSpec, value) -> str:
    """A cell's value as a message shows it: with its digits as X when it holds a CPR number."""
    text = "" if value is None else str(value)
    return _mask_text(text) if has_cpr(text) else text


def _masked_if_cpr(span: Span, values: Sequence[str]) -> Span:
    return masked(span, "") if any(v and has_cpr(str(v)) for v in values) else span


def _mask_text(text: str) -> str:
    return "".join("X" if ch.isdigit() else ch for ch in text)


def masked(span: Span, value: str) -> Span:
    """The same span over a copy of its line where the cell's text is replaced by X's (for CPR
    numbers); a whole-column group has no one value, so every CPR-shaped word of the line is masked."""
    if span.source is None:
        return span
    line = span.source.line(span.line)
    if value:
        line = line.replace(value, _mask_text(value))
    line = mask_cpr(line)
    source = SourceFile.from_text(span.source.name, "\n" * (span.line - 1) + line)
    return Span(source, span.line, span.col, span.end_line, span.end_col)


def left_out_diagnostic(files: Sequence[tuple[str, list[int], list[int]]]) -> Diagnostic:
    """HF520, one sentence for the whole run: per file, the invalid rows left out and the rows left
    out with them because they refer to a left-out row; the row numbers in a note per file."""
    parts = []
    for file, invalid, dependent in files:
        total = len(invalid) + len(dependent)
        if not dependent:
            parts.append(Message("data.left_out_invalid", n=total, file=file))
        elif not invalid:
            parts.append(Message("data.left_out_dependent", n=total, file=file))
        else:
            parts.append(Message("data.left_out_both", n=total, file=file, invalid=len(invalid), dependent=len(dependent)))
    notes = tuple(Message("data.left_out_rows", file=file, rows=rows_list(sorted(set(invalid) | set(dependent)))) for file, invalid, dependent in files)
    return Diagnostic("HF520", Message("data.left_out", parts=Parts(parts)), None, severity=Severity.WARNING, notes=notes,
                      hint=Message("data.left_out_hint"))


#: Row numbers a note of HF520 lists per file.
LEFT_OUT_ROWS_SHOWN = 20


def rows_list(rows: Sequence[int]) -> Message:
    """'row 4', 'rows 2, 3, 9' or 'rows 2, 3, …, 40 (25 rows)' for the left-out rows of a file."""
    if len(rows) == 1:
        return Message("data.rows_few", n=1, rows=(rows[0],))
    shown = tuple(rows[:LEFT_OUT_ROWS_SHOWN])
    if len(rows) <= LEFT_OUT_ROWS_SHOWN:
        return Message("data.rows_few", n=len(rows), rows=shown)
    return Message("data.rows_cut", n=len(rows), rows=shown)


def separator_name(separator: str) -> Message:
    """How a separator is named in messages: `;` in backticks, a tab in words."""
    return Message("data.separator_tab") if separator == "\t" else Message("common.code", text=separator)


def header_separator_diagnostic(file: str, cell: str, other: str, delimiter: str, fmt: str, span: Span) -> Diagnostic:
    """HF517: the whole header in one cell, written with another separator than the file's."""
    shown = cell if len(cell) <= 40 else cell[:40] + "…"
    if fmt == "xlsx":
        message = Message("data.header_one_cell_xlsx", file=file, cell=shown, other=separator_name(other))
    else:
        message = Message("data.header_one_cell", file=file, cell=shown, other=separator_name(other), separator=separator_name(delimiter))
    return Diagnostic("HF517", message, Span(span.source, 1, 1, 1, 1 + max(1, len(cell))) if span.source else span,
                      hint=Message("data.header_one_cell_hint"))


def broken_lines_diagnostic(file: str, kind: str, lines: Sequence[int], cells: int, width: int, delimiter: str, other: str | None,
                            span: Span) -> Diagnostic:
    """HF517 (lines written with another separator) or HF513 (another number of cells than the
    header, a quote never closed), for the lines of one kind of problem, at the first of them."""
    where = rows_text(len(lines), lines, lines=True)
    sep = separator_name(delimiter)
    if kind == "separator":
        return Diagnostic("HF517", Message("data.lines_other_separator", file=file, where=where, n=len(lines), other=separator_name(other), separator=sep),
                          span, hint=Message("data.lines_other_separator_hint"))
    if kind == "width":
        message = (Message("data.line_width", file=file, line=lines[0], cells=cells, width=width) if len(lines) == 1
                   else Message("data.lines_width", file=file, where=where, width=width))
        return Diagnostic("HF513", message, span, hint=Message("data.line_width_hint", separator=sep, example=f'"Vejle{delimiter} Syd"'))
    if kind == "quote":
        return Diagnostic("HF513", Message("data.line_quote", file=file, line=lines[0]), span, hint=Message("data.line_quote_hint"))
    return Diagnostic("HF513", Message("data.line_unreadable", file=file, line=lines[0]), span, hint=Message("data.line_unreadable_hint"))
