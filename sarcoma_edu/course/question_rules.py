"""A question written in a file (a quiz bank's or an exercise file's): the rules it follows, the Question it becomes.

Bank files (:mod:`sarcoma_edu.course.banks`) and exercise files (:mod:`sarcoma_edu.course.exercises`)
are read by :func:`sarcoma_edu.common.jsonfiles.check_list_file`; this module holds what both then
need. :func:`question_schema_problems` says in plain words what their schemas refuse in an answer
(none marked correct, a numeric answer with both or neither of value and range, a misused
``accept_any_correct``). The checks a schema cannot express come next: numbers too large for a
float, a range whose low end is above its high end, two answers with the same text, an objective
id that ``datasets/objectives.csv`` does not define, and a right numeric answer no number can
reach. :func:`build_question` makes the :class:`~sarcoma_edu.course.quiz.Question` of an item that
passed them all. Every problem is one line naming the file, the record (index and id) and the field.
"""

from __future__ import annotations

import itertools
import math
from typing import TYPE_CHECKING, Any

from sarcoma_edu.common import checks as _checks
from sarcoma_edu.common import jsonfiles as _jsonfiles
from sarcoma_edu.common.jsonfiles import Where
from sarcoma_edu.course.objectives import unknown_objectives
from sarcoma_edu.course.quiz import Answer, Question, numeric_matches

if TYPE_CHECKING:
    import jsonschema

__all__ = [
    "build_question",
    "question_schema_problems",
    "unexpressed_problems",
    "unknown_objective_problems",
    "unreachable_problems",
]


def question_schema_problems(where: Where, error: jsonschema.ValidationError, whole: str) -> list[str]:
    """Plain words for one schema error in a question or an exercise (``whole`` names the record itself).

    An answer none of which is marked correct, a numeric answer with both or neither of ``value``
    and ``range``, and a misused ``accept_any_correct`` have words of their own; any other error
    is said by :func:`sarcoma_edu.common.jsonfiles.schema_problems`.
    """
    parts = list(error.absolute_path)[1:]
    name = _jsonfiles.field_name(parts, whole)
    if error.validator == "contains":
        return [where(name, "no answer is marked correct")]
    if error.validator == "oneOf":
        return [where(name, "a numeric answer needs either 'value' or 'range' (one of them, not both)")]
    flagged = _any_correct_problem(parts, error)
    if flagged:
        return [where(name, flagged)]
    return _jsonfiles.schema_problems(error, parts, where, whole)


def _any_correct_problem(parts: list, error: jsonschema.ValidationError) -> str:
    """Plain words for a misuse of ``accept_any_correct`` the schema found ("" for any other error)."""
    if error.validator == "const" and parts == ["type"] and error.validator_value == "many_choice":
        return (
            f"{_checks.show(error.instance)} cannot have accept_any_correct: true; it is for many_choice questions "
            "(the student ticks any of the correct answers)"
        )
    if error.validator == "minContains" and parts == ["answers"]:
        count = sum(isinstance(a, dict) and a.get("correct") is True for a in error.instance)
        return (
            f"accept_any_correct: true needs at least two correct answers (any of them counts), not {count}; "
            "with one, leave the field out"
        )
    return ""


