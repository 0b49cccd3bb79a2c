"""The spread step's key, for built-in and generated cases alike, follows the spread table: where the reference says
a histology spreads distantly (retroperitoneal leiomyosarcoma; myxoid liposarcoma, which often spreads outside the lung)
distant spread is right, beside local recurrence."""

from __future__ import annotations

import functools

import pytest

from sarcoma_edu.course.case_files import load_cases
from sarcoma_edu.course.cases import generate_case

DISTANT = {"Lung (route: blood)", "Other distant sites (route: blood)"}
LOCAL = "Local recurrence (route: tissue)"


@functools.cache
def _generated_retroperitoneal() -> dict[str, list]:
    """Generated cases of a retroperitoneal tumour among seeds 0 to 499, by histology."""
    by_histology: dict[str, list] = {}
    for seed in range(500):
        case = generate_case(seed)
        if case.facts.site == "retroperitoneum" and case.facts.histology:
            by_histology.setdefault(case.facts.histology, []).append(case)
    return by_histology


def _retroperitoneal(histology: str) -> list:
    cases = _generated_retroperitoneal().get(histology, [])
    assert len(cases) >= 2, f"too few generated retroperitoneal {histology} cases to check"
    return cases


def _right(case) -> set[str]:
    step = next(s for s in case.steps if s.kind == "spread")
    return {a.answer for a in step.question.answers if a.correct}


def test_generated_retroperitoneal_leiomyosarcomas_accept_distant_spread_and_local_recurrence():
    """Every generated retroperitoneal leiomyosarcoma accepts the lung, other distant sites and local recurrence
    (reference section 4, TARPSWG: local recurrence dominates in the retroperitoneum; leiomyosarcoma spreads
    distantly), with or without spread found at diagnosis."""
    for case in _retroperitoneal("leiomyosarcoma"):
        assert _right(case) == DISTANT | {LOCAL}, case.id


def test_the_built_in_retroperitoneal_leiomyosarcoma_has_the_same_key_as_a_generated_one():
    """The built-in case (retroperitoneum-nodes) and a generated retroperitoneal leiomyosarcoma share one key: the
    rule table, not the case file, decides it."""
    built_in = next(c for c in load_cases() if c.id == "retroperitoneum-nodes")
    assert _right(built_in) == _right(_retroperitoneal("leiomyosarcoma")[0])


@pytest.mark.parametrize("histology", ["well_differentiated_liposarcoma", "undifferentiated_pleomorphic_sarcoma"])
def test_other_generated_retroperitoneal_tumours_keep_local_recurrence_alone(histology):
    """A generated retroperitoneal tumour the reference does not single out for distant spread has local
    recurrence alone as the key (reference section 4: local recurrence dominates there)."""
    for case in _retroperitoneal(histology):
        assert _right(case) == {LOCAL}, case.id


@pytest.mark.parametrize("histology", ["myxoid_liposarcoma", "round_cell_liposarcoma"])
def test_generated_retroperitoneal_myxoid_liposarcomas_accept_local_recurrence_and_their_sites_outside_the_lung(
    histology,
):
    """Every generated retroperitoneal myxoid (round cell) liposarcoma accepts local recurrence, the lung, bone and
    spine and soft tissue, and offers neither the abdomen nor 'other distant sites' (reference section 4: liposarcoma
    tends to recur locally in the retroperitoneum; myxoid liposarcoma often spreads outside the lung)."""
    for case in _retroperitoneal(histology):
        step = next(s for s in case.steps if s.kind == "spread")
        offered = {a.answer for a in step.question.answers}
        assert _right(case) == {LOCAL, "Lung (route: blood)", "Bone and spine (route: blood)",
                                "Soft tissue (route: blood)"}, case.id  # fmt: skip
        assert not offered & {"Abdomen (route: blood)", "Other distant sites (route: blood)"}, case.id
