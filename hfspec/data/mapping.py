"""Export files + checked Mappings → the standard datasets as typed, checked DuckDB tables.

The municipality's exports (case system, time registration, the § 110 register) become the
standard datasets here, with the same guarantees as a standard file (hfspec.data.ingest): every
cell typed by hfspec's rules, every dataset check (types, values, ranges, required cells, keys,
references, no CPR-shaped values), every problem located in the **export**: file, row, column.

One mapping, step by step; each step is one SQL statement over the whole table, so that 100,000
citizens' exports are mapped in DuckDB, not row by row in Python:

1. read each file into DuckDB as text (`sheets.load_text_table`), every record with its line;
2. type it, file by file and (with `unpivot`) measurement group by group (`export_cells`): each
   column's cells through its value map, its date format or decimal mark, or the standard rules
   of `cells.typed_sql`; CPR cells normalised. A row keeps where it came from in `__seq`
   (`provenance`);
3. pseudonymise (the distinct CPR numbers hashed once, `pseudonym.pseudonymise`, and joined),
   add the constants and the `derive` columns in order, and flag the filter;
4. filter, deduplicate (the first or last row of a key in file order), aggregate;
5. check the dataset's cells (`cells.typed_checks`, a CPR-shaped value in any text column, whole
   numbers where an expression fills an integer column); then, over all the mapped datasets,
   keys and references.

A problem in a cell is reported at that cell of the export; in a column the mapping computes, at
the source row; in an aggregated row, at the first row of its group. With `allow_invalid_rows`
exactly the rows with problems are left out, and so are the rows that refer to a row left out:
no orphans. Nothing else is left out silently: every row the filter, the deduplication, empty
measurement groups or unmatched references leave out is counted in `MappingReport.steps`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from hfspec.data import cells, pseudonym
from hfspec.data.ingest import LoadedDataset, closure, drop_dataset, stored_table
from hfspec.data.export_cells import SQL_TYPES, bad_cells, cell_problem, typed_literal, typed_selects
from hfspec.data.provenance import Located, Pending, unseq
from hfspec.data.sheets import HeaderNotFound, SheetNotFound, SheetTooLarge, TextTable, csv_line, drop_text_table, file_lines, fold, load_text_table
from hfspec.diagnostics import Diagnostic, DiagnosticBag, HfspecError, Message, Severity, did_you_mean, did_you_mean_then
from hfspec.lang import types as T
from hfspec.lang.sql import quote_ident, to_sql
from hfspec.messages import Codes
from hfspec.source import SourceFile, Span, display_path
from hfspec.spec.mapping import CompiledMapping, MappingSource

#: The suffixes of export files a source may name.
EXPORT_SUFFIXES = (".csv", ".txt", ".xlsx", ".parquet")
#: Rows shown for one problem in one column (CPR numbers in a column not marked `cpr: true`, a
#: date format that does not fit); the others are counted in one more diagnostic, so that a
#: mistake in the mapping does not bury the other problems.
MAX_SHOWN_PER_CHECK = 10


@dataclass
class Step:
    """One line of a mapping's summary: how many rows a step made or left out, and why."""

    key: str  # read, unpivot, empty_groups, invalid, filter, deduplicate, aggregate, unmatched, orphaned, written
    rows: int
    detail: str = ""


@dataclass
class MappingReport:
    """What a mapping did: the files read, and the rows of each step."""

    mapping: str
    dataset: str
    files: list[Path]
    steps: list[Step] = field(default_factory=list)
    people: int = 0  # distinct CPR numbers made into pseudonyms

    def rows(self, key: str) -> int:
        return sum(s.rows for s in self.steps if s.key == key)


@dataclass
class MappedData:
    """The datasets made by mappings, in a DuckDB connection (stored as hfspec.data.ingest stores them)."""

    loaded: dict[str, LoadedDataset] = field(default_factory=dict)
    reports: dict[str, MappingReport] = field(default_factory=dict)
    warnings: list[Diagnostic] = field(default_factory=list)
    key: pseudonym.PseudonymKey | None = None
    unchecked: list[tuple[str, str, str]] = field(default_factory=list)  # (dataset, column, target) references not checked


def _name(mapping: str, part: str) -> str:
    """A table of a mapping's run."""
    return f"__map_{mapping.replace('-', '_')}_{part}"


