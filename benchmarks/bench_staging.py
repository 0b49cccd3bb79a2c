"""Staging throughput: stage_frame on 1,000,000 rows against stage() row by row; import cost.

Run: ``make bench`` (or ``.venv/bin/python benchmarks/bench_staging.py [ROWS]``). Prints figures;
the targets (on a 2-core machine) are a vectorised rate at least 100x the per-row rate and
1,000,000 rows in under 1 s. Ratios are measured in one run, so machine noise mostly cancels.
"""

from __future__ import annotations

import subprocess
import sys
import time

import numpy as np
import pandas as pd

from sarcoma_edu import stage, stage_frame

SITES = np.array(["trunk", "extremity", "retroperitoneum", "head_and_neck", "visceral", "arm", "leg"])
GRADES = np.array([1, 2, 3, "G1", "G2", "G3", "GX", "low", "mid", "high", "unknown"], dtype=object)


def make_rows(n: int, seed: int = 1) -> pd.DataFrame:
    """Return n generated patients with every site, grade spelling and some unknown sizes."""
    rng = np.random.default_rng(seed)
    sizes = rng.gamma(2.0, 4.0, n) + 0.1
    sizes[rng.random(n) < 0.02] = np.nan
    return pd.DataFrame(
        {
            "site": SITES[rng.integers(0, len(SITES), n)],
            "size_cm": sizes,
            "grade": GRADES[rng.integers(0, len(GRADES), n)],
            "nodes": rng.random(n) < 0.04,
            "metastasis": rng.random(n) < 0.1,
        }
    )


def import_seconds(module: str, runs: int = 5) -> float:
    """Median seconds for a fresh interpreter to import a module (interpreter start subtracted)."""

    def once(code: str) -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        return time.perf_counter() - start

    base = np.median([once("pass") for _ in range(runs)])
    return float(np.median([once(f"import {module}") for _ in range(runs)]) - base)


def main() -> None:
    """Print rows per second for both paths, their ratio, and the import costs."""
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    frame = make_rows(n)
    stage_frame(frame.head(1000))  # load and compile the tables once

    start = time.perf_counter()
    stage_frame(frame)
    vector_s = time.perf_counter() - start

    sample = frame.head(20_000)
    records = [{**r, "size_cm": None if np.isnan(r["size_cm"]) else r["size_cm"]} for r in sample.to_dict("records")]
    start = time.perf_counter()
    for r in records:
        stage(**r)
    row_s = time.perf_counter() - start

    vector_rate, row_rate = n / vector_s, len(records) / row_s
    print(f"stage_frame: {n:,} rows in {vector_s:.3f} s = {vector_rate:,.0f} rows/s (target: under 1 s)")
    print(f"stage() row by row: {len(records):,} rows in {row_s:.3f} s = {row_rate:,.0f} rows/s")
    print(f"ratio vectorised / row by row: {vector_rate / row_rate:,.0f}x (target: at least 100x)")
    pandas_s, package_s = import_seconds("pandas"), import_seconds("sarcoma_edu")
    print(f"import pandas: {pandas_s * 1000:.0f} ms; import sarcoma_edu (pandas included): {package_s * 1000:.0f} ms")
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, sarcoma_edu; print([m for m in ('plotly', 'ipywidgets') if m in sys.modules])",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    print(f"plotly/ipywidgets loaded by `import sarcoma_edu`: {loaded}")


if __name__ == "__main__":
    main()
