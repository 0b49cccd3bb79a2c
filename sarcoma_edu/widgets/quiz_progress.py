"""The quiz's progress, figure and table, with an **Update** button (lesson 07).

:func:`quiz_progress` shows the student's answers by topic with their mastery of each objective
(:func:`~sarcoma_edu.display.progress_chart.progress_figure`) and every question answered, in words
(:func:`~sarcoma_edu.study.quiz_progress.progress_table`). **Update** brings both up to date without
running the cell again (in Voila too); a file that cannot be read just now gets a line saying so, and
under ``sarcoma-edu present`` a note takes their place, since the presenter's own progress is not for
the projector.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

import ipywidgets as w

from sarcoma_edu.course.quiz import Question
from sarcoma_edu.display import presentation
from sarcoma_edu.display.progress_chart import progress_figure
from sarcoma_edu.progress.store import ProgressStore
from sarcoma_edu.study.quiz_progress import progress_table
from sarcoma_edu.study.review import mastery
from sarcoma_edu.widgets.base import _records

__all__ = ["quiz_progress"]

PRESENTING_NOTE = (
    "<p role='note'><b>Your quiz progress</b> is not shown while presenting: on the projector it would be yours. "
    "Each student sees their own here, in their copy of this lesson.</p>"
)


def quiz_progress(store: ProgressStore, questions: Iterable[Question] = ()) -> w.VBox:
    """The quiz progress figure and table, brought up to date by an **Update** button.

    Args:
        store: the student's :class:`ProgressStore`.
        questions: the questions to name first in the table (the quiz's own bank).

    Returns:
        An ipywidgets ``VBox``; display it as the last line of a cell. Under ``sarcoma-edu present``
        it holds only a note saying why the presenter's progress is not shown.

    Raises:
        TypeError: ``store`` is not a ProgressStore.
    """
    if not isinstance(store, ProgressStore):
        raise TypeError(f"store={store!r} is not a ProgressStore; expected the student's ProgressStore()")
    if presentation.is_presenting():
        return w.VBox([w.HTML(PRESENTING_NOTE)])
    bank = list(questions)
    shown, status = w.Output(), w.HTML()
    button = w.Button(description="Update", tooltip="Count my answers again", layout=w.Layout(width="auto"))

    def update() -> None:
        try:
            figure = progress_figure(store.summary(by="topic"), mastery(store, by="objective"))
            table = progress_table(store, bank)
        except Exception as error:  # a busy or unreadable file: say so, keep what was shown
            status.value = f"<p role='status'>Your progress could not be read just now ({html.escape(str(error))}).</p>"
            return
        records = _records(figure)  # the figure and its text alternative, set as one state update (widgets.base)
        if not table.empty:
            plain = table.to_string(index=False)
            data = {"text/html": presentation.table_html(table), "text/plain": plain}
            records = (*records, {"output_type": "display_data", "data": data, "metadata": {}})
        shown.outputs = records
        status.value = (
            "<p role='status' style='margin:0.2em 0;color:#444'>Up to date: press Update after answering to count "
            "your new answers.</p>"
        )

    button.on_click(lambda _b: update())
    update()
    return w.VBox([shown, status, button])