class _Mapping:
    """One mapping's run: its tables, its steps, its problems (the checks across datasets are `_Run`'s)."""

    def __init__(self, run: "_Run", compiled: CompiledMapping):
        self.run = run
        self.m = compiled
        self.spec = compiled.spec
        self.dataset = compiled.dataset
        self.report = MappingReport(self.spec.id, self.dataset.id, [])
        self.files = []  # ExportFile
        self.final = _name(self.spec.id, "final")
        self.computed: dict[str, str] = {}  # column -> what computes it ("derive: ...", "aggregate: ...", "constants")
        self.skipped: list[int] = []  # lines of the invalid rows left out (allow_invalid_rows)
        self.aggregated = bool(self.spec.aggregate_by)

    @property
    def con(self):
        return self.run.con

    def note(self, pending: Pending) -> None:
        self.run.located.note(pending)

    # -- 1. read --------------------------------------------------------------------------------

    def paths(self, source: MappingSource) -> list[Path]:
        folder = self.spec.folder.resolve()
        found: list[Path] = []
        for pattern in source.files:
            path = Path(pattern)
            root, rest = (Path(path.anchor), str(path.relative_to(path.anchor))) if path.is_absolute() else (folder, pattern)
            if any(ch in pattern for ch in "*?["):  # a pattern: `eksport/*/2021-*.csv`, `**` for every subfolder
                matches = sorted((p for p in root.glob(rest) if p.is_file() and p.suffix.lower() in EXPORT_SUFFIXES), key=lambda p: str(p.resolve()))
            else:
                matches = [root / rest] if (root / rest).is_file() else []
            found += [p.resolve() for p in matches if p.resolve() not in found]
        if not found:
            where = source.locs["files"].span
            self.run.bag.error("HF530", Message("export.no_file", patterns=Codes(source.files), source=source.index + 1, mapping=self.spec.id), where,
                               hint=Message("export.no_file_hint", folder=display_path(folder) or ".", suffixes=", ".join(EXPORT_SUFFIXES)))
        return found

    def wanted_headers(self, source: MappingSource) -> set[str]:
        """The headers the mapping names in a source (each measurement word filled in), folded."""
        out = set()
        for column in source.columns.values():
            if source.unpivot is not None and source.unpivot.placeholder in column.header:
                out |= {fold(column.header.replace(source.unpivot.placeholder, word)) for word, _ in source.unpivot.values}
            else:
                out.add(fold(column.header))
        return out

    def read(self, source: MappingSource, path: Path) -> TextTable | None:
        import duckdb

        name = _name(self.spec.id, f"text{len(self.run.located.files)}")
        try:
            return load_text_table(self.con, path, name, wanted=self.wanted_headers(source), header_row=source.header_row,
                                   delimiter=source.delimiter, sheet=source.sheet)
        except SheetTooLarge as error:
            self.run.bag.error(error.code, Message("data.sheet_too_large", file=path.name, detail=error.args[0]), None,
                               hint=Message("export.too_large_hint"))
        except SheetNotFound as error:
            self.run.bag.error("HF534", Message("export.no_sheet", file=path.name, sheet=error.sheet, sheets=Codes(error.names)),
                               source.locs["sheet"].span, hint=did_you_mean(error.sheet, error.names))
        except HeaderNotFound as error:
            self.header_not_found(source, path, error)
        except (duckdb.Error, OSError, ValueError, KeyError, UnicodeDecodeError) as error:
            self.unreadable(path, error)
        except Exception as error:  # a broken workbook: openpyxl's and zipfile's own errors
            if type(error).__module__.split(".")[0] not in ("zipfile", "openpyxl"):
                raise
            self.unreadable(path, error)
        return None

    def unreadable(self, path: Path, error: Exception) -> None:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        said = error.args[0] if error.args and isinstance(error.args[0], Message) else Message("common.verbatim", text=cells.mask_cpr(first))
        self.run.bag.error("HF513", Message("data.unreadable", path=display_path(path), format=path.suffix.lower().lstrip("."), reason=said), None,
                           hint=Message("export.unreadable_hint"))

    def header_not_found(self, source: MappingSource, path: Path, error: HeaderNotFound) -> None:
        """No header row: shown at the row of the file that comes closest, with what it lacks."""
        if source.header_row is not None:
            self.run.bag.error("HF531", Message("export.no_header_row", file=path.name, row=source.header_row, source=source.index + 1),
                               source.locs["header_row"].span, hint=Message("export.no_header_row_hint"))
            return
        best = error.best
        have = [c for c in best[1] if c] if best else []
        folded = {fold(c) for c in have}
        missing = []
        for column in source.columns.values():
            headers = ([column.header.replace(source.unpivot.placeholder, w) for w, _ in source.unpivot.values]
                       if source.unpivot is not None and source.unpivot.placeholder in column.header else [column.header])
            for header in headers:
                if fold(header) not in folded and header not in [m[0] for m in missing]:
                    missing.append((header, column))
        wanted = self.wanted_headers(source)
        free = [c for c in have if fold(c) not in wanted]  # headers no other column of the mapping takes
        shown = tuple(Message("export.header_best", header=h, best=did_you_mean(h, free)) if did_you_mean(h, free) else Message("common.code", text=h)
                      for h, _ in missing[:5])
        span = None
        if best is not None:
            line = file_lines(path, {best[0]}).get(best[0], "") if path.suffix.lower() in (".csv", ".txt") else csv_line(best[1])
            span = Span(SourceFile.of_lines(display_path(path), {best[0]: cells.mask_cpr(line)}), best[0], 1, best[0], max(2, len(line) + 1))
        where = Message("export.closest_row", row=best[0]) if best else Message("export.no_rows")
        lacks = Message("export.lacks_more", shown=shown, n=len(missing) - 5) if len(missing) > 5 else Message("export.lacks", shown=shown)
        self.run.bag.add(Diagnostic(
            "HF531", Message("export.no_header_line", file=path.name, where=where, lacks=lacks), span,
            hint=Message("export.no_header_line_hint", at=str(missing[0][1].loc.span)) if missing else Message("export.give_header_row")))

    def resolve_headers(self, export, source: MappingSource) -> bool:
        """Find each column's header in the file, per measurement group; problems at the header row."""
        table = export.table
        folded: dict[str, list[int]] = {}
        for i, header in enumerate(table.headers):
            folded.setdefault(fold(header), []).append(i)
        groups = [(0, None)] if source.unpivot is None else list(enumerate((w for w, _ in source.unpivot.values), start=1))
        ok = True
        for column in source.columns.values():
            templated = source.unpivot is not None and source.unpivot.placeholder in column.header
            for group, word in (groups if templated else groups[:1]):
                header = column.header.replace(source.unpivot.placeholder, word) if templated else column.header
                found = folded.get(fold(header), [])
                if not found:
                    ok = False
                    wanted = self.wanted_headers(source)
                    free = [h for h in table.headers if h and fold(h) not in wanted]
                    self.note(Pending("HF531", Message("export.no_column", file=table.path.name, header=header, column=column.name), export.index,
                                      table.header_line, hint=did_you_mean_then(header, free, Message("export.named_at", at=str(column.loc.span)))))
                    continue
                if len(found) > 1:
                    self.note(Pending("HF516", Message("export.two_headers", file=table.path.name, header=header, column=column.name,
                                                       first=found[0] + 1, second=found[1] + 1),
                                      export.index, table.header_line, found[1], hint=Message("export.two_headers_hint")))
                for g, _ in (((group, None),) if templated else groups):
                    export.origin[(g, column.name)] = found[0]
                if column.cpr:
                    export.secret.add(found[0])
        # dataset columns the source does not give are found by name, as in a standard file
        for name in self.matched_by_name(source):
            col = self.dataset.columns[name]
            hits = [i for alias in (col.name, *col.source) for i in folded.get(fold(alias), [])]
            if hits:
                for group, _ in groups:
                    export.origin[(group, name)] = hits[0]
            elif col.required:
                ok = False
                self.note(Pending("HF531", Message("export.no_column_for", file=table.path.name, column=name, dataset=self.dataset.id), export.index,
                                  table.header_line, hint=Message("export.no_column_for_hint", example=f'{name}: {{from: "Header"}}')))
        return ok

    def matched_by_name(self, source: MappingSource | None = None) -> list[str]:
        """The dataset's columns a source (or any source) gives no other way: they are looked up by their name."""
        def given(s: MappingSource) -> set[str]:
            return {*s.columns, *s.constants, *([s.unpivot.column] if s.unpivot else [])}
        computed = set(self.spec.constants) | set(self.spec.derive) | set(self.spec.aggregate)
        sources = [source] if source is not None else list(self.spec.sources)
        return [c for c in self.dataset.columns if c not in computed and any(c not in given(s) for s in sources)]

    # -- 2. type --------------------------------------------------------------------------------

    def working(self) -> dict[str, T.Type]:
        """The columns of the typed rows: every source's columns, constants and measurement column,
        and the dataset columns found by name."""
        out: dict[str, T.Type] = {}
        for source in self.spec.sources:
            for name in [*source.columns, *source.constants, *([source.unpivot.column] if source.unpivot else [])]:
                out.setdefault(name, self.m.types[name])
        for name in self.matched_by_name():
            out.setdefault(name, self.m.types.get(name) or T.from_spec(self.dataset.columns[name].type, self.dataset.columns[name].values))
        return out

    def diagnose(self, export, source: MappingSource, working: dict[str, T.Type]) -> None:
        """Diagnostics for the bad cells of a file: MAX_SHOWN_PER_CHECK per column and problem in
        the whole mapping (over its files); `counted` and `unlisted` gather the rest."""
        found = bad_cells(self.con, export, source, working, MAX_SHOWN_PER_CHECK)
        for line, name, index, value, code in found.shown:
            if self.counted[(name, code)] < MAX_SHOWN_PER_CHECK:
                self.note(cell_problem(export, source, name, code, value, line, index))
            self.counted[(name, code)] += 1
        for (name, code), n in found.counts.items():
            self.counted[(name, code)] += n - min(n, MAX_SHOWN_PER_CHECK)
        for name, words in found.unlisted.items():
            self.unlisted.setdefault(name, set()).update(words)

    # -- the steps ------------------------------------------------------------------------------

    def run_steps(self) -> bool:
        """Steps 1–4 and the cell checks of step 5; False when the mapping could not make its table."""
        con = self.con
        working = self.working()
        selects = []
        records = 0
        keep_text: list[str] = []
        for source in self.spec.sources:
            for path in self.paths(source):
                table = self.read(source, path)
                if table is None:
                    continue
                export = self.run.located.add_file(table, self.spec.id, source.index)
                self.files.append(export)
                self.report.files.append(path)
                records += table.rows
                if self.resolve_headers(export, source):
                    selects += typed_selects(export, source, working)
                if table.format != "csv":
                    keep_text.append(table.view)  # workbook rows are shown from the table
        self.report.steps.append(Step("read", records, str(len(self.report.files))))
        if not selects:
            return False
        typed = _name(self.spec.id, "typed")
        con.execute(f"CREATE OR REPLACE TABLE {quote_ident(typed)} AS {' UNION ALL '.join(selects)}")
        made, bad = con.execute(f"SELECT count(*), count(*) FILTER (WHERE __bad) FROM {quote_ident(typed)}").fetchone()
        groups = sum(len(self.spec.sources[e.source].unpivot.values) * e.table.rows for e in self.files if self.spec.sources[e.source].unpivot)
        if groups:
            self.report.steps.append(Step("unpivot", made))
            plain = sum(e.table.rows for e in self.files if not self.spec.sources[e.source].unpivot)
            if groups + plain - made:
                self.report.steps.append(Step("empty_groups", groups + plain - made))
        if bad:
            self.counted, self.unlisted = Counter(), {}
            for export in self.files:
                if con.execute(f"SELECT 1 FROM {quote_ident(typed)} WHERE __bad AND (__seq >> 40) = {export.index} LIMIT 1").fetchone():
                    self.diagnose(export, self.spec.sources[export.source], working)
            for (name, code), n in sorted(self.counted.items()):
                if code == "HF532" and len(self.unlisted.get(name, ())) > 1:
                    self.unlisted_words(name, n)
                elif n > MAX_SHOWN_PER_CHECK:
                    self.more(code, name, n)
        for export in self.files:
            if export.table.view not in keep_text:
                drop_text_table(con, export.table)
        # 3. pseudonyms, constants, derived columns, the filter flag
        cpr = [c for c in self.m.cpr_columns if c in working]
        if cpr:
            pseudonym.pseudonymise(con, self.run.key, typed, cpr, self.run.cache)
            people = con.execute(f"SELECT count(DISTINCT cpr) FROM ({' UNION '.join(f'SELECT {quote_ident(c)} AS cpr FROM {quote_ident(typed)}' for c in cpr)}) WHERE cpr IS NOT NULL").fetchone()[0]
            self.report.people = people
        columns, joins = [], []
        for name in working:
            if name in cpr:
                alias = f"p{len(joins)}"
                joins.append(f"LEFT JOIN {pseudonym.TABLE} {alias} ON {alias}.cpr = t.{quote_ident(name)}")
                columns.append(f"{alias}.pseudonym AS {quote_ident(name)}")
            else:
                columns.append(f"t.{quote_ident(name)}")
        for name, value in self.spec.constants.items():
            columns.append(f"{typed_literal(value, self.m.types[name])} AS {quote_ident(name)}")
            self.computed[name] = "constants"
        # rows with a bad cell go on (flagged): a row that refers to them is no orphan, and they
        # are counted once, as invalid, not again by later checks
        body = f"SELECT t.__seq, t.__bad, {', '.join(columns)} FROM {quote_ident(typed)} t {' '.join(joins)}"
        for name, checked in self.m.derive:
            body = f"SELECT *, {to_sql(checked, _column)} AS {quote_ident(name)} FROM ({body})"
            self.computed[name] = f"derive: {self.spec.derive[name]}"
        flag = f"({to_sql(self.m.filter, _column)}) IS TRUE" if self.m.filter is not None else "TRUE"
        rows = _name(self.spec.id, "rows")
        con.execute(f"CREATE OR REPLACE TABLE {quote_ident(rows)} AS SELECT *, {flag} AS __keep FROM ({body})")
        con.execute(f"DROP TABLE {quote_ident(typed)}")
        # 4. filter, deduplicate, aggregate
        current = rows
        if self.m.filter is not None:
            dropped = con.execute(f"SELECT count(*) FILTER (WHERE NOT __keep) FROM {quote_ident(rows)}").fetchone()[0]
            self.report.steps.append(Step("filter", dropped, self.spec.filter))
        kept = _name(self.spec.id, "kept")
        qualify = ""
        if self.spec.deduplicate:
            order = "DESC" if self.spec.keep == "last" else "ASC"
            qualify = f" QUALIFY row_number() OVER (PARTITION BY {', '.join(quote_ident(k) for k in self.spec.deduplicate)} ORDER BY __seq {order}) = 1"
        con.execute(f"CREATE OR REPLACE TABLE {quote_ident(kept)} AS SELECT * EXCLUDE (__keep) FROM {quote_ident(current)} WHERE __keep{qualify}")
        if self.spec.deduplicate:
            before = con.execute(f"SELECT count(*) FILTER (WHERE __keep) FROM {quote_ident(rows)}").fetchone()[0]
            after = con.execute(f"SELECT count(*) FROM {quote_ident(kept)}").fetchone()[0]
            self.report.steps.append(Step("deduplicate", before - after, ", ".join(self.spec.deduplicate)))
        con.execute(f"DROP TABLE {quote_ident(rows)}")
        current = kept
        if self.aggregated:
            agg = _name(self.spec.id, "agg")
            by = ", ".join(quote_ident(b) for b in self.spec.aggregate_by)
            measures = ", ".join(f"{to_sql(checked, _column)} AS {quote_ident(name)}" for name, checked in self.m.aggregate)
            con.execute(f"CREATE OR REPLACE TABLE {quote_ident(agg)} AS SELECT {by}, {measures}, min(__seq) AS __seq, count(*) AS __n, bool_or(__bad) AS __bad "
                        f"FROM {quote_ident(kept)} GROUP BY {by}")
            rows_in = con.execute(f"SELECT count(*) FROM {quote_ident(kept)}").fetchone()[0]
            rows_out = con.execute(f"SELECT count(*) FROM {quote_ident(agg)}").fetchone()[0]
            self.report.steps.append(Step("aggregate", rows_in - rows_out, ", ".join(self.spec.aggregate_by)))
            for name in self.spec.aggregate:
                self.computed[name] = f"aggregate: {self.spec.aggregate[name]}"
            con.execute(f"DROP TABLE {quote_ident(kept)}")
            current = agg
        self.make_final(current)
        self.check_cells()
        return True

    def make_final(self, current: str) -> None:
        """The dataset's columns, in its types, with `__seq` (and `__n`, rows summed into a row)."""
        con = self.con
        present = {r[0]: r[1] for r in con.execute(f"DESCRIBE {quote_ident(current)}").fetchall()}
        selects = ["__seq", "__n" if "__n" in present else "1 AS __n"]
        self.whole_checks: list[tuple[str, str]] = []
        for col in self.dataset.columns.values():
            name, sql_type = quote_ident(col.name), SQL_TYPES[col.type]
            if col.name not in present:
                selects.append(f"CAST(NULL AS {sql_type}) AS {name}")
            elif col.type == "integer" and present[col.name] not in ("BIGINT", "INTEGER", "SMALLINT", "TINYINT", "HUGEINT"):
                # an expression gave a number: whole numbers only, never rounded
                selects.append(f"CAST(CASE WHEN {name} = trunc({name}) THEN {name} END AS BIGINT) AS {name}")
                self.whole_checks.append((col.name, f"NOT __bad AND {name} IS NOT NULL AND {name} <> trunc({name})"))
            else:
                selects.append(f"CAST({name} AS {sql_type}) AS {name}")
        for column, condition in self.whole_checks:
            for seq, n, value in con.execute(f"SELECT __seq, {'__n' if '__n' in present else '1'}, {quote_ident(column)} FROM {quote_ident(current)} "
                                             f"WHERE {condition} ORDER BY __seq LIMIT {MAX_SHOWN_PER_CHECK}").fetchall():
                self.row_problem("HF514", column, seq, n, Message("export.not_whole", value=value, column=column), Message("export.not_whole_hint"))
            found = con.execute(f"SELECT count(*) FROM {quote_ident(current)} WHERE {condition}").fetchone()[0]
            if found > MAX_SHOWN_PER_CHECK:
                self.more("HF514", column, found)
        bad = " OR ".join(["__bad", *(f"({c})" for _, c in self.whole_checks)])
        con.execute(f"CREATE OR REPLACE TABLE {quote_ident(self.final)} AS SELECT {', '.join(selects)}, ({bad}) AS __bad FROM {quote_ident(current)}")
        con.execute(f"DROP TABLE {quote_ident(current)}")

    def check_cells(self) -> None:
        """The dataset's cell checks (and a CPR-shaped value in any text column) on the final table."""
        probes: list[tuple[str, str, str]] = []
        for col in self.dataset.columns.values():
            probes += [(col.name, codes[0], condition) for codes, condition in cells.typed_checks(col)]
            if col.type == "string" and not col.pseudonym:
                probes.append((col.name, "HF510", cells.cpr_condition(quote_ident(col.name), col)))
        if not probes:
            return
        final = quote_ident(self.final)
        probes = [(column, code, f"NOT __bad AND ({condition})") for column, code, condition in probes]
        counts = self.con.execute("SELECT " + ", ".join(f"count(*) FILTER (WHERE {c})" for _, _, c in probes) + f" FROM {final}").fetchone()
        for (column, code, condition), count in zip(probes, counts):
            if not count:
                continue
            col = self.dataset.columns[column]
            for seq, n, value in self.con.execute(f"SELECT __seq, __n, {quote_ident(column)} FROM {final} WHERE {condition} ORDER BY __seq "
                                                  f"LIMIT {MAX_SHOWN_PER_CHECK}").fetchall():
                text = "" if value is None else str(value)
                message, hint = {
                    "HF507": (Message("data.cell_unknown_value", value=text, column=column),
                              did_you_mean_then(text, col.values, Message("data.allowed_values", values=Codes(col.values)))),
                    "HF508": (Message("export.out_of_range", value=text, column=column),
                              Message("data.allowed_range", low="…" if col.min is None else col.min, high="…" if col.max is None else col.max)),
                    "HF509": (Message("data.cell_empty", column=column), Message("export.empty_hint")),
                    "HF510": (Message("data.cell_cpr", column=column), Message("export.cpr_hint")),
                }[code]
                self.row_problem(code, column, seq, n, message, hint)
            if count > MAX_SHOWN_PER_CHECK:
                self.more(code, column, count)
        if any(counts):
            self.mark_bad(" OR ".join(f"({c})" for (_, _, c), n in zip(probes, counts) if n))

    def mark_bad(self, condition: str) -> None:
        """Flag the rows of the final table where `condition` holds as invalid."""
        self.con.execute(f"UPDATE {quote_ident(self.final)} SET __bad = true WHERE {condition}")

    def unlisted_words(self, column: str, rows: int) -> None:
        """Every word of the exports that a column's value map does not list, in one diagnostic at
        the value map: what a new mapping needs, or what a new code in the case system is."""
        words = sorted(self.unlisted[column], key=lambda w: (len(w), w))
        shown = Codes([cells.mask_cpr(w) for w in words[:20]] + (["…"] if len(words) > 20 else []))
        loc = next(s.columns[column].loc for s in self.spec.sources if column in s.columns)
        self.run.bag.add(Diagnostic("HF532", Message("export.unlisted_words", mapping=self.spec.id, n=len(words), column=column, words=shown, rows=rows),
                                    loc.child("values").key_span if "values" in (loc.doc.get(loc.path) or {}) else loc.key_span,
                                    hint=Message("export.unlisted_words_hint")))

    def more(self, code: str, column: str, count: int) -> None:
        """The problems of one column beyond those shown, counted in one diagnostic at the column in the mapping."""
        loc = next((s.columns[column].loc for s in self.spec.sources if column in s.columns), None)
        loc = loc or (self.spec.locs["derive"].child(column) if column in self.spec.derive else self.spec.loc)
        self.run.bag.add(Diagnostic(code, Message("export.more_rows", mapping=self.spec.id, n=count - MAX_SHOWN_PER_CHECK, column=column, total=count),
                                    loc.key_span, hint=Message("export.more_rows_hint")))

    def row_problem(self, code: str, column: str, seq: int, n: int, message: Message, hint: Message | None,
                    severity: Severity = Severity.ERROR) -> None:
        """A problem in a row of the final table, shown at its source: the cell when the column comes
        from a header, else the row (with what computed it)."""
        file, line, group = unseq(seq)
        export = self.run.located.files[file]
        index = export.origin.get((group, column))
        notes = []
        how = self.computed.get(column)
        if how is not None:
            notes.append(Message("export.comes_from", column=column, mapping=self.spec.id, how=how))
        if n > 1:
            notes.append(Message("export.sum_of_rows", n=n))
        cell = index if how is None and not self.aggregated else None
        self.note(Pending(code, Message("data.in_row", file=export.name, row=line, detail=message), file, line, cell, hint=hint, severity=severity,
                          notes=tuple(notes)))


