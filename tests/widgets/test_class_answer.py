"""An answer given in a lesson also goes to an open class poll, said in one line; without a class nothing changes."""

from __future__ import annotations

import os

import pytest

from sarcoma_edu.course.banks import load_bank
from sarcoma_edu.live.classfolder import init_class
from sarcoma_edu.live.polls import open_poll
from sarcoma_edu.live.results import results
from sarcoma_edu.progress.store import ProgressStore
from sarcoma_edu.widgets.exercise import predict
from sarcoma_edu.widgets.quiz import quiz_widget
from sarcoma_edu.widgets.tumour_board import tumour_board
from tests.live.conftest import ITEM

SENT = "Your answer also went to the class poll, as Student "


@pytest.fixture
def store(tmp_path, monkeypatch):
    """Her progress store, where her class token is kept too."""
    monkeypatch.setenv("SARCOMA_EDU_PROGRESS", str(tmp_path / "me" / "progress.sqlite3"))
    return ProgressStore()


@pytest.fixture
def poll(tmp_path, monkeypatch):
    """A class folder named by $SARCOMA_EDU_CLASS_DIR, ready to open polls in."""
    folder = tmp_path / "class"
    init_class(folder)
    monkeypatch.setenv("SARCOMA_EDU_CLASS_DIR", str(folder))
    return folder


def test_an_exercise_answered_while_its_poll_is_open_goes_to_the_class_and_says_so(store, poll):
    """The prediction is saved as ever, the drop box gets it, and the feedback says so with her pseudonym."""
    open_poll(poll, ITEM)
    widget = predict(ITEM, reveal=lambda: "the calculator", progress=store)
    widget.answer("IV")
    assert SENT in widget.result.value and "Saved with your progress" in widget.result.value
    assert len(store.attempts()) == 1
    assert results(poll, ITEM).counts["IV"] == 1


def test_a_quiz_question_and_a_tumour_board_step_go_to_their_open_polls(store, poll):
    """The quiz and the tumour board send the answer they record, each to the poll on its own item."""
    quiz = quiz_widget([next(q for q in load_bank() if q.type == "multiple_choice")], progress=store)
    open_poll(poll, quiz.question.id)
    quiz.answer(quiz.question.correct_answers[0].answer)
    assert SENT in quiz.result.value
    board = tumour_board(progress=store, presenter=False)
    board.start("head-neck")
    open_poll(poll, "case:head-neck:t-category")
    board.answer("T2")
    assert SENT in board.result.value
    assert results(poll, "case:head-neck:t-category").counts["T2"] == 1


def test_with_no_class_folder_the_feedback_is_exactly_as_before(store, tmp_path, monkeypatch):
    """No $SARCOMA_EDU_CLASS_DIR: the same words as without the feature, and no token is made."""
    monkeypatch.delenv("SARCOMA_EDU_CLASS_DIR", raising=False)
    widget = predict(ITEM, reveal=lambda: "the calculator", progress=store)
    widget.answer("IV")
    assert "class poll" not in widget.result.value
    assert not (tmp_path / "me" / "class-token").exists()


def test_no_poll_open_on_the_item_means_no_line(store, poll):
    """A class folder but no poll on this item: the answer stays hers alone and nothing is said."""
    widget = predict(ITEM, reveal=lambda: "the calculator", progress=store)
    widget.answer("IV")
    assert "class poll" not in widget.result.value
    assert not any((poll / "dropbox").iterdir())


def test_a_drop_that_fails_is_one_line_and_her_answer_is_still_saved(store, poll):
    """A broken drop box: her answer is saved, the feedback shows, and one line says it did not reach the class."""
    open_poll(poll, ITEM)
    os.rmdir(poll / "dropbox")
    (poll / "dropbox").write_text("in the way")
    widget = predict(ITEM, reveal=lambda: "the calculator", progress=store)
    widget.answer("IV")
    assert "Your answer is saved, but it did not reach the class poll:" in widget.result.value
    assert "Traceback" not in widget.result.value and "✗ Not quite." in widget.result.value
    assert len(store.attempts()) == 1
