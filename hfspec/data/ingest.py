"""Data files (CSV, XLSX, Parquet) + Dataset specs → validated, typed DuckDB tables.

Each file is read once, in parallel, straight into its typed table (CSV cells as text turned into
their types by `typed_sql`; XLSX through openpyxl and CSV in Windows-1252 transcoded to UTF-8
first; Parquet columns that already have the right type are taken as they are). Then every cell is
checked *in SQL* in one counting pass: type, enum, range, required, CPR-shaped pseudonyms; then
across rows: duplicate keys and references. Only when a cell check fails is the file read again as
text, to give each problem a diagnostic with file, row and column. Bad data is refused, unless
`allow_invalid_rows` is set, in which case exactly the invalid rows are left out and listed.
Nothing is coerced silently.
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import io
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from hfspec.diagnostics import Diagnostic, DiagnosticBag, HfspecError, Message, Severity, did_you_mean, os_reason
from hfspec.messages import Codes
from hfspec.data.cells import (
    KIND_CODES, MAX_DATE, MIN_DATE, TEXT_TYPES, clean, has_cpr, mask_cpr, mask_message, native_type, parquet_text, text_checks, typed_checks, typed_sql,
    whole_floats,
)
from hfspec.data.problems import (
    ROWS_SHOWN, VALUES_PER_CHECK, WHOLE_COLUMN_CODES, CellGroup, rows_text, broken_lines_diagnostic, cell_diagnostic, header_separator_diagnostic,
    key_diagnostic, left_out_diagnostic, reference_diagnostic,
)
from hfspec.data.sheets import (
    MAX_HEADER_BYTES, BadLine, ScratchFile, SheetTooLarge, SheetUnreadable, bad_lines, cell_span, decode, fold, other_separator, sniff_delimiter,
    sweep_scratch, utf8_copy, xlsx_to_csv,
)
from hfspec.lang.sql import literal, quote_ident
from hfspec.source import SourceFile, Span, display_path, point
from hfspec.spec.model import DatasetSpec

DATA_SUFFIXES = (".csv", ".xlsx", ".parquet", ".txt")
#: Unknown column headers listed one by one per file; the rest are counted in one warning.
UNKNOWN_HEADERS_SHOWN = 20


@dataclass
class LoadedDataset:
    spec: DatasetSpec
    path: Path
    rows: int
    skipped_rows: list[int] = field(default_factory=list)
    format: str = "csv"  # csv, xlsx, parquet; "mapping" for a dataset made from exports (hfspec.data.mapping)
    files: list[Path] = field(default_factory=list)  # the export files of a mapped dataset (else `path` alone)


@dataclass
class DataSet:
    """The validated tables of one run, in a DuckDB connection."""

    con: Any
    loaded: dict[str, LoadedDataset] = field(default_factory=dict)
    warnings: list[Diagnostic] = field(default_factory=list)


def find_file(folder: Path, dataset: str) -> Path | None:
    """The one data file of a dataset in `folder`; two (e.g. status.csv and status.xlsx) is an error."""
    found = [folder / f"{dataset}{suffix}" for suffix in DATA_SUFFIXES if (folder / f"{dataset}{suffix}").is_file()]
    if len(found) > 1:
        raise HfspecError([Diagnostic("HF515", Message("data.several_files", dataset=dataset, files=[p.name for p in found]), None,
                                      hint=Message("data.several_files_hint"))])
    return found[0] if found else None


def _csv_header(path: Path) -> tuple[list[str], str]:
    """The header cells of a UTF-8 CSV file (a BOM is skipped) and its delimiter, from its first
    record. UnicodeDecodeError when the start of the file is not UTF-8, SheetTooLarge when its
    first line is longer than MAX_HEADER_BYTES."""
    with path.open("rb") as handle:  # to the end of the first line: a wide header is longer than one block
        head = handle.read(1 << 16)
        while b"\n" not in head and len(head) < MAX_HEADER_BYTES:
            block = handle.read(1 << 16)
            if not block:
                break
            head += block
    if b"\n" not in head and len(head) >= MAX_HEADER_BYTES:
        raise SheetTooLarge("HF523", Message("data.sheet_first_line", max=MAX_HEADER_BYTES))
    text = codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=False)
    first = text.split("\n", 1)[0]
    delimiter = sniff_delimiter(first)
    try:
        record = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"', doublequote=True), [])
    except csv.Error as error:  # NUL bytes and the like: not a CSV file
        raise ValueError(Message("data.header_unreadable", detail=Message("common.verbatim", text=str(error)))) from None
    return [cell.strip("\r") for cell in record], delimiter


def stored_table(dataset: str) -> str:
    """The table that holds a dataset's rows. Queries use the view named after the dataset, which
    adds the row number in the file: `__row` = rowid + 2 (see `_Ingester.create_typed`)."""
    return f"__data_{dataset}"


def drop_dataset(con, dataset: str) -> None:
    con.execute(f"DROP VIEW IF EXISTS {quote_ident(dataset)}")
    con.execute(f"DROP TABLE IF EXISTS {quote_ident(stored_table(dataset))}")


@dataclass
class _Source:
    """How one data file is read: the DuckDB reader call (CSV as text; Parquet as typed)."""

    path: Path
    reader: str
    format: str
    delimiter: str
    headers: list[str]  # as written in the file
    names: list[str]  # the reader's column names, in the same order
    types: dict[str, str]  # the reader's column types by name


class _Ingester:
    def __init__(self, con, datasets: dict[str, DatasetSpec], labels: dict[str, set[str]] | None = None):
        self.con = con
        self.datasets = datasets
        self.labels = labels or {}  # dataset -> columns whose values outputs print (breakdowns)
        self.bag = DiagnosticBag()
        self.scratch: list[ScratchFile] = []  # copies of data files (XLSX as CSV, transcoded CSV), closed by load_data
        self.sources: dict[str, tuple[Path, str, str]] = {}  # dataset -> (original path, format, delimiter)
        self.bad_rows: dict[str, set[int]] = {}  # dataset -> every row with a problem (for --allow-invalid-rows)
        self.unknown_refs: dict[str, set[int]] = {}  # dataset -> rows whose reference names no row (HF511)
        self.refused_cells: dict[tuple[str, str], list[tuple[str, tuple[int, ...], int]]] = {}  # (dataset, column) -> (code, first rows, count) of bad cells
        self.names: dict[str, list[str]] = {}  # dataset -> the reader's column names, in file order
        self.mappings: dict[str, dict[str, str]] = {}  # dataset -> canonical column -> the reader's name of its column
        self._excerpts: dict[str, SourceFile | None] = {}

    def danish(self, dataset: str) -> bool:
        """Whether a file follows the Danish convention (`;` separator: `.` groups thousands)."""
        return self.sources.get(dataset, (None, "", ""))[2] == ";"

    def open_source(self, spec: DatasetSpec, path: Path, transcode: bool = False) -> _Source | None:
        """Find out how to read a file: its DuckDB reader call, format, delimiter and headers.

        A CSV file is read where it lies, as UTF-8 (DuckDB refuses bytes that are not; then the
        file is read again with `transcode`, as Windows-1252 written out as UTF-8). Its header
        is parsed here and the reader is told the columns, so DuckDB's sniffer guesses nothing
        (it would drop every row of a file where one row has a cell too many, where the explicit
        reader says which line is wrong). XLSX is written out as CSV first (openpyxl)."""
        suffix = path.suffix.lower()
        try:
            if suffix == ".parquet":
                reader, fmt, delimiter = f"read_parquet({literal(str(path))})", "parquet", ""
                described = self.con.execute(f"DESCRIBE SELECT * FROM {reader}").fetchall()
                headers = [r[0] for r in described]
                return _Source(path, reader, fmt, delimiter, headers, headers, {r[0]: r[1] for r in described})
            widest = 0
            if suffix == ".xlsx":
                (csv_path, widest), fmt = xlsx_to_csv(path, self.scratch_file(), [spec.sheet] if spec.sheet else []), "xlsx"
            else:
                csv_path, fmt = (utf8_copy(path, self.scratch_file()) if transcode else path), "csv"
            headers, delimiter = _csv_header(csv_path)
            headers += [""] * (widest - len(headers))  # cells to the right of the header row: columns without a name
        except SheetTooLarge as error:
            self.bag.error(error.code, Message("data.sheet_too_large", file=path.name, detail=error.args[0]), None, hint=Message("data.sheet_too_large_hint"))
            return None
        except SheetUnreadable as error:
            self.unreadable(path, error)
            return None
        except UnicodeDecodeError as error:
            if suffix != ".xlsx" and not transcode:
                return self.open_source(spec, path, transcode=True)
            self.unreadable(path, error)
            return None
        except Exception as error:  # duckdb.Error or openpyxl/zip errors: the file is unreadable as data
            self.unreadable(path, error)
            return None
        names = [f"c{i}" for i in range(len(headers))]
        columns = "{" + ", ".join(f"{literal(n)}: 'VARCHAR'" for n in names) + "}"
        padding = ", null_padding=true" if widest else ""  # XLSX rows end at their last value
        reader = (f"read_csv({literal(str(csv_path))}, delim={literal(delimiter)}, header=true, auto_detect=false, columns={columns}, "
                  f"quote='\"', escape='\"'{padding})")
        return _Source(path, reader, fmt, delimiter, headers, names, dict.fromkeys(names, "VARCHAR"))

    def scratch_file(self) -> ScratchFile:
        scratch = ScratchFile()
        self.scratch.append(scratch)
        return scratch

    def unreadable(self, path: Path, error: Exception) -> None:
        import duckdb

        if not isinstance(error, (duckdb.Error, OSError, ValueError, KeyError, SheetUnreadable)):
            raise error
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        said = error.args[0] if error.args and isinstance(error.args[0], Message) else Message("common.verbatim", text=first_line)
        reason = os_reason(error) if isinstance(error, OSError) else said
        self.bag.error("HF513", Message("data.unreadable", path=path, format=path.suffix.lower().lstrip('.'), reason=reason),
                       point(SourceFile.from_text(display_path(path), ""), 0, 0),
                       hint=Message("data.unreadable_hint"))

    def broken_csv(self, spec: DatasetSpec, source: _Source, error: Exception) -> None:
        """Diagnostics for a file DuckDB's reader refused: the file is read again in Python to find
        the records that do not fit the header (another separator, another number of cells, a
        quote never closed), each kind one diagnostic at its first line. DuckDB's own message is
        never shown: when Python finds nothing, the line DuckDB names is."""
        import re

        path = source.path
        if source.format != "csv":
            self.unreadable(path, error)
            return
        text = decode(path.read_bytes()).replace("\r\n", "\n")
        found = bad_lines(text, source.delimiter)
        if not found:
            match = re.search(r"CSV Error on Line: ([0-9]+)", str(error))
            if match is None:
                self.unreadable(path, error)
                return
            found = [BadLine(int(match.group(1)), "unknown", 0)]
        for kind, other in dict.fromkeys((b.kind, b.other) for b in found):
            lines = [b for b in found if (b.kind, b.other) == (kind, other)]
            span = self._cell_span(spec.id, path, lines[0].line, 0, None)
            if span.source is not None:  # the whole line; for a quote never closed, the quote
                text = span.source.line(span.line)
                col = text.find('"') + 1 if kind == "quote" and '"' in text else 1
                span = Span(span.source, span.line, col, span.line, col + 1 if kind == "quote" else max(2, len(text) + 1))
            self.bag.add(broken_lines_diagnostic(path.name, kind, [b.line for b in lines], lines[0].cells, len(source.headers),
                                                 source.delimiter, other, span))

    def raw_relation(self, spec: DatasetSpec, source: _Source) -> None:
        """The file as an all-text table `raw_<id>` with a `__row` number, for the diagnostics of
        cells that failed a check. Only made when something failed: it costs a second read, and
        numbering rows with a window runs on one thread."""
        table = quote_ident(f"raw_{spec.id}")
        by_name = {name: spec.columns[canonical] for canonical, name in self.mappings.get(spec.id, {}).items()}
        texts = ", ".join(f"{parquet_text(n, by_name.get(n), source.types[n]) if source.format == 'parquet' else quote_ident(n)} AS {quote_ident(n)}"
                          for n in source.names)
        self.con.execute(f"CREATE TEMP TABLE {table} AS SELECT row_number() OVER () + 1 AS __row, {texts} FROM {source.reader}")
        if source.format == "xlsx":  # the blank rows kept for numbering
            self.con.execute(f"DELETE FROM {table} WHERE " + " AND ".join(f"nullif(trim({quote_ident(c)}), '') IS NULL" for c in source.names))

    def header_map(self, spec: DatasetSpec, source: _Source) -> dict[str, str] | None:
        """Canonical column → the reader's name of its column in the file; problems for unknown
        and missing columns."""
        path, headers = source.path, source.headers
        # (an XLSX sheet has no separator: any separator inside its one header cell counts)
        other = other_separator(headers, source.delimiter if source.format == "csv" else "") if len(spec.columns) > 1 and source.format != "parquet" else None
        if other is not None:  # the whole header in one cell: no column can be told, so no column problems either
            self.bag.add(header_separator_diagnostic(path.name, headers[0] if headers[0].strip() else next(h for h in headers if h.strip()),
                                                     other, source.delimiter, source.format, self._cell_span(spec.id, path, 1, 0, None)))
            return None
        wanted: dict[str, str] = {}
        for col in spec.columns.values():
            for name in (col.name, *col.source):
                wanted.setdefault(fold(name), col.name)
        mapping: dict[str, str] = {}
        unknown = 0
        for i, header in enumerate(headers):
            canonical = wanted.get(fold(header))
            if canonical is None:
                unknown += 1
                if unknown > UNKNOWN_HEADERS_SHOWN:
                    continue
                self.bag.add(Diagnostic("HF502", Message("data.unknown_header", header=header, file=path.name), self._cell_span(spec.id, path, 1, i, header),
                                        hint=did_you_mean(header, list(spec.columns)) or Message("data.unknown_header_hint", dataset=spec.id, columns=Codes(spec.columns)),
                                        severity=Severity.WARNING))
                continue
            if canonical in mapping:
                first = headers[source.names.index(mapping[canonical])]
                self.bag.error("HF516", Message("data.two_headers", file=path.name, column=canonical, first=first, second=header), self._cell_span(spec.id, path, 1, i, header))
                continue
            mapping[canonical] = source.names[i]
        if unknown > UNKNOWN_HEADERS_SHOWN:
            self.bag.add(Diagnostic("HF502", Message("data.more_unknown_headers", n=unknown - UNKNOWN_HEADERS_SHOWN, file=path.name), None,
                                    hint=Message("data.columns_of", dataset=spec.id, columns=Codes(spec.columns)), severity=Severity.WARNING))
        ok = True
        for col in spec.columns.values():
            if col.name not in mapping and col.required:
                self.bag.error("HF503", Message("data.missing_column", file=path.name, column=col.name), self._cell_span(spec.id, path, 1, 0, None),
                               hint=Message("data.missing_column_hint", column=col.name, dataset=spec.id))
                ok = False
        return mapping if ok else None

    def _cell_span(self, dataset: str, path: Path, row: int, column_index: int, header: str | None) -> Span:
        source = self._excerpt_source(dataset, path)
        if source is None:
            return Span(SourceFile.from_text(str(path), ""), row, column_index + 1, row, column_index + 2)
        return cell_span(source, row, column_index, self.sources.get(dataset, (path, "csv", ","))[2], len(header) if header else 1)

    def _excerpt_source(self, dataset: str, path: Path) -> SourceFile | None:
        """The file as text for excerpts (CSV only; one line per row), every CPR-shaped number masked:
        a problem in another cell of a row must not show the row's CPR number."""
        if dataset in self._excerpts:
            return self._excerpts[dataset]
        source = None
        if path.suffix.lower() in (".csv", ".txt") and path.stat().st_size < 200_000_000:
            source = SourceFile.from_text(str(path), mask_cpr(decode(path.read_bytes()).replace("\r\n", "\n")))
        self._excerpts[dataset] = source
        return source

    def refuses_cpr(self, spec: DatasetSpec, column: str) -> bool:
        """Whether a CPR number in the column refuses the file (HF510 as an error): pseudonyms,
        key columns and the columns outputs print as group labels. In other text columns it is a
        warning: hfspec never prints them, but CPR numbers do not belong in its data."""
        return spec.columns[column].pseudonym or column in spec.key or column in self.labels.get(spec.id, ())

    def validate_cells(self, spec: DatasetSpec, source: _Source, mapping: dict[str, str]) -> None:
        """Check every cell. One aggregate pass over the typed table counts each check's failures;
        only when one fails is the file read again as text, and the failing checks run cell by
        cell on that text, for the diagnostics."""
        typed = quote_ident(stored_table(spec.id))
        probes: list[tuple[str, tuple[str, ...], str]] = [("", (), "__bad")]
        for col in spec.columns.values():
            if col.name in mapping:
                probes.extend((col.name, codes, condition) for codes, condition in typed_checks(col))
        counts = self.con.execute("SELECT " + ", ".join(f"count(*) FILTER (WHERE {c})" for _, _, c in probes) + f" FROM {typed}").fetchone()
        failing = {(name, code) for (name, codes, _), n in zip(probes[1:], counts[1:]) if n for code in codes}
        if counts[0]:  # some cell did not parse: every typed column's type check runs on the text
            failing |= {(c.name, code) for c in spec.columns.values() if c.name in mapping for code in KIND_CODES.get(c.type, ())}
        if failing:
            self.raw_relation(spec, source)
            self.check_row_order(spec, mapping)
            found = self.diagnose_cells(spec, source, mapping, failing)
            self.con.execute(f"DROP TABLE {quote_ident('raw_' + spec.id)}")
            if not found:  # the typed checks and the text checks must flag the same cells
                raise RuntimeError(f"cell checks of `{spec.id}` flagged {sorted(failing)} but found no cell to report")

    def check_row_order(self, spec: DatasetSpec, mapping: dict[str, str]) -> None:
        """The text table numbers rows with a window function (one thread, always in file order);
        the typed table by rowid (see `create_typed`). Both must put a text column's cells on the
        same row numbers, or diagnostics and skipped rows would point at the wrong rows."""
        text = next((c for c in spec.columns.values() if c.name in mapping and c.type in TEXT_TYPES), None)
        if text is None:
            return
        raw, typed = quote_ident(f"raw_{spec.id}"), quote_ident(spec.id)
        wrong = self.con.execute(  # (an enum cell's typed value is its canonical value: compare what the text reads as)
            f"SELECT count(*) FROM {raw} r FULL JOIN {typed} t USING (__row) "
            f"WHERE {typed_sql('r.' + quote_ident(mapping[text.name]), text)} IS DISTINCT FROM t.{quote_ident(text.name)}").fetchone()[0]
        if wrong:
            raise RuntimeError(f"row numbers of `{spec.id}` do not follow the file ({wrong} rows differ)")

    def diagnose_cells(self, spec: DatasetSpec, source: _Source, mapping: dict[str, str], failing: set[tuple[str, str]]) -> int:
        """One diagnostic per group of bad cells — column × check × value, the first
        VALUES_PER_CHECK values of a column and check one by one, its other values together —
        for the failing (column, code) checks; every bad row is kept in `bad_rows`. Returns how
        many bad cells there are."""
        path = source.path
        table = quote_ident(f"raw_{spec.id}")
        parts, warn_parts = [], []
        for col in spec.columns.values():
            if col.name not in mapping:
                continue
            ref = quote_ident(mapping[col.name])
            for code, condition, message in text_checks(ref, col, self.danish(spec.id)):
                if (col.name, code) in failing:
                    if code == "HF510" and not self.refuses_cpr(spec, col.name):
                        warn_parts.append(f"SELECT __row, {literal(col.name)} AS col, {ref} AS value FROM {table} WHERE {condition}")
                        continue
                    value = "''" if code in WHOLE_COLUMN_CODES else f"coalesce({ref}, '')"
                    parts.append(f"SELECT __row, {literal(col.name)} AS col, {literal(code)} AS code, {literal(message)} AS msg, "
                                 f"{value} AS value, coalesce({ref}, '') AS cell FROM {table} WHERE {condition}")
        found = self.warn_cpr(spec, source, mapping, warn_parts)
        if not parts:
            return found
        self.con.execute(f"CREATE TEMP TABLE __bad_cells AS {' UNION ALL '.join(parts)}")
        try:
            total = self.con.execute("SELECT count(*) FROM __bad_cells").fetchone()[0]
            self.bad_rows.setdefault(spec.id, set()).update(r[0] for r in self.con.execute("SELECT DISTINCT __row FROM __bad_cells").fetchall())
            groups = self.con.execute(f"""
                WITH g AS (SELECT col, code, msg, value, min(__row) AS first FROM __bad_cells GROUP BY ALL),
                     ranked AS (SELECT *, row_number() OVER (PARTITION BY col, code, msg ORDER BY first, value) <= {VALUES_PER_CHECK} AS own FROM g)
                SELECT b.col, b.code, b.msg, CASE WHEN r.own THEN b.value END AS v, count(*), list(b.__row ORDER BY b.__row)[1:{ROWS_SHOWN}],
                       CASE WHEN r.own THEN 0 ELSE count(DISTINCT b.value) END, arg_min(b.cell, b.__row)
                FROM __bad_cells b JOIN ranked r USING (col, code, msg, value)
                GROUP BY b.col, b.code, b.msg, v, r.own ORDER BY min(b.__row), b.col, b.code""").fetchall()
        finally:
            self.con.execute("DROP TABLE __bad_cells")
        for col, code, message, value, count, rows, others, first_cell in groups:
            group = CellGroup(col, code, message, None if code in WHOLE_COLUMN_CODES else value, count, tuple(rows), others)
            span = self._cell_span(spec.id, path, group.first, source.names.index(mapping[col]), first_cell.strip() or None)
            self.bag.add(cell_diagnostic(path.name, spec.columns[col], group, span, first_cell))
            self.refused_cells.setdefault((spec.id, col), []).append((code, group.rows, group.count))
        return found + total

    def warn_cpr(self, spec: DatasetSpec, source: _Source, mapping: dict[str, str], parts: list[str]) -> int:
        """One HF510 warning per free-text column that holds CPR numbers (at its first one, masked
        like every excerpt); the rows are not invalid. Returns how many cells hold one."""
        if not parts:
            return 0
        found = self.con.execute(f"SELECT col, count(*), list(__row ORDER BY __row)[1:{ROWS_SHOWN}], arg_min(value, __row) "
                                 f"FROM ({' UNION ALL '.join(parts)}) GROUP BY col ORDER BY min(__row)").fetchall()
        for col, count, rows, first in found:
            span = _mask_cell(self._cell_span(spec.id, source.path, rows[0], source.names.index(mapping[col]), str(first or "")))
            self.bag.add(Diagnostic("HF510", Message("data.cpr_in_text", file=source.path.name, column=col, n=count, rows=rows_text(count, rows)),
                                    span, hint=Message("data.cpr_in_text_hint", column=col), severity=Severity.WARNING))
        return sum(row[1] for row in found)

    def create_typed(self, spec: DatasetSpec, source: _Source, mapping: dict[str, str]) -> None:
        """The typed table, in one parallel pass over the file. Each cell is cleaned once (trimmed,
        empty text as NULL) in a subquery and turned into its type by `typed_sql`; a Parquet column
        that already has the spec's type is taken as it is. A column `__bad` says whether a cell
        of the row has text but no value (it did not parse), for the checks; `finish` drops it.

        The rows go into the table `stored_table(id)`; the dataset's name is a view over it that
        adds `__row`, the row number in the file (header = 1), as the table's rowid + 2. A table
        made by one scan and a projection keeps the file's order (DuckDB's insertion-order
        preservation, on by default; joins do not keep it, so the projection holds no IN list:
        see `typed_sql`), and a rowid stays with its row when other rows are deleted (blank XLSX
        rows, `--allow-invalid-rows`). Numbering rows with a window function instead would run
        the read on one thread, and storing the numbers would cost a pass over the table.
        tests/test_ingest_paths.py reads a file big enough for several threads and checks every
        row's number."""
        cleaned, selects, bad = [], [], []
        for col in spec.columns.values():
            name = quote_ident(col.name)
            sql_type = {"integer": "BIGINT", "number": "DOUBLE", "boolean": "BOOLEAN", "date": "DATE"}.get(col.type, "VARCHAR")
            if col.name not in mapping:
                selects.append(f"CAST(NULL AS {sql_type}) AS {name}")
                continue
            header = quote_ident(mapping[col.name])
            file_type = source.types[mapping[col.name]]
            native = source.format == "parquet" and native_type(col, file_type)
            if native and col.type not in TEXT_TYPES:
                cleaned.append(f"{header} AS {name}")
                expr = {"number": f"CASE WHEN isfinite({name}) THEN {name} END", "integer": f"TRY_CAST({name} AS BIGINT)",
                        "date": f"CASE WHEN {name} BETWEEN {literal(MIN_DATE)} AND {literal(MAX_DATE)} THEN {name} END"}.get(col.type, name)
            elif source.format == "parquet" and whole_floats(col, file_type):
                cleaned.append(f"{header} AS {name}")
                expr = f"CASE WHEN isfinite({name}) AND {name} = trunc({name}) THEN TRY_CAST({name} AS BIGINT) END"
            else:
                text = header if source.format != "parquet" or native else parquet_text(mapping[col.name], col, file_type)
                cleaned.append(f"{clean(text)} AS {name}")
                expr = typed_sql(name, col, source.delimiter == ";", cleaned=True)
            if col.type not in TEXT_TYPES:
                bad.append(f"({name} IS NOT NULL AND ({expr}) IS NULL)")
            selects.append(f"CAST({expr} AS {sql_type}) AS {name}")
        selects.append(f"({' OR '.join(bad) or 'false'}) AS __bad")
        if source.format == "xlsx":  # blank rows were kept for Excel's row numbers; they go after numbering
            blank = " AND ".join(f"nullif(trim({quote_ident(n)}), '') IS NULL" for n in source.names)
            cleaned.append(f"({blank}) AS __blank")
            selects.append("__blank")
        table = quote_ident(stored_table(spec.id))
        self.con.execute(f"CREATE TABLE {table} AS SELECT {', '.join(selects)} FROM (SELECT {', '.join(cleaned)} FROM {source.reader})")
        if source.format == "xlsx":
            self.con.execute(f"DELETE FROM {table} WHERE __blank")
            self.con.execute(f"ALTER TABLE {table} DROP COLUMN __blank")
        columns = ", ".join(quote_ident(c) for c in spec.columns)
        self.con.execute(f"CREATE VIEW {quote_ident(spec.id)} AS SELECT rowid + 2 AS __row, {columns} FROM {table}")

    def finish(self, spec: DatasetSpec) -> None:
        self.con.execute(f"ALTER TABLE {quote_ident(stored_table(spec.id))} DROP COLUMN __bad")

    def worker(self, con) -> "_Ingester":
        """An ingester for one file on its own connection: the same tables and findings, a bag of its own."""
        other = object.__new__(_Ingester)
        other.__dict__.update(self.__dict__)
        other.con, other.bag = con, DiagnosticBag()
        return other

    def load_one(self, spec: DatasetSpec, path: Path) -> LoadedDataset | None:
        """Read, type and check one data file; None when it cannot be loaded (the bag says why)."""
        import duckdb

        name = spec.id
        source = self.open_source(spec, path)
        if source is None:
            return None
        self.sources[name] = (path, source.format, source.delimiter)
        self.names[name] = source.names
        mapping = self.header_map(spec, source)
        if mapping is None:
            return None
        self.mappings[name] = mapping
        try:
            try:
                self.create_typed(spec, source, mapping)
            except duckdb.InvalidInputException as error:
                if source.format != "csv" or "not utf-8 encoded" not in str(error).lower():
                    raise
                drop_dataset(self.con, name)  # not UTF-8 after all: Windows-1252
                source = self.open_source(spec, path, transcode=True)
                if source is None:
                    return None
                self.create_typed(spec, source, mapping)
        except duckdb.Error as error:  # e.g. a row with more cells than the header, found while reading
            drop_dataset(self.con, name)
            self.broken_csv(spec, source, error)
            return None
        self.validate_cells(spec, source, mapping)
        self.finish(spec)
        count = self.con.execute(f"SELECT count(*) FROM {quote_ident(name)}").fetchone()[0]
        return LoadedDataset(spec, path, count, format=source.format)

    def validate_tables(self, loaded: dict[str, LoadedDataset], present: dict[str, LoadedDataset] | None = None) -> None:
        """Duplicate keys and references of the `loaded` tables (references also to tables loaded
        before, `present`), one diagnostic per repeated key and per missing value (the first
        VALUES_PER_CHECK of each check one by one, the others together). Every row involved is
        kept in `bad_rows` (a repeated key: all its rows but the first). The queries run at the
        same time, each on a connection of its own; the diagnostics are made afterwards, in
        dataset order."""
        from concurrent.futures import ThreadPoolExecutor

        tasks: list[tuple[str, str, Any]] = []  # (dataset, "key" or "ref", the key columns or (column, target, target column))
        for ds_id, item in loaded.items():
            if item.spec.key:
                tasks.append((ds_id, "key", item.spec.key))
            for col in item.spec.columns.values():
                target, _, target_col = (col.references or "").partition(".")
                if col.references and (target in loaded or target in (present or {})):
                    tasks.append((ds_id, "ref", (col.name, target, target_col)))

        def run(task: tuple[str, str, Any]) -> tuple[list[tuple], list[int]]:
            """(groups: value(s), count, first rows, other values; every row involved)."""
            ds_id, kind, what = task
            table = quote_ident(ds_id)
            con = self.con.cursor()
            try:
                if kind == "key":
                    keys = ", ".join(quote_ident(k) for k in what)
                    # a cheap probe first; the rows are gathered only when a key repeats
                    if con.execute(f"SELECT 1 FROM {table} GROUP BY {keys} HAVING count(*) > 1 LIMIT 1").fetchone() is None:
                        return [], []
                    bad = (f"SELECT __row, {keys}, row_number() OVER (PARTITION BY {keys} ORDER BY __row) AS __nth, "
                           f"count(*) OVER (PARTITION BY {keys}) AS __n FROM {table}")
                    rows = [r[0] for r in con.execute(f"SELECT __row FROM ({bad}) WHERE __nth > 1").fetchall()]
                    groups = con.execute(_grouped(f"SELECT __row, [{', '.join(f'CAST({quote_ident(k)} AS VARCHAR)' for k in what)}] AS value FROM ({bad}) WHERE __n > 1")).fetchall()
                    return groups, rows
                column, target, target_col = what
                c = quote_ident(column)
                bad = (f"SELECT __row, {c} AS value FROM {table} t WHERE {c} IS NOT NULL AND NOT EXISTS "
                       f"(SELECT 1 FROM {quote_ident(target)} r WHERE r.{quote_ident(target_col)} = t.{c})")
                if target in (present or {}) and present[target].skipped_rows:
                    # a row left out before (--allow-invalid-rows) is not unknown: `leave_out` removes its dependants
                    bad += f" AND NOT EXISTS (SELECT 1 FROM {quote_ident(left_out_table(target))} r WHERE r.{quote_ident(target_col)} = t.{c})"
                groups = con.execute(_grouped(bad)).fetchall()
                return groups, ([r[0] for r in con.execute(f"SELECT __row FROM ({bad})").fetchall()] if groups else [])
            finally:
                con.close()

        with ThreadPoolExecutor(max_workers=max(1, min(MAX_PARALLEL_FILES, len(tasks)))) as pool:
            found = list(pool.map(run, tasks))
        for (ds_id, kind, what), (groups, rows) in zip(tasks, found):
            item = loaded[ds_id]
            self.bad_rows.setdefault(ds_id, set()).update(rows)
            if kind == "ref":
                self.unknown_refs.setdefault(ds_id, set()).update(rows)
            for value, count, first_rows, others in groups:
                # a repeated key at its second row: the first one that is too many
                at = first_rows[1] if kind == "key" and len(first_rows) > 1 else first_rows[0]
                width = str(value) if kind == "ref" and value is not None and not others else None
                span = self._cell_span(ds_id, item.path, at, self._column_index(ds_id, what[0]), width)
                if kind == "key":
                    self.bag.add(key_diagnostic(item.path.name, item.spec, what, value, count, tuple(first_rows), others, span))
                else:
                    column, target, target_col = what
                    target_file = (loaded.get(target) or (present or {}).get(target)).path.name
                    refused = self.refused_cells.get((target, target_col), [])
                    self.bag.add(reference_diagnostic(item.path.name, item.spec.columns[column], target, target_col, value, count,
                                                      tuple(first_rows), others, span, target_file, refused))

    def _column_index(self, dataset: str, column: str) -> int:
        """The position of a canonical column in its file (0 when it is not there)."""
        names = self.names.get(dataset, [])
        name = self.mappings.get(dataset, {}).get(column)
        return names.index(name) if name in names else 0


