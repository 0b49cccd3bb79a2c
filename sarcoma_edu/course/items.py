"""The item catalog: the one place that finds the question behind any id a student answers.

An *item* is anything a student answers, recorded in the progress store by its id:

=========================  =====================================  ==============================
id                         what it is                             where it comes from
=========================  =====================================  ==============================
``st-ia``                  a bank question                        ``datasets/quiz/`` or her ``quiz/``
``ex-03-retro-nodes``      an in-lesson exercise                  ``datasets/exercises/`` or her ``exercises/``
``case:<case>:<step>``     a tumour board case step               ``datasets/cases/``, her ``cases/``, or
                                                                  ``generated-<seed>`` made up from a seed
``case-stage-42``          a question about a made-up patient     :mod:`sarcoma_edu.course.generated`
=========================  =====================================  ==============================

:func:`item` returns its :class:`~sarcoma_edu.course.quiz.Question` (id, text, answers, explanation,
objectives...); :func:`quiz_question` the question a quiz can ask again on its own (not a case
step, which builds on the earlier steps of its case, nor an ordering exercise). Built-in content is
looked up first: an instructor's item that reuses a built-in id is refused when her folder is
loaded (:mod:`sarcoma_edu.course.content`), so an id always means one question. Her content
folder is ``content`` (``--content DIR``) or ``$SARCOMA_EDU_CONTENT``
(:mod:`sarcoma_edu.course.content_folder`). Grading stays in :mod:`sarcoma_edu.course.quiz`.
"""

from __future__ import annotations

import functools
from pathlib import Path

from sarcoma_edu.common import checks as _checks
from sarcoma_edu.course.banks import bank_paths, load_bank
from sarcoma_edu.course.case_files import load_cases
from sarcoma_edu.course.case_model import Case
from sarcoma_edu.course.cases import case_from_step_id
from sarcoma_edu.course.content import Content, load_content
from sarcoma_edu.course.content_folder import CONTENT_VARIABLE, ContentFolderError, content_files, content_folder
from sarcoma_edu.course.exercises import Exercise, exercise, exercises_of_lesson, load_exercises
from sarcoma_edu.course.generated import question_from_id
from sarcoma_edu.course.quiz import Question

__all__ = [
    "CONTENT_VARIABLE",
    "ContentFolderError",
    "UnknownItemError",
    "all_cases",
    "bank_questions",
    "case_of_step",
    "content_files",
    "content_folder",
    "find_exercise",
    "instructor_content",
    "item",
    "lesson_exercises",
    "quiz_question",
]

_ID_FORMS = (
    "ids look like 'st-ia' (a question), 'ex-03-retro-nodes' (an exercise), 'case:<case>:<step>' "
    "(a tumour board step) or 'case-stage-42' (a made-up patient)"
)


