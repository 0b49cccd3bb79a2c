"""Treatment options by stage (PDQ-PT 2023-06-02, reference section 6) and treatment sequencing (section 5)."""

from __future__ import annotations

import math

import pytest

from sarcoma_edu import plan_treatment, stage, treatment_options
from tests.conftest import case_params


@pytest.mark.parametrize("case", case_params("pdq_treatment_cases.csv"))
def test_pdq_list_for_stage(case):
    """Each stage gets its complete PDQ list: the right number of items, in PDQ order, no item missing or added."""
    result = treatment_options(case["stage"], nodes=case["nodes"] == "true", recurrent=case["recurrent"] == "true")
    assert result.situation == case["situation"]
    expected = case["items"].split("|")
    assert len(result.items) == len(expected)
    for item, words in zip(result.items, expected, strict=True):
        assert words in item.description
        assert item.source.startswith("PDQ-PT")


def test_drugs_named_where_pdq_names_them():
    """Stage IV and recurrent TKI items name pazopanib and imatinib; the checkpoint trial names three drugs."""
    assert treatment_options("IV").items[2].drugs == ("pazopanib", "imatinib")
    recurrent = treatment_options("II", recurrent=True)
    assert recurrent.items[3].drugs == ("pazopanib", "imatinib")
    assert recurrent.items[5].drugs == ("pembrolizumab", "nivolumab", "ipilimumab")
    assert set(recurrent.items[5].modalities) == {"clinical trial", "immunotherapy"}


def test_node_positive_extremity_explains_ajcc7_heading():
    """A node-positive limb tumour is stage IV under AJCC 8 but gets the PDQ 'stage III with nodes' list, explained."""
    result = stage("leg", 4, 2, nodes=True)
    assert result.stage == "IV"
    options = treatment_options(result)
    assert options.situation == "stage_III_N1"
    assert "AJCC 7th edition" in options.explanation
    assert "stage III" in options.explanation


def test_node_positive_retroperitoneum_is_iiib_with_nodes():
    """A node-positive retroperitoneal tumour (IIIB) gets the stage III with lymph node spread list."""
    options = treatment_options(stage("retroperitoneum", 12, 3, nodes=True))
    assert options.situation == "stage_III_N1"
    assert "IIIB" in options.explanation


def test_metastatic_disease_gets_stage_iv_list():
    """M1 gives the stage IV list even with nodes."""
    assert treatment_options(stage("trunk", 4, 2, nodes=True, metastasis=True)).situation == "stage_IV"


@pytest.mark.parametrize(
    "result",
    [stage("head_and_neck", 3, 3), stage("visceral", 6, 1), stage("trunk", None, 2)],
    ids=["head and neck", "visceral", "trunk of unknown size"],
)
def test_no_stage_group_gets_an_explicit_answer(result):
    """Sites or cases with no stage group get the multidisciplinary-team answer, not an exception."""
    options = treatment_options(result)
    assert options.situation == "no_stage_group"
    assert "multidisciplinary" in options.items[0].description
    assert "multidisciplinary" in options.explanation


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "words"),
    [
        pytest.param(("V",), {}, ValueError, "result_or_stage='V'", id="unknown stage word"),
        pytest.param((3,), {}, TypeError, "result_or_stage=3", id="stage as a number"),
        pytest.param(("II",), {"nodes": True}, ValueError, "not possible under AJCC 8", id="stage II with nodes"),
        pytest.param(("IIIB",), {"nodes": "yes"}, TypeError, "nodes='yes'", id="nodes as text"),
        pytest.param(("IIIB",), {"recurrent": 1}, TypeError, "recurrent=1", id="recurrent as a number"),
    ],
)
def test_treatment_options_bad_input(args, kwargs, error, words):
    """Bad input to treatment_options names the parameter, the value and what is allowed."""
    with pytest.raises(error, match=words):
        treatment_options(*args, **kwargs)


def test_result_and_contradicting_nodes_refused():
    """A StageResult with a node status that contradicts it is refused."""
    with pytest.raises(ValueError, match="contradicts"):
        treatment_options(stage("leg", 7, 3), nodes=True)


# --- sequencing -------------------------------------------------------------------------------


