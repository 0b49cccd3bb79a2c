"""Run every lesson top to bottom in a fresh kernel, as a student pressing "Run All" would.

Used by `make binder-check` with the Binder environment's Python: it proves that the pinned
Binder stack runs every lesson. Each lesson runs in a temporary copy of the lessons folder (so
nothing is written into the repository), with quiz progress kept in that folder too.
Prints the time each lesson takes; exits 1 naming the lesson and cell if any cell fails.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def main() -> int:
    lessons = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    if not lessons:
        print(f"no lessons found in {NOTEBOOKS}", file=sys.stderr)
        return 1
    failed = []
    with tempfile.TemporaryDirectory(prefix="sarcoma-edu-lessons-") as folder:
        os.environ["SARCOMA_EDU_PROGRESS"] = str(Path(folder) / "progress.sqlite3")
        for path in lessons:
            copy = Path(folder) / path.name
            shutil.copyfile(path, copy)
            notebook = nbformat.read(copy, as_version=4)
            start = time.perf_counter()
            try:
                NotebookClient(
                    notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": folder}}
                ).execute()
            except CellExecutionError as error:
                failed.append(path.name)
                print(f"FAILED {path.name}: {str(error).splitlines()[-1] if str(error) else error}")
                continue
            print(f"ran {path.name} in {time.perf_counter() - start:.1f} s")
    if failed:
        print(f"{len(failed)} lesson(s) failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    print(f"all {len(lessons)} lessons ran without an error")
    return 0


if __name__ == "__main__":
    sys.exit(main())
