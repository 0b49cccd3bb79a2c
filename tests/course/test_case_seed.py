"""'New case' patients: fresh for each student each time, or the same for a whole class on request."""

from __future__ import annotations

import numpy as np
import pytest

from sarcoma_edu.course.banks import load_bank
from sarcoma_edu.course.cases import generate_case
from sarcoma_edu.course.generated import SEED_LIMIT, question_from_id
from sarcoma_edu.progress.store import ProgressStore
from sarcoma_edu.widgets.case_seed import CASE_SEED_ENV
from sarcoma_edu.widgets.quiz import quiz_widget
from sarcoma_edu.widgets.tumour_board import tumour_board

BANK = load_bank()


@pytest.fixture
def store(tmp_path):
    return ProgressStore(tmp_path / "progress.sqlite3")


@pytest.fixture(autouse=True)
def no_class_seed(monkeypatch):
    monkeypatch.delenv(CASE_SEED_ENV, raising=False)


def test_each_opening_of_the_lesson_starts_new_cases_from_a_fresh_random_seed(store):
    """Two students (or one student opening the lesson twice) do not get the same run of patients."""
    openings = [quiz_widget(BANK, progress=store) for _ in range(5)]
    first_cases = {widget.new_case("stage").id for widget in openings}
    assert len(first_cases) == 5 and len({widget.first_seed for widget in openings}) == 5


def test_a_fresh_case_is_recorded_by_id_and_can_be_asked_again(store):
    """A random case is saved under case-<kind>-<seed>, and that id rebuilds the same patient later."""
    widget = quiz_widget(BANK, progress=store)
    case = widget.new_case("stage")
    wrong = next(a.answer for a in case.answers if not a.correct)
    widget.answer(wrong)
    saved = store.attempts().loc[0, "question_id"]
    assert saved == case.id == f"case-stage-{widget.first_seed}"
    assert question_from_id(saved) == case
    later = quiz_widget(BANK, progress=ProgressStore(store.path))
    assert later.practise_mistakes() == 1 and later.question == case


def test_the_instructor_gives_one_seed_and_the_whole_class_sees_the_same_patients(store):
    """quiz_widget(..., case_seed=2026) gives every student case 2026, then 2027, in the same order."""
    students = [quiz_widget(BANK, progress=store, case_seed=2026) for _ in range(3)]
    runs = [[widget.new_case("stage").id, widget.new_case("stage").id] for widget in students]
    assert runs == [["case-stage-2026", "case-stage-2027"]] * 3


def test_the_class_seed_can_come_from_the_environment(store, monkeypatch):
    """SARCOMA_EDU_CASE_SEED=41 (set on the hub or before `sarcoma-edu lab`) starts every widget at case 41."""
    monkeypatch.setenv(CASE_SEED_ENV, "41")
    assert quiz_widget(BANK, progress=store).new_case("fnclcc_grade").id == "case-fnclcc_grade-41"
    assert quiz_widget(BANK, progress=store, case_seed=7).new_case("stage").id == "case-stage-7"  # the argument wins


def test_a_class_seed_that_is_not_a_number_is_said_in_the_widget_and_cases_stay_random(store, monkeypatch):
    """SARCOMA_EDU_CASE_SEED=abc shows a message naming the variable and the value; the quiz still works."""
    monkeypatch.setenv(CASE_SEED_ENV, "abc")
    widget = quiz_widget(BANK, progress=store)
    assert (
        "SARCOMA_EDU_CASE_SEED=&#x27;abc&#x27; is not written with the digits 0-9 only; expected a whole number "
        "from 0 to 2**128 - 1, so new patients are made up at random" in widget.status.value
    )
    assert widget.new_case("stage").id.startswith("case-stage-")


