"""What a poll asks and what counts as an answer to it: the item's question, one answer's value and its tally.

Any item a student answers can be polled: a quiz bank question, an in-lesson exercise (``ex-...``,
ordering ones too), a tumour-board case step (``case:<case>:<step>``) or a generated question
(``case-<kind>-<seed>``), built-in or from the instructor's content folder. :func:`poll_item` finds
its question in the item catalog (:mod:`sarcoma_edu.course.items`) and keeps what a poll needs of it
(:class:`PollItem`: its type and choices, written into the poll file when the poll opens, so that
students' kernels and the results read them from there); :func:`answer_value` checks an answer
against it (an answer not among the item's choices is refused) and puts it in one form;
:func:`tally` says which bars of the chart it counts in.

For a question where several answers may be ticked, each ticked answer counts once for that
student, so the bars say what share of the students ticked each answer.
"""

from __future__ import annotations

import difflib
import math
import numbers
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sarcoma_edu.common import checks as _checks
from sarcoma_edu.course.exercises import ORDER_JOIN, load_exercises
from sarcoma_edu.course.items import UnknownItemError, bank_questions, item
from sarcoma_edu.course.quiz import QUESTION_TYPES, Question

__all__ = ["PollItem", "UnknownItemError", "answer_value", "poll_item", "poll_question", "tally"]


@dataclass(frozen=True)
class PollItem:
    """What a poll keeps of its item: the id, the question type and the choices (none for a numeric question)."""

    id: str
    type: str
    choices: tuple[str, ...]

    def __post_init__(self) -> None:
        if self.type not in QUESTION_TYPES:
            raise ValueError(f"type={self.type!r} is not a question type; expected one of {', '.join(QUESTION_TYPES)}")
        if not all(isinstance(c, str) for c in self.choices) or (self.type != "numeric") != bool(self.choices):
            raise ValueError(f"choices={_checks.show(self.choices)} do not suit a {self.type} question")


def poll_question(item_id: str, content: str | Path | None = None) -> Question:
    """The question of the item ``item_id``, from the item catalog (:func:`sarcoma_edu.course.items.item`).

    Args:
        item_id: a bank question, exercise, case step or generated question id.
        content: the instructor's content folder; None for ``$SARCOMA_EDU_CONTENT`` (or none).

    Raises:
        TypeError: ``item_id`` is not a string.
        UnknownItemError: no item has this id (the message says the forms an id takes, and close ids).
        ContentFolderError: the id is not built-in and the content folder named cannot be used.
    """
    try:
        return item(item_id, content)
    except UnknownItemError as error:
        known = [q.id for q in bank_questions(content)] + [e.id for e in load_exercises()]
        near = difflib.get_close_matches(item_id, known, n=3, cutoff=0.75)
        if not near:
            raise
        raise UnknownItemError(f"{error}; did you mean {', '.join(near)}?") from None


def poll_item(item_id: str, content: str | Path | None = None) -> PollItem:
    """What a poll on ``item_id`` needs of its question (see :func:`poll_question` for the errors)."""
    question = poll_question(item_id, content)
    return PollItem(item_id, question.type, question.choices)


def answer_value(item: PollItem, answer: object) -> str | list[str] | float:
    """``answer`` in the form a poll keeps it, or ValueError/TypeError when the item does not offer it.

    A choice's text (an ordering given as its items in order is joined into its choice's text), the
    ticked texts in the item's own order, or a finite number.
    """
    choices = item.choices
    if item.type == "numeric":
        if isinstance(answer, bool) or not isinstance(answer, numbers.Real) or not math.isfinite(answer):
            raise ValueError(f"answer={_checks.show(answer)} is not a finite number (item {item.id!r})")
        return float(answer)
    if item.type == "many_choice":
        if isinstance(answer, str) or not isinstance(answer, Sequence):
            raise TypeError(f"answer={_checks.show(answer)} is not a list of answer texts (item {item.id!r})")
        unknown = [a for a in answer if not isinstance(a, str) or a not in choices]
        if unknown:
            shown = _checks.show(unknown[0])
            raise ValueError(f"answer has {shown}, which is not one of the answers of {item.id!r}")
        return [c for c in choices if c in answer]
    if not isinstance(answer, str) and isinstance(answer, Sequence) and all(isinstance(a, str) for a in answer):
        answer = ORDER_JOIN.join(answer)  # an ordering exercise: the items in the order given
    if not isinstance(answer, str) or answer not in choices:
        raise ValueError(f"answer={_checks.show(answer)} is not one of the answers of {item.id!r}")
    return answer


def tally(item: PollItem, value: str | list[str] | float) -> list[str]:
    """The bars one checked answer counts in: its text, each ticked text, or the number as written (7, 2.5)."""
    if item.type == "numeric":
        return [f"{value:g}"]
    return list(value) if isinstance(value, list) else [str(value)]
