"""The planner's case steps over the whole space: every site x N x M x recurrent x removable x choice.

Each combination of site (trunk, extremity, retroperitoneum, head and neck, visceral), lymph node spread, distant
metastasis, recurrence, what surgery can remove (not said, yes, no), radiation (decided by the situation, before,
after, none) and chemotherapy (none, before, after) is built once as the tumour-board steps a case asks: which PDQ
list applies, and in which order the phases of the plan come. Each test checks one property the reference states for
all of them (sts-clinical-reference sections 3, 5 and 6: PDQ-PT, ACS, PDQ-HP, AJCC8).
"""

from __future__ import annotations

import functools
import itertools

from sarcoma_edu import load_table
from sarcoma_edu.course.case_model import CaseFacts
from sarcoma_edu.course.case_steps import Computed, build

SITES = ("trunk", "extremity", "retroperitoneum", "head_and_neck", "visceral")
RESECTABLE = (None, True, False)
RADIATION = (None, "before", "after", "none")
CHEMOTHERAPY = ("none", "before", "after")
HEADINGS = load_table("treatment_situations.csv").set_index("situation")["pdq_heading"]


@functools.cache
def _lists() -> tuple[tuple[CaseFacts, Computed], ...]:
    """The PDQ-list step of every site x N x M x recurrence (8 cm, grade 3)."""
    steps = []
    for site, nodes, metastasis, recurrent in itertools.product(SITES, (False, True), (False, True), (False, True)):
        facts = CaseFacts(site=site, size_cm=8.0, grade="G3", nodes=nodes, metastasis=metastasis, recurrent=recurrent)
        steps.append((facts, build("treatment_list", facts)))
    return tuple(steps)


@functools.cache
def _orders() -> tuple[tuple[CaseFacts, dict, Computed], ...]:
    """The plan-order step of every site x N x M x recurrence x removability x radiation x chemotherapy."""
    steps = []
    for site, nodes, metastasis, recurrent, resectable in itertools.product(
        SITES, (False, True), (False, True), (False, True), RESECTABLE
    ):
        facts = CaseFacts(site=site, size_cm=8.0, grade="G3", nodes=nodes, metastasis=metastasis,
                          recurrent=recurrent, resectable=resectable)  # fmt: skip
        for radiation, chemotherapy in itertools.product(RADIATION, CHEMOTHERAPY):
            settings = {"radiation": radiation, "chemotherapy": chemotherapy}
            steps.append((facts, settings, build("plan_order", facts, settings)))
    return tuple(steps)


def _said(made: Computed) -> str:
    """Everything a step says: question, every answer and its feedback, and the explanation."""
    return " ".join([made.question, made.explanation, *made.right, *made.right.values(), *made.wrong,
                     *made.wrong.values()])  # fmt: skip


def test_the_case_step_sweep_covers_every_site_spread_recurrence_removability_and_choice():
    """The sweep builds 5 sites x N x M x recurrence PDQ-list steps, and x 3 removability x 4 radiation x 3
    chemotherapy plan-order steps."""
    assert len(_lists()) == 5 * 2 * 2 * 2
    assert len(_orders()) == 5 * 2 * 2 * 2 * 3 * 4 * 3


def test_a_metastatic_tumour_without_a_stage_group_accepts_the_stage_iv_list_with_the_reason():
    """Head and neck or visceral, M1, not recurrent: the stage IV list and 'no stage group' are both right, each with
    feedback that names the other and says why both apply (PDQ-PT; AJCC8: M1 is stage IV wherever there are groups)."""
    checked = 0
    for facts, made in _lists():
        if facts.site in ("head_and_neck", "visceral") and facts.metastasis and not facts.recurrent:
            assert set(made.right) == {f"'{HEADINGS['no_stage_group']}'", f"'{HEADINGS['stage_IV']}'"}, facts
            assert all("Both readings are accepted" in feedback for feedback in made.right.values()), facts
            checked += 1
    assert checked == 2 * 2


def test_a_wrong_pdq_list_for_a_recurrence_is_blamed_on_the_recurrence_not_on_the_spread_it_covers():
    """For a recurrence every wrong list's feedback says that cancer that has come back has a PDQ list of its own; it
    never answers a stage IV list with the distant spread that list covers, nor a no-stage-group list with a site
    that has none (PDQ-PT: a list for recurrent sarcoma)."""
    for facts, made in _lists():
        if not facts.recurrent:
            continue
        assert list(made.right) == [f"'{HEADINGS['recurrent']}'"], facts
        for choice, feedback in made.wrong.items():
            assert f"a list of its own, '{HEADINGS['recurrent']}'" in feedback, (facts, choice)
            assert "; but this patient has a cancer that has come back after treatment (recurrent)" in feedback


def test_a_wrong_pdq_list_for_a_first_tumour_names_what_sets_this_patient_apart():
    """For a tumour that has not come back, every wrong list's feedback names the patient's stage (or no stage group)
    and spread, N and M included, so the student sees which of them the list does not cover (PDQ-PT; AJCC8)."""
    for facts, made in _lists():
        if facts.recurrent:
            continue
        result = facts.stage_result()
        group = f"stage {result.stage}" if result.stage else "no stage group"
        for choice, feedback in made.wrong.items():
            assert f"this patient has {group}," in feedback and f"({result.n}, {result.m})" in feedback, (facts, choice)


def test_no_case_step_outside_the_limbs_speaks_of_limbs():
    """A trunk, retroperitoneal, head and neck or visceral plan-order step never says 'limb' in its question, its
    answers, their feedback or its explanation (limb swelling and limb advice are for arms and legs: ACS, PDQ-HP)."""
    bad = [(f, s) for f, s, made in _orders() if f.site != "extremity" and "limb" in _said(made).lower()]
    assert bad[:5] == []


def test_the_wrong_way_round_feedback_speaks_of_neoadjuvant_only_before_an_operation():
    """'The first two phases are the wrong way round' says 'neoadjuvant' only when the first phase is given before
    the operation that comes second, and never 'adjuvant' (reference section 5: neoadjuvant = before surgery)."""
    checked = 0
    for facts, settings, made in _orders():
        first, second = made.extra["plan"].phases[:2]
        for feedback in made.wrong.values():
            if "wrong way round" not in feedback:
                continue
            checked += 1
            before_operation = first.timing == "neoadjuvant" and second.modality == "surgery"
            assert ("neoadjuvant" in feedback) == before_operation, (facts, settings, feedback)
            assert "adjuvant" not in feedback.replace("(neoadjuvant)", ""), (facts, settings, feedback)
    assert checked > 500


def test_a_case_whose_team_can_remove_every_metastasis_removes_them_and_one_that_cannot_gives_systemic_therapy():
    """M1 at any site, recurrent or not: the right order removes the lung metastases exactly when the case says every
    metastasis can be removed, and starts with systemic therapy when it says they cannot or says nothing (ACS: stage
    IV, removing the primary and all metastases can cure some; PDQ-PT: surgery for lung metastases)."""
    for facts, settings, made in _orders():
        if not facts.metastasis:
            continue
        (order,) = made.right
        assert ("Surgery to remove the lung metastases" in order) == (facts.resectable is True), (facts, settings)
        assert order.startswith("Systemic therapy") == (facts.resectable is not True), (facts, settings)
