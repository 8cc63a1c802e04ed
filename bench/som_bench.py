#!/usr/bin/env python3
"""Benchmark of `hfspec som`: the whole command and the Monte Carlo alone.

    python bench/som_bench.py [--scenario vejle] [--runs 5] [--draws 10000] [--seed 1] [--write-docs]

1. The whole process, as a user runs it: `hfspec som SCENARIO --sensitivity --monte-carlo DRAWS
   --seed SEED` (start-up, loading the specs, the base case, one-way sensitivity with the
   switching value, Monte Carlo and the text output), RUNS times after one untimed warm-up;
   wall time and the CPU time of the child process (user + system), median, min and max.
2. In process: `hfspec.som.model.monte_carlo(result, DRAWS, SEED)` alone (sampling, the chunked
   vectorised evaluation and the summaries), RUNS times; the same for `sensitivity()`.

Wall time on a busy machine includes waiting for the CPU; the CPU time shows the work itself,
so both are reported. The Markdown table goes to stdout; with --write-docs it also replaces the
table between `<!-- bench:som -->` and `<!-- /bench:som -->` in docs/som.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DOC = ROOT / "docs" / "som.md"


def hfspec_command() -> list[str]:
    exe = shutil.which("hfspec", path=str(Path(sys.executable).parent)) or shutil.which("hfspec")
    return [exe] if exe else [sys.executable, "-m", "hfspec"]


def time_process(cmd: list[str], runs: int) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of `runs` runs of `cmd` (after one untimed warm-up run)."""
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
    return walls, cpus


def time_call(fn, runs: int) -> tuple[list[float], list[float]]:
    walls, cpus = [], []
    for _ in range(runs):
        start, cpu = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return walls, cpus


def row(name: str, walls: list[float], cpus: list[float]) -> str:
    return (f"| {name} | {statistics.median(walls):.2f} | {min(walls):.2f} | {max(walls):.2f} "
            f"| {statistics.median(cpus):.2f} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="vejle")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--write-docs", action="store_true", help="write the table into docs/som.md")
    args = parser.parse_args()

    cmd = [*hfspec_command(), "som", args.scenario, "--sensitivity", "--monte-carlo", str(args.draws), "--seed", str(args.seed)]
    process = time_process(cmd, args.runs)

    from hfspec.som import model as som
    from hfspec.resources import shipped
    from hfspec.spec.project import load_project

    project = load_project([shipped("specs") / "models", shipped("examples") / "som"])
    result = som.run(project, args.scenario)
    som.monte_carlo(result, args.draws, args.seed)  # warm-up
    mc = time_call(lambda: som.monte_carlo(result, args.draws, args.seed), args.runs)
    sens = time_call(lambda: som.sensitivity(result), args.runs)
    summary = som.monte_carlo(result, args.draws, args.seed)

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lines = [
        f"Scenario `{args.scenario}`, {args.draws:,} draws, seed {args.seed}, {args.runs} runs "
        f"({summary.chunks} chunk{'s' if summary.chunks != 1 else ''} of draws); "
        f"{platform.python_implementation()} {platform.python_version()} on {platform.machine()}, "
        f"{os.cpu_count()} CPUs, load average {load:.1f} at the start; {dt.date.today().isoformat()}.",
        "",
        "| what | median wall s | min s | max s | median CPU s |",
        "|---|---:|---:|---:|---:|",
        row(f"`hfspec som {args.scenario} --sensitivity --monte-carlo {args.draws} --seed {args.seed}` (whole process)", *process),
        row(f"`som.monte_carlo(result, {args.draws}, {args.seed})` in process", *mc),
        row("`som.sensitivity(result)` in process (tornado and switching value)", *sens),
    ]
    table = "\n".join(lines)
    print(table)
    if args.write_docs:
        text = DOC.read_text(encoding="utf-8")
        new, count = re.subn(r"(<!-- bench:som -->\n).*?(<!-- /bench:som -->)", lambda m: m[1] + table + "\n" + m[2], text, flags=re.S)
        if not count:
            print(f"no <!-- bench:som --> markers in {DOC}", file=sys.stderr)
            return 1
        DOC.write_text(new, encoding="utf-8")
        print(f"wrote {DOC}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
