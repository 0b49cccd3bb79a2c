"""Quiz questions, and checking an answer: is it right, why, and where the fact comes from.

A :class:`Question` is what a quiz asks: its answers (each with the feedback written for it), the
explanation of the right answer, its source and the learning objectives it assesses (ids of
``datasets/objectives.csv``). :func:`check` judges an answer and returns :class:`Feedback`;
:func:`key_line` and :func:`tick_hint` are the lines the widgets show around it. Questions come
from bank files (:mod:`sarcoma_edu.course.banks`), in-lesson exercises
(:mod:`sarcoma_edu.course.exercises`), tumour-board cases (:mod:`sarcoma_edu.course.cases`) and
random patients (:mod:`sarcoma_edu.course.generated`).

A ``many_choice`` question is right when exactly its correct answers are ticked. With
``accept_any_correct`` its correct answers are alternatives (for example two readings of a
source that can both be defended): any of them ticked, and no wrong answer, is right. jupyterquiz
has no such field and grades it as an ordinary many_choice question: a student who ticks one
alternative sees a count such as "[1/2]", as if the answer were incomplete.
:meth:`Question.to_jupyterquiz` therefore adds :data:`ANY_CORRECT_NOTE` to the question text; a
bank file loaded into jupyterquiz directly shows the question as written.

Question text is untrusted: this module keeps it as plain text, and every renderer escapes it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sarcoma_edu.common import checks as _checks

__all__ = [
    "ANY_CORRECT_NOTE",
    "DIFFICULTIES",
    "QUESTION_TYPES",
    "TOPICS",
    "Answer",
    "Feedback",
    "Question",
    "check",
    "key_line",
    "numeric_matches",
    "tick_hint",
]

TOPICS: tuple[str, ...] = (
    "risk factors",
    "diagnosis",
    "grade",
    "staging",
    "metastasis",
    "treatment",
    "drugs",
    "sequencing",
)
QUESTION_TYPES: tuple[str, ...] = ("multiple_choice", "many_choice", "numeric")
DIFFICULTIES: tuple[str, ...] = ("easy", "medium", "hard")
# added to an accept_any_correct question exported to jupyterquiz, which counts the right answers ticked ("[1/2]")
ANY_CORRECT_NOTE = (
    "(Any one of the right answers is right on its own, and so are several, with no wrong one: a count such as "
    "[1/2] beside the feedback does not mean your answer is incomplete.)"
)


@dataclass(frozen=True)
class Answer:
    """One answer of a question.

    For choice questions ``answer`` is the text shown; for numeric questions either ``value``
    (an exact number) or ``range`` (inclusive low and high) is set. ``feedback`` is shown when
    the student picks this answer.
    """

    correct: bool
    answer: str | None = None
    value: float | None = None
    range: tuple[float, float] | None = None
    feedback: str = ""


@dataclass(frozen=True)
class Question:
    """One quiz question with its answers, an explanation of the right answer and its source."""

    id: str
    topic: str
    type: str
    question: str
    answers: tuple[Answer, ...]
    explanation: str
    source: str
    difficulty: str = "medium"
    precision: int | None = None
    case: dict[str, Any] = field(default_factory=dict, compare=False)
    objectives: tuple[str, ...] = ()  # ids of datasets/objectives.csv; kept out of to_jupyterquiz()
    accept_any_correct: bool = False  # many_choice: any correct answers, and no wrong one, are right

    @property
    def choices(self) -> tuple[str, ...]:
        """The answer texts of a choice question, in order (empty for numeric questions)."""
        return tuple(a.answer for a in self.answers if a.answer is not None)

    @property
    def correct_answers(self) -> tuple[Answer, ...]:
        """The answers marked correct."""
        return tuple(a for a in self.answers if a.correct)

    def to_jupyterquiz(self) -> dict[str, Any]:
        """Return the plain dict jupyterquiz's ``display_quiz`` accepts for this question.

        jupyterquiz has no ``accept_any_correct``: such a question's text ends with
        :data:`ANY_CORRECT_NOTE`, so a student who ticks one alternative is told it is enough.
        """
        text = f"{self.question} {ANY_CORRECT_NOTE}" if self.accept_any_correct else self.question
        out: dict[str, Any] = {"question": text, "type": self.type, "answers": []}
        for a in self.answers:
            if self.type == "numeric":
                item: dict[str, Any] = {"range": list(a.range)} if a.range else {"value": a.value}
                item["correct"] = a.correct
            else:
                item = {"answer": a.answer, "correct": a.correct}
            if a.feedback:
                item["feedback"] = a.feedback
            out["answers"].append(item)
        if self.type == "numeric":
            out["answers"].append({"type": "default", "feedback": "Not quite: " + self.explanation})
            if self.precision is not None:
                out["precision"] = self.precision
        return out


@dataclass(frozen=True)
class Feedback:
    """The verdict on one answer: right or not, why, and where the fact comes from."""

    correct: bool
    explanation: str
    source: str = ""
    answer_feedback: str = ""


# --- checking ---------------------------------------------------------------------------------


def numeric_matches(answer: Answer, value: float, precision: int | None) -> bool:
    """True when the number ``value`` is what a numeric ``answer`` takes (its range, or its value at ``precision``)."""
    if answer.range is not None:
        return answer.range[0] <= value <= answer.range[1]
    assert answer.value is not None
    if precision is not None:
        return float(f"{value:.{precision}g}") == float(f"{answer.value:.{precision}g}")
    return math.isclose(value, answer.value, rel_tol=1e-9, abs_tol=1e-9)


def _chosen(question: Question, answer: object) -> tuple[bool, str]:
    """Return (correct, the chosen answer's feedback) after checking ``answer`` is allowed."""
    if question.type == "multiple_choice":
        if not isinstance(answer, str) or answer not in question.choices:
            raise ValueError(
                f"answer={_checks.show(answer)} is not one of this question's answers: "
                + "; ".join(repr(c) for c in question.choices)
            )
        picked = question.answers[question.choices.index(answer)]
        return picked.correct, picked.feedback
    if question.type == "many_choice":
        if isinstance(answer, str) or not isinstance(answer, Sequence | set | frozenset):
            raise TypeError(f"answer={_checks.show(answer)} is not a list of answer texts (many_choice)")
        unknown = [a for a in answer if a not in question.choices]
        if unknown:
            raise ValueError(
                f"answer={_checks.show(list(answer))} has {unknown[0]!r}, which is not one of this question's answers"
            )
        picked = set(answer)
        right = {a.answer for a in question.correct_answers}
        notes = [a.feedback for a in question.answers if a.answer in picked and a.feedback]
        if question.accept_any_correct:
            return bool(picked) and picked <= right, " ".join(notes)
        return picked == right, " ".join(notes)
    value = _checks.real_number("answer", answer, "a number")
    for a in question.answers:
        if numeric_matches(a, value, question.precision):
            return a.correct, a.feedback
    return False, ""


def check(question: Question, answer: object) -> Feedback:
    """Check an answer and explain the right one.

    Args:
        question: the :class:`Question`.
        answer: the chosen answer's text (``multiple_choice``), a list of texts
            (``many_choice``), or a number (``numeric``).

    Returns:
        :class:`Feedback` with ``correct``, the explanation, the source and the feedback written
        for the chosen answer.

    Raises:
        TypeError, ValueError: an answer of the wrong kind or one the question does not offer,
            naming the value and what is allowed.
    """
    if not isinstance(question, Question):
        raise TypeError(f"question={_checks.show(question)} is not a Question (see load_bank)")
    correct, note = _chosen(question, answer)
    return Feedback(correct, question.explanation, question.source, note)


def _answer_words(answer: Answer) -> str:
    """An answer as a student reads it: its text, or the number or range it takes."""
    if answer.answer is not None:
        return answer.answer
    if answer.range is not None:
        return f"between {answer.range[0]:g} and {answer.range[1]:g}"
    return f"{answer.value:g}"


def key_line(question: Question, answer: object, correct: bool) -> str:
    """The line shown under a checked answer that names the right answers ("" when there is nothing to add).

    A wrong answer is followed by the right one(s). For a question with ``accept_any_correct`` the line says
    that any of them counts, and a right answer that did not tick them all is shown the others (the
    other readings are part of what the question teaches). Plain text: the caller escapes it.
    """
    right = [_answer_words(a) for a in question.correct_answers]
    if not question.accept_any_correct:
        return "" if correct else "The right answer: " + "; ".join(right)
    if not correct:
        return "Right answers (ticking any of them, and no wrong one, counts): " + "; ".join(right)
    picked = set(answer) if isinstance(answer, list | tuple | set | frozenset) else {answer}
    others = [text for text in right if text not in picked]
    return "Also right (any of them counts): " + "; ".join(others) if others else ""


def tick_hint(question: Question) -> str:
    """What a many_choice question asks the student to tick, in plain words (the widgets show it)."""
    if question.accept_any_correct:
        return "Tick every answer you can defend (one right answer is enough; a wrong one is not), then check:"
    return "Tick every right answer, then check:"
