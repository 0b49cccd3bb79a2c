"""Make nbval's `nbval-check-output` cell tag meaningful for notebooks committed without outputs.

nbval compares a cell's new output with the output stored in the notebook, and skips the
comparison when the stored cell never ran. Our notebooks are committed stripped, so the expected
output of every cell tagged ``nbval-check-output`` (cell metadata, invisible to students) lives in
``tests/notebook_outputs.json`` (keyed by notebook and cell id, reviewed like any test expectation)
and is put back into the cell here before nbval runs it. A tagged cell with no recorded
expectation, or whose code changed since its expectation was recorded, fails with a message
saying how to record it.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent
EXPECTED = ROOT / "tests" / "notebook_outputs.json"
TAG = "nbval-check-output"
MISSING = "no expected output is recorded for this cell: run `make expected` and review the diff\n"
STALE = (
    "this cell's code changed since its expected output was recorded in tests/notebook_outputs.json: "
    "run `make expected` and review the diff\n"
)


def pytest_configure(config):
    """Keep quiz progress written by tests and lesson runs out of the user's home folder."""
    if "SARCOMA_EDU_PROGRESS" not in os.environ:
        folder = tempfile.mkdtemp(prefix="sarcoma-edu-test-progress-")
        os.environ["SARCOMA_EDU_PROGRESS"] = os.path.join(folder, "progress.sqlite3")


def _source(cell) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def pytest_collection_modifyitems(session, config, items):
    """Give every nbval cell tagged nbval-check-output its recorded expected output."""
    expected = json.loads(EXPECTED.read_text(encoding="utf-8")) if EXPECTED.exists() else {}
    for item in items:
        cell = getattr(item, "cell", None)
        if cell is None or TAG not in cell.get("metadata", {}).get("tags", []):
            continue
        notebook = Path(str(item.parent.fspath)).name
        record = expected.get(notebook, {}).get(cell.get("id", ""))
        if record is None:
            outputs = [nbformat.v4.new_output("stream", name="stdout", text=MISSING)]
        elif record["source"] != _source(cell):
            outputs = [nbformat.v4.new_output("stream", name="stdout", text=STALE)]
        else:
            outputs = [nbformat.from_dict(output) for output in record["outputs"]]
        cell["outputs"] = outputs
        cell["execution_count"] = 1
