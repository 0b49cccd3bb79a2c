"""The treatment planner over the whole space: every site x N x M x recurrent x removable x choice.

Two parts. ``tests/cases/planner_cases.csv`` holds single patients named by clinical sentences, with
the phases the plan must have and words it must say, each citing the reference. Then every
combination of site (trunk, extremity, retroperitoneum, head and neck, visceral), size, grade
(G1, G3, GX), lymph node spread, distant metastasis, recurrence, what surgery can remove (not said,
yes, no), radiation (decided by the situation, before, after, none) and chemotherapy (none, before,
after) is planned once, and each test below checks one property the reference states for all of
them (sts-clinical-reference sections 3, 5 and 6: PDQ-PT, ACS, PDQ-HP, AJCC8).
"""

from __future__ import annotations

import functools
import itertools

import pytest

from sarcoma_edu import load_drugs, plan_treatment, stage, treatment_options
from sarcoma_edu.treatment import TreatmentPlan
from tests.conftest import case_params

SITES = ("trunk", "extremity", "retroperitoneum", "head_and_neck", "visceral")
SIZES = (3.0, 8.0, None)  # T1, T2 (trunk, limb, retroperitoneum) and unknown; visceral T is by extent
GRADES = ("G1", "G3", "GX")
RESECTABLE = (None, True, False)
RADIATION = (None, "before", "after", "none")
CHEMOTHERAPY = ("none", "before", "after")
HIGH_DOSE = "High-dose radiation therapy instead of surgery"
LYMPHADENECTOMY = "Surgery with lymphadenectomy"
METASTASECTOMY = "Surgery to remove the lung metastases"


def _flag(text: str) -> bool | None:
    return {"true": True, "false": False, "": None}[text]


@pytest.mark.parametrize("case", case_params("planner_cases.csv"))
def test_planner_case(case):
    """The plan for this patient has the phases the reference gives, in order, and says why."""
    size = float(case["size_cm"]) if case["size_cm"] else None
    result = stage(case["site"], size, case["grade"], nodes=case["nodes"] == "true",
                   metastasis=case["metastasis"] == "true")  # fmt: skip
    plan = plan_treatment(
        result,
        radiation=case["radiation"] or None,
        chemotherapy=case["chemotherapy"],
        resectable=_flag(case["resectable"]),
        recurrent=case["recurrent"] == "true",
        drug=case["drug"] or None,
    )
    assert [p.phase for p in plan.phases] == case["phases"].split("|"), case["source"]
    text = _text(plan)
    for words in case["says"].split("|"):
        assert words in text, f"{case['case']}: the plan does not say {words!r}"


# --- the sweep --------------------------------------------------------------------------------


def _text(plan: TreatmentPlan) -> str:
    """Everything the plan says: the explanation, and each phase's name, note and why."""
    return " ".join([plan.explanation, *(f"{p.phase} {p.note} {p.why}" for p in plan.phases)])


@functools.cache
def _sweep() -> tuple[tuple[dict, TreatmentPlan], ...]:
    """Every combination of the sweep's dimensions, planned once: (the patient and choices, the plan)."""
    plans = []
    for site, size, grade, nodes, metastasis in itertools.product(SITES, SIZES, GRADES, (False, True), (False, True)):
        result = stage(site, size, grade, nodes=nodes, metastasis=metastasis)
        for recurrent, resectable, radiation, chemotherapy in itertools.product(
            (False, True), RESECTABLE, RADIATION, CHEMOTHERAPY
        ):
            plan = plan_treatment(
                result, radiation=radiation, chemotherapy=chemotherapy, resectable=resectable, recurrent=recurrent
            )
            patient = {
                "site": site, "size": size, "grade": grade, "nodes": nodes, "metastasis": metastasis,
                "recurrent": recurrent, "resectable": resectable, "radiation": radiation,
                "chemotherapy": chemotherapy, "result": result,
            }  # fmt: skip
            plans.append((patient, plan))
    return tuple(plans)


def _phases(plan: TreatmentPlan) -> list[str]:
    return [p.phase for p in plan.phases]


def _failures(check) -> list[str]:
    """The patients for whom ``check(patient, plan)`` is False, described, at most 10."""
    bad = []
    for patient, plan in _sweep():
        if not check(patient, plan):
            shown = {k: v for k, v in patient.items() if k != "result"}
            bad.append(f"{shown} -> {_phases(plan)}")
    return bad[:10]


def _removable(patient: dict) -> bool:
    """What the planner assumes surgery can remove: as said, else everything unless there is distant metastasis."""
    return (not patient["metastasis"]) if patient["resectable"] is None else patient["resectable"]


def test_the_sweep_covers_every_site_spread_recurrence_removability_and_choice():
    """The sweep plans 5 sites x 3 sizes x 3 grades x N x M x recurrence x 3 removability x 4 radiation x 3 chemo."""
    assert len(_sweep()) == 5 * 3 * 3 * 2 * 2 * 2 * 3 * 4 * 3
    assert {p["result"].stage for p, _ in _sweep()} >= {None, "IA", "IB", "II", "IIIA", "IIIB", "IV"}


