"""A treatment plan in the words of a tumour-board plan step: the team's choices, the phases in order, and why.

The plan-order step (:mod:`sarcoma_edu.course.case_steps`) asks in which order the phases of a
:class:`~sarcoma_edu.clinical.treatment.TreatmentPlan` come. This module says the team's
choices in a sentence (radiation, chemotherapy, the drug, what surgery can remove), writes a
plan as its phases joined by arrows, and explains, from the phases themselves, why two of them
come in the order they do (or None where the reference gives no order to get wrong).
"""

from __future__ import annotations

from sarcoma_edu.clinical.treatment_plan import Phase, TreatmentPlan

__all__ = ["phase_order", "radiation_words", "swapped_feedback", "team_choices"]

_RADIATION_WORDS = {
    "before": "radiation before surgery",
    "after": "radiation after surgery",
    "none": "no radiation",
    None: "radiation as the situation decides",
}
_CHEMO_WORDS = {
    "before": "chemotherapy before surgery",
    "after": "chemotherapy after surgery",
    "none": "no chemotherapy",
}


def phase_order(plan: TreatmentPlan) -> str:
    """The phases of a plan in order, joined by arrows (the answer text of a plan-order step)."""
    return " → ".join(p.phase for p in plan.phases)


def swapped_feedback(first: Phase, second: Phase) -> str | None:
    """Why the first two phases of a plan come in their order, from the phases themselves; None when no source says.

    A step that is the gap after the one before it (recovery after radiation, restaging after the treatment given
    first) says what the gap is; an operation comes before what follows it; follow-up comes last. Two treatments
    given before surgery (chemotherapy and radiation), an operation and the removal of the metastases, or systemic
    therapy and radiation to ease symptoms have no order in the reference, so swapping them is no mistake to offer.
    """
    text = f"The first two phases are the wrong way round: '{first.phase}' comes before '{second.phase}'"
    if second.timing == "follow-up":
        return f"{text}: follow-up comes after treatment."
    if second.timing == "gap":
        return f"{text}: '{second.phase}' is the gap after it ({_lower(second.note)})."
    if first.timing == "neoadjuvant" and second.modality == "surgery":
        return f"{text}, because it is given before the operation (neoadjuvant)."
    if first.modality == "surgery" and second.modality != "surgery":
        return f"{text}: '{second.phase}' follows the operation."
    return None


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:]


def radiation_words(radiation: str | None, plan: TreatmentPlan) -> str:
    """The radiation choice in words that fit the plan: with no operation in it, radiation eases symptoms."""
    if radiation in ("before", "after") and not any(p.modality == "surgery" for p in plan.phases):
        return "radiation added to ease symptoms"
    return _RADIATION_WORDS[radiation]


def team_choices(radiation: str | None, chemotherapy: str, drug: str | None, facts, plan: TreatmentPlan) -> str:
    """What the team plans, in words: radiation and chemotherapy, the drug, and what surgery can remove.

    The words fit the plan: with no operation in it, radiation eases symptoms and chemotherapy is
    given on its own, never "before surgery" beside "surgery cannot remove all the cancer".
    """
    operated = any(p.modality == "surgery" for p in plan.phases)
    chemo = _CHEMO_WORDS[chemotherapy] if operated or chemotherapy == "none" else "chemotherapy"
    chosen = f"{radiation_words(radiation, plan)} and {chemo}"
    if drug:
        chosen += f", with {drug}"
    if facts.resectable is False or (facts.resectable is None and facts.metastasis):
        chosen += "; surgery cannot remove all the cancer"
    elif facts.metastasis:
        chosen += "; surgery can remove the primary tumour and every metastasis"
    return chosen
