"""The item catalog and the instructor's content folder: one id, one question, built-in or hers."""

from __future__ import annotations

import json
import os

import jsonschema
import pandas as pd
import pytest

from sarcoma_edu.course.banks import bank_paths, load_bank
from sarcoma_edu.course.case_files import case_paths, load_cases
from sarcoma_edu.course.content import load_content
from sarcoma_edu.course.exercises import load_exercises
from sarcoma_edu.course.generated import generate_case_question
from sarcoma_edu.course.items import (
    CONTENT_VARIABLE,
    ContentFolderError,
    UnknownItemError,
    all_cases,
    bank_questions,
    case_of_step,
    content_files,
    content_folder,
    find_exercise,
    item,
    lesson_exercises,
    quiz_question,
)
from sarcoma_edu.course.lesson_progress import progress_by_lesson
from tests.content_folder import (
    CASE_ID,
    EXERCISE,
    EXERCISE_ID,
    QUESTION,
    QUESTION_ID,
    QUESTION_TEXT,
    ROOT,
    make_content,
    write,
)


@pytest.fixture(autouse=True)
def _no_folder(monkeypatch):
    monkeypatch.delenv(CONTENT_VARIABLE, raising=False)


@pytest.fixture
def folder(tmp_path):
    return make_content(tmp_path / "my-content")


# --- finding the folder ---------------------------------------------------------------------


def test_no_option_and_no_variable_means_no_folder():
    """Without --content and without $SARCOMA_EDU_CONTENT there is no content folder and no files."""
    assert content_folder() is None
    assert content_files("quiz") == []


def test_the_variable_names_the_folder(folder, monkeypatch):
    """$SARCOMA_EDU_CONTENT names the folder when --content is not given."""
    monkeypatch.setenv(CONTENT_VARIABLE, str(folder))
    assert content_folder() == folder


def test_the_option_wins_over_the_variable(folder, tmp_path, monkeypatch):
    """--content DIR is used even when the variable names another folder."""
    other = make_content(tmp_path / "other")
    monkeypatch.setenv(CONTENT_VARIABLE, str(other))
    assert content_folder(folder) == folder


def test_an_empty_variable_names_no_folder(monkeypatch):
    """An empty $SARCOMA_EDU_CONTENT (set but blank) is the same as none."""
    monkeypatch.setenv(CONTENT_VARIABLE, "  ")
    assert content_folder() is None


def test_a_missing_folder_is_refused_naming_the_option_and_the_path(tmp_path):
    """--content naming a folder that does not exist is an error naming --content and the path."""
    missing = tmp_path / "nowhere"
    with pytest.raises(ContentFolderError, match=rf"--content '{missing}': no such folder"):
        content_folder(missing)


def test_a_missing_folder_in_the_variable_is_refused_naming_the_variable(tmp_path, monkeypatch):
    """$SARCOMA_EDU_CONTENT naming a missing folder is an error naming the variable and the path."""
    monkeypatch.setenv(CONTENT_VARIABLE, str(tmp_path / "nowhere"))
    with pytest.raises(ContentFolderError, match=rf"\$SARCOMA_EDU_CONTENT '{tmp_path / 'nowhere'}': no such folder"):
        content_files("cases")


def test_a_file_is_not_a_content_folder(tmp_path):
    """A file given as the content folder is refused: it is a file, not a folder."""
    path = write(tmp_path / "bank.json", [QUESTION])
    with pytest.raises(ContentFolderError, match="is a file, not a folder"):
        content_folder(path)


def test_a_folder_that_cannot_be_read_is_refused(tmp_path):
    """A content folder that is a link leading round in a loop is refused with the path and why."""
    loop = tmp_path / "loop"
    os.symlink(loop, loop)
    with pytest.raises(ContentFolderError, match=f"--content '{loop}': cannot be read"):
        content_folder(loop)


