"""Quiz questions built from random but plausible patients, answered by the library itself.

The same seed always gives the same patient and the same question, so a generated question can
be recorded by id (``case-<kind>-<seed>``) and asked again later. The right answer is computed
by :func:`~sarcoma_edu.stage`, :func:`~sarcoma_edu.t_category`, :func:`~sarcoma_edu.fnclcc` or
:func:`~sarcoma_edu.treatment_options`; the wrong answers are chosen to teach (the neighbouring
stage, the other site's nodal rule, the other site's size bands). The patients and the way a
question is put together are in :mod:`sarcoma_edu.course.generated_patients`; the T-category
questions in :mod:`sarcoma_edu.course.generated_t`.
"""

from __future__ import annotations

import functools
import numbers
import random
import re

from sarcoma_edu.clinical.grading import fnclcc
from sarcoma_edu.clinical.staging import StageResult, stage
from sarcoma_edu.clinical.tables import load_table
from sarcoma_edu.clinical.treatment import treatment_options
from sarcoma_edu.clinical.vocabulary import STAGES
from sarcoma_edu.common import checks as _checks
from sarcoma_edu.course.generated_patients import describe_patient, draw_patient, finish_question
from sarcoma_edu.course.generated_t import t_category_question
from sarcoma_edu.course.quiz import Question

__all__ = ["CASE_KINDS", "SEED_LIMIT", "generate_case_question", "question_from_id"]

CASE_KINDS: tuple[str, ...] = ("stage", "t_category", "fnclcc_grade", "treatment")
_COUNT = {2: "two", 3: "three"}
# the library's answers, memoised: generated patients come from a few hundred combinations
_stage = functools.lru_cache(maxsize=4096)(stage)
_fnclcc = functools.lru_cache(maxsize=4096)(fnclcc)
_treatment_options = functools.lru_cache(maxsize=1024)(treatment_options)
_PDQ_SITUATIONS = ("stage_I", "stage_II_III_N0", "stage_III_N1", "stage_IV")
# seeds are whole numbers 0 <= seed < SEED_LIMIT (39 digits at most), kept exactly in the question id
SEED_LIMIT = 2**128
_SEED_ALLOWED = "a whole number from 0 to 2**128 - 1"
_ID = re.compile(r"^case-(stage|t_category|fnclcc_grade|treatment)-(0|[1-9][0-9]{0,38})$")


def _seed(seed: object) -> int:
    """Return the seed as an exact int, or raise naming it (bools, text and inexact floats are refused)."""
    if isinstance(seed, numbers.Integral) and not isinstance(seed, bool):
        number = int(seed)  # exact, however large
    else:
        number = _checks.whole_number("seed", seed, _SEED_ALLOWED)
        if abs(number) > 2**53:  # a float this large is not the whole number that was meant
            raise ValueError(
                f"seed={_checks.show(seed)} is a float too large to be exact; expected an int from 0 to 2**128 - 1"
            )
    if number < 0:
        raise ValueError(f"seed={_checks.show(seed)} is negative; expected {_SEED_ALLOWED}")
    if number >= SEED_LIMIT:
        raise ValueError(f"seed={_checks.show(seed)} is too large; expected {_SEED_ALLOWED}")
    return number


def _stage_words(result: StageResult) -> str:
    return f"Stage {result.stage}" if result.stage else "No stage group"


def _ajcc7_stage_iii(patient: dict) -> bool:
    """Would the AJCC 7th edition call this patient stage III (T2 G3 N0 M0, or any N1 M0)?"""
    if patient["metastasis"]:
        return False
    return bool(patient["nodes"]) or (patient["size_cm"] > 5 and patient["grade"] == "G3")


def _stage_question(qid: str, rng: random.Random) -> Question:
    p = draw_patient(rng, ("trunk", "extremity", "retroperitoneum"))
    result = _stage(**p)
    right = _stage_words(result)
    wrong: dict[str, str] = {}
    other_site = "extremity" if p["site"] == "retroperitoneum" else "retroperitoneum"
    other = _stage(**{**p, "site": other_site})
    if _stage_words(other) != right:
        where = "on the trunk or a limb" if other_site == "extremity" else "in the retroperitoneum"
        wrong[_stage_words(other)] = f"That would be the stage {where}: the nodal rule differs between the two."
    if _ajcc7_stage_iii(p):
        wrong["Stage III"] = (
            "Stage III without a letter is the AJCC 7th edition grouping (a tumour over 5 cm of grade 3, or any "
            "tumour with nodal spread and no distant spread), and the PDQ treatment headings still use the word. "
            "The question asks for the exact AJCC 8th edition group, and the 8th edition has no group 'III' "
            f"without a letter: it splits and regroups these tumours, and places this one in stage {result.stage}."
        )
    flipped = {"G1": "G3", "GX": "G3", "G2": "G1", "G3": "G1"}[p["grade"]]
    regraded = _stage(**{**p, "grade": flipped})
    if _stage_words(regraded) != right:
        wrong.setdefault(
            _stage_words(regraded), f"That would be the stage with grade {flipped} instead of {p['grade']}."
        )
    position = STAGES.index(result.stage) if result.stage else 0
    for step in (1, -1, 2, -2, 3, -3, 4, -4, 5, -5):
        k = position + step
        if 0 <= k < len(STAGES) and f"Stage {STAGES[k]}" != right:
            wrong.setdefault(f"Stage {STAGES[k]}", f"Stage {STAGES[k]} does not match these T, N, M and G.")
    question = f"{describe_patient(p)} What is its exact AJCC 8th edition stage group (with its letter, if it has one)?"
    return finish_question(qid, "stage", question, right, wrong, result, result.source, p)


