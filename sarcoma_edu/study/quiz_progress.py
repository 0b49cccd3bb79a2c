"""The quiz's order and the student's own record of it: topics interleaved, where to carry on, progress in words.

:func:`interleave` spreads the topics through "All topics" (so the quiz does not ask twelve risk
factor questions in a row); :func:`resume_point` finds the question a returning student carries on
from; :func:`progress_table` is the table of answers a student reads (the question in words, the
lesson or case it came from, local date and time), not the stored ids and UTC stamps.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from sarcoma_edu.course.objectives import load_objectives
from sarcoma_edu.course.quiz import Question
from sarcoma_edu.progress.store import ProgressStore, ProgressWarning

__all__ = ["Resume", "interleave", "progress_table", "resume_point"]

# how a stored time is shown to a student: local date and time, to the minute
TIME_FORMAT = "%d %b %Y, %H:%M"


def interleave(questions: Sequence[Question]) -> list[Question]:
    """The questions with their topics spread evenly through the set, the same order every time.

    Each topic keeps its own order (the bank's); its questions are placed at even steps through
    the whole set, so a topic with twice as many questions comes up twice as often, and a topic
    never fills a long run. Ties go to the topic that comes first in the bank.
    """
    by_topic: dict[str, list[Question]] = {}
    for question in questions:
        by_topic.setdefault(question.topic, []).append(question)
    keyed = [
        ((position + 0.5) / len(items), rank, position, question)
        for rank, items in enumerate(by_topic.values())
        for position, question in enumerate(items)
    ]
    return [question for *_key, question in sorted(keyed, key=lambda k: k[:3])]


@dataclass(frozen=True)
class Resume:
    """Where a student carries on in a set of questions.

    Attributes:
        index: the position in the set of the question to show next.
        answered: how many questions of the set were answered before (in any session).
        right: how many of those were right the last time they were answered.
        last: the position of the question answered most recently, or None if none was.
    """

    index: int
    answered: int
    right: int
    last: int | None


def resume_point(queue: Sequence[Question], attempts: pd.DataFrame) -> Resume:
    """The next question not yet answered after the one answered last, with the score so far.

    Args:
        queue: the questions in the order they are asked.
        attempts: saved attempts (``question_id``, ``correct``, oldest first), as
            :meth:`ProgressStore.attempts` returns them.

    When every question was answered, the set goes on after the last one answered.
    """
    positions = {q.id: i for i, q in enumerate(queue)}
    mine = attempts[attempts["question_id"].isin(positions)] if len(attempts) else attempts
    if mine.empty:
        return Resume(0, 0, 0, None)
    latest = mine.groupby("question_id", sort=False).tail(1)
    done = set(latest["question_id"])
    last = positions[mine["question_id"].iloc[-1]]
    after = [(last + step) % len(queue) for step in range(1, len(queue) + 1)]
    index = next((i for i in after if queue[i].id not in done), after[0])
    return Resume(index, len(done), int(latest["correct"].sum()), last)


def _where(question_id: str, question: Question | None) -> str:
    """The lesson or case a question comes from, in words."""
    if question_id.startswith("case:"):
        from sarcoma_edu.course.items import ContentFolderError, case_of_step

        try:
            case = case_of_step(question_id)
        except ContentFolderError:
            case = None
        return f"tumour board case: {case.title}" if case is not None else "a tumour board case"
    if question_id.startswith("case-"):
        return "a made-up patient ('New case' in the quiz)"
    objectives = load_objectives()
    lessons = [objectives[o].lesson for o in (question.objectives if question else ()) if o in objectives]
    if lessons:
        number, _, name = lessons[0].partition("_")
        return f"lesson {number} ({name.replace('_', ' ')})"
    return "the quiz"


def _words(question_id: str, known: dict[str, Question]) -> tuple[str, Question | None]:
    question = known.get(question_id)
    if question is None:
        from sarcoma_edu.course.items import item

        try:
            question = item(question_id)
        except (TypeError, ValueError):  # an unknown id, or a content folder that cannot be read
            question = None
    if question is None:
        return f"a question no longer in the quiz ({question_id})", None
    return question.question, question


def local_time(stamp: pd.Timestamp | datetime) -> str:
    """A stored (UTC) time as the student's local date and time, to the minute, e.g. '02 Dec 2026, 14:05'."""
    return pd.Timestamp(stamp).tz_convert(datetime.now().astimezone().tzinfo).strftime(TIME_FORMAT)


def progress_table(store: ProgressStore, questions: Iterable[Question] = ()) -> pd.DataFrame:
    """Every question the student answered, in words: where it is from, how often, how many right, when last.

    Args:
        store: the student's :class:`ProgressStore`.
        questions: the questions to name first (e.g. the quiz's own); any other id is named from
            the item catalog (:func:`sarcoma_edu.course.items.item`: questions, exercises, made-up
            patients and tumour board steps, built-in or the instructor's).

    Returns:
        One row per question, most recently answered first, with the columns "Question", "From",
        "Answered", "Right" and "Last answered" (local date and time, without seconds).
    """
    columns = ["Question", "From", "Answered", "Right", "Last answered"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ProgressWarning)  # unreadable old rows stay out, as in the quiz
        attempts = store.attempts()
    if attempts.empty:
        return pd.DataFrame(columns=columns)
    known = {q.id: q for q in questions}
    grouped = attempts.groupby("question_id", sort=False).agg(
        answered=("attempt_id", "size"), right=("correct", "sum"), last=("answered_at", "max")
    )
    rows = []
    for question_id, row in grouped.sort_values("last", ascending=False).iterrows():
        text, question = _words(str(question_id), known)
        rows.append(
            [text, _where(str(question_id), question), int(row["answered"]), int(row["right"]), local_time(row["last"])]
        )
    return pd.DataFrame(rows, columns=columns)
