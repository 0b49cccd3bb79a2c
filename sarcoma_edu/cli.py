"""The ``sarcoma-edu`` command: stage or grade a tumour, open the lessons, present one.

Examples::

    sarcoma-edu stage --site extremity --size 7 --grade high
    sarcoma-edu stage --site retroperitoneum --size unknown --grade 2 --nodes --json
    sarcoma-edu grade --differentiation 2 --mitoses 12 --necrosis 30
    sarcoma-edu lab --dir ~/sarcoma-lessons
    sarcoma-edu present 03 --dark
    sarcoma-edu present 03 --dir ~/sarcoma-lessons --large-text --port 8870
    sarcoma-edu bank check my_questions.json
    sarcoma-edu case check my_case.json
    sarcoma-edu coverage --content my-course-content
    sarcoma-edu report handed-in/ --out class-report.html --anonymise
    sarcoma-edu content check --content my-course/
    sarcoma-edu binder-links
    sarcoma-edu class init /srv/sarcoma-class
    sarcoma-edu poll open /srv/sarcoma-class ex-03-retro-nodes

This module only parses and dispatches: each command's options and work live in the package that owns
it (:mod:`sarcoma_edu.clinical.command`, :mod:`sarcoma_edu.course.command`,
:mod:`sarcoma_edu.progress.command`, :mod:`sarcoma_edu.report.command`, :mod:`sarcoma_edu.serve.command`,
:mod:`sarcoma_edu.live.command`).
What stays here is what every command shares: one-line argument errors, bad input from the library
said in the options' words, and output that cannot be written.

Exit status: 0 when done; 1 when output could not be written (a file such as the report, the
lessons' copy or the progress file, or the terminal itself), with one line naming it and why, and
whatever was there before left as it was; 2 for bad input, with one line naming the option, the
value and what is allowed (no traceback); ``content check`` alone also exits 3 when a computed answer
key changed since its lock file was written.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from sarcoma_edu.clinical import command as clinical_command
from sarcoma_edu.common import atomic as _atomic
from sarcoma_edu.common.about import DISCLAIMER, __version__
from sarcoma_edu.course import command as course_command
from sarcoma_edu.live import command as live_command
from sarcoma_edu.progress import command as progress_command
from sarcoma_edu.report import command as report_command
from sarcoma_edu.serve import command as serve_command

__all__ = ["EXIT_BAD_INPUT", "EXIT_NOT_WRITTEN", "main"]

EXIT_NOT_WRITTEN, EXIT_BAD_INPUT = 1, 2
_EXIT_CODES = (
    "Exit status: 0 done; 1 output could not be written (a file or the terminal: the message names it and why, "
    "and what was there is left as it was); 2 bad input (the message names the option, the value and what is "
    "allowed); 3 (content check) some computed answer keys changed since they were recorded."
)
# the library's words in an error message, as a command-line user typed them (``size_cm=`` is ``--size``)
_OPTION_WORDS = {**clinical_command.OPTION_WORDS, **serve_command.OPTION_WORDS}
# the commands run inside the error handling below (stage and grade apart), by the module that runs them
_RUNS = {
    **dict.fromkeys(progress_command.COMMANDS, progress_command.run),
    **dict.fromkeys(report_command.COMMANDS, report_command.run),
    **dict.fromkeys(serve_command.COMMANDS, serve_command.run),
    **dict.fromkeys(live_command.COMMANDS, live_command.run),
}


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line, without the usage block."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")

    def _print_message(self, message: str, file=None) -> None:
        # argparse ignores a failed write (--help > /dev/full would exit 0); let main() report it
        if message:
            (file or sys.stderr).write(message)


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="sarcoma-edu",
        description=f"Stage and grade adult soft tissue sarcoma for teaching. {DISCLAIMER}",
        epilog=_EXIT_CODES,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    # every sub-command's parser, and theirs in turn, is a _Parser (argparse passes its own class down)
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser, metavar="COMMAND")
    clinical_command.add_parsers(commands)  # stage, grade
    serve_command.add_server_parsers(commands)  # lab, present
    course_command.add_bank_parser(commands)
    course_command.add_case_parser(commands)
    report_command.add_content_parser(commands)
    course_command.add_coverage_parser(commands)
    progress_command.add_parsers(commands)
    report_command.add_parsers(commands)
    serve_command.add_binder_parser(commands)
    live_command.add_parsers(commands)  # class init, poll open|close|results
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0 ok, 1 output not written, 2 bad input).

    A file that cannot be written (the report, the copy of the lessons, the progress file) ends
    with one line naming it and why, and status 1.

    Output that cannot be written (a full disk, ``> /dev/full``, a closed pipe) ends with one
    line on stderr and status 1, not a traceback.
    """
    # jsonschema compiles an IRI grammar when it is imported (about 2 s) for a "format" check that no schema
    # of the course uses; a command does without it (a lesson's kernel is left as it is)
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
    try:
        try:
            return _main(argv)
        finally:
            sys.stdout.flush()
    except OSError as error:  # BrokenPipeError is one too
        return _cannot_write(error)


def _cannot_write(error: OSError) -> int:
    with contextlib.suppress(OSError, ValueError, AttributeError):  # no second failure when Python exits
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    reason = "the program reading it has stopped" if isinstance(error, BrokenPipeError) else error.strerror or error
    with contextlib.suppress(OSError, ValueError):
        print(f"sarcoma-edu: error: could not write the output ({reason})", file=sys.stderr, flush=True)
    return 1


def _main(argv: Sequence[str] | None) -> int:
    parser = _build_parser()
    args = parser.parse_args(argv)
    if args.command in course_command.COMMANDS:  # every problem is a line of its output; only writing it can fail
        return course_command.run(args)
    try:
        if args.command not in clinical_command.COMMANDS:
            return _RUNS[args.command](args)
        result = clinical_command.result(args)
    except _atomic.OutputError as error:
        print(f"sarcoma-edu {args.command}: error: {error}", file=sys.stderr)
        return EXIT_NOT_WRITTEN
    except (TypeError, ValueError, OSError) as error:
        if isinstance(error, BrokenPipeError):  # the output was closed: main() says so in one line
            raise
        message = str(error)
        for library, typed in _OPTION_WORDS.items():
            message = message.replace(library, typed)
        print(f"sarcoma-edu {args.command}: error: {message}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(clinical_command.output(args, result))
    return 0
