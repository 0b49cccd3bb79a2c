"""The instructor's content folder in the widgets: her question in the quiz, her case on the board, her exercise."""

from __future__ import annotations

import ipywidgets as w
import pytest

from sarcoma_edu import ProgressStore
from sarcoma_edu.course.banks import load_bank
from sarcoma_edu.course.content_folder import CONTENT_VARIABLE
from sarcoma_edu.widgets.exercise import predict, self_check
from sarcoma_edu.widgets.quiz import quiz_widget
from sarcoma_edu.widgets.tumour_board import tumour_board
from tests.content_folder import (
    CASE_ID,
    CASE_TITLE,
    EXERCISE_ID,
    QUESTION,
    QUESTION_ID,
    QUESTION_TEXT,
    make_content,
    write,
)


@pytest.fixture(autouse=True)
def _no_folder(monkeypatch):
    monkeypatch.delenv(CONTENT_VARIABLE, raising=False)


@pytest.fixture
def store(tmp_path):
    return ProgressStore(tmp_path / "progress.sqlite3")


@pytest.fixture
def folder(tmp_path):
    return make_content(tmp_path / "my-content")


def _show_her_question(quiz) -> None:
    quiz.topic.value = "staging"
    while quiz.question.id != QUESTION_ID:
        quiz.next()


def test_the_quiz_shows_her_question_from_the_variable(folder, store, monkeypatch):
    """With $SARCOMA_EDU_CONTENT set, quiz_widget() with no questions asks her question after the built-in ones."""
    monkeypatch.setenv(CONTENT_VARIABLE, str(folder))
    quiz = quiz_widget(progress=store)
    assert [q.id for q in quiz.questions][-1] == QUESTION_ID
    assert len(quiz.questions) == len(load_bank()) + 1
    assert "Included: 1 question from your instructor." in quiz.status.value
    _show_her_question(quiz)
    assert QUESTION_TEXT in quiz.text.value
    assert quiz.answer("T2").correct
    assert store.attempts()["question_id"].tolist() == [QUESTION_ID]


def test_her_wrong_answer_comes_back_in_practise_my_mistakes(folder, store):
    """A wrong answer to her question is asked again by 'Practise my mistakes' in a new quiz."""
    quiz = quiz_widget(progress=store, content=folder)
    _show_her_question(quiz)
    assert not quiz.answer("T3").correct
    again = quiz_widget(progress=store, content=folder)
    assert again.practise_mistakes() == 1 and again.question.id == QUESTION_ID


def test_the_quiz_names_her_file_with_a_problem_and_keeps_the_rest(folder, store):
    """A question of hers reusing a built-in id is left out, named (file and id), and the quiz still works."""
    taken = load_bank()[0].id
    write(folder / "quiz" / "clash.json", [{**QUESTION, "id": taken}])
    quiz = quiz_widget(progress=store, content=folder)
    assert f"{folder / 'quiz' / 'clash.json'}, question 0 (id &#x27;{taken}&#x27;)" in quiz.status.value
    assert "is already used by a built-in question" in quiz.status.value
    assert f"sarcoma-edu bank check --content {folder}" in quiz.status.value
    assert sum(q.id == taken for q in quiz.questions) == 1 and quiz.questions[-1].id == QUESTION_ID


def test_a_missing_folder_is_a_visible_message_in_the_quiz_not_a_traceback(tmp_path, store, monkeypatch):
    """$SARCOMA_EDU_CONTENT naming a missing folder is said in the quiz, which asks the built-in questions."""
    monkeypatch.setenv(CONTENT_VARIABLE, str(tmp_path / "nowhere"))
    quiz = quiz_widget(progress=store)
    assert "could not be loaded: $SARCOMA_EDU_CONTENT" in quiz.status.value
    assert str(tmp_path / "nowhere") in quiz.status.value and "no such folder" in quiz.status.value
    assert len(quiz.questions) == len(load_bank())


def test_the_quiz_given_questions_does_not_add_hers(folder, store, monkeypatch):
    """A quiz made over a given list asks exactly that list, whatever the content folder holds."""
    monkeypatch.setenv(CONTENT_VARIABLE, str(folder))
    bank = load_bank()[:3]
    assert quiz_widget(bank, progress=store).questions == bank


def test_the_tumour_board_lists_her_case_and_it_can_be_worked_through(folder, store, monkeypatch):
    """Her case is in the board's picker by its title, and a student answers every step and sees the summary."""
    monkeypatch.setenv(CONTENT_VARIABLE, str(folder))
    board = tumour_board(progress=store, presenter=False)
    assert (f"{CASE_TITLE} (first clinical year)", CASE_ID) in board.picker.options
    board.start(CASE_ID)
    while board.position < len(board.case.steps):
        step = board.case.steps[board.position]
        assert board.answer(step.right_answers[0]).correct
        board.next_step()
    assert board.score == (len(board.case.steps), len(board.case.steps))
    recorded = set(store.attempts()["question_id"])
    assert recorded == {s.question.id for s in board.case.steps}
    assert all(qid.startswith(f"case:{CASE_ID}:") for qid in recorded)


def test_the_board_names_a_clashing_case_and_a_missing_folder(folder, tmp_path, store):
    """Her case reusing a built-in id is named in the board's alert; a missing folder is named too."""
    raw = (folder / "cases" / "mine.json").read_text()
    write(folder / "cases" / "mine.json", raw.replace(f'"id": "{CASE_ID}"', '"id": "head-neck"'))
    board = tumour_board(progress=store, content=folder)
    assert "is already used by a built-in case in" in board.problems.value
    assert CASE_ID not in dict((v, k) for k, v in board.picker.options)
    gone = tumour_board(progress=store, content=tmp_path / "nowhere")
    assert f"content=&#x27;{tmp_path / 'nowhere'}&#x27;: no such folder" in gone.problems.value
    assert gone.picker.options  # the built-in cases are still there


def test_her_exercise_is_shown_in_a_lesson_by_id(folder, store):
    """predict() finds her exercise by id, and answering it is recorded under that id."""
    widget = predict(EXERCISE_ID, progress=store, content=folder)
    assert widget.answer("IIIB").correct
    assert store.attempts()["question_id"].tolist() == [EXERCISE_ID]


def test_her_self_check_exercise_joins_its_lessons_self_check(folder, store, monkeypatch):
    """Lesson 03's self-check asks her self-check exercise for lesson 03 after the built-in ones, and says so."""
    monkeypatch.setenv(CONTENT_VARIABLE, str(folder))
    check = self_check("03_staging", progress=store)
    assert check.exercises[-1].exercise.id == EXERCISE_ID
    assert isinstance(check.children[0], w.HTML)
    assert "Included: 1 exercise from your instructor." in check.children[0].value
    other = self_check("02_grade", progress=store)
    assert all(e.exercise.id != EXERCISE_ID for e in other.exercises)
    assert "Included" not in other.children[0].value
