"""Quiz questions built from random but plausible patients, answered by the library itself.

The same seed always gives the same patient and the same question, so a generated question can
be recorded by id (``case-<kind>-<seed>``) and asked again later. The right answer is computed
by :func:`~sarcoma_edu.stage`, :func:`~sarcoma_edu.t_category`, :func:`~sarcoma_edu.fnclcc` or
:func:`~sarcoma_edu.treatment_options`; the wrong answers are chosen to teach (the neighbouring
stage, the other site's nodal rule, the other site's size bands).
"""

from __future__ import annotations

import functools
import numbers
import random
import re

from sarcoma_edu.clinical.grading import fnclcc, grade_words
from sarcoma_edu.clinical.staging import StageResult, stage
from sarcoma_edu.clinical.t_categories import t_category
from sarcoma_edu.clinical.tables import load_table
from sarcoma_edu.clinical.treatment import treatment_options
from sarcoma_edu.clinical.vocabulary import STAGES
from sarcoma_edu.common import checks as _checks
from sarcoma_edu.course.quiz import Answer, Question

__all__ = ["CASE_KINDS", "KIND_OBJECTIVES", "SEED_LIMIT", "generate_case_question", "question_from_id"]

CASE_KINDS: tuple[str, ...] = ("stage", "t_category", "fnclcc_grade", "treatment")
_TOPIC = {"stage": "staging", "t_category": "staging", "fnclcc_grade": "grade", "treatment": "treatment"}
# the learning objectives (ids of datasets/objectives.csv) each generated kind assesses
KIND_OBJECTIVES: dict[str, tuple[str, ...]] = {
    "stage": ("quiz-unseen-patients", "staging-stage-group"),
    "t_category": ("quiz-unseen-patients", "staging-tnmg"),
    "fnclcc_grade": ("quiz-unseen-patients", "grade-fnclcc-score"),
    "treatment": ("quiz-unseen-patients", "treatment-pdq-options"),
}
_SITE_WORDS = {
    "trunk": "the trunk (chest or abdominal wall, back)",
    "extremity": "the thigh",
    "retroperitoneum": "the retroperitoneum",
    "head_and_neck": "the neck",
}
# sizes a student meets in practice, with the band edges included on purpose
_SIZES = (1.5, 2.0, 3.0, 4.0, 4.5, 5.0, 6.0, 7.0, 8.5, 10.0, 11.0, 12.5, 14.0, 15.0, 16.0, 18.0, 22.0)
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


def _patient(rng: random.Random, sites: tuple[str, ...]) -> dict:
    spread = rng.random()
    return {
        "site": rng.choice(sites),
        "size_cm": rng.choice(_SIZES),
        "grade": rng.choice(("G1", "G2", "G3", "G3", "GX")),
        "nodes": 0.70 <= spread < 0.85,
        "metastasis": spread >= 0.85,
    }


def _a(size: float) -> str:
    """'An' before sizes read with a vowel sound (8, 11, 18, 80...), else 'A'."""
    return "An" if f"{size:g}".startswith(("8", "11", "18")) else "A"


def _describe(p: dict) -> str:
    spread = {
        (False, False): "no spread to lymph nodes or distant sites",
        (True, False): "spread to nearby (regional) lymph nodes and no distant metastasis",
        (False, True): "distant metastasis in the lung and no lymph node spread",
        (True, True): "spread to regional lymph nodes and distant metastasis in the lung",
    }[(p["nodes"], p["metastasis"])]
    return (
        f"{_a(p['size_cm'])} {p['size_cm']:g} cm sarcoma of {_SITE_WORDS[p['site']]}, "
        f"{grade_words(p['grade'])} ({p['grade']}), with {spread}."
    )


def _finish(
    qid: str,
    kind: str,
    question: str,
    right: str | dict[str, str],
    wrong: dict[str, str],
    why: StageResult | str,
    source: str,
    case,
) -> Question:
    """Shuffle the right answer(s) among up to three wrong ones, each answer with its own feedback.

    ``right`` is one answer text, or a dict of right answers (text -> feedback) when the sources
    allow more than one reading; a right answer is never offered again as a wrong one.
    """
    rng = random.Random(qid)
    rights = {right: ""} if isinstance(right, str) else dict(right)
    texts = [text for text in wrong if text not in rights][:3]
    choices = [*rights, *texts]
    rng.shuffle(choices)
    answers = tuple(Answer(c in rights, answer=c, feedback=rights[c] if c in rights else wrong[c]) for c in choices)
    explanation = why.explanation if isinstance(why, StageResult) else why
    return Question(
        qid, _TOPIC[kind], "multiple_choice", question, answers, explanation, source, "medium",
        case=case, objectives=KIND_OBJECTIVES[kind],
    )  # fmt: skip