def test_a_sub_folder_that_is_a_file_is_refused(tmp_path):
    """quiz/ that is a file in the content folder is refused, naming it."""
    write(tmp_path / "quiz", "not a folder")
    with pytest.raises(ContentFolderError, match=r"quiz/ .* is a file, not a folder"):
        content_files("quiz", tmp_path)


def test_content_files_are_the_json_files_of_each_kind_sorted(folder):
    """Each kind's files are its sub-folder's .json files, sorted; schemas and hidden files are not content."""
    write(folder / "quiz" / "a.json", [])
    write(folder / "quiz" / "z.schema.json", {})
    write(folder / "quiz" / ".draft.json", [])
    write(folder / "quiz" / "notes.txt", "notes")
    assert [p.name for p in content_files("quiz", folder)] == ["a.json", "mine.json"]
    assert [p.name for p in content_files("cases", folder)] == ["mine.json"]


def test_a_missing_sub_folder_has_no_files(tmp_path):
    """A content folder without exercises/ simply has no exercises."""
    assert content_files("exercises", tmp_path) == []


def test_an_unknown_kind_is_refused(folder):
    """content_files takes only quiz, exercises or cases."""
    with pytest.raises(ValueError, match="kind='lessons'"):
        content_files("lessons", folder)


# --- one id, one question -----------------------------------------------------------------


def test_item_finds_a_built_in_question_exercise_case_step_and_generated_question():
    """Every kind of built-in id a student answers gives its question."""
    question = load_bank()[0]
    exercise = load_exercises()[0]
    step = load_cases()[0].steps[0].question
    generated = generate_case_question(42, "stage")
    assert item(question.id) == question
    assert item(exercise.id) == exercise.question
    assert item(step.id) == step
    assert item(generated.id) == generated


def test_item_finds_a_step_of_a_made_up_patient_case():
    """A step of a tumour board patient made up from a seed is rebuilt from its id."""
    assert item("case:generated-7:stage").id == "case:generated-7:stage"


def test_item_finds_her_question_exercise_and_case_step(folder):
    """Her question, exercise and case step are found by id in the folder given."""
    assert item(QUESTION_ID, folder).question == QUESTION_TEXT
    assert item(EXERCISE_ID, folder).id == EXERCISE_ID
    assert item(f"case:{CASE_ID}:stage", folder).id == f"case:{CASE_ID}:stage"


def test_item_reads_the_variable(folder, monkeypatch):
    """With $SARCOMA_EDU_CONTENT set, item() finds her question without being told the folder."""
    monkeypatch.setenv(CONTENT_VARIABLE, str(folder))
    assert item(QUESTION_ID).question == QUESTION_TEXT


def test_an_unknown_id_is_an_unknown_item_error_saying_where_it_looked(folder):
    """An id nobody uses is an UnknownItemError (a KeyError and a ValueError) naming the id and the folder."""
    with pytest.raises(UnknownItemError, match=rf"item_id='nothing-here' .* nor in the content folder {folder}"):
        item("nothing-here", folder)
    assert issubclass(UnknownItemError, KeyError) and issubclass(UnknownItemError, ValueError)
    with pytest.raises(UnknownItemError, match="case:<case>:<step>"):
        item("case:no-such-case:stage")


@pytest.mark.parametrize(
    "item_id",
    [
        pytest.param("case:generated-" + "9" * 5000 + ":stage", id="a made-up patient of 5,000 digits"),
        pytest.param("case:generated-" + "0" * 5000 + "7:stage", id="patient 7 after 5,000 zeros"),
        pytest.param("case:generated-" + str(2**128) + ":stage", id="one above the largest seed"),
        pytest.param("case:generated-\u0661\u0662:stage", id="Arabic-Indic digits"),
        pytest.param("case-stage-" + "9" * 5000, id="a generated question of 5,000 digits"),
    ],
)
def test_an_id_with_a_seed_no_patient_has_is_an_unknown_item_named_in_short(item_id):
    """An id from a garbled or hand-made progress file is an UnknownItemError with the id shortened, never a crash."""
    with pytest.raises(UnknownItemError) as raised:
        item(item_id)
    assert len(str(raised.value)) < 1000 and "is not an item" in str(raised.value)
    assert quiz_question(item_id) is None and case_of_step(item_id) is None


