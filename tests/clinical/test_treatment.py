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


def test_node_positive_limb_tumour_is_taught_with_both_readings():
    """A node-positive limb tumour is stage IV under AJCC 8: both readings are given, neither marked wrong."""
    result = stage("leg", 4, 2, nodes=True)
    assert result.stage == "IV"
    options = treatment_options(result)
    assert options.situation == "stage_III_N1"
    assert options.other_readings == ("stage_IV",)
    assert options.readings == ("stage_III_N1", "stage_IV")
    assert options.other_headings == ("Treatment of Stage IV Soft Tissue Sarcoma",)
    assert "two ways" in options.explanation
    assert "AJCC 7th edition" in options.explanation
    assert "lymphadenectomy" in options.explanation
    assert "No source says which reading" in options.explanation
    for claim in ("follow the AJCC 7th edition", "still follow", "wrong"):
        assert claim not in options.explanation


def test_stage_word_iv_with_nodes_is_the_same_patient_as_the_result():
    """treatment_options('IV', nodes=True) and the StageResult of a node-positive limb tumour say the same."""
    by_word = treatment_options("IV", nodes=True)
    by_result = treatment_options(stage("extremity", 4, "G2", nodes=True))
    assert by_word == by_result


_STAGED = [
    stage(site, size, grade, nodes=nodes, metastasis=metastasis)
    for site in ("trunk", "extremity", "retroperitoneum")
    for size in (3, 5, 7, 10, 12, 15, 20, None)
    for grade in ("G1", "G2", "G3", "GX")
    for nodes in (False, True)
    for metastasis in (False, True)
]


@pytest.mark.parametrize("result", [r for r in _STAGED if r.stage is not None], ids=repr)
def test_stage_word_with_its_status_gives_the_same_list_as_the_result(result):
    """For every staged patient, the stage word with its node and metastasis status gives the result's answer."""
    by_word = treatment_options(result.stage, nodes=result.n == "N1", metastasis=result.m == "M1")
    assert by_word == treatment_options(result)
    if result.m == "M0":
        assert treatment_options(result.stage, nodes=result.n == "N1") == treatment_options(result)


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        pytest.param({"metastasis": True}, "metastasis=True with stage II", id="stage II with metastasis"),
        pytest.param({"metastasis": "yes"}, "metastasis='yes'", id="metastasis as text"),
    ],
)
def test_impossible_metastasis_status_refused(kwargs, words):
    """Distant metastasis with a stage word other than IV is refused, naming the parameter."""
    with pytest.raises((ValueError, TypeError), match=words):
        treatment_options("II", **kwargs)


def test_stage_iv_without_nodes_or_metastasis_refused():
    """Stage IV with neither lymph node spread nor distant metastasis is not a possible patient."""
    with pytest.raises(ValueError, match="stage IV with nodes=False and metastasis=False"):
        treatment_options("IV", nodes=False, metastasis=False)


def test_pdq_headings_are_quoted_without_adult():
    """PDQ headings are quoted as the patient summary gives them, with no 'adult' it does not have."""
    for situation in ("stage_I", "stage_II_III_N0", "stage_III_N1", "stage_IV", "recurrent"):
        heading = treatment_options(
            {"stage_I": "IA", "stage_II_III_N0": "II", "stage_III_N1": "IIIB", "stage_IV": "IV"}.get(situation, "II"),
            nodes=situation == "stage_III_N1",
            recurrent=situation == "recurrent",
        ).heading
        assert heading.startswith("Treatment of ")
        assert "adult" not in heading.lower()
    assert treatment_options("IIIB", nodes=True).heading == (
        "Treatment of Stage III Soft Tissue Sarcoma That Has Spread to Lymph Nodes (Advanced)"
    )


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
    [stage("head_and_neck", 3, 3), stage("visceral", 6, 1), stage("head_and_neck", None, 2)],
    ids=["head and neck", "visceral", "head and neck of unknown size"],
)
def test_no_stage_group_gets_an_explicit_answer(result):
    """Sites or cases with no stage group get the multidisciplinary-team answer, not an exception."""
    options = treatment_options(result)
    assert options.situation == "no_stage_group"
    assert "multidisciplinary" in options.items[0].description
    assert "multidisciplinary" in options.explanation


