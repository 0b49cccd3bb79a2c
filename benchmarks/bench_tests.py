"""Test-loop benchmark: how long `make check` and `make test` take on this machine.

Prints, for each run: the wall-clock time against its target (``make check`` under 2 minutes, ``make
test`` under 10 minutes on two cores, the installation not counted here), the processor time it used
(user and system, over every process it started: less sensitive to what else runs on the machine than
the wall-clock time), the machine's load average before and after (other work running at the same time
slows the run), the tests run and the slowest ones.

    python benchmarks/bench_tests.py          # lint-imports, then the pytest run of `make check`
    python benchmarks/bench_tests.py --all    # then the pytest run of `make test` as well

Both runs use the Makefile's own command lines (``make -n check`` and ``make -n test``), so this measures
what the targets run. ``make test`` needs the browser and hub pieces (``make browser-deps hub-deps``).
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shlex
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {"check": 120.0, "test": 600.0}  # seconds


def _commands(target: str) -> list[str]:
    """The commands ``make <target>`` runs after its prerequisites (lint-imports and pytest)."""
    dry = subprocess.run(["make", "-n", "--no-print-directory", target], cwd=ROOT, capture_output=True, text=True)
    dry.check_returncode()
    return [line for line in dry.stdout.splitlines() if "lint-imports" in line or "-m pytest" in line]


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(target: str) -> int:
    """Run one target's commands; print its figures; return the exit status of the first that failed."""
    load = os.getloadavg()[0]
    cpu, started = _children_cpu(), time.monotonic()
    status, output = 0, ""
    for command in _commands(target):
        argv = shlex.split(command)
        if "pytest" in argv and "--durations" not in command:
            argv.append("--durations=5")
        done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True)
        output += done.stdout
        if done.returncode:
            status = done.returncode
            print(done.stdout[-3000:], done.stderr[-2000:], sep="\n", file=sys.stderr)
            break
    seconds, used = time.monotonic() - started, _children_cpu() - cpu
    summary = re.findall(r"^=+ (.*(?:passed|failed).*) =+$", output, re.M)
    if status:
        print(f"make {target}: failed (exit status {status}) after {seconds:.0f} s; no time to report")
        return status
    verdict = "within" if seconds <= TARGETS[target] else "OVER"
    print(f"make {target}: {seconds / 60:.1f} min wall ({verdict} the {TARGETS[target] / 60:.0f} min target)")
    print(f"  {used / 60:.1f} min of processor time; load average {load:.1f} before, {os.getloadavg()[0]:.1f} after")
    if summary:
        print(f"  {summary[-1]}")
    slowest = re.findall(r"^\s*(\d+\.\d+)s (call|setup|teardown)\s+(\S.*)$", output, re.M)
    for secs, when, test in slowest[:5]:
        print(f"  {float(secs):6.1f} s {when:8} {test}")
    return status


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="also time the pytest run of `make test`")
    options = parser.parse_args()
    status = _run("check")
    if options.all:
        status = _run("test") or status
    return status


if __name__ == "__main__":
    sys.exit(main())
