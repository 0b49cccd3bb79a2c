"""In-lesson exercises: predict, then check, recorded with the lesson they belong to.

An exercise is a quiz question asked inside a lesson, before the calculator, figure or table that
settles it. The files are ``datasets/exercises/NN_lesson.json``: lists in the quiz bank format
(:mod:`sarcoma_edu.course.quiz`), each exercise also naming its ``lesson`` (``"03_staging"``), its
``role`` (``"predict"``: asked before a reveal; ``"self-check"``: the lesson's closing questions)
and ``reveals`` (what the student sees after answering). The id carries the lesson's number
(``ex-03-retro-nodes``), so an attempt in the progress store says which lesson it came from.

A fourth type, ``"ordering"``, asks to put ``items`` (listed in the right order) in order; it is
checked as a quiz question whose answers are the possible orders. Where the library computes the
right answer, ``derived_from`` names the call (``stage``, ``fnclcc``, ``plan_treatment``, ...)
and loading refuses an exercise whose key disagrees with it, so a lesson can never teach a stage
the rules do not give. Files are validated against ``datasets/exercises/exercise.schema.json``,
then by the quiz engine's own checks; every problem names the file, the exercise and the field.
Exercise text is untrusted and kept as plain text: every renderer escapes it.
"""

from __future__ import annotations

import functools
import itertools
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from sarcoma_edu.clinical.tables import _datasets_root
from sarcoma_edu.common import checks as _checks
from sarcoma_edu.common import jsonfiles as _jsonfiles
from sarcoma_edu.course import quiz as _quiz
from sarcoma_edu.course.objectives import load_objectives
from sarcoma_edu.course.quiz import Feedback, Question, QuizBankError

__all__ = [
    "ORDER_JOIN",
    "ROLES",
    "Exercise",
    "ExerciseFileError",
    "check_answer",
    "check_exercise_files",
    "derived_key",
    "exercise",
    "exercise_paths",
    "exercise_questions",
    "lesson_of",
    "load_exercises",
    "progress_by_lesson",
    "question_from_exercise_id",
]

ROLES: tuple[str, ...] = ("predict", "self-check")
ORDER_JOIN = " → "  # how an order is written as one answer text
_SCHEMA = "exercise.schema.json"
_MAX_BYTES = 1_000_000
_ID = re.compile(r"ex-(\d\d)-[a-z0-9]+(?:-[a-z0-9]+)*")
NO_STAGE_GROUP = "no stage group"
# quiz bank questions a lesson also asks in its own cells, by lesson (lesson 05's "What would you watch for?")
LESSON_BANK_QUESTIONS: dict[str, tuple[str, ...]] = {
    "05_treatment": (
        "dr-mesna",
        "dr-doxorubicin-dose-limit",
        "dr-ifosfamide-brain",
        "dr-afami-cel-watch",
        "dr-checkpoint-autoimmune",
    ),
}


class ExerciseFileError(QuizBankError):
    """An exercise file that cannot be used: every problem names the file, the exercise (index and id) and the field."""


@dataclass(frozen=True)
class Exercise:
    """One in-lesson exercise: a quiz :class:`~sarcoma_edu.course.quiz.Question` with its lesson and role.

    Attributes:
        id: the exercise's id, ``ex-NN-...`` where NN is the lesson's number.
        lesson: the lesson it belongs to, e.g. ``"03_staging"``.
        role: ``"predict"`` (asked before a reveal) or ``"self-check"``.
        question: the question the quiz engine checks (for an ordering, its answers are the possible orders).
        reveals: what the student sees once they have answered, in words ("" when nothing more is shown).
        items: for an ordering exercise, the items in the right order; empty otherwise.
        derived_from: the library call that gives the right answer, or None where no rule computes it.
    """

    id: str
    lesson: str
    role: str
    question: Question
    reveals: str = ""
    items: tuple[str, ...] = ()
    derived_from: dict[str, Any] | None = None

    @property
    def type(self) -> str:
        """``"ordering"`` or the question's type (multiple_choice, many_choice, numeric)."""
        return "ordering" if self.items else self.question.type

    @property
    def topic(self) -> str:
        """The quiz topic it is recorded under."""
        return self.question.topic