@pytest.mark.parametrize("site", ["trunk", "extremity", "retroperitoneum"])
@pytest.mark.parametrize("grade", ["G2", "G3"])
def test_a_tumour_of_unknown_size_and_mid_or_high_grade_gets_the_list_its_possible_stages_share(site, grade):
    """A trunk, limb or retroperitoneal tumour of unknown size, G2 or G3, N0 M0 has no stage group, but every stage
    its size could give (II, IIIA, IIIB) is on the PDQ list for stage II and stage III without lymph node spread,
    so that list applies and no text says that no list applies (reference sections 3 and 6: AJCC8, PDQ-PT)."""
    result = stage(site, None, grade)
    options = treatment_options(result)
    assert result.stage is None
    assert options.situation == "stage_II_III_N0"
    assert options.heading.startswith("Treatment of Stage II and Stage III")
    assert "share one PDQ list" in options.explanation
    assert "no stage-based PDQ list applies" not in options.explanation


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


def test_a_stage_ii_or_iii_tumour_that_cannot_be_removed_gets_high_dose_radiation_or_chemoradiation_if_chosen():
    """Stage II/III that cannot be removed: high-dose radiation (PDQ-PT); with chemotherapy chosen it is kept and given
    with the radiation, since ACS gives radiation with or without chemotherapy when surgery is impossible (reference
    section 6), with chemoradiation's caveat (section 5: not all experts agree on its value)."""
    alone = plan_treatment("IIIB", resectable=False)
    assert alone.to_frame().phase.tolist() == ["High-dose radiation therapy instead of surgery", "Follow-up"]
    plan = plan_treatment("IIIB", chemotherapy="before", resectable=False)
    assert plan.to_frame().phase.tolist() == [
        "Radiation with chemotherapy (chemoradiation) instead of surgery",
        "Follow-up",
    ]
    assert any("with or without chemotherapy when surgery is impossible" in a and "not all experts agree" in a
               for a in plan.adjustments)  # fmt: skip


def test_a_stage_i_tumour_that_cannot_be_removed_gets_high_dose_radiation_without_the_chemotherapy_chosen():
    """Stage I that cannot be removed: high-dose radiation; PDQ lists no chemotherapy for stage I, and the plan says so
    (reference section 6)."""
    plan = plan_treatment(stage("leg", 8, 1), chemotherapy="after", resectable=False)
    assert plan.to_frame().phase.tolist() == ["High-dose radiation therapy instead of surgery", "Follow-up"]
    assert any(
        a.startswith("Chemotherapy was left out") and "no chemotherapy for stage I" in a for a in plan.adjustments
    )


def test_stage_i_chemotherapy_is_left_out_and_said():
    """Chemotherapy is not a PDQ stage I option and no source gives it: the plan leaves it out and says so."""
    plan = plan_treatment("IB", radiation="after", chemotherapy="after")
    assert "Chemotherapy after surgery" not in plan.to_frame().phase.tolist()
    assert plan.adjustments == ("Chemotherapy was left out: it is not among the PDQ options for this stage.",)


def test_a_small_low_grade_tumour_gets_surgery_alone_by_default():
    """A stage IA tumour (small, low grade) is planned as surgery alone unless radiation is chosen (PDQ-PT)."""
    plan = plan_treatment(stage("leg", 3, 1))
    assert plan.to_frame().phase.tolist() == ["Surgery", "Follow-up"]
    assert any("surgery alone" in a for a in plan.adjustments)
    chosen = plan_treatment(stage("leg", 3, 1), radiation="before")
    assert "Radiation therapy before surgery" in chosen.to_frame().phase.tolist()


def test_radiation_left_to_the_situation_is_after_surgery_with_both_orders_explained():
    """Stage II with radiation not chosen gets it after surgery (ACS: most common); the other order is named."""
    plan = plan_treatment(stage("leg", 4, 3))
    assert plan.situation == "stage_II_III_N0"
    assert "Radiation therapy after surgery" in plan.to_frame().phase.tolist()
    note = " ".join(plan.adjustments)
    assert "most common" in note and "before surgery for limb tumours" in note


def test_radiation_before_surgery_is_taught_with_its_reasons_not_only_shrinking():
    """Radiation before surgery for a limb tumour: lower dose, smaller field, less late stiffness, more wound
    problems, with the NCIC SR2 figures (reference section 5)."""
    why = plan_treatment(stage("leg", 7, "high"), radiation="before").to_frame().iloc[0].why
    for reason in ("lower dose", "smaller field", "less long-term stiffness", "wound complications", "35% vs 17%"):
        assert reason in why


