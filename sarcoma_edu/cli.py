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
    sarcoma-edu report handed-in/ --out class-report.html --anonymise
    sarcoma-edu binder-links

Exit status: 0 when done; 1 when output could not be written (a file such as the report, the
lessons' copy or the progress file, or the terminal itself), with one line naming it and why, and
whatever was there before left as it was; 2 for bad input, with one line naming the option, the
value and what is allowed (no traceback).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import shlex
import sys
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import NoReturn

from sarcoma_edu.clinical.grading import fnclcc
from sarcoma_edu.clinical.staging import stage
from sarcoma_edu.clinical.vocabulary import SITES
from sarcoma_edu.common import atomic as _atomic
from sarcoma_edu.common.about import DISCLAIMER, __version__
from sarcoma_edu.report import command as report_cli
from sarcoma_edu.serve import classroom, lab_settings

__all__ = ["EXIT_BAD_INPUT", "EXIT_NOT_WRITTEN", "main"]

EXIT_NOT_WRITTEN, EXIT_BAD_INPUT = 1, 2
_EXIT_CODES = (
    "Exit status: 0 done; 1 output could not be written (a file or the terminal: the message names it and why, "
    "and what was there is left as it was); 2 bad input (the message names the option, the value and what is allowed)."
)


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line, without the usage block."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")

    def _print_message(self, message: str, file=None) -> None:
        # argparse ignores a failed write (--help > /dev/full would exit 0); let main() report it
        if message:
            (file or sys.stderr).write(message)


def _size(text: str) -> float | None:
    if text.strip().lower() in ("unknown", "none", "tx"):
        return None
    try:
        size = float(text)
    except ValueError:
        size = None
    if size is None or not math.isfinite(size):  # 1e400 and a 1 with 400 zeros read as inf: say what was typed
        what = "not a number" if size is None else "not a finite number"
        raise argparse.ArgumentTypeError(
            f"size {_typed(text)} is {what}; give the greatest dimension in cm (e.g. 7.5) or 'unknown'"
        )
    return size


def _typed(text: str) -> str:
    """What the user typed, shortened to one readable line (a number with 5,000 digits, say)."""
    return repr(text) if len(text) <= 40 else f"{text[:12]!r}...{text[-4:]!r} ({len(text):,} characters)"


def _grade(text: str) -> int | str:
    try:
        return int(text) if text.strip().isdigit() else text
    except ValueError:  # more digits than Python reads as a number: left as text, refused as a grade
        return text


def _number(kind: type, what: str):
    def parse(text: str):
        try:
            number = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{_typed(text)} is not {what}") from None
        if isinstance(number, float) and not math.isfinite(number):
            raise argparse.ArgumentTypeError(f"{_typed(text)} is not a finite number")
        return number

    return parse


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="sarcoma-edu",
        description=f"Stage and grade adult soft tissue sarcoma for teaching. {DISCLAIMER}",
        epilog=_EXIT_CODES,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser, metavar="COMMAND")

    st = commands.add_parser(
        "stage",
        help="AJCC 8th edition stage of a tumour",
        description="Give the AJCC 8th edition T, N, M, G and stage group of a soft tissue sarcoma.",
    )
    st.add_argument(
        "--site",
        required=True,
        help=f"where the tumour started: {', '.join(SITES)} (arm and leg mean extremity)",
    )
    st.add_argument(
        "--size",
        required=True,
        type=_size,
        help="greatest dimension of the tumour in cm, e.g. 7.5, or 'unknown'",
    )
    st.add_argument(
        "--grade",
        required=True,
        type=_grade,
        help="1, 2 or 3; G1, G2, G3 or GX; low, mid (intermediate), high or unknown",
    )
    st.add_argument("--nodes", action="store_true", help="the cancer has spread to nearby lymph nodes (N1)")
    st.add_argument("--metastasis", action="store_true", help="the cancer has spread to distant parts of the body (M1)")
    st.add_argument(
        "--extent",
        metavar="WORD",
        help="head and neck: invades_adjoining_t4a or invades_adjoining_t4b (invasion decides T4); visceral organs: "
        "organ_confined, serosa, beyond_serosa, another_organ or multifocal (with --sites); other sites take none",
    )
    st.add_argument(
        "--sites",
        type=_number(int, "a whole number of sites"),
        metavar="N",
        help="with --extent multifocal: the number of places the visceral tumour is found (2 or more)",
    )
    st.add_argument("--json", action="store_true", help="print one JSON object instead of text")

    gr = commands.add_parser(
        "grade",
        help="FNCLCC grade from the three pathology scores",
        description="Grade a soft tissue sarcoma with the FNCLCC system.",
    )
    gr.add_argument(
        "--differentiation",
        required=True,
        type=_number(int, "a whole number"),
        help=(
            "differentiation score 1-3: 1 resembles normal adult tissue, 2 histological type certain, "
            "3 undifferentiated or type doubtful"
        ),
    )
    gr.add_argument(
        "--mitoses",
        required=True,
        type=_number(int, "a whole number"),
        help="number of mitoses counted in 10 high-power fields (0 or more)",
    )
    gr.add_argument(
        "--necrosis",
        required=True,
        type=_number(float, "a number"),
        help="percentage of the tumour that is necrotic (0-100)",
    )
    gr.add_argument("--json", action="store_true", help="print one JSON object instead of text")

    lab = commands.add_parser(
        "lab",
        help="copy the lessons to a folder of yours and open JupyterLab there",
        description=(
            "Copy the lessons into a folder (a lesson you have edited is never replaced without asking) "
            "and open JupyterLab there on the welcome lesson."
        ),
    )
    lab.add_argument(
        "--dir", default="~/sarcoma-edu-lessons", help="folder for your copy (default: ~/sarcoma-edu-lessons)"
    )
    lab.add_argument("--port", type=_port, help="port for JupyterLab, 1-65535 (default: the first free one from 8888)")
    lab.add_argument("--no-browser", action="store_true", help="do not open a browser tab")
    lab.add_argument("--no-start", action="store_true", help="only copy the lessons, do not start JupyterLab")

    present = commands.add_parser(
        "present",
        help="show one lesson in Voila for the projector (no code)",
        description="Serve one lesson as a web page with the code hidden, e.g. 'sarcoma-edu present 03'.",
    )
    present.add_argument(
        "lesson", help="lesson number or name (e.g. 03 or staging), or the path to a notebook of yours (.ipynb)"
    )
    present.add_argument(
        "--dir", help="find the lesson in this folder, e.g. the copy 'sarcoma-edu lab --dir' made (your edits)"
    )
    present.add_argument(
        "--dark", action="store_true", help="dark page and figures (easier to read on some projectors)"
    )
    present.add_argument(
        "--large-text", action="store_true", help="text large enough for the back of the room (22 px body text)"
    )
    present.add_argument("--port", type=_port, help="port for Voila, 1-65535 (default: the first free one from 8866)")
    present.add_argument("--no-browser", action="store_true", help="do not open a browser tab")
    present.add_argument("--print-command", action="store_true", help="print the Voila command instead of running it")
    _add_bank_parser(commands)
    _add_case_parser(commands)
    _add_progress_parser(commands)
    report_cli.add_parsers(commands)
    return parser


