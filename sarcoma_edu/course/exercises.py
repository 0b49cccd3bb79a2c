"""In-lesson exercises: predict, then check, recorded with the lesson they belong to.

An exercise is a quiz question asked inside a lesson, before the calculator, figure or table that
settles it. The files are ``datasets/exercises/NN_lesson.json``: lists in the quiz bank format
(:mod:`sarcoma_edu.course.banks`), each exercise also naming its ``lesson`` (``"03_staging"``), its
``role`` (``"predict"``: asked before a reveal; ``"self-check"``: the lesson's closing questions)
and ``reveals`` (what the student sees after answering). The id carries the lesson's number
(``ex-03-retro-nodes``), so an attempt in the progress store says which lesson it came from.

A fourth type, ``"ordering"``, asks to put ``items`` (listed in the right order) in order; it is
checked as a quiz question whose answers are the possible orders. Where the library computes the
right answer, ``derived_from`` names the call (``stage``, ``fnclcc``, ``plan_treatment``, ...)
and loading refuses an exercise whose key disagrees with it (:mod:`sarcoma_edu.course.exercise_keys`),
so a lesson can never teach a stage the rules do not give. Files are validated against
``datasets/exercises/exercise.schema.json``, then by the rules every question in a file follows
(:mod:`sarcoma_edu.course.question_rules`); every problem names the file, the exercise and the field.
Progress lesson by lesson is in :mod:`sarcoma_edu.course.lesson_progress`.
Exercise text is untrusted and kept as plain text: every renderer escapes it.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sarcoma_edu.clinical.tables import _datasets_root
from sarcoma_edu.common import checks as _checks
from sarcoma_edu.common import jsonfiles as _jsonfiles
from sarcoma_edu.common.jsonfiles import Where
from sarcoma_edu.course.banks import QuizBankError, builtin_ids
from sarcoma_edu.course.exercise_keys import derived_key_problems
from sarcoma_edu.course.item_ids import id_taken
from sarcoma_edu.course.objectives import load_objectives
from sarcoma_edu.course.question_rules import (
    build_question,
    question_schema_problems,
    unexpressed_problems,
    unknown_objective_problems,
    unreachable_problems,
)
from sarcoma_edu.course.quiz import Answer, Feedback, Question, check

if TYPE_CHECKING:
    import jsonschema

__all__ = [
    "EXERCISE_ID",
    "ORDER_JOIN",
    "ROLES",
    "Exercise",
    "ExerciseCheck",
    "ExerciseFileError",
    "builtin_exercise_ids",
    "check_answer",
    "check_exercise_files",
    "check_exercises",
    "exercise",
    "exercise_paths",
    "exercise_questions",
    "exercises_of_lesson",
    "load_exercises",
]

ROLES: tuple[str, ...] = ("predict", "self-check")
ORDER_JOIN = " → "  # how an order is written as one answer text
_SCHEMA = "exercise.schema.json"
_MAX_BYTES = 1_000_000
EXERCISE_ID = re.compile(r"ex-(\d\d)-[a-z0-9]+(?:-[a-z0-9]+)*")  # group 1: the lesson's number
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


# --- loading --------------------------------------------------------------------------------


def _schema_problems(where: Where, error: jsonschema.ValidationError) -> list[str]:
    """Turn one schema error in an exercise into problem lines in plain words."""
    if error.validator == "maxContains":
        name = _jsonfiles.field_name(list(error.absolute_path)[1:], "exercise")
        return [where(name, "a multiple_choice exercise needs exactly one correct answer")]
    return question_schema_problems(where, error, "exercise")


def _ordering_question(item: dict[str, Any]) -> Question:
    """The quiz question an ordering exercise is checked as: one answer per possible order, the file's order right."""
    right = tuple(item["items"])
    answers = [Answer(order == right, answer=ORDER_JOIN.join(order)) for order in itertools.permutations(right)]
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


