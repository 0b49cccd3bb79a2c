"""A student's progress lesson by lesson: the lessons' exercises, the quiz and the tumour board together.

Every attempt in the progress store belongs to a lesson (:func:`lesson_of`: an exercise to the
lesson whose number its id carries, a tumour-board step to lesson 08, any other question to the
quiz, lesson 07). :func:`progress_by_lesson` counts, lesson by lesson, how many exercises there are,
how many were answered, how many were right the last time and how many answers were given.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from sarcoma_edu.common import checks as _checks
from sarcoma_edu.course.exercises import EXERCISE_ID, load_exercises
from sarcoma_edu.course.items import ContentFolderError, instructor_content
from sarcoma_edu.course.objectives import load_objectives

__all__ = ["lesson_of", "progress_by_lesson"]

_QUIZ_LESSON = "07_quiz"
_BOARD_LESSON = "08_tumour_board"


def lesson_of(question_id: str) -> str | None:
    """The lesson an attempt belongs to: the exercise's lesson, 08 for a tumour board step, 07 for a quiz question.

    ``ex-03-retro-nodes`` gives ``"03_staging"`` (the lesson whose number the id carries, or None if
    no lesson has that number); ``case:...`` (a tumour board step) gives ``"08_tumour_board"``; any
    other id is a quiz question (built-in, an instructor's or a generated ``case-stage-5``): ``"07_quiz"``.
    """
    if not isinstance(question_id, str):
        raise TypeError(f"question_id={_checks.show(question_id)} is not a string")
    match = EXERCISE_ID.fullmatch(question_id)
    if match:
        lessons = sorted({o.lesson for o in load_objectives().values()})
        return next((lesson for lesson in lessons if lesson[:2] == match.group(1)), None)
    if question_id.startswith("case:"):
        return _BOARD_LESSON
    return _QUIZ_LESSON


def progress_by_lesson(attempts: pd.DataFrame | Any, content: str | Path | None = None) -> pd.DataFrame:
    """A student's progress lesson by lesson, the lessons' exercises and the quiz together.

    Args:
        attempts: :meth:`ProgressStore.attempts` (a frame with ``question_id``, ``correct`` and
            ``answered_at``), or the store itself.
        content: the instructor's content folder, whose exercises count with their lesson's; None reads
            ``$SARCOMA_EDU_CONTENT`` (a folder that cannot be read counts the built-in exercises only:
            the widgets that show her items name the problem).

    Returns:
        One row per lesson, in course order: ``lesson``, ``exercises`` (how many the lesson has),
        ``answered`` (how many different questions were answered there), ``right_last_time`` (of
        those, how many were right the last time) and ``attempts`` (every answer given). Lessons
        with no exercises appear once something was answered in them (the quiz, the tumour board).
    """
    frame = attempts.attempts() if hasattr(attempts, "attempts") else attempts
    if not isinstance(frame, pd.DataFrame) or not {"question_id", "correct"} <= set(frame.columns):
        raise TypeError("attempts must be a ProgressStore or its attempts() table (question_id, correct, answered_at)")
    counts: dict[str, int] = {}
    try:
        hers = instructor_content(content).exercises
    except ContentFolderError:
        hers = ()
    for ex in (*load_exercises(), *hers):
        counts[ex.lesson] = counts.get(ex.lesson, 0) + 1
    frame = frame.assign(lesson=[lesson_of(i) for i in frame["question_id"]])
    if "answered_at" in frame.columns:
        frame = frame.sort_values("answered_at", kind="stable")
    last = frame.groupby("question_id", sort=False).tail(1)
    rows = []
    for lesson in sorted(set(counts) | {x for x in frame["lesson"] if x}):
        mine, latest = frame[frame["lesson"] == lesson], last[last["lesson"] == lesson]
        rows.append(
            (lesson, counts.get(lesson, 0), latest["question_id"].nunique(), int(latest["correct"].sum()), len(mine))
        )
    return pd.DataFrame(rows, columns=["lesson", "exercises", "answered", "right_last_time", "attempts"])
