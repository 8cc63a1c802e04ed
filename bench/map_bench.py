#!/usr/bin/env python3
"""How fast `hfspec map` turns 100,000 citizens' exports into the standard data.

    python bench/map_bench.py [--citizens 100000] [--runs 3]

Data: `examples/demo/generate.py --citizens N` (the standard data), then
`examples/exports/generate.py` on it for every citizen (`--kommune ''`, the case-system export as
a `;` CSV: a workbook of 100,000 rows × 113 columns is not what anyone exports); the shipped
mappings, with the case-system pattern changed to `*.csv`. All of it goes to `bench/data/map/`
(git-ignored) and is made again only for other arguments.

Measured:

1. `hfspec map` as a whole process (interpreter, imports, reading, mapping, checking, writing
   Parquet), N runs after one untimed warm-up: wall, CPU (user + system) and peak RSS; round
   robin with the same work written by hand in DuckDB (`bench/duckdb_map.py`: no checks, no row
   numbers), and the ratio of the two;
2. one run in-process with every phase timed (reading each file into DuckDB, the mapping steps,
   pseudonymising, the checks across datasets, writing);
3. pseudonymising three ways on the same CPR numbers: distinct values hashed once in Python and
   joined (what hfspec does), a DuckDB Python UDF called row by row, and hashing every row in
   Python.

Results go to stdout and `bench/results/map_latest.md`.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DATA = BENCH / "data" / "map"


def ensure_data(citizens: int, seed: int) -> dict[str, int]:
    stamp = DATA / "generated.json"
    wanted = {"citizens": citizens, "seed": seed}
    if not (stamp.is_file() and json.loads(stamp.read_text())["args"] == wanted):
        if DATA.exists():
            shutil.rmtree(DATA)
        DATA.mkdir(parents=True)
        print(f"generating the standard data ({citizens} citizens) ...", file=sys.stderr)
        subprocess.run([sys.executable, str(ROOT / "examples" / "demo" / "generate.py"), "--citizens", str(citizens), "--seed", str(seed),
                        "--out", str(DATA / "standard")], check=True, stdout=sys.stderr)
        print("generating the exports ...", file=sys.stderr)
        out = subprocess.run([sys.executable, str(ROOT / "examples" / "exports" / "generate.py"), "--data", str(DATA / "standard"),
                              "--kommune", "", "--case-format", "csv", "--out", str(DATA / "exports")], check=True, capture_output=True, text=True)
        counts = {line.split(":")[0]: int(line.split(":")[1].split()[0]) for line in out.stdout.splitlines() if ":" in line}
        mappings = DATA / "exports" / "mappings"
        shutil.copytree(ROOT / "examples" / "exports" / "mappings", mappings)
        for name in ("borgere.yaml", "status.yaml", "bolig.yaml"):
            path = mappings / name
            text = (path.read_text(encoding="utf-8").replace("Borgerforloeb_*.xlsx", "Lejemaal_*.csv" if name == "bolig.yaml" else "Borgerforloeb_*.csv")
                    .replace("    sheet: Forløb\n", "").replace("    sheet: Lejemål\n", ""))
            path.write_text(text, encoding="utf-8")
        key = DATA / "key" / "pseudonym.key"
        sys.path.insert(0, str(ROOT))
        from hfspec.data.pseudonym import write_key

        write_key(key)
        stamp.write_text(json.dumps({"args": wanted, "counts": counts}))
    return json.loads(stamp.read_text())["counts"]


def sizes() -> dict[str, tuple[int, int]]:
    """(files, bytes) of each export."""
    out = {}
    for kind in ("sagssystem", "tid", "sel110"):
        files = [p for p in (DATA / "exports" / "eksport" / kind).iterdir() if p.is_file()]
        out[kind] = (len(files), sum(p.stat().st_size for p in files))
    return out


def whole_process(runs: int, handwritten: bool = False, warmup: bool = True) -> list[tuple[float, float, int]]:
    """(wall s, CPU s, peak RSS MB) of `hfspec map` runs, or of the hand-written DuckDB baseline
    (bench/duckdb_map.py) with `handwritten`."""
    command = [sys.executable, "-m", "hfspec", "map", str(DATA / "exports" / "mappings"), "--key", str(DATA / "key" / "pseudonym.key"),
               "--format", "parquet"]
    if handwritten:
        command = [sys.executable, str(BENCH / "duckdb_map.py"), str(DATA / "exports" / "eksport"), str(DATA / "key" / "pseudonym.key")]
    timer = shutil.which("time") and Path("/usr/bin/time").is_file()
    results = []
    for i in range(runs + warmup):
        out = Path(tempfile.mkdtemp(prefix="hfspec-map-bench-"))
        try:
            full = (["/usr/bin/time", "-f", "%M %U %S"] if timer else []) + command + ([str(out / "data")] if handwritten else ["--out", str(out / "data")])
            start = time.perf_counter()
            done = subprocess.run(full, capture_output=True, text=True, env={**os.environ, "PYTHONDONTWRITEBYTECODE": ""})
            wall = time.perf_counter() - start
            if done.returncode != 0:
                raise SystemExit(f"{' '.join(command[:3])} failed:\n{done.stdout}\n{done.stderr}")
            if timer:
                rss, user, system = done.stderr.strip().splitlines()[-1].split()
                cpu, peak = float(user) + float(system), int(rss) // 1024
            else:
                cpu, peak = float("nan"), 0
        finally:
            shutil.rmtree(out, ignore_errors=True)
        if i or not warmup:  # the first run warms the file cache and the project cache
            results.append((wall, cpu, peak))
    return results


def phases() -> tuple[dict[str, float], dict[str, int]]:
    """One `hfspec map` in-process, each phase timed (seconds, summed over calls), and the rows."""
    sys.path.insert(0, str(ROOT))
    import duckdb

    from hfspec.data import mapping, pseudonym
    from hfspec.exports import write
    from hfspec.spec.project import load_project

    timed: dict[str, float] = {}

    def wrap(owner, name: str, label: str) -> None:
        original = getattr(owner, name)

        def timed_call(*args, **kwargs):
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                timed[label] = timed.get(label, 0.0) + time.perf_counter() - start
        setattr(owner, name, timed_call)

    wrap(mapping, "load_text_table", "read the files into DuckDB (text)")
    wrap(pseudonym, "pseudonymise", "pseudonymise (distinct CPR numbers hashed, in Python)")
    wrap(mapping._Mapping, "run_steps", "mapping steps, reading included")
    wrap(mapping._Mapping, "check_cells", "cell checks of the datasets")
    wrap(mapping._Run, "keys", "key checks")
    wrap(mapping._Run, "references", "reference checks")
    wrap(write, "write_folder", "write Parquet")
    start = time.perf_counter()
    project = load_project([DATA / "exports" / "mappings"])
    timed["load the mappings"] = time.perf_counter() - start
    con = duckdb.connect()
    out = Path(tempfile.mkdtemp(prefix="hfspec-map-bench-"))
    try:
        start = time.perf_counter()
        result = mapping.run_mappings(con, project, [m.spec.dataset for m in project.mappings.values()], key_file=DATA / "key" / "pseudonym.key")
        timed["run_mappings total"] = time.perf_counter() - start
        write.write_folder(con, result, out / "data", "parquet")
    finally:
        shutil.rmtree(out, ignore_errors=True)
    rows = {ds: report.rows("written") for ds, report in result.reports.items()}
    rows["people"] = max(r.people for r in result.reports.values())
    return timed, rows


def pseudonym_ways(limit_rows: int = 500_000) -> list[tuple[str, int, float]]:
    """(way, rows, seconds) of three ways to pseudonymise the CPR numbers of the time registration."""
    sys.path.insert(0, str(ROOT))
    import duckdb

    from hfspec.data.pseudonym import find_key

    key = find_key(DATA / "key" / "pseudonym.key")
    con = duckdb.connect()
    files = str(DATA / "exports" / "eksport" / "tid" / "*.csv")
    con.execute(f"CREATE TABLE t AS SELECT replace(\"CPR-nr.\", '-', '') AS cpr FROM read_csv('{files}', delim=';', header=true, "
                "all_varchar=true, encoding='latin-1')")
    rows = con.execute("SELECT count(*) FROM t").fetchone()[0]
    out = []
    start = time.perf_counter()
    values = [r[0] for r in con.execute("SELECT DISTINCT cpr FROM t").fetchall()]
    hashed = [key.pseudonym(v) for v in values]
    con.execute("CREATE TABLE m AS SELECT unnest(?::VARCHAR[]) AS cpr, unnest(?::VARCHAR[]) AS p", [values, hashed])
    con.execute("CREATE TABLE joined AS SELECT m.p FROM t JOIN m USING (cpr)")
    out.append((f"distinct values hashed in Python ({len(values):,} people), joined in DuckDB", rows, time.perf_counter() - start))
    con.create_function("pseudo", key.pseudonym, ["VARCHAR"], "VARCHAR", side_effects=False)
    con.execute(f"CREATE TABLE sample AS SELECT cpr FROM t LIMIT {limit_rows}")
    start = time.perf_counter()
    con.execute("CREATE TABLE udf AS SELECT pseudo(cpr) AS p FROM sample")
    out.append(("DuckDB Python UDF, called row by row", limit_rows, time.perf_counter() - start))
    sample = [r[0] for r in con.execute("SELECT cpr FROM sample").fetchall()]
    start = time.perf_counter()
    [key.pseudonym(v) for v in sample]
    out.append(("every row hashed in Python", limit_rows, time.perf_counter() - start))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--citizens", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=2021)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    counts = ensure_data(args.citizens, args.seed)
    load_before = os.getloadavg()[0]
    runs, base = whole_process(0), whole_process(0, handwritten=True)  # untimed warm-ups
    for _ in range(args.runs):  # round robin, so that both see the same load
        runs += whole_process(1, warmup=False)
        base += whole_process(1, handwritten=True, warmup=False)
    timed, rows = phases()
    ways = pseudonym_ways()
    load_after = os.getloadavg()[0]
    files = sizes()
    walls = [r[0] for r in runs]
    lines = [
        f"# `hfspec map` on {args.citizens:,} citizens' exports",
        "",
        f"Load average {load_before:.2f} before, {load_after:.2f} after; {os.cpu_count()} CPUs.",
        "",
        "| export | files | MB | rows |",
        "|---|---:|---:|---:|",
    ]
    names = {"sagssystem": "eksport/sagssystem", "tid": "eksport/tid", "sel110": "eksport/sel110"}
    for kind, (n, size) in files.items():
        lines.append(f"| {kind} | {n} | {size / 1e6:.1f} | {counts.get(names[kind], 0):,} |")
    lines += ["", "| `hfspec map … --format parquet` (whole process) | median | min–max |", "|---|---:|---:|",
              f"| wall (s) | {statistics.median(walls):.2f} | {min(walls):.2f}–{max(walls):.2f} |",
              f"| CPU (s) | {statistics.median(r[1] for r in runs):.2f} | |",
              f"| peak RSS (MB) | {statistics.median(r[2] for r in runs):.0f} | |",
              "", "| hand-written DuckDB (bench/duckdb_map.py, no checks), whole process | median | min–max |", "|---|---:|---:|",
              f"| wall (s) | {statistics.median(r[0] for r in base):.2f} | {min(r[0] for r in base):.2f}–{max(r[0] for r in base):.2f} |",
              f"| CPU (s) | {statistics.median(r[1] for r in base):.2f} | |",
              f"| peak RSS (MB) | {statistics.median(r[2] for r in base):.0f} | |",
              "", f"Ratio hfspec / hand-written: **{statistics.median(walls) / statistics.median(r[0] for r in base):.2f}× wall**, "
                  f"**{statistics.median(r[1] for r in runs) / statistics.median(r[1] for r in base):.2f}× CPU**.",
              "", "Rows written: " + ", ".join(f"{k} {v:,}" for k, v in rows.items() if k != "people") + f"; {rows['people']:,} people pseudonymised.",
              "", "| phase (one run in-process) | s |", "|---|---:|"]
    lines += [f"| {name} | {seconds:.2f} |" for name, seconds in timed.items()]
    lines += ["", "| pseudonymising the time registration's CPR column | rows | s | µs per row |", "|---|---:|---:|---:|"]
    lines += [f"| {way} | {n:,} | {s:.2f} | {s / n * 1e6:.2f} |" for way, n, s in ways]
    text = "\n".join(lines) + "\n"
    print(text)
    (BENCH / "results").mkdir(exist_ok=True)
    (BENCH / "results" / "map_latest.md").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
