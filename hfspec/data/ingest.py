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
import io
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hfspec.diagnostics import Diagnostic, DiagnosticBag, HfspecError, Message, Severity, did_you_mean, os_reason
from hfspec.messages import Codes
from hfspec.data.cells import (
    KIND_CODES, TEXT_TYPES, clean, native_type, parquet_text, text_checks, typed_checks, typed_sql, whole_floats,
)
from hfspec.data.sheets import cell_span, decode, fold, sniff_delimiter, utf8_copy, xlsx_to_csv
from hfspec.lang.sql import literal, quote_ident
from hfspec.source import SourceFile, Span, display_path, point
from hfspec.spec.model import DatasetSpec

DATA_SUFFIXES = (".csv", ".xlsx", ".parquet", ".txt")
#: Most problems listed per dataset; beyond it a count is given (all are still refused).
MAX_REPORTED_PER_DATASET = 200


@dataclass
class LoadedDataset:
    spec: DatasetSpec
    path: Path
    rows: int
    skipped_rows: list[int] = field(default_factory=list)
    format: str = "csv"


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
    record. UnicodeDecodeError when the start of the file is not UTF-8."""
    with path.open("rb") as handle:
        head = handle.read(1 << 16)
    text = codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=False)
    first = text.split("\n", 1)[0]
    delimiter = sniff_delimiter(first)
    try:
        record = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"', doublequote=True), [])
    except csv.Error as error:  # NUL bytes and the like: not a CSV file
        raise ValueError(f"the header line cannot be read ({error})") from None
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
    def __init__(self, con, datasets: dict[str, DatasetSpec]):
        self.con = con
        self.datasets = datasets
        self.bag = DiagnosticBag()
        self.tmp = Path(tempfile.mkdtemp(prefix="hfspec-"))
        self.sources: dict[str, tuple[Path, str, str]] = {}  # dataset -> (original path, format, delimiter)
        self.bad_rows: dict[str, set[int]] = {}
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
            if suffix == ".xlsx":
                csv_path, fmt = xlsx_to_csv(path, self.tmp, [spec.sheet] if spec.sheet else []), "xlsx"
            else:
                csv_path, fmt = (utf8_copy(path, self.tmp) if transcode else path), "csv"
            headers, delimiter = _csv_header(csv_path)
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
        reader = (f"read_csv({literal(str(csv_path))}, delim={literal(delimiter)}, header=true, auto_detect=false, columns={columns}, "
                  "quote='\"', escape='\"')")
        return _Source(path, reader, fmt, delimiter, headers, names, dict.fromkeys(names, "VARCHAR"))

    def unreadable(self, path: Path, error: Exception) -> None:
        import duckdb

        if not isinstance(error, (duckdb.Error, OSError, ValueError, KeyError)) and type(error).__module__.split(".")[0] not in ("zipfile", "openpyxl"):
            raise error
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        reason = os_reason(error) if isinstance(error, OSError) else Message("common.verbatim", text=first_line)
        self.bag.error("HF513", Message("data.unreadable", path=path, format=path.suffix.lower().lstrip('.'), reason=reason),
                       point(SourceFile.from_text(display_path(path), ""), 0, 0),
                       hint=Message("data.unreadable_hint"))

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
        wanted: dict[str, str] = {}
        for col in spec.columns.values():
            for name in (col.name, *col.source):
                wanted.setdefault(fold(name), col.name)
        mapping: dict[str, str] = {}
        for i, header in enumerate(headers):
            canonical = wanted.get(fold(header))
            if canonical is None:
                self.bag.add(Diagnostic("HF502", Message("data.unknown_header", header=header, file=path.name), self._cell_span(spec.id, path, 1, i, header),
                                        hint=did_you_mean(header, list(spec.columns)) or Message("data.unknown_header_hint", dataset=spec.id, columns=Codes(spec.columns)),
                                        severity=Severity.WARNING))
                continue
            if canonical in mapping:
                first = headers[source.names.index(mapping[canonical])]
                self.bag.error("HF516", Message("data.two_headers", file=path.name, column=canonical, first=first, second=header), self._cell_span(spec.id, path, 1, i, header))
                continue
            mapping[canonical] = source.names[i]
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
        """The file as text for excerpts (CSV only; one line per row)."""
        if dataset in self._excerpts:
            return self._excerpts[dataset]
        source = None
        if path.suffix.lower() in (".csv", ".txt") and path.stat().st_size < 200_000_000:
            source = SourceFile.from_text(str(path), decode(path.read_bytes()).replace("\r\n", "\n"))
        self._excerpts[dataset] = source
        return source

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
        text = next((c.name for c in spec.columns.values() if c.name in mapping and c.type in TEXT_TYPES), None)
        if text is None:
            return
        raw, typed = quote_ident(f"raw_{spec.id}"), quote_ident(spec.id)
        wrong = self.con.execute(
            f"SELECT count(*) FROM {raw} r FULL JOIN {typed} t USING (__row) "
            f"WHERE {clean('r.' + quote_ident(mapping[text]))} IS DISTINCT FROM t.{quote_ident(text)}").fetchone()[0]
        if wrong:
            raise RuntimeError(f"row numbers of `{spec.id}` do not follow the file ({wrong} rows differ)")

    def diagnose_cells(self, spec: DatasetSpec, source: _Source, mapping: dict[str, str], failing: set[tuple[str, str]]) -> int:
        """One diagnostic per bad cell (up to MAX_REPORTED_PER_DATASET) for the failing (column, code)
        checks; returns how many bad cells there are."""
        path = source.path
        table = quote_ident(f"raw_{spec.id}")
        parts = []
        for col in spec.columns.values():
            if col.name not in mapping:
                continue
            ref = quote_ident(mapping[col.name])
            for code, condition, message in text_checks(ref, col, self.danish(spec.id)):
                if (col.name, code) in failing:
                    parts.append(f"SELECT __row, {literal(col.name)} AS col, {ref} AS value, {literal(code)} AS code, {literal(message)} AS msg FROM {table} WHERE {condition}")
        if not parts:
            return 0
        query = " UNION ALL ".join(parts)
        total = self.con.execute(f"SELECT count(*) FROM ({query})").fetchone()[0]
        if not total:
            return 0
        rows = self.con.execute(f"SELECT * FROM ({query}) ORDER BY __row, col LIMIT {MAX_REPORTED_PER_DATASET}").fetchall()
        self.bad_rows.setdefault(spec.id, set()).update(r[0] for r in self.con.execute(f"SELECT DISTINCT __row FROM ({query})").fetchall())
        for row, col, value, code, message in rows:
            column = spec.columns[col]
            index = source.names.index(mapping[col])
            shown = "" if value is None else str(value)
            bound = column.min if message == "data.cell_below_min" else column.max if message == "data.cell_above_max" else None
            detail = Message(message, value=shown, column=col, bound="" if bound is None else bound)
            if code == "HF507":
                best = did_you_mean(shown, column.values)
                hint = Message("data.allowed_values_best", best=best, values=Codes(column.values)) if best else Message("data.allowed_values", values=Codes(column.values))
            elif code == "HF508":
                hint = Message("data.allowed_range", low="…" if column.min is None else column.min, high="…" if column.max is None else column.max)
            else:
                hint = Message(CELL_HINTS[code]) if code in CELL_HINTS else None
            span = self._cell_span(spec.id, path, row, index, shown if code != "HF509" else None)
            if code == "HF510":  # show where, never what: the excerpt gets the value masked
                span = _masked(span, shown)
            self.bag.add(Diagnostic(code, Message("data.in_row", file=path.name, row=row, detail=detail), span, hint=hint))
        if total > len(rows):
            self.bag.error(rows[-1][3], Message("data.more_problems", file=path.name, n=total - len(rows), total=total), None,
                           hint=Message("data.more_problems_hint"))
        return total

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
                expr = {"number": f"CASE WHEN isfinite({name}) THEN {name} END", "integer": f"TRY_CAST({name} AS BIGINT)"}.get(col.type, name)
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
            self.unreadable(path, error)
            return None
        self.validate_cells(spec, source, mapping)
        self.finish(spec)
        count = self.con.execute(f"SELECT count(*) FROM {quote_ident(name)}").fetchone()[0]
        return LoadedDataset(spec, path, count, format=source.format)

    def validate_tables(self, loaded: dict[str, LoadedDataset], present: dict[str, LoadedDataset] | None = None) -> None:
        """Duplicate keys and references of the `loaded` tables (references also to tables loaded
        before, `present`). The queries run at the same time, each on a connection of its own; the
        diagnostics are made afterwards, in dataset order."""
        from concurrent.futures import ThreadPoolExecutor

        tasks: list[tuple[str, str, Any]] = []  # (dataset, "key" or "ref", the key columns or (column, target, target column))
        for ds_id, item in loaded.items():
            if item.spec.key:
                tasks.append((ds_id, "key", item.spec.key))
            for col in item.spec.columns.values():
                target, _, target_col = (col.references or "").partition(".")
                if col.references and (target in loaded or target in (present or {})):
                    tasks.append((ds_id, "ref", (col.name, target, target_col)))

        def run(task: tuple[str, str, Any]) -> list[tuple]:
            ds_id, kind, what = task
            table = quote_ident(ds_id)
            con = self.con.cursor()
            try:
                if kind == "key":
                    keys = ", ".join(quote_ident(k) for k in what)
                    # a cheap probe first; the row lists are gathered only when a key repeats
                    if con.execute(f"SELECT 1 FROM {table} GROUP BY {keys} HAVING count(*) > 1 LIMIT 1").fetchone() is None:
                        return []
                    return con.execute(f"SELECT {keys}, list(__row ORDER BY __row) FROM {table} GROUP BY {keys} HAVING count(*) > 1 "
                                       f"ORDER BY min(__row) LIMIT {MAX_REPORTED_PER_DATASET}").fetchall()
                column, target, target_col = what
                return con.execute(
                    f"SELECT t.__row, t.{quote_ident(column)} FROM {table} t WHERE t.{quote_ident(column)} IS NOT NULL AND NOT EXISTS "
                    f"(SELECT 1 FROM {quote_ident(target)} r WHERE r.{quote_ident(target_col)} = t.{quote_ident(column)}) "
                    f"ORDER BY t.__row LIMIT {MAX_REPORTED_PER_DATASET}").fetchall()
            finally:
                con.close()

        with ThreadPoolExecutor(max_workers=max(1, min(MAX_PARALLEL_FILES, len(tasks)))) as pool:
            found = list(pool.map(run, tasks))
        for (ds_id, kind, what), rows in zip(tasks, found):
            item = loaded[ds_id]
            if kind == "key":
                for dupe in rows:
                    numbers = dupe[-1]
                    values = ", ".join(f"{k}={v}" for k, v in zip(what, dupe[:-1]))
                    self.bag.add(Diagnostic("HF512", Message("data.duplicate_key", file=item.path.name, rows=list(numbers[:10]), key=values, n=len(numbers)),
                                            self._cell_span(ds_id, item.path, numbers[1], 0, None), hint=Message("data.duplicate_key_hint", columns=Codes(what))))
                    self.bad_rows.setdefault(ds_id, set()).update(numbers[1:])
                continue
            column, target, target_col = what
            for row, value in rows:
                self.bag.add(Diagnostic("HF511", Message("data.in_row", file=item.path.name, row=row, detail=Message("data.unknown_reference", column=column, value=value, target=target)),
                                        self._cell_span(ds_id, item.path, row, 0, None), hint=Message("data.unknown_reference_hint", column=column, target=f"{target}.{target_col}")))
                self.bad_rows.setdefault(ds_id, set()).add(row)


def _masked(span: Span, value: str) -> Span:
    """The same span over a copy of its line where `value` is replaced by X's (for CPR numbers)."""
    if span.source is None:
        return span
    line = span.source.line(span.line).replace(value, "".join("X" if ch.isdigit() else ch for ch in value))
    source = SourceFile.from_text(span.source.name, "\n" * (span.line - 1) + line)
    return Span(source, span.line, span.col, span.end_line, span.end_col)


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
              present: dict[str, LoadedDataset] | None = None) -> DataSet:
    """Load and validate the needed datasets (and the datasets they reference) into `con`.

    `present` are datasets loaded into `con` before: they are not read again, and references to
    them are checked against their tables. Raises `HfspecError` with every problem found, unless
    `allow_invalid_rows`, in which case the invalid rows are left out and each is reported as a
    warning.
    """
    present = present or {}
    wanted = [name for name in closure(datasets, list(needed) if needed is not None else list(datasets)) if name not in present]
    if folder is not None and not folder.is_dir():
        raise HfspecError([Diagnostic("HF501", Message("data.no_folder", folder=folder), None, hint=Message("data.no_folder_hint"))])
    ing = _Ingester(con, datasets)
    try:
        return _load(ing, con, datasets, wanted, folder, files, allow_invalid_rows, present)
    finally:
        shutil.rmtree(ing.tmp, ignore_errors=True)  # XLSX and transcoded copies


