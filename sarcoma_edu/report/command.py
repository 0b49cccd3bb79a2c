"""The ``sarcoma-edu report`` command: its options and what it runs (the top parser is :mod:`sarcoma_edu.cli`).

Example::

    sarcoma-edu report handed-in/ --out class-report.html --anonymise
    sarcoma-edu report handed-in/ --out class-report.html --content my-course-content

Bad input exits with status 2 and one line; a report that cannot be written exits with status 1 and
one line naming the file and why (an earlier report there is left as it was); a skipped results
file is one warning line each.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

from sarcoma_edu.common.atomic import OutputError
from sarcoma_edu.course.items import CONTENT_VARIABLE, ContentFolderError, content_folder
from sarcoma_edu.report.class_report import ReportWarning, class_report, write_report

__all__ = ["COMMANDS", "add_parsers", "run"]

COMMANDS = ("report",)


def add_parsers(commands) -> None:
    """Add ``report`` to the ``sarcoma-edu`` sub-command parsers."""
    report = commands.add_parser(
        "report",
        help="class report for instructors from students' progress exports",
        description=(
            "Merge students' progress exports (CSV or JSON files, or folders of them) into one HTML report: "
            "mastery by topic, a student x topic heatmap and an item analysis flagging questions that look "
            "flawed or mis-keyed. The file works offline and can be emailed; it is private to you (mode 0600), "
            "since it names students. A student's name is read from the file (a 'student' field or column) or "
            "else from the file name (results-ana.csv is ana). Progress files handed in by mistake "
            "(progress.sqlite3) are read without being changed. Exit status 0; 1 when the report cannot be "
            "written (the earlier file is kept); 2 for bad input."
        ),
    )
    report.add_argument("results", nargs="+", metavar="RESULTS", help="a student's export (.csv or .json) or a folder")
    report.add_argument("--out", required=True, help="the HTML file to write, e.g. class-report.html")
    report.add_argument(
        "--anonymise", action="store_true", help="show stable pseudonyms (Student 7F3A9C) instead of names"
    )
    report.add_argument(
        "--content",
        metavar="DIR",
        help=f"your content folder: your own questions are named in the item analysis (default: ${CONTENT_VARIABLE})",
    )


def _fail(message: str) -> int:
    print(f"sarcoma-edu report: error: {message}", file=sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    """Run ``report``; return the exit status (0; 1 when the report cannot be written; 2 for bad input)."""
    out = Path(args.out).expanduser()
    if out.is_dir():
        return _fail(f"--out {args.out!r} is a folder; give a file name such as report.html")
    if not out.parent.is_dir():
        return _fail(f"--out {args.out!r}: the folder {str(out.parent)!r} does not exist")
    try:
        content = content_folder(args.content)
    except ContentFolderError as error:
        return _fail(str(error))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ReportWarning)
        try:
            report = class_report(args.results, anonymise=args.anonymise, content=content)
        except ValueError as error:
            message = str(error).split(": ", 1)[-1] if str(error).startswith("paths=") else str(error)
            return _fail(f"RESULTS {' '.join(args.results)!r}: {message}")
    for warning in caught:
        print(f"sarcoma-edu report: warning: {warning.message}", file=sys.stderr)
    try:
        write_report(report, out)
    except ValueError as error:
        return _fail(str(error).replace("out=", "--out ", 1))
    except OutputError as error:
        print(f"sarcoma-edu report: error: {error}", file=sys.stderr)
        return 1
    print(f"{report.describe()}\nReport written to {out}")
    return 0
