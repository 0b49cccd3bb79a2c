"""Where a reopened quiz carries on, and how it welcomes the student back.

The quiz opens at the next question not yet answered after the one answered last
(:func:`~sarcoma_edu.study.quiz_progress.resume_point`), counting only the answers given in this
quiz: a bank question that another lesson also asks
(:data:`~sarcoma_edu.course.exercises.LESSON_BANK_QUESTIONS`) and was answered there is that lesson's
answer. What was answered comes from the progress file, or from this session's answers while there
is none or it cannot be read (:func:`answered_so_far`). The welcome says how many questions were
answered here and how many were right, where the student was, and what the lessons recorded besides
(their shared questions, and in lesson 07 the exercises), all in words.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sarcoma_edu.course.exercises import LESSON_BANK_QUESTIONS
from sarcoma_edu.course.quiz import Question
from sarcoma_edu.progress.store import ProgressStore, ProgressWarning
from sarcoma_edu.study.quiz_progress import Resume, resume_point

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["answered_so_far", "resume"]


def answered_so_far(progress: ProgressStore | None, session: Sequence[dict[str, object]]) -> pd.DataFrame:
    """The saved attempts (``question_id``, ``correct``, oldest first), or ``session``'s answers alone
    when nothing is saved or the progress file cannot be read just now."""
    import pandas as pd

    answered = pd.DataFrame(session, columns=["question_id", "correct"])
    if progress is None:
        return answered
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ProgressWarning)
            return progress.attempts()[["question_id", "correct"]]
    except OSError:
        return answered


def resume(queue: Sequence[Question], attempts: pd.DataFrame, lesson: str) -> tuple[Resume, str]:
    """Where the quiz in ``lesson`` carries on over ``queue``, and its welcome ("" for a student new to it).

    Args:
        queue: the questions in the order the quiz asks them.
        attempts: the saved attempts (``question_id``, ``correct``, oldest first).
        lesson: the lesson the quiz is in, e.g. ``"07_quiz"``.
    """
    elsewhere = {i: other for other, ids in LESSON_BANK_QUESTIONS.items() if other != lesson for i in ids}
    here = attempts[~attempts["question_id"].isin(elsewhere)] if len(attempts) else attempts
    where = resume_point(queue, here)
    also = _answered_in_lessons(queue, attempts, elsewhere, lesson)
    if where.last is None:  # never used here: no welcome back, but say what the lessons recorded
        return where, f"You have already answered {also}. Here is question 1." if also else ""
    total, last = len(queue), queue[where.last]
    done = "every question" if where.answered == total else f"{where.answered} of the {total} questions"
    return where, (
        f"Welcome back. So far you have answered {done} here, {where.right} of them right the last "
        f"time you answered. You were at question {where.last + 1} of {total} ({last.topic}); here is "
        f"question {where.index + 1}, "
        + ("the next one you have not answered yet." if where.answered < total else "the one after it.")
        + (f" You have also answered {also}." if also else "")
    )


def _answered_in_lessons(
    queue: Sequence[Question], attempts: pd.DataFrame, elsewhere: dict[str, str], lesson: str
) -> str:
    """What was answered outside this quiz, in words: this set's questions asked in a lesson, and exercises."""
    if not len(attempts):
        return ""
    ids = set(attempts["question_id"])
    in_set = {q.id for q in queue}
    lessons = sorted({elsewhere[i] for i in ids & in_set & set(elsewhere)})
    shared = len(ids & in_set & set(elsewhere))
    exercises = sum(str(i).startswith("ex-") for i in ids) if lesson == "07_quiz" else 0
    parts = []
    if shared:
        where = ", ".join(f"lesson {name[:2]}" for name in lessons)
        parts.append(f"{shared} of these questions in {where} (the quiz asks them again when you reach them)")
    if exercises:
        parts.append(f"{exercises} exercise{'s' if exercises > 1 else ''} in the lessons (predictions and self-checks)")
    return " and ".join(parts) + (", all saved with your progress" if parts else "")