def _grouped(bad: str) -> str:
    """A query over `bad` (rows with `__row` and `value`) giving one row per value — value, count,
    the first ROWS_SHOWN rows, 0 — for the first VALUES_PER_CHECK values (by their first row), then
    one row for all other values together: NULL, count, first rows, how many values."""
    return f"""
        WITH b AS ({bad}), g AS (SELECT value, min(__row) AS first FROM b GROUP BY value),
             ranked AS (SELECT value, row_number() OVER (ORDER BY first) <= {VALUES_PER_CHECK} AS own FROM g)
        SELECT CASE WHEN r.own THEN b.value END AS v, count(*), list(b.__row ORDER BY b.__row)[1:{ROWS_SHOWN}],
               CASE WHEN r.own THEN 0 ELSE count(DISTINCT b.value) END
        FROM b JOIN ranked r ON b.value IS NOT DISTINCT FROM r.value GROUP BY v, r.own ORDER BY min(b.__row)"""


def left_out_table(dataset: str) -> str:
    """The table that keeps a dataset's rows left out with --allow-invalid-rows, so that datasets
    read later in the same session tell a reference to a left-out row from an unknown one."""
    return f"__left_out_{dataset}"


def leave_out(con, loaded: dict[str, LoadedDataset], present: dict[str, LoadedDataset], bad_rows: dict[str, set[int]]) -> dict[str, tuple[list[int], list[int]]]:
    """Leave out the invalid rows (`bad_rows`), and then every row that refers to a row left out
    (a status row of a citizen whose borgere row was invalid), until no reference is left
    dangling: the data stays whole. Returns, per dataset in `loaded` order, (the invalid rows
    left out, the rows left out because they refer to a left-out row), and updates each dataset's
    `rows` and `skipped_rows`."""
    out: dict[str, tuple[list[int], list[int]]] = {}

    def remove(name: str, rows: set[int]) -> None:
        table, kept = quote_ident(stored_table(name)), quote_ident(left_out_table(name))
        numbers = ", ".join(f"({r})" for r in sorted(rows))
        con.execute(f"CREATE OR REPLACE TEMP TABLE __rows AS SELECT * FROM (VALUES {numbers}) v(r)")
        con.execute(f"CREATE TABLE IF NOT EXISTS {kept} AS SELECT * FROM {table} LIMIT 0")
        con.execute(f"INSERT INTO {kept} SELECT * FROM {table} WHERE rowid + 2 IN (SELECT r FROM __rows)")
        con.execute(f"DELETE FROM {table} WHERE rowid + 2 IN (SELECT r FROM __rows)")
        con.execute("DROP TABLE __rows")

    for name in loaded:
        rows = bad_rows.get(name)
        if rows:
            remove(name, rows)
            out[name] = (sorted(rows), [])
    shrunk = {name for name in out} | {name for name, item in present.items() if item.skipped_rows}
    links = [(name, col.name, target, target_col) for name, item in loaded.items() for col in item.spec.columns.values()
             for target, _, target_col in [(col.references or "").partition(".")] if col.references and (target in loaded or target in present)]
    while shrunk:  # a chain of references (a row of a row of a left-out row) takes several rounds
        changed: set[str] = set()
        for name, column, target, target_col in links:
            if target not in shrunk:
                continue
            c = quote_ident(column)
            rows = {r[0] for r in con.execute(
                f"SELECT __row FROM {quote_ident(name)} t WHERE {c} IS NOT NULL AND NOT EXISTS "
                f"(SELECT 1 FROM {quote_ident(target)} r WHERE r.{quote_ident(target_col)} = t.{c})").fetchall()}
            if rows:
                remove(name, rows)
                invalid, dependent = out.get(name, ([], []))
                out[name] = (invalid, sorted(set(dependent) | rows))
                changed.add(name)
        shrunk = changed
    for name in out:
        item = loaded[name]
        item.skipped_rows = sorted(set(out[name][0]) | set(out[name][1]))
        item.rows = con.execute(f"SELECT count(*) FROM {quote_ident(name)}").fetchone()[0]
    return {name: out[name] for name in loaded if name in out}


