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

from hfspec.diagnostics import Diagnostic, Severity, did_you_mean, suggest
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

HINTS = {
    "HF510": "pseudonymise citizen ids before loading (e.g. B0001); hfspec refuses CPR numbers",
    "HF509": "fill the cell, or mark the column `required: false` in the dataset spec",
    "HF504": "write numbers like 12 or 12,5",
    "HF514": "this column holds whole numbers",
    "HF505": "write dates as 2021-06-30 or 30-06-2021",
    "HF518": f"dates lie between {MIN_DATE.isoformat()} and {MAX_DATE.isoformat()}; check the year",
    "HF506": "write true/false, ja/nej, yes/no or 1/0",
}


@dataclass(frozen=True)
class CellGroup:
    """Bad cells of one column that fail one check with one value (`value` None: the cells of
    the column's other values together, `others` of them, or a whole-column check)."""

    column: str
    code: str
    problem: str  # what is wrong, from data/cells.py `text_checks` ("not a number", "above the maximum 110")
    value: str | None
    count: int
    rows: tuple[int, ...]  # the first row numbers, at most ROWS_SHOWN
    others: int = 0  # how many other values this group stands for

    @property
    def first(self) -> int:
        return self.rows[0]


def rows_text(count: int, rows: Sequence[int]) -> str:
    """How many rows, and which: 'rows 2, 9, 14' or '312 rows, e.g. 2, 9, 14, 20, 31'.

    >>> rows_text(3, [2, 9, 14]), rows_text(312, [2, 9, 14, 20, 31])
    ('rows 2, 9, 14', '312 rows, e.g. 2, 9, 14, 20, 31')
    """
    shown = ", ".join(map(str, rows[:ROWS_SHOWN]))
    return f"rows {shown}" if count <= len(rows[:ROWS_SHOWN]) else f"{count:,} rows, e.g. {shown}"


def _where(file: str, group: CellGroup, detail: str) -> str:
    """'status.csv row 2: <detail>' for one row, 'status.csv: <detail>: <rows>' for several."""
    if group.count == 1:
        return f"{file} row {group.first}: {detail}"
    return f"{file}: {detail}: {rows_text(group.count, group.rows)}"


def suggest_value(text: str, column: ColumnSpec) -> str | None:
    """The enum value a misspelt cell most likely means, compared folded (`Efterr` → `efter`)."""
    words = column.words
    best = suggest(fold_value(text), words)
    return words[best] if best else None


def cell_diagnostic(file: str, column: ColumnSpec, group: CellGroup, span: Span, first_cell: str = "") -> Diagnostic:
    """The diagnostic of one group of bad cells, at the first of them (whose text is `first_cell`)."""
    col, code, value = column.name, group.code, group.value
    shown = "" if value is None else mask_cpr(value)
    if group.others:
        detail = (f"{group.others:,} other values are not values of `{col}`" if code == "HF507"
                  else f"{group.others:,} other values in `{col}` ({group.problem})")
    elif code == "HF507":
        detail = f"`{shown}` is not a value of `{col}`"
    elif code == "HF510":
        detail = f"`{col}` holds a CPR-shaped value" if group.count == 1 else f"`{col}` holds CPR-shaped values"
    elif code == "HF509":
        detail = f"`{col}` is empty but required"
    else:
        detail = f"`{shown}` in `{col}` is {group.problem}"
    hint = HINTS.get(code)
    if code == "HF507":
        best = None if group.others else suggest_value(shown, column)
        hint = (did_you_mean(best, [best]) + " " if best else "") + f"allowed values: {', '.join(column.values)}"
    elif code == "HF510" and not column.pseudonym:
        hint = f"`{col}` is printed in results (a breakdown or key), so hfspec refuses CPR numbers in it; remove them at the source"
    elif code == "HF508":
        hint = f"allowed range: {column.min if column.min is not None else '…'} to {column.max if column.max is not None else '…'}"
    if code == "HF510":  # show where, never what: the excerpt gets the value masked
        span = masked(span, first_cell)
    return Diagnostic(code, _where(file, group, detail), span, hint=hint, cells=group.count)


def key_diagnostic(file: str, spec: DatasetSpec, key: Sequence[str], values: Sequence[str] | None, count: int, rows: tuple[int, ...],
                   others: int, span: Span) -> Diagnostic:
    """HF512 for one repeated key (`values`), or for the `others` repeated keys together."""
    if others:
        detail = f"{others:,} other keys ({', '.join(key)}) appear more than once"
    else:
        shown = ", ".join(f"{k}={_shown(spec.columns[k], v)}" for k, v in zip(key, values or ()))
        detail = f"the key ({shown}) appears {count} times"
    return Diagnostic("HF512", f"{file}: {detail}: {rows_text(count, rows)}", _masked_if_cpr(span, values or ()),
                      hint=f"rows must be unique on {', '.join(key)}", cells=count)


