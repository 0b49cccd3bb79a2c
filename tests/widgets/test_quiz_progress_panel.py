"""Lesson 07's progress panel: figure and table brought up to date by Update, and kept off the projector."""

from __future__ import annotations

import pytest

from sarcoma_edu import ProgressStore, load_bank
from sarcoma_edu.display.presentation import PRESENT_ENV
from sarcoma_edu.widgets.quiz_progress import PRESENTING_NOTE, quiz_progress

BANK = load_bank()


def _shown_text(panel) -> str:
    shown = panel.children[0]
    return " ".join(str(output.get("data", {})) for output in shown.outputs)


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.delenv(PRESENT_ENV, raising=False)
    return ProgressStore(tmp_path / "progress.sqlite3")


def test_with_no_answers_the_panel_says_to_answer_and_press_update(store):
    """Before any answer the figure says to answer the quiz and press Update (no 'run this cell again')."""
    panel = quiz_progress(store, BANK)
    text = _shown_text(panel)
    assert "then press Update" in text and "run this cell" not in text
    assert panel.children[2].description == "Update"


def test_update_shows_a_new_answer_without_running_the_cell_again(store):
    """An answer given after the panel was drawn shows in its table once Update is pressed."""
    panel = quiz_progress(store, BANK)
    question = BANK[0]
    store.record(question.id, "x", False, question.topic)
    assert question.id not in _shown_text(panel) and "Question" not in _shown_text(panel)
    panel.children[2].click()
    text = _shown_text(panel)
    assert "Last answered" in text and "Up to date" in panel.children[1].value


def test_while_presenting_the_presenters_own_progress_is_not_shown(store, monkeypatch):
    """Under sarcoma-edu present the panel holds only a note: the presenter's answers stay off the projector."""
    store.record(BANK[0].id, "x", False, BANK[0].topic)
    monkeypatch.setenv(PRESENT_ENV, "1")
    panel = quiz_progress(store, BANK)
    assert len(panel.children) == 1 and panel.children[0].value == PRESENTING_NOTE


def test_a_store_that_is_not_a_progress_store_is_named():
    """Passing something other than a ProgressStore says what was given and what is expected."""
    with pytest.raises(TypeError, match=r"store='progress\.sqlite3' is not a ProgressStore"):
        quiz_progress("progress.sqlite3")