def _mask_cell(span: Span) -> Span:
    """The same span over a copy of its line where the digits under the span are X's (and every
    CPR number elsewhere on the line)."""
    if span.source is None or span.line < 1:
        return span
    line = mask_cpr(span.source.line(span.line))
    start, end = span.col - 1, span.end_col - 1 if span.end_line == span.line else len(line)
    line = line[:start] + re.sub("[0-9]", "X", line[start:end]) + line[end:]
    return Span(SourceFile.from_text(span.source.name, "\n" * (span.line - 1) + line), span.line, span.col, span.end_line, span.end_col)


def masked(diagnostic: Diagnostic) -> Diagnostic:
    """The diagnostic with every CPR number hidden (`mask_cpr`): in its message, hint, notes and
    label, and in the line of the file its excerpt shows (which holds the row's other cells too).
    Every diagnostic of a load goes through here; X's keep the caret where it was."""
    span = diagnostic.span
    if span is not None and span.source is not None and span.line > 0:
        line = span.source.line(span.line)
        if has_cpr(line):
            source = SourceFile.from_text(span.source.name, "\n" * (span.line - 1) + mask_cpr(line))
            span = Span(source, span.line, span.col, span.end_line, span.end_col)
    return dataclasses.replace(diagnostic, message=mask_message(diagnostic.message), span=span,
                               hint=mask_message(diagnostic.hint) if diagnostic.hint else None,
                               label=mask_message(diagnostic.label) if diagnostic.label else None,
                               notes=tuple(mask_message(n) for n in diagnostic.notes))