def _stage_words(result: StageResult) -> str:
    return f"Stage {result.stage}" if result.stage else "No stage group"


def _ajcc7_stage_iii(patient: dict) -> bool:
    """Would the AJCC 7th edition call this patient stage III (T2 G3 N0 M0, or any N1 M0)?"""
    if patient["metastasis"]:
        return False
    return bool(patient["nodes"]) or (patient["size_cm"] > 5 and patient["grade"] == "G3")


def _stage_question(qid: str, rng: random.Random) -> Question:
    p = _patient(rng, ("trunk", "extremity", "retroperitoneum"))
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
    question = f"{_describe(p)} What is its exact AJCC 8th edition stage group (with its letter, if it has one)?"
    return _finish(qid, "stage", question, right, wrong, result, result.source, p)


# what a stem says for a head and neck tumour that invades (reference section 3, AJCC8 as reprinted in
# PDQ-HP); the T category itself always comes from t_category(..., extent=...)
_INVASIONS = {
    "invades_adjoining_t4a": (
        "invades the orbit",
        "invades the skull base",
        "invades the dura",
        "invades the facial skeleton",
        "invades the pterygoid muscles",
        "invades the central compartment viscera",
    ),
    "invades_adjoining_t4b": (
        "invades the brain",
        "encases the carotid artery",
        "invades the prevertebral muscle",
        "involves the central nervous system by perineural spread",
    ),
}


@functools.cache
def _t4_definitions() -> dict[str, str]:
    """The head and neck T4a and T4b definitions, from ``ajcc8_t_categories.csv``."""
    table = load_table("ajcc8_t_categories.csv")
    rows = table[(table.site == "head_and_neck") & table.t.isin(("T4a", "T4b"))]
    return dict(zip(rows.t, rows.definition, strict=True))


def _t4_words() -> str:
    return "; ".join(f"{t}: {definition}" for t, definition in sorted(_t4_definitions().items()))


# visceral extents as a stem states them (the T each gives is the library's, from the T table)
_VISCERAL_EXTENTS = {
    "organ_confined": "it is confined to the organ it started in",
    "serosa": "it has grown into the serosa (the organ's outer lining)",
    "beyond_serosa": "it has grown beyond the serosa into the mesentery",
    "another_organ": "it has grown into another organ",
    "multifocal": "it is found in {sites} separate places (multifocal)",
}


def _visceral_t_question(qid: str, rng: random.Random) -> Question:
    """A visceral sarcoma: T is how far it has grown, never its size (AJCC 8)."""
    size = rng.choice(_SIZES)
    extent = rng.choice(tuple(_VISCERAL_EXTENTS))
    sites = rng.choice((2, 3, 4, 5, 6, 8)) if extent == "multifocal" else None
    right = t_category("visceral", size, extent=extent, sites=sites)
    table = load_table("ajcc8_t_categories.csv")
    definitions = dict(zip(*(table[table.site == "visceral"][c] for c in ("t", "definition")), strict=True))
    by_size = t_category("trunk", size)
    wrong: dict[str, str] = {}
    if by_size != right:
        wrong[by_size] = (
            f"{by_size} is the trunk and limb size band for {size:g} cm, but for visceral organs T measures how "
            "far the tumour has grown, not its size."
        )
    for t in sorted(definitions, key=lambda code: abs(list(definitions).index(code) - list(definitions).index(right))):
        if t != right:
            wrong.setdefault(t, f"{t} is: {definitions[t]}.")
    described = _VISCERAL_EXTENTS[extent].format(sites=sites)
    why = (
        f"{right}: {described}. For the abdominal and thoracic visceral organs AJCC 8 sets T by extent, not size: "
        "T1 confined to the organ; T2a into the serosa or visceral peritoneum; T2b beyond the serosa into the "
        "mesentery; T3 into another organ; T4a-T4c multifocal (2, 3-5, more than 5 sites). Like head and neck "
        "sarcoma, it gets no stage group."
    )
    question = (
        f"{_a(size)} {size:g} cm sarcoma started in the wall of an abdominal organ (greatest dimension). At "
        f"operation, {described}. What is its AJCC 8 T category?"
    )
    case = {"site": "visceral", "size_cm": size, "extent": extent, "sites": sites, "invades": None}
    source = "AJCC8 abdominal and thoracic visceral organs chapter, as reprinted in PDQ-HP (2025-02-21)"
    return _finish(qid, "t_category", question, right, wrong, why, source, case)