def _own_rules(where: Where, item: dict[str, Any], lessons: set[str]) -> list[str]:
    """What neither schema nor the quiz engine checks: the lesson, the id's lesson number, the derived key."""
    problems = []
    lesson = item["lesson"]
    if lesson not in lessons:
        problems.append(where("lesson", f"{lesson!r} is not a lesson of datasets/objectives.csv"))
    number = EXERCISE_ID.fullmatch(item["id"]).group(1)
    if number != lesson[:2]:
        problems.append(where("id", f"{item['id']!r} starts ex-{number}-, but the exercise is in lesson {lesson!r}"))
    if item["type"] == "ordering" and any(ORDER_JOIN.strip() in text for text in item["items"]):
        problems.append(where("items", f"an item may not contain {ORDER_JOIN.strip()!r}"))
    return problems + derived_key_problems(where, item)


def _check_file(
    path: Path, lessons: set[str], document: object = _jsonfiles.UNREAD
) -> tuple[list[tuple[int, Exercise]], list[str]]:
    """Check one file (or ``document`` as if the file held it): (index, exercise) of each valid one, problems."""
    raw, found = _jsonfiles.check_list_file(
        path,
        schema=Path(str(_datasets_root() / "exercises" / _SCHEMA)),
        what="exercise file",
        list_of="an exercise file is a JSON list of exercises",
        record="exercise",
        max_bytes=_MAX_BYTES,
        wording=_schema_problems,
        document=document,
    )
    exercises = []
    for index, item in enumerate(raw):
        where = Where(path, "exercise", index, item)
        if found[index]:
            continue
        if item["type"] != "ordering":
            found[index].extend(unexpressed_problems(where, item))
        found[index].extend(unknown_objective_problems(where, item))
        if not found[index]:
            found[index].extend(_own_rules(where, item, lessons))
        if found[index]:
            continue
        question = _ordering_question(item) if item["type"] == "ordering" else build_question(item)
        found[index].extend(unreachable_problems(where, question))  # a right number no answer can reach
        if found[index]:
            continue
        made = Exercise(
            id=item["id"],
            lesson=item["lesson"],
            role=item["role"],
            question=question,
            reveals=item.get("reveals", ""),
            items=tuple(item.get("items", ())),
            derived_from=item.get("derived_from"),
        )
        exercises.append((index, made))
    return exercises, [p for index in sorted(found) for p in found[index]]


def exercise_paths() -> list[Path]:
    """The built-in exercise files, ``datasets/exercises/*.json`` (not the schema), in lesson order."""
    folder = Path(str(_datasets_root() / "exercises"))
    return sorted(p for p in folder.glob("*.json") if not p.name.endswith(".schema.json"))


@dataclass(frozen=True)
class ExerciseCheck:
    """What checking one exercise file found: its usable exercises, and every problem (file, exercise, field)."""

    path: Path
    exercises: tuple[Exercise, ...]
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """True when the file has no problem."""
        return not self.problems