def closure(datasets: dict[str, DatasetSpec], needed: list[str]) -> list[str]:
    """`needed` and the datasets they reference (for the reference checks and the joins), in that order.

    References are followed one step, as the key figures' joins are many-to-one from the base."""
    wanted = list(needed)
    for name in list(wanted):
        for col in datasets[name].columns.values():
            if col.references:
                target = col.references.partition(".")[0]
                if target in datasets and target not in wanted:
                    wanted.append(target)
    return wanted


def load_data(con, datasets: dict[str, DatasetSpec], folder: Path | None = None, files: dict[str, Path] | None = None,
              needed: list[str] | None = None, allow_invalid_rows: bool = False,
              present: dict[str, LoadedDataset] | None = None, labels: dict[str, set[str]] | None = None) -> DataSet:
    """Load and validate the needed datasets (and the datasets they reference) into `con`.

    `present` are datasets loaded into `con` before: they are not read again, and references to
    them are checked against their tables. `labels` are the columns (by dataset) that outputs
    print as group labels: like pseudonyms and keys, they refuse a CPR number. Raises
    `HfspecError` with every problem found, unless `allow_invalid_rows`, in which case the invalid
    rows are left out and each is reported as a warning. No CPR number is in any diagnostic.
    """
    present = present or {}
    wanted = [name for name in closure(datasets, list(needed) if needed is not None else list(datasets)) if name not in present]
    if folder is not None and not folder.is_dir():
        raise HfspecError([Diagnostic("HF501", Message("data.no_folder", folder=folder), None, hint=Message("data.no_folder_hint"))])
    sweep_scratch()  # copies of citizen data that a killed run left behind
    ing = _Ingester(con, datasets, labels)
    try:
        result = _load(ing, con, datasets, wanted, folder, files, allow_invalid_rows, present)
    except HfspecError as error:
        raise HfspecError([masked(d) for d in error.diagnostics]) from None
    else:
        result.warnings = [masked(d) for d in result.warnings]
        return result
    finally:
        for scratch in ing.scratch:  # XLSX and transcoded copies
            scratch.close()



