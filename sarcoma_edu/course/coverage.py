"""What assesses each learning objective: quiz questions, in-lesson exercises and tumour-board case steps.

Each objective of ``datasets/objectives.csv`` is counted in three places, by the ids the items
name in their ``objectives`` field:

- **quiz questions**: the built-in banks (``datasets/quiz/*.json``), plus one per generated kind
  of :mod:`sarcoma_edu.course.generated` (each kind asks endless patients, counted once);
- **in-lesson exercises**: ``datasets/exercises/*.json``, lists of questions in the quiz bank
  format, each also naming its ``lesson`` (e.g. ``"03_staging"``); the folder may be empty;
- **case steps**: the steps of the built-in tumour-board cases (``datasets/cases/*.json``).

An instructor's content folder adds her usable questions, exercises and case steps to the counts
(``sarcoma-edu coverage --content DIR``).

:func:`coverage` gives the table that ``scripts/build_coverage.py`` writes into
``docs/teaching.md``; :func:`coverage_problems` names every objective assessed less than its
``assessed_by`` asks (at least 3 quiz questions for ``quiz``, at least 1 case step for ``case``).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pandas as pd

from sarcoma_edu.clinical import tables as data
from sarcoma_edu.clinical.tables import DatasetError
from sarcoma_edu.course.banks import load_bank
from sarcoma_edu.course.case_files import load_cases
from sarcoma_edu.course.content import Content
from sarcoma_edu.course.generated_patients import KIND_OBJECTIVES
from sarcoma_edu.course.objectives import load_objectives, unknown_objectives

__all__ = ["COLUMNS", "MIN_QUIZ_QUESTIONS", "coverage", "coverage_problems", "exercise_paths", "load_exercises"]

MIN_QUIZ_QUESTIONS = 3
COLUMNS = ("objective", "lesson", "kind", "assessed_by", "quiz_questions", "exercises", "case_steps")


def exercise_paths() -> list[Path]:
    """The in-lesson exercise files, ``datasets/exercises/*.json``, sorted (none yet is fine)."""
    folder = Path(str(data._datasets_root() / "exercises"))
    return sorted(p for p in folder.glob("*.json") if not p.name.endswith(".schema.json")) if folder.is_dir() else []


def load_exercises() -> list[dict]:
    """Every in-lesson exercise: a dict with at least ``id``, ``lesson`` and ``objectives``.

    Raises:
        DatasetError: a file that is not a JSON list, or an exercise without an id, with a
            lesson that has no objectives, or naming an unknown objective (file, index and id named).
    """
    lessons = {o.lesson for o in load_objectives().values()}
    found = []
    for path in exercise_paths():
        items = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(items, list):
            raise DatasetError(f"{path}: an exercise file is a JSON list of questions")
        for index, item in enumerate(items):
            where = f"{path}, exercise {index} (id {item.get('id')!r})" if isinstance(item, dict) else f"{path}"
            if not isinstance(item, dict) or not isinstance(item.get("id"), str):
                raise DatasetError(f"{where}: every exercise is an object with an 'id'")
            if item.get("lesson") not in lessons:
                raise DatasetError(f"{where}, field 'lesson': {item.get('lesson')!r} is not a lesson of objectives.csv")
            ids = item.get("objectives")
            if not isinstance(ids, list) or not ids or not all(isinstance(i, str) for i in ids):
                raise DatasetError(f"{where}, field 'objectives': a non-empty list of objective ids is required")
            unknown = unknown_objectives(ids)
            if unknown:
                raise DatasetError(f"{where}, field 'objectives': {unknown[0]!r} is not an objective of objectives.csv")
            found.append(item)
    return found


def coverage(content: Content | None = None) -> pd.DataFrame:
    """One row per objective, in course order: how many quiz questions, exercises and case steps assess it.

    Args:
        content: an instructor's content (:func:`sarcoma_edu.course.content.load_content`), whose usable
            questions, exercises and case steps are counted with the built-in ones; None for the built-in only.
    """
    hers = content or Content(None)
    quiz = Counter(o for q in (*load_bank(), *hers.questions) for o in q.objectives)
    quiz.update(o for ids in KIND_OBJECTIVES.values() for o in ids)
    exercises = Counter(o for item in load_exercises() for o in item["objectives"])
    exercises.update(o for ex in hers.exercises for o in ex.question.objectives)
    steps = Counter(o for case in (*load_cases(), *hers.cases) for step in case.steps for o in step.objectives)
    rows = [
        (o.id, o.lesson, o.kind, o.assessed_by, quiz[o.id], exercises[o.id], steps[o.id])
        for o in load_objectives().values()
    ]
    return pd.DataFrame(rows, columns=list(COLUMNS))


def coverage_problems(table: pd.DataFrame | None = None) -> list[str]:
    """Each objective assessed less than its ``assessed_by`` asks, one line naming it and the counts."""
    table = coverage() if table is None else table
    problems = []
    for row in table.itertuples():
        if row.assessed_by == "quiz" and row.quiz_questions < MIN_QUIZ_QUESTIONS:
            problems.append(
                f"{row.objective} ({row.lesson}): {row.quiz_questions} quiz question(s); "
                f"an objective assessed by quiz needs at least {MIN_QUIZ_QUESTIONS}"
            )
        if row.assessed_by == "case" and row.case_steps < 1:
            problems.append(f"{row.objective} ({row.lesson}): no case step; an objective assessed by case needs one")
    return problems
