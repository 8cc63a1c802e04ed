"""The fast read and the paths beside it must agree with the plain text path.

Ingestion reads a file once, straight into its typed table, and numbers rows by the new table's
rowid instead of a window function; a Parquet column that already has the spec's type is taken
as it is instead of going through text. These tests hold those shortcuts to the text path:
- hypothesis writes the same cells as a text-only Parquet file (every cell goes through the text
  parsing a CSV cell gets) and as a natively typed one; tables, warnings and diagnostics must be
  identical, bad cells (nan, inf, 12.5 in an integer column, values out of range) included;
- a file big enough to be read in parallel must get the right row number on every row, and on
  problems found deep inside it.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path
from textwrap import dedent

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hfspec.diagnostics import HfspecError
from hfspec.data.cells import FALSE_WORDS, MAX_DATE, MIN_DATE, TRUE_WORDS, typed_sql
from hfspec.data.ingest import load_data
from hfspec.spec.model import ColumnSpec
from hfspec.spec.project import load_project

SPEC = dedent("""\
    kind: Dataset
    id: t
    key: [id]
    columns:
      id: {type: string, pseudonym: true}
      i: {type: integer, min: 0, max: 100, required: false}
      x: {type: number, min: -1000, required: false}
      b: {type: boolean, required: false}
      d: {type: date, min: 2000-01-01, required: false}
      e: {type: enum, values: [a, b], required: false}
    """)
TYPES = {"id": "VARCHAR", "i": "BIGINT", "x": "DOUBLE", "b": "BOOLEAN", "d": "DATE", "e": "VARCHAR"}


def _datasets(folder: Path):
    if folder not in _LOADED:
        (folder / "spec.yaml").write_text(SPEC, encoding="utf-8")
        _LOADED[folder] = load_project([folder / "spec.yaml"], standard=False).datasets
    return _LOADED[folder]


_LOADED: dict[Path, dict] = {}


def _load(datasets, folder: Path):
    """(rows of the typed table in row order, the problems as (code, message)) — problems either
    refused (HfspecError) or, with allow_invalid_rows, the warnings and the table without them."""
    con = duckdb.connect()
    try:
        result = load_data(con, datasets, folder, needed=["t"], allow_invalid_rows=True)
    except HfspecError as error:
        return None, sorted((d.code, d.text("en")) for d in error.diagnostics)
    rows = con.execute("SELECT * FROM t ORDER BY __row").fetchall()
    return rows, sorted((d.code, d.text("en")) for d in result.warnings)


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    return a == b


# Cells as typed values (written natively) or text (written as text in both files).
good_i = st.integers(0, 100)
good_x = st.one_of(st.integers(-1000, 10**6).map(lambda v: v / 8), st.floats(-1000, 1e9, allow_nan=False))
cells = {
    "i": st.one_of(st.none(), good_i, st.integers(-5, 200), st.sampled_from(["12.5", "abc", " 7 ", "+3", "1e3"])),
    "x": st.one_of(st.none(), good_x, st.sampled_from([math.nan, math.inf, -math.inf, -5000.0]), st.sampled_from(["12,5", "x", "nan"])),
    "b": st.one_of(st.none(), st.booleans(), st.sampled_from(["ja", "t", "maybe"])),
    "d": st.one_of(st.none(), st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)), st.sampled_from(["30-06-2021", "2021/06/30", "soon"])),
    "e": st.one_of(st.none(), st.sampled_from(["a", "b", "c", " a", ""])),
}
ids = st.one_of(st.integers(1, 40).map(lambda v: f"B{v:03d}"), st.just("0101901234"))
rows = st.lists(st.fixed_dictionaries({"id": ids, **cells}), min_size=1, max_size=30)


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _write_parquet(folder: Path, data: list[dict], native: bool) -> None:
    """t.parquet with every cell as text, or (native) every column whose cells are all typed
    values of its kind in that DuckDB type."""
    folder.mkdir()
    con = duckdb.connect()
    columns = []
    for name, sql_type in TYPES.items():
        values = [row[name] for row in data]
        kind = {"BIGINT": int, "DOUBLE": float, "BOOLEAN": bool, "DATE": dt.date}.get(sql_type)
        typed = native and kind is not None and all(v is None or (type(v) is kind) for v in values)
        columns.append((name, sql_type if typed else "VARCHAR", values if typed else [_text(v) for v in values]))
    con.execute("CREATE TABLE t (" + ", ".join(f'"{n}" {t}' for n, t, _ in columns) + ")")
    con.executemany("INSERT INTO t VALUES (" + ", ".join("?" for _ in columns) + ")", [[values[r] for _, _, values in columns] for r in range(len(data))])
    con.execute(f"COPY t TO '{folder / 't.parquet'}' (FORMAT parquet)")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=rows)
def test_native_parquet_columns_load_like_text(tmp_path_factory, data):
    base = tmp_path_factory.mktemp("paths")
    datasets = _datasets(tmp_path_factory.getbasetemp())
    _write_parquet(base / "text", data, native=False)
    _write_parquet(base / "native", data, native=True)
    text_rows, text_problems = _load(datasets, base / "text")
    native_rows, native_problems = _load(datasets, base / "native")
    assert native_problems == text_problems
    assert (text_rows is None) == (native_rows is None)
    if text_rows is not None:
        assert len(native_rows) == len(text_rows)
        for a, b in zip(native_rows, text_rows):
            assert all(_same(x, y) for x, y in zip(a, b)), (a, b)


def test_native_parquet_refuses_what_text_refuses(tmp_path):
    """A pandas-style Parquet file: an integer column stored as floats (whole values count, as in
    XLSX; 12.5 does not), nan in a number column, a date before the minimum. Every problem is
    found with its row, and only the bad cells are reported."""
    datasets = _datasets(tmp_path)
    folder = tmp_path / "data"
    folder.mkdir()
    con = duckdb.connect()
    con.execute("CREATE TABLE t AS SELECT * FROM (VALUES ('B1', 12.0, 1.5, true, DATE '2021-01-01', 'a'), "
                "('B2', 12.5, 'nan'::DOUBLE, false, DATE '1999-12-31', 'b'), ('B3', 3.0, 2.0, NULL, NULL, NULL)) v(id, i, x, b, d, e)")
    con.execute(f"COPY t TO '{folder / 't.parquet'}' (FORMAT parquet)")
    with pytest.raises(HfspecError) as refused:
        load_data(duckdb.connect(), datasets, folder, needed=["t"])
    problems = sorted((d.code, d.text("en")) for d in refused.value.diagnostics)
    assert [message.split(":")[0] + " " + code for code, message in problems] == ["t.parquet row 3 HF504", "t.parquet row 3 HF508", "t.parquet row 3 HF514"]
    assert "`nan` in `x`" in problems[0][1] and "`12.5` in `i`" in problems[2][1]
    good = duckdb.connect()
    con.execute("DELETE FROM t WHERE id = 'B2'")
    con.execute(f"COPY t TO '{folder / 't.parquet'}' (FORMAT parquet)")
    load_data(good, datasets, folder, needed=["t"])
    assert good.execute("SELECT i FROM t ORDER BY __row").fetchall() == [(12,), (3,)]


N_ROWS = 400_000


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    """A 400,000-row CSV (≈14 MB, read by several threads); the id holds each row's number."""
    base = tmp_path_factory.mktemp("big")
    datasets = _datasets(base)
    (base / "ok").mkdir()
    lines = ["id,i,x,b,d,e"] + [f"R{row},{row % 100},{row / 4},{'true' if row % 2 else 'false'},2021-{row % 12 + 1:02d}-01,a"
                                for row in range(2, N_ROWS + 2)]
    (base / "ok" / "t.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return base, datasets, lines


def test_row_numbers_follow_the_file_in_a_parallel_read(big):
    base, datasets, _ = big
    con = duckdb.connect()
    load_data(con, datasets, base / "ok", needed=["t"])
    assert con.execute("SELECT count(*), min(__row), max(__row) FROM t").fetchone() == (N_ROWS, 2, N_ROWS + 1)
    assert con.execute("SELECT count(*) FROM t WHERE id <> ('R' || __row)").fetchone()[0] == 0


def test_problems_deep_in_a_big_file_have_their_row(big):
    base, datasets, lines = big
    bad = list(lines)
    bad[250_123 - 1] = "R250123,12.5,1,true,2021-01-01,a"  # line k of the file is row k (header = row 1)
    bad[399_990 - 1] = "R399990,1,1,true,2021-01-01,zz"
    bad[300_000 - 1] = "R7,1,1,true,2021-01-01,a"  # the key of row 7 again
    (base / "bad").mkdir()
    (base / "bad" / "t.csv").write_text("\n".join(bad) + "\n", encoding="utf-8")
    with pytest.raises(HfspecError) as refused:
        load_data(duckdb.connect(), datasets, base / "bad", needed=["t"])
    found = sorted((d.code, d.text("en").split(":")[0], d.span.line) for d in refused.value.diagnostics)
    assert found == [("HF507", "t.csv row 399990", 399990), ("HF512", "t.csv", 300000), ("HF514", "t.csv row 250123", 250123)]
    assert [d.text("en") for d in refused.value.diagnostics if d.code == "HF512"] == ["t.csv: the key (id=R7) appears 2 times: rows 7, 300000"]


def test_rows_keep_their_numbers_when_invalid_rows_are_left_out(big):
    """`--allow-invalid-rows` deletes rows; every other row keeps its number (rules cite them)."""
    base, datasets, lines = big
    bad = list(lines)
    for row in (3, 150_001, 399_999):
        bad[row - 1] = f"R{row},500,1,true,2021-01-01,a"  # i above its maximum
    (base / "skip").mkdir()
    (base / "skip" / "t.csv").write_text("\n".join(bad) + "\n", encoding="utf-8")
    con = duckdb.connect()
    result = load_data(con, datasets, base / "skip", needed=["t"], allow_invalid_rows=True)
    assert result.loaded["t"].skipped_rows == [3, 150_001, 399_999]
    assert con.execute("SELECT count(*), count(*) FILTER (WHERE id <> ('R' || __row)) FROM t").fetchone() == (N_ROWS - 3, 0)
    assert con.execute("SELECT count(*) FROM t WHERE __row IN (3, 150001, 399999)").fetchone()[0] == 0


def test_a_row_with_a_cell_too_many_is_refused_with_its_line(tmp_path):
    """DuckDB's sniffer, left to guess, read such a file as no rows at all; hfspec tells it the
    columns, so the reader refuses the file and names the line."""
    datasets = _datasets(tmp_path)
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "t.csv").write_text("id,i,x,b,d,e\nB1,1,1,true,2021-01-01,a\nB2,2,2,true,2021-01-01,a,extra\n", encoding="utf-8")
    with pytest.raises(HfspecError) as refused:
        load_data(duckdb.connect(), datasets, tmp_path / "d", needed=["t"])
    [problem] = refused.value.diagnostics
    assert problem.code == "HF513" and problem.text("en") == "t.csv line 3 has 7 cells, the header has 6" and problem.span.line == 3