@pytest.mark.parametrize("site", ["trunk", "retroperitoneum", "head_and_neck", "visceral"])
def test_radiation_before_surgery_outside_the_limbs_gives_wound_complications_without_the_limb_trial(site):
    """Outside the limbs, radiation before surgery is said to cost more wound complications, and the NCIC SR2
    figures and the stiffness and swelling the reference ties to limb tumours are not quoted (reference section 5)."""
    plan = plan_treatment(stage(site, 3, "G3"), radiation="before")
    why = next(p.why for p in plan.phases if p.phase == "Radiation therapy before surgery")
    assert "more wound complications after the operation" in why
    assert "35%" not in why and "SR2" not in why and "stiffness" not in why


def test_radiation_after_surgery_is_taught_with_its_reasons():
    """Radiation after surgery: fewer wound problems, ACS's most common order, more late stiffness."""
    frame = plan_treatment("IIIA", radiation="after").to_frame()
    why = frame[frame.phase == "Radiation therapy after surgery"].iloc[0].why
    for reason in ("fewer wound problems", "most common", "stiffness"):
        assert reason in why


def test_no_text_says_radiation_before_surgery_is_simply_right():
    """No phase, rule or option text presents radiation before surgery as the only right order."""
    from sarcoma_edu.clinical.tables import load_table

    texts = [
        *load_table("sequencing_phases.csv").to_numpy().ravel().tolist(),
        *load_table("plan_rules.csv").to_numpy().ravel().tolist(),
    ]
    for text in texts:
        lowered = str(text).lower()
        for claim in ("should be given before", "always before", "is better before", "preferred order"):
            assert claim not in lowered


def test_a_stage_iv_patient_whose_disease_can_all_be_removed_gets_surgery():
    """Stage IV with the primary and all metastases removable: surgery of the primary, then of the lung metastases."""
    plan = plan_treatment(stage("trunk", 8, 3, metastasis=True), resectable=True)
    phases = plan.to_frame().phase.tolist()
    assert "Surgery" in phases
    assert phases.index("Surgery") < phases.index("Surgery to remove the lung metastases")
    assert not any(p.startswith("Systemic therapy") for p in phases)
    note = " ".join(plan.adjustments)
    assert "rarely curable" in note and "can cure some patients" in note
    assert "pazopanib or imatinib" in note  # systemic options are still named


def test_a_stage_iv_plan_with_nothing_chosen_is_systemic_therapy_not_surgery():
    """Stage IV is not assumed removable: with no choices the plan is systemic therapy, and no radiation is added."""
    for patient in ("IV", stage("leg", 7, 3, metastasis=True)):
        plan = plan_treatment(patient)
        phases = plan.to_frame().phase.tolist()
        assert phases[0].startswith("Systemic therapy")
        assert not any(p.startswith(("Surgery", "Radiation")) for p in phases)


def test_stage_iv_primary_is_treated_as_stage_ii_iii_with_radiation_kept():
    """With all disease removable, radiation chosen for stage IV is kept around the primary's surgery."""
    phases = plan_treatment("IV", radiation="before", resectable=True).to_frame().phase.tolist()
    assert phases[:3] == ["Radiation therapy before surgery", "Recovery before surgery", "Surgery"]


def test_stage_iv_that_cannot_be_removed_is_systemic_and_radiation_eases_symptoms():
    """Stage IV that cannot all be removed: systemic therapy; chosen radiation is kept, labelled as easing symptoms."""
    plan = plan_treatment("IV", radiation="before", resectable=False)
    phases = plan.to_frame().phase.tolist()
    assert phases[0].startswith("Systemic therapy")
    assert "Radiation to ease symptoms" in phases
    assert plan.to_frame().set_index("phase").loc["Radiation to ease symptoms", "timing"] == "palliative"
    assert not any("left out" in a for a in plan.adjustments)


def test_node_positive_stage_iii_surgery_removes_the_lymph_nodes():
    """A node-positive retroperitoneal (IIIB) plan's surgery is wide local excision with lymphadenectomy."""
    frame = plan_treatment(stage("retroperitoneum", 12, 3, nodes=True)).to_frame()
    surgery = frame[frame.modality == "surgery"].iloc[0]
    assert surgery.phase == "Surgery with lymphadenectomy"
    assert "lymphadenectomy" in surgery.note


