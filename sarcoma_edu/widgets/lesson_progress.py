"""A student's progress lesson by lesson, as a table with an **Update** button (lesson 08).

:func:`lesson_progress` shows :func:`~sarcoma_edu.course.exercises.progress_by_lesson` (the lessons'
exercises, the quiz and the tumour board together) as a plain table that the student brings up to date
without running the cell again; a file that cannot be read just now gets a line saying so, and under
``sarcoma-edu present`` a note takes its place, since the presenter's own progress is not for the projector.
"""

from __future__ import annotations

import html
import warnings

import ipywidgets as w

from sarcoma_edu.course.lesson_progress import progress_by_lesson
from sarcoma_edu.display import presentation
from sarcoma_edu.progress.store import ProgressStore, ProgressWarning

__all__ = ["lesson_progress"]


def lesson_progress(store: ProgressStore | None = None) -> w.VBox:
    """A student's progress lesson by lesson (:func:`~sarcoma_edu.course.exercises.progress_by_lesson`) with an
    **Update** button, so it can be brought up to date without running its cell again (in Voila too).

    Under ``sarcoma-edu present`` it shows a note instead: the presenter's own progress is not put on
    the projector.

    Args:
        store: the student's :class:`ProgressStore`; None opens the default one.

    Returns:
        An ipywidgets ``VBox``; display it as the last line of a cell.
    """
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
