"""A number exercise whose right answer no typed number can reach is refused, naming file, exercise and field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sarcoma_edu.course.exercises import ExerciseFileError, check_answer, load_exercises

_GOOD = {
    "id": "ex-03-class-size",
    "lesson": "03_staging",
    "role": "predict",
    "reveals": "the staging calculator",
    "topic": "staging",
    "difficulty": "easy",
    "source": "AJCC8",
}


def _file(tmp_path: Path, items: object, name: str = "mine.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(items), encoding="utf-8")
    return path


_NUMERIC = {
    **_GOOD,
    "id": "ex-03-class-size",
    "type": "numeric",
    "question": "Above how many centimetres is a limb sarcoma T2 rather than T1? Type a number.",
    "explanation": "T1 is 5 cm or less; T2 is over 5 cm up to 10 cm.",
    "objectives": ["staging-tnmg"],
}


@pytest.mark.parametrize(
    ("answers", "field", "words"),
    [
        pytest.param(
            [{"range": [0, 10], "correct": False}, {"value": 5, "correct": True}],
            "answers[1]",
            "is marked correct but no number can reach it",
            id="a right value inside an earlier wrong range",
        ),
        pytest.param(
            [{"value": 5, "correct": False}, {"value": 5.0, "correct": True}],
            "answers[1]",
            "is marked correct but no number can reach it",
            id="a right value equal to an earlier wrong one",
        ),
        pytest.param(
            [{"range": [10, 5], "correct": True}], "answers[0].range", "low 10 is above high 5", id="inverted"
        ),
    ],
)
def test_a_number_exercise_no_answer_can_satisfy_is_a_problem_naming_file_exercise_and_field(
    tmp_path, answers, field, words
):
    """bank check never says OK for a number exercise whose right answer no typed number can reach."""
    path = _file(tmp_path, [_NUMERIC | {"answers": answers}])
    with pytest.raises(ExerciseFileError) as caught:
        load_exercises(path=path)
    (problem,) = caught.value.problems
    assert problem.startswith(f"{path}, exercise 0 (id 'ex-03-class-size'), field '{field}'") and words in problem
    (fine,) = load_exercises(path=_file(tmp_path, [_NUMERIC | {"answers": [{"value": 5, "correct": True}]}], "ok.json"))
    assert check_answer(fine, 5).correct
