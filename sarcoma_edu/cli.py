"""The ``sarcoma-edu`` command: stage or grade a tumour, open the lessons, present one.

Examples::

    sarcoma-edu stage --site extremity --size 7 --grade high
    sarcoma-edu stage --site retroperitoneum --size unknown --grade 2 --nodes --json
    sarcoma-edu grade --differentiation 2 --mitoses 12 --necrosis 30
    sarcoma-edu lab --dir ~/sarcoma-lessons
    sarcoma-edu present 03 --dark

Bad input exits with status 2 and a one-line message (no traceback).
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import NoReturn

from sarcoma_edu import DISCLAIMER, __version__, classroom
from sarcoma_edu.grading import fnclcc
from sarcoma_edu.staging import SITES, stage

__all__ = ["main"]


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line, without the usage block."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _size(text: str) -> float | None:
    if text.strip().lower() in ("unknown", "none", "tx"):
        return None
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"size {text!r} is not a number; give the greatest dimension in cm (e.g. 7.5) or 'unknown'"
        ) from None


def _grade(text: str) -> int | str:
    return int(text) if text.strip().isdigit() else text


def _number(kind: type, what: str):
    def parse(text: str):
        try:
            return kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not {what}") from None

    return parse


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="sarcoma-edu",
        description=f"Stage and grade adult soft tissue sarcoma for teaching. {DISCLAIMER}",
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
    return parser


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
    report = classroom.copy_lessons(args.dir, replace_edited=_ask)
    print(report.describe())
    if args.no_start:
        print(f"Start JupyterLab there with: {shlex.join(['sarcoma-edu', 'lab', '--dir', str(report.folder)])}")
        return 0
    port = classroom.choose_port(args.port, classroom.LAB_PORT)
    command = classroom.lab_command(report.folder, port, browser=not args.no_browser)
    where = classroom.url(port, "/lab/tree/00_welcome.ipynb")
    print(f"JupyterLab at {where} (the link with its login token follows); press Ctrl+C to stop.", flush=True)
    return classroom.run_server(command)


def _present(args: argparse.Namespace) -> int:
    lesson = classroom.resolve(args.lesson, args.dir)
    port = classroom.choose_port(args.port, classroom.PRESENT_PORT)
    browser = not args.no_browser
    command = classroom.present_command(lesson, args.dark, port, browser, large_text=args.large_text)
    env = classroom.present_env(dark=args.dark, large_text=args.large_text)
    if args.print_command:
        print(shlex.join([*(f"{k}={v}" for k, v in env.items()), *command]))
        return 0
    print(f"Presenting {lesson.name} at {classroom.url(port)} (code hidden); press Ctrl+C to stop.", flush=True)
    return classroom.run_server(command, env)


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
    "necrosis_pct": "--necrosis",
    "differentiation": "--differentiation",
    "mitoses": "--mitoses",
    "site": "--site",
    "grade": "--grade",
    "folder": "--dir",
    "port": "--port",
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0 ok, 2 bad input)."""
    parser = _build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "lab":
            return _lab(args)
        if args.command == "present":
            return _present(args)
        if args.command == "stage":
            result = stage(args.site, args.size, args.grade, nodes=args.nodes, metastasis=args.metastasis)
            text = _stage_text(result)
        else:
            result = fnclcc(args.differentiation, args.mitoses, args.necrosis)
            text = _grade_text(result)
    except (TypeError, ValueError, OSError) as error:
        message = str(error)
        for name, flag in _FLAGS.items():
            message = message.replace(f"{name}=", f"{flag} ")
        message = message.replace("or None if unknown", "or 'unknown'")
        print(f"sarcoma-edu {args.command}: error: {message}", file=sys.stderr)
        return 2
    print(json.dumps(asdict(result), ensure_ascii=False) if args.json else text)
    return 0