def check_exercises(
    paths: Sequence[str | Path],
    drafts: Mapping[Path, list] | None = None,
    *,
    taken: Mapping[str, tuple[str, Path]] | None = None,
) -> list[ExerciseCheck]:
    """Check exercise files one by one, in context: one :class:`ExerciseCheck` per file, in the order given.

    Besides the schema and the quiz engine's checks: the lesson must be one of
    ``datasets/objectives.csv``, the id must carry the lesson's number, an id may be used once
    (across the files given, by no built-in quiz question and, for a file that is not built in, by
    no built-in exercise, since progress is recorded by id), and a key that ``derived_from``
    recomputes must agree with the library.

    Args:
        paths: exercise files.
        drafts: exercises not yet saved, by the file they will be saved to: that file is checked as if
            it held them (the studio's exercise form checks a draft this way).
        taken: ids already used elsewhere (an instructor's own questions): id -> (what uses it, its file).
    """
    lessons = {o.lesson for o in load_objectives().values()}
    used: dict[str, tuple[str, Path]] = {i: ("a built-in question", p) for i, p in builtin_ids().items()}
    used.update(taken or {})
    builtin = {_jsonfiles.real_path(p) for p in exercise_paths()}
    checks: list[ExerciseCheck] = []
    seen: dict[str, tuple[str, Path]] = {}
    for name in paths:
        path = Path(name)
        found, problems = _check_file(path, lessons, (drafts or {}).get(path, _jsonfiles.UNREAD))
        theirs = {} if _jsonfiles.real_path(path) in builtin else builtin_exercise_ids()
        kept = []
        for index, ex in found:
            owner = seen.get(ex.id) or used.get(ex.id) or theirs.get(ex.id)
            if owner is not None:
                where = Where(path, "exercise", index, {"id": ex.id})
                problems.append(where("id", id_taken(ex.id, owner[0], None if owner[1] == path else owner[1])))
            else:
                seen[ex.id] = (f"exercise {index}", path)
                kept.append(ex)
        checks.append(ExerciseCheck(path, tuple(kept), tuple(problems)))
    return checks


def check_exercise_files(
    paths: Sequence[str | Path], drafts: Mapping[Path, list] | None = None
) -> tuple[list[Exercise], list[str]]:
    """Check exercise files (see :func:`check_exercises`); return (the valid exercises, every problem found)."""
    checks = check_exercises(paths, drafts)
    return [e for c in checks for e in c.exercises], [p for c in checks for p in c.problems]


@functools.cache
def _builtin_checks() -> tuple[ExerciseCheck, ...]:
    return tuple(check_exercises(exercise_paths()))


def _builtin() -> tuple[Exercise, ...]:
    checks = _builtin_checks()
    problems = [p for c in checks for p in c.problems]
    if problems:
        raise ExerciseFileError(problems)
    return tuple(e for c in checks for e in c.exercises)


def builtin_exercise_ids() -> dict[str, tuple[str, Path]]:
    """Each built-in exercise's id, with what uses it and its file (for an instructor's file that reuses it)."""
    return {e.id: ("a built-in exercise", c.path) for c in _builtin_checks() for e in c.exercises}


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
    return exercises if lesson is None else exercises_of_lesson(exercises, lesson)


def exercises_of_lesson(exercises: Sequence[Exercise], lesson: str) -> list[Exercise]:
    """The exercises of one lesson (``"03_staging"`` or ``"03"``) among ``exercises``, in their order.

    Raises:
        TypeError: ``lesson`` is not a string.
        ValueError: none of them is of this lesson (the message lists the lessons that have some).
    """
    if not isinstance(lesson, str):
        raise TypeError(f"lesson={_checks.show(lesson)} is not a lesson name such as '03_staging'")
    chosen = [e for e in exercises if e.lesson == lesson or e.lesson[:2] == lesson]
    if not chosen:
        known = sorted({e.lesson for e in exercises})
        raise ValueError(f"lesson={lesson!r} has no exercises; lessons with exercises: {', '.join(known)}")
    return chosen


def exercise(exercise_id: str, *, among: Sequence[Exercise] | None = None) -> Exercise:
    """The exercise with this id among ``among`` (default: the built-in exercises).

    Raises:
        ValueError: no exercise has this id (the message names the lesson's ids when the id's lesson has some).
    """
    by_id = {e.id: e for e in (_builtin() if among is None else among)}
    if exercise_id in by_id:
        return by_id[exercise_id]
    match = EXERCISE_ID.fullmatch(exercise_id) if isinstance(exercise_id, str) else None
    near = [i for i in by_id if match and i.startswith(f"ex-{match.group(1)}-")]
    hint = (
        f"; this lesson's exercises are {', '.join(near)}" if near else "; exercise ids look like 'ex-03-retro-nodes'"
    )
    raise ValueError(f"exercise_id={_checks.show(exercise_id)} is not an exercise{hint}")


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
    return check(ex.question, answer)