def test_windows_1252_found_late_in_a_file_is_still_read(tmp_path):
    """The start of the file is plain ASCII; the first `ø` (one byte in Windows-1252) comes after
    the part hfspec looks at itself, so DuckDB finds it, and the file is read again transcoded."""
    datasets = _datasets(tmp_path)
    (tmp_path / "d").mkdir()
    lines = ["id,i,x,b,d,e"] + [f"B{row},1,1,true,2021-01-01,a" for row in range(2, 20_000)] + ["Køge1,1,1,ja,30-06-2021,b"]
    (tmp_path / "d" / "t.csv").write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    con = duckdb.connect()
    load_data(con, datasets, tmp_path / "d", needed=["t"])
    assert con.execute("SELECT __row, id, b, d FROM t WHERE e = 'b'").fetchall() == [(20_000, "Køge1", True, dt.date(2021, 6, 30))]


# The text rules of typed_sql, written again in Python: the SQL (with its fast paths for common
# shapes) must give exactly these values.
def _integer_rule(text: str | None, danish: bool) -> int | None:
    t = (text or "").strip(" ") or None
    if t is None:
        return None
    if "," in t or (danish and re.fullmatch(r"-?[0-9]{1,3}(\.[0-9]{3})+(,[0-9]+)?", t)):
        t = t.replace(".", "").replace(",", ".")
    if not re.fullmatch(r"[-+]?[0-9]+", t):
        return None
    value = int(t)
    return value if -(2**63) <= value < 2**63 else None


