"""Lessons 07 and 08 set up by environment variables an instructor may mistype: a message, and the lesson works."""

from __future__ import annotations

from sarcoma_edu.course.content_folder import CONTENT_VARIABLE
from sarcoma_edu.progress.store import ProgressStore
from sarcoma_edu.widgets.quiz import quiz_widget
from sarcoma_edu.widgets.tumour_board import tumour_board


def test_a_content_variable_of_thousands_of_characters_is_named_in_short_in_the_quiz_and_the_board(
    tmp_path, monkeypatch
):
    """$SARCOMA_EDU_CONTENT set to a 5,000-character path: both widgets name it shortened, and why; both work."""
    monkeypatch.setenv(CONTENT_VARIABLE, "x" * 5000)
    monkeypatch.chdir(tmp_path)
    store = ProgressStore(tmp_path / "progress.sqlite3")
    quiz, board = quiz_widget(progress=store), tumour_board(progress=store, presenter=False)
    for shown in (quiz.status.value, board.problems.value):
        assert "$SARCOMA_EDU_CONTENT &#x27;xxx" in shown and "cannot be read (File name too long)" in shown
        assert len(shown) < 1500
    assert quiz.question is not None and board.start("limb-preop-radiation").id == "limb-preop-radiation"
