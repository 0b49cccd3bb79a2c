"""Lessons read without code: setup and display cells are collapsed, the code a student reads stays visible."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_SPEC = importlib.util.spec_from_file_location("collapse_code", ROOT / "scripts" / "collapse_code.py")
collapse_code = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(collapse_code)


def test_every_lesson_cell_is_collapsed_or_visible_as_the_rule_says():
    """`scripts/collapse_code.py --check` finds no lesson cell whose collapsed state disagrees with the rule."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "collapse_code.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout


@pytest.mark.parametrize(
    ("source", "tags", "collapsed"),
    [
        pytest.param(
            "from sarcoma_edu.widgets.calculators import StagingCalculator", [], True, id="an import cell is collapsed"
        ),
        pytest.param("StagingCalculator(show_map=True)", [], True, id="a widget call is collapsed"),
        pytest.param("store = ProgressStore()\ntumour_board(progress=store)", [], True, id="a widget built on setup"),
        pytest.param('load_tests().query("kind == \'biopsy\'")[["name"]]', [], True, id="a table display is collapsed"),
        pytest.param(
            'print(stage("leg", 7, "high").explanation)',
            ["nbval-check-output"],
            False,
            id="a checked cell whose code asks the question stays visible",
        ),
        pytest.param('print(stage("leg", 7, "high").stage)', [], False, id="a cell that prints a result stays visible"),
        pytest.param("# type your groupby below this line\n", [], False, id="a cell that speaks to the student"),
        pytest.param("x = 1", [], False, id="an assignment with nothing shown stays visible"),
    ],
)
def test_the_rule_collapses_setup_and_display_cells_only(source, tags, collapsed):
    """Setup and display cells are collapsed; printed results, comments and plain code stay visible."""
    assert collapse_code.should_collapse(source, tags) is collapsed


def _cells(name: str) -> list[dict]:
    return json.loads((ROOT / "notebooks" / name).read_text(encoding="utf-8"))["cells"]


def test_lesson_06_keeps_all_its_code_visible():
    """Lesson 06 teaches pandas, so none of its code cells is collapsed."""
    assert not [c["id"] for c in _cells("06_cases.ipynb") if collapse_code.is_collapsed(c)]


@pytest.mark.parametrize(
    "name",
    [
        "00_welcome.ipynb",
        "01_what_is_sarcoma.ipynb",
        "02_grade.ipynb",
        "03_staging.ipynb",
        "04_metastasis.ipynb",
        "05_treatment.ipynb",
        "07_quiz.ipynb",
        "08_tumour_board.ipynb",
        "09_class_report.ipynb",
        "10_make_it_yours.ipynb",
    ],
)
def test_a_lesson_collapses_its_setup_cell_and_keeps_its_checked_cells_visible(name):
    """In lessons 00-05 and 07-10 the first code cell (setup) is collapsed and no checked-output cell is."""
    code = [c for c in _cells(name) if c["cell_type"] == "code"]
    assert collapse_code.is_collapsed(code[0])
    assert code[0]["metadata"]["jupyter"] == {"source_hidden": True}
    checked = [c for c in code if "nbval-check-output" in c["metadata"].get("tags", [])]
    assert checked and not [c["id"] for c in checked if collapse_code.is_collapsed(c)]


def test_applying_the_rule_twice_changes_nothing(tmp_path):
    """The script is idempotent: on a lesson already following the rule it writes no change."""
    copy = tmp_path / "03_staging.ipynb"
    copy.write_text((ROOT / "notebooks" / "03_staging.ipynb").read_text(encoding="utf-8"), encoding="utf-8")
    before = copy.read_text(encoding="utf-8")
    assert collapse_code.apply(copy) == 0
    assert copy.read_text(encoding="utf-8") == before
