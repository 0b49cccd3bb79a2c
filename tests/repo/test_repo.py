"""The repository keeps its promises: README links exist, notebooks carry no outputs, imports stay light."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_readme_starts_with_the_two_commands():
    """The first code block of the README is `make lab` then `make test`."""
    block = re.search(r"```bash\n(.*?)```", README, re.S).group(1)
    commands = [line.split("#")[0].strip() for line in block.splitlines() if line.strip()]
    assert commands == ["make lab", "make test"]


DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), ROOT / "datasets" / "README.md"]
LOCAL_LINKS = sorted(
    {
        (doc.relative_to(ROOT).as_posix(), target)
        for doc in DOCS
        for target in re.findall(r"\]\(([^)#\s]+)", doc.read_text(encoding="utf-8"))
        if not target.startswith(("http://", "https://"))
    }
)


def test_readme_has_local_links():
    """The README links to repository files (so the link check below checks something)."""
    assert sum(doc == "README.md" for doc, _ in LOCAL_LINKS) >= 3


@pytest.mark.parametrize(("doc", "target"), LOCAL_LINKS, ids=[f"{d}->{t}" for d, t in LOCAL_LINKS])
def test_readme_and_docs_links_exist(doc, target):
    """Every relative link or image in the README and docs/ points at a file or folder in the repository."""
    assert ((ROOT / doc).parent / target).exists(), f"{doc} links to {target}, which does not exist"


def test_readme_names_only_existing_notebooks():
    """Every notebooks/NN_name.ipynb the README mentions exists."""
    for name in re.findall(r"notebooks/(\d\d_\w+\.ipynb)", README):
        assert (ROOT / "notebooks" / name).exists(), name


def test_there_are_notebooks():
    """At least the welcome notebook exists, so nbval always has a notebook to run."""
    assert (ROOT / "notebooks" / "00_welcome.ipynb") in NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_committed_without_outputs(path):
    """Notebooks are committed with no outputs and no execution counts."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [] and cell.get("execution_count") is None, path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_opens_with_title_and_disclaimer(path):
    """Each notebook's first cell is a '#' title and the opening says it is not medical advice."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    assert cells[0]["cell_type"] == "markdown" and "".join(cells[0]["source"]).startswith("# ")
    opening = "".join("".join(c["source"]) for c in cells[:3])
    assert "not medical advice" in opening


def test_import_does_not_load_plotting_or_widgets():
    """`import sarcoma_edu` loads neither plotly nor ipywidgets (they load only where figures are built)."""
    code = "import sys, sarcoma_edu; print(sorted(m for m in ('plotly', 'ipywidgets') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert done.stdout.strip() == "[]"


def test_every_checked_cell_has_a_current_expectation():
    """Each cell tagged `nbval-check-output` has a recorded expected output, recorded from its current code."""
    expected = json.loads((ROOT / "tests" / "notebook_outputs.json").read_text(encoding="utf-8"))
    checked = 0
    for path in NOTEBOOKS:
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            source = "".join(cell["source"])
            if cell["cell_type"] == "code" and "nbval-check-output" in cell["metadata"].get("tags", []):
                checked += 1
                record = expected.get(path.name, {}).get(cell["id"])
                assert record is not None, f"{path.name} cell {cell['id']}: run `make expected`"
                assert record["source"] == source, f"{path.name} cell {cell['id']} changed: run `make expected`"
                assert record["outputs"], f"{path.name} cell {cell['id']} prints nothing to check"
    assert checked >= 1


def test_test_markers_are_cell_tags_not_student_text():
    """No lesson cell carries an nbval marker comment (checks are cell tags); notebooks/ holds no expectations."""
    found = [
        f"{path.name} cell {cell['id']}"
        for path in NOTEBOOKS
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]
        if "NBVAL_" in "".join(cell["source"])
    ]
    assert not found, "nbval marker comments in lesson cells (use the cell tag instead): " + ", ".join(found)
    assert not list((ROOT / "notebooks").glob("*.json"))


LESSONS = [p for p in NOTEBOOKS if p.name[:2].isdigit()]


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_lesson_structure(path):
    """A lesson opens with objectives, estimated time and disclaimer; ends with a 3+ question self-check and sources."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    text = ["".join(c["source"]) for c in cells]
    opening = "\n".join(text[:3])
    assert "Learning objectives" in opening and "Estimated time:" in opening
    checks = [t for t in text if t.startswith("## Self-check")]
    assert len(checks) == 1
    recorded = 0  # a self-check may be recorded questions: a self_check(lesson) cell just after the heading
    after = text.index(checks[0]) + 1
    if any(t.startswith("self_check(") for t in text[after : after + 2]):
        from sarcoma_edu.course.exercises import load_exercises

        recorded = sum(e.role == "self-check" for e in load_exercises(path.stem))
    assert checks[0].count("<details><summary>Show answer</summary>") + recorded >= 3
    assert any(t.startswith("## Sources") for t in text[-3:])
    assert "TODO" not in "\n".join(text)


def test_navigation_is_current():
    """scripts/build_navigation.py --check finds every lesson's navigation and the lesson map up to date."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_navigation.py"), "--check"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout


def test_readme_lists_every_lesson():
    """Every numbered lesson appears in the README's lesson table."""
    for path in LESSONS:
        assert f"notebooks/{path.name}" in README, path.name


def _question_counts_script():
    """scripts/update_question_counts.py as a module."""
    spec = importlib.util.spec_from_file_location(
        "update_question_counts", ROOT / "scripts" / "update_question_counts.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks itself up there
    spec.loader.exec_module(module)
    return module


def test_stated_number_of_quiz_questions_is_the_number_in_the_banks():
    """Every "N questions" in the README, docs and lessons is the bank count; a failure names each line to update."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "update_question_counts.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, "the quiz banks changed size; update these lines:\n" + done.stdout + done.stderr


def test_the_count_script_rewrites_only_stale_numbers_in_a_copy(tmp_path):
    """update_question_counts.py names file:line and the new number, then rewrites them, leaving the rest as it was."""
    script = _question_counts_script()
    count = script.bank_count()
    (tmp_path / "docs").mkdir()
    (tmp_path / "notebooks").mkdir()
    readme = tmp_path / "README.md"
    readme.write_bytes(f"# Course\r\nA quiz of 3 questions.\r\nStill {count} questions here, 12 items.\r\n".encode())
    lesson = tmp_path / "notebooks" / "07_quiz.ipynb"
    lesson.write_text(json.dumps({"cells": [{"source": ["The quiz: 5 questions on eight topics"]}]}))
    stale = [s.describe(tmp_path, count) for s in script.statements(tmp_path) if s.stated != count]
    assert stale == [
        f"README.md:2: says '3 questions'; the banks hold {count}: write '{count} questions'",
        f"notebooks/07_quiz.ipynb:1: says '5 questions'; the banks hold {count}: write '{count} questions'",
    ]
    assert script.main(["--check", "--root", str(tmp_path)]) == 1
    assert script.main(["--root", str(tmp_path)]) == 0
    assert readme.read_bytes() == (
        f"# Course\r\nA quiz of {count} questions.\r\nStill {count} questions here, 12 items.\r\n".encode()
    )
    assert json.loads(lesson.read_text())["cells"][0]["source"] == [f"The quiz: {count} questions on eight topics"]
    assert script.main(["--check", "--root", str(tmp_path)]) == 0
