"""The ``sarcoma-edu stage`` and ``grade`` commands: their options, the result, and its text.

Examples::

    sarcoma-edu stage --site extremity --size 7 --grade high
    sarcoma-edu stage --site retroperitoneum --size unknown --grade 2 --nodes --json
    sarcoma-edu stage --site visceral --grade high --extent serosa
    sarcoma-edu grade --differentiation 2 --mitoses 12 --necrosis 30

The top parser is :mod:`sarcoma_edu.cli`: it calls :func:`result`, turns a ``ValueError`` or
``TypeError`` from the rules into one line and exit status 2, with the library's parameter names as
the options typed (:data:`OPTION_WORDS`), and prints :func:`output`. A number the option cannot hold
(not a number, not finite) is refused while parsing, naming what was typed. ``--size`` may be left out
where the size does not set T (a visceral tumour; a head and neck tumour given ``--extent`` of
invasion); left out elsewhere, the rule's message names it. ``--size unknown`` is a size not known (TX).
"""

from __future__ import annotations

import argparse
import json
import math
from dataclasses import asdict

from sarcoma_edu.clinical.grading import FnclccResult, fnclcc
from sarcoma_edu.clinical.staging import StageResult, stage
from sarcoma_edu.clinical.t_categories import NOT_GIVEN
from sarcoma_edu.clinical.vocabulary import SITES
from sarcoma_edu.common.about import DISCLAIMER

__all__ = ["COMMANDS", "OPTION_WORDS", "add_parsers", "output", "result"]

COMMANDS = ("stage", "grade")
# library parameter names in a message, as the options a command-line user typed (and 'unknown' for None)
OPTION_WORDS = {
    "size_cm=": "--size ",
    "size_cm is needed": "--size is needed",
    "when no extent is given": "when no --extent is given",
    "an extent of ": "--extent ",
    "extent=": "--extent ",
    "sites=": "--sites ",
    "needs sites,": "needs --sites,",
    "necrosis_pct=": "--necrosis ",
    "differentiation=": "--differentiation ",
    "mitoses=": "--mitoses ",
    "site=": "--site ",
    "grade=": "--grade ",
    "or None if unknown": "or 'unknown'",
    "'unknown' or None": "or 'unknown'",
    "leave sites out": "leave --sites out",
}


def _typed(text: str) -> str:
    """What the user typed, shortened to one readable line (a number with 5,000 digits, say)."""
    return repr(text) if len(text) <= 40 else f"{text[:12]!r}...{text[-4:]!r} ({len(text):,} characters)"


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


def add_parsers(commands) -> None:
    """Add ``stage`` and ``grade`` to the ``sarcoma-edu`` sub-command parsers."""
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
        type=_size,
        default=NOT_GIVEN,
        help="greatest dimension of the tumour in cm, e.g. 7.5, or 'unknown' (TX); needed where the size sets T, "
        "not for visceral organs (T is the extent) nor for a head and neck tumour given an --extent of invasion",
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


def result(args: argparse.Namespace) -> StageResult | FnclccResult:
    """The stage or the grade the options ask for.

    Raises:
        TypeError, ValueError: from :func:`~sarcoma_edu.clinical.staging.stage` or
            :func:`~sarcoma_edu.clinical.grading.fnclcc`, naming the parameter, the value and what is allowed.
    """
    if args.command == "stage":
        return stage(
            args.site,
            args.size,
            args.grade,
            nodes=args.nodes,
            metastasis=args.metastasis,
            extent=args.extent,
            sites=args.sites,
        )
    return fnclcc(args.differentiation, args.mitoses, args.necrosis)


def output(args: argparse.Namespace, found: StageResult | FnclccResult) -> str:
    """What the command prints: one JSON object with ``--json``, else a few lines with the source and the disclaimer."""
    if args.json:
        return json.dumps(asdict(found), ensure_ascii=False)
    return _stage_text(found) if args.command == "stage" else _grade_text(found)


def _stage_text(result: StageResult) -> str:
    group = result.stage if result.stage is not None else "no stage group"
    return (
        f"Stage: {group}\n"
        f"T {result.t}  N {result.n}  M {result.m}  G {result.g}  ({result.site.replace('_', ' ')})\n"
        f"{result.explanation}\n"
        f"Source: {result.source}\n"
        f"{DISCLAIMER}"
    )


def _grade_text(result: FnclccResult) -> str:
    return (
        f"FNCLCC grade {result.grade} ({result.label}, {result.g}): total score {result.total}\n"
        f"{result.explanation}\n"
        f"Source: {result.source}\n"
        f"{DISCLAIMER}"
    )