def test_item_refuses_an_id_that_is_not_text():
    """item(5) is a TypeError naming the value."""
    with pytest.raises(TypeError, match="item_id=5"):
        item(5)


def test_a_built_in_id_is_found_even_when_the_folder_is_gone(tmp_path):
    """Built-in items do not need her folder: a missing folder matters only for ids not built in."""
    question = load_bank()[0]
    assert item(question.id, tmp_path / "gone") == question
    with pytest.raises(ContentFolderError, match="no such folder"):
        item("her-own", tmp_path / "gone")


def test_quiz_question_leaves_out_case_steps_and_ordering_exercises(folder):
    """The quiz asks again questions, exercises and generated questions, but not case steps or orderings."""
    ordering = next(e for e in load_exercises() if e.type == "ordering")
    step = load_cases()[0].steps[0].question
    assert quiz_question(step.id) is None
    assert quiz_question(ordering.id) is None
    assert item(ordering.id).id == ordering.id
    assert quiz_question(EXERCISE_ID, folder).id == EXERCISE_ID
    assert quiz_question(QUESTION_ID, folder).id == QUESTION_ID
    assert quiz_question("nothing-here", folder) is None


def test_her_items_come_after_the_built_in_ones(folder):
    """The quiz's questions, the board's cases and a lesson's exercises include hers, after the built-in ones."""
    assert bank_questions(folder)[-1].id == QUESTION_ID
    assert len(bank_questions(folder)) == len(load_bank()) + 1
    assert all_cases(folder)[-1].id == CASE_ID
    assert [e.id for e in lesson_exercises("03", folder)][-1] == EXERCISE_ID
    assert find_exercise(EXERCISE_ID, folder).lesson == "03_staging"


# --- refusing an id already used ----------------------------------------------------------


def _only_problem(folder):
    problems = load_content(folder).problems
    assert len(problems) == 1, problems
    return problems[0]


def test_her_question_reusing_a_built_in_id_is_refused_with_the_file_and_the_id(folder):
    """A question of hers with a built-in question's id is refused, naming her file, the id and the built-in file."""
    taken = load_bank()[0].id
    mine = write(folder / "quiz" / "mine.json", [{**QUESTION, "id": taken}])
    line = _only_problem(folder)
    assert line.startswith(f"{mine}, question 0 (id '{taken}'), field 'id': '{taken}' is already used by ")
    assert f"a built-in question in {bank_paths()[0]}" in line
    assert item(taken, folder) == load_bank()[0]


def test_her_question_reusing_a_built_in_exercise_id_is_refused(folder):
    """Questions and exercises share ids: her question may not take a built-in exercise's id."""
    taken = load_exercises()[0].id
    write(folder / "quiz" / "mine.json", [{**QUESTION, "id": taken}])
    assert f"'{taken}' is already used by a built-in exercise in " in _only_problem(folder)


def test_her_exercise_reusing_her_question_id_is_refused(folder):
    """An exercise of hers with the id of one of her questions is refused, naming both files."""
    write(folder / "quiz" / "mine.json", [{**QUESTION, "id": EXERCISE_ID}])
    line = _only_problem(folder)
    assert line.startswith(f"{folder / 'exercises' / 'mine.json'}, exercise 0 (id '{EXERCISE_ID}'), field 'id'")
    assert f"already used by a question of mine.json in {folder / 'quiz' / 'mine.json'}" in line