def test_distant_metastasis_that_cannot_all_be_removed_is_treated_with_systemic_therapy_at_every_site():
    """M1 not all removable, at any site and on any PDQ list: systemic therapy first, no surgery, no high-dose
    radiation (PDQ-PT stage IV and recurrent lists; ACS: stage IV rarely curable)."""

    def check(patient, plan):
        phases = _phases(plan)
        if not patient["metastasis"] or _removable(patient):
            return True
        return phases[0].startswith("Systemic therapy") and not any(
            p.startswith(("Surgery", HIGH_DOSE)) for p in phases
        )

    assert _failures(check) == []


def test_when_every_metastasis_can_be_removed_they_are_removed_after_the_primary_at_every_site():
    """M1 with all disease removable, at any site: surgery of the primary, then removal of the metastases
    (ACS: removing the primary and all metastases can cure some; PDQ-PT: surgery for lung metastases)."""

    def check(patient, plan):
        phases = _phases(plan)
        if not (patient["metastasis"] and _removable(patient)):
            return METASTASECTOMY not in phases
        surgery = next((i for i, p in enumerate(phases) if p in ("Surgery", LYMPHADENECTOMY)), None)
        return surgery is not None and METASTASECTOMY in phases and surgery < phases.index(METASTASECTOMY)

    assert _failures(check) == []


def test_metastatic_disease_is_planned_the_same_way_with_or_without_a_stage_group():
    """A head and neck or visceral tumour with distant metastasis gets the same phases as a trunk tumour with
    the same spread, recurrence and choices (metastatic disease is planned the same way at every site)."""

    def check(patient, plan):
        if not patient["metastasis"] or patient["site"] not in ("head_and_neck", "visceral"):
            return True
        staged = stage("trunk", 8.0, "G3", nodes=patient["nodes"], metastasis=True)
        expected = plan_treatment(staged, radiation=patient["radiation"], chemotherapy=patient["chemotherapy"],
                                  resectable=patient["resectable"], recurrent=patient["recurrent"])  # fmt: skip
        return _phases(plan) == [p.phase for p in expected.phases]

    assert _failures(check) == []


def test_a_node_positive_tumour_that_is_operated_on_has_its_lymph_nodes_removed_at_every_site():
    """N1 at any site (recurrent or not): the operation on the tumour is surgery with lymphadenectomy, and a
    node-negative tumour's is not (ACS: the nodes in the area are removed when cancer is found)."""

    def check(patient, plan):
        phases = _phases(plan)
        if patient["nodes"]:
            return "Surgery" not in phases and (LYMPHADENECTOMY in phases) == any(
                p.startswith("Surgery") for p in phases
            )
        return LYMPHADENECTOMY not in phases

    assert _failures(check) == []


def test_a_recurrent_or_node_positive_tumour_that_cannot_be_removed_keeps_the_chemotherapy_chosen():
    """Recurrent or N1, not removable, chemotherapy chosen: chemotherapy is in the plan (PDQ-PT lists it for
    recurrent sarcoma and, before surgery, for stage III with lymph node spread)."""

    def check(patient, plan):
        if _removable(patient) or patient["chemotherapy"] == "none":
            return True
        if not (patient["recurrent"] or patient["nodes"]):
            return True
        return any("hemotherapy" in p for p in _phases(plan))

    assert _failures(check) == []


def test_no_high_dose_radiation_where_the_pdq_list_gives_none():
    """High-dose radiation for a tumour that cannot be removed appears only on the PDQ lists that give it
    (stage I, stage II and III without lymph node spread) or, without a stage group, where ACS gives
    radiation alone (N0, M0): never for a recurrence, lymph node spread or distant metastasis."""

    def check(patient, plan):
        if HIGH_DOSE not in _phases(plan):
            return True
        allowed = plan.situation in ("stage_I", "stage_II_III_N0", "no_stage_group")
        return allowed and not (patient["nodes"] or patient["metastasis"] or patient["recurrent"])

    assert _failures(check) == []


def test_radiation_after_surgery_is_only_planned_with_an_operation():
    """Radiation after surgery (60-66 Gy) comes after an operation, never without one (PDQ-HP)."""

    def check(_patient, plan):
        phases = _phases(plan)
        if "Radiation therapy after surgery" not in phases:
            return True
        before = phases[: phases.index("Radiation therapy after surgery")]
        return any(p in ("Surgery", LYMPHADENECTOMY) for p in before)

    assert _failures(check) == []


