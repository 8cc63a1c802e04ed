#!/usr/bin/env python3
"""Benchmark: `hfspec report` against `hfspec eval` on the same catalogue and data, as whole processes.

    python bench/report_vs_eval.py [DATA] [--catalogue FILE] [--rounds 7]

Each round runs `hfspec eval [CATALOGUE] [DATA] --format json` and `hfspec report [CATALOGUE]
[DATA] --out <tmp>.html` one after the other (which one goes first alternates from round to round,
so that neither always meets a warmer or colder machine), after one untimed warm-up of each. It
prints the median wall seconds of each command and the median of the per-round ratio
report / eval. The redesign asks for a ratio of at most 2. Without DATA: the shipped demo data
and the national catalogue.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def hfspec_command() -> list[str]:
    exe = shutil.which("hfspec", path=str(Path(sys.executable).parent)) or shutil.which("hfspec")
    return [exe] if exe else [sys.executable, "-m", "hfspec"]


def timed(args: list[str]) -> float:
    """Wall seconds of one whole process; a failing command stops the benchmark with its output."""
    start = time.perf_counter()
    run = subprocess.run(args, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if run.returncode != 0:
        sys.exit(f"{' '.join(args)} failed ({run.returncode}):\n{run.stdout[-2000:]}{run.stderr[-2000:]}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", help="a data folder (default: the shipped demo data)")
    parser.add_argument("--catalogue", help="a catalogue file or folder (default: the national catalogue)")
    parser.add_argument("--rounds", type=int, default=7, help="timed rounds after the warm-up (default 7)")
    opts = parser.parse_args()
    hf = hfspec_command()
    positional: list[str] = []
    if opts.catalogue or opts.data:
        from hfspec.resources import national_catalogue

        positional = [opts.catalogue or str(national_catalogue())] + ([opts.data] if opts.data else [])
    with tempfile.TemporaryDirectory() as tmp:
        out = str(Path(tmp) / "report.html")
        eval_cmd = [*hf, "eval", *positional, "--format", "json"]
        report_cmd = [*hf, "report", *positional, "--out", out]
        timed(eval_cmd), timed(report_cmd)  # warm-up: file caches, the project cache, byte code
        evals, reports, ratios = [], [], []
        for i in range(opts.rounds):
            if i % 2:
                r, e = timed(report_cmd), timed(eval_cmd)
            else:
                e, r = timed(eval_cmd), timed(report_cmd)
            evals.append(e), reports.append(r), ratios.append(r / e)
            print(f"round {i + 1}: eval {e:.2f} s, report {r:.2f} s, ratio {r / e:.2f}", file=sys.stderr)
    print(f"eval   median {statistics.median(evals):.2f} s")
    print(f"report median {statistics.median(reports):.2f} s")
    print(f"ratio  median {statistics.median(ratios):.2f} (report / eval, per round; {opts.rounds} rounds)")


if __name__ == "__main__":
    main()
