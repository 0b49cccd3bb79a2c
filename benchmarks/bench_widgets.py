"""Widget update times in the kernel (no browser) and the wall time of the whole nbval run.

Run: ``make bench`` (or ``.venv/bin/python benchmarks/bench_widgets.py``). Prints the median time
from setting an input to the outputs being updated. Targets: under 20 ms for the calculators,
under 150 ms for widgets that rebuild a figure; each lesson under 10 s in the nbval run.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from sarcoma_edu import widgets

ROOT = Path(__file__).resolve().parent.parent


def median_ms(change: Callable[[int], None], repeats: int = 40) -> float:
    """Median milliseconds of ``change(i)`` (each call sets one input, which updates the outputs)."""
    times = []
    for i in range(repeats):
        start = time.perf_counter()
        change(i)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    """Print each widget's median update time against its target, then the nbval timings."""
    staging = widgets.StagingCalculator()
    grading = widgets.FnclccCalculator()
    mapped = widgets.StagingCalculator(show_map=True)
    planner = widgets.TreatmentPlanner()
    explorer = widgets.PathwayExplorer()
    histologies = [v for _, v in explorer.histology.options]
    cases = [
        ("staging calculator", 20, lambda i: setattr(staging.size, "value", 1.0 + i % 30)),
        ("FNCLCC calculator", 20, lambda i: setattr(grading.mitoses, "value", i % 40)),
        ("staging calculator + stage map figure", 150, lambda i: setattr(mapped.size, "value", 1.0 + i % 30)),
        ("treatment planner (options + timeline)", 150, lambda i: setattr(planner.staging.size, "value", 1.0 + i % 30)),
        (
            "pathway explorer (Sankey)",
            150,
            lambda i: setattr(explorer.histology, "value", histologies[i % len(histologies)]),
        ),
    ]
    for name, target, change in cases:
        ms = median_ms(change)
        print(f"{name}: median {ms:.1f} ms per input change (target under {target} ms)")

    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "notebooks", "-q", "--durations=0", "-p", "no:randomly"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    total = time.perf_counter() - start
    per_notebook: dict[str, float] = {}
    for line in done.stdout.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[0].endswith("s") and "::" in parts[2]:
            name = parts[2].split("::")[0].split("/")[-1]
            per_notebook[name] = per_notebook.get(name, 0.0) + float(parts[0][:-1])
    print(f"nbval run of every lesson: {total:.1f} s wall time, exit code {done.returncode}")
    for name, seconds in sorted(per_notebook.items()):
        print(f"  {name}: {seconds:.2f} s including kernel start (target: under 10 s)")


if __name__ == "__main__":
    main()