# --- what the library computes --------------------------------------------------------------


def _stage_args(args: dict[str, Any]) -> Any:
    from sarcoma_edu.clinical.staging import stage

    return stage(**args)


def _plan(args: dict[str, Any]) -> Any:
    from sarcoma_edu.clinical.planner import plan_treatment

    rest = {k: v for k, v in args.items() if k != "stage"}
    return plan_treatment(_stage_args(args["stage"]), **rest)


def _options(args: dict[str, Any]) -> Any:
    from sarcoma_edu.clinical.treatment import treatment_options

    rest = {k: v for k, v in args.items() if k != "stage"}
    return treatment_options(_stage_args(args["stage"]), **rest)


def _fnclcc(args: dict[str, Any]) -> Any:
    from sarcoma_edu.clinical.grading import fnclcc

    return fnclcc(**args)


def _catalog(name: str) -> Callable[[dict[str, Any]], Any]:
    def load(args: dict[str, Any]) -> Any:
        from sarcoma_edu.clinical import catalog, cohort, spread
        from sarcoma_edu.clinical.tables import load_table

        loaders = {
            "risk_factors": catalog.load_risk_factors,
            "tests": catalog.load_tests,
            "histologies": catalog.load_histologies,
            "drugs": catalog.load_drugs,
            "survival": catalog.load_survival,
            "routes": spread.routes,
            "spread_patterns": spread.spread_patterns,
            "site_distribution": lambda: load_table("site_distribution.csv"),
            "cohort": cohort.load_cohort,
        }
        return loaders[name](**args)

    return load


DERIVERS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "stage": _stage_args,
    "fnclcc": _fnclcc,
    "plan_treatment": _plan,
    "treatment_options": _options,
    **{
        name: _catalog(name)
        for name in (
            "risk_factors",
            "tests",
            "histologies",
            "drugs",
            "survival",
            "routes",
            "spread_patterns",
            "site_distribution",
            "cohort",
        )
    },
}
# fields of a result object that are lists, read by name
_LIST_FIELDS = {
    "phase_names": lambda r: [p.phase for p in r.phases],
    "option_descriptions": lambda r: [o.description for o in r.items],
    "reading_headings": lambda r: [r.heading, *r.other_headings],
}


def _cell_matches(cell: object, wanted: object) -> bool:
    """A table cell equals the wanted value, or lists it among values separated by '|'.

    A list of wanted values matches a cell that matches any of them (``"scope": ["histology:x",
    "histology:x&site:!retroperitoneum"]``).
    """
    if isinstance(wanted, list):
        return any(_cell_matches(cell, one) for one in wanted)
    if isinstance(cell, str) and isinstance(wanted, str):
        return cell == wanted or wanted in cell.split("|")
    return cell == wanted


def _value(spec: dict[str, Any], args: dict[str, Any], where: dict[str, Any] | None = None) -> Any:
    """What the library gives for one call of ``spec``: a single value, or a list of values from a table."""
    result = DERIVERS[spec["function"]](args)
    field = spec["field"]
    if isinstance(result, pd.DataFrame):
        rows = result
        for column, wanted in (spec.get("where", {}) if where is None else where).items():
            rows = rows[[_cell_matches(c, wanted) for c in rows[column]]]
        values = list(rows[field])
        reduce = spec.get("reduce")
        if reduce == "most_common":
            return pd.Series(values).value_counts().index[0] if values else None
        return values
    if field in _LIST_FIELDS:
        return _LIST_FIELDS[field](result)
    value = getattr(result, field)
    if field == "stage" and value is None:
        return NO_STAGE_GROUP
    return value


def _text(spec: dict[str, Any], value: object) -> str:
    return str(spec.get("format", "{}")).format(value)


