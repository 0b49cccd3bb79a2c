"""The ``sarcoma-edu bank check`` and ``case check`` commands: check content files before class.

Examples::

    sarcoma-edu bank check my_questions.json
    sarcoma-edu case check my_case.json
    sarcoma-edu bank check --content my-course-content
    sarcoma-edu case check --content my-course-content my_new_case.json
    sarcoma-edu coverage --content my-course-content

With ``--content DIR`` (or ``$SARCOMA_EDU_CONTENT``) the files are checked beside the instructor's
content folder (:mod:`sarcoma_edu.course.content`): an id one of her files already uses is a
problem too; with no FILE, every file of the folder is checked (``bank check``: ``quiz/`` and
``exercises/``; ``case check``: ``cases/``). A FILE in a folder named ``exercises`` is checked as an
exercise file, any other as a bank. Each file gets one OK line, or every problem it has
(file, question or step, field), one a line; the exit status is 0 when every file is sound and 2
otherwise, with a count on stderr. ``coverage`` prints how many quiz questions, exercises and
case steps assess each learning objective, her content counted with the built-in content. The top
parser is :mod:`sarcoma_edu.cli`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sarcoma_edu.course.content import load_content
from sarcoma_edu.course.content_folder import CONTENT_VARIABLE, ContentFolderError, content_folder
from sarcoma_edu.course.coverage import coverage, coverage_problems

__all__ = ["COMMANDS", "add_bank_parser", "add_case_parser", "add_coverage_parser", "run"]

COMMANDS = ("bank", "case", "coverage")


def add_bank_parser(commands) -> None:
    """Add ``bank`` (with its action ``check``) to the ``sarcoma-edu`` sub-command parsers."""
    bank = commands.add_parser(
        "bank",
        help="check quiz bank files before class",
        description="Work with quiz bank files (JSON lists of questions, see the README).",
    )
    actions = bank.add_subparsers(dest="bank_command", required=True, metavar="ACTION")  # parsers like cli's
    check = actions.add_parser(
        "check",
        help="check bank files and list every problem",
        description=(
            "Check quiz bank files with the bank schema and against the ids of the built-in questions and "
            "exercises (and of your content folder, with --content). With no FILE, check every bank and "
            "exercise file of the content folder. Exit status 0 with one OK line per file, or 2 with every "
            "problem (file, question, field)."
        ),
    )
    check.add_argument(
        "files",
        nargs="*",
        metavar="FILE",
        help="a bank file (.json), or an exercise file in a folder named exercises/; none: the content folder's",
    )
    _content_option(check, "quiz/ and exercises/")


def add_case_parser(commands) -> None:
    """Add ``case`` (with its action ``check``) to the ``sarcoma-edu`` sub-command parsers."""
    case = commands.add_parser(
        "case",
        help="check tumour board case files before class",
        description="Work with tumour board case files (JSON, one patient each; see docs/teaching.md).",
    )
    actions = case.add_subparsers(dest="case_command", required=True, metavar="ACTION")  # parsers like cli's
    check = actions.add_parser(
        "check",
        help="check case files and list every problem",
        description=(
            "Check case files with the case schema, against the library's answers (grade, T, stage, PDQ list) "
            "and the ids of the built-in cases (and of your content folder, with --content). With no FILE, "
            "check every case file of the content folder. Exit status 0 with one OK line per file, or 2 with "
            "every problem (file, step, field)."
        ),
    )
    check.add_argument("files", nargs="*", metavar="FILE", help="a case file (.json); none: the content folder's")
    _content_option(check, "cases/")


def add_coverage_parser(commands) -> None:
    """Add ``coverage`` to the ``sarcoma-edu`` sub-command parsers."""
    coverage_parser = commands.add_parser(
        "coverage",
        help="what assesses each learning objective, your content included",
        description=(
            "Print, for each learning objective of the course, how many quiz questions, in-lesson exercises and "
            "tumour board case steps assess it: the built-in content and, with --content (or "
            f"${CONTENT_VARIABLE}), your own. Items of yours that cannot be used are left out and named. "
            "Exit status 0; 2 when the content folder cannot be read."
        ),
    )
    coverage_parser.add_argument(
        "--content", metavar="DIR", help=f"your content folder (default: ${CONTENT_VARIABLE}; none: built-in only)"
    )


def _coverage(args: argparse.Namespace) -> int:
    try:
        content = load_content(content_folder(args.content))
    except ContentFolderError as error:
        print(f"sarcoma-edu coverage: error: {error}", file=sys.stderr)
        return 2
    table = coverage(content)
    shown = table.rename(columns=_COVERAGE_HEADINGS)[list(_COVERAGE_HEADINGS.values())]
    where = f"the built-in content and {content.folder}" if content.folder else "the built-in content"
    print(f"What assesses each learning objective ({where}):")
    print(shown.to_string(index=False))
    for line in coverage_problems(table):
        print(f"under-assessed: {line}")
    for line in content.problems:
        print(f"left out: {line}")
    return 0


_COVERAGE_HEADINGS = {
    "lesson": "lesson",
    "objective": "objective",
    "assessed_by": "assessed by",
    "quiz_questions": "quiz questions",
    "exercises": "exercises",
    "case_steps": "case steps",
}


def _content_option(parser: argparse.ArgumentParser, folders: str) -> None:
    parser.add_argument(
        "--content",
        metavar="DIR",
        help=f"your content folder (default: ${CONTENT_VARIABLE}); with no FILE its {folders} files are checked",
    )


def _fail(command: str, message: str) -> int:
    print(f"sarcoma-edu {command} check: error: {message}", file=sys.stderr)
    return 2


def _kind_of(file: str, kinds: tuple[str, ...]) -> str:
    """What a file named to a check holds: an exercise file when it is in a folder named ``exercises``, as in
    the content folder and ``datasets/`` (bank check); else the command's first kind (quiz questions, cases)."""
    return "exercises" if "exercises" in kinds and Path(file).parent.name == "exercises" else kinds[0]