def _boolean_rule(text: str | None) -> bool | None:
    t = (text or "").strip(" ").lower()
    return True if t in TRUE_WORDS else False if t in FALSE_WORDS else None


cell_texts = st.lists(st.one_of(
    st.text(alphabet="0123456789+-.,e_ x", max_size=8),
    st.integers(-(2**64), 2**64).map(str),
    st.sampled_from(["true", "True", "TRUE", "false", "ja", "Nej", "J", "sand", "falsk", "t", "f", "yes", "no", "1", "0", "-0", "+0", "007"]),
), min_size=1, max_size=40)


@settings(max_examples=80, deadline=None)
@given(texts=cell_texts, danish=st.booleans())
def test_typed_sql_follows_the_text_rules(texts, danish):
    con = duckdb.connect()
    con.execute("CREATE TABLE cells (i INTEGER, v VARCHAR)")
    con.executemany("INSERT INTO cells VALUES (?, ?)", list(enumerate(texts)))
    integer, boolean = ColumnSpec("v", "integer"), ColumnSpec("v", "boolean")
    rows = con.execute(f"SELECT {typed_sql('v', integer, danish)}, {typed_sql('v', boolean, danish)} FROM cells ORDER BY i").fetchall()
    assert [r[0] for r in rows] == [_integer_rule(t, danish) for t in texts]
    assert [r[1] for r in rows] == [_boolean_rule(t) for t in texts]