#: Files read at the same time. DuckDB also reads one big file on all cores, but small files
#: (one read buffer) and the checks after each read leave cores idle; two at once fill them.
MAX_PARALLEL_FILES = 4


def _load(ing: _Ingester, con, datasets: dict[str, DatasetSpec], wanted: list[str], folder: Path | None,
          files: dict[str, Path] | None, allow_invalid_rows: bool, present: dict[str, LoadedDataset]) -> DataSet:
    from concurrent.futures import ThreadPoolExecutor

    result = DataSet(con)
    jobs: list[tuple[str, Path]] = []
    for name in wanted:
        spec = datasets[name]
        path = (files or {}).get(name) or (find_file(folder, name) if folder else None)
        if path is None:
            ing.bag.error("HF501", Message("data.no_file_in", dataset=name, folder=folder) if folder else Message("data.no_file", dataset=name), None,
                          hint=Message("data.no_file_hint", dataset=name, columns=Codes(spec.columns)))
            continue
        jobs.append((name, path))

    def load(job: tuple[str, Path]) -> tuple[_Ingester, LoadedDataset | None]:
        # each file on a connection of its own (temporary tables are per connection); its
        # diagnostics are kept apart and merged in dataset order, so output stays the same
        worker = ing.worker(con.cursor())
        try:
            return worker, worker.load_one(datasets[job[0]], job[1])
        finally:
            worker.con.close()

    with ThreadPoolExecutor(max_workers=max(1, min(MAX_PARALLEL_FILES, len(jobs)))) as pool:
        outcomes = list(pool.map(load, jobs))
    for (name, _), (worker, loaded) in zip(jobs, outcomes):
        ing.bag.extend(worker.bag)
        if loaded is not None:
            result.loaded[name] = loaded
    ing.validate_tables(result.loaded, present)
    errors = [d for d in ing.bag if d.severity is Severity.ERROR]
    if errors and not allow_invalid_rows:
        raise HfspecError(ing.bag.items)
    # a missing file or column, an unreadable file, or a CPR number refuses the data even with
    # --allow-invalid-rows: skipping a row cannot make a file with CPR numbers acceptable
    fatal = [d for d in errors if d.code in ("HF501", "HF502", "HF503", "HF510", "HF513", "HF515", "HF516")]
    if fatal:
        raise HfspecError(ing.bag.items)
    if allow_invalid_rows:
        left_out = leave_out(con, result.loaded, present, ing.bad_rows)
        if left_out:
            result.warnings.append(left_out_diagnostic([(result.loaded[name].path.name, invalid, dependent)
                                                        for name, (invalid, dependent) in left_out.items()]))
        result.warnings.extend(replace(d, severity=Severity.WARNING) for d in errors)
    result.warnings.extend(d for d in ing.bag if d.severity is Severity.WARNING)
    return result