def _check(args: argparse.Namespace, command: str, kinds: tuple[str, ...], what: str) -> int:
    """Check the files named, or the content folder's, and print one OK line or the problems per file."""
    try:
        folder = content_folder(args.content)
    except ContentFolderError as error:
        return _fail(command, str(error))
    if not args.files and folder is None:
        return _fail(
            command, f"give a {what} file (FILE), or your content folder with --content DIR or ${CONTENT_VARIABLE}"
        )
    named = {kind: [f for f in args.files if _kind_of(f, kinds) == kind] for kind in kinds}
    try:
        content = load_content(folder, named)
    except ContentFolderError as error:
        return _fail(command, str(error))
    checks = [c for c in content.checks if c.kind in kinds]
    if args.files:  # the files named are the last checks of their kind; shown in the order given
        last = {}
        for kind in kinds:
            of_kind = [c for c in content.checks if c.kind == kind]
            last[kind] = of_kind[len(of_kind) - len(named[kind]) :]
        checks = [last[_kind_of(f, kinds)].pop(0) for f in args.files]
    if not checks:
        places = " or ".join(f"{folder / kind}/" for kind in kinds)
        print(f"{folder}: no {what} file to check (none in {places})")
        return 0
    for c in checks:
        print(f"{c.path}: OK, {c.summary}" if c.ok else "\n".join(c.problems))
    problems = sum(len(c.problems) for c in checks)
    if problems:
        bad = sum(not c.ok for c in checks)
        print(f"sarcoma-edu {command} check: {problems} problem(s) in {bad} of {len(checks)} file(s)", file=sys.stderr)
        return 2
    return 0


def run(args: argparse.Namespace) -> int:
    """Run ``bank check``, ``case check`` or ``coverage``; return the exit status (0, or 2 for a problem).

    Every problem is a line of the output: only writing it can fail, and :mod:`sarcoma_edu.cli` says so.
    """
    if args.command == "coverage":
        return _coverage(args)
    if args.command == "bank":
        return _check(args, "bank", ("quiz", "exercises"), "bank")
    return _check(args, "case", ("cases",), "case")