def _column(ref) -> str:
    return quote_ident(ref.column)


class _Run:
    """One run of some mappings on one connection: the checks across datasets, and the storing."""

    def __init__(self, con, key: pseudonym.PseudonymKey | None, allow_invalid_rows: bool, present: dict[str, LoadedDataset]):
        self.con = con
        self.key = key
        self.allow_invalid_rows = allow_invalid_rows
        self.present = present
        self.bag = DiagnosticBag()
        self.located = Located()
        self.cache: dict[str, str] = {}

    def keys(self, mapped: dict[str, _Mapping]) -> None:
        for ds, m in mapped.items():
            key = m.dataset.key
            if not key:
                continue
            cols = ", ".join(quote_ident(k) for k in key)
            final = quote_ident(m.final)
            if self.con.execute(f"SELECT 1 FROM {final} GROUP BY {cols} HAVING count(*) > 1 LIMIT 1").fetchone() is None:
                continue
            for row in self.con.execute(f"SELECT {cols}, list(__seq ORDER BY __seq), list(__n ORDER BY __seq) FROM {final} GROUP BY {cols} "
                                        f"HAVING count(*) > 1 ORDER BY min(__seq) LIMIT {MAX_SHOWN_PER_CHECK}").fetchall():
                seqs, ns = row[-2], row[-1]
                values = ", ".join(f"{k}={v}" for k, v in zip(key, row[:-2]))
                first_file, first_line, _ = unseq(seqs[0])
                hint = (Message("data.duplicate_key_hint", columns=Codes(key)) if m.spec.deduplicate else
                        Message("export.duplicate_key_hint", columns=Codes(key), example=f"deduplicate: {{key: [{', '.join(key)}]}}"))
                m.row_problem("HF512", key[0], seqs[1], ns[1], Message("export.key_repeated", key=values, n=len(seqs), file=self.located.files[first_file].name,
                                                                       row=first_line), hint)
            m.mark_bad(f"__seq IN (SELECT __seq FROM {final} QUALIFY row_number() OVER (PARTITION BY {cols} ORDER BY __seq) > 1)")

    def references(self, mapped: dict[str, _Mapping], out: MappedData, first: bool) -> bool:
        """Reference checks of the mapped tables; unmatched rows of a `leave_out` mapping are left out
        (the first time), others are problems. Returns whether rows were marked bad."""
        changed = False
        for ds, m in mapped.items():
            for col in m.dataset.columns.values():
                if not col.references:
                    continue
                target, _, target_col = col.references.partition(".")
                if target in mapped:
                    table = quote_ident(mapped[target].final)
                elif target in self.present:
                    table = quote_ident(target)
                else:
                    if first:
                        out.unchecked.append((ds, col.name, target))
                    continue
                query = (f"SELECT t.__seq, t.__n, t.{quote_ident(col.name)} FROM {quote_ident(m.final)} t WHERE NOT t.__bad AND t.{quote_ident(col.name)} IS NOT NULL "
                         f"AND NOT EXISTS (SELECT 1 FROM {table} r WHERE r.{quote_ident(target_col)} = t.{quote_ident(col.name)})")
                if first and m.spec.unmatched_references == "leave_out":
                    n = self.con.execute(f"SELECT count(*) FROM ({query})").fetchone()[0]
                    if n:
                        self.con.execute(f"DELETE FROM {quote_ident(m.final)} WHERE __seq IN (SELECT __seq FROM ({query}))")
                        m.report.steps.append(Step("unmatched", n, f"{col.name} → {target}"))
                    continue
                found = self.con.execute(f"{query} ORDER BY t.__seq").fetchall()
                if not found:
                    continue
                if not first:  # rows that referred to rows left out as invalid: left out with them
                    self.con.execute(f"DELETE FROM {quote_ident(m.final)} WHERE __seq IN ({', '.join(str(r[0]) for r in found)})")
                    m.report.steps.append(Step("orphaned", len(found), f"{col.name} → {target}"))
                    changed = True
                    continue
                if len(found) > MAX_SHOWN_PER_CHECK:
                    m.more("HF511", col.name, len(found))
                for seq, n, value in found[:MAX_SHOWN_PER_CHECK]:
                    m.row_problem("HF511", col.name, seq, n, Message("export.not_in", column=col.name, value=value, target=target),
                                  Message("export.not_in_hint_leave_out" if target in mapped else "export.not_in_hint", column=col.name,
                                          target=f"{target}.{target_col}"))
                m.mark_bad(f"__seq IN ({query.replace('t.__seq, t.__n, t.' + quote_ident(col.name), 't.__seq', 1)})")
        return changed

    def leave_out_invalid(self, mapped: dict[str, _Mapping], out: MappedData) -> None:
        """With allow_invalid_rows: delete the rows with problems, then the rows that referred to them."""
        for m in mapped.values():
            final = quote_ident(m.final)
            m.skipped = sorted(unseq(r[0])[1] for r in self.con.execute(f"SELECT __seq FROM {final} WHERE __bad").fetchall())
            if m.skipped:
                self.con.execute(f"DELETE FROM {final} WHERE __bad")
                m.report.steps.append(Step("invalid", len(m.skipped)))
        while self.references(mapped, out, first=False):
            pass

    def store(self, m: _Mapping, out: MappedData) -> None:
        ds = m.dataset.id
        drop_dataset(self.con, ds)
        columns = ", ".join(quote_ident(c) for c in m.dataset.columns)
        table = quote_ident(stored_table(ds))
        self.con.execute(f"CREATE TABLE {table} AS SELECT {columns} FROM {quote_ident(m.final)} ORDER BY __seq")
        self.con.execute(f"CREATE VIEW {quote_ident(ds)} AS SELECT {columns} FROM {table}")
        rows = self.con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        m.report.steps.append(Step("written", rows))
        origin = m.spec.loc.file if m.spec.loc else ds
        out.loaded[ds] = LoadedDataset(m.dataset, Path(origin), rows, m.skipped, format="mapping", files=list(m.report.files))
        out.reports[ds] = m.report

    def cleanup(self, mapped: Iterable[_Mapping]) -> None:
        """Drop the run's tables: the text of the exports, the steps' tables, and the CPR numbers
        with their pseudonyms (nothing of them stays in the session's connection)."""
        self.con.execute(f"DROP TABLE IF EXISTS {pseudonym.TABLE}")
        for m in mapped:
            self.con.execute(f"DROP TABLE IF EXISTS {quote_ident(m.final)}")
            for export in m.files:
                drop_text_table(self.con, export.table)


