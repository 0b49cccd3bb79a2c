"""The instructor's studio: forms that write a quiz question, a predict-then-check exercise or a tumour-board case.

Each form checks the draft as it is typed, with the checks ``sarcoma-edu bank check`` and ``case check``
use (:mod:`sarcoma_edu.course.authoring`), shows each problem under its field, previews the draft in the
widget a student uses, and saves it into the instructor's content folder (``SARCOMA_EDU_CONTENT``,
or the folder typed in the form). Lesson ``10_make_it_yours`` uses them::

    from sarcoma_edu.widgets.studio import case_form
    case_form()
"""

from __future__ import annotations

from pathlib import Path

from sarcoma_edu.widgets.studio.case_form import CaseForm
from sarcoma_edu.widgets.studio.question_form import ExerciseForm, QuestionForm

__all__ = ["CaseForm", "ExerciseForm", "QuestionForm", "case_form", "exercise_form", "question_form"]


def question_form(folder: str | Path | None = None) -> QuestionForm:
    """A form that writes a quiz question (one right answer, several, or a number) into the content folder.

    Args:
        folder: the content folder to save into; None uses ``$SARCOMA_EDU_CONTENT``, else ``my-content``
            next to the notebook (the form says so and how to set the variable).
    """
    return QuestionForm(folder)


def exercise_form(folder: str | Path | None = None) -> ExerciseForm:
    """A form that writes a predict-then-check exercise for a lesson into the content folder.

    Args:
        folder: the content folder to save into (see :func:`question_form`).
    """
    return ExerciseForm(folder)


def case_form(folder: str | Path | None = None) -> CaseForm:
    """A form that writes a tumour-board case from its story and facts, the library computing every answer it can.

    Args:
        folder: the content folder to save into (see :func:`question_form`).
    """
    return CaseForm(folder)
