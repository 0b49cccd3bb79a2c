"""Self-study quizzes: question banks, checking an answer, and feedback that teaches.

Banks are JSON files in the format jupyterquiz reads (``type``, ``question``, ``answers`` with
``answer``/``correct``/``feedback``, or ``value``/``range`` for numeric questions), extended with
our fields ``id``, ``topic``, ``difficulty``, ``explanation``, ``source`` and ``objectives`` (the
ids of the learning objectives in ``datasets/objectives.csv`` that the question assesses). The built-in banks
live in ``datasets/quiz/``; their JSON Schema is ``datasets/quiz/quiz_bank.schema.json``.

A ``many_choice`` question is right when exactly its correct answers are ticked. With our field
``"accept_any_correct": true`` its correct answers are alternatives (for example two readings of a
source that can both be defended): any of them ticked, and no wrong answer, is right. jupyterquiz
ignores the field, so such a bank still loads there, but grades it as an ordinary many_choice
question: a student who ticks one alternative sees a count such as "[1/2]", as if the answer were
incomplete. :meth:`Question.to_jupyterquiz` therefore adds :data:`ANY_CORRECT_NOTE` to the question
text; a bank file loaded into jupyterquiz directly shows the question as written.
Questions built from random patients are in :mod:`sarcoma_edu.course.generated`.

Bank text is untrusted: this module keeps it as plain text, and every renderer escapes it.
"""

from __future__ import annotations

import functools
import itertools
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sarcoma_edu.clinical.tables import _datasets_root
from sarcoma_edu.common import checks as _checks
from sarcoma_edu.common import jsonfiles as _jsonfiles
from sarcoma_edu.course.objectives import unknown_objectives

if TYPE_CHECKING:
    import jsonschema

