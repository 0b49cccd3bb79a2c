"""Class report for instructors: merge students' progress exports, measure every question, show the class.

The steps, each in its own module and all re-exported here:

- :func:`read_exports` (:mod:`sarcoma_edu.report.files`, one file by
  :mod:`sarcoma_edu.report.student_file`): files or folders of CSV and JSON exports, merged so an
  attempt counts once; the student's name from the file or else the file name; unusable files named
  and skipped with a :class:`ReportWarning`.
- :func:`mastery` and :func:`analyse` (:mod:`sarcoma_edu.report.analysis`): per student and topic (or
  objective), the share of the questions whose most recent attempt was right; the class figure is
  the mean over the students who answered the topic; all of it in a :class:`ClassReport`.
- :func:`item_analysis` (:mod:`sarcoma_edu.report.items`): first attempts only; difficulty,
  discrimination, answer counts and flags.
- :func:`write_report` (HTML by :mod:`sarcoma_edu.report.html`): one self-contained HTML file.
- :func:`synthetic_class` (:mod:`sarcoma_edu.report.synthetic`): a seeded made-up class to try it on.

:func:`class_report` does the first three in one call. This module does not import plotly;
:func:`write_report` imports :mod:`sarcoma_edu.report.html`, and with it plotly, when it writes.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from sarcoma_edu.common import atomic as _atomic
from sarcoma_edu.progress import files as progress_file
from sarcoma_edu.report.analysis import ClassReport, analyse, mastery
from sarcoma_edu.report.files import ClassResults, SharedAttempts, SkippedFile, pseudonym, read_exports
from sarcoma_edu.report.items import first_attempts, item_analysis
from sarcoma_edu.report.student_file import ReportWarning, student_from_file_name
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


def class_report(
    paths: str | Path | Sequence[str | Path],
    *,
    anonymise: bool = False,
    objectives: pd.DataFrame | None = None,
    content: str | Path | None = None,
) -> ClassReport:
    """Read students' exports and compute the class report (no HTML yet: see :func:`write_report`).

    Args:
        paths: files or folders of students' exports (CSV or JSON).
        anonymise: show stable pseudonyms instead of names (see :func:`pseudonym`).
        objectives: question_id -> objective_id table; None uses the objectives each question names.
        content: the instructor's content folder, whose questions are named in the item analysis;
            None reads ``$SARCOMA_EDU_CONTENT``.

    Raises:
        ValueError: no usable export was found (see :func:`read_exports`), or ``content`` names a folder
            that cannot be used (``ContentFolderError``).
    """
    results = read_exports(paths, anonymise=anonymise)
    return analyse(results, objectives=objectives, anonymised=anonymise, content=content)


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
