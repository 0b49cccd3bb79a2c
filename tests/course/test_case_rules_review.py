"""A case written in the studio follows the rules the reference gives: T by site, grade by histology, plans as chosen.

Clinical values, each from /work/shared/reference/sts-clinical-reference.md and its sources:
- AJCC 8 sets visceral T by extent (T1 confined to the organ, T2a into the serosa, ... T3 invades another organ),
  not size; head and neck T4a/T4b mean invasion of adjoining structures; TX: T cannot be assessed
  (AJCC8, as reprinted in PDQ-HP 2025-02-21).
- Synovial sarcoma scores 3 for differentiation; rhabdomyosarcoma, clear cell sarcoma and ASPS are high grade by
  definition (datasets/histologies.csv: FNCLCC differentiation examples, Coindre 2006; PDQ-HP).
- Stage IV: surgery to remove cancer that has spread to the lungs (PDQ-PT 2023-06-02); removing the primary and all
  metastases, best when only in the lungs, can cure some patients (ACS).
- The stage IV PDQ list names targeted therapy with a tyrosine kinase inhibitor (pazopanib or imatinib) (PDQ-PT).
- Stage IB is G1 or GX (low grade or grade unknown) and larger than 5 cm (AJCC8).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sarcoma_edu.course import authoring, case_steps
from sarcoma_edu.course.case_authoring import case_item, computed_answers, default_reveal, step_notes
from sarcoma_edu.course.case_model import CaseFacts

ROOT = Path(__file__).resolve().parents[2]
STORY = {
    "case_id": "my-case",
    "title": "A made-up patient",
    "level": "first clinical year",
    "objectives": ["Stage it"],
    "vignette": "A fictional patient.",
}


def _draft(**facts) -> dict:
    base = {"site": "extremity", "size_cm": "8", "grade": "G3", "nodes": False, "metastasis": False}
    return case_item(**STORY, facts={**base, **facts}, plan={"radiation": "before", "chemotherapy": "none"})


def _problems(item: dict) -> list[str]:
    return [f"{p.field}: {p.message}" for p in authoring.draft_problems("case", item)]


# --- finding: visceral T is its extent, not a size band ---------------------------------------------------------


def test_a_visceral_case_asks_no_size_band_t_step_and_says_why():
    """A visceral case from the studio has no T step (a case holds no extent) and a note says why; no 'TX' step."""
    item = _draft(site="visceral")
    assert "t_category" not in [s["kind"] for s in item["steps"]]
    assert _problems(item) == []
    answers, why = computed_answers(item)
    assert why == ""
    assert all("size band" not in a.explanation and "categories by size" not in a.explanation for a in answers)
    (note,) = step_notes(item["facts"])
    assert "No T step" in note and "how far the tumour has grown" in note and "not by its size" in note


def test_a_visceral_case_file_with_a_t_step_is_refused_by_case_check():
    """A hand-written visceral case with a T step is refused by the case check, saying T is the extent there."""
    item = _draft(site="visceral")
    item["steps"].insert(0, {**item["steps"][0], "id": "t", "kind": "t_category", "source": "AJCC8"})
    problems = _problems(item)
    assert any("steps[0].kind" in p and "how far the tumour has grown" in p for p in problems)


def test_a_head_and_neck_t_step_says_the_tumour_does_not_invade():
    """The T step of a head and neck case says the tumour does not grow into adjoining structures (T by size only)."""
    facts = _draft(site="head_and_neck")["facts"]
    assert "does not grow into adjoining structures" in default_reveal("t_category", facts)
    assert "T4a and T4b" in step_notes(facts)[0]


def test_a_t_question_about_a_visceral_tumour_asks_its_extent():
    """A visceral T question with no extent is refused naming 'extent'; with 'serosa' the library keys T2a."""
    patient = {"site": "visceral", "size_cm": "8", "grade": "G3"}
    with pytest.raises(ValueError, match="extent: for a visceral sarcoma AJCC 8 sets T by how far"):
        authoring.computed_key("AJCC 8 T category", patient)
    spec, key = authoring.computed_key("AJCC 8 T category", {**patient, "extent": "serosa", "sites": None})
    assert key == "T2a" and spec["args"] == {"site": "visceral", "size_cm": 8, "grade": "G3", "extent": "serosa"}


# --- finding: T with an unknown size ---------------------------------------------------------------------------


def test_a_t_step_for_an_unknown_size_says_no_size_band_can_be_chosen():
    """Size not known: T is TX, and each size band's feedback says no band can be chosen without the size."""
    made = case_steps.build("t_category", CaseFacts("extremity", None, "G3"))
    assert made.value == "TX"
    for text in ("T1", "T2", "T3", "T4"):
        assert "no size band can be chosen when the size is not known" in made.wrong[text]
        assert "different size band" not in made.wrong[text]
    assert "T cannot be assessed (TX)" in made.explanation


# --- finding: the grade a histology sets ------------------------------------------------------------------------

