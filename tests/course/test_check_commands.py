"""`sarcoma-edu bank check` and `case check` as an instructor runs them: one line per problem, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sarcoma_edu.cli import main

_NUMBER = {
    "id": "class-n1",
    "topic": "grade",
    "type": "numeric",
    "difficulty": "easy",
    "question": "What is the lowest possible FNCLCC total score?",
    "answers": [{"value": 2, "correct": True}],
    "explanation": "Differentiation and mitoses each score at least 1 and necrosis may score 0.",
    "source": "FNCLCC",
    "objectives": ["grade-fnclcc-score"],
}


def _write(path: Path, items: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(items), encoding="utf-8")
    return path


def _check(capsys, *args: str) -> tuple[int, str, str]:
    status = main([*args])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        pytest.param({"precision": 10**30}, "precision", "from 1 to 17", id="a precision of 31 digits"),
        pytest.param({"precision": 400}, "precision", "from 1 to 17", id="a precision of 400"),
        pytest.param(
            {"answers": [{"range": [8, 2], "correct": True}]},
            "answers[0].range",
            "low 8 is above high 2",
            id="an inverted range",
        ),
        pytest.param(
            {"answers": [{"range": [0, 10], "correct": False}, {"value": 2, "correct": True}]},
            "answers[1]",
            "no number can reach it",
            id="a right value inside an earlier wrong range",
        ),
    ],
)
def test_bank_check_names_the_file_question_and_field_of_a_numeric_question_no_answer_can_satisfy(
    tmp_path, capsys, change, field, words
):
    """A numeric question no typed number can be right for is a problem line (exit 2), never OK or a traceback."""
    path = _write(tmp_path / "numbers.json", [_NUMBER | change])
    status, out, err = _check(capsys, "bank", "check", str(path))
    assert status == 2 and "OK" not in out and "Traceback" not in out + err
    assert f"{path}, question 0 (id 'class-n1'), field '{field}': " in out and words in out
    assert "1 problem(s) in 1 of 1 file(s)" in err


def test_bank_check_on_a_content_folder_names_a_number_exercise_no_answer_can_satisfy(tmp_path, capsys):
    """With --content, a number exercise whose right answer is inside an earlier wrong range is a problem line."""
    exercise = _NUMBER | {
        "id": "ex-02-class-total",
        "lesson": "02_grade",
        "role": "self-check",
        "answers": [{"range": [0, 10], "correct": False}, {"value": 2, "correct": True}],
    }
    path = _write(tmp_path / "content" / "exercises" / "mine.json", [exercise])
    status, out, _err = _check(capsys, "bank", "check", "--content", str(tmp_path / "content"))
    assert status == 2 and f"{path}, exercise 0 (id 'ex-02-class-total'), field 'answers[1]'" in out
    assert "no number can reach it" in out


@pytest.mark.parametrize("command", ["bank", "case"])
def test_a_content_folder_whose_files_are_link_loops_gets_a_line_per_file_and_exit_2(tmp_path, capsys, command):
    """Each link loop in the folder is a line naming it and why; the command ends with exit 2, not a traceback."""
    kind = "quiz" if command == "bank" else "cases"
    folder = tmp_path / "content" / kind
    folder.mkdir(parents=True)
    (folder / "a.json").symlink_to(folder / "b.json")
    (folder / "b.json").symlink_to(folder / "a.json")
    (folder / "self.json").symlink_to(folder / "self.json")
    status, out, err = _check(capsys, command, "check", "--content", str(tmp_path / "content"))
    loop = "is a link that leads round in a loop (to itself through other links); give a file"
    assert status == 2 and "Traceback" not in out + err
    assert out.splitlines() == [f"{folder / name}: {loop}" for name in ("a.json", "b.json", "self.json")]


@pytest.mark.parametrize("command", ["bank", "case"])
def test_a_content_folder_that_is_a_link_loop_is_one_error_line_naming_it(tmp_path, capsys, command):
    """--content naming a link round in a loop says which and why on one line, exit 2."""
    (tmp_path / "one").symlink_to(tmp_path / "two")
    (tmp_path / "two").symlink_to(tmp_path / "one")
    status, out, err = _check(capsys, command, "check", "--content", str(tmp_path / "one"))
    assert status == 2 and out == ""
    assert err.strip() == (
        f"sarcoma-edu {command} check: error: --content {str(tmp_path / 'one')!r}: cannot be read "
        "(Too many levels of symbolic links)"
    )


def test_bank_check_of_a_file_in_an_exercises_folder_checks_it_as_exercises_in_the_order_given(tmp_path, capsys):
    """A FILE under exercises/ gets the exercise checks (no 'lesson is not a field of a question'); order is kept."""
    exercise = _NUMBER | {"id": "ex-02-class-total", "lesson": "02_grade", "role": "self-check"}
    mine = _write(tmp_path / "exercises" / "mine.json", [exercise])
    bank = _write(tmp_path / "quiz" / "numbers.json", [_NUMBER])
    broken = _write(tmp_path / "exercises" / "broken.json", [exercise | {"id": "ex-02-other", "role": "quiz"}])
    status, out, err = _check(capsys, "bank", "check", str(mine), str(bank), str(broken))
    lines = out.splitlines()
    assert lines[:2] == [f"{mine}: OK, 1 exercise", f"{bank}: OK, 1 question"]
    assert lines[2].startswith(f"{broken}, exercise 0 (id 'ex-02-other'), field 'role'") and len(lines) == 3
    assert status == 2 and "1 problem(s) in 1 of 3 file(s)" in err