__all__ = [
    "ANY_CORRECT_NOTE",
    "DIFFICULTIES",
    "QUESTION_TYPES",
    "TOPICS",
    "Answer",
    "BankCheck",
    "Feedback",
    "Question",
    "QuizBankError",
    "bank_paths",
    "check",
    "check_banks",
    "key_line",
    "load_bank",
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


class QuizBankError(ValueError):
    """A question bank that cannot be used: names the file, the question (index and id) and the field.

    Attributes:
        problems: every problem found, one line each; the message shows the first three.
    """

    def __init__(self, problems: str | Sequence[str]) -> None:
        self.problems: tuple[str, ...] = (problems,) if isinstance(problems, str) else tuple(problems)
        shown = "; ".join(self.problems[:3])
        if len(self.problems) > 3:
            shown += f" (and {len(self.problems) - 3} more: 'sarcoma-edu bank check FILE' lists them all)"
        super().__init__(shown)


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


# --- loading ----------------------------------------------------------------------------------

_SCHEMA = "quiz_bank.schema.json"
_MAX_BYTES = 10_000_000  # a bank is text: a larger file is not a bank and would only fill the kernel's memory
_CODE_NOTE = " (jupyterquiz's 'code' field is not supported: question text is always shown as plain text)"


@dataclass(frozen=True)
class BankCheck:
    """What checking one bank file found: its questions, or every problem in it.

    Attributes:
        path: the file.
        questions: the questions that passed every check (all of them when ``problems`` is empty).
        problems: one line per problem, each naming the file, the question (index and id) and the field.
    """

    path: Path
    questions: tuple[Question, ...]
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """True when the file has no problem."""
        return not self.problems


class _Where:
    """Writes problem lines that name the file, the question (index and id) and the field."""

    def __init__(self, path: Path, index: int, item: object) -> None:
        self.path, self.index = path, index
        self.id = item.get("id") if isinstance(item, dict) else None

    def __call__(self, field_name: str, problem: str) -> str:
        shown = f" (id {_checks.show(self.id)})" if self.id is not None else ""
        return f"{self.path}, question {self.index}{shown}, field {field_name!r}: {problem}"


@functools.cache
def _validator() -> Any:
    """The validator of the bank schema, for the JSON Schema draft the schema declares."""
    import jsonschema  # imported when a bank is first read: it takes a while, and most lessons never need it

    schema = json.loads(Path(str(_datasets_root() / "quiz" / _SCHEMA)).read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def _schema_problems(where: _Where, error: jsonschema.ValidationError) -> list[str]:
    """Turn one schema error into problem lines in plain words."""
    parts = list(error.absolute_path)[1:]
    name, value, rule, kind = (
        _jsonfiles.field_name(parts, "question"),
        error.instance,
        error.validator_value,
        error.validator,
    )
    if kind == "additionalProperties":
        owner = "a question" if not parts else "an answer"
        return [
            where(
                _jsonfiles.field_name([*parts, n], ""),
                f"is not a field of {owner}" + (_CODE_NOTE if n == "code" else ""),
            )
            for n in value
            if n not in error.schema.get("properties", {})
        ]
    if kind == "contains":
        return [where(name, "no answer is marked correct")]
    if kind == "maxContains":
        count = sum(isinstance(a, dict) and a.get("correct") is True for a in value)
        return [where(name, f"a multiple_choice question needs exactly one correct answer, not {count}")]
    if kind == "minItems" and parts == ["answers"]:
        return [where(name, f"has {len(value)} answer(s); this type of question needs at least {rule}")]
    if kind == "oneOf":
        return [where(name, "a numeric answer needs either 'value' or 'range' (one of them, not both)")]
    flagged = _any_correct_problem(parts, error)
    if flagged:
        return [where(name, flagged)]
    return _jsonfiles.schema_problems(error, parts, where, "question")


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


def _unexpressed(where: _Where, item: object) -> list[str]:
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


def _unreachable(where: _Where, question: Question) -> list[str]:
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
            _numeric_matches(answer, x, question.precision)
            and not any(_numeric_matches(a, x, question.precision) for a in question.answers[:k])
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


def _unknown_objectives(where: _Where, item: object) -> list[str]:
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


def _build(item: dict[str, Any]) -> Question:
    """Build a question that passed every check."""
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


def _check_file(path: Path) -> tuple[list[Question], dict[int, list[str]], list[tuple[int, str]]]:
    """Check one file on its own: its valid questions, the problems by question (-1: the whole
    file) and the (index, id) of every question that has an id."""
    raw, problem = _jsonfiles.read_json(path, what="bank file", max_bytes=_MAX_BYTES)
    if problem is None and not isinstance(raw, list):
        problem = f"{path}: a bank is a JSON list of questions, not {_jsonfiles.JSON_WORDS[_jsonfiles.json_kind(raw)]}"
    if problem is not None:
        return [], {-1: [problem]}, []
    found: dict[int, list[str]] = {index: [] for index in range(len(raw))}
    for error in _validator().iter_errors(raw):
        index = error.absolute_path[0]
        found[index].extend(_schema_problems(_Where(path, index, raw[index]), error))
    questions, ids = [], []
    for index, item in enumerate(raw):
        where = _Where(path, index, item)
        found[index].extend(_unexpressed(where, item) + _unknown_objectives(where, item))
        if not found[index]:
            question = _build(item)
            found[index].extend(_unreachable(where, question))
            if not found[index]:
                questions.append(question)
        if isinstance(where.id, str):
            ids.append((index, where.id))
    return questions, found, ids


@functools.lru_cache(maxsize=4)
def _ids_in(files: tuple[tuple[str, int, int], ...]) -> dict[str, Path]:
    ids: dict[str, Path] = {}
    for name, _, _ in files:
        for _, question_id in _check_file(Path(name))[2]:
            ids.setdefault(question_id, Path(name))
    return ids


def _builtin_ids() -> dict[str, Path]:
    """Each built-in question's id and its file (read again only when a built-in file changes)."""
    files = []
    for p in bank_paths():
        info = p.stat()
        files.append((str(p), info.st_mtime_ns, info.st_size))
    return _ids_in(tuple(files))


def bank_paths() -> list[Path]:
    """The built-in bank files, one per topic in course order, in ``datasets/quiz/``."""
    folder = Path(str(_datasets_root() / "quiz"))
    order = {topic.replace(" ", "_"): k for k, topic in enumerate(TOPICS)}
    banks = [p for p in folder.glob("*.json") if not p.name.endswith(".schema.json")]
    return sorted(banks, key=lambda p: (order.get(p.stem, len(order)), p.name))


def _paths(path: object) -> list[str | Path]:
    if isinstance(path, str | Path):
        return [path]
    if isinstance(path, Sequence) and all(isinstance(p, str | Path) for p in path):
        return list(path)
    raise TypeError(f"path={_checks.show(path)} is not a bank file path, a list of them, or None")


def check_banks(path: str | Path | Sequence[str | Path]) -> list[BankCheck]:
    """Check bank files as :func:`load_bank` does, listing every problem instead of stopping at the first.

    Each file is validated with ``quiz_bank.schema.json`` (the one definition of a valid question);
    then come the checks a schema cannot express: an objective id that ``datasets/objectives.csv``
    does not define (an instructor's own bank may use only its ids), an id used twice (in a file, across the files
    given, or by a built-in question when the file is not a built-in bank: progress is recorded
    by id, so the two would share one history), two answers with the same text, a range whose
    low end is above its high end, numbers too large for a float, and a right numeric answer no
    number can reach (answers are checked in order, so a right range inside an earlier wrong one
    is never chosen).

    Args:
        path: a bank file (``str`` or :class:`pathlib.Path`) or a list of them.

    Returns:
        One :class:`BankCheck` per file, in the order given.

    Raises:
        TypeError: ``path`` is not a path or a list of paths.
    """
    given = _paths(path)
    builtin = {_jsonfiles.real_path(p) for p in bank_paths()}
    checks: list[BankCheck] = []
    owner: dict[str, tuple[Path, int]] = {}
    for p in given:
        if isinstance(p, str) and not p.strip():
            checks.append(BankCheck(Path(p), (), (f"path={p!r} is empty; give the path of a bank file (.json)",)))
            continue
        file = Path(p)
        questions, found, ids = _check_file(file)
        theirs = {} if _jsonfiles.real_path(file) in builtin else _builtin_ids()
        reused = set()
        for index, question_id in ids:
            where = _Where(file, index, {"id": question_id})
            if question_id in owner:
                first, at = owner[question_id]
                place = "in this file" if first == file else f"in {first}"
                found[index].append(where("id", f"already used by question {at} {place}"))
            elif question_id in theirs:
                found[index].append(
                    where(
                        "id",
                        f"already used by a built-in question in {theirs[question_id]}; give this question its own "
                        "id (progress is recorded by id, so the two would share one history)",
                    )
                )
            else:
                owner[question_id] = (file, index)
                continue
            reused.add(question_id)
        problems = dict.fromkeys(problem for index in sorted(found) for problem in found[index])
        checks.append(BankCheck(file, tuple(q for q in questions if q.id not in reused), tuple(problems)))
    return checks


def load_bank(path: str | Path | Sequence[str | Path] | None = None) -> list[Question]:
    """Load quiz questions from one bank file, several, or the built-in banks.

    A file is valid when ``datasets/quiz/quiz_bank.schema.json`` accepts it and it passes the
    checks of :func:`check_banks`. A UTF-8 file with a byte-order mark is fine.

    Args:
        path: a JSON bank file (``str`` or :class:`pathlib.Path`), a list of them, or None for
            every built-in bank.

    Returns:
        The questions in file order.

    Raises:
        QuizBankError: a missing, unreadable or invalid file (a folder, an empty path, JSON
            nested too deeply, a question the schema refuses, an id used twice or by a built-in
            question), naming the file, the question (index and id) and the field; its
            ``problems`` lists every problem found.
        TypeError: ``path`` is not a path, a list of paths or None.
    """
    checks = check_banks(bank_paths() if path is None else _paths(path))
    problems = [problem for c in checks for problem in c.problems]
    if problems:
        raise QuizBankError(problems)
    return [question for c in checks for question in c.questions]


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
        if question.accept_any_correct:
            return bool(picked) and picked <= right, " ".join(notes)
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