def test_her_exercise_reusing_a_built_in_exercise_id_is_refused(folder):
    """An exercise of hers with a built-in exercise's id is refused, naming the built-in file."""
    taken = next(e for e in load_exercises() if e.lesson == "03_staging" and e.type == "multiple_choice")
    write(folder / "exercises" / "mine.json", [{**EXERCISE, "id": taken.id}])
    assert f"'{taken.id}' is already used by a built-in exercise in " in _only_problem(folder)


def test_two_of_her_files_with_one_question_id_are_refused(folder):
    """The same id in two of her bank files is refused in the second, naming the first."""
    second = write(folder / "quiz" / "second.json", [QUESTION])
    line = _only_problem(folder)
    assert line.startswith(f"{second}, question 0 (id '{QUESTION_ID}')")
    assert f"already used by question 0 in {folder / 'quiz' / 'mine.json'}" in line


def test_her_case_reusing_a_built_in_case_id_is_refused(folder):
    """A case of hers with a built-in case's id is refused, naming her file, the id and the built-in file."""
    raw = json.loads((folder / "cases" / "mine.json").read_text())
    built_in = load_cases()[0]
    write(folder / "cases" / "mine.json", {**raw, "id": built_in.id})
    line = _only_problem(folder)
    assert line.startswith(f"{folder / 'cases' / 'mine.json'}, field 'id': '{built_in.id}' is already used by ")
    assert f"a built-in case in {case_paths()[0]}" in line
    assert [c.id for c in all_cases(folder)] == [c.id for c in load_cases()]


def test_a_broken_file_is_named_and_the_rest_stays_usable(folder):
    """A file of hers that is not JSON is one problem naming it; her other items are still found."""
    write(folder / "quiz" / "broken.json", "{not json")
    assert _only_problem(folder).startswith(f"{folder / 'quiz' / 'broken.json'}: not valid JSON")
    assert item(QUESTION_ID, folder).question == QUESTION_TEXT


def test_a_file_that_cannot_be_read_is_named(folder):
    """A bank file of hers that cannot be read (a link in a loop) is one problem naming it."""
    loop = folder / "quiz" / "loop.json"
    os.symlink(loop, loop)
    assert _only_problem(folder).startswith(f"{loop}: is a link that leads round in a loop")


def test_a_changed_file_is_read_again(folder):
    """Editing her file is seen at the next look-up (nothing stale is kept)."""
    assert item(QUESTION_ID, folder).question == QUESTION_TEXT
    edited = "Edited: what T category is a 7 cm chest wall tumour?"
    write(folder / "quiz" / "mine.json", [{**QUESTION, "question": edited}])
    assert item(QUESTION_ID, folder).question.startswith("Edited")


# --- her bank files stay jupyterquiz files ------------------------------------------------


def test_her_bank_file_in_the_content_folder_is_a_jupyterquiz_file(folder):
    """Every question of her content folder's bank, as the file holds it and as loaded, passes jupyterquiz's schema."""
    schemas = ROOT / "tests" / "jupyterquiz_schema"
    for path in content_files("quiz", folder):
        for raw in json.loads(path.read_text(encoding="utf-8")):
            name = "num_schema.json" if raw["type"] == "numeric" else "mc_schema.json"
            schema = json.loads((schemas / name).read_text(encoding="utf-8"))
            jsonschema.validate(raw, schema)
            jsonschema.validate(item(raw["id"], folder).to_jupyterquiz(), schema)


def test_her_exercise_counts_with_its_lesson_in_the_progress_by_lesson(folder):
    """Lesson 03's exercise count includes her exercise for lesson 03, and her answer to it counts there."""
    attempts = pd.DataFrame({"question_id": [EXERCISE_ID], "correct": [True], "answered_at": ["2026-03-02T10:00:00Z"]})
    builtin = progress_by_lesson(attempts).set_index("lesson").loc["03_staging"]
    with_hers = progress_by_lesson(attempts, folder).set_index("lesson").loc["03_staging"]
    assert with_hers["exercises"] == builtin["exercises"] + 1
    assert (with_hers["answered"], with_hers["right_last_time"]) == (1, 1)