_DIFFERENTIATION = {
    1: "cells that closely resemble normal adult mesenchymal tissue (differentiation score 1)",
    2: "cells of a histological type that is certain (differentiation score 2)",
    3: "embryonal or undifferentiated cells, or a doubtful type (differentiation score 3)",
}


def _grade_question(qid: str, rng: random.Random) -> Question:
    d = rng.choice((1, 2, 3))
    mitoses = rng.choice((2, 5, 8, 9, 10, 12, 15, 19, 20, 25, 34))
    necrosis = rng.choice((0, 0, 10, 30, 49, 50, 60, 80))
    result = _fnclcc(d, mitoses, necrosis)
    label = {1: "Grade 1 (low)", 2: "Grade 2 (mid)", 3: "Grade 3 (high)"}
    wrong = {label[g]: f"{label[g]} is a total of {band}; this tumour's total is {result.total}." for g, band in
             ((1, "2-3"), (2, "4-5"), (3, "6-8")) if g != result.grade}  # fmt: skip
    question = (
        f"A sarcoma shows {_DIFFERENTIATION[d]}, {mitoses} mitoses per 10 high-power fields and "
        f"{necrosis}% tumour necrosis. What is its FNCLCC grade?"
    )
    case = {"differentiation": d, "mitoses": mitoses, "necrosis_pct": necrosis}
    return finish_question(
        qid, "fnclcc_grade", question, label[result.grade], wrong, result.explanation, result.source, case
    )


@functools.cache
def _pdq_headings() -> dict[str, str]:
    """PDQ list heading of each treatment situation (``treatment_situations.csv``)."""
    table = load_table("treatment_situations.csv")
    return dict(zip(table.situation, table.pdq_heading, strict=True))


def _treatment_question(qid: str, rng: random.Random) -> Question:
    p = draw_patient(rng, ("trunk", "extremity", "retroperitoneum"))
    result = _stage(**p)
    options = _treatment_options(result)
    readings = options.readings  # the library's list first, then any other reading the sources allow
    heading = {s: f"'{_pdq_headings()[s]}'" for s in (*_PDQ_SITUATIONS, *readings)}
    right = {heading[s]: "" for s in readings}
    if len(readings) > 1:  # e.g. node-positive trunk or limb tumour without distant spread (AJCC 8 stage IV)
        for s in readings:
            others = " or ".join(heading[o] for o in readings if o != s)
            right[heading[s]] = (
                f"Accepted: this is one of {_COUNT.get(len(readings), len(readings))} readings the sources allow. "
                f"The other reading, {others}, is accepted too; the explanation below says why both apply."
            )
    wrong = {heading[s]: "That list is for a different situation." for s in _PDQ_SITUATIONS if s not in readings}
    listed = "; ".join(item.words for item in options.items)
    why = f"{result.explanation} {options.explanation} The options on the {heading[readings[0]]} list: {listed}."
    question = f"{describe_patient(p)} Which PDQ treatment list gives the options for this patient?"
    return finish_question(qid, "treatment", question, right, wrong, why, options.source, p)


def generate_case_question(seed: int, kind: str = "stage") -> Question:
    """Build a quiz question from a random but plausible patient.

    Args:
        seed: a whole number from 0 to ``SEED_LIMIT - 1`` (2**128 - 1), kept exactly: the same
            seed and kind always give the same question. An int of any size in that range, a
            numpy integer, or a float with a whole value up to 2**53; not a bool.
        kind: ``"stage"``, ``"t_category"``, ``"fnclcc_grade"`` or ``"treatment"``.

    Returns:
        A multiple-choice :class:`~sarcoma_edu.course.quiz.Question` with id ``case-<kind>-<seed>``;
        its ``case`` dict holds the patient.

    Raises:
        TypeError: a seed that is not a number (a bool, a string), or a kind that is not a string.
        ValueError: a negative seed, a seed of 2**128 or more, a fractional seed, a float seed
            above 2**53 (not exact), or an unknown kind.
    """
    number = _seed(seed)
    kind = _checks.choice("kind", kind, CASE_KINDS)
    qid = f"case-{kind}-{number}"
    rng = random.Random(f"{kind}:{number}")
    build = {"stage": _stage_question, "t_category": t_category_question, "fnclcc_grade": _grade_question}
    return build.get(kind, _treatment_question)(qid, rng)


def question_from_id(question_id: str) -> Question | None:
    """Rebuild a generated question from its id (``case-<kind>-<seed>``); None for other ids.

    Only ids that :func:`generate_case_question` makes are rebuilt: ``case-stage-007`` (leading
    zeros), ``case-stage-٣`` (digits other than 0-9) and seeds of 2**128 or more give None.

    Raises:
        TypeError: ``question_id`` is not a string.
    """
    if not isinstance(question_id, str):
        raise TypeError(f"question_id={_checks.show(question_id)} is a {type(question_id).__name__}; expected a string")
    match = _ID.fullmatch(question_id)
    if match and int(match.group(2)) >= SEED_LIMIT:
        return None
    return generate_case_question(int(match.group(2)), match.group(1)) if match else None
