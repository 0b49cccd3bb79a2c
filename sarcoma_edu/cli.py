"""The ``sarcoma-edu`` command: stage a tumour or grade it from the terminal.

Examples::

    sarcoma-edu stage --site extremity --size 7 --grade high
    sarcoma-edu stage --site retroperitoneum --size unknown --grade 2 --nodes --json
    sarcoma-edu grade --differentiation 2 --mitoses 12 --necrosis 30

Bad input exits with status 2 and a one-line message (no traceback).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import asdict
from typing import NoReturn

from sarcoma_edu import DISCLAIMER, __version__
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
    return parser


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
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0 ok, 2 bad input)."""
    parser = _build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "stage":
            result = stage(args.site, args.size, args.grade, nodes=args.nodes, metastasis=args.metastasis)
            text = _stage_text(result)
        else:
            result = fnclcc(args.differentiation, args.mitoses, args.necrosis)
            text = _grade_text(result)
    except (TypeError, ValueError) as error:
        message = str(error)
        for name, flag in _FLAGS.items():
            message = message.replace(f"{name}=", f"{flag} ")
        message = message.replace("or None if unknown", "or 'unknown'")
        print(f"sarcoma-edu {args.command}: error: {message}", file=sys.stderr)
        return 2
    print(json.dumps(asdict(result), ensure_ascii=False) if args.json else text)
    return 0