@pytest.mark.parametrize("site", ["head_and_neck", "visceral"])
def test_sites_without_a_stage_group_keep_the_chosen_chemotherapy(site):
    """Head and neck or visceral: chemotherapy chosen is kept, and the plan says the team and histology decide."""
    plan = plan_treatment(stage(site, 6, 3), chemotherapy="before", radiation="after")
    phases = plan.to_frame().phase.tolist()
    assert "Chemotherapy before surgery" in phases
    assert "Radiation therapy after surgery" in phases
    assert "histology and the team" in plan.explanation
    assert not any("left out" in a for a in plan.adjustments)


@pytest.mark.parametrize(
    ("site", "words", "absent"),
    [
        ("extremity", "1-2 cm", "as little normal tissue"),
        ("trunk", "as little normal tissue as possible", "1-2 cm"),
        ("retroperitoneum", "as little normal tissue as possible", "1-2 cm"),
        ("head_and_neck", "as little normal tissue as possible", "1-2 cm"),
    ],
)
def test_the_margin_aim_depends_on_the_site(site, words, absent):
    """The 1-2 cm margin is the aim for limb surgery (ACS); elsewhere as little normal tissue as possible (PDQ-PT)."""
    surgery = plan_treatment(stage(site, 4, 1), radiation="none").to_frame().iloc[0]
    assert words in surgery.note and absent not in surgery.note
    assert "R0" in surgery.note and "no tumour cells at the edge" in surgery.note


def test_chemotherapy_around_surgery_is_not_called_first_line():
    """Chemotherapy before or after surgery names the most used drugs and its uncertain benefit, not 'first line'."""
    frame = plan_treatment("IIIB", chemotherapy="before", radiation="none").to_frame()
    note = frame.iloc[0].note
    assert "doxorubicin and ifosfamide" in note and "uncertain" in note
    assert "is first line" not in note


def test_chemotherapy_after_surgery_for_stage_ii_iii_is_kept_with_a_note():
    """ACS gives chemotherapy after surgery for stage II/III: the plan keeps it and says its benefit is uncertain."""
    plan = plan_treatment("IIIA", chemotherapy="after", radiation="none")
    assert "Chemotherapy after surgery" in plan.to_frame().phase.tolist()
    assert any("chemoradiation" in a and "not all experts agree" in a for a in plan.adjustments)


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


_INTERPRETATION_AS_FACT = (
    "headings follow the ajcc 7",
    "headings still follow",
    "headings still use the ajcc 7",
    "headings still use the 7th",
    "headings use the ajcc 7",
    "follow the ajcc 7th edition",
    "pdq headings follow",
)


def test_no_text_states_that_the_pdq_headings_follow_ajcc_7_as_a_fact():
    """The AJCC 7 reading of the PDQ headings is an interpretation: no lesson, bank or table states it as fact."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    files = [
        *root.glob("notebooks/*.ipynb"),
        *root.glob("datasets/**/*.json"),
        *root.glob("datasets/*.csv"),
        *root.glob("sarcoma_edu/*.py"),
        root / "README.md",
        *root.glob("docs/*.md"),
    ]
    found = [
        f"{path.relative_to(root)}: {claim!r}"
        for path in files
        for claim in _INTERPRETATION_AS_FACT
        if claim in path.read_text(encoding="utf-8").lower().replace("\\n", " ").replace("\n", " ")
    ]
    assert not found, "text states an interpretation as fact:\n" + "\n".join(found)


def test_the_plan_as_html_is_a_numbered_list_with_the_same_words():
    """TreatmentPlan.html() is the explanation and one list item per phase, escaped, with each phase's source."""
    import html

    plan = plan_treatment(stage("leg", 7, "high"), radiation="before", chemotherapy="before")
    page = plan.html()
    assert page.count("<li>") == len(plan.phases) and "<ol>" in page and "<pre" not in page
    assert "white-space:normal" in page and "word-break:normal" in page
    for phase in plan.phases:
        assert f"<b>{phase.phase}</b>" in page and html.escape(phase.source) in page
    assert html.escape(plan.explanation) in page and "->" not in page  # the arrows are escaped