def _add_bank_parser(commands) -> None:
    bank = commands.add_parser(
        "bank",
        help="check quiz bank files before class",
        description="Work with quiz bank files (JSON lists of questions, see the README).",
    )
    actions = bank.add_subparsers(dest="bank_command", required=True, parser_class=_Parser, metavar="ACTION")
    check = actions.add_parser(
        "check",
        help="check bank files and list every problem",
        description=(
            "Check quiz bank files with the bank schema and against the built-in questions' ids. "
            "Exit status 0 with one OK line per file, or 2 with every problem (file, question, field)."
        ),
    )
    check.add_argument("files", nargs="+", metavar="FILE", help="a bank file (.json)")


def _add_progress_parser(commands) -> None:
    progress = commands.add_parser(
        "progress",
        help="look after a student's saved quiz progress",
        description="Work with the quiz progress file (~/.sarcoma_edu/progress.sqlite3 or $SARCOMA_EDU_PROGRESS).",
    )
    actions = progress.add_subparsers(dest="progress_command", required=True, parser_class=_Parser, metavar="ACTION")
    recover = actions.add_parser(
        "recover",
        help="bring back the answers in a progress file that was moved aside",
        description=(
            "Merge every readable attempt of a moved-aside progress file (<name>.corrupt-<time>, next to the "
            "progress file), or of a copy cut short or with lost pages, into the progress store: every attempt "
            "SQLite can still read comes back, and it says how many could not be read. Running it twice adds "
            "nothing; FILE is never changed. Exit status 0; 1 with one line if the progress store cannot be "
            "written; 2 with one line if FILE cannot be read."
        ),
    )
    recover.add_argument("file", metavar="FILE", help="the moved-aside file, e.g. progress.sqlite3.corrupt-<time>")
    recover.add_argument("--into", metavar="PATH", help="the progress file to merge into (default: the student's own)")


def _bank_check(args: argparse.Namespace) -> int:
    from sarcoma_edu.course.banks import check_banks  # reads JSON Schema: only this command needs it

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


def _add_case_parser(commands) -> None:
    case = commands.add_parser(
        "case",
        help="check tumour board case files before class",
        description="Work with tumour board case files (JSON, one patient each; see docs/teaching.md).",
    )
    actions = case.add_subparsers(dest="case_command", required=True, parser_class=_Parser, metavar="ACTION")
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


def _case_check(args: argparse.Namespace) -> int:
    from sarcoma_edu.course.case_files import check_cases  # reads JSON Schema: only this command needs it

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


def _ask(path: Path) -> bool:
    """Ask in the terminal whether to replace an edited lesson; anything but yes keeps it."""
    if not sys.stdin.isatty():
        return False
    reply = input(f"You have edited {path.name}. Replace it with a fresh copy (yours is backed up)? [y/N] ")
    return reply.strip().lower() in ("y", "yes")


def _port(text: str) -> int:
    try:
        return classroom.check_port(int(text))
    except ValueError:
        allowed = "expected a whole number from 1 to 65535"
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number; {allowed}") from None