def derived_key(item: dict[str, Any]) -> list[str]:
    """Recompute an exercise's right answer from the library; return how its key disagrees (empty: it agrees).

    Args:
        item: an exercise as written in its file (a dict with ``derived_from``).

    Returns:
        One line per disagreement, e.g. ``the right answer is 'IV' but stage(...) gives 'IIIB'``.
    """
    spec = item.get("derived_from")
    if not spec:
        return []
    call = f"{spec['function']}({json.dumps(spec.get('args', {}))})"
    if "per_answer" in spec:
        problems = []
        answers = {a.get("answer"): a.get("correct") for a in item.get("answers", [])}
        for text, call_for in spec["per_answer"].items():
            if text not in answers:
                problems.append(f"per_answer names {text!r}, which is not one of the answers")
                continue
            args = call_for.get("args", {})
            value = _value(spec, args, call_for.get("where"))
            value = value[0] if isinstance(value, list) and len(value) == 1 else value
            expected = value == spec["target"]
            if answers[text] is not expected:
                problems.append(
                    f"the answer {text!r} is marked {'right' if answers[text] else 'wrong'}, but "
                    f"{spec['function']}({json.dumps(call_for)}).{spec['field']} is {value!r} "
                    f"(target {spec['target']!r})"
                )
        missing = [t for t in answers if t not in spec["per_answer"]]
        problems += [f"per_answer does not say how to compute the answer {t!r}" for t in missing]
        return problems
    value = _value(spec, spec.get("args", {}))
    kind = item.get("type")
    if kind == "ordering":
        expected = [_text(spec, v) for v in value]
        if list(item.get("items", [])) != expected:
            return [f"the items in the right order are {item.get('items')!r}, but {call} gives {expected!r}"]
        return []
    right = [a for a in item.get("answers", []) if a.get("correct")]
    if kind == "numeric":
        values = value if isinstance(value, list) else [value]
        question = _quiz._build({**item, "objectives": item.get("objectives", [])})
        wrong = [v for v in values if not _quiz.check(question, float(v)).correct]
        return [f"{call}.{spec['field']} gives {v!r}, which the right answer does not accept" for v in wrong]
    texts = {a.get("answer") for a in right}
    if kind == "many_choice":
        expected_set = {_text(spec, v) for v in value}
        if texts != expected_set:
            return [f"the right answers are {sorted(texts)!r}, but {call} gives {sorted(expected_set)!r}"]
        return []
    if isinstance(value, list):
        if len(value) != 1:
            return [f"{call} gives {len(value)} values {value!r}; a multiple_choice key needs exactly one"]
        value = value[0]
    expected_text = _text(spec, value)
    if texts != {expected_text}:
        return [f"the right answer is {sorted(texts)[0]!r}, but {call}.{spec['field']} gives {expected_text!r}"]
    return []


# --- loading --------------------------------------------------------------------------------


class _Where:
    """Writes problem lines that name the file, the exercise (index and id) and the field."""

    def __init__(self, path: Path, index: int, item: object) -> None:
        self.path, self.index = path, index
        self.id = item.get("id") if isinstance(item, dict) else None

    def __call__(self, field_name: str, problem: str) -> str:
        shown = f" (id {_checks.show(self.id)})" if self.id is not None else ""
        return f"{self.path}, exercise {self.index}{shown}, field {field_name!r}: {problem}"