def _date_rule(text: str | None) -> dt.date | None:
    """ISO dates (also 2021-6-3 and with a time), and 30-06-2021 with `-`, `.` or `/`; only
    between MIN_DATE and MAX_DATE."""
    t = (text or "").strip(" ") or None
    if t is None:
        return None
    if m := re.fullmatch(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})", t) or re.fullmatch(r"([0-9]{4})-([0-9]{2})-([0-9]{2})[T ][0-9:.]+", t):
        y, mo, d = m.groups()
    elif m := re.fullmatch(r"([0-9]{1,2})[-./]([0-9]{1,2})[-./]([0-9]{4})", t):
        d, mo, y = m.groups()
    else:
        return None
    if not MIN_DATE.year <= int(y) <= MAX_DATE.year:
        return None
    try:
        return dt.date(int(y), int(mo), int(d))
    except ValueError:
        return None


date_texts = st.lists(st.one_of(
    st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)).map(lambda d: d.isoformat()),
    st.tuples(st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)), st.sampled_from("-./")).map(lambda x: x[0].strftime(f"%d{x[1]}%m{x[1]}%Y")),
    st.tuples(st.integers(0, 9999), st.integers(0, 13), st.integers(0, 32)).map(lambda x: f"{x[0]:04d}-{x[1]}-{x[2]}"),
    st.text(alphabet="0123456789-./T: ", max_size=12),
    st.sampled_from(["0021-03-22", "1899-12-31", "1900-01-01", "2200-12-31", "2201-01-01", "31-12-1899", "infinity", "epoch",
                     "2021-02-29", "2020-02-29", "2021-06-30T12:00", "2021-06-30 00:00:00"]),
), min_size=1, max_size=40)