def test_a_step_after_one_of_unknown_length_says_its_own_length():
    """Radiation before surgery after chemotherapy has no week numbers but keeps its 5 weeks (PDQ-HP)."""
    plan = plan_treatment(stage("leg", 7, "high"), radiation="before", chemotherapy="before")
    lengths = plan.phase_lengths()
    assert math.isnan(lengths[0][0]) and math.isnan(lengths[0][1])  # the reference gives none for chemotherapy
    assert lengths[1:4] == ((5.0, 5.0), (3.0, 6.0), (0.0, 0.0))
    lines = plan.describe().splitlines()
    assert "after the step before, which has no length in the reference; about 5 weeks" in lines[2]
    assert "about 3 to 6 weeks" in lines[3]
    assert "its week depends on the earlier steps" in lines[4]


AFTER = ["Surgery", "Wound healing before radiation", "Radiation therapy after surgery", "Follow-up"]


@pytest.mark.parametrize(
    ("size", "stage_group", "phases"),
    [
        pytest.param(3, "IA", ["Surgery", "Follow-up"], id="a 3 cm thigh tumour of unknown grade (IA): surgery alone"),
        pytest.param(7, "IB", AFTER, id="a 7 cm thigh tumour of unknown grade (IB): radiation after surgery"),
    ],
)
def test_a_tumour_of_unknown_grade_gets_surgery_alone_by_default_only_when_it_is_small(size, stage_group, phases):
    """GX is grouped with G1 (reference section 2): 5 cm or less is IA, surgery alone (PDQ-PT: small, low-grade
    tumours); larger is IB, radiation after surgery like the other trunk and limb stages (ACS: most common order)."""
    plan = plan_treatment(stage("leg", size, "GX"))
    assert stage("leg", size, "GX").stage == stage_group
    assert [p.phase for p in plan.phases] == phases


def test_ifosfamide_in_a_plan_is_given_with_mesna_and_fluids_to_protect_the_bladder():
    """Wherever a plan gives ifosfamide (around surgery or as systemic therapy) its phase says it is given with mesna
    and fluids to protect the bladder, and cites no source for the nurse's checks it does not show; the drug safety
    table, which shows them, still marks them as following from the harms (reference sections 5 and 5b)."""
    from sarcoma_edu.clinical.catalog import drug_safety

    plans = [
        plan_treatment(stage("leg", 7, 3), chemotherapy="before", drug="ifosfamide"),
        plan_treatment(stage("leg", 7, 3, metastasis=True), drug="ifosfamide"),
    ]
    for plan in plans:
        phase = next(p for p in plan.phases if p.phase.endswith(": ifosfamide"))
        assert "with mesna and fluids to protect the bladder" in phase.note
        assert "teaching" not in phase.source and "FDA label (ifosfamide, boxed warning)" in phase.source
    table = drug_safety().set_index("name")
    assert "teaching (monitoring): the checks follow from the harms" in table.loc["ifosfamide", "source"]


def _sentences(text: str) -> list[str]:
    import re

    plain = re.sub(r"\[([^\]]+)\]\([^)]*\"[^\"]*\"\)", r"\1", text)  # glossary links -> their words
    return [s for s in re.split(r"(?<=[.;])\s", " ".join(plain.split())) if s]


def test_the_docs_give_high_dose_radiation_to_stage_i_to_iii_only_without_lymph_node_spread():
    """README, lesson 05 and plan_treatment's docstring say 'without lymph node spread' wherever a stage I-III tumour
    that cannot be removed gets high-dose radiation: a node-positive retroperitoneal IIIB tumour gets treatment before
    surgery instead, as the PDQ list for stage III with lymph node spread gives (reference section 6, PDQ-PT)."""
    import json
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    lesson = json.loads((root / "notebooks" / "05_treatment.ipynb").read_text(encoding="utf-8"))
    texts = {
        "README.md": (root / "README.md").read_text(encoding="utf-8"),
        "05_treatment": " ".join("".join(c["source"]) for c in lesson["cells"] if c["cell_type"] == "markdown"),
        "plan_treatment": plan_treatment.__doc__,
    }
    for name, text in texts.items():
        said = [s for s in _sentences(text) if "high-dose radiation" in s and re.search(r"stage (I-III|I to III)", s)]
        assert said, name
        assert all("without lymph node spread" in s for s in said), (name, said)
    plan = plan_treatment(stage("retroperitoneum", 12, 3, nodes=True), resectable=False)
    assert plan.situation == "stage_III_N1" and not any("High-dose" in p.phase for p in plan.phases)
