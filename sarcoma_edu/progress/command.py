"""The ``sarcoma-edu progress`` command: its options and what it runs (the top parser is :mod:`sarcoma_edu.cli`).

Example::

    sarcoma-edu progress recover ~/.sarcoma_edu/progress.sqlite3.corrupt-20260302T140509123456Z

``progress recover`` merges what can still be read of a moved-aside progress file into the student's
store (:func:`sarcoma_edu.progress.recover.recover`). Exit status 0; 1 with one line naming the progress
file and why when the attempts could not be written into it (busy, read-only, a folder, another program's
database, a file that cannot be created); 2 with one line when FILE cannot be read.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sarcoma_edu.common.atomic import OutputError
from sarcoma_edu.progress.files import CHOOSE, ProgressStorageError
from sarcoma_edu.progress.recover import recover
from sarcoma_edu.progress.store import default_path

__all__ = ["COMMANDS", "add_parsers", "run"]

COMMANDS = ("progress",)


def add_parsers(commands) -> None:
    """Add ``progress`` (with its action ``recover``) to the ``sarcoma-edu`` sub-command parsers."""
    progress = commands.add_parser(
        "progress",
        help="look after a student's saved quiz progress",
        description="Work with the quiz progress file (~/.sarcoma_edu/progress.sqlite3 or $SARCOMA_EDU_PROGRESS).",
    )
    actions = progress.add_subparsers(dest="progress_command", required=True, metavar="ACTION")  # parsers like cli's
    recover_parser = actions.add_parser(
        "recover",
        help="bring back the answers in a progress file that was moved aside",
        description=(
            "Merge every readable attempt of a moved-aside progress file (<name>.corrupt-<time>, next to the "
            "progress file), or of a copy cut short, with lost pages or a wrong page count in its header, into the "
            "progress store: every attempt "
            "SQLite can still read comes back, and it says how many could not be read. Running it twice adds "
            "nothing; FILE is never changed. Exit status 0; 1 with one line naming the progress file and why if "
            "it cannot be written (busy, read-only, a folder, another program's database); 2 with one line if "
            "FILE cannot be read."
        ),
    )
    recover_parser.add_argument(
        "file", metavar="FILE", help="the moved-aside file, e.g. progress.sqlite3.corrupt-<time>"
    )
    recover_parser.add_argument(
        "--into", metavar="PATH", help="the progress file to merge into (default: the student's own)"
    )


def run(args: argparse.Namespace) -> int:
    """``sarcoma-edu progress recover FILE [--into PATH]``: print what was recovered.

    Returns 0; 2 with one line when FILE cannot be read (bad input); 1 with one line naming the
    progress file and why when the attempts could not be written into it (it is busy, read-only, a
    folder, another program's database, cannot be created...).
    """
    try:
        result = recover(args.file, args.into)
    except (ProgressStorageError, OutputError) as error:
        message = _in_options(str(error), args.into)
        print(f"sarcoma-edu progress recover: error: nothing was recovered: {message}", file=sys.stderr)
        return 1
    except (ValueError, OSError) as error:
        print(f"sarcoma-edu progress recover: error: {error}", file=sys.stderr)
        return 2
    print(result.describe())
    return 0


def _in_options(message: str, into: str | None) -> str:
    """The store's message in the command's words: the file as ``--into`` names it, and how to choose another."""
    store = Path(into).expanduser() if into else default_path()
    named = f"--into {str(store)!r}" if into else f"the progress file {str(store)!r}"
    choose = "choose another progress file with --into PATH (or the environment variable SARCOMA_EDU_PROGRESS)"
    return (
        message.replace("; nothing was recovered", "")  # the line begins with it
        .replace(f"path={str(store)!r}", named)
        .replace(CHOOSE, choose)
        .replace("choose another file with the environment variable SARCOMA_EDU_PROGRESS or the path argument", choose)
    )