def reference_diagnostic(file: str, column: ColumnSpec, target: str, target_column: str, value: str | None, count: int,
                         rows: tuple[int, ...], others: int, span: Span, target_file: str,
                         refused: Sequence[tuple[str, tuple[int, ...], int]] = ()) -> Diagnostic:
    """HF511 for one value that names no row of the referenced dataset (or the `others` such values
    together). `refused` are (code, first rows, count) of the referenced column's cells that were refused:
    the row meant may be one of them, so the note points back to it (the root cause)."""
    col = column.name
    if others:
        detail = f"{others:,} other values in `{col}` are not in `{target}`"
    else:
        detail = f"`{_shown(column, value)}` in `{col}` is not in `{target}`"
    group = CellGroup(col, "HF511", "", value, count, rows, others)
    notes = ()
    if refused:
        codes = ", ".join(dict.fromkeys(code for code, _, _ in refused))
        refused_rows = sorted({r for _, rs, _ in refused for r in rs})
        refused_count = max(len(refused_rows), sum(n for _, _, n in refused))
        if refused_count == 1:
            notes = (f"{target_file} row {refused_rows[0]} was refused for its `{target_column}` ({codes}): if it is the row meant here, fix it there first",)
        else:
            notes = (f"{target_file} {rows_text(refused_count, refused_rows)} were refused for their `{target_column}` ({codes}): "
                     f"if one of them is the row meant here, fix it there first",)
    return Diagnostic("HF511", _where(file, group, detail), _masked_if_cpr(span, [value or ""]),
                      hint=f"every {col} must exist in {target}.{target_column}", notes=notes, cells=count)


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
        rows = "row" if total == 1 else "rows"
        if not dependent:
            parts.append(f"{total:,} invalid {rows} of {file}")
        elif not invalid:
            parts.append(f"{total:,} {rows} of {file} that refer to a left-out row")
        else:
            parts.append(f"{total:,} {rows} of {file} ({len(invalid):,} invalid, {len(dependent):,} that refer to a left-out row)")
    notes = tuple(f"{file}: {rows_list(sorted(set(invalid) | set(dependent)))}" for file, invalid, dependent in files)
    return Diagnostic("HF520", "left out of the computation: " + "; ".join(parts), None, severity=Severity.WARNING, notes=notes,
                      hint="the key figures are computed without these rows; fix them in the source and run again to count them")


#: Row numbers a note of HF520 lists per file.
LEFT_OUT_ROWS_SHOWN = 20


def rows_list(rows: Sequence[int]) -> str:
    """'row 4', 'rows 2, 3, 9' or 'rows 2, 3, …, 40 (25 rows)' for the left-out rows of a file."""
    if len(rows) == 1:
        return f"row {rows[0]}"
    shown = ", ".join(map(str, rows[:LEFT_OUT_ROWS_SHOWN]))
    return f"rows {shown}" if len(rows) <= LEFT_OUT_ROWS_SHOWN else f"rows {shown}, … ({len(rows):,} rows)"


#: How a separator is named in messages.
SEPARATOR_NAMES = {";": "`;`", ",": "`,`", "\t": "tab", "|": "`|`"}


def header_separator_diagnostic(file: str, cell: str, other: str, delimiter: str, fmt: str, span: Span) -> Diagnostic:
    """HF517: the whole header in one cell, written with another separator than the file's."""
    shown = cell if len(cell) <= 40 else cell[:40] + "…"
    if fmt == "xlsx":
        message = f"{file}: the whole header is in one cell (`{shown}`), separated by {SEPARATOR_NAMES[other]}"
    else:
        message = (f"{file}: the whole header is one cell (`{shown}`): it is separated by {SEPARATOR_NAMES[other]}, "
                   f"the file by {SEPARATOR_NAMES[delimiter]}")
    hint = ("Danish Excel opens a `,`-separated file with the whole header in column A. In Excel, select column A, split it with "
            "Data → Text to Columns (separator: comma) and save again; or start from the `;`-separated templates of `hfspec init`")
    return Diagnostic("HF517", message, Span(span.source, 1, 1, 1, 1 + max(1, len(cell))) if span.source else span, hint=hint)


def broken_lines_diagnostic(file: str, kind: str, lines: Sequence[int], cells: int, width: int, delimiter: str, other: str | None,
                            span: Span) -> Diagnostic:
    """HF517 (lines written with another separator) or HF513 (another number of cells than the
    header, a quote never closed), for the lines of one kind of problem, at the first of them."""
    where = f"line {lines[0]}" if len(lines) == 1 else rows_text(len(lines), lines).replace("rows", "lines")
    sep = SEPARATOR_NAMES.get(delimiter, f"`{delimiter}`")
    if kind == "separator":
        return Diagnostic("HF517", f"{file}: {where} {'is' if len(lines) == 1 else 'are'} separated by {SEPARATOR_NAMES[other]}, the header by {sep}",
                          span, hint="a CSV file uses one separator throughout; save it again from Excel as \"CSV (semikolonsepareret)\" "
                                     "so that every line is separated by `;`")
    if kind == "width":
        message = (f"{file} line {lines[0]} has {cells} cells, the header has {width}" if len(lines) == 1
                   else f"{file}: {where} have another number of cells than the header ({width})")
        return Diagnostic("HF513", message, span,
                          hint=f"a {sep} inside a text must be in quotes (\"Vejle{delimiter} Syd\"); a missing or extra cell shifts the columns after it")
    if kind == "quote":
        return Diagnostic("HF513", f"{file} line {lines[0]}: a quote (\") is never closed, so the rest of the file would be one cell", span,
                          hint="add the closing quote, or remove the quote")
    return Diagnostic("HF513", f"{file} line {lines[0]} cannot be read as CSV", span,
                      hint="check the separators and quotes on this line")
