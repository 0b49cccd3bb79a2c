"""The quiz goes on when its progress file cannot be written, and says plainly that answers are not saved."""

from __future__ import annotations

import os
import sqlite3

import pytest

from sarcoma_edu.course.banks import load_bank
from sarcoma_edu.progress import files as progress_file
from sarcoma_edu.progress.store import ProgressStore, ProgressWarning
from sarcoma_edu.widgets.quiz import quiz_widget

BANK = load_bank()


def _answer_right(widget):
    return widget.answer(widget.question.correct_answers[0].answer or widget.question.correct_answers[0].value)


def test_a_busy_progress_file_still_checks_the_answer_and_says_it_was_not_saved(tmp_path):
    """With the file locked by another program, the answer is checked and the widget says it was not saved."""
    path = tmp_path / "progress.sqlite3"
    store = ProgressStore(path, timeout=0.2)
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN EXCLUSIVE")
    try:
        widget = quiz_widget(BANK, progress=store)
        feedback = _answer_right(widget)
    finally:
        other.execute("COMMIT")
        other.close()
    assert feedback.correct and "✓ Correct." in widget.result.value
    assert "Checked, but not saved:" in widget.result.value
    assert "the progress file is in use by another program; your answer was not saved; try again" in widget.result.value
    assert "Traceback" not in widget.result.value and store.attempts().empty
    assert sorted(p.name for p in tmp_path.iterdir()) == ["progress.sqlite3"]


def test_after_a_busy_moment_the_next_answer_is_saved(tmp_path):
    """Once the other program lets go, the next answer is saved as usual."""
    path = tmp_path / "progress.sqlite3"
    store = ProgressStore(path, timeout=0.2)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    widget = quiz_widget(BANK, progress=store)
    _answer_right(widget)
    other.execute("COMMIT")
    other.close()
    widget.next()
    _answer_right(widget)
    assert "not saved" not in widget.result.value and len(store.attempts()) == 1


def test_a_read_only_progress_file_is_named_as_the_reason(tmp_path, monkeypatch):
    """With a read-only file the quiz says at once and with each answer that answers are not saved, and why."""
    path = tmp_path / "progress.sqlite3"
    ProgressStore(path).record("st-ia", "IA", True, "staging")
    monkeypatch.setattr(progress_file, "_can_write", lambda p: os.path.realpath(p) != str(path))
    widget = quiz_widget(BANK, progress=ProgressStore(path))
    assert "checked but not saved" in widget.status.value and "is read-only" in widget.status.value
    feedback = _answer_right(widget)
    assert feedback.correct and "Checked, but not saved:" in widget.result.value
    assert "answers are not being saved because the progress file" in widget.result.value
    assert len(ProgressStore(path).attempts()) == 1


def test_a_default_progress_path_that_is_a_folder_leaves_the_quiz_working(tmp_path, monkeypatch):
    """SARCOMA_EDU_PROGRESS set to a folder: the quiz opens, checks answers and names the problem."""
    monkeypatch.setenv("SARCOMA_EDU_PROGRESS", str(tmp_path))
    widget = quiz_widget(BANK)
    assert widget.progress is None and "is a folder" in widget.status.value
    feedback = _answer_right(widget)
    assert feedback.correct and "answers are not being saved in this quiz" in widget.result.value
    assert list(tmp_path.iterdir()) == []


def test_practise_my_mistakes_uses_this_session_while_the_file_is_busy(tmp_path):
    """If the file is locked when asking for mistakes, this session's mistakes are practised, no traceback."""
    path = tmp_path / "progress.sqlite3"
    store = ProgressStore(path, timeout=0.2)
    widget = quiz_widget(BANK, progress=store)
    wrong = next(c for c in widget.question.choices if c not in {a.answer for a in widget.question.correct_answers})
    widget.answer(wrong)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        assert widget.practise_mistakes() == 1
    finally:
        other.execute("COMMIT")
        other.close()


def test_a_moved_aside_file_is_named_with_the_recover_command(tmp_path):
    """When the old file was moved aside, the quiz names the copy and the command that brings it back."""
    path = tmp_path / "progress.sqlite3"
    path.write_bytes(b"not a database" * 100)
    with pytest.warns(ProgressWarning):
        store = ProgressStore(path)
    widget = quiz_widget(BANK, progress=store)
    assert f"sarcoma-edu progress recover {store.moved_aside}" in widget.status.value