def test_no_plan_outside_the_limbs_speaks_of_limbs():
    """A trunk, retroperitoneal, head and neck or visceral plan never says 'limb' (no limb swelling, no limb
    advice): those words are for arm and leg tumours (ACS, PDQ-HP)."""

    def check(patient, plan):
        return patient["site"] == "extremity" or "limb" not in _text(plan).lower()

    assert _failures(check) == []


def test_the_retroperitoneum_and_recurrences_get_no_radiation_by_default():
    """With radiation left to the situation, a retroperitoneal tumour and a recurrence get none: no source sets
    a default for the retroperitoneum, and none speaks of re-irradiation (PDQ-PT, PDQ-HP)."""

    def check(patient, plan):
        if patient["radiation"] is not None or not (patient["site"] == "retroperitoneum" or patient["recurrent"]):
            return True
        return not any(p.startswith("Radiation therapy") for p in _phases(plan))

    assert _failures(check) == []


def test_a_grade_unknown_stage_ia_tumour_is_not_called_low_grade():
    """Stage IA of unknown grade (GX): the plan says the grade is unknown and treated as the table treats G1,
    never that the tumour is low grade (AJCC8 groups GX with G1)."""

    def check(patient, plan):
        if patient["result"].stage != "IA" or patient["grade"] != "GX" or patient["radiation"] is not None:
            return True
        if patient["recurrent"] or patient["site"] == "retroperitoneum" or not _removable(patient):
            return True  # a recurrence and the retroperitoneum have their own rule; no operation, no default said
        text = " ".join(plan.adjustments)
        return "grade is unknown (GX)" in text and "Small, low-grade tumours are frequently" not in text

    assert _failures(check) == []


def test_every_plan_ends_with_follow_up_and_cites_a_source_for_every_phase():
    """Follow-up comes last (PDQ-PT), and every phase names its source."""

    def check(_patient, plan):
        return _phases(plan)[-1] == "Follow-up" and all(p.source for p in plan.phases)

    assert _failures(check) == []


def test_every_metastatic_or_node_positive_tumour_without_a_stage_group_accepts_both_pdq_readings():
    """Without a stage group, M1 accepts the stage IV list and N1 (M0) the stage III with lymph node spread
    list beside 'no stage group', and the explanation says why both apply."""
    for site in ("head_and_neck", "visceral"):
        for nodes, metastasis, other in ((False, True, "stage_IV"), (True, True, "stage_IV"),
                                         (True, False, "stage_III_N1")):  # fmt: skip
            options = treatment_options(stage(site, 3.0, "G3", nodes=nodes, metastasis=metastasis))
            assert options.readings == ("no_stage_group", other), (site, nodes, metastasis)
            assert "Both readings are accepted" in options.explanation
            assert "teaching" in options.source


SYSTEMIC_DRUGS = [name for name, status in load_drugs()[["name", "status"]].itertuples(index=False)
                  if status != "supportive"]  # fmt: skip


@pytest.mark.parametrize("drug", SYSTEMIC_DRUGS)
@pytest.mark.parametrize(
    ("patient", "chemotherapy"),
    [
        pytest.param({"site": "extremity", "metastasis": True}, "none", id="limb M1 not removable"),
        pytest.param({"site": "head_and_neck", "metastasis": True}, "none", id="neck M1 not removable"),
        pytest.param({"site": "extremity", "recurrent": True}, "none", id="limb recurrence not removable"),
        pytest.param({"site": "trunk"}, "before", id="trunk, chemotherapy before surgery"),
    ],
)
def test_the_timeline_names_the_drug_the_case_chose(drug, patient, chemotherapy):
    """The phase that gives systemic therapy is named by the chosen drug and no other drug is named in its
    title; where the plan has no phase for it (a targeted drug around surgery), an adjustment says so."""
    result = stage(patient["site"], 6.0, "G3", metastasis=patient.get("metastasis", False))
    removable = chemotherapy != "none"
    plan = plan_treatment(result, chemotherapy=chemotherapy, resectable=removable,
                          recurrent=patient.get("recurrent", False), drug=drug)  # fmt: skip
    named = [p for p in plan.phases if p.phase.endswith(f": {drug}")]
    others = [p.phase for p in plan.phases for d in SYSTEMIC_DRUGS if d != drug and p.phase.endswith(f": {d}")]
    assert others == []
    if named:
        assert all(drug in p.note.lower() for p in named)
    else:
        assert removable and any(a.startswith(f"{drug[0].upper()}{drug[1:]} is not in this plan") for a in
                                 plan.adjustments)  # fmt: skip


def test_an_unknown_drug_is_refused_naming_the_parameter_and_the_drugs_allowed():
    """drug='tazemetostatt' is refused with the closest drug suggested; mesna (not a sarcoma treatment) too."""
    with pytest.raises(ValueError, match=r"drug='tazemetostatt'.*tazemetostat"):
        plan_treatment("IV", drug="tazemetostatt")
    with pytest.raises(ValueError, match="drug='mesna'"):
        plan_treatment("IV", drug="mesna")
