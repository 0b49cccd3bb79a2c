"""Self-study quizzes: question banks, checking an answer, and feedback that teaches.

Banks are JSON files in the format jupyterquiz reads (``type``, ``question``, ``answers`` with
``answer``/``correct``/``feedback``, or ``value``/``range`` for numeric questions), extended with
our fields ``id``, ``topic``, ``difficulty``, ``explanation`` and ``source``. The built-in banks
live in ``datasets/quiz/``; their JSON Schema is ``datasets/quiz/quiz_bank.schema.json``.
Questions built from random patients are in :mod:`sarcoma_edu.quiz_cases`.

Bank text is untrusted: this module keeps it as plain text, and every renderer escapes it.
"""

from __future__ import annotations

import json
import math
import numbers
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sarcoma_edu import _checks
from sarcoma_edu.data import _datasets_root

__all__ = [
    "DIFFICULTIES",
    "QUESTION_TYPES",
    "TOPICS",
    "Answer",
    "Feedback",
    "Question",
    "QuizBankError",
    "bank_paths",
    "check",
    "load_bank",
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
_TEXT_FIELDS = ("id", "question", "explanation", "source")


class QuizBankError(ValueError):
    """A question bank that cannot be used: names the file, the question (index and id) and the field."""


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

    @property
    def choices(self) -> tuple[str, ...]:
        """The answer texts of a choice question, in order (empty for numeric questions)."""
        return tuple(a.answer for a in self.answers if a.answer is not None)

    @property
    def correct_answers(self) -> tuple[Answer, ...]:
        """The answers marked correct."""
        return tuple(a for a in self.answers if a.correct)

    def to_jupyterquiz(self) -> dict[str, Any]:
        """Return the plain dict jupyterquiz's ``display_quiz`` accepts for this question."""
        out: dict[str, Any] = {"question": self.question, "type": self.type, "answers": []}
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


# --- loading ----------------------------------------------------------------------------------


class _Where:
    """Builds QuizBankError messages that name the file, the question and the field."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.index: int | None = None
        self.id: object = None

    def error(self, field_name: str, problem: str) -> QuizBankError:
        where = f"{self.path}"
        if self.index is not None:
            where += f", question {self.index}" + (f" (id {self.id!r})" if self.id is not None else "")
        return QuizBankError(f"{where}, field {field_name!r}: {problem}")


def _text(where: _Where, item: dict, name: str, *, required: bool = True) -> str:
    value = item.get(name)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value.strip():
        raise where.error(name, f"{_checks.show(value)} is not a non-empty string")
    return value


def _number(where: _Where, name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(float(value)):
        raise where.error(name, f"{_checks.show(value)} is not a finite number")
    return float(value)


def _answer(where: _Where, qtype: str, k: int, item: object) -> Answer:
    name = f"answers[{k}]"
    if not isinstance(item, dict):
        raise where.error(name, f"{_checks.show(item)} is not an object")
    correct = item.get("correct")
    if not isinstance(correct, bool):
        raise where.error(f"{name}.correct", f"{_checks.show(correct)} is not true or false")
    feedback = _text(where, item, "feedback", required=False) if "feedback" in item else ""
    if qtype != "numeric":
        return Answer(correct, answer=_text(where, item, "answer"), feedback=feedback)
    if "range" in item:
        bounds = item["range"]
        if not isinstance(bounds, list) or len(bounds) != 2:
            raise where.error(f"{name}.range", f"{_checks.show(bounds)} is not a list [low, high]")
        low, high = (_number(where, f"{name}.range", b) for b in bounds)
        if low > high:
            raise where.error(f"{name}.range", f"low {low:g} is above high {high:g}")
        return Answer(correct, range=(low, high), feedback=feedback)
    if "value" in item:
        return Answer(correct, value=_number(where, f"{name}.value", item["value"]), feedback=feedback)
    raise where.error(name, "a numeric answer needs 'value' or 'range'")


def _question(where: _Where, item: object) -> Question:
    if not isinstance(item, dict):
        raise where.error("question", f"{_checks.show(item)} is not an object")
    where.id = item.get("id")
    texts = {name: _text(where, item, name) for name in _TEXT_FIELDS}
    qtype = _text(where, item, "type")
    if qtype not in QUESTION_TYPES:
        raise where.error("type", f"{qtype!r} is not one of {', '.join(QUESTION_TYPES)}")
    topic = _text(where, item, "topic")
    if topic not in TOPICS:
        raise where.error("topic", f"{topic!r} is not one of {', '.join(TOPICS)}")
    difficulty = item.get("difficulty", "medium")
    if difficulty not in DIFFICULTIES:
        raise where.error("difficulty", f"{_checks.show(difficulty)} is not one of {', '.join(DIFFICULTIES)}")
    raw_answers = item.get("answers")
    if not isinstance(raw_answers, list) or not raw_answers:
        raise where.error("answers", f"{_checks.show(raw_answers)} is not a non-empty list")
    answers = tuple(_answer(where, qtype, k, a) for k, a in enumerate(raw_answers))
    correct = sum(a.correct for a in answers)
    if correct == 0:
        raise where.error("answers", "no answer is marked correct")
    if qtype == "multiple_choice" and correct != 1:
        raise where.error("answers", f"a multiple_choice question needs exactly one correct answer, not {correct}")
    texts_seen = [a.answer for a in answers if a.answer is not None]
    if len(set(texts_seen)) != len(texts_seen):
        raise where.error("answers", "two answers have the same text")
    precision = item.get("precision")
    if precision is not None and (isinstance(precision, bool) or not isinstance(precision, int) or precision < 1):
        raise where.error("precision", f"{_checks.show(precision)} is not a whole number of digits, 1 or more")
    unknown = set(item) - {*_TEXT_FIELDS, "type", "topic", "difficulty", "answers", "precision"}
    if unknown:
        raise where.error(sorted(unknown)[0], "is not a field of a question")
    return Question(
        id=texts["id"],
        topic=topic,
        type=qtype,
        question=texts["question"],
        answers=answers,
        explanation=texts["explanation"],
        source=texts["source"],
        difficulty=difficulty,
        precision=precision,
    )


def _load_file(path: Path) -> list[Question]:
    where = _Where(path)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise QuizBankError(f"{path}: no such file") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise QuizBankError(f"{path}: not valid JSON ({error})") from None
    if not isinstance(raw, list):
        raise QuizBankError(f"{path}: a bank is a JSON list of questions, not a {type(raw).__name__}")
    questions = []
    for index, item in enumerate(raw):
        where.index, where.id = index, None
        questions.append(_question(where, item))
    return questions


def bank_paths() -> list[Path]:
    """The built-in bank files, one per topic in course order, in ``datasets/quiz/``."""
    folder = Path(str(_datasets_root() / "quiz"))
    order = {topic.replace(" ", "_"): k for k, topic in enumerate(TOPICS)}
    banks = [p for p in folder.glob("*.json") if not p.name.endswith(".schema.json")]
    return sorted(banks, key=lambda p: (order.get(p.stem, len(order)), p.name))


def load_bank(path: str | Path | Sequence[str | Path] | None = None) -> list[Question]:
    """Load quiz questions from one bank file, several, or the built-in banks.

    Args:
        path: a JSON bank file (``str`` or :class:`pathlib.Path`), a list of them, or None for
            every built-in bank.

    Returns:
        The questions in file order.

    Raises:
        QuizBankError: a missing or invalid file, naming the file, the question (index and id)
            and the field; also when two questions share an id.
        TypeError: ``path`` is not a path, a list of paths or None.
    """
    if path is None:
        paths = bank_paths()
    elif isinstance(path, str | Path):
        paths = [Path(path)]
    elif isinstance(path, Sequence) and all(isinstance(p, str | Path) for p in path):
        paths = [Path(p) for p in path]
    else:
        raise TypeError(f"path={_checks.show(path)} is not a bank file path, a list of them, or None")
    questions: list[Question] = []
    seen: dict[str, Path] = {}
    for p in paths:
        for index, question in enumerate(_load_file(p)):
            if question.id in seen:
                raise QuizBankError(
                    f"{p}, question {index} (id {question.id!r}), field 'id': already used in {seen[question.id]}"
                )
            seen[question.id] = p
            questions.append(question)
    return questions


# --- checking ---------------------------------------------------------------------------------


def _numeric_matches(answer: Answer, value: float, precision: int | None) -> bool:
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
        return picked == right, " ".join(notes)
    value = _checks.real_number("answer", answer, "a number")
    for a in question.answers:
        if _numeric_matches(a, value, question.precision):
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