def _lab(args: argparse.Namespace) -> int:
    try:
        report = classroom.copy_lessons(args.dir, replace_edited=_ask)
    except (ValueError, TypeError):
        raise
    except OSError as error:  # a read-only folder, a full disk: not bad input
        where = error.filename or args.dir
        reason = error.strerror or str(error)
        text = str(error) if isinstance(error, _atomic.OutputError) else f"could not write {where} ({reason})"
        print(f"sarcoma-edu lab: error: the lessons were not copied: {text}", file=sys.stderr)
        return EXIT_NOT_WRITTEN
    print(report.describe())
    if args.no_start:
        print(f"Start JupyterLab there with: {shlex.join(['sarcoma-edu', 'lab', '--dir', str(report.folder)])}")
        return 0
    port = classroom.choose_port(args.port, classroom.LAB_PORT)
    _say_port(classroom.LAB_PORT if args.port is None else port, port)
    command = classroom.lab_command(report.folder, port, browser=not args.no_browser)
    where = classroom.url(port, "/lab/tree/00_welcome.ipynb")
    print(f"JupyterLab at {where} (the link with its login token follows); press Ctrl+C to stop.", flush=True)
    return classroom.run_server(command, lab_settings.lab_env())  # no news pop-up for students


def _present(args: argparse.Namespace) -> int:
    lesson = classroom.resolve(args.lesson, args.dir)
    port = classroom.choose_port(args.port, classroom.PRESENT_PORT)
    _say_port(classroom.PRESENT_PORT if args.port is None else port, port)
    browser = not args.no_browser
    command = classroom.present_command(lesson, args.dark, port, browser, large_text=args.large_text)
    env = classroom.present_env(dark=args.dark, large_text=args.large_text)
    if args.print_command:
        print(shlex.join([*(f"{k}={v}" for k, v in env.items()), *command]))
        return 0
    print(f"Presenting {lesson.name} at {classroom.url(port)} (code hidden); press Ctrl+C to stop.", flush=True)
    return classroom.run_server(command, env)


def _say_port(default: int, chosen: int) -> None:
    """Say which process still holds the usual port (e.g. a server left running), and how to stop it."""
    note = classroom.port_note(default, chosen)
    if note:
        print(note, flush=True)


def _stage_text(result) -> str:
    group = result.stage if result.stage is not None else "no stage group"
    return (
        f"Stage: {group}\n"
        f"T {result.t}  N {result.n}  M {result.m}  G {result.g}  ({result.site.replace('_', ' ')})\n"
        f"{result.explanation}\n"
        f"Source: {result.source}\n"
        f"{DISCLAIMER}"
    )


def _grade_text(result) -> str:
    return (
        f"FNCLCC grade {result.grade} ({result.label}, {result.g}): total score {result.total}\n"
        f"{result.explanation}\n"
        f"Source: {result.source}\n"
        f"{DISCLAIMER}"
    )


# library parameter names as the options a command-line user typed
_FLAGS = {
    "size_cm": "--size",
    "extent": "--extent",
    "sites": "--sites",
    "necrosis_pct": "--necrosis",
    "differentiation": "--differentiation",
    "mitoses": "--mitoses",
    "site": "--site",
    "grade": "--grade",
    "folder": "--dir",
    "port": "--port",
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0 ok, 1 output not written, 2 bad input).

    A file that cannot be written (the report, the copy of the lessons, the progress file) ends
    with one line naming it and why, and status 1.

    Output that cannot be written (a full disk, ``> /dev/full``, a closed pipe) ends with one
    line on stderr and status 1, not a traceback.
    """
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
    if args.command == "bank":  # every problem is a line of its output; only writing it can fail
        return _bank_check(args)
    if args.command == "case":  # the same: problems are output lines
        return _case_check(args)
    try:
        if args.command in report_cli.COMMANDS:
            return report_cli.run(args)
        if args.command == "progress":
            from sarcoma_edu.progress.recover import command  # only this command needs the progress store

            return command(args.file, args.into)
        if args.command == "lab":
            return _lab(args)
        if args.command == "present":
            return _present(args)
        if args.command == "stage":
            result = stage(
                args.site,
                args.size,
                args.grade,
                nodes=args.nodes,
                metastasis=args.metastasis,
                extent=args.extent,
                sites=args.sites,
            )
            text = _stage_text(result)
        else:
            result = fnclcc(args.differentiation, args.mitoses, args.necrosis)
            text = _grade_text(result)
    except _atomic.OutputError as error:
        print(f"sarcoma-edu {args.command}: error: {error}", file=sys.stderr)
        return EXIT_NOT_WRITTEN
    except (TypeError, ValueError, OSError) as error:
        if isinstance(error, BrokenPipeError):  # the output was closed: main() says so in one line
            raise
        message = str(error)
        for name, flag in _FLAGS.items():
            message = message.replace(f"{name}=", f"{flag} ")
        message = message.replace("or None if unknown", "or 'unknown'")
        print(f"sarcoma-edu {args.command}: error: {message}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(json.dumps(asdict(result), ensure_ascii=False) if args.json else text)
    return 0
