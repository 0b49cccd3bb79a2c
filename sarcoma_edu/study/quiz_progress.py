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
        from sarcoma_edu.course.cases import case_from_step_id

        case = case_from_step_id(question_id)
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
        from sarcoma_edu.course.cases import step_question
        from sarcoma_edu.course.generated import question_from_id

        rebuild = step_question if question_id.startswith("case:") else question_from_id
        try:
            question = rebuild(question_id)
        except (TypeError, ValueError):
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
        questions: the questions to name (e.g. ``load_bank()``); made-up patients and tumour board
            steps are named from their ids.

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


def lesson_progress(store: ProgressStore | None = None):
    """A student's progress lesson by lesson (:func:`~sarcoma_edu.course.lesson_progress.progress_by_lesson`) with an
    **Update** button, so it can be brought up to date without running its cell again (in Voila too).

    Under ``sarcoma-edu present`` it shows a note instead: the presenter's own progress is not put on
    the projector.

    Args:
        store: the student's :class:`ProgressStore`; None opens the default one.

    Returns:
        An ipywidgets ``VBox``; display it as the last line of a cell.
    """
    import html

    import ipywidgets as w

    from sarcoma_edu.course.lesson_progress import progress_by_lesson
    from sarcoma_edu.display import presentation

    intro = (
        "<p><b>Your progress, lesson by lesson.</b> The exercises of the lessons, the quiz (lesson 07) and the "
        "tumour board together: how many questions each lesson has, how many you have answered, and how many "
        "were right the last time you answered them.</p>"
    )
    if presentation.is_presenting():
        note = (
            "<p role='note'><b>Your progress, lesson by lesson</b> is not shown while presenting: on the projector "
            "it would be yours. Each student sees their own here, in their copy of this lesson.</p>"
        )
        return w.VBox([w.HTML(note)])
    table, status = w.HTML(), w.HTML()
    button = w.Button(description="Update", tooltip="Count my answers again", layout=w.Layout(width="auto"))

    def update() -> None:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ProgressWarning)  # unreadable old rows stay out, as in the quiz
                frame = progress_by_lesson(store if store is not None else ProgressStore())
        except Exception as error:  # a busy or unreadable file: say so, keep what was shown
            status.value = f"<p role='status'>Your progress could not be read just now ({html.escape(str(error))}).</p>"
            return
        shown = frame.rename(columns={"right_last_time": "right the last time"})
        table.value = presentation.table_html(shown)
        status.value = (
            "<p role='status' style='margin:0.2em 0;color:#444'>Up to date: press Update after answering to count "
            "your new answers.</p>"
        )

    button.on_click(lambda _b: update())
    update()
    return w.VBox([w.HTML(intro), table, status, button])
