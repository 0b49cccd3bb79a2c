"""Objectives coverage: every objective is assessed as its table row says, and docs/teaching.md shows the counts."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sarcoma_edu import generate_case, load_cases, load_objectives
from sarcoma_edu.clinical import tables as data
from sarcoma_edu.course.case_files import CaseError
from sarcoma_edu.course.coverage import MIN_QUIZ_QUESTIONS, coverage, coverage_problems, load_exercises

ROOT = Path(__file__).resolve().parents[2]
AWAITING = ROOT / "tests" / "cases" / "objectives_awaiting_exercises.txt"
COVERAGE = coverage()


def _awaiting() -> list[str]:
    lines = AWAITING.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def test_the_coverage_table_in_the_teaching_guide_is_up_to_date():
    """docs/teaching.md shows the counts the data give (build_coverage.py --check passes)."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_coverage.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize(
    "row", COVERAGE.query("assessed_by == 'quiz'").to_dict("records"), ids=lambda row: row["objective"]
)
def test_an_objective_assessed_by_quiz_has_at_least_three_quiz_questions(row):
    """Each objective marked 'quiz' is named by 3 or more quiz questions (built-in banks and generated kinds)."""
    assert row["quiz_questions"] >= MIN_QUIZ_QUESTIONS, row


@pytest.mark.parametrize(
    "row", COVERAGE.query("assessed_by == 'case'").to_dict("records"), ids=lambda row: row["objective"]
)
def test_an_objective_assessed_by_case_has_a_case_step(row):
    """Each objective marked 'case' is named by at least one step of a built-in tumour-board case."""
    assert row["case_steps"] >= 1, row


def test_too_few_questions_is_named_with_the_objective_and_the_counts():
    """An objective marked 'quiz' with 2 questions is reported with its id, its lesson and the rule."""
    table = COVERAGE.copy()
    table.loc[table.objective == "staging-nodal-rule", "quiz_questions"] = 2
    assert coverage_problems(table) == [
        "staging-nodal-rule (03_staging): 2 quiz question(s); an objective assessed by quiz needs at least 3"
    ]


def test_every_objective_not_marked_none_has_an_exercise_or_is_listed_as_awaiting_one():
    """An objective without an in-lesson exercise must be listed in objectives_awaiting_exercises.txt."""
    lacking = COVERAGE.query("assessed_by != 'none' and exercises == 0").objective.tolist()
    missing = sorted(set(lacking) - set(_awaiting()))
    assert not missing, f"no in-lesson exercise assesses {missing}; add one in datasets/exercises/"


def test_the_awaiting_list_names_only_objectives_still_without_an_exercise():
    """Each id in objectives_awaiting_exercises.txt is an objective with no exercise yet (delete it once one exists)."""
    listed = _awaiting()
    assert len(listed) == len(set(listed))
    assert set(listed) <= set(load_objectives())
    done = COVERAGE[COVERAGE.objective.isin(listed) & (COVERAGE.exercises > 0)].objective.tolist()
    assert not done, f"{done} have an exercise now: delete them from {AWAITING.name}"


def test_every_built_in_case_step_names_known_objectives():
    """Each step of each built-in case names one or more objectives, all ids of objectives.csv."""
    known = set(load_objectives())
    for case in load_cases():
        for step in case.steps:
            assert step.objectives and set(step.objectives) <= known, (case.id, step.id)


def test_a_generated_case_step_names_the_board_objective_and_its_rule():
    """A new patient's steps carry board-work-case and the objective of the rule each step applies."""
    steps = {step.kind: step.objectives for step in generate_case(2026).steps}
    assert steps["stage"] == ("board-work-case", "staging-stage-group")
    assert all(ids[0] == "board-work-case" for ids in steps.values())


def test_a_case_step_with_an_unknown_objective_is_refused_naming_file_step_and_id(tmp_path):
    """A case file whose step names a misspelt objective is refused naming the file, the step and the id."""
    raw = json.loads((ROOT / "datasets" / "cases" / "06-head-neck.json").read_text(encoding="utf-8"))
    bad = copy.deepcopy(raw)
    bad["id"] = "my-neck-case"
    bad["steps"][0]["objectives"] = ["staging-tnm"]
    path = tmp_path / "my-neck-case.json"
    path.write_text(json.dumps(bad), encoding="utf-8")
    with pytest.raises(CaseError) as caught:
        load_cases(path)
    text = "\n".join(caught.value.problems)
    assert (
        str(path) in text and "step 0 (id 't-category')" in text and "'staging-tnm' is not a learning objective" in text
    )


def test_a_case_step_without_objectives_is_refused(tmp_path):
    """The case schema requires objectives on every step."""
    raw = json.loads((ROOT / "datasets" / "cases" / "06-head-neck.json").read_text(encoding="utf-8"))
    raw["id"] = "my-neck-case"
    del raw["steps"][1]["objectives"]
    path = tmp_path / "my-neck-case.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(CaseError, match="objectives"):
        load_cases(path)


@pytest.fixture
def datasets_copy(tmp_path, monkeypatch):
    """A copy of datasets/ the test may add exercise files to, used instead of the real one."""
    folder = tmp_path / "datasets"
    shutil.copytree(ROOT / "datasets", folder)
    monkeypatch.setattr(data, "_datasets_root", lambda: folder)
    return folder


EXERCISE = {
    "id": "ex-staging-nodes",
    "lesson": "03_staging",
    "topic": "staging",
    "type": "multiple_choice",
    "difficulty": "medium",
    "question": "Predict: an 8 cm high-grade retroperitoneal sarcoma with nodal spread. Which stage?",
    "answers": [{"answer": "IIIB", "correct": True}, {"answer": "IV", "correct": False}],
    "explanation": "In the retroperitoneum N1 M0 is IIIB.",
    "source": "AJCC8",
    "objectives": ["staging-nodal-rule"],
}


def test_an_exercise_in_datasets_exercises_is_counted_for_its_objectives(datasets_copy):
    """An exercise file in datasets/exercises/ counts once for each objective it names."""
    (datasets_copy / "exercises").mkdir(exist_ok=True)
    for built_in in (datasets_copy / "exercises").glob("[0-9]*.json"):
        built_in.unlink()  # count from no exercises, whatever the lessons' files hold
    (datasets_copy / "exercises" / "03_staging.json").write_text(json.dumps([EXERCISE]), encoding="utf-8")
    table = coverage().set_index("objective")
    assert table.loc["staging-nodal-rule", "exercises"] == 1
    assert table.loc["staging-tnmg", "exercises"] == 0


@pytest.mark.parametrize(
    ("change", "words"),
    [
        pytest.param({"objectives": ["staging-nodes"]}, "'staging-nodes' is not an objective", id="unknown objective"),
        pytest.param({"lesson": "03_stage"}, "field 'lesson': '03_stage'", id="unknown lesson"),
        pytest.param({"objectives": []}, "a non-empty list of objective ids", id="no objectives"),
    ],
)
def test_a_bad_exercise_is_named_by_file_index_and_field(datasets_copy, change, words):
    """An exercise with an unknown objective or lesson, or none, is a DatasetError naming file, exercise and field."""
    (datasets_copy / "exercises").mkdir(exist_ok=True)
    path = datasets_copy / "exercises" / "03_staging.json"
    path.write_text(json.dumps([{**EXERCISE, **change}]), encoding="utf-8")
    with pytest.raises(data.DatasetError, match=words) as caught:
        load_exercises()
    assert "exercise 0 (id 'ex-staging-nodes')" in str(caught.value)
