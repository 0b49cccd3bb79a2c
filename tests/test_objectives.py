"""The learning objectives table: every row is valid, ids are unique, and each lesson has its objectives."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sarcoma_edu import DatasetError, data, load_objectives
from sarcoma_edu import objectives as objectives_module
from sarcoma_edu.objectives import unknown_objectives

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted(p.stem for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@pytest.fixture
def edited(tmp_path, monkeypatch):
    """A copy of datasets/ that a test may edit, used instead of the real one."""
    copy = tmp_path / "datasets"
    shutil.copytree(ROOT / "datasets", copy)
    monkeypatch.setattr(data, "_datasets_root", lambda: copy)
    data.load_table.cache_clear()
    objectives_module.load_objectives.cache_clear()
    yield copy
    data.load_table.cache_clear()
    objectives_module.load_objectives.cache_clear()


def _rewrite(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_every_lesson_has_two_or_more_objectives_in_the_table():
    """Each lesson 00 to 09 has at least two rows in objectives.csv, and no row names a lesson that does not exist."""
    lessons = [o.lesson for o in load_objectives().values()]
    assert sorted(set(lessons)) == LESSONS
    assert all(lessons.count(lesson) >= 2 for lesson in LESSONS)


def test_objectives_are_listed_in_course_order():
    """The table lists lesson 00's objectives first and lesson 09's last, each lesson's rows together."""
    lessons = [o.lesson for o in load_objectives().values()]
    assert lessons == sorted(lessons)


def test_a_known_id_is_known_and_a_misspelt_one_is_not():
    """staging-nodal-rule is an objective; staging-nodal-rules is reported as unknown."""
    assert unknown_objectives(["staging-nodal-rule", "staging-nodal-rules"]) == ["staging-nodal-rules"]


def test_an_objective_says_what_thinking_it_asks(edited):
    """A row whose kind is not recall, apply or analyse is refused, naming the row and the allowed kinds."""
    _rewrite(edited / "objectives.csv", "read a treatment timeline,apply,", "read a treatment timeline,remember,")
    expected = r"objectives.csv, row \d+, column 'kind': 'remember' is not allowed; .*analyse"
    with pytest.raises(DatasetError, match=expected):
        load_objectives()


def test_an_id_must_be_kebab_case(edited):
    """An id with capitals or spaces is refused, naming the row and saying what an id looks like."""
    _rewrite(edited / "objectives.csv", "staging-nodal-rule,", "Staging nodal rule,")
    with pytest.raises(DatasetError, match=r"column 'id': 'Staging nodal rule' is not allowed; expected kebab-case"):
        load_objectives()


def test_an_id_used_twice_is_refused(edited):
    """Two rows with one id would merge two objectives' records: the second row is named with the first."""
    _rewrite(edited / "objectives.csv", "staging-no-stage-group,", "staging-nodal-rule,")
    with pytest.raises(DatasetError, match=r"'staging-nodal-rule' is already used by row \d+"):
        load_objectives()


def _build(*args: str) -> subprocess.CompletedProcess:
    script = ROOT / "scripts" / "build_objectives.py"
    return subprocess.run([sys.executable, str(script), *args], capture_output=True, text=True, timeout=60, check=False)


def test_every_lesson_lists_its_objectives_as_the_table_gives_them():
    """Each lesson's "Learning objectives" list is exactly the table's rows for it, in order (build --check passes)."""
    done = _build("--check")
    assert done.returncode == 0, done.stderr


def test_a_list_edited_by_hand_is_rewritten_from_the_table():
    """A hand-edited objectives list is rewritten to the table's list; the time and the disclaimer are kept."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import build_objectives

    lesson = json.loads((ROOT / "notebooks" / "03_staging.ipynb").read_text(encoding="utf-8"))
    cell = build_objectives.objectives_cell(lesson)
    text = "".join(cell["source"])
    edited = text.replace("find the stage group", "find the stage")
    assert edited != text
    objectives = [o for o in load_objectives().values() if o.lesson == "03_staging"]
    rebuilt, problems = build_objectives.rebuilt_text(edited, objectives, "03_staging")
    assert problems == [] and rebuilt == text
    assert "**Estimated time:** 30 minutes." in rebuilt and "Educational use only" in rebuilt