def _too_large(value: object) -> bool:
    """A JSON number that no float holds (1e400 reads as inf, a 1 with 400 zeros as an int)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        return not math.isfinite(float(value))
    except OverflowError:
        return True


def unexpressed_problems(where: Where, item: object) -> list[str]:
    """The rules a schema cannot express, on whatever parts of the question are well formed."""
    answers = item.get("answers") if isinstance(item, dict) else None
    if not isinstance(answers, list):
        return []
    problems = []
    for k, answer in enumerate(a if isinstance(a, dict) else {} for a in answers):
        bounds = answer.get("range")
        numbers = {"value": answer.get("value")}
        if isinstance(bounds, list):
            numbers.update({f"range[{i}]": b for i, b in enumerate(bounds)})
        for name, value in numbers.items():
            if _too_large(value):
                problems.append(
                    where(f"answers[{k}].{name}", f"{_checks.show(value)}: too large for a number (±1.8e308)")
                )
        pair = [b for b in bounds if isinstance(b, int | float) and not isinstance(b, bool)] if bounds else []
        if len(pair) == 2 == len(bounds) and not any(map(_too_large, pair)) and pair[0] > pair[1]:
            problems.append(where(f"answers[{k}].range", f"low {pair[0]:g} is above high {pair[1]:g}"))
    texts = [a["answer"] for a in answers if isinstance(a, dict) and isinstance(a.get("answer"), str)]
    repeated = next((t for t in texts if texts.count(t) > 1), None)
    if repeated is not None:
        problems.append(where("answers", f"two answers have the same text, {_checks.show(repeated)}"))
    return problems


def _probes(question: Question, k: int) -> list[float]:
    """Numbers that between them reach every part of answer ``k`` not covered by the answers before it.

    The ends of every answer's numbers (a value, a range, or the numbers that round to a value at the
    question's precision) cut the line into pieces; one number just inside each end and the middle of
    each piece is enough, since the answers before ``k`` match all of a piece or none of it.
    """
    ends: list[float] = []
    for answer in question.answers[: k + 1]:
        if answer.range is not None:
            ends += list(answer.range)
        elif answer.value is not None:
            ends.append(answer.value)
            if question.precision is not None and answer.value != 0:
                rounded = float(f"{answer.value:.{question.precision}g}")
                half = 0.5 * 10 ** (math.floor(math.log10(abs(rounded))) - question.precision + 1)
                ends += [rounded - half, rounded + half]
    ends = sorted(set(ends))
    points = list(ends)
    points += [math.nextafter(e, math.inf) for e in ends] + [math.nextafter(e, -math.inf) for e in ends]
    points += [(a + b) / 2 for a, b in itertools.pairwise(ends)]
    return [p for p in points if math.isfinite(p)]


def unreachable_problems(where: Where, question: Question) -> list[str]:
    """A right answer of a numeric question that no number can reach: the answers before it match every number first.

    Answers are checked in order and the first one matching decides, so a right range inside an
    earlier wrong range (or a right value equal to an earlier one) can never be chosen.
    """
    if question.type != "numeric":
        return []
    problems = []
    for k, answer in enumerate(question.answers):
        if not answer.correct:
            continue
        reachable = any(
            numeric_matches(answer, x, question.precision)
            and not any(numeric_matches(a, x, question.precision) for a in question.answers[:k])
            for x in _probes(question, k)
        )
        if not reachable:
            problems.append(
                where(
                    f"answers[{k}]",
                    "is marked correct but no number can reach it: every number it takes is matched first by "
                    "an answer above it (answers are checked in order; move it up or change the ranges)",
                )
            )
    return problems


def unknown_objective_problems(where: Where, item: object) -> list[str]:
    """An objective id that datasets/objectives.csv does not define (any bank, built-in or an instructor's)."""
    ids = item.get("objectives") if isinstance(item, dict) else None
    if not isinstance(ids, list):
        return []
    return [
        where(
            f"objectives[{k}]",
            f"{_checks.show(i)} is not a learning objective of datasets/objectives.csv; every bank, an instructor's "
            "own too, may use only the ids listed there (e.g. 'staging-nodal-rule')",
        )
        for k, i in enumerate(ids)
        if isinstance(i, str) and i in unknown_objectives([i])
    ]


def build_question(item: dict[str, Any]) -> Question:
    """Build the question of an item (a bank's question or a choice or numeric exercise) that passed every check."""
    answers = []
    for raw in item["answers"]:
        feedback = raw.get("feedback", "")
        if item["type"] != "numeric":
            answers.append(Answer(raw["correct"], answer=raw["answer"], feedback=feedback))
        elif "range" in raw:
            low, high = raw["range"]
            answers.append(Answer(raw["correct"], range=(float(low), float(high)), feedback=feedback))
        else:
            answers.append(Answer(raw["correct"], value=float(raw["value"]), feedback=feedback))
    return Question(
        id=item["id"],
        topic=item["topic"],
        type=item["type"],
        question=item["question"],
        answers=tuple(answers),
        explanation=item["explanation"],
        source=item["source"],
        difficulty=item["difficulty"],
        precision=int(item["precision"]) if "precision" in item else None,
        objectives=tuple(item["objectives"]),
        accept_any_correct=item.get("accept_any_correct", False),
    )
