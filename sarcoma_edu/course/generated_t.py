"""Generated T-category questions: the size bands by site, invasion in the head and neck, extent in the viscera.

A trunk, limb or retroperitoneal tumour is placed by its greatest dimension; a head and neck
tumour by size too, unless it invades adjoining structures (T4a or T4b, whatever its size); a
visceral tumour by how far it has grown, never its size. The right answer always comes from
:func:`~sarcoma_edu.clinical.staging.t_category`; the wrong ones teach the other site's size
bands, the other T4 letter, or the size band a visceral tumour does not use.
"""

from __future__ import annotations

import functools
import random

from sarcoma_edu.clinical.staging import t_category
from sarcoma_edu.clinical.tables import load_table
from sarcoma_edu.course.generated_patients import SITE_WORDS, SIZES, a_or_an, finish_question
from sarcoma_edu.course.quiz import Question

__all__ = ["t_category_question"]


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
    size = rng.choice(SIZES)
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
        f"{a_or_an(size)} {size:g} cm sarcoma started in the wall of an abdominal organ (greatest dimension). At "
        f"operation, {described}. What is its AJCC 8 T category?"
    )
    case = {"site": "visceral", "size_cm": size, "extent": extent, "sites": sites, "invades": None}
    source = "AJCC8 abdominal and thoracic visceral organs chapter, as reprinted in PDQ-HP (2025-02-21)"
    return finish_question(qid, "t_category", question, right, wrong, why, source, case)


def t_category_question(qid: str, rng: random.Random) -> Question:
    """A T-category question about a random tumour of any site, visceral ones included."""
    site = rng.choice(("trunk", "extremity", "retroperitoneum", "head_and_neck", "visceral"))
    if site == "visceral":
        return _visceral_t_question(qid, rng)
    size = rng.choice(SIZES)
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
        f"{a_or_an(size)} {size:g} cm sarcoma of {SITE_WORDS[site]} (greatest dimension).{status} "
        "What is its AJCC 8 T category?"
    )
    case = {
        "site": site,
        "size_cm": size,
        "extent": invades[2] if invades else None,
        "invades": invades[1] if invades else None,
    }
    source = "AJCC8 T categories by site, as reprinted in PDQ-HP (2025-02-21)"
    return finish_question(qid, "t_category", question, right, wrong, why, source, case)