class UnknownItemError(KeyError, ValueError):
    """No question, exercise, case step or generated question has this id (the message says where it looked)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


def instructor_content(content: str | Path | None = None, *, option: str = "--content") -> Content:
    """The instructor's content (see :func:`~sarcoma_edu.course.content.load_content`).

    ``content`` names her folder; None reads ``$SARCOMA_EDU_CONTENT``. Without a folder it is empty.
    Raises :class:`ContentFolderError` for a folder that cannot be used, naming ``option`` (or the variable).
    """
    return load_content(content_folder(content, option=option))


@functools.lru_cache(maxsize=2)
def _builtin_questions(_stamps: tuple[tuple[str, int, int], ...]) -> dict[str, tuple[Question, bool]]:
    """Built-in bank questions, then exercises, by id, each with whether a quiz can ask it alone (not an ordering).

    Read again when a bank file changes (the exercises are read once per session).
    """
    found = {q.id: (q, True) for q in load_bank()}
    for ex in load_exercises():
        found.setdefault(ex.id, (ex.question, ex.type != "ordering"))
    return found


def _builtin() -> dict[str, tuple[Question, bool]]:
    stamps = []
    for p in bank_paths():
        info = p.stat()
        stamps.append((str(p), info.st_mtime_ns, info.st_size))
    return _builtin_questions(tuple(stamps))


def bank_questions(content: str | Path | None = None) -> list[Question]:
    """The quiz's questions: the built-in banks, then the instructor's (those refused for a clash left out)."""
    return [*load_bank(), *instructor_content(content).questions]


def all_cases(content: str | Path | None = None) -> list[Case]:
    """The tumour board's cases: the built-in ones, then the instructor's (those refused for a clash left out)."""
    return [*load_cases(), *instructor_content(content).cases]


def lesson_exercises(lesson: str, content: str | Path | None = None) -> list[Exercise]:
    """A lesson's exercises, built-in then the instructor's for that lesson (``"03_staging"`` or ``"03"``).

    Raises:
        ValueError: neither the built-in exercises nor hers have this lesson.
    """
    return exercises_of_lesson([*load_exercises(), *instructor_content(content).exercises], lesson)


def find_exercise(exercise_id: str, content: str | Path | None = None) -> Exercise:
    """The exercise with this id, built-in or the instructor's (her folder is read only for an id not built in).

    Raises:
        ValueError: no exercise has this id (the message names the lesson's ids when the id's lesson has some).
    """
    builtin = load_exercises()
    if any(e.id == exercise_id for e in builtin):
        return exercise(exercise_id, among=builtin)
    return exercise(exercise_id, among=[*builtin, *instructor_content(content).exercises])


def case_of_step(item_id: str, content: str | Path | None = None) -> Case | None:
    """The case a step id ``case:<case id>:<step id>`` belongs to: built-in, the instructor's or made up from a seed.

    Returns None for an id of another kind or of a case that no longer exists (her folder is read
    only for a case that is not built in).

    Raises:
        ContentFolderError: the case is not built in and the content folder named cannot be used.
    """
    case = case_from_step_id(item_id)
    if case is None and isinstance(item_id, str) and item_id.startswith("case:"):
        case = case_from_step_id(item_id, instructor_content(content).cases)
    return case


def _step(item_id: str, content: str | Path | None) -> Question | None:
    case = case_of_step(item_id, content)
    if case is None:
        return None
    return next((s.question for s in case.steps if s.question.id == item_id), None)


def _find(item_id: str, content: str | Path | None) -> tuple[Question, bool] | None:
    """The question and whether a quiz can ask it alone, or None."""
    if not isinstance(item_id, str):
        raise TypeError(f"item_id={_checks.show(item_id)} is a {type(item_id).__name__}; expected a string id")
    generated = question_from_id(item_id)
    if generated is not None:
        return generated, True
    if item_id.startswith("case:"):
        step = _step(item_id, content)
        return None if step is None else (step, False)
    found = _builtin().get(item_id)
    if found is not None:
        return found
    hers = instructor_content(content)
    for question in hers.questions:
        if question.id == item_id:
            return question, True
    for ex in hers.exercises:
        if ex.id == item_id:
            return ex.question, ex.type != "ordering"
    return None


def item(item_id: str, content: str | Path | None = None) -> Question:
    """The question behind any id a student answers: bank question, exercise, case step or generated question.

    Args:
        item_id: the id the progress store records (see the table above).
        content: the instructor's content folder; None for ``$SARCOMA_EDU_CONTENT`` (or none). Built-in
            items are found without reading it.

    Returns:
        The :class:`~sarcoma_edu.course.quiz.Question` (an ordering exercise's question has one answer
        per possible order).

    Raises:
        UnknownItemError: no item has this id (a KeyError and a ValueError), saying where it looked.
        ContentFolderError: the id is not built-in and the content folder named cannot be used.
        TypeError: ``item_id`` is not a string.
    """
    found = _find(item_id, content)
    if found is None:
        folder = content_folder(content)
        where = f" nor in the content folder {folder}" if folder is not None else ""
        raise UnknownItemError(
            f"item_id={_checks.show(item_id)} is not an item: no built-in question, exercise, case step or "
            f"generated question has this id{where}; {_ID_FORMS}"
        )
    return found[0]


def quiz_question(item_id: str, content: str | Path | None = None) -> Question | None:
    """The question a quiz can ask again on its own from its recorded id, or None.

    Bank questions (built-in or the instructor's), exercises and generated questions are asked
    again; a tumour board step (it builds on the earlier steps of its case: the student reopens the
    case), an ordering exercise (asked only in its lesson) and an unknown id give None.

    Raises:
        ContentFolderError: the id is not built-in and the content folder named cannot be used.
    """
    if not isinstance(item_id, str) or item_id.startswith("case:"):
        return None
    found = _find(item_id, content)
    return found[0] if found is not None and found[1] else None