def test_neoadjuvant_radiation_sequence():
    """Radiation first: 50 Gy over about 5 weeks, a 3-6 week gap, then surgery at week 8 (up to 11), then follow-up."""
    frame = plan_treatment(stage("leg", 7, 3), radiation="before").to_frame()
    assert frame.phase.tolist() == [
        "Radiation therapy before surgery",
        "Recovery before surgery",
        "Surgery",
        "Follow-up",
    ]
    rt, gap, surgery = frame.iloc[0], frame.iloc[1], frame.iloc[2]
    assert (rt.start_week, rt.end_week, rt.dose) == (0, 5, "50 Gy in 2 Gy fractions")
    assert (gap.start_week, gap.end_week, gap.latest_end_week) == (5, 8, 11)
    assert (surgery.start_week, surgery.latest_end_week) == (8, 11)
    assert "shrink" in rt.why and "wound complications" in rt.why


def test_adjuvant_radiation_sequence_marks_uncertain_range():
    """Radiation after surgery: wound healing about 3-8 weeks (labelled uncertain), then 60-66 Gy."""
    plan = plan_treatment(stage("trunk", 12, 2), radiation="after", chemotherapy="after")
    frame = plan.to_frame()
    assert frame.phase.tolist()[:4] == [
        "Surgery",
        "Wound healing before radiation",
        "Radiation therapy after surgery",
        "Chemotherapy after surgery",
    ]
    healing = frame.iloc[1]
    assert (healing.end_week, healing.latest_end_week, healing.uncertain) == (3, 8, True)
    assert frame.iloc[2].dose == "60-66 Gy"
    assert "stiffness" in frame.iloc[2].why
    assert "uncertain range" in plan.describe()


def test_frame_columns_for_a_timeline():
    """to_frame gives phase, modality, start_week, end_week, note and source for a timeline figure."""
    frame = plan_treatment("IIIA").to_frame()
    for column in ("phase", "modality", "start_week", "end_week", "note", "source"):
        assert column in frame.columns
    assert (frame.source.str.len() > 0).all()


def test_durations_absent_from_the_reference_stay_unknown():
    """Chemotherapy cycles are not in the reference, so their weeks are unknown (NaN), not invented."""
    frame = plan_treatment("II", radiation="none", chemotherapy="before").to_frame()
    assert frame.iloc[0].phase == "Chemotherapy before surgery"
    assert math.isnan(frame.iloc[0].end_week)
    assert "not given in the reference" in frame.iloc[0].note


def test_unresectable_plan_is_radiation_with_stated_adjustment():
    """A tumour that cannot be removed gets high-dose radiation and the plan says why chemotherapy was not added."""
    plan = plan_treatment("IIIB", chemotherapy="before", resectable=False)
    assert plan.to_frame().phase.tolist() == ["High-dose radiation therapy instead of surgery", "Follow-up"]
    assert any("not all experts agree" in a for a in plan.adjustments)


def test_stage_i_chemotherapy_is_left_out_and_said():
    """Chemotherapy is not a PDQ stage I option: the plan leaves it out and says so."""
    plan = plan_treatment("IA", chemotherapy="after")
    assert "Chemotherapy after surgery" not in plan.to_frame().phase.tolist()
    assert plan.adjustments == ("Chemotherapy was left out: it is not among the PDQ options for this stage.",)


def test_stage_iv_plan_is_systemic():
    """Stage IV plans start with systemic therapy, and a radiation choice is reported as left out."""
    plan = plan_treatment("IV", radiation="before")
    assert plan.to_frame().phase.tolist()[0].startswith("Systemic therapy")
    assert "Radiation was left out" in plan.adjustments[0]


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        pytest.param({"radiation": "both"}, ValueError, "radiation='both' cannot be planned", id="radiation both"),
        pytest.param({"radiation": "during"}, ValueError, "radiation='during'", id="unknown radiation"),
        pytest.param({"chemotherapy": "yes"}, ValueError, "chemotherapy='yes'", id="unknown chemotherapy"),
        pytest.param({"resectable": "no"}, TypeError, "resectable='no'", id="resectable as text"),
    ],
)
def test_plan_bad_choices(kwargs, error, words):
    """Invalid plan choices give a clear error naming the choice and what is allowed."""
    with pytest.raises(error, match=words):
        plan_treatment("II", **kwargs)