@settings(max_examples=80, deadline=None)
@given(texts=date_texts)
def test_typed_sql_reads_dates_by_the_text_rules(texts):
    con = duckdb.connect()
    con.execute("CREATE TABLE cells (i INTEGER, v VARCHAR)")
    con.executemany("INSERT INTO cells VALUES (?, ?)", list(enumerate(texts)))
    rows = con.execute(f"SELECT {typed_sql('v', ColumnSpec('v', 'date'))} FROM cells ORDER BY i").fetchall()
    assert [r[0] for r in rows] == [_date_rule(t) for t in texts]


def test_files_read_in_parallel_report_in_dataset_order(tmp_path):
    """Files are read at the same time; their problems still come in dataset order, every time."""
    folder = tmp_path / "specs"
    folder.mkdir()
    spec = "\n---\n".join(SPEC.replace("id: t\n", f"id: t{i}\n") for i in range(4))
    (folder / "spec.yaml").write_text(spec, encoding="utf-8")
    datasets = load_project([folder / "spec.yaml"], standard=False).datasets
    (tmp_path / "d").mkdir()
    for i in range(4):
        rows = "".join(f"B{r},{r % 100},1,true,2021-01-01,a\n" for r in range(2, 3000 * (4 - i)))
        (tmp_path / "d" / f"t{i}.csv").write_text(f"id,i,x,b,d,e\n{rows}B9,1,1,maybe,2021-01-01,zz\n", encoding="utf-8")
    seen = []
    for _ in range(3):
        with pytest.raises(HfspecError) as refused:
            load_data(duckdb.connect(), datasets, tmp_path / "d")
        seen.append([(d.code, d.text("en")) for d in refused.value.diagnostics])
    assert seen[0] == seen[1] == seen[2]
    files = [message.split()[0].rstrip(":") for _, message in seen[0]]
    assert files == sorted(files) and set(files) == {"t0.csv", "t1.csv", "t2.csv", "t3.csv"}
    assert sorted(code for code, message in seen[0] if message.startswith("t3.csv")) == ["HF506", "HF507", "HF512"]


def test_temporary_copies_are_removed(tmp_path, monkeypatch):
    """XLSX and Windows-1252 files are copied as UTF-8 CSV for reading; the copies do not stay."""
    import openpyxl
    import tempfile

    datasets = _datasets(tmp_path)
    (tmp_path / "d").mkdir()
    book = openpyxl.Workbook()
    book.active.append(["id", "i", "x", "b", "d", "e"])
    book.active.append(["B1", 1, 1.5, True, dt.datetime(2021, 1, 1), "a"])
    book.save(tmp_path / "d" / "t.xlsx")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    con = duckdb.connect()
    load_data(con, datasets, tmp_path / "d", needed=["t"])
    assert con.execute("SELECT id, i FROM t").fetchall() == [("B1", 1)]
    assert list(scratch.iterdir()) == []


@pytest.mark.parametrize("seed", range(12))
def test_garbage_files_are_diagnostics_not_crashes(tmp_path, seed):
    """Random bytes, with and without line breaks, NUL bytes and quotes, as a data file: always
    located diagnostics (HfspecError), never another exception."""
    import random

    rng = random.Random(seed)
    datasets = _datasets(tmp_path)
    (tmp_path / "d").mkdir()
    alphabet = [bytes([b]) for b in range(256)] + [b'"', b",", b";", b"\x00", b"\r"] * 10 + [b"\r\n", b"\n"] * 2
    (tmp_path / "d" / "t.csv").write_bytes(b"".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 4000))))
    with pytest.raises(HfspecError) as refused:
        load_data(duckdb.connect(), datasets, tmp_path / "d", needed=["t"])
    assert refused.value.diagnostics
