"""The history store loses nothing and reads nothing it should not (issue 20): a run killed while
it stores leaves only whole runs, two runs storing at once both land, a busy, unwritable or
foreign file is a diagnostic, and a DuckDB file hfspec did not write is opened as data only.

Real processes throughout: `hfspec eval --store` as a subprocess, killed with SIGKILL; another
process holding the file's lock."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from hfspec.diagnostics import HfspecError
from hfspec.engine.history import load_history, store_run
from hfspec.session import Session, Settings

ROOT = Path(__file__).resolve().parent.parent
EVAL = [sys.executable, "-m", "hfspec", "eval", "--suppress-below", "0", "--not-for-publication", "--format", "csv"]
#: The key figures the killed runs compute: over a thousand results from one small data file, so
#: that a run is quick and storing takes a moment.
KILLED = [*EVAL, *[a for i in ("HF-S-01", "HF-S-02", "HF-S-03", "HF-S-04", "HF-S-05") for a in ("-i", i)]]


def _runs(store: Path) -> dict[int, int]:
    """Stored runs: run id → number of results."""
    runs, results = load_history(store)
    return {r["run_id"]: sum(1 for x in results if x["run_id"] == r["run_id"]) for r in runs}


@pytest.fixture(scope="module")
def whole(tmp_path_factory) -> int:
    """The number of results a whole run of the national catalogue on the demo data has."""
    store = tmp_path_factory.mktemp("whole") / "h.duckdb"
    done = subprocess.run([*KILLED, "--store", store], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    [count] = _runs(store).values()
    assert count > 100
    return count


def _writing(pid: int, path: Path) -> bool:
    """Whether the process has the file open for writing (Linux: its descriptors in /proc). The
    check before the work opens it read-only; storing opens it for reading and writing."""
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            if os.readlink(f"/proc/{pid}/fd/{fd}") == str(path):
                flags = Path(f"/proc/{pid}/fdinfo/{fd}").read_text().split("flags:")[1].split()[0]
                if int(flags, 8) & (os.O_WRONLY | os.O_RDWR):
                    return True
    except (OSError, IndexError):  # it ended, or closed a descriptor while we looked
        pass
    return False


#: Runs killed in the test below (about 1.3 s each).
KILLS = 12


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to see when the run opens its store")
def test_a_run_killed_while_storing_leaves_only_whole_runs(tmp_path, whole):
    """SIGKILL at seeded random points after the run has opened its store (and one before): the
    store holds whole runs or none, and the next identical run stores its results (it says
    "already stored" only if a killed run had committed a whole run)."""
    rng = random.Random(20)
    store = tmp_path / "h.duckdb"
    landed_in_store = 0
    for attempt in range(KILLS):
        proc = subprocess.Popen([*KILLED, "--store", str(store)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            if attempt == 0:
                time.sleep(rng.uniform(0.05, 0.3))  # before anything is stored
            else:
                deadline = time.monotonic() + 60
                while not _writing(proc.pid, store) and proc.poll() is None and time.monotonic() < deadline:
                    time.sleep(0.001)
                landed_in_store += proc.poll() is None
                time.sleep(rng.uniform(0, 0.1))  # somewhere inside storing (it takes about 0.1 s)
            proc.send_signal(signal.SIGKILL)
        finally:
            proc.wait()
        if store.exists():
            assert set(_runs(store).values()) <= {whole}, "a killed run left part of its results"
    assert landed_in_store >= KILLS // 2
    before = _runs(store) if store.exists() else {}
    done = subprocess.run([*KILLED, "--store", store], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert ("HF804" in done.stderr) == bool(before)
    assert list(_runs(store).values()) == [whole]


def _hold_lock(store: Path, seconds: float) -> subprocess.Popen:
    """Another process with the history file open for `seconds` (DuckDB locks the file)."""
    code = f"import duckdb, time; c = duckdb.connect({str(store)!r}); print('held', flush=True); time.sleep({seconds})"
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    return holder


def test_two_runs_storing_at_once_both_land(tmp_path, whole):
    """Both runs find the file locked (another process holds it) and wait; then both store."""
    store = tmp_path / "h.duckdb"
    store_run(store, [], [], _small_result())  # an hfspec history file, with one run
    holder = _hold_lock(store, 1.5)
    runs = [subprocess.Popen([*EVAL, "--store", str(store), "--label", label, "-i", "HF-P-01", *extra], stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True) for label, extra in (("a", []), ("b", ["--to", "2021"]))]
    outcomes = [(p.wait(), p.stderr.read()) for p in runs]
    holder.wait()
    assert [code for code, _ in outcomes] == [0, 0], outcomes
    runs_stored, _ = load_history(store)
    assert sorted(r["label"] for r in runs_stored if r["label"]) == ["a", "b"]


def test_a_file_locked_for_too_long_is_hf807(tmp_path):
    store = tmp_path / "h.duckdb"
    store_run(store, [], [], _small_result())
    holder = _hold_lock(store, 3600)  # until killed: were the wait not bounded, this test would not end
    try:
        with pytest.raises(HfspecError) as caught:
            store_run(store, [], [], _small_result(k=3), lock_wait=0.5)
        assert [d.code for d in caught.value.diagnostics] == ["HF807"]
        with pytest.raises(HfspecError) as caught:
            load_history(store, lock_wait=0.2)
        assert [d.code for d in caught.value.diagnostics] == ["HF807"]
    finally:
        holder.kill()
        holder.wait()


def _small_result(k: int = 0):
    with Session(settings=Settings(k=k)) as session:
        return session.evaluate(["HF-P-01"])


# -- files hfspec did not write ------------------------------------------------------------------

def _foreign(path: Path, *statements: str) -> Path:
    con = duckdb.connect(str(path))
    for statement in statements:
        con.execute(statement)
    con.close()
    return path


HOSTILE = {
    "runs is a view over /etc/passwd": ["CREATE VIEW runs AS SELECT * FROM read_csv('/etc/passwd', header=false, sep=':')",
                                        "CREATE TABLE results (run_id INTEGER)"],
    "an extra view": ["CREATE TABLE runs AS SELECT 1 AS run_id", "CREATE VIEW leak AS SELECT * FROM read_text('/etc/passwd')"],
    "a macro": ["CREATE MACRO evil(x) AS x + 1"],
    "tables of another program": ["CREATE TABLE customers (id INTEGER, name VARCHAR)"],
    "a computed column": ["CREATE TABLE runs (run_id INTEGER PRIMARY KEY, stamp TIMESTAMP, catalogue_hash VARCHAR, data_hash VARCHAR, "
                          "suppress_below INTEGER, period_from VARCHAR, period_to VARCHAR, label VARCHAR GENERATED ALWAYS AS (upper(catalogue_hash)))"],
}


@pytest.mark.parametrize("statements", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_foreign_duckdb_file_is_refused_for_history_and_store(tmp_path, run_cli, statements):
    store = _foreign(tmp_path / "h.duckdb", *statements)
    code, output = run_cli(["report", "--history", store, "--out", tmp_path / "r.html"])
    assert code == 1 and "HF100" in output and "root:" not in output, output
    code, output = run_cli(["eval", "-i", "HF-P-01", "--store", store])
    assert code == 1 and "HF100" in output and "root:" not in output, output
    assert not (tmp_path / "r.html").exists()


def test_a_history_file_is_opened_without_file_access(tmp_path):
    """Even if a view passed the checks, it could not read a file: SQL has no file access."""
    from hfspec.engine.history import connect

    store = _foreign(tmp_path / "h.duckdb", "CREATE TABLE t (a INTEGER)")
    con = connect(store, read_only=True)
    try:
        with pytest.raises(duckdb.Error, match="disabled by configuration"):
            con.execute("SELECT * FROM read_csv('/etc/passwd')")
        with pytest.raises(duckdb.Error):
            con.execute("SET enable_external_access = true")
    finally:
        con.close()


def test_damaged_rows_are_hf100_not_a_crash(tmp_path, run_cli):
    store = tmp_path / "h.duckdb"
    store_run(store, [], [], _small_result())
    con = duckdb.connect(str(store))
    con.execute("UPDATE results SET by_json = '{not json'")
    con.close()
    code, output = run_cli(["report", "--history", store, "--out", tmp_path / "r.html"])
    assert code == 1 and "HF100" in output, output


@pytest.mark.parametrize("content", [b"", b"not a database\n" * 100, bytes(range(256)) * 64])
def test_a_file_that_is_not_duckdb_is_hf100(tmp_path, run_cli, content):
    store = tmp_path / "h.duckdb"
    store.write_bytes(content)
    for args in (["eval", "-i", "HF-P-01", "--store", store], ["report", "--history", store, "--out", tmp_path / "r.html"]):
        code, output = run_cli(args)
        assert code == 1 and "HF100" in output and "Traceback" not in output, output


def test_a_store_that_cannot_be_written_is_hf803(tmp_path, run_cli):
    from tests.test_output_safety import unwritable_folder

    for store in (tmp_path, unwritable_folder(tmp_path) / "h.duckdb"):
        code, output = run_cli(["eval", "-i", "HF-P-01", "--store", store])
        assert code == 1 and "HF803" in output and "Traceback" not in output, output


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="file modes do not stop root")
def test_a_read_only_store_is_hf803(tmp_path, run_cli):
    store = tmp_path / "h.duckdb"
    store_run(store, [], [], _small_result())
    store.chmod(0o444)
    code, output = run_cli(["eval", "-i", "HF-P-01", "--store", store, "--suppress-below", "3"])
    assert code == 1 and "HF803" in output and "Traceback" not in output, output
