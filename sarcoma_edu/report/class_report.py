"""Class report for instructors: merge students' progress exports, measure every question, show the class.

The steps, each in its own module and all re-exported here:

- :func:`read_exports` (:mod:`sarcoma_edu.report.files`): files or folders of CSV and JSON exports,
  merged so an attempt counts once; the student's name from the file or else the file name;
  unusable files named and skipped with a :class:`ReportWarning`.
- :func:`mastery`: per student and topic (or objective), the share of the questions whose most
  recent attempt was right; the class figure is the mean over the students who answered the topic.
- :func:`item_analysis` (:mod:`sarcoma_edu.report.items`): first attempts only; difficulty,
  discrimination, answer counts and flags.
- :func:`write_report` (:mod:`sarcoma_edu.report.html`): one self-contained HTML file.
- :func:`synthetic_class` (:mod:`sarcoma_edu.report.synthetic`): a seeded made-up class to try it on.

:func:`class_report` does the first three in one call. This module does not import plotly;
:func:`write_report` imports it to build the HTML.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sarcoma_edu.common import atomic as _atomic
from sarcoma_edu.common import checks as _checks
from sarcoma_edu.progress import files as progress_file
from sarcoma_edu.report.files import (
    ClassResults,
    ReportWarning,
    SharedAttempts,
    SkippedFile,
    pseudonym,
    read_exports,
    student_from_file_name,
)
from sarcoma_edu.report.items import first_attempts, item_analysis
from sarcoma_edu.report.synthetic import SyntheticClass, synthetic_class

__all__ = [
    "ClassReport",
    "ClassResults",
    "ReportWarning",
    "SharedAttempts",
    "SkippedFile",
    "SyntheticClass",
    "analyse",
    "class_report",
    "first_attempts",
    "item_analysis",
    "mastery",
    "pseudonym",
    "read_exports",
    "student_from_file_name",
    "synthetic_class",
    "write_report",
]

NO_TOPIC = "(no topic)"


def mastery(attempts: pd.DataFrame, by: str = "topic", objectives: pd.DataFrame | None = None) -> pd.DataFrame:
    """Student x topic (or objective) table of mastery: the share of questions whose latest attempt was right.

    Args:
        attempts: as :attr:`ClassResults.attempts`.
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


def _default_objectives() -> tuple[pd.DataFrame | None, str]:
    """The built-in quiz questions' learning objectives (question_id -> objective_id), read from their banks."""
    import json

    from sarcoma_edu.course.banks import bank_paths  # the banks are read as JSON: validating them would load jsonschema

    banks = [json.loads(path.read_text(encoding="utf-8")) for path in bank_paths()]
    rows = [(q["id"], objective) for bank in banks for q in bank for objective in q.get("objectives", [])]
    table = pd.DataFrame(rows, columns=["question_id", "objective_id"])
    return table, "objectives of the built-in quiz questions (ids of datasets/objectives.csv)"


@dataclass(frozen=True)
class ClassReport:
    """Everything the class report shows; :func:`write_report` turns it into one HTML file.

    Attributes:
        results: the merged attempts and the files used and skipped.
        items: the item analysis, one row per question (see :func:`item_analysis`).
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


def class_report(
    paths: str | Path | Sequence[str | Path],
    *,
    anonymise: bool = False,
    objectives: pd.DataFrame | None = None,
) -> ClassReport:
    """Read students' exports and compute the class report (no HTML yet: see :func:`write_report`).

    Args:
        paths: files or folders of students' exports (CSV or JSON).
        anonymise: show stable pseudonyms instead of names (see :func:`pseudonym`).
        objectives: question_id -> objective_id table; None uses the objectives the built-in questions name.

    Raises:
        ValueError: no usable export was found (see :func:`read_exports`).
    """
    results = read_exports(paths, anonymise=anonymise)
    return analyse(results, objectives=objectives, anonymised=anonymise)


def analyse(results: ClassResults, *, objectives: pd.DataFrame | None = None, anonymised: bool = False) -> ClassReport:
    """The class report for attempts already merged (e.g. ``read_exports`` or ``synthetic_class().results()``)."""
    if objectives is None:
        objectives, note = _default_objectives()
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
    return ClassReport(
        results=results,
        items=item_analysis(results.attempts),
        by_topic=by_topic,
        topics=_summary(by_topic),
        by_objective=by_objective,
        objectives=_summary(by_objective) if by_objective is not None else None,
        objectives_note=note,
        anonymised=anonymised,
    )


def write_report(report: ClassReport, out: str | Path) -> Path:
    """Write the report as one self-contained HTML file (plotly embedded, works offline); return its path.

    The file is written atomically (a temporary file, then a rename: a full disk or an error leaves
    an earlier report there as it was) and is private to its owner (0600), since it names students.

    Raises:
        ValueError: the folder of ``out`` does not exist, ``out`` is a folder, one of the students'
            files the report read, or a SQLite database (a progress file); nothing is written.
        OutputError: the file could not be written (naming it and why); an earlier file is unchanged.
    """
    from sarcoma_edu.report.html import report_html  # plotly is imported only here

    target = Path(out).expanduser()
    if target.is_dir():
        raise ValueError(f"out={str(out)!r} is a folder; give a file name such as report.html")
    if not target.parent.is_dir():
        raise ValueError(f"out={str(out)!r}: the folder {str(target.parent)!r} does not exist")
    inputs = {os.path.realpath(p) for p in (*report.results.files, *(s.path for s in report.results.skipped))}
    if os.path.realpath(target) in inputs:
        raise ValueError(f"out={str(out)!r} is one of the students' files the report reads; give a new file name")
    if progress_file.is_sqlite_database(target):
        raise ValueError(f"out={str(out)!r} is a SQLite database (a progress file?); give a new file name")
    _atomic.write_file(target, report_html(report), private=True)
    return target