def mapped_datasets(project, needed: Iterable[str]) -> tuple[list[str], list[str]]:
    """(datasets to map: `needed` and the datasets they reference that have a mapping, the needed
    datasets without a mapping)."""
    wanted = closure(project.datasets, list(needed))
    have = [d for d in wanted if project.mapping_for(d) is not None]
    missing = [d for d in needed if project.mapping_for(d) is None]
    return have, missing


def project_folders(project, mappings: Iterable[CompiledMapping], extra: Iterable[Path] = ()) -> list[Path]:
    """The folders that belong to a project: its catalogue files', its mappings', and `extra` (the
    folder written to). A pseudonym key may not lie inside any of them."""
    from hfspec.resources import shipped

    ours = [shipped("catalog").resolve(), shipped("specs").resolve()]  # the national catalogue and the standard datasets
    folders = {Path(f).resolve().parent for f in project.files}
    folders |= {m.spec.folder.resolve() for m in mappings}
    folders |= {Path(p).resolve() for p in extra}
    return sorted(f for f in folders if not any(f == o or f.is_relative_to(o) for o in ours))


def needs_key(mappings: Iterable[CompiledMapping]) -> Message | None:
    """Why a run of these mappings needs the pseudonym key (for the message when it is missing), or None."""
    names = [m.id for m in mappings if m.cpr_columns]
    if not names:
        return None
    return Message("key.why_mappings", n=len(names), names=Codes(names))