def _t_question(qid: str, rng: random.Random) -> Question:
    site = rng.choice(("trunk", "extremity", "retroperitoneum", "head_and_neck", "visceral"))
    if site == "visceral":
        return _visceral_t_question(qid, rng)
    size = rng.choice(_SIZES)
    invades = None
    if site == "head_and_neck" and rng.random() < 0.3:  # some head and neck tumours invade (T4a/T4b)
        extent = rng.choice(tuple(_INVASIONS))
        invades = (t_category(site, size, extent=extent), rng.choice(_INVASIONS[extent]), extent)
    by_size = t_category(site, size)
    right = invades[0] if invades else by_size
    other_site = "extremity" if site == "head_and_neck" else "head_and_neck"
    other = t_category(other_site, size)
    invasion = (
        f"In the head and neck T4 is not a size band: it means the tumour invades adjoining structures "
        f"({_t4_words()}), whatever its size"
    )
    wrong: dict[str, str] = {}
    if invades:
        letter, structure, _ = invades
        twin = "T4b" if letter == "T4a" else "T4a"
        wrong[twin] = f"{twin} is: {_t4_definitions()[twin]}. This tumour {structure}, which is {letter}."
        wrong[by_size] = (
            f"{by_size} is the head and neck size band for {size:g} cm, but this tumour {structure}, so its size "
            f"does not decide T. {invasion}."
        )
        for t in ("T3", "T2", "T1"):
            wrong.setdefault(
                t, f"{t} is a size band for a tumour that does not invade adjoining structures. {invasion}."
            )
    else:
        if other != right:
            rule = "head and neck (2 and 4 cm)" if other_site == "head_and_neck" else "trunk and limbs (5, 10, 15 cm)"
            wrong[other] = f"{other} uses the size bands of the {rule}, not those of this site."
            if site == "head_and_neck" and other == "T4":
                wrong[other] += f" {invasion}, and this one does not invade."
        for t in ("T1", "T2", "T3", "T4"):
            if t == "T4" and site == "head_and_neck":
                wrong.setdefault(t, f"{invasion}, and this one does not invade.")
            elif t != right:
                wrong.setdefault(t, f"{t} is a different size band for this site.")
    if site == "head_and_neck":
        bands = (
            "head and neck: T1 2 cm or smaller, T2 >2-4 cm, T3 >4 cm; "
            f"T4 is invasion of adjoining structures ({_t4_words()})"
        )
    else:
        bands = "trunk, extremity and retroperitoneum: T1 5 cm or smaller, T2 >5-10 cm, T3 >10-15 cm, T4 >15 cm"
    if invades:
        why = f"{right}: the tumour {invades[1]}, so its size does not decide T. AJCC 8 {bands}."
        status = f" It invades adjoining structures: imaging shows that it {invades[1]}."
    else:
        extra = " and the tumour does not invade adjoining structures" if site == "head_and_neck" else ""
        why = f"{right}: the greatest dimension is {size:g} cm{extra}, and the AJCC 8 size bands for the {bands}."
        status = " It does not invade adjoining structures." if site == "head_and_neck" else ""
    question = (
        f"{_a(size)} {size:g} cm sarcoma of {_SITE_WORDS[site]} (greatest dimension).{status} "
        "What is its AJCC 8 T category?"
    )
    case = {
        "site": site,
        "size_cm": size,
        "extent": invades[2] if invades else None,
        "invades": invades[1] if invades else None,
    }
    source = "AJCC8 T categories by site, as reprinted in PDQ-HP (2025-02-21)"
    return _finish(qid, "t_category", question, right, wrong, why, source, case)


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
    return _finish(qid, "fnclcc_grade", question, label[result.grade], wrong, result.explanation, result.source, case)


@functools.cache
def _pdq_headings() -> dict[str, str]:
    """PDQ list heading of each treatment situation (``treatment_situations.csv``)."""
    table = load_table("treatment_situations.csv")
    return dict(zip(table.situation, table.pdq_heading, strict=True))


def _treatment_question(qid: str, rng: random.Random) -> Question:
    p = _patient(rng, ("trunk", "extremity", "retroperitoneum"))
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
    listed = "; ".join(item.description for item in options.items)
    why = f"{result.explanation} {options.explanation} The options on the {heading[readings[0]]} list: {listed}."
    question = f"{_describe(p)} Which PDQ treatment list gives the options for this patient?"
    return _finish(qid, "treatment", question, right, wrong, why, options.source, p)


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
    build = {"stage": _stage_question, "t_category": _t_question, "fnclcc_grade": _grade_question}
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
