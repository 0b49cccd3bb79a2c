"""What the class report shows, computed from a class's merged attempts: mastery and the item analysis.

:func:`mastery` is, per student and topic (or learning objective), the share of the questions whose
most recent attempt was right; the class figure is the mean over the students who answered the
topic. :func:`analyse` puts it together with the item analysis (:mod:`sarcoma_edu.report.items`) in a
:class:`ClassReport`, the one object the HTML (:mod:`sarcoma_edu.report.html`) is drawn from.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sarcoma_edu.common import checks as _checks
from sarcoma_edu.course.items import ContentFolderError, UnknownItemError, content_folder, item
from sarcoma_edu.course.quiz import Question
from sarcoma_edu.report.files import ClassResults
from sarcoma_edu.report.items import item_analysis

__all__ = ["NO_TOPIC", "ClassReport", "analyse", "mastery"]

NO_TOPIC = "(no topic)"


def mastery(attempts: pd.DataFrame, by: str = "topic", objectives: pd.DataFrame | None = None) -> pd.DataFrame:
    """Student x topic (or objective) table of mastery: the share of questions whose latest attempt was right.

    Args:
        attempts: as :attr:`ClassResults.attempts <sarcoma_edu.report.files.ClassResults.attempts>`.
        by: ``"topic"`` or ``"objective"`` (then ``objectives`` maps question_id to objective_id).
        objectives: a table with columns question_id and objective_id (a question may have several rows).

    Returns:
        One row per student, one column per topic or objective; empty cells where the student answered none.
    """
    if by not in ("topic", "objective"):
        raise ValueError(f"by={_checks.show(by)} is not allowed; expected 'topic' or 'objective'")
    latest = attempts.sort_values(["answered_at", "attempt_id"], kind="stable")
    latest = latest.drop_duplicates(["student", "question_id"], keep="last")
    if by == "objective":
        if objectives is None:
            raise ValueError("objectives=None: mastery by objective needs a question_id -> objective_id table")
        latest = latest.merge(objectives[["question_id", "objective_id"]], on="question_id", how="inner")
        column = "objective_id"
    else:
        latest = latest.assign(topic=latest["topic"].replace("", NO_TOPIC))
        column = "topic"
    table = latest.pivot_table(index="student", columns=column, values="correct", aggfunc="mean")
    table.columns.name = column
    return table.sort_index()


def _summary(table: pd.DataFrame) -> pd.DataFrame:
    """Class mastery per column of a mastery table: students who answered it and their mean mastery."""
    out = pd.DataFrame({"students": table.notna().sum(), "mastery": table.mean()})
    out.index.name = table.columns.name
    return out.sort_values("mastery", kind="stable").reset_index()


def _questions(question_ids: Iterable[str], content: str | Path | None) -> dict[str, Question]:
    """The question behind each id the class answered (built-in or the instructor's); unknown ids are left out.

    Steps of made-up tumour board patients (``case:generated-<seed>:...``) are left out too: rebuilding
    a patient takes tens of milliseconds and a class answers thousands of them, each by one student.
    """
    found = {}
    for question_id in question_ids:
        if str(question_id).startswith("case:generated-"):
            continue
        try:
            found[question_id] = item(question_id, content)
        except (UnknownItemError, ContentFolderError):  # an item no longer in the course, or her folder is gone
            continue
    return found


def _default_objectives(questions: Mapping[str, Question]) -> tuple[pd.DataFrame | None, str]:
    """The learning objectives each answered question names (question_id -> objective_id)."""
    rows = [(question_id, o) for question_id, q in questions.items() for o in q.objectives]
    table = pd.DataFrame(rows, columns=["question_id", "objective_id"])
    return table, "the objectives each question names (ids of datasets/objectives.csv)"


@dataclass(frozen=True)
class ClassReport:
    """Everything the class report shows; :func:`~sarcoma_edu.report.class_report.write_report` writes it as HTML.

    Attributes:
        results: the merged attempts and the files used and skipped.
        items: the item analysis, one row per question (see :func:`~sarcoma_edu.report.items.item_analysis`),
            with the question's text in ``question`` ("" for an id no longer in the course).
        by_topic: student x topic mastery; ``topics`` is the class summary of it.
        by_objective: student x objective mastery, or None when no objective map is known.
        objectives_note: where the objectives came from, or why there are none.
        anonymised: whether names were replaced by pseudonyms.
    """

    results: ClassResults
    items: pd.DataFrame
    by_topic: pd.DataFrame
    topics: pd.DataFrame
    by_objective: pd.DataFrame | None = None
    objectives: pd.DataFrame | None = None
    objectives_note: str = ""
    anonymised: bool = False

    @property
    def flagged(self) -> pd.DataFrame:
        """The questions with at least one flag (likely flawed or mis-keyed), worst first."""
        return self.items[self.items["flags"] != ""]

    def describe(self) -> str:
        """A few plain lines: files and attempts used, the weakest topic and the flagged questions."""
        lines = [self.results.describe()]
        if not self.topics.empty:
            weakest = self.topics.iloc[0]
            lines.append(f"Weakest topic: {weakest['topic']} ({weakest['mastery']:.0%} mastery).")
        flagged = self.flagged
        listed = "; ".join(f"{q} ({f})" for q, f in zip(flagged["question_id"], flagged["flags"], strict=True))
        lines.append(f"{len(flagged)} of {len(self.items)} question(s) flagged" + (f": {listed}" if listed else "."))
        return "\n".join(lines)


def analyse(
    results: ClassResults,
    *,
    objectives: pd.DataFrame | None = None,
    anonymised: bool = False,
    content: str | Path | None = None,
) -> ClassReport:
    """The class report for attempts already merged (e.g. ``read_exports`` or ``synthetic_class().results()``).

    Each question is found by its id in the item catalog (:func:`sarcoma_edu.course.items.item`):
    built-in, or the instructor's (``content``, else ``$SARCOMA_EDU_CONTENT``), for its text in the
    item analysis and, unless ``objectives`` is given, the objectives it assesses.

    Raises:
        ContentFolderError: ``content`` names a folder that cannot be used.
    """
    content_folder(content)  # a folder named that cannot be used is an error, not a report without her questions
    questions = _questions(results.attempts["question_id"].unique(), content)
    if objectives is None:
        objectives, note = _default_objectives(questions)
    else:
        missing = {"question_id", "objective_id"} - set(objectives.columns)
        if missing:
            shown = ", ".join(sorted(missing))
            raise ValueError(f"objectives has no column {shown}; expected columns question_id and objective_id")
        note = "objectives as given"
    by_topic = mastery(results.attempts)
    by_objective = mastery(results.attempts, "objective", objectives) if objectives is not None else None
    if by_objective is not None and by_objective.empty:
        by_objective, note = None, "no question in these results has an objective, so mastery is shown by topic"
    items = item_analysis(results.attempts)
    items.insert(1, "question", [questions[q].question if q in questions else "" for q in items["question_id"]])
    return ClassReport(
        results=results,
        items=items,
        by_topic=by_topic,
        topics=_summary(by_topic),
        by_objective=by_objective,
        objectives=_summary(by_objective) if by_objective is not None else None,
        objectives_note=note,
        anonymised=anonymised,
    )
