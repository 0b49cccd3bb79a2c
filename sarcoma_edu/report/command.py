"""The ``sarcoma-edu report`` and ``content check`` commands: their options and what they run.

Examples::

    sarcoma-edu report handed-in/ --out class-report.html --anonymise
    sarcoma-edu report handed-in/ --out class-report.html --content my-course-content
    sarcoma-edu content check --content my-course/ --progress handed-in/

``content check`` lives here, beside the report, because it reads students' files as the report does
(read-only); the keys themselves are :mod:`sarcoma_edu.course.key_check`'s. The top parser is
:mod:`sarcoma_edu.cli`.

Bad input exits with status 2 and one line; a report, a lock file or the output itself (``> /dev/full``,
a full disk) that cannot be written exits with status 1 and one line naming the file and why (an
earlier report there is left as it was); a skipped results file is one warning line each.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import sys
import warnings
from pathlib import Path

from sarcoma_edu.common.atomic import OutputError
from sarcoma_edu.course.items import CONTENT_VARIABLE, ContentFolderError, content_folder
from sarcoma_edu.course.key_check import check_content, update_locks
from sarcoma_edu.report.changed_keys import attempts_under_changed_keys
from sarcoma_edu.report.class_report import ReportWarning, class_report, write_report

__all__ = ["COMMANDS", "EXIT_CHANGED", "add_content_parser", "add_parsers", "run"]

COMMANDS = ("report", "content")
EXIT_CHANGED = 3  # content check: a computed key changed since its lock file was written
# what a terminal would act on rather than show: control characters (newline and tab apart), the
# text-direction embeddings, overrides and isolates, and lone surrogates (a file name's odd byte)
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


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
            "(progress.sqlite3) are read without being changed. Exit status 0; 1 when the report or the output "
            "cannot be written (the message names the file and why; an earlier report is kept); 2 for bad input."
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


def add_content_parser(commands) -> None:
    """Add ``content`` (with its action ``check``) to the ``sarcoma-edu`` sub-command parsers."""
    content = commands.add_parser(
        "content",
        help="check which computed answer keys changed since they were recorded",
        description="Work with the answer keys the library computes for the course's content and yours.",
    )
    actions = content.add_subparsers(dest="content_command", required=True, metavar="ACTION")
    check = actions.add_parser(
        "check",
        help="recompute every computed key and list those that changed",
        description=(
            "Recompute the key of every item whose right answer the library computes (exercises and questions "
            "with derived_from, tumour-board case steps; the built-in ones and those of your content folder) "
            "and compare each with the lock file that recorded it (datasets/content.lock.json; "
            "<content folder>/content.lock.json). Each key whose answer changed is listed with its old and new "
            "answer and the table rows that changed under it."
        ),
        epilog=(
            "Exit status: 0 nothing changed (or, with --update, the lock files were written); 1 a lock file could "
            "not be written, or the output (the message names it and why; what was there is unchanged); 2 bad "
            "input (a missing content folder, a lock or content file that cannot be read, no usable --progress "
            "file); 3 some keys changed since their lock file was written, or an item has no entry yet."
        ),
    )
    check.add_argument(
        "--content",
        metavar="DIR",
        help="your content folder (default: $SARCOMA_EDU_CONTENT; with neither, the built-in content alone)",
    )
    check.add_argument(
        "--update",
        action="store_true",
        help="after reviewing the changes, rewrite the lock files with the keys as they are now",
    )
    check.add_argument(
        "--progress",
        nargs="+",
        metavar="FILE",
        help=(
            "a student's progress file or export, or a folder of them (read, never changed): say how many saved "
            "attempts were graded under a key that has since changed"
        ),
    )


def _shown(text: str) -> str:
    """``text`` safe for a terminal: control characters, text-direction marks and lone surrogates as escapes.

    Students' names, question ids and file names reach these lines: an escape sequence in one (a
    terminal link, colours, a cleared screen) or a right-to-left override is shown as ``\\x1b`` or
    ``\\u202e``, never acted on, and a file name's odd byte (``\\udce9``) cannot stop the output.
    """
    return _UNSAFE.sub(lambda found: ascii(found.group())[1:-1], text)


def _say(text: str, stream=None) -> None:
    """Print ``text`` (:func:`_shown`); output that cannot be written (``> /dev/full``) is an OutputError naming it.

    A closed pipe (``| head``) is left to :mod:`sarcoma_edu.cli`, which says so in one line.

    Raises:
        OutputError: the terminal or the file the output goes to could not be written (exit status 1).
    """
    stream = sys.stdout if stream is None else stream
    try:
        print(_shown(text), file=stream, flush=True)
    except BrokenPipeError:
        raise
    except OSError as error:
        where = "the standard output" if stream is sys.stdout else "the standard error"
        with contextlib.suppress(OSError, ValueError, AttributeError):  # the file it goes to, when the system says
            target = os.readlink(f"/proc/self/fd/{stream.fileno()}")
            where += f" ({target})" if target.startswith("/") else ""  # not a pipe's "pipe:[123]"
        raise OutputError(f"could not write {where}: {error.strerror or error}") from None


def _content_check(args: argparse.Namespace) -> int:
    """Run ``content check``; return 0, or 3 when a key changed (2 and 1 come from :mod:`sarcoma_edu.cli`)."""
    folder = content_folder(args.content)
    checks = check_content(folder)
    for check in checks:
        whose = "Built-in content" if check.builtin else "Your content"
        problems = len(check.changes) + len(check.missing) + len(check.gone)
        found = "nothing changed" if not check.changed else f"{problems} to review"
        _say(f"{whose} ({check.path}): {len(check.items)} computed key(s), {found}.")
        for line in check.describe():
            _say(f"  {line}")
        if check.stale and not check.changed:
            _say("  Every answer is the same, but rows under some keys changed: --update records their new hashes.")
    changed = [change.item.id for check in checks for change in check.changes]
    if args.progress:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ReportWarning)
            counted = attempts_under_changed_keys(args.progress, changed)
        for warning in caught:
            _say(f"sarcoma-edu content check: warning: {warning.message}", sys.stderr)
        for line in counted.describe():
            _say(line)
    if args.update:
        written = update_locks(checks)
        _say("\n".join(f"Wrote {path}." for path in written) or "The lock files already match the content.")
        return 0
    if any(check.changed for check in checks):
        _say("Review the changes, then run 'sarcoma-edu content check --update' to record the new keys.")
        return EXIT_CHANGED
    return 0


def _fail(message: str) -> int:
    _say(f"sarcoma-edu report: error: {message}", sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    """Run ``report`` (0; 1 when the report cannot be written; 2 for bad input) or ``content check`` (0 or 3)."""
    if args.command == "content":
        return _content_check(args)
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
        _say(f"sarcoma-edu report: warning: {warning.message}", sys.stderr)
    try:
        write_report(report, out)
    except ValueError as error:
        return _fail(str(error).replace("out=", "--out ", 1))
    except OutputError as error:
        _say(f"sarcoma-edu report: error: {error}", sys.stderr)
        return 1
    try:
        _say(f"{report.describe()}\nReport written to {out}")
    except OutputError as error:
        raise OutputError(f"{error}; the report itself was written to {out}") from None
    return 0