@functools.cache
def _validator() -> Any:
    import jsonschema

    schema = json.loads(Path(str(_datasets_root() / "exercises" / _SCHEMA)).read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def _schema_problems(where: _Where, error: Any) -> list[str]:
    parts = list(error.absolute_path)[1:]
    name = _jsonfiles.field_name(parts, "exercise")
    if error.validator == "contains":
        return [where(name, "no answer is marked correct")]
    if error.validator == "maxContains":
        return [where(name, "a multiple_choice exercise needs exactly one correct answer")]
    if error.validator == "oneOf":
        return [where(name, "a numeric answer needs either 'value' or 'range' (one of them, not both)")]
    flagged = _quiz._any_correct_problem(parts, error)
    if flagged:
        return [where(name, flagged)]
    return _jsonfiles.schema_problems(error, parts, where, "exercise")


def _ordering_question(item: dict[str, Any]) -> Question:
    """The quiz question an ordering exercise is checked as: one answer per possible order, the file's order right."""
    right = tuple(item["items"])
    answers = [_quiz.Answer(order == right, answer=ORDER_JOIN.join(order)) for order in itertools.permutations(right)]
    return Question(
        id=item["id"],
        topic=item["topic"],
        type="multiple_choice",
        question=item["question"],
        answers=tuple(answers),
        explanation=item["explanation"],
        source=item["source"],
        difficulty=item["difficulty"],
        objectives=tuple(item["objectives"]),
    )


def _own_rules(where: _Where, item: dict[str, Any], lessons: set[str]) -> list[str]:
    """What neither schema nor the quiz engine checks: the lesson, the id's lesson number, the derived key."""
    problems = []
    lesson = item["lesson"]
    if lesson not in lessons:
        problems.append(where("lesson", f"{lesson!r} is not a lesson of datasets/objectives.csv"))
    number = _ID.fullmatch(item["id"]).group(1)
    if number != lesson[:2]:
        problems.append(where("id", f"{item['id']!r} starts ex-{number}-, but the exercise is in lesson {lesson!r}"))
    if item["type"] == "ordering" and any(ORDER_JOIN.strip() in text for text in item["items"]):
        problems.append(where("items", f"an item may not contain {ORDER_JOIN.strip()!r}"))
    try:
        problems += [where("derived_from", p) for p in derived_key(item)]
    except (TypeError, ValueError, KeyError, AttributeError, IndexError) as error:
        problems.append(where("derived_from", f"the library call failed: {error}"))
    return problems


def _check_file(path: Path, lessons: set[str]) -> tuple[list[Exercise], list[str]]:
    raw, problem = _jsonfiles.read_json(path, what="exercise file", max_bytes=_MAX_BYTES)
    if problem is None and not isinstance(raw, list):
        kind = _jsonfiles.JSON_WORDS[_jsonfiles.json_kind(raw)]
        problem = f"{path}: an exercise file is a JSON list of exercises, not {kind}"
    if problem is not None:
        return [], [problem]
    found: dict[int, list[str]] = {index: [] for index in range(len(raw))}
    for error in _validator().iter_errors(raw):
        index = error.absolute_path[0]
        found[index].extend(_schema_problems(_Where(path, index, raw[index]), error))
    exercises = []
    for index, item in enumerate(raw):
        where = _Where(path, index, item)
        if found[index]:
            continue
        if item["type"] != "ordering":
            found[index].extend(_quiz._unexpressed(where, item))
        found[index].extend(_quiz._unknown_objectives(where, item))
        if not found[index]:
            found[index].extend(_own_rules(where, item, lessons))
        if found[index]:
            continue
        question = _ordering_question(item) if item["type"] == "ordering" else _quiz._build(item)
        exercises.append(
            Exercise(
                id=item["id"],
                lesson=item["lesson"],
                role=item["role"],
                question=question,
                reveals=item.get("reveals", ""),
                items=tuple(item.get("items", ())),
                derived_from=item.get("derived_from"),
            )
        )
    return exercises, [p for index in sorted(found) for p in found[index]]


def exercise_paths() -> list[Path]:
    """The built-in exercise files, ``datasets/exercises/*.json`` (not the schema), in lesson order."""
    folder = Path(str(_datasets_root() / "exercises"))
    return sorted(p for p in folder.glob("*.json") if not p.name.endswith(".schema.json"))


def check_exercise_files(paths: Sequence[str | Path]) -> tuple[list[Exercise], list[str]]:
    """Check exercise files; return (the valid exercises, every problem found).

    Besides the schema and the quiz engine's checks: the lesson must be one of
    ``datasets/objectives.csv``, the id must carry the lesson's number, an id may be used once
    (across the files given and by no built-in quiz question, since progress is recorded by id),
    and a key that ``derived_from`` recomputes must agree with the library.
    """
    lessons = {o.lesson for o in load_objectives().values()}
    bank_ids = set(_quiz._builtin_ids())
    exercises: list[Exercise] = []
    problems: list[str] = []
    seen: dict[str, Path] = {}
    for name in paths:
        path = Path(name)
        found, trouble = _check_file(path, lessons)
        problems += trouble
        for ex in found:
            if ex.id in seen:
                problems.append(f"{path}, exercise id {ex.id!r}, field 'id': already used in {seen[ex.id]}")
            elif ex.id in bank_ids:
                problems.append(f"{path}, exercise id {ex.id!r}, field 'id': already used by a built-in quiz question")
            else:
                seen[ex.id] = path
                exercises.append(ex)
    return exercises, problems


@functools.cache
def _builtin() -> tuple[Exercise, ...]:
    exercises, problems = check_exercise_files(exercise_paths())
    if problems:
        raise ExerciseFileError(problems)
    return tuple(exercises)


def load_exercises(lesson: str | None = None, path: str | Path | Sequence[str | Path] | None = None) -> list[Exercise]:
    """Load the in-lesson exercises, all of them or one lesson's, in file order.

    Args:
        lesson: a lesson name (``"03_staging"``) or its number (``"03"``); None for every lesson.
        path: an exercise file or a list of them; None for the built-in files.

    Raises:
        ExerciseFileError: a file that cannot be used, naming the file, the exercise and the field.
        ValueError: ``lesson`` is not a lesson that has exercises.
    """
    if path is None:
        exercises = list(_builtin())
    else:
        found, problems = check_exercise_files([path] if isinstance(path, str | Path) else list(path))
        if problems:
            raise ExerciseFileError(problems)
        exercises = found
    if lesson is None:
        return exercises
    if not isinstance(lesson, str):
        raise TypeError(f"lesson={_checks.show(lesson)} is not a lesson name such as '03_staging'")
    chosen = [e for e in exercises if e.lesson == lesson or e.lesson[:2] == lesson]
    if not chosen:
        known = sorted({e.lesson for e in exercises})
        raise ValueError(f"lesson={lesson!r} has no exercises; lessons with exercises: {', '.join(known)}")
    return chosen


def exercise(exercise_id: str) -> Exercise:
    """The built-in exercise with this id.

    Raises:
        ValueError: no exercise has this id (the message names the lesson's ids when the id's lesson has some).
    """
    by_id = {e.id: e for e in _builtin()}
    if exercise_id in by_id:
        return by_id[exercise_id]
    match = _ID.fullmatch(exercise_id) if isinstance(exercise_id, str) else None
    near = [i for i in by_id if match and i.startswith(f"ex-{match.group(1)}-")]
    hint = (
        f"; this lesson's exercises are {', '.join(near)}" if near else "; exercise ids look like 'ex-03-retro-nodes'"
    )
    raise ValueError(f"exercise_id={_checks.show(exercise_id)} is not an exercise{hint}")


def question_from_exercise_id(question_id: str) -> Question | None:
    """The quiz question of a built-in exercise from its id (as the progress store records it), or None.

    "Practise my mistakes" and "Due for review" in the quiz use it to ask again an exercise answered
    in a lesson; an ordering exercise (asked only in its lesson) and other ids give None.
    """
    if not isinstance(question_id, str) or not question_id.startswith("ex-"):
        return None
    return {q.id: q for q in exercise_questions()}.get(question_id)


def exercise_questions() -> list[Question]:
    """The built-in exercises as quiz questions (all but the ordering ones), for a quiz that asks them again.

    A quiz made with ``quiz_widget([*load_bank(), *exercise_questions()])`` finds an exercise answered
    in a lesson among its questions, so "Practise my mistakes" and "Due for review" can ask it; the
    quiz records it under the same id.
    """
    return [e.question for e in _builtin() if e.type != "ordering"]


def check_answer(ex: Exercise, answer: object) -> Feedback:
    """Check an answer with the quiz engine: a text, a list of texts, a number, or (ordering) the items in order.

    Raises:
        TypeError, ValueError: an answer the exercise does not offer, naming it and what is allowed.
    """
    if not isinstance(ex, Exercise):
        raise TypeError(f"ex={_checks.show(ex)} is not an Exercise (see load_exercises)")
    if ex.type == "ordering":
        if isinstance(answer, str) or not isinstance(answer, Sequence) or sorted(answer) != sorted(ex.items):
            raise ValueError(
                f"answer={_checks.show(answer)} is not an order of this exercise's items: "
                + "; ".join(repr(i) for i in ex.items)
            )
        answer = ORDER_JOIN.join(answer)
    return _quiz.check(ex.question, answer)


# --- progress by lesson ---------------------------------------------------------------------

_QUIZ_LESSON = "07_quiz"
_BOARD_LESSON = "08_tumour_board"


def lesson_of(question_id: str) -> str | None:
    """The lesson an attempt belongs to: the exercise's lesson, 08 for a tumour board step, 07 for a quiz question.

    ``ex-03-retro-nodes`` gives ``"03_staging"`` (the lesson whose number the id carries, or None if
    no lesson has that number); ``case:...`` (a tumour board step) gives ``"08_tumour_board"``; any
    other id is a quiz question (built-in, an instructor's or a generated ``case-stage-5``): ``"07_quiz"``.
    """
    if not isinstance(question_id, str):
        raise TypeError(f"question_id={_checks.show(question_id)} is not a string")
    match = _ID.fullmatch(question_id)
    if match:
        lessons = sorted({o.lesson for o in load_objectives().values()})
        return next((lesson for lesson in lessons if lesson[:2] == match.group(1)), None)
    if question_id.startswith("case:"):
        return _BOARD_LESSON
    return _QUIZ_LESSON


def progress_by_lesson(attempts: pd.DataFrame | Any) -> pd.DataFrame:
    """A student's progress lesson by lesson, the lessons' exercises and the quiz together.

    Args:
        attempts: :meth:`ProgressStore.attempts` (a frame with ``question_id``, ``correct`` and
            ``answered_at``), or the store itself.

    Returns:
        One row per lesson, in course order: ``lesson``, ``exercises`` (how many the lesson has),
        ``answered`` (how many different questions were answered there), ``right_last_time`` (of
        those, how many were right the last time) and ``attempts`` (every answer given). Lessons
        with no exercises appear once something was answered in them (the quiz, the tumour board).
    """
    frame = attempts.attempts() if hasattr(attempts, "attempts") else attempts
    if not isinstance(frame, pd.DataFrame) or not {"question_id", "correct"} <= set(frame.columns):
        raise TypeError("attempts must be a ProgressStore or its attempts() table (question_id, correct, answered_at)")
    counts: dict[str, int] = {}
    for ex in _builtin():
        counts[ex.lesson] = counts.get(ex.lesson, 0) + 1
    frame = frame.assign(lesson=[lesson_of(i) for i in frame["question_id"]])
    if "answered_at" in frame.columns:
        frame = frame.sort_values("answered_at", kind="stable")
    last = frame.groupby("question_id", sort=False).tail(1)
    rows = []
    for lesson in sorted(set(counts) | {x for x in frame["lesson"] if x}):
        mine, latest = frame[frame["lesson"] == lesson], last[last["lesson"] == lesson]
        rows.append(
            (lesson, counts.get(lesson, 0), latest["question_id"].nunique(), int(latest["correct"].sum()), len(mine))
        )
    return pd.DataFrame(rows, columns=["lesson", "exercises", "answered", "right_last_time", "attempts"])
