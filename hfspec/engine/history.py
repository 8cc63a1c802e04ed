"""Results → a local DuckDB history file, and back. Each run is stamped with the time and with
hashes of the catalogue files and of the data files; storing the same catalogue on the same data
again does not add a duplicate. Values go through `disclosure.published`: a suppressed value is
stored as NULL with `suppressed = true`. Total rows are stored with `total_over` (a JSON list of
the breakdowns a row adds up, `[]` for a group; NULL in runs stored before totals were kept), so
the headline of every run can be shown.

A history file is kept whole:

- a run is stored in **one transaction** (the run and all its results, in one bulk insert), so a
  run that is killed half-way leaves nothing behind, and a later identical run stores it;
- another hfspec run that holds the file is **waited for** (up to MAX_LOCK_WAIT_SECONDS), then
  the run stops with HF807 rather than losing its results to a crash;
- a file that cannot be written or read is a diagnostic (HF803, HF100);
- a history file may come from someone else, so it is **opened as data only**: without access to
  other files or the network and without loading DuckDB extensions (`SAFE_CONFIG`), and only
  when it holds exactly the two tables hfspec writes, with their columns (`check_tables`). A
  `runs` that is a view over `read_csv('/etc/passwd')` is refused, never read.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Iterable

from hfspec.diagnostics import Diagnostic, HfspecError, Message
from hfspec.engine.disclosure import published, suppress
from hfspec.engine.results import Result, ResultRow

#: The tables of a history file, column by column: (name, DuckDB type).
TABLES = {
    "runs": [("run_id", "INTEGER"), ("stamp", "TIMESTAMP"), ("catalogue_hash", "VARCHAR"), ("data_hash", "VARCHAR"),
             ("suppress_below", "INTEGER"), ("period_from", "VARCHAR"), ("period_to", "VARCHAR"), ("label", "VARCHAR")],
    "results": [("run_id", "INTEGER"), ("indicator", "VARCHAR"), ("title_da", "VARCHAR"), ("title_en", "VARCHAR"), ("type", "VARCHAR"),
                ("unit", "VARCHAR"), ("period", "VARCHAR"), ("by_json", "VARCHAR"), ("value", "DOUBLE"), ("n", "BIGINT"),
                ("suppressed", "BOOLEAN"), ("status", "VARCHAR"), ("total_over", "VARCHAR")],
}
#: Columns a history file written by an older hfspec lacks (the last ones of their table): such a
#: file is read as it is, and gets them when a run is stored in it.
ADDED_COLUMNS = {"results": ("total_over",)}
SCHEMA = [
    "CREATE TABLE IF NOT EXISTS runs (" + ", ".join(f"{name} {typ}" + (" PRIMARY KEY" if name == "run_id" else "") for name, typ in TABLES["runs"]) + ")",
    "CREATE TABLE IF NOT EXISTS results (" + ", ".join(f"{name} {typ}" for name, typ in TABLES["results"] if name not in ADDED_COLUMNS["results"]) + ")",
    *(f"ALTER TABLE results ADD COLUMN IF NOT EXISTS {name} {typ}" for name, typ in TABLES["results"] if name in ADDED_COLUMNS["results"]),
]
#: How DuckDB opens a history file: as data only. No file or network access from SQL (a view
#: over read_csv('/etc/passwd') cannot read it), no extensions loaded or installed on demand,
#: and these settings cannot be changed by what runs on the connection.
SAFE_CONFIG = {"enable_external_access": False, "autoload_known_extensions": False, "autoinstall_known_extensions": False,
               "lock_configuration": True}
#: Longest wait for a history file that another run holds (seconds, HF807). Storing a run takes
#: well under a second, so two runs started together both land; a file held open for longer (in
#: another program) ends in a diagnostic instead of a crash.
MAX_LOCK_WAIT_SECONDS = 30.0
_LOCKED = "could not set lock"  # how DuckDB says that another process holds the file


def hash_files(paths: Iterable[Path]) -> str:
    """A content hash of files (names do not matter, contents and their order-independent set do)."""
    digests = []
    for path in paths:
        digest = hashlib.sha256()
        with Path(path).open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        digests.append(digest.hexdigest())
    return hashlib.sha256("\n".join(sorted(digests)).encode()).hexdigest()[:16]


@dataclass
class StoredRun:
    run_id: int
    stamp: dt.datetime
    catalogue_hash: str
    data_hash: str
    label: str | None
    new: bool


def connect(path: Path, read_only: bool, lock_wait: float = MAX_LOCK_WAIT_SECONDS):
    """A connection to a history file opened as data only (`SAFE_CONFIG`), waiting up to
    `lock_wait` seconds for another run that holds it. Raises HfspecError: HF807 when the file
    stays locked, HF803 when it cannot be written, HF100 when it is no DuckDB file."""
    import duckdb

    deadline = time.monotonic() + lock_wait
    pause = 0.02
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only, config=SAFE_CONFIG)
        except duckdb.IOException as error:
            text = str(error)
            if _LOCKED in text.lower() and time.monotonic() < deadline:
                time.sleep(pause)
                pause = min(pause * 2, 0.25)
                continue
            raise _open_problem(path, text, read_only) from None


def _open_problem(path: Path, text: str, read_only: bool) -> HfspecError:
    first = text.splitlines()[0] if text else "cannot be opened"
    first = first.removeprefix("IO Error: ")
    if _LOCKED in first.lower():
        return HfspecError([Diagnostic("HF807", Message("history.in_use", path=path, detail=Message("common.verbatim", text=first)), None,
                                       hint=Message("history.in_use_hint", seconds=round(MAX_LOCK_WAIT_SECONDS)))])
    if not read_only and ("permission denied" in first.lower() or "read-only" in first.lower() or "is a directory" in first.lower()):
        return HfspecError([Diagnostic("HF803", Message("history.cannot_write", path=path, detail=Message("common.verbatim", text=first)), None,
                                       hint=Message("history.cannot_write_hint"))])
    return HfspecError([Diagnostic("HF100", Message("history.not_history", path=path, detail=Message("common.verbatim", text=first)), None,
                                   hint=Message("history.not_history_hint"))])


def check_tables(con, path: Path, new_ok: bool) -> bool:
    """Whether the file holds hfspec's tables (False for an empty file when `new_ok`). Anything
    else is HF100: a view or another table, a column that is not hfspec's (or is computed), a
    macro. Nothing in the file is read before this has passed."""
    objects = con.execute("SELECT table_schema, table_name, table_type FROM information_schema.tables "
                          "WHERE table_catalog = current_database()").fetchall()
    found = {name: kind for schema, name, kind in objects if schema == "main"}
    problems = [Message("history.object", kind=kind.lower(), name=f"{schema}.{name}") for schema, name, kind in objects
                if schema != "main" or name not in TABLES or kind != "BASE TABLE"]
    problems += [Message("history.macro", name=name)
                 for (name,) in con.execute("SELECT DISTINCT function_name FROM duckdb_functions() WHERE NOT internal").fetchall()]
    if not problems and not found and new_ok:
        return False
    for table, columns in TABLES.items():
        if table not in found:
            problems.append(Message("history.no_table", table=table))
            continue
        actual = con.execute("SELECT column_name, data_type, column_default IS NULL AND is_generated = 'NEVER' FROM information_schema.columns "
                             "WHERE table_catalog = current_database() AND table_schema = 'main' AND table_name = ? ORDER BY ordinal_position",
                             [table]).fetchall()
        expected = [(name, typ, True) for name, typ in columns]
        older = expected[:len(expected) - len(ADDED_COLUMNS.get(table, ()))]
        if [tuple(row) for row in actual] not in (expected, older):
            problems.append(Message("history.columns_differ", table=table))
    if problems:
        raise HfspecError([Diagnostic("HF100", Message("history.holds", path=path, problems=tuple(problems[:5])), None,
                                      hint=Message("history.new_file_hint"))])
    return True


def check_file(path: Path) -> None:
    """Before the work: raise HF803 or HF100 now for a history file that a run could not be stored
    in or read from (a folder; a file that is not an hfspec history file). A file that does not
    exist yet is fine: storing creates it."""
    path = Path(path)
    if path.is_dir():
        raise _open_problem(path, "Is a directory", read_only=False)
    if path.exists():
        con = connect(path, read_only=True)
        try:
            check_tables(con, path, new_ok=True)
        finally:
            con.close()


def store_run(path: Path, catalogue_files: Iterable[Path], data_files: Iterable[Path], result: Result, label: str | None = None,
              lock_wait: float = MAX_LOCK_WAIT_SECONDS) -> StoredRun:
    """Store a run unless the same catalogue, data and settings are stored already; all of it
    in one transaction, or nothing."""
    cat_hash, data_hash = hash_files(catalogue_files), hash_files(data_files)
    columns: list[list[Any]] = [[] for _ in TABLES["results"]]
    for ir in result.indicators:
        for r in ir.rows:
            value, n = published(r.value, r.n, r.suppressed, result.suppress_below, r.hides_n)
            row = [None, ir.spec.id, ir.spec.title.da, ir.spec.title.en, ir.spec.type, ir.spec.unit, r.period,
                   json.dumps(r.by, ensure_ascii=False, sort_keys=True), float(value) if isinstance(value, (int, float)) else None,
                   n, r.suppressed, r.status, json.dumps(list(r.total_over))]
            for column, cell in zip(columns, row):
                column.append(cell)
    import duckdb

    con = connect(path, read_only=False, lock_wait=lock_wait)
    try:
        con.execute("BEGIN TRANSACTION")
        check_tables(con, path, new_ok=True)
        for statement in SCHEMA:  # a new file gets the tables, an older one the columns it lacks
            con.execute(statement)
        existing = con.execute(
            "SELECT run_id, stamp, label FROM runs WHERE catalogue_hash = ? AND data_hash = ? AND suppress_below = ? "
            "AND period_from IS NOT DISTINCT FROM ? AND period_to IS NOT DISTINCT FROM ?",
            [cat_hash, data_hash, result.suppress_below, result.period_from, result.period_to]).fetchone()
        if existing:
            con.execute("ROLLBACK")
            return StoredRun(existing[0], existing[1], cat_hash, data_hash, existing[2], False)
        run_id = con.execute("SELECT coalesce(max(run_id), 0) + 1 FROM runs").fetchone()[0]
        stamp = dt.datetime.now().replace(microsecond=0)
        con.execute("INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [run_id, stamp, cat_hash, data_hash, result.suppress_below, result.period_from, result.period_to, label])
        columns[0] = [run_id] * len(columns[1])
        # one statement for all the results: each column a list, zipped back into rows by unnest
        con.execute("INSERT INTO results SELECT " + ", ".join(f"unnest(?::{typ}[])" for _, typ in TABLES["results"]), columns)
        con.execute("COMMIT")
        return StoredRun(run_id, stamp, cat_hash, data_hash, label, True)
    except duckdb.IOException as error:  # the disk is full, or the file went away
        raise _open_problem(path, str(error), read_only=False) from None
    finally:
        con.close()  # without COMMIT, DuckDB rolls the transaction back


def load_history(path: Path, lock_wait: float = MAX_LOCK_WAIT_SECONDS) -> tuple[list[dict], list[dict]]:
    """(runs, results) as plain dicts, oldest run first (none for an empty DuckDB file, as a store
    killed before its first run leaves). Raises HfspecError (HF100, HF807) for a file that is not
    an hfspec history file (or is damaged) or stays locked."""
    import duckdb

    con = connect(path, read_only=True, lock_wait=lock_wait)
    try:
        if not check_tables(con, path, new_ok=True):  # an empty DuckDB file: a store that was never completed
            return [], []
        runs = con.execute("SELECT run_id, stamp, catalogue_hash, data_hash, label FROM runs ORDER BY stamp, run_id").fetchall()
        over = "total_over" if con.execute("SELECT count(*) FROM information_schema.columns WHERE table_schema = 'main' AND table_name = 'results' "
                                           "AND column_name = 'total_over'").fetchone()[0] else "NULL"
        results = con.execute(f"SELECT run_id, indicator, period, by_json, value, n, suppressed, status, {over} FROM results ORDER BY run_id").fetchall()
    except duckdb.Error as error:  # a damaged file
        raise _open_problem(path, str(error), read_only=True) from None
    finally:
        con.close()
    if (any(r[0] is None or r[1] is None for r in runs)
            or any(r[0] is None or r[1] is None or _by(r[3]) is None or _over(r[8]) is None for r in results)):
        raise HfspecError([Diagnostic("HF100", Message("history.foreign_rows", path=path), None, hint=Message("history.new_file_hint"))])
    return ([dict(zip(("run_id", "stamp", "catalogue_hash", "data_hash", "label"), r)) for r in runs],
            [dict(zip(("run_id", "indicator", "period", "by", "value", "n", "suppressed", "status", "total_over"),
                      (r[0], r[1], r[2], _by(r[3]), r[4], r[5], r[6], r[7], _over(r[8])))) for r in results])


def _by(text: Any) -> dict | None:
    """A stored breakdown (`by_json`) as a dict of plain values, or None when it is not one."""
    try:
        value = json.loads(text)
    except (TypeError, ValueError):
        return None
    if not isinstance(value, dict) or not all(isinstance(v, (str, int, float, bool)) or v is None for v in value.values()):
        return None
    return value


def _over(text: Any) -> tuple[str, ...] | None:
    """A stored `total_over` as a tuple of breakdown names (empty for a group, and for a run
    stored before totals), or None when it is not one."""
    if text is None:
        return ()
    try:
        value = json.loads(text)
    except (TypeError, ValueError):
        return None
    return tuple(value) if isinstance(value, list) and all(isinstance(v, str) for v in value) else None


def at_k(rows: list[ResultRow], k: int, is_count: bool, is_share: bool = False) -> list[ResultRow]:
    """Stored cells as the current output may show them: suppressed again at the output's k,
    whatever k they were stored with (a run stored with `--suppress-below 0` holds small counts).
    A cell hidden when stored stays hidden.

    >>> [r.suppressed for r in at_k([ResultRow("X", None, {}, 4, 4, False, None), ResultRow("X", None, {}, 90, 90, False, None)], 5, True)]
    [True, False]
    """
    out = []
    for r in rows:
        hidden = r.suppressed or suppress(r.n, r.value, is_count, k, is_share)
        out.append(replace(r, suppressed=hidden, status=None if hidden else r.status))
    return out


def stored_rows(results: list[dict]) -> dict[tuple[int, str], list[ResultRow]]:
    """The stored results of `load_history` as result cells, per (run, key figure). A stored value
    is a DOUBLE: a whole number is given back as an int (a count reads 95, not 95,0)."""
    out: dict[tuple[int, str], list[ResultRow]] = {}
    for r in results:
        value = r["value"]
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        out.setdefault((r["run_id"], r["indicator"]), []).append(
            ResultRow(r["indicator"], r["period"], dict(r["by"]), value, r["n"], bool(r["suppressed"]), r["status"], tuple(r["total_over"])))
    return out
