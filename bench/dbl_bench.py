#!/usr/bin/env python3
"""Benchmark: `hfspec dbl` (the overview of every worker, as text and as JSON) as whole processes.

    python bench/dbl_bench.py [DATA] [--rounds 3] [--source DIR]

Runs `hfspec dbl DATA` (text to a file) and `hfspec dbl DATA --format json --out FILE`, after one
untimed warm-up each, and prints the median wall and CPU seconds (user + system) of each. With
`--source DIR`, hfspec is imported from that source tree instead (PYTHONPATH=DIR), so an older
version can be timed on the same machine in the same minutes (`git archive COMMIT | tar -x -C
DIR`); the outputs of both must then be the same, and the script says whether they are. Without
DATA: bench/data/csv (`python bench/run.py --citizens 100000 --runs 1` writes it).
"""

from __future__ import annotations

import argparse
import filecmp
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(args: list[str], env: dict[str, str], cwd: str) -> tuple[float, float]:
    cpu, start = children_cpu(), time.perf_counter()
    run = subprocess.run(args, capture_output=True, text=True, env=env, cwd=cwd)
    if run.returncode != 0:
        sys.exit(f"{' '.join(args)} failed ({run.returncode}):\n{run.stdout[-2000:]}{run.stderr[-2000:]}")
    return time.perf_counter() - start, children_cpu() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", default=str(BENCH / "data" / "csv"), help="a data folder (default: bench/data/csv)")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds after the warm-up (default 3)")
    parser.add_argument("--source", help="time the hfspec of this source tree instead")
    opts = parser.parse_args()
    env = dict(os.environ)
    cwd = os.getcwd()
    if opts.source:
        env["PYTHONPATH"] = str(Path(opts.source).resolve())
        cwd = str(Path(opts.source).resolve())  # its own shipped specs and catalogue
    data = str(Path(opts.data).resolve())
    hf = [sys.executable, "-m", "hfspec"]
    with tempfile.TemporaryDirectory() as tmp:
        text, js = str(Path(tmp) / "dbl.txt"), str(Path(tmp) / "dbl.json")
        commands = {"text": [*hf, "dbl", data, "--out", text], "json": [*hf, "dbl", data, "--format", "json", "--out", js]}
        for args in commands.values():
            timed(args, env, cwd)
        results: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for i in range(opts.rounds):
            for name, args in commands.items():
                results[name].append(timed(args, env, cwd))
                print(f"round {i + 1}: {name} {results[name][-1][0]:.2f} s ({results[name][-1][1]:.2f} s CPU)", file=sys.stderr)
        for name, times in results.items():
            print(f"hfspec dbl ({name}): median {statistics.median(t[0] for t in times):.2f} s wall, "
                  f"{statistics.median(t[1] for t in times):.2f} s CPU ({opts.rounds} rounds)")
        keep = BENCH / "data" / "dbl-outputs"  # git-ignored
        keep.mkdir(parents=True, exist_ok=True)
        suffix = "-source" if opts.source else ""
        for path in (text, js):
            target = keep / f"dbl{suffix}{Path(path).suffix}"
            target.write_bytes(Path(path).read_bytes())
        if opts.source and (keep / "dbl.txt").exists():
            same = filecmp.cmp(keep / "dbl.txt", keep / "dbl-source.txt", shallow=False) and filecmp.cmp(keep / "dbl.json", keep / "dbl-source.json", shallow=False)
            print("outputs: " + ("the same as this tree's last run" if same else "DIFFERENT from this tree's last run"))


if __name__ == "__main__":
    main()