#: The hint of a bad cell, by code (HF507 and HF508 name the column's values and range).
CELL_HINTS = {"HF510": "data.cpr_hint", "HF509": "data.empty_hint", "HF504": "data.number_hint", "HF514": "data.whole_hint",
              "HF505": "data.date_hint", "HF506": "data.boolean_hint"}

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
        for name in result.loaded:  # in dataset order (files are read in parallel)
            rows = ing.bad_rows.get(name)
            if rows:
                # cross-row problems (keys, references) are removed after typing
                con.execute(f"DELETE FROM {quote_ident(stored_table(name))} WHERE rowid + 2 IN ({', '.join(map(str, sorted(rows)))})")
                result.loaded[name].skipped_rows = sorted(rows)
                result.loaded[name].rows = con.execute(f"SELECT count(*) FROM {quote_ident(name)}").fetchone()[0]
                shown = [*sorted(rows)[:20], *(["…"] if len(rows) > 20 else [])]
                result.warnings.append(Diagnostic("HF520", Message("data.rows_left_out", n=len(rows), file=result.loaded[name].path.name, rows=shown),
                                                  None, severity=Severity.WARNING))
        result.warnings.extend(Diagnostic(d.code, d.message, d.span, d.hint, Severity.WARNING, d.label) for d in errors)
    result.warnings.extend(d for d in ing.bag if d.severity is Severity.WARNING)
    return result