@pytest.mark.parametrize(
    ("seed", "error"),
    [
        (-1, ValueError),
        (2.5, TypeError),
        ("12", TypeError),
        (True, TypeError),
        (np.True_, TypeError),
        (np.float64(12.0), TypeError),
        (SEED_LIMIT, ValueError),
    ],
)
def test_a_bad_case_seed_argument_is_refused_by_name(store, seed, error):
    """case_seed must be a whole number from 0 to 2**128 - 1; the error names case_seed and the value."""
    with pytest.raises(error, match=r"case_seed=.* expected a whole number from 0 to 2\*\*128 - 1"):
        quiz_widget(BANK, progress=store, case_seed=seed)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        pytest.param("²", "is not written with the digits 0-9 only", id="a superscript digit (isdigit yes, int no)"),
        pytest.param("٣", "is not written with the digits 0-9 only", id="an Arabic-Indic digit"),
        pytest.param("١٢", "is not written with the digits 0-9 only", id="two Arabic-Indic digits (int() reads 12)"),
        pytest.param("\uff14\uff11", "is not written with the digits 0-9 only", id="full-width digits"),
        pytest.param("-1", "is not written with the digits 0-9 only", id="a negative number"),
        pytest.param("+41", "is not written with the digits 0-9 only", id="a plus sign"),
        pytest.param("4 1", "is not written with the digits 0-9 only", id="a space between digits"),
        pytest.param("2026.0", "is not written with the digits 0-9 only", id="a decimal point"),
        pytest.param("9" * 5000, "is too large: the largest seed is 2**128 - 1", id="a number with 5,000 digits"),
        pytest.param(str(SEED_LIMIT), "is too large: the largest seed is 2**128 - 1", id="2**128, one above"),
        pytest.param("0" * 10 + str(SEED_LIMIT), "is too large", id="2**128 after leading zeros"),
    ],
)
def test_lessons_07_and_08_open_with_a_class_seed_that_is_not_a_usable_number(store, monkeypatch, text, says):
    """A class seed of other digits, signs or too large is a message in the quiz and the tumour board; both work."""
    monkeypatch.setenv(CASE_SEED_ENV, text)
    quiz = quiz_widget(BANK, progress=store)
    message = quiz.status.value
    assert "SARCOMA_EDU_CASE_SEED=" in message and says in message and "made up at random" in message
    assert "expected a whole number from 0 to 2**128 - 1" in message and len(message) < 1000
    assert quiz.new_case("stage").id.startswith("case-stage-")
    board = tumour_board(progress=store)
    assert "SARCOMA_EDU_CASE_SEED=" in board.status.value and says in board.status.value
    assert board.start().id.startswith("generated-")


@pytest.mark.parametrize(
    ("text", "seed"),
    [
        pytest.param("0", 0, id="0, the smallest seed"),
        pytest.param(" 41\n", 41, id="spaces and a new line around the number"),
        pytest.param("0" * 60, 0, id="sixty zeros"),
        pytest.param("007", 7, id="leading zeros"),
        pytest.param("0" * 50 + str(SEED_LIMIT - 1), SEED_LIMIT - 1, id="the largest seed after fifty zeros"),
        pytest.param(str(SEED_LIMIT - 1), SEED_LIMIT - 1, id="2**128 - 1, the largest seed"),
    ],
)
def test_every_documented_class_seed_starts_new_case_and_a_new_patient_there(store, monkeypatch, text, seed):
    """A seed of digits 0-9 from 0 to 2**128 - 1 is used by 'New case' and 'A new patient' without a message."""
    monkeypatch.setenv(CASE_SEED_ENV, text)
    quiz = quiz_widget(BANK, progress=store)
    assert quiz.first_seed == seed and "SARCOMA_EDU_CASE_SEED" not in quiz.status.value
    assert quiz.new_case("t_category").id == f"case-t_category-{seed}"
    board = tumour_board(progress=store)
    assert board.first_seed == seed and "SARCOMA_EDU_CASE_SEED" not in board.status.value
    assert board.start().id == generate_case(seed).id


def test_a_numpy_whole_number_is_a_seed_argument_like_an_int(store):
    """case_seed=numpy.int64(2026), e.g. read from a table, gives case 2026 like case_seed=2026."""
    assert quiz_widget(BANK, progress=store, case_seed=np.int64(2026)).new_case("stage").id == "case-stage-2026"
    assert tumour_board(progress=store, seed=np.uint64(5)).start().id == generate_case(5).id


def test_the_largest_documented_seed_gives_new_cases_and_new_patients_again_and_again(store, monkeypatch):
    """With SARCOMA_EDU_CASE_SEED=2**128 - 1, 'New case' and 'A new patient' go on working: after it comes 0."""
    largest = SEED_LIMIT - 1
    monkeypatch.setenv(CASE_SEED_ENV, str(largest))
    quiz = quiz_widget(BANK, progress=store)
    assert [quiz.new_case("stage").id for _ in range(3)] == [f"case-stage-{largest}", "case-stage-0", "case-stage-1"]
    board = tumour_board(progress=store)
    assert [board.start().id for _ in range(3)] == [generate_case(s).id for s in (largest, 0, 1)]
    assert tumour_board(progress=store, seed=largest).start().id == generate_case(largest).id