HISTOLOGY_CASES = [
    pytest.param(
        "synovial_sarcoma",
        {"fnclcc": {"differentiation": 1, "mitoses": "2", "necrosis_pct": "0"}},
        "facts.fnclcc.differentiation: synovial sarcoma has differentiation score 3 in datasets/histologies.csv",
        id="synovial sarcoma given differentiation score 1 is refused: the table scores it 3",
    ),
    pytest.param(
        "rhabdomyosarcoma",
        {"grade": "G1"},
        "facts.grade: rhabdomyosarcoma is high grade by definition (G3) in datasets/histologies.csv",
        id="rhabdomyosarcoma given G1 is refused: it is high grade by definition",
    ),
    pytest.param(
        "clear_cell_sarcoma",
        {"grade": "G2"},
        "facts.grade: clear cell sarcoma is high grade by definition (G3)",
        id="clear cell sarcoma given G2 is refused: it is high grade by definition",
    ),
]


@pytest.mark.parametrize(("histology", "facts", "expected"), HISTOLOGY_CASES)
def test_a_grade_that_contradicts_the_histology_table_is_a_problem_of_case_check(histology, facts, expected):
    """The check names the histology, the value written and the table's value, with the table row's source."""
    base = {k: v for k, v in {"histology": histology, **facts}.items()}
    item = _draft(**base)
    if "fnclcc" in facts:
        del item["facts"]["grade"]
    problems = _problems(item)
    assert any(p.startswith(expected) and "(source: " in p for p in problems), problems


@pytest.mark.parametrize(
    ("histology", "facts"),
    [
        pytest.param(
            "synovial_sarcoma",
            {"fnclcc": {"differentiation": 3, "mitoses": "25", "necrosis_pct": "60"}},
            id="synovial sarcoma scored 3 for differentiation passes",
        ),
        pytest.param("alveolar_soft_part_sarcoma", {"grade": "G3"}, id="ASPS given G3 passes"),
        pytest.param("rhabdomyosarcoma", {"grade": "GX"}, id="rhabdomyosarcoma with the grade unknown passes"),
    ],
)
def test_a_grade_that_agrees_with_the_histology_table_passes(histology, facts):
    """Facts that agree with datasets/histologies.csv raise no histology problem."""
    item = _draft(histology=histology, **facts)
    if "fnclcc" in facts:
        del item["facts"]["grade"]
    assert _problems(item) == []


# --- finding: what surgery can remove with distant metastasis ---------------------------------------------------


def test_a_metastatic_case_whose_metastases_can_be_removed_plans_their_removal():
    """resectable: true with distant metastasis: the plan question says so and the plan removes the lung metastases."""
    (plan,) = [a for a in computed_answers(_draft(metastasis=True, resectable=True))[0] if a.kind == "plan_order"]
    assert "surgery can remove the primary tumour and every metastasis" in plan.question
    assert "Surgery to remove the lung metastases" in plan.right[0]


def test_a_plan_question_never_says_before_surgery_beside_surgery_cannot_remove_all():
    """With nothing removable, the question speaks of radiation to ease symptoms, never of 'before surgery'."""
    for radiation in ("before", "after"):
        for chemotherapy in ("before", "after"):
            facts = CaseFacts("extremity", 8, "G3", metastasis=True, resectable=False)
            made = case_steps.build("plan_order", facts, {"radiation": radiation, "chemotherapy": chemotherapy})
            assert "surgery cannot remove all the cancer" in made.question
            assert "surgery and" not in made.question and "surgery;" not in made.question, made.question


# --- finding: the PDQ list as its table gives it ----------------------------------------------------------------


def test_the_pdq_list_of_a_case_step_names_the_drugs_of_its_table():
    """The stage IV list in a treatment step names pazopanib and imatinib after the tyrosine kinase inhibitor."""
    made = case_steps.build("treatment_list", CaseFacts("extremity", 8, "G3", metastasis=True))
    assert "Targeted therapy with a tyrosine kinase inhibitor (drugs: pazopanib, imatinib)" in made.explanation


# --- finding: the feedback of an IB choice ----------------------------------------------------------------------


QUESTION_FILES = sorted([*ROOT.glob("datasets/exercises/*.json"), *ROOT.glob("datasets/quiz/*.json")])


@pytest.mark.parametrize("path", [p for p in QUESTION_FILES if "schema" not in p.name], ids=lambda p: p.name)
def test_ib_feedback_that_says_low_grade_also_says_grade_unknown(path):
    """A wrong choice's feedback that defines IB as low grade also says grade unknown (ex-08-case1-stage among them)."""
    document = json.loads(path.read_text())
    said = [
        a["feedback"]
        for item in (document if isinstance(document, list) else document.get("questions", []))
        for a in item.get("answers", [])
        if str(a.get("answer", "")).endswith("IB") and "low grade" in a.get("feedback", "")
    ]
    assert [text for text in said if "unknown" not in text] == []
