"""Endless practice: a full virtual patient from a seed, with computed steps only.

The patient is drawn as the teaching cohort draws one (site mix, size, grade, lymph node and
distant spread from :func:`sarcoma_edu.clinical.cohort.generate`; visceral sites are left out, since their
T category is not a size), given FNCLCC scores whose total falls in its grade's band, and a short
fictional story. Every step is computed by the library, so any seed gives an answerable case.

The reference gives no link between a subtype and the site or age at which it occurs, so the
subtype is drawn without regard to either (the cohort's histology mix is a stated teaching
assumption); the story says so, so that no student takes a generated patient as typical.
"""

from __future__ import annotations

import dataclasses
import random

from sarcoma_edu.clinical import cohort
from sarcoma_edu.clinical.grading import fnclcc
from sarcoma_edu.clinical.tables import load_table
from sarcoma_edu.common import checks as _checks
from sarcoma_edu.course.case_model import Case, CaseFacts, computed_step

__all__ = ["SEED_LIMIT", "generate"]

SEED_LIMIT = 2**128
_SEED_ALLOWED = "a whole number from 0 to 2**128 - 1"
_MITOSES = {1: (2, 5, 8), 2: (10, 12, 15, 19), 3: (20, 25, 34)}
_NECROSIS = {0: (0,), 1: (10, 30, 45), 2: (50, 60, 80)}
_BANDS = {"G1": (2, 3), "G2": (4, 5), "G3": (6, 8)}
_WHERE = {
    "extremity": ("the thigh", "a painless lump of the thigh"),
    "trunk": ("the chest wall", "a lump of the chest wall"),
    "retroperitoneum": ("the retroperitoneum", "pain in the abdomen from the pressure of the tumour"),
    "head_and_neck": ("the neck", "a lump in the neck"),
}


def _seed(seed: object) -> int:
    if isinstance(seed, bool) or not isinstance(seed, int):
        number = _checks.whole_number("seed", seed, _SEED_ALLOWED)
        if abs(number) > 2**53:
            raise ValueError(f"seed={_checks.show(seed)} is a float too large to be exact; give it as an int")
    else:
        number = int(seed)
    if not 0 <= number < SEED_LIMIT:
        raise ValueError(f"seed={_checks.show(seed)} is out of range; expected {_SEED_ALLOWED}")
    return number


def _scores(rng: random.Random, grade: str, differentiation: int | None) -> tuple[int, int, float] | None:
    """FNCLCC component values whose total falls in the grade's band (None when no score fits)."""
    low, high = _BANDS[grade]
    combos = [
        (d, m, n)
        for d in ((differentiation,) if differentiation else (1, 2, 3))
        for m in (1, 2, 3)
        for n in (0, 1, 2)
        if low <= d + m + n <= high
    ]
    if not combos:
        return None
    d, m, n = rng.choice(combos)
    return d, rng.choice(_MITOSES[m]), float(rng.choice(_NECROSIS[n]))


def generate(seed: int) -> Case:
    """The case :func:`sarcoma_edu.course.cases.generate_case` returns for ``seed``."""
    number = _seed(seed)
    rng = random.Random(f"case:{number}")
    drawn = cohort.generate(n=8, seed=number)
    rows = drawn[drawn.site != "visceral"]
    row = (rows if len(rows) else drawn.assign(site="extremity")).iloc[0]
    histologies = load_table("histologies.csv").set_index("histology")
    histology = None if row.histology is None or str(row.histology) == "<NA>" else str(row.histology)
    info = histologies.loc[histology] if histology else None
    by_definition = info is not None and info.high_grade_by_definition == "true"
    given_d = int(info.differentiation_score) if info is not None and info.differentiation_score else None
    scores = None if row.grade == "GX" or by_definition else _scores(rng, row.grade, given_d)
    metastasis = bool(row.metastasis)
    facts = CaseFacts(
        site=str(row.site),
        size_cm=float(row.size_cm),
        grade=str(row.grade),
        nodes=bool(row.nodes),
        metastasis=metastasis,
        histology=histology,
        differentiation=scores[0] if scores else None,
        mitoses=scores[1] if scores else None,
        necrosis_pct=scores[2] if scores else None,
        resectable=(rng.random() < 0.5) if metastasis else None,  # with distant spread the team says what is removable
    )
    if scores:
        facts = dataclasses.replace(facts, grade=fnclcc(*scores).g)
    case_id = f"generated-{number}"
    place, sign = _WHERE[facts.site]
    label = histologies.loc[histology, "label"] if histology else "soft tissue sarcoma (subtype not named)"
    sex = rng.choice(("woman", "man"))
    vignette = (
        f"A {int(row.age)}-year-old {sex} comes with {sign}. A core needle biopsy shows {label}. "
        "This is a fictional patient, made up by the toolkit for practice: the subtype is drawn without regard to "
        "the site or the age, so the patient may not be typical of that subtype."
    )
    if scores:
        pathology = (
            f"Pathology report: differentiation score {scores[0]}, {scores[1]} mitoses per 10 high-power fields, "
            f"{scores[2]:g}% tumour necrosis."
        )
    elif by_definition:
        pathology = f"Pathology report: {label}, a subtype that is high grade by definition (G3)."
    else:
        pathology = "Pathology report: the grade cannot be assessed on this sample (GX)."
    invasion = " It does not grow into adjoining structures." if facts.site == "head_and_neck" else ""
    # every metastasis removable: only a few spots, as the lung operation needs (reference section 5)
    spots = "a few spots" if facts.resectable else "several spots"
    spread = [
        f"CT of the chest shows {spots} in the lungs: sarcoma that has spread."
        if metastasis
        else "CT of the chest shows no spread to the lungs.",
        "Enlarged regional lymph nodes contain sarcoma on biopsy." if facts.nodes else "No enlarged lymph nodes.",
    ]
    removable = "All the cancer, including every metastasis, can be removed." if metastasis and facts.resectable else ""
    radiation = "none" if metastasis and not facts.resectable else rng.choice(("before", "after"))
    plan_reveal = "The tumour board meets to plan treatment." + (f" {removable}" if removable else "")
    plan_reveal += " Surgery cannot remove all the cancer." if facts.resectable is False else ""
    items = [("grade", pathology)] if scores else []
    items += [
        ("t_category", f"MRI of the primary tumour: greatest dimension {facts.size_cm:g} cm.{invasion}"),
        ("stage", " ".join(spread) + ("" if scores else f" {pathology}")),
        ("treatment_list", "The team looks up the treatment options."),
        ("plan_order", plan_reveal),
        ("spread", "Before follow-up, the team explains where this sarcoma may spread."),
    ]
    steps = []
    for kind, reveal in items:
        settings = {"radiation": radiation} if kind == "plan_order" else {}
        step, _ = computed_step(case_id, kind.replace("_", "-"), kind, facts, reveal, settings)
        steps.append(step)
    title = f"A new patient: {place} (case {number})"
    objectives = ("Grade, stage and plan a patient you have not seen before, with the library checking each step.",)
    return Case(case_id, title, "first clinical year", objectives, vignette, facts, tuple(steps))
