"""Run every lesson and record the outputs of its cells tagged `nbval-check-output`.

Usage: ``python scripts/record_expected_outputs.py`` (or ``make expected``). Writes
``tests/notebook_outputs.json``; review the diff like any change to a test's expected
values (each entry shows the cell's code next to its output), then commit it. The tag is nbval's
cell tag, kept in the cell's metadata so students never see it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
TARGET = ROOT / "tests" / "notebook_outputs.json"
TAG = "nbval-check-output"
WIDGET = "application/vnd.jupyter.widget-view+json"


def record(path: Path) -> dict[str, dict[str, object]]:
    """Execute one notebook in its folder and return {cell id: {source, outputs}} for checked cells."""
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(
        notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}
    ).execute()
    found = {}
    for cell in notebook.cells:
        if cell.cell_type == "code" and TAG in cell.metadata.get("tags", []):
            outputs = []
            for output in cell.outputs:
                kept = {k: v for k, v in output.items() if k not in ("execution_count", "metadata")}
                if "data" in kept:  # a widget's random model id: nbval does not compare it, so it is not recorded
                    kept["data"] = {k: v for k, v in kept["data"].items() if k != WIDGET}
                if kept.get("output_type") == "execute_result":
                    kept.update(execution_count=None, metadata={})
                outputs.append(kept)
            found[cell.id] = {"source": cell.source, "outputs": outputs}
    return found


def main() -> int:
    """Record every notebook's checked outputs into tests/notebook_outputs.json."""
    result = {path.name: record(path) for path in sorted(NOTEBOOKS.glob("*.ipynb"))}
    TARGET.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"recorded {sum(map(len, result.values()))} checked cells in {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
