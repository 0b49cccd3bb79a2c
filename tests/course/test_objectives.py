"""The learning objectives table: every row is valid, ids are unique, and each lesson has its objectives."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sarcoma_edu import DatasetError, load_objectives
from sarcoma_edu.clinical import tables as data
from sarcoma_edu.course import objectives as objectives_module
from sarcoma_edu.course.objectives import unknown_objectives

ROOT = Path(__file__).resolve().parents[2]
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


# --- quiz questions carry objectives ------------------------------------------------------------

QUESTION = {
    "id": "class-nodes-q1",
    "topic": "staging",
    "type": "multiple_choice",
    "difficulty": "easy",
    "question": "A 7 cm retroperitoneal sarcoma has spread to nearby lymph nodes only. Which stage?",
    "answers": [{"answer": "IIIB", "correct": True}, {"answer": "IV", "correct": False}],
    "explanation": "In the retroperitoneum N1 M0 is stage IIIB.",
    "source": "AJCC8",
    "objectives": ["staging-nodal-rule"],
}


def _bank(tmp_path: Path, questions: list[dict]) -> Path:
    path = tmp_path / "my-bank.json"
    path.write_text(json.dumps(questions), encoding="utf-8")
    return path


def test_every_builtin_question_names_known_objectives():
    """Every built-in quiz question names one or more objectives, each an id of objectives.csv."""
    from sarcoma_edu import load_bank

    bank = load_bank()
    assert bank and all(q.objectives for q in bank)
    assert {o for q in bank for o in q.objectives} <= set(load_objectives())


def test_an_instructors_question_with_a_known_objective_loads_with_it(tmp_path):
    """An instructor's own question that names staging-nodal-rule loads and carries that id."""
    from sarcoma_edu import load_bank

    (question,) = load_bank(_bank(tmp_path, [QUESTION]))
    assert question.objectives == ("staging-nodal-rule",)


def test_an_unknown_objective_is_a_load_error_naming_file_question_and_id(tmp_path):
    """A misspelt objective id is refused naming the file, the question, the id, and that only known ids are allowed."""
    from sarcoma_edu import QuizBankError, load_bank

    path = _bank(tmp_path, [{**QUESTION, "objectives": ["staging-nodal-rule", "staging-nodes"]}])
    with pytest.raises(QuizBankError) as caught:
        load_bank(path)
    (problem,) = caught.value.problems
    assert str(path) in problem and "question 0 (id 'class-nodes-q1')" in problem
    assert "field 'objectives[1]'" in problem and "'staging-nodes' is not a learning objective" in problem
    assert "an instructor's own too, may use only the ids" in problem


@pytest.mark.parametrize(
    ("objectives", "words"),
    [
        pytest.param(None, "'objectives': is missing", id="no objectives"),
        pytest.param([], "'objectives'", id="an empty list"),
        pytest.param(["Staging nodal rule"], "'objectives[0]'", id="not kebab-case"),
    ],
)
def test_a_question_without_objectives_is_refused(tmp_path, objectives, words):
    """The bank schema requires a non-empty list of kebab-case objective ids on every question."""
    from sarcoma_edu import QuizBankError, load_bank

    question = {k: v for k, v in QUESTION.items() if k != "objectives"}
    if objectives is not None:
        question["objectives"] = objectives
    with pytest.raises(QuizBankError, match=re.escape(words)):
        load_bank(_bank(tmp_path, [question]))


def test_objectives_stay_out_of_the_jupyterquiz_format(tmp_path):
    """to_jupyterquiz() gives jupyterquiz only the fields it knows: no objectives."""
    from sarcoma_edu import load_bank

    (question,) = load_bank(_bank(tmp_path, [QUESTION]))
    assert "objectives" not in question.to_jupyterquiz()


@pytest.mark.parametrize("kind", ["stage", "t_category", "fnclcc_grade", "treatment"])
def test_a_generated_question_assesses_unseen_patients_and_its_rule(kind):
    """Each generated kind names quiz-unseen-patients and the objective of the rule it applies, all known ids."""
    from sarcoma_edu import generate_case_question

    question = generate_case_question(seed=11, kind=kind)
    assert question.objectives[0] == "quiz-unseen-patients" and len(question.objectives) == 2
    assert unknown_objectives(question.objectives) == []


def test_the_class_report_maps_each_built_in_question_to_its_objectives():
    """By default the class report knows st-nodes-retro assesses staging-nodal-rule, so mastery by objective works."""
    import pandas as pd

    from sarcoma_edu.report.analysis import _default_objectives, _questions, mastery

    links, note = _default_objectives(_questions(["st-nodes-retro", "st-ia"], None))
    assert "the objectives each question names" in note
    attempts = pd.DataFrame(
        {
            "student": ["ana", "ana"],
            "attempt_id": [1, 2],
            "question_id": ["st-nodes-retro", "st-ia"],
            "topic": ["staging", "staging"],
            "answer": ["IIIB", "IB"],
            "correct": [True, False],
            "answered_at": ["2026-01-05T10:00:00", "2026-01-05T10:01:00"],
        }
    )
    table = mastery(attempts, "objective", links)
    assert table.loc["ana", "staging-nodal-rule"] == 1.0 and table.loc["ana", "welcome-stage-tumour"] == 0.5
