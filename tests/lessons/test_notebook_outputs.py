"""Checked lesson outputs: a cell tagged nbval-check-output matches its recorded expectation or fails clearly."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]


def _course(tmp_path: Path, recorded_source: str | None, recorded_text: str = "IIIA\n") -> Path:
    """A tiny course folder: the real conftest, one notebook with one tagged cell, and its expectations."""
    shutil.copy(ROOT / "conftest.py", tmp_path / "conftest.py")
    (tmp_path / "tests").mkdir()
    (tmp_path / "notebooks").mkdir()
    cell = nbformat.v4.new_code_cell('print("IIIA")', id="c1", metadata={"tags": ["nbval-check-output"]})
    notebook = nbformat.v4.new_notebook(cells=[cell])
    nbformat.write(notebook, tmp_path / "notebooks" / "lesson.ipynb")
    expected = {}
    if recorded_source is not None:
        output = {"output_type": "stream", "name": "stdout", "text": recorded_text}
        expected = {"lesson.ipynb": {"c1": {"source": recorded_source, "outputs": [output]}}}
    (tmp_path / "tests" / "notebook_outputs.json").write_text(json.dumps(expected), encoding="utf-8")
    return tmp_path


def _run(folder: Path) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "pytest", "--nbval-lax", "-p", "no:randomly", "-p", "no:cacheprovider"]
    return subprocess.run([*command, "notebooks/lesson.ipynb"], cwd=folder, capture_output=True, text=True, timeout=240)


@pytest.mark.parametrize(
    ("recorded_source", "recorded_text", "passes", "message"),
    [
        pytest.param('print("IIIA")', "IIIA\n", True, "", id="a cell printing what was recorded passes"),
        pytest.param('print("IIIA")', "IIIB\n", False, "IIIB", id="a cell printing something else fails"),
        pytest.param(None, "", False, "no expected output is recorded", id="a cell with no expectation fails"),
        pytest.param('print("IV")', "IIIA\n", False, "code changed since", id="a cell whose code changed fails"),
    ],
)
def test_a_tagged_cell_is_checked_against_its_recorded_output(
    tmp_path, recorded_source, recorded_text, passes, message
):
    """A tagged cell passes only when its current code and output match the recording, and says how to re-record."""
    done = _run(_course(tmp_path, recorded_source, recorded_text))
    assert (done.returncode == 0) is passes, done.stdout[-3000:]
    assert message in done.stdout
    if not passes and message != "IIIB":
        assert "make expected" in done.stdout