def run_mappings(con, project, datasets: Iterable[str], *, key_file: Path | None = None, key: pseudonym.PseudonymKey | None = None,
                 allow_invalid_rows: bool = False, present: dict[str, LoadedDataset] | None = None) -> MappedData:
    """Map the exports of the given datasets (each must have a mapping; see `mapped_datasets`) into
    `con`, as typed, checked tables named as ingestion names them. The pseudonym key is `key`, or
    found from `key_file` (see `pseudonym.require_key`) when a mapping has CPR columns. `present`
    are datasets in `con` already: references to them are checked. Raises HfspecError with every
    problem found, unless `allow_invalid_rows` (then the invalid rows are left out, each listed
    as a warning)."""
    present = present or {}
    mappings = [project.mapping_for(d) for d in dict.fromkeys(datasets)]
    mappings = [m for m in mappings if m is not None]
    out = MappedData()
    why = needs_key(mappings)
    if why and key is not None:
        out.key = key
    elif why:
        out.key, out.warnings = pseudonym.require_key(key_file, project_folders(project, mappings), why)
    run = _Run(con, out.key, allow_invalid_rows, present)
    mapped: dict[str, _Mapping] = {}
    try:
        for compiled in mappings:
            m = _Mapping(run, compiled)
            if m.run_steps():
                mapped[compiled.dataset.id] = m
            else:
                run.cleanup([m])
        run.keys(mapped)
        run.references(mapped, out, first=True)
        problems = run.bag.items + run.located.diagnostics(con)
        errors = [d for d in problems if d.severity is Severity.ERROR]
        fatal = [d for d in errors if d.code in ("HF510", "HF513", "HF516", "HF530", "HF531", "HF534")]
        if errors and (not allow_invalid_rows or fatal or len(mapped) < len(mappings)):
            raise HfspecError(problems + out.warnings)
        if allow_invalid_rows:
            run.leave_out_invalid(mapped, out)
            for m in mapped.values():
                invalid = m.report.rows("invalid")
                if invalid:
                    out.warnings.append(Diagnostic("HF520", Message("export.left_out", n=invalid, dataset=m.dataset.id, mapping=m.spec.id), None,
                                                   severity=Severity.WARNING))
            out.warnings += [Diagnostic(d.code, d.message, d.span, d.hint, Severity.WARNING, d.label, d.notes) for d in errors]
        out.warnings += [d for d in problems if d.severity is not Severity.ERROR]
        for ds, m in mapped.items():
            run.store(m, out)
    finally:
        run.cleanup(list(mapped.values()))
    return out
