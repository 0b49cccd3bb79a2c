"""The ``sarcoma-edu bank check`` and ``case check`` commands: check content files before class.

Examples::

    sarcoma-edu bank check my_questions.json
    sarcoma-edu case check my_case.json

Each file gets one OK line, or every problem it has (file, question or step, field), one a line;
the exit status is 0 when every file is sound and 2 otherwise, with a count on stderr. The top
parser is :mod:`sarcoma_edu.cli`.
"""

from __future__ import annotations

import argparse
import sys

from sarcoma_edu.course.banks import check_banks
from sarcoma_edu.course.case_files import check_cases

__all__ = ["COMMANDS", "add_bank_parser", "add_case_parser", "run"]

COMMANDS = ("bank", "case")


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
            "Check quiz bank files with the bank schema and against the built-in questions' ids. "
            "Exit status 0 with one OK line per file, or 2 with every problem (file, question, field)."
        ),
    )
    check.add_argument("files", nargs="+", metavar="FILE", help="a bank file (.json)")


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
            "and the built-in cases' ids. Exit status 0 with one OK line per file, or 2 with every problem "
            "(file, step, field)."
        ),
    )
    check.add_argument("files", nargs="+", metavar="FILE", help="a case file (.json)")


def _bank_check(args: argparse.Namespace) -> int:
    checks = check_banks(args.files)
    for c in checks:
        count = len(c.questions)
        print(f"{c.path}: OK, {count} question{'' if count == 1 else 's'}" if c.ok else "\n".join(c.problems))
    problems = sum(len(c.problems) for c in checks)
    if problems:
        bad = sum(not c.ok for c in checks)
        print(f"sarcoma-edu bank check: {problems} problem(s) in {bad} of {len(checks)} file(s)", file=sys.stderr)
        return 2
    return 0


def _case_check(args: argparse.Namespace) -> int:
    checks = check_cases(args.files)
    for c in checks:
        if c.ok:
            steps = len(c.case.steps)
            print(f"{c.path}: OK, case {c.case.id!r} with {steps} step{'' if steps == 1 else 's'}")
        else:
            print("\n".join(c.problems))
    problems = sum(len(c.problems) for c in checks)
    if problems:
        bad = sum(not c.ok for c in checks)
        print(f"sarcoma-edu case check: {problems} problem(s) in {bad} of {len(checks)} file(s)", file=sys.stderr)
        return 2
    return 0


def run(args: argparse.Namespace) -> int:
    """Run ``bank check`` or ``case check``; return the exit status (0, or 2 when a file has a problem).

    Every problem is a line of the output: only writing it can fail, and :mod:`sarcoma_edu.cli` says so.
    """
    return _bank_check(args) if args.command == "bank" else _case_check(args)
